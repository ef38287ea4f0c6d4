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

use saphyr_parser::{Event, Parser, ScalarStyle, Span};
use serde::de::DeserializeOwned;

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
    /// For a text over one of this module's limits: what to do (then `message` is a whole
    /// sentence in Swedish, to be shown as it is).
    pub limit_hint: Option<String>,
}

impl YamlError {
    fn limit(line: usize, column: usize, message: String, hint: &str) -> YamlError {
        YamlError {
            line,
            column,
            message,
            unknown_field: None,
            limit_hint: Some(hint.to_string()),
        }
    }

    /// Over one of the limits (the text is refused whole, nothing of it was read).
    pub fn is_limit(&self) -> bool {
        self.limit_hint.is_some()
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
                limit_hint: None,
            })
        }
    }
}

/// Parse `text` into a tree of nodes with positions (for form blocks, which check their keys
/// themselves). Aliases are resolved; only the first document is read. The module's limits
/// hold: a text over one is an error at the line where it was crossed.
pub fn parse_tree(text: &str) -> Result<Node, YamlError> {
    if text.len() > MAX_YAML_BYTES {
        let line = text[..MAX_YAML_BYTES].bytes().filter(|&b| b == b'\n').count() + 1;
        return Err(YamlError::limit(
            line,
            0,
            format!(
                "YAML-texten är för lång: {} kB, handbok läser högst {} kB",
                text.len() / 1024,
                MAX_YAML_BYTES / 1024
            ),
            "dela upp texten, eller flytta långa texter från inställningarna till sidans brödtext",
        ));
    }
    let mut builder = TreeBuilder::default();
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| YamlError {
            line: e.marker().line(),
            column: e.marker().col() + 1,
            message: e.info().to_string(),
            unknown_field: None,
            limit_hint: None,
        })?;
        if builder.feed(event, span)? {
            break;
        }
    }
    Ok(builder.finish())
}

/// A node's weight against the limits: its values and its scalar bytes.
#[derive(Debug, Clone, Copy, Default)]
struct Weight {
    nodes: usize,
    bytes: usize,
}

/// Builds a [`Node`] tree from parser events.
#[derive(Default)]
struct TreeBuilder {
    /// Open lists and maps, innermost last, with their anchor ids; a map's pending key waits
    /// in `Value::Map` as an entry whose value is filled when it arrives.
    open: Vec<(Node, usize, Option<Node>)>,
    /// The weight counted when each open list or map started, to weigh it at its end.
    started: Vec<Weight>,
    anchors: HashMap<usize, (Node, Weight)>,
    root: Option<Node>,
    /// Everything built so far, aliases counted as what they stand for.
    total: Weight,
}

impl TreeBuilder {
    /// Take one event; `true` when the first document is complete. An error when the
    /// document grows over a limit (checked before an alias is copied).
    fn feed(&mut self, event: Event<'_>, span: Span) -> Result<bool, YamlError> {
        let pos = Pos {
            line: span.start.line(),
            column: span.start.col() + 1,
        };
        match event {
            Event::Scalar(text, style, anchor, tag) => {
                let weight = Weight {
                    nodes: 1,
                    bytes: text.len(),
                };
                self.count(weight, pos)?;
                let is_str_tag = tag.as_ref().is_some_and(|t| t.suffix == "str");
                let value = if style == ScalarStyle::Plain && !is_str_tag {
                    resolve_plain(&text)
                } else {
                    Value::Str(text.into_owned())
                };
                self.add(Node { value, pos }, anchor, weight);
            }
            Event::Alias(id) => {
                // Counted before the copy is made.
                let weight = self.anchors.get(&id).map(|(_, weight)| *weight);
                if let Some(weight) = weight {
                    self.count(weight, pos)?;
                }
                let (node, weight) = match self.anchors.get(&id) {
                    Some((node, weight)) => (node.clone(), *weight),
                    None => (
                        Node {
                            value: Value::Null,
                            pos,
                        },
                        Weight { nodes: 1, bytes: 0 },
                    ),
                };
                self.add(Node { pos, ..node }, 0, weight);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                if self.open.len() >= MAX_DEPTH {
                    return Err(YamlError::limit(
                        pos.line,
                        pos.column,
                        format!("YAML-texten är nästlad i fler än {MAX_DEPTH} nivåer"),
                        "skriv listor och avsnitt med färre nivåer i varandra",
                    ));
                }
                self.started.push(self.total);
                self.count(Weight { nodes: 1, bytes: 0 }, pos)?;
                let value = match event {
                    Event::SequenceStart(..) => Value::List(Vec::new()),
                    _ => Value::Map(Vec::new()),
                };
                self.open.push((Node { value, pos }, anchor, None));
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let start = self.started.pop().unwrap_or_default();
                if let Some((node, anchor, _)) = self.open.pop() {
                    let weight = Weight {
                        nodes: self.total.nodes - start.nodes,
                        bytes: self.total.bytes - start.bytes,
                    };
                    self.add(node, anchor, weight);
                }
            }
            Event::DocumentEnd => return Ok(self.root.is_some()),
            _ => {}
        }
        Ok(false)
    }

