// Browser tier, large handbooks (issue 24): with HANDBOK_SEARCH_LARGE_SITE=<a built site of
// thousands of pages> (e.g. 10,000 from examples/gen_handbook.rs, see benches/RESULTS.md), the
// sharded index uses at most one file per 20 pages, a query loads at most 1 MB from file://
// (every file requested from entering the query until the results settle: the search code, the
// manifest and the shards; the page itself is not counted), and the results and
// a page opened from them, with its marks, are axe clean. Skipped without the variable.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, WCAG_TAGS } from './lib.mjs';

const SITE = process.env.HANDBOK_SEARCH_LARGE_SITE;
const require = createRequire(import.meta.url);
// Common words (on most pages), rare ones (in a few titles only), two and three words, typos.
const QUERIES = ['semester', 'arbetsmiljo', 'rehabilitering', 'bisysslor', 'prövotid', 'lönesamtal chefen',
  'sjukfrånvaro läkarintyg', 'sjuklön karensavdrag läkarintyg', 'semester chefen ersättning', 'rehabilitring', 'traktamnte'];
const MB = 1000 * 1000;

function htmlPages(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'assets') { htmlPages(path, out); }
    } else if (name.endsWith('.html')) {
      out.push(path);
    }
  }
  return out;
}

describe('search on a large handbook', { skip: !SITE && 'set HANDBOK_SEARCH_LARGE_SITE to a built site' }, () => {
  let browser;
  before(async () => { browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS }); });
  after(async () => { await browser?.close(); });

  test('at most one index file per 20 pages', () => {
    const index = JSON.parse(readFileSync(join(SITE, 'assets', 'search-index.js'), 'utf8')
      .replace(/^window\.handbokSearchIndex=/, '').replace(/;\s*$/, ''));
    const shards = readdirSync(join(SITE, 'assets', 'search')).length;
    console.log(`# ${index.pages} pages, ${shards + 1} index files`);
    assert.ok(shards + 1 <= index.pages / 20, `${shards + 1} files for ${index.pages} pages`);
  });

  for (const query of QUERIES) {
    test(`"${query}" loads at most 1 MB from file://, and its results and landing are axe clean`, async () => {
      const page = await (await browser.newContext()).newPage();
      const start = htmlPages(SITE).find((p) => !p.endsWith('index.html'));
      await page.goto(pathToFileURL(start).href);
      const requested = new Set();
      page.on('request', (r) => requested.add(r.url().split(/[?#]/)[0]));
      // One search for the query, as when it is pasted or typed without a pause. Typed letter by
      // letter with pauses, each pause searches for what is there so far: those searches are
      // queries of their own and come on top (search.test.mjs's perf test prints them).
      await page.click('#sok');
      await page.fill('#sok', query);
      await page.waitForFunction((q) => document.querySelector('.search-panel').dataset.query === q, query, { timeout: 60000 });
      const bytes = [...requested].filter((u) => u.startsWith('file:'))
        .reduce((sum, u) => sum + statSync(fileURLToPath(u)).size, 0);
      console.log(`# ${query}: ${(bytes / 1000).toFixed(0)} kB in ${requested.size} files`);
      assert.ok(bytes <= MB, `${query} loaded ${bytes} bytes`);
      await page.addScriptTag({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
      const run = () => page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), WCAG_TAGS);
      const onResults = await run();
      assert.deepEqual(onResults.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), []);
      if (await page.locator('.search-list > li').count()) {
        await page.click('.search-list > li:first-child .search-result-title');
        await page.waitForSelector('main[data-search-landed]');
        assert.ok(await page.locator('main mark').count() > 0, 'the landing marks the words');
        await page.addScriptTag({ content: readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8') });
        const onLanding = await run();
        assert.deepEqual(onLanding.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), []);
      }
      await page.context().close();
    });
  }
});
