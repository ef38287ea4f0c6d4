//! Changes to the set of pages, planned from the last build's [`Site`] (pure: nothing here
//! reads or writes a file; the editor applies the plans through `files`):
//! - a new page: its title made a file name (slug) in a chosen section, after its siblings;
//! - a rename: the page's new file name and every link to it in the content (Markdown links and
//!   `print_with` entries, found by [`super::relink`] through the parser's source ranges), each
//!   as a line before and after, shown before it is applied;
//! - a delete: refused while other pages link to it, naming them;
//! - a move up or down among its siblings: the `order` lines that give the new order
//!   (written with [`super::front::set_front_key`]).

use serde::Serialize;

use super::front::yaml_scalar;
use super::relink;
use crate::content::{PageId, Sources};
use crate::markdown::links::Target;
use crate::paths::{join_normalised, parent};
use crate::site::Site;
use crate::slug::slugify;

pub use super::relink::LineEdit;

/// What a rename does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RenamePlan {
    /// The page's file now.
    pub from: String,
    /// Its new file.
    pub to: String,
    /// Every line that changes, in every file.
    pub edits: Vec<LineEdit>,
}

/// Why a plan cannot be made. Each has a key in the theme's string table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PlanRefusal {
    /// No page at that path in the last build.
    NoSuchPage,
    /// The name gives no usable file name.
    EmptyName,
    /// A page with that file name (or web name) exists.
    Taken,
    /// The start page and section pages (`index.md`) keep their names.
    IndexPage,
    /// Other pages link to it.
    LinkedFrom(Vec<LineEdit>),
    /// The page is already first (or last).
    NowhereToMove,
}

impl PlanRefusal {
    /// The string table key of the refusal's message.
    pub fn key(&self) -> &'static str {
        match self {
            PlanRefusal::NoSuchPage => "editor_refused_missing",
            PlanRefusal::EmptyName => "editor_refused_empty_name",
            PlanRefusal::Taken => "editor_refused_exists",
            PlanRefusal::IndexPage => "editor_refused_index",
            PlanRefusal::LinkedFrom(_) => "editor_refused_linked",
            PlanRefusal::NowhereToMove => "editor_refused_move",
        }
    }
}

/// A file name for `name` (a title or a file name): its slug with `.md`.
pub fn file_name(name: &str) -> Option<String> {
    let stem = name.trim().trim_end_matches(".md");
    let slug = slugify(stem);
    (!slug.is_empty()).then(|| format!("{slug}.md"))
}

/// A page's path in `section` (a folder, "" at the top) with the file name `name`.
fn in_folder(section: &str, name: &str) -> String {
    if section.is_empty() {
        name.to_string()
    } else {
        format!("{section}/{name}")
    }
}

fn taken(site: &Site, source: &str) -> bool {
    let output = crate::paths::output_path(source);
    site.page_at_source(source).is_some() || site.page_at_output(&output).is_some()
}

/// The folders that are sections (hold an `index.md`), "" for the top, in reading order.
pub fn sections(site: &Site) -> Vec<(String, String)> {
    site.tree
        .reading_order()
        .iter()
        .map(|&id| &site.page(id).page)
        .filter(|p| p.is_index())
        .map(|p| (p.source_dir().to_string(), p.front.title.clone()))
        .collect()
}

/// A new page titled `title` in `section`: its path and first text (after its siblings).
pub fn new_page(site: &Site, section: &str, title: &str) -> Result<(String, String), PlanRefusal> {
    let index = in_folder(section, "index.md");
    let parent_id = site.page_at_source(&index).ok_or(PlanRefusal::NoSuchPage)?;
    let name = file_name(title).ok_or(PlanRefusal::EmptyName)?;
    let source = in_folder(section, &name);
    if taken(site, &source) || name == "index.md" {
        return Err(PlanRefusal::Taken);
    }
    let last = site
        .tree
        .children(parent_id)
        .iter()
        .filter_map(|&c| site.page(c).page.front.order)
        .max()
        .unwrap_or(0);
    let text = format!(
        "---\ntitle: {}\norder: {}\n---\n\n",
        yaml_scalar(title.trim()),
        last + 1
    );
    Ok((source, text))
}

