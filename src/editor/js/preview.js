// Editor script, part 3 of 7 (preview): dirty state, drafts, the preview and the problem list.

// --- Dirty state and drafts ------------------------------------------------------------
function dirty() {
  return state.savedText !== null && fullText() !== state.savedText;
}
function keepDraft() {
  try {
    if (dirty()) {
      localStorage.setItem(DRAFT_KEY, JSON.stringify({ text: fullText(), version: state.version }));
    } else {
      localStorage.removeItem(DRAFT_KEY);
    }
  } catch (e) { /* private mode: no drafts */ }
}
function readDraft() {
  try { return JSON.parse(localStorage.getItem(DRAFT_KEY) || "null"); } catch (e) { return null; }
}
function showDirty() {
  $("save").setAttribute("aria-describedby", "status");
  document.title = (dirty() ? "* " : "") + document.title.replace(/^\* /, "");
}
window.addEventListener("beforeunload", function (e) {
  if (dirty()) {
    keepDraft();
    e.preventDefault();
    e.returnValue = "";
    return T.editor_leave_unsaved;
  }
});

// --- Preview and diagnostics -----------------------------------------------------------
function changed() {
  keepDraft();
  showDirty();
  say(dirty() ? T.editor_unsaved : "");
  clearTimeout(state.previewTimer);
  state.previewTimer = setTimeout(refreshPreview, 200);
}
function refreshPreview() {
  var seq = ++state.previewSeq;
  var started = performance.now();
  api("preview", { source: state.source, text: fullText() }).then(function (answer) {
    if (seq !== state.previewSeq) return;
    showProblems(answer.diagnostics);
    if (answer.html) {
      showPreview(answer.html);
      $("preview-note").hidden = true;
    } else {
      $("preview-note").textContent = T.editor_preview_stale;
      $("preview-note").hidden = false;
    }
    document.body.setAttribute("data-preview-ms", String(Math.round(performance.now() - started)));
    document.body.setAttribute("data-preview-seq", String(seq));
  }).catch(function (error) {
    if (seq !== state.previewSeq) return;
    $("preview-note").textContent = error.status === 404 ? T.editor_preview_waiting : failed(error);
    $("preview-note").hidden = false;
  });
}
function showPreview(html) {
  var frame = $("preview");
  var doc = frame.contentDocument;
  var scroll = doc && doc.scrollingElement ? doc.scrollingElement.scrollTop : 0;
  // The page as the build writes it, with its links resolved from its own address; its
  // scripts stay out (the frame runs none), and so does the reload script.
  var parsed = new DOMParser().parseFromString(html, "text/html");
  Array.prototype.forEach.call(parsed.querySelectorAll("script"), function (s) { s.remove(); });
  var base = parsed.createElement("base");
  // Absolute: the frame's document is about:srcdoc, which a relative base cannot start from.
  base.href = location.origin + "/" + state.page.output;
  parsed.head.insertBefore(base, parsed.head.firstChild);
  frame.onload = function () {
    var d = frame.contentDocument;
    if (d && d.scrollingElement) d.scrollingElement.scrollTop = scroll;
  };
  frame.srcdoc = "<!DOCTYPE html>\n" + parsed.documentElement.outerHTML;
  state.lastGood = html;
}
function showProblems(list) {
  var ul = $("problem-list");
  ul.textContent = "";
  FIELDS.concat(["other"]).forEach(function (k) {
    var p = $("f-" + k + "-problem");
    p.textContent = "";
    $("f-" + k).removeAttribute("aria-invalid");
  });
  var first = bodyLine();
  var marks = [];
  var errors = 0;
  list.forEach(function (d) {
    if (d.severity === "error") errors++;
    var li = document.createElement("li");
    li.className = d.severity;
    var where = document.createElement("span");
    where.className = "where";
    var inBody = d.line >= first;
    var key = d.line > 0 && !inBody ? keyAtLine(d.line) : null;
    var kind = d.severity === "error" ? T.editor_error_word : T.editor_warning_word;
    where.textContent = kind + (d.line > 0 ? ", " + fill(T.editor_line, { n: inBody ? d.line - first + 1 : d.line }) : "") + ": ";
    li.appendChild(where);
    li.appendChild(document.createTextNode(d.message));
    if (d.hint) {
      var hint = document.createElement("span");
      hint.className = "hint";
      hint.textContent = " " + T.editor_hint + " " + d.hint;
      li.appendChild(hint);
    }
    if (d.line > 0) {
      var go = document.createElement("button");
      go.type = "button";
      go.className = "link";
      if (inBody) {
        var bodyN = d.line - first + 1;
        marks.push({ line: bodyN, severity: d.severity });
        go.textContent = fill(T.editor_go_to_line, { n: bodyN });
        go.addEventListener("click", function () { goToLine(bodyN); });
      } else {
        var field = $("f-" + key);
        var problem = $("f-" + key + "-problem");
        problem.textContent = d.message + (d.hint ? " " + T.editor_hint + " " + d.hint : "");
        field.setAttribute("aria-invalid", d.severity === "error" ? "true" : "false");
        if (key === "other" || ["decided", "decided_by", "valid", "owner", "revised"].indexOf(key) >= 0) {
          field.closest("details").open = true;
        }
        go.textContent = T.editor_go_to_field;
        go.addEventListener("click", function () { field.focus(); });
      }
      li.appendChild(document.createTextNode(" "));
      li.appendChild(go);
    }
    ul.appendChild(li);
  });
  $("problems-summary").textContent = list.length === 0 ? T.editor_problems_none :
    fill(T.editor_problems_count, { errors: errors, warnings: list.length - errors });
  paintMarks(marks);
}
// Lines with problems are marked behind the text area (a copy of the text, transparent,
// with the marked lines coloured); the list above says the same in words.
function paintMarks(marks) {
  var box = $("marks");
  box.textContent = "";
  var lines = $("text").value.split("\n");
  var byLine = {};
  marks.forEach(function (m) { if (byLine[m.line] !== "error") byLine[m.line] = m.severity; });
  lines.forEach(function (line, i) {
    var span = document.createElement(byLine[i + 1] ? "mark" : "span");
    if (byLine[i + 1]) span.className = byLine[i + 1];
    span.textContent = line + (i < lines.length - 1 ? "\n" : "");
    box.appendChild(span);
  });
  if (!lines.length || /\n$/.test($("text").value)) box.appendChild(document.createTextNode(" "));
  syncScroll();
}
function syncScroll() {
  $("marks").parentNode.scrollTop = $("text").scrollTop;
}
function goToLine(n) {
  var area = $("text");
  var lines = area.value.split("\n");
  var start = 0;
  for (var i = 0; i < n - 1 && i < lines.length; i++) start += lines[i].length + 1;
  area.focus();
  area.setSelectionRange(start, start + (lines[n - 1] || "").length);
  var lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 24;
  area.scrollTop = Math.max(0, (n - 3) * lineHeight);
}
