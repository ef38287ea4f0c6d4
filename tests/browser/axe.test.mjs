// axe-core over every page of the built site: WCAG 2.0/2.1/2.2 A and AA and best practices,
// in light and dark colour schemes, at 1280 and 320 CSS px wide. Zero violations allowed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, runAxe, sitePages, formatViolations } from './lib.mjs';

const pages = sitePages();
const variants = [
  { width: 1280, colorScheme: 'light' },
  { width: 1280, colorScheme: 'dark' },
  { width: 320, colorScheme: 'light' },
  { width: 320, colorScheme: 'dark' },
];
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test(`axe finds no violations on any of ${pages.length} pages in ${variants.length} variants`, async (t) => {
  assert.ok(pages.length > 0, 'the site has no pages');
  let checked = 0;
  for (const rel of pages) {
    for (const v of variants) {
      await t.test(`${rel} ${v.width}px ${v.colorScheme}`, async () => {
        const { page, context } = await openPage(browser, rel, v);
        try {
          const results = await runAxe(page);
          checked += 1;
          assert.equal(results.violations.length, 0, `\n${formatViolations(results.violations)}`);
        } finally {
          await context.close();
        }
      });
    }
  }
  t.diagnostic(`axe: ${checked} page views checked`);
});

test('axe also passes with the mobile menu open at 320px', async () => {
  const { page, context } = await openPage(browser, pages.find((p) => p.includes('/')) ?? pages[0], { width: 320 });
  try {
    await page.locator('.menu-button:visible').click();
    assert.ok(await page.locator('#navigeringstrad').isVisible(), 'the menu did not open');
    const results = await runAxe(page);
    assert.equal(results.violations.length, 0, `\n${formatViolations(results.violations)}`);
  } finally {
    await context.close();
  }
});
