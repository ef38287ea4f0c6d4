//! `handbok serve` on an ephemeral port with a temporary content folder: pages are served with
//! the reload script, a save leads to a `reload` event only once the new build is served, a
//! broken save sends the diagnostics and keeps the old page, a fix recovers, and requests that
//! try to leave the site are refused. Every wait is bounded.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc::{self, Receiver};
use std::thread;
use std::time::{Duration, Instant};

use handbok::serve::Server;
use scraper::{Html, Selector};

use crate::support::TestSite;

const WAIT: Duration = Duration::from_secs(10);

/// A two-page site in a temp folder, served on a port the system picks.
fn start() -> (TestSite, Server) {
    let site = TestSite::files(&[
        ("site.yml", "title: Testhandbok\norganisation: Testkommun\n"),
        (
            "index.md",
            "---\ntitle: Startsida\n---\n\nVälkommen. Läs [semesterregler](semester.md).\n",
        ),
        (
            "semester.md",
            "---\ntitle: Semester\n---\n\nDu har rätt till 25 dagars semester.\n",
        ),
    ]);
    let server = site.serve();
    (site, server)
}

/// `GET path` over HTTP/1.0; returns status and body.
fn get(addr: SocketAddr, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    write!(stream, "GET {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let status = raw
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {raw:?}"));
    let body = raw.split_once("\r\n\r\n").map_or(String::new(), |(_, b)| b.to_string());
    (status, body)
}

/// One server-sent event.
#[derive(Debug)]
struct Event {
    name: String,
    data: String,
}

/// Connect to the event stream; events arrive on the returned channel.
fn events(addr: SocketAddr) -> Receiver<Event> {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET /__handbok/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        // Skip the response head.
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line == "\r\n" {
                break;
            }
        }
        let (mut name, mut data) = (String::new(), Vec::<String>::new());
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let l = line.trim_end_matches('\n');
            if l.is_empty() {
                if !name.is_empty()
                    && tx
                        .send(Event {
                            name: std::mem::take(&mut name),
                            data: data.join("\n"),
                        })
                        .is_err()
                {
                    return;
                }
                data.clear();
            } else if let Some(n) = l.strip_prefix("event: ") {
                name = n.to_string();
            } else if let Some(d) = l.strip_prefix("data: ") {
                data.push(d.to_string());
            } else if l == "data:" {
                data.push(String::new());
            }
        }
    });
    rx
}

/// The next event called `name`, skipping others; panics after `WAIT`.
fn next(rx: &Receiver<Event>, name: &str) -> Event {
    let deadline = Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(e) if e.name == name => return e,
            Ok(_) => continue,
            Err(_) => panic!("no `{name}` event within {WAIT:?}"),
        }
    }
}

fn main_text(html: &str) -> String {
    let doc = Html::parse_document(html);
    let main = Selector::parse("main").unwrap();
    doc.select(&main).flat_map(|m| m.text()).collect::<String>()
}

#[test]
fn pages_are_served_from_loopback_with_the_reload_script() {
    let (_dir, server) = start();
    assert!(server.addr().ip().is_loopback());
    assert!(server.url().starts_with("http://127.0.0.1:"));

    let (status, body) = get(server.addr(), "/");
    assert_eq!(status, 200);
    let doc = Html::parse_document(&body);
    let script = Selector::parse("script[src=\"/__handbok/live.js\"]").unwrap();
    assert_eq!(doc.select(&script).count(), 1, "reload script injected once");
    assert!(main_text(&body).contains("Välkommen"));

    let (status, body) = get(server.addr(), "/semester.html");
    assert_eq!(status, 200);
    assert!(main_text(&body).contains("25 dagars semester"));

    let (status, js) = get(server.addr(), "/__handbok/live.js");
    assert_eq!(status, 200);
    assert!(js.contains("EventSource"));

    let (status, _) = get(server.addr(), "/finns-inte.html");
    assert_eq!(status, 404);
    server.stop();
}

#[test]
fn build_output_never_contains_the_reload_script() {
    let (dir, server) = start();
    server.stop();
    let built = dir.in_memory();
    for (path, bytes) in &built.built.as_ref().expect("builds").files {
        assert!(
            !String::from_utf8_lossy(bytes).contains("__handbok"),
            "{path} contains the serve script"
        );
    }
}

