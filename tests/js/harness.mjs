// Loads the shipped browser scripts, unchanged, the way a page loads them: the theme's search
// parts as plain scripts in one global scope (a node:vm context whose `window` is itself), and
// scripts that need a page (mark.js, the editor's parts) into a jsdom window. Nothing here is
// shipped; the site keeps working from file:// with plain scripts.
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { JSDOM } from 'jsdom';

const ROOT = new URL('../../', import.meta.url);

/** The text of a file of the repository, by its path from the repository's root. */
export function source(path) {
  return readFileSync(new URL(path, ROOT), 'utf8');
}

/** A value from another realm as plain data, so deepStrictEqual compares contents only. */
export function plain(value) {
  return JSON.parse(JSON.stringify(value));
}

/** A global scope with `window` pointing at itself, and `paths` run in it in order. */
export function scripts(...paths) {
  const context = vm.createContext({});
  context.window = context;
  for (const path of paths) {
    vm.runInContext(source(path), context, { filename: path });
  }
  return context;
}

/** The theme's search parts as search.html loads them (search.js itself needs a page). */
export function searchParts() {
  return scripts(
    'themes/default/js/search-text.js',
    'themes/default/js/search-sections.js',
    'themes/default/js/search-shards.js',
  );
}

/** A page at `url` with `body`, scripts allowed only from the test (window.eval). */
export function page(body, url = 'file:///handbok/sida.html') {
  const dom = new JSDOM(`<!doctype html><html lang="sv"><head><title>Sida – Handbok</title></head><body>${body}</body></html>`, {
    url,
    runScripts: 'outside-only',
    pretendToBeVisual: true,
  });
  // jsdom lays nothing out: scrolling is a no-op that records where it went.
  dom.window.scrolledTo = [];
  dom.window.scrollTo = () => {};
  dom.window.Element.prototype.scrollIntoView = function () { dom.window.scrolledTo.push(this); };
  return dom.window;
}

/** The Swedish UI strings of the editor (`editor_…` keys) from themes/default/strings.yml. */
export function editorStrings() {
  const text = source('themes/default/strings.yml');
  const sv = text.slice(text.indexOf('\nsv:'), text.indexOf('\nen:'));
  const out = {};
  for (const m of sv.matchAll(/^ {2}(editor_[a-z_]+): (.+)$/gm)) {
    out[m[1]] = m[2].replace(/^"(.*)"$/, '$1');
  }
  return out;
}

/** Resolves when `check()` holds, checked after each animation frame of `window` (bounded). */
export async function until(window, check, what) {
  for (let i = 0; i < 200; i++) {
    if (check()) { return; }
    await new Promise((resolve) => window.requestAnimationFrame(() => resolve()));
  }
  throw new Error(`${what}: not within 200 frames`);
}

const EDITOR_PAGE = `<div class="toolbar"><button data-action="bold">B</button><button data-action="h2">H2</button></div>
  <div class="wrap"><textarea id="text" class="grow"></textarea></div>
  ${['title', 'description', 'order', 'decided', 'decided_by', 'valid', 'owner', 'revised']
    .map((k) => `<input id="f-${k}"><span id="f-${k}-problem"></span>`).join('')}
  <details><summary>Övrigt</summary><textarea id="f-other"></textarea><span id="f-other-problem"></span></details>`;

/**
 * The editor's front matter form and toolbar parts (src/editor/js/), concatenated inside one
 * function as src/editor/page.rs does, in a page with the elements they use. The parts they
 * call in other files (the server, the preview, the dialogs) are stand-ins that record calls:
 * `window.editor.requests` (api calls, answered by `window.editor.answer(path, body)`) and
 * `window.editor.changes` (how often the text was reported changed).
 */
export function editor() {
  const window = page(EDITOR_PAGE, 'http://127.0.0.1/__handbok/redigera?sida=lon.md');
  const T = JSON.stringify(editorStrings());
  window.eval(`(function () {
"use strict";
var T = ${T};
var $ = function (id) { return document.getElementById(id); };
var state = {};
var record = window.editor = { requests: [], changes: 0, answer: null };
function api(path, body) {
  record.requests.push({ path: path, body: JSON.parse(JSON.stringify(body)) });
  return Promise.resolve().then(function () { return record.answer(path, body); });
}
function failed(e) { return e.message; }
function changed() { record.changes++; }
function paintMarks() {}
function openLinkDialog() { record.dialog = "link"; }
function openImageDialog() { record.dialog = "image"; }
function open(id) { record.dialog = id; }
function save() { record.saved = true; }
${source('src/editor/js/frontmatter-form.js')}
${source('src/editor/js/toolbar.js')}
record.actions = actions;
record.state = state;
record.form = { load: load, formChanged: formChanged, settled: settled, fullText: fullText, bodyLine: bodyLine, keyAtLine: keyAtLine };
})();`);
  return window;
}
