//! Page history from Git. When the content folder is inside a Git repository, [`read`] walks
//! its history once (with gix, never by running `git`) and returns values: each page's last
//! change (the date of the newest commit that changed its file, following renames), the
//! handbook's newest changes for the change list, and the versions to compare for "Vad har
//! ändrats?" with their texts. Nothing here renders or writes; the build compares the versions
//! (`crate::compare`) and the templates show them (`render/history.rs`).
//!
//! - No repository, or a repository without commits: an empty [`History`]; the build carries on.
//! - A shallow clone: changes before its boundary are unknown ([`History::truncated_at`]); a
//!   page whose last change is before it says so ([`PageHistory::before_copy`]).
//! - Uncommitted edits: a build shows the last commit's date; a preview (`serve`) marks the
//!   page "ändrad, ej incheckad" and compares the committed text with the text on disk.
//! - Dates come from commits only, so the same commit gives the same site.
//! - `serve` rebuilds on every save: the walk of the last `HEAD` is kept, and when `HEAD` moved
//!   on (a new commit) only the new commits are walked.

mod follow;
mod publications;
mod walk;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use gix::hash::ObjectId;

use crate::diag::{Diagnostic, Message};
pub use publications::{Publication, Publications, PublishedVersion, PUBLISHED_SUFFIX};
pub use walk::{civil_date, ChangeKind, CommitInfo, PUBLICATION_TRAILER};
use walk::{FileChange, Walk};

/// The version name of a page's uncommitted text (in `serve`), used in its comparison's output path.
pub const UNCOMMITTED: &str = "ej-incheckad";

/// A page as the content stage read it.
#[derive(Debug, Clone, Copy)]
pub struct PageFile<'a> {
    /// Path relative to the content folder, `/`-separated.
    pub source: &'a str,
    /// The file's text (LF line endings).
    pub text: &'a str,
}

/// What to read.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    /// The content folder.
    pub content: &'a Path,
    /// Every page, in source path order.
    pub pages: Vec<PageFile<'a>>,
    /// How many changes the change list shows.
    pub changes: usize,
    /// A preview (`serve`): uncommitted edits are shown as such.
    pub preview: bool,
    /// Read the history from this commit of this repository rather than from the `HEAD` of
    /// the repository around `content` (a publication builds an exported commit).
    pub at: Option<&'a At>,
    /// The walk kept from the caller's last read (`serve` keeps one between rebuilds); `None`
    /// walks anew and keeps nothing.
    pub walks: Option<&'a WalkCache>,
}

/// A starting commit for the history: what `handbok publish` builds from, so the same commit
/// always gives the same site, whatever the work tree holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At {
    /// The repository's Git folder.
    pub git_dir: PathBuf,
    /// The commit whose history is read.
    pub commit: ObjectId,
    /// The content folder relative to the work tree, `/`-separated ("" for the whole tree).
    pub prefix: String,
}

/// One page's history as its page shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageHistory {
    /// The newest commit that changed the page's file.
    pub last_changed: Option<CommitInfo>,
    /// In a preview: the text on disk differs from the last commit (or was never committed).
    pub uncommitted: bool,
    /// The page's newest version that has a previous one to compare with: an index into
    /// [`History::versions`].
    pub latest: Option<usize>,
    /// In a shallow clone: the page is in the oldest commit this copy has but no commit after it
    /// changed the page, so its last change was on [`History::truncated_at`] or before, and
    /// older history is not in this copy.
    pub before_copy: bool,
}

/// A version of a page and the one before it, to compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    /// The page (its current source path).
    pub page: String,
    /// Names the version in its output path: the commit's first ten hex digits, or
    /// [`UNCOMMITTED`].
    pub id: String,
    /// The commit that made this version (`None` for uncommitted text).
    pub commit: Option<CommitInfo>,
    /// What the commit did to the page (a rename may come with edits).
    pub kind: ChangeKind,
    /// The date of the previous version, when the history has it.
    pub previous_date: Option<String>,
    /// The previous version's text.
    pub old_text: String,
    /// This version's text.
    pub new_text: String,
}

/// One line of the change list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedChange {
    /// The commit.
    pub commit: CommitInfo,
    /// The file's path in that commit, relative to the content folder.
    pub path: String,
    /// What happened to it.
    pub kind: ChangeKind,
    /// The page it is now (`None`: deleted since).
    pub page: Option<String>,
    /// The page's title in that commit, for a page that no longer exists.
    pub old_title: Option<String>,
    /// Its comparison, an index into [`History::versions`].
    pub version: Option<usize>,
}

/// Everything the site shows of the history.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// The content folder is in a Git repository with at least one commit.
    pub in_git: bool,
    pages: HashMap<String, PageHistory>,
    /// The newest page changes, newest first.
    pub changes: Vec<ListedChange>,
    /// Versions to compare: each page's latest and those in the change list.
    pub versions: Vec<Version>,
    /// In a shallow clone: changes before this date are not known.
    pub truncated_at: Option<String>,
    /// The change list grouped by publication (empty when nothing was published).
    pub publications: Publications,
    /// Each page's published versions, newest first, by source path.
    published: HashMap<String, Vec<PublishedVersion>>,
}

impl History {
    /// The history of the page read from `source`.
    pub fn page(&self, source: &str) -> Option<&PageHistory> {
        self.pages.get(source)
    }

    /// The published versions of the page read from `source`, newest first (empty when the
    /// handbook has no publication that had the page).
    pub fn published(&self, source: &str) -> &[PublishedVersion] {
        self.published.get(source).map_or(&[], Vec::as_slice)
    }

    /// Whether `other` shows the same as this history on every page but `edited` (whose
    /// uncommitted text may differ): the same change list and, for each other page, the same
    /// last change and newest version. Versions are compared by value, since an edited page's
    /// uncommitted version coming or going moves the others' indices.
    pub fn same_apart_from(&self, other: &History, edited: &[&str]) -> bool {
        let version = |history: &History, index: Option<usize>| index.and_then(|i| history.versions.get(i)).cloned();
        let page = |history: &History, source: &str| {
            history.page(source).map(|p| {
                (
                    p.last_changed.clone(),
                    p.uncommitted,
                    p.before_copy,
                    version(history, p.latest),
                )
            })
        };
        let listed = |history: &History| -> Vec<(ListedChange, Option<Version>)> {
            history
                .changes
                .iter()
                .map(|c| {
                    (
                        ListedChange {
                            version: None,
                            ..c.clone()
                        },
                        version(history, c.version),
                    )
                })
                .collect()
        };
        let sources: std::collections::HashSet<&String> = self.pages.keys().chain(other.pages.keys()).collect();
        // Published versions come from commits only, never from uncommitted text.
        self.in_git == other.in_git
            && self.publications == other.publications
            && self.published == other.published
            && self.truncated_at == other.truncated_at
            && listed(self) == listed(other)
            && sources
                .into_iter()
                .filter(|s| !edited.contains(&s.as_str()))
                .all(|s| page(self, s) == page(other, s))
    }
}

/// Read the history of the pages. A repository that cannot be read gives an empty history
/// and a warning.
pub fn read(request: &Request<'_>) -> (History, Option<Diagnostic>) {
    match read_repository(request) {
        Ok(history) => (history, None),
        Err(message) => (
            History::default(),
            Some(
                Diagnostic::warning(
                    request.content,
                    0,
                    0,
                    Message::new("history_unreadable").arg("reason", message),
                )
                .with_hint(Message::new("history_unreadable_hint")),
            ),
        ),
    }
}

fn read_repository(request: &Request<'_>) -> Result<History, walk::Error> {
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
