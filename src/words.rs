//! Words for the search index: splitting text into words, folding them (lowercase, å/ä → a,
//! ö → o, with [`crate::text::fold_char`]), dropping stop words, and tidying snippet text.

use crate::text::{fold_char, is_letter_or_digit};

/// Very common Swedish words that are not indexed (every page has them, they only add bytes).
/// The browser drops them from queries too: `STOP` in `themes/default/js/search-text.js` is
/// generated from this list (tests/integration/js_tables.rs).
pub const STOP_WORDS: &[&str] = &[
    "alla", "att", "av", "de", "dem", "den", "denna", "denne", "det", "detta", "dig", "din", "du", "ej", "en", "er",
    "ett", "for", "fran", "han", "har", "hon", "hur", "i", "ingen", "inte", "jag", "kan", "man", "med", "men", "mig",
    "min", "mot", "na", "nar", "och", "om", "pa", "sa", "sig", "sin", "ska", "skall", "som", "till", "under", "upp",
    "ut", "vad", "var", "vara", "vi", "vid", "vilka", "vilken", "vill",
];

/// A word lowercased with å, ä, ö (and other Latin diacritics) folded: `Arbetsmiljö` → `arbetsmiljo`.
pub fn normalise(word: &str) -> String {
    word.chars().map(fold_char).collect()
}

/// Whether `c` belongs to a word. Letters and digits do; everything else (spaces, punctuation,
/// hyphens, §) separates words.
fn is_word_char(c: char) -> bool {
    is_letter_or_digit(c)
}

/// Split text into words, as written (not normalised). Hyphenated compounds give their parts
/// (`arbetsmiljö-frågor` → `arbetsmiljö`, `frågor`).
pub fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_word_char(c)).filter(|w| !w.is_empty())
}

/// The normalised words of `text` that go into the index: no stop words, no single letters
/// (single digits are kept: `§ 5`).
pub fn tokenise(text: &str) -> Vec<String> {
    let mut kept = Vec::new();
    each_normalised_word(text, &mut String::new(), |w| {
        if keep(w) {
            kept.push(w.to_owned());
        }
    });
    kept
}

/// Hand every word of `text`, normalised as [`normalise`] makes it, to `each`, one at a time in
/// `buffer`. One pass over the text that allocates nothing per word: the index's vocabulary
/// cuts a large site's millions of words here, as [`tokenise`] does a query's.
pub(crate) fn each_normalised_word(text: &str, buffer: &mut String, mut each: impl FnMut(&str)) {
    buffer.clear();
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        let in_word = if byte.is_ascii() {
            at += 1;
            byte.is_ascii_alphanumeric() && {
                buffer.push(char::from(byte.to_ascii_lowercase()));
                true
            }
        } else {
            // `at` is always at a character boundary: it moves by whole characters.
            let Some(c) = text[at..].chars().next() else { break };
            at += c.len_utf8();
            is_word_char(c) && {
                buffer.push(fold_char(c));
                true
            }
        };
        if !in_word && !buffer.is_empty() {
            each(buffer);
            buffer.clear();
        }
    }
    if !buffer.is_empty() {
        each(buffer);
        buffer.clear();
    }
}

/// Whether a normalised word goes into the index: not a stop word, not a single letter.
pub(crate) fn keep(word: &str) -> bool {
    let mut chars = word.chars();
    let long_enough = match (chars.next(), chars.next()) {
        (Some(c), None) => c.is_ascii_digit(),
        (Some(_), Some(_)) => true,
        _ => false,
    };
    long_enough && !is_stop_word(word)
}

/// Stop words packed into numbers, 8 bytes big-endian and padded with zeros, so the numbers
/// sort as the words do and a word is looked up with one number comparison a step.
const STOP_KEYS: [u64; STOP_WORDS.len()] = {
    let mut keys = [0; STOP_WORDS.len()];
    let mut i = 0;
    while i < STOP_WORDS.len() {
        keys[i] = pack(STOP_WORDS[i].as_bytes());
        i += 1;
    }
    keys
};

/// Up to eight bytes as one number (see [`STOP_KEYS`]).
const fn pack(bytes: &[u8]) -> u64 {
    let mut key = 0u64;
    let mut i = 0;
    while i < 8 {
        key <<= 8;
        if i < bytes.len() {
            key |= bytes[i] as u64;
        }
        i += 1;
    }
    key
}

fn is_stop_word(word: &str) -> bool {
    // Every stop word is short; most words are not and skip the search.
    word.len() <= 7 && STOP_KEYS.binary_search(&pack(word.as_bytes())).is_ok()
}

/// Collapse runs of whitespace to one space, and drop the space the text extraction leaves
/// between a link or emphasis and the punctuation after it (`samtal )` → `samtal)`). Words
/// joined by single plain spaces, which stay as they are, are copied a run at a time.
pub(crate) fn squeeze(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    let mut copied = skip_whitespace(text, 0);
    let mut end = text.len();
    let mut at = copied;
    while let Some(i) = bytes[at..].iter().position(|&b| may_start_whitespace(b)) {
        let space = at + i;
        let word = skip_whitespace(text, space);
        if word == space {
            // A character that only starts like whitespace (`”`, `–`).
            at = space + 1;
            continue;
        }
        if word == text.len() {
            end = space;
            break;
        }
        let glued = glues_to_previous(&text[word..]);
        let plain_space = word == space + 1 && bytes[space] == b' ';
        if glued || !plain_space {
            out.push_str(&text[copied..space]);
            if !glued {
                out.push(' ');
            }
            copied = word;
        }
        at = word;
    }
    if copied < end {
        out.push_str(&text[copied..end]);
    }
    out
}