/// Every place in the content that links to page `target` from another page (or, with
/// `include_self`, from itself too), as the lines that would change if it were at `to`. Only
/// pages that may link there are parsed: those whose links or `print_with` name it, or whose
/// text holds its file name (a reference definition no link uses).
fn links_to(site: &Site, sources: &Sources, target: PageId, to: &str, include_self: bool) -> Vec<LineEdit> {
    let target_source = &site.page(target).page.source;
    let name = target_source.rsplit('/').next().unwrap_or(target_source);
    let mut edits: Vec<LineEdit> = Vec::new();
    for (id, site_page) in site.pages() {
        if id == target && !include_self {
            continue;
        }
        let page = &site_page.page;
        let text = sources.text(id);
        let dir = page.source_dir();
        let may_link = text.contains(name)
            || site_page
                .rendered
                .links
                .iter()
                .any(|l| matches!(&l.target, Target::Page { source, .. } if source == target_source))
            || page
                .front
                .print_with
                .iter()
                .flatten()
                .any(|entry| join_normalised(dir, entry).as_deref() == Some(target_source.as_str()));
        if !may_link {
            continue;
        }
        if let Some(rewritten) = relink::rewrite(text, &page.source, dir, target_source, to) {
            edits.extend(rewritten.lines);
        }
    }
    edits
}

/// A relative path from folder `dir` to the content file `to`.
pub fn relative_path(dir: &str, to: &str) -> String {
    crate::paths::relative_href(dir, to)
}

/// Plan renaming page `source` to the file name `name` in the same folder.
pub fn plan_rename(site: &Site, sources: &Sources, source: &str, name: &str) -> Result<RenamePlan, PlanRefusal> {
    let id = site.page_at_source(source).ok_or(PlanRefusal::NoSuchPage)?;
    if site.page(id).page.is_index() {
        return Err(PlanRefusal::IndexPage);
    }
    let file = file_name(name).ok_or(PlanRefusal::EmptyName)?;
    let to = in_folder(parent(source), &file);
    if to == source {
        return Err(PlanRefusal::EmptyName);
    }
    if taken(site, &to) || file == "index.md" {
        return Err(PlanRefusal::Taken);
    }
    Ok(RenamePlan {
        from: source.to_string(),
        edits: links_to(site, sources, id, &to, true),
        to,
    })
}

/// Pages that link to `source` (not counting itself), as the lines that do: a page with any is
/// not deleted. The start page and sections with pages are never deleted.
pub fn check_delete(site: &Site, sources: &Sources, source: &str) -> Result<(), PlanRefusal> {
    let id = site.page_at_source(source).ok_or(PlanRefusal::NoSuchPage)?;
    if id == site.tree.root() || !site.tree.children(id).is_empty() {
        return Err(PlanRefusal::IndexPage);
    }
    let linked = links_to(site, sources, id, "\u{0}", false);
    if linked.is_empty() {
        Ok(())
    } else {
        Err(PlanRefusal::LinkedFrom(linked))
    }
}

