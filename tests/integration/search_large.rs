//! The search index of a large site: cut into shards the manifest lists (words, suffixes,
//! postings and page texts, each shard within its budget), and the same bytes from the same
//! content, with a new token and unmoved shards after a change. The index reader comes from
//! `search.rs`.

use std::collections::{BTreeMap, BTreeSet};

use handbok::search::{self, decode_front_coded, decode_numbers, Layout, INDEX_PATH, SHARD_DIR};

use crate::search::{files_with, Index};
use crate::support::*;

/// A site of `n` pages in sections of 20, each page about 1.5 KB of text with headings.
fn large_site(n: usize) -> TestSite {
    let words = [
        "lön",
        "lönen",
        "semester",
        "arbetsmiljö",
        "medarbetarsamtal",
        "utvecklingssamtalet",
        "rehabilitering",
        "försäkring",
        "chefen",
        "ansvarar",
        "tjänstledighet",
        "friskvård",
    ];
    let mut site = TestSite::new();
    for i in 1..n {
        let section = format!("avsnitt-{:02}", i / 20);
        let path = if i % 20 == 0 {
            format!("{section}/index.md")
        } else {
            format!("{section}/sida-{i:03}.md")
        };
        let mut body = format!("---\ntitle: Sida {i} om {}\n---\n", words[i % words.len()]);
        for h in 0..3 {
            body.push_str(&format!("\n## Rubrik {h} {}\n\n", words[(i + h) % words.len()]));
            for k in 0..60 {
                body.push_str(words[(i * 7 + h * 3 + k * k) % words.len()]);
                body.push_str(if k % 9 == 8 { ". " } else { " " });
            }
            body.push_str(&format!("Nummer {i}.\n"));
        }
        site = site.with(&path, &body);
    }
    // The first section's page (the others are page 20, 40, …).
    site.with("avsnitt-00/index.md", "---\ntitle: Avsnitt 0\n---\nAvsnitt.\n")
}

#[test]
fn a_large_site_is_cut_into_shards_the_manifest_lists() {
    let site = large_site(400);
    let built = site.in_memory();
    assert!(built.diags.iter().all(|d| !d.is_error()), "{}", built.shown());
    let written = &built.built.as_ref().unwrap().files;
    for kind in ["d0", "s0", "p0", "f0", "f1"] {
        assert!(written.contains_key(&format!("{SHARD_DIR}{kind}.js")), "{kind}");
    }
    // At most one index file per 20 pages, the manifest among them (16 KB shards would be ~45).
    let index_files = written.keys().filter(|p| search::is_index_file(p)).count();
    assert!(index_files <= 400 / 20, "{index_files} index files for 400 pages");
    // Smaller shards than the build's, so every kind has several.
    let files = &files_with(
        &site,
        &Layout {
            words: 1024,
            suffixes: 256,
            postings: 2048,
            pages: 16 * 1024,
            one_file: 0,
            pages_per_file: 0,
        },
    );
    let index = Index::read(files);
    assert!(index.manifest.get("inline").is_none());
    let m = &index.manifest;
    let count = |k: &str| m[k].as_array().unwrap().len();
    let groups = decode_numbers(m["f"].as_str().unwrap());
    // Every shard the manifest names is a file, and every file is named.
    let mut named = BTreeSet::new();
    for (kind, n) in [
        ('d', count("d")),
        ('s', count("s")),
        ('p', count("p")),
        ('f', groups.len()),
    ] {
        assert!(n > 1, "more than one {kind} shard");
        named.extend((0..n).map(|i| format!("{kind}{i}")));
    }
    assert_eq!(index.files, named);
    // Shards are small: a page shard holds pages up to 16 KB (a bigger page would be alone).
    for (path, bytes) in files.iter().filter(|(p, _)| p.starts_with(SHARD_DIR)) {
        assert!(bytes.len() < 24 * 1024, "{path} is {} bytes", bytes.len());
    }
    // The page shards hold every page once, in reading order, as many as the manifest says.
    let pages = index.pages();
    assert_eq!(pages.len() as u64, m["pages"].as_u64().unwrap());
    assert_eq!(groups.iter().sum::<u64>(), pages.len() as u64);
    for (f, &n) in index.kind('f').iter().zip(&groups) {
        assert_eq!(f["p"].as_array().unwrap().len() as u64, n);
    }
    assert_eq!(pages[0][0], "Start");
    // Each word shard starts with the word the manifest says, and shards follow in order.
    let firsts: Vec<String> = index
        .kind('d')
        .iter()
        .map(|d| decode_front_coded(d["t"].as_str().unwrap())[0].clone())
        .collect();
    assert_eq!(serde_json::to_value(&firsts).unwrap(), m["d"]);
    let terms = index.terms();
    assert!(terms.windows(2).all(|w| w[0] < w[1]), "sorted across shards");
    // The posting shards cover the vocabulary, numbered as the manifest says, with their sizes.
    let mut next = 0;
    for (i, p) in index.kind('p').iter().enumerate() {
        assert_eq!(m["p"][i][0], next);
        assert_eq!(p["id"], next);
        next += p["p"].as_array().unwrap().len();
        let file = &files[&format!("{SHARD_DIR}p{i}.js")];
        let json_len = serde_json::to_string(p).unwrap().len() as u64;
        assert!(m["p"][i][1].as_u64().unwrap().abs_diff(json_len) < 64, "size of p{i}");
        assert!(file.len() as u64 > json_len);
    }
    assert_eq!(next, terms.len());
    // A word on many pages: every page listed once, in order.
    let semester = index.postings("semester");
    assert!(semester.len() > 100);
    assert!(semester.windows(2).all(|w| w[0].0 < w[1].0));
}

#[test]
fn the_same_content_gives_the_same_index_and_a_change_gives_a_new_token() {
    let read = |site: &TestSite| {
        let built = site.in_memory();
        let files = built.built.unwrap().files;
        files
            .into_iter()
            .filter(|(p, _)| p == INDEX_PATH || p.starts_with(SHARD_DIR))
            .collect::<BTreeMap<_, _>>()
    };
    let one = read(&large_site(200));
    let two = read(&large_site(200));
    assert!(one.len() > 4);
    assert!(one == two, "two builds of the same content give the same index files");
    let changed = read(&large_site(200).with("avsnitt-03/sida-061.md", "---\ntitle: Ny\n---\nNy text.\n"));
    let token = |files: &BTreeMap<String, Vec<u8>>| Index::read(files).manifest["token"].clone();
    assert_ne!(token(&one), token(&changed));
    // Pages before the change keep their shard, byte for byte (shard names do not move).
    let first = format!("{SHARD_DIR}f0.js");
    assert_eq!(one[&first], changed[&first]);
}
