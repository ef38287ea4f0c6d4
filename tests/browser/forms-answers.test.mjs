// Browser tier, issue 25: every typed word reaches paper. Each form page of the shipped handbook
// filled in with
// - the longest realistic answers: a 60-character unit name in every one-line field, 14 lines
//   in each writing area, a sentence in every table cell;
// - answers twice that long: 85 characters in every one-line field (the case), 28 lines
//   in each writing area, two sentences in every cell;
// printed from Chromium to PDF (pdftotext; soft hyphens and line-end hyphens joined back):
// every typed word is in the PDF, the signature lines are on the page of the last answer, and
// the realistic answers take at most one page more than the blank form. The same form printed
// from a phone (Chromium's mobile emulation) prints the same pages. On screen: writing areas
// and table cells grow as one types (no text scrolls inside a field, also on a phone); an
// answer longer than a printed page continues under "(forts.)" and its question; leaving a
// form that holds answers asks first. PNGs of every printed page go to
// artifacts/forms-answers/: look at them. Run: cd tests/browser && node --test forms-answers.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, contentLines, ensureSite, fileUrl, launch, printPdf, sitePages } from './lib.mjs';

const artifacts = join(ARTIFACTS, 'forms-answers');
const FORM_PAGES = sitePages().filter(
  (rel) => !rel.endsWith('utskrift.html') && readFileSync(join(ensureSite(), rel), 'utf8').includes('class="hb-form"'),
);
const WORDS = ('Vi följer upp arbetsbelastningen varje månad och ser över fördelningen av uppgifter i ' +
  'gruppen så att ingen står ensam med för mycket. Chefen återkommer om kompetensutveckling före ' +
  'årsskiftet och vi prövar nya rutiner för återhämtning på arbetsplatsträffen.').split(' ');
const PHONE = { viewport: { width: 393, height: 851 }, deviceScaleFactor: 2.75, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 900 } };

let browser;
const report = [];

before(async () => {
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  writeFileSync(join(artifacts, 'page-counts.txt'), report.join('\n') + '\n');
});

/** Text of `length` characters with å, ä and ö, starting with a marker unique to `n`. */
function answer(n, length) {
  let text = `Svar${n}: Enheten för hemtjänsten och hemsjukvården i Sörhaga `;
  for (let i = n; text.length < length + 20; i++) text += `${WORDS[i % WORDS.length]} `;
  return text.slice(0, length - 1).trimEnd().padEnd(length - 1, 'ö') + 'ä';
}

/** A sentence for table cell `n`. */
function sentence(n) {
  return `Cell${n}: Kursen i ${WORDS[n % WORDS.length]} genomfördes ${1 + (n % 28)} mars med hela arbetsgruppen på Nolhaga.`;
}

const FILLS = {
  realistic: { line: 60, lines: 14, sentences: 1 },
  twice: { line: 85, lines: 28, sentences: 2 },
};

/** Fill every control of the page; returns each answer in document order (ids with texts). */
async function fill(page, { line, lines, sentences }) {
  const controls = await page.$$eval('.hb-form input[type="text"], .hb-form textarea', (els) =>
    els.map((el) => ({ id: el.id, area: !!el.closest('.hb-area'), cell: !!el.closest('.hb-table'), short: !!el.closest('.hb-short') })),
  );
  const typed = [];
  let n = 1;
  for (const c of controls) {
    let value;
    if (c.short) value = '26';
    else if (c.area) value = Array.from({ length: lines }, () => answer(n++, 85)).join('\n');
    else if (c.cell) value = Array.from({ length: sentences }, () => sentence(n++)).join(' ');
    else value = answer(n++, line);
    await page.fill(`#${c.id}`, value);
    typed.push({ id: c.id, value });
  }
  return typed;
}

/** A PDF's words: soft hyphens dropped, hyphens at line ends joined to the next line's word. */
function pdfWords(texts) {
  const all = texts.join('\n').replace(/\u00ad/g, '').replace(/(\p{L})-\n\s*(\p{L})/gu, '$1$2');
  return all.split(/\s+/).filter(Boolean);
}

function missingWords(typedValues, words) {
  const have = new Map();
  for (const w of words) have.set(w, (have.get(w) ?? 0) + 1);
  const need = new Map();
  for (const v of typedValues) for (const w of v.split(/\s+/).filter(Boolean)) need.set(w, (need.get(w) ?? 0) + 1);
  return [...need].filter(([w, c]) => (have.get(w) ?? 0) < c).map(([w, c]) => `${w} ×${c - (have.get(w) ?? 0)}`);
}

