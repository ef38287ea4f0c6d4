//! The theme: the default theme compiled into the binary, overridden file by file from
//! `--theme DIR`; Tera 2 set up with its templates and components; the UI string table for the
//! site's language. Every word the reader sees that is not content comes from the string table,
//! and every piece of markup a designer might change is a template or component: page chrome in
//! `components.html`, heading anchors in `markdown.html`, form fields in `form.html`, the year
//! wheel in `year-wheel.html`. Templates have one filter of handbok's own, `hyphenate`: soft
//! hyphens in the long words of a title shown in a narrow place (menus, headings).

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde::{Deserialize, Serialize};
use walkdir::WalkDir;

use crate::diag::{Diagnostic, Diagnostics, Message};
use crate::hyphenate::Hyphenator;
use crate::yaml;

macro_rules! embed {
    ($($path:literal),* $(,)?) => {
        &[$(($path, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/", $path)) as &[u8])),*]
    };
}

/// Every file of the default theme, by its path inside the theme folder.
pub const DEFAULT_THEME: &[(&str, &[u8])] = embed![
    "strings.yml",
    "templates/base.html",
    "templates/components.html",
    "templates/markdown.html",
    "templates/form.html",
    "templates/year-wheel.html",
    "templates/page.html",
    "templates/print-view.html",
    "templates/search.html",
    "templates/accessibility.html",
    "templates/changes.html",
    "templates/version.html",
    "templates/section-list.html",
    "css/handbok.css",
    "css/forms.css",
    "css/print.css",
    "js/form.js",
    "css/search.css",
    "js/search-text.js",
    "js/search-shards.js",
    "js/search-sections.js",
    "js/search.js",
    "js/mark.js",
];

/// A loaded theme: templates ready to render, assets to copy, strings for one language.
pub struct Theme {
    /// The templates and components.
    pub tera: tera::Tera,
    /// Output path (under `assets/`) → bytes, for CSS, JS and images.
    pub assets: BTreeMap<String, Vec<u8>>,
    /// UI strings for the site's language.
    pub strings: Strings,
    /// The site's language (`sv` or `en`), for typography.
    pub language: String,
    /// Soft hyphens for the site's language, for headings, menus and form labels.
    pub hyphenator: Hyphenator,
    /// `t` (the strings), for components rendered on their own.
    implicits: tera::Context,
}

/// One entry of the string table: a text, or a list of texts (the month names).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(untagged)]
pub enum UiString {
    /// A text.
    Text(String),
    /// A list of texts.
    List(Vec<String>),
}

/// The UI strings of one language, by key. Templates see them as `t`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Strings(BTreeMap<String, UiString>);

/// The string table words diagnostics and every other [`Message`].
impl crate::diag::Catalogue for Strings {
    fn template(&self, key: &str) -> Option<&str> {
        match self.0.get(key) {
            Some(UiString::Text(s)) => Some(s),
            _ => None,
        }
    }
}

impl Strings {
    /// The text under `key`, or the key itself when the table has no text there (so a missing
    /// string shows up as a visible key, never as nothing).
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        match self.0.get(key) {
            Some(UiString::Text(s)) => s,
            _ => key,
        }
    }

    /// The list under `key`, empty when there is none.
    pub fn list(&self, key: &str) -> &[String] {
        match self.0.get(key) {
            Some(UiString::List(items)) => items,
            _ => &[],
        }
    }
}

/// Where theme assets go in the output.
pub const ASSET_DIR: &str = "assets";

impl Theme {
    /// Load the default theme with `overrides` (a folder mirroring `themes/default/`) on top.
    pub fn load(overrides: Option<&Path>, language: &str, diags: &mut Diagnostics) -> Option<Theme> {
        let mut files: BTreeMap<String, (String, Vec<u8>)> = DEFAULT_THEME
            .iter()
            .map(|(p, b)| (p.to_string(), (format!("(built-in theme)/{p}"), b.to_vec())))
            .collect();
        if let Some(dir) = overrides {
            read_overrides(dir, &mut files, diags)?;
        }
        let errors_before = diags.error_count();
        let mut tera = tera::Tera::new();
        tera.autoescape_on(vec![".html"]);
        let hyphenator = Hyphenator::for_language(language);
        // Text only: HTML already marked safe is passed through as it is.
        tera.register_filter(
            "hyphenate",
            move |text: tera::StringInput, _: tera::Kwargs, _: &tera::State| {
                if text.is_safe() {
                    text.into_value()
                } else {
                    tera::Value::from(hyphenator.hyphenate_text(text.as_str()))
                }
            },
        );
        let mut templates: Vec<(&String, String)> = Vec::new();
        for (path, (shown, bytes)) in &files {
            if path.starts_with("templates/") {
                match String::from_utf8(bytes.clone()) {
                    Ok(text) => templates.push((path, text)),
                    Err(_) => diags.push(Diagnostic::error(shown, 0, 0, Message::new("theme_template_not_utf8"))),
                }
            }
        }
        let named: Vec<(&str, &str)> = templates
            .iter()
            .map(|(p, t)| (p.strip_prefix("templates/").unwrap_or(p), t.as_str()))
            .collect();
        if let Err(err) = tera.add_raw_templates(named) {
            diags.push(
                Diagnostic::error(
                    "(theme templates)",
                    0,
                    0,
                    Message::new("theme_template_error").arg("reason", tera_error_text(&err)),
                )
                .with_hint(Message::new("theme_template_error_hint")),
            );
        }
        let strings = match files.get("strings.yml") {
            Some((shown, bytes)) => parse_strings(shown, bytes, language, diags),
            None => Strings::default(),
        };
        let assets = files
            .iter()
            .filter(|(p, _)| !p.starts_with("templates/") && p.as_str() != "strings.yml")
            .map(|(p, (_, b))| {
                let out = p.strip_prefix("css/").or_else(|| p.strip_prefix("js/")).unwrap_or(p);
                (format!("{ASSET_DIR}/{out}"), minified(out, b))
            })
            .collect();
        let mut implicits = tera::Context::new();
        implicits.insert("t", &strings);
        (diags.error_count() == errors_before).then_some(Theme {
            tera,
            assets,
            strings,
            language: language.to_string(),
            hyphenator,
            implicits,
        })
    }

    /// The built-in theme alone, for tools and tests that render without a theme folder.
    pub fn builtin(language: &str) -> Option<Theme> {
        Theme::load(None, language, &mut Diagnostics::new())
    }

    /// Render the component `name` with `args` (and the strings as `t`), as Markdown, forms and
    /// the year wheel do; the error is Tera's, on one line.
    pub fn component(&self, name: &str, args: &tera::Context) -> Result<String, String> {
        self.tera
            .render_component_with_implicits(name, args, &self.implicits, None, true)
            .map_err(|e| tera_error_text(&e))
    }
}

/// CSS and JS without comments and indentation: about a third fewer bytes on every page load.
/// Anything the minifier cannot parse (or that would not be UTF-8) is shipped as written.
fn minified(name: &str, bytes: &[u8]) -> Vec<u8> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return bytes.to_vec();
    };
    let small = if name.ends_with(".css") {
        minifier::css::minify(text).ok().map(|m| m.to_string())
    } else if name.ends_with(".js") {
        minifier::js::minify(text).ok().map(|m| m.to_string())
    } else {
        None
    };
    match small {
        Some(small) if !small.is_empty() || text.trim().is_empty() => small.into_bytes(),
        _ => bytes.to_vec(),
    }
}

