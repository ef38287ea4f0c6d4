//! Stage 6: the site and the theme → an in-memory map of output path → bytes: every page with
//! `page.html`, every print view with `print-view.html`, the accessibility statement with
//! `accessibility.html`, the change list and the comparisons of versions (`history`), the theme's
//! assets and the content's files. Template errors become
//! diagnostics naming the page.

mod context;
mod history;
mod print_views;
mod statement;

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics};
use crate::site::Site;
use crate::theme::{tera_error_text, Theme};
use context::Contexts;
pub use context::TOC_MIN_HEADINGS;
pub(crate) use history::{has_change_list, version_pages};

/// The output of a build before it is written: path (relative, `/`-separated) → bytes.
pub type OutputMap = BTreeMap<String, Vec<u8>>;

/// The generated accessibility statement's output path. A content page with the same output
/// path replaces it (the footer link then leads to that page).
pub const STATEMENT_OUTPUT: &str = "tillganglighetsredogorelse.html";

/// The change list's output path ("Ändringar i handboken"), written when the content is in Git.
pub const CHANGES_OUTPUT: &str = "andringar.html";

/// Render page `id` alone with `page.html` (the editor's preview); the error is Tera's.
pub fn render_page(site: &Site, theme: &Theme, id: crate::content::PageId) -> Result<String, String> {
    let contexts = Contexts::new(site, theme, STATEMENT_OUTPUT);
    theme
        .tera
        .render("page.html", &contexts.page(id))
        .map_err(|e| tera_error_text(&e))
}

/// Render every page, print view and the statement; add the theme's and the content's files.
pub fn render_site(site: &Site, theme: &Theme, diags: &mut Diagnostics) -> OutputMap {
    let contexts = Contexts::new(site, theme, STATEMENT_OUTPUT);
    // Pages are independent: render them on every core, and the print views beside them (the
    // whole-handbook view is as large as all pages together). Results are collected in page
    // order so diagnostics come out the same on every run.
    let render_pages = || -> Vec<Result<String, tera::Error>> {
        site.pages()
            .collect::<Vec<_>>()
            .into_par_iter()
            .map(|(id, _)| theme.tera.render("page.html", &contexts.page(id)))
            .collect()
    };
    let (results, (view_files, view_diags)) = rayon::join(render_pages, || print_views::render(&contexts));
    let mut out = OutputMap::new();
    for ((id, site_page), result) in site.pages().zip(results) {
        match result {
            Ok(html) => {
                out.insert(site_page.page.output.clone(), html.into_bytes());
            }
            Err(err) => diags.push(
                Diagnostic::error(
                    site.file(id),
                    0,
                    0,
                    format!("the theme could not render this page: {}", tera_error_text(&err)),
                )
                .with_hint(
                    "the page's template (page.html or a template it extends) has an error; check --theme overrides",
                ),
            ),
        }
    }
    out.extend(view_files);
    diags.extend(view_diags);
    let history_pages = history::render_versions(&contexts)
        .into_iter()
        .chain(has_change_list(site).then(|| history::render_change_list(&contexts)));
    for result in history_pages {
        match result {
            Ok((path, html)) => {
                out.insert(path, html);
            }
            Err(d) => diags.push(d),
        }
    }
    if !out.contains_key(STATEMENT_OUTPUT) {
        match statement::render(&contexts) {
            Ok(html) => {
                out.insert(STATEMENT_OUTPUT.to_string(), html.into_bytes());
            }
            Err(d) => diags.push(d),
        }
    }
    for (path, bytes) in &theme.assets {
        out.insert(path.clone(), bytes.clone());
    }
    for asset in &site.assets {
        out.insert(asset.output.clone(), asset.bytes.clone());
    }
    out
}
