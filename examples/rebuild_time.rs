//! Times the rebuild after a one-file edit, for benches/run.py.
//!
//! `cargo run --release --example rebuild_time -- CONTENT_DIR [RUNS] [--edit body|title] [--incremental]`
//!
//! Picks one page (the first that is not a section's page, by file name), builds once to warm up,
//! then RUNS times (default 5) edits it and rebuilds (timed), and finally restores the page.
//! - `--edit body` (default) appends a sentence to the page's text; `--edit title` changes its
//!   `title:` in the front matter (which shows in other pages' navigation and links).
//! - Without `--incremental`: the whole site in memory with `handbok::build_in_memory`, which is
//!   what `handbok serve` runs on each save today.
//! - With `--incremental`: `handbok::incremental::Session`, given the previous build and the
//!   changed file: the time until the edited page is rendered again (`rebuild`, when a preview
//!   can reload) and until the search index is up to date too (`finish`). A title edit is a
//!   full build there, and says so.
//!
//! Everything stays in memory (nothing is written to disk). Prints one line: the median and
//! fastest rebuild.

use std::path::{Path, PathBuf};
use std::time::Instant;

use handbok::diag::Diagnostics;
use handbok::incremental::{Rebuilt, Session};
use handbok::BuildOptions;

/// What the edit changes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Edit {
    Body,
    Title,
}

/// The page's text after edit number `run`.
fn edited(original: &str, edit: Edit, run: usize) -> String {
    match edit {
        Edit::Body => format!("{original}\nEn ny mening om semester och ledighet ({run}).\n"),
        Edit::Title => {
            let mut done = false;
            let lines: Vec<String> = original
                .lines()
                .map(|line| match line.strip_prefix("title:") {
                    Some(title) if !done => {
                        done = true;
                        format!("title: {} (ändrad {run})", title.trim())
                    }
                    _ => line.to_string(),
                })
                .collect();
            assert!(done, "the page has no title: line");
            lines.join("\n") + "\n"
        }
    }
}

/// Full rebuilds: the whole site in memory after each edit. Returns the times in ms and the
/// number of files in memory.
fn full(options: &BuildOptions, page: &Path, (original, edit, runs): (&str, Edit, usize)) -> (Vec<f64>, usize) {
    let mut diags = Diagnostics::new();
    handbok::build_in_memory(options, &mut diags).expect("the first build failed");
    let mut times = Vec::with_capacity(runs);
    let mut files = 0;
    for run in 0..runs {
        std::fs::write(page, edited(original, edit, run)).expect("writing the page");
        let started = Instant::now();
        let mut diags = Diagnostics::new();
        let built = handbok::build_in_memory(options, &mut diags);
        times.push(started.elapsed().as_secs_f64() * 1e3);
        match built {
            Some(site) => files = site.files.len(),
            None => {
                std::fs::write(page, original).expect("restoring the page");
                panic!("the rebuild failed: {diags:?}");
            }
        }
    }
    (times, files)
}

/// Incremental rebuilds with [`handbok::incremental::Session`]: build once, then per run write
/// `edited(original, edit, run)` to `page` and time two moments: `rebuild` returning (the
/// edited page and what shows its text are rendered again, when the preview can reload) and
/// `finish` returning (the search index is up to date too). Returns the times in ms (rebuild,
/// rebuild + finish), the number of files in memory and what the last rebuild did.
fn incremental(options: &BuildOptions, page: &Path, (original, edit, runs): (&str, Edit, usize)) -> Incremental {
    let mut session = Session::new(options.clone());
    assert!(session.build(&mut Diagnostics::new()), "the first build failed");
    let mut measured = Incremental::default();
    for run in 0..runs {
        std::fs::write(page, edited(original, edit, run)).expect("writing the page");
        let started = Instant::now();
        let mut diags = Diagnostics::new();
        let rebuilt = session.rebuild(&[page.to_path_buf()], &mut diags);
        let rewritten = started.elapsed();
        session.finish();
        let finished = started.elapsed();
        let Some(rebuilt) = rebuilt else {
            std::fs::write(page, original).expect("restoring the page");
            panic!("the rebuild failed: {diags:?}");
        };
        measured.rebuild.push(rewritten.as_secs_f64() * 1e3);
        measured.finish.push(finished.as_secs_f64() * 1e3);
        measured.what = match rebuilt {
            Rebuilt::Full => "a full build".into(),
            Rebuilt::Text { outputs, .. } => format!("{} outputs rendered again", outputs.len()),
        };
    }
    measured.files = session.files().len();
    measured
}

/// The incremental rebuild's figures.
#[derive(Default)]
struct Incremental {
    /// Until the edited page is rendered again (ms).
    rebuild: Vec<f64>,
    /// Until the search index is up to date too (ms).
    finish: Vec<f64>,
    files: usize,
    /// What the last rebuild did.
    what: String,
}

/// (median, fastest) of the times.
fn median_and_fastest(mut times: Vec<f64>) -> (f64, f64) {
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], times[0])
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut positional = Vec::new();
    let mut edit = Edit::Body;
    let mut incremental_rebuild = false;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--incremental" => incremental_rebuild = true,
            "--edit" => {
                edit = match args.next().as_deref() {
                    Some("body") => Edit::Body,
                    Some("title") => Edit::Title,
                    _ => usage(),
                }
            }
            _ if arg.starts_with("--") => usage(),
            _ => positional.push(arg),
        }
    }
    let content = PathBuf::from(positional.first().unwrap_or_else(|| usage()));
    let runs: usize = positional
        .get(1)
        .map_or(5, |n| n.parse().unwrap_or_else(|_| usage()))
        .max(1);
    let options = BuildOptions {
        content: content.clone(),
        theme: None,
        out: std::env::temp_dir().join("handbok-rebuild-unused"),
        preview: false,
        history_from: None,
    };
    let page = walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .find(|p| p.extension().is_some_and(|e| e == "md") && p.file_name().is_some_and(|n| n != "index.md"))
        .expect("no page to change");
    let original = std::fs::read_to_string(&page).expect("reading the page");
    let plan = (original.as_str(), edit, runs);
    let line = if incremental_rebuild {
        let measured = incremental(&options, &page, plan);
        let (rebuild, rebuild_fastest) = median_and_fastest(measured.rebuild);
        let (finish, finish_fastest) = median_and_fastest(measured.finish);
        format!(
            "{rebuild:.1} ms median of {runs} until the page is rendered again (fastest {rebuild_fastest:.1} ms), \
             {finish:.1} ms until the search index is too (fastest {finish_fastest:.1} ms); {} ({} files in memory; \
             changed {})",
            measured.what,
            measured.files,
            page.strip_prefix(&content).unwrap_or(&page).display(),
        )
    } else {
        let (times, files) = full(&options, &page, plan);
        let (median, fastest) = median_and_fastest(times);
        format!(
            "{median:.1} ms median of {runs}, fastest {fastest:.1} ms ({files} files in memory; changed {})",
            page.strip_prefix(&content).unwrap_or(&page).display(),
        )
    };
    std::fs::write(&page, &original).expect("restoring the page");
    println!("{line}");
}

fn usage() -> ! {
    eprintln!("usage: rebuild_time CONTENT_DIR [RUNS] [--edit body|title] [--incremental]");
    std::process::exit(2);
}
