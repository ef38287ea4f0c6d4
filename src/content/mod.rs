//! Stage 1: read the content folder. Walks it (never following a symlink out of it), decodes each
//! file, splits and parses front matter, and returns `Content`: the site settings, the pages
//! (source text and metadata, not yet rendered) and the asset files to copy.
//!
//! This is the only stage that reads the content folder.

pub mod frontmatter;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::{SiteConfig, SETTINGS_FILE};
use crate::diag::{Diagnostic, Diagnostics};
use crate::slug::slugify;
pub use frontmatter::FrontMatter;

/// One Markdown source file.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to the content folder, `/`-separated, e.g. `medarbetarsamtal/samtalsguide.md`.
    pub source: String,
    /// Output path relative to the output folder, e.g. `medarbetarsamtal/samtalsguide.html`.
    pub output: String,
    pub front: FrontMatter,
    /// The whole file's text (LF line endings), for quoting lines in diagnostics.
    pub text: String,
    /// Byte offset of the Markdown body in `text`.
    pub body_start: usize,
    /// 1-based line of `text` where the body starts.
    pub body_line: usize,
}

impl Page {
    pub fn body(&self) -> &str {
        &self.text[self.body_start..]
    }

    /// `true` for a section's own page (`index.md`).
    pub fn is_index(&self) -> bool {
        self.source == "index.md" || self.source.ends_with("/index.md")
    }

    /// The folder this page's links are relative to, `/`-separated ("" at the root).
    pub fn source_dir(&self) -> &str {
        self.source.rsplit_once('/').map_or("", |(dir, _)| dir)
    }
}

/// A non-Markdown file to copy unchanged (images, PDFs).
#[derive(Debug, Clone)]
pub struct Asset {
    pub source: String,
    pub output: String,
    pub bytes: Vec<u8>,
}

/// Everything read from the content folder.
#[derive(Debug, Clone)]
pub struct Content {
    pub root: PathBuf,
    pub config: SiteConfig,
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
}

