// Editor script, part 4 of 7 (toolbar): editing the text, the toolbar and its shortcuts.

// --- Editing the text ------------------------------------------------------------------
function replaceSelection(before, middle, after, selectMiddle) {
  var area = $("text");
  var s = area.selectionStart, e = area.selectionEnd;
  var chosen = area.value.slice(s, e) || middle;
  area.focus();
  area.setRangeText(before + chosen + after, s, e, "end");
  if (selectMiddle) area.setSelectionRange(s + before.length, s + before.length + chosen.length);
  changed();
}
// Prefix every selected line (or the cursor's line).
function prefixLines(prefix, numbered) {
  var area = $("text");
  var v = area.value;
  var s = v.lastIndexOf("\n", area.selectionStart - 1) + 1;
  var e = v.indexOf("\n", Math.max(area.selectionEnd - 1, s));
  if (e < 0) e = v.length;
  var lines = v.slice(s, e).split("\n");
  var out = lines.map(function (line, i) {
    var bare = line.replace(/^(#{1,6} |[-*+] \[[ xX]\] |[-*+] |\d+[.)] |> )/, "");
    var p = numbered ? (i + 1) + ". " : prefix;
    return p + (bare || (prefix.charAt(0) === "#" ? T.editor_heading_text : T.editor_list_item));
  }).join("\n");
  // A selection stays selected (to apply another kind); a cursor goes on after the text.
  var hadSelection = area.selectionStart !== area.selectionEnd;
  area.focus();
  area.setRangeText(out, s, e, hadSelection ? "select" : "end");
  changed();
}
function insertBlock(text) {
  var area = $("text");
  var v = area.value;
  var at = area.selectionEnd;
  var before = at > 0 && v.charAt(at - 1) !== "\n" ? "\n\n" : (at > 1 && v.charAt(at - 2) !== "\n" ? "\n" : "");
  var after = v.charAt(at) && v.charAt(at) !== "\n" ? "\n\n" : "\n";
  area.focus();
  area.setRangeText(before + text + after, at, at, "end");
  changed();
}
var actions = {
  h2: function () { prefixLines("## "); },
  h3: function () { prefixLines("### "); },
  bold: function () { replaceSelection("**", T.editor_bold_text, "**", true); },
  italic: function () { replaceSelection("*", T.editor_italic_text, "*", true); },
  bullets: function () { prefixLines("- "); },
  numbers: function () { prefixLines("", true); },
  checklist: function () { prefixLines("- [ ] "); },
  note: function () {
    var area = $("text");
    var chosen = area.value.slice(area.selectionStart, area.selectionEnd) || T.editor_note_text;
    area.setRangeText("", area.selectionStart, area.selectionEnd, "end");
    insertBlock("> [!NOTE]\n" + chosen.split("\n").map(function (l) { return "> " + l; }).join("\n"));
  },
  link: openLinkDialog,
  image: openImageDialog,
  field: function () { open("field-dialog", $("field-dialog").querySelector("button")); },
};
var keys = { Digit1: "note", Digit2: "h2", Digit3: "h3", Digit5: "image", Digit6: "field", Digit7: "numbers", Digit8: "bullets", Digit9: "checklist" };
document.addEventListener("keydown", function (e) {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
  var action = null;
  if (e.shiftKey) action = keys[e.code];
  else if (e.key === "s" || e.key === "S") action = "save";
  else if (e.target === $("text") || e.target.closest(".toolbar")) {
    action = { b: "bold", i: "italic", k: "link" }[e.key.toLowerCase()];
  }
  if (!action) return;
  e.preventDefault();
  if (action === "save") save();
  else actions[action]();
});
// The toolbar is one tab stop; arrow keys move between its buttons.
(function () {
  var buttons = Array.prototype.slice.call(document.querySelectorAll(".toolbar button"));
  buttons.forEach(function (b, i) {
    b.tabIndex = i === 0 ? 0 : -1;
    b.addEventListener("click", function () { actions[b.getAttribute("data-action")](); });
    b.addEventListener("keydown", function (e) {
      var to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: buttons.length - 1 }[e.key];
      if (to === undefined) return;
      e.preventDefault();
      to = (to + buttons.length) % buttons.length;
      b.tabIndex = -1;
      buttons[to].tabIndex = 0;
      buttons[to].focus();
    });
  });
})();
