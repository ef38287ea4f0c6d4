//! The event rewriter behind [`super::render`]: reads a page's Markdown events one top-level
//! block at a time and hands rewritten events to the HTML writer. Per block it takes footnote
//! definitions aside, checks raw HTML, gives headings their ids and collects the search text;
//! per event it resolves links and images, renders form blocks, checklist boxes, note boxes and
//! footnote references, and applies typographic quotes outside code. At the end of the page it
//! hands out the footnote section.
//!
//! Holding one top-level block's events rather than the whole page's keeps memory for a 20 MB
//! page at a few times its size (two million events at 96 bytes each would be ten times).

mod blocks;
mod footnote_pass;

use std::borrow::Cow;
use std::collections::VecDeque;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, LinkType, Tag, TagEnd};

use super::footnotes::Footnotes;
use super::headings::{self, Heading, HeadingIds};
use super::links::{resolve, Resolved, Target};
use super::markup::Markup;
use super::text_blocks::{TextBlock, TextBlocks};
use super::{LinkRef, Source, RESERVED_IDS};
use crate::diag::{Diagnostic, LineIndex, Message};
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
    /// Text of the top-level block being read (in pieces when cut), where it starts and ends.
    footnote_scan: (String, Option<usize>, usize),
    found: Found,
    /// The top-level block being read is a table (cut blocks continue it).
    top_is_table: bool,
    /// The block being read continues a table that was cut between its rows.
    cut_table: bool,
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
            footnote_scan: (String::new(), None, 0),
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
            top_is_table: false,
            cut_table: false,
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

    fn diag(&self, line: usize, column: usize, message: Message) -> Diagnostic {
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
                    .diag(
                        line,
                        column,
                        Message::new("markdown_theme_failed").arg("reason", message),
                    )
                    .with_hint(Message::new("markdown_theme_failed_hint"));
                self.found.diagnostics.push(d);
                None
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
                .diag(
                    line,
                    column,
                    Message::new("link_invisible_character")
                        .arg("target", dest_url)
                        .arg("character", name),
                )
                .with_hint(Message::new("link_invisible_character_hint"));
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
                    let mut d = self.diag(
                        fence_line + e.line,
                        0,
                        Message::new("form_block_problem").arg_message("reason", e.message),
                    );
                    d.hint = e.hint.map(Box::new);
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