/// Whether the word at the start of `rest` goes right after the word before it, without a
/// space: closing punctuation does, and a closing quote when nothing follows it in the word
/// (Swedish uses ” on both sides, and `”ord”` after a space opens a quotation).
fn glues_to_previous(rest: &str) -> bool {
    matches!(
        rest.as_bytes().first(),
        Some(b')' | b',' | b'.' | b':' | b';' | b'!' | b'?')
    ) || ((rest.starts_with('”') || rest.starts_with('’'))
        && !whitespace_separated(rest)
            .next()
            .is_some_and(|w| w.chars().any(char::is_alphanumeric)))
}

/// Where the whitespace starting at byte `at` of `text` ends (`at` itself when there is none).
fn skip_whitespace(text: &str, mut at: usize) -> usize {
    while let Some(space @ 1..) = whitespace_len(text, at) {
        at += space;
    }
    at
}

/// [`str::split_whitespace`] without decoding every character: words are found by a byte scan
/// for what can start a whitespace character, and only those candidates are decoded (this runs
/// on all of a large site's text).
fn whitespace_separated(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        at = skip_whitespace(text, at);
        if at == bytes.len() {
            return None;
        }
        let start = at;
        loop {
            let Some(i) = bytes[at..].iter().position(|&b| may_start_whitespace(b)) else {
                at = bytes.len();
                return Some(&text[start..]);
            };
            at += i;
            if whitespace_len(text, at) != Some(0) {
                return Some(&text[start..at]);
            }
            at += 1;
        }
    })
}

/// Whether byte `b` of UTF-8 text can be the first of a whitespace character: ASCII
/// whitespace, or the lead byte of U+0085, U+00A0, U+1680, U+2000–U+205F and U+3000.
fn may_start_whitespace(b: u8) -> bool {
    matches!(b, b'\t'..=b'\r' | b' ' | 0xC2 | 0xE1 | 0xE2 | 0xE3)
}

/// The length in bytes of the whitespace character starting at byte `at` of `text`: 0 when
/// there is none there, `None` past the end. `at` need not be at a character boundary: a
/// continuation byte is never whitespace.
#[inline]
fn whitespace_len(text: &str, at: usize) -> Option<usize> {
    let b = *text.as_bytes().get(at)?;
    Some(match b {
        _ if !may_start_whitespace(b) => 0,
        b if b.is_ascii() => 1,
        _ => text[at..]
            .chars()
            .next()
            .filter(|c| c.is_whitespace())
            .map_or(0, char::len_utf8),
    })
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
        assert!(STOP_KEYS.is_sorted());
        assert!(STOP_WORDS.iter().all(|w| is_stop_word(w) && !keep(w)));
        for kept in ["alla2", "allt", "at", "atta", "vilkas", "ar", "5", "medarbetare"] {
            assert!(keep(kept), "{kept}");
        }
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
    fn words_are_cut_and_normalised_in_one_pass_as_in_two() {
        let text = "Ärendet – ”Lönesamtal” (§ 12) för MEDARBETARE/chefer; naïve×2 Ωmega ß ½ idé…";
        let mut one_pass = Vec::new();
        each_normalised_word(text, &mut String::new(), |w| one_pass.push(w.to_owned()));
        let two_passes: Vec<String> = words(text).map(normalise).collect();
        assert_eq!(one_pass, two_passes);
        assert_eq!(one_pass[..3], ["arendet", "lonesamtal", "12"]);
    }

    /// Every character Unicode calls whitespace (all are below U+3001).
    fn every_unicode_space() -> String {
        (0..0x3001)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect()
    }

    #[test]
    fn whitespace_is_split_as_the_standard_library_splits_it() {
        let spaces = every_unicode_space();
        let text = format!(" ”Lön{spaces}– är\u{a0}bra ” ,\u{2003}ja\t\n…{spaces}slut");
        assert_eq!(
            whitespace_separated(&text).collect::<Vec<_>>(),
            text.split_whitespace().collect::<Vec<_>>()
        );
        assert_eq!(whitespace_separated("  ").count(), 0);
        assert_eq!(whitespace_separated("ord").collect::<Vec<_>>(), ["ord"]);
    }

    #[test]
    fn squeeze_collapses_space_and_glues_punctuation() {
        assert_eq!(
            squeeze("  Se  utvecklingssamtal ) och\n lön , sedan . "),
            "Se utvecklingssamtal) och lön, sedan."
        );
        assert_eq!(squeeze("Sidan ”ett” och [länk ” ."), "Sidan ”ett” och [länk”.");
        assert_eq!(squeeze("a\u{a0}b\u{2003}\u{2003}c – ”d” ’\n\n"), "a b c – ”d”’");
        assert_eq!(squeeze(" \n "), "");
        assert_eq!(squeeze("ord"), "ord");
    }

    #[test]
    fn squeeze_is_the_same_as_joining_the_words_one_by_one() {
        let spaces = every_unicode_space();
        let text = format!(" ”Lön{spaces}– är\u{a0}bra ” ,\u{2003}ja ) ( ’ord’ ’ .\t\n…{spaces}slut ");
        let mut joined = String::new();
        for w in text.split_whitespace() {
            if !joined.is_empty() && !glues_to_previous(w) {
                joined.push(' ');
            }
            joined.push_str(w);
        }
        assert_eq!(squeeze(&text), joined);
    }
}
