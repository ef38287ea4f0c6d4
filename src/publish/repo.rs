//! The handbook folder's Git repository for publishing (gix): open it or make it one, refuse
//! states a publication must not run in (detached `HEAD`, a merge or rebase under way), the
//! content files as the work tree has them and as a commit has them, and the one commit of
//! the content folder with the trailer `Publicerad-av: handbok`.
//!
//! Only files under the content folder are ever committed, and only those the build reads or
//! copies: hidden files and folders (`.handbok/`, editors' temporary files) and names ending
//! in `~` are left out, as `content::load` leaves them out. The index is updated for the
//! content folder only, so what is staged outside it stays staged.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use gix::bstr::{BStr, ByteSlice};
use gix::hash::ObjectId;

use super::Message;

/// The trailer that marks a commit as a publication.
pub const TRAILER: &str = "Publicerad-av: handbok";

/// The file under `content/.handbok/` with the author's name and e-mail, for a repository
/// whose Git configuration has none (never committed, never in the site).
pub const AUTHOR_FILE: &str = "forfattare.txt";

/// The longest publication sentence, in characters.
pub const MAX_SENTENCE: usize = 500;

/// The handbook folder's repository and where the content folder is in it.
pub struct Handbook {
    /// The repository.
    pub repo: gix::Repository,
    /// The content folder relative to the work tree, `/`-separated ("" for the whole tree).
    pub prefix: String,
    /// The content folder (canonical).
    pub content: PathBuf,
}

/// One changed content file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A file that was not there.
    New(String),
    /// A file whose bytes changed.
    Changed(String),
    /// A file moved unchanged: (from, to).
    Renamed(String, String),
    /// A file that is gone.
    Deleted(String),
}

impl Change {
    /// The path the change is listed under (the new one for a rename).
    pub fn path(&self) -> &str {
        match self {
            Change::New(p) | Change::Changed(p) | Change::Deleted(p) | Change::Renamed(_, p) => p,
        }
    }
}

/// Content files, path relative to the content folder → blob id.
pub type Files = BTreeMap<String, ObjectId>;

fn git_error(e: impl std::fmt::Display) -> Message {
    Message::new("publish_git_failed").arg("reason", e.to_string())
}

/// The repository around the handbook folder (the content folder's parent). `None` when there
/// is none; with `create`, the handbook folder is made one (as `handbok init` does).
pub fn open(content: &Path, create: bool) -> Result<Option<Handbook>, Message> {
    let content = content
        .canonicalize()
        .map_err(|_| Message::new("publish_no_content").arg("path", content.display().to_string()))?;
    let folder = content.parent().unwrap_or(&content).to_path_buf();
    let repo = match gix::discover(&folder) {
        Ok(repo) => repo,
        Err(_) if create => gix::init(&folder).map_err(git_error)?,
        Err(_) => return Ok(None),
    };
    let Some(workdir) = repo.workdir().and_then(|w| w.canonicalize().ok()) else {
        return Err(Message::new("publish_refused_bare"));
    };
    let Ok(relative) = content.strip_prefix(&workdir) else {
        return Err(Message::new("publish_refused_outside").arg("path", workdir.display().to_string()));
    };
    let prefix = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/");
    Ok(Some(Handbook { repo, prefix, content }))
}

impl Handbook {
    /// Refuse a repository a publication must not change: one in the middle of a merge, rebase
    /// or similar, or with a detached `HEAD` (a commit there would belong to no branch).
    pub fn check_state(&self) -> Result<(), Message> {
        if let Some(state) = self.repo.state() {
            return Err(Message::new("publish_refused_in_progress").arg("state", format!("{state:?}")));
        }
        let head = self.repo.head().map_err(git_error)?;
        if head.is_detached() {
            return Err(Message::new("publish_refused_detached"));
        }
        Ok(())
    }

    /// The commit `HEAD` points at; `None` before the first commit.
    pub fn head(&self) -> Option<ObjectId> {
        self.repo.head_id().ok().map(|id| id.detach())
    }

    /// The Git folder.
    pub fn git_dir(&self) -> PathBuf {
        self.repo.git_dir().to_path_buf()
    }

    /// The work tree (the folder the repository is for).
    pub fn workdir(&self) -> PathBuf {
        self.repo.workdir().map(Path::to_path_buf).unwrap_or_default()
    }

    fn full_path(&self, relative: &str) -> String {
        if self.prefix.is_empty() {
            relative.to_string()
        } else {
            format!("{}/{relative}", self.prefix)
        }
    }

