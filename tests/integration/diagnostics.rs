//! What an editor reads when something is wrong: one snapshot per kind of error and warning
//! in each language (`<name>` in English, `<name>_sv` in Swedish, what an HR editor in Alingsås
//! reads), each `path:line:column: error|warning: message` (`fel`/`varning`), the source line
//! with the spot marked, and a hint. Plus the exit codes of `check`, `check --strict` and `build` with warnings.

use std::fs;

use crate::support::*;

const SITE: &str = "title: Testhandbok\norganisation: Testkommun\naccessibility:\n  status: partial\n  contact: HR-avdelningen\n  known_gaps: []\n  assessment: Egen granskning.\n  assessed: 2026-01-01\n  reviewed: 2026-01-01\n";
const INDEX: &str = "---\ntitle: Startsida\n---\n\nVälkommen till [semesterreglerna](semester.md).\n";
const SEMESTER: &str =
    "---\ntitle: Semester\norder: 1\n---\n\n## Rätt till semester\n\nText.\n\n## Sparade dagar\n\nText.\n";

/// A site of a start page and `semester.md`, with `files` added or replaced.
fn site(files: &[(&str, &str)]) -> TestSite {
    let site = TestSite::files(&[("site.yml", SITE), ("index.md", INDEX), ("semester.md", SEMESTER)]);
    files.iter().fold(site, |site, (path, text)| site.with(path, text))
}

/// Everything `check` reports, as printed, with the temporary folder cut off the paths.
fn check(files: &[(&str, &str)]) -> String {
    site(files).in_memory().shown()
}

macro_rules! snapshot {
    ($name:ident, $files:expr) => {
        #[test]
        fn $name() {
            let reported = site($files).in_memory();
            let (english, swedish) = (reported.shown(), reported.shown_in(swedish()));
            assert!(!english.is_empty(), "expected a diagnostic");
            insta::assert_snapshot!(stringify!($name), english);
            insta::assert_snapshot!(concat!(stringify!($name), "_sv"), swedish);
        }
    };
}

// Errors.
snapshot!(
    error_unknown_front_matter_key,
    &[("semester.md", "---\ntitle: Semester\nordr: 1\n---\n\nText.\n")]
);
snapshot!(error_missing_title, &[("semester.md", "---\norder: 1\n---\n\nText.\n")]);
snapshot!(
    error_empty_title,
    &[("semester.md", "---\ntitle: \"\"\n---\n\nText.\n")]
);
snapshot!(
    error_yaml_syntax,
    &[("semester.md", "---\ntitle: [Semester\n---\n\nText.\n")]
);
snapshot!(error_no_front_matter, &[("semester.md", "# Semester\n\nText.\n")]);
// The brand: a primary too light for white header text, an accent too pale to mark the current
// page, each with its ratio and the nearest shade that passes; a logo that is not there and has
// no text alternative; a colour that is not one.
snapshot!(
    error_brand_colours_fail_contrast,
    &[(
        "site.yml",
        &format!("{SITE}brand:\n  primary: \"#4a90e2\"\n  accent: \"#ffd6e0\"\n")
    )]
);
snapshot!(
    error_brand_logo_and_colour_written_wrong,
    &[(
        "site.yml",
        &format!("{SITE}brand:\n  logo: bilder/logo.svg\n  primary: blå\n")
    )]
);
snapshot!(
    error_site_settings_unknown_key,
    &[("site.yml", "titel: Testhandbok\norganisation: Testkommun\n")]
);
snapshot!(
    error_broken_link,
    &[(
        "index.md",
        "---\ntitle: Startsida\n---\n\nLäs om [semester](semster.md).\n"
    )]
);
snapshot!(
    error_link_to_page_in_wrong_folder,
    &[(
        "index.md",
        "---\ntitle: Startsida\n---\n\nLäs om [semester](regler/semester.md).\n"
    )]
);
snapshot!(
    error_broken_anchor,
    &[(
        "index.md",
        "---\ntitle: Startsida\n---\n\nSe [sparade dagar](semester.md#sparad-semester).\n"
    )]
);
snapshot!(
    error_broken_anchor_same_page,
    &[(
        "index.md",
        "---\ntitle: Startsida\n---\n\n## Inledning\n\nSe [nedan](#avslutning).\n"
    )]
);
snapshot!(
    error_image_without_alt_text,
    &[
        ("index.md", "---\ntitle: Startsida\n---\n\n![](bild.png)\n"),
        ("bild.png", "png")
    ]
);
snapshot!(
    error_missing_image,
    &[(
        "index.md",
        "---\ntitle: Startsida\n---\n\n![Kommunens logga](logga.png)\n"
    )]
);
snapshot!(
    error_unsafe_link,
    &[(
        "index.md",
        "---\ntitle: Startsida\n---\n\nSe [semesterreglerna](javascript:alert(1)).\n"
    )]
);
snapshot!(
    error_link_outside_content,
    &[(
        "index.md",
        "---\ntitle: Startsida\n---\n\nSe [anteckningarna](../anteckningar.md).\n"
    )]
);
snapshot!(
    error_section_without_index,
    &[(
        "ledighet/foraldraledighet.md",
        "---\ntitle: Föräldraledighet\n---\n\nText.\n"
    )]
);
snapshot!(
    error_duplicate_output_paths,
    &[("Semester.md", "---\ntitle: Semester igen\n---\n\nText.\n")]
);

