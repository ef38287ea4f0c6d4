//! How shard data is written: sorted lists front-coded, compound endings listed, JSON that can
//! sit inside a `<script>`, and a buffer wrapped in place.

use serde::Serialize;

use super::super::postings::{push_number, utf16_order};

/// Words longer than this (in characters) have no endings in the suffix list; a query finds
/// them by their beginning. A word's endings take the square of its length: one pasted
/// 100,000-letter run made 10 GB of them and a minute's work, a million letters never ended.
/// The longest Swedish compounds in use are about 40 letters.
pub(super) const MAX_SUFFIX_WORD: usize = 64;

/// Every ending of three characters or more that starts after a word's first character, with
/// the word's number, sorted by key (then word). Words with digits have none: `100` inside
/// `2100` is no compound; nor do words over [`MAX_SUFFIX_WORD`] characters.
pub(super) fn suffixes(terms: &[String]) -> Vec<(&str, u32)> {
    let mut entries = Vec::new();
    for (id, term) in terms.iter().enumerate() {
        if term.chars().any(|c| c.is_numeric()) || term.chars().nth(MAX_SUFFIX_WORD).is_some() {
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
pub(super) struct FrontCoder {
    pub(super) out: String,
    previous: String,
}

impl FrontCoder {
    pub(super) fn push(&mut self, entry: &str) {
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
        let shared = super::super::decode_numbers(&entry[..digits])
            .first()
            .copied()
            .unwrap_or(0) as usize;
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
pub(super) fn wrap(mut body: Vec<u8>, prefix: &[u8], suffix: &[u8]) -> Vec<u8> {
    let len = body.len();
    body.reserve_exact(prefix.len() + suffix.len());
    body.resize(len + prefix.len(), 0);
    body.copy_within(0..len, prefix.len());
    body[..prefix.len()].copy_from_slice(prefix);
    body.extend_from_slice(suffix);
    body
}

/// `data` as JSON with every `<` written `\u003c`, so `</script` can never appear in the index
/// however it is embedded. A `<` only occurs inside a JSON string, where the escape means the
/// same. Written straight into a vector, then escaped only when a `<` is there (rarely: page
/// text seldom has one).
pub(super) fn to_json(data: &impl Serialize) -> Vec<u8> {
    let Ok(json) = serde_json::to_vec(data) else {
        return b"null".to_vec();
    };
    if !json.contains(&b'<') {
        return json;
    }
    let mut out = Vec::with_capacity(json.len() + 64);
    for (i, part) in json.split(|&b| b == b'<').enumerate() {
        if i > 0 {
            out.extend_from_slice(b"\\u003c");
        }
        out.extend_from_slice(part);
    }
    out
}
