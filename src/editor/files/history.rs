//! Previous versions of the files the editor changes, in `.handbok/historik/` of the content
//! folder: kept on every save, rename and delete, bounded per file and in all, taken back by undo.

use std::fs;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use super::atomic::write_atomically;
use super::{ContentFolder, Refusal, HISTORY_BYTES, HISTORY_DIR, VERSIONS_KEPT};

impl ContentFolder {
    /// How many previous versions of `relative` are kept.
    pub fn version_count(&self, relative: &str) -> usize {
        self.versions(relative).len()
    }

    /// The kept versions of `relative`, oldest first.
    pub(super) fn versions(&self, relative: &str) -> Vec<PathBuf> {
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
    pub(super) fn keep_version(&self, relative: &str, bytes: &[u8]) -> Result<(), Refusal> {
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
