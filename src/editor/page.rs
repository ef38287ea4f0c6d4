//! The editor page: `editor.html` (a Tera template) with the theme's strings and the page's
//! file, plus its script (the files in `js/`, one per job, concatenated here inside one
//! function, served as `editor.js`) and style (`editor.css`), served by `serve` under
//! `/__handbok/`. Every word comes from the string table (`editor_…` keys).
//! The page never carries the write token: anyone on the computer may request it. The script
//! reads the token from the tab's `sessionStorage` (`storage` names the item), where a one-time
//! link put it (see `serve::keys`), and explains how to get a new link when it is missing.

use serde::Serialize;

use crate::theme::Strings;

/// The editor's script: its parts in order, in one function so they share one scope and
/// nothing leaks into the page's globals (no modules at run time).
pub const SCRIPT: &str = concat!(
    "(function () {\n\"use strict\";\n",
    include_str!("js/api.js"),
    include_str!("js/frontmatter-form.js"),
    include_str!("js/preview.js"),
    include_str!("js/toolbar.js"),
    include_str!("js/dialogs.js"),
    include_str!("js/pages.js"),
    include_str!("js/import.js"),
    include_str!("js/main.js"),
    "})();\n"
);
/// The editor's style.
pub const STYLE: &str = include_str!("editor.css");
const TEMPLATE: &str = include_str!("editor.html");

/// What the editor page is rendered with.
#[derive(Debug, Clone, Copy)]
pub struct EditorPage<'a> {
    /// The theme's strings for the site's language.
    pub strings: &'a Strings,
    /// The site's language.
    pub language: &'a str,
    /// The page's file, relative to the content folder.
    pub source: &'a str,
}

#[derive(Serialize)]
struct Data<'a> {
    /// The `sessionStorage` item that holds the token.
    storage: &'a str,
    source: &'a str,
    snippets: Vec<super::ops::Snippet>,
    text: serde_json::Map<String, serde_json::Value>,
}

/// The words the script shows: every `editor_…` string.
fn script_strings(strings: &Strings) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::to_value(strings) {
        Ok(serde_json::Value::Object(all)) => all.into_iter().filter(|(k, _)| k.starts_with("editor_")).collect(),
        _ => serde_json::Map::new(),
    }
}

/// The `sessionStorage` item in which a tab keeps the write token, put there by the one-time
/// link's page (`serve::keys`).
pub const TOKEN_STORAGE_KEY: &str = "handbok-nyckel";

/// Render the editor page.
pub fn render(page: &EditorPage<'_>) -> Result<String, String> {
    let mut tera = tera::Tera::new();
    tera.autoescape_on(vec![".html"]);
    tera.add_raw_template("editor.html", TEMPLATE)
        .map_err(|e| crate::theme::tera_error_text(&e))?;
    let data = Data {
        storage: TOKEN_STORAGE_KEY,
        source: page.source,
        snippets: super::ops::snippets(page.strings),
        text: script_strings(page.strings),
    };
    let mut context = tera::Context::new();
    context.insert("t", page.strings);
    context.insert("lang", if page.language.is_empty() { "sv" } else { page.language });
    context.insert("source", page.source);
    // The Publicera page exists only with the `history` feature.
    context.insert("publish", &cfg!(feature = "history"));
    context.insert("snippets", &data.snippets);
    context.insert("data", &serde_json::to_string(&data).map_err(|e| e.to_string())?);
    tera.render("editor.html", &context)
        .map_err(|e| crate::theme::tera_error_text(&e))
}
