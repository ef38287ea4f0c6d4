// Browser tier, issue 25.3: in the combined print views (a talk's guide and form; the whole
// handbook) every printed page carries the title of the part it prints in its running header,
// blank and filled in with long answers. PDFs and PNGs of every page go to
// artifacts/print-view-titles/: look at them. Run: cd tests/browser && node --test print-view-titles.test.mjs

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ARTIFACTS, fileUrl, launch, printPdf, sitePages } from './lib.mjs';

const artifacts = join(ARTIFACTS, 'print-view-titles');
const VIEWS = sitePages().filter((rel) => rel.endsWith('utskrift.html'));
let browser;

before(async () => {
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  browser = await launch();
});
after(async () => browser?.close());

const flat = (s) => s.replace(/\u00ad/g, '').replace(/\s+/g, ' ').trim();

for (const rel of VIEWS) {
  for (const filled of [false, true]) {
    test(`${rel}${filled ? ' filled in' : ''}: every printed page carries its part's title`, async () => {
      const page = await browser.newPage();
      try {
        await page.goto(fileUrl(rel));
        if (filled) {
          await page.evaluate(() => {
            let n = 0;
            for (const c of document.querySelectorAll('.hb-form input[type="text"], .hb-form textarea')) {
              n++;
              c.value = c.closest('.hb-area')
                ? Array.from({ length: 14 }, (_, i) => `Svar ${n} rad ${i}: Enheten för hemtjänsten och hemsjukvården i Sörhaga`).join('\n')
                : `Svar ${n}: Enheten för hemtjänsten och hemsjukvården i Sörhaga`;
            }
          });
        }
        const parts = await page.$$eval('.print-part > h1', (hs) => hs.map((h) => h.textContent));
        const name = `${rel.replace(/\.html$/, '').replaceAll('/', '__')}${filled ? '-filled' : ''}`;
        const { texts } = await printPdf(page, join(artifacts, `${name}.pdf`), { png: true });
        // The part a page prints: the last part whose title (its h1) has been printed by then.
        let current = -1;
        texts.forEach((text, i) => {
          const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
          const header = flat(lines[0] ?? '');
          const body = lines.slice(1).map(flat);
          // A part that starts on this page starts at its top (each part begins a new sheet).
          const starting = parts.findIndex((t, k) => k > current && body.slice(0, 3).some((l) => l.startsWith(flat(t))));
          if (starting >= 0) current = starting;
          assert.ok(current >= 0, `${rel}, page ${i + 1}: no part has begun`);
          assert.ok(header.startsWith(flat(parts[current])), `${rel}, page ${i + 1}: running title "${header}", not "${flat(parts[current])}"`);
        });
      } finally {
        await page.close();
      }
    });
  }
}
