//! Stage 5: the search index. Takes every page's title, section and text blocks (text per
//! heading, from the Markdown stage) and the synonyms HR keeps in `synonymer.yml`, and returns
//! the index as JavaScript files that assign or hand over their data when a `<script>` tag loads
//! them, so search works from `file://` as well as from any server. Nothing is loaded until the
//! reader first uses the search field; then only the pieces a query needs.
//!
//! What is indexed: the vocabulary of *normalised* words (lowercased, with å/ä → a and ö → o so a
//! query typed without them still matches) and, per word, the pages it occurs on with where
//! (title, heading, body) and in how many of the page's text blocks. Words are kept whole, not
//! stemmed: the browser strips the query's Swedish inflection (`lönen` → `lon`) and matches it as
//! a prefix of vocabulary words (through the word list) or inside them (through the suffix list),
//! which finds inflections and compounds alike (`samtal` finds `medarbetarsamtal` and
//! `utvecklingssamtalet`). A query word of five letters or more that matches nothing is corrected
//! to a word one edit away that shares its first two letters. The pages' text is stored for
//! snippets, loaded only for the results shown.
//!
//! # Format (version 2)
//!
//! `assets/search-index.js` is the manifest:
//! ```text
//! window.handbokSearchIndex = {
//!   "v": 2,
//!   "pages": 10000,                       // pages, numbered in reading order
//!   "token": "3f9c0a1b2c4d",              // changes with the index; shard URLs end in ?v=token
//!   "d": ["1", "arbete", …],              // first word of each word shard d0, d1, …
//!   "s": ["000", "ande", …],              // first key of each suffix shard s0, s1, …
//!   "p": [[0, 15873], [412, 16384], …],   // first word number and bytes of each posting shard p0, …
//!   "f": "<numbers>",                     // pages in each page shard f0, f1, … in reading order
//!   "syn": [[["likabehandling"], ["lika", "rattigheter"], ["diskriminering"]], …],
//!   "inline": {"d0": …, "s0": …, "p0": …, "f0": …}   // only when the whole index is one file
//! };
//! ```
//! Each shard is `assets/search/<name>.js`, a call `handbokSearchShard("<name>", data)`:
//! - word shard `dN`: `{"id": first word number, "t": words, "df": numbers}`: the sorted
//!   vocabulary (sorted by UTF-16 code units, as JavaScript compares), front-coded, and per word
//!   the number of pages it is on;
//! - suffix shard `sN`: `{"k": keys, "w": numbers}`: every ending of three letters or more that
//!   starts after a word's first letter (`samtalet` of `utvecklingssamtalet`), sorted and
//!   front-coded, and the number of the word each belongs to;
//! - posting shard `pN`: `{"id": first word number, "p": [postings, …]}`, one string per word;
//! - page shard `fN`: `{"id": first page, "p": [[title, href from the site root, section path,
//!   [[heading id or "", heading or "", text], …]], …]}`: the page's text in blocks, the first
//!   block holding the description and the text before the first heading; at most
//!   [`PAGE_TEXT_LIMIT`] bytes of text a page (16 KB a block), so a hit on a very long page
//!   loads a bounded shard.
//!
//! Numbers are self-delimiting, 5 bits a character: the last character of a number is one of
//! `ghijklmnopqrstuvwxyz0123456789-_` (values 0–31), the ones before it of
//! `ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef`. A front-coded list is space separated; each entry is a
//! number (how many UTF-16 code units it shares with the entry before) and the rest of the entry.
//! A posting string is one number per page, `(page − previous page − 1) × 16 + place × 4 +
//! blocks`, the previous page starting at −1; place 2 = title, 1 = heading, 0 = body (the best
//! one); blocks 0 = one text block, 1 = two, 2 = three or four, 3 = five or more.
//!
//! A site whose index is small (the shipped handbook's is about 35 KB) gets one file: the word,
//! posting and page shards are written into the manifest's `inline` (`d0`, `p0`, `f0`), there is
//! no `assets/search/` folder, and no suffix shard (`"s": []`): with the whole vocabulary at hand
//! the browser finds the words a query is inside of by looking through it.

mod postings;
mod shards;

use std::fmt::Write as _;

use rayon::prelude::*;

use crate::content::PageId;
use crate::markdown::TextBlock;
use crate::site::Site;
use crate::text::strip_invisible;
use crate::words::squeeze;
/// Words are cut and folded by [`crate::words`]; re-exported where the index's readers look.
pub use crate::words::{normalise, tokenise, words, STOP_WORDS};
pub use postings::{decode_numbers, decode_postings, Place, Posting};
use postings::{utf16_order, Vocabulary};
pub use shards::{decode_front_coded, Layout, SHARD_DIR};

