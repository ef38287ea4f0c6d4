//! The browser's folding and stop-word tables (`FOLD` and `STOP` in
//! `themes/default/js/search-text.js`) are generated from the Rust source (`fold_char` in
//! src/text.rs, `STOP_WORDS` in src/search/words.rs), so the query a reader types is folded and
//! filtered exactly as the index was. The generated block is committed; this test regenerates
//! it and fails when the two differ. Refresh it with
//! `HANDBOK_BLESS=1 cargo test --test integration js_tables`.

use std::collections::BTreeMap;
use std::path::Path;

use handbok::search::STOP_WORDS;
use handbok::text::fold_char;

const SCRIPT: &str = "themes/default/js/search-text.js";
const BEGIN: &str = "  /* BEGIN generated tables:";
const END: &str = "  /* END generated tables */\n";

/// What the script's `fold` does with a character before its table: lowercase when the lower
/// case is one character (JavaScript's `toLowerCase`, the same Unicode mapping as Rust's).
fn js_lower(c: char) -> char {
    let mut lower = c.to_lowercase();
    match (lower.next(), lower.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// The JavaScript of the generated block, between `BEGIN` and `END` inclusive.
fn generated() -> String {
    // Lowercased character → its folded form, for every character of the Basic Multilingual
    // Plane the script handles one UTF-16 unit at a time, where folding does more than
    // lowercasing.
    let mut fold: BTreeMap<char, char> = BTreeMap::new();
    for c in (0x80u32..=0xFFFF).filter_map(char::from_u32) {
        let (lower, folded) = (js_lower(c), fold_char(c));
        if folded != lower {
            let before = fold.insert(lower, folded);
            assert!(
                before.is_none_or(|b| b == folded),
                "fold_char folds the lower case {lower:?} two ways; the JavaScript table cannot say that"
            );
        }
    }
    for c in (0u32..0x80).filter_map(char::from_u32) {
        assert_eq!(fold_char(c), js_lower(c), "ASCII is only lowercased");
    }
    let entries: Vec<String> = fold.iter().map(|(l, f)| format!("'{l}': '{f}'")).collect();
    let mut out = format!(
        "{BEGIN} `fold_char` in src/text.rs and STOP_WORDS in src/search/words.rs,\n   \
         * written by tests/integration/js_tables.rs. Refresh with\n   \
         * `HANDBOK_BLESS=1 cargo test --test integration js_tables`. */\n  var FOLD = {{\n"
    );
    for (i, line) in entries.chunks(8).enumerate() {
        let comma = if (i + 1) * 8 < entries.len() { "," } else { "" };
        out.push_str(&format!("    {}{comma}\n", line.join(", ")));
    }
    out.push_str("  };\n  var STOP = (");
    let mut lines = vec![String::new()];
    for w in STOP_WORDS {
        if lines.last().unwrap().len() + w.len() > 90 {
            lines.push(String::new());
        }
        lines.last_mut().unwrap().push_str(w);
        lines.last_mut().unwrap().push(' ');
    }
    let n = lines.len();
    let quoted: Vec<String> = lines
        .into_iter()
        .enumerate()
        .map(|(i, l)| format!("'{}'", if i + 1 == n { l.trim_end() } else { &l }))
        .collect();
    out.push_str(&quoted.join(" +\n    "));
    out.push_str(").split(' ');\n");
    out.push_str(END);
    out
}

#[test]
fn the_browser_folds_and_drops_stop_words_exactly_as_the_index_does() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(SCRIPT);
    let script = std::fs::read_to_string(&path).unwrap();
    let start = script
        .find(BEGIN)
        .unwrap_or_else(|| panic!("{SCRIPT} has no `{BEGIN}` block"));
    let end = script[start..]
        .find(END)
        .map(|e| start + e + END.len())
        .unwrap_or_else(|| panic!("{SCRIPT} has no `{END}` after its generated block"));
    let want = generated();
    if script[start..end] == want {
        return;
    }
    if std::env::var_os("HANDBOK_BLESS").is_some() {
        let fresh = format!("{}{want}{}", &script[..start], &script[end..]);
        std::fs::write(&path, fresh).unwrap();
        return;
    }
    panic!(
        "{SCRIPT}'s FOLD/STOP tables differ from src/text.rs and src/search/words.rs.\n\
         Refresh them with `HANDBOK_BLESS=1 cargo test --test integration js_tables`.\n\
         --- committed\n{}\n--- generated\n{want}",
        &script[start..end]
    );
}
