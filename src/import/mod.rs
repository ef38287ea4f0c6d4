//! `handbok import`: a Word document (.docx) into handbook pages, read directly (zip and XML,
//! no external program).
//!
//! - `archive`: what the file really is; zip parts read with caps (file size, entries, inflated
//!   bytes per part and in all);
//! - `xml`: the one XML reader (quick-xml; a DOCTYPE is refused, so no entity can expand);
//! - `styles`: paragraph styles → headings, title, table of contents, through `basedOn`;
//! - `numbering`: list numbering → bulleted or numbered items;
//! - `document`: the body into `model` blocks (tracked changes, comments, notes, images);
//! - `inline_text`: runs merged, characters normalised, spaces collapsed;
//! - `forms`: lines for writing → `form` blocks;
//! - `pages`: title, heading levels, one page or a section (`--split`), bookmarks, images;
//! - `markdown`: blocks → Markdown text;
//! - `write`: everything written all-or-nothing through `editor::files`.

mod archive;
mod document;
mod forms;
mod inline_text;
mod markdown;
mod model;
mod numbering;
mod pages;
mod styles;
pub mod write;
mod xml;

pub use archive::MAX_FILE_BYTES;
pub use document::Changes;
pub use pages::NewPage;

use std::fmt;

/// Why a document was not imported. The message is for people, in Swedish: what is wrong and
/// what to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportError {
    /// Larger than [`MAX_FILE_BYTES`].
    TooLarge {
        /// The file's size.
        bytes: usize,
    },
    /// A Word 97–2003 document (.doc).
    OldWord,
    /// Protected with a password.
    Encrypted,
    /// A PDF.
    Pdf,
    /// An RTF file.
    Rtf,
    /// An OpenDocument file (.odt).
    OpenDocument,
    /// Not a Word document at all.
    NotDocx,
    /// More zip entries than a document has.
    TooManyEntries {
        /// How many.
        entries: usize,
    },
    /// A part inflates past its cap.
    Bomb {
        /// The zip entry.
        part: String,
        /// Its cap in bytes.
        cap: u64,
    },
    /// A part's XML is broken.
    BadXml {
        /// The zip entry.
        part: String,
        /// What the XML reader said.
        why: String,
    },
    /// A part declares a document type (where entities would be defined).
    Doctype {
        /// The zip entry.
        part: String,
    },
    /// Tracked changes, and neither `--accept-changes` nor `--reject-changes`.
    TrackedChanges {
        /// Insertions, deletions and moves.
        count: usize,
    },
    /// A page or image of that name exists (and `--replace` was not given).
    Exists {
        /// Relative to the content folder.
        path: String,
    },
    /// The section folder is not a folder inside the content folder.
    BadSection {
        /// As given.
        section: String,
        /// What is wrong with it.
        why: String,
    },
    /// Writing failed (everything written was taken back).
    Write {
        /// Relative to the content folder.
        path: String,
        /// What failed.
        why: String,
    },
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mb = |b: u64| b / (1024 * 1024);
        match self {
            ImportError::TooLarge { bytes } => write!(
                f,
                "filen är {} MB, och handbok tar emot Word-dokument på högst {} MB. Dela upp dokumentet eller gör bilderna mindre (Komprimera bilder i Word) och försök igen.",
                mb(*bytes as u64).max(1),
                mb(MAX_FILE_BYTES as u64)
            ),
            ImportError::OldWord => write!(f, "filen är ett äldre Word-dokument (.doc), inte .docx. Öppna den i Word eller LibreOffice och spara som ”Word-dokument (.docx)”, och importera den filen."),
            ImportError::Encrypted => write!(f, "dokumentet är skyddat med lösenord (krypterat) och kan inte läsas. Öppna det i Word, ta bort lösenordet (Arkiv > Info > Skydda dokument) och spara, och försök igen."),
            ImportError::Pdf => write!(f, "filen är en PDF, inte ett Word-dokument. handbok importerar bara .docx: använd originalet i Word om det finns, eller kopiera texten till en ny sida."),
            ImportError::Rtf => write!(f, "filen är en RTF-fil, inte .docx. Öppna den i Word eller LibreOffice och spara som ”Word-dokument (.docx)”."),
            ImportError::OpenDocument => write!(f, "filen är ett OpenDocument-dokument (.odt), inte .docx. Spara den som ”Word-dokument (.docx)” i LibreOffice och importera den filen."),
            ImportError::NotDocx => write!(f, "filen är inte ett Word-dokument (.docx) eller är skadad. Öppna den i Word och spara den som .docx igen."),
            ImportError::TooManyEntries { entries } => write!(f, "filen innehåller {entries} delar, fler än ett Word-dokument har (högst {}). Den importeras inte.", archive::MAX_ENTRIES),
            ImportError::Bomb { part, cap } => write!(f, "delen {part} i filen packas upp till mer än {} MB, långt mer än ett Word-dokument innehåller. Filen importeras inte; spara dokumentet på nytt i Word om det är ett riktigt dokument.", mb(*cap).max(1)),
            ImportError::BadXml { part, why } => write!(f, "delen {part} i dokumentet går inte att läsa ({why}). Öppna dokumentet i Word och spara det igen."),
            ImportError::Doctype { part } => write!(f, "delen {part} i dokumentet har en DOCTYPE-deklaration, som Word aldrig skriver (den kan hämta filer eller blåsa upp texten). Filen importeras inte."),
            ImportError::TrackedChanges { count } => write!(f, "dokumentet har {count} spårade ändringar som inte är godkända. Godkänn eller avvisa dem i Word (Granska > Godkänn) och spara, eller importera med --accept-changes (ändringarna godkänns) eller --reject-changes (de avvisas)."),
            ImportError::Exists { path } => write!(f, "{path} finns redan och skrivs inte över. Importera med --replace om den ska ersättas, eller med --to till en annan mapp."),
            ImportError::BadSection { section, why } => write!(f, "mappen ”{section}” går inte att importera till: {why}."),
            ImportError::Write { path, why } => write!(f, "{path} kunde inte skrivas ({why}); inget av importen sparades."),
        }
    }
}

