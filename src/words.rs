//! Words for the search index: splitting text into words, folding them (lowercase, å/ä → a,
//! ö → o, with [`crate::text::fold_char`]), dropping stop words, and tidying snippet text.

use crate::text::fold_char;

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

pub(crate) fn keep(word: &str) -> bool {
    let mut chars = word.chars();
    let long_enough = match (chars.next(), chars.next()) {
        (Some(c), None) => c.is_ascii_digit(),
        (Some(_), Some(_)) => true,
        _ => false,
    };
    // Every stop word is short; most words are not and skip the search.
    long_enough && (word.len() > 7 || STOP_WORDS.binary_search(&word).is_err())
}

/// Collapse runs of whitespace to one space, and drop the space the text extraction leaves
/// between a link or emphasis and the punctuation after it (`samtal )` → `samtal)`).
pub(crate) fn squeeze(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for w in text.split_whitespace() {
        // A closing quote glues only when nothing follows it in the word: Swedish uses ” on
        // both sides, and `”ord”` after a space opens a quotation.
        let glued = w.starts_with([')', ',', '.', ':', ';', '!', '?'])
            || (w.starts_with(['”', '’']) && !w.chars().any(char::is_alphanumeric));
        if !out.is_empty() && !glued {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
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
        assert_eq!(squeeze("Sidan ”ett” och [länk ” ."), "Sidan ”ett” och [länk”.");
    }
}
