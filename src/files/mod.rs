//! Safe file operations in the content folder, for the editor and the Word import (input layer:
//! both faces write through it). Every path comes from a browser or a document, so each one is
//! checked before anything is touched:
//! - relative, `/`-separated, inside the content folder: no absolute path, drive letter, `..`,
//!   `.`, empty part, hidden name (`.x`), backslash, colon or control character;
//! - of a kind the editor may write: a page (`.md`), the settings (`site.yml` at the top) or an
//!   image (`.png`, `.jpg`, `.jpeg`, `.gif`, `.webp`), within its size limit;
//! - never through a symbolic link: no part of the path may be one, and every folder is opened
//!   part by part without following one (`dir`), also when a link is swapped in later;
//! - a name Windows cannot hold, a decomposed (NFD) name, or a new name that differs from a
//!   file beside it only by case or accents is refused (`names`).
//!
//! A save writes a temporary file beside the page and puts it in place of the page, so a crash
//! mid-save leaves the old file whole. A save names the version of the file it started from; if
//! the file on disk is different, the save is refused with the text on disk ([`Refusal::Conflict`]),
//! also when the change lands between the check and the replace (`replace`). A file that is
//! there but cannot be read is never taken for a missing one.
//! The previous version of every file saved, renamed or deleted is kept in
//! `.handbok/historik/` in the content folder (hidden, so the build never sees it), at most
//! [`VERSIONS_KEPT`] per file and [`HISTORY_BYTES`] in all, only once the save succeeded.

mod dir;
mod history;
mod names;
mod replace;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use dir::{EntryKind, SafeDir};
pub use names::check_name;

/// Largest page or settings file the editor writes.
pub const MAX_TEXT_BYTES: usize = 2 * 1024 * 1024;
/// Largest image the editor writes.
pub const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;
/// Image types the editor uploads (SVG is left out: it can carry scripts).
pub const IMAGE_EXTENSIONS: [&str; 5] = ["png", "jpg", "jpeg", "gif", "webp"];
/// Previous versions kept per file.
pub const VERSIONS_KEPT: usize = 20;
/// Previous versions kept in all, in bytes; the oldest go first.
pub const HISTORY_BYTES: u64 = 50 * 1024 * 1024;
/// The folder of previous versions, inside the content folder.
pub const HISTORY_DIR: &str = ".handbok/historik";
/// How the temporary file of a save ends (`.name.md.<time>.handbok-tmp`, beside the page).
/// Files of exactly that pattern are handbok's own: removed when the editor starts, and
/// ignored by Git through the `.gitignore` that `handbok init` writes.
pub const TEMP_SUFFIX: &str = ".handbok-tmp";

/// Why the editor will not do something. Each has a key in the theme's string table
/// (`editor_refused_…`), so the browser shows it in the site's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The name has a part that is not allowed (empty, hidden, a character not allowed).
    BadName,
    /// The path climbs out with `..` or `.`.
    Traversal,
    /// The path is absolute or names a drive.
    Absolute,
    /// A part of the path is a symbolic link.
    Symlink,
    /// Not a page, the settings or an image.
    WrongKind,
    /// Larger than the limit for its kind.
    TooLarge,
    /// The file does not exist.
    Missing,
    /// A file with that name exists already.
    Exists,
    /// The file changed on disk since the editor opened it.
    Conflict {
        /// The text on disk now.
        current: String,
        /// Its version.
        version: String,
    },
    /// No earlier version is kept.
    NoHistory,
    /// The file is there but cannot be read (permissions, or a folder by that name).
    Unreadable,
    /// A name Windows keeps for devices (`CON`, `NUL`, `COM1`, … with any extension).
    Reserved,
    /// The name has decomposed letters (NFD: `a` followed by a combining ring, not `å`).
    Decomposed,
    /// A file beside it has the same name but for case or accents (`Lön.md` beside `lon.md`).
    Twin(String),
    /// Reading or writing failed.
    Io(String),
}

impl Refusal {
    /// The string table key of the refusal's message.
    pub fn key(&self) -> &'static str {
        match self {
            Refusal::BadName => "editor_refused_name",
            Refusal::Traversal => "editor_refused_traversal",
            Refusal::Absolute => "editor_refused_absolute",
            Refusal::Symlink => "editor_refused_symlink",
            Refusal::WrongKind => "editor_refused_kind",
            Refusal::TooLarge => "editor_refused_size",
            Refusal::Missing => "editor_refused_missing",
            Refusal::Exists => "editor_refused_exists",
            Refusal::Conflict { .. } => "editor_conflict",
            Refusal::NoHistory => "editor_no_history",
            Refusal::Unreadable => "editor_refused_unreadable",
            Refusal::Reserved => "editor_refused_reserved",
            Refusal::Decomposed => "editor_refused_decomposed",
            Refusal::Twin(_) => "editor_refused_twin",
            Refusal::Io(_) => "editor_refused_io",
        }
    }
}

