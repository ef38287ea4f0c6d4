//! A folder inside the content folder, opened one part at a time without following a symbolic
//! link, and the file operations the editor does inside it.
//!
//! On Unix the folder is held open (a file descriptor) and every operation is relative to it
//! with `O_NOFOLLOW`: a symbolic link swapped in for a folder or a file after the check is never
//! followed, and a file is replaced by exchanging it with its temporary file (Linux
//! `renameat2(RENAME_EXCHANGE)`), so what was replaced can be compared and put back. Elsewhere
//! each part is checked by path just before it is used: a window of a few system calls remains
//! (docs/security.md says so).

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use super::Refusal;

/// What a name in a folder is, never following a symbolic link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EntryKind {
    /// A regular file of this many bytes.
    File(u64),
    /// A folder.
    Dir,
    /// A symbolic link or anything else: never read, written or entered.
    Other,
}

/// An open folder inside the content folder.
pub(super) struct SafeDir {
    path: PathBuf,
    #[cfg(unix)]
    fd: std::os::fd::OwnedFd,
}

fn io_refusal(e: &io::Error) -> Refusal {
    Refusal::Io(e.to_string())
}

#[cfg(unix)]
mod sys {
    pub(super) use rustix::fs::{AtFlags, Mode, OFlags};
    pub(super) const DIR: OFlags = OFlags::DIRECTORY
        .union(OFlags::NOFOLLOW)
        .union(OFlags::CLOEXEC)
        .union(OFlags::RDONLY);
}

impl SafeDir {
    /// Open `root` (already canonical), then each of `parts` below it, refusing a part that is
    /// a symbolic link or not a folder. With `create`, missing folders are made.
    pub(super) fn open(root: &Path, parts: &[&str], create: bool) -> Result<SafeDir, Refusal> {
        let mut dir = SafeDir::root(root)?;
        for part in parts {
            dir = dir.child(part, create)?;
        }
        Ok(dir)
    }

    #[cfg(unix)]
    fn root(root: &Path) -> Result<SafeDir, Refusal> {
        let fd = rustix::fs::open(root, sys::DIR, sys::Mode::empty()).map_err(|e| io_refusal(&e.into()))?;
        Ok(SafeDir {
            path: root.to_path_buf(),
            fd,
        })
    }

    #[cfg(not(unix))]
    fn root(root: &Path) -> Result<SafeDir, Refusal> {
        Ok(SafeDir {
            path: root.to_path_buf(),
        })
    }

    /// The folder `name` inside this one.
    pub(super) fn child(&self, name: &str, create: bool) -> Result<SafeDir, Refusal> {
        match self.kind(name) {
            Some(EntryKind::Dir) => {}
            Some(_) => return Err(Refusal::Symlink),
            None if create => self.make_dir(name).map_err(|e| io_refusal(&e))?,
            None => return Err(Refusal::Missing),
        }
        self.open_child(name)
    }

    #[cfg(unix)]
    fn open_child(&self, name: &str) -> Result<SafeDir, Refusal> {
        match rustix::fs::openat(&self.fd, name, sys::DIR, sys::Mode::empty()) {
            Ok(fd) => Ok(SafeDir {
                path: self.path.join(name),
                fd,
            }),
            Err(rustix::io::Errno::LOOP | rustix::io::Errno::NOTDIR) => Err(Refusal::Symlink),
            Err(rustix::io::Errno::NOENT) => Err(Refusal::Missing),
            Err(e) => Err(io_refusal(&e.into())),
        }
    }

    #[cfg(not(unix))]
    fn open_child(&self, name: &str) -> Result<SafeDir, Refusal> {
        Ok(SafeDir {
            path: self.path.join(name),
        })
    }