// Warnings.
snapshot!(
    warning_heading_level_skipped,
    &[(
        "semester.md",
        "---\ntitle: Semester\n---\n\n### Rätt till semester\n\nText.\n\n#### Sparade dagar\n\n###### Djupt\n"
    )]
);
snapshot!(
    warning_empty_link_text,
    &[("index.md", "---\ntitle: Startsida\n---\n\nSe [](semester.md).\n")]
);
snapshot!(
    warning_vague_link_text,
    &[(
        "index.md",
        "---\ntitle: Startsida\n---\n\nOm semester: [klicka här](semester.md).\n\n[Läs mer](semester.md#sparade-dagar) eller se [här](https://www.av.se/).\n"
    )]
);
snapshot!(
    warning_duplicate_title,
    &[("ledighet.md", "---\ntitle: Semester\norder: 2\n---\n\nOm ledighet.\n")]
);

#[test]
fn a_clean_site_has_no_warnings() {
    assert_eq!(check(&[]), "");
}

#[test]
fn every_problem_of_a_run_is_reported_together() {
    // Front matter problems in several files come together…
    let run = site(&[
        ("semester.md", "---\ntitle: Semester\nordr: 1\n---\n\nText.\n"),
        ("index.md", "---\ntiitle: Startsida\n---\n\nText.\n"),
    ])
    .in_memory();
    assert!(run.built.is_none());
    assert_eq!(run.diags.error_count(), 2, "{}", run.shown());

    // …and so do link, image and content problems across pages, errors and warnings mixed.
    let run = site(&[
        ("semester.md", "---\ntitle: Semester\n---\n\n[Läs mer](finns-inte.md)\n"),
        (
            "index.md",
            "---\ntitle: Startsida\n---\n\n### Hoppar\n\n[klicka här](semester.md#saknas) och ![](saknas.png)\n",
        ),
    ])
    .in_memory();
    assert!(run.built.is_none());
    let text = run.shown();
    assert_eq!(run.diags.error_count(), 4, "{text}");
    assert_eq!(run.diags.warning_count(), 3, "{text}");
    // Sorted by file and line; each one starts with its location.
    let heads: Vec<&str> = text
        .split("\n\n")
        .filter_map(|block| block.lines().next())
        .filter(|l| l.starts_with("content/"))
        .collect();
    assert_eq!(heads.len(), 7, "{text}");
    assert!(
        heads[0].starts_with("content/index.md:5:1: warning: heading level 3"),
        "{heads:?}"
    );
    assert!(
        heads[6].starts_with("content/semester.md:5:1: warning: link text `Läs mer`"),
        "{heads:?}"
    );
}

