//! Generates a synthetic Swedish handbook of N pages for the benchmark (benches/run.sh), laid out
//! for handbok and for the peers (Hugo, Zola, mdBook) from the same page texts.
//!
//! `cargo run --release --example gen_handbook -- N SEED OUTDIR` writes
//! - `OUTDIR/handbok/content/`: site.yml, index.md per folder, pages with YAML front matter;
//! - `OUTDIR/hugo/`: hugo.toml, minimal layouts, content with `_index.md` per section;
//! - `OUTDIR/zola/`: config.toml, minimal templates, content with TOML front matter;
//! - `OUTDIR/mdbook/`: book.toml and src/ with SUMMARY.md (front matter becomes a `#` title).
//!
//! Shape: sections of 20–50 pages (an index page plus leaves); when there are more than 12
//! sections they are grouped into areas of about 10 sections, so each page's navigation stays
//! small (the tree is deep, not wide). Pages have 600–1,200 words with å/ä/ö, `##`/`###`
//! headings, a list, a table, links with anchors to other pages, and a form block on every
//! eighth page or so. Everything follows from the seed.

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

struct PageSpec {
    /// Content path, `/`-separated, e.g. `område-01/avsnitt-003/semester-för-chefer.md`.
    path: String,
    title: String,
    order: usize,
    /// Heading texts (level, text); their slugs are the anchors other pages link to.
    headings: Vec<(u8, String)>,
    /// Index into `pages` of the section this page belongs to (itself for index pages).
    section: usize,
    is_index: bool,
    depth: usize,
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

fn plan(n: usize, rng: &mut Rng) -> Vec<PageSpec> {
    let mut pages = vec![PageSpec {
        path: "index.md".into(),
        title: "Personalhandbok".into(),
        order: 0,
        headings: vec![
            (2, "Så använder du handboken".into()),
            (2, "Ändringar och ansvar".into()),
        ],
        section: 0,
        is_index: true,
        depth: 0,
        parent: 0,
    }];
    if n <= 1 {
        return pages;
    }
    let sections = ((n - 1) as f64 / 35.0).round().max(1.0) as usize;
    let areas = if sections > 12 { sections.div_ceil(10) } else { 0 };
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
    let mut area_index = 0;
    let mut area_page = 0;
    // Titles are unique across the site (handbok warns about duplicates, as readers would).
    let mut used = std::collections::HashSet::new();
    for (si, &size) in sizes.iter().enumerate() {
        let (prefix, depth) = if areas > 0 {
            let per = sections.div_ceil(areas);
            if si % per == 0 {
                area_index = si / per;
                area_page = pages.len();
                let title = format!("{} {}", AREAS[area_index % AREAS.len()], area_index + 1);
                pages.push(PageSpec {
                    path: format!("område-{:02}/index.md", area_index + 1),
                    title,
                    order: area_index + 1,
                    headings: vec![(2, "Om området".into())],
                    section: pages.len(),
                    is_index: true,
                    depth: 1,
                    parent: 0,
                });
            }
            (format!("område-{:02}/", area_index + 1), 2)
        } else {
            (String::new(), 1)
        };
        let section_topic = rng.pick(TOPICS);
        let folder = format!("{prefix}avsnitt-{:03}", si + 1);
        let section_page = pages.len();
        pages.push(PageSpec {
            path: format!("{folder}/index.md"),
            title: format!("{section_topic} – avsnitt {}", si + 1),
            order: si + 1,
            headings: vec![(2, "Om avsnittet".into()), (2, "Sidor i avsnittet".into())],
            section: section_page,
            is_index: true,
            depth,
            parent: area_page,
        });
        for li in 0..size {
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
                path: format!("{folder}/{file}.md"),
                title,
                order: li + 1,
                headings,
                section: section_page,
                is_index: false,
                depth: depth + 1,
                parent: section_page,
            });
        }
    }
    pages
}

