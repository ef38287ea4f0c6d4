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

use std::collections::HashMap;
use std::fmt::Write as _;

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
    c.is_alphanumeric()
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
    long_enough && STOP_WORDS.binary_search(&word).is_err()
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
        let json = serde_json::to_string(self).unwrap_or_else(|_| "null".to_string());
        // `</script` cannot appear in JSON output we make safe for any embedding; escape `<` anyway.
        let json = json.replace('<', "\\u003c");
        format!("window.handbokSearchIndex={json};\n")
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

/// Collapse runs of whitespace to one space.
fn squeeze(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for w in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Build the index from every page (stage 5). `rendered[i]` belongs to `content.pages[i]`.
pub fn build(content: &Content, rendered: &[Rendered], site: &SiteModel) -> SearchIndex {
    let mut index = SearchIndex {
        v: 1,
        ..SearchIndex::default()
    };
    // A hash map while collecting (the profile showed BTreeMap string compares at ~10% of a
    // build); sorted once at the end.
    let mut postings: HashMap<String, Vec<(usize, u8)>> = HashMap::new();
    let mut add = |word: String, block: usize, flag: u8| {
        let list = postings.entry(word).or_default();
        match list.last_mut() {
            Some((b, flags)) if *b == block => *flags |= flag,
            _ => list.push((block, flag)),
        }
    };
    for &page_index in &site.reading_order {
        let page = &content.pages[page_index];
        let Some(r) = rendered.get(page_index) else {
            continue;
        };
        let page_number = index.pages.len();
        let section: Vec<&str> = site
            .ancestors(page_index)
            .into_iter()
            .filter(|&a| a != site.root)
            .map(|a| content.pages[a].front.title.as_str())
            .collect();
        index
            .pages
            .push((squeeze(&page.front.title), page.output.clone(), section.join(" › ")));

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
        let first = index.blocks.len();
        for w in tokenise(&page.front.title) {
            add(w, first, IN_TITLE);
        }
        for w in tokenise(&first_text) {
            add(w, first, IN_BODY);
        }
        index
            .blocks
            .push((page_number, String::new(), String::new(), squeeze(&first_text)));
        for b in rest {
            let block = index.blocks.len();
            let heading = b.heading.clone().unwrap_or_default();
            for w in tokenise(&heading) {
                add(w, block, IN_HEADING);
            }
            for w in tokenise(&b.text) {
                add(w, block, IN_BODY);
            }
            index.blocks.push((
                page_number,
                b.heading_id.clone().unwrap_or_default(),
                squeeze(&heading),
                squeeze(&b.text),
            ));
        }
    }
    let mut postings: Vec<(String, Vec<(usize, u8)>)> = postings.into_iter().collect();
    postings.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    let mut terms = String::new();
    for (term, list) in &postings {
        if !terms.is_empty() {
            terms.push(' ');
        }
        terms.push_str(term);
        index.post.push(encode_postings(list));
    }
    index.terms = terms;
    index
}

/// Stage 5 as the pipeline calls it: the index file's output path and bytes.
pub fn build_index(content: &Content, rendered: &[Rendered], site: &SiteModel) -> (String, Vec<u8>) {
    let index = build(content, rendered, site);
    (INDEX_PATH.to_string(), index.to_js().into_bytes())
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
    fn stop_words_are_sorted_for_binary_search() {
        let mut sorted = STOP_WORDS.to_vec();
        sorted.sort();
        assert_eq!(sorted, STOP_WORDS);
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
