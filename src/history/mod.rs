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

#[cfg(feature = "history")]
mod follow;
#[cfg(feature = "history")]
mod publications;
#[cfg(feature = "history")]
mod read;
mod values;
#[cfg(feature = "history")]
mod walk;

use std::collections::HashMap;
use std::path::Path;

use crate::diag::{Diagnostic, Message};
#[cfg(feature = "history")]
pub use read::WalkCache;
pub use values::{civil_date, ChangeKind, CommitInfo, PUBLICATION_TRAILER};
pub use values::{Publication, Publications, PublishedVersion, PUBLISHED_SUFFIX};

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
#[cfg(feature = "history")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At {
    /// The repository's Git folder.
    pub git_dir: std::path::PathBuf,
    /// The commit whose history is read.
    pub commit: gix::hash::ObjectId,
    /// The content folder relative to the work tree, `/`-separated ("" for the whole tree).
    pub prefix: String,
}

/// A starting commit for the history. Built without the `history` feature, no commit can be
/// named, so there is no value of this type.
#[cfg(not(feature = "history"))]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct At(std::convert::Infallible);

/// The walk kept between reads. Built without the `history` feature nothing is walked, so it
/// keeps nothing.
#[cfg(not(feature = "history"))]
#[derive(Debug, Default)]
pub struct WalkCache;

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
    #[cfg(feature = "history")]
    let read = read::read_repository(request);
    // Built without Git support: every content folder is read as one outside a repository.
    #[cfg(not(feature = "history"))]
    let read: Result<History, String> = Ok(History::default());
    match read {
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
