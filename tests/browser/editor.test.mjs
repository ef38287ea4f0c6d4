// The browser editor of `handbok serve`, used as an HR editor would: from the "Redigera sidan"
// link, type and watch the preview (rendered by handbok) change, insert a link with the page
// picker, save and see the file on disk and the site rebuilt; create, rename and delete a page
// (a delete refused while linked); meet a conflict with a change made on disk and resolve it;
// restore the version before the last save; keep unsaved text over a reload. The editor passes
// axe (light and dark, 1280 and 320 px, with a dialog open) and the keyboard checks, and is
// photographed at 1280 and 320 px. Runs on a fresh `handbok init` skeleton; every wait is bounded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { launch, runAxe, formatViolations, artifactPath, serveNewHandbook } from './lib.mjs';

const WAIT = 15_000;

let browser;
let served;
let dir;
let url;
let content;

before(async () => {
  served = await serveNewHandbook('handbok-editor-', WAIT);
  ({ dir, url } = served);
  content = join(dir, 'site/content');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  served?.stop();
});

const file = (rel) => join(content, rel);
const read = (rel) => readFileSync(file(rel), 'utf8');

async function newPage({ width = 1280, height = 900, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme });
  const page = await context.newPage();
  // Every new tab gets the editor's key the way the user's does: through a one-time link.
  await page.goto(served.newLink());
  await page.waitForURL(url, { timeout: WAIT });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    // A failed request is reported below with its address.
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
  });
  page.on('response', (r) => {
    // Browsers ask for /favicon.ico on their own; the site has no icon.
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`${r.status()} ${r.url()}`);
  });
  return { context, page, errors };
}

async function openEditor(page, source) {
  await page.goto(url + '__handbok/redigera?sida=' + encodeURIComponent(source));
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: WAIT });
  await previewSettled(page);
}

// The preview frame shows text once the server's answer is in.
async function previewSettled(page) {
  await page.waitForFunction(
    () => {
      const d = document.getElementById('preview').contentDocument;
      return d && d.querySelector('main h1');
    },
    null,
    { timeout: WAIT },
  );
}

async function waitForFile(rel, check) {
  const deadline = Date.now() + WAIT;
  while (Date.now() < deadline) {
    if (existsSync(file(rel)) && check(read(rel))) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`${rel} never reached the expected text`);
}

