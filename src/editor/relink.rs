//! Links pointed at a page's new name, edited through the Markdown parser's source ranges (pure).
//!
//! The body is parsed with the build's own options (`pulldown-cmark`'s offset iterator), so only
//! real links change: an inline link's destination (`[t](dest "title")`, `[t](<dest>)`) and a
//! reference definition's (`[r]: dest`), each located inside the byte range the parser gives for
//! the link. The old name in inline code, a fenced or indented code block, raw HTML or plain text
//! is text and stays as it is; autolinks (`<https://…>`) always name another host and never
//! change. A `print_with` entry in the front matter is a YAML list item, changed on its line.
//!
//! Works on the file as it is on disk (a byte-order mark and Windows line endings kept), so the
//! plan shown (from the build's texts) and the edit applied (to the disk's) are the same lines.

use std::ops::Range;

use pulldown_cmark::{Event, LinkType, Parser, Tag, TagEnd};

use crate::markdown::links::{resolve, Target};
use crate::markdown::OPTIONS;
use crate::paths::join_normalised;

/// One line of a file changed by a rewrite.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LineEdit {
    /// The file, relative to the content folder.
    pub source: String,
    /// 1-based line.
    pub line: usize,
    /// The line now.
    pub before: String,
    /// The line after the change.
    pub after: String,
}

/// What a link rewrite makes of one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewritten {
    /// The whole new text.
    pub text: String,
    /// Each changed line, before and after (without a line ending).
    pub lines: Vec<LineEdit>,
}

/// `text` (the file `source` in folder `dir`, front matter and body) with every link to the page
/// `target` pointed at `to` instead (anchors kept); `None` when nothing links there.
pub fn rewrite(text: &str, source: &str, dir: &str, target: &str, to: &str) -> Option<Rewritten> {
    let mut splices = body_links(text, dir, target, to);
    splices.extend(print_with(text, dir, target, to));
    if splices.is_empty() {
        return None;
    }
    splices.sort_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (range, new) in &splices {
        if range.start < at {
            continue; // never two edits of one place
        }
        out.push_str(&text[at..range.start]);
        out.push_str(new);
        at = range.end;
    }
    out.push_str(&text[at..]);
    // Destinations hold no line break, so line n before is line n after.
    let lines = text
        .split('\n')
        .zip(out.split('\n'))
        .enumerate()
        .filter(|(_, (a, b))| a != b)
        .map(|(i, (a, b))| LineEdit {
            source: source.to_string(),
            line: i + 1,
            before: a.trim_end_matches('\r').to_string(),
            after: b.trim_end_matches('\r').to_string(),
        })
        .collect::<Vec<_>>();
    (!lines.is_empty()).then_some(Rewritten { text: out, lines })
}

/// Where the Markdown body starts in the file's bytes: after a byte-order mark and the front
/// matter (`---` … `---` or `...`), as `content::frontmatter::split` reads it.
fn body_start(text: &str) -> usize {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let rest = &text[bom..];
    let Some(after_open) = rest.strip_prefix("---\n").or_else(|| rest.strip_prefix("---\r\n")) else {
        return bom;
    };
    let mut offset = text.len() - after_open.len();
    for line in after_open.split_inclusive('\n') {
        offset += line.len();
        if matches!(line.trim_end(), "---" | "...") {
            return offset;
        }
    }
    bom
}

/// The new destination for `dest` (as written, or decoded by the parser) if it names `target`.
fn new_destination(dest: &str, written: &str, dir: &str, target: &str, to: &str) -> Option<String> {
    match resolve(dest, dir).target {
        Target::Page { source, .. } if source == target => {}
        _ => return None,
    }
    let anchor = written.find('#').map_or("", |at| &written[at..]);
    Some(format!("{}{anchor}", crate::paths::relative_href(dir, to)))
}

