//! Times one rebuild after a one-file change, the way `handbok serve` rebuilds (the whole site
//! in memory with `build_in_memory`), for benches/run.py.
//!
//! `cargo run --release --example rebuild_time -- CONTENT_DIR` builds once to warm up, appends a
//! paragraph to one page, builds again (timed), and restores the page.

use std::path::PathBuf;
use std::time::Instant;

use handbok::diag::Diagnostics;

fn main() {
    let content = PathBuf::from(std::env::args().nth(1).expect("usage: rebuild_time CONTENT_DIR"));
    let options = handbok::BuildOptions {
        content: content.clone(),
        theme: None,
        out: std::env::temp_dir().join("handbok-rebuild-unused"),
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
    let original = std::fs::read_to_string(&page).expect("reading the page");
    std::fs::write(&page, format!("{original}\nEn ny mening om semester och ledighet.\n")).expect("writing");
    let started = Instant::now();
    let mut diags = Diagnostics::new();
    let built = handbok::build_in_memory(&options, &mut diags);
    let elapsed = started.elapsed();
    std::fs::write(&page, original).expect("restoring the page");
    let built = built.expect("the rebuild failed");
    println!(
        "{:.1} ms ({} files in memory; changed {})",
        elapsed.as_secs_f64() * 1e3,
        built.files.len(),
        page.strip_prefix(&content).unwrap_or(&page).display()
    );
}
