// The editor's page-information form (src/editor/js/frontmatter-form.js): the server takes the
// front matter apart, the form shows it, and only the fields the person changed are sent back;
// a refused value is shown at its field. The server is a stand-in answering as `front/read` and
// `front/write` do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editor, plain } from './harness.mjs';

const READ = {
  front: true,
  yaml: 'title: Lön\nowner: HR\nextra: 1\n',
  close: '---\n',
  values: { title: 'Lön', owner: 'HR' },
  other: 'extra: 1\n',
  lines: { title: [2, 2], owner: [3, 3] },
  body: 'Text om lön.\n',
  body_line: 6,
};

async function loaded() {
  const window = editor();
  const e = window.editor;
  e.answer = (path, body) => {
    if (path === 'front/read') { return READ; }
    if (body.changes.title === '') { throw Object.assign(new Error('Titeln får inte vara tom.'), { field: 'title' }); }
    return { front: true, yaml: 'title: Ny\nowner: HR\nextra: 1\n', values: {}, other: '', lines: {}, body_line: 6 };
  };
  await e.form.load('---\ntitle: Lön\nowner: HR\nextra: 1\n---\nText om lön.\n');
  return { window, e, $: (id) => window.document.getElementById(id) };
}

test('the form shows the fields, the rest of the front matter and the body', async () => {
  const { e, $ } = await loaded();
  assert.equal($('f-title').value, 'Lön');
  assert.equal($('f-owner').value, 'HR');
  assert.equal($('f-description').value, '', 'a field the file lacks is empty');
  assert.equal($('f-other').value, 'extra: 1\n');
  assert.ok($('f-other').closest('details').open, 'other keys are shown, not hidden');
  assert.equal($('text').value, 'Text om lön.\n');
  assert.equal(e.form.fullText(), '---\ntitle: Lön\nowner: HR\nextra: 1\n---\nText om lön.\n');
  assert.equal(e.form.bodyLine(), 6);
  assert.equal(e.form.keyAtLine(2), 'title');
  assert.equal(e.form.keyAtLine(4), 'other');
});

test('only the changed field is sent, against the front matter the text was loaded with', async () => {
  const { window, e, $ } = await loaded();
  $('f-title').value = 'Ny';
  e.form.formChanged();
  await e.form.settled();
  const write = e.requests.at(-1);
  assert.equal(write.path, 'front/write');
  assert.deepEqual(plain(write.body), { yaml: READ.yaml, front: true, changes: { title: 'Ny' }, other: null });
  assert.equal(e.changes, 1);
  assert.equal(e.form.fullText(), '---\ntitle: Ny\nowner: HR\nextra: 1\n---\nText om lön.\n');
  assert.equal(window.document.getElementById('f-title').getAttribute('aria-invalid'), null);
});

test('a value the server refuses is shown at its field and the text is not changed', async () => {
  const { e, $ } = await loaded();
  $('f-title').value = '';
  e.form.formChanged();
  await e.form.settled();
  assert.equal($('f-title-problem').textContent, 'Titeln får inte vara tom.');
  assert.equal($('f-title').getAttribute('aria-invalid'), 'true');
  assert.equal(e.changes, 0);
  assert.equal(e.form.fullText(), '---\ntitle: Lön\nowner: HR\nextra: 1\n---\nText om lön.\n');
});

test('an answer that arrives after a newer change is dropped', async () => {
  const { e, $ } = await loaded();
  $('f-title').value = 'Ny';
  e.form.formChanged();
  $('f-owner').value = 'Lönekontoret';
  e.form.formChanged();
  await e.form.settled();
  assert.equal(e.changes, 1, 'only the second answer is taken');
  assert.deepEqual(plain(e.requests.at(-1).body.changes), { title: 'Ny', owner: 'Lönekontoret' });
});
