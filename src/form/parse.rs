//! Form block YAML → validated [`Field`]s, one function per kind. Every problem is collected
//! with its line inside the block, the bad key and the keys that are allowed; positions come
//! from the YAML tree, so nothing here scans text.

use std::collections::HashSet;

use super::schema::*;
use super::FormError;
use crate::diag::Message;
use crate::yaml::{self, Node, Value};

/// Parse and validate a block; every problem found is returned, not only the first.
pub(super) fn parse(yaml_text: &str) -> Result<Vec<Field>, Vec<FormError>> {
    let tree = yaml::parse_tree(yaml_text).map_err(|e| {
        if let Some(limit) = e.limit {
            return vec![FormError {
                line: e.line.max(1),
                message: limit.message,
                hint: Some(limit.hint),
            }];
        }
        vec![FormError {
            line: e.line.max(1),
            message: Message::new("form_invalid_yaml").arg("reason", e.message),
            hint: Some(Message::new("form_invalid_yaml_hint")),
        }]
    })?;
    let items = match tree.value {
        Value::List(items) => items,
        Value::Null => Vec::new(),
        Value::Map(entries) if entries.is_empty() => Vec::new(),
        _ => {
            return Err(vec![FormError {
                line: 1,
                message: Message::new("form_not_a_list"),
                hint: Some(Message::new("form_not_a_list_hint")),
            }])
        }
    };
    if items.is_empty() {
        return Err(vec![FormError {
            line: 1,
            message: Message::new("form_empty"),
            hint: Some(Message::new("form_empty_hint").arg("kinds", FieldKind::list())),
        }]);
    }
    let mut errors = Vec::new();
    let fields = parse_items(&items, false, &mut errors);
    check_unique_ids(&fields, &mut errors);
    if errors.is_empty() {
        Ok(fields)
    } else {
        Err(errors)
    }
}

fn parse_items(items: &[Node], in_group: bool, errors: &mut Vec<FormError>) -> Vec<Field> {
    items
        .iter()
        .filter_map(|item| {
            let mut reader = Item::open(item, errors)?;
            let field = match reader.kind {
                FieldKind::Text | FieldKind::Date => text(&mut reader),
                FieldKind::Period => period(&mut reader),
                FieldKind::Area => area(&mut reader),
                FieldKind::Table => table(&mut reader),
                FieldKind::Checkbox => Field::Checkbox {
                    common: reader.common(),
                },
                FieldKind::Note => Field::Note { text: reader.label() },
                FieldKind::Signatures => signatures(&mut reader),
                FieldKind::Group => group(&mut reader, in_group),
            };
            reader.ok.then_some(field)
        })
        .collect()
}

fn text(item: &mut Item<'_>) -> Field {
    let common = item.common();
    let chars = item
        .value("chars")
        .is_some()
        .then(|| item.number("chars", 2, MAX_CHARS));
    Field::Text {
        date: item.kind == FieldKind::Date,
        common,
        chars,
    }
}

fn period(item: &mut Item<'_>) -> Field {
    let common = item.common();
    Field::Period {
        from: item.text("from"),
        to: item.text("to"),
        common,
    }
}

fn area(item: &mut Item<'_>) -> Field {
    let common = item.common();
    Field::Area {
        lines: item.number("lines", DEFAULT_LINES, MAX_LINES),
        common,
    }
}

fn table(item: &mut Item<'_>) -> Field {
    let common = item.common();
    let rows = item.number("rows", DEFAULT_ROWS, MAX_ROWS);
    let columns = match item.value("columns") {
        None => {
            item.error(
                item.key_line("table"),
                Message::new("form_table_needs_columns"),
                Message::new("form_columns_example"),
            );
            Vec::new()
        }
        Some(v) => match string_list(v) {
            Some(cols) if !cols.is_empty() && cols.len() <= MAX_COLUMNS => cols,
            _ => {
                item.error(
                    item.key_line("columns"),
                    Message::new("form_columns_not_list").arg("max", MAX_COLUMNS),
                    Message::new("form_columns_example"),
                );
                Vec::new()
            }
        },
    };
    Field::Table { common, columns, rows }
}

fn signatures(item: &mut Item<'_>) -> Field {
    let id = item.id();
    let captions = match item.value("signatures").and_then(string_list) {
        Some(c) if !c.is_empty() && c.len() <= MAX_SIGNATURES => c,
        _ => {
            item.error(
                item.key_line("signatures"),
                Message::new("form_signatures_not_list").arg("max", MAX_SIGNATURES),
                Message::new("form_signatures_not_list_hint"),
            );
            Vec::new()
        }
    };
    let date = match item.value("date").map(|n| &n.value) {
        None | Some(Value::Bool(false)) => None,
        Some(Value::Bool(true)) => Some(None),
        Some(_) => Some(item.text("date")),
    };
    Field::Signatures { captions, date, id }
}

