//! What was in force when: the publications in the walk (commits whose message carries the
//! trailer `handbok publish` writes) and, from them, the change list grouped by publication and
//! each page's published versions with the dates they were in force.
//!
//! - A publication delivers every commit since the one before it, so a commit made by hand
//!   belongs to the next publication (the newest one that is not older than it).
//! - Commits before the first publication, and commits after the newest one (not delivered yet,
//!   in a build from `HEAD`), are listed by themselves, as in a handbook that never publishes.
//! - A page's published version is its text at a publication where that text differs from its
//!   text at the publication before; it is in force from that publication's date until the next
//!   such version's. Its comparison is against the previous published text, over every commit
//!   in between: readers never saw the texts of the commits between two publications.
//! - Only the commits are read, never the tags that mark a delivery, so the same commit always
//!   gives the same site (a delivery builds its commit before it is marked).
//! - Bounded by `history.changes`: at most that many entries in the grouped list (a
//!   publication counts at least one) and at most that many published versions per page.

use std::collections::HashMap;

use gix::hash::ObjectId;

use super::follow::{At, Followed};
use super::values::{ChangeKind, CommitInfo, Publication, Publications, PublishedVersion, PUBLISHED_SUFFIX};
use super::walk::{FileChange, Walk};
use super::{History, ListedChange, Version};

/// The walk's read access: a commit, a file change, a blob's text.
pub(super) struct Reader<'a> {
    pub walk: &'a Walk,
    pub followed: &'a Followed,
    pub blob: &'a dyn Fn(Option<ObjectId>) -> String,
}

impl Reader<'_> {
    fn file(&self, at: At) -> &FileChange {
        &self.walk.commits[at.commit].files[at.file]
    }

    fn commit(&self, index: usize) -> &CommitInfo {
        &self.walk.commits[index].commit
    }
}

/// Add the publications and every page's published versions to `history`. `add_version` adds
/// (or finds) the comparison of a page's `nth` change, as for the ungrouped change list.
pub(super) fn add(
    reader: &Reader<'_>,
    pages: &[&str],
    limit: usize,
    history: &mut History,
    add_version: &mut dyn FnMut(&mut History, &str, usize) -> Option<usize>,
) {
    // Walk indices of the publications, newest first (the walk is newest first).
    let pubs: Vec<usize> = (0..reader.walk.commits.len())
        .filter(|&c| reader.commit(c).published)
        .collect();
    if pubs.is_empty() || limit == 0 {
        return;
    }
    for page in pages {
        let versions = published_versions(reader, &pubs, page, limit, history, add_version);
        if !versions.is_empty() {
            history.published.insert((*page).to_string(), versions);
        }
    }
    history.publications = group(reader, &pubs, limit, history);
}

/// The range of walk indices publication `k` (in `pubs`) delivered: from it up to (not
/// including) the publication before it; the first publication delivers only itself.
fn range(pubs: &[usize], k: usize) -> std::ops::Range<usize> {
    let start = pubs[k];
    start..pubs.get(k + 1).copied().unwrap_or(start + 1)
}

