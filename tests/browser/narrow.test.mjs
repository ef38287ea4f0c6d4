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

test('the year timeline is readable at 320, 768 and 1280 px, with its periods in words', async () => {
  const rel = pages.find((p) => /medarbetarsamtal\/index\.html$/.test(p));
  assert.ok(rel, 'the shipped handbook has a year wheel on medarbetarsamtal/index.html');
  for (const width of [320, 768, 1280]) {
    const { page, context } = await openPage(browser, rel, { width, height: 900 });
    try {
      const r = await page.evaluate(() => {
        const box = (el) => el.getBoundingClientRect();
        const overlap = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
        const chart = document.querySelector('.yw-chart');
        const labels = [...chart.querySelectorAll('.yw-row:not(.yw-head) .yw-label')];
        const bars = [...chart.querySelectorAll('.yw-bar')];
        const months = [...chart.querySelectorAll('.yw-month')];
        return {
          hidden: chart.getAttribute('aria-hidden'),
          smallest: Math.min(...[...labels, ...months].map((el) => parseFloat(getComputedStyle(el).fontSize))),
          labelsOverBars: labels.flatMap((l) => bars.filter((b) => overlap(box(l), box(b))).map(() => l.textContent)),
          labelsOutside: labels.filter((l) => box(l).right > box(chart).right + 0.5 || l.scrollWidth > l.clientWidth + 1).map((l) => l.textContent),
          monthsCut: months.filter((m) => m.scrollWidth > m.clientWidth + 1).map((m) => m.textContent),
          monthsOverlapping: months.some((m, i) => i > 0 && overlap(box(months[i - 1]), box(m))),
          rows: labels.length,
          words: [...document.querySelectorAll('.year-wheel-text li')].map((li) => li.textContent.replace(/\u00ad/g, '')),
        };
      });
      assert.equal(r.hidden, 'true', 'the drawing is hidden from screen readers; the list says the same');
      assert.ok(r.smallest >= 12, `${width}px: text in the timeline is ${r.smallest}px`);
      assert.deepEqual(r.labelsOverBars, [], `${width}px: labels over bars`);
      assert.deepEqual(r.labelsOutside, [], `${width}px: labels outside the timeline`);
      assert.deepEqual(r.monthsCut, [], `${width}px: month names cut`);
      assert.equal(r.monthsOverlapping, false, `${width}px: month names overlap`);
      assert.deepEqual(r.words, ['Medarbetaröverenskommelse: januari–april', 'Lönesamtal: januari–mars', 'Utvecklingssamtal: september–november']);
      assert.equal(r.rows, r.words.length, 'one row per period');
      await page.locator('.year-wheel').screenshot({ path: artifactPath(`narrow/year-wheel-${width}.png`) });
    } finally {
      await context.close();
    }
  }
});
