//! Generates a synthetic Swedish handbook of N pages for the benchmark (`benches/run.py`), laid
//! out for handbok and for the peers (Hugo, Zola, mdBook) from the same page texts, each written
//! the way that tool's users write it.
//!
//! `cargo run --release --example gen_handbook -- N SEED OUTDIR [PROFILE]` writes
//! - `OUTDIR/handbok/content/`: site.yml, index.md per folder, pages with YAML front matter,
//!   links to other pages' `.md` files (relative, with handbok's heading anchors);
//! - `OUTDIR/hugo/`: hugo.toml, a small layout (the section list through `partialCached`, as
//!   Hugo themes do; a link render hook that turns `.md` links into page URLs, as Hugo's own
//!   embedded hook does), content with `_index.md` per section and Hugo's heading ids in anchors;
//! - `OUTDIR/zola/`: config.toml, small templates, content with TOML front matter and Zola's
//!   internal links (`@/path/_index.md#anchor`, checked by Zola at build time);
//! - `OUTDIR/mdbook/`: book.toml and src/ with SUMMARY.md (front matter becomes a `#` title);
//!   mdBook turns `.md` links into `.html` itself; anchors use mdBook's heading ids;
//! - `OUTDIR/pages.tsv`: one line per page, `kind<TAB>title<TAB>handbok path`, where kind is
//!   `page` (a reading page) or `index` (a section's page), so the benchmark can tell reading
//!   pages apart in every tool's output.
//!
//! Profiles (PROFILE, default `handbook`):
//! - `handbook`: sections of 20–50 pages (an index page plus leaves); when there are more than 12
//!   sections they are grouped into areas of about 10 sections (the tree is deep, not wide).
//! - `wide`: another shape: many small sections (2–8 pages) grouped into units of 20, one flat
//!   folder holding a fifth of the pages (2,000 at most: exactly 2,000 at N = 10,000), and a
//!   fifth in a deep tree nested up to 8 folders below the root.
//! - `broad`: the `handbook` profile's sections without the areas: every section at the top
//!   level, so hundreds of top-level sections (286 at N = 10,000), each page's menu listing them
//!   all.
//! - `flat`: the `handbook` profile's pages, same texts and titles, all in one folder `alla/`
//!   (section pages become ordinary pages there), beside the start page: the same site without
//!   sections, to compare the two.
//!
//! Pages have 600–1,200 words with å/ä/ö, `##`/`###` headings, a list, a table, links with
//! anchors to other pages, and a form block on every eighth page or so. Everything follows from
//! the seed; the `handbook` profile's handbok content is the same as before the profiles existed.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::path::Path;

use handbok::slug::slugify;

/// splitmix64: small, fast, and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.range(0, items.len() - 1)]
    }
}

const WORDS: &[&str] = &[
    "arbetsgivaren",
    "medarbetaren",
    "chefen",
    "kommunen",
    "förvaltningen",
    "verksamheten",
    "löner",
    "lönesättning",
    "semester",
    "ledighet",
    "föräldraledighet",
    "sjukfrånvaro",
    "rehabilitering",
    "arbetsmiljö",
    "hälsa",
    "friskvård",
    "kompetens",
    "utveckling",
    "samverkan",
    "facklig",
    "överenskommelse",
    "avtal",
    "kollektivavtal",
    "ersättning",
    "traktamente",
    "övertid",
    "arbetstid",
    "schema",
    "beslut",
    "ansvar",
    "uppföljning",
    "åtgärder",
    "mål",
    "värdegrund",
    "delaktighet",
    "jämställdhet",
    "mångfald",
    "tillgänglighet",
    "säkerhet",
    "förebyggande",
    "anställning",
    "provanställning",
    "uppsägning",
    "pension",
    "försäkring",
    "löneväxling",
    "tjänstebil",
    "resor",
    "utbildning",
    "introduktion",
    "medarbetarsamtal",
    "lönesamtal",
    "skyddsombud",
    "arbetsplatsträff",
    "handläggning",
    "dokumentation",
    "blankett",
    "ansökan",
    "underlag",
    "närmaste",
    "enligt",
    "gäller",
    "ska",
    "får",
    "bör",
    "kan",
    "inom",
    "för",
    "och",
    "att",
    "med",
    "till",
    "på",
    "av",
    "om",
    "vid",
    "när",
    "där",
    "även",
    "både",
    "samt",
    "eller",
    "varje",
    "alla",
    "någon",
    "möjlighet",
    "förutsättningar",
    "rättigheter",
    "skyldigheter",
    "bedömning",
    "prövning",
    "återgång",
    "arbetsförmåga",
    "läkarintyg",
    "karensavdrag",
    "sjuklön",
    "dagar",
    "månader",
    "år",
    "tidigt",
    "skriftligt",
    "muntligt",
    "överens",
    "rätt",
    "tydligt",
    "gemensamt",
    "förtroende",
    "dialog",
    "öppenhet",
    "respekt",
    "engagemang",
    "kvalitet",
    "invånarna",
    "välfärd",
    "service",
    "uppdrag",
    "ekonomi",
    "budget",
    "planering",
    "kalender",
    "räkenskapsår",
    "lönerevision",
    "lönekriterier",
    "förmåner",
    "hälsoundersökning",
    "företagshälsovård",
    "krisstöd",
    "kränkande",
    "särbehandling",
    "trakasserier",
    "diskriminering",
    "rutin",
    "riktlinje",
    "policy",
    "handbok",
    "chefsstöd",
    "HR-avdelningen",
    "löneenheten",
];

