//! The editor's Word import over HTTP: `POST /__handbok/api/import` (the .docx as the body,
//! options in the query), `POST /__handbok/api/import/alt` (the alternative texts the editor
//! asked for) and `GET /__handbok/api/import/bild` (an imported image for the form's preview).
//! The guard in `http` has checked `Host`, `Origin` and the token before any of this runs. The
//! body is refused by its `Content-Length` before it is read, and bounded while it is read, at
//! the importer's own document limit; the work runs through `respond::writing` (one write at a time).

use axum::body::Bytes;
use axum::extract::{Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::respond::{bad_request, no_store, writing, Shares};
use crate::editor::import::{self as editor_import, AltRequest, ImportQuery};
use crate::editor::Failure;
use crate::import::{ImportError, MAX_FILE_BYTES};

/// The refusal of a document over the limit, before (or while) its body is read.
fn too_large(shared: &Shares, bytes: usize) -> Response {
    let failure = Failure::Import(ImportError::TooLarge { bytes });
    let answer = failure.answer(&shared.served().strings);
    (StatusCode::PAYLOAD_TOO_LARGE, no_store(), Json(answer)).into_response()
}

/// `import`: the uploaded document converted and written as `handbok import` does it.
pub(super) async fn import(
    State(shared): State<Shares>,
    Query(query): Query<ImportQuery>,
    request: Request,
) -> Response {
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if let Some(length) = declared.filter(|l| *l > MAX_FILE_BYTES as u64) {
        return too_large(&shared, usize::try_from(length).unwrap_or(usize::MAX));
    }
    let bytes = match axum::body::to_bytes(request.into_body(), MAX_FILE_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => return too_large(&shared, MAX_FILE_BYTES + 1),
    };
    writing(shared, move |folder, _| editor_import::import(folder, &bytes, &query)).await
}

/// `import/alt`: the alternative texts written into one page through the save path.
pub(super) async fn alt(State(shared): State<Shares>, bytes: Bytes) -> Response {
    let request: AltRequest = match serde_json::from_slice(&bytes) {
        Ok(r) => r,
        Err(why) => return bad_request(why.to_string()),
    };
    writing(shared, move |folder, _| editor_import::write_alts(folder, &request)).await
}

/// `?fil=` of an image.
#[derive(Debug, Deserialize)]
pub(super) struct ImageQuery {
    fil: String,
}

/// `import/bild`: an image of the content folder, for the alternative-text form's preview.
pub(super) async fn image(State(shared): State<Shares>, Query(query): Query<ImageQuery>) -> Response {
    let Some(folder) = shared.folder.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let content_type = super::router::content_type(&query.fil);
    let strings = shared.served().strings.clone();
    match tokio::task::spawn_blocking(move || editor_import::image(&folder, &query.fil)).await {
        Ok(Ok(bytes)) => (
            [(header::CONTENT_TYPE, HeaderValue::from_static(content_type))],
            no_store(),
            bytes,
        )
            .into_response(),
        Ok(Err(failure)) => {
            let status = StatusCode::from_u16(failure.status()).unwrap_or(StatusCode::BAD_REQUEST);
            (status, no_store(), Json(failure.answer(&strings))).into_response()
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
