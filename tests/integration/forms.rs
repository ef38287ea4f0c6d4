//! Form blocks: rendering (structure a screen reader and a keyboard user depend on, plus a
//! snapshot) and every validation error (line inside the block, the bad key, the allowed keys),
//! and the error as the editor sees it from `handbok check`: file and line in the Markdown file.

use handbok::form::{render, FormError};
use scraper::Html;

use crate::support::*;

fn ok(yaml: &str) -> Html {
    let form = render(yaml, 0, theme()).unwrap_or_else(|e| panic!("{e:?}"));
    Html::parse_fragment(&form.html)
}

/// A form problem worded in English, as the English tests and snapshots read it.
#[derive(Debug)]
struct Worded {
    line: usize,
    message: String,
    hint: Option<String>,
}

fn worded(e: FormError) -> Worded {
    Worded {
        line: e.line,
        message: e.message.words(english()),
        hint: e.hint.map(|h| h.words(english())),
    }
}

fn err(yaml: &str) -> Vec<Worded> {
    let errors = render(yaml, 0, theme()).expect_err("the block should be rejected");
    errors.into_iter().map(worded).collect()
}

/// The one error of a block, as `line: message [hint]` for compact assertions.
fn one(yaml: &str) -> Worded {
    let e = err(yaml);
    assert_eq!(e.len(), 1, "expected one error, got {e:#?}");
    e.into_iter().next().unwrap()
}

const EVERY_KIND: &str = r#"- note: Fylls i av medarbetare och chef tillsammans.
- text: Namn
  hint: För- och efternamn.
- date: Datum för samtalet
- period: Under perioden
  from: Från och med
  to: Till och med
- area: Mål för året
  lines: 5
- table: Genomförda insatser
  columns: [Insats, Datum, Kopplat mot fokusområde]
  rows: 2
- checkbox: Samtalet är genomfört
- group: Uppföljning
  fields:
    - text: Ansvarig
    - area: Anteckningar
      lines: 2
- signatures: [Underskrift medarbetare, Underskrift chef]
  date: Datum
"#;

#[test]
fn every_control_has_a_label() {
    let doc = ok(EVERY_KIND);
    let controls: Vec<_> = doc.select(&sel("input, textarea")).collect();
    assert_eq!(controls.len(), 1 + 1 + 2 + 1 + 6 + 1 + 1 + 1 + 1, "controls rendered");
    for c in controls {
        let id = c.value().attr("id").expect("every control has an id");
        let labelled = doc.select(&sel(&format!("label[for='{id}']"))).next().is_some()
            || c.value().attr("aria-label").is_some_and(|l| !l.trim().is_empty());
        assert!(labelled, "control #{id} has no label");
        assert_eq!(
            c.value().attr("name"),
            None,
            "no name: nothing is meant to be submitted"
        );
    }
    assert!(doc.select(&sel("form")).next().is_none(), "no <form> that could submit");
}

