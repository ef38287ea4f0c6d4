// Editor script, part 6 of 7 (pages): saving, conflicts, undo; new, rename, delete, move.

// --- Saving, conflicts, undo -----------------------------------------------------------
function adopt(text, version) {
  state.savedText = text;
  state.version = version;
  keepDraft();
  showDirty();
}
function save() {
  say(T.editor_saving);
  return settled().then(function () {
    return saveText(fullText());
  });
}
function saveText(text) {
  return api("save", { source: state.source, text: text, version: state.version }).then(function (answer) {
    adopt(text, answer.version);
    state.page.versions_kept = answer.versions_kept;
    $("undo-save").disabled = answer.versions_kept === 0;
    say(T.editor_saved);
  }).catch(function (e) {
    if (e.error === "editor_conflict") showConflict(text, e.current, e.version);
    else say(failed(e));
  });
}
$("save").addEventListener("click", save);

var diskVersion = null;
function showConflict(mine, disk, version) {
  diskVersion = version;
  $("conflict-mine").value = mine;
  $("conflict-disk").value = disk;
  showDifferences(mine, disk);
  say(T.editor_conflict);
  open("conflict-dialog", $("conflict-mine"));
}
// The changed stretch of each version (lines before and after it are the same in both).
function showDifferences(mine, disk) {
  var a = mine.split("\n"), b = disk.split("\n");
  var start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  var endA = a.length, endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  var box = $("conflict-diff");
  box.textContent = "";
  [[T.editor_conflict_mine, a.slice(start, endA)], [T.editor_conflict_disk, b.slice(start, endB)]].forEach(function (pair) {
    var h = document.createElement("h4");
    h.textContent = pair[0] + " – " + fill(T.editor_line, { n: start + 1 });
    var pre = document.createElement("pre");
    pre.textContent = pair[1].join("\n") || "–";
    box.appendChild(h);
    box.appendChild(pre);
  });
}
$("conflict-keep-mine").addEventListener("click", function () {
  var text = $("conflict-mine").value;
  close("conflict-dialog");
  state.version = diskVersion;
  load(text).then(save).then(function () { if (!dirty()) say(T.editor_conflict_resolved); refreshPreview(); });
});
$("conflict-take-disk").addEventListener("click", function () {
  var text = $("conflict-disk").value;
  close("conflict-dialog");
  load(text).then(function () {
    adopt(text, diskVersion);
    say(T.editor_conflict_resolved);
    refreshPreview();
  });
});

// "Ångra senaste sparning" asks the server what it would undo (a save, or a whole rename or
// move with every file it wrote) and says so in a dialog before anything changes.
var undoPlan = null;
function listUndoFiles(files) {
  var list = $("undo-files");
  list.textContent = "";
  (files || []).forEach(function (f) {
    var li = document.createElement("li");
    li.textContent = f;
    list.appendChild(li);
  });
}
$("undo-save").addEventListener("click", function () {
  if (dirty() && !confirm(T.editor_leave_unsaved)) return;
  undoPlan = null;
  $("undo-what").textContent = T.editor_undo_checking;
  $("undo-problem").textContent = "";
  $("undo-apply").disabled = true;
  listUndoFiles([]);
  open("undo-dialog", $("undo-what"));
  api("undo/plan", { source: state.source, version: state.version }).then(function (plan) {
    undoPlan = plan;
    $("undo-what").textContent = plan.message;
    listUndoFiles(plan.kind === "save" ? [] : plan.files);
    $("undo-apply").disabled = false;
    $("undo-apply").focus();
  }).catch(function (e) {
    if (e.error === "editor_conflict") {
      close("undo-dialog");
      showConflict(fullText(), e.current, e.version);
      return;
    }
    $("undo-what").textContent = "";
    $("undo-problem").textContent = failed(e);
    listUndoFiles(e.files);
  });
});
$("undo-apply").addEventListener("click", function () {
  if (!undoPlan) return;
  $("undo-apply").disabled = true;
  api("undo", { source: state.source, version: state.version, operation: undoPlan.operation }).then(function (answer) {
    close("undo-dialog");
    if (answer.source !== state.source) {
      // A rename was undone: the page has its old name again.
      try { localStorage.removeItem(DRAFT_KEY); } catch (e) { /* none kept */ }
      state.savedText = null;
      location.href = editorUrl(answer.source);
      return;
    }
    return load(answer.text).then(function () {
      adopt(answer.text, answer.version);
      $("undo-save").disabled = answer.versions_kept === 0;
      say(fill(T.editor_undone, { n: answer.versions_kept }));
      refreshPreview();
    });
  }).catch(function (e) {
    $("undo-problem").textContent = failed(e);
    listUndoFiles(e.files);
  });
});

// --- Pages: new, rename, delete, move --------------------------------------------------
function needsSaved() {
  if (!dirty()) return false;
  say(T.editor_save_first);
  return true;
}
$("new-page").addEventListener("click", function () {
  var select = $("new-section");
  select.textContent = "";
  state.page.sections.forEach(function (s) {
    var o = document.createElement("option");
    o.value = s.dir;
    o.textContent = s.title + (s.dir ? " (" + s.dir + "/)" : "");
    if (s.dir === state.source.replace(/\/?[^/]*$/, "")) o.selected = true;
    select.appendChild(o);
  });
  $("new-title").value = "";
  $("new-problem").textContent = "";
  open("new-dialog", $("new-title"));
});
$("new-create").addEventListener("click", function () {
  var title = $("new-title").value.trim();
  if (!title) {
    $("new-problem").textContent = T.editor_title_required;
    $("new-title").focus();
    return;
  }
  api("new", { section: $("new-section").value, title: title }).then(function (answer) {
    location.href = editorUrl(answer.source);
  }).catch(function (e) { $("new-problem").textContent = failed(e); });
});

