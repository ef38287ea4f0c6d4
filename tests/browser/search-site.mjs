// Helpers for the search suites: the shipped handbook built into a temp folder and served over
// http on 127.0.0.1, and a page opened on it that refuses requests to any other host.
//
//   buildSite()            -> absolute path of a fresh build of content/ (HANDBOK_BIN, else
//                             target/release/handbok, else target/debug/handbok, else `cargo run`).
//                             removeSite(dir) deletes it.
//   serve(dir)             -> a node http.Server on 127.0.0.1 (port 0) serving `dir`; close() it.
//   openOn(browser, base, path, options)
//                          -> { context, page, errors }: a new context opened on base + path;
//                             `errors` collects page errors and requests to other hosts.
//   searchFor(page, query) -> what the results panel shows once it shows `query`: status,
//                             titles, hrefs, marks, where (per result), snippets (per result).

import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function buildSite() {
  const dir = mkdtempSync(join(tmpdir(), 'handbok-search-'));
  const out = join(dir, 'public');
  const args = ['build', '--content', join(REPO, 'content'), '--out', out];
  const bin = [process.env.HANDBOK_BIN, join(REPO, 'target', 'release', 'handbok'), join(REPO, 'target', 'debug', 'handbok')]
    .find((b) => b && existsSync(b));
  if (bin) {
    execFileSync(bin, args, { cwd: REPO, stdio: 'pipe' });
  } else {
    execFileSync('cargo', ['run', '-q', '--', ...args], { cwd: REPO, stdio: 'pipe' });
  }
  return out;
}

export function removeSite(out) {
  if (out) { rmSync(dirname(out), { recursive: true, force: true }); }
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };

export function serve(dir) {
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

export async function openOn(browser, base, path = 'index.html', options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith(base) || url.startsWith('http://127.0.0.1:')) { return route.continue(); }
    errors.push(`request to another host: ${url}`);
    return route.abort();
  });
  await page.goto(base + path);
  return { context, page, errors };
}

export async function searchFor(page, query) {
  await page.fill('#sok', query);
  await page.waitForFunction((q) => document.querySelector('.search-panel').dataset.query === q, query.trim());
  return page.evaluate(() => {
    const results = [...document.querySelectorAll('.search-list > li')];
    return {
      status: document.querySelector('.search-status').textContent,
      titles: results.map((li) => li.querySelector('.search-result-title').textContent),
      hrefs: results.map((li) => li.querySelector('.search-result-title').getAttribute('href')),
      marks: [...document.querySelectorAll('.search-list mark')].map((m) => m.textContent),
      where: results.map((li) => li.querySelector('.search-where')?.textContent ?? ''),
      // The words marked in what a result shows of its best section: its heading and snippet.
      snippets: results.map((li) => [...li.querySelectorAll(':scope > .search-where mark, :scope > .search-snippet mark')]
        .map((m) => m.textContent)),
      suggestions: [...document.querySelectorAll('.search-suggestion')].map((b) => b.textContent),
    };
  });
}
