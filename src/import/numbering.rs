//! Word's list numbering (`word/numbering.xml`): whether a paragraph's `numId` and level make a
//! bulleted or a numbered list item, and the number it starts from.

use std::collections::HashMap;

use super::xml::Element;

#[derive(Debug, Clone)]
struct Level {
    format: String,
    start: u32,
}

/// The numbering definitions by `numId`.
#[derive(Debug, Default)]
pub(crate) struct Numbering {
    /// numId → its levels (0–8), overrides applied.
    nums: HashMap<String, Vec<Option<Level>>>,
}

/// A list item's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ListKind {
    Bullet,
    Ordered(u32),
}

impl Numbering {
    /// Read `numbering.xml` (none: no lists).
    pub(crate) fn parse(root: Option<&Element>) -> Numbering {
        let mut nums = HashMap::new();
        let Some(root) = root else {
            return Numbering { nums };
        };
        let mut abstracts: HashMap<&str, Vec<Option<Level>>> = HashMap::new();
        for a in root.elements().filter(|e| e.name == "w:abstractNum") {
            let Some(id) = a.attr("w:abstractNumId") else { continue };
            let mut levels = vec![None; 9];
            for l in a.elements().filter(|e| e.name == "w:lvl") {
                let Some(i) = l
                    .attr("w:ilvl")
                    .and_then(|v| v.parse::<usize>().ok())
                    .filter(|i| *i < 9)
                else {
                    continue;
                };
                levels[i] = Some(Level {
                    format: l.child_val("w:numFmt").unwrap_or("decimal").to_string(),
                    start: l.child_val("w:start").and_then(|v| v.parse().ok()).unwrap_or(1),
                });
            }
            abstracts.insert(id, levels);
        }
        for n in root.elements().filter(|e| e.name == "w:num") {
            let (Some(id), Some(abs)) = (n.attr("w:numId"), n.child_val("w:abstractNumId")) else {
                continue;
            };
            let mut levels = abstracts.get(abs).cloned().unwrap_or_else(|| vec![None; 9]);
            for o in n.elements().filter(|e| e.name == "w:lvlOverride") {
                let Some(i) = o
                    .attr("w:ilvl")
                    .and_then(|v| v.parse::<usize>().ok())
                    .filter(|i| *i < 9)
                else {
                    continue;
                };
                if let (Some(start), Some(Some(level))) = (
                    o.child_val("w:startOverride").and_then(|v| v.parse().ok()),
                    levels.get_mut(i),
                ) {
                    level.start = start;
                }
            }
            nums.insert(id.to_string(), levels);
        }
        Numbering { nums }
    }

    /// The kind of list item `numId`/`level` makes, or `None` when it is no list (`numId` 0,
    /// an unknown id, or a level numbered "none").
    pub(crate) fn kind(&self, num_id: &str, level: u8) -> Option<ListKind> {
        let level = self.nums.get(num_id)?.get(usize::from(level))?.as_ref()?;
        match level.format.as_str() {
            "none" => None,
            "bullet" => Some(ListKind::Bullet),
            _ => Some(ListKind::Ordered(level.start)),
        }
    }
}
