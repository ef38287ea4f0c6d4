//! What was in force when: repositories with publications (commits whose message ends with the
//! trailer `Publicerad-av: handbok`, as `handbok publish` writes them) and commits made by hand
//! between them, with fixed dates; then "Ändringar i handboken" grouped by publication, each
//! page's published versions with the dates they were in force, the bound `history.changes`,
//! and a handbook without publications as before. One test publishes with `handbok publish`
//! itself, so the trailer read here is the one written there.

use std::process::Command;

use scraper::Html;

use crate::history::{commit, git, git_at, page, shown_texts};
use crate::support::*;

/// A publication: every change in the work tree committed with the sentence and the trailer.
fn publish(site: &TestSite, date: &str, sentence: &str) {
    git_at(site.root(), date, &["add", "-A"]);
    git_at(
        site.root(),
        date,
        &[
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            sentence,
            "-m",
            "Publicerad-av: handbok",
        ],
    );
}

/// The full id of the commit `rev`.
fn commit_id(site: &TestSite, rev: &str) -> String {
    let out = Command::new("git")
        .args(["rev-parse", rev])
        .current_dir(site.root())
        .output()
        .expect("git runs");
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn short(id: &str) -> &str {
    &id[..10]
}

const LON_1: &str = "Lönesamtalet hålls en gång per år.";
const LON_2: &str = "Lönesamtalet hålls två gånger per år.";
const RES_1: &str = "Resor bokas hos resebyrån.";
const RES_2: &str = "Resor bokas i bokningsverktyget.";
const RES_3: &str = "Resor bokas i bokningsverktyget, helst med tåg.";

/// Hand commits before the first publication; publication 1 (edits lon); two hand commits
/// editing resor; publication 2 (edits lon again and delivers resor); a hand commit after it
/// (not published yet), and revisions HEAD~n by name:
/// `p1` = HEAD~4, `p2` = HEAD~1.
fn repository() -> TestSite {
    let site = TestSite::new()
        .with("lon.md", &page("Lönesamtal", "Lönesamtalet hålls vid behov."))
        .with("resor.md", &page("Tjänsteresor", RES_1))
        .with("ledighet.md", &page("Ledighet", "Ledighet söks hos chefen."));
    git(&site, &["init", "-q", "-b", "main"]);
    commit(&site, "2024-01-10T09:00:00+01:00", "Handboken skapas");
    site.write("content/lon.md", &page("Lönesamtal", LON_1));
    publish(&site, "2024-02-01T10:00:00+01:00", "Första publiceringen");
    site.write("content/resor.md", &page("Tjänsteresor", RES_2));
    commit(&site, "2024-02-10T10:00:00+01:00", "Resor: nytt verktyg");
    site.write("content/resor.md", &page("Tjänsteresor", RES_3));
    commit(&site, "2024-02-12T10:00:00+01:00", "Resor: tåg");
    site.write("content/lon.md", &page("Lönesamtal", LON_2));
    publish(
        &site,
        "2024-03-01T10:00:00+01:00",
        "Nya regler för lönesamtal och resor",
    );
    site.write("content/ledighet.md", &page("Ledighet", "Ledighet söks i systemet."));
    commit(&site, "2024-03-05T10:00:00+01:00", "Ledighet: nytt system");
    site
}

/// The published versions a page lists: (dates, sentence, link).
fn published(doc: &Html) -> Vec<(String, String, Option<String>)> {
    doc.select(&sel(".published-versions li"))
        .map(|li| {
            let text = |css: &str| {
                li.select(&sel(css))
                    .map(|e| collapse(&e.text().collect::<String>()))
                    .collect::<String>()
            };
            let link = li
                .select(&sel(".published-diff a"))
                .next()
                .and_then(|a| a.value().attr("href").map(str::to_string));
            (text(".published-dates"), text(".published-sentence"), link)
        })
        .collect()
}

#[test]
fn the_change_list_groups_changes_by_publication() {
    let site = repository();
    let (p1, p2) = (commit_id(&site, "HEAD~4"), commit_id(&site, "HEAD~1"));
    site.build().succeeded();
    let doc = site.html("andringar.html");
    assert_eq!(
        texts(&doc, "main h2"),
        [
            "Ändringar som inte har publicerats än",
            "Publicerad 2024-03-01",
            "Publicerad 2024-02-01",
            "Före den första publiceringen",
        ]
    );
    assert_eq!(
        texts(&doc, ".publication-sentence"),
        ["Nya regler för lönesamtal och resor", "Första publiceringen"]
    );
    let group = |id: &str| -> Vec<String> {
        doc.select(&sel(&format!("section[aria-labelledby='{id}'] .change-head")))
            .map(|e| collapse(&e.text().collect::<String>()).replace('\u{ad}', ""))
            .collect()
    };
    // Not published yet: listed by itself, with its own date.
    assert_eq!(group("ej-publicerat"), ["2024-03-05 Ledighet (ändrad)"]);
    // The hand commits between the publications are grouped under the one that delivered
    // them: one entry per page, whichever commits changed it.
    assert_eq!(
        group(&format!("publicering-{}", short(&p2))),
        ["Lönesamtal (ändrad)", "Tjänsteresor (ändrad)"]
    );
    assert_eq!(group(&format!("publicering-{}", short(&p1))), ["Lönesamtal (ändrad)"]);
    // Before the first publication: by month, as in a handbook that never publishes.
    assert_eq!(texts(&doc, "main h3"), ["januari 2024"]);
    assert_eq!(group("fore-forsta-publiceringen").len(), 4);
    // Each page of a publication links to its published version's comparison: against the
    // previous publication, across both hand commits.
    let diffs = attrs(
        &doc,
        &format!("section[aria-labelledby='publicering-{}'] .change-diff a", short(&p2)),
        "href",
    );
    assert_eq!(
        diffs,
        [
            format!("lon-andringar-{}.html", short(&p2)),
            format!("resor-andringar-{}-publicerad.html", short(&p2)),
        ]
    );
    let compared = site.html(&diffs[1]);
    assert_eq!(
        shown_texts(&compared, "main .diff ins"),
        ["Tillagt: i bokningsverktyget, helst med tåg."]
    );
    assert_eq!(shown_texts(&compared, "main .diff del"), ["Borttaget: hos resebyrån."]);
    assert_eq!(
        shown_texts(&compared, ".doc-info dd"),
        [
            "2024-03-01: Nya regler för lönesamtal och resor",
            "versionen från 2024-02-01"
        ]
    );
}

#[test]
fn a_page_lists_its_published_versions_with_the_dates_they_were_in_force() {
    let site = repository();
    let (p1, p2) = (commit_id(&site, "HEAD~4"), commit_id(&site, "HEAD~1"));
    site.build().succeeded();
    assert_eq!(
        published(&site.html("lon.html")),
        [
            (
                "Gäller från 2024-03-01 (ändrad)".to_string(),
                "Nya regler för lönesamtal och resor".to_string(),
                Some(format!("lon-andringar-{}.html", short(&p2))),
            ),
            (
                "Gällde från 2024-02-01 fram till 2024-03-01 (ändrad)".to_string(),
                "Första publiceringen".to_string(),
                Some(format!("lon-andringar-{}.html", short(&p1))),
            ),
        ]
    );
    // Changed only by hand commits: its first published version is the text the first
    // publication delivered, with nothing to compare it with.
    assert_eq!(
        published(&site.html("resor.html")),
        [
            (
                "Gäller från 2024-03-01 (ändrad)".to_string(),
                "Nya regler för lönesamtal och resor".to_string(),
                Some(format!("resor-andringar-{}-publicerad.html", short(&p2))),
            ),
            (
                "Gällde från 2024-02-01 fram till 2024-03-01".to_string(),
                "Första publiceringen".to_string(),
                None,
            ),
        ]
    );
    // A change made after the last publication is not in force: the published version is.
    assert_eq!(
        published(&site.html("ledighet.html")),
        [(
            "Gäller från 2024-02-01".to_string(),
            "Första publiceringen".to_string(),
            None
        )]
    );
    // Every comparison linked exists, and says the publication's date and sentence.
    for (_, _, link) in published(&site.html("lon.html")) {
        let link = link.unwrap();
        assert!(site.path("public").join(&link).is_file(), "{link}");
    }
}

#[test]
fn a_publication_that_changed_no_page_is_listed_and_a_page_added_by_hand_is_new_in_it() {
    let site = TestSite::new().with("a.md", &page("A", "Första."));
    git(&site, &["init", "-q", "-b", "main"]);
    publish(&site, "2024-01-10T09:00:00+01:00", "Handboken publiceras");
    site.write("content/b.md", &page("B", "Ny sida."));
    commit(&site, "2024-01-20T09:00:00+01:00", "B skrivs");
    site.write("content/b.md", &page("B", "Ny sida, rättad."));
    commit(&site, "2024-01-21T09:00:00+01:00", "B rättas");
    publish(&site, "2024-02-01T09:00:00+01:00", "Sidan B");
    site.write("content/site.yml", &format!("{SITE_YML}language: sv\n"));
    publish(&site, "2024-03-01T09:00:00+01:00", "Bara inställningar");
    site.build().succeeded();
    let doc = site.html("andringar.html");
    assert_eq!(
        texts(&doc, ".publication-sentence"),
        ["Bara inställningar", "Sidan B", "Handboken publiceras"]
    );
    assert_eq!(
        texts(&doc, ".publication-no-pages"),
        ["Publiceringen ändrade inga sidor, bara bilder eller inställningar."]
    );
    let heads: Vec<String> = shown_texts(&doc, ".change-head");
    assert_eq!(heads, ["B (ny sida)", "A (ny sida)", "Start (ny sida)"]);
    assert_eq!(
        published(&site.html("b.html")),
        [(
            "Gäller från 2024-02-01 (ny sida)".to_string(),
            "Sidan B".to_string(),
            None
        )]
    );
}

#[test]
fn the_bound_of_history_changes_holds_for_publications_and_versions() {
    let site = TestSite::new()
        .with("site.yml", &format!("{SITE_YML}history:\n  changes: 3\n"))
        .with("a.md", &page("A", "Version 0."));
    git(&site, &["init", "-q", "-b", "main"]);
    commit(&site, "2024-01-01T09:00:00+01:00", "Början");
    for n in 1..=6 {
        site.write("content/a.md", &page("A", &format!("Version {n}.")));
        publish(
            &site,
            &format!("2024-0{n}-15T09:00:00+01:00"),
            &format!("Publicering {n}"),
        );
    }
    site.build().succeeded();
    let versions = published(&site.html("a.html"));
    assert_eq!(versions.len(), 3, "{versions:?}");
    assert_eq!(versions[0].0, "Gäller från 2024-06-15 (ändrad)");
    assert_eq!(versions[2].0, "Gällde från 2024-04-15 fram till 2024-05-15 (ändrad)");
    let doc = site.html("andringar.html");
    assert_eq!(
        texts(&doc, ".publication-sentence"),
        ["Publicering 6", "Publicering 5", "Publicering 4"]
    );
    assert_eq!(count(&doc, ".change-head"), 3);
}

#[test]
fn a_handbook_without_publications_shows_its_changes_by_month_as_before() {
    let site = crate::history::repository();
    site.build().succeeded();
    let doc = site.html("andringar.html");
    assert_eq!(count(&doc, ".change-group"), 0);
    assert_eq!(count(&doc, "main h3"), 0);
    assert_eq!(
        texts(&doc, "main h2"),
        ["april 2024", "mars 2024", "februari 2024", "januari 2024"]
    );
    for page in ["lon.html", "distansarbete.html", "index.html"] {
        assert_eq!(count(&site.html(page), ".published-versions"), 0, "{page}");
    }
}

#[test]
fn a_publication_made_by_handbok_publish_heads_its_group() {
    let site = TestSite::new()
        .with("site.yml", &format!("{SITE_YML}publish:\n  to: intranat\n"))
        .with("semester.md", &page("Semester", "Du har 25 dagars semester."));
    std::fs::create_dir_all(site.path("intranat")).unwrap();
    git(&site, &["init", "-q", "-b", "main"]);
    git(&site, &["config", "user.name", "HR"]);
    git(&site, &["config", "user.email", "hr@example.se"]);
    let run = site.run(&["publish", "-m", "Semesterdagarna räknas om"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    site.write("content/semester.md", &page("Semester", "Du har 28 dagars semester."));
    let run = site.run(&["publish", "-m", "Fler semesterdagar"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    // The delivered site, built from the publication commit before it was marked.
    let doc = read_html(&site.path("intranat/andringar.html"));
    assert_eq!(
        texts(&doc, ".publication-sentence"),
        ["Fler semesterdagar", "Semesterdagarna räknas om"]
    );
    let versions = published(&read_html(&site.path("intranat/semester.html")));
    assert_eq!(versions.len(), 2, "{versions:?}");
    let link = versions[0].2.clone().expect("a comparison");
    let compared = read_html(&site.path("intranat").join(link));
    assert_eq!(shown_texts(&compared, "main .diff ins"), ["Tillagt: 28"]);
}
