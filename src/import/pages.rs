//! From the document's blocks to pages: the title (the "Title" paragraph, the document's
//! properties, or its first heading), heading levels shifted so the top level is `##` and none
//! is skipped, one page or (with `--split`) a section with one page per top-level heading,
//! bookmarks resolved to heading ids the build will give, footnotes numbered per page, images
//! given a folder of their own per page (`<page>-bilder/`), front matter written.

use std::collections::HashMap;

use super::forms::scalar;
use super::markdown::{self, Context, Links};
use super::model::{Block, Inline, Parsed};
use crate::files::IMAGE_EXTENSIONS;
use crate::markdown::unique_heading_id;
use crate::slug::slugify;

/// A page to write: its path relative to the section folder, and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct NewPage {
    /// `policy.md`, or `policy/index.md` and `policy/syfte.md` when split.
    pub path: String,
    /// The whole file: front matter and Markdown.
    pub text: String,
}

/// Pages and the images they show (path relative to the section folder, index in `Parsed::images`).
pub(crate) struct Planned {
    pub(crate) title: String,
    pub(crate) pages: Vec<NewPage>,
    pub(crate) images: Vec<(String, usize)>,
}

/// Where the pages go and what is there already.
pub(crate) struct Site<'a> {
    /// The section folder, relative to the content folder.
    pub(crate) section: String,
    /// Every page of the content folder, relative to it.
    pub(crate) pages: &'a [String],
}

struct Draft {
    file: String,
    title: String,
    order: Option<usize>,
    blocks: Vec<Block>,
    /// Bookmarks on the heading that became this page's title.
    title_anchors: Vec<String>,
}

/// Plan the pages of `parsed`; `fallback` names the document when nothing inside does.
pub(crate) fn plan(parsed: &mut Parsed, fallback: &str, split: bool, site: &Site<'_>) -> Planned {
    let mut blocks = std::mem::take(&mut parsed.blocks);
    let mut title_anchors = Vec::new();
    let title = match blocks.first() {
        Some(Block::Title(inlines)) => {
            let t = Inline::plain(inlines);
            blocks.remove(0);
            t
        }
        _ => match parsed.title.clone().filter(|t| !t.trim().is_empty()) {
            Some(t) => t,
            None => match blocks.first() {
                Some(Block::Heading { inlines, anchors, .. }) => {
                    let t = Inline::plain(inlines);
                    title_anchors = anchors.clone();
                    blocks.remove(0);
                    t
                }
                _ => fallback.to_string(),
            },
        },
    };
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(Block::Heading { inlines, anchors, .. }) = blocks.first() {
        if Inline::plain(inlines).trim().eq_ignore_ascii_case(&title) {
            title_anchors.extend(anchors.iter().cloned());
            blocks.remove(0);
        }
    }
    let base = blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level, .. } => Some(*level),
            _ => None,
        })
        .min()
        .unwrap_or(1);
    let slug = file_slug(&title);
    let mut drafts = Vec::new();
    if split
        && blocks
            .iter()
            .any(|b| matches!(b, Block::Heading { level, .. } if *level == base))
    {
        let mut current = Draft {
            file: format!("{slug}/index.md"),
            title: title.clone(),
            order: None,
            blocks: Vec::new(),
            title_anchors,
        };
        let mut names: Vec<String> = vec!["index".into()];
        for block in blocks {
            match block {
                Block::Heading {
                    level,
                    inlines,
                    anchors,
                } if level == base => {
                    let page_title = Inline::plain(&inlines);
                    let mut name = file_slug(&page_title);
                    let mut n = 2;
                    while names.contains(&name) {
                        name = format!("{}-{n}", file_slug(&page_title));
                        n += 1;
                    }
                    names.push(name.clone());
                    let order = drafts.len() + 1;
                    drafts.push(std::mem::replace(
                        &mut current,
                        Draft {
                            file: format!("{slug}/{name}.md"),
                            title: page_title,
                            order: Some(order),
                            blocks: Vec::new(),
                            title_anchors: anchors,
                        },
                    ));
                }
                other => current.blocks.push(other),
            }
        }
        drafts.push(current);
        if drafts[0].blocks.is_empty() {
            // The section's start page lists its pages when the document had no introduction.
            let list = drafts[1..]
                .iter()
                .map(|d| Block::Paragraph {
                    inlines: vec![Inline::Link {
                        target: super::model::Target::Url(d.file.rsplit('/').next().unwrap_or("").to_string()),
                        inlines: vec![Inline::Text {
                            text: d.title.clone(),
                            bold: false,
                            italic: false,
                        }],
                    }],
                    list: Some(super::model::ListItem { start: None, level: 0 }),
                    anchors: vec![],
                })
                .collect();
            drafts[0].blocks = list;
        }
        for d in &mut drafts[1..] {
            shift_levels(&mut d.blocks, base + 1);
        }
        shift_levels(&mut drafts[0].blocks, base);
    } else {
        shift_levels(&mut blocks, base);
        drafts.push(Draft {
            file: format!("{slug}.md"),
            title: title.clone(),
            order: None,
            blocks,
            title_anchors,
        });
    }
    let owner = parsed
        .creator
        .as_deref()
        .filter(|c| names_a_unit(c))
        .map(str::to_string);
    write_drafts(&drafts, parsed, owner.as_deref(), title, site)
}

