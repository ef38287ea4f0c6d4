//! The journal: an operation that writes several files (a rename with its link rewrites, a
//! move that writes `order` in several pages, the undo of either) happens as a whole or not at
//! all.
//!
//! 1. Plan: every change names the text the file must hold now and the text it will hold (or
//!    that it must not exist / will be removed). Every file is checked through
//!    [`ContentFolder::resolve`] (names, no symbolic link) and against what it holds now;
//!    every file that differs is named.
//! 2. Stage: each new text goes to a hidden temporary file beside its file, flushed to disk.
//! 3. Record: the operation with every file's earlier text goes to `.handbok/journal/` (what
//!    undo uses, and what is left if a rollback itself fails).
//! 4. Commit, in order: each file checked once more, then its temporary file renamed over it (a
//!    new file linked in place without replacing anything, a removed file unlinked).
//!
//! If any step fails, every file already committed gets its earlier text back (written
//! atomically), the temporary files are removed and the record is dropped: every file is as it
//! was, and the failure names the file that failed.
//!
//! For tests there is one seam, owned by the caller: a [`ContentFolder`] made
//! `with_faults(Faults)` fails a named file at staging or at commit (no state outside it).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::files::{version_of, ContentFolder, Refusal, MAX_TEXT_BYTES, TEMP_SUFFIX};
/// The test seam's steps and faults (see [`ContentFolder::with_faults`]).
pub use crate::files::{Faults, Phase};

/// The folder of operation records, inside the content folder.
pub const JOURNAL_DIR: &str = ".handbok/journal";
/// Operation records kept for undo; the oldest go first.
pub const RECORDS_KEPT: usize = 20;
/// Operation records kept in all, in bytes; the oldest go first (the newest is always kept).
pub const RECORDS_BYTES: u64 = 50 * 1024 * 1024;

/// One file of an operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    /// The file, relative to the content folder.
    pub source: String,
    /// Its text now (`None`: it must not exist).
    pub before: Option<String>,
    /// Its text after (`None`: it is removed).
    pub after: Option<String>,
}

/// What kind of operation wrote the files (a key for the editor's words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A page renamed, with the links to it.
    Rename,
    /// A page moved among its siblings (their `order`).
    Move,
}

/// A file of a recorded operation: its earlier text and the version it was left at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Written {
    /// The file.
    pub source: String,
    /// Its text before the operation (`None`: the operation created it).
    pub before: Option<String>,
    /// Its version after the operation (`"none"`: the operation removed it).
    pub after_version: String,
}

/// An operation as recorded in `.handbok/journal/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// Its name (a time stamp; newer sorts later).
    pub id: String,
    /// What it was.
    pub kind: Kind,
    /// For a rename: the page's file before and after.
    pub from: Option<String>,
    /// See `from`.
    pub to: Option<String>,
    /// Every file it wrote, in the order written.
    pub files: Vec<Written>,
}

/// Why a journal did not happen. Every file is as it was unless `restored` says otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JournalError {
    /// A file rule said no (name, symbolic link, size) for this file.
    Refused(String, Refusal),
    /// These files no longer hold what the operation was planned against.
    Changed(Vec<String>),
    /// Writing `file` failed; `not_restored` lists files that could not be put back (their
    /// earlier text stays in the record `record`).
    Failed {
        /// The file that failed.
        file: String,
        /// What the system said.
        detail: String,
        /// Files a rollback could not put back (empty: every file is as it was).
        not_restored: Vec<String>,
        /// The record holding their earlier texts.
        record: String,
    },
}

/// A staged change: the checked path and the temporary file holding its new text.
struct Staged {
    path: PathBuf,
    temp: Option<PathBuf>,
}

