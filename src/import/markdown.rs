//! Blocks into clean, stable Markdown: one line per paragraph, `#` headings, `-` and `1.` lists
//! indented under their parent item, pipe tables, `[text](target)` links, `[^n]` footnotes,
//! `![alt](file)` images and `form` blocks. Only what Markdown would misread is escaped; no
//! raw HTML is written.

use std::collections::HashMap;

use super::forms;
use super::model::{Block, Inline, Target};

/// Where the writer sends links and images of one page.
pub(crate) struct Links<'a> {
    /// Bookmark → the link that reaches it from this page (`#id`, `other.md#id`, `other.md`).
    pub(crate) bookmarks: &'a HashMap<String, String>,
    /// Image index → its path relative to the page (`None`: left out).
    pub(crate) images: &'a HashMap<usize, Option<String>>,
    /// Image index → its alternative text.
    pub(crate) alts: &'a [Option<String>],
    /// Note index → its number on this page (1-based).
    pub(crate) notes: &'a HashMap<usize, usize>,
    /// Every page of the content folder (relative to it).
    pub(crate) pages: &'a [String],
    /// This page's folder, relative to the content folder.
    pub(crate) page_dir: &'a str,
}

/// A page's body: its blocks (headings already at their page level), then its notes.
pub(crate) fn body(
    blocks: &[Block],
    notes: &[(usize, String)],
    links: &Links<'_>,
    warnings: &mut Vec<String>,
) -> String {
    let mut out = String::new();
    // (level, indent of the item's text) for each open list level.
    let mut open: Vec<(u8, usize)> = Vec::new();
    let mut counters: Vec<u32> = Vec::new();
    for block in blocks {
        let list = match block {
            Block::Paragraph { list: Some(item), .. } => Some(item),
            _ => None,
        };
        if list.is_none() || open.is_empty() {
            if !out.is_empty() {
                out.push('\n');
            }
            if list.is_none() {
                open.clear();
                counters.clear();
            }
        }
        match block {
            Block::Heading { level, inlines, .. } => {
                out.push_str(&"#".repeat(usize::from(*level).clamp(2, 6)));
                out.push(' ');
                out.push_str(&line(inlines, links, Context::Heading, warnings));
                out.push('\n');
            }
            Block::Title(inlines) => {
                out.push_str(&escape_start(&line(inlines, links, Context::Text, warnings)));
                out.push('\n');
            }
            Block::Paragraph {
                inlines, list: None, ..
            } => {
                out.push_str(&escape_start(&line(inlines, links, Context::Text, warnings)));
                out.push('\n');
            }
            Block::Paragraph {
                inlines,
                list: Some(item),
                ..
            } => {
                // A level deeper than one below the open one is taken as the next level.
                while open.last().is_some_and(|(l, _)| *l > item.level) {
                    open.pop();
                    counters.pop();
                }
                if open.last().is_some_and(|(l, _)| *l == item.level) {
                    open.pop();
                    if let Some(n) = counters.last_mut() {
                        *n = n.saturating_add(1);
                    }
                } else {
                    counters.push(item.start.unwrap_or(1));
                }
                let indent = open.last().map_or(0, |(_, i)| *i);
                let marker = match item.start {
                    None => "-".to_string(),
                    Some(_) => format!("{}.", counters.last().copied().unwrap_or(1)),
                };
                let text = line(inlines, links, Context::Item(indent + marker.len() + 1), warnings);
                out.push_str(&" ".repeat(indent));
                out.push_str(&marker);
                out.push(' ');
                out.push_str(&escape_start(&text));
                out.push('\n');
                open.push((item.level, indent + marker.len() + 1));
            }
            Block::Table(table) => {
                if !table.header {
                    warnings.push(format!(
                        "Tabellen som börjar med ”{}” har ingen rubrikrad markerad; första raden blev rubrikrad. Kontrollera tabellen.",
                        Inline::plain(table.rows.first().and_then(|r| r.first()).map_or(&[][..], Vec::as_slice)).trim()
                    ));
                }
                if table.merged {
                    warnings.push("En tabell hade sammanfogade celler; Markdown har inga, så de blev tomma celler. Kontrollera tabellen.".into());
                }
                for (i, row) in table.rows.iter().enumerate() {
                    out.push('|');
                    for cell in row {
                        out.push(' ');
                        out.push_str(&line(cell, links, Context::Cell, warnings));
                        out.push_str(" |");
                    }
                    out.push('\n');
                    if i == 0 {
                        out.push('|');
                        out.push_str(&" --- |".repeat(row.len()));
                        out.push('\n');
                    }
                }
            }
            Block::Form(fields) => {
                out.push_str("```form\n");
                out.push_str(&forms::yaml(fields));
                out.push_str("```\n");
            }
        }
    }
    for (number, text) in notes {
        out.push('\n');
        out.push_str(&format!("[^{number}]: {text}\n"));
    }
    out
}

/// Where inline text is written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Context {
    Text,
    Heading,
    Cell,
    /// A list item whose continuation lines are indented this far.
    Item(usize),
}

