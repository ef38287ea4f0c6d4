//! `handbok serve`: live preview and the browser editor.
//!
//! - The site is built in memory by an incremental [`Session`]: a save that changes only a
//!   page's text renders that page's Markdown and the outputs that show it; anything else is a
//!   full build. The outputs served are one `OutputMap` behind a lock; a rebuild copies what
//!   changed into it under that lock, so a request sees either the old site or the new one,
//!   never a half-built page. The site itself is never written. `rebuild` is the one function a
//!   change leads to; it tells open pages to reload as soon as the pages are in place, and only
//!   then brings the search index up to date, with the session let go while the index is built
//!   ([`crate::pipeline::IndexWork`]), so the editor's preview does not wait for it. The
//!   session's outputs and the served map share each file's bytes, so the site is held once.
//! - The session's [`Workspace`] (site model, source texts, theme) is what the editor previews
//!   unsaved text and plans renames, deletes and moves against; after a failed build it is that
//!   build's, so the editor works while the site has errors.
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
//!   127.0.0.1 only. `rebuild` runs the builds.
//! - The write token never appears in a page: the person who started handbok gets a one-time
//!   link (`keys`) that hands it to that browser tab, which keeps it in `sessionStorage`. The
//!   running server is recorded in `content/.handbok/server.json` (`state`, readable only by
//!   its owner), so a second start opens the running server with a fresh one-time link instead
//!   of starting another. On Linux, `peer` refuses one-time links and the API to connections
//!   of other users of the computer.
//! - `upload`: the editor's Word import (the .docx body bounded by its `Content-Length` and while
//!   read, at the importer's 50 MB), its alternative texts, and its images' previews.

mod guard;
mod http;
mod keys;
mod peer;
#[cfg(feature = "history")]
mod publish;
mod rebuild;
mod respond;
mod router;
mod state;
mod upload;

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex, MutexGuard, RwLock};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};
use tokio::sync::broadcast;

use crate::editor::ContentFolder;
use crate::files::Faults;
use crate::incremental::{Rebuilt, Session};
use crate::theme::Theme;
use crate::BuildOptions;
#[cfg(doc)]
use crate::Workspace;
pub use guard::{Denied, Expected, RequestFacts, TOKEN_HEADER};
pub use keys::{KEY_PARAM, KEY_PATH, TOKEN_STORAGE_KEY};
#[cfg(feature = "history")]
pub use publish::{MAX_BODY as PUBLISH_MAX_BODY, PUBLISH_PATH};
use rebuild::{rebuild, rebuild_loop};
pub use router::{answer, inject_script, output_key, Reply, Served};
pub use state::{open_running, Record, STATE_FILE};

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
    /// Files whose editor writes fail (tests only; none by default): given to the server's
    /// [`ContentFolder`], so they live and die with this server.
    #[doc(hidden)]
    pub faults: Faults,
    /// Run on the rebuild thread before each search index catch-up, with the session let go
    /// (for tests that hold the index step to see the editor answer meanwhile).
    pub before_index: Option<IndexHook>,
    /// The language of what the terminal shows (`sv`, `en`); `None`: the handbook's own.
    /// Open pages always show the handbook's language.
    pub lang: Option<String>,
}

/// A function [`ServeOptions::before_index`] runs.
#[derive(Clone)]
pub struct IndexHook(pub Arc<dyn Fn() + Send + Sync>);

impl IndexHook {
    fn run(&self) {
        (self.0)();
    }
}

impl std::fmt::Debug for IndexHook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IndexHook")
    }
}

