//! Stage 5: the search index. Takes every page's title, section and text blocks (text per
//! heading, from the Markdown stage) and returns one JavaScript file, `assets/search-index.js`, that
//! assigns the index to `window.handbokSearchIndex`. A `<script>` tag loads it (only when the
//! reader first uses the search field), so search works from `file://` as well as from any server.
//!
//! What is indexed: the vocabulary of *normalised* words (lowercased, with å/ä → a and ö → o so a
//! query typed without them still matches) and, per word, the text blocks it occurs in with
//! where (title, heading, body). Words are kept whole, not stemmed: the browser strips the
//! query's Swedish inflection (`lönen` → `lon`) and matches it as a prefix, suffix or infix of
//! vocabulary words, which finds inflections and compounds alike (`samtal` finds
//! `medarbetarsamtal` and `utvecklingssamtalet`). The block texts are stored for snippets.
//!
//! Format (version 1):
//! ```text
//! window.handbokSearchIndex = {
//!   "v": 1,
//!   "pages": [[title, href from the site root, section path], …],
//!   "blocks": [[page, heading id or "", heading or "", text], …],   // a page's blocks are contiguous
//!   "terms": "word word …",                                         // sorted, space separated
//!   "post": ["…", …]                                                 // one posting string per term
//! };
//! ```
//! A posting string is comma-separated base-36 numbers, each `(block − previous block) × 8 + flags`
//! (previous block starts at −1), with flags 1 = body, 2 = heading, 4 = page title (set on the
//! page's first block).

mod postings;
mod words;

use std::fmt::Write as _;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::PageId;
use crate::markdown::TextBlock;
use crate::site::Site;
pub use postings::decode_postings;
use postings::Vocabulary;
use words::squeeze;
pub use words::{normalise, tokenise, words, STOP_WORDS};

/// Where the index goes in the output.
pub const INDEX_PATH: &str = "assets/search-index.js";

/// Posting flag: the word occurs in a block's body text.
pub const IN_BODY: u8 = 1;
/// Posting flag: the word occurs in a block's heading.
pub const IN_HEADING: u8 = 2;
/// Posting flag: the word occurs in the page's title (set on the page's first block).
pub const IN_TITLE: u8 = 4;

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

/// The built index, before it is written as JavaScript.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SearchIndex {
    /// Format version.
    pub v: u32,
    /// `[title, href from the site root, section path]` per page.
    pub pages: Vec<(String, String, String)>,
    /// `[page, heading id, heading, text]` per block.
    pub blocks: Vec<(usize, String, String, String)>,
    /// Sorted vocabulary, space separated.
    pub terms: String,
    /// Posting string per term (see the module documentation).
    pub post: Vec<String>,
}

impl SearchIndex {
    /// The vocabulary as a list.
    pub fn term_list(&self) -> Vec<&str> {
        if self.terms.is_empty() {
            Vec::new()
        } else {
            self.terms.split(' ').collect()
        }
    }

    /// Decode the posting string of `term`: `(block, flags)` pairs.
    pub fn postings(&self, term: &str) -> Vec<(usize, u8)> {
        let Some(i) = self.term_list().iter().position(|t| *t == term) else {
            return Vec::new();
        };
        decode_postings(&self.post[i])
    }

    /// The index as the JavaScript file the theme loads.
    pub fn to_js(&self) -> String {
        String::from_utf8(self.to_js_bytes()).unwrap_or_default()
    }

    /// [`to_js`](Self::to_js) as bytes, written straight into one buffer (the index of a large
    /// site is tens of megabytes: no intermediate copies).
    pub fn to_js_bytes(&self) -> Vec<u8> {
        const PREFIX: &[u8] = b"window.handbokSearchIndex=";
        let mut out = AngleEscaper(Vec::with_capacity(PREFIX.len() + self.estimated_json_len()));
        out.0.extend_from_slice(PREFIX);
        if serde_json::to_writer(&mut out, self).is_err() {
            out.0.truncate(PREFIX.len());
            out.0.extend_from_slice(b"null");
        }
        out.0.extend_from_slice(b";\n");
        out.0
    }

