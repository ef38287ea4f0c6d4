//! "Ångra senaste sparning": what the last change of a page was, said before it is undone, and
//! undoing it as a whole.
//!
//! The last change of a page is the newest operation in the journal (`journal`) that left the
//! page as it is now (a rename with its link rewrites, a move), else its last save (the newest
//! previous version `files` keeps). An operation is undone through the journal again: every
//! file it wrote gets its earlier text back and a renamed page its old name, all or nothing; it
//! is refused, naming the files, when any of them changed since.

use serde::{Deserialize, Serialize};

use super::failure::{fill, Failure};
use super::journal::{self, Change, Kind, Record};
use super::Saved;
use crate::files::{ContentFolder, Refusal};
use crate::theme::Strings;

/// An undo (and its plan): the page and the version the editor holds.
#[derive(Debug, Clone, Deserialize)]
pub struct UndoRequest {
    /// The page.
    pub source: String,
    /// Its version in the editor.
    pub version: String,
    /// The operation the dialog showed (`operation` of the plan); the undo happens only if it
    /// is still the one to undo.
    #[serde(default)]
    pub operation: Option<String>,
}

/// What an undo will do, for the dialog.
#[derive(Debug, Clone, Serialize)]
pub struct UndoPlan {
    /// The operation's name (`"save"` for a single save).
    pub operation: String,
    /// `save`, `rename` or `move`.
    pub kind: &'static str,
    /// What will be undone, in the site's language.
    pub message: String,
    /// Every file that will be written back.
    pub files: Vec<String>,
    /// The page's file after the undo.
    pub source: String,
}

/// The last change of a page.
enum Last {
    Save,
    Operation(Record),
}

fn last_change(folder: &ContentFolder, source: &str, version: &str) -> Result<Last, Failure> {
    let (text, now) = folder.read_text(source)?;
    if now != version {
        return Err(Refusal::Conflict {
            current: text,
            version: now,
        }
        .into());
    }
    let newest = journal::records(folder)
        .into_iter()
        .rev()
        .find(|r| r.files.iter().any(|f| f.source == source && f.after_version == now));
    match newest {
        Some(record) => Ok(Last::Operation(record)),
        None if folder.version_count(source) > 0 => Ok(Last::Save),
        None => Err(Refusal::NoHistory.into()),
    }
}

/// Whether the page's last change is an operation the journal can undo.
pub fn has_operation(folder: &ContentFolder, source: &str, version: &str) -> bool {
    matches!(last_change(folder, source, version), Ok(Last::Operation(_)))
}

/// The files of `record`, each once, in the order written.
fn files_of(record: &Record) -> Vec<String> {
    let mut files: Vec<String> = Vec::new();
    for f in &record.files {
        if !files.contains(&f.source) {
            files.push(f.source.clone());
        }
    }
    files
}

/// Files of `record` that changed since it was written: undoing it would lose their changes.
fn changed_since(folder: &ContentFolder, record: &Record) -> Vec<String> {
    let mut changed: Vec<String> = record
        .files
        .iter()
        .filter(|f| !folder.version(&f.source).is_ok_and(|v| v == f.after_version))
        .map(|f| f.source.clone())
        .collect();
    changed.dedup();
    changed
}

/// Say what an undo of page `source` would do; refused, naming the files, when they changed.
pub fn plan(folder: &ContentFolder, strings: &Strings, request: &UndoRequest) -> Result<UndoPlan, Failure> {
    match last_change(folder, &request.source, &request.version)? {
        Last::Save => Ok(UndoPlan {
            operation: "save".into(),
            kind: "save",
            message: fill(strings.text("editor_undo_plan_save"), &[("file", &request.source)]),
            files: vec![request.source.clone()],
            source: request.source.clone(),
        }),
        Last::Operation(record) => {
            let changed = changed_since(folder, &record);
            if !changed.is_empty() {
                return Err(Failure::UndoChanged(changed));
            }
            let files = files_of(&record);
            let n = files.len().to_string();
            let (kind, message) = match record.kind {
                Kind::Rename => (
                    "rename",
                    fill(
                        strings.text("editor_undo_plan_rename"),
                        &[
                            ("from", record.from.as_deref().unwrap_or_default()),
                            ("to", record.to.as_deref().unwrap_or_default()),
                            ("n", &n),
                        ],
                    ),
                ),
                Kind::Move => ("move", fill(strings.text("editor_undo_plan_move"), &[("n", &n)])),
            };
            Ok(UndoPlan {
                operation: record.id.clone(),
                kind,
                message,
                files,
                source: back_at(&record, &request.source),
            })
        }
    }
}

/// Where page `source` is after `record` is undone (a renamed page is back at its old name).
fn back_at(record: &Record, source: &str) -> String {
    match (&record.from, &record.to) {
        (Some(from), Some(to)) if to == source => from.clone(),
        _ => source.to_string(),
    }
}

/// Undo the last change of page `source`: its last save, or the whole operation.
pub fn undo(folder: &ContentFolder, request: &UndoRequest) -> Result<Saved, Failure> {
    let last = last_change(folder, &request.source, &request.version)?;
    let id = match &last {
        Last::Save => "save",
        Last::Operation(record) => record.id.as_str(),
    };
    if request.operation.as_deref().is_some_and(|shown| shown != id) {
        // Something else became the last change since the dialog asked.
        return Err(Failure::UndoChanged(vec![request.source.clone()]));
    }
    let record = match last {
        Last::Save => {
            let (text, version) = folder.restore_previous(&request.source, &request.version)?;
            return Ok(Saved {
                source: request.source.clone(),
                text,
                version,
                versions_kept: versions_kept(folder, &request.source),
            });
        }
        Last::Operation(record) => record,
    };
    let changed = changed_since(folder, &record);
    if !changed.is_empty() {
        return Err(Failure::UndoChanged(changed));
    }
    let mut changes = Vec::new();
    for f in record.files.iter().rev() {
        let now = if f.after_version == "none" {
            None
        } else {
            Some(folder.read_text(&f.source)?.0)
        };
        changes.push(Change {
            source: f.source.clone(),
            before: now,
            after: f.before.clone(),
        });
    }
    journal::apply(folder, &changes, None)?;
    journal::forget(folder, &record.id);
    let source = back_at(&record, &request.source);
    let (text, version) = folder.read_text(&source)?;
    Ok(Saved {
        versions_kept: versions_kept(folder, &source),
        source,
        text,
        version,
    })
}

/// How many steps back "Ångra senaste sparning" can go from the page as it is now: its kept
/// versions, and one more when its last change is an operation.
pub fn versions_kept(folder: &ContentFolder, source: &str) -> usize {
    let operation = folder
        .version(source)
        .is_ok_and(|version| has_operation(folder, source, &version));
    folder.version_count(source) + usize::from(operation)
}