fn read_overrides(dir: &Path, files: &mut BTreeMap<String, (String, Vec<u8>)>, diags: &mut Diagnostics) -> Option<()> {
    if !dir.is_dir() {
        diags.push(
            Diagnostic::error(dir, 0, 0, Message::new("theme_folder_missing"))
                .with_hint(Message::new("theme_folder_missing_hint")),
        );
        return None;
    }
    for entry in WalkDir::new(dir).follow_links(false).sort_by_file_name() {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                diags.push(Diagnostic::error(
                    dir,
                    0,
                    0,
                    Message::new("theme_folder_unreadable").arg("reason", err),
                ));
                continue;
            }
        };
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel.split('/').any(|s| s.starts_with('.')) {
            continue;
        }
        match fs::read(entry.path()) {
            Ok(bytes) => {
                files.insert(rel, (entry.path().display().to_string(), bytes));
            }
            Err(err) => diags.push(Diagnostic::error(
                entry.path(),
                0,
                0,
                Message::new("theme_file_unreadable").arg("reason", err),
            )),
        }
    }
    Some(())
}

type StringTable = BTreeMap<String, BTreeMap<String, UiString>>;

fn parse_strings(shown: &str, bytes: &[u8], language: &str, diags: &mut Diagnostics) -> Strings {
    let text = String::from_utf8_lossy(bytes);
    let table: StringTable = match yaml::parse(&text) {
        Ok(t) => t.value,
        Err(err) => {
            let d = match err.limit {
                Some(limit) => Diagnostic::error(shown, err.line, err.column, limit.message).with_hint(limit.hint),
                None => Diagnostic::error(
                    shown,
                    err.line,
                    err.column,
                    Message::new("theme_strings_invalid").arg("reason", err.message),
                ),
            };
            diags.push(d);
            return Strings::default();
        }
    };
    // Start from Swedish so a string missing in another language still reads sensibly.
    let mut strings = table.get("sv").cloned().unwrap_or_default();
    match table.get(language) {
        Some(chosen) => strings.extend(chosen.clone()),
        None => diags.push(
            Diagnostic::error(
                shown,
                0,
                0,
                Message::new("theme_strings_no_language").arg("language", language),
            )
            .with_hint(Message::new("theme_strings_no_language_hint").arg("language", language)),
        ),
    }
    Strings(strings)
}

