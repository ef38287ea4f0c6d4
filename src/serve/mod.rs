//! `handbok serve`: live preview and the browser editor.
//!
//! - The site is built fully in memory and kept behind a lock as one immutable `OutputMap`; a
//!   rebuild makes a new map and swaps it in whole, so a request sees either the old site or the
//!   new one, never a half-built page. The site itself is never written. `rebuild` is the one
//!   function a change leads to.
//! - Beside the site the last build's [`Workspace`] (site model, source texts, theme) is kept
//!   for the editor: previews of unsaved text and the plans of renames, deletes and moves.
//! - The content (and theme) folders are watched with `notify`; bursts of events (editors save
//!   through temp files and renames) are debounced, then the site is rebuilt.
//! - Open pages listen on a server-sent events stream (`/__handbok/events`). They are told to
//!   `reload` only after the new site is in place. When a rebuild fails the old site stays
//!   served, the terminal prints the diagnostics and open pages get an `error` event whose text
//!   the injected script shows in an overlay (`role="alert"`). The next good build clears it.
//!   While no build has succeeded, every page is a list of the errors to fix.
//! - The reload script is added to HTML responses here, on the way out; build output never
//!   contains it. It adds the "Redigera sidan" link.
//! - HTTP is axum on tokio (`http`): each connection and event stream is a task, so idle or
//!   slow clients hold no thread and delay no one. `guard` decides who may talk to the server
//!   (loopback `Host`, own `Origin`, the per-run token for the editor's API); `router` decides
//!   what each URL gets. Both are pure and tested without a socket. The server binds
//!   127.0.0.1 only.

mod guard;
mod http;
mod router;

use std::collections::HashSet;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, RwLock};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};
use tokio::sync::broadcast;

use crate::diag::{Diagnostic, Diagnostics};
use crate::editor::ContentFolder;
use crate::theme::Theme;
use crate::{BuildOptions, Workspace};
pub use guard::{Denied, Expected, RequestFacts, TOKEN_HEADER};
pub use router::{answer, inject_script, output_key, Reply, Served};

/// Path of the event stream the injected script listens to.
pub const EVENTS_PATH: &str = "/__handbok/events";
/// Path of the injected script.
pub const SCRIPT_PATH: &str = "/__handbok/live.js";
/// Path of the editor page (`?sida=` names the page's file).
pub const EDITOR_PATH: &str = "/__handbok/redigera";

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
    /// Defaults: the first free port from 8000, 150 ms debounce, verbose.
    pub fn new(build: BuildOptions) -> Self {
        ServeOptions {
            build: BuildOptions { preview: true, ..build },
            port: None,
            debounce: Duration::from_millis(150),
            verbose: true,
        }
    }
}

/// A message to open pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEvent {
    /// A new site is in place: reload.
    Reload(u64),
    /// The last rebuild failed: show these diagnostics.
    Error(String),
}

/// What the server's parts share.
pub(crate) struct Shared {
    served: RwLock<Served>,
    workspace: Mutex<Option<Workspace>>,
    events: broadcast::Sender<LiveEvent>,
    stop: AtomicBool,
    verbose: bool,
    expected: Expected,
    folder: Option<ContentFolder>,
    /// Editor writes one at a time.
    writes: Mutex<()>,
}

impl Shared {
    fn broadcast(&self, event: LiveEvent) {
        // No receiver (no open page) is fine.
        let _ = self.events.send(event);
    }

    fn log(&self, text: &str) {
        if self.verbose {
            eprintln!("{text}");
        }
    }

    fn served(&self) -> std::sync::RwLockReadGuard<'_, Served> {
        self.served.read().unwrap_or_else(|e| e.into_inner())
    }

    fn workspace(&self) -> std::sync::MutexGuard<'_, Option<Workspace>> {
        self.workspace.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running preview server. Dropping it (or [`Server::stop`]) shuts it down.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
    threads: Vec<JoinHandle<()>>,
    watcher: Option<Debouncer<RecommendedWatcher, RecommendedCache>>,
}

impl Server {
    /// Build the site, bind the port and start watching. Returns once the site is being served
    /// (a failed first build is served as the list of errors, and fixed by the next save).
    pub fn start(options: ServeOptions) -> Result<Server, String> {
        let listener = bind(options.port)?;
        let addr = listener
            .local_addr()
            .map_err(|e| format!("cannot read the bound address: {e}"))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| format!("cannot start the web server: {e}"))?;
        let strings = Theme::builtin("sv").map(|t| t.strings).unwrap_or_default();
        let shared = Arc::new(Shared {
            served: RwLock::new(Served {
                strings,
                ..Served::default()
            }),
            workspace: Mutex::new(None),
            events: broadcast::channel(16).0,
            stop: AtomicBool::new(false),
            verbose: options.verbose,
            expected: Expected {
                port: addr.port(),
                token: guard::new_token()?,
            },
            folder: ContentFolder::new(&options.build.content).ok(),
            writes: Mutex::new(()),
        });
        rebuild(&options.build, &shared);

