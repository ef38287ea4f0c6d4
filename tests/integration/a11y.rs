//! Accessibility structure of built pages, checked on the parsed HTML: the skip link comes
//! first, landmarks carry labels, the section tree marks the current page, breadcrumbs mark
//! (and do not link) the current page, the contents list appears only with three or more
//! second-level headings, and the accessibility statement is generated, its missing facts
//! marked only in the editor's preview (English interface: `a11y_english.rs`).

use std::collections::BTreeMap;

use scraper::{ElementRef, Html};

use crate::support::*;

/// Build `files` (path → text) in memory; every page parsed.
fn build(files: &[(&str, &str)]) -> BTreeMap<String, Html> {
    TestSite::files(files).in_memory().pages()
}

pub(crate) const SITE_SV: &str = "title: Personalhandbok\norganisation: Testkommun\nowner: HR-avdelningen\n";

pub(crate) fn fixture(site: &str) -> BTreeMap<String, Html> {
    build(&[
        ("site.yml", site),
        ("index.md", "---\ntitle: Start\n---\nVälkommen.\n"),
        ("policy/index.md", "---\ntitle: Policy\norder: 1\n---\nOm policyn.\n"),
        (
            "policy/lang.md",
            "---\ntitle: Lång sida\norder: 1\ndecided: 2020-02-10\ndecided_by: KF\nowner: HR\n---\nIntro.\n\n## Ett\n\nText.\n\n## Två\n\nText.\n\n### Under\n\nText.\n\n## Tre\n\nText.\n",
        ),
        (
            "policy/kort.md",
            "---\ntitle: Kort sida\norder: 2\n---\nIntro.\n\n## Ett\n\nText.\n\n## Två\n\nText.\n",
        ),
        ("bilaga.md", "---\ntitle: Bilaga\norder: 2\n---\nText.\n"),
    ])
}

pub(crate) fn text(e: ElementRef) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub(crate) fn all<'a>(doc: &'a Html, s: &str) -> Vec<ElementRef<'a>> {
    doc.select(&sel(s)).collect()
}

#[test]
fn skip_link_is_the_first_focusable_element_and_targets_main() {
    let site = fixture(SITE_SV);
    for (path, doc) in &site {
        let first = all(
            doc,
            "body a[href], body input, body button, body select, body textarea, body [tabindex]",
        )
        .into_iter()
        .find(|e| e.value().attr("tabindex") != Some("-1"))
        .unwrap_or_else(|| panic!("{path}: nothing focusable"));
        assert_eq!(first.value().attr("class"), Some("skip-link"), "{path}");
        assert_eq!(text(first), "Hoppa till innehållet", "{path}");
        let target = first.value().attr("href").unwrap().trim_start_matches('#');
        let main = all(doc, "main");
        assert_eq!(main.len(), 1, "{path}: exactly one <main>");
        assert_eq!(
            main[0].value().attr("id"),
            Some(target),
            "{path}: skip link must lead to <main>"
        );
        assert_eq!(
            main[0].value().attr("tabindex"),
            Some("-1"),
            "{path}: <main> must take focus"
        );
    }
}

