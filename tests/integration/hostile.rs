//! Hostile and broken input, end to end: every case runs the real binary on a content folder
//! made in a temporary directory and checks the exit code, the message, and the output folder.

use std::collections::BTreeMap;
use std::fs;

use scraper::Html;

use crate::support::*;

pub(crate) fn select(html: &Html, css: &str) -> usize {
    count(html, css)
}

/// A fixture with a first, good build already in `public/`; returns its files.
pub(crate) fn built() -> (TestSite, BTreeMap<String, Vec<u8>>) {
    let f = TestSite::new();
    f.build().succeeded();
    let before = f.tree("public");
    assert!(before.contains_key("index.html"));
    (f, before)
}

// ---------------------------------------------------------------- raw HTML

#[test]
fn safe_html_subset_reaches_the_page() {
    let f = TestSite::new();
    f.page(
        "sida.md",
        "<details>\n<summary>Mer om lön</summary>\n\nLönen betalas den **25:e**.\n\n</details>\n\n\
         Enligt <abbr title=\"Lagen om anställningsskydd\">LAS</abbr> och x<sup>2</sup>, <kbd>Ctrl</kbd>.\n\n\
         <figure><img src=\"logga.png\" alt=\"Kommunens logga\" width=\"20\" height=\"10\"><figcaption>Logga</figcaption></figure>\n\n\
         <dl><dt>FSG</dt><dd>Förvaltningens samverkansgrupp</dd></dl>\n\n\
         <div class=\"ruta\"><span class=\"viktigt\">Viktigt</span></div>\n\n\
         <table><tr><th scope=\"col\">A</th></tr><tr><td>1</td></tr></table>\n\n\
         Se <a href=\"https://alingsas.se\" title=\"Kommunen\">kommunen</a>.\n",
    );
    f.write_bytes("content/logga.png", b"\x89PNG\r\n");
    f.build().succeeded();
    let html = f.html("sida.html");
    for css in [
        "details > summary",
        "abbr[title]",
        "sup",
        "kbd",
        "figure > img[alt][width][height]",
        "figcaption",
        "dl > dt",
        "dd",
        "div.ruta > span.viktigt",
        "table th[scope=col]",
        "a[href=\"https://alingsas.se\"][title]",
    ] {
        assert_eq!(select(&html, css), 1, "{css}");
    }
    // Markdown inside the details block is still Markdown.
    assert_eq!(select(&html, "details strong"), 1);
}

#[test]
fn unsafe_raw_html_is_refused_with_file_and_line() {
    let cases: &[(&str, &str)] = &[
        ("<script>alert(1)</script>", "`<script>`"),
        ("<img src=\"a.png\" alt=\"x\" onerror=\"alert(1)\">", "`onerror`"),
        ("<p onclick=\"alert(1)\">x</p>", "`onclick`"),
        ("<a href=\"javascript:alert(1)\">x</a>", "URL scheme"),
        ("<a href=\"jav&#x09;ascript:alert(1)\">x</a>", "URL scheme"),
        ("<a href=\"vbscript:x\">x</a>", "URL scheme"),
        (
            "<img src=\"data:image/svg+xml,<svg onload=alert(1)>\" alt=\"x\">",
            "URL scheme",
        ),
        ("<iframe src=\"https://example.com\"></iframe>", "`<iframe>`"),
        ("<object data=\"x.swf\"></object>", "`<object>`"),
        ("<embed src=\"x.swf\">", "`<embed>`"),
        ("<style>body { display: none }</style>", "`<style>`"),
        (
            "<form action=\"https://example.com\"><input name=\"pnr\"></form>",
            "`<form>`",
        ),
        ("<input name=\"pnr\">", "`<input>`"),
        ("<svg><a href=\"javascript:alert(1)\">x</a></svg>", "`<svg>`"),
        (
            "<meta http-equiv=\"refresh\" content=\"0;url=https://example.com\">",
            "`<meta>`",
        ),
        ("<base href=\"https://example.com/\">", "`<base>`"),
        (
            "<div style=\"background:url(https://example.com/spår)\">x</div>",
            "`style`",
        ),
        // Inline, in the middle of a paragraph.
        (
            "Text <span onmouseover=\"alert(1)\">här</span> och mer.",
            "`onmouseover`",
        ),
    ];
    for (html, needle) in cases {
        let (f, before) = built();
        f.page("sida.md", &format!("Första raden.\n\n{html}\n"));
        f.build()
            .failed_with(&["content/sida.md:6", needle, "nothing was written"]);
        assert_eq!(f.tree("public"), before, "{html}: the previous site must be untouched");
    }
}

