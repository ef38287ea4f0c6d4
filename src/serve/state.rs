//! The record of a running server in its content folder, `.handbok/server.json` (port, process
//! id and the write token), so that a second start of handbok in the same folder (a second
//! double-click) opens the running server instead of starting another one on the next port:
//! - written when the server has bound its port: readable by its owner only (mode 0600) from
//!   the first byte, complete before it has its name (a temporary file hard-linked to the name,
//!   which fails when the name exists, so of two servers starting at once only one records
//!   itself), never through a symbolic link, and removed when the server stops;
//! - believed only when it is a plain file of this user that nobody else may read or write;
//! - a record whose process is gone, or whose port does not answer to the record's token, is
//!   stale (a killed server) and is replaced;
//! - a second start asks the running server, with the token, for a new one-time link
//!   (`POST /__handbok/api/nyckel` over loopback) and opens only a link to that server.

use std::fs;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::keys::{KEY_PARAM, KEY_PATH};
use super::TOKEN_HEADER;

/// Where a running server is recorded, relative to the content folder.
pub const STATE_FILE: &str = ".handbok/server.json";
/// The API path that gives a new one-time link.
pub(crate) const NEW_KEY_PATH: &str = "/__handbok/api/nyckel";
/// A record is a few dozen bytes; anything larger is not one.
const MAX_RECORD_BYTES: u64 = 4096;
const MAX_ANSWER_BYTES: u64 = 64 * 1024;
const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);
/// A server records itself before its first build, which a big handbook takes a while for; the
/// question waits in its listen queue until then.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(60);

/// What a running server records about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The port on 127.0.0.1.
    pub port: u16,
    /// The server's process.
    pub pid: u32,
    /// The write token (the record is readable by its owner only).
    pub token: String,
}

/// Why a server did not record itself.
#[derive(Debug)]
pub(crate) enum NotPublished {
    /// Another live server serves this content folder, at this port.
    Running(u16),
    /// The record could not be written (the server runs; a second start will not find it).
    Io(String),
}

/// Record a server that has bound its port in the content folder `content`. The path written.
pub(crate) fn publish(content: &Path, record: &Record) -> Result<PathBuf, NotPublished> {
    let dir = content.join(".handbok");
    private_dir(&dir).map_err(NotPublished::Io)?;
    let path = content.join(STATE_FILE);
    let temp = dir.join(format!(".server.{}.{}.handbok-tmp", record.pid, record.port));
    let text = serde_json::to_vec(record).map_err(|e| NotPublished::Io(e.to_string()))?;
    write_private(&temp, &text).map_err(NotPublished::Io)?;
    let outcome = match fs::hard_link(&temp, &path) {
        Ok(()) => Ok(path),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => match read(content) {
            Ok(Some(other)) if other != *record && ask_for_key(&other).is_ok() => {
                Err(NotPublished::Running(other.port))
            }
            // Stale, or not a record to believe: replace it (a rename replaces a symbolic link
            // itself, never what it points at).
            _ => fs::rename(&temp, &path)
                .map(|()| path)
                .map_err(|e| NotPublished::Io(e.to_string())),
        },
        // A file system without hard links: the name is taken by a rename.
        Err(_) => fs::rename(&temp, &path)
            .map(|()| path)
            .map_err(|e| NotPublished::Io(e.to_string())),
    };
    let _ = fs::remove_file(&temp);
    outcome
}

/// `.handbok` in the content folder: made readable by its owner only when handbok makes it,
/// refused when it is a symbolic link, and ignored by Git.
fn private_dir(dir: &Path) -> Result<(), String> {
    match fs::symlink_metadata(dir) {
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(format!("{} is a symbolic link", dir.display()));
        }
        Ok(meta) if !meta.is_dir() => return Err(format!("{} is not a folder", dir.display())),
        Ok(_) => {}
        Err(_) => {
            let mut builder = fs::DirBuilder::new();
            #[cfg(unix)]
            std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
            builder.create(dir).map_err(|e| e.to_string())?;
        }
    }
    // Git should not track this computer's state (the same rule as the kept versions).
    let ignore = dir.join(".gitignore");
    if fs::symlink_metadata(&ignore).is_err() {
        let _ = write_private(&ignore, b"*\n");
    }
    Ok(())
}

/// Create `path` (not there before, so never through a link) readable by its owner only.
fn write_private(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if fs::symlink_metadata(path).is_ok() {
        fs::remove_file(path).map_err(|e| e.to_string())?;
    }
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| e.to_string())?;
    file.write_all(bytes).map_err(|e| e.to_string())
}

/// The record in the content folder `content`, if there is one to believe: a plain file, on
/// Unix this user's and closed to everyone else.
pub(crate) fn read(content: &Path) -> Result<Option<Record>, String> {
    read_file(&content.join(STATE_FILE))
}

fn read_file(path: &Path) -> Result<Option<Record>, String> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NOFOLLOW);
    let file = match options.open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let meta = file.metadata().map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err(format!("{} is not a plain file", path.display()));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        // SAFETY: geteuid has no preconditions and cannot fail.
        let me = unsafe { libc::geteuid() };
        if meta.uid() != me {
            return Err(format!("{} belongs to another user", path.display()));
        }
        if meta.mode() & 0o077 != 0 {
            return Err(format!("{} may be read or written by others", path.display()));
        }
    }
    let mut text = Vec::new();
    file.take(MAX_RECORD_BYTES)
        .read_to_end(&mut text)
        .map_err(|e| e.to_string())?;
    serde_json::from_slice(&text)
        .map(Some)
        .map_err(|e| format!("{}: {e}", path.display()))
}

