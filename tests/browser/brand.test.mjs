// The municipality's own look: the fixture tests/fixtures/valid/brand (brand: with a logo, a
// primary and an accent colour in site.yml, no CSS written) built with the handbok binary
// (HANDBOK_BIN, else target/release/handbok, else target/debug/handbok) and checked in Chromium
// in light and dark mode at 320 and 1280 px: the header has the primary colour and the logo
// with its text alternative, the accent marks the current page, and axe finds no contrast (or
// other) violation. Screenshots: artifacts/brand/ (look at them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { artifactPath, formatViolations, launch, runAxe } from './lib.mjs';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
let browser;
let site;

before(async () => {
  const bin = [process.env.HANDBOK_BIN, join(REPO, 'target', 'release', 'handbok'), join(REPO, 'target', 'debug', 'handbok')]
    .find((b) => b && existsSync(b));
  assert.ok(bin, 'build handbok first (cargo build --release)');
  site = join(mkdtempSync(join(tmpdir(), 'handbok-brand-')), 'public');
  execFileSync(bin, ['build', '--content', join(REPO, 'tests', 'fixtures', 'valid', 'brand'), '--out', site], { stdio: 'pipe' });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  if (site) rmSync(dirname(site), { recursive: true, force: true });
});

for (const colorScheme of ['light', 'dark']) {
  for (const width of [320, 1280]) {
    test(`a brand without CSS: ${colorScheme}, ${width} px`, async () => {
      const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme });
      const page = await context.newPage();
      try {
        await page.goto(pathToFileURL(join(site, 'medarbetaroverenskommelse.html')).href);
        const look = await page.evaluate(() => {
          const logo = document.querySelector('.site-header img.site-logo');
          const current = document.querySelector('.site-nav a[aria-current="page"]');
          return {
            header: getComputedStyle(document.querySelector('.site-header')).backgroundColor,
            logo: logo && { alt: logo.alt, shown: logo.naturalWidth > 0 && logo.getBoundingClientRect().height >= 32 },
            stripe: getComputedStyle(document.querySelector('.site-header')).borderBottomColor,
            marker: current && getComputedStyle(current).borderLeftColor,
          };
        });
        assert.equal(look.header, 'rgb(0, 89, 76)', 'the header has brand.primary (#00594c)');
        assert.deepEqual(look.logo, { alt: 'Exempelby kommun', shown: true });
        assert.match(look.stripe, /^rgb\(/);
        if (width === 1280) assert.equal(look.marker, look.stripe, 'the accent marks the current page');
        const results = await runAxe(page);
        assert.equal(results.violations.length, 0, formatViolations(results.violations));
        await page.screenshot({ path: artifactPath(`brand/brand-${colorScheme}-${width}.png`), fullPage: true });
      } finally {
        await context.close();
      }
    });
  }
}
