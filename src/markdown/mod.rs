//! Stage 2: a page's Markdown → [`Markdown`]: the HTML body and what the page holds (headings
//! with their lines, links and images found, form count), the text for search, and problems.
//!
//! `rewrite` reads the parsed events one top-level block at a time (long blocks cut between
//! their children) and streams rewritten events into pulldown-cmark's HTML writer, so a page's
//! events are never all held at once. Per block and event it applies, each in its own module:
//! 1. `headings`: unique ids, recorded with their source lines; the theme's `heading_start`
//!    and `heading_end` components write the tags and anchor links;
//! 2. `links`: links to `.md` files rewritten to relative `.html`, every link and image recorded
//!    with its line so the validation stage can check targets without parsing again;
//! 3. [`crate::form`]: ```` ```form ```` blocks replaced by form HTML;
//! 4. `markup`: checklist boxes, note boxes (`> [!NOTE]`) and footnote references from the
//!    theme's components, and `footnotes`: the notes gathered at the end of the page;
//! 5. `safety`: raw HTML checked (and the ids it sets kept as link targets), and `sanitize`:
//!    the whole page sanitised when it has any;
//! 6. `text_blocks`: the text under each heading, for the search index;
//! 7. typographic quotes outside code ([`crate::text::Typography`]).
//!
//! Rendering never touches the filesystem.

mod footnotes;
mod headings;
pub mod links;
mod markup;
mod rewrite;
pub mod safety;
mod sanitize;
mod text_blocks;

use std::path::Path;

use pulldown_cmark::{Event, Options, Parser};

use crate::content::Page;
use crate::diag::{Diagnostic, LineIndex, Message};
use crate::theme::Theme;
pub(crate) use headings::unique as unique_heading_id;
pub use headings::Heading;
use links::Target;
pub use text_blocks::TextBlock;

/// A link or image found in a page, kept for the validation stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRef {
    /// What it points at.
    pub target: Target,
    /// As written in the Markdown.
    pub written: String,
    /// 1-based line in the page's file.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// An image rather than a link.
    pub is_image: bool,
    /// The link's visible text (an image's alt text).
    pub text: String,
}

/// What a page's Markdown became, as the later stages use it.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The page body's HTML.
    pub html: String,
    /// Every heading, in order.
    pub headings: Vec<Heading>,
    /// Every link and image, in order.
    pub links: Vec<LinkRef>,
    /// How many form blocks the page has.
    pub form_count: usize,
    /// Ids of elements other than headings that links may point at (form fields).
    pub extra_ids: Vec<String>,
}

/// Everything rendering one page gives: the result, its text for search, and its problems.
#[derive(Debug, Clone, Default)]
pub struct Markdown {
    /// The HTML and what the page holds.
    pub rendered: Rendered,
    /// The page's text under each heading, for the search index.
    pub text: Vec<TextBlock>,
    /// Problems found in the page.
    pub diagnostics: Vec<Diagnostic>,
}

/// One page to render: its metadata, its file's whole text, and the path shown in diagnostics.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// The page.
    pub page: &'a Page,
    /// The whole file's text (the body starts at `page.body_start`).
    pub text: &'a str,
    /// The file as diagnostics name it.
    pub path: &'a Path,
}

impl Source<'_> {
    fn body(&self) -> &str {
        self.text.get(self.page.body_start..).unwrap_or("")
    }
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

/// CommonMark with what HR uses: tables, footnotes, heading attributes (`{#id}`), strikethrough,
/// checklists, GitHub's note boxes (`> [!NOTE]`) and definition lists.
pub const OPTIONS: Options = Options::ENABLE_TABLES
    .union(Options::ENABLE_FOOTNOTES)
    .union(Options::ENABLE_HEADING_ATTRIBUTES)
    .union(Options::ENABLE_STRIKETHROUGH)
    .union(Options::ENABLE_TASKLISTS)
    .union(Options::ENABLE_GFM)
    .union(Options::ENABLE_DEFINITION_LIST);

/// Render a page's body with the theme's components.
pub fn render(source: &Source<'_>, theme: &Theme) -> Markdown {
    render_cutting_at(source, theme, rewrite::MAX_BLOCK_EVENTS)
}

/// [`render`], cutting long paragraphs, tables, lists and quotes after `max_events` events
/// (rather than 4,096). The result must not depend on it; tests check that with tiny values.
pub fn render_cutting_at(source: &Source<'_>, theme: &Theme, max_events: usize) -> Markdown {
    let body = source.body();
    let index = LineIndex::new(source.text);
    // Whether the page has raw HTML decides how handbok's own HTML travels through the
    // sanitiser, so it must be known before the first event is written; only a page with a `<`
    // can have any, and only those pay for a first look.
    let has_raw_html = body.contains('<')
        && Parser::new_ext(body, OPTIONS).any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
    let parsed = Parser::new_ext(body, OPTIONS).into_offset_iter();
    let settings = rewrite::Settings {
        theme,
        has_raw_html,
        max_block_events: max_events,
    };
    let mut rewriter = rewrite::Rewriter::new(parsed, source, &index, settings);
    let mut html = String::with_capacity(body.len() + body.len() / 4);
    pulldown_cmark::html::push_html(&mut html, &mut rewriter);
    let found = rewriter.finish();
    let mut diagnostics = found.diagnostics;
    let diag = |line: usize, column: usize, message: Message| {
        let mut d = Diagnostic::error(source.path, line, column, message);
        d.source_line = index.line(line).map(str::to_owned);
        d
    };
    if has_raw_html {
        let mut raw_problems = found.raw_problems;
        // Defence in depth: what the fragment check passed must also pass as a whole page (a tag
        // can't be assembled from pieces), and the sanitiser removes anything that slipped by.
        if raw_problems == 0 {
            if let Some(problem) = safety::find_problems(&html, true).into_iter().next() {
                raw_problems += 1;
                let (line, column) = found.first_raw.unwrap_or((source.page.body_line, 0));
                diagnostics.push(diag(
                    line,
                    column,
                    Message::new("markdown_html_page_refused").arg_message("reason", problem.message),
                ));
            }
        }
        if raw_problems > 0 {
            // The build fails; nothing needs sanitising, and refused HTML may be costly to parse.
            html.clear();
        } else {
            match sanitize::sanitize_page(&html, &found.generated) {
                Ok(clean) => html = clean,
                Err(sanitize::SanitizeError::ReservedCharacter) => {
                    html.clear();
                    diagnostics.push(
                        diag(source.page.body_line, 0, Message::new("markdown_reserved_character"))
                            .with_hint(Message::new("markdown_reserved_character_hint")),
                    );
                }
            }
        }
    }
    Markdown {
        rendered: Rendered {
            html,
            headings: found.headings,
            links: found.links,
            form_count: found.form_count,
            extra_ids: found.extra_ids,
        },
        text: found.text,
        diagnostics,
    }
}
