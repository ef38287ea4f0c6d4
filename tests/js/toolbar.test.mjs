// The editor's text edits (src/editor/js/toolbar.js) on a real text area: what bold, italic,
// headings, lists and a note do to the text and the selection, and how Enter continues a list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editor } from './harness.mjs';

/** The editor with `text` in the text area and `[from, to)` selected. */
function withText(text, from, to = from) {
  const window = editor();
  const area = window.document.getElementById('text');
  area.value = text;
  area.setSelectionRange(from, to);
  return { window, area, e: window.editor };
}

const selected = (area) => area.value.slice(area.selectionStart, area.selectionEnd);

test('bold on a selection wraps it and keeps it selected', () => {
  const { area, e } = withText('Lön betalas ut den 25:e.', 0, 3);
  e.actions.bold();
  assert.equal(area.value, '**Lön** betalas ut den 25:e.');
  assert.equal(selected(area), 'Lön');
  assert.equal(e.changes, 1);
});

test('bold on an empty selection inserts placeholder text, selected so typing replaces it', () => {
  const { area, e } = withText('Före  efter', 5);
  e.actions.bold();
  assert.equal(area.value, 'Före **fet text** efter');
  assert.equal(selected(area), 'fet text');
});

test('italic wraps in one star', () => {
  const { area, e } = withText('ett ord', 4, 7);
  e.actions.italic();
  assert.equal(area.value, 'ett *ord*');
});

test('a list on three selected lines prefixes each line and keeps them selected', () => {
  const text = 'Inledning\nlön\nsemester\npension\nSlut';
  const { area, e } = withText(text, text.indexOf('lön') + 1, text.indexOf('pension') + 2);
  e.actions.bullets();
  assert.equal(area.value, 'Inledning\n- lön\n- semester\n- pension\nSlut');
  assert.equal(selected(area), '- lön\n- semester\n- pension');
  // Another kind on the same selection replaces the marker rather than adding one.
  e.actions.numbers();
  assert.equal(area.value, 'Inledning\n1. lön\n2. semester\n3. pension\nSlut');
  e.actions.checklist();
  assert.equal(area.value, 'Inledning\n- [ ] lön\n- [ ] semester\n- [ ] pension\nSlut');
});

test('a heading on the cursor line replaces a list marker or another heading level', () => {
  const { area, e } = withText('- Lönesamtal\nText', 4);
  e.actions.h2();
  assert.equal(area.value, '## Lönesamtal\nText');
  assert.equal(area.selectionStart, '## Lönesamtal'.length, 'the cursor goes after the line');
  e.actions.h3();
  assert.equal(area.value, '### Lönesamtal\nText');
});

test('a heading on an empty line gets placeholder text, selected', () => {
  const { area, e } = withText('Text\n\nMer', 5);
  e.actions.h2();
  assert.equal(area.value, 'Text\n## Rubrik\nMer');
  assert.equal(selected(area), 'Rubrik');
});

test('a note is a block of its own, quoted line by line', () => {
  const { area, e } = withText('Först.\nViktigt.\nSist.', 7, 15);
  e.actions.note();
  assert.equal(area.value, 'Först.\n\n> [!NOTE]\n> Viktigt.\n\nSist.');
});

test('Enter at the end of a list item starts the next; on an empty item it ends the list', () => {
  const { window, area } = withText('1. lön', 6);
  const enter = () => area.dispatchEvent(new window.KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
  enter();
  assert.equal(area.value, '1. lön\n2. ');
  enter();
  assert.equal(area.value, '1. lön\n');
  area.value = '- [x] klart';
  area.setSelectionRange(11, 11);
  enter();
  assert.equal(area.value, '- [x] klart\n- [ ] ');
});

test('the keyboard shortcuts reach the same edits', () => {
  const { window, area } = withText('ord', 0, 3);
  area.dispatchEvent(new window.KeyboardEvent('keydown', { key: 'b', ctrlKey: true, bubbles: true, cancelable: true }));
  assert.equal(area.value, '**ord**');
  area.setSelectionRange(0, 0);
  area.dispatchEvent(new window.KeyboardEvent('keydown', { key: '8', code: 'Digit8', ctrlKey: true, shiftKey: true, bubbles: true, cancelable: true }));
  assert.equal(area.value, '- **ord**');
});
