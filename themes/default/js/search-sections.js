/* handbok search, part 3 of 4: sections. For a page the index found, which of its sections (the
 * text under each heading, from the page shard) answer the query best, how good the page's best
 * answer is, which of its word forms matched (for the link, so the page can mark them: mark.js),
 * and where a snippet of a section should start. A section that holds every query word beats a
 * match in the page title alone; the word as typed beats its inflections, a word made from it
 * (sjukdom) beats a compound (sjukvård), and every form of the word typed beats a synonym.
 * Exposed as window.handbokSearchSections. */
(function () {
  'use strict';

  var T = window.handbokSearchText;
  /* A synonym's match counts half of the word typed; a corrected word a little more. */
  var SYNONYM_LEVEL = 0.5;
  var CORRECTED_LEVEL = 0.6;
  /* A heading that holds the word says more than a sentence that does. */
  var HEADING = 1.2;
  /* A word in the page title counts for every section of the page, at this share. */
  var TITLE = 0.5;
  /* And lifts the page a little among pages whose best sections are equal. */
  var TITLE_BONUS = 0.4;
  /* A phrase whose words are all in a section but not next to each other. */
  var SCATTERED = 0.7;
  /* Sections shown per result, forms carried in a link. */
  var SECTIONS = 3;
  var FORMS = 8;
  var SNIPPET_BEFORE = 60;
  var SNIPPET_LENGTH = 180;

  /* How well the words of one text (T.wordsAt) match clause `c`: {level, hits: [[word index,
   * level]]}. An alternative of several words (a phrase) needs all of them. */
  function match(words, c) {
    var best = 0;
    var hits = [];
    var factor = c.corrected ? CORRECTED_LEVEL : 1;
    c.alternatives.forEach(function (a) {
      var weight = (a.weight < 1 ? SYNONYM_LEVEL : 1) * factor;
      var levels = a.stems.map(function (s, k) {
        return words.map(function (w) { return w.w.indexOf(s) >= 0 ? T.level(w.w, s, a.words[k]) : 0; });
      });
      var per = levels.map(function (l) { return Math.max.apply(null, [0].concat(l)); });
      var lowest = Math.min.apply(null, per);
      if (lowest <= 0) { return; }
      if (a.stems.length > 1 && !together(levels)) { lowest *= SCATTERED; }
      var v = lowest * weight;
      if (v > best) { best = v; }
      levels.forEach(function (l) {
        l.forEach(function (x, i) { if (x > 0) { hits.push([i, x * weight]); } });
      });
    });
    return { level: best, hits: hits };
  }

  /* Whether a phrase's words stand next to each other, in order, somewhere in the text. */
  function together(levels) {
    var n = levels[0].length;
    for (var i = 0; i + levels.length <= n; i++) {
      var all = true;
      for (var k = 0; k < levels.length && all; k++) { all = levels[k][i + k] > 0; }
      if (all) { return true; }
    }
    return false;
  }

  /* The forms of the words `hits` point at in `text`, as the page spells them (lower case),
   * with their level: added to `forms` ({form: level}). */
  function collect(forms, text, words, hits) {
    hits.forEach(function (h) {
      var w = words[h[0]];
      var form = text.slice(w.at, w.end).toLowerCase();
      if (!(forms[form] >= h[1])) { forms[form] = h[1]; }
    });
  }

  /* Rank the sections of page `entry` ([title, href, section path, [[id, heading, text], …]])
   * for `clauses`: {score, sections: [{block, value, coverage}] best first (at most SECTIONS,
   * those that hold a query word; the page top when none does), forms: [word forms, best first]}. */
  function rank(entry, clauses) {
    var title = T.wordsAt(entry[0]);
    var forms = {};
    var titleLevels = clauses.map(function (c) {
      var m = match(title, c);
      collect(forms, entry[0], title, m.hits);
      return m.level;
    });
    /* A word in the title is in every section of the page (it is what the page is about): it
       counts as held by each, as its text for the page top and at
       a share for the others, so a section holding the other words too beats the top. */
    var scored = entry[3].map(function (b, i) {
      var heading = T.wordsAt(b[1]);
      var text = T.wordsAt(b[2]);
      var value = 0;
      var coverage = 0;
      var owned = false;
      clauses.forEach(function (c, k) {
        var h = match(heading, c);
        var t = match(text, c);
        collect(forms, b[1], heading, h.hits);
        collect(forms, b[2], text, t.hits);
        var own = Math.max(h.level * HEADING, t.level, i === 0 ? titleLevels[k] : 0);
        if (h.level > 0 || t.level > 0) { owned = true; }
        var held = Math.max(own, titleLevels[k] * TITLE);
        if (held > 0) { coverage++; }
        value += held;
      });
      return { block: i, value: value + coverage, coverage: coverage, own: owned };
    });
    var sections = scored.filter(function (s, i) { return s.own || (i === 0 && s.coverage > 0); });
    sections.sort(function (x, y) { return y.value - x.value || x.block - y.block; });
    if (!sections.length) { sections = scored.slice(0, 1); }
    var bonus = titleLevels.reduce(function (s, l) { return s + l; }, 0) * TITLE_BONUS;
    var list = Object.keys(forms).sort(function (x, y) { return forms[y] - forms[x] || (x < y ? -1 : 1); });
    return {
      score: (sections.length ? sections[0].value : 0) + bonus,
      sections: sections.slice(0, SECTIONS),
      forms: list.slice(0, FORMS)
    };
  }

  /* Where a snippet of `text` starts and ends, and the words to mark in it: around the best
   * match (the word typed before its synonyms), {start, end, marks: [[at, end]]}; `whole`: all
   * of it (a heading). */
  function snippet(text, clauses, whole) {
    var words = T.wordsAt(text);
    var levels = words.map(function () { return 0; });
    clauses.forEach(function (c) {
      match(words, c).hits.forEach(function (h) { if (h[1] > levels[h[0]]) { levels[h[0]] = h[1]; } });
    });
    var first = -1;
    levels.forEach(function (l, i) { if (l > 0 && (first < 0 || l > levels[first])) { first = i; } });
    var start = 0;
    if (whole) { first = -1; }
    if (first >= 0 && words[first].at > SNIPPET_BEFORE) {
      start = text.lastIndexOf(' ', words[first].at - SNIPPET_BEFORE) + 1;
    }
    var end = whole ? text.length : Math.min(text.length, start + SNIPPET_LENGTH);
    if (end < text.length) {
      var space = text.indexOf(' ', end);
      end = space < 0 ? text.length : space;
    }
    var marks = [];
    words.forEach(function (w, i) { if (levels[i] > 0 && w.at >= start && w.end <= end) { marks.push([w.at, w.end]); } });
    return { start: start, end: end, marks: marks };
  }

  window.handbokSearchSections = { rank: rank, snippet: snippet };
})();
