//! Two lists of text blocks compared: first block by block (with `similar`'s patience diff), then
//! a changed block against its most similar counterpart word by word, so an edited sentence
//! shows which words went and came rather than a whole paragraph out and in.

use serde::Serialize;
use similar::{Algorithm, ChangeTag, DiffOp};

use super::blocks::{Block, BlockKind};

/// A piece of a block's text and whether it is in both versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "text", rename_all = "snake_case")]
pub enum Part {
    /// In both versions.
    Same(String),
    /// Only in the new version.
    Added(String),
    /// Only in the old version.
    Removed(String),
}

/// How a block changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockChange {
    /// The same in both versions.
    Same,
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
    /// In both, with words changed.
    Changed,
}

/// A block of the comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DiffBlock {
    /// What kind of block (the new version's kind when both have it).
    pub kind: BlockKind,
    /// How it changed.
    pub change: BlockChange,
    /// Its text in pieces.
    pub parts: Vec<Part>,
}

/// Two blocks of one kind are paired, and compared word by word, from this similarity of
/// their words on.
const PAIR_SIMILARITY: f32 = 0.4;

/// Above this many old × new blocks in one changed stretch, blocks are paired in order
/// rather than by the best alignment.
const MAX_ALIGNMENT_CELLS: usize = 2_500;