/// What kind of file a path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A Markdown page.
    Page,
    /// `site.yml`.
    Settings,
    /// An image.
    Image,
}

impl FileKind {
    fn limit(self) -> usize {
        match self {
            FileKind::Image => MAX_IMAGE_BYTES,
            _ => MAX_TEXT_BYTES,
        }
    }
}

/// A file's version: a hash of its bytes (stable across runs, so a draft kept in the browser
/// still knows what it started from), or `"none"` for a file that does not exist.
pub fn version_of(bytes: Option<&[u8]>) -> String {
    let Some(bytes) = bytes else {
        return "none".to_string();
    };
    // FNV-1a, 64 bits: not for security, only to notice a change.
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("{hash:016x}-{}", bytes.len())
}

/// A hook a test sets to act between a save's version check and its replace (it gets the
/// file's path): the seam that proves an outside write landing there is never lost.
#[doc(hidden)]
pub type Seam = Arc<dyn Fn(&Path) + Send + Sync>;

/// A step of a write over several files (the editor's journal) at which a test makes a file
/// fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    /// Writing the file's temporary copy.
    Stage,
    /// Putting it in place.
    Commit,
}

/// The files whose writes a test makes fail, as a full disk or a read-only file would: each a
/// file relative to the content folder and the [`Phase`] it fails at. Owned by the
/// [`ContentFolder`] it is given to (and by `serve`'s options), never shared between runs.
#[doc(hidden)]
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Faults(Vec<(String, Phase)>);

impl Faults {
    /// These faults and one more: `source` fails at `phase`.
    pub fn fail(mut self, source: &str, phase: Phase) -> Faults {
        self.0.push((source.to_string(), phase));
        self
    }

    /// An error if `source` is to fail at `phase`.
    pub(crate) fn check(&self, source: &str, phase: Phase) -> std::io::Result<()> {
        if self.0.iter().any(|(s, p)| s == source && *p == phase) {
            return Err(std::io::Error::other("injected fault"));
        }
        Ok(())
    }
}

/// The content folder as the editor writes it.
#[derive(Clone)]
pub struct ContentFolder {
    root: PathBuf,
    seam: Option<Seam>,
    faults: Faults,
}

impl std::fmt::Debug for ContentFolder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ContentFolder").field("root", &self.root).finish()
    }
}

/// A conflict showing `bytes`, the file on disk now.
fn conflict(bytes: &[u8]) -> Refusal {
    Refusal::Conflict {
        version: version_of(Some(bytes)),
        current: String::from_utf8_lossy(bytes).into_owned(),
    }
}

impl ContentFolder {
    /// The content folder at `root` (which must exist). Temporary files a killed save left
    /// behind are removed (only handbok's own, by their exact pattern; no link is followed).
    pub fn new(root: &Path) -> Result<ContentFolder, Refusal> {
        let root = root.canonicalize().map_err(|e| Refusal::Io(e.to_string()))?;
        let folder = ContentFolder {
            root,
            seam: None,
            faults: Faults::default(),
        };
        folder.remove_stale_temp_files();
        Ok(folder)
    }

    /// The same folder with a hook between a save's check and its replace (tests only).
    #[doc(hidden)]
    pub fn with_seam(mut self, seam: Seam) -> ContentFolder {
        self.seam = Some(seam);
        self
    }

    /// The same folder with writes that fail where `faults` say (tests only).
    #[doc(hidden)]
    pub fn with_faults(mut self, faults: Faults) -> ContentFolder {
        self.faults = faults;
        self
    }

    /// An error if a test made `source` fail at `phase` (see [`Faults`]).
    pub(crate) fn fault(&self, source: &str, phase: Phase) -> std::io::Result<()> {
        self.faults.check(source, phase)
    }

    /// The folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The checked path of `relative`, with its kind. No part of it may be a symbolic link.
    pub fn resolve(&self, relative: &str) -> Result<(PathBuf, FileKind), Refusal> {
        let (dir, name, kind) = self.open_parent(relative)?;
        Ok((dir.path().join(name), kind))
    }

