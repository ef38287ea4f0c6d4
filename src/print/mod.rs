//! Print views: pages meant to be printed in one go, planned from the site's pages.
//!
//! - a talk's view, `<page>-utskrift.html` beside a page whose front matter lists
//!   `print_with: [other.md, …]`: that page followed by the listed pages (the guide and its form);
//! - the whole handbook, `utskrift.html` at the root: every page in reading order (up to
//!   [`HANDBOOK_VIEW_MAX_PAGES`] pages).
//!
//! Planning is here; `rewrite` makes a page's HTML fit inside a view (ids prefixed, links into
//! the view); the render stage draws views with the theme's `print-view.html`.

mod rewrite;

use crate::content::PageId;
use crate::paths::join_normalised;
use crate::site::Site;
pub use rewrite::{rewrite_part, Part};

/// The output path of the whole handbook's print view.
pub const HANDBOOK_VIEW: &str = "utskrift.html";

/// The whole handbook's print view is made for handbooks of up to this many pages. Past that
/// it would be a file of tens of megabytes that no browser prints (10,000 pages are some
/// 20,000 sheets), and every edit would have to render it again; a large site's readers print
/// a page or a talk's view instead.
pub const HANDBOOK_VIEW_MAX_PAGES: usize = 300;

/// One print view: its output path, title and the pages it holds, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrintView {
    /// Where it is written.
    pub output: String,
    /// Its title: the declaring page's, or the handbook's.
    pub title: String,
    /// The pages it holds, in print order.
    pub pages: Vec<PageId>,
    /// The page whose `print_with` declared it; `None` for the whole handbook.
    pub declared_by: Option<PageId>,
    /// Names in `print_with` that are not pages (reported by the validation stage).
    pub unresolved: Vec<String>,
}

impl PrintView {
    /// `true` for the whole handbook's view.
    pub fn is_handbook(&self) -> bool {
        self.declared_by.is_none()
    }

    /// The output folder the view is written to.
    pub fn output_dir(&self) -> &str {
        crate::paths::parent(&self.output)
    }
}

/// The talk views declared by `print_with`, then the handbook view titled `handbook_title` (for
/// a handbook of up to [`HANDBOOK_VIEW_MAX_PAGES`] pages).
pub fn plan(site: &Site, handbook_title: &str) -> Vec<PrintView> {
    let mut views = Vec::new();
    for (id, page) in site.pages() {
        let page = &page.page;
        let Some(with) = &page.front.print_with else { continue };
        let mut held = vec![id];
        let mut unresolved = Vec::new();
        for rel in with {
            let target = join_normalised(page.source_dir(), rel);
            match target.and_then(|t| site.page_at_source(&t)) {
                Some(i) if !held.contains(&i) => held.push(i),
                Some(_) => {}
                None => unresolved.push(rel.clone()),
            }
        }
        views.push(PrintView {
            output: page.output.replace(".html", "-utskrift.html"),
            title: page.front.title.clone(),
            pages: held,
            declared_by: Some(id),
            unresolved,
        });
    }
    if site.page_count() > HANDBOOK_VIEW_MAX_PAGES {
        return views;
    }
    views.push(PrintView {
        output: HANDBOOK_VIEW.to_string(),
        title: handbook_title.to_string(),
        pages: site.tree.reading_order().to_vec(),
        declared_by: None,
        unresolved: Vec::new(),
    });
    views
}
