// Form pages: show the "Skriv ut" and "Töm formuläret" buttons (hidden without JavaScript); let
// writing areas and table cells grow as one types; warn before leaving a page whose form holds
// answers (the browser's own leave-page question: nothing is stored, so leaving loses them);
// and before printing put every typed answer on paper whole:
// - a writing area's text goes onto its own ruled lines at print size: laid out in an
//   invisible copy at the printed width and size (--print-measure and --typed-size in
//   forms.css), cut where that copy's lines break, one line on each ruled line; an area gets
//   extra lines only when its text needs them. An answer longer than a printed page
//   (--page-lines) continues on the next page under "(forts.)" and its question;
// - a one-line field's or a table cell's answer is printed from a copy that wraps (a field
//   grows downwards, a table row grows), since a control prints only what fits in it.
// After printing the page is as before. Nothing is stored or sent.
(function () {
  "use strict";
  function controls() {
    return document.querySelectorAll(".hb-form input, .hb-form textarea");
  }
  function hasAnswers() {
    var all = controls();
    for (var i = 0; i < all.length; i++) {
      if (all[i].type === "checkbox" ? all[i].checked : all[i].value.trim()) return true;
    }
    return false;
  }
  // The lines `textarea`'s text takes when printed: where the layout of an invisible copy at
  // print width starts a new line, and at every line break typed.
  function printLines(textarea) {
    var value = textarea.value;
    var copy = document.createElement("div");
    copy.className = "hb-measure";
    copy.setAttribute("aria-hidden", "true");
    copy.textContent = value;
    textarea.parentNode.appendChild(copy);
    var text = copy.firstChild;
    var range = document.createRange();
    var lines = [];
    var start = 0;
    var top = null;
    for (var i = 0; i < value.length; i++) {
      var c = value.charCodeAt(i);
      if (c === 10) {
        lines.push(value.slice(start, i));
        start = i + 1;
        top = null;
        continue;
      }
      // Spaces hang at the end of a line; the second half of a surrogate pair is not a character.
      if (c === 32 || c === 9 || (c >= 0xdc00 && c <= 0xdfff)) continue;
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      var rect = range.getClientRects()[0];
      if (!rect) continue;
      if (top === null) {
        top = rect.top;
      } else if (rect.top > top + 1) {
        lines.push(value.slice(start, i).replace(/\s+$/, ""));
        start = i;
        top = rect.top;
      }
    }
    lines.push(value.slice(start));
    copy.parentNode.removeChild(copy);
    // Empty lines typed after the text need no ruled line of their own.
    while (lines.length > 1 && !lines[lines.length - 1].trim()) lines.pop();
    return lines;
  }

  // On screen: a writing area grows by whole ruled lines, a table cell by its text.
  function grow(t) {
    if (t.closest(".hb-table")) {
      t.style.height = "";
      var edge = t.offsetHeight - t.clientHeight;
      if (t.scrollHeight > t.clientHeight) t.style.height = t.scrollHeight + edge + "px";
      return;
    }
    var rules = t.parentNode.querySelector(".hb-rules");
    if (!rules) return;
    var more = rules.querySelectorAll(".hb-grow");
    for (var k = 0; k < more.length; k++) rules.removeChild(more[k]);
    t.style.height = "";
    var rule = parseFloat(getComputedStyle(t).lineHeight) || 1;
    var lines = Math.max(t.rows, Math.ceil((t.scrollHeight - 1) / rule));
    if (lines <= t.rows) return;
    t.style.height = "calc(" + lines + " * var(--rule) + 4px)";
    for (var n = t.rows; n < lines; n++) {
      var line = document.createElement("div");
      line.className = "hb-grow";
      rules.appendChild(line);
    }
  }
  function growAll() {
    var all = document.querySelectorAll(".hb-area textarea, .hb-table textarea");
    for (var i = 0; i < all.length; i++) grow(all[i]);
  }

  function ruledLine(text, extra) {
    var line = document.createElement("div");
    if (extra) line.className = "hb-extra";
    line.textContent = text;
    return line;
  }
  // A block of printed lines that continue an area's answer, under "(forts.)" and its question.
  function continuation(field, lines) {
    var form = field.closest(".hb-form");
    var word = (form && form.getAttribute("data-hb-continued")) || "";
    var label = field.querySelector("label");
    var question = label ? label.textContent.replace(/\u00ad/g, "").trim() : "";
    var part = document.createElement("div");
    part.className = "hb-cont";
    part.setAttribute("aria-hidden", "true");
    var head = document.createElement("p");
    head.className = "hb-cont-label";
    head.textContent = "(" + word + ") " + question;
    var rules = document.createElement("div");
    rules.className = "hb-rules";
    for (var k = 0; k < lines.length; k++) rules.appendChild(ruledLine(lines[k], false));
    part.appendChild(head);
    part.appendChild(rules);
    return part;
  }
  // The printed lines of an area longer than a page: its first page's lines stay in the area,
  // each further page's lines follow in a block of their own.
  // The first page leaves room for the question and a heading above it (six lines), each
  // further page for "(forts.)" and the question (three lines).
  function continueArea(field, lines, perPage) {
    var after = field;
    for (var from = perPage - 6; from < lines.length; from += perPage - 3) {
      var part = continuation(field, lines.slice(from, from + perPage - 3));
      after.parentNode.insertBefore(part, after.nextSibling);
      after = part;
    }
  }
  // The signatures keep company with the last answer before them: that answer's end moves into
  // the signature block (which never breaks), so wherever the block goes, the end goes with it.
  // A table's last row moves as a table of its own (flush with the table, column widths kept);
  // an area's last two lines move only when the area and the block cannot share a page (more
  // lines than --page-lines less the block's --signing-lines), and then under "(forts.)" and
  // the question, as they open the next page. Anything else is kept by the block's
  // break-before: avoid.
  function keepWithSigning(signing) {
    var field = signing.previousElementSibling;
    if (!field) return;
    var table = field.querySelector(".hb-table");
    if (table) {
      var rows = table.querySelectorAll("tbody tr");
      var last = rows[rows.length - 1];
      if (rows.length < 2 || !last.querySelector(".hb-typed")) return;
      var tail = document.createElement("table");
      tail.className = "hb-table hb-tail";
      tail.setAttribute("aria-hidden", "true");
      var cols = document.createElement("colgroup");
      var heads = table.querySelectorAll("thead th");
      // As the printed table: the first column half the width, the others sharing the rest.
      for (var c = 0; c < heads.length; c++) {
        var col = document.createElement("col");
        col.style.width = (c === 0 ? 50 : 50 / (heads.length - 1)) + "%";
        cols.appendChild(col);
      }
      tail.appendChild(cols);
      var body = document.createElement("tbody");
      var copy = last.cloneNode(true);
      var inputs = copy.querySelectorAll("textarea, input");
      for (var i = 0; i < inputs.length; i++) inputs[i].parentNode.removeChild(inputs[i]);
      body.appendChild(copy);
      tail.appendChild(body);
      last.classList.add("hb-moved");
      field.classList.add("hb-tail-before");
      signing.insertBefore(tail, signing.firstChild);
      signing.classList.add("hb-has-tail");
      return;
    }
    var rules = field.querySelector(".hb-filled .hb-rules");
    if (!rules || field.nextElementSibling !== signing) return;
    var perPage = parseInt(getComputedStyle(field).getPropertyValue("--page-lines"), 10) || 30;
    var room = perPage - (parseInt(getComputedStyle(field).getPropertyValue("--signing-lines"), 10) || 12);
    var lines = rules.querySelectorAll(":scope > div");
    var typed = 0;
    for (var k = 0; k < lines.length; k++) if (lines[k].textContent) typed = k + 1;
    if (typed <= room || field.nextElementSibling.classList.contains("hb-cont")) return;
    var moved = [];
    for (var m = typed - 2; m < lines.length; m++) moved.push(lines[m]);
    var part = continuation(field, moved.map(function (l) { return l.textContent; }));
    moved.forEach(function (l) { l.classList.add("hb-moved"); });
    part.classList.add("hb-tail");
    signing.insertBefore(part, signing.firstChild);
    signing.classList.add("hb-has-tail");
  }
  function fitArea(t) {
    var box = t.parentNode;
    var rules = box.querySelector(".hb-rules");
    if (!rules || !t.value.trim()) return;
    var own = rules.children.length;
    var lines = printLines(t);
    var field = box.parentNode;
    var perPage = parseInt(getComputedStyle(field).getPropertyValue("--page-lines"), 10) || 30;
    var first = lines.length > perPage - 6 ? lines.slice(0, perPage - 6) : lines;
    while (rules.children.length < first.length) rules.appendChild(ruledLine("", true));
    for (var k = 0; k < first.length; k++) rules.children[k].textContent = first[k];
    box.classList.add("hb-filled");
    if (lines.length > own) field.classList.add("hb-grown");
    if (lines.length > perPage - 6) continueArea(field, lines, perPage);
  }
  // A one-line field's or a table cell's answer, in a copy that wraps on paper.
  function fitControl(control) {
    if (!control.value.trim()) return;
    var copy = document.createElement("span");
    copy.className = "hb-typed";
    copy.setAttribute("aria-hidden", "true");
    copy.textContent = control.value;
    control.parentNode.insertBefore(copy, control.nextSibling);
    control.classList.add("hb-has-typed");
  }
  function fit() {
    unfit();
    var more = document.querySelectorAll(".hb-rules .hb-grow");
    for (var g = 0; g < more.length; g++) more[g].parentNode.removeChild(more[g]);
    var areas = document.querySelectorAll(".hb-area textarea");
    for (var i = 0; i < areas.length; i++) fitArea(areas[i]);
    var fields = document.querySelectorAll('.hb-form input[type="text"], .hb-table textarea');
    for (var j = 0; j < fields.length; j++) fitControl(fields[j]);
    var signings = document.querySelectorAll(".hb-signing");
    for (var k = 0; k < signings.length; k++) keepWithSigning(signings[k]);
  }
  function unfit() {
    var made = document.querySelectorAll(".hb-rules .hb-extra, .hb-typed, .hb-cont, .hb-tail");
    for (var k = 0; k < made.length; k++) if (made[k].parentNode) made[k].parentNode.removeChild(made[k]);
    var marked = document.querySelectorAll(".hb-moved, .hb-tail-before, .hb-has-tail");
    for (var m = 0; m < marked.length; m++) marked[m].classList.remove("hb-moved", "hb-tail-before", "hb-has-tail");
    var typed = document.querySelectorAll(".hb-has-typed");
    for (var t = 0; t < typed.length; t++) typed[t].classList.remove("hb-has-typed");
    var filled = document.querySelectorAll(".hb-filled");
    for (var i = 0; i < filled.length; i++) {
      filled[i].classList.remove("hb-filled");
      filled[i].parentNode.classList.remove("hb-grown");
      var lines = filled[i].querySelectorAll(".hb-rules > div");
      for (var j = 0; j < lines.length; j++) lines[j].textContent = "";
    }
  }

  var bars = document.querySelectorAll(".hb-buttons, .hb-leave-note");
  for (var i = 0; i < bars.length; i++) {
    bars[i].hidden = false;
    var print = bars[i].querySelector("[data-hb-print]");
    var clear = bars[i].querySelector("[data-hb-clear]");
    if (print) print.addEventListener("click", function () { window.print(); });
    if (clear) clear.addEventListener("click", function () {
      // The question comes from the theme's strings, in the site's language.
      if (!window.confirm(this.getAttribute("data-hb-clear"))) return;
      var all = controls();
      for (var j = 0; j < all.length; j++) {
        if (all[j].type === "checkbox") all[j].checked = false; else all[j].value = "";
      }
      unfit();
      growAll();
      if (all.length) all[0].focus();
    });
  }
  document.addEventListener("input", function (e) {
    var t = e.target;
    if (t && t.tagName === "TEXTAREA" && t.closest(".hb-form")) grow(t);
  });
  window.addEventListener("resize", growAll);
  window.addEventListener("beforeunload", function (e) {
    if (!hasAnswers()) return;
    e.preventDefault();
    e.returnValue = "";
  });
  window.addEventListener("beforeprint", fit);
  window.addEventListener("afterprint", function () {
    unfit();
    growAll();
  });
})();
