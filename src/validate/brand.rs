//! `brand:` in site.yml: colours written as `#rrggbb`, every pair they make meeting WCAG AA
//! (`crate::brand`), and a logo that is a picture in the content folder with its text
//! alternative. Each problem is an error at its key's line, with the ratio and a shade that
//! passes.

use crate::brand::{ratio_text, Palette, Rgb, Source};
use crate::config::{Brand, SETTINGS_FILE};
use crate::diag::{Diagnostic, Diagnostics, Message};
use crate::site::Site;

/// Picture formats a browser shows in an `<img>`.
const LOGO_FORMATS: [&str; 5] = ["svg", "png", "jpg", "jpeg", "webp"];

/// Check `brand:`, when the settings have it.
pub(super) fn check(site: &Site, diags: &mut Diagnostics) {
    let Some(brand) = &site.config.brand else { return };
    let error = |key: &str, message: Message, hint: Message| {
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
                Message::new("brand_not_a_colour").arg("key", key).arg("value", text),
                Message::new("brand_not_a_colour_hint").arg("key", key),
            ));
        }
    }
    if brand.accent.is_some() && brand.primary.is_none() {
        diags.push(error(
            "accent",
            Message::new("brand_accent_needs_primary"),
            Message::new("brand_accent_needs_primary_hint"),
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
            Some((better, ratio)) => Message::new("brand_contrast_suggestion")
                .arg("key", key)
                .arg("better", better)
                .arg("ratio", ratio_text(ratio))
                .arg("had", ratio_text(pair.ratio)),
            None => Message::new("brand_contrast_choose").arg("against", pair.against),
        };
        diags.push(error(
            key,
            if pair.dark {
                Message::new("brand_contrast_too_low_dark")
            } else {
                Message::new("brand_contrast_too_low")
            }
            .arg("key", key)
            .arg("colour", pair.colour)
            .arg_message("what", pair.what.clone())
            .arg("ratio", ratio_text(pair.ratio))
            .arg("needed", pair.needed),
            hint,
        ));
    }
}

fn logo(site: &Site, brand: &Brand, error: &impl Fn(&str, Message, Message) -> Diagnostic, diags: &mut Diagnostics) {
    let Some(logo) = &brand.logo else {
        if brand.logo_alt.is_some() {
            diags.push(error(
                "logo_alt",
                Message::new("brand_logo_alt_without_logo"),
                Message::new("brand_logo_alt_without_logo_hint"),
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
            Message::new("brand_logo_not_a_picture").arg("logo", logo),
            Message::new("brand_logo_not_a_picture_hint").arg("formats", LOGO_FORMATS.join(", ")),
        ));
    } else if !site.assets.iter().any(|a| a.source == *logo) {
        diags.push(error(
            "logo",
            Message::new("brand_logo_missing").arg("logo", logo),
            Message::new("brand_logo_missing_hint"),
        ));
    }
    if brand.logo_alt.as_deref().is_none_or(|a| a.trim().is_empty()) {
        diags.push(error(
            "logo",
            Message::new("brand_logo_needs_alt"),
            Message::new("brand_logo_needs_alt_hint"),
        ));
    }
}
