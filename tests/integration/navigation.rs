//! The menu stays small whatever the handbook's size: a long section shows a window of its pages
//! around the open one and a link to the full list of them, paged 100 to a page.

use std::collections::BTreeSet;

use handbok::render::{NAV_WINDOW, SECTION_LIST_PAGE};
use scraper::Html;

use crate::support::{attrs, count, texts, TestSite};

/// The most links a page's menu may hold at `depth` (the start page is depth 0): the start page,
/// then per open level the window and its "all pages" link.
fn link_budget(depth: usize) -> usize {
    1 + (NAV_WINDOW + 1) * (depth + 1)
}

/// A handbook with one folder `riktlinjer/` of `n` pages, `Riktlinje 1` … `Riktlinje n`.
fn flat_folder(n: usize) -> TestSite {
    let site = TestSite::new().with("riktlinjer/index.md", "---\ntitle: Riktlinjer\n---\nAlla riktlinjer.\n");
    (1..=n).fold(site, |site, i| {
        site.with(
            &format!("riktlinjer/r{i:04}.md"),
            &format!("---\ntitle: Riktlinje {i}\ndescription: Om sak {i}.\n---\nText {i}.\n"),
        )
    })
}

/// The href of each menu link, resolved against the folder `dir` of the page it is on.
fn menu_targets(page: &Html, dir: &str) -> Vec<String> {
    attrs(page, "nav.site-nav a", "href")
        .into_iter()
        .map(|href| resolve(dir, &href))
        .collect()
}

fn resolve(dir: &str, href: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for part in href.split('/') {
        match part {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

#[test]
fn a_long_folder_shows_a_window_around_the_open_page_and_a_link_to_all_of_them() {
    let built = flat_folder(250).in_memory();
    let page = built.html("riktlinjer/r0120.html");
    let menu = texts(&page, "nav.site-nav a");
    assert!(menu.len() <= link_budget(1), "{} links: {menu:?}", menu.len());
    assert_eq!(texts(&page, "nav.site-nav [aria-current=page]"), ["Riktlinje 120"]);
    // The window holds the open page's neighbours in the menu's order.
    assert!(menu.contains(&"Riktlinje 119".to_string()) && menu.contains(&"Riktlinje 121".to_string()));
    assert_eq!(texts(&page, "nav.site-nav li.more a"), ["Alla 250 sidor i Riktlinjer"]);
    assert!(menu_targets(&page, "riktlinjer").contains(&"riktlinjer/alla-sidor.html".to_string()));
}

#[test]
fn every_page_of_a_long_folder_is_reachable_from_its_list() {
    let n = 250;
    let built = flat_folder(n).in_memory();
    let pages = built.pages();
    let mut listed = BTreeSet::new();
    let parts = n.div_ceil(SECTION_LIST_PAGE);
    for part in 1..=parts {
        let path = if part == 1 {
            "riktlinjer/alla-sidor.html".to_string()
        } else {
            format!("riktlinjer/alla-sidor-{part}.html")
        };
        let list = pages.get(&path).unwrap_or_else(|| panic!("{path} was not built"));
        let entries = attrs(list, "ol.section-list > li > a", "href");
        assert!(entries.len() <= SECTION_LIST_PAGE);
        // The numbering goes on from the previous part.
        let start: usize = attrs(list, "ol.section-list", "start")[0].parse().unwrap();
        assert_eq!(start, listed.len() + 1, "{path}");
        for href in entries {
            let target = resolve("riktlinjer", &href);
            assert!(
                pages.contains_key(&target),
                "{path} links to {target}, which was not built"
            );
            listed.insert(target);
        }
        // On a list page its own link in the menu is the current one.
        assert_eq!(
            texts(list, "nav.site-nav [aria-current=page]"),
            [format!("Alla {} sidor i Riktlinjer", n)]
        );
    }
    assert_eq!(listed.len(), n);
    assert!(!pages.contains_key(&format!("riktlinjer/alla-sidor-{}.html", parts + 1)));
    // The list is in the menu's order, numbers by value: 9 comes before 10.
    let first = built.html("riktlinjer/alla-sidor.html");
    let titles = texts(&first, "ol.section-list > li > a");
    assert_eq!(titles[..3], ["Riktlinje 1", "Riktlinje 2", "Riktlinje 3"]);
    assert_eq!(texts(&first, "ol.section-list > li > p")[0], "Om sak 1.");
    assert_eq!(texts(&first, "h1"), ["Alla 250 sidor i Riktlinjer"]);
    assert_eq!(texts(&first, ".section-list-parts a[aria-current=page]"), ["1"]);
    assert_eq!(
        attrs(&first, ".section-list-parts a[rel=next]", "href"),
        ["alla-sidor-2.html"]
    );
}

#[test]
fn deep_nesting_keeps_the_menu_within_its_budget() {
    // Six levels, each with 30 pages and one folder leading deeper.
    let mut site = TestSite::new();
    let mut dir = String::new();
    for level in 1..=6 {
        dir = format!("{dir}n{level}/");
        site = site.with(
            &format!("{dir}index.md"),
            &format!("---\ntitle: Nivå {level}\n---\nNivå.\n"),
        );
        for i in 1..=30 {
            site = site.with(
                &format!("{dir}s{i:02}.md"),
                &format!("---\ntitle: Sida {level}.{i}\n---\nText.\n"),
            );
        }
    }
    let built = site.in_memory();
    let deepest = built.html("n1/n2/n3/n4/n5/n6/s15.html");
    let links = count(&deepest, "nav.site-nav a");
    assert!(links <= link_budget(6), "{links} links at depth 6");
    assert_eq!(texts(&deepest, "nav.site-nav [aria-current=page]"), ["Sida 6.15"]);
    // Each open level ends in its own "all pages" link.
    assert_eq!(count(&deepest, "nav.site-nav li.more"), 6);
}

#[test]
fn a_section_that_fits_lists_every_page_and_gets_no_list_page() {
    let built = flat_folder(NAV_WINDOW).in_memory();
    let page = built.html("riktlinjer/r0001.html");
    let menu = texts(&page, "nav.site-nav a");
    assert_eq!(menu.len(), 2 + NAV_WINDOW, "{menu:?}");
    assert_eq!(count(&page, "nav.site-nav li.more"), 0);
    assert!(!built.pages().contains_key("riktlinjer/alla-sidor.html"));
}

#[test]
fn a_page_where_the_list_would_be_written_is_refused() {
    let built = flat_folder(NAV_WINDOW + 1)
        .with("riktlinjer/alla-sidor.md", "---\ntitle: Alla sidor\n---\nEgen lista.\n")
        .in_memory();
    assert!(built.built.is_none());
    let shown = built.shown();
    assert!(
        shown.contains("riktlinjer/alla-sidor.md") && shown.contains("which handbok writes itself"),
        "{shown}"
    );
}

#[test]
fn the_whole_handbook_prints_as_one_view_only_up_to_its_page_limit() {
    use handbok::print::HANDBOOK_VIEW_MAX_PAGES;
    // The start page and the section's page, then the section's pages.
    let at_limit = flat_folder(HANDBOOK_VIEW_MAX_PAGES - 2).in_memory();
    assert!(at_limit.pages().contains_key("utskrift.html"));
    let start = at_limit.html("index.html");
    assert_eq!(attrs(&start, ".print-links a", "href"), ["utskrift.html"]);

    let past_limit = flat_folder(HANDBOOK_VIEW_MAX_PAGES - 1).in_memory();
    assert!(!past_limit.pages().contains_key("utskrift.html"));
    assert_eq!(count(&past_limit.html("index.html"), ".print-links a"), 0);
}
