// Browser tier, the sharded search path in every run: a generated handbook of 600 pages
// (examples/gen_handbook.rs; its index is too big for one file, so it is cut into shards the
// manifest lists) is built, and a query typed on a page opened from file:// loads only the
// manifest and the shards it needs, shows results, and a result lands with its words marked.
// search-large.test.mjs holds the 10,000-page budgets when HANDBOK_SEARCH_LARGE_SITE is set.
// HANDBOK_SHARDED_SITE=<built site> skips the generating and building (.ci/run sets neither).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { launch } from './lib.mjs';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const PAGES = 600;
let temp = null;
let site = process.env.HANDBOK_SHARDED_SITE;
let browser;

before(async () => {
  if (!site) {
    temp = mkdtempSync(join(tmpdir(), 'handbok-sharded-'));
    execFileSync('cargo', ['build', '--release', '--quiet', '--example', 'gen_handbook'], { cwd: REPO, stdio: 'inherit' });
    execFileSync(join(REPO, 'target/release/examples/gen_handbook'), [String(PAGES), '7', join(temp, 'gen')], { stdio: 'pipe' });
    const bin = process.env.HANDBOK_BIN || join(REPO, 'target/release/handbok');
    if (!process.env.HANDBOK_BIN) {
      execFileSync('cargo', ['build', '--release', '--quiet'], { cwd: REPO, stdio: 'inherit' });
    }
    site = join(temp, 'site');
    execFileSync(bin, ['build', '--content', join(temp, 'gen/handbok/content'), '--out', site], { stdio: 'pipe' });
  }
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (temp) { rmSync(temp, { recursive: true, force: true }); }
});

/** The manifest, as the pages load it. */
function manifest() {
  const text = readFileSync(join(site, 'assets', 'search-index.js'), 'utf8');
  return JSON.parse(text.replace(/^window\.handbokSearchIndex=/, '').replace(/;\s*$/, ''));
}

test('the index is cut into shards that the manifest lists, none of them inline', () => {
  const index = manifest();
  assert.ok(index.pages >= PAGES, `${index.pages} pages`);
  assert.equal(index.inline, undefined, 'a large index is not one file');
  const files = readdirSync(join(site, 'assets', 'search'));
  assert.ok(files.length > 4, `${files.length} shard files`);
  for (const kind of ['d', 'p']) {
    assert.ok(index[kind].length > 0, `the manifest lists its ${kind} shards`);
  }
});

test('a query from file:// loads only the shards it needs, shows results and lands marked', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const start = pathToFileURL(join(site, readdirSync(site).find((n) => n.endsWith('.html') && n !== 'index.html') ?? 'index.html')).href;
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(start);
  const requested = new Set();
  page.on('request', (r) => requested.add(r.url().split(/[?#]/)[0]));
  await page.click('#sok');
  await page.keyboard.type('semester');
  await page.waitForFunction(() => document.querySelector('.search-panel').dataset.query === 'semester', null, { timeout: 60_000 });
  const shards = [...requested].filter((u) => u.includes('/assets/search/'));
  const all = readdirSync(join(site, 'assets', 'search')).length;
  assert.ok(shards.length > 0, 'shards are loaded on use');
  assert.ok(shards.length < all, `${shards.length} of ${all} shards loaded: only those the query needs`);
  const results = page.locator('.search-list > li');
  assert.ok(await results.count() > 0, 'results are shown');
  await page.click('.search-list > li:first-child .search-result-title');
  await page.waitForSelector('main[data-search-landed]', { timeout: 30_000 });
  assert.ok(await page.locator('main mark.search-hit').count() > 0, 'the landing marks the words');
  assert.deepEqual(errors, []);
  await context.close();
});
