//! Markdown as people write it (issue 13), one test per behaviour: typography that never
//! touches code and spells a text the same everywhere, e-mail and phone links, checklists, note
//! boxes, definition lists, footnotes, link targets, names in any script, and nothing lost
//! without a diagnostic.

use std::collections::BTreeSet;

use crate::support::*;

const SITE: &str = "title: Personalhandbok\norganisation: Testkommun\naccessibility:\n  status: partial\n  contact: HR-avdelningen\n  known_gaps: []\n  assessment: Egen granskning.\n  assessed: 2026-01-01\n  reviewed: 2026-01-01\n";

fn page(body: &str) -> TestSite {
    TestSite::files(&[
        ("site.yml", SITE),
        ("index.md", &format!("---\ntitle: Start\n---\n{body}")),
    ])
}

#[test]
fn typography_never_touches_code() {
    let built = page(
        "Text med \"citat\" och 'apostrof' och “Word”.\n\nInline `let s = \"hej\";`\n\n\
         ```rust\nlet s = \"hej\"; fn f<'a>(x: &'a str) {}\n```\n\n    indenterad \"kod\" 'x'\n",
    )
    .in_memory();
    let doc = built.html("index.html");
    assert_eq!(
        texts(&doc, "main .content p")[0],
        "Text med ”citat” och ’apostrof’ och ”Word”."
    );
    assert_eq!(texts(&doc, "main .content p code"), ["let s = \"hej\";"]);
    let blocks = texts(&doc, "main pre code");
    assert_eq!(
        blocks,
        ["let s = \"hej\"; fn f<'a>(x: &'a str) {}", "indenterad \"kod\" 'x'"]
    );
}

#[test]
fn english_sites_get_english_quotes() {
    let built = TestSite::files(&[
        ("site.yml", "title: Handbook\norganisation: Council\nlanguage: en\naccessibility:\n  status: partial\n  contact: HR-avdelningen\n  known_gaps: []\n  assessment: Egen granskning.\n  assessed: 2026-01-01\n  reviewed: 2026-01-01\n"),
        (
            "index.md",
            "---\ntitle: The \"new\" rules\n---\nShe said \"it's 'fine'\" (\"really\").\n",
        ),
    ])
    .in_memory();
    let doc = built.html("index.html");
    assert_eq!(texts(&doc, "h1"), ["The “new” rules"]);
    assert_eq!(texts(&doc, "main .content p"), ["She said “it’s ‘fine’” (“really”)."]);
}

/// A title or heading with quotes is spelt the same in the h1, <title>, contents list,
/// breadcrumbs, menu, print header and search index.
#[test]
fn one_spelling_of_a_text_everywhere() {
    let built = TestSite::files(&[
        ("site.yml", SITE),
        ("index.md", "---\ntitle: Start\n---\nSe [policyn](policy/index.md).\n"),
        ("policy/index.md", "---\ntitle: Policy \"Lön\"\n---\nOm lön.\n"),
        (
            "policy/sida.md",
            "---\ntitle: Sidan 'ett'\n---\n## Rubrik \"ett\"\n\nA\n\n## Två\n\nB\n\n## Tre\n\nC\n",
        ),
    ])
    .in_memory();
    let doc = built.html("policy/sida.html");
    assert_eq!(texts(&doc, "h1"), ["Sidan ’ett’"]);
    assert_eq!(texts(&doc, "title"), ["Sidan ’ett’ – Personalhandbok"]);
    assert_eq!(
        texts(&doc, "main .content h2")[0],
        "#Rubrik ”ett”",
        "the anchor, then the text"
    );
    assert_eq!(texts(&doc, "nav.toc li")[0], "Rubrik ”ett”");
    assert_eq!(texts(&doc, "nav.breadcrumbs li a"), ["Start", "Policy ”Lön”"]);
    assert!(texts(&doc, "nav#navigering a").contains(&"Policy ”Lön”".to_string()));
    let style: String = doc
        .select(&sel("head style"))
        .map(|s| s.text().collect::<String>())
        .collect();
    assert!(style.contains("Sidan ’ett’"), "print header: {style}");
    let index = String::from_utf8(built.built.as_ref().unwrap().files["assets/search-index.js"].clone()).unwrap();
    assert!(index.contains("Sidan ’ett’") && index.contains("Rubrik ”ett”") && !index.contains("\\\"ett\\\""));
}

#[test]
fn e_mail_and_phone_links_work() {
    let built = page("Skriv till <hr@kommun.se>, [mejla](mailto:a@b.se) eller [ring](tel:+4632212345).\n").in_memory();
    assert!(built.diags.is_empty(), "{}", built.shown());
    let doc = built.html("index.html");
    assert_eq!(
        attrs(&doc, "main .content a", "href"),
        ["mailto:hr@kommun.se", "mailto:a@b.se", "tel:+4632212345"]
    );
}

