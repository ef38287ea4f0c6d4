//! The publication mark: a tag `handbok/publicering/<UTC time>` on the commit last delivered,
//! written only after a successful delivery. "Since the last publication" is measured from
//! the newest mark.

use gix::hash::ObjectId;
use gix::refs::transaction::PreviousValue;

use super::Message;

/// Where the marks live, below `refs/tags/`.
pub const PREFIX: &str = "handbok/publicering/";

/// The newest mark: its tag name (without `refs/tags/`) and the commit it points at.
pub fn last(repo: &gix::Repository) -> Option<(String, ObjectId)> {
    let refs = repo.references().ok()?;
    let mut newest: Option<(String, ObjectId)> = None;
    for reference in refs.tags().ok()?.flatten() {
        let name = reference.name().as_bstr().to_string();
        let Some(short) = name.strip_prefix("refs/tags/") else {
            continue;
        };
        if !short.starts_with(PREFIX) {
            continue;
        }
        let mut reference = reference;
        let Ok(commit) = reference.peel_to_id() else {
            continue;
        };
        if newest.as_ref().is_none_or(|(n, _)| short > n.as_str()) {
            newest = Some((short.to_string(), commit.detach()));
        }
    }
    newest
}

/// Mark `commit` as published now. Returns the tag name.
pub fn write(repo: &gix::Repository, commit: ObjectId, now_seconds: i64) -> Result<String, Message> {
    let stamp = utc_stamp(now_seconds);
    let mut last_error = String::new();
    for n in 1..10 {
        let name = if n == 1 {
            format!("{PREFIX}{stamp}")
        } else {
            format!("{PREFIX}{stamp}-{n}")
        };
        match repo.tag_reference(&name, commit, PreviousValue::MustNotExist) {
            Ok(_) => return Ok(name),
            Err(e) => last_error = e.to_string(),
        }
    }
    Err(Message::new("publish_mark_failed").arg("reason", last_error))
}

/// `2026-12-06T205800Z`: sortable, and valid in a Git reference name (no colons).
pub fn utc_stamp(seconds: i64) -> String {
    let date = crate::history::civil_date(seconds);
    let s = seconds.rem_euclid(86_400);
    format!("{date}T{:02}{:02}{:02}Z", s / 3600, s / 60 % 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_sort_as_time_and_have_no_colon() {
        assert_eq!(utc_stamp(0), "1970-01-01T000000Z");
        assert_eq!(utc_stamp(1_796_590_680), "2026-12-06T205800Z");
        assert!(utc_stamp(1_796_590_680) > utc_stamp(1_796_590_679));
    }
}
