// The browser editor as HR edits with it (issue 21, items 11–14 and 16): the link picker puts
// its link where the cursor was; a missing title is reported at the "Rubrik" field; Enter in a
// dialog does its default safe action (the delete dialog starts on "Avbryt") and a deleted page
// comes back from "Återställ borttagen sida"; toolbar snippets select their placeholder, Enter
// continues and ends lists, text areas grow; the form's values are written by the server so
// the file holds exactly what was typed. Runs on a fresh `handbok init` skeleton; every wait is
// bounded and waits for an event or a state, never a fixed time.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { launch, runAxe, formatViolations, artifactPath, serveNewHandbook } from './lib.mjs';

const WAIT = 15_000;

let browser;
let served;
let url;
let content;

before(async () => {
  served = await serveNewHandbook('handbok-editor-ui-', WAIT);
  url = served.url;
  content = join(served.dir, 'site/content');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  served?.stop();
});

const file = (rel) => join(content, rel);
const read = (rel) => readFileSync(file(rel), 'utf8');

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  return { context, page, errors };
}

// A tab edits only with the editor's key, which it gets the way the user's does: through a
// one-time link (once per tab; the key stays in that tab's sessionStorage).
const keyed = new WeakSet();
async function openEditor(page, source) {
  if (!keyed.has(page)) {
    await page.goto(served.newLink());
    await page.waitForURL(url, { timeout: WAIT });
    keyed.add(page);
  }
  await page.goto(url + '__handbok/redigera?sida=' + encodeURIComponent(source));
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: WAIT });
  await page.waitForFunction(() => !!document.getElementById('preview').contentDocument?.querySelector('main h1'), null, {
    timeout: WAIT,
  });
}

const selection = (page) =>
  page.evaluate(() => {
    const t = document.getElementById('text');
    return { start: t.selectionStart, end: t.selectionEnd, text: t.value.slice(t.selectionStart, t.selectionEnd) };
  });

// Put the cursor (or a selection) in the text area at these offsets.
async function placeCursor(page, start, end = start) {
  await page.focus('#text');
  await page.evaluate(([s, e]) => document.getElementById('text').setSelectionRange(s, e), [start, end]);
}

test('item 11: the link picker inserts at the cursor, or over the selection, not at line 1', async () => {
  const { context, page, errors } = await newPage();
  await openEditor(page, 'policyer/distansarbete.md');
  const before = await page.inputValue('#text');
  const at = before.indexOf('Kom överens');
  assert.ok(at > 100, 'the cursor goes well below line 1');
  await placeCursor(page, at);
  await page.keyboard.press('Control+k');
  await page.locator('#link-dialog').waitFor({ state: 'visible', timeout: WAIT });
  await page.keyboard.type('ledighet');
  await page.locator('#link-results button').first().waitFor({ timeout: WAIT });
  // Enter in the search field takes the first match; Enter in the link text inserts.
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('#link-results button[aria-pressed="true"]').count(), 1);
  await page.fill('#link-text', 'blanketten');
  await page.focus('#link-text');
  await page.keyboard.press('Enter');
  await page.locator('#link-dialog').waitFor({ state: 'hidden', timeout: WAIT });
  const link = '[blanketten](../ansokan-om-ledighet.md)';
  assert.equal(await page.inputValue('#text'), before.slice(0, at) + link + before.slice(at));
  assert.equal((await selection(page)).start, at + link.length, 'the cursor follows the link');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'text', 'focus is back in the text');

  // A selected word becomes the link's text, in its place.
  const now = await page.inputValue('#text');
  const word = now.indexOf('chef');
  await placeCursor(page, word, word + 'chef'.length);
  await page.keyboard.press('Control+k');
  await page.locator('#link-dialog').waitFor({ state: 'visible', timeout: WAIT });
  assert.equal(await page.inputValue('#link-text'), 'chef');
  await page.keyboard.type('policyer');
  await page.locator('#link-results button').first().waitFor({ timeout: WAIT });
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.click('#link-insert');
  await page.locator('#link-dialog').waitFor({ state: 'hidden', timeout: WAIT });
  const after = await page.inputValue('#text');
  assert.equal(after, now.slice(0, word) + '[chef](index.md)' + now.slice(word + 'chef'.length));
  assert.deepEqual(errors, []);
  await context.close();
});

