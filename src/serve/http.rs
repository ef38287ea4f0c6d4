//! The HTTP side of `serve` (axum on tokio): the guard in front of every request, the event
//! stream, the editor's page and API, and everything else through the pure `router`. Handlers
//! are thin: they read the request, run the editor's operation on a blocking thread, and turn
//! the result into a response.

use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Query, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use futures_util::stream::{self, Stream, StreamExt};
use serde::Deserialize;
use tokio::sync::broadcast::error::RecvError;

use super::guard::{RequestFacts, TOKEN_HEADER};
use super::keys::{self, HANDOVER_SCRIPT, HANDOVER_SCRIPT_PATH, KEY_PATH};
use super::respond::{bad_request, body, html_page, no_store, reading, run, writing, Shares};
use super::{router, LiveEvent, EDITOR_PATH, EVENTS_PATH};
use crate::editor::{deleted, front_form, ops, page, undo, Failure};
use crate::files::{MAX_IMAGE_BYTES, MAX_TEXT_BYTES};

/// The server's routes, behind the guard.
pub(super) fn app(shared: Shares) -> Router {
    // JSON escapes can make a text several times longer than the file it becomes.
    let json_limit = DefaultBodyLimit::max(MAX_TEXT_BYTES * 3);
    let api = Router::new()
        .route("/page", get(open))
        .route("/pages", get(pages))
        .route("/preview", post(preview))
        .route("/save", post(save))
        .route("/undo", post(undo))
        .route("/undo/plan", post(plan_undo))
        .route("/new", post(new_page))
        .route("/rename/plan", post(plan_rename))
        .route("/rename", post(rename))
        .route("/delete", post(delete))
        .route("/move", post(move_page))
        .route("/nyckel", post(new_key))
        .route("/front/read", post(front_read))
        .route("/front/write", post(front_write))
        .route("/deleted", get(deleted_pages))
        .route("/restore", post(restore_deleted))
        .layer(json_limit)
        .merge(
            Router::new()
                .route("/image", post(upload_image))
                .layer(DefaultBodyLimit::max(MAX_IMAGE_BYTES)),
        )
        // The Word import bounds its own body (see `upload`).
        .route("/import", post(super::upload::import))
        .route("/import/alt", post(super::upload::alt).layer(json_limit))
        .route("/import/bild", get(super::upload::image));
    // The Publicera page and its API commit with Git: only with the `history` feature.
    #[cfg(feature = "history")]
    let api = api.merge(super::publish::api_routes());
    let app = Router::new()
        .route(EVENTS_PATH, get(events))
        .route(EDITOR_PATH, get(editor_page))
        .route(KEY_PATH, get(redeem_key))
        .route(
            HANDOVER_SCRIPT_PATH,
            get(|| async { asset("text/javascript; charset=utf-8", HANDOVER_SCRIPT) }),
        )
        .route(
            "/__handbok/editor.js",
            get(|| async { asset("text/javascript; charset=utf-8", page::SCRIPT) }),
        )
        .route(
            "/__handbok/editor.css",
            get(|| async { asset("text/css; charset=utf-8", page::STYLE) }),
        );
    #[cfg(feature = "history")]
    let app = app.merge(super::publish::page_routes());
    app.nest("/__handbok/api", api)
        .fallback(site_file)
        .layer(middleware::from_fn_with_state(Arc::clone(&shared), guard))
        .with_state(shared)
}

/// Refuse requests from anywhere but the preview itself (see `guard`), and one-time links and
/// the editor's API to connections another user of the computer opened (see `peer`).
async fn guard(State(shared): State<Shares>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path.starts_with("/__handbok/api/") || path == KEY_PATH {
        let local = SocketAddr::from((Ipv4Addr::LOCALHOST, shared.expected.port));
        let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
        if peer.is_some_and(|peer| super::peer::is_other_user(peer, local)) {
            let message = shared.served().strings.text("serve_denied_user").to_string();
            return (StatusCode::FORBIDDEN, no_store(), message).into_response();
        }
    }
    let headers = request.headers();
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let writes = !matches!(*request.method(), Method::GET | Method::HEAD);
    let facts = RequestFacts {
        host: text(header::HOST.as_str()),
        origin: text(header::ORIGIN.as_str()),
        token: text(TOKEN_HEADER),
        writes,
        api: request.uri().path().starts_with("/__handbok/api/"),
    };
    match shared.expected.check(&facts) {
        Ok(()) => next.run(request).await,
        Err(denied) => {
            let message = shared.served().strings.text(denied.key()).to_string();
            (StatusCode::FORBIDDEN, no_store(), message).into_response()
        }
    }
}

