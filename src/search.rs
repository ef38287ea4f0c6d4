//! Stage 5: the search index. Takes every page's title, section and text blocks (text per
//! heading, from stage 2) and returns one JavaScript file, `assets/search-index.js`, that
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

use std::fmt::Write as _;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::content::Content;
use crate::markdown::Rendered;
use crate::site::SiteModel;

/// Where the index goes in the output.
pub const INDEX_PATH: &str = "assets/search-index.js";

/// Posting flags: where in a block a word occurs.
pub const IN_BODY: u8 = 1;
pub const IN_HEADING: u8 = 2;
pub const IN_TITLE: u8 = 4;

/// Very common Swedish words that are not indexed (every page has them, they only add bytes).
/// The browser drops them from queries too (see `themes/default/js/search.js`).
pub const STOP_WORDS: &[&str] = &[
    "alla", "att", "av", "de", "dem", "den", "denna", "denne", "det", "detta", "dig", "din", "du", "ej", "en", "er",
    "ett", "for", "fran", "han", "har", "hon", "hur", "i", "ingen", "inte", "jag", "kan", "man", "med", "men", "mig",
    "min", "mot", "na", "nar", "och", "om", "pa", "sa", "sig", "sin", "ska", "skall", "som", "till", "under", "upp",
    "ut", "vad", "var", "vara", "vi", "vid", "vilka", "vilken", "vill",
];

/// One character, lowercased and with diacritics folded, always to exactly one character so
/// positions in normalised text match positions in the original (the browser relies on this to
/// highlight matches). Must agree with `fold` in `search.js`.
pub fn fold_char(c: char) -> char {
    match c {
        _ if c.is_ascii() => return c.to_ascii_lowercase(),
        'å' | 'ä' | 'Å' | 'Ä' => return 'a',
        'ö' | 'Ö' => return 'o',
        _ => {}
    }
    let mut lower = c.to_lowercase();
    let l = match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    };
    match l {
        'å' | 'ä' | 'à' | 'á' | 'â' | 'ã' | 'æ' => 'a',
        'ö' | 'ø' | 'ó' | 'ò' | 'ô' | 'õ' => 'o',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'ü' | 'ú' | 'ù' | 'û' => 'u',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ç' => 'c',
        'ñ' => 'n',
        'ý' | 'ÿ' => 'y',
        _ => l,
    }
}

/// A word lowercased with å, ä, ö (and other Latin diacritics) folded: `Arbetsmiljö` → `arbetsmiljo`.
pub fn normalise(word: &str) -> String {
    word.chars().map(fold_char).collect()
}

/// Whether `c` belongs to a word. Letters and digits do; everything else (spaces, punctuation,
/// hyphens, §) separates words.
fn is_word_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || (!c.is_ascii() && c.is_alphanumeric())
}

/// Split text into words, as written (not normalised). Hyphenated compounds give their parts
/// (`arbetsmiljö-frågor` → `arbetsmiljö`, `frågor`).
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty())
}

/// The normalised words of `text` that go into the index: no stop words, no single letters
/// (single digits are kept: `§ 5`).
pub fn tokenise(text: &str) -> Vec<String> {
    words(text).map(normalise).filter(|w| keep(w)).collect()
}

fn keep(word: &str) -> bool {
    let mut chars = word.chars();
    let long_enough = match (chars.next(), chars.next()) {
        (Some(c), None) => c.is_ascii_digit(),
        (Some(_), Some(_)) => true,
        _ => false,
    };
    // Every stop word is short; most words are not and skip the search.
    long_enough && (word.len() > 7 || STOP_WORDS.binary_search(&word).is_err())
}

/// The built index, before it is written as JavaScript.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct SearchIndex {
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

/// Decode one posting string into `(block, flags)` pairs.
pub fn decode_postings(s: &str) -> Vec<(usize, u8)> {
    let mut prev: i64 = -1;
    s.split(',')
        .filter(|p| !p.is_empty())
        .filter_map(|p| u64::from_str_radix(p, 36).ok())
        .map(|n| {
            let block = prev + (n >> 3) as i64;
            prev = block;
            (block as usize, (n & 7) as u8)
        })
        .collect()
}

fn encode_postings(list: &[(usize, u8)]) -> String {
    let mut out = String::new();
    let mut prev: i64 = -1;
    for &(block, flags) in list {
        let n = ((block as i64 - prev) as u64) << 3 | flags as u64;
        if !out.is_empty() {
            out.push(',');
        }
        push_base36(&mut out, n);
        prev = block as i64;
    }
    out
}

