//! Reading Rust source for the layering test: comments and literals blanked (lines kept),
//! test items left out, and every `crate::`/`super::` path found and expanded from use-trees.

use std::collections::BTreeSet;

use super::{ModPath, SourceFile};

/// Comments, string and character literals replaced by spaces, newlines kept, so byte offsets
/// still give the right line.
pub(crate) fn blank_comments_and_strings(text: &str) -> String {
    let b = text.as_bytes();
    let mut out = b.to_vec();
    let blank = |out: &mut Vec<u8>, from: usize, to: usize| {
        for c in &mut out[from..to] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    };
    let mut i = 0;
    while i < b.len() {
        if b[i..].starts_with(b"//") {
            let end = b[i..].iter().position(|&c| c == b'\n').map_or(b.len(), |e| i + e);
            blank(&mut out, i, end);
            i = end;
        } else if b[i..].starts_with(b"/*") {
            let mut depth = 0;
            let mut j = i;
            while j < b.len() {
                if b[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if b[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            blank(&mut out, i, j);
            i = j;
        } else if b[i] == b'r' && (b.get(i + 1) == Some(&b'"') || b.get(i + 1) == Some(&b'#')) && !ident_before(b, i) {
            let hashes = b[i + 1..].iter().take_while(|&&c| c == b'#').count();
            if b.get(i + 1 + hashes) != Some(&b'"') {
                i += 1;
                continue;
            }
            let close: Vec<u8> = std::iter::once(b'"').chain(std::iter::repeat_n(b'#', hashes)).collect();
            let body = i + 2 + hashes;
            let end = b[body..]
                .windows(close.len())
                .position(|w| w == close.as_slice())
                .map_or(b.len(), |e| body + e + close.len());
            blank(&mut out, i, end);
            i = end;
        } else if b[i] == b'"' {
            let mut j = i + 1;
            while j < b.len() && b[j] != b'"' {
                j += if b[j] == b'\\' { 2 } else { 1 };
            }
            blank(&mut out, i, (j + 1).min(b.len()));
            i = j + 1;
        } else if b[i] == b'\'' {
            // A character literal ('a', '\n', '\u{..}'), not a lifetime ('a without a closing quote).
            let end = if b.get(i + 1) == Some(&b'\\') {
                b[i + 2..].iter().position(|&c| c == b'\'').map(|e| i + 2 + e + 1)
            } else {
                let ch_len = text[i + 1..].chars().next().map_or(1, char::len_utf8);
                (b.get(i + 1 + ch_len) == Some(&b'\'')).then_some(i + 2 + ch_len)
            };
            match end {
                Some(end) => {
                    blank(&mut out, i, end);
                    i = end;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

fn ident_before(b: &[u8], i: usize) -> bool {
    i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')
}

/// Names of `#[cfg(test)] mod name;` declarations.
pub(crate) fn test_module_declarations(code: &str) -> Vec<String> {
    let mut names = Vec::new();
    for (at, _) in code.match_indices("#[cfg(test)]") {
        let rest = code[at + "#[cfg(test)]".len()..].trim_start();
        let rest = rest.strip_prefix("pub(crate) ").unwrap_or(rest);
        if let Some(rest) = rest.strip_prefix("mod ") {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if rest[name.len()..].trim_start().starts_with(';') {
                names.push(name);
            }
        }
    }
    names
}

/// Each `#[cfg(test)]` item (up to its `;` or its balanced braces) blanked.
pub(crate) fn blank_test_items(code: &str) -> String {
    let mut out = code.as_bytes().to_vec();
    for (at, _) in code.match_indices("#[cfg(test)]") {
        let b = code.as_bytes();
        let mut j = at;
        let mut depth = 0usize;
        while j < b.len() {
            match b[j] {
                b';' if depth == 0 => break,
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                }
                _ => {}
            }
            j += 1;
        }
        for c in &mut out[at..(j + 1).min(b.len())] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
    }
    String::from_utf8(out).unwrap_or_default()
}

/// A path used in code: where it starts and its segments (`crate::a::{b, c}` gives two).
pub(crate) struct Use {
    pub line: usize,
    pub text: String,
    pub target: ModPath,
}

/// Every `crate::` and `super::` path in `file`, expanded from use-trees, made absolute.
/// In the crate root, a path that starts with a module the root declares counts as well.
pub(crate) fn uses(file: &SourceFile, top_modules: &BTreeSet<String>) -> Vec<Use> {
    let code = &file.code;
    let b = code.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let at_word = !ident_before(b, i) && (i == 0 || b[i - 1] != b':');
        let start = if at_word && code[i..].starts_with("crate::") {
            Some((Vec::new(), i + "crate::".len()))
        } else if at_word && code[i..].starts_with("super::") {
            let mut base = file.module.clone();
            let mut j = i;
            while code[j..].starts_with("super::") {
                base.pop();
                j += "super::".len();
            }
            Some((base, j))
        } else if at_word && file.module.is_empty() {
            let word: String = code[i..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            (top_modules.contains(&word) && code[i + word.len()..].starts_with("::")).then(|| (Vec::new(), i))
        } else {
            None
        };
        let Some((base, from)) = start else {
            i += 1;
            continue;
        };
        let line = code[..i].matches('\n').count() + 1;
        let mut paths = Vec::new();
        let end = use_tree(code, from, base, &mut paths);
        for path in paths {
            found.push(Use {
                line,
                text: code[i..end].split_whitespace().collect::<Vec<_>>().join(" "),
                target: path,
            });
        }
        i = end.max(i + 1);
    }
    found
}

/// Parse a use-tree at `at` (after `prefix::`), pushing every full path; returns its end.
fn use_tree(code: &str, mut at: usize, prefix: ModPath, out: &mut Vec<ModPath>) -> usize {
    let b = code.as_bytes();
    let mut path = prefix;
    loop {
        while at < b.len() && b[at].is_ascii_whitespace() {
            at += 1;
        }
        if at < b.len() && b[at] == b'{' {
            at += 1;
            loop {
                at = use_tree(code, at, path.clone(), out);
                while at < b.len() && (b[at].is_ascii_whitespace() || b[at] == b',') {
                    at += 1;
                }
                if at >= b.len() || b[at] == b'}' {
                    return at + 1;
                }
            }
        }
        let word: String = code[at..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        if word.is_empty() {
            // `*` or the end of a group.
            if at < b.len() && b[at] == b'*' {
                at += 1;
            }
            out.push(path);
            return at;
        }
        at += word.len();
        if word != "self" {
            path.push(word);
        }
        if code[at..].starts_with("::") {
            at += 2;
            continue;
        }
        out.push(path);
        // Skip ` as name`.
        let rest = code[at..].trim_start();
        if let Some(alias) = rest.strip_prefix("as ") {
            let skipped = code.len() - alias.len();
            let name_len = alias
                .trim_start()
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .count();
            return skipped + (alias.len() - alias.trim_start().len()) + name_len;
        }
        return at;
    }
}
