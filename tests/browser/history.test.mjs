// Browser tier, page history: "Vad har ändrats?" and "Ändringar i handboken" in light, dark and
// print. The site is a small handbook built here in a temporary Git repository (two commits
// made with the `git` command, fixed dates), so the test does not depend on how deep the
// checkout of this repository is. It checks
// - axe finds no violations on the comparison page and the change list in light and dark, and
//   on the comparison page with print media emulated;
// - added and removed text is underlined and struck through in every mode (not colour alone),
//   and each change starts with its hidden "Tillagt:" / "Borttaget:";
// - printed to PDF, the comparison keeps the changed words and loses the screen chrome.
// Screenshots and the printed pages go to tests/browser/artifacts/history/: look at them.
//
// Uses target/release/handbok (built by .ci/run before this tier), else `cargo run --release`.
// Run: cd tests/browser && node --test history.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ARTIFACTS, launch, runAxe, formatViolations, printPdf } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const artifacts = join(ARTIFACTS, 'history');
let work;
let site;
let browser;

const page = (title, body) => `---\ntitle: ${title}\n---\n\n${body}\n`;

function git(args, date) {
  execFileSync('git', args, {
    cwd: work,
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'HR',
      GIT_AUTHOR_EMAIL: 'hr@example.se',
      GIT_COMMITTER_NAME: 'HR',
      GIT_COMMITTER_EMAIL: 'hr@example.se',
      GIT_AUTHOR_DATE: date,
      GIT_COMMITTER_DATE: date,
    },
    stdio: 'pipe',
  });
}

function write(rel, text) {
  const path = join(work, 'content', rel);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

function build() {
  const out = join(work, 'public');
  const release = join(repoRoot, 'target/release/handbok');
  const args = ['build', '--content', join(work, 'content'), '--out', out];
  if (existsSync(release)) execFileSync(release, args, { stdio: 'pipe' });
  else execFileSync('cargo', ['run', '--release', '--quiet', '--', ...args], { cwd: repoRoot, stdio: 'inherit' });
  return out;
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'handbok-history-'));
  write('site.yml', 'title: Personalhandbok\norganisation: Alingsås kommun\n');
  write('index.md', page('Välkommen', 'Här finns kommunens policyer.'));
  write(
    'lonesamtal.md',
    page(
      'Lönesamtal',
      'Lönesamtalet hålls en gång per år, under hösten.\n\n## Förberedelser\n\n' +
        'Chefen skickar kallelsen två veckor före.\n\n- Ta med dina mål\n- Ta med din självskattning\n\n' +
        '## Kriterier\n\nLönen sätts efter de lönekriterier som gäller för verksamheten.',
    ),
  );
  git(['init', '-q', '-b', 'main'], '2024-01-10T09:00:00+01:00');
  git(['add', '-A'], '2024-01-10T09:00:00+01:00');
  git(['commit', '-q', '-m', 'Handboken skapas'], '2024-01-10T09:00:00+01:00');
  write(
    'lonesamtal.md',
    page(
      'Lönesamtal',
      'Lönesamtalet hålls två gånger per år, under våren och hösten.\n\n## Förberedelser\n\n' +
        'Chefen skickar kallelsen tre veckor före.\n\n- Ta med dina mål\n- Ta med exempel på ditt arbete\n\n' +
        '## Kriterier\n\nLönen sätts efter de lönekriterier som gäller för verksamheten.\n\n' +
        'Du får återkoppling skriftligt efter samtalet.',
    ),
  );
  git(['add', '-A'], '2024-02-15T10:00:00+01:00');
  git(['commit', '-q', '-m', 'Lönesamtal två gånger per år'], '2024-02-15T10:00:00+01:00');
  site = build();
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

function diffPage() {
  const name = readdirSync(site).find((n) => n.startsWith('lonesamtal-andringar-'));
  assert.ok(name, 'the comparison page was written');
  return name;
}

async function open(rel, { colorScheme = 'light', width = 1280, media = 'screen' } = {}) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme });
  const p = await context.newPage();
  await p.emulateMedia({ media, colorScheme });
  await p.goto(pathToFileURL(join(site, rel)).href, { waitUntil: 'load' });
  return { p, context };
}

for (const variant of [
  { colorScheme: 'light' },
  { colorScheme: 'dark' },
  { colorScheme: 'light', media: 'print' },
  { colorScheme: 'light', width: 320 },
]) {
  const name = `${variant.colorScheme}${variant.media === 'print' ? '-print' : ''}${variant.width === 320 ? '-320' : ''}`;
  test(`"Vad har ändrats?" passes axe and marks changes without colour (${name})`, async () => {
    const { p, context } = await open(diffPage(), variant);
    try {
      const results = await runAxe(p);
      assert.equal(results.violations.length, 0, `\n${formatViolations(results.violations)}`);
      const marks = await p.evaluate(() =>
        [...document.querySelectorAll('.diff ins, .diff del')].map((el) => ({
          tag: el.tagName.toLowerCase(),
          line: getComputedStyle(el).textDecorationLine,
          label: el.querySelector('.visually-hidden')?.textContent.trim(),
          text: el.textContent.trim(),
        })),
      );
      assert.ok(marks.length >= 4, `changes marked: ${JSON.stringify(marks)}`);
      for (const m of marks) {
        assert.equal(m.line, m.tag === 'ins' ? 'underline' : 'line-through', JSON.stringify(m));
        assert.equal(m.label, m.tag === 'ins' ? 'Tillagt:' : 'Borttaget:', JSON.stringify(m));
      }
      assert.ok(marks.some((m) => m.tag === 'del' && m.text.includes('en gång')), JSON.stringify(marks));
      assert.ok(marks.some((m) => m.tag === 'ins' && m.text.includes('två gånger')), JSON.stringify(marks));
      await p.screenshot({ path: join(artifacts, `vad-har-andrats-${name}.png`), fullPage: true });
    } finally {
      await context.close();
    }
  });
}

test('"Ändringar i handboken" passes axe in light and dark', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { p, context } = await open('andringar.html', { colorScheme });
    try {
      const results = await runAxe(p);
      assert.equal(results.violations.length, 0, `\n${formatViolations(results.violations)}`);
      const heads = await p.locator('.change-head').allTextContents();
      assert.equal(heads.length, 3, heads.join('\n'));
      assert.match(heads[0], /2024-02-15\s+Lönesamtal/);
      await p.screenshot({ path: join(artifacts, `andringar-${colorScheme}.png`), fullPage: true });
    } finally {
      await context.close();
    }
  }
});

test('the comparison prints with the changed words and without the screen chrome', async () => {
  const { p, context } = await open(diffPage(), { media: 'print' });
  try {
    const pdf = join(artifacts, 'vad-har-andrats.pdf');
    // Soft hyphens are removed from the text as a reader sees it (they show only at a break).
    const { texts } = await printPdf(p, pdf, { png: true });
    const text = texts.join('\n');
    for (const wanted of ['Vad har ändrats?', 'Lönesamtal', 'två gånger', 'en gång', 'återkoppling']) {
      assert.ok(text.includes(wanted), `"${wanted}" not in the printout:\n${text}`);
    }
    for (const chrome of ['Hoppa till innehållet', 'Huvudmeny', 'Läs sidan som den är nu', 'Tillgänglighetsredogörelse']) {
      assert.ok(!text.includes(chrome), `"${chrome}" printed:\n${text}`);
    }
  } finally {
    await context.close();
  }
});
