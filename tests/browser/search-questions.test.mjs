// Browser tier: the search lands on the answer (issue 24). Every question of
// search-questions.json and search-questions-blind.json, typed into the search of the shipped handbook in headless Chromium,
// from file:// and over http: the first result is the expected page and section, its snippet
// marks the words, and after the click the page marks them, scrolls the answer onto the screen
// and drops `sok` from the address. A question the handbook cannot answer gets no result. Also:
// a page opened without a search marks nothing, "Rensa markering" clears the marks, and a marked
// page is axe clean.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS, WCAG_TAGS } from './lib.mjs';
import { buildSite, openOn, removeSite, searchFor, serve } from './search-site.mjs';

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const load = (file) => JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')).questions;
// The blind set (written from the content before the ranking code was read) and the first set,
// whose questions the blind set repeats are left out rather than run twice.
const blind = load('./search-questions-blind.json');
const questions = [...load('./search-questions.json').filter((q) => !blind.some((b) => b.q === q.q)), ...blind];

let browser;
let server;
let site;
let httpBase;

before(async () => {
  site = buildSite();
  server = await serve(site);
  httpBase = `http://127.0.0.1:${server.address().port}/`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

after(async () => {
  await browser?.close();
  await new Promise((ok) => (server ? server.close(ok) : ok()));
  removeSite(site);
});

/** Click the first result and wait until the page has marked and scrolled; what the reader sees. */
async function land(page, section, pattern) {
  await page.click('.search-list > li:first-child .search-result-title');
  await page.waitForSelector('main[data-search-landed]');
  // The status is written two frames after the landing, so a screen reader hears it: wait for it.
  await page.waitForFunction(() => document.querySelector('.search-landing [role="status"]')?.textContent);
  // The page has scrolled: the answer comes into view without anything else happening first.
  await page.waitForFunction(() => [...document.querySelectorAll('main mark')]
    .some((m) => { const r = m.getBoundingClientRect(); return r.top >= 0 && r.bottom <= innerHeight; }), null, { timeout: 2000 })
    .catch(() => {});
  return page.evaluate(([id, source]) => {
    const re = new RegExp(source, 'iu');
    const main = document.querySelector('main');
    const start = id ? document.getElementById(id) : null;
    const level = start && /^H[1-6]$/.test(start.nodeName) ? +start.nodeName[1] : 7;
    const end = start && [...main.querySelectorAll('h1,h2,h3,h4,h5,h6')]
      .find((h) => (start.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_FOLLOWING) && +h.nodeName[1] <= level);
    const inSection = (m) => (!start || (start.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING)) &&
      (!end || (end.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_PRECEDING));
    const marks = [...main.querySelectorAll('mark')];
    const answer = marks.filter((m) => re.test(m.textContent.replace(/\u00ad/g, '')) && inSection(m));
    const onScreen = answer.some((m) => {
      const r = m.getBoundingClientRect();
      return r.top >= 0 && r.bottom <= innerHeight && r.width > 0;
    });
    return {
      search: location.search,
      hash: decodeURIComponent(location.hash.slice(1)),
      marks: marks.map((m) => m.textContent.replace(/\u00ad/g, '')),
      answerMarked: answer.length,
      onScreen,
      status: document.querySelector('.search-landing [role="status"]')?.textContent ?? null,
    };
  }, [section, pattern]);
}

for (const [name, base] of [['file://', () => pathToFileURL(site).href + '/'], ['http', () => httpBase]]) {
  describe(`questions over ${name}`, () => {
    for (const q of questions) {
      test(`"${q.q}" ${q.none ? 'has no answer' : `lands on ${q.page}#${q.section}`}`, async () => {
        const { context, page, errors } = await openOn(browser, base(), 'index.html');
        try {
          const r = await searchFor(page, q.q);
          if (q.none) {
            assert.equal(r.titles.length, 0, `results for ${q.q}: ${r.titles}`);
            assert.match(r.status, /^Inga träffar för ”.+”$/);
            return;
          }
          const [path, hash = ''] = r.hrefs[0].split('#');
          const [file, query = ''] = path.split('?');
          assert.equal(file, q.page, `first result for ${q.q}: ${r.hrefs.slice(0, 3).join(' | ')}`);
          assert.equal(hash, q.section, `section for ${q.q}: ${r.hrefs[0]}`);
          assert.match(query, /^sok=/);
          const mark = new RegExp(q.mark, 'iu');
          assert.ok(r.snippets[0].some((m) => mark.test(m.replace(/\u00ad/g, ''))),
            `the snippet marks ${q.mark}: ${r.snippets[0]}`);
          const landed = await land(page, q.section, q.mark);
          assert.equal(landed.search, '', 'sok is taken out of the address');
          assert.equal(landed.hash, q.section);
          assert.ok(landed.answerMarked > 0, `${q.mark} marked in the section: ${landed.marks}`);
          assert.ok(landed.onScreen, `${q.mark} on screen after the click`);
          assert.match(landed.status, /^Sökorden är markerade på \d+ ställen\. Du är (i avsnittet|på sidan) ”.+”\.$/);
          assert.deepEqual(errors, []);
        } finally {
          await context.close();
        }
      });
    }

    test('a page opened without a search marks nothing and loads no marking code', async () => {
      const { context, page } = await openOn(browser, base(), 'medarbetarpolicy/arbetsmiljo-och-halsa.html#har-du-dessutom-ett-uppdrag-som-chef');
      await page.waitForLoadState('load');
      assert.equal(await page.locator('main mark').count(), 0);
      assert.equal(await page.locator('.search-landing').count(), 0);
      assert.equal(await page.locator('script[src$="mark.js"]').count(), 0);
      await context.close();
    });

    test('"Rensa markering" removes every mark and says so', async () => {
      const { context, page } = await openOn(browser, base(),
        'medarbetarpolicy/lon-och-kompetensforsorjning.html?sok=l%C3%B6ne%C3%B6versynen,l%C3%B6neutveckling#har-du-dessutom-ett-uppdrag-som-chef');
      await page.waitForSelector('main[data-search-landed]');
      const before = (await page.locator('main mark').allTextContents()).map((t) => t.replace(/\u00ad/g, ''));
      assert.ok(before.includes('löneöversynen') && before.includes('löneutveckling'), before.join(','));
      const words = () => page.evaluate(() => document.querySelector('main article, main').textContent.replace(/\s+/g, ' '));
      const text = await words();
      await page.getByRole('button', { name: 'Rensa markering' }).click();
      assert.equal(await page.locator('main mark').count(), 0);
      await page.waitForFunction(() => document.querySelector('.search-landing [role="status"]').textContent === 'Markeringen är borttagen.');
      assert.equal(await page.locator('.search-landing button').count(), 0, 'the button goes with the marks');
      const strip = (t) => t.replace(/Sökorden är markerade[^.]*\.[^.]*\.|Markeringen är borttagen\.|Rensa markering/g, '');
      assert.equal(strip(await words()), strip(text), 'the text is as it was, only unmarked');
      await context.close();
    });
  });
}

describe('accessibility of the landing', () => {
  for (const colorScheme of ['light', 'dark']) {
    test(`a page with marks is axe clean (${colorScheme})`, async () => {
      const { context, page } = await openOn(browser, httpBase,
        'medarbetarpolicy/arbetsmiljo-och-halsa.html?sok=arbetsmilj%C3%B6arbete,chef#har-du-dessutom-ett-uppdrag-som-chef', { colorScheme });
      await page.waitForSelector('main[data-search-landed]');
      await page.addScriptTag({ content: AXE_SOURCE });
      const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), WCAG_TAGS);
      assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`), []);
      await context.close();
    });
  }
});
