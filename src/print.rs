//! Stage 4b: print views. Takes the content, site model, rendered pages and theme; returns
//! extra output files (path → bytes) for pages meant to be printed in one go:
//!
//! - a talk's view, `<page>-utskrift.html` beside a page whose front matter lists
//!   `print_with: [other.md, …]`: that page followed by the listed pages (the guide and its form);
//! - the whole handbook, `utskrift.html` at the root: every page in reading order.
//!
//! Each part's ids get a `p{n}-` prefix so ids stay unique, and links to a page that is part
//! of the same view point inside the view (`#p{n}-…`); other links are made relative to the
//! view's own folder.

use rayon::prelude::*;
use serde::Serialize;

use crate::content::{Content, Page};
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::links::{join_normalised, relative_href, root_prefix};
use crate::markdown::Rendered;
use crate::render::OutputMap;
use crate::site::SiteModel;
use crate::theme::{tera_error_text, Theme};

/// The output path of the whole handbook's print view.
pub const HANDBOOK_VIEW: &str = "utskrift.html";

/// One print view: its output path, title and the pages it holds, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintView {
    pub output: String,
    pub title: String,
    pub pages: Vec<usize>,
}

/// A link from a page to a print view that holds it, for the page template.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PrintLink {
    pub title: String,
    pub href: String,
    /// `true` for the whole handbook's view.
    pub handbook: bool,
    /// What the link says, e.g. "Utskriftsvy: Utvecklingssamtal och Samtalsguide".
    pub label: String,
}

/// The talk views declared by `print_with`, and the handbook view. Unknown pages are errors
/// naming the page file and the `print_with` line.
pub fn plan(content: &Content, site: &SiteModel, diags: &mut Diagnostics) -> Vec<PrintView> {
    let mut views = Vec::new();
    for (index, page) in content.pages.iter().enumerate() {
        let Some(with) = &page.front.print_with else { continue };
        let mut pages = vec![index];
        for rel in with {
            let target = join_normalised(page.source_dir(), rel);
            match target.and_then(|t| content.pages.iter().position(|p| p.source == t)) {
                Some(i) if !pages.contains(&i) => pages.push(i),
                Some(_) => {}
                None => {
                    let line = key_line(page, "print_with");
                    diags.push(
                        Diagnostic::error(
                            content.root.join(&page.source),
                            line,
                            0,
                            format!("`print_with` names `{rel}`, which is not a page"),
                        )
                        .with_source(&page.text)
                        .with_hint("list Markdown files relative to this page, e.g. `print_with: [samtalsguide.md]`"),
                    );
                }
            }
        }
        views.push(PrintView {
            output: page.output.replace(".html", "-utskrift.html"),
            title: page.front.title.clone(),
            pages,
        });
    }
    views.push(PrintView {
        output: HANDBOOK_VIEW.to_string(),
        title: content.config.title.clone(),
        pages: site.reading_order.clone(),
    });
    views
}

/// Print views that hold page `index`, with hrefs relative to that page. Talk views first; the
/// handbook view is offered on the start page and on section pages.
pub fn links_for(index: usize, views: &[PrintView], content: &Content, site: &SiteModel) -> Vec<PrintLink> {
    let page = &content.pages[index];
    let here = page.output.rsplit_once('/').map_or("", |(d, _)| d);
    views
        .iter()
        .filter(|v| {
            if v.output == HANDBOOK_VIEW {
                index == site.root || page.is_index()
            } else {
                v.pages.contains(&index)
            }
        })
        .map(|v| PrintLink {
            title: v.title.clone(),
            href: relative_href(here, &v.output),
            handbook: v.output == HANDBOOK_VIEW,
            label: if v.output == HANDBOOK_VIEW {
                "Utskriftsvy: hela handboken".to_string()
            } else {
                let titles: Vec<&str> = v.pages.iter().map(|&i| content.pages[i].front.title.as_str()).collect();
                format!("Utskriftsvy: {}", join_and(&titles))
            },
        })
        .collect()
}

/// Stands for a part's HTML in the rendered print view until [`fill_parts`] puts it in.
const PART_MARKER: &str = "<!--handbok:part-";

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

#[derive(Serialize)]
struct Part<'a> {
    id: String,
    /// The page's own output path, from the site root.
    page: &'a str,
    title: &'a str,
    content: String,
    meta: Vec<(String, String)>,
}

