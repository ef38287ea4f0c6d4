//! The one place that parses YAML (front matter, site settings, form blocks), so the YAML crate
//! can be swapped here alone. Errors carry the 1-based line and column inside the YAML text.

use serde::de::DeserializeOwned;

/// A YAML problem located inside the parsed text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// For an unknown field: the field's name and the names that are allowed.
    pub unknown_field: Option<(String, Vec<String>)>,
}

/// Parse `text` into `T`. An empty document parses as `T` from an empty mapping.
pub fn parse<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    let source = if text.trim().is_empty() { "{}" } else { text };
    serde_yaml::from_str(source).map_err(|err| {
        let (line, column) = err.location().map_or((0, 0), |loc| (loc.line(), loc.column()));
        let raw = err.to_string();
        let unknown_field = parse_unknown_field(&raw);
        YamlError {
            line,
            column,
            message: clean_message(&raw),
            unknown_field,
        }
    })
}

/// Parse text into a generic YAML value (for form blocks that inspect keys themselves).
pub fn parse_value(text: &str) -> Result<serde_yaml::Value, YamlError> {
    parse(text)
}

pub use serde_yaml::Value;

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
pub fn closest<'a>(name: &str, candidates: &'a [String]) -> Option<&'a str> {
    candidates
        .iter()
        .map(|c| (edit_distance(name, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c.as_str())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
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
    }

    #[test]
    fn unknown_field_is_named_with_alternatives() {
        let err = parse::<T>("title: a\nordr: 2\n").unwrap_err();
        assert_eq!(err.line, 2);
        let (name, expected) = err.unknown_field.unwrap();
        assert_eq!(name, "ordr");
        assert_eq!(closest(&name, &expected), Some("order"));
    }

    #[test]
    fn syntax_error_has_location() {
        let err = parse::<T>("title: [a\n").unwrap_err();
        assert!(err.line >= 1);
        assert!(!err.message.is_empty());
    }
}
