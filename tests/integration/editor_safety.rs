//! The editor's and the build's safety promises (issue 21): an alias bomb in any YAML is refused
//! under a 1 GiB address-space limit with its file and line; a save never loses an outside write
//! made between its check and its rename; an unreadable page is never taken for a missing one;
//! symbolic links in the history are never followed; the save endpoint never writes text into an
//! image and a failed save keeps no backup; stale temporary files go at the next start; names
//! Windows cannot hold, case twins and decomposed names are refused.

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;
use std::time::Duration;

use handbok::files::{check_name, version_of, ContentFolder, Refusal, Seam};
use handbok::serve::Server;
use serde_json::{json, Value};

use crate::support::TestSite;

/// Nine levels of nine aliases: a billion values from a few hundred bytes of YAML.
fn alias_bomb() -> String {
    let mut text = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
        .iter()
        .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
    {
        let refs = vec![format!("*{prev}"); 9].join(",");
        text.push_str(&format!("{name}: &{name} [{refs}]\n"));
    }
    text
}

/// The line (1-based) of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.starts_with(needle))
        .expect("the line is there")
        + 1
}

/// Run `program args` in `dir` with at most 1 GiB of address space. The time limit only guards
/// against a hang; the assertion is the exit code and the message. Few malloc arenas, so the
/// limit measures the data and not the allocator's per-thread reservations.
fn limited(program: &Path, args: &[&str], dir: &Path) -> Output {
    Command::new("timeout")
        .args(["300", "prlimit", "--as=1073741824", "--"])
        .arg(program)
        .args(args)
        .current_dir(dir)
        .env("MALLOC_ARENA_MAX", "2")
        .output()
        .expect("timeout and prlimit (coreutils, util-linux) run")
}

