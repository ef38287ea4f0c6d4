//! The index cut into files: word, suffix, posting and page shards of about a set size each,
//! and the manifest that says which shard holds what (the format is in the module above). A
//! small index is one file: the manifest with every shard inline.

use std::hash::Hasher;

use rayon::prelude::*;
use rustc_hash::FxHasher;
use serde::Serialize;

use super::postings::{encode_postings, push_number};
use super::{PageEntry, SearchIndex, INDEX_PATH};

mod coding;

pub use coding::decode_front_coded;
use coding::{suffixes, to_json, wrap, FrontCoder};

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
        let bytes: Vec<f64> = kinds.iter().map(|&(k, _)| cut.bytes(Some(k)) as f64).collect();
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

/// A page shard before it is put together: its first page, how many pages and its bytes.
struct PageShard {
    first: usize,
    count: usize,
    bytes: usize,
}

/// What every cut is made from, worked out once: a large index is cut several times over to
/// fit its number of files, and serialising ~100 MB of page text each time was a tenth of a
/// 10,000-page build. Each page's row and each posting list as JSON, and the sorted endings.
struct Pieces<'a> {
    pages: Vec<Vec<u8>>,
    postings: Vec<Vec<u8>>,
    suffixes: Vec<(&'a str, u32)>,
}

