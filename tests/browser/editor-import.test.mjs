// "Importera Word-dokument" in the browser editor (issue 26): a committed LibreOffice-saved .docx
// uploaded through the button, its image described in the form the editor shows (with the
// image's preview), the page then open in the editor with the alternative text written in, and
// the rebuilt site showing it. A document that cannot be imported shows the importer's Swedish
// message and writes nothing; a page that exists is replaced only through "Ersätt befintlig
// sida". Runs on a fresh `handbok init` skeleton; every wait is bounded and waits for a state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, artifactPath, serveNewHandbook, runAxe, formatViolations } from './lib.mjs';

const WAIT = 15_000;
const DOCX = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures/docx');
const PAGE = 'policy-för-distansarbete.md';

let browser;
let served;
let content;

before(async () => {
  served = await serveNewHandbook('handbok-editor-import-', WAIT);
  content = join(served.dir, 'site/content');
  browser = await launch();
});

after(async () => {
  await browser?.close();
  served?.stop();
});

async function editor(source) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(served.newLink());
  await page.waitForURL(served.url, { timeout: WAIT });
  await page.goto(served.url + '__handbok/redigera?sida=' + encodeURIComponent(source));
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: WAIT });
  return { context, page, errors };
}

async function chooseDocument(page, file, { accept = false } = {}) {
  await page.click('#import-docx');
  await page.waitForSelector('#import-dialog[open]', { timeout: WAIT });
  await page.setInputFiles('#import-file', join(DOCX, file));
  if (accept) await page.check('#import-accept');
}

const listing = () => readdirSync(content, { recursive: true }).filter((p) => !String(p).startsWith('.handbok')).sort();

test('a Word document imported through the button asks for alt text and opens as a page', async () => {
  const { context, page, errors } = await editor('index.md');
  await chooseDocument(page, 'distansarbete.docx', { accept: true });
  await page.screenshot({ path: artifactPath('editor-import-dialog.png') });
  await page.click('#import-start');
  await page.waitForSelector('#import-done[open]', { timeout: WAIT });
  const created = await page.$$eval('#import-created li', (li) => li.map((l) => l.textContent));
  assert.ok(created.includes(PAGE), created.join(', '));
  assert.ok(created.includes('policy-för-distansarbete-bilder/image2.png'), created.join(', '));
  // One image without alt text: its preview (the real image) and a labelled field.
  const items = await page.$$('#alt-list li');
  assert.equal(items.length, 1);
  await page.waitForSelector('#alt-list img[data-loaded="true"]', { timeout: WAIT });
  const width = await page.$eval('#alt-list img', (img) => img.naturalWidth);
  assert.ok(width > 0, 'the preview shows the image');
  const label = await page.$eval('label[for="alt-0"]', (l) => l.textContent);
  assert.match(label, /image2\.png/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'alt-0');
  const warnings = await page.$$eval('#import-warnings li', (li) => li.map((l) => l.textContent).join(' '));
  assert.match(warnings, /1 kommentar togs bort/);
  const axe = await runAxe(page);
  assert.deepEqual(axe.violations, [], formatViolations(axe.violations));
  // Saving without the text says what is missing, at the field.
  await page.click('#import-open');
  assert.match(await page.textContent('#alt-problem'), /alternativtext/);
  assert.equal(await page.getAttribute('#alt-0', 'aria-invalid'), 'true');
  await page.fill('#alt-0', 'En blå ruta');
  await page.screenshot({ path: artifactPath('editor-import-alt.png') });
  await page.click('#import-open');
  // The imported page opens in the editor, its image described.
  await page.waitForURL(/redigera\?sida=policy-f%C3%B6r-distansarbete\.md$/, { timeout: WAIT });
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: WAIT });
  assert.equal(await page.textContent('#page-file'), PAGE);
  const text = await page.inputValue('#text');
  assert.ok(text.includes('![En blå ruta](policy-för-distansarbete-bilder/image2.png)'), text);
  assert.ok(readFileSync(join(content, PAGE), 'utf8').includes('![En blå ruta]('));
  await page.waitForFunction(() => !!document.getElementById('preview').contentDocument?.querySelector('main h1'), null, {
    timeout: WAIT,
  });
  await page.screenshot({ path: artifactPath('editor-import-result.png') });
  // The rebuilt site has the page, with its headings and the described image.
  const site = await context.newPage();
  const deadline = Date.now() + WAIT;
  let status = 0;
  while (Date.now() < deadline) {
    const answer = await site.goto(served.url + 'policy-for-distansarbete.html');
    status = answer.status();
    if (status === 200 && (await site.$('img[alt="En blå ruta"]'))) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(status, 200);
  assert.equal((await site.textContent('article h1')).replace(/\u00ad/g, '').trim(), 'Policy för distansarbete');
  assert.ok(await site.$('img[alt="En blå ruta"]'), 'the image has its alt text in the site');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a document that cannot be imported says why in Swedish and writes nothing', async () => {
  const { context, page, errors } = await editor('index.md');
  const before = listing();
  await chooseDocument(page, 'krypterat.docx');
  await page.click('#import-start');
  await page.waitForFunction(() => document.getElementById('import-problem').textContent !== '', null, { timeout: WAIT });
  const problem = await page.textContent('#import-problem');
  assert.match(problem, /^Dokumentet importerades inte: .*skyddat med lösenord/);
  assert.ok(await page.isVisible('#import-dialog'));
  assert.deepEqual(listing(), before);
  // Tracked changes not accepted: the hint names the box to tick.
  await page.setInputFiles('#import-file', join(DOCX, 'distansarbete.docx'));
  await page.click('#import-start');
  await page.waitForFunction(() => /spårade/.test(document.getElementById('import-problem').textContent), null, {
    timeout: WAIT,
  });
  assert.match(await page.textContent('#import-hint'), /Godkänn spårade ändringar/);
  assert.deepEqual(listing(), before);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an existing page is replaced only through "Ersätt befintlig sida"', async () => {
  const { context, page, errors } = await editor('index.md');
  await chooseDocument(page, 'semester.docx');
  await page.click('#import-start');
  await page.waitForSelector('#import-done[open]', { timeout: WAIT });
  const source = await page.$$eval('#import-created li', (li) => li.map((l) => l.textContent).find((t) => t.endsWith('.md')));
  // No images to describe: the one button opens the page.
  assert.ok(await page.isHidden('#import-skip'));
  assert.equal(await page.textContent('#import-open'), 'Öppna sidan');
  await page.click('#import-open');
  await page.waitForURL(/redigera\?sida=/, { timeout: WAIT });
  await page.waitForFunction(() => document.body.dataset.ready === 'true', null, { timeout: WAIT });
  const first = readFileSync(join(content, source), 'utf8');
  await chooseDocument(page, 'semester.docx');
  await page.click('#import-start');
  await page.waitForSelector('#import-replace:not([hidden])', { timeout: WAIT });
  assert.match(await page.textContent('#import-problem'), /finns redan/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'import-replace');
  await page.screenshot({ path: artifactPath('editor-import-exists.png') });
  assert.equal(readFileSync(join(content, source), 'utf8'), first);
  await page.click('#import-replace');
  await page.waitForSelector('#import-done[open]', { timeout: WAIT });
  assert.ok(existsSync(join(content, source)));
  assert.deepEqual(errors, []);
  await context.close();
});