/// A link destination written at `at` in `text`: its range without `<` `>`, and whether it has them.
fn destination_at(text: &str, at: usize) -> Option<(Range<usize>, bool)> {
    let rest = text.get(at..)?;
    if let Some(inner) = rest.strip_prefix('<') {
        let mut escaped = false;
        for (i, c) in inner.char_indices() {
            match c {
                '\\' if !escaped => escaped = true,
                '>' if !escaped => return Some((at + 1..at + 1 + i, true)),
                '\n' | '<' if !escaped => return None,
                _ => escaped = false,
            }
        }
        return None;
    }
    let mut depth = 0usize;
    let mut escaped = false;
    for (i, c) in rest.char_indices() {
        match c {
            '\\' if !escaped => {
                escaped = true;
                continue;
            }
            '(' if !escaped => depth += 1,
            ')' if !escaped && depth == 0 => return Some((at..at + i, false)),
            ')' if !escaped => depth -= 1,
            c if c.is_whitespace() || c.is_control() => return Some((at..at + i, false)),
            _ => {}
        }
        escaped = false;
    }
    Some((at..text.len(), false))
}

/// Skip spaces and tabs, and at most one line ending (with the next line's indent or `>`s).
fn skip_blank(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut newline = false;
    while at < bytes.len() {
        match bytes[at] {
            b' ' | b'\t' | b'\r' => at += 1,
            b'\n' if !newline => {
                newline = true;
                at += 1;
                while at < bytes.len() && matches!(bytes[at], b' ' | b'\t' | b'>') {
                    at += 1;
                }
            }
            _ => break,
        }
    }
    at
}

/// The splice for a destination written at `at` that the parser read as `dest`.
fn splice_at(text: &str, at: usize, dest: &str, dir: &str, target: &str, to: &str) -> Option<(Range<usize>, String)> {
    let (range, bracketed) = destination_at(text, at)?;
    let written = &text[range.clone()];
    // Only a destination that is what the parser read: never a guess.
    if unescape(written) != dest && written != dest {
        return None;
    }
    let new = new_destination(dest, written, dir, target, to)?;
    let new = if !bracketed && new.contains([' ', '(', ')']) {
        format!("<{new}>")
    } else {
        new
    };
    Some((range, new))
}

/// Backslash escapes of ASCII punctuation removed, as CommonMark reads a destination.
fn unescape(written: &str) -> String {
    let mut out = String::with_capacity(written.len());
    let mut chars = written.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' && chars.peek().is_some_and(|n| n.is_ascii_punctuation()) {
            continue;
        }
        out.push(c);
    }
    out
}

/// The destinations of inline links and reference definitions in the body that name `target`.
fn body_links(text: &str, dir: &str, target: &str, to: &str) -> Vec<(Range<usize>, String)> {
    let start = body_start(text);
    let body = &text[start..];
    let parser = Parser::new_ext(body, OPTIONS);
    let mut found: Vec<(Range<usize>, String)> = parser
        .reference_definitions()
        .iter()
        .filter_map(|(_, def)| {
            // `[label]: dest`: the label holds no unescaped `]`.
            let span = &body[def.span.clone()];
            let close = label_end(span)?;
            let colon = span[close..].strip_prefix("]:").map(|_| close + 2)?;
            let at = skip_blank(body, def.span.start + colon);
            splice_at(body, at, &def.dest, dir, target, to)
        })
        .collect();
    // An inline link: the destination follows the `](` after the link's text.
    let mut open: Vec<(Range<usize>, String, usize)> = Vec::new();
    for (event, range) in parser.into_offset_iter() {
        match event {
            Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url,
                ..
            }) => open.push((range.clone(), dest_url.to_string(), range.start + 1)),
            Event::End(TagEnd::Link) => {
                if let Some((link, dest, text_end)) = open.pop() {
                    if let Some(at) = body[text_end.min(link.end)..link.end].find("](") {
                        let at = skip_blank(body, text_end + at + 2);
                        found.extend(splice_at(body, at, &dest, dir, target, to));
                    }
                }
            }
            Event::Start(Tag::Link { .. }) => open.push((range.clone(), String::new(), range.end)),
            _ => {
                // The text of the innermost open link ends after its last event.
                if let Some(last) = open.last_mut() {
                    last.2 = last.2.max(range.end);
                }
            }
        }
    }
    found
        .into_iter()
        .map(|(range, new)| (range.start + start..range.end + start, new))
        .collect()
}

