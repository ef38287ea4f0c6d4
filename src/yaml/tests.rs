//! Unit tests of the YAML reader: positions, scalars, aliases and the limits.

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
    let mut text = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
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
    let limit = err.limit.as_ref().expect("a limit");
    assert_eq!(limit.message.key, "yaml_too_big");
    assert!(limit.message.english().contains("alias"), "{}", limit.message.english());
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
