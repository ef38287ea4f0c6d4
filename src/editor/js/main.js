// Editor script, part 7 of 7 (main): loading the page, listening for rebuilds, starting.

// --- Start -----------------------------------------------------------------------------
function reloadFromDisk() {
  return api("page?sida=" + encodeURIComponent(state.source)).then(function (page) {
    state.page = page;
    showPage();
    if (dirty()) return refreshPreview();
    return load(page.text).then(function () {
      adopt(page.text, page.version);
      refreshPreview();
    });
  });
}
function showPage() {
  var page = state.page;
  $("page-title").textContent = page.title;
  $("view-page").href = "/" + page.output;
  $("undo-save").disabled = page.versions_kept === 0;
  ["rename", "move-up", "move-down", "delete"].forEach(function (id) { $(id).disabled = page.is_index; });
}
// Without the key (a new tab, another browser, an earlier run's key) this tab cannot edit:
// say so, and how to get a new link, instead of a form that could not save.
function noKey() {
  var box = document.createElement("section");
  box.id = "no-key";
  box.setAttribute("role", "alert");
  box.setAttribute("aria-labelledby", "no-key-title");
  [["h2", T.editor_no_key_title], ["p", T.editor_no_key_text], ["p", T.editor_no_key_help]].forEach(function (part) {
    var el = document.createElement(part[0]);
    el.textContent = part[1];
    box.appendChild(el);
  });
  box.firstChild.id = "no-key-title";
  $("huvud").replaceChildren(box);
  $("huvud").className = "no-key";
  $("huvud").style.padding = "1rem";
  document.querySelector(".skip-link").href = "#no-key";
  Array.prototype.forEach.call(document.querySelectorAll(".actions button"), function (b) { b.disabled = true; });
  document.body.setAttribute("data-ready", "no-key");
}
// `#rad-N` (from the Publicera page's list of errors): the file's line N, in the text area when
// it is in the body, else the page-information field that holds it.
function goToHashLine() {
  var m = /^#rad-(\d+)$/.exec(location.hash);
  if (!m) return;
  var line = parseInt(m[1], 10);
  var first = bodyLine();
  if (line >= first) return goToLine(line - first + 1);
  var field = $("f-" + keyAtLine(line));
  if (field) field.focus();
}
function start() {
  if (!token) return noKey();
  api("page?sida=" + encodeURIComponent(state.source)).then(function (page) {
    state.page = page;
    showPage();
    var draft = readDraft();
    var restoring = draft && draft.text !== page.text;
    return load(restoring ? draft.text : page.text).then(function () {
      if (restoring) {
        state.savedText = page.text;
        state.version = draft.version;
        say(T.editor_restored_draft);
      } else {
        adopt(page.text, page.version);
      }
      showDirty();
      refreshPreview();
      goToHashLine();
      document.body.setAttribute("data-ready", "true");
    });
  }).catch(function (e) {
    if (e.status === 403) return noKey();
    say(e.status === 503 ? T.editor_not_built : failed(e));
    document.body.setAttribute("data-ready", "failed");
  });
}
["input", "change"].forEach(function (type) {
  $("text").addEventListener(type, function () { changed(); paintMarks([]); });
});
FIELDS.concat(["other"]).forEach(function (k) { $("f-" + k).addEventListener("input", formChanged); });
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
      var fresh = page.version !== state.version && !dirty();
      return (fresh ? load(page.text) : Promise.resolve()).then(function () {
        if (fresh) adopt(page.text, page.version);
        say(T.editor_rebuilt);
        refreshPreview();
      });
    }).catch(function () { /* the page was renamed or deleted elsewhere */ });
  });
}
start();