/// Inline content as one Markdown line (a break continues on an indented line in lists).
pub(crate) fn line(inlines: &[Inline], links: &Links<'_>, context: Context, warnings: &mut Vec<String>) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            Inline::Text { text, bold, italic } => {
                let (bold, italic) = if context == Context::Heading {
                    (false, false)
                } else {
                    (*bold, *italic)
                };
                let escaped = escape(text, context == Context::Cell);
                let marker = match (bold, italic) {
                    (true, true) => "***",
                    (true, false) => "**",
                    (false, true) => "*",
                    (false, false) => "",
                };
                let core = escaped.trim();
                if marker.is_empty() || core.is_empty() {
                    out.push_str(&escaped);
                } else {
                    let lead = &escaped[..escaped.len() - escaped.trim_start().len()];
                    let trail = &escaped[escaped.trim_end().len()..];
                    out.push_str(lead);
                    out.push_str(marker);
                    out.push_str(core);
                    out.push_str(marker);
                    out.push_str(trail);
                }
            }
            Inline::Link { target, inlines } => {
                let text = line(inlines, links, context, warnings);
                match target_of(target, links, &text, warnings) {
                    Some(href) => out.push_str(&format!("[{text}]({href})")),
                    None => out.push_str(&text),
                }
            }
            Inline::Note(index) => {
                if let Some(n) = links.notes.get(index) {
                    out.push_str(&format!("[^{n}]"));
                }
            }
            Inline::Image(index) => {
                if let Some(Some(path)) = links.images.get(index) {
                    let alt = links.alts.get(*index).cloned().flatten().unwrap_or_default();
                    out.push_str(&format!("![{}]({})", escape(&alt, true), destination(path)));
                }
            }
            Inline::Break => match context {
                Context::Text => out.push_str("\\\n"),
                Context::Item(indent) => {
                    out.push_str("\\\n");
                    out.push_str(&" ".repeat(indent));
                }
                Context::Heading | Context::Cell => out.push(' '),
            },
        }
    }
    out
}

fn target_of(target: &Target, links: &Links<'_>, text: &str, warnings: &mut Vec<String>) -> Option<String> {
    match target {
        Target::Bookmark(name) => {
            let found = links.bookmarks.get(name).cloned();
            if found.is_none() {
                warnings.push(format!(
                    "Länken ”{text}” gick till ett bokmärke ({name}) som inte sitter på en rubrik; länken togs bort och texten behölls."
                ));
            }
            found
        }
        Target::Url(url) => {
            let lower = url.to_lowercase();
            if lower.starts_with("file:") || url.starts_with('\\') || url.get(1..3) == Some(":\\") {
                warnings.push(format!(
                    "Länken ”{text}” gick till en fil på en dator ({url}); länken togs bort och texten behölls."
                ));
                return None;
            }
            let is_relative = !lower.contains("://") && !lower.starts_with("mailto:") && !lower.starts_with("tel:");
            if is_relative {
                // A link to another page of the site, made from a built page: back to its source.
                let (path, anchor) = url.split_once('#').map_or((url.as_str(), None), |(p, a)| (p, Some(a)));
                if let Some(stem) = path.strip_suffix(".html") {
                    let mut md = source_of(path, links).unwrap_or_else(|| format!("{stem}.md"));
                    if let Some(a) = anchor {
                        md.push('#');
                        md.push_str(a);
                    }
                    return Some(destination(&md));
                }
            }
            Some(destination(url))
        }
    }
}

/// The source page (relative to this page) of a link to a built page, when the content folder
/// has it: `arbetsmiljo-och-halsa.html` → `arbetsmiljö-och-hälsa.md`.
fn source_of(href: &str, links: &Links<'_>) -> Option<String> {
    let decoded = crate::paths::percent_decode(href);
    let output = crate::paths::join_normalised(&crate::paths::output_dir(links.page_dir), &decoded)?;
    let source = links.pages.iter().find(|p| crate::paths::output_path(p) == output)?;
    // Relative from this page's folder to the source.
    let from: Vec<&str> = links.page_dir.split('/').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = source.split('/').collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<&str> = vec![".."; from.len() - common];
    parts.extend(&to[common..]);
    Some(parts.join("/"))
}

/// A link destination, in `<…>` when it has spaces or brackets.
fn destination(url: &str) -> String {
    if url.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", url.replace('<', "%3C").replace('>', "%3E"))
    } else {
        url.to_string()
    }
}

/// Escape the characters Markdown would read as markup inside a line.
fn escape(text: &str, in_table: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' | '&' if next.is_some_and(|n| n.is_ascii_alphabetic() || matches!(n, '/' | '!' | '?' | '#')) => {
                out.push('\\');
                out.push(c);
            }
            '|' if in_table => out.push_str("\\|"),
            '$' if next == Some('$') => out.push_str("\\$"),
            c => out.push(c),
        }
    }
    out
}

/// Escape what would start a block (a heading, quote, list item, rule, fence) at a line's start.
fn escape_start(line: &str) -> String {
    let starts_block = line.starts_with(['#', '>', '=', '+', '-']) || {
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        digits > 0
            && digits <= 9
            && line[digits..].starts_with(['.', ')'])
            && line[digits + 1..].chars().next().is_none_or(char::is_whitespace)
    };
    if !starts_block {
        return line.to_string();
    }
    if line.starts_with(|c: char| c.is_ascii_digit()) {
        let digits = line.chars().take_while(char::is_ascii_digit).count();
        return format!("{}\\{}", &line[..digits], &line[digits..]);
    }
    format!("\\{line}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_what_markdown_would_misread_is_escaped() {
        assert_eq!(
            escape("a*b_c [d] <e> a<3 & b", false),
            "a\\*b\\_c \\[d\\] \\<e> a<3 & b"
        );
        assert_eq!(escape("x | y", true), "x \\| y");
        assert_eq!(escape_start("1. april"), "1\\. april");
        assert_eq!(escape_start("2024. Året"), "2024\\. Året");
        assert_eq!(escape_start("- x"), "\\- x");
        assert_eq!(escape_start("# x"), "\\# x");
        assert_eq!(escape_start("1.5 procent"), "1.5 procent");
        assert_eq!(escape_start("Text"), "Text");
    }
}
