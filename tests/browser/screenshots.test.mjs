// Screenshots of representative pages (wide 1280, narrow 320, dark) into artifacts/ for people
// to look at. Asserts only that each was written.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { launch, openPage, sitePages, artifactPath, fileUrl } from './lib.mjs';

const all = sitePages();
// The start page, a section page, a deep page with document information, and the longest page.
const wanted = ['index.html', 'medarbetarpolicy/index.html', 'medarbetarpolicy/arbetsmiljo-och-halsa.html', 'medarbetarsamtal/samtalsguide.html', 'tillganglighetsredogorelse.html'];
const pages = wanted.filter((p) => all.includes(p));
if (pages.length < 2) pages.push(...all.slice(0, 3));
let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const shots = [
  { name: 'wide', width: 1280, height: 900, colorScheme: 'light' },
  { name: 'narrow', width: 320, height: 640, colorScheme: 'light' },
  { name: 'dark', width: 1280, height: 900, colorScheme: 'dark' },
  { name: 'narrow-dark', width: 320, height: 640, colorScheme: 'dark' },
];

test('screenshots of representative pages', async () => {
  for (const rel of pages) {
    for (const s of shots) {
      const { page, context } = await openPage(browser, rel, s);
      try {
        const file = artifactPath(`${rel.replace(/\//g, '__').replace(/\.html$/, '')}-${s.name}.png`);
        await page.screenshot({ path: file, fullPage: true });
        assert.ok(existsSync(file));
      } finally {
        await context.close();
      }
    }
  }
  // The narrow page with the menu opened, and the skip link focused.
  const { page, context } = await openPage(browser, pages[1] ?? pages[0], { width: 320, height: 640 });
  try {
    await page.locator('.menu-button:visible').click();
    await page.screenshot({ path: artifactPath('menu-open-narrow.png'), fullPage: false });
    await page.keyboard.press('Tab');
    await page.screenshot({ path: artifactPath('menu-open-first-link-focused-narrow.png'), fullPage: false });
    await page.goto('about:blank');
    await page.goto(fileUrl(pages[1] ?? pages[0]));
    await page.keyboard.press('Tab');
    await page.screenshot({ path: artifactPath('skip-link-focused-narrow.png'), fullPage: false });
  } finally {
    await context.close();
  }
});
