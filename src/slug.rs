//! Slugs for file names and heading ids: lower case ASCII, å/ä/ö transliterated (with the
//! letter table of [`crate::text::fold_char`]), letters of other scripts transliterated with
//! `deunicode` (`Привет` → `privet`, so names in any script stay distinct), words joined by `-`.

use crate::text::fold_char;

/// `"Medarbetaröverenskommelse 2020"` → `"medarbetaroverenskommelse-2020"`.
pub fn slugify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_dash = false;
    for ch in text.chars().flat_map(char::to_lowercase) {
        let mapped: &str = match ch {
            'æ' => "ae",
            'ß' => "ss",
            c if !c.is_ascii() && c.is_alphanumeric() && !fold_char(c).is_ascii() => {
                // A letter of another script: its transliteration, word by word.
                for t in deunicode::deunicode_char(c).unwrap_or("").chars() {
                    if t.is_ascii_alphanumeric() {
                        if pending_dash && !out.is_empty() {
                            out.push('-');
                        }
                        pending_dash = false;
                        out.push(t.to_ascii_lowercase());
                    } else {
                        pending_dash = true;
                    }
                }
                continue;
            }
            c => {
                let folded = fold_char(c);
                if !folded.is_ascii_alphanumeric() {
                    pending_dash = true;
                    continue;
                }
                if pending_dash && !out.is_empty() {
                    out.push('-');
                }
                pending_dash = false;
                out.push(folded);
                continue;
            }
        };
        if pending_dash && !out.is_empty() {
            out.push('-');
        }
        pending_dash = false;
        out.push_str(mapped);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn transliterates_swedish_letters() {
        assert_eq!(slugify("Medarbetaröverenskommelse"), "medarbetaroverenskommelse");
        assert_eq!(slugify("Öppenhet, engagemang & respekt"), "oppenhet-engagemang-respekt");
        assert_eq!(slugify("  Lön och  ÅÄÖ "), "lon-och-aao");
        assert_eq!(slugify("Bilaga 1"), "bilaga-1");
        assert_eq!(slugify("Encyclopædia Straße Tromsø"), "encyclopaedia-strasse-tromso");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn other_scripts_are_transliterated_so_names_stay_distinct() {
        assert_eq!(slugify("Привет мир"), "privet-mir");
        assert_eq!(slugify("Пока"), "poka");
        assert_eq!(slugify("Łódź"), "lodz");
        assert_ne!(slugify("مرحبا"), slugify("سلام"));
        assert!(!slugify("مرحبا").is_empty());
    }
}