/// Apply `changes` as a whole. With `record` (kind, from, to), the operation is recorded for
/// undo and the record's name returned.
pub fn apply(
    folder: &ContentFolder,
    changes: &[Change],
    record: Option<(Kind, Option<&str>, Option<&str>)>,
) -> Result<Option<String>, JournalError> {
    // 1. Plan: every file checked, every difference named.
    let mut paths = Vec::new();
    let mut changed = Vec::new();
    for change in changes {
        let (path, _) = folder
            .resolve(&change.source)
            .map_err(|r| JournalError::Refused(change.source.clone(), r))?;
        if change.after.as_ref().is_some_and(|t| t.len() > MAX_TEXT_BYTES) {
            return Err(JournalError::Refused(change.source.clone(), Refusal::TooLarge));
        }
        if !holds(&path, change.before.as_deref()) {
            changed.push(change.source.clone());
        }
        paths.push(path);
    }
    if !changed.is_empty() {
        return Err(JournalError::Changed(changed));
    }
    // 2. Stage.
    let mut staged: Vec<Staged> = Vec::new();
    for (change, path) in changes.iter().zip(paths) {
        let temp = match &change.after {
            Some(text) => match folder
                .fault(&change.source, Phase::Stage)
                .and_then(|()| stage(&path, text.as_bytes()))
            {
                Ok(temp) => Some(temp),
                Err(e) => {
                    remove_temps(&staged);
                    return Err(failed(&change.source, &e, Vec::new(), String::new()));
                }
            },
            None => None,
        };
        staged.push(Staged { path, temp });
    }
    // 3. Record.
    let id = match record {
        Some((kind, from, to)) => match write_record(folder, kind, from, to, changes) {
            Ok(id) => Some(id),
            Err(e) => {
                remove_temps(&staged);
                return Err(failed(JOURNAL_DIR, &e, Vec::new(), String::new()));
            }
        },
        None => None,
    };
    // 4. Commit in order; on a failure, roll back what was committed.
    for (at, (change, step)) in changes.iter().zip(&staged).enumerate() {
        let result = if holds(&step.path, change.before.as_deref()) {
            folder
                .fault(&change.source, Phase::Commit)
                .and_then(|()| commit(change, step))
        } else {
            Err(std::io::Error::other("changed"))
        };
        if let Err(e) = result {
            let not_restored = roll_back(&changes[..at], &staged[..at]);
            remove_temps(&staged[at..]);
            let record_name = id.clone().unwrap_or_default();
            if not_restored.is_empty() {
                if let Some(id) = &id {
                    let _ = fs::remove_file(record_path(folder, id));
                }
            }
            if e.to_string() == "changed" && not_restored.is_empty() {
                return Err(JournalError::Changed(vec![change.source.clone()]));
            }
            return Err(failed(&change.source, &e, not_restored, record_name));
        }
    }
    if id.is_some() {
        trim_records(folder);
    }
    Ok(id)
}

fn failed(file: &str, e: &std::io::Error, not_restored: Vec<String>, record: String) -> JournalError {
    JournalError::Failed {
        file: file.to_string(),
        detail: e.to_string(),
        not_restored,
        record,
    }
}

/// Whether the file at `path` holds `text` (`None`: does not exist).
fn holds(path: &Path, text: Option<&str>) -> bool {
    match (fs::read(path), text) {
        (Ok(bytes), Some(text)) => bytes == text.as_bytes(),
        (Err(e), None) => e.kind() == std::io::ErrorKind::NotFound,
        _ => false,
    }
}

/// Write `bytes` to a new hidden temporary file beside `path`, flushed to disk.
fn stage(path: &Path, bytes: &[u8]) -> std::io::Result<PathBuf> {
    let dir = path.parent().ok_or_else(|| std::io::Error::other("no folder"))?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    for n in 0..100 {
        let temp = dir.join(format!(".{name}.{stamp}-{n}{TEMP_SUFFIX}"));
        let file = fs::OpenOptions::new().write(true).create_new(true).open(&temp);
        let mut file = match file {
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            other => other?,
        };
        let written = file.write_all(bytes).and_then(|()| file.sync_all());
        if let Err(e) = written {
            let _ = fs::remove_file(&temp);
            return Err(e);
        }
        return Ok(temp);
    }
    Err(std::io::Error::other("no free temporary name"))
}

fn commit(change: &Change, step: &Staged) -> std::io::Result<()> {
    match (&step.temp, &change.before) {
        (Some(temp), Some(_)) => fs::rename(temp, &step.path),
        // A new file: linked in place, never over one that appeared meanwhile.
        (Some(temp), None) => {
            fs::hard_link(temp, &step.path)?;
            fs::remove_file(temp)
        }
        (None, _) => fs::remove_file(&step.path),
    }
}

