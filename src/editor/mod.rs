//! The browser editor of `handbok serve`: everything it does to the content, apart from HTTP.
//!
//! - `files`: the one place that writes content files, with its safety rules (names checked,
//!   no symbolic link, size limits, atomic saves, refused saves over changes made elsewhere,
//!   previous versions kept in `.handbok/historik/`). This is the documented exception to "only
//!   `output` and `init` write files".
//! - `preview`: one page's unsaved text through the build's own stages, against the last build.
//! - `front_form`: the page-information form's one parser: front matter → form fields and
//!   changed fields → front matter, read back with the build's own reader.
//! - `deleted`: deleted pages listed from their kept versions and brought back.
//! - `front`: one front matter key set or removed, the other lines kept.
//! - `plan`: new page, rename with every link updated, delete (refused while linked), move.
//! - `failure`: why an operation did not happen, as a status, a string key and JSON.
//! - `journal`: an operation over several files (rename, move, their undo) all or nothing:
//!   planned, staged in temporary files, committed in order, rolled back on any failure, and
//!   recorded in `.handbok/journal/` for undo. It writes through the paths `files` checks.
//! - `relink`: links pointed at a page's new name through the Markdown parser's source ranges.
//! - `undo`: "Ångra senaste sparning": the page's last save, or its last operation as a whole.
//! - `import`: "Importera Word-dokument": an uploaded .docx written as `handbok import` writes
//!   it, and the alternative texts the editor asks for written into the page.
//! - `ops`: the operations the server's handlers call, with their requests and answers (JSON).
//! - `page`: the editor page itself (HTML from `editor.html`, with its script from `js/*.js` and
//!   `editor.css`),
//!   every word from the theme's string table.
//!
//! `serve` checks the request (loopback `Host`, own `Origin`, the per-run token) before any of
//! this runs.

pub mod deleted;
pub mod failure;
pub mod front;
pub mod front_form;
pub mod import;
pub mod journal;
pub mod ops;
pub mod page;
pub mod plan;
pub mod relink;
pub mod undo;

pub use crate::files::{ContentFolder, Refusal};
/// The preview of unsaved text is the pipeline's ([`crate::preview`]); the editor asks for it.
pub use crate::preview;
pub use failure::Failure;
pub use plan::PlanRefusal;

use serde::Serialize;

/// A saved (or restored) file.
#[derive(Debug, Clone, Serialize)]
pub struct Saved {
    /// The file.
    pub source: String,
    /// Its text now.
    pub text: String,
    /// Its version now.
    pub version: String,
    /// Earlier versions kept.
    pub versions_kept: usize,
}