impl ServeOptions {
    /// Defaults: the first free port from 8000, 100 ms debounce (a save, even through a temp
    /// file and a rename, is one burst well within it; the notifier adds up to a quarter more,
    /// and a 10,000-page body edit must reach the browser within 300 ms), verbose. The site is built as
    /// a preview (what is still missing is shown, see [`BuildOptions::preview`]).
    pub fn new(build: BuildOptions) -> Self {
        ServeOptions {
            build: BuildOptions { preview: true, ..build },
            port: None,
            debounce: Duration::from_millis(100),
            verbose: true,
            faults: Faults::default(),
            before_index: None,
            lang: None,
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
    /// The builds, and the editor's workspace; held for a rebuild and for an editor operation,
    /// not while the search index is brought up to date after a save.
    session: Mutex<Session>,
    /// See [`ServeOptions::before_index`].
    before_index: Option<IndexHook>,
    /// What the last successful rebuild did (for the terminal and tests).
    last_rebuilt: Mutex<Option<Rebuilt>>,
    events: broadcast::Sender<LiveEvent>,
    stop: AtomicBool,
    verbose: bool,
    /// The terminal's string table when `--lang` chose one; else the handbook's is used.
    terminal_strings: Option<crate::theme::Strings>,
    expected: Expected,
    folder: Option<ContentFolder>,
    /// Editor writes one at a time.
    writes: Mutex<()>,
    /// The one-time links not yet used.
    keys: keys::OneTimeKeys,
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

    /// The string table for the terminal: `--lang`'s, else the handbook's.
    fn terminal_strings(&self) -> crate::theme::Strings {
        match &self.terminal_strings {
            Some(strings) => strings.clone(),
            None => self.served().strings.clone(),
        }
    }

    fn served(&self) -> std::sync::RwLockReadGuard<'_, Served> {
        self.served.read().unwrap_or_else(|e| e.into_inner())
    }

    fn session(&self) -> MutexGuard<'_, Session> {
        self.session.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A new one-time link to this server: `http://127.0.0.1:PORT/__handbok/oppna?nyckel=…`.
    fn one_time_url(&self) -> Result<String, String> {
        Ok(format!(
            "http://127.0.0.1:{}{KEY_PATH}?{KEY_PARAM}={}",
            self.expected.port,
            self.keys.mint()?
        ))
    }
}

/// A running preview server. Dropping it (or [`Server::stop`]) shuts it down.
pub struct Server {
    addr: SocketAddr,
    shared: Arc<Shared>,
    runtime: Option<tokio::runtime::Runtime>,
    threads: Vec<JoinHandle<()>>,
    watcher: Option<Debouncer<RecommendedWatcher, RecommendedCache>>,
    /// The record in the content folder, removed when the server stops.
    record: Option<(PathBuf, Record)>,
}

impl Server {
    /// Bind the port, record the server in the content folder, build the site and start
    /// watching. Returns once the site is being served (a failed first build is served as the
    /// list of errors, and fixed by the next save). Fails when another live server already
    /// serves this content folder (see [`open_running`]).
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
            session: Mutex::new(Session::new(options.build.clone())),
            before_index: options.before_index.clone(),
            last_rebuilt: Mutex::new(None),
            events: broadcast::channel(16).0,
            stop: AtomicBool::new(false),
            verbose: options.verbose,
            terminal_strings: options.lang.as_deref().and_then(Theme::builtin).map(|t| t.strings),
            expected: Expected {
                port: addr.port(),
                token: guard::new_token()?,
            },
            folder: ContentFolder::new(&options.build.content)
                .ok()
                .map(|f| f.with_faults(options.faults.clone())),
            writes: Mutex::new(()),
            keys: keys::OneTimeKeys::default(),
        });
        // Recorded before the first build, so a second start during a long build finds this
        // server (its request waits in the listen queue) instead of starting another.
        let record = match &shared.folder {
            Some(folder) => {
                let record = Record {
                    port: addr.port(),
                    pid: std::process::id(),
                    token: shared.expected.token.clone(),
                };
                match state::publish(folder.root(), &record) {
                    Ok(path) => Some((path, record)),
                    Err(state::NotPublished::Running(port)) => {
                        return Err(format!(
                            "handbok already serves {} at http://127.0.0.1:{port}/; run handbok again to open it",
                            options.build.content.display()
                        ))
                    }
                    Err(state::NotPublished::Io(why)) => {
                        if options.verbose {
                            eprintln!(
                                "warning: cannot record the server in {} ({why}); a second start will not find it",
                                folder.root().join(STATE_FILE).display()
                            );
                        }
                        None
                    }
                }
            }
            None => None,
        };
        rebuild(&[], &shared);

        let (changes_tx, changes_rx) = mpsc::channel::<Vec<PathBuf>>();
        let watcher = watch(&options, changes_tx)?;
        let build_shared = Arc::clone(&shared);
        let threads = vec![thread::spawn(move || rebuild_loop(&build_shared, &changes_rx))];

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
                    let app = app.into_make_service_with_connect_info::<SocketAddr>();
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
            record,
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

    /// The per-run write token (for tests that call the API directly). No page carries it:
    /// a browser tab gets it through a [`Server::one_time_url`].
    pub fn token(&self) -> &str {
        &self.shared.expected.token
    }

    /// A new one-time link that hands the write token to the browser tab that opens it, once.
    pub fn one_time_url(&self) -> Result<String, String> {
        self.shared.one_time_url()
    }

    /// The sentence to print at start when a publication was recorded but never delivered (a
    /// server or a scheduled job stopped between the two): the Publicera page finishes it.
    pub fn undelivered_notice(&self) -> Option<String> {
        #[cfg(feature = "history")]
        {
            let content = self.shared.session().options().content.clone();
            publish::undelivered_notice(&content, &self.shared.served().strings)
        }
        // Built without the `history` feature nothing is ever published.
        #[cfg(not(feature = "history"))]
        None
    }

    /// What the last successful rebuild did: [`Rebuilt::Full`], or which pages' text only.
    pub fn last_rebuilt(&self) -> Option<Rebuilt> {
        self.shared
            .last_rebuilt
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
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
        if let Some((path, record)) = self.record.take() {
            state::remove_if_ours(&path, &record);
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
        // editor's kept versions (`.handbok/`) and the temporary files of its saves are not
        // content (a save is seen as the rename onto the page).
        let paths: Vec<PathBuf> = events
            .into_iter()
            .filter(|e| !matches!(e.event.kind, EventKind::Access(_)))
            .flat_map(|e| e.event.paths.clone())
            .filter(|p| !p.components().any(|c| c.as_os_str() == ".handbok"))
            .filter(|p| !p.to_string_lossy().ends_with(crate::files::TEMP_SUFFIX))
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