test('item 12: site.yml’s warning is shown once, apart; a missing title is reported at the "Rubrik" field', async () => {
  const { context, page, errors } = await newPage();
  await openEditor(page, 'ansokan-om-ledighet.md');
  // The skeleton's site.yml lacks the accessibility statement's facts: one warning for the
  // whole handbook, in its own place, not in the page's list or count.
  await page.waitForFunction(() => !document.getElementById('site-problems').hidden, null, { timeout: WAIT });
  // Closed until opened: its text is there for screen readers and for the one who opens it.
  const site = await page.locator('#site-problem-list li').allTextContents();
  assert.equal(site.length, 1, site.join('\n'));
  assert.match(site[0], /^Varning, site\.yml: /);
  assert.equal(await page.locator('#site-problems-summary').innerText(), 'Gäller hela handboken (1)');
  assert.equal(await page.locator('#problem-list li').count(), 0);
  assert.equal(await page.locator('#problems-summary').innerText(), 'Inga fel eller varningar.');
  await page.fill('#f-title', '');
  await page.waitForFunction(() => document.getElementById('f-title').getAttribute('aria-invalid') === 'true', null, {
    timeout: WAIT,
  });
  assert.equal(await page.locator('#f-title-problem').innerText(), 'Sidan saknar rubrik. Skriv sidans rubrik här.');
  const describedBy = (await page.getAttribute('#f-title', 'aria-describedby')).split(/\s+/);
  assert.ok(describedBy.includes('f-title-problem'), 'the message is the field’s description');
  assert.equal(await page.locator('#f-other-problem').innerText(), '', 'nothing is reported under the YAML');
  assert.equal(await page.getAttribute('#f-other', 'aria-invalid'), null);
  // The list's entry leads to the field.
  await page.locator('#problem-list li.error button', { hasText: 'Gå till fältet' }).first().click();
  assert.equal(await page.evaluate(() => document.activeElement.id), 'f-title');
  await page.fill('#f-title', 'Ansökan om ledighet');
  await page.waitForFunction(() => !document.getElementById('f-title').hasAttribute('aria-invalid'), null, { timeout: WAIT });
  assert.deepEqual(errors, []);
  await context.close();
});

test('item 13: Enter does the dialog’s safe default; delete starts on "Avbryt"; a deleted page comes back', async () => {
  const { context, page, errors } = await newPage();
  await openEditor(page, 'policyer/index.md');

  // Enter in the new page's title creates it.
  await page.click('#new-page');
  await page.locator('#new-dialog').waitFor({ state: 'visible', timeout: WAIT });
  await page.keyboard.type('Friskvård och motion');
  await page.keyboard.press('Enter');
  await page.waitForURL(/sida=policyer%2Ffriskvard-och-motion\.md/, { timeout: WAIT });
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: WAIT });
  const created = read('policyer/friskvard-och-motion.md');

  // Enter in the rename field shows the plan; nothing is renamed and the dialog stays.
  await page.click('#rename');
  await page.locator('#rename-dialog').waitFor({ state: 'visible', timeout: WAIT });
  await page.fill('#rename-name', 'Hälsa');
  await page.focus('#rename-name');
  await page.keyboard.press('Enter');
  await page.locator('#rename-result p').waitFor({ timeout: WAIT });
  assert.ok(await page.locator('#rename-dialog').isVisible(), 'Enter did not cancel the dialog');
  assert.ok(existsSync(file('policyer/friskvard-och-motion.md')), 'nothing renamed before it is applied');
  await page.keyboard.press('Escape');
  await page.locator('#rename-dialog').waitFor({ state: 'hidden', timeout: WAIT });
  assert.equal(await page.evaluate(() => document.activeElement.id), 'rename', 'focus returns to the opener');

  // The delete dialog opens on "Avbryt"; Enter there cancels and deletes nothing.
  await page.click('#delete');
  await page.locator('#delete-dialog').waitFor({ state: 'visible', timeout: WAIT });
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Avbryt');
  assert.notEqual(await page.evaluate(() => document.activeElement.id), 'delete-apply');
  await page.keyboard.press('Enter');
  await page.locator('#delete-dialog').waitFor({ state: 'hidden', timeout: WAIT });
  assert.ok(existsSync(file('policyer/friskvard-och-motion.md')));
  assert.equal(await page.evaluate(() => document.activeElement.id), 'delete');

  // Deleted on purpose, then brought back from its kept version.
  await page.click('#delete');
  await page.click('#delete-apply');
  await page.waitForURL(/sida=policyer%2Findex\.md/, { timeout: WAIT });
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: WAIT });
  assert.ok(!existsSync(file('policyer/friskvard-och-motion.md')));
  await page.click('#restore-deleted');
  const dialog = page.locator('#restore-dialog');
  await dialog.waitFor({ state: 'visible', timeout: WAIT });
  const choice = page.getByRole('radio', { name: /Friskvård och motion \(policyer\/friskvard-och-motion\.md\)/ });
  await choice.waitFor({ timeout: WAIT });
  assert.ok(await choice.isChecked());
  const inDialog = await runAxe(page);
  assert.deepEqual(inDialog.violations, [], formatViolations(inDialog.violations));
  await page.screenshot({ path: artifactPath('editor-restore-dialog.png') });
  await choice.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/sida=policyer%2Ffriskvard-och-motion\.md/, { timeout: WAIT });
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: WAIT });
  assert.equal(read('policyer/friskvard-och-motion.md'), created, 'the page is back byte for byte');
  assert.equal(await page.inputValue('#f-title'), 'Friskvård och motion');
  assert.deepEqual(errors, []);
  await context.close();
});

