//! Page history from Git: a temporary repository with commits that add, edit, rename and
//! delete pages (made with the `git` command, with fixed dates), then the dates on the pages,
//! the change list, the word-by-word comparison, shallow clones, uncommitted edits, `init` and
//! determinism.

use std::fs;
use std::path::Path;
use std::process::Command;

use handbok::diag::Diagnostics;
use scraper::Html;

use crate::support::*;

/// Run `git` in `dir` with a fixed identity and date, and no user or system configuration.
pub(crate) fn git_at(dir: &Path, date: &str, args: &[&str]) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "HR")
        .env("GIT_AUTHOR_EMAIL", "hr@example.se")
        .env("GIT_COMMITTER_NAME", "HR")
        .env("GIT_COMMITTER_EMAIL", "hr@example.se")
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub(crate) fn git(site: &TestSite, args: &[&str]) {
    git_at(site.root(), "2024-01-01T12:00:00+01:00", args);
}

pub(crate) fn commit(site: &TestSite, date: &str, message: &str) {
    git_at(site.root(), date, &["add", "-A"]);
    git_at(site.root(), date, &["commit", "-q", "-m", message]);
}

pub(crate) fn page(title: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n---\n\n{body}\n")
}

const LON_1: &str = "Lönesamtalet hålls en gång per år.\n\n## Kriterier\n\nLönen sätts efter kriterierna.";
const LON_2: &str = "Lönesamtalet hålls två gånger per år.\n\n## Kriterier\n\nLönen sätts efter kriterierna.\n\nChefen förbereder samtalet.";

/// Four commits: the handbook is created; a page is edited; a page is renamed (and edited);
/// a page is deleted.
pub(crate) fn repository() -> TestSite {
    let site = TestSite::new()
        .with("lon.md", &page("Lönesamtal", LON_1))
        .with(
            "gammal.md",
            &page("Gammal rutin", "Den här rutinen gäller inte längre."),
        )
        .with(
            "flytt.md",
            &page("Distansarbete", "Du kan arbeta hemifrån två dagar i veckan."),
        )
        .with(
            "beslutad.md",
            "---\ntitle: Beslutad policy\nrevised: 2023-12-01\n---\n\nFörsta lydelsen.\n",
        );
    git(&site, &["init", "-q", "-b", "main"]);
    commit(&site, "2024-01-10T09:00:00+01:00", "Handboken skapas");
    site.write("content/lon.md", &page("Lönesamtal", LON_2));
    site.write(
        "content/beslutad.md",
        "---\ntitle: Beslutad policy\nrevised: 2023-12-01\n---\n\nAndra lydelsen.\n",
    );
    commit(&site, "2024-02-15T10:00:00+01:00", "Lönesamtal två gånger per år");
    git(&site, &["mv", "content/flytt.md", "content/distansarbete.md"]);
    site.write(
        "content/distansarbete.md",
        &page("Distansarbete", "Du kan arbeta hemifrån tre dagar i veckan."),
    );
    commit(
        &site,
        "2024-03-20T11:00:00+01:00",
        "Distansarbete: nytt filnamn och tre dagar",
    );
    git(&site, &["rm", "-q", "content/gammal.md"]);
    commit(&site, "2024-04-05T23:30:00-05:00", "Gammal rutin tas bort");
    site
}

/// The document information as (label, value) pairs.
/// The texts as a reader sees them: without the soft hyphens in long words.
pub(crate) fn shown_texts(doc: &Html, css: &str) -> Vec<String> {
    texts(doc, css).iter().map(|t| t.replace('\u{ad}', "")).collect()
}

pub(crate) fn doc_info(doc: &Html) -> Vec<(String, String)> {
    doc.select(&sel(".doc-info dl > div"))
        .map(|row| {
            let text = |css: &str| {
                row.select(&sel(css))
                    .map(|e| collapse(&e.text().collect::<String>()))
                    .collect()
            };
            (text("dt"), text("dd"))
        })
        .collect()
}

pub(crate) fn diff_link(doc: &Html) -> String {
    attrs(doc, ".doc-info a.doc-info-link", "href")
        .pop()
        .expect("a link to what changed")
}

