//! The one test harness. A [`TestSite`] is a temporary folder with a `content/` folder made from
//! a fixture (`tests/fixtures/valid/…` or `invalid/…`) or from inline files; it runs the real
//! `handbok` binary ([`TestSite::run`], `build`, `check`) or the library in memory
//! ([`TestSite::in_memory`]). [`shipped`] is the shipped handbook, built once per test binary.
//! HTML is always parsed (`scraper`), never searched as text.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::time::Duration;

use handbok::diag::Diagnostics;
use handbok::serve::{ServeOptions, Server};
use handbok::theme::{Strings, Theme};
use handbok::{BuildOptions, BuiltSite};
use scraper::{Html, Selector};
use tempfile::TempDir;

/// The repository's root.
pub(crate) fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `tests/fixtures/<path>`, e.g. `valid/ok-basic`.
pub(crate) fn fixture(path: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(path)
}

/// The settings of a [`TestSite::new`] site.
/// Settings with every fact the accessibility statement needs, so tests of other things see no
/// warning about it.
pub(crate) const SITE_YML: &str = "title: Personalhandboken\norganisation: Alingsås kommun\naccessibility:\n  status: partial\n  contact: HR-avdelningen\n  known_gaps: []\n  assessment: Egen granskning.\n  assessed: 2026-01-01\n  reviewed: 2026-01-01\n";

/// A handbook in a temporary folder: `content/` for the sources, `public/` for the output.
pub(crate) struct TestSite {
    dir: TempDir,
}

impl TestSite {
    /// Settings and a start page, nothing else.
    pub(crate) fn new() -> TestSite {
        TestSite::empty()
            .with("site.yml", SITE_YML)
            .with("index.md", "---\ntitle: Start\n---\nVälkommen.\n")
    }

    /// An empty folder (no `content/` yet).
    pub(crate) fn empty() -> TestSite {
        TestSite {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    /// A copy of `tests/fixtures/<path>` as `content/`.
    pub(crate) fn fixture(path: &str) -> TestSite {
        let site = TestSite::empty();
        copy_dir(&fixture(path), &site.content());
        site
    }

    /// These content files (path inside `content/` → text), added or replaced.
    pub(crate) fn files(files: &[(&str, &str)]) -> TestSite {
        files
            .iter()
            .fold(TestSite::empty(), |site, (path, text)| site.with(path, text))
    }

    /// The site with `content/<rel>` written.
    pub(crate) fn with(self, rel: &str, text: &str) -> TestSite {
        self.write(&format!("content/{rel}"), text);
        self
    }

    /// Write `text` to `rel`, a path inside the temporary folder (`content/x.md`).
    pub(crate) fn write(&self, rel: &str, text: &str) {
        self.write_bytes(rel, text.as_bytes());
    }

    /// Write `bytes` to `rel`, a path inside the temporary folder.
    pub(crate) fn write_bytes(&self, rel: &str, bytes: &[u8]) {
        let path = self.path(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, bytes).unwrap();
    }

    /// A page titled "Sida" with `body`, at `content/<rel>`.
    pub(crate) fn page(&self, rel: &str, body: &str) {
        self.write(&format!("content/{rel}"), &format!("---\ntitle: Sida\n---\n{body}"));
    }

    /// The temporary folder.
    pub(crate) fn root(&self) -> &Path {
        self.dir.path()
    }

    /// `rel` inside the temporary folder.
    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// The content folder.
    pub(crate) fn content(&self) -> PathBuf {
        self.path("content")
    }

    /// Run `handbok <args>` in the temporary folder.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        run_in(self.root(), args)
    }

    /// `handbok build`.
    pub(crate) fn build(&self) -> Run {
        self.run(&["build"])
    }

    /// `handbok check`.
    pub(crate) fn check(&self) -> Run {
        self.run(&["check"])
    }

    /// What `build` would read and write, for the library.
    pub(crate) fn options(&self) -> BuildOptions {
        BuildOptions {
            content: self.content(),
            theme: None,
            out: self.path("public"),
            preview: false,
            history_from: None,
        }
    }

    /// `handbok serve` over this folder on a port the system picks, quiet, with a short
    /// debounce so tests wait little for a save to be seen. Stops when dropped.
    pub(crate) fn serve(&self) -> Server {
        let mut options = ServeOptions::new(self.options());
        options.port = Some(0);
        options.verbose = false;
        options.debounce = Duration::from_millis(100);
        Server::start(options).expect("server starts")
    }

    /// The whole build in memory, through the library, nothing written.
    pub(crate) fn in_memory(&self) -> InMemory {
        let mut diags = Diagnostics::new();
        let built = handbok::build_in_memory(&self.options(), &mut diags);
        InMemory {
            built,
            diags,
            prefix: format!("{}/", self.root().display()),
        }
    }

    /// Every file below `rel`, path → bytes (empty when the folder does not exist).
    pub(crate) fn tree(&self, rel: &str) -> BTreeMap<String, Vec<u8>> {
        let root = self.path(rel);
        let mut found = BTreeMap::new();
        if !root.exists() {
            return found;
        }
        for entry in walkdir::WalkDir::new(&root).min_depth(1) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let rel = entry
                    .path()
                    .strip_prefix(&root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                found.insert(rel, fs::read(entry.path()).unwrap());
            }
        }
        found
    }

