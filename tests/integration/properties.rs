//! Property tests for the invariants of issue 8: no output path escapes the output folder, no
//! sanitised page holds a script, slugs are stable, and equal output paths are always caught.

use std::fs;
use std::path::Path;

use handbok::content::{FrontMatter, Page};
use handbok::diag::Diagnostics;
use handbok::markdown::links::{resolve, Target};
use handbok::markdown::{Markdown, Source};
use handbok::output::is_contained;
use handbok::paths::output_path;
use handbok::slug::slugify;
use proptest::prelude::*;
use scraper::{Html, Selector};

use crate::support::theme;

/// Path segments as people and attackers write them: Swedish letters, case, spaces, dots, `..`.
fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("..".to_string()),
        Just(".".to_string()),
        Just(String::new()),
        "[a-zA-ZåäöÅÄÖ0-9 ._%~:\\\\-]{1,12}",
        any::<String>(),
    ]
}

fn rel_path() -> impl Strategy<Value = String> {
    prop::collection::vec(segment(), 1..6).prop_map(|parts| parts.join("/"))
}

/// `md` rendered as the body of `avsnitt/sida.md`, cutting long blocks after `cut` events.
fn render(md: &str, cut: Option<usize>) -> Markdown {
    let page = Page {
        source: "avsnitt/sida.md".into(),
        output: "avsnitt/sida.html".into(),
        front: FrontMatter {
            title: "Sida".into(),
            ..FrontMatter::default()
        },
        keys: Default::default(),
        body_start: 0,
        body_line: 1,
    };
    let source = Source {
        page: &page,
        text: md,
        path: Path::new("sida.md"),
    };
    match cut {
        None => handbok::markdown::render(&source, theme()),
        Some(cut) => handbok::markdown::render_cutting_at(&source, theme(), cut),
    }
}

/// Ordinary handbook Markdown: paragraphs with links and emphasis, headings, lists, quotes and
/// tables, in any order.
fn ordinary_markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("Text med [en länk](annan.md#del) och *betoning* ".to_string()),
        Just("[bild](bild.png) ".to_string()),
        Just("![Alt](bild.png) ".to_string()),
        Just("”citat” ".to_string()),
        Just("`kod` ".to_string()),
        Just("<abbr title=\"x\">HR</abbr> ".to_string()),
        Just("\n\n".to_string()),
        Just("\n".to_string()),
        Just("## Rubrik\n".to_string()),
        Just("- punkt [länk](a.md)\n".to_string()),
        Just("  - under\n".to_string()),
        Just("1. steg\n".to_string()),
        Just("> citat\n".to_string()),
        Just("| a | b |\n|---|:-:|\n| [x](a.md) | 2 |\n| 3 | 4 |\n".to_string()),
        Just("```form\ntitle: x\n```\n".to_string()),
        Just("- [ ] uppgift\n- [x] klar [länk](a.md)\n".to_string()),
        Just("> [!NOTE]\n> notis\n".to_string()),
        Just("fotnot[^ett] ".to_string()),
        Just("\n[^ett]: notens text\n".to_string()),
        Just("begrepp\n: förklaring\n".to_string()),
        "[a-zåäö ]{0,12}",
    ];
    prop::collection::vec(piece, 0..24).prop_map(|p| p.concat())
}

/// Words of at least three letters, lowercased.
fn word_set(text: &str) -> std::collections::BTreeSet<String> {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .collect()
}

