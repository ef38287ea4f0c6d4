//! Hostile and broken input of unusual size or shape, end to end: deep nesting, a 20 MB page in
//! bounded memory, big pages, empty files, front matter only, a byte order mark and Windows line
//! endings, invalid UTF-8. Each case runs the real binary on a content folder made in a temporary
//! directory and checks the exit code, the message, and the output folder.

use std::fs;

use scraper::Selector;

use crate::hostile::{built, select};
use crate::support::*;

// ---------------------------------------------------------------- sizes and shapes

#[test]
fn deep_nesting_never_overflows_the_stack() {
    let f = TestSite::new();
    f.page("citat.md", &format!("{} djupt\n", ">".repeat(50_000)));
    let mut list = String::new();
    for level in 0..3_000 {
        list.push_str(&"  ".repeat(level));
        list.push_str("- nivå\n");
    }
    f.page("lista.md", &list);
    f.page(
        "rubrik.md",
        &format!("# {}x{}\n", "*".repeat(20_000), "*".repeat(20_000)),
    );
    f.page(
        "lankar.md",
        &format!("{}x{}\n", "[".repeat(20_000), "](index.md)".repeat(20_000)),
    );
    f.build().succeeded();
    let html = fs::read_to_string(f.path("public/citat.html")).unwrap();
    assert!(html.contains("djupt"));
    assert!(
        fs::read_to_string(f.path("public/lista.html"))
            .unwrap()
            .matches("<li>")
            .count()
            >= 3_000
    );
    // 50,000 nested raw HTML elements: a clear error instead of minutes of parsing.
    let before = f.tree("public");
    f.page(
        "html.md",
        &format!("{}x{}\n", "<div>".repeat(50_000), "</div>".repeat(50_000)),
    );
    f.build()
        .failed_with(&["content/html.md:4", "nested more than 1000 elements deep"]);
    assert_eq!(f.tree("public"), before);
}

/// About 20 MB of ordinary paragraphs with links and headings.
#[cfg(target_os = "linux")]
fn twenty_megabyte_page() -> String {
    let mut big = String::with_capacity(21_000_000);
    let mut n = 0;
    while big.len() < 20_000_000 {
        n += 1;
        if n % 500 == 0 {
            big.push_str(&format!("## Avsnitt {n}\n\n"));
        }
        big.push_str("Medarbetaren har rätt till [ledighet](#avsnitt-500) enligt avtalet, se ”Allmänna bestämmelser” för mer.\n\n");
    }
    big
}

/// Run `handbok build --timings` in `dir` and return its exit code and the peak resident memory
/// it reports (its own `VmHWM`; a parent's `wait4` figure would include the test process,
/// whose memory a forked child starts with).
#[cfg(target_os = "linux")]
fn build_measuring_memory(dir: &std::path::Path) -> (i32, u64) {
    let run = run_in(dir, &["build", "--timings"]);
    let mib: f64 = run
        .stdout
        .lines()
        .find_map(|l| l.trim().strip_prefix("peak mem"))
        .and_then(|rest| rest.trim().trim_end_matches("MiB").trim().parse().ok())
        .unwrap_or_else(|| panic!("no peak memory in {}\n{}", run.stdout, run.stderr));
    (run.code, (mib * 1048576.0) as u64)
}

#[cfg(target_os = "linux")]
#[test]
fn a_20_mb_page_builds_in_bounded_memory() {
    let f = TestSite::new();
    let big = twenty_megabyte_page();
    f.page("stor.md", &big);
    let (code, peak) = build_measuring_memory(f.path("").as_path());
    assert_eq!(code, 0);
    assert!(fs::metadata(f.path("public/stor.html")).unwrap().len() > 20_000_000);
    // The site itself is about 3 × the page (the page, the whole-handbook print view, the search
    // index) and the Markdown parser's own tree about 3 × more; 12 × leaves room for the
    // allocator, not for another copy of the page's events.
    let ratio = peak as f64 / big.len() as f64;
    assert!(ratio < 12.0, "peak memory {} MB is {ratio:.1} × the page", peak >> 20);
}

