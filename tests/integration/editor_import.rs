//! The editor's "Importera Word-dokument" over a real socket: an upload writes the same pages
//! as `handbok import`, the alternative texts the editor asks for make the page pass `check`,
//! and every refusal (no key, foreign origin, too large by its length or while read, not a
//! document, hostile zip or XML, tracked changes, an existing page) answers in Swedish and
//! writes nothing.

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;

use handbok::serve::Server;
use serde_json::{json, Value};

use crate::editor::{call, get_api, send, Answer};
use crate::import::zip_of;
use crate::support::{fixture, TestSite};

const PAGE: &str = "policy-för-distansarbete.md";
const IMAGE: &str = "policy-för-distansarbete-bilder/image2.png";

fn docx(name: &str) -> Vec<u8> {
    fs::read(fixture("docx").join(name)).unwrap()
}

/// Upload `bytes` as the editor page does (own Origin, the key) with this query.
fn upload(server: &Server, query: &str, bytes: &[u8]) -> Answer {
    let origin = format!("http://{}", server.addr());
    send(
        server.addr(),
        "POST",
        &format!("/__handbok/api/import?{query}"),
        &[("Origin", &origin), ("X-Handbok-Token", server.token())],
        bytes,
    )
}

/// The content folder without the server's own records (`.handbok/`).
fn content(site: &TestSite) -> std::collections::BTreeMap<String, Vec<u8>> {
    site.tree("content")
        .into_iter()
        .filter(|(path, _)| !path.starts_with(".handbok"))
        .collect()
}

/// The answer is a refusal with this status whose Swedish message has every needle, and the
/// content folder is as it was.
fn refused(site: &TestSite, answer: &Answer, status: u16, needles: &[&str]) -> Value {
    assert_eq!(answer.status, status, "{}", answer.body);
    let json = answer.json();
    let message = json["message"].as_str().unwrap_or_default();
    assert!(message.starts_with("Dokumentet importerades inte:"), "{message}");
    for needle in needles {
        assert!(message.contains(needle), "{needle:?} not in {message}");
    }
    assert!(!site.path(&format!("content/{PAGE}")).exists());
    json
}

