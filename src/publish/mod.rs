//! `handbok publish`: record the content folder as one commit, build exactly that commit,
//! deliver the site to `site.yml`'s `publish: {to: …}`, mark it, and push it where there is a
//! remote. The commit is the publication (the sentence plus the trailer `Publicerad-av:
//! handbok`); the mark (a tag) is written only after a successful delivery, so a run that was
//! stopped between the two is finished by the next one.
//!
//! - [`repo`]: the repository (gix), refusals, changed files, the commit;
//! - [`deliver`]: export the commit, build it with its own history, write with `output`;
//! - [`mark`]: the tag `handbok/publicering/<UTC time>`;
//! - [`push`]: the system `git push` to the remote;
//! - [`review`]: what the editor's Publicera page asks before publishing.
//!
//! Nothing here prints: every message is a [`Message`] (a key of the theme's string table and
//! its arguments) that the face — the command line or the editor — words in the handbook's
//! language.

pub mod deliver;
pub mod mark;
pub mod push;
pub mod repo;
pub mod review;

use std::fs;
use std::path::{Path, PathBuf};

use crate::diag::Diagnostics;
use crate::output::Writer;
pub use repo::Change;

/// The lock file under `content/.handbok/` held while a publication runs.
pub const LOCK_FILE: &str = "publicering.lock";

pub use crate::diag::Message;

/// What to publish.
#[derive(Debug, Clone)]
pub struct Options {
    /// The content folder; the handbook folder is its parent.
    pub content: PathBuf,
    /// A theme folder overriding the built-in theme.
    pub theme: Option<PathBuf>,
    /// The sentence saying what changed (what readers see in "Ändringar i handboken").
    pub sentence: String,
    /// List what would be published, change nothing.
    pub dry_run: bool,
    /// Warnings stop the publication too.
    pub strict: bool,
}

/// How a publication ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Committed (if needed), delivered, marked, and pushed where there is a remote.
    Published,
    /// Nothing changed since the last publication.
    NothingToPublish,
    /// `--dry-run`: listed, nothing changed.
    DryRun,
    /// The content has errors (or warnings with `--strict`): nothing was changed.
    CheckFailed,
    /// Refused before anything was changed, or the delivery failed (the commit is kept).
    Refused,
    /// Delivered and marked, but the push to the remote failed (the commit is kept).
    DeliveredNotPushed,
}

impl Status {
    /// The command's exit status: 0, 1, or 3 for "delivered, not pushed".
    pub fn exit_code(self) -> u8 {
        match self {
            Status::Published | Status::NothingToPublish | Status::DryRun => 0,
            Status::CheckFailed | Status::Refused => 1,
            Status::DeliveredNotPushed => 3,
        }
    }
}

/// What a publication did and said.
#[derive(Debug)]
pub struct Outcome {
    /// How it ended.
    pub status: Status,
    /// What to tell the person, in order.
    pub messages: Vec<Message>,
    /// The content files changed since the last publication.
    pub changes: Vec<Change>,
    /// The checks' errors and warnings.
    pub diagnostics: Diagnostics,
}

impl Outcome {
    fn new() -> Outcome {
        Outcome {
            status: Status::Refused,
            messages: Vec::new(),
            changes: Vec::new(),
            diagnostics: Diagnostics::new(),
        }
    }

    fn end(mut self, status: Status, message: Message) -> Outcome {
        self.status = status;
        self.messages.push(message);
        self
    }
}

/// Publish the handbook whose content folder is `options.content`, writing the site through
/// `writer` (the real filesystem but in tests).
pub fn publish(options: &Options, writer: &dyn Writer) -> Outcome {
    let outcome = Outcome::new();
    let sentence = options.sentence.split_whitespace().collect::<Vec<_>>().join(" ");
    if sentence.chars().count() > repo::MAX_SENTENCE {
        return outcome.end(
            Status::Refused,
            Message::new("publish_sentence_too_long").arg("max", repo::MAX_SENTENCE.to_string()),
        );
    }
    // The lock: two publications at once (two tabs, or a tab and a scheduled job) would race
    // for the commit and the target. The operating system releases it when the process ends,
    // however it ends, so a killed run never leaves a stale lock.
    let lock = match take_lock(&options.content) {
        Ok(lock) => lock,
        Err(message) => return outcome.end(Status::Refused, message),
    };
    let result = run(options, &sentence, writer, outcome);
    drop(lock);
    result
}

fn take_lock(content: &Path) -> Result<fs::File, Message> {
    let dir = content.join(".handbok");
    if !content.is_dir() {
        return Err(Message::new("publish_no_content").arg("path", content.display().to_string()));
    }
    let failed = |e: std::io::Error| Message::new("publish_lock_failed").arg("reason", e.to_string());
    fs::create_dir_all(&dir).map_err(failed)?;
    // What handbok keeps here (the author, the lock, the editor's earlier versions) is never
    // committed; this keeps it out of `git status` too.
    let ignore = dir.join(".gitignore");
    if !ignore.exists() {
        fs::write(&ignore, "*\n").map_err(failed)?;
    }
    let file = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join(LOCK_FILE))
        .map_err(failed)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(fs::TryLockError::WouldBlock) => Err(Message::new("publish_busy")),
        Err(fs::TryLockError::Error(e)) => Err(failed(e)),
    }
}

