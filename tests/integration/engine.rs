//! The build engine on single-feature fixtures: output structure, links, ids, metadata, and
//! the exit code and message of every invalid fixture.

use std::fs;

use crate::support::*;

#[test]
fn builds_pages_with_relative_links_and_slugged_names() {
    let site = TestSite::fixture("valid/ok-basic");
    let run = site.run(&["build"]);
    assert_eq!(run.code, 0, "stderr: {}", run.stderr);
    assert!(run.stdout.starts_with("Built 3 pages"), "summary: {}", run.stdout);
    let public = site.path("public");
    for page in [
        "index.html",
        "policy/index.html",
        "policy/lon-och-formaner.html",
        "bilder/logga.png",
    ] {
        assert!(public.join(page).is_file(), "{page} missing");
    }
    let index = read_html(&public.join("index.html"));
    let links = attrs(&index, "main .content a", "href");
    assert_eq!(
        links,
        ["policy/index.html", "policy/lon-och-formaner.html#lonekriterier"]
    );
    // Every link in every page is relative with an explicit file name.
    for page in ["index.html", "policy/index.html", "policy/lon-och-formaner.html"] {
        let doc = read_html(&public.join(page));
        for href in attrs(&doc, "a", "href").into_iter().chain(attrs(&doc, "link", "href")) {
            assert!(
                !href.starts_with('/') && !href.contains("://"),
                "{page}: {href} is not relative"
            );
            let path = href.split('#').next().unwrap();
            assert!(
                path.is_empty() || path.rsplit('/').next().unwrap().contains('.'),
                "{page}: {href}"
            );
        }
    }
}

#[test]
fn swedish_html_with_quotes_ids_tables_footnotes_and_metadata() {
    let site = TestSite::fixture("valid/ok-basic");
    assert_eq!(site.run(&["build"]).code, 0);
    let public = site.path("public");
    let index = read_html(&public.join("index.html"));
    assert_eq!(attrs(&index, "html", "lang"), ["sv"]);
    let paragraph = texts(&index, "main .content p").join(" ");
    assert!(paragraph.contains("”medarbetarskap”"), "{paragraph}");
    assert!(!paragraph.contains('“') && !paragraph.contains('"'));

    let policy = read_html(&public.join("policy/index.html"));
    assert_eq!(
        attrs(&policy, "main .content > h2", "id"),
        ["oppenhet", "oppenhet-2", "egen"]
    );
    assert_eq!(policy.select(&sel("main table th")).count(), 2);
    // The footnote is gathered at the end, under its own heading, with a link back.
    assert_eq!(texts(&policy, "main .fotnoter h2"), ["Fotnoter"]);
    assert_eq!(attrs(&policy, "main sup.fotnot-ref a", "href"), ["#fotnot-1"]);
    assert_eq!(attrs(&policy, "main .fotnoter li", "id"), ["fotnot-1"]);
    assert_eq!(
        attrs(&policy, "main .fotnoter li a.fotnot-tillbaka", "href"),
        ["#fotnot-ref-1"]
    );
    assert_eq!(attrs(&policy, "main img", "alt"), ["Kommunens logotyp"]);
    assert_eq!(attrs(&policy, "main img", "src"), ["../bilder/logga.png"]);
    let info = texts(&policy, ".doc-info dd");
    assert_eq!(
        info,
        ["2020-02-10", "FSG", "Tills vidare", "HR-avdelningen", "2021-01-01"]
    );
    let labels = texts(&policy, ".doc-info dt");
    assert_eq!(
        labels,
        [
            "Beslutad",
            "Beslutad av",
            "Giltighetstid",
            "Dokumentägare",
            "Senast reviderad"
        ]
    );
}

#[test]
fn navigation_tree_breadcrumbs_and_neighbours() {
    let site = TestSite::fixture("valid/ok-basic");
    assert_eq!(site.run(&["build"]).code, 0);
    let page = site.html("policy/lon-och-formaner.html");
    assert_eq!(texts(&page, "nav.site-nav [aria-current=page]"), ["Lön och förmåner"]);
    assert_eq!(texts(&page, ".breadcrumbs a"), ["Start", "Policy"]);
    assert_eq!(attrs(&page, ".pagination a", "href"), ["index.html"]);
    let start = site.html("index.html");
    assert_eq!(attrs(&start, ".pagination a", "href"), ["policy/index.html"]);
}

#[test]
fn snapshot_of_a_policy_page() {
    let site = TestSite::fixture("valid/ok-basic");
    assert_eq!(site.run(&["build"]).code, 0);
    let doc = site.html("policy/index.html");
    insta::assert_snapshot!("ok_basic_policy_main", main_html(&doc));
}

