//! The synonyms file HR maintains: `synonymer.yml` in the content folder. Each line names a word
//! and the words or phrases readers may type for it; together they are one group, and a search
//! for any of them also finds the others:
//!
//! ```yaml
//! likabehandling: [lika rättigheter, diskriminering]
//! semester: semesterdagar, ledighet
//! ```
//!
//! A list may be written in brackets, as a YAML list, or as text with commas. Problems are
//! reported with the file and line (positions from [`crate::yaml::parse_tree`]): a file that is
//! not such a list is an error; a phrase that cannot be searched for (only very common words) and
//! a word in two groups (the groups are joined) are warnings.

use std::collections::HashMap;
use std::path::Path;

use crate::diag::{Diagnostic, Message};
use crate::words::tokenise;
use crate::yaml::{self, Node, Value};

/// The file name of the synonyms inside the content folder.
pub const SYNONYMS_FILE: &str = "synonymer.yml";

const EXAMPLE: &str = "likabehandling: [lika rättigheter, diskriminering]";

/// Groups of words and phrases that mean the same to a reader.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Synonyms {
    /// Each group's phrases as written (the word first, then its synonyms), each with at least
    /// one word that can be searched for, and at least two phrases per group.
    pub groups: Vec<Vec<String>>,
}

/// A phrase read from the file, with where it was written.
struct Phrase {
    text: String,
    words: Vec<String>,
    line: usize,
    column: usize,
}

impl Synonyms {
    /// Read the synonyms file's text; `path` names it in diagnostics. Errors leave the groups
    /// that could be read.
    pub fn parse(text: &str, path: &Path) -> (Synonyms, Vec<Diagnostic>) {
        let mut problems = Vec::new();
        let root = match yaml::parse_tree(text) {
            Ok(root) => root,
            Err(yaml::YamlError {
                line,
                column,
                limit: Some(limit),
                ..
            }) => {
                problems.push(
                    Diagnostic::error(path, line, column, limit.message)
                        .with_source(text)
                        .with_hint(limit.hint),
                );
                return (Synonyms::default(), problems);
            }
            Err(err) => {
                if let Some(line) = unclosed_bracket(text, err.line) {
                    problems.push(
                        Diagnostic::error(path, line, 1, Message::new("synonyms_unclosed_list"))
                            .with_source(text)
                            .with_hint(Message::new("synonyms_unclosed_list_hint").arg("example", EXAMPLE)),
                    );
                    return (Synonyms::default(), problems);
                }
                problems.push(
                    Diagnostic::error(
                        path,
                        err.line,
                        err.column,
                        Message::new("synonyms_invalid").arg("reason", &err.message),
                    )
                    .with_source(text)
                    .with_hint(Message::new("synonyms_invalid_hint").arg("example", EXAMPLE)),
                );
                return (Synonyms::default(), problems);
            }
        };
        let entries = match &root.value {
            Value::Map(entries) => entries.as_slice(),
            Value::Null => &[],
            _ => {
                problems.push(
                    Diagnostic::error(
                        path,
                        root.pos.line,
                        root.pos.column,
                        Message::new("synonyms_not_a_list"),
                    )
                    .with_source(text)
                    .with_hint(Message::new("synonyms_example_hint").arg("example", EXAMPLE)),
                );
                return (Synonyms::default(), problems);
            }
        };
        let mut report = |d: Diagnostic| problems.push(d.with_source(text));
        let mut groups: Vec<Vec<Phrase>> = Vec::new();
        for (key, value) in entries {
            let Some(word) = key.as_text() else {
                report(
                    Diagnostic::error(
                        path,
                        key.pos.line,
                        key.pos.column,
                        Message::new("synonyms_word_not_text"),
                    )
                    .with_hint(Message::new("synonyms_example_hint").arg("example", EXAMPLE)),
                );
                continue;
            };
            let mut group = vec![phrase(word.clone(), key)];
            match &value.value {
                Value::List(items) => {
                    for item in items {
                        match item.as_text() {
                            Some(t) => group.push(phrase(t, item)),
                            None => report(nested(path, item, &word)),
                        }
                    }
                }
                Value::Null => {
                    report(
                        Diagnostic::error(
                            path,
                            key.pos.line,
                            key.pos.column,
                            Message::new("synonyms_none").arg("word", &word),
                        )
                        .with_hint(Message::new("synonyms_none_hint").arg("word", &word)),
                    );
                    continue;
                }
                Value::Map(_) => {
                    report(nested(path, value, &word));
                    continue;
                }
                _ => {
                    let listed = value.as_text().unwrap_or_default();
                    group.extend(listed.split(',').map(|t| phrase(t.to_string(), value)));
                }
            }
            group.retain(|p| {
                if p.text.trim().is_empty() {
                    return false;
                }
                if p.words.is_empty() {
                    report(
                        Diagnostic::warning(
                            path,
                            p.line,
                            p.column,
                            Message::new("synonyms_unsearchable").arg("phrase", p.text.trim()),
                        )
                        .with_hint(Message::new("synonyms_unsearchable_hint")),
                    );
                    return false;
                }
                true
            });
            groups.push(group);
        }
        let groups = join_overlapping(groups, path, &mut report);
        let synonyms = Synonyms {
            groups: groups
                .into_iter()
                .filter(|g| g.len() >= 2)
                .map(|g| g.into_iter().map(|p| p.text.trim().to_string()).collect())
                .collect(),
        };
        (synonyms, problems)
    }