/// The Markdown body of page `i` (no front matter, no `#` title).
fn body(i: usize, pages: &[PageSpec], rng: &mut Rng) -> String {
    let page = &pages[i];
    let here = dir_of(&page.path);
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
        let children: Vec<&PageSpec> = pages.iter().skip(1).filter(|p| p.parent == i).collect();
        for (k, (_, h)) in page.headings.iter().enumerate() {
            let _ = writeln!(out, "## {h}\n");
            paragraph(rng, &mut out, &mut words);
            if k == page.headings.len() - 1 {
                for c in children.iter().take(60) {
                    let _ = writeln!(out, "- [{}]({})", c.title, relative(here, &c.path));
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
            let (_, heading) = &t.headings[rng.range(0, t.headings.len() - 1)];
            let anchor = slugify(heading);
            let href = if target == i {
                format!("#{anchor}")
            } else {
                format!("{}#{anchor}", relative(here, &t.path))
            };
            let _ = writeln!(out, "Läs mer under [{heading}]({href}) på sidan ”{}”.\n", t.title);
        }
    }
    out
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

const HUGO_BASEOF: &str = r##"<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} – {{ site.Title }}</title></head>
<body><nav aria-label="Huvudmeny"><ul>{{ range site.Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>
{{ with .CurrentSection }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}</nav>
<main>{{ block "main" . }}{{ end }}</main>
{{ with .PrevInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</body></html>
"##;
const HUGO_SINGLE: &str = "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}{{ end }}\n";

const ZOLA_BASE: &str = r##"<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{% block title %}{% endblock %} – {{ config.title }}</title></head>
<body>{% block body %}{% endblock %}</body></html>
"##;
const ZOLA_PAGE: &str = r##"{% extends "base.html" %}
{% block title %}{{ page.title }}{% endblock %}
{% block body %}{% set s = get_section(path=page.ancestors | last) %}
<nav aria-label="Huvudmeny"><ul>{% for p in s.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{% endfor %}</ul></nav>
<main><h1>{{ page.title }}</h1><ul>{% for h in page.toc %}<li><a href="#{{ h.id }}">{{ h.title }}</a></li>{% endfor %}</ul>
{{ page.content | safe }}</main>
{% if page.lower %}<a href="{{ page.lower.permalink }}">{{ page.lower.title }}</a>{% endif %}
{% if page.higher %}<a href="{{ page.higher.permalink }}">{{ page.higher.title }}</a>{% endif %}
{% endblock %}
"##;
const ZOLA_SECTION: &str = r##"{% extends "base.html" %}
{% block title %}{{ section.title }}{% endblock %}
{% block body %}<nav aria-label="Huvudmeny"><ul>{% for p in section.pages %}<li><a href="{{ p.permalink }}">{{ p.title }}</a></li>{% endfor %}
{% for s in section.subsections %}<li>{{ s }}</li>{% endfor %}</ul></nav>
<main><h1>{{ section.title }}</h1>{{ section.content | safe }}</main>{% endblock %}
"##;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 4 {
        eprintln!("usage: gen_handbook N SEED OUTDIR");
        std::process::exit(2);
    }
    let n: usize = args[1].parse().expect("N must be a number of pages");
    let seed: u64 = args[2].parse().expect("SEED must be a number");
    let out = Path::new(&args[3]);
    let mut rng = Rng(seed);
    let pages = plan(n, &mut rng);
    let bodies: Vec<String> = (0..pages.len()).map(|i| body(i, &pages, &mut rng)).collect();

    // handbok
    let hb = out.join("handbok/content");
    write(
        &hb.join("site.yml"),
        "title: Personalhandbok\norganisation: Alingsås kommun\nlanguage: sv\nowner: HR-avdelningen\n",
    );
    // Hugo
    let hugo = out.join("hugo");
    write(
        &hugo.join("hugo.toml"),
        "baseURL = \"https://example.org/\"\nlanguageCode = \"sv\"\ntitle = \"Personalhandbok\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\"]\nrelativeURLs = true\n[markup.goldmark.renderer]\nunsafe = false\n",
    );
    write(&hugo.join("layouts/_default/baseof.html"), HUGO_BASEOF);
    write(&hugo.join("layouts/_default/single.html"), HUGO_SINGLE);
    write(&hugo.join("layouts/_default/list.html"), HUGO_SINGLE);
    write(
        &hugo.join("layouts/index.html"),
        "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n",
    );
    // Zola
    let zola = out.join("zola");
    write(
        &zola.join("config.toml"),
        "base_url = \"https://example.org\"\ntitle = \"Personalhandbok\"\ndefault_language = \"sv\"\nbuild_search_index = true\ncompile_sass = false\n[search]\ninclude_content = true\n",
    );
    write(&zola.join("templates/base.html"), ZOLA_BASE);
    write(&zola.join("templates/page.html"), ZOLA_PAGE);
    write(&zola.join("templates/section.html"), ZOLA_SECTION);
    write(&zola.join("templates/index.html"), ZOLA_SECTION);
    // mdBook
    let mdbook = out.join("mdbook");
    write(
        &mdbook.join("book.toml"),
        "[book]\ntitle = \"Personalhandbok\"\nlanguage = \"sv\"\nsrc = \"src\"\n\n[build]\ncreate-missing = false\n",
    );
    let mut summary = String::from("# Sammanfattning\n\n[Personalhandbok](index.md)\n\n");

    for (i, (page, body)) in pages.iter().zip(&bodies).enumerate() {
        write(
            &hb.join(&page.path),
            &format!("---\ntitle: {}\norder: {}\n---\n\n{body}", page.title, page.order),
        );
        let hugo_path = if page.is_index {
            page.path.replace("index.md", "_index.md")
        } else {
            page.path.clone()
        };
        write(
            &hugo.join("content").join(&hugo_path),
            &format!("---\ntitle: {}\nweight: {}\n---\n\n{body}", page.title, page.order),
        );
        let zola_front = if page.is_index {
            format!(
                "+++\ntitle = {}\nweight = {}\nsort_by = \"weight\"\n+++\n\n",
                toml_str(&page.title),
                page.order
            )
        } else {
            format!(
                "+++\ntitle = {}\nweight = {}\n+++\n\n",
                toml_str(&page.title),
                page.order
            )
        };
        write(&zola.join("content").join(&hugo_path), &format!("{zola_front}{body}"));
        write(
            &mdbook.join("src").join(&page.path),
            &format!("# {}\n\n{body}", page.title),
        );
        if i > 0 {
            let _ = writeln!(
                summary,
                "{}- [{}]({})",
                "  ".repeat(page.depth - 1),
                page.title,
                page.path
            );
        }
    }
    write(&mdbook.join("src/SUMMARY.md"), &summary);
    println!("Generated {} pages into {}", pages.len(), out.display());
}
