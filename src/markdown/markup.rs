//! handbok's own markup inside a page body, rendered by the theme's components in
//! `templates/markdown.html`: heading tags with their anchors, checklist boxes, note boxes
//! (GitHub alerts) and footnotes. Errors are the theme's, as one line.

use pulldown_cmark::BlockQuoteKind;
use serde::Serialize;

use super::footnotes::{Reference, SectionMarkup};
use crate::theme::Theme;

/// Renders markup components with the site's theme.
pub(super) struct Markup<'t> {
    pub theme: &'t Theme,
}

/// A note in the footnote section, for the `footnote_start` and `footnote_backrefs` components.
#[derive(Serialize)]
struct NoteView<'a> {
    number: usize,
    id: &'a str,
    refs: &'a [String],
}

impl Markup<'_> {
    fn render(&self, name: &str, args: &[(&str, &dyn erased::Arg)]) -> Result<String, String> {
        let mut ctx = tera::Context::new();
        for (key, value) in args {
            value.insert_into(&mut ctx, key);
        }
        self.theme.component(name, &ctx)
    }

    /// `<h2 id="…">` and the anchor link.
    pub(super) fn heading_start(&self, level: u8, id: &str, classes: &str) -> Result<String, String> {
        self.render(
            "heading_start",
            &[("level", &level), ("id", &id), ("classes", &classes)],
        )
    }

    /// `</h2>`.
    pub(super) fn heading_end(&self, level: u8, id: &str) -> Result<String, String> {
        self.render("heading_end", &[("level", &level), ("id", &id)])
    }

    /// A checklist item's box and the start of its label.
    pub(super) fn task_start(&self, id: &str, checked: bool) -> Result<String, String> {
        self.render("task_start", &[("id", &id), ("checked", &checked)])
    }

    /// The end of a checklist item's label.
    pub(super) fn task_end(&self) -> Result<String, String> {
        self.render("task_end", &[])
    }

    /// The start of a note box, with its title from the strings.
    pub(super) fn callout_start(&self, kind: BlockQuoteKind) -> Result<String, String> {
        let kind = callout_name(kind);
        let label = self.theme.strings.text(&format!("callout_{kind}")).to_string();
        self.render("callout_start", &[("kind", &kind), ("label", &label)])
    }

    /// The end of a note box.
    pub(super) fn callout_end(&self, kind: BlockQuoteKind) -> Result<String, String> {
        self.render("callout_end", &[("kind", &callout_name(kind))])
    }

    /// A reference to a footnote.
    pub(super) fn footnote_ref(&self, r: &Reference) -> Result<String, String> {
        self.render(
            "footnote_ref",
            &[
                ("number", &r.number),
                ("id", &r.id.as_str()),
                ("note_id", &r.note_id.as_str()),
                ("heading_id", &r.heading_id.as_str()),
            ],
        )
    }

    /// The markup of the footnote section: its start and end, and per note its start and
    /// back-links.
    pub(super) fn footnotes(
        &self,
        heading_id: &str,
        notes: &[(usize, String, Vec<String>)],
    ) -> Result<SectionMarkup, String> {
        let mut per_note = Vec::with_capacity(notes.len());
        for (number, id, refs) in notes {
            let note = NoteView {
                number: *number,
                id,
                refs,
            };
            per_note.push((
                self.render("footnote_start", &[("note", &note)])?,
                self.render("footnote_backrefs", &[("note", &note)])?,
            ));
        }
        Ok(SectionMarkup {
            start: self.render("footnotes_start", &[("heading_id", &heading_id)])?,
            notes: per_note,
            note_end: self.render("footnote_end", &[])?,
            end: self.render("footnotes_end", &[])?,
        })
    }
}

/// `note`, `tip`, `important`, `warning` or `caution`: the class and the string key's end.
fn callout_name(kind: BlockQuoteKind) -> &'static str {
    match kind {
        BlockQuoteKind::Note => "note",
        BlockQuoteKind::Tip => "tip",
        BlockQuoteKind::Important => "important",
        BlockQuoteKind::Warning => "warning",
        BlockQuoteKind::Caution => "caution",
    }
}

/// Component arguments of different types in one list.
mod erased {
    /// A value that can go into a Tera context.
    pub(super) trait Arg {
        fn insert_into(&self, ctx: &mut tera::Context, key: &str);
    }

    impl<T: serde::Serialize> Arg for T {
        fn insert_into(&self, ctx: &mut tera::Context, key: &str) {
            ctx.insert(key.to_string(), self);
        }
    }
}
