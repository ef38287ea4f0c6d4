// Editor script, part 7 of 7 (main): loading the page, listening for rebuilds, starting.

// --- Start -----------------------------------------------------------------------------
function reloadFromDisk() {
  return api("page?sida=" + encodeURIComponent(state.source)).then(function (page) {
    state.page = page;
    if (!dirty()) {
      load(page.text);
      adopt(page.text, page.version);
    }
    showPage();
    refreshPreview();
  });
}
function showPage() {
  var page = state.page;
  $("page-title").textContent = page.title;
  $("view-page").href = "/" + page.output;
  $("undo-save").disabled = page.versions_kept === 0;
  ["rename", "move-up", "move-down", "delete"].forEach(function (id) { $(id).disabled = page.is_index; });
}
function start() {
  api("page?sida=" + encodeURIComponent(state.source)).then(function (page) {
    state.page = page;
    showPage();
    var draft = readDraft();
    if (draft && draft.text !== page.text) {
      load(draft.text);
      state.savedText = page.text;
      state.version = draft.version;
      say(T.editor_restored_draft);
    } else {
      load(page.text);
      adopt(page.text, page.version);
    }
    showDirty();
    refreshPreview();
    document.body.setAttribute("data-ready", "true");
  }).catch(function (e) {
    say(e.status === 503 ? T.editor_not_built : failed(e));
    document.body.setAttribute("data-ready", "failed");
  });
}
["input", "change"].forEach(function (type) {
  $("text").addEventListener(type, function () { changed(); paintMarks([]); });
  FIELDS.concat(["other"]).forEach(function (k) { $("f-" + k).addEventListener(type, changed); });
});
$("text").addEventListener("scroll", syncScroll);

// After each rebuild the page list is stale; a file changed elsewhere is taken in when the
// text here has no unsaved changes (else the next save shows both versions).
if (window.EventSource) {
  var events = new EventSource("/__handbok/events");
  events.addEventListener("reload", function () {
    state.pages = null;
    api("page?sida=" + encodeURIComponent(state.source)).then(function (page) {
      state.page = page;
      showPage();
      if (page.version !== state.version && !dirty()) {
        load(page.text);
        adopt(page.text, page.version);
      }
      say(T.editor_rebuilt);
      refreshPreview();
    }).catch(function () { /* the page was renamed or deleted elsewhere */ });
  });
}
start();
