//! Diagnostics: every problem the pipeline finds, with file, line, column, message and hint.
//!
//! Stages never print; they collect `Diagnostic` values and the caller prints them all at once,
//! so one run reports every problem instead of stopping at the first.
//!
//! Nothing here is worded: a diagnostic carries a [`Message`] (a key of the theme's string table
//! and the values of its placeholders), and the face that shows it (command line, editor) words
//! it through a [`Catalogue`] in the reader's language.

use std::path::{Path, PathBuf};

/// A message for a person: a key in the theme's `strings.yml` and the values of its `{name}`
/// placeholders. Worded by [`Message::words`] in the language of a [`Catalogue`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Message {
    /// The string table key.
    pub key: &'static str,
    /// Placeholder name → value.
    pub args: Vec<(&'static str, Arg)>,
}

/// The value of a placeholder: text as it is, or another message worded in the same language
/// (a reason that is itself a diagnostic).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Arg {
    /// Shown as it is (a file name, a number, a word from the page).
    Text(String),
    /// Worded by the same catalogue.
    Message(Box<Message>),
}

impl Message {
    /// A message without arguments yet.
    pub fn new(key: &'static str) -> Message {
        Message { key, args: Vec::new() }
    }

    /// With the value of `{name}`.
    pub fn arg(mut self, name: &'static str, value: impl ToString) -> Message {
        self.args.push((name, Arg::Text(value.to_string())));
        self
    }

    /// With `{name}` worded from another message.
    pub fn arg_message(mut self, name: &'static str, value: Message) -> Message {
        self.args.push((name, Arg::Message(Box::new(value))));
        self
    }

    /// The text given for `{name}`, if it was given as text.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.args.iter().find_map(|(n, v)| match v {
            Arg::Text(t) if *n == name => Some(t.as_str()),
            _ => None,
        })
    }

    /// The message in the language of `catalogue`: its text for the key with every `{name}`
    /// replaced. A key the catalogue lacks shows as the key and its arguments (a bug the
    /// string table's test catches).
    pub fn words(&self, catalogue: &dyn Catalogue) -> String {
        let Some(template) = catalogue.template(self.key) else {
            let args: Vec<String> = self
                .args
                .iter()
                .map(|(n, v)| format!("{n}={}", Message::arg_words(v, catalogue)))
                .collect();
            return format!("{} ({})", self.key, args.join(", "));
        };
        let mut text = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            text.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let found = after.find('}').and_then(|close| {
                let name = &after[..close];
                let value = self.args.iter().find(|(n, _)| *n == name)?;
                Some((close, &value.1))
            });
            match found {
                Some((close, value)) => {
                    text.push_str(&Message::arg_words(value, catalogue));
                    rest = &after[close + 1..];
                }
                None => {
                    text.push('{');
                    rest = after;
                }
            }
        }
        text.push_str(rest);
        text
    }

    fn arg_words(value: &Arg, catalogue: &dyn Catalogue) -> String {
        match value {
            Arg::Text(t) => t.clone(),
            Arg::Message(m) => m.words(catalogue),
        }
    }
}

#[cfg(test)]
impl Message {
    /// In English, from the built-in string table (what unit tests compare wording with).
    pub(crate) fn english(&self) -> String {
        let theme = crate::theme::Theme::builtin("en").expect("the built-in theme loads");
        self.words(&theme.strings)
    }
}

/// Where messages get their words: the theme's string table in one language.
pub trait Catalogue {
    /// The text for `key`, with `{name}` placeholders; `None` when the table lacks the key.
    fn template(&self, key: &str) -> Option<&str>;
}

/// How serious a problem is: errors fail the build, warnings do not (unless `--strict`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Fails the build.
    Error,
    /// Reported; fails only `check --strict`.
    Warning,
}

/// One problem, located in a file. `line` and `column` are 1-based; 0 means "whole file".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, as given (content folder joined with the file's path).
    pub path: PathBuf,
    /// 1-based line, 0 for the whole file.
    pub line: usize,
    /// 1-based column in characters, 0 for the whole line.
    pub column: usize,
    /// What is wrong, in one sentence.
    pub message: Message,
    /// What to do about it, when there is something useful to say (boxed: most have none, and
    /// a diagnostic travels in many `Result`s).
    pub hint: Option<Box<Message>>,
    /// The offending source line, shown under the message.
    pub source_line: Option<String>,
}

