//! Word's lines for writing: paragraphs such as "Underskrift ______" or "Datum: ______", and
//! tables whose cells are left empty to be filled in, recognised where they clearly are form
//! fields and turned into a `form` block. Underscores inside running text ("Jag, ______,
//! intygar …") stay text, with a warning.

use super::model::{Block, FormField, Inline, Table};

/// The fewest underscores that make a line for writing.
const MIN_LINE: usize = 4;

/// Replace runs of form lines and fill-in tables in `blocks` with form blocks.
pub(crate) fn recognise(blocks: Vec<Block>, warnings: &mut Vec<String>) -> Vec<Block> {
    let mut out: Vec<Block> = Vec::with_capacity(blocks.len());
    let mut pending: Vec<FormField> = Vec::new();
    let mut last_heading = String::new();
    for block in blocks {
        if let Some(field) = line_field(&block) {
            push_field(&mut pending, field);
            continue;
        }
        if !pending.is_empty() {
            out.push(Block::Form(std::mem::take(&mut pending)));
        }
        match &block {
            Block::Heading { inlines, .. } => last_heading = Inline::plain(inlines),
            Block::Table(table) => {
                if let Some(fields) = table_fields(table, &last_heading) {
                    out.push(Block::Form(fields));
                    continue;
                }
            }
            Block::Paragraph { inlines, .. } => {
                let text = Inline::plain(inlines);
                if text.contains(&"_".repeat(MIN_LINE)) {
                    warnings.push(format!(
                        "Raden ”{}” har understrykningar att skriva på men ser inte ut som ett formulärfält; den behölls som text. Gör om den till ett formulär i redigeraren om den ska fyllas i.",
                        shorten(&text)
                    ));
                }
            }
            _ => {}
        }
        out.push(block);
    }
    if !pending.is_empty() {
        out.push(Block::Form(pending));
    }
    out
}

fn shorten(text: &str) -> String {
    let mut short: String = text.chars().take(60).collect();
    if short.len() < text.len() {
        short.push('…');
    }
    short
}

/// A paragraph that is only a label and a line: `Namn: ______`.
fn line_field(block: &Block) -> Option<FormField> {
    let Block::Paragraph {
        inlines, list: None, ..
    } = block
    else {
        return None;
    };
    if inlines.iter().any(|i| !matches!(i, Inline::Text { .. })) {
        return None;
    }
    let text = Inline::plain(inlines);
    let trimmed = text.trim_end();
    let label_end = trimmed.trim_end_matches('_');
    let line = trimmed.len() - label_end.len();
    if line < MIN_LINE {
        return None;
    }
    let label = label_end.trim_end().trim_end_matches(':').trim();
    if label.is_empty() || label.contains('_') || label.chars().count() > 80 || label.ends_with(['.', '!', '?']) {
        return None;
    }
    Some(field_for(label))
}

fn field_for(label: &str) -> FormField {
    let lower = label.to_lowercase();
    if ["underskrift", "signatur", "namnteckning"]
        .iter()
        .any(|w| lower.contains(w))
    {
        FormField::Signatures(vec![label.to_string()])
    } else if lower.starts_with("datum") || lower.ends_with("datum") {
        FormField::Date(label.to_string())
    } else {
        FormField::Text(label.to_string())
    }
}

/// Signature lines that follow each other are one signature block (at most four side by side).
fn push_field(fields: &mut Vec<FormField>, field: FormField) {
    if let (FormField::Signatures(new), Some(FormField::Signatures(last))) = (&field, fields.last_mut()) {
        if last.len() < 4 {
            last.extend(new.iter().cloned());
            return;
        }
    }
    fields.push(field);
}

