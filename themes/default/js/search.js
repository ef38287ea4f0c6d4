/* handbok search: Swedish-aware search over the index built by `src/search/`.
 * This file is itself loaded on first use, by the small script in search.html, when focus or a
 * pointer first enters the search form. The index (assets/search-index.js) is then loaded with a
 * <script> element, so both work from file:// and from any server.
 * Without JavaScript the search form stays hidden. */
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
  var MAX_SHOWN = 20;
  var SNIPPET_BEFORE = 60;
  var SNIPPET_LENGTH = 180;

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

  /* How well vocabulary term `t` matches query stem `q` (0 = not at all). */
  function quality(t, q) {
    var best = 0;
    var pos = t.indexOf(q);
    while (pos >= 0) {
      var rest = t.slice(pos + q.length);
      var inflected = ENDINGS[rest] === true;
      var score = 0;
      /* A Swedish compound is a kind of its last part: a medarbetarsamtal is a samtal, a
       * samtalsguide is a guide. So the last part weighs more than the first. */
      if (pos === 0) {
        if (rest === '') { score = 1; }
        else if (inflected) { score = 0.95; }
        else { score = 0.6; }                        /* first part of a compound: lönesamtal */
      } else if (q.length >= 3) {
        if (inflected && (q.length > 3 || rest.length !== 1)) { score = 0.75; } /* last part: medarbetarsamtal */
        else if (q.length >= 4) { score = 0.4; }     /* inside a compound */
      }
      if (score > best) { best = score; }
      pos = t.indexOf(q, pos + 1);
    }
    return best;
  }

  var index = null;
  var terms = null;
  var decoded = [];
  var blockPage = null;
  var loading = false;
  var failed = false;

  function prepare(data) {
    index = data;
    terms = data.terms ? data.terms.split(' ') : [];
    decoded = new Array(terms.length);
    blockPage = new Int32Array(data.blocks.length);
    for (var b = 0; b < data.blocks.length; b++) { blockPage[b] = data.blocks[b][0]; }
  }

  function load() {
    if (index || loading) { return; }
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
        if (input.value.trim()) { run(); }
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

  /* Decode term `t`'s posting string (see src/search/mod.rs) into [block, flags, block, flags, …]. */
  function postings(t) {
    var list = decoded[t];
    if (list) { return list; }
    var str = index.post[t];
    var out = [];
    var prev = -1;
    var n = 0;
    for (var i = 0; i <= str.length; i++) {
      var c = i < str.length ? str.charCodeAt(i) : 44;
      if (c === 44) {
        var block = prev + Math.floor(n / 8);
        out.push(block, n % 8);
        prev = block;
        n = 0;
      } else {
        n = n * 36 + (c <= 57 ? c - 48 : c - 87);
      }
    }
    decoded[t] = out;
    return out;
  }

  function queryStems(query) {
    var words = fold(query).match(WORD) || [];
    words = words.filter(function (w) { return w.length >= 2 || /\d/.test(w); });
    var content = words.filter(function (w) { return STOP.indexOf(w) < 0; });
    if (content.length) { words = content; }
    var seen = {};
    var stems = [];
    words.forEach(function (w) {
      var s = stem(w);
      if (!seen[s]) { seen[s] = true; stems.push(s); }
    });
    return stems;
  }

  /* Search: every query word must match somewhere on a page; title beats heading beats body.
   * Returns {pages: [{page, score, block}], matched: {term: true}}, best first.
   * Scores live in typed arrays indexed by page and block, which keeps a query on a site of
   * 10,000 pages well under 50 ms. */
  function search(query) {
    var stems = queryStems(query);
    var matched = {};
    if (!stems.length) { return { pages: [], matched: matched }; }
    var nPages = index.pages.length;
    var nBlocks = index.blocks.length;
    var pageScore = new Float64Array(nPages);
    var pageTerms = new Uint8Array(nPages);
    var blockScore = new Float32Array(nBlocks);
    var termPage = new Float32Array(nPages);
    var termHits = new Uint16Array(nPages);
    var termBlock = new Float32Array(nBlocks);
    for (var s = 0; s < stems.length; s++) {
      var q = stems[s];
      termPage.fill(0);
      termHits.fill(0);
      termBlock.fill(0);
      var any = false;
      for (var t = 0; t < terms.length; t++) {
        if (terms[t].indexOf(q) < 0) { continue; }
        var qual = quality(terms[t], q);
        if (!qual) { continue; }
        any = true;
        matched[terms[t]] = true;
        var p = postings(t);
        for (var i = 0; i < p.length; i += 2) {
          var block = p[i];
          var flags = p[i + 1];
          var score = qual * ((flags & 4) ? 10 : (flags & 2) ? 4 : 1);
          var page = blockPage[block];
          if (score > termPage[page]) { termPage[page] = score; }
          if (termHits[page] < 65535) { termHits[page]++; }
          if (score > termBlock[block]) { termBlock[block] = score; }
        }
      }
      if (!any) { return { pages: [], matched: matched }; }
      for (var pg = 0; pg < nPages; pg++) {
        if (termPage[pg] > 0) {
          /* Pages that use the word often come first among equals. */
          pageScore[pg] += termPage[pg] + 0.05 * Math.min(termHits[pg], 20);
          pageTerms[pg]++;
        }
      }
      for (var bl = 0; bl < nBlocks; bl++) { blockScore[bl] += termBlock[bl]; }
    }
    var bestBlock = new Int32Array(nPages).fill(-1);
    for (var b = 0; b < nBlocks; b++) {
      if (blockScore[b] <= 0) { continue; }
      var owner = blockPage[b];
      if (bestBlock[owner] < 0 || blockScore[b] > blockScore[bestBlock[owner]]) { bestBlock[owner] = b; }
    }
    var results = [];
    for (var r = 0; r < nPages; r++) {
      if (pageTerms[r] === stems.length) {
        results.push({ page: r, score: pageScore[r], block: bestBlock[r] });
      }
    }
    results.sort(function (x, y) { return y.score - x.score || x.page - y.page; });
    return { pages: results, matched: matched };
  }

  /* A piece of `text` around the first matched word, as DOM nodes with <mark> around matches. */
  function snippet(text, matched) {
    var folded = fold(text);
    var words = [];
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(folded)) !== null) {
      if (matched[m[0]]) { words.push([m.index, m.index + m[0].length]); }
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
  function clearList() { while (list.firstChild) { list.removeChild(list.firstChild); } }
  /* Results show only while the reader is in the search: a late render (the index finishing
     loading) must not pop the list open over whatever has focus now. */
  function open() { if (form.contains(document.activeElement)) { panel.classList.add('is-open'); } }
  function close() { panel.classList.remove('is-open'); }
  function isOpen() { return panel.classList.contains('is-open'); }

  function render(query, found) {
    clearList();
    panel.setAttribute('data-query', query);
    var n = found.pages.length;
    if (n === 0) {
      say(form.getAttribute('data-none').replace('{q}', '”' + query + '”'));
    } else {
      say(n === 1 ? form.getAttribute('data-one') : form.getAttribute('data-many').replace('{n}', String(n)));
    }
    found.pages.slice(0, MAX_SHOWN).forEach(function (r) {
      var page = index.pages[r.page];
      var block = index.blocks[r.block];
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = root + page[1] + (block[1] ? '#' + block[1] : '');
      a.className = 'search-result-title';
      a.textContent = page[0];
      li.appendChild(a);
      var where = [page[2], block[2]].filter(Boolean).join(' › ');
      if (where) {
        var w = document.createElement('span');
        w.className = 'search-where';
        w.textContent = where;
        li.appendChild(w);
      }
      var text = block[3];
      if (!text) {
        /* A match in a title or a heading with no text of its own: show what follows. */
        for (var b = r.block + 1; b < index.blocks.length && index.blocks[b][0] === r.page; b++) {
          if (index.blocks[b][3]) { text = index.blocks[b][3]; break; }
        }
      }
      if (text) {
        var p = document.createElement('p');
        p.className = 'search-snippet';
        p.appendChild(snippet(text, found.matched));
        li.appendChild(p);
      }
      list.appendChild(li);
    });
    open();
  }

  var lastQuery = null;
  /* One letter says nothing yet ("l" has no results of its own): wait for the second, as the
     index does (words of one letter are not searched, digits are). */
  function tooShort(query) { return query.replace(/[\s.,;:!?'"”“()*-]/g, '').length < 2 && !/\d/.test(query); }
  function run() {
    var query = input.value.trim();
    if (!query || tooShort(query)) {
      lastQuery = '';
      clearList();
      say('');
      close();
      return;
    }
    if (!index) {
      if (failed) { fail(); return; }
      load();
      if (!index) { say(form.getAttribute('data-loading')); open(); return; }
    }
    if (query === lastQuery && list.firstChild) { open(); return; }
    lastQuery = query;
    render(query, search(query));
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
    if (input.value.trim() && list.firstChild) { open(); }
  });
  input.addEventListener('input', function () { load(); schedule(); });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(timer);
    run();
  });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'ArrowDown') {
      var all = links();
      if (all.length) {
        e.preventDefault();
        open();
        all[0].focus();
      }
    } else if (e.key === 'Escape') {
      if (isOpen()) {
        e.preventDefault();
        close();
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
      all[Math.min(i + 1, all.length - 1)].focus();
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
      close();
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

  /* For tests and the benchmark: the search without the DOM. */
  window.handbokSearch = {
    ready: function () { return !!index; },
    load: load,
    stem: stem,
    fold: fold,
    query: function (q) { return index ? search(q) : null; }
  };
})();