/// Read the content folder. Every problem found is pushed to `diags`; `None` when any is an error.
pub fn load(root: &Path, diags: &mut Diagnostics) -> Option<Content> {
    let errors_before = diags.error_count();
    if !root.is_dir() {
        diags.push(
            Diagnostic::error(root, 0, 0, "the content folder does not exist or is not a folder")
                .with_hint("run handbok from the handbook's folder, or name the folder with --content"),
        );
        return None;
    }
    let canonical_root = match root.canonicalize() {
        Ok(p) => p,
        Err(err) => {
            diags.push(Diagnostic::error(
                root,
                0,
                0,
                format!("cannot read the content folder: {err}"),
            ));
            return None;
        }
    };

    let mut config = None;
    let mut pages = Vec::new();
    let mut assets = Vec::new();
    let mut folders = Vec::new();

    let mut files: Vec<(PathBuf, String)> = Vec::new();
    let walker = WalkDir::new(root).follow_links(false).sort_by_file_name().into_iter();
    for entry in walker.filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name())) {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err.path().map(Path::to_path_buf).unwrap_or_else(|| root.to_path_buf());
                diags.push(Diagnostic::error(path, 0, 0, format!("cannot read: {err}")));
                continue;
            }
        };
        let path = entry.path();
        let relative = match relative_slash_path(path, root) {
            Some(r) => r,
            None => continue,
        };
        let file_type = entry.file_type();
        if file_type.is_symlink() {
            match path.canonicalize() {
                Ok(target) if target.starts_with(&canonical_root) && target.is_file() => {}
                Ok(target) if target.starts_with(&canonical_root) => {
                    diags.push(Diagnostic::warning(
                        path,
                        0,
                        0,
                        "symbolic link to a folder is not followed",
                    ));
                    continue;
                }
                _ => {
                    diags.push(
                        Diagnostic::error(
                            path,
                            0,
                            0,
                            "symbolic link leads outside the content folder (or nowhere)",
                        )
                        .with_hint("copy the file into the content folder instead of linking to it"),
                    );
                    continue;
                }
            }
        } else if file_type.is_dir() {
            if entry.depth() > 0 {
                folders.push(relative);
            }
            continue;
        }

        files.push((path.to_path_buf(), relative));
    }

    // Reading and parsing the files is independent per file: on every core, merged in walk order.
    let loaded: Vec<Loaded> = files
        .into_par_iter()
        .map(|(path, relative)| load_file(&path, relative))
        .collect();
    for item in loaded {
        match item {
            Loaded::Config(Ok(c)) => config = Some(c),
            Loaded::Config(Err(errs)) => diags.extend(errs),
            Loaded::Page(page) => pages.push(page),
            Loaded::Asset(asset) => assets.push(asset),
            Loaded::Failed(d) => diags.push(d),
        }
    }

    if config.is_none() && !diags.iter().any(|d| d.path.ends_with(SETTINGS_FILE)) {
        diags.push(
            Diagnostic::error(root.join(SETTINGS_FILE), 0, 0, "the site settings file is missing")
                .with_hint("create site.yml with `title:` and `organisation:`"),
        );
    }
    // A folder holding pages is a section and needs its own page; a folder of images is not.
    for folder in &folders {
        let index = format!("{folder}/index.md");
        let prefix = format!("{folder}/");
        let holds_pages = pages.iter().any(|p| p.source.starts_with(&prefix));
        if holds_pages && !pages.iter().any(|p| p.source == index) {
            diags.push(
                Diagnostic::error(root.join(folder), 0, 0, "this folder is a section but has no index.md")
                    .with_hint("add index.md with the section's title, or move the pages out of the folder"),
            );
        }
    }
    if !pages.iter().any(|p| p.source == "index.md") && diags.error_count() == errors_before {
        diags.push(
            Diagnostic::error(root.join("index.md"), 0, 0, "the start page is missing")
                .with_hint("create index.md in the content folder; it becomes index.html"),
        );
    }
    check_output_collisions(root, &pages, &assets, diags);

    if diags.error_count() > errors_before {
        return None;
    }
    pages.sort_by(|a, b| a.source.cmp(&b.source));
    Some(Content {
        root: root.to_path_buf(),
        config: config?,
        pages,
        assets,
    })
}

/// One content file, read and parsed.
enum Loaded {
    Config(Result<SiteConfig, Vec<Diagnostic>>),
    Page(Page),
    Asset(Asset),
    Failed(Diagnostic),
}

fn load_file(path: &Path, relative: String) -> Loaded {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(err) => return Loaded::Failed(Diagnostic::error(path, 0, 0, format!("cannot read the file: {err}"))),
    };
    if relative == SETTINGS_FILE {
        match decode(bytes, path) {
            Ok(text) => Loaded::Config(SiteConfig::parse(&text, path)),
            Err(d) => Loaded::Failed(d),
        }
    } else if relative.to_ascii_lowercase().ends_with(".md") {
        match load_page(path, relative, bytes) {
            Ok(page) => Loaded::Page(page),
            Err(d) => Loaded::Failed(d),
        }
    } else {
        let output = output_path(&relative);
        Loaded::Asset(Asset {
            source: relative,
            output,
            bytes,
        })
    }
}

fn is_hidden(name: &std::ffi::OsStr) -> bool {
    name.to_str().is_some_and(|n| n.starts_with('.') || n.ends_with('~'))
}

fn relative_slash_path(path: &Path, root: &Path) -> Option<String> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<String> = rel
        .components()
        .filter_map(|c| match c {
            Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
            _ => None,
        })
        .collect();
    if parts.is_empty() {
        None
    } else {
        Some(parts.join("/"))
    }
}

