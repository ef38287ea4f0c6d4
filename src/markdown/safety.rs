//! Raw HTML safety. Raw HTML written in Markdown may use a small, safe subset of HTML (the
//! elements and attributes a handbook needs, see [`ALLOWED_TAGS`] and [`tag_attributes`]).
//!
//! The decision (documented in docs/security.md): anything outside the subset is **refused**: the
//! build fails with an error naming the file and line, and nothing is written. Silently removing a
//! script would hide from the editor that the page does not show what they wrote.
//!
//! Two layers:
//! 1. [`check_fragment`] tokenizes each raw HTML fragment (a whole HTML block, or one inline tag)
//!    with html5ever and reports every element, attribute or URL outside the subset with its
//!    line, and every tag or comment that is never closed (the browser would swallow the text
//!    after it); it also returns the ids the fragment sets, which links may point at.
//! 2. `sanitize::sanitize_page` runs the page's whole HTML through `ammonia` with the same
//!    subset, so even a construction the first layer misses (say a tag split across Markdown
//!    events) never reaches the output.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use crate::diag::Message;

use html5ever::tokenizer::{
    BufferQueue, CharacterTokens, CommentToken, DoctypeToken, ParseError, TagKind, TagToken, Token, TokenSink,
    TokenSinkResult, Tokenizer, TokenizerOpts,
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
pub(super) const URL_ATTRIBUTES: &[&str] = &["href", "src", "cite"];

/// What checking a raw HTML fragment found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Checked {
    /// Everything outside the subset, and constructs that would swallow text.
    pub problems: Vec<Problem>,
    /// The ids the fragment's allowed elements set.
    pub ids: Vec<String>,
}

/// Check one raw HTML fragment as written by the author.
pub fn check_fragment(html: &str) -> Checked {
    let checker = tokenize(html, false);
    let mut problems = checker.problems.into_inner();
    if let Some(state) = checker.unclosed.into_inner() {
        problems.push(unclosed(html, &state));
    }
    Checked {
        problems,
        ids: checker.ids.into_inner(),
    }
}

/// One thing in raw HTML outside the allowed subset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line inside the checked fragment.
    pub line: usize,
    /// What is outside the subset.
    pub message: crate::diag::Message,
    /// What to look for on that line to point at the problem (`onclick`, `<script`): the
    /// tokenizer gives lines, not columns.
    pub needle: Option<String>,
}

/// Tokenize `html` and list everything the sanitiser would remove. `generated` allows what
/// pulldown-cmark itself writes (`style="text-align: …"` on table cells).
pub fn find_problems(html: &str, generated: bool) -> Vec<Problem> {
    tokenize(html, generated).problems.into_inner()
}

