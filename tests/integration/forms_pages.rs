//! Print views, the year wheel and the wiring of form pages, on the shipped handbook: a talk's
//! print view holds the talk and its guide with links inside, the handbook's print view has
//! every page, the year wheel has a text equivalent, form pages load their script; and
//! `handbok check` names the file and line of a bad print list or year wheel.

use scraper::Html;

use crate::support::*;

// ----- print views, year wheel and page wiring, on the shipped handbook ----------------------

fn hrefs(doc: &Html, css: &str) -> Vec<String> {
    doc.select(&sel(css))
        .filter_map(|e| e.value().attr("href").map(str::to_owned))
        .collect()
}

#[test]
fn talk_print_view_holds_talk_and_guide_with_links_inside() {
    let view = shipped().html("medarbetarsamtal/utvecklingssamtal-utskrift.html");
    let parts: Vec<&str> = view
        .select(&sel("article.print-part"))
        .filter_map(|a| a.value().attr("data-page"))
        .collect();
    assert_eq!(
        parts,
        [
            "medarbetarsamtal/utvecklingssamtal.html",
            "medarbetarsamtal/samtalsguide.html"
        ]
    );
    let mut ids: Vec<&str> = view.select(&sel("[id]")).filter_map(|e| e.value().attr("id")).collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "ids stay unique when pages are put together");
    for href in hrefs(&view, "main a[href]") {
        if let Some(anchor) = href.strip_prefix('#') {
            assert!(
                ids.binary_search(&anchor).is_ok(),
                "#{anchor} has no target in the view"
            );
        } else {
            assert!(
                !href.contains("samtalsguide.html") && !href.contains("utvecklingssamtal.html#"),
                "{href}: a link to a page in the view must point inside it"
            );
        }
    }
    for label in view.select(&sel("label[for]")) {
        let id = label.value().attr("for").unwrap();
        assert!(ids.binary_search(&id).is_ok(), "label for #{id} has no control");
    }
    for from in [
        "medarbetarsamtal/utvecklingssamtal.html",
        "medarbetarsamtal/samtalsguide.html",
    ] {
        let doc = shipped().html(from);
        assert!(
            hrefs(&doc, "nav.print-links a").contains(&"utvecklingssamtal-utskrift.html".to_string()),
            "{from} links to the talk's print view"
        );
    }
}

#[test]
fn handbook_print_view_has_every_page_and_only_inside_links() {
    let view = shipped().html("utskrift.html");
    assert_eq!(view.select(&sel("article.print-part")).count(), 13);
    for href in hrefs(&view, "main a[href]") {
        assert!(href.starts_with('#'), "{href} leads out of the handbook view");
    }
    let start = shipped().html("index.html");
    assert!(hrefs(&start, "nav.print-links a").contains(&"utskrift.html".to_string()));
}

#[test]
fn year_wheel_is_drawn_with_a_text_equivalent() {
    let doc = shipped().html("medarbetarsamtal/index.html");
    let figure = doc
        .select(&sel("figure.year-wheel"))
        .next()
        .expect("the overview shows the year");
    let chart = figure.select(&sel(".yw-chart")).next().unwrap();
    assert_eq!(
        chart.value().attr("aria-hidden"),
        Some("true"),
        "the list below is what a screen reader reads"
    );
    assert_eq!(figure.select(&sel(".yw-month")).count(), 12);
    let bars: Vec<&str> = figure
        .select(&sel(".yw-bar"))
        .filter_map(|b| b.value().attr("style"))
        .collect();
    assert_eq!(
        bars,
        ["grid-column: 1 / 5", "grid-column: 1 / 4", "grid-column: 9 / 12"],
        "January–April, January–March, September–November"
    );
    let lines: Vec<String> = figure
        .select(&sel("ul li"))
        .map(|e| e.text().collect::<String>().replace('\u{ad}', ""))
        .collect();
    assert_eq!(
        lines,
        [
            "Medarbetaröverenskommelse: januari–april",
            "Lönesamtal: januari–mars",
            "Utvecklingssamtal: september–november"
        ]
    );
}

#[test]
fn form_pages_load_the_script_and_declare_print_pages() {
    for (path, pages) in [
        ("medarbetarsamtal/medarbetaroverenskommelse.html", "4"),
        ("medarbetarsamtal/utvecklingssamtal.html", "2"),
        ("medarbetarsamtal/samtalsguide.html", "4"),
    ] {
        let doc = shipped().html(path);
        assert!(
            doc.select(&sel("script[src$='assets/form.js']")).next().is_some(),
            "{path}"
        );
        let meta = doc.select(&sel("meta[name=print-pages]")).next().unwrap();
        assert_eq!(meta.value().attr("content"), Some(pages), "{path}");
        assert!(doc.select(&sel("link[href$='assets/print.css']")).next().is_some());
    }
    let policy = shipped().html("bilaga-1-vardegrund.html");
    assert!(
        policy.select(&sel("script[src$='form.js']")).next().is_none(),
        "no script on pages without forms"
    );
}

/// A site with one page whose front matter is `front`; returns `handbok check`'s exit code and stderr.
fn check_front(front: &str) -> (Option<i32>, String) {
    let run = TestSite::new()
        .with("index.md", &format!("---\ntitle: Start\n{front}---\n\nText.\n"))
        .check();
    (Some(run.code), run.stderr)
}

#[test]
fn print_with_a_missing_page_names_file_and_line() {
    let (code, stderr) = check_front("order: 1\nprint_with: [guide.md]\n");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("index.md:4:"), "{stderr}");
    assert!(
        stderr.contains("`print_with` names `guide.md`, which is not a page"),
        "{stderr}"
    );
}

#[test]
fn year_wheel_with_a_bad_month_names_file_and_line() {
    let (code, stderr) = check_front("year_wheel:\n  - {label: Samtal, from: 0, to: 13}\n");
    assert_eq!(code, Some(1), "{stderr}");
    // The period's own line, below `year_wheel:`.
    assert!(stderr.contains("index.md:4:"), "{stderr}");
    assert!(stderr.contains("months are 1 (January) to 12 (December)"), "{stderr}");
}

#[test]
fn year_wheel_with_an_unknown_key_is_an_error() {
    let (code, stderr) = check_front("year_wheel:\n  - {label: Samtal, from: 1, till: 3}\n");
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains("till"), "{stderr}");
}
