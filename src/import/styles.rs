//! Word's styles (`word/styles.xml`): which paragraph styles are headings (and of what level),
//! the title, a table of contents or a list, followed through `basedOn` so a custom style built
//! on "Rubrik 1" is a heading too. Names are matched in Swedish, English and a few other
//! languages Word is localised in; `outlineLvl` counts where the name says nothing.

use std::collections::HashMap;

use super::xml::Element;

/// How far a chain of `basedOn` is followed (Word allows cycles in broken files).
const MAX_CHAIN: usize = 32;

/// What a paragraph style makes a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    /// A heading of level 1–9 in the document.
    Heading(u8),
    /// The document's title ("Rubrik" in Swedish Word, "Title" in English).
    Title,
    /// A line of a table of contents (dropped: the site has its own).
    Contents,
    /// Anything else.
    Body,
}

#[derive(Debug, Default, Clone)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    num: Option<(String, u8)>,
    bold: Option<bool>,
    italic: Option<bool>,
}

/// The document's styles by id.
#[derive(Debug, Default)]
pub(crate) struct Styles {
    by_id: HashMap<String, Style>,
}

/// `true` unless a toggle property says `w:val="0"`/`false`/`off`.
pub(crate) fn on(e: &Element) -> bool {
    !matches!(e.attr("w:val"), Some("0" | "false" | "off" | "none"))
}

impl Styles {
    /// Read `styles.xml` (none: no styles).
    pub(crate) fn parse(root: Option<&Element>) -> Styles {
        let mut by_id = HashMap::new();
        let Some(root) = root else {
            return Styles { by_id };
        };
        for s in root.elements().filter(|e| e.name == "w:style") {
            let Some(id) = s.attr("w:styleId") else { continue };
            let ppr = s.child("w:pPr");
            let rpr = s.child("w:rPr");
            let num = ppr.and_then(|p| p.child("w:numPr")).and_then(|n| {
                let id = n.child_val("w:numId")?.to_string();
                let level = n.child_val("w:ilvl").and_then(|l| l.parse().ok()).unwrap_or(0);
                Some((id, level))
            });
            let style = Style {
                name: s.child_val("w:name").unwrap_or(id).to_string(),
                based_on: s.child_val("w:basedOn").map(str::to_string),
                outline: ppr
                    .and_then(|p| p.child_val("w:outlineLvl"))
                    .and_then(|v| v.parse::<u8>().ok()),
                num,
                bold: rpr.and_then(|r| r.child("w:b")).map(on),
                italic: rpr.and_then(|r| r.child("w:i")).map(on),
            };
            by_id.insert(id.to_string(), style);
        }
        Styles { by_id }
    }

    /// The styles from `id` up its `basedOn` chain.
    fn chain<'a>(&'a self, id: &str) -> Vec<&'a Style> {
        let mut out = Vec::new();
        let mut next = Some(id.to_string());
        while let Some(id) = next {
            let Some(style) = self.by_id.get(&id) else { break };
            if out.len() >= MAX_CHAIN {
                break;
            }
            out.push(style);
            next = style.based_on.clone();
        }
        out
    }

    /// What the paragraph style `id` makes a paragraph: the first style up the chain whose name
    /// or outline level says so decides.
    pub(crate) fn role(&self, id: &str) -> Role {
        for style in self.chain(id) {
            if let Some(role) = role_of_name(&style.name) {
                return role;
            }
            if let Some(level) = style.outline.filter(|l| *l < 9) {
                return Role::Heading(level + 1);
            }
        }
        // A style id Word itself uses, with no name found above (a style left undefined).
        role_of_name(id).unwrap_or(Role::Body)
    }

    /// The list numbering the style `id` carries (`numId`, level), through `basedOn`.
    pub(crate) fn numbering(&self, id: &str) -> Option<(String, u8)> {
        self.chain(id).into_iter().find_map(|s| s.num.clone())
    }

    /// Bold and italic of a character style (e.g. "Strong"/"Stark"), through `basedOn`.
    pub(crate) fn emphasis(&self, id: &str) -> (bool, bool) {
        let chain = self.chain(id);
        let name = chain.first().map(|s| s.name.to_lowercase()).unwrap_or_default();
        let bold =
            chain.iter().find_map(|s| s.bold).unwrap_or(false) || matches!(name.as_str(), "strong" | "stark" | "fet");
        let italic = chain.iter().find_map(|s| s.italic).unwrap_or(false)
            || matches!(name.as_str(), "emphasis" | "betoning" | "kursiv");
        (bold, italic)
    }
}

/// The role a style name (or a built-in style id) says, in the languages Word names them in.
fn role_of_name(name: &str) -> Option<Role> {
    let lower = name.trim().to_lowercase();
    let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    if matches!(compact.as_str(), "title" | "rubrik" | "titel" | "tittel" | "titre") {
        return Some(Role::Title);
    }
    for word in [
        "heading",
        "rubrik",
        "överskrift",
        "overskrift",
        "überschrift",
        "otsikko",
        "titre",
        "kop",
    ] {
        if let Some(rest) = compact.strip_prefix(word) {
            if let Ok(level @ 1..=9) = rest.parse::<u8>() {
                return Some(Role::Heading(level));
            }
        }
    }
    for word in [
        "toc",
        "innehåll",
        "innehållsförteckning",
        "verzeichnis",
        "sisällysluettelo",
    ] {
        if let Some(rest) = compact.strip_prefix(word) {
            if rest.parse::<u8>().is_ok() || rest == "heading" || rest.is_empty() {
                return Some(Role::Contents);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styles(xml: &str) -> Styles {
        let root = super::super::xml::parse(xml.as_bytes(), "styles.xml").unwrap();
        Styles::parse(Some(&root))
    }

    #[test]
    fn headings_by_name_outline_and_based_on() {
        let s = styles(
            r#"<w:styles>
            <w:style w:styleId="Rubrik1"><w:name w:val="Rubrik 1"/></w:style>
            <w:style w:styleId="Heading2"><w:name w:val="heading 2"/></w:style>
            <w:style w:styleId="Policy"><w:name w:val="Policyrubrik"/><w:basedOn w:val="Rubrik1"/></w:style>
            <w:style w:styleId="Egen"><w:name w:val="Min rubrik"/><w:pPr><w:outlineLvl w:val="2"/></w:pPr></w:style>
            <w:style w:styleId="Titel"><w:name w:val="Rubrik"/></w:style>
            <w:style w:styleId="Slinga"><w:name w:val="Slinga"/><w:basedOn w:val="Slinga"/></w:style>
            <w:style w:styleId="TOC1"><w:name w:val="toc 1"/></w:style>
            </w:styles>"#,
        );
        assert_eq!(s.role("Rubrik1"), Role::Heading(1));
        assert_eq!(s.role("Heading2"), Role::Heading(2));
        assert_eq!(s.role("Policy"), Role::Heading(1));
        assert_eq!(s.role("Egen"), Role::Heading(3));
        assert_eq!(s.role("Titel"), Role::Title);
        assert_eq!(s.role("Slinga"), Role::Body);
        assert_eq!(s.role("TOC1"), Role::Contents);
        assert_eq!(s.role("Heading3"), Role::Heading(3));
        assert_eq!(s.role("Normal"), Role::Body);
    }
}
