//! Output collisions: a content file or page whose output path is one handbok writes itself
//! (a theme asset, a print view, the search index and its folder of shards, the accessibility
//! statement, the change list, a comparison of two versions of a page, the list of a long
//! section's pages). Two content files with one output path are
//! caught when the content is read.

use std::collections::BTreeSet;

use crate::brand::BRAND_CSS;
use crate::diag::{Diagnostic, Diagnostics, Message};
use crate::plan::{section_list_pages, OutputPlan, CHANGES_OUTPUT, STATEMENT_OUTPUT};
use crate::search::{INDEX_PATH, SHARD_DIR};
use crate::site::Site;
use crate::theme::Theme;

/// Report content files that would overwrite, or be overwritten by, a generated file.
pub(super) fn check(site: &Site, plan: &OutputPlan, theme: &Theme, diags: &mut Diagnostics) {
    let mut generated: BTreeSet<&str> = theme.assets.keys().map(String::as_str).collect();
    generated.insert(INDEX_PATH);
    if site.config.brand.is_some() {
        generated.insert(BRAND_CSS);
    }
    generated.extend(plan.print_views.iter().map(|v| v.output.as_str()));
    let versions = plan.version_pages(site);
    generated.extend(versions.iter().map(|(output, _, _)| output.as_str()));
    if plan.has_change_list(site) {
        generated.insert(CHANGES_OUTPUT);
    }
    let lists = section_list_pages(site);
    generated.extend(lists.iter().map(|(_, _, output)| output.as_str()));
    // A page written to the statement's path replaces the statement, by design.
    let statement_replaced = site.page_at_output(STATEMENT_OUTPUT).is_some();
    if !statement_replaced {
        generated.insert(STATEMENT_OUTPUT);
    }
    // The search index's shards: how many there are depends on the text, so the whole folder is
    // handbok's.
    let generated_path = |output: &str| generated.contains(output) || output.starts_with(SHARD_DIR);
    for asset in &site.assets {
        if generated_path(&asset.output) {
            diags.push(Diagnostic::error(
                site.root.join(&asset.source),
                0,
                0,
                Message::new("output_collides_with_theme").arg("output", &asset.output),
            ));
        }
    }
    for (id, site_page) in site.pages() {
        let output = site_page.page.output.as_str();
        if generated_path(output) {
            diags.push(
                Diagnostic::error(
                    site.file(id),
                    0,
                    0,
                    Message::new("output_page_collides").arg("output", output),
                )
                .with_hint(Message::new("output_page_collides_hint")),
            );
        }
    }
}
