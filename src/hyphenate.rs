//! Soft hyphens (U+00AD) at syllable boundaries in long words, so a Swedish compound such as
//! "Medarbetaröverenskommelse" breaks as "Medarbetar-överenskommelse" in a narrow column
//! instead of being cut anywhere ("Medarbetaröverens|kommelse") or overflowing. The break
//! points come from the TeX hyphenation patterns (Knuth–Liang) that the `hypher` crate embeds
//! for Swedish and English; no dictionary is read at run time.
//!
//! Used on text a reader sees (by the Markdown stage, the form stage and the templates'
//! `hyphenate` filter), from a word length that depends on how short the lines are: headings,
//! menus and form labels; table cells; running text. Never on ids, link targets, the search
//! index or code: those are made from the text as written.

use std::borrow::Cow;
use std::cell::RefCell;

use rustc_hash::FxHashMap;

use crate::text::is_letter;

/// The soft hyphen: invisible unless the line breaks there, then shown as a hyphen.
pub const SOFT_HYPHEN: char = '\u{ad}';

/// Words with fewer letters than this are left whole in headings, menus and labels: they fit
/// on a line of their own at 320 CSS px.
pub const LONG_WORD: usize = 12;

/// Table cells share a narrow screen with their neighbours, so shorter words there get soft
/// hyphens too ("Kopp-lat mot fo-kus-områ-de").
pub const TABLE_WORD: usize = 7;

/// In running text only the longest compounds ("medarbetaröverenskommelsen") get soft hyphens:
/// they are the words that do not fit a phone's line, even in a list.
pub const BODY_WORD: usize = 16;

/// Puts soft hyphens into long words of one language. `Copy`: the stages that need it carry
/// it by value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hyphenator {
    lang: Option<hypher::Lang>,
}

impl Hyphenator {
    /// The hyphenator for a site language code (`sv`, `en`); other languages get none and
    /// leave text unchanged.
    pub fn for_language(code: &str) -> Hyphenator {
        let lang = match code {
            "sv" => Some(hypher::Lang::Swedish),
            "en" => Some(hypher::Lang::English),
            _ => None,
        };
        Hyphenator { lang }
    }

    /// `text` with soft hyphens in every word of at least [`LONG_WORD`] letters.
    pub fn hyphenate_text(&self, text: &str) -> String {
        self.hyphenate(text, LONG_WORD).into_owned()
    }

    /// `text` with soft hyphens in every word (a run of letters) of at least `min_letters`
    /// letters. Text that already has soft hyphens is left as its author wrote it.
    pub fn hyphenate<'t>(&self, text: &'t str, min_letters: usize) -> Cow<'t, str> {
        let Some(lang) = self.lang else {
            return Cow::Borrowed(text);
        };
        // A word of `min_letters` letters takes at least that many bytes.
        if text.len() < min_letters || text.contains(SOFT_HYPHEN) {
            return Cow::Borrowed(text);
        }
        // One pass: text is copied only from its first long word on, and between long words a
        // slice at a time.
        let mut out: Option<String> = None;
        let mut copied = 0;
        for (start, end, letters) in letter_runs(text) {
            if letters >= min_letters {
                let out = out.get_or_insert_with(|| String::with_capacity(text.len() + text.len() / 4));
                out.push_str(&text[copied..start]);
                push_hyphenated(out, &text[start..end], lang);
                copied = end;
            }
        }
        match out {
            Some(mut out) => {
                out.push_str(&text[copied..]);
                Cow::Owned(out)
            }
            None => Cow::Borrowed(text),
        }
    }
}