#[test]
fn checklists_are_real_labelled_checkboxes() {
    let built = page("- [ ] Boka rum\n- [x] Skicka **kallelse**\n\n1. [ ] Numrerad\n").in_memory();
    let doc = built.html("index.html");
    let boxes = doc
        .select(&sel("main input[type=checkbox].uppgift"))
        .collect::<Vec<_>>();
    assert_eq!(boxes.len(), 3);
    for b in &boxes {
        assert!(b.value().attr("disabled").is_none(), "can be ticked on screen");
        let id = b.value().attr("id").unwrap();
        assert_eq!(count(&doc, &format!("label[for='{id}']")), 1, "{id} has a label");
    }
    assert_eq!(attrs(&doc, "main input.uppgift[checked]", "id").len(), 1);
    assert_eq!(
        texts(&doc, "main label.uppgift-text"),
        ["Boka rum", "Skicka kallelse", "Numrerad"]
    );
    assert_eq!(count(&doc, "main form"), 0, "nothing can be sent");
}

#[test]
fn note_boxes_are_labelled_in_the_sites_language() {
    let body = "> [!NOTE]\n> A\n\n> [!TIP]\n> B\n\n> [!IMPORTANT]\n> C\n\n> [!WARNING]\n> D\n\n> [!CAUTION]\n> E\n";
    let doc = page(body).in_memory().html("index.html");
    assert_eq!(
        texts(&doc, ".callout .callout-title"),
        ["Observera", "Tips", "Viktigt", "Varning", "Se upp"]
    );
    assert_eq!(attrs(&doc, ".callout", "role"), ["note"; 5]);
    assert_eq!(texts(&doc, ".callout-warning p:not(.callout-title)"), ["D"]);
    let english = TestSite::files(&[
        ("site.yml", "title: H\norganisation: C\nlanguage: en\naccessibility:\n  status: partial\n  contact: HR-avdelningen\n  known_gaps: []\n  assessment: Egen granskning.\n  assessed: 2026-01-01\n  reviewed: 2026-01-01\n"),
        ("index.md", &format!("---\ntitle: Start\n---\n{body}")),
    ])
    .in_memory()
    .html("index.html");
    assert_eq!(
        texts(&english, ".callout-title"),
        ["Note", "Tip", "Important", "Warning", "Caution"]
    );
}

#[test]
fn definition_lists_for_terms() {
    let doc = page("Sjuklön\n: Lön dag 2–14.\n\nKarensavdrag\n: Ett avdrag.\n")
        .in_memory()
        .html("index.html");
    assert_eq!(texts(&doc, "main dl dt"), ["Sjuklön", "Karensavdrag"]);
    assert_eq!(texts(&doc, "main dl dd"), ["Lön dag 2–14.", "Ett avdrag."]);
}

/// Footnotes come last under their heading, with links back; their ids are valid and never
/// take a heading's or the theme's id (`[^innehall]` is `<main id="innehall">`'s name).
#[test]
fn footnotes_are_gathered_with_unique_ids() {
    let built = page(
        "## Not\n\nText[^innehall] och mer[^not] och igen[^innehall].\n\n[^not]: Andra noten.\n[^innehall]: Första noten.\n\n## Fotnoter\n\nSlut.\n",
    )
    .in_memory();
    assert!(built.diags.is_empty(), "{}", built.shown());
    let doc = built.html("index.html");
    let ids: Vec<String> = attrs(&doc, "[id]", "id");
    let unique: BTreeSet<&String> = ids.iter().collect();
    assert_eq!(ids.len(), unique.len(), "ids are unique: {ids:?}");
    assert!(ids.iter().all(|id| !id.contains(' ')));
    assert_eq!(texts(&doc, ".fotnoter li"), ["Första noten. ↩1 ↩2", "Andra noten. ↩"]);
    // Every reference leads to its note, and every back-link to a reference.
    for href in attrs(&doc, "sup.fotnot-ref a", "href")
        .iter()
        .chain(&attrs(&doc, "a.fotnot-tillbaka", "href"))
    {
        assert_eq!(count(&doc, href), 1, "{href}");
    }
    let section_heading = attrs(&doc, ".fotnoter h2", "id")[0].clone();
    assert_ne!(
        section_heading, "fotnoter-2",
        "the section was named before the later heading"
    );
    assert_eq!(
        texts(&doc, "main .content > h2"),
        ["#Not", "#Fotnoter"],
        "the anchor, then the text"
    );
}

