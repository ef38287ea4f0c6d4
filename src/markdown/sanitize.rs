//! The page sanitiser: the whole page's HTML through `ammonia` with the subset of
//! [`super::safety`], so nothing the fragment check missed reaches the output. HTML that
//! handbok generates itself (headings, forms, footnotes) is swapped for placeholders while
//! ammonia runs, so it is not touched, and placeholders cannot be forged.

use std::borrow::Cow;

use super::safety::{
    is_text_align, tag_attributes, url_is_safe, ALLOWED_TAGS, GENERIC_ATTRIBUTES, URL_ATTRIBUTES, URL_SCHEMES,
};

/// A placeholder marker for HTML handbok generated itself. U+F8FF is a private-use character;
/// a page whose text produces it is refused by [`sanitize_page`] so placeholders can't be forged.
pub(super) const SENTINEL: char = '\u{f8ff}';

/// The placeholder for the `index`-th piece of generated HTML on a page.
pub(super) fn placeholder(index: usize) -> String {
    format!("{SENTINEL}{index}{SENTINEL}")
}

/// Why [`sanitize_page`] could not produce a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum SanitizeError {
    /// The page's text contains the placeholder character U+F8FF.
    ReservedCharacter,
}

fn builder() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::empty();
    b.tags(ALLOWED_TAGS.iter().copied().collect())
        .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
        .tag_attributes({
            let mut attrs = tag_attributes();
            attrs.entry("td").or_default().insert("style");
            attrs.entry("th").or_default().insert("style");
            attrs
        })
        .url_schemes(URL_SCHEMES.iter().copied().collect())
        .url_relative(ammonia::UrlRelative::PassThrough)
        .link_rel(None)
        .strip_comments(true)
        .clean_content_tags(["script", "style"].into_iter().collect())
        .attribute_filter(|element, attribute, value| {
            if attribute == "style" && !is_text_align(element, value)
                || URL_ATTRIBUTES.contains(&attribute) && !url_is_safe(value)
            {
                None
            } else {
                Some(Cow::Borrowed(value))
            }
        });
    b
}

/// Sanitise a page's whole HTML. `generated` holds HTML handbok wrote itself; `html` refers to
/// each by [`placeholder`]. Everything else in `html` passes through ammonia with the allowed
/// subset; the placeholders are then replaced by the generated HTML.
pub(super) fn sanitize_page(html: &str, generated: &[String]) -> Result<String, SanitizeError> {
    let cleaned = builder().clean(html).to_string();
    let found = cleaned.matches(SENTINEL).count();
    if found != 2 * generated.len() {
        return Err(SanitizeError::ReservedCharacter);
    }
    if generated.is_empty() {
        return Ok(cleaned);
    }
    let mut out = String::with_capacity(cleaned.len() + generated.iter().map(String::len).sum::<usize>());
    let mut rest = cleaned.as_str();
    let mut expected = 0usize;
    while let Some(start) = rest.find(SENTINEL) {
        out.push_str(&rest[..start]);
        let after = &rest[start + SENTINEL.len_utf8()..];
        let end = after.find(SENTINEL).ok_or(SanitizeError::ReservedCharacter)?;
        let index: usize = after[..end].parse().map_err(|_| SanitizeError::ReservedCharacter)?;
        if index != expected {
            return Err(SanitizeError::ReservedCharacter);
        }
        out.push_str(&generated[index]);
        expected += 1;
        rest = &after[end + SENTINEL.len_utf8()..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_removes_scripts_and_restores_placeholders() {
        let generated = vec!["<h2 id=\"a\">".to_string(), "</h2>".to_string()];
        let html = format!(
            "{}Rubrik{}<p onclick=\"x()\">a<script>alert(1)</script><a href=\"javascript:x\">l</a></p>",
            placeholder(0),
            placeholder(1)
        );
        let out = sanitize_page(&html, &generated).unwrap();
        assert_eq!(out, "<h2 id=\"a\">Rubrik</h2><p>a<a>l</a></p>");
    }

    #[test]
    fn forged_placeholders_are_refused() {
        let generated = vec!["<b>".to_string()];
        let html = format!("{}<p title=\"{}\">x</p>", placeholder(0), placeholder(0));
        assert_eq!(sanitize_page(&html, &generated), Err(SanitizeError::ReservedCharacter));
        let html = "<p>&#63743;0&#63743;</p>".to_string();
        assert_eq!(sanitize_page(&html, &[]), Err(SanitizeError::ReservedCharacter));
    }

    #[test]
    fn table_alignment_from_markdown_survives() {
        let out = sanitize_page("<table><tr><td style=\"text-align: center\">x</td></tr></table>", &[]).unwrap();
        assert!(out.contains("style=\"text-align: center\""));
        let out = sanitize_page("<table><tr><td style=\"background:url(x)\">x</td></tr></table>", &[]).unwrap();
        assert!(!out.contains("style"));
    }
}
