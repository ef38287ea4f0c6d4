//! The page history on the site: the "Senast ändrad" line of a page's document information,
//! the change list's entries by month (rendered by `publications`), and one
//! "Vad har ändrats?" page per compared version beside its page
//! (`<page>-andringar-<version>.html`, `version.html`).

use serde::Serialize;

use super::context::{Contexts, Here, LinkContext, MetaItem, PageContext};
use crate::compare::{BlockChange, BlockKind, Comparison, Part, Refused};
use crate::content::PageId;
use crate::diag::Diagnostic;
use crate::history::{ChangeKind, ListedChange, Version};
use crate::paths::relative_href;
use crate::plan::{version_output, CHANGES_OUTPUT};
use crate::theme::{tera_error_text, Strings};

/// The history lines of page `id`'s document information: a link to what changed on the
/// `revised` line when the page gives one, else a "Senast ändrad" line from Git; in a preview,
/// "ändrad, ej incheckad" for uncommitted edits.
pub(super) fn document_info(contexts: &Contexts<'_>, id: PageId, meta: &mut Vec<MetaItem>, here: Here<'_>) {
    let site = contexts.site;
    let strings = &contexts.theme.strings;
    let page = &site.page(id).page;
    let Some(history) = contexts.plan.history.history.page(&page.source) else {
        return;
    };
    let link = history.latest.map(|v| LinkContext {
        title: strings.text("history_what_changed").to_string(),
        href: relative_href(
            here.dir,
            &version_output(&page.output, &contexts.plan.history.history.versions[v].id),
        ),
    });
    if history.uncommitted {
        meta.push(MetaItem::new(
            strings.text("history_last_changed"),
            strings.text("history_uncommitted"),
            None,
            link,
        ));
    } else if let Some(revised) = meta.iter_mut().find(|m| m.shows_key("revised")) {
        revised.link = link;
    } else if let Some(commit) = &history.last_changed {
        meta.push(MetaItem::new(
            strings.text("history_last_changed"),
            &commit.date,
            Some(strings.text("history_from_git").to_string()),
            link,
        ));
    } else if let Some(start) = history
        .before_copy
        .then_some(contexts.plan.history.history.truncated_at.as_ref())
        .flatten()
    {
        // A shallow clone: the page's last change is older than the copy's history.
        meta.push(MetaItem::new(
            strings.text("history_last_changed"),
            &format!("{start} {}", strings.text("history_or_earlier")),
            Some(strings.text("history_before_copy").to_string()),
            None,
        ));
    }
}

#[derive(Serialize)]
pub(super) struct Entry<'a> {
    date: &'a str,
    title: String,
    href: Option<String>,
    /// What happened, in words ("ändrad").
    kind: &'a str,
    /// What happened, as a class name suffix ("history_modified").
    kind_key: &'static str,
    summary: &'a str,
    diff_href: Option<String>,
}

#[derive(Serialize)]
pub(super) struct Month<'a> {
    pub(super) id: String,
    pub(super) heading: String,
    pub(super) entries: Vec<Entry<'a>>,
}

/// `changes` grouped by the month of their commit, newest first.
pub(super) fn months<'a>(contexts: &Contexts<'_>, strings: &'a Strings, changes: &'a [ListedChange]) -> Vec<Month<'a>> {
    let months_names = strings.list("months");
    let mut months: Vec<Month<'_>> = Vec::new();
    for change in changes {
        let month = &change.commit.date[..7.min(change.commit.date.len())];
        if months.last().is_none_or(|m| m.id != format!("m-{month}")) {
            let number: usize = month.get(5..7).and_then(|m| m.parse().ok()).unwrap_or(0);
            let name = number
                .checked_sub(1)
                .and_then(|n| months_names.get(n))
                .map_or("", String::as_str);
            months.push(Month {
                id: format!("m-{month}"),
                heading: format!("{name} {}", month.get(..4).unwrap_or("")),
                entries: Vec::new(),
            });
        }
        let entry = entry(contexts, strings, change);
        months.last_mut().expect("a month was pushed").entries.push(entry);
    }
    months
}

pub(super) fn entry<'a>(contexts: &Contexts<'_>, strings: &'a Strings, change: &'a ListedChange) -> Entry<'a> {
    let site = contexts.site;
    let page = change.page.as_deref().and_then(|p| site.page_at_source(p));
    let (title, href) = match page {
        Some(id) => {
            let page = &site.page(id).page;
            (page.front.title.clone(), Some(page.output.clone()))
        }
        None => (change.old_title.clone().unwrap_or_else(|| change.path.clone()), None),
    };
    let diff_href = page.zip(change.version).map(|(id, v)| {
        version_output(
            &site.page(id).page.output,
            &contexts.plan.history.history.versions[v].id,
        )
    });
    Entry {
        date: &change.commit.date,
        title,
        href,
        kind: strings.text(kind_key(&change.kind)),
        kind_key: kind_key(&change.kind),
        summary: &change.commit.summary,
        diff_href,
    }
}

pub(super) fn kind_key(kind: &ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "history_added",
        ChangeKind::Modified => "history_modified",
        ChangeKind::Renamed { .. } => "history_renamed",
        ChangeKind::Deleted => "history_deleted",
    }
}

/// A block of the comparison as the template shows it.
#[derive(Serialize)]
struct BlockView<'a> {
    tag: &'static str,
    class: &'static str,
    change: BlockChange,
    parts: &'a [Part],
    folded_before: usize,
    /// Code: shown with its lines and exact characters, never hyphenated.
    code: bool,
}