/// Headings from `base` down become `##`…, never skipping a level.
fn shift_levels(blocks: &mut [Block], base: u8) {
    let mut previous = 1u8;
    for b in blocks {
        if let Block::Heading { level, .. } = b {
            let wanted = (*level).saturating_sub(base).saturating_add(2).clamp(2, 6);
            *level = wanted.min(previous + 1);
            previous = *level;
        }
    }
}

fn write_drafts(drafts: &[Draft], parsed: &mut Parsed, owner: Option<&str>, title: String, site: &Site<'_>) -> Planned {
    // Every bookmark's page and heading id, with ids given as the build gives them.
    let mut places: HashMap<String, (usize, Option<String>)> = HashMap::new();
    for (p, d) in drafts.iter().enumerate() {
        for a in &d.title_anchors {
            places.insert(a.clone(), (p, None));
        }
        let mut used: HashMap<String, usize> = HashMap::new();
        for b in &d.blocks {
            match b {
                Block::Heading { inlines, anchors, .. } => {
                    let text = crate::text::strip_invisible(&Inline::plain(inlines)).into_owned();
                    let base = Some(slugify(&text))
                        .filter(|s| !s.is_empty())
                        .unwrap_or_else(|| "rubrik".into());
                    let id = unique_heading_id(&mut used, base);
                    for a in anchors {
                        places.insert(a.clone(), (p, Some(id.clone())));
                    }
                }
                Block::Paragraph { anchors, .. } => {
                    for a in anchors {
                        places.entry(a.clone()).or_insert((p, None));
                    }
                }
                _ => {}
            }
        }
    }
    let alts: Vec<Option<String>> = parsed.images.iter().map(|i| i.alt.clone()).collect();
    let mut pages = Vec::new();
    let mut all_images = Vec::new();
    for (p, d) in drafts.iter().enumerate() {
        let folder_of = |file: &str| file.rsplit_once('/').map_or(String::new(), |(f, _)| format!("{f}/"));
        let here = folder_of(&d.file);
        let mut bookmarks = HashMap::new();
        for (name, (page, id)) in &places {
            let link = if *page == p {
                match id {
                    Some(id) => format!("#{id}"),
                    None => continue,
                }
            } else {
                let other = &drafts[*page].file;
                let relative = other.strip_prefix(&here).unwrap_or(other).to_string();
                match id {
                    Some(id) => format!("{relative}#{id}"),
                    None => relative,
                }
            };
            bookmarks.insert(name.clone(), link);
        }
        // Notes and images in the order the page shows them.
        let mut note_order = Vec::new();
        let mut image_order = Vec::new();
        for b in &d.blocks {
            walk(b, &mut |i| match i {
                Inline::Note(n) if !note_order.contains(n) => note_order.push(*n),
                Inline::Image(n) if !image_order.contains(n) => image_order.push(*n),
                _ => {}
            });
        }
        for n in note_order.clone() {
            for i in parsed.notes.get(n).into_iter().flatten() {
                visit(i, &mut |i| {
                    if let Inline::Image(m) = i {
                        if !image_order.contains(m) {
                            image_order.push(*m);
                        }
                    }
                });
            }
        }
        let notes: HashMap<usize, usize> = note_order.iter().enumerate().map(|(i, n)| (*n, i + 1)).collect();
        let stem = d
            .file
            .rsplit('/')
            .next()
            .unwrap_or("")
            .trim_end_matches(".md")
            .to_string();
        let mut images = HashMap::new();
        let mut taken: Vec<String> = Vec::new();
        for n in image_order {
            let entry = &parsed.images[n].entry;
            let name = entry.rsplit('/').next().unwrap_or("bild").to_lowercase();
            let extension = name.rsplit_once('.').map(|(_, e)| e.to_string()).unwrap_or_default();
            if !IMAGE_EXTENSIONS.contains(&extension.as_str()) {
                parsed.warnings.push(format!(
                    "Bilden {name} är i formatet {} som webbläsare inte visar; den togs inte med. Spara den som PNG eller JPEG och lägg in den i redigeraren.",
                    extension.to_uppercase()
                ));
                images.insert(n, None);
                continue;
            }
            let clean: String = name
                .chars()
                .map(|c| {
                    if c.is_alphanumeric() || matches!(c, '-' | '_' | '.') {
                        c
                    } else {
                        '-'
                    }
                })
                .collect();
            let mut file = clean.clone();
            let mut k = 2;
            while taken.contains(&file) {
                file = format!("{}-{k}.{extension}", clean.trim_end_matches(&format!(".{extension}")));
                k += 1;
            }
            taken.push(file.clone());
            let relative = format!("{stem}-bilder/{file}");
            all_images.push((format!("{here}{relative}"), n));
            images.insert(n, Some(relative));
        }
        let source = if site.section.is_empty() {
            d.file.clone()
        } else {
            format!("{}/{}", site.section, d.file)
        };
        let page_dir = crate::paths::parent(&source).to_string();
        let links = Links {
            bookmarks: &bookmarks,
            images: &images,
            alts: &alts,
            notes: &notes,
            pages: site.pages,
            page_dir: &page_dir,
        };
        let mut warnings = Vec::new();
        let note_texts: Vec<(usize, String)> = note_order
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let inlines = parsed.notes.get(*n).cloned().unwrap_or_default();
                (i + 1, markdown::line(&inlines, &links, Context::Cell, &mut warnings))
            })
            .collect();
        let body = markdown::body(&d.blocks, &note_texts, &links, &mut warnings);
        parsed.warnings.extend(warnings);
        let mut text = format!("---\ntitle: {}\n", scalar(&d.title));
        if let Some(order) = d.order {
            text.push_str(&format!("order: {order}\n"));
        }
        if let Some(owner) = owner {
            text.push_str(&format!("owner: {}\n", scalar(owner)));
        }
        text.push_str("---\n");
        if !body.is_empty() {
            text.push('\n');
            text.push_str(&body);
        }
        pages.push(NewPage {
            path: d.file.clone(),
            text,
        });
    }
    Planned {
        title,
        pages,
        images: all_images,
    }
}

