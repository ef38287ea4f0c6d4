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
import { ARTIFACTS, ensureSite, launch } from "./lib.mjs";

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
