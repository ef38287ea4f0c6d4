//! Benchmark (not a timed test) of the search index: build time, number of files and size
//! against the site's text size, on generated Swedish-like handbooks of 100, 1,000 and 10,000
//! pages (a large vocabulary of compounds). What a query loads is measured in the browser:
//! `tests/browser/search.test.mjs` with `HANDBOK_SEARCH_PERF_SITE`.
//!
//! `cargo bench --bench search_index` prints one line per size.
//! `cargo bench --bench search_index -- --keep DIR` also leaves each generated content folder in
//! `DIR/pages-N/` so it can be built with `handbok build` and searched in a browser
//! (`tests/browser/search.test.mjs` measures query time on it when `HANDBOK_SEARCH_PERF_SITE` is set).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use handbok::diag::Diagnostics;
use handbok::pipeline::{Outcome, Request, Session};
use handbok::{search, BuildOptions};

/// Words that compounds are made of, as in an HR handbook.
const STEMS: &[&str] = &[
    "arbete",
    "arbets",
    "medarbetar",
    "lön",
    "löne",
    "samtal",
    "utveckling",
    "utvecklings",
    "miljö",
    "hälsa",
    "chef",
    "ledar",
    "ansvar",
    "policy",
    "mål",
    "plan",
    "kompetens",
    "försörjning",
    "rätt",
    "möjlighet",
    "värde",
    "grund",
    "del",
    "tid",
    "semester",
    "ledighet",
    "försäkring",
    "pension",
    "avtal",
    "kollektiv",
    "förmån",
    "rehabilitering",
    "sjuk",
    "frånvaro",
    "schema",
    "över",
    "arvode",
    "resa",
    "kostnad",
    "utbildning",
    "introduktion",
    "anställning",
    "uppsägning",
    "tjänst",
    "intyg",
    "friskvård",
    "bidrag",
    "säkerhet",
    "risk",
    "bedömning",
    "kränkning",
    "likabehandling",
    "diskriminering",
    "jämställdhet",
    "mångfald",
    "trygghet",
    "inflytande",
    "samverkan",
    "facklig",
    "förhandling",
    "beslut",
    "nämnd",
    "förvaltning",
    "verksamhet",
    "enhet",
    "grupp",
    "träff",
    "möte",
    "protokoll",
    "uppföljning",
    "dokumentation",
    "blankett",
    "ansökan",
    "handläggning",
    "ärende",
    "kvalitet",
    "service",
    "medborgar",
    "kommun",
];
const ENDINGS: &[&str] = &[
    "", "", "", "en", "et", "er", "ar", "erna", "arna", "ens", "ets", "s", "a", "ande",
];
const GLUE: &[&str] = &[
    "och",
    "att",
    "som",
    "för",
    "med",
    "på",
    "i",
    "av",
    "till",
    "det",
    "ska",
    "kan",
    "vi",
    "du",
    "alla",
    "när",
    "om",
    "inom",
    "genom",
    "mellan",
    "varje",
    "både",
    "också",
    "enligt",
    "utifrån",
    "tillsammans",
    "tydlig",
    "viktig",
    "gemensam",
    "regelbundet",
    "årligen",
    "särskilt",
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[(self.next() % list.len() as u64) as usize]
    }
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + (self.next() % (hi - lo + 1) as u64) as usize
    }
}

fn word(rng: &mut Rng) -> String {
    let mut w = rng.pick(STEMS).to_string();
    if rng.next().is_multiple_of(3) {
        w.push_str(rng.pick(STEMS));
    }
    w.push_str(rng.pick(ENDINGS));
    w
}

fn sentence(rng: &mut Rng, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        if rng.next() % 5 < 2 {
            s.push_str(rng.pick(GLUE));
        } else {
            s.push_str(&word(rng));
        }
    }
    let mut chars = s.chars();
    let first: String = chars.next().map(|c| c.to_uppercase().collect()).unwrap_or_default();
    format!("{first}{}.", chars.as_str())
}

fn title(rng: &mut Rng) -> String {
    {
        let n = rng.range(1, 3);
        sentence(rng, n)
    }
    .trim_end_matches('.')
    .to_string()
}

