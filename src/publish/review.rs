//! What the editor's Publicera page asks before publishing, answered through the same
//! functions `handbok publish` runs (no second implementation): a dry run of [`publish`]
//! (the changes since the last publication, every check, the lock, where the site goes), the
//! author the commit would need, a page's text against its published version
//! ([`crate::compare`]), making the handbook folder a repository as `handbok init` lays one out,
//! and keeping a typed author in `content/.handbok/` (never committed, never in the site).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use super::repo::{self, AUTHOR_FILE};
use super::{mark, publish, Change, Message, Options, Outcome, Status};
use crate::compare::Comparison;
use crate::diag::Diagnostics;
use crate::theme::Theme;

/// Where the handbook stands, as the Publicera page shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The handbook folder is not a Git repository: offer to make it one.
    NotRepository,
    /// Another publication holds the lock.
    Busy,
    /// Nothing changed since the last publication.
    Nothing,
    /// Changes pass every check: a sentence (and confirmed warnings) publishes them.
    Ready,
    /// Everything is recorded but the newest publication was not delivered (a run stopped
    /// between commit and delivery): publishing finishes it, no sentence needed.
    DeliverOnly,
    /// The checks found errors: publishing is blocked.
    Errors,
    /// Refused before anything was checked (no target, a repository state, …).
    Refused,
}

impl Stage {
    /// The name the page's script reads.
    pub fn name(self) -> &'static str {
        match self {
            Stage::NotRepository => "not_repository",
            Stage::Busy => "busy",
            Stage::Nothing => "nothing",
            Stage::Ready => "ready",
            Stage::DeliverOnly => "deliver_only",
            Stage::Errors => "errors",
            Stage::Refused => "refused",
        }
    }
}

/// What a review found.
#[derive(Debug)]
pub struct Review {
    /// Where the handbook stands.
    pub stage: Stage,
    /// What to tell the person (the dry run's messages).
    pub messages: Vec<Message>,
    /// The content files changed since the last publication.
    pub changes: Vec<Change>,
    /// Every error and warning `check` finds.
    pub diagnostics: Diagnostics,
    /// The repository has no Git identity and none is kept in `content/.handbok/`.
    pub needs_author: bool,
}

/// Review the handbook of `content`: a dry run of the publication.
pub fn review(content: &Path, theme: Option<&Path>) -> Review {
    let options = Options {
        content: content.to_path_buf(),
        theme: theme.map(Path::to_path_buf),
        sentence: String::new(),
        dry_run: true,
        strict: false,
    };
    // A dry run writes nothing; the writer is never called.
    let outcome = publish(&options, &crate::output::FsWriter);
    let stage = stage_of(&outcome);
    Review {
        stage,
        needs_author: stage != Stage::NotRepository && needs_author(content),
        messages: outcome.messages,
        changes: outcome.changes,
        diagnostics: outcome.diagnostics,
    }
}

fn stage_of(outcome: &Outcome) -> Stage {
    let last = outcome.messages.last().map_or("", |m| m.key);
    match outcome.status {
        Status::DryRun if last == "publish_dry_run_not_a_repository" => Stage::NotRepository,
        Status::DryRun if last == "publish_dry_run_deliver_only" => Stage::DeliverOnly,
        Status::DryRun => Stage::Ready,
        Status::NothingToPublish => Stage::Nothing,
        Status::CheckFailed => Stage::Errors,
        Status::Refused if last == "publish_busy" => Stage::Busy,
        _ => Stage::Refused,
    }
}

/// Whether a commit now would have no author: the repository's Git configuration names none
/// and `content/.handbok/forfattare.txt` holds none.
pub fn needs_author(content: &Path) -> bool {
    let Ok(Some(handbook)) = repo::open(content, false) else {
        return false;
    };
    let configured = handbook.repo.committer().is_some() && handbook.repo.author().is_some();
    !configured && repo::stored_author(content).is_none()
}

/// Whether the newest publication commit was never delivered (a run stopped between commit
/// and delivery): `HEAD` is a publication and no mark points at it. Cheap (no build, no
/// checks), for `serve`'s start.
pub fn undelivered(content: &Path) -> bool {
    let Ok(Some(handbook)) = repo::open(content, false) else {
        return false;
    };
    let Some(head) = handbook.head() else {
        return false;
    };
    mark::last(&handbook.repo).map(|(_, c)| c) != Some(head) && handbook.is_publication(head)
}

