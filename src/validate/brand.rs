//! `brand:` in site.yml: colours written as `#rrggbb`, every pair they make meeting WCAG AA
//! (`crate::brand`), and a logo that is a picture in the content folder with its text
//! alternative. Each problem is an error at its key's line, with the ratio and a shade that
//! passes.

use crate::brand::{ratio_text, Palette, Rgb, Source};
use crate::config::{Brand, SETTINGS_FILE};
use crate::diag::{Diagnostic, Diagnostics};
use crate::site::Site;

/// Picture formats a browser shows in an `<img>`.
const LOGO_FORMATS: [&str; 5] = ["svg", "png", "jpg", "jpeg", "webp"];

/// Check `brand:`, when the settings have it.
pub(super) fn check(site: &Site, diags: &mut Diagnostics) {
    let Some(brand) = &site.config.brand else { return };
    let error = |key: &str, message: String, hint: String| {
        let line = site.config.keys.line(&format!("brand.{key}"));
        Diagnostic::error(site.root.join(SETTINGS_FILE), line, 0, message).with_hint(hint)
    };
    logo(site, brand, &error, diags);
    let mut colours_ok = true;
    for (key, value) in [("primary", &brand.primary), ("accent", &brand.accent)] {
        if let Some(text) = value.as_deref().filter(|t| Rgb::parse(t).is_none()) {
            colours_ok = false;
            diags.push(error(
                key,
                format!("brand.{key} `{text}` is not a colour"),
                format!("write it as `#` and six hexadecimal digits, e.g. `{key}: \"#0b3d66\"` (quoted: YAML reads `#` as a comment)"),
            ));
        }
    }
    if brand.accent.is_some() && brand.primary.is_none() {
        diags.push(error(
            "accent",
            "brand.accent needs brand.primary".into(),
            "set `primary:` too, the header's colour".into(),
        ));
    }
    if !colours_ok {
        return;
    }
    let Some(palette) = Palette::of(brand) else { return };
    let mut reported = Vec::new();
    for pair in palette.pairs().iter().filter(|p| !p.passes()) {
        // One error per colour: the first pair it fails, and a shade that passes them all.
        if reported.contains(&pair.source) {
            continue;
        }
        reported.push(pair.source);
        let key = match pair.source {
            Source::Primary | Source::Derived => "primary",
            Source::Accent if brand.accent.is_some() => "accent",
            Source::Accent => "primary",
        };
        let hint = match palette.suggestion(pair) {
            Some((better, ratio)) => format!(
                "`{key}: \"{better}\"` is the nearest shade that passes every use of it ({} where it had {})",
                ratio_text(ratio),
                ratio_text(pair.ratio)
            ),
            None => format!("choose a colour with more contrast against {}", pair.against),
        };
        diags.push(error(
            key,
            format!(
                "brand.{key} {}: {} has a contrast of {}; WCAG AA needs {}:1{}",
                pair.colour,
                pair.what,
                ratio_text(pair.ratio),
                pair.needed,
                if pair.dark { " (dark mode)" } else { "" }
            ),
            hint,
        ));
    }
}

fn logo(site: &Site, brand: &Brand, error: &impl Fn(&str, String, String) -> Diagnostic, diags: &mut Diagnostics) {
    let Some(logo) = &brand.logo else {
        if brand.logo_alt.is_some() {
            diags.push(error(
                "logo_alt",
                "brand.logo_alt without brand.logo".into(),
                "add `logo:` with the logo's file, or remove `logo_alt:`".into(),
            ));
        }
        return;
    };
    let format_ok = logo
        .rsplit_once('.')
        .is_some_and(|(_, ext)| LOGO_FORMATS.contains(&ext.to_ascii_lowercase().as_str()));
    if !format_ok {
        diags.push(error(
            "logo",
            format!("brand.logo `{logo}` is not a picture a browser shows"),
            format!("use one of: {}", LOGO_FORMATS.join(", ")),
        ));
    } else if !site.assets.iter().any(|a| a.source == *logo) {
        diags.push(error(
            "logo",
            format!("brand.logo `{logo}` is not a file in the content folder"),
            "put the logo in the content folder and give its path from there, e.g. `logo: bilder/logo.svg`".into(),
        ));
    }
    if brand.logo_alt.as_deref().is_none_or(|a| a.trim().is_empty()) {
        diags.push(error(
            "logo",
            "brand.logo needs `logo_alt`: what the logo says, for screen readers".into(),
            "e.g. `logo_alt: Alingsås kommun` (the name the logo shows)".into(),
        ));
    }
}
