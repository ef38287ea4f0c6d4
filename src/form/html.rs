//! Validated fields → the view the theme's `form` component renders (`templates/form.html`):
//! every control gets a unique id (`f{form}-{slug}` or the author's), labels get Swedish
//! quotes and soft hyphens in long words, options left out get the theme's default words, and
//! a signature block is put together with the notes beside it (the part of a printed form that
//! is signed and must not be split).

use std::collections::HashSet;

use serde::Serialize;

use super::schema::{Common, Field};
use crate::hyphenate::{SOFT_HYPHEN, TABLE_WORD};
use crate::slug::slugify;
use crate::text::Typography;
use crate::theme::Theme;

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

/// A field's help text, and whether it is printed too.
#[derive(Debug, Serialize)]
struct Hint {
    text: String,
    print: bool,
}

/// A table column: its name (for the cells' accessible names) and its heading as shown.
#[derive(Debug, Serialize)]
struct Column {
    name: String,
    heading: String,
}

/// One field as its template sees it, tagged by `kind`.
#[derive(Debug, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum FieldView {
    Text {
        id: String,
        label: String,
        hint: Option<Hint>,
        date: bool,
        chars: Option<u64>,
    },
    Period {
        id: String,
        label: String,
        hint: Option<Hint>,
        from: String,
        to: String,
    },
    Area {
        id: String,
        label: String,
        hint: Option<Hint>,
        lines: u64,
    },
    Table {
        id: String,
        label: String,
        hint: Option<Hint>,
        columns: Vec<Column>,
        rows: u64,
    },
    Checkbox {
        id: String,
        label: String,
        hint: Option<Hint>,
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
        hint: Option<Hint>,
        fields: Vec<FieldView>,
    },
    /// A signature block with the notes right before and after it: printed as one piece.
    Signing {
        fields: Vec<FieldView>,
    },
}

/// The view of block `index` of its page, the element ids it gives, and its words (labels,
/// hints and notes) as plain text for search.
pub(super) fn view(fields: &[Field], index: usize, theme: &Theme) -> (FormView, Vec<String>, String) {
    let mut ids = Ids::new(index, fields);
    let fields = field_views(fields, &mut ids, theme);
    let mut words = Vec::new();
    fields.iter().for_each(|f| f.words(&mut words));
    // Search reads the words as written, without the soft hyphens put in for narrow columns.
    let text = words.join(" ").replace(SOFT_HYPHEN, "");
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
        let hint_text = |hint: &'a Option<Hint>| hint.as_ref().map(|h| h.text.as_str());
        match self {
            FieldView::Text { label, hint, .. }
            | FieldView::Area { label, hint, .. }
            | FieldView::Checkbox { label, hint, .. } => {
                out.push(label);
                out.extend(hint_text(hint));
            }
            FieldView::Period {
                label, hint, from, to, ..
            } => {
                out.extend([label.as_str(), from, to]);
                out.extend(hint_text(hint));
            }
            FieldView::Table {
                label, hint, columns, ..
            } => {
                out.push(label);
                out.extend(hint_text(hint));
                out.extend(columns.iter().map(|c| c.name.as_str()));
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
                out.extend(hint_text(hint));
                fields.iter().for_each(|f| f.words(out));
            }
            FieldView::Signing { fields } => fields.iter().for_each(|f| f.words(out)),
        }
    }
}

/// The views of `fields`, each signature block gathered with its notes.
fn field_views(fields: &[Field], ids: &mut Ids, theme: &Theme) -> Vec<FieldView> {
    let views: Vec<FieldView> = fields.iter().map(|f| field_view(f, ids, theme)).collect();
    gather_signing(views)
}

/// A signature block takes the notes directly before it ("Vid eventuell revidering …
/// dokumenteras det ovan") and after it ("Original till den anställde …") into one
/// [`FieldView::Signing`], which the theme keeps on one printed page.
fn gather_signing(views: Vec<FieldView>) -> Vec<FieldView> {
    let mut out: Vec<FieldView> = Vec::with_capacity(views.len());
    let mut rest = views.into_iter().peekable();
    while let Some(view) = rest.next() {
        if !matches!(view, FieldView::Signatures { .. }) {
            out.push(view);
            continue;
        }
        let notes_before = out
            .iter()
            .rev()
            .take_while(|v| matches!(v, FieldView::Note { .. }))
            .count();
        let mut fields = out.split_off(out.len() - notes_before);
        fields.push(view);
        while let Some(note) = rest.next_if(|v| matches!(v, FieldView::Note { .. })) {
            fields.push(note);
        }
        out.push(FieldView::Signing { fields });
    }
    out
}

fn field_view(field: &Field, ids: &mut Ids, theme: &Theme) -> FieldView {
    let strings = &theme.strings;
    let hyphenator = theme.hyphenator;
    let words = |s: &str| Typography::text(&theme.language, s);
    // Labels, legends and column headings are short lines in narrow columns: long compounds
    // get soft hyphens. Ids are made from the label as written, never from these.
    let label_words = |s: &str| hyphenator.hyphenate_text(&words(s));
    let mut labelled = |common: &Common| {
        (
            ids.make(common.id.as_ref().map(|g| g.name.as_str()), &common.label),
            label_words(&common.label),
            common.hint.as_deref().map(|h| Hint {
                text: words(h),
                print: common.print_hint,
            }),
        )
    };
    match field {
        Field::Text { common, date, chars } => {
            let (id, label, hint) = labelled(common);
            FieldView::Text {
                id,
                label,
                hint,
                date: *date,
                chars: *chars,
            }
        }
        Field::Period { common, from, to } => {
            let (id, label, hint) = labelled(common);
            FieldView::Period {
                id,
                label,
                hint,
                from: label_words(from.as_deref().unwrap_or(strings.text("form_from"))),
                to: label_words(to.as_deref().unwrap_or(strings.text("form_to"))),
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
                columns: columns
                    .iter()
                    .map(|c| Column {
                        name: words(c),
                        heading: hyphenator.hyphenate(&words(c), TABLE_WORD).into_owned(),
                    })
                    .collect(),
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
                captions: captions.iter().map(|c| label_words(c)).collect(),
                date: date
                    .as_ref()
                    .map(|label| label_words(label.as_deref().unwrap_or(strings.text("form_date")))),
            }
        }
        Field::Group { common, fields } => {
            let (id, label, hint) = labelled(common);
            FieldView::Group {
                id,
                label,
                hint,
                fields: field_views(fields, ids, theme),
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