/// What a printed form needs from the markup: the signed part (notes around the signatures) in
/// one element the print style keeps on one page, hints for the screen only marked so, a short
/// field for a short answer, and date formats in labels rather than placeholders (which would
/// end up in the PDF's text).
#[test]
fn the_signed_part_is_one_block_and_print_only_gets_what_means_something_on_paper() {
    let doc = ok(r#"- area: "Följande handlingar följs upp:"
  hint: Fri text.
  print_hint: false
- note: (Vid eventuell revidering dokumenteras det ovan)
- signatures: [Underskrift medarbetare, Underskrift chef]
  date: Datum
- note: Original till den anställde och kopia till chef
- text: Överenskommelsen gäller året 20
  chars: 2
  hint: Skriv årets två sista siffror.
"#);
    let signing: Vec<_> = doc.select(&sel(".hb-form > .hb-signing")).collect();
    assert_eq!(signing.len(), 1);
    let parts: Vec<&str> = signing[0]
        .children()
        .filter_map(|c| c.value().as_element())
        .filter_map(|e| e.attr("class"))
        .collect();
    assert_eq!(parts, ["hb-note", "hb-field hb-signatures", "hb-note"]);
    assert_eq!(attrs(&doc, ".hb-area .hb-hint", "class"), ["hb-hint hb-screen-only"]);
    assert_eq!(attrs(&doc, ".hb-short .hb-hint", "class"), ["hb-hint"]);
    assert_eq!(attrs(&doc, ".hb-text.hb-short", "style"), ["--chars: 2"]);
    assert_eq!(texts(&doc, ".hb-sign-date .hb-format"), ["(ÅÅÅÅ-MM-DD)"]);
    assert_eq!(count(&doc, "[placeholder]"), 0);
    // A short field's hint follows the field, which sits on the label's line.
    let short: Vec<String> = doc
        .select(&sel(".hb-short > *"))
        .map(|e| e.value().name().to_string())
        .collect();
    assert_eq!(short, ["label", "input", "p"]);
}

#[test]
fn print_hint_and_chars_are_checked() {
    let e = one("- area: Mål\n  print_hint: nej\n");
    assert_eq!(
        (e.line, e.message.as_str()),
        (2, "`print_hint` must be `true` or `false`")
    );
    let e = one("- text: Året 20\n  chars: 0\n");
    assert_eq!(
        (e.line, e.message.as_str()),
        (2, "`chars` must be a whole number from 1 to 40, not `0`")
    );
}

#[test]
fn ids_are_unique() {
    let doc = ok(EVERY_KIND);
    let ids: Vec<&str> = doc.select(&sel("[id]")).filter_map(|e| e.value().attr("id")).collect();
    // Every control has an id its label points at: one per field, period end, table cell,
    // checkbox, group field and signature date at least.
    let controls = doc.select(&sel("input, textarea, select")).count();
    assert!(controls >= 10, "the form of every kind has its controls: {controls}");
    assert!(ids.len() >= controls, "every control has an id: {ids:?}");
    for expected in [
        "f1-namn",
        "f1-namn-hjalp",
        "f1-datum-for-samtalet",
        "f1-under-perioden-fran",
        "f1-under-perioden-till",
        "f1-mal-for-aret",
        "f1-genomforda-insatser-r2-k3",
        "f1-samtalet-ar-genomfort",
        "f1-ansvarig",
        "f1-anteckningar",
        "f1-underskrift-medarbetare-datum",
    ] {
        assert!(ids.contains(&expected), "no #{expected} in {ids:?}");
    }
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "an id repeats: {ids:?}");
    for label in doc.select(&sel("label[for]")) {
        let target = label.value().attr("for").unwrap();
        assert!(ids.contains(&target), "label for #{target} has no control: {ids:?}");
    }
}

#[test]
fn tables_groups_and_periods_are_structured() {
    let doc = ok(EVERY_KIND);
    let th: Vec<String> = doc
        .select(&sel("table.hb-table thead th[scope=col]"))
        .map(|e| e.text().collect())
        .collect();
    // Column headings are narrow on a phone: long words get soft hyphens (U+00AD).
    assert_eq!(
        th,
        ["Insats", "Datum", "Kopp\u{ad}lat mot fo\u{ad}kus\u{ad}om\u{ad}råde"]
    );
    assert_eq!(doc.select(&sel("table.hb-table tbody tr")).count(), 2);
    let caption: String = doc.select(&sel("table caption")).next().unwrap().text().collect();
    assert_eq!(caption, "Genomförda insatser");
    let cell = doc
        .select(&sel("tbody tr:nth-child(2) td:nth-child(2) textarea"))
        .next()
        .unwrap();
    assert_eq!(cell.value().attr("aria-label"), Some("Datum, rad 2"));
    let legends: Vec<String> = doc
        .select(&sel("fieldset > legend"))
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(legends, ["Under perioden", "Uppföljning"]);
    let area = doc.select(&sel("textarea#f1-mal-for-aret")).next().unwrap();
    assert_eq!(area.value().attr("rows"), Some("5"));
}

#[test]
fn hints_are_tied_to_their_control() {
    let doc = ok(EVERY_KIND);
    let input = doc.select(&sel("input#f1-namn")).next().unwrap();
    let described = input.value().attr("aria-describedby").unwrap();
    let hint: String = doc
        .select(&sel(&format!("#{described}")))
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(hint, "För- och efternamn.");
}

