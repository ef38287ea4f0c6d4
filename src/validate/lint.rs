//! Content checks that help readers and accessibility. They only ever give warnings: the site
//! still builds, and `handbok check --strict` turns them into a failing exit code.
//!
//! - a `#` heading in the text (the page's title is its one `<h1>`);
//! - heading levels skipped (the first heading in the text should be `##`, and each heading at
//!   most one level deeper than the one before);
//! - links without text;
//! - link texts that say nothing about where the link leads, such as "klicka här", "här" or
//!   "läs mer" (WCAG 2.4.4, Link Purpose);
//! - two pages with the same title (readers cannot tell them apart in the menu or in search);
//! - pages that neither the navigation nor any link reaches;
//! - facts the generated accessibility statement needs that `accessibility:` in site.yml does
//!   not give (the published statement leaves them out; `handbok serve` marks them).
//!
//! About the last one: the navigation lists every page of the section tree, so today every
//! page the site model places is reachable and the check is quiet. It is defined as "not in
//! the navigation AND not reached by following links from the start page or from any page in
//! the navigation", so it starts to warn as soon as pages can be left out of the menu.
//! (Image alt text is an error, checked with the links.)

use std::collections::{HashMap, HashSet};

use super::Reporter;
use crate::config::SETTINGS_FILE;
use crate::content::PageId;
use crate::diag::{Diagnostic, Diagnostics, Message};
use crate::markdown::links::Target;
use crate::plan::STATEMENT_OUTPUT;
use crate::site::Site;

/// Link texts that do not tell where the link leads, compared after lowercasing and trimming
/// punctuation.
const VAGUE_LINK_TEXTS: &[&str] = &[
    "här",
    "klicka här",
    "klicka",
    "tryck här",
    "läs mer",
    "läs mer här",
    "mer",
    "mer info",
    "mer information",
    "länk",
    "denna länk",
    "den här länken",
    "se här",
    "click here",
    "here",
    "read more",
    "link",
];

/// Run every content check.
pub(super) fn run(report: &Reporter<'_>, diags: &mut Diagnostics) {
    for (id, _) in report.site.pages() {
        heading_levels(report, id, diags);
        link_texts(report, id, diags);
    }
    duplicate_titles(report, diags);
    let in_nav: HashSet<PageId> = report.site.tree.reading_order().iter().copied().collect();
    diags.extend(unreached(report.site, &in_nav));
    // Broken settings were read as defaults: their error says what to fix first.
    let settings_broken = diags.iter().any(|d| d.is_error() && d.path.ends_with(SETTINGS_FILE));
    if !settings_broken {
        diags.extend(statement_facts(report.site));
    }
}

/// One warning listing what the generated accessibility statement lacks, unless a content page
/// takes the statement's place.
fn statement_facts(site: &Site) -> Option<Diagnostic> {
    if site.page_at_output(STATEMENT_OUTPUT).is_some() {
        return None;
    }
    let missing = site.config.accessibility.missing();
    (!missing.is_empty()).then(|| {
        let keys: Vec<String> = missing.iter().map(|k| format!("`{k}`")).collect();
        Diagnostic::warning(
            site.root.join(SETTINGS_FILE),
            0,
            0,
            Message::new("lint_statement_facts_missing").arg("keys", keys.join(", ")),
        )
        .with_hint(Message::new("lint_statement_facts_missing_hint"))
    })
}

fn heading_levels(report: &Reporter<'_>, id: PageId, diags: &mut Diagnostics) {
    let mut previous = 1u8;
    for heading in &report.site.page(id).rendered.headings {
        let level = heading.level;
        if level == 1 {
            diags.push(
                report
                    .warning(id, heading.line, heading.column, Message::new("lint_heading_level_1"))
                    .with_hint(Message::new("lint_heading_level_1_hint")),
            );
        } else if level > previous + 1 {
            let expected = "#".repeat(usize::from(previous) + 1);
            let message = if previous == 1 {
                Message::new("lint_heading_skips_first").arg("level", level)
            } else {
                Message::new("lint_heading_skips")
                    .arg("level", level)
                    .arg("previous", previous)
            };
            diags.push(
                report
                    .warning(id, heading.line, heading.column, message)
                    .with_hint(Message::new("lint_heading_skips_hint").arg("expected", expected)),
            );
        }
        previous = level;
    }
}

