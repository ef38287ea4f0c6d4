//! Print views with `print-view.html`: a talk's pages, or the whole handbook, on one page. The
//! view extends its first page's context (so the navigation and footer are as on screen), with
//! no page marked current and no breadcrumbs or neighbours.
//!
//! The parts' HTML is not passed through the template context: the whole-handbook view is as
//! large as all pages together. `part.content` holds a marker, and each marker in the rendered
//! view is replaced by its part's HTML afterwards, in one allocation.

use rayon::prelude::*;
use serde::Serialize;

use super::context::{document_info, Contexts, Here, LinkContext, MetaItem};
use super::OutputMap;
use crate::diag::Diagnostic;
use crate::paths::root_prefix;
use crate::print::{rewrite_part, Part, PrintView};
use crate::theme::tera_error_text;
use crate::year_wheel::YearWheel;

/// Stands for a part's HTML in the rendered print view until [`fill_parts`] puts it in.
const PART_MARKER: &str = "<!--handbok:part-";

#[derive(Serialize)]
struct PartContext<'a> {
    id: String,
    /// The page's own output path, from the site root.
    page: &'a str,
    title: &'a str,
    content: String,
    meta: Vec<MetaItem>,
    /// The page's year wheel: the whole handbook's view shows it where the page does.
    year_wheel: Option<YearWheel>,
}

#[derive(Serialize)]
struct ViewContext<'a> {
    title: &'a str,
    output: &'a str,
    is_handbook: bool,
    back: Option<LinkContext>,
    parts: Vec<PartContext<'a>>,
    form_count: usize,
    /// The pages in the view, as a contents list.
    contents: Vec<LinkContext>,
}

/// Render the views `wanted`, views and their parts on every core. Template errors come back as
/// diagnostics, in view order.
pub(super) fn render(
    contexts: &Contexts<'_>,
    wanted: impl Fn(&PrintView) -> bool + Sync,
) -> (OutputMap, Vec<Diagnostic>) {
    let results: Vec<Result<(String, Vec<u8>), Diagnostic>> = contexts
        .plan
        .print_views
        .par_iter()
        .filter(|view| wanted(view))
        .map(|view| render_view(contexts, view))
        .collect();
    let mut out = OutputMap::new();
    let mut diags = Vec::new();
    for result in results {
        match result {
            Ok((path, bytes)) => {
                out.insert(path, bytes);
            }
            Err(d) => diags.push(d),
        }
    }
    (out, diags)
}

fn render_view(contexts: &Contexts<'_>, view: &PrintView) -> Result<(String, Vec<u8>), Diagnostic> {
    let site = contexts.site;
    let outputs: Vec<&str> = view
        .pages
        .iter()
        .map(|&id| site.page(id).page.output.as_str())
        .collect();
    let bodies: Vec<String> = view
        .pages
        .par_iter()
        .enumerate()
        .map(|(n, &id)| {
            let page = &site.page(id);
            let part = Part {
                number: n + 1,
                page_dir: page.page.output_dir(),
                view,
                view_outputs: &outputs,
            };
            rewrite_part(&page.rendered.html, &part)
        })
        .collect();
    let parts: Vec<PartContext<'_>> = view
        .pages
        .iter()
        .enumerate()
        .map(|(n, &id)| {
            let page = &site.page(id).page;
            PartContext {
                id: format!("p{}", n + 1),
                page: &page.output,
                title: &page.front.title,
                content: format!("{PART_MARKER}{n}-->"),
                meta: document_info(page, &contexts.theme.strings),
                year_wheel: contexts.year_wheel(page),
            }
        })
        .collect();
    let first = view.pages[0];
    let here = Here {
        page: first,
        current: false,
        listing: false,
        dir: view.output_dir(),
    };
    let back = (!view.is_handbook()).then(|| contexts.link(first, here));
    let contents = parts
        .iter()
        .map(|p| LinkContext {
            title: p.title.to_string(),
            href: format!("#{}", p.id),
        })
        .collect();
    let view_ctx = ViewContext {
        title: &view.title,
        output: &view.output,
        is_handbook: view.is_handbook(),
        back,
        form_count: view.pages.iter().map(|&id| site.page(id).rendered.form_count).sum(),
        parts,
        contents,
    };
    // The view sits in its first page's folder, so that page's context works as it is; but it
    // is not that page: nothing is current, and breadcrumbs and neighbours go.
    let mut ctx = contexts.page(first);
    ctx.insert("root", &root_prefix(&view.output));
    ctx.insert("nav", &contexts.nav(here));
    ctx.insert("breadcrumbs", &Vec::<LinkContext>::new());
    ctx.insert("prev", &None::<LinkContext>);
    ctx.insert("next", &None::<LinkContext>);
    ctx.insert("is_print_view", &true);
    ctx.insert("print_links", &Vec::<()>::new());
    ctx.insert("year_wheel", &None::<()>);
    ctx.insert("view", &view_ctx);
    match contexts.theme.tera.render("print-view.html", &ctx) {
        Ok(html) => Ok((view.output.clone(), fill_parts(&html, bodies))),
        Err(err) => Err(Diagnostic::error(
            "(theme templates)",
            0,
            0,
            crate::diag::Message::new("render_theme_failed_print_view")
                .arg("view", &view.output)
                .arg("reason", tera_error_text(&err)),
        )
        .with_hint(crate::diag::Message::new("render_check_template").arg("template", "print-view.html"))),
    }
}

/// The rendered print view with each part marker replaced by that part's HTML, built in one
/// allocation. A theme that does not show `part.content` simply has no markers.
fn fill_parts(html: &str, mut bodies: Vec<String>) -> Vec<u8> {
    let mut out = Vec::with_capacity(html.len() + bodies.iter().map(String::len).sum::<usize>());
    let mut rest = html;
    while let Some(at) = rest.find(PART_MARKER) {
        out.extend_from_slice(&rest.as_bytes()[..at]);
        let after = &rest[at + PART_MARKER.len()..];
        let number = after
            .split_once("-->")
            .and_then(|(n, tail)| Some((n.parse::<usize>().ok()?, tail)));
        match number.filter(|(n, _)| *n < bodies.len()) {
            Some((n, tail)) => {
                out.extend_from_slice(std::mem::take(&mut bodies[n]).as_bytes());
                rest = tail;
            }
            None => {
                out.extend_from_slice(PART_MARKER.as_bytes());
                rest = after;
            }
        }
    }
    out.extend_from_slice(rest.as_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_markers_are_replaced_by_the_parts_in_order_and_stray_markers_stay() {
        let html = format!("<a>{PART_MARKER}0--></a><b>{PART_MARKER}1--></b>{PART_MARKER}9-->{PART_MARKER}x");
        let filled = fill_parts(&html, vec!["<p>ett</p>".into(), "<p>två</p>".into()]);
        assert_eq!(
            String::from_utf8(filled).unwrap(),
            format!("<a><p>ett</p></a><b><p>två</p></b>{PART_MARKER}9-->{PART_MARKER}x")
        );
    }
}
