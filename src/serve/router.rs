//! What `handbok serve` answers for a URL, decided from the built site alone (pure, so it is
//! tested without a socket): files of the `OutputMap` after decoding and normalising the path,
//! the live-reload script, folder redirects, and plain error pages. Anything with `..`, `.`,
//! backslashes, `:` or NUL is refused.

use super::SCRIPT_PATH;
use crate::paths::percent_decode_strict;
use crate::render::OutputMap;

const LIVE_JS: &str = include_str!("live.js");

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

/// Decide what to send for `url` from `files` (pure, so it can be tested without a socket).
pub fn answer(url: &str, files: &OutputMap, generation: u64) -> Reply {
    let path = url.split(['?', '#']).next().unwrap_or("");
    if path == SCRIPT_PATH {
        return Reply {
            status: 200,
            content_type: "text/javascript; charset=utf-8",
            body: LIVE_JS.as_bytes().to_vec(),
            location: None,
        };
    }
    let Some(key) = output_key(path) else {
        return page(400, "Ogiltig adress", "Adressen pekar utanför webbplatsen.", generation);
    };
    if let Some(bytes) = files.get(&key) {
        let content_type = content_type(&key);
        let body = if content_type.starts_with("text/html") {
            inject_script(bytes, generation)
        } else {
            bytes.clone()
        };
        return Reply {
            status: 200,
            content_type,
            body,
            location: None,
        };
    }
    let folder_index = format!("{key}/index.html");
    if !key.is_empty() && !key.ends_with("index.html") && files.contains_key(&folder_index) {
        return Reply {
            status: 301,
            content_type: "text/plain; charset=utf-8",
            body: Vec::new(),
            location: Some(format!("{path}/")),
        };
    }
    page(
        404,
        "Sidan finns inte",
        "Det finns ingen sida på den här adressen.",
        generation,
    )
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

/// Add the live-reload script before the last `</body>` (or at the end).
pub fn inject_script(html: &[u8], generation: u64) -> Vec<u8> {
    let tag = format!("<script src=\"{SCRIPT_PATH}\" data-generation=\"{generation}\"></script>\n");
    let text = String::from_utf8_lossy(html);
    let at = text.rfind("</body>").unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + tag.len());
    out.push_str(&text[..at]);
    out.push_str(&tag);
    out.push_str(&text[at..]);
    out.into_bytes()
}

fn page(status: u16, title: &str, text: &str, generation: u64) -> Reply {
    let html = format!(
        "<!doctype html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\"><title>{title}</title></head>\
         <body><main><h1>{title}</h1><p>{text}</p><p><a href=\"/\">Till startsidan</a></p></main></body></html>\n"
    );
    Reply {
        status,
        content_type: "text/html; charset=utf-8",
        body: inject_script(html.as_bytes(), generation),
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
        let out = String::from_utf8(inject_script(b"<p></body></p></body></html>", 3)).unwrap();
        assert!(out.ends_with("data-generation=\"3\"></script>\n</body></html>"));
    }
}