fn push_base36(out: &mut String, mut n: u64) {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut buf = [0u8; 16];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = DIGITS[(n % 36) as usize];
        n /= 36;
        if n == 0 {
            break;
        }
    }
    for &b in &buf[i..] {
        out.push(b as char);
    }
}

/// Words seen so far and the blocks they occur in. Looks words up without allocating, since a
/// large site has millions of word occurrences but only tens of thousands of distinct words.
#[derive(Default)]
struct Vocabulary {
    /// Fx hashing: the words are the site's own text, and SipHash's protection against
    /// chosen collisions costs a tenth of the index build here.
    ids: FxHashMap<String, usize>,
    postings: Vec<Vec<(usize, u8)>>,
    buffer: String,
}

impl Vocabulary {
    fn add_text(&mut self, text: &str, block: usize, flag: u8) {
        for word in words(text) {
            self.buffer.clear();
            self.buffer.extend(word.chars().map(fold_char));
            if !keep(&self.buffer) {
                continue;
            }
            let id = match self.ids.get(self.buffer.as_str()) {
                Some(&id) => id,
                None => {
                    let id = self.postings.len();
                    self.ids.insert(self.buffer.clone(), id);
                    self.postings.push(Vec::new());
                    id
                }
            };
            let list = &mut self.postings[id];
            match list.last_mut() {
                Some((b, flags)) if *b == block => *flags |= flag,
                _ => list.push((block, flag)),
            }
        }
    }

    /// Add another vocabulary whose blocks come after all of this one's, numbered from `offset`.
    fn merge(&mut self, other: Vocabulary, offset: usize) {
        let mut postings: Vec<Option<Vec<(usize, u8)>>> = other.postings.into_iter().map(Some).collect();
        for (word, other_id) in other.ids {
            let Some(list) = postings[other_id].take() else {
                continue;
            };
            let id = match self.ids.get(word.as_str()) {
                Some(&id) => id,
                None => {
                    let id = self.postings.len();
                    self.ids.insert(word, id);
                    self.postings.push(Vec::new());
                    id
                }
            };
            self.postings[id].extend(list.into_iter().map(|(block, flags)| (block + offset, flags)));
        }
    }

    /// The sorted vocabulary, space separated, and the posting string of each word.
    fn finish(self) -> (String, Vec<String>) {
        let mut sorted: Vec<(String, usize)> = self.ids.into_iter().collect();
        sorted.sort_unstable();
        let mut terms = String::new();
        let mut post = Vec::with_capacity(sorted.len());
        for (term, id) in sorted {
            if !terms.is_empty() {
                terms.push(' ');
            }
            terms.push_str(&term);
            post.push(encode_postings(&self.postings[id]));
        }
        (terms, post)
    }
}

