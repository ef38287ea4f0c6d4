//! The search index (stage 5): written as a script the pages load on first use, with every page,
//! normalised words and links to headings that exist.

use std::path::Path;

use handbok::search::{decode_postings, IN_BODY, IN_HEADING, IN_TITLE};
use serde_json::Value;

use crate::support::*;

fn build_fixture() -> TestSite {
    let site = TestSite::fixture("valid/search");
    site.build().succeeded();
    site
}

/// The index as JSON, from the script file.
fn read_index(public: &Path) -> Value {
    let js = std::fs::read_to_string(public.join("assets/search-index.js")).unwrap();
    let json = js
        .strip_prefix("window.handbokSearchIndex=")
        .and_then(|s| s.trim_end().strip_suffix(';'))
        .expect("the index script assigns window.handbokSearchIndex");
    serde_json::from_str(json).unwrap()
}

fn terms(index: &Value) -> Vec<String> {
    index["terms"].as_str().unwrap().split(' ').map(str::to_owned).collect()
}

/// `(block, flags)` of `term`, panicking with the vocabulary when the term is missing.
fn postings(index: &Value, term: &str) -> Vec<(usize, u8)> {
    let all = terms(index);
    let i = all
        .iter()
        .position(|t| t == term)
        .unwrap_or_else(|| panic!("`{term}` not in {all:?}"));
    decode_postings(index["post"][i].as_str().unwrap())
}

fn block(index: &Value, b: usize) -> (usize, String, String, String) {
    serde_json::from_value(index["blocks"][b].clone()).unwrap()
}

fn page_title(index: &Value, p: usize) -> String {
    index["pages"][p][0].as_str().unwrap().to_owned()
}

#[test]
fn every_page_is_in_the_index_and_every_link_target_exists() {
    let dir = build_fixture();
    let public = dir.path("public");
    let index = read_index(&public);
    let pages = index["pages"].as_array().unwrap();
    assert_eq!(pages.len(), 3);
    let titles: Vec<String> = (0..pages.len()).map(|p| page_title(&index, p)).collect();
    assert_eq!(titles, ["Start", "Medarbetarsamtal", "Lönesamtal"]);
    assert_eq!(
        pages[2][2], "Medarbetarsamtal",
        "a page's section is the section it is in"
    );
    for b in 0..index["blocks"].as_array().unwrap().len() {
        let (page, anchor, _, _) = block(&index, b);
        let href = pages[page][1].as_str().unwrap();
        let doc = read_html(&public.join(href));
        if !anchor.is_empty() {
            assert_eq!(
                attrs(&doc, &format!("[id=\"{anchor}\"]"), "id").len(),
                1,
                "{href}#{anchor}"
            );
        }
    }
}

#[test]
fn words_are_lowercased_folded_and_kept_whole_without_stop_words() {
    let dir = build_fixture();
    let index = read_index(&dir.path("public"));
    let all = terms(&index);
    for t in [
        "arbetsmiljo",
        "medarbetarsamtalet",
        "utvecklingssamtalet",
        "lonen",
        "lonesamtalet",
        "loneutveckling",
    ] {
        assert!(all.contains(&t.to_string()), "`{t}` missing from {all:?}");
    }
    for t in &all {
        assert!(
            !t.chars().any(|c| c.is_uppercase() || "åäö".contains(c)),
            "`{t}` is not normalised"
        );
    }
    for stop in ["och", "om", "en", "du", "i"] {
        assert!(!all.contains(&stop.to_string()), "stop word `{stop}` is indexed");
    }
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted, "the vocabulary is sorted");
}

#[test]
fn postings_record_title_heading_and_body_with_the_heading_anchor() {
    let dir = build_fixture();
    let index = read_index(&dir.path("public"));
    // "Lönesamtal" is the title of page 2 and flagged on its first block.
    let title = postings(&index, "lonesamtal");
    let (b, flags) = title[0];
    assert_eq!(flags & IN_TITLE, IN_TITLE);
    assert_eq!(page_title(&index, block(&index, b).0), "Lönesamtal");
    // "Förberedelser" is a heading; its block carries the heading's id and text.
    let heading = postings(&index, "forberedelser");
    assert_eq!(heading.len(), 1);
    assert_eq!(heading[0].1, IN_HEADING);
    let (_, anchor, text, body) = block(&index, heading[0].0);
    assert_eq!((anchor.as_str(), text.as_str()), ("forberedelser", "Förberedelser"));
    assert_eq!(body, "Inför utvecklingssamtalet fyller du i samtalsguiden.");
    // The description is searchable, in the page's first block, with its original letters.
    let described = postings(&index, "medarbetarsamtalet");
    assert_eq!(described[0].1, IN_BODY);
    let (_, anchor, _, text) = block(&index, described[0].0);
    assert_eq!(anchor, "");
    assert!(text.starts_with("Så går medarbetarsamtalet till."), "{text}");
}

#[test]
fn pages_have_a_labelled_search_field_hidden_until_scripts_run_and_load_code_and_index_only_on_use() {
    let dir = build_fixture();
    let public = dir.path("public");
    for (page, root) in [("index.html", ""), ("samtal/lonesamtal.html", "../")] {
        let doc = read_html(&public.join(page));
        let forms = doc.select(&sel("header form[role=search]")).collect::<Vec<_>>();
        assert_eq!(forms.len(), 1, "{page}");
        assert!(
            forms[0].value().attr("hidden").is_some(),
            "without JavaScript the form is hidden"
        );
        assert_eq!(forms[0].value().attr("data-root"), Some(root));
        assert_eq!(texts(&doc, "label[for=sok]"), ["Sök i handboken"]);
        assert_eq!(attrs(&doc, "input#sok", "type"), ["search"]);
        assert_eq!(attrs(&doc, ".search-announce", "role"), ["status"]);
        assert_eq!(
            count(&doc, ".search-panel [role=status]"),
            0,
            "the live region is not inside the panel that opens"
        );
        let scripts = attrs(&doc, "script[src]", "src");
        assert!(
            !scripts.iter().any(|s| s.contains("search")),
            "the search code and index load on first use only: {scripts:?}"
        );
        let loaders: Vec<String> = doc
            .select(&sel("script:not([src])"))
            .map(|s| s.text().collect::<String>())
            .filter(|t| t.contains("assets/search.js"))
            .collect();
        assert_eq!(
            loaders.len(),
            1,
            "one small loader fetches the search code on first use"
        );
        assert!(
            loaders[0].contains("focusin") && loaders[0].len() < 1024,
            "{}",
            loaders[0]
        );
        assert!(attrs(&doc, "link[rel=stylesheet]", "href").contains(&format!("{root}assets/search.css")));
    }
}
