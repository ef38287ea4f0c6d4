//! The full list of a long section's pages ("Alla 2 000 sidor i …"): the menu shows only
//! [`NAV_WINDOW`] of a section's pages, so a section with more gets a list of all of them,
//! [`SECTION_LIST_PAGE`] to a page, written as `<section>/alla-sidor.html`,
//! `alla-sidor-2.html` … with `section-list.html`.

use serde::Serialize;

use super::context::{Contexts, Here, LinkContext, PageContext};
use crate::content::PageId;
use crate::diag::Diagnostic;
use crate::paths::relative_href;
use crate::plan::{section_list_output, SECTION_LIST_PAGE};
use crate::text::format_count;
use crate::theme::tera_error_text;

/// One page of the list as the template shows it.
#[derive(Serialize)]
struct ListContext {
    /// "Sidorna 101–200 av 2 000, i menyns ordning."
    range: String,
    /// The number of the first entry.
    start: usize,
    entries: Vec<Entry>,
    /// Links to the other parts of the list; empty when it has one part.
    parts: Vec<PartLink>,
    prev: Option<String>,
    next: Option<String>,
}

#[derive(Serialize)]
struct Entry {
    title: String,
    href: String,
    description: Option<String>,
}

/// A link to one part of the list, or the gap between distant parts (`href` and `number` empty).
#[derive(Serialize)]
struct PartLink {
    number: Option<usize>,
    href: Option<String>,
    current: bool,
}

/// Render part `number` of the list of `section`'s pages with `section-list.html`.
pub(super) fn render(contexts: &Contexts<'_>, section: PageId, number: usize) -> Result<(String, Vec<u8>), Diagnostic> {
    let site = contexts.site;
    let output = section_list_output(site, section, number);
    let here = Here {
        page: section,
        current: false,
        listing: true,
        dir: crate::paths::parent(&output),
    };
    let children = site.tree.children(section);
    let parts = children.len().div_ceil(SECTION_LIST_PAGE);
    let first = (number - 1) * SECTION_LIST_PAGE;
    let shown = &children[first..(first + SECTION_LIST_PAGE).min(children.len())];
    let strings = &contexts.theme.strings;
    let language = &site.config.language;
    let href_of = |n: usize| relative_href(here.dir, &section_list_output(site, section, n));
    let list = ListContext {
        range: strings
            .text("section_list_range")
            .replace("{from}", &format_count(language, first + 1))
            .replace("{to}", &format_count(language, first + shown.len()))
            .replace("{n}", &format_count(language, children.len())),
        start: first + 1,
        entries: shown
            .iter()
            .map(|&id| {
                let LinkContext { title, href } = contexts.link(id, here);
                let description = site.page(id).page.front.description.clone();
                Entry {
                    title,
                    href,
                    description,
                }
            })
            .collect(),
        parts: part_numbers(number, parts)
            .into_iter()
            .map(|n| PartLink {
                number: n,
                href: n.filter(|&n| n != number).map(href_of),
                current: n == Some(number),
            })
            .collect(),
        prev: (number > 1).then(|| href_of(number - 1)),
        next: (number < parts).then(|| href_of(number + 1)),
    };
    let title = contexts.section_list_title(section);
    let page_ctx = PageContext {
        title: &title,
        description: None,
        content: "",
        toc: Vec::new(),
        meta: Vec::new(),
        output: &output,
        source: "",
        is_start: false,
        print_pages: None,
        form_count: 0,
    };
    let mut crumbs: Vec<LinkContext> = site
        .tree
        .ancestors(section)
        .into_iter()
        .map(|a| contexts.link(a, here))
        .collect();
    crumbs.push(contexts.link(section, here));
    let mut ctx = contexts.base(&output);
    ctx.insert("page", &page_ctx);
    ctx.insert("nav", &contexts.nav(here));
    ctx.insert("breadcrumbs", &crumbs);
    ctx.insert("list", &list);
    let html = contexts.theme.tera.render("section-list.html", &ctx).map_err(|err| {
        Diagnostic::error(
            site.file(section),
            0,
            0,
            crate::diag::Message::new("render_theme_failed_section_list").arg("reason", tera_error_text(&err)),
        )
        .with_hint(crate::diag::Message::new("render_check_template").arg("template", "section-list.html"))
    })?;
    Ok((output, html.into_bytes()))
}

/// The part numbers to link to from part `current` of `parts`: the first, the last and two on
/// each side of the current one, with `None` for each gap, so a list of 10,000 pages still has
/// a handful of links.
fn part_numbers(current: usize, parts: usize) -> Vec<Option<usize>> {
    if parts <= 1 {
        return Vec::new();
    }
    let near = current.saturating_sub(2).max(1)..=(current + 2).min(parts);
    let mut numbers: Vec<usize> = vec![1];
    numbers.extend(near);
    numbers.push(parts);
    numbers.dedup();
    let mut out = Vec::new();
    for (i, &n) in numbers.iter().enumerate() {
        if i > 0 && n > numbers[i - 1] + 1 {
            out.push(None);
        }
        out.push(Some(n));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::part_numbers;

    #[test]
    fn long_lists_link_to_the_ends_and_the_nearby_parts() {
        assert_eq!(part_numbers(1, 1), vec![]);
        assert_eq!(part_numbers(1, 3), vec![Some(1), Some(2), Some(3)]);
        assert_eq!(
            part_numbers(50, 100),
            vec![
                Some(1),
                None,
                Some(48),
                Some(49),
                Some(50),
                Some(51),
                Some(52),
                None,
                Some(100)
            ]
        );
        assert_eq!(
            part_numbers(2, 20),
            vec![Some(1), Some(2), Some(3), Some(4), None, Some(20)]
        );
        assert_eq!(part_numbers(20, 20), vec![Some(1), None, Some(18), Some(19), Some(20)]);
    }
}
