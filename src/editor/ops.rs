//! The editor's operations as the server calls them: a request (deserialised from JSON) in, an
//! answer (serialised to JSON) or a [`Failure`] out. Reads and plans use the last build's
//! [`Workspace`]; writes go through [`ContentFolder`] and check the file on disk first.

use serde::{Deserialize, Serialize};

pub use super::failure::{DiagnosticView, Failure};
use super::journal::{self, Change, JournalError, Kind};
use super::plan::{self, LineEdit, PlanRefusal};
use super::relink;
pub use super::Saved;
use crate::diag::Diagnostics;
use crate::files::{version_of, ContentFolder, Refusal};
use crate::form::schema::FieldKind;
use crate::paths::{output_dir, parent};
use crate::pipeline::{Outcome, Request, Session};
use crate::slug::slugify;
use crate::theme::Strings;
use crate::Workspace;

fn workspace<T>(workspace: Option<T>) -> Result<T, Failure> {
    workspace.ok_or(Failure::NotBuilt)
}

/// A section pages can be created in.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    /// Its folder, "" for the top.
    pub dir: String,
    /// Its title.
    pub title: String,
}

/// A page as the editor opens it.
#[derive(Debug, Clone, Serialize)]
pub struct PageData {
    /// Its file, relative to the content folder.
    pub source: String,
    /// Its address in the preview, from the site root.
    pub output: String,
    /// Its title in the last build.
    pub title: String,
    /// The file's text now.
    pub text: String,
    /// The file's version now.
    pub version: String,
    /// How many earlier versions "Ångra senaste sparning" can go back.
    pub versions_kept: usize,
    /// The start page or a section's page (kept in place: no rename, no move).
    pub is_index: bool,
    /// Sections to create pages in.
    pub sections: Vec<Section>,
}

/// Open page `source`.
pub fn open(folder: &ContentFolder, ws: Option<&Workspace>, source: &str) -> Result<PageData, Failure> {
    let ws = workspace(ws)?;
    let (text, version) = folder.read_text(source)?;
    let found = ws.site.page_at_source(source).map(|id| &ws.site.page(id).page);
    Ok(PageData {
        source: source.to_string(),
        output: found.map_or_else(|| crate::paths::output_path(source), |p| p.output.clone()),
        title: found.map_or_else(|| source.to_string(), |p| p.front.title.clone()),
        text,
        version,
        versions_kept: super::undo::versions_kept(folder, source),
        is_index: found.is_some_and(|p| p.is_index()),
        sections: plan::sections(&ws.site)
            .into_iter()
            .map(|(dir, title)| Section { dir, title })
            .collect(),
    })
}

/// A heading a link can point at.
#[derive(Debug, Clone, Serialize)]
pub struct HeadingEntry {
    /// Its id (the anchor).
    pub id: String,
    /// Its text.
    pub text: String,
    /// 2–6.
    pub level: u8,
}

/// A page the link picker offers.
#[derive(Debug, Clone, Serialize)]
pub struct PageEntry {
    /// Its title.
    pub title: String,
    /// Its file, relative to the content folder.
    pub source: String,
    /// What to write in a link from the page being edited: a relative `.md` path.
    pub link: String,
    /// The titles of the sections above it.
    pub trail: Vec<String>,
    /// Its headings.
    pub headings: Vec<HeadingEntry>,
}

/// Every page in reading order, with the relative path from page `from` to it.
pub fn pages(ws: Option<&Workspace>, from: &str) -> Result<Vec<PageEntry>, Failure> {
    let ws = workspace(ws)?;
    let site = &ws.site;
    let dir = parent(from);
    Ok(site
        .tree
        .reading_order()
        .iter()
        .map(|&id| {
            let page = &site.page(id);
            PageEntry {
                title: page.page.front.title.clone(),
                source: page.page.source.clone(),
                link: plan::relative_path(dir, &page.page.source),
                trail: site
                    .tree
                    .ancestors(id)
                    .iter()
                    .map(|&a| site.page(a).page.front.title.clone())
                    .collect(),
                headings: page
                    .rendered
                    .headings
                    .iter()
                    .filter(|h| h.level >= 2)
                    .map(|h| HeadingEntry {
                        id: h.id.clone(),
                        text: h.text.clone(),
                        level: h.level,
                    })
                    .collect(),
            }
        })
        .collect())
}

