//! The editor's Publicera page in `serve`: the page (`publish.html`, its script `publish.js`)
//! and its API under `/__handbok/api/publicera…`, behind the same guard as the editor's API
//! (loopback `Host`, own `Origin`, the per-run token) and with a small body limit. Every answer
//! comes from [`crate::publish`] — a dry run to review, the one `publish` to publish, the same
//! lock — worded here through the string table.
//!
//! - `POST publicera/granska`: the review (stage, changes, errors, warnings, author needed);
//! - `POST publicera/jamfor` `{sida, fran?}`: a page against its published version;
//! - `POST publicera/arkiv`: make the handbook folder a repository, then the review;
//! - `POST publicera` `{mening, varningar, namn?, epost?}`: publish. `varningar` is the number
//!   of warnings the person confirmed; it must be the number there are now.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use super::Shared;
use crate::diag::Diagnostic;
use crate::editor::ops::DiagnosticView;
use crate::publish::review::{self, Review, Stage};
use crate::publish::{self, Change, Message, Options, Status};
use crate::theme::{Strings, Theme};

/// Path of the Publicera page.
pub const PUBLISH_PATH: &str = "/__handbok/publicera";
const SCRIPT_PATH: &str = "/__handbok/publicera.js";
const SCRIPT: &str = include_str!("publish.js");
const TEMPLATE: &str = include_str!("publish.html");

/// The largest request body the publishing API takes (a sentence, a name and an e-mail).
pub const MAX_BODY: usize = 16 * 1024;

type Shares = Arc<Shared>;

