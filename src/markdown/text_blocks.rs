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
    /// Nesting depth of the events fed so far (a long block arrives in several pieces).
    depth: usize,
    /// Inside a link (its text is a link's, not the list's own).
    in_link: usize,
    /// A top-level list that so far holds links only: where its text began, to be taken out
    /// again when it ends that way. `None` outside such a list.
    link_list: Option<LinkList>,
}

/// Where a top-level list's text began (block count, length of the last block's text) and how
/// many links it has had so far.
struct LinkList {
    blocks: usize,
    text_len: usize,
    links: usize,
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
            depth: 0,
            in_link: 0,
            link_list: None,
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
    /// answer: its text is left out of the search. A long list arrives cut into pieces, so that is
    /// decided when the list ends, the same however it was cut.
    pub(super) fn feed(&mut self, events: &[(Event<'_>, Range<usize>)], headings: &[HeadingSpan]) {
        let mut next_heading = headings.iter().peekable();
        for (i, (event, _)) in events.iter().enumerate() {
            let heading_starts = next_heading.peek().is_some_and(|h| h.start == i);
            self.track_link_list(event, heading_starts);
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

    /// Follow the nesting of `event` and whether the top-level list it belongs to is still links
    /// only; at the end of such a list, take its text out again.
    fn track_link_list(&mut self, event: &Event<'_>, heading_starts: bool) {
        match event {
            Event::Start(Tag::List(_)) if self.depth == 0 => {
                let block = self.blocks.last().expect("blocks is never empty");
                self.link_list = Some(LinkList {
                    blocks: self.blocks.len(),
                    text_len: block.text.len(),
                    links: 0,
                });
            }
            Event::Start(Tag::Link { .. }) => {
                self.in_link += 1;
                if let Some(list) = &mut self.link_list {
                    list.links += 1;
                }
            }
            Event::End(TagEnd::Link) => self.in_link = self.in_link.saturating_sub(1),
            Event::Text(t) | Event::Code(t) if self.in_link == 0 && !t.trim().is_empty() => self.link_list = None,
            Event::Html(_) | Event::InlineHtml(_) | Event::FootnoteReference(_) => self.link_list = None,
            _ => {}
        }
        if heading_starts {
            self.link_list = None;
        }
        match event {
            Event::Start(_) => self.depth += 1,
            Event::End(_) => {
                self.depth = self.depth.saturating_sub(1);
                if self.depth == 0 {
                    self.in_link = 0;
                    if let Some(list) = self.link_list.take().filter(|l| l.links > 0) {
                        self.blocks.truncate(list.blocks);
                        let block = self.blocks.last_mut().expect("blocks is never empty");
                        block.text.truncate(list.text_len);
                    }
                }
            }
            _ => {}
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

#[cfg(test)]
mod tests {
    use pulldown_cmark::{Event, Parser};

    use super::TextBlocks;

    /// The search text of `md` fed in pieces of `piece` events, spaces collapsed.
    fn text(md: &str, piece: usize) -> String {
        let events: Vec<(Event<'_>, std::ops::Range<usize>)> = Parser::new(md).into_offset_iter().collect();
        let mut blocks = TextBlocks::new("sv");
        for chunk in events.chunks(piece) {
            blocks.feed(chunk, &[]);
        }
        let all = blocks
            .finish()
            .into_iter()
            .map(|b| b.text)
            .collect::<Vec<_>>()
            .join(" ");
        all.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn a_list_of_links_is_navigation() {
        let md = "- [Lön](lon.md)\n  - [Lönesamtal](samtal.md)\n- [Arbetsmiljö](a.md)\n";
        for piece in [1, 2, 3, 100] {
            assert_eq!(text(md, piece), "", "in pieces of {piece}");
        }
        assert_eq!(text(&format!("Före.\n\n{md}\nEfter.\n"), 2), "Före. Efter.");
    }

    #[test]
    fn a_list_with_words_of_its_own_is_text() {
        for piece in [1, 2, 100] {
            assert_eq!(text("- Läs om [lön](lon.md) här\n", piece), "Läs om lön här");
            assert_eq!(text("- Lön\n- Semester\n", piece), "Lön Semester");
            assert_eq!(text("[Lön](lon.md)\n", piece), "Lön");
            // Words only in the last item: the whole list is text, however it was cut.
            assert_eq!(
                text("- [Lön](lon.md)\n- [Ledighet](l.md) och mer\n", piece),
                "Lön Ledighet och mer"
            );
        }
    }
}
