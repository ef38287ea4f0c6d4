//! How `serve`'s handlers answer: an operation run on a blocking thread and its JSON or its
//! failure, reads and (one at a time) writes of the workspace, and the headers every answer of
//! the editor's API carries. Shared by the editor's routes (`http`), the Publicera page
//! (`publish`) and the Word import (`upload`).

use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::de::DeserializeOwned;
use serde::Serialize;

use super::Shared;
use crate::editor::Failure;
use crate::Workspace;

/// The server's state as the handlers share it.
pub(super) type Shares = Arc<Shared>;

pub(super) fn no_store() -> [(header::HeaderName, HeaderValue); 2] {
    [
        (header::CACHE_CONTROL, HeaderValue::from_static("no-store")),
        (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    ]
}

/// Run `work` on a blocking thread and answer with its JSON or its failure.
pub(super) async fn run<T, F>(shared: Shares, work: F) -> Response
where
    T: Serialize + Send + 'static,
    F: FnOnce(&Shared) -> Result<T, Failure> + Send + 'static,
{
    let task = tokio::task::spawn_blocking(move || {
        let result = work(&shared);
        let strings = shared.served().strings.clone();
        (result, strings)
    });
    match task.await {
        Ok((Ok(answer), _)) => (no_store(), Json(answer)).into_response(),
        Ok((Err(failure), strings)) => {
            let status = StatusCode::from_u16(failure.status()).unwrap_or(StatusCode::BAD_REQUEST);
            (status, no_store(), Json(failure.answer(&strings))).into_response()
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Run an operation that reads the workspace.
pub(super) async fn reading<T, F>(shared: Shares, work: F) -> Response
where
    T: Serialize + Send + 'static,
    F: FnOnce(&Shared, Option<&Workspace>) -> Result<T, Failure> + Send + 'static,
{
    run(shared, move |shared| {
        let mut session = shared.session();
        work(shared, session.workspace().map(|ws| &*ws))
    })
    .await
}

/// Run an operation that writes files (one at a time), with the workspace to plan from.
pub(super) async fn writing<T, F>(shared: Shares, work: F) -> Response
where
    T: Serialize + Send + 'static,
    F: FnOnce(&crate::editor::ContentFolder, Option<&Workspace>) -> Result<T, Failure> + Send + 'static,
{
    run(shared, move |shared| {
        let _one_at_a_time = shared.writes.lock().unwrap_or_else(|e| e.into_inner());
        let folder = shared
            .folder
            .as_ref()
            .ok_or(Failure::Refused(crate::editor::Refusal::Missing))?;
        let mut session = shared.session();
        work(folder, session.workspace().map(|ws| &*ws))
    })
    .await
}

/// Parse a JSON body; the error says why it is not what the operation takes.
pub(super) fn body<T: DeserializeOwned>(bytes: &Bytes) -> Result<T, String> {
    serde_json::from_slice(bytes).map_err(|e| e.to_string())
}

pub(super) fn bad_request(why: String) -> Response {
    (StatusCode::BAD_REQUEST, no_store(), why).into_response()
}

/// One of serve's own pages (the editor, Publicera): HTML that only the preview itself may
/// frame, never cached; a page that could not be rendered answers 500 with why.
pub(super) fn html_page(html: Result<String, String>) -> Response {
    match html {
        Ok(html) => (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("text/html; charset=utf-8"),
                ),
                // Only the preview itself may frame the editor.
                (
                    header::CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static("frame-ancestors 'self'"),
                ),
            ],
            no_store(),
            html,
        )
            .into_response(),
        Err(error) => (StatusCode::INTERNAL_SERVER_ERROR, error).into_response(),
    }
}
