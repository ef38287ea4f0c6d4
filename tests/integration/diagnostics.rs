//! What an editor reads when something is wrong: one snapshot per kind of error and warning,
//! each `path:line:column: error|warning: message`, the source line with the spot marked, and
//! a hint. Plus the exit codes of `check`, `check --strict` and `build` with warnings.

use std::collections::HashSet;
use std::fs;
use std::path::Path;
use std::process::Command;

use handbok::diag::Diagnostics;
use handbok::BuildOptions;

const SITE: &str = "title: Testhandbok\norganisation: Testkommun\n";
const INDEX: &str = "---\ntitle: Startsida\n---\n\nVälkommen till [semesterreglerna](semester.md).\n";
const SEMESTER: &str =
    "---\ntitle: Semester\norder: 1\n---\n\n## Rätt till semester\n\nText.\n\n## Sparade dagar\n\nText.\n";

/// A site of a start page and `semester.md`, with `files` added or replaced.
fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    let mut all: Vec<(&str, &str)> = vec![("site.yml", SITE), ("index.md", INDEX), ("semester.md", SEMESTER)];
    for (path, text) in files {
        all.retain(|(p, _)| p != path);
        all.push((path, text));
    }
    for (path, text) in all {
        let path = content.join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

fn options(dir: &Path) -> BuildOptions {
    BuildOptions {
        content: dir.join("content"),
        theme: None,
        out: dir.join("public"),
    }
}

/// Everything `check` reports, as printed, with the temp folder cut off the paths.
fn shown(diags: Diagnostics, dir: &Path) -> String {
    let prefix = format!("{}/", dir.display());
    diags
        .sorted()
        .iter()
        .map(|d| d.to_string().replace(&prefix, ""))
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn check(files: &[(&str, &str)]) -> String {
    let dir = site(files);
    let mut diags = Diagnostics::new();
    handbok::check(&options(dir.path()), &mut diags);
    shown(diags, dir.path())
}

macro_rules! snapshot {
    ($name:ident, $files:expr) => {
        #[test]
        fn $name() {
            let text = check($files);
            assert!(!text.is_empty(), "expected a diagnostic");
            insta::assert_snapshot!(stringify!($name), text);
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
fn warning_page_no_link_or_menu_reaches() {
    // The menu lists every page the site model places, so this is checked against a menu that
    // leaves `semester.md` out and a start page that does not link to it.
    let dir = site(&[("index.md", "---\ntitle: Startsida\n---\n\nVälkommen.\n")]);
    let mut diags = Diagnostics::new();
    let content = handbok::content::load(&dir.path().join("content"), &mut diags).unwrap();
    let rendered: Vec<_> = content
        .pages
        .iter()
        .map(|p| handbok::markdown::render(p, &content.root.join(&p.source)))
        .collect();
    let start = content.pages.iter().position(|p| p.source == "index.md").unwrap();
    let in_nav: HashSet<usize> = [start].into_iter().collect();
    handbok::lint::unreached(&content, &rendered, start, &in_nav, &mut diags);
    insta::assert_snapshot!("warning_page_no_link_or_menu_reaches", shown(diags, dir.path()));

    // A link from a reached page is enough.
    let dir = site(&[]);
    let mut diags = Diagnostics::new();
    let content = handbok::content::load(&dir.path().join("content"), &mut diags).unwrap();
    let rendered: Vec<_> = content
        .pages
        .iter()
        .map(|p| handbok::markdown::render(p, &content.root.join(&p.source)))
        .collect();
    let start = content.pages.iter().position(|p| p.source == "index.md").unwrap();
    handbok::lint::unreached(&content, &rendered, start, &[start].into_iter().collect(), &mut diags);
    assert!(diags.is_empty(), "{}", shown(diags, dir.path()));
}

#[test]
fn a_clean_site_has_no_warnings() {
    assert_eq!(check(&[]), "");
}

#[test]
fn every_problem_of_a_run_is_reported_together() {
    // Front matter problems in several files come together…
    let dir = site(&[
        ("semester.md", "---\ntitle: Semester\nordr: 1\n---\n\nText.\n"),
        ("index.md", "---\ntiitle: Startsida\n---\n\nText.\n"),
    ]);
    let mut diags = Diagnostics::new();
    assert!(handbok::check(&options(dir.path()), &mut diags).is_none());
    let text = shown(diags.clone(), dir.path());
    assert_eq!(diags.error_count(), 2, "{text}");

    // …and so do link, image and content problems across pages, errors and warnings mixed.
    let dir = site(&[
        ("semester.md", "---\ntitle: Semester\n---\n\n[Läs mer](finns-inte.md)\n"),
        (
            "index.md",
            "---\ntitle: Startsida\n---\n\n### Hoppar\n\n[klicka här](semester.md#saknas) och ![](saknas.png)\n",
        ),
    ]);
    let mut diags = Diagnostics::new();
    assert!(handbok::check(&options(dir.path()), &mut diags).is_none());
    let text = shown(diags.clone(), dir.path());
    assert_eq!(diags.error_count(), 4, "{text}");
    assert_eq!(diags.warning_count(), 3, "{text}");
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

fn handbok(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_handbok"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn warnings_fail_check_only_with_strict_and_never_stop_build() {
    let dir = site(&[(
        "index.md",
        "---\ntitle: Startsida\n---\n\nOm semester: [här](semester.md).\n",
    )]);
    let (code, stdout, stderr) = handbok(dir.path(), &["check"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("no errors, 1 warning(s)"), "{stdout}");
    assert!(
        stderr.starts_with("content/index.md:5:14: warning: link text `här`"),
        "{stderr}"
    );

    let (code, _, stderr) = handbok(dir.path(), &["check", "--strict"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("--strict fails on warnings"), "{stderr}");

    let (code, stdout, stderr) = handbok(dir.path(), &["build"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("warning: link text `här`"), "{stderr}");
    assert!(stdout.contains("1 warning(s)"), "{stdout}");
    assert!(dir.path().join("public/index.html").is_file());
}

#[test]
fn errors_fail_check() {
    let dir = site(&[("semester.md", "---\ntitle: Semester\nordr: 1\n---\n")]);
    let (code, _, stderr) = handbok(dir.path(), &["check"]);
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("content/semester.md:3:1: error: unknown front matter key `ordr`\n"),
        "{stderr}"
    );
}

#[test]
fn init_creates_a_handbook_that_checks_clean_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = handbok(dir.path(), &["init", "ny-handbok"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("handbok serve"), "{stdout}");
    let site = dir.path().join("ny-handbok");
    let (code, stdout, stderr) = handbok(&site, &["check", "--strict"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stderr.is_empty(), "no warnings: {stderr}");
    let (code, _, stderr) = handbok(&site, &["build"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(site.join("public/policyer/distansarbete.html").is_file());

    let before = fs::read_to_string(site.join("content/index.md")).unwrap();
    let (code, _, stderr) = handbok(dir.path(), &["init", "ny-handbok"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("not empty"), "{stderr}");
    assert_eq!(fs::read_to_string(site.join("content/index.md")).unwrap(), before);
}
