//! What a form block may hold: the kinds of field, the keys each accepts, and the limits that
//! keep a form printable. To add a kind: a variant here (with its keys, example and what its
//! label is), a `Field` variant, a parse function in `parse.rs`, a view in `html.rs` and its
//! markup in the theme's `templates/form.html`.

/// The kinds of field, in the order the documentation lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// A single-line text field.
    Text,
    /// A single-line date field.
    Date,
    /// A from–to pair of dates.
    Period,
    /// A writing area with ruled lines.
    Area,
    /// A table with named columns and blank rows.
    Table,
    /// A checkbox.
    Checkbox,
    /// A text to read, not to fill in.
    Note,
    /// Signature lines with captions, and an optional date.
    Signatures,
    /// Fields under a common heading.
    Group,
}

impl FieldKind {
    /// Every kind, in documentation order.
    pub const ALL: [FieldKind; 9] = [
        FieldKind::Text,
        FieldKind::Date,
        FieldKind::Period,
        FieldKind::Area,
        FieldKind::Table,
        FieldKind::Checkbox,
        FieldKind::Note,
        FieldKind::Signatures,
        FieldKind::Group,
    ];

    /// The key that names the kind in YAML (`- text: Namn`).
    pub fn name(self) -> &'static str {
        match self {
            FieldKind::Text => "text",
            FieldKind::Date => "date",
            FieldKind::Period => "period",
            FieldKind::Area => "area",
            FieldKind::Table => "table",
            FieldKind::Checkbox => "checkbox",
            FieldKind::Note => "note",
            FieldKind::Signatures => "signatures",
            FieldKind::Group => "group",
        }
    }

    /// The kind a YAML key names.
    pub fn from_name(name: &str) -> Option<FieldKind> {
        FieldKind::ALL.into_iter().find(|k| k.name() == name)
    }

    /// The keys this kind accepts, its own name first.
    pub fn keys(self) -> &'static [&'static str] {
        match self {
            FieldKind::Text => &["text", "chars", "id", "hint", "print_hint"],
            FieldKind::Date => &["date", "id", "hint", "print_hint"],
            FieldKind::Period => &["period", "from", "to", "id", "hint", "print_hint"],
            FieldKind::Area => &["area", "lines", "id", "hint", "print_hint"],
            FieldKind::Table => &["table", "columns", "rows", "id", "hint", "print_hint"],
            FieldKind::Checkbox => &["checkbox", "id", "hint", "print_hint"],
            FieldKind::Note => &["note"],
            FieldKind::Signatures => &["signatures", "date", "id"],
            FieldKind::Group => &["group", "fields", "id", "hint", "print_hint"],
        }
    }

    /// An example label, for hints.
    pub fn example(self) -> &'static str {
        match self {
            FieldKind::Text => "Namn",
            FieldKind::Date => "Datum",
            FieldKind::Period => "Under perioden",
            FieldKind::Area => "Mål för året",
            FieldKind::Table => "Genomförda insatser",
            FieldKind::Checkbox => "Samtalet är genomfört",
            FieldKind::Note => "Fylls i av chef.",
            FieldKind::Signatures => "[Underskrift medarbetare, Underskrift chef]",
            FieldKind::Group => "Uppgifter om medarbetaren",
        }
    }

    /// What the value of the kind's own key is, for "`kind` needs …" messages.
    pub fn label_is(self) -> crate::diag::Message {
        crate::diag::Message::new(match self {
            FieldKind::Note => "form_label_is_note",
            FieldKind::Group => "form_label_is_group",
            FieldKind::Table => "form_label_is_table",
            _ => "form_label_is_field",
        })
    }

    /// Every kind's name, comma separated, for hints.
    pub fn list() -> String {
        FieldKind::ALL.map(FieldKind::name).join(", ")
    }
}

/// Limits that keep a form printable.
pub const MAX_LINES: u64 = 40;
/// Most blank rows a table may have.
pub const MAX_ROWS: u64 = 40;
/// Most columns a table may have.
pub const MAX_COLUMNS: usize = 8;
/// Most signature lines a block may have.
pub const MAX_SIGNATURES: usize = 4;
/// Writing lines when `lines` is not given.
pub const DEFAULT_LINES: u64 = 4;
/// Blank table rows when `rows` is not given.
pub const DEFAULT_ROWS: u64 = 3;
/// The longest answer a short text field (`chars`) may be sized for; longer ones are full width.
pub const MAX_CHARS: u64 = 40;

/// An `id` an author gave a field, with the line it is on (inside the block).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GivenId {
    /// The id as written.
    pub name: String,
    /// 1-based line inside the block.
    pub line: usize,
}

/// What every field that can be filled in has: a label, an optional id and hint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Common {
    /// The words shown with the field.
    pub label: String,
    /// The author's id, if any.
    pub id: Option<GivenId>,
    /// A hint shown under the label.
    pub hint: Option<String>,
    /// Whether the hint is printed too (`print_hint: false` keeps a hint that means nothing on
    /// paper, such as "Fri text.", on screen only).
    pub print_hint: bool,
}

/// One validated field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// `text` or `date`.
    Text {
        /// Label, id and hint.
        common: Common,
        /// A date field.
        date: bool,
        /// `chars`: the answer is this many characters (a two-digit year), so the field and its
        /// printed line are short. `None`: full width.
        chars: Option<u64>,
    },
    /// `period`: two dates.
    Period {
        /// Label, id and hint.
        common: Common,
        /// The first date's label (the theme's default when absent).
        from: Option<String>,
        /// The second date's label.
        to: Option<String>,
    },
    /// `area`: ruled writing lines.
    Area {
        /// Label, id and hint.
        common: Common,
        /// How many lines.
        lines: u64,
    },
    /// `table`: named columns and blank rows.
    Table {
        /// Caption, id and hint.
        common: Common,
        /// Column headings.
        columns: Vec<String>,
        /// Blank rows.
        rows: u64,
    },
    /// `checkbox`.
    Checkbox {
        /// Label, id and hint.
        common: Common,
    },
    /// `note`: text to read.
    Note {
        /// The text; blank lines separate paragraphs.
        text: String,
    },
    /// `signatures`: lines to sign on.
    Signatures {
        /// One caption per line.
        captions: Vec<String>,
        /// `None`: no date; `Some(None)`: a date with the theme's label; `Some(Some(l))`: label `l`.
        date: Option<Option<String>>,
        /// The author's id, if any.
        id: Option<GivenId>,
    },
    /// `group`: fields under a legend.
    Group {
        /// Legend, id and hint.
        common: Common,
        /// The fields inside.
        fields: Vec<Field>,
    },
}

impl Field {
    /// The author's id of this field, if any.
    pub fn given_id(&self) -> Option<&GivenId> {
        match self {
            Field::Text { common, .. }
            | Field::Period { common, .. }
            | Field::Area { common, .. }
            | Field::Table { common, .. }
            | Field::Checkbox { common }
            | Field::Group { common, .. } => common.id.as_ref(),
            Field::Signatures { id, .. } => id.as_ref(),
            Field::Note { .. } => None,
        }
    }
}
