//! Stage 2: Markdown → `Rendered` (HTML body, headings, links found, text for search, problems).
//!
//! `rewrite` reads the parsed events one top-level block at a time (long blocks cut between
//! their children) and streams rewritten events into pulldown-cmark's HTML writer, so a page's
//! events are never all held at once. Per block and event it applies, each in its own module:
//! 1. `headings`: unique ids and anchor links;
//! 2. `links`: links to `.md` files rewritten to relative `.html`, every link and image recorded
//!    with its line so the check stage can verify targets without parsing again;
//! 3. `form`: ```` ```form ```` blocks replaced by form HTML;
//! 4. `safety`: raw HTML checked;
//! 5. Swedish typography: straight quotes become ” and ’ (never English “…”).
//!
//! Rendering never touches the filesystem.

pub mod form;
pub mod headings;
pub mod links;
mod rewrite;
pub mod safety;

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CowStr, Event, Options, Parser};

use crate::content::Page;
use crate::diag::{Diagnostic, LineIndex};
pub use headings::Heading;
use links::Target;

/// A link or image found in a page, kept for the check stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    pub target: Target,
    /// As written in the Markdown.
    pub written: String,
    pub line: usize,
    pub column: usize,
    pub is_image: bool,
    /// The link's visible text (an image's alt text).
    pub text: String,
}

/// Plain text of a page, cut at headings, for the search index.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextBlock {
    /// The id of the heading this text follows (`None` before the first heading).
    pub heading_id: Option<String>,
    pub heading: Option<String>,
    pub text: String,
}

/// The result of rendering one page's Markdown.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    pub html: String,
    pub headings: Vec<Heading>,
    pub links: Vec<LinkRef>,
    pub blocks: Vec<TextBlock>,
    pub form_count: usize,
    /// Ids of elements other than headings that links may point at (form fields).
    pub extra_ids: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Ids the theme uses on every page; headings never take them.
pub const RESERVED_IDS: [&str; 9] = [
    "innehall",
    "sok",
    "meny-vaxel",
    "navigering",
    "sidfot",
    "sidhuvud",
    "dokumentinformation",
    "pa-den-har-sidan",
    "sokresultat",
];

const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_HEADING_ATTRIBUTES)
    .union(Options::ENABLE_STRIKETHROUGH);

/// Render a page's body. `display_path` names the file in diagnostics.
pub fn render(page: &Page, display_path: &Path) -> Rendered {
    render_cutting_at(page, display_path, rewrite::MAX_BLOCK_EVENTS)
}

