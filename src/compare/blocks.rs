//! A rendered page body as a list of text blocks (headings, paragraphs, list items, table rows,
//! code), read from the Markdown stage's HTML with html5ever's tokenizer, so entities are
//! decoded and only what a reader sees is compared: heading anchors, visually hidden helper
//! text, scripts and buttons are left out.

use std::cell::RefCell;

use html5ever::tokenizer::{
    BufferQueue, CharacterTokens, TagKind, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use serde::Serialize;

/// What a block is, for showing it as such.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockKind {
    /// The page's title.
    Title,
    /// The page's description, shown under its title as the lead.
    Lead,
    /// A line of document information (label: value).
    Meta,
    /// A heading of level 2–6.
    Heading(u8),
    /// A paragraph or any other running text.
    Paragraph,
    /// A list item.
    ListItem,
    /// A table row, cells separated by `|`.
    Row,
    /// Preformatted text.
    Code,
}

/// One block of text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Block {
    /// What it is.
    pub kind: BlockKind,
    /// Its text, whitespace collapsed (code: its lines and characters exactly as shown).
    pub text: String,
}

/// The text blocks of a rendered page body.
pub fn blocks(html: &str) -> Vec<Block> {
    let sink = Collector::default();
    let input = BufferQueue::default();
    input.push_back(html.into());
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    let mut state = tokenizer.sink.state.into_inner();
    state.flush();
    state.blocks
}

/// Elements whose text is not part of what the page says.
const SKIPPED: [&str; 6] = ["script", "style", "svg", "button", "template", "noscript"];

#[derive(Default)]
struct Collector {
    state: RefCell<State>,
}

#[derive(Default)]
struct State {
    blocks: Vec<Block>,
    kind: Option<BlockKind>,
    text: String,
    /// Open list items, so a paragraph inside one stays a list item.
    in_list_item: usize,
    /// The element being skipped and how deeply it is nested in itself.
    skipping: Option<(String, usize)>,
}

impl State {
    fn flush(&mut self) {
        let text = if self.kind == Some(BlockKind::Code) {
            // Code keeps its line breaks and spaces; only the line break that ends it goes.
            let code = self.text.trim_end_matches('\n');
            let code = code.strip_prefix('\n').unwrap_or(code);
            if code.trim().is_empty() {
                String::new()
            } else {
                code.to_string()
            }
        } else {
            let text = self.text.split_whitespace().collect::<Vec<_>>().join(" ");
            text.trim_end_matches(" |").trim_start_matches("| ").to_string()
        };
        self.text.clear();
        if !text.is_empty() {
            self.blocks.push(Block {
                kind: self.kind.unwrap_or(BlockKind::Paragraph),
                text,
            });
        }
    }

    fn start(&mut self, kind: BlockKind) {
        self.flush();
        self.kind = Some(kind);
    }
}

fn block_kind(name: &str, in_list_item: bool) -> Option<BlockKind> {
    Some(match name {
        "h1" | "h2" => BlockKind::Heading(2),
        "h3" => BlockKind::Heading(3),
        "h4" => BlockKind::Heading(4),
        "h5" => BlockKind::Heading(5),
        "h6" => BlockKind::Heading(6),
        "li" => BlockKind::ListItem,
        "tr" => BlockKind::Row,
        "pre" => BlockKind::Code,
        "p" | "dt" | "dd" | "figcaption" | "caption" | "legend" | "label" | "summary" | "blockquote" | "div" => {
            if in_list_item {
                BlockKind::ListItem
            } else {
                BlockKind::Paragraph
            }
        }
        _ => return None,
    })
}

impl TokenSink for Collector {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut state = self.state.borrow_mut();
        match token {
            TagToken(tag) => {
                let name: &str = &tag.name;
                if let Some((skipped, depth)) = &mut state.skipping {
                    if skipped == name && !tag.self_closing {
                        match tag.kind {
                            TagKind::StartTag => *depth += 1,
                            TagKind::EndTag if *depth == 0 => state.skipping = None,
                            TagKind::EndTag => *depth -= 1,
                        }
                    }
                    return TokenSinkResult::Continue;
                }
                let hidden = tag.attrs.iter().any(|a| {
                    let (attr, value): (&str, &str) = (&a.name.local, &a.value);
                    (attr == "aria-hidden" && value == "true")
                        || (attr == "class" && value.split_whitespace().any(|c| c == "visually-hidden"))
                });
                if tag.kind == TagKind::StartTag && !tag.self_closing && (hidden || SKIPPED.contains(&name)) {
                    state.skipping = Some((name.to_string(), 0));
                    return TokenSinkResult::Continue;
                }
                match (tag.kind, name) {
                    (TagKind::StartTag, "td" | "th") => {
                        if !state.text.trim().is_empty() {
                            state.text.push_str(" | ");
                        }
                    }
                    (TagKind::StartTag, "br") => state.text.push(' '),
                    (TagKind::StartTag, _) => {
                        if name == "li" {
                            state.in_list_item += 1;
                        }
                        let in_item = state.in_list_item > 0;
                        if let Some(kind) = block_kind(name, in_item) {
                            state.start(kind);
                        }
                    }
                    (TagKind::EndTag, _) => {
                        if block_kind(name, false).is_some() {
                            state.flush();
                            state.kind = None;
                        }
                        if name == "li" {
                            state.in_list_item = state.in_list_item.saturating_sub(1);
                        }
                    }
                }
            }
            CharacterTokens(text) if state.skipping.is_none() => state.text.push_str(&text),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(html: &str) -> Vec<(BlockKind, String)> {
        blocks(html).into_iter().map(|b| (b.kind, b.text)).collect()
    }

    #[test]
    fn headings_paragraphs_items_and_rows_are_blocks_with_entities_decoded() {
        let html = "<h2 id=\"a\"><a class=\"heading-anchor\" aria-hidden=\"true\">#</a>Lön &amp; villkor</h2>\n\
                    <p>Ett   stycke\nmed <em>betoning</em>.</p><ul><li><p>Punkt ett</p></li><li>Punkt två</li></ul>\
                    <table><tr><th>Namn</th><th>Datum</th></tr><tr><td>A</td><td></td></tr></table>";
        assert_eq!(
            texts(html),
            vec![
                (BlockKind::Heading(2), "Lön & villkor".to_string()),
                (BlockKind::Paragraph, "Ett stycke med betoning.".to_string()),
                (BlockKind::ListItem, "Punkt ett".to_string()),
                (BlockKind::ListItem, "Punkt två".to_string()),
                (BlockKind::Row, "Namn | Datum".to_string()),
                (BlockKind::Row, "A".to_string()),
            ]
        );
    }

    #[test]
    fn hidden_text_scripts_and_buttons_are_left_out() {
        let html = "<p>Synligt<span class=\"visually-hidden\"> dolt <span>djupt</span></span> slut</p>\
                    <button type=\"button\">Skriv ut</button><script>var x = 1;</script>";
        assert_eq!(texts(html), vec![(BlockKind::Paragraph, "Synligt slut".to_string())]);
    }
}
