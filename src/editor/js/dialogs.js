// Editor script, part 5 of 7 (dialogs): opening and closing dialogs, the link picker, images, form fields.

// --- Dialogs ---------------------------------------------------------------------------
var returnFocus = null;
// Where the cursor (or selection) was in the text when a dialog opened: what it inserts goes there.
var textRange = null;
function open(id, focus) {
  returnFocus = document.activeElement;
  var area = $("text");
  textRange = [area.selectionStart, area.selectionEnd];
  $(id).showModal();
  if (focus) focus.focus();
}
function close(id) {
  $(id).close();
}
// Put `text` into the page's text where the cursor was when the dialog opened, replacing the
// selection; `select` (a part of `text`) is selected afterwards, else the cursor follows it.
function insertAtCursor(text, select) {
  var area = $("text");
  var range = textRange || [area.selectionStart, area.selectionEnd];
  var from = Math.min(range[0], area.value.length), to = Math.min(range[1], area.value.length);
  returnFocus = area;
  area.focus();
  area.setRangeText(text, from, to, "end");
  var inside = select ? text.indexOf(select) : -1;
  if (inside >= 0) area.setSelectionRange(from + inside, from + inside + select.length);
  changed();
}
Array.prototype.forEach.call(document.querySelectorAll("dialog"), function (d) {
  d.addEventListener("close", function () {
    if (returnFocus && document.contains(returnFocus)) {
      // Focus goes back without moving the cursor the insert left.
      var keep = returnFocus === $("text") ? [returnFocus.selectionStart, returnFocus.selectionEnd] : null;
      returnFocus.focus();
      if (keep) returnFocus.setSelectionRange(keep[0], keep[1]);
    }
  });
  // Enter in a field does the dialog's default (its first submit button's action, which the
  // button's own click handler runs); only the "Avbryt" button closes the dialog.
  var form = d.querySelector("form");
  form.addEventListener("submit", function (e) {
    if (!e.submitter || e.submitter.value !== "cancel") e.preventDefault();
  });
});

// The link picker: search the pages, pick one and optionally a heading.
var chosenPage = null;
function openLinkDialog() {
  var area = $("text");
  $("link-text").value = area.value.slice(area.selectionStart, area.selectionEnd);
  $("link-search").value = "";
  $("link-problem").textContent = "";
  chosenPage = null;
  fillAnchors();
  open("link-dialog", $("link-search"));
  var ready = state.pages ? Promise.resolve() : api("pages?sida=" + encodeURIComponent(state.source)).then(function (list) { state.pages = list; });
  ready.then(listPages).catch(function (e) { $("link-problem").textContent = failed(e); });
}
function fold(s) {
  return s.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}
