//! No state between runs outside a value the caller owns: a `static` holding a lock, a cell,
//! a lazily set value or an atomic, and any `static mut`, in `src/` (test code left out) fails
//! this test unless it is on [`ALLOWED`] with its reason. Run state lives in a value its
//! caller owns (`incremental::Session`, `ContentFolder`, `serve`'s `Shared`), so two runs in
//! one process (two servers in the tests, an embedder building twice) never see each other.

use super::{blank_comments_and_strings, library_files, SourceFile};

/// Types whose `static` would carry state from one run into the next.
const HOLDS_STATE: &[&str] = &[
    "Mutex", "RwLock", "OnceLock", "OnceCell", "LazyLock", "LazyCell", "RefCell", "Cell", "Atomic",
];

/// Statics that may hold state, each with the reason: (file, name, reason).
const ALLOWED: &[(&str, &str, &str)] = &[(
    "src/hyphenate.rs",
    "HYPHENATED",
    "a bounded per-thread memo of a pure function (the hyphenation patterns): a remembered \
     answer is the answer, whichever run asks",
)];

/// One `static` item: its line, its name and whether it holds state (and why).
#[derive(Debug, PartialEq)]
struct Static {
    line: usize,
    name: String,
    holds: Option<String>,
}

/// Every `static` item in `code` (comments and literals already blanked; `'static` is a
/// lifetime, not an item).
fn statics(code: &str) -> Vec<Static> {
    let b = code.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = code[from..].find("static").map(|i| from + i) {
        from = at + "static".len();
        let before = at.checked_sub(1).map(|i| b[i]);
        if before.is_some_and(|c| ident(c) || c == b'\'') || b.get(from).is_some_and(|&c| ident(c)) {
            continue;
        }
        let decl = &code[from..code[from..].find(';').map_or(code.len(), |e| from + e)];
        let mut words = decl
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty());
        let mut name = words.next().unwrap_or_default().to_string();
        let mutable = name == "mut";
        if mutable || name == "ref" {
            name = words.next().unwrap_or_default().to_string();
        }
        let holds = if mutable {
            Some("static mut".to_string())
        } else {
            decl.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .find(|w| HOLDS_STATE.iter().any(|t| w.starts_with(t)))
                .map(str::to_string)
        };
        let line = code[..at].matches('\n').count() + 1;
        found.push(Static { line, name, holds });
    }
    found
}

#[test]
fn no_static_state_between_runs() {
    let mut files = library_files();
    // The binary's files too: `main.rs` and `cli.rs` are run state's first owner.
    for rel in ["main.rs", "cli.rs"] {
        let text = std::fs::read_to_string(super::root().join("src").join(rel)).unwrap();
        files.push(SourceFile {
            shown: format!("src/{rel}"),
            module: Vec::new(),
            code: blank_comments_and_strings(&text),
        });
    }
    let mut problems = Vec::new();
    let mut used = Vec::new();
    for file in &files {
        for s in statics(&file.code) {
            let Some(holds) = s.holds else { continue };
            if ALLOWED.iter().any(|(f, n, _)| *f == file.shown && *n == s.name) {
                used.push((file.shown.clone(), s.name));
                continue;
            }
            problems.push(format!(
                "{}:{}: `static {}` holds state ({holds}) between runs: make it a field of a value \
                 the caller owns (a session, the content folder, the server's state), or add it \
                 to ALLOWED in tests/layering/statics.rs with the reason it may stay",
                file.shown, s.line, s.name
            ));
        }
    }
    for (file, name, _) in ALLOWED {
        if !used.iter().any(|(f, n)| f == file && n == name) {
            problems.push(format!(
                "{file}: `{name}` is allowed but no longer there: take it off ALLOWED"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_static_holding_state_is_found_and_a_lifetime_is_not() {
    let code = blank_comments_and_strings(
        "fn f(x: &'static str) {}\n\
         static NAMES: &[&str] = &[\"Mutex\"];\n\
         pub(crate) static FAULTS: Mutex<Vec<u8>> = Mutex::new(Vec::new());\n\
         static mut COUNT: u32 = 0;\n\
         thread_local! { static SEEN: RefCell<u8> = RefCell::new(0); }\n\
         static NEXT: std::sync::atomic::AtomicU64 = AtomicU64::new(0);\n",
    );
    let found: Vec<(usize, String, Option<String>)> =
        statics(&code).into_iter().map(|s| (s.line, s.name, s.holds)).collect();
    assert_eq!(
        found,
        vec![
            (2, "NAMES".into(), None),
            (3, "FAULTS".into(), Some("Mutex".into())),
            (4, "COUNT".into(), Some("static mut".into())),
            (5, "SEEN".into(), Some("RefCell".into())),
            (6, "NEXT".into(), Some("AtomicU64".into())),
        ]
    );
}
