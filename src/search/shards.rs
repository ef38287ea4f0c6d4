//! The index cut into files: word, suffix, posting and page shards of about a set size each,
//! and the manifest that says which shard holds what (the format is in the module above). A
//! small index is one file: the manifest with every shard inline.

use std::hash::Hasher;

use rustc_hash::FxHasher;
use serde::Serialize;

use super::postings::{encode_postings, push_number, utf16_order};
use super::{PageEntry, SearchIndex, INDEX_PATH};

/// The folder the shards of a large index are written to.
pub const SHARD_DIR: &str = "assets/search/";

/// How big the shards are, in bytes of their data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Layout {
    /// Front-coded words per word shard.
    pub words: usize,
    /// Front-coded keys per suffix shard.
    pub suffixes: usize,
    /// Posting strings per posting shard.
    pub postings: usize,
    /// Page entries per page shard (a page bigger than this has a shard of its own).
    pub pages: usize,
    /// An index whose shards add up to no more than this is written as one file.
    pub one_file: usize,
    /// At most one index file per this many pages (0: no limit): on a large site the shards
    /// grow instead of multiplying (see `Layout::within`).
    pub pages_per_file: usize,
}

impl Default for Layout {
    /// 16 KB shards: a query of two words loads a handful of them. One file up to 128 KB.
    fn default() -> Layout {
        Layout {
            words: 16 * 1024,
            suffixes: 16 * 1024,
            postings: 16 * 1024,
            pages: 16 * 1024,
            one_file: 128 * 1024,
            pages_per_file: 20,
        }
    }
}

impl Layout {
    /// One shard of each kind.
    fn whole() -> Layout {
        Layout {
            words: usize::MAX,
            suffixes: usize::MAX,
            postings: usize::MAX,
            pages: usize::MAX,
            one_file: usize::MAX,
            pages_per_file: 0,
        }
    }

    /// Shard sizes for at most `files` shard files, from a cut's bytes per kind. A query loads
    /// about one word shard, two suffix shards, three posting shards and ten page shards (one
    /// per result shown), so the files are shared out in proportion to the square root of
    /// (shards loaded × bytes) of each kind: that makes the bytes a query loads the least.
    fn within(&self, cut: &Cut, files: usize) -> Layout {
        let kinds = [('d', 1.0), ('s', 2.0), ('p', 3.0), ('f', 10.0)];
        let bytes: Vec<f64> = kinds
            .iter()
            .map(|&(k, _)| {
                cut.shards
                    .iter()
                    .filter(|s| s.name.starts_with(k))
                    .map(|s| s.json.len() as f64)
                    .sum()
            })
            .collect();
        let weights: Vec<f64> = kinds
            .iter()
            .zip(&bytes)
            .map(|(&(_, loads), b)| (loads * b).sqrt())
            .collect();
        let sum: f64 = weights.iter().sum::<f64>().max(1.0);
        // A shard closes once it reaches its size, so each kind may take one file more than its share.
        let spare = files.saturating_sub(kinds.len()).max(kinds.len()) as f64;
        let size = |i: usize, at_least: usize| {
            let n = (spare * weights[i] / sum).floor().max(1.0);
            ((bytes[i] / n).ceil() as usize).max(at_least)
        };
        Layout {
            words: size(0, self.words),
            suffixes: size(1, self.suffixes),
            postings: size(2, self.postings),
            pages: size(3, self.pages),
            ..*self
        }
    }
}

/// One shard: its name (`d0`, `p3`, …) and its data as JSON.
struct Shard {
    name: String,
    json: Vec<u8>,
}

/// The index cut into shards, with what the manifest says about them.
#[derive(Default)]
struct Cut {
    shards: Vec<Shard>,
    word_starts: Vec<String>,
    suffix_starts: Vec<String>,
    /// First word number and bytes of each posting shard.
    posting_shards: Vec<(usize, usize)>,
    /// Pages per page shard, as numbers.
    page_groups: String,
}

