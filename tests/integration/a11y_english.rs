//! The interface in English: with `language: en` the UI strings switch to English, and an
//! English site with every feature that has UI text shows no Swedish interface string. The
//! page helpers come from `a11y.rs`.

use std::collections::BTreeMap;

use handbok::theme::UiString;

use crate::a11y::{all, fixture, text, SITE_SV};
use crate::support::*;

#[test]
fn english_strings_when_the_site_language_is_en() {
    let site = fixture(&format!("{SITE_SV}language: en\n"));
    let doc = &site["policy/lang.html"];
    assert_eq!(doc.root_element().value().attr("lang"), Some("en"));
    assert_eq!(text(all(doc, ".skip-link")[0]), "Skip to content");
    assert_eq!(
        all(doc, "nav#navigering")[0].value().attr("aria-label"),
        Some("Main menu")
    );
    assert_eq!(
        all(doc, "nav.breadcrumbs")[0].value().attr("aria-label"),
        Some("You are here")
    );
    assert_eq!(text(all(doc, "nav.toc h2")[0]), "On this page");
    assert_eq!(text(all(doc, "label.menu-button")[0]), "Menu");
    assert_eq!(text(all(doc, ".doc-info h2")[0]), "Document information");
    assert_eq!(text(all(doc, "nav.pagination a[rel=next]")[0]), "Next: Kort sida");
    let footer: Vec<_> = all(doc, "footer a").iter().map(|a| text(*a)).collect();
    assert!(footer.contains(&"Accessibility statement".to_string()), "{footer:?}");
    let body = text(all(doc, "body")[0]);
    for swedish in [
        "Hoppa till",
        "Huvudmeny",
        "På den här sidan",
        "Föregående",
        "Nästa",
        "Dokumentinformation",
    ] {
        assert!(
            !body.contains(swedish),
            "Swedish UI string `{swedish}` on an English site"
        );
    }
}

/// An English site with every feature that has UI text (a form of every kind, a talk's print
/// view, the year wheel, document information, the statement) shows none of the Swedish
/// interface strings: not in text, not in attributes, on no page.
#[test]
fn an_english_site_shows_no_swedish_ui_text() {
    let strings = std::fs::read_to_string(repo_root().join("themes/default/strings.yml")).unwrap();
    let table: BTreeMap<String, BTreeMap<String, UiString>> = handbok::yaml::parse(&strings).unwrap().value;
    let words = |v: &UiString| -> Vec<String> {
        match v {
            UiString::Text(s) => vec![s.clone()],
            UiString::List(items) => items.clone(),
        }
    };
    let mut swedish: Vec<String> = Vec::new();
    for (key, sv) in &table["sv"] {
        let en = table["en"].get(key).map(words).unwrap_or_default();
        for text in words(sv) {
            // Placeholders are filled in by search.js; short words like "och" are also English
            // content words' parts, so they are checked as whole words below.
            if !text.contains('{') && !en.contains(&text) {
                swedish.push(text);
            }
        }
    }
    assert!(swedish.len() > 80, "the Swedish table was read: {}", swedish.len());
    let form =
        "```form\n- note: Filled in together.\n- text: Name\n  hint: First and last name.\n- date: Date of the talk\n\
                - period: Period\n- area: Goals\n  lines: 2\n- table: Training\n  columns: [Course, Date]\n  rows: 1\n\
                - checkbox: Done\n- group: Follow-up\n  fields:\n    - text: Owner\n\
                - signatures: [Employee, Manager]\n  date: true\n```\n";
    let built = TestSite::files(&[
        ("site.yml", "title: Staff handbook\norganisation: Example council\nlanguage: en\nowner: HR\n"),
        ("index.md", "---\ntitle: Welcome\n---\nRead [the review](talk/review.md).\n"),
        (
            "talk/index.md",
            "---\ntitle: Talks\nyear_wheel:\n  - {label: Review, from: 9, to: 11}\n  - {label: Pay, from: 12, to: 2}\n---\nThe year.\n",
        ),
        (
            "talk/review.md",
            &format!("---\ntitle: Review\ndecided: 2024-01-01\ndecided_by: Board\nvalid: Until further notice\nowner: HR\nrevised: 2024-02-01\nprint_with: [guide.md]\n---\n{form}"),
        ),
        ("talk/guide.md", "---\ntitle: Guide\n---\n## Before\n\nPrepare.\n\n## During\n\nTalk.\n\n## After\n\nFollow up.\n"),
    ])
    .in_memory();
    let pages = built.pages();
    assert!(pages.contains_key("talk/review-utskrift.html") && pages.contains_key("utskrift.html"));
    for (path, doc) in &pages {
        let mut shown: Vec<String> = doc.root_element().text().map(str::to_owned).collect();
        for element in doc.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
            shown.extend(element.value().attrs().map(|(_, v)| v.to_string()));
        }
        let shown = collapse(&shown.join(" "));
        for text in &swedish {
            let found = if text.chars().count() <= 4 {
                shown.split(|c: char| !c.is_alphanumeric()).any(|w| w == text)
            } else {
                shown.contains(text.as_str())
            };
            assert!(!found, "{path}: Swedish UI text `{text}` on an English site");
        }
    }
    let review = &pages["talk/review.html"];
    assert_eq!(texts(review, ".hb-sign-note"), ["Signed by hand on the printout."]);
    assert_eq!(texts(review, ".hb-date .hb-format"), ["(YYYY-MM-DD)"]);
    assert_eq!(texts(review, ".print-links a"), ["Print view: Review and Guide"]);
    let talks = &pages["talk/index.html"];
    assert_eq!(
        texts(talks, ".year-wheel-text li"),
        ["Review: September–November", "Pay: December–February"]
    );
}
