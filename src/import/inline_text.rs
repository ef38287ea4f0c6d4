//! A paragraph's inline text made clean: neighbouring runs of the same style merged, characters
//! normalised the way the build expects (soft hyphens and other invisible characters dropped,
//! since the build hyphenates itself; tabs and line separators made spaces; a no-break space
//! kept only between digits, `5 000`, as the build writes numbers), spaces collapsed, ends
//! trimmed.

use super::model::Inline;

/// Merge neighbouring text of the same style, normalise characters (soft hyphens and other
/// invisible characters dropped, tabs and no-break spaces made spaces except a no-break space
/// between digits), collapse runs of spaces and trim the ends.
pub(crate) fn tidy(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    for inline in inlines {
        match inline {
            Inline::Text { text, bold, italic } => {
                let text = normalise(&text);
                if text.is_empty() {
                    continue;
                }
                if let Some(Inline::Text {
                    text: last,
                    bold: b,
                    italic: i,
                }) = out.last_mut()
                {
                    if (*b, *i) == (bold, italic) || text.trim().is_empty() {
                        last.push_str(&text);
                        continue;
                    }
                }
                out.push(Inline::Text { text, bold, italic });
            }
            Inline::Link { target, inlines } => {
                let inlines = tidy(inlines);
                if !inlines.is_empty() {
                    out.push(Inline::Link { target, inlines });
                }
            }
            other => out.push(other),
        }
    }
    // Collapse spaces across the merged texts and trim the paragraph's ends.
    let mut previous_space = true;
    for inline in &mut out {
        if let Inline::Text { text, .. } = inline {
            let mut collapsed = String::with_capacity(text.len());
            for c in text.chars() {
                if c == ' ' {
                    if !previous_space {
                        collapsed.push(' ');
                    }
                    previous_space = true;
                } else {
                    collapsed.push(c);
                    previous_space = false;
                }
            }
            *text = collapsed;
        } else {
            previous_space = matches!(inline, Inline::Break);
        }
    }
    while let Some(Inline::Text { text, .. }) = out.last_mut() {
        let trimmed = text.trim_end().len();
        text.truncate(trimmed);
        if text.is_empty() {
            out.pop();
        } else {
            break;
        }
    }
    while matches!(out.last(), Some(Inline::Break)) {
        out.pop();
    }
    out.retain(|i| !matches!(i, Inline::Text { text, .. } if text.is_empty()));
    while matches!(out.first(), Some(Inline::Break)) {
        out.remove(0);
    }
    out
}

/// One text's characters as the build expects them.
fn normalise(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        match c {
            c if crate::text::invisible_name(c).is_some() => {}
            '\u{00A0}' | '\u{202F}' | '\u{2007}' => {
                let digits =
                    i > 0 && chars[i - 1].is_ascii_digit() && chars.get(i + 1).is_some_and(char::is_ascii_digit);
                out.push(if digits { '\u{00A0}' } else { ' ' });
            }
            '\t' | '\n' | '\r' | '\u{2028}' | '\u{2029}' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Inline {
        Inline::Text {
            text: s.into(),
            bold: false,
            italic: false,
        }
    }

    #[test]
    fn text_is_normalised_the_way_the_build_expects() {
        let tidied = tidy(vec![
            text("  Distans\u{00AD}arbete\u{200B}, 5\u{00A0}000\u{00A0}kr\t"),
            text(" ok "),
        ]);
        assert_eq!(tidied, vec![text("Distansarbete, 5\u{00A0}000 kr ok")]);
    }
}
