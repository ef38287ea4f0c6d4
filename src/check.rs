//! Validations over the whole site model: link targets and anchors exist, images have alt
//! text and exist, no link leaves the content folder. `build` runs them before writing;
//! `check` runs them and writes nothing.

use std::collections::{HashMap, HashSet};

use crate::content::Content;
use crate::diag::{Diagnostic, Diagnostics};
use crate::markdown::links::Target;
use crate::markdown::Rendered;

/// Check every page's links and images against the other pages and assets.
pub fn check_links(content: &Content, rendered: &[Rendered], diags: &mut Diagnostics) {
    let pages_by_output: HashMap<&str, usize> = content
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.output.as_str(), i))
        .collect();
    let anchors: Vec<HashSet<&str>> = rendered
        .iter()
        .map(|r| {
            r.headings
                .iter()
                .map(|h| h.id.as_str())
                .chain(r.extra_ids.iter().map(String::as_str))
                .collect()
        })
        .collect();
    let assets: HashSet<&str> = content.assets.iter().map(|a| a.output.as_str()).collect();

    for (index, (page, result)) in content.pages.iter().zip(rendered).enumerate() {
        let path = content.root.join(&page.source);
        let error = |link: &crate::markdown::LinkRef, message: String| {
            Diagnostic::error(&path, link.line, link.column, message).with_source(&page.text)
        };
        for link in &result.links {
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
                    if !anchor.is_empty() && !anchors[index].contains(anchor.as_str()) {
                        diags.push(missing_anchor(
                            error(link, format!("no heading `#{anchor}` on this page")),
                            &anchors[index],
                        ));
                    }
                }
                Target::Page { output, source, anchor } => match pages_by_output.get(output.as_str()) {
                    None => diags.push(
                        error(link, format!("link to a page that does not exist: `{source}`"))
                            .with_hint(suggest_page(source, content)),
                    ),
                    Some(&target) => {
                        if let Some(anchor) = anchor {
                            if !anchor.is_empty() && !anchors[target].contains(anchor.as_str()) {
                                diags.push(missing_anchor(
                                    error(
                                        link,
                                        format!("`{}` has no heading `#{anchor}`", content.pages[target].source),
                                    ),
                                    &anchors[target],
                                ));
                            }
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

fn suggest_page(source: &str, content: &Content) -> String {
    let wanted = crate::content::output_path(source);
    let file = wanted.rsplit('/').next().unwrap_or(&wanted);
    match content.pages.iter().find(|p| p.output.ends_with(file)) {
        Some(p) => format!(
            "did you mean `{}`? Links are relative to the page's own folder",
            p.source
        ),
        None => "check the file name and folder; links are relative to the page's own folder".into(),
    }
}
