// Time from keystroke to updated preview in the browser editor, and from save to the page served
// with the new text, on real handbooks. Not run by CI.
//
//   cargo build --release --example gen_handbook
//   ./target/release/examples/gen_handbook 1000 7 /tmp/hb1000
//   node benches/editor_preview.mjs content:medarbetarsamtal/samtalsguide.md \
//        /tmp/hb1000/handbok/content:område-01/avsnitt-01/sida-002.md
//
// Each argument is CONTENT_DIR:PAGE (PAGE relative to it). The content folder is copied to a
// temporary folder first (saves write files), served with target/release/handbok, and the page
// opened in the editor in headless Chromium (tests/browser's launch()). Per site, ROUNDS times:
//   - keystroke → preview: a word typed at the end of the text; the clock starts after its last
//     key and stops when the preview frame shows the word. It includes the editor's deliberate
//     200 ms pause after the last key before it asks for a preview; "server part" is the
//     preview request's round trip as the page measured it.
//   - save → served: Ctrl+S after the word; the clock stops when `GET` of the page's output has
//     the word (the incremental rebuild, the swap, not the reload).
// Sites are measured in alternation, round by round, so the machine's drift hits them alike;
// medians are reported, with the serve process's peak memory (VmHWM).
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch } from '../tests/browser/lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const binary = resolve(here, '../target/release/handbok');
const ROUNDS = Number(process.env.ROUNDS || 7);
const WAIT = 30_000;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function startSite(browser, spec) {
  const at = spec.lastIndexOf(':');
  const [source, page] = [resolve(spec.slice(0, at)), spec.slice(at + 1)];
  const dir = mkdtempSync(join(tmpdir(), 'handbok-latency-'));
  const content = join(dir, 'content');
  cpSync(source, content, { recursive: true });
  const server = spawn(binary, ['serve', '--port', '0', '--content', content], { stdio: ['ignore', 'pipe', 'pipe'] });
  server.stderr.on('data', () => {});
  const url = await new Promise((res, rej) => {
    const timer = setTimeout(() => rej(new Error('serve printed no URL')), 120_000);
    server.stdout.on('data', (d) => {
      const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(d.toString());
      if (m) {
        clearTimeout(timer);
        res(m[0]);
      }
    });
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const tab = await context.newPage();
  await tab.goto(`${url}__handbok/redigera?sida=${encodeURIComponent(page)}`);
  await tab.waitForFunction(() => document.getElementById('preview').contentDocument?.querySelector('main'), null, {
    timeout: WAIT,
  });
  const output = await tab.getAttribute('#view-page', 'href');
  return { spec, dir, server, url, context, tab, output, typed: [], saved: [], serverPart: [] };
}

async function measure(site, round) {
  const { tab } = site;
  const word = `mätord${round}x${Date.now() % 100000}`;
  await tab.focus('#text');
  await tab.keyboard.press('Control+End');
  await tab.keyboard.type(` ${word}`);
  const typed = Date.now();
  await tab.waitForFunction(
    (w) => document.getElementById('preview').contentDocument?.querySelector('main')?.innerText.includes(w),
    word,
    { timeout: WAIT, polling: 5 },
  );
  site.typed.push(Date.now() - typed);
  site.serverPart.push(Number(await tab.evaluate(() => document.body.dataset.previewMs)));
  await tab.keyboard.press('Control+s');
  const saved = Date.now();
  for (;;) {
    const body = await (await fetch(site.url + site.output.replace(/^\//, ''))).text();
    if (body.includes(word)) break;
    if (Date.now() - saved > WAIT) throw new Error(`${site.spec}: the saved word was not served`);
    await new Promise((r) => setTimeout(r, 5));
  }
  site.saved.push(Date.now() - saved);
  // Let the search index and the reload of the open page settle before the next round.
  await new Promise((r) => setTimeout(r, 500));
}

const specs = process.argv.slice(2);
if (!specs.length) {
  console.error('usage: node benches/editor_preview.mjs CONTENT_DIR:PAGE …');
  process.exit(2);
}
const browser = await launch();
const sites = [];
try {
  for (const spec of specs) sites.push(await startSite(browser, spec));
  for (let round = 0; round < ROUNDS; round++) {
    for (const site of sites) await measure(site, round);
  }
  for (const site of sites) console.error(site.spec, JSON.stringify({ typed: site.typed, saved: site.saved }));
  console.log(`| site:page | keystroke → preview (median, min–max) | server part | save → served | serve peak RSS |`);
  console.log(`|---|---|---|---|---|`);
  for (const site of sites) {
    const status = readFileSync(`/proc/${site.server.pid}/status`, 'utf8');
    const peak = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
    console.log(
      `| ${site.spec} | ${median(site.typed)} ms (${Math.min(...site.typed)}–${Math.max(...site.typed)}) | ` +
        `${median(site.serverPart)} ms | ${median(site.saved)} ms (${Math.min(...site.saved)}–${Math.max(...site.saved)}) | ` +
        `${peak ? Math.round(peak / 1024) + ' MB' : '?'} |`,
    );
  }
} finally {
  for (const site of sites) {
    await site.context.close();
    site.server.kill('SIGINT');
    rmSync(site.dir, { recursive: true, force: true });
  }
  await browser.close();
}
