//! `handbok publish`: a handbook folder recorded as one commit, built from exactly that commit
//! and delivered to `publish.to`, and every fault the issue names (nothing lost in any).
//! Repositories are made with the system `git` with a fixed identity and no user or system
//! configuration; `handbok` runs with the same environment.

use std::io;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use handbok::publish::{self, Options, Status};

use crate::support::{sel, texts, Run, TestSite};

const SITE: &str = "title: Handbok\norganisation: Kommunen\npublish:\n  to: intranat\n";

/// `handbok <args>` in the handbook folder, with no user or system Git configuration.
fn handbok(site: &TestSite, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_handbok"))
        .args(args)
        .current_dir(site.root())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("HOME", site.root())
        .env_remove("HANDBOK_LANG")
        .output()
        .expect("the handbok binary runs");
    let run = Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

/// `git <args>` in `dir`; its standard output.
fn git_in(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "IT")
        .env("GIT_AUTHOR_EMAIL", "it@example.se")
        .env("GIT_COMMITTER_NAME", "IT")
        .env("GIT_COMMITTER_EMAIL", "it@example.se")
        .output()
        .expect("git runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn git(site: &TestSite, args: &[&str]) -> String {
    git_in(site.root(), args)
}

/// A handbook with two pages and an existing (empty) target folder; not a repository.
fn new_handbook() -> TestSite {
    let site = TestSite::files(&[
        ("site.yml", SITE),
        (
            "index.md",
            "---\ntitle: Start\n---\nVälkommen. Läs om [semester](semester.md).\n",
        ),
        ("semester.md", "---\ntitle: Semester\n---\nDu har 25 dagars semester.\n"),
    ]);
    std::fs::create_dir_all(site.path("intranat")).unwrap();
    site
}

/// [`new_handbook`] made a repository with a local identity and published once.
fn published() -> TestSite {
    let site = new_handbook();
    git(&site, &["init", "-q", "-b", "main"]);
    git(&site, &["config", "user.name", "HR"]);
    git(&site, &["config", "user.email", "hr@example.se"]);
    handbok(&site, &["publish", "-m", "Första versionen"]).succeeded();
    site
}

fn edit_semester(site: &TestSite) {
    site.write(
        "content/semester.md",
        "---\ntitle: Semester\n---\nDu har 28 dagars semester.\n",
    );
}

fn head(site: &TestSite) -> String {
    git(site, &["rev-parse", "HEAD"]).trim().to_string()
}

fn marks(site: &TestSite) -> Vec<String> {
    git(site, &["tag", "--list", "handbok/publicering/*"])
        .lines()
        .map(str::to_string)
        .collect()
}

fn delivered_text(site: &TestSite, page: &str) -> Vec<String> {
    texts(
        &crate::support::read_html(&site.path(&format!("intranat/{page}"))),
        "main",
    )
}

#[test]
fn a_folder_that_is_not_a_repository_becomes_one_and_is_published_with_the_stored_author() {
    let site = new_handbook();
    site.write("content/.handbok/forfattare.txt", "Hanna Redaktör\nhanna@example.se\n");
    let run = handbok(&site, &["publish", "-m", "Semesterdagarna står i handboken"]);
    run.succeeded();
    assert!(run.stdout.contains("ny: semester.md"), "{}", run.stdout);
    assert!(run.stdout.contains("Webbplatsen är publicerad"), "{}", run.stdout);
    assert_eq!(
        git(&site, &["log", "--format=%an <%ae>"]).trim(),
        "Hanna Redaktör <hanna@example.se>"
    );
    let message = git(&site, &["log", "-1", "--format=%B"]);
    assert!(
        message.starts_with("Semesterdagarna står i handboken\n\nPublicerad-av: handbok"),
        "{message}"
    );
    // Only content files the build reads, never .handbok/.
    let committed = git(&site, &["ls-tree", "-r", "--name-only", "HEAD"]);
    assert_eq!(
        committed.lines().collect::<Vec<_>>(),
        ["content/index.md", "content/semester.md", "content/site.yml"]
    );
    assert_eq!(marks(&site).len(), 1);
    assert_eq!(
        git(&site, &["rev-parse", &format!("{}^{{commit}}", marks(&site)[0])]).trim(),
        head(&site)
    );
    let changes = crate::support::read_html(&site.path("intranat/andringar.html"));
    assert!(texts(&changes, "main")
        .iter()
        .any(|t| t.contains("Semesterdagarna står i handboken")));
    assert!(delivered_text(&site, "semester.html")
        .iter()
        .any(|t| t.contains("25 dagars")));
    // The work tree is clean: handbok's own folder ignores itself.
    assert_eq!(git(&site, &["status", "--porcelain", "--", "content"]), "");

    let again = handbok(&site, &["publish", "-m", "Igen"]);
    again.succeeded();
    assert!(
        again.stdout.contains("Det finns inget att publicera"),
        "{}",
        again.stdout
    );
    assert_eq!(git(&site, &["rev-list", "--count", "HEAD"]).trim(), "1");
}

#[test]
fn the_site_is_built_from_the_commit_with_its_date_and_comparison() {
    let site = published();
    edit_semester(&site);
    handbok(&site, &["publish", "-m", "Fler semesterdagar"]).succeeded();
    let page = crate::support::read_html(&site.path("intranat/semester.html"));
    assert!(texts(&page, "main").iter().any(|t| t.contains("28 dagars")));
    let versions: Vec<String> = crate::support::attrs(&page, "a[href*='-andringar-']", "href");
    assert!(!versions.is_empty(), "the page links its comparison");
    assert!(site.path(&format!("intranat/{}", versions[0])).is_file());
    assert!(!page
        .select(&sel("main"))
        .next()
        .unwrap()
        .html()
        .contains("ej incheckad"));
}

#[test]
fn changes_outside_the_content_folder_are_neither_committed_nor_lost() {
    let site = published();
    site.write("README.md", "IT:s anteckningar\n");
    git(&site, &["add", "README.md"]);
    site.write("README.md", "IT:s anteckningar, ändrade\n");
    site.write("skript.sh", "echo hej\n");
    edit_semester(&site);
    handbok(&site, &["publish", "-m", "Fler semesterdagar"]).succeeded();
    let files = git(&site, &["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(files.trim(), "content/semester.md");
    assert_eq!(
        git(&site, &["diff", "--cached", "--name-only"]).trim(),
        "README.md",
        "still staged"
    );
    assert_eq!(
        std::fs::read_to_string(site.path("README.md")).unwrap(),
        "IT:s anteckningar, ändrade\n"
    );
    assert!(site.path("skript.sh").is_file());
}

#[test]
fn a_detached_head_is_refused_and_nothing_changes() {
    let site = published();
    git(&site, &["checkout", "-q", "--detach"]);
    edit_semester(&site);
    let before = site.tree("intranat");
    let head_before = head(&site);
    handbok(&site, &["publish", "-m", "Fler semesterdagar"]).failed_with(&["detached HEAD", "git switch"]);
    assert_eq!(head(&site), head_before);
    assert_eq!(site.tree("intranat"), before);
    assert!(std::fs::read_to_string(site.path("content/semester.md"))
        .unwrap()
        .contains("28"));
}

#[test]
fn a_repository_in_the_middle_of_a_merge_or_rebase_is_refused() {
    let site = published();
    git(&site, &["checkout", "-q", "-b", "gren"]);
    site.write("anteckning.txt", "gren\n");
    git(&site, &["add", "anteckning.txt"]);
    git(&site, &["commit", "-q", "-m", "gren"]);
    git(&site, &["checkout", "-q", "main"]);
    site.write("anteckning.txt", "main\n");
    git(&site, &["add", "anteckning.txt"]);
    git(&site, &["commit", "-q", "-m", "main"]);
    git(&site, &["merge", "-q", "gren"]);
    edit_semester(&site);
    let before = site.tree("intranat");
    handbok(&site, &["publish", "-m", "Fler"]).failed_with(&["mitt i en sammanslagning", "git merge --abort"]);
    assert_eq!(site.tree("intranat"), before);
    git(&site, &["merge", "--abort"]);

    // A rebase stopped at a conflict (the page edit stashed, as `--autostash` would).
    git(&site, &["stash", "-q"]);
    git(&site, &["checkout", "-q", "gren"]);
    git(&site, &["rebase", "main"]);
    assert!(
        site.path(".git/rebase-merge").exists(),
        "the rebase stopped at its conflict"
    );
    handbok(&site, &["publish", "-m", "Fler"]).failed_with(&["omflyttning", "git rebase --abort"]);
    assert_eq!(site.tree("intranat"), before);
}

#[test]
fn a_missing_target_is_refused_and_never_created() {
    let site = new_handbook();
    std::fs::remove_dir(site.path("intranat")).unwrap();
    handbok(&site, &["publish", "-m", "Första"]).failed_with(&["finns inte", "nätverksenheten"]);
    assert!(!site.path("intranat").exists());
}

#[test]
fn a_target_holding_files_handbok_did_not_write_is_refused_and_left_alone() {
    let site = new_handbook();
    site.write("intranat/viktigt.docx", "någon annans fil");
    handbok(&site, &["publish", "-m", "Första"]).failed_with(&["inte har skrivit", "tar aldrig bort"]);
    assert_eq!(
        std::fs::read_to_string(site.path("intranat/viktigt.docx")).unwrap(),
        "någon annans fil"
    );
    assert_eq!(site.tree("intranat").len(), 1);
}

/// A writer that fails after `after` files with `kind`: a disk that fills, a share that turns
/// read-only.
struct Failing {
    after: usize,
    kind: io::ErrorKind,
    written: AtomicUsize,
}

impl handbok::output::Writer for Failing {
    fn create_dir_all(&self, path: &Path) -> io::Result<()> {
        std::fs::create_dir_all(path)
    }
    fn write(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        if self.written.fetch_add(1, Ordering::SeqCst) >= self.after {
            return Err(io::Error::from(self.kind));
        }
        std::fs::write(path, bytes)
    }
}

/// The disk fills (or the target stops taking writes) during delivery: the seam is
/// `output::Writer`, as for `build` (no tmpfs is mounted in the tests).
#[test]
fn a_delivery_that_fails_midway_leaves_the_previous_site_byte_identical_and_the_next_run_delivers() {
    for kind in [io::ErrorKind::StorageFull, io::ErrorKind::PermissionDenied] {
        let site = published();
        let before = site.tree("intranat");
        let marks_before = marks(&site);
        edit_semester(&site);
        let options = Options {
            content: site.content(),
            theme: None,
            sentence: "Fler semesterdagar".into(),
            dry_run: false,
            strict: false,
        };
        let failing = Failing {
            after: 3,
            kind,
            written: AtomicUsize::new(0),
        };
        let outcome = publish::publish(&options, &failing);
        assert_eq!(outcome.status, Status::Refused, "{:?}", outcome.messages);
        let keys: Vec<&str> = outcome.messages.iter().map(|m| m.key).collect();
        assert!(keys.contains(&"publish_delivery_failed"), "{keys:?}");
        assert!(keys.contains(&"publish_kept_for_next_time"), "{keys:?}");
        assert_eq!(
            site.tree("intranat"),
            before,
            "the previous site is byte for byte as it was"
        );
        assert_eq!(marks(&site), marks_before, "no mark without a delivery");
        // The commit is kept: the next run delivers it without a new sentence.
        assert!(git(&site, &["log", "-1", "--format=%B"]).contains("Publicerad-av: handbok"));
        let run = handbok(&site, &["publish"]);
        run.succeeded();
        assert!(run.stdout.contains("levereras nu"), "{}", run.stdout);
        assert!(delivered_text(&site, "semester.html")
            .iter()
            .any(|t| t.contains("28 dagars")));
        assert_eq!(marks(&site).len(), 2);
    }
}

#[test]
fn killed_between_commit_and_delivery_the_next_run_delivers_that_commit() {
    let site = published();
    edit_semester(&site);
    // What a run killed after its commit leaves: HEAD with the trailer, no mark on it.
    git(&site, &["add", "-A", "content"]);
    git(
        &site,
        &["commit", "-q", "-m", "Fler semesterdagar\n\nPublicerad-av: handbok"],
    );
    let run = handbok(&site, &["publish"]);
    run.succeeded();
    assert!(run.stdout.contains("levereras nu"), "{}", run.stdout);
    assert!(delivered_text(&site, "semester.html")
        .iter()
        .any(|t| t.contains("28 dagars")));
    let last = marks(&site).last().cloned().unwrap();
    assert_eq!(
        git(&site, &["rev-parse", &format!("{last}^{{commit}}")]).trim(),
        head(&site)
    );
}

#[test]
fn two_publications_at_once_one_is_refused_by_the_lock_and_nothing_is_lost() {
    let site = published();
    edit_semester(&site);
    let before = site.tree("intranat");
    let head_before = head(&site);
    // The other publication holds the lock (as a second tab's request would).
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .open(site.path("content/.handbok/publicering.lock"))
        .unwrap();
    lock.try_lock().unwrap();
    handbok(&site, &["publish", "-m", "Fler"]).failed_with(&["En annan publicering pågår"]);
    assert_eq!(head(&site), head_before);
    assert_eq!(site.tree("intranat"), before);
    drop(lock);
    handbok(&site, &["publish", "-m", "Fler"]).succeeded();
    assert!(delivered_text(&site, "semester.html")
        .iter()
        .any(|t| t.contains("28 dagars")));
}

#[test]
fn a_push_is_made_and_a_rejected_one_is_explained_with_exit_3_and_the_commit_kept() {
    let site = published();
    let remote = site.path("remote.git");
    git(&site, &["init", "-q", "--bare", "-b", "main", remote.to_str().unwrap()]);
    git(&site, &["remote", "add", "origin", remote.to_str().unwrap()]);
    git(&site, &["push", "-q", "origin", "main"]);
    edit_semester(&site);
    let run = handbok(&site, &["publish", "-m", "Fler semesterdagar"]);
    run.succeeded();
    assert!(run.stdout.contains("skickad till origin"), "{}", run.stdout);
    assert_eq!(git_in(&remote, &["rev-parse", "main"]).trim(), head(&site));
    assert!(git_in(&remote, &["tag"]).contains("handbok/publicering/"));

    // Someone else pushes first.
    let other = site.path("annan");
    git(
        &site,
        &["clone", "-q", remote.to_str().unwrap(), other.to_str().unwrap()],
    );
    std::fs::write(other.join("IT.txt"), "x").unwrap();
    git_in(&other, &["add", "IT.txt"]);
    git_in(&other, &["commit", "-q", "-m", "IT"]);
    git_in(&other, &["push", "-q", "origin", "main"]);
    site.write(
        "content/semester.md",
        "---\ntitle: Semester\n---\nDu har 30 dagars semester.\n",
    );
    let run = handbok(&site, &["publish", "-m", "Ännu fler"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("tog inte emot"), "{}", run.stderr);
    assert!(run.stderr.contains("Inget gick förlorat"), "{}", run.stderr);
    assert!(git(&site, &["log", "-1", "--format=%s"]).starts_with("Ännu fler"));
    assert!(delivered_text(&site, "semester.html")
        .iter()
        .any(|t| t.contains("30 dagars")));
}

#[test]
fn errors_stop_a_publication_warnings_only_with_strict_and_a_dry_run_changes_nothing() {
    let site = published();
    let head_before = head(&site);
    let before = site.tree("intranat");
    site.write(
        "content/semester.md",
        "---\ntitle: Semester\n---\nSe [saknad](saknad.md).\n",
    );
    let run = handbok(&site, &["publish", "-m", "Trasig"]);
    run.failed_with(&["saknad.md", "Rätta felen"]);
    assert_eq!(head(&site), head_before);

    // A heading level skipped is a warning (a lint).
    site.write(
        "content/semester.md",
        "---\ntitle: Semester\n---\n#### Djup rubrik\n\nText.\n",
    );
    let strict = handbok(&site, &["publish", "--strict", "-m", "Varning"]);
    strict.failed_with(&["--strict"]);
    assert_eq!(head(&site), head_before);

    let dry = handbok(&site, &["publish", "--dry-run", "-m", "Prov"]);
    dry.succeeded();
    assert!(dry.stdout.contains("ändrad: semester.md"), "{}", dry.stdout);
    assert!(dry.stdout.contains("Provkörning"), "{}", dry.stdout);
    assert_eq!(head(&site), head_before);
    assert_eq!(site.tree("intranat"), before);

    let english = handbok(&site, &["publish", "--dry-run", "--lang", "en"]);
    assert!(english.stdout.contains("changed: semester.md"), "{}", english.stdout);
    assert!(english.stdout.contains("Dry run"), "{}", english.stdout);
}

#[test]
fn every_publish_message_has_both_languages() {
    let sv = handbok::theme::Theme::builtin("sv").unwrap();
    let en = handbok::theme::Theme::builtin("en").unwrap();
    let source = std::fs::read_to_string(crate::support::repo_root().join("themes/default/strings.yml")).unwrap();
    let keys: Vec<&str> = source
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("publish_"))
        .filter_map(|l| l.split(':').next())
        .collect();
    assert!(keys.len() > 30);
    for key in keys {
        let key = format!("publish_{key}");
        assert_ne!(sv.strings.text(&key), key, "{key} lacks Swedish");
        assert_ne!(en.strings.text(&key), key, "{key} lacks English");
        assert_ne!(sv.strings.text(&key), en.strings.text(&key), "{key} is not translated");
    }
}
