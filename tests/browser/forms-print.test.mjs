// Browser tier, forms filled in and printed: every form page and print view of the shipped
// handbook with every writing area holding 0 lines, as many lines as it has, and twice that many
// (typed lines of 85 characters with å, ä and ö; the other fields filled in too), printed from
// Chromium to PDF (page.pdf after `beforeprint`, as a browser fires it). Checks:
// - the typed text is on the area's own ruled lines, one typed line per ruled line (85
//   characters fit at print size), and an area gets extra lines only for lines its text needs;
// - every typed line is in the PDF's text;
// - no field label is the last line of a printed page (pdftotext);
// - the signature block (revision note, date, signature lines and captions, "Original till …")
//   is on one page and never alone there: content before it shares its page.
// Page counts go to artifacts/forms-print/page-counts.txt and PNGs of every printed page beside
// the PDFs: look at them. Run: cd tests/browser && node --test forms-print.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, contentLines, ensureSite, fileUrl, launch, printPdf, sitePages } from './lib.mjs';

const artifacts = join(ARTIFACTS, 'forms-print');
const FILLS = [
  { name: 'blank', factor: 0 },
  { name: 'filled', factor: 1 },
  { name: 'twice', factor: 2 },
];
const WORDS = ('Vi följer upp arbetsbelastningen varje månad och ser över fördelningen av uppgifter i ' +
  'gruppen så att ingen står ensam med för mycket. Chefen återkommer om kompetensutveckling före ' +
  'årsskiftet och vi prövar nya rutiner för återhämtning på arbetsplatsträffen.').split(' ');

/** Typed line `n`: exactly 85 characters, with å, ä and ö, unique by its number. */
function typedLine(n) {
  let line = `Rad ${n}: `;
  for (let i = n; line.length < 90; i++) line += `${WORDS[i % WORDS.length]} `;
  return line.slice(0, 84).trimEnd().padEnd(84, 'ö') + 'ä';
}

let browser;
const pages = sitePages().filter((rel) => readFileSync(join(ensureSite(), rel), 'utf8').includes('class="hb-form"'));
const counts = {};

before(async () => {
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  const report = Object.entries(counts).map(([rel, c]) => `${rel}: ${FILLS.map((f) => `${f.name} ${c[f.name]}`).join(', ')}`);
  writeFileSync(join(artifacts, 'page-counts.txt'), report.join('\n') + '\n');
});

/** Fill every writing area with `factor` × its lines, and (when filling) every other field. */
async function fill(page, factor) {
  const areas = await page.$$eval('.hb-area textarea', (ts) => ts.map((t) => ({ id: t.id, rows: t.rows })));
  const typed = {};
  let n = 1;
  for (const { id, rows } of areas) {
    typed[id] = Array.from({ length: rows * factor }, () => typedLine(n++));
    await page.fill(`#${id}`, typed[id].join('\n'));
  }
  if (factor > 0) {
    await page.evaluate(() => {
      for (const input of document.querySelectorAll('.hb-form input[type="text"]')) {
        const wide = input.closest('.hb-date, .hb-period, .hb-sign-date');
        input.value = input.closest('.hb-short') ? '26' : wide ? '2026-10-15' : 'Åsa Öberg';
      }
    });
  }
  return typed;
}

/** The texts of labels, legends and captions (without the screen-only date format). */
function labelTexts(page, blank) {
  return page.evaluate((blank) => {
    // Blank single-line fields print no text after their label, so only labels followed by
    // printed text can be told apart from their field in the PDF's text: areas (their ruled
    // lines are marked below), tables and groups; filled in, every field.
    const selector = blank
      ? '.hb-area > label, .hb-table caption, .hb-group > legend'
      : '.hb-field > label, .hb-field > legend, .hb-table caption, .hb-sign-date > label, .hb-part > label';
    return [...document.querySelectorAll(selector)].map((el) => {
      const copy = el.cloneNode(true);
      copy.querySelectorAll('.hb-format').forEach((f) => f.remove());
      return copy.textContent.replace(/\u00ad/g, '').replace(/\s+/g, ' ').trim();
    });
  }, blank);
}

