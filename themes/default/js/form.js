// Form pages: show the "Skriv ut" and "Töm formuläret" buttons (hidden without JavaScript), and
// before printing write each writing area's typed text onto its own ruled lines at print size.
// The text is laid out in an invisible copy at the printed width and size (--print-measure and
// --typed-size in forms.css), cut where that copy's lines break, and each line is put on a
// ruled line; an area gets extra lines only when its text needs them. After printing the page
// is as before. Nothing is stored or sent.
(function () {
  "use strict";
  function controls() {
    return document.querySelectorAll(".hb-form input, .hb-form textarea");
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
  function fit() {
    unfit();
    var areas = document.querySelectorAll(".hb-area textarea");
    for (var i = 0; i < areas.length; i++) {
      var t = areas[i];
      var box = t.parentNode;
      var rules = box.querySelector(".hb-rules");
      if (!rules || !t.value.trim()) continue;
      var own = rules.children.length;
      var lines = printLines(t);
      while (rules.children.length < lines.length) {
        var extra = document.createElement("div");
        extra.className = "hb-extra";
        rules.appendChild(extra);
      }
      for (var k = 0; k < lines.length; k++) rules.children[k].textContent = lines[k];
      box.classList.add("hb-filled");
      if (lines.length > own) box.parentNode.classList.add("hb-grown");
    }
  }
  function unfit() {
    var extra = document.querySelectorAll(".hb-rules .hb-extra");
    for (var k = 0; k < extra.length; k++) extra[k].parentNode.removeChild(extra[k]);
    var filled = document.querySelectorAll(".hb-filled");
    for (var i = 0; i < filled.length; i++) {
      filled[i].classList.remove("hb-filled");
      filled[i].parentNode.classList.remove("hb-grown");
      var lines = filled[i].querySelectorAll(".hb-rules > div");
      for (var j = 0; j < lines.length; j++) lines[j].textContent = "";
    }
  }
  var bars = document.querySelectorAll(".hb-buttons");
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
      if (all.length) all[0].focus();
    });
  }
  window.addEventListener("beforeprint", fit);
  window.addEventListener("afterprint", unfit);
})();
