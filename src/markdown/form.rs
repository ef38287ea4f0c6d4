//! Form blocks: a fenced ```` ```form ```` block whose body is YAML describing fields, rendered
//! as labelled form controls on screen and as typed values or ruled lines in print.
//!
//! The block is a YAML list; each item names its kind by its first key, whose value is the
//! label (see `docs/forms.md`):
//!
//! ```yaml
//! - text: Namn
//! - period: Under perioden
//!   from: Från och med
//!   to: Till och med
//! - area: Följande mål är i fokus
//!   lines: 5
//! - table: Genomförda insatser
//!   columns: [Insats, Datum]
//!   rows: 4
//! - signatures: [Underskrift medarbetare, Underskrift chef]
//!   date: Datum
//! ```
//!
//! Validation collects every problem with its line inside the block, the bad key and the keys
//! that are allowed. Nothing here touches the filesystem; the HTML never names a `<form>` that
//! could submit, so nothing typed leaves the page.

use std::collections::HashSet;

use crate::html::escape;
use crate::slug::slugify;
use crate::yaml::{self, Value};

/// A problem inside a form block; `line` is 1-based within the block's YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError {
    pub line: usize,
    pub message: String,
    pub hint: Option<String>,
}

/// Where a form block sits, so ids are unique on its page.
#[derive(Debug, Clone, Copy)]
pub struct FormContext {
    /// 0-based index of this form block on its page.
    pub index: usize,
}

/// The kinds of field, in the order the documentation lists them.
pub const KINDS: [&str; 9] = [
    "text",
    "date",
    "period",
    "area",
    "table",
    "checkbox",
    "note",
    "signatures",
    "group",
];

/// The keys each kind accepts (its own name first).
pub fn allowed_keys(kind: &str) -> &'static [&'static str] {
    match kind {
        "text" => &["text", "id", "hint"],
        "date" => &["date", "id", "hint"],
        "period" => &["period", "from", "to", "id", "hint"],
        "area" => &["area", "lines", "id", "hint"],
        "table" => &["table", "columns", "rows", "id", "hint"],
        "checkbox" => &["checkbox", "id", "hint"],
        "note" => &["note"],
        "signatures" => &["signatures", "date", "id"],
        "group" => &["group", "fields", "id", "hint"],
        _ => &[],
    }
}

/// Limits that keep a form printable.
pub const MAX_LINES: u64 = 40;
pub const MAX_ROWS: u64 = 40;
pub const MAX_COLUMNS: usize = 8;
pub const MAX_SIGNATURES: usize = 4;
const DEFAULT_LINES: u64 = 4;
const DEFAULT_ROWS: u64 = 3;

/// One validated field.
#[derive(Debug, Clone, PartialEq)]
enum Field {
    Text {
        label: String,
        id: Option<String>,
        hint: Option<String>,
        date: bool,
    },
    Period {
        label: String,
        from: String,
        to: String,
        id: Option<String>,
        hint: Option<String>,
    },
    Area {
        label: String,
        lines: u64,
        id: Option<String>,
        hint: Option<String>,
    },
    Table {
        label: String,
        columns: Vec<String>,
        rows: u64,
        id: Option<String>,
        hint: Option<String>,
    },
    Checkbox {
        label: String,
        id: Option<String>,
        hint: Option<String>,
    },
    Note {
        text: String,
    },
    Signatures {
        captions: Vec<String>,
        date: Option<String>,
        id: Option<String>,
    },
    Group {
        legend: String,
        fields: Vec<Field>,
        id: Option<String>,
        hint: Option<String>,
    },
}

/// Render a form block's YAML to HTML, or every problem found in it.
pub fn render(yaml_text: &str, ctx: FormContext) -> Result<String, Vec<FormError>> {
    let fields = parse(yaml_text)?;
    let mut out = String::new();
    let mut ids = Ids::new(ctx.index);
    if let Err(e) = ids.reserve_explicit(&fields, yaml_text) {
        return Err(vec![e]);
    }
    out.push_str(&format!(
        "<div class=\"hb-form\" id=\"formular-{}\" data-form-index=\"{}\">\n",
        ctx.index + 1,
        ctx.index
    ));
    if ctx.index == 0 {
        out.push_str(TOOLBAR);
    }
    for field in &fields {
        render_field(field, &mut ids, &mut out);
    }
    out.push_str("</div>\n");
    Ok(out)
}

