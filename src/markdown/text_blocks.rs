//! The plain text of a page cut at its headings, for the search index: collected a top-level
//! block at a time from the parsed events, with each heading's id taken from the heading pass.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};

use super::headings::HeadingSpan;
use crate::text::Typography;

/// Plain text of a page following one heading (or before the first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextBlock {
    /// The id of the heading this text follows (`None` before the first heading).
    pub heading_id: Option<String>,
    /// The heading's text.
    pub heading: Option<String>,
    /// The text under it, whitespace collapsed at block ends.
    pub text: String,
}

/// The text under each heading, collected a top-level block at a time, with the same
/// typography as the page (so a snippet spells a text as the page does). Form blocks give their
/// labels (through [`TextBlocks::add_text`]), not their YAML.
pub(crate) struct TextBlocks {
    blocks: Vec<TextBlock>,
    in_heading: bool,
    /// Inside a code block: its text is kept as written; inside a form block: left out.
    in_code: bool,
    in_form: bool,
    typography: Typography,
}

impl TextBlocks {
    /// Text blocks of a page in `language`.
    pub(super) fn new(language: &str) -> TextBlocks {
        TextBlocks {
            blocks: vec![TextBlock::default()],
            in_heading: false,
            in_code: false,
            in_form: false,
            typography: Typography::new(language),
        }
    }

    /// Add text that is not in the events (a form's labels) to the current block.
    pub(super) fn add_text(&mut self, text: &str) {
        let block = self.blocks.last_mut().expect("blocks is never empty");
        if !block.text.is_empty() && !block.text.ends_with(' ') {
            block.text.push(' ');
        }
        block.text.push_str(text);
        block.text.push(' ');
    }

    /// Add a block's events; `headings` says where its headings start and end. A list of links
    /// and nothing else (a start page's list of sections, a "see also" list) is navigation, not an
    /// answer: its text is left out of the search.
    pub(super) fn feed(&mut self, events: &[(Event<'_>, Range<usize>)], headings: &[HeadingSpan]) {
        if headings.is_empty() && is_link_list(events) {
            return;
        }
        let mut next_heading = headings.iter().peekable();
        for (i, (event, _)) in events.iter().enumerate() {
            if let Some(h) = next_heading.peek() {
                if i == h.start {
                    self.blocks.push(TextBlock {
                        heading_id: Some(h.id.clone()),
                        heading: Some(String::new()),
                        text: String::new(),
                    });
                    self.in_heading = true;
                    continue;
                }
                if i == h.end {
                    self.in_heading = false;
                    next_heading.next();
                    continue;
                }
            }
            match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) if lang.trim() == "form" => {
                    self.in_form = true;
                    continue;
                }
                Event::Start(Tag::CodeBlock(_)) => self.in_code = true,
                Event::End(TagEnd::CodeBlock) if self.in_form => {
                    self.in_form = false;
                    continue;
                }
                Event::End(TagEnd::CodeBlock) => self.in_code = false,
                _ if self.in_form => continue,
                Event::Start(_) | Event::End(_) => self.typography.reset(),
                _ => {}
            }
            let block = self.blocks.last_mut().expect("blocks is never empty");
            match event {
                Event::Text(t) | Event::Code(t) => {
                    let target = if self.in_heading {
                        block.heading.get_or_insert_with(String::new)
                    } else {
                        &mut block.text
                    };
                    if self.in_code || matches!(event, Event::Code(_)) {
                        target.push_str(t);
                    } else {
                        target.push_str(&self.typography.apply(t));
                    }
                }
                Event::SoftBreak | Event::HardBreak | Event::End(_)
                    if !self.in_heading && !block.text.ends_with(' ') && !block.text.is_empty() =>
                {
                    block.text.push(' ');
                }
                _ => {}
            }
        }
    }

    /// The blocks with text or a heading, trimmed.
    pub(super) fn finish(self) -> Vec<TextBlock> {
        let mut blocks = self.blocks;
        blocks.retain(|b| b.heading.is_some() || !b.text.trim().is_empty());
        for b in &mut blocks {
            b.text = b.text.trim().to_string();
        }
        blocks
    }
}

/// Whether a top-level block is a list whose every item is links only: each piece of its text
/// is inside a link, and there is at least one.
fn is_link_list(events: &[(Event<'_>, Range<usize>)]) -> bool {
    if !matches!(events.first(), Some((Event::Start(Tag::List(_)), _))) {
        return false;
    }
    let mut in_link = 0usize;
    let mut links = 0usize;
    for (event, _) in events {
        match event {
            Event::Start(Tag::Link { .. }) => {
                in_link += 1;
                links += 1;
            }
            Event::End(TagEnd::Link) => in_link = in_link.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if in_link == 0 && !t.trim().is_empty() => return false,
            Event::Html(_) | Event::InlineHtml(_) | Event::FootnoteReference(_) => return false,
            _ => {}
        }
    }
    links > 0
}

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Event, Parser};

    use super::is_link_list;

    fn events(md: &str) -> Vec<(Event<'_>, std::ops::Range<usize>)> {
        Parser::new(md).into_offset_iter().collect()
    }

    #[test]
    fn a_list_of_links_is_navigation() {
        assert!(is_link_list(&events(
            "- [Lön](lon.md)\n  - [Lönesamtal](samtal.md)\n- [Arbetsmiljö](a.md)\n"
        )));
    }

    #[test]
    fn a_list_with_words_of_its_own_is_text() {
        assert!(!is_link_list(&events("- Läs om [lön](lon.md) här\n")));
        assert!(!is_link_list(&events("- Lön\n- Semester\n")));
        assert!(!is_link_list(&events("[Lön](lon.md)\n")));
    }
}
