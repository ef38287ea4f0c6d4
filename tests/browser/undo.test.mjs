// "Ångra senaste sparning" in the browser editor says what it will undo before it does: after a
// rename, the dialog names the rename and every file it wrote, and undoing puts back every file
// and the page's old name; after a save, it says the last save of the page is undone. Runs on a
// fresh `handbok init` skeleton; every wait is bounded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { launch, serveNewHandbook } from './lib.mjs';

const WAIT = 15_000;

let browser;
let served;
let url;
let content;

before(async () => {
  served = await serveNewHandbook('handbok-undo-', WAIT);
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
}

// The dialog once the server has said what will be undone.
async function undoDialog(page) {
  await page.click('#undo-save');
  await page.locator('#undo-dialog').waitFor({ state: 'visible', timeout: WAIT });
  await page.waitForFunction(() => !document.getElementById('undo-apply').disabled, null, { timeout: WAIT });
  return {
    what: await page.locator('#undo-what').innerText(),
    files: await page.locator('#undo-files li').allInnerTexts(),
  };
}

test('undo after a rename says it undoes the whole rename, names every file, and puts them all back', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  const index = read('policyer/index.md');
  const policy = read('policyer/distansarbete.md');

  await openEditor(page, 'policyer/distansarbete.md');
  await page.click('#rename');
  await page.fill('#rename-name', 'Arbete hemifrån');
  await page.click('#rename-plan');
  await page.locator('#rename-result .edits li').first().waitFor({ timeout: WAIT });
  await page.click('#rename-apply');
  await page.waitForURL(/sida=policyer%2Farbete-hemifran\.md/, { timeout: WAIT });
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: WAIT });
  assert.notEqual(read('policyer/index.md'), index);

  const { what, files } = await undoDialog(page);
  assert.equal(
    what,
    'Namnbytet från policyer/distansarbete.md till policyer/arbete-hemifran.md ångras som en helhet: ' +
      `sidan får sitt gamla namn och länkarna sina gamla mål. De här ${files.length} filerna skrivs tillbaka:`,
  );
  assert.ok(files.includes('policyer/index.md'), files.join(', '));
  assert.deepEqual(files.slice(-2), ['policyer/distansarbete.md', 'policyer/arbete-hemifran.md']);
  assert.ok(existsSync(file('policyer/arbete-hemifran.md')), 'nothing is undone before it is confirmed');

  await page.click('#undo-apply');
  await page.waitForURL(/sida=policyer%2Fdistansarbete\.md/, { timeout: WAIT });
  assert.equal(read('policyer/index.md'), index);
  assert.equal(read('policyer/distansarbete.md'), policy);
  assert.ok(!existsSync(file('policyer/arbete-hemifran.md')));
  assert.deepEqual(errors, []);
  await context.close();
});

test('undo after a save says the last save of the page is undone', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const before = read('ansokan-om-ledighet.md');
  await openEditor(page, 'ansokan-om-ledighet.md');
  await page.waitForFunction(() => document.getElementById('preview').contentDocument?.querySelector('main h1'), null, {
    timeout: WAIT,
  });
  await page.locator('#text').focus();
  await page.keyboard.press('Control+End');
  await page.keyboard.type('\nEn rad till.');
  await page.keyboard.press('Control+s');
  const deadline = Date.now() + WAIT;
  while (!read('ansokan-om-ledighet.md').includes('En rad till.')) {
    assert.ok(Date.now() < deadline, 'the save reaches the disk');
    await new Promise((r) => setTimeout(r, 50));
  }
  await page.waitForFunction(() => !document.getElementById('undo-save').disabled, null, { timeout: WAIT });
  const { what, files } = await undoDialog(page);
  assert.equal(what, 'Den senaste sparningen av ansokan-om-ledighet.md ångras. Den förra versionen kommer tillbaka.');
  assert.deepEqual(files, []);
  await page.click('#undo-apply');
  await page.waitForFunction(() => !document.getElementById('text').value.includes('En rad till.'), null, {
    timeout: WAIT,
  });
  assert.equal(read('ansokan-om-ledighet.md'), before);
  await context.close();
});