const TOPICS: &[&str] = &[
    "Semester",
    "Föräldraledighet",
    "Sjukfrånvaro",
    "Rehabilitering",
    "Arbetsmiljö",
    "Friskvård",
    "Lönesättning",
    "Övertid",
    "Arbetstid",
    "Tjänsteresor",
    "Pension",
    "Försäkringar",
    "Kompetensutveckling",
    "Introduktion",
    "Medarbetarsamtal",
    "Lönesamtal",
    "Samverkan",
    "Jämställdhet",
    "Mångfald",
    "Tillgänglighet",
    "Säkerhet",
    "Anställning",
    "Uppsägning",
    "Löneväxling",
    "Förmåner",
    "Krisstöd",
    "Diskriminering",
    "Ledighet",
    "Tjänstledighet",
    "Bisysslor",
    "Närståendevård",
    "Studieledighet",
    "Återgång i arbete",
    "Hälsoundersökning",
];

const QUALIFIERS: &[&str] = &[
    "för chefer",
    "för medarbetare",
    "vid deltid",
    "under prövotid",
    "i skolan",
    "i vården",
    "i förvaltningen",
    "och ersättning",
    "och ansvar",
    "och rutiner",
    "och blanketter",
    "steg för steg",
    "i praktiken",
    "vid sjukdom",
    "och avtal",
    "för nyanställda",
    "på distans",
    "i äldreomsorgen",
    "och uppföljning",
    "och dokumentation",
];

const AREAS: &[&str] = &[
    "Anställning",
    "Lön och förmåner",
    "Arbetsmiljö",
    "Ledighet",
    "Hälsa",
    "Kompetens",
    "Ledarskap",
    "Samverkan",
    "Säkerhet",
    "Digitala verktyg",
    "Ekonomi",
    "Organisation",
];

/// The shape of the generated site.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Profile {
    Handbook,
    Broad,
    Wide,
    Flat,
}

impl Profile {
    fn parse(name: &str) -> Option<Profile> {
        match name {
            "handbook" => Some(Profile::Handbook),
            "broad" => Some(Profile::Broad),
            "wide" => Some(Profile::Wide),
            "flat" => Some(Profile::Flat),
            _ => None,
        }
    }
}

struct PageSpec {
    /// Content path, `/`-separated, e.g. `område-01/avsnitt-003/semester-för-chefer.md`.
    path: String,
    title: String,
    order: usize,
    /// Heading texts (level, text); their ids are the anchors other pages link to.
    headings: Vec<(u8, String)>,
    /// Index into `pages` of the section this page belongs to (itself for index pages).
    section: usize,
    is_index: bool,
    /// The section page above this one (the start page for itself).
    parent: usize,
}

fn sentence(rng: &mut Rng, out: &mut String, words: &mut usize) {
    let n = rng.range(6, 14);
    for k in 0..n {
        let w = rng.pick(WORDS);
        if k == 0 {
            let mut chars = w.chars();
            let first = chars.next().unwrap();
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        } else {
            out.push(' ');
            out.push_str(w);
        }
    }
    out.push_str(". ");
    *words += n;
}

