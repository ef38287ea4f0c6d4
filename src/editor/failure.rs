//! How the editor's operations answer: a [`Failure`] with its HTTP status, its key in the theme's
//! string table and the JSON the editor shows, and a diagnostic as the editor lists it.

use serde::Serialize;

use super::journal::JournalError;
use super::plan::PlanRefusal;
use crate::diag::{Catalogue, Diagnostic, Severity};
use crate::files::Refusal;
use crate::import::ImportError;
use crate::theme::Strings;

/// Why an operation did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// A file rule said no.
    Refused(Refusal),
    /// A plan could not be made.
    Plan(PlanRefusal),
    /// No build has given a site to work with yet (the content does not load at all).
    NotBuilt,
    /// An operation over several files did not happen (or was rolled back).
    Journal(JournalError),
    /// Undo refused: these files changed since the operation it would undo.
    UndoChanged(Vec<String>),
    /// The page-information form's values could not be written (see `front_form`).
    Form(super::front_form::WriteRefusal),
    /// An uploaded Word document was not imported (nothing was written).
    Import(crate::import::ImportError),
}

impl From<super::front_form::WriteRefusal> for Failure {
    fn from(r: super::front_form::WriteRefusal) -> Failure {
        Failure::Form(r)
    }
}

impl From<JournalError> for Failure {
    fn from(e: JournalError) -> Failure {
        Failure::Journal(e)
    }
}

impl From<Refusal> for Failure {
    fn from(r: Refusal) -> Failure {
        Failure::Refused(r)
    }
}

impl From<PlanRefusal> for Failure {
    fn from(r: PlanRefusal) -> Failure {
        Failure::Plan(r)
    }
}

impl Failure {
    /// The HTTP status that says it.
    pub fn status(&self) -> u16 {
        match self {
            Failure::Refused(Refusal::Conflict { .. } | Refusal::Exists) => 409,
            Failure::Plan(PlanRefusal::Taken | PlanRefusal::LinkedFrom(_)) => 409,
            Failure::Refused(Refusal::TooLarge) => 413,
            Failure::Refused(Refusal::Missing | Refusal::NoHistory) | Failure::Plan(PlanRefusal::NoSuchPage) => 404,
            Failure::Refused(Refusal::Symlink) => 403,
            Failure::Refused(Refusal::Io(_)) => 500,
            Failure::NotBuilt => 503,
            Failure::Journal(JournalError::Changed(_)) | Failure::UndoChanged(_) => 409,
            Failure::Journal(JournalError::Refused(_, r)) => Failure::Refused(r.clone()).status(),
            Failure::Journal(JournalError::Failed { .. }) => 500,
            Failure::Import(ImportError::TooLarge { .. }) => 413,
            Failure::Import(ImportError::Exists { .. }) => 409,
            Failure::Import(ImportError::Write { .. }) => 500,
            Failure::Import(_) => 422,
            _ => 400,
        }
    }

    /// The string table key of its message.
    pub fn key(&self) -> &'static str {
        match self {
            Failure::Refused(r) => r.key(),
            Failure::Plan(p) => p.key(),
            Failure::NotBuilt => "editor_not_built",
            Failure::Journal(JournalError::Refused(_, r)) => r.key(),
            Failure::Journal(JournalError::Changed(_)) => "editor_changed_files",
            Failure::Journal(JournalError::Failed { not_restored, .. }) if not_restored.is_empty() => {
                "editor_journal_failed"
            }
            Failure::Journal(JournalError::Failed { .. }) => "editor_journal_not_restored",
            Failure::UndoChanged(_) => "editor_undo_changed",
            Failure::Form(r) => r.key(),
            Failure::Import(ImportError::Exists { .. }) => "editor_import_exists",
            Failure::Import(_) => "editor_import_refused",
        }
    }

    /// The JSON answer: `error` (the key), `message` (in the site's language) and what the
    /// editor shows with it (the text on disk for a conflict, the linking lines for a delete).
    pub fn answer(&self, strings: &Strings) -> serde_json::Value {
        let mut answer = serde_json::json!({
            "error": self.key(),
            "message": strings.text(self.key()),
        });
        match self {
            Failure::Refused(Refusal::Conflict { current, version }) => {
                answer["current"] = current.as_str().into();
                answer["version"] = version.as_str().into();
            }
            Failure::Refused(Refusal::Io(detail)) => answer["detail"] = detail.as_str().into(),
            Failure::Plan(PlanRefusal::LinkedFrom(lines)) => {
                answer["links"] = serde_json::to_value(lines).unwrap_or_default();
            }
            Failure::Journal(JournalError::Changed(files)) | Failure::UndoChanged(files) => {
                answer["files"] = files.clone().into();
                answer["message"] = fill(strings.text(self.key()), &[("files", &files.join(", "))]).into();
            }
            Failure::Journal(JournalError::Refused(file, _)) => answer["files"] = vec![file.clone()].into(),
            Failure::Form(r) => answer["field"] = r.field().into(),
            Failure::Import(e) => {
                // The importer's own words (as `handbok import` prints them), in the editor's frame.
                let why = e.to_string();
                answer["message"] = fill(strings.text("editor_import_refused"), &[("why", &why)]).into();
                let hint = match e {
                    ImportError::TrackedChanges { .. } => "editor_import_hint_changes",
                    ImportError::Exists { .. } => "editor_import_hint_replace",
                    _ => "",
                };
                if !hint.is_empty() {
                    answer["hint"] = strings.text(hint).into();
                }
            }
            Failure::Journal(JournalError::Failed {
                file,
                detail,
                not_restored,
                record,
            }) => {
                answer["files"] = vec![file.clone()].into();
                answer["detail"] = detail.as_str().into();
                let message = fill(
                    strings.text(self.key()),
                    &[("file", file), ("files", &not_restored.join(", ")), ("record", record)],
                );
                answer["message"] = message.into();
            }
            _ => {}
        }
        answer
    }
}

/// A diagnostic as the editor shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DiagnosticView {
    /// `error` or `warning`.
    pub severity: &'static str,
    /// 1-based line of the file, 0 for the whole file.
    pub line: usize,
    /// 1-based column, 0 for the whole line.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: Option<String>,
    /// As `handbok check` prints it.
    pub text: String,
    /// The file, relative to the content folder (set for problems of other files).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub file: String,
}

impl DiagnosticView {
    /// `d` worded by `catalogue` (the handbook's language).
    pub fn new(d: &Diagnostic, catalogue: &dyn Catalogue) -> DiagnosticView {
        DiagnosticView {
            severity: match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            },
            line: d.line,
            column: d.column,
            message: d.message.words(catalogue),
            hint: d.hint_words(catalogue),
            text: d.render(catalogue),
            file: String::new(),
        }
    }
}

/// `text` with each `{name}` replaced by its value.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(text.to_string(), |text, (name, value)| {
        text.replace(&format!("{{{name}}}"), value)
    })
}
