//! The event rewriter behind [`super::render`]: reads a page's Markdown events one top-level
//! block at a time and hands rewritten events to the HTML writer. Per block it takes footnote
//! definitions aside, checks raw HTML, gives headings their ids and collects the search text;
//! per event it resolves links and images, renders form blocks, checklist boxes, note boxes and
//! footnote references, and applies typographic quotes outside code. At the end of the page it
//! hands out the footnote section.
//!
//! Holding one top-level block's events rather than the whole page's keeps memory for a 20 MB
//! page at a few times its size (two million events at 96 bytes each would be ten times).

use std::borrow::Cow;
use std::collections::VecDeque;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Tag, TagEnd};

use super::footnotes::Footnotes;
use super::headings::{self, Heading, HeadingIds, HeadingSpan};
use super::links::{resolve, Resolved, Target};
use super::markup::Markup;
use super::text_blocks::{TextBlock, TextBlocks};
use super::{safety, LinkRef, Source, RESERVED_IDS};
use crate::diag::{Diagnostic, LineIndex};
use crate::text::{find_invisible, Typography};
use crate::theme::Theme;

type Located<'a> = (Event<'a>, Range<usize>);

/// Events held at once in a long top-level block before it is cut.
pub(super) const MAX_BLOCK_EVENTS: usize = 4096;

/// How a page is rewritten.
pub(super) struct Settings<'t> {
    /// Renders headings, forms and the other markup.
    pub theme: &'t Theme,
    /// With raw HTML on the page, handbok's own HTML travels as placeholders through the sanitiser.
    pub has_raw_html: bool,
    /// Events held at once in a long block before it is cut.
    pub max_block_events: usize,
}

/// What the rewriter found while the page was written.
pub(super) struct Found {
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    pub text: Vec<TextBlock>,
    pub form_count: usize,
    /// Ids other than headings' that links may point at: raw HTML's, form fields', footnotes'.
    pub extra_ids: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// HTML handbok generated, which placeholders in the page stand for.
    pub generated: Vec<String>,
    pub raw_problems: usize,
    /// Line and column of the page's first raw HTML.
    pub first_raw: Option<(usize, usize)>,
}

/// An iterator of rewritten events over a page's parsed events, gathering what the page
/// reports (headings, links, text blocks, form count, diagnostics) as it goes.
pub(super) struct Rewriter<'a, 'p, I> {
    parsed: I,
    source: &'p Source<'p>,
    index: &'p LineIndex<'p>,
    settings: Settings<'p>,
    /// The top-level block being rewritten, whether each of its events is raw HTML as written,
    /// and the next event to hand out.
    block: Vec<Located<'a>>,
    is_raw: Vec<bool>,
    next: usize,
    /// Events made from one event, handed out before the next one.
    queue: VecDeque<Event<'a>>,
    /// Nesting depth at the end of `block`, and whether the top-level block it is in may be cut.
    depth: usize,
    cuttable: bool,
    ids: HeadingIds,
    text: TextBlocks,
    typography: Typography,
    in_code: bool,
    /// A checklist item's label is open and must close before the next block.
    task_label_open: bool,
    footnotes: Footnotes<'a>,
    /// The footnote section has been handed out.
    footnotes_done: bool,
    found: Found,
}

