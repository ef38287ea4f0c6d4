//! Posting lists: which pages a word occurs on, where on the page (title, heading, body) and in
//! how many of the page's text blocks; and their compact encoding (see the format in the module
//! above). Postings are per page, not per block: the browser finds the block to show in the
//! page's own text once it has loaded it, so a word on every page costs one character per page.

use rustc_hash::FxHashMap;

use crate::words::{each_normalised_word, keep};

/// Where on a page a word occurs, best first when compared (title > heading > body).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Place {
    /// In the text of a block.
    Body = 0,
    /// In a heading.
    Heading = 1,
    /// In the page's title.
    Title = 2,
}

/// One page a word occurs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    /// The page's number in reading order.
    pub page: u32,
    /// The best place it occurs.
    pub place: Place,
    /// How many of the page's text blocks it occurs in (the title counts with the first block).
    pub blocks: u32,
}

impl Posting {
    /// The block count as the index stores it: 0 for one block, 1 for two, 2 for three or four,
    /// 3 for five or more.
    pub fn blocks_bucket(&self) -> u8 {
        match self.blocks {
            0 | 1 => 0,
            2 => 1,
            3 | 4 => 2,
            _ => 3,
        }
    }
}

/// Digits of the self-delimiting numbers in the index: 5 bits each, big-endian; every digit but
/// the last of a number comes from `MORE`, the last from `LAST`. All 64 are safe in a JSON string.
const MORE: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef";
const LAST: &[u8; 32] = b"ghijklmnopqrstuvwxyz0123456789-_";

/// Append `n` as a self-delimiting number (one character below 32, two below 1,024, …).
pub(super) fn push_number(out: &mut String, n: u64) {
    let mut digits = [0u8; 13];
    let mut len = 0;
    let mut rest = n;
    loop {
        digits[len] = (rest & 31) as u8;
        len += 1;
        rest >>= 5;
        if rest == 0 {
            break;
        }
    }
    for i in (1..len).rev() {
        out.push(MORE[digits[i] as usize] as char);
    }
    out.push(LAST[digits[0] as usize] as char);
}

/// Decode a string of self-delimiting numbers. Characters outside the alphabet are skipped.
pub fn decode_numbers(s: &str) -> Vec<u64> {
    let mut out = Vec::new();
    let mut acc: u64 = 0;
    for b in s.bytes() {
        if let Some(d) = MORE.iter().position(|&m| m == b) {
            acc = (acc << 5) | d as u64;
        } else if let Some(d) = LAST.iter().position(|&m| m == b) {
            out.push((acc << 5) | d as u64);
            acc = 0;
        }
    }
    out
}

/// Encode a word's postings (sorted by page): per page one number,
/// `(page − previous page − 1) × 16 + place × 4 + blocks bucket`, the previous page starting at −1.
pub(super) fn encode_postings(list: &[Posting]) -> String {
    let mut out = String::with_capacity(list.len() + list.len() / 4);
    let mut previous: i64 = -1;
    for p in list {
        let gap = (i64::from(p.page) - previous - 1) as u64;
        push_number(&mut out, gap * 16 + (p.place as u64) * 4 + u64::from(p.blocks_bucket()));
        previous = i64::from(p.page);
    }
    out
}

/// Decode one posting string into `(page, place, blocks bucket)` triples.
pub fn decode_postings(s: &str) -> Vec<(u32, Place, u8)> {
    let mut previous: i64 = -1;
    decode_numbers(s)
        .into_iter()
        .map(|n| {
            let page = previous + 1 + (n / 16) as i64;
            previous = page;
            let place = match (n / 4) % 4 {
                2 => Place::Title,
                1 => Place::Heading,
                _ => Place::Body,
            };
            (page as u32, place, (n % 4) as u8)
        })
        .collect()
}

/// A posting while pages are added: the last block counted, so a word that occurs twice in one
/// block counts that block once.
#[derive(Clone, Copy)]
struct Open {
    posting: Posting,
    last_block: u32,
}

/// Words seen so far and the pages they occur on. Looks words up without allocating, since a
/// large site has millions of word occurrences but only tens of thousands of distinct words.
#[derive(Default)]
pub(super) struct Vocabulary {
    /// Fx hashing: the words are the site's own text, and SipHash's protection against
    /// chosen collisions costs a tenth of the index build here.
    ids: FxHashMap<String, usize>,
    postings: Vec<Vec<Open>>,
    buffer: String,
}

impl Vocabulary {
    /// Add the words of `text`, found in block `block` of page `page` at `place`. Pages must be
    /// added in increasing order.
    pub(super) fn add_text(&mut self, text: &str, page: u32, block: u32, place: Place) {
        let mut buffer = std::mem::take(&mut self.buffer);
        each_normalised_word(text, &mut buffer, |word| {
            if keep(word) {
                self.add_word(word, page, block, place);
            }
        });
        self.buffer = buffer;
    }

