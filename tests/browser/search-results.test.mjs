// Browser tier: what a search result offers besides its title (issue 24). From file:// and over
// http, on the shipped handbook in headless Chromium:
// - the sub-result links: up to three sections per result, each with its heading, its own
//   snippet with the matched words marked, and a link carrying `?sok=…#anchor` that lands on
//   that section with the words marked there and on screen;
// - "Menade du": a misspelt word the handbook has in no form says "Inga träffar för …" and
//   offers the nearest real words as buttons; clicking one searches for it in place of the
//   misspelt word and finds the page.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './lib.mjs';
import { buildSite, openOn, removeSite, searchFor, serve } from './search-site.mjs';

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

const fold = (s) => s.replace(/\u00ad/g, '').toLowerCase().replace(/[åä]/g, 'a').replace(/ö/g, 'o');
const clean = (s) => s.replace(/\u00ad/g, '').replace(/^#/, '').trim();

/** Every result as the reader sees it: its links (title first, then the sub-results), each
 * with its text, address and the words marked in its heading and snippet. */
function resultsOf(page) {
  return page.evaluate(() => [...document.querySelectorAll('.search-list > li')].map((li) => {
    const title = li.querySelector(':scope > .search-result-title');
    const own = [...li.querySelectorAll(':scope > .search-where mark, :scope > .search-snippet mark')];
    const subs = [...li.querySelectorAll(':scope > .search-sections > li')].map((item) => ({
      text: item.querySelector('a.search-section').textContent,
      href: item.querySelector('a.search-section').getAttribute('href'),
      snippet: item.querySelector('.search-snippet')?.textContent ?? '',
      marks: [...item.querySelectorAll('.search-snippet mark')].map((m) => m.textContent),
    }));
    return {
      text: title.textContent,
      href: title.getAttribute('href'),
      snippet: li.querySelector(':scope > .search-snippet')?.textContent ?? '',
      marks: own.map((m) => m.textContent),
      subs,
    };
  }));
}

/** An address of a result split into page, word forms to mark and anchor. */
function parts(href) {
  const [path, hash = ''] = href.split('#');
  const [file, query = ''] = path.split('?');
  const sok = /^sok=(.*)$/.exec(query);
  return { file, forms: sok ? decodeURIComponent(sok[1]).split(',') : null, anchor: decodeURIComponent(hash) };
}

for (const [name, base] of [['file://', () => pathToFileURL(site).href + '/'], ['http', () => httpBase]]) {
  describe(`search results over ${name}`, () => {
    test('a result offers up to three sections, each with its heading, own snippet and marked words', async () => {
      const { context, page, errors } = await openOn(browser, base(), 'index.html');
      try {
        await searchFor(page, 'arbetsmiljo');
        const results = await resultsOf(page);
        assert.ok(results.length >= 3, `results: ${results.map((r) => r.href)}`);
        for (const r of results) {
          assert.ok(1 + r.subs.length <= 3, `at most three sections for ${r.text}: ${r.subs.length + 1}`);
        }
        const withSubs = results.filter((r) => r.subs.length === 2);
        assert.ok(withSubs.length >= 1, 'some result shows two more sections of its page');
        for (const r of withSubs) {
          const title = parts(r.href);
          // A section is a heading's anchor, or '' for the page's text before its first heading.
          const anchors = [title.anchor, ...r.subs.map((s) => parts(s.href).anchor)];
          assert.equal(new Set(anchors).size, 3, `three different sections of ${r.text}: ${anchors}`);
          for (const s of r.subs) {
            const to = parts(s.href);
            assert.equal(to.file, title.file, `a sub-result links into its own page: ${s.href}`);
            assert.ok(to.forms?.length && to.forms.every((f) => fold(f).includes('arbetsmilj')),
              `the link carries the forms that matched: ${s.href}`);
            assert.ok(clean(s.text).length > 0, 'the link is the section heading');
            assert.ok(s.marks.length > 0 && s.marks.every((m) => fold(m).includes('arbetsmilj')),
              `its own snippet marks the words: ${s.marks}`);
            assert.notEqual(s.snippet, r.snippet, 'its snippet is its own, not the first section\'s');
          }
        }
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });

    test('a sub-result link lands on its section with the words marked and on screen', async () => {
      const { context, page, errors } = await openOn(browser, base(), 'index.html');
      try {
        await searchFor(page, 'arbetsmiljo');
        const results = await resultsOf(page);
        const sub = results.flatMap((x) => x.subs).find((s) => parts(s.href).anchor);
        assert.ok(sub, 'a sub-result that links to a heading');
        const to = parts(sub.href);
        await page.click(`.search-list a.search-section[href="${sub.href}"]`);
        await page.waitForSelector('main[data-search-landed]');
        await page.waitForFunction(() => document.querySelector('.search-landing [role="status"]')?.textContent);
        const landed = await page.evaluate((id) => {
          const main = document.querySelector('main');
          const start = document.getElementById(id);
          const level = +start.nodeName[1];
          const end = [...main.querySelectorAll('h1,h2,h3,h4,h5,h6')]
            .find((h) => (start.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_FOLLOWING) && +h.nodeName[1] <= level);
          const inSection = (m) => (start.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_FOLLOWING) &&
            (!end || (end.compareDocumentPosition(m) & Node.DOCUMENT_POSITION_PRECEDING));
          const marks = [...main.querySelectorAll('mark')].filter(inSection);
          return {
            path: location.pathname,
            search: location.search,
            hash: decodeURIComponent(location.hash.slice(1)),
            heading: start.textContent,
            marked: marks.map((m) => m.textContent.replace(/\u00ad/g, '')),
            onScreen: marks.some((m) => { const b = m.getBoundingClientRect(); return b.top >= 0 && b.bottom <= innerHeight && b.width > 0; }),
            status: document.querySelector('.search-landing [role="status"]').textContent,
          };
        }, to.anchor);
        assert.ok(landed.path.endsWith('/' + to.file), `${landed.path} is ${to.file}`);
        assert.equal(landed.hash, to.anchor);
        assert.equal(landed.search, '', 'sok is taken out of the address');
        assert.equal(clean(landed.heading), clean(sub.text), 'the link said which section it opens');
        assert.ok(landed.marked.length > 0 && landed.marked.every((m) => fold(m).includes('arbetsmilj')), `marks: ${landed.marked}`);
        assert.ok(landed.onScreen, 'a marked word of the section is on screen');
        assert.match(landed.status, /^Sökorden är markerade på \d+ ställen\. Du är i avsnittet ”(.+)”\.$/);
        assert.ok(landed.status.includes(`”${clean(sub.text)}”`), `the status names the section as the link did: ${landed.status}`);
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });

    test('"Menade du" offers real words for a misspelt one; a click searches for it and finds the page', async () => {
      const { context, page, errors } = await openOn(browser, base(), 'index.html');
      try {
        const r = await searchFor(page, 'chef trevsal');
        assert.equal(r.titles.length, 0, `no results for a word the handbook does not have: ${r.titles}`);
        assert.equal(r.status, 'Inga träffar för ”trevsal”', 'the status names the word the handbook does not have');
        const box = page.locator('.search-suggestions');
        assert.ok(await box.isVisible(), 'the suggestions are shown');
        assert.match(await box.textContent(), /^Menade du: /);
        assert.ok(r.suggestions.includes('trivsel'), `suggestions: ${r.suggestions}`);
        await page.getByRole('button', { name: 'trivsel', exact: true }).click();
        assert.equal(await page.inputValue('#sok'), 'chef trivsel', 'the suggestion replaces the misspelt word only');
        await page.waitForFunction(() => document.querySelector('.search-panel').dataset.query === 'chef trivsel');
        const results = await resultsOf(page);
        assert.ok(results.length > 0, 'the suggested word finds pages');
        const first = results[0].marks.map(fold);
        assert.ok(first.some((m) => m.startsWith('trivsel')) && first.some((m) => m.startsWith('chef')),
          `the first result shows both words marked: ${results[0].marks}`);
        assert.equal(await box.isVisible(), false, 'the suggestions go once they are used');
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  });
}
