//! Who gets the editor's write token, and what a second start does (issue 21, items 10 and 15):
//! no page carries the token; a one-time link hands it over once; another local user of the
//! computer (a real second account the test creates, when run as root) reads every page and the
//! editor without finding it, cannot read the server's record, cannot use even an unused
//! one-time link (Linux: the connection's owner is checked), and has every write refused; a
//! second `handbok` in the same folder opens the running server through a new one-time link and
//! exits, and a record left by a killed server is replaced. Every wait is bounded.

use std::fs;
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use handbok::serve::{Record, Server, KEY_PATH, STATE_FILE, TOKEN_STORAGE_KEY};
use scraper::{Html, Selector};
use serde_json::{json, Value};

use crate::editor::{send, Answer};
use crate::support::TestSite;

const WAIT: Duration = Duration::from_secs(10);

fn site() -> TestSite {
    TestSite::files(&[
        ("site.yml", "title: Testhandbok\norganisation: Testkommun\n"),
        (
            "index.md",
            "---\ntitle: Startsida\n---\n\nVälkommen. Läs [semester](semester.md).\n",
        ),
        (
            "semester.md",
            "---\ntitle: Semester\n---\n\nDu har rätt till 25 dagars semester.\n",
        ),
    ])
}

/// Every address a reader or an editor of the test site would request.
fn every_page() -> Vec<&'static str> {
    vec![
        "/",
        "/index.html",
        "/semester.html",
        "/__handbok/live.js",
        "/__handbok/redigera?sida=index.md",
        "/__handbok/redigera?sida=semester.md",
        "/__handbok/editor.js",
        "/__handbok/nyckel.js",
        "/__handbok/oppna",
        "/finns-inte.html",
    ]
}

/// The path and query of a one-time link.
fn path_of(link: &str, addr: SocketAddr) -> String {
    link.strip_prefix(&format!("http://{addr}"))
        .unwrap_or_else(|| panic!("{link} is not a link to {addr}"))
        .to_string()
}

/// The token the handover page gives its tab, if any.
fn handed_token(answer: &Answer) -> Option<String> {
    let doc = Html::parse_document(&answer.body);
    let script = doc.select(&Selector::parse("script[data-token]").unwrap()).next()?;
    assert_eq!(script.value().attr("data-storage"), Some(TOKEN_STORAGE_KEY));
    script.value().attr("data-token").map(str::to_string)
}

#[test]
fn no_page_carries_the_token_and_a_one_time_link_hands_it_over_once() {
    let site = site();
    let server = site.serve();
    let token = server.token().to_string();
    for path in every_page() {
        let answer = send(server.addr(), "GET", path, &[], b"");
        assert!(answer.status < 500, "{path}: {}", answer.status);
        assert!(!answer.body.contains(&token), "{path} carries the token");
    }
    let editor = send(server.addr(), "GET", "/__handbok/redigera?sida=index.md", &[], b"");
    assert_eq!(editor.status, 200);

    let link = server.one_time_url().unwrap();
    assert!(
        link.starts_with(&format!("http://{}{KEY_PATH}?nyckel=", server.addr())),
        "{link}"
    );
    let path = path_of(&link, server.addr());
    let first = send(server.addr(), "GET", &path, &[], b"");
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(handed_token(&first).as_deref(), Some(token.as_str()));
    let again = send(server.addr(), "GET", &path, &[], b"");
    assert_eq!(again.status, 403);
    assert_eq!(handed_token(&again), None);
    assert!(!again.body.contains(&token));
    let text: String = Html::parse_document(&again.body).root_element().text().collect();
    assert!(text.contains("Länken har redan använts"), "{text}");
    assert!(text.contains("dubbelklicka på programmet handbok"), "{text}");
    // Guessed and empty keys give nothing either.
    for guess in ["?nyckel=", "?nyckel=00", &format!("?nyckel={}", "0".repeat(64))] {
        let answer = send(server.addr(), "GET", &format!("{KEY_PATH}{guess}"), &[], b"");
        assert_eq!(answer.status, 403, "{guess}");
        assert!(!answer.body.contains(&token));
    }
    server.stop();
}

