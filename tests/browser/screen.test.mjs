// Screen details a person notices: the "Sök" button has a visible border in the header's
// colours; form controls have a 3:1 boundary against the page (WCAG 1.4.11) in light and dark;
// the print view's buttons look like the form page's buttons; the current menu link shows the
// same focus style as every other link; decorative arrows and dashes are not read out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openPage } from './lib.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** In the page: WCAG contrast of two computed `rgb()` colours. */
const CONTRAST = `(a, b) => {
  const lum = (c) => {
    const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map((v) => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const [x, y] = [lum(a), lum(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}`;

test('the Sök button has a border with 3:1 against the header', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, context } = await openPage(browser, 'index.html', { colorScheme });
    try {
      const r = await page.evaluate((contrast) => {
        const c = eval(contrast);
        const b = getComputedStyle(document.querySelector('.search-button'));
        const header = getComputedStyle(document.querySelector('.site-header')).backgroundColor;
        return { width: parseFloat(b.borderTopWidth), ratio: c(b.borderTopColor, header) };
      }, CONTRAST);
      assert.ok(r.width >= 2, `${colorScheme}: border ${r.width}px`);
      assert.ok(r.ratio >= 3, `${colorScheme}: border contrast ${r.ratio.toFixed(2)}`);
    } finally {
      await context.close();
    }
  }
});

test('every form control has a boundary of at least 3:1 against the page', async () => {
  for (const colorScheme of ['light', 'dark']) {
    const { page, context } = await openPage(browser, 'medarbetarsamtal/medarbetaroverenskommelse.html', { colorScheme });
    try {
      const weak = await page.evaluate((contrast) => {
        const c = eval(contrast);
        const bg = getComputedStyle(document.body).backgroundColor;
        const found = [];
        for (const el of document.querySelectorAll('.hb-form input[type="text"], .hb-form textarea')) {
          // A control's edge is its own border, or (in a table) its cell's border.
          const box = el.closest('td') ?? el;
          const s = getComputedStyle(box);
          const ratio = parseFloat(s.borderBottomWidth) > 0 ? c(s.borderBottomColor, bg) : 1;
          if (ratio < 3) found.push(`${el.id}: ${ratio.toFixed(2)}`);
        }
        return found;
      }, CONTRAST);
      assert.deepEqual(weak, [], `${colorScheme}: weak boundaries`);
    } finally {
      await context.close();
    }
  }
});

test("the print view's buttons are styled like the form page's", async () => {
  const style = async (rel) => {
    const { page, context } = await openPage(browser, rel);
    try {
      return await page.evaluate(() => {
        const s = getComputedStyle(document.querySelector('.hb-buttons [data-hb-print]'));
        return { bg: s.backgroundColor, border: s.borderTopWidth, padding: s.paddingLeft, weight: s.fontWeight };
      });
    } finally {
      await context.close();
    }
  };
  const onPage = await style('medarbetarsamtal/utvecklingssamtal.html');
  const inView = await style('medarbetarsamtal/utvecklingssamtal-utskrift.html');
  assert.deepEqual(inView, onPage);
  assert.notEqual(onPage.bg, 'rgba(0, 0, 0, 0)');
});

test('the current menu link takes the same focus style as the others', async () => {
  const { page, context } = await openPage(browser, 'medarbetarsamtal/samtalsguide.html');
  try {
    const focused = async (selector) => {
      // Keyboard focus, so :focus-visible applies as it does for a keyboard user.
      for (let i = 0; i < 60; i++) {
        await page.keyboard.press('Tab');
        if (await page.evaluate((s) => document.activeElement?.matches(s), selector)) break;
      }
      return page.evaluate(() => {
        const s = getComputedStyle(document.activeElement);
        return { bg: s.backgroundColor, color: s.color, shadow: s.boxShadow };
      });
    };
    const other = await focused('#navigering a:not([aria-current])');
    await page.goto(page.url());
    const current = await focused('#navigering a[aria-current="page"]');
    assert.deepEqual(current, other);
  } finally {
    await context.close();
  }
});

test('decorative arrows and dashes are not in the accessible names', async () => {
  const { page, context } = await openPage(browser, 'medarbetarsamtal/samtalsguide.html');
  try {
    const pagination = await page.locator('nav.pagination').ariaSnapshot();
    assert.ok(!/[←→]/.test(pagination), pagination);
    assert.match(pagination, /"Föregående ?: Utvecklingssamtal"/);
    const toc = await page.locator('nav.toc').ariaSnapshot();
    assert.ok(!/—/.test(toc), toc);
  } finally {
    await context.close();
  }
});
