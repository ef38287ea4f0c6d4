//! The one XML reader of the importer: a part of the .docx (already inflated and size-capped by
//! `archive`) into a small element tree. quick-xml never expands entities beyond XML's own five
//! and character references; a document type declaration (`<!DOCTYPE`, where external entities
//! and "billion laughs" live) is refused outright, and the tree's depth is bounded.

use quick_xml::events::Event;
use quick_xml::Reader;

use super::ImportError;

/// Deepest nesting accepted (Word's own documents stay far below; tables in tables add ~6).
const MAX_DEPTH: usize = 256;

/// An element: its qualified name as written (`w:p`), attributes and children.
#[derive(Debug, Default, Clone)]
pub(crate) struct Element {
    pub(crate) name: String,
    pub(crate) attrs: Vec<(String, String)>,
    pub(crate) children: Vec<Node>,
}

/// A child of an element.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    Element(Element),
    Text(String),
}

impl Element {
    /// The value of the attribute `name` (qualified, `w:val`).
    pub(crate) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// The child elements.
    pub(crate) fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }

    /// The first child element named `name`.
    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.elements().find(|e| e.name == name)
    }

    /// `w:val` of the child `name`, e.g. `pStyle` in a `w:pPr`.
    pub(crate) fn child_val(&self, name: &str) -> Option<&str> {
        self.child(name).and_then(|c| c.attr("w:val"))
    }

    /// Every descendant element named `name`, in document order.
    pub(crate) fn descendants<'a>(&'a self, name: &'a str, out: &mut Vec<&'a Element>) {
        for e in self.elements() {
            if e.name == name {
                out.push(e);
            }
            e.descendants(name, out);
        }
    }

    /// The text of every text node below, concatenated.
    pub(crate) fn text(&self) -> String {
        let mut out = String::new();
        self.push_text(&mut out);
        out
    }

    fn push_text(&self, out: &mut String) {
        for n in &self.children {
            match n {
                Node::Text(t) => out.push_str(t),
                Node::Element(e) => e.push_text(out),
            }
        }
    }
}

/// Parse `bytes` (the part named `part`, for messages) into its root element.
pub(crate) fn parse(bytes: &[u8], part: &str) -> Result<Element, ImportError> {
    let bad = |why: String| ImportError::BadXml {
        part: part.to_string(),
        why,
    };
    let text = std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes))
        .map_err(|_| bad("texten är inte UTF-8".into()))?;
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        let event = reader.read_event().map_err(|e| bad(e.to_string()))?;
        match event {
            Event::DocType(_) => return Err(ImportError::Doctype { part: part.to_string() }),
            Event::Start(start) => {
                if stack.len() > MAX_DEPTH {
                    return Err(bad(format!("nästlad djupare än {MAX_DEPTH} nivåer")));
                }
                stack.push(element(&start, part)?);
            }
            Event::Empty(start) => {
                let e = element(&start, part)?;
                push(&mut stack, Node::Element(e));
            }
            Event::End(_) => {
                let Some(done) = stack.pop() else {
                    return Err(bad("ett slutelement utan början".into()));
                };
                if stack.is_empty() {
                    return Err(bad("ett slutelement utan början".into()));
                }
                push(&mut stack, Node::Element(done));
            }
            Event::Text(t) => {
                let s = t.decode().map_err(|e| bad(e.to_string()))?;
                push(&mut stack, Node::Text(s.into_owned()));
            }
            Event::CData(t) => {
                let s = String::from_utf8_lossy(&t).into_owned();
                push(&mut stack, Node::Text(s));
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref().map_err(|e| bad(e.to_string()))? {
                    Some(c) => c.to_string(),
                    None => {
                        let name = r.decode().map_err(|e| bad(e.to_string()))?;
                        match name.as_ref() {
                            "amp" => "&".into(),
                            "lt" => "<".into(),
                            "gt" => ">".into(),
                            "quot" => "\"".into(),
                            "apos" => "'".into(),
                            other => return Err(bad(format!("okänd entitet &{other};"))),
                        }
                    }
                };
                push(&mut stack, Node::Text(c));
            }
            Event::Eof => break,
            Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
        }
    }
    if stack.len() != 1 {
        return Err(bad("filen tar slut mitt i ett element".into()));
    }
    let root = stack.pop().unwrap_or_default();
    root.children
        .into_iter()
        .find_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
        .ok_or_else(|| bad("inget rotelement".into()))
}

fn push(stack: &mut [Element], node: Node) {
    if let Some(top) = stack.last_mut() {
        // Adjacent text (split by entity references) is kept as one node.
        if let (Node::Text(new), Some(Node::Text(last))) = (&node, top.children.last_mut()) {
            last.push_str(new);
            return;
        }
        top.children.push(node);
    }
}

fn element(start: &quick_xml::events::BytesStart<'_>, part: &str) -> Result<Element, ImportError> {
    let bad = |why: String| ImportError::BadXml {
        part: part.to_string(),
        why,
    };
    let name = String::from_utf8_lossy(start.name().as_ref()).into_owned();
    let mut attrs = Vec::new();
    for a in start.attributes() {
        let a = a.map_err(|e| bad(e.to_string()))?;
        let key = String::from_utf8_lossy(a.key.as_ref()).into_owned();
        let value = a.unescape_value().map_err(|e| bad(e.to_string()))?.into_owned();
        attrs.push((key, value));
    }
    Ok(Element {
        name,
        attrs,
        children: Vec::new(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tree_with_entities_and_attributes() {
        let root = parse(b"<a x=\"1 &amp; 2\"><b>R&#xE4;ksm&#246;rg&aring;s</b><c/></a>", "t.xml");
        // `&aring;` is not one of XML's own entities: refused, never looked up.
        assert!(root.is_err());
        let root = parse(b"<a x=\"1 &amp; 2\"><b>R&#xE4;k &lt;3</b><c/></a>", "t.xml").unwrap();
        assert_eq!(root.attr("x"), Some("1 & 2"));
        assert_eq!(root.child("b").unwrap().text(), "Räk <3");
        assert!(root.child("c").is_some());
    }

    #[test]
    fn a_doctype_is_refused() {
        let lol =
            b"<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]><a>&lol2;</a>";
        assert!(matches!(parse(lol, "t.xml"), Err(ImportError::Doctype { .. })));
        let external = b"<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><a>&x;</a>";
        assert!(matches!(parse(external, "t.xml"), Err(ImportError::Doctype { .. })));
    }

    #[test]
    fn depth_is_bounded() {
        let deep = "<a>".repeat(MAX_DEPTH + 5) + &"</a>".repeat(MAX_DEPTH + 5);
        assert!(parse(deep.as_bytes(), "t.xml").is_err());
    }
}
