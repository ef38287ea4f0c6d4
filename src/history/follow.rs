//! Which page each change in the walk belongs to, following renames back in time: every
//! page's versions (newest first) and the newest changes of the whole handbook. Pure: it reads
//! only the walk's values.

use std::collections::HashMap;

use super::values::ChangeKind;
use super::walk::Walk;

/// One change in the walk: `walk.commits[commit].files[file]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct At {
    pub commit: usize,
    pub file: usize,
}

/// A change for the handbook's change list, and the page it belongs to now (`None` when that
/// page has since been deleted).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Listed {
    pub at: At,
    pub page: Option<String>,
}

/// What following gives.
#[derive(Debug, Default)]
pub(super) struct Followed {
    /// Each current page's versions, newest first, by source path.
    pub versions: HashMap<String, Vec<At>>,
    /// The newest `limit` page changes, newest first.
    pub listed: Vec<Listed>,
}

/// Follow the walk's changes from the current pages (`pages`, source paths) back in time.
pub(super) fn follow(walk: &Walk, pages: &[&str], limit: usize) -> Followed {
    // The path a file had at this point in history → the current page it became.
    let mut alias: HashMap<String, String> = pages.iter().map(|p| (p.to_string(), p.to_string())).collect();
    let mut out = Followed::default();
    for (c, commit) in walk.commits.iter().enumerate() {
        for (f, file) in commit.files.iter().enumerate() {
            let at = At { commit: c, file: f };
            let page = match &file.kind {
                ChangeKind::Deleted => None,
                _ => alias.get(&file.path).cloned(),
            };
            if let Some(page) = &page {
                out.versions.entry(page.clone()).or_default().push(at);
                match &file.kind {
                    // Before it was added, nothing at that path was this page.
                    ChangeKind::Added => {
                        alias.remove(&file.path);
                    }
                    ChangeKind::Renamed { from } => {
                        alias.remove(&file.path);
                        alias.insert(from.clone(), page.clone());
                    }
                    ChangeKind::Modified | ChangeKind::Deleted => {}
                }
            }
            if out.listed.len() < limit {
                out.listed.push(Listed { at, page });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::values::CommitInfo;
    use super::super::walk::{CommitChanges, FileChange};
    use super::*;

    fn commit(n: i64, files: Vec<(&str, ChangeKind)>) -> CommitChanges {
        CommitChanges {
            commit: CommitInfo {
                id: format!("{n:040}"),
                time: n,
                date: "2024-01-01".into(),
                summary: format!("commit {n}"),
                published: false,
            },
            files: files
                .into_iter()
                .map(|(path, kind)| FileChange {
                    path: path.into(),
                    kind,
                    old: None,
                    new: None,
                })
                .collect(),
        }
    }

    #[test]
    fn renames_are_followed_and_deleted_pages_keep_no_page() {
        let walk = Walk {
            commits: vec![
                commit(5, vec![("gammal.md", ChangeKind::Deleted)]),
                commit(4, vec![("ny.md", ChangeKind::Renamed { from: "a.md".into() })]),
                commit(
                    3,
                    vec![("a.md", ChangeKind::Modified), ("gammal.md", ChangeKind::Modified)],
                ),
                commit(2, vec![("a.md", ChangeKind::Added), ("gammal.md", ChangeKind::Added)]),
            ],
            truncated_at: None,
        };
        let followed = follow(&walk, &["ny.md", "index.md"], 3);
        let commits: Vec<usize> = followed.versions["ny.md"].iter().map(|a| a.commit).collect();
        assert_eq!(commits, vec![1, 2, 3]);
        assert!(!followed.versions.contains_key("index.md"));
        let pages: Vec<Option<&str>> = followed.listed.iter().map(|l| l.page.as_deref()).collect();
        assert_eq!(pages, vec![None, Some("ny.md"), Some("ny.md")]);
    }

    #[test]
    fn a_page_added_again_at_a_deleted_path_starts_a_new_history() {
        let walk = Walk {
            commits: vec![
                commit(3, vec![("a.md", ChangeKind::Added)]),
                commit(2, vec![("a.md", ChangeKind::Deleted)]),
                commit(1, vec![("a.md", ChangeKind::Added)]),
            ],
            truncated_at: None,
        };
        let followed = follow(&walk, &["a.md"], 10);
        assert_eq!(followed.versions["a.md"], vec![At { commit: 0, file: 0 }]);
        assert_eq!(followed.listed[2].page, None);
    }
}