fn link_texts(report: &Reporter<'_>, id: PageId, diags: &mut Diagnostics) {
    for link in report.site.page(id).rendered.links.iter().filter(|l| !l.is_image) {
        let text = normalise(&link.text);
        let (message, hint) = if text.is_empty() {
            (
                Message::new("lint_link_no_text").arg("target", &link.written),
                Message::new("lint_link_no_text_hint"),
            )
        } else if VAGUE_LINK_TEXTS.contains(&text.as_str()) {
            (
                Message::new("lint_link_vague").arg("text", link.text.trim()),
                Message::new("lint_link_vague_hint"),
            )
        } else {
            continue;
        };
        diags.push(report.warning(id, link.line, link.column, message).with_hint(hint));
    }
}

fn normalise(text: &str) -> String {
    text.trim()
        .trim_matches(|c: char| c.is_ascii_punctuation() || c == '…' || c == '»' || c == '›')
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

fn duplicate_titles(report: &Reporter<'_>, diags: &mut Diagnostics) {
    let mut first: HashMap<String, PageId> = HashMap::new();
    for (id, site_page) in report.site.pages() {
        let page = &site_page.page;
        let key = normalise(&page.front.title);
        if key.is_empty() {
            continue;
        }
        match first.get(&key) {
            None => {
                first.insert(key, id);
            }
            Some(&earlier) => {
                let line = page.keys.get("title").map_or(1, |p| p.line);
                diags.push(
                    report
                        .warning(
                            id,
                            line,
                            1,
                            Message::new("lint_duplicate_title")
                                .arg("title", page.front.title.trim())
                                .arg("other", &report.site.page(earlier).page.source),
                        )
                        .with_hint(Message::new("lint_duplicate_title_hint")),
                );
            }
        }
    }
}

/// Pages that are not in the navigation (`in_nav`) and that no link from a reachable page
/// leads to.
pub(crate) fn unreached(site: &Site, in_nav: &HashSet<PageId>) -> Vec<Diagnostic> {
    let mut reached: HashSet<PageId> = in_nav.clone();
    reached.insert(site.tree.root());
    let mut queue: Vec<PageId> = reached.iter().copied().collect();
    while let Some(id) = queue.pop() {
        for link in &site.page(id).rendered.links {
            if let Target::Page { output, .. } = &link.target {
                if let Some(target) = site.page_at_output(output) {
                    if reached.insert(target) {
                        queue.push(target);
                    }
                }
            }
        }
    }
    site.pages()
        .filter(|(id, _)| !reached.contains(id))
        .map(|(id, _)| {
            Diagnostic::warning(site.file(id), 0, 0, Message::new("lint_unreached"))
                .with_hint(Message::new("lint_unreached_hint"))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::test_site;

    /// The menu lists every page the site model places, so this is checked against a menu that
    /// leaves `semester.md` out.
    #[test]
    fn a_page_no_link_or_menu_reaches_is_reported_and_a_link_is_enough() {
        let site_yml = ("site.yml", "title: T\norganisation: O\n");
        let semester = ("semester.md", "---\ntitle: Semester\n---\nText.\n");
        let site = test_site(&[site_yml, ("index.md", "---\ntitle: Start\n---\nVälkommen.\n"), semester]);
        let only_start: HashSet<PageId> = [site.tree.root()].into_iter().collect();
        let found = unreached(&site, &only_start);
        assert_eq!(found.len(), 1);
        assert!(found[0].path.ends_with("semester.md"));
        assert_eq!(
            found[0].message.english(),
            "no link or menu leads to this page; readers will not find it"
        );

        let linked = ("index.md", "---\ntitle: Start\n---\nSe [semester](semester.md).\n");
        let site = test_site(&[site_yml, linked, semester]);
        assert!(unreached(&site, &only_start).is_empty());
    }

    #[test]
    fn vague_texts_match_after_trimming_and_case() {
        assert!(VAGUE_LINK_TEXTS.contains(&normalise(" Klicka  HÄR! ").as_str()));
        assert!(VAGUE_LINK_TEXTS.contains(&normalise("Läs mer…").as_str()));
        assert!(!VAGUE_LINK_TEXTS.contains(&normalise("Läs mer om semester").as_str()));
    }
}
