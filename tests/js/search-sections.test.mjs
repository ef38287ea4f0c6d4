// Sections and snippets (themes/default/js/search-sections.js): which section of a page answers
// a query, which word forms the result's link carries, and where the snippet starts; and the
// whole engine (search-shards.js) over a built site's index when HANDBOK_SITE names one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import vm from 'node:vm';
import { plain, searchParts } from './harness.mjs';

const parts = searchParts();
const T = parts.handbokSearchText;
const S = parts.handbokSearchSections;

/** The clause of one typed word, as search-shards.js makes it. */
function clause(typed) {
  const word = T.fold(typed);
  return { word: { word, at: 0 }, alternatives: [{ stems: [T.stem(word)], words: [word], weight: 1 }] };
}

const PAGE = ['Lön och förmåner', 'lon.html', [], [
  ['', '', 'Här beskrivs lön och förmåner.'],
  ['semester', 'Semester', 'Du har rätt till 25 dagar semester varje år.'],
  ['lonesamtal', 'Lönesamtal', 'Chefen och medarbetaren för lönesamtalet en gång om året, före löneöversynen.'],
]];

test('the section that holds the word ranks first and the link carries the forms on the page', () => {
  const ranked = plain(S.rank(PAGE, [clause('lönesamtal')]));
  assert.equal(ranked.sections[0].block, 2);
  assert.ok(ranked.score > 0);
  assert.deepEqual(ranked.forms, ['lönesamtal', 'lönesamtalet']);
});

test('a section holding every word of the query beats one holding a single word', () => {
  const ranked = plain(S.rank(PAGE, [clause('semester'), clause('dagar')]));
  assert.equal(ranked.sections[0].block, 1);
  assert.equal(ranked.sections[0].coverage, 2);
});

test('a page without the word still ranks its top, with nothing to mark', () => {
  const ranked = plain(S.rank(PAGE, [clause('pension')]));
  assert.deepEqual(ranked.sections.map((s) => s.block), [0]);
  assert.deepEqual(ranked.forms, []);
});

test('a snippet starts at a word shortly before the best match and marks the word', () => {
  const text = 'Det här är en lång inledning om annat. '.repeat(6) + 'Här står det om löneöversynen och lönen.';
  const plan = plain(S.snippet(text, [clause('löneöversyn')], false));
  const at = text.indexOf('löneöversynen');
  assert.ok(plan.start > 0 && plan.start <= at - 40, `starts before the match: ${plan.start}`);
  assert.equal(text.charAt(plan.start - 1), ' ', 'starts at a word');
  assert.deepEqual(plan.marks, [[at, at + 'löneöversynen'.length]]);
  assert.equal(plan.end, text.length);
});

test('a heading snippet is the whole heading', () => {
  const plan = plain(S.snippet('Lönesamtal och löneöversyn', [clause('löneöversyn')], true));
  assert.equal(plan.start, 0);
  assert.equal(plan.end, 'Lönesamtal och löneöversyn'.length);
  assert.deepEqual(plan.marks, [[15, 26]]);
});

/* The engine needs an index: the shipped handbook built by `handbok build` (.ci/run sets it). */
const site = process.env.HANDBOK_SITE;
const index = site && `${site}/assets/search-index.js`;
test('on the shipped handbook, "lönöversyn" is corrected and finds the page about löneöversyn',
  { skip: index && existsSync(index) ? false : 'set HANDBOK_SITE to a built handbook' }, async () => {
    const engine = searchParts();
    vm.runInContext(readFileSync(index, 'utf8'), engine, { filename: index });
    await engine.handbokSearchEngine.load();
    const found = await engine.handbokSearchEngine.search('lönöversyn');
    assert.ok(found.corrected, 'the typo is corrected');
    assert.ok(found.count > 0, 'something is found');
    const top = plain(found.shown[0]);
    assert.match(JSON.stringify(top), /löneöversyn/i, 'the first result is about löneöversyn');
    const nothing = await engine.handbokSearchEngine.search('xqzvwk');
    assert.equal(nothing.count, 0);
    assert.deepEqual(plain(nothing.missing), ['xqzvwk']);
  });
