//! The editor's Publicera page over a real socket: its API needs the editor's key and its own
//! origin; a folder that is not a repository is offered and made one (as `handbok init` lays
//! it out); errors block publishing and point at their file and line; warnings must be
//! confirmed; a sentence is required; a publication holding the lock makes a second one be
//! told it is running; a recorded but undelivered publication is offered and finished; with
//! nothing changed the page says so; each changed page compares against its published version.
//! The server runs in this process, so Git's identity is whatever this machine's is: the
//! author typed in the page is tested through the library.

use std::fs;
use std::process::Command;

use handbok::publish::repo::{stored_author, AUTHOR_FILE};
use handbok::publish::review;
use scraper::Html;
use serde_json::{json, Value};

use crate::editor::{call, send};
use crate::support::{attrs, TestSite};

const SITE: &str = "title: Handbok\norganisation: Kommunen\npublish:\n  to: intranat\n";

/// A handbook with two pages and an existing target folder; not a repository.
fn handbook() -> TestSite {
    let site = TestSite::files(&[
        ("site.yml", SITE),
        (
            "index.md",
            "---\ntitle: Start\n---\nVälkommen. Läs om [semester](semester.md).\n",
        ),
        ("semester.md", "---\ntitle: Semester\n---\nDu har 25 dagars semester.\n"),
    ]);
    fs::create_dir_all(site.path("intranat")).unwrap();
    site
}