#[test]
fn a_save_reloads_only_after_the_new_page_is_served() {
    let (dir, server) = start();
    let rx = events(server.addr());
    let hello = next(&rx, "hello");
    let page = dir.path("content/semester.md");

    fs::write(
        &page,
        "---\ntitle: Semester\n---\n\nDu har rätt till 28 dagars semester.\n",
    )
    .unwrap();
    let reload = next(&rx, "reload");
    assert_ne!(reload.data, hello.data, "a new generation");
    // The event came after the swap: the very next request sees the new text.
    let (status, body) = get(server.addr(), "/semester.html");
    assert_eq!(status, 200);
    assert!(main_text(&body).contains("28 dagars semester"), "{body}");

    // Editors often save by writing a temp file and renaming it over the page.
    let temp = dir.path("content/.semester.md.swp");
    fs::write(
        &temp,
        "---\ntitle: Semester\n---\n\nDu har rätt till 30 dagars semester.\n",
    )
    .unwrap();
    fs::rename(&temp, &page).unwrap();
    next(&rx, "reload");
    let (_, body) = get(server.addr(), "/semester.html");
    assert!(main_text(&body).contains("30 dagars semester"), "{body}");
    server.stop();
}

#[test]
fn a_broken_save_shows_the_errors_keeps_the_old_page_and_a_fix_recovers() {
    let (dir, server) = start();
    let rx = events(server.addr());
    next(&rx, "hello");
    let page = dir.path("content/semester.md");

    fs::write(&page, "---\ntitle: Semester\nordr: 2\n---\n\nTrasig sida.\n").unwrap();
    let error = next(&rx, "error");
    let first_line = error.data.lines().next().unwrap();
    assert!(
        first_line.ends_with("semester.md:3:1: fel: okänd nyckel `ordr` i sidans uppgifter"),
        "{first_line}"
    );
    assert!(error.data.contains("3 | ordr: 2"), "quotes the line: {}", error.data);
    assert!(error.data.contains("menade du `order`?"), "{}", error.data);

    // The last good page is still served.
    let (status, body) = get(server.addr(), "/semester.html");
    assert_eq!(status, 200);
    assert!(main_text(&body).contains("25 dagars semester"));
    assert!(!body.contains("Trasig sida"));

    // A page opened now learns about the error as soon as it connects.
    let late = events(server.addr());
    next(&late, "hello");
    assert!(next(&late, "error").data.contains("ordr"));

    fs::write(&page, "---\ntitle: Semester\norder: 2\n---\n\nLagad sida.\n").unwrap();
    next(&rx, "reload");
    let (_, body) = get(server.addr(), "/semester.html");
    assert!(main_text(&body).contains("Lagad sida"));

    // And once fixed, a new connection gets no error.
    let fresh = events(server.addr());
    next(&fresh, "hello");
    assert!(
        fresh.recv_timeout(Duration::from_millis(300)).is_err(),
        "no error after the fix"
    );
    server.stop();
}

#[test]
fn requests_outside_the_site_are_refused() {
    let (dir, server) = start();
    fs::write(dir.path("hemlig.txt"), "root:x:0:0 hemlighet").unwrap();
    for path in [
        "/../hemlig.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/hemlig.txt",
        "/%2E%2E/%2E%2E/etc/passwd",
        "/..%2fhemlig.txt",
        "/..%2f..%2f..%2fetc%2fpasswd",
        "/..%5chemlig.txt",
        "/./../hemlig.txt",
        "//etc/passwd",
        "/content/semester.md",
        "/%00",
    ] {
        let (status, body) = get(server.addr(), path);
        assert!(status == 400 || status == 404, "{path}: status {status}");
        assert!(
            !body.contains("root:") && !body.contains("hemlighet"),
            "{path} leaked a file"
        );
    }
    server.stop();
}

