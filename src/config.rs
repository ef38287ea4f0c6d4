//! Site settings: `site.yml` in the content folder → a checked `SiteConfig`.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diag::{Diagnostic, Message};
use crate::yaml::{self, KeyIndex};

/// The file name of the site settings inside the content folder.
pub const SETTINGS_FILE: &str = "site.yml";

/// Site-wide settings an HR editor sets once.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The handbook's name, shown in the header and in every page title.
    pub title: String,
    /// The organisation that publishes it, shown in the footer.
    pub organisation: String,
    /// Interface language: `sv` (default) or `en`.
    #[serde(default = "default_language")]
    pub language: String,
    /// Who owns the handbook's content, shown in the footer.
    #[serde(default)]
    pub owner: Option<String>,
    /// A one-sentence description for the start page's meta description.
    #[serde(default)]
    pub description: Option<String>,
    /// Facts for the accessibility statement that only the organisation can give.
    #[serde(default)]
    pub accessibility: Accessibility,
    /// How the page history from Git is shown.
    #[serde(default)]
    pub history: HistorySettings,
    /// The organisation's own colours and logo.
    #[serde(default)]
    pub brand: Option<Brand>,
    /// Where `handbok publish` delivers the site (`publish: {to: <folder>}`).
    #[serde(default)]
    pub publish: Option<PublishSettings>,
    /// Where each setting is written in site.yml, for diagnostics.
    #[serde(skip)]
    pub keys: KeyIndex,
}

/// Settings for `handbok publish` (`publish:`).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PublishSettings {
    /// The folder the published site is delivered to, typically a mounted intranet share; a
    /// relative path is taken from the handbook folder (the content folder's parent). It must
    /// exist: publishing never creates it, since an unmounted share looks just like a missing
    /// folder.
    pub to: String,
}

/// Settings for the page history read from Git.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct HistorySettings {
    /// How many page changes "Ändringar i handboken" lists (newest first); 0 leaves the page out.
    #[serde(default = "default_changes")]
    pub changes: usize,
}

impl Default for HistorySettings {
    fn default() -> Self {
        HistorySettings {
            changes: default_changes(),
        }
    }
}

fn default_changes() -> usize {
    50
}

/// The organisation's own look (`brand:`): colours checked for contrast, and a logo.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Brand {
    /// A logo file in the content folder (SVG, PNG, JPEG or WebP), shown in the header on the
    /// primary colour, so in light and dark mode alike.
    #[serde(default)]
    pub logo: Option<String>,
    /// What the logo says, for screen readers (usually the organisation's name).
    #[serde(default)]
    pub logo_alt: Option<String>,
    /// The main colour, `#rrggbb`: the header's background, links and buttons.
    #[serde(default)]
    pub primary: Option<String>,
    /// A second colour, `#rrggbb`: the header's stripe and the current page's marker (the
    /// primary when not given).
    #[serde(default)]
    pub accent: Option<String>,
}

/// Parts of the accessibility statement (tillgänglighetsredogörelse) that come from settings.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Accessibility {
    /// Who readers contact about the site's accessibility: a unit or a person, by name.
    #[serde(default)]
    pub contact: Option<String>,
    /// Where readers send feedback or ask for content in another format (e-mail address).
    #[serde(default)]
    pub contact_email: Option<String>,
    /// A phone number for the same.
    #[serde(default)]
    pub contact_phone: Option<String>,
    /// When the statement was last reviewed (YYYY-MM-DD).
    #[serde(default)]
    pub reviewed: Option<String>,
    /// How far the site meets the law's requirements: `full`, `partial` or `none`.
    #[serde(default)]
    pub status: Option<ConformanceStatus>,
    /// Known content or functions that are not accessible, one sentence each. An empty list
    /// says there are none; leaving it out marks the statement as incomplete.
    #[serde(default)]
    pub known_gaps: Option<Vec<String>>,
    /// How the organisation assessed the site (own review, external audit), in a sentence.
    #[serde(default)]
    pub assessment: Option<String>,
    /// When that assessment was made (YYYY-MM-DD).
    #[serde(default)]
    pub assessed: Option<String>,
}