/// The words (runs of letters) of `text`: their start and end in bytes and their number of
/// letters. ASCII is told apart by its byte; only other characters are decoded.
fn letter_runs(text: &str) -> impl Iterator<Item = (usize, usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let mut start = None;
        let mut letters = 0;
        while at < bytes.len() {
            let (letter, len) = match bytes[at] {
                b if b.is_ascii() => (b.is_ascii_alphabetic(), 1),
                // `at` moves by whole characters, so it is at a character boundary.
                _ => text[at..]
                    .chars()
                    .next()
                    .map_or((false, 1), |c| (is_letter(c), c.len_utf8())),
            };
            match (letter, start) {
                (true, None) => {
                    start = Some(at);
                    letters = 1;
                }
                (true, Some(_)) => letters += 1,
                (false, Some(s)) => return Some((s, at, letters)),
                (false, None) => {}
            }
            at += len;
        }
        start.map(|s| (s, at, letters))
    })
}

/// How many hyphenated words each thread remembers before it starts over. The same words recur
/// on every page (menu titles, the handbook's own vocabulary); a bound keeps memory flat.
const CACHE_WORDS: usize = 50_000;

/// Hyphenated words as written, for one language (the site's: a change of language starts over).
type WordCache = (Option<hypher::Lang>, FxHashMap<Box<str>, Box<str>>);

thread_local! {
    /// Words already hyphenated on this thread: the patterns are a pure function, so a
    /// remembered answer is the answer.
    static HYPHENATED: RefCell<WordCache> = RefCell::new((None, FxHashMap::default()));
}

fn push_hyphenated(out: &mut String, word: &str, lang: hypher::Lang) {
    HYPHENATED.with_borrow_mut(|(cached_lang, cache)| {
        if *cached_lang != Some(lang) || cache.len() >= CACHE_WORDS {
            cache.clear();
            *cached_lang = Some(lang);
        }
        if let Some(done) = cache.get(word) {
            out.push_str(done);
            return;
        }
        let mut done = String::with_capacity(word.len() + word.len() / 2);
        // Two letters before the first break and three after the last: "Ge-nom-förda", never
        // a lone letter on either line.
        for (i, syllable) in hypher::hyphenate_bounded(word, lang, 2, 3).enumerate() {
            if i > 0 {
                done.push(SOFT_HYPHEN);
            }
            done.push_str(syllable);
        }
        out.push_str(&done);
        cache.insert(word.into(), done.into_boxed_str());
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(text: &str) -> String {
        text.replace(SOFT_HYPHEN, "|")
    }

    #[test]
    fn long_swedish_compounds_get_soft_hyphens_at_syllable_boundaries() {
        let sv = Hyphenator::for_language("sv");
        assert_eq!(
            shown(&sv.hyphenate_text("Medarbetaröverenskommelse")),
            "Med|ar|be|tar|ö|ver|ens|kom|melse"
        );
        assert_eq!(
            shown(&sv.hyphenate_text("Genomförda kompetensutvecklingsinsatser")),
            "Genomförda kom|pe|tens|ut|veck|lingsin|sat|ser"
        );
        assert_eq!(
            shown(&sv.hyphenate("Kopplat mot fokusområde", TABLE_WORD)),
            "Kopp|lat mot fo|kus|om|råde"
        );
    }

    #[test]
    fn short_words_punctuation_and_digits_are_kept_as_written() {
        let sv = Hyphenator::for_language("sv");
        let text = "Lön: 2020-02-10, HR-avdelningen (”Om oss”)!";
        assert_eq!(sv.hyphenate_text(text), text);
        assert_eq!(
            shown(&sv.hyphenate_text("Rekryteringsenheten, HR-avdelningen.")),
            "Re|kry|te|rings|en|he|ten, HR-avdelningen."
        );
        // Text with soft hyphens already placed by its author is left alone.
        let placed = "Medarbetar\u{ad}överenskommelse";
        assert_eq!(sv.hyphenate_text(placed), placed);
    }

    #[test]
    fn removing_the_soft_hyphens_gives_back_the_text() {
        let sv = Hyphenator::for_language("sv");
        let text = "Tillgänglighetsredogörelse för Alingsås kommuns personalhandbok";
        assert_eq!(sv.hyphenate_text(text).replace(SOFT_HYPHEN, ""), text);
        assert_eq!(Hyphenator::for_language("de").hyphenate_text(text), text);
    }
}
