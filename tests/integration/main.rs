//! The integration test binary: builds small single-feature fixture sites (tests/fixtures/)
//! and the shipped handbook with the real `handbok` binary, then checks the output by parsing
//! it. See tests/README.md for how to add a test.

mod a11y;
mod commonmark;
mod diagnostics;
mod editor;
mod editor_frontmatter;
mod editor_journal;
mod editor_safety;
mod engine;
mod forms;
mod history;
mod history_truth;
mod hostile;
mod import;
mod incremental;
mod markdown;
mod navigation;
mod properties;
mod publications;
mod publish;
mod search;
mod serve;
mod session;
mod shipped;
mod support;