/// Consecutive list items, or one other block.
#[derive(Serialize)]
struct Group<'a> {
    list: bool,
    blocks: Vec<BlockView<'a>>,
}

#[derive(Serialize)]
struct VersionContext<'a> {
    page_title: &'a str,
    page_href: String,
    date: Option<&'a str>,
    summary: Option<&'a str>,
    previous_date: Option<&'a str>,
    renamed_from: Option<&'a str>,
    groups: Vec<Group<'a>>,
    folded_after: usize,
    added: usize,
    removed: usize,
    changed: usize,
    changes_href: Option<String>,
    /// The previous version could not be shown as a page, and why.
    old_refused: Option<Refused>,
    /// This version could not be shown as a page, and why.
    new_refused: Option<Refused>,
}

/// Render the comparison pages of the pages `wanted` with `version.html`.
pub(super) fn render_versions(
    contexts: &Contexts<'_>,
    wanted: impl Fn(PageId) -> bool + Sync,
) -> Vec<Result<(String, Vec<u8>), Diagnostic>> {
    let site = contexts.site;
    use rayon::prelude::*;
    contexts
        .plan
        .version_pages(site)
        .into_par_iter()
        .filter(|(_, _, id)| wanted(*id))
        .map(|(output, v, id)| {
            let version = &contexts.plan.history.history.versions[v];
            let comparison = &contexts.plan.history.comparisons[v];
            render_version(contexts, (&output, id), version, comparison).map(|html| (output, html.into_bytes()))
        })
        .collect()
}

fn render_version(
    contexts: &Contexts<'_>,
    (output, id): (&str, PageId),
    version: &Version,
    comparison: &Comparison,
) -> Result<String, Diagnostic> {
    let site = contexts.site;
    let page = &site.page(id).page;
    let here = Here {
        page: id,
        current: false,
        listing: false,
        dir: page.output_dir(),
    };
    let title = contexts.theme.strings.text("history_what_changed");
    let view = VersionContext {
        page_title: &page.front.title,
        page_href: relative_href(here.dir, &page.output),
        date: version.commit.as_ref().map(|c| c.date.as_str()),
        summary: version.commit.as_ref().map(|c| c.summary.as_str()),
        previous_date: version.previous_date.as_deref(),
        renamed_from: match &version.kind {
            ChangeKind::Renamed { from } => Some(from),
            _ => None,
        },
        groups: groups(comparison),
        folded_after: comparison.folded_after,
        added: comparison.added,
        removed: comparison.removed,
        changed: comparison.changed,
        changes_href: contexts
            .plan
            .has_change_list(site)
            .then(|| relative_href(here.dir, CHANGES_OUTPUT)),
        old_refused: comparison.old_refused,
        new_refused: comparison.new_refused,
    };
    let page_ctx = PageContext {
        title,
        description: None,
        content: "",
        toc: Vec::new(),
        meta: Vec::new(),
        output,
        source: &page.source,
        is_start: false,
        print_pages: None,
        form_count: 0,
    };
    let tree = &site.tree;
    let mut crumbs: Vec<LinkContext> = tree.ancestors(id).into_iter().map(|a| contexts.link(a, here)).collect();
    crumbs.push(contexts.link(id, here));
    let mut ctx = contexts.base(output);
    ctx.insert("page", &page_ctx);
    ctx.insert("nav", &contexts.nav(here));
    ctx.insert("breadcrumbs", &crumbs);
    ctx.insert("version", &view);
    render(contexts, "version.html", &ctx)
}

fn groups(comparison: &Comparison) -> Vec<Group<'_>> {
    let mut groups: Vec<Group<'_>> = Vec::new();
    for shown in &comparison.shown {
        let block = &shown.block;
        let (tag, class, list) = match block.kind {
            BlockKind::Title => ("p", "diff-title", false),
            BlockKind::Lead => ("p", "diff-lead", false),
            BlockKind::Meta => ("p", "diff-meta", false),
            // Folding may leave out the heading above a shown one, so the page's headings are
            // shown as bold paragraphs: the comparison's own outline never skips a level.
            BlockKind::Heading(_) => ("p", "diff-heading", false),
            BlockKind::Paragraph => ("p", "diff-text", false),
            BlockKind::ListItem => ("li", "diff-item", true),
            BlockKind::Row => ("p", "diff-row", false),
            BlockKind::Code => ("pre", "diff-code", false),
        };
        let view = BlockView {
            tag,
            class,
            change: block.change,
            parts: &block.parts,
            folded_before: shown.folded_before,
            code: block.kind == BlockKind::Code,
        };
        match groups.last_mut() {
            Some(g) if list && g.list && shown.folded_before == 0 => g.blocks.push(view),
            _ => groups.push(Group {
                list,
                blocks: vec![view],
            }),
        }
    }
    groups
}

pub(super) fn render(contexts: &Contexts<'_>, template: &str, ctx: &tera::Context) -> Result<String, Diagnostic> {
    contexts.theme.tera.render(template, ctx).map_err(|err| {
        Diagnostic::error(
            format!("(theme)/templates/{template}"),
            0,
            0,
            crate::diag::Message::new("render_theme_failed_template")
                .arg("template", template)
                .arg("reason", tera_error_text(&err)),
        )
        .with_hint(crate::diag::Message::new("render_check_template").arg("template", template))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_pages_sit_beside_their_page() {
        assert_eq!(
            version_output("medarbetarsamtal/lonesamtal.html", "0123456789"),
            "medarbetarsamtal/lonesamtal-andringar-0123456789.html"
        );
    }
}
