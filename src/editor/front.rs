//! Front matter lines the editor writes: one key set or removed with every other line kept as
//! it is, and a one-line value written as a YAML scalar that reads back the same (pure).

use crate::content::frontmatter;

/// A YAML scalar for a one-line value: plain when that reads back the same, else quoted.
pub fn yaml_scalar(value: &str) -> String {
    let plain = !value.is_empty()
        && !value.starts_with(|c: char| "-?:,[]{}#&*!|>'\"%@`~ ".contains(c) || c.is_ascii_digit())
        && !value.ends_with(' ')
        && !value.contains(": ")
        && !value.contains(" #")
        && !value.ends_with(':')
        && !matches!(
            value.to_ascii_lowercase().as_str(),
            "true" | "false" | "yes" | "no" | "null" | "on" | "off"
        );
    if plain {
        value.to_string()
    } else {
        serde_json::to_string(value).unwrap_or_default()
    }
}

/// `text` with front matter key `key` set to `value` (a YAML scalar as written), or removed
/// with `None`; other lines stay as they are. A key not there is added at the end.
pub fn set_front_key(text: &str, key: &str, value: Option<&str>) -> String {
    let Some(split) = frontmatter::split(text) else {
        return text.to_string();
    };
    let mut lines: Vec<String> = split.yaml.lines().map(str::to_string).collect();
    let prefix = format!("{key}:");
    let found = lines.iter().position(|l| l.starts_with(&prefix));
    match (found, value) {
        (Some(at), value) => {
            // The value's continuation lines (indented) go with it.
            let mut end = at + 1;
            while end < lines.len() && lines[end].starts_with([' ', '\t']) {
                end += 1;
            }
            let replacement: Vec<String> = value.map(|v| format!("{key}: {v}")).into_iter().collect();
            lines.splice(at..end, replacement);
        }
        (None, Some(v)) => lines.push(format!("{key}: {v}")),
        (None, None) => {}
    }
    let mut out = String::from("---\n");
    for line in lines {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str("---\n");
    out.push_str(split.body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_keys_are_set_and_removed_line_by_line() {
        let text = "---\ntitle: A\ndescription: >\n  lång\n  text\norder: 2\n---\nKropp\n";
        assert_eq!(
            set_front_key(text, "description", Some("Kort")),
            "---\ntitle: A\ndescription: Kort\norder: 2\n---\nKropp\n"
        );
        assert_eq!(
            set_front_key(text, "order", None),
            "---\ntitle: A\ndescription: >\n  lång\n  text\n---\nKropp\n"
        );
        assert!(set_front_key(text, "owner", Some("HR")).contains("order: 2\nowner: HR\n---"));
        assert_eq!(yaml_scalar("Tills vidare"), "Tills vidare");
        assert_eq!(yaml_scalar("2020-02-10"), "\"2020-02-10\"");
        assert_eq!(yaml_scalar("Obs: viktigt"), "\"Obs: viktigt\"");
    }
}
