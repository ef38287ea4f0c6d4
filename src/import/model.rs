//! What the importer understood of a document, between reading Word's XML (`document`) and
//! writing Markdown (`markdown`): blocks of inline text, with the notes, images and counts that
//! go with them.

/// A block of the document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    /// A heading of the document's level 1–9 (shifted when written).
    Heading {
        level: u8,
        inlines: Vec<Inline>,
        /// Bookmarks in it: internal links to them become links to the heading's id.
        anchors: Vec<String>,
    },
    /// A paragraph in the document's "Title" style.
    Title(Vec<Inline>),
    /// A paragraph, maybe a list item.
    Paragraph {
        inlines: Vec<Inline>,
        list: Option<ListItem>,
        anchors: Vec<String>,
    },
    /// A table.
    Table(Table),
    /// Lines for writing, recognised as form fields (`forms`).
    Form(Vec<FormField>),
}

/// A paragraph's place in a list.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ListItem {
    /// `None`: bulleted; `Some(n)`: numbered, the list starting at `n`.
    pub(crate) start: Option<u32>,
    /// 0 for the outermost level.
    pub(crate) level: u8,
}

/// A table: rows of cells of inline text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Table {
    pub(crate) rows: Vec<Vec<Vec<Inline>>>,
    /// The first row is marked as a header row (repeated on each page) in the document.
    pub(crate) header: bool,
    /// Cells were merged across columns or rows (Markdown has no merged cells).
    pub(crate) merged: bool,
}

/// Inline content.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Inline {
    Text {
        text: String,
        bold: bool,
        italic: bool,
    },
    Link {
        target: Target,
        inlines: Vec<Inline>,
    },
    /// The n-th note (0-based, in `Parsed::notes`).
    Note(usize),
    /// The n-th image (0-based, in `Parsed::images`).
    Image(usize),
    /// A line break inside a paragraph.
    Break,
}

/// Where a link goes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Target {
    Url(String),
    /// A bookmark in the document.
    Bookmark(String),
}

/// An image the document shows.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ImageRef {
    /// The zip entry, `word/media/image1.png`.
    pub(crate) entry: String,
    /// The alternative text ("Alternativ text" in Word), when given.
    pub(crate) alt: Option<String>,
}

/// A form field recognised from lines for writing.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FormField {
    Text(String),
    Date(String),
    Signatures(Vec<String>),
    Table {
        caption: String,
        columns: Vec<String>,
        rows: usize,
    },
}

/// The whole document as read.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub(crate) blocks: Vec<Block>,
    /// Each note's paragraphs, in order of first reference.
    pub(crate) notes: Vec<Vec<Inline>>,
    pub(crate) images: Vec<ImageRef>,
    /// Tracked insertions, deletions and moves.
    pub(crate) changes: usize,
    /// Comments dropped.
    pub(crate) comments: usize,
    /// The document's properties.
    pub(crate) title: Option<String>,
    pub(crate) creator: Option<String>,
    /// What was changed or left out on the way (Swedish, for the editor).
    pub(crate) warnings: Vec<String>,
}

impl Inline {
    /// The plain text of inlines (links by their text, notes and images left out).
    pub(crate) fn plain(inlines: &[Inline]) -> String {
        let mut out = String::new();
        for i in inlines {
            match i {
                Inline::Text { text, .. } => out.push_str(text),
                Inline::Link { inlines, .. } => out.push_str(&Inline::plain(inlines)),
                Inline::Break => out.push(' '),
                Inline::Note(_) | Inline::Image(_) => {}
            }
        }
        out
    }
}
