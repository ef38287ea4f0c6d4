//! The position tree: saphyr-parser's events built into [`Node`]s with their line and column,
//! aliases resolved, and the limits of size, nesting and alias expansion held while it grows.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use crate::diag::Message;

use super::{Node, Pos, Value, YamlError, YamlLimit, MAX_DEPTH, MAX_EXPANDED_BYTES, MAX_NODES, MAX_YAML_BYTES};

/// Parse `text` into a tree of nodes with positions (for form blocks, which check their keys
/// themselves). Aliases are resolved; only the first document is read. The module's limits
/// hold: a text over one is an error at the line where it was crossed.
pub fn parse_tree(text: &str) -> Result<Node, YamlError> {
    if text.len() > MAX_YAML_BYTES {
        let line = text[..MAX_YAML_BYTES].bytes().filter(|&b| b == b'\n').count() + 1;
        return Err(YamlError::limit(
            line,
            0,
            YamlLimit {
                message: Message::new("yaml_too_long")
                    .arg("size", text.len() / 1024)
                    .arg("limit", MAX_YAML_BYTES / 1024),
                hint: Message::new("yaml_too_long_hint"),
            },
        ));
    }
    let mut builder = TreeBuilder::default();
    for item in Parser::new_from_str(text) {
        let (event, span) = item.map_err(|e| YamlError {
            line: e.marker().line(),
            column: e.marker().col() + 1,
            message: e.info().to_string(),
            unknown_field: None,
            limit: None,
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
                        YamlLimit {
                            message: Message::new("yaml_too_deep").arg("limit", MAX_DEPTH),
                            hint: Message::new("yaml_too_deep_hint"),
                        },
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
                YamlLimit {
                    message: Message::new("yaml_too_big")
                        .arg("nodes", MAX_NODES)
                        .arg("megabytes", MAX_EXPANDED_BYTES / (1024 * 1024)),
                    hint: Message::new("yaml_too_big_hint"),
                },
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
