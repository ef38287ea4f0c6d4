// The Publicera page of `handbok serve` (served only by serve, never part of a built site).
// Asks the server for a review (what changed since the last publication, every check's errors
// and warnings, whether an author is needed), shows each page's word comparison on request,
// and publishes with one sentence. Errors block the button; warnings must be confirmed with
// the checkbox first. Every word comes from the string table (`data.text`). The write token is
// in no page: a one-time link put it in this tab's sessionStorage, as for the editor.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("publish-data").getAttribute("data-json"));
  var T = data.text;
  var $ = function (id) { return document.getElementById(id); };
  var token = null;
  try { token = sessionStorage.getItem(data.storage); } catch (e) { token = null; }
  var review = null;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in values ? values[k] : m; });
  }
  function el(tag, text, className) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (className) e.className = className;
    return e;
  }
  function api(path, body) {
    return fetch("/__handbok/api/" + path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-Handbok-Token": token || "", "Content-Type": "application/json" },
      body: JSON.stringify(body || {}),
    }).then(function (r) {
      return r.text().then(function (text) {
        var json;
        try { json = JSON.parse(text); } catch (e) { json = { messages: [text || T.publish_ui_failed] }; }
        json.httpStatus = r.status;
        if (!r.ok) throw json;
        return json;
      });
    }, function () { throw { messages: [T.publish_ui_failed] }; });
  }
  function say(lines) {
    var box = $("pub-state");
    box.replaceChildren();
    (lines || []).forEach(function (line) { box.appendChild(el("p", line)); });
  }

  // --- The review ------------------------------------------------------------------------
  function problem(d) {
    var li = el("li", null, "problem-" + d.severity);
    var where = d.file + (d.line > 0 ? ", " + fill(T.publish_ui_line, { n: d.line }) : "") + ": ";
    li.appendChild(el("span", where, "where"));
    li.appendChild(el("span", d.message));
    if (d.hint) li.appendChild(el("p", d.hint, "hint"));
    if (/\.md$/.test(d.file)) {
      var fix = el("a", T.publish_ui_fix);
      fix.href = "/__handbok/redigera?sida=" + encodeURIComponent(d.file) + (d.line > 0 ? "#rad-" + d.line : "");
      var p = el("p");
      p.appendChild(fix);
      li.appendChild(p);
    }
    return li;
  }
  function change(c, i) {
    var li = el("li");
    li.appendChild(el("span", c.text));
    if (!c.page) return li;
    var button = el("button", T.publish_ui_show_comparison);
    button.type = "button";
    button.setAttribute("aria-expanded", "false");
    var box = el("div", null, "comparison");
    box.id = "pub-comparison-" + i;
    box.hidden = true;
    button.setAttribute("aria-controls", box.id);
    button.addEventListener("click", function () {
      var open = button.getAttribute("aria-expanded") === "true";
      if (open) {
        box.hidden = true;
        button.setAttribute("aria-expanded", "false");
        button.textContent = T.publish_ui_show_comparison;
        return;
      }
      api("publicera/jamfor", { sida: c.path, fran: c.from || null }).then(function (comparison) {
        showComparison(box, comparison);
      }, function (e) {
        box.replaceChildren(el("p", (e.messages || [T.publish_ui_failed]).join(" ")));
      }).then(function () {
        box.hidden = false;
        button.setAttribute("aria-expanded", "true");
        button.textContent = T.publish_ui_hide_comparison;
      });
    });
    li.appendChild(document.createTextNode(" "));
    li.appendChild(button);
    li.appendChild(box);
    return li;
  }
  // The comparison as the history pages show it: added words in <ins>, removed in <del>, each
  // with a visually hidden "Tillagt:" / "Borttaget:", unchanged stretches folded.
  function showComparison(box, comparison) {
    box.replaceChildren();
    if (!comparison.added && !comparison.removed && !comparison.changed) {
      box.appendChild(el("p", T.history_same_text));
      return;
    }
    var folded = function (n) { return el("p", n + " " + T.history_folded, "diff-folded"); };
    comparison.shown.forEach(function (b) {
      if (b.folded_before) box.appendChild(folded(b.folded_before));
      var p = el("p", null, "diff-" + b.change);
      b.parts.forEach(function (part) {
        if (part.kind === "same") return p.appendChild(document.createTextNode(part.text));
        var mark = el(part.kind === "added" ? "ins" : "del");
        mark.appendChild(el("span", (part.kind === "added" ? T.history_added_text : T.history_removed_text) + ": ", "visually-hidden"));
        mark.appendChild(document.createTextNode(part.text));
        p.appendChild(mark);
      });
      box.appendChild(p);
    });
    if (comparison.folded_after) box.appendChild(folded(comparison.folded_after));
  }
  function list(boxId, listId, items, make) {
    $(listId).replaceChildren();
    items.forEach(function (item, i) { $(listId).appendChild(make(item, i)); });
    $(boxId).hidden = items.length === 0;
  }
  function show(r) {
    review = r;
    say(r.messages);
    $("pub-repository").hidden = r.stage !== "not_repository";
    list("pub-errors-box", "pub-errors", r.errors || [], problem);
    list("pub-changes-box", "pub-changes", r.changes || [], change);
    list("pub-warnings-box", "pub-warnings", r.warnings || [], problem);
    var publishable = r.stage === "ready" || r.stage === "deliver_only";
    $("pub-form").hidden = !publishable;
    $("pub-author").hidden = !(publishable && r.needs_author);
    $("pub-sentence-field").hidden = r.stage !== "ready";
    $("pub-confirm").checked = false;
    $("pub-confirm").parentNode.hidden = !publishable;
    enable();
    document.body.setAttribute("data-stage", r.stage);
  }
  // The button works once every warning is confirmed.
  function enable() {
    var warnings = review && review.warnings ? review.warnings.length : 0;
    $("pub-publish").disabled = warnings > 0 && !$("pub-confirm").checked;
  }
  function load() {
    return api("publicera/granska").then(show, failedReview);
  }
  function failedReview(e) {
    if (e.httpStatus === 403) return noKey();
    say(e.messages || [T.publish_ui_failed]);
    document.body.setAttribute("data-stage", "failed");
  }
  function noKey() {
    say([T.editor_no_key_title, T.editor_no_key_text, T.editor_no_key_help]);
    $("pub-state").setAttribute("role", "alert");
    document.body.setAttribute("data-stage", "no-key");
  }

  // --- Publishing ------------------------------------------------------------------------
  function result(heading, lines, ok) {
    $("pub-result-heading").textContent = heading;
    $("pub-result").className = ok ? "result-ok" : "result-bad";
    $("pub-result-list").replaceChildren();
    lines.forEach(function (line) { $("pub-result-list").appendChild(el("li", line)); });
    $("pub-result").hidden = false;
  }
  $("pub-confirm").addEventListener("change", enable);
  $("pub-make-repository").addEventListener("click", function () {
    $("pub-make-repository").disabled = true;
    api("publicera/arkiv").then(show, failedReview).then(function () {
      $("pub-make-repository").disabled = false;
    });
  });
  $("pub-form").addEventListener("submit", function (event) {
    event.preventDefault();
    if ($("pub-publish").disabled) return;
    var body = {
      mening: $("pub-sentence").value,
      varningar: review && review.warnings ? review.warnings.length : 0,
    };
    if (!$("pub-author").hidden) {
      body.namn = $("pub-name").value;
      body.epost = $("pub-email").value;
    }
    $("pub-publish").disabled = true;
    $("pub-result").hidden = true;
    say([T.publish_ui_publishing]);
    document.body.setAttribute("data-stage", "publishing");
    api("publicera", body).then(function (answer) {
      var done = answer.outcome === "published";
      result(done ? T.publish_ui_result_published : T.publish_ui_result_not_pushed, answer.messages, done);
      $("pub-sentence").value = "";
      return load().then(function () { document.body.setAttribute("data-published", answer.outcome); });
    }, function (e) {
      if (e.httpStatus === 403) return noKey();
      result(T.publish_ui_result_refused, e.messages || [T.publish_ui_failed], false);
      return load().then(function () {
        document.body.setAttribute("data-published", e.outcome || "refused");
        if (e.stage === "sentence") $("pub-sentence").focus();
      });
    }).then(function () { $("pub-result").focus(); });
  });

  if (!token) noKey();
  else load();
})();
