//! A version handbok refuses to render (raw HTML outside the allowed subset, say) still has
//! text to compare: its raw HTML tags are left out (the text between them kept), so the
//! rest renders, and the comparison says which version could not be shown as a page and why.
//! Only the comparison does this; a page at `HEAD` with such HTML still fails the build.

use pulldown_cmark::{Event, Parser};
use serde::Serialize;

use crate::diag::Severity;
use crate::markdown::{Markdown, OPTIONS};

/// Why a version could not be shown as a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Refused {
    /// The line (in the version's file) of the first problem, 0 when unknown.
    pub line: usize,
    /// The problem is raw HTML that handbok does not allow (else another error of the page).
    pub raw_html: bool,
}

/// The first error of a rendered version, if handbok refused it.
pub(super) fn refusal(rendered: &Markdown, text: &str, body_start: usize) -> Option<Refused> {
    let first = rendered.diagnostics.iter().find(|d| d.severity == Severity::Error)?;
    Some(Refused {
        line: first.line,
        raw_html: has_raw_html(&text[body_start.min(text.len())..]),
    })
}

fn has_raw_html(body: &str) -> bool {
    body.contains('<') && Parser::new_ext(body, OPTIONS).any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)))
}

/// `text` with every tag of its body's raw HTML left out (the line breaks inside a tag kept, so
/// lines stay where they were), and the text between tags left as it is.
pub(super) fn without_raw_html(text: &str, body_start: usize) -> String {
    let start = body_start.min(text.len());
    let body = &text[start..];
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..start]);
    let mut copied = 0;
    for (event, range) in Parser::new_ext(body, OPTIONS).into_offset_iter() {
        if !matches!(event, Event::Html(_) | Event::InlineHtml(_)) || range.start < copied {
            continue;
        }
        out.push_str(&body[copied..range.start]);
        let mut in_tag = false;
        for c in body[range.clone()].chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                '\n' => out.push('\n'),
                _ if !in_tag => out.push(c),
                _ => {}
            }
        }
        copied = range.end;
    }
    out.push_str(&body[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_left_out_and_the_text_between_them_stays() {
        let text =
            "---\ntitle: Å\n---\nFörst <span onclick=\"x()\">här</span> sist.\n\n<div style=\"ö\">\nInne\n</div>\n";
        let body_start = text.find("Först").unwrap();
        let out = without_raw_html(text, body_start);
        assert_eq!(out.lines().count(), text.lines().count());
        assert!(out.contains("Först här sist."), "{out}");
        assert!(out.contains("Inne"), "{out}");
        assert!(!out.contains('<') && !out.contains("onclick"), "{out}");
        assert!(out.starts_with("---\ntitle: Å\n---\n"));
    }
}