fn group(item: &mut Item<'_>, in_group: bool) -> Field {
    let common = item.common();
    let fields = match item.value("fields").map(|n| &n.value) {
        Some(Value::List(fields)) if !fields.is_empty() => {
            if in_group {
                item.error(
                    item.key_line("group"),
                    Message::new("form_group_in_group"),
                    Message::new("form_group_in_group_hint"),
                );
                Vec::new()
            } else {
                parse_items(fields, true, item.errors)
            }
        }
        _ => {
            item.error(
                item.key_line("group"),
                Message::new("form_group_needs_fields"),
                Message::new("form_group_needs_fields_hint"),
            );
            Vec::new()
        }
    };
    Field::Group { common, fields }
}

/// One list item being read: its kind, its keys, and whether it is still valid.
struct Item<'a> {
    kind: FieldKind,
    node: &'a Node,
    errors: &'a mut Vec<FormError>,
    ok: bool,
}

impl<'a> Item<'a> {
    /// Check the item's shape and keys and find its kind; `None` (with errors) when it has none.
    fn open(node: &'a Node, errors: &'a mut Vec<FormError>) -> Option<Item<'a>> {
        let line = node.pos.line;
        let Value::Map(entries) = &node.value else {
            let shown = match &node.value {
                Value::Str(s) => Message::new("form_text_not_a_field").arg("text", s),
                _ => Message::new("form_item_not_a_field"),
            };
            errors.push(FormError {
                line,
                message: shown,
                hint: Some(
                    Message::new("form_not_a_field_hint")
                        .arg("label", node.as_text().unwrap_or_else(|| "Namn".into()))
                        .arg("kinds", FieldKind::list()),
                ),
            });
            return None;
        };
        let mut keys: Vec<(&str, usize)> = Vec::new();
        for (key, _) in entries {
            let Some(name) = key.as_str() else {
                errors.push(FormError {
                    line,
                    message: Message::new("form_key_not_a_word").arg("key", key.as_text().unwrap_or_default()),
                    hint: None,
                });
                return None;
            };
            keys.push((name, key.pos.line));
        }
        // `date` is also an option of `signatures`, so there it is not a second kind.
        let has_signatures = keys.iter().any(|(k, _)| *k == "signatures");
        let kinds: Vec<(FieldKind, usize)> = keys
            .iter()
            .filter(|(k, _)| !(has_signatures && *k == "date"))
            .filter_map(|&(k, l)| FieldKind::from_name(k).map(|kind| (kind, l)))
            .collect();
        let kind = match kinds.as_slice() {
            [(one, _)] => *one,
            [] => {
                // Suggest a kind for a misspelt first key, e.g. `txt` → `text`.
                let (first, first_line) = keys.first().copied().unwrap_or(("", line));
                let names = FieldKind::ALL.map(FieldKind::name);
                let hint = match yaml::closest(first, &names) {
                    Some(best) => Message::new("form_unknown_kind_did_you_mean")
                        .arg("best", best)
                        .arg("kinds", FieldKind::list()),
                    None => Message::new("form_unknown_kind_hint").arg("kinds", FieldKind::list()),
                };
                errors.push(FormError {
                    line: first_line,
                    message: Message::new("form_unknown_kind").arg("kind", first),
                    hint: Some(hint),
                });
                return None;
            }
            [(a, _), (b, b_line), ..] => {
                errors.push(FormError {
                    line: *b_line,
                    message: Message::new("form_two_kinds")
                        .arg("first", a.name())
                        .arg("second", b.name()),
                    hint: Some(Message::new("form_two_kinds_hint")),
                });
                return None;
            }
        };
        let mut item = Item {
            kind,
            node,
            errors,
            ok: true,
        };
        let allowed = kind.keys();
        for (key, key_line) in keys {
            if allowed.contains(&key) {
                continue;
            }
            let list = allowed.join(", ");
            let hint = match yaml::closest(key, allowed) {
                Some(best) if best != kind.name() => Message::new("form_unknown_key_did_you_mean")
                    .arg("best", best)
                    .arg("kind", kind.name())
                    .arg("keys", &list),
                _ => Message::new("form_unknown_key_hint")
                    .arg("kind", kind.name())
                    .arg("keys", &list),
            };
            item.error(
                key_line,
                Message::new("form_unknown_key")
                    .arg("key", key)
                    .arg("kind", kind.name()),
                hint,
            );
        }
        Some(item)
    }

    fn error(&mut self, line: usize, message: Message, hint: Message) {
        self.ok = false;
        self.errors.push(FormError {
            line,
            message,
            hint: Some(hint),
        });
    }

    fn value(&self, key: &str) -> Option<&'a Node> {
        self.node.get(key).map(|(_, v)| v)
    }

    /// The line of `key` in this item, or the item's own line.
    fn key_line(&self, key: &str) -> usize {
        self.node.get(key).map_or(self.node.pos.line, |(k, _)| k.pos.line)
    }

    /// The kind's own value: the label (the text of a note, the legend of a group).
    fn label(&mut self) -> String {
        let name = self.kind.name();
        match self.value(name).and_then(Node::as_text) {
            Some(s) if !s.trim().is_empty() => s.trim().to_string(),
            _ => {
                self.error(
                    self.key_line(name),
                    Message::new("form_needs_label")
                        .arg("kind", name)
                        .arg_message("what", self.kind.label_is()),
                    Message::new("form_needs_label_hint")
                        .arg("kind", name)
                        .arg("example", self.kind.example()),
                );
                String::new()
            }
        }
    }

    /// Label, id and hint, in that order (so problems are reported in that order).
    fn common(&mut self) -> Common {
        Common {
            label: self.label(),
            id: self.id(),
            hint: self.text("hint"),
            print_hint: self.flag("print_hint", true),
        }
    }

    /// An optional `true`/`false` option, `default` when absent.
    fn flag(&mut self, key: &str, default: bool) -> bool {
        match self.value(key).map(|n| &n.value) {
            None => default,
            Some(Value::Bool(b)) => *b,
            Some(_) => {
                self.error(
                    self.key_line(key),
                    Message::new("form_not_a_flag").arg("key", key),
                    Message::new("form_not_a_flag_hint").arg("key", key),
                );
                default
            }
        }
    }

    /// An optional text option.
    fn text(&mut self, key: &str) -> Option<String> {
        let value = self.value(key)?;
        match value.as_text() {
            Some(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            _ => {
                self.error(
                    self.key_line(key),
                    Message::new("form_not_text").arg("key", key),
                    Message::new("form_not_text_hint").arg("key", key),
                );
                None
            }
        }
    }

    /// A whole number from 1 to `max`, or `default` when the key is absent.
    fn number(&mut self, key: &str, default: u64, max: u64) -> u64 {
        let Some(value) = self.value(key) else {
            return default;
        };
        match value.value {
            Value::Int(n) if (1..=max as i64).contains(&n) => n as u64,
            _ => {
                self.error(
                    self.key_line(key),
                    match value.as_text() {
                        Some(text) => Message::new("form_not_a_number")
                            .arg("key", key)
                            .arg("max", max)
                            .arg("value", text),
                        None => Message::new("form_list_not_a_number").arg("key", key).arg("max", max),
                    },
                    Message::new("form_not_a_number_hint")
                        .arg("key", key)
                        .arg("default", default),
                );
                default
            }
        }
    }

    /// The author's `id`, which must be usable as written.
    fn id(&mut self) -> Option<GivenId> {
        let value = self.value("id")?;
        match value.as_text() {
            Some(s) if is_valid_id(&s) => Some(GivenId {
                name: s,
                line: self.key_line("id"),
            }),
            other => {
                self.error(
                    self.key_line("id"),
                    Message::new("form_bad_id").arg("id", other.unwrap_or_default()),
                    Message::new("form_bad_id_hint"),
                );
                None
            }
        }
    }
}

fn string_list(v: &Node) -> Option<Vec<String>> {
    match &v.value {
        Value::List(items) => items
            .iter()
            .map(|i| i.as_text().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()))
            .collect(),
        _ => None,
    }
}

fn is_valid_id(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Ids the author gave must be unique in the block: they are used as written.
fn check_unique_ids(fields: &[Field], errors: &mut Vec<FormError>) {
    fn walk<'f>(fields: &'f [Field], out: &mut Vec<&'f GivenId>) {
        for f in fields {
            if let Field::Group { fields, .. } = f {
                walk(fields, out);
            }
            out.extend(f.given_id());
        }
    }
    let mut given = Vec::new();
    walk(fields, &mut given);
    let mut seen = HashSet::new();
    if let Some(dup) = given.into_iter().find(|id| !seen.insert(id.name.as_str())) {
        errors.push(FormError {
            line: dup.line,
            message: Message::new("form_duplicate_id").arg("id", &dup.name),
            hint: Some(Message::new("form_duplicate_id_hint")),
        });
    }
}
