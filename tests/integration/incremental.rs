//! Incremental rebuilds (`handbok::incremental::Session`, what `serve` runs on each save) give
//! exactly what a full build of the same files gives: the same output, byte for byte, and the
//! same diagnostics, after any sequence of edits: text edits (the fast path), title changes,
//! new and deleted pages, settings, broken and mended anchors. Outside Git and in a Git
//! repository, where an edit makes a page's text differ from its last commit.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;

use handbok::diag::Diagnostics;
use handbok::incremental::{Rebuilt, Session};
use handbok::search::{is_index_file, INDEX_PATH};
use handbok::BuildOptions;
use proptest::prelude::*;

use crate::history::git_at;
use crate::support::{TestSite, SITE_YML};

/// The pages every generated handbook starts with: a start page, two sections, a guide that
/// prints with its form, and links with anchors between them.
const PAGES: &[(&str, &str)] = &[
    (
        "index.md",
        "---\ntitle: Start\n---\nVälkommen. Läs [samtalet](samtal/index.md#forberedelser).\n",
    ),
    (
        "samtal/index.md",
        "---\ntitle: Samtal\norder: 1\n---\n## Förberedelser\n\nTänk efter.\n\n## Under samtalet\n\nLyssna.\n",
    ),
    (
        "samtal/guide.md",
        "---\ntitle: Samtalsguide\norder: 2\nprint_with: [blankett.md]\n---\nSe [blanketten](blankett.md).\n",
    ),
    (
        "samtal/blankett.md",
        "---\ntitle: Blankett\norder: 3\n---\n```form\n- text: Namn\n- area: Mål\n  lines: 3\n```\n",
    ),
    (
        "lon/index.md",
        "---\ntitle: Lön\norder: 2\n---\nOm lön. Se [guiden](../samtal/guide.md).\n",
    ),
    (
        "lon/tillagg.md",
        "---\ntitle: Tillägg\n---\n## Ob-tillägg\n\nKvällar och helger.\n",
    ),
];

/// One edit an editor might save.
#[derive(Debug, Clone)]
enum Edit {
    /// A paragraph added to a page's text (front matter untouched).
    AddParagraph(usize, usize),
    /// A heading renamed: links to its old anchor break, or mend when renamed back.
    RenameHeading(usize, bool),
    /// A link from one page to another's heading.
    AddLink(usize, usize),
    /// The page's title changed.
    Retitle(usize, usize),
    /// A new page in a section.
    AddPage(usize),
    /// A page deleted (never a section's own page).
    Delete(usize),
    /// The settings' description changed.
    Settings(usize),
}

const WORDS: &[&str] = &[
    "Medarbetarsamtalet hålls varje år.",
    "Lönen sätts efter samtalet.",
    "Arbetsmiljöansvaret är chefens.",
    "Se \"riktlinjen\" för detaljer.",
];

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (0..8usize, 0..WORDS.len()).prop_map(|(p, w)| Edit::AddParagraph(p, w)),
        2 => (0..8usize, any::<bool>()).prop_map(|(p, back)| Edit::RenameHeading(p, back)),
        2 => (0..8usize, 0..8usize).prop_map(|(a, b)| Edit::AddLink(a, b)),
        1 => (0..8usize, 0..3usize).prop_map(|(p, t)| Edit::Retitle(p, t)),
        1 => (0..2usize).prop_map(Edit::AddPage),
        1 => (0..8usize).prop_map(Edit::Delete),
        1 => (0..3usize).prop_map(Edit::Settings),
    ]
}

/// The handbook's page files, sorted, for picking one by number.
fn page_files(site: &TestSite) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(site.content())
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            e.path()
                .strip_prefix(site.content())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    files
}