fn published_versions(
    reader: &Reader<'_>,
    pubs: &[usize],
    page: &str,
    limit: usize,
    history: &mut History,
    add_version: &mut dyn FnMut(&mut History, &str, usize) -> Option<usize>,
) -> Vec<PublishedVersion> {
    let Some(changes) = reader.followed.versions.get(page) else {
        return Vec::new();
    };
    // The page exists from its oldest change on (a shallow clone may not have its creation).
    let created = changes
        .last()
        .filter(|at| reader.file(**at).kind == ChangeKind::Added)
        .map(|at| at.commit);
    let mut out: Vec<PublishedVersion> = Vec::new();
    let mut existed = false;
    for k in (0..pubs.len()).rev() {
        let range = range(pubs, k);
        if created.is_some_and(|c| c < range.start) {
            existed = false;
            continue;
        }
        // The page's changes are newest first, so in ascending walk order.
        let first = changes.partition_point(|at| at.commit < range.start);
        let end = changes.partition_point(|at| at.commit < range.end);
        let in_range: Vec<(usize, At)> = (first..end).map(|n| (n, changes[n])).collect();
        let publication = reader.commit(pubs[k]);
        let (kind, version) = match (in_range.first(), in_range.last()) {
            (Some(&(newest_n, newest)), Some(&(_, oldest))) => {
                let (old, new) = (reader.file(oldest).old, reader.file(newest).new);
                let added = reader.file(oldest).kind == ChangeKind::Added;
                if existed && !added && old == new {
                    // Changed and changed back between two publications: the same text.
                    continue;
                }
                let renamed = in_range.iter().rev().find_map(|(_, at)| match &reader.file(*at).kind {
                    ChangeKind::Renamed { from } => Some(from.clone()),
                    _ => None,
                });
                let kind = match (added, renamed) {
                    (true, _) => ChangeKind::Added,
                    (false, Some(from)) => ChangeKind::Renamed { from },
                    (false, None) => ChangeKind::Modified,
                };
                let version = if added {
                    None
                } else if in_range.len() == 1 && newest.commit == pubs[k] {
                    // The publication's own commit made the whole change: its comparison is
                    // the commit's.
                    add_version(history, page, newest_n)
                } else {
                    let id = format!(
                        "{}-{PUBLISHED_SUFFIX}",
                        publication.id.chars().take(10).collect::<String>()
                    );
                    history.versions.push(Version {
                        page: page.to_string(),
                        id,
                        commit: Some(publication.clone()),
                        kind: kind.clone(),
                        previous_date: out.last().map(|v| v.publication.date.clone()),
                        old_text: (reader.blob)(old),
                        new_text: (reader.blob)(new),
                    });
                    Some(history.versions.len() - 1)
                };
                (Some(kind), version)
            }
            _ if existed => continue,
            // The first publication that had the page, which it did not change.
            _ => (None, None),
        };
        existed = true;
        out.push(PublishedVersion {
            publication: publication.clone(),
            until: None,
            kind,
            version,
        });
    }
    out.reverse();
    for i in 1..out.len() {
        out[i].until = Some(out[i - 1].publication.date.clone());
    }
    out.truncate(limit);
    out
}

/// The listed page changes (`history.changes`, made from `followed.listed` in the same
/// order), grouped: those after the newest publication, each publication with one entry per
/// page it changed, those before the first publication.
fn group(reader: &Reader<'_>, pubs: &[usize], limit: usize, history: &History) -> Publications {
    let mut out = Publications::default();
    let mut shown = 0;
    // The publications the listed changes reach (all of them when the list was not cut short).
    let reached = match reader.followed.listed.len() < limit {
        true => usize::MAX,
        false => reader.followed.listed.last().map_or(0, |l| l.at.commit),
    };
    let mut listed = reader.followed.listed.iter().zip(&history.changes).peekable();
    while let Some((_, change)) = listed.next_if(|(l, _)| l.at.commit < pubs[0]) {
        out.unpublished.push(change.clone());
        shown += 1;
    }
    for k in 0..pubs.len() {
        if pubs[k] > reached || shown >= limit {
            break;
        }
        let range = range(pubs, k);
        let publication = reader.commit(pubs[k]).clone();
        let mut pages: Vec<ListedChange> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        while let Some((l, change)) = listed.next_if(|(l, _)| range.contains(&l.at.commit)) {
            let key = change.page.clone().unwrap_or_else(|| format!("\0{}", change.path));
            if let Some(&i) = seen.get(&key) {
                // An older change of the same page in this publication: the entry says what
                // the publication did as a whole, so a page added within it stays "added".
                if reader.file(l.at).kind == ChangeKind::Added {
                    pages[i].kind = ChangeKind::Added;
                }
                continue;
            }
            let mut entry = change.clone();
            if let Some(page) = &change.page {
                let version = history
                    .published
                    .get(page)
                    .and_then(|vs| vs.iter().find(|v| v.publication.id == publication.id));
                entry.version = version.and_then(|v| v.version);
                if let Some(kind) = version.and_then(|v| v.kind.clone()) {
                    entry.kind = kind;
                }
            }
            entry.commit = publication.clone();
            seen.insert(key, pages.len());
            pages.push(entry);
        }
        shown += pages.len().max(1);
        out.list.push(Publication {
            commit: publication,
            pages,
        });
    }
    // What is left: before the first publication (or past the bound).
    let first = pubs[pubs.len() - 1];
    for (_, change) in listed.filter(|(l, _)| l.at.commit > first) {
        if shown >= limit {
            break;
        }
        out.earlier.push(change.clone());
        shown += 1;
    }
    out
}
