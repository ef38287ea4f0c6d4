//! The one place that reads YAML: front matter, site settings, form blocks and the theme's
//! string table. Typed values come from serde_yaml (the product's YAML crate); positions come
//! from saphyr-parser's events, built into a tree of [`Node`]s whose keys and values carry their
//! line and column. No other module scans YAML text for positions, and neither crate's types
//! leave this file.
//!
//! Every YAML text is bounded before either crate sees it: at most [`MAX_YAML_BYTES`] of text,
//! [`MAX_DEPTH`] levels of nesting, and [`MAX_NODES`] values and [`MAX_EXPANDED_BYTES`] of
//! scalar text once aliases are expanded, so a "billion laughs" of a few hundred bytes is an
//! error at its line, not gigabytes of memory. The tree is built (and the limits checked) before
//! serde_yaml reads the text, and serde_yaml expands aliases the same way, so its typed values
//! are bounded by the same check (it has its own repetition and recursion limits besides).

use std::collections::HashMap;

use serde::de::DeserializeOwned;

use crate::diag::Message;

mod tree;

pub use tree::parse_tree;

/// Largest YAML text handbok reads (front matter, settings, a form block, the synonyms).
pub const MAX_YAML_BYTES: usize = 512 * 1024;
/// Deepest nesting of lists and maps.
pub const MAX_DEPTH: usize = 64;
/// Most values in a document, counting every alias as the values it stands for.
pub const MAX_NODES: usize = 100_000;
/// Most bytes of scalar text in a document, counting every alias as the text it stands for.
pub const MAX_EXPANDED_BYTES: usize = 8 * 1024 * 1024;

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
    /// For a text over one of this module's limits: what is wrong and what to do.
    pub limit: Option<Box<YamlLimit>>,
}

/// A text over one of the limits: the message and its hint, worded by the face.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlLimit {
    /// What is wrong.
    pub message: Message,
    /// What to do.
    pub hint: Message,
}

impl YamlError {
    fn limit(line: usize, column: usize, limit: YamlLimit) -> YamlError {
        YamlError {
            line,
            column,
            message: limit.message.key.to_string(),
            unknown_field: None,
            limit: Some(Box::new(limit)),
        }
    }

    /// Over one of the limits (the text is refused whole, nothing of it was read).
    pub fn is_limit(&self) -> bool {
        self.limit.is_some()
    }
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
    // simply has none. A text over a limit is refused before serde_yaml sees it.
    let keys = match parse_tree(source) {
        Ok(tree) => {
            let mut keys = HashMap::new();
            KeyIndex::collect(&tree, "", &mut keys);
            KeyIndex { keys }
        }
        Err(err) if err.is_limit() => return Err(err),
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
                limit: None,
            })
        }
    }
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
mod tests;
