//! Front matter: split a page's text into the YAML between `---` lines and the Markdown body,
//! and parse the YAML into `FrontMatter` with the file line of every key.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Message};
use crate::yaml::{self, KeyIndex};

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
    pub year_wheel: Option<Vec<YearPeriod>>,
}

impl FrontMatter {
    /// The document information a policy shows (beslutad, beslutad av, giltighetstid,
    /// dokumentägare, senast reviderad): each given field as (string table key, value).
    pub fn document_info(&self) -> Vec<(&'static str, &str)> {
        [
            ("decided", &self.decided),
            ("decided_by", &self.decided_by),
            ("valid", &self.valid),
            ("owner", &self.owner),
            ("revised", &self.revised),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.as_deref().map(|v| (key, v)))
        .collect()
    }
}

/// One period on the year wheel, from front matter `year_wheel`. Months are 1–12; a period
/// whose `to` is before its `from` runs over the new year.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct YearPeriod {
    /// What happens in the period, e.g. "Utvecklingssamtal".
    pub label: String,
    /// First month, 1–12.
    pub from: u8,
    /// Last month, 1–12.
    pub to: u8,
}

impl YearPeriod {
    /// Months within 1–12 and a label that is not empty.
    pub fn is_valid(&self) -> bool {
        (1..=12).contains(&self.from) && (1..=12).contains(&self.to) && !self.label.trim().is_empty()
    }
}

/// A page's text split at its front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines.
    pub yaml: &'a str,
    /// 1-based line of the first YAML line.
    pub yaml_line: usize,
    /// The Markdown after the closing line.
    pub body: &'a str,
    /// 1-based line where the body starts.
    pub body_line: usize,
}

/// `true` when `text` starts a front matter block (its first line is `---`), closed or not.
pub fn opens(text: &str) -> bool {
    text.starts_with("---\n") || text.trim_end() == "---"
}

/// Split `text` (already LF-normalised) at its front matter. `None` when it has none, or when
/// its closing `---` line is missing (see [`opens`]).
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

/// Parse the YAML of a split page into `FrontMatter` and the file lines of its keys, or a
/// diagnostic located in the file.
pub fn parse(split: &Split<'_>, path: &Path, full_text: &str) -> Result<(FrontMatter, KeyIndex), Diagnostic> {
    let shift = split.yaml_line - 1;
    match yaml::parse::<FrontMatter>(split.yaml) {
        Ok(parsed) => {
            let keys = parsed.keys.shifted(shift);
            if parsed.value.title.trim().is_empty() {
                let line = keys.get("title").map_or(1, |p| p.line);
                return Err(
                    Diagnostic::error(path, line, 0, Message::new("frontmatter_title_empty"))
                        .with_source(full_text)
                        .with_hint(Message::new("frontmatter_title_empty_hint")),
                );
            }
            Ok((parsed.value, keys))
        }
        Err(err) => {
            let line = if err.line > 0 { err.line + shift } else { 0 };
            let tab = split.yaml.lines().enumerate().find_map(|(i, l)| {
                l.find('\t')
                    .map(|at| (i + split.yaml_line, l[..at].chars().count() + 1))
            });
            let d = if let Some(limit) = &err.limit {
                Diagnostic::error(path, line, err.column, limit.message.clone()).with_hint(limit.hint.clone())
            } else if let Some((tab_line, tab_column)) = tab {
                Diagnostic::error(path, tab_line, tab_column, Message::new("frontmatter_tab"))
                    .with_hint(Message::new("frontmatter_tab_hint"))
            } else if let Some((name, expected)) = &err.unknown_field {
                let hint = match yaml::closest(name, expected) {
                    Some(best) => Message::new("frontmatter_unknown_key_hint_best")
                        .arg("best", best)
                        .arg("allowed", expected.join(", ")),
                    None => Message::new("frontmatter_unknown_key_hint").arg("allowed", expected.join(", ")),
                };
                Diagnostic::error(
                    path,
                    line,
                    err.column,
                    Message::new("frontmatter_unknown_key").arg("name", name),
                )
                .with_hint(hint)
            } else if err.message.contains("missing field `title`") {
                Diagnostic::error(path, 1, 0, Message::new("frontmatter_no_title"))
                    .with_hint(Message::new("frontmatter_no_title_hint"))
            } else {
                Diagnostic::error(
                    path,
                    line,
                    err.column,
                    Message::new("frontmatter_invalid").arg("reason", &err.message),
                )
                .with_hint(Message::new("frontmatter_invalid_hint"))
            };
            Err(d.with_source(full_text))
        }
    }
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
    fn keys_are_file_lines() {
        let text = "---\ntitle: A\nprint_with: [b.md]\n---\n";
        let (front, keys) = parse(&split(text).unwrap(), Path::new("a.md"), text).unwrap();
        assert_eq!(front.print_with, Some(vec!["b.md".to_string()]));
        assert_eq!(keys.line("print_with"), 3);
    }

    #[test]
    fn unknown_key_points_at_its_line_with_suggestion() {
        let text = "---\ntitle: A\nordr: 2\n---\n";
        let d = parse(&split(text).unwrap(), Path::new("a.md"), text).unwrap_err();
        assert_eq!((d.line, d.column), (3, 1));
        assert!(d.message.english().contains("`ordr`"));
        assert!(d.hint.unwrap().english().contains("did you mean `order`"));
    }

    #[test]
    fn missing_title() {
        let text = "---\norder: 1\n---\n";
        let d = parse(&split(text).unwrap(), Path::new("a.md"), text).unwrap_err();
        assert!(d.message.english().contains("no title"));
    }
}
