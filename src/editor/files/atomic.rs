//! Reading and replacing one file: a missing file told apart from other failures, and a
//! write that is all-or-nothing (temporary file beside it, flushed, renamed over it).

use std::fs;
use std::io::Write;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use super::{Refusal, TEMP_SUFFIX};

pub(super) fn read_existing(path: &Path) -> Result<Vec<u8>, Refusal> {
    fs::read(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Refusal::Missing,
        _ => Refusal::Io(e.to_string()),
    })
}

/// Write to a hidden temporary file in the same folder, flush it to disk, then rename it over
/// `path`: the file is either the old one or the new one, never half written.
pub(super) fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Refusal> {
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
