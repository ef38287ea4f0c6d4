//! The template context: what `base.html`, `page.html`, `print-view.html` and
//! `accessibility.html` see. One [`Contexts`] value builds every piece (navigation with the
//! current branch open, breadcrumbs, neighbours, document information, print links, the year
//! wheel) with links relative to the page being rendered.

use serde::Serialize;

use crate::content::{Page, PageId};
use crate::markdown::Heading;
use crate::paths::{relative_href, root_prefix};
use crate::plan::{section_list_output, OutputPlan, CHANGES_OUTPUT, NAV_WINDOW};
use crate::print::PrintView;
use crate::site::Site;
use crate::text::format_count;
use crate::theme::{Strings, Theme};
use crate::year_wheel::{self, YearWheel};

/// A page's contents list appears from this many second-level headings.
pub const TOC_MIN_HEADINGS: usize = 3;

#[derive(Serialize)]
struct SiteContext<'a> {
    title: &'a str,
    organisation: &'a str,
    owner: Option<&'a str>,
    description: Option<&'a str>,
    /// `brand:` gives colours: pages load the generated `assets/brand.css`.
    brand_colours: bool,
    /// The brand's logo: its output path from the site root, and its text alternative.
    logo: Option<Logo<'a>>,
}

#[derive(Serialize)]
struct Logo<'a> {
    src: String,
    alt: &'a str,
}

/// One entry of the section tree in the menu.
#[derive(Serialize)]
pub(super) struct NavItem {
    title: String,
    href: String,
    current: bool,
    open: bool,
    /// A link to the full list of a section's pages, after a window of them.
    more: bool,
    children: Vec<NavItem>,
}

/// A link to another page: its title and a relative href.
#[derive(Serialize)]
pub(super) struct LinkContext {
    pub title: String,
    pub href: String,
}

/// One line of the document information block.
#[derive(Serialize)]
pub(super) struct MetaItem {
    /// The front matter key the line shows (`revised`), none for a line made from elsewhere.
    #[serde(skip)]
    key: Option<&'static str>,
    label: String,
    value: String,
    /// Where the value comes from, when that is not the page itself.
    note: Option<String>,
    /// A link after the value ("Vad har ändrats?").
    pub link: Option<LinkContext>,
}

impl MetaItem {
    pub(super) fn new(label: &str, value: &str, note: Option<String>, link: Option<LinkContext>) -> MetaItem {
        MetaItem {
            key: None,
            label: label.to_string(),
            value: value.to_string(),
            note,
            link,
        }
    }

    /// The line showing front matter key `key`, found by the key, never by its translated label.
    pub(super) fn shows_key(&self, key: &str) -> bool {
        self.key == Some(key)
    }
}

/// A print view that holds a page, as a link on that page.
#[derive(Serialize)]
pub(super) struct PrintLink {
    href: String,
    /// The whole handbook's view.
    handbook: bool,
    /// The titles of the pages in a talk's view (not listed for the whole handbook).
    titles: Vec<String>,
}

/// What templates know about the page being rendered as `page`.
#[derive(Serialize)]
pub(super) struct PageContext<'a> {
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub content: &'a str,
    pub toc: Vec<&'a Heading>,
    pub meta: Vec<MetaItem>,
    pub output: &'a str,
    pub source: &'a str,
    pub is_start: bool,
    pub print_pages: Option<u32>,
    pub form_count: usize,
}

/// Builds template contexts for one site and theme.
pub(super) struct Contexts<'a> {
    pub site: &'a Site,
    pub plan: &'a OutputPlan,
    pub theme: &'a Theme,
    /// What every page shares: the site, the language, the strings.
    base: tera::Context,
}

/// The page being rendered, for what depends on where it is.
#[derive(Clone, Copy)]
pub(super) struct Here<'a> {
    /// The page whose branch of the menu is open (and which is marked current, if `current`).
    pub page: PageId,
    pub current: bool,
    /// A list of `page`'s pages is being rendered: its branch is open and its "all pages" link
    /// is the current one.
    pub listing: bool,
    /// The output folder links are relative to.
    pub dir: &'a str,
}

