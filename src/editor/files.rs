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

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

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

/// Check a path from the browser and say what kind of file it names (pure: no filesystem).
pub fn check_name(relative: &str) -> Result<FileKind, Refusal> {
    if relative.starts_with('/') || relative.starts_with('\\') || relative.get(1..2) == Some(":") {
        return Err(Refusal::Absolute);
    }
    if relative.is_empty() || relative.len() > 400 {
        return Err(Refusal::BadName);
    }
    let parts: Vec<&str> = relative.split('/').collect();
    for part in &parts {
        if *part == ".." || *part == "." {
            return Err(Refusal::Traversal);
        }
        let allowed = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ');
        if part.is_empty()
            || part.starts_with('.')
            || part.ends_with('.')
            || part.ends_with(' ')
            || part.chars().count() > 120
            || !part.chars().all(allowed)
        {
            return Err(Refusal::BadName);
        }
    }
    let name = parts.last().copied().unwrap_or("");
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match extension.as_deref() {
        Some("md") => Ok(FileKind::Page),
        Some("yml") if relative == crate::config::SETTINGS_FILE => Ok(FileKind::Settings),
        Some(e) if IMAGE_EXTENSIONS.contains(&e) => Ok(FileKind::Image),
        _ => Err(Refusal::WrongKind),
    }
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

    /// How many previous versions of `relative` are kept.
    pub fn version_count(&self, relative: &str) -> usize {
        self.versions(relative).len()
    }

    /// The kept versions of `relative`, oldest first.
    fn versions(&self, relative: &str) -> Vec<PathBuf> {
        let dir = self.history_dir(relative);
        let mut found: Vec<PathBuf> = fs::read_dir(&dir)
            .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        found.retain(|p| p.extension().is_some_and(|e| e == "bak"));
        found.sort();
        found
    }

    fn history_dir(&self, relative: &str) -> PathBuf {
        self.root.join(HISTORY_DIR).join(relative)
    }

    /// Keep `bytes` as the newest previous version of `relative`, then trim the history.
    fn keep_version(&self, relative: &str, bytes: &[u8]) -> Result<(), Refusal> {
        let handbok = self.root.join(".handbok");
        if fs::symlink_metadata(&handbok).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Refusal::Symlink);
        }
        let dir = self.history_dir(relative);
        fs::create_dir_all(&dir).map_err(|e| Refusal::Io(e.to_string()))?;
        // Git should not track the history: it is this computer's safety net.
        let ignore = handbok.join(".gitignore");
        if !ignore.exists() {
            let _ = fs::write(&ignore, "*\n");
        }
        let stamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_micros();
        let mut name = dir.join(format!("{stamp:020}.bak"));
        let mut n = 1;
        while name.exists() {
            name = dir.join(format!("{stamp:020}-{n}.bak"));
            n += 1;
        }
        write_atomically(&name, bytes)?;
        let versions = self.versions(relative);
        for old in versions.iter().take(versions.len().saturating_sub(VERSIONS_KEPT)) {
            let _ = fs::remove_file(old);
        }
        self.trim_history();
        Ok(())
    }

    /// Remove the oldest kept versions (of any file) while they take more than `HISTORY_BYTES`.
    fn trim_history(&self) {
        let mut all: Vec<(String, PathBuf, u64)> = walkdir::WalkDir::new(self.root.join(HISTORY_DIR))
            .follow_links(false)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "bak"))
            .map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let size = e.metadata().map_or(0, |m| m.len());
                (name, e.into_path(), size)
            })
            .collect();
        let mut total: u64 = all.iter().map(|(_, _, s)| s).sum();
        all.sort();
        for (_, path, size) in all {
            if total <= HISTORY_BYTES {
                break;
            }
            if fs::remove_file(&path).is_ok() {
                total -= size;
            }
        }
    }
}

fn read_existing(path: &Path) -> Result<Vec<u8>, Refusal> {
    fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Refusal::Missing,
        _ => Refusal::Io(e.to_string()),
    })
}

