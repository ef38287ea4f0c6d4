//! One-time links: how the write token reaches the browser tab of the person who started
//! handbok, and nobody else's. No page carries the token. The program opens the browser at
//! `/__handbok/oppna?nyckel=KEY` (and prints that link in its own terminal); the first request
//! with a key takes it out of the list and gets a small page whose script puts the token in the
//! tab's `sessionStorage` (scoped to the tab and to origin and port; never a cookie, which any
//! server on another port of 127.0.0.1 would receive) and goes on to the start page. A key
//! works once and for a limited time, and only a bounded number are waiting at a time.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::router::{document, escape, Served};

/// Path of a one-time link.
pub const KEY_PATH: &str = "/__handbok/oppna";
/// The query parameter of a one-time link that names the key.
pub const KEY_PARAM: &str = "nyckel";
/// The `sessionStorage` item in which a tab keeps the write token (the editor page reads it).
pub use crate::editor::page::TOKEN_STORAGE_KEY;
/// Path of the script that stores the token in the tab.
pub(crate) const HANDOVER_SCRIPT_PATH: &str = "/__handbok/nyckel.js";
/// The script that stores the token in the tab and goes on to the start page.
pub(crate) const HANDOVER_SCRIPT: &str = include_str!("nyckel.js");

/// How many unused keys are kept (the oldest goes first).
const MAX_PENDING: usize = 16;
/// How long an unused key works.
const LIFETIME: Duration = Duration::from_secs(15 * 60);

/// The keys minted and not yet used.
#[derive(Debug, Default)]
pub(crate) struct OneTimeKeys {
    pending: Mutex<Vec<(String, Instant)>>,
}

impl OneTimeKeys {
    /// A new key (32 random bytes, hex).
    pub(crate) fn mint(&self) -> Result<String, String> {
        let key = super::guard::new_token()?;
        self.add(key.clone(), Instant::now());
        Ok(key)
    }

    fn add(&self, key: String, now: Instant) {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        pending.retain(|(_, minted)| now.duration_since(*minted) < LIFETIME);
        if pending.len() >= MAX_PENDING {
            pending.remove(0);
        }
        pending.push((key, now));
    }

    /// Whether `key` was waiting; it is used up either way.
    pub(crate) fn redeem(&self, key: &str) -> bool {
        self.redeem_at(key, Instant::now())
    }

    fn redeem_at(&self, key: &str, now: Instant) -> bool {
        let mut pending = self.pending.lock().unwrap_or_else(|e| e.into_inner());
        pending.retain(|(_, minted)| now.duration_since(*minted) < LIFETIME);
        match pending
            .iter()
            .position(|(k, _)| super::guard::same_secret(key.as_bytes(), k.as_bytes()))
        {
            Some(at) => {
                pending.remove(at);
                true
            }
            None => false,
        }
    }
}

/// The page a valid one-time link gets: its script stores `token` in the tab and replaces the
/// page with the start page (so Back never returns to it).
pub(crate) fn handover_page(token: &str, served: &Served) -> String {
    let t = |key: &'static str| escape(served.strings.text(key));
    let body = format!(
        "<p>{}</p><script src=\"{HANDOVER_SCRIPT_PATH}\" data-token=\"{}\" data-storage=\"{TOKEN_STORAGE_KEY}\" \
         data-next=\"/\"></script><noscript><p>{}</p></noscript>",
        t("serve_key_opening"),
        escape(token),
        t("serve_key_needs_script"),
    );
    document(served.strings.text("serve_key_opening_title"), &body, served)
}

/// The page a used, expired or unknown one-time link gets: what happened and how to get a new
/// link. It carries no token.
pub(crate) fn used_page(served: &Served) -> String {
    let t = |key: &'static str| escape(served.strings.text(key));
    let body = format!(
        "<p>{}</p><p>{}</p><p><a href=\"/\">{}</a></p>",
        t("serve_key_used_text"),
        t("serve_key_new_link"),
        t("serve_home")
    );
    document(served.strings.text("serve_key_used_title"), &body, served)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_works_once() {
        let keys = OneTimeKeys::default();
        let key = keys.mint().unwrap();
        assert_eq!(key.len(), 64);
        assert!(!keys.redeem("0000"));
        assert!(!keys.redeem(&key[..63]));
        assert!(keys.redeem(&key));
        assert!(!keys.redeem(&key), "a key is used up by its first use");
    }

    #[test]
    fn keys_expire_and_are_bounded() {
        let keys = OneTimeKeys::default();
        let start = Instant::now();
        keys.add("gammal".into(), start);
        assert!(!keys.redeem_at("gammal", start + LIFETIME));
        for n in 0..=MAX_PENDING {
            keys.add(format!("k{n}"), start);
        }
        assert_eq!(keys.pending.lock().unwrap().len(), MAX_PENDING);
        assert!(!keys.redeem_at("k0", start), "the oldest key made room");
        assert!(keys.redeem_at(&format!("k{MAX_PENDING}"), start));
    }

    #[test]
    fn only_the_handover_page_carries_the_token() {
        let served = Served {
            strings: crate::theme::Theme::builtin("sv").unwrap().strings,
            ..Served::default()
        };
        let page = handover_page("abc123", &served);
        let doc = scraper::Html::parse_document(&page);
        let script = doc.select(&scraper::Selector::parse("script").unwrap()).next().unwrap();
        assert_eq!(script.value().attr("data-token"), Some("abc123"));
        assert_eq!(script.value().attr("src"), Some(HANDOVER_SCRIPT_PATH));
        let used = used_page(&served);
        assert!(!used.contains("abc123"));
        let doc = scraper::Html::parse_document(&used);
        let text: String = doc.root_element().text().collect();
        assert!(text.contains("Länken har redan använts"), "{text}");
    }
}