/// Write a handbook of `pages` pages (sections of 50) into `dir`.
pub fn generate(dir: &Path, pages: usize) {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ pages as u64);
    fs::create_dir_all(dir).unwrap();
    fs::write(
        dir.join("site.yml"),
        "title: Genererad handbok\norganisation: Testkommun\nlanguage: sv\n",
    )
    .unwrap();
    fs::write(
        dir.join("index.md"),
        "---\ntitle: Start\n---\n\nGenererad handbok för mätningar.\n",
    )
    .unwrap();
    let sections = pages.div_ceil(50);
    let mut written = 1;
    for s in 0..sections {
        let sdir = dir.join(format!("avsnitt-{s:04}"));
        fs::create_dir_all(&sdir).unwrap();
        let mut body = String::new();
        let _ = writeln!(
            body,
            "---\ntitle: {}\n---\n\n{}\n",
            title(&mut rng),
            sentence(&mut rng, 30)
        );
        fs::write(sdir.join("index.md"), body).unwrap();
        written += 1;
        for p in 0..49 {
            if written >= pages {
                break;
            }
            let mut body = String::new();
            let _ = writeln!(body, "---\ntitle: {}\n---\n", title(&mut rng));
            let n = rng.range(20, 40);
            let _ = writeln!(body, "{}\n", sentence(&mut rng, n));
            for _ in 0..rng.range(3, 6) {
                let _ = writeln!(body, "## {}\n", title(&mut rng));
                for _ in 0..rng.range(1, 3) {
                    let n = rng.range(25, 60);
                    let _ = writeln!(body, "{}\n", sentence(&mut rng, n));
                }
            }
            fs::write(sdir.join(format!("sida-{p:02}.md")), body).unwrap();
            written += 1;
        }
    }
}

/// This thread's CPU time in milliseconds (Linux), which a busy shared machine does not inflate
/// the way it inflates wall time.
fn thread_cpu_ms() -> Option<f64> {
    let stat = fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e6)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let keep = args
        .iter()
        .position(|a| a == "--keep")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from);
    let sizes: Vec<usize> = match std::env::var("HANDBOK_BENCH_SIZES") {
        Ok(s) => s.split(',').filter_map(|n| n.trim().parse().ok()).collect(),
        Err(_) => vec![100, 1_000, 10_000],
    };
    for pages in sizes {
        let temp = tempfile::tempdir().unwrap();
        let dir = match &keep {
            Some(k) => k.join(format!("pages-{pages}")),
            None => temp.path().join("content"),
        };
        if dir.exists() {
            fs::remove_dir_all(&dir).unwrap();
        }
        generate(&dir, pages);
        let mut diags = Diagnostics::default();
        let options = BuildOptions {
            content: dir.clone(),
            theme: None,
            out: temp.path().join("public"),
            preview: false,
            history_from: None,
        };
        // The one pipeline entry builds it; the session keeps the site and texts it indexed.
        let mut session = Session::new(options);
        let built = session.run(Request::Everything, &mut diags);
        assert!(matches!(built, Outcome::Built(Some(_))), "the generated content builds");
        let (site, texts) = session.search_input().expect("a kept session keeps what it indexed");
        let runs = if pages >= 10_000 { 3 } else { 10 };
        let mut best = f64::MAX;
        let mut best_cpu = f64::MAX;
        let mut files = Vec::new();
        let mut terms = 0;
        for _ in 0..runs {
            let started = Instant::now();
            let cpu_started = thread_cpu_ms();
            let index = search::build(site, texts);
            let built = started.elapsed().as_secs_f64() * 1000.0;
            files = index.files(&search::Layout::default());
            if std::env::var("HANDBOK_BENCH_VERBOSE").is_ok() {
                eprintln!(
                    "  build {built:.1} ms, files {:.1} ms",
                    started.elapsed().as_secs_f64() * 1000.0 - built
                );
            }
            best = best.min(started.elapsed().as_secs_f64() * 1000.0);
            if let (Some(a), Some(b)) = (cpu_started, thread_cpu_ms()) {
                best_cpu = best_cpu.min(b - a);
            }
            terms = index.terms.len();
        }
        let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
        let largest = files.iter().map(|(_, b)| b.len()).max().unwrap_or(0);
        let manifest = files
            .iter()
            .find(|(p, _)| p == search::INDEX_PATH)
            .map_or(0, |(_, b)| b.len());
        let text = search::text_bytes(site, texts);
        println!(
            "{pages:>6} pages: build {best:.1} ms wall, {best_cpu:.1} ms CPU (best of {runs}), {terms} terms, {} files (manifest {manifest} bytes, largest {largest}), {}",
            files.len(),
            search::describe(bytes, text)
        );
    }
}