#[test]
fn an_upload_writes_what_the_cli_writes_and_the_alt_texts_asked_for_make_it_pass_check() {
    let site = TestSite::new();
    let server = site.serve();
    let answer = upload(
        &server,
        "namn=distansarbete.docx&godkann=true",
        &docx("distansarbete.docx"),
    );
    assert_eq!(answer.status, 200, "{}", answer.body);
    let imported = answer.json();
    assert_eq!(imported["open"], PAGE);
    let written: Vec<&str> = imported["written"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(written.contains(&PAGE) && written.contains(&IMAGE), "{written:?}");
    let warnings = imported["warnings"].to_string();
    assert!(warnings.contains("1 kommentar togs bort"), "{warnings}");
    // The same bytes as `handbok import --accept-changes` writes.
    let cli = TestSite::new();
    let path = fixture("docx").join("distansarbete.docx");
    cli.run(&["import", path.to_str().unwrap(), "--accept-changes"])
        .succeeded();
    for file in &written {
        assert_eq!(
            fs::read(site.path(&format!("content/{file}"))).unwrap(),
            fs::read(cli.path(&format!("content/{file}"))).unwrap(),
            "{file}"
        );
    }
    // The image without alternative text is asked for, and its preview is the image itself.
    let images = imported["images"].as_array().unwrap();
    assert_eq!(images.len(), 1, "{images:?}");
    assert_eq!(images[0]["file"], IMAGE);
    assert_eq!(images[0]["source"], PAGE);
    let preview = get_api(&server, &format!("import/bild?fil={}", percent(IMAGE)));
    assert_eq!(preview.status, 200);
    site.check().failed_with(&[IMAGE, "no alt text"]);
    // The alternative text goes in through the save path, from the version the import wrote.
    let version = imported["versions"][0][1].as_str().unwrap();
    let saved = call(
        &server,
        "import/alt",
        json!({ "source": PAGE, "version": version, "alts": [{ "link": images[0]["link"], "alt": "En blå ruta [ritning]" }] }),
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
    let text = fs::read_to_string(site.path(&format!("content/{PAGE}"))).unwrap();
    assert!(text.contains("![En blå ruta \\[ritning\\]]("), "{text}");
    site.check().succeeded();
    site.build().succeeded();
    let page = site.html("policy-for-distansarbete.html");
    assert!(crate::support::attrs(&page, ".content img", "alt").contains(&"En blå ruta [ritning]".to_string()));
    // A second alternative-text save from the same (now old) version is a conflict, not a write.
    let again = call(
        &server,
        "import/alt",
        json!({ "source": PAGE, "version": version, "alts": [] }),
    );
    assert_eq!(again.status, 409, "{}", again.body);
}

#[test]
fn a_split_upload_opens_the_sections_index() {
    let site = TestSite::new();
    let server = site.serve();
    let answer = upload(&server, "namn=semester.docx&dela=true", &docx("semester.docx"));
    assert_eq!(answer.status, 200, "{}", answer.body);
    let imported = answer.json();
    let open = imported["open"].as_str().unwrap();
    assert!(open.ends_with("/index.md"), "{open}");
    assert!(site.path(&format!("content/{open}")).is_file());
    assert!(imported["written"].as_array().unwrap().len() > 2, "{imported}");
    site.check().succeeded();
}

#[test]
fn without_the_key_or_from_another_site_nothing_is_imported() {
    let site = TestSite::new();
    let server = site.serve();
    let before = content(&site);
    let origin = format!("http://{}", server.addr());
    let path = "/__handbok/api/import?namn=distansarbete.docx&godkann=true";
    let bytes = docx("distansarbete.docx");
    let no_key = send(server.addr(), "POST", path, &[("Origin", &origin)], &bytes);
    assert_eq!(no_key.status, 403, "{}", no_key.body);
    let wrong_key = send(
        server.addr(),
        "POST",
        path,
        &[("Origin", &origin), ("X-Handbok-Token", "0")],
        &bytes,
    );
    assert_eq!(wrong_key.status, 403);
    let foreign = send(
        server.addr(),
        "POST",
        path,
        &[("Origin", "http://evil.example"), ("X-Handbok-Token", server.token())],
        &bytes,
    );
    assert_eq!(foreign.status, 403);
    assert_eq!(content(&site), before);
}

#[test]
fn a_document_over_the_limit_is_refused_by_its_length_and_while_read() {
    let site = TestSite::new();
    let server = site.serve();
    let before = content(&site);
    let head = |extra: &str| {
        format!(
            "POST /__handbok/api/import?namn=stor.docx HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nX-Handbok-Token: {token}\r\nConnection: close\r\n{extra}\r\n",
            addr = server.addr(),
            token = server.token()
        )
    };
    // Said too large: refused before a byte of it is read.
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(head("Content-Length: 60000000\r\n").as_bytes())
        .unwrap();
    let answer = read_answer(&mut stream);
    refused(&site, &answer, 413, &["högst 50 MB"]);
    // No length given: bounded while read (one chunk past the limit).
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(30)))
        .unwrap();
    stream
        .write_all(head("Transfer-Encoding: chunked\r\n").as_bytes())
        .unwrap();
    // The answer is read while the body is still being sent (the server answers and closes
    // as soon as the limit is passed).
    let mut reader = stream.try_clone().unwrap();
    let answer = std::thread::spawn(move || read_answer(&mut reader));
    let chunk = vec![b'x'; 1024 * 1024];
    for _ in 0..=handbok::import::MAX_FILE_BYTES / chunk.len() {
        let framed = [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"].concat();
        if stream.write_all(&framed).is_err() {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n");
    let answer = answer.join().unwrap();
    refused(&site, &answer, 413, &["högst 50 MB"]);
    assert_eq!(content(&site), before);
}

fn read_answer(stream: &mut TcpStream) -> Answer {
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let status = raw.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = raw.split_once("\r\n\r\n").map_or(String::new(), |(_, b)| b.to_string());
    Answer { status, body }
}

#[test]
fn bad_documents_get_the_importers_swedish_message_and_nothing_is_written() {
    let site = TestSite::new();
    let server = site.serve();
    let before = content(&site);
    let bomb = zip_of(&[("word/document.xml", &vec![b' '; 65 * 1024 * 1024])]);
    let laughs = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">]><w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>&lol1;</w:t></w:r></w:p></w:body></w:document>";
    let external = "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><w:document xmlns:w=\"x\"><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>";
    let cases: Vec<(&str, Vec<u8>, &[&str])> = vec![
        (
            "gammal.docx",
            docx("gammalt-format.docx"),
            &["äldre Word-dokument (.doc)"],
        ),
        ("rapport.docx", docx("pdf-som-docx.docx"), &["är en PDF"]),
        ("hemlig.docx", docx("krypterat.docx"), &["skyddat med lösenord"]),
        (
            "text.docx",
            "Bara text.".as_bytes().to_vec(),
            &["inte ett Word-dokument"],
        ),
        ("bomb.docx", bomb, &["word/document.xml", "packas upp till mer än"]),
        (
            "skratt.docx",
            zip_of(&[("word/document.xml", laughs.as_bytes())]),
            &["DOCTYPE"],
        ),
        (
            "extern.docx",
            zip_of(&[("word/document.xml", external.as_bytes())]),
            &["DOCTYPE"],
        ),
        ("policy.pdf", docx("pdf-som-docx.docx"), &["är en PDF"]),
        ("policy.doc", docx("distansarbete.docx"), &["äldre Word-dokument"]),
        (
            "anteckning.txt",
            docx("distansarbete.docx"),
            &["inte ett Word-dokument"],
        ),
    ];
    for (name, bytes, needles) in cases {
        let answer = upload(&server, &format!("namn={name}"), &bytes);
        refused(&site, &answer, 422, needles);
        assert_eq!(content(&site), before, "{name} wrote something");
    }
    // Tracked changes without accepting them: refused, and the editor says which box to tick.
    let answer = upload(&server, "namn=distansarbete.docx", &docx("distansarbete.docx"));
    let json = refused(&site, &answer, 422, &["2 spårade ändringar"]);
    assert!(
        json["hint"].as_str().unwrap().contains("Godkänn spårade ändringar"),
        "{json}"
    );
    assert_eq!(content(&site), before);
}

#[test]
fn an_existing_page_is_replaced_only_when_the_editor_confirms_it() {
    let site = TestSite::new();
    let server = site.serve();
    let page = "riktlinjer-för-semester.md";
    assert_eq!(
        upload(&server, "namn=semester.docx", &docx("semester.docx")).status,
        200
    );
    site.write(&format!("content/{page}"), "---\ntitle: Egen\n---\nMin text.\n");
    let before = content(&site);
    let answer = upload(&server, "namn=semester.docx", &docx("semester.docx"));
    assert_eq!(answer.status, 409, "{}", answer.body);
    let json = answer.json();
    assert_eq!(json["error"], "editor_import_exists");
    assert!(
        json["message"]
            .as_str()
            .unwrap()
            .contains(&format!("{page} finns redan")),
        "{json}"
    );
    assert!(
        json["hint"].as_str().unwrap().contains("Ersätt befintlig sida"),
        "{json}"
    );
    assert_eq!(content(&site), before);
    let answer = upload(&server, "namn=semester.docx&ersatt=true", &docx("semester.docx"));
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert!(fs::read_to_string(site.path(&format!("content/{page}")))
        .unwrap()
        .contains("Semester planeras"));
    // The replaced text is kept as a previous version (the editor's save path).
    let kept = site
        .tree("content/.handbok/historik")
        .values()
        .any(|bytes| bytes.as_slice() == b"---\ntitle: Egen\n---\nMin text.\n");
    assert!(kept, "the replaced page was not kept");
}

fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._/".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}
