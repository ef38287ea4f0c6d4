// handbok's search against Pagefind on the same built handbook (issue 24).
//
//   cd benches/pagefind && npm ci --no-audit --no-fund      # Pagefind, for this script only
//   cargo build --release && ./target/release/handbok build --content content --out /tmp/site
//   node benches/pagefind/compare.mjs /tmp/site [--write benches/RESULTS.md]
//
// Every question of tests/browser/search-questions.json is typed into each search in headless
// Chromium (Debian's /usr/bin/chromium through tests/browser's playwright-core):
// - handbok from file:// and over http: its own search field, the first result clicked;
// - Pagefind 1.6 with its defaults, over http only (it fetches its index and WebAssembly, which
//   a browser refuses from file://): `pagefind --site` on a copy of the site, its highlight script
//   (pagefind-highlight.js) added to every page of that copy, the search through its JS API with
//   `highlightParam` set; the first result's first sub-result is the link its UI shows first.
// Per question it records: the right page first; the first link goes to the section holding the
// answer (for Pagefind also counting a link to the page top when the answer is there); after
// following it, a word of the answer is inside the viewport; that word is marked on the page;
// the snippet marks it. For the questions the handbook cannot answer: no result. Bytes before the
// first answer: every file the page loads from the first keystroke until the first result shows
// (handbok from file://, as benches/search_transfer.mjs measures; Pagefind over http).
// Prints the table; with --write, puts it into the file between the markers
// <!-- pagefind:begin --> and <!-- pagefind:end --> (appended when they are missing).

import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, '..', '..');
const require = createRequire(join(repo, 'tests', 'browser', 'package.json'));
const { chromium } = require('playwright-core');
const { questions } = JSON.parse(readFileSync(join(repo, 'tests', 'browser', 'search-questions.json'), 'utf8'));

const args = process.argv.slice(2);
const site = args[0] && resolve(args[0]);
const writeTo = args.indexOf('--write') >= 0 ? resolve(args[args.indexOf('--write') + 1]) : null;
if (!site || !existsSync(join(site, 'index.html'))) {
  console.error('usage: node benches/pagefind/compare.mjs BUILT_SITE [--write benches/RESULTS.md]');
  process.exit(2);
}
const pagefindBin = join(here, 'node_modules', '.bin', 'pagefind');
if (!existsSync(pagefindBin)) {
  console.error('Pagefind is missing: run `npm ci --no-audit --no-fund` in benches/pagefind');
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// The two sites: handbok's as built, and a copy indexed by Pagefind with its highlight script.

const work = mkdtempSync(join(tmpdir(), 'handbok-pagefind-'));
const pfSite = join(work, 'pagefind-site');
cpSync(site, pfSite, { recursive: true });
const HIGHLIGHT = '<script type="module">await import("/pagefind/pagefind-highlight.js");' +
  'new PagefindHighlight({ highlightParam: "pagefind-highlight" });</script>';
(function addHighlight(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) { addHighlight(path); continue; }
    if (extname(name) !== '.html') { continue; }
    writeFileSync(path, readFileSync(path, 'utf8').replace('</body>', `${HIGHLIGHT}</body>`));
  }
})(pfSite);
const pfVersion = execFileSync(pagefindBin, ['--version'], { encoding: 'utf8' }).trim();
execFileSync(pagefindBin, ['--site', pfSite], { stdio: 'pipe' });

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.wasm': 'application/wasm',
};
function serve(dir) {
  return new Promise((ok) => {
    const s = createServer((req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
      let file = join(dir, path);
      if (existsSync(file) && statSync(file).isDirectory()) { file = join(file, 'index.html'); }
      if (!file.startsWith(dir) || !existsSync(file)) { res.writeHead(404); res.end(); return; }
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream' });
      res.end(readFileSync(file));
    });
    s.listen(0, '127.0.0.1', () => ok(s));
  });
}

// ---------------------------------------------------------------------------------------------
// What the reader sees after following a link: the same check for both tools.

/** In the page now shown: is a word of the answer (pattern) inside the section and on screen,
    and is it marked? */
async function afterClick(page, section, pattern) {
  return page.evaluate(([id, source]) => {
    const re = new RegExp(source, 'iu');
    const main = document.querySelector('main') || document.body;
    const start = id ? document.getElementById(id) : null;
    const level = start && /^H[1-6]$/.test(start.nodeName) ? +start.nodeName[1] : 7;
    const end = start && [...main.querySelectorAll('h1,h2,h3,h4,h5,h6')]
      .find((h) => (start.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_FOLLOWING) && +h.nodeName[1] <= level);
    const inSection = (n) => (!start || (start.compareDocumentPosition(n) & Node.DOCUMENT_POSITION_FOLLOWING)) &&
      (!end || (end.compareDocumentPosition(n) & Node.DOCUMENT_POSITION_PRECEDING));
    let onScreen = false;
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    const word = /[\p{L}\p{N}\u00ad]+/gu;
    while (walker.nextNode() && !onScreen) {
      const node = walker.currentNode;
      if (!inSection(node)) { continue; }
      let m;
      word.lastIndex = 0;
      while ((m = word.exec(node.nodeValue)) !== null) {
        if (!re.test(m[0].replace(/\u00ad/g, ''))) { continue; }
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const r = range.getBoundingClientRect();
        if (r.width > 0 && r.top >= 0 && r.bottom <= innerHeight) { onScreen = true; break; }
      }
    }
    const marked = [...main.querySelectorAll('mark')].some((m) => re.test(m.textContent.replace(/\u00ad/g, '')));
    return { onScreen, marked };
  }, [section, pattern]);
}