#[test]
fn landmarks_exist_and_every_nav_has_a_label() {
    let site = fixture(SITE_SV);
    for (path, doc) in &site {
        assert_eq!(all(doc, "body > header").len(), 1, "{path}: one banner header");
        assert_eq!(all(doc, "body > footer").len(), 1, "{path}: one footer");
        // A print view puts several pages on one: each printed part keeps its own h1.
        if is_print_view(doc) {
            assert!(!all(doc, "h1").is_empty(), "{path}: no h1");
        } else {
            assert_eq!(all(doc, "h1").len(), 1, "{path}: one h1");
        }
        assert_eq!(doc.root_element().value().attr("lang"), Some("sv"), "{path}");
        let navs = all(doc, "nav");
        assert!(!navs.is_empty(), "{path}: no nav");
        for nav in navs {
            let v = nav.value();
            let labelled = v.attr("aria-label").is_some_and(|l| !l.trim().is_empty())
                || v.attr("aria-labelledby")
                    .is_some_and(|id| all(doc, &format!("#{id}")).len() == 1);
            assert!(labelled, "{path}: nav without a label: {:?}", v.attr("class"));
        }
        // Every page but a print view (a page made to be printed) has the section tree.
        let site_nav = all(doc, "nav#navigering");
        if !is_print_view(doc) {
            assert_eq!(site_nav.len(), 1, "{path}: no section tree");
            assert_eq!(site_nav[0].value().attr("aria-label"), Some("Huvudmeny"), "{path}");
        }
        // The footer links to the accessibility statement.
        let footer_links: Vec<_> = all(doc, "footer a").iter().map(|a| text(*a)).collect();
        assert!(
            footer_links.contains(&"Tillgänglighetsredogörelse".to_string()),
            "{path}: {footer_links:?}"
        );
        // Headings never skip a level going down.
        let mut last = 1;
        for h in all(doc, "main h1, main h2, main h3, main h4, main h5, main h6") {
            let level: u32 = h.value().name()[1..].parse().unwrap();
            assert!(
                level <= last + 1,
                "{path}: heading level jumps from h{last} to h{level}"
            );
            last = level;
        }
    }
}

#[test]
fn the_current_page_is_marked_in_the_section_tree_and_its_section_is_open() {
    let site = fixture(SITE_SV);
    let doc = &site["policy/lang.html"];
    let current = all(doc, "nav#navigering a[aria-current=page]");
    assert_eq!(current.len(), 1);
    assert_eq!(text(current[0]), "Lång sida");
    assert_eq!(current[0].value().attr("href"), Some("lang.html"));
    // The section's other pages are listed (the branch is open); other sections stay closed.
    let titles: Vec<String> = all(doc, "nav#navigering a").into_iter().map(text).collect();
    assert_eq!(titles, ["Start", "Policy", "Lång sida", "Kort sida", "Bilaga"]);
    // Every page marks exactly one link as current in its navigation, except pages outside the
    // tree (the accessibility statement).
    for (path, doc) in &site {
        let n = all(doc, "nav#navigering [aria-current]").len();
        let outside_tree = path == "tillganglighetsredogorelse.html" || is_print_view(doc);
        let expected = usize::from(!outside_tree);
        assert_eq!(n, expected, "{path}");
    }
    let start = &site["index.html"];
    let titles: Vec<String> = all(start, "nav#navigering a").into_iter().map(text).collect();
    assert_eq!(
        titles,
        ["Start", "Policy", "Bilaga"],
        "closed sections show no children"
    );
}

#[test]
fn breadcrumbs_mark_the_current_page_without_linking_it() {
    let site = fixture(SITE_SV);
    let doc = &site["policy/lang.html"];
    let crumbs = all(doc, "nav.breadcrumbs li");
    let names: Vec<String> = crumbs.iter().map(|c| text(*c)).collect();
    assert_eq!(names, ["Start", "Policy", "Lång sida"]);
    let last = crumbs.last().unwrap();
    assert_eq!(last.value().attr("aria-current"), Some("page"));
    assert_eq!(last.select(&sel("a")).count(), 0, "the current page is not a link");
    let hrefs: Vec<_> = all(doc, "nav.breadcrumbs a")
        .iter()
        .map(|a| a.value().attr("href").unwrap().to_string())
        .collect();
    assert_eq!(hrefs, ["../index.html", "index.html"]);
    assert_eq!(
        all(doc, "nav.breadcrumbs")[0].value().attr("aria-label"),
        Some("Du är här")
    );
    assert!(
        all(&site["index.html"], "nav.breadcrumbs").is_empty(),
        "the start page needs no breadcrumbs"
    );
}