impl Diagnostic {
    /// An error at `line`/`column` of `path`.
    pub fn error(path: impl Into<PathBuf>, line: usize, column: usize, message: impl Into<Message>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line,
            column,
            message: message.into(),
            hint: None,
            source_line: None,
        }
    }

    /// A warning at `line`/`column` of `path`.
    pub fn warning(path: impl Into<PathBuf>, line: usize, column: usize, message: impl Into<Message>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, column, message)
        }
    }

    /// The same diagnostic with a hint: what to do about it.
    pub fn with_hint(mut self, hint: impl Into<Message>) -> Self {
        self.hint = Some(Box::new(hint.into()));
        self
    }

    /// Attach the source line `self.line` taken from `source` (the whole file's text).
    pub fn with_source(mut self, source: &str) -> Self {
        if self.line > 0 {
            self.source_line = source.lines().nth(self.line - 1).map(str::to_owned);
        }
        self
    }

    /// `true` for an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl Diagnostic {
    /// The first line alone: `path:line:column: error|warning: message`, worded by
    /// `catalogue` (`fel`/`varning` in Swedish).
    pub fn headline(&self, catalogue: &dyn Catalogue) -> String {
        let kind = match self.severity {
            Severity::Error => Message::new("diag_error"),
            Severity::Warning => Message::new("diag_warning"),
        }
        .words(catalogue);
        let mut s = display_path(&self.path);
        if self.line > 0 {
            s.push_str(&format!(":{}", self.line));
            if self.column > 0 {
                s.push_str(&format!(":{}", self.column));
            }
        }
        s.push_str(&format!(": {kind}: {}", self.message.words(catalogue)));
        s
    }

    /// The hint worded by `catalogue`, if there is one.
    pub fn hint_words(&self, catalogue: &dyn Catalogue) -> Option<String> {
        self.hint.as_ref().map(|h| h.words(catalogue))
    }

    /// The whole diagnostic as plain text (no colours), as printed and shown in the browser:
    /// the headline, then the source line with the spot marked and the hint, laid out by
    /// `annotate-snippets` (the renderer rustc uses).
    pub fn render(&self, catalogue: &dyn Catalogue) -> String {
        use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let headline = self.headline(catalogue);
        let hint = self.hint_words(catalogue);
        let hint_name = Message::new("diag_hint").words(catalogue);
        let Some(src) = self.source_line.as_deref().filter(|_| self.line > 0) else {
            // Nothing to quote: the headline and the hint, aligned as when there is.
            return match &hint {
                Some(hint) => format!("{headline}\n  = {hint_name}: {hint}"),
                None => headline,
            };
        };
        let mut snippet = Snippet::source(src).line_start(self.line).fold(false);
        if self.column > 0 {
            let start = src.char_indices().nth(self.column - 1).map_or(src.len(), |(i, _)| i);
            let end = src[start..].chars().next().map_or(start, |c| start + c.len_utf8());
            snippet = snippet.annotation(AnnotationKind::Primary.span(start..end));
        } else {
            snippet = snippet.annotation(AnnotationKind::Visible.span(0..src.len()));
        }
        let mut group = Group::with_title(level.no_name().primary_title(&headline)).element(snippet);
        if let Some(hint) = &hint {
            group = group.element(Level::HELP.with_name(hint_name.as_str()).message(hint.as_str()));
        }
        Renderer::plain().render(&[group]).to_string()
    }
}

fn display_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// A collection of diagnostics from one run, kept in a stable order.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Add one.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Add several.
    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// `true` when any is an error.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// How many errors.
    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    /// How many warnings.
    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    /// `true` when there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file, then line and column, so output is stable whatever order stages ran in.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.path, a.line, a.column, a.severity, &a.message)
                .cmp(&(&b.path, b.line, b.column, b.severity, &b.message))
        });
        self.items.dedup();
        self.items
    }

    /// Each, in the order they were found.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.items.iter()
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.sorted().into_iter()
    }
}

/// Line and column (1-based, column counted in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Line and column lookups for many offsets in one text without rescanning it from the start
/// each time (which made pages with many links quadratic). Columns are counted from the nearest
/// earlier lookup on the same line, so increasing offsets cost O(text) in all.
#[derive(Debug)]
pub struct LineIndex<'a> {
    text: &'a str,
    line_starts: Vec<usize>,
    last: std::cell::Cell<(usize, usize, usize)>,
}