/// Where the index's manifest goes in the output (the one file of a small site's index).
pub const INDEX_PATH: &str = "assets/search-index.js";

/// Whether `output` is one of the files the search index is written to.
pub fn is_index_file(output: &str) -> bool {
    output == INDEX_PATH || output.starts_with(SHARD_DIR)
}

/// Every page's text under its headings (from the Markdown stage), by [`PageId`].
#[derive(Debug, Clone, Default)]
pub struct Texts(Vec<Vec<TextBlock>>);

impl Texts {
    /// `texts[i]` is page `PageId(i)`'s.
    pub fn new(texts: Vec<Vec<TextBlock>>) -> Texts {
        Texts(texts)
    }

    /// Replace page `id`'s text blocks, after an edit.
    pub(crate) fn set(&mut self, id: PageId, blocks: Vec<TextBlock>) {
        self.0[id.0] = blocks;
    }

    /// The text blocks of page `id`.
    pub fn get(&self, id: PageId) -> &[TextBlock] {
        self.0.get(id.0).map_or(&[], Vec::as_slice)
    }
}

/// One page's entry: what a result shows and the text its snippet comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageEntry {
    /// The page's title.
    pub title: String,
    /// Its output path from the site root.
    pub href: String,
    /// The titles of the sections above it, joined with ` › `.
    pub section: String,
    /// Its text blocks: the first holds the description and the text before the first heading.
    pub blocks: Vec<Block>,
}

/// The text under one heading (or before the first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Block {
    /// The heading's id, empty for the first block.
    pub id: String,
    /// The heading's text, empty for the first block.
    pub heading: String,
    /// The text, whitespace collapsed.
    pub text: String,
}

/// The built index, before it is cut into files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchIndex {
    /// Every page, in reading order (a posting's page number indexes this list).
    pub pages: Vec<PageEntry>,
    /// The vocabulary, sorted by UTF-16 code units.
    pub terms: Vec<String>,
    /// `postings[i]` lists the pages `terms[i]` occurs on, by page number.
    pub postings: Vec<Vec<Posting>>,
    /// Synonym groups: phrases as normalised words.
    pub synonyms: Vec<Vec<Vec<String>>>,
}

impl SearchIndex {
    /// The postings of `term` (a normalised word), empty when it is not in the vocabulary.
    pub fn postings_of(&self, term: &str) -> &[Posting] {
        match self.terms.binary_search_by(|t| utf16_order(t, term)) {
            Ok(i) => &self.postings[i],
            Err(_) => &[],
        }
    }

    /// The index as files (output path, bytes), cut as `layout` says.
    pub fn files(&self, layout: &Layout) -> Vec<(String, Vec<u8>)> {
        shards::write(self, layout)
    }
}

/// A run of pages in reading order, indexed on one core: their entries and their words.
#[derive(Default)]
struct Run {
    entries: Vec<PageEntry>,
    words: Vocabulary,
}

impl Run {
    /// Index page `id`, number `number` in reading order, after the pages already in the run.
    fn add_page(&mut self, site: &Site, id: PageId, number: u32, text: &[TextBlock]) {
        let page = &site.page(id).page;
        let section: Vec<&str> = site
            .tree
            .ancestors(id)
            .into_iter()
            .filter(|&a| a != site.tree.root())
            .map(|a| site.page(a).page.front.title.as_str())
            .collect();
        let mut blocks = Vec::with_capacity(text.len() + 1);
        let mut budget = PAGE_TEXT_LIMIT;
        // Text pasted from Word may hold soft hyphens and zero-width spaces inside words: they
        // are dropped, so a word is indexed and shown whole (`kompetens\u{ad}utveckling`).
        // The first block holds the description and the text before the first heading; it is
        // where a title match points (the top of the page).
        let mut first_text = page.front.description.as_deref().map(visible).unwrap_or_default();
        let mut rest = text;
        if let Some(b) = rest.first().filter(|b| b.heading_id.is_none()) {
            if !first_text.is_empty() {
                first_text.push(' ');
            }
            first_text.push_str(&strip_invisible(&b.text));
            rest = &rest[1..];
        }
        self.words
            .add_text(&visible(&page.front.title), number, 0, Place::Title);
        self.words.add_text(&first_text, number, 0, Place::Body);
        blocks.push(Block {
            text: limited(squeeze(&first_text), &mut budget),
            ..Block::default()
        });
        for b in rest {
            let block = blocks.len() as u32;
            let heading = strip_invisible(b.heading.as_deref().unwrap_or_default());
            let body = strip_invisible(&b.text);
            self.words.add_text(&heading, number, block, Place::Heading);
            self.words.add_text(&body, number, block, Place::Body);
            blocks.push(Block {
                id: b.heading_id.clone().unwrap_or_default(),
                heading: squeeze(&heading),
                text: limited(squeeze(&body), &mut budget),
            });
        }
        self.entries.push(PageEntry {
            title: squeeze(&visible(&page.front.title)),
            href: page.output.clone(),
            section: section.join(" › "),
            blocks,
        });
    }
}

