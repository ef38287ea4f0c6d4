// Editor script, part 2 of 7 (frontmatter-form): the page's front matter <-> the labelled form.

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
