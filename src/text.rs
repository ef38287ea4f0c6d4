//! Text rules shared by every stage: folding letters with diacritics (one table; the browser's
//! copy in `themes/default/js/search-text.js` is generated from it by
//! tests/integration/js_tables.rs), Swedish typographic quotes, and Swedish alphabetical order.

use std::borrow::Cow;
use std::cmp::Ordering;

/// One character, lowercased and with diacritics folded, always to exactly one character so
/// positions in folded text match positions in the original (the browser relies on this to
/// highlight search matches). `FOLD` in `search-text.js` is generated from this function.
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

/// Typographic quotes for a site's language, applied to text outside code: Swedish uses ” and ’
/// on both sides (so `"ord"`, `“ord”` pasted from Word and `„ord“` all become `”ord”`); English
/// uses “…” and ‘…’, opening after a space or an opening bracket and closing elsewhere. Text
/// that arrives in pieces (emphasis, links) keeps its context through `previous`.
#[derive(Debug, Clone, Copy)]
pub struct Typography {
    english: bool,
    previous: char,
}

impl Typography {
    /// Typography for the site language `language` (`sv` or `en`).
    pub fn new(language: &str) -> Typography {
        Typography {
            english: language == "en",
            previous: ' ',
        }
    }

    /// Start a new block: the next quote follows nothing.
    pub fn reset(&mut self) {
        self.previous = ' ';
    }

    /// `text` with its quotes made typographic; text without quotes is not copied.
    pub fn apply<'a>(&mut self, text: &'a str) -> Cow<'a, str> {
        let Some(last) = text.chars().last() else {
            return Cow::Borrowed(text);
        };
        if !has_straight_or_low_quote(text) {
            self.previous = last;
            return Cow::Borrowed(text);
        }
        let mut out = String::with_capacity(text.len() + 8);
        for c in text.chars() {
            let opening = self.previous.is_whitespace() || matches!(self.previous, '(' | '[' | '{' | '–' | '—' | '/');
            let mapped = match (c, self.english) {
                ('"' | '“' | '„', false) => '”',
                ('\'' | '‘' | '‚', false) => '’',
                ('"' | '„', true) if opening => '“',
                ('"' | '„', true) => '”',
                ('\'' | '‚', true) if opening => '‘',
                ('\'' | '‚', true) => '’',
                (c, _) => c,
            };
            out.push(mapped);
            self.previous = c;
        }
        Cow::Owned(out)
    }

    /// A whole text on its own (a title, a label): quotes made typographic.
    pub fn text(language: &str, text: &str) -> String {
        Typography::new(language).apply(text).into_owned()
    }
}

/// Whether `text` holds a quote [`Typography::apply`] changes: most text has none, and this
/// runs on every piece of every page's text.
fn has_straight_or_low_quote(text: &str) -> bool {
    contains_char(
        text,
        |b| matches!(b, b'"' | b'\'' | 0xE2),
        |c| matches!(c, '"' | '\'' | '“' | '„' | '‘' | '‚'),
    )
}

/// Whether `text` holds a character `wanted` accepts, decoding only the characters whose first
/// byte `may_start` accepts (it must accept the first byte of every character `wanted` does).
/// A byte scan instead of decoding every character of a page's text: the characters looked
/// for are rare, and bytes they start with (`0xE2` of `”` and `–`) are not.
fn contains_char(text: &str, may_start: impl Fn(u8) -> bool, wanted: impl Fn(char) -> bool) -> bool {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(i) = bytes[at..].iter().position(|&b| may_start(b)) {
        at += i;
        // A byte that starts a character is at a character boundary (continuation bytes,
        // 0x80–0xBF, start none of the characters looked for).
        if text.get(at..).and_then(|rest| rest.chars().next()).is_some_and(&wanted) {
            return true;
        }
        at += 1;
    }
    false
}

/// The name of a character that cannot be seen but changes a text: Word and web pages paste
/// them into titles, headings and links, where they break anchors and sorting.
pub fn invisible_name(c: char) -> Option<&'static str> {
    match c {
        '\u{200B}' => Some("zero-width space"),
        '\u{2060}' => Some("word joiner"),
        '\u{FEFF}' => Some("zero-width no-break space"),
        '\u{00AD}' => Some("soft hyphen"),
        _ => None,
    }
}