async function waitForSite(path, check) {
  const deadline = Date.now() + WAIT;
  while (Date.now() < deadline) {
    const r = await fetch(url + path);
    if (r.ok && check(await r.text())) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${path} was never rebuilt as expected`);
}

test('edit a page: type, see the preview, link with the picker, save, see file and site', async () => {
  const { context, page, errors } = await newPage();
  await page.goto(url + 'policyer/distansarbete.html');
  const edit = page.getByRole('link', { name: 'Redigera sidan' });
  await edit.waitFor({ timeout: WAIT });
  await edit.click();
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: WAIT });
  await previewSettled(page);
  assert.equal(await page.inputValue('#f-title'), 'Policy för distansarbete');

  // Type at the end of the text; the preview shows it, rendered by handbok.
  const area = page.locator('#text');
  await area.focus();
  await page.keyboard.press('Control+End');
  const started = Date.now();
  await page.keyboard.type('\n\nEn mening från redigeraren.');
  await page.waitForFunction(
    () => document.getElementById('preview').contentDocument?.querySelector('main')?.innerText.includes('En mening från redigeraren.'),
    null,
    { timeout: WAIT },
  );
  const ms = Date.now() - started;
  test.diagnostic?.(`keystroke to preview (typing 28 characters, then the preview): ${ms} ms`);
  console.log(`# editor: last keystroke to updated preview ≈ ${ms} ms (incl. typing); server part ${await page.evaluate(() => document.body.dataset.previewMs)} ms`);

  // A broken link shows next to its line, with the hint; the preview keeps the last good text.
  await page.keyboard.type(' Se [fel](finns-inte.md).');
  await page.locator('#problem-list li.error').first().waitFor({ timeout: WAIT });
  const problem = await page.locator('#problem-list li.error').first().innerText();
  assert.match(problem, /finns-inte\.md/);
  assert.match(problem, /Gå till rad \d+/);
  assert.ok(await page.locator('.backdrop mark.error').count() >= 1, 'the line is marked');
  assert.ok(await page.locator('#preview-note').isVisible());
  for (let i = 0; i < ' Se [fel](finns-inte.md).'.length; i++) await page.keyboard.press('Backspace');
  await page.waitForFunction(() => !document.querySelector('#problem-list li.error'), null, { timeout: WAIT });

  // Insert a link with the picker: search, pick with the keyboard, choose a heading.
  await page.keyboard.type('\n\nLäs också ');
  await page.keyboard.press('Control+k');
  const dialog = page.locator('#link-dialog');
  await dialog.waitFor({ state: 'visible', timeout: WAIT });
  await page.keyboard.type('ledighet');
  await page.locator('#link-results button').first().waitFor({ timeout: WAIT });
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('#link-results button[aria-pressed="true"]').count(), 1);
  await page.fill('#link-text', 'ansökan om ledighet');
  await page.click('#link-insert');
  await dialog.waitFor({ state: 'hidden', timeout: WAIT });
  const text = await area.inputValue();
  assert.match(text, /\[ansökan om ledighet\]\(\.\.\/ansokan-om-ledighet\.md\)/);
  await page.waitForFunction(
    () => !!document.getElementById('preview').contentDocument?.querySelector('main a[href="../ansokan-om-ledighet.html"]'),
    null,
    { timeout: WAIT },
  );

  // Save with Ctrl+S: the file on disk, then the rebuilt site.
  await page.keyboard.press('Control+s');
  await page.waitForFunction(() => document.getElementById('status').textContent.startsWith('Sparat'), null, {
    timeout: WAIT,
  });
  const saved = read('policyer/distansarbete.md');
  assert.match(saved, /En mening från redigeraren\./);
  assert.match(saved, /\(\.\.\/ansokan-om-ledighet\.md\)/);
  assert.match(saved, /^---\ntitle: Policy för distansarbete\n/);
  await waitForSite('policyer/distansarbete.html', (html) => html.includes('En mening från redigeraren.'));

  // "Ångra senaste sparning" restores the version before it.
  // It says what it will undo first (tests/browser/undo.test.mjs checks the words).
  await page.click('#undo-save');
  await page.waitForFunction(() => !document.getElementById('undo-apply').disabled, null, { timeout: WAIT });
  await page.click('#undo-apply');
  await waitForFile('policyer/distansarbete.md', (t) => !t.includes('En mening från redigeraren.'));
  await page.waitForFunction(() => !document.getElementById('text').value.includes('En mening från redigeraren.'), null, {
    timeout: WAIT,
  });
  assert.deepEqual(errors, []);
  await context.close();
});

test('unsaved text survives a reload, and leaving asks first', async () => {
  const { context, page } = await newPage();
  await openEditor(page, 'ansokan-om-ledighet.md');
  await page.locator('#text').focus();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nOsparad rad.');
  await page.waitForFunction(() => document.getElementById('status').textContent.length > 0);
  page.once('dialog', (d) => d.accept());
  await page.reload();
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: WAIT });
  assert.match(await page.inputValue('#text'), /Osparad rad\./);
  assert.match(await page.locator('#status').innerText(), /osparade text/);
  // Closing the tab with unsaved changes asks first.
  let asked = null;
  page.once('dialog', async (d) => {
    asked = d.type();
    await d.dismiss();
  });
  await page.close({ runBeforeUnload: true });
  await new Promise((r) => setTimeout(r, 500));
  assert.equal(asked, 'beforeunload');
  assert.ok(!read('ansokan-om-ledighet.md').includes('Osparad rad.'), 'nothing saved');
  await context.close();
});

