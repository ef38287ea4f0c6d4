//! The one place that reads YAML: front matter, site settings, form blocks and the theme's
//! string table. Typed values come from serde_yaml (the product's YAML crate); positions come
//! from saphyr-parser's events, built into a tree of [`Node`]s whose keys and values carry their
//! line and column. No other module scans YAML text for positions, and neither crate's types
//! leave this file.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use serde::de::DeserializeOwned;

/// A place in YAML text: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
}

/// A YAML problem located inside the parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    /// 1-based line inside the YAML text, 0 when unknown.
    pub line: usize,
    /// 1-based column, 0 when unknown.
    pub column: usize,
    /// What is wrong, without the location serde_yaml appends.
    pub message: String,
    /// For an unknown field: the field's name and the names that are allowed.
    pub unknown_field: Option<(String, Vec<String>)>,
}

/// A typed value with the positions of the keys it was read from.
#[derive(Debug, Clone)]
pub struct Parsed<T> {
    /// The value, as serde_yaml deserialised it.
    pub value: T,
    /// Where each key is.
    pub keys: KeyIndex,
}

/// Positions of the keys of a YAML document, by path: `title`, `accessibility.status`,
/// `year_wheel.0.label` (list items by their 0-based index).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyIndex {
    keys: HashMap<String, Pos>,
}

impl KeyIndex {
    /// Where the key at `path` is written.
    pub fn get(&self, path: &str) -> Option<Pos> {
        self.keys.get(path).copied()
    }

    /// The 1-based line of the key at `path`, or 0 when it is not there.
    pub fn line(&self, path: &str) -> usize {
        self.get(path).map_or(0, |p| p.line)
    }

    /// The same keys, `lines` further down: for YAML that starts inside a larger file.
    pub fn shifted(self, lines: usize) -> KeyIndex {
        let keys = self
            .keys
            .into_iter()
            .map(|(path, pos)| {
                (
                    path,
                    Pos {
                        line: pos.line + lines,
                        ..pos
                    },
                )
            })
            .collect();
        KeyIndex { keys }
    }

    /// The first key (in document order) whose own name is `name`, at any depth.
    pub fn first_named(&self, name: &str) -> Option<Pos> {
        self.keys
            .iter()
            .filter(|(path, _)| path.rsplit('.').next() == Some(name))
            .map(|(_, pos)| *pos)
            .min_by_key(|p| (p.line, p.column))
    }

    fn collect(node: &Node, prefix: &str, keys: &mut HashMap<String, Pos>) {
        let join = |part: &str| {
            if prefix.is_empty() {
                part.to_string()
            } else {
                format!("{prefix}.{part}")
            }
        };
        match &node.value {
            Value::Map(entries) => {
                for (key, value) in entries {
                    let Some(name) = key.as_text() else { continue };
                    let path = join(&name);
                    keys.entry(path.clone()).or_insert(key.pos);
                    Self::collect(value, &path, keys);
                }
            }
            Value::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    Self::collect(item, &join(&i.to_string()), keys);
                }
            }
            _ => {}
        }
    }
}

/// A YAML value with the position where it starts.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it starts in the text.
    pub pos: Pos,
}

/// A YAML value, resolved with the core schema as serde_yaml resolves it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `~`, `null` or nothing.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// Text.
    Str(String),
    /// A sequence.
    List(Vec<Node>),
    /// A mapping, in document order.
    Map(Vec<(Node, Node)>),
}

impl Node {
    /// A scalar as text (numbers and booleans as written by serde), `None` for lists, maps
    /// and null.
    pub fn as_text(&self) -> Option<String> {
        match &self.value {
            Value::Str(s) => Some(s.clone()),
            Value::Int(n) => Some(n.to_string()),
            Value::Float(f) => Some(f.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        }
    }

    /// The string of a `Str` node.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The entry of a map node whose key is the string `key`.
    pub fn get(&self, key: &str) -> Option<&(Node, Node)> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.as_str() == Some(key)),
            _ => None,
        }
    }
}

