//! Previous versions of the files the editor changes, in `.handbok/historik/` of the content
//! folder: kept on every save, rename and delete, bounded per file and in all, taken back by undo.
//! Every folder of the history is opened part by part without following a symbolic link, and
//! only regular files are listed, read or removed: trimming never deletes a file outside the
//! content folder and undo never copies a foreign file in.

use std::time::{SystemTime, UNIX_EPOCH};

use super::dir::{EntryKind, SafeDir};
use super::replace::temp_name;
use super::{ContentFolder, Refusal, HISTORY_BYTES, HISTORY_DIR, VERSIONS_KEPT};

/// Deepest folder of the history that trimming enters.
const TRIM_DEPTH: usize = 32;

/// A kept version found while trimming: its name, folders below the history, size.
type Found = (String, Vec<String>, u64);

impl ContentFolder {
    /// How many previous versions of `relative` are kept.
    pub fn version_count(&self, relative: &str) -> usize {
        self.history_dir(relative, false)
            .map(|dir| versions_in(&dir).len())
            .unwrap_or(0)
    }

    /// The folder of `relative`'s versions, opened without following a link.
    fn history_dir(&self, relative: &str, create: bool) -> Result<SafeDir, Refusal> {
        let parts: Vec<&str> = HISTORY_DIR.split('/').chain(relative.split('/')).collect();
        SafeDir::open(&self.root, &parts, create)
    }

    /// The newest kept version of `relative`: its folder and file name.
    pub(super) fn newest_version(&self, relative: &str) -> Result<(SafeDir, String), Refusal> {
        let dir = match self.history_dir(relative, false) {
            Err(Refusal::Missing) => return Err(Refusal::NoHistory),
            other => other?,
        };
        let newest = versions_in(&dir).pop().ok_or(Refusal::NoHistory)?;
        Ok((dir, newest))
    }

    /// Keep `bytes` as the newest previous version of `relative`, then trim the history.
    pub(super) fn keep_version(&self, relative: &str, bytes: &[u8]) -> Result<(), Refusal> {
        let handbok = SafeDir::open(&self.root, &[".handbok"], true)?;
        // Git should not track the history: it is this computer's safety net.
        if handbok.kind(".gitignore").is_none() {
            let _ = handbok.create_new(".gitignore", b"*\n");
        }
        let dir = self.history_dir(relative, true)?;
        let stamp = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_micros();
        let mut name = format!("{stamp:020}.bak");
        let mut n = 1;
        while dir.kind(&name).is_some() {
            name = format!("{stamp:020}-{n}.bak");
            n += 1;
        }
        let temp = temp_name(&name);
        dir.create_new(&temp, bytes)?;
        if let Err(e) = dir.rename_new(&temp, &dir, &name) {
            let _ = dir.remove(&temp);
            return Err(Refusal::Io(e.to_string()));
        }
        let versions = versions_in(&dir);
        for old in versions.iter().take(versions.len().saturating_sub(VERSIONS_KEPT)) {
            let _ = dir.remove(old);
        }
        self.trim_history();
        Ok(())
    }

    /// Remove the oldest kept versions (of any file) while they take more than `HISTORY_BYTES`.
    fn trim_history(&self) {
        let Ok(history) = self.history_dir_root() else {
            return;
        };
        let mut all: Vec<Found> = Vec::new();
        collect(&history, &mut Vec::new(), &mut all);
        let mut total: u64 = all.iter().map(|(_, _, s)| s).sum();
        all.sort();
        for (name, folders, size) in all {
            if total <= HISTORY_BYTES {
                break;
            }
            let parts: Vec<&str> = HISTORY_DIR
                .split('/')
                .chain(folders.iter().map(String::as_str))
                .collect();
            let removed = SafeDir::open(&self.root, &parts, false).is_ok_and(|dir| dir.remove(&name).is_ok());
            if removed {
                total -= size;
            }
        }
    }

    fn history_dir_root(&self) -> Result<SafeDir, Refusal> {
        let parts: Vec<&str> = HISTORY_DIR.split('/').collect();
        SafeDir::open(&self.root, &parts, false)
    }
}

/// The kept versions in `dir` (regular `.bak` files, never links), oldest first.
fn versions_in(dir: &SafeDir) -> Vec<String> {
    dir.list()
        .into_iter()
        .filter(|(name, kind)| matches!(kind, EntryKind::File(_)) && name.ends_with(".bak"))
        .map(|(name, _)| name)
        .collect()
}

/// Every kept version below `dir`, entering folders (never links) at most `TRIM_DEPTH` deep.
fn collect(dir: &SafeDir, folders: &mut Vec<String>, found: &mut Vec<Found>) {
    for (name, kind) in dir.list() {
        match kind {
            EntryKind::File(size) if name.ends_with(".bak") => found.push((name, folders.clone(), size)),
            EntryKind::Dir if folders.len() < TRIM_DEPTH => {
                if let Ok(child) = dir.child(&name, false) {
                    folders.push(name);
                    collect(&child, folders, found);
                    folders.pop();
                }
            }
            _ => {}
        }
    }
}
