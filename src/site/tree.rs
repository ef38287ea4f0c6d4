//! The section tree: a folder's `index.md` is the section's page, siblings are ordered by
//! `order` then Swedish title order, and the reading order runs depth first, a section's page
//! before its children. From it: previous/next, ancestors (breadcrumbs), children (menus).

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::content::{Page, PageId};
use crate::paths;
use crate::text::swedish_order;

/// The section tree over the pages.
#[derive(Debug, Clone, Default)]
pub struct SectionTree {
    parent: Vec<Option<PageId>>,
    children: Vec<Vec<PageId>>,
    reading_order: Vec<PageId>,
    position: Vec<usize>,
    root: PageId,
}

impl SectionTree {
    /// Build the tree. A folder without `index.md` hangs its pages on the nearest section above
    /// (the content stage reports the missing page); without a root `index.md` the first page
    /// is the start.
    pub fn build(pages: &[Page]) -> SectionTree {
        if pages.is_empty() {
            return SectionTree::default();
        }
        let index_of_folder: HashMap<&str, PageId> = pages
            .iter()
            .enumerate()
            .filter(|(_, p)| p.is_index())
            .map(|(i, p)| (p.source_dir(), PageId(i)))
            .collect();
        let root = index_of_folder.get("").copied().unwrap_or(PageId(0));
        let mut parent = vec![None; pages.len()];
        let mut children = vec![Vec::new(); pages.len()];
        for (i, page) in pages.iter().enumerate() {
            if PageId(i) == root {
                continue;
            }
            let folder = if page.is_index() {
                paths::parent(page.source_dir())
            } else {
                page.source_dir()
            };
            let p = nearest_section(folder, &index_of_folder).unwrap_or(root);
            parent[i] = Some(p);
            children[p.0].push(PageId(i));
        }
        for list in &mut children {
            list.sort_by(|a, b| sibling_order(&pages[a.0], &pages[b.0]));
        }
        let mut reading_order = Vec::with_capacity(pages.len());
        let mut stack = vec![root];
        while let Some(id) = stack.pop() {
            reading_order.push(id);
            stack.extend(children[id.0].iter().rev());
        }
        let mut position = vec![0; pages.len()];
        for (pos, id) in reading_order.iter().enumerate() {
            position[id.0] = pos;
        }
        SectionTree {
            parent,
            children,
            reading_order,
            position,
            root,
        }
    }

    /// The start page.
    pub fn root(&self) -> PageId {
        self.root
    }

    /// Every page in reading order.
    pub fn reading_order(&self) -> &[PageId] {
        &self.reading_order
    }

    /// A section's pages in order (empty for a page that is not a section).
    pub fn children(&self, id: PageId) -> &[PageId] {
        self.children.get(id.0).map_or(&[], Vec::as_slice)
    }

    /// The page before `id` in reading order.
    pub fn previous(&self, id: PageId) -> Option<PageId> {
        let pos = *self.position.get(id.0)?;
        (pos > 0).then(|| self.reading_order[pos - 1])
    }

    /// The page after `id` in reading order.
    pub fn next(&self, id: PageId) -> Option<PageId> {
        self.reading_order.get(self.position.get(id.0)? + 1).copied()
    }

    /// The sections above `id`, from the start page down (the page itself not included).
    pub fn ancestors(&self, id: PageId) -> Vec<PageId> {
        let mut chain = Vec::new();
        let mut current = self.parent.get(id.0).copied().flatten();
        while let Some(p) = current {
            chain.push(p);
            current = self.parent[p.0];
        }
        chain.reverse();
        chain
    }
}

/// `order` first (pages without one after), then title in Swedish alphabetical order, then path.
pub fn sibling_order(a: &Page, b: &Page) -> Ordering {
    let key = |p: &Page| (p.front.order.is_none(), p.front.order.unwrap_or(0));
    key(a)
        .cmp(&key(b))
        .then_with(|| swedish_order(&a.front.title, &b.front.title))
        .then_with(|| a.source.cmp(&b.source))
}

fn nearest_section(mut folder: &str, index_of_folder: &HashMap<&str, PageId>) -> Option<PageId> {
    loop {
        if let Some(&id) = index_of_folder.get(folder) {
            return Some(id);
        }
        if folder.is_empty() {
            return None;
        }
        folder = paths::parent(folder);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::FrontMatter;

    fn page(source: &str, title: &str, order: Option<i64>) -> Page {
        Page {
            source: source.into(),
            output: paths::output_path(source),
            front: FrontMatter {
                title: title.into(),
                order,
                ..FrontMatter::default()
            },
            keys: Default::default(),
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
        let tree = SectionTree::build(&pages);
        let titles: Vec<&str> = tree
            .reading_order()
            .iter()
            .map(|id| pages[id.0].front.title.as_str())
            .collect();
        assert_eq!(titles, ["Start", "Policy", "Först", "Zebra", "Öppenhet", "Bilaga"]);
        assert_eq!(tree.previous(PageId(5)), Some(PageId(2)));
        assert_eq!(tree.next(PageId(4)), Some(PageId(3)));
        assert_eq!(tree.ancestors(PageId(3)), vec![PageId(0), PageId(2)]);
        assert!(SectionTree::build(&[]).reading_order().is_empty());
    }
}
