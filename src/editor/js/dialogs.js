// Editor script, part 5 of 7 (dialogs): opening and closing dialogs, the link picker, images, form fields.

// --- Dialogs ---------------------------------------------------------------------------
var returnFocus = null;
function open(id, focus) {
  returnFocus = document.activeElement;
  $(id).showModal();
  if (focus) focus.focus();
}
function close(id) {
  $(id).close();
}
Array.prototype.forEach.call(document.querySelectorAll("dialog"), function (d) {
  d.addEventListener("close", function () {
    if (returnFocus && document.contains(returnFocus)) returnFocus.focus();
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
  var area = $("text");
  area.focus();
  area.setRangeText("[" + text.replace(/([\[\]])/g, "\\$1") + "](" + dest + ")", area.selectionStart, area.selectionEnd, "end");
  changed();
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
    var area = $("text");
    area.focus();
    var dest = /[\s()<>]/.test(answer.link) ? "<" + answer.link + ">" : answer.link;
    area.setRangeText("![" + alt.replace(/([\[\]])/g, "\\$1") + "](" + dest + ")", area.selectionStart, area.selectionEnd, "end");
    changed();
  }).catch(function (e) { $("image-problem").textContent = failed(e); });
});

// Form field snippets: inside a ```form block the item alone, else a new block.
Array.prototype.forEach.call(document.querySelectorAll("[data-snippet]"), function (b) {
  b.addEventListener("click", function () {
    var snippet = data.snippets.filter(function (s) { return s.kind === b.getAttribute("data-snippet"); })[0];
    close("field-dialog");
    var area = $("text");
    var before = area.value.slice(0, area.selectionStart);
    var fences = (before.match(/^```form[ \t]*$/gm) || []).length;
    var closes = (before.match(/^```[ \t]*$/gm) || []).length;
    if (fences > closes) {
      var at = area.selectionStart;
      var lineStart = area.value.lastIndexOf("\n", at - 1) + 1;
      var prefix = at > lineStart ? "\n" : "";
      area.focus();
      area.setRangeText(prefix + snippet.yaml, at, at, "end");
      changed();
    } else {
      insertBlock("```form\n" + snippet.yaml + "```");
    }
  });
});
