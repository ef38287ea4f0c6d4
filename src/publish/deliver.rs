//! Deliver a publication: export the commit's content folder to a temporary folder, build it
//! with the history read from that commit (never from the work tree, so the same commit always
//! gives the same bytes), and write it to the target with `output`'s all-or-nothing swap and
//! ownership marker. A target that does not exist is refused, never created: an unmounted
//! share looks just like that.

use std::fs;
use std::path::{Path, PathBuf};

use gix::bstr::ByteSlice;
use gix::hash::ObjectId;

use super::repo::Handbook;
use super::Message;
use crate::diag::Diagnostics;
use crate::output::{self, Writer};

/// The delivery target from `site.yml`'s `publish: {to: …}`, relative to the handbook folder.
/// Refused when it is not set, does not exist, overlaps the content folder or holds files
/// handbok did not write.
pub fn target(content: &Path, to: Option<&str>) -> Result<PathBuf, Message> {
    let Some(to) = to.filter(|t| !t.trim().is_empty()) else {
        return Err(Message::new("publish_no_target"));
    };
    let folder = content.parent().unwrap_or(content);
    let target = folder.join(to);
    if !target.is_dir() {
        return Err(Message::new("publish_target_missing").arg("path", target.display().to_string()));
    }
    let target = target.canonicalize().unwrap_or(target);
    output::check_location(&target, &[content])
        .map_err(|_| Message::new("publish_target_overlaps").arg("path", target.display().to_string()))?;
    output::check_ownership(&target).map_err(|d| {
        Message::new("publish_target_foreign")
            .arg("path", target.display().to_string())
            .arg_message("reason", d.message)
    })?;
    Ok(target)
}

/// A temporary folder removed when dropped.
struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// Build `commit` and write it to `target`. Diagnostics of the build go to `diags`.
pub fn deliver(
    handbook: &Handbook,
    commit: ObjectId,
    target: &Path,
    theme: Option<&Path>,
    writer: &dyn Writer,
    diags: &mut Diagnostics,
) -> Result<(), Message> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let temp = TempDir(std::env::temp_dir().join(format!("handbok-publicering-{}-{nanos}", std::process::id())));
    let content = temp.0.join("content");
    export(handbook, commit, &content)?;
    let options = crate::BuildOptions {
        content,
        theme: theme.map(Path::to_path_buf),
        out: target.to_path_buf(),
        preview: false,
        history_from: Some(crate::history::At {
            git_dir: handbook.git_dir(),
            commit,
            prefix: handbook.prefix.clone(),
        }),
    };
    let Some(built) = crate::build_in_memory(&options, diags) else {
        return Err(Message::new("publish_build_failed"));
    };
    output::write_site(target, &built.files, writer).map_err(|d| {
        Message::new("publish_delivery_failed")
            .arg("path", target.display().to_string())
            .arg_message("reason", d.message)
    })
}

/// Write the commit's content files (those the build reads) below `dest`.
fn export(handbook: &Handbook, commit: ObjectId, dest: &Path) -> Result<(), Message> {
    let fail = |e: String| Message::new("publish_export_failed").arg("reason", e);
    fs::create_dir_all(dest).map_err(|e| fail(e.to_string()))?;
    for (path, id) in handbook.files_at(Some(commit))? {
        // Tree entry names never hold `/`, `..` or `.` in a valid repository; refuse them anyway.
        if path
            .split('/')
            .any(|part| part.is_empty() || part == ".." || part.contains('\\'))
        {
            continue;
        }
        let blob = handbook.repo.find_blob(id).map_err(|e| fail(e.to_string()))?;
        let file = dest.join(&path);
        if let Some(parent) = file.parent() {
            fs::create_dir_all(parent).map_err(|e| fail(e.to_string()))?;
        }
        fs::write(&file, blob.data.as_bytes()).map_err(|e| fail(format!("{path}: {e}")))?;
    }
    Ok(())
}
