//! The editor's file operations and their safety rules. Every path comes from the browser, so
//! each one is checked before anything is touched:
//! - relative, `/`-separated, inside the content folder: no absolute path, drive letter, `..`,
//!   `.`, empty part, hidden name (`.x`), backslash, colon or control character;
//! - of a kind the editor may write: a page (`.md`), the settings (`site.yml` at the top) or an
//!   image (`.png`, `.jpg`, `.jpeg`, `.gif`, `.webp`), within its size limit;
//! - never through a symbolic link: no part of the path may be one.
//!
//! A save writes a temporary file beside the page and renames it over the page, so a crash
//! mid-save leaves the old file whole. A save names the version of the file it started from; if
//! the file on disk is different, the save is refused with the text on disk ([`Refusal::Conflict`]).
//! The previous version of every file saved, renamed or deleted is kept in
//! `.handbok/historik/` in the content folder (hidden, so the build never sees it), at most
//! [`VERSIONS_KEPT`] per file and [`HISTORY_BYTES`] in all.

mod atomic;
mod history;
mod names;

use std::fs;
use std::path::{Path, PathBuf};

use atomic::{read_existing, write_atomically};
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


/// The content folder as the editor writes it.
#[derive(Debug, Clone)]
pub struct ContentFolder {
    root: PathBuf,
}

impl ContentFolder {
    /// The content folder at `root` (which must exist).
    pub fn new(root: &Path) -> Result<ContentFolder, Refusal> {
        let root = root.canonicalize().map_err(|e| Refusal::Io(e.to_string()))?;
        Ok(ContentFolder { root })
    }

    /// The folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The checked path of `relative`, with its kind. No part of it may be a symbolic link.
    pub fn resolve(&self, relative: &str) -> Result<(PathBuf, FileKind), Refusal> {
        let kind = check_name(relative)?;
        let mut path = self.root.clone();
        for part in relative.split('/') {
            path.push(part);
            if fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
                return Err(Refusal::Symlink);
            }
        }
        Ok((path, kind))
    }

    /// The text of a page or the settings, and its version.
    pub fn read_text(&self, relative: &str) -> Result<(String, String), Refusal> {
        let (path, kind) = self.resolve(relative)?;
        if kind == FileKind::Image {
            return Err(Refusal::WrongKind);
        }
        let bytes = read_existing(&path)?;
        let version = version_of(Some(&bytes));
        Ok((String::from_utf8_lossy(&bytes).into_owned(), version))
    }

    /// The version of the file now (`"none"` when missing).
    pub fn version(&self, relative: &str) -> Result<String, Refusal> {
        let (path, _) = self.resolve(relative)?;
        Ok(version_of(fs::read(&path).ok().as_deref()))
    }

    /// Write `bytes` to `relative` if the file on disk is still at version `expected`
    /// (`"none"`: it must not exist). Keeps the replaced version; returns the new version.
    pub fn write(&self, relative: &str, bytes: &[u8], expected: &str) -> Result<String, Refusal> {
        let (path, kind) = self.resolve(relative)?;
        if bytes.len() > kind.limit() {
            return Err(Refusal::TooLarge);
        }
        let current = fs::read(&path).ok();
        if version_of(current.as_deref()) != expected {
            return Err(match current {
                Some(current) => Refusal::Conflict {
                    version: version_of(Some(&current)),
                    current: String::from_utf8_lossy(&current).into_owned(),
                },
                None if expected == "none" => Refusal::Exists,
                None => Refusal::Missing,
            });
        }
        if let Some(old) = &current {
            self.keep_version(relative, old)?;
        }
        write_atomically(&path, bytes)?;
        Ok(version_of(Some(bytes)))
    }

    /// Delete `relative` if it is still at version `expected`, keeping it as a previous version.
    pub fn delete(&self, relative: &str, expected: &str) -> Result<(), Refusal> {
        let (path, _) = self.resolve(relative)?;
        let current = read_existing(&path)?;
        if version_of(Some(&current)) != expected {
            return Err(Refusal::Conflict {
                version: version_of(Some(&current)),
                current: String::from_utf8_lossy(&current).into_owned(),
            });
        }
        self.keep_version(relative, &current)?;
        fs::remove_file(&path).map_err(|e| Refusal::Io(e.to_string()))
    }

    /// Rename `from` to `to` (same kind; `to` must not exist), keeping `from`'s text as a
    /// previous version under its old name.
    pub fn rename(&self, from: &str, to: &str) -> Result<(), Refusal> {
        let (from_path, from_kind) = self.resolve(from)?;
        let (to_path, to_kind) = self.resolve(to)?;
        if from_kind != to_kind {
            return Err(Refusal::WrongKind);
        }
        let current = read_existing(&from_path)?;
        if fs::symlink_metadata(&to_path).is_ok() {
            return Err(Refusal::Exists);
        }
        self.keep_version(from, &current)?;
        fs::rename(&from_path, &to_path).map_err(|e| Refusal::Io(e.to_string()))
    }

    /// Put back the newest kept version of `relative` if the file is still at version
    /// `expected`; that version leaves the history. Returns the restored text and its version.
    pub fn restore_previous(&self, relative: &str, expected: &str) -> Result<(String, String), Refusal> {
        let (path, kind) = self.resolve(relative)?;
        if kind == FileKind::Image {
            return Err(Refusal::WrongKind);
        }
        let current = fs::read(&path).ok();
        if version_of(current.as_deref()) != expected {
            return Err(Refusal::Conflict {
                version: version_of(current.as_deref()),
                current: String::from_utf8_lossy(current.as_deref().unwrap_or_default()).into_owned(),
            });
        }
        let newest = self.versions(relative).pop().ok_or(Refusal::NoHistory)?;
        let bytes = fs::read(&newest).map_err(|e| Refusal::Io(e.to_string()))?;
        write_atomically(&path, &bytes)?;
        fs::remove_file(&newest).map_err(|e| Refusal::Io(e.to_string()))?;
        Ok((String::from_utf8_lossy(&bytes).into_owned(), version_of(Some(&bytes))))
    }

}

#[cfg(test)]
mod tests;
