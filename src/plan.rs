//! The output plan: what a build writes besides each page's own file, planned from the site
//! model and its history before anything is rendered. The generated outputs' names (the change
//! list, the accessibility statement, a comparison page per version, the lists of long
//! sections' pages), the print views, the history and comparisons those pages show, and the
//! map of output path → bytes. Validation (collisions with content files), render, output and
//! serve all read it here; none of them owns it.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::compare::SiteHistory;
use crate::content::PageId;
use crate::print::{self, PrintView};
use crate::site::Site;

/// The output of a build before it is written: path (relative, `/`-separated) → bytes.
pub type OutputMap = BTreeMap<String, Vec<u8>>;

/// The generated accessibility statement's output path. A content page with the same output
/// path replaces it (the footer link then leads to that page).
pub const STATEMENT_OUTPUT: &str = "tillganglighetsredogorelse.html";

/// The change list's output path ("Ändringar i handboken"), written when the content is in Git.
pub const CHANGES_OUTPUT: &str = "andringar.html";

/// The most pages one level of the menu lists; a section with more shows a window of this many
/// around the open page, and a link to the page that lists all of them.
pub const NAV_WINDOW: usize = 12;

/// The file name of a section's list of pages (`alla-sidor.html`, then `alla-sidor-2.html` …).
pub const SECTION_LIST_NAME: &str = "alla-sidor";

/// How many pages one page of a section's list links to.
pub const SECTION_LIST_PAGE: usize = 100;

/// What is planned from the site model beside its pages.
#[derive(Debug, Clone, Default)]
pub struct OutputPlan {
    /// The pages' history from Git and the comparisons of their versions.
    pub history: SiteHistory,
    /// Talk views and the whole handbook's view.
    pub print_views: Vec<PrintView>,
}

impl OutputPlan {
    /// Plan the outputs of `site` with its `history`.
    pub fn new(site: &Site, history: SiteHistory) -> OutputPlan {
        OutputPlan {
            history,
            print_views: print::plan(site, &site.config.title),
        }
    }

    /// Plan the print views again after a page's front matter changed (the editor's preview).
    pub fn replan_print_views(&mut self, site: &Site) {
        self.print_views = print::plan(site, &site.config.title);
    }

    /// Every comparison page: output path, index in the history's versions, and its page.
    pub fn version_pages(&self, site: &Site) -> Vec<(String, usize, PageId)> {
        self.history
            .history
            .versions
            .iter()
            .enumerate()
            .filter_map(|(i, v)| {
                let id = site.page_at_source(&v.page)?;
                Some((version_output(&site.page(id).page.output, &v.id), i, id))
            })
            .collect()
    }

    /// Whether the site has the change list page.
    pub fn has_change_list(&self, site: &Site) -> bool {
        self.history.history.in_git && site.config.history.changes > 0
    }
}

/// The output path of the comparison page of version `version_id` of the page at `page_output`.
pub fn version_output(page_output: &str, version_id: &str) -> String {
    let stem = page_output.strip_suffix(".html").unwrap_or(page_output);
    format!("{stem}-andringar-{version_id}.html")
}

/// The output path of part `number` (1-based) of the list of `section`'s pages.
pub fn section_list_output(site: &Site, section: PageId, number: usize) -> String {
    let dir = site.page(section).page.output_dir();
    let name = if number == 1 {
        format!("{SECTION_LIST_NAME}.html")
    } else {
        format!("{SECTION_LIST_NAME}-{number}.html")
    };
    if dir.is_empty() {
        name
    } else {
        format!("{dir}/{name}")
    }
}

/// Every list page the site gets: the sections whose pages do not fit in one level of the menu,
/// with each part of their list (section, part number from 1, output path).
pub fn section_list_pages(site: &Site) -> Vec<(PageId, usize, String)> {
    site.pages()
        .filter(|&(id, _)| site.tree.children(id).len() > NAV_WINDOW)
        .flat_map(|(id, _)| {
            let parts = site.tree.children(id).len().div_ceil(SECTION_LIST_PAGE);
            (1..=parts).map(move |n| (id, n, section_list_output(site, id, n)))
        })
        .collect()
}

/// One output's bytes, shared: cloning one is a reference count, not a copy. `serve` keeps its
/// session's outputs and the site it serves as maps of these, so the two share every file
/// instead of holding the site twice.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SharedOutput(Arc<Vec<u8>>);

impl SharedOutput {
    /// The bytes back as a vector: no copy when nothing else holds them (a one-shot build).
    pub fn into_vec(self) -> Vec<u8> {
        Arc::try_unwrap(self.0).unwrap_or_else(|shared| shared.as_ref().clone())
    }
}

impl From<Vec<u8>> for SharedOutput {
    /// Kept as long as `serve` runs, so without the room a template's output grew into
    /// (without a copy for a large file: its pages are given back).
    fn from(mut bytes: Vec<u8>) -> SharedOutput {
        bytes.shrink_to_fit();
        SharedOutput(Arc::new(bytes))
    }
}

impl std::ops::Deref for SharedOutput {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.0
    }
}

impl AsRef<[u8]> for SharedOutput {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl PartialEq<Vec<u8>> for SharedOutput {
    fn eq(&self, other: &Vec<u8>) -> bool {
        *self.0 == *other
    }
}

/// An [`OutputMap`] whose files are shared ([`SharedOutput`]).
pub type SharedOutputMap = BTreeMap<String, SharedOutput>;
