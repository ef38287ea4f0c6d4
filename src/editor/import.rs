//! The editor's "Importera Word-dokument": an uploaded .docx converted and written exactly as
//! `handbok import` does it (`import::convert`, then `import::write::write`: names checked, no
//! symbolic links, temporary file and rename, all or nothing, an existing page replaced only
//! when asked), the images that still need alternative text listed with the page that shows
//! them, and the alternative texts the editor then asks for written into the page through the
//! save path (version-checked, previous version kept).

use pulldown_cmark::{Event, Options as ParserOptions, Parser, Tag, TagEnd};
use serde::{Deserialize, Serialize};

use super::ops::{self, SaveRequest, Saved};
use super::Failure;
use crate::files::{ContentFolder, Refusal};
use crate::import::{self, Changes, ImportError};

/// The longest alternative text taken, in characters.
const MAX_ALT_CHARS: usize = 1000;
/// The most images one request describes.
const MAX_ALTS: usize = 500;

/// `?namn=&till=&dela=&godkann=&ersatt=` of an upload.
#[derive(Debug, Clone, Deserialize)]
pub struct ImportQuery {
    /// The file's name as the browser gave it (`policy.docx`).
    pub namn: String,
    /// The section folder the pages go in (`""`: the top).
    #[serde(default)]
    pub till: String,
    /// One page per top-level heading (`--split`).
    #[serde(default)]
    pub dela: bool,
    /// Accept tracked changes (`--accept-changes`).
    #[serde(default)]
    pub godkann: bool,
    /// Replace pages of the same name (`--replace`); the editor sends it only after asking.
    #[serde(default)]
    pub ersatt: bool,
}

/// An image that the import left without alternative text.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct MissingAlt {
    /// The page that shows it.
    pub source: String,
    /// The link as the page writes it (`policy-bilder/image1.png`).
    pub link: String,
    /// The image file, relative to the content folder.
    pub file: String,
}

/// What an import wrote.
#[derive(Debug, Clone, Serialize)]
pub struct Imported {
    /// The page to open (the page, or a split document's `index.md`).
    pub open: String,
    /// Every file written, relative to the content folder.
    pub written: Vec<String>,
    /// What was changed or left out (Swedish, as the CLI prints them).
    pub warnings: Vec<String>,
    /// The images to describe.
    pub images: Vec<MissingAlt>,
    /// Each page's version now, for the alternative texts' save.
    pub versions: Vec<(String, String)>,
}

/// Import the uploaded document `bytes`, named `query.namn`, into the content folder.
pub fn import(folder: &ContentFolder, bytes: &[u8], query: &ImportQuery) -> Result<Imported, Failure> {
    let file_name = query.namn.rsplit(['/', '\\']).next().unwrap_or("");
    let (stem, extension) = file_name.rsplit_once('.').unwrap_or((file_name, ""));
    let refused = Failure::Import;
    match extension.to_ascii_lowercase().as_str() {
        "docx" => {}
        "doc" => return Err(refused(ImportError::OldWord)),
        "pdf" => return Err(refused(ImportError::Pdf)),
        "rtf" => return Err(refused(ImportError::Rtf)),
        "odt" => return Err(refused(ImportError::OpenDocument)),
        _ => return Err(refused(ImportError::NotDocx)),
    }
    if bytes.len() > import::MAX_FILE_BYTES {
        return Err(refused(ImportError::TooLarge { bytes: bytes.len() }));
    }
    let section = query.till.trim_matches('/').to_string();
    let options = import::Options {
        changes: if query.godkann {
            Changes::Accept
        } else {
            Changes::Refuse
        },
        split: query.dela,
        section: section.clone(),
        pages: import::write::existing_pages(folder.root()),
    };
    let converted = import::convert(bytes, stem, &options).map_err(refused)?;
    let written = import::write::write(folder.root(), &section, &converted, query.ersatt).map_err(refused)?;
    let pages: Vec<&String> = written.iter().filter(|w| w.ends_with(".md")).collect();
    let open = pages
        .iter()
        .find(|p| p.ends_with("/index.md") || p.as_str() == "index.md")
        .or(pages.first())
        .map(|p| p.to_string())
        .unwrap_or_default();
    let mut images = Vec::new();
    let mut versions = Vec::new();
    for page in pages {
        let (text, version) = folder.read_text(page)?;
        versions.push((page.clone(), version));
        for (link, _) in images_without_alt(&text) {
            let dir = crate::paths::parent(page);
            let decoded = crate::paths::percent_decode(&link);
            let Some(file) = crate::paths::join_normalised(dir, &decoded) else {
                continue;
            };
            if written.contains(&file) {
                images.push(MissingAlt {
                    source: page.clone(),
                    link,
                    file,
                });
            }
        }
    }
    Ok(Imported {
        open,
        written,
        warnings: converted.warnings,
        images,
        versions,
    })
}