#[derive(Serialize)]
struct ViewContext<'a> {
    title: &'a str,
    output: &'a str,
    is_handbook: bool,
    back: Option<PrintLink>,
    parts: Vec<Part<'a>>,
    form_count: usize,
    /// The pages in the view, as a contents list.
    contents: Vec<PrintLink>,
}

/// Render every view with the theme's `print-view.html`, views and their parts on every core.
/// Template errors come back as diagnostics, in view order.
pub fn render_views(
    views: &[PrintView],
    content: &Content,
    rendered: &[Rendered],
    theme: &Theme,
    page_context: &(dyn Fn(usize) -> tera::Context + Sync),
) -> (OutputMap, Vec<Diagnostic>) {
    let results: Vec<Result<(String, Vec<u8>), Diagnostic>> = views
        .par_iter()
        .map(|view| render_view(view, content, rendered, theme, page_context))
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

fn render_view(
    view: &PrintView,
    content: &Content,
    rendered: &[Rendered],
    theme: &Theme,
    page_context: &(dyn Fn(usize) -> tera::Context + Sync),
) -> Result<(String, Vec<u8>), Diagnostic> {
    let view_dir = view.output.rsplit_once('/').map_or("", |(d, _)| d);
    // The parts' HTML goes into the rendered template afterwards, in place of a marker: the
    // whole-handbook view is as large as all pages together, and the template context would
    // otherwise hold a second copy of it.
    let bodies: Vec<String> = view
        .pages
        .par_iter()
        .enumerate()
        .map(|(n, &i)| rewrite(&rendered[i].html, n + 1, &content.pages[i], view, view_dir, content))
        .collect();
    let parts: Vec<Part<'_>> = view
        .pages
        .iter()
        .enumerate()
        .map(|(n, &i)| {
            let page = &content.pages[i];
            Part {
                id: format!("p{}", n + 1),
                page: &page.output,
                title: &page.front.title,
                content: format!("{PART_MARKER}{n}-->"),
                meta: meta(page, &theme.strings),
            }
        })
        .collect();
    let back = (view.output != HANDBOOK_VIEW).then(|| {
        let page = &content.pages[view.pages[0]];
        PrintLink {
            title: page.front.title.clone(),
            href: relative_href(view_dir, &page.output),
            handbook: false,
            label: page.front.title.clone(),
        }
    });
    let contents = parts
        .iter()
        .map(|p| PrintLink {
            title: p.title.to_string(),
            href: format!("#{}", p.id),
            handbook: false,
            label: p.title.to_string(),
        })
        .collect();
    let ctx_view = ViewContext {
        title: &view.title,
        output: &view.output,
        is_handbook: view.output == HANDBOOK_VIEW,
        back,
        form_count: view.pages.iter().map(|&i| rendered[i].form_count).sum(),
        parts,
        contents,
    };
    // The view sits in its first page's folder, so that page's navigation links work as is.
    let mut ctx = page_context(view.pages[0]);
    ctx.insert("root", &root_prefix(&view.output));
    ctx.insert("print_links", &Vec::<PrintLink>::new());
    ctx.insert("year_wheel", &None::<YearWheel>);
    ctx.insert("view", &ctx_view);
    match theme.tera.render("print-view.html", &ctx) {
        Ok(html) => Ok((view.output.clone(), fill_parts(&html, bodies))),
        Err(err) => Err(Diagnostic::error(
            "(theme templates)",
            0,
            0,
            format!(
                "the theme could not render the print view {}: {}",
                view.output,
                tera_error_text(&err)
            ),
        )
        .with_hint("check print-view.html in --theme overrides")),
    }
}

fn meta(page: &Page, strings: &std::collections::BTreeMap<String, String>) -> Vec<(String, String)> {
    let f = &page.front;
    [
        ("decided", &f.decided),
        ("decided_by", &f.decided_by),
        ("valid", &f.valid),
        ("owner", &f.owner),
        ("revised", &f.revised),
    ]
    .into_iter()
    .filter_map(|(k, v)| {
        v.as_ref()
            .map(|v| (strings.get(k).cloned().unwrap_or_else(|| k.to_string()), v.clone()))
    })
    .collect()
}

/// "A", "A och B", "A, B och C".
fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} och {last}", init.join(", ")),
    }
}

fn key_line(page: &Page, key: &str) -> usize {
    page.text
        .lines()
        .position(|l| l.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with(':')))
        .map_or(1, |i| i + 1)
}

