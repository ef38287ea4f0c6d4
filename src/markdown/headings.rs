//! Heading pass: give every heading a stable, unique id (written `{#id}` or slugified from its
//! text with å/ä/ö transliterated) and record it with its text and source position, for the
//! contents list, anchor checks, the heading-level lint and search.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{Event, Tag, TagEnd};

use crate::slug::slugify;
use crate::text::{find_invisible, strip_invisible, Typography};

/// One heading of a page.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heading {
    /// 1–6.
    pub level: u8,
    /// The id its anchor links to.
    pub id: String,
    /// Its text, without markup.
    pub text: String,
    /// 1-based line of the heading in the page's file.
    pub line: usize,
    /// 1-based column of the heading's first character.
    pub column: usize,
}

/// Where a heading's start and end events are in a block of events, and what they become.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HeadingSpan {
    pub start: usize,
    pub end: usize,
    pub level: u8,
    pub id: String,
    /// The classes written `{.class}`, space separated.
    pub classes: String,
    /// An invisible character that was in the heading's text (and is left out), by name.
    pub invisible: Option<String>,
}

/// Heading ids for a page rendered a top-level block at a time: remembers the ids given so far.
pub(crate) struct HeadingIds {
    used: HashMap<String, usize>,
    /// The site's language, for the headings' typographic quotes.
    language: String,
    /// Every heading seen so far, in order.
    pub headings: Vec<Heading>,
}

impl HeadingIds {
    /// Ids in `reserved` are never given to a heading; heading texts get `language`'s quotes.
    pub(super) fn new(reserved: &[&str], language: &str) -> HeadingIds {
        HeadingIds {
            used: reserved.iter().map(|r| (r.to_string(), 1)).collect(),
            language: language.to_string(),
            headings: Vec::new(),
        }
    }

    /// A unique id made from `base`, for other elements than headings (footnotes, checklist
    /// items), so they never take a heading's id or the other way round.
    pub(super) fn claim(&mut self, base: &str) -> String {
        unique(&mut self.used, base.to_string())
    }

    /// Find the headings in `events`, give each an id, and record it with the position
    /// `locate` gives for its source range.
    pub(super) fn assign(
        &mut self,
        events: &[(Event<'_>, Range<usize>)],
        locate: impl Fn(&Range<usize>) -> (usize, usize),
    ) -> Vec<HeadingSpan> {
        let mut spans = Vec::new();
        let mut i = 0;
        while i < events.len() {
            let Event::Start(Tag::Heading { level, id, classes, .. }) = &events[i].0 else {
                i += 1;
                continue;
            };
            let level = *level as u8;
            let end = (i..events.len())
                .find(|&j| matches!(events[j].0, Event::End(TagEnd::Heading(_))))
                .unwrap_or(events.len() - 1);
            let written = plain_text(&events[i + 1..end]);
            let invisible = find_invisible(&written).map(|(_, _, name)| name);
            let text = strip_invisible(&written).into_owned();
            let base = match id {
                Some(given) => given.to_string(),
                None => match slugify(&text) {
                    s if s.is_empty() => "rubrik".to_string(),
                    s => s,
                },
            };
            let id = unique(&mut self.used, base);
            let (line, column) = locate(&events[i].1);
            spans.push(HeadingSpan {
                start: i,
                end,
                level,
                id: id.clone(),
                classes: classes.iter().map(|c| c.as_ref()).collect::<Vec<_>>().join(" "),
                invisible,
            });
            self.headings.push(Heading {
                level,
                id,
                // As the heading shows it (the contents list and search spell it the same).
                text: Typography::text(&self.language, &text),
                line,
                column,
            });
            i = end + 1;
        }
        spans
    }
}

/// The id for the next heading with this base: the base itself the first time, then `base-2`,
/// `base-3`… skipping any id already taken. Import uses it too, so its `#anchor` links match.
pub(crate) fn unique(used: &mut HashMap<String, usize>, base: String) -> String {
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
pub(crate) fn plain_text(events: &[(Event<'_>, Range<usize>)]) -> String {
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

    fn ids(md: &str) -> Vec<(String, usize)> {
        let events: Vec<_> = Parser::new_ext(md, Options::ENABLE_HEADING_ATTRIBUTES)
            .into_offset_iter()
            .collect();
        let mut ids = HeadingIds::new(&[], "sv");
        let line_of = |r: &Range<usize>| (md[..r.start].matches('\n').count() + 1, 1);
        ids.assign(&events, line_of);
        ids.headings.into_iter().map(|h| (h.id, h.line)).collect()
    }

    #[test]
    fn ids_are_transliterated_and_unique_with_their_lines() {
        let found = ids("# Öppenhet\n## Lön\n## Lön\n## Lön-2\n### Egen {#egen}\n");
        let names: Vec<&str> = found.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(names, ["oppenhet", "lon", "lon-2", "lon-2-2", "egen"]);
        assert_eq!(found[4].1, 5);
    }
}