/// Every invalid fixture (`tests/fixtures/invalid/`): exit code 1, nothing written, the file and
/// line and what is wrong, and a snapshot of the whole of stderr as the editor reads it.
#[test]
fn invalid_fixtures_fail_with_located_messages() {
    let cases: &[(&str, &str, &str)] = &[
        ("bad-yaml", "content/index.md:3", "invalid front matter"),
        ("missing-title", "content/index.md:1", "the page has no title"),
        ("unknown-key", "content/index.md:3:1", "unknown front matter key `ordr`"),
        (
            "broken-link",
            "content/index.md:6:4",
            "link to a page that does not exist: `finns-inte.md`",
        ),
        (
            "broken-anchor",
            "content/index.md:4:4",
            "`a/index.md` has no heading `#fel-rubrik`",
        ),
        (
            "image-no-alt",
            "content/index.md:4:1",
            "image `bild.png` has no alt text",
        ),
        ("duplicate-slugs", "content/", "would both become `lon.html`"),
        (
            "no-front-matter",
            "content/index.md:1:1",
            "the page has no front matter",
        ),
    ];
    let on_disk: Vec<String> = fs::read_dir(fixture("invalid"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        on_disk.len(),
        cases.len(),
        "every invalid fixture has a case: {on_disk:?}"
    );
    for (name, location, message) in cases {
        let site = TestSite::fixture(&format!("invalid/{name}"));
        let run = site.build();
        assert_eq!(run.code, 1, "{name}: stderr {}", run.stderr);
        assert!(
            run.stderr.contains(location),
            "{name}: expected {location} in\n{}",
            run.stderr
        );
        assert!(
            run.stderr.contains(message),
            "{name}: expected {message:?} in\n{}",
            run.stderr
        );
        assert!(!site.path("public").exists(), "{name}: output written despite errors");
        insta::assert_snapshot!(format!("invalid_{name}"), run.stderr);
    }
}

#[test]
fn hints_name_the_fix() {
    let site = TestSite::fixture("invalid/unknown-key");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("did you mean `order`?"), "{}", run.stderr);
    let site = TestSite::fixture("invalid/broken-anchor");
    let run = site.run(&["check"]);
    assert!(
        run.stderr.contains("anchors on that page, closest first: #rubrik"),
        "{}",
        run.stderr
    );
}

#[test]
fn invalid_utf8_is_located() {
    let site = TestSite::fixture("valid/ok-basic");
    fs::write(site.path("content/trasig.md"), b"---\ntitle: Tr\xe4sig\n---\n").unwrap();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .contains("content/trasig.md:2:10: error: the file is not valid UTF-8"),
        "{}",
        run.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = TestSite::empty();
    assert_eq!(dir.run(&["build", "--no-such-flag"]).code, 2);
    assert_eq!(dir.run(&["frobnicate"]).code, 2);
}

#[test]
fn a_bad_edit_leaves_the_previous_site_untouched() {
    let site = TestSite::fixture("valid/ok-basic");
    assert_eq!(site.run(&["build"]).code, 0);
    let before = fs::read(site.path("public/index.html")).unwrap();
    fs::write(site.path("content/index.md"), "---\ntitle: [trasig\n---\n").unwrap();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("nothing was written"));
    assert_eq!(fs::read(site.path("public/index.html")).unwrap(), before);
}

#[test]
fn refuses_an_output_folder_it_does_not_own() {
    let site = TestSite::fixture("valid/ok-basic");
    let out = site.path("public");
    fs::create_dir_all(&out).unwrap();
    fs::write(out.join("viktig.txt"), "inte handboks").unwrap();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("not empty and was not created by handbok"),
        "{}",
        run.stderr
    );
    assert_eq!(fs::read_to_string(out.join("viktig.txt")).unwrap(), "inte handboks");

    // A file added to a folder handbok owns is not deleted either.
    let site = TestSite::fixture("valid/ok-basic");
    assert_eq!(site.run(&["build"]).code, 0);
    fs::write(site.path("public/egen.txt"), "min").unwrap();
    let run = site.run(&["build"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("egen.txt"), "{}", run.stderr);
    assert!(site.path("public/egen.txt").exists());
}

#[test]
fn refuses_output_that_overlaps_content() {
    let site = TestSite::fixture("valid/ok-basic");
    for out in ["content", "content/ut", "."] {
        let run = site.run(&["build", "--out", out]);
        assert_eq!(run.code, 1, "--out {out}");
        assert!(run.stderr.contains("overlaps"), "{}", run.stderr);
    }
}

#[test]
fn rebuild_replaces_only_what_it_wrote() {
    let site = TestSite::fixture("valid/ok-basic");
    assert_eq!(site.run(&["build"]).code, 0);
    fs::remove_file(site.path("content/policy/Lön och förmåner.md")).unwrap();
    fs::write(site.path("content/index.md"), "---\ntitle: Start\n---\nKort.\n").unwrap();
    assert_eq!(site.run(&["build"]).code, 0);
    assert!(!site.path("public/policy/lon-och-formaner.html").exists());
    let leftovers: Vec<_> = fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("handbok-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn theme_override_replaces_a_template_file_by_file() {
    let site = TestSite::fixture("valid/ok-basic");
    let theme = site.path("tema/templates");
    fs::create_dir_all(&theme).unwrap();
    fs::write(
        theme.join("page.html"),
        "{% extends \"base.html\" %}{% block main %}<p class=\"egen\">{{ page.title }}</p>\
         {% block content %}{% endblock content %}{% endblock main %}",
    )
    .unwrap();
    let run = site.run(&["build", "--theme", "tema"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let doc = site.html("index.html");
    assert_eq!(texts(&doc, "main p.egen"), ["Start"]);
    // base.html still comes from the built-in theme.
    assert_eq!(texts(&doc, ".skip-link"), ["Hoppa till innehållet"]);
}

#[test]
fn check_writes_nothing() {
    let site = TestSite::fixture("valid/ok-basic");
    let run = site.run(&["check"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(!site.path("public").exists());
}