/// The index of the `]` closing a reference definition's label (`span` starts with `[`).
fn label_end(span: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in span.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            ']' if !escaped => return Some(i),
            _ => escaped = false,
        }
    }
    None
}

/// `print_with` entries in the front matter that name `target`: the key's line and the list
/// items under it, each entry as a whole YAML scalar.
fn print_with(text: &str, dir: &str, target: &str, to: &str) -> Vec<(Range<usize>, String)> {
    let end = body_start(text);
    let mut found = Vec::new();
    let mut offset = 0;
    let mut inside = false;
    for line in text[..end].split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if let Some(value) = content.strip_prefix("print_with:") {
            inside = true;
            let base = offset + "print_with:".len();
            let value = value.trim_start_matches([' ', '[']);
            let mut at = base + (content.len() - "print_with:".len() - value.len());
            for part in value.split(',') {
                let entry = part.trim().trim_end_matches(']').trim();
                let lead = part.len() - part.trim_start().len();
                if !entry.is_empty() {
                    found.extend(entry_splice(entry, at + lead, dir, target, to));
                }
                at += part.len() + 1;
            }
        } else if inside && content.trim_start().starts_with("- ") {
            let entry = content.trim_start()[2..].trim();
            let lead = content.len() - content.trim_start().len() + 2;
            found.extend(entry_splice(entry, offset + lead, dir, target, to));
        } else if !content.starts_with([' ', '\t']) {
            inside = false;
        }
        offset += line.len();
    }
    found
}

fn entry_splice(entry: &str, at: usize, dir: &str, target: &str, to: &str) -> Option<(Range<usize>, String)> {
    let unquoted = entry.trim_matches(['"', '\'']);
    if join_normalised(dir, unquoted).as_deref() != Some(target) {
        return None;
    }
    let new = crate::paths::relative_href(dir, to);
    let quote = entry.len() - entry.trim_start_matches(['"', '\'']).len();
    Some((at + quote..at + quote + unquoted.len(), new))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(r: &Option<Rewritten>) -> Vec<(usize, &str)> {
        r.iter()
            .flat_map(|r| r.lines.iter().map(|l| (l.line, l.after.as_str())))
            .collect()
    }

    #[test]
    fn only_real_links_change() {
        let text = "---\ntitle: T\nprint_with: [semester.md, b.md]\n---\n\
            Se [a](semester.md \"Semester\") och `[b](semester.md)`.\n\n\
            ```\n[c](semester.md)\n```\n\n    [d](semester.md)\n\n\
            [e][r] <https://x.se/semester.md> [f](<semester.md#regler>)\n\n[r]: semester.md\n";
        let r = rewrite(text, "a.md", "", "semester.md", "ledighet.md");
        assert_eq!(
            lines(&r),
            [
                (3, "print_with: [ledighet.md, b.md]"),
                (5, "Se [a](ledighet.md \"Semester\") och `[b](semester.md)`."),
                (13, "[e][r] <https://x.se/semester.md> [f](<ledighet.md#regler>)"),
                (15, "[r]: ledighet.md"),
            ]
        );
    }

    #[test]
    fn windows_line_endings_and_nested_text_are_kept() {
        let text = "\u{feff}---\r\ntitle: T\r\nprint_with:\r\n  - ../a/semester.md\r\n---\r\n\
            [**fet** [x] `kod]`](../a/semester.md#r)\r\n";
        let r = rewrite(text, "b/x.md", "b", "a/semester.md", "a/ledighet.md").unwrap();
        assert_eq!(
            r.text,
            "\u{feff}---\r\ntitle: T\r\nprint_with:\r\n  - ../a/ledighet.md\r\n---\r\n\
            [**fet** [x] `kod]`](../a/ledighet.md#r)\r\n"
        );
        assert_eq!(rewrite(text, "b/x.md", "b", "a/annan.md", "a/ny.md"), None);
    }
}
