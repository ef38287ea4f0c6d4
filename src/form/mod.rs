//! Form blocks: a fenced ```` ```form ```` block whose body is YAML describing fields, rendered
//! as labelled form controls on screen and as typed values or ruled lines in print.
//!
//! The block is a YAML list; each item names its kind by its first key, whose value is the
//! label (see `docs/forms.md`):
//!
//! ```yaml
//! - text: Namn
//! - period: Under perioden
//!   from: Från och med
//!   to: Till och med
//! - area: Följande mål är i fokus
//!   lines: 5
//! - table: Genomförda insatser
//!   columns: [Insats, Datum]
//!   rows: 4
//! - signatures: [Underskrift medarbetare, Underskrift chef]
//!   date: Datum
//! ```
//!
//! Three parts: [`schema`] (the kinds and their keys), `parse` (YAML → validated fields, every
//! problem with its line) and `html` (fields → the view the theme's `form` component renders).
//! Nothing here touches the filesystem; the markup never names a `<form>` that could submit,
//! so nothing typed leaves the page.

mod html;
mod parse;
pub mod schema;

use crate::diag::Message;
use crate::theme::Theme;

/// A problem inside a form block; `line` is 1-based within the block's YAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormError {
    /// 1-based line inside the block.
    pub line: usize,
    /// What is wrong.
    pub message: Message,
    /// What to do about it.
    pub hint: Option<Message>,
}

/// A form block as HTML, with what the rest of the page needs to know about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedForm {
    /// The form's HTML, from the theme's `form` component.
    pub html: String,
    /// The element ids of its fields, which links may point at.
    pub ids: Vec<String>,
    /// Its labels, hints and notes as plain text, for search.
    pub text: String,
}

/// Render form block number `index` (0-based) of a page with the theme's `form` component, or
/// every problem found in it.
pub fn render(yaml_text: &str, index: usize, theme: &Theme) -> Result<RenderedForm, Vec<FormError>> {
    let fields = parse::parse(yaml_text)?;
    let (view, ids, text) = html::view(&fields, index, theme);
    let mut args = tera::Context::new();
    args.insert("form", &view);
    let html = theme.component("form", &args).map_err(|message| {
        vec![FormError {
            line: 1,
            message: Message::new("form_theme_failed").arg("reason", message),
            hint: Some(Message::new("form_theme_failed_hint")),
        }]
    })?;
    Ok(RenderedForm { html, ids, text })
}
