// Shared helpers for the browser tier (node:test + playwright-core + axe-core).
//
// API
//   SITE                 absolute path of the built site: $HANDBOK_SITE, else ../../public
//                        relative to this folder. ensureSite() builds it there when missing.
//   ARTIFACTS            absolute path of tests/browser/artifacts/ (gitignored); screenshots go here.
//   CHROMIUM             path of the browser: $CHROMIUM, else /usr/bin/chromium (Debian's).
//   CHROMIUM_ARGS        the flags every launch uses (headless, no sandbox, no network chatter).
//   ensureSite()         -> SITE; when SITE has no index.html and $HANDBOK_SITE is unset, runs
//                        `cargo run --release -- build --content ../../content --out ../../public`.
//   sitePages()          -> every .html file of the site, as paths relative to SITE ('/'-separated,
//                        sorted), e.g. ['index.html', 'medarbetarpolicy/index.html', ...].
//   fileUrl(rel)         -> the file:// URL of a path relative to SITE.
//   launch()             -> a playwright Browser (chromium, CHROMIUM_ARGS). Close it in after().
//   openPage(browser, rel, { width = 1280, height = 900, colorScheme = 'light',
//            reducedMotion = 'no-preference' })
//                        -> { page, context, consoleErrors, foreignRequests }: a new context and
//                        page at that size and colour scheme, opened on fileUrl(rel) with
//                        'load' waited for. consoleErrors collects console errors and uncaught
//                        page errors; foreignRequests every request whose URL is not file: (or
//                        data:/about:), both from before navigation. Close `context` when done.
//   runAxe(page, { tags })
//                        -> axe results after injecting axe-core into the page. Default tags:
//                        WCAG_TAGS (WCAG 2.0/2.1/2.2 A and AA plus best-practice).
//   formatViolations(v)  -> a readable multi-line string of axe violations for assertion output.
//   artifactPath(name)   -> ARTIFACTS/name, creating the folder.
//   fixtureSite(name)    -> absolute path of tests/fixtures/valid/<name> built (fresh) into
//                        ARTIFACTS/sites/<name> with ../../target/release/handbok (or `cargo run
//                        --release` when that binary is missing). Open its pages with
//                        openPage(browser, pathToFileURL(join(dir, rel)).href, …): openPage takes a
//                        file: URL as well as a path relative to SITE.
//   printPdf(page, pdf, { png })
//                        -> { pages, texts } after firing `beforeprint` (as a browser does when
//                        the reader prints; page.pdf alone does not) and printing `page` to the
//                        file `pdf` with the CSS page size; `texts` is each printed page's text
//                        (pdftotext -layout, soft hyphens removed), page 1 first. With `png`, every page is also
//                        written as PNG (pdftoppm, 60 dpi) beside the PDF: look at them.
//   contentLines(text)   -> a printed page's non-empty lines without the running header (its
//                        first line) and the "Sida N av M" footer, each trimmed.
//   serveNewHandbook(prefix, wait)
//                        -> { dir, url, newLink, stop }: `handbok init site` in a new temp folder
//                        named from `prefix`, served by `handbok serve --port 0` (the release
//                        binary, built if needed, or $HANDBOK_BIN) once it prints its address
//                        (within `wait` ms). The handbook is dir/site. newLink() -> a fresh
//                        one-time link (`…/__handbok/oppna?nyckel=…`) from a second `handbok serve`
//                        in the same folder, as a second double-click gets one: open it first in
//                        a tab that should edit (it keeps the editor's key in that tab only).
//                        stop() ends the server and removes the folder. Optional third argument
//                        { prepare(siteDir), env }: prepare runs after `init` and before the
//                        server starts (e.g. to remove .git); env is added to both starts' env.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

export const SITE = resolve(here, process.env.HANDBOK_SITE || '../../public');
export const ARTIFACTS = join(here, 'artifacts');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

export function ensureSite() {
  if (existsSync(join(SITE, 'index.html'))) return SITE;
  if (process.env.HANDBOK_SITE) {
    throw new Error(`HANDBOK_SITE=${process.env.HANDBOK_SITE} has no index.html; build the site there first`);
  }
  const repo = resolve(here, '../..');
  execFileSync('cargo', ['run', '--release', '--quiet', '--', 'build', '--content', 'content', '--out', 'public'], {
    cwd: repo,
    stdio: 'inherit',
  });
  return SITE;
}