/// A run of 200,000 letters with no space (a pasted blob): the search index listed every ending
/// of every word, the square of its length (10 GB for 100,000 letters, a minute's work).
#[cfg(target_os = "linux")]
#[test]
fn a_word_of_200000_letters_builds_in_bounded_memory() {
    let f = TestSite::new();
    let blob = "å".repeat(200_000);
    f.page("blob.md", &format!("Före {blob} efter.\n"));
    let (code, peak) = build_measuring_memory(f.path("").as_path());
    assert_eq!(code, 0);
    assert!(fs::read_to_string(f.path("public/blob.html"))
        .unwrap()
        .contains("efter."));
    assert!(peak < 150 << 20, "peak memory {} MB for a 0.4 MB page", peak >> 20);
}

#[cfg(target_os = "linux")]
#[test]
fn big_pages_build() {
    let f = TestSite::new();
    // A 100,000-row table.
    let mut table = String::from("| Nr | Namn | Belopp |\n|---:|:---|:---:|\n");
    for i in 0..100_000 {
        table.push_str(&format!("| {i} | Rad {i} | {} kr |\n", i * 3));
    }
    f.page("tabell.md", &table);
    // One 2 MB line with 20,000 links in it.
    f.page(
        "rad.md",
        &format!("{}\n", "[a](index.md) ord ".repeat(20_000).repeat(5)),
    );
    let (code, peak) = build_measuring_memory(f.path("").as_path());
    assert_eq!(code, 0);
    // Nearly all markup (a cell or a link every few bytes): pulldown-cmark's own tree is about
    // 12-16 × such input, and every link is kept for checking. Measured 35-38 ×; before long
    // blocks were cut between rows and inline elements it was 48 ×.
    let input = 3_340_000 + 1_800_000;
    assert!(
        peak < 45 * input,
        "peak memory {} MB for {} MB of Markdown",
        peak >> 20,
        input >> 20
    );
    let table = fs::read_to_string(f.path("public/tabell.html")).unwrap();
    assert_eq!(table.matches("<tr>").count(), 100_001);
    assert!(table.contains("text-align: right"));
}

#[test]
fn empty_file_is_a_clear_error() {
    let (f, before) = built();
    f.write("content/tom.md", "");
    f.build().failed_with(&["content/tom.md:1:1", "no front matter"]);
    assert_eq!(f.tree("public"), before);
}

#[test]
fn only_front_matter_is_a_page() {
    let f = TestSite::new();
    f.write("content/bara.md", "---\ntitle: Bara rubrik\n---");
    f.write("content/bara2.md", "---\ntitle: Bara rubrik två\n---\n");
    f.build().succeeded();
    let html = f.html("bara.html");
    let h1: String = html
        .select(&Selector::parse("h1").unwrap())
        .next()
        .unwrap()
        .text()
        .collect();
    assert!(h1.contains("Bara rubrik"));
    assert!(f.path("public/bara2.html").exists());
}

#[test]
fn bom_and_windows_line_endings_work_and_keep_line_numbers() {
    let f = TestSite::new();
    f.write_bytes(
        "content/bom.md",
        "\u{feff}---\r\ntitle: Med BOM\r\n---\r\n# Rubrik\r\n\r\nÅäö.\r\n".as_bytes(),
    );
    f.build().succeeded();
    let html = f.html("bom.html");
    assert_eq!(select(&html, "h2#rubrik, h1#rubrik"), 1);
    assert!(!fs::read_to_string(f.path("public/bom.html"))
        .unwrap()
        .contains('\u{feff}'));
    // An error on line 5 of a CRLF file is reported on line 5.
    f.write_bytes(
        "content/bom.md",
        b"---\r\ntitle: A\r\n---\r\n\r\n<script>x</script>\r\n",
    );
    f.build().failed_with(&["content/bom.md:5", "`<script>`"]);
}

#[test]
fn invalid_utf8_is_a_clear_error_with_position() {
    let (f, before) = built();
    f.write_bytes("content/latin1.md", b"---\ntitle: L\xf6n\n---\n");
    f.build()
        .failed_with(&["content/latin1.md:2:9", "not valid UTF-8", "UTF-8"]);
    assert_eq!(f.tree("public"), before);
}