fn paragraph(rng: &mut Rng, out: &mut String, words: &mut usize) {
    for _ in 0..rng.range(3, 6) {
        sentence(rng, out, words);
    }
    out.pop();
    out.push_str("\n\n");
}

/// Relative path from the folder `from_dir` to the content file `to`.
fn relative(from_dir: &str, to: &str) -> String {
    let from: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count()
        .min(to_parts.len() - 1);
    let mut s = "../".repeat(from.len() - common);
    s.push_str(&to_parts[common..].join("/"));
    s
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Adds a leaf page with a unique title to `folder` (which ends in `/` or is empty).
fn push_leaf(
    pages: &mut Vec<PageSpec>,
    rng: &mut Rng,
    used: &mut HashSet<String>,
    folder: &str,
    (order, section): (usize, usize),
) {
    let mut title = format!("{} {}", rng.pick(TOPICS), rng.pick(QUALIFIERS));
    if !used.insert(slugify(&title)) {
        title = format!("{title} {}", pages.len());
        used.insert(slugify(&title));
    }
    let file: String = title.to_lowercase().replace(' ', "-");
    let mut headings = Vec::new();
    let h2 = rng.range(3, 6);
    for h in 0..h2 {
        headings.push((2, format!("{} {}", rng.pick(TOPICS), h + 1)));
        if rng.range(0, 2) == 0 {
            headings.push((3, format!("Så gör du – del {}", h + 1)));
        }
    }
    pages.push(PageSpec {
        path: format!("{folder}{file}.md"),
        title,
        order,
        headings,
        section,
        is_index: false,
        parent: section,
    });
}

/// Adds the index page of the folder `folder` (ending in `/`) and returns its place.
fn push_section(pages: &mut Vec<PageSpec>, folder: &str, title: String, (order, parent): (usize, usize)) -> usize {
    let at = pages.len();
    pages.push(PageSpec {
        path: format!("{folder}index.md"),
        title,
        order,
        headings: vec![(2, "Om avsnittet".into()), (2, "Sidor i avsnittet".into())],
        section: at,
        is_index: true,
        parent,
    });
    at
}

fn start_page() -> PageSpec {
    PageSpec {
        path: "index.md".into(),
        title: "Personalhandbok".into(),
        order: 0,
        headings: vec![
            (2, "Så använder du handboken".into()),
            (2, "Ändringar och ansvar".into()),
        ],
        section: 0,
        is_index: true,
        parent: 0,
    }
}

/// The `handbook` profile: sections of 20–50 pages, grouped into areas when there are many
/// (`areas`; without them, the `broad` profile, every section is at the top level).
fn plan_handbook(n: usize, rng: &mut Rng, areas: bool) -> Vec<PageSpec> {
    let mut pages = vec![start_page()];
    if n <= 1 {
        return pages;
    }
    let sections = ((n - 1) as f64 / 35.0).round().max(1.0) as usize;
    let areas = if areas && sections > 12 {
        sections.div_ceil(10)
    } else {
        0
    };
    let index_pages = 1 + sections + areas;
    let leaves_total = n.saturating_sub(index_pages);
    // Section sizes in leaves: random 19..=49, then nudged until they add up.
    let mut sizes: Vec<usize> = (0..sections).map(|_| rng.range(19, 49)).collect();
    let mut sum: usize = sizes.iter().sum();
    let mut k = 0;
    while sum != leaves_total {
        let s = &mut sizes[k % sections];
        if sum > leaves_total && *s > 0 {
            *s -= 1;
            sum -= 1;
        } else if sum < leaves_total {
            *s += 1;
            sum += 1;
        }
        k += 1;
    }
    let mut area_page = 0;
    // Titles are unique across the site (handbok warns about duplicates, as readers would).
    let mut used = HashSet::new();
    for (si, &size) in sizes.iter().enumerate() {
        let prefix = if areas > 0 {
            let per = sections.div_ceil(areas);
            let area_index = si / per;
            if si % per == 0 {
                area_page = pages.len();
                pages.push(PageSpec {
                    path: format!("område-{:02}/index.md", area_index + 1),
                    title: format!("{} {}", AREAS[area_index % AREAS.len()], area_index + 1),
                    order: area_index + 1,
                    headings: vec![(2, "Om området".into())],
                    section: area_page,
                    is_index: true,
                    parent: 0,
                });
            }
            format!("område-{:02}/", area_index + 1)
        } else {
            String::new()
        };
        let section_topic = rng.pick(TOPICS);
        let folder = format!("{prefix}avsnitt-{:03}/", si + 1);
        let title = format!("{section_topic} – avsnitt {}", si + 1);
        let section_page = push_section(&mut pages, &folder, title, (si + 1, area_page));
        for li in 0..size {
            push_leaf(&mut pages, rng, &mut used, &folder, (li + 1, section_page));
        }
    }
    pages
}

/// How deep the `wide` profile's tree goes, in folders below the content root.
const MAX_DEPTH: usize = 8;

/// The `wide` profile: many small sections in units, one flat folder, one deep tree.
fn plan_wide(n: usize, rng: &mut Rng) -> Vec<PageSpec> {
    let mut pages = vec![start_page()];
    let mut used = HashSet::new();
    let flat = (n / 5).min(2000);
    let deep = n / 5;
    let mut small = n.saturating_sub(1 + flat + deep);
    let mut top = 0;
    // Many small sections, 20 to a unit.
    let (mut unit, mut unit_page, mut sections) = (0, 0, 0);
    while small > 0 {
        if sections % 20 == 0 {
            unit += 1;
            top += 1;
            let folder = format!("enhet-{unit:02}/");
            let title = format!("{} – enhet {unit}", AREAS[(unit - 1) % AREAS.len()]);
            unit_page = push_section(&mut pages, &folder, title, (top, 0));
            small -= 1;
            if small == 0 {
                break;
            }
        }
        sections += 1;
        let folder = format!("enhet-{unit:02}/sektion-{sections:04}/");
        let title = format!("{} – sektion {sections}", rng.pick(TOPICS));
        let section = push_section(&mut pages, &folder, title, (sections, unit_page));
        let leaves = rng.range(1, 7).min(small - 1);
        for li in 0..leaves {
            push_leaf(&mut pages, rng, &mut used, &folder, (li + 1, section));
        }
        small -= 1 + leaves;
    }
    // One flat folder.
    if flat > 0 {
        top += 1;
        let section = push_section(&mut pages, "samlade-rutiner/", "Samlade rutiner".into(), (top, 0));
        for li in 1..flat {
            push_leaf(&mut pages, rng, &mut used, "samlade-rutiner/", (li, section));
        }
    }
    // One deep tree: branches of folders, each with a few pages and one or two subfolders.
    if deep > 0 {
        top += 1;
        let root = push_section(
            &mut pages,
            "organisation/",
            "Organisation och styrning".into(),
            (top, 0),
        );
        let mut budget = deep - 1;
        let mut branch = 0;
        while budget > 0 {
            branch += 1;
            let folder = format!("organisation/gren-{branch}/");
            nest(&mut pages, rng, &mut used, (&folder, 2), (branch, root), &mut budget);
        }
    }
    pages
}

/// One folder of the deep tree at `depth` (folders below the root), then its subfolders.
fn nest(
    pages: &mut Vec<PageSpec>,
    rng: &mut Rng,
    used: &mut HashSet<String>,
    (folder, depth): (&str, usize),
    (order, parent): (usize, usize),
    budget: &mut usize,
) {
    let title = format!("{} – nivå {depth}, del {}", rng.pick(TOPICS), pages.len());
    let section = push_section(pages, folder, title, (order, parent));
    *budget -= 1;
    let leaves = rng.range(2, 4).min(*budget);
    for li in 0..leaves {
        push_leaf(pages, rng, used, folder, (li + 1, section));
    }
    *budget -= leaves;
    if depth < MAX_DEPTH {
        for sub in 0..rng.range(1, 2) {
            if *budget == 0 {
                break;
            }
            let child = format!("{folder}nivå-{}-{}/", depth + 1, sub + 1);
            nest(
                pages,
                rng,
                used,
                (&child, depth + 1),
                (leaves + sub + 1, section),
                budget,
            );
        }
    }
}

/// The `flat` profile: moves every page but the start page into one folder `alla/`, under a new
/// section page (added last, so the bodies' links keep their targets), in reading order.
fn flatten(pages: &mut Vec<PageSpec>) {
    let hub = pages.len();
    for (k, page) in pages.iter_mut().enumerate().skip(1) {
        let name = if page.is_index {
            dir_of(&page.path).rsplit('/').next().unwrap_or("avsnitt").to_string()
        } else {
            page.path
                .rsplit('/')
                .next()
                .unwrap_or(&page.path)
                .trim_end_matches(".md")
                .to_string()
        };
        page.path = format!("alla/{name}.md");
        page.order = k;
        page.is_index = false;
        page.section = hub;
        page.parent = hub;
    }
    pages.push(PageSpec {
        path: "alla/index.md".into(),
        title: "Alla sidor".into(),
        order: 1,
        headings: vec![(2, "Om avsnittet".into()), (2, "Sidor i avsnittet".into())],
        section: hub,
        is_index: true,
        parent: 0,
    });
}

/// Where a link in a body goes: a page, and one of its headings (`usize::MAX` for none). Bodies
/// are generated once with [`LINK`] markers, and each tool's copy writes the links its own way.
const LINK: char = '\u{1}';

fn link_marker(target: usize, heading: usize) -> String {
    format!("{LINK}{target},{heading}{LINK}")
}

/// The Markdown body of page `i` (no front matter, no `#` title), with link markers.
fn body(i: usize, pages: &[PageSpec], rng: &mut Rng) -> String {
    let page = &pages[i];
    let mut out = String::with_capacity(9000);
    let mut words = 0;
    let target_words = if page.is_index {
        rng.range(150, 300)
    } else {
        rng.range(600, 1200)
    };
    paragraph(rng, &mut out, &mut words);
    if page.is_index {
        // List the section's children so every page is reachable from the text too.
        let children: Vec<usize> = (1..pages.len()).filter(|&c| c != i && pages[c].parent == i).collect();
        for (k, (_, h)) in page.headings.iter().enumerate() {
            let _ = writeln!(out, "## {h}\n");
            paragraph(rng, &mut out, &mut words);
            if k == page.headings.len() - 1 {
                for &c in children.iter().take(60) {
                    let _ = writeln!(out, "- [{}]({})", pages[c].title, link_marker(c, usize::MAX));
                }
                out.push('\n');
            }
        }
        return out;
    }
    let form_page = rng.range(0, 7) == 0;
    let headings = page.headings.len();
    for (k, (level, h)) in page.headings.iter().enumerate() {
        let _ = writeln!(out, "{} {h}\n", "#".repeat(*level as usize));
        let remaining = target_words.saturating_sub(words);
        let per_heading = remaining / (headings - k).max(1);
        let start = words;
        while words - start < per_heading.max(40) {
            paragraph(rng, &mut out, &mut words);
        }
        match k {
            0 => {
                for _ in 0..rng.range(3, 6) {
                    out.push_str("- ");
                    let mut item = String::new();
                    sentence(rng, &mut item, &mut words);
                    out.push_str(item.trim_end());
                    out.push('\n');
                }
                out.push('\n');
            }
            1 => {
                out.push_str("| Typ av ledighet | Antal dagar | Ansvarig |\n|---|---:|---|\n");
                for r in 0..rng.range(3, 6) {
                    let _ = writeln!(out, "| {} | {} | {} |", rng.pick(TOPICS), 5 + r * 7, rng.pick(WORDS));
                }
                out.push('\n');
            }
            2 if form_page => {
                out.push_str(
                    "```form\n- text: Namn\n- text: Förvaltning\n- period: Ledigheten gäller\n  from: Från och med\n  to: Till och med\n- area: Övriga upplysningar\n  lines: 4\n- signatures: [Underskrift medarbetare, Underskrift chef]\n  date: Datum\n```\n\n",
                );
            }
            _ => {}
        }
        // Links: one to a page in the same section, one anywhere, with anchors.
        if k < 2 {
            let target = if k == 0 {
                let s = page.section;
                let span: Vec<usize> = (s + 1..pages.len()).take_while(|&j| !pages[j].is_index).collect();
                span[rng.range(0, span.len() - 1)]
            } else {
                rng.range(0, pages.len() - 1)
            };
            let t = &pages[target];
            let heading = rng.range(0, t.headings.len() - 1);
            let marker = link_marker(target, heading);
            let _ = writeln!(
                out,
                "Läs mer under [{}]({marker}) på sidan ”{}”.\n",
                t.headings[heading].1, t.title
            );
        }
    }
    out
}

/// The tools a copy of the corpus is written for; each writes paths, links and anchors its way.
#[derive(Clone, Copy)]
enum Tool {
    Handbok,
    Hugo,
    Zola,
    MdBook,
}

impl Tool {
    /// The page's file under the tool's content folder.
    fn path(self, page: &PageSpec) -> String {
        match self {
            Tool::Hugo | Tool::Zola if page.is_index => {
                format!("{}_index.md", page.path.trim_end_matches("index.md"))
            }
            _ => page.path.clone(),
        }
    }

    /// The id the tool gives a heading, as its users copy it into links.
    fn anchor(self, heading: &str) -> String {
        match self {
            // handbok and Zola (slugify.anchors = "on", the `slug` crate) transliterate.
            Tool::Handbok | Tool::Zola => slugify(heading),
            // Goldmark's `github` ids (Hugo's default) and mdBook's `normalize_id` agree here:
            // lower-case letters and digits of any script and `_` kept, a `-` per space or
            // hyphen, everything else dropped.
            Tool::Hugo | Tool::MdBook => heading
                .trim()
                .chars()
                .filter_map(|c| match c {
                    ' ' | '-' => Some('-'),
                    c if c == '_' || c.is_alphanumeric() => Some(c.to_lowercase().next().unwrap_or(c)),
                    _ => None,
                })
                .collect(),
        }
    }

    /// The link from page `from` to page `to` (at heading `heading`, or `usize::MAX`).
    fn href(self, pages: &[PageSpec], from: usize, to: usize, heading: usize) -> String {
        let target = &pages[to];
        let anchor = target
            .headings
            .get(heading)
            .map(|(_, h)| format!("#{}", self.anchor(h)))
            .unwrap_or_default();
        if from == to && !anchor.is_empty() {
            return anchor;
        }
        match self {
            // Zola's internal links: the content file from the content root, checked at build.
            Tool::Zola => format!("@/{}{anchor}", self.path(target)),
            _ => {
                let here = self.path(&pages[from]);
                format!("{}{anchor}", relative(dir_of(&here), &self.path(target)))
            }
        }
    }

    /// `body` with its link markers written for this tool.
    fn links(self, body: &str, pages: &[PageSpec], from: usize) -> String {
        let mut out = String::with_capacity(body.len() + 256);
        let mut parts = body.split(LINK);
        out.push_str(parts.next().unwrap_or(""));
        while let (Some(marker), Some(text)) = (parts.next(), parts.next()) {
            let (to, heading) = marker.split_once(',').expect("a link marker");
            let to: usize = to.parse().expect("a page number");
            let heading: usize = heading.parse().expect("a heading number");
            out.push_str(&self.href(pages, from, to, heading));
            out.push_str(text);
        }
        out
    }
}

/// Page numbers in the order of a depth-first walk of the section tree (each page's children
/// after it, in the order they were planned), with their depth: the order of mdBook's SUMMARY.
fn tree_order(pages: &[PageSpec]) -> Vec<(usize, usize)> {
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); pages.len()];
    for (i, page) in pages.iter().enumerate().skip(1) {
        children[page.parent].push(i);
    }
    let mut order = Vec::with_capacity(pages.len());
    let mut stack: Vec<(usize, usize)> = children[0].iter().rev().map(|&c| (c, 1)).collect();
    while let Some((i, depth)) = stack.pop() {
        order.push((i, depth));
        stack.extend(children[i].iter().rev().map(|&c| (c, depth + 1)));
    }
    order
}

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
    }
    fs::write(path, text).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
}