/// How to import.
#[derive(Debug, Clone)]
pub struct Options {
    /// What to do with tracked changes.
    pub changes: Changes,
    /// One page per top-level heading, in a section of their own.
    pub split: bool,
    /// The folder the pages go in, relative to the content folder (`""`: the top).
    pub section: String,
    /// The pages the content folder has (relative paths), so a link to a built page
    /// (`arbetsmiljo-och-halsa.html`) finds its source (`arbetsmiljö-och-hälsa.md`).
    pub pages: Vec<String>,
}

/// A converted document, not yet written.
#[derive(Debug, Clone)]
pub struct Converted {
    /// The document's title (the page's, or the section's).
    pub title: String,
    /// The pages, relative to the section folder.
    pub pages: Vec<NewPage>,
    /// The images (path relative to the section folder, bytes).
    pub images: Vec<(String, Vec<u8>)>,
    /// What was changed or left out, for the editor (Swedish).
    pub warnings: Vec<String>,
}

/// Convert the .docx `bytes`; `name` (the file's name without `.docx`) is the title when the
/// document names none.
pub fn convert(bytes: &[u8], name: &str, options: &Options) -> Result<Converted, ImportError> {
    let mut package = archive::open(bytes)?;
    let document = package.xml("word/document.xml")?.ok_or(ImportError::NotDocx)?;
    let styles = styles::Styles::parse(package.xml("word/styles.xml")?.as_ref());
    let numbering = numbering::Numbering::parse(package.xml("word/numbering.xml")?.as_ref());
    let rels = document::relationships(package.xml("word/_rels/document.xml.rels")?.as_ref());
    let footnotes = package.xml("word/footnotes.xml")?;
    let endnotes = package.xml("word/endnotes.xml")?;
    let comments = package
        .xml("word/comments.xml")?
        .map_or(0, |c| c.elements().filter(|e| e.name == "w:comment").count());
    let core = package.xml("docProps/core.xml")?;
    let property = |name: &str| {
        core.as_ref()
            .and_then(|c| c.child(name))
            .map(|e| e.text().split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|t| !t.is_empty())
    };
    let parts = document::Parts {
        styles: &styles,
        numbering: &numbering,
        rels: &rels,
        footnotes: footnotes.as_ref(),
        endnotes: endnotes.as_ref(),
    };
    let mut parsed = document::read(&document, parts, options.changes);
    if parsed.changes > 0 && options.changes == Changes::Refuse {
        return Err(ImportError::TrackedChanges { count: parsed.changes });
    }
    parsed.title = property("dc:title");
    parsed.creator = property("dc:creator");
    parsed.comments = parsed.comments.max(comments);
    let mut warnings = std::mem::take(&mut parsed.warnings);
    parsed.blocks = forms::recognise(std::mem::take(&mut parsed.blocks), &mut warnings);
    parsed.warnings = warnings;
    let site = pages::Site {
        section: options.section.trim_matches('/').to_string(),
        pages: &options.pages,
    };
    let planned = pages::plan(&mut parsed, name, options.split, &site);
    let mut images = Vec::new();
    for (path, index) in planned.images {
        let entry = parsed.images[index].entry.clone();
        match package.part(&entry, crate::files::MAX_IMAGE_BYTES as u64) {
            Ok(Some(bytes)) => images.push((path, bytes)),
            Ok(None) => parsed.warnings.push(format!(
                "Bilden {entry} saknas i dokumentet; sidan länkar till en bild som inte finns."
            )),
            Err(ImportError::Bomb { .. }) => parsed.warnings.push(format!(
                "Bilden {entry} är större än {} MB och togs inte med; gör den mindre och lägg in den i redigeraren.",
                crate::files::MAX_IMAGE_BYTES / (1024 * 1024)
            )),
            Err(e) => return Err(e),
        }
    }
    if parsed.comments > 0 {
        parsed.warnings.push(format!(
            "{} togs bort: de hör till arbetet med dokumentet, inte till handboken.",
            if parsed.comments == 1 {
                "1 kommentar".to_string()
            } else {
                format!("{} kommentarer", parsed.comments)
            }
        ));
    }
    if parsed.changes > 0 {
        let how = if options.changes == Changes::Accept {
            "godkändes"
        } else {
            "avvisades"
        };
        parsed
            .warnings
            .push(format!("{} spårade ändringar {how}.", parsed.changes));
    }
    let mut warnings = Vec::new();
    for w in parsed.warnings {
        if !warnings.contains(&w) {
            warnings.push(w);
        }
    }
    Ok(Converted {
        title: planned.title,
        pages: planned.pages,
        images,
        warnings,
    })
}
