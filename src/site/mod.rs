//! Stage 3: the site model. One [`Site`] value assembled once from the content and the
//! rendered pages: every page with its rendered body ([`SitePage`], addressed by [`PageId`]),
//! the section tree, the assets and the synonyms. Later stages take it by reference; what is
//! planned from it (history, comparisons, print views, output names) is `crate::plan`.

mod tree;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
pub use crate::content::PageId;
use crate::content::{Asset, Content, Page, Sources};
use crate::markdown::Rendered;
use crate::synonyms::Synonyms;
pub use tree::{sibling_order, SectionTree};

/// A page and what its Markdown became.
#[derive(Debug, Clone)]
pub struct SitePage {
    /// Front matter and paths.
    pub page: Page,
    /// HTML, headings, links.
    pub rendered: Rendered,
}

/// The whole site, as the validation, search and render stages see it.
#[derive(Debug, Clone)]
pub struct Site {
    /// The content folder, for naming files in diagnostics.
    pub root: PathBuf,
    /// The site settings.
    pub config: SiteConfig,
    pages: Vec<SitePage>,
    /// The section tree.
    pub tree: SectionTree,
    /// Files to copy unchanged.
    pub assets: Vec<Asset>,
    /// The search synonyms HR keeps in `synonymer.yml`.
    pub synonyms: Synonyms,
    by_output: HashMap<String, PageId>,
    by_source: HashMap<String, PageId>,
}

impl Site {
    /// Put the content and the rendered pages (`rendered[i]` for `content.pages[i]`) together.
    /// The source texts come back apart: only validation needs them.
    pub fn assemble(content: Content, rendered: Vec<Rendered>) -> (Site, Sources) {
        let Content {
            root,
            config,
            pages,
            sources,
            assets,
            synonyms,
        } = content;
        let tree = SectionTree::build(&pages);
        let mut by_output = HashMap::with_capacity(pages.len());
        let mut by_source = HashMap::with_capacity(pages.len());
        for (i, page) in pages.iter().enumerate() {
            // Two pages with one output path are an error already; the first keeps the name.
            by_output.entry(page.output.clone()).or_insert(PageId(i));
            by_source.insert(page.source.clone(), PageId(i));
        }
        let pages = pages
            .into_iter()
            .zip(rendered)
            .map(|(page, rendered)| SitePage { page, rendered })
            .collect();
        let site = Site {
            root,
            config,
            pages,
            tree,
            assets,
            synonyms,
            by_output,
            by_source,
        };
        (site, sources)
    }

    /// Replace what page `id`'s Markdown became, after an edit of its text only.
    pub(crate) fn set_rendered(&mut self, id: PageId, rendered: Rendered) {
        self.pages[id.0].rendered = rendered;
    }

    /// The site without its pages' HTML (their front matter, the tree, the settings and the
    /// synonyms kept): what the search index is built from, a small copy to build it from
    /// while the site itself is used for other work.
    pub fn outline(&self) -> Site {
        Site {
            root: self.root.clone(),
            config: self.config.clone(),
            pages: self
                .pages
                .iter()
                .map(|p| SitePage {
                    page: p.page.clone(),
                    rendered: Rendered::default(),
                })
                .collect(),
            tree: self.tree.clone(),
            assets: Vec::new(),
            synonyms: self.synonyms.clone(),
            by_output: self.by_output.clone(),
            by_source: self.by_source.clone(),
        }
    }

    /// Page `id`.
    pub fn page(&self, id: PageId) -> &SitePage {
        &self.pages[id.0]
    }

    /// Every page with its id, in source path order.
    pub fn pages(&self) -> impl Iterator<Item = (PageId, &SitePage)> {
        self.pages.iter().enumerate().map(|(i, p)| (PageId(i), p))
    }

    /// Put `page` in place of page `id` (same source path) and build the tree again, as the
    /// editor's preview of unsaved text does; returns the page it replaced.
    pub fn replace_page(&mut self, id: PageId, page: SitePage) -> SitePage {
        let old = std::mem::replace(&mut self.pages[id.0], page);
        let pages: Vec<Page> = self.pages.iter().map(|p| p.page.clone()).collect();
        self.tree = SectionTree::build(&pages);
        old
    }

    /// How many pages there are.
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// The page written to `output` (a path from the site root).
    pub fn page_at_output(&self, output: &str) -> Option<PageId> {
        self.by_output.get(output).copied()
    }

    /// The page read from `source` (a path from the content folder).
    pub fn page_at_source(&self, source: &str) -> Option<PageId> {
        self.by_source.get(source).copied()
    }

    /// The file of page `id`, as diagnostics name it.
    pub fn file(&self, id: PageId) -> PathBuf {
        self.root.join(&self.page(id).page.source)
    }

    /// The content folder.
    pub fn content_root(&self) -> &Path {
        &self.root
    }
}

/// A site from inline files, for unit tests of the stages after assembly.
#[cfg(test)]
pub(crate) fn test_site(files: &[(&str, &str)]) -> Site {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let mut diags = crate::diag::Diagnostics::new();
    let content = crate::content::load(dir.path(), &mut diags).unwrap();
    let theme = crate::theme::Theme::builtin("sv").unwrap();
    let rendered = content
        .pages()
        .map(|(id, page)| {
            let path = content.root.join(&page.source);
            let source = crate::markdown::Source {
                page,
                text: content.sources.text(id),
                path: &path,
            };
            crate::markdown::render(&source, &theme).rendered
        })
        .collect();
    Site::assemble(content, rendered).0
}
