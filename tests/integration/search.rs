//! The search index (stage 5): a manifest the pages load on first use and, for a large site,
//! shards a query loads as it needs them; every page, normalised words, links to headings that
//! exist, the synonyms file (a large site's shards and same bytes from the same input:
//! `search_large.rs`).

use std::collections::{BTreeMap, BTreeSet};

use handbok::pipeline::{Outcome, Request, Session};
use handbok::search::{
    self, decode_front_coded, decode_numbers, decode_postings, Layout, Place, INDEX_PATH, SHARD_DIR,
};
use serde_json::Value;

use crate::support::*;

/// The index as the browser sees it: the manifest and every shard's data, read from a site's
/// files (output path → bytes).
pub(crate) struct Index {
    pub(crate) manifest: Value,
    pub(crate) shards: BTreeMap<String, Value>,
    /// Names of the shard files, when the index is not one file.
    pub(crate) files: BTreeSet<String>,
}

impl Index {
    pub(crate) fn read(files: &BTreeMap<String, Vec<u8>>) -> Index {
        let text = |path: &str| String::from_utf8(files[path].clone()).unwrap();
        let manifest: Value = serde_json::from_str(
            text(INDEX_PATH)
                .strip_prefix("window.handbokSearchIndex=")
                .and_then(|s| s.trim_end().strip_suffix(';'))
                .expect("the manifest assigns window.handbokSearchIndex"),
        )
        .unwrap();
        let mut shards = BTreeMap::new();
        let mut names = BTreeSet::new();
        if let Some(inline) = manifest["inline"].as_object() {
            shards.extend(inline.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        for path in files.keys().filter(|p| p.starts_with(SHARD_DIR)) {
            let name = path.strip_prefix(SHARD_DIR).unwrap().strip_suffix(".js").unwrap();
            let script = text(path);
            let data = script
                .strip_prefix(&format!("handbokSearchShard(\"{name}\","))
                .and_then(|s| s.trim_end().strip_suffix(");"))
                .unwrap_or_else(|| panic!("{path} hands its data to handbokSearchShard"));
            shards.insert(name.to_string(), serde_json::from_str(data).unwrap());
            names.insert(name.to_string());
        }
        Index {
            manifest,
            shards,
            files: names,
        }
    }

    pub(crate) fn from_site(site: &InMemory) -> Index {
        Index::read(&site.built.as_ref().expect("the site builds").files)
    }

    /// The shards of one kind (`d`, `s`, `p`, `f`) in order.
    pub(crate) fn kind(&self, kind: char) -> Vec<&Value> {
        (0..).map_while(|i| self.shards.get(&format!("{kind}{i}"))).collect()
    }

    /// The whole vocabulary, in order.
    pub(crate) fn terms(&self) -> Vec<String> {
        self.kind('d')
            .iter()
            .flat_map(|d| decode_front_coded(d["t"].as_str().unwrap()))
            .collect()
    }

    /// `(page, place, blocks bucket)` of `term`.
    pub(crate) fn postings(&self, term: &str) -> Vec<(u32, Place, u8)> {
        let terms = self.terms();
        let id = terms
            .iter()
            .position(|t| t == term)
            .unwrap_or_else(|| panic!("`{term}` not in {terms:?}"));
        let shard = self
            .kind('p')
            .into_iter()
            .rev()
            .find(|p| p["id"].as_u64().unwrap() as usize <= id)
            .unwrap();
        let first = shard["id"].as_u64().unwrap() as usize;
        decode_postings(shard["p"][id - first].as_str().unwrap())
    }

    /// Every page entry `[title, href, section, blocks]`, in reading order.
    pub(crate) fn pages(&self) -> Vec<Value> {
        self.kind('f')
            .iter()
            .flat_map(|f| f["p"].as_array().unwrap().clone())
            .collect()
    }

    pub(crate) fn title(&self, page: u32) -> String {
        self.pages()[page as usize][0].as_str().unwrap().to_owned()
    }
}

/// Every file below `root`, `/`-separated path → bytes.
fn files_under(root: &std::path::Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(root)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

fn fixture_index() -> Index {
    Index::from_site(&TestSite::fixture("valid/search").in_memory())
}

#[test]
fn every_page_is_in_the_index_and_every_link_target_exists() {
    let dir = TestSite::fixture("valid/search");
    dir.build().succeeded();
    let public = dir.path("public");
    let index = Index::read(&files_under(&public));
    let pages = index.pages();
    assert_eq!(index.manifest["pages"], 3);
    let titles: Vec<String> = (0..3).map(|p| index.title(p)).collect();
    assert_eq!(titles, ["Start", "Medarbetarsamtal", "Lönesamtal"]);
    assert_eq!(
        pages[2][2], "Medarbetarsamtal",
        "a page's section is the section it is in"
    );
    for page in &pages {
        let href = page[1].as_str().unwrap();
        let doc = read_html(&public.join(href));
        for block in page[3].as_array().unwrap() {
            let anchor = block[0].as_str().unwrap();
            if !anchor.is_empty() {
                assert_eq!(
                    attrs(&doc, &format!("[id=\"{anchor}\"]"), "id").len(),
                    1,
                    "{href}#{anchor}"
                );
            }
        }
    }
}

#[test]
fn words_are_lowercased_folded_and_kept_whole_without_stop_words() {
    let index = fixture_index();
    let all = index.terms();
    for t in [
        "arbetsmiljo",
        "medarbetarsamtalet",
        "utvecklingssamtalet",
        "lonen",
        "lonesamtalet",
        "loneutveckling",
    ] {
        assert!(all.contains(&t.to_string()), "`{t}` missing from {all:?}");
    }
    for t in &all {
        assert!(
            !t.chars().any(|c| c.is_uppercase() || "åäö".contains(c)),
            "`{t}` is not normalised"
        );
    }
    for stop in ["och", "om", "en", "du", "i"] {
        assert!(!all.contains(&stop.to_string()), "stop word `{stop}` is indexed");
    }
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted, "the vocabulary is sorted");
}

#[test]
fn postings_record_the_best_place_on_each_page_and_the_text_is_kept_for_snippets() {
    let index = fixture_index();
    // "Lönesamtal" is the title of page 2 and in the text of page 1 ("lönesamtalet" is another word).
    assert_eq!(index.postings("lonesamtal"), [(2, Place::Title, 0)]);
    // "Förberedelser" is a heading on page 1; its block carries the heading's id and text.
    assert_eq!(index.postings("forberedelser"), [(1, Place::Heading, 0)]);
    let blocks = index.pages()[1][3].clone();
    assert_eq!(
        blocks[1],
        serde_json::json!([
            "forberedelser",
            "Förberedelser",
            "Inför utvecklingssamtalet fyller du i samtalsguiden."
        ])
    );
    // The description is searchable, in the page's first block, with its original letters.
    assert_eq!(index.postings("medarbetarsamtalet"), [(1, Place::Body, 0)]);
    assert_eq!(blocks[0][0], "");
    assert!(
        blocks[0][2]
            .as_str()
            .unwrap()
            .starts_with("Så går medarbetarsamtalet till."),
        "{}",
        blocks[0]
    );
    // "lönen" is in a heading and the text under it: one block, the heading is the best place.
    assert_eq!(index.postings("lonen"), [(1, Place::Heading, 0)]);
}

#[test]
fn suffixes_find_the_words_a_query_ends_or_is_inside() {
    // Cut into shards (a one-file index has no suffix list: the browser has every word).
    let site = TestSite::fixture("valid/search");
    let index = Index::read(&files_with(
        &site,
        &Layout {
            one_file: 0,
            ..Layout::default()
        },
    ));
    let terms = index.terms();
    let mut inside: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for s in index.kind('s') {
        let keys = decode_front_coded(s["k"].as_str().unwrap());
        let ids = decode_numbers(s["w"].as_str().unwrap());
        assert_eq!(keys.len(), ids.len());
        for (key, id) in keys.into_iter().zip(ids) {
            let word = &terms[id as usize];
            assert!(word.ends_with(&key) && word != &key, "`{key}` is an ending of `{word}`");
            inside.entry(key).or_default().insert(word.clone());
        }
    }
    assert!(inside["samtalet"].contains("medarbetarsamtalet"));
    assert!(inside["samtalet"].contains("utvecklingssamtalet"));
    assert!(inside["utveckling"].contains("loneutveckling"));
}

#[test]
fn a_small_site_has_one_index_file_with_every_shard_inline() {
    let site = TestSite::fixture("valid/search").in_memory();
    let files = &site.built.as_ref().unwrap().files;
    assert!(!files.keys().any(|p| p.starts_with(SHARD_DIR)), "no shard files");
    let index = Index::from_site(&site);
    let inline: Vec<&String> = index.manifest["inline"].as_object().unwrap().keys().collect();
    assert_eq!(inline, ["d0", "f0", "p0"], "no suffix list: the browser has every word");
    assert_eq!(index.manifest["s"], serde_json::json!([]));
}

#[test]
fn the_shipped_handbook_loads_one_small_file_with_its_synonyms() {
    let files = files_under(&shipped().public);
    let search_files: Vec<&String> = files.keys().filter(|p| p.contains("search")).collect();
    assert_eq!(
        search_files,
        [
            "assets/search-index.js",
            "assets/search-sections.js",
            "assets/search-shards.js",
            "assets/search-text.js",
            "assets/search.css",
            "assets/search.js"
        ],
        "the index is one file"
    );
    let bytes = files[INDEX_PATH].len();
    assert!(bytes < 64 * 1024, "the shipped index is {bytes} bytes");
    let index = Index::read(&files);
    assert_eq!(index.manifest["pages"], 13);
    let groups: Vec<Vec<Vec<String>>> = serde_json::from_value(index.manifest["syn"].clone()).unwrap();
    let likabehandling = groups
        .iter()
        .find(|g| g.contains(&vec!["likabehandling".to_string()]))
        .expect("a synonym group for likabehandling");
    assert!(
        likabehandling.contains(&vec!["diskriminering".to_string()]),
        "{likabehandling:?}"
    );
    assert!(
        !files.contains_key("synonymer.yml"),
        "the synonyms file is read, not published"
    );
}

/// The index files of `site` cut as `layout` says, through the library.
pub(crate) fn files_with(site: &TestSite, layout: &Layout) -> BTreeMap<String, Vec<u8>> {
    let mut diags = handbok::diag::Diagnostics::new();
    let mut session = Session::new(site.options());
    let built = session.run(Request::Everything, &mut diags);
    assert!(matches!(built, Outcome::Built(Some(_))), "it builds");
    let (site, texts) = session.search_input().expect("a kept session keeps what it indexed");
    search::build(site, texts).files(layout).into_iter().collect()
}

#[test]
fn synonyms_are_in_the_manifest_as_normalised_words_and_the_file_is_not_published() {
    let site = TestSite::fixture("valid/search").with(
        "synonymer.yml",
        "# Ord som betyder samma sak\nlikabehandling: [lika rättigheter, diskriminering]\nlön: ersättning\n",
    );
    let built = site.in_memory();
    assert!(built.diags.is_empty(), "{}", built.shown());
    assert!(!built.built.as_ref().unwrap().files.contains_key("synonymer.yml"));
    let index = Index::from_site(&built);
    assert_eq!(
        index.manifest["syn"],
        serde_json::json!([
            [["likabehandling"], ["lika", "rattigheter"], ["diskriminering"]],
            [["lon"], ["ersattning"]]
        ])
    );
}

#[test]
fn check_names_the_file_and_line_of_each_problem_in_the_synonyms() {
    let site = TestSite::fixture("valid/search").with(
        "synonymer.yml",
        "likabehandling: [lika rättigheter, diskriminering]\nsemester:\nlön: [och, ersättning]\nchef: {ledare: ja}\n",
    );
    let run = site.check();
    run.failed_with(&[
        "synonymer.yml:2:1: error: `semester` has no synonyms",
        "synonymer.yml:3:7: warning: `och` cannot be searched for, so it is left out",
        "synonymer.yml:4:7: error: the synonyms of `chef` must be words or phrases, not a list or a mapping",
    ]);
    // The YAML parser notices an unclosed list a line later; the error names the line it opens on.
    let broken = TestSite::fixture("valid/search").with("synonymer.yml", "lön: [ersättning\nsemester: [ledighet]\n");
    broken
        .check()
        .failed_with(&["synonymer.yml:1:1: error: this list opens with `[` but is not closed with `]`"]);
    let broken = TestSite::fixture("valid/search").with("synonymer.yml", "lön: ersättning\n  semester: ledighet\n");
    broken
        .check()
        .failed_with(&["synonymer.yml:2:", "invalid synonyms file"]);
}

#[test]
fn content_in_the_index_folder_is_an_error() {
    let site = TestSite::new().with("assets/search/d0.js", "alert(1)");
    site.build()
        .failed_with(&["assets/search/d0.js", "collides with a file the theme writes"]);
}

#[test]
fn pages_have_a_labelled_search_field_hidden_until_scripts_run_and_load_code_and_index_only_on_use() {
    let dir = TestSite::fixture("valid/search");
    dir.build().succeeded();
    let public = dir.path("public");
    for (page, root) in [("index.html", ""), ("samtal/lonesamtal.html", "../")] {
        let doc = read_html(&public.join(page));
        let forms = doc.select(&sel("header form[role=search]")).collect::<Vec<_>>();
        assert_eq!(forms.len(), 1, "{page}");
        assert!(
            forms[0].value().attr("hidden").is_some(),
            "without JavaScript the form is hidden"
        );
        assert_eq!(forms[0].value().attr("data-root"), Some(root));
        assert_eq!(forms[0].value().attr("data-corrected"), Some("Visar träffar för {q}"));
        assert_eq!(texts(&doc, "label[for=sok]"), ["Sök i handboken"]);
        assert_eq!(attrs(&doc, "input#sok", "type"), ["search"]);
        assert_eq!(attrs(&doc, ".search-announce", "role"), ["status"]);
        assert_eq!(
            count(&doc, ".search-panel [role=status]"),
            0,
            "the live region is not inside the panel that opens"
        );
        let scripts = attrs(&doc, "script[src]", "src");
        assert!(
            !scripts.iter().any(|s| s.contains("search")),
            "the search code and index load on first use only: {scripts:?}"
        );
        let loaders: Vec<String> = doc
            .select(&sel("script:not([src])"))
            .map(|s| s.text().collect::<String>())
            .filter(|t| t.contains("'search-shards'"))
            .collect();
        assert_eq!(
            loaders.len(),
            1,
            "one small loader fetches the search code on first use"
        );
        assert!(
            loaders[0].contains("focusin") && loaders[0].len() < 1024,
            "{}",
            loaders[0]
        );
        assert!(attrs(&doc, "link[rel=stylesheet]", "href").contains(&format!("{root}assets/search.css")));
    }
}

#[test]
fn soft_hyphens_and_other_invisible_characters_never_reach_the_index() {
    // Pasted from Word: a soft hyphen and a zero-width space inside words, in the title, a
    // heading and the text; and words long enough for the theme to hyphenate on the page.
    let site = TestSite::fixture("valid/search").with(
        "mjuka.md",
        "---\ntitle: \"Medarbetar\u{ad}överenskommelse\"\n---\n\nOm kompetens\u{ad}utveckling och lö\u{200b}nen.\n\n## Arbets\u{ad}miljö\u{ad}frågor\n\nMedarbetaröverenskommelsen gäller arbetsmiljöfrågorna.\n",
    );
    let built = site.in_memory();
    let files = &built.built.as_ref().expect("the site builds").files;
    let index = Index::read(files);
    let terms = index.terms();
    for whole in [
        "medarbetaroverenskommelse",
        "kompetensutveckling",
        "lonen",
        "arbetsmiljofragor",
        "medarbetaroverenskommelsen",
        "arbetsmiljofragorna",
    ] {
        assert!(
            terms.contains(&whole.to_string()),
            "`{whole}` is not one word in {terms:?}"
        );
    }
    for part in ["medarbetar", "overenskommelse", "kompetens", "nen", "fragor"] {
        assert!(
            !terms.contains(&part.to_string()),
            "`{part}` is a part of a word, not a word"
        );
    }
    for (path, bytes) in files.iter().filter(|(p, _)| search::is_index_file(p)) {
        let text = String::from_utf8(bytes.clone()).unwrap();
        for c in ['\u{ad}', '\u{200b}'] {
            assert!(!text.contains(c), "{path} holds U+{:04X}", c as u32);
        }
    }
    let page = index
        .pages()
        .into_iter()
        .find(|p| p[1] == "mjuka.html")
        .expect("the page is in the index");
    assert_eq!(page[0], "Medarbetaröverenskommelse");
    assert_eq!(page[3][1][1], "Arbetsmiljöfrågor");
    assert_eq!(page[3][0][2], "Om kompetensutveckling och lönen.");
}

#[test]
fn a_very_long_page_keeps_every_word_searchable_but_ships_a_bounded_text_for_snippets() {
    let mut long = String::from("---\ntitle: Lång sida\n---\n");
    for section in 0..40 {
        long.push_str(&format!("\n## Avsnitt {section}\n\n"));
        for i in 0..1_000 {
            long.push_str(&format!("ord{} ", section * 1_000 + i));
        }
        long.push('\n');
    }
    let site = TestSite::fixture("valid/search").with("lang.md", &long);
    let index = Index::from_site(&site.in_memory());
    let page = index
        .pages()
        .into_iter()
        .position(|p| p[1] == "lang.html")
        .expect("the page is in the index");
    // The last word of the page is found on it…
    assert_eq!(index.postings("ord39999"), [(page as u32, Place::Body, 0)]);
    // …but the text a hit loads for its snippet is bounded; every heading is kept.
    let blocks = index.pages()[page][3].as_array().unwrap().clone();
    let text: usize = blocks.iter().map(|b| b[2].as_str().unwrap().len()).sum();
    assert!(text <= search::PAGE_TEXT_LIMIT + 40 * 4, "{text} bytes of text");
    assert_eq!(blocks.len(), 41);
    assert_eq!(blocks[40][1], "Avsnitt 39");
    assert!(blocks[1][2].as_str().unwrap().starts_with("ord0 ord1 "));
    assert!(blocks.iter().any(|b| b[2].as_str().unwrap().ends_with(" …")));
    assert_eq!(blocks[40][2], "", "the page's text ran out before its last section");
}

#[test]
fn a_list_of_links_is_navigation_and_never_an_answer() {
    // The start page's list of the handbook's pages is links only: their words are not the
    // start page's, so it never ranks as the answer to "lönesamtal".
    let index = Index::read(&files_under(&shipped().public));
    let pages = index.pages();
    let start = pages.iter().position(|p| p[1] == "index.html").unwrap() as u32;
    for word in ["lonesamtal", "samtalsguide", "lika"] {
        let on: Vec<u32> = index.postings(word).iter().map(|p| p.0).collect();
        assert!(!on.contains(&start), "`{word}` is indexed on the start page: {on:?}");
        assert!(!on.is_empty(), "`{word}` is still on the pages themselves");
    }
    // A list with words of its own is text, links and all.
    let site = TestSite::new()
        .with(
            "a.md",
            "---\ntitle: A\n---\n\n- Semester enligt [avtalet](b.md)\n- [Friskvård](b.md)\n",
        )
        .with("b.md", "---\ntitle: B\n---\n\nText.\n");
    let index = Index::from_site(&site.in_memory());
    let a = index.pages().iter().position(|p| p[0] == "A").unwrap() as u32;
    for word in ["semester", "avtalet", "friskvard"] {
        assert!(index.postings(word).iter().any(|p| p.0 == a), "`{word}` on page A");
    }
}
