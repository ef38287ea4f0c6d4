//! One rebuild of `serve` and the loop that runs them: build (incrementally through the
//! [`Session`]), copy what changed into the served map under its lock, tell open pages to reload
//! (or show a failed build's errors), then bring the search index up to date. The index is
//! built with the session let go ([`IndexWork`]), so the editor's preview of unsaved text and
//! its other operations answer meanwhile; the session is held again only to put it in place.
//! The served map and the session's share every file's bytes: copying one is a reference count.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{LiveEvent, Shared};
use crate::diag::{Catalogue, Diagnostic, Diagnostics, Message};
use crate::incremental::{Rebuilt, Session};
use crate::pipeline::{IndexWork, Outcome, Request};
use crate::plan::{SharedOutput, SharedOutputMap};

/// Rebuild after the files `changed` (none: build everything), put the new outputs in place
/// and tell open pages; then bring the search index up to date. Returns whether it succeeded.
/// This is the one function a change leads to.
pub(super) fn rebuild(changed: &[PathBuf], shared: &Shared) -> bool {
    let built = build(changed, shared);
    release_freed_memory();
    match built {
        Ok(Some(work)) => {
            catch_up_index(work, shared);
            release_freed_memory();
            true
        }
        Ok(None) => true,
        Err(()) => false,
    }
}

/// Give the memory a build or an index freed back to the system. glibc keeps freed memory in
/// the arena of the thread that freed it, and the next stage's threads (the index's, the
/// editor's) allocate from their own: without this, each stage's peak would come on top of
/// the last one's leftovers, and serve's peak would grow with every save.
fn release_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only gives free pages of the allocator's arenas back to the system.
    unsafe {
        libc::malloc_trim(0);
    }
}

/// The build itself, under the session's lock: `Err` when it failed, else the search index's
/// work when the index is behind the pages' text.
fn build(changed: &[PathBuf], shared: &Shared) -> Result<Option<IndexWork>, ()> {
    let started = Instant::now();
    let mut diags = Diagnostics::new();
    let mut session = shared.session();
    // A watcher's echo of a save already built (the editor marks the page changed after it put
    // it in place): nothing to do while the served site is good.
    let good = shared
        .served
        .read()
        .unwrap_or_else(|e| e.into_inner())
        .failure
        .is_none();
    if good && !changed.is_empty() && session.unchanged(changed) {
        return Ok(None);
    }
    // A bug in a stage must not end the preview: report it like a failed build.
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let request = if changed.is_empty() {
            Request::Everything
        } else {
            Request::Pages(changed)
        };
        match session.run(request, &mut diags) {
            Outcome::Built(rebuilt) => rebuilt,
            _ => None,
        }
    }))
    .unwrap_or_else(|_| {
        diags.push(
            Diagnostic::error(&session.options().content, 0, 0, Message::new("serve_internal_error"))
                .with_hint(Message::new("serve_internal_error_hint")),
        );
        None
    });
    describe_site(&mut session, shared);
    match outcome {
        Some(rebuilt) => {
            // Recorded before the outputs are served, so whoever sees the new pages also sees
            // which kind of rebuild made them.
            *shared.last_rebuilt.lock().unwrap_or_else(|e| e.into_inner()) = Some(rebuilt.clone());
            publish(&session, shared, (&rebuilt, diags, started));
            // The pages are in place and open pages reload; the search index follows.
            Ok(session.index_work())
        }
        None => {
            report_failure(&session.options().content, shared, diags);
            Err(())
        }
    }
}

/// Bring the search index up to date without holding the session, then put it in place and
/// serve its files that changed.
fn catch_up_index(work: IndexWork, shared: &Shared) {
    if let Some(hook) = &shared.before_index {
        hook.run();
    }
    let started = Instant::now();
    // A bug in the index must not end the preview either; the next save tries again.
    let Ok(built) = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| work.build())) else {
        shared.log("internal error while building the search index (a bug in handbok)");
        return;
    };
    let changed = {
        let mut session = shared.session();
        let index = session.put_index(built);
        if !index.is_empty() {
            let mut served = shared.served.write().unwrap_or_else(|e| e.into_inner());
            copy_outputs(&mut served.files, session.files(), Some(&index));
        }
        index.len()
    };
    shared.log(&format!(
        "Search index up to date in {} ms ({changed} files changed)",
        started.elapsed().as_millis()
    ));
}

/// Keep what the router needs to know about the site (its words, language, and each output's
/// source file for the "Redigera sidan" link) from the session's workspace, if it has one.
fn describe_site(session: &mut Session, shared: &Shared) {
    let Some(ws) = session.workspace() else { return };
    let mut served = shared.served.write().unwrap_or_else(|e| e.into_inner());
    served.strings = ws.theme.strings.clone();
    served.language = ws.site.config.language.clone();
    served.sources = ws
        .site
        .pages()
        .map(|(_, p)| (p.page.output.clone(), p.page.source.clone()))
        .collect();
}