test('a change made on disk meanwhile is never overwritten: both versions shown, merged, saved', async () => {
  const { context, page } = await newPage();
  await openEditor(page, 'policyer/index.md');
  await page.locator('#text').focus();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nMin ändring.');
  // Someone else saves the same file (another editor, Git).
  writeFileSync(file('policyer/index.md'), read('policyer/index.md') + '\nDeras ändring.\n');
  await page.keyboard.press('Control+s');
  const dialog = page.locator('#conflict-dialog');
  await dialog.waitFor({ state: 'visible', timeout: WAIT });
  assert.match(await page.inputValue('#conflict-mine'), /Min ändring\./);
  assert.match(await page.inputValue('#conflict-disk'), /Deras ändring\./);
  assert.match(await page.locator('#conflict-diff').innerText(), /Deras ändring\./);
  await page.screenshot({ path: artifactPath('editor-conflict.png') });
  const results = await runAxe(page);
  assert.deepEqual(results.violations, [], formatViolations(results.violations));
  assert.ok(read('policyer/index.md').includes('Deras ändring.') && !read('policyer/index.md').includes('Min ändring.'));
  // Merge: carry their line over into mine, and save.
  const mine = await page.inputValue('#conflict-mine');
  await page.fill('#conflict-mine', mine + '\nDeras ändring.\n');
  await page.click('#conflict-keep-mine');
  await waitForFile('policyer/index.md', (t) => t.includes('Min ändring.') && t.includes('Deras ändring.'));
  await dialog.waitFor({ state: 'hidden', timeout: WAIT });
  await context.close();
});

test('create, rename (links updated, shown first) and delete pages; a linked page is not deleted', async () => {
  const { context, page } = await newPage();
  await openEditor(page, 'policyer/index.md');
  // A delete of a page others link to is refused, naming the linking line.
  await openEditor(page, 'policyer/distansarbete.md');
  await page.click('#delete');
  await page.click('#delete-apply');
  await page.locator('#delete-result .edits li').first().waitFor({ timeout: WAIT });
  assert.match(await page.locator('#delete-result').innerText(), /policyer\/index\.md, rad \d+/);
  assert.ok(existsSync(file('policyer/distansarbete.md')));
  await page.keyboard.press('Escape');

  // New page in the Policyer section.
  await page.click('#new-page');
  await page.fill('#new-title', 'Friskvård och motion');
  await page.selectOption('#new-section', 'policyer');
  await page.click('#new-create');
  await page.waitForURL(/sida=policyer%2Ffriskvard-och-motion\.md/, { timeout: WAIT });
  assert.match(read('policyer/friskvard-och-motion.md'), /^---\ntitle: Friskvård och motion\norder: \d+\n---\n/);
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: WAIT });
  await waitForSite('policyer/friskvard-och-motion.html', () => true);

  // Rename distansarbete: the plan lists the link in policyer/index.md before anything changes.
  await openEditor(page, 'policyer/distansarbete.md');
  await page.click('#rename');
  await page.fill('#rename-name', 'Arbete hemifrån');
  await page.click('#rename-plan');
  await page.locator('#rename-result .edits li').first().waitFor({ timeout: WAIT });
  const shown = await page.locator('#rename-result').innerText();
  assert.match(shown, /policyer\/arbete-hemifran\.md/);
  assert.match(shown, /\(arbete-hemifran\.md\)/);
  assert.ok(existsSync(file('policyer/distansarbete.md')), 'nothing changes before it is applied');
  await page.click('#rename-apply');
  await page.waitForURL(/sida=policyer%2Farbete-hemifran\.md/, { timeout: WAIT });
  assert.ok(!existsSync(file('policyer/distansarbete.md')));
  assert.match(read('policyer/index.md'), /\(arbete-hemifran\.md\)/);
  await waitForSite('policyer/arbete-hemifran.html', () => true);

  // Delete the new page (nothing links to it).
  await openEditor(page, 'policyer/friskvard-och-motion.md');
  await page.click('#delete');
  await page.click('#delete-apply');
  await page.waitForURL(/sida=policyer%2Findex\.md/, { timeout: WAIT });
  assert.ok(!existsSync(file('policyer/friskvard-och-motion.md')));
  await context.close();
});

