//! What was in force when, on the site: "Ändringar i handboken" grouped by publication (each
//! with its date, its sentence and the pages it changed), and a page's published versions with
//! the dates each was in force and a link to what changed. The data comes from
//! `history::publications`; a handbook that never published has neither and its change list
//! ([`CHANGES_OUTPUT`], `changes.html`) is grouped by months as before.

use serde::Serialize;

use super::context::{Contexts, Here};
use super::history::{entry, kind_key, months, render, Entry, Month};
use crate::content::PageId;
use crate::diag::Diagnostic;
use crate::paths::relative_href;
use crate::plan::{version_output, CHANGES_OUTPUT};

/// A part of the grouped change list: a publication, the changes not published yet, or those
/// before the first publication (shown by month).
#[derive(Serialize)]
struct Group<'a> {
    id: String,
    heading: String,
    /// The publication's sentence.
    sentence: Option<&'a str>,
    entries: Vec<Entry<'a>>,
    /// Months below the heading (for the changes before the first publication).
    months: Vec<Month<'a>>,
}

/// Render the change list with `changes.html`.
pub(super) fn render_change_list(contexts: &Contexts<'_>) -> Result<(String, Vec<u8>), Diagnostic> {
    let strings = &contexts.theme.strings;
    let history = &contexts.plan.history.history;
    let mut ctx = contexts.outside_tree(strings.text("history_changes_title"), Vec::new(), CHANGES_OUTPUT);
    if history.publications.list.is_empty() {
        ctx.insert("months", &months(contexts, strings, &history.changes));
    } else {
        change_list(contexts, &mut ctx);
    }
    ctx.insert("truncated_at", &history.truncated_at);
    render(contexts, "changes.html", &ctx).map(|html| (CHANGES_OUTPUT.to_string(), html.into_bytes()))
}

/// Put the grouped change list into the context of `changes.html` (as `groups`).
pub(super) fn change_list(contexts: &Contexts<'_>, ctx: &mut tera::Context) {
    let strings = &contexts.theme.strings;
    let publications = &contexts.plan.history.history.publications;
    let mut groups: Vec<Group<'_>> = Vec::new();
    if !publications.unpublished.is_empty() {
        groups.push(Group {
            id: "ej-publicerat".to_string(),
            heading: strings.text("published_not_yet").to_string(),
            sentence: None,
            entries: publications
                .unpublished
                .iter()
                .map(|c| entry(contexts, strings, c))
                .collect(),
            months: Vec::new(),
        });
    }
    for publication in &publications.list {
        groups.push(Group {
            id: format!("publicering-{}", short(&publication.commit.id)),
            heading: format!("{} {}", strings.text("published_on"), publication.commit.date),
            sentence: Some(&publication.commit.summary),
            entries: publication.pages.iter().map(|c| entry(contexts, strings, c)).collect(),
            months: Vec::new(),
        });
    }
    if !publications.earlier.is_empty() {
        groups.push(Group {
            id: "fore-forsta-publiceringen".to_string(),
            heading: strings.text("published_earlier").to_string(),
            sentence: None,
            entries: Vec::new(),
            months: months(contexts, strings, &publications.earlier),
        });
    }
    ctx.insert("groups", &groups);
}

/// One published version of a page as its page lists it.
#[derive(Serialize)]
pub(super) struct PublishedView<'a> {
    from: &'a str,
    /// `None`: in force now.
    until: Option<&'a str>,
    sentence: &'a str,
    /// What the publication did to the page, in words (`None`: first published as it was).
    kind: Option<&'a str>,
    /// Its comparison with the version before.
    diff_href: Option<String>,
}

/// The published versions of page `id`, newest first, with links relative to `here`.
pub(super) fn page_versions<'a>(contexts: &Contexts<'a>, id: PageId, here: Here<'_>) -> Vec<PublishedView<'a>> {
    let site = contexts.site;
    let strings = &contexts.theme.strings;
    let page = &site.page(id).page;
    let history = &contexts.plan.history.history;
    history
        .published(&page.source)
        .iter()
        .map(|v| PublishedView {
            from: &v.publication.date,
            until: v.until.as_deref(),
            sentence: &v.publication.summary,
            kind: v.kind.as_ref().map(|k| strings.text(kind_key(k))),
            diff_href: v
                .version
                .and_then(|i| history.versions.get(i))
                .map(|version| relative_href(here.dir, &version_output(&page.output, &version.id))),
        })
        .collect()
}

fn short(id: &str) -> String {
    id.chars().take(10).collect()
}