    /// The folder of `relative`, opened without following a link, its file name and kind.
    fn open_parent<'a>(&self, relative: &'a str) -> Result<(SafeDir, &'a str, FileKind), Refusal> {
        let kind = check_name(relative)?;
        let (folders, name) = match relative.rsplit_once('/') {
            Some((folders, name)) => (folders.split('/').collect::<Vec<_>>(), name),
            None => (Vec::new(), relative),
        };
        let dir = SafeDir::open(&self.root, &folders, false)?;
        if dir.kind(name) == Some(EntryKind::Other) {
            return Err(Refusal::Symlink);
        }
        Ok((dir, name, kind))
    }

    /// The text of a page or the settings, and its version.
    pub fn read_text(&self, relative: &str) -> Result<(String, String), Refusal> {
        let (dir, name, kind) = self.open_parent(relative)?;
        if kind == FileKind::Image {
            return Err(Refusal::WrongKind);
        }
        let bytes = dir.read(name)?.ok_or(Refusal::Missing)?;
        let version = version_of(Some(&bytes));
        Ok((String::from_utf8_lossy(&bytes).into_owned(), version))
    }

    /// The bytes of any file the editor may read (an image for a preview), never through a
    /// symbolic link.
    pub fn read_bytes(&self, relative: &str) -> Result<Vec<u8>, Refusal> {
        let (dir, name, _) = self.open_parent(relative)?;
        dir.read(name)?.ok_or(Refusal::Missing)
    }

    /// The version of the file now (`"none"` when missing; refused when it cannot be read).
    pub fn version(&self, relative: &str) -> Result<String, Refusal> {
        let (dir, name, _) = self.open_parent(relative)?;
        Ok(version_of(dir.read(name)?.as_deref()))
    }

    /// Write `bytes` to `relative` if the file on disk is still at version `expected`
    /// (`"none"`: it must not exist, nor a twin of its name). Keeps the replaced version once
    /// the write succeeded; returns the new version.
    pub fn write(&self, relative: &str, bytes: &[u8], expected: &str) -> Result<String, Refusal> {
        let (dir, name, kind) = self.open_parent(relative)?;
        if bytes.len() > kind.limit() {
            return Err(Refusal::TooLarge);
        }
        if expected == "none" && dir.kind(name).is_none() {
            names::refuse_twin(&dir, name, None)?;
        }
        self.replace_checked(&dir, name, relative, bytes, expected, true)
    }

    /// Write the text of a page or the settings (what the save endpoint calls): never an image.
    pub fn write_text(&self, relative: &str, text: &str, expected: &str) -> Result<String, Refusal> {
        if check_name(relative)? == FileKind::Image {
            return Err(Refusal::WrongKind);
        }
        self.write(relative, text.as_bytes(), expected)
    }

    /// Delete `relative` if it is still at version `expected`, keeping it as a previous version.
    pub fn delete(&self, relative: &str, expected: &str) -> Result<(), Refusal> {
        let (dir, name, _) = self.open_parent(relative)?;
        let current = dir.read(name)?.ok_or(Refusal::Missing)?;
        if version_of(Some(&current)) != expected {
            return Err(conflict(&current));
        }
        self.keep_version(relative, &current)?;
        dir.remove(name).map_err(|e| Refusal::Io(e.to_string()))
    }

    /// Rename `from` to `to` (same kind; `to` must not exist, nor a twin of its name beside it
    /// other than `from` itself), keeping `from`'s text as a previous version under its old name.
    pub fn rename(&self, from: &str, to: &str) -> Result<(), Refusal> {
        let (from_dir, from_name, from_kind) = self.open_parent(from)?;
        let (to_dir, to_name, to_kind) = self.open_parent(to)?;
        if from_kind != to_kind {
            return Err(Refusal::WrongKind);
        }
        let current = from_dir.read(from_name)?.ok_or(Refusal::Missing)?;
        if to_dir.kind(to_name).is_some() {
            return Err(Refusal::Exists);
        }
        let same_folder = from_dir.path() == to_dir.path();
        names::refuse_twin(&to_dir, to_name, same_folder.then_some(from_name))?;
        from_dir
            .rename_new(from_name, &to_dir, to_name)
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => Refusal::Exists,
                _ => Refusal::Io(e.to_string()),
            })?;
        if let Err(e) = self.keep_version(from, &current) {
            // All or nothing: the name goes back.
            let _ = to_dir.rename_new(to_name, &from_dir, from_name);
            return Err(e);
        }
        Ok(())
    }

    /// Put back the newest kept version of `relative` if the file is still at version
    /// `expected`; that version leaves the history. Returns the restored text and its version.
    pub fn restore_previous(&self, relative: &str, expected: &str) -> Result<(String, String), Refusal> {
        let (dir, name, kind) = self.open_parent(relative)?;
        if kind == FileKind::Image {
            return Err(Refusal::WrongKind);
        }
        let current = dir.read(name)?;
        if version_of(current.as_deref()) != expected {
            return Err(conflict(current.as_deref().unwrap_or_default()));
        }
        let (history, newest) = self.newest_version(relative)?;
        let bytes = history.read(&newest)?.ok_or(Refusal::NoHistory)?;
        let version = self.replace_checked(&dir, name, relative, &bytes, expected, false)?;
        history.remove(&newest).map_err(|e| Refusal::Io(e.to_string()))?;
        Ok((String::from_utf8_lossy(&bytes).into_owned(), version))
    }
}

#[cfg(test)]
mod tests;
