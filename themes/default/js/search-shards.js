/* handbok search, part 2 of 4: the index. Loads the manifest (assets/search-index.js) and, per
 * query, only the shards the query needs (assets/search/*.js), each with a <script> element, so
 * search works from file:// and from any server; finds the vocabulary words each query word
 * matches, corrects a typo, ranks the pages from their postings and hands the best ones to
 * search-sections.js, which ranks their sections. The format is documented in src/search/mod.rs.
 * Exposed as window.handbokSearchEngine. */
(function () {
  'use strict';

  var T = window.handbokSearchText;
  /* Results shown at first and added by each press of "show more": each costs its page's text. */
  var MAX_SHOWN = 10;
  /* Bytes of posting shards one query may load: every match of a normal query fits; a prefix of
     two letters on a large site keeps its best matches. */
  var POSTING_BUDGET = 200 * 1024;
  /* Bytes of page shards one query may load for its results. On a large site a page shard holds
     the text of twenty pages or more (~200 kB at 10,000 pages, where the files are few), so ten
     results from ten shards would be 2 MB: the results shown first stop where the next one would
     pass this, and "show more" loads the next ones. The best result is always shown. */
  var PAGE_BUDGET = 560 * 1024;
  /* A match's weight by where on the page it is (the index's place: 0 text, 1 heading, 2 title). */
  var PLACE = [1, 4, 10];
  /* How many of a page's blocks a word is in, by the index's count (1, 2, 3–4, 5 or more). */
  var BLOCKS = [1, 2, 3.5, 6];
  /* A synonym counts a little less than the word typed. */
  var SYNONYM = 0.8;
  /* Nearest real words offered for a word the handbook does not have. */
  var SUGGESTIONS = 3;

  var root = '';
  var manifest = null;
  var shards = {};
  var pending = {};
  var pageStarts = null;
  var synonymsByStem = null;
  var loading = null;

  /* Every shard file hands its data over to this (src/search/shards.rs). */
  window.handbokSearchShard = function (name, data) { shards[name] = data; };

  function prepare(data) {
    manifest = data;
    for (var name in data.inline || {}) { shards[name] = data.inline[name]; }
    pageStarts = [0];
    T.numbers(data.f).forEach(function (n) { pageStarts.push(pageStarts[pageStarts.length - 1] + n); });
    /* Synonym phrases by their first word's stem: [stems of the phrase, the group's phrases]. */
    synonymsByStem = {};
    (data.syn || []).forEach(function (group) {
      var phrases = group.map(function (words) { return { stems: words.map(T.stem), words: words }; });
      phrases.forEach(function (p, own) {
        (synonymsByStem[p.stems[0]] = synonymsByStem[p.stems[0]] || []).push({ stems: p.stems, phrases: phrases, own: own });
      });
    });
  }

  /* Load the manifest once; resolves when it is there (the promise is kept, so a failure can be
     retried by calling again). */
  function load() {
    if (manifest) { return Promise.resolve(); }
    if (window.handbokSearchIndex) { prepare(window.handbokSearchIndex); return Promise.resolve(); }
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement('script');
        script.src = root + 'assets/search-index.js';
        script.async = true;
        script.onload = function () {
          loading = null;
          if (window.handbokSearchIndex) { prepare(window.handbokSearchIndex); resolve(); } else { reject(new Error('index')); }
        };
        script.onerror = function () { loading = null; reject(new Error('index')); };
        document.head.appendChild(script);
      });
    }
    return loading;
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
    if (!d.terms) { d.terms = T.frontCoded(d.t); d.dfs = T.numbers(d.df); }
    return d;
  }

  function suffixShard(s) {
    if (!s.keys) { s.keys = T.frontCoded(s.k); s.ids = T.numbers(s.w); }
    return s;
  }

  function shardNamesFor(q) {
    var names = T.covering(manifest.d, q).map(function (i) { return 'd' + i; });
    if (q.length >= 3 && manifest.s.length) { T.covering(manifest.s, q).forEach(function (i) { names.push('s' + i); }); }
    return names;
  }

  /* The vocabulary words `q` matches: {word number: quality}. Their shards must be loaded. */
  function candidates(q) {
    var found = {};
    var add = function (id, score) { if (score > (found[id] || 0)) { found[id] = score; } };
    T.covering(manifest.d, q).forEach(function (i) {
      var d = wordShard(shards['d' + i]);
      for (var k = T.lowerBound(d.terms, q); k < d.terms.length && d.terms[k].lastIndexOf(q, 0) === 0; k++) {
        add(d.id + k, T.startQuality(d.terms[k], q));
      }
    });
    if (q.length >= 3 && !manifest.s.length) {
      /* An index in one file has no suffix list: its whole vocabulary is here to look through. */
      var d0 = wordShard(shards.d0);
      d0.terms.forEach(function (t, k) {
        for (var at = t.indexOf(q, 1); at > 0 && t.length - at >= 3; at = t.indexOf(q, at + 1)) {
          var inner = T.innerQuality(t.slice(at), q);
          if (inner) { add(d0.id + k, inner); }
        }
      });
    } else if (q.length >= 3) {
      T.covering(manifest.s, q).forEach(function (i) {
        var s = suffixShard(shards['s' + i]);
        for (var k = T.lowerBound(s.keys, q); k < s.keys.length && s.keys[k].lastIndexOf(q, 0) === 0; k++) {
          var score = T.innerQuality(s.keys[k], q);
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

  /* A word of five letters or more that matches nothing: the vocabulary words that share its
   * first two letters, each before its inflection, with the pages they are on. A correction is
   * one edit from the word (or from its stem of five letters or more) and never much shorter than
   * it, so a long word is never turned into an unrelated short one; the nearest others (two edits)
   * are only suggested. Resolves to {correction: word or null, suggestions: [words]}. */
  function nearest(word) {
    var prefix = word.slice(0, 2);
    var names = T.covering(manifest.d, prefix).map(function (i) { return 'd' + i; });
    var stemmed = T.stem(word);
    return loadShards(names).then(function () {
      var pages = {};
      var near = {};
      names.forEach(function (name) {
        var d = wordShard(shards[name]);
        for (var k = T.lowerBound(d.terms, prefix); k < d.terms.length && d.terms[k].lastIndexOf(prefix, 0) === 0; k++) {
          var t = d.terms[k];
          for (var cut = 0; cut <= 5 && t.length - cut >= 4; cut++) {
            var base = t.slice(0, t.length - cut);
            if (T.ENDINGS[t.slice(t.length - cut)] !== true || base === word) { continue; }
            if (base.length >= word.length - 1 &&
                (T.oneEdit(word, base) || (stemmed.length >= 5 && T.oneEdit(stemmed, base)))) {
              pages[base] = (pages[base] || 0) + d.dfs[k];
            }
          }
          if (Math.abs(t.length - word.length) <= 2 && T.distance(word, t, 2) <= 2) { near[t] = (near[t] || 0) + d.dfs[k]; }
        }
      });
      var best = null;
      for (var base in pages) {
        if (best === null || pages[base] > pages[best] || (pages[base] === pages[best] && base < best)) { best = base; }
      }
      var suggestions = Object.keys(near).sort(function (x, y) { return near[y] - near[x] || (x < y ? -1 : 1); });
      return { correction: best, suggestions: suggestions.slice(0, SUGGESTIONS) };
    });
  }

  /* The posting shard holding word number `id`. */
  function postingShard(id) { return T.lastAtMost(manifest.p, id, function (p) { return p[0]; }); }

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
        var d = T.DIGITS[str.charCodeAt(i)];
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
    var words = T.wordsAt(query).filter(function (w) { return w.w.length >= 2 || /\d/.test(w.w); })
      .map(function (w) { return { word: w.w, at: w.at }; });
    var content = words.filter(function (w) { return T.STOP.indexOf(w.word) < 0; });
    return content.length ? content : words;
  }

  /* The clauses of a query, every one of which must match a page: a word, or a phrase with
   * synonyms. Each clause has alternatives (stems that must all match, the words they stand
   * for, and a weight: 1 for what was typed, SYNONYM for the rest of its group). */
  function clausesOf(words) {
    var stems = words.map(function (w) { return T.stem(w.word); });
    var clauses = [];
    for (var i = 0; i < words.length;) {
      var best = null;
      (synonymsByStem[stems[i]] || []).forEach(function (s) {
        var fits = s.stems.every(function (st, k) { return stems[i + k] === st; });
        if (fits && (!best || s.stems.length > best.stems.length)) { best = s; }
      });
      if (best) {
        var typed = words.slice(i, i + best.stems.length).map(function (w) { return w.word; });
        clauses.push({
          word: best.stems.length === 1 ? words[i] : null,
          alternatives: best.phrases.map(function (p, k) {
            return k === best.own ? { stems: p.stems, words: typed, weight: 1 } : { stems: p.stems, words: p.words, weight: SYNONYM };
          })
        });
        i += best.stems.length;
      } else {
        clauses.push({ word: words[i], alternatives: [{ stems: [stems[i]], words: [words[i].word], weight: 1 }] });
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

  /* The entries of `pages` (page numbers) to show, best section first: their page shards are
   * loaded, their sections ranked (search-sections.js), and the pages ordered by their best
   * section. Resolves to [{page, entry, sections, score}]. */
  function entries(pages, clauses) {
    var shardOf = function (p) { return 'f' + T.lastAtMost(pageStarts, p); };
    if (!pages.length) { return Promise.resolve([]); }
    var fresh = shards[shardOf(pages[0])] ? 0 : 1;
    return loadShards([shardOf(pages[0])]).then(function () {
      /* What a page shard weighs here, from the one just loaded: they are cut to one size. */
      var f = shards[shardOf(pages[0])];
      if (f.bytes === undefined) { f.bytes = JSON.stringify(f.p).length; }
      var allowed = Math.max(1, Math.floor(PAGE_BUDGET / Math.max(f.bytes, 1)));
      var names = [shardOf(pages[0])];
      var n = 1;
      for (; n < pages.length; n++) {
        var name = shardOf(pages[n]);
        if (!shards[name] && names.indexOf(name) < 0) {
          if (fresh >= allowed) { break; }
          fresh++;
        }
        if (names.indexOf(name) < 0) { names.push(name); }
      }
      pages = pages.slice(0, n);
      return loadShards(names);
    }).then(function () {
      var shown = pages.map(function (p, order) {
        var f = shards['f' + T.lastAtMost(pageStarts, p)];
        var entry = f.p[p - f.id];
        var ranked = window.handbokSearchSections.rank(entry, clauses);
        return { page: p, entry: entry, sections: ranked.sections, forms: ranked.forms, score: ranked.score, order: order };
      });
      shown.sort(function (x, y) { return y.score - x.score || x.order - y.order; });
      return shown;
    });
  }

  /* Search (`stale`, if given, says whether the query is no longer wanted): every clause must
   * match somewhere on a page. Resolves to {count, pages, shown,
   * clauses, corrected, missing: [words found in no form], suggestions}, best first; the shards
   * it needs are loaded on the way. */
  function search(query, stale) {
    var clauses = clausesOf(queryWords(query));
    var found = {};
    var corrected = false;
    var missing = [];
    var suggestions = [];
    var unmatched = function (c) { return Object.keys(found[c.alternatives[0].stems[0]]).length === 0; };
    var lostOnes = function () { return clauses.filter(function (c) { return c.word && c.alternatives.length === 1 && unmatched(c); }); };
    return lookUp(clauseStems(clauses), found).then(function () {
      /* A derived word the handbook has in no form (kränkning) is looked for by the word it is
         made from (kränka, kränkande) before any typo correction: a relative beats a near miss. */
      var roots = lostOnes().map(function (c) { return { c: c, root: T.root(c.word.word) }; }).filter(function (r) { return r.root; });
      return lookUp(roots.map(function (r) { return r.root; }), found).then(function () {
        roots.forEach(function (r) {
          if (Object.keys(found[r.root]).length) { r.c.alternatives = [{ stems: [r.root], words: [r.c.word.word], weight: 1 }]; }
        });
      });
    }).then(function () {
      var lost = lostOnes();
      return Promise.all(lost.map(function (c) {
        if (c.word.word.length < 5) { missing.push(c.word.word); return null; }
        return nearest(c.word.word).then(function (near) {
          if (near.correction) {
            c.corrected = near.correction;
            c.alternatives = [{ stems: [T.stem(near.correction)], words: [near.correction], weight: 1 }];
            corrected = true;
          } else {
            missing.push(c.word.word);
            suggestions = suggestions.concat(near.suggestions);
          }
        });
      }));
    }).then(function () {
      return lookUp(clauseStems(clauses), found);
    }).then(function () {
      if (missing.length) { return []; }
      var plan = choosePostings(found);
      return loadShards(plan.names).then(function () { return rank(clauses, plan.use); });
    }).then(function (pages) {
      /* A query typed on from meanwhile will not be shown: its pages' text is not loaded. */
      var wanted = stale && stale() ? [] : pages.slice(0, MAX_SHOWN);
      return entries(wanted, clauses).then(function (shown) {
        return {
          count: pages.length, pages: pages, clauses: clauses, corrected: corrected, shown: shown,
          missing: missing, suggestions: suggestions
        };
      });
    });
  }

  window.handbokSearchEngine = {
    MAX_SHOWN: MAX_SHOWN,
    setRoot: function (r) { root = r; },
    load: load,
    ready: function () { return !!manifest; },
    search: search,
    entries: entries,
    shards: function () { return Object.keys(shards).sort(); }
  };
})();
