// Browser tier, print: builds the shipped handbook, prints every form page and print view to
// PDF with Debian's Chromium (driven by playwright-core, never a downloaded browser) and checks
// - the page count against the page's declared `print_pages` (<meta name="print-pages">),
//   and a talk's print view against the sum of its parts;
// - that no navigation, button or footer text is in the PDF (pdftotext);
// - that a form filled in with the keyboard prints what was typed;
// - that the buttons are hidden without JavaScript and "Töm formuläret" clears the form.
// PNGs of every printed page go to tests/browser/artifacts/print/ (pdftoppm): look at them.
//
// Needs: node ≥ 20, npm playwright-core (tests/browser/package.json), chromium, poppler-utils
// (pdfinfo, pdftotext, pdftoppm). Prints the site of lib.mjs (SITE: $HANDBOK_SITE or public/,
// built when missing). Run: cd tests/browser && node --test print.test.mjs

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { ARTIFACTS, ensureSite, launch, printPdf } from "./lib.mjs";

const artifacts = join(ARTIFACTS, "print");
// Text that belongs to the screen only: skip link, menu, breadcrumbs, pagination, footer,
// form buttons and the on-screen privacy and signature notes.
const CHROME_TEXT = [
  "Hoppa till innehållet", "Huvudmeny", "Du är här", "Föregående", "Bläddra mellan sidor",
  "Innehållsansvarig", "Töm formuläret", "Skriv ut", "På den här sidan", "Skrivs under för hand",
  "Utskriftsvy", "sparas inte och skickas ingenstans",
];

let site;
let browser;

function htmlFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== "assets") out.push(...htmlFiles(p));
    } else if (name.endsWith(".html")) out.push(p);
  }
  return out;
}

const pdfPages = (pdf) => Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [pdf], { encoding: "utf8" }))[1]);
const pdfText = (pdf) => execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" });

async function printPage(file, name, prepare) {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(file).href);
  if (prepare) await prepare(page);
  // Real browsers fire beforeprint (form.js grows writing areas to their text); page.pdf does not.
  await page.evaluate(() => window.dispatchEvent(new Event("beforeprint")));
  const pdf = join(artifacts, `${name}.pdf`);
  await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: false });
  const declared = await page.$eval('meta[name="print-pages"]', (m) => Number(m.content)).catch(() => null);
  await page.close();
  execFileSync("pdftoppm", ["-r", "60", "-png", pdf, join(artifacts, name)]);
  return { pdf, pages: pdfPages(pdf), text: pdfText(pdf), declared };
}

