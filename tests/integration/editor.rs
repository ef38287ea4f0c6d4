//! The browser editor's server side over a real socket: the editor page, every refusal of the
//! guard and of the file rules (wrong Host, foreign Origin, missing token, traversal, absolute
//! path, symbolic link, oversized body), and the server staying responsive with 50 idle event
//! streams and a slow client; the request helpers the other editor modules use (their writes:
//! `editor_writes.rs`). Every wait is bounded.

use std::fs;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use handbok::serve::Server;
use scraper::{Html, Selector};
use serde_json::{json, Value};

use crate::support::TestSite;

pub(crate) const WAIT: Duration = Duration::from_secs(10);

pub(crate) fn start() -> (TestSite, Server) {
    let site = TestSite::files(&[
        ("site.yml", "title: Testhandbok\norganisation: Testkommun\n"),
        (
            "index.md",
            "---\ntitle: Startsida\n---\n\nVälkommen. Läs [semesterregler](semester.md#regler).\n",
        ),
        (
            "semester.md",
            "---\ntitle: Semester\norder: 1\n---\n\n## Regler\n\nDu har rätt till 25 dagars semester.\n",
        ),
        ("ledighet.md", "---\ntitle: Ledighet\norder: 2\n---\n\nOm ledighet.\n"),
    ]);
    let server = site.serve();
    (site, server)
}

/// An HTTP answer.
pub(crate) struct Answer {
    pub(crate) status: u16,
    pub(crate) body: String,
}

impl Answer {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

/// Send one request with these headers and body; `Host` is the server's unless given.
pub(crate) fn send(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream.set_read_timeout(Some(WAIT)).unwrap();
    let mut head = format!("{method} {path} HTTP/1.0\r\n");
    if !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("host")) {
        head.push_str(&format!("Host: {addr}\r\n"));
    }
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    stream.write_all(head.as_bytes()).unwrap();
    // The server may answer (413) before reading all of a large body.
    let _ = stream.write_all(body);
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let status = raw
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {raw:?}"));
    let body = raw.split_once("\r\n\r\n").map_or(String::new(), |(_, b)| b.to_string());
    Answer { status, body }
}

/// A request as the served editor page makes it: own Origin, the token.
pub(crate) fn call(server: &Server, path: &str, body: Value) -> Answer {
    let origin = format!("http://{}", server.addr());
    send(
        server.addr(),
        "POST",
        &format!("/__handbok/api/{path}"),
        &[
            ("Origin", &origin),
            ("X-Handbok-Token", server.token()),
            ("Content-Type", "application/json"),
        ],
        body.to_string().as_bytes(),
    )
}

pub(crate) fn get_api(server: &Server, path: &str) -> Answer {
    send(
        server.addr(),
        "GET",
        &format!("/__handbok/api/{path}"),
        &[("X-Handbok-Token", server.token())],
        b"",
    )
}

pub(crate) fn version(server: &Server, source: &str) -> String {
    let page = get_api(server, &format!("page?sida={source}"));
    assert_eq!(page.status, 200, "{}", page.body);
    page.json()["version"].as_str().unwrap().to_string()
}

/// The text of the page's `main`.
pub(crate) fn main_text(html: &str) -> String {
    let doc = Html::parse_document(html);
    doc.select(&Selector::parse("main").unwrap())
        .flat_map(|m| m.text())
        .collect()
}