#[test]
fn the_record_is_private_and_gone_when_the_server_stops() {
    let site = site();
    let server = site.serve();
    let record_path = site.content().join(STATE_FILE);
    let record: Record = serde_json::from_slice(&fs::read(&record_path).unwrap()).unwrap();
    assert_eq!(record.port, server.addr().port());
    assert_eq!(record.pid, std::process::id());
    assert_eq!(record.token, server.token());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(&record_path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Git never sees it.
    assert_eq!(
        fs::read_to_string(site.content().join(".handbok/.gitignore")).unwrap(),
        "*\n"
    );
    // A second server for the same folder is refused while this one runs.
    let mut options = handbok::serve::ServeOptions::new(site.options());
    options.port = Some(0);
    options.verbose = false;
    let refused = Server::start(options).err().expect("a second server is refused");
    assert!(refused.contains("already serves"), "{refused}");
    server.stop();
    assert!(!record_path.exists(), "the record is removed when the server stops");
}

/// Run `id` for the user `name`.
#[cfg(unix)]
fn id_of(flag: &str, name: &str) -> u32 {
    let out = Command::new("id").args([flag, name]).output().unwrap();
    assert!(
        out.status.success(),
        "id {flag} {name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().parse().unwrap()
}

/// A second local account on this computer: what another person logged in to a shared machine
/// is. It makes a real account (CI runs as root), so it runs only as root.
#[cfg(target_os = "linux")]
#[test]
fn another_local_user_gets_no_token_and_cannot_write() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;

    // SAFETY: geteuid has no preconditions.
    if unsafe { libc::geteuid() } != 0 {
        eprintln!(
            "SKIPPED another_local_user_gets_no_token_and_cannot_write: it creates a second local \
             user with useradd, which needs root (CI runs as root)"
        );
        return;
    }
    const OTHER: &str = "handbok-andra";
    let made = Command::new("useradd")
        .args(["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", OTHER])
        .output()
        .expect("useradd runs (the test needs it to make a second local user)");
    // 9: the user exists already (an earlier run).
    assert!(
        made.status.success() || made.status.code() == Some(9),
        "useradd: {}",
        String::from_utf8_lossy(&made.stderr)
    );
    let (uid, gid) = (id_of("-u", OTHER), id_of("-g", OTHER));

    let site = site();
    // A folder others may read, as a shared folder is: only the record's own mode protects it.
    for dir in [site.root().to_path_buf(), site.content()] {
        fs::set_permissions(&dir, fs::Permissions::from_mode(0o755)).unwrap();
    }
    let server = site.serve();
    let token = server.token().to_string();
    let before = fs::read_to_string(site.path("content/semester.md")).unwrap();
    // The owner opens the editor through a one-time link; the other user tries it afterwards,
    // and tries a fresh link too (as if read from a browser's command line in `ps`).
    let link = path_of(&server.one_time_url().unwrap(), server.addr());
    assert_eq!(send(server.addr(), "GET", &link, &[], b"").status, 200);
    let fresh = path_of(&server.one_time_url().unwrap(), server.addr());

    // This test binary again, as the other user, running only `as_another_local_user`.
    let copy = tempfile::tempdir().unwrap();
    fs::set_permissions(copy.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let exe = copy.path().join("integration");
    fs::copy(std::env::current_exe().unwrap(), &exe).unwrap();
    let out = Command::new(&exe)
        .args(["--ignored", "--exact", "session::as_another_local_user", "--nocapture"])
        .args(["--test-threads", "1"])
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("HANDBOK_OTHER_ADDR", server.addr().to_string())
        .env("HANDBOK_OTHER_PATHS", every_page().join("\n"))
        .env("HANDBOK_OTHER_LINK", &link)
        .env("HANDBOK_OTHER_FRESH", &fresh)
        .env("HANDBOK_OTHER_RECORD", site.content().join(STATE_FILE))
        .current_dir("/")
        .uid(uid)
        .gid(gid)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = stdout
        .lines()
        .find_map(|l| l.split_once("HANDBOK-REPORT ").map(|(_, report)| report))
        .map(|l| serde_json::from_str(l).unwrap())
        .unwrap_or_else(|| panic!("no report: {stdout}"));
    assert_eq!(report["uid"], uid, "the requests were made as the other user");
    for answer in report["gets"].as_array().unwrap() {
        let body = answer["body"].as_str().unwrap();
        assert!(
            !body.contains(&token),
            "{} gave the other user the token",
            answer["path"]
        );
    }
    let status = |path: &str| {
        report["gets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["path"] == path)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!(status("/semester.html"), 200, "reading the handbook is allowed");
    assert_eq!(status("/__handbok/redigera?sida=index.md"), 200);
    assert_eq!(report["link"]["status"], 403, "the used link gives nothing");
    assert!(!report["link"]["body"].as_str().unwrap().contains(&token));
    assert_eq!(report["fresh"]["status"], 403, "a link is refused to another user");
    assert!(!report["fresh"]["body"].as_str().unwrap().contains(&token));
    // ... and stays good for the user who started handbok.
    let mine = send(server.addr(), "GET", &fresh, &[], b"");
    assert_eq!(handed_token(&mine), Some(token.clone()));
    assert_eq!(report["record"], "PermissionDenied", "the record is closed to others");
    for write in report["writes"].as_array().unwrap() {
        assert_eq!(write["status"], 403, "{write}");
    }
    assert_eq!(fs::read_to_string(site.path("content/semester.md")).unwrap(), before);
    server.stop();
}

/// Run by `another_local_user_gets_no_token_and_cannot_write` as the other user: makes every
/// request that user could and reports what came back.
#[test]
#[ignore = "run as a second local user by another_local_user_gets_no_token_and_cannot_write"]
fn as_another_local_user() {
    let var = |name: &str| std::env::var(name).unwrap_or_else(|_| panic!("{name} is set by the parent test"));
    let addr: SocketAddr = var("HANDBOK_OTHER_ADDR").parse().unwrap();
    let gets: Vec<Value> = var("HANDBOK_OTHER_PATHS")
        .lines()
        .map(|path| {
            let answer = send(addr, "GET", path, &[], b"");
            json!({"path": path, "status": answer.status, "body": answer.body})
        })
        .collect();
    let used = send(addr, "GET", &var("HANDBOK_OTHER_LINK"), &[], b"");
    let fresh = send(addr, "GET", &var("HANDBOK_OTHER_FRESH"), &[], b"");
    let record = match fs::read(var("HANDBOK_OTHER_RECORD")) {
        Ok(_) => "read".to_string(),
        Err(e) => format!("{:?}", e.kind()),
    };
    let origin = format!("http://{addr}");
    let save = json!({"source": "semester.md", "text": "hackad", "version": ""}).to_string();
    let writes: Vec<Value> = [
        ("/__handbok/api/save", vec![("Origin", origin.as_str())]),
        (
            "/__handbok/api/save",
            vec![("Origin", origin.as_str()), ("X-Handbok-Token", "0000")],
        ),
        ("/__handbok/api/nyckel", vec![("Origin", origin.as_str())]),
        ("/__handbok/api/delete", vec![("Origin", origin.as_str())]),
    ]
    .into_iter()
    .map(|(path, headers)| {
        let answer = send(addr, "POST", path, &headers, save.as_bytes());
        json!({"path": path, "status": answer.status})
    })
    .collect();
    // SAFETY: geteuid has no preconditions.
    #[cfg(unix)]
    let uid = unsafe { libc::geteuid() };
    #[cfg(not(unix))]
    let uid = 0;
    let report = json!({
        "uid": uid,
        "gets": gets,
        "link": {"status": used.status, "body": used.body},
        "fresh": {"status": fresh.status, "body": fresh.body},
        "record": record,
        "writes": writes,
    });
    println!("\nHANDBOK-REPORT {report}");
}

/// `handbok` (what a double-click runs) in `dir`, with a stand-in browser that writes the
/// address it is asked to open to `opened.txt` there.
#[cfg(target_os = "linux")]
fn double_click(site: &TestSite) -> Child {
    use std::os::unix::fs::PermissionsExt;
    let opened = site.path("opened.txt");
    let _ = fs::remove_file(&opened);
    site.write(
        "bin/xdg-open",
        &format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display()),
    );
    fs::set_permissions(site.path("bin/xdg-open"), fs::Permissions::from_mode(0o755)).unwrap();
    let path = format!(
        "{}:{}",
        site.path("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    Command::new(env!("CARGO_BIN_EXE_handbok"))
        .current_dir(site.root())
        .env("PATH", path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// The address the stand-in browser was asked to open.
fn opened(site: &TestSite, child: &mut Child) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(url) = fs::read_to_string(site.path("opened.txt"))
            .ok()
            .filter(|u| u.ends_with('\n'))
        {
            return url.trim().to_string();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("no browser was opened within {WAIT:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn record_in(content: &Path) -> Record {
    serde_json::from_slice(&fs::read(content.join(STATE_FILE)).unwrap()).unwrap()
}

/// The address of a one-time link.
fn addr_of(link: &str) -> SocketAddr {
    link.strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("opened {link}"))
}

#[cfg(target_os = "linux")]
#[test]
fn a_second_start_opens_the_running_server_and_a_stale_record_is_replaced() {
    let site = site();
    let mut first = Command::new(env!("CARGO_BIN_EXE_handbok"))
        .args(["serve", "--port", "0"])
        .current_dir(site.root())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (tx, rx) = mpsc::channel();
    let lines = BufReader::new(first.stdout.take().unwrap());
    std::thread::spawn(move || {
        for line in lines.lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let serving = loop {
        match rx.recv_timeout(WAIT) {
            Ok(line) => {
                if let Some(url) = line.strip_prefix("Serving the handbook at ") {
                    break url.trim_end_matches('/').trim_start_matches("http://").to_string();
                }
            }
            Err(_) => {
                let _ = first.kill();
                panic!("the first server printed no address");
            }
        }
    };
    let first_addr: SocketAddr = serving.parse().unwrap();
    let record = record_in(&site.content());
    assert_eq!((record.port, record.pid), (first_addr.port(), first.id()));

    // The second start: finds the first server, opens a new one-time link to it, exits at once.
    let started = Instant::now();
    let mut second = double_click(&site);
    let link = opened(&site, &mut second);
    let status = loop {
        if let Some(status) = second.try_wait().unwrap() {
            break status;
        }
        if started.elapsed() > WAIT {
            let _ = second.kill();
            let _ = first.kill();
            panic!("the second start did not exit within {WAIT:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = started.elapsed();
    assert!(status.success(), "{status:?}");
    assert!(took < Duration::from_secs(5), "the second start took {took:?}");
    let mut printed = String::new();
    std::io::Read::read_to_string(&mut second.stdout.take().unwrap(), &mut printed).unwrap();
    assert!(printed.contains(&link), "it prints the link too: {printed}");
    assert_eq!(addr_of(&link), first_addr, "the link is to the first server");
    assert!(link.contains(&format!("{KEY_PATH}?nyckel=")), "{link}");
    // No second server: the second process has ended, and the record still names the first.
    assert_eq!(record_in(&site.content()), record);
    let handover = send(first_addr, "GET", &path_of(&link, first_addr), &[], b"");
    assert_eq!(handover.status, 200);
    assert_eq!(handed_token(&handover), Some(record.token.clone()));

    // A killed server leaves its record behind; the next start replaces it and serves itself.
    first.kill().unwrap();
    let _ = first.wait();
    assert!(site.content().join(STATE_FILE).exists());
    let mut third = double_click(&site);
    let link = opened(&site, &mut third);
    let third_addr = addr_of(&link);
    let replaced = record_in(&site.content());
    let still_running = third.try_wait().unwrap().is_none();
    let handover = send(third_addr, "GET", &path_of(&link, third_addr), &[], b"");
    third.kill().unwrap();
    let _ = third.wait();
    assert!(still_running, "the third start serves the handbook itself");
    assert_ne!(third_addr, first_addr);
    assert_eq!((replaced.port, replaced.pid), (third_addr.port(), third.id()));
    assert_ne!(replaced.token, record.token);
    assert_eq!(handed_token(&handover), Some(replaced.token));
}
