//! `handbok serve` brings the search index up to date after a save without holding the editor
//! up: while the index step is held (a hook of the server, so nothing here depends on timing),
//! the saved page is already served, the editor's preview of unsaved text answers, and the
//! index still has the old text; once let go, the index gets the saved text. Every wait is
//! bounded.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use handbok::search::INDEX_PATH;
use handbok::serve::{IndexHook, ServeOptions, Server};
use serde_json::json;

use crate::editor::{call, eventually, main_text, send, version, WAIT};
use crate::support::TestSite;

const PAGE: &str = "---\ntitle: Semester\norder: 1\n---\n\nDu har rätt till 25 dagars semester.\n";

fn get(server: &Server, path: &str) -> String {
    let answer = send(server.addr(), "GET", path, &[], b"");
    assert_eq!(answer.status, 200, "{path}: {}", answer.body);
    answer.body
}

#[test]
fn the_preview_answers_while_the_search_index_is_brought_up_to_date() {
    let site = TestSite::files(&[
        ("site.yml", "title: Testhandbok\norganisation: Testkommun\n"),
        (
            "index.md",
            "---\ntitle: Startsida\n---\n\nVälkommen. Läs [semester](semester.md).\n",
        ),
        ("semester.md", PAGE),
    ]);
    // The hook says when the index step starts and waits (bounded) until it is let go.
    let (started_tx, started) = mpsc::channel::<()>();
    let (release_tx, release_rx) = mpsc::channel::<()>();
    let release_rx = Mutex::new(release_rx);
    let mut options = ServeOptions::new(site.options());
    options.port = Some(0);
    options.verbose = false;
    options.debounce = Duration::from_millis(100);
    options.before_index = Some(IndexHook(Arc::new(move || {
        let _ = started_tx.send(());
        let _ = release_rx.lock().unwrap().recv_timeout(WAIT * 3);
    })));
    let server = Server::start(options).expect("server starts");
    // Dropped before the server, so a failing test lets the index step go at once.
    let release = release_tx;
    assert!(!get(&server, &format!("/{INDEX_PATH}")).contains("Zebrakurs"));

    let saved = PAGE.replace("semester.\n", "semester. Zebrakurs ingår.\n");
    let answer = call(
        &server,
        "save",
        json!({"source": "semester.md", "text": saved, "version": version(&server, "semester.md")}),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    started
        .recv_timeout(WAIT)
        .expect("the save leads to a search index catch-up");

    // The index step is held: the saved page is served, the index is as before, and the
    // editor's preview of the next unsaved text answers.
    assert!(main_text(&get(&server, "/semester.html")).contains("Zebrakurs ingår"));
    assert!(!get(&server, &format!("/{INDEX_PATH}")).contains("Zebrakurs"));
    let unsaved = saved.replace("ingår.", "ingår. Giraffdag också.");
    let preview = call(&server, "preview", json!({"source": "semester.md", "text": unsaved}));
    assert_eq!(preview.status, 200, "{}", preview.body);
    let html = preview.json()["html"]
        .as_str()
        .expect("the preview has HTML")
        .to_string();
    assert!(main_text(&html).contains("Giraffdag också"), "{html}");

    // Let go, the index gets the saved text.
    release.send(()).unwrap();
    eventually("the search index has the saved text", || {
        get(&server, &format!("/{INDEX_PATH}")).contains("Zebrakurs")
    });
}