#[test]
fn a_tag_split_over_lines_is_seen_whole() {
    let (f, before) = built();
    f.page(
        "sida.md",
        "Text.\n\n<div class=\"a\"\n  onclick=\"alert(1)\">\nx\n</div>\n",
    );
    f.build().failed_with(&["content/sida.md:7", "`onclick`"]);
    assert_eq!(f.tree("public"), before);
    // A tag split between an HTML block line and the next line inside the same block.
    f.page("sida.md", "<img src=\"a.png\"\nalt=\"x\"\nonerror=\"alert(1)\">\n");
    f.build().failed_with(&["content/sida.md:6", "`onerror`"]);
}

#[test]
fn markdown_links_with_unsafe_schemes_are_refused() {
    let (f, before) = built();
    f.page(
        "sida.md",
        "[klicka](javascript:alert(1))\n\n<javascript:alert(2)>\n\n![bild](data:image/png;base64,AA)\n",
    );
    f.build().failed_with(&[
        "content/sida.md:4",
        "content/sida.md:6",
        "content/sida.md:8",
        "`javascript:`",
    ]);
    assert_eq!(f.tree("public"), before);
}

#[test]
fn placeholder_character_cannot_forge_generated_html() {
    let f = TestSite::new();
    f.page("sida.md", "# Rubrik\n\n<span title=\"\u{f8ff}0\u{f8ff}\">x</span>\n");
    f.build().failed_with(&["content/sida.md", "U+F8FF"]);
    assert!(!f.path("public").exists());
}

// ---------------------------------------------------------------- paths

#[test]
fn links_and_images_outside_the_content_folder_are_errors() {
    let (f, before) = built();
    f.write("secret.md", "---\ntitle: Hemligt\n---\n");
    f.write_bytes("secret.png", b"png");
    f.page(
        "avsnitt/index.md",
        "[hemligt](../../secret.md)\n\n![bild](../../secret.png)\n\n[abs](/../secret.md)\n",
    );
    f.build().failed_with(&[
        "content/avsnitt/index.md:4",
        "content/avsnitt/index.md:6",
        "content/avsnitt/index.md:8",
        "leads outside the content folder",
    ]);
    assert_eq!(f.tree("public"), before);
}

#[cfg(unix)]
#[test]
fn symlinks_leading_outside_are_never_followed_or_copied() {
    let (f, before) = built();
    f.write("utanfor/hemlig.txt", "lösenord");
    f.write("utanfor/sida.md", "---\ntitle: Utanför\n---\n");
    std::os::unix::fs::symlink(f.path("utanfor/hemlig.txt"), f.path("content/hemlig.txt")).unwrap();
    std::os::unix::fs::symlink(f.path("utanfor"), f.path("content/mapp")).unwrap();
    std::os::unix::fs::symlink(f.path("utanfor/sida.md"), f.path("content/sida.md")).unwrap();
    let run = f.build();
    run.failed_with(&[
        "content/hemlig.txt",
        "content/sida.md",
        "leads outside the content folder",
    ]);
    assert_eq!(f.tree("public"), before);
    // A symlink to a folder inside is not followed either (it could loop), only warned about.
    fs::remove_file(f.path("content/hemlig.txt")).unwrap();
    fs::remove_file(f.path("content/sida.md")).unwrap();
    fs::remove_file(f.path("content/mapp")).unwrap();
    f.page("riktig/index.md", "Riktig.\n");
    std::os::unix::fs::symlink(f.path("content/riktig"), f.path("content/lank")).unwrap();
    let run = f.build();
    run.succeeded();
    assert!(run.stderr.contains("not followed"), "{}", run.stderr);
    assert!(!f.tree("public").keys().any(|k| k.starts_with("lank")));
    assert!(!f.tree("public").values().any(|v| v == "lösenord".as_bytes()));
}

#[test]
fn swedish_names_with_spaces_and_case_give_stable_slugs() {
    let f = TestSite::new();
    f.page("Lön och Förmåner.md", "Text.\n");
    f.page("Ärenden/index.md", "Text.\n");
    f.page("Ärenden/Övertid ÅÄÖ.md", "Text.\n");
    f.write_bytes("content/Ärenden/Bild Ö.PNG", b"png");
    f.page(
        "länkar.md",
        "[a](Lön%20och%20Förmåner.md) [b](<Ärenden/Övertid ÅÄÖ.md>) ![c](<Ärenden/Bild Ö.PNG>)\n",
    );
    f.build().succeeded();
    let files = f.tree("public");
    for expected in [
        "lon-och-formaner.html",
        "arenden/index.html",
        "arenden/overtid-aao.html",
        "arenden/bild-o.png",
        "lankar.html",
    ] {
        assert!(files.contains_key(expected), "{expected} missing: {:?}", files.keys());
    }
    let html = f.html("lankar.html");
    for css in [
        "article a[href=\"lon-och-formaner.html\"]",
        "article a[href=\"arenden/overtid-aao.html\"]",
        "article img[src=\"arenden/bild-o.png\"]",
    ] {
        assert_eq!(select(&html, css), 1, "{css}");
    }
}

