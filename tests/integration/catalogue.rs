//! The message catalogue (issue 23): every message handbok words for a person comes from the
//! theme's string table, which has a Swedish and an English text for every key with the same
//! placeholders; the command line speaks the handbook's language, and `--lang en` or
//! `HANDBOK_LANG=en` switches it for IT.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

use handbok::theme::UiString;

use crate::support::*;

type Table = BTreeMap<String, BTreeMap<String, UiString>>;

fn table() -> Table {
    let text = std::fs::read_to_string(repo_root().join("themes/default/strings.yml")).unwrap();
    handbok::yaml::parse(&text).unwrap().value
}

/// The `{name}` placeholders of a text.
fn placeholders(text: &str) -> BTreeSet<String> {
    text.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}'))
        .map(|(name, _)| name.to_string())
        .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .collect()
}

/// Every key `Message::new("…")` names anywhere in the library and the binary (but their unit
/// tests).
fn keys_in_code() -> BTreeMap<String, String> {
    let mut keys = BTreeMap::new();
    for entry in walkdir::WalkDir::new(repo_root().join("src")) {
        let entry = entry.unwrap();
        if entry.path().extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let whole = std::fs::read_to_string(entry.path()).unwrap();
        // A module's unit tests may word keys of their own test tables.
        let text = whole.split("#[cfg(test)]\nmod tests").next().unwrap();
        for (at, _) in text.match_indices("Message::new(\"") {
            let rest = &text[at + "Message::new(\"".len()..];
            let key = &rest[..rest.find('"').unwrap()];
            keys.insert(key.to_string(), entry.path().display().to_string());
        }
    }
    keys
}

#[test]
fn every_key_has_both_languages_with_the_same_placeholders() {
    let table = table();
    let (sv, en) = (&table["sv"], &table["en"]);
    let only_sv: Vec<&String> = sv.keys().filter(|k| !en.contains_key(*k)).collect();
    let only_en: Vec<&String> = en.keys().filter(|k| !sv.contains_key(*k)).collect();
    assert!(only_sv.is_empty(), "keys without English: {only_sv:?}");
    assert!(only_en.is_empty(), "keys without Swedish: {only_en:?}");
    for (key, text) in sv {
        if let (UiString::Text(s), Some(UiString::Text(e))) = (text, en.get(key)) {
            assert_eq!(
                placeholders(s),
                placeholders(e),
                "`{key}`: the languages fill in different values"
            );
        }
    }
}

#[test]
fn every_key_the_code_words_is_in_the_table() {
    let table = table();
    let keys = keys_in_code();
    assert!(keys.len() > 30, "the code was read: {} keys", keys.len());
    for (key, file) in &keys {
        for language in ["sv", "en"] {
            assert!(
                matches!(table[language].get(key), Some(UiString::Text(_))),
                "{file} words `{key}`, which strings.yml's `{language}:` lacks"
            );
        }
    }
}

/// `handbok check` in the handbook's language, or the one `--lang`/`HANDBOK_LANG` names.
fn check(site: &TestSite, args: &[&str], env_lang: Option<&str>) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_handbok"));
    command
        .arg("check")
        .args(args)
        .current_dir(site.root())
        .env_remove("HANDBOK_LANG");
    if let Some(lang) = env_lang {
        command.env("HANDBOK_LANG", lang);
    }
    let out = command.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn check_speaks_the_handbooks_language_and_lang_en_switches_it() {
    let site = TestSite::new();
    site.write(
        "content/trasig.md",
        "---\ntitle: Trasig\n---\n\nSe [sidan](finns-inte.md).\n",
    );
    let swedish = check(&site, &[], None);
    assert_eq!(swedish.code, 1, "{}", swedish.stderr);
    assert!(swedish.stderr.contains("trasig.md:5:4: fel: "), "{}", swedish.stderr);
    assert!(swedish.stderr.contains("1 fel, "), "{}", swedish.stderr);
    assert!(!swedish.stderr.contains("error"), "{}", swedish.stderr);

    for english in [check(&site, &["--lang", "en"], None), check(&site, &[], Some("en"))] {
        assert_eq!(english.code, 1);
        assert!(english.stderr.contains("trasig.md:5:4: error: "), "{}", english.stderr);
        assert!(english.stderr.contains("1 error(s), "), "{}", english.stderr);
    }
    // --lang wins over the environment.
    let chosen = check(&site, &["--lang", "sv"], Some("en"));
    assert!(chosen.stderr.contains(": fel: "), "{}", chosen.stderr);
}
