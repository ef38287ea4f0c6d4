//! Content checks that help readers and accessibility. They only ever give warnings: the site
//! still builds, and `handbok check --strict` turns them into a failing exit code.
//!
//! - heading levels skipped (the page title is the `<h1>`, so the first heading in the text
//!   should be `##`, and each heading at most one level deeper than the one before);
//! - links without text;
//! - link texts that say nothing about where the link leads, such as "klicka här", "här" or
//!   "läs mer" (WCAG 2.4.4, Link Purpose);
//! - two pages with the same title (readers cannot tell them apart in the menu or in search);
//! - pages that neither the navigation nor any link reaches.
//!
//! About the last one: the navigation lists every page of the section tree, so today every
//! page the site model places is reachable and the check is quiet. It is defined as "not in
//! the navigation AND not reached by following links from the start page or from any page in
//! the navigation", so it starts to warn as soon as pages can be left out of the menu.
//! (Image alt text is an error, checked in [`crate::check`].)

use std::collections::{HashMap, HashSet};
use std::path::Path;

use pulldown_cmark::{Event, Parser, Tag};

use crate::content::{Content, Page};
use crate::diag::{line_col, Diagnostic, Diagnostics};
use crate::markdown::links::Target;
use crate::markdown::Rendered;
use crate::site::SiteModel;

/// Link texts that do not tell where the link leads, compared after lowercasing and trimming
/// punctuation.
pub const VAGUE_LINK_TEXTS: &[&str] = &[
    "här",
    "klicka här",
    "klicka",
    "tryck här",
    "läs mer",
    "läs mer här",
    "mer",
    "mer info",
    "mer information",
    "länk",
    "denna länk",
    "den här länken",
    "se här",
    "click here",
    "here",
    "read more",
    "link",
];

/// Run every content check. `site` gives the pages the navigation reaches.
pub fn lint(content: &Content, rendered: &[Rendered], site: &SiteModel, diags: &mut Diagnostics) {
    for (page, result) in content.pages.iter().zip(rendered) {
        let path = content.root.join(&page.source);
        heading_levels(page, &path, diags);
        link_texts(page, result, &path, diags);
    }
    duplicate_titles(content, diags);
    let in_nav: HashSet<usize> = site.reading_order.iter().copied().collect();
    unreached(content, rendered, site.root, &in_nav, diags);
}

fn heading_levels(page: &Page, path: &Path, diags: &mut Diagnostics) {
    let mut previous = 1u8;
    let options = pulldown_cmark::Options::ENABLE_HEADING_ATTRIBUTES
        | pulldown_cmark::Options::ENABLE_TABLES
        | pulldown_cmark::Options::ENABLE_FOOTNOTES;
    for (event, range) in Parser::new_ext(page.body(), options).into_offset_iter() {
        let Event::Start(Tag::Heading { level, .. }) = event else {
            continue;
        };
        let level = level as u8;
        if level > previous + 1 {
            let (line, column) = line_col(&page.text, page.body_start + range.start);
            let expected = "#".repeat(usize::from(previous) + 1);
            let context = if previous == 1 {
                "the first heading in the text".to_string()
            } else {
                format!("it follows a level {previous} heading")
            };
            diags.push(
                Diagnostic::warning(
                    path,
                    line,
                    column,
                    format!("heading level {level} skips a level: {context}"),
                )
                .with_source(&page.text)
                .with_hint(format!(
                    "use `{expected}` here; screen reader users jump between headings by level, and the page title is level 1"
                )),
            );
        }
        previous = level;
    }
}

fn link_texts(page: &Page, result: &Rendered, path: &Path, diags: &mut Diagnostics) {
    for link in result.links.iter().filter(|l| !l.is_image) {
        let text = normalise(&link.text);
        if text.is_empty() {
            diags.push(
                Diagnostic::warning(
                    path,
                    link.line,
                    link.column,
                    format!("link `{}` has no text", link.written),
                )
                .with_source(&page.text)
                .with_hint("write what the link leads to between the brackets: [Blankett för ledighet](blankett.md)"),
            );
        } else if VAGUE_LINK_TEXTS.contains(&text.as_str()) {
            diags.push(
                Diagnostic::warning(
                    path,
                    link.line,
                    link.column,
                    format!("link text `{}` does not say where the link leads", link.text.trim()),
                )
                .with_source(&page.text)
                .with_hint(
                    "name the target instead, e.g. `läs [riktlinjen för distansarbete](distansarbete.md)`; \
                     screen readers list links by their text alone (WCAG 2.4.4)",
                ),
            );
        }
    }
}

fn normalise(text: &str) -> String {
    text.trim()
        .trim_matches(|c: char| c.is_ascii_punctuation() || c == '…' || c == '»' || c == '›')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The 1-based line of the `title:` key in the front matter, or 1.
fn title_line(page: &Page) -> usize {
    page.text
        .lines()
        .take(page.body_line.max(1))
        .position(|l| l.trim_start().starts_with("title:"))
        .map_or(1, |i| i + 1)
}

fn duplicate_titles(content: &Content, diags: &mut Diagnostics) {
    let mut first: HashMap<String, usize> = HashMap::new();
    for (i, page) in content.pages.iter().enumerate() {
        let key = normalise(&page.front.title);
        if key.is_empty() {
            continue;
        }
        match first.get(&key) {
            None => {
                first.insert(key, i);
            }
            Some(&earlier) => {
                let line = title_line(page);
                diags.push(
                    Diagnostic::warning(
                        content.root.join(&page.source),
                        line,
                        1,
                        format!(
                            "the title `{}` is also the title of `{}`",
                            page.front.title.trim(),
                            content.pages[earlier].source
                        ),
                    )
                    .with_source(&page.text)
                    .with_hint("give each page its own title so readers can tell them apart in the menu and in search"),
                );
            }
        }
    }
}

/// Pages that are not in the navigation and that no link from a reachable page leads to.
pub fn unreached(
    content: &Content,
    rendered: &[Rendered],
    start: usize,
    in_nav: &HashSet<usize>,
    diags: &mut Diagnostics,
) {
    let by_output: HashMap<&str, usize> = content
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.output.as_str(), i))
        .collect();
    let mut reached: HashSet<usize> = in_nav.clone();
    reached.insert(start);
    let mut queue: Vec<usize> = reached.iter().copied().collect();
    while let Some(i) = queue.pop() {
        let Some(result) = rendered.get(i) else { continue };
        for link in &result.links {
            if let Target::Page { output, .. } = &link.target {
                if let Some(&target) = by_output.get(output.as_str()) {
                    if reached.insert(target) {
                        queue.push(target);
                    }
                }
            }
        }
    }
    for (i, page) in content.pages.iter().enumerate() {
        if !reached.contains(&i) {
            diags.push(
                Diagnostic::warning(
                    content.root.join(&page.source),
                    0,
                    0,
                    "no link or menu leads to this page; readers will not find it",
                )
                .with_hint("link to it from a related page, or delete it if it is no longer used"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vague_texts_match_after_trimming_and_case() {
        assert!(VAGUE_LINK_TEXTS.contains(&normalise(" Klicka  HÄR! ").as_str()));
        assert!(VAGUE_LINK_TEXTS.contains(&normalise("Läs mer…").as_str()));
        assert!(!VAGUE_LINK_TEXTS.contains(&normalise("Läs mer om semester").as_str()));
    }
}
