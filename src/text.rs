//! Text rules shared by every stage: folding letters with diacritics (one table, mirrored in
//! `themes/default/js/search.js`), Swedish typographic quotes, and Swedish alphabetical order.

use std::borrow::Cow;
use std::cmp::Ordering;

/// One character, lowercased and with diacritics folded, always to exactly one character so
/// positions in folded text match positions in the original (the browser relies on this to
/// highlight search matches). Must agree with `FOLD` in `search.js`.
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

/// Swedish typography: `"ord"` → `”ord”` and `'` → `’` (Swedish uses ” on both sides, never
/// English “…”). Text without quotes is not copied.
pub fn swedish_quotes(text: &str) -> Cow<'_, str> {
    if text.contains(['"', '\'']) {
        Cow::Owned(text.replace('"', "”").replace('\'', "’"))
    } else {
        Cow::Borrowed(text)
    }
}

/// Compare two texts in Swedish alphabetical order: case-insensitive, å, ä and ö after z (æ
/// and ø with ä and ö), other letters with diacritics beside their base letter.
pub fn swedish_order(a: &str, b: &str) -> Ordering {
    collation_key(a).cmp(&collation_key(b))
}

fn collation_key(text: &str) -> Vec<u32> {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'å' => 'z' as u32 + 1,
            'ä' | 'æ' => 'z' as u32 + 2,
            'ö' | 'ø' => 'z' as u32 + 3,
            c => fold_char(c) as u32,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_keeps_one_char_per_char() {
        let text = "Ärendet İstanbul ß Öl idé";
        let folded: String = text.chars().map(fold_char).collect();
        assert_eq!(text.chars().count(), folded.chars().count());
        assert!(folded.ends_with("ol ide"));
    }

    #[test]
    fn quotes_become_swedish_and_plain_text_is_not_copied() {
        assert_eq!(swedish_quotes("\"ja\" sa 'hon'"), "”ja” sa ’hon’");
        assert!(matches!(swedish_quotes("inga citat"), Cow::Borrowed(_)));
    }

    #[test]
    fn swedish_letters_sort_after_z() {
        let mut titles = vec!["Öppenhet", "Zebra", "Ärende", "Ålder", "ara", "Ödla"];
        titles.sort_by(|a, b| swedish_order(a, b));
        assert_eq!(titles, ["ara", "Zebra", "Ålder", "Ärende", "Ödla", "Öppenhet"]);
    }
}
