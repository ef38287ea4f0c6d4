// Screenshots of representative pages (wide 1280, narrow 320, dark) into artifacts/ for people
// to look at, each checked for what a reader would see first: the page's main heading in view,
// nothing wider than the window, and a picture that is not one flat colour (a blank or unstyled
// page, or text the same colour as its background, fails).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
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

/** How many colours the picture `png` has, counted in the page (capped at 64: enough to say
 *  it is not blank), and the share of its pixels that are its most common colour. */
async function colours(page, png) {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    const ctx = canvas.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const data = ctx.getImageData(0, 0, img.width, img.height).data;
    const seen = new Map();
    for (let i = 0; i < data.length; i += 4) {
      const key = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
      seen.set(key, (seen.get(key) || 0) + 1);
    }
    return { distinct: Math.min(seen.size, 64), top: Math.max(...seen.values()) / (data.length / 4) };
  }, png.toString('base64'));
}

/** What the reader sees at first: the main heading's place, the page's and window's widths. */
function firstView(page) {
  return page.evaluate(() => {
    const h1 = document.querySelector('main h1');
    const r = h1?.getBoundingClientRect();
    return {
      heading: h1 ? h1.textContent.trim() : null,
      inView: !!r && r.width > 0 && r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight && r.left >= 0 && r.right <= window.innerWidth,
      headingColour: h1 ? getComputedStyle(h1).color : null,
      background: getComputedStyle(document.body).backgroundColor,
      scrollWidth: document.documentElement.scrollWidth,
      width: document.documentElement.clientWidth,
    };
  });
}

test('representative pages show their heading, fit the window and are not blank', async () => {
  for (const rel of pages) {
    for (const s of shots) {
      const { page, context } = await openPage(browser, rel, s);
      try {
        const view = await firstView(page);
        const where = `${rel} ${s.name}`;
        assert.ok(view.heading, `${where}: a main heading`);
        assert.ok(view.inView, `${where}: the heading "${view.heading}" is in the first view`);
        assert.notEqual(view.headingColour, view.background, `${where}: the heading is not the background's colour`);
        assert.ok(view.scrollWidth <= view.width, `${where}: ${view.scrollWidth} px wide in a ${view.width} px window`);
        const first = await colours(page, await page.screenshot());
        assert.ok(first.distinct >= 8 && first.top < 0.98, `${where}: the first view is nearly one colour (${JSON.stringify(first)})`);
        await page.screenshot({ path: artifactPath(`${rel.replace(/\//g, '__').replace(/\.html$/, '')}-${s.name}.png`), fullPage: true });
      } finally {
        await context.close();
      }
    }
  }
});

test('on a phone the menu opens in view, and Tab reaches its first link and the skip link', async () => {
  const rel = pages[1] ?? pages[0];
  const { page, context } = await openPage(browser, rel, { width: 320, height: 640 });
  try {
    await page.locator('.menu-button:visible').click();
    const tree = page.locator('#navigeringstrad');
    await tree.waitFor({ state: 'visible' });
    assert.ok((await tree.boundingBox()).y < 640, 'the opened menu starts in the window');
    await page.screenshot({ path: artifactPath('menu-open-narrow.png'), fullPage: false });
    await page.keyboard.press('Tab');
    assert.ok(await page.evaluate(() => !!document.activeElement.closest('nav')), 'Tab goes into the menu');
    await page.screenshot({ path: artifactPath('menu-open-first-link-focused-narrow.png'), fullPage: false });
    await page.goto('about:blank');
    await page.goto(fileUrl(rel));
    await page.keyboard.press('Tab');
    const skip = await page.evaluate(() => {
      const el = document.activeElement;
      const r = el.getBoundingClientRect();
      return { isSkip: el.classList.contains('skip-link'), shown: r.width > 0 && r.top >= 0 && r.bottom <= window.innerHeight };
    });
    assert.deepEqual(skip, { isSkip: true, shown: true }, 'the skip link is focused first and shown');
    await page.screenshot({ path: artifactPath('skip-link-focused-narrow.png'), fullPage: false });
  } finally {
    await context.close();
  }
});
