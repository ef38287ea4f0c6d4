//! The one walk over the repository's history: every commit reachable from `HEAD`, newest
//! first, and for each the page files (`.md`) it added, changed, renamed or deleted inside the
//! content folder. Read with gix; nothing here runs `git` or looks at file modification times.
//!
//! - A commit's content folder is compared with its parent's by tree id first, so a commit that
//!   did not touch the content costs one tree lookup; only changed subtrees are compared.
//! - First-parent history: the walk follows each commit's first parent only, and a merge
//!   counts for what it changed against its first parent. A change made on a branch is thus
//!   credited to the merge that brought it into the page's current line (with the merge's
//!   date), and a change a merge discarded (`git merge -s ours`) is never credited: it did not
//!   reach the content the site is built from.
//! - Renames: a deleted and an added page in one commit with the same blob, or with at least
//!   half their lines in common (compared with `similar`), are one page renamed. gix's own
//!   rename tracking needs its `blob-diff` feature (attributes, filters, a worktree stack), which
//!   would double the compile time of the Git support for this one comparison.
//! - A shallow clone's boundary commits have no parent to compare with: their changes are
//!   unknown, and the walk says from which date on its history is complete.

use std::collections::HashMap;
use std::path::Path;

use gix::bstr::ByteSlice;
use gix::hash::ObjectId;
use gix::revision::walk::Sorting;
use gix::traverse::commit::simple::CommitTimeOrder;

use super::values::{civil_date, ChangeKind, CommitInfo, PUBLICATION_TRAILER};

/// One page file changed by one commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct FileChange {
    /// Relative to the content folder, `/`-separated: the path after the commit (before it for
    /// a deletion).
    pub path: String,
    /// What happened.
    pub kind: ChangeKind,
    /// The blob before the commit (`None` when added).
    pub old: Option<ObjectId>,
    /// The blob after the commit (`None` when deleted).
    pub new: Option<ObjectId>,
}

/// A commit and the page files it changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CommitChanges {
    /// The commit.
    pub commit: CommitInfo,
    /// Its page changes, in path order.
    pub files: Vec<FileChange>,
}

/// The walk's result: commits that changed pages, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Walk {
    /// Commits that changed at least one page, newest first.
    pub commits: Vec<CommitChanges>,
    /// In a shallow clone, the date of the newest commit whose parents are missing: changes
    /// before it are unknown.
    pub truncated_at: Option<String>,
}

/// A problem reading the repository, as a sentence.
pub(super) type Error = String;

fn err(e: impl std::fmt::Display) -> Error {
    e.to_string()
}

/// Walk the history from `head`, looking at files under `prefix` (relative to the work tree,
/// `/`-separated, empty for the whole tree). With `since`, only commits not reachable from it
/// are walked, and the flag says whether `since` is an ancestor of `head` (so the result
/// continues a walk from `since`).
pub(super) fn walk(
    repo: &gix::Repository,
    head: ObjectId,
    prefix: &str,
    since: Option<ObjectId>,
) -> Result<(Walk, bool), Error> {
    let shallow: Vec<ObjectId> = repo
        .shallow_commits()
        .map_err(err)?
        .map(|c| c.iter().copied().collect())
        .unwrap_or_default();
    let mut content_trees: HashMap<ObjectId, Option<ObjectId>> = HashMap::new();
    let mut out = Walk::default();
    let mut reached = false;
    let commits = repo
        .rev_walk([head])
        .sorting(Sorting::ByCommitTime(CommitTimeOrder::NewestFirst))
        .with_hidden(since)
        .first_parent_only()
        .all()
        .map_err(err)?;
    for info in commits {
        let info = info.map_err(err)?;
        reached |= since.is_some_and(|s| info.parent_ids.first() == Some(&s));
        let commit = info.object().map_err(err)?;
        if shallow.contains(&info.id) {
            if out.truncated_at.is_none() {
                out.truncated_at = Some(commit_info(&commit)?.date);
            }
            continue;
        }
        let tree = content_tree(repo, info.id, prefix, &mut content_trees)?;
        let parent = match info.parent_ids().next() {
            Some(first) => Some(content_tree(repo, first.detach(), prefix, &mut content_trees)?),
            None => None,
        };
        // A publication is kept even when it changed no page (only images or settings): the
        // change list shows it, and it starts a range of the pages' published versions.
        let published = is_publication(&commit);
        if parent == Some(tree) && !published {
            // Same content folder as the first parent: a commit elsewhere, or a merge that kept
            // this line's content.
            continue;
        }
        let mut files = if parent == Some(tree) {
            Vec::new()
        } else {
            changed_files(repo, parent.flatten(), tree)?
        };
        if files.is_empty() && !published {
            continue;
        }
        pair_renames(repo, &mut files);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        out.commits.push(CommitChanges {
            commit: commit_info(&commit)?,
            files,
        });
    }
    Ok((out, reached))
}