/// [`render`], cutting long paragraphs, tables, lists and quotes after `max_events` events
/// (rather than 4,096). The result must not depend on it; tests check that with tiny values.
pub fn render_cutting_at(page: &Page, display_path: &Path, max_events: usize) -> Rendered {
    let body = page.body();
    let index = LineIndex::new(&page.text);
    // Whether the page has raw HTML decides how handbok's own HTML travels through the
    // sanitiser, so it must be known before the first event is written; only a page with a `<`
    // can have any, and only those pay for a first look.
    let has_raw_html = body.contains('<')
        && Parser::new_ext(body, OPTIONS).any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    let parsed = Parser::new_ext(body, OPTIONS).into_offset_iter();
    let mut rewriter = rewrite::Rewriter::new(parsed, page, &index, display_path, has_raw_html, max_events);
    let mut rendered = Rendered::default();
    rendered.html.reserve(body.len() + body.len() / 4);
    pulldown_cmark::html::push_html(&mut rendered.html, &mut rewriter);
    let mut raw_problems = rewriter.raw_problems;
    let first_raw = rewriter.first_raw;
    let mut diagnostics = std::mem::take(&mut rewriter.diagnostics);
    let diag = |line: usize, column: usize, message: String| rewriter.diag(line, column, message);
    if has_raw_html {
        // Defence in depth: what the fragment check passed must also pass as a whole page (a tag
        // can't be assembled from pieces), and the sanitiser removes anything that slipped by.
        if raw_problems == 0 {
            if let Some(problem) = safety::find_problems(&rendered.html, true).into_iter().next() {
                raw_problems += 1;
                let (line, column) = first_raw.unwrap_or((page.body_line, 0));
                diagnostics.push(diag(
                    line,
                    column,
                    format!(
                        "the page's raw HTML, taken together, is not allowed: {}",
                        problem.message
                    ),
                ));
            }
        }
        if raw_problems > 0 {
            // The build fails; nothing needs sanitising, and refused HTML may be costly to parse.
            rendered.html.clear();
        } else {
            match safety::sanitize_page(&rendered.html, &rewriter.generated) {
                Ok(clean) => rendered.html = clean,
                Err(safety::SanitizeError::ReservedCharacter) => {
                    rendered.html.clear();
                    diagnostics.push(
                        diag(
                            page.body_line,
                            0,
                            "the page contains the reserved character U+F8FF".to_string(),
                        )
                        .with_hint(
                            "remove that character (it is a private-use character with no meaning in Swedish text)",
                        ),
                    );
                }
            }
        }
    }
    rendered.headings = std::mem::take(&mut rewriter.ids.headings);
    rendered.links = std::mem::take(&mut rewriter.links);
    rendered.form_count = rewriter.form_count;
    rendered.blocks = std::mem::take(&mut rewriter.text).finish();
    rendered.diagnostics = diagnostics;
    rendered
}

/// Swedish typography: `"ord"` → `”ord”`, `'` → `’`. Text without quotes is not copied.
pub fn swedish_quotes<'a>(text: &CowStr<'a>) -> CowStr<'a> {
    if text.contains(['"', '\'']) {
        CowStr::from(text.replace('"', "”").replace('\'', "’"))
    } else {
        text.clone()
    }
}

/// The text under each heading, collected a top-level block at a time.
pub(crate) struct TextBlocks {
    blocks: Vec<TextBlock>,
    in_heading: bool,
}

impl Default for TextBlocks {
    fn default() -> TextBlocks {
        TextBlocks {
            blocks: vec![TextBlock::default()],
            in_heading: false,
        }
    }
}

impl TextBlocks {
    /// Add events whose headings already carry their ids (after [`headings::HeadingIds`]).
    fn feed(&mut self, events: &[(Event<'_>, Range<usize>)]) {
        let blocks = &mut self.blocks;
        for (event, _) in events {
            match event {
                Event::Html(h) if h.starts_with("<h") && h.contains("class=\"heading-anchor\"") => {
                    let id = h
                        .split("id=\"")
                        .nth(1)
                        .and_then(|s| s.split('"').next())
                        .map(|s| s.to_string());
                    blocks.push(TextBlock {
                        heading_id: id,
                        heading: Some(String::new()),
                        text: String::new(),
                    });
                    self.in_heading = true;
                }
                Event::Html(h) if self.in_heading && h.starts_with("</h") => self.in_heading = false,
                Event::Text(t) | Event::Code(t) => {
                    let block = blocks.last_mut().expect("blocks is never empty");
                    let target = if self.in_heading {
                        block.heading.get_or_insert_with(String::new)
                    } else {
                        &mut block.text
                    };
                    target.push_str(t);
                }
                Event::SoftBreak | Event::HardBreak | Event::End(_) => {
                    let block = blocks.last_mut().expect("blocks is never empty");
                    if !self.in_heading && !block.text.ends_with(' ') && !block.text.is_empty() {
                        block.text.push(' ');
                    }
                }
                _ => {}
            }
        }
    }

    fn finish(self) -> Vec<TextBlock> {
        let mut blocks = self.blocks;
        blocks.retain(|b| b.heading.is_some() || !b.text.trim().is_empty());
        for b in &mut blocks {
            b.text = b.text.trim().to_string();
        }
        blocks
    }
}
