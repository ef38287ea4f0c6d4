// `handbok serve` in a real browser: a save shows up in the open page without a manual reload,
// a broken save shows the errors in an overlay (role="alert", passes axe) over the last good
// page, and the next good save removes it. Runs on a fresh `handbok init` skeleton in a temp
// folder; every wait is bounded.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, runAxe, formatViolations, artifactPath, serveNewHandbook } from './lib.mjs';

const WAIT = 10_000;

let browser;
let served;
let dir;
let url;

before(async () => {
  served = await serveNewHandbook('handbok-serve-', WAIT);
  ({ dir, url } = served);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  served?.stop();
});

test('saves reload the open page; a broken save shows an accessible overlay; a fix clears it', async () => {
  const file = join(dir, 'site/content/policyer/distansarbete.md');
  const original = readFileSync(file, 'utf8');
  const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
  // Count the `hello` each live-reload stream starts with (live.js's EventSource, unchanged), so
  // the test waits for the stream to be connected rather than for a guessed time.
  await context.addInitScript(() => {
    const Native = window.EventSource;
    window.handbokHellos = 0;
    window.EventSource = class extends Native {
      constructor(...args) {
        super(...args);
        this.addEventListener('hello', () => { window.handbokHellos++; });
      }
    };
  });
  const page = await context.newPage();
  await page.goto(url + 'policyer/distansarbete.html');
  await page.waitForFunction(() => window.handbokHellos > 0, null, { timeout: WAIT });

  // A good save: the new text appears without a manual reload (within WAIT; the time it took
  // is reported, not asserted: a loaded machine is no product fault).
  const started = Date.now();
  writeFileSync(file, original + '\nEn helt ny mening.\n');
  await page.waitForFunction(() => document.querySelector('main')?.innerText.includes('En helt ny mening.'), null, {
    timeout: WAIT,
  });
  console.log(`# the saved text showed ${Date.now() - started} ms after the write`);

  // A broken save: the overlay names file, line and key; the old page stays below it.
  writeFileSync(file, original.replace(/^title:/m, 'titel:'));
  const overlay = page.locator('[role="alert"]');
  await overlay.waitFor({ timeout: WAIT });
  const text = await overlay.innerText();
  assert.match(text, /distansarbete\.md:2:1: fel: okänd nyckel `titel` i sidans uppgifter/);
  assert.match(text, /menade du `title`\?/);
  // Its words come from the string table: a named heading and a named button.
  assert.equal(
    await overlay.getByRole('heading', { level: 2 }).innerText(),
    'Ändringen kunde inte visas – rätta felet och spara igen',
  );
  await overlay.getByRole('button', { name: 'Dölj' }).waitFor({ timeout: WAIT });
  assert.ok(await page.locator('main').innerText().then((t) => t.includes('En helt ny mening.')));
  await page.screenshot({ path: artifactPath('serve-error-overlay.png') });
  const results = await runAxe(page);
  assert.deepEqual(results.violations, [], formatViolations(results.violations));

  // By keyboard: the overlay's button is the first Tab stop, and what gets focus after it is
  // never hidden under the overlay (WCAG 2.4.11): the middle of it is the focused element.
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), 'Dölj');
  for (let i = 0; i < 8; i++) {
    await page.keyboard.press('Tab');
    // What covers the middle of the focused element, if not itself (null when nothing does).
    const obscured = () => {
      const el = document.activeElement;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) return null;
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      return hit && (el.contains(hit) || hit.contains(el)) ? null : `${el.outerHTML.slice(0, 80)} under ${hit?.outerHTML.slice(0, 80)}`;
    };
    // The site scrolls smoothly to what gets focus: give it time to arrive.
    await page.waitForFunction(`(${obscured})() === null`, null, { timeout: 2000 }).catch(() => {});
    const hidden = await page.evaluate(obscured);
    assert.equal(hidden, null, `Tab ${i + 1}: focus under the overlay`);
  }

  // The fix: the page reloads without the overlay.
  writeFileSync(file, original);
  await page.waitForFunction(() => !document.querySelector('[role="alert"]'), null, { timeout: WAIT });
  await page.waitForFunction(() => !document.querySelector('main')?.innerText.includes('En helt ny mening.'), null, {
    timeout: WAIT,
  });

  // Dölj, by keyboard, hides the overlay until the next error.
  writeFileSync(file, original.replace(/^title:/m, 'titel:'));
  await overlay.waitFor({ timeout: WAIT });
  await page.evaluate(() => document.activeElement?.blur());
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await overlay.waitFor({ state: 'detached', timeout: WAIT });
  writeFileSync(file, original);
  await context.close();
});