/// Apply `edit`; the files it changed (absolute paths).
fn apply(site: &TestSite, edit: &Edit, step: usize) -> Vec<PathBuf> {
    let files = page_files(site);
    let pick = |n: usize| files[n % files.len()].clone();
    let path = |rel: &str| site.content().join(rel);
    let read = |rel: &str| fs::read_to_string(path(rel)).unwrap();
    let write = |rel: &str, text: &str| {
        fs::create_dir_all(path(rel).parent().unwrap()).unwrap();
        fs::write(path(rel), text).unwrap();
        vec![path(rel)]
    };
    match edit {
        Edit::AddParagraph(p, w) => {
            let rel = pick(*p);
            write(&rel, &format!("{}\n{}\n", read(&rel), WORDS[*w]))
        }
        Edit::RenameHeading(p, back) => {
            let rel = pick(*p);
            let (from, to) = if *back {
                ("## Under mötet", "## Under samtalet")
            } else {
                ("## Under samtalet", "## Under mötet")
            };
            write(&rel, &read(&rel).replace(from, to))
        }
        Edit::AddLink(a, b) => {
            let (from, to) = (pick(*a), pick(*b));
            let href = relative(&from, &to);
            write(&from, &format!("{}\nSe [sidan]({href}#under-samtalet).\n", read(&from)))
        }
        Edit::Retitle(p, t) => {
            let rel = pick(*p);
            let text = read(&rel);
            let title = text.lines().find(|l| l.starts_with("title: ")).unwrap().to_string();
            write(&rel, &text.replacen(&title, &format!("title: Ny titel {t} {step}"), 1))
        }
        Edit::AddPage(s) => {
            let section = ["samtal", "lon"][*s];
            write(
                &format!("{section}/ny-{step}.md"),
                &format!("---\ntitle: Ny sida {step}\n---\nText {step}.\n"),
            )
        }
        Edit::Delete(p) => {
            let rel = pick(*p);
            if rel.ends_with("index.md") {
                return Vec::new();
            }
            fs::remove_file(path(&rel)).unwrap();
            vec![path(&rel)]
        }
        Edit::Settings(d) => write("site.yml", &format!("{SITE_YML}description: Beskrivning {d}\n")),
    }
}

/// The link from page `from` to page `to`, both source paths.
fn relative(from: &str, to: &str) -> String {
    let depth = from.matches('/').count();
    format!("{}{to}", "../".repeat(depth))
}

fn handbook() -> TestSite {
    PAGES
        .iter()
        .fold(TestSite::new(), |site, (rel, text)| site.with(rel, text))
}

fn preview(site: &TestSite) -> BuildOptions {
    BuildOptions {
        preview: true,
        history_from: None,
        ..site.options()
    }
}

/// A full build in memory: its files, or `None` on errors, and its diagnostics as shown.
fn full_build(options: &BuildOptions) -> (Option<BTreeMap<String, Vec<u8>>>, Vec<String>) {
    let mut diags = Diagnostics::new();
    let built = handbok::build_in_memory(options, &mut diags);
    (built.map(|b| b.files), shown(diags))
}

fn shown(diags: Diagnostics) -> Vec<String> {
    diags
        .sorted()
        .iter()
        .map(|d| d.render(crate::support::english()))
        .collect()
}