#[test]
fn pages_show_the_date_of_their_last_commit_and_revised_still_wins() {
    let site = repository();
    site.build().succeeded();
    let lon = site.html("lon.html");
    assert_eq!(
        doc_info(&lon),
        [(
            "Senast ändrad".to_string(),
            "2024-02-15 (enligt versionshistoriken) Vad har ändrats?".to_string()
        )]
    );
    // A rename is followed: the page's last change is the rename, and it has a comparison.
    let moved = site.html("distansarbete.html");
    assert_eq!(
        doc_info(&moved)[0].1,
        "2024-03-20 (enligt versionshistoriken) Vad har ändrats?"
    );
    // Only ever added: a date, nothing to compare with.
    let start = site.html("index.html");
    assert_eq!(doc_info(&start)[0].1, "2024-01-10 (enligt versionshistoriken)");
    // `revised:` in the front matter wins, and the page still links to what changed.
    let decided = site.html("beslutad.html");
    assert_eq!(
        doc_info(&decided),
        [(
            "Senast reviderad".to_string(),
            "2023-12-01 Vad har ändrats?".to_string()
        )]
    );
    // The commit's own time zone gives the date (23:30 at -05:00 is the 5th there).
    let changes = site.html("andringar.html");
    assert_eq!(texts(&changes, ".change-date")[0], "2024-04-05");
}

#[test]
fn the_change_list_is_newest_first_by_month_and_linked_from_every_footer() {
    let site = repository();
    site.build().succeeded();
    let doc = site.html("andringar.html");
    assert_eq!(texts(&doc, "h1"), ["Ändringar i handboken"]);
    assert_eq!(
        texts(&doc, "main h2"),
        ["april 2024", "mars 2024", "februari 2024", "januari 2024"]
    );
    let heads = shown_texts(&doc, ".change-head");
    assert_eq!(
        heads,
        [
            "2024-04-05 Gammal rutin (borttagen)",
            "2024-03-20 Distansarbete (flyttad eller omdöpt)",
            "2024-02-15 Beslutad policy (ändrad)",
            "2024-02-15 Lönesamtal (ändrad)",
            "2024-01-10 Beslutad policy (ny sida)",
            "2024-01-10 Distansarbete (ny sida)",
            "2024-01-10 Gammal rutin (ny sida)",
            "2024-01-10 Start (ny sida)",
            "2024-01-10 Lönesamtal (ny sida)",
        ]
    );
    assert_eq!(texts(&doc, ".change-message")[0], "Gammal rutin tas bort");
    // A deleted page has no link; pages that exist do, with the renamed page under its new name.
    let links = attrs(&doc, ".change-head a", "href");
    assert!(!links.iter().any(|l| l.contains("gammal")), "{links:?}");
    assert_eq!(links[0], "distansarbete.html");
    // Every comparison linked exists; none for an added or a deleted page.
    let diffs = attrs(&doc, ".change-diff a", "href");
    assert_eq!(diffs.len(), 3, "{diffs:?}");
    for href in &diffs {
        assert!(site.path("public").join(href).is_file(), "{href}");
    }
    for page in [
        "index.html",
        "lon.html",
        "andringar.html",
        "tillganglighetsredogorelse.html",
    ] {
        let footer = attrs(&site.html(page), "footer a", "href");
        assert!(
            footer.iter().any(|h| h.ends_with("andringar.html")),
            "{page}: {footer:?}"
        );
    }
}

#[test]
fn the_change_list_length_comes_from_the_settings() {
    let site = repository();
    site.write("content/site.yml", &format!("{SITE_YML}history:\n  changes: 2\n"));
    commit(&site, "2024-05-01T08:00:00+02:00", "Kortare ändringslista");
    site.build().succeeded();
    let doc = site.html("andringar.html");
    assert_eq!(
        shown_texts(&doc, ".change-head"),
        [
            "2024-04-05 Gammal rutin (borttagen)",
            "2024-03-20 Distansarbete (flyttad eller omdöpt)"
        ]
    );
    site.write("content/site.yml", &format!("{SITE_YML}history:\n  changes: 0\n"));
    site.build().succeeded();
    assert!(!site.path("public/andringar.html").exists());
    assert!(!attrs(&site.html("lon.html"), "footer a", "href")
        .iter()
        .any(|h| h.contains("andringar")));
}

