//! Reading the history from the repository with gix (the `history` feature): the one walk
//! (`walk`, kept between reads in a [`WalkCache`]), its changes followed to the current pages
//! (`follow`), the publications (`publications`), and the texts of the versions to compare.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use gix::hash::ObjectId;

use super::values::{ChangeKind, CommitInfo};
use super::walk::{self, FileChange, Walk};
use super::{follow, publications};
use super::{History, ListedChange, PageHistory, Request, Version, UNCOMMITTED};

pub(super) fn read_repository(request: &Request<'_>) -> Result<History, walk::Error> {
    if let Some(at) = request.at {
        let mut repo = gix::open(&at.git_dir).map_err(walk_err)?;
        return read_from(request, &mut repo, at.commit, &at.prefix);
    }
    let Ok(mut repo) = gix::discover(request.content) else {
        return Ok(History::default());
    };
    let Some(prefix) = repo.workdir().and_then(|w| walk::content_prefix(w, request.content)) else {
        return Ok(History::default());
    };
    repo.object_cache_size_if_unset(16 * 1024 * 1024);
    let head = match repo.head_id() {
        Ok(id) => id.detach(),
        // No commit yet: in Git, but nothing is committed.
        Err(_) => {
            return Ok(History {
                in_git: true,
                pages: uncommitted_pages(request),
                ..History::default()
            })
        }
    };
    read_from(request, &mut repo, head, &prefix)
}

/// The history of the pages as of commit `head`.
fn read_from(
    request: &Request<'_>,
    repo: &mut gix::Repository,
    head: ObjectId,
    prefix: &str,
) -> Result<History, walk::Error> {
    repo.object_cache_size_if_unset(16 * 1024 * 1024);
    let repo = &*repo;
    let walk = cached_walk(repo, head, prefix, request.walks)?;
    let sources: Vec<&str> = request.pages.iter().map(|p| p.source).collect();
    let followed = follow::follow(&walk, &sources, request.changes);
    let blob = |id: Option<ObjectId>| -> String {
        id.and_then(|id| repo.find_blob(id).ok())
            .map(|b| decode(b.data.clone()))
            .unwrap_or_default()
    };
    let file = |at: follow::At| -> &FileChange { &walk.commits[at.commit].files[at.file] };
    let commit = |at: follow::At| -> &CommitInfo { &walk.commits[at.commit].commit };

    let mut history = History {
        in_git: true,
        truncated_at: walk.truncated_at.clone(),
        ..History::default()
    };
    let mut version_of: HashMap<(String, usize), usize> = HashMap::new();
    let mut add_version = |history: &mut History, page: &str, nth: usize| -> Option<usize> {
        let versions = &followed.versions[page];
        let at = versions[nth];
        let change = file(at);
        if matches!(change.kind, ChangeKind::Added | ChangeKind::Deleted) {
            return None;
        }
        let key = (page.to_string(), at.commit);
        if let Some(&known) = version_of.get(&key) {
            return Some(known);
        }
        let info = commit(at).clone();
        history.versions.push(Version {
            page: page.to_string(),
            id: info.id.chars().take(10).collect(),
            previous_date: versions.get(nth + 1).map(|&older| commit(older).date.clone()),
            commit: Some(info),
            kind: change.kind.clone(),
            old_text: blob(change.old),
            new_text: blob(change.new),
        });
        version_of.insert(key, history.versions.len() - 1);
        Some(history.versions.len() - 1)
    };
    let head_tree = repo.find_commit(head).map_err(walk_err)?.tree().map_err(walk_err)?;
    let committed = |source: &str| -> Option<ObjectId> {
        let path = if prefix.is_empty() {
            source.to_string()
        } else {
            format!("{prefix}/{source}")
        };
        let entry = head_tree.lookup_entry_by_path(&path).ok().flatten()?;
        Some(entry.object_id())
    };
    for page in &request.pages {
        let Some(versions) = followed.versions.get(page.source) else {
            // A committed page that no commit in a shallow clone changed: its history is older
            // than the copy.
            if history.truncated_at.is_some() && committed(page.source).is_some() {
                history.pages.insert(
                    page.source.to_string(),
                    PageHistory {
                        before_copy: true,
                        ..PageHistory::default()
                    },
                );
            }
            continue;
        };
        let latest = add_version(&mut history, page.source, 0);
        history.pages.insert(
            page.source.to_string(),
            PageHistory {
                last_changed: Some(commit(versions[0]).clone()),
                uncommitted: false,
                latest,
                before_copy: false,
            },
        );
    }
    for listed in &followed.listed {
        let change = file(listed.at);
        let version = listed.page.as_deref().and_then(|page| {
            let nth = followed.versions[page].iter().position(|&a| a == listed.at)?;
            add_version(&mut history, page, nth)
        });
        let old_title = match &listed.page {
            Some(_) => None,
            None => title_of(&blob(change.new.or(change.old))),
        };
        history.changes.push(ListedChange {
            commit: commit(listed.at).clone(),
            path: change.path.clone(),
            kind: change.kind.clone(),
            page: listed.page.clone(),
            old_title,
            version,
        });
    }
    let reader = publications::Reader {
        walk: &walk,
        followed: &followed,
        blob: &blob,
    };
    publications::add(&reader, &sources, request.changes, &mut history, &mut add_version);
    if request.preview {
        mark_uncommitted(request, &mut history, |source| {
            committed(source).map(|id| blob(Some(id)))
        });
    }
    Ok(history)
}

