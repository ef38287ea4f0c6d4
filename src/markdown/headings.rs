//! Heading pass: give every heading a stable, unique id (written `{#id}` or slugified from its
//! text with å/ä/ö transliterated) and an anchor link that screen readers skip.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::slug::slugify;

/// One heading of a page, for the contents list, anchor checking and search.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// Assign ids and replace heading tags with HTML that carries them. Returns the headings in order.
pub fn assign_ids(events: &mut [(Event<'_>, Range<usize>)], reserved: &[String]) -> Vec<Heading> {
    let mut ids = HeadingIds::new(reserved);
    ids.assign(events);
    ids.headings
}

/// Heading ids for a page rendered a top-level block at a time: remembers the ids given so far.
pub struct HeadingIds {
    used: HashMap<String, usize>,
    /// Every heading seen so far, in order.
    pub headings: Vec<Heading>,
}

impl HeadingIds {
    /// Ids in `reserved` are never given to a heading.
    pub fn new(reserved: &[String]) -> HeadingIds {
        HeadingIds {
            used: reserved.iter().map(|r| (r.clone(), 1)).collect(),
            headings: Vec::new(),
        }
    }

    /// Give the headings in `events` their ids and replace their tags with HTML that carries them.
    pub fn assign(&mut self, events: &mut [(Event<'_>, Range<usize>)]) {
        let mut i = 0;
        while i < events.len() {
            let Event::Start(Tag::Heading { level, id, classes, .. }) = &events[i].0 else {
                i += 1;
                continue;
            };
            let level = *level as u8;
            let given_id = id.as_ref().map(|s| s.to_string());
            let classes: Vec<String> = classes.iter().map(|c| c.to_string()).collect();
            let end = (i..events.len())
                .find(|&j| matches!(events[j].0, Event::End(TagEnd::Heading(_))))
                .unwrap_or(events.len() - 1);
            let text = plain_text(&events[i + 1..end]);
            let base = given_id.unwrap_or_else(|| {
                let s = slugify(&text);
                if s.is_empty() {
                    "rubrik".to_string()
                } else {
                    s
                }
            });
            let id = unique(&mut self.used, base);
            let class_attr = if classes.is_empty() {
                String::new()
            } else {
                format!(" class=\"{}\"", crate::html::escape(&classes.join(" ")))
            };
            let id_html = crate::html::escape(&id);
            events[i].0 = Event::Html(CowStr::from(format!(
                "<h{level} id=\"{id_html}\"{class_attr}><a class=\"heading-anchor\" href=\"#{id_html}\" aria-hidden=\"true\" tabindex=\"-1\">#</a>"
            )));
            events[end].0 = Event::Html(CowStr::from(format!("</h{level}>\n")));
            self.headings.push(Heading { level, id, text });
            i = end + 1;
        }
    }
}

fn unique(used: &mut HashMap<String, usize>, base: String) -> String {
    let count = used.entry(base.clone()).or_insert(0);
    *count += 1;
    if *count == 1 {
        return base;
    }
    let mut n = *count;
    loop {
        let candidate = format!("{base}-{n}");
        if !used.contains_key(&candidate) {
            used.insert(candidate.clone(), 1);
            return candidate;
        }
        n += 1;
    }
}

/// The text of a run of inline events, without markup.
pub fn plain_text(events: &[(Event<'_>, Range<usize>)]) -> String {
    let mut text = String::new();
    for (event, _) in events {
        match event {
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    text.trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{Options, Parser};

    fn ids(md: &str) -> Vec<String> {
        let mut events: Vec<_> = Parser::new_ext(md, Options::ENABLE_HEADING_ATTRIBUTES)
            .into_offset_iter()
            .collect();
        assign_ids(&mut events, &[]).into_iter().map(|h| h.id).collect()
    }

    #[test]
    fn ids_are_transliterated_and_unique() {
        assert_eq!(
            ids("# Öppenhet\n## Lön\n## Lön\n## Lön-2\n### Egen {#egen}\n"),
            vec!["oppenhet", "lon", "lon-2", "lon-2-2", "egen"]
        );
    }
}