    /// The built page `public/<rel>`, parsed.
    pub(crate) fn html(&self, rel: &str) -> Html {
        read_html(&self.path("public").join(rel))
    }

    /// Names in the temporary folder beside `content/` and `public/` (staging leftovers).
    pub(crate) fn top_level(&self) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(self.root())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

/// A build run in memory: the site when it succeeded, and everything reported.
pub(crate) struct InMemory {
    /// The built files, when there were no errors.
    pub(crate) built: Option<BuiltSite>,
    /// Every error and warning.
    pub(crate) diags: Diagnostics,
    prefix: String,
}

impl InMemory {
    /// The diagnostics as `handbok` prints them, sorted, with the temporary folder cut off.
    pub(crate) fn shown(&self) -> String {
        self.shown_in(english())
    }

    /// Everything reported, as printed in the language of `strings`.
    pub(crate) fn shown_in(&self, strings: &Strings) -> String {
        self.diags
            .clone()
            .sorted()
            .iter()
            .map(|d| d.render(strings).replace(&self.prefix, ""))
            .collect::<Vec<_>>()
            .join("\n\n")
    }

    /// The first line of each diagnostic, sorted.
    pub(crate) fn headlines(&self) -> Vec<String> {
        self.diags
            .clone()
            .sorted()
            .iter()
            .map(|d| d.headline(english()).replace(&self.prefix, ""))
            .collect()
    }

    /// Every HTML page built, parsed; panics with the diagnostics when the build failed.
    pub(crate) fn pages(&self) -> BTreeMap<String, Html> {
        let built = self
            .built
            .as_ref()
            .unwrap_or_else(|| panic!("build failed:\n{}", self.shown()));
        built
            .files
            .iter()
            .filter(|(p, _)| p.ends_with(".html"))
            .map(|(p, b)| (p.clone(), Html::parse_document(std::str::from_utf8(b).unwrap())))
            .collect()
    }

    /// One built page, parsed; panics with the diagnostics when the build failed.
    pub(crate) fn html(&self, path: &str) -> Html {
        let built = self
            .built
            .as_ref()
            .unwrap_or_else(|| panic!("build failed:\n{}", self.shown()));
        let bytes = built.files.get(path).unwrap_or_else(|| panic!("{path} was not built"));
        Html::parse_document(std::str::from_utf8(bytes).unwrap())
    }
}

/// The result of one run of the binary.
pub(crate) struct Run {
    /// The exit code (-1 when killed by a signal).
    pub(crate) code: i32,
    /// Standard output.
    pub(crate) stdout: String,
    /// Standard error.
    pub(crate) stderr: String,
}

impl Run {
    /// Exit code 0, or a panic showing stderr.
    #[track_caller]
    pub(crate) fn succeeded(&self) -> &Run {
        assert_eq!(self.code, 0, "expected success, stderr:\n{}", self.stderr);
        self
    }

