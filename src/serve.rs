//! `handbok serve`: live preview for editors.
//!
//! - The site is built fully in memory ([`crate::build_in_memory`]) and kept behind a lock as
//!   one immutable `OutputMap`; a rebuild makes a new map and swaps it in whole, so a request
//!   sees either the old site or the new one, never a half-built page. Nothing is written.
//! - The content (and theme) folders are watched with `notify`; bursts of events (editors save
//!   through temp files and renames) are debounced, then the site is rebuilt.
//! - Open pages listen on a server-sent events stream (`/__handbok/events`). They are told to
//!   `reload` only after the new site is in place. When a rebuild fails the old site stays
//!   served, the terminal prints the diagnostics and open pages get an `error` event whose text
//!   the injected script shows in an overlay (`role="alert"`). The next good build clears it.
//! - The reload script is added to HTML responses here, on the way out; build output never
//!   contains it.
//! - Only keys of the `OutputMap` are served, after decoding and normalising the URL path;
//!   anything with `..`, `.`, backslashes or NUL is refused. The server binds 127.0.0.1 only.
//!
//! HTTP is `tiny_http` (small, synchronous, quick to compile). It has no server-sent events
//! type and buffers streamed bodies, so the events endpoint takes the raw connection
//! (`Request::into_writer`) and writes the `text/event-stream` response itself, flushing each
//! event.

use std::collections::HashSet;
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use crate::diag::Diagnostics;
use crate::render::OutputMap;
use crate::BuildOptions;

/// Path of the event stream the injected script listens to.
pub const EVENTS_PATH: &str = "/__handbok/events";
/// Path of the injected script.
pub const SCRIPT_PATH: &str = "/__handbok/live.js";

const LIVE_JS: &str = include_str!("serve_live.js");

/// How `serve` runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    /// `Some(0)`: the system picks a free port. `None`: the first free port from 8000.
    pub port: Option<u16>,
    /// How long the file system must be quiet before a rebuild starts.
    pub debounce: Duration,
    /// Print build results and diagnostics to the terminal.
    pub verbose: bool,
}

impl ServeOptions {
    pub fn new(build: BuildOptions) -> Self {
        ServeOptions {
            build,
            port: None,
            debounce: Duration::from_millis(150),
            verbose: true,
        }
    }
}

/// What the server currently serves.
struct State {
    files: Arc<OutputMap>,
    /// Bumped each time a different site is swapped in; pages carry the generation they were
    /// served with, so a page loaded just before a swap still reloads.
    generation: u64,
    /// The diagnostics of the last build, when it failed.
    error: Option<String>,
}

/// A message to open pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEvent {
    /// A new site is in place: reload.
    Reload(u64),
    /// The last rebuild failed: show these diagnostics.
    Error(String),
}

impl LiveEvent {
    fn wire(&self) -> String {
        match self {
            LiveEvent::Reload(generation) => format!("event: reload\ndata: {generation}\n\n"),
            LiveEvent::Error(text) => sse("error", text),
        }
    }
}

fn sse(event: &str, data: &str) -> String {
    let mut out = format!("event: {event}\n");
    for line in data.split('\n') {
        out.push_str("data: ");
        out.push_str(line.trim_end_matches('\r'));
        out.push('\n');
    }
    out.push('\n');
    out
}

struct Shared {
    state: RwLock<State>,
    clients: Mutex<Vec<Sender<LiveEvent>>>,
    stop: AtomicBool,
    verbose: bool,
}

impl Shared {
    fn broadcast(&self, event: &LiveEvent) {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.retain(|c| c.send(event.clone()).is_ok());
    }

    fn log(&self, text: &str) {
        if self.verbose {
            eprintln!("{text}");
        }
    }
}

/// A running preview server. Dropping it (or [`Server::stop`]) shuts it down.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    http: Arc<tiny_http::Server>,
    threads: Vec<JoinHandle<()>>,
    watcher: Option<Debouncer<RecommendedWatcher, RecommendedCache>>,
}

impl Server {
    /// Build the site, bind the port and start watching. Returns once the site is being served
    /// (a failed first build is served as the error overlay, and fixed by the next save).
    pub fn start(options: ServeOptions) -> Result<Server, String> {
        let listener = bind(options.port)?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("cannot read the bound address: {e}"))?;
        let http = tiny_http::Server::from_listener(listener, None)
            .map_err(|e| format!("cannot start the web server: {e}"))?;
        let http = Arc::new(http);