/// Remove the record at `path` if it is still `record` (a newer server may have replaced it).
pub(crate) fn remove_if_ours(path: &Path, record: &Record) {
    if read_file(path).ok().flatten().as_ref() == Some(record) {
        let _ = fs::remove_file(path);
    }
}

/// For a second start: a new one-time link to the server that runs for the content folder
/// `content`, or `None` when no live server is recorded there (none, or a stale record of a
/// killed one, which the next server replaces).
pub fn open_running(content: &Path) -> Option<String> {
    let record = read(content).ok().flatten()?;
    if !process_alive(record.pid) {
        return None;
    }
    ask_for_key(&record).ok()
}

/// Whether process `pid` exists (on Unix; elsewhere the question to its port decides).
fn process_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return false;
        };
        if pid <= 0 {
            return false;
        }
        // SAFETY: signal 0 only checks that the process exists and may be signalled.
        let found = unsafe { libc::kill(pid, 0) } == 0;
        found || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        pid != 0
    }
}

/// Ask the recorded server, with its token, for a new one-time link, and accept only a link to
/// that server.
fn ask_for_key(record: &Record) -> Result<String, String> {
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, record.port));
    let mut stream = TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT).map_err(|e| e.to_string())?;
    stream
        .set_read_timeout(Some(ANSWER_TIMEOUT))
        .and_then(|()| stream.set_write_timeout(Some(CONNECT_TIMEOUT)))
        .map_err(|e| e.to_string())?;
    let host = format!("127.0.0.1:{}", record.port);
    let request = format!(
        "POST {NEW_KEY_PATH} HTTP/1.0\r\nHost: {host}\r\nOrigin: http://{host}\r\n{TOKEN_HEADER}: {}\r\n\
         Content-Length: 0\r\n\r\n",
        record.token
    );
    stream.write_all(request.as_bytes()).map_err(|e| e.to_string())?;
    let mut raw = Vec::new();
    stream
        .take(MAX_ANSWER_BYTES)
        .read_to_end(&mut raw)
        .map_err(|e| e.to_string())?;
    let raw = String::from_utf8_lossy(&raw);
    let (head, body) = raw.split_once("\r\n\r\n").ok_or("no answer")?;
    if head.split(' ').nth(1) != Some("200") {
        return Err(head.lines().next().unwrap_or_default().to_string());
    }
    #[derive(Deserialize)]
    struct Answer {
        url: String,
    }
    let answer: Answer = serde_json::from_str(body).map_err(|e| e.to_string())?;
    let prefix = format!("http://{host}{KEY_PATH}?{KEY_PARAM}=");
    let key = answer.url.strip_prefix(&prefix).ok_or("a link to another address")?;
    if key.len() != 64 || !key.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err("not a one-time link".into());
    }
    Ok(answer.url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(port: u16) -> Record {
        Record {
            port,
            pid: std::process::id(),
            token: "t".repeat(64),
        }
    }

    #[test]
    fn a_record_is_private_and_removed_only_by_its_server() {
        let dir = tempfile::tempdir().unwrap();
        let path = publish(dir.path(), &record(1)).unwrap();
        assert_eq!(read(dir.path()).unwrap(), Some(record(1)));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        assert_eq!(
            fs::read_to_string(dir.path().join(".handbok/.gitignore")).unwrap(),
            "*\n"
        );
        // Nothing answers on port 1: the record is stale and the next server replaces it.
        publish(dir.path(), &record(2)).unwrap();
        remove_if_ours(&path, &record(1));
        assert_eq!(read(dir.path()).unwrap(), Some(record(2)));
        remove_if_ours(&path, &record(2));
        assert_eq!(read(dir.path()).unwrap(), None);
        let left: Vec<_> = fs::read_dir(dir.path().join(".handbok")).unwrap().collect();
        assert_eq!(left.len(), 1, "only .gitignore is left: {left:?}");
    }

    #[cfg(unix)]
    #[test]
    fn a_record_others_could_change_or_a_link_is_not_believed() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = publish(dir.path(), &record(1)).unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
        assert!(read(dir.path()).is_err());
        fs::remove_file(&path).unwrap();
        let elsewhere = dir.path().join("elsewhere.json");
        write_private(&elsewhere, &serde_json::to_vec(&record(1)).unwrap()).unwrap();
        std::os::unix::fs::symlink(&elsewhere, &path).unwrap();
        assert!(read(dir.path()).is_err());
        assert_eq!(open_running(dir.path()), None);
        // Publishing replaces the link, not the file it points at.
        publish(dir.path(), &record(3)).unwrap();
        assert!(!fs::symlink_metadata(&path).unwrap().file_type().is_symlink());
        assert_eq!(read_file(&elsewhere).unwrap(), Some(record(1)));
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_for_the_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let outside = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join(".handbok")).unwrap();
        assert!(matches!(publish(dir.path(), &record(1)), Err(NotPublished::Io(_))));
        assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_dead_process_is_not_alive() {
        assert!(process_alive(std::process::id()));
        assert!(!process_alive(0));
        assert!(!process_alive(u32::MAX));
    }
}
