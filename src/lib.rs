//! handbok turns a folder of Markdown into a static, accessible, printable handbook website.
//!
//! The pipeline, one module per stage; each takes values and returns values:
//! 1. [`content::load`] reads the content folder into pages, settings and assets;
//! 2. [`markdown::render`] turns each page's Markdown into HTML plus headings, links and text;
//! 3. [`site::SiteModel`] orders pages into the section tree with previous/next and breadcrumbs;
//! 4. [`check`] validates links, anchors and images across pages;
//! 5. [`render::render_site`] applies the theme's templates, giving output path → bytes
//!    (with [`print`]'s print views: a talk's pages, or the whole handbook, on one page);
//!    then [`search::build_index`] adds the search index script to that map;
//! 6. [`output::write_site`] writes through a staging folder and swaps it in on success.
//!
//! Only `content` (and `theme` for `--theme`) read files and only `output` writes them.

pub mod check;
pub mod config;
pub mod content;
pub mod diag;
pub mod html;
pub mod init;
pub mod lint;
pub mod markdown;
pub mod output;
pub mod print;
pub mod render;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod theme;
pub mod yaml;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use diag::Diagnostics;
use render::OutputMap;

/// Where to read from and write to.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub content: PathBuf,
    /// A folder of theme files that override the built-in theme file by file.
    pub theme: Option<PathBuf>,
    pub out: PathBuf,
}

/// What a build produced, for the one-line summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub pages: usize,
    pub forms: usize,
    pub files: usize,
    pub elapsed: Duration,
}

impl Summary {
    pub fn line(&self, out: &Path) -> String {
        format!(
            "Built {} pages ({} with forms, {} files in all) into {} in {} ms",
            self.pages,
            self.forms,
            self.files,
            out.display(),
            self.elapsed.as_millis()
        )
    }
}

/// A whole site built in memory, not yet written.
pub struct BuiltSite {
    pub files: OutputMap,
    pub summary: Summary,
}

/// Run every stage except writing. Returns the site when there were no errors; `diags` gets
/// every error and warning found.
pub fn build_in_memory(options: &BuildOptions, diags: &mut Diagnostics) -> Option<BuiltSite> {
    let started = Instant::now();
    let content = content::load(&options.content, diags)?;
    let theme = theme::Theme::load(options.theme.as_deref(), &content.config.language, diags)?;
    let rendered: Vec<markdown::Rendered> = content
        .pages
        .iter()
        .map(|page| markdown::render(page, &content.root.join(&page.source)))
        .collect();
    for r in &rendered {
        diags.extend(r.diagnostics.iter().cloned());
    }
    let site = site::SiteModel::build(&content.pages);
    check::check_links(&content, &rendered, diags);
    lint::lint(&content, &rendered, &site, diags);
    if diags.has_errors() {
        return None;
    }
    let views = print::plan(&content, &site, diags);
    print::check_year_wheels(&content, diags);
    let mut files = render::render_site(&content, &site, &rendered, &theme, &views, diags);
    if diags.has_errors() {
        return None;
    }
    let (index_path, index_js) = search::build_index(&content, &rendered, &site);
    files.insert(index_path, index_js);
    let summary = Summary {
        pages: content.pages.len(),
        forms: rendered.iter().filter(|r| r.form_count > 0).count(),
        files: files.len(),
        elapsed: started.elapsed(),
    };
    Some(BuiltSite { files, summary })
}

/// Build and write the site. On any error nothing is written and the old output stays.
pub fn build(options: &BuildOptions, diags: &mut Diagnostics) -> Option<Summary> {
    let mut protected: Vec<&Path> = vec![&options.content];
    if let Some(theme) = &options.theme {
        protected.push(theme);
    }
    if let Err(d) = output::check_location(&options.out, &protected).and_then(|_| output::check_ownership(&options.out))
    {
        diags.push(d);
        return None;
    }
    let started = Instant::now();
    let built = build_in_memory(options, diags)?;
    if let Err(d) = output::write_site(&options.out, &built.files, &mut output::FsWriter) {
        diags.push(d);
        return None;
    }
    Some(Summary {
        elapsed: started.elapsed(),
        ..built.summary
    })
}

/// Run every validation of the build and write nothing.
pub fn check(options: &BuildOptions, diags: &mut Diagnostics) -> Option<Summary> {
    build_in_memory(options, diags).map(|b| b.summary)
}
