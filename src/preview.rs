//! The preview of one page's unsaved text, through the build's own stages: the text is parsed
//! by [`content::load_page`] (front matter), rendered by [`markdown::render`], put in place of
//! the page in the last build's [`Workspace`], checked by [`validate::run`] and laid out by the
//! page template ([`render::render_page`]); the rest of the site is as last built. Afterwards
//! the workspace gets its page back. There is no second renderer.

use std::path::Path;

use crate::content::{self, PageId};
use crate::diag::{Diagnostic, Diagnostics, Message};
use crate::site::SitePage;
use crate::text::Typography;
use crate::{markdown, render, validate, Workspace};

/// What the preview of unsaved text gives.
#[derive(Debug, Clone)]
pub struct Preview {
    /// The page as the build would write it; `None` when the text has errors (the editor keeps
    /// showing the last preview that had none, as `serve` keeps the last good site).
    pub html: Option<String>,
    /// Errors and warnings about this page, the same as `handbok check` gives for it.
    pub diagnostics: Vec<Diagnostic>,
    /// Errors and warnings about the files that are not pages (`site.yml`, the synonyms):
    /// they concern the whole handbook, so the editor shows them once, apart from the page's.
    pub site: Vec<Diagnostic>,
}

/// Preview `text` as the page at `source`. `None` when the workspace has no such page (a page
/// created since the last build).
pub fn preview(workspace: &mut Workspace, source: &str, text: &str) -> Option<Preview> {
    let id = workspace.site.page_at_source(source)?;
    let path = workspace.site.file(id);
    let (mut page, text, problem) = content::load_page(&path, source.to_string(), text.as_bytes().to_vec());
    // As `content::load` does for every page: titles get the language's quotes.
    let language = workspace.site.config.language.clone();
    page.front.title = Typography::text(&language, &page.front.title);
    page.front.description = page
        .front
        .description
        .as_deref()
        .map(|d| Typography::text(&language, d));
    let markdown = markdown::render(
        &markdown::Source {
            page: &page,
            text: &text,
            path: &path,
        },
        &workspace.theme,
    );
    let mut found: Vec<Diagnostic> = problem.into_iter().chain(markdown.diagnostics).collect();
    let unsaved = SitePage {
        page,
        rendered: markdown.rendered,
    };
    let saved_page = workspace.site.replace_page(id, unsaved);
    let saved_views = std::mem::take(&mut workspace.plan.print_views);
    workspace.plan.replan_print_views(&workspace.site);
    let saved_text = workspace.sources.replace(id, text);
    let mut site = Vec::new();
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        check_and_render(workspace, id, &path, &mut found, &mut site)
    }));
    workspace.site.replace_page(id, saved_page);
    workspace.plan.print_views = saved_views;
    workspace.sources.replace(id, saved_text);
    let html = result.unwrap_or_else(|_| {
        found.push(Diagnostic::error(&path, 0, 0, Message::new("preview_internal_error")));
        None
    });
    let mut diagnostics = Diagnostics::new();
    diagnostics.extend(found);
    Some(Preview {
        html,
        diagnostics: diagnostics.sorted(),
        site,
    })
}

/// Run the site's checks, keep what concerns this page (and, apart, the files that are not
/// pages), and render the page if it has no error.
fn check_and_render(
    workspace: &Workspace,
    id: PageId,
    path: &Path,
    found: &mut Vec<Diagnostic>,
    site: &mut Vec<Diagnostic>,
) -> Option<String> {
    let mut all = Diagnostics::new();
    validate::run(
        &workspace.site,
        &workspace.plan,
        &workspace.sources,
        &workspace.theme,
        &mut all,
    );
    for d in all.sorted() {
        if d.path == path {
            found.push(d);
        } else if d.path.extension().is_none_or(|e| e != "md") {
            site.push(d);
        }
    }
    if found.iter().any(Diagnostic::is_error) {
        return None;
    }
    match render::render_page(&workspace.site, &workspace.plan, &workspace.theme, id) {
        Ok(html) => Some(html),
        Err(error) => {
            found.push(Diagnostic::error(
                path,
                0,
                0,
                Message::new("preview_render_failed").arg("reason", error),
            ));
            None
        }
    }
}