    /// Each group's phrases as normalised words (folded, without stop words), as the index
    /// stores them.
    pub fn normalised(&self) -> Vec<Vec<Vec<String>>> {
        self.groups
            .iter()
            .map(|g| g.iter().map(|p| tokenise(p)).collect())
            .collect()
    }
}

/// The first line up to `error_line` (1-based) with more `[` than `]` outside comments: the YAML
/// parser notices an unclosed list only lines later, where the next word's colon is.
fn unclosed_bracket(text: &str, error_line: usize) -> Option<usize> {
    text.lines()
        .take(error_line.max(1))
        .position(|line| {
            let line = line.split(" #").next().unwrap_or_default();
            !line.trim_start().starts_with('#') && line.matches('[').count() > line.matches(']').count()
        })
        .map(|i| i + 1)
}

fn phrase(text: String, node: &Node) -> Phrase {
    Phrase {
        words: tokenise(&text),
        text,
        line: node.pos.line,
        column: node.pos.column,
    }
}

fn nested(path: &Path, node: &Node, word: &str) -> Diagnostic {
    Diagnostic::error(
        path,
        node.pos.line,
        node.pos.column,
        Message::new("synonyms_nested").arg("word", word),
    )
    .with_hint(Message::new("synonyms_nested_hint").arg("example", EXAMPLE))
}