/// Move page `source` one place up (`-1`) or down (`1`) among its siblings: the new `order`
/// of each sibling whose `order` changes, as (source, order).
pub fn plan_move(site: &Site, source: &str, step: i64) -> Result<Vec<(String, i64)>, PlanRefusal> {
    let id = site.page_at_source(source).ok_or(PlanRefusal::NoSuchPage)?;
    let parent = *site.tree.ancestors(id).last().ok_or(PlanRefusal::NowhereToMove)?;
    let mut siblings: Vec<PageId> = site.tree.children(parent).to_vec();
    let at = siblings.iter().position(|&s| s == id).ok_or(PlanRefusal::NoSuchPage)?;
    let to = at.checked_add_signed(step as isize).filter(|&t| t < siblings.len());
    let to = to.ok_or(PlanRefusal::NowhereToMove)?;
    siblings.swap(at, to);
    Ok(siblings
        .iter()
        .enumerate()
        .map(|(i, &sibling)| (&site.page(sibling).page, i as i64 + 1))
        .filter(|(page, order)| page.front.order != Some(*order))
        .map(|(page, order)| (page.source.clone(), order))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::test_site;

    fn site_and_sources(files: &[(&str, &str)]) -> (Site, Sources) {
        let site = test_site(files);
        let texts = site
            .pages()
            .map(|(_, p)| {
                files
                    .iter()
                    .find(|(path, _)| *path == p.page.source)
                    .map_or(String::new(), |(_, t)| t.to_string())
            })
            .collect();
        (site, Sources::new(texts))
    }

    const FILES: &[(&str, &str)] = &[
        ("site.yml", "title: T\norganisation: O\n"),
        (
            "index.md",
            "---\ntitle: Start\n---\n\nSe [semester](a/semester.md#regler) och [igen](<a/semester.md>).\n",
        ),
        (
            "a/index.md",
            "---\ntitle: A\n---\n\n[Semester][s]\n\n[s]: semester.md\n",
        ),
        (
            "a/semester.md",
            "---\ntitle: Semester\norder: 2\nprint_with: [blankett.md]\n---\n\n## Regler\n\nSe [mig](semester.md).\n",
        ),
        (
            "a/blankett.md",
            "---\ntitle: Blankett\norder: 1\nprint_with: [semester.md]\n---\n\nText.\n",
        ),
    ];

    #[test]
    fn a_rename_updates_every_link_keeping_anchors() {
        let (site, sources) = site_and_sources(FILES);
        let plan = plan_rename(&site, &sources, "a/semester.md", "Ledighet").unwrap();
        assert_eq!(plan.to, "a/ledighet.md");
        let shown: Vec<(&str, usize, &str)> = plan
            .edits
            .iter()
            .map(|e| (e.source.as_str(), e.line, e.after.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                ("a/blankett.md", 4, "print_with: [ledighet.md]"),
                ("a/index.md", 7, "[s]: ledighet.md"),
                ("a/semester.md", 9, "Se [mig](ledighet.md)."),
                (
                    "index.md",
                    5,
                    "Se [semester](a/ledighet.md#regler) och [igen](<a/ledighet.md>)."
                ),
            ]
        );
    }

    #[test]
    fn a_page_others_link_to_is_not_deleted() {
        let (site, sources) = site_and_sources(FILES);
        match check_delete(&site, &sources, "a/semester.md") {
            Err(PlanRefusal::LinkedFrom(lines)) => {
                let from: Vec<&str> = lines.iter().map(|l| l.source.as_str()).collect();
                assert_eq!(from, ["a/blankett.md", "a/index.md", "index.md"]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(check_delete(&site, &sources, "a/index.md"), Err(PlanRefusal::IndexPage));
        assert_eq!(check_delete(&site, &sources, "index.md"), Err(PlanRefusal::IndexPage));
    }

    #[test]
    fn moving_writes_the_order_of_the_siblings() {
        let (site, _) = site_and_sources(FILES);
        let orders = plan_move(&site, "a/semester.md", -1).unwrap();
        assert_eq!(
            orders,
            [("a/semester.md".to_string(), 1), ("a/blankett.md".to_string(), 2)]
        );
        assert_eq!(plan_move(&site, "a/blankett.md", -1), Err(PlanRefusal::NowhereToMove));
    }

    #[test]
    fn a_new_page_gets_a_slug_and_comes_last() {
        let (site, _) = site_and_sources(FILES);
        let (source, text) = new_page(&site, "a", "Föräldraledighet: så gör du").unwrap();
        assert_eq!(source, "a/foraldraledighet-sa-gor-du.md");
        assert_eq!(text, "---\ntitle: \"Föräldraledighet: så gör du\"\norder: 3\n---\n\n");
        assert_eq!(new_page(&site, "a", "Semester"), Err(PlanRefusal::Taken));
        assert_eq!(new_page(&site, "a", "!!!"), Err(PlanRefusal::EmptyName));
    }
}