        let shared = Arc::new(Shared {
            state: RwLock::new(State {
                files: Arc::new(OutputMap::new()),
                generation: 0,
                error: None,
            }),
            clients: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
            verbose: options.verbose,
        });
        rebuild(&options.build, &shared);

        let (changes_tx, changes_rx) = mpsc::channel::<Vec<PathBuf>>();
        let mut watcher = new_debouncer(options.debounce, None, move |result: DebounceEventResult| {
            let Ok(events) = result else { return };
            // Reading files (our own builds do) gives access events; only changes count.
            let paths: Vec<PathBuf> = events
                .into_iter()
                .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
                .flat_map(|e| e.event.paths.clone())
                .collect();
            if !paths.is_empty() {
                let _ = changes_tx.send(paths);
            }
        })
        .map_err(|e| format!("cannot watch for changes: {e}"))?;
        let mut watched = vec![options.build.content.clone()];
        if let Some(theme) = &options.build.theme {
            watched.push(theme.clone());
        }
        for folder in &watched {
            if folder.exists() {
                watcher
                    .watch(folder, RecursiveMode::Recursive)
                    .map_err(|e| format!("cannot watch {}: {e}", folder.display()))?;
            }
        }

        let mut threads = Vec::new();
        let build_shared = Arc::clone(&shared);
        let build_options = options.build.clone();
        threads.push(thread::spawn(move || {
            rebuild_loop(&build_options, &build_shared, &changes_rx)
        }));
        let http_shared = Arc::clone(&shared);
        let http_server = Arc::clone(&http);
        threads.push(thread::spawn(move || accept_loop(&http_server, &http_shared)));