/// Cut `index` into files as `layout` says.
pub(super) fn write(index: &SearchIndex, layout: &Layout) -> Vec<(String, Vec<u8>)> {
    let cut = Cut::new(index, layout);
    let total: usize = cut.shards.iter().map(|s| s.json.len()).sum();
    if total <= layout.one_file {
        // One file holds the whole vocabulary, which the browser then scans for the words a
        // query is inside of: the suffix list (half the file) is left out.
        let whole = Cut::new(index, &Layout::whole()).without_suffixes();
        return vec![(INDEX_PATH.to_string(), whole.manifest(index, true))];
    }
    // At most one file per `pages_per_file` pages, the manifest among them: at 10,000 pages
    // 16 KB shards would be ~5,500 files, whose writing costs more than the index.
    let cap = (index.pages.len() / layout.pages_per_file.max(1)).max(5);
    let cut = if layout.pages_per_file > 0 && cut.shards.len() + 1 > cap {
        // A shard closes once it reaches its size, so a cut can come out a few files over its
        // share (501 shards for 499 at 10,000 pages): aim lower by the excess until it fits.
        let mut files = cap - 1;
        let mut fitted = Cut::new(index, &layout.within(&cut, files));
        for _ in 0..8 {
            let over = (fitted.shards.len() + 1).saturating_sub(cap);
            if over == 0 || files <= 4 {
                break;
            }
            files = files.saturating_sub(over).max(4);
            fitted = Cut::new(index, &layout.within(&cut, files));
        }
        fitted
    } else {
        cut
    };
    let manifest = cut.manifest(index, false);
    let mut files: Vec<(String, Vec<u8>)> = cut
        .shards
        .into_iter()
        .map(|s| {
            let prefix = format!("handbokSearchShard(\"{}\",", s.name);
            let script = wrap(s.json, prefix.as_bytes(), b");\n");
            (format!("{SHARD_DIR}{}.js", s.name), script)
        })
        .collect();
    files.push((INDEX_PATH.to_string(), manifest));
    files
}

impl Cut {
    fn new(index: &SearchIndex, layout: &Layout) -> Cut {
        let mut cut = Cut::default();
        cut.word_shards(index, layout.words);
        cut.suffix_shards(index, layout.suffixes);
        cut.posting_shards(index, layout.postings);
        cut.page_shards(&index.pages, layout.pages);
        cut
    }

    /// The cut without its suffix shards (an index in one file: the browser has every word).
    fn without_suffixes(mut self) -> Cut {
        self.shards.retain(|s| !s.name.starts_with('s'));
        self.suffix_starts.clear();
        self
    }

    fn add(&mut self, kind: char, n: usize, data: &impl Serialize) -> usize {
        let json = to_json(data);
        let len = json.len();
        self.shards.push(Shard {
            name: format!("{kind}{n}"),
            json,
        });
        len
    }

    fn word_shards(&mut self, index: &SearchIndex, target: usize) {
        let mut first = 0;
        let mut words = FrontCoder::default();
        let mut df = String::new();
        for (i, term) in index.terms.iter().enumerate() {
            if words.out.len() >= target {
                self.add_word_shard(index, first, (&words.out, &df));
                (first, words, df) = (i, FrontCoder::default(), String::new());
            }
            words.push(term);
            push_number(&mut df, index.postings[i].len() as u64);
        }
        self.add_word_shard(index, first, (&words.out, &df));
    }