test('the editor passes axe and the keyboard checks, and is looked at in 1280 and 320 px', async () => {
  for (const [width, colorScheme] of [
    [1280, 'light'],
    [1280, 'dark'],
    [320, 'light'],
    [320, 'dark'],
  ]) {
    const { context, page, errors } = await newPage({ width, height: 900, colorScheme });
    await openEditor(page, 'ansokan-om-ledighet.md');
    const results = await runAxe(page);
    assert.deepEqual(results.violations, [], `${width} ${colorScheme}: ${formatViolations(results.violations)}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `${width}px: ${overflow}px of horizontal scrolling`);
    if (colorScheme === 'light') {
      await page.screenshot({ path: artifactPath(`editor-${width}.png`), fullPage: width === 320 });
      await page.focus('#text');
      await page.keyboard.press('Control+k');
      await page.locator('#link-dialog').waitFor({ state: 'visible', timeout: WAIT });
      await page.keyboard.type('polic');
      await page.locator('#link-results button').first().waitFor({ timeout: WAIT });
      const inDialog = await runAxe(page);
      assert.deepEqual(inDialog.violations, [], `link dialog ${width}: ${formatViolations(inDialog.violations)}`);
      await page.screenshot({ path: artifactPath(`editor-link-dialog-${width}.png`) });
      await page.keyboard.press('Escape');
    }
    assert.deepEqual(errors, []);
    await context.close();
  }
});

test('the editor works by keyboard: skip link first, every control reached, no trap, focus visible', async () => {
  const { context, page } = await newPage();
  await openEditor(page, 'ansokan-om-ledighet.md');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
  const seen = [];
  for (let i = 0; i < 200; i++) {
    await page.keyboard.press('Tab');
    const info = await page.evaluate(() => {
      let el = document.activeElement;
      // Focus inside the preview is on the previewed page's own controls.
      const inner = el.tagName === 'IFRAME' && el.contentDocument?.activeElement;
      const inPreview = Boolean(inner && inner !== el.contentDocument.body);
      if (inPreview) el = inner;
      const style = getComputedStyle(el);
      const name = el.id || el.getAttribute('data-action') || el.tagName;
      return {
        id: inPreview ? `preview:${name}` : name,
        outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
      };
    });
    if (info.id === 'BODY') {
      // Focus left the page for the browser's own controls: the end of the order, no trap.
      seen.push(info.id);
      break;
    }
    assert.ok(info.outline, `${info.id} has a visible focus outline`);
    seen.push(info.id);
    if (seen.length > 3 && info.id === seen[0]) break;
  }
  assert.equal(seen[seen.length - 1], 'BODY', 'Tab leads out of the page at the end: no trap');
  for (const id of ['save', 'view-page', 'new-page', 'f-title', 'f-order', 'h2', 'text']) {
    assert.ok(seen.includes(id), `Tab reaches ${id}: ${seen.join(', ')}`);
  }
  // After the text the preview's own links and form fields are reached, in its page order.
  const firstInPreview = seen.findIndex((id) => id.startsWith('preview:'));
  assert.ok(firstInPreview > seen.indexOf('text'), `Tab reaches the preview after the text: ${seen.join(', ')}`);
  assert.ok(seen.includes('preview:f1-namn'), `Tab reaches the previewed form: ${seen.join(', ')}`);
  // The toolbar is one stop; arrows move inside it and its buttons act.
  await page.focus('.toolbar button[data-action="h2"]');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.action), 'h3');
  await page.focus('#text');
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nPunkt ett');
  await page.keyboard.press('Control+Shift+Digit8');
  assert.match(await page.inputValue('#text'), /\n- Punkt ett$/);
  await page.keyboard.press('Control+b');
  assert.match(await page.inputValue('#text'), /\*\*fet text\*\*$/);
  await context.close();
});
