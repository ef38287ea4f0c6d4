/* handbok search: the landing. A search result links to its section with the word forms that
 * matched on the page, `page.html?sok=löneöversynen,löneutveckling#section` (search.js). Loaded
 * only on such an address (by the small script in search.html), this marks those words on the
 * page with <mark>, scrolls to the first of them in the section, takes `sok` out of the address
 * (history.replaceState, so a reload or a copied link shows the page as it is), tells a screen
 * reader where the reader landed (a polite status message) and offers "Rensa markering". Works
 * from file:// too: the forms travel in the address, nothing else is loaded. */
(function () {
  'use strict';

  var found = /[?&]sok=([^&#]*)/.exec(location.search);
  if (!found) { return; }
  /* Bounded: a hand-made address cannot make the page do much work. */
  var MAX_FORMS = 20;
  var MAX_FORM = 64;
  var MAX_MARKS = 500;
  var WORD = /[\p{L}\p{N}\u00ad]+/gu;

  var forms = [];
  found[1].split(',').forEach(function (f) {
    var word;
    try { word = decodeURIComponent(f.replace(/\+/g, ' ')); } catch (e) { return; }
    word = word.trim().toLowerCase();
    if (word && word.length <= MAX_FORM && forms.length < MAX_FORMS && forms.indexOf(word) < 0) { forms.push(word); }
  });

  /* The address without `sok`, keeping any other parameter and the section's anchor. */
  function forget() {
    var rest = location.search.slice(1).split('&').filter(function (p) { return p && p.lastIndexOf('sok=', 0) !== 0; });
    var url = location.pathname + (rest.length ? '?' + rest.join('&') : '') + location.hash;
    try { history.replaceState(history.state, '', url); } catch (e) { /* an address the browser will not rewrite stays */ }
  }

  function skip(el) {
    return /^(SCRIPT|STYLE|TEXTAREA|INPUT|SELECT|OPTION|BUTTON|MARK|NAV|svg)$/i.test(el.nodeName) ||
      el.classList.contains('search-landing') || el.classList.contains('visually-hidden');
  }

  /* Wrap every word of `main` that is one of the forms (soft hyphens aside) in <mark>. */
  function markWords(main) {
    var texts = [];
    var walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT, {
      acceptNode: function (n) {
        if (n.nodeType === 1) { return skip(n) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_SKIP; }
        return NodeFilter.FILTER_ACCEPT;
      }
    });
    while (walker.nextNode()) { texts.push(walker.currentNode); }
    var marks = [];
    texts.forEach(function (node) {
      var text = node.nodeValue;
      var m;
      var at = 0;
      var frag = null;
      WORD.lastIndex = 0;
      while ((m = WORD.exec(text)) !== null && marks.length < MAX_MARKS) {
        var form = m[0].replace(/\u00ad/g, '').toLowerCase();
        if (forms.indexOf(form) < 0) { continue; }
        frag = frag || document.createDocumentFragment();
        frag.appendChild(document.createTextNode(text.slice(at, m.index)));
        var mark = document.createElement('mark');
        mark.className = 'search-hit';
        mark.setAttribute('data-form', form);
        mark.textContent = m[0];
        frag.appendChild(mark);
        marks.push(mark);
        at = m.index + m[0].length;
      }
      if (frag) {
        frag.appendChild(document.createTextNode(text.slice(at)));
        node.parentNode.replaceChild(frag, node);
      }
    });
    return marks;
  }

  /* The section the address points at: its heading and the next heading of its level or above
     (null: to the end), or the page from its top when there is no anchor. */
  function section(main) {
    var id = '';
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { id = ''; }
    var start = id ? document.getElementById(id) : null;
    if (!start || !main.contains(start)) {
      /* The page top: the text before the first heading of the text itself (not the page's
         document information or its table of contents). */
      var first = [].filter.call(main.querySelectorAll('h2, h3, h4, h5, h6'), function (h) {
        return !h.closest('nav, aside, .doc-info');
      })[0];
      return { start: null, end: first || null };
    }
    var level = /^H([1-6])$/.test(start.nodeName) ? +start.nodeName.charAt(1) : 7;
    var end = null;
    var headings = main.querySelectorAll('h1, h2, h3, h4, h5, h6');
    for (var i = 0; i < headings.length && !end; i++) {
      var h = headings[i];
      if ((start.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_FOLLOWING) && +h.nodeName.charAt(1) <= level) { end = h; }
    }
    return { start: start, end: end };
  }

  function inside(node, range) {
    var after = !range.start || range.start === node || range.start.contains(node) ||
      (range.start.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_FOLLOWING);
    var before = !range.end || (range.end.compareDocumentPosition(node) & Node.DOCUMENT_POSITION_PRECEDING);
    return !!(after && before);
  }

  /* The mark to land on: in the section, the first of the best form found there; past the page
     title, whose words brought the reader here but whose answer is in the text. */
  function target(marks, range) {
    var here = marks.filter(function (m) { return inside(m, range); });
    var text = here.filter(function (m) { return !m.closest('h1, .doc-info'); });
    if (text.length) { here = text; }
    for (var i = 0; i < forms.length; i++) {
      for (var k = 0; k < here.length; k++) { if (here[k].getAttribute('data-form') === forms[i]) { return here[k]; } }
    }
    return null;
  }

  /* A heading's text as a screen reader says it: without its hidden "#" anchor link. */
  function heard(heading) {
    var copy = heading.cloneNode(true);
    [].forEach.call(copy.querySelectorAll('[aria-hidden="true"]'), function (n) { n.remove(); });
    return copy.textContent.replace(/\u00ad/g, '').replace(/\s+/g, ' ').trim();
  }

  function unmark(marks) {
    marks.forEach(function (m) {
      var parent = m.parentNode;
      if (!parent) { return; }
      parent.replaceChild(document.createTextNode(m.textContent), m);
      parent.normalize();
    });
  }

  function land() {
    var main = document.querySelector('main') || document.body;
    var search = document.querySelector('form.site-search');
    var say = function (key, fallback) { return (search && search.getAttribute('data-mark-' + key)) || fallback; };
    forget();
    var marks = markWords(main);
    if (!marks.length) { return; }
    var range = section(main);
    var first = target(marks, range) || (!range.start && target(marks, { start: null, end: null })) || range.start || marks[0];
    var bar = document.createElement('div');
    bar.className = 'search-landing';
    var status = document.createElement('p');
    status.className = 'search-landing-status';
    status.setAttribute('role', 'status');
    var clear = document.createElement('button');
    clear.type = 'button';
    clear.className = 'search-landing-clear';
    clear.textContent = say('clear', 'Rensa markering');
    bar.appendChild(status);
    bar.appendChild(clear);
    main.insertBefore(bar, main.firstChild);
    var where = range.start ? heard(range.start) : document.title.split(' – ')[0];
    var text = say(range.start ? 'landed' : 'top', '{n} {s}').replace('{n}', String(marks.length)).replace('{s}', '”' + where + '”');
    clear.addEventListener('click', function () {
      unmark(marks);
      marks = [];
      status.textContent = say('cleared', '');
      clear.remove();
      main.focus();
    });
    /* The browser keeps the address's section in view until the page has loaded: scroll after it. */
    var scroll = function () {
      /* At once, not smoothly: the answer is on screen when the page says it is there. */
      first.scrollIntoView({ block: 'center', behavior: 'instant' });
      main.setAttribute('data-search-landed', '');
      /* Written once the region is in the page, so a screen reader hears it. */
      requestAnimationFrame(function () { requestAnimationFrame(function () { status.textContent = text; }); });
    };
    var later = function () { requestAnimationFrame(scroll); };
    if (document.readyState === 'complete') { later(); } else { window.addEventListener('load', later); }
  }

  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', land); } else { land(); }
})();