fn handbok_limited(site: &TestSite, command: &str) -> (i32, String) {
    let out = limited(Path::new(env!("CARGO_BIN_EXE_handbok")), &[command], site.root());
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn an_alias_bomb_in_a_page_or_the_settings_fails_build_and_check_at_its_line_within_1_gib() {
    let bomb = alias_bomb();
    let page = format!("---\ntitle: Bomb\n{bomb}---\n\nText.\n");
    let settings = format!("title: Testhandbok\norganisation: Testkommun\n{bomb}");
    let in_page = TestSite::files(&[
        ("site.yml", "title: Testhandbok\norganisation: Testkommun\n"),
        ("index.md", "---\ntitle: Start\n---\n\nVälkommen.\n"),
        ("bomb.md", &page),
    ]);
    let in_settings = TestSite::files(&[
        ("site.yml", &settings),
        ("index.md", "---\ntitle: Start\n---\n\nVälkommen.\n"),
    ]);
    // The expansion passes the limit at the sixth level's aliases.
    for (site, file, line) in [
        (&in_page, "bomb.md", line_of(&page, "f: ")),
        (&in_settings, "site.yml", line_of(&settings, "f: ")),
    ] {
        for command in ["build", "check"] {
            let (code, stderr) = handbok_limited(site, command);
            assert_eq!(code, 1, "{command} {file}: {stderr}");
            assert!(
                stderr.contains(&format!("{file}:{line}")),
                "{command} {file}:{line}: {stderr}"
            );
            assert!(stderr.contains("YAML-texten blir för stor"), "{stderr}");
            assert!(stderr.contains("skriv ut värdena"), "{stderr}");
            assert!(!stderr.contains("panicked"), "{stderr}");
        }
        assert!(!site.path("public").exists(), "nothing was written");
    }
}

#[test]
fn an_alias_bomb_in_a_form_block_or_the_synonyms_fails_the_build_at_its_line() {
    let bomb = alias_bomb();
    let page = format!("---\ntitle: Blankett\n---\n\n```form\n{bomb}```\n");
    let in_form = TestSite::files(&[
        ("site.yml", "title: Testhandbok\norganisation: Testkommun\n"),
        ("index.md", "---\ntitle: Start\n---\n\nVälkommen.\n"),
        ("blankett.md", &page),
    ]);
    let in_synonyms = TestSite::files(&[
        ("site.yml", "title: Testhandbok\norganisation: Testkommun\n"),
        ("index.md", "---\ntitle: Start\n---\n\nVälkommen.\n"),
        ("synonymer.yml", &bomb),
    ]);
    for (site, file, line) in [
        (&in_form, "blankett.md", line_of(&page, "f: ")),
        (&in_synonyms, "synonymer.yml", line_of(&bomb, "f: ")),
    ] {
        let (code, stderr) = handbok_limited(site, "build");
        assert_eq!(code, 1, "{file}: {stderr}");
        assert!(stderr.contains(&format!("{file}:{line}")), "{file}:{line}: {stderr}");
        assert!(stderr.contains("YAML-texten blir för stor"), "{stderr}");
    }
}

#[test]
fn a_few_aliases_in_front_matter_still_build() {
    let site = TestSite::files(&[
        ("site.yml", "title: Testhandbok\norganisation: Testkommun\n"),
        (
            "index.md",
            "---\ntitle: &t Start\ndescription: *t\n---\n\n```form\n- &namn {text: Namn}\n- *namn\n```\n",
        ),
    ]);
    site.build().succeeded();
}

/// One JSON request to the served editor's API, as its page makes it.
pub(crate) fn call(server: &Server, path: &str, body: &Value) -> (u16, Value) {
    let body = body.to_string();
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    let head = format!(
        "POST /__handbok/api/{path} HTTP/1.0\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nX-Handbok-Token: {token}\r\nContent-Type: application/json\r\nContent-Length: {len}\r\n\r\n",
        addr = server.addr(),
        token = server.token(),
        len = body.len()
    );
    stream.write_all(head.as_bytes()).unwrap();
    stream.write_all(body.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let status = raw.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = raw.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

/// Run by `the_preview_of_an_alias_bomb_…` in a child process under the address-space limit.
#[test]
#[ignore = "run in a child process with a 1 GiB address-space limit by the test below"]
fn preview_of_an_alias_bomb_child() {
    let site = TestSite::files(&[
        ("site.yml", "title: Testhandbok\norganisation: Testkommun\n"),
        ("index.md", "---\ntitle: Start\n---\n\nVälkommen.\n"),
    ]);
    let server = site.serve();
    let text = format!("---\ntitle: Start\n{}---\n\nVälkommen.\n", alias_bomb());
    let (status, answer) = call(&server, "preview", &json!({"source": "index.md", "text": text}));
    assert_eq!(status, 200, "{answer}");
    assert!(answer["html"].is_null(), "{answer}");
    let found = answer["diagnostics"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|d| {
            d["message"]
                .as_str()
                .is_some_and(|m| m.starts_with("YAML-texten blir för stor"))
        })
        .unwrap_or_else(|| panic!("no alias diagnostic: {answer}"));
    assert_eq!(found["line"], line_of(&text, "f: "), "{found}");
    assert!(found["hint"].as_str().is_some_and(|h| h.contains("alias")), "{found}");
}

#[test]
fn the_preview_of_an_alias_bomb_answers_with_its_line_within_1_gib() {
    let me = std::env::current_exe().unwrap();
    let out = limited(
        &me,
        &[
            "editor_safety::preview_of_an_alias_bomb_child",
            "--exact",
            "--ignored",
            "--test-threads=1",
        ],
        &std::env::temp_dir(),
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("1 passed"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// --- the editor's files: a save racing an outside write, unreadable pages, links in the
// history, images, failed saves, temporary files, names ---

fn folder_with(files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    for (rel, text) in files {
        let path = dir.path().join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    let root = dir.path().canonicalize().unwrap();
    (dir, root)
}

/// Every file name below `dir` (links not followed), relative.
fn names_below(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned())
        .collect()
}

fn v(text: &str) -> String {
    version_of(Some(text.as_bytes()))
}

#[test]
fn an_outside_write_between_the_check_and_the_replace_is_kept_and_answered_as_a_conflict() {
    let (_dir, root) = folder_with(&[("a.md", "start\n"), ("b.md", "start\n")]);
    // The outside writer: in place (a sync client) for a.md, by rename (an editor, git) for b.md.
    let seam: Seam = Arc::new(|path: &Path| {
        if path.ends_with("a.md") {
            fs::write(path, "utanför\n").unwrap();
        } else if path.ends_with("b.md") || path.ends_with("ny.md") {
            let other = path.with_extension("outside");
            fs::write(&other, "kollega\n").unwrap();
            fs::rename(&other, path).unwrap();
        }
    });
    let folder = ContentFolder::new(&root).unwrap().with_seam(seam);
    for (page, outside) in [("a.md", "utanför\n"), ("b.md", "kollega\n")] {
        match folder.write(page, b"mitt\n", &v("start\n")) {
            Err(Refusal::Conflict { current, version }) => {
                assert_eq!(current, outside);
                assert_eq!(version, v(outside));
            }
            other => panic!("{page}: {other:?}"),
        }
        assert_eq!(
            fs::read_to_string(root.join(page)).unwrap(),
            outside,
            "the outside text stays"
        );
        assert_eq!(folder.version_count(page), 0, "a refused save keeps no version");
    }
    // A new page whose name someone else takes at that moment.
    assert!(matches!(
        folder.write("ny.md", b"mitt\n", "none"),
        Err(Refusal::Conflict { .. })
    ));
    assert_eq!(fs::read_to_string(root.join("ny.md")).unwrap(), "kollega\n");
    assert_eq!(
        names_below(&root).len(),
        3,
        "no temporary file is left: {:?}",
        names_below(&root)
    );
    // Without an outside write the same save lands, and keeps what it replaced.
    let quiet = ContentFolder::new(&root).unwrap();
    quiet.write("a.md", b"mitt\n", &v("utanf\u{f6}r\n")).unwrap();
    assert_eq!(fs::read_to_string(root.join("a.md")).unwrap(), "mitt\n");
    assert_eq!(quiet.version_count("a.md"), 1);
}

#[test]
fn a_page_that_is_there_but_cannot_be_read_is_never_replaced() {
    let (_dir, root) = folder_with(&[("a.md", "text\n")]);
    // A folder where the page should be: unreadable as a page, also for root.
    fs::create_dir(root.join("b.md")).unwrap();
    fs::write(root.join("b.md/inne.txt"), "kvar").unwrap();
    let folder = ContentFolder::new(&root).unwrap();
    assert_eq!(folder.write("b.md", b"ny\n", "none"), Err(Refusal::Unreadable));
    assert_eq!(folder.write_text("b.md", "ny\n", &v("")), Err(Refusal::Unreadable));
    assert_eq!(folder.version("b.md"), Err(Refusal::Unreadable));
    assert_eq!(fs::read_to_string(root.join("b.md/inne.txt")).unwrap(), "kvar");
    // A page without read permission (meaningful when the tests do not run as root).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(root.join("a.md"), fs::Permissions::from_mode(0o000)).unwrap();
        if fs::read(root.join("a.md")).is_err() {
            assert_eq!(folder.write("a.md", b"ny\n", "none"), Err(Refusal::Unreadable));
            assert_eq!(folder.write("a.md", b"ny\n", &v("text\n")), Err(Refusal::Unreadable));
        }
        fs::set_permissions(root.join("a.md"), fs::Permissions::from_mode(0o644)).unwrap();
        assert_eq!(fs::read_to_string(root.join("a.md")).unwrap(), "text\n");
    }
    assert_eq!(folder.version_count("a.md"), 0);
}

#[cfg(unix)]
#[test]
fn links_in_the_history_are_never_followed() {
    use std::os::unix::fs::symlink;
    let (_dir, root) = folder_with(&[("a.md", "v0\n"), ("b.md", "b0\n"), ("sek/c.md", "c0\n")]);
    let (_out, outside) = folder_with(&[("00000000000000000001.bak", "främmande\n"), ("hemlig.txt", "hemligt\n")]);
    let history = root.join(".handbok/historik");
    fs::create_dir_all(history.join("b.md")).unwrap();
    // a.md's history folder is a link out; b.md's has a link to a foreign file among its versions.
    symlink(&outside, history.join("a.md")).unwrap();
    for n in 1..=30 {
        symlink(outside.join("hemlig.txt"), history.join(format!("b.md/{n:020}.bak"))).unwrap();
    }
    let folder = ContentFolder::new(&root).unwrap();
    assert_eq!(folder.write("a.md", b"v1\n", &v("v0\n")), Err(Refusal::Symlink));
    assert_eq!(fs::read_to_string(root.join("a.md")).unwrap(), "v0\n", "refused whole");
    // Undo never copies the foreign file in; trimming never removes the links' targets.
    assert_eq!(folder.restore_previous("b.md", &v("b0\n")), Err(Refusal::NoHistory));
    let mut version = v("b0\n");
    for i in 0..25 {
        version = folder
            .write("b.md", format!("b{}\n", i + 1).as_bytes(), &version)
            .unwrap();
    }
    let (text, _) = folder.restore_previous("b.md", &version).unwrap();
    assert_eq!(text, "b24\n");
    assert_eq!(fs::read_to_string(outside.join("hemlig.txt")).unwrap(), "hemligt\n");
    assert_eq!(
        fs::read_to_string(outside.join("00000000000000000001.bak")).unwrap(),
        "främmande\n"
    );
    assert_eq!(names_below(&outside).len(), 2);
    // A folder swapped for a link between the check and the write is not followed: the write
    // lands in the folder that was checked.
    let swap: Seam = Arc::new(|path: &Path| {
        let folder = path.parent().unwrap();
        if folder.ends_with("sek") {
            fs::rename(folder, folder.with_file_name("sek-gammal")).unwrap();
            symlink(folder.with_file_name("utanfor"), folder).unwrap();
        }
    });
    fs::create_dir(root.join("utanfor")).unwrap();
    fs::write(root.join("utanfor/c.md"), "utanför\n").unwrap();
    let swapped = ContentFolder::new(&root).unwrap().with_seam(swap);
    swapped.write("sek/c.md", b"c1\n", &v("c0\n")).unwrap();
    assert_eq!(fs::read_to_string(root.join("utanfor/c.md")).unwrap(), "utanför\n");
    assert_eq!(fs::read_to_string(root.join("sek-gammal/c.md")).unwrap(), "c1\n");
}

#[test]
fn the_save_endpoint_never_writes_text_into_an_image() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let site = TestSite::files(&[
        ("site.yml", "title: Testhandbok\norganisation: Testkommun\n"),
        ("index.md", "---\ntitle: Start\n---\n\nVälkommen.\n"),
    ]);
    site.write_bytes("content/bild.png", png);
    let server = site.serve();
    let existing = version_of(Some(png));
    for (source, version) in [("bild.png", existing.as_str()), ("ny.png", "none"), ("ny.GIF", "none")] {
        let (status, answer) = call(
            &server,
            "save",
            &json!({"source": source, "text": "GIF89a text", "version": version}),
        );
        assert_eq!(status, 400, "{source}: {answer}");
        assert_eq!(answer["error"], "editor_refused_kind", "{answer}");
        assert!(
            answer["message"].as_str().is_some_and(|m| m.contains("bara sidor")),
            "{answer}"
        );
    }
    assert_eq!(fs::read(site.path("content/bild.png")).unwrap(), png);
    assert!(!site.path("content/ny.png").exists() && !site.path("content/ny.GIF").exists());
}

#[test]
fn failed_saves_keep_no_versions_and_never_push_out_real_ones() {
    let (_dir, root) = folder_with(&[("a.md", "första\n")]);
    let folder = ContentFolder::new(&root).unwrap();
    let version = folder.write("a.md", b"andra\n", &v("första\n")).unwrap();
    assert_eq!(folder.version_count("a.md"), 1);
    // Each save fails at the replace: the page is taken away at that moment, then put back.
    let vanish: Seam = Arc::new(|path: &Path| fs::remove_file(path).unwrap());
    let failing = ContentFolder::new(&root).unwrap().with_seam(vanish);
    for _ in 0..25 {
        assert_eq!(failing.write("a.md", b"tredje\n", &version), Err(Refusal::Missing));
        fs::write(root.join("a.md"), "andra\n").unwrap();
    }
    assert_eq!(folder.version_count("a.md"), 1);
    let (earlier, _) = folder.restore_previous("a.md", &version).unwrap();
    assert_eq!(earlier, "första\n", "the real earlier version is still there");
}

#[cfg(unix)]
#[test]
fn temporary_files_a_killed_save_left_go_at_the_next_start_and_git_ignores_them() {
    let (_dir, root) = folder_with(&[
        ("a.md", "text\n"),
        (".a.md.1765000000000000000.handbok-tmp", "halv"),
        ("sek/.b.md.17.handbok-tmp", "halv"),
        (
            ".handbok/historik/a.md/.00000000000000000001.bak.17.handbok-tmp",
            "halv",
        ),
        ("a.md.17.handbok-tmp", "inte handboks"),
        (".anteckning.handbok-tmp", "inte handboks"),
    ]);
    let (_out, outside) = folder_with(&[("x.md", "utanför\n")]);
    std::os::unix::fs::symlink(outside.join("x.md"), root.join(".x.md.17.handbok-tmp")).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("lank")).unwrap();
    fs::write(outside.join(".y.md.17.handbok-tmp"), "utanför").unwrap();
    ContentFolder::new(&root).unwrap();
    let mut left = names_below(&root);
    left.sort();
    assert_eq!(
        left,
        [
            ".anteckning.handbok-tmp",
            ".x.md.17.handbok-tmp",
            "a.md",
            "a.md.17.handbok-tmp",
            "lank"
        ]
    );
    assert_eq!(fs::read_to_string(outside.join("x.md")).unwrap(), "utanför\n");
    assert!(
        outside.join(".y.md.17.handbok-tmp").exists(),
        "a linked folder is not entered"
    );
    // `handbok init` makes Git ignore them and the history.
    let dir = tempfile::tempdir().unwrap();
    crate::support::run_in(dir.path(), &["init", "ny"]).succeeded();
    let ignore = fs::read_to_string(dir.path().join("ny/.gitignore")).unwrap();
    let lines: Vec<&str> = ignore.lines().collect();
    assert!(
        lines.contains(&"*.handbok-tmp") && lines.contains(&".handbok/"),
        "{ignore}"
    );
}

#[test]
fn names_windows_cannot_hold_decomposed_names_and_twins_are_refused() {
    for reserved in [
        "CON.md",
        "aux.md",
        "nul.md",
        "Com1.md",
        "lpt9.txt.md",
        "prn .md",
        "sek/nul/x.md",
    ] {
        assert_eq!(check_name(reserved), Err(Refusal::Reserved), "{reserved}");
    }
    for fine in ["console.md", "com10.md", "auxiliar.md", "lön.md"] {
        assert!(check_name(fine).is_ok(), "{fine}");
    }
    assert_eq!(check_name("lo\u{308}n.md"), Err(Refusal::Decomposed));
    assert_eq!(check_name("a\u{30a}rsplan.md"), Err(Refusal::Decomposed));
    for bad in [
        "a<b.md", "a>b.md", "a\"b.md", "a|b.md", "a?b.md", "a*b.md", "a:b.md", "a.md.", "a.md ",
    ] {
        assert!(check_name(bad).is_err(), "{bad}");
    }
    let (_dir, root) = folder_with(&[
        ("semester.md", "s\n"),
        ("lon.md", "l\n"),
        ("Lo\u{308}neva\u{308}xling.md", "x\n"),
    ]);
    let folder = ContentFolder::new(&root).unwrap();
    assert_eq!(
        folder.write("Semester.md", b"t", "none"),
        Err(Refusal::Twin("semester.md".into()))
    );
    assert_eq!(
        folder.write("Lön.md", b"t", "none"),
        Err(Refusal::Twin("lon.md".into()))
    );
    assert_eq!(
        folder.write("löneväxling.md", b"t", "none"),
        Err(Refusal::Twin("Lo\u{308}neva\u{308}xling.md".into()))
    );
    assert_eq!(
        folder.rename("lon.md", "SEMESTER.md"),
        Err(Refusal::Twin("semester.md".into()))
    );
    assert_eq!(folder.rename("lon.md", "CON.md"), Err(Refusal::Reserved));
    // A page may change the case of its own name.
    folder.rename("lon.md", "Lon.md").unwrap();
    assert_eq!(fs::read_to_string(root.join("Lon.md")).unwrap(), "l\n");
    let mut left = names_below(&root);
    left.retain(|n| !n.starts_with(".handbok"));
    assert_eq!(left.len(), 3, "{left:?}");
}