impl Accessibility {
    /// The settings the statement needs and does not have, by key (`contact` when there is no
    /// way at all to reach anyone).
    pub fn missing(&self) -> Vec<&'static str> {
        let reachable = self.contact.is_some() || self.contact_email.is_some() || self.contact_phone.is_some();
        [
            ("status", self.status.is_some()),
            ("contact", reachable),
            ("known_gaps", self.known_gaps.is_some()),
            ("assessment", self.assessment.is_some()),
            ("assessed", self.assessed.is_some()),
            ("reviewed", self.reviewed.is_some()),
        ]
        .into_iter()
        .filter(|(_, given)| !given)
        .map(|(key, _)| key)
        .collect()
    }
}

/// Conformance with the law on accessible digital public services (DOS-lagen).
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ConformanceStatus {
    /// Fully meets the requirements.
    Full,
    /// Partly meets them, because of the known gaps listed.
    Partial,
    /// Does not meet them.
    None,
}

/// The interface languages the default theme's string table has.
pub const SUPPORTED_LANGUAGES: [&str; 2] = ["sv", "en"];

fn default_language() -> String {
    "sv".to_string()
}

impl SiteConfig {
    /// Settings to carry on with when `site.yml` is missing or broken (that is reported as an
    /// error, so nothing built with these is ever written).
    pub fn fallback() -> SiteConfig {
        SiteConfig {
            title: String::new(),
            organisation: String::new(),
            language: default_language(),
            owner: None,
            description: None,
            accessibility: Accessibility::default(),
            history: HistorySettings::default(),
            brand: None,
            publish: None,
            keys: KeyIndex::default(),
        }
    }

    /// Parse and check the settings text; `path` is used in diagnostics.
    pub fn parse(text: &str, path: &Path) -> Result<SiteConfig, Vec<Diagnostic>> {
        let parsed = yaml::parse::<SiteConfig>(text).map_err(|err| {
            let mut d = Diagnostic::error(
                path,
                err.line,
                err.column,
                Message::new("config_invalid").arg("reason", &err.message),
            )
            .with_source(text);
            if let Some(limit) = &err.limit {
                d.message = limit.message.clone();
                d = d.with_hint(limit.hint.clone());
            } else if let Some((name, expected)) = &err.unknown_field {
                d.message = Message::new("config_unknown_setting").arg("name", name);
                d = d.with_hint(match yaml::closest(name, expected) {
                    Some(best) => Message::new("config_unknown_setting_hint_best")
                        .arg("best", best)
                        .arg("allowed", expected.join(", ")),
                    None => Message::new("config_unknown_setting_hint").arg("allowed", expected.join(", ")),
                });
            } else if err.message.starts_with("missing field") {
                d = d.with_hint(Message::new("config_missing_field_hint"));
            }
            vec![d]
        })?;
        let mut config = parsed.value;
        config.keys = parsed.keys;
        if !SUPPORTED_LANGUAGES.contains(&config.language.as_str()) {
            return Err(vec![Diagnostic::error(
                path,
                config.keys.line("language"),
                0,
                Message::new("config_unsupported_language").arg("language", &config.language),
            )
            .with_source(text)
            .with_hint(Message::new("config_unsupported_language_hint"))]);
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_to_swedish() {
        let c = SiteConfig::parse("title: Handbok\norganisation: Alingsås kommun\n", Path::new("site.yml")).unwrap();
        assert_eq!(c.language, "sv");
    }

    #[test]
    fn reads_the_publication_target_and_refuses_unknown_keys_under_it() {
        let c = SiteConfig::parse(
            "title: a\norganisation: b\npublish:\n  to: ../intranät\n",
            Path::new("site.yml"),
        )
        .unwrap();
        assert_eq!(c.publish.unwrap().to, "../intranät");
        let errs = SiteConfig::parse(
            "title: a\norganisation: b\npublish:\n  till: x\n",
            Path::new("site.yml"),
        )
        .unwrap_err();
        assert_eq!(errs[0].line, 4);
    }

    #[test]
    fn rejects_unknown_language() {
        let errs = SiteConfig::parse("title: a\norganisation: b\nlanguage: de\n", Path::new("site.yml")).unwrap_err();
        assert_eq!(errs[0].line, 3);
    }
}
