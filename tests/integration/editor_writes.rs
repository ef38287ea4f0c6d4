//! The browser editor's writes over a real socket: a save that lands atomically and keeps the
//! previous version, a save over a change made elsewhere, the rebuild and search index after a
//! save, the preview of unsaved text with its diagnostics, and pages created, renamed with their
//! links and deleted. The requests and the server come from `editor.rs`. Every wait is bounded.

use std::fs;

use handbok::incremental::Rebuilt;
use scraper::{Html, Selector};
use serde_json::json;

use crate::editor::{call, eventually, get_api, main_text, send, start, version};

#[test]
fn a_save_lands_whole_keeps_the_old_version_and_never_overwrites_a_change_made_elsewhere() {
    let (dir, server) = start();
    let page = dir.path("content/semester.md");
    let original = fs::read_to_string(&page).unwrap();
    let v1 = version(&server, "semester.md");
    let edited = original.replace("25 dagars", "28 dagars");
    let saved = call(
        &server,
        "save",
        json!({"source": "semester.md", "text": edited, "version": v1}),
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert_eq!(fs::read_to_string(&page).unwrap(), edited);
    assert_eq!(saved.json()["versions_kept"], 1);
    // The site is rebuilt from the saved file.
    eventually("the rebuilt page", || {
        send(server.addr(), "GET", "/semester.html", &[], b"")
            .body
            .contains("28 dagars")
    });

    // Someone changes the file on disk; a save from the old version is refused with their text.
    fs::write(&page, original.replace("25 dagars", "30 dagars")).unwrap();
    let refused = call(
        &server,
        "save",
        json!({"source": "semester.md", "text": "mitt", "version": saved.json()["version"]}),
    );
    assert_eq!(refused.status, 409);
    let answer = refused.json();
    assert_eq!(answer["error"], "editor_conflict");
    assert!(answer["current"].as_str().unwrap().contains("30 dagars"));
    assert_eq!(
        fs::read_to_string(&page).unwrap(),
        original.replace("25 dagars", "30 dagars")
    );

    // Undo puts back the version before the last save (after the conflict is resolved).
    let now = version(&server, "semester.md");
    let undone = call(&server, "undo", json!({"source": "semester.md", "version": now}));
    assert_eq!(undone.status, 200, "{}", undone.body);
    assert_eq!(fs::read_to_string(&page).unwrap(), original);
    // Kept versions live in a hidden folder the build never sees, and Git ignores it.
    assert!(dir.path("content/.handbok/historik").is_dir());
    assert_eq!(
        fs::read_to_string(dir.path("content/.handbok/.gitignore")).unwrap(),
        "*\n"
    );
    dir.check().succeeded();
    server.stop();
}

#[test]
fn a_text_save_rebuilds_only_what_shows_the_text_and_the_search_index_follows() {
    let (dir, server) = start();
    let page = dir.path("content/semester.md");
    let original = fs::read_to_string(&page).unwrap();
    let start_page = send(server.addr(), "GET", "/index.html", &[], b"").body;

    // A sentence changed below the front matter: only that page's outputs are rendered again.
    let edited = original.replace("25 dagars semester", "25 dagars semester och en kanelbulle");
    let saved = call(
        &server,
        "save",
        json!({"source": "semester.md", "text": edited, "version": version(&server, "semester.md")}),
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
    eventually("the page with the new text", || {
        main_text(&send(server.addr(), "GET", "/semester.html", &[], b"").body).contains("kanelbulle")
    });
    match server.last_rebuilt() {
        Some(Rebuilt::Text { pages, outputs }) => {
            assert_eq!(pages, ["semester.md"]);
            assert!(outputs.contains(&"semester.html".to_string()), "{outputs:?}");
            assert!(!outputs.contains(&"index.html".to_string()), "{outputs:?}");
        }
        other => panic!("a text edit is not a full build: {other:?}"),
    }
    // The start page shows none of the text: it is as it was (but for the reload script's
    // generation, which the server adds on the way out).
    let without_script = |html: &str| {
        html.split("<script src=\"/__handbok/live.js\"")
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        without_script(&send(server.addr(), "GET", "/index.html", &[], b"").body),
        without_script(&start_page),
    );
    // The search index is brought up to date after the page is in place.
    eventually("the search index with the new word", || {
        send(server.addr(), "GET", "/assets/search-index.js", &[], b"")
            .body
            .contains("kanelbulle")
    });

    // A new title shows in every page's menu: a full build.
    let retitled = edited.replace("title: Semester", "title: Semesterregler");
    let saved = call(
        &server,
        "save",
        json!({"source": "semester.md", "text": retitled, "version": saved.json()["version"]}),
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
    eventually("the start page's menu with the new title", || {
        send(server.addr(), "GET", "/index.html", &[], b"")
            .body
            .replace('\u{ad}', "") // menu labels carry soft hyphens
            .contains("Semesterregler")
    });
    assert_eq!(server.last_rebuilt(), Some(Rebuilt::Full));

    // A save that breaks the site keeps the last good pages, and the editor still previews
    // against the saved (broken) text, so the fix can be made in the browser.
    let broken = retitled.replace("## Regler", "## Reglerna");
    let saved = call(
        &server,
        "save",
        json!({"source": "semester.md", "text": broken, "version": saved.json()["version"]}),
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
    let preview = || {
        call(
            &server,
            "preview",
            json!({"source": "index.md", "text": fs::read_to_string(dir.path("content/index.md")).unwrap()}),
        )
        .json()
    };
    eventually("the start page's broken anchor in the preview", || {
        preview()["diagnostics"].as_array().is_some_and(|d| !d.is_empty())
    });
    let answer = preview();
    assert!(answer["html"].is_null());
    assert!(
        answer["diagnostics"][0]["message"]
            .as_str()
            .unwrap()
            .contains("#regler"),
        "{answer}"
    );
    assert!(main_text(&send(server.addr(), "GET", "/semester.html", &[], b"").body).contains("kanelbulle"));
    server.stop();
}

#[test]
fn the_preview_renders_unsaved_text_and_reports_its_problems_by_line() {
    let (dir, server) = start();
    let text = "---\ntitle: Semester\norder: 1\n---\n\n## Regler\n\nNu 27 dagar. Se [ledigt](ledigt.md).\n";
    let answer = call(&server, "preview", json!({"source": "semester.md", "text": text}));
    assert_eq!(answer.status, 200, "{}", answer.body);
    let preview = answer.json();
    assert!(
        preview["html"].is_null(),
        "a text with errors keeps the last good preview"
    );
    let problems = preview["diagnostics"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0]["line"], 8);
    assert_eq!(problems[0]["severity"], "error");
    assert!(problems[0]["message"].as_str().unwrap().contains("`ledigt.md`"));
    assert!(
        problems[0]["hint"].as_str().unwrap().contains("ledighet.md"),
        "{:?}",
        problems[0]
    );

    let fixed = text.replace("ledigt.md", "ledighet.md");
    let preview = call(&server, "preview", json!({"source": "semester.md", "text": fixed})).json();
    let html = Html::parse_document(preview["html"].as_str().unwrap());
    let main: String = html
        .select(&Selector::parse("main").unwrap())
        .flat_map(|m| m.text())
        .collect();
    assert!(main.contains("Nu 27 dagar."), "{main}");
    assert_eq!(
        html.select(&Selector::parse(".content a[href=\"ledighet.html\"]").unwrap())
            .count(),
        1
    );
    // Nothing was written, and the previewed page in the served site is unchanged.
    assert!(!fs::read_to_string(dir.path("content/semester.md"))
        .unwrap()
        .contains("27"));
    assert!(send(server.addr(), "GET", "/semester.html", &[], b"")
        .body
        .contains("25 dagars"));
    // A renamed heading breaks the start page's link: the preview says so only for this page,
    // and the build (check) would too.
    let front = call(
        &server,
        "preview",
        json!({"source": "semester.md", "text": "---\ntitel: X\n---\n"}),
    )
    .json();
    assert_eq!(front["diagnostics"][0]["line"], 2);
    assert!(front["diagnostics"][0]["hint"]
        .as_str()
        .unwrap()
        .contains("menade du `title`"));
    server.stop();
}

#[test]
fn pages_are_created_renamed_with_their_links_moved_and_deleted() {
    let (dir, server) = start();
    let created = call(&server, "new", json!({"section": "", "title": "Föräldraledighet"}));
    assert_eq!(created.status, 200, "{}", created.body);
    assert_eq!(created.json()["source"], "foraldraledighet.md");
    let text = fs::read_to_string(dir.path("content/foraldraledighet.md")).unwrap();
    assert_eq!(text, "---\ntitle: Föräldraledighet\norder: 3\n---\n\n");

    // A rename is planned (and shown) first, then applied with that plan.
    let plan = call(
        &server,
        "rename/plan",
        json!({"source": "semester.md", "name": "Semesterregler"}),
    );
    assert_eq!(plan.status, 200, "{}", plan.body);
    let plan = plan.json();
    assert_eq!(plan["to"], "semesterregler.md");
    assert_eq!(
        plan["edits"][0]["after"],
        "Välkommen. Läs [semesterregler](semesterregler.md#regler)."
    );
    let renamed = call(
        &server,
        "rename",
        json!({"source": "semester.md", "name": "Semesterregler", "edits": plan["edits"]}),
    );
    assert_eq!(renamed.status, 200, "{}", renamed.body);
    assert!(!dir.path("content/semester.md").exists());
    assert!(dir.path("content/semesterregler.md").exists());
    assert!(fs::read_to_string(dir.path("content/index.md"))
        .unwrap()
        .contains("(semesterregler.md#regler)"));
    dir.check().succeeded(); // every link still resolves

    // Deleting a page others link to is refused, naming them.
    eventually("the rebuild after the rename", || {
        get_api(&server, "page?sida=semesterregler.md").status == 200
            && call(
                &server,
                "preview",
                json!({"source": "semesterregler.md", "text": "---\ntitle: S\n---\n"}),
            )
            .status
                == 200
    });
    let v = version(&server, "semesterregler.md");
    let refused = call(&server, "delete", json!({"source": "semesterregler.md", "version": v}));
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert_eq!(refused.json()["links"][0]["source"], "index.md");
    assert!(dir.path("content/semesterregler.md").exists());

    // Moving writes `order`.
    let moved = call(&server, "move", json!({"source": "ledighet.md", "step": -1}));
    assert_eq!(moved.status, 200, "{}", moved.body);
    assert!(fs::read_to_string(dir.path("content/ledighet.md"))
        .unwrap()
        .contains("order: 1\n"));
    assert!(fs::read_to_string(dir.path("content/semesterregler.md"))
        .unwrap()
        .contains("order: 2\n"));

    // A page nothing links to is deleted (and kept in the history).
    eventually("the new page in the workspace", || {
        call(
            &server,
            "preview",
            json!({"source": "foraldraledighet.md", "text": text}),
        )
        .status
            == 200
    });
    let v = version(&server, "foraldraledighet.md");
    let deleted = call(
        &server,
        "delete",
        json!({"source": "foraldraledighet.md", "version": v}),
    );
    assert_eq!(deleted.status, 200, "{}", deleted.body);
    assert!(!dir.path("content/foraldraledighet.md").exists());
    assert!(dir.path("content/.handbok/historik/foraldraledighet.md").is_dir());
    server.stop();
}
