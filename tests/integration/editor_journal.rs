//! Operations over several files through the editor's server: a rename (its link rewrites and
//! the page's new name) is all or nothing when any file fails at staging or at commit (the
//! journal's fault seam), undo takes back a rename or a move as a whole and is refused, naming
//! the files, when one of them changed since, and a rename changes only real links (never the
//! old name in code, a code block or an autolink).

use std::collections::BTreeMap;

use handbok::editor::journal::{Faults, Phase};
use handbok::serve::{ServeOptions, Server};
use pulldown_cmark::{Event, Parser, Tag};
use serde_json::{json, Value};

use crate::editor::{call, version};
use crate::support::TestSite;

const SEMESTER: &str = "---\ntitle: Semester\norder: 1\n---\n\n## Regler\n\n\
Se [den här sidan](semester.md \"Semester\") och skriv `[x](semester.md)` i kod.\n\n\
```\n[länk](semester.md)\n```\n\n    [indrag](semester.md)\n\n\
Mer på <https://example.se/semester.md>.\n\n[ref]: semester.md\n";

fn start() -> (TestSite, Server) {
    start_with(Faults::default())
}

/// The site, served with the journal failing where `faults` say.
fn start_with(faults: Faults) -> (TestSite, Server) {
    let site = TestSite::files(&[
        ("site.yml", "title: Testhandbok\norganisation: Testkommun\n"),
        (
            "index.md",
            "---\ntitle: Startsida\n---\n\nLäs [semesterregler](semester.md#regler).\n",
        ),
        (
            "a/index.md",
            "---\ntitle: Avsnitt\n---\n\nSe [semestern][s].\n\n[s]: ../semester.md\n",
        ),
        ("semester.md", SEMESTER),
        (
            "ledighet.md",
            "---\ntitle: Ledighet\norder: 2\nprint_with: [semester.md]\n---\n\n\
             Om [semester](<semester.md>) och [ledighet](ledighet.md).\n",
        ),
    ]);
    let mut options = ServeOptions::new(site.options());
    options.port = Some(0);
    options.verbose = false;
    options.faults = faults;
    let server = Server::start(options).expect("server starts");
    (site, server)
}

/// Every file of the content folder but the editor's own `.handbok/`, path → bytes.
fn content(site: &TestSite) -> BTreeMap<String, Vec<u8>> {
    let mut files = site.tree("content");
    files.retain(|path, _| !path.starts_with(".handbok"));
    files
}

/// Plan the rename of `semester.md` to `semesterregler.md` and apply that plan.
fn rename(server: &Server) -> (u16, Value) {
    let plan = call(
        server,
        "rename/plan",
        json!({"source": "semester.md", "name": "semesterregler"}),
    );
    assert_eq!(plan.status, 200, "{}", plan.body);
    let edits = plan.json()["edits"].clone();
    let done = call(
        server,
        "rename",
        json!({"source": "semester.md", "name": "semesterregler", "edits": edits}),
    );
    (done.status, done.json())
}

#[test]
fn a_rename_that_fails_at_any_file_leaves_every_file_as_it_was() {
    // Commit order: a/index.md, index.md, ledighet.md, semester.md removed, semesterregler.md.
    for (file, phase) in [
        ("index.md", Phase::Commit),
        ("ledighet.md", Phase::Stage),
        ("semesterregler.md", Phase::Commit),
    ] {
        let (site, server) = start_with(Faults::default().fail(file, phase));
        let before = content(&site);
        let (status, answer) = rename(&server);
        assert_eq!(status, 500, "{file}: {answer}");
        assert_eq!(answer["error"], "editor_journal_failed", "{answer}");
        assert_eq!(answer["files"], json!([file]));
        assert_eq!(
            answer["message"],
            format!("Ingenting ändrades: {file} kunde inte skrivas. Alla filer är som de var före.")
        );
        // Byte for byte, with no temporary file left beside any page.
        assert_eq!(content(&site), before, "{file} at {phase:?}");
        server.stop();
    }
}

#[test]
fn a_rename_changes_only_real_links() {
    let (site, server) = start();
    let (status, answer) = rename(&server);
    assert_eq!(status, 200, "{answer}");
    let read = |rel: &str| std::fs::read_to_string(site.path(&format!("content/{rel}"))).unwrap();
    let page = read("semesterregler.md");
    // Links (inline with a title, a reference definition) follow; code, code blocks and the
    // autolink keep the old name as text.
    assert_eq!(links(&page), ["semesterregler.md", "https://example.se/semester.md"]);
    assert_eq!(
        code(&page),
        ["[x](semester.md)", "[länk](semester.md)\n", "[indrag](semester.md)\n"]
    );
    assert_eq!(
        page,
        SEMESTER
            .replace("[den här sidan](semester.md", "[den här sidan](semesterregler.md")
            .replace("[ref]: semester.md", "[ref]: semesterregler.md")
    );
    assert_eq!(links(&read("index.md")), ["semesterregler.md#regler"]);
    assert_eq!(links(&read("a/index.md")), ["../semesterregler.md"]);
    assert_eq!(links(&read("ledighet.md")), ["semesterregler.md", "ledighet.md"]);
    assert!(read("ledighet.md").contains("print_with: [semesterregler.md]\n"));
    site.check().succeeded();
    server.stop();
}