fn toml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Hugo: the top-level sections through `partialCached` (rendered once for the site) and the
/// current section's pages through `partialCached` keyed by the section (once per section), as
/// Hugo themes write their menus; the in-page contents and previous/next per page.
const HUGO_BASEOF: &str = r##"<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} – {{ site.Title }}</title></head>
<body><nav aria-label="Huvudmeny">{{ partialCached "sections.html" . }}
{{ with .CurrentSection }}{{ partialCached "section-pages.html" . .RelPermalink }}{{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main>
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</body></html>
"##;
const HUGO_SECTIONS: &str =
    "<ul>{{ range site.Sections }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>\n";
const HUGO_SECTION_PAGES: &str =
    "<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>\n";
const HUGO_SINGLE: &str = "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}{{ end }}\n";
/// Hugo's embedded link render hook (Hugo 0.123 and later ship it; sites before wrote the same):
/// a link to a page's file becomes that page's URL, keeping the anchor. `.Page` rather than
/// `.PageInner` so Hugo 0.111 runs it too.
const HUGO_RENDER_LINK: &str = r##"{{- $u := urls.Parse .Destination -}}
{{- $href := $u.String -}}
{{- if strings.HasPrefix $u.String "#" -}}
  {{- $href = printf "%s#%s" .Page.RelPermalink $u.Fragment -}}
{{- else if and $href (not $u.IsAbs) -}}
  {{- $path := strings.TrimPrefix "./" $u.Path -}}
  {{- with .Page.GetPage $path -}}
    {{- $href = .RelPermalink -}}
    {{- with $u.Fragment -}}
      {{- $href = printf "%s#%s" $href . -}}
    {{- end -}}
  {{- end -}}
{{- end -}}
<a href="{{ $href }}" {{- with .Title }} title="{{ . }}" {{- end }}>{{ .Text | safeHTML }}</a>
{{- /**/ -}}
"##;

/// Zola: the same menu as Hugo's, as Zola's documentation writes it: the start section's
/// subsections through `get_section(metadata_only)` and the current section's pages through
/// `get_section` (Zola has no partial cache).
const ZOLA_BASE: &str = r##"<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{% endblock %} – {{ config.title }}</title></head>
<body><nav aria-label="Huvudmeny">{% set start = get_section(path="_index.md", metadata_only=true) %}<ul>{% for s in start.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.permalink }}">{{ sub.title }}</a></li>{% endfor %}</ul>
{% block menu %}{% endblock %}</nav>
{% block body %}{% endblock %}</body></html>
"##;
const ZOLA_PAGE: &str = r##"{% extends "base.html" %}
{% block title %}{{ page.title }}{% endblock %}
{% block menu %}{% set s = get_section(path=page.ancestors | last) %}<ul>{% for p in s.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{% endfor %}</ul>{% endblock %}
{% block body %}<main><h1>{{ page.title }}</h1><ul>{% for h in page.toc %}<li><a href="#{{ h.id }}">{{ h.title }}</a></li>{% endfor %}</ul>
{{ page.content | safe }}</main>
{% if page.lower %}<a href="{{ page.lower.permalink }}">{{ page.lower.title }}</a>{% endif %}
{% if page.higher %}<a href="{{ page.higher.permalink }}">{{ page.higher.title }}</a>{% endif %}
{% endblock %}
"##;
const ZOLA_SECTION: &str = r##"{% extends "base.html" %}
{% block title %}{{ section.title }}{% endblock %}
{% block menu %}<ul>{% for p in section.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{% endfor %}
{% for s in section.subsections %}{% set sub = get_section(path=s, metadata_only=true) %}<li><a href="{{ sub.permalink }}">{{ sub.title }}</a></li>{% endfor %}</ul>{% endblock %}
{% block body %}<main><h1>{{ section.title }}</h1>{{ section.content | safe }}</main>{% endblock %}
"##;

fn write_peer_setups(out: &Path) {
    let hugo = out.join("hugo");
    write(
        &hugo.join("hugo.toml"),
        "baseURL = \"https://example.org/\"\nlanguageCode = \"sv\"\ndefaultContentLanguage = \"sv\"\ntitle = \"Personalhandbok\"\ndisableKinds = [\"taxonomy\", \"term\", \"rss\", \"sitemap\"]\nrelativeURLs = true\n[markup.goldmark.renderer]\nunsafe = false\n",
    );
    write(&hugo.join("layouts/_default/baseof.html"), HUGO_BASEOF);
    write(&hugo.join("layouts/_default/single.html"), HUGO_SINGLE);
    write(&hugo.join("layouts/_default/list.html"), HUGO_SINGLE);
    write(
        &hugo.join("layouts/_default/_markup/render-link.html"),
        HUGO_RENDER_LINK,
    );
    write(&hugo.join("layouts/partials/sections.html"), HUGO_SECTIONS);
    write(&hugo.join("layouts/partials/section-pages.html"), HUGO_SECTION_PAGES);
    write(
        &hugo.join("layouts/index.html"),
        "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n",
    );
    let zola = out.join("zola");
    write(
        &zola.join("config.toml"),
        "base_url = \"https://example.org\"\ntitle = \"Personalhandbok\"\ndefault_language = \"sv\"\nbuild_search_index = true\ncompile_sass = false\n[search]\ninclude_content = true\n",
    );
    write(&zola.join("templates/base.html"), ZOLA_BASE);
    write(&zola.join("templates/page.html"), ZOLA_PAGE);
    write(&zola.join("templates/section.html"), ZOLA_SECTION);
    write(&zola.join("templates/index.html"), ZOLA_SECTION);
    write(
        &out.join("mdbook/book.toml"),
        "[book]\ntitle = \"Personalhandbok\"\nlanguage = \"sv\"\nsrc = \"src\"\n\n[build]\ncreate-missing = false\n",
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let profile = match args.get(4) {
        None => Some(Profile::Handbook),
        Some(name) => Profile::parse(name),
    };
    let Some(profile) = profile.filter(|_| matches!(args.len(), 4 | 5)) else {
        eprintln!("usage: gen_handbook N SEED OUTDIR [handbook|broad|wide|flat]");
        std::process::exit(2);
    };
    let n: usize = args[1].parse().expect("N must be a number of pages");
    let seed: u64 = args[2].parse().expect("SEED must be a number");
    let out = Path::new(&args[3]);
    let mut rng = Rng(seed);
    let mut pages = match profile {
        Profile::Wide => plan_wide(n, &mut rng),
        Profile::Handbook | Profile::Flat => plan_handbook(n, &mut rng, true),
        Profile::Broad => plan_handbook(n, &mut rng, false),
    };
    let mut bodies: Vec<String> = (0..pages.len()).map(|i| body(i, &pages, &mut rng)).collect();
    if profile == Profile::Flat {
        flatten(&mut pages);
        bodies.push(body(pages.len() - 1, &pages, &mut rng));
    }

    write(
        &out.join("handbok/content/site.yml"),
        "title: Personalhandbok\norganisation: Alingsås kommun\nlanguage: sv\nowner: HR-avdelningen\n",
    );
    write_peer_setups(out);
    let mut manifest = String::new();
    for (i, (page, body)) in pages.iter().zip(&bodies).enumerate() {
        let kind = if page.is_index { "index" } else { "page" };
        let _ = writeln!(manifest, "{kind}\t{}\t{}", page.title, page.path);
        let content = |tool: Tool| (Tool::path(tool, page), tool.links(body, &pages, i));
        let (path, text) = content(Tool::Handbok);
        write(
            &out.join("handbok/content").join(path),
            &format!("---\ntitle: {}\norder: {}\n---\n\n{text}", page.title, page.order),
        );
        let (path, text) = content(Tool::Hugo);
        write(
            &out.join("hugo/content").join(path),
            &format!("---\ntitle: {}\nweight: {}\n---\n\n{text}", page.title, page.order),
        );
        let sort = if page.is_index { "sort_by = \"weight\"\n" } else { "" };
        let (path, text) = content(Tool::Zola);
        write(
            &out.join("zola/content").join(path),
            &format!(
                "+++\ntitle = {}\nweight = {}\n{sort}+++\n\n{text}",
                toml_str(&page.title),
                page.order
            ),
        );
        let (path, text) = content(Tool::MdBook);
        write(
            &out.join("mdbook/src").join(path),
            &format!("# {}\n\n{text}", page.title),
        );
    }
    write(&out.join("pages.tsv"), &manifest);
    let mut summary = String::from("# Sammanfattning\n\n[Personalhandbok](index.md)\n\n");
    for (i, depth) in tree_order(&pages) {
        let _ = writeln!(
            summary,
            "{}- [{}]({})",
            "  ".repeat(depth - 1),
            pages[i].title,
            pages[i].path
        );
    }
    write(&out.join("mdbook/src/SUMMARY.md"), &summary);
    println!("Generated {} pages into {}", pages.len(), out.display());
}
