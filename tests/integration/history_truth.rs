//! Issue 25: what the history says must be true. On repositories the tests build with fixed
//! dates: a version handbok refuses to render is compared for what it has; a change discarded
//! in a merge is never credited; a changed description is compared; code keeps its lines and
//! characters; and `--timings` reports the Git walk beside the Markdown stage with figures
//! that add up.

use scraper::{ElementRef, Node};

use crate::history::{commit, diff_link, doc_info, git, page, repository};
use crate::support::*;

fn page_with(title: &str, front: &str, body: &str) -> String {
    format!("---\ntitle: {title}\n{front}---\n\n{body}\n")
}

/// The text of a comparison's element as one of its versions reads: without the hidden
/// "Tillagt:"/"Borttaget:" words, and without the other version's parts.
fn version_text(element: ElementRef<'_>, leave_out: &str) -> String {
    let mut out = String::new();
    for node in element.descendants() {
        let Node::Text(text) = node.value() else { continue };
        let skipped = node
            .ancestors()
            .filter_map(ElementRef::wrap)
            .any(|e| e.value().name() == leave_out || e.value().classes().any(|c| c == "visually-hidden"));
        if !skipped {
            out.push_str(text);
        }
    }
    out
}

fn comparison_links(site: &TestSite) -> Vec<String> {
    attrs(&site.html("andringar.html"), ".change-diff a", "href")
}

#[test]
fn a_version_with_refused_html_is_compared_for_what_it_has_and_says_so() {
    let first = "Första stycket om lön.\n\nAndra stycket om semester.\n\nTredje stycket om arbetstid.";
    let refused = "Första stycket om lön.\n\nAndra stycket om <span onclick=\"alert(1)\">semester</span>.\n\nTredje stycket om arbetstid.";
    let fixed = "Första stycket om lön.\n\nAndra stycket om semestern.\n\nTredje stycket om arbetstid.";
    let site = TestSite::new().with("lon.md", &page("Lön", first));
    git(&site, &["init", "-q", "-b", "main"]);
    commit(&site, "2024-01-10T09:00:00+01:00", "Första");
    site.write("content/lon.md", &page("Lön", refused));
    commit(&site, "2024-02-10T09:00:00+01:00", "Otillåten HTML");
    site.write("content/lon.md", &page("Lön", fixed));
    commit(&site, "2024-03-10T09:00:00+01:00", "HTML borttagen");
    site.build().succeeded();
    let refused_line = page("Lön", refused).lines().position(|l| l.contains("<span")).unwrap() + 1;

    // The newest version, compared with the refused one: only the edited paragraph changed.
    let newest = site.html(&diff_link(&site.html("lon.html")));
    assert_eq!(
        texts(&newest, ".diff-refused"),
        [format!(
            "Den förra versionen kunde inte visas som sida, eftersom den har HTML-kod som handbok inte tillåter (rad {refused_line}). Jämförelsen gäller resten av texten, utan den HTML-koden."
        )]
    );
    assert_eq!(count(&newest, ".diff .diff-added, .diff .diff-removed"), 0);
    assert_eq!(count(&newest, ".diff .diff-changed"), 1);
    assert_eq!(texts(&newest, ".diff del"), ["Borttaget: semester."]);
    assert_eq!(texts(&newest, ".diff ins"), ["Tillagt: semestern."]);

    // The commit that brought the refused HTML in: nothing removed, the paragraph's text kept.
    let links = comparison_links(&site);
    assert_eq!(links.len(), 2, "{links:?}");
    let introduced = site.html(&links[1]);
    assert_eq!(texts(&introduced, ".diff-refused").len(), 1);
    assert!(texts(&introduced, ".diff-refused")[0].starts_with("Den här versionen kunde inte visas som sida"));
    assert_eq!(
        count(
            &introduced,
            ".diff .diff-added, .diff .diff-removed, .diff .diff-changed"
        ),
        0
    );
    assert_eq!(
        texts(&introduced, "main p")
            .iter()
            .filter(|t| t.as_str() == "Texten är densamma i båda versionerna.")
            .count(),
        1
    );
}

