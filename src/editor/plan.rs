//! Changes to the set of pages, planned from the last build's [`Site`] (pure: nothing here
//! reads or writes a file; the editor applies the plans through `files`):
//! - a new page: its title made a file name (slug) in a chosen section, after its siblings;
//! - a rename: the page's new file name and every link to it in the content (Markdown links and
//!   `print_with` entries), each as a line before and after, shown before it is applied;
//! - a delete: refused while other pages link to it, naming them;
//! - a move up or down among its siblings: the `order` lines that give the new order
//!   (written with [`super::front::set_front_key`]).

use serde::{Deserialize, Serialize};

use super::front::yaml_scalar;
use crate::content::{PageId, Sources};
use crate::markdown::links::Target;
use crate::paths::{join_normalised, parent};
use crate::site::Site;
use crate::slug::slugify;

/// One line of a file changed by a plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LineEdit {
    /// The file, relative to the content folder.
    pub source: String,
    /// 1-based line.
    pub line: usize,
    /// The line now.
    pub before: String,
    /// The line after the change.
    pub after: String,
}

/// A page's text with lines changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileEdit {
    /// The file, relative to the content folder.
    pub source: String,
    /// Its whole new text.
    pub text: String,
}

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
/// `include_self`, from itself too), as the lines that would change if it were at `to`.
fn links_to(site: &Site, sources: &Sources, target: PageId, to: &str, include_self: bool) -> Vec<LineEdit> {
    let target_source = &site.page(target).page.source;
    let mut edits: Vec<LineEdit> = Vec::new();
    for (id, site_page) in site.pages() {
        if id == target && !include_self {
            continue;
        }
        let page = &site_page.page;
        let text = sources.text(id);
        let dir = page.source_dir();
        let written: Vec<(usize, &str)> = site_page
            .rendered
            .links
            .iter()
            .filter(|l| matches!(&l.target, Target::Page { source, .. } if source == target_source))
            .map(|l| (l.line, l.written.as_str()))
            .chain(print_with_entries(page, dir, target_source))
            .collect();
        for (line, dest) in written {
            let new_dest = retarget(dest, dir, to);
            let Some((line, before)) = find_destination(text, line, dest) else {
                continue;
            };
            let after = replace_destination(before, dest, &new_dest);
            match edits.iter_mut().find(|e| e.source == page.source && e.line == line) {
                Some(edit) => edit.after = replace_destination(&edit.after, dest, &new_dest),
                None => edits.push(LineEdit {
                    source: page.source.clone(),
                    line,
                    before: before.to_string(),
                    after,
                }),
            }
        }
    }
    edits.retain(|e| e.before != e.after);
    edits
}

/// `print_with` entries of `page` that name `target`, at the line of `print_with`.
fn print_with_entries<'a>(
    page: &'a crate::content::Page,
    dir: &'a str,
    target: &'a str,
) -> impl Iterator<Item = (usize, &'a str)> + 'a {
    let line = page.keys.line("print_with");
    page.front
        .print_with
        .iter()
        .flatten()
        .filter(move |entry| join_normalised(dir, entry).as_deref() == Some(target))
        .map(move |entry| (line, entry.as_str()))
}

/// `dest` (written in a page in `dir`) pointed at `to` instead, its `#anchor` kept.
fn retarget(dest: &str, dir: &str, to: &str) -> String {
    let anchor = dest.find('#').map_or("", |at| &dest[at..]);
    let mut relative = relative_path(dir, to);
    relative.push_str(anchor);
    relative
}

/// A relative path from folder `dir` to the content file `to`.
pub fn relative_path(dir: &str, to: &str) -> String {
    crate::paths::relative_href(dir, to)
}

/// The line (1-based) holding `dest` as a link destination: `line` itself, else a reference
/// definition (`[name]: dest`) elsewhere in the file.
fn find_destination<'t>(text: &'t str, line: usize, dest: &str) -> Option<(usize, &'t str)> {
    let lines: Vec<&str> = text.lines().collect();
    let holds = |l: &str| replace_destination(l, dest, "\u{0}") != l;
    if let Some(l) = lines.get(line.wrapping_sub(1)).filter(|l| holds(l)) {
        return Some((line, l));
    }
    lines
        .iter()
        .enumerate()
        .find(|(_, l)| l.trim_start().starts_with('[') && l.contains("]:") && holds(l))
        .map(|(i, l)| (i + 1, *l))
}

/// `line` with `dest` replaced by `new` where it stands as a destination: `](dest)`,
/// `](dest "title")`, `](<dest>)`, a reference definition `]: dest`, or an entry of a YAML
/// list (`print_with: [dest, …]`, `- dest`).
fn replace_destination(line: &str, dest: &str, new: &str) -> String {
    let yaml = line.starts_with("print_with") || line.trim_start().starts_with("- ");
    let mut patterns: Vec<(&str, &[char])> = vec![("](", &[')', ' ']), ("](<", &['>']), ("]: ", &[' ', '\n'])];
    if yaml {
        patterns.extend([
            ("[", &[']', ','][..]),
            (", ", &[']', ',']),
            (",", &[']', ',']),
            ("- ", &['\n']),
        ]);
    }
    let mut out = line.to_string();
    for (prefix, ends) in patterns {
        let needle = format!("{prefix}{dest}");
        let mut from = 0;
        while let Some(found) = out[from..].find(&needle) {
            let at = from + found;
            let after = at + needle.len();
            let next = out[after..].chars().next().unwrap_or('\n');
            if ends.contains(&next) {
                out.replace_range(at + prefix.len()..after, new);
                from = at + prefix.len() + new.len();
            } else {
                from = after;
            }
        }
    }
    out
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

/// The files a rename plan changes, with their new texts (the page's own under its old name).
pub fn apply_edits(sources_text: impl Fn(&str) -> Option<String>, edits: &[LineEdit]) -> Option<Vec<FileEdit>> {
    let mut files: Vec<FileEdit> = Vec::new();
    for edit in edits {
        if !files.iter().any(|f| f.source == edit.source) {
            files.push(FileEdit {
                source: edit.source.clone(),
                text: sources_text(&edit.source)?,
            });
        }
        let file = files.iter_mut().find(|f| f.source == edit.source)?;
        let mut lines: Vec<String> = file.text.split('\n').map(str::to_string).collect();
        let slot = lines.get_mut(edit.line.checked_sub(1)?)?;
        if slot.trim_end_matches('\r') != edit.before {
            return None;
        }
        *slot = edit.after.clone();
        file.text = lines.join("\n");
    }
    Some(files)
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
        let files = apply_edits(files_text, &plan.edits).unwrap();
        assert_eq!(files.len(), 4);
        assert!(files[0].text.contains("print_with: [ledighet.md]\n---"));
    }

    fn files_text(source: &str) -> Option<String> {
        FILES.iter().find(|(p, _)| *p == source).map(|(_, t)| t.to_string())
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
