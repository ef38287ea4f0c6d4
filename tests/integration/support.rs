//! Shared helpers: copy a fixture to a temp folder, run the binary, parse HTML.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// The result of one run of the binary.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

/// Run `handbok <args>` in `dir`.
pub fn handbok(dir: &Path, args: &[&str]) -> Run {
    Command::new(env!("CARGO_BIN_EXE_handbok"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the handbok binary runs")
        .into()
}

/// A temp folder holding a copy of `fixture` as `content/`.
pub fn site_from_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(name), &dir.path().join("content"));
    dir
}

pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

pub fn read_html(path: &Path) -> Html {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Html::parse_document(&text)
}

pub fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap()
}

/// The text of every element matching `css`, whitespace collapsed.
pub fn texts(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&sel(css))
        .map(|e| collapse(&e.text().collect::<String>()))
        .collect()
}

pub fn attrs(doc: &Html, css: &str, attr: &str) -> Vec<String> {
    doc.select(&sel(css))
        .filter_map(|e| e.value().attr(attr).map(str::to_owned))
        .collect()
}

pub fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `<main>` of a page, pretty enough to snapshot.
pub fn main_html(doc: &Html) -> String {
    doc.select(&sel("main")).next().map(|m| m.html()).unwrap_or_default()
}