fn walk_err(e: impl std::fmt::Display) -> walk::Error {
    e.to_string()
}

/// Every page marked uncommitted (no commit yet, or none has the page).
fn uncommitted_pages(request: &Request<'_>) -> HashMap<String, PageHistory> {
    if !request.preview {
        return HashMap::new();
    }
    request
        .pages
        .iter()
        .map(|p| {
            (
                p.source.to_string(),
                PageHistory {
                    uncommitted: true,
                    ..PageHistory::default()
                },
            )
        })
        .collect()
}

/// In a preview, mark pages whose text differs from the committed one, and compare the two.
fn mark_uncommitted(request: &Request<'_>, history: &mut History, committed: impl Fn(&str) -> Option<String>) {
    for page in &request.pages {
        let before = committed(page.source);
        if before.as_deref() == Some(page.text) {
            continue;
        }
        let last = history.pages.entry(page.source.to_string()).or_default();
        last.uncommitted = true;
        let previous_date = last.last_changed.as_ref().map(|c| c.date.clone());
        if let Some(old_text) = before {
            history.versions.push(Version {
                page: page.source.to_string(),
                id: UNCOMMITTED.to_string(),
                commit: None,
                kind: ChangeKind::Modified,
                previous_date,
                old_text,
                new_text: page.text.to_string(),
            });
            let index = history.versions.len() - 1;
            if let Some(page) = history.pages.get_mut(page.source) {
                page.latest = Some(index);
            }
        }
    }
}

/// A blob's text as the content stage would read it (BOM and CR dropped; invalid UTF-8 replaced).
fn decode(bytes: Vec<u8>) -> String {
    crate::content::decode(bytes.clone(), Path::new(""))
        .unwrap_or_else(|_| String::from_utf8_lossy(&bytes).into_owned())
}

/// The `title:` in a page text's front matter.
fn title_of(text: &str) -> Option<String> {
    let split = crate::content::frontmatter::split(text)?;
    let (front, _) = crate::content::frontmatter::parse(&split, Path::new(""), text).ok()?;
    Some(front.title)
}

/// The walk kept from the last read, owned by the caller that reads again (`serve`'s
/// rebuilds): (git folder, content prefix) → (`HEAD`, walk). A lock inside, because the walk
/// is read on one core while the pages render on the others.
#[derive(Debug, Default)]
pub struct WalkCache(Mutex<Option<KeptWalk>>);

/// (git folder, content prefix), the `HEAD` walked from, and the walk.
type KeptWalk = ((PathBuf, String), ObjectId, Arc<Walk>);

/// The walk from `head`: kept from the last build when `HEAD` is the same, extended by the new
/// commits when `HEAD` moved on from it, else walked anew.
fn cached_walk(
    repo: &gix::Repository,
    head: ObjectId,
    prefix: &str,
    cache: Option<&WalkCache>,
) -> Result<Arc<Walk>, walk::Error> {
    let Some(cache) = cache else {
        return Ok(Arc::new(walk::walk(repo, head, prefix, None)?.0));
    };
    let key = (repo.git_dir().to_path_buf(), prefix.to_string());
    let last = cache.0.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let walked = match last {
        Some((k, last_head, last_walk)) if k == key && last_head == head => return Ok(last_walk),
        Some((k, last_head, last_walk)) if k == key => match walk::walk(repo, head, prefix, Some(last_head))? {
            (newer, true) => {
                let mut commits = newer.commits;
                commits.extend(last_walk.commits.iter().cloned());
                Walk {
                    commits,
                    truncated_at: last_walk.truncated_at.clone(),
                }
            }
            _ => walk::walk(repo, head, prefix, None)?.0,
        },
        _ => walk::walk(repo, head, prefix, None)?.0,
    };
    let walked = Arc::new(walked);
    *cache.0.lock().unwrap_or_else(|e| e.into_inner()) = Some((key, head, Arc::clone(&walked)));
    Ok(walked)
}