/// Link destinations in the Markdown body, as the parser reads them.
fn links(text: &str) -> Vec<String> {
    Parser::new(text)
        .filter_map(|e| match e {
            Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect()
}

/// Inline code and code block texts, as the parser reads them.
fn code(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut in_block = false;
    for event in Parser::new(text) {
        match event {
            Event::Code(c) => found.push(c.to_string()),
            Event::Start(Tag::CodeBlock(_)) => in_block = true,
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => in_block = false,
            Event::Text(t) if in_block => found.push(t.to_string()),
            _ => {}
        }
    }
    found
}

#[test]
fn undo_after_a_rename_takes_back_every_file_and_the_name() {
    let (site, server) = start();
    let before = content(&site);
    let (status, answer) = rename(&server);
    assert_eq!(status, 200, "{answer}");
    let v = version(&server, "semesterregler.md");

    // The dialog asks first: the whole rename, every file named.
    let plan = call(
        &server,
        "undo/plan",
        json!({"source": "semesterregler.md", "version": v}),
    );
    assert_eq!(plan.status, 200, "{}", plan.body);
    let plan = plan.json();
    assert_eq!(plan["kind"], "rename");
    assert_eq!(
        plan["files"],
        json!([
            "a/index.md",
            "index.md",
            "ledighet.md",
            "semester.md",
            "semesterregler.md"
        ])
    );
    assert_eq!(
        plan["message"],
        "Namnbytet från semester.md till semesterregler.md ångras som en helhet: sidan får sitt \
         gamla namn och länkarna sina gamla mål. De här 5 filerna skrivs tillbaka:"
    );
    assert_eq!(plan["source"], "semester.md");

    let undone = call(
        &server,
        "undo",
        json!({"source": "semesterregler.md", "version": v, "operation": plan["operation"]}),
    );
    assert_eq!(undone.status, 200, "{}", undone.body);
    assert_eq!(undone.json()["source"], "semester.md");
    assert_eq!(undone.json()["text"], SEMESTER);
    assert_eq!(content(&site), before);
    // The operation is gone: nothing more to undo for the page.
    let again = call(
        &server,
        "undo/plan",
        json!({"source": "semester.md", "version": undone.json()["version"]}),
    );
    assert_eq!(again.status, 404, "{}", again.body);
    assert_eq!(again.json()["error"], "editor_no_history");
    server.stop();
}

#[test]
fn undo_is_refused_naming_the_files_changed_since() {
    let (site, server) = start();
    let (status, answer) = rename(&server);
    assert_eq!(status, 200, "{answer}");
    let v = version(&server, "semesterregler.md");
    // A colleague edits one of the files the rename wrote.
    site.write("content/ledighet.md", "---\ntitle: Ledighet\n---\n\nNy text.\n");
    let after_edit = content(&site);
    for path in ["undo/plan", "undo"] {
        let refused = call(&server, path, json!({"source": "semesterregler.md", "version": v}));
        assert_eq!(refused.status, 409, "{path}: {}", refused.body);
        let refused = refused.json();
        assert_eq!(refused["error"], "editor_undo_changed");
        assert_eq!(refused["files"], json!(["ledighet.md"]));
        assert_eq!(
            refused["message"],
            "Det går inte att ångra: de här filerna har ändrats sedan dess: ledighet.md. Ingenting har ändrats."
        );
    }
    assert_eq!(content(&site), after_edit);
    server.stop();
}

#[test]
fn undo_after_a_move_takes_back_both_pages_orders() {
    let (site, server) = start();
    let before = content(&site);
    let moved = call(&server, "move", json!({"source": "ledighet.md", "step": -1}));
    assert_eq!(moved.status, 200, "{}", moved.body);
    assert_ne!(content(&site), before);
    // From the other page the move wrote, too.
    let v = version(&server, "semester.md");
    let plan = call(&server, "undo/plan", json!({"source": "semester.md", "version": v}));
    assert_eq!(plan.status, 200, "{}", plan.body);
    assert_eq!(plan.json()["kind"], "move");
    // The section a/ has no `order` of its own, so the move gives it one after the two pages.
    assert_eq!(
        plan.json()["files"],
        json!(["ledighet.md", "semester.md", "a/index.md"])
    );
    let undone = call(&server, "undo", json!({"source": "semester.md", "version": v}));
    assert_eq!(undone.status, 200, "{}", undone.body);
    assert_eq!(content(&site), before);
    server.stop();
}
