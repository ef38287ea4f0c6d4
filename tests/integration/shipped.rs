//! The shipped Alingsås handbook: it builds, every page is reachable from the start page,
//! every sentence of the seed documents is on the site, and two builds give the same bytes.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fs;
use std::path::Path;

use crate::support::*;

#[test]
fn every_page_is_reachable_from_the_start_page() {
    let public = &shipped().public;
    let all: BTreeSet<String> = shipped().html_files().into_iter().collect();
    let mut seen = BTreeSet::from(["index.html".to_string()]);
    let mut queue = VecDeque::from(["index.html".to_string()]);
    while let Some(page) = queue.pop_front() {
        let doc = read_html(&public.join(&page));
        let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
        for href in attrs(&doc, "a[href]", "href") {
            let path = href.split('#').next().unwrap();
            if path.is_empty() || href.contains(':') {
                continue;
            }
            let target = handbok::paths::join_normalised(dir, path).expect("link stays inside the site");
            assert!(public.join(&target).exists(), "{page} links to missing {target}");
            if target.ends_with(".html") && seen.insert(target.clone()) {
                queue.push_back(target);
            }
        }
    }
    let unreached: Vec<_> = all.difference(&seen).collect();
    assert!(unreached.is_empty(), "pages not reachable by links: {unreached:?}");
    assert!(all.len() >= 13, "only {} pages", all.len());
}

/// Mend a seed as the content was mended (join hard-broken lines, drop bullets and the stray
/// NULL), then cut it into sentences. A line that ends without punctuation and is followed by
/// one starting with a capital is taken as a heading or label and cut there too.
fn seed_sentences(text: &str) -> Vec<String> {
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.trim().trim_start_matches(['•', '\u{f0b7}']).trim())
        .map(|l| l.strip_prefix("o ").unwrap_or(l).to_string())
        .filter(|l| !l.is_empty() && l != "NULL")
        .collect();
    let mut joined = String::new();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            let starts_upper = line
                .chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '(');
            let prev = lines[i - 1].trim_end();
            let continues = prev.ends_with([',', ';']);
            joined.push(if starts_upper && !continues { '\n' } else { ' ' });
        }
        joined.push_str(line);
    }
    let joined = joined.replace("Politi sk", "Politisk");
    joined
        .split('\n')
        .flat_map(|fragment| {
            fragment
                .split_inclusive(['.', '!', '?', ':'])
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .map(|s| collapse(&s).trim_matches(['-', '_', ' ']).trim().to_string())
        .filter(|s| s.chars().filter(|c| c.is_alphabetic()).count() >= 12)
        .collect()
}

fn normalise(s: &str) -> String {
    // Soft hyphens (U+00AD, in headings and labels) are invisible: not part of the text.
    collapse(&s.replace(['”', '"', '*', '…', '\\', '\u{ad}'], "").replace("...", "")).to_lowercase()
}

#[test]
fn every_sentence_of_the_seeds_is_on_the_site() {
    let public = &shipped().public;
    let mut site_text = String::new();
    for page in shipped().html_files() {
        let doc = read_html(&public.join(&page));
        for main in doc.select(&sel("main")) {
            site_text.push_str(&main.text().collect::<String>());
            site_text.push(' ');
        }
        // Form labels and placeholders are text a reader sees too.
        for attr in ["placeholder", "aria-label"] {
            for value in attrs(&doc, &format!("main [{attr}]"), attr) {
                site_text.push_str(&value);
                site_text.push(' ');
            }
        }
    }
    let site_text = normalise(&site_text);
    let mut missing = Vec::new();
    let mut checked = 0;
    for seed in fs::read_dir(repo_root().join("tests/seeds")).unwrap() {
        let text = fs::read_to_string(seed.unwrap().path()).unwrap();
        for sentence in seed_sentences(&text) {
            checked += 1;
            // Numbered parts and bullet letters may have become list markup.
            let wanted = normalise(
                sentence
                    .trim_start_matches(|c: char| c.is_ascii_digit() || c == '.')
                    .trim(),
            );
            let wanted = wanted.trim_end_matches(':').trim();
            if !site_text.contains(wanted) {
                missing.push(sentence);
            }
        }
    }
    assert!(checked > 150, "only {checked} sentences found in the seeds");
    assert!(
        missing.is_empty(),
        "{} of {checked} seed sentences missing:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn two_builds_give_identical_bytes() {
    let out = tempfile::tempdir().unwrap();
    let (a, b) = (shipped().public.clone(), out.path().join("b"));
    build_shipped_into(&b).succeeded();
    let read_all = |dir: &Path| -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                (
                    e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(),
                    fs::read(e.path()).unwrap(),
                )
            })
            .collect()
    };
    let (first, second) = (read_all(&a), read_all(&b));
    assert_eq!(first.keys().collect::<Vec<_>>(), second.keys().collect::<Vec<_>>());
    for (path, bytes) in &first {
        assert!(bytes == &second[path], "{path} differs between builds");
    }
}

/// The page as the content makes it, from a copy outside the repository: dates and links from
/// the Git history change with every commit (and with a shallow clone), so they are checked by
/// the history tests instead.
#[test]
fn snapshot_of_a_shipped_policy_page() {
    let site = TestSite::empty();
    copy_dir(&repo_root().join("content"), &site.content());
    site.build().succeeded();
    let doc = site.html("medarbetarpolicy/arbetsmiljo-och-halsa.html");
    assert_eq!(texts(&doc, "h1"), ["Arbetsmiljö och hälsa"]);
    insta::assert_snapshot!("shipped_arbetsmiljo_main", main_html(&doc));
}

/// The shipped statement states what can honestly be stated (how and when the handbook was
/// assessed, who to contact) and shows no "Uppgift saknas" box to readers; the rest (status,
/// known gaps, an e-mail address) is for the municipality to fill in, and `check` says so.
#[test]
fn the_shipped_accessibility_statement_is_honest_and_has_no_missing_boxes() {
    let doc = shipped().html("tillganglighetsredogorelse.html");
    assert_eq!(count(&doc, ".missing"), 0);
    let main: String = texts(&doc, "main").concat();
    assert!(main.contains("Kontakt: Rekryteringsenheten, HR-avdelningen"), "{main}");
    assert!(main.contains("Självskattning"), "{main}");
    assert_eq!(count(&doc, "a[href^='mailto:']"), 0, "no invented e-mail address");
    for claim in ["helt förenlig", "delvis förenlig", "inte förenlig"] {
        assert!(!main.contains(claim), "no compliance claim: {claim}");
    }
}
