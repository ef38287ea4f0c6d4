//! Stage 4: site model + rendered Markdown + theme → an in-memory map of output path → bytes.
//! Every page gets its navigation (section tree with the current branch open, breadcrumbs,
//! previous/next), contents list and document information, with links relative to itself.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::content::{Content, Page};
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::links::{relative_href, root_prefix};
use crate::markdown::{Heading, Rendered};
use crate::site::SiteModel;
use crate::theme::{tera_error_text, Theme};

/// The output of a build before it is written: path (relative, `/`-separated) → bytes.
pub type OutputMap = BTreeMap<String, Vec<u8>>;

/// A page's contents list appears from this many second-level headings.
pub const TOC_MIN_HEADINGS: usize = 3;

/// The generated accessibility statement's output path. A content page with the same output
/// path replaces it (the footer link then leads to that page).
pub const STATEMENT_OUTPUT: &str = "tillganglighetsredogorelse.html";

#[derive(Serialize)]
struct SiteContext<'a> {
    title: &'a str,
    organisation: &'a str,
    owner: Option<&'a str>,
    description: Option<&'a str>,
}

#[derive(Serialize)]
struct NavItem {
    title: String,
    href: String,
    current: bool,
    open: bool,
    children: Vec<NavItem>,
}

#[derive(Serialize)]
struct LinkContext {
    title: String,
    href: String,
}

#[derive(Serialize)]
struct MetaItem {
    label: String,
    value: String,
}

#[derive(Serialize)]
struct PageContext<'a> {
    title: &'a str,
    description: Option<&'a str>,
    content: &'a str,
    toc: Vec<&'a Heading>,
    meta: Vec<MetaItem>,
    output: &'a str,
    source: &'a str,
    is_start: bool,
    print_pages: Option<u32>,
    form_count: usize,
}

