//! The event rewriter behind [`super::render`]: reads a page's Markdown events one top-level
//! block at a time and hands rewritten events to the HTML writer. Per block it checks raw HTML,
//! gives headings their ids and collects the search text; per event it resolves links and
//! images, renders form blocks and applies Swedish quotes.
//!
//! Holding one top-level block's events rather than the whole page's keeps memory for a 20 MB
//! page at a few times its size (two million events at 96 bytes each would be ten times).

use std::borrow::Cow;
use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

use super::headings::{self, Heading, HeadingIds, HeadingSpan};
use super::links::{resolve, Target};
use super::text_blocks::{TextBlock, TextBlocks};
use super::{safety, LinkRef, Source, RESERVED_IDS};
use crate::diag::{Diagnostic, LineIndex};
use crate::hyphenate::{BODY_WORD, LONG_WORD, TABLE_WORD};
use crate::text::swedish_quotes;
use crate::theme::Theme;

type Located<'a> = (Event<'a>, Range<usize>);

/// Events held at once in a long top-level block before it is cut.
pub(super) const MAX_BLOCK_EVENTS: usize = 4096;

/// How a page is rewritten.
pub(super) struct Settings<'t> {
    /// Renders headings and forms.
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
    /// Nesting depth at the end of `block`, and whether the top-level block it is in may be cut.
    depth: usize,
    cuttable: bool,
    ids: HeadingIds,
    text: TextBlocks,
    found: Found,
    /// The top-level block being read is a table (cut blocks continue it).
    top_is_table: bool,
    /// The block being read continues a table that was cut between its rows.
    cut_table: bool,
}

impl<'a, 'p, I: Iterator<Item = Located<'a>>> Rewriter<'a, 'p, I> {
    pub(super) fn new(parsed: I, source: &'p Source<'p>, index: &'p LineIndex<'p>, settings: Settings<'p>) -> Self {
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
            depth: 0,
            cuttable: false,
            ids: HeadingIds::new(&RESERVED_IDS),
            text: TextBlocks::default(),
            found: Found {
                headings: Vec::new(),
                links: Vec::new(),
                text: Vec::new(),
                form_count: 0,
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

    fn diag(&self, line: usize, column: usize, message: String) -> Diagnostic {
        let mut d = Diagnostic::error(self.source.path, line, column, message);
        d.source_line = self.index.line(line).map(str::to_owned);
        d
    }

    /// HTML handbok generates itself; on pages with raw HTML it stands in as a placeholder while
    /// the page is sanitised.
    fn own_html(&mut self, html: String) -> Event<'a> {
        if self.settings.has_raw_html {
            self.found.generated.push(html);
            Event::Html(CowStr::from(safety::placeholder(self.found.generated.len() - 1)))
        } else {
            Event::Html(CowStr::from(html))
        }
    }

    /// Read the next top-level block; `false` at the end of the page. A very long paragraph,
    /// table, list or block quote (a 20 MB line of links, 100,000 rows) is cut between its
    /// children, where nothing looks across; headings, code and HTML blocks are never cut.
    fn read_block(&mut self) -> bool {
        self.block.clear();
        self.next = 0;
        let continues = self.depth > 0;
        for (event, range) in self.parsed.by_ref() {
            match &event {
                Event::Start(tag) if self.depth == 0 => {
                    self.cuttable = matches!(tag, Tag::Paragraph | Tag::Table(_) | Tag::List(_) | Tag::BlockQuote(_));
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
            return false;
        }
        self.cut_table = continues && self.top_is_table;
        self.is_raw = self
            .block
            .iter()
            .map(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_)))
            .collect();
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
        true
    }

    /// Replace a heading's start and end events with the theme's markup.
    fn heading_tags(&mut self, span: HeadingSpan) {
        let mut args = tera::Context::new();
        args.insert("level", &span.level);
        args.insert("id", &span.id);
        args.insert("classes", &span.classes);
        let start = self.settings.theme.component("heading_start", &args);
        let mut args = tera::Context::new();
        args.insert("level", &span.level);
        args.insert("id", &span.id);
        let end = self.settings.theme.component("heading_end", &args);
        let (start, end) = match (start, end) {
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

    /// Raw HTML as written (before the heading pass adds HTML of its own), checked fragment by
    /// fragment: a whole HTML block at once, so a tag split over lines is seen whole.
    fn check_raw_html(&mut self) {
        let mut j = 0;
        while j < self.block.len() {
            if !self.is_raw[j] {
                j += 1;
                continue;
            }
            let first = j;
            let mut fragment = String::new();
            while j < self.block.len() && matches!(self.block[j].0, Event::Html(_)) {
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
            for problem in safety::find_problems(&fragment, false) {
                self.found.raw_problems += 1;
                let column = if problem.line == 1 { column } else { 0 };
                let d = self
                    .diag(line + problem.line - 1, column, problem.message)
                    .with_hint("see docs/security.md for the HTML a page may use; most needs are met by Markdown");
                self.found.diagnostics.push(d);
            }
        }
    }

    /// Record a link or image and return the address to write: `#` (or nothing for an image)
    /// when the address is refused.
    fn link(&mut self, at: usize, dest_url: &str, is_image: bool) -> String {
        let end_tag = if is_image { TagEnd::Image } else { TagEnd::Link };
        let end = find_end(&self.block, at, |e| *e == Event::End(end_tag));
        let text = headings::plain_text(&self.block[at + 1..end]);
        let resolved = resolve(dest_url, self.source.page.source_dir());
        let (line, column) = self.locate(&self.block[at].1);
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
        match crate::form::render(&yaml, index, self.settings.theme) {
            Ok(html) => Some(self.own_html(html)),
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
}

impl<'a, I: Iterator<Item = Located<'a>>> Iterator for Rewriter<'a, '_, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        loop {
            if self.next >= self.block.len() && !self.read_block() {
                return None;
            }
            let at = self.next;
            self.next += 1;
            // Only events after `at` are looked at again (a link's text, a form's YAML).
            let event = std::mem::replace(&mut self.block[at].0, Event::SoftBreak);
            let rewritten = match event {
                Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let href = self.link(at, &dest_url, false);
                    Event::Start(Tag::Link {
                        link_type,
                        dest_url: CowStr::from(href),
                        title,
                        id,
                    })
                }
                Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }) => {
                    let src = self.link(at, &dest_url, true);
                    Event::Start(Tag::Image {
                        link_type,
                        dest_url: CowStr::from(src),
                        title,
                        id,
                    })
                }
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) if lang.trim() == "form" => {
                    match self.form(at) {
                        Some(html) => html,
                        None => continue,
                    }
                }
                Event::Html(html) | Event::InlineHtml(html) if self.is_raw[at] => Event::Html(html),
                Event::Html(html) => self.own_html(html.to_string()),
                Event::Text(text) => Event::Text(match swedish_quotes(&text) {
                    Cow::Borrowed(_) => text,
                    Cow::Owned(quoted) => CowStr::from(quoted),
                }),
                other => other,
            };
            return Some(rewritten);
        }
    }
}

fn find_end(events: &[Located<'_>], start: usize, is_end: impl Fn(&Event<'_>) -> bool) -> usize {
    (start + 1..events.len())
        .find(|&j| is_end(&events[j].0))
        .unwrap_or(events.len() - 1)
}
