/* handbok search, part 1 of 4: Swedish words. Folding, stop words, stemming, how well a word of
 * the handbook matches a word of the query, and the index's number and list encodings (the
 * format is documented in src/search/mod.rs). No DOM and no loading here: pure functions, shared
 * by search-shards.js, search-sections.js and search.js as window.handbokSearchText. Loaded with
 * the other parts, in order, by the small script in search.html. */
(function () {
  'use strict';

  /* BEGIN generated tables: `fold_char` in src/text.rs and STOP_WORDS in src/search/words.rs,
   * written by tests/integration/js_tables.rs. Refresh with
   * `HANDBOK_BLESS=1 cargo test --test integration js_tables`. */
  var FOLD = {
    'à': 'a', 'á': 'a', 'â': 'a', 'ã': 'a', 'ä': 'a', 'å': 'a', 'æ': 'a', 'ç': 'c',
    'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e', 'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i',
    'ñ': 'n', 'ò': 'o', 'ó': 'o', 'ô': 'o', 'õ': 'o', 'ö': 'o', 'ø': 'o', 'ù': 'u',
    'ú': 'u', 'û': 'u', 'ü': 'u', 'ý': 'y', 'ÿ': 'y'
  };
  var STOP = ('alla att av de dem den denna denne det detta dig din du ej en er ett for fran han har hon ' +
    'hur i ingen inte jag kan man med men mig min mot na nar och om pa sa sig sin ska skall som ' +
    'till under upp ut vad var vara vi vid vilka vilken vill').split(' ');
  /* END generated tables */
  /* Swedish inflectional endings (Snowball's step 1, plus the definite -an and -on of words like
   * frågan and miljön), longest first. Stripping too much costs little, since the stem is then
   * matched inside words; stripping too little loses matches. */
  var SUFFIXES = ('heterna hetens anden arnas ernas ornas andes andet arens heten heter arna erna orna ande arne ' +
    'aste aren ades erns ade are ern ens ets het ast ad en an on et ar er or as es at a e s').split(' ')
    .sort(function (x, y) { return y.length - x.length; });
  /* What may follow a query stem inside a word for it to count as an inflection of that word. */
  var ENDINGS = {};
  ('a e n s t r en et er ar or na ns ts es as at ad de te ens ets ers ars ors rna arna erna orna ande ende aren ' +
    'erns arnas ernas ornas heten heter het ast aste are ares ade ades andet').split(' ').forEach(function (e) {
    ENDINGS[e] = true;
  });
  ENDINGS[''] = true;
  /* Endings that make a word of its own from the stem (sjuk → sjukdom, rök → rökning): closer to
   * the word typed than the first part of a compound (sjukvård). */
  var DERIVED = {};
  ('dom domar domen domarna ning ningar ningen ningarna lig liga ligt ligen else elser elsen skap skapet ' +
    'ighet igheten ande ig iga igt').split(' ').forEach(function (e) { DERIVED[e] = true; });
  var WORD = /[\p{L}\p{N}]+/gu;

  function fold(s) {
    var out = '';
    for (var i = 0; i < s.length; i++) {
      var c = s.charAt(i);
      var l = c.toLowerCase();
      if (l.length !== 1) { l = c; }
      out += FOLD[l] || l;
    }
    return out;
  }

  function isVowel(c) { return 'aeiouy'.indexOf(c) >= 0; }

  /* Snowball's R1: after the first non-vowel that follows a vowel, at least 3 letters in. */
  function r1(w) {
    for (var i = 1; i < w.length; i++) {
      if (!isVowel(w.charAt(i)) && isVowel(w.charAt(i - 1))) { return Math.max(i + 1, 3); }
    }
    return w.length;
  }

  /* Strip one inflectional ending from a normalised word: `lonen` → `lon`, `samtalet` → `samtal`. */
  function stem(w) {
    var start = r1(w);
    for (var i = 0; i < SUFFIXES.length; i++) {
      var s = SUFFIXES[i];
      if (w.length - s.length >= start && w.slice(-s.length) === s) {
        if (s === 's' && 'bcdfghjklmnoprtvy'.indexOf(w.charAt(w.length - 2)) < 0) { continue; }
        return w.slice(0, -s.length);
      }
    }
    return w;
  }

  /* The word a derived word is made from, for a query word the handbook has in no form: the
   * longest DERIVED ending off, at least four letters left (`krankning` → `krank`, which finds
   * kränkande). Null when no such ending. */
  function root(w) {
    var best = null;
    for (var e in DERIVED) {
      if (w.length - e.length >= 4 && w.slice(-e.length) === e && (best === null || e.length > best.length)) { best = e; }
    }
    return best === null ? null : w.slice(0, -best.length);
  }

  /* `t` starts with `q`: 1 the stem itself, 0.95 an inflection, 0.85 a word made from it
   * (sjukdom), 0.6 the first part of a compound (lönesamtal). */
  function startQuality(t, q) {
    var rest = t.slice(q.length);
    if (rest === '') { return 1; }
    if (ENDINGS[rest] === true) { return 0.95; }
    if (DERIVED[rest] === true) { return 0.85; }
    return 0.6;
  }

  /* `key`, the end of a word from its second letter or later, starts with `q`. A Swedish
   * compound is a kind of its last part: a medarbetarsamtal is a samtal, a samtalsguide is a
   * guide. So the last part weighs more than the first. */
  function innerQuality(key, q) {
    if (q.length < 3) { return 0; }
    var rest = key.slice(q.length);
    if (ENDINGS[rest] === true && (q.length > 3 || rest.length !== 1)) { return 0.75; } /* last part: medarbetarsamtal */
    return q.length >= 4 ? 0.4 : 0;                   /* inside a compound */
  }

  /* How well vocabulary word `t` matches query stem `q` (0 = not at all): the best of every
   * place `q` occurs in `t`. */
  function quality(t, q) {
    var best = 0;
    var pos = t.indexOf(q);
    while (pos >= 0) {
      var score = pos === 0 ? startQuality(t, q) : innerQuality(t.slice(pos), q);
      if (score > best) { best = score; }
      pos = t.indexOf(q, pos + 1);
    }
    return best;
  }

  /* How well a folded word of a page matches a query word typed as `typed` (folded) with stem
   * `q`: the literal word first (1), then its inflections and words made from it, then compounds. */
  function level(w, q, typed) {
    if (w === typed) { return 1; }
    var v = quality(w, q);
    return v === 1 ? 0.95 : v;
  }

  /* Whether `a` and `b` are at most one edit apart (a letter added, dropped, changed, or two
   * neighbours swapped). */
  function oneEdit(a, b) {
    if (Math.abs(a.length - b.length) > 1) { return false; }
    var i = 0;
    while (i < a.length && i < b.length && a.charAt(i) === b.charAt(i)) { i++; }
    if (a.length === b.length) {
      return i === a.length || a.slice(i + 1) === b.slice(i + 1) ||
        (a.charAt(i) === b.charAt(i + 1) && a.charAt(i + 1) === b.charAt(i) && a.slice(i + 2) === b.slice(i + 2));
    }
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  /* Edit distance of `a` and `b`, giving up (returning max + 1) once it exceeds `max`. */
  function distance(a, b, max) {
    if (Math.abs(a.length - b.length) > max) { return max + 1; }
    var prev = [];
    for (var j = 0; j <= b.length; j++) { prev.push(j); }
    for (var i = 1; i <= a.length; i++) {
      var row = [i];
      var low = i;
      for (var k = 1; k <= b.length; k++) {
        var v = Math.min(prev[k] + 1, row[k - 1] + 1, prev[k - 1] + (a.charAt(i - 1) === b.charAt(k - 1) ? 0 : 1));
        row.push(v);
        if (v < low) { low = v; }
      }
      if (low > max) { return max + 1; }
      prev = row;
    }
    return prev[b.length];
  }

  /* The index's self-delimiting numbers (src/search/postings.rs): 5 bits a character, the last
   * character of each number from the second alphabet. */
  var DIGITS = new Int8Array(128).fill(-1);
  (function () {
    var more = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef';
    var last = 'ghijklmnopqrstuvwxyz0123456789-_';
    for (var i = 0; i < 32; i++) {
      DIGITS[more.charCodeAt(i)] = i;
      DIGITS[last.charCodeAt(i)] = 32 + i;
    }
  })();

  function numbers(s) {
    var out = [];
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var d = DIGITS[s.charCodeAt(i)];
      if (d < 0) { continue; }
      if (d < 32) { n = n * 32 + d; } else { out.push(n * 32 + d - 32); n = 0; }
    }
    return out;
  }

  /* A front-coded list: entries separated by spaces, each a number (UTF-16 units shared with the
   * entry before) and the rest. */
  function frontCoded(s) {
    var out = [];
    if (!s) { return out; }
    var parts = s.split(' ');
    var previous = '';
    for (var i = 0; i < parts.length; i++) {
      var p = parts[i];
      var n = 0;
      var j = 0;
      for (; j < p.length; j++) {
        var d = DIGITS[p.charCodeAt(j)];
        if (d < 32) { n = n * 32 + d; } else { n = n * 32 + d - 32; j++; break; }
      }
      previous = previous.slice(0, n) + p.slice(j);
      out.push(previous);
    }
    return out;
  }

  /* The first position in sorted `list` whose entry is not below `q`. */
  function lowerBound(list, q) {
    var lo = 0;
    var hi = list.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (list[mid] < q) { lo = mid + 1; } else { hi = mid; }
    }
    return lo;
  }

  /* The last position in sorted `list` whose entry is at most `x`. */
  function lastAtMost(list, x, key) {
    var lo = 0;
    var hi = list.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if ((key ? key(list[mid]) : list[mid]) <= x) { lo = mid; } else { hi = mid - 1; }
    }
    return lo;
  }

  /* The shards whose keys may start with `q`, from each shard's first key. Keys can repeat
   * across a boundary (suffix shards), so it starts at the last shard beginning below `q`. */
  function covering(starts, q) {
    var at = lowerBound(starts, q);
    var out = [at > 0 ? at - 1 : 0];
    var end = q + '\uffff';
    for (var i = out[0] + 1; i < starts.length && starts[i] < end; i++) { out.push(i); }
    return out;
  }

  /* The words of `text` with where they stand: [{w: folded word, at, end}] (folding keeps
   * every position, one character for one). */
  function wordsAt(text) {
    var folded = fold(text);
    var out = [];
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(folded)) !== null) { out.push({ w: m[0], at: m.index, end: m.index + m[0].length }); }
    return out;
  }

  window.handbokSearchText = {
    STOP: STOP,
    ENDINGS: ENDINGS,
    WORD: WORD,
    DIGITS: DIGITS,
    fold: fold,
    stem: stem,
    root: root,
    startQuality: startQuality,
    innerQuality: innerQuality,
    quality: quality,
    level: level,
    oneEdit: oneEdit,
    distance: distance,
    numbers: numbers,
    frontCoded: frontCoded,
    lowerBound: lowerBound,
    lastAtMost: lastAtMost,
    covering: covering,
    wordsAt: wordsAt
  };
})();