#[test]
fn signatures_sit_in_one_row_with_captions() {
    let doc = ok(EVERY_KIND);
    let captions: Vec<String> = doc
        .select(&sel(".hb-signatures .hb-sign-row .hb-signature .hb-caption"))
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(captions, ["Underskrift medarbetare", "Underskrift chef"]);
    assert!(doc.select(&sel(".hb-signatures .hb-sign-date input")).next().is_some());
}

#[test]
fn first_form_on_a_page_says_nothing_is_stored_and_has_hidden_buttons() {
    let doc = ok("- text: Namn\n");
    let note: String = doc.select(&sel(".hb-privacy")).next().unwrap().text().collect();
    assert!(note.contains("sparas inte och skickas ingenstans"), "{note}");
    let bar = doc.select(&sel(".hb-buttons")).next().unwrap();
    assert!(
        bar.value().attr("hidden").is_some(),
        "buttons hidden until JavaScript runs"
    );
    let buttons: Vec<String> = doc
        .select(&sel(".hb-buttons button[type=button]"))
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(buttons, ["Skriv ut", "Töm formuläret"]);
    let second = Html::parse_fragment(&render("- text: Namn\n", 1, theme()).unwrap().html);
    assert!(second.select(&sel(".hb-privacy")).next().is_none());
}

#[test]
fn labels_are_escaped_and_use_swedish_quotes() {
    let doc = ok("- text: 'Namn <b>\"fet\"</b>'\n");
    let label: String = doc.select(&sel("label")).next().unwrap().text().collect();
    assert_eq!(label, "Namn <b>”fet”</b>");
    assert!(doc.select(&sel("b")).next().is_none());
}

#[test]
fn snapshot_of_every_kind() {
    insta::assert_snapshot!(render(EVERY_KIND, 0, theme()).unwrap().html);
}

// ----- every error ------------------------------------------------------------------------

#[test]
fn error_invalid_yaml() {
    let e = one("- text: Namn\n- area: [oops\n");
    assert!(e.message.starts_with("invalid YAML"), "{}", e.message);
    assert!(e.line >= 2);
}

#[test]
fn error_empty_block() {
    let e = one("");
    assert_eq!((e.line, e.message.as_str()), (1, "the form block is empty"));
    assert!(e.hint.unwrap().contains("text, date, period"));
}

#[test]
fn error_not_a_list() {
    let e = one("text: Namn\n");
    assert_eq!(e.message, "a form block must be a YAML list of fields");
}

#[test]
fn error_item_not_a_mapping() {
    let e = one("- text: Namn\n- Datum\n");
    assert_eq!(e.message, "`Datum` is not a field: a field is `kind: label`");
    assert!(e.hint.unwrap().contains("- text: Datum"));
}

#[test]
fn error_key_not_a_word() {
    let e = one("- 12: Namn\n");
    assert!(e.message.contains("must be a word"), "{}", e.message);
}

#[test]
fn error_unknown_kind_suggests_the_closest() {
    let e = one("- text: Namn\n- txt: Datum\n");
    assert_eq!(e.line, 2);
    assert_eq!(e.message, "unknown field kind `txt`");
    let hint = e.hint.unwrap();
    assert!(hint.starts_with("did you mean `text`?"), "{hint}");
    assert!(hint.contains("signatures, group"), "{hint}");
}

#[test]
fn error_two_kinds() {
    let e = one("- text: Namn\n  area: Mål\n");
    assert_eq!(e.line, 2);
    assert!(e.message.contains("both `text` and `area`"), "{}", e.message);
}

#[test]
fn error_unknown_key_names_allowed_keys() {
    let e = one("- text: Namn\n- area: Mål\n  lins: 3\n");
    assert_eq!(e.line, 3);
    assert_eq!(e.message, "unknown key `lins` in this `area` field");
    assert_eq!(
        e.hint.unwrap(),
        "did you mean `lines`? Allowed keys for `area`: area, lines, id, hint, print_hint"
    );
}

#[test]
fn error_unknown_key_without_a_close_match() {
    let e = one("- checkbox: Klar\n  colour: red\n");
    assert_eq!(
        e.hint.unwrap(),
        "allowed keys for `checkbox`: checkbox, id, hint, print_hint"
    );
}

#[test]
fn error_missing_label() {
    let e = one("- text:\n");
    assert_eq!(e.message, "`text` needs a label: the words shown with the field");
    let e = one("- table: ''\n  columns: [A]\n");
    assert_eq!(e.message, "`table` needs a caption naming the table");
}

