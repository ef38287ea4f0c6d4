//! The layering of `src/` held by a test: every `crate::` path (in `use` and in code) and every
//! `super::` path is mapped from its file's layer to its target's layer, using the table under
//! "## Layers" in ARCHITECTURE.md. A module may use modules of lower layers, and modules of its
//! own layer as long as no circle forms. Test code (`#[cfg(test)]` items and test-only files) is
//! left out: a test may build its fixtures with anything.
//!
//! Reads files only; no dependency on the library, so it runs even when the library does not
//! build.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[path = "layering/reader.rs"]
mod reader;
#[path = "layering/statics.rs"]
mod statics;
use reader::{blank_comments_and_strings, blank_test_items, test_module_declarations, uses};

/// A module path from the crate root, e.g. `["render", "context"]`; the root is `[]`.
type ModPath = Vec<String>;

/// One layer of the table: its number (lowest first), its name and its modules.
struct Layer {
    number: usize,
    name: String,
    modules: Vec<ModPath>,
}

/// The table under "## Layers" in ARCHITECTURE.md: rows `| N name | `a`, `b::c` |`.
fn layer_table() -> Vec<Layer> {
    let text = std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let start = text
        .find("\n## Layers")
        .expect("ARCHITECTURE.md has a \"## Layers\" section");
    let section = &text[start + 1..];
    let section = &section[..section[3..].find("\n## ").map_or(section.len(), |e| e + 3)];
    let mut layers = Vec::new();
    for line in section.lines().filter(|l| l.starts_with('|')) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let Some((number, name)) = cells[0].split_once(' ') else {
            continue;
        };
        let Ok(number) = number.parse::<usize>() else {
            continue;
        };
        let modules = cells[1]
            .split(',')
            .map(|m| m.trim().trim_matches('`'))
            .filter(|m| !m.is_empty())
            .map(|m| m.split("::").map(String::from).collect())
            .collect();
        layers.push(Layer {
            number,
            name: name.to_string(),
            modules,
        });
    }
    assert!(layers.len() >= 5, "the layer table in ARCHITECTURE.md has too few rows");
    layers
}

/// Modules that must reach these only through the pipeline (see ARCHITECTURE.md).
const THROUGH_THE_PIPELINE: &[(&str, &[&str])] = &[
    ("serve", &["render", "search", "validate", "compare"]),
    ("editor", &["render", "search", "validate", "compare"]),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One source file of the library.
struct SourceFile {
    /// Path from the package root, for messages.
    shown: String,
    module: ModPath,
    /// The text with comments and string literals blanked (lines kept).
    code: String,
}

/// Every library file under `src/` (the binary's `main.rs` and `cli.rs` are the command line,
/// the top layer, and use the library only through `handbok::`), with test-only files left out.
fn library_files() -> Vec<SourceFile> {
    let src = root().join("src");
    let mut paths = Vec::new();
    collect(&src, &mut paths);
    paths.sort();
    let mut files = Vec::new();
    for path in paths {
        let rel = path.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        if rel == "main.rs" || rel == "cli.rs" {
            continue;
        }
        let mut module: ModPath = rel.trim_end_matches(".rs").split('/').map(String::from).collect();
        if module.last().is_some_and(|m| m == "mod") || rel == "lib.rs" {
            module.pop();
        }
        let text = std::fs::read_to_string(&path).unwrap();
        files.push(SourceFile {
            shown: format!("src/{rel}"),
            module,
            code: blank_comments_and_strings(&text),
        });
    }
    // Files that a parent declares as `#[cfg(test)] mod name;` are test code.
    let mut test_modules: Vec<ModPath> = Vec::new();
    for file in &files {
        for name in test_module_declarations(&file.code) {
            let mut m = file.module.clone();
            m.push(name);
            test_modules.push(m);
        }
    }
    files.retain(|f| !test_modules.iter().any(|t| f.module.starts_with(t)));
    for file in &mut files {
        file.code = blank_test_items(&file.code);
    }
    files
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module of the file a path leads to: its longest prefix that is a file's module.
fn resolve(target: &ModPath, modules: &BTreeSet<ModPath>) -> ModPath {
    (0..=target.len())
        .rev()
        .map(|n| target[..n].to_vec())
        .find(|m| modules.contains(m))
        .unwrap_or_default()
}

fn layer_of<'a>(module: &ModPath, layers: &'a [Layer]) -> Option<&'a Layer> {
    let name = if module.is_empty() {
        vec!["lib".to_string()]
    } else {
        module.clone()
    };
    layers
        .iter()
        .flat_map(|l| l.modules.iter().map(move |m| (l, m)))
        .filter(|(_, m)| name.starts_with(m))
        .max_by_key(|(_, m)| m.len())
        .map(|(l, _)| l)
}

fn shown(module: &ModPath) -> String {
    if module.is_empty() {
        "lib".into()
    } else {
        module.join("::")
    }
}