/// The privacy note and the buttons, once per page before its first form. The buttons stay
/// hidden until `form.js` runs, so a page without JavaScript shows no dead controls.
const TOOLBAR: &str = "<div class=\"hb-form-tools\">\n\
<p class=\"hb-privacy\"><strong>Det du skriver sparas inte och skickas ingenstans.</strong> \
Texten finns bara på den här sidan i din webbläsare tills du laddar om eller stänger sidan. \
Skriv ut formuläret innan du stänger sidan, eller skriv ut det tomt och fyll i för hand.</p>\n\
<p class=\"hb-buttons\" hidden><button type=\"button\" class=\"hb-print\" data-hb-print>Skriv ut</button> \
<button type=\"button\" class=\"hb-clear\" data-hb-clear>Töm formuläret</button></p>\n\
</div>\n";

// ---------------------------------------------------------------------------------------------
// Parsing and validation
// ---------------------------------------------------------------------------------------------

/// Parse and validate a block; every problem found is returned, not only the first.
fn parse(yaml_text: &str) -> Result<Vec<Field>, Vec<FormError>> {
    let value = yaml::parse_value(yaml_text).map_err(|e| {
        vec![FormError {
            line: e.line.max(1),
            message: format!("invalid YAML: {}", e.message),
            hint: Some(
                "a form block is a YAML list with one `- kind: label` item per field; quote labels that contain `:` or start with a special character".into(),
            ),
        }]
    })?;
    let items = match value {
        Value::Sequence(items) if !items.is_empty() => items,
        Value::Null | Value::Sequence(_) => Vec::new(),
        Value::Mapping(m) if m.is_empty() => Vec::new(),
        _ => {
            return Err(vec![FormError {
                line: 1,
                message: "a form block must be a YAML list of fields".into(),
                hint: Some("start each field with `- `, e.g. `- text: Namn`".into()),
            }])
        }
    };
    if items.is_empty() {
        return Err(vec![FormError {
            line: 1,
            message: "the form block is empty".into(),
            hint: Some(format!(
                "list the fields, one per line, e.g. `- text: Namn`; kinds: {}",
                KINDS.join(", ")
            )),
        }]);
    }
    let locator = Locator::new(yaml_text);
    let mut cursor = 0;
    let mut errors = Vec::new();
    let fields = parse_items(&items, &locator, &mut cursor, 0, &mut errors);
    if errors.is_empty() {
        Ok(fields)
    } else {
        Err(errors)
    }
}

fn parse_items(
    items: &[Value],
    loc: &Locator,
    cursor: &mut usize,
    depth: usize,
    errors: &mut Vec<FormError>,
) -> Vec<Field> {
    let mut fields = Vec::new();
    for item in items {
        let line = loc.item_line(*cursor);
        if matches!(item, Value::Mapping(_)) {
            *cursor += 1;
        }
        if let Some(f) = parse_item(item, line, loc, cursor, depth, errors) {
            fields.push(f);
        }
    }
    fields
}