    #[cfg(unix)]
    fn make_dir(&self, name: &str) -> io::Result<()> {
        match rustix::fs::mkdirat(&self.fd, name, sys::Mode::from_raw_mode(0o755)) {
            Ok(()) | Err(rustix::io::Errno::EXIST) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    #[cfg(not(unix))]
    fn make_dir(&self, name: &str) -> io::Result<()> {
        match fs::create_dir(self.path.join(name)) {
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => Err(e),
            _ => Ok(()),
        }
    }

    /// The folder's path (for messages and the history's file names).
    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    /// What `name` is, without following a link; `None` when it does not exist.
    #[cfg(unix)]
    pub(super) fn kind(&self, name: &str) -> Option<EntryKind> {
        let stat = rustix::fs::statat(&self.fd, name, sys::AtFlags::SYMLINK_NOFOLLOW).ok()?;
        Some(match rustix::fs::FileType::from_raw_mode(stat.st_mode) {
            rustix::fs::FileType::RegularFile => EntryKind::File(stat.st_size as u64),
            rustix::fs::FileType::Directory => EntryKind::Dir,
            _ => EntryKind::Other,
        })
    }

    /// What `name` is, without following a link; `None` when it does not exist.
    #[cfg(not(unix))]
    pub(super) fn kind(&self, name: &str) -> Option<EntryKind> {
        let meta = fs::symlink_metadata(self.path.join(name)).ok()?;
        Some(if meta.file_type().is_symlink() {
            EntryKind::Other
        } else if meta.is_file() {
            EntryKind::File(meta.len())
        } else if meta.is_dir() {
            EntryKind::Dir
        } else {
            EntryKind::Other
        })
    }

    /// The names in the folder with what each is (never following a link), sorted.
    pub(super) fn list(&self) -> Vec<(String, EntryKind)> {
        let mut names = self.names();
        names.sort();
        names
            .into_iter()
            .filter_map(|name| self.kind(&name).map(|kind| (name, kind)))
            .collect()
    }

    #[cfg(unix)]
    fn names(&self) -> Vec<String> {
        let Ok(fd) = rustix::fs::openat(&self.fd, ".", sys::DIR, sys::Mode::empty()) else {
            return Vec::new();
        };
        let Ok(dir) = rustix::fs::Dir::read_from(&fd) else {
            return Vec::new();
        };
        dir.filter_map(Result::ok)
            .filter_map(|e| e.file_name().to_str().ok().map(str::to_string))
            .filter(|n| n != "." && n != "..")
            .collect()
    }

    #[cfg(not(unix))]
    fn names(&self) -> Vec<String> {
        fs::read_dir(&self.path)
            .map(|entries| entries.filter_map(|e| e.ok()?.file_name().into_string().ok()).collect())
            .unwrap_or_default()
    }

    /// The bytes of the regular file `name`: `None` when it does not exist; refused when it
    /// is a link (never followed), a folder, or cannot be read (a file that is there is never
    /// taken for a missing one).
    pub(super) fn read(&self, name: &str) -> Result<Option<Vec<u8>>, Refusal> {
        match self.kind(name) {
            None => return Ok(None),
            Some(EntryKind::File(_)) => {}
            Some(EntryKind::Dir) => return Err(Refusal::Unreadable),
            Some(EntryKind::Other) => return Err(Refusal::Symlink),
        }
        let mut file = match self.open_file(name) {
            Ok(file) => file,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(_) => return Err(Refusal::Unreadable),
        };
        let mut bytes = Vec::new();
        file.read_to_end(&mut bytes).map_err(|_| Refusal::Unreadable)?;
        Ok(Some(bytes))
    }

    #[cfg(unix)]
    fn open_file(&self, name: &str) -> io::Result<fs::File> {
        let flags = sys::OFlags::RDONLY | sys::OFlags::NOFOLLOW | sys::OFlags::CLOEXEC | sys::OFlags::NONBLOCK;
        let fd = rustix::fs::openat(&self.fd, name, flags, sys::Mode::empty())?;
        let file = fs::File::from(fd);
        // Only a regular file is read (not a FIFO or device swapped in).
        if !file.metadata()?.is_file() {
            return Err(io::Error::other("not a regular file"));
        }
        Ok(file)
    }

    #[cfg(not(unix))]
    fn open_file(&self, name: &str) -> io::Result<fs::File> {
        fs::File::open(self.path.join(name))
    }

    /// Write `bytes` to the new file `name` (never an existing one or through a link) and
    /// flush it to disk; on failure the file is removed.
    pub(super) fn create_new(&self, name: &str, bytes: &[u8]) -> Result<(), Refusal> {
        let result = (|| {
            let mut file = self.create_file(name)?;
            file.write_all(bytes)?;
            file.sync_all()
        })();
        result.map_err(|e| {
            if e.kind() != io::ErrorKind::AlreadyExists {
                let _ = self.remove(name);
            }
            io_refusal(&e)
        })
    }

    #[cfg(unix)]
    fn create_file(&self, name: &str) -> io::Result<fs::File> {
        let flags = sys::OFlags::WRONLY
            | sys::OFlags::CREATE
            | sys::OFlags::EXCL
            | sys::OFlags::NOFOLLOW
            | sys::OFlags::CLOEXEC;
        let fd = rustix::fs::openat(&self.fd, name, flags, sys::Mode::from_raw_mode(0o644))?;
        Ok(fs::File::from(fd))
    }

    #[cfg(not(unix))]
    fn create_file(&self, name: &str) -> io::Result<fs::File> {
        fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(self.path.join(name))
    }

    /// Remove the file `name` (a link is removed itself, never what it points at).
    #[cfg(unix)]
    pub(super) fn remove(&self, name: &str) -> io::Result<()> {
        Ok(rustix::fs::unlinkat(&self.fd, name, sys::AtFlags::empty())?)
    }

    /// Remove the file `name` (a link is removed itself, never what it points at).
    #[cfg(not(unix))]
    pub(super) fn remove(&self, name: &str) -> io::Result<()> {
        fs::remove_file(self.path.join(name))
    }

    /// Rename `from` here to `to` in `target`, replacing what is there.
    #[cfg(unix)]
    pub(super) fn rename(&self, from: &str, target: &SafeDir, to: &str) -> io::Result<()> {
        Ok(rustix::fs::renameat(&self.fd, from, &target.fd, to)?)
    }

    /// Rename `from` here to `to` in `target`, replacing what is there.
    #[cfg(not(unix))]
    pub(super) fn rename(&self, from: &str, target: &SafeDir, to: &str) -> io::Result<()> {
        fs::rename(self.path.join(from), target.path.join(to))
    }

    /// Rename `from` here to `to` in `target` only if `to` does not exist (`AlreadyExists`
    /// otherwise). Atomic on Linux; elsewhere checked just before the rename.
    pub(super) fn rename_new(&self, from: &str, target: &SafeDir, to: &str) -> io::Result<()> {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::RenameFlags;
            match rustix::fs::renameat_with(&self.fd, from, &target.fd, to, RenameFlags::NOREPLACE) {
                Ok(()) => return Ok(()),
                Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => {}
                Err(e) => return Err(e.into()),
            }
        }
        if target.kind(to).is_some() {
            return Err(io::ErrorKind::AlreadyExists.into());
        }
        self.rename(from, target, to)
    }

    /// Mark `name` as just changed (its times set to now, never through a symbolic link). A
    /// file watcher may read an exchange of two names as a rename back and forth and report
    /// nothing; this tells it the file changed. Best effort: a failure changes nothing.
    pub(super) fn touch(&self, name: &str) {
        #[cfg(unix)]
        {
            use rustix::fs::{Timespec, Timestamps, UTIME_NOW};
            let now = Timespec {
                tv_sec: 0,
                tv_nsec: UTIME_NOW,
            };
            let times = Timestamps {
                last_access: now,
                last_modification: now,
            };
            let _ = rustix::fs::utimensat(&self.fd, name, &times, sys::AtFlags::SYMLINK_NOFOLLOW);
        }
        let _ = name;
    }

    /// Exchange the files `a` and `b` atomically. `Ok(false)` when the system cannot (not
    /// Linux, or a filesystem without `RENAME_EXCHANGE`): the caller falls back.
    pub(super) fn exchange(&self, a: &str, b: &str) -> io::Result<bool> {
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::RenameFlags;
            match rustix::fs::renameat_with(&self.fd, a, &self.fd, b, RenameFlags::EXCHANGE) {
                Ok(()) => return Ok(true),
                Err(rustix::io::Errno::INVAL | rustix::io::Errno::NOSYS) => {}
                Err(e) => return Err(e.into()),
            }
        }
        let _ = (a, b);
        Ok(false)
    }
}