#[test]
fn a_change_discarded_in_a_merge_is_never_credited() {
    let site = TestSite::new()
        .with("lon.md", &page("Lönesamtal", "Lönesamtalet hålls en gång per år."))
        .with("semester.md", &page("Semester", "Semestern planeras i mars."));
    git(&site, &["init", "-q", "-b", "main"]);
    commit(&site, "2024-01-10T09:00:00+01:00", "Handboken skapas");
    // A branch with two changes: one is discarded in a merge, the other is merged.
    git(&site, &["checkout", "-q", "-b", "forslag"]);
    site.write("content/lon.md", &page("Lönesamtal", "Förkastad text om lönesamtal."));
    commit(&site, "2024-03-01T09:00:00+01:00", "Förslag som inte blev av");
    git(&site, &["checkout", "-q", "main"]);
    crate::history::git_at(
        site.root(),
        "2024-04-01T09:00:00+01:00",
        &["merge", "-q", "-s", "ours", "forslag", "-m", "Förslaget avslås"],
    );
    git(&site, &["checkout", "-q", "-b", "semester"]);
    site.write(
        "content/semester.md",
        &page("Semester", "Semestern planeras i februari."),
    );
    commit(&site, "2024-05-01T09:00:00+01:00", "Semester i februari");
    git(&site, &["checkout", "-q", "main"]);
    crate::history::git_at(
        site.root(),
        "2024-06-01T09:00:00+01:00",
        &["merge", "-q", "--no-ff", "semester", "-m", "Semesterändringen in"],
    );
    site.build().succeeded();

    // The discarded change moves neither the date nor the change list, and nothing compares it.
    let lon = site.html("lon.html");
    assert_eq!(
        doc_info(&lon),
        [(
            "Senast ändrad".to_string(),
            "2024-01-10 (enligt versionshistoriken)".to_string()
        )]
    );
    let changes = site.html("andringar.html");
    let messages = texts(&changes, ".change-message");
    assert!(!messages.iter().any(|m| m.contains("inte blev av")), "{messages:?}");
    // The merged change counts, from the day it reached the page.
    let semester = site.html("semester.html");
    assert_eq!(
        doc_info(&semester)[0].1,
        "2024-06-01 (enligt versionshistoriken) Vad har ändrats?"
    );
    let diff = site.html(&diff_link(&semester));
    assert_eq!(texts(&diff, ".diff ins"), ["Tillagt: februari."]);
    assert_eq!(messages[0], "Semesterändringen in");
}

#[test]
fn a_changed_description_is_compared_like_the_text() {
    let site = TestSite::new().with(
        "lon.md",
        &page_with(
            "Lön",
            "description: Så sätts lönen i kommunen.\n",
            "Texten är oförändrad.",
        ),
    );
    git(&site, &["init", "-q", "-b", "main"]);
    commit(&site, "2024-01-10T09:00:00+01:00", "Första");
    site.write(
        "content/lon.md",
        &page_with(
            "Lön",
            "description: Så sätts och revideras lönen i kommunen.\n",
            "Texten är oförändrad.",
        ),
    );
    commit(&site, "2024-02-10T09:00:00+01:00", "Ny ingress");
    site.build().succeeded();
    let diff = site.html(&diff_link(&site.html("lon.html")));
    assert!(!texts(&diff, "main p").contains(&"Texten är densamma i båda versionerna.".to_string()));
    assert_eq!(count(&diff, ".diff .diff-lead.diff-changed"), 1);
    assert_eq!(texts(&diff, ".diff .diff-lead ins"), ["Tillagt: och revideras"]);
    assert_eq!(texts(&diff, ".diff .diff-lead .diff-label"), ["Ingress:"]);
}

