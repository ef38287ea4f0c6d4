//! Stage 6: write the output. Files go to a staging folder beside the output folder; only when
//! all are written is the old output swapped out and the new one in. A marker file lists what
//! handbok wrote, so it only ever deletes files it created, and refuses a folder it does not own.
//!
//! A file whose bytes equal the previous output's is hard-linked to it instead of written
//! again ([`Writer::link`]). On ext4, new files right after many were deleted nearby are slow
//! (the inode allocator scans past inodes freed in the last minute, `recently_deleted`, and
//! the kernel waits): writing a 10,000-file site beside the one the previous build had just
//! deleted took 37–68 s (benches/RESULTS.md, issue 22). A link allocates no inode, and removing
//! the old folder afterwards frees none. The previous output is never written into: a link
//! shares a file that no build changes in place, only replaces.
//!
//! This is the only module that writes to the filesystem.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Message};
use crate::plan::OutputMap;

/// The marker file in every output folder handbok writes: one written path per line.
pub const MARKER: &str = ".handbok-output";
const MARKER_HEADER: &str = "# Written by handbok. Files listed here are replaced by the next build.";

/// Where files are written; a seam so tests can make a write fail midway. Files are written
/// from several threads at once.
pub trait Writer: Sync {
    /// Create a folder and its parents.
    fn create_dir_all(&self, path: &Path) -> io::Result<()>;
    /// Write a whole file.
    fn write(&self, path: &Path, bytes: &[u8]) -> io::Result<()>;
    /// Give the file `existing` (a regular file of the previous output, never a symbolic link)
    /// a second name `new`; on failure the file is written instead.
    fn link(&self, existing: &Path, new: &Path) -> io::Result<()> {
        fs::hard_link(existing, new)
    }
}

/// The real filesystem.
pub struct FsWriter;

impl Writer for FsWriter {
    fn create_dir_all(&self, path: &Path) -> io::Result<()> {
        fs::create_dir_all(path)
    }
    fn write(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        fs::write(path, bytes)
    }
}

/// Refuse an output folder that is, contains, or is inside one of `protected` (content, theme).
pub fn check_location(out: &Path, protected: &[&Path]) -> Result<(), Diagnostic> {
    let out_abs = absolute(out);
    for folder in protected {
        let folder_abs = absolute(folder);
        if out_abs == folder_abs || folder_abs.starts_with(&out_abs) || out_abs.starts_with(&folder_abs) {
            return Err(Diagnostic::error(
                out,
                0,
                0,
                Message::new("output_overlaps").arg("folder", folder.display()),
            )
            .with_hint(Message::new("output_overlaps_hint")));
        }
    }
    Ok(())
}

/// Best-effort absolute, normalised path, also for paths that do not exist yet.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let base = std::env::current_dir().unwrap_or_default().join(path);
    // Canonicalise the longest existing ancestor, then append the rest.
    let mut existing = base.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => break,
        }
    }
    let mut result = existing.canonicalize().unwrap_or_else(|_| existing.to_path_buf());
    for name in rest.iter().rev() {
        if name == ".." {
            result.pop();
        } else if name != "." {
            result.push(name);
        }
    }
    result
}

/// The files handbok wrote into `dir`, from its marker; `None` if there is no marker.
fn owned_files(dir: &Path) -> Option<BTreeSet<String>> {
    let text = fs::read_to_string(dir.join(MARKER)).ok()?;
    Some(
        text.lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(str::to_owned)
            .collect(),
    )
}