    /// The content files of `commit` (none for `None`): path → blob.
    pub fn files_at(&self, commit: Option<ObjectId>) -> Result<Files, Message> {
        let Some(commit) = commit else {
            return Ok(Files::new());
        };
        let tree = self
            .repo
            .find_commit(commit)
            .map_err(git_error)?
            .tree_id()
            .map_err(git_error)?;
        let index = self.repo.index_from_tree(&tree).map_err(git_error)?;
        let prefix = if self.prefix.is_empty() {
            String::new()
        } else {
            format!("{}/", self.prefix)
        };
        let mut files = Files::new();
        for entry in index.entries() {
            let path = entry.path(&index).to_str_lossy();
            let Some(relative) = path.strip_prefix(&prefix) else {
                continue;
            };
            if entry.mode.is_submodule()
                || entry.mode == gix::index::entry::Mode::SYMLINK
                || !relative.split('/').all(published_name)
            {
                continue;
            }
            files.insert(relative.to_string(), entry.id);
        }
        Ok(files)
    }

    /// The content files as the work tree has them: path → blob id (computed, not written).
    pub fn work_files(&self) -> Result<Files, Message> {
        let mut files = Files::new();
        let walker = walkdir::WalkDir::new(&self.content)
            .follow_links(false)
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || e.file_name().to_str().is_some_and(published_name));
        for entry in walker {
            let entry = entry.map_err(|e| Message::new("publish_read_failed").arg("reason", e.to_string()))?;
            // Only regular files: a symbolic link is never followed out of the content folder.
            if !entry.file_type().is_file() {
                continue;
            }
            let Some(relative) = relative_path(entry.path(), &self.content) else {
                continue;
            };
            let bytes = read(entry.path())?;
            let id =
                gix::objs::compute_hash(self.repo.object_hash(), gix::objs::Kind::Blob, &bytes).map_err(git_error)?;
            files.insert(relative, id);
        }
        Ok(files)
    }

    /// The author for a commit: the repository's Git configuration, else the name and e-mail
    /// kept in `content/.handbok/`. `Err` when there is neither.
    pub fn ensure_author(&mut self) -> Result<(), Message> {
        if self.repo.committer().is_some() && self.repo.author().is_some() {
            return Ok(());
        }
        let Some((name, email)) = stored_author(&self.content) else {
            return Err(Message::new("publish_no_author").arg(
                "path",
                self.content.join(".handbok").join(AUTHOR_FILE).display().to_string(),
            ));
        };
        let mut config = self.repo.config_snapshot_mut();
        config
            .append_config(
                [
                    format!("user.name={name}"),
                    format!("user.email={email}"),
                    format!("committer.name={name}"),
                    format!("committer.email={email}"),
                ]
                .iter()
                .map(String::as_str),
                gix::config::Source::Api,
            )
            .map_err(git_error)?;
        config.commit().map_err(git_error)?;
        Ok(())
    }

    /// Commit the work tree's content files as one commit on the current branch: the sentence,
    /// a blank line and [`TRAILER`]. Files outside the content folder are neither committed
    /// nor unstaged.
    pub fn commit(&self, sentence: &str, work: &Files, head_files: &Files) -> Result<ObjectId, Message> {
        let head = self.head();
        let base_tree = match head {
            Some(h) => self
                .repo
                .find_commit(h)
                .map_err(git_error)?
                .tree_id()
                .map_err(git_error)?
                .detach(),
            None => self.repo.empty_tree().id,
        };
        let mut editor = self.repo.edit_tree(base_tree).map_err(git_error)?;
        for (path, id) in work {
            if head_files.get(path) == Some(id) {
                continue;
            }
            let bytes = read(&self.content.join(path))?;
            let written = self.repo.write_blob(&bytes).map_err(git_error)?.detach();
            if written != *id {
                // The file changed between reading and committing: an editor is saving.
                return Err(Message::new("publish_changed_meanwhile").arg("path", path.clone()));
            }
            editor
                .upsert(self.full_path(path), gix::object::tree::EntryKind::Blob, written)
                .map_err(git_error)?;
        }
        for path in head_files.keys().filter(|p| !work.contains_key(*p)) {
            editor.remove(self.full_path(path)).map_err(git_error)?;
        }
        let tree = editor.write().map_err(git_error)?.detach();
        let message = format!("{sentence}\n\n{TRAILER}\n");
        let commit = self
            .repo
            .commit("HEAD", message, tree, head)
            .map_err(git_error)?
            .detach();
        self.update_index(tree)?;
        Ok(commit)
    }

    /// The index after a commit: its entries under the content folder replaced by the commit's,
    /// every other entry (staged work outside the content folder) kept as it was.
    fn update_index(&self, tree: ObjectId) -> Result<(), Message> {
        let committed = self.repo.index_from_tree(&tree).map_err(git_error)?;
        let mut index = match self.repo.open_index() {
            Ok(index) => index,
            Err(_) => {
                let mut fresh = committed;
                return fresh.write(Default::default()).map_err(git_error);
            }
        };
        let under = |path: &BStr| self.prefix.is_empty() || path.starts_with(format!("{}/", self.prefix).as_bytes());
        index.remove_entries(|_, path, _| under(path));
        for entry in committed.entries() {
            let path = entry.path(&committed);
            if under(path) {
                index.dangerously_push_entry(Default::default(), entry.id, entry.flags, entry.mode, path);
            }
        }
        index.sort_entries();
        index.write(Default::default()).map_err(git_error)
    }

    /// Whether the commit's message carries [`TRAILER`].
    pub fn is_publication(&self, commit: ObjectId) -> bool {
        self.repo
            .find_commit(commit)
            .ok()
            .and_then(|c| {
                c.message_raw()
                    .ok()
                    .map(|m| m.lines().any(|l| l.trim() == TRAILER.as_bytes()))
            })
            .unwrap_or(false)
    }
}