/// Write to a hidden temporary file in the same folder, flush it to disk, then rename it over
/// `path`: the file is either the old one or the new one, never half written.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Refusal> {
    let dir = path.parent().ok_or_else(|| Refusal::Io("no folder".into()))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    let temp = dir.join(format!(".{name}.{stamp}{TEMP_SUFFIX}"));
    let result = (|| {
        let mut file = fs::OpenOptions::new().write(true).create_new(true).open(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&temp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&temp);
        return Err(Refusal::Io(e.to_string()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn folder() -> (tempfile::TempDir, ContentFolder) {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("a.md"), "---\ntitle: A\n---\nett\n").unwrap();
        let folder = ContentFolder::new(dir.path()).unwrap();
        (dir, folder)
    }

    #[test]
    fn names_are_checked_before_anything_is_touched() {
        assert_eq!(check_name("a/b.md"), Ok(FileKind::Page));
        assert_eq!(check_name("site.yml"), Ok(FileKind::Settings));
        assert_eq!(check_name("bilder/Logga 1.PNG"), Ok(FileKind::Image));
        assert_eq!(check_name("bilaga-1-värdegrund.md"), Ok(FileKind::Page));
        for (bad, why) in [
            ("../x.md", Refusal::Traversal),
            ("a/../../x.md", Refusal::Traversal),
            ("./x.md", Refusal::Traversal),
            ("/etc/x.md", Refusal::Absolute),
            ("C:/x.md", Refusal::Absolute),
            ("\\\\server\\x.md", Refusal::Absolute),
            ("a\\..\\x.md", Refusal::BadName),
            ("a//x.md", Refusal::BadName),
            (".handbok/x.md", Refusal::BadName),
            ("a/x.md\0", Refusal::BadName),
            ("ab:c.md", Refusal::BadName),
            ("", Refusal::BadName),
            ("x.html", Refusal::WrongKind),
            ("x.svg", Refusal::WrongKind),
            ("a/site.yml", Refusal::WrongKind),
            ("x", Refusal::WrongKind),
        ] {
            assert_eq!(check_name(bad), Err(why), "{bad:?}");
        }
    }

    #[test]
    fn a_save_replaces_the_file_and_keeps_the_previous_version() {
        let (dir, folder) = folder();
        let (text, version) = folder.read_text("a.md").unwrap();
        let new = folder.write("a.md", b"---\ntitle: A\n---\ntva\n", &version).unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("a.md")).unwrap(),
            "---\ntitle: A\n---\ntva\n"
        );
        assert_eq!(folder.version_count("a.md"), 1);
        // No temporary file is left behind.
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 2, "{names:?}"); // a.md and .handbok
        let (restored, _) = folder.restore_previous("a.md", &new).unwrap();
        assert_eq!(restored, text);
        assert_eq!(fs::read_to_string(dir.path().join("a.md")).unwrap(), text);
        assert_eq!(folder.version_count("a.md"), 0);
        assert_eq!(
            folder.restore_previous("a.md", &version_of(Some(text.as_bytes()))),
            Err(Refusal::NoHistory)
        );
    }

    #[test]
    fn a_save_over_a_file_changed_on_disk_is_refused_with_the_text_on_disk() {
        let (dir, folder) = folder();
        let (_, version) = folder.read_text("a.md").unwrap();
        fs::write(dir.path().join("a.md"), "någon annan\n").unwrap();
        match folder.write("a.md", b"mitt\n", &version) {
            Err(Refusal::Conflict { current, .. }) => assert_eq!(current, "någon annan\n"),
            other => panic!("{other:?}"),
        }
        assert_eq!(fs::read_to_string(dir.path().join("a.md")).unwrap(), "någon annan\n");
        // A new page over an existing file is a conflict too: nothing is replaced unseen.
        assert!(matches!(
            folder.write("a.md", b"x", "none"),
            Err(Refusal::Conflict { .. })
        ));
    }

    #[test]
    fn versions_kept_are_bounded() {
        let (_dir, folder) = folder();
        let mut version = folder.version("a.md").unwrap();
        for i in 0..VERSIONS_KEPT + 5 {
            version = folder.write("a.md", format!("v{i}").as_bytes(), &version).unwrap();
        }
        assert_eq!(folder.version_count("a.md"), VERSIONS_KEPT);
    }

    #[cfg(unix)]
    #[test]
    fn nothing_is_written_through_a_symbolic_link() {
        let (dir, folder) = folder();
        let outside = tempfile::tempdir().unwrap();
        fs::write(outside.path().join("x.md"), "utanför").unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("lank")).unwrap();
        std::os::unix::fs::symlink(outside.path().join("x.md"), dir.path().join("fil.md")).unwrap();
        let v = version_of(Some(b"utanf\xc3\xb6r"));
        assert_eq!(folder.write("lank/x.md", b"inne", &v), Err(Refusal::Symlink));
        assert_eq!(folder.write("fil.md", b"inne", &v), Err(Refusal::Symlink));
        assert_eq!(folder.read_text("fil.md").map(|_| ()), Err(Refusal::Symlink));
        assert_eq!(fs::read_to_string(outside.path().join("x.md")).unwrap(), "utanför");
    }

    #[test]
    fn sizes_are_limited() {
        let (_dir, folder) = folder();
        let big = vec![b'a'; MAX_TEXT_BYTES + 1];
        assert_eq!(folder.write("b.md", &big, "none"), Err(Refusal::TooLarge));
    }
}
