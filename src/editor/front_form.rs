//! The editor's page-information form and the page's front matter: one parser, on the server.
//! [`read`] takes a page's text apart into the form's fields (each value exactly as the build
//! reads it, through `yaml.rs` and the build's own front matter split), the YAML lines that are
//! not in the form ("Övrigt") and the body; [`write()`] puts changed form values back into the
//! YAML. Lines nobody changed stay byte for byte as they were, and every value written is read
//! back with the same reader before it is accepted, so what the form shows is what the build
//! reads.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::content::frontmatter;
use crate::yaml::{self, Value};

/// The front matter keys the form has a field for, in the form's order.
pub const FIELDS: [&str; 8] = [
    "title",
    "description",
    "order",
    "decided",
    "decided_by",
    "valid",
    "owner",
    "revised",
];

/// Largest front matter the form takes apart (larger YAML is left whole in "Övrigt").
const MAX_YAML_BYTES: usize = 64 * 1024;

/// A page's front matter as the form shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrontForm {
    /// The text has a front matter block (or the form's values make one).
    pub front: bool,
    /// The YAML between the `---` lines, as the file will have it.
    pub yaml: String,
    /// Each form field's value as the build reads it ("" when the key is absent or empty).
    pub values: BTreeMap<String, String>,
    /// The YAML lines that are not in the form, in their order.
    pub other: String,
    /// The file lines (1-based, first and last) each form field's key and value take.
    pub lines: BTreeMap<String, (usize, usize)>,
    /// The line that closes the front matter as the file has it (`---` and its line break).
    pub close: String,
    /// The Markdown body (for [`read()`]; empty for [`write()`]).
    pub body: String,
    /// The file line where the body starts.
    pub body_line: usize,
}

/// A form field found in the YAML.
#[derive(Debug, Clone)]
struct Entry {
    key: &'static str,
    value: String,
    /// 0-based YAML lines, first and one past the last.
    start: usize,
    end: usize,
}

/// The YAML taken apart: form fields and the other lines (0-based line numbers).
struct Parts {
    lines: Vec<String>,
    entries: Vec<Entry>,
    other: Vec<usize>,
}

/// Take page `text` apart into the form's fields, the other YAML lines and the body.
pub fn read(text: &str) -> FrontForm {
    let text = text.replace("\r\n", "\n");
    match frontmatter::split(&text) {
        Some(split) => {
            let mut form = form_of(split.yaml, true);
            let closing = 4 + split.yaml.len();
            form.close = text[closing..text.len() - split.body.len()].to_string();
            form.body = split.body.to_string();
            form
        }
        None => {
            let mut form = form_of("", false);
            form.body = text;
            form.body_line = 1;
            form
        }
    }
}

/// Why form values could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteRefusal {
    /// A value the YAML reader would not read back as written (the field's key).
    Unwritable(String),
    /// Not a key of the form.
    UnknownField(String),
}

impl WriteRefusal {
    /// The string table key of its message.
    pub fn key(&self) -> &'static str {
        match self {
            WriteRefusal::Unwritable(_) => "editor_form_unwritable",
            WriteRefusal::UnknownField(_) => "editor_form_unknown_field",
        }
    }

    /// The form field it concerns.
    pub fn field(&self) -> &str {
        match self {
            WriteRefusal::Unwritable(key) | WriteRefusal::UnknownField(key) => key,
        }
    }
}

/// What the editor sends to write the form back.
#[derive(Debug, Clone, Deserialize)]
pub struct WriteRequest {
    /// The YAML the form was read from.
    pub yaml: String,
    /// Whether the page had front matter.
    #[serde(default)]
    pub front: bool,
    /// The fields the person changed, with their new values ("" removes the key).
    #[serde(default)]
    pub changes: BTreeMap<String, String>,
    /// The "Övrigt" text, when the person changed it.
    #[serde(default)]
    pub other: Option<String>,
}