#[test]
fn a_site_broken_from_the_start_shows_the_errors_until_fixed() {
    let (dir, server) = start();
    server.stop();
    let index = dir.path("content/index.md");
    fs::write(&index, "---\ntitle: Startsida\n---\n\nSe [semester](semster.md).\n").unwrap();
    // It starts even though the build fails.
    let server = dir.serve();

    // Nothing good to show yet: every page lists the errors, what to do, and where to edit,
    // and carries the script so it reloads once fixed.
    let (status, body) = get(server.addr(), "/");
    assert_eq!(status, 503);
    let doc = Html::parse_document(&body);
    assert_eq!(
        doc.select(&Selector::parse("script[src=\"/__handbok/live.js\"]").unwrap())
            .count(),
        1
    );
    let heading: String = doc
        .select(&Selector::parse("h1").unwrap())
        .flat_map(|h| h.text())
        .collect();
    assert_eq!(heading, "Handboken kunde inte byggas");
    let errors: String = doc
        .select(&Selector::parse("pre").unwrap())
        .flat_map(|h| h.text())
        .collect();
    assert!(
        errors.contains("länken leder till en sida som inte finns: `semster.md`"),
        "{errors}"
    );
    assert!(!errors.contains("last good version"), "there is none: {errors}");
    let edit = doc
        .select(&Selector::parse("main a").unwrap())
        .filter_map(|a| a.value().attr("href"))
        .collect::<Vec<_>>();
    assert_eq!(edit, ["/__handbok/redigera?sida=index.md"]);
    let rx = events(server.addr());
    next(&rx, "hello");
    let error = next(&rx, "error");
    assert!(
        error
            .data
            .contains("index.md:5:4: fel: länken leder till en sida som inte finns: `semster.md`"),
        "{}",
        error.data
    );

    fs::write(&index, "---\ntitle: Startsida\n---\n\nSe [semester](semester.md).\n").unwrap();
    next(&rx, "reload");
    let (status, body) = get(server.addr(), "/");
    assert_eq!(status, 200);
    assert!(main_text(&body).contains("Se semester"), "{body}");
    server.stop();
}

/// The preview shows the editor what the accessibility statement still lacks; a built site
/// leaves it out (`a11y::accessibility_statement_is_generated_and_leaves_missing_facts_out_of_a_published_site`).
#[test]
fn the_preview_marks_the_statements_missing_facts() {
    let (_site, server) = start();
    let (status, body) = get(server.addr(), "/tillganglighetsredogorelse.html");
    assert_eq!(status, 200);
    let doc = Html::parse_document(&body);
    let missing = doc.select(&Selector::parse(".missing code").unwrap()).count();
    assert_eq!(missing, 6, "each missing fact is marked in the preview");
    server.stop();
}

#[test]
fn handbok_without_a_command_elsewhere_says_what_a_handbook_folder_is_and_waits() {
    let empty = TestSite::empty();
    // Standard input is empty, as if Enter were pressed at once.
    let run = empty.run(&[]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(run
        .stdout
        .contains("En handboksmapp är en mapp som innehåller mappen content"));
    assert!(run.stdout.contains("handbok init min-handbok"), "{}", run.stdout);
    assert!(run
        .stdout
        .trim_end()
        .ends_with("Tryck Enter för att stänga. (Press Enter to close.)"));
}

/// `handbok` alone in a handbook folder (what a double-click runs) starts the preview and opens
/// the browser at a one-time link to it: a stand-in `xdg-open` on `PATH` records the address.
#[cfg(target_os = "linux")]
#[test]
fn handbok_without_a_command_in_a_handbook_folder_serves_it_and_opens_the_browser() {
    use std::os::unix::fs::PermissionsExt;
    use std::process::{Command, Stdio};

    let site = TestSite::new();
    let opened = site.path("opened.txt");
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
    let mut child = Command::new(env!("CARGO_BIN_EXE_handbok"))
        .current_dir(site.root())
        .env("PATH", path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + WAIT;
    let url = loop {
        if let Some(url) = fs::read_to_string(&opened).ok().filter(|u| u.ends_with('\n')) {
            break url.trim().to_string();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("no browser was opened within {WAIT:?}");
        }
        thread::sleep(Duration::from_millis(50));
    };
    // A one-time link that hands the editor's key to the tab it opens in (see session.rs).
    let addr: SocketAddr = url
        .strip_prefix("http://")
        .and_then(|rest| rest.split('/').next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("opened {url}"));
    assert!(addr.ip().is_loopback());
    let link = url.trim_start_matches(&format!("http://{addr}"));
    assert!(link.starts_with("/__handbok/oppna?nyckel="), "{url}");
    let (status, _) = get(addr, link);
    assert_eq!(status, 200, "the link hands over the key");
    let (status, body) = get(addr, "/");
    child.kill().unwrap();
    let _ = child.wait();
    assert_eq!(status, 200);
    assert!(main_text(&body).contains("Välkommen."), "{body}");
}