/// Make the handbook folder (the content folder's parent) a Git repository, laid out as
/// `handbok init` lays one out. Nothing is committed: the first publication does that.
/// A folder already in a repository is left as it is.
pub fn make_repository(content: &Path) -> Result<(), Message> {
    if repo::open(content, false)?.is_some() {
        return Ok(());
    }
    let content = content
        .canonicalize()
        .map_err(|_| Message::new("publish_no_content").arg("path", content.display().to_string()))?;
    let folder = content.parent().unwrap_or(&content);
    crate::init::make_repository(folder)
        .map(drop)
        .map_err(|e| Message::new("publish_git_failed").arg("reason", e))
}

/// The longest name or e-mail kept, in characters.
pub const MAX_AUTHOR: usize = 200;

/// Keep the author's name and e-mail in `content/.handbok/forfattare.txt`, written whole
/// (a temporary file renamed over it) and never through a symbolic link.
pub fn store_author(content: &Path, name: &str, email: &str) -> Result<(), Message> {
    let (name, email) = (name.trim(), email.trim());
    let clean = |s: &str| {
        !s.is_empty()
            && s.chars().count() <= MAX_AUTHOR
            && !s.contains(['<', '>', '\0'])
            && !s.chars().any(char::is_control)
    };
    if !clean(name) || !clean(email) || !email.contains('@') || email.contains(char::is_whitespace) {
        return Err(Message::new("publish_ui_author_invalid").arg("max", MAX_AUTHOR.to_string()));
    }
    let failed = |e: std::io::Error| Message::new("publish_ui_author_failed").arg("reason", e.to_string());
    let dir = private_dir(content).map_err(failed)?;
    let temp = dir.join(format!("{AUTHOR_FILE}.{}.tmp", std::process::id()));
    let written = (|| {
        let mut file = fs::OpenOptions::new().write(true).create_new(true).open(&temp)?;
        file.write_all(format!("{name}\n{email}\n").as_bytes())?;
        file.sync_all()?;
        fs::rename(&temp, dir.join(AUTHOR_FILE))
    })();
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written.map_err(failed)
}

/// `content/.handbok/`, made when missing; refused when it is a symbolic link.
fn private_dir(content: &Path) -> std::io::Result<PathBuf> {
    let dir = content.join(".handbok");
    match fs::symlink_metadata(&dir) {
        Ok(meta) if meta.file_type().is_symlink() || !meta.is_dir() => {
            Err(std::io::Error::other(format!("{} är ingen vanlig mapp", dir.display())))
        }
        Ok(_) => Ok(dir),
        Err(_) => {
            fs::create_dir(&dir)?;
            fs::write(dir.join(".gitignore"), "*\n")?;
            Ok(dir)
        }
    }
}

/// A page's text now against its published version (`from` is its published path when it
/// was renamed): the word comparison the history pages make. A page new since the last
/// publication is compared against nothing, a deleted one against nothing after it.
pub fn compare_with_published(
    content: &Path,
    source: &str,
    from: Option<&str>,
    theme: &Theme,
) -> Result<Comparison, Message> {
    let plain = |p: &str| {
        p.ends_with(".md")
            && !p
                .split('/')
                .any(|part| part.is_empty() || part.starts_with('.') || part.contains('\\'))
    };
    if !plain(source) || from.is_some_and(|f| !plain(f)) {
        return Err(Message::new("publish_ui_not_a_page").arg("path", source.to_string()));
    }
    let published = match repo::open(content, false)? {
        Some(handbook) => {
            let files = handbook.files_at(mark::last(&handbook.repo).map(|(_, c)| c))?;
            match files.get(from.unwrap_or(source)) {
                Some(id) => {
                    let blob = handbook
                        .repo
                        .find_blob(*id)
                        .map_err(|e| Message::new("publish_git_failed").arg("reason", e.to_string()))?;
                    String::from_utf8_lossy(&blob.data).into_owned()
                }
                None => String::new(),
            }
        }
        None => String::new(),
    };
    // Never through a symbolic link: the editor's own check of the name and the file.
    let path = content.join(source);
    let now = match fs::symlink_metadata(&path) {
        Ok(meta) if meta.is_file() => fs::read(&path)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .map_err(|e| Message::new("publish_read_failed").arg("reason", format!("{source}: {e}")))?,
        _ => String::new(),
    };
    Ok(crate::compare::compare_texts(source, &published, &now, content, theme))
}