function pathOf(url, base) {
  const u = new URL(url, base);
  return { file: decodeURIComponent(u.pathname.replace(new URL(base).pathname, '')), hash: decodeURIComponent(u.hash.slice(1)) };
}

async function handbok(browser, base, q) {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(base + 'index.html');
    await page.fill('#sok', q.q);
    await page.waitForFunction((t) => document.querySelector('.search-panel').dataset.query === t, q.q, { timeout: 20000 });
    const first = await page.evaluate(() => {
      const li = document.querySelector('.search-list > li');
      if (!li) { return null; }
      return {
        href: li.querySelector('.search-result-title').href,
        snippet: [...li.querySelectorAll(':scope > .search-where mark, :scope > .search-snippet mark')].map((m) => m.textContent),
      };
    });
    if (q.none || !first) { return { none: !first }; }
    const link = pathOf(first.href, base);
    const mark = new RegExp(q.mark, 'iu');
    await page.click('.search-list > li:first-child .search-result-title');
    await page.waitForSelector('main[data-search-landed]', { timeout: 5000 }).catch(() => {});
    return {
      page: link.file === q.page,
      section: link.file === q.page && link.hash === q.section,
      top: link.file === q.page && (link.hash === q.section || link.hash === ''),
      snippet: first.snippet.some((m) => mark.test(m.replace(/\u00ad/g, ''))),
      ...(link.file === q.page ? await afterClick(page, q.section, q.mark) : { onScreen: false, marked: false }),
    };
  } finally {
    await context.close();
  }
}

async function pagefind(browser, base, q) {
  const context = await browser.newContext();
  const page = await context.newPage();
  try {
    await page.goto(base + 'index.html');
    const found = await page.evaluate(async (text) => {
      const pf = await import('/pagefind/pagefind.js');
      await pf.options({ highlightParam: 'pagefind-highlight' });
      const search = await pf.search(text);
      if (!search.results.length) { return null; }
      const data = await search.results[0].data();
      // As its UI lists them: the sections with the most matches first, the page top only when
      // there is no other.
      const subs = (data.sub_results || []).filter((r) => r.url !== data.url)
        .sort((a, b) => b.locations.length - a.locations.length);
      const sub = subs[0] || (data.sub_results || [])[0];
      return { url: data.url, first: sub ? sub.url : data.url, excerpt: sub ? sub.excerpt : data.excerpt };
    }, q.q);
    if (q.none || !found) { return { none: !found }; }
    const link = pathOf(found.first, base);
    const pageOf = pathOf(found.url, base);
    const snippet = [...found.excerpt.matchAll(/<mark>([^<]*)<\/mark>/g)].map((m) => m[1]);
    const mark = new RegExp(q.mark, 'iu');
    await page.goto(new URL(found.first, base).href);
    await page.waitForSelector('mark.pagefind-highlight', { timeout: 3000 }).catch(() => {});
    return {
      page: pageOf.file === q.page,
      section: link.file === q.page && link.hash === q.section,
      top: link.file === q.page && (link.hash === q.section || link.hash === ''),
      snippet: snippet.some((m) => mark.test(m)),
      ...(link.file === q.page ? await afterClick(page, q.section, q.mark) : { onScreen: false, marked: false }),
    };
  } finally {
    await context.close();
  }
}