/// Write changed form values into `yaml` (see [`WriteRequest`]). Unchanged fields keep their
/// lines; a changed field is written plain when that reads back the same, else quoted; a new
/// field goes after the form's last one. When "Övrigt" changed, the form's lines come first and
/// the new "Övrigt" after them.
pub fn write(request: &WriteRequest) -> Result<FrontForm, WriteRefusal> {
    for key in request.changes.keys() {
        if !FIELDS.contains(&key.as_str()) {
            return Err(WriteRefusal::UnknownField(key.clone()));
        }
    }
    let yaml = request.yaml.replace("\r\n", "\n");
    let parts = parts(&yaml);
    let other_now = other_text(&parts);
    let other_changed = request
        .other
        .as_deref()
        .is_some_and(|o| o.replace("\r\n", "\n").trim_end() != other_now.trim_end());
    // Each form field's lines as they will be written, in the file's order.
    let mut field_lines: Vec<(usize, Vec<String>)> = Vec::new();
    for entry in &parts.entries {
        let lines = match request.changes.get(entry.key) {
            Some(value) if value.is_empty() && !entry.value.is_empty() => Vec::new(),
            Some(value) if *value != entry.value => value_lines(entry.key, value)?,
            _ => parts.lines[entry.start..entry.end].to_vec(),
        };
        field_lines.push((entry.start, lines));
    }
    let mut added = Vec::new();
    for key in FIELDS {
        if parts.entries.iter().any(|e| e.key == key) {
            continue;
        }
        if let Some(value) = request.changes.get(key).filter(|v| !v.is_empty()) {
            added.extend(value_lines(key, value)?);
        }
    }
    let mut out: Vec<String> = Vec::new();
    if other_changed {
        for (_, lines) in &field_lines {
            out.extend(lines.iter().cloned());
        }
        out.extend(added);
        let other = request.other.as_deref().unwrap_or_default().replace("\r\n", "\n");
        out.extend(
            other
                .trim_end()
                .lines()
                .map(str::to_string)
                .filter(|_| !other.trim().is_empty()),
        );
    } else {
        // In place: other lines where they were, new fields after the last form field (or first).
        let after = parts.entries.iter().map(|e| e.end).max().unwrap_or(0);
        let mut fields = field_lines.into_iter().peekable();
        let mut i = 0;
        if after == 0 {
            out.append(&mut added);
        }
        while i < parts.lines.len() {
            if let Some((start, _)) = fields.peek() {
                if *start == i {
                    let (start, lines) = fields.next().unwrap_or_default();
                    let end = parts
                        .entries
                        .iter()
                        .find(|e| e.start == start)
                        .map_or(start + 1, |e| e.end);
                    out.extend(lines);
                    i = end;
                    if i == after {
                        out.append(&mut added);
                    }
                    continue;
                }
            }
            out.push(parts.lines[i].clone());
            i += 1;
        }
        out.append(&mut added);
    }
    let mut yaml = String::new();
    for line in out {
        yaml.push_str(&line);
        yaml.push('\n');
    }
    Ok(form_of(&yaml, request.front || !yaml.trim().is_empty()))
}

/// The form of `yaml` (the body left empty).
fn form_of(yaml: &str, front: bool) -> FrontForm {
    let parts = parts(yaml);
    let values = FIELDS
        .iter()
        .map(|k| {
            let value = parts.entries.iter().find(|e| e.key == *k).map(|e| e.value.clone());
            (k.to_string(), value.unwrap_or_default())
        })
        .collect();
    // Line 1 is the opening `---`.
    let lines = parts
        .entries
        .iter()
        .map(|e| (e.key.to_string(), (e.start + 2, e.end + 1)))
        .collect();
    FrontForm {
        front,
        yaml: yaml.to_string(),
        values,
        other: other_text(&parts),
        lines,
        close: "---\n".to_string(),
        body: String::new(),
        body_line: if front { parts.lines.len() + 3 } else { 1 },
    }
}

fn other_text(parts: &Parts) -> String {
    let mut other = String::new();
    for &i in &parts.other {
        other.push_str(&parts.lines[i]);
        other.push('\n');
    }
    other
}

/// Find the form's fields in `yaml`: top-level keys of the form with a text value (or none).
/// Anything else, and everything when the YAML does not parse, is "other".
fn parts(yaml: &str) -> Parts {
    let lines: Vec<String> = yaml.lines().map(str::to_string).collect();
    let mut entries = Vec::new();
    let tops = if yaml.len() > MAX_YAML_BYTES {
        Vec::new()
    } else {
        top_level_key_lines(yaml)
    };
    for (n, (key, start)) in tops.iter().enumerate() {
        let Some(key) = FIELDS.iter().find(|f| **f == key.as_str()) else {
            continue;
        };
        if entries.iter().any(|e: &Entry| e.key == *key) {
            continue;
        }
        let limit = tops.get(n + 1).map_or(lines.len(), |(_, l)| *l);
        // The key's lines: its own and the indented ones after it (blank lines inside them too).
        let mut end = start + 1;
        let mut last = end;
        while end < limit {
            let line = &lines[end];
            if line.trim().is_empty() {
                end += 1;
                continue;
            }
            if !line.starts_with([' ', '\t']) {
                break;
            }
            end += 1;
            last = end;
        }
        let source: String = lines[*start..last].iter().map(|l| format!("{l}\n")).collect();
        if let Some(value) = read_value(&source) {
            entries.push(Entry {
                key,
                value,
                start: *start,
                end: last,
            });
        }
    }
    let other = (0..lines.len())
        .filter(|i| !entries.iter().any(|e| e.start <= *i && *i < e.end))
        .collect();
    Parts { lines, entries, other }
}

