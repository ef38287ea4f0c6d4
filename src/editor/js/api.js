// The browser editor of `handbok serve` (served only by serve, never part of a built site).
// The page's file is split into its front matter (a labelled form) and its Markdown body (the
// text area). Every change asks the server for a preview rendered by handbok itself and for the
// diagnostics `handbok check` would give; saves name the version they started from, so a file
// changed elsewhere is never overwritten unseen. Unsaved text is kept in localStorage.
//
// Part 1 of 7 (api): the page's data and state, and talking to the server. The parts are
// concatenated in order inside one function by `src/editor/page.rs` (no modules at run time), so
// they share one scope; the order there is the order of this script.

var data = JSON.parse(document.getElementById("editor-data").getAttribute("data-json"));
var T = data.text;
var $ = function (id) { return document.getElementById(id); };
var FIELDS = ["title", "description", "order", "decided", "decided_by", "valid", "owner", "revised"];
var DRAFT_KEY = "handbok-utkast:" + location.host + ":" + data.source;

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
  var options = { headers: { "X-Handbok-Token": data.token }, credentials: "same-origin" };
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