fn asset(content_type: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, content_type)], no_store(), body).into_response()
}

/// Any other GET: a file of the site, through the router.
async fn site_file(State(shared): State<Shares>, method: Method, request: Request) -> Response {
    if !matches!(method, Method::GET | Method::HEAD) {
        return StatusCode::METHOD_NOT_ALLOWED.into_response();
    }
    let url = request.uri().path_and_query().map_or("/", |p| p.as_str()).to_string();
    let reply = router::answer(&url, &shared.served());
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, no_store(), reply.body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(reply.content_type));
    if let Some(location) = reply.location.and_then(|l| HeaderValue::from_str(&l).ok()) {
        headers.insert(header::LOCATION, location);
    }
    response
}

/// The live-reload stream: `hello` with the generation served, the current error if any, then
/// `reload` and `error` as builds finish. A page that falls behind is told to reload.
async fn events(State(shared): State<Shares>) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = shared.events.subscribe();
    let (generation, failure) = {
        let served = shared.served();
        (served.generation, served.failure.clone())
    };
    let mut first = vec![Event::default()
        .retry(Duration::from_millis(500))
        .event("hello")
        .data(generation.to_string())];
    first.extend(failure.map(|text| Event::default().event("error").data(text)));
    let later = stream::unfold(receiver, |mut receiver| async move {
        let event = match receiver.recv().await {
            Ok(event) => event,
            Err(RecvError::Lagged(_)) => LiveEvent::Reload(0),
            Err(RecvError::Closed) => return None,
        };
        Some((event, receiver))
    });
    let all = stream::iter(first).chain(later.map(|event| match event {
        LiveEvent::Reload(generation) => Event::default().event("reload").data(generation.to_string()),
        LiveEvent::Error(text) => Event::default().event("error").data(text),
    }));
    Sse::new(all.map(Ok)).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

/// `?sida=` (the page's file).
#[derive(Debug, Deserialize)]
struct PageQuery {
    sida: String,
}

/// `?sida=&namn=` for an upload.
#[derive(Debug, Deserialize)]
struct UploadQuery {
    sida: String,
    namn: String,
}

async fn editor_page(State(shared): State<Shares>, Query(query): Query<PageQuery>) -> Response {
    let html = {
        let served = shared.served();
        page::render(&page::EditorPage {
            strings: &served.strings,
            language: &served.language,
            source: &query.sida,
        })
    };
    html_page(html)
}

/// `?nyckel=` of a one-time link.
#[derive(Debug, Deserialize)]
struct KeyQuery {
    nyckel: Option<String>,
}

/// A one-time link: the first use hands the token to the tab (see `keys`); any other use gets
/// the page that says how to get a new link, and no token.
async fn redeem_key(State(shared): State<Shares>, Query(query): Query<KeyQuery>) -> Response {
    let valid = query.nyckel.is_some_and(|key| shared.keys.redeem(&key));
    let (status, html) = {
        let served = shared.served();
        if valid {
            (StatusCode::OK, keys::handover_page(&shared.expected.token, &served))
        } else {
            (StatusCode::FORBIDDEN, keys::used_page(&served))
        }
    };
    (
        status,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/html; charset=utf-8"),
            ),
            (
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(
                    "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'none'",
                ),
            ),
            (header::REFERRER_POLICY, HeaderValue::from_static("no-referrer")),
        ],
        no_store(),
        html,
    )
        .into_response()
}

/// A new one-time link, for a second start of handbok that read the token from the server's
/// record (the guard has checked the token).
async fn new_key(State(shared): State<Shares>) -> Response {
    match shared.one_time_url() {
        Ok(url) => (no_store(), Json(serde_json::json!({ "url": url }))).into_response(),
        Err(why) => (StatusCode::INTERNAL_SERVER_ERROR, no_store(), why).into_response(),
    }
}

async fn open(State(shared): State<Shares>, Query(query): Query<PageQuery>) -> Response {
    let Some(folder) = shared.folder.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    reading(shared, move |_, ws| ops::open(&folder, ws, &query.sida)).await
}

async fn pages(State(shared): State<Shares>, Query(query): Query<PageQuery>) -> Response {
    reading(shared, move |_, ws| ops::pages(ws, &query.sida)).await
}