/// Compare the blocks of two versions.
pub fn compare(old: &[Block], new: &[Block]) -> Vec<DiffBlock> {
    let mut out = Vec::new();
    for op in similar::capture_diff_slices(Algorithm::Patience, old, new) {
        match op {
            DiffOp::Equal { old_index, len, .. } => {
                out.extend(old[old_index..old_index + len].iter().map(same));
            }
            DiffOp::Delete { old_index, old_len, .. } => {
                out.extend(old[old_index..old_index + old_len].iter().map(removed))
            }
            DiffOp::Insert { new_index, new_len, .. } => {
                out.extend(new[new_index..new_index + new_len].iter().map(added))
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => align(
                &old[old_index..old_index + old_len],
                &new[new_index..new_index + new_len],
                &mut out,
            ),
        }
    }
    out
}

fn same(b: &Block) -> DiffBlock {
    DiffBlock {
        kind: b.kind,
        change: BlockChange::Same,
        parts: vec![Part::Same(b.text.clone())],
    }
}

fn added(b: &Block) -> DiffBlock {
    DiffBlock {
        kind: b.kind,
        change: BlockChange::Added,
        parts: vec![Part::Added(b.text.clone())],
    }
}

fn removed(b: &Block) -> DiffBlock {
    DiffBlock {
        kind: b.kind,
        change: BlockChange::Removed,
        parts: vec![Part::Removed(b.text.clone())],
    }
}

fn similarity(a: &Block, b: &Block) -> f32 {
    if a.kind != b.kind {
        return 0.0;
    }
    similar::TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .diff_words(&a.text, &b.text)
        .ratio()
}

/// Pair the blocks of a changed stretch so that the sum of the pairs' similarity is greatest,
/// in order; unpaired old blocks are removed and unpaired new ones added.
fn align(old: &[Block], new: &[Block], out: &mut Vec<DiffBlock>) {
    let pairs = if old.len() * new.len() <= MAX_ALIGNMENT_CELLS {
        best_pairs(old, new)
    } else {
        (0..old.len().min(new.len()))
            .filter(|&i| similarity(&old[i], &new[i]) >= PAIR_SIMILARITY)
            .map(|i| (i, i))
            .collect()
    };
    let (mut i, mut j) = (0, 0);
    for (pi, pj) in pairs.into_iter().chain([(old.len(), new.len())]) {
        out.extend(old[i..pi].iter().map(removed));
        out.extend(new[j..pj].iter().map(added));
        if pi < old.len() && pj < new.len() {
            out.push(DiffBlock {
                kind: new[pj].kind,
                change: BlockChange::Changed,
                parts: if new[pj].kind == BlockKind::Code {
                    line_parts(&old[pi].text, &new[pj].text)
                } else {
                    word_parts(&old[pi].text, &new[pj].text)
                },
            });
        }
        (i, j) = (pi + 1, pj + 1);
    }
}

/// The best order-keeping pairing (a weighted longest common subsequence).
fn best_pairs(old: &[Block], new: &[Block]) -> Vec<(usize, usize)> {
    let (n, m) = (old.len(), new.len());
    let sim: Vec<Vec<f32>> = old
        .iter()
        .map(|a| new.iter().map(|b| similarity(a, b)).collect())
        .collect();
    let mut score = vec![vec![0.0f32; m + 1]; n + 1];
    for i in 1..=n {
        for j in 1..=m {
            let s = sim[i - 1][j - 1];
            let paired = if s >= PAIR_SIMILARITY {
                score[i - 1][j - 1] + s
            } else {
                0.0
            };
            score[i][j] = score[i - 1][j].max(score[i][j - 1]).max(paired);
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 && j > 0 {
        let s = sim[i - 1][j - 1];
        if s >= PAIR_SIMILARITY && score[i][j] == score[i - 1][j - 1] + s {
            pairs.push((i - 1, j - 1));
            (i, j) = (i - 1, j - 1);
        } else if score[i][j] == score[i - 1][j] {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    pairs.reverse();
    pairs
}

/// Two versions of code compared line by line. Every part keeps its exact characters, so each
/// version reads back as it was (the unchanged and added parts give the new one); a removed last
/// line gets the line break it lacked, so the added line shows below it, not after it.
pub(super) fn line_parts(old: &str, new: &str) -> Vec<Part> {
    let diff = similar::TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .diff_lines(old, new);
    let mut parts: Vec<Part> = Vec::new();
    for change in diff.iter_all_changes() {
        let value = change.value();
        match (change.tag(), parts.last_mut()) {
            (ChangeTag::Equal, Some(Part::Same(text)))
            | (ChangeTag::Delete, Some(Part::Removed(text)))
            | (ChangeTag::Insert, Some(Part::Added(text))) => text.push_str(value),
            (ChangeTag::Equal, _) => parts.push(Part::Same(value.to_string())),
            (ChangeTag::Delete, _) => parts.push(Part::Removed(value.to_string())),
            (ChangeTag::Insert, last) => {
                if let Some(Part::Removed(text)) = last {
                    if !text.ends_with('\n') {
                        text.push('\n');
                    }
                }
                parts.push(Part::Added(value.to_string()))
            }
        }
    }
    parts
}

/// Two texts compared word by word. Changes separated only by a space are joined, and within
/// a run of changes the removed words come before the added ones, so a replaced phrase reads
/// "old words, new words" rather than alternating word by word.
pub fn word_parts(old: &str, new: &str) -> Vec<Part> {
    let diff = similar::TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .diff_words(old, new);
    let tokens: Vec<(ChangeTag, &str)> = diff.iter_all_changes().map(|c| (c.tag(), c.value())).collect();
    let mut parts: Vec<Part> = Vec::new();
    let (mut gone, mut came) = (String::new(), String::new());
    let flush = |parts: &mut Vec<Part>, gone: &mut String, came: &mut String| {
        // A space after the changed words belongs to the text around them, not to the change.
        let changed = if came.is_empty() { &*gone } else { &*came };
        let tail = changed[changed.trim_end().len()..].to_string();
        gone.truncate(gone.trim_end().len());
        came.truncate(came.trim_end().len());
        if !gone.is_empty() {
            parts.push(Part::Removed(std::mem::take(gone)));
        }
        if !came.is_empty() {
            if matches!(parts.last(), Some(Part::Removed(_))) {
                parts.push(Part::Same(" ".into()));
            }
            parts.push(Part::Added(std::mem::take(came)));
        }
        if !tail.is_empty() {
            parts.push(Part::Same(tail));
        }
    };
    for (k, &(tag, value)) in tokens.iter().enumerate() {
        match tag {
            ChangeTag::Delete => gone.push_str(value),
            ChangeTag::Insert => came.push_str(value),
            ChangeTag::Equal => {
                let in_run = !gone.is_empty() || !came.is_empty();
                let next_changes = tokens.get(k + 1).is_some_and(|(t, _)| *t != ChangeTag::Equal);
                if in_run && next_changes && value.trim().is_empty() {
                    if !gone.is_empty() {
                        gone.push_str(value);
                    }
                    if !came.is_empty() {
                        came.push_str(value);
                    }
                    continue;
                }
                flush(&mut parts, &mut gone, &mut came);
                match parts.last_mut() {
                    Some(Part::Same(text)) => text.push_str(value),
                    _ => parts.push(Part::Same(value.to_string())),
                }
            }
        }
    }
    flush(&mut parts, &mut gone, &mut came);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Block {
        Block {
            kind: BlockKind::Paragraph,
            text: text.into(),
        }
    }

    #[test]
    fn a_replaced_word_reads_removed_then_added() {
        assert_eq!(
            word_parts(
                "Lönesamtalet hålls en gång per år.",
                "Lönesamtalet hålls två gånger per år."
            ),
            vec![
                Part::Same("Lönesamtalet hålls ".into()),
                Part::Removed("en gång".into()),
                Part::Same(" ".into()),
                Part::Added("två gånger".into()),
                Part::Same(" per år.".into()),
            ]
        );
    }

    #[test]
    fn the_space_after_an_insertion_is_not_part_of_it() {
        assert_eq!(
            word_parts("under hösten", "under våren och hösten"),
            vec![
                Part::Same("under ".into()),
                Part::Added("våren och".into()),
                Part::Same(" hösten".into()),
            ]
        );
    }

    #[test]
    fn an_inserted_paragraph_is_added_and_an_edited_one_changed() {
        let old = [p("Första stycket."), p("Andra stycket handlar om lön."), p("Sista.")];
        let new = [
            p("Första stycket."),
            p("Ett nytt stycke om något helt annat."),
            p("Andra stycket handlar om lönen."),
            p("Sista."),
        ];
        let changes: Vec<BlockChange> = compare(&old, &new).iter().map(|b| b.change).collect();
        assert_eq!(
            changes,
            vec![
                BlockChange::Same,
                BlockChange::Added,
                BlockChange::Changed,
                BlockChange::Same
            ]
        );
    }

    #[test]
    fn a_removed_paragraph_is_removed() {
        let old = [p("Ett."), p("Två tre fyra."), p("Fem.")];
        let new = [p("Ett."), p("Fem.")];
        let out = compare(&old, &new);
        assert_eq!(out[1].change, BlockChange::Removed);
        assert_eq!(out[1].parts, vec![Part::Removed("Två tre fyra.".into())]);
    }
}
