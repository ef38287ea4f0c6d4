// The search's Swedish words (themes/default/js/search-text.js): folding, stop words, stemming,
// how well a word matches, typo distance and the index's encodings, as a reader depends on them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { plain, searchParts } from './harness.mjs';

const T = searchParts().handbokSearchText;

test('folding lowercases and drops diacritics, one character for one', () => {
  assert.equal(T.fold('ÅRSLÖN'), 'arslon');
  assert.equal(T.fold('Arbetsmiljö'), 'arbetsmiljo');
  assert.equal(T.fold('idé, Müller, Señor, Ærø'), 'ide, muller, senor, aro');
  // Letters whose lower case is two characters stay as they are, so positions still match.
  const text = 'İstanbul ß Öl';
  assert.equal(T.fold(text).length, text.length);
  assert.equal(T.fold(text), 'İstanbul ß ol');
});

test('the words of a text keep where they stand in the original', () => {
  const text = 'Lön, löneöversyn! (§ 5)';
  const words = plain(T.wordsAt(text));
  assert.deepEqual(words.map((w) => w.w), ['lon', 'loneoversyn', '5']);
  for (const w of words) { assert.equal(T.fold(text.slice(w.at, w.end)), w.w); }
});

test('stop words are the folded Swedish ones the index leaves out', () => {
  for (const w of ['och', 'att', 'for', 'pa', 'nar', 'fran']) { assert.ok(T.STOP.includes(w), w); }
  for (const w of ['lon', 'semester', 'och-så']) { assert.ok(!T.STOP.includes(w), w); }
});

test('stemming strips one inflectional ending and keeps short words whole', () => {
  assert.equal(T.stem('lonen'), 'lon');
  assert.equal(T.stem('samtalet'), 'samtal');
  assert.equal(T.stem('loneoversynen'), 'loneoversyn');
  assert.equal(T.stem('medarbetarsamtalet'), 'medarbetarsamtal');
  assert.equal(T.stem('sjukdomar'), 'sjukdom');
  assert.equal(T.stem('lon'), 'lon');
  assert.equal(T.stem('ars'), 'ars');
});

test('the word typed beats an inflection, a derived word and a compound, in that order', () => {
  assert.equal(T.level('lon', 'lon', 'lon'), 1);
  assert.equal(T.level('lonen', 'lon', 'lon'), 0.95);
  assert.equal(T.quality('sjukdom', 'sjuk'), 0.85);
  assert.equal(T.quality('sjukvard', 'sjuk'), 0.6);
  // A compound is a kind of its last part: a medarbetarsamtal is a samtal.
  assert.equal(T.quality('medarbetarsamtal', 'samtal'), 0.75);
  assert.equal(T.quality('semester', 'lon'), 0);
  // Two letters inside a word are no match at all.
  assert.equal(T.quality('salong', 'lo'), 0);
});

test('a typo one edit away is recognised: a letter dropped, added, changed or two swapped', () => {
  assert.ok(T.oneEdit('lonoversyn', 'loneoversyn'), 'lönöversyn → löneöversyn');
  assert.ok(T.oneEdit('semster', 'semester'));
  assert.ok(T.oneEdit('semesster', 'semester'));
  assert.ok(T.oneEdit('semestar', 'semester'));
  assert.ok(T.oneEdit('smeester', 'semester'));
  assert.ok(!T.oneEdit('sms', 'semester'));
  assert.ok(!T.oneEdit('lonesamtal', 'lonerevision'));
  assert.equal(T.distance('lonoversyn', 'loneoversyn', 2), 1);
  assert.equal(T.distance('foraldraledighet', 'foraldrarledigheten', 3), 3);
  // Past the limit it gives up with limit + 1.
  assert.equal(T.distance('abc', 'xyz', 1), 2);
});

test('the index numbers and front-coded lists decode as src/search/postings.rs writes them', () => {
  // 5 bits a character; the last character of a number from the second alphabet.
  assert.deepEqual(plain(T.numbers('gBhBAg')), [0, 33, 1024]);
  assert.deepEqual(plain(T.frontCoded('glon jen gsemester')), ['lon', 'lonen', 'semester']);
  assert.deepEqual(plain(T.frontCoded('')), []);
});

test('sorted lists are searched by their first entries', () => {
  const starts = ['a', 'f', 'lo', 'lon', 'm'];
  assert.equal(T.lowerBound(starts, 'lon'), 3);
  assert.equal(T.lastAtMost([0, 10, 20], 15), 1);
  // A key can run over a shard boundary: the shard before the first match is read too.
  assert.deepEqual(plain(T.covering(starts, 'lon')), [2, 3]);
  assert.deepEqual(plain(T.covering(starts, 'b')), [0]);
});
