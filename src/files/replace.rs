//! Replacing a file only if it is still the version the editor started from, with nothing lost
//! when someone else writes it at the same moment, and handbok's temporary files.
//!
//! On Linux the new text is written to a temporary file beside the page and exchanged with the
//! page in one step (`renameat2(RENAME_EXCHANGE)`); the temporary file then holds what was
//! replaced, which is compared with the version the save was checked against. If an outside
//! write landed between the check and the exchange, the two are exchanged back, so the outside
//! text is on disk again, and the save is answered with a conflict showing it. A new file is
//! put in place with `RENAME_NOREPLACE`. Elsewhere (or on a filesystem without those flags) the
//! file is read again right before an ordinary rename: the window shrinks to that one call.
//! The replaced version goes to the history only after the replace succeeded; if keeping it
//! fails, the replace is undone.

use std::io;
use std::time::{SystemTime, UNIX_EPOCH};

use super::dir::{EntryKind, SafeDir};
use super::{conflict, version_of, ContentFolder, Refusal, TEMP_SUFFIX};

/// Deepest folder the start-up sweep for stale temporary files enters.
const SWEEP_DEPTH: usize = 32;
/// Most names the sweep looks at.
const SWEEP_ENTRIES: usize = 200_000;

/// The temporary file for `name`: `.name.<nanoseconds>.handbok-tmp`.
pub(super) fn temp_name(name: &str) -> String {
    let stamp = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_nanos();
    format!(".{name}.{stamp}{TEMP_SUFFIX}")
}

/// Whether `name` has exactly the pattern of [`temp_name`].
pub(super) fn is_temp_name(name: &str) -> bool {
    let Some(middle) = name.strip_prefix('.').and_then(|n| n.strip_suffix(TEMP_SUFFIX)) else {
        return false;
    };
    match middle.rsplit_once('.') {
        Some((base, digits)) => !base.is_empty() && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()),
        None => false,
    }
}

fn io_refusal(e: io::Error) -> Refusal {
    match e.kind() {
        io::ErrorKind::NotFound => Refusal::Missing,
        _ => Refusal::Io(e.to_string()),
    }
}

/// What `name` holds now, as the answer to a save that found it changed.
fn conflict_now(dir: &SafeDir, name: &str) -> Refusal {
    match dir.read(name) {
        Ok(Some(bytes)) => conflict(&bytes),
        Ok(None) => Refusal::Missing,
        Err(refusal) => refusal,
    }
}

impl ContentFolder {
    /// Replace `name` in `dir` (the file `relative`) with `bytes` if it is still at version
    /// `expected` (`"none"`: it must not exist). With `keep`, what was replaced becomes the
    /// newest previous version. Returns the new version.
    pub(super) fn replace_checked(
        &self,
        dir: &SafeDir,
        name: &str,
        relative: &str,
        bytes: &[u8],
        expected: &str,
        keep: bool,
    ) -> Result<String, Refusal> {
        let current = dir.read(name)?;
        if version_of(current.as_deref()) != expected {
            return Err(match current {
                Some(current) => conflict(&current),
                None if expected == "none" => Refusal::Exists,
                None => Refusal::Missing,
            });
        }
        let temp = temp_name(name);
        dir.create_new(&temp, bytes)?;
        if let Some(seam) = &self.seam {
            seam(&dir.path().join(name));
        }
        let result = match current {
            None => dir.rename_new(&temp, dir, name).map_err(|e| match e.kind() {
                io::ErrorKind::AlreadyExists => conflict_now(dir, name),
                _ => io_refusal(e),
            }),
            Some(old) => self.swap(dir, &temp, name, relative, &old, keep),
        };
        if result.is_err() {
            let _ = dir.remove(&temp);
        }
        result.map(|()| version_of(Some(bytes)))
    }

    /// Put `temp` in place of `name`, whose checked bytes are `old`; on a mismatch nothing
    /// changes and the answer is a conflict with the text on disk. `temp` may be left for the
    /// caller to remove.
    fn swap(
        &self,
        dir: &SafeDir,
        temp: &str,
        name: &str,
        relative: &str,
        old: &[u8],
        keep: bool,
    ) -> Result<(), Refusal> {
        let expected = version_of(Some(old));
        if dir.exchange(temp, name).map_err(io_refusal)? {
            // `temp` now holds what was replaced.
            let replaced = dir.read(temp);
            if !matches!(&replaced, Ok(Some(r)) if version_of(Some(r)) == expected) {
                dir.exchange(temp, name).map_err(io_refusal)?;
                return Err(conflict_now(dir, name));
            }
            if keep {
                if let Err(e) = self.keep_version(relative, old) {
                    dir.exchange(temp, name).map_err(io_refusal)?;
                    return Err(e);
                }
            }
            let _ = dir.remove(temp);
            dir.touch(name);
            return Ok(());
        }
        // No exchange here: check once more, right before the rename.
        if version_of(dir.read(name)?.as_deref()) != expected {
            return Err(conflict_now(dir, name));
        }
        dir.rename(temp, dir, name).map_err(io_refusal)?;
        if keep {
            if let Err(e) = self.keep_version(relative, old) {
                let back = temp_name(name);
                dir.create_new(&back, old)?;
                dir.rename(&back, dir, name).map_err(io_refusal)?;
                return Err(e);
            }
        }
        Ok(())
    }

    /// Remove the temporary files a killed save left: regular files whose name has exactly
    /// handbok's pattern, in the content folder and its folders (the history too), never
    /// entering a symbolic link or `.git`. Bounded in depth and in names looked at.
    pub(super) fn remove_stale_temp_files(&self) {
        let Ok(root) = SafeDir::open(&self.root, &[], false) else {
            return;
        };
        let mut budget = SWEEP_ENTRIES;
        sweep(&root, 0, &mut budget);
    }
}

fn sweep(dir: &SafeDir, depth: usize, budget: &mut usize) {
    for (name, kind) in dir.list() {
        if *budget == 0 {
            return;
        }
        *budget -= 1;
        match kind {
            EntryKind::File(_) if is_temp_name(&name) => {
                let _ = dir.remove(&name);
            }
            EntryKind::Dir if depth < SWEEP_DEPTH && name != ".git" => {
                if let Ok(child) = dir.child(&name, false) {
                    sweep(&child, depth + 1, budget);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_handboks_own_temporary_names_match() {
        assert!(is_temp_name(&temp_name("semester.md")));
        assert!(is_temp_name(".a b.md.17.handbok-tmp"));
        for other in [
            "semester.md",
            ".handbok-tmp",
            "..17.handbok-tmp",
            ".semester.md.handbok-tmp",
            ".semester.md.1x.handbok-tmp",
            "semester.md.17.handbok-tmp",
            ".semester.md.17.handbok-tmp.md",
        ] {
            assert!(!is_temp_name(other), "{other}");
        }
    }
}
