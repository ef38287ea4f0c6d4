//! Stage 4: every validation over the assembled site, before the one error gate: link targets
//! and anchors, images, print views, year wheels, output collisions, copied files that could
//! run code, the brand's colours and logo, and the readability lints (warnings). Each check
//! takes the site and reports into one list, so an editor sees every problem of every kind in
//! one run. Nothing here parses Markdown or YAML again: it reads what the earlier stages
//! recorded (links and headings with their lines, front matter key lines).

mod assets;
mod brand;
mod links;
mod lint;
mod outputs;

use std::path::PathBuf;

use crate::content::{PageId, Sources, YearPeriod};
use crate::diag::{Diagnostic, Diagnostics, Message};
use crate::plan::OutputPlan;
use crate::site::Site;
use crate::theme::Theme;

/// Run every check; errors and warnings go to `diags`.
pub fn run(site: &Site, plan: &OutputPlan, sources: &Sources, theme: &Theme, diags: &mut Diagnostics) {
    let report = Reporter { site, sources };
    links::check(&report, diags);
    print_views(&report, plan, diags);
    year_wheels(&report, diags);
    outputs::check(site, plan, theme, diags);
    assets::check(site, diags);
    brand::check(site, diags);
    lint::run(&report, diags);
}

/// Makes diagnostics about a page: its file named, its line quoted.
pub(crate) struct Reporter<'a> {
    pub site: &'a Site,
    pub sources: &'a Sources,
}

impl Reporter<'_> {
    fn file(&self, id: PageId) -> PathBuf {
        self.site.file(id)
    }

    /// An error at `line`/`column` of page `id`, with the line quoted.
    pub(crate) fn error(
        &self,
        id: PageId,
        line: usize,
        column: usize,
        message: impl Into<crate::diag::Message>,
    ) -> Diagnostic {
        Diagnostic::error(self.file(id), line, column, message).with_source(self.sources.text(id))
    }

    /// A warning at `line`/`column` of page `id`, with the line quoted.
    pub(crate) fn warning(
        &self,
        id: PageId,
        line: usize,
        column: usize,
        message: impl Into<crate::diag::Message>,
    ) -> Diagnostic {
        Diagnostic::warning(self.file(id), line, column, message).with_source(self.sources.text(id))
    }
}

/// `print_with` names that are not pages, at the line of `print_with`.
fn print_views(report: &Reporter<'_>, plan: &OutputPlan, diags: &mut Diagnostics) {
    for view in &plan.print_views {
        let Some(id) = view.declared_by else { continue };
        let line = report.site.page(id).page.keys.get("print_with").map_or(1, |p| p.line);
        for name in &view.unresolved {
            diags.push(
                report
                    .error(id, line, 0, Message::new("print_with_not_a_page").arg("name", name))
                    .with_hint(Message::new("print_with_not_a_page_hint")),
            );
        }
    }
}

/// Year wheel periods with months outside 1–12 or no label, at the period's line.
fn year_wheels(report: &Reporter<'_>, diags: &mut Diagnostics) {
    for (id, site_page) in report.site.pages() {
        let page = &site_page.page;
        let periods: &[YearPeriod] = page.front.year_wheel.as_deref().unwrap_or_default();
        for (i, p) in periods.iter().enumerate().filter(|(_, p)| !p.is_valid()) {
            let line = ["label", "from", "to"]
                .iter()
                .filter_map(|key| page.keys.get(&format!("year_wheel.{i}.{key}")))
                .map(|pos| pos.line)
                .min()
                .unwrap_or_else(|| page.keys.line("year_wheel"));
            diags.push(
                report
                    .error(
                        id,
                        line,
                        0,
                        Message::new("year_wheel_bad_period")
                            .arg("label", &p.label)
                            .arg("from", p.from)
                            .arg("to", p.to),
                    )
                    .with_hint(Message::new("year_wheel_bad_period_hint")),
            );
        }
    }
}
