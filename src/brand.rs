//! The organisation's own look from `brand:` in site.yml: its colours (a primary and an optional
//! accent) become the theme's colour variables in light and dark mode, in a generated
//! `assets/brand.css`, and its logo goes into the header. Every text/background and focus pair
//! the colours make is measured with the WCAG 2 contrast formula; the validation stage refuses
//! a colour that fails AA, giving the ratio and the nearest shade that passes. Colours the
//! build derives itself (the dark mode's links and marker) are chosen to pass.

use crate::diag::Message;
use std::fmt;

use crate::config::Brand;

/// Where the generated stylesheet is written.
pub const BRAND_CSS: &str = "assets/brand.css";

/// WCAG AA for text (1.4.3).
pub const TEXT_AA: f64 = 4.5;
/// WCAG AA for user-interface components and focus indicators (1.4.11, 2.4.13).
pub const UI_AA: f64 = 3.0;

/// A colour, 8 bits per channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// `#rrggbb` or `#rgb`; `None` for anything else.
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.trim().strip_prefix('#')?;
        let digits: Vec<u8> = hex
            .chars()
            .map(|c| c.to_digit(16).map(|d| d as u8))
            .collect::<Option<_>>()?;
        match digits.as_slice() {
            [r, g, b] => Some(Rgb(r * 17, g * 17, b * 17)),
            [r1, r2, g1, g2, b1, b2] => Some(Rgb(r1 * 16 + r2, g1 * 16 + g2, b1 * 16 + b2)),
            _ => None,
        }
    }

    /// Relative luminance (WCAG 2).
    pub fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    /// The contrast ratio of two colours, 1–21.
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// This colour mixed with `toward` by `amount` (0 = itself, 1 = `toward`).
    fn mix(self, toward: Rgb, amount: f64) -> Rgb {
        let m = |a: u8, b: u8| (f64::from(a) + (f64::from(b) - f64::from(a)) * amount).round() as u8;
        Rgb(m(self.0, toward.0), m(self.1, toward.1), m(self.2, toward.2))
    }

    /// The least change toward black or white (whichever helps) that meets every requirement
    /// (a colour to stand against, and the contrast needed); `None` if neither gets there.
    pub fn nearest_passing(self, requirements: &[(Rgb, f64)]) -> Option<Rgb> {
        let passes = |c: Rgb| requirements.iter().all(|&(b, needed)| c.contrast(b) >= needed);
        (0..=100).map(|step| f64::from(step) / 100.0).find_map(|amount| {
            [BLACK, WHITE]
                .into_iter()
                .map(|toward| self.mix(toward, amount))
                .find(|&c| passes(c))
        })
    }
}

impl fmt::Display for Rgb {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

const BLACK: Rgb = Rgb(0, 0, 0);
const WHITE: Rgb = Rgb(255, 255, 255);

/// The default theme's colours the brand colours meet (themes/default/css/handbok.css).
struct Scheme {
    page: Rgb,
    panel: Rgb,
    header_text: Rgb,
    focus: Rgb,
}

const LIGHT: Scheme = Scheme {
    page: WHITE,
    panel: Rgb(0xf3, 0xf2, 0xf1),
    header_text: WHITE,
    focus: Rgb(0xff, 0xdd, 0x00),
};
const DARK: Scheme = Scheme {
    page: Rgb(0x11, 0x14, 0x16),
    panel: Rgb(0x1c, 0x22, 0x26),
    header_text: WHITE,
    focus: Rgb(0xff, 0xdd, 0x00),
};

/// Which colour a pair's first colour is, for messages: the one the editor set, or one the
/// build made from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// `brand.primary`.
    Primary,
    /// `brand.accent` (or the primary when no accent is set).
    Accent,
    /// Made by the build from the primary or accent; always passes.
    Derived,
}

/// One pair of colours the brand makes, with its contrast and what it needs.
#[derive(Debug, Clone, PartialEq)]
pub struct Pair {
    /// What the pair is, as a message, e.g. "white header text on it".
    pub what: Message,
    /// Light or dark mode.
    pub dark: bool,
    /// The colour that comes from the brand.
    pub colour: Rgb,
    /// What it meets.
    pub against: Rgb,
    /// Which setting the colour comes from.
    pub source: Source,
    /// The contrast ratio.
    pub ratio: f64,
    /// What WCAG AA asks of this pair.
    pub needed: f64,
}