before(async () => {
  rmSync(artifacts, { recursive: true, force: true });
  mkdirSync(artifacts, { recursive: true });
  site = ensureSite();
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test("every form page prints on its declared number of A4 pages without screen chrome", async () => {
  const forms = htmlFiles(site).filter((f) => readFileSync(f, "utf8").includes('class="hb-form"') && !f.endsWith("utskrift.html"));
  assert.ok(forms.length >= 3, `form pages found: ${forms.length}`);
  const report = [];
  for (const file of forms) {
    const name = relative(site, file).replace(/\.html$/, "").replaceAll("/", "__");
    const { pages, text, declared } = await printPage(file, name);
    report.push(`${relative(site, file)}: ${pages} pages (declared ${declared})`);
    assert.ok(declared, `${relative(site, file)} is a form page and must declare print_pages`);
    assert.equal(pages, declared, `${relative(site, file)} prints on ${pages} pages, front matter says ${declared}`);
    for (const chrome of CHROME_TEXT) assert.ok(!text.includes(chrome), `${name}.pdf contains screen text "${chrome}"`);
    assert.match(text, new RegExp(`Sida 1 av ${pages}`), `${name}.pdf has "Sida N av M" page numbers`);
  }
  writeFileSync(join(artifacts, "page-counts.txt"), report.join("\n") + "\n");
});

test("print views print every part, each from a new page", async () => {
  const views = htmlFiles(site).filter((f) => f.endsWith("utskrift.html"));
  assert.ok(views.length >= 2, "a talk's view and the whole handbook");
  const declaredOf = (out) => {
    const m = /<meta name="print-pages" content="(\d+)">/.exec(readFileSync(join(site, out), "utf8"));
    return m ? Number(m[1]) : null;
  };
  for (const file of views) {
    const name = relative(site, file).replace(/\.html$/, "").replaceAll("/", "__");
    const { pages, text } = await printPage(file, name);
    for (const chrome of CHROME_TEXT) assert.ok(!text.includes(chrome), `${name}.pdf contains screen text "${chrome}"`);
    // A talk's view: each part starts a new page, so the parts' declared counts add up.
    const parts = [...readFileSync(file, "utf8").matchAll(/<article class="page print-part[^"]*" id="p\d+" data-page="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(parts.length >= 2, `${name} holds at least two pages`);
    if (relative(site, file) !== "utskrift.html") {
      const declared = parts.map(declaredOf);
      if (declared.every((d) => d)) {
        const expected = declared.reduce((a, b) => a + b, 0);
        assert.equal(pages, expected, `${name}: ${pages} pages, its parts declare ${declared.join(" + ")}`);
      }
    }
    writeFileSync(join(artifacts, "page-counts.txt"), `${relative(site, file)}: ${pages} pages\n`, { flag: "a" });
  }
});

test("a form filled in with the keyboard prints what was typed", async () => {
  const file = join(site, "medarbetarsamtal", "utvecklingssamtal.html");
  const typed = "Vi följer upp arbetsbelastningen varje månad";
  const date = "2026-10-15";
  const { text } = await printPage(file, "ifylld__utvecklingssamtal", async (page) => {
    // Tab from the top of the page to the writing area, as a keyboard user would.
    let id = "";
    for (let i = 0; i < 200 && id !== "handlingar"; i++) {
      await page.keyboard.press("Tab");
      id = await page.evaluate(() => document.activeElement?.id ?? "");
    }
    assert.equal(id, "handlingar", "the writing area is reachable with Tab");
    await page.keyboard.type(typed);
    await page.keyboard.press("Tab");
    const dateId = await page.evaluate(() => document.activeElement?.id ?? "");
    assert.match(dateId, /datum$/, "Tab moves on to the signature date");
    await page.keyboard.type(date);
  });
  const flat = text.replace(/\s+/g, " ");
  assert.ok(flat.includes(typed), "typed summary is in the PDF");
  assert.ok(flat.includes(date), "typed date is in the PDF");
});

test("buttons appear only with JavaScript, and clearing empties the form", async () => {
  const file = pathToFileURL(join(site, "medarbetarsamtal", "medarbetaroverenskommelse.html")).href;
  const noJs = await browser.newContext({ javaScriptEnabled: false });
  const p1 = await noJs.newPage();
  await p1.goto(file);
  assert.equal(await p1.isVisible("[data-hb-print]"), false, "no dead print button without JavaScript");
  await noJs.close();

  const page = await browser.newPage();
  await page.goto(file);
  assert.equal(await page.isVisible("[data-hb-print]"), true);
  await page.fill("#f1-namn", "Anna Andersson");
  await page.fill("#f1-under-perioden-fran", "2026-01-01");
  let asked = "";
  page.once("dialog", (d) => {
    asked = d.message();
    d.accept();
  });
  await page.click("[data-hb-clear]");
  assert.equal(asked, "Töm formuläret? Allt du har skrivit tas bort.", "the question comes from the theme's strings");
  assert.equal(await page.inputValue("#f1-namn"), "");
  await page.close();
});

test("every page prints with its running title and page numbers", async () => {
  for (const file of htmlFiles(site).filter((f) => !f.endsWith("utskrift.html"))) {
    const rel = relative(site, file);
    const page = await browser.newPage();
    await page.goto(pathToFileURL(file).href);
    const title = await page.evaluate(() => document.querySelector("main h1").textContent.replace(/\u00ad/g, "").trim());
    const name = `running__${rel.replace(/\.html$/, "").replaceAll("/", "__")}`;
    const { pages, texts } = await printPdf(page, join(artifacts, `${name}.pdf`));
    await page.close();
    texts.forEach((text, i) => {
      const lines = text.split("\n").map((l) => l.trim()).filter(Boolean);
      assert.ok(lines[0].startsWith(title), `${rel}, page ${i + 1}: running title "${lines[0]}", not "${title}"`);
      assert.equal(lines[lines.length - 1], `Sida ${i + 1} av ${pages}`, `${rel}, page ${i + 1}: page number`);
    });
  }
});

test("a print view's pages carry the title of the part printed on them", async () => {
  for (const rel of ["medarbetarsamtal/utvecklingssamtal-utskrift.html", "utskrift.html"]) {
    const page = await browser.newPage();
    await page.goto(pathToFileURL(join(site, rel)).href);
    const parts = await page.$$eval(".print-part > h1", (hs) => hs.map((h) => h.textContent.replace(/\u00ad/g, "").trim()));
    const { texts } = await printPdf(page, join(artifacts, `running__${rel.replace(/\.html$/, "").replaceAll("/", "__")}.pdf`));
    await page.close();
    const heads = texts.map((t) => t.split("\n").map((l) => l.trim()).find(Boolean));
    // Each part starts a new page: the running titles go through the parts in order, each one.
    let at = 0;
    for (const [i, head] of heads.entries()) {
      while (at < parts.length && !head.startsWith(parts[at])) at++;
      assert.ok(at < parts.length, `${rel}, page ${i + 1}: running title "${head}" names no part, or one out of order`);
    }
    const named = new Set(heads.map((h) => parts.find((p) => h.startsWith(p))));
    assert.deepEqual([...named], parts, `${rel}: every part names its own pages`);
  }
});

test("the talk's print view starts with the signed form: the samtalsguide's 'den första sidan'", async () => {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(join(site, "medarbetarsamtal", "utvecklingssamtal-utskrift.html")).href);
  const { texts } = await printPdf(page, join(artifacts, "talk-first-page.pdf"), { png: true });
  await page.close();
  const first = texts[0].replace(/\s+/g, " ");
  for (const part of ["Utvecklingssamtal", "Sammanfattning", "Utvecklingssamtalet sammanfattas", "Underskrift medarbetare", "Underskrift chef", "Original till den anställde och kopia till chef"]) {
    assert.ok(first.includes(part), `page 1 of the talk's view has "${part}"`);
  }
  assert.ok(!first.includes("Förutsättningar för utvecklingssamtalet"), "the rest of the page follows the signed sheet");
  assert.ok(texts.join(" ").includes("Förutsättningar för utvecklingssamtalet"), "and is printed");
});

test("the whole handbook's print view has the year wheel", async () => {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(join(site, "utskrift.html")).href);
  assert.equal(await page.locator(".print-part .year-wheel").count(), 1);
  const { texts } = await printPdf(page, join(artifacts, "handbook-year-wheel.pdf"));
  await page.close();
  const all = texts.join(" ").replace(/\s+/g, " ");
  assert.ok(all.includes("Årets samtal") && all.includes("Utvecklingssamtal: september–november"), "the year wheel is printed");
});

test("form print typography: padded header cells, small hints, no screen-only hints or placeholder text, a short line for a short answer", async () => {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(join(site, "medarbetarsamtal", "medarbetaroverenskommelse.html")).href);
  await page.emulateMedia({ media: "print" });
  const r = await page.evaluate(() => {
    const px = (el, p) => parseFloat(getComputedStyle(el)[p]);
    const th = document.querySelector(".hb-table th");
    const hints = [...document.querySelectorAll(".hb-hint")].filter((h) => getComputedStyle(h).display !== "none");
    const label = document.querySelector(".hb-field > label");
    const short = document.querySelector(".hb-short input");
    return {
      thPadding: Math.min(px(th, "paddingLeft"), px(th, "paddingTop")),
      hintMax: Math.max(...hints.map((h) => px(h, "fontSize"))),
      label: px(label, "fontSize"),
      shortWidth: short.getBoundingClientRect().width,
      fullWidth: document.querySelector(".hb-text:not(.hb-short) input").getBoundingClientRect().width,
    };
  });
  assert.ok(r.thPadding >= 3, `header cells padded (${r.thPadding}px)`);
  assert.ok(r.hintMax <= r.label, `hints (${r.hintMax}px) no larger than labels (${r.label}px)`);
  assert.ok(r.shortWidth < r.fullWidth / 4, `the two-digit year's line is short (${r.shortWidth}px of ${r.fullWidth}px)`);
  await page.emulateMedia({ media: null });
  const { texts } = await printPdf(page, join(artifacts, "typography.pdf"));
  await page.close();
  const all = texts.join(" ");
  assert.ok(!all.includes("Fri text"), "'Fri text.' means nothing on paper");
  assert.ok(!/ÅÅÅÅ|MM-DD/.test(all), "no date format placeholder in the PDF's text");
  assert.ok(all.includes("Skriv årets två sista siffror"), "hints that help on paper are printed");
});