impl<'a, 'p, I: Iterator<Item = Located<'a>>> Rewriter<'a, 'p, I> {
    pub(super) fn new(parsed: I, source: &'p Source<'p>, index: &'p LineIndex<'p>, settings: Settings<'p>) -> Self {
        let language = settings.theme.language.clone();
        Rewriter {
            parsed,
            source,
            index,
            settings: Settings {
                max_block_events: settings.max_block_events.max(1),
                ..settings
            },
            block: Vec::new(),
            is_raw: Vec::new(),
            next: 0,
            queue: VecDeque::new(),
            depth: 0,
            cuttable: false,
            ids: HeadingIds::new(&RESERVED_IDS, &language),
            text: TextBlocks::new(&language),
            typography: Typography::new(&language),
            in_code: false,
            task_label_open: false,
            footnotes: Footnotes::default(),
            footnotes_done: false,
            found: Found {
                headings: Vec::new(),
                links: Vec::new(),
                text: Vec::new(),
                form_count: 0,
                extra_ids: Vec::new(),
                diagnostics: Vec::new(),
                generated: Vec::new(),
                raw_problems: 0,
                first_raw: None,
            },
        }
    }

    /// Everything found, once the HTML writer has taken every event.
    pub(super) fn finish(self) -> Found {
        Found {
            headings: self.ids.headings,
            text: self.text.finish(),
            ..self.found
        }
    }

    fn locate(&self, range: &Range<usize>) -> (usize, usize) {
        self.index.line_col(self.source.page.body_start + range.start)
    }

    fn diag(&self, line: usize, column: usize, message: String) -> Diagnostic {
        let mut d = Diagnostic::error(self.source.path, line, column, message);
        d.source_line = self.index.line(line).map(str::to_owned);
        d
    }

    fn markup(&self) -> Markup<'p> {
        Markup {
            theme: self.settings.theme,
        }
    }

    /// HTML handbok generates itself; on pages with raw HTML it stands in as a placeholder while
    /// the page is sanitised.
    fn own_html(&mut self, html: String) -> Event<'a> {
        if self.settings.has_raw_html {
            self.found.generated.push(html);
            Event::Html(CowStr::from(super::sanitize::placeholder(
                self.found.generated.len() - 1,
            )))
        } else {
            Event::Html(CowStr::from(html))
        }
    }

    /// Markup from the theme as an event, or a located error when the theme cannot render it.
    fn markup_event(&mut self, rendered: Result<String, String>, at: &Range<usize>) -> Option<Event<'a>> {
        match rendered {
            Ok(html) => Some(self.own_html(html)),
            Err(message) => {
                let (line, column) = self.locate(at);
                let d = self
                    .diag(line, column, format!("the theme could not render this: {message}"))
                    .with_hint("check templates/markdown.html in --theme overrides");
                self.found.diagnostics.push(d);
                None
            }
        }
    }

    /// Read the next top-level block; `false` at the end of the page (after the footnotes). A
    /// very long paragraph, table, list or block quote (a 20 MB line of links, 100,000 rows) is
    /// cut between its children, where nothing looks across; headings, code and HTML blocks are
    /// never cut. Footnote definitions are taken aside for the end of the page.
    fn read_block(&mut self) -> bool {
        loop {
            self.block.clear();
            self.next = 0;
            for (event, range) in self.parsed.by_ref() {
                match &event {
                    Event::Start(tag) if self.depth == 0 => {
                        self.cuttable =
                            matches!(tag, Tag::Paragraph | Tag::Table(_) | Tag::List(_) | Tag::BlockQuote(_));
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
                return self.footnote_section();
            }
            if !self.footnotes_done {
                self.footnotes.take_definitions(&mut self.block);
            }
            if self.block.is_empty() {
                continue;
            }
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
    fn prepare_block(&mut self, is_raw: Vec<bool>) {
        self.is_raw = is_raw;
        self.report_unknown_footnotes();
        if self.is_raw.iter().any(|&r| r) {
            self.check_raw_html();
        }
        let index = self.index;
        let body_start = self.source.page.body_start;
        let spans = self
            .ids
            .assign(&self.block, |range| index.line_col(body_start + range.start));
        self.text.feed(&self.block, &spans);
        for span in spans {
            self.heading_tags(span);
        }
    }

    /// `[^namn]` left as text: pulldown-cmark makes a reference only when a note of that name
    /// exists, so the author's footnote has no text (a typo, or the note was deleted).
    fn report_unknown_footnotes(&mut self) {
        let mut text = String::new();
        let mut in_code = false;
        let mut first: Option<Range<usize>> = None;
        for (event, range) in &self.block {
            match event {
                Event::Start(Tag::CodeBlock(_)) => in_code = true,
                Event::End(TagEnd::CodeBlock) => in_code = false,
                Event::Text(t) if !in_code => {
                    first.get_or_insert_with(|| range.clone());
                    text.push_str(t);
                    continue;
                }
                _ => {}
            }
            text.push('\u{0}');
        }
        let mut rest = text.as_str();
        while let Some(at) = rest.find("[^") {
            let after = &rest[at + 2..];
            let label_end = after.find(|c: char| c == ']' || c.is_whitespace() || c == '\u{0}');
            let block_source = match (self.block.first(), self.block.last()) {
                (Some((_, a)), Some((_, b))) => self
                    .source
                    .text
                    .get(self.source.page.body_start + a.start..self.source.page.body_start + b.end),
                _ => None,
            };
            if let Some(end) = label_end.filter(|&e| e > 0 && after[e..].starts_with(']')) {
                let label = &after[..end];
                let escaped = block_source.is_some_and(|s| s.contains(&format!("\\[^{label}]")));
                if escaped {
                    rest = after;
                    continue;
                }
                let (line, _) = self.locate(first.as_ref().unwrap_or(&(0..0)));
                let d = Diagnostic::warning(
                    self.source.path,
                    line,
                    0,
                    format!("`[^{label}]` looks like a footnote, but the page has no footnote called `{label}`"),
                )
                .with_hint(format!(
                    "add the note on a line of its own, e.g. `[^{label}]: Källa …`; to show the brackets as text, write `\\[^{label}]`"
                ))
                .with_source(self.source.text);
                self.found.diagnostics.push(d);
            }
            rest = after;
        }
    }

    /// The footnote section as the last block, reporting references without a note and notes
    /// without a reference; `false` when the page has no footnotes (or they were handed out).
    fn footnote_section(&mut self) -> bool {
        if std::mem::replace(&mut self.footnotes_done, true) {
            return false;
        }
        for (label, at) in self.footnotes.unreferenced() {
            let (line, column) = self.locate(&at);
            let d = Diagnostic::warning(
                self.source.path,
                line,
                column,
                format!("footnote `[^{label}]` is never referred to"),
            )
            .with_hint(format!(
                "refer to it with `[^{label}]` in the text, or delete it; it is shown last among the footnotes"
            ));
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
                        format!("the theme could not render the footnotes: {message}"),
                    )
                    .with_hint("check templates/markdown.html in --theme overrides");
                self.found.diagnostics.push(d);
                return false;
            }
        };
        let (events, generated) = self.footnotes.section(markup);
        self.block = events;
        self.next = 0;
        let is_raw = self
            .block
            .iter()
            .zip(&generated)
            .map(|((e, _), own)| !own && matches!(e, Event::Html(_) | Event::InlineHtml(_)))
            .collect();
        self.prepare_block(is_raw);
        true
    }

    /// Replace a heading's start and end events with the theme's markup.
    fn heading_tags(&mut self, span: HeadingSpan) {
        if let Some(name) = &span.invisible {
            let (line, column) = self.locate(&self.block[span.start].1);
            let mut d = Diagnostic::warning(
                self.source.path,
                line,
                column,
                format!("the heading contains the invisible character {name}; it is left out of its text and id"),
            )
            .with_hint("it usually comes with text copied from Word or a web page: retype the heading");
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
                        format!("the theme could not render this heading: {message}"),
                    )
                    .with_hint("check templates/markdown.html in --theme overrides");
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
                    .with_hint("see docs/security.md for the HTML a page may use; most needs are met by Markdown");
                self.found.diagnostics.push(d);
            }
        }
    }

    /// Record a link or image and return the address to write: `#` (or nothing for an image)
    /// when the address is refused.
    fn link(&mut self, at: usize, link_type: LinkType, dest_url: &str, is_image: bool) -> String {
        let end_tag = if is_image { TagEnd::Image } else { TagEnd::Link };
        let end = find_end(&self.block, at, |e| *e == Event::End(end_tag));
        let text = headings::plain_text(&self.block[at + 1..end]);
        let resolved = if link_type == LinkType::Email {
            // `<hr@kommun.se>`: the address, to which the HTML writer adds `mailto:`.
            Resolved {
                target: Target::External,
                href: dest_url.to_string(),
            }
        } else {
            resolve(dest_url, self.source.page.source_dir())
        };
        let (line, column) = self.locate(&self.block[at].1);
        let invisible = find_invisible(dest_url).map(|(_, _, name)| name).or_else(|| {
            dest_url
                .contains('\u{00A0}')
                .then(|| "U+00A0 (no-break space)".to_string())
        });
        if let Some(name) = invisible {
            let d = self
                .diag(line, column, format!("the link target `{dest_url}` contains the invisible character {name}, so it leads nowhere"))
                .with_hint("it usually comes with text copied from Word or a web page: retype the link target between the parentheses");
            self.found.diagnostics.push(d);
        }
        self.found.links.push(LinkRef {
            target: resolved.target.clone(),
            written: dest_url.to_string(),
            line,
            column,
            is_image,
            text,
        });
        match resolved.target {
            Target::Unsafe(_) if is_image => String::new(),
            Target::Unsafe(_) => String::from("#"),
            _ => resolved.href,
        }
    }

    /// Render the form block starting at `at`; `None` (with diagnostics) when it has errors.
    fn form(&mut self, at: usize) -> Option<Event<'a>> {
        let end = find_end(&self.block, at, |e| matches!(e, Event::End(TagEnd::CodeBlock)));
        let yaml: String = self.block[at + 1..end]
            .iter()
            .filter_map(|(e, _)| if let Event::Text(t) = e { Some(t.as_ref()) } else { None })
            .collect();
        let (fence_line, _) = self.locate(&self.block[at].1);
        let index = self.found.form_count;
        self.found.form_count += 1;
        self.next = end + 1;
        self.in_code = false;
        match crate::form::render(&yaml, index, self.settings.theme) {
            Ok(form) => {
                self.found.extra_ids.extend(form.ids);
                self.text.add_text(&form.text);
                Some(self.own_html(form.html))
            }
            Err(errors) => {
                for e in errors {
                    let mut d = self.diag(fence_line + e.line, 0, format!("form block: {}", e.message));
                    d.hint = e.hint;
                    self.found.diagnostics.push(d);
                }
                None
            }
        }
    }

    /// Close an open checklist label before a block starts or its item ends.
    fn close_task_label(&mut self, event: &Event<'_>, at: &Range<usize>) {
        if self.task_label_open && is_block_boundary(event) {
            self.task_label_open = false;
            let end = self.markup().task_end();
            if let Some(e) = self.markup_event(end, at) {
                self.queue.push_back(e);
            }
        }
    }

    /// The rewritten form of event `at`, queued (none, one or several events).
    fn rewrite(&mut self, at: usize, event: Event<'a>) {
        let range = self.block[at].1.clone();
        self.close_task_label(&event, &range);
        if is_block_boundary(&event) {
            self.typography.reset();
        }
        let rewritten = match event {
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let href = self.link(at, link_type, &dest_url, false);
                Some(Event::Start(Tag::Link {
                    link_type,
                    dest_url: CowStr::from(href),
                    title,
                    id,
                }))
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let src = self.link(at, link_type, &dest_url, true);
                Some(Event::Start(Tag::Image {
                    link_type,
                    dest_url: CowStr::from(src),
                    title,
                    id,
                }))
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) if lang.trim() == "form" => self.form(at),
            Event::Start(Tag::CodeBlock(kind)) => {
                self.in_code = true;
                Some(Event::Start(Tag::CodeBlock(kind)))
            }
            Event::End(TagEnd::CodeBlock) => {
                self.in_code = false;
                Some(Event::End(TagEnd::CodeBlock))
            }
            Event::Start(Tag::BlockQuote(Some(kind))) => {
                let start = self.markup().callout_start(kind);
                self.markup_event(start, &range)
            }
            Event::End(TagEnd::BlockQuote(Some(kind))) => {
                let end = self.markup().callout_end(kind);
                self.markup_event(end, &range)
            }
            Event::TaskListMarker(checked) => {
                let id = self.ids.claim("uppgift");
                self.found.extra_ids.push(id.clone());
                let start = self.markup().task_start(&id, checked);
                let event = self.markup_event(start, &range);
                self.task_label_open = event.is_some();
                event
            }
            Event::FootnoteReference(label) => {
                let reference = self.footnotes.refer(&label, &mut self.ids);
                self.found.extra_ids.push(reference.id.clone());
                let html = self.markup().footnote_ref(&reference);
                self.markup_event(html, &range)
            }
            Event::Html(html) | Event::InlineHtml(html) if self.is_raw[at] => Some(Event::Html(html)),
            Event::Html(html) => Some(self.own_html(html.to_string())),
            Event::Text(text) if self.in_code => Some(Event::Text(text)),
            Event::Text(text) => Some(Event::Text(match self.typography.apply(&text) {
                Cow::Borrowed(_) => text,
                Cow::Owned(quoted) => CowStr::from(quoted),
            })),
            other => Some(other),
        };
        self.queue.extend(rewritten);
    }
}

