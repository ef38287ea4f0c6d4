//! Posting lists: which text blocks a word occurs in and where (title, heading, body), and
//! their compact encoding in the index (see the format in the module above).

use rustc_hash::FxHashMap;

use super::words::{keep, words};
use crate::text::fold_char;

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

pub(super) fn encode_postings(list: &[(usize, u8)]) -> String {
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
pub(super) struct Vocabulary {
    /// Fx hashing: the words are the site's own text, and SipHash's protection against
    /// chosen collisions costs a tenth of the index build here.
    ids: FxHashMap<String, usize>,
    postings: Vec<Vec<(usize, u8)>>,
    buffer: String,
}

impl Vocabulary {
    pub(super) fn add_text(&mut self, text: &str, block: usize, flag: u8) {
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
    pub(super) fn merge(&mut self, other: Vocabulary, offset: usize) {
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
    pub(super) fn finish(self) -> (String, Vec<String>) {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{IN_BODY, IN_HEADING, IN_TITLE};

    #[test]
    fn postings_round_trip() {
        let list = vec![(0, IN_TITLE | IN_BODY), (3, IN_BODY), (40, IN_HEADING), (1000, IN_BODY)];
        assert_eq!(decode_postings(&encode_postings(&list)), list);
    }
}
