//! Stage 2: Markdown → `Rendered` (HTML body, headings, links found, text for search, problems).
//!
//! The passes, each in its own module, run over one parsed event list:
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
pub mod safety;

use std::ops::Range;
use std::path::Path;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::content::Page;
use crate::diag::{line_col, Diagnostic};
pub use headings::Heading;
use links::{resolve, Target};

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
    let body = page.body();
    let locate = |range: &Range<usize>| line_col(&page.text, page.body_start + range.start);
    let mut events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(body, OPTIONS).into_offset_iter().collect();
    let mut rendered = Rendered::default();
    let diag = |line: usize, column: usize, message: String| {
        Diagnostic::error(display_path, line, column, message).with_source(&page.text)
    };

    let reserved: Vec<String> = RESERVED_IDS.iter().map(|s| s.to_string()).collect();
    rendered.headings = headings::assign_ids(&mut events, &reserved);

    let mut out: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut i = 0;
    while i < events.len() {
        let (event, range) = &events[i];
        match event {
            Event::Start(Tag::Link {
                dest_url,
                title,
                id,
                link_type,
            }) => {
                let end = find_end(&events, i, |e| matches!(e, Event::End(TagEnd::Link)));
                let text = headings::plain_text(&events[i + 1..end]);
                let resolved = resolve(dest_url, page.source_dir());
                let (line, column) = locate(range);
                rendered.links.push(LinkRef {
                    target: resolved.target.clone(),
                    written: dest_url.to_string(),
                    line,
                    column,
                    is_image: false,
                    text,
                });
                let href = if matches!(resolved.target, Target::Unsafe(_)) {
                    String::from("#")
                } else {
                    resolved.href
                };
                out.push(Event::Start(Tag::Link {
                    link_type: *link_type,
                    dest_url: CowStr::from(href),
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::Start(Tag::Image {
                dest_url,
                title,
                id,
                link_type,
            }) => {
                let end = find_end(&events, i, |e| matches!(e, Event::End(TagEnd::Image)));
                let alt = headings::plain_text(&events[i + 1..end]);
                let resolved = resolve(dest_url, page.source_dir());
                let (line, column) = locate(range);
                rendered.links.push(LinkRef {
                    target: resolved.target.clone(),
                    written: dest_url.to_string(),
                    line,
                    column,
                    is_image: true,
                    text: alt,
                });
                let src = if matches!(resolved.target, Target::Unsafe(_)) {
                    String::new()
                } else {
                    resolved.href
                };
                out.push(Event::Start(Tag::Image {
                    link_type: *link_type,
                    dest_url: CowStr::from(src),
                    title: title.clone(),
                    id: id.clone(),
                }));
            }
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(lang))) if lang.trim() == "form" => {
                let end = find_end(&events, i, |e| matches!(e, Event::End(TagEnd::CodeBlock)));
                let yaml: String = events[i + 1..end]
                    .iter()
                    .filter_map(|(e, _)| if let Event::Text(t) = e { Some(t.as_ref()) } else { None })
                    .collect();
                let (fence_line, _) = locate(range);
                let ctx = form::FormContext {
                    index: rendered.form_count,
                };
                rendered.form_count += 1;
                match form::render(&yaml, ctx) {
                    Ok(html) => out.push(Event::Html(CowStr::from(html))),
                    Err(errors) => {
                        for e in errors {
                            let mut d = diag(fence_line + e.line, 0, format!("form block: {}", e.message));
                            d.hint = e.hint;
                            rendered.diagnostics.push(d);
                        }
                    }
                }
                i = end + 1;
                continue;
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                let (safe, problems) = safety::check_raw_html(html);
                let (line, column) = locate(range);
                for problem in problems {
                    rendered.diagnostics.push(diag(line, column, problem));
                }
                out.push(Event::Html(CowStr::from(safe)));
            }
            Event::Text(text) => out.push(Event::Text(swedish_quotes(text))),
            other => out.push(other.clone()),
        }
        i += 1;
    }
    rendered.blocks = text_blocks(&events);
    pulldown_cmark::html::push_html(&mut rendered.html, out.into_iter());
    rendered
}

fn find_end(events: &[(Event<'_>, Range<usize>)], start: usize, is_end: impl Fn(&Event<'_>) -> bool) -> usize {
    (start + 1..events.len())
        .find(|&j| is_end(&events[j].0))
        .unwrap_or(events.len() - 1)
}

/// Swedish typography: `"ord"` → `”ord”`, `'` → `’`. Text without quotes is not copied.
pub fn swedish_quotes<'a>(text: &CowStr<'a>) -> CowStr<'a> {
    if text.contains(['"', '\'']) {
        CowStr::from(text.replace('"', "”").replace('\'', "’"))
    } else {
        text.clone()
    }
}

/// The page's text cut at headings (the heading events were already replaced by HTML).
fn text_blocks(events: &[(Event<'_>, Range<usize>)]) -> Vec<TextBlock> {
    let mut blocks = vec![TextBlock::default()];
    let mut in_heading = false;
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
                in_heading = true;
            }
            Event::Html(h) if in_heading && h.starts_with("</h") => in_heading = false,
            Event::Text(t) | Event::Code(t) => {
                let block = blocks.last_mut().expect("blocks is never empty");
                let target = if in_heading {
                    block.heading.get_or_insert_with(String::new)
                } else {
                    &mut block.text
                };
                target.push_str(t);
            }
            Event::SoftBreak | Event::HardBreak | Event::End(_) => {
                let block = blocks.last_mut().expect("blocks is never empty");
                if !in_heading && !block.text.ends_with(' ') && !block.text.is_empty() {
                    block.text.push(' ');
                }
            }
            _ => {}
        }
    }
    blocks.retain(|b| b.heading.is_some() || !b.text.trim().is_empty());
    for b in &mut blocks {
        b.text = b.text.trim().to_string();
    }
    blocks
}