fn run(options: &Options, sentence: &str, writer: &dyn Writer, mut outcome: Outcome) -> Outcome {
    let handbook = match repo::open(&options.content, !options.dry_run) {
        Ok(Some(h)) => h,
        Ok(None) => {
            // A dry run in a folder that is not a repository yet: everything would be new.
            return outcome.end(Status::DryRun, Message::new("publish_dry_run_not_a_repository"));
        }
        Err(message) => return outcome.end(Status::Refused, message),
    };
    let mut handbook = handbook;
    if let Err(message) = handbook.check_state() {
        return outcome.end(Status::Refused, message);
    }
    let gathered = (|| {
        let head = handbook.head();
        let last = mark::last(&handbook.repo);
        let work = handbook.work_files()?;
        let head_files = handbook.files_at(head)?;
        let marked_files = handbook.files_at(last.as_ref().map(|(_, c)| *c))?;
        Ok::<_, Message>((head, last, work, head_files, marked_files))
    })();
    let (head, last, work, head_files, marked_files) = match gathered {
        Ok(g) => g,
        Err(message) => return outcome.end(Status::Refused, message),
    };
    outcome.changes = repo::changes(&marked_files, &work);
    let to_commit = work != head_files;
    let to_deliver = to_commit || head.is_some() && head != last.as_ref().map(|(_, c)| *c);
    if !to_deliver {
        return outcome.end(Status::NothingToPublish, Message::new("publish_nothing"));
    }
    // Where the site goes, checked before anything is changed.
    let config = match read_settings(&options.content) {
        Ok(c) => c,
        Err(message) => return outcome.end(Status::Refused, message),
    };
    let target = match deliver::target(&handbook.content, config.publish.as_ref().map(|p| p.to.as_str())) {
        Ok(t) => t,
        Err(message) => return outcome.end(Status::Refused, message),
    };
    // Every check of `build` (and `check --strict` with --strict), on the files to commit.
    let check_options = crate::BuildOptions {
        content: handbook.content.clone(),
        theme: options.theme.clone(),
        out: target.clone(),
        preview: false,
        history_from: None,
    };
    let passed = crate::check(&check_options, &mut outcome.diagnostics).is_some();
    let (errors, warnings) = (outcome.diagnostics.error_count(), outcome.diagnostics.warning_count());
    if !passed || errors > 0 {
        return outcome.end(
            Status::CheckFailed,
            Message::new("publish_check_errors")
                .arg("errors", errors.to_string())
                .arg("warnings", warnings.to_string()),
        );
    }
    if options.strict && warnings > 0 {
        return outcome.end(
            Status::CheckFailed,
            Message::new("publish_check_strict").arg("warnings", warnings.to_string()),
        );
    }
    if options.dry_run {
        let key = if to_commit {
            "publish_dry_run"
        } else {
            "publish_dry_run_deliver_only"
        };
        return outcome.end(
            Status::DryRun,
            Message::new(key).arg("path", target.display().to_string()),
        );
    }
    let commit = if to_commit {
        // The sentence is needed only for a new commit; delivering one made earlier needs none.
        if sentence.is_empty() {
            return outcome.end(Status::Refused, Message::new("publish_no_sentence"));
        }
        if let Err(message) = handbook.ensure_author() {
            return outcome.end(Status::Refused, message);
        }
        match handbook.commit(sentence, &work, &head_files) {
            Ok(c) => {
                outcome
                    .messages
                    .push(Message::new("publish_committed").arg("commit", short(c)));
                c
            }
            Err(message) => return outcome.end(Status::Refused, message),
        }
    } else {
        let head = head.expect("to_deliver without a commit needs a HEAD");
        outcome
            .messages
            .push(Message::new("publish_delivering_earlier").arg("commit", short(head)));
        head
    };
    let mut build_diags = Diagnostics::new();
    if let Err(message) = deliver::deliver(
        &handbook,
        commit,
        &target,
        options.theme.as_deref(),
        writer,
        &mut build_diags,
    ) {
        outcome
            .diagnostics
            .extend(build_diags.into_iter().filter(|d| d.is_error()));
        outcome.messages.push(message);
        return outcome.end(Status::Refused, Message::new("publish_kept_for_next_time"));
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default();
    let tag = match mark::write(&handbook.repo, commit, now) {
        Ok(tag) => tag,
        Err(message) => return outcome.end(Status::Refused, message),
    };
    outcome
        .messages
        .push(Message::new("publish_delivered").arg("path", target.display().to_string()));
    if let Some(remote) = push::remote(&handbook.repo) {
        if let Err(message) = push::push(&handbook.workdir(), &remote, &tag) {
            return outcome.end(Status::DeliveredNotPushed, message);
        }
        outcome
            .messages
            .push(Message::new("publish_pushed").arg("remote", remote));
    }
    outcome.status = Status::Published;
    outcome
}

fn short(id: gix::hash::ObjectId) -> String {
    id.to_string().chars().take(10).collect()
}

fn read_settings(content: &Path) -> Result<crate::config::SiteConfig, Message> {
    let path = content.join(crate::config::SETTINGS_FILE);
    let text = fs::read_to_string(&path)
        .map_err(|e| Message::new("publish_read_failed").arg("reason", format!("{}: {e}", path.display())))?;
    crate::config::SiteConfig::parse(&text, &path).map_err(|errors| match errors.into_iter().next() {
        Some(d) => Message::new("publish_read_failed").arg_message("reason", d.message),
        None => Message::new("publish_read_failed").arg("reason", ""),
    })
}
