// Keyboard use on every page: the first Tab reaches the skip link and Enter moves focus into
// <main>; every link in the section navigation is reached by Tab; Tab never gets stuck; every
// focused control shows a visible focus indicator. At 320 px the menu opens from the keyboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage, sitePages, fileUrl } from './lib.mjs';

const pages = sitePages();
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Describe the focused element: a stable key, whether it is in the nav, and its focus style. */
const focusInfo = () => {
  const el = document.activeElement;
  if (!el || el === document.body) return { key: 'body', inNav: false, visible: true, tag: 'BODY' };
  const path = [];
  for (let n = el; n && n !== document.body; n = n.parentElement) {
    path.unshift(`${n.tagName}:${Array.prototype.indexOf.call(n.parentElement?.children ?? [], n)}`);
  }
  const s = getComputedStyle(el);
  const outlined = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
  const shadowed = s.boxShadow && s.boxShadow !== 'none';
  // The visually hidden menu checkbox shows its focus on its label.
  const label = el.id ? document.querySelector(`label[for="${el.id}"]`) : null;
  const labelStyle = label ? getComputedStyle(label) : null;
  const labelOutlined = labelStyle && labelStyle.outlineStyle !== 'none' && parseFloat(labelStyle.outlineWidth) >= 2;
  return {
    key: path.join('/'),
    tag: el.tagName,
    inNav: !!el.closest('#navigering'),
    href: el.getAttribute('href'),
    visible: outlined || shadowed || !!labelOutlined,
    text: (el.textContent || el.id || '').trim().slice(0, 40),
  };
};

for (const rel of pages) {
  test(`keyboard: ${rel}`, async () => {
    const { page, context } = await openPage(browser, rel, { width: 1280 });
    try {
      await page.keyboard.press('Tab');
      const first = await page.evaluate(() => ({
        cls: document.activeElement?.className,
        href: document.activeElement?.getAttribute('href'),
      }));
      assert.equal(first.cls, 'skip-link', 'the first Tab must reach the skip link');
      await page.keyboard.press('Enter');
      const inMain = await page.evaluate(() => !!document.activeElement?.closest('main'));
      assert.ok(inMain, 'Enter on the skip link must move focus into <main>');

      // Tab from the top through the whole page and back round: collect every stop.
      await page.goto("about:blank");
      await page.goto(fileUrl(rel));
      const navHrefs = await page.$$eval('#navigering a', (as) => as.map((a) => a.getAttribute('href')));
      const seen = [];
      const navReached = new Set();
      let wrapped = false;
      for (let i = 0; i < 400; i++) {
        await page.keyboard.press('Tab');
        const info = await page.evaluate(focusInfo);
        if (info.tag !== 'BODY') {
          assert.ok(info.visible, `no visible focus indicator on ${info.tag} "${info.text}"`);
        }
        if (info.inNav) navReached.add(info.href);
        if (seen.length > 0 && (info.key === seen[0] || info.key === 'body')) {
          wrapped = true;
          break;
        }
        if (seen.length > 3 && seen.slice(-3).every((k) => k === info.key)) {
          assert.fail(`keyboard trap at ${info.tag} "${info.text}"`);
        }
        seen.push(info.key);
      }
      assert.ok(wrapped, `Tab did not come round to the start after ${seen.length} stops (trap?)`);
      for (const href of navHrefs) {
        assert.ok(navReached.has(href), `navigation link ${href} was not reached by Tab`);
      }
    } finally {
      await context.close();
    }
  });
}

test('at 320px the menu is a button: Enter and Space toggle it, Escape closes it and returns focus', async () => {
  const rel = pages.find((p) => p.includes('/')) ?? pages[0];
  const { page, context } = await openPage(browser, rel, { width: 320 });
  const state = () => page.evaluate(() => {
    const b = document.getElementById('meny-vaxel');
    return {
      tag: b?.tagName,
      expanded: b?.getAttribute('aria-expanded'),
      controls: b?.getAttribute('aria-controls'),
      focused: document.activeElement === b,
      open: getComputedStyle(document.getElementById('navigeringstrad')).display !== 'none',
    };
  });
  try {
    assert.equal(await page.locator('#navigeringstrad').isVisible(), false, 'the menu starts closed at 320px');
    let reached = false;
    for (let i = 0; i < 20 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.id === 'meny-vaxel');
    }
    assert.ok(reached, 'the menu button is not reachable by Tab');
    assert.deepEqual(await state(), { tag: 'BUTTON', expanded: 'false', controls: 'navigeringstrad', focused: true, open: false });
    assert.equal(await page.locator('input.menu-toggle').count(), 0, 'no checkbox once the button works');
    await page.keyboard.press('Enter');
    assert.deepEqual(await state(), { tag: 'BUTTON', expanded: 'true', controls: 'navigeringstrad', focused: true, open: true });
    await page.keyboard.press('Tab');
    const inNav = await page.evaluate(() => !!document.activeElement?.closest('#navigeringstrad'));
    assert.ok(inNav, 'the next Tab after opening the menu must go into the menu');
    await page.keyboard.press('Escape');
    assert.deepEqual(await state(), { tag: 'BUTTON', expanded: 'false', controls: 'navigeringstrad', focused: true, open: false }, 'Escape closes and returns focus to the button');
    await page.keyboard.press('Space');
    assert.equal((await state()).open, true, 'Space opens');
    await page.keyboard.press('Space');
    assert.equal((await state()).open, false, 'Space closes');
  } finally {
    await context.close();
  }
});

test('at 320px without JavaScript the menu still opens (a checkbox and its label)', async () => {
  const rel = pages.find((p) => p.includes('/')) ?? pages[0];
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 320, height: 640 } });
  try {
    const page = await context.newPage();
    await page.goto(fileUrl(rel));
    assert.equal(await page.locator('button.menu-button').isVisible(), false, 'no dead button without JavaScript');
    assert.equal(await page.locator('#navigeringstrad').isVisible(), false);
    await page.locator('label.menu-button').click();
    assert.equal(await page.locator('#navigeringstrad').isVisible(), true);
  } finally {
    await context.close();
  }
});
