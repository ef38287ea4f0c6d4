//! Conformance: every example of the CommonMark specification 0.31.2 (`tests/commonmark/`)
//! through handbok's Markdown stage, compared with the specification's HTML after a
//! normalisation that covers only handbok's deliberate differences (each listed with its reason
//! in `docs/commonmark.md`):
//!
//! - heading ids and anchor links (`heading`): removed before comparing;
//! - typographic quotes outside code (`quotes`): ” and ’ compared as " and ';
//! - soft hyphens in long words outside code (`hyphens`): removed before comparing;
//! - local links rewritten to the output's names (`links`): both sides' relative URLs compared
//!   after the same rewriting (decoded, `.md` → `.html`, folders → `index.html`, slugged, from
//!   the site root);
//! - HTML comments, processing instructions and declarations are not passed on (`comments`);
//! - raw HTML outside the safe subset, and links with unsafe schemes, are refused with a located
//!   error (`refused`): such examples must give an error with a line, and are counted apart.
//!
//! Examples whose output differs for another listed reason (the extensions handbok enables, such
//! as tables and footnotes, changing how some text parses) are listed in `EXPLAINED` with that
//! reason; the test fails on any difference not listed, and on any listed one that no longer
//! differs. The same harness checks the GitHub Flavored Markdown extensions handbok adds, with
//! examples of our own (`EXTENSIONS`).

use std::collections::BTreeMap;
use std::path::Path;

use ego_tree::NodeRef;
use handbok::content::{FrontMatter, Page};
use handbok::markdown::links::Target;
use handbok::markdown::{Markdown, Source};
use scraper::{Html, Node};

use crate::support::{repo_root, theme};

/// One example of the specification.
struct Example {
    number: usize,
    section: String,
    markdown: String,
    html: String,
}

/// The examples of `spec.txt`, as the specification's own tools extract them: between a line of
/// 32 backquotes and ` example`, and a line of 32 backquotes, with `.` between input and output
/// and `→` standing for a tab.
fn examples() -> Vec<Example> {
    let text = std::fs::read_to_string(repo_root().join("tests/commonmark/spec.txt")).unwrap();
    let text = text.split("<!-- END TESTS -->").next().unwrap();
    let fence = "`".repeat(32);
    let mut found = Vec::new();
    let mut section = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some(heading) = line.strip_prefix('#') {
            section = heading.trim_start_matches('#').trim().to_string();
        } else if line == format!("{fence} example") {
            let mut markdown = String::new();
            let mut html = String::new();
            let mut in_output = false;
            for line in lines.by_ref() {
                if line == fence {
                    break;
                }
                if line == "." && !in_output {
                    in_output = true;
                    continue;
                }
                let target = if in_output { &mut html } else { &mut markdown };
                target.push_str(&line.replace('→', "\t"));
                target.push('\n');
            }
            found.push(Example {
                number: found.len() + 1,
                section: section.clone(),
                markdown,
                html,
            });
        }
    }
    found
}

/// `markdown` as the body of a page at the site's root.
fn render(markdown: &str) -> Markdown {
    let page = Page {
        source: "sida.md".into(),
        output: "sida.html".into(),
        front: FrontMatter {
            title: "Sida".into(),
            ..FrontMatter::default()
        },
        keys: Default::default(),
        body_start: 0,
        body_line: 1,
    };
    let source = Source {
        page: &page,
        text: markdown,
        path: Path::new("sida.md"),
    };
    handbok::markdown::render(&source, theme())
}

/// A local URL after the rewriting handbok does to links: decoded, from the site root, `.md` →
/// `.html`, a folder → its `index.html`, each part slugged. Other URLs as they are.
fn canonical_url(url: &str) -> String {
    let has_scheme = url
        .split_once(':')
        .is_some_and(|(s, _)| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)));
    if has_scheme || url.starts_with('#') || url.starts_with("//") || url.is_empty() {
        return url.to_string();
    }
    let (before, fragment) = url.split_once('#').map_or((url, None), |(p, f)| (p, Some(f)));
    let (path, query) = before.split_once('?').map_or((before, None), |(p, q)| (p, Some(q)));
    let decoded = handbok::paths::percent_decode(path).into_owned();
    let mut path = match handbok::paths::join_normalised("", &decoded) {
        Some(p) => p,
        None => return url.to_string(),
    };
    if decoded.ends_with('/') || path.is_empty() {
        path = if path.is_empty() {
            "index.md".into()
        } else {
            format!("{path}/index.md")
        };
    }
    let mut out = if path.is_empty() {
        String::new()
    } else {
        handbok::paths::output_path(&path)
    };
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(&handbok::paths::percent_decode(f));
    }
    out
}

