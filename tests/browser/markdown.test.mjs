// Markdown as HR writes it, in a real browser: a page with a checklist, every kind of note box,
// a definition list, footnotes and links to ids (tests/fixtures/valid/markdown), checked with
// axe in light and dark at 1280 and 320 px, with the keyboard, and printed to PDF.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { artifactPath, fixtureSite, formatViolations, launch, openPage, runAxe } from './lib.mjs';

let browser;
let url;
before(async () => {
  browser = await launch();
  url = pathToFileURL(join(fixtureSite('markdown'), 'index.html')).href;
});
after(async () => {
  await browser?.close();
});

for (const colorScheme of ['light', 'dark']) {
  for (const width of [1280, 320]) {
    test(`axe finds nothing on checklists, notes, terms and footnotes (${colorScheme}, ${width}px)`, async () => {
      const { page, context, consoleErrors, foreignRequests } = await openPage(browser, url, { width, colorScheme });
      try {
        // Before axe, whose own requests for the stylesheets log errors from file://.
        assert.deepEqual(consoleErrors, []);
        assert.deepEqual(foreignRequests, []);
        const results = await runAxe(page);
        assert.equal(results.violations.length, 0, `\n${formatViolations(results.violations)}`);
        const scroll = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(scroll <= 0, `scrolls sideways by ${scroll}px`);
        await page.screenshot({ path: artifactPath(`markdown-${colorScheme}-${width}.png`), fullPage: true });
      } finally {
        await context.close();
      }
    });
  }
}

test('checklist items are checkboxes named by their text, ticked with Space, nothing sent', async () => {
  const { page, context } = await openPage(browser, url);
  try {
    const first = page.getByRole('checkbox', { name: 'Boka rum för introduktionssamtalet' });
    assert.equal(await first.isChecked(), false);
    await first.focus();
    await page.keyboard.press('Space');
    assert.equal(await first.isChecked(), true, 'Space ticks the box');
    assert.equal(await page.getByRole('checkbox', { name: /Skicka kallelse/ }).isChecked(), true);
    // The note boxes are notes with their kind as visible text.
    const notes = page.getByRole('note');
    assert.equal(await notes.count(), 5);
    assert.equal((await notes.first().innerText()).split('\n')[0], 'Observera');
  } finally {
    await context.close();
  }
});

test('a footnote reference leads to its note and the note back to the text', async () => {
  const { page, context } = await openPage(browser, url);
  try {
    await page.locator('sup.fotnot-ref a').first().click();
    assert.equal(await page.evaluate(() => location.hash), '#fotnot-1');
    assert.match(await page.locator('#fotnot-1').innerText(), /Allmänna bestämmelser/);
    await page.locator('#fotnot-1 a.fotnot-tillbaka').click();
    assert.equal(await page.evaluate(() => location.hash), '#fotnot-ref-1');
  } finally {
    await context.close();
  }
});

test('printed, the checklist shows empty and ticked boxes and the notes keep their titles', async () => {
  const { page, context } = await openPage(browser, url);
  try {
    const pdf = artifactPath('markdown-print.pdf');
    await page.pdf({ path: pdf, format: 'A4', printBackground: true });
    const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString();
    assert.match(text, /✓\s+Skicka kallelse/, 'the ticked item prints its tick');
    for (const title of ['Observera', 'Tips', 'Viktigt', 'Varning', 'Se upp', 'Fotnoter']) {
      assert.ok(text.includes(title), `${title} is on paper`);
    }
    execFileSync('pdftoppm', ['-png', '-r', '60', pdf, artifactPath('markdown-print')]);
  } finally {
    await context.close();
  }
});
