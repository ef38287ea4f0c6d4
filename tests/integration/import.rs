//! `handbok import`: Word documents saved by LibreOffice Writer (tests/fixtures/docx/) imported,
//! built, and compared with the document structurally; bad files refused with nothing written.

use std::fs;
use std::io::Write;

use crate::support::{attrs, count, fixture, shipped, texts, TestSite};

/// `tests/fixtures/docx/<name>` as an argument.
fn docx(name: &str) -> String {
    fixture("docx").join(name).to_string_lossy().into_owned()
}

/// Text as a reader sees it: the build's soft hyphens left out, whitespace collapsed.
fn plain(list: Vec<String>) -> Vec<String> {
    list.into_iter().map(|t| t.replace('\u{00AD}', "")).collect()
}

/// Heading texts without the anchor link's `#`.
fn headings(page: &scraper::Html, css: &str) -> Vec<String> {
    plain(texts(page, css))
        .into_iter()
        .map(|t| t.trim_start_matches('#').to_string())
        .collect()
}

const PAGE: &str = "content/policy-för-distansarbete.md";

#[test]
fn a_word_document_imports_with_its_headings_lists_table_links_notes_images_and_form() {
    let site = TestSite::new();
    let run = site.run(&["import", &docx("distansarbete.docx"), "--accept-changes"]);
    run.succeeded();
    assert!(run.stderr.contains("1 kommentar togs bort"), "{}", run.stderr);
    // The image without alternative text is named by the check the import runs.
    assert!(
        run.stderr.contains("image2.png") && run.stderr.contains("alt text"),
        "{}",
        run.stderr
    );
    site.check()
        .failed_with(&["policy-för-distansarbete-bilder/image2.png", "no alt text"]);
    // Give it one, as the editor would ask, and build.
    let text = fs::read_to_string(site.path(PAGE)).unwrap();
    assert!(!text.contains("revised:"), "{text}");
    // Word's soft hyphen is gone (the build hyphenates itself); the no-break space between
    // digits stays, as the build's own number formatting writes it.
    assert!(
        text.contains("Distansarbete ska") && text.contains("5\u{00A0}000 kronor"),
        "{text}"
    );
    site.write(PAGE, &text.replace("![](", "![En blå ruta]("));
    site.build().succeeded();
    let page = site.html("policy-for-distansarbete.html");
    assert_eq!(plain(texts(&page, "article h1")), ["Policy för distansarbete"]);
    // Author "HR-avdelningen" names a unit: the owner.
    assert_eq!(
        plain(texts(&page, ".doc-info dd")).first().map(String::as_str),
        Some("HR-avdelningen")
    );
    assert_eq!(
        headings(&page, ".content > h2"),
        ["Syfte", "Ansvar och befogenheter", "Underskrifter"]
    );
    assert_eq!(
        headings(&page, ".content > h3"),
        ["Ersättningar", "Arbetsplatsen hemma"]
    );
    // Word numbering: a numbered list with a nested level, a bulleted list three levels deep.
    assert_eq!(count(&page, ".content > ol > li"), 3);
    assert_eq!(
        plain(texts(&page, ".content > ol > li > ol > li")),
        ["arbetstider", "utrustning"]
    );
    assert_eq!(
        plain(texts(&page, ".content > ul > li > ul > li > ul > li")),
        ["för en period i taget"]
    );
    assert_eq!(count(&page, ".content > ul > li"), 2);
    // The table with its header row.
    assert_eq!(
        plain(texts(&page, ".content table th")),
        ["Utrustning", "Belopp", "Vem betalar"]
    );
    assert_eq!(
        plain(texts(&page, ".content table td")),
        [
            "Skärm",
            "2 000 kr",
            "Arbetsgivaren",
            "Stol",
            "1 500 kr",
            "Arbetsgivaren"
        ]
    );
    // Links: the address, and the bookmark on a heading as that heading's anchor.
    let hrefs = attrs(&page, ".content p a:not(.heading-anchor)", "href");
    assert!(hrefs.contains(&"https://www.alingsas.se/".to_string()), "{hrefs:?}");
    assert!(hrefs.contains(&"#ansvar-och-befogenheter".to_string()), "{hrefs:?}");
    assert_eq!(count(&page, "h2#ansvar-och-befogenheter"), 1);
    // Bold and italic, the footnote, the accepted change, the soft hyphen and no-break space.
    assert_eq!(plain(texts(&page, ".content > p strong")), ["alla medarbetare"]);
    assert_eq!(plain(texts(&page, ".content > p em")), ["kan"]);
    assert_eq!(count(&page, "sup.fotnot-ref"), 1);
    let notes = plain(texts(&page, ".fotnoter li"));
    assert_eq!(notes.len(), 1);
    assert!(
        notes[0].starts_with("Enligt arbetsmiljölagen (1977:1160)."),
        "{notes:?}"
    );
    let paragraphs = plain(texts(&page, ".content > p"));
    assert!(
        paragraphs
            .iter()
            .any(|p| p == "Arbetet sker efter överenskommelse med chefen och följer dessa steg:"),
        "{paragraphs:?}"
    );
    assert!(
        !paragraphs.iter().any(|p| p.contains("minst tre dagar")),
        "{paragraphs:?}"
    );
    assert!(
        paragraphs
            .iter()
            .any(|p| p.starts_with("Distansarbete ska bidra") && p.contains("5 000 kronor")),
        "{paragraphs:?}"
    );
    // Both images, each in the page's own folder, copied to the site.
    let sources = attrs(&page, ".content img", "src");
    assert_eq!(sources.len(), 2, "{sources:?}");
    for src in &sources {
        assert!(
            src.starts_with("policy-for-distansarbete-bilder/") || src.starts_with("policy-för-distansarbete-bilder/"),
            "{src}"
        );
    }
    assert_eq!(
        attrs(&page, ".content img", "alt"),
        ["Ett skrivbord med skärm och tangentbord", "En blå ruta"]
    );
    assert!(site
        .path("content/policy-för-distansarbete-bilder/image1.png")
        .is_file());
    // Lines for writing became form fields: a text field, a date and two signature lines.
    assert_eq!(count(&page, ".hb-text input"), 1);
    assert_eq!(count(&page, ".hb-date input"), 1);
    assert_eq!(
        plain(texts(&page, ".hb-signature .hb-caption")),
        ["Underskrift medarbetare", "Underskrift chef"]
    );
}

