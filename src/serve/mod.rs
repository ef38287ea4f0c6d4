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
//! `router` decides what each URL gets (pure, tested without a socket).
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

mod router;
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use crate::diag::Diagnostics;
use crate::render::OutputMap;
use crate::BuildOptions;
pub use router::{answer, inject_script, output_key, Reply};

/// Path of the event stream the injected script listens to.
pub const EVENTS_PATH: &str = "/__handbok/events";
/// Path of the injected script.
pub const SCRIPT_PATH: &str = "/__handbok/live.js";

/// How `serve` runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// What to build (the output folder is never written).
    pub build: BuildOptions,
    /// `Some(0)`: the system picks a free port. `None`: the first free port from 8000.
    pub port: Option<u16>,
    /// How long the file system must be quiet before a rebuild starts.
    pub debounce: Duration,
    /// Print build results and diagnostics to the terminal.
    pub verbose: bool,
}

impl ServeOptions {
    /// Defaults: the first free port from 8000, 150 ms debounce, verbose. The site is built as
    /// a preview (what is still missing is shown, see [`BuildOptions::preview`]).
    pub fn new(build: BuildOptions) -> Self {
        ServeOptions {
            build: BuildOptions { preview: true, ..build },
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

    /// The address served.
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
    // A bug in a stage must not end the preview: report it like a failed build.
    let built = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::build_in_memory(options, &mut diags)
    }))
    .unwrap_or_else(|_| {
        diags.push(
            crate::diag::Diagnostic::error(
                &options.content,
                0,
                0,
                "internal error while building (a bug in handbok, not in your text)",
            )
            .with_hint("save again; if it persists, report it with the file you were editing"),
        );
        None
    });
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
    fn error_text_is_one_data_line_per_line() {
        assert_eq!(
            LiveEvent::Error("a\nb".into()).wire(),
            "event: error\ndata: a\ndata: b\n\n"
        );
    }
}
