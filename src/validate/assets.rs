//! Files copied from the content folder are held to the rule for raw HTML: nothing that runs.
//! Opened on its own, an SVG or HTML file runs in the site's origin, so a script in it is as
//! dangerous as one in a page. Scripts (`.js`) are refused; HTML files must keep to the raw
//! HTML subset (`markdown::safety`); SVG files may not hold scripts, event handlers, embedded
//! documents, links with unsafe schemes, or styles that load from elsewhere.

use std::cell::RefCell;

use html5ever::tokenizer::{
    BufferQueue, CharacterTokens, TagKind, TagToken, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};

use crate::diag::{Diagnostic, Diagnostics, Message};
use crate::markdown::safety::{self, url_is_safe};
use crate::site::Site;

/// Check every asset that a browser would run code from.
pub(super) fn check(site: &Site, diags: &mut Diagnostics) {
    for asset in &site.assets {
        let ext = asset
            .source
            .rsplit_once('.')
            .map_or("", |(_, e)| e)
            .to_ascii_lowercase();
        let path = site.root.join(&asset.source);
        let text = || String::from_utf8_lossy(&asset.bytes).into_owned();
        let problems = match ext.as_str() {
            "js" | "mjs" | "cjs" => vec![safety::Problem {
                line: 0,
                message: Message::new("asset_script_file"),
                needle: None,
            }],
            "html" | "htm" | "xhtml" => safety::check_fragment(&text()).problems,
            "svg" => check_svg(&text()),
            _ => continue,
        };
        for p in problems {
            diags.push(
                Diagnostic::error(
                    &path,
                    p.line,
                    0,
                    Message::new("asset_problem").arg_message("reason", p.message),
                )
                .with_source(&text())
                .with_hint(Message::new("asset_problem_hint")),
            );
        }
    }
}

/// Elements that run scripts or embed other documents.
const REFUSED_ELEMENTS: &[&str] = &[
    "script",
    "foreignobject",
    "iframe",
    "embed",
    "object",
    "handler",
    "listener",
];

/// Attributes of animation elements that can set a link to `javascript:`.
const ANIMATED_VALUES: &[&str] = &["to", "from", "values", "by"];

/// The problems of an SVG file, each with its line.
pub(crate) fn check_svg(svg: &str) -> Vec<safety::Problem> {
    let sink = SvgChecker::default();
    let input = BufferQueue::default();
    input.push_back(svg.into());
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let _ = tokenizer.feed(&input);
    tokenizer.end();
    tokenizer.sink.problems.into_inner()
}

#[derive(Default)]
struct SvgChecker {
    problems: RefCell<Vec<safety::Problem>>,
    in_style: std::cell::Cell<bool>,
}

impl SvgChecker {
    fn push(&self, line: u64, message: Message) {
        self.problems.borrow_mut().push(safety::Problem {
            line: line.max(1) as usize,
            message,
            needle: None,
        });
    }
}

impl TokenSink for SvgChecker {
    type Handle = ();

    fn process_token(&self, token: Token, line: u64) -> TokenSinkResult<()> {
        match token {
            TagToken(tag) => {
                let name = tag.name.to_string().to_ascii_lowercase();
                if name == "style" {
                    self.in_style.set(tag.kind == TagKind::StartTag && !tag.self_closing);
                }
                if tag.kind == TagKind::EndTag {
                    return TokenSinkResult::Continue;
                }
                if REFUSED_ELEMENTS.contains(&name.as_str()) {
                    self.push(line, Message::new("asset_svg_element").arg("name", &name));
                }
                for attr in &tag.attrs {
                    let attr_name = attr.name.local.to_string().to_ascii_lowercase();
                    let value: &str = &attr.value;
                    let plain = value
                        .chars()
                        .filter(|c| !c.is_whitespace())
                        .collect::<String>()
                        .to_ascii_lowercase();
                    if attr_name.starts_with("on") {
                        self.push(
                            line,
                            Message::new("asset_svg_handler")
                                .arg("attr", &attr_name)
                                .arg("name", &name),
                        );
                    } else if attr_name.ends_with("href") && !url_is_safe(value) {
                        self.push(
                            line,
                            Message::new("asset_svg_link")
                                .arg("attr", &attr_name)
                                .arg("value", value)
                                .arg("name", &name),
                        );
                    } else if ANIMATED_VALUES.contains(&attr_name.as_str()) && plain.contains("javascript:") {
                        self.push(line, Message::new("asset_svg_animation").arg("name", &name));
                    }
                }
            }
            CharacterTokens(text) if self.in_style.get() => {
                let css = text.to_ascii_lowercase();
                let loads = css.contains("@import")
                    || css.match_indices("url(").any(|(at, _)| {
                        let target = css[at + 4..].trim_start_matches(['\'', '"', ' ']);
                        !(target.starts_with('#') || target.starts_with("data:"))
                    });
                if loads {
                    self.push(line, Message::new("asset_svg_style_loads"));
                }
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drawings_pass_and_scripts_do_not() {
        let logo = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">\n\
                    <style>.a{fill:#005;}</style><defs><linearGradient id=\"g\"/></defs>\n\
                    <a href=\"https://alingsas.se\"><rect class=\"a\" width=\"10\" height=\"10\" fill=\"url(#g)\"/></a></svg>";
        assert_eq!(check_svg(logo), Vec::new());
        for (bad, line) in [
            ("<svg>\n<script>alert(1)</script></svg>", 2),
            ("<svg><rect onload=\"alert(1)\"/></svg>", 1),
            ("<svg><a href=\"javascript:alert(1)\"><text>x</text></a></svg>", 1),
            (
                "<svg>\n\n<foreignObject><iframe src=x></iframe></foreignObject></svg>",
                3,
            ),
            (
                "<svg><a><set attributeName=\"href\" to=\"java script:alert(1)\"/></a></svg>",
                1,
            ),
            ("<svg><style>@import url(https://x.se/a.css);</style></svg>", 1),
        ] {
            let found = check_svg(bad);
            assert!(!found.is_empty(), "{bad}");
            assert_eq!(found[0].line, line, "{bad}");
        }
    }
}
