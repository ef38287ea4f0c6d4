//! The event rewriter behind [`super::render`]: reads a page's Markdown events one top-level
//! block at a time and hands rewritten events to the HTML writer. Per block it checks raw HTML,
//! gives headings their ids and collects the search text; per event it resolves links and
//! images, renders form blocks and applies Swedish quotes.
//!
//! Holding one top-level block's events rather than the whole page's keeps memory for a 20 MB
//! page at a few times its size (two million events at 96 bytes each would be ten times).

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Tag, TagEnd};

use super::headings::{self, HeadingIds};
use super::links::{resolve, Target};
use super::{form, safety, swedish_quotes, LinkRef, TextBlocks, RESERVED_IDS};
use crate::content::Page;
use crate::diag::{Diagnostic, LineIndex};

type Located<'a> = (Event<'a>, Range<usize>);

/// Events held at once in a long top-level block before it is cut.
pub(super) const MAX_BLOCK_EVENTS: usize = 4096;

/// An iterator of rewritten events over a page's parsed events, gathering what the page
/// reports (headings, links, text blocks, form count, diagnostics) as it goes.
pub(super) struct Rewriter<'a, 'p, I> {
    parsed: I,
    page: &'p Page,
    index: &'p LineIndex<'p>,
    display_path: &'p Path,
    /// The top-level block being rewritten, whether each of its events is raw HTML as written,
    /// and the next event to hand out.
    block: Vec<Located<'a>>,
    is_raw: Vec<bool>,
    next: usize,
    /// Nesting depth at the end of `block`, and whether the top-level block it is in may be cut.
    depth: usize,
    cuttable: bool,
    max_block_events: usize,
    /// With raw HTML on the page, handbok's own HTML travels as placeholders through the sanitiser.
    has_raw_html: bool,
    pub generated: Vec<String>,
    pub ids: HeadingIds,
    pub text: TextBlocks,
    pub links: Vec<LinkRef>,
    pub form_count: usize,
    pub diagnostics: Vec<Diagnostic>,
    pub raw_problems: usize,
    /// Line and column of the page's first raw HTML.
    pub first_raw: Option<(usize, usize)>,
}

impl<'a, 'p, I: Iterator<Item = Located<'a>>> Rewriter<'a, 'p, I> {
    pub fn new(
        parsed: I,
        page: &'p Page,
        index: &'p LineIndex<'p>,
        display_path: &'p Path,
        has_raw_html: bool,
        max_block_events: usize,
    ) -> Self {
        let reserved: Vec<String> = RESERVED_IDS.iter().map(|s| s.to_string()).collect();
        Rewriter {
            parsed,
            page,
            index,
            display_path,
            block: Vec::new(),
            is_raw: Vec::new(),
            next: 0,
            depth: 0,
            cuttable: false,
            max_block_events: max_block_events.max(1),
            has_raw_html,
            generated: Vec::new(),
            ids: HeadingIds::new(&reserved),
            text: TextBlocks::default(),
            links: Vec::new(),
            form_count: 0,
            diagnostics: Vec::new(),
            raw_problems: 0,
            first_raw: None,
        }
    }

    pub fn locate(&self, range: &Range<usize>) -> (usize, usize) {
        self.index.line_col(self.page.body_start + range.start)
    }

    pub fn diag(&self, line: usize, column: usize, message: String) -> Diagnostic {
        let mut d = Diagnostic::error(self.display_path, line, column, message);
        d.source_line = self.index.line(line).map(str::to_owned);
        d
    }

    /// HTML handbok generates itself; on pages with raw HTML it stands in as a placeholder while
    /// the page is sanitised.
    fn own_html(&mut self, html: String) -> Event<'a> {
        if self.has_raw_html {
            self.generated.push(html);
            Event::Html(CowStr::from(safety::placeholder(self.generated.len() - 1)))
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
        for (event, range) in self.parsed.by_ref() {
            match &event {
                Event::Start(tag) if self.depth == 0 => {
                    self.cuttable = matches!(tag, Tag::Paragraph | Tag::Table(_) | Tag::List(_) | Tag::BlockQuote(_));
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
            if self.cuttable && self.depth == 1 && self.block.len() >= self.max_block_events {
                break;
            }
        }
        if self.block.is_empty() {
            return false;
        }
        self.is_raw = self
            .block
            .iter()
            .map(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_)))
            .collect();
        if self.is_raw.iter().any(|&r| r) {
            self.check_raw_html();
        }
        self.ids.assign(&mut self.block);
        self.text.feed(&self.block);
        true
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
            self.first_raw.get_or_insert((line, column));
            for problem in safety::find_problems(&fragment, false) {
                self.raw_problems += 1;
                let column = if problem.line == 1 { column } else { 0 };
                let d = self
                    .diag(line + problem.line - 1, column, problem.message)
                    .with_hint("see docs/security.md for the HTML a page may use; most needs are met by Markdown");
                self.diagnostics.push(d);
            }
        }
    }

    /// Record a link or image and return the address to write: `#` (or nothing for an image)
    /// when the address is refused.
    fn link(&mut self, at: usize, dest_url: &str, is_image: bool) -> String {
        let end_tag = if is_image { TagEnd::Image } else { TagEnd::Link };
        let end = find_end(&self.block, at, |e| *e == Event::End(end_tag));
        let text = headings::plain_text(&self.block[at + 1..end]);
        let resolved = resolve(dest_url, self.page.source_dir());
        let (line, column) = self.locate(&self.block[at].1);
        self.links.push(LinkRef {
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
        let ctx = form::FormContext { index: self.form_count };
        self.form_count += 1;
        self.next = end + 1;
        match form::render(&yaml, ctx) {
            Ok(html) => Some(self.own_html(html)),
            Err(errors) => {
                for e in errors {
                    let mut d = self.diag(fence_line + e.line, 0, format!("form block: {}", e.message));
                    d.hint = e.hint;
                    self.diagnostics.push(d);
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
                Event::Text(text) => Event::Text(swedish_quotes(&text)),
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