/// Every file below `dir`, relative and `/`-separated.
fn files_below(dir: &Path) -> io::Result<BTreeSet<String>> {
    let mut found = BTreeSet::new();
    for entry in walkdir::WalkDir::new(dir).min_depth(1) {
        let entry = entry.map_err(io::Error::other)?;
        if !entry.file_type().is_dir() {
            let rel = entry.path().strip_prefix(dir).map_err(io::Error::other)?;
            found.insert(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(found)
}

/// Check that `out` is absent, empty, or a folder handbok wrote with nothing foreign in it.
pub fn check_ownership(out: &Path) -> Result<(), Diagnostic> {
    if !out.exists() {
        return Ok(());
    }
    if !out.is_dir() {
        return Err(Diagnostic::error(out, 0, 0, Message::new("output_not_a_folder"))
            .with_hint(Message::new("output_not_a_folder_hint")));
    }
    let present = files_below(out)
        .map_err(|e| Diagnostic::error(out, 0, 0, Message::new("output_unreadable").arg("reason", e)))?;
    let empty = present.is_empty() && fs::read_dir(out).map(|mut d| d.next().is_none()).unwrap_or(false);
    if empty {
        return Ok(());
    }
    let Some(owned) = owned_files(out) else {
        return Err(Diagnostic::error(out, 0, 0, Message::new("output_not_ours"))
            .with_hint(Message::new("output_not_ours_hint")));
    };
    let foreign: Vec<&String> = present
        .iter()
        .filter(|f| f.as_str() != MARKER && !owned.contains(*f))
        .collect();
    if !foreign.is_empty() {
        let list: Vec<&str> = foreign.iter().take(5).map(|s| s.as_str()).collect();
        return Err(Diagnostic::error(
            out,
            0,
            0,
            Message::new("output_foreign_files").arg("files", list.join(", ")),
        )
        .with_hint(Message::new("output_foreign_files_hint")));
    }
    Ok(())
}

fn sibling(out: &Path, suffix: &str) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "public".into());
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    parent.join(format!(".{name}.handbok-{suffix}"))
}

/// Write `files` to `out` through a staging folder; the old output is replaced only on success.
pub fn write_site(out: &Path, files: &OutputMap, writer: &dyn Writer) -> Result<(), Diagnostic> {
    check_ownership(out)?;
    let staging = sibling(out, "staging");
    let old = sibling(out, "old");
    for leftover in [&staging, &old] {
        if leftover.exists() {
            remove_leftover(leftover).map_err(|e| {
                Diagnostic::error(leftover, 0, 0, Message::new("output_leftover").arg("reason", e))
                    .with_hint(Message::new("output_leftover_hint"))
            })?;
        }
    }
    let fail = |path: &Path, err: io::Error, staging: &Path| {
        // The staging folder did not exist before this build: everything in it is ours.
        let _ = fs::remove_dir_all(staging);
        Diagnostic::error(path, 0, 0, Message::new("output_write_failed").arg("reason", err))
            .with_hint(Message::new("output_write_failed_hint"))
    };
    let mut marker = String::from(MARKER_HEADER);
    marker.push('\n');
    // The marker goes in first, so a half-written staging folder is still recognisably ours.
    if let Err(e) = writer
        .create_dir_all(&staging)
        .and_then(|_| writer.write(&staging.join(MARKER), marker.as_bytes()))
    {
        return Err(fail(&staging, e, &staging));
    }
    if let Some(rel) = files.keys().find(|rel| !is_contained(rel)) {
        let _ = fs::remove_dir_all(&staging);
        return Err(Diagnostic::error(
            out,
            0,
            0,
            Message::new("output_outside").arg("file", rel),
        ));
    }
    // Folders first, once each; then the files on every core (creating thousands of files is
    // mostly kernel time, which two threads halve).
    let folders: BTreeSet<&str> = files
        .keys()
        .filter_map(|rel| rel.rsplit_once('/').map(|(d, _)| d))
        .collect();
    for folder in folders {
        let path = staging.join(folder);
        if let Err(e) = writer.create_dir_all(&path) {
            return Err(fail(&path, e, &staging));
        }
    }
    // `check_ownership` passed: a previous output is handbok's, without foreign files or links.
    let previous = out.is_dir().then_some(out);
    // Cleared at the first failed link (a share without hard links, another device): then
    // every file is written, without a failing call per file.
    let linking = AtomicBool::new(true);
    let written = files.par_iter().try_for_each(|(rel, bytes)| {
        let path = staging.join(rel);
        if let Some(previous) = previous.filter(|_| linking.load(Ordering::Relaxed)) {
            let existing = previous.join(rel);
            if holds_exactly(&existing, bytes) {
                match writer.link(&existing, &path) {
                    Ok(()) => return Ok(()),
                    Err(_) => linking.store(false, Ordering::Relaxed),
                }
            }
        }
        writer.write(&path, bytes).map_err(|e| (path, e))
    });
    if let Err((path, e)) = written {
        return Err(fail(&path, e, &staging));
    }
    for rel in files.keys() {
        marker.push_str(rel);
        marker.push('\n');
    }
    if let Err(e) = writer.write(&staging.join(MARKER), marker.as_bytes()) {
        return Err(fail(&staging, e, &staging));
    }
    // Swap: the old site moves aside, the new one takes its name, the old one is removed.
    let had_old = out.exists();
    if had_old {
        fs::rename(out, &old).map_err(|e| fail(out, e, &staging))?;
    }
    if let Err(e) = fs::rename(&staging, out) {
        if had_old {
            let _ = fs::rename(&old, out);
        }
        return Err(fail(out, e, &staging));
    }
    if had_old {
        let _ = remove_owned(&old);
    }
    Ok(())
}

/// `true` when `path` is a regular file (not a symbolic link) holding exactly `bytes`.
fn holds_exactly(path: &Path, bytes: &[u8]) -> bool {
    let same_size = fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_file() && m.len() == bytes.len() as u64);
    let Some(mut file) = same_size.then(|| fs::File::open(path).ok()).flatten() else {
        return false;
    };
    let mut chunk = vec![0; (64 * 1024).min(bytes.len() + 1)];
    let mut at = 0;
    loop {
        match file.read(&mut chunk) {
            Ok(0) => return at == bytes.len(),
            Ok(n) if bytes.get(at..at + n) == Some(&chunk[..n]) => at += n,
            Ok(_) | Err(_) => return false,
        }
    }
}