/// Parse `text` into `T`, with the positions of its keys. An empty document parses as `T` from
/// an empty mapping.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<Parsed<T>, YamlError> {
    let source = if text.trim().is_empty() { "{}" } else { text };
    // Positions only help diagnostics: text serde_yaml accepts but the event parser does not
    // simply has none.
    let keys = match parse_tree(source) {
        Ok(tree) => {
            let mut keys = HashMap::new();
            KeyIndex::collect(&tree, "", &mut keys);
            KeyIndex { keys }
        }
        Err(_) => KeyIndex::default(),
    };
    match serde_yaml::from_str(source) {
        Ok(value) => Ok(Parsed { value, keys }),
        Err(err) => {
            let (mut line, mut column) = err.location().map_or((0, 0), |loc| (loc.line(), loc.column()));
            let raw = err.to_string();
            let unknown_field = parse_unknown_field(&raw);
            if let Some(pos) = unknown_field.as_ref().and_then(|(name, _)| keys.first_named(name)) {
                (line, column) = (pos.line, pos.column);
            }
            Err(YamlError {
                line,
                column,
                message: clean_message(&raw),
                unknown_field,
            })
        }
    }
}

/// Parse `text` into a tree of nodes with positions (for form blocks, which check their keys
/// themselves). Aliases are resolved; only the first document is read.
pub fn parse_tree(text: &str) -> Result<Node, YamlError> {
    let mut builder = TreeBuilder::default();
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| YamlError {
            line: e.marker().line(),
            column: e.marker().col() + 1,
            message: e.info().to_string(),
            unknown_field: None,
        })?;
        if builder.feed(event, span) {
            break;
        }
    }
    Ok(builder.finish())
}

/// Builds a [`Node`] tree from parser events.
#[derive(Default)]
struct TreeBuilder {
    /// Open lists and maps, innermost last, with their anchor ids; a map's pending key waits
    /// in `Value::Map` as an entry whose value is filled when it arrives.
    open: Vec<(Node, usize, Option<Node>)>,
    anchors: HashMap<usize, Node>,
    root: Option<Node>,
}

impl TreeBuilder {
    /// Take one event; `true` when the first document is complete.
    fn feed(&mut self, event: Event<'_>, span: Span) -> bool {
        let pos = Pos {
            line: span.start.line(),
            column: span.start.col() + 1,
        };
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let is_str_tag = tag.as_ref().is_some_and(|t| t.suffix == "str");
                let value = if style == ScalarStyle::Plain && !is_str_tag {
                    resolve_plain(&text)
                } else {
                    Value::Str(text.into_owned())
                };
                self.add(Node { value, pos }, anchor);
            }
            Event::Alias(id) => {
                let node = self.anchors.get(&id).cloned().unwrap_or(Node {
                    value: Value::Null,
                    pos,
                });
                self.add(Node { pos, ..node }, 0);
            }
            Event::SequenceStart(anchor, _) => self.open.push((
                Node {
                    value: Value::List(Vec::new()),
                    pos,
                },
                anchor,
                None,
            )),
            Event::MappingStart(anchor, _) => self.open.push((
                Node {
                    value: Value::Map(Vec::new()),
                    pos,
                },
                anchor,
                None,
            )),
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((node, anchor, _)) = self.open.pop() {
                    self.add(node, anchor);
                }
            }
            Event::DocumentEnd => return self.root.is_some(),
            _ => {}
        }
        false
    }

    fn add(&mut self, node: Node, anchor: usize) {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        let Some((parent, _, pending_key)) = self.open.last_mut() else {
            self.root.get_or_insert(node);
            return;
        };
        match &mut parent.value {
            Value::List(items) => items.push(node),
            Value::Map(entries) => match pending_key.take() {
                Some(key) => entries.push((key, node)),
                None => *pending_key = Some(node),
            },
            _ => {}
        }
    }

    fn finish(self) -> Node {
        self.root.unwrap_or(Node {
            value: Value::Null,
            pos: Pos { line: 1, column: 1 },
        })
    }
}

