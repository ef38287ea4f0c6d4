//! Stage 1: read the content folder. Walks it (never following a symlink out of it), decodes each
//! file, splits and parses front matter, and returns [`Content`]: the site settings, the pages
//! (metadata and where the body starts), their source texts and the asset files to copy.
//!
//! A file with a problem is reported and, where it is a page, still returned (with its source
//! path as title), so the later stages can report their problems in the same run. This is the
//! only stage that reads the content folder.

pub mod frontmatter;
mod page;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Component, Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::{SiteConfig, SETTINGS_FILE};
use crate::diag::{Diagnostic, Diagnostics, Message};
use crate::paths::output_path;
use crate::synonyms::{Synonyms, SYNONYMS_FILE};
use crate::text::{find_invisible, strip_invisible, Typography};
pub use frontmatter::{FrontMatter, YearPeriod};
pub use page::{Asset, Page, PageId, Sources};

/// Everything read from the content folder.
#[derive(Debug, Clone)]
pub struct Content {
    /// The content folder as given.
    pub root: PathBuf,
    /// The site settings (defaults when `site.yml` is missing or broken; that is reported).
    pub config: SiteConfig,
    /// Every page, sorted by source path; [`PageId`] indexes this list.
    pub pages: Vec<Page>,
    /// The text of every page, by [`PageId`].
    pub sources: Sources,
    /// Files to copy unchanged.
    pub assets: Vec<Asset>,
    /// The search synonyms from `synonymer.yml` (none when there is no such file).
    pub synonyms: Synonyms,
}

impl Content {
    /// Every page with its id.
    pub fn pages(&self) -> impl Iterator<Item = (PageId, &Page)> {
        self.pages.iter().enumerate().map(|(i, p)| (PageId(i), p))
    }
}

/// Read the content folder. Every problem found is pushed to `diags`. `None` only when the
/// folder cannot be read at all.
pub fn load(root: &Path, diags: &mut Diagnostics) -> Option<Content> {
    if !root.is_dir() {
        diags.push(
            Diagnostic::error(root, 0, 0, Message::new("content_folder_missing"))
                .with_hint(Message::new("content_folder_missing_hint")),
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
                Message::new("content_folder_unreadable").arg("reason", err),
            ));
            return None;
        }
    };
    let errors_before = diags.error_count();
    let (files, folders) = walk(root, &canonical_root, diags);

    // Reading and parsing the files is independent per file: on every core, merged in walk order.
    let loaded: Vec<Loaded> = files
        .into_par_iter()
        .map(|(path, relative)| load_file(&path, relative))
        .collect();
    let mut config = None;
    let mut synonyms = Synonyms::default();
    let mut pages = Vec::new();
    let mut assets = Vec::new();
    for item in loaded {
        match item {
            Loaded::Config(parsed) => match *parsed {
                Ok(c) => config = Some(c),
                Err(errs) => diags.extend(errs),
            },
            Loaded::Synonyms(read, problems) => {
                synonyms = read;
                diags.extend(problems);
            }
            Loaded::Page(page, text, problem) => {
                diags.extend(problem);
                pages.push((*page, text));
            }
            Loaded::Asset(asset) => assets.push(asset),
            Loaded::Failed(d) => diags.push(d),
        }
    }
    if config.is_none() && !diags.iter().any(|d| d.path.ends_with(SETTINGS_FILE)) {
        diags.push(
            Diagnostic::error(root.join(SETTINGS_FILE), 0, 0, Message::new("config_missing"))
                .with_hint(Message::new("config_missing_hint")),
        );
    }
    pages.sort_by(|a, b| a.0.source.cmp(&b.0.source));
    let config = config.unwrap_or_else(SiteConfig::fallback);
    // Titles and descriptions are shown in many places (h1, <title>, menus, breadcrumbs,
    // search): they get the same typographic quotes as the text once, here.
    for (page, text) in &mut pages {
        let front = &mut page.front;
        if let Some((_, _, name)) = find_invisible(&front.title) {
            let line = page.keys.line("title");
            diags.push(
                Diagnostic::warning(
                    root.join(&page.source),
                    line,
                    0,
                    Message::new("frontmatter_title_invisible").arg("name", name),
                )
                .with_source(text)
                .with_hint(Message::new("frontmatter_title_invisible_hint")),
            );
            front.title = strip_invisible(&front.title).into_owned();
        }
        front.title = Typography::text(&config.language, &front.title);
        front.description = front
            .description
            .as_deref()
            .map(|d| Typography::text(&config.language, d));
    }
    let (pages, texts): (Vec<Page>, Vec<String>) = pages.into_iter().unzip();
    check_sections(root, &folders, &pages, diags);
    if !pages.iter().any(|p| p.source == "index.md") && diags.error_count() == errors_before {
        diags.push(
            Diagnostic::error(root.join("index.md"), 0, 0, Message::new("content_start_page_missing"))
                .with_hint(Message::new("content_start_page_missing_hint")),
        );
    }
    check_output_collisions(root, &pages, &assets, diags);
    Some(Content {
        root: root.to_path_buf(),
        config,
        pages,
        sources: Sources::new(texts),
        assets,
        synonyms,
    })
}

