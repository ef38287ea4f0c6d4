/* handbok search: Swedish-aware search over the index built by `src/search/` (its module
 * documentation describes the format). This file is itself loaded on first use, by the small
 * script in search.html, when focus or a pointer first enters the search form. It loads the
 * index's manifest (assets/search-index.js) and then, per query, only the shards the query needs
 * (assets/search/*.js), each with a <script> element, so search works from file:// and from any
 * server. Without JavaScript the search form stays hidden. */
(function () {
  'use strict';

  var form = document.querySelector('form.site-search');
  if (!form) { return; }
  var input = form.querySelector('input[type="search"]');
  var panel = form.querySelector('.search-panel');
  var status = form.querySelector('.search-status');
  var announce = form.querySelector('.search-announce');
  var list = form.querySelector('.search-list');
  var root = form.getAttribute('data-root') || '';
  /* Results shown at first and added by each press of "show more": each costs its page's text. */
  var MAX_SHOWN = 10;
  var SNIPPET_BEFORE = 60;
  var SNIPPET_LENGTH = 180;
  /* Bytes of posting shards one query may load: every match of a normal query fits; a prefix of
     two letters on a large site keeps its best matches. */
  var POSTING_BUDGET = 200 * 1024;
  /* A match's weight by where on the page it is (the index's place: 0 text, 1 heading, 2 title). */
  var PLACE = [1, 4, 10];
  /* How many of a page's blocks a word is in, by the index's count (1, 2, 3–4, 5 or more). */
  var BLOCKS = [1, 2, 3.5, 6];
  /* A synonym counts a little less than the word typed. */
  var SYNONYM = 0.8;

  /* Must agree with `fold_char` in src/text.rs: one character in, one character out. */
  var FOLD = {
    'å': 'a', 'ä': 'a', 'à': 'a', 'á': 'a', 'â': 'a', 'ã': 'a', 'æ': 'a',
    'ö': 'o', 'ø': 'o', 'ó': 'o', 'ò': 'o', 'ô': 'o', 'õ': 'o',
    'é': 'e', 'è': 'e', 'ê': 'e', 'ë': 'e', 'ü': 'u', 'ú': 'u', 'ù': 'u', 'û': 'u',
    'í': 'i', 'ì': 'i', 'î': 'i', 'ï': 'i', 'ç': 'c', 'ñ': 'n', 'ý': 'y', 'ÿ': 'y'
  };
  /* Must agree with STOP_WORDS in src/search/words.rs (normalised). */
  var STOP = ('alla att av de dem den denna denne det detta dig din du ej en er ett for fran han har hon hur i ' +
    'ingen inte jag kan man med men mig min mot na nar och om pa sa sig sin ska skall som till under upp ut vad ' +
    'var vara vi vid vilka vilken vill').split(' ');
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

  /* `t` starts with `q`. */
  function startQuality(t, q) {
    var rest = t.slice(q.length);
    if (rest === '') { return 1; }
    if (ENDINGS[rest] === true) { return 0.95; }
    return 0.6;                                       /* first part of a compound: lönesamtal */
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

  var manifest = null;
  var shards = {};
  var pending = {};
  var pageStarts = null;
  var synonymsByStem = null;
  var loading = false;
  var failed = false;

  /* Every shard file hands its data over to this (src/search/shards.rs). */
  window.handbokSearchShard = function (name, data) { shards[name] = data; };

  function prepare(data) {
    manifest = data;
    for (var name in data.inline || {}) { shards[name] = data.inline[name]; }
    pageStarts = [0];
    numbers(data.f).forEach(function (n) { pageStarts.push(pageStarts[pageStarts.length - 1] + n); });
    /* Synonym phrases by their first word's stem: [stems of the phrase, the group's phrases]. */
    synonymsByStem = {};
    (data.syn || []).forEach(function (group) {
      var phrases = group.map(function (words) { return words.map(stem); });
      phrases.forEach(function (stems, own) {
        (synonymsByStem[stems[0]] = synonymsByStem[stems[0]] || []).push({ stems: stems, phrases: phrases, own: own });
      });
    });
  }

  function load() {
    if (manifest || loading) { return; }
    if (window.handbokSearchIndex) { prepare(window.handbokSearchIndex); return; }
    loading = true;
    failed = false;
    var script = document.createElement('script');
    script.src = root + 'assets/search-index.js';
    script.async = true;
    script.onload = function () {
      loading = false;
      if (window.handbokSearchIndex) {
        prepare(window.handbokSearchIndex);
        /* After the pause like any keystroke: a reader still typing does not load the shards
           of half a word. */
        if (input.value.trim()) { schedule(); }
      } else {
        fail();
      }
    };
    script.onerror = function () { loading = false; fail(); };
    document.head.appendChild(script);
  }

  function fail() {
    failed = true;
    clearList();
    say(form.getAttribute('data-error'));
    open();
  }

  /* Shard `name` (d3, s0, p12, f40), loaded by a <script> element the first time it is needed. */
  function shard(name) {
    if (shards[name]) { return Promise.resolve(shards[name]); }
    if (!pending[name]) {
      pending[name] = new Promise(function (resolve, reject) {
        var script = document.createElement('script');
        script.src = root + 'assets/search/' + name + '.js?v=' + manifest.token;
        script.async = true;
        script.onload = function () {
          script.remove();
          delete pending[name];
          if (shards[name]) { resolve(shards[name]); } else { reject(new Error(name)); }
        };
        script.onerror = function () { script.remove(); delete pending[name]; reject(new Error(name)); };
        document.head.appendChild(script);
      });
    }
    return pending[name];
  }

  function loadShards(names) {
    var seen = {};
    return Promise.all(names.filter(function (n) { return !seen[n] && (seen[n] = true); }).map(shard));
  }

  function wordShard(d) {
    if (!d.terms) { d.terms = frontCoded(d.t); d.dfs = numbers(d.df); }
    return d;
  }

  function suffixShard(s) {
    if (!s.keys) { s.keys = frontCoded(s.k); s.ids = numbers(s.w); }
    return s;
  }

  function shardNamesFor(q) {
    var names = covering(manifest.d, q).map(function (i) { return 'd' + i; });
    if (q.length >= 3) { covering(manifest.s, q).forEach(function (i) { names.push('s' + i); }); }
    return names;
  }

  /* The vocabulary words `q` matches: {word number: quality}. Their shards must be loaded. */
  function candidates(q) {
    var found = {};
    var add = function (id, score) { if (score > (found[id] || 0)) { found[id] = score; } };
    covering(manifest.d, q).forEach(function (i) {
      var d = wordShard(shards['d' + i]);
      for (var k = lowerBound(d.terms, q); k < d.terms.length && d.terms[k].lastIndexOf(q, 0) === 0; k++) {
        add(d.id + k, startQuality(d.terms[k], q));
      }
    });
    if (q.length >= 3) {
      covering(manifest.s, q).forEach(function (i) {
        var s = suffixShard(shards['s' + i]);
        for (var k = lowerBound(s.keys, q); k < s.keys.length && s.keys[k].lastIndexOf(q, 0) === 0; k++) {
          var score = innerQuality(s.keys[k], q);
          if (score) { add(s.ids[k], score); }
        }
      });
    }
    return found;
  }

  /* Look up every stem in `stems` not yet in `found` ({stem: candidates}). */
  function lookUp(stems, found) {
    var names = [];
    stems.forEach(function (q) { if (!found[q]) { names = names.concat(shardNamesFor(q)); } });
    return loadShards(names).then(function () {
      stems.forEach(function (q) { if (!found[q]) { found[q] = candidates(q); } });
      return found;
    });
  }

  /* A word of five letters or more that matches nothing, corrected: the vocabulary word one edit
   * away (before its inflection) that shares the first two letters and is on the most pages.
   * Resolves to the corrected word or null. */
  function correction(word) {
    var prefix = word.slice(0, 2);
    var names = covering(manifest.d, prefix).map(function (i) { return 'd' + i; });
    var stemmed = stem(word);
    return loadShards(names).then(function () {
      var pages = {};
      names.forEach(function (name) {
        var d = wordShard(shards[name]);
        for (var k = lowerBound(d.terms, prefix); k < d.terms.length && d.terms[k].lastIndexOf(prefix, 0) === 0; k++) {
          var t = d.terms[k];
          for (var cut = 0; cut <= 5 && t.length - cut >= 4; cut++) {
            var base = t.slice(0, t.length - cut);
            if (ENDINGS[t.slice(t.length - cut)] !== true || base === word) { continue; }
            if (oneEdit(word, base) || (stemmed.length >= 4 && oneEdit(stemmed, base))) {
              pages[base] = (pages[base] || 0) + d.dfs[k];
            }
          }
        }
      });
      var best = null;
      for (var base in pages) {
        if (best === null || pages[base] > pages[best] || (pages[base] === pages[best] && base < best)) { best = base; }
      }
      return best;
    });
  }

  /* The posting shard holding word number `id`. */
  function postingShard(id) { return lastAtMost(manifest.p, id, function (p) { return p[0]; }); }

  /* Which posting shards to load: the best matches first, within POSTING_BUDGET, but always each
   * stem's best match. Returns {names, use: {stem: {id: quality}}}. */
  function choosePostings(found) {
    var all = [];
    for (var q in found) {
      for (var id in found[q]) { all.push([found[q][id], +id, q]); }
    }
    all.sort(function (x, y) { return y[0] - x[0] || x[1] - y[1]; });
    var chosen = {};
    var spent = 0;
    var use = {};
    all.forEach(function (c) {
      var s = postingShard(c[1]);
      var name = 'p' + s;
      var cost = chosen[name] || shards[name] ? 0 : manifest.p[s][1];
      if (cost && use[c[2]] && spent + cost > POSTING_BUDGET) { return; }
      chosen[name] = true;
      spent += cost;
      (use[c[2]] = use[c[2]] || {})[c[1]] = c[0];
    });
    return { names: Object.keys(chosen), use: use };
  }

  /* Per page, how well the words in `matches` ({id: quality}) match it: the best place and
   * quality, plus a little for every block they occur in. */
  function wordScores(matches) {
    var n = manifest.pages;
    var best = new Float32Array(n);
    var hits = new Float32Array(n);
    for (var id in matches) {
      var quality = matches[id];
      var p = shards['p' + postingShard(+id)];
      var str = p.p[id - p.id];
      var previous = -1;
      var value = 0;
      for (var i = 0; i < str.length; i++) {
        var d = DIGITS[str.charCodeAt(i)];
        if (d < 32) { value = value * 32 + d; continue; }
        value = value * 32 + d - 32;
        var page = previous + 1 + Math.floor(value / 16);
        var score = quality * PLACE[(value >> 2) & 3];
        if (score > best[page]) { best[page] = score; }
        hits[page] += BLOCKS[value & 3];
        previous = page;
        value = 0;
      }
    }
    for (var pg = 0; pg < n; pg++) {
      /* Pages that use the word often come first among equals. */
      if (best[pg] > 0) { best[pg] += 0.05 * Math.min(hits[pg], 20); }
    }
    return best;
  }

  /* The words of a query, folded, with where each stands in it; stop words are left out unless
   * the query has nothing else. */
  function queryWords(query) {
    var folded = fold(query);
    var words = [];
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(folded)) !== null) {
      if (m[0].length >= 2 || /\d/.test(m[0])) { words.push({ word: m[0], at: m.index }); }
    }
    var content = words.filter(function (w) { return STOP.indexOf(w.word) < 0; });
    return content.length ? content : words;
  }

  /* The clauses of a query, every one of which must match a page: a word, or a phrase with
   * synonyms. Each clause has alternatives (lists of stems that must all match) with a weight. */
  function clausesOf(words) {
    var stems = words.map(function (w) { return stem(w.word); });
    var clauses = [];
    for (var i = 0; i < words.length;) {
      var best = null;
      (synonymsByStem[stems[i]] || []).forEach(function (s) {
        var fits = s.stems.every(function (st, k) { return stems[i + k] === st; });
        if (fits && (!best || s.stems.length > best.stems.length)) { best = s; }
      });
      if (best) {
        clauses.push({
          alternatives: best.phrases.map(function (p, k) { return { stems: p, weight: k === best.own ? 1 : SYNONYM }; })
        });
        i += best.stems.length;
      } else {
        clauses.push({ word: words[i], alternatives: [{ stems: [stems[i]], weight: 1 }] });
        i++;
      }
    }
    return clauses;
  }

  function clauseStems(clauses) {
    var stems = [];
    clauses.forEach(function (c) {
      c.alternatives.forEach(function (a) { a.stems.forEach(function (s) { if (stems.indexOf(s) < 0) { stems.push(s); } }); });
    });
    return stems;
  }

  /* Search: every clause must match somewhere on a page; title beats heading beats body.
   * Resolves to {count, shown: [{page, entry, block}], clauses, corrected}, best first; the
   * shards it needs are loaded on the way. */
  function search(query) {
    var words = queryWords(query);
    var clauses = clausesOf(words);
    var found = {};
    var corrected = false;
    return lookUp(clauseStems(clauses), found).then(function () {
      var fixes = clauses.filter(function (c) {
        return c.word && c.word.word.length >= 5 && Object.keys(found[c.alternatives[0].stems[0]]).length === 0;
      });
      return Promise.all(fixes.map(function (c) {
        return correction(c.word.word).then(function (base) {
          if (base) {
            c.corrected = base;
            c.alternatives = [{ stems: [stem(base)], weight: 1 }];
            corrected = true;
          }
        });
      }));
    }).then(function () {
      return lookUp(clauseStems(clauses), found);
    }).then(function () {
      var plan = choosePostings(found);
      return loadShards(plan.names.concat()).then(function () { return plan.use; });
    }).then(function (use) {
      var pages = rank(clauses, use);
      return entries(pages.slice(0, MAX_SHOWN), clauses).then(function (shown) {
        return { count: pages.length, pages: pages, clauses: clauses, corrected: corrected, shown: shown };
      });
    });
  }

  /* The entries of `pages` (page numbers) to show, with the block each result points to; their
   * page shards are loaded on the way. */
  function entries(pages, clauses) {
    var names = pages.map(function (p) { return 'f' + lastAtMost(pageStarts, p); });
    return loadShards(names).then(function () {
      return pages.map(function (p) {
        var f = shards['f' + lastAtMost(pageStarts, p)];
        var entry = f.p[p - f.id];
        return { page: p, entry: entry, block: bestBlock(entry, clauses) };
      });
    });
  }

  /* The pages every clause matches, best first (then in reading order). */
  function rank(clauses, use) {
    var n = manifest.pages;
    var total = new Float64Array(n);
    var matched = new Uint16Array(n);
    var empty = {};
    clauses.forEach(function (c) {
      var clause = new Float32Array(n);
      c.alternatives.forEach(function (a) {
        var sum = null;
        a.stems.forEach(function (s) {
          var scores = wordScores(use[s] || empty);
          if (!sum) { sum = scores; return; }
          for (var p = 0; p < n; p++) { sum[p] = sum[p] > 0 && scores[p] > 0 ? sum[p] + scores[p] : 0; }
        });
        for (var p = 0; p < n; p++) {
          var v = sum[p] / a.stems.length * a.weight;
          if (v > clause[p]) { clause[p] = v; }
        }
      });
      for (var p = 0; p < n; p++) {
        if (clause[p] > 0) { total[p] += clause[p]; matched[p]++; }
      }
    });
    var pages = [];
    for (var p = 0; p < n; p++) {
      if (matched[p] === clauses.length && clauses.length) { pages.push(p); }
    }
    pages.sort(function (x, y) { return total[y] - total[x] || x - y; });
    return pages;
  }

  /* Whether the folded word `w` is a match for any stem of the query. */
  function matches(w, stems) {
    for (var i = 0; i < stems.length; i++) {
      if (w.indexOf(stems[i]) >= 0 && quality(w, stems[i]) > 0) { return true; }
    }
    return false;
  }

  function foldedWords(text) { return fold(text).match(WORD) || []; }

  /* The block of a page to show: the one where most clauses match best (title 10, heading 4,
   * text 1), the first among equals. */
  function bestBlock(entry, clauses) {
    var blocks = entry[3];
    var title = foldedWords(entry[0]);
    var best = 0;
    var bestScore = -1;
    for (var b = 0; b < blocks.length; b++) {
      var heading = foldedWords(blocks[b][1]);
      var text = foldedWords(blocks[b][2]);
      var score = 0;
      clauses.forEach(function (c) {
        var stems = [];
        c.alternatives.forEach(function (a) { stems = stems.concat(a.stems); });
        var has = function (words) { return words.some(function (w) { return matches(w, stems); }); };
        score += b === 0 && has(title) ? 10 : has(heading) ? 4 : has(text) ? 1 : 0;
      });
      if (score > bestScore) { best = b; bestScore = score; }
    }
    return best;
  }

  /* A piece of `text` around the first matched word, as DOM nodes with <mark> around matches. */
  function snippet(text, stems) {
    var folded = fold(text);
    var words = [];
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(folded)) !== null) {
      if (matches(m[0], stems)) { words.push([m.index, m.index + m[0].length]); }
    }
    var start = 0;
    if (words.length && words[0][0] > SNIPPET_BEFORE) {
      start = text.lastIndexOf(' ', words[0][0] - SNIPPET_BEFORE) + 1;
    }
    var end = Math.min(text.length, start + SNIPPET_LENGTH);
    if (end < text.length) {
      var space = text.indexOf(' ', end);
      end = space < 0 ? text.length : space;
    }
    var frag = document.createDocumentFragment();
    if (start > 0) { frag.appendChild(document.createTextNode('… ')); }
    var at = start;
    words.forEach(function (w) {
      if (w[0] < at || w[1] > end) { return; }
      frag.appendChild(document.createTextNode(text.slice(at, w[0])));
      var mark = document.createElement('mark');
      mark.textContent = text.slice(w[0], w[1]);
      frag.appendChild(mark);
      at = w[1];
    });
    frag.appendChild(document.createTextNode(text.slice(at, end)));
    if (end < text.length) { frag.appendChild(document.createTextNode(' …')); }
    return frag;
  }

  /* The query as searched, with each corrected word as the results' text spells it. */
  function correctedQuery(query, found) {
    var out = query;
    found.clauses.slice().reverse().forEach(function (c) {
      if (!c.corrected) { return; }
      var spelt = c.corrected;
      found.shown.some(function (r) {
        var texts = [r.entry[0]].concat(r.entry[3].map(function (b) { return b[1] + ' ' + b[2]; }));
        return texts.some(function (t) {
          var folded = fold(t);
          var at = folded.indexOf(c.corrected);
          while (at >= 0 && at > 0 && /[\p{L}\p{N}]/u.test(folded.charAt(at - 1))) { at = folded.indexOf(c.corrected, at + 1); }
          if (at < 0) { return false; }
          spelt = t.slice(at, at + c.corrected.length).toLowerCase();
          return true;
        });
      });
      out = out.slice(0, c.word.at) + spelt + out.slice(c.word.at + c.word.word.length);
    });
    return out;
  }

  /* The count shows at once in the panel; the live region gets it once typing pauses, so a
     screen reader says one count, not one per letter. */
  var announceTimer = null;
  function say(text) {
    status.textContent = text || '';
    clearTimeout(announceTimer);
    if (!announce) { return; }
    if (!text) { announce.textContent = ''; return; }
    announceTimer = setTimeout(function () { announce.textContent = text; }, 600);
  }
  function clearList() {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    if (more) { more.hidden = true; }
  }
  /* Results show only while the reader is in the search: a late render (the index finishing
     loading, a shard arriving, the pause after the last keystroke) must not pop the list open
     over whatever has focus now, nor after the reader closed it with Escape. The list opens
     again when the reader asks: by typing, Enter, arrow down or a click in the field. */
  var dismissed = false;
  function open() { if (!dismissed && form.contains(document.activeElement)) { panel.classList.add('is-open'); } }
  function reopen() { dismissed = false; open(); }
  function close() { panel.classList.remove('is-open'); }
  function dismiss() { dismissed = true; close(); }
  function isOpen() { return panel.classList.contains('is-open'); }

  function render(query, found) {
    clearList();
    panel.setAttribute('data-query', query);
    var n = found.count;
    if (n === 0) {
      say(form.getAttribute('data-none').replace('{q}', '”' + query + '”'));
    } else {
      var count = n === 1 ? form.getAttribute('data-one') : form.getAttribute('data-many').replace('{n}', String(n));
      if (found.corrected) {
        count += '. ' + form.getAttribute('data-corrected').replace('{q}', '”' + correctedQuery(query, found) + '”');
      }
      say(count);
    }
    current = found;
    appendResults(found.shown);
    open();
  }

  /* The results on screen: the last search's, and its next results for "show more". */
  var current = null;
  var more = document.createElement('button');
  more.type = 'button';
  more.className = 'search-more';
  more.hidden = true;
  more.textContent = form.getAttribute('data-more') || '';
  list.parentNode.appendChild(more);

  function appendResults(shown) {
    var stems = clauseStems(current.clauses);
    var added = [];
    shown.forEach(function (r) {
      var page = r.entry;
      var blocks = page[3];
      var block = blocks[r.block];
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = root + page[1] + (block[0] ? '#' + block[0] : '');
      a.className = 'search-result-title';
      a.textContent = page[0];
      li.appendChild(a);
      var where = [page[2], block[1]].filter(Boolean).join(' › ');
      if (where) {
        var w = document.createElement('span');
        w.className = 'search-where';
        w.textContent = where;
        li.appendChild(w);
      }
      var text = block[2];
      /* A match in a title or a heading with no text of its own: show what follows. */
      for (var b = r.block + 1; !text && b < blocks.length; b++) { text = blocks[b][2]; }
      if (text) {
        var p = document.createElement('p');
        p.className = 'search-snippet';
        p.appendChild(snippet(text, stems));
        li.appendChild(p);
      }
      list.appendChild(li);
      added.push(a);
    });
    more.hidden = list.children.length >= current.count;
    return added;
  }

  /* "Show more": the next results, and focus on the first of them, so a keyboard or screen
     reader user goes on reading where the list grew. */
  more.addEventListener('click', function () {
    var found = current;
    var from = list.children.length;
    more.disabled = true;
    entries(found.pages.slice(from, from + MAX_SHOWN), found.clauses).then(function (shown) {
      more.disabled = false;
      if (found !== current || list.children.length !== from) { return; }
      var added = appendResults(shown);
      if (added.length) { added[0].focus(); }
    }, function () { more.disabled = false; fail(); });
  });

  var lastQuery = null;
  var searches = 0;
  /* One letter says nothing yet ("l" has no results of its own): wait for the second, as the
     index does (words of one letter are not searched, digits are). */
  function tooShort(query) { return query.replace(/[\s.,;:!?'"”“()*-]/g, '').length < 2 && !/\d/.test(query); }
  function run() {
    var query = input.value.trim();
    if (!query || tooShort(query)) {
      lastQuery = '';
      searches++;
      clearList();
      say('');
      close();
      return;
    }
    if (!manifest) {
      if (failed) { fail(); return; }
      load();
      if (!manifest) { say(form.getAttribute('data-loading')); open(); return; }
    }
    if (query === lastQuery && list.firstChild) { open(); return; }
    lastQuery = query;
    /* Shards arrive in their own time: only the latest query's results are shown. */
    var current = ++searches;
    search(query).then(function (found) {
      if (current === searches) { render(query, found); }
    }, function () {
      if (current === searches) { lastQuery = null; fail(); }
    });
  }

  var timer = null;
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(run, 120);
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll('a')); }

  form.hidden = false;
  input.addEventListener('focus', load);
  /* A click in the field shows the last results again (keyboard users get them with arrow down). */
  input.addEventListener('click', function () {
    if (input.value.trim() && list.firstChild) { reopen(); }
  });
  /* A keystroke also puts off the announcement of the results so far: a screen reader hears the
     count once the reader pauses, not for every word on the way. */
  input.addEventListener('input', function () { dismissed = false; clearTimeout(announceTimer); load(); schedule(); });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    dismissed = false;
    run();
  });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowDown') {
      var all = links();
      if (all.length) {
        e.preventDefault();
        reopen();
        all[0].focus();
      }
    } else if (e.key === 'Escape') {
      if (isOpen()) {
        e.preventDefault();
        dismiss();
      } else if (input.value) {
        e.preventDefault();
        input.value = '';
        run();
      }
    }
  });
  list.addEventListener('keydown', function (e) {
    var all = links();
    var i = all.indexOf(document.activeElement);
    if (i < 0) { return; }
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      if (i === all.length - 1 && !more.hidden) { more.focus(); } else { all[Math.min(i + 1, all.length - 1)].focus(); }
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      if (i === 0) { input.focus(); } else { all[i - 1].focus(); }
    } else if (e.key === 'Home') {
      e.preventDefault();
      all[0].focus();
    } else if (e.key === 'End') {
      e.preventDefault();
      all[all.length - 1].focus();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      dismiss();
      input.focus();
    }
  });
  more.addEventListener('keydown', function (e) {
    var all = links();
    if (e.key === 'ArrowUp' && all.length) {
      e.preventDefault();
      all[all.length - 1].focus();
    } else if (e.key === 'Escape') {
      e.preventDefault();
      dismiss();
      input.focus();
    }
  });
  /* Close the results when focus or a click leaves the search, so they never cover what has focus. */
  form.addEventListener('focusout', function (e) {
    if (!e.relatedTarget || !form.contains(e.relatedTarget)) {
      setTimeout(function () {
        if (!form.contains(document.activeElement)) { close(); }
      }, 0);
    }
  });
  document.addEventListener('click', function (e) {
    if (!form.contains(e.target)) { close(); }
  });

  /* This script arrives after the reader reached the field: catch up with what they did. */
  if (form.contains(document.activeElement)) { load(); }
  if (input.value.trim()) { schedule(); }

  /* For tests and the benchmark: the search without the DOM. `query` resolves to
     {count, pages (page numbers, best first), shown, corrected}; `shards` names those loaded. */
  window.handbokSearch = {
    ready: function () { return !!manifest; },
    load: load,
    stem: stem,
    fold: fold,
    query: function (q) { return manifest ? search(q) : Promise.reject(new Error('not loaded')); },
    shards: function () { return Object.keys(shards).sort(); },
    /* Search for what the field holds now, as the index arriving does (not waiting for a pause). */
    run: function () { run(); }
  };
})();