/// Prefix the part's ids and rewrite its links for the view (see the module docs).
/// The HTML comes from our own Markdown stage, so every attribute is double-quoted and
/// text never holds a raw `"`.
pub fn rewrite(html: &str, part: usize, page: &Page, view: &PrintView, view_dir: &str, content: &Content) -> String {
    let page_dir = page.output.rsplit_once('/').map_or("", |(d, _)| d);
    let prefix = format!("p{part}-");
    let mut out = String::with_capacity(html.len() + html.len() / 10);
    const ATTRS: [&str; 6] = [
        " id=\"",
        " for=\"",
        " href=\"",
        " src=\"",
        " aria-describedby=\"",
        " aria-labelledby=\"",
    ];
    // The next occurrence of each attribute, kept between steps: searching all of them afresh
    // from every position made this quadratic on large pages.
    let find_from = |attr: &str, from: usize| html[from..].find(attr).map(|i| i + from);
    let mut next_at: [Option<usize>; 6] = ATTRS.map(|a| find_from(a, 0));
    let mut pos = 0;
    loop {
        let next = next_at
            .iter()
            .enumerate()
            .filter_map(|(k, at)| at.map(|i| (i, k)))
            .min_by_key(|(i, _)| *i);
        let Some((at, k)) = next else {
            out.push_str(&html[pos..]);
            break;
        };
        let attr = ATTRS[k];
        let value_start = at + attr.len();
        let Some(len) = html[value_start..].find('"') else {
            out.push_str(&html[pos..]);
            break;
        };
        let value = &html[value_start..value_start + len];
        out.push_str(&html[pos..value_start]);
        let new = match attr {
            " id=\"" | " for=\"" => format!("{prefix}{value}"),
            " aria-describedby=\"" | " aria-labelledby=\"" => value
                .split_whitespace()
                .map(|v| format!("{prefix}{v}"))
                .collect::<Vec<_>>()
                .join(" "),
            _ => link(value, &prefix, page_dir, view, view_dir, content),
        };
        out.push_str(&new);
        pos = value_start + len;
        for (j, slot) in next_at.iter_mut().enumerate() {
            if slot.is_some_and(|i| i < pos) {
                *slot = find_from(ATTRS[j], pos);
            }
        }
    }
    out
}

fn link(value: &str, prefix: &str, page_dir: &str, view: &PrintView, view_dir: &str, content: &Content) -> String {
    if let Some(anchor) = value.strip_prefix('#') {
        return if anchor.is_empty() {
            value.to_string()
        } else {
            format!("#{prefix}{anchor}")
        };
    }
    let has_scheme = value
        .split_once(':')
        .is_some_and(|(s, _)| !s.contains('/') && !s.is_empty());
    if has_scheme || value.starts_with('/') || value.is_empty() {
        return value.to_string();
    }
    let (path, anchor) = match value.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (value, None),
    };
    let Some(target) = join_normalised(page_dir, path) else {
        return value.to_string();
    };
    if let Some(n) = view.pages.iter().position(|&i| content.pages[i].output == target) {
        return match anchor {
            Some(a) if !a.is_empty() => format!("#p{}-{a}", n + 1),
            _ => format!("#p{}", n + 1),
        };
    }
    let mut href = relative_href(view_dir, &target);
    if let Some(a) = anchor {
        href.push('#');
        href.push_str(a);
    }
    href
}

// ---------------------------------------------------------------------------------------------
// Page context: print links and the year wheel
// ---------------------------------------------------------------------------------------------

/// Adds `print_links` (print views holding the page) and `year_wheel` (SVG and text, or
/// nothing) to a page's template context.
pub fn add_page_context(
    ctx: &mut tera::Context,
    index: usize,
    views: &[PrintView],
    content: &Content,
    site: &SiteModel,
) {
    ctx.insert("print_links", &links_for(index, views, content, site));
    let wheel = content.pages[index]
        .front
        .year_wheel
        .as_deref()
        .filter(|p| !p.is_empty() && p.iter().all(YearPeriod::is_valid))
        .map(year_wheel);
    ctx.insert("year_wheel", &wheel);
}

/// One period on the year wheel, from front matter `year_wheel`. Months are 1–12; a period
/// whose `to` is before its `from` runs over the new year.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct YearPeriod {
    pub label: String,
    pub from: u8,
    pub to: u8,
}

impl YearPeriod {
    pub fn is_valid(&self) -> bool {
        (1..=12).contains(&self.from) && (1..=12).contains(&self.to) && !self.label.trim().is_empty()
    }
}

