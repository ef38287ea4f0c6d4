//! Footnotes in the rewriter: `[^namn]` left as text (no note has that name), notes defined
//! twice or never referred to, and the footnote section handed out as the page's last block.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::{Located, Rewriter};
use crate::diag::{Diagnostic, Message};

impl<'a, I: Iterator<Item = Located<'a>>> Rewriter<'a, '_, I> {
    /// Collect the block's text (outside code) to look for `[^namn]` left as text; a long
    /// block cut in pieces is looked at whole, when its last piece has been read.
    pub(super) fn collect_footnote_text(&mut self) {
        // A whole block (not the last piece of a cut one) without a `[` in its text holds no
        // reference: most blocks, whose text is then not copied. (The pieces of a cut block
        // are looked at together: one may end in `[` and the next go on with `^namn]`.)
        let whole = self.depth == 0 && self.footnote_scan.1.is_none();
        if whole
            && !self
                .block
                .iter()
                .any(|(e, _)| matches!(e, Event::Text(t) if t.contains('[')))
        {
            self.footnote_scan = Default::default();
            return;
        }
        let mut in_code = false;
        for (event, range) in &self.block {
            match event {
                Event::Start(Tag::CodeBlock(_)) => in_code = true,
                Event::End(TagEnd::CodeBlock) => in_code = false,
                Event::Text(t) if !in_code => {
                    self.footnote_scan.1.get_or_insert(range.start);
                    self.footnote_scan.0.push_str(t);
                    continue;
                }
                _ => {}
            }
            self.footnote_scan.0.push('\u{0}');
        }
        if let Some((_, last)) = self.block.last() {
            self.footnote_scan.2 = last.end;
        }
        if self.depth == 0 {
            self.report_unknown_footnotes();
        }
    }

    /// `[^namn]` left as text: pulldown-cmark makes a reference only when a note of that name
    /// exists, so the author's footnote has no text (a typo, or the note was deleted).
    pub(super) fn report_unknown_footnotes(&mut self) {
        let (text, start, end) = std::mem::take(&mut self.footnote_scan);
        let Some(start) = start else { return };
        let body_start = self.source.page.body_start;
        let block_source = self.source.text.get(body_start + start..body_start + end).unwrap_or("");
        let mut rest = text.as_str();
        while let Some(at) = rest.find("[^") {
            let after = &rest[at + 2..];
            rest = after;
            let label_end = after.find(|c: char| c == ']' || c.is_whitespace() || c == '\u{0}');
            let Some(end) = label_end.filter(|&e| e > 0 && after[e..].starts_with(']')) else {
                continue;
            };
            let label = &after[..end];
            if block_source.contains(&format!("\\[^{label}]")) {
                continue;
            }
            let (line, _) = self.locate(&(start..start));
            let d = Diagnostic::warning(
                self.source.path,
                line,
                0,
                Message::new("markdown_footnote_missing").arg("label", label),
            )
            .with_hint(Message::new("markdown_footnote_missing_hint").arg("label", label))
            .with_source(self.source.text);
            self.found.diagnostics.push(d);
        }
    }

    /// The footnote section as the last block, reporting references without a note and notes
    /// without a reference; `false` when the page has no footnotes (or they were handed out).
    pub(super) fn footnote_section(&mut self) -> bool {
        if std::mem::replace(&mut self.footnotes_done, true) {
            return false;
        }
        for (label, at, first) in self.footnotes.duplicates() {
            let (line, column) = self.locate(&at);
            let (first_line, _) = self.locate(&first);
            let d = self
                .diag(
                    line,
                    column,
                    Message::new("markdown_footnote_twice")
                        .arg("label", label)
                        .arg("first_line", first_line),
                )
                .with_hint(Message::new("markdown_footnote_twice_hint").arg("label", label));
            self.found.diagnostics.push(d);
        }
        for (label, at) in self.footnotes.unreferenced() {
            let (line, column) = self.locate(&at);
            let d = Diagnostic::warning(
                self.source.path,
                line,
                column,
                Message::new("markdown_footnote_unreferenced").arg("label", label),
            )
            .with_hint(Message::new("markdown_footnote_unreferenced_hint").arg("label", label));
            self.found.diagnostics.push(d.with_source(self.source.text));
        }
        if self.footnotes.is_empty() {
            return false;
        }
        let (heading_id, notes) = self.footnotes.plan(&mut self.ids);
        self.found.extra_ids.push(heading_id.clone());
        self.found.extra_ids.extend(notes.iter().map(|(_, id, _)| id.clone()));
        let markup = match self.markup().footnotes(&heading_id, &notes) {
            Ok(markup) => markup,
            Err(message) => {
                let d = self
                    .diag(
                        self.source.page.body_line,
                        0,
                        Message::new("markdown_theme_failed_footnotes").arg("reason", message),
                    )
                    .with_hint(Message::new("markdown_theme_failed_hint"));
                self.found.diagnostics.push(d);
                return false;
            }
        };
        let (events, generated) = self.footnotes.section(markup);
        self.block = events;
        self.next = 0;
        // The section is no part of the page's last block, even when that was a cut table.
        self.cut_table = false;
        let is_raw = self
            .block
            .iter()
            .zip(&generated)
            .map(|((e, _), own)| !own && matches!(e, Event::Html(_) | Event::InlineHtml(_)))
            .collect();
        self.prepare_block(is_raw);
        true
    }
}
