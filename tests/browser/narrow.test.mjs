// Phone-sized screens (320 CSS px, which is also 1280 px at 400 % zoom): on every page of the
// site, no line breaks inside a word unless it breaks at a hyphen (Swedish compounds carry soft
// hyphens at syllable boundaries: "Medarbetar-överenskommelse", not "Medarbetaröverens|kommelse"),
// with the menu open too; and the year timeline is readable (labels at least 12 px, inside
// their bars, on their own line) at 320, 768 and 1280 px, with the same periods in words. Code
// is left out: it never gets soft hyphens, so a long name may break anywhere.
// Screenshots: artifacts/narrow/ (look at them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { artifactPath, launch, openPage, sitePages } from './lib.mjs';

const pages = sitePages();
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Every place where a line breaks between two letters of one word without a hyphen shown. */
const brokenWords = () => {
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => {
      const el = n.parentElement;
      // Code is never hyphenated (a soft hyphen would change it): it may break anywhere.
      if (!el || el.closest('svg, script, style, code, pre, .visually-hidden, [hidden]')) return NodeFilter.FILTER_REJECT;
      return el.getClientRects().length ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
    },
  });
  const range = document.createRange();
  const top = (node, i) => {
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    // A character right after a break can also report an empty box at the end of the line
    // before: its own box is the last one with a width.
    const boxes = [...range.getClientRects()].filter((r) => r.width > 0);
    return boxes.length ? boxes[boxes.length - 1].top : null;
  };
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.data;
    for (const m of text.matchAll(/[\p{L}\u00ad]{2,}/gu)) {
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
      if (lines.size < 2) continue;
      // The word spans lines: each break must come right after a soft hyphen.
      let last = null;
      for (let i = m.index; i < m.index + m[0].length; i++) {
        if (text[i] === '\u00ad') continue;
        const t = top(node, i);
        if (t === null) continue;
        if (last !== null && t > last + 2 && text[i - 1] !== '\u00ad') {
          const word = m[0].replace(/\u00ad/g, '');
          found.push(`${word} (“${text.slice(m.index, i).replace(/\u00ad/g, '')}|${text.slice(i, m.index + m[0].length).replace(/\u00ad/g, '')}” in <${node.parentElement.tagName.toLowerCase()}>)`);
        }
        last = t;
      }
    }
  }
  return found;
};

for (const rel of pages) {
  test(`no word breaks without a hyphen at 320 px: ${rel}`, async () => {
    const { page, context } = await openPage(browser, rel, { width: 320, height: 640 });
    try {
      assert.deepEqual(await page.evaluate(brokenWords), [], 'words broken without a hyphen');
      await page.locator('.menu-button:visible').click();
      assert.deepEqual(await page.evaluate(brokenWords), [], 'words broken without a hyphen, menu open');
      const name = rel.replace(/\.html$/, '').replaceAll('/', '__');
      await page.screenshot({ path: artifactPath(`narrow/${name}-320.png`), fullPage: true });
    } finally {
      await context.close();
    }
  });
}