/** Bytes of every file loaded from the first keystroke until the first result shows. */
async function firstAnswerBytes(browser, url, root, type) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const requested = [];
  let typing = false;
  page.on('request', (r) => { if (typing) { requested.push(r.url()); } });
  await page.goto(url, { waitUntil: 'load' });
  typing = true;
  await type(page);
  const files = new Map();
  for (const u of requested) {
    const path = u.startsWith('file:') ? fileURLToPath(u.split(/[?#]/)[0]) : join(root, decodeURIComponent(new URL(u).pathname));
    if (existsSync(path)) { files.set(relative(root, path), statSync(path).size); }
  }
  await context.close();
  return { bytes: [...files.values()].reduce((a, b) => a + b, 0), files: [...files.entries()] };
}

// ---------------------------------------------------------------------------------------------

const server = await serve(site);
const pfServer = await serve(pfSite);
const http = `http://127.0.0.1:${server.address().port}/`;
const pfHttp = `http://127.0.0.1:${pfServer.address().port}/`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const rows = { file: [], http: [], pagefind: [] };
const misses = { file: [], http: [], pagefind: [] };
try {
  for (const q of questions) {
    for (const [key, run] of [
      ['file', () => handbok(browser, pathToFileURL(site).href + '/', q)],
      ['http', () => handbok(browser, http, q)],
      ['pagefind', () => pagefind(browser, pfHttp, q)],
    ]) {
      const r = await run();
      rows[key].push({ q, r });
      const bad = q.none ? (r.none ? '' : 'answered') :
        ['page', 'section', 'onScreen', 'marked', 'snippet'].filter((k) => !r[k]).join(',');
      if (bad) { misses[key].push(`${q.q} (${bad})`); }
    }
  }
  const query = questions.find((q) => !q.none).q;
  const hb = await firstAnswerBytes(browser, pathToFileURL(join(site, 'index.html')).href, site, async (page) => {
    await page.click('#sok');
    await page.keyboard.type(query, { delay: 80 });
    await page.waitForSelector('.search-list > li');
  });
  const pf = await firstAnswerBytes(browser, pfHttp + 'index.html', pfSite, async (page) => {
    await page.evaluate(async (text) => {
      const m = await import('/pagefind/pagefind.js');
      const s = await m.search(text);
      await Promise.all(s.results.slice(0, 5).map((r) => r.data()));
    }, query);
  });

  const answerable = questions.filter((q) => !q.none);
  const none = questions.filter((q) => q.none);
  const count = (key, k) => rows[key].filter(({ q, r }) => !q.none && r[k]).length;
  const cell = (key, k) => `${count(key, k)}/${answerable.length}`;
  const noneCell = (key) => `${rows[key].filter(({ q, r }) => q.none && r.none).length}/${none.length}`;
  const kb = (b) => `${(b / 1000).toFixed(0)} kB`;
  const table = [
    `| | handbok, file:// | handbok, http | ${pfVersion.replace(/^pagefind /i, 'Pagefind ')} (default; its highlight script), http |`,
    '|---|---|---|---|',
    `| right page first | ${cell('file', 'page')} | ${cell('http', 'page')} | ${cell('pagefind', 'page')} |`,
    `| first result links to the section holding the answer | ${cell('file', 'section')} | ${cell('http', 'section')} | ${cell('pagefind', 'section')} (${count('pagefind', 'top')} counting the page top) |`,
    `| after the click, the answer is on screen | ${cell('file', 'onScreen')} | ${cell('http', 'onScreen')} | ${cell('pagefind', 'onScreen')} |`,
    `| the matched words are marked on the page | ${cell('file', 'marked')} | ${cell('http', 'marked')} | ${cell('pagefind', 'marked')} |`,
    `| snippet shows the matched words | ${cell('file', 'snippet')} | ${cell('http', 'snippet')} | ${cell('pagefind', 'snippet')} |`,
    `| no result for a question the handbook cannot answer | ${noneCell('file')} | ${noneCell('http')} | ${noneCell('pagefind')} |`,
    `| bytes before the first answer (\`${query}\`) | ${kb(hb.bytes)} (${hb.files.length} files) | – | ${kb(pf.bytes)} (${pf.files.length} files) |`,
  ].join('\n');
  const missText = Object.entries(misses)
    .map(([k, m]) => `- ${k === 'pagefind' ? 'Pagefind' : `handbok (${k})`} missed: ${m.length ? m.join('; ') : 'nothing'}`).join('\n');
  const section = `<!-- pagefind:begin -->
## Search lands on the answer: handbok against Pagefind (issue 24)

Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC. ${answerable.length} questions and ${none.length} the handbook cannot
answer (tests/browser/search-questions.json), on the shipped handbook built by handbok. Repeat:

    cd benches/pagefind && npm ci --no-audit --no-fund && cd ../..
    cargo build --release && ./target/release/handbok build --content content --out /tmp/site
    node benches/pagefind/compare.mjs /tmp/site --write benches/RESULTS.md

${table}

${missText}

Pagefind runs over http only: it fetches its index and WebAssembly, which browsers refuse from
file://. Its "first link" is the first result's first section link as its UI lists them (most
matches first; the page top when there is no other section), and its snippet is that link's
excerpt. "Counting the page top": a link to the right page's top also counts.
<!-- pagefind:end -->`;
  console.log(section);
  if (writeTo) {
    const old = existsSync(writeTo) ? readFileSync(writeTo, 'utf8') : '';
    const re = /<!-- pagefind:begin -->[\s\S]*<!-- pagefind:end -->/;
    writeFileSync(writeTo, re.test(old) ? old.replace(re, section) : `${old.trimEnd()}\n\n${section}\n`);
  }
} finally {
  await browser.close();
  server.close();
  pfServer.close();
  rmSync(work, { recursive: true, force: true });
}