#[test]
fn swedish_and_custom_heading_styles_become_headings_and_the_page_checks_clean() {
    let site = TestSite::new();
    let run = site.run(&["import", &docx("semester.docx")]);
    run.succeeded();
    // Underscores inside a sentence are no form field: kept as text, with a warning.
    assert!(
        run.stderr.contains("ser inte ut som ett formulärfält"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("klarar `handbok check --strict`"), "{}", run.stdout);
    site.run(&["check", "--strict"]).succeeded();
    site.build().succeeded();
    let page = site.html("riktlinjer-for-semester.html");
    assert_eq!(plain(texts(&page, "article h1")), ["Riktlinjer för semester"]);
    // "Rubrik 1", "Rubrik 2", and "Policyrubrik" (based on Rubrik 2).
    assert_eq!(headings(&page, ".content > h2"), ["Planering", "Beslut"]);
    assert_eq!(headings(&page, ".content > h3"), ["Sommar", "Sparade dagar"]);
    assert_eq!(
        plain(texts(&page, ".content strong em, .content em strong")),
        ["sommarsemester"]
    );
    // The author is a person: no owner.
    assert_eq!(count(&page, ".doc-info"), 0);
    let last = plain(texts(&page, ".content > p")).pop().unwrap();
    assert_eq!(
        last,
        "Chefen beslutar. Jag, ____________, intygar att uppgifterna stämmer."
    );
}

#[test]
fn tracked_changes_are_refused_unless_accepted_or_rejected() {
    let site = TestSite::new();
    let before = site.tree("content");
    site.run(&["import", &docx("distansarbete.docx")]).failed_with(&[
        "2 spårade ändringar",
        "--accept-changes",
        "Inget skrevs",
    ]);
    assert_eq!(site.tree("content"), before);
    site.run(&["import", &docx("distansarbete.docx"), "--reject-changes"])
        .succeeded();
    let text = fs::read_to_string(site.path(PAGE)).unwrap();
    assert!(
        text.contains("Arbetet sker minst tre dagar i veckan och följer"),
        "{text}"
    );
    assert!(!text.contains("efter överenskommelse"), "{text}");
}

#[test]
fn the_same_document_imports_to_the_same_bytes() {
    let one = TestSite::new();
    let two = TestSite::new();
    for site in [&one, &two] {
        site.run(&["import", &docx("distansarbete.docx"), "--accept-changes"])
            .succeeded();
    }
    assert_eq!(one.tree("content"), two.tree("content"));
}

#[test]
fn an_existing_page_is_replaced_only_with_replace() {
    let site = TestSite::new();
    site.run(&["import", &docx("semester.docx")]).succeeded();
    let page = "content/riktlinjer-för-semester.md";
    site.write(page, "---\ntitle: Egen\n---\nMin text.\n");
    let before = site.tree("content");
    site.run(&["import", &docx("semester.docx")])
        .failed_with(&["riktlinjer-för-semester.md finns redan", "--replace"]);
    assert_eq!(site.tree("content"), before);
    site.run(&["import", &docx("semester.docx"), "--replace"]).succeeded();
    assert!(fs::read_to_string(site.path(page))
        .unwrap()
        .contains("Semester planeras"));
}

#[test]
fn split_gives_a_section_with_a_page_per_top_level_heading() {
    let site = TestSite::new();
    site.run(&["import", &docx("distansarbete.docx"), "--accept-changes", "--split"])
        .succeeded();
    let folder = "content/policy-för-distansarbete";
    for name in ["index.md", "syfte.md", "ansvar-och-befogenheter.md", "underskrifter.md"] {
        assert!(site.path(&format!("{folder}/{name}")).is_file(), "{name}");
    }
    let index = fs::read_to_string(site.path(&format!("{folder}/index.md"))).unwrap();
    // The internal link now crosses pages; the heading it named is that page's title.
    assert!(
        index.contains("[Ansvar och befogenheter](ansvar-och-befogenheter.md)"),
        "{index}"
    );
    let ansvar = format!("{folder}/ansvar-och-befogenheter.md");
    let text = fs::read_to_string(site.path(&ansvar)).unwrap();
    assert!(
        text.starts_with("---\ntitle: Ansvar och befogenheter\norder: 2\n"),
        "{text}"
    );
    site.write(&ansvar, &text.replace("![](", "![En blå ruta]("));
    site.build().succeeded();
    let page = site.html("policy-for-distansarbete/ansvar-och-befogenheter.html");
    assert_eq!(
        headings(&page, ".content > h2"),
        ["Ersättningar", "Arbetsplatsen hemma"]
    );
    assert_eq!(count(&page, ".content img"), 2);
}

#[test]
fn the_medarbetarpolicy_saved_by_word_processor_imports_back_to_the_same_text() {
    let site = TestSite::empty();
    crate::support::copy_dir(&crate::support::repo_root().join("content"), &site.content());
    site.run(&["import", &docx("medarbetarpolicy.docx"), "--to", "medarbetarpolicy"])
        .succeeded();
    site.build().succeeded();
    let imported = site.html("medarbetarpolicy/medarbetarpolicy.html");
    let original = shipped().html("medarbetarpolicy/index.html");
    assert_eq!(
        plain(texts(&imported, "article h1")),
        plain(texts(&original, "article h1"))
    );
    let blocks = ".content > h2, .content > h3, .content > p, .content > ul > li, .content > ol > li";
    let imported_blocks = plain(texts(&imported, blocks));
    assert!(imported_blocks.len() > 5, "{imported_blocks:?}");
    assert_eq!(imported_blocks, plain(texts(&original, blocks)));
    assert_eq!(
        attrs(&imported, ".content a:not(.heading-anchor)", "href"),
        attrs(&original, ".content a:not(.heading-anchor)", "href")
    );
    assert_eq!(
        plain(texts(&imported, ".doc-info dd")).first(),
        plain(texts(&original, ".doc-info dd")).first()
    );
}

/// A .docx-shaped zip with these entries (also the editor's import tests use it).
pub(crate) fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in entries {
            zip.start_file(*name, options).unwrap();
            zip.write_all(bytes).unwrap();
        }
        zip.finish().unwrap();
    }
    out.into_inner()
}

