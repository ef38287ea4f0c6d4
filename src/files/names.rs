//! Which names the editor accepts: a pure check of a path from the browser ([`check_name`]),
//! and the check of a new name against the files beside it ([`refuse_twin`]).
//!
//! Decisions: names Windows keeps for devices (`CON`, `PRN`, `AUX`, `NUL`, `COM1`–`COM9`,
//! `LPT1`–`LPT9`, any case, with any extension) are refused, so the handbook can be checked
//! out on any computer. A name with decomposed letters (NFD: a letter followed by a combining
//! mark, as some Mac programs write `å`) is refused rather than silently normalised: the editor
//! must write exactly the name the author sees, and the author can retype it. A new name that
//! equals a file beside it but for case or accents (`Lön.md` beside `lon.md` or a decomposed
//! `Lön.md`) is refused: the two would be one file on Windows and macOS, and one page address.

use super::dir::SafeDir;
use super::{FileKind, Refusal, IMAGE_EXTENSIONS};

/// Device names Windows reserves, whatever the extension.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1", "LPT2",
    "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// A combining mark (the second half of a decomposed letter).
fn is_combining(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{1AB0}'..='\u{1AFF}' | '\u{1DC0}'..='\u{1DFF}' | '\u{20D0}'..='\u{20FF}' | '\u{FE20}'..='\u{FE2F}')
}

/// The name as Windows, macOS and the site's addresses tell names apart: without case,
/// accents or combining marks.
fn twin_key(name: &str) -> String {
    name.chars()
        .filter(|c| !is_combining(*c))
        .flat_map(char::to_lowercase)
        .map(crate::text::fold_char)
        .collect()
}

/// Refuse `name` as a new file in `dir` when a file there (other than `except`) has the same
/// [`twin_key`]; the refusal names it.
pub(super) fn refuse_twin(dir: &SafeDir, name: &str, except: Option<&str>) -> Result<(), Refusal> {
    let key = twin_key(name);
    match dir
        .list()
        .into_iter()
        .map(|(existing, _)| existing)
        .find(|existing| Some(existing.as_str()) != except && *existing != name && twin_key(existing) == key)
    {
        Some(twin) => Err(Refusal::Twin(twin)),
        None => Ok(()),
    }
}

/// Check a path from the browser and say what kind of file it names (pure: no filesystem).
pub fn check_name(relative: &str) -> Result<FileKind, Refusal> {
    if relative.starts_with('/') || relative.starts_with('\\') || relative.get(1..2) == Some(":") {
        return Err(Refusal::Absolute);
    }
    if relative.is_empty() || relative.len() > 400 {
        return Err(Refusal::BadName);
    }
    let parts: Vec<&str> = relative.split('/').collect();
    for part in &parts {
        if *part == ".." || *part == "." {
            return Err(Refusal::Traversal);
        }
        if part.chars().any(is_combining) {
            return Err(Refusal::Decomposed);
        }
        let stem = part.split('.').next().unwrap_or("").trim_end();
        if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem)) {
            return Err(Refusal::Reserved);
        }
        let allowed = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | ' ');
        if part.is_empty()
            || part.starts_with('.')
            || part.ends_with('.')
            || part.ends_with(' ')
            || part.chars().count() > 120
            || !part.chars().all(allowed)
        {
            return Err(Refusal::BadName);
        }
    }
    let name = parts.last().copied().unwrap_or("");
    let extension = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase());
    match extension.as_deref() {
        Some("md") => Ok(FileKind::Page),
        Some("yml") if relative == crate::config::SETTINGS_FILE => Ok(FileKind::Settings),
        Some(e) if IMAGE_EXTENSIONS.contains(&e) => Ok(FileKind::Image),
        _ => Err(Refusal::WrongKind),
    }
}