        Ok(Server {
            addr,
            shared,
            http,
            threads,
            watcher: Some(watcher),
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT/`
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// Stop watching and serving, and wait for the server's threads (event streams end within
    /// a second on their own).
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(watcher) = self.watcher.take() {
            watcher.stop_nonblocking();
        }
        self.http.unblock();
        self.shared.clients.lock().unwrap_or_else(|e| e.into_inner()).clear();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Bind 127.0.0.1: the given port, or the first free one from 8000, or one the system picks.
fn bind(port: Option<u16>) -> Result<TcpListener, String> {
    let at = |p: u16| TcpListener::bind((Ipv4Addr::LOCALHOST, p));
    match port {
        Some(p) => at(p).map_err(|e| {
            format!("cannot listen on 127.0.0.1:{p}: {e}; choose another port with --port, or leave --port out")
        }),
        None => (8000..8100)
            .find_map(|p| at(p).ok())
            .map_or_else(|| at(0).map_err(|e| format!("cannot listen on 127.0.0.1: {e}")), Ok),
    }
}

/// Build in memory and swap the result in; then tell open pages. Returns whether it succeeded.
fn rebuild(options: &BuildOptions, shared: &Shared) -> bool {
    let started = Instant::now();
    let mut diags = Diagnostics::new();
    let built = crate::build_in_memory(options, &mut diags);
    let warnings = diags.warning_count();
    let errors = diags.error_count();
    let text: String = diags
        .sorted()
        .iter()
        .map(|d| d.render())
        .collect::<Vec<_>>()
        .join("\n\n");
    match built {
        Some(site) if errors == 0 => {
            let event = {
                let mut state = shared.state.write().unwrap_or_else(|e| e.into_inner());
                let changed = *state.files != site.files;
                let had_error = state.error.take().is_some();
                if changed {
                    state.files = Arc::new(site.files);
                    state.generation += 1;
                }
                (changed || had_error).then_some(LiveEvent::Reload(state.generation))
            };
            if !text.is_empty() {
                shared.log(&text);
            }
            shared.log(&format!(
                "Built {} pages in {} ms ({warnings} warnings){}",
                site.summary.pages,
                started.elapsed().as_millis(),
                if event.is_some() {
                    "; reloading open pages"
                } else {
                    "; nothing changed"
                }
            ));
            if let Some(event) = event {
                shared.broadcast(&event);
            }
            true
        }
        _ => {
            let summary = format!("{errors} error(s), {warnings} warning(s): still showing the last good version");
            shared.log(&format!("{text}\n\n{summary}"));
            let overlay = format!("{text}\n\n{summary}");
            shared.state.write().unwrap_or_else(|e| e.into_inner()).error = Some(overlay.clone());
            shared.broadcast(&LiveEvent::Error(overlay));
            false
        }
    }
}

fn rebuild_loop(options: &BuildOptions, shared: &Shared, changes: &Receiver<Vec<PathBuf>>) {
    loop {
        let first = match changes.recv_timeout(Duration::from_millis(250)) {
            Ok(paths) => paths,
            Err(RecvTimeoutError::Timeout) => {
                if shared.stop.load(Ordering::SeqCst) {
                    return;
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        // Changes that arrived while the last build ran are covered by this one build.
        let mut paths: HashSet<PathBuf> = first.into_iter().collect();
        while let Ok(more) = changes.try_recv() {
            paths.extend(more);
        }
        if shared.verbose {
            let mut names: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
            names.sort();
            names.truncate(3);
            eprintln!("Changed: {}", names.join(", "));
        }
        rebuild(options, shared);
    }
}

fn accept_loop(http: &tiny_http::Server, shared: &Arc<Shared>) {
    while !shared.stop.load(Ordering::SeqCst) {
        let request = match http.recv_timeout(Duration::from_millis(250)) {
            Ok(Some(r)) => r,
            Ok(None) => continue,
            Err(_) => break,
        };
        if request.url().split('?').next() == Some(EVENTS_PATH) {
            let shared = Arc::clone(shared);
            thread::spawn(move || event_stream(request, &shared));
        } else {
            let response = respond(request.url(), shared);
            let _ = request.respond(response);
        }
    }
}

/// The answer to a request: status, content type and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// For redirects.
    pub location: Option<String>,
}

fn respond(url: &str, shared: &Shared) -> tiny_http::Response<std::io::Cursor<Vec<u8>>> {
    let (files, generation) = {
        let state = shared.state.read().unwrap_or_else(|e| e.into_inner());
        (Arc::clone(&state.files), state.generation)
    };
    let reply = answer(url, &files, generation);
    let mut response = tiny_http::Response::from_data(reply.body).with_status_code(reply.status);
    let headers = [
        ("Content-Type", reply.content_type.to_string()),
        ("Cache-Control", "no-store".to_string()),
        ("X-Content-Type-Options", "nosniff".to_string()),
    ];
    for (name, value) in headers.into_iter().chain(reply.location.map(|l| ("Location", l))) {
        if let Ok(h) = tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(h);
        }
    }
    response
}

/// Decide what to send for `url` from `files` (pure, so it can be tested without a socket).
pub fn answer(url: &str, files: &OutputMap, generation: u64) -> Reply {
    let path = url.split(['?', '#']).next().unwrap_or("");
    if path == SCRIPT_PATH {
        return Reply {
            status: 200,
            content_type: "text/javascript; charset=utf-8",
            body: LIVE_JS.as_bytes().to_vec(),
            location: None,
        };
    }
    let Some(key) = output_key(path) else {
        return page(400, "Ogiltig adress", "Adressen pekar utanför webbplatsen.", generation);
    };
    if let Some(bytes) = files.get(&key) {
        let content_type = content_type(&key);
        let body = if content_type.starts_with("text/html") {
            inject_script(bytes, generation)
        } else {
            bytes.clone()
        };
        return Reply {
            status: 200,
            content_type,
            body,
            location: None,
        };
    }
    let folder_index = format!("{key}/index.html");
    if !key.is_empty() && !key.ends_with("index.html") && files.contains_key(&folder_index) {
        return Reply {
            status: 301,
            content_type: "text/plain; charset=utf-8",
            body: Vec::new(),
            location: Some(format!("{path}/")),
        };
    }
    page(
        404,
        "Sidan finns inte",
        "Det finns ingen sida på den här adressen.",
        generation,
    )
}

/// The `OutputMap` key for a URL path, or `None` when the path tries to leave the site.
/// `/` → `index.html`, `/dir/` → `dir/index.html`.
pub fn output_key(path: &str) -> Option<String> {
    if !path.starts_with('/') {
        return None;
    }
    let decoded = percent_decode(path)?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut segments = Vec::new();
    for segment in decoded.split('/').skip(1) {
        match segment {
            "." | ".." => return None,
            s if s.contains(':') => return None,
            s => segments.push(s),
        }
    }
    let trailing = segments.last().is_none_or(|s| s.is_empty());
    let mut parts: Vec<&str> = segments.into_iter().filter(|s| !s.is_empty()).collect();
    if trailing {
        parts.push("index.html");
    }
    Some(parts.join("/"))
}

fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn content_type(key: &str) -> &'static str {
    let ext = key.rsplit_once('.').map_or("", |(_, e)| e).to_ascii_lowercase();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

/// Add the live-reload script before the last `</body>` (or at the end).
pub fn inject_script(html: &[u8], generation: u64) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_PATH}\" data-generation=\"{generation}\"></script>\n");
    let text = String::from_utf8_lossy(html);
    let at = text.rfind("</body>").unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + tag.len());
    out.push_str(&text[..at]);
    out.push_str(&tag);
    out.push_str(&text[at..]);
    out.into_bytes()
}

fn page(status: u16, title: &str, text: &str, generation: u64) -> Reply {
    let html = format!(
        "<!doctype html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><main><h1>{title}</h1><p>{text}</p><p><a href=\"/\">Till startsidan</a></p></main></body></html>\n"
    );
    Reply {
        status,
        content_type: "text/html; charset=utf-8",
        body: inject_script(html.as_bytes(), generation),
        location: None,
    }
}

/// Hold the connection open and write events to it until the page goes away or we stop.
fn event_stream(request: tiny_http::Request, shared: &Shared) {
    let (tx, rx) = mpsc::channel();
    let (generation, error) = {
        let state = shared.state.read().unwrap_or_else(|e| e.into_inner());
        (state.generation, state.error.clone())
    };
    shared.clients.lock().unwrap_or_else(|e| e.into_inner()).push(tx);
    let mut writer = request.into_writer();
    let mut first = String::from(
        "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\nCache-Control: no-store\r\n\
         Connection: close\r\n\r\nretry: 500\n\n",
    );
    first.push_str(&format!("event: hello\ndata: {generation}\n\n"));
    if let Some(text) = error {
        first.push_str(&LiveEvent::Error(text).wire());
    }
    if writer.write_all(first.as_bytes()).and_then(|_| writer.flush()).is_err() {
        return;
    }
    let mut quiet = Duration::ZERO;
    loop {
        let message = match rx.recv_timeout(Duration::from_millis(500)) {
            Ok(event) => {
                quiet = Duration::ZERO;
                event.wire()
            }
            Err(RecvTimeoutError::Timeout) => {
                if shared.stop.load(Ordering::SeqCst) {
                    return;
                }
                quiet += Duration::from_millis(500);
                if quiet < Duration::from_secs(15) {
                    continue;
                }
                quiet = Duration::ZERO;
                ": keep-alive\n\n".to_string()
            }
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if writer
            .write_all(message.as_bytes())
            .and_then(|_| writer.flush())
            .is_err()
        {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths_map_to_output_keys() {
        assert_eq!(output_key("/").as_deref(), Some("index.html"));
        assert_eq!(output_key("/a/").as_deref(), Some("a/index.html"));
        assert_eq!(output_key("/a/b.html").as_deref(), Some("a/b.html"));
        assert_eq!(output_key("/a%20b.pdf").as_deref(), Some("a b.pdf"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2E%2E/etc/passwd",
            "/..%2fetc%2fpasswd",
            "/..%5c..%5cwindows",
            "/a/./b",
            "/C:/x",
            "/%zz",
            "/a%00b",
            "relative",
        ] {
            assert_eq!(output_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn script_goes_before_the_last_body_end() {
        let out = String::from_utf8(inject_script(b"<p></body></p></body></html>", 3)).unwrap();
        assert!(out.ends_with("data-generation=\"3\"></script>\n</body></html>"));
    }

    #[test]
    fn error_text_is_one_data_line_per_line() {
        assert_eq!(
            LiveEvent::Error("a\nb".into()).wire(),
            "event: error\ndata: a\ndata: b\n\n"
        );
    }
}