fn refused(site: &TestSite, file: &str, bytes: &[u8], needles: &[&str]) {
    site.write_bytes(file, bytes);
    let before = site.tree("content");
    site.run(&["import", file]).failed_with(needles);
    assert_eq!(site.tree("content"), before, "{file} wrote something");
}

#[test]
fn files_that_are_no_word_document_are_refused_with_a_clear_message_and_nothing_written() {
    let site = TestSite::new();
    let fixture_bytes = |name: &str| fs::read(fixture("docx").join(name)).unwrap();
    refused(
        &site,
        "gammal.docx",
        &fixture_bytes("gammalt-format.docx"),
        &["äldre Word-dokument (.doc)", "Inget skrevs"],
    );
    refused(
        &site,
        "rapport.docx",
        &fixture_bytes("pdf-som-docx.docx"),
        &["är en PDF"],
    );
    refused(
        &site,
        "hemlig.docx",
        &fixture_bytes("krypterat.docx"),
        &["skyddat med lösenord"],
    );
    refused(
        &site,
        "text.docx",
        "Hej, det här är bara text.".as_bytes(),
        &["inte ett Word-dokument"],
    );
    // Over the size limit (made here, not committed).
    let mut big = b"PK\x03\x04".to_vec();
    big.resize(handbok::import::MAX_FILE_BYTES + 1, 0);
    refused(&site, "stor.docx", &big, &["högst 50 MB"]);
}

