// Form pages: show the "Skriv ut" and "Töm formuläret" buttons (hidden without JavaScript); let
// writing areas and table cells grow as one types; warn before leaving a page whose form holds
// answers (the browser's own leave-page question: nothing is stored, so leaving loses them);
// and before printing put every typed answer on paper whole:
// - a writing area's text goes onto its own ruled lines at print size: laid out in an
//   invisible copy at the printed width and size (--print-measure and --typed-size in
//   forms.css), cut where that copy's lines break, one line on each ruled line; an area gets
//   extra lines only when its text needs them. The lines may break over pages anywhere, and
//   a page that continues an answer opens with "(forts.)" and its question;
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

  // A writing area's answer on paper: a table of ruled lines whose head, "(forts.)" and the
  // question, the browser repeats at the top of every further page the answer runs onto. The
  // head's first appearance is pulled up out of the clipping box (--h is its height, measured
  // at print size), so it is only seen where the answer continues. Chromium breaks the table
  // between lines wherever the page ends: no page is left part-empty.
  function printedLines(field, lines) {
    var form = field.closest(".hb-form");
    var word = (form && form.getAttribute("data-hb-continued")) || "";
    var label = field.querySelector("label");
    var question = label ? label.textContent.replace(/\u00ad/g, "").trim() : "";
    var head = "(" + word + ") " + question;
    var measure = document.createElement("div");
    measure.className = "hb-cont-measure";
    measure.textContent = head;
    field.appendChild(measure);
    var height = measure.getBoundingClientRect().height;
    field.removeChild(measure);
    var box = document.createElement("div");
    box.className = "hb-print-lines";
    box.setAttribute("aria-hidden", "true");
    box.style.setProperty("--h", Math.ceil(height) + 2 + "px");
    var table = document.createElement("table");
    var th = document.createElement("th");
    th.textContent = head;
    table.appendChild(document.createElement("thead")).appendChild(document.createElement("tr")).appendChild(th);
    var body = table.appendChild(document.createElement("tbody"));
    for (var k = 0; k < lines.length; k++) {
      body.appendChild(document.createElement("tr")).appendChild(document.createElement("td")).textContent = lines[k];
    }
    box.appendChild(table);
    return box;
  }
  // The signatures keep company with the last answer before them. A form table's last row moves
  // into the signature block (which never breaks) as a table of its own (flush with the table,
  // column widths kept), so wherever the block goes, the row goes with it. Anything else (an
  // area's printed lines) is kept by the block's break-before: avoid.
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
    }
  }
  function fitArea(t) {
    var box = t.parentNode;
    var rules = box.querySelector(".hb-rules");
    if (!rules || !t.value.trim()) return;
    var lines = printLines(t);
    // A short answer keeps the area's blank lines below it for writing by hand.
    while (lines.length < rules.children.length) lines.push("");
    var field = box.parentNode;
    field.insertBefore(printedLines(field, lines), box.nextSibling);
    box.classList.add("hb-filled");
    field.classList.add("hb-printed");
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
    var made = document.querySelectorAll(".hb-print-lines, .hb-typed, .hb-tail");
    for (var k = 0; k < made.length; k++) if (made[k].parentNode) made[k].parentNode.removeChild(made[k]);
    var marked = document.querySelectorAll(".hb-moved, .hb-tail-before, .hb-has-tail, .hb-printed");
    for (var m = 0; m < marked.length; m++) marked[m].classList.remove("hb-moved", "hb-tail-before", "hb-has-tail", "hb-printed");
    var typed = document.querySelectorAll(".hb-has-typed");
    for (var t = 0; t < typed.length; t++) typed[t].classList.remove("hb-has-typed");
    var filled = document.querySelectorAll(".hb-filled");
    for (var i = 0; i < filled.length; i++) {
      filled[i].classList.remove("hb-filled");
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