/// Poll `check` until it holds, at most `WAIT`.
pub(crate) fn eventually(what: &str, mut check: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while Instant::now() < deadline {
        if check() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    panic!("{what}: not within {WAIT:?}");
}

#[test]
fn the_editor_page_names_where_the_token_is_kept_and_every_page_gets_the_edit_link() {
    let (_dir, server) = start();
    let page = send(server.addr(), "GET", "/__handbok/redigera?sida=semester.md", &[], b"");
    assert_eq!(page.status, 200, "{}", page.body);
    let doc = Html::parse_document(&page.body);
    let data = doc
        .select(&Selector::parse("#editor-data").unwrap())
        .next()
        .and_then(|e| e.value().attr("data-json"))
        .expect("editor data");
    let data: Value = serde_json::from_str(data).unwrap();
    // The token itself is never in a page (see session.rs): the script finds it in the tab.
    assert_eq!(data["storage"], handbok::serve::TOKEN_STORAGE_KEY);
    assert!(data.get("token").is_none());
    assert!(!page.body.contains(server.token()));
    assert_eq!(doc.root_element().value().attr("lang"), Some("sv"));
    let labels: Vec<String> = doc
        .select(&Selector::parse(".toolbar button").unwrap())
        .map(|b| b.text().collect::<String>())
        .collect();
    assert_eq!(
        labels,
        [
            "Rubrik 2",
            "Rubrik 3",
            "Fet",
            "Kursiv",
            "Punktlista",
            "Numrerad lista",
            "Checklista",
            "Observera",
            "Länk",
            "Bild",
            "Blankettfält"
        ]
    );
    for button in doc.select(&Selector::parse(".toolbar button").unwrap()) {
        assert!(
            button.value().attr("aria-keyshortcuts").is_some(),
            "{:?}",
            button.html()
        );
    }
    // Served pages name their source for the edit link the script adds.
    let index = send(server.addr(), "GET", "/semester.html", &[], b"");
    let doc = Html::parse_document(&index.body);
    let script = doc
        .select(&Selector::parse("script[src=\"/__handbok/live.js\"]").unwrap())
        .next()
        .unwrap();
    assert_eq!(script.value().attr("data-source"), Some("semester.md"));
    let live = send(server.addr(), "GET", "/__handbok/live.js", &[], b"");
    assert!(
        live.body.contains("\"serve_edit_page\":\"Redigera sidan\""),
        "{}",
        live.body
    );
    server.stop();
}

#[test]
fn requests_from_elsewhere_are_refused() {
    let (dir, server) = start();
    let addr = server.addr();
    let before = fs::read_to_string(dir.path("content/semester.md")).unwrap();
    let body =
        json!({"source": "semester.md", "text": "hackad", "version": version(&server, "semester.md")}).to_string();
    let own = format!("http://{addr}");
    let token = server.token().to_string();
    let cases: [(&str, Vec<(&str, &str)>); 6] = [
        // DNS rebinding: a foreign name pointed at 127.0.0.1.
        (
            "wrong host",
            vec![
                ("Host", "evil.example:80"),
                ("Origin", &own),
                ("X-Handbok-Token", &token),
            ],
        ),
        (
            "wrong port",
            vec![("Host", "127.0.0.1:1"), ("Origin", &own), ("X-Handbok-Token", &token)],
        ),
        (
            "foreign origin",
            vec![("Origin", "http://evil.example"), ("X-Handbok-Token", &token)],
        ),
        ("no origin", vec![("X-Handbok-Token", &token)]),
        ("missing token", vec![("Origin", &own)]),
        ("wrong token", vec![("Origin", &own), ("X-Handbok-Token", "0000")]),
    ];
    for (what, headers) in cases {
        let answer = send(addr, "POST", "/__handbok/api/save", &headers, body.as_bytes());
        assert_eq!(answer.status, 403, "{what}: {}", answer.body);
    }
    // Reading the API needs the token too, and any page needs the right Host.
    assert_eq!(
        send(addr, "GET", "/__handbok/api/page?sida=semester.md", &[], b"").status,
        403
    );
    assert_eq!(send(addr, "GET", "/", &[("Host", "evil.example")], b"").status, 403);
    let refused = send(
        addr,
        "GET",
        "/__handbok/redigera?sida=index.md",
        &[("Host", "evil.example")],
        b"",
    );
    assert_eq!(refused.status, 403);
    assert!(
        !refused.body.contains(&token),
        "the token never leaves to a foreign host"
    );
    assert_eq!(fs::read_to_string(dir.path("content/semester.md")).unwrap(), before);
    server.stop();
}

#[test]
fn writes_outside_the_rules_are_refused() {
    let (dir, server) = start();
    fs::write(dir.path("hemlig.md"), "hemlighet").unwrap();
    let text = "---\ntitle: X\n---\n";
    for (source, error) in [
        ("../hemlig.md", "editor_refused_traversal"),
        ("a/../../hemlig.md", "editor_refused_traversal"),
        ("/etc/passwd.md", "editor_refused_absolute"),
        (dir.path("hemlig.md").to_str().unwrap(), "editor_refused_absolute"),
        ("C:/x.md", "editor_refused_absolute"),
        ("sida.html", "editor_refused_kind"),
        ("bild.svg", "editor_refused_kind"),
        (".handbok/x.md", "editor_refused_name"),
        ("a\\..\\..\\hemlig.md", "editor_refused_name"),
    ] {
        let answer = call(
            &server,
            "save",
            json!({"source": source, "text": text, "version": "none"}),
        );
        assert_eq!(answer.json()["error"], error, "{source}: {}", answer.body);
        assert!(answer.status == 400, "{source}: {}", answer.status);
    }
    assert_eq!(fs::read_to_string(dir.path("hemlig.md")).unwrap(), "hemlighet");

    #[cfg(unix)]
    {
        let outside = dir.path("utanfor");
        fs::create_dir_all(&outside).unwrap();
        fs::write(outside.join("x.md"), "utanför").unwrap();
        std::os::unix::fs::symlink(&outside, dir.path("content/lank")).unwrap();
        let answer = call(
            &server,
            "save",
            json!({"source": "lank/x.md", "text": text, "version": "none"}),
        );
        assert_eq!(
            (answer.status, answer.json()["error"].as_str()),
            (403, Some("editor_refused_symlink"))
        );
        assert_eq!(fs::read_to_string(outside.join("x.md")).unwrap(), "utanför");
    }

    // An oversized body is refused before it is read whole.
    let huge = "x".repeat(handbok::files::MAX_TEXT_BYTES * 3 + 10);
    let answer = call(
        &server,
        "save",
        json!({"source": "semester.md", "text": huge, "version": "none"}),
    );
    assert_eq!(answer.status, 413);
    let image = vec![0u8; handbok::files::MAX_IMAGE_BYTES + 10];
    let origin = format!("http://{}", server.addr());
    let answer = send(
        server.addr(),
        "POST",
        "/__handbok/api/image?sida=semester.md&namn=stor.png",
        &[("Origin", &origin), ("X-Handbok-Token", server.token())],
        &image,
    );
    assert_eq!(answer.status, 413);
    // A text just over the page limit (its JSON under the body limit) is refused too.
    let big = "x".repeat(handbok::files::MAX_TEXT_BYTES + 1);
    let answer = call(
        &server,
        "save",
        json!({"source": "ny.md", "text": big, "version": "none"}),
    );
    assert_eq!(
        (answer.status, answer.json()["error"].as_str()),
        (413, Some("editor_refused_size"))
    );
    assert!(!dir.path("content/ny.md").exists());
    server.stop();
}

#[test]
fn idle_event_streams_and_a_slow_client_do_not_delay_a_page_load() {
    let (_dir, server) = start();
    let addr = server.addr();
    // 50 pages' worth of idle live-reload streams.
    let streams: Vec<TcpStream> = (0..50)
        .map(|_| {
            let mut s = TcpStream::connect(addr).unwrap();
            write!(
                s,
                "GET /__handbok/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
            )
            .unwrap();
            s
        })
        .collect();
    // A client that sends half a request and stalls, and one that asks and never reads.
    let mut stalled = TcpStream::connect(addr).unwrap();
    write!(stalled, "GET /semester.html HTTP/1.1\r\nHost: {addr}\r\nX-Slow: ").unwrap();
    let mut unread = TcpStream::connect(addr).unwrap();
    for _ in 0..20 {
        write!(unread, "GET /assets/handbok.css HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    }
    // Every page and the script still load, each well within the bounded wait.
    for path in ["/", "/semester.html", "/__handbok/live.js", "/ledighet.html"] {
        let started = Instant::now();
        let answer = send(addr, "GET", path, &[], b"");
        assert_eq!(answer.status, 200, "{path}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{path} took {:?}",
            started.elapsed()
        );
    }
    drop((streams, stalled, unread));
    server.stop();
}

#[test]
fn an_english_site_gets_an_english_editor() {
    let site = TestSite::files(&[
        ("site.yml", "title: Handbook\norganisation: Org\nlanguage: en\n"),
        ("index.md", "---\ntitle: Start\n---\n\nHello.\n"),
    ]);
    let server = site.serve();
    let page = send(server.addr(), "GET", "/__handbok/redigera?sida=index.md", &[], b"");
    let doc = Html::parse_document(&page.body);
    assert_eq!(doc.root_element().value().attr("lang"), Some("en"));
    let save: String = doc
        .select(&Selector::parse("#save").unwrap())
        .flat_map(|b| b.text())
        .collect();
    assert_eq!(save, "Save");
    let missing = send(server.addr(), "GET", "/nowhere.html", &[], b"");
    assert!(missing.body.contains("Page not found"));
    server.stop();
}