/// A preview request.
#[derive(Debug, Clone, Deserialize)]
pub struct PreviewRequest {
    /// The page's file.
    pub source: String,
    /// The unsaved text.
    pub text: String,
}

/// What the preview gives the editor.
#[derive(Debug, Clone, Serialize)]
pub struct PreviewAnswer {
    /// The page's HTML, or `null` when the text has errors.
    pub html: Option<String>,
    /// Errors and warnings.
    pub diagnostics: Vec<DiagnosticView>,
    /// Errors and warnings of the files that are not pages (`site.yml`): the whole handbook's.
    pub site: Vec<DiagnosticView>,
}

/// Preview unsaved text.
pub fn preview(session: &mut Session, request: &PreviewRequest) -> Result<PreviewAnswer, Failure> {
    let root = workspace(session.workspace())?.site.root.clone();
    crate::files::check_name(&request.source)?;
    let unsaved = Request::UnsavedPage {
        source: &request.source,
        text: &request.text,
    };
    let Outcome::Preview(Some(found)) = session.run(unsaved, &mut Diagnostics::new()) else {
        return Err(Failure::Plan(PlanRefusal::NoSuchPage));
    };
    let strings = &workspace(session.workspace())?.theme.strings;
    Ok(PreviewAnswer {
        html: found.html,
        diagnostics: found
            .diagnostics
            .iter()
            .map(|d| DiagnosticView::new(d, strings))
            .collect(),
        site: found
            .site
            .iter()
            .map(|d| DiagnosticView {
                file: d
                    .path
                    .strip_prefix(&root)
                    .unwrap_or(&d.path)
                    .to_string_lossy()
                    .replace('\\', "/"),
                ..DiagnosticView::new(d, strings)
            })
            .collect(),
    })
}

/// A save.
#[derive(Debug, Clone, Deserialize)]
pub struct SaveRequest {
    /// The file.
    pub source: String,
    /// The new text.
    #[serde(default)]
    pub text: String,
    /// The version the editor started from.
    pub version: String,
}

/// Save a page's text.
pub fn save(folder: &ContentFolder, request: &SaveRequest) -> Result<Saved, Failure> {
    let version = folder.write_text(&request.source, &request.text, &request.version)?;
    Ok(Saved {
        source: request.source.clone(),
        text: request.text.clone(),
        version,
        versions_kept: folder.version_count(&request.source),
    })
}

/// A new page.
#[derive(Debug, Clone, Deserialize)]
pub struct NewPageRequest {
    /// The section's folder ("" for the top).
    pub section: String,
    /// The page's title.
    pub title: String,
}

/// Where a new or renamed page is.
#[derive(Debug, Clone, Serialize)]
pub struct Moved {
    /// Its file.
    pub source: String,
}

/// Create a page.
pub fn new_page(folder: &ContentFolder, ws: Option<&Workspace>, request: &NewPageRequest) -> Result<Moved, Failure> {
    let ws = workspace(ws)?;
    let (source, text) = plan::new_page(&ws.site, &request.section, &request.title)?;
    folder.write(&source, text.as_bytes(), "none")?;
    Ok(Moved { source })
}

/// A rename: planned without `edits`, applied with the plan the editor showed.
#[derive(Debug, Clone, Deserialize)]
pub struct RenameRequest {
    /// The page's file.
    pub source: String,
    /// The new name (a title or a file name; made a slug).
    pub name: String,
    /// The plan as shown; the rename happens only if the plan is still the same.
    #[serde(default)]
    pub edits: Option<Vec<LineEdit>>,
}

