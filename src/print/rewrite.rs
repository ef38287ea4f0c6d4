//! A page's HTML made to fit inside a print view: part `n`'s ids get a `p{n}-` prefix so ids
//! stay unique, links to a page that is part of the same view point inside the view
//! (`#p{n}-…`), and other relative links are made relative to the view's own folder.
//!
//! The HTML is tokenised by `lol_html` (a streaming HTML rewriter): attributes are read and
//! changed on parsed start tags, never found by searching text, and everything else passes
//! through byte for byte.

use lol_html::{element, rewrite_str, RewriteStrSettings};

use super::PrintView;
use crate::paths::{join_normalised, relative_href};

/// Where a part's HTML goes: its 1-based number in the view, the output folder of its own page,
/// and the view with the output paths of the pages it holds.
pub struct Part<'a> {
    /// 1-based number of the part in the view.
    pub number: usize,
    /// The output folder of the part's own page.
    pub page_dir: &'a str,
    /// The view.
    pub view: &'a PrintView,
    /// The output path of each page of the view, in view order.
    pub view_outputs: &'a [&'a str],
}

/// Attributes that hold one id, a list of ids, or a URL.
const ID_ATTRIBUTES: [&str; 2] = ["id", "for"];
const ID_LIST_ATTRIBUTES: [&str; 2] = ["aria-describedby", "aria-labelledby"];
const URL_ATTRIBUTES: [&str; 2] = ["href", "src"];

/// The part's HTML with ids and links rewritten for the view.
pub fn rewrite_part(html: &str, part: &Part<'_>) -> String {
    let prefix = &format!("p{}-", part.number);
    let prefixed = move |value: &str| format!("{prefix}{value}");
    let mut settings = RewriteStrSettings::new();
    // One handler per attribute, selected by its presence: most elements have none of them,
    // and the selector engine skips those without calling anything.
    for name in ID_ATTRIBUTES {
        settings = settings.append_element_content_handler(element!(attribute_selector(name), move |el| {
            if let Some(value) = el.get_attribute(name) {
                el.set_attribute(name, &prefixed(&value))?;
            }
            Ok(())
        }));
    }
    for name in ID_LIST_ATTRIBUTES {
        settings = settings.append_element_content_handler(element!(attribute_selector(name), move |el| {
            if let Some(value) = el.get_attribute(name) {
                let ids: Vec<String> = value.split_whitespace().map(prefixed).collect();
                el.set_attribute(name, &ids.join(" "))?;
            }
            Ok(())
        }));
    }
    for name in URL_ATTRIBUTES {
        settings = settings.append_element_content_handler(element!(attribute_selector(name), move |el| {
            if let Some(value) = el.get_attribute(name) {
                el.set_attribute(name, &link(&value, prefix, part))?;
            }
            Ok(())
        }));
    }
    // The HTML is handbok's own output, which the tokenizer always takes; should it ever fail,
    // the part keeps its HTML as it was rather than being lost.
    rewrite_str(html, settings).unwrap_or_else(|_| html.to_string())
}

fn attribute_selector(name: &str) -> &'static str {
    match name {
        "id" => "[id]",
        "for" => "[for]",
        "aria-describedby" => "[aria-describedby]",
        "aria-labelledby" => "[aria-labelledby]",
        "href" => "[href]",
        _ => "[src]",
    }
}

fn link(value: &str, prefix: &str, part: &Part<'_>) -> String {
    if let Some(anchor) = value.strip_prefix('#') {
        return if anchor.is_empty() {
            value.to_string()
        } else {
            format!("#{prefix}{anchor}")
        };
    }
    let has_scheme = value
        .split_once(':')
        .is_some_and(|(s, _)| !s.contains('/') && !s.is_empty());
    if has_scheme || value.starts_with('/') || value.is_empty() {
        return value.to_string();
    }
    let (path, anchor) = match value.split_once('#') {
        Some((p, a)) => (p, Some(a)),
        None => (value, None),
    };
    let Some(target) = join_normalised(part.page_dir, path) else {
        return value.to_string();
    };
    if let Some(n) = part.view_outputs.iter().position(|o| *o == target) {
        return match anchor {
            Some(a) if !a.is_empty() => format!("#p{}-{a}", n + 1),
            _ => format!("#p{}", n + 1),
        };
    }
    let mut href = relative_href(part.view.output_dir(), &target);
    if let Some(a) = anchor {
        href.push('#');
        href.push_str(a);
    }
    href
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::PageId;

    #[test]
    fn ids_are_prefixed_and_links_stay_inside_the_view() {
        let view = PrintView {
            output: "samtal/a-utskrift.html".into(),
            title: "A".into(),
            pages: vec![PageId(0), PageId(1)],
            declared_by: Some(PageId(0)),
            unresolved: Vec::new(),
        };
        let outputs = ["samtal/a.html", "samtal/b.html"];
        let part = Part {
            number: 2,
            page_dir: "samtal",
            view: &view,
            view_outputs: &outputs,
        };
        let html = "<h2 id=\"syfte\"><a href=\"#syfte\">#</a>Syfte</h2>\n<p><a href=\"a.html#mal\">mål</a> \
                    <a href=\"../policy/c.html\">c</a> <a href=\"https://x.se\">x</a> <img src=\"bild.png\" alt=\"B\" /></p>\n\
                    <label for=\"f1-namn\">Namn</label><input id=\"f1-namn\" aria-describedby=\"f1-namn-hjalp x\">";
        let out = rewrite_part(html, &part);
        assert_eq!(
            out,
            "<h2 id=\"p2-syfte\"><a href=\"#p2-syfte\">#</a>Syfte</h2>\n<p><a href=\"#p1-mal\">mål</a> \
             <a href=\"../policy/c.html\">c</a> <a href=\"https://x.se\">x</a> <img src=\"bild.png\" alt=\"B\" /></p>\n\
             <label for=\"p2-f1-namn\">Namn</label><input id=\"p2-f1-namn\" aria-describedby=\"p2-f1-namn-hjalp p2-x\">"
        );
    }
}
