// The browser editor of `handbok serve` (served only by serve, never part of a built site).
// The page's file is split into its front matter (a labelled form) and its Markdown body (the
// text area). Every change asks the server for a preview rendered by handbok itself and for the
// diagnostics `handbok check` would give; saves name the version they started from, so a file
// changed elsewhere is never overwritten unseen. Unsaved text is kept in localStorage.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("editor-data").getAttribute("data-json"));
  var T = data.text;
  var $ = function (id) { return document.getElementById(id); };
  var FIELDS = ["title", "description", "order", "decided", "decided_by", "valid", "owner", "revised"];
  var DRAFT_KEY = "handbok-utkast:" + location.host + ":" + data.source;
  // The write token is in no page: a one-time link put it in this tab's sessionStorage.
  var token = null;
  try { token = sessionStorage.getItem(data.storage); } catch (e) { token = null; }

  var state = {
    source: data.source,
    page: null,          // what /api/page gave
    version: null,       // the file's version the text started from
    savedText: null,     // the text on disk at that version
    yamlOther: "",       // front matter lines that are not in the form
    keyOrder: [],        // the form's keys in the order the file had them
    frontOpen: true,     // the file had front matter
    pages: null,         // the link picker's list
    previewSeq: 0,
    previewTimer: null,
    lastGood: null,
  };

  function say(text) {
    $("status").textContent = text;
  }
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }

  // --- Talking to the server -------------------------------------------------------------
  function api(path, body, raw) {
    var options = { headers: { "X-Handbok-Token": token || "" }, credentials: "same-origin" };
    if (body !== undefined) {
      options.method = "POST";
      if (raw) {
        options.body = body;
      } else {
        options.headers["Content-Type"] = "application/json";
        options.body = JSON.stringify(body);
      }
    }
    return fetch("/__handbok/api/" + path, options).then(function (r) {
      return r.text().then(function (text) {
        var json = null;
        try { json = JSON.parse(text); } catch (e) { json = { message: text }; }
        if (!r.ok) {
          json = json || {};
          json.status = r.status;
          throw json;
        }
        return json;
      });
    });
  }
  function failed(error) {
    return (error && error.message) || T.editor_error;
  }
  function editorUrl(source) {
    return "/__handbok/redigera?sida=" + encodeURIComponent(source);
  }

  // --- Front matter <-> form -------------------------------------------------------------
  function split(text) {
    var m = /^---\n([\s\S]*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(text);
    if (!m) return null;
    return { yaml: m[1] || "", body: text.slice(m[0].length), bodyLine: (m[0].match(/\n/g) || []).length + 1 };
  }
  function unquote(v) {
    v = v.trim();
    if (v.charAt(0) === '"') {
      try { return JSON.parse(v); } catch (e) { return v; }
    }
    if (v.charAt(0) === "'" && v.charAt(v.length - 1) === "'") return v.slice(1, -1).replace(/''/g, "'");
    return v;
  }
  function scalar(key, v) {
    if (key === "order") return v;
    if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
    var plain = v !== "" && !/^[-?:,\[\]{}#&*!|>'"%@`~ 0-9]/.test(v) && !/ $/.test(v) && v.indexOf(": ") < 0 &&
      v.indexOf(" #") < 0 && !/:$/.test(v) && !/^(true|false|yes|no|null|on|off)$/i.test(v);
    return plain ? v : JSON.stringify(v);
  }
  function readFront(yaml) {
    var values = {}, other = [], order = [], current = null;
    yaml.split("\n").forEach(function (line, i, all) {
      if (i === all.length - 1 && line === "") return;
      var m = /^([A-Za-z_]+):(.*)$/.exec(line);
      if (m && FIELDS.indexOf(m[1]) >= 0) {
        current = m[1];
        order.push(current);
        var v = m[2].trim();
        values[current] = /^[>|]/.test(v) ? "" : unquote(v);
        return;
      }
      if (current && /^[ \t]/.test(line) && !m) {
        values[current] = (values[current] ? values[current] + " " : "") + line.trim();
        return;
      }
      current = null;
      other.push(line);
    });
    return { values: values, other: other.join("\n"), order: order };
  }
  function formValues() {
    var values = {};
    FIELDS.forEach(function (k) {
      values[k] = $("f-" + k).value.replace(/\s*\n\s*/g, " ").trim();
    });
    return values;
  }
  function composeYaml() {
    var values = formValues();
    var keys = state.keyOrder.slice();
    FIELDS.forEach(function (k) { if (keys.indexOf(k) < 0) keys.push(k); });
    var lines = [];
    keys.forEach(function (k) {
      if (values[k] !== "") lines.push(k + ": " + scalar(k, values[k]));
    });
    var other = $("f-other").value.replace(/\s+$/, "");
    if (other) lines.push(other);
    return lines.join("\n") + "\n";
  }
  function fullText() {
    if (!state.frontOpen) return $("text").value;
    return "---\n" + composeYaml() + "---\n" + $("text").value;
  }
  function load(text) {
    var parts = split(text);
    state.frontOpen = !!parts;
    var front = readFront(parts ? parts.yaml : "");
    state.keyOrder = front.order;
    FIELDS.forEach(function (k) { $("f-" + k).value = front.values[k] || ""; });
    $("f-other").value = front.other;
    if (front.other.trim()) $("f-other").closest("details").open = true;
    $("text").value = parts ? parts.body : text;
    paintMarks([]);
  }
  // The line in the file where the body starts, for the text as it is now.
  function bodyLine() {
    if (!state.frontOpen) return 1;
    return composeYaml().split("\n").length + 2;
  }
  // The front matter key on file line `line`, or null.
  function keyAtLine(line) {
    if (!state.frontOpen) return null;
    var lines = composeYaml().split("\n");
    for (var i = Math.min(line - 2, lines.length - 1); i >= 0; i--) {
      var m = /^([A-Za-z_]+):/.exec(lines[i]);
      if (m) return FIELDS.indexOf(m[1]) >= 0 ? m[1] : "other";
    }
    return "other";
  }

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

  // --- Saving, conflicts, undo -----------------------------------------------------------
  function adopt(text, version) {
    state.savedText = text;
    state.version = version;
    keepDraft();
    showDirty();
  }
  function save() {
    var text = fullText();
    say(T.editor_saving);
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
    load(text);
    save().then(function () { if (!dirty()) say(T.editor_conflict_resolved); refreshPreview(); });
  });
  $("conflict-take-disk").addEventListener("click", function () {
    var text = $("conflict-disk").value;
    close("conflict-dialog");
    load(text);
    adopt(text, diskVersion);
    say(T.editor_conflict_resolved);
    refreshPreview();
  });

  $("undo-save").addEventListener("click", function () {
    if (dirty() && !confirm(T.editor_leave_unsaved)) return;
    api("undo", { source: state.source, version: state.version }).then(function (answer) {
      load(answer.text);
      adopt(answer.text, answer.version);
      $("undo-save").disabled = answer.versions_kept === 0;
      say(fill(T.editor_undone, { n: answer.versions_kept }));
      refreshPreview();
    }).catch(function (e) {
      if (e.error === "editor_conflict") showConflict(fullText(), e.current, e.version);
      else say(failed(e));
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
    open("delete-dialog", $("delete-apply"));
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

  function move(step) {
    if (needsSaved()) return;
    api("move", { source: state.source, step: step }).then(function () {
      return reloadFromDisk();
    }).then(function () { say(T.editor_moved); }).catch(function (e) { say(failed(e)); });
  }
  $("move-up").addEventListener("click", function () { move(-1); });
  $("move-down").addEventListener("click", function () { move(1); });

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
  function start() {
    if (!token) return noKey();
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
      if (e.status === 403) return noKey();
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
})();