/// The paths whose bytes differ between two outputs, for a readable failure.
fn differences<A: AsRef<[u8]>, B: AsRef<[u8]>>(a: &BTreeMap<String, A>, b: &BTreeMap<String, B>) -> Vec<String> {
    a.keys()
        .chain(b.keys())
        .filter(|k| a.get(*k).map(AsRef::as_ref) != b.get(*k).map(AsRef::as_ref))
        .cloned()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// Run `edits` through a session and compare each step with a full build.
fn same_as_full_builds(site: &TestSite, edits: &[Edit]) -> Result<usize, TestCaseError> {
    let options = preview(site);
    let mut session = Session::new(options.clone());
    let mut diags = Diagnostics::new();
    prop_assert!(session.build(&mut diags), "{:?}", shown(diags));
    let mut text_rebuilds = 0;
    for (step, edit) in edits.iter().enumerate() {
        let changed = apply(site, edit, step);
        let mut diags = Diagnostics::new();
        let rebuilt = session.rebuild(&changed, &mut diags);
        session.finish();
        let (full, full_diags) = full_build(&options);
        prop_assert_eq!(shown(diags), full_diags, "step {} {:?}", step, edit);
        match (rebuilt, full) {
            (Some(how), Some(full)) => {
                if matches!(how, Rebuilt::Text { .. }) {
                    text_rebuilds += 1;
                }
                let differ = differences(session.files(), &full);
                prop_assert!(differ.is_empty(), "step {step} {edit:?} ({how:?}): {differ:?} differ");
            }
            (None, None) => {}
            (rebuilt, full) => prop_assert!(
                false,
                "step {step} {edit:?}: session {rebuilt:?}, full build {}",
                if full.is_some() { "succeeded" } else { "failed" }
            ),
        }
    }
    Ok(text_rebuilds)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn incremental_rebuilds_equal_full_builds(edits in prop::collection::vec(edit(), 1..7)) {
        let site = handbook();
        same_as_full_builds(&site, &edits)?;
    }

    #[test]
    fn incremental_rebuilds_equal_full_builds_in_git(edits in prop::collection::vec(edit(), 1..5)) {
        let site = handbook();
        git_at(site.root(), "2024-01-01T12:00:00+01:00", &["init", "-q", "-b", "main"]);
        git_at(site.root(), "2024-01-01T12:00:00+01:00", &["add", "-A"]);
        git_at(site.root(), "2024-01-01T12:00:00+01:00", &["commit", "-q", "-m", "Första versionen"]);
        same_as_full_builds(&site, &edits)?;
    }
}

#[test]
fn a_text_edit_renders_only_the_page_and_what_shows_its_text() {
    let site = handbook();
    let mut session = Session::new(preview(&site));
    assert!(session.build(&mut Diagnostics::new()));
    let before = session.files().clone();
    let changed = apply(&site, &Edit::AddParagraph(4, 0), 0);
    assert!(changed[0].ends_with("samtal/guide.md"));
    let rebuilt = session.rebuild(&changed, &mut Diagnostics::new());
    let Some(Rebuilt::Text { pages, outputs }) = rebuilt else {
        panic!("a text edit should not rebuild everything: {rebuilt:?}");
    };
    assert_eq!(pages, ["samtal/guide.md"]);
    // The page, its talk's print view and the whole handbook's view; nothing else.
    assert_eq!(
        outputs,
        ["samtal/guide-utskrift.html", "samtal/guide.html", "utskrift.html"]
    );
    assert_ne!(session.files()["samtal/guide.html"], before["samtal/guide.html"]);
    // The search index follows in the second step.
    assert_eq!(session.files()[INDEX_PATH], before[INDEX_PATH]);
    assert_eq!(session.finish(), [INDEX_PATH]);
    assert_ne!(session.files()[INDEX_PATH], before[INDEX_PATH]);
    // A title is not text: every page's menu shows it.
    let text = fs::read_to_string(&changed[0])
        .unwrap()
        .replace("title: Samtalsguide", "title: Guiden");
    fs::write(&changed[0], text).unwrap();
    assert_eq!(session.rebuild(&changed, &mut Diagnostics::new()), Some(Rebuilt::Full));
}

#[test]
fn after_an_error_the_next_save_builds_everything_again() {
    let site = handbook();
    let mut session = Session::new(preview(&site));
    assert!(session.build(&mut Diagnostics::new()));
    let good = session.files().clone();
    // The start page links to the section's "Förberedelser".
    let section = site.content().join("samtal/index.md");
    let text = fs::read_to_string(&section).unwrap();
    fs::write(&section, text.replace("## Förberedelser", "## Inför samtalet")).unwrap();
    let mut diags = Diagnostics::new();
    assert_eq!(session.rebuild(std::slice::from_ref(&section), &mut diags), None);
    assert!(
        diags
            .iter()
            .any(|d| d.is_error() && d.path.ends_with("content/index.md")),
        "{:?}",
        shown(diags)
    );
    // The last good output stays for the preview to show.
    assert_eq!(session.files(), &good);
    fs::write(&section, text).unwrap();
    let mended = vec![section];
    assert_eq!(session.rebuild(&mended, &mut Diagnostics::new()), Some(Rebuilt::Full));
}

#[test]
fn the_second_step_brings_a_sharded_search_index_up_to_date_file_by_file() {
    // A page whose own words fill many shards, beside the handbook: its index is cut into shards.
    let long: String = (0..20_000).map(|i| format!("ord{i} ")).collect();
    let site = handbook().with("lang.md", &format!("---\ntitle: Lång sida\n---\n{long}\n"));
    let options = preview(&site);
    let mut session = Session::new(options.clone());
    assert!(session.build(&mut Diagnostics::new()));
    fn shards<V>(files: &BTreeMap<String, V>) -> usize {
        files.keys().filter(|p| is_index_file(p)).count()
    }
    let before = shards(session.files());
    // At most one index file per 20 pages (five at the least): a small site has few, large shards.
    assert!(before > 1, "the index should be sharded: {before} files");
    // The page shrinks to a sentence: its words, and most of the shards, go.
    let page = site.content().join("lang.md");
    fs::write(&page, "---\ntitle: Lång sida\n---\nNu kort.\n").unwrap();
    let rebuilt = session.rebuild(std::slice::from_ref(&page), &mut Diagnostics::new());
    assert!(matches!(rebuilt, Some(Rebuilt::Text { .. })), "{rebuilt:?}");
    assert_eq!(shards(session.files()), before, "the index waits for the second step");
    let changed = session.finish();
    assert!(changed.contains(&INDEX_PATH.to_string()), "{changed:?}");
    assert!(changed.iter().all(|p| is_index_file(p)), "{changed:?}");
    let (full, _) = full_build(&options);
    let full = full.expect("the full build succeeds");
    assert!(shards(&full) < before);
    assert_eq!(differences(session.files(), &full), Vec::<String>::new());
    // Every file the index no longer has was reported, so serve can drop it.
    assert!(changed.len() >= before - shards(&full), "{changed:?}");
}