/// The files under `root` (path, relative `/`-separated path) in name order, and the folders.
/// Hidden files and symbolic links that lead out of the content folder are left out.
fn walk(root: &Path, canonical_root: &Path, diags: &mut Diagnostics) -> (Vec<(PathBuf, String)>, Vec<String>) {
    let mut files = Vec::new();
    let mut folders = Vec::new();
    let walker = WalkDir::new(root).follow_links(false).sort_by_file_name().into_iter();
    for entry in walker.filter_entry(|e| e.depth() == 0 || !is_hidden(e.file_name())) {
        let entry = match entry {
            Ok(e) => e,
            Err(err) => {
                let path = err.path().map(Path::to_path_buf).unwrap_or_else(|| root.to_path_buf());
                diags.push(Diagnostic::error(
                    path,
                    0,
                    0,
                    Message::new("content_unreadable").arg("reason", err),
                ));
                continue;
            }
        };
        let path = entry.path();
        let Some(relative) = relative_slash_path(path, root) else {
            continue;
        };
        let file_type = entry.file_type();
        if file_type.is_symlink() {
            match path.canonicalize() {
                Ok(target) if target.starts_with(canonical_root) && target.is_file() => {}
                Ok(target) if target.starts_with(canonical_root) => {
                    diags.push(Diagnostic::warning(path, 0, 0, Message::new("content_symlink_folder")));
                    continue;
                }
                _ => {
                    diags.push(
                        Diagnostic::error(path, 0, 0, Message::new("content_symlink_outside"))
                            .with_hint(Message::new("content_symlink_outside_hint")),
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
    (files, folders)
}

/// One content file, read and parsed.
enum Loaded {
    Config(Box<Result<SiteConfig, Vec<Diagnostic>>>),
    Synonyms(Synonyms, Vec<Diagnostic>),
    /// A page, its text, and the problem that made it fall back to defaults, if any.
    Page(Box<Page>, String, Option<Diagnostic>),
    Asset(Asset),
    Failed(Diagnostic),
}

fn load_file(path: &Path, relative: String) -> Loaded {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(err) => {
            return Loaded::Failed(Diagnostic::error(
                path,
                0,
                0,
                Message::new("content_file_unreadable").arg("reason", err),
            ))
        }
    };
    if relative == SETTINGS_FILE {
        match decode(bytes, path) {
            Ok(text) => Loaded::Config(Box::new(SiteConfig::parse(&text, path))),
            Err(d) => Loaded::Failed(d),
        }
    } else if relative == SYNONYMS_FILE {
        match decode(bytes, path) {
            Ok(text) => {
                let (synonyms, problems) = Synonyms::parse(&text, path);
                Loaded::Synonyms(synonyms, problems)
            }
            Err(d) => Loaded::Failed(d),
        }
    } else if relative.to_ascii_lowercase().ends_with(".md") {
        let (page, text, problem) = load_page(path, relative, bytes);
        Loaded::Page(Box::new(page), text, problem)
    } else {
        Loaded::Asset(Asset {
            output: output_path(&relative),
            source: relative,
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
            return Err(Diagnostic::error(path, line, column, Message::new("content_not_utf8"))
                .with_hint(Message::new("content_not_utf8_hint")));
        }
    };
    let text = text.strip_prefix('\u{feff}').map(str::to_owned).unwrap_or(text);
    Ok(if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    })
}

/// Read a page. A page that cannot be decoded or whose front matter is broken comes back with
/// its source path as title and the problem beside it. (Also what `serve`'s editor parses
/// unsaved text with.)
pub fn load_page(path: &Path, source: String, bytes: Vec<u8>) -> (Page, String, Option<Diagnostic>) {
    let (text, mut problem) = match decode(bytes.clone(), path) {
        Ok(text) => (text, None),
        Err(d) => (String::from_utf8_lossy(&bytes).replace("\r\n", "\n"), Some(d)),
    };
    let fallback = FrontMatter {
        title: source.clone(),
        ..FrontMatter::default()
    };
    let mut page = Page {
        output: output_path(&source),
        source,
        front: fallback,
        keys: Default::default(),
        body_start: 0,
        body_line: 1,
    };
    match frontmatter::split(&text) {
        None if frontmatter::opens(&text) => {
            problem.get_or_insert_with(|| {
                Diagnostic::error(path, 1, 1, Message::new("frontmatter_unclosed"))
                    .with_source(&text)
                    .with_hint(Message::new("frontmatter_unclosed_hint"))
            });
        }
        None => {
            problem.get_or_insert_with(|| {
                let hint = match text.lines().next().and_then(|l| l.strip_prefix("# ")) {
                    Some(heading) => Message::new("frontmatter_missing_hint_heading").arg("heading", heading.trim()),
                    None => Message::new("frontmatter_missing_hint"),
                };
                Diagnostic::error(path, 1, 1, Message::new("frontmatter_missing"))
                    .with_source(&text)
                    .with_hint(hint)
            });
        }
        Some(split) => {
            page.body_start = text.len() - split.body.len();
            page.body_line = split.body_line;
            match frontmatter::parse(&split, path, &text) {
                Ok((front, keys)) if problem.is_none() => (page.front, page.keys) = (front, keys),
                Ok(_) => {}
                Err(d) => {
                    problem.get_or_insert(d);
                }
            }
        }
    }
    (page, text, problem)
}

/// A folder holding pages is a section and needs its own page; a folder of images is not.
fn check_sections(root: &Path, folders: &[String], pages: &[Page], diags: &mut Diagnostics) {
    for folder in folders {
        let index = format!("{folder}/index.md");
        let prefix = format!("{folder}/");
        let holds_pages = pages.iter().any(|p| p.source.starts_with(&prefix));
        if holds_pages && !pages.iter().any(|p| p.source == index) {
            diags.push(
                Diagnostic::error(root.join(folder), 0, 0, Message::new("content_section_no_index"))
                    .with_hint(Message::new("content_section_no_index_hint")),
            );
        }
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
                    Message::new("content_output_collision")
                        .arg("source", source)
                        .arg("first", first)
                        .arg("output", output),
                )
                .with_hint(Message::new("content_output_collision_hint")),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn a_broken_page_is_kept_with_its_path_as_title() {
        let (page, _, problem) = load_page(
            Path::new("a.md"),
            "a/b.md".into(),
            b"---\nttle: x\n---\nText\n".to_vec(),
        );
        assert_eq!(page.front.title, "a/b.md");
        assert_eq!(page.body_line, 4);
        assert!(problem.unwrap().message.english().contains("`ttle`"));
    }
}
