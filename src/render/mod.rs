//! Stage 6: the site and the theme → an in-memory map of output path → bytes: every page with
//! `page.html`, every print view with `print-view.html`, the accessibility statement with
//! `accessibility.html`, the change list and the comparisons of versions (`history`), the lists
//! of long sections' pages (`section_list`), the theme's assets, the brand's stylesheet and the
//! content's files. Template errors become diagnostics naming the page.

mod context;
mod history;
mod page;
mod print_views;
mod publications;
mod section_list;
mod statement;

use rayon::prelude::*;

use crate::brand::{Palette, BRAND_CSS};
use crate::diag::{Diagnostic, Diagnostics};
use crate::plan::{section_list_pages, OutputPlan, STATEMENT_OUTPUT};
/// The output names and the map of outputs are the output plan's; re-exported for the views' readers.
pub use crate::plan::{OutputMap, NAV_WINDOW, SECTION_LIST_NAME, SECTION_LIST_PAGE};
use crate::site::{PageId, Site};
use crate::theme::{tera_error_text, Theme};
use context::Contexts;
pub use context::TOC_MIN_HEADINGS;

/// Render page `id` alone with `page.html` (the editor's preview); the error is Tera's.
pub fn render_page(site: &Site, plan: &OutputPlan, theme: &Theme, id: PageId) -> Result<String, String> {
    let contexts = Contexts::new(site, plan, theme, STATEMENT_OUTPUT);
    theme
        .tera
        .render("page.html", &contexts.page(id))
        .map_err(|e| tera_error_text(&e))
}

/// What to render: the whole site, or only what shows the text of some pages.
#[derive(Debug, Clone, Copy)]
pub enum Selection<'a> {
    /// Every output.
    All,
    /// The outputs that show these pages' text, for an edit that changed only the text below
    /// their front matter: the pages, the print views that hold them, their comparisons of
    /// versions and the change list. Everything else shows only titles and front matter.
    TextOf(&'a [PageId]),
}

impl Selection<'_> {
    fn has(&self, id: PageId) -> bool {
        match self {
            Selection::All => true,
            Selection::TextOf(ids) => ids.contains(&id),
        }
    }

    fn is_all(&self) -> bool {
        matches!(self, Selection::All)
    }
}

/// Bytes of a page around its body (menu, header, document information, footer): about 7 KiB
/// on a page of a large handbook.
const PAGE_FRAME_BYTES: usize = 12 * 1024;

/// Render every page, print view and the statement; add the theme's and the content's files.
/// A `preview` (for `handbok serve`) shows what is still missing where a published site leaves
/// it out.
pub fn render_site(site: &Site, plan: &OutputPlan, theme: &Theme, preview: bool, diags: &mut Diagnostics) -> OutputMap {
    render_selected(site, plan, theme, (preview, Selection::All), diags)
}

/// Render the outputs `selection` names (see [`render_site`]).
pub fn render_selected(
    site: &Site,
    plan: &OutputPlan,
    theme: &Theme,
    (preview, selection): (bool, Selection<'_>),
    diags: &mut Diagnostics,
) -> OutputMap {
    let contexts = Contexts::new(site, plan, theme, STATEMENT_OUTPUT);
    // Pages are independent: render them on every core, and the print views beside them (the
    // whole-handbook view is as large as all pages together). Results are collected in page
    // order so diagnostics come out the same on every run.
    let selected: Vec<PageId> = site.pages().map(|(id, _)| id).filter(|&id| selection.has(id)).collect();
    let render_pages = || -> Vec<Result<Vec<u8>, tera::Error>> {
        selected
            .par_iter()
            .map(|&id| {
                // Sized for the page's body and the menu, header and footer around it, so the
                // page is written into one buffer that need not grow (nor be checked as UTF-8,
                // as `render` does with what it wrote).
                let mut html = Vec::with_capacity(site.page(id).rendered.html.len() + PAGE_FRAME_BYTES);
                let rendered = theme.tera.render_to("page.html", &contexts.page(id), &mut html);
                rendered.map(|()| html)
            })
            .collect()
    };
    let views = || print_views::render(&contexts, |view| view.pages.iter().any(|&id| selection.has(id)));
    let (results, (view_files, view_diags)) = rayon::join(render_pages, views);
    let mut out = OutputMap::new();
    for (&id, result) in selected.iter().zip(results) {
        match result {
            Ok(html) => {
                out.insert(site.page(id).page.output.clone(), html);
            }
            Err(err) => diags.push(
                Diagnostic::error(
                    site.file(id),
                    0,
                    0,
                    crate::diag::Message::new("render_theme_failed_page").arg("reason", tera_error_text(&err)),
                )
                .with_hint(crate::diag::Message::new("render_theme_failed_page_hint")),
            ),
        }
    }
    out.extend(view_files);
    diags.extend(view_diags);
    let history_pages = history::render_versions(&contexts, |id| selection.has(id))
        .into_iter()
        .chain(
            plan.has_change_list(site)
                .then(|| publications::render_change_list(&contexts)),
        );
    let list_pages = if selection.is_all() {
        section_list_pages(site)
            .into_par_iter()
            .map(|(section, number, _)| section_list::render(&contexts, section, number))
            .collect::<Vec<_>>()
    } else {
        Vec::new()
    };
    for result in history_pages.chain(list_pages) {
        match result {
            Ok((path, html)) => {
                out.insert(path, html);
            }
            Err(d) => diags.push(d),
        }
    }
    if !selection.is_all() {
        return out;
    }
    if site.page_at_output(STATEMENT_OUTPUT).is_none() {
        match statement::render(&contexts, preview) {
            Ok(html) => {
                out.insert(STATEMENT_OUTPUT.to_string(), html.into_bytes());
            }
            Err(d) => diags.push(d),
        }
    }
    for (path, bytes) in &theme.assets {
        out.insert(path.clone(), bytes.clone());
    }
    if let Some(palette) = site.config.brand.as_ref().and_then(Palette::of) {
        out.insert(BRAND_CSS.to_string(), palette.css().into_bytes());
    }
    for asset in &site.assets {
        out.insert(asset.output.clone(), asset.bytes.clone());
    }
    out
}