    /// Count `weight` more, refusing the document when it passes a limit.
    fn count(&mut self, weight: Weight, pos: Pos) -> Result<(), YamlError> {
        self.total.nodes = self.total.nodes.saturating_add(weight.nodes);
        self.total.bytes = self.total.bytes.saturating_add(weight.bytes);
        if self.total.nodes > MAX_NODES || self.total.bytes > MAX_EXPANDED_BYTES {
            return Err(YamlError::limit(
                pos.line,
                pos.column,
                format!(
                    "YAML-texten blir för stor när dess alias (`*namn`) ersätts med det de står för: fler än {MAX_NODES} värden eller {} MB text",
                    MAX_EXPANDED_BYTES / (1024 * 1024)
                ),
                "skriv ut värdena i stället för att upprepa dem med alias, och låt inte ett alias peka på något som självt innehåller alias",
            ));
        }
        Ok(())
    }

    fn add(&mut self, node: Node, anchor: usize, weight: Weight) {
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), weight));
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

    /// Nine levels of ten aliases each: 10^9 values from a few hundred bytes.
    pub(crate) fn alias_bomb() -> String {
        let mut text =
            String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (prev, name) in ["a", "b", "c", "d", "e", "f", "g", "h"]
            .iter()
            .zip(["b", "c", "d", "e", "f", "g", "h", "i"])
        {
            let refs = vec![format!("*{prev}"); 9].join(",");
            text.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        text
    }

    #[test]
    fn an_alias_bomb_is_refused_at_its_line_before_it_grows() {
        let bomb = alias_bomb();
        assert!(bomb.len() < 500, "{}", bomb.len());
        let err = parse_tree(&bomb).unwrap_err();
        assert!(err.is_limit(), "{err:?}");
        assert!(err.message.contains("alias"), "{}", err.message);
        // The line where the expansion passes the limit: one of the alias lines.
        assert!((5..=9).contains(&err.line), "{err:?}");
        let typed = parse::<serde_yaml::Value>(&bomb).unwrap_err();
        assert!(typed.is_limit());
        // serde_yaml, the typed path, bounds the same text by itself too.
        assert!(serde_yaml::from_str::<serde_yaml::Value>(&bomb).is_err());
    }

    #[test]
    fn a_long_string_repeated_by_aliases_is_refused() {
        let long = "x".repeat(100_000);
        let refs = vec!["*s"; 100].join(", ");
        let text = format!("s: &s {long}\nt: [{refs}]\n");
        let err = parse_tree(&text).unwrap_err();
        assert!(err.is_limit());
        assert_eq!(err.line, 2);
    }

    #[test]
    fn deep_nesting_and_long_texts_are_refused_with_their_line() {
        let deep = format!("{}1{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        let err = parse_tree(&deep).unwrap_err();
        assert!(err.is_limit() && err.line == 1, "{err:?}");
        let ok = format!("{}1{}", "[".repeat(MAX_DEPTH - 1), "]".repeat(MAX_DEPTH - 1));
        assert!(parse_tree(&ok).is_ok());
        let long = "a: b\n".repeat(MAX_YAML_BYTES / 5 + 1);
        let err = parse::<serde_yaml::Value>(&long).unwrap_err();
        assert!(err.is_limit() && err.line > 1, "{err:?}");
    }

    #[test]
    fn ordinary_aliases_still_work() {
        let text = "base: &base {text: Namn, required: true}\nfields:\n  - *base\n  - *base\n  - *base\n";
        let tree = parse_tree(text).unwrap();
        let (_, fields) = tree.get("fields").unwrap();
        let Value::List(items) = &fields.value else { panic!() };
        assert_eq!(items.len(), 3);
        assert_eq!(items[2].get("text").unwrap().1.as_str(), Some("Namn"));
        assert!(parse::<serde_yaml::Value>(text).is_ok());
    }
}