/// Pieces of hostile and ordinary Markdown and HTML, glued together in any order.
fn hostile_markdown() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<script>alert(1)</script>".to_string()),
        Just("<scr".to_string()),
        Just("ipt>alert(1)</script>".to_string()),
        Just("<img src=x onerror=alert(1)>".to_string()),
        Just("<a href=\"javascript:alert(1)\">x</a>".to_string()),
        Just("<a href=\"java\tscript:alert(1)\">x</a>".to_string()),
        Just("[x](javascript:alert(1))".to_string()),
        Just("<javascript:alert(1)>".to_string()),
        Just("<iframe src=x></iframe>".to_string()),
        Just("<style>*{}</style>".to_string()),
        Just("<object data=x>".to_string()),
        Just("<svg onload=alert(1)>".to_string()),
        Just("<div\n".to_string()),
        Just("onclick=\"alert(1)\">".to_string()),
        Just("<details>\n<summary>x</summary>\n".to_string()),
        Just("</details>\n".to_string()),
        Just("\n\n".to_string()),
        Just("\n".to_string()),
        Just("> ".to_string()),
        Just("- ".to_string()),
        Just("    ".to_string()),
        Just("```\n".to_string()),
        Just("```form\ntitle: x\n```\n".to_string()),
        Just("# Rubrik\n".to_string()),
        Just("<span title=\"".to_string()),
        Just("\">".to_string()),
        Just("<!--".to_string()),
        Just("-->".to_string()),
        Just("&lt;script&gt;".to_string()),
        "[a-zåäö <>\"'=/]{0,10}",
    ];
    prop::collection::vec(piece, 0..16).prop_map(|p| p.concat())
}