/// Plan a rename.
pub fn plan_rename(ws: Option<&Workspace>, request: &RenameRequest) -> Result<plan::RenamePlan, Failure> {
    let ws = workspace(ws)?;
    Ok(plan::plan_rename(
        &ws.site,
        &ws.sources,
        &request.source,
        &request.name,
    )?)
}

/// Apply a rename as one journal (`journal`): every file that links to the page and the page
/// itself, each checked against the lines the plan showed, all written or none.
pub fn rename(folder: &ContentFolder, ws: Option<&Workspace>, request: &RenameRequest) -> Result<Moved, Failure> {
    let plan = plan_rename(ws, request)?;
    if request.edits.as_ref() != Some(&plan.edits) {
        return Err(JournalError::Changed(vec![plan.from.clone()]).into());
    }
    let changes = rename_changes(folder, &plan)?;
    journal::apply(folder, &changes, Some((Kind::Rename, Some(&plan.from), Some(&plan.to))))?;
    Ok(Moved { source: plan.to })
}

/// The files a rename writes, from their texts on disk: each linking file with its links
/// pointed at the new name (the lines must be the plan's), then the page under its new name.
fn rename_changes(folder: &ContentFolder, plan: &plan::RenamePlan) -> Result<Vec<Change>, Failure> {
    let mut sources: Vec<&str> = Vec::new();
    for edit in &plan.edits {
        if !sources.contains(&edit.source.as_str()) {
            sources.push(&edit.source);
        }
    }
    let mut changes = Vec::new();
    let mut page = None;
    for source in sources.into_iter().chain([plan.from.as_str()]) {
        if page.is_some() && source == plan.from {
            continue;
        }
        let (text, _) = folder.read_text(source)?;
        let rewritten = relink::rewrite(&text, source, parent(source), &plan.from, &plan.to);
        let lines = rewritten.as_ref().map_or(&[][..], |r| &r.lines[..]);
        let planned: Vec<&LineEdit> = plan.edits.iter().filter(|e| e.source == source).collect();
        if lines.iter().collect::<Vec<_>>() != planned {
            return Err(JournalError::Changed(vec![source.to_string()]).into());
        }
        let new = rewritten.map_or_else(|| text.clone(), |r| r.text);
        if source == plan.from {
            page = Some((text, new));
        } else {
            changes.push(Change {
                source: source.to_string(),
                before: Some(text),
                after: Some(new),
            });
        }
    }
    let (text, new) = page.ok_or(Refusal::Missing)?;
    changes.push(Change {
        source: plan.from.clone(),
        before: Some(text),
        after: None,
    });
    changes.push(Change {
        source: plan.to.clone(),
        before: None,
        after: Some(new),
    });
    Ok(changes)
}

/// Delete a page no other page links to.
pub fn delete(folder: &ContentFolder, ws: Option<&Workspace>, request: &SaveRequest) -> Result<Moved, Failure> {
    let ws = workspace(ws)?;
    plan::check_delete(&ws.site, &ws.sources, &request.source)?;
    folder.delete(&request.source, &request.version)?;
    let up = parent(&request.source);
    Ok(Moved {
        source: if up.is_empty() {
            "index.md".to_string()
        } else {
            format!("{up}/index.md")
        },
    })
}

/// Move a page among its siblings.
#[derive(Debug, Clone, Deserialize)]
pub struct MoveRequest {
    /// The page's file.
    pub source: String,
    /// -1 up, 1 down.
    pub step: i64,
}

/// Move a page up or down: writes `order` in the pages whose place changes, as one journal.
pub fn move_page(folder: &ContentFolder, ws: Option<&Workspace>, request: &MoveRequest) -> Result<Moved, Failure> {
    let ws = workspace(ws)?;
    let orders = plan::plan_move(&ws.site, &request.source, request.step.signum())?;
    let mut changes = Vec::new();
    for (source, order) in orders {
        let (text, _) = folder.read_text(&source)?;
        let after = super::front::set_front_key(&text, "order", Some(&order.to_string()));
        changes.push(Change {
            source,
            before: Some(text),
            after: Some(after),
        });
    }
    journal::apply(folder, &changes, Some((Kind::Move, None, None)))?;
    Ok(Moved {
        source: request.source.clone(),
    })
}