/// Ids that raw HTML, form fields and footnotes set are link targets.
#[test]
fn ids_from_raw_html_forms_and_footnotes_are_link_targets() {
    let built = TestSite::fixture("valid/markdown").in_memory();
    assert!(built.diags.iter().all(|d| !d.is_error()), "{}", built.shown());
    let doc = built.html("index.html");
    assert_eq!(count(&doc, "#eget-ankare"), 1);
    let broken = page("[x](#finns-inte) och <a id=\"finns\">y</a> [z](#finns)\n").in_memory();
    assert_eq!(broken.diags.error_count(), 1, "{}", broken.shown());
}

#[test]
fn links_keep_query_and_fragment_and_an_empty_destination_stays_empty() {
    let built = TestSite::files(&[
        ("site.yml", SITE),
        (
            "index.md",
            "---\ntitle: Start\n---\n[a](bilaga.pdf#page=2) [b](sida.md?utskrift#mal) [c]()\n",
        ),
        ("sida.md", "---\ntitle: Sida\n---\n## Mål {#mal}\n"),
    ])
    .with("bilaga.pdf", "%PDF")
    .in_memory();
    assert!(built.diags.iter().all(|d| !d.is_error()), "{}", built.shown());
    let doc = built.html("index.html");
    assert_eq!(
        attrs(&doc, "main .content a", "href"),
        ["bilaga.pdf#page=2", "sida.html?utskrift#mal", ""]
    );
}

/// Names in any script give distinct, stable web names; a clash says why.
#[test]
fn file_names_in_any_script_get_distinct_names() {
    let built = TestSite::files(&[
        ("site.yml", SITE),
        (
            "index.md",
            "---\ntitle: Start\n---\n[a](Привет.md) [b](Пока.md) [c](مرحبا.md)\n",
        ),
        ("Привет.md", "---\ntitle: Привет\n---\nx\n"),
        ("Пока.md", "---\ntitle: Пока\n---\ny\n"),
        ("مرحبا.md", "---\ntitle: مرحبا\n---\nz\n"),
    ])
    .in_memory();
    assert!(built.diags.iter().all(|d| !d.is_error()), "{}", built.shown());
    let pages = built.pages();
    assert!(
        pages.contains_key("privet.html") && pages.contains_key("poka.html"),
        "{:?}",
        pages.keys()
    );
    // Three pages in three scripts, the start page, the statement and the print view.
    assert_eq!(pages.len(), 6, "{:?}", pages.keys());
    let clash = TestSite::files(&[
        ("site.yml", SITE),
        ("index.md", "---\ntitle: Start\n---\nx\n"),
        ("Привет.md", "---\ntitle: A\n---\n"),
        ("privet.md", "---\ntitle: B\n---\n"),
    ])
    .in_memory();
    let shown = clash.shown();
    assert!(shown.contains("would both become `privet.html`"), "{shown}");
    assert!(
        shown.contains("other scripts") || shown.contains("transliterat"),
        "the hint names the cause: {shown}"
    );
}

#[test]
fn links_that_differ_from_the_file_in_case_or_accents_are_errors() {
    let built = TestSite::files(&[
        ("site.yml", SITE),
        (
            "index.md",
            "---\ntitle: Start\n---\n[a](Ledighet.md) [b](ledighet.md)\n",
        ),
        ("ledighet.md", "---\ntitle: Ledighet\n---\nx\n"),
    ])
    .in_memory();
    assert_eq!(
        built.headlines(),
        ["content/index.md:4:1: error: the link names `Ledighet.md`, but the file is `ledighet.md`"]
    );
    assert!(built.shown().contains("write `ledighet.md`"));
}

/// No input text disappears without a diagnostic: a tag or comment that is never closed
/// swallowed the rest of its block with exit 0.
#[test]
fn an_unclosed_tag_or_comment_is_an_error_not_lost_text() {
    for (body, line, what) in [
        (
            "Före.\n\n<div class=\"note\"\nText som försvann.\n",
            6,
            "never closed with `>`",
        ),
        (
            "Före.\n\n<!-- anteckning\nText som gömdes.\n",
            6,
            "never closed with `-->`",
        ),
    ] {
        let built = page(body).in_memory();
        let heads = built.headlines();
        assert_eq!(heads.len(), 1, "{}", built.shown());
        assert!(heads[0].starts_with(&format!("content/index.md:{line}")), "{heads:?}");
        assert!(heads[0].contains(what), "{heads:?}");
    }
}