#[test]
fn code_in_a_comparison_keeps_its_lines_and_characters() {
    let old_code = "rapport = hämta(\"Medarbetaröverenskommelsen\")\nom rapport.tom:\n    skriv(\"Ingen överenskommelse\")\nannars:\n    arkivera(rapport, år=2024)";
    let new_code = "rapport = hämta(\"Medarbetaröverenskommelsen\")\nom rapport.tom:\n    skriv(\"Ingen överenskommelse ännu\")\nannars:\n    arkivera(rapport, år=2025)";
    let body = |code: &str| format!("Så här ser rutinen ut:\n\n```\n{code}\n```");
    let site = TestSite::new().with("rutin.md", &page("Rutin", &body(old_code)));
    git(&site, &["init", "-q", "-b", "main"]);
    commit(&site, "2024-01-10T09:00:00+01:00", "Första");
    site.write("content/rutin.md", &page("Rutin", &body(new_code)));
    commit(&site, "2024-02-10T09:00:00+01:00", "Ny kod");
    site.build().succeeded();
    let diff = site.html(&diff_link(&site.html("rutin.html")));
    let pre: Vec<ElementRef<'_>> = diff.select(&sel(".diff pre.diff-code")).collect();
    assert_eq!(pre.len(), 1);
    // Each version reads back exactly: five lines, indentation, quotes, no soft hyphens.
    assert_eq!(version_text(pre[0], "del"), new_code);
    assert_eq!(version_text(pre[0], "ins").lines().count(), 5);
    assert!(!pre[0].text().any(|t| t.contains('\u{ad}')));
    assert!(count(&diff, ".diff pre ins") >= 1 && count(&diff, ".diff pre del") >= 1);
}

/// A timing line: its indent, name, milliseconds and whether it is marked as the slowest.
fn timing_lines(stdout: &str) -> Vec<(usize, String, f64, bool)> {
    stdout
        .lines()
        .skip_while(|l| !l.starts_with("Stage times:"))
        .skip(1)
        .filter(|l| l.trim_end().ends_with(" ms") || l.ends_with("(held the build up)"))
        .map(|l| {
            let indent = l.len() - l.trim_start().len();
            let held = l.ends_with("(held the build up)");
            let l = l.trim_end_matches("(held the build up)").trim();
            let l = l.trim_start_matches("· ");
            let rest = l.trim_end_matches(" ms");
            let (name, ms) = rest.rsplit_once(' ').unwrap();
            (indent, name.trim().to_string(), ms.parse().unwrap(), held)
        })
        .collect()
}

#[test]
fn timings_show_the_stages_that_run_side_by_side_and_add_up() {
    let site = repository();
    let run = site.run(&["build", "--timings", "--content", "content", "--out", "public"]);
    run.succeeded();
    let lines = timing_lines(&run.stdout);
    let stages: Vec<&(usize, String, f64, bool)> = lines.iter().filter(|l| l.0 == 2).collect();
    let names: Vec<&str> = stages.iter().map(|l| l.1.as_str()).collect();
    assert_eq!(
        names,
        [
            "load",
            "markdown+git",
            "compare",
            "check",
            "search+templates",
            "write",
            "total"
        ],
        "{}",
        run.stdout
    );
    // The stages add up to the total (each printed to a tenth of a millisecond).
    let sum: f64 = stages[..stages.len() - 1].iter().map(|l| l.2).sum();
    let total = stages.last().unwrap().2;
    assert!(
        (sum - total).abs() <= 0.05 * stages.len() as f64 + 1e-9,
        "{sum} vs {total}\n{}",
        run.stdout
    );
    // The branches follow the stage they ran in, each within its wall time, and the slower
    // one is marked as holding the build up.
    for (stage, names) in [
        ("markdown+git", ["markdown", "git walk"]),
        ("search+templates", ["search", "templates"]),
    ] {
        let at = lines.iter().position(|l| l.1 == stage).unwrap();
        let branches = &lines[at + 1..at + 3];
        assert!(branches.iter().all(|b| b.0 == 4), "{}", run.stdout);
        assert_eq!(branches.iter().map(|b| b.1.as_str()).collect::<Vec<_>>(), names);
        let wall = lines[at].2;
        assert!(branches.iter().all(|b| b.2 <= wall + 0.05), "{}", run.stdout);
        let held: Vec<_> = branches.iter().filter(|b| b.3).collect();
        assert_eq!(held.len(), 1, "{}", run.stdout);
        assert!(branches.iter().all(|b| b.2 <= held[0].2), "{}", run.stdout);
    }
    assert_eq!(lines.iter().filter(|l| l.3).count(), 2);
}
