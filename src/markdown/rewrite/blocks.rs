//! Reading the page a top-level block at a time: cutting long blocks, taking footnote
//! definitions aside, checking raw HTML, and giving headings their ids and markup.

use std::borrow::Cow;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::{Located, Rewriter};
use crate::diag::{Diagnostic, Message};
use crate::hyphenate::{BODY_WORD, LONG_WORD, TABLE_WORD};
use crate::markdown::headings::HeadingSpan;
use crate::markdown::safety;

impl<'a, I: Iterator<Item = Located<'a>>> Rewriter<'a, '_, I> {
    /// Read the next top-level block; `false` at the end of the page (after the footnotes). A
    /// very long paragraph, table, list or block quote (a 20 MB line of links, 100,000 rows) is
    /// cut between its children, where nothing looks across; headings, code and HTML blocks are
    /// never cut. Footnote definitions are taken aside for the end of the page.
    pub(super) fn read_block(&mut self) -> bool {
        loop {
            self.block.clear();
            self.next = 0;
            let continues = self.depth > 0;
            for (event, range) in self.parsed.by_ref() {
                match &event {
                    Event::Start(tag) if self.depth == 0 => {
                        self.cuttable =
                            matches!(tag, Tag::Paragraph | Tag::Table(_) | Tag::List(_) | Tag::BlockQuote(_));
                        self.top_is_table = matches!(tag, Tag::Table(_));
                        self.depth += 1;
                    }
                    Event::Start(_) => self.depth += 1,
                    Event::End(_) => self.depth = self.depth.saturating_sub(1),
                    _ => {}
                }
                self.block.push((event, range));
                if self.depth == 0 {
                    self.cuttable = false;
                    break;
                }
                if self.cuttable && self.depth == 1 && self.block.len() >= self.settings.max_block_events {
                    break;
                }
            }
            if self.block.is_empty() {
                self.report_unknown_footnotes();
                return self.footnote_section();
            }
            if !self.footnotes_done {
                self.footnotes.take_definitions(&mut self.block);
            }
            if self.block.is_empty() {
                continue;
            }
            self.cut_table = continues && self.top_is_table;
            let is_raw = self
                .block
                .iter()
                .map(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_)))
                .collect();
            self.prepare_block(is_raw);
            return true;
        }
    }

    /// Check the raw HTML of the block in `self.block`, give its headings ids and feed its text.
    pub(super) fn prepare_block(&mut self, is_raw: Vec<bool>) {
        self.is_raw = is_raw;
        self.collect_footnote_text();
        if self.is_raw.iter().any(|&r| r) {
            self.check_raw_html();
        }
        let index = self.index;
        let body_start = self.source.page.body_start;
        let spans = self
            .ids
            .assign(&self.block, |range| index.line_col(body_start + range.start));
        self.text.feed(&self.block, &spans);
        self.hyphenate_long_words(&spans);
        for span in spans {
            self.heading_tags(span);
        }
    }

    /// Soft hyphens in long words (`crate::hyphenate`): from [`LONG_WORD`] letters in headings,
    /// [`TABLE_WORD`] in table cells (narrow columns) and [`BODY_WORD`] elsewhere, never in code
    /// or an image's alt text. Ids, headings' texts and the search text were taken from the text
    /// as written, before this.
    fn hyphenate_long_words(&mut self, spans: &[HeadingSpan]) {
        let hyphenator = self.settings.theme.hyphenator;
        let (mut in_code, mut in_image, mut in_table) = (false, 0usize, 0usize);
        for (i, (event, _)) in self.block.iter_mut().enumerate() {
            match event {
                Event::Start(Tag::CodeBlock(_)) => in_code = true,
                Event::End(TagEnd::CodeBlock) => in_code = false,
                Event::Start(Tag::Image { .. }) => in_image += 1,
                Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
                Event::Start(Tag::Table(_)) => in_table += 1,
                Event::End(TagEnd::Table) => in_table = in_table.saturating_sub(1),
                Event::Text(text) if !in_code && in_image == 0 => {
                    let min = if spans.iter().any(|s| s.start < i && i < s.end) {
                        LONG_WORD
                    } else if in_table > 0 || self.cut_table {
                        TABLE_WORD
                    } else {
                        BODY_WORD
                    };
                    if let Cow::Owned(hyphenated) = hyphenator.hyphenate(text, min) {
                        *text = CowStr::from(hyphenated);
                    }
                }
                _ => {}
            }
        }
    }

    /// Replace a heading's start and end events with the theme's markup.
    fn heading_tags(&mut self, span: HeadingSpan) {
        if let Some(name) = &span.invisible {
            let (line, column) = self.locate(&self.block[span.start].1);
            let mut d = Diagnostic::warning(
                self.source.path,
                line,
                column,
                Message::new("markdown_heading_invisible_character").arg("character", name),
            )
            .with_hint(Message::new("markdown_heading_invisible_character_hint"));
            d.source_line = self.index.line(line).map(str::to_owned);
            self.found.diagnostics.push(d);
        }
        let markup = self.markup();
        let (start, end) = match (
            markup.heading_start(span.level, &span.id, &span.classes),
            markup.heading_end(span.level, &span.id),
        ) {
            (Ok(start), Ok(end)) => (start, end),
            (Err(message), _) | (_, Err(message)) => {
                let (line, column) = self.locate(&self.block[span.start].1);
                let d = self
                    .diag(
                        line,
                        column,
                        Message::new("markdown_theme_failed_heading").arg("reason", message),
                    )
                    .with_hint(Message::new("markdown_theme_failed_hint"));
                self.found.diagnostics.push(d);
                (String::new(), String::new())
            }
        };
        // Not raw (`is_raw` was taken from the parsed events): handed out as handbok's own HTML.
        self.block[span.start].0 = Event::Html(CowStr::from(start));
        self.block[span.end].0 = Event::Html(CowStr::from(end));
    }

    /// Raw HTML as written (before the heading pass adds HTML of its own), checked fragment by
    /// fragment: a whole HTML block at once, so a tag split over lines is seen whole. The ids it
    /// sets are kept as link targets.
    fn check_raw_html(&mut self) {
        let mut j = 0;
        while j < self.block.len() {
            if !self.is_raw[j] {
                j += 1;
                continue;
            }
            let first = j;
            let mut fragment = String::new();
            while j < self.block.len() && self.is_raw[j] && matches!(self.block[j].0, Event::Html(_)) {
                if let Event::Html(h) = &self.block[j].0 {
                    fragment.push_str(h);
                }
                j += 1;
            }
            if j == first {
                if let Event::InlineHtml(h) = &self.block[j].0 {
                    fragment.push_str(h);
                }
                j += 1;
            }
            let (line, column) = self.locate(&self.block[first].1);
            self.found.first_raw.get_or_insert((line, column));
            let checked = safety::check_fragment(&fragment);
            self.found.extra_ids.extend(checked.ids);
            for problem in checked.problems {
                self.found.raw_problems += 1;
                let problem_line = line + problem.line - 1;
                // Point at the attribute or tag when it is on the line (long lines are shown
                // around the column), else at the fragment's start.
                let found_at = problem.needle.as_deref().and_then(|needle| {
                    let text = self.index.line(problem_line)?.to_ascii_lowercase();
                    let from = if problem.line == 1 { column.saturating_sub(1) } else { 0 };
                    let at = text.char_indices().nth(from).map_or(text.len(), |(i, _)| i);
                    text[at..]
                        .find(&needle.to_ascii_lowercase())
                        .map(|i| text[..at + i].chars().count() + 1)
                });
                let column = found_at.unwrap_or(if problem.line == 1 { column } else { 0 });
                let d = self
                    .diag(problem_line, column, problem.message)
                    .with_hint(Message::new("markdown_html_refused_hint"));
                self.found.diagnostics.push(d);
            }
        }
    }
}