var renamePlan = null;
$("rename").addEventListener("click", function () {
  if (needsSaved()) return;
  renamePlan = null;
  $("rename-apply").disabled = true;
  $("rename-result").textContent = "";
  $("rename-problem").textContent = "";
  $("rename-name").value = state.source.replace(/^.*\//, "").replace(/\.md$/, "");
  open("rename-dialog", $("rename-name"));
});
function editList(edits, into) {
  var ul = document.createElement("ul");
  ul.className = "edits";
  edits.forEach(function (e) {
    var li = document.createElement("li");
    var where = document.createElement("strong");
    where.textContent = e.source + ", " + fill(T.editor_line, { n: e.line });
    li.appendChild(where);
    [["del", e.before], ["ins", e.after]].forEach(function (pair) {
      if (pair[1] === undefined) return;
      var code = document.createElement(pair[0]);
      code.textContent = pair[1];
      li.appendChild(code);
    });
    ul.appendChild(li);
  });
  into.appendChild(ul);
}
$("rename-plan").addEventListener("click", function () {
  api("rename/plan", { source: state.source, name: $("rename-name").value }).then(function (plan) {
    renamePlan = plan;
    var box = $("rename-result");
    box.textContent = "";
    var p = document.createElement("p");
    p.textContent = fill(T.editor_rename_to, { from: plan.from, to: plan.to }) + " " +
      (plan.edits.length ? fill(T.editor_rename_links, { n: plan.edits.length }) : T.editor_rename_none);
    box.appendChild(p);
    editList(plan.edits, box);
    $("rename-problem").textContent = "";
    $("rename-apply").disabled = false;
    box.focus();
  }).catch(function (e) {
    $("rename-problem").textContent = failed(e);
    $("rename-apply").disabled = true;
  });
});
$("rename-apply").addEventListener("click", function () {
  if (!renamePlan) return;
  api("rename", { source: state.source, name: $("rename-name").value, edits: renamePlan.edits }).then(function (answer) {
    try { localStorage.removeItem(DRAFT_KEY); } catch (e) { /* none kept */ }
    state.savedText = null;
    location.href = editorUrl(answer.source);
  }).catch(function (e) { $("rename-problem").textContent = failed(e); });
});

$("delete").addEventListener("click", function () {
  if (needsSaved()) return;
  $("delete-result").textContent = "";
  $("delete-apply").disabled = false;
  // Focus starts on the safe choice, "Avbryt".
  open("delete-dialog", $("delete-dialog").querySelector("button[value=cancel]"));
});
$("delete-apply").addEventListener("click", function () {
  api("delete", { source: state.source, version: state.version }).then(function (answer) {
    try { localStorage.removeItem(DRAFT_KEY); } catch (e) { /* none kept */ }
    state.savedText = null;
    location.href = editorUrl(answer.source);
  }).catch(function (e) {
    var box = $("delete-result");
    box.textContent = "";
    var p = document.createElement("p");
    p.className = "problem";
    p.textContent = failed(e) + (e.links ? " " + T.editor_linked_from : "");
    box.appendChild(p);
    if (e.links) editList(e.links.map(function (l) { return { source: l.source, line: l.line, before: l.before }; }), box);
    $("delete-apply").disabled = true;
    box.focus();
  });
});

// Deleted pages come back from their kept version ("Återställ borttagen sida").
$("restore-deleted").addEventListener("click", function () {
  var list = $("restore-list");
  list.textContent = "";
  $("restore-problem").textContent = "";
  $("restore-apply").disabled = true;
  open("restore-dialog", $("restore-dialog").querySelector("button[value=cancel]"));
  api("deleted").then(function (pages) {
    pages.forEach(function (p, i) {
      var li = document.createElement("li");
      var input = document.createElement("input");
      input.type = "radio";
      input.name = "restore-page";
      input.id = "restore-" + i;
      input.value = p.source;
      input.checked = i === 0;
      var label = document.createElement("label");
      label.htmlFor = input.id;
      label.textContent = p.title + " (" + p.source + ")";
      li.appendChild(input);
      li.appendChild(label);
      list.appendChild(li);
    });
    $("restore-count").textContent = pages.length ? fill(T.editor_restore_count, { n: pages.length }) : T.editor_restore_none;
    $("restore-apply").disabled = pages.length === 0;
    var firstChoice = list.querySelector("input");
    if (firstChoice) firstChoice.focus();
  }).catch(function (e) { $("restore-problem").textContent = failed(e); });
});
$("restore-apply").addEventListener("click", function () {
  var chosen = $("restore-list").querySelector("input:checked");
  if (!chosen) return;
  api("restore", { source: chosen.value }).then(function (answer) {
    if (dirty()) keepDraft();
    location.href = editorUrl(answer.source);
  }).catch(function (e) { $("restore-problem").textContent = failed(e); });
});

function move(step) {
  if (needsSaved()) return;
  api("move", { source: state.source, step: step }).then(function () {
    return reloadFromDisk();
  }).then(function () { say(T.editor_moved); }).catch(function (e) { say(failed(e)); });
}
$("move-up").addEventListener("click", function () { move(-1); });
$("move-down").addEventListener("click", function () { move(1); });
