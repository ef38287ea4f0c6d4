// The landing of a search result (themes/default/js/mark.js) in a page: the word forms in the
// address are marked as whole words (soft hyphens and case aside), never inside scripts, buttons
// or navigation, the address forgets them, and the reader lands in the linked section.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { page, source, until } from './harness.mjs';

const BODY = `<form class="site-search" data-mark-clear="Rensa markering"
    data-mark-landed="{n} träffar, i {s}" data-mark-top="{n} träffar på sidan {s}"></form>
  <nav><a href="#">Lönesamtal</a></nav>
  <main tabindex="-1">
    <h1>Lönesamtal</h1>
    <p>Inledning om lönesamtal och löneöversynen.</p>
    <h2 id="infor">Inför lönesamtalet</h2>
    <p>Ett LÖNESAMTAL hålls före löne\u00adöversynen. Lönesamtalsmallen är något annat.</p>
    <button>lönesamtal</button><script>var lönesamtal = 1;</script>
    <h2 id="sedan">Efter</h2>
    <p>Sedan lönesamtal igen.</p>
  </main>`;

async function land(url) {
  const window = page(BODY, url);
  window.eval(source('themes/default/js/mark.js'));
  const main = window.document.querySelector('main');
  await until(window, () => main.hasAttribute('data-search-landed'), 'the page lands');
  return window;
}

test('the forms in the address are marked as whole words, soft hyphens and case aside', async () => {
  const window = await land('file:///handbok/lon.html?sok=l%C3%B6nesamtal,l%C3%B6ne%C3%B6versynen#infor');
  const marks = [...window.document.querySelectorAll('mark.search-hit')];
  assert.deepEqual(marks.map((m) => m.textContent), [
    'Lönesamtal', 'lönesamtal', 'löneöversynen', 'LÖNESAMTAL', 'löne\u00adöversynen', 'lönesamtal',
  ]);
  // Not inside a longer word, a button, a script or the navigation.
  assert.ok(window.document.body.textContent.includes('Lönesamtalsmallen'));
  assert.equal(window.document.querySelector('button').children.length, 0);
  assert.equal(window.document.querySelector('nav mark'), null);
});

test('the reader lands on the first form in the linked section, past the page title', async () => {
  const window = await land('http://127.0.0.1/handbok/lon.html?sok=l%C3%B6nesamtal#infor');
  const first = window.scrolledTo[0];
  assert.equal(first.textContent, 'LÖNESAMTAL');
  assert.equal(first.closest('p').previousElementSibling.id, 'infor');
  const status = window.document.querySelector('.search-landing-status');
  await until(window, () => status.textContent !== '', 'the status is written');
  assert.equal(status.textContent, '4 träffar, i ”Inför lönesamtalet”');
  // The address forgets the words: a reload or a copied link shows the page as it is.
  assert.equal(window.location.href, 'http://127.0.0.1/handbok/lon.html#infor');
});

test('"Rensa markering" takes every mark away and leaves the text as it was', async () => {
  const window = await land('http://127.0.0.1/handbok/lon.html?x=1&sok=l%C3%B6nesamtal');
  assert.equal(window.location.search, '?x=1');
  const texts = () => [...window.document.querySelectorAll('main h1, main h2, main p')]
    .filter((e) => !e.closest('.search-landing')).map((e) => e.textContent);
  const before = texts();
  window.document.querySelector('.search-landing-clear').click();
  assert.equal(window.document.querySelectorAll('mark').length, 0);
  assert.deepEqual(texts(), before);
  // The text is whole again, one text node a paragraph, as before the marks.
  assert.equal(window.document.querySelector('main h1').nextElementSibling.childNodes.length, 1);
});

test('an address without forms, or with forms past the bounds, marks nothing harmful', async () => {
  const window = page(BODY, 'http://127.0.0.1/handbok/lon.html#infor');
  window.eval(source('themes/default/js/mark.js'));
  assert.equal(window.document.querySelectorAll('mark').length, 0);
  const long = 'l'.repeat(65);
  const many = Array.from({ length: 30 }, (_, i) => `ord${i}`).join(',');
  const bounded = page(BODY, `file:///handbok/lon.html?sok=${long},%E0%A4%A,${many},l%C3%B6nesamtal`);
  bounded.eval(source('themes/default/js/mark.js'));
  // Only the first 20 forms are read: lönesamtal, 21st, is not among them.
  assert.equal(bounded.document.querySelectorAll('mark').length, 0);
});