async function printed(rel, fillName, options = DESKTOP, tag = '') {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  try {
    await page.goto(fileUrl(rel));
    const typed = fillName ? await fill(page, FILLS[fillName]) : [];
    // The answer just before each signature block: its field's id, in document order.
    const beforeSigning = await page.$$eval('.hb-signing', (blocks) =>
      blocks.map((b) => {
        const all = [...document.querySelectorAll('.hb-form input[type="text"], .hb-form textarea')];
        const own = all.filter((c) => b.contains(c) || b.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_PRECEDING);
        const last = own.filter((c) => !b.contains(c) || c.closest('.hb-short')).pop();
        return { last: last?.id ?? null, caption: b.querySelector('.hb-caption')?.textContent.trim() ?? null };
      }),
    );
    const base = join(artifacts, `${rel.replace(/\.html$/, '').replaceAll('/', '__')}-${fillName ?? 'blank'}${tag}`);
    const out = await printPdf(page, `${base}.pdf`, { png: true });
    return { ...out, typed, beforeSigning };
  } finally {
    await context.close();
  }
}

const pageOf = (texts, needle) => texts.findIndex((t) => t.replace(/\s+/g, ' ').includes(needle));

for (const rel of FORM_PAGES) {
  test(`${rel}: every word of long answers is printed, signatures with the last answer`, async () => {
    const blank = await printed(rel, null);
    const counts = [`${rel}: blank ${blank.pages}`];
    for (const name of Object.keys(FILLS)) {
      const { pages, texts, typed, beforeSigning } = await printed(rel, name);
      counts.push(`${name} ${pages}`);
      const missing = missingWords(typed.map((t) => t.value), pdfWords(texts));
      assert.deepEqual(missing, [], `${rel} (${name}): typed words missing from the PDF`);
      for (const { last, caption } of beforeSigning) {
        const answerText = typed.find((t) => t.id === last)?.value;
        if (!answerText || !caption) continue;
        // The last words of the last answer and the signature captions share a page.
        const tail = answerText.split(/\s+/).slice(-2).join(' ');
        const answerPage = texts.findLastIndex((t) => t.replace(/\s+/g, ' ').includes(tail));
        const signPage = pageOf(texts, caption);
        assert.ok(signPage >= 0 && answerPage >= 0, `${rel} (${name}): answer "${tail}" on ${answerPage + 1}, signatures on ${signPage + 1}`);
        assert.equal(signPage, answerPage, `${rel} (${name}): the signatures are on page ${signPage + 1}, the last answer on page ${answerPage + 1}`);
      }
      // "(forts.)" only ever opens a page.
      texts.forEach((text, i) => {
        const lines = contentLines(text);
        lines.forEach((l, k) => assert.ok(!l.startsWith('(forts.)') || k === 0, `${rel} (${name}) page ${i + 1}: "(forts.)" inside the page`));
      });
      // Realistic answers take at most one page more than the blank form, on every form page:
      // also the samtalsguide, whose twelve note areas of four lines each get fourteen.
      if (name === 'realistic') {
        assert.ok(pages <= blank.pages + 1, `${rel}: realistic answers take ${pages} pages, the blank form ${blank.pages}`);
      }
    }
    report.push(counts.join(', '));
  });
}

test('a form printed from a phone prints as from a desktop', async () => {
  const rel = 'medarbetarsamtal/medarbetaroverenskommelse.html';
  const desktop = await printed(rel, 'realistic', DESKTOP);
  const phone = await printed(rel, 'realistic', PHONE, '-phone');
  report.push(`${rel}: desktop ${desktop.pages}, phone ${phone.pages}`);
  assert.equal(phone.pages, desktop.pages);
  phone.texts.forEach((text, i) => {
    assert.deepEqual(pdfWords([text]), pdfWords([desktop.texts[i]]), `page ${i + 1}: the phone prints other words than the desktop`);
  });
});

