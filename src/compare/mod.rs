//! "Vad har ändrats?": two versions of a page compared on their rendered text, not their
//! Markdown. Each version's text is run through the Markdown stage ([`crate::markdown::render`],
//! the same rendering as the page itself), read back as text blocks (`blocks`), and the two
//! lists are compared block by block and then word by word (`words`, with `similar`). The
//! title, the description (shown on the page as its lead) and the document information are
//! compared too, as the first blocks. A version handbok refuses to render is compared without
//! its raw HTML tags, and the comparison says so (`refused`). Long stretches of unchanged
//! blocks are folded, keeping one block around each change.

mod blocks;
mod refused;
mod words;

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

pub use blocks::{blocks, Block, BlockKind};
pub use refused::Refused;
pub use words::{compare, word_parts, BlockChange, DiffBlock, Part};

use crate::content::{frontmatter, FrontMatter, Page};
use crate::history::{History, Version};
use crate::markdown::{self, Source};
use crate::paths::output_path;
use crate::theme::{Strings, Theme};

/// The pages' history from Git and the comparisons of their versions.
#[derive(Debug, Clone, Default)]
pub struct SiteHistory {
    /// What the repository says.
    pub history: History,
    /// `comparisons[i]` compares `history.versions[i]` with the version before it.
    pub comparisons: Vec<Comparison>,
}

/// Unchanged blocks kept on each side of a change; longer unchanged stretches are folded.
pub const CONTEXT_BLOCKS: usize = 1;

/// A block of the comparison as shown: the block, after a count of unchanged blocks folded
/// away before it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shown {
    /// Unchanged blocks left out just before this one.
    pub folded_before: usize,
    /// The block.
    #[serde(flatten)]
    pub block: DiffBlock,
}

/// One version compared with the one before it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Comparison {
    /// The blocks to show.
    pub shown: Vec<Shown>,
    /// Unchanged blocks folded away after the last one shown.
    pub folded_after: usize,
    /// Blocks added, removed and changed.
    pub added: usize,
    /// Blocks only in the old version.
    pub removed: usize,
    /// Blocks with words changed.
    pub changed: usize,
    /// The previous version could not be shown as a page (its comparison leaves its raw HTML out).
    pub old_refused: Option<Refused>,
    /// This version could not be shown as a page.
    pub new_refused: Option<Refused>,
}

/// Compare every version the history lists, on every core; `result[i]` is `history.versions[i]`.
pub fn compare_versions(history: &History, root: &Path, theme: &Theme) -> Vec<Comparison> {
    history
        .versions
        .par_iter()
        .map(|v| compare_version(v, root, theme))
        .collect()
}

/// One version compared with the one before it, unchanged stretches folded.
fn compare_version(v: &Version, root: &Path, theme: &Theme) -> Comparison {
    compare_texts(&v.page, &v.old_text, &v.new_text, root, theme)
}

/// Two texts of one page compared as a version is (unchanged stretches folded): for the
/// editor's Publicera page, this version against the published one.
pub fn compare_texts(source: &str, old_text: &str, new_text: &str, root: &Path, theme: &Theme) -> Comparison {
    let (old, old_refused) = text_blocks(source, old_text, root, theme);
    let (new, new_refused) = text_blocks(source, new_text, root, theme);
    Comparison {
        old_refused,
        new_refused,
        ..fold(compare(&old, &new))
    }
}

/// [`compare_versions`], taking each comparison `previous` already made of the same two texts
/// (a rebuild after an edit compares only the versions the edit made).
pub fn compare_versions_reusing(
    history: &History,
    previous: &SiteHistory,
    root: &Path,
    theme: &Theme,
) -> Vec<Comparison> {
    let known: HashMap<(&str, &str), usize> = previous
        .history
        .versions
        .iter()
        .enumerate()
        .map(|(i, v)| ((v.page.as_str(), v.id.as_str()), i))
        .collect();
    history
        .versions
        .par_iter()
        .map(|v| {
            let same = known.get(&(v.page.as_str(), v.id.as_str())).filter(|&&i| {
                let old = &previous.history.versions[i];
                old.old_text == v.old_text && old.new_text == v.new_text
            });
            match same.and_then(|&i| previous.comparisons.get(i)) {
                Some(comparison) => comparison.clone(),
                None => compare_version(v, root, theme),
            }
        })
        .collect()
}