/// The year wheel as the template gets it: an SVG picture (hidden from screen readers) and
/// its text equivalent, one line per period.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct YearWheel {
    pub svg: String,
    pub text: Vec<String>,
}

const MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
];

/// Check the year wheel data of every page; problems name the file and the key's line.
pub fn check_year_wheels(content: &Content, diags: &mut Diagnostics) {
    for page in &content.pages {
        for p in page.front.year_wheel.iter().flatten() {
            if !p.is_valid() {
                diags.push(
                    Diagnostic::error(
                        content.root.join(&page.source),
                        key_line(page, "year_wheel"),
                        0,
                        format!(
                            "year_wheel: `{}` has months {}–{}; months are 1 (January) to 12 (December) and the label must not be empty",
                            p.label, p.from, p.to
                        ),
                    )
                    .with_source(&page.text)
                    .with_hint("e.g. `- {label: Utvecklingssamtal, from: 9, to: 11}`"),
                );
            }
        }
    }
}

/// A twelve-month timeline: month names across the top, one labelled bar per period.
pub fn year_wheel(periods: &[YearPeriod]) -> YearWheel {
    const W: u32 = 840;
    const M: u32 = W / 12;
    const TOP: u32 = 28;
    const ROW: u32 = 40;
    let h = TOP + ROW * periods.len() as u32 + 8;
    let mut svg = format!(
        "<svg class=\"year-wheel-svg\" viewBox=\"0 0 {W} {h}\" width=\"100%\" aria-hidden=\"true\" focusable=\"false\" \
         xmlns=\"http://www.w3.org/2000/svg\" font-family=\"system-ui, sans-serif\" font-size=\"16\">"
    );
    for (m, name) in MONTHS.iter().enumerate() {
        let x = m as u32 * M;
        svg.push_str(&format!(
            "<line x1=\"{x}\" y1=\"0\" x2=\"{x}\" y2=\"{h}\" stroke=\"currentColor\" stroke-opacity=\"0.35\"/>\
             <text x=\"{}\" y=\"18\" text-anchor=\"middle\" fill=\"currentColor\">{}</text>",
            x + M / 2,
            &name[..3]
        ));
    }
    svg.push_str(&format!(
        "<line x1=\"{W}\" y1=\"0\" x2=\"{W}\" y2=\"{h}\" stroke=\"currentColor\" stroke-opacity=\"0.35\"/>\
         <line x1=\"0\" y1=\"{TOP}\" x2=\"{W}\" y2=\"{TOP}\" stroke=\"currentColor\"/>"
    ));
    let mut text = Vec::new();
    for (row, p) in periods.iter().enumerate() {
        let y = TOP + 6 + row as u32 * ROW;
        let spans: Vec<(u8, u8)> = if p.to >= p.from {
            vec![(p.from, p.to)]
        } else {
            vec![(p.from, 12), (1, p.to)]
        };
        for (i, (a, b)) in spans.iter().enumerate() {
            let x = (*a as u32 - 1) * M + 2;
            let w = (*b as u32 - *a as u32 + 1) * M - 4;
            svg.push_str(&format!(
                "<rect x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{}\" rx=\"4\" fill=\"currentColor\" fill-opacity=\"0.12\" stroke=\"currentColor\" stroke-width=\"1.5\"/>",
                ROW - 10
            ));
            if i == 0 {
                svg.push_str(&format!(
                    "<text x=\"{}\" y=\"{}\" fill=\"currentColor\" font-weight=\"600\">{}</text>",
                    x + 8,
                    y + 20,
                    crate::html::escape(&p.label)
                ));
            }
        }
        text.push(format!(
            "{}: {}–{}",
            p.label,
            MONTHS[p.from as usize - 1],
            MONTHS[p.to as usize - 1]
        ));
    }
    svg.push_str("</svg>");
    YearWheel { svg, text }
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

    #[test]
    fn wheel_has_a_bar_and_a_line_of_text_per_period() {
        let w = year_wheel(&[
            YearPeriod {
                label: "Lönesamtal".into(),
                from: 1,
                to: 3,
            },
            YearPeriod {
                label: "Över nyår".into(),
                from: 11,
                to: 2,
            },
        ]);
        assert_eq!(w.text, ["Lönesamtal: januari–mars", "Över nyår: november–februari"]);
        assert_eq!(
            w.svg.matches("<rect").count(),
            3,
            "the period over the new year is two bars"
        );
        assert!(w.svg.contains("aria-hidden=\"true\""));
    }
}