    /// A word shard: the terms from number `first` on, front-coded, with how many pages each
    /// is on.
    fn add_word_shard(&mut self, index: &SearchIndex, first: usize, (t, df): (&str, &str)) {
        #[derive(Serialize)]
        struct Words<'a> {
            id: usize,
            t: &'a str,
            df: &'a str,
        }
        let n = self.word_starts.len();
        self.add('d', n, &Words { id: first, t, df });
        self.word_starts
            .push(index.terms.get(first).cloned().unwrap_or_default());
    }

    fn suffix_shards(&mut self, index: &SearchIndex, target: usize) {
        #[derive(Serialize)]
        struct Suffixes<'a> {
            k: &'a str,
            w: &'a str,
        }
        let entries = suffixes(&index.terms);
        let mut keys = FrontCoder::default();
        let mut ids = String::new();
        let mut first: &str = entries.first().map_or("", |e| e.0);
        for &(key, id) in &entries {
            if keys.out.len() >= target {
                let n = self.suffix_starts.len();
                self.add('s', n, &Suffixes { k: &keys.out, w: &ids });
                self.suffix_starts.push(first.to_string());
                (first, keys, ids) = (key, FrontCoder::default(), String::new());
            }
            keys.push(key);
            push_number(&mut ids, u64::from(id));
        }
        let n = self.suffix_starts.len();
        self.add('s', n, &Suffixes { k: &keys.out, w: &ids });
        self.suffix_starts.push(first.to_string());
    }

    fn posting_shards(&mut self, index: &SearchIndex, target: usize) {
        #[derive(Serialize)]
        struct Postings {
            id: usize,
            p: Vec<String>,
        }
        let mut first = 0;
        let mut lists = Vec::new();
        let mut bytes = 0;
        for (i, list) in index.postings.iter().enumerate() {
            if bytes >= target {
                let n = self.posting_shards.len();
                let len = self.add(
                    'p',
                    n,
                    &Postings {
                        id: first,
                        p: std::mem::take(&mut lists),
                    },
                );
                self.posting_shards.push((first, len));
                (first, bytes) = (i, 0);
            }
            let encoded = encode_postings(list);
            bytes += encoded.len() + 3;
            lists.push(encoded);
        }
        let n = self.posting_shards.len();
        let len = self.add('p', n, &Postings { id: first, p: lists });
        self.posting_shards.push((first, len));
    }

    fn page_shards(&mut self, pages: &[PageEntry], target: usize) {
        let mut first = 0;
        let mut group: Vec<Vec<u8>> = Vec::new();
        let mut bytes = 0;
        let mut n = 0;
        for (i, page) in pages.iter().enumerate() {
            let json = to_json(&page_row(page));
            if !group.is_empty() && bytes + json.len() > target {
                self.add_page_shard(n, first, std::mem::take(&mut group));
                (first, bytes, n) = (i, 0, n + 1);
            }
            bytes += json.len() + 1;
            group.push(json);
        }
        self.add_page_shard(n, first, group);
    }

    /// A page shard from the pages' JSON, written as it is (no second serialisation).
    fn add_page_shard(&mut self, n: usize, first: usize, mut group: Vec<Vec<u8>>) {
        push_number(&mut self.page_groups, group.len() as u64);
        let header = format!("{{\"id\":{first},\"p\":[");
        // A page bigger than a shard is alone in its shard: wrapped in place, not copied.
        let json = if group.len() == 1 {
            wrap(group.remove(0), header.as_bytes(), b"]}")
        } else {
            let mut json = header.into_bytes();
            for (i, page) in group.iter().enumerate() {
                if i > 0 {
                    json.push(b',');
                }
                json.extend_from_slice(page);
            }
            json.extend_from_slice(b"]}");
            json
        };
        self.shards.push(Shard {
            name: format!("f{n}"),
            json,
        });
    }

    fn manifest(&self, index: &SearchIndex, inline: bool) -> Vec<u8> {
        #[derive(Serialize)]
        struct Manifest<'a> {
            v: u32,
            pages: usize,
            token: String,
            d: &'a [String],
            s: &'a [String],
            p: &'a [(usize, usize)],
            f: &'a str,
            syn: &'a [Vec<Vec<String>>],
        }
        let mut json = to_json(&Manifest {
            v: 2,
            pages: index.pages.len(),
            token: self.token(),
            d: &self.word_starts,
            s: &self.suffix_starts,
            p: &self.posting_shards,
            f: &self.page_groups,
            syn: &index.synonyms,
        });
        if inline {
            json.pop();
            json.extend_from_slice(b",\"inline\":{");
            for (i, shard) in self.shards.iter().enumerate() {
                if i > 0 {
                    json.push(b',');
                }
                json.extend_from_slice(format!("\"{}\":", shard.name).as_bytes());
                json.extend_from_slice(&shard.json);
            }
            json.extend_from_slice(b"}}");
        }
        let mut script = b"window.handbokSearchIndex=".to_vec();
        script.extend_from_slice(&json);
        script.extend_from_slice(b";\n");
        script
    }

    /// A short hash of every shard, so a browser never mixes shards of two builds from its
    /// cache: shard URLs carry it as `?v=`. FxHasher (no random seed, so the same shards give
    /// the same token) reads eight bytes at a time: at 10,000 pages the shards are ~100 MB, and
    /// hashing them a byte at a time took ~1 % of the build.
    fn token(&self) -> String {
        let mut hasher = FxHasher::default();
        for shard in &self.shards {
            hasher.write(shard.name.as_bytes());
            hasher.write_usize(shard.json.len());
            hasher.write(&shard.json);
        }
        format!("{:012x}", hasher.finish() >> 16)
    }
}