#[test]
fn error_option_must_be_text() {
    let e = one("- period: Under perioden\n  from: [a, b]\n");
    assert_eq!(e.line, 2);
    assert_eq!(e.message, "`from` must be text");
}

#[test]
fn error_lines_out_of_range() {
    let e = one("- area: Mål\n  lines: 0\n");
    assert_eq!(e.line, 2);
    assert_eq!(e.message, "`lines` must be a whole number from 1 to 40, not `0`");
    let e = one("- area: Mål\n  lines: många\n");
    assert!(e.message.ends_with("not `många`"), "{}", e.message);
}

#[test]
fn error_rows_not_a_number() {
    let e = one("- table: T\n  columns: [A]\n  rows: 2.5\n");
    assert_eq!(e.line, 3);
    assert!(e.message.starts_with("`rows` must be a whole number"), "{}", e.message);
}

#[test]
fn error_table_without_columns() {
    let e = one("- table: T\n  rows: 2\n");
    assert_eq!(e.line, 1);
    assert_eq!(e.message, "a `table` needs `columns`: the column headings");
}

#[test]
fn error_bad_columns() {
    let e = one("- table: T\n  columns: []\n");
    assert_eq!(e.line, 2);
    assert_eq!(e.message, "`columns` must be a list of 1 to 8 column headings");
    let e = one("- table: T\n  columns: [a, b, c, d, e, f, g, h, i]\n");
    assert_eq!(e.message, "`columns` must be a list of 1 to 8 column headings");
}

#[test]
fn error_bad_signatures() {
    let e = one("- signatures: Underskrift\n");
    assert_eq!(
        e.message,
        "`signatures` must be a list of 1 to 4 captions, one per signature line"
    );
}

#[test]
fn error_group_without_fields() {
    let e = one("- group: G\n");
    assert_eq!(e.message, "a `group` needs `fields`: a list of the fields inside it");
}

#[test]
fn error_nested_group() {
    let e = one("- group: G\n  fields:\n    - group: H\n      fields:\n        - text: A\n");
    assert_eq!(e.line, 3);
    assert_eq!(e.message, "a group cannot contain another group");
}

#[test]
fn error_bad_id() {
    let e = one("- text: Namn\n  id: Mitt Namn\n");
    assert_eq!(e.line, 2);
    assert_eq!(e.message, "`id` `Mitt Namn` is not a usable id");
}

#[test]
fn error_duplicate_id() {
    let e = one("- text: A\n  id: x\n- text: B\n  id: x\n");
    assert_eq!(e.line, 4);
    assert_eq!(e.message, "the id `x` is used by two fields");
}

#[test]
fn every_problem_is_reported_at_once() {
    let e = err("- txt: A\n- area: B\n  lins: 2\n- table: C\n");
    let lines: Vec<usize> = e.iter().map(|e| e.line).collect();
    assert_eq!(lines, [1, 3, 4]);
}

#[test]
fn snapshot_of_the_errors() {
    let e = err("- txt: A\n- area: B\n  lins: 2\n- table: C\n  rows: 0\n- signatures: [A, B]\n  date: [x]\n");
    let shown: Vec<String> = e
        .iter()
        .map(|e| format!("{}: {} (hint: {})", e.line, e.message, e.hint.as_deref().unwrap_or("-")))
        .collect();
    insta::assert_snapshot!(shown.join("\n"));
}

/// The editor's view: `handbok check` names the Markdown file and the line inside it.
#[test]
fn check_reports_file_and_line_of_the_bad_key() {
    let run = TestSite::new()
        .with(
            "index.md",
            "---\ntitle: Start\n---\n\nText.\n\n```form\n- text: Namn\n- area: Mål\n  lins: 3\n```\n",
        )
        .check();
    let stderr = run.stderr;
    assert_eq!(run.code, 1, "{stderr}");
    assert!(
        stderr.contains("content/index.md:10:") || stderr.contains("index.md:10:"),
        "names the file and line 10: {stderr}"
    );
    assert!(stderr.contains("unknown key `lins` in this `area` field"), "{stderr}");
    assert!(stderr.contains("did you mean `lines`?"), "{stderr}");
}