impl Pair {
    fn new(what: Message, dark: bool, (colour, source): (Rgb, Source), against: Rgb, needed: f64) -> Pair {
        Pair {
            what,
            dark,
            colour,
            against,
            source,
            ratio: colour.contrast(against),
            needed,
        }
    }

    /// Whether the pair meets WCAG AA.
    pub fn passes(&self) -> bool {
        self.ratio >= self.needed
    }
}

/// The brand's colours as the theme uses them, in light and dark mode.
#[derive(Debug, Clone, PartialEq)]
pub struct Palette {
    /// The header's background, links and buttons in light mode.
    pub primary: Rgb,
    /// The header's stripe and the current page's marker in light mode.
    pub accent: Rgb,
    /// Links in dark mode: the primary lightened until it reads on the dark page.
    pub dark_link: Rgb,
    /// The marker in dark mode: the accent, lightened if it needs to be.
    pub dark_accent: Rgb,
}

impl Palette {
    /// The palette of a brand's colours; `None` when it sets no colour or one that does not
    /// parse (reported by validation).
    pub fn of(brand: &Brand) -> Option<Palette> {
        let primary = Rgb::parse(brand.primary.as_deref()?)?;
        let accent = match &brand.accent {
            Some(text) => Rgb::parse(text)?,
            None => primary,
        };
        let readable_on_dark = |c: Rgb, needed: f64| {
            if c.contrast(DARK.page) >= needed && c.contrast(DARK.panel) >= needed {
                c
            } else {
                (1..=100)
                    .map(|step| c.mix(WHITE, f64::from(step) / 100.0))
                    .find(|l| l.contrast(DARK.panel) >= needed && l.contrast(DARK.page) >= needed)
                    .unwrap_or(WHITE)
            }
        };
        Some(Palette {
            primary,
            accent,
            // Links want more than the minimum in dark mode, where thin text blooms.
            dark_link: readable_on_dark(primary, 7.0),
            dark_accent: readable_on_dark(accent, UI_AA),
        })
    }

    /// Every text/background and focus pair the colours make, light mode first.
    pub fn pairs(&self) -> Vec<Pair> {
        let primary = (self.primary, Source::Primary);
        let accent = (self.accent, Source::Accent);
        let mut pairs = vec![
            Pair::new(
                Message::new("brand_pair_header_text"),
                false,
                primary,
                LIGHT.header_text,
                TEXT_AA,
            ),
            Pair::new(
                Message::new("brand_pair_link_on_page"),
                false,
                primary,
                LIGHT.page,
                TEXT_AA,
            ),
            Pair::new(
                Message::new("brand_pair_link_on_panels"),
                false,
                primary,
                LIGHT.panel,
                TEXT_AA,
            ),
            Pair::new(
                Message::new("brand_pair_behind_focus"),
                false,
                primary,
                LIGHT.focus,
                UI_AA,
            ),
            Pair::new(
                Message::new("brand_pair_marker_on_page"),
                false,
                accent,
                LIGHT.page,
                UI_AA,
            ),
            Pair::new(
                Message::new("brand_pair_marker_on_panels"),
                false,
                accent,
                LIGHT.panel,
                UI_AA,
            ),
        ];
        let dark_link = (self.dark_link, Source::Derived);
        let dark_accent = (self.dark_accent, Source::Derived);
        pairs.extend([
            Pair::new(
                Message::new("brand_pair_header_text"),
                true,
                primary,
                DARK.header_text,
                TEXT_AA,
            ),
            Pair::new(
                Message::new("brand_pair_behind_focus"),
                true,
                primary,
                DARK.focus,
                UI_AA,
            ),
            Pair::new(
                Message::new("brand_pair_dark_link_on_page"),
                true,
                dark_link,
                DARK.page,
                TEXT_AA,
            ),
            Pair::new(
                Message::new("brand_pair_dark_link_on_panels"),
                true,
                dark_link,
                DARK.panel,
                TEXT_AA,
            ),
            Pair::new(
                Message::new("brand_pair_dark_marker_on_page"),
                true,
                dark_accent,
                DARK.page,
                UI_AA,
            ),
            Pair::new(
                Message::new("brand_pair_dark_marker_on_panels"),
                true,
                dark_accent,
                DARK.panel,
                UI_AA,
            ),
        ]);
        pairs
    }

