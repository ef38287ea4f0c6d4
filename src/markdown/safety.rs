//! Raw HTML safety. Raw HTML written in Markdown may use a small, safe subset of HTML (the
//! elements and attributes a handbook needs, see [`ALLOWED_TAGS`] and [`tag_attributes`]).
//!
//! The decision (documented in docs/security.md): anything outside the subset is **refused**: the
//! build fails with an error naming the file and line, and nothing is written. Silently removing a
//! script would hide from the editor that the page does not show what they wrote.
//!
//! Two layers:
//! 1. [`check_raw_html`] tokenizes each raw HTML fragment (a whole HTML block, or one inline tag)
//!    with html5ever and reports every element, attribute or URL outside the subset, with its line.
//! 2. [`sanitize_page`] runs the page's whole HTML through `ammonia` with the same subset, so even a
//!    construction the first layer misses (say a tag split across Markdown events) never reaches the
//!    output. HTML that handbok itself generates (headings, forms) is swapped for placeholders
//!    while ammonia runs, so it is not touched.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use html5ever::tokenizer::{
    BufferQueue, CharacterTokens, CommentToken, DoctypeToken, TagKind, TagToken, Token, TokenSink, TokenSinkResult,
    Tokenizer, TokenizerOpts,
};

/// Elements allowed in raw HTML.
pub const ALLOWED_TAGS: &[&str] = &[
    "a",
    "abbr",
    "b",
    "blockquote",
    "br",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "li",
    "mark",
    "ol",
    "p",
    "pre",
    "q",
    "s",
    "samp",
    "small",
    "span",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "u",
    "ul",
    "var",
    "wbr",
];

/// Attributes allowed on every allowed element.
pub const GENERIC_ATTRIBUTES: &[&str] = &["class", "id", "lang", "title", "dir"];

/// URL schemes allowed in `href`/`src`; relative URLs are always allowed.
pub const URL_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// Attributes allowed on particular elements, beside [`GENERIC_ATTRIBUTES`].
pub fn tag_attributes() -> HashMap<&'static str, HashSet<&'static str>> {
    let table: &[(&str, &[&str])] = &[
        ("a", &["href"]),
        ("img", &["src", "alt", "width", "height"]),
        ("abbr", &["title"]),
        ("td", &["colspan", "rowspan", "headers"]),
        ("th", &["colspan", "rowspan", "headers", "scope", "abbr"]),
        ("col", &["span"]),
        ("colgroup", &["span"]),
        ("ol", &["start", "reversed", "type"]),
        ("li", &["value"]),
        ("details", &["open"]),
        ("time", &["datetime"]),
        ("q", &["cite"]),
        ("blockquote", &["cite"]),
        ("del", &["cite", "datetime"]),
        ("ins", &["cite", "datetime"]),
    ];
    table
        .iter()
        .map(|(tag, attrs)| (*tag, attrs.iter().copied().collect()))
        .collect()
}

/// How deeply raw HTML may nest elements. The HTML parser's scope checks make deeper nesting
/// quadratic (50,000 nested `<div>`s took 14 s), and no handbook page needs more.
pub const MAX_DEPTH: usize = 1000;

const VOID: &[&str] = &["br", "col", "hr", "img", "wbr"];

/// Attributes whose value is a URL.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "cite"];

/// Check one raw HTML fragment; returns the HTML to emit and a message per problem found,
/// each with the 1-based line inside the fragment. The HTML is returned unchanged: the page's
/// whole output is sanitised afterwards by [`sanitize_page`].
pub fn check_raw_html(html: &str) -> (String, Vec<String>) {
    let problems = find_problems(html, false).into_iter().map(|p| p.message).collect();
    (html.to_string(), problems)
}

/// One thing in raw HTML outside the allowed subset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line inside the checked fragment.
    pub line: usize,
    /// What is outside the subset.
    pub message: String,
}

/// Tokenize `html` and list everything the sanitiser would remove. `generated` allows what
/// pulldown-cmark itself writes (`style="text-align: …"` on table cells).
pub fn find_problems(html: &str, generated: bool) -> Vec<Problem> {
    if !html.contains('<') {
        return Vec::new();
    }
    let sink = Checker {
        problems: RefCell::new(Vec::new()),
        attrs: tag_attributes(),
        generated,
        depth: std::cell::Cell::new((0, false)),
    };
    let input = BufferQueue::default();
    input.push_back(html.into());
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.problems.into_inner()
}