fn walk(block: &Block, f: &mut impl FnMut(&Inline)) {
    match block {
        Block::Heading { inlines, .. } | Block::Title(inlines) | Block::Paragraph { inlines, .. } => {
            inlines.iter().for_each(|i| visit(i, f));
        }
        Block::Table(t) => t.rows.iter().flatten().flatten().for_each(|i| visit(i, f)),
        Block::Form(_) => {}
    }
}

fn visit(inline: &Inline, f: &mut impl FnMut(&Inline)) {
    f(inline);
    if let Inline::Link { inlines, .. } = inline {
        inlines.iter().for_each(|i| visit(i, f));
    }
}

/// A page's file name from its title: lower case, letters (å, ä, ö too) and digits, words
/// joined by `-`, as the shipped pages are named.
pub(crate) fn file_slug(title: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
        if out.chars().count() >= 80 {
            break;
        }
    }
    if out.is_empty() {
        "dokument".into()
    } else {
        out
    }
}

/// The document's author names a unit (an "avdelning", "enhet" …), not a person: only then is
/// it the page's `owner`.
fn names_a_unit(author: &str) -> bool {
    let lower = author.to_lowercase();
    [
        "avdelning",
        "enhet",
        "förvaltning",
        "kontor",
        "sektion",
        "nämnd",
        "stab",
        "kommun",
        "styrelse",
        "verksamhet",
        "center",
        "centrum",
        "hr-",
        "byrå",
    ]
    .iter()
    .any(|w| lower.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_swedish_letters() {
        assert_eq!(file_slug("Policy för distansarbete"), "policy-för-distansarbete");
        assert_eq!(file_slug("  Lön & förmåner! "), "lön-förmåner");
        assert_eq!(file_slug("???"), "dokument");
    }

    #[test]
    fn only_units_become_owners() {
        assert!(names_a_unit("HR-avdelningen"));
        assert!(names_a_unit("Rekryteringsenheten, HR-avdelningen"));
        assert!(!names_a_unit("Karin Nilsson"));
    }
}
