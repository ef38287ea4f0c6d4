//! Raw HTML safety: raw HTML written in Markdown is checked before it reaches the output.
//!
//! (Placeholder until the sanitising work lands: passes HTML through unchanged.)

/// Check one raw HTML fragment; returns the HTML to emit and a message per problem found.
pub fn check_raw_html(html: &str) -> (String, Vec<String>) {
    (html.to_string(), Vec::new())
}