/// Each image of `text` with an empty alternative text: its link and the byte range of its
/// `![]` (what the alternative text goes into), from the Markdown parser's source ranges.
fn images_without_alt(text: &str) -> Vec<(String, std::ops::Range<usize>)> {
    let mut found = Vec::new();
    let mut open: Option<(String, usize, bool)> = None;
    for (event, range) in Parser::new_ext(text, ParserOptions::all()).into_offset_iter() {
        match event {
            Event::Start(Tag::Image { dest_url, .. }) => open = Some((dest_url.to_string(), range.start, true)),
            Event::End(TagEnd::Image) => {
                if let Some((link, start, true)) = open.take() {
                    if text[start..].starts_with("![]") {
                        found.push((link, start..start + 3));
                    }
                }
            }
            _ if open.is_some() => {
                if let Some(o) = open.as_mut() {
                    o.2 = false;
                }
            }
            _ => {}
        }
    }
    found
}

/// The alternative texts for a page's imported images.
#[derive(Debug, Clone, Deserialize)]
pub struct AltRequest {
    /// The page.
    pub source: String,
    /// The version the import answered with.
    pub version: String,
    /// Link (as the page writes it) → what the image shows.
    pub alts: Vec<Alt>,
}

/// One image's alternative text.
#[derive(Debug, Clone, Deserialize)]
pub struct Alt {
    /// The link as the page writes it.
    pub link: String,
    /// What the image shows.
    pub alt: String,
}

/// Write the alternative texts into the page's images that have none, through the save path
/// (refused as a conflict when the page changed since `version`). Blank texts are left out.
pub fn write_alts(folder: &ContentFolder, request: &AltRequest) -> Result<Saved, Failure> {
    if request.alts.len() > MAX_ALTS {
        return Err(Refusal::TooLarge.into());
    }
    let (text, _) = folder.read_text(&request.source)?;
    let mut out = text.clone();
    for (link, range) in images_without_alt(&text).into_iter().rev() {
        let Some(alt) = request.alts.iter().find(|a| a.link == link) else {
            continue;
        };
        let alt = escape_alt(&alt.alt);
        if !alt.is_empty() {
            out.replace_range(range, &format!("![{alt}]"));
        }
    }
    ops::save(
        folder,
        &SaveRequest {
            source: request.source.clone(),
            text: out,
            version: request.version.clone(),
        },
    )
}

/// An alternative text as Markdown writes it: one line, bounded, `\`, `[` and `]` escaped.
fn escape_alt(alt: &str) -> String {
    let line: String = alt.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::new();
    for c in line.chars().take(MAX_ALT_CHARS) {
        if matches!(c, '\\' | '[' | ']' | '*' | '_' | '`' | '<' | '&') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The bytes of an image in the content folder (for the alternative-text form's preview):
/// only an image, never through a symbolic link.
pub fn image(folder: &ContentFolder, file: &str) -> Result<Vec<u8>, Failure> {
    if crate::files::check_name(file)? != crate::files::FileKind::Image {
        return Err(Refusal::WrongKind.into());
    }
    Ok(folder.read_bytes(file)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_images_without_alt_text_are_found_and_filled() {
        let text =
            "Se ![](a-bilder/image1.png) och ![Karta](a-bilder/image2.png).\n\n`![](kod.png)`\n\n![](<a b/bild.png>)\n";
        let found = images_without_alt(text);
        let links: Vec<&str> = found.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(links, ["a-bilder/image1.png", "a b/bild.png"]);
        assert_eq!(&text[found[0].1.clone()], "![]");
        assert_eq!(escape_alt("En [blå]\n ruta_1 "), "En \\[blå\\] ruta\\_1");
    }
}