/// Groups that share a phrase become one group (a word has one set of synonyms), with a warning
/// where the phrase is written again; a phrase repeated within a group is kept once.
fn join_overlapping(groups: Vec<Vec<Phrase>>, path: &Path, report: &mut impl FnMut(Diagnostic)) -> Vec<Vec<Phrase>> {
    let mut joined: Vec<Vec<Phrase>> = Vec::new();
    // Normalised phrase → (group in `joined`, line it was first written on).
    let mut seen: HashMap<Vec<String>, (usize, usize)> = HashMap::new();
    // `merged_into[g]` is where group g went after joins.
    let mut merged_into: Vec<usize> = Vec::new();
    let find = |merged_into: &Vec<usize>, mut g: usize| {
        while merged_into[g] != g {
            g = merged_into[g];
        }
        g
    };
    for group in groups {
        let target = joined.len();
        joined.push(Vec::new());
        merged_into.push(target);
        for p in group {
            match seen.get(&p.words) {
                Some(&(other, line)) => {
                    let other = find(&merged_into, other);
                    let here = find(&merged_into, target);
                    if other != here {
                        report(
                            Diagnostic::warning(
                                path,
                                p.line,
                                p.column,
                                Message::new("synonyms_joined")
                                    .arg("phrase", p.text.trim())
                                    .arg("line", line),
                            )
                            .with_hint(Message::new("synonyms_joined_hint")),
                        );
                        let moved = std::mem::take(&mut joined[here]);
                        joined[other].extend(moved);
                        merged_into[here] = other;
                    }
                }
                None => {
                    let here = find(&merged_into, target);
                    seen.insert(p.words.clone(), (here, p.line));
                    joined[here].push(p);
                }
            }
        }
    }
    joined.retain(|g| !g.is_empty());
    joined
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Synonyms, Vec<String>) {
        let (s, d) = Synonyms::parse(text, Path::new("synonymer.yml"));
        let english = crate::theme::Theme::builtin("en").unwrap().strings;
        (s, d.iter().map(|d| d.headline(&english)).collect())
    }

    #[test]
    fn lists_in_brackets_as_yaml_lists_or_with_commas() {
        let (s, d) = parse(
            "# Synonymer\nlikabehandling: [lika rättigheter, diskriminering]\nsemester:\n  - ledighet\n  - ferie\nlön: ersättning, betalning\n",
        );
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            s.groups,
            [
                vec!["likabehandling", "lika rättigheter", "diskriminering"],
                vec!["semester", "ledighet", "ferie"],
                vec!["lön", "ersättning", "betalning"],
            ]
        );
        assert_eq!(
            s.normalised()[0],
            [
                vec!["likabehandling"],
                vec!["lika", "rattigheter"],
                vec!["diskriminering"]
            ]
        );
    }

    #[test]
    fn an_empty_file_has_no_synonyms() {
        assert_eq!(parse("# inga ännu\n"), (Synonyms::default(), vec![]));
        assert_eq!(parse(""), (Synonyms::default(), vec![]));
    }

    #[test]
    fn problems_name_the_line() {
        let (_, d) = parse("lön: [ersättning\n");
        assert_eq!(
            d,
            ["synonymer.yml:1:1: error: this list opens with `[` but is not closed with `]`"]
        );
        let (_, d) = parse("# [inte en lista\nlön: [ersättning, betalning\nsemester: [ledighet]\n");
        assert_eq!(
            d,
            ["synonymer.yml:2:1: error: this list opens with `[` but is not closed with `]`"]
        );
        let (_, d) = parse("lön: ersättning\n  semester: ledighet\n");
        assert_eq!(d.len(), 1);
        assert!(d[0].starts_with("synonymer.yml:2:"), "{d:?}");
        assert!(d[0].contains("invalid synonyms file"), "{d:?}");

        let (s, d) = parse("lön: ersättning\nsemester:\nchef: {a: b}\n");
        assert_eq!(s.groups, [vec!["lön", "ersättning"]]);
        assert_eq!(
            d,
            [
                "synonymer.yml:2:1: error: `semester` has no synonyms",
                "synonymer.yml:3:7: error: the synonyms of `chef` must be words or phrases, not a list or a mapping",
            ]
        );

        let (_, d) = parse("- lön\n- ersättning\n");
        assert_eq!(
            d,
            ["synonymer.yml:1:1: error: the synonyms file must list words, each followed by a colon and its synonyms"]
        );
    }

    #[test]
    fn unsearchable_phrases_are_left_out_with_a_warning() {
        let (s, d) = parse("lön: [och, ersättning]\nx: [att]\n");
        assert_eq!(s.groups, [vec!["lön", "ersättning"]]);
        assert_eq!(
            d,
            [
                "synonymer.yml:1:7: warning: `och` cannot be searched for, so it is left out",
                "synonymer.yml:2:1: warning: `x` cannot be searched for, so it is left out",
                "synonymer.yml:2:5: warning: `att` cannot be searched for, so it is left out",
            ]
        );
    }

    #[test]
    fn groups_sharing_a_word_are_joined() {
        let (s, d) = parse("ledighet: [semester]\ntjänstledighet: [Ledighet, tjänstledigt]\nlön: [lön, Lön]\n");
        assert_eq!(
            s.groups,
            [vec!["ledighet", "semester", "tjänstledighet", "tjänstledigt"]],
            "a group left with one phrase is no group"
        );
        assert_eq!(
            d,
            ["synonymer.yml:2:18: warning: `Ledighet` also has synonyms on line 1; the two lists are joined"]
        );
    }
}