/// A page as its shard lists it: `[title, href, section, [[heading id, heading, text], …]]`.
fn page_row(p: &PageEntry) -> (&str, &str, &str, Vec<(&str, &str, &str)>) {
    let blocks = p
        .blocks
        .iter()
        .map(|b| (b.id.as_str(), b.heading.as_str(), b.text.as_str()))
        .collect();
    (&p.title, &p.href, &p.section, blocks)
}

/// Every ending of three characters or more that starts after a word's first character, with
/// the word's number, sorted by key (then word). Words with digits have none: `100` inside
/// `2100` is no compound.
fn suffixes(terms: &[String]) -> Vec<(&str, u32)> {
    let mut entries = Vec::new();
    for (id, term) in terms.iter().enumerate() {
        if term.chars().any(|c| c.is_numeric()) {
            continue;
        }
        let starts: Vec<usize> = term.char_indices().map(|(i, _)| i).collect();
        if starts.len() < 4 {
            continue;
        }
        for &at in &starts[1..starts.len() - 2] {
            entries.push((&term[at..], id as u32));
        }
    }
    entries.sort_unstable_by(|a, b| utf16_order(a.0, b.0).then(a.1.cmp(&b.1)));
    entries
}

/// Writes a sorted list front-coded: each entry as how many UTF-16 code units it shares with the
/// one before (a number) and the rest, entries separated by spaces.
#[derive(Default)]
struct FrontCoder {
    out: String,
    previous: String,
}

impl FrontCoder {
    fn push(&mut self, entry: &str) {
        if !self.out.is_empty() {
            self.out.push(' ');
        }
        let shared = self
            .previous
            .chars()
            .zip(entry.chars())
            .take_while(|(a, b)| a == b)
            .map(|(a, _)| a)
            .fold((0, 0), |(bytes, units), c| {
                (bytes + c.len_utf8(), units + c.len_utf16())
            });
        push_number(&mut self.out, shared.1 as u64);
        self.out.push_str(&entry[shared.0..]);
        self.previous.clear();
        self.previous.push_str(entry);
    }
}

/// Decode a front-coded list (for tests and tools; the browser has its own decoder).
pub fn decode_front_coded(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    if s.is_empty() {
        return out;
    }
    for entry in s.split(' ') {
        let digits = entry
            .bytes()
            .position(|b| !b.is_ascii_uppercase() && !(b'a'..=b'f').contains(&b))
            .map_or(entry.len(), |p| p + 1);
        let shared = super::decode_numbers(&entry[..digits]).first().copied().unwrap_or(0) as usize;
        let previous = out.last().map_or("", String::as_str);
        let mut units = 0;
        let prefix: String = previous
            .chars()
            .take_while(|c| {
                units += c.len_utf16();
                units <= shared
            })
            .collect();
        out.push(prefix + &entry[digits..]);
    }
    out
}

/// `body` between `prefix` and `suffix`, moved within its own buffer: a large shard (one long
/// page) is grown where it is rather than copied, so it is never held twice.
fn wrap(mut body: Vec<u8>, prefix: &[u8], suffix: &[u8]) -> Vec<u8> {
    let len = body.len();
    body.reserve_exact(prefix.len() + suffix.len());
    body.resize(len + prefix.len(), 0);
    body.copy_within(0..len, prefix.len());
    body[..prefix.len()].copy_from_slice(prefix);
    body.extend_from_slice(suffix);
    body
}

/// `data` as JSON with every `<` written `\u003c`, so `</script` can never appear in the index
/// however it is embedded. A `<` only occurs inside a JSON string, where the escape means the same.
fn to_json(data: &impl Serialize) -> Vec<u8> {
    let mut out = AngleEscaper(Vec::new());
    if serde_json::to_writer(&mut out, data).is_err() {
        return b"null".to_vec();
    }
    out.0
}

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

#[cfg(test)]
mod tests;