export function sitePages() {
  ensureSite();
  const found = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.html')) found.push(relative(SITE, full).split(sep).join('/'));
    }
  };
  walk(SITE);
  return found.sort();
}

export function fileUrl(rel) {
  return pathToFileURL(join(SITE, rel)).href;
}

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

export async function openPage(
  browser,
  rel,
  { width = 1280, height = 900, colorScheme = 'light', reducedMotion = 'no-preference' } = {},
) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme, reducedMotion });
  const page = await context.newPage();
  const consoleErrors = [];
  const foreignRequests = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => consoleErrors.push(String(err)));
  page.on('request', (req) => {
    const url = req.url();
    if (!/^(file|data|about|blob):/.test(url)) foreignRequests.push(url);
  });
  await page.goto(rel.startsWith('file:') ? rel : fileUrl(rel), { waitUntil: 'load' });
  return { page, context, consoleErrors, foreignRequests };
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export async function runAxe(page, { tags = WCAG_TAGS } = {}) {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(
    (runOnly) => window.axe.run(document, { runOnly: { type: 'tag', values: runOnly }, resultTypes: ['violations'] }),
    tags,
  );
}

export function formatViolations(violations) {
  return violations
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary?.split('\n').join(' ')}`).join('\n'),
    )
    .join('\n');
}

export function fixtureSite(name) {
  const repo = resolve(here, '../..');
  const out = join(ARTIFACTS, 'sites', name);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(dirname(out), { recursive: true });
  const content = join(repo, 'tests/fixtures/valid', name);
  const binary = join(repo, 'target/release/handbok');
  const [cmd, args] = existsSync(binary)
    ? [binary, ['build', '--content', content, '--out', out]]
    : ['cargo', ['run', '--release', '--quiet', '--', 'build', '--content', content, '--out', out]];
  execFileSync(cmd, args, { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
  return out;
}

export function artifactPath(name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

export async function printPdf(page, pdf, { png = false } = {}) {
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: false });
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  const pages = Number(/Pages:\s+(\d+)/.exec(info)[1]);
  const all = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  // Soft hyphens are invisible unless a line breaks there (then pdftotext shows a hyphen).
  const texts = all.replace(/\u00ad/g, '').split('\f').slice(0, pages);
  if (png) execFileSync('pdftoppm', ['-r', '60', '-png', pdf, pdf.replace(/\.pdf$/, '')]);
  return { pages, texts };
}

export function contentLines(text) {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  if (lines.length && /^Sida \d+ av \d+$/.test(lines[lines.length - 1])) lines.pop();
  return lines.slice(1);
}

function handbokBinary() {
  if (process.env.HANDBOK_BIN) return process.env.HANDBOK_BIN;
  execFileSync('cargo', ['build', '--release', '--quiet'], { cwd: resolve(here, '../..'), stdio: 'inherit' });
  return resolve(here, '../../target/release/handbok');
}

export async function serveNewHandbook(prefix, wait = 15_000, { prepare, env: extra } = {}) {
  const bin = handbokBinary();
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const env = { ...process.env, ...(extra || {}) };
  execFileSync(bin, ['init', 'site'], { cwd: dir, env });
  if (prepare) prepare(join(dir, 'site'));
  const server = spawn(bin, ['serve', '--port', '0'], { cwd: join(dir, 'site'), env });
  const stop = () => {
    server.kill('SIGINT');
    if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  };
  try {
    const url = await new Promise((res, rej) => {
      const timer = setTimeout(() => rej(new Error('serve printed no URL')), wait);
      server.stdout.on('data', (d) => {
        const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(d.toString());
        if (m) {
          clearTimeout(timer);
          res(m[0]);
        }
      });
    });
    const newLink = () => {
      const out = execFileSync(bin, ['serve'], { cwd: join(dir, 'site'), timeout: wait, env }).toString();
      const m = /http:\/\/127\.0\.0\.1:\d+\/__handbok\/oppna\?nyckel=[0-9a-f]+/.exec(out);
      if (!m) throw new Error(`the second start printed no one-time link: ${out}`);
      return m[0];
    };
    return { dir, url, newLink, stop };
  } catch (err) {
    stop();
    throw err;
  }
}