/// A version's text rendered as the page would be, as text blocks: title, description, document
/// information, body. When handbok refuses the text (raw HTML it does not allow, or another
/// error), the blocks are of the text with its raw HTML tags left out, and the refusal says why.
pub fn text_blocks(source: &str, text: &str, root: &Path, theme: &Theme) -> (Vec<Block>, Option<Refused>) {
    let path = root.join(source);
    let mut page = Page {
        source: source.to_string(),
        output: output_path(source),
        front: FrontMatter::default(),
        keys: Default::default(),
        body_start: 0,
        body_line: 1,
    };
    if let Some(split) = frontmatter::split(text) {
        page.body_start = text.len() - split.body.len();
        page.body_line = split.body_line;
        if let Ok((front, keys)) = frontmatter::parse(&split, &path, text) {
            (page.front, page.keys) = (front, keys);
        }
    }
    let render = |text: &str| {
        markdown::render(
            &Source {
                page: &page,
                text,
                path: &path,
            },
            theme,
        )
    };
    let mut rendered = render(text);
    let refused = refused::refusal(&rendered, text, page.body_start);
    if refused.is_some_and(|r| r.raw_html) {
        rendered = render(&refused::without_raw_html(text, page.body_start));
    }
    let mut out = head_blocks(&page.front, &theme.strings);
    out.extend(blocks(&rendered.rendered.html));
    (out, refused)
}

/// The title, the description and the document information as blocks.
fn head_blocks(front: &FrontMatter, strings: &Strings) -> Vec<Block> {
    let title = (!front.title.is_empty()).then(|| Block {
        kind: BlockKind::Title,
        text: front.title.clone(),
    });
    let lead = front
        .description
        .as_deref()
        .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|d| !d.is_empty())
        .map(|text| Block {
            kind: BlockKind::Lead,
            text,
        });
    let meta = front.document_info().into_iter().map(|(key, value)| Block {
        kind: BlockKind::Meta,
        text: format!("{}: {value}", strings.text(key)),
    });
    title.into_iter().chain(lead).chain(meta).collect()
}

/// Fold unchanged stretches, keeping [`CONTEXT_BLOCKS`] around each change, and count changes.
fn fold(diff: Vec<DiffBlock>) -> Comparison {
    let changed_at: Vec<usize> = (0..diff.len())
        .filter(|&i| diff[i].change != BlockChange::Same)
        .collect();
    let near_change = |i: usize| changed_at.iter().any(|&c| c.abs_diff(i) <= CONTEXT_BLOCKS);
    let mut out = Comparison::default();
    let mut folded = 0;
    for (i, block) in diff.into_iter().enumerate() {
        match block.change {
            BlockChange::Added => out.added += 1,
            BlockChange::Removed => out.removed += 1,
            BlockChange::Changed => out.changed += 1,
            BlockChange::Same if !near_change(i) && block.kind != BlockKind::Title => {
                folded += 1;
                continue;
            }
            BlockChange::Same => {}
        }
        out.shown.push(Shown {
            folded_before: std::mem::take(&mut folded),
            block,
        });
    }
    out.folded_after = folded;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rendered_text_is_compared_not_the_markdown() {
        let theme = Theme::builtin("sv").unwrap();
        let root = Path::new("content");
        let (old, _) = text_blocks(
            "a.md",
            "---\ntitle: A\nowner: HR\n---\nEtt *stycke*.\n\n## Rubrik\n\nMer.\n",
            root,
            &theme,
        );
        let (new, _) = text_blocks(
            "a.md",
            "---\ntitle: A\nowner: HR-avdelningen\n---\nEtt **stycke**.\n\n## Rubrik\n\nMer.\n",
            root,
            &theme,
        );
        let compared = fold(compare(&old, &new));
        // Emphasis changed in the Markdown only: the text is the same; the owner changed.
        assert_eq!((compared.added, compared.removed, compared.changed), (0, 0, 1));
        let changed = &compared
            .shown
            .iter()
            .find(|s| s.block.change == BlockChange::Changed)
            .unwrap()
            .block;
        assert_eq!(changed.kind, BlockKind::Meta);
        assert!(changed.parts.contains(&Part::Added("HR-avdelningen".into())));
    }

    #[test]
    fn long_unchanged_stretches_are_folded() {
        let p = |t: &str| Block {
            kind: BlockKind::Paragraph,
            text: t.into(),
        };
        let old: Vec<Block> = ["a", "b", "c", "d", "e", "f"].map(p).to_vec();
        let mut new = old.clone();
        new[3] = p("d ändrad");
        let compared = fold(compare(&old, &new));
        let shown: Vec<(usize, BlockChange)> = compared
            .shown
            .iter()
            .map(|s| (s.folded_before, s.block.change))
            .collect();
        assert_eq!(
            shown,
            vec![
                (2, BlockChange::Same),
                (0, BlockChange::Changed),
                (0, BlockChange::Same)
            ]
        );
        assert_eq!(compared.folded_after, 1);
    }
}