/// Circles in a graph: every strongly connected set of more than one node (Tarjan).
fn circles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<String, usize>,
        low: BTreeMap<String, usize>,
        stack: Vec<String>,
        on_stack: BTreeSet<String>,
        found: Vec<Vec<String>>,
    }
    fn visit(w: &mut Walk<'_>, v: &str) {
        let n = w.index.len();
        w.index.insert(v.to_string(), n);
        w.low.insert(v.to_string(), n);
        w.stack.push(v.to_string());
        w.on_stack.insert(v.to_string());
        for u in w.edges.get(v).into_iter().flatten() {
            if !w.index.contains_key(u) {
                visit(w, u);
                let low = w.low[v].min(w.low[u]);
                w.low.insert(v.to_string(), low);
            } else if w.on_stack.contains(u) {
                let low = w.low[v].min(w.index[u]);
                w.low.insert(v.to_string(), low);
            }
        }
        if w.low[v] == w.index[v] {
            let mut set = Vec::new();
            loop {
                let u = w.stack.pop().unwrap();
                w.on_stack.remove(&u);
                let done = u == v;
                set.push(u);
                if done {
                    break;
                }
            }
            if set.len() > 1 {
                set.sort();
                w.found.push(set);
            }
        }
    }
    let mut w = Walk {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        found: Vec::new(),
    };
    for v in edges.keys() {
        if !w.index.contains_key(v) {
            visit(&mut w, v);
        }
    }
    w.found
}

#[test]
fn imports_follow_the_layer_table_without_circles() {
    let layers = layer_table();
    let files = library_files();
    let modules: BTreeSet<ModPath> = files.iter().map(|f| f.module.clone()).collect();
    let top_modules: BTreeSet<String> = modules.iter().filter(|m| m.len() == 1).map(|m| m[0].clone()).collect();
    let mut problems = Vec::new();
    // Between top-level modules, and between the files of one top-level module (a file using
    // its own parent's items, `super::X`, is not an edge: the parent declares the child).
    let mut between_modules: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut within_modules: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let Some(from_layer) = layer_of(&file.module, &layers) else {
            problems.push(format!(
                "{}: module `{}` is in no row of the layer table in ARCHITECTURE.md: add it to the layer it belongs to",
                file.shown,
                shown(&file.module)
            ));
            continue;
        };
        for u in uses(file, &top_modules) {
            let target = resolve(&u.target, &modules);
            if target == file.module || file.module.starts_with(&target) {
                continue;
            }
            let Some(to_layer) = layer_of(&target, &layers) else {
                continue;
            };
            if to_layer.number > from_layer.number {
                problems.push(format!(
                    "{}:{}: `{}` uses `{}`: layer {} ({}) may not use layer {} ({}) above it",
                    file.shown,
                    u.line,
                    u.text,
                    shown(&target),
                    from_layer.number,
                    from_layer.name,
                    to_layer.number,
                    to_layer.name
                ));
            }
            let (from_top, to_top) = (file.module.first(), target.first());
            if let Some((face, stages)) = THROUGH_THE_PIPELINE
                .iter()
                .find(|(face, _)| from_top.is_some_and(|m| m == face))
            {
                if to_top.is_some_and(|t| stages.contains(&t.as_str())) {
                    problems.push(format!(
                        "{}:{}: `{}`: `{face}` asks the pipeline (`pipeline::Session::run`) and never uses `{}` itself",
                        file.shown,
                        u.line,
                        u.text,
                        shown(&target)
                    ));
                }
            }
            if from_top != to_top {
                between_modules
                    .entry(shown(&file.module[..1.min(file.module.len())].to_vec()))
                    .or_default()
                    .insert(shown(&target[..1].to_vec()));
            } else {
                within_modules
                    .entry(shown(&file.module))
                    .or_default()
                    .insert(shown(&target));
            }
        }
    }
    problems.dedup();
    for set in circles(&between_modules).into_iter().chain(circles(&within_modules)) {
        problems.push(format!(
            "modules import each other in a circle: {} (one of them must not use the others; move what they share below them)",
            set.join(" ↔ ")
        ));
    }
    assert!(
        problems.is_empty(),
        "{} import(s) against the layers in ARCHITECTURE.md:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn the_reader_finds_paths_in_use_trees_and_code() {
    let file = SourceFile {
        shown: "src/render/history.rs".into(),
        module: vec!["render".into(), "history".into()],
        code: blank_comments_and_strings(
            "use crate::{a::{b, c as d}, e};\n// crate::f\nlet x = \"crate::g\";\nuse super::h::*;\nfn f() { crate::i::j(); }\n",
        ),
    };
    let found: Vec<(usize, String)> = uses(&file, &BTreeSet::new())
        .into_iter()
        .map(|u| (u.line, u.target.join("::")))
        .collect();
    assert_eq!(
        found,
        vec![
            (1, "a::b".into()),
            (1, "a::c".into()),
            (1, "e".into()),
            (4, "render::h".into()),
            (5, "i::j".into())
        ]
    );
}

#[test]
fn a_circle_is_found() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    edges.entry("a".into()).or_default().insert("b".into());
    edges.entry("b".into()).or_default().insert("c".into());
    edges.entry("c".into()).or_default().insert("a".into());
    edges.entry("c".into()).or_default().insert("d".into());
    assert_eq!(circles(&edges), vec![vec!["a".to_string(), "b".into(), "c".into()]]);
}