/// A table that is clearly to be filled in: labels in the first column and every other cell
/// empty, or column headings over rows of empty cells.
fn table_fields(table: &Table, heading: &str) -> Option<Vec<FormField>> {
    let empty = |c: &Vec<Inline>| {
        Inline::plain(c)
            .trim_matches(|c: char| c.is_whitespace() || c == '_')
            .is_empty()
    };
    let width = table.rows.first()?.len();
    if table.rows.len() >= 2 && width >= 2 {
        let head = &table.rows[0];
        if head.iter().all(|c| !empty(c)) && table.rows[1..].iter().all(|r| r.iter().all(empty)) {
            let columns: Vec<String> = head.iter().map(|c| Inline::plain(c).trim().to_string()).collect();
            if columns.len() <= 8 {
                let caption = if heading.is_empty() {
                    columns.join(", ")
                } else {
                    heading.to_string()
                };
                return Some(vec![FormField::Table {
                    caption,
                    columns,
                    rows: (table.rows.len() - 1).min(40),
                }]);
            }
        }
    }
    if width == 2 && !table.header {
        let labelled = table.rows.iter().all(|r| !empty(&r[0]) && empty(&r[1]));
        if labelled {
            let mut fields = Vec::new();
            for r in &table.rows {
                let label = Inline::plain(&r[0]);
                let label = label.trim().trim_end_matches(':').trim();
                push_field(&mut fields, field_for(label));
            }
            return Some(fields);
        }
    }
    None
}

/// The form block's YAML body.
pub(crate) fn yaml(fields: &[FormField]) -> String {
    let mut out = String::new();
    for f in fields {
        match f {
            FormField::Text(label) => out.push_str(&format!("- text: {}\n", scalar(label))),
            FormField::Date(label) => out.push_str(&format!("- date: {}\n", scalar(label))),
            FormField::Signatures(captions) => {
                let list: Vec<String> = captions.iter().map(|c| quoted(c)).collect();
                out.push_str(&format!("- signatures: [{}]\n", list.join(", ")));
            }
            FormField::Table { caption, columns, rows } => {
                let list: Vec<String> = columns.iter().map(|c| quoted(c)).collect();
                out.push_str(&format!(
                    "- table: {}\n  columns: [{}]\n  rows: {rows}\n",
                    scalar(caption),
                    list.join(", ")
                ));
            }
        }
    }
    out
}

/// A YAML scalar: plain when that reads back as the same string, else double-quoted.
pub(crate) fn scalar(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | ',' | '.' | '(' | ')' | '/' | '–' | '’'))
        && text.chars().next().is_some_and(char::is_alphanumeric)
        && !text.ends_with(' ')
        && !matches!(
            text.to_lowercase().as_str(),
            "yes" | "no" | "true" | "false" | "null" | "on" | "off" | "y" | "n"
        )
        && text.parse::<f64>().is_err();
    if plain {
        text.to_string()
    } else {
        quoted(text)
    }
}

/// A double-quoted YAML string.
pub(crate) fn quoted(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(text: &str) -> Block {
        Block::Paragraph {
            inlines: vec![Inline::Text {
                text: text.into(),
                bold: false,
                italic: false,
            }],
            list: None,
            anchors: vec![],
        }
    }

    #[test]
    fn lines_for_writing_become_fields_and_sentences_stay_text() {
        let mut warnings = Vec::new();
        let blocks = recognise(
            vec![
                para("Namn: ________"),
                para("Datum ________"),
                para("Underskrift medarbetare ________"),
                para("Underskrift chef ________"),
                para("Jag, ________, intygar detta."),
            ],
            &mut warnings,
        );
        assert_eq!(
            blocks[0],
            Block::Form(vec![
                FormField::Text("Namn".into()),
                FormField::Date("Datum".into()),
                FormField::Signatures(vec!["Underskrift medarbetare".into(), "Underskrift chef".into()]),
            ])
        );
        assert_eq!(blocks[1], para("Jag, ________, intygar detta."));
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            yaml(match &blocks[0] {
                Block::Form(f) => f,
                _ => unreachable!(),
            }),
            "- text: Namn\n- date: Datum\n- signatures: [\"Underskrift medarbetare\", \"Underskrift chef\"]\n"
        );
    }

    #[test]
    fn yaml_scalars_read_back_as_written() {
        assert_eq!(scalar("Namn"), "Namn");
        assert_eq!(scalar("Ja"), "Ja");
        assert_eq!(scalar("yes"), "\"yes\"");
        assert_eq!(scalar("Tid: 8"), "\"Tid: 8\"");
        assert_eq!(scalar("2024"), "\"2024\"");
        assert_eq!(scalar("Säg \"hej\""), "\"Säg \\\"hej\\\"\"");
    }
}