impl<'a, I: Iterator<Item = Located<'a>>> Iterator for Rewriter<'a, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if let Some(event) = self.queue.pop_front() {
                return Some(event);
            }
            if self.next >= self.block.len() && !self.read_block() {
                return None;
            }
            let at = self.next;
            self.next += 1;
            // Only events after `at` are looked at again (a link's text, a form's YAML).
            let event = std::mem::replace(&mut self.block[at].0, Event::SoftBreak);
            self.rewrite(at, event);
        }
    }
}

/// The start or end of a block (a paragraph, list item, heading …), not of inline markup.
fn is_block_boundary(event: &Event<'_>) -> bool {
    match event {
        Event::Start(tag) => !matches!(
            tag,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Superscript
                | Tag::Subscript
                | Tag::Link { .. }
                | Tag::Image { .. }
        ),
        Event::End(tag) => !matches!(
            tag,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Superscript
                | TagEnd::Subscript
                | TagEnd::Link
                | TagEnd::Image
        ),
        _ => false,
    }
}

fn find_end(events: &[Located<'_>], start: usize, is_end: impl Fn(&Event<'_>) -> bool) -> usize {
    (start + 1..events.len())
        .find(|&j| is_end(&events[j].0))
        .unwrap_or(events.len() - 1)
}