/// Put a successful build's outputs in place, clear the error, and tell open pages to reload
/// if anything they could show changed.
fn publish(session: &Session, shared: &Shared, (rebuilt, diags, started): (&Rebuilt, Diagnostics, Instant)) {
    let event = {
        let mut served = shared.served.write().unwrap_or_else(|e| e.into_inner());
        let outputs = match rebuilt {
            Rebuilt::Full => None,
            Rebuilt::Text { outputs, .. } => Some(outputs.as_slice()),
        };
        let changed = copy_outputs(&mut served.files, session.files(), outputs);
        let had_error = served.failure.take().is_some();
        served.failing_files.clear();
        served.good = true;
        if changed {
            served.generation += 1;
        }
        (changed || had_error).then_some(LiveEvent::Reload(served.generation))
    };
    let warnings = diags.warning_count();
    let terminal = shared.terminal_strings();
    let text: Vec<String> = diags.sorted().iter().map(|d| d.render(&terminal)).collect();
    if !text.is_empty() {
        shared.log(&text.join("\n\n"));
    }
    let what = match rebuilt {
        Rebuilt::Full => format!("Built {} files", session.files().len()),
        Rebuilt::Text { pages, outputs } => format!("Rebuilt {} ({} files)", pages.join(", "), outputs.len()),
    };
    shared.log(&format!(
        "{what} in {} ms ({} warnings){}",
        started.elapsed().as_millis(),
        warnings,
        if event.is_some() {
            "; reloading open pages"
        } else {
            "; nothing changed"
        }
    ));
    if let Some(event) = event {
        shared.broadcast(event);
    }
}

/// Make `served` hold what `built` holds: the files named in `outputs` (all when `None`) copied
/// where they differ, and files no longer built removed. Whether anything changed.
fn copy_outputs(served: &mut Arc<SharedOutputMap>, built: &SharedOutputMap, outputs: Option<&[String]>) -> bool {
    // Requests read the map under the lock and keep no reference, so this copies nothing.
    let files = Arc::make_mut(served);
    let before = files.len();
    files.retain(|path, _| built.contains_key(path));
    let mut changed = files.len() != before;
    let mut copy = |path: &String, bytes: &SharedOutput| {
        if files.get(path) != Some(bytes) {
            files.insert(path.clone(), bytes.clone());
            changed = true;
        }
    };
    match outputs {
        None => built.iter().for_each(|(path, bytes)| copy(path, bytes)),
        Some(outputs) => outputs
            .iter()
            .filter_map(|path| built.get_key_value(path))
            .for_each(|(path, bytes)| copy(path, bytes)),
    }
    changed
}

/// A failed build: print the errors, keep the last good site, and show the errors in open pages.
fn report_failure(content: &std::path::Path, shared: &Shared, diags: Diagnostics) {
    let (errors, warnings) = (diags.error_count(), diags.warning_count());
    let sorted = diags.sorted();
    let summary = if shared.served().good {
        Message::new("serve_failed_showing_last")
    } else {
        Message::new("serve_failed_nothing_to_show")
    }
    .arg("errors", errors)
    .arg("warnings", warnings);
    // The terminal in its language, open pages in the handbook's.
    let worded = |catalogue: &dyn Catalogue| {
        let text: Vec<String> = sorted.iter().map(|d| d.render(catalogue)).collect();
        format!("{}\n\n{}", text.join("\n\n"), summary.words(catalogue))
    };
    shared.log(&worded(&shared.terminal_strings()));
    let overlay = worded(&shared.served().strings.clone());
    let canonical = shared.folder.as_ref().map(|f| f.root().to_path_buf());
    let mut failing: Vec<String> = sorted
        .iter()
        .filter(|d| d.is_error())
        .filter_map(|d| relative_to_content(&d.path, content, canonical.as_deref()))
        .collect();
    failing.dedup();
    {
        let mut served = shared.served.write().unwrap_or_else(|e| e.into_inner());
        served.failure = Some(overlay.clone());
        served.failing_files = failing;
    }
    shared.broadcast(LiveEvent::Error(overlay));
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
    crate::files::check_name(&text).ok().map(|_| text)
}

pub(super) fn rebuild_loop(shared: &Shared, changes: &Receiver<Vec<PathBuf>>) {
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
        let paths: Vec<PathBuf> = paths.into_iter().collect();
        rebuild(&paths, shared);
    }
}