test('an answer longer than a printed page continues under "(forts.)" and its question', async () => {
  const rel = 'medarbetarsamtal/utvecklingssamtal.html';
  const page = await browser.newPage();
  try {
    await page.goto(fileUrl(rel));
    const id = await page.$eval('.hb-area textarea', (t) => t.id);
    const question = await page.$eval(`label[for="${id}"]`, (l) => l.textContent.replace(/\u00ad/g, '').trim());
    const lines = Array.from({ length: 100 }, (_, i) => answer(1000 + i, 85));
    await page.fill(`#${id}`, lines.join('\n'));
    const { texts } = await printPdf(page, join(artifacts, 'forts.pdf'), { png: true });
    const missing = missingWords(lines, pdfWords(texts));
    assert.deepEqual(missing, []);
    // Every page after the first that holds lines of the answer opens with "(forts.)".
    const holding = texts.map((t, i) => i).filter((i) => lines.some((l) => texts[i].includes(l.slice(0, 10))));
    for (const i of holding.slice(1)) assert.ok(contentLines(texts[i])[0]?.startsWith('(forts.)'), `page ${i + 1} continues the answer without "(forts.)"`);
    const continued = texts.map(contentLines).filter((l) => l[0]?.startsWith('(forts.)'));
    assert.ok(continued.length >= 2, `100 lines continue on at least two pages: ${continued.length}`);
    const flat = (t) => t.replace(/\s+/g, ' ').trim();
    for (const l of continued) assert.ok(flat(l.join(' ')).startsWith(flat(`(forts.) ${question}`)), `a continued page opens with "(forts.) ${question}": ${l.slice(0, 3)}`);
    // Each line printed once, in order.
    const all = texts.join('\n').replace(/\s+/g, ' ');
    let at = 0;
    for (const l of lines) {
      const found = all.indexOf(l, at);
      assert.ok(found >= at, `line printed in order: ${l.slice(0, 12)}`);
      at = found + l.length;
    }
  } finally {
    await page.close();
  }
});

test('writing areas and table cells grow as one types, also on a phone', async () => {
  for (const options of [DESKTOP, PHONE]) {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    try {
      await page.goto(fileUrl('medarbetarsamtal/medarbetaroverenskommelse.html'));
      const area = await page.$eval('.hb-area textarea', (t) => t.id);
      await page.click(`#${area}`);
      await page.keyboard.type(Array.from({ length: 9 }, (_, i) => `Rad ${i + 1} av svaret`).join('\n'));
      const cell = await page.$eval('.hb-table textarea', (t) => t.id);
      await page.click(`#${cell}`);
      await page.keyboard.type(sentence(3) + ' ' + sentence(4));
      const sizes = await page.evaluate(([a, c]) => {
        const m = (id) => {
          const el = document.getElementById(id);
          return { sh: el.scrollHeight, ch: el.clientHeight, sw: el.scrollWidth, cw: el.clientWidth };
        };
        const rules = document.getElementById(a).parentNode.querySelectorAll('.hb-rules > div').length;
        return { area: m(a), cell: m(c), rules };
      }, [area, cell]);
      const w = options.viewport.width;
      assert.ok(sizes.area.sh <= sizes.area.ch + 1, `${w}px: the area scrolls inside itself ${JSON.stringify(sizes.area)}`);
      assert.ok(sizes.rules >= 9, `${w}px: ${sizes.rules} ruled lines for 9 typed lines`);
      assert.ok(sizes.cell.sh <= sizes.cell.ch + 1, `${w}px: the cell scrolls inside itself ${JSON.stringify(sizes.cell)}`);
      assert.ok(sizes.cell.sw <= sizes.cell.cw + 1, `${w}px: the cell scrolls sideways ${JSON.stringify(sizes.cell)}`);
    } finally {
      await context.close();
    }
  }
});

test('leaving a form that holds answers asks first; an empty form leaves at once', async () => {
  const page = await browser.newPage();
  try {
    await page.goto(fileUrl('medarbetarsamtal/medarbetaroverenskommelse.html'));
    assert.ok(await page.isVisible('.hb-leave-note'), 'the form says that the browser asks before leaving');
    // Empty: no question.
    let asked = 0;
    page.on('dialog', (d) => {
      if (d.type() === 'beforeunload') asked++;
      d.dismiss();
    });
    const href = await page.$eval('main a[href$=".html"]', (a) => a.href);
    await page.click('#f1-namn');
    await Promise.all([page.waitForURL(href), page.click('main a[href$=".html"]')]);
    assert.equal(asked, 0, 'an empty form leaves without a question');
    await page.goBack();
    await page.click('#f1-namn');
    await page.keyboard.type('Åsa Öberg');
    const dialog = page.waitForEvent('dialog');
    await page.click('main a[href$=".html"]', { noWaitAfter: true });
    const d = await dialog;
    assert.equal(d.type(), 'beforeunload');
    assert.match(page.url(), /medarbetaroverenskommelse\.html$/);
    assert.equal(await page.inputValue('#f1-namn'), 'Åsa Öberg', 'the answer is still there');
  } finally {
    await page.close({ runBeforeUnload: false });
  }
});