    /// A shade of the colour of failing `pair` that passes every pair that colour is in, and the
    /// lowest ratio it then has with what it meets.
    pub fn suggestion(&self, pair: &Pair) -> Option<(Rgb, f64)> {
        let requirements: Vec<(Rgb, f64)> = self
            .pairs()
            .iter()
            .filter(|p| p.source == pair.source)
            .map(|p| (p.against, p.needed))
            .collect();
        let better = pair.colour.nearest_passing(&requirements)?;
        let lowest = requirements
            .iter()
            .filter(|(_, needed)| *needed >= pair.needed)
            .map(|&(against, _)| better.contrast(against))
            .fold(f64::MAX, f64::min);
        Some((better, lowest))
    }

    /// The stylesheet that gives the theme these colours (after handbok.css).
    pub fn css(&self) -> String {
        let hover = self.primary.mix(BLACK, 0.25);
        let dark_hover = self.dark_link.mix(WHITE, 0.4);
        format!(
            "/* Generated by handbok from `brand:` in site.yml. */\n\
             :root {{ --header-bg: {p}; --header-stripe: {a}; --link: {p}; --link-hover: {hover}; }}\n\
             @media (prefers-color-scheme: dark) {{ :root {{ --header-bg: {p}; --header-stripe: {da}; --link: {dl}; --link-hover: {dark_hover}; }} }}\n",
            p = self.primary,
            a = self.accent,
            da = self.dark_accent,
            dl = self.dark_link,
        )
    }
}

/// One decimal, rounded down, so "4.4:1" never hides a ratio under 4.5.
pub fn ratio_text(ratio: f64) -> String {
    format!("{:.1}:1", (ratio * 10.0).floor() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brand(primary: &str, accent: Option<&str>) -> Brand {
        Brand {
            primary: Some(primary.into()),
            accent: accent.map(str::to_string),
            ..Brand::default()
        }
    }

    #[test]
    fn contrast_follows_wcag() {
        assert_eq!(ratio_text(WHITE.contrast(BLACK)), "21.0:1");
        assert_eq!(ratio_text(Rgb::parse("#767676").unwrap().contrast(WHITE)), "4.5:1");
        assert_eq!(Rgb::parse("#fff"), Some(WHITE));
        assert_eq!(Rgb::parse("blå"), None);
        assert_eq!(Rgb::parse("#12345"), None);
    }

    #[test]
    fn the_default_blue_passes_and_dark_mode_gets_lighter_links() {
        let palette = Palette::of(&brand("#0b3d66", None)).unwrap();
        assert!(palette.pairs().iter().all(Pair::passes), "{:#?}", palette.pairs());
        assert!(palette.dark_link.luminance() > palette.primary.luminance());
        assert!(palette.css().contains("--header-bg: #0b3d66"));
    }

    #[test]
    fn a_light_primary_fails_with_a_darker_passing_suggestion() {
        let palette = Palette::of(&brand("#4a90e2", Some("#ffd6e0"))).unwrap();
        let pairs = palette.pairs();
        let failing: Vec<&Pair> = pairs.iter().filter(|p| !p.passes()).collect();
        assert!(failing
            .iter()
            .any(|p| p.source == Source::Primary && p.what.key == "brand_pair_header_text"));
        assert!(failing.iter().any(|p| p.source == Source::Accent));
        assert!(
            failing.iter().all(|p| p.source != Source::Derived),
            "derived colours always pass"
        );
        let header = failing.iter().find(|p| p.source == Source::Primary).unwrap();
        let (better, ratio) = palette.suggestion(header).unwrap();
        assert!(
            ratio >= TEXT_AA && better.luminance() < palette.primary.luminance(),
            "{better} {ratio}"
        );
        let fixed = Palette::of(&brand(&better.to_string(), None)).unwrap();
        assert!(fixed.pairs().iter().all(Pair::passes));
    }
}