struct Checker {
    problems: RefCell<Vec<Problem>>,
    attrs: HashMap<&'static str, HashSet<&'static str>>,
    generated: bool,
    /// Open elements, and whether too deep nesting was reported already.
    depth: std::cell::Cell<(usize, bool)>,
}

impl Checker {
    fn push(&self, line: u64, message: String) {
        self.problems.borrow_mut().push(Problem {
            line: line.max(1) as usize,
            message,
        });
    }
}

impl TokenSink for Checker {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        match token {
            TagToken(tag) => {
                let name: &str = &tag.name;
                if !VOID.contains(&name) && !tag.self_closing {
                    let (depth, reported) = self.depth.get();
                    let depth = match tag.kind {
                        TagKind::StartTag => depth + 1,
                        TagKind::EndTag => depth.saturating_sub(1),
                    };
                    self.depth.set((depth, reported || depth > MAX_DEPTH));
                    if depth > MAX_DEPTH && !reported {
                        self.push(
                            line,
                            format!("raw HTML is nested more than {MAX_DEPTH} elements deep; simplify the page"),
                        );
                    }
                }
                if !ALLOWED_TAGS.contains(&name) {
                    // An end tag of a refused element was already reported at its start tag.
                    if tag.kind == TagKind::StartTag {
                        self.push(line, refused_element(name));
                    }
                    return TokenSinkResult::Continue;
                }
                for attr in &tag.attrs {
                    let attr_name: &str = &attr.name.local;
                    let value: &str = &attr.value;
                    let allowed = GENERIC_ATTRIBUTES.contains(&attr_name)
                        || self.attrs.get(name).is_some_and(|set| set.contains(attr_name))
                        || (self.generated && attr_name == "style" && is_text_align(name, value));
                    if !allowed {
                        self.push(line, refused_attribute(name, attr_name));
                    } else if URL_ATTRIBUTES.contains(&attr_name) && !url_is_safe(value) {
                        self.push(
                            line,
                            format!(
                                "raw HTML `<{name} {attr_name}=\"{}\">` uses a URL scheme that could run code or open local files; only http:, https:, mailto:, tel: and relative links are allowed",
                                shorten(value)
                            ),
                        );
                    }
                }
            }
            CharacterTokens(_) | CommentToken(_) | DoctypeToken(_) => {}
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

fn refused_element(name: &str) -> String {
    let why = match name {
        "script" => "scripts could run in a colleague's browser",
        "style" => "page-wide styles belong in the theme",
        "iframe" | "frame" | "frameset" | "object" | "embed" | "applet" | "portal" => {
            "embedded content could load and run anything"
        }
        "form" | "input" | "button" | "select" | "textarea" | "option" | "fieldset" | "label" | "output" => {
            "forms are written as ```form blocks"
        }
        "link" | "meta" | "base" => "it changes how the whole page loads",
        "svg" | "math" => "it can carry scripts and links the sanitiser cannot check",
        _ => "it is not in the list of elements a handbook page may use",
    };
    format!("raw HTML element `<{name}>` is not allowed: {why}")
}

fn refused_attribute(tag: &str, attr: &str) -> String {
    let why = if attr.starts_with("on") {
        "event handler attributes run scripts"
    } else if attr == "style" {
        "inline styles belong in the theme; use a class"
    } else {
        "it is not in the list of attributes a handbook page may use"
    };
    format!("raw HTML attribute `{attr}` on `<{tag}>` is not allowed: {why}")
}

fn shorten(value: &str) -> String {
    let mut s: String = value.chars().filter(|c| !c.is_control()).take(40).collect();
    if value.chars().count() > 40 {
        s.push('…');
    }
    s
}

fn is_text_align(tag: &str, value: &str) -> bool {
    matches!(tag, "th" | "td")
        && matches!(
            value.trim(),
            "text-align: left" | "text-align: center" | "text-align: right"
        )
}

/// `true` for relative URLs and URLs with an allowed scheme. Browsers ignore ASCII tabs and
/// newlines inside URLs and leading spaces and control characters, so those are dropped first.
/// Any other control character is refused outright: no real link needs one, and it only serves
/// to confuse URL parsers (found by fuzzing: `java\u{e}script:` passed as a relative URL).
pub fn url_is_safe(value: &str) -> bool {
    if value
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return false;
    }
    let cleaned: String = value.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let cleaned = cleaned.trim_start_matches(|c: char| c <= ' ');
    // The scheme is whatever precedes the first `:` before any `/`, `?` or `#`.
    let end = cleaned.find(['/', '?', '#']).unwrap_or(cleaned.len());
    match cleaned[..end].find(':') {
        None => true,
        Some(colon) => {
            let scheme = cleaned[..colon].to_ascii_lowercase();
            URL_SCHEMES.contains(&scheme.as_str())
        }
    }
}

/// A placeholder marker for HTML handbok generated itself. U+F8FF is a private-use character;
/// a page whose text produces it is refused by [`sanitize_page`] so placeholders can't be forged.
pub const SENTINEL: char = '\u{f8ff}';

/// The placeholder for the `index`-th piece of generated HTML on a page.
pub fn placeholder(index: usize) -> String {
    format!("{SENTINEL}{index}{SENTINEL}")
}

/// Why [`sanitize_page`] could not produce a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SanitizeError {
    /// The page's text contains the placeholder character U+F8FF.
    ReservedCharacter,
}