#[test]
fn hostile_zip_and_xml_are_refused() {
    let site = TestSite::new();
    // A zip bomb: 65 MB of spaces inflate from a few kilobytes, past the cap for one part.
    let spaces = vec![b' '; 65 * 1024 * 1024];
    let bomb = zip_of(&[("word/document.xml", &spaces)]);
    assert!(bomb.len() < 1024 * 1024);
    refused(
        &site,
        "bomb.docx",
        &bomb,
        &["word/document.xml", "packas upp till mer än"],
    );
    // Billion laughs and an external entity: any DOCTYPE is refused before an entity exists.
    let laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\"><!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">]><w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>";
    refused(
        &site,
        "skratt.docx",
        &zip_of(&[("word/document.xml", laughs.as_bytes())]),
        &["DOCTYPE"],
    );
    let external = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>";
    refused(
        &site,
        "extern.docx",
        &zip_of(&[("word/document.xml", external.as_bytes())]),
        &["DOCTYPE"],
    );
    // An entity used without a declaration is no way around it.
    let undeclared = "<w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>";
    refused(
        &site,
        "entitet.docx",
        &zip_of(&[("word/document.xml", undeclared.as_bytes())]),
        &["okänd entitet"],
    );
}

#[test]
fn a_failed_write_takes_back_what_it_wrote() {
    let site = TestSite::new();
    // A folder where the page would go: the images are written first, then the page fails.
    fs::create_dir_all(site.path(PAGE)).unwrap();
    let before = site.tree("content");
    site.run(&["import", &docx("distansarbete.docx"), "--accept-changes", "--replace"])
        .failed_with(&["inget av importen sparades"]);
    assert_eq!(site.tree("content"), before);
    assert!(!site.path("content/policy-för-distansarbete-bilder").exists());
}

#[cfg(unix)]
#[test]
fn nothing_is_written_through_a_symbolic_link() {
    let site = TestSite::new();
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), site.path("content/lank")).unwrap();
    site.run(&["import", &docx("semester.docx"), "--to", "lank"])
        .failed_with(&["symbolisk länk"]);
    assert_eq!(fs::read_dir(outside.path()).unwrap().count(), 0);
}
