//! The values a page history is made of that are not Git's own: a commit as the site shows it,
//! what a commit did to a page, the publications and published versions. Nothing here reads
//! a repository, so a build without the `history` feature has the same values (empty).

#[cfg(doc)]
use super::History;
use super::ListedChange;

/// A commit that changed at least one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommitInfo {
    /// The full commit id in hex.
    pub id: String,
    /// Seconds since 1970, for ordering.
    pub time: i64,
    /// The committer's date in the committer's own time zone, `YYYY-MM-DD`.
    pub date: String,
    /// The first line of the commit message.
    pub summary: String,
    /// The commit is a publication: its message carries [`PUBLICATION_TRAILER`].
    pub published: bool,
}

/// The line `handbok publish` ends a publication's message with (`publish::repo::TRAILER`).
pub const PUBLICATION_TRAILER: &str = "Publicerad-av: handbok";

/// What a commit did to one page file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChangeKind {
    /// The page was created.
    Added,
    /// The page's text changed.
    Modified,
    /// The page moved from `from` (and its text may have changed too).
    Renamed {
        /// The path before the commit, relative to the content folder.
        from: String,
    },
    /// The page was removed.
    Deleted,
}

/// `YYYY-MM-DD` of a count of seconds since 1970-01-01 (proleptic Gregorian calendar).
pub fn civil_date(seconds: i64) -> String {
    // Howard Hinnant's days-to-civil algorithm.
    let days = seconds.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The version name suffix of a published version that spans several commits.
pub const PUBLISHED_SUFFIX: &str = "publicerad";

/// One publication and the page changes it delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    /// The publication commit: its date, and its sentence as the summary.
    pub commit: CommitInfo,
    /// The pages it changed, one entry per page, each with the publication as its commit and
    /// the published version's comparison.
    pub pages: Vec<ListedChange>,
}

/// The change list grouped by publication. Empty `list`: the handbook has no publication.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Publications {
    /// Page changes after the newest publication (not delivered yet), newest first.
    pub unpublished: Vec<ListedChange>,
    /// Publications, newest first.
    pub list: Vec<Publication>,
    /// Page changes before the first publication, newest first.
    pub earlier: Vec<ListedChange>,
}

/// One published version of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedVersion {
    /// The publication that put this version in force.
    pub publication: CommitInfo,
    /// The date of the next published version of the page (`None`: in force now).
    pub until: Option<String>,
    /// What the publication did to the page since the previous published version (`None`: the
    /// page's first published version, unchanged since before the first publication).
    pub kind: Option<ChangeKind>,
    /// Its comparison with the previous published version, an index into
    /// [`History::versions`].
    pub version: Option<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(951_782_400), "2000-02-29");
        assert_eq!(civil_date(1_717_200_000), "2024-06-01");
        assert_eq!(civil_date(-1), "1969-12-31");
    }
}
