//! What `handbok serve` answers for a URL, decided from what is served alone (pure, so it is
//! tested without a socket): files of the `OutputMap` after decoding and normalising the path,
//! the live-reload script (with its words from the string table), folder redirects, plain
//! error pages, and, while no build has succeeded yet, a page listing the errors to fix.
//! Anything with `..`, `.`, backslashes, `:` or NUL is refused.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::SCRIPT_PATH;
use crate::paths::percent_decode_strict;
use crate::plan::SharedOutputMap;
use crate::theme::Strings;

const LIVE_JS: &str = include_str!("live.js");

/// What to escape in a query value: all but letters, digits and `-._/`.
const QUERY_VALUE: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'/');

/// The words `live.js` shows (overlay, edit link), from the string table.
const LIVE_STRINGS: [&str; 7] = [
    "serve_error_title",
    "serve_error_help",
    "serve_error_none_yet",
    "serve_hide",
    "serve_edit_page",
    "serve_not_built_title",
    "serve_publish_link",
];

/// What the server currently serves.
#[derive(Debug, Clone, Default)]
pub struct Served {
    /// The last good site (its files' bytes shared with the session's).
    pub files: Arc<SharedOutputMap>,
    /// Bumped each time a different site is swapped in; pages carry the generation they were
    /// served with, so a page loaded just before a swap still reloads.
    pub generation: u64,
    /// A build has succeeded since the server started (so there is a site to show).
    pub good: bool,
    /// The diagnostics of the last build, when it failed.
    pub failure: Option<String>,
    /// The files the failed build found errors in, for links to the editor.
    pub failing_files: Vec<String>,
    /// Output path → the page's source file, for the "Redigera sidan" link.
    pub sources: BTreeMap<String, String>,
    /// The UI strings of the site's language.
    pub strings: Strings,
    /// The site's language (`sv` or `en`).
    pub language: String,
}

/// The answer to a request: status, content type and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
    /// For redirects.
    pub location: Option<String>,
}

/// Decide what to send for `url` (pure, so it can be tested without a socket).
pub fn answer(url: &str, served: &Served) -> Reply {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let t = |key: &'static str| served.strings.text(key);
    if path == SCRIPT_PATH {
        // Built without the `history` feature there is no Publicera page to link to.
        let words: BTreeMap<&str, &str> = LIVE_STRINGS
            .iter()
            .filter(|k| cfg!(feature = "history") || **k != "serve_publish_link")
            .map(|k| (*k, t(k)))
            .collect();
        let prelude = format!(
            "window.handbokLiveText = {};\n",
            serde_json::to_string(&words).unwrap_or_else(|_| "{}".into())
        );
        return Reply {
            status: 200,
            content_type: "text/javascript; charset=utf-8",
            body: [prelude.as_bytes(), LIVE_JS.as_bytes()].concat(),
            location: None,
        };
    }
    let Some(key) = output_key(path) else {
        return page(400, t("serve_bad_address_title"), t("serve_bad_address_text"), served);
    };
    if !served.good && (key.ends_with(".html") || !key.contains('.')) {
        return not_built(served);
    }
    if let Some(bytes) = served.files.get(&key) {
        let content_type = content_type(&key);
        let body = if content_type.starts_with("text/html") {
            inject_script(bytes, served.generation, served.sources.get(&key).map(String::as_str))
        } else {
            bytes.to_vec()
        };
        return Reply {
            status: 200,
            content_type,
            body,
            location: None,
        };
    }
    let folder_index = format!("{key}/index.html");
    if !key.is_empty() && !key.ends_with("index.html") && served.files.contains_key(&folder_index) {
        return Reply {
            status: 301,
            content_type: "text/plain; charset=utf-8",
            body: Vec::new(),
            location: Some(format!("{path}/")),
        };
    }
    page(404, t("serve_not_found_title"), t("serve_not_found_text"), served)
}

/// The `OutputMap` key for a URL path, or `None` when the path tries to leave the site.
/// `/` → `index.html`, `/dir/` → `dir/index.html`.
pub fn output_key(path: &str) -> Option<String> {
    if !path.starts_with('/') {
        return None;
    }
    let decoded = percent_decode_strict(path)?;
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut segments = Vec::new();
    for segment in decoded.split('/').skip(1) {
        match segment {
            "." | ".." => return None,
            s if s.contains(':') => return None,
            s => segments.push(s),
        }
    }
    let trailing = segments.last().is_none_or(|s| s.is_empty());
    let mut parts: Vec<&str> = segments.into_iter().filter(|s| !s.is_empty()).collect();
    if trailing {
        parts.push("index.html");
    }
    Some(parts.join("/"))
}