impl<'a> Contexts<'a> {
    pub(super) fn new(site: &'a Site, plan: &'a OutputPlan, theme: &'a Theme, statement_href: &str) -> Contexts<'a> {
        let config = &site.config;
        let mut base = tera::Context::new();
        base.insert(
            "site",
            &SiteContext {
                title: &config.title,
                organisation: &config.organisation,
                owner: config.owner.as_deref(),
                description: config.description.as_deref(),
                brand_colours: config.brand.as_ref().is_some_and(|b| b.primary.is_some()),
                logo: config.brand.as_ref().and_then(|b| {
                    Some(Logo {
                        src: crate::paths::output_path(b.logo.as_deref()?),
                        alt: b.logo_alt.as_deref()?,
                    })
                }),
            },
        );
        base.insert("lang", &config.language);
        base.insert("t", &theme.strings);
        base.insert("statement_href", statement_href);
        let changes_href = plan.has_change_list(site).then_some(CHANGES_OUTPUT);
        base.insert("changes_href", &changes_href);
        Contexts {
            site,
            plan,
            theme,
            base,
        }
    }

    /// The shared context, with the root prefix for a file at `output`.
    pub(super) fn base(&self, output: &str) -> tera::Context {
        let mut ctx = self.base.clone();
        ctx.insert("root", &root_prefix(output));
        ctx
    }

    /// The context of a page handbok makes itself and keeps out of the menu (the change list,
    /// the accessibility statement): titled `title`, written at the root as `output`, with
    /// `toc` as its contents list. No page is current and no branch is open; the only crumb is
    /// the start page.
    pub(super) fn outside_tree(&self, title: &str, toc: Vec<&Heading>, output: &str) -> tera::Context {
        let page_ctx = PageContext {
            title,
            description: None,
            content: "",
            toc,
            meta: Vec::new(),
            output,
            source: "",
            is_start: false,
            print_pages: None,
            form_count: 0,
        };
        let root = self.site.tree.root();
        let here = Here {
            page: root,
            current: false,
            listing: false,
            dir: "",
        };
        let mut ctx = self.base(output);
        ctx.insert("page", &page_ctx);
        ctx.insert("nav", &self.nav(here));
        ctx.insert("breadcrumbs", &vec![self.link(root, here)]);
        ctx
    }

    /// A link from `here` to page `id`.
    pub(super) fn link(&self, id: PageId, here: Here<'_>) -> LinkContext {
        let page = &self.site.page(id).page;
        LinkContext {
            title: page.front.title.clone(),
            href: relative_href(here.dir, &page.output),
        }
    }

    /// The section tree as seen from `here`: the start page and top-level entries, with the
    /// branch that leads to `here.page` opened (the page's own children too when it is the
    /// current page). Other branches stay closed, and a level with more than [`NAV_WINDOW`]
    /// pages shows a window of them around the open one and a link to the section's full list,
    /// so a page's menu holds at most 2 + (NAV_WINDOW + 1) × (depth + 1) links whatever the
    /// site's size.
    pub(super) fn nav(&self, here: Here<'_>) -> Vec<NavItem> {
        let tree = &self.site.tree;
        let mut open = tree.ancestors(here.page);
        if here.current || here.listing {
            open.push(here.page);
        }
        let root = tree.root();
        let mut items = vec![self.nav_item(root, &open, here)];
        items.extend(self.nav_level(root, &open, here));
        items
    }

    /// The menu entries of `section`'s pages: all of them, or a window around the open one and a
    /// link to the full list.
    fn nav_level(&self, section: PageId, open: &[PageId], here: Here<'_>) -> Vec<NavItem> {
        let children = self.site.tree.children(section);
        let (shown, more) = window(children, open);
        let mut items: Vec<NavItem> = shown.iter().map(|&c| self.nav_item(c, open, here)).collect();
        if more {
            let list = self.section_list(section, here);
            items.push(NavItem {
                title: list.title,
                href: list.href,
                current: here.listing && here.page == section,
                open: false,
                more: true,
                children: Vec::new(),
            });
        }
        items
    }

    /// Page `id` in the menu, with its children when its branch is open.
    fn nav_item(&self, id: PageId, open: &[PageId], here: Here<'_>) -> NavItem {
        let tree = &self.site.tree;
        let is_open = open.contains(&id);
        let current = here.current && id == here.page;
        let children = if is_open && id != tree.root() {
            self.nav_level(id, open, here)
        } else {
            Vec::new()
        };
        let link = self.link(id, here);
        NavItem {
            title: link.title,
            href: link.href,
            current,
            open: is_open,
            more: false,
            children,
        }
    }

    /// The link to the list of all of `section`'s pages ("Alla 2 000 sidor i …").
    pub(super) fn section_list(&self, section: PageId, here: Here<'_>) -> LinkContext {
        LinkContext {
            title: self.section_list_title(section),
            href: relative_href(here.dir, &section_list_output(self.site, section, 1)),
        }
    }

    /// "Alla 2 000 sidor i Avsnitt": the title of `section`'s list of pages.
    pub(super) fn section_list_title(&self, section: PageId) -> String {
        let count = self.site.tree.children(section).len();
        let title = &self.site.page(section).page.front.title;
        self.theme
            .strings
            .text("section_list_title")
            .replace("{n}", &format_count(&self.site.config.language, count))
            .replace("{section}", title)
    }

    /// Print views that hold the page, talk views first; the whole handbook's view is offered
    /// on the start page and on section pages.
    pub(super) fn print_links(&self, here: Here<'_>) -> Vec<PrintLink> {
        let site = self.site;
        let page = &site.page(here.page).page;
        let offers = |v: &&PrintView| {
            if v.is_handbook() {
                here.page == site.tree.root() || page.is_index()
            } else {
                v.pages.contains(&here.page)
            }
        };
        self.plan
            .print_views
            .iter()
            .filter(offers)
            .map(|v| PrintLink {
                href: relative_href(here.dir, &v.output),
                handbook: v.is_handbook(),
                titles: if v.is_handbook() {
                    Vec::new()
                } else {
                    v.pages.iter().map(|&p| site.page(p).page.front.title.clone()).collect()
                },
            })
            .collect()
    }

    /// The page's year wheel laid out, when its front matter has a valid one.
    pub(super) fn year_wheel(&self, page: &Page) -> Option<YearWheel> {
        let periods = page.front.year_wheel.as_deref()?;
        let valid = !periods.is_empty() && periods.iter().all(|p| p.is_valid());
        valid.then(|| year_wheel::layout(periods, self.theme.strings.list("months")))
    }
}

/// The pages a menu level shows: all of `children` when they fit, else [`NAV_WINDOW`] of them
/// around the open one (the first ones when none is open), and whether there are more.
fn window<'c>(children: &'c [PageId], open: &[PageId]) -> (&'c [PageId], bool) {
    if children.len() <= NAV_WINDOW {
        return (children, false);
    }
    let at = children.iter().position(|c| open.contains(c)).unwrap_or(0);
    let start = at.saturating_sub(NAV_WINDOW / 2).min(children.len() - NAV_WINDOW);
    (&children[start..start + NAV_WINDOW], true)
}

/// The document information block: only the fields the page gives, labelled from the strings.
pub(super) fn document_info(page: &Page, strings: &Strings) -> Vec<MetaItem> {
    page.front
        .document_info()
        .into_iter()
        .map(|(key, value)| MetaItem {
            key: Some(key),
            ..MetaItem::new(strings.text(key), value, None, None)
        })
        .collect()
}
