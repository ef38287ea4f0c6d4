//! The values the content stage returns: pages (front matter and where the body starts),
//! their source texts, and asset files.

use crate::content::FrontMatter;
use crate::paths;
use crate::yaml::KeyIndex;

/// Addresses one page: its place in the content's pages, which are sorted by source path.
/// Every later stage keeps that order, so a `PageId` names the same page everywhere.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PageId(pub usize);

/// One Markdown source file.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to the content folder, `/`-separated, e.g. `medarbetarsamtal/samtalsguide.md`.
    pub source: String,
    /// Output path relative to the output folder, e.g. `medarbetarsamtal/samtalsguide.html`.
    pub output: String,
    /// What the page says about itself. A page whose front matter has errors gets its source
    /// path as title, so the other checks can still run.
    pub front: FrontMatter,
    /// Where each front matter key is, as lines of the whole file.
    pub keys: KeyIndex,
    /// Byte offset of the Markdown body in the file's text.
    pub body_start: usize,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
}

impl Page {
    /// `true` for a section's own page (`index.md`).
    pub fn is_index(&self) -> bool {
        self.source == "index.md" || self.source.ends_with("/index.md")
    }

    /// The folder this page's links are relative to, `/`-separated ("" at the root).
    pub fn source_dir(&self) -> &str {
        paths::parent(&self.source)
    }

    /// The output folder the page is written to, which its relative links start from.
    pub fn output_dir(&self) -> &str {
        paths::parent(&self.output)
    }
}

/// The text of every page file (LF line endings), by [`PageId`]: the Markdown stage reads the
/// bodies and the validation stage quotes lines from them. Kept apart from [`Page`] so the
/// texts are freed once validation is done, before the templates fill memory.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    texts: Vec<String>,
}

impl Sources {
    pub(crate) fn new(texts: Vec<String>) -> Sources {
        Sources { texts }
    }

    /// Replace page `id`'s text, after an edit.
    pub(crate) fn set_text(&mut self, id: PageId, text: String) {
        self.texts[id.0] = text;
    }

    /// The whole file text of page `id`.
    pub fn text(&self, id: PageId) -> &str {
        self.texts.get(id.0).map_or("", String::as_str)
    }

    /// Put `text` in place of page `id`'s text (the editor's preview); returns the old text.
    pub(crate) fn replace(&mut self, id: PageId, text: String) -> String {
        match self.texts.get_mut(id.0) {
            Some(slot) => std::mem::replace(slot, text),
            None => text,
        }
    }

    /// The Markdown body of `page` (page `id`).
    pub fn body(&self, id: PageId, page: &Page) -> &str {
        self.text(id).get(page.body_start..).unwrap_or("")
    }
}

/// A non-Markdown file to copy unchanged (images, PDFs).
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path relative to the content folder.
    pub source: String,
    /// Path relative to the output folder.
    pub output: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}