        let (changes_tx, changes_rx) = mpsc::channel::<Vec<PathBuf>>();
        let watcher = watch(&options, changes_tx)?;
        let build_shared = Arc::clone(&shared);
        let build_options = options.build.clone();
        let threads = vec![thread::spawn(move || {
            rebuild_loop(&build_options, &build_shared, &changes_rx)
        })];

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("handbok-serve")
            .enable_all()
            .build()
            .map_err(|e| format!("cannot start the web server: {e}"))?;
        let app = http::app(Arc::clone(&shared));
        runtime.spawn(async move {
            match tokio::net::TcpListener::from_std(listener) {
                Ok(listener) => {
                    if let Err(e) = axum::serve(listener, app).await {
                        eprintln!("error: the web server stopped: {e}");
                    }
                }
                Err(e) => eprintln!("error: cannot start the web server: {e}"),
            }
        });

        Ok(Server {
            addr,
            shared,
            runtime: Some(runtime),
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

    /// The per-run token the editor page carries (for tests that call the API directly).
    pub fn token(&self) -> &str {
        &self.shared.expected.token
    }

    /// Stop watching and serving, and wait for the server's threads.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(watcher) = self.watcher.take() {
            watcher.stop_nonblocking();
        }
        if let Some(runtime) = self.runtime.take() {
            // Open event streams never end on their own; their tasks are dropped.
            runtime.shutdown_timeout(Duration::from_secs(1));
        }
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

/// Watch the content (and theme) folders; changed paths go to `changes`.
fn watch(
    options: &ServeOptions,
    changes: Sender<Vec<PathBuf>>,
) -> Result<Debouncer<RecommendedWatcher, RecommendedCache>, String> {
    let mut watcher = new_debouncer(options.debounce, None, move |result: DebounceEventResult| {
        let Ok(events) = result else { return };
        // Reading files (our own builds do) gives access events; only changes count. The
        // editor's kept versions (`.handbok/`) are not content.
        let paths: Vec<PathBuf> = events
            .into_iter()
            .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
            .flat_map(|e| e.event.paths.clone())
            .filter(|p| !p.components().any(|c| c.as_os_str() == ".handbok"))
            .collect();
        if !paths.is_empty() {
            let _ = changes.send(paths);
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
    Ok(watcher)
}

/// Build in memory and swap the result in; then tell open pages. Returns whether it succeeded.
/// This is the one function a change leads to (an incremental build goes here).
fn rebuild(options: &BuildOptions, shared: &Shared) -> bool {
    let started = Instant::now();
    let mut diags = Diagnostics::new();
    // A bug in a stage must not end the preview: report it like a failed build.
    let (built, workspace) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        crate::build_keeping_workspace(options, &mut diags)
    }))
    .unwrap_or_else(|_| {
        diags.push(
            Diagnostic::error(
                &options.content,
                0,
                0,
                "internal error while building (a bug in handbok, not in your text)",
            )
            .with_hint("save again; if it persists, report it with the file you were editing"),
        );
        (None, None)
    });
    let warnings = diags.warning_count();
    let errors = diags.error_count();
    let sorted = diags.sorted();
    let text: String = sorted.iter().map(|d| d.render()).collect::<Vec<_>>().join("\n\n");
    if let Some(ws) = &workspace {
        let mut served = shared.served.write().unwrap_or_else(|e| e.into_inner());
        served.strings = ws.theme.strings.clone();
        served.language = ws.site.config.language.clone();
        served.sources = ws
            .site
            .pages()
            .map(|(_, p)| (p.page.output.clone(), p.page.source.clone()))
            .collect();
    }
    if workspace.is_some() {
        *shared.workspace() = workspace;
    }
    match built {
        Some(site) if errors == 0 => {
            let event = {
                let mut served = shared.served.write().unwrap_or_else(|e| e.into_inner());
                let changed = *served.files != site.files;
                let had_error = served.failure.take().is_some();
                served.failing_files.clear();
                served.good = true;
                if changed {
                    served.files = Arc::new(site.files);
                    served.generation += 1;
                }
                (changed || had_error).then_some(LiveEvent::Reload(served.generation))
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
                shared.broadcast(event);
            }
            true
        }
        _ => {
            let good = shared.served().good;
            let summary = if good {
                format!("{errors} error(s), {warnings} warning(s): still showing the last good version")
            } else {
                format!(
                    "{errors} error(s), {warnings} warning(s): the handbook cannot be shown until they are fixed; \
                     the browser lists them too"
                )
            };
            shared.log(&format!("{text}\n\n{summary}"));
            let overlay = format!("{text}\n\n{summary}");
            let content = shared.folder.as_ref().map(|f| f.root().to_path_buf());
            let mut failing: Vec<String> = sorted
                .iter()
                .filter(|d| d.is_error())
                .filter_map(|d| relative_to_content(&d.path, &options.content, content.as_deref()))
                .collect();
            failing.dedup();
            {
                let mut served = shared.served.write().unwrap_or_else(|e| e.into_inner());
                served.failure = Some(overlay.clone());
                served.failing_files = failing;
            }
            shared.broadcast(LiveEvent::Error(overlay));
            false
        }
    }
}

/// A diagnostic's file as a path in the content folder, if it is a page there.
fn relative_to_content(
    path: &std::path::Path,
    content: &std::path::Path,
    canonical: Option<&std::path::Path>,
) -> Option<String> {
    let relative = path
        .strip_prefix(content)
        .ok()
        .or_else(|| canonical.and_then(|c| path.strip_prefix(c).ok()))?;
    let text = relative.to_string_lossy().replace('\\', "/");
    crate::editor::files::check_name(&text).ok().map(|_| text)
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