/// An uploaded image's place.
#[derive(Debug, Clone, Serialize)]
pub struct Uploaded {
    /// What to write in the page: a path relative to it.
    pub link: String,
}

/// Store an uploaded image beside page `page`, under a slug of `name` not yet taken.
pub fn upload_image(folder: &ContentFolder, page: &str, name: &str, bytes: &[u8]) -> Result<Uploaded, Failure> {
    crate::files::check_name(page)?;
    let (stem, extension) = name.rsplit_once('.').ok_or(Refusal::WrongKind)?;
    let extension = extension.to_ascii_lowercase();
    if !image_bytes_match(&extension, bytes) {
        return Err(Refusal::WrongKind.into());
    }
    let stem = Some(slugify(stem))
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "bild".into());
    let dir = parent(page);
    for n in 1..1000 {
        let file = if n == 1 {
            format!("{stem}.{extension}")
        } else {
            format!("{stem}-{n}.{extension}")
        };
        let source = if dir.is_empty() {
            file.clone()
        } else {
            format!("{dir}/{file}")
        };
        match folder.write(&source, bytes, "none") {
            Ok(_) => return Ok(Uploaded { link: file }),
            Err(Refusal::Conflict { .. } | Refusal::Exists) => continue,
            Err(other) => return Err(other.into()),
        }
    }
    Err(Refusal::Exists.into())
}

/// The file's first bytes are those of its kind of image.
fn image_bytes_match(extension: &str, bytes: &[u8]) -> bool {
    match extension {
        "png" => bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
        "jpg" | "jpeg" => bytes.starts_with(&[0xff, 0xd8, 0xff]),
        "gif" => bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a"),
        "webp" => bytes.len() > 12 && bytes.starts_with(b"RIFF") && &bytes[8..12] == b"WEBP",
        _ => false,
    }
}

/// A form field snippet for the toolbar.
#[derive(Debug, Clone, Serialize)]
pub struct Snippet {
    /// The field kind's name.
    pub kind: &'static str,
    /// Its name in the menu (from the string table).
    pub label: String,
    /// The YAML item to insert in a ```` ```form ```` block.
    pub yaml: String,
}

/// One snippet per form field kind (the compiler asks for one when a kind is added).
pub fn snippets(strings: &Strings) -> Vec<Snippet> {
    FieldKind::ALL
        .into_iter()
        .map(|kind| {
            let label = kind.example();
            let yaml = match kind {
                FieldKind::Text | FieldKind::Date | FieldKind::Checkbox | FieldKind::Note => {
                    format!("- {}: {label}\n", kind.name())
                }
                FieldKind::Period => format!("- period: {label}\n  from: Från och med\n  to: Till och med\n"),
                FieldKind::Area => format!("- area: {label}\n  lines: 4\n"),
                FieldKind::Table => format!("- table: {label}\n  columns: [Insats, Datum]\n  rows: 3\n"),
                FieldKind::Signatures => format!("- signatures: {label}\n  date: Datum\n"),
                FieldKind::Group => format!("- group: {label}\n  fields:\n    - text: Namn\n    - date: Datum\n"),
            };
            Snippet {
                kind: kind.name(),
                label: strings.text(&format!("editor_field_{}", kind.name())).to_string(),
                yaml,
            }
        })
        .collect()
}

/// The version of text the editor holds (as `files` computes it), for tests and the browser.
pub fn version_of_text(text: &str) -> String {
    version_of(Some(text.as_bytes()))
}

/// The output folder of a page's source folder, for the editor page's preview base.
pub fn preview_dir(source: &str) -> String {
    output_dir(parent(source))
}