/// A plain scalar resolved with YAML 1.2's core schema, as serde_yaml does.
fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        _ => {}
    }
    let digits = text.strip_prefix(['+', '-']).unwrap_or(text);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(n) = text.parse::<i64>() {
            return Value::Int(n);
        }
    }
    if let Some(hex) = text.strip_prefix("0x") {
        if let Ok(n) = i64::from_str_radix(hex, 16) {
            return Value::Int(n);
        }
    }
    if let Some(oct) = text.strip_prefix("0o") {
        if let Ok(n) = i64::from_str_radix(oct, 8) {
            return Value::Int(n);
        }
    }
    let looks_numeric = digits.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && digits
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    if looks_numeric {
        if let Ok(f) = text.parse::<f64>() {
            return Value::Float(f);
        }
    }
    Value::Str(text.to_string())
}

/// serde_yaml appends " at line X column Y" to its messages; we show location separately.
fn clean_message(raw: &str) -> String {
    let msg = match raw.find(" at line ") {
        Some(i) => &raw[..i],
        None => raw,
    };
    msg.trim_end_matches('.').to_string()
}

/// serde's message: "unknown field `ttle`, expected one of `title`, `order`".
fn parse_unknown_field(raw: &str) -> Option<(String, Vec<String>)> {
    let rest = raw.strip_prefix("unknown field `")?;
    let end = rest.find('`')?;
    let name = rest[..end].to_string();
    let expected = rest[end + 1..]
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.to_string())
        .collect();
    Some((name, expected))
}

/// The allowed name closest to `name`, when it is close enough to be a likely typo.
pub fn closest<'a, S: AsRef<str>>(name: &str, candidates: &'a [S]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (strsim::levenshtein(name, c.as_ref()), c.as_ref()))
        .filter(|(d, c)| *d <= 2.max(c.chars().count() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        title: String,
        order: Option<i64>,
        nested: Option<Vec<Inner>>,
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        label: String,
    }

    #[test]
    fn unknown_field_is_named_with_alternatives_and_located() {
        let err = parse::<T>("title: a\nordr: 2\n").unwrap_err();
        assert_eq!((err.line, err.column), (2, 1));
        let (name, expected) = err.unknown_field.unwrap();
        assert_eq!(name, "ordr");
        assert_eq!(closest(&name, &expected), Some("order"));
    }

    #[test]
    fn nested_unknown_field_points_at_its_key() {
        let err = parse::<T>("title: a\nnested:\n  - label: x\n  - lable: y\n").unwrap_err();
        assert_eq!((err.line, err.column), (4, 5));
    }

    #[test]
    fn keys_have_positions_by_path() {
        let parsed = parse::<T>("title: a\norder: 2\nnested:\n  - label: x\n  - {label: y}\n").unwrap();
        assert_eq!(parsed.keys.get("order"), Some(Pos { line: 2, column: 1 }));
        assert_eq!(parsed.keys.get("nested.1.label"), Some(Pos { line: 5, column: 6 }));
        assert_eq!(parsed.keys.line("missing"), 0);
    }

    #[test]
    fn syntax_error_has_location() {
        let err = parse::<T>("title: [a\n").unwrap_err();
        assert!(err.line >= 1);
        assert!(!err.message.is_empty());
    }

    #[test]
    fn tree_resolves_scalars_like_serde_yaml() {
        let tree = parse_tree("- a: 3\n  b: '3'\n  c: true\n  d: ~\n  e: 2.5\n  f: yes\n").unwrap();
        let Value::List(items) = &tree.value else { panic!() };
        let Value::Map(entries) = &items[0].value else { panic!() };
        let values: Vec<&Value> = entries.iter().map(|(_, v)| &v.value).collect();
        assert_eq!(
            values,
            [
                &Value::Int(3),
                &Value::Str("3".into()),
                &Value::Bool(true),
                &Value::Null,
                &Value::Float(2.5),
                &Value::Str("yes".into())
            ]
        );
        assert_eq!(entries[1].0.pos, Pos { line: 2, column: 3 });
    }

    #[test]
    fn anchors_resolve() {
        let tree = parse_tree("- &a {text: Namn}\n- *a\n").unwrap();
        let Value::List(items) = &tree.value else { panic!() };
        assert_eq!(items[0].value, items[1].value);
        assert_eq!(items[1].pos.line, 2);
    }
}