/// The top-level keys of `yaml` with their 0-based lines, in order; empty when it does not
/// parse as a block mapping with one key per line.
fn top_level_key_lines(yaml: &str) -> Vec<(String, usize)> {
    let Ok(tree) = yaml::parse_tree(yaml) else {
        return Vec::new();
    };
    let Value::Map(entries) = tree.value else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for (key, _) in &entries {
        let Some(name) = key.as_str() else {
            return Vec::new();
        };
        if key.pos.column != 1 || key.pos.line == 0 {
            return Vec::new();
        }
        found.push((name.to_string(), key.pos.line - 1));
    }
    if found.windows(2).any(|w| w[0].1 >= w[1].1) {
        return Vec::new();
    }
    found
}

/// The value of the one `key: value` in `source` as the build reads a text field, "" for an
/// empty value; `None` when it is not text (a list, a map) or does not parse alone.
fn read_value(source: &str) -> Option<String> {
    let parsed = yaml::parse::<BTreeMap<String, Option<String>>>(source).ok()?;
    let mut values = parsed.value.into_values();
    match (values.next(), values.next()) {
        (Some(value), None) => Some(value.unwrap_or_default()),
        _ => None,
    }
}

/// `key: value` as YAML lines that read back as exactly `value`: plain when that does,
/// else double-quoted (a JSON string is a YAML double-quoted scalar).
fn value_lines(key: &'static str, value: &str) -> Result<Vec<String>, WriteRefusal> {
    let plain = format!("{key}: {value}");
    let quoted = format!(
        "{key}: {}",
        serde_json::to_string(value).map_err(|_| WriteRefusal::Unwritable(key.to_string()))?
    );
    for candidate in [plain, quoted] {
        if candidate.contains('\n') {
            continue;
        }
        if read_value(&format!("{candidate}\n")).as_deref() == Some(value) && !value.is_empty() {
            return Ok(vec![candidate]);
        }
    }
    Err(WriteRefusal::Unwritable(key.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn write_to(yaml: &str, pairs: &[(&str, &str)]) -> String {
        write(&WriteRequest {
            yaml: yaml.into(),
            front: true,
            changes: changes(pairs),
            other: None,
        })
        .unwrap()
        .yaml
    }

    #[test]
    fn reads_fields_other_lines_and_body() {
        let form = read("---\n# note\ntitle: \"A: b\"\nprint_with: [x.md]\norder: 3\n---\nBody\n");
        assert_eq!(form.values["title"], "A: b");
        assert_eq!(form.values["order"], "3");
        assert_eq!(form.values["owner"], "");
        assert_eq!(form.other, "# note\nprint_with: [x.md]\n");
        assert_eq!(form.lines["title"], (3, 3));
        assert_eq!(form.body, "Body\n");
        assert_eq!(form.body_line, 7);
    }

    #[test]
    fn nothing_changed_keeps_every_byte() {
        let yaml = "title: 'It''s'   # kept\ndescription: >\n  one\n  two\n\n# after\nowner: HR\n";
        assert_eq!(write_to(yaml, &[]), yaml);
        assert_eq!(write_to(yaml, &[("title", "It's")]), yaml);
    }

    #[test]
    fn a_changed_field_is_replaced_in_place_and_new_ones_follow_the_last() {
        let yaml = "title: A\n# keep me\nprint_with: [x.md]\ndescription: |\n  d\n";
        let out = write_to(yaml, &[("title", "#1: yes"), ("owner", "Å Ö")]);
        assert_eq!(
            out,
            "title: \"#1: yes\"\n# keep me\nprint_with: [x.md]\ndescription: |\n  d\nowner: Å Ö\n"
        );
        assert_eq!(read(&format!("---\n{out}---\n")).values["title"], "#1: yes");
        let removed = write_to(yaml, &[("description", "")]);
        assert_eq!(removed, "title: A\n# keep me\nprint_with: [x.md]\n");
    }

    #[test]
    fn broken_yaml_stays_whole_in_other() {
        let form = read("---\ntitle: \"open\n---\n");
        assert_eq!(form.values["title"], "");
        assert_eq!(form.other, "title: \"open\n");
    }

    #[test]
    fn unknown_fields_are_refused() {
        let refused = write(&WriteRequest {
            yaml: String::new(),
            front: false,
            changes: changes(&[("print_with", "x")]),
            other: None,
        });
        assert_eq!(refused, Err(WriteRefusal::UnknownField("print_with".into())));
    }
}
