//! Writing an import: every page and image through `editor::files::ContentFolder` (names
//! checked, no symbolic links, temporary file and rename, previous versions kept), all or
//! nothing. Everything is checked before the first write (names, links, sizes, files that
//! exist without `--replace`); if a write still fails, the files written are taken back
//! (removed, or the replaced version restored) and the folders made are removed.

use std::fs;
use std::path::{Path, PathBuf};

use super::{Converted, ImportError};
use crate::files::{check_name, ContentFolder, FileKind, Refusal, MAX_IMAGE_BYTES, MAX_TEXT_BYTES};

/// Write `converted` into the folder `section` (relative, `/`-separated, `""` for the top) of
/// the content folder `content`. Returns the paths written, relative to the content folder.
pub fn write(content: &Path, section: &str, converted: &Converted, replace: bool) -> Result<Vec<String>, ImportError> {
    let section = section.trim_matches('/');
    let bad_section = |why: &str| ImportError::BadSection {
        section: section.to_string(),
        why: why.to_string(),
    };
    let folder = ContentFolder::new(content).map_err(|_| bad_section("innehållsmappen finns inte"))?;
    let join = |p: &str| {
        if section.is_empty() {
            p.to_string()
        } else {
            format!("{section}/{p}")
        }
    };
    if !section.is_empty() {
        // The folder's name is checked as a page's would be, and must not be a link.
        match folder.resolve(&join("x.md")) {
            Ok(_) => {}
            Err(Refusal::Symlink) => return Err(bad_section("den är en symbolisk länk")),
            Err(_) => {
                return Err(bad_section(
                    "namnet är inte tillåtet (bara bokstäver, siffror, - och _, inga ..)",
                ))
            }
        }
        if !folder.root().join(section).is_dir() {
            return Err(bad_section(
                "den finns inte i innehållsmappen; skapa den först (med en index.md)",
            ));
        }
    }
    let mut files: Vec<(String, &[u8])> = Vec::new();
    for (path, bytes) in &converted.images {
        files.push((join(path), bytes));
    }
    for page in &converted.pages {
        files.push((join(&page.path), page.text.as_bytes()));
    }
    // Check everything before writing anything.
    for (relative, bytes) in &files {
        let refused = |why: &str| ImportError::Write {
            path: relative.clone(),
            why: why.to_string(),
        };
        let kind = check_name(relative).map_err(|_| refused("namnet är inte tillåtet"))?;
        let path = match folder.resolve(relative) {
            Ok((path, _)) => path,
            // A folder the import makes (a page's image folder, a split section) is not there
            // yet; the write checks the path again, folder by folder, once it is.
            Err(Refusal::Missing) => folder.root().join(relative),
            Err(Refusal::Symlink) => return Err(refused("en del av sökvägen är en symbolisk länk")),
            Err(_) => return Err(refused("namnet är inte tillåtet")),
        };
        let limit = if kind == FileKind::Image {
            MAX_IMAGE_BYTES
        } else {
            MAX_TEXT_BYTES
        };
        if bytes.len() > limit {
            return Err(refused(&format!("större än {} MB", limit / (1024 * 1024))));
        }
        if fs::symlink_metadata(&path).is_ok() && !replace {
            return Err(ImportError::Exists { path: relative.clone() });
        }
    }
    let mut made: Vec<PathBuf> = Vec::new();
    let mut done: Vec<(String, Option<String>)> = Vec::new();
    let result = (|| {
        for (relative, bytes) in &files {
            let failed = |why: String| ImportError::Write {
                path: relative.clone(),
                why,
            };
            // Folders on the way (a split document's section, a page's image folder).
            let mut dir = folder.root().to_path_buf();
            let parts: Vec<&str> = relative.split('/').collect();
            for part in &parts[..parts.len() - 1] {
                dir.push(part);
                match fs::symlink_metadata(&dir) {
                    Ok(m) if m.is_dir() => {}
                    Ok(_) => return Err(failed(format!("{} är inte en mapp", dir.display()))),
                    Err(_) => {
                        fs::create_dir(&dir).map_err(|e| failed(e.to_string()))?;
                        made.push(dir.clone());
                    }
                }
            }
            let before = folder
                .version(relative)
                .map_err(|_| failed("namnet är inte tillåtet".into()))?;
            let existed = before != "none";
            let version = folder.write(relative, bytes, &before).map_err(|r| failed(why(&r)))?;
            done.push((relative.clone(), existed.then_some(version)));
        }
        Ok(())
    })();
    if let Err(e) = result {
        for (relative, replaced) in done.iter().rev() {
            match replaced {
                Some(version) => {
                    let _ = folder.restore_previous(relative, version);
                }
                None => {
                    if let Ok((path, _)) = folder.resolve(relative) {
                        let _ = fs::remove_file(path);
                    }
                }
            }
        }
        for dir in made.iter().rev() {
            let _ = fs::remove_dir(dir);
        }
        return Err(e);
    }
    Ok(files.into_iter().map(|(p, _)| p).collect())
}

/// Every page (`.md`) of the content folder, relative to it, hidden folders and symbolic
/// links left out; at most 100,000.
pub fn existing_pages(content: &Path) -> Vec<String> {
    let mut pages: Vec<String> = walkdir::WalkDir::new(content)
        .follow_links(false)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'))
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| {
            let relative = e.path().strip_prefix(content).ok()?;
            let parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
            Some(parts.join("/"))
        })
        .take(100_000)
        .collect();
    pages.sort();
    pages
}

fn why(refusal: &Refusal) -> String {
    match refusal {
        Refusal::Io(e) => e.clone(),
        Refusal::Conflict { .. } | Refusal::Exists => "filen ändrades under importen".into(),
        Refusal::Symlink => "en del av sökvägen är en symbolisk länk".into(),
        Refusal::TooLarge => "för stor".into(),
        _ => "namnet är inte tillåtet".into(),
    }
}