/// The id of the content folder's tree in `commit` (`None` when the folder is not there).
fn content_tree(
    repo: &gix::Repository,
    commit: ObjectId,
    prefix: &str,
    cache: &mut HashMap<ObjectId, Option<ObjectId>>,
) -> Result<Option<ObjectId>, Error> {
    if let Some(known) = cache.get(&commit) {
        return Ok(*known);
    }
    let tree = repo.find_commit(commit).map_err(err)?.tree().map_err(err)?;
    let id = if prefix.is_empty() {
        Some(tree.id)
    } else {
        tree.lookup_entry_by_path(prefix)
            .map_err(err)?
            .filter(|e| e.mode().is_tree())
            .map(|e| e.object_id())
    };
    cache.insert(commit, id);
    Ok(id)
}

/// The page files that differ between two content trees.
fn changed_files(
    repo: &gix::Repository,
    old: Option<ObjectId>,
    new: Option<ObjectId>,
) -> Result<Vec<FileChange>, Error> {
    let tree_data = |id: Option<ObjectId>| -> Result<Vec<u8>, Error> {
        match id {
            Some(id) => Ok(repo.find_tree(id).map_err(err)?.detach().data),
            None => Ok(Vec::new()),
        }
    };
    let (old_data, new_data) = (tree_data(old)?, tree_data(new)?);
    let mut recorder = gix::diff::tree::Recorder::default();
    gix::diff::tree(
        gix::objs::TreeRefIter::from_bytes(&old_data, repo.object_hash()),
        gix::objs::TreeRefIter::from_bytes(&new_data, repo.object_hash()),
        &mut gix::diff::tree::State::default(),
        &repo.objects,
        &mut recorder,
    )
    .map_err(err)?;
    use gix::diff::tree::recorder::Change;
    let mut files = Vec::new();
    for change in recorder.records {
        let (path, kind, old, new, is_blob) = match change {
            Change::Addition {
                entry_mode, oid, path, ..
            } => (path, ChangeKind::Added, None, Some(oid), entry_mode.is_blob()),
            Change::Deletion {
                entry_mode, oid, path, ..
            } => (path, ChangeKind::Deleted, Some(oid), None, entry_mode.is_blob()),
            Change::Modification {
                previous_entry_mode,
                previous_oid,
                entry_mode,
                oid,
                path,
            } => {
                if previous_entry_mode.is_blob() && entry_mode.is_blob() && previous_oid == oid {
                    continue; // only the mode changed
                }
                let kind = match (previous_entry_mode.is_blob(), entry_mode.is_blob()) {
                    (true, true) => ChangeKind::Modified,
                    (false, true) => ChangeKind::Added,
                    (true, false) => ChangeKind::Deleted,
                    (false, false) => continue,
                };
                let old = previous_entry_mode.is_blob().then_some(previous_oid);
                let new = entry_mode.is_blob().then_some(oid);
                (path, kind, old, new, true)
            }
        };
        let Ok(path) = path.to_str() else { continue };
        if is_blob && is_page_path(path) {
            files.push(FileChange {
                path: path.to_string(),
                kind,
                old,
                new,
            });
        }
    }
    Ok(files)
}

/// A Markdown file the content stage reads as a page: `.md`, no hidden file or folder on the way.
pub(super) fn is_page_path(path: &str) -> bool {
    path.to_ascii_lowercase().ends_with(".md") && !path.split('/').any(|p| p.starts_with('.') || p.ends_with('~'))
}