/// Tera's error with its causes, on one line.
pub fn tera_error_text(err: &tera::Error) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::DEFAULT_THEME;

    /// The depth of `{ … }` nesting at the end of a stylesheet, outside comments and strings;
    /// `None` if a `}` closes nothing.
    fn unclosed_blocks(css: &str) -> Option<usize> {
        let mut depth = 0usize;
        let mut chars = css.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '/' if chars.peek() == Some(&'*') => {
                    chars.next();
                    let mut previous = ' ';
                    for c in chars.by_ref() {
                        if previous == '*' && c == '/' {
                            break;
                        }
                        previous = c;
                    }
                }
                '"' | '\'' => {
                    for s in chars.by_ref() {
                        if s == c {
                            break;
                        }
                    }
                }
                '{' => depth += 1,
                '}' => depth = depth.checked_sub(1)?,
                _ => {}
            }
        }
        Some(depth)
    }

    /// An unclosed `@media print {` once swallowed every rule after it, so the page history's
    /// screen styles applied only on paper.
    #[test]
    fn every_stylesheet_closes_each_block_it_opens() {
        for (path, bytes) in DEFAULT_THEME.iter().filter(|(p, _)| p.ends_with(".css")) {
            let css = std::str::from_utf8(bytes).expect("the theme's CSS is UTF-8");
            assert_eq!(unclosed_blocks(css), Some(0), "{path} has unbalanced braces");
        }
    }

    #[test]
    fn the_brace_count_sees_an_unclosed_block() {
        assert_eq!(unclosed_blocks("@media print { a { color: red; }"), Some(1));
        assert_eq!(unclosed_blocks("a { content: \"}\"; } /* } */"), Some(0));
        assert_eq!(unclosed_blocks("a { } }"), None);
    }
}
