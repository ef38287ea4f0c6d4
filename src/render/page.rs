//! The context of a content page for `page.html`: the page, its document information (with
//! its history lines), the menu, breadcrumbs, neighbours, print links and year wheel. Built
//! from `context` (the builders every template shares) and `history` (the history lines), so
//! neither of those needs the other.

use super::context::{document_info, Contexts, Here, LinkContext, PageContext, TOC_MIN_HEADINGS};
use crate::content::PageId;
use crate::markdown::Heading;

impl Contexts<'_> {
    /// Everything `page.html` needs to render page `id`.
    pub(super) fn page(&self, id: PageId) -> tera::Context {
        let site_page = self.site.page(id);
        let page = &site_page.page;
        let rendered = &site_page.rendered;
        let here = Here {
            page: id,
            current: true,
            listing: false,
            dir: page.output_dir(),
        };
        let h2s: Vec<&Heading> = rendered.headings.iter().filter(|h| h.level == 2).collect();
        let mut meta = document_info(page, &self.theme.strings);
        super::history::document_info(self, id, &mut meta, here);
        let page_ctx = PageContext {
            title: &page.front.title,
            description: page.front.description.as_deref(),
            content: &rendered.html,
            toc: if h2s.len() >= TOC_MIN_HEADINGS { h2s } else { Vec::new() },
            meta,
            output: &page.output,
            source: &page.source,
            is_start: id == self.site.tree.root(),
            print_pages: page.front.print_pages,
            form_count: rendered.form_count,
        };
        let tree = &self.site.tree;
        let mut ctx = self.base(&page.output);
        ctx.insert("page", &page_ctx);
        ctx.insert("nav", &self.nav(here));
        let crumbs: Vec<LinkContext> = tree.ancestors(id).into_iter().map(|a| self.link(a, here)).collect();
        ctx.insert("breadcrumbs", &crumbs);
        ctx.insert("prev", &tree.previous(id).map(|p| self.link(p, here)));
        ctx.insert("next", &tree.next(id).map(|p| self.link(p, here)));
        ctx.insert("print_links", &self.print_links(here));
        ctx.insert("year_wheel", &self.year_wheel(page));
        ctx.insert(
            "published_versions",
            &super::publications::page_versions(self, id, here),
        );
        ctx
    }
}
