//! Footnotes, gathered at the end of the page: numbered in the order they are first referred
//! to, each with a link back to every place that refers to it. Ids come from the page's id
//! registry, so they are valid (no spaces) and never collide with a heading's or the theme's.
//!
//! The rewriter hands definitions (`[^x]: …`) here as it meets them and asks for numbers and
//! ids at each reference (`[^x]`); at the end of the page [`Footnotes::section`] gives the
//! events of the footnote section, made of the definitions' own events (so their links, quotes
//! and raw HTML are treated like the rest of the page) and handbok's markup around them.

use std::collections::HashMap;
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use super::headings::HeadingIds;

type Located<'a> = (Event<'a>, Range<usize>);

/// A footnote definition: its label, where it is written, and its content's events.
struct Definition<'a> {
    label: String,
    at: Range<usize>,
    events: Vec<Located<'a>>,
}

/// One reference: the note it refers to and its own id.
pub(super) struct Reference {
    pub number: usize,
    /// The id of the reference (the back-link's target).
    pub id: String,
    /// The id of the note in the footnote section.
    pub note_id: String,
    /// The id of the section's heading, which describes every reference.
    pub heading_id: String,
}

/// What the page's footnotes need to become a section.
#[derive(Default)]
pub(super) struct Footnotes<'a> {
    definitions: Vec<Definition<'a>>,
    /// Label → number, in the order of first reference.
    numbers: HashMap<String, usize>,
    /// Per number (0-based): the note's id and the ids of the references to it.
    notes: Vec<(String, Vec<String>)>,
    heading_id: Option<String>,
}

/// Markup around the notes, from the theme.
pub(super) struct SectionMarkup {
    pub start: String,
    /// Per note: its start, and the back-links that go in its last paragraph.
    pub notes: Vec<(String, String)>,
    pub note_end: String,
    pub end: String,
}

impl<'a> Footnotes<'a> {
    /// Take the footnote definitions out of `block` (at any depth), keeping the rest.
    pub(super) fn take_definitions(&mut self, block: &mut Vec<Located<'a>>) {
        let mut i = 0;
        while i < block.len() {
            let Event::Start(Tag::FootnoteDefinition(label)) = &block[i].0 else {
                i += 1;
                continue;
            };
            let label = label.to_string();
            let mut depth = 0;
            let end = (i..block.len())
                .find(|&j| {
                    match &block[j].0 {
                        Event::Start(_) => depth += 1,
                        Event::End(_) => depth -= 1,
                        _ => {}
                    }
                    depth == 0
                })
                .unwrap_or(block.len() - 1);
            let mut events: Vec<Located<'a>> = block.drain(i..=end).collect();
            let at = events[0].1.clone();
            events.remove(0);
            if matches!(events.last(), Some((Event::End(TagEnd::FootnoteDefinition), _))) {
                events.pop();
            }
            self.definitions.push(Definition { label, at, events });
        }
    }

    /// The number and ids for a reference to `label`, claiming ids in `ids`.
    pub(super) fn refer(&mut self, label: &str, ids: &mut HeadingIds) -> Reference {
        let heading_id = self.heading_id.get_or_insert_with(|| ids.claim("fotnoter")).clone();
        let count = self.notes.len();
        let number = *self.numbers.entry(label.to_string()).or_insert(count + 1);
        if number > self.notes.len() {
            self.notes.push((ids.claim(&format!("fotnot-{number}")), Vec::new()));
        }
        let reference_id = ids.claim(&format!("fotnot-ref-{number}"));
        let (note_id, refs) = &mut self.notes[number - 1];
        refs.push(reference_id.clone());
        Reference {
            number,
            id: reference_id,
            note_id: note_id.clone(),
            heading_id,
        }
    }