impl<'a> Pieces<'a> {
    fn new(index: &'a SearchIndex) -> Pieces<'a> {
        let ((pages, postings), suffixes) = rayon::join(
            || {
                rayon::join(
                    || index.pages.par_iter().map(|p| to_json(&page_row(p))).collect(),
                    || {
                        let lists = index.postings.par_iter();
                        lists.map(|l| to_json(&encode_postings(l))).collect()
                    },
                )
            },
            || suffixes(&index.terms),
        );
        Pieces {
            pages,
            postings,
            suffixes,
        }
    }
}

/// The index cut into shards, with what the manifest says about them. The page shards are
/// only measured until the cut is chosen ([`Cut::put_pages_together`]).
#[derive(Default)]
struct Cut {
    shards: Vec<Shard>,
    pages: Vec<PageShard>,
    word_starts: Vec<String>,
    suffix_starts: Vec<String>,
    /// First word number and bytes of each posting shard.
    posting_shards: Vec<(usize, usize)>,
    /// Pages per page shard, as numbers.
    page_groups: String,
}

/// Cut `index` into files as `layout` says.
pub(super) fn write(index: &SearchIndex, layout: &Layout) -> Vec<(String, Vec<u8>)> {
    let pieces = Pieces::new(index);
    let cut = Cut::new(&pieces, index, layout);
    if cut.bytes(None) <= layout.one_file {
        // One file holds the whole vocabulary, which the browser then scans for the words a
        // query is inside of: the suffix list (half the file) is left out.
        let mut whole = Cut::new(&pieces, index, &Layout::whole()).without_suffixes();
        whole.put_pages_together(pieces.pages);
        return vec![(INDEX_PATH.to_string(), whole.manifest(index, true))];
    }
    // At most one file per `pages_per_file` pages, the manifest among them: at 10,000 pages
    // 16 KB shards would be ~5,500 files, whose writing costs more than the index.
    let cap = (index.pages.len() / layout.pages_per_file.max(1)).max(5);
    let mut cut = if layout.pages_per_file > 0 && cut.files() + 1 > cap {
        // A shard closes once it reaches its size, so a cut can come out a few files over its
        // share (501 shards for 499 at 10,000 pages): aim lower by the excess until it fits.
        let mut files = cap - 1;
        let mut fitted = Cut::new(&pieces, index, &layout.within(&cut, files));
        for _ in 0..8 {
            let over = (fitted.files() + 1).saturating_sub(cap);
            if over == 0 || files <= 4 {
                break;
            }
            files = files.saturating_sub(over).max(4);
            fitted = Cut::new(&pieces, index, &layout.within(&cut, files));
        }
        fitted
    } else {
        cut
    };
    cut.put_pages_together(pieces.pages);
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
    fn new(pieces: &Pieces, index: &SearchIndex, layout: &Layout) -> Cut {
        let mut cut = Cut::default();
        cut.word_shards(index, layout.words);
        cut.suffix_shards(&pieces.suffixes, layout.suffixes);
        cut.posting_shards(&pieces.postings, layout.postings);
        cut.page_shards(&pieces.pages, layout.pages);
        cut
    }

    /// How many shard files the cut makes.
    fn files(&self) -> usize {
        self.shards.len() + self.pages.len()
    }

    /// Bytes of the shards of one kind (`d`, `s`, `p` or `f`), or of all.
    fn bytes(&self, kind: Option<char>) -> usize {
        let pages = self.pages.iter().map(|p| p.bytes).sum::<usize>();
        let others = self
            .shards
            .iter()
            .filter(|s| kind.is_none_or(|k| s.name.starts_with(k)));
        let others = others.map(|s| s.json.len()).sum::<usize>();
        match kind {
            None => pages + others,
            Some('f') => pages,
            Some(_) => others,
        }
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

    fn suffix_shards(&mut self, entries: &[(&str, u32)], target: usize) {
        #[derive(Serialize)]
        struct Suffixes<'a> {
            k: &'a str,
            w: &'a str,
        }
        let mut keys = FrontCoder::default();
        let mut ids = String::new();
        let mut first: &str = entries.first().map_or("", |e| e.0);
        for &(key, id) in entries {
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

    /// Posting shards from the lists' JSON (`"…"`, no escapes: the alphabet has none).
    fn posting_shards(&mut self, lists: &[Vec<u8>], target: usize) {
        let mut first = 0;
        let mut bytes = 0;
        for (i, list) in lists.iter().enumerate() {
            if bytes >= target {
                self.add_posting_shard(first, &lists[first..i]);
                (first, bytes) = (i, 0);
            }
            bytes += list.len() + 1;
        }
        self.add_posting_shard(first, &lists[first..]);
    }

    /// `{"id":first,"p":[list,…]}`, as serde would write it.
    fn add_posting_shard(&mut self, first: usize, lists: &[Vec<u8>]) {
        let json = json_array(shard_header(first), lists);
        let n = self.posting_shards.len();
        self.posting_shards.push((first, json.len()));
        self.shards.push(Shard {
            name: format!("p{n}"),
            json,
        });
    }

    /// Page shards of about `target` bytes from the pages' JSON, measured, not yet written.
    fn page_shards(&mut self, pages: &[Vec<u8>], target: usize) {
        let mut first = 0;
        let mut bytes = 0;
        for (i, page) in pages.iter().enumerate() {
            if i > first && bytes + page.len() > target {
                self.add_page_shard(first, &pages[first..i]);
                (first, bytes) = (i, 0);
            }
            bytes += page.len() + 1;
        }
        self.add_page_shard(first, &pages[first..]);
    }

    fn add_page_shard(&mut self, first: usize, group: &[Vec<u8>]) {
        push_number(&mut self.page_groups, group.len() as u64);
        let commas = group.len().saturating_sub(1);
        let data = group.iter().map(Vec::len).sum::<usize>() + commas;
        self.pages.push(PageShard {
            first,
            count: group.len(),
            bytes: shard_header(first).len() + data + 2,
        });
    }

    /// The page shards written from the pages' JSON as it is (no second serialisation), each
    /// page's bytes let go as its shard is made.
    fn put_pages_together(&mut self, pages: Vec<Vec<u8>>) {
        let mut pages = pages.into_iter();
        for (n, shard) in self.pages.drain(..).enumerate() {
            let mut group: Vec<Vec<u8>> = pages.by_ref().take(shard.count).collect();
            let header = shard_header(shard.first);
            // A page bigger than a shard is alone in its shard: wrapped in place, not copied.
            let json = if group.len() == 1 {
                wrap(group.remove(0), header.as_bytes(), b"]}")
            } else {
                json_array(header, &group)
            };
            self.shards.push(Shard {
                name: format!("f{n}"),
                json,
            });
        }
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

/// The start of a posting or page shard: `{"id":first,"p":[`.
fn shard_header(first: usize) -> String {
    format!("{{\"id\":{first},\"p\":[")
}

/// `header`, the items separated by commas, and `]}`.
fn json_array(header: String, items: &[Vec<u8>]) -> Vec<u8> {
    let size = items.iter().map(Vec::len).sum::<usize>() + items.len() + 2;
    let mut json = header.into_bytes();
    json.reserve_exact(size);
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            json.push(b',');
        }
        json.extend_from_slice(item);
    }
    json.extend_from_slice(b"]}");
    json
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

#[cfg(test)]
mod tests;