/// The first invisible character of `text` (see [`invisible_name`]), as `U+200B (zero-width
/// space)`, with its 0-based index in characters.
pub fn find_invisible(text: &str) -> Option<(usize, char, String)> {
    text.chars()
        .enumerate()
        .find_map(|(i, c)| invisible_name(c).map(|name| (i, c, format!("U+{:04X} ({name})", c as u32))))
}

/// `text` without its invisible characters.
pub fn strip_invisible(text: &str) -> Cow<'_, str> {
    if has_invisible(text) {
        Cow::Owned(text.chars().filter(|&c| invisible_name(c).is_none()).collect())
    } else {
        Cow::Borrowed(text)
    }
}

/// Whether `text` holds one of [`invisible_name`]'s characters (all start with 0xC2, 0xE2 or
/// 0xEF).
fn has_invisible(text: &str) -> bool {
    contains_char(
        text,
        |b| matches!(b, 0xC2 | 0xE2 | 0xEF),
        |c| invisible_name(c).is_some(),
    )
}

/// [`char::is_alphabetic`], answered without Unicode's tables for ASCII and the Latin-1 letters
/// (å, ä, ö, é, …): nearly every character of Swedish text, and the table lookup showed in a
/// profile of a 10,000-page build.
pub fn is_letter(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphabetic(),
        // À–ÿ are all letters but × and ÷.
        0xC0..=0xFF => c != '\u{D7}' && c != '\u{F7}',
        _ => c.is_alphabetic(),
    }
}

/// [`char::is_alphanumeric`], with [`is_letter`]'s quick answers.
pub fn is_letter_or_digit(c: char) -> bool {
    match c as u32 {
        0..=0x7F => c.is_ascii_alphanumeric(),
        0xC0..=0xFF => c != '\u{D7}' && c != '\u{F7}',
        _ => c.is_alphanumeric(),
    }
}

/// A count as readers of `language` write it: `2 000` in Swedish (a no-break space between
/// groups of three digits), `2,000` in English. Numbers under 1,000 are left alone.
pub fn format_count(language: &str, n: usize) -> String {
    let digits = n.to_string();
    let separator = if language == "en" { ',' } else { '\u{00A0}' };
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 * 2);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(separator);
        }
        out.push(c);
    }
    out
}

/// Compare two texts in Swedish alphabetical order: case-insensitive, å, ä and ö after z (æ
/// and ø with ä and ö), other letters with diacritics beside their base letter, and numbers by
/// their value ("Riktlinje 2" before "Riktlinje 10").
pub fn swedish_order(a: &str, b: &str) -> Ordering {
    collation_key(a).cmp(&collation_key(b))
}

/// The key [`swedish_order`] compares. A run of digits becomes `'0'`, its length without leading
/// zeros, then those digits, so a shorter number sorts first; digits occur nowhere else in a key.
fn collation_key(text: &str) -> Vec<u32> {
    let mut key = Vec::with_capacity(text.len());
    let mut chars = text.chars().flat_map(char::to_lowercase).peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            let mut digits = vec![c as u32];
            while let Some(d) = chars.next_if(char::is_ascii_digit) {
                digits.push(d as u32);
            }
            let first = digits.iter().position(|&d| d != '0' as u32).unwrap_or(digits.len());
            key.push('0' as u32);
            key.push((digits.len() - first) as u32);
            key.extend(&digits[first..]);
            continue;
        }
        key.push(match c {
            'å' => 'z' as u32 + 1,
            'ä' | 'æ' => 'z' as u32 + 2,
            'ö' | 'ø' => 'z' as u32 + 3,
            c => fold_char(c) as u32,
        });
    }
    key
}

#[cfg(test)]
mod tests {
    #[test]
    fn quick_letter_tests_answer_as_unicode_does() {
        for c in (0..0x3000).filter_map(char::from_u32) {
            assert_eq!(super::is_letter(c), c.is_alphabetic(), "{c:?}");
            assert_eq!(super::is_letter_or_digit(c), c.is_alphanumeric(), "{c:?}");
        }
    }

