//! Stage 3: the site model. Builds the section tree from the pages' folders (a folder's
//! `index.md` is the section's page), orders siblings by `order` then title, and derives the
//! reading order, previous/next and breadcrumbs. Takes pages, returns indices into them.

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::content::Page;

/// The section tree over `pages` (indices into the content's page list).
#[derive(Debug, Clone)]
pub struct SiteModel {
    /// For each page, its parent section's page (`None` for the start page).
    pub parent: Vec<Option<usize>>,
    /// For each page, its ordered children (non-empty only for section pages).
    pub children: Vec<Vec<usize>>,
    /// Every page in reading order: depth first, a section's page before its children.
    pub reading_order: Vec<usize>,
    /// For each page, its position in `reading_order`.
    pub position: Vec<usize>,
    /// The start page (`index.md` at the root).
    pub root: usize,
}

impl SiteModel {
    /// Build the tree. Expects a root `index.md` and an `index.md` in every folder (checked by
    /// the content stage).
    pub fn build(pages: &[Page]) -> SiteModel {
        let index_of_folder: HashMap<&str, usize> = pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.is_index())
            .map(|(i, p)| (p.source_dir(), i))
            .collect();
        let root = index_of_folder.get("").copied().unwrap_or(0);
        let mut parent = vec![None; pages.len()];
        let mut children = vec![Vec::new(); pages.len()];
        for (i, page) in pages.iter().enumerate() {
            if i == root {
                continue;
            }
            let folder = if page.is_index() {
                parent_folder(page.source_dir())
            } else {
                page.source_dir()
            };
            let p = nearest_section(folder, &index_of_folder).unwrap_or(root);
            parent[i] = Some(p);
            children[p].push(i);
        }
        for list in &mut children {
            list.sort_by(|&a, &b| sibling_order(&pages[a], &pages[b]));
        }
        let mut reading_order = Vec::with_capacity(pages.len());
        let mut stack = vec![root];
        while let Some(i) = stack.pop() {
            reading_order.push(i);
            stack.extend(children[i].iter().rev());
        }
        let mut position = vec![0; pages.len()];
        for (pos, &i) in reading_order.iter().enumerate() {
            position[i] = pos;
        }
        SiteModel {
            parent,
            children,
            reading_order,
            position,
            root,
        }
    }

    pub fn previous(&self, page: usize) -> Option<usize> {
        let pos = self.position[page];
        (pos > 0).then(|| self.reading_order[pos - 1])
    }

    pub fn next(&self, page: usize) -> Option<usize> {
        self.reading_order.get(self.position[page] + 1).copied()
    }

    /// The sections above `page`, from the start page down (the page itself not included).
    pub fn ancestors(&self, page: usize) -> Vec<usize> {
        let mut chain = Vec::new();
        let mut current = self.parent[page];
        while let Some(p) = current {
            chain.push(p);
            current = self.parent[p];
        }
        chain.reverse();
        chain
    }

    /// The section a page belongs to: its nearest ancestor below the start page, or itself.
    pub fn top_section(&self, page: usize) -> usize {
        let ancestors = self.ancestors(page);
        ancestors.get(1).copied().unwrap_or(page)
    }
}

/// `order` first (pages without one after), then title in Swedish alphabetical order, then path.
pub fn sibling_order(a: &Page, b: &Page) -> Ordering {
    let key = |p: &Page| (p.front.order.is_none(), p.front.order.unwrap_or(0));
    key(a)
        .cmp(&key(b))
        .then_with(|| swedish_collation_key(&a.front.title).cmp(&swedish_collation_key(&b.front.title)))
        .then_with(|| a.source.cmp(&b.source))
}

/// Sort key putting å, ä, ö after z, as Swedish readers expect.
fn swedish_collation_key(text: &str) -> Vec<u32> {
    text.chars()
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'å' => 'z' as u32 + 1,
            'ä' | 'æ' => 'z' as u32 + 2,
            'ö' | 'ø' => 'z' as u32 + 3,
            c => c as u32,
        })
        .collect()
}

fn parent_folder(folder: &str) -> &str {
    folder.rsplit_once('/').map_or("", |(p, _)| p)
}

fn nearest_section(mut folder: &str, index_of_folder: &HashMap<&str, usize>) -> Option<usize> {
    loop {
        if let Some(&i) = index_of_folder.get(folder) {
            return Some(i);
        }
        if folder.is_empty() {
            return None;
        }
        folder = parent_folder(folder);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::FrontMatter;

    fn page(source: &str, title: &str, order: Option<i64>) -> Page {
        Page {
            source: source.into(),
            output: crate::content::output_path(source),
            front: FrontMatter {
                title: title.into(),
                order,
                ..FrontMatter::default()
            },
            text: String::new(),
            body_start: 0,
            body_line: 1,
        }
    }

    #[test]
    fn tree_order_and_neighbours() {
        let pages = vec![
            page("index.md", "Start", None),
            page("b/index.md", "Bilaga", Some(2)),
            page("a/index.md", "Policy", Some(1)),
            page("a/ö.md", "Öppenhet", None),
            page("a/z.md", "Zebra", None),
            page("a/x.md", "Först", Some(1)),
        ];
        let site = SiteModel::build(&pages);
        let titles: Vec<&str> = site
            .reading_order
            .iter()
            .map(|&i| pages[i].front.title.as_str())
            .collect();
        assert_eq!(titles, ["Start", "Policy", "Först", "Zebra", "Öppenhet", "Bilaga"]);
        assert_eq!(site.previous(5), Some(2));
        assert_eq!(site.next(4), Some(3));
        assert_eq!(site.ancestors(3), vec![0, 2]);
        assert_eq!(site.top_section(3), 2);
    }
}