/// Render every page with the theme's `page.html`. Template errors become diagnostics.
pub fn render_site(
    content: &Content,
    site: &SiteModel,
    rendered: &[Rendered],
    theme: &Theme,
    views: &[crate::print::PrintView],
    diags: &mut Diagnostics,
) -> OutputMap {
    let config = &content.config;
    let site_ctx = SiteContext {
        title: &config.title,
        organisation: &config.organisation,
        owner: config.owner.as_deref(),
        description: config.description.as_deref(),
    };
    let mut base = tera::Context::new();
    base.insert("site", &site_ctx);
    base.insert("lang", &config.language);
    base.insert("t", &theme.strings);
    base.insert("statement_href", STATEMENT_OUTPUT);

    // A print view gets its first page's context (root, footer) to extend base.html, but it is
    // not that page: the navigation marks no page as current and breadcrumbs and neighbours go.
    let first_page_context = |i: usize| {
        let page = &content.pages[i];
        let mut ctx = page_context(i, page, content, site, &rendered[i], theme, &base);
        let here = page.output.rsplit_once('/').map_or("", |(d, _)| d);
        ctx.insert(
            "nav",
            &nav_items(site.root, usize::MAX, &site.ancestors(i), content, site, here),
        );
        ctx.insert("breadcrumbs", &Vec::<LinkContext>::new());
        ctx.insert("prev", &None::<LinkContext>);
        ctx.insert("next", &None::<LinkContext>);
        ctx.insert("is_print_view", &true);
        ctx
    };
    // Pages are independent: render them on every core, and the print views beside them (the
    // whole-handbook view is as large as all pages together). Results are collected in page
    // order so diagnostics come out the same on every run.
    let render_pages = || -> Vec<Result<String, tera::Error>> {
        content
            .pages
            .par_iter()
            .enumerate()
            .map(|(index, page)| {
                let mut context = page_context(index, page, content, site, &rendered[index], theme, &base);
                crate::print::add_page_context(&mut context, index, views, content, site);
                theme.tera.render("page.html", &context)
            })
            .collect()
    };
    let (results, (view_files, view_diags)) = rayon::join(render_pages, || {
        crate::print::render_views(views, content, rendered, theme, &first_page_context)
    });
    let mut out = OutputMap::new();
    for (page, result) in content.pages.iter().zip(results) {
        match result {
            Ok(html) => {
                out.insert(page.output.clone(), html.into_bytes());
            }
            Err(err) => diags.push(
                Diagnostic::error(
                    content.root.join(&page.source),
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
    if !out.contains_key(STATEMENT_OUTPUT) {
        render_statement(content, site, theme, &base, &mut out, diags);
    }
    for (path, bytes) in &theme.assets {
        out.insert(path.clone(), bytes.clone());
    }
    for asset in &content.assets {
        if out.contains_key(&asset.output) {
            diags.push(Diagnostic::error(
                content.root.join(&asset.source),
                0,
                0,
                format!("`{}` collides with a file the theme writes", asset.output),
            ));
        }
        out.insert(asset.output.clone(), asset.bytes.clone());
    }
    out
}

fn page_context(
    index: usize,
    page: &Page,
    content: &Content,
    site: &SiteModel,
    rendered: &Rendered,
    theme: &Theme,
    base: &tera::Context,
) -> tera::Context {
    let pages = &content.pages;
    let here = page.output.rsplit_once('/').map_or("", |(d, _)| d);
    let link = |i: usize| LinkContext {
        title: pages[i].front.title.clone(),
        href: relative_href(here, &pages[i].output),
    };
    let ancestors = site.ancestors(index);
    let h2s: Vec<&Heading> = rendered.headings.iter().filter(|h| h.level == 2).collect();
    let toc = if h2s.len() >= TOC_MIN_HEADINGS { h2s } else { Vec::new() };
    let page_ctx = PageContext {
        title: &page.front.title,
        description: page.front.description.as_deref(),
        content: &rendered.html,
        toc,
        meta: document_info(page, &theme.strings),
        output: &page.output,
        source: &page.source,
        is_start: index == site.root,
        print_pages: page.front.print_pages,
        form_count: rendered.form_count,
    };
    let mut ctx = base.clone();
    ctx.insert("root", &root_prefix(&page.output));
    ctx.insert("page", &page_ctx);
    ctx.insert("nav", &nav_items(site.root, index, &ancestors, content, site, here));
    ctx.insert("breadcrumbs", &ancestors.iter().map(|&i| link(i)).collect::<Vec<_>>());
    ctx.insert("prev", &site.previous(index).map(link));
    ctx.insert("next", &site.next(index).map(link));
    ctx
}

/// The section tree as seen from `current`: the start page and top-level entries, with the
/// branch that leads to the current page opened. Other branches stay closed, so a page's
/// navigation grows with the depth of the tree, not its size.
fn nav_items(
    root: usize,
    current: usize,
    ancestors: &[usize],
    content: &Content,
    site: &SiteModel,
    here: &str,
) -> Vec<NavItem> {
    let item = |i: usize, children: Vec<NavItem>| NavItem {
        title: content.pages[i].front.title.clone(),
        href: relative_href(here, &content.pages[i].output),
        current: i == current,
        open: ancestors.contains(&i) || i == current,
        children,
    };
    fn branch(
        i: usize,
        current: usize,
        ancestors: &[usize],
        site: &SiteModel,
        make: &dyn Fn(usize, Vec<NavItem>) -> NavItem,
    ) -> NavItem {
        let open = ancestors.contains(&i) || i == current;
        let children = if open {
            site.children[i]
                .iter()
                .map(|&c| branch(c, current, ancestors, site, make))
                .collect()
        } else {
            Vec::new()
        };
        make(i, children)
    }
    let mut items = vec![item(root, Vec::new())];
    items.extend(
        site.children[root]
            .iter()
            .map(|&c| branch(c, current, ancestors, site, &item)),
    );
    items
}

/// The document information block: only the fields the page gives.
fn document_info(page: &Page, strings: &BTreeMap<String, String>) -> Vec<MetaItem> {
    let f = &page.front;
    let fields = [
        ("decided", &f.decided),
        ("decided_by", &f.decided_by),
        ("valid", &f.valid),
        ("owner", &f.owner),
        ("revised", &f.revised),
    ];
    fields
        .into_iter()
        .filter_map(|(key, value)| {
            value.as_ref().map(|v| MetaItem {
                label: strings.get(key).cloned().unwrap_or_else(|| key.to_string()),
                value: v.clone(),
            })
        })
        .collect()
}

/// The accessibility statement (tillgänglighetsredogörelse) with its fixed structure, filled from
/// `accessibility:` in the site settings. Not part of the section tree; linked from every footer.
fn render_statement(
    content: &Content,
    site: &SiteModel,
    theme: &Theme,
    base: &tera::Context,
    out: &mut OutputMap,
    diags: &mut Diagnostics,
) {
    let title = theme
        .strings
        .get("accessibility_statement")
        .cloned()
        .unwrap_or_else(|| "Tillgänglighetsredogörelse".into());
    let here = "";
    let heading = |id: &str, key: &str| Heading {
        level: 2,
        id: id.to_string(),
        text: theme.strings.get(key).cloned().unwrap_or_else(|| key.to_string()),
    };
    let toc = [
        heading("hur-tillganglig", "statement_how_accessible"),
        heading("kontakt", "statement_feedback"),
        heading("tillsyn", "statement_supervision"),
        heading("teknisk-information", "statement_technical"),
        heading("hur-vi-testat", "statement_testing"),
    ];
    let page_ctx = PageContext {
        title: &title,
        description: None,
        content: "",
        toc: toc.iter().collect(),
        meta: Vec::new(),
        output: STATEMENT_OUTPUT,
        source: "",
        is_start: false,
        print_pages: None,
        form_count: 0,
    };
    let start = LinkContext {
        title: content.pages[site.root].front.title.clone(),
        href: relative_href(here, &content.pages[site.root].output),
    };
    let mut ctx = base.clone();
    ctx.insert("root", &root_prefix(STATEMENT_OUTPUT));
    ctx.insert("page", &page_ctx);
    ctx.insert("nav", &nav_items(site.root, usize::MAX, &[], content, site, here));
    ctx.insert("breadcrumbs", &vec![start]);
    ctx.insert("prev", &None::<LinkContext>);
    ctx.insert("next", &None::<LinkContext>);
    ctx.insert("statement", &content.config.accessibility);
    match theme.tera.render("accessibility.html", &ctx) {
        Ok(html) => {
            out.insert(STATEMENT_OUTPUT.to_string(), html.into_bytes());
        }
        Err(err) => diags.push(
            Diagnostic::error(
                "(theme)/templates/accessibility.html",
                0,
                0,
                format!(
                    "the theme could not render the accessibility statement: {}",
                    tera_error_text(&err)
                ),
            )
            .with_hint("check accessibility.html in --theme overrides"),
        ),
    }
}
