//! Times one rebuild after a one-file change, the way `handbok serve` rebuilds (the whole site
//! in memory with `build_in_memory`), for benches/run.py.
//!
//! `cargo run --release --example rebuild_time -- CONTENT_DIR [RUNS]` builds once to warm up,
//! then RUNS times (default 5) appends a paragraph to one page and builds again (timed), and
//! restores the page. Prints the median and the fastest rebuild.

use std::path::PathBuf;
use std::time::Instant;

use handbok::diag::Diagnostics;

fn main() {
    let content = PathBuf::from(std::env::args().nth(1).expect("usage: rebuild_time CONTENT_DIR"));
    let options = handbok::BuildOptions {
        content: content.clone(),
        theme: None,
        out: std::env::temp_dir().join("handbok-rebuild-unused"),
        preview: false,
    };
    let mut diags = Diagnostics::new();
    handbok::build_in_memory(&options, &mut diags).expect("the first build failed");
    let page = walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.into_path())
        .find(|p| p.extension().is_some_and(|e| e == "md") && p.file_name().is_some_and(|n| n != "index.md"))
        .expect("no page to change");
    let runs: usize = std::env::args().nth(2).and_then(|n| n.parse().ok()).unwrap_or(5).max(1);
    let original = std::fs::read_to_string(&page).expect("reading the page");
    let mut times = Vec::with_capacity(runs);
    let mut files = 0;
    for run in 0..runs {
        let changed = format!("{original}\nEn ny mening om semester och ledighet ({run}).\n");
        std::fs::write(&page, changed).expect("writing");
        let started = Instant::now();
        let mut diags = Diagnostics::new();
        let built = handbok::build_in_memory(&options, &mut diags);
        times.push(started.elapsed().as_secs_f64() * 1e3);
        match built {
            Some(site) => files = site.files.len(),
            None => {
                std::fs::write(&page, &original).expect("restoring the page");
                panic!("the rebuild failed");
            }
        }
    }
    std::fs::write(&page, original).expect("restoring the page");
    times.sort_by(f64::total_cmp);
    println!(
        "{:.1} ms median of {runs}, fastest {:.1} ms ({files} files in memory; changed {})",
        times[runs / 2],
        times[0],
        page.strip_prefix(&content).unwrap_or(&page).display()
    );
}
