//! The .docx as a file: what kind of file it really is (a renamed .doc, a PDF, an encrypted
//! document are told apart by their first bytes), and its zip parts read with caps: the file
//! size, the number of entries, each entry's inflated size and all entries' together, counted
//! while inflating (a zip's own size fields can lie, which is how a zip bomb works).

use std::io::{Cursor, Read};

use super::ImportError;

/// Largest .docx accepted (the stated limit).
pub const MAX_FILE_BYTES: usize = 50 * 1024 * 1024;
/// Most entries in the zip (Word writes a few dozen; one per image).
pub(crate) const MAX_ENTRIES: usize = 10_000;
/// Largest inflated XML part (document, styles, numbering, notes).
pub(crate) const MAX_PART_BYTES: u64 = 64 * 1024 * 1024;
/// All parts read, inflated, together.
pub(crate) const MAX_TOTAL_BYTES: u64 = 256 * 1024 * 1024;

/// An opened .docx.
pub(crate) struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    total: u64,
}

/// Say what `bytes` is unless it is a zip, and open it as one.
pub(crate) fn open(bytes: &[u8]) -> Result<Package<'_>, ImportError> {
    if bytes.len() > MAX_FILE_BYTES {
        return Err(ImportError::TooLarge { bytes: bytes.len() });
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        // An OLE compound file: a Word 97–2003 .doc, or a .docx encrypted with a password
        // (Word wraps those in a compound file with these two streams).
        let utf16 = |s: &str| s.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>();
        let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        if has(&utf16("EncryptionInfo")) || has(&utf16("EncryptedPackage")) {
            return Err(ImportError::Encrypted);
        }
        return Err(ImportError::OldWord);
    }
    if bytes.starts_with(b"%PDF") {
        return Err(ImportError::Pdf);
    }
    if bytes.starts_with(b"{\\rtf") {
        return Err(ImportError::Rtf);
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(ImportError::NotDocx);
    }
    let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| ImportError::NotDocx)?;
    if zip.len() > MAX_ENTRIES {
        return Err(ImportError::TooManyEntries { entries: zip.len() });
    }
    let mut package = Package { zip, total: 0 };
    if let Some(kind) = package.part("mimetype", 200)? {
        if String::from_utf8_lossy(&kind).contains("opendocument") {
            return Err(ImportError::OpenDocument);
        }
    }
    if package.zip.index_for_name("word/document.xml").is_none() {
        return Err(ImportError::NotDocx);
    }
    Ok(package)
}

impl Package<'_> {
    /// The inflated bytes of the entry `name`, at most `cap` bytes (`None` when there is no
    /// such entry). Past the cap, or past the total for all parts, the file is refused.
    pub(crate) fn part(&mut self, name: &str, cap: u64) -> Result<Option<Vec<u8>>, ImportError> {
        let entry = match self.zip.by_name(name) {
            Ok(entry) => entry,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) if e.to_string().to_lowercase().contains("password") => return Err(ImportError::Encrypted),
            Err(_) => return Err(ImportError::NotDocx),
        };
        if entry.encrypted() {
            return Err(ImportError::Encrypted);
        }
        let room = cap.min(MAX_TOTAL_BYTES.saturating_sub(self.total));
        let mut out = Vec::new();
        entry
            .take(room + 1)
            .read_to_end(&mut out)
            .map_err(|_| ImportError::NotDocx)?;
        if out.len() as u64 > room {
            return Err(ImportError::Bomb {
                part: name.to_string(),
                cap: room,
            });
        }
        self.total += out.len() as u64;
        Ok(Some(out))
    }

    /// A required XML part.
    pub(crate) fn xml(&mut self, name: &str) -> Result<Option<super::xml::Element>, ImportError> {
        match self.part(name, MAX_PART_BYTES)? {
            Some(bytes) => super::xml::parse(&bytes, name).map(Some),
            None => Ok(None),
        }
    }
}
