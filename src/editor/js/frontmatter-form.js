// Editor script, part 2 of 7 (frontmatter-form): the page's front matter <-> the labelled form.
// There is one front matter parser, on the server (the build's own): `front/read` takes the
// text apart into the form's fields, "Övrigt" and the body; `front/write` puts the fields the
// person changed back into the YAML, keeping every other line as it was.

// --- Front matter <-> form -------------------------------------------------------------
var FIELDS = ["title", "description", "order", "decided", "decided_by", "valid", "owner", "revised"];
state.form = null;      // the form as the server last gave it (yaml, values, lines, body_line)
state.formBase = null;  // the form as read from the text last loaded: what changes are against
state.formShown = {};   // each field's value as it was filled in (inputs drop line breaks)
state.formSeq = 0;
state.composing = null; // the pending `front/write`, if any

function fullText() {
  var f = state.form;
  if (!f || !f.front) return $("text").value;
  return "---\n" + f.yaml + f.close + $("text").value;
}
// Take `text` apart on the server and fill the form and the text area with it.
function load(text) {
  var seq = ++state.formSeq;
  return api("front/read", { text: text }).then(function (form) {
    if (seq !== state.formSeq) return;
    state.form = form;
    state.formBase = form;
    state.composing = null;
    FIELDS.forEach(function (k) {
      $("f-" + k).value = form.values[k] || "";
      state.formShown[k] = $("f-" + k).value;
    });
    $("f-other").value = form.other;
    state.formShown.other = $("f-other").value;
    if (form.other.trim()) $("f-other").closest("details").open = true;
    $("text").value = form.body;
    paintMarks([]);
    grow();
  });
}
// A field changed: the server writes the changed fields into the YAML the text was loaded with.
function formChanged() {
  var base = state.formBase;
  if (!base) return;
  var changes = {};
  FIELDS.forEach(function (k) {
    var v = $("f-" + k).value;
    if (v !== state.formShown[k]) changes[k] = v;
  });
  var other = $("f-other").value;
  var request = { yaml: base.yaml, front: base.front, changes: changes, other: other !== state.formShown.other ? other : null };
  var seq = ++state.formSeq;
  state.composing = api("front/write", request).then(function (form) {
    if (seq !== state.formSeq) return;
    form.close = base.close;
    state.form = form;
    state.composing = null;
    $("f-other-problem").textContent = "";
    changed();
  }).catch(function (e) {
    if (seq !== state.formSeq) return;
    state.composing = null;
    var field = e.field && $("f-" + e.field) ? e.field : "other";
    $("f-" + field + "-problem").textContent = failed(e);
    $("f-" + field).setAttribute("aria-invalid", "true");
  });
}
// Resolves once the text holds every form change made so far.
function settled() {
  return state.composing ? state.composing.then(settled) : Promise.resolve();
}
// The line in the file where the body starts, for the text as it is now.
function bodyLine() {
  return state.form && state.form.front ? state.form.body_line : 1;
}
// The form field whose lines hold file line `line` ("other" for the rest of the front matter).
function keyAtLine(line) {
  var lines = (state.form && state.form.lines) || {};
  for (var k in lines) {
    if (lines[k][0] <= line && line <= lines[k][1]) return k;
  }
  return "other";
}
