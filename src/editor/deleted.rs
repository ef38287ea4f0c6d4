//! Deleted pages brought back ("Återställ borttagen sida"): a delete keeps the page's last text
//! in `.handbok/historik/<page>/`, so the pages whose file is gone but whose kept versions are
//! there are listed, and the newest kept version of one is written back through
//! [`ContentFolder::write`] (which refuses a name taken meanwhile). The history folder is read
//! without following a symbolic link, and the walk is bounded.

use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::front_form;
use crate::files::{check_name, ContentFolder, FileKind, Refusal, HISTORY_DIR, MAX_TEXT_BYTES};

/// Most entries of the history folder looked at for one list.
const MAX_ENTRIES: usize = 20_000;
/// Most deleted pages listed.
const MAX_LISTED: usize = 500;

/// A deleted page that can be brought back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeletedPage {
    /// Its file, relative to the content folder.
    pub source: String,
    /// Its title in the newest kept version (its file name when that has none).
    pub title: String,
    /// The newest kept version's name (its time, for sorting newest first).
    pub kept: String,
}

/// A restore request.
#[derive(Debug, Clone, Deserialize)]
pub struct RestoreRequest {
    /// The deleted page's file.
    pub source: String,
}

/// The kept versions of `source` (`.bak` files that are not symbolic links), oldest first.
fn versions(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut found: Vec<_> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "bak"))
                .take(MAX_ENTRIES)
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

/// The history folder, unless it (or `.handbok`) is a symbolic link or missing.
fn history_root(folder: &ContentFolder) -> Option<std::path::PathBuf> {
    let mut path = folder.root().to_path_buf();
    for part in HISTORY_DIR.split('/') {
        path.push(part);
        let meta = fs::symlink_metadata(&path).ok()?;
        if !meta.is_dir() {
            return None;
        }
    }
    Some(path)
}

/// The newest kept text of `dir`'s versions, within the size limit.
fn newest_text(dir: &Path) -> Option<(String, String)> {
    let newest = versions(dir).pop()?;
    let meta = fs::symlink_metadata(&newest).ok()?;
    if !meta.is_file() || meta.len() > MAX_TEXT_BYTES as u64 {
        return None;
    }
    let bytes = fs::read(&newest).ok()?;
    let name = newest
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Some((String::from_utf8_lossy(&bytes).into_owned(), name))
}

/// Every deleted page with a kept version, newest deletion first.
pub fn list(folder: &ContentFolder) -> Vec<DeletedPage> {
    let Some(root) = history_root(folder) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    let walk = walkdir::WalkDir::new(&root)
        .min_depth(1)
        .max_depth(16)
        .follow_links(false);
    for entry in walk.into_iter().take(MAX_ENTRIES).filter_map(Result::ok) {
        if !entry.file_type().is_dir() || found.len() >= MAX_LISTED {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(&root) else {
            continue;
        };
        let source = relative.to_string_lossy().replace('\\', "/");
        if check_name(&source) != Ok(FileKind::Page) {
            continue;
        }
        // Only pages whose file is gone (a symbolic link or a folder there is not "gone").
        if folder
            .resolve(&source)
            .map_or(true, |(path, _)| fs::symlink_metadata(path).is_ok())
        {
            continue;
        }
        let Some((text, kept)) = newest_text(entry.path()) else {
            continue;
        };
        let title = front_form::read(&text).values.remove("title").unwrap_or_default();
        found.push(DeletedPage {
            title: if title.trim().is_empty() { source.clone() } else { title },
            source,
            kept,
        });
    }
    found.sort_by(|a, b| b.kept.cmp(&a.kept).then_with(|| a.source.cmp(&b.source)));
    found
}

/// Write the newest kept version of deleted page `source` back. Refused when the name is
/// taken again, when nothing is kept, or by any of the file rules.
pub fn restore(folder: &ContentFolder, source: &str) -> Result<String, Refusal> {
    if check_name(source)? != FileKind::Page {
        return Err(Refusal::WrongKind);
    }
    if folder.version(source)? != "none" {
        return Err(Refusal::Exists);
    }
    let root = history_root(folder).ok_or(Refusal::NoHistory)?;
    let mut dir = root;
    for part in source.split('/') {
        dir.push(part);
        if fs::symlink_metadata(&dir).is_ok_and(|m| m.file_type().is_symlink()) {
            return Err(Refusal::Symlink);
        }
    }
    let (text, _) = newest_text(&dir).ok_or(Refusal::NoHistory)?;
    folder.write(source, text.as_bytes(), "none")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deleted_page_is_listed_and_comes_back_whole() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir_all(dir.path().join("policyer")).unwrap();
        let text = "---\ntitle: Friskvård\n---\nText.\n";
        fs::write(dir.path().join("policyer/friskvard.md"), text).unwrap();
        let folder = ContentFolder::new(dir.path()).unwrap();
        assert!(list(&folder).is_empty());
        let version = folder.version("policyer/friskvard.md").unwrap();
        folder.delete("policyer/friskvard.md", &version).unwrap();
        let listed = list(&folder);
        assert_eq!(listed.len(), 1);
        assert_eq!(
            (listed[0].source.as_str(), listed[0].title.as_str()),
            ("policyer/friskvard.md", "Friskvård")
        );
        restore(&folder, "policyer/friskvard.md").unwrap();
        assert_eq!(
            fs::read_to_string(dir.path().join("policyer/friskvard.md")).unwrap(),
            text
        );
        assert!(list(&folder).is_empty());
        assert_eq!(restore(&folder, "policyer/friskvard.md"), Err(Refusal::Exists));
        assert_eq!(restore(&folder, "policyer/annan.md"), Err(Refusal::NoHistory));
    }
}
