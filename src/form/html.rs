//! Validated fields → the view the theme's `form` component renders (`templates/form.html`):
//! every control gets a unique id (`f{form}-{slug}` or the author's), labels get Swedish
//! quotes, and options left out get the theme's default words.

use std::collections::HashSet;

use serde::Serialize;

use super::schema::{Common, Field};
use crate::slug::slugify;
use crate::text::Typography;
use crate::theme::Strings;

/// One form block as its template sees it.
#[derive(Debug, Serialize)]
pub(super) struct FormView {
    /// 1-based number of the block on its page (its element id is `formular-{number}`).
    number: usize,
    /// 0-based index of the block on its page.
    index: usize,
    /// The first block on a page carries the privacy note and the print and clear buttons.
    tools: bool,
    fields: Vec<FieldView>,
}

/// One field as its template sees it, tagged by `kind`.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum FieldView {
    Text {
        id: String,
        label: String,
        hint: Option<String>,
        date: bool,
    },
    Period {
        id: String,
        label: String,
        hint: Option<String>,
        from: String,
        to: String,
    },
    Area {
        id: String,
        label: String,
        hint: Option<String>,
        lines: u64,
    },
    Table {
        id: String,
        label: String,
        hint: Option<String>,
        columns: Vec<String>,
        rows: u64,
    },
    Checkbox {
        id: String,
        label: String,
        hint: Option<String>,
    },
    Note {
        paragraphs: Vec<String>,
    },
    Signatures {
        id: String,
        captions: Vec<String>,
        date: Option<String>,
    },
    Group {
        id: String,
        label: String,
        hint: Option<String>,
        fields: Vec<FieldView>,
    },
}

/// The site's words for the view: the string table, and the language for typography.
pub(super) struct Words<'a> {
    pub strings: &'a Strings,
    pub language: &'a str,
}

/// The view of block `index` of its page, the element ids it gives, and its words (labels,
/// hints and notes) as plain text for search.
pub(super) fn view(fields: &[Field], index: usize, words: &Words<'_>) -> (FormView, Vec<String>, String) {
    let mut ids = Ids::new(index, fields);
    let fields: Vec<FieldView> = fields.iter().map(|f| field_view(f, &mut ids, words)).collect();
    let mut words = Vec::new();
    fields.iter().for_each(|f| f.words(&mut words));
    let text = words.join(" ");
    let view = FormView {
        number: index + 1,
        index,
        tools: index == 0,
        fields,
    };
    (view, ids.given, text)
}

impl FieldView {
    /// The words a reader sees in the field, for search.
    fn words<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            FieldView::Text { label, hint, .. }
            | FieldView::Area { label, hint, .. }
            | FieldView::Checkbox { label, hint, .. } => {
                out.push(label);
                out.extend(hint.as_deref());
            }
            FieldView::Period {
                label, hint, from, to, ..
            } => {
                out.extend([label.as_str(), from, to]);
                out.extend(hint.as_deref());
            }
            FieldView::Table {
                label, hint, columns, ..
            } => {
                out.push(label);
                out.extend(hint.as_deref());
                out.extend(columns.iter().map(String::as_str));
            }
            FieldView::Note { paragraphs } => out.extend(paragraphs.iter().map(String::as_str)),
            FieldView::Signatures { captions, date, .. } => {
                out.extend(date.as_deref());
                out.extend(captions.iter().map(String::as_str));
            }
            FieldView::Group {
                label, hint, fields, ..
            } => {
                out.push(label);
                out.extend(hint.as_deref());
                fields.iter().for_each(|f| f.words(out));
            }
        }
    }
}

fn field_view(field: &Field, ids: &mut Ids, site_words: &Words<'_>) -> FieldView {
    let strings = site_words.strings;
    let words = |s: &str| Typography::text(site_words.language, s);
    let mut labelled = |common: &Common| {
        (
            ids.make(common.id.as_ref().map(|g| g.name.as_str()), &common.label),
            words(&common.label),
            common.hint.as_deref().map(words),
        )
    };
    match field {
        Field::Text { common, date } => {
            let (id, label, hint) = labelled(common);
            FieldView::Text {
                id,
                label,
                hint,
                date: *date,
            }
        }
        Field::Period { common, from, to } => {
            let (id, label, hint) = labelled(common);
            FieldView::Period {
                id,
                label,
                hint,
                from: words(from.as_deref().unwrap_or(strings.text("form_from"))),
                to: words(to.as_deref().unwrap_or(strings.text("form_to"))),
            }
        }
        Field::Area { common, lines } => {
            let (id, label, hint) = labelled(common);
            FieldView::Area {
                id,
                label,
                hint,
                lines: *lines,
            }
        }
        Field::Table { common, columns, rows } => {
            let (id, label, hint) = labelled(common);
            FieldView::Table {
                id,
                label,
                hint,
                columns: columns.iter().map(|c| words(c)).collect(),
                rows: *rows,
            }
        }
        Field::Checkbox { common } => {
            let (id, label, hint) = labelled(common);
            FieldView::Checkbox { id, label, hint }
        }
        Field::Note { text } => FieldView::Note {
            paragraphs: text
                .split("\n\n")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(words)
                .collect(),
        },
        Field::Signatures { captions, date, id } => {
            let first = captions.first().map_or("underskrifter", String::as_str);
            FieldView::Signatures {
                id: ids.make(id.as_ref().map(|g| g.name.as_str()), first),
                captions: captions.iter().map(|c| words(c)).collect(),
                date: date
                    .as_ref()
                    .map(|label| words(label.as_deref().unwrap_or(strings.text("form_date")))),
            }
        }
        Field::Group { common, fields } => {
            let (id, label, hint) = labelled(common);
            FieldView::Group {
                id,
                label,
                hint,
                fields: fields.iter().map(|f| field_view(f, ids, site_words)).collect(),
            }
        }
    }
}

/// Hands out unique element ids on a page: `f{form}-{slug}` or the `id` the author gave.
struct Ids {
    prefix: String,
    used: HashSet<String>,
    /// Every id given out, in order.
    given: Vec<String>,
}

impl Ids {
    /// Ids for block `index`; the ids its author gave are taken first (they are unique, as
    /// parsing checked), so a made-up id never takes one of them.
    fn new(index: usize, fields: &[Field]) -> Ids {
        fn walk(fields: &[Field], used: &mut HashSet<String>) {
            for f in fields {
                if let Field::Group { fields, .. } = f {
                    walk(fields, used);
                }
                used.extend(f.given_id().map(|g| g.name.clone()));
            }
        }
        let mut used = HashSet::new();
        walk(fields, &mut used);
        Ids {
            prefix: format!("f{}-", index + 1),
            used,
            given: Vec::new(),
        }
    }

    fn make(&mut self, given: Option<&str>, label: &str) -> String {
        let id = self.make_unrecorded(given, label);
        self.given.push(id.clone());
        id
    }

    fn make_unrecorded(&mut self, given: Option<&str>, label: &str) -> String {
        if let Some(id) = given {
            return id.to_string();
        }
        let slug: String = slugify(label).chars().take(40).collect();
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
