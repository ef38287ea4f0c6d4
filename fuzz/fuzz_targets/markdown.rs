//! The Markdown-to-HTML pipeline (headings, links, form blocks, raw HTML check and sanitising).
//! Whatever the input, rendering must not panic, and the HTML must hold no script.
#![no_main]

use std::path::Path;

use handbok::content::{FrontMatter, Page};
use handbok::markdown::Source;
use handbok::theme::Theme;
use std::cell::RefCell;
use std::sync::OnceLock;

use html5ever::tokenizer::{BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
use libfuzzer_sys::fuzz_target;

struct Finder(RefCell<Option<String>>);

impl TokenSink for Finder {
    type Handle = ();
    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        if let Token::TagToken(tag) = token {
            if tag.kind == TagKind::StartTag {
                let name: &str = &tag.name;
                if matches!(
                    name,
                    "script"
                        | "iframe"
                        | "object"
                        | "embed"
                        | "style"
                        | "svg"
                        | "math"
                        | "base"
                        | "meta"
                        | "link"
                        | "frame"
                ) {
                    *self.0.borrow_mut() = Some(format!("<{name}>"));
                }
                for attr in &tag.attrs {
                    let attr_name: &str = &attr.name.local;
                    // As the WHATWG URL parser reads it: leading and trailing C0 controls and
                    // spaces trimmed, tabs and newlines removed anywhere.
                    let value: String = attr
                        .value
                        .trim_matches(|c: char| c <= ' ')
                        .chars()
                        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
                        .collect::<String>()
                        .to_ascii_lowercase();
                    // handbok's own style attributes: table alignment, and a form area's
                    // number of ruled lines (`--lines: N`, N a bounded integer).
                    let own_style = value.starts_with("text-align:")
                        || value
                            .strip_prefix("--lines:")
                            .is_some_and(|n| !n.trim().is_empty() && n.trim().bytes().all(|b| b.is_ascii_digit()));
                    if attr_name.starts_with("on") || attr_name == "style" && !own_style {
                        *self.0.borrow_mut() = Some(format!("{attr_name} on <{name}>"));
                    }
                    if matches!(attr_name, "href" | "src" | "action" | "formaction" | "cite")
                        && ["javascript:", "data:", "vbscript:", "file:"]
                            .iter()
                            .any(|s| value.starts_with(s))
                    {
                        *self.0.borrow_mut() = Some(format!("{attr_name}={value}"));
                    }
                }
            }
        }
        TokenSinkResult::Continue
    }
}

fn unsafe_in(html: &str) -> Option<String> {
    let input = BufferQueue::default();
    input.push_back(html.into());
    let tokenizer = Tokenizer::new(Finder(RefCell::new(None)), TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.0.into_inner()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let page = Page {
        source: "avsnitt/sida.md".into(),
        output: "avsnitt/sida.html".into(),
        front: FrontMatter {
            title: "Sida".into(),
            ..FrontMatter::default()
        },
        keys: Default::default(),
        body_start: 0,
        body_line: 1,
    };
    static THEME: OnceLock<Theme> = OnceLock::new();
    let theme = THEME.get_or_init(|| Theme::builtin("sv").expect("the built-in theme loads"));
    let source = Source {
        page: &page,
        text,
        path: Path::new("avsnitt/sida.md"),
    };
    let result = handbok::markdown::render(&source, theme);
    let rendered = &result.rendered;
    // Sanitised, as a browser would tokenize it: no script-capable element, no event handler,
    // no URL with a scheme that runs code.
    if let Some(bad) = unsafe_in(&rendered.html) {
        panic!("unsafe output ({bad}): {}", rendered.html);
    }
    for d in &result.diagnostics {
        let _ = d.to_string();
    }
});