test('item 14: snippets select their placeholder, Enter continues and ends lists, text areas grow', async () => {
  const { context, page, errors } = await newPage();
  await openEditor(page, 'ansokan-om-ledighet.md');
  await page.focus('#text');
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\n\n');

  // A heading on an empty line: "Rubrik" is selected and typed over.
  await page.keyboard.press('Control+Shift+Digit2');
  assert.equal((await selection(page)).text, 'Rubrik');
  await page.keyboard.type('Villkor');
  assert.match(await page.inputValue('#text'), /\n## Villkor$/);

  // Lists: Enter continues "- ", numbers and checklists; Enter on an empty item ends the list.
  await page.keyboard.type('\n\n- ett');
  await page.keyboard.press('Enter');
  await page.keyboard.type('två');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.keyboard.type('1. först');
  await page.keyboard.press('Enter');
  await page.keyboard.type('sedan');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.keyboard.type('- [ ] packa');
  await page.keyboard.press('Enter');
  await page.keyboard.type('resa');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Slut.');
  assert.match(
    await page.inputValue('#text'),
    /\n## Villkor\n\n- ett\n- två\n1\. först\n2\. sedan\n- \[ \] packa\n- \[ \] resa\nSlut\.$/,
  );

  // A note box and a form field: their example text is selected.
  await page.keyboard.press('Enter');
  await page.keyboard.press('Control+Shift+Digit1');
  assert.equal((await selection(page)).text, 'Det här är viktigt att känna till.');
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Control+Shift+Digit6');
  await page.locator('#field-dialog').waitFor({ state: 'visible', timeout: WAIT });
  const label = await page.locator('#field-dialog [data-snippet="date"]').innerText();
  await page.click('#field-dialog [data-snippet="date"]');
  await page.locator('#field-dialog').waitFor({ state: 'hidden', timeout: WAIT });
  const picked = await selection(page);
  assert.ok(picked.text.length > 0, `the date field's example text is selected (${label})`);
  assert.match(await page.inputValue('#text'), new RegExp('- date: ' + picked.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '\\n```\\n?$'));
  assert.equal(await page.evaluate(() => document.activeElement.id), 'text');

  // Text areas grow: the description's box and the text's box fit their text, no inner scroll.
  const grows = async (selector, lines) => {
    const h0 = await page.evaluate((s) => document.querySelector(s).offsetHeight, selector);
    await page.focus(selector);
    await page.keyboard.press('Control+End');
    for (let i = 0; i < lines; i++) await page.keyboard.type('\nEn rad till.');
    const [h1, inner, shown] = await page.evaluate((s) => {
      const t = document.querySelector(s);
      return [t.offsetHeight, t.scrollHeight, t.clientHeight];
    }, selector);
    assert.ok(h1 > h0, `${selector} grew (${h0} → ${h1} px)`);
    assert.ok(inner <= shown + 1, `${selector} shows all its text (${inner} > ${shown})`);
  };
  await grows('#f-description', 4);
  await grows('#text', 40);
  await page.screenshot({ path: artifactPath('editor-grown.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await context.close();
});

test('item 16: the form writes through the server, and the file holds exactly what was typed', async () => {
  const { context, page, errors } = await newPage();
  await openEditor(page, 'policyer/distansarbete.md');
  const before = read('policyer/distansarbete.md');
  const title = 'Distans: "hemma" # och ’borta’';
  await page.fill('#f-title', title);
  await page.click('.doc-fields summary');
  await page.fill('#f-owner', '  HR-avdelningen');
  await page.waitForFunction(() => document.title.startsWith('* '), null, { timeout: WAIT });
  await page.keyboard.press('Control+s');
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Sparat'), null, { timeout: WAIT });
  const saved = read('policyer/distansarbete.md');
  // Only the two changed lines differ; every other line is as it was.
  const a = before.split('\n');
  const b = saved.split('\n');
  assert.equal(a.length, b.length);
  const changed = a.map((line, i) => (line === b[i] ? null : b[i])).filter((l) => l !== null);
  assert.deepEqual(changed, ['title: "Distans: \\"hemma\\" # och ’borta’"', 'owner: "  HR-avdelningen"']);
  // The server reads it back as the form shows it.
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: WAIT });
  assert.equal(await page.inputValue('#f-title'), title);
  assert.equal(await page.inputValue('#f-owner'), '  HR-avdelningen');
  assert.ok(!(await page.evaluate(() => document.title.startsWith('* '))), 'a page just loaded is not unsaved');
  assert.deepEqual(errors, []);
  await context.close();
});