#[test]
fn copied_files_that_could_run_code_are_refused() {
    let built = TestSite::new()
        .with(
            "bild.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\">\n<script>alert(1)</script></svg>",
        )
        .with(
            "logga.svg",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\" height=\"1\"/></svg>",
        )
        .with("sida.html", "<p onclick=\"x()\">Hej</p>")
        .with("skript.js", "alert(1)")
        .in_memory();
    let heads = built.headlines();
    assert_eq!(heads.len(), 3, "{}", built.shown());
    assert!(
        heads[0].starts_with("content/bild.svg:2: error: the SVG element `<script>`"),
        "{heads:?}"
    );
    assert!(
        heads[1].starts_with("content/sida.html:1: error: raw HTML attribute `onclick`"),
        "{heads:?}"
    );
    assert!(
        heads[2].starts_with("content/skript.js: error: a script file"),
        "{heads:?}"
    );
}

#[test]
fn invisible_characters_from_word_are_named() {
    let zwsp = '\u{200B}';
    let built = TestSite::files(&[
        ("site.yml", SITE),
        (
            "index.md",
            &format!("---\ntitle: Lön{zwsp}er\n---\n## Sjuk{zwsp}lön\n\n[a](ledig{zwsp}het.md) [b](#sjuklon)\n"),
        ),
        ("ledighet.md", "---\ntitle: Ledighet\n---\n"),
    ])
    .in_memory();
    let shown = built.shown();
    assert!(
        shown.contains(
            "content/index.md:2: warning: the title contains the invisible character U+200B (zero-width space)"
        ),
        "{shown}"
    );
    assert!(
        shown.contains("content/index.md:4:1: warning: the heading contains the invisible character U+200B"),
        "{shown}"
    );
    assert!(shown.contains("content/index.md:6:1: error: the link target `ledig\u{200B}het.md` contains the invisible character U+200B"), "{shown}");
    // The heading's id lost the character, so `#sjuklon` is found.
    assert!(built.headlines().iter().all(|h| !h.contains("#sjuklon")), "{shown}");
}

#[test]
fn errors_find_the_answer() {
    let built = TestSite::files(&[
        ("site.yml", SITE),
        (
            "index.md",
            "---\ntitle: Start\n---\n[a](samtalsguiden.md) [b](ledighet/) [c](ledighet.md#semestr)\n",
        ),
        ("samtalsguide.md", "---\ntitle: Samtalsguide\n---\n"),
        (
            "ledighet.md",
            "---\ntitle: Ledighet\n---\n## Semester\n\n## Föräldraledighet\n\n## Tjänstledighet\n",
        ),
    ])
    .in_memory();
    let shown = built.shown();
    assert!(shown.contains("hint: did you mean `samtalsguide.md`?"), "{shown}");
    assert!(
        shown.contains("does not exist: `ledighet/`") && shown.contains("did you mean `ledighet.md`?"),
        "{shown}"
    );
    assert!(!shown.contains("`index.md`"), "never the start page: {shown}");
    assert!(
        shown.contains("did you mean `#semester`? Anchors on that page: #semester,"),
        "{shown}"
    );
}

#[test]
fn front_matter_mistakes_say_what_to_do() {
    let unclosed = page("")
        .with("sida.md", "---\ntitle: Sida\nText utan avslutande rad.\n")
        .in_memory();
    assert!(
        unclosed
            .shown()
            .contains("content/sida.md:1:1: error: the front matter's closing `---` line is missing"),
        "{}",
        unclosed.shown()
    );
    let tab = page("")
        .with("sida.md", "---\ntitle: Sida\nprint_with:\n\t- a.md\n---\n")
        .in_memory();
    assert!(
        tab.shown()
            .contains("content/sida.md:4:1: error: front matter has a tab character"),
        "{}",
        tab.shown()
    );
    assert!(tab.shown().contains("replace the tab with spaces"));
}

#[test]
fn a_second_level_one_heading_is_a_warning() {
    let built = page("# Rubrik igen\n\nText.\n").in_memory();
    assert_eq!(
        built.headlines(),
        ["content/index.md:4:1: warning: a level 1 heading (`#`) in the text: the page's title is already its level 1 heading"]
    );
}

/// `[^namn]` with no note of that name is told, wherever in a long block it stands (the
/// rewriter looks only at blocks with a `[` in their text); written `\[^namn]` it is not.
#[test]
fn a_footnote_reference_without_a_note_is_a_warning() {
    let mut items = String::new();
    for i in 0..3000 {
        items.push_str(&format!("- punkt {i}\n"));
    }
    let built = page(&format!(
        "Första stycket.\n\n{items}- sista punkten[^saknas]\n\nOm \\[^klamrar] som text.\n"
    ))
    .in_memory();
    let headlines = built.headlines();
    assert_eq!(headlines.len(), 1, "{headlines:?}");
    assert!(
        headlines[0].contains("`[^saknas]` looks like a footnote, but the page has no footnote called `saknas`"),
        "{headlines:?}"
    );
}
