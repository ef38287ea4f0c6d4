// Editor script, import part (between pages and main): "Importera Word-dokument". The .docx is
// sent as it is to /api/import, which writes the page(s) exactly as `handbok import` does; an
// existing page is replaced only after the person chose "Ersätt befintlig sida" when told it
// exists. Then a dialog lists what was written and asks for the alternative text of each
// imported image (with a preview), writes the texts into the page through /api/import/alt (the
// save path), and opens the imported page in the editor.

var IMPORT_LIMIT = 50 * 1024 * 1024;
var imported = null;
var previewUrls = [];

function importProblem(text, hint) {
  $("import-problem").textContent = text || "";
  $("import-hint").textContent = hint || "";
}
$("import-docx").addEventListener("click", function () {
  if (dirty() && !confirm(T.editor_leave_unsaved)) return;
  var select = $("import-section");
  select.textContent = "";
  state.page.sections.forEach(function (s) {
    var o = document.createElement("option");
    o.value = s.dir;
    o.textContent = s.title + (s.dir ? " (" + s.dir + "/)" : "");
    if (s.dir === state.source.replace(/\/?[^/]*$/, "")) o.selected = true;
    select.appendChild(o);
  });
  $("import-file").value = "";
  $("import-split").checked = false;
  $("import-accept").checked = false;
  $("import-replace").hidden = true;
  $("import-start").disabled = false;
  importProblem();
  open("import-dialog", $("import-file"));
});
// A new choice of file or option means asking again before anything is replaced.
["import-file", "import-section", "import-split", "import-accept"].forEach(function (id) {
  $(id).addEventListener("change", function () { $("import-replace").hidden = true; });
});
function sendImport(replace) {
  var file = $("import-file").files[0];
  if (!file) {
    importProblem(T.editor_import_choose);
    $("import-file").focus();
    return;
  }
  if (file.size > IMPORT_LIMIT) {
    // Never sent: the server would refuse it by its length, unread, in these same words.
    importProblem(fill(T.editor_import_refused, {
      why: fill(T.editor_import_too_large, { mb: Math.floor(file.size / (1024 * 1024)) }),
    }));
    $("import-file").focus();
    return;
  }
  importProblem();
  $("import-start").disabled = true;
  $("import-replace").disabled = true;
  say(T.editor_import_working);
  var query = "import?namn=" + encodeURIComponent(file.name) +
    "&till=" + encodeURIComponent($("import-section").value) +
    "&dela=" + $("import-split").checked + "&godkann=" + $("import-accept").checked +
    "&ersatt=" + Boolean(replace);
  api(query, file, true).then(function (answer) {
    say("");
    close("import-dialog");
    showImported(answer);
  }).catch(function (e) {
    say("");
    $("import-start").disabled = false;
    $("import-replace").disabled = false;
    importProblem(failed(e), e.hint);
    $("import-replace").hidden = e.error !== "editor_import_exists";
    ($("import-replace").hidden ? $("import-file") : $("import-replace")).focus();
  });
}
$("import-start").addEventListener("click", function () { sendImport(false); });
$("import-replace").addEventListener("click", function () { sendImport(true); });

function showImported(answer) {
  imported = answer;
  var created = $("import-created");
  created.textContent = "";
  answer.written.forEach(function (w) {
    var li = document.createElement("li");
    li.textContent = w;
    created.appendChild(li);
  });
  var warnings = $("import-warnings");
  warnings.textContent = "";
  answer.warnings.forEach(function (w) {
    var li = document.createElement("li");
    li.textContent = w;
    warnings.appendChild(li);
  });
  $("import-warnings-box").hidden = answer.warnings.length === 0;
  previewUrls.forEach(function (u) { URL.revokeObjectURL(u); });
  previewUrls = [];
  var list = $("alt-list");
  list.textContent = "";
  answer.images.forEach(function (img, n) {
    var li = document.createElement("li");
    li.className = "alt-item";
    var picture = document.createElement("img");
    picture.alt = "";
    picture.className = "alt-preview";
    var field = document.createElement("div");
    field.className = "field wide";
    var label = document.createElement("label");
    label.htmlFor = "alt-" + n;
    label.textContent = fill(T.editor_import_alt_label, { file: img.file.replace(/^.*\//, "") });
    var input = document.createElement("input");
    input.id = "alt-" + n;
    input.setAttribute("data-source", img.source);
    input.setAttribute("data-link", img.link);
    input.setAttribute("aria-describedby", "alt-help");
    input.addEventListener("input", function () {
      if (input.value.trim()) input.removeAttribute("aria-invalid");
    });
    field.appendChild(label);
    field.appendChild(input);
    li.appendChild(picture);
    li.appendChild(field);
    list.appendChild(li);
    // The preview comes through the API (it needs the key), as a local object URL.
    fetch("/__handbok/api/import/bild?fil=" + encodeURIComponent(img.file), {
      headers: { "X-Handbok-Token": token || "" }, credentials: "same-origin",
    }).then(function (r) { return r.ok ? r.blob() : null; }).then(function (blob) {
      if (!blob) return;
      var url = URL.createObjectURL(blob);
      previewUrls.push(url);
      picture.src = url;
      picture.setAttribute("data-loaded", "true");
    }).catch(function () { /* the field still works without the preview */ });
  });
  var asking = answer.images.length > 0;
  $("alt-box").hidden = !asking;
  $("import-skip").hidden = !asking;
  $("import-open").textContent = asking ? T.editor_import_open : T.editor_import_open_plain;
  $("alt-problem").textContent = "";
  open("import-done", asking ? $("alt-0") : $("import-open"));
}
function openImported() {
  try { localStorage.removeItem(DRAFT_KEY); } catch (e) { /* none kept */ }
  state.savedText = null;
  location.href = editorUrl(imported.open);
}
$("import-skip").addEventListener("click", openImported);
$("import-open").addEventListener("click", function () {
  var inputs = Array.prototype.slice.call($("alt-list").querySelectorAll("input"));
  var empty = inputs.filter(function (i) { return !i.value.trim(); });
  inputs.forEach(function (i) { if (i.value.trim()) i.removeAttribute("aria-invalid"); else i.setAttribute("aria-invalid", "true"); });
  if (empty.length) {
    $("alt-problem").textContent = T.editor_import_alt_missing;
    empty[0].focus();
    return;
  }
  // One save per page, in turn, each from the version the import wrote.
  var byPage = {};
  inputs.forEach(function (i) {
    var source = i.getAttribute("data-source");
    (byPage[source] = byPage[source] || []).push({ link: i.getAttribute("data-link"), alt: i.value.trim() });
  });
  var versions = {};
  imported.versions.forEach(function (v) { versions[v[0]] = v[1]; });
  $("import-open").disabled = true;
  Object.keys(byPage).reduce(function (done, source) {
    return done.then(function () {
      return api("import/alt", { source: source, version: versions[source], alts: byPage[source] });
    });
  }, Promise.resolve()).then(openImported).catch(function (e) {
    $("import-open").disabled = false;
    $("alt-problem").textContent = failed(e);
  });
});