    /// Roughly the length of the index as JSON (a little over, for quotes and separators), so
    /// the buffer for tens of megabytes is allocated once rather than doubled and copied.
    fn estimated_json_len(&self) -> usize {
        let pages: usize = self
            .pages
            .iter()
            .map(|(a, b, c)| a.len() + b.len() + c.len() + 16)
            .sum();
        let blocks: usize = self
            .blocks
            .iter()
            .map(|(_, a, b, c)| a.len() + b.len() + c.len() + 24)
            .sum();
        let post: usize = self.post.iter().map(|p| p.len() + 3).sum();
        let total = 64 + pages + blocks + self.terms.len() + post;
        total + total / 32
    }
}

/// Writes JSON with every `<` as `\u003c`, so `</script` can never appear in the index however
/// it is embedded. A `<` can only occur inside a JSON string, where the escape means the same.
struct AngleEscaper(Vec<u8>);

impl std::io::Write for AngleEscaper {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        while let Some(at) = rest.iter().position(|&b| b == b'<') {
            self.0.extend_from_slice(&rest[..at]);
            self.0.extend_from_slice(b"\\u003c");
            rest = &rest[at + 1..];
        }
        self.0.extend_from_slice(rest);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// One page's share of the index.
struct PageEntry {
    page: (String, String, String),
    /// `[heading id, heading, text]` per block, in page order.
    blocks: Vec<(String, String, String)>,
}

/// A run of pages in reading order, indexed on one core: their entries and their words, with
/// blocks numbered from the run's first block.
#[derive(Default)]
struct Run {
    entries: Vec<PageEntry>,
    words: Vocabulary,
    next_block: usize,
}

impl Run {
    /// Index page `id` after the pages already in the run.
    fn add_page(&mut self, site: &Site, id: PageId, text: &[TextBlock]) {
        let page = &site.page(id).page;
        let section: Vec<&str> = site
            .tree
            .ancestors(id)
            .into_iter()
            .filter(|&a| a != site.tree.root())
            .map(|a| site.page(a).page.front.title.as_str())
            .collect();
        let first_block = self.next_block;
        let mut blocks = Vec::with_capacity(text.len() + 1);
        // The first block holds the description and the text before the first heading; it is
        // where a title match points (the top of the page).
        let mut first_text = page.front.description.clone().unwrap_or_default();
        let mut rest = text;
        if let Some(b) = rest.first().filter(|b| b.heading_id.is_none()) {
            if !first_text.is_empty() {
                first_text.push(' ');
            }
            first_text.push_str(&b.text);
            rest = &rest[1..];
        }
        self.words.add_text(&page.front.title, first_block, IN_TITLE);
        self.words.add_text(&first_text, first_block, IN_BODY);
        blocks.push((String::new(), String::new(), squeeze(&first_text)));
        for b in rest {
            let block = first_block + blocks.len();
            let heading = b.heading.as_deref().unwrap_or_default();
            self.words.add_text(heading, block, IN_HEADING);
            self.words.add_text(&b.text, block, IN_BODY);
            blocks.push((
                b.heading_id.clone().unwrap_or_default(),
                squeeze(heading),
                squeeze(&b.text),
            ));
        }
        self.next_block += blocks.len();
        self.entries.push(PageEntry {
            page: (squeeze(&page.front.title), page.output.clone(), section.join(" › ")),
            blocks,
        });
    }
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
        .map(|pages| {
            let mut run = Run::default();
            for &id in pages {
                run.add_page(site, id, texts.get(id));
            }
            run
        })
        .collect();
    let mut index = SearchIndex {
        v: 1,
        ..SearchIndex::default()
    };
    let mut vocabulary = Vocabulary::default();
    for run in runs {
        vocabulary.merge(run.words, index.blocks.len());
        for entry in run.entries {
            let page_number = index.pages.len();
            index.pages.push(entry.page);
            index.blocks.extend(
                entry
                    .blocks
                    .into_iter()
                    .map(|(id, heading, text)| (page_number, id, heading, text)),
            );
        }
    }
    let (terms, post) = vocabulary.finish();
    index.post = post;
    index.terms = terms;
    index
}

/// Stage 5 as the pipeline calls it: the index file's output path and bytes.
pub fn build_index(site: &Site, texts: &Texts) -> (String, Vec<u8>) {
    (INDEX_PATH.to_string(), build(site, texts).to_js_bytes())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn js_file_assigns_the_index_and_escapes_angle_brackets() {
        let index = SearchIndex {
            v: 1,
            pages: vec![("</script>".into(), "a.html".into(), String::new())],
            ..SearchIndex::default()
        };
        let js = index.to_js();
        assert!(js.starts_with("window.handbokSearchIndex={"));
        assert!(!js.contains("</script>"));
    }
}