/// At most this many deleted × added pairs are compared by content in one commit; beyond it
/// (a reorganisation of hundreds of pages) only renames with unchanged text are found.
const MAX_SIMILARITY_PAIRS: usize = 400;

/// A page counts as renamed when at least this share of its lines survived.
const RENAME_SIMILARITY: f32 = 0.5;

/// Join a deletion and an addition of one commit into a rename: the same blob first, then the
/// most similar text.
fn pair_renames(repo: &gix::Repository, files: &mut Vec<FileChange>) {
    let deleted: Vec<usize> = (0..files.len())
        .filter(|&i| files[i].kind == ChangeKind::Deleted)
        .collect();
    let added: Vec<usize> = (0..files.len())
        .filter(|&i| files[i].kind == ChangeKind::Added)
        .collect();
    if deleted.is_empty() || added.is_empty() {
        return;
    }
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut free_added = added.clone();
    let mut free_deleted = Vec::new();
    for &d in &deleted {
        match free_added.iter().position(|&a| files[a].new == files[d].old) {
            Some(at) => pairs.push((d, free_added.remove(at))),
            None => free_deleted.push(d),
        }
    }
    if !free_deleted.is_empty() && free_deleted.len() * free_added.len() <= MAX_SIMILARITY_PAIRS {
        let text = |id: Option<ObjectId>| -> String {
            id.and_then(|id| repo.find_blob(id).ok())
                .map(|b| String::from_utf8_lossy(&b.data).into_owned())
                .unwrap_or_default()
        };
        let added_texts: Vec<(usize, String)> = free_added.iter().map(|&a| (a, text(files[a].new))).collect();
        let mut taken = vec![false; added_texts.len()];
        for d in free_deleted {
            let old = text(files[d].old);
            let best = added_texts
                .iter()
                .enumerate()
                .filter(|(i, _)| !taken[*i])
                .map(|(i, (_, new))| (i, similar::TextDiff::from_lines(&old, new).ratio()))
                .filter(|(_, ratio)| *ratio >= RENAME_SIMILARITY)
                .max_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((i, _)) = best {
                taken[i] = true;
                pairs.push((d, added_texts[i].0));
            }
        }
    }
    let mut remove = Vec::new();
    for (d, a) in pairs {
        let from = files[d].path.clone();
        files[a].old = files[d].old;
        files[a].kind = ChangeKind::Renamed { from };
        remove.push(d);
    }
    remove.sort_unstable();
    for d in remove.into_iter().rev() {
        files.remove(d);
    }
}

/// Id, date and message summary of a commit.
fn commit_info(commit: &gix::Commit<'_>) -> Result<CommitInfo, Error> {
    let time = commit.committer().map_err(err)?.time().map_err(err)?;
    let summary = commit
        .message()
        .map_err(err)?
        .summary()
        .to_str_lossy()
        .trim()
        .to_string();
    Ok(CommitInfo {
        id: commit.id.to_string(),
        time: time.seconds,
        date: civil_date(time.seconds + i64::from(time.offset)),
        summary,
        published: is_publication(commit),
    })
}

/// Whether the commit's message has the publication trailer on a line of its own.
fn is_publication(commit: &gix::Commit<'_>) -> bool {
    commit
        .message_raw()
        .is_ok_and(|m| m.lines().any(|l| l.trim() == PUBLICATION_TRAILER.as_bytes()))
}

/// The content folder relative to the repository's work tree, `/`-separated ("" when they are
/// the same folder). `None` when the content folder is not inside the work tree.
pub(super) fn content_prefix(workdir: &Path, content: &Path) -> Option<String> {
    let workdir = workdir.canonicalize().ok()?;
    let content = content.canonicalize().ok()?;
    let relative = content.strip_prefix(&workdir).ok()?;
    let parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_paths_are_markdown_files_outside_hidden_folders() {
        assert!(is_page_path("a/b.md"));
        assert!(is_page_path("A.MD"));
        assert!(!is_page_path("site.yml"));
        assert!(!is_page_path(".git/x.md"));
        assert!(!is_page_path("a/.utkast/x.md"));
    }
}