impl<'a> LineIndex<'a> {
    /// Index the lines of `text`.
    pub fn new(text: &'a str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex {
            text,
            line_starts,
            last: std::cell::Cell::new((0, 0, 1)),
        }
    }

    /// The same as [`line_col`], `(line, column)` 1-based.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(self.text, offset.min(self.text.len()));
        let line = self.line_starts.partition_point(|&s| s <= offset);
        let line_start = self.line_starts[line - 1];
        let (last_line, last_offset, last_column) = self.last.get();
        let column = if last_line == line && last_offset <= offset && last_offset >= line_start {
            last_column + self.text[last_offset..offset].chars().count()
        } else {
            self.text[line_start..offset].chars().count() + 1
        };
        self.last.set((line, offset, column));
        (line, column)
    }

    /// The text of 1-based `line`, without its newline.
    pub fn line(&self, line: usize) -> Option<&'a str> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let end = self.line_starts.get(line).map_or(self.text.len(), |&e| e - 1);
        Some(&self.text[start..end])
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The few keys these tests word, in English.
    struct English;

    impl Catalogue for English {
        fn template(&self, key: &str) -> Option<&str> {
            Some(match key {
                "diag_error" => "error",
                "diag_warning" => "warning",
                "diag_hint" => "hint",
                "unknown_key" => "unknown key `{key}`",
                "did_you_mean" => "did you mean `{key}`?",
                _ => return None,
            })
        }
    }

    #[test]
    fn a_message_fills_its_placeholders_and_shows_a_missing_key_plainly() {
        let m = Message::new("unknown_key").arg("key", "ttle {x}");
        assert_eq!(m.words(&English), "unknown key `ttle {x}`");
        // A placeholder the message has no value for stays as written.
        assert_eq!(Message::new("unknown_key").words(&English), "unknown key `{key}`");
        assert_eq!(
            Message::new("no_such_key").arg("a", 1).words(&English),
            "no_such_key (a=1)"
        );
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "första\nåäö x";
        assert_eq!(line_col(text, 0), (1, 1));
        let x = text.find('x').unwrap();
        assert_eq!(line_col(text, x), (2, 5));
    }

    #[test]
    fn line_index_agrees_with_line_col() {
        let text = "första\nåäö x [l](a) [m](b)\n\nslut";
        let index = LineIndex::new(text);
        for offset in (0..=text.len()).chain([5, 2, 40, 0]) {
            assert_eq!(index.line_col(offset), line_col(text, offset), "offset {offset}");
        }
        assert_eq!(index.line(2), Some("åäö x [l](a) [m](b)"));
        assert_eq!(index.line(4), Some("slut"));
        assert_eq!(index.line(5), None);
    }

    /// On a line far wider than a terminal the quoted part is the part around the column, and
    /// the caret stands under the character the column names.
    #[test]
    fn long_lines_show_the_column_the_caret_points_at() {
        let line = format!("{}[trasig](saknas.md) och mer", "ÅÄÖåäö ord ".repeat(60));
        let column = line.chars().position(|c| c == '[').unwrap() + 1;
        let shown = Diagnostic::error("a.md", 3, column, Message::new("diag_error"))
            .with_source(&format!("\n\n{line}"))
            .render(&English);
        let lines: Vec<&str> = shown.lines().collect();
        let quoted = lines.iter().find(|l| l.starts_with("3 | ")).unwrap();
        let caret = lines.iter().find(|l| l.trim_end().ends_with('^')).unwrap();
        let at = caret.chars().count() - 1;
        assert_eq!(quoted.chars().nth(at), Some('['), "{shown}");
        assert!(
            quoted.chars().count() < 200,
            "the line is cut around the column: {shown}"
        );
    }

    #[test]
    fn display_has_location_source_and_hint() {
        let d = Diagnostic::error("content/a.md", 2, 3, Message::new("unknown_key").arg("key", "ttle"))
            .with_source("---\nttle: x\n---")
            .with_hint(Message::new("did_you_mean").arg("key", "title"));
        let shown = d.render(&English);
        assert!(
            shown.starts_with("content/a.md:2:3: error: unknown key `ttle`"),
            "{shown}"
        );
        assert!(shown.contains("2 | ttle: x"));
        assert!(shown.contains("= hint: did you mean `title`?"));
    }
}
