/* handbok search, part 4 of 4: the search field and its results. This file and the three
 * before it (search-text.js, search-shards.js, search-sections.js) are loaded on first use, in
 * order, by the small script in search.html, when focus or a pointer first enters the search
 * form; the index then loads its pieces as queries need them (search-shards.js). A result links
 * to the section that answers and carries the word forms that matched (`?sok=`), which the page
 * marks (mark.js). Without JavaScript the search form stays hidden. */
(function () {
  'use strict';

  var form = document.querySelector('form.site-search');
  if (!form || !window.handbokSearchEngine) { return; }
  var T = window.handbokSearchText;
  var engine = window.handbokSearchEngine;
  var sections = window.handbokSearchSections;
  var input = form.querySelector('input[type="search"]');
  var panel = form.querySelector('.search-panel');
  var status = form.querySelector('.search-status');
  var announce = form.querySelector('.search-announce');
  var list = form.querySelector('.search-list');
  var root = form.getAttribute('data-root') || '';
  engine.setRoot(root);
  var manifestReady = false;
  var failed = false;

  function load() {
    if (manifestReady) { return; }
    engine.load().then(function () {
      if (manifestReady) { return; }
      manifestReady = true;
      failed = false;
      /* After the pause like any keystroke: a reader still typing does not load the shards
         of half a word. */
      if (input.value.trim()) { schedule(); }
    }, fail);
  }

  function fail() {
    failed = true;
    clearList();
    say(form.getAttribute('data-error'));
    open();
  }

  /* `text` between `plan.start` and `plan.end` (search-sections.js) as DOM nodes, with <mark>
   * around the matched words. */
  function snippetNodes(text, plan) {
    var frag = document.createDocumentFragment();
    if (plan.start > 0) { frag.appendChild(document.createTextNode('… ')); }
    var at = plan.start;
    plan.marks.forEach(function (w) {
      frag.appendChild(document.createTextNode(text.slice(at, w[0])));
      var mark = document.createElement('mark');
      mark.textContent = text.slice(w[0], w[1]);
      frag.appendChild(mark);
      at = w[1];
    });
    frag.appendChild(document.createTextNode(text.slice(at, plan.end)));
    if (plan.end < text.length) { frag.appendChild(document.createTextNode(' …')); }
    return frag;
  }

  /* The text a section's snippet comes from: its own, or (a heading with no text of its own)
     what follows it. */
  function sectionText(blocks, b) {
    var text = blocks[b][2];
    for (var k = b + 1; !text && k < blocks.length; k++) { text = blocks[k][2]; }
    return text;
  }

  function snippetOf(blocks, b, clauses) {
    var text = sectionText(blocks, b);
    if (!text) { return null; }
    var p = document.createElement('p');
    p.className = 'search-snippet';
    p.appendChild(snippetNodes(text, sections.snippet(text, clauses)));
    return p;
  }

  /* The address of a section of a result: the page, the forms to mark, the section's anchor. */
  function hrefOf(r, b) {
    var id = r.entry[3][b][0];
    var query = r.forms.length ? '?sok=' + r.forms.map(encodeURIComponent).join(',') : '';
    return root + r.entry[1] + query + (id ? '#' + id : '');
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
          var folded = T.fold(t);
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
    if (suggestions) {
      while (suggestions.firstChild) { suggestions.removeChild(suggestions.firstChild); }
      suggestions.hidden = true;
    }
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
      /* A word the handbook has in no form is named; its nearest real words are offered. */
      var named = found.missing.length ? found.missing.join(' ') : query;
      say(form.getAttribute('data-none').replace('{q}', '”' + named + '”'));
      suggest(query, found);
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

  /* "Menade du: …": buttons that search for a suggested word in place of the missing one. */
  var suggestions = document.createElement('p');
  suggestions.className = 'search-suggestions';
  suggestions.hidden = true;
  list.parentNode.insertBefore(suggestions, list);
  function suggest(query, found) {
    var words = found.suggestions.filter(function (w, i, all) { return all.indexOf(w) === i; });
    if (!words.length || found.missing.length !== 1) { return; }
    suggestions.appendChild(document.createTextNode(form.getAttribute('data-suggest') + ' '));
    words.forEach(function (w, i) {
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'search-suggestion';
      button.textContent = w;
      button.addEventListener('click', function () {
        var missing = found.missing[0];
        var at = T.fold(query).indexOf(missing);
        input.value = at < 0 ? w : query.slice(0, at) + w + query.slice(at + missing.length);
        input.focus();
        run();
      });
      if (i) { suggestions.appendChild(document.createTextNode(', ')); }
      suggestions.appendChild(button);
    });
    suggestions.hidden = false;
  }

  /* The results on screen: the last search's, and its next results for "show more". */
  var current = null;
  var more = document.createElement('button');
  more.type = 'button';
  more.className = 'search-more';
  more.hidden = true;
  more.textContent = form.getAttribute('data-more') || '';
  list.parentNode.appendChild(more);

  /* One result: the page title linking to its best section, where that is, its snippet, and
     the page's other sections that answer (up to two more), each with its heading and snippet. */
  function appendResults(shown) {
    var added = [];
    shown.forEach(function (r) {
      var page = r.entry;
      var blocks = page[3];
      var best = r.sections[0].block;
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = hrefOf(r, best);
      a.className = 'search-result-title';
      a.textContent = page[0];
      li.appendChild(a);
      /* Where the answer is: the page's sections, then the heading, its matched words marked. */
      var heading = blocks[best][1];
      if (page[2] || heading) {
        var w = document.createElement('span');
        w.className = 'search-where';
        w.textContent = page[2] && heading ? page[2] + ' › ' : page[2];
        if (heading) { w.appendChild(snippetNodes(heading, sections.snippet(heading, current.clauses, true))); }
        li.appendChild(w);
      }
      var p = snippetOf(blocks, best, current.clauses);
      if (p) { li.appendChild(p); }
      var others = r.sections.slice(1);
      if (others.length) {
        var ul = document.createElement('ul');
        ul.className = 'search-sections';
        others.forEach(function (s) {
          var item = document.createElement('li');
          var link = document.createElement('a');
          link.href = hrefOf(r, s.block);
          link.className = 'search-section';
          link.textContent = blocks[s.block][1] || page[0];
          item.appendChild(link);
          var sp = snippetOf(blocks, s.block, current.clauses);
          if (sp) { item.appendChild(sp); }
          ul.appendChild(item);
        });
        li.appendChild(ul);
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
    engine.entries(found.pages.slice(from, from + engine.MAX_SHOWN), found.clauses).then(function (shown) {
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
    if (!manifestReady) {
      if (failed) { failed = false; }
      load();
      say(form.getAttribute('data-loading'));
      open();
      return;
    }
    if (query === lastQuery && list.firstChild) { open(); return; }
    lastQuery = query;
    /* Shards arrive in their own time: only the latest query's results are shown. */
    var current = ++searches;
    var stale = function () { return current !== searches || input.value.trim() !== query; };
    engine.search(query, stale).then(function (found) {
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

  /* Arrow keys move from result to result (their titles); Tab also reaches each result's other
     section links. */
  function links() { return Array.prototype.slice.call(list.querySelectorAll('.search-result-title')); }
  /* The result the focus is in: its title's place in links(), or -1. */
  function resultOf(el, all) {
    var li = el && el.closest ? el.closest('.search-list > li') : null;
    return li ? all.indexOf(li.querySelector('.search-result-title')) : -1;
  }

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
    var i = resultOf(document.activeElement, all);
    if (i < 0) { return; }
    if (e.key === 'ArrowUp' && all[i] !== document.activeElement) {
      /* From a section link up to its result's title. */
      e.preventDefault();
      all[i].focus();
    } else if (e.key === 'ArrowDown') {
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
    ready: function () { return manifestReady; },
    load: load,
    stem: T.stem,
    fold: T.fold,
    query: function (q) { return manifestReady ? engine.search(q) : Promise.reject(new Error('not loaded')); },
    shards: engine.shards,
    /* Search for what the field holds now, as the index arriving does (not waiting for a pause). */
    run: function () { run(); }
  };
})();
