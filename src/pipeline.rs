//! The one entry to the build's stages. `build`, `check` and `publish` (through
//! [`crate::build_in_memory`]), `serve`'s first build, its rebuild after a save, its search
//! index catch-up, and the editor's preview of unsaved text all ask a [`Session`] to
//! [`Session::run`] a [`Request`]; nothing outside the pipeline renders, indexes or validates
//! by itself. The session is a value its caller owns: a one-shot build makes one and lets it
//! go, `serve` keeps one between saves (with the Git walk it read, so a rebuild walks only
//! the new commits). `serve` asks for the search index after a save in three steps instead of
//! [`Request::SearchIndex`]: [`Session::index_work`] under its lock, [`IndexWork::build`]
//! without it (so the editor's preview answers meanwhile), [`Session::put_index`] under it.

use std::path::PathBuf;

use crate::diag::Diagnostics;
pub use crate::incremental::{IndexBuilt, IndexWork, Rebuilt, Session};
use crate::preview::{self, Preview};

/// What to build.
#[derive(Debug, Clone, Copy)]
pub enum Request<'a> {
    /// Every stage and every output: `build`, `check`, `publish`, `serve`'s first build.
    Everything,
    /// After these files were saved, created or deleted (paths inside the content folder):
    /// only the outputs that show their text when only their text changed, else everything.
    /// The search index is left behind for [`Request::SearchIndex`], so the preview reloads
    /// first.
    Pages(&'a [PathBuf]),
    /// The search index brought up to date with the pages' text after [`Request::Pages`].
    SearchIndex,
    /// One page's unsaved text (at `source`), through the stages against the last build, for
    /// the editor's preview.
    UnsavedPage {
        /// The page's source path.
        source: &'a str,
        /// Its text in the editor.
        text: &'a str,
    },
}

/// What a [`Request`] gave.
#[derive(Debug, Clone)]
pub enum Outcome {
    /// [`Request::Everything`] or [`Request::Pages`]: what was built, `None` when there were
    /// errors (all of them in the diagnostics; the last good output is kept).
    Built(Option<Rebuilt>),
    /// [`Request::SearchIndex`]: the index's files that changed, in path order.
    SearchIndex(Vec<String>),
    /// [`Request::UnsavedPage`]: the preview, `None` when the last build has no such page (or
    /// nothing was built yet).
    Preview(Option<Preview>),
}

impl Session {
    /// Run `request`; errors and warnings of builds go to `diags` (a preview carries its own).
    pub fn run(&mut self, request: Request<'_>, diags: &mut Diagnostics) -> Outcome {
        match request {
            Request::Everything => Outcome::Built(self.build(diags).then_some(Rebuilt::Full)),
            Request::Pages(changed) => Outcome::Built(self.rebuild(changed, diags)),
            Request::SearchIndex => Outcome::SearchIndex(self.finish()),
            Request::UnsavedPage { source, text } => {
                Outcome::Preview(self.workspace().and_then(|ws| preview::preview(ws, source, text)))
            }
        }
    }
}