/// `html` parsed and written back in a canonical form, with handbok's deliberate differences
/// taken out (see the module documentation).
fn normalise(html: &str) -> String {
    let doc = Html::parse_fragment(html);
    let mut out = String::new();
    for child in doc.root_element().children() {
        write_node(child, false, &mut out);
    }
    out
}

fn write_node(node: NodeRef<'_, Node>, in_code: bool, out: &mut String) {
    match node.value() {
        Node::Text(text) => {
            if text.trim().is_empty() && !in_code {
                return;
            }
            let text: String = if in_code {
                text.to_string()
            } else {
                text.replace('”', "\"").replace('’', "'").replace('\u{ad}', "")
            };
            out.push_str(&escape(&text));
        }
        Node::Element(element) => {
            let name = element.name();
            let heading = matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
            if name == "a" && element.attr("class") == Some("heading-anchor") {
                return;
            }
            let mut attrs: Vec<(String, String)> = element
                .attrs()
                .filter(|(k, _)| !(heading && *k == "id"))
                .map(|(k, v)| {
                    let v = match k {
                        "href" | "src" => canonical_url(v),
                        "alt" if !in_code => v.replace('”', "\"").replace('’', "'"),
                        _ => v.to_string(),
                    };
                    (k.to_string(), v)
                })
                .collect();
            attrs.sort();
            out.push('<');
            out.push_str(name);
            for (k, v) in attrs {
                out.push_str(&format!(" {k}=\"{}\"", escape(&v)));
            }
            out.push('>');
            let code = in_code || matches!(name, "code" | "pre");
            for child in node.children() {
                write_node(child, code, out);
            }
            out.push_str(&format!("</{name}>"));
        }
        // Comments are not passed on: compared without them.
        _ => {}
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// How an example came out.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Equal,
    /// Refused with a located error (raw HTML outside the subset, an unsafe link).
    Refused,
    /// Different; the normalised expected and actual HTML.
    Differs(String, String),
}

fn outcome(example: &Example) -> Outcome {
    let result = render(&example.markdown);
    let unsafe_link = result
        .rendered
        .links
        .iter()
        .any(|l| matches!(l.target, Target::Unsafe(_)));
    let errors: Vec<_> = result.diagnostics.iter().filter(|d| d.is_error()).collect();
    if !errors.is_empty() || unsafe_link {
        assert!(
            errors.iter().all(|d| d.line > 0),
            "example {}: an error without a line",
            example.number
        );
        return Outcome::Refused;
    }
    let expected = normalise(&example.html);
    let actual = normalise(&result.rendered.html);
    if expected == actual {
        Outcome::Equal
    } else {
        Outcome::Differs(expected, actual)
    }
}

#[test]
fn commonmark_examples() {
    let examples = examples();
    assert_eq!(examples.len(), 652, "the specification has 652 examples");
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut report = String::new();
    for example in &examples {
        match outcome(example) {
            Outcome::Equal => *counts.entry("equal").or_default() += 1,
            Outcome::Refused => {
                *counts.entry("refused").or_default() += 1;
                if std::env::var("HANDBOK_COMMONMARK_VERBOSE").is_ok() {
                    let r = render(&example.markdown);
                    let first = r
                        .diagnostics
                        .first()
                        .map(|d| d.message.words(crate::support::english()))
                        .unwrap_or_else(|| "unsafe link".into());
                    println!("refused #{} ({}): {first}", example.number, example.section);
                }
            }
            Outcome::Differs(expected, actual) => {
                *counts.entry("differs").or_default() += 1;
                report.push_str(&format!(
                    "\n#{} ({}):\n{:?}\nexpected {expected}\nactual   {actual}\n",
                    example.number, example.section, example.markdown
                ));
            }
        }
    }
    println!("{counts:?}");
    assert!(report.is_empty(), "{counts:?}{report}");
}

/// The GitHub Flavored Markdown extensions handbok enables, as examples of our own: input and
/// the HTML it must give (after the same normalisation as the specification's examples).
const EXTENSIONS: &[(&str, &str, &str)] = &[
    (
        "table",
        "| Insats | Datum |\n|:--|--:|\n| Kurs | 2026-01-01 |\n",
        "<table><thead><tr><th style=\"text-align: left\">Insats</th><th style=\"text-align: right\">Datum</th></tr></thead>\
         <tbody><tr><td style=\"text-align: left\">Kurs</td><td style=\"text-align: right\">2026-01-01</td></tr></tbody></table>",
    ),
    ("strikethrough", "Gammal ~~regel~~ ny.\n", "<p>Gammal <del>regel</del> ny.</p>"),
    (
        "task list",
        "- [ ] Boka rum\n- [x] Skicka kallelse\n",
        "<ul><li><input type=\"checkbox\" class=\"uppgift\" id=\"uppgift\"><label class=\"uppgift-text\" for=\"uppgift\">Boka rum</label></li>\
         <li><input type=\"checkbox\" class=\"uppgift\" id=\"uppgift-2\" checked><label class=\"uppgift-text\" for=\"uppgift-2\">Skicka kallelse</label></li></ul>",
    ),
    (
        "loose task list",
        "- [ ] Boka rum\n\n  Gärna med fönster.\n- [ ] Kalla\n",
        "<ul><li><p><input type=\"checkbox\" class=\"uppgift\" id=\"uppgift\"><label class=\"uppgift-text\" for=\"uppgift\">Boka rum</label></p>\
         <p>Gärna med fönster.</p></li><li><p><input type=\"checkbox\" class=\"uppgift\" id=\"uppgift-2\"><label class=\"uppgift-text\" for=\"uppgift-2\">Kalla</label></p></li></ul>",
    ),
    (
        "alert",
        "> [!WARNING]\n> Glöm inte.\n",
        "<div class=\"callout callout-warning\" role=\"note\"><p class=\"callout-title\">Varning</p><p>Glöm inte.</p></div>",
    ),
    (
        "plain block quote",
        "> Citat.\n",
        "<blockquote><p>Citat.</p></blockquote>",
    ),
    (
        "definition list",
        "Term\n: Förklaring.\n",
        "<dl><dt>Term</dt><dd>Förklaring.</dd></dl>",
    ),
    (
        "footnote",
        "Text[^a].\n\n[^a]: Noten.\n",
        "<p>Text<sup class=\"fotnot-ref\"><a href=\"#fotnot-1\" id=\"fotnot-ref-1\" aria-describedby=\"fotnoter\">1</a></sup>.</p>\
         <section class=\"fotnoter\" aria-labelledby=\"fotnoter\"><h2 id=\"fotnoter\">Fotnoter</h2><ol><li id=\"fotnot-1\">\
         <p>Noten. <a href=\"#fotnot-ref-1\" class=\"fotnot-tillbaka\" aria-label=\"Tillbaka till texten\">↩</a></p></li></ol></section>",
    ),
    (
        "heading attributes",
        "## Rubrik {#eget .klass}\n",
        "<h2 class=\"klass\">Rubrik</h2>",
    ),
    (
        "e-mail autolink",
        "<hr@kommun.se>\n",
        "<p><a href=\"mailto:hr@kommun.se\">hr@kommun.se</a></p>",
    ),
];

#[test]
fn github_flavoured_extensions() {
    for (name, markdown, expected) in EXTENSIONS {
        let result = render(markdown);
        assert!(result.diagnostics.is_empty(), "{name}: {:?}", result.diagnostics);
        assert_eq!(normalise(&result.rendered.html), normalise(expected), "{name}");
    }
}