/// What changed from `before` to `after`: new, changed, deleted, and a deleted and a new file
/// with the same bytes paired as a rename. In path order.
pub fn changes(before: &Files, after: &Files) -> Vec<Change> {
    let mut new: Vec<&String> = after.keys().filter(|p| !before.contains_key(*p)).collect();
    let mut out = Vec::new();
    for (path, id) in before {
        match after.get(path) {
            Some(now) if now == id => {}
            Some(_) => out.push(Change::Changed(path.clone())),
            None => match new.iter().position(|n| after[*n] == *id) {
                Some(i) => out.push(Change::Renamed(path.clone(), new.remove(i).clone())),
                None => out.push(Change::Deleted(path.clone())),
            },
        }
    }
    out.extend(new.into_iter().map(|p| Change::New(p.clone())));
    out.sort_by(|a, b| a.path().cmp(b.path()));
    out
}

/// Whether a file or folder name is one the build reads (not hidden, not a backup `~`).
fn published_name(name: &str) -> bool {
    !name.is_empty() && !name.starts_with('.') && !name.ends_with('~')
}

fn relative_path(path: &Path, root: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Option<Vec<&str>> = rel.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}

fn read(path: &Path) -> Result<Vec<u8>, Message> {
    fs::read(path).map_err(|e| Message::new("publish_read_failed").arg("reason", format!("{}: {e}", path.display())))
}

/// The name and e-mail in `content/.handbok/forfattare.txt` (two lines), if there.
pub fn stored_author(content: &Path) -> Option<(String, String)> {
    let text = fs::read_to_string(content.join(".handbok").join(AUTHOR_FILE)).ok()?;
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let name = lines.next()?.to_string();
    let email = lines.next()?.to_string();
    let clean = |s: &str| !s.contains(['<', '>', '\n', '\0']) && s.chars().count() <= 200;
    (clean(&name) && clean(&email)).then_some((name, email))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> ObjectId {
        ObjectId::from_bytes_or_panic(&[n; 20])
    }

    #[test]
    fn pairs_a_moved_file_and_lists_the_rest() {
        let before: Files = [("a.md", 1), ("b.md", 2), ("c.md", 3)]
            .into_iter()
            .map(|(p, n)| (p.to_string(), id(n)))
            .collect();
        let after: Files = [("a.md", 1), ("b.md", 9), ("d/c.md", 3), ("e.md", 5)]
            .into_iter()
            .map(|(p, n)| (p.to_string(), id(n)))
            .collect();
        assert_eq!(
            changes(&before, &after),
            vec![
                Change::Changed("b.md".into()),
                Change::Renamed("c.md".into(), "d/c.md".into()),
                Change::New("e.md".into()),
            ]
        );
    }

    #[test]
    fn leaves_out_hidden_and_backup_names() {
        assert!(published_name("index.md"));
        assert!(!published_name(".handbok"));
        assert!(!published_name("index.md~"));
    }
}