/// `true` for a relative, `/`-separated path that stays inside the folder it is joined to.
pub fn is_contained(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.starts_with('/')
        && !rel.contains(['\\', ':', '\0'])
        && rel.split('/').all(|s| !s.is_empty() && s != "." && s != "..")
}

/// Remove a staging or old folder left by an interrupted build. Such folders carry handbok's
/// marker from their first write and have names only handbok uses; without the marker, refuse.
fn remove_leftover(dir: &Path) -> io::Result<()> {
    if !dir.join(MARKER).is_file() && !holds_no_files(dir) {
        return Err(io::Error::other(
            "it has no handbok marker, so handbok will not remove it",
        ));
    }
    fs::remove_dir_all(dir)
}

/// Remove a folder handbok wrote: only the files its marker lists, then the folders left empty.
/// A folder without a marker, or with files not listed, is left in place (an error).
fn remove_owned(dir: &Path) -> io::Result<()> {
    // An output folder that existed empty (a publication target made by IT) has no marker
    // when it is swapped out; with no file in it there is nothing anybody could lose.
    if holds_no_files(dir) {
        return remove_empty_dirs(dir);
    }
    let owned = owned_files(dir)
        .ok_or_else(|| io::Error::other(format!("{} has no handbok marker; not removing it", dir.display())))?;
    for rel in &owned {
        let path = dir.join(rel);
        if path.starts_with(dir) && !rel.split('/').any(|s| s == "..") {
            match fs::remove_file(&path) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
        }
    }
    fs::remove_file(dir.join(MARKER))?;
    remove_empty_dirs(dir)?;
    if dir.exists() {
        return Err(io::Error::other(format!(
            "{} still holds files handbok did not create",
            dir.display()
        )));
    }
    Ok(())
}

/// Whether `dir` holds folders at most, no file.
fn holds_no_files(dir: &Path) -> bool {
    files_below(dir).is_ok_and(|f| f.is_empty())
}

fn remove_empty_dirs(dir: &Path) -> io::Result<()> {
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_dir() {
            remove_empty_dirs(&entry.path())?;
        }
    }
    if fs::read_dir(dir)?.next().is_none() {
        fs::remove_dir(dir)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests;