#[test]
fn contents_list_only_with_three_or_more_second_level_headings() {
    let site = fixture(SITE_SV);
    let long = &site["policy/lang.html"];
    let toc = all(long, "main nav.toc");
    assert_eq!(toc.len(), 1);
    assert_eq!(text(all(long, "nav.toc h2")[0]), "På den här sidan");
    let links: Vec<_> = all(long, "nav.toc a")
        .iter()
        .map(|a| (text(*a), a.value().attr("href").unwrap().to_string()))
        .collect();
    assert_eq!(
        links,
        [
            ("Ett".into(), "#ett".into()),
            ("Två".into(), "#tva".into()),
            ("Tre".into(), "#tre".into())
        ]
    );
    for (_, href) in &links {
        assert_eq!(all(long, href).len(), 1, "{href} must exist on the page");
    }
    assert!(
        all(&site["policy/kort.html"], "nav.toc").is_empty(),
        "two h2 → no contents list"
    );
}

#[test]
fn previous_and_next_say_where_they_lead_and_document_info_is_a_list() {
    let site = fixture(SITE_SV);
    let doc = &site["policy/lang.html"];
    let prev = all(doc, "nav.pagination a[rel=prev]");
    let next = all(doc, "nav.pagination a[rel=next]");
    assert_eq!(text(prev[0]), "Föregående: Policy");
    assert_eq!(text(next[0]), "Nästa: Kort sida");
    let rows: Vec<(String, String)> = all(doc, ".doc-info dl > div")
        .into_iter()
        .map(|d| {
            (
                text(d.select(&sel("dt")).next().unwrap()),
                text(d.select(&sel("dd")).next().unwrap()),
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            ("Beslutad".into(), "2020-02-10".into()),
            ("Beslutad av".into(), "KF".into()),
            ("Dokumentägare".into(), "HR".into())
        ]
    );
    let footer = text(all(doc, "footer")[0]);
    assert!(
        footer.contains("Testkommun") && footer.contains("HR-avdelningen"),
        "{footer}"
    );
}

#[test]
fn heading_anchors_are_hidden_from_screen_readers_and_the_tab_order() {
    let site = fixture(SITE_SV);
    let anchors = all(&site["policy/lang.html"], "main .heading-anchor");
    assert!(!anchors.is_empty());
    for a in anchors {
        assert_eq!(a.value().attr("aria-hidden"), Some("true"));
        assert_eq!(a.value().attr("tabindex"), Some("-1"));
    }
}

#[test]
fn accessibility_statement_is_generated_and_leaves_missing_facts_out_of_a_published_site() {
    let site = TestSite::files(&[
        ("site.yml", SITE_SV),
        ("index.md", "---\ntitle: Start\n---\nVälkommen.\n"),
    ]);
    let run = site.in_memory();
    let doc = &run.pages()["tillganglighetsredogorelse.html"];
    assert_eq!(
        text(all(doc, "h1")[0]).replace('\u{ad}', ""),
        "Tillgänglighetsredogörelse"
    );
    assert!(
        all(doc, ".missing").is_empty(),
        "a published page never shows “Uppgift saknas”"
    );
    assert_eq!(
        run.headlines(),
        ["content/site.yml: warning: the accessibility statement lacks facts only you can give: `status`, `contact`, `known_gaps`, `assessment`, `assessed`, `reviewed`"]
    );
    // The editor's preview (`handbok serve`) marks each missing fact with its setting.
    let preview = handbok::build_in_memory(
        &handbok::BuildOptions {
            preview: true,
            history_from: None,
            ..site.options()
        },
        &mut handbok::diag::Diagnostics::new(),
    )
    .unwrap();
    let html = std::str::from_utf8(&preview.files["tillganglighetsredogorelse.html"]).unwrap();
    let doc = &Html::parse_document(html);
    let missing: Vec<String> = all(doc, ".missing code").into_iter().map(text).collect();
    assert_eq!(
        missing,
        [
            "accessibility.status",
            "accessibility.contact",
            "accessibility.known_gaps",
            "accessibility.assessment",
            "accessibility.assessed",
            "accessibility.reviewed"
        ]
    );
    for m in all(doc, ".missing strong") {
        assert_eq!(text(m), "Uppgift saknas:");
    }
    // The supervisory authority is always named with a link.
    assert!(all(doc, "main a")
        .iter()
        .any(|a| a.value().attr("href").is_some_and(|h| h.contains("digg.se"))));

    let filled = fixture(&format!(
        "{SITE_SV}accessibility:\n  status: partial\n  contact: HR-avdelningen\n  contact_email: hr@example.se\n  contact_phone: 0322-61 60 00\n  known_gaps:\n    - PDF-bilagorna är inte tillgängliga.\n  assessment: Vi har granskat webbplatsen själva.\n  assessed: 2026-05-01\n  reviewed: 2026-05-02\n"
    ));
    let doc = &filled["tillganglighetsredogorelse.html"];
    assert!(
        all(doc, ".missing").is_empty(),
        "nothing is marked missing when all is set"
    );
    let main = text(all(doc, "main")[0]);
    for expected in [
        "delvis förenlig",
        "PDF-bilagorna är inte tillgängliga.",
        "hr@example.se",
        "0322-61 60 00",
        "Kontakt: HR-avdelningen",
        "Vi har granskat webbplatsen själva.",
        "2026-05-01",
        "2026-05-02",
    ] {
        assert!(main.contains(expected), "statement lacks `{expected}`");
    }
    let mail = all(doc, "main a[href^='mailto:']");
    assert_eq!(mail[0].value().attr("href"), Some("mailto:hr@example.se"));
}

#[test]
fn every_asset_and_link_is_local() {
    let site = fixture(SITE_SV);
    for (path, doc) in &site {
        for e in all(doc, "[src], link[href], script[src]") {
            let url = e.value().attr("src").or(e.value().attr("href")).unwrap();
            assert!(!url.contains("//"), "{path}: asset from another host: {url}");
        }
        // The theme's stylesheets, all local, relative to the page, the main one first.
        let css = all(doc, "link[rel=stylesheet]");
        assert!(!css.is_empty(), "{path}: no stylesheet");
        let prefix = format!("{}assets/", "../".repeat(path.matches('/').count()));
        for link in css {
            let href = link.value().attr("href").unwrap();
            assert!(
                href.starts_with(&prefix),
                "{path}: stylesheet {href} is not under {prefix}"
            );
        }
    }
}

/// Print views (one page holding several pages for printing) are marked on `<body>`.
fn is_print_view(doc: &Html) -> bool {
    all(doc, "body.print-view").len() == 1
}

/// Long Swedish compounds break at syllables on a phone: soft hyphens (U+00AD) in long words of
/// headings, the menu, table cells and running text (where only the longest words get them),
/// never in ids, link targets, code, alt text or the search index.
#[test]
fn long_words_get_soft_hyphens_where_lines_are_short_and_nowhere_else() {
    let built = TestSite::files(&[
        ("site.yml", SITE_SV),
        ("index.md", "---\ntitle: Start\n---\n[Överenskommelsen](medarbetaroverenskommelse.md)\n"),
        (
            "medarbetaroverenskommelse.md",
            "---\ntitle: Medarbetaröverenskommelse\n---\n## Kompetensutvecklingsinsatser `kompetensutvecklingsinsatser`\n\n\
             | Kopplat mot fokusområde | Datum |\n|---|---|\n| kompetensutvecklingsinsatser | 2020 |\n\n\
             Text om kompetensutvecklingsinsatser. Arbetsmiljön `kompetensutvecklingsinsatser`.\n\n\
             ![Kompetensutvecklingsinsatser](bild.png)\n",
        ),
        ("bild.png", "png"),
        (
            "kort.md",
            "---\ntitle: Kort\n---\nKort text om lönesamtal.\n",
        ),
    ])
    .in_memory();
    let pages = built.pages();
    let doc = &pages["medarbetaroverenskommelse.html"];
    const SHY: char = '\u{ad}';
    assert_eq!(
        text(all(doc, "h1")[0]),
        "Med\u{ad}ar\u{ad}be\u{ad}tar\u{ad}ö\u{ad}ver\u{ad}ens\u{ad}kom\u{ad}melse"
    );
    let h2 = all(doc, "main h2")[0];
    assert_eq!(
        h2.value().attr("id"),
        Some("kompetensutvecklingsinsatser-kompetensutvecklingsinsatser")
    );
    assert!(
        texts(doc, "main h2 > code")[0].chars().all(|c| c != SHY),
        "code is never hyphenated"
    );
    assert!(text(h2).contains("Kom\u{ad}pe\u{ad}tens"));
    assert_eq!(
        texts(doc, "main thead th")[0],
        "Kopp\u{ad}lat mot fo\u{ad}kus\u{ad}om\u{ad}råde"
    );
    assert_eq!(
        texts(doc, "main td")[0],
        "kom\u{ad}pe\u{ad}tens\u{ad}ut\u{ad}veck\u{ad}lingsin\u{ad}sat\u{ad}ser"
    );
    let body = &texts(doc, "main .content p")[0];
    assert!(body.starts_with("Text om kom\u{ad}pe\u{ad}tens\u{ad}ut"), "{body}");
    // Words shorter than 16 letters in running text are left as written, and so is code.
    assert!(body.contains(" Arbetsmiljön kompetensutvecklingsinsatser."), "{body}");
    assert_eq!(attrs(doc, "main img", "alt"), ["Kompetensutvecklingsinsatser"]);
    let short = &pages["kort.html"];
    assert_eq!(texts(short, "main .content p"), ["Kort text om lönesamtal."]);
    let nav = texts(doc, "#navigering a");
    assert!(
        nav.iter().any(|t| t.starts_with("Med\u{ad}ar")),
        "menu entries hyphenated: {nav:?}"
    );
    for href in attrs(doc, "a[href]", "href") {
        assert!(!href.contains(SHY), "link target with a soft hyphen: {href}");
    }
    let index = &built.built.as_ref().unwrap().files["assets/search-index.js"];
    assert!(
        !String::from_utf8_lossy(index).contains(SHY),
        "the search index has no soft hyphens"
    );
    assert!(!text(all(doc, "title")[0]).contains(SHY), "nor the window title");
}

/// `brand:` gives the municipality's colours and logo without CSS: a generated stylesheet that
/// every page loads, colour variables for light and dark mode, and the logo with its text
/// alternative in the header's link.
#[test]
fn a_brand_gives_colours_and_logo_without_css() {
    let site = TestSite::fixture("valid/brand");
    let run = site.in_memory();
    assert_eq!(run.headlines(), Vec::<String>::new());
    let built = run.built.as_ref().unwrap();
    let css = std::str::from_utf8(&built.files["assets/brand.css"]).unwrap();
    assert!(
        css.contains(":root { --header-bg: #00594c; --header-stripe: #b78112; --link: #00594c;"),
        "{css}"
    );
    assert!(css.contains("@media (prefers-color-scheme: dark)"), "{css}");
    for (path, doc) in run.pages() {
        let sheets = attrs(&doc, "link[rel=stylesheet]", "href");
        assert!(
            sheets.iter().any(|h| h.ends_with("assets/brand.css")),
            "{path}: {sheets:?}"
        );
        assert_eq!(
            attrs(&doc, ".site-title img.site-logo", "alt"),
            ["Exempelby kommun"],
            "{path}"
        );
    }
    let doc = &run.pages()["samtal/index.html"];
    assert_eq!(attrs(doc, ".site-title img", "src"), ["../bilder/logo.svg"]);
    // Without `brand:` there is no stylesheet to load and the name is text.
    let plain = build(&[("site.yml", SITE_SV), ("index.md", "---\ntitle: Start\n---\nText.\n")]);
    let doc = &plain["index.html"];
    assert!(!attrs(doc, "link[rel=stylesheet]", "href")
        .iter()
        .any(|h| h.contains("brand")));
    assert_eq!(texts(doc, ".site-org"), ["Testkommun"]);
}