fn parse_item(
    item: &Value,
    line: usize,
    loc: &Locator,
    cursor: &mut usize,
    depth: usize,
    errors: &mut Vec<FormError>,
) -> Option<Field> {
    let err = |errors: &mut Vec<FormError>, line: usize, message: String, hint: Option<String>| {
        errors.push(FormError { line, message, hint });
    };
    let Value::Mapping(map) = item else {
        let shown = match item {
            Value::String(s) => format!("`{s}`"),
            _ => "this item".into(),
        };
        err(
            errors,
            line,
            format!("{shown} is not a field: a field is `kind: label`"),
            Some(format!(
                "write the field as `- text: {}`; kinds: {}",
                scalar_text(item).unwrap_or_else(|| "Namn".into()),
                KINDS.join(", ")
            )),
        );
        return None;
    };
    let mut keys: Vec<String> = Vec::new();
    for k in map.keys() {
        match k {
            Value::String(s) => keys.push(s.clone()),
            other => {
                err(
                    errors,
                    line,
                    format!(
                        "a field key must be a word, not `{}`",
                        scalar_text(other).unwrap_or_default()
                    ),
                    None,
                );
                return None;
            }
        }
    }
    // `date` is also an option of `signatures`, so there it is not a second kind.
    let has_signatures = keys.iter().any(|k| k == "signatures");
    let kinds: Vec<&String> = keys
        .iter()
        .filter(|k| KINDS.contains(&k.as_str()) && !(has_signatures && k.as_str() == "date"))
        .collect();
    let kind = match kinds.as_slice() {
        [one] => one.as_str(),
        [] => {
            // Suggest a kind for a misspelt first key, e.g. `txt` → `text`.
            let first = keys.first().cloned().unwrap_or_default();
            let kinds_owned: Vec<String> = KINDS.iter().map(|s| s.to_string()).collect();
            let hint = match yaml::closest(&first, &kinds_owned) {
                Some(best) => format!("did you mean `{best}`? Field kinds: {}", KINDS.join(", ")),
                None => format!("start the field with one of: {}", KINDS.join(", ")),
            };
            err(
                errors,
                loc.key_line(line, &first),
                format!("unknown field kind `{first}`"),
                Some(hint),
            );
            return None;
        }
        [a, b, ..] => {
            err(
                errors,
                loc.key_line(line, b),
                format!("a field has one kind, but this one has both `{a}` and `{b}`"),
                Some("split it into two list items, each starting with `- `".into()),
            );
            return None;
        }
    };
    let allowed = allowed_keys(kind);
    let mut ok = true;
    for key in &keys {
        if !allowed.contains(&key.as_str()) {
            ok = false;
            let allowed_owned: Vec<String> = allowed.iter().map(|s| s.to_string()).collect();
            let list = allowed.join(", ");
            let hint = match yaml::closest(key, &allowed_owned) {
                Some(best) if best != kind => format!("did you mean `{best}`? Allowed keys for `{kind}`: {list}"),
                _ => format!("allowed keys for `{kind}`: {list}"),
            };
            err(
                errors,
                loc.key_line(line, key),
                format!("unknown key `{key}` in this `{kind}` field"),
                Some(hint),
            );
        }
    }
    let get = |k: &str| map.get(Value::String(k.to_string()));
    let key_line = |k: &str| loc.key_line(line, k);

    // The label (or, for `signatures`, the list of captions).
    let mut label = String::new();
    if kind != "signatures" {
        match get(kind).and_then(scalar_text) {
            Some(s) if !s.trim().is_empty() => label = s.trim().to_string(),
            _ => {
                ok = false;
                let what = match kind {
                    "note" => "the text to show",
                    "group" => "a heading (legend) for the group",
                    "table" => "a caption naming the table",
                    _ => "a label: the words shown with the field",
                };
                err(
                    errors,
                    key_line(kind),
                    format!("`{kind}` needs {what}"),
                    Some(format!(
                        "write it after the colon, e.g. `- {kind}: {}`",
                        example_label(kind)
                    )),
                );
            }
        }
    }
    let text_opt = |k: &str, errors: &mut Vec<FormError>, ok: &mut bool| -> Option<String> {
        let v = get(k)?;
        match scalar_text(v) {
            Some(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
            _ => {
                *ok = false;
                err(
                    errors,
                    key_line(k),
                    format!("`{k}` must be text"),
                    Some(format!("write the text after `{k}:` or remove the key")),
                );
                None
            }
        }
    };
    let number = |k: &str, default: u64, max: u64, errors: &mut Vec<FormError>, ok: &mut bool| -> u64 {
        match get(k) {
            None => default,
            Some(Value::Number(n)) if n.as_u64().is_some_and(|n| (1..=max).contains(&n)) => {
                n.as_u64().unwrap_or(default)
            }
            Some(v) => {
                *ok = false;
                err(
                    errors,
                    key_line(k),
                    format!(
                        "`{k}` must be a whole number from 1 to {max}, not `{}`",
                        scalar_text(v).unwrap_or_else(|| "a list".into())
                    ),
                    Some(format!("e.g. `{k}: {default}`")),
                );
                default
            }
        }
    };
    let id = match get("id") {
        None => None,
        Some(v) => match scalar_text(v) {
            Some(s) if is_valid_id(&s) => Some(s),
            other => {
                ok = false;
                err(
                    errors,
                    key_line("id"),
                    format!("`id` `{}` is not a usable id", other.unwrap_or_default()),
                    Some("use lowercase letters a–z, digits and `-`, starting with a letter, e.g. `id: namn`".into()),
                );
                None
            }
        },
    };
    let hint = text_opt("hint", errors, &mut ok);

    let field = match kind {
        "text" | "date" => Field::Text {
            label,
            id,
            hint,
            date: kind == "date",
        },
        "checkbox" => Field::Checkbox { label, id, hint },
        "note" => Field::Note { text: label },
        "period" => {
            let from = text_opt("from", errors, &mut ok).unwrap_or_else(|| "Från".into());
            let to = text_opt("to", errors, &mut ok).unwrap_or_else(|| "Till".into());
            Field::Period {
                label,
                from,
                to,
                id,
                hint,
            }
        }
        "area" => {
            let lines = number("lines", DEFAULT_LINES, MAX_LINES, errors, &mut ok);
            Field::Area { label, lines, id, hint }
        }
        "table" => {
            let rows = number("rows", DEFAULT_ROWS, MAX_ROWS, errors, &mut ok);
            let columns = match get("columns") {
                None => {
                    ok = false;
                    err(
                        errors,
                        key_line("table"),
                        "a `table` needs `columns`: the column headings".into(),
                        Some("e.g. `columns: [Insats, Datum, Kommentar]`".into()),
                    );
                    Vec::new()
                }
                Some(v) => match string_list(v) {
                    Some(cols) if !cols.is_empty() && cols.len() <= MAX_COLUMNS => cols,
                    _ => {
                        ok = false;
                        err(
                            errors,
                            key_line("columns"),
                            format!("`columns` must be a list of 1 to {MAX_COLUMNS} column headings"),
                            Some("e.g. `columns: [Insats, Datum, Kommentar]`".into()),
                        );
                        Vec::new()
                    }
                },
            };
            Field::Table {
                label,
                columns,
                rows,
                id,
                hint,
            }
        }
        "signatures" => {
            let captions = match get("signatures").and_then(string_list) {
                Some(c) if !c.is_empty() && c.len() <= MAX_SIGNATURES => c,
                _ => {
                    ok = false;
                    err(
                        errors,
                        key_line("signatures"),
                        format!(
                            "`signatures` must be a list of 1 to {MAX_SIGNATURES} captions, one per signature line"
                        ),
                        Some("e.g. `signatures: [Underskrift medarbetare, Underskrift chef]`".into()),
                    );
                    Vec::new()
                }
            };
            let date = match get("date") {
                None | Some(Value::Bool(false)) => None,
                Some(Value::Bool(true)) => Some("Datum".to_string()),
                Some(_) => text_opt("date", errors, &mut ok),
            };
            Field::Signatures { captions, date, id }
        }
        "group" => {
            let fields = match get("fields") {
                Some(Value::Sequence(items)) if !items.is_empty() => {
                    if depth > 0 {
                        ok = false;
                        err(
                            errors,
                            key_line("group"),
                            "a group cannot contain another group".into(),
                            Some("put the inner fields directly in the outer group".into()),
                        );
                        Vec::new()
                    } else {
                        parse_items(items, loc, cursor, depth + 1, errors)
                    }
                }
                _ => {
                    ok = false;
                    err(
                        errors,
                        key_line("group"),
                        "a `group` needs `fields`: a list of the fields inside it".into(),
                        Some("indent the fields under `fields:`, each starting with `- `".into()),
                    );
                    Vec::new()
                }
            };
            Field::Group {
                legend: label,
                fields,
                id,
                hint,
            }
        }
        _ => unreachable!("kind is one of KINDS"),
    };
    ok.then_some(field)
}

fn example_label(kind: &str) -> &'static str {
    match kind {
        "date" => "Datum",
        "period" => "Under perioden",
        "area" => "Mål för året",
        "table" => "Genomförda insatser",
        "checkbox" => "Samtalet är genomfört",
        "note" => "Fylls i av chef.",
        "group" => "Uppgifter om medarbetaren",
        _ => "Namn",
    }
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn string_list(v: &Value) -> Option<Vec<String>> {
    match v {
        Value::Sequence(items) => items
            .iter()
            .map(|i| scalar_text(i).map(|s| s.trim().to_string()).filter(|s| !s.is_empty()))
            .collect(),
        _ => None,
    }
}

fn is_valid_id(s: &str) -> bool {
    s.starts_with(|c: char| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Finds lines in the block's YAML: list items that are mappings (`- key:`), in document order,
/// and keys inside an item. serde_yaml's values carry no positions, so this reads the text.
struct Locator {
    lines: Vec<String>,
    /// 1-based lines of `- key:` items, in order.
    items: Vec<usize>,
}

impl Locator {
    fn new(text: &str) -> Self {
        let lines: Vec<String> = text.lines().map(str::to_owned).collect();
        let items = lines
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                let t = l.trim_start();
                t.strip_prefix('-')
                    .map(|r| r.trim_start().trim_start_matches('{').trim_start())
                    .and_then(|r| {
                        let key_end = r.find(':')?;
                        let key = &r[..key_end];
                        (!key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-'))
                            .then_some(())
                    })
                    .is_some()
            })
            .map(|(i, _)| i + 1)
            .collect();
        Locator { lines, items }
    }

    /// The line of the `n`-th mapping item (0-based), or 1 when it cannot be found.
    fn item_line(&self, n: usize) -> usize {
        self.items.get(n).copied().unwrap_or(1)
    }

    /// The line of `key:` in the item starting at `item_line`, or `item_line` itself.
    fn key_line(&self, item_line: usize, key: &str) -> usize {
        let end = self
            .items
            .iter()
            .copied()
            .find(|&l| l > item_line)
            .unwrap_or(self.lines.len() + 1);
        for n in item_line..end {
            let Some(line) = self.lines.get(n - 1) else { break };
            let t = line.trim_start();
            let t = t.strip_prefix('-').map(str::trim_start).unwrap_or(t);
            let t = t.trim_start_matches('{').trim_start();
            if t.strip_prefix(key).is_some_and(|r| r.trim_start().starts_with(':')) {
                return n;
            }
            // A key inside a flow mapping further along the line: `- {text: A, hnt: x}`.
            if n == item_line && (line.contains(&format!(", {key}:")) || line.contains(&format!(",{key}:"))) {
                return n;
            }
        }
        item_line
    }
}

// ---------------------------------------------------------------------------------------------
// Rendering
// ---------------------------------------------------------------------------------------------

/// Hands out unique element ids on a page: `f{form}-{slug}` or the `id` the author gave.
struct Ids {
    prefix: String,
    used: HashSet<String>,
}

impl Ids {
    fn new(index: usize) -> Self {
        Ids {
            prefix: format!("f{}-", index + 1),
            used: HashSet::new(),
        }
    }

    /// Author-given ids must be unique in the block; they are used as written.
    fn reserve_explicit(&mut self, fields: &[Field], yaml_text: &str) -> Result<(), FormError> {
        fn walk(fields: &[Field], out: &mut Vec<String>) {
            for f in fields {
                let id = match f {
                    Field::Text { id, .. }
                    | Field::Period { id, .. }
                    | Field::Area { id, .. }
                    | Field::Table { id, .. }
                    | Field::Checkbox { id, .. }
                    | Field::Signatures { id, .. } => id,
                    Field::Group { id, fields, .. } => {
                        walk(fields, out);
                        id
                    }
                    Field::Note { .. } => &None,
                };
                if let Some(id) = id {
                    out.push(id.clone());
                }
            }
        }
        let mut ids = Vec::new();
        walk(fields, &mut ids);
        for id in ids {
            if !self.used.insert(id.clone()) {
                let line = yaml_text
                    .lines()
                    .enumerate()
                    .filter(|(_, l)| {
                        l.trim_start()
                            .trim_start_matches('-')
                            .trim_start()
                            .strip_prefix("id:")
                            .is_some_and(|r| r.trim().trim_matches(['"', '\'']) == id)
                    })
                    .nth(1)
                    .map_or(1, |(i, _)| i + 1);
                return Err(FormError {
                    line,
                    message: format!("the id `{id}` is used by two fields"),
                    hint: Some(
                        "give each field its own `id`, or leave `id` out to have one made from the label".into(),
                    ),
                });
            }
        }
        Ok(())
    }

    fn make(&mut self, explicit: &Option<String>, label: &str) -> String {
        if let Some(id) = explicit {
            return id.clone();
        }
        let slug = slugify(label);
        let slug: String = slug.chars().take(40).collect();
        let slug = slug.trim_end_matches('-');
        let base = format!("{}{}", self.prefix, if slug.is_empty() { "falt" } else { slug });
        let mut id = base.clone();
        let mut n = 2;
        while !self.used.insert(id.clone()) {
            id = format!("{base}-{n}");
            n += 1;
        }
        id
    }
}

/// Swedish typography for labels, as in the Markdown text.
fn text(s: &str) -> String {
    escape(&s.replace('"', "”").replace('\'', "’"))
}

fn hint_html(id: &str, hint: &Option<String>) -> (String, String) {
    match hint {
        Some(h) => (
            format!(" aria-describedby=\"{id}-hjalp\""),
            format!("<p class=\"hb-hint\" id=\"{id}-hjalp\">{}</p>", text(h)),
        ),
        None => (String::new(), String::new()),
    }
}

fn render_field(field: &Field, ids: &mut Ids, out: &mut String) {
    match field {
        Field::Text { label, id, hint, date } => {
            let id = ids.make(id, label);
            let (described, hint) = hint_html(&id, hint);
            let (class, extra) = if *date {
                ("hb-date", " inputmode=\"numeric\" placeholder=\"ÅÅÅÅ-MM-DD\"")
            } else {
                ("hb-text", "")
            };
            out.push_str(&format!(
                "<div class=\"hb-field {class}\"><label for=\"{id}\">{}</label>{hint}\
                 <input type=\"text\" id=\"{id}\" autocomplete=\"off\"{extra}{described}></div>\n",
                text(label)
            ));
        }
        Field::Period {
            label,
            from,
            to,
            id,
            hint,
        } => {
            let id = ids.make(id, label);
            let (described, hint) = hint_html(&id, hint);
            out.push_str(&format!(
                "<fieldset class=\"hb-field hb-period\" id=\"{id}\"{described}><legend>{}</legend>{hint}\
                 <div class=\"hb-period-parts\">\
                 <span class=\"hb-part\"><label for=\"{id}-fran\">{}</label><input type=\"text\" id=\"{id}-fran\" autocomplete=\"off\" placeholder=\"ÅÅÅÅ-MM-DD\"></span> \
                 <span class=\"hb-part\"><label for=\"{id}-till\">{}</label><input type=\"text\" id=\"{id}-till\" autocomplete=\"off\" placeholder=\"ÅÅÅÅ-MM-DD\"></span>\
                 </div></fieldset>\n",
                text(label),
                text(from),
                text(to)
            ));
        }
        Field::Area { label, lines, id, hint } => {
            let id = ids.make(id, label);
            let (described, hint) = hint_html(&id, hint);
            out.push_str(&format!(
                "<div class=\"hb-field hb-area\" style=\"--lines: {lines}\"><label for=\"{id}\">{}</label>{hint}\
                 <textarea id=\"{id}\" rows=\"{lines}\" autocomplete=\"off\"{described}></textarea></div>\n",
                text(label)
            ));
        }
        Field::Table {
            label,
            columns,
            rows,
            id,
            hint,
        } => {
            let id = ids.make(id, label);
            let (described, hint) = hint_html(&id, hint);
            out.push_str(&format!(
                "<div class=\"hb-field hb-table-field\">{hint}<table class=\"hb-table\" id=\"{id}\"{described}><caption>{}</caption>\n<thead><tr>",
                text(label)
            ));
            for (c, col) in columns.iter().enumerate() {
                out.push_str(&format!("<th scope=\"col\" id=\"{id}-k{}\">{}</th>", c + 1, text(col)));
            }
            out.push_str("</tr></thead>\n<tbody>\n");
            for r in 1..=*rows {
                out.push_str("<tr>");
                for (c, col) in columns.iter().enumerate() {
                    out.push_str(&format!(
                        "<td><input type=\"text\" id=\"{id}-r{r}-k{c1}\" autocomplete=\"off\" aria-label=\"{}, rad {r}\"></td>",
                        text(col),
                        c1 = c + 1
                    ));
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</tbody></table></div>\n");
        }
        Field::Checkbox { label, id, hint } => {
            let id = ids.make(id, label);
            let (described, hint) = hint_html(&id, hint);
            out.push_str(&format!(
                "<div class=\"hb-field hb-checkbox\"><input type=\"checkbox\" id=\"{id}\"{described}> <label for=\"{id}\">{}</label>{hint}</div>\n",
                text(label)
            ));
        }
        Field::Note { text: body } => {
            out.push_str("<div class=\"hb-note\">");
            for para in body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
                out.push_str(&format!("<p>{}</p>", text(para)));
            }
            out.push_str("</div>\n");
        }
        Field::Signatures { captions, date, id } => {
            let first = captions.first().map(String::as_str).unwrap_or("underskrifter");
            let id = ids.make(id, first);
            out.push_str(&format!("<div class=\"hb-field hb-signatures\" id=\"{id}\">"));
            if let Some(d) = date {
                out.push_str(&format!(
                    "<div class=\"hb-sign-date\"><label for=\"{id}-datum\">{}</label>\
                     <input type=\"text\" id=\"{id}-datum\" autocomplete=\"off\" inputmode=\"numeric\" placeholder=\"ÅÅÅÅ-MM-DD\"></div>",
                    text(d)
                ));
            }
            out.push_str("<div class=\"hb-sign-row\">");
            for caption in captions {
                out.push_str(&format!(
                    "<div class=\"hb-signature\"><div class=\"hb-sign-line\"></div><p class=\"hb-caption\">{}</p></div>\n",
                    text(caption)
                ));
            }
            out.push_str("</div><p class=\"hb-sign-note\">Skrivs under för hand på utskriften.</p></div>\n");
        }
        Field::Group {
            legend,
            fields,
            id,
            hint,
        } => {
            let id = ids.make(id, legend);
            let (described, hint) = hint_html(&id, hint);
            out.push_str(&format!(
                "<fieldset class=\"hb-field hb-group\" id=\"{id}\"{described}><legend>{}</legend>{hint}\n",
                text(legend)
            ));
            for f in fields {
                render_field(f, ids, out);
            }
            out.push_str("</fieldset>\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errs(y: &str) -> Vec<FormError> {
        render(y, FormContext { index: 0 }).unwrap_err()
    }

    #[test]
    fn locator_finds_items_and_keys() {
        let y = "- text: A\n  hint: h\n- area: B\n  lines: 3\n- group: G\n  fields:\n    - text: C\n      id: c\n";
        let l = Locator::new(y);
        assert_eq!(l.items, vec![1, 3, 5, 7]);
        assert_eq!(l.key_line(3, "lines"), 4);
        assert_eq!(l.key_line(7, "id"), 8);
        assert_eq!(l.key_line(1, "nothing"), 1);
    }

    #[test]
    fn nested_error_points_inside_group() {
        let e = errs("- group: G\n  fields:\n    - text: A\n    - area: B\n      lins: 3\n");
        assert_eq!(e.len(), 1);
        assert_eq!(e[0].line, 5);
        assert!(e[0].hint.as_deref().unwrap().contains("did you mean `lines`"));
    }

    #[test]
    fn duplicate_ids_are_rejected() {
        let e = errs("- text: A\n  id: x\n- text: B\n  id: x\n");
        assert_eq!(e[0].line, 4);
        assert!(e[0].message.contains("`x`"));
    }

    #[test]
    fn generated_ids_are_unique() {
        let html = render("- text: Namn\n- text: Namn\n", FormContext { index: 1 }).unwrap();
        assert!(html.contains("id=\"f2-namn\""));
        assert!(html.contains("id=\"f2-namn-2\""));
        assert!(!html.contains("hb-form-tools"), "only the first form has the toolbar");
    }
}
