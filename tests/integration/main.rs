//! The integration test binary: builds small single-feature fixture sites (tests/fixtures/)
//! and the shipped handbook with the real `handbok` binary, then checks the output by parsing
//! it. See tests/README.md for how to add a test.

mod a11y;
mod a11y_english;
mod catalogue;
mod commonmark;
mod diagnostics;
mod editor;
mod editor_frontmatter;
mod editor_import;
mod editor_journal;
mod editor_safety;
mod editor_writes;
mod engine;
mod forms;
mod forms_pages;
mod history;
mod history_truth;
mod hostile;
mod hostile_sizes;
mod import;
mod incremental;
mod js_tables;
mod markdown;
mod navigation;
mod properties;
mod publications;
mod publish;
mod publish_editor;
mod search;
mod search_large;
mod serve;
mod serve_index;
mod session;
mod shipped;
mod support;