/// `git <args>` in the handbook folder with a fixed identity; its standard output.
fn git(site: &TestSite, args: &[&str]) -> String {
    let out = Command::new("git")
        .args(args)
        .current_dir(site.root())
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "IT")
        .env("GIT_AUTHOR_EMAIL", "it@example.se")
        .env("GIT_COMMITTER_NAME", "IT")
        .env("GIT_COMMITTER_EMAIL", "it@example.se")
        .output()
        .expect("git runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// [`handbook`] as a repository with a local identity (so the in-process server has one).
fn repository() -> TestSite {
    let site = handbook();
    git(&site, &["init", "-q", "-b", "main"]);
    git(&site, &["config", "user.name", "HR"]);
    git(&site, &["config", "user.email", "hr@example.se"]);
    site
}

fn review(server: &handbok::serve::Server) -> Value {
    let answer = call(server, "publicera/granska", json!({}));
    assert_eq!(answer.status, 200, "{}", answer.body);
    answer.json()
}

fn messages(answer: &Value) -> String {
    answer["messages"]
        .as_array()
        .map(|m| m.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn publish(server: &handbok::serve::Server, body: Value) -> (u16, Value) {
    let answer = call(server, "publicera", body);
    (answer.status, answer.json())
}

/// Publish with `sentence`, confirming the warnings the review lists (the handbooks here lack
/// their accessibility statement's facts).
fn publish_confirmed(server: &handbok::serve::Server, sentence: &str) -> (u16, Value) {
    let warnings = review(server)["warnings"].as_array().map_or(0, Vec::len);
    publish(server, json!({ "mening": sentence, "varningar": warnings }))
}

#[test]
fn the_publishing_api_needs_the_key_and_its_own_origin_and_the_editor_links_the_page() {
    let site = repository();
    let server = site.serve();
    let origin = format!("http://{}", server.addr());
    let path = "/__handbok/api/publicera";
    let body = br#"{"mening":"Ny text"}"#;
    // No token, a wrong token, another site's origin, no origin: refused, nothing committed.
    for headers in [
        vec![("Origin", origin.as_str())],
        vec![("Origin", origin.as_str()), ("X-Handbok-Token", "fel")],
        vec![("Origin", "http://evil.example"), ("X-Handbok-Token", server.token())],
        vec![("X-Handbok-Token", server.token())],
    ] {
        let answer = send(server.addr(), "POST", path, &headers, body);
        assert_eq!(answer.status, 403, "{headers:?}: {}", answer.body);
        let review = send(
            server.addr(),
            "POST",
            "/__handbok/api/publicera/granska",
            &headers,
            b"{}",
        );
        assert_eq!(review.status, 403);
    }
    assert_eq!(git(&site, &["rev-list", "--all"]), "", "nothing was committed");
    // A body over the limit is refused before anything runs.
    let big = format!(r#"{{"mening":"{}"}}"#, "a".repeat(handbok::serve::PUBLISH_MAX_BODY + 1));
    let answer = send(
        server.addr(),
        "POST",
        path,
        &[("Origin", &origin), ("X-Handbok-Token", server.token())],
        big.as_bytes(),
    );
    assert_eq!(answer.status, 413);
    // The page itself holds no token and has the form; the editor links to it.
    let page = send(server.addr(), "GET", "/__handbok/publicera", &[], b"");
    assert_eq!(page.status, 200);
    assert!(!page.body.contains(server.token()));
    let doc = Html::parse_document(&page.body);
    assert_eq!(attrs(&doc, "textarea#pub-sentence", "maxlength"), vec!["500"]);
    let editor = send(server.addr(), "GET", "/__handbok/redigera?sida=index.md", &[], b"");
    let doc = Html::parse_document(&editor.body);
    assert_eq!(
        attrs(&doc, "a#publish-link", "href"),
        vec![handbok::serve::PUBLISH_PATH]
    );
}

#[test]
fn a_folder_that_is_not_a_repository_is_offered_and_made_one_as_init_lays_it_out() {
    let site = handbook();
    let server = site.serve();
    let first = review(&server);
    assert_eq!(first["stage"], "not_repository", "{first}");
    let (status, refused) = publish(&server, json!({ "mening": "Första" }));
    assert_eq!((status, refused["stage"].as_str()), (409, Some("not_repository")));
    assert!(
        !site.path(".git").exists(),
        "publishing did not make a repository unasked"
    );

    let made = call(&server, "publicera/arkiv", json!({}));
    assert_eq!(made.status, 200, "{}", made.body);
    assert!(site.path(".git").is_dir());
    assert_eq!(
        fs::read_to_string(site.path(".gitignore")).unwrap(),
        handbok::init::GITIGNORE
    );
    let made = made.json();
    assert_ne!(made["stage"], "not_repository", "{made}");
    let listed: Vec<(&str, &str)> = made["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["kind"].as_str().unwrap(), c["path"].as_str().unwrap()))
        .collect();
    assert_eq!(
        listed,
        vec![("new", "index.md"), ("new", "semester.md"), ("new", "site.yml")]
    );
    // Nothing was committed by making it one: the first publication does that.
    assert_eq!(git(&site, &["rev-list", "--all"]), "");
}

#[test]
fn errors_block_publishing_and_point_at_their_file_and_line() {
    let site = repository();
    site.write(
        "content/semester.md",
        "---\ntitle: Semester\n---\nDu har 25 dagars semester.\n\nSe [blanketten](blankett.md).\n",
    );
    let server = site.serve();
    let found = review(&server);
    assert_eq!(found["stage"], "errors", "{found}");
    let error = &found["errors"][0];
    assert_eq!(error["file"], "semester.md", "{found}");
    assert_eq!(error["line"], 6, "{found}");
    let (status, answer) = publish(&server, json!({ "mening": "Blanketten", "varningar": 0 }));
    assert_eq!((status, answer["stage"].as_str()), (409, Some("errors")), "{answer}");
    assert_eq!(git(&site, &["rev-list", "--all"]), "", "nothing was committed");
    assert!(!site.path("intranat/index.html").exists(), "nothing was delivered");
}

#[test]
fn warnings_must_be_confirmed_and_a_sentence_written_before_publishing() {
    let site = repository();
    site.write(
        "content/semester.md",
        "---\ntitle: Semester\n---\n# Semester igen\n\nDu har 25 dagars semester.\n",
    );
    let server = site.serve();
    let found = review(&server);
    assert_eq!(found["stage"], "ready", "{found}");
    let warnings = found["warnings"].as_array().unwrap().len();
    assert!(warnings >= 1, "{found}");
    assert_eq!(found["warnings"][0]["file"], "semester.md");

    let (status, answer) = publish(&server, json!({ "mening": "Semester", "varningar": 0 }));
    assert_eq!((status, answer["stage"].as_str()), (409, Some("confirm")), "{answer}");
    assert!(messages(&answer).contains("Läs varningarna"), "{answer}");
    let (status, answer) = publish(&server, json!({ "mening": "   ", "varningar": warnings }));
    assert_eq!((status, answer["stage"].as_str()), (409, Some("sentence")), "{answer}");
    assert_eq!(git(&site, &["rev-list", "--all"]), "", "nothing was committed");

    let (status, answer) = publish(
        &server,
        json!({ "mening": "Semesterreglerna finns nu", "varningar": warnings }),
    );
    assert_eq!(
        (status, answer["outcome"].as_str()),
        (200, Some("published")),
        "{answer}"
    );
    assert!(messages(&answer).contains("publicerad"), "{answer}");
    assert!(site.path("intranat/semester.html").is_file());
    assert_eq!(
        git(&site, &["log", "-1", "--format=%s"]).trim(),
        "Semesterreglerna finns nu"
    );
    assert!(git(&site, &["tag"]).contains("handbok/publicering/"));
}

#[test]
fn with_nothing_changed_the_page_says_there_is_nothing_new_to_publish() {
    let site = repository();
    let server = site.serve();
    let (status, answer) = publish_confirmed(&server, "Första versionen");
    assert_eq!(status, 200, "{answer}");
    let after = review(&server);
    assert_eq!(after["stage"], "nothing", "{after}");
    assert!(
        messages(&after).contains("Det finns inget nytt att publicera"),
        "{after}"
    );
    let (status, again) = publish(&server, json!({ "mening": "Igen" }));
    assert_eq!((status, again["stage"].as_str()), (409, Some("nothing")), "{again}");
    assert_eq!(git(&site, &["rev-list", "--count", "HEAD"]).trim(), "1");
}

#[test]
fn a_second_publication_while_one_runs_is_told_one_is_running() {
    let site = repository();
    let server = site.serve();
    fs::create_dir_all(site.path("content/.handbok")).unwrap();
    // The lock as a running publication (another tab's, or a scheduled job's) holds it.
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(site.path("content/.handbok/publicering.lock"))
        .unwrap();
    lock.try_lock().expect("the test takes the lock");
    let found = review(&server);
    assert_eq!(found["stage"], "busy", "{found}");
    let (status, answer) = publish(&server, json!({ "mening": "Samtidigt" }));
    assert_eq!((status, answer["stage"].as_str()), (409, Some("busy")), "{answer}");
    assert!(
        messages(&answer).contains("En annan publicering pågår redan"),
        "{answer}"
    );
    assert_eq!(git(&site, &["rev-list", "--all"]), "", "nothing was committed");
    drop(lock);
    let (status, answer) = publish_confirmed(&server, "Efteråt");
    assert_eq!(status, 200, "{answer}");
}

#[test]
fn a_publication_recorded_but_never_delivered_is_offered_and_finished() {
    let site = repository();
    // As a run killed between commit and delivery leaves it: the commit, no mark.
    git(&site, &["add", "content"]);
    git(
        &site,
        &["commit", "-q", "-m", "Första versionen\n\nPublicerad-av: handbok"],
    );
    let server = site.serve();
    assert!(server.undelivered_notice().is_some(), "the start says so");
    let found = review(&server);
    assert_eq!(found["stage"], "deliver_only", "{found}");
    // No sentence is needed: the recorded one is delivered.
    let (status, answer) = publish_confirmed(&server, "");
    assert_eq!(
        (status, answer["outcome"].as_str()),
        (200, Some("published")),
        "{answer}"
    );
    assert!(site.path("intranat/index.html").is_file());
    assert_eq!(git(&site, &["rev-list", "--count", "HEAD"]).trim(), "1");
    assert!(server.undelivered_notice().is_none());
}

#[test]
fn each_changed_page_compares_against_its_published_version() {
    let site = repository();
    let server = site.serve();
    assert_eq!(publish_confirmed(&server, "Första").0, 200);
    site.write(
        "content/semester.md",
        "---\ntitle: Semester\n---\nDu har 30 dagars semester.\n",
    );
    let found = review(&server);
    assert_eq!(found["changes"][0]["kind"], "changed", "{found}");
    let answer = call(&server, "publicera/jamfor", json!({ "sida": "semester.md" }));
    assert_eq!(answer.status, 200, "{}", answer.body);
    let comparison = answer.json();
    let parts: Vec<(String, String)> = comparison["shown"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|b| b["parts"].as_array().unwrap().clone())
        .map(|p| {
            (
                p["kind"].as_str().unwrap().to_string(),
                p["text"].as_str().unwrap().trim().to_string(),
            )
        })
        .collect();
    assert!(parts.contains(&("removed".into(), "25".into())), "{parts:?}");
    assert!(parts.contains(&("added".into(), "30".into())), "{parts:?}");
    // Only pages of the content folder: no way out of it, no other file kind.
    for bad in ["../semester.md", ".handbok/server.json", "site.yml"] {
        let refused = call(&server, "publicera/jamfor", json!({ "sida": bad }));
        assert_eq!(refused.status, 400, "{bad}");
    }
}

#[test]
fn a_typed_author_is_kept_beside_the_content_never_committed() {
    let site = repository();
    let content = site.content();
    review::store_author(&content, " Anna Andersson ", "anna@example.se").unwrap();
    assert_eq!(
        stored_author(&content),
        Some(("Anna Andersson".to_string(), "anna@example.se".to_string()))
    );
    assert!(content.join(".handbok").join(AUTHOR_FILE).is_file());
    for (name, email) in [
        ("", "a@b.se"),
        ("Anna", "utan-snabel-a"),
        ("<Anna>", "a@b.se"),
        ("Anna\nB", "a@b.se"),
    ] {
        assert!(
            review::store_author(&content, name, email).is_err(),
            "{name:?} {email:?}"
        );
    }
    assert_eq!(
        stored_author(&content).unwrap().0,
        "Anna Andersson",
        "a refused one changes nothing"
    );
    let server = site.serve();
    assert_eq!(publish_confirmed(&server, "Första").0, 200);
    let committed = git(&site, &["ls-tree", "-r", "--name-only", "HEAD"]);
    assert!(!committed.contains(".handbok"), "{committed}");
    assert!(!site.path("intranat").join(".handbok").exists());
}
