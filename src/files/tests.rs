//! Unit tests of the editor's file rules.

use std::fs;

use super::*;

fn folder() -> (tempfile::TempDir, ContentFolder) {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.md"), "---\ntitle: A\n---\nett\n").unwrap();
    let folder = ContentFolder::new(dir.path()).unwrap();
    (dir, folder)
}

#[test]
fn names_are_checked_before_anything_is_touched() {
    assert_eq!(check_name("a/b.md"), Ok(FileKind::Page));
    assert_eq!(check_name("site.yml"), Ok(FileKind::Settings));
    assert_eq!(check_name("bilder/Logga 1.PNG"), Ok(FileKind::Image));
    assert_eq!(check_name("bilaga-1-värdegrund.md"), Ok(FileKind::Page));
    for (bad, why) in [
        ("../x.md", Refusal::Traversal),
        ("a/../../x.md", Refusal::Traversal),
        ("./x.md", Refusal::Traversal),
        ("/etc/x.md", Refusal::Absolute),
        ("C:/x.md", Refusal::Absolute),
        ("\\\\server\\x.md", Refusal::Absolute),
        ("a\\..\\x.md", Refusal::BadName),
        ("a//x.md", Refusal::BadName),
        (".handbok/x.md", Refusal::BadName),
        ("a/x.md\0", Refusal::BadName),
        ("ab:c.md", Refusal::BadName),
        ("", Refusal::BadName),
        ("x.html", Refusal::WrongKind),
        ("x.svg", Refusal::WrongKind),
        ("a/site.yml", Refusal::WrongKind),
        ("x", Refusal::WrongKind),
    ] {
        assert_eq!(check_name(bad), Err(why), "{bad:?}");
    }
}

#[test]
fn a_save_replaces_the_file_and_keeps_the_previous_version() {
    let (dir, folder) = folder();
    let (text, version) = folder.read_text("a.md").unwrap();
    let new = folder.write("a.md", b"---\ntitle: A\n---\ntva\n", &version).unwrap();
    assert_eq!(
        fs::read_to_string(dir.path().join("a.md")).unwrap(),
        "---\ntitle: A\n---\ntva\n"
    );
    assert_eq!(folder.version_count("a.md"), 1);
    // No temporary file is left behind.
    let names: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}"); // a.md and .handbok
    let (restored, _) = folder.restore_previous("a.md", &new).unwrap();
    assert_eq!(restored, text);
    assert_eq!(fs::read_to_string(dir.path().join("a.md")).unwrap(), text);
    assert_eq!(folder.version_count("a.md"), 0);
    assert_eq!(
        folder.restore_previous("a.md", &version_of(Some(text.as_bytes()))),
        Err(Refusal::NoHistory)
    );
}

#[test]
fn a_save_over_a_file_changed_on_disk_is_refused_with_the_text_on_disk() {
    let (dir, folder) = folder();
    let (_, version) = folder.read_text("a.md").unwrap();
    fs::write(dir.path().join("a.md"), "någon annan\n").unwrap();
    match folder.write("a.md", b"mitt\n", &version) {
        Err(Refusal::Conflict { current, .. }) => assert_eq!(current, "någon annan\n"),
        other => panic!("{other:?}"),
    }
    assert_eq!(fs::read_to_string(dir.path().join("a.md")).unwrap(), "någon annan\n");
    // A new page over an existing file is a conflict too: nothing is replaced unseen.
    assert!(matches!(
        folder.write("a.md", b"x", "none"),
        Err(Refusal::Conflict { .. })
    ));
}

#[test]
fn versions_kept_are_bounded() {
    let (_dir, folder) = folder();
    let mut version = folder.version("a.md").unwrap();
    for i in 0..VERSIONS_KEPT + 5 {
        version = folder.write("a.md", format!("v{i}").as_bytes(), &version).unwrap();
    }
    assert_eq!(folder.version_count("a.md"), VERSIONS_KEPT);
}

#[cfg(unix)]
#[test]
fn nothing_is_written_through_a_symbolic_link() {
    let (dir, folder) = folder();
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("x.md"), "utanför").unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("lank")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("x.md"), dir.path().join("fil.md")).unwrap();
    let v = version_of(Some(b"utanf\xc3\xb6r"));
    assert_eq!(folder.write("lank/x.md", b"inne", &v), Err(Refusal::Symlink));
    assert_eq!(folder.write("fil.md", b"inne", &v), Err(Refusal::Symlink));
    assert_eq!(folder.read_text("fil.md").map(|_| ()), Err(Refusal::Symlink));
    assert_eq!(fs::read_to_string(outside.path().join("x.md")).unwrap(), "utanför");
}

#[test]
fn sizes_are_limited() {
    let (_dir, folder) = folder();
    let big = vec![b'a'; MAX_TEXT_BYTES + 1];
    assert_eq!(folder.write("b.md", &big, "none"), Err(Refusal::TooLarge));
}