/// Bytes of a page's text kept for snippets: a hit on a very long page loads no more than
/// this of its text (every word of it is still indexed; a snippet from past the limit shows the
/// block's beginning instead).
pub const PAGE_TEXT_LIMIT: usize = 64 * 1024;

/// Bytes of one block's text kept for snippets, so one long block does not use up the page's.
const BLOCK_TEXT_LIMIT: usize = 16 * 1024;

/// `text` cut to what is left of the page's `budget` (and at most [`BLOCK_TEXT_LIMIT`]), at the
/// last space before the limit, with ` …` where it was cut.
fn limited(mut text: String, budget: &mut usize) -> String {
    let limit = (*budget).min(BLOCK_TEXT_LIMIT);
    if text.len() > limit {
        let mut end = limit;
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let end = text[..end].rfind(' ').unwrap_or(end);
        text.truncate(end);
        if !text.is_empty() {
            text.push_str(" …");
        }
        text.shrink_to_fit();
    }
    *budget = budget.saturating_sub(text.len());
    text
}

/// `text` without the characters that cannot be seen (see [`crate::text::invisible_name`]).
fn visible(text: &str) -> String {
    strip_invisible(text).into_owned()
}

/// Build the index from every page. Runs of pages are indexed on every core, then merged in
/// reading order, so the result is the same on every run and any number of cores. Runs, not
/// single pages: each run's vocabulary is one hash map, where one per page would hold every
/// page's words at once.
pub fn build(site: &Site, texts: &Texts) -> SearchIndex {
    let order = site.tree.reading_order();
    let run_len = order.len().div_ceil(rayon::current_num_threads() * 4).max(1);
    let runs: Vec<Run> = order
        .par_chunks(run_len)
        .enumerate()
        .map(|(i, pages)| {
            let mut run = Run::default();
            for (k, &id) in pages.iter().enumerate() {
                run.add_page(site, id, (i * run_len + k) as u32, texts.get(id));
            }
            run
        })
        .collect();
    let mut pages = Vec::with_capacity(order.len());
    let mut vocabulary = Vocabulary::default();
    for run in runs {
        vocabulary.merge(run.words);
        pages.extend(run.entries);
    }
    let (terms, postings) = vocabulary.finish();
    SearchIndex {
        pages,
        terms,
        postings,
        synonyms: site.synonyms.normalised(),
    }
}

/// Stage 5 as the pipeline calls it: the index's files (output path and bytes).
pub fn build_index(site: &Site, texts: &Texts) -> Vec<(String, Vec<u8>)> {
    build(site, texts).files(&Layout::default())
}

/// [`build_index`] for a build that needs the texts no longer: they are let go once indexed,
/// before the index is written as files, so the texts, the index and its files are never all
/// held at once (on a 20 MB page, that is 20 MB less at the peak).
pub fn build_index_from(site: &Site, texts: Texts) -> Vec<(String, Vec<u8>)> {
    let index = build(site, &texts);
    drop(texts);
    index.files(&Layout::default())
}

/// Bytes of plain text the site's pages hold (titles, headings, text), to compare the index with.
pub fn text_bytes(site: &Site, texts: &Texts) -> usize {
    let mut n = 0;
    for (id, p) in site.pages() {
        n += p.page.front.title.len() + p.page.front.description.as_deref().map_or(0, str::len);
        for b in texts.get(id) {
            n += b.heading.as_deref().map_or(0, str::len) + b.text.len();
        }
    }
    n
}

/// A short human summary for benchmarks and reports.
pub fn describe(index_bytes: usize, text_bytes: usize) -> String {
    let mut s = String::new();
    let ratio = if text_bytes == 0 {
        0.0
    } else {
        index_bytes as f64 / text_bytes as f64
    };
    let _ = write!(
        s,
        "index {index_bytes} bytes, site text {text_bytes} bytes, ratio {ratio:.2}"
    );
    s
}
