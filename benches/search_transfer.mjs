// What one search costs a reader, measured in headless Chromium from file:// (for benches/run.py).
//
//   node benches/search_transfer.mjs SITE PAGE QUERY [QUERY …]
//
// For each query, in a fresh browser context (nothing cached): opens SITE/PAGE (a reading page of
// a built site) from file://, clicks into the search field, types the query as a person does
// (80 ms between keys), waits until the first result is shown and then until no file has been
// requested and the search form has not changed for QUIET_MS, and prints one JSON line:
//   {"query", "files": [[path relative to SITE, bytes], …], "bytes", "settled_ms", "results"}
// `files` is every file the page requested from the first keystroke on (the search code, the
// index or its shards, snippet shards, …) with its size on disk; nothing about the index format
// is assumed, so this keeps working when the format changes. `settled_ms` is the time from the
// last keystroke to the last change inside the search form (page clock): when the results for
// the whole query were on screen (results for the first letters show while typing; changes
// inside UNSEEN do not count); null when no result came.
//
// The selectors below are the only things that know the theme's markup. playwright-core comes
// from tests/browser/node_modules (`npm ci` there), the browser is Debian's /usr/bin/chromium.

import { createRequire } from 'node:module';
import { statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const FORM = 'form[role="search"]';
const FIELD = `${FORM} input[type="search"]`;
const FIRST_RESULT = '.search-list > li';
// Changes nobody sees: the screen reader's live region, which repeats the count once typing
// pauses (600 ms later); not counted as results arriving.
const UNSEEN = '.search-announce, .visually-hidden';
const QUIET_MS = 1000;
const TIMEOUT_MS = 180000;

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'tests', 'browser', 'package.json'));
const { chromium } = require('playwright-core');

const [site, pagePath, ...queries] = process.argv.slice(2);
if (!site || !pagePath || queries.length === 0) {
  console.error('usage: node benches/search_transfer.mjs SITE PAGE QUERY [QUERY …]');
  process.exit(2);
}
const root = resolve(site);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  for (const query of queries) {
    const context = await browser.newContext();
    const page = await context.newPage();
    const requested = [];
    let lastRequest = 0;
    let typing = false;
    page.on('request', (request) => {
      if (!typing) return;
      lastRequest = Date.now();
      requested.push(request.url());
    });
    await page.goto(pathToFileURL(join(root, pagePath)).href, { waitUntil: 'load' });
    // The last keystroke and the last change in the search form, both on the page's clock.
    await page.evaluate(([form, unseen]) => {
      window.__bench = { lastChange: null, lastKey: null };
      document.addEventListener('keydown', () => { window.__bench.lastKey = performance.now(); }, true);
      const seen = (record) => {
        const node = record.target.nodeType === Node.ELEMENT_NODE ? record.target : record.target.parentElement;
        return !node || !node.closest(unseen);
      };
      new MutationObserver((records) => {
        if (records.some(seen)) window.__bench.lastChange = performance.now();
      }).observe(document.querySelector(form), { childList: true, subtree: true, characterData: true });
    }, [FORM, UNSEEN]);
    typing = true;
    await page.click(FIELD);
    await page.keyboard.type(query, { delay: 80 });
    let found = true;
    try {
      await page.waitForSelector(FIRST_RESULT, { timeout: TIMEOUT_MS });
    } catch {
      found = false;
    }
    // Quiet: no request and no change in the form for QUIET_MS.
    let timing = await page.evaluate(() => ({ ...window.__bench }));
    let lastSeenChange = Date.now();
    while (Date.now() - Math.max(lastSeenChange, lastRequest) < QUIET_MS) {
      await new Promise((ok) => setTimeout(ok, 100));
      const now = await page.evaluate(() => ({ ...window.__bench }));
      if (now.lastChange !== timing.lastChange) lastSeenChange = Date.now();
      timing = now;
    }
    const results = await page.locator(FIRST_RESULT).count();
    const files = [];
    const seen = new Set();
    for (const url of requested) {
      if (!url.startsWith('file:') || seen.has(url)) continue;
      seen.add(url);
      const path = fileURLToPath(url.split(/[?#]/)[0]);
      let bytes = 0;
      try { bytes = statSync(path).size; } catch { /* requested but missing: 0 bytes */ }
      files.push([relative(root, path), bytes]);
    }
    const settledMs = found && timing.lastChange !== null && timing.lastKey !== null
      ? Math.max(0, +(timing.lastChange - timing.lastKey).toFixed(1)) : null;
    console.log(JSON.stringify({
      query, files, bytes: files.reduce((sum, [, b]) => sum + b, 0), settled_ms: settledMs, results,
    }));
    await context.close();
  }
} finally {
  await browser.close();
}
