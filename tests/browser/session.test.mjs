// Who may edit through `handbok serve` (issue 21, item 10): the editor's key reaches a tab only
// through a one-time link, which the tab keeps in sessionStorage. The tab that opened the link
// edits, also after "Redigera sidan", a reload and Back; the same link used again, or a new tab
// or browser without the link, cannot edit and says in Swedish how to get a new link. The
// explanation passes axe. Runs on a fresh `handbok init` skeleton; every wait is bounded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, runAxe, formatViolations, artifactPath, serveNewHandbook } from './lib.mjs';

const WAIT = 15_000;

let browser;
let served;
let url;

before(async () => {
  served = await serveNewHandbook('handbok-session-', WAIT);
  ({ url } = served);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  served?.stop();
});

// What the editor came to: 'true' (editing), 'no-key' or 'failed'.
const ready = (page) =>
  page
    .waitForFunction(() => document.body?.dataset.ready, null, { timeout: WAIT })
    .then(() => page.evaluate(() => document.body.dataset.ready));

test('the tab that opens the one-time link edits, after "Redigera sidan", a reload and Back', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const link = served.newLink();
  await page.goto(link);
  await page.waitForURL(url, { timeout: WAIT });
  await page.goto(url + 'policyer/distansarbete.html');
  await page.getByRole('link', { name: 'Redigera sidan' }).click();
  assert.equal(await ready(page), 'true');
  await page.reload();
  assert.equal(await ready(page), 'true');
  await page.goBack();
  await page.waitForURL(/distansarbete\.html$/, { timeout: WAIT });
  await page.goForward();
  assert.equal(await ready(page), 'true');

  // The same link in another browser (a new context) hands over nothing.
  const other = await browser.newContext();
  const stranger = await other.newPage();
  const answer = await stranger.goto(link);
  assert.equal(answer.status(), 403);
  assert.match(await stranger.locator('main').innerText(), /Länken har redan använts/);
  assert.equal(await stranger.evaluate(() => sessionStorage.length), 0);
  await other.close();
  await context.close();
});

test('a tab without the key says it cannot edit and how to get a new link', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // A tab that has the key, and a new tab of the same browser that does not.
  const first = await context.newPage();
  await first.goto(served.newLink());
  await first.waitForURL(url, { timeout: WAIT });
  const page = await context.newPage();
  await page.goto(url + '__handbok/redigera?sida=index.md');
  assert.equal(await ready(page), 'no-key');
  const alert = page.getByRole('alert');
  assert.equal(await alert.getByRole('heading').innerText(), 'Den här fliken kan inte redigera');
  assert.match(await alert.innerText(), /dubbelklicka på programmet handbok/);
  assert.equal(await page.locator('#text').count(), 0, 'no text area that could not save');
  assert.ok(await page.locator('#save').isDisabled());
  const results = await runAxe(page);
  assert.equal(results.violations.length, 0, formatViolations(results.violations));
  await page.screenshot({ path: artifactPath('editor-without-key.png') });
  // The tab with the key still edits.
  await first.goto(url + '__handbok/redigera?sida=index.md');
  assert.equal(await ready(first), 'true');
  await context.close();
});