/// Decode a file as UTF-8, dropping a byte-order mark and normalising line endings to LF.
pub fn decode(bytes: Vec<u8>, path: &Path) -> Result<String, Diagnostic> {
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(err) => {
            let bytes = err.as_bytes();
            let valid = err.utf8_error().valid_up_to();
            let line = bytes[..valid].iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = bytes[..valid].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&bytes[line_start..valid]).chars().count() + 1;
            return Err(
                Diagnostic::error(path, line, column, "the file is not valid UTF-8 text")
                    .with_hint("save the file as UTF-8 in your editor (Windows-1252/Latin-1 text breaks å, ä and ö)"),
            );
        }
    };
    let text = text.strip_prefix('\u{feff}').map(str::to_owned).unwrap_or(text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    })
}

fn load_page(path: &Path, source: String, bytes: Vec<u8>) -> Result<Page, Diagnostic> {
    let text = decode(bytes, path)?;
    let split = frontmatter::split(&text).ok_or_else(|| {
        Diagnostic::error(path, 1, 1, "the page has no front matter")
            .with_source(&text)
            .with_hint("start the file with a `---` line, then `title: …`, then another `---` line")
    })?;
    let front = frontmatter::parse(&split, path, &text)?;
    let body_start = text.len() - split.body.len();
    let body_line = split.body_line;
    Ok(Page {
        output: output_path(&source),
        source,
        front,
        text,
        body_start,
        body_line,
    })
}

/// The output path for a content path: each part slugified, `.md` → `.html`.
/// `Medarbetarsamtal/Samtalsguide.md` → `medarbetarsamtal/samtalsguide.html`.
pub fn output_path(source: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    let segments: Vec<&str> = source.split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        if last {
            let (stem, ext) = match segment.rsplit_once('.') {
                // The extension is slugged too: it could hold `\\`, `:` or markup.
                Some((s, e)) if !s.is_empty() => (s, slugify(e)),
                _ => (*segment, String::new()),
            };
            let stem_slug = non_empty_slug(stem);
            let ext = if ext == "md" { "html".to_string() } else { ext };
            parts.push(if ext.is_empty() {
                stem_slug
            } else {
                format!("{stem_slug}.{ext}")
            });
        } else {
            parts.push(non_empty_slug(segment));
        }
    }
    parts.join("/")
}

fn non_empty_slug(s: &str) -> String {
    let slug = slugify(s);
    if slug.is_empty() {
        "_".to_string()
    } else {
        slug
    }
}

fn check_output_collisions(root: &Path, pages: &[Page], assets: &[Asset], diags: &mut Diagnostics) {
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    let sources = pages
        .iter()
        .map(|p| (&p.output, &p.source))
        .chain(assets.iter().map(|a| (&a.output, &a.source)));
    for (output, source) in sources {
        if let Some(first) = seen.insert(output, source) {
            diags.push(
                Diagnostic::error(
                    root.join(source),
                    0,
                    0,
                    format!("`{source}` and `{first}` would both become `{output}`"),
                )
                .with_hint(
                    "rename one of the files; names that differ only in case or å/ä/ö give the same web address",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_paths_are_slugged() {
        assert_eq!(
            output_path("Medarbetarsamtal/Samtalsguide.md"),
            "medarbetarsamtal/samtalsguide.html"
        );
        assert_eq!(
            output_path("medarbetaröverenskommelse.md"),
            "medarbetaroverenskommelse.html"
        );
        assert_eq!(output_path("bilder/Logga Ö.PNG"), "bilder/logga-o.png");
        // Found by the property test: extensions could carry path separators.
        assert_eq!(output_path("Ä.\\"), "a");
        assert_eq!(output_path("a.b\\..\\c"), "a-b.c");
        assert_eq!(output_path("x.<script>"), "x.script");
    }

    #[test]
    fn decode_strips_bom_and_crlf() {
        let text = decode(b"\xef\xbb\xbf---\r\ntitle: a\r\n---\r\n".to_vec(), Path::new("a.md")).unwrap();
        assert_eq!(text, "---\ntitle: a\n---\n");
    }

    #[test]
    fn decode_reports_invalid_utf8_position() {
        let d = decode(b"rad ett\nr\xe4d".to_vec(), Path::new("a.md")).unwrap_err();
        assert_eq!((d.line, d.column), (2, 2));
    }
}
