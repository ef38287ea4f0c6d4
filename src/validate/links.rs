//! Links and images: targets exist, anchors exist, images have alt text, nothing leaves the
//! content folder or uses an unsafe scheme. Uses the links the Markdown stage recorded.

use std::collections::HashSet;

use super::Reporter;
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::links::Target;
use crate::markdown::{LinkRef, Rendered};
use crate::paths::output_path;
use crate::site::Site;

/// Check every page's links and images against the other pages and assets.
pub(super) fn check(report: &Reporter<'_>, diags: &mut Diagnostics) {
    let site = report.site;
    let anchors: Vec<HashSet<&str>> = site.pages().map(|(_, p)| anchors_of(&p.rendered)).collect();
    let assets: HashSet<&str> = site.assets.iter().map(|a| a.output.as_str()).collect();
    for (id, site_page) in site.pages() {
        let error = |link: &LinkRef, message: String| report.error(id, link.line, link.column, message);
        for link in &site_page.rendered.links {
            if link.is_image && link.text.trim().is_empty() {
                diags.push(
                    error(link, format!("image `{}` has no alt text", link.written))
                        .with_hint("describe the image between the brackets: ![what the image shows](bild.png)"),
                );
            }
            match &link.target {
                Target::External => {}
                Target::Unsafe(scheme) => diags.push(
                    error(
                        link,
                        format!("unsafe link `{}`: `{scheme}:` links are not allowed", link.written),
                    )
                    .with_hint("link to a page with a relative path, or to a web address starting with https://"),
                ),
                Target::Outside => diags.push(
                    error(
                        link,
                        format!("link `{}` leads outside the content folder", link.written),
                    )
                    .with_hint("copy the file into the content folder and link to it there"),
                ),
                Target::SamePage { anchor } => {
                    if !anchor.is_empty() && !anchors[id.0].contains(anchor.as_str()) {
                        diags.push(missing_anchor(
                            error(link, format!("no heading `#{anchor}` on this page")),
                            &anchors[id.0],
                        ));
                    }
                }
                Target::Page { output, source, anchor } => match site.page_at_output(output) {
                    None => diags.push(
                        error(link, format!("link to a page that does not exist: `{source}`"))
                            .with_hint(suggest_page(source, site)),
                    ),
                    Some(target) => {
                        let anchor = anchor.as_deref().unwrap_or_default();
                        if !anchor.is_empty() && !anchors[target.0].contains(anchor) {
                            diags.push(missing_anchor(
                                error(
                                    link,
                                    format!("`{}` has no heading `#{anchor}`", site.page(target).page.source),
                                ),
                                &anchors[target.0],
                            ));
                        }
                    }
                },
                Target::Asset { output, source } => {
                    if !assets.contains(output.as_str()) {
                        diags.push(
                            error(link, format!("file not found in the content folder: `{source}`"))
                                .with_hint("check the file name (letters, case and extension) and its folder"),
                        );
                    }
                }
            }
        }
    }
}

/// The ids a link may point at on a page: its headings and other elements with ids.
fn anchors_of(rendered: &Rendered) -> HashSet<&str> {
    rendered
        .headings
        .iter()
        .map(|h| h.id.as_str())
        .chain(rendered.extra_ids.iter().map(String::as_str))
        .collect()
}

fn missing_anchor(d: Diagnostic, anchors: &HashSet<&str>) -> Diagnostic {
    let mut list: Vec<&&str> = anchors.iter().collect();
    list.sort();
    let shown: Vec<String> = list.iter().take(12).map(|a| format!("#{a}")).collect();
    if shown.is_empty() {
        d.with_hint("that page has no headings to link to; link to the page without `#…`")
    } else {
        d.with_hint(format!("anchors on that page: {}", shown.join(", ")))
    }
}

fn suggest_page(source: &str, site: &Site) -> String {
    let wanted = output_path(source);
    let file = wanted.rsplit('/').next().unwrap_or(&wanted);
    match site.pages().find(|(_, p)| p.page.output.ends_with(file)) {
        Some((_, p)) => format!(
            "did you mean `{}`? Links are relative to the page's own folder",
            p.page.source
        ),
        None => "check the file name and folder; links are relative to the page's own folder".into(),
    }
}