    #[test]
    fn quotes_to_change_are_found_among_their_byte_neighbours() {
        for c in ['"', '\'', '“', '„', '‘', '‚'] {
            assert!(super::has_straight_or_low_quote(&format!("– ”a” {c}")), "{c:?}");
        }
        assert!(!super::has_straight_or_low_quote("”a” ’b’ – — … ™ € 5 × 2"));
    }

    #[test]
    fn invisible_characters_are_found_among_their_byte_neighbours() {
        // ” and – start with the byte U+200B starts with; ä and © with U+00AD's.
        assert!(!super::has_invisible("”Väl” – © 2026"));
        for c in ['\u{00AD}', '\u{200B}', '\u{2060}', '\u{FEFF}'] {
            let text = format!("”kompetens{c}utveckling” –");
            assert!(super::has_invisible(&text), "{c:?}");
            assert_eq!(super::strip_invisible(&text), "”kompetensutveckling” –");
        }
    }

    #[test]
    fn counts_are_grouped_in_threes_as_each_language_writes_them() {
        assert_eq!(super::format_count("sv", 999), "999");
        assert_eq!(super::format_count("sv", 2000), "2\u{00A0}000");
        assert_eq!(super::format_count("sv", 1234567), "1\u{00A0}234\u{00A0}567");
        assert_eq!(super::format_count("en", 10000), "10,000");
    }

    use super::*;

    #[test]
    fn folding_keeps_one_char_per_char() {
        let text = "Ärendet İstanbul ß Öl idé";
        let folded: String = text.chars().map(fold_char).collect();
        assert_eq!(text.chars().count(), folded.chars().count());
        assert!(folded.ends_with("ol ide"));
    }

    #[test]
    fn quotes_follow_the_language_and_plain_text_is_not_copied() {
        assert_eq!(
            Typography::text("sv", "\"ja\" sa 'hon' och “Word” ‘enkel’ „tysk“"),
            "”ja” sa ’hon’ och ”Word” ’enkel’ ”tysk”"
        );
        assert_eq!(
            Typography::text("en", "\"yes\" she said, 'it's (\"fine\")'"),
            "“yes” she said, ‘it’s (“fine”)’"
        );
        assert!(matches!(Typography::new("sv").apply("inga citat"), Cow::Borrowed(_)));
        // Context carries over pieces of text: `"*ja*"` arrives as `"`, `ja`, `"`.
        let mut t = Typography::new("en");
        let pieces: Vec<String> = ["say \"", "yes", "\" now"]
            .iter()
            .map(|p| t.apply(p).into_owned())
            .collect();
        assert_eq!(pieces.concat(), "say “yes” now");
    }

    #[test]
    fn invisible_characters_are_named_and_stripped() {
        let pasted = "Lö\u{200B}n och\u{00AD}förmåner";
        assert_eq!(
            find_invisible(pasted).map(|(i, _, n)| (i, n)),
            Some((2, "U+200B (zero-width space)".to_string()))
        );
        assert_eq!(strip_invisible(pasted), "Lön ochförmåner");
        assert!(matches!(strip_invisible("Lön"), Cow::Borrowed(_)));
    }

    #[test]
    fn swedish_letters_sort_after_z() {
        let mut titles = vec!["Öppenhet", "Zebra", "Ärende", "Ålder", "ara", "Ödla"];
        titles.sort_by(|a, b| swedish_order(a, b));
        assert_eq!(titles, ["ara", "Zebra", "Ålder", "Ärende", "Ödla", "Öppenhet"]);
    }

    #[test]
    fn numbers_in_titles_sort_by_their_value() {
        let mut titles = vec![
            "Bilaga 10",
            "Bilaga 2",
            "Bilaga 1b",
            "Bilaga 1",
            "Bilaga 002a",
            "Bilaga",
        ];
        titles.sort_by(|a, b| swedish_order(a, b));
        assert_eq!(
            titles,
            [
                "Bilaga",
                "Bilaga 1",
                "Bilaga 1b",
                "Bilaga 2",
                "Bilaga 002a",
                "Bilaga 10"
            ]
        );
    }
}
