//! Front matter: decode (BOM, CRLF, invalid UTF-8), split at `---`, parse the YAML.
#![no_main]

use std::path::Path;

use handbok::content::{decode, frontmatter};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("sida.md");
    let Ok(text) = decode(data.to_vec(), path) else {
        return;
    };
    assert!(!text.contains('\r'));
    if let Some(split) = frontmatter::split(&text) {
        // The split must be made of slices of the text, in order.
        assert!(split.body.len() + split.yaml.len() <= text.len());
        assert!(text.ends_with(split.body));
        if let Err(d) = frontmatter::parse(&split, path, &text) {
            // A located error points at a real line.
            assert!(d.line <= text.lines().count() + 1, "{d}");
            let _ = d.to_string();
        }
    }
});
