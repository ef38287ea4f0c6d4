//! The accessibility statement (tillgänglighetsredogörelse) with its fixed structure, filled
//! from `accessibility:` in the site settings. Not part of the section tree; linked from every
//! footer. Facts the settings lack are a warning of `handbok check` (`validate::lint`), marked
//! on the page in `handbok serve` and left out of a published site.

use super::context::Contexts;
use super::STATEMENT_OUTPUT;
use crate::diag::Diagnostic;
use crate::markdown::Heading;
use crate::theme::tera_error_text;

/// The statement's sections: heading id and string table key, in order.
const SECTIONS: [(&str, &str); 5] = [
    ("hur-tillganglig", "statement_how_accessible"),
    ("kontakt", "statement_feedback"),
    ("tillsyn", "statement_supervision"),
    ("teknisk-information", "statement_technical"),
    ("hur-vi-testat", "statement_testing"),
];

/// Render the statement with `accessibility.html`; facts the settings do not give are marked as
/// missing only in a `preview`, and left out of a published site.
pub(super) fn render(contexts: &Contexts<'_>, preview: bool) -> Result<String, Diagnostic> {
    let site = contexts.site;
    let strings = &contexts.theme.strings;
    let toc: Vec<Heading> = SECTIONS
        .iter()
        .map(|(id, key)| Heading {
            level: 2,
            id: id.to_string(),
            text: strings.text(key).to_string(),
            line: 0,
            column: 0,
        })
        .collect();
    let mut ctx = contexts.outside_tree(
        strings.text("accessibility_statement"),
        toc.iter().collect(),
        STATEMENT_OUTPUT,
    );
    ctx.insert("prev", &None::<()>);
    ctx.insert("next", &None::<()>);
    ctx.insert("statement", &site.config.accessibility);
    ctx.insert("preview", &preview);
    contexts.theme.tera.render("accessibility.html", &ctx).map_err(|err| {
        Diagnostic::error(
            "(theme)/templates/accessibility.html",
            0,
            0,
            crate::diag::Message::new("render_theme_failed_statement").arg("reason", tera_error_text(&err)),
        )
        .with_hint(crate::diag::Message::new("render_check_template").arg("template", "accessibility.html"))
    })
}
