//! The output stage's tests: all-or-nothing writes, refused paths, unchanged files linked.

use super::*;
use std::collections::BTreeMap;

/// Writes to disk, but fails with `error` (a full disk, a permission error) once `budget`
/// files have been written.
struct FailingWriter {
    budget: std::sync::atomic::AtomicUsize,
    error: io::ErrorKind,
}

impl Writer for FailingWriter {
    fn create_dir_all(&self, path: &Path) -> io::Result<()> {
        fs::create_dir_all(path)
    }
    fn write(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        use std::sync::atomic::Ordering;
        let spent = self
            .budget
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |b| b.checked_sub(1));
        if spent.is_err() {
            let message = match self.error {
                io::ErrorKind::StorageFull => "no space left on device",
                _ => "permission denied",
            };
            return Err(io::Error::new(self.error, message));
        }
        fs::write(path, bytes)
    }
}

fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned();
            (rel, fs::read(e.path()).unwrap())
        })
        .collect()
}

fn site(version: &str) -> OutputMap {
    let mut files = OutputMap::new();
    for name in ["index.html", "a/b.html", "a/c/d.html", "assets/handbok.css", "bild.png"] {
        files.insert(name.to_string(), format!("{version} {name}").into_bytes());
    }
    files
}

#[test]
fn a_write_failure_midway_leaves_the_previous_site_intact() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write_site(&out, &site("v1"), &FsWriter).unwrap();
    let before = snapshot(&out);
    assert_eq!(before.len(), 6);
    // Fail at every possible point: the marker, each file, the final marker.
    for (budget, error, message) in (0..=6)
        .map(|b| (b, io::ErrorKind::StorageFull, "no space left"))
        .chain((0..=6).map(|b| (b, io::ErrorKind::PermissionDenied, "permission denied")))
    {
        let writer = FailingWriter {
            budget: budget.into(),
            error,
        };
        let err = write_site(&out, &site("v2"), &writer).unwrap_err();
        assert!(err.message.english().contains(message), "{}", err.message.english());
        assert!(err.hint.unwrap().english().contains("previous site was left as it was"));
        assert_eq!(snapshot(&out), before, "budget {budget}");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["public"], "staging left behind at budget {budget}");
    }
    // With room enough, the new site replaces the old one whole.
    let roomy = FailingWriter {
        budget: 7.into(),
        error: io::ErrorKind::StorageFull,
    };
    write_site(&out, &site("v2"), &roomy).unwrap();
    assert_eq!(snapshot(&out)["index.html"], b"v2 index.html");
}

#[test]
fn paths_outside_the_output_folder_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    for bad in ["../x.html", "/etc/x", "a/../../x", "a//b", "", "c:/x", "a\\..\\x"] {
        let mut files = OutputMap::new();
        files.insert(bad.to_string(), b"x".to_vec());
        assert!(write_site(&out, &files, &FsWriter).is_err(), "{bad}");
        assert!(!out.exists());
    }
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn an_output_folder_that_existed_empty_is_replaced_twice_and_leaves_nothing_behind() {
    // A publication target is made (empty) by IT before the first delivery.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("intranat");
    fs::create_dir_all(&out).unwrap();
    write_site(&out, &site("v1"), &FsWriter).unwrap();
    write_site(&out, &site("v2"), &FsWriter).unwrap();
    assert_eq!(snapshot(&out)["index.html"], b"v2 index.html");
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["intranat"]);
}

#[cfg(unix)]
fn inode(path: &Path) -> u64 {
    use std::os::unix::fs::MetadataExt;
    fs::symlink_metadata(path).unwrap().ino()
}

#[cfg(unix)]
#[test]
fn a_rebuild_links_unchanged_files_and_writes_changed_ones() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write_site(&out, &site("v1"), &FsWriter).unwrap();
    let before: BTreeMap<String, u64> = site("v1")
        .keys()
        .map(|rel| (rel.clone(), inode(&out.join(rel))))
        .collect();
    let mut next = site("v1");
    next.insert("index.html".into(), b"v2 index.html, longer".to_vec());
    next.insert("a/c/d.html".into(), b"v2 a/c/d.html".to_vec());
    next.insert("ny.html".into(), b"v2 ny.html".to_vec());
    write_site(&out, &next, &FsWriter).unwrap();
    let files = snapshot(&out);
    for (rel, bytes) in &next {
        assert_eq!(&files[rel], bytes, "{rel}");
        // The old folder is gone, so no file has a second name left.
        assert_eq!(fs::metadata(out.join(rel)).unwrap().nlink(), 1, "{rel}");
    }
    for rel in ["a/b.html", "assets/handbok.css", "bild.png"] {
        assert_eq!(
            inode(&out.join(rel)),
            before[rel],
            "{rel} was unchanged: linked, not written"
        );
    }
    assert_ne!(inode(&out.join("index.html")), before["index.html"]);
    assert_ne!(
        inode(&out.join("a/c/d.html")),
        before["a/c/d.html"],
        "same length, other bytes"
    );
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, ["public"]);
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_in_the_previous_output_is_never_linked_or_followed() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write_site(&out, &site("v1"), &FsWriter).unwrap();
    // Someone replaced a listed file with a link to a file outside holding the same bytes.
    let outside = dir.path().join("utanfor.html");
    fs::write(&outside, b"v1 a/b.html").unwrap();
    fs::remove_file(out.join("a/b.html")).unwrap();
    std::os::unix::fs::symlink(&outside, out.join("a/b.html")).unwrap();
    let outside_inode = inode(&outside);
    write_site(&out, &site("v1"), &FsWriter).unwrap();
    let written = out.join("a/b.html");
    assert!(fs::symlink_metadata(&written).unwrap().file_type().is_file());
    assert_ne!(inode(&written), outside_inode);
    assert_eq!(fs::read(&written).unwrap(), b"v1 a/b.html");
    assert_eq!(
        fs::read(&outside).unwrap(),
        b"v1 a/b.html",
        "the file outside is left alone"
    );
}

/// A writer whose links always fail, like a share without hard links.
struct NoLinks;

impl Writer for NoLinks {
    fn create_dir_all(&self, path: &Path) -> io::Result<()> {
        fs::create_dir_all(path)
    }
    fn write(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        fs::write(path, bytes)
    }
    fn link(&self, _existing: &Path, _new: &Path) -> io::Result<()> {
        Err(io::Error::from(io::ErrorKind::Unsupported))
    }
}

#[test]
fn where_links_fail_every_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("public");
    write_site(&out, &site("v1"), &NoLinks).unwrap();
    write_site(&out, &site("v1"), &NoLinks).unwrap();
    let files = snapshot(&out);
    for (rel, bytes) in site("v1") {
        assert_eq!(files[&rel], bytes, "{rel}");
    }
}
