//! Link resolution: classify a link destination written in Markdown and rewrite links to `.md`
//! files into relative `.html` links. Pure path arithmetic: it never touches the filesystem;
//! whether the target exists is checked later against the site model.

use crate::paths::{join_normalised, output_dir, output_path, percent_decode, relative_href};

/// What a link destination points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Another host or scheme (`https:`, `mailto:`, `tel:`): left as written.
    External,
    /// A URL scheme we never pass on (`javascript:`, `data:`, `vbscript:`, `file:` …).
    Unsafe(String),
    /// `#anchor` on the same page.
    SamePage {
        /// The anchor, decoded.
        anchor: String,
    },
    /// A Markdown page in the content folder.
    Page {
        /// Its output path, from the site root.
        output: String,
        /// Its content path.
        source: String,
        /// The anchor, decoded, if any.
        anchor: Option<String>,
    },
    /// Any other file in the content folder (image, PDF).
    Asset {
        /// Its output path, from the site root.
        output: String,
        /// Its content path.
        source: String,
    },
    /// A relative path that climbs out of the content folder.
    Outside,
}

/// A link destination resolved for a page in `source_dir` (`/`-separated, "" at the root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// What it points at.
    pub target: Target,
    /// What to write in the `href`/`src`.
    pub href: String,
}

const SAFE_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// Resolve `dest` as written in a page in `source_dir`.
pub fn resolve(dest: &str, source_dir: &str) -> Resolved {
    let dest = dest.trim();
    if let Some(scheme) = scheme_of(dest) {
        let target = if SAFE_SCHEMES.contains(&scheme.to_ascii_lowercase().as_str()) {
            Target::External
        } else {
            Target::Unsafe(scheme.to_string())
        };
        return Resolved {
            target,
            href: dest.to_string(),
        };
    }
    if dest.starts_with("//") {
        return Resolved {
            target: Target::External,
            href: dest.to_string(),
        };
    }
    if dest.is_empty() {
        // `[tekst]()`: an empty destination stays empty, as CommonMark renders it.
        return Resolved {
            href: String::new(),
            target: Target::SamePage { anchor: String::new() },
        };
    }
    let (before_fragment, fragment) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let anchor = fragment.map(|f| percent_decode(f).into_owned());
    let (path_part, query) = match before_fragment.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (before_fragment, None),
    };
    if path_part.is_empty() {
        let anchor = anchor.unwrap_or_default();
        let href = match query {
            Some(_) => dest.to_string(),
            None => format!("#{anchor}"),
        };
        return Resolved {
            href,
            target: Target::SamePage { anchor },
        };
    }
    let decoded = percent_decode(path_part);
    let Some(mut joined) = join_normalised(if decoded.starts_with('/') { "" } else { source_dir }, &decoded) else {
        return Resolved {
            target: Target::Outside,
            href: dest.to_string(),
        };
    };
    if decoded.ends_with('/') || joined.is_empty() {
        joined = if joined.is_empty() {
            "index.md".into()
        } else {
            format!("{joined}/index.md")
        };
    }
    let output = output_path(&joined);
    // The query and fragment travel with the link (`bilaga.pdf#page=2`, `sida.md?utskrift#mal`).
    let mut href = relative_href(&output_dir(source_dir), &output);
    if let Some(q) = query {
        href.push('?');
        href.push_str(q);
    }
    if joined.to_ascii_lowercase().ends_with(".md") {
        if let Some(a) = &anchor {
            href.push('#');
            href.push_str(a);
        }
        Resolved {
            target: Target::Page {
                output,
                source: joined,
                anchor,
            },
            href,
        }
    } else {
        if let Some(f) = fragment {
            href.push('#');
            href.push_str(f);
        }
        Resolved {
            target: Target::Asset { output, source: joined },
            href,
        }
    }
}

/// The scheme of an absolute URL (`https` in `https://…`), if `dest` has one.
fn scheme_of(dest: &str) -> Option<&str> {
    let colon = dest.find(':')?;
    let scheme = &dest[..colon];
    let valid = !scheme.is_empty()
        && scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn md_links_become_relative_html() {
        let r = resolve("samtalsguide.md#inledning", "medarbetarsamtal");
        assert_eq!(r.href, "samtalsguide.html#inledning");
        let r = resolve("../medarbetarpolicy/index.md", "medarbetarsamtal");
        assert_eq!(r.href, "../medarbetarpolicy/index.html");
        let r = resolve("medarbetarsamtal/medarbetaröverenskommelse.md", "");
        assert_eq!(r.href, "medarbetarsamtal/medarbetaroverenskommelse.html");
        assert!(matches!(r.target, Target::Page { .. }));
    }

    #[test]
    fn classifies_external_unsafe_and_outside() {
        assert_eq!(resolve("https://alingsas.se", "").target, Target::External);
        assert_eq!(
            resolve("JavaScript:alert(1)", "").target,
            Target::Unsafe("JavaScript".into())
        );
        assert_eq!(resolve("../../etc/passwd", "a").target, Target::Outside);
        assert_eq!(resolve("#mal", "a").target, Target::SamePage { anchor: "mal".into() });
    }

    #[test]
    fn query_and_fragment_travel_and_an_empty_destination_stays_empty() {
        assert_eq!(resolve("bilaga.pdf#page=2", "").href, "bilaga.pdf#page=2");
        assert_eq!(resolve("Sida.md?utskrift#mal", "").href, "sida.html?utskrift#mal");
        assert_eq!(resolve("", "a").href, "");
        assert_eq!(resolve("#", "a").href, "#");
        assert_eq!(resolve("?x=1#b", "a").href, "?x=1#b");
    }

    #[test]
    fn percent_encoded_and_folder_links() {
        let r = resolve("Min%20sida.md", "");
        assert_eq!(r.href, "min-sida.html");
        let r = resolve("../", "a/b");
        assert_eq!(r.href, "../index.html");
    }
}
