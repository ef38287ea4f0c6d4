//! Front matter: split a page's text into the YAML between `---` lines and the Markdown body,
//! and parse the YAML into `FrontMatter`, keeping line numbers for diagnostics.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diag::Diagnostic;
use crate::yaml;

/// Everything a page may say about itself. Unknown keys are errors, so typos are caught.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// The page's title: its `h1`, its name in navigation and search.
    pub title: String,
    /// Sorts siblings: lower first; pages without `order` come after, by title.
    #[serde(default)]
    pub order: Option<i64>,
    /// One or two sentences shown under the title and in the meta description.
    #[serde(default)]
    pub description: Option<String>,
    /// The date the document was decided (beslutad), YYYY-MM-DD.
    #[serde(default)]
    pub decided: Option<String>,
    /// Who decided it (beslutad av), e.g. "FSG" or "Kommunstyrelsen".
    #[serde(default)]
    pub decided_by: Option<String>,
    /// How long it is valid (giltighetstid), e.g. "Tills vidare" or "2020–2021".
    #[serde(default)]
    pub valid: Option<String>,
    /// Who owns the document (dokumentägare).
    #[serde(default)]
    pub owner: Option<String>,
    /// When it was last revised (senast reviderad), YYYY-MM-DD.
    #[serde(default)]
    pub revised: Option<String>,
    /// A form page: how many A4 pages it prints on (checked by the browser tier).
    #[serde(default)]
    pub print_pages: Option<u32>,
    /// Pages printed together with this one in its print view (the talk's guide and forms),
    /// relative to this page, e.g. `[samtalsguide.md]`. Gives `<page>-utskrift.html`.
    #[serde(default)]
    pub print_with: Option<Vec<String>>,
    /// Periods drawn on a twelve-month year wheel on this page (see docs/forms.md).
    #[serde(default)]
    pub year_wheel: Option<Vec<crate::print::YearPeriod>>,
}

/// A page's text split at its front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// 1-based line of the first YAML line.
    pub yaml_line: usize,
    pub body: &'a str,
    /// 1-based line where the body starts.
    pub body_line: usize,
}

/// Split `text` (already LF-normalised) at its front matter. `None` when it has none.
pub fn split(text: &str) -> Option<Split<'_>> {
    let rest = text
        .strip_prefix("---\n")
        .or_else(|| if text == "---" { Some("") } else { None })?;
    let mut offset = 0;
    for (index, line) in rest.split_inclusive('\n').enumerate() {
        let trimmed = line.trim_end_matches('\n').trim_end();
        if trimmed == "---" || trimmed == "..." {
            return Some(Split {
                yaml: &rest[..offset],
                yaml_line: 2,
                body: &rest[offset + line.len()..],
                body_line: index + 3,
            });
        }
        offset += line.len();
    }
    None
}

/// Parse the YAML of a split page into `FrontMatter`, or diagnostics located in the file.
pub fn parse(split: &Split<'_>, path: &Path, full_text: &str) -> Result<FrontMatter, Diagnostic> {
    let located = |err: &yaml::YamlError| {
        let line = if err.line > 0 {
            err.line + split.yaml_line - 1
        } else {
            0
        };
        (line, err.column)
    };
    match yaml::parse::<FrontMatter>(split.yaml) {
        Ok(front) if front.title.trim().is_empty() => {
            let line = line_of_key(split, "title").unwrap_or(1);
            Err(Diagnostic::error(path, line, 0, "the title is empty")
                .with_source(full_text)
                .with_hint("write the page's title after `title:`"))
        }
        Ok(front) => Ok(front),
        Err(err) => {
            let (line, column) = located(&err);
            let d = if let Some((name, expected)) = &err.unknown_field {
                let line = line_of_key(split, name).unwrap_or(line);
                let hint = match yaml::closest(name, expected) {
                    Some(best) => format!("did you mean `{best}`? Allowed keys: {}", expected.join(", ")),
                    None => format!("allowed keys: {}", expected.join(", ")),
                };
                Diagnostic::error(path, line, 1, format!("unknown front matter key `{name}`")).with_hint(hint)
            } else if err.message.contains("missing field `title`") {
                Diagnostic::error(path, 1, 0, "the page has no title")
                    .with_hint("add a line `title: …` between the `---` lines at the top")
            } else {
                Diagnostic::error(path, line, column, format!("invalid front matter: {}", err.message))
                    .with_hint("front matter is YAML: one `key: value` per line; quote values that contain `:` or start with a special character")
            };
            Err(d.with_source(full_text))
        }
    }
}

/// The file line of a top-level YAML key, for pointing at it.
fn line_of_key(split: &Split<'_>, key: &str) -> Option<usize> {
    split
        .yaml
        .lines()
        .position(|l| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .map(|i| i + split.yaml_line)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_counts_lines() {
        let text = "---\ntitle: A\norder: 2\n---\n# Body\n";
        let s = split(text).unwrap();
        assert_eq!(s.yaml, "title: A\norder: 2\n");
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn no_front_matter() {
        assert_eq!(split("# Rubrik\n"), None);
        assert_eq!(split("---\ntitle: never closed\n"), None);
    }

    #[test]
    fn unknown_key_points_at_its_line_with_suggestion() {
        let text = "---\ntitle: A\nordr: 2\n---\n";
        let s = split(text).unwrap();
        let d = parse(&s, Path::new("a.md"), text).unwrap_err();
        assert_eq!(d.line, 3);
        assert!(d.message.contains("`ordr`"));
        assert!(d.hint.unwrap().contains("did you mean `order`"));
    }

    #[test]
    fn missing_title() {
        let text = "---\norder: 1\n---\n";
        let s = split(text).unwrap();
        let d = parse(&s, Path::new("a.md"), text).unwrap_err();
        assert!(d.message.contains("no title"));
    }
}