#[test]
fn warnings_fail_check_only_with_strict_and_never_stop_build() {
    let site = site(&[(
        "index.md",
        "---\ntitle: Startsida\n---\n\nOm semester: [här](semester.md).\n",
    )]);
    let Run { code, stdout, stderr } = site.check();
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("no errors, 1 warning(s)"), "{stdout}");
    assert!(
        stderr.starts_with("content/index.md:5:14: warning: link text `här`"),
        "{stderr}"
    );

    let Run { code, stderr, .. } = site.run(&["check", "--strict"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("--strict fails on warnings"), "{stderr}");

    let Run { code, stdout, stderr } = site.build();
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("warning: link text `här`"), "{stderr}");
    assert!(stdout.contains("1 warning(s)"), "{stdout}");
    assert!(site.path("public/index.html").is_file());
}

#[test]
fn errors_fail_check() {
    let Run { code, stderr, .. } = site(&[("semester.md", "---\ntitle: Semester\nordr: 1\n---\n")]).check();
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("content/semester.md:3:1: error: unknown front matter key `ordr`\n"),
        "{stderr}"
    );
}

#[test]
fn init_creates_a_handbook_that_checks_clean_but_for_its_statement_and_never_overwrites() {
    let dir = TestSite::empty();
    let Run { code, stdout, stderr } = dir.run(&["init", "ny-handbok"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("handbok serve"), "{stdout}");
    let site = dir.path("ny-handbok");
    // The only thing a new handbook lacks is what only its organisation can say: the facts of
    // its accessibility statement. `check` says so; `--strict` holds publishing back until then.
    let Run { code, stdout, stderr } = run_in(&site, &["check"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("no errors, 1 warning(s)"), "{stdout}");
    assert!(
        stderr.starts_with(
            "content/site.yml: warning: the accessibility statement lacks facts only you can give: `status`"
        ),
        "{stderr}"
    );
    let Run { code, .. } = run_in(&site, &["check", "--strict"]);
    assert_eq!(code, 1);
    let Run { code, stderr, .. } = run_in(&site, &["build"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(site.join("public/policyer/distansarbete.html").is_file());

    let before = fs::read_to_string(site.join("content/index.md")).unwrap();
    let Run { code, stderr, .. } = dir.run(&["init", "ny-handbok"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("not empty"), "{stderr}");
    assert_eq!(fs::read_to_string(site.join("content/index.md")).unwrap(), before);
}

/// Every check runs before the one error gate: a broken link, a `print_with` naming no page, a
/// year wheel with a bad month, a slug clash whose page also has a broken link, and a page with
/// broken front matter all come in the same run.
#[test]
fn problems_of_every_kind_come_in_one_run() {
    let run = site(&[
        ("semester.md", "---\ntitle: Semester\nprint_with: [guide.md]\n---\n\n[Ledighet](ledighet.md)\n"),
        ("Semester.md", "---\ntitle: Semester igen\n---\n\n[Borta](borta.md)\n"),
        (
            "index.md",
            "---\ntitle: Startsida\nyear_wheel:\n  - {label: Samtal, from: 9, to: 11}\n  - {label: Lön, from: 0, to: 2}\n---\n\nText.\n",
        ),
        ("trasig.md", "---\ntitle: [trasig\n---\n\n[Saknas](saknas.md)\n"),
    ])
    .in_memory();
    assert!(run.built.is_none());
    let heads = run.headlines();
    let expected = [
        ("content/semester.md: error:", "would both become `semester.html`"),
        (
            "content/Semester.md:5:1: error:",
            "link to a page that does not exist: `borta.md`",
        ),
        ("content/index.md:5: error:", "year_wheel: `Lön` has months 0–2"),
        (
            "content/semester.md:3: error:",
            "`print_with` names `guide.md`, which is not a page",
        ),
        (
            "content/semester.md:6:1: error:",
            "link to a page that does not exist: `ledighet.md`",
        ),
        ("content/trasig.md:2", "invalid front matter"),
        (
            "content/trasig.md:5:1: error:",
            "link to a page that does not exist: `saknas.md`",
        ),
    ];
    for (at, what) in expected {
        assert!(
            heads.iter().any(|h| h.starts_with(at) && h.contains(what)),
            "`{at} … {what}` not in {heads:#?}"
        );
    }
}