#[test]
fn two_files_with_the_same_output_path_are_an_error_naming_both() {
    let (f, before) = built();
    f.page("Lön.md", "A\n");
    f.page("lon.md", "B\n");
    f.build()
        .failed_with(&["`lon.md`", "`Lön.md`", "would both become `lon.html`"]);
    assert_eq!(f.tree("public"), before);
    fs::remove_file(f.path("content/lon.md")).unwrap();
    f.write_bytes("content/lon.html", b"<p>handskriven</p>");
    f.build()
        .failed_with(&["`lon.html`", "`Lön.md`", "would both become `lon.html`"]);
}

// ---------------------------------------------------------------- output safety

#[test]
fn a_failed_build_leaves_the_previous_site_byte_for_byte() {
    let (f, before) = built();
    f.page("trasig.md", "[saknas](finns-inte.md)\n");
    f.build().failed_with(&["finns-inte.md", "nothing was written"]);
    assert_eq!(f.tree("public"), before);
    assert_eq!(
        f.top_level(),
        ["content", "public"],
        "no staging folder may be left behind"
    );
}

#[cfg(unix)]
#[test]
fn a_write_failure_leaves_the_previous_site_byte_for_byte() {
    let (f, before) = built();
    f.page("ny.md", "Ny sida.\n");
    // Something that is not ours sits where the staging folder goes: writing must stop and the
    // old site stay (the injected mid-write failure is tested in output.rs through `Writer`).
    fs::create_dir(f.path(".public.handbok-staging")).unwrap();
    fs::write(f.path(".public.handbok-staging/mitt.txt"), "mitt").unwrap();
    f.build().failed_with(&["interrupted build", "nothing was written"]);
    assert_eq!(f.tree("public"), before);
    assert_eq!(fs::read(f.path(".public.handbok-staging/mitt.txt")).unwrap(), b"mitt");
}

#[test]
fn files_the_tool_did_not_create_are_never_deleted() {
    let (f, before) = built();
    f.write("public/mina-anteckningar.txt", "viktigt");
    f.build().failed_with(&["mina-anteckningar.txt", "did not create"]);
    let mut expected = before.clone();
    expected.insert("mina-anteckningar.txt".into(), b"viktigt".to_vec());
    assert_eq!(f.tree("public"), expected);
    // A non-empty folder without handbok's marker is refused whole.
    let f = TestSite::new();
    f.write("dokument/rapport.docx", "x");
    f.run(&["build", "--out", "dokument"])
        .failed_with(&["not empty", "was not created by handbok"]);
    assert_eq!(fs::read(f.path("dokument/rapport.docx")).unwrap(), b"x");
}

#[test]
fn output_overlapping_content_or_theme_is_refused() {
    let f = TestSite::new();
    f.write("tema/strings.yml", "");
    for (out, extra) in [
        ("content", &[][..]),
        ("content/public", &[][..]),
        (".", &[][..]),
        ("tema", &["--theme", "tema"][..]),
        ("tema/ut", &["--theme", "tema"][..]),
        ("content/../content", &[][..]),
    ] {
        let mut args = vec!["build", "--out", out];
        args.extend_from_slice(extra);
        let before = f.tree("");
        f.run(&args).failed_with(&["overlaps", "could destroy your sources"]);
        assert_eq!(f.tree(""), before, "--out {out}");
    }
}

#[test]
fn two_builds_give_identical_bytes_whatever_the_file_order() {
    let make = |reverse: bool| {
        let f = TestSite::new();
        let mut names = vec!["b.md", "a.md", "Ö.md", "c/index.md", "c/z.md", "c/å.md"];
        if reverse {
            names.reverse();
        }
        for name in names {
            f.page(name, &format!("# {name}\n\nText [start](/index.md).\n"));
        }
        f.build().succeeded();
        f
    };
    let first = make(false);
    let second = make(true);
    let a = first.tree("public");
    assert_eq!(a, second.tree("public"));
    first.build().succeeded();
    assert_eq!(a, first.tree("public"));
}

#[cfg(unix)]
#[test]
fn an_output_folder_that_is_a_symlink_into_the_content_is_refused() {
    let f = TestSite::new();
    std::os::unix::fs::symlink(f.path("content"), f.path("public")).unwrap();
    let before = f.tree("content");
    f.build().failed_with(&["overlaps", "could destroy your sources"]);
    assert_eq!(f.tree("content"), before);
}