fn builder() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::empty();
    b.tags(ALLOWED_TAGS.iter().copied().collect())
        .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
        .tag_attributes({
            let mut attrs = tag_attributes();
            attrs.entry("td").or_default().insert("style");
            attrs.entry("th").or_default().insert("style");
            attrs
        })
        .url_schemes(URL_SCHEMES.iter().copied().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(None)
        .strip_comments(true)
        .clean_content_tags(["script", "style"].into_iter().collect())
        .attribute_filter(|element, attribute, value| {
            if attribute == "style" && !is_text_align(element, value)
                || URL_ATTRIBUTES.contains(&attribute) && !url_is_safe(value)
            {
                None
            } else {
                Some(Cow::Borrowed(value))
            }
        });
    b
}

/// Sanitise a page's whole HTML. `generated` holds HTML handbok wrote itself; `html` refers to
/// each by [`placeholder`]. Everything else in `html` passes through ammonia with the allowed
/// subset; the placeholders are then replaced by the generated HTML.
pub fn sanitize_page(html: &str, generated: &[String]) -> Result<String, SanitizeError> {
    let cleaned = builder().clean(html).to_string();
    let found = cleaned.matches(SENTINEL).count();
    if found != 2 * generated.len() {
        return Err(SanitizeError::ReservedCharacter);
    }
    if generated.is_empty() {
        return Ok(cleaned);
    }
    let mut out = String::with_capacity(cleaned.len() + generated.iter().map(String::len).sum::<usize>());
    let mut rest = cleaned.as_str();
    let mut expected = 0usize;
    while let Some(start) = rest.find(SENTINEL) {
        out.push_str(&rest[..start]);
        let after = &rest[start + SENTINEL.len_utf8()..];
        let end = after.find(SENTINEL).ok_or(SanitizeError::ReservedCharacter)?;
        let index: usize = after[..end].parse().map_err(|_| SanitizeError::ReservedCharacter)?;
        if index != expected {
            return Err(SanitizeError::ReservedCharacter);
        }
        out.push_str(&generated[index]);
        expected += 1;
        rest = &after[end + SENTINEL.len_utf8()..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(html: &str) -> Vec<String> {
        check_raw_html(html).1
    }

    #[test]
    fn handbook_subset_passes() {
        let ok = [
            "<details><summary>Mer</summary>text</details>",
            "<abbr title=\"Lagen om anställningsskydd\">LAS</abbr>",
            "<sup>1</sup><sub>2</sub><kbd>Ctrl</kbd><br>",
            "<span class=\"viktigt\">x</span><div class=\"ruta\">y</div>",
            "<figure><img src=\"bilder/a.png\" alt=\"Logga\" width=\"20\" height=\"10\"><figcaption>F</figcaption></figure>",
            "<table><thead><tr><th scope=\"col\">A</th></tr></thead><tbody><tr><td colspan=\"2\">1</td></tr></tbody></table>",
            "<a href=\"https://alingsas.se\" title=\"Kommunen\">x</a> <a href=\"a.md#b\">y</a> <a href=\"mailto:hr@alingsas.se\">z</a>",
            "<dl><dt>Term</dt><dd>Def</dd></dl>",
            "<!-- en kommentar -->",
        ];
        for html in ok {
            assert_eq!(problems(html), Vec::<String>::new(), "{html}");
        }
    }

    #[test]
    fn unsafe_html_is_reported() {
        let bad = [
            ("<script>alert(1)</script>", "`<script>`"),
            ("<img src=x onerror=alert(1)>", "`onerror`"),
            ("<a href=\"javascript:alert(1)\">x</a>", "URL scheme"),
            ("<a href=\"  JaVa\tScRiPt:alert(1)\">x</a>", "URL scheme"),
            (
                "<a href=\"data:text/html,<script>alert(1)</script>\">x</a>",
                "URL scheme",
            ),
            ("<iframe src=\"https://x\"></iframe>", "`<iframe>`"),
            ("<object data=\"x\"></object>", "`<object>`"),
            ("<style>body{display:none}</style>", "`<style>`"),
            ("<form action=\"https://x\"><input name=a></form>", "`<form>`"),
            ("<input name=a>", "`<input>`"),
            ("<div style=\"color:red\">x</div>", "`style`"),
            ("<svg><script>alert(1)</script></svg>", "`<svg>`"),
            ("<a href=\"file:///etc/passwd\">x</a>", "URL scheme"),
        ];
        for (html, needle) in bad {
            let found = problems(html);
            assert!(found.iter().any(|p| p.contains(needle)), "{html}: {found:?}");
        }
    }

    #[test]
    fn problem_lines_are_counted_inside_the_fragment() {
        let found = find_problems("<div>\n<p>ok</p>\n<img src=x onerror=alert(1)>\n</div>", false);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, 3);
    }

    #[test]
    fn sanitize_removes_scripts_and_restores_placeholders() {
        let generated = vec!["<h2 id=\"a\">".to_string(), "</h2>".to_string()];
        let html = format!(
            "{}Rubrik{}<p onclick=\"x()\">a<script>alert(1)</script><a href=\"javascript:x\">l</a></p>",
            placeholder(0),
            placeholder(1)
        );
        let out = sanitize_page(&html, &generated).unwrap();
        assert_eq!(out, "<h2 id=\"a\">Rubrik</h2><p>a<a>l</a></p>");
    }

    #[test]
    fn forged_placeholders_are_refused() {
        let generated = vec!["<b>".to_string()];
        let html = format!("{}<p title=\"{}\">x</p>", placeholder(0), placeholder(0));
        assert_eq!(sanitize_page(&html, &generated), Err(SanitizeError::ReservedCharacter));
        let html = "<p>&#63743;0&#63743;</p>".to_string();
        assert_eq!(sanitize_page(&html, &[]), Err(SanitizeError::ReservedCharacter));
    }

    /// Fuzzing regression: a control character inside the scheme.
    #[test]
    fn control_characters_in_urls_are_refused_and_removed() {
        assert!(!url_is_safe("java\u{e}script:x"));
        assert!(!url_is_safe("a\u{0}.md"));
        assert!(url_is_safe(" a.md\n"));
        let html = "<div class=\"a\">\n<a href=\"java\u{e}script:x\">l</a></div>";
        assert!(find_problems(html, false)[0].message.contains("URL scheme"));
        let out = sanitize_page(html, &[]).unwrap();
        assert_eq!(out, "<div class=\"a\">\n<a>l</a></div>");
    }

    #[test]
    fn very_deep_nesting_is_refused_once() {
        let html = format!("{}x{}", "<div>".repeat(5000), "</div>".repeat(5000));
        let found = find_problems(&html, false);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.contains("nested more than"));
        let ok = format!("{}x{}", "<div>".repeat(MAX_DEPTH), "</div>".repeat(MAX_DEPTH));
        assert!(find_problems(&ok, false).is_empty());
    }

    #[test]
    fn table_alignment_from_markdown_survives() {
        let out = sanitize_page("<table><tr><td style=\"text-align: center\">x</td></tr></table>", &[]).unwrap();
        assert!(out.contains("style=\"text-align: center\""));
        let out = sanitize_page("<table><tr><td style=\"background:url(x)\">x</td></tr></table>", &[]).unwrap();
        assert!(!out.contains("style"));
    }
}