pub(crate) fn content_type(key: &str) -> &'static str {
    let ext = key.rsplit_once('.').map_or("", |(_, e)| e).to_ascii_lowercase();
    match ext.as_str() {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

/// Add the live-reload script before the last `</body>` (or at the end), telling it the
/// generation and, for a page, its source file (for the "Redigera sidan" link it adds).
pub fn inject_script(html: &[u8], generation: u64, source: Option<&str>) -> Vec<u8> {
    let source = source
        .map(|s| format!(" data-source=\"{}\"", escape(s)))
        .unwrap_or_default();
    let tag = format!("<script src=\"{SCRIPT_PATH}\" data-generation=\"{generation}\"{source}></script>\n");
    let text = String::from_utf8_lossy(html);
    let at = text.rfind("</body>").unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + tag.len());
    out.push_str(&text[..at]);
    out.push_str(&tag);
    out.push_str(&text[at..]);
    out.into_bytes()
}

pub(super) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

pub(super) fn document(title: &str, body: &str, served: &Served) -> String {
    let marker = if served.good { "" } else { " data-handbok-not-built" };
    let lang = if served.language.is_empty() {
        "sv"
    } else {
        served.language.as_str()
    };
    format!(
        "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>\
         <style>body{{font:1rem/1.5 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;color:#1a1a1a;background:#fff}}\
         pre{{white-space:pre-wrap;background:#f6f6f6;border:1px solid #767676;padding:.75rem}}a{{color:#0b57a4}}</style></head>\
         <body><main{marker}><h1>{title}</h1>{body}</main></body></html>\n",
        title = escape(title),
        lang = escape(lang)
    )
}

fn page(status: u16, title: &str, text: &str, served: &Served) -> Reply {
    let home = served.strings.text("serve_home");
    let body = format!("<p>{}</p><p><a href=\"/\">{}</a></p>", escape(text), escape(home));
    Reply {
        status,
        content_type: "text/html; charset=utf-8",
        body: inject_script(document(title, &body, served).as_bytes(), served.generation, None),
        location: None,
    }
}

/// No build has succeeded yet: every page is this one, with the errors, what to do, and a link
/// to the editor for each file with an error. It reloads when a build succeeds.
fn not_built(served: &Served) -> Reply {
    let t = |key: &'static str| escape(served.strings.text(key));
    let mut body = format!("<p>{}</p>", t("serve_not_built_text"));
    if !served.failing_files.is_empty() {
        body.push_str("<ul>");
        for file in &served.failing_files {
            let href = format!(
                "/__handbok/redigera?sida={}",
                percent_encoding::utf8_percent_encode(file, QUERY_VALUE)
            );
            body.push_str(&format!(
                "<li><a href=\"{href}\">{} {}</a></li>",
                t("serve_edit_file"),
                escape(file)
            ));
        }
        body.push_str("</ul>");
    }
    body.push_str(&format!(
        "<h2>{}</h2><pre>{}</pre>",
        t("serve_errors"),
        escape(served.failure.as_deref().unwrap_or(""))
    ));
    Reply {
        status: 503,
        content_type: "text/html; charset=utf-8",
        body: inject_script(
            document(served.strings.text("serve_not_built_title"), &body, served).as_bytes(),
            served.generation,
            None,
        ),
        location: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths_map_to_output_keys() {
        assert_eq!(output_key("/").as_deref(), Some("index.html"));
        assert_eq!(output_key("/a/").as_deref(), Some("a/index.html"));
        assert_eq!(output_key("/a/b.html").as_deref(), Some("a/b.html"));
        assert_eq!(output_key("/a%20b.pdf").as_deref(), Some("a b.pdf"));
        for bad in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2E%2E/etc/passwd",
            "/..%2fetc%2fpasswd",
            "/..%5c..%5cwindows",
            "/a/./b",
            "/C:/x",
            "/%zz",
            "/a%00b",
            "relative",
        ] {
            assert_eq!(output_key(bad), None, "{bad}");
        }
    }

    #[test]
    fn script_goes_before_the_last_body_end() {
        let out = String::from_utf8(inject_script(b"<p></body></p></body></html>", 3, None)).unwrap();
        assert!(out.ends_with("data-generation=\"3\"></script>\n</body></html>"));
        let out = String::from_utf8(inject_script(b"</body>", 1, Some("a/\"b\".md"))).unwrap();
        assert!(out.contains("data-source=\"a/&quot;b&quot;.md\""), "{out}");
    }
}