/// Collapse runs of whitespace to one space, and drop the space the text extraction leaves
/// between a link or emphasis and the punctuation after it (`samtal )` → `samtal)`).
fn squeeze(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for w in text.split_whitespace() {
        let glued = w.starts_with([')', ',', '.', ':', ';', '!', '?', '”', '’']);
        if !out.is_empty() && !glued {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// One page's share of the index.
struct PageEntry {
    page: (String, String, String),
    /// `[heading id, heading, text]` per block, in page order.
    blocks: Vec<(String, String, String)>,
}

/// A run of pages in reading order, indexed on one core: their entries and their words, with
/// blocks numbered from the run's first block.
struct Run {
    entries: Vec<PageEntry>,
    words: Vocabulary,
}

/// Index one page, adding its words to `words` with its blocks numbered from `first_block`.
fn index_page(
    page_index: usize,
    content: &Content,
    r: &Rendered,
    site: &SiteModel,
    words: &mut Vocabulary,
    first_block: usize,
) -> PageEntry {
    let page = &content.pages[page_index];
    let section: Vec<&str> = site
        .ancestors(page_index)
        .into_iter()
        .filter(|&a| a != site.root)
        .map(|a| content.pages[a].front.title.as_str())
        .collect();
    let mut blocks = Vec::with_capacity(r.blocks.len() + 1);
    // The first block holds the description and the text before the first heading; it is
    // where a title match points (the top of the page).
    let mut first_text = page.front.description.clone().unwrap_or_default();
    let mut rest = r.blocks.as_slice();
    if let Some(b) = rest.first().filter(|b| b.heading_id.is_none()) {
        if !first_text.is_empty() {
            first_text.push(' ');
        }
        first_text.push_str(&b.text);
        rest = &rest[1..];
    }
    words.add_text(&page.front.title, first_block, IN_TITLE);
    words.add_text(&first_text, first_block, IN_BODY);
    blocks.push((String::new(), String::new(), squeeze(&first_text)));
    for b in rest {
        let block = first_block + blocks.len();
        let heading = b.heading.as_deref().unwrap_or_default();
        words.add_text(heading, block, IN_HEADING);
        words.add_text(&b.text, block, IN_BODY);
        blocks.push((
            b.heading_id.clone().unwrap_or_default(),
            squeeze(heading),
            squeeze(&b.text),
        ));
    }
    PageEntry {
        page: (squeeze(&page.front.title), page.output.clone(), section.join(" › ")),
        blocks,
    }
}

/// Build the index from every page (stage 5). `rendered[i]` belongs to `content.pages[i]`.
/// Runs of pages are indexed on every core, then merged in reading order, so the result is the
/// same on every run and any number of cores. Runs, not single pages: each run's vocabulary is
/// one hash map, where one per page would hold every page's words at once.
pub fn build(content: &Content, rendered: &[Rendered], site: &SiteModel) -> SearchIndex {
    let order: Vec<usize> = site
        .reading_order
        .iter()
        .copied()
        .filter(|&i| i < rendered.len())
        .collect();
    let run_len = order.len().div_ceil(rayon::current_num_threads() * 4).max(1);
    let runs: Vec<Run> = order
        .par_chunks(run_len)
        .map(|pages| {
            let mut words = Vocabulary::default();
            let mut entries = Vec::with_capacity(pages.len());
            let mut next_block = 0;
            for &i in pages {
                let entry = index_page(i, content, &rendered[i], site, &mut words, next_block);
                next_block += entry.blocks.len();
                entries.push(entry);
            }
            Run { entries, words }
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
pub fn build_index(content: &Content, rendered: &[Rendered], site: &SiteModel) -> (String, Vec<u8>) {
    let index = build(content, rendered, site);
    (INDEX_PATH.to_string(), index.to_js_bytes())
}

/// Bytes of plain text the site's pages hold (titles, headings, text), to compare the index with.
pub fn text_bytes(content: &Content, rendered: &[Rendered]) -> usize {
    let mut n = 0;
    for (page, r) in content.pages.iter().zip(rendered) {
        n += page.front.title.len() + page.front.description.as_deref().map_or(0, str::len);
        for b in &r.blocks {
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
    fn stop_words_are_sorted_for_binary_search_and_short() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort();
        assert_eq!(sorted, STOP_WORDS);
        assert!(STOP_WORDS.iter().all(|w| w.len() <= 7));
    }

    #[test]
    fn normalise_folds_case_and_swedish_letters() {
        assert_eq!(normalise("Arbetsmiljö"), "arbetsmiljo");
        assert_eq!(normalise("ÅRSLÖN"), "arslon");
        assert_eq!(normalise("Lönesamtal"), "lonesamtal");
        assert_eq!(normalise("Väl"), "val");
        assert_eq!(normalise("idé"), "ide");
    }

    #[test]
    fn folding_keeps_one_char_per_char() {
        let text = "Ärendet İstanbul ß Öl";
        let folded = normalise(text);
        assert_eq!(text.chars().count(), folded.chars().count());
    }

    #[test]
    fn tokenise_splits_on_punctuation_and_drops_stop_words() {
        assert_eq!(
            tokenise("Medarbetarsamtalet och lönesamtalet – en del av arbetsmiljö-frågorna (§ 5)."),
            vec![
                "medarbetarsamtalet",
                "lonesamtalet",
                "del",
                "arbetsmiljo",
                "fragorna",
                "5"
            ]
        );
    }

    #[test]
    fn tokenise_drops_single_letters_keeps_numbers() {
        assert_eq!(tokenise("a b 2026 x 7"), vec!["2026", "7"]);
    }

    #[test]
    fn squeeze_collapses_space_and_glues_punctuation() {
        assert_eq!(
            squeeze("  Se  utvecklingssamtal ) och\n lön , sedan . "),
            "Se utvecklingssamtal) och lön, sedan."
        );
    }

    #[test]
    fn postings_round_trip() {
        let list = vec![(0, IN_TITLE | IN_BODY), (3, IN_BODY), (40, IN_HEADING), (1000, IN_BODY)];
        assert_eq!(decode_postings(&encode_postings(&list)), list);
    }

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