/** Each signature block's texts (notes, date label, captions) and its captions alone. */
function signingTexts(page) {
  return page.$$eval('.hb-signing', (blocks) => {
    const text = (el) => {
      const copy = el.cloneNode(true);
      copy.querySelectorAll('.hb-format').forEach((f) => f.remove());
      return copy.textContent.replace(/\u00ad/g, '').replace(/\s+/g, ' ').trim();
    };
    return blocks.map((b) => ({
      parts: [...b.querySelectorAll('.hb-note p, .hb-sign-date > label, .hb-caption')].map(text),
      captions: [...b.querySelectorAll('.hb-caption')].map(text),
    }));
  });
}

const flat = (s) => s.replace(/\u00ad/g, '').replace(/\s+/g, ' ');

for (const rel of pages) {
  for (const { name, factor } of FILLS) {
    test(`${rel} printed ${name}`, async () => {
      const page = await browser.newPage();
      try {
        await page.goto(fileUrl(rel));
        const typed = await fill(page, factor);
        // Blank ruled lines hold no text; a mark on each lets pdftotext see where they are.
        if (factor === 0) await page.addStyleTag({ content: '@media print { .hb-rules > div:empty::after { content: "[linje]"; font-size: 6pt; } }' });
        const labels = await labelTexts(page, factor === 0);
        const signing = await signingTexts(page);
        const base = join(artifacts, `${rel.replace(/\.html$/, '').replaceAll('/', '__')}-${name}`);
        // Chromium fires `afterprint` after page.pdf: look at the areas as they are printed.
        await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
        const areas = await page.$$eval('.hb-area', (fields) =>
          fields.map((f) => ({
            id: f.querySelector('textarea').id,
            own: f.querySelectorAll('.hb-rules > div').length,
            // A filled area prints its lines from form.js's table; a blank one its own rules.
            lines: [...f.querySelectorAll(f.querySelector('.hb-print-lines') ? '.hb-print-lines td' : '.hb-rules > div')].map((d) => d.textContent),
          })),
        );
        const { pages: printed, texts } = await printPdf(page, `${base}.pdf`, { png: true });
        (counts[rel] ??= {})[name] = printed;

        // The typed text is on the area's own lines, one typed line per ruled line, and the
        // area has extra lines only for the text that needs them.
        for (const area of areas) {
          const want = typed[area.id];
          assert.equal(area.lines.length, Math.max(area.own, want.length), `${area.id}: ${area.lines.length} ruled lines for ${want.length} typed lines (own ${area.own})`);
          assert.deepEqual(area.lines.slice(0, want.length), want, `${area.id}: each typed line on its own ruled line`);
        }
        const all = flat(texts.join(' '));
        for (const line of Object.values(typed).flat()) assert.ok(all.includes(line), `typed line missing from the PDF: ${line}`);

        // No label ends a page.
        texts.forEach((text, i) => {
          const lines = contentLines(text);
          const last = (lines[lines.length - 1] ?? '').replace(/-$/, '');
          const isLabel = labels.some((l) => l === last || l.endsWith(last) || (last.length >= 12 && l.includes(last)));
          assert.ok(!isLabel || i === texts.length - 1, `page ${i + 1} of ${rel} (${name}) ends with the label "${last}"`);
        });

        // Each signature block (in order; blocks may share their captions): on one page, with
        // other content before it on that page.
        const pageLines = texts.map(contentLines);
        let from = { page: 0, line: 0 };
        for (const { parts: block, captions } of signing) {
          const isCaptions = (l) => captions.every((c) => flat(l).includes(c));
          let at = null;
          for (let p = from.page; p < pageLines.length && !at; p++) {
            const i = pageLines[p].findIndex((l, k) => (p > from.page || k >= from.line) && isCaptions(l));
            if (i >= 0) at = { page: p, line: i };
          }
          assert.ok(at, `the signature captions of ${rel} (${name}) are in the PDF`);
          const lines = pageLines[at.page];
          const before = lines.slice(0, at.line);
          const pageText = flat(lines.join(' '));
          for (const part of block) assert.ok(pageText.includes(part), `page ${at.page + 1} of ${rel} (${name}) has the signature block's "${part}" with its captions`);
          const content = before.filter((l) => !block.some((t) => flat(l).trim().startsWith(t)));
          assert.ok(content.length > 0, `the signature block of ${rel} (${name}) stands alone on page ${at.page + 1}`);
          from = { page: at.page, line: at.line + 1 };
        }
      } finally {
        await page.close();
      }
    });
  }
}