/// What a browser would run: script-capable elements, event handlers, code URLs.
fn unsafe_parts(html: &str) -> Vec<String> {
    let doc = Html::parse_fragment(html);
    let mut found = Vec::new();
    for el in doc.select(&Selector::parse("*").unwrap()) {
        let name = el.value().name();
        if matches!(
            name,
            "script" | "iframe" | "object" | "embed" | "style" | "svg" | "math" | "base" | "meta" | "link"
        ) {
            found.push(format!("<{name}>"));
        }
        for (attr, value) in el.value().attrs() {
            let url: String = value
                .trim_matches(|c: char| c <= ' ')
                .chars()
                .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                .collect::<String>()
                .to_ascii_lowercase();
            if attr.starts_with("on")
                || (matches!(attr, "href" | "src" | "action" | "formaction")
                    && ["javascript:", "vbscript:", "data:"].iter().any(|s| url.starts_with(s)))
            {
                found.push(format!("{attr}={value}"));
            }
        }
    }
    found
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn output_paths_never_escape(source in rel_path()) {
        let out = output_path(&source);
        prop_assert!(is_contained(&out), "{source:?} → {out:?}");
    }

    #[test]
    fn resolved_links_never_escape(dest in rel_path(), dir in "[a-zåäö]{1,5}(/[a-zåäö]{1,5}){0,3}") {
        for dest in [dest.clone(), format!("/{dest}"), format!("{dest}.md")] {
            match resolve(&dest, &dir).target {
                Target::Page { output, source, .. } | Target::Asset { output, source } => {
                    prop_assert!(is_contained(&output), "{dest:?} → {output:?}");
                    prop_assert!(!source.split('/').any(|s| s == ".." || s == "."), "{source:?}");
                }
                _ => {}
            }
        }
    }

    #[test]
    fn sanitised_output_holds_no_script(md in hostile_markdown()) {
        let html = render(&md, None).rendered.html;
        let found = unsafe_parts(&html);
        prop_assert!(found.is_empty(), "{md:?} gave {found:?} in {}", html);
    }

    #[test]
    fn cutting_long_blocks_changes_nothing(md in prop_oneof![hostile_markdown(), ordinary_markdown()], cut in 1usize..6) {
        let whole = render(&md, None);
        let cut = render(&md, Some(cut));
        prop_assert_eq!(format!("{whole:?}"), format!("{cut:?}"), "{:?}", md);
    }

    /// Nothing ordinary Markdown says is lost: every word of the input is in the page's text or
    /// its links, unless the page was refused with an error.
    #[test]
    fn no_word_of_ordinary_markdown_is_lost(md in ordinary_markdown()) {
        let result = render(&md, None);
        prop_assume!(!result.diagnostics.iter().any(|d| d.is_error()));
        let doc = Html::parse_fragment(&result.rendered.html);
        let mut shown: String = doc.root_element().text().collect::<Vec<_>>().join(" ");
        for element in doc.root_element().descendants().filter_map(scraper::ElementRef::wrap) {
            for (_, value) in element.value().attrs() {
                shown.push(' ');
                shown.push_str(value);
            }
        }
        // Soft hyphens in long words are invisible until a line breaks there.
        let shown = word_set(&shown.replace('\u{ad}', ""));
        // Markup, not words: the alert marker and the footnote's name become handbok's own.
        let markup = ["note", "ett", "abbr", "title"];
        let lost: Vec<String> = word_set(&md).into_iter().filter(|w| !shown.contains(w) && !markup.contains(&w.as_str())).collect();
        prop_assert!(lost.is_empty(), "{md:?} lost {lost:?} in {}", result.rendered.html);
    }

    #[test]
    fn slugs_are_stable(text in any::<String>()) {
        let slug = slugify(&text);
        prop_assert_eq!(&slug, &slugify(&text));
        prop_assert_eq!(&slug, &slugify(&slug), "a slug is its own slug");
        prop_assert!(slug.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'));
        prop_assert!(!slug.starts_with('-') && !slug.ends_with('-') && !slug.contains("--"));
    }
}

fn file_name() -> impl Strategy<Value = String> {
    "[a-zA-ZåäöÅÄÖ]{1,3}( [a-zA-ZåäöÅÄÖ]{1,2})?".prop_map(|s| s)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Two different files whose output paths are equal are always an error naming both; files
    /// with different output paths never are.
    #[test]
    fn collision_check_catches_every_equal_slug_pair(a in file_name(), b in file_name(), ext in prop_oneof![Just("md"), Just("MD"), Just("png")]) {
        prop_assume!(a != b);
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join("content");
        fs::create_dir_all(&content).unwrap();
        fs::write(content.join("site.yml"), "title: T\norganisation: O\n").unwrap();
        fs::write(content.join("index.md"), "---\ntitle: Start\n---\n").unwrap();
        let name_a = format!("{a}.md");
        let name_b = format!("{b}.{ext}");
        for name in [&name_a, &name_b] {
            fs::write(content.join(name), "---\ntitle: Sida\n---\n").unwrap();
        }
        let mut diags = Diagnostics::new();
        let loaded = handbok::content::load(&content, &mut diags);
        let collide = output_path(&name_a) == output_path(&name_b)
            || [&name_a, &name_b].iter().any(|n| output_path(n) == "index.html");
        let messages: Vec<String> = diags
            .iter()
            .map(|d| d.message.words(crate::support::english()))
            .collect();
        let collision = messages.iter().any(|m| m.contains("would both become"));
        prop_assert_eq!(collision, collide, "{} / {}: {:?}", name_a, name_b, messages);
        if collide {
            prop_assert!(loaded.is_some() && diags.has_errors());
            let named_both = messages.iter().any(|m| {
                (m.contains(&format!("`{name_a}`")) || m.contains("`index.md`"))
                    && (m.contains(&format!("`{name_b}`")) || m.contains("`index.md`"))
            });
            prop_assert!(named_both, "{:?}", messages);
        }
    }
}

/// Inputs the markdown fuzz target found, kept as regression tests.
#[test]
fn fuzz_findings_stay_fixed() {
    let found = [
        // A control character inside `javascript:` made the sanitiser treat it as relative.
        "<div class=\"a\"\nonclick=\"xfn\">\n<a href=\"java\u{e}script:x\">l</a><i<details>mg src=x onerror=y>\n</ript>\n",
        "<div class=\"a\"\nonclick=\"x\">\n<a href<!--=\"javascript:x\">l</a><img src=--=\"javascript:x\">l</a><img src=x onerror=y>\n</div>\n\nText <span title=\"ax onerror=y>\n</div>\n\nText <span title=\"a\">x</span> <script>alert(1)</script>\n",
        "<a href=\"java\u{e}script:x\">l</a>\n",
    ];
    for md in found {
        let rendered = render(md, None);
        assert!(
            unsafe_parts(&rendered.rendered.html).is_empty(),
            "{}",
            rendered.rendered.html
        );
        assert!(
            rendered.diagnostics.iter().any(|d| d.is_error()),
            "{md:?} must be refused"
        );
    }
}

/// Found by `cutting_long_blocks_changes_nothing`: a list of links cut into pieces counted as
/// text (only its first piece was seen to be a list of links), whole it was navigation.
#[test]
fn a_list_of_links_is_navigation_however_it_is_cut() {
    let md = "- [x](javascript:alert(1))";
    let whole = render(md, None);
    let cut = render(md, Some(1));
    assert_eq!(format!("{whole:?}"), format!("{cut:?}"));
}
