// Reflow, resize and offline on every page: no horizontal scrolling at 320 CSS px, none at
// 1280 px with text at 200 %, no request to anything but file:// when opened from disk, and
// no console errors. Works with JavaScript off too (reading and navigating need none).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, sitePages, CHROMIUM_ARGS } from './lib.mjs';

const pages = sitePages();
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const overflow = () => ({
  scroll: document.documentElement.scrollWidth,
  client: document.documentElement.clientWidth,
  culprits: [...document.querySelectorAll('body *')]
    .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .slice(0, 5)
    .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
});

for (const rel of pages) {
  test(`reflow, offline and console: ${rel}`, async () => {
    for (const colorScheme of ['light', 'dark']) {
      const { page, context, consoleErrors, foreignRequests } = await openPage(browser, rel, {
        width: 320,
        height: 640,
        colorScheme,
      });
      try {
        const o = await page.evaluate(overflow);
        assert.ok(o.scroll <= o.client, `horizontal scrolling at 320px (${o.scroll} > ${o.client}): ${o.culprits}`);
        // Open the no-JavaScript menu: still no horizontal scrolling.
        await page.locator('.menu-button:visible').click();
        const m = await page.evaluate(overflow);
        assert.ok(m.scroll <= m.client, `horizontal scrolling with the menu open (${m.scroll} > ${m.client})`);
        assert.deepEqual(foreignRequests, [], 'requests to other hosts');
        assert.deepEqual(consoleErrors, [], 'console errors');
      } finally {
        await context.close();
      }
    }
    // Text resized to 200 %: the browser's text zoom is the root font size.
    const { page, context } = await openPage(browser, rel, { width: 1280 });
    try {
      await page.addStyleTag({ content: 'html { font-size: 200% !important; }' });
      const o = await page.evaluate(overflow);
      assert.ok(o.scroll <= o.client, `horizontal scrolling with text at 200% (${o.scroll} > ${o.client}): ${o.culprits}`);
    } finally {
      await context.close();
    }
  });
}

test('pages read and navigate with JavaScript turned off', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    const { fileUrl } = await import('./lib.mjs');
    await page.goto(fileUrl('index.html'));
    assert.ok((await page.locator('main h1').count()) === 1);
    const link = page.locator('#navigering a').nth(1);
    const href = await link.getAttribute('href');
    await link.click();
    await page.waitForLoadState('load');
    assert.ok(page.url().endsWith(href.replace(/^\.\//, '')), `navigating to ${href} failed: ${page.url()}`);
    assert.equal(await page.locator('#navigering [aria-current="page"]').count(), 1);
  } finally {
    await context.close();
  }
  assert.ok(CHROMIUM_ARGS.includes('--headless'));
});
