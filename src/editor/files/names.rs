//! Which names the editor accepts: a pure check of a path from the browser.

use super::{FileKind, Refusal, IMAGE_EXTENSIONS};

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
