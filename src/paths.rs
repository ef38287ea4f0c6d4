//! Path arithmetic, all of it: content paths to output paths, joining relative links, relative
//! hrefs between output files, percent-decoding. Paths here are `/`-separated strings relative
//! to the content or output folder; nothing here touches the filesystem.

use std::borrow::Cow;

use percent_encoding::percent_decode_str;

use crate::slug::slugify;

/// The output path for a content path: each part slugified, `.md` → `.html`.
/// `Medarbetarsamtal/Samtalsguide.md` → `medarbetarsamtal/samtalsguide.html`.
pub fn output_path(source: &str) -> String {
    let segments: Vec<&str> = source.split('/').collect();
    let mut parts: Vec<String> = Vec::with_capacity(segments.len());
    for (i, segment) in segments.iter().enumerate() {
        if i + 1 < segments.len() {
            parts.push(non_empty_slug(segment));
            continue;
        }
        let (stem, ext) = match segment.rsplit_once('.') {
            // The extension is slugged too: it could hold `\\`, `:` or markup.
            Some((s, e)) if !s.is_empty() => (s, slugify(e)),
            _ => (*segment, String::new()),
        };
        let stem_slug = non_empty_slug(stem);
        let ext = if ext == "md" { "html".to_string() } else { ext };
        parts.push(if ext.is_empty() {
            stem_slug
        } else {
            format!("{stem_slug}.{ext}")
        });
    }
    parts.join("/")
}

fn non_empty_slug(s: &str) -> String {
    let slug = slugify(s);
    if slug.is_empty() {
        "_".to_string()
    } else {
        slug
    }
}

/// The folder part of a `/`-separated path ("" at the root): `a/b/c.html` → `a/b`.
pub fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(dir, _)| dir)
}

/// The output folder of a content folder: each part slugified.
pub fn output_dir(source_dir: &str) -> String {
    if source_dir.is_empty() {
        String::new()
    } else {
        parent(&output_path(&format!("{source_dir}/x.md"))).to_string()
    }
}

/// Join a relative path to a folder and resolve `.` and `..`; `None` when it climbs above the root.
pub fn join_normalised(dir: &str, relative: &str) -> Option<String> {
    let mut parts: Vec<&str> = dir.split('/').filter(|s| !s.is_empty()).collect();
    for segment in relative.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// A relative URL from a page in output folder `from_dir` to the output file `to`: up past the
/// folders the two do not share, then down. Built without a vector of parts: every page's menu,
/// crumbs and neighbours make dozens of these.
pub fn relative_href(from_dir: &str, to: &str) -> String {
    let mut rest = to;
    let mut ups = 0;
    let mut shared = true;
    for folder in from_dir.split('/').filter(|s| !s.is_empty()) {
        // A folder is shared when `to` goes on below it (its file name never counts).
        match rest.strip_prefix(folder).and_then(|r| r.strip_prefix('/')) {
            Some(below) if shared => rest = below,
            _ => {
                shared = false;
                ups += 1;
            }
        }
    }
    let mut href = String::with_capacity(3 * ups + rest.len());
    for _ in 0..ups {
        href.push_str("../");
    }
    href.push_str(rest);
    href
}

/// The prefix that leads from a page at output path `page_output` back to the site root.
pub fn root_prefix(page_output: &str) -> String {
    "../".repeat(page_output.matches('/').count())
}

/// Decode `%xx` escapes in a link written in Markdown. Forgiving, as browsers are: a `%` that
/// starts no valid escape stays as written, and bytes that are not UTF-8 become U+FFFD.
pub fn percent_decode(text: &str) -> Cow<'_, str> {
    percent_decode_str(text).decode_utf8_lossy()
}

/// Decode `%xx` escapes in a URL path a browser asked for. Strict, since the result names a
/// file to serve: `None` when a `%` starts no valid escape or the bytes are not UTF-8.
pub fn percent_decode_strict(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let valid_escapes = bytes.iter().enumerate().filter(|(_, b)| **b == b'%').all(|(i, _)| {
        bytes
            .get(i + 1..i + 3)
            .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    });
    if !valid_escapes {
        return None;
    }
    percent_decode_str(text).decode_utf8().ok().map(Cow::into_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_are_slugged() {
        assert_eq!(
            output_path("Medarbetarsamtal/Samtalsguide.md"),
            "medarbetarsamtal/samtalsguide.html"
        );
        assert_eq!(
            output_path("medarbetaröverenskommelse.md"),
            "medarbetaroverenskommelse.html"
        );
        assert_eq!(output_path("bilder/Logga Ö.PNG"), "bilder/logga-o.png");
        // Found by the property test: extensions could carry path separators.
        assert_eq!(output_path("Ä.\\"), "a");
        assert_eq!(output_path("a.b\\..\\c"), "a-b.c");
        assert_eq!(output_path("x.<script>"), "x.script");
        assert_eq!(output_dir("Medarbetarsamtal/Äldre"), "medarbetarsamtal/aldre");
    }

    #[test]
    fn relative_hrefs() {
        assert_eq!(relative_href("a/b", "a/c.html"), "../c.html");
        assert_eq!(relative_href("", "a/c.html"), "a/c.html");
        assert_eq!(relative_href("a", "index.html"), "../index.html");
        assert_eq!(relative_href("a/b", "a/b/c.html"), "c.html");
        assert_eq!(relative_href("a/b", "a/b.html"), "../b.html");
        assert_eq!(relative_href("a/b/c", "a/x/c/d.html"), "../../x/c/d.html");
        assert_eq!(relative_href("ab/c", "a/c.html"), "../../a/c.html");
        assert_eq!(relative_href("a/", "a/c.html"), "c.html");
        assert_eq!(root_prefix("a/b/c.html"), "../../");
        assert_eq!(join_normalised("a/b", "../c/./d.md").as_deref(), Some("a/c/d.md"));
        assert_eq!(join_normalised("a", "../../x"), None);
    }

    #[test]
    fn percent_decoding_forgiving_and_strict() {
        assert_eq!(percent_decode("Min%20sida%zz.md"), "Min sida%zz.md");
        assert_eq!(percent_decode_strict("/a%20b").as_deref(), Some("/a b"));
        assert_eq!(percent_decode_strict("/%zz"), None);
        assert_eq!(percent_decode_strict("/%2"), None);
        assert_eq!(percent_decode_strict("/%ff"), None);
    }
}