function listPages() {
  var q = fold($("link-search").value.trim());
  var ul = $("link-results");
  ul.textContent = "";
  var found = (state.pages || []).filter(function (p) {
    return !q || fold(p.title + " " + p.trail.join(" ") + " " + p.source).indexOf(q) >= 0;
  });
  found.slice(0, 50).forEach(function (p) {
    var li = document.createElement("li");
    var b = document.createElement("button");
    b.type = "button";
    b.setAttribute("aria-pressed", String(chosenPage === p));
    var title = document.createElement("span");
    title.textContent = p.title;
    var trail = document.createElement("span");
    trail.className = "trail";
    trail.textContent = (p.trail.length ? p.trail.join(" › ") + " · " : "") + p.link;
    b.appendChild(title);
    b.appendChild(document.createTextNode(" "));
    b.appendChild(trail);
    b.addEventListener("click", function () {
      chosenPage = p;
      Array.prototype.forEach.call(ul.querySelectorAll("button"), function (x) { x.setAttribute("aria-pressed", "false"); });
      b.setAttribute("aria-pressed", "true");
      if (!$("link-text").value) $("link-text").value = p.title;
      fillAnchors();
      $("link-anchor").focus();
    });
    li.appendChild(b);
    ul.appendChild(li);
  });
  $("link-count").textContent = found.length === 0 ? T.editor_picker_none : fill(T.editor_picker_count, { n: found.length });
}
function fillAnchors() {
  var select = $("link-anchor");
  select.textContent = "";
  var whole = document.createElement("option");
  whole.value = "";
  whole.textContent = T.editor_whole_page;
  select.appendChild(whole);
  (chosenPage ? chosenPage.headings : []).forEach(function (h) {
    var o = document.createElement("option");
    o.value = h.id;
    o.textContent = (h.level > 2 ? "\u2003" : "") + h.text;
    select.appendChild(o);
  });
}
$("link-search").addEventListener("input", listPages);
$("link-search").addEventListener("keydown", function (e) {
  if (e.key === "ArrowDown") {
    var first = $("link-results").querySelector("button");
    if (first) { e.preventDefault(); first.focus(); }
  }
});
$("link-insert").addEventListener("click", function () {
  // Enter in the search field takes the first match (then Enter in the link text inserts it).
  var first = $("link-results").querySelector("button");
  if (!chosenPage && first && document.activeElement === $("link-search")) {
    first.click();
    return;
  }
  if (!chosenPage) {
    $("link-problem").textContent = T.editor_link_choose;
    $("link-search").focus();
    return;
  }
  var anchor = $("link-anchor").value;
  var text = $("link-text").value.trim() || chosenPage.title;
  var dest = chosenPage.link + (anchor ? "#" + anchor : "");
  if (/[\s()<>]/.test(dest)) dest = "<" + dest + ">";
  close("link-dialog");
  insertAtCursor("[" + text.replace(/([[\]])/g, "\\$1") + "](" + dest + ")");
});

// Images: uploaded into the page's folder; the alt text is required first.
function openImageDialog() {
  $("image-problem").textContent = "";
  $("image-alt").removeAttribute("aria-invalid");
  $("image-file").value = "";
  $("image-alt").value = "";
  open("image-dialog", $("image-file"));
}
$("image-insert").addEventListener("click", function () {
  var file = $("image-file").files[0];
  var alt = $("image-alt").value.trim();
  if (!file) {
    $("image-problem").textContent = T.editor_image_choose;
    $("image-file").focus();
    return;
  }
  if (!alt) {
    $("image-problem").textContent = T.editor_alt_required;
    $("image-alt").setAttribute("aria-invalid", "true");
    $("image-alt").focus();
    return;
  }
  var path = "image?sida=" + encodeURIComponent(state.source) + "&namn=" + encodeURIComponent(file.name);
  api(path, file, true).then(function (answer) {
    close("image-dialog");
    var dest = /[\s()<>]/.test(answer.link) ? "<" + answer.link + ">" : answer.link;
    insertAtCursor("![" + alt.replace(/([[\]])/g, "\\$1") + "](" + dest + ")");
  }).catch(function (e) { $("image-problem").textContent = failed(e); });
});

// Form field snippets: inside a ```form block the item alone, else a new block.
Array.prototype.forEach.call(document.querySelectorAll("[data-snippet]"), function (b) {
  b.addEventListener("click", function () {
    var snippet = data.snippets.filter(function (s) { return s.kind === b.getAttribute("data-snippet"); })[0];
    close("field-dialog");
    var area = $("text");
    var at = textRange ? textRange[0] : area.selectionStart;
    area.focus();
    area.setSelectionRange(at, textRange ? textRange[1] : at);
    returnFocus = area;
    // The field's label (its example text) is selected, to be typed over.
    var label = snippet.yaml.slice(snippet.yaml.indexOf(": ") + 2, snippet.yaml.indexOf("\n"));
    var before = area.value.slice(0, at);
    var fences = (before.match(/^```form[ \t]*$/gm) || []).length;
    var closes = (before.match(/^```[ \t]*$/gm) || []).length;
    if (fences > closes) {
      var lineStart = area.value.lastIndexOf("\n", at - 1) + 1;
      insertAtCursor((at > lineStart ? "\n" : "") + snippet.yaml, label);
    } else {
      insertBlock("```form\n" + snippet.yaml + "```", label);
    }
  });
});
