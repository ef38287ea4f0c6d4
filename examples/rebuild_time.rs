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
//! - With `--incremental`: the library's incremental rebuild, given the previous build and the
//!   changed file. See [`incremental`]: it says "not available" until `handbok::` has one.
//!
//! Prints one line: the median and fastest rebuild, or why there is none.

use std::path::{Path, PathBuf};
use std::time::Instant;

use handbok::diag::Diagnostics;
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

/// The hook for the incremental rebuild. When `handbok::` exposes one, implement this as
/// [`full`] does: build once (keeping what the incremental API needs), then per run write
/// `edited(original, edit, run)` to `page`, start the clock, rebuild incrementally with the
/// changed path, stop the clock; return the times in ms and the number of files in the result.
/// Until then it says why there are no figures, and benches/run.py prints that.
fn incremental(
    _options: &BuildOptions,
    _page: &Path,
    (_original, _edit, _runs): (&str, Edit, usize),
) -> Result<(Vec<f64>, usize), String> {
    Err(
        "not available: handbok:: has no incremental rebuild yet (hook: `incremental` in examples/rebuild_time.rs)"
            .into(),
    )
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
    };
    let page = walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .find(|p| p.extension().is_some_and(|e| e == "md") && p.file_name().is_some_and(|n| n != "index.md"))
        .expect("no page to change");
    let original = std::fs::read_to_string(&page).expect("reading the page");
    let measured = if incremental_rebuild {
        incremental(&options, &page, (&original, edit, runs))
    } else {
        Ok(full(&options, &page, (&original, edit, runs)))
    };
    std::fs::write(&page, &original).expect("restoring the page");
    let changed = page.strip_prefix(&content).unwrap_or(&page).display();
    match measured {
        Ok((mut times, files)) => {
            times.sort_by(f64::total_cmp);
            println!(
                "{:.1} ms median of {runs}, fastest {:.1} ms ({files} files in memory; changed {changed})",
                times[runs / 2],
                times[0],
            );
        }
        Err(why) => println!("{why}"),
    }
}

fn usage() -> ! {
    eprintln!("usage: rebuild_time CONTENT_DIR [RUNS] [--edit body|title] [--incremental]");
    std::process::exit(2);
}
