//! Links and images: targets exist, anchors exist, images have alt text, nothing leaves the
//! content folder or uses an unsafe scheme. Uses the links the Markdown stage recorded.

use std::collections::{HashMap, HashSet};

use super::Reporter;
use crate::content::PageId;
use crate::diag::{Diagnostic, Diagnostics, Message};
use crate::markdown::links::Target;
use crate::markdown::{LinkRef, Rendered};
use crate::paths::{output_path, relative_href};
use crate::site::Site;

/// Check every page's links and images against the other pages and assets.
pub(super) fn check(report: &Reporter<'_>, diags: &mut Diagnostics) {
    let site = report.site;
    let anchors: Vec<HashSet<&str>> = site.pages().map(|(_, p)| anchors_of(&p.rendered)).collect();
    let assets: HashMap<&str, &String> = site.assets.iter().map(|a| (a.output.as_str(), &a.source)).collect();
    for (id, site_page) in site.pages() {
        let error = |link: &LinkRef, message: Message| report.error(id, link.line, link.column, message);
        for link in &site_page.rendered.links {
            if link.is_image && link.text.trim().is_empty() {
                diags.push(
                    error(link, Message::new("link_image_no_alt").arg("image", &link.written))
                        .with_hint(Message::new("link_image_no_alt_hint")),
                );
            }
            match &link.target {
                Target::External => {}
                Target::Unsafe(scheme) => diags.push(
                    error(
                        link,
                        Message::new("link_unsafe")
                            .arg("target", &link.written)
                            .arg("scheme", scheme),
                    )
                    .with_hint(Message::new("link_unsafe_hint")),
                ),
                Target::Outside => diags.push(
                    error(link, Message::new("link_outside").arg("target", &link.written))
                        .with_hint(Message::new("link_outside_hint")),
                ),
                Target::SamePage { anchor } => {
                    if !anchor.is_empty() && !anchors[id.0].contains(anchor.as_str()) {
                        diags.push(missing_anchor(
                            error(link, Message::new("link_missing_anchor_here").arg("anchor", anchor)),
                            anchor,
                            &anchors[id.0],
                        ));
                    }
                }
                Target::Page { output, source, anchor } => match site.page_at_output(output) {
                    None => diags.push(
                        error(
                            link,
                            Message::new("link_missing_page").arg("target", shown_target(&link.written, source)),
                        )
                        .with_hint(suggest_page(
                            source,
                            link,
                            site_page.page.source_dir(),
                            site,
                        )),
                    ),
                    Some(target) => {
                        let actual = &site.page(target).page.source;
                        // A page of exactly that name exists when two names clash (reported).
                        if actual != source && site.page_at_source(source).is_none() {
                            diags.push(names_differ(
                                report,
                                id,
                                link,
                                source,
                                actual,
                                site_page.page.source_dir(),
                            ));
                        }
                        let anchor = anchor.as_deref().unwrap_or_default();
                        if !anchor.is_empty() && !anchors[target.0].contains(anchor) {
                            diags.push(missing_anchor(
                                error(
                                    link,
                                    Message::new("link_missing_anchor")
                                        .arg("page", actual)
                                        .arg("anchor", anchor),
                                ),
                                anchor,
                                &anchors[target.0],
                            ));
                        }
                    }
                },
                Target::Asset { output, source } => match assets.get(output.as_str()) {
                    None => diags.push(
                        error(link, Message::new("link_missing_file").arg("file", source))
                            .with_hint(Message::new("link_missing_file_hint")),
                    ),
                    Some(actual) if *actual != source && !site.assets.iter().any(|a| a.source == *source) => {
                        diags.push(names_differ(
                            report,
                            id,
                            link,
                            source,
                            actual,
                            site_page.page.source_dir(),
                        ));
                    }
                    Some(_) => {}
                },
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

/// What a link was written as, or where it leads when that says more (`ledighet/`).
fn shown_target<'a>(written: &'a str, source: &'a str) -> &'a str {
    let path = written.split(['#', '?']).next().unwrap_or("");
    if path.ends_with('/') || path.is_empty() {
        written
    } else {
        source
    }
}

/// A link that reaches its file only because web names ignore case and accents: a Git web
/// service, or a server on a case-sensitive disk, would not find it.
fn names_differ(
    report: &Reporter<'_>,
    id: PageId,
    link: &LinkRef,
    written: &str,
    actual: &str,
    from_dir: &str,
) -> Diagnostic {
    report
        .error(
            id,
            link.line,
            link.column,
            Message::new("link_names_differ")
                .arg("written", written)
                .arg("actual", actual),
        )
        .with_hint(Message::new("link_names_differ_hint").arg("write", relative_href(from_dir, actual)))
}

/// The anchors on the target page, the closest to the one written first.
fn missing_anchor(d: Diagnostic, wanted: &str, anchors: &HashSet<&str>) -> Diagnostic {
    if anchors.is_empty() {
        return d.with_hint(Message::new("link_anchor_no_headings"));
    }
    let mut list: Vec<(usize, &str)> = anchors.iter().map(|a| (strsim::levenshtein(wanted, a), *a)).collect();
    list.sort();
    let shown: Vec<String> = list.iter().take(12).map(|(_, a)| format!("#{a}")).collect();
    let (distance, best) = list[0];
    if distance <= 2.max(wanted.chars().count() / 3) {
        d.with_hint(
            Message::new("link_anchor_did_you_mean")
                .arg("best", best)
                .arg("anchors", shown.join(", ")),
        )
    } else {
        d.with_hint(Message::new("link_anchor_closest").arg("anchors", shown.join(", ")))
    }
}

/// What to write instead of a link to a missing page: for a folder (`ledighet/`), its page
/// (`ledighet.md`); else the page whose path is closest to the one written.
fn suggest_page(source: &str, link: &LinkRef, from_dir: &str, site: &Site) -> Message {
    if link.written.trim_end_matches(['#', '?']).ends_with('/') || link.written.is_empty() {
        let folder = source.trim_end_matches("index.md").trim_end_matches('/');
        let page = format!("{folder}.md");
        if site.page_at_source(&page).is_some() {
            return Message::new("link_did_you_mean_folder_page").arg("page", relative_href(from_dir, &page));
        }
    }
    // The same file in another folder: the usual slip with relative links.
    let file = |path: &str| output_path(path).rsplit('/').next().map(str::to_owned);
    if let Some((_, p)) = site.pages().find(|(_, p)| file(&p.page.source) == file(source)) {
        return Message::new("link_did_you_mean_page").arg("page", relative_href(from_dir, &p.page.source));
    }
    let wanted = source.to_lowercase();
    let best = site
        .pages()
        .map(|(_, p)| {
            let candidate = p.page.source.to_lowercase();
            (strsim::levenshtein(&wanted, &candidate), &p.page.source)
        })
        .min();
    match best {
        Some((distance, best)) if distance <= 2.max(wanted.chars().count() / 4) => {
            Message::new("link_did_you_mean_page").arg("page", relative_href(from_dir, best))
        }
        _ => Message::new("link_missing_page_hint"),
    }
}
