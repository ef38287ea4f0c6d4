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
use crate::diag::{Diagnostic, LineIndex};
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
    let index = LineIndex::new(&page.text);
    let locate = |range: &Range<usize>| index.line_col(page.body_start + range.start);
    let mut events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(body, OPTIONS).into_offset_iter().collect();
    let mut rendered = Rendered::default();
    let diag = |line: usize, column: usize, message: String| {
        let mut d = Diagnostic::error(display_path, line, column, message);
        d.source_line = index.line(line).map(str::to_owned);
        d
    };

    // Raw HTML as written (before the heading pass adds HTML of its own), checked fragment by
    // fragment: a whole HTML block at once, so a tag split over lines is seen whole.
    let is_raw: Vec<bool> = events
        .iter()
        .map(|(e, _)| matches!(e, Event::Html(_) | Event::InlineHtml(_)))
        .collect();
    let has_raw_html = is_raw.iter().any(|&r| r);
    let mut raw_problems = 0;
    if has_raw_html {
        let mut j = 0;
        while j < events.len() {
            if !is_raw[j] {
                j += 1;
                continue;
            }
            let first = j;
            let mut fragment = String::new();
            while j < events.len() && matches!(events[j].0, Event::Html(_)) {
                if let Event::Html(h) = &events[j].0 {
                    fragment.push_str(h);
                }
                j += 1;
            }
            if j == first {
                if let Event::InlineHtml(h) = &events[j].0 {
                    fragment.push_str(h);
                }
                j += 1;
            }
            let (line, column) = locate(&events[first].1);
            for problem in safety::find_problems(&fragment, false) {
                raw_problems += 1;
                let column = if problem.line == 1 { column } else { 0 };
                rendered.diagnostics.push(
                    diag(line + problem.line - 1, column, problem.message)
                        .with_hint("see docs/security.md for the HTML a page may use; most needs are met by Markdown"),
                );
            }
        }
    }

    let reserved: Vec<String> = RESERVED_IDS.iter().map(|s| s.to_string()).collect();
    rendered.headings = headings::assign_ids(&mut events, &reserved);
    // HTML handbok generates itself; on pages with raw HTML it stands in as placeholders while the
    // page is sanitised.
    let mut generated: Vec<String> = Vec::new();
    let mut own_html = |html: CowStr<'static>| -> Event<'static> {
        if has_raw_html {
            generated.push(html.to_string());
            Event::Html(CowStr::from(safety::placeholder(generated.len() - 1)))
        } else {
            Event::Html(html)
        }
    };

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
                    Ok(html) => out.push(own_html(CowStr::from(html))),
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
            Event::Html(html) | Event::InlineHtml(html) if is_raw[i] => {
                out.push(Event::Html(html.clone()));
            }
            Event::Html(html) => out.push(own_html(CowStr::from(html.to_string()))),
            Event::Text(text) => out.push(Event::Text(swedish_quotes(text))),
            other => out.push(other.clone()),
        }
        i += 1;
    }
    rendered.blocks = text_blocks(&events);
    pulldown_cmark::html::push_html(&mut rendered.html, out.into_iter());
    if has_raw_html {
        // Defence in depth: what the fragment check passed must also pass as a whole page (a tag
        // can't be assembled from pieces), and the sanitiser removes anything that slipped by.
        if raw_problems == 0 {
            if let Some(problem) = safety::find_problems(&rendered.html, true).into_iter().next() {
                let first = is_raw.iter().position(|&r| r).unwrap_or(0);
                let (line, column) = locate(&events[first].1);
                rendered.diagnostics.push(diag(
                    line,
                    column,
                    format!(
                        "the page's raw HTML, taken together, is not allowed: {}",
                        problem.message
                    ),
                ));
            }
        }
        match safety::sanitize_page(&rendered.html, &generated) {
            Ok(clean) => rendered.html = clean,
            Err(safety::SanitizeError::ReservedCharacter) => {
                rendered.html.clear();
                rendered.diagnostics.push(
                    diag(
                        page.body_line,
                        0,
                        "the page contains the reserved character U+F8FF".to_string(),
                    )
                    .with_hint("remove that character (it is a private-use character with no meaning in Swedish text)"),
                );
            }
        }
    }
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