/// Put back the earlier text of each committed change, newest first; the files that could not be.
fn roll_back(changes: &[Change], staged: &[Staged]) -> Vec<String> {
    let mut not_restored = Vec::new();
    for (change, step) in changes.iter().zip(staged).rev() {
        let restored = match &change.before {
            Some(text) => stage(&step.path, text.as_bytes()).and_then(|temp| {
                fs::rename(&temp, &step.path).inspect_err(|_| {
                    let _ = fs::remove_file(&temp);
                })
            }),
            None => fs::remove_file(&step.path),
        };
        if restored.is_err() {
            not_restored.push(change.source.clone());
        }
    }
    not_restored
}

fn remove_temps(staged: &[Staged]) {
    for temp in staged.iter().filter_map(|s| s.temp.as_ref()) {
        let _ = fs::remove_file(temp);
    }
}

/// The journal folder, made if missing; never through a symbolic link.
fn journal_dir(folder: &ContentFolder) -> std::io::Result<PathBuf> {
    let handbok = folder.root().join(".handbok");
    let dir = folder.root().join(JOURNAL_DIR);
    for part in [&handbok, &dir] {
        if fs::symlink_metadata(part).is_ok_and(|m| !m.file_type().is_dir()) {
            return Err(std::io::Error::other(format!("{} is not a folder", part.display())));
        }
    }
    fs::create_dir_all(&dir)?;
    // Git should not track it: it is this computer's safety net.
    let ignore = handbok.join(".gitignore");
    if fs::symlink_metadata(&ignore).is_err() {
        let _ = fs::write(&ignore, "*\n");
    }
    Ok(dir)
}

fn record_path(folder: &ContentFolder, id: &str) -> PathBuf {
    folder.root().join(JOURNAL_DIR).join(format!("{id}.json"))
}

fn write_record(
    folder: &ContentFolder,
    kind: Kind,
    from: Option<&str>,
    to: Option<&str>,
    changes: &[Change],
) -> std::io::Result<String> {
    let dir = journal_dir(folder)?;
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_micros();
    let mut id = format!("{stamp:020}");
    let mut n = 1;
    while dir.join(format!("{id}.json")).exists() {
        id = format!("{stamp:020}-{n:03}");
        n += 1;
    }
    let record = Record {
        id: id.clone(),
        kind,
        from: from.map(str::to_string),
        to: to.map(str::to_string),
        files: changes
            .iter()
            .map(|c| Written {
                source: c.source.clone(),
                before: c.before.clone(),
                after_version: version_of(c.after.as_deref().map(str::as_bytes)),
            })
            .collect(),
    };
    let json = serde_json::to_vec(&record).map_err(std::io::Error::other)?;
    let path = dir.join(format!("{id}.json"));
    let temp = stage(&path, &json)?;
    fs::rename(&temp, &path).inspect_err(|_| {
        let _ = fs::remove_file(&temp);
    })?;
    Ok(id)
}

/// The recorded operations, oldest first (records that cannot be read are left out).
pub fn records(folder: &ContentFolder) -> Vec<Record> {
    let dir = folder.root().join(JOURNAL_DIR);
    if fs::symlink_metadata(&dir).is_ok_and(|m| !m.file_type().is_dir()) {
        return Vec::new();
    }
    let mut names: Vec<PathBuf> = fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    names.retain(|p| p.extension().is_some_and(|e| e == "json"));
    names.sort();
    names
        .iter()
        .filter(|p| fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_file()))
        .filter_map(|p| fs::read(p).ok())
        .filter_map(|bytes| serde_json::from_slice(&bytes).ok())
        .collect()
}

/// Drop a record (after its operation was undone).
pub fn forget(folder: &ContentFolder, id: &str) {
    if id.chars().all(|c| c.is_ascii_digit() || c == '-') {
        let _ = fs::remove_file(record_path(folder, id));
    }
}

/// Keep the newest [`RECORDS_KEPT`] records, and no more than [`RECORDS_BYTES`] of them.
fn trim_records(folder: &ContentFolder) {
    let dir = folder.root().join(JOURNAL_DIR);
    let mut names: Vec<(PathBuf, u64)> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
                .map(|e| (e.path(), e.metadata().map_or(0, |m| m.len())))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    let mut total: u64 = names.iter().map(|(_, size)| size).sum();
    let mut count = names.len();
    for (path, size) in names.iter().take(names.len().saturating_sub(1)) {
        if count <= RECORDS_KEPT && total <= RECORDS_BYTES {
            break;
        }
        if fs::remove_file(path).is_ok() {
            count -= 1;
            total -= size;
        }
    }
}