/// The page and its script (outside the API: anyone on the computer may load them; they hold
/// no token).
pub(super) fn page_routes() -> Router<Shares> {
    Router::new().route(PUBLISH_PATH, get(page)).route(
        SCRIPT_PATH,
        get(|| async {
            (
                [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
                super::respond::no_store(),
                SCRIPT,
            )
        }),
    )
}

/// The API, to be nested under `/__handbok/api`.
pub(super) fn api_routes() -> Router<Shares> {
    Router::new()
        .route("/publicera/granska", post(review_handler))
        .route("/publicera/jamfor", post(compare_handler))
        .route("/publicera/arkiv", post(make_repository))
        .route("/publicera", post(publish_handler))
        .layer(DefaultBodyLimit::max(MAX_BODY))
}

/// The content folder, the theme folder and the strings, read under the locks and let go.
fn setting(shared: &Shared) -> (PathBuf, Option<PathBuf>, Strings, String) {
    let (content, theme) = {
        let session = shared.session();
        (session.options().content.clone(), session.options().theme.clone())
    };
    let served = shared.served();
    (content, theme, served.strings.clone(), served.language.clone())
}

async fn page(State(shared): State<Shares>) -> Response {
    let html = {
        let served = shared.served();
        render_page(&served.strings, &served.language)
    };
    super::respond::html_page(html)
}

/// The page: `publish.html` with the words its script shows (`publish_…`, `history_…` and the
/// editor's no-key texts).
fn render_page(strings: &Strings, language: &str) -> Result<String, String> {
    let words: serde_json::Map<String, Value> = match serde_json::to_value(strings) {
        Ok(Value::Object(all)) => all
            .into_iter()
            .filter(|(k, _)| k.starts_with("publish_") || k.starts_with("history_") || k.starts_with("editor_no_key"))
            .collect(),
        _ => serde_json::Map::new(),
    };
    let data = json!({ "storage": super::TOKEN_STORAGE_KEY, "text": words });
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html"]);
    tera.add_raw_template("publish.html", TEMPLATE)
        .map_err(|e| crate::theme::tera_error_text(&e))?;
    let mut context = tera::Context::new();
    context.insert("t", strings);
    context.insert("lang", if language.is_empty() { "sv" } else { language });
    context.insert("data", &data.to_string());
    tera.render("publish.html", &context)
        .map_err(|e| crate::theme::tera_error_text(&e))
}

/// Run `work` on a blocking thread (publishing builds the site and writes files).
async fn blocking<F>(shared: Shares, work: F) -> Response
where
    F: FnOnce(&Shared) -> (StatusCode, Value) + Send + 'static,
{
    match tokio::task::spawn_blocking(move || work(&shared)).await {
        Ok((status, value)) => (status, super::respond::no_store(), Json(value)).into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

fn words(messages: &[Message], strings: &Strings) -> Vec<String> {
    messages.iter().map(|m| m.words(strings)).collect()
}

fn change_view(change: &Change, strings: &Strings) -> Value {
    let (kind, from, message) = match change {
        Change::New(p) => ("new", None, Message::new("publish_change_new").arg("path", p.as_str())),
        Change::Changed(p) => (
            "changed",
            None,
            Message::new("publish_change_changed").arg("path", p.as_str()),
        ),
        Change::Deleted(p) => (
            "deleted",
            None,
            Message::new("publish_change_deleted").arg("path", p.as_str()),
        ),
        Change::Renamed(f, p) => (
            "renamed",
            Some(f.as_str()),
            Message::new("publish_change_renamed")
                .arg("from", f.as_str())
                .arg("path", p.as_str()),
        ),
    };
    json!({
        "kind": kind,
        "path": change.path(),
        "from": from,
        "text": message.words(strings),
        "page": change.path().ends_with(".md"),
    })
}

/// A diagnostic for the page, its file relative to the content folder.
fn diagnostic_view(d: &Diagnostic, content: &Path, strings: &Strings) -> DiagnosticView {
    let canonical = content.canonicalize().unwrap_or_else(|_| content.to_path_buf());
    let file = d
        .path
        .strip_prefix(&canonical)
        .or_else(|_| d.path.strip_prefix(content))
        .unwrap_or(&d.path)
        .to_string_lossy()
        .replace('\\', "/");
    DiagnosticView {
        file,
        ..DiagnosticView::new(d, strings)
    }
}

/// The review as the page reads it.
fn review_view(review: &Review, content: &Path, strings: &Strings) -> Value {
    let (errors, warnings): (Vec<&Diagnostic>, Vec<&Diagnostic>) =
        review.diagnostics.iter().partition(|d| d.is_error());
    let view = |list: Vec<&Diagnostic>| -> Vec<DiagnosticView> {
        list.into_iter().map(|d| diagnostic_view(d, content, strings)).collect()
    };
    let mut messages = words(&review.messages, strings);
    match review.stage {
        // The dry run's own words speak of a dry run and of `-m`; the page says it plainly.
        Stage::Ready => messages = vec![strings.text("publish_ui_ready").to_string()],
        Stage::DeliverOnly => messages = vec![strings.text("publish_ui_deliver_only").to_string()],
        Stage::Nothing => messages = vec![strings.text("publish_ui_nothing").to_string()],
        Stage::NotRepository => messages = vec![strings.text("publish_ui_not_repository").to_string()],
        Stage::Errors => messages = vec![strings.text("publish_ui_errors").to_string()],
        Stage::Busy | Stage::Refused => {}
    }
    json!({
        "stage": review.stage.name(),
        "messages": messages,
        "changes": review.changes.iter().map(|c| change_view(c, strings)).collect::<Vec<_>>(),
        "errors": view(errors),
        "warnings": view(warnings),
        "needs_author": review.needs_author,
    })
}

async fn review_handler(State(shared): State<Shares>) -> Response {
    blocking(shared, |shared| {
        let (content, theme, strings, _) = setting(shared);
        let review = review::review(&content, theme.as_deref());
        (StatusCode::OK, review_view(&review, &content, &strings))
    })
    .await
}

async fn make_repository(State(shared): State<Shares>) -> Response {
    blocking(shared, |shared| {
        let (content, theme, strings, _) = setting(shared);
        if let Err(message) = review::make_repository(&content) {
            return (StatusCode::CONFLICT, json!({ "messages": [message.words(&strings)] }));
        }
        let review = review::review(&content, theme.as_deref());
        (StatusCode::OK, review_view(&review, &content, &strings))
    })
    .await
}

#[derive(Deserialize)]
struct CompareRequest {
    sida: String,
    fran: Option<String>,
}

async fn compare_handler(State(shared): State<Shares>, bytes: Bytes) -> Response {
    let request: CompareRequest = match serde_json::from_slice(&bytes) {
        Ok(r) => r,
        Err(e) => return (StatusCode::BAD_REQUEST, super::respond::no_store(), e.to_string()).into_response(),
    };
    blocking(shared, move |shared| {
        let (content, theme_dir, strings, language) = setting(shared);
        let mut diags = crate::diag::Diagnostics::new();
        let Some(theme) = Theme::load(theme_dir.as_deref(), &language, &mut diags) else {
            return (
                StatusCode::INTERNAL_SERVER_ERROR,
                json!({ "messages": [strings.text("publish_build_failed")] }),
            );
        };
        match review::compare_with_published(&content, &request.sida, request.fran.as_deref(), &theme) {
            Ok(comparison) => (StatusCode::OK, json!(comparison)),
            Err(message) => (
                StatusCode::BAD_REQUEST,
                json!({ "messages": [message.words(&strings)] }),
            ),
        }
    })
    .await
}

#[derive(Deserialize)]
struct PublishRequest {
    /// The sentence: what changed.
    #[serde(default)]
    mening: String,
    /// The warnings confirmed.
    #[serde(default)]
    varningar: usize,
    /// The author's name and e-mail, when the repository has none.
    namn: Option<String>,
    epost: Option<String>,
}

async fn publish_handler(State(shared): State<Shares>, bytes: Bytes) -> Response {
    let request: PublishRequest = match serde_json::from_slice(&bytes) {
        Ok(r) => r,
        Err(e) => return (StatusCode::BAD_REQUEST, super::respond::no_store(), e.to_string()).into_response(),
    };
    blocking(shared, move |shared| {
        let (content, theme, strings, _) = setting(shared);
        let refused = |stage: &str, messages: Vec<String>| {
            (
                StatusCode::CONFLICT,
                json!({ "outcome": "refused", "stage": stage, "messages": messages }),
            )
        };
        let say = |key: &'static str| vec![strings.text(key).to_string()];
        let typed = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        if let (Some(name), Some(email)) = (typed(&request.namn), typed(&request.epost)) {
            if let Err(message) = review::store_author(&content, &name, &email) {
                return refused("author", vec![message.words(&strings)]);
            }
        }
        // The same review the page showed, again now: what is published is what passes now.
        let review = review::review(&content, theme.as_deref());
        match review.stage {
            Stage::Ready | Stage::DeliverOnly => {}
            Stage::Nothing => return refused("nothing", say("publish_ui_nothing")),
            Stage::NotRepository => return refused("not_repository", say("publish_ui_not_repository")),
            Stage::Errors => return refused("errors", say("publish_ui_errors")),
            Stage::Busy | Stage::Refused => return refused(review.stage.name(), words(&review.messages, &strings)),
        }
        let warnings = review.diagnostics.warning_count();
        if warnings > 0 && request.varningar != warnings {
            let text = Message::new("publish_ui_confirm_warnings")
                .arg("warnings", warnings.to_string())
                .words(&strings);
            return refused("confirm", vec![text]);
        }
        let sentence = request.mening.split_whitespace().collect::<Vec<_>>().join(" ");
        if review.stage == Stage::Ready && sentence.is_empty() {
            return refused("sentence", say("publish_ui_no_sentence"));
        }
        if review.stage == Stage::Ready && review.needs_author {
            return refused("author", say("publish_ui_no_author"));
        }
        let options = Options {
            content: content.clone(),
            theme,
            sentence,
            dry_run: false,
            strict: false,
        };
        let outcome = publish::publish(&options, &crate::output::FsWriter);
        if matches!(outcome.status, Status::Published | Status::DeliveredNotPushed) {
            // The preview's history ("Senast ändrad", "ändrad, ej incheckad") is Git's: a new
            // commit changes it though no content file changed, so build again.
            super::rebuild::rebuild(&[], shared);
        }
        let (status, name) = match outcome.status {
            Status::Published => (StatusCode::OK, "published"),
            Status::DeliveredNotPushed => (StatusCode::OK, "delivered_not_pushed"),
            Status::NothingToPublish => (StatusCode::CONFLICT, "nothing"),
            Status::CheckFailed => (StatusCode::CONFLICT, "errors"),
            Status::Refused | Status::DryRun => (StatusCode::CONFLICT, "refused"),
        };
        (
            status,
            json!({ "outcome": name, "messages": words(&outcome.messages, &strings) }),
        )
    })
    .await
}

/// The line `serve` prints at its start when a publication was recorded but never delivered.
pub(super) fn undelivered_notice(content: &Path, strings: &Strings) -> Option<String> {
    review::undelivered(content).then(|| strings.text("publish_ui_undelivered_at_start").to_string())
}
