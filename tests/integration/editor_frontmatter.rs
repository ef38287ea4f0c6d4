//! The editor's page-information form has one front matter parser, the server's (issue 21,
//! item 16): a value typed into the form is written so that the build reads back exactly that
//! value (quotes, colons, `#`, leading and trailing spaces, å/ä/ö, several lines, words YAML
//! would take for something else); lines the form did not change stay byte for byte; and the
//! form shows what the build reads. Checked against `content::load_page` (what the build reads
//! every page with) and a whole build in memory.

use std::collections::BTreeMap;
use std::path::Path;

use handbok::content::load_page;
use handbok::editor::front_form::{read, write, WriteRequest};

use crate::support::TestSite;

/// The page the values are written into: a key the form does not show, a comment, a body.
const PAGE: &str = "---\ntitle: Start\n# Kommentar som ska stå kvar\nprint_pages: 1\nowner: HR\n---\n\nBrödtext.\n";

/// Values the old browser-side parser and a naive writer get wrong.
const TRICKY: [&str; 27] = [
    "Avtal: del 1",
    "\"citat\" och 'apostrof'",
    "'helt inom apostrofer'",
    "# inte en kommentar",
    "värde # med hash",
    "värde#utan mellanslag",
    "  inledande mellanslag",
    "avslutande mellanslag  ",
    "Åäö ÅÄÖ é – ”citat” ’enkla’",
    "två\nrader",
    "avslutad rad\n",
    "yes",
    "null",
    "~",
    "123",
    "2024-01-15",
    "- ser ut som en lista",
    "[hakparentes]",
    "{klammer}",
    "&ankare",
    "*stjärna",
    "!utropstecken",
    "| lodstreck",
    "> större än",
    "%procent @snabel `backtick`",
    "tab\ti mitten",
    "bakstreck \\ och \\n",
];

/// The text after the form changed `key` to `value`.
fn with_value(text: &str, key: &str, value: &str) -> String {
    let form = read(text);
    let changes: BTreeMap<String, String> = [(key.to_string(), value.to_string())].into();
    let written = write(&WriteRequest {
        yaml: form.yaml.clone(),
        front: form.front,
        changes,
        other: None,
    })
    .unwrap_or_else(|e| panic!("{key} = {value:?} was not written: {e:?}"));
    format!("---\n{}{}{}", written.yaml, form.close, form.body)
}

fn built_front(text: &str) -> handbok::content::frontmatter::FrontMatter {
    let (page, _, problem) = load_page(Path::new("content/sida.md"), "sida.md".into(), text.as_bytes().to_vec());
    assert!(problem.is_none(), "the build finds a problem in\n{text}\n{problem:?}");
    page.front
}

#[test]
fn tricky_values_round_trip_exactly_as_the_build_reads_them() {
    for value in TRICKY {
        for key in ["title", "description", "owner", "decided_by"] {
            let text = with_value(PAGE, key, value);
            let front = built_front(&text);
            let read_back = match key {
                "title" => Some(front.title.clone()),
                "description" => front.description.clone(),
                "owner" => front.owner.clone(),
                _ => front.decided_by.clone(),
            };
            assert_eq!(
                read_back.as_deref(),
                Some(value),
                "the build reads {key} back from\n{text}"
            );
            // The form shows what the build reads.
            assert_eq!(read(&text).values[key], value, "the form shows {key} from\n{text}");
            // Nothing else moved: the comment, the key the form does not show, the body.
            assert!(
                text.contains("\n# Kommentar som ska stå kvar\nprint_pages: 1\n"),
                "{text}"
            );
            assert!(text.ends_with("---\n\nBrödtext.\n"), "{text}");
            assert_eq!(front.print_pages, Some(1));
        }
    }
}

#[test]
fn an_unchanged_form_leaves_the_text_byte_for_byte() {
    let pages = [
        PAGE,
        "---\ntitle: 'It''s'   # kommentar på raden\ndescription: >\n  vikt\n  text\n\norder: 3\n...\nText\n",
        "---\r\ntitle: Windows\r\n---\r\nText\r\n",
        "---\ntitle: \"Citat: \\\"ja\\\"\"\ndecided: 2024-01-15\nyear_wheel:\n  - label: Lön\n    from: 1\n    to: 2\n---\n",
        "---\ntitle: Ingen kropp\n---",
        "# Ingen front matter\n",
    ];
    for page in pages {
        let form = read(page);
        let written = write(&WriteRequest {
            yaml: form.yaml.clone(),
            front: form.front,
            changes: form.values.clone(),
            other: Some(form.other.clone()),
        })
        .unwrap();
        let text = if written.front {
            format!("---\n{}{}{}", written.yaml, form.close, form.body)
        } else {
            form.body.clone()
        };
        assert_eq!(text, page.replace("\r\n", "\n"), "read then written unchanged");
    }
}

#[test]
fn the_form_shows_what_the_build_reads_for_every_way_of_writing_a_value() {
    let written = [
        ("title: \"Dubbla: \\\"citat\\\"\"\n", "Dubbla: \"citat\""),
        ("title: 'Enkla: ''citat'''\n", "Enkla: 'citat'"),
        ("title: Slut # en kommentar\n", "Slut"),
        ("title: |\n  Rad ett\n  Rad två\n", "Rad ett\nRad två\n"),
        ("title: >-\n  Vikt\n  rad\n", "Vikt rad"),
        ("title: Lång\n  fortsättning\n", "Lång fortsättning"),
        ("title: 0012\n", "0012"),
        ("title: Åsa Öberg\n", "Åsa Öberg"),
    ];
    for (yaml, expected) in written {
        let text = format!("---\n{yaml}---\nText\n");
        assert_eq!(built_front(&text).title, expected, "{yaml}");
        assert_eq!(read(&text).values["title"], expected, "{yaml}");
    }
}

#[test]
fn the_form_edits_a_whole_site_that_still_builds_and_a_cleared_title_is_reported() {
    let value = "Semester: \"regler\" # 2025 – åäö";
    let text = with_value(PAGE, "title", value);
    let site = TestSite::new().with("semester.md", &text);
    let built = site.in_memory();
    assert!(!built.diags.has_errors(), "{}", built.shown());
    let heading = crate::support::texts(&built.html("semester.html"), "main h1");
    // The site shows the title with the language's typographic quotes.
    assert_eq!(heading, vec!["Semester: ”regler” # 2025 – åäö".to_string()]);

    let cleared = with_value(PAGE, "title", "");
    assert!(!cleared.contains("title:"), "{cleared}");
    let (_, _, problem) = load_page(Path::new("content/sida.md"), "sida.md".into(), cleared.into_bytes());
    let problem = problem.expect("a page without a title is an error");
    assert_eq!(
        problem.line, 1,
        "reported at the top, which the editor shows at the title field"
    );
}