    /// Definitions whose label an earlier definition already has (only the first is shown):
    /// their label and where both are written.
    pub(super) fn duplicates(&self) -> Vec<(&str, Range<usize>, Range<usize>)> {
        let mut seen: HashMap<&str, &Range<usize>> = HashMap::new();
        let mut found = Vec::new();
        for d in &self.definitions {
            match seen.get(d.label.as_str()) {
                Some(first) => found.push((d.label.as_str(), d.at.clone(), (*first).clone())),
                None => {
                    seen.insert(&d.label, &d.at);
                }
            }
        }
        found
    }

    /// Definitions nobody refers to: their label and where they are written.
    pub(super) fn unreferenced(&self) -> Vec<(&str, Range<usize>)> {
        self.definitions
            .iter()
            .filter(|d| !self.numbers.contains_key(&d.label))
            .map(|d| (d.label.as_str(), d.at.clone()))
            .collect()
    }

    /// `true` when the page has footnotes to gather.
    pub(super) fn is_empty(&self) -> bool {
        self.definitions.is_empty()
    }

    /// Numbers for the notes no reference numbered, after the others, with their ids.
    fn number_the_rest(&mut self, ids: &mut HeadingIds) {
        self.heading_id.get_or_insert_with(|| ids.claim("fotnoter"));
        for d in &self.definitions {
            if !self.numbers.contains_key(&d.label) {
                let number = self.notes.len() + 1;
                self.numbers.insert(d.label.clone(), number);
                self.notes.push((ids.claim(&format!("fotnot-{number}")), Vec::new()));
            }
        }
    }

    /// What the section markup is made from: the heading id, and per note in number order its
    /// number, id and reference ids.
    pub(super) fn plan(&mut self, ids: &mut HeadingIds) -> (String, Vec<(usize, String, Vec<String>)>) {
        self.number_the_rest(ids);
        let notes = self
            .notes
            .iter()
            .enumerate()
            .map(|(i, (id, refs))| (i + 1, id.clone(), refs.clone()))
            .collect();
        (self.heading_id.clone().unwrap_or_default(), notes)
    }

    /// The footnote section's events: `markup` around each definition's own events, in number
    /// order, the back-links inside each note's last paragraph. Markup events are `true` in the
    /// second list (handbok's own HTML, not the author's).
    pub(super) fn section(&mut self, markup: SectionMarkup) -> (Vec<Located<'a>>, Vec<bool>) {
        let mut by_number: Vec<Option<Definition<'a>>> = (0..self.notes.len()).map(|_| None).collect();
        for d in std::mem::take(&mut self.definitions) {
            if let Some(&n) = self.numbers.get(&d.label) {
                by_number[n - 1].get_or_insert(d);
            }
        }
        let own = |html: String, at: &Range<usize>| (Event::Html(CowStr::from(html)), at.clone());
        let mut events = Vec::new();
        let mut generated = Vec::new();
        let mut push = |e: Located<'a>, is_markup: bool| {
            events.push(e);
            generated.push(is_markup);
        };
        let first = by_number.iter().flatten().next().map_or(0..0, |d| d.at.clone());
        push(own(markup.start, &first), true);
        for (definition, (note_start, backrefs)) in by_number.into_iter().zip(markup.notes) {
            let Some(mut d) = definition else { continue };
            push(own(note_start, &d.at), true);
            let last_paragraph_end = d
                .events
                .iter()
                .rposition(|(e, _)| matches!(e, Event::End(TagEnd::Paragraph)));
            let backrefs = own(backrefs, &d.at);
            match last_paragraph_end {
                Some(at) => {
                    let tail = d.events.split_off(at);
                    d.events.into_iter().for_each(|e| push(e, false));
                    push(backrefs, true);
                    tail.into_iter().for_each(|e| push(e, false));
                }
                None => {
                    d.events.into_iter().for_each(|e| push(e, false));
                    push(backrefs, true);
                }
            }
            push(own(markup.note_end.clone(), &d.at), true);
        }
        push(own(markup.end, &first), true);
        (events, generated)
    }
}