#[test]
fn what_changed_compares_the_rendered_text_word_by_word() {
    let site = repository();
    site.build().succeeded();
    let href = diff_link(&site.html("lon.html"));
    let doc = site.html(&href);
    assert_eq!(texts(&doc, "h1"), ["Vad har ändrats? Lönesamtal"]);
    // The replaced words, each marked in text as well as by the element.
    assert_eq!(texts(&doc, ".diff del"), ["Borttaget: en gång"]);
    assert_eq!(
        texts(&doc, ".diff ins"),
        ["Tillagt: två gånger", "Tillagt: Chefen förbereder samtalet."]
    );
    assert_eq!(texts(&doc, ".diff del .visually-hidden"), ["Borttaget:"]);
    assert_eq!(texts(&doc, ".diff ins .visually-hidden"), ["Tillagt:", "Tillagt:"]);
    // An added paragraph is its own block; the unchanged heading is shown as rendered text,
    // without its `##` or anchor (as a bold paragraph: folding may drop the heading above it).
    assert_eq!(count(&doc, "p.diff-text.diff-added"), 1);
    assert!(texts(&doc, ".diff .diff-heading").contains(&"Kriterier".to_string()));
    assert_eq!(count(&doc, ".diff h2, .diff h3, .diff h4"), 0);
    let facts = texts(&doc, ".doc-info dd");
    assert_eq!(
        facts,
        ["2024-02-15: Lönesamtal två gånger per år", "versionen från 2024-01-10"]
    );
    // A rename shows where the page came from.
    let moved = site.html(&diff_link(&site.html("distansarbete.html")));
    assert!(texts(&moved, ".doc-info dd").contains(&"flytt.md".to_string()));
    assert_eq!(texts(&moved, ".diff del"), ["Borttaget: två"]);
    assert_eq!(texts(&moved, ".diff ins"), ["Tillagt: tre"]);
}

#[test]
fn the_same_commit_gives_the_same_bytes_whatever_the_file_times() {
    let site = repository();
    site.build().succeeded();
    let first = site.tree("public");
    // New modification times on every file (an hour later, set explicitly rather than waited
    // for), and a second build.
    for (rel, _) in site.tree("content") {
        let path = site.content().join(rel);
        let file = fs::File::options().write(true).open(&path).unwrap();
        let before = file.metadata().unwrap().modified().unwrap();
        let later = before + std::time::Duration::from_secs(3600);
        file.set_modified(later).unwrap();
        assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), later);
    }
    site.build().succeeded();
    assert_eq!(first, site.tree("public"));
}

#[test]
fn uncommitted_edits_show_the_last_commit_in_build_and_say_so_in_serve() {
    let site = repository();
    site.write(
        "content/lon.md",
        &page("Lönesamtal", &format!("{LON_2}\n\nEn rad till.")),
    );
    site.build().succeeded();
    assert_eq!(
        doc_info(&site.html("lon.html"))[0].1,
        "2024-02-15 (enligt versionshistoriken) Vad har ändrats?"
    );

    let mut options = site.options();
    options.preview = true;
    let mut diags = Diagnostics::new();
    let built = handbok::build_in_memory(&options, &mut diags).expect("the preview builds");
    let page = |path: &str| Html::parse_document(std::str::from_utf8(&built.files[path]).unwrap());
    let lon = page("lon.html");
    assert_eq!(
        doc_info(&lon)[0],
        ("Senast ändrad".into(), "ändrad, ej incheckad Vad har ändrats?".into())
    );
    assert_eq!(diff_link(&lon), "lon-andringar-ej-incheckad.html");
    let diff = page("lon-andringar-ej-incheckad.html");
    assert_eq!(texts(&diff, ".diff ins"), ["Tillagt: En rad till."]);
    assert_eq!(texts(&diff, ".doc-info dd")[0], "ändrad, ej incheckad");
    // Pages without edits keep their dates.
    assert_eq!(
        doc_info(&page("index.html"))[0].1,
        "2024-01-10 (enligt versionshistoriken)"
    );
}

