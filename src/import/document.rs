//! `word/document.xml` (with its notes and relationships) into the importer's blocks: paragraph
//! styles through `styles`, lists through `numbering`, runs with bold and italic, hyperlinks
//! (to addresses and to bookmarks), footnotes and endnotes, images, tables with their header
//! row. Tracked changes are counted and, as asked, accepted or rejected; comments are counted
//! and dropped; page breaks, soft hyphens and hidden text are dropped; non-breaking spaces are
//! kept only between digits (`5 000`), where the build wants them.

use std::collections::HashMap;

use super::inline_text::tidy;
use super::model::{Block, ImageRef, Inline, ListItem, Parsed, Table, Target};
use super::numbering::{ListKind, Numbering};
use super::styles::{on, Role, Styles};
use super::xml::Element;

/// What to do with tracked changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changes {
    /// Count them (the import is refused when there are any).
    Refuse,
    /// Keep insertions, drop deletions.
    Accept,
    /// Drop insertions, keep deletions.
    Reject,
}

/// A relationship of `document.xml`: its target and whether it is outside the file.
#[derive(Debug, Clone)]
pub(crate) struct Rel {
    pub(crate) target: String,
    pub(crate) external: bool,
}

/// The relationships by id, from `word/_rels/document.xml.rels`.
pub(crate) fn relationships(root: Option<&Element>) -> HashMap<String, Rel> {
    let mut out = HashMap::new();
    for r in root.iter().flat_map(|r| r.elements()) {
        if let (Some(id), Some(target)) = (r.attr("Id"), r.attr("Target")) {
            let external = r.attr("TargetMode") == Some("External");
            out.insert(
                id.to_string(),
                Rel {
                    target: target.to_string(),
                    external,
                },
            );
        }
    }
    out
}

/// The parts a walk reads from.
pub(crate) struct Parts<'a> {
    pub(crate) styles: &'a Styles,
    pub(crate) numbering: &'a Numbering,
    pub(crate) rels: &'a HashMap<String, Rel>,
    pub(crate) footnotes: Option<&'a Element>,
    pub(crate) endnotes: Option<&'a Element>,
}

struct Walker<'a> {
    parts: Parts<'a>,
    changes: Changes,
    parsed: Parsed,
    /// ("f"|"e", id) → index in `parsed.notes`.
    note_index: HashMap<(char, String), usize>,
    contents_dropped: bool,
    depth: usize,
}

/// Read the body of `document` into `Parsed`.
pub(crate) fn read(document: &Element, parts: Parts<'_>, changes: Changes) -> Parsed {
    let mut w = Walker {
        parts,
        changes,
        parsed: Parsed::default(),
        note_index: HashMap::new(),
        contents_dropped: false,
        depth: 0,
    };
    if let Some(body) = document.child("w:body") {
        let mut blocks = Vec::new();
        w.blocks(body, &mut blocks);
        w.parsed.blocks = blocks;
    }
    if w.contents_dropped {
        w.parsed
            .warnings
            .push("Innehållsförteckningen togs bort: webbplatsen visar sidans rubriker själv.".into());
    }
    w.parsed
}