fn tokenize(html: &str, generated: bool) -> Checker {
    let checker = Checker {
        problems: RefCell::new(Vec::new()),
        attrs: tag_attributes(),
        generated,
        depth: std::cell::Cell::new((0, false)),
        ids: RefCell::new(Vec::new()),
        unclosed: RefCell::new(None),
    };
    if !html.contains('<') {
        return checker;
    }
    let input = BufferQueue::default();
    input.push_back(html.into());
    let tokenizer = Tokenizer::new(checker, TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink
}

struct Checker {
    problems: RefCell<Vec<Problem>>,
    attrs: HashMap<&'static str, HashSet<&'static str>>,
    generated: bool,
    /// Open elements, and whether too deep nesting was reported already.
    depth: std::cell::Cell<(usize, bool)>,
    ids: RefCell<Vec<String>>,
    /// The tokenizer's state when the text ended inside a tag or comment.
    unclosed: RefCell<Option<String>>,
}

/// A tag or comment that the end of the fragment cut off: the browser drops it and every word
/// after it up to the next `>` (or `-->`), so the author's text would silently disappear.
fn unclosed(html: &str, state: &str) -> Problem {
    let comment = state.contains("Comment");
    let opener = if comment { "<!--" } else { "<" };
    let at = html.rfind(opener).unwrap_or(0);
    let line = html[..at].matches('\n').count() + 1;
    let shown: String = html[at..].chars().take(30).collect::<String>().replace('\n', " ");
    let message = if comment {
        Message::new("markdown_html_comment_unclosed").arg("shown", &shown)
    } else {
        Message::new("markdown_html_tag_unclosed").arg("shown", shown.trim())
    };
    Problem {
        line,
        message,
        needle: Some(opener.to_string()),
    }
}

impl Checker {
    fn push(&self, line: u64, message: Message, needle: Option<String>) {
        self.problems.borrow_mut().push(Problem {
            line: line.max(1) as usize,
            message,
            needle,
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
                        self.push(line, Message::new("markdown_html_too_deep").arg("max", MAX_DEPTH), None);
                    }
                }
                if !ALLOWED_TAGS.contains(&name) {
                    // An end tag of a refused element was already reported at its start tag.
                    if tag.kind == TagKind::StartTag {
                        self.push(line, refused_element(name), Some(format!("<{name}")));
                    }
                    return TokenSinkResult::Continue;
                }
                for attr in &tag.attrs {
                    let attr_name: &str = &attr.name.local;
                    let value: &str = &attr.value;
                    if attr_name == "id" && tag.kind == TagKind::StartTag {
                        self.ids.borrow_mut().push(value.to_string());
                    }
                    let allowed = GENERIC_ATTRIBUTES.contains(&attr_name)
                        || self.attrs.get(name).is_some_and(|set| set.contains(attr_name))
                        || (self.generated && attr_name == "style" && is_text_align(name, value));
                    if !allowed {
                        self.push(line, refused_attribute(name, attr_name), Some(attr_name.to_string()));
                    } else if URL_ATTRIBUTES.contains(&attr_name) && !url_is_safe(value) {
                        self.push(
                            line,
                            Message::new("markdown_html_unsafe_url")
                                .arg("name", name)
                                .arg("attr", attr_name)
                                .arg("value", shorten(value)),
                            Some(attr_name.to_string()),
                        );
                    }
                }
            }
            ParseError(message) if message.starts_with("Saw EOF in state") => {
                let state = message.trim_start_matches("Saw EOF in state ").to_string();
                let cut_off = ["Tag", "Attribute", "Comment", "SelfClosing"]
                    .iter()
                    .any(|s| state.contains(s));
                if cut_off {
                    self.unclosed.borrow_mut().get_or_insert(state);
                }
            }
            CharacterTokens(_) | CommentToken(_) | DoctypeToken(_) => {}
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

fn refused_element(name: &str) -> Message {
    let why = match name {
        "script" => "markdown_html_why_script",
        "style" => "markdown_html_why_style",
        "iframe" | "frame" | "frameset" | "object" | "embed" | "applet" | "portal" => "markdown_html_why_embed",
        "form" | "input" | "button" | "select" | "textarea" | "option" | "fieldset" | "label" | "output" => {
            "markdown_html_why_form"
        }
        "link" | "meta" | "base" => "markdown_html_why_loading",
        "svg" | "math" => "markdown_html_why_svg",
        _ => "markdown_html_why_element",
    };
    Message::new("markdown_html_refused_element")
        .arg("name", name)
        .arg_message("why", Message::new(why))
}

fn refused_attribute(tag: &str, attr: &str) -> Message {
    let why = if attr.starts_with("on") {
        "markdown_html_why_handler"
    } else if attr == "style" {
        "markdown_html_why_inline_style"
    } else {
        "markdown_html_why_attribute"
    };
    Message::new("markdown_html_refused_attribute")
        .arg("attr", attr)
        .arg("tag", tag)
        .arg_message("why", Message::new(why))
}

fn shorten(value: &str) -> String {
    let mut s: String = value.chars().filter(|c| !c.is_control()).take(40).collect();
    if value.chars().count() > 40 {
        s.push('…');
    }
    s
}

pub(super) fn is_text_align(tag: &str, value: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::sanitize::sanitize_page;

    fn problems(html: &str) -> Vec<String> {
        check_fragment(html)
            .problems
            .into_iter()
            .map(|p| p.message.english())
            .collect()
    }

    #[test]
    fn unclosed_tags_and_comments_are_problems_and_ids_are_kept() {
        let found = check_fragment("<div class=\"note\"\nText som annars försvinner.\n");
        assert_eq!(found.problems.len(), 1);
        assert_eq!(found.problems[0].line, 1);
        assert!(
            found.problems[0].message.english().contains("never closed with `>`"),
            "{found:?}"
        );
        let found = check_fragment("<p>x</p>\n<!-- dold\nText\n");
        assert_eq!(found.problems[0].line, 2);
        assert!(found.problems[0].message.english().contains("never closed with `-->`"));
        assert_eq!(
            check_fragment("<a id=\"mal\">x</a><span id='b'></span>").ids,
            ["mal", "b"]
        );
        assert!(check_fragment("<p>Hel</p>").problems.is_empty());
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

    /// Fuzzing regression: a control character inside the scheme.
    #[test]
    fn control_characters_in_urls_are_refused_and_removed() {
        assert!(!url_is_safe("java\u{e}script:x"));
        assert!(!url_is_safe("a\u{0}.md"));
        assert!(url_is_safe(" a.md\n"));
        let html = "<div class=\"a\">\n<a href=\"java\u{e}script:x\">l</a></div>";
        assert!(find_problems(html, false)[0].message.english().contains("URL scheme"));
        let out = sanitize_page(html, &[]).unwrap();
        assert_eq!(out, "<div class=\"a\">\n<a>l</a></div>");
    }

    #[test]
    fn very_deep_nesting_is_refused_once() {
        let html = format!("{}x{}", "<div>".repeat(5000), "</div>".repeat(5000));
        let found = find_problems(&html, false);
        assert_eq!(found.len(), 1);
        assert!(found[0].message.english().contains("nested more than"));
        let ok = format!("{}x{}", "<div>".repeat(MAX_DEPTH), "</div>".repeat(MAX_DEPTH));
        assert!(find_problems(&ok, false).is_empty());
    }
}