#[test]
fn a_shallow_clone_builds_and_says_its_history_is_short() {
    let site = repository();
    for depth in ["1", "2"] {
        let clone = TestSite::empty();
        let url = format!("file://{}", site.root().display());
        git_at(
            clone.root(),
            "2024-06-01T00:00:00Z",
            &["clone", "-q", "--depth", depth, &url, "kopia"],
        );
        let out = clone.path(&format!("out-{depth}"));
        let run = run_in(
            &clone.path("kopia"),
            &["build", "--content", "content", "--out", out.to_str().unwrap()],
        );
        run.succeeded();
        let changes = read_html(&out.join("andringar.html"));
        assert_eq!(texts(&changes, ".history-note").len(), 1, "depth {depth}");
        // What the clone has is right; what it lacks is not guessed: a page last changed
        // before the clone's oldest commit says so, with that commit's date as the latest
        // its change can be.
        let lon = read_html(&out.join("lon.html"));
        let oldest = if depth == "1" { "2024-04-05" } else { "2024-03-20" };
        assert_eq!(
            doc_info(&lon),
            [(
                "Senast ändrad".to_string(),
                format!("{oldest} eller tidigare (äldre historik finns inte i den här kopian av handboken)")
            )],
            "depth {depth}"
        );
        if depth == "2" {
            assert_eq!(
                shown_texts(&changes, ".change-head"),
                ["2024-04-05 Gammal rutin (borttagen)"]
            );
        }
    }
}

#[test]
fn a_content_folder_outside_git_has_no_history_pages() {
    let site = TestSite::new().with("lon.md", &page("Lönesamtal", LON_1));
    site.build().succeeded();
    assert!(!site.path("public/andringar.html").exists());
    assert!(doc_info(&site.html("lon.html")).is_empty());
}

#[test]
fn a_page_named_like_the_change_list_is_an_error_in_git() {
    let site = TestSite::new().with("andringar.md", &page("Ändringar", "Text."));
    git(&site, &["init", "-q", "-b", "main"]);
    commit(&site, "2024-01-10T09:00:00+01:00", "Start");
    site.build()
        .failed_with(&["andringar.md", "which handbok writes itself"]);
}

#[test]
fn init_makes_a_repository_with_a_first_commit_when_git_knows_who_you_are() {
    let dir = TestSite::empty();
    let run = Command::new(env!("CARGO_BIN_EXE_handbok"))
        .args(["init", "hb"])
        .current_dir(dir.root())
        .env("HOME", dir.root())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "HR")
        .env("GIT_AUTHOR_EMAIL", "hr@example.se")
        .env("GIT_COMMITTER_NAME", "HR")
        .env("GIT_COMMITTER_EMAIL", "hr@example.se")
        .output()
        .unwrap();
    assert!(run.status.success());
    assert!(String::from_utf8_lossy(&run.stdout).contains("first commit"));
    let hb = dir.path("hb");
    run_in(&hb, &["build"]).succeeded();
    let changes = read_html(&hb.join("public/andringar.html"));
    let heads = texts(&changes, ".change-message");
    assert_eq!(heads.len(), 4, "one line per page of the skeleton");
    assert!(heads.iter().all(|m| m == handbok::init::FIRST_COMMIT));
    // Git sees a clean work tree: the index matches the commit.
    let status = Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(&hb)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&status.stdout),
        "",
        "public/ is ignored, the rest committed"
    );

    // Without an identity: a repository, no commit, and the commands to make one.
    let dir = TestSite::empty();
    let run = Command::new(env!("CARGO_BIN_EXE_handbok"))
        .args(["init", "hb"])
        .current_dir(dir.root())
        .env("HOME", dir.root())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_AUTHOR_NAME")
        .env_remove("GIT_AUTHOR_EMAIL")
        .env_remove("GIT_COMMITTER_NAME")
        .env_remove("GIT_COMMITTER_EMAIL")
        .env_remove("EMAIL")
        .output()
        .unwrap();
    assert!(run.status.success());
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("git config --global user.name"), "{stdout}");
    assert!(dir.path("hb/.git").is_dir());
    // Clean but for the accessibility statement's facts, which only the organisation can give.
    run_in(&dir.path("hb"), &["check"]).succeeded();
}