    /// Count `word` (normalised, kept) on `page`.
    fn add_word(&mut self, word: &str, page: u32, block: u32, place: Place) {
        let id = match self.ids.get(word) {
            Some(&id) => id,
            None => {
                let id = self.postings.len();
                self.ids.insert(word.to_owned(), id);
                self.postings.push(Vec::new());
                id
            }
        };
        let list = &mut self.postings[id];
        match list.last_mut() {
            Some(open) if open.posting.page == page => {
                open.posting.place = open.posting.place.max(place);
                if open.last_block != block {
                    open.last_block = block;
                    open.posting.blocks += 1;
                }
            }
            _ => list.push(Open {
                posting: Posting { page, place, blocks: 1 },
                last_block: block,
            }),
        }
    }

    /// Add another vocabulary whose pages all come after this one's.
    pub(super) fn merge(&mut self, other: Vocabulary) {
        let mut postings: Vec<Option<Vec<Open>>> = other.postings.into_iter().map(Some).collect();
        for (word, other_id) in other.ids {
            let Some(list) = postings[other_id].take() else {
                continue;
            };
            match self.ids.get(word.as_str()) {
                Some(&id) => self.postings[id].extend(list),
                None => {
                    self.ids.insert(word, self.postings.len());
                    self.postings.push(list);
                }
            }
        }
    }

    /// The vocabulary sorted as JavaScript compares strings (by UTF-16 code units), with each
    /// word's postings.
    pub(super) fn finish(self) -> (Vec<String>, Vec<Vec<Posting>>) {
        let mut sorted: Vec<(String, usize)> = self.ids.into_iter().collect();
        sorted.sort_unstable_by(|a, b| utf16_order(&a.0, &b.0));
        let mut postings: Vec<Option<Vec<Open>>> = self.postings.into_iter().map(Some).collect();
        let mut terms = Vec::with_capacity(sorted.len());
        let mut lists = Vec::with_capacity(sorted.len());
        for (term, id) in sorted {
            terms.push(term);
            let list = postings[id].take().unwrap_or_default();
            lists.push(list.into_iter().map(|o| o.posting).collect());
        }
        (terms, lists)
    }
}

/// Order strings as JavaScript's `<` does: by UTF-16 code units. It differs from Rust's byte
/// order only between characters above U+FFFF and those from U+E000 to U+FFFF.
pub(super) fn utf16_order(a: &str, b: &str) -> std::cmp::Ordering {
    if a.is_ascii() && b.is_ascii() {
        return a.cmp(b);
    }
    a.encode_utf16().cmp(b.encode_utf16())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip_and_small_ones_take_one_character() {
        let values = [0, 1, 31, 32, 1023, 1024, 123_456_789, u64::MAX >> 1];
        let mut s = String::new();
        for &v in &values {
            push_number(&mut s, v);
        }
        assert_eq!(decode_numbers(&s), values);
        let mut one = String::new();
        push_number(&mut one, 31);
        assert_eq!(one.len(), 1);
        push_number(&mut one, 1023);
        assert_eq!(one.len(), 3);
    }

    #[test]
    fn postings_round_trip() {
        let list = vec![
            Posting {
                page: 0,
                place: Place::Title,
                blocks: 1,
            },
            Posting {
                page: 1,
                place: Place::Body,
                blocks: 2,
            },
            Posting {
                page: 40,
                place: Place::Heading,
                blocks: 4,
            },
            Posting {
                page: 10_000,
                place: Place::Body,
                blocks: 90,
            },
        ];
        let decoded = decode_postings(&encode_postings(&list));
        let expected: Vec<(u32, Place, u8)> = list.iter().map(|p| (p.page, p.place, p.blocks_bucket())).collect();
        assert_eq!(decoded, expected);
    }

    #[test]
    fn a_word_on_every_page_costs_one_character_per_page() {
        let list: Vec<Posting> = (0..1000)
            .map(|page| Posting {
                page,
                place: Place::Body,
                blocks: 3,
            })
            .collect();
        assert_eq!(encode_postings(&list).len(), 1000);
    }

    #[test]
    fn places_count_the_best_and_blocks_count_once_each() {
        let mut v = Vocabulary::default();
        v.add_text("Lön och lön", 0, 0, Place::Body);
        v.add_text("Lönen", 0, 0, Place::Title);
        v.add_text("lön", 0, 1, Place::Heading);
        v.add_text("lön", 2, 0, Place::Body);
        let (terms, postings) = v.finish();
        assert_eq!(terms, ["lon", "lonen"]);
        assert_eq!(
            postings[0],
            [
                Posting {
                    page: 0,
                    place: Place::Heading,
                    blocks: 2
                },
                Posting {
                    page: 2,
                    place: Place::Body,
                    blocks: 1
                }
            ]
        );
        assert_eq!(
            postings[1],
            [Posting {
                page: 0,
                place: Place::Title,
                blocks: 1
            }]
        );
    }

    #[test]
    fn order_is_javascripts() {
        // U+FF21 (fullwidth A) sorts after U+1D400 (mathematical bold A) in Rust, before it in
        // JavaScript.
        let mut v = vec!["\u{1d400}", "\u{ff21}", "b", "a"];
        v.sort_by(|a, b| utf16_order(a, b));
        assert_eq!(v, ["a", "b", "\u{1d400}", "\u{ff21}"]);
    }
}