async fn preview(State(shared): State<Shares>, bytes: Bytes) -> Response {
    let request: ops::PreviewRequest = match body(&bytes) {
        Ok(r) => r,
        Err(why) => return bad_request(why),
    };
    if request.text.len() > MAX_TEXT_BYTES {
        return (StatusCode::PAYLOAD_TOO_LARGE, no_store()).into_response();
    }
    run(shared, move |shared| {
        let mut session = shared.session();
        ops::preview(&mut session, &request)
    })
    .await
}

macro_rules! write_handler {
    ($name:ident, $request:ty, $op:expr) => {
        async fn $name(State(shared): State<Shares>, bytes: Bytes) -> Response {
            let request: $request = match body(&bytes) {
                Ok(r) => r,
                Err(why) => return bad_request(why),
            };
            writing(shared, move |folder, ws| $op(folder, ws, &request)).await
        }
    };
}

write_handler!(save, ops::SaveRequest, |f, _, r| ops::save(f, r));
write_handler!(undo, undo::UndoRequest, |f, _, r| undo::undo(f, r));
write_handler!(new_page, ops::NewPageRequest, ops::new_page);
write_handler!(rename, ops::RenameRequest, ops::rename);
write_handler!(delete, ops::SaveRequest, ops::delete);
write_handler!(move_page, ops::MoveRequest, ops::move_page);

async fn plan_rename(State(shared): State<Shares>, bytes: Bytes) -> Response {
    let request: ops::RenameRequest = match body(&bytes) {
        Ok(r) => r,
        Err(why) => return bad_request(why),
    };
    reading(shared, move |_, ws| ops::plan_rename(ws, &request)).await
}

/// What "Ångra senaste sparning" would undo, for its dialog (writes nothing).
async fn plan_undo(State(shared): State<Shares>, bytes: Bytes) -> Response {
    let request: undo::UndoRequest = match body(&bytes) {
        Ok(r) => r,
        Err(why) => return bad_request(why),
    };
    run(shared, move |shared| {
        let folder = shared
            .folder
            .as_ref()
            .ok_or(Failure::Refused(crate::editor::Refusal::Missing))?;
        let strings = shared.served().strings.clone();
        undo::plan(folder, &strings, &request)
    })
    .await
}

async fn upload_image(State(shared): State<Shares>, Query(query): Query<UploadQuery>, bytes: Bytes) -> Response {
    writing(shared, move |folder, _| {
        ops::upload_image(folder, &query.sida, &query.namn, &bytes)
    })
    .await
}

/// `front/read`: a page's text taken apart into the form's fields (one parser, the build's).
async fn front_read(State(shared): State<Shares>, bytes: Bytes) -> Response {
    #[derive(Deserialize)]
    struct ReadRequest {
        text: String,
    }
    let request: ReadRequest = match body(&bytes) {
        Ok(r) => r,
        Err(why) => return bad_request(why),
    };
    if request.text.len() > MAX_TEXT_BYTES {
        return (StatusCode::PAYLOAD_TOO_LARGE, no_store()).into_response();
    }
    run(shared, move |_| Ok(front_form::read(&request.text))).await
}

/// `front/write`: the form's changed fields written into the front matter.
async fn front_write(State(shared): State<Shares>, bytes: Bytes) -> Response {
    let request: front_form::WriteRequest = match body(&bytes) {
        Ok(r) => r,
        Err(why) => return bad_request(why),
    };
    if request.yaml.len() + request.other.as_ref().map_or(0, String::len) > MAX_TEXT_BYTES {
        return (StatusCode::PAYLOAD_TOO_LARGE, no_store()).into_response();
    }
    run(shared, move |_| Ok(front_form::write(&request)?)).await
}

/// `deleted`: the deleted pages that can be brought back.
async fn deleted_pages(State(shared): State<Shares>) -> Response {
    let Some(folder) = shared.folder.clone() else {
        return StatusCode::NOT_FOUND.into_response();
    };
    run(shared, move |_| Ok(deleted::list(&folder))).await
}

/// `restore`: a deleted page's newest kept version written back.
async fn restore_deleted(State(shared): State<Shares>, bytes: Bytes) -> Response {
    let request: deleted::RestoreRequest = match body(&bytes) {
        Ok(r) => r,
        Err(why) => return bad_request(why),
    };
    writing(shared, move |folder, _| {
        deleted::restore(folder, &request.source)?;
        Ok(ops::Moved { source: request.source })
    })
    .await
}
