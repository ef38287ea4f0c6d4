//! Links and images: targets exist, anchors exist, images have alt text, nothing leaves the
//! content folder or uses an unsafe scheme. Uses the links the Markdown stage recorded.

use std::collections::{HashMap, HashSet};

use super::Reporter;
use crate::diag::{Diagnostic, Diagnostics};
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
                            anchor,
                            &anchors[id.0],
                        ));
                    }
                }
                Target::Page { output, source, anchor } => match site.page_at_output(output) {
                    None => diags.push(
                        error(
                            link,
                            format!(
                                "link to a page that does not exist: `{}`",
                                shown_target(&link.written, source)
                            ),
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
                                error(link, String::new()),
                                source,
                                actual,
                                site_page.page.source_dir(),
                            ));
                        }
                        let anchor = anchor.as_deref().unwrap_or_default();
                        if !anchor.is_empty() && !anchors[target.0].contains(anchor) {
                            diags.push(missing_anchor(
                                error(link, format!("`{actual}` has no heading `#{anchor}`")),
                                anchor,
                                &anchors[target.0],
                            ));
                        }
                    }
                },
                Target::Asset { output, source } => match assets.get(output.as_str()) {
                    None => diags.push(
                        error(link, format!("file not found in the content folder: `{source}`"))
                            .with_hint("check the file name (letters, case and extension) and its folder"),
                    ),
                    Some(actual) if *actual != source && !site.assets.iter().any(|a| a.source == *source) => {
                        diags.push(names_differ(
                            error(link, String::new()),
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
fn names_differ(mut d: Diagnostic, written: &str, actual: &str, from_dir: &str) -> Diagnostic {
    d.message = format!("the link names `{written}`, but the file is `{actual}`").into();
    d.with_hint(format!(
        "write `{}`: names must match the file's letters, case and å/ä/ö exactly, or the link breaks where the Markdown is read as it is (a Git web service, a case-sensitive server)",
        relative_href(from_dir, actual)
    ))
}

/// The anchors on the target page, the closest to the one written first.
fn missing_anchor(d: Diagnostic, wanted: &str, anchors: &HashSet<&str>) -> Diagnostic {
    if anchors.is_empty() {
        return d.with_hint("that page has no headings to link to; link to the page without `#…`");
    }
    let mut list: Vec<(usize, &str)> = anchors.iter().map(|a| (strsim::levenshtein(wanted, a), *a)).collect();
    list.sort();
    let shown: Vec<String> = list.iter().take(12).map(|(_, a)| format!("#{a}")).collect();
    let (distance, best) = list[0];
    if distance <= 2.max(wanted.chars().count() / 3) {
        d.with_hint(format!(
            "did you mean `#{best}`? Anchors on that page: {}",
            shown.join(", ")
        ))
    } else {
        d.with_hint(format!("anchors on that page, closest first: {}", shown.join(", ")))
    }
}

/// What to write instead of a link to a missing page: for a folder (`ledighet/`), its page
/// (`ledighet.md`); else the page whose path is closest to the one written.
fn suggest_page(source: &str, link: &LinkRef, from_dir: &str, site: &Site) -> String {
    let advice = "Links are relative to the page's own folder.";
    if link.written.trim_end_matches(['#', '?']).ends_with('/') || link.written.is_empty() {
        let folder = source.trim_end_matches("index.md").trim_end_matches('/');
        let page = format!("{folder}.md");
        if site.page_at_source(&page).is_some() {
            return format!(
                "did you mean `{}`? A folder has no page of its own unless it holds index.md",
                relative_href(from_dir, &page)
            );
        }
    }
    // The same file in another folder: the usual slip with relative links.
    let file = |path: &str| output_path(path).rsplit('/').next().map(str::to_owned);
    if let Some((_, p)) = site.pages().find(|(_, p)| file(&p.page.source) == file(source)) {
        return format!("did you mean `{}`? {advice}", relative_href(from_dir, &p.page.source));
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
            format!("did you mean `{}`? {advice}", relative_href(from_dir, best))
        }
        _ => "check the file name and folder; links are relative to the page's own folder".to_string(),
    }
}