impl Walker<'_> {
    fn blocks(&mut self, parent: &Element, out: &mut Vec<Block>) {
        self.depth += 1;
        if self.depth > 64 {
            self.depth -= 1;
            return;
        }
        for e in parent.elements() {
            match e.name.as_str() {
                "w:p" => {
                    if let Some(block) = self.paragraph(e) {
                        out.push(block);
                    }
                }
                "w:tbl" => {
                    if let Some(table) = self.table(e) {
                        out.push(Block::Table(table));
                    }
                }
                "w:ins" | "w:moveTo" => {
                    self.parsed.changes += 1;
                    if self.changes != Changes::Reject {
                        self.blocks(e, out);
                    }
                }
                "w:del" | "w:moveFrom" => {
                    self.parsed.changes += 1;
                    if self.changes == Changes::Reject {
                        self.blocks(e, out);
                    }
                }
                "w:sdt" | "w:sdtContent" | "w:customXml" => self.blocks(e, out),
                _ => {}
            }
        }
        self.depth -= 1;
    }

    fn paragraph(&mut self, p: &Element) -> Option<Block> {
        let ppr = p.child("w:pPr");
        let style = ppr.and_then(|p| p.child_val("w:pStyle")).unwrap_or("");
        if let Some(mark) = ppr.and_then(|p| p.child("w:rPr")) {
            self.parsed.changes += mark
                .elements()
                .filter(|e| e.name == "w:ins" || e.name == "w:del")
                .count();
        }
        let mut role = self.parts.styles.role(style);
        if let Some(level) = ppr
            .and_then(|p| p.child_val("w:outlineLvl"))
            .and_then(|v| v.parse::<u8>().ok())
        {
            if level < 9 {
                role = Role::Heading(level + 1);
            }
        }
        let mut inlines = Vec::new();
        let mut anchors = Vec::new();
        self.inlines(p, &mut inlines, &mut anchors, (false, false));
        let inlines = tidy(inlines);
        if inlines.is_empty() {
            return None;
        }
        match role {
            Role::Contents => {
                self.contents_dropped = true;
                None
            }
            Role::Title => Some(Block::Title(inlines)),
            Role::Heading(level) => Some(Block::Heading {
                level,
                inlines,
                anchors,
            }),
            Role::Body => {
                let num = ppr
                    .and_then(|p| p.child("w:numPr"))
                    .and_then(|n| {
                        let id = n.child_val("w:numId")?.to_string();
                        let level = n.child_val("w:ilvl").and_then(|l| l.parse().ok()).unwrap_or(0);
                        Some((id, level))
                    })
                    .or_else(|| self.parts.styles.numbering(style));
                let list = num.and_then(|(id, level)| {
                    self.parts.numbering.kind(&id, level).map(|kind| ListItem {
                        start: match kind {
                            ListKind::Bullet => None,
                            ListKind::Ordered(n) => Some(n),
                        },
                        level,
                    })
                });
                Some(Block::Paragraph { inlines, list, anchors })
            }
        }
    }

    /// The inline content below `parent` into `out`; `fmt` is (bold, italic) from above.
    fn inlines(&mut self, parent: &Element, out: &mut Vec<Inline>, anchors: &mut Vec<String>, fmt: (bool, bool)) {
        self.depth += 1;
        if self.depth > 64 {
            self.depth -= 1;
            return;
        }
        for e in parent.elements() {
            match e.name.as_str() {
                "w:pPr" | "w:rPr" | "w:proofErr" | "w:commentRangeStart" | "w:commentRangeEnd" | "w:bookmarkEnd" => {}
                "w:r" => self.run(e, out, fmt),
                "w:bookmarkStart" => {
                    if let Some(name) = e.attr("w:name").filter(|n| *n != "_GoBack") {
                        anchors.push(name.to_string());
                    }
                }
                "w:hyperlink" => {
                    let target = match (e.attr("r:id"), e.attr("w:anchor")) {
                        (Some(id), anchor) => self.parts.rels.get(id).map(|rel| {
                            let mut url = rel.target.clone();
                            if let Some(a) = anchor {
                                url.push('#');
                                url.push_str(a);
                            }
                            Target::Url(url)
                        }),
                        (None, Some(anchor)) => Some(Target::Bookmark(anchor.to_string())),
                        (None, None) => None,
                    };
                    let mut inner = Vec::new();
                    self.inlines(e, &mut inner, anchors, fmt);
                    match target {
                        Some(target) => out.push(Inline::Link { target, inlines: inner }),
                        None => out.extend(inner),
                    }
                }
                "w:ins" | "w:moveTo" => {
                    self.parsed.changes += 1;
                    if self.changes != Changes::Reject {
                        self.inlines(e, out, anchors, fmt);
                    }
                }
                "w:del" | "w:moveFrom" => {
                    self.parsed.changes += 1;
                    if self.changes == Changes::Reject {
                        self.inlines(e, out, anchors, fmt);
                    }
                }
                "mc:AlternateContent" => {
                    if let Some(choice) = e.child("mc:Choice").or_else(|| e.child("mc:Fallback")) {
                        self.inlines(choice, out, anchors, fmt);
                    }
                }
                _ => self.inlines(e, out, anchors, fmt),
            }
        }
        self.depth -= 1;
    }

    fn run(&mut self, r: &Element, out: &mut Vec<Inline>, fmt: (bool, bool)) {
        let (mut bold, mut italic) = fmt;
        if let Some(rpr) = r.child("w:rPr") {
            if rpr.child("w:vanish").is_some_and(on) {
                return;
            }
            if let Some(style) = rpr.child_val("w:rStyle") {
                let (b, i) = self.parts.styles.emphasis(style);
                bold |= b;
                italic |= i;
            }
            if let Some(b) = rpr.child("w:b") {
                bold = on(b);
            }
            if let Some(i) = rpr.child("w:i") {
                italic = on(i);
            }
        }
        let text = |out: &mut Vec<Inline>, s: &str| {
            out.push(Inline::Text {
                text: s.to_string(),
                bold,
                italic,
            });
        };
        for e in r.elements() {
            match e.name.as_str() {
                "w:t" | "w:delText" => text(out, &e.text()),
                "w:tab" | "w:ptab" => text(out, " "),
                "w:noBreakHyphen" => text(out, "-"),
                // Page and column breaks are dropped: the site has no pages.
                "w:br" | "w:cr" if !matches!(e.attr("w:type"), Some("page" | "column")) => out.push(Inline::Break),
                "w:footnoteReference" => self.note(e, 'f', out),
                "w:endnoteReference" => self.note(e, 'e', out),
                "w:commentReference" => self.parsed.comments += 1,
                "w:drawing" | "w:pict" | "w:object" => self.image(e, out),
                "mc:AlternateContent" => {
                    if let Some(choice) = e.child("mc:Choice") {
                        for inner in choice.elements() {
                            if matches!(inner.name.as_str(), "w:drawing" | "w:pict") {
                                self.image(inner, out);
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn note(&mut self, e: &Element, kind: char, out: &mut Vec<Inline>) {
        let Some(id) = e.attr("w:id") else { return };
        let key = (kind, id.to_string());
        if let Some(&index) = self.note_index.get(&key) {
            out.push(Inline::Note(index));
            return;
        }
        let (part, name) = match kind {
            'f' => (self.parts.footnotes, "w:footnote"),
            _ => (self.parts.endnotes, "w:endnote"),
        };
        let Some(note) = part.and_then(|p| p.elements().find(|n| n.name == name && n.attr("w:id") == Some(id))) else {
            return;
        };
        let mut inlines = Vec::new();
        let mut anchors = Vec::new();
        for (i, p) in note.elements().filter(|p| p.name == "w:p").enumerate() {
            if i > 0 {
                inlines.push(Inline::Text {
                    text: " ".into(),
                    bold: false,
                    italic: false,
                });
            }
            self.inlines(p, &mut inlines, &mut anchors, (false, false));
        }
        let index = self.parsed.notes.len();
        self.parsed.notes.push(tidy(inlines));
        self.note_index.insert(key, index);
        out.push(Inline::Note(index));
    }

    fn image(&mut self, e: &Element, out: &mut Vec<Inline>) {
        let mut blips = Vec::new();
        e.descendants("a:blip", &mut blips);
        let mut vml = Vec::new();
        e.descendants("v:imagedata", &mut vml);
        let id = blips
            .first()
            .and_then(|b| b.attr("r:embed"))
            .or_else(|| vml.first().and_then(|v| v.attr("r:id")));
        let Some(id) = id else {
            // A text box or a shape: its paragraphs' text is kept, the shape is not.
            let mut boxes = Vec::new();
            e.descendants("w:txbxContent", &mut boxes);
            for b in boxes {
                let mut anchors = Vec::new();
                self.inlines(b, out, &mut anchors, (false, false));
            }
            return;
        };
        let Some(rel) = self.parts.rels.get(id) else { return };
        if rel.external {
            self.parsed.warnings.push(format!(
                "En bild som dokumentet hämtar utifrån ({}) togs inte med: lägg in bilden i dokumentet i stället.",
                rel.target
            ));
            return;
        }
        let mut doc_pr = Vec::new();
        e.descendants("wp:docPr", &mut doc_pr);
        let alt = doc_pr
            .first()
            .and_then(|d| d.attr("descr"))
            .map(|d| d.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|d| !d.is_empty());
        let entry = join_part("word", &rel.target);
        self.parsed.images.push(ImageRef { entry, alt });
        out.push(Inline::Image(self.parsed.images.len() - 1));
    }

    fn table(&mut self, t: &Element) -> Option<Table> {
        let mut rows = Vec::new();
        let mut header = false;
        let mut merged = false;
        for (i, tr) in t.elements().filter(|e| e.name == "w:tr").enumerate() {
            if i == 0 {
                header = tr.child("w:trPr").and_then(|p| p.child("w:tblHeader")).is_some_and(on);
            }
            let mut row = Vec::new();
            for tc in tr.elements().filter(|e| e.name == "w:tc" || e.name == "w:sdt") {
                let tc = if tc.name == "w:sdt" {
                    match tc.child("w:sdtContent").and_then(|c| c.child("w:tc")) {
                        Some(c) => c,
                        None => continue,
                    }
                } else {
                    tc
                };
                let tcpr = tc.child("w:tcPr");
                let span = tcpr
                    .and_then(|p| p.child_val("w:gridSpan"))
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(1)
                    .clamp(1, 64);
                let continued = tcpr
                    .and_then(|p| p.child("w:vMerge"))
                    .is_some_and(|m| m.attr("w:val").unwrap_or("continue") == "continue");
                let mut cell = Vec::new();
                if continued {
                    merged = true;
                } else {
                    let mut blocks = Vec::new();
                    self.blocks(tc, &mut blocks);
                    for (n, b) in blocks.into_iter().enumerate() {
                        if n > 0 {
                            cell.push(Inline::Text {
                                text: " ".into(),
                                bold: false,
                                italic: false,
                            });
                        }
                        match b {
                            Block::Heading { inlines, .. } | Block::Title(inlines) => cell.extend(inlines),
                            Block::Paragraph { inlines, .. } => cell.extend(inlines),
                            Block::Table(inner) => {
                                merged = true;
                                for r in inner.rows {
                                    for c in r {
                                        cell.extend(c);
                                        cell.push(Inline::Text {
                                            text: " ".into(),
                                            bold: false,
                                            italic: false,
                                        });
                                    }
                                }
                            }
                            Block::Form(_) => {}
                        }
                    }
                }
                row.push(tidy(cell));
                if span > 1 {
                    merged = true;
                    row.extend(std::iter::repeat_n(Vec::new(), span - 1));
                }
            }
            rows.push(row);
        }
        let width = rows.iter().map(Vec::len).max().unwrap_or(0);
        if width == 0 {
            return None;
        }
        for row in &mut rows {
            row.resize(width, Vec::new());
        }
        Some(Table { rows, header, merged })
    }
}

/// `base/target` with `..` resolved (relationship targets are relative to the part's folder).
fn join_part(base: &str, target: &str) -> String {
    if let Some(absolute) = target.strip_prefix('/') {
        return absolute.to_string();
    }
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for p in target.split('/') {
        match p {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            p => parts.push(p),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relationship_targets_are_joined() {
        assert_eq!(join_part("word", "media/image1.png"), "word/media/image1.png");
        assert_eq!(join_part("word", "../media/a.png"), "media/a.png");
        assert_eq!(join_part("word", "/word/media/a.png"), "word/media/a.png");
    }
}
