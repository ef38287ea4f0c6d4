//! The link rewriter: any destination, from any folder, resolves without panicking, and a
//! resolved page or asset always stays inside the site (no `..`, no absolute path).
#![no_main]

use handbok::markdown::links::{resolve, Target};
use handbok::paths::{relative_href, root_prefix};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &str)| {
    let (dest, dir) = input;
    // Source folders are `/`-separated relative paths without `.` or `..` parts.
    if dir.split('/').any(|s| s == "." || s == "..") || dir.starts_with('/') || dir.contains('\\') {
        return;
    }
    let resolved = resolve(dest, dir);
    match &resolved.target {
        Target::Page { output, source, .. } | Target::Asset { output, source } => {
            for path in [output, source] {
                assert!(!path.starts_with('/'), "absolute: {path}");
                assert!(!path.split('/').any(|s| s == ".." || s == "."), "escapes: {path}");
            }
            // The href leads back up no further than the page's own depth.
            let from = handbok::paths::output_path(&format!("{dir}/x.md"));
            let depth = from.matches('/').count();
            // Only the path counts: the `#fragment` may hold any text.
            let path = resolved.href.split('#').next().unwrap_or("");
            let ups = path.matches("../").count();
            assert!(ups <= depth, "{dest} from {dir}: {}", resolved.href);
        }
        Target::Unsafe(_) | Target::External | Target::SamePage { .. } | Target::Outside => {}
    }
    let _ = relative_href(dir, dest);
    let _ = root_prefix(dest);
});