    /// Exit code 1, every needle in stderr, and no panic.
    #[track_caller]
    pub(crate) fn failed_with(&self, needles: &[&str]) -> &Run {
        assert_eq!(self.code, 1, "expected exit 1, stderr:\n{}", self.stderr);
        for needle in needles {
            assert!(
                self.stderr.contains(needle),
                "`{needle}` not in stderr:\n{}",
                self.stderr
            );
        }
        assert!(!self.stderr.contains("panicked"), "{}", self.stderr);
        self
    }
}

/// Run `handbok <args>` in `dir`, its messages in English (`HANDBOK_LANG=en`): the tests
/// match the English wording, and tests/integration/catalogue.rs checks the Swedish.
pub(crate) fn run_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_handbok"))
        .args(args)
        .env("HANDBOK_LANG", "en")
        .current_dir(dir)
        .output()
        .expect("the handbok binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The built-in string table in English, loaded once: what the tests word diagnostics with.
pub(crate) fn english() -> &'static Strings {
    static ENGLISH: OnceLock<Strings> = OnceLock::new();
    ENGLISH.get_or_init(|| Theme::builtin("en").expect("the built-in theme loads").strings)
}

/// The built-in string table in Swedish, loaded once.
pub(crate) fn swedish() -> &'static Strings {
    &theme().strings
}

/// The built-in theme in Swedish, loaded once (for tests that render Markdown or forms alone).
pub(crate) fn theme() -> &'static Theme {
    static THEME: OnceLock<Theme> = OnceLock::new();
    THEME.get_or_init(|| Theme::builtin("sv").expect("the built-in theme loads"))
}

/// The shipped handbook's build output.
pub(crate) struct Shipped {
    /// The output folder.
    pub(crate) public: PathBuf,
}

impl Shipped {
    /// A built page, parsed.
    pub(crate) fn html(&self, rel: &str) -> Html {
        read_html(&self.public.join(rel))
    }

    /// Every HTML page's path, `/`-separated.
    pub(crate) fn html_files(&self) -> Vec<String> {
        walkdir::WalkDir::new(&self.public)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
            .map(|e| {
                e.path()
                    .strip_prefix(&self.public)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect()
    }
}

/// The shipped handbook (`content/`), built with the binary once per test binary.
pub(crate) fn shipped() -> &'static Shipped {
    static SHIPPED: OnceLock<Shipped> = OnceLock::new();
    SHIPPED.get_or_init(|| {
        // One folder per test process (a runner may start several at once); folders that
        // earlier runs left are removed once they are an hour old.
        let parent = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("shipped");
        for old in fs::read_dir(&parent).into_iter().flatten().flatten() {
            let stale = old
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|t| t.elapsed().is_ok_and(|age| age.as_secs() > 3600));
            if stale {
                let _ = fs::remove_dir_all(old.path());
            }
        }
        let public = parent.join(std::process::id().to_string());
        if public.exists() {
            fs::remove_dir_all(&public).unwrap();
        }
        build_shipped_into(&public).succeeded();
        Shipped { public }
    })
}

/// Build the shipped handbook into `out` with the binary.
pub(crate) fn build_shipped_into(out: &Path) -> Run {
    run_in(
        &repo_root(),
        &["build", "--content", "content", "--out", out.to_str().unwrap()],
    )
}

/// Copy a folder recursively.
pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            fs::create_dir_all(&target).unwrap();
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A file, parsed as an HTML document.
pub(crate) fn read_html(path: &Path) -> Html {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Html::parse_document(&text)
}

/// A CSS selector.
pub(crate) fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

/// The text of every element matching `css`, whitespace collapsed.
pub(crate) fn texts(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&sel(css))
        .map(|e| collapse(&e.text().collect::<String>()))
        .collect()
}

/// The value of `attr` on every element matching `css` that has it.
pub(crate) fn attrs(doc: &Html, css: &str, attr: &str) -> Vec<String> {
    doc.select(&sel(css))
        .filter_map(|e| e.value().attr(attr).map(str::to_owned))
        .collect()
}

/// How many elements match `css`.
pub(crate) fn count(doc: &Html, css: &str) -> usize {
    doc.select(&sel(css)).count()
}

/// Whitespace collapsed to single spaces.
pub(crate) fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `<main>` of a page, to snapshot.
pub(crate) fn main_html(doc: &Html) -> String {
    doc.select(&sel("main")).next().map(|m| m.html()).unwrap_or_default()
}
