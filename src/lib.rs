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
use rayon::prelude::*;
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
    /// How long each stage took, for `handbok build --timings`.
    pub timings: Timings,
}

/// Wall time per pipeline stage, in the order the stages ran.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub stages: Vec<(&'static str, Duration)>,
    last: Option<Instant>,
}

impl Timings {
    /// Start the clock for the first stage.
    pub fn start() -> Timings {
        Timings {
            stages: Vec::new(),
            last: Some(Instant::now()),
        }
    }

    /// Close the running stage under `name` and start the next one.
    pub fn mark(&mut self, name: &'static str) {
        let now = Instant::now();
        let since = self.last.map_or(Duration::ZERO, |t| now - t);
        self.stages.push((name, since));
        self.last = Some(now);
    }

    /// One line per stage, e.g. `  markdown      12.3 ms`, then the total.
    pub fn report(&self) -> String {
        let mut out = String::new();
        let mut total = Duration::ZERO;
        for (name, d) in &self.stages {
            out.push_str(&format!("  {name:<10} {:>9.1} ms\n", d.as_secs_f64() * 1e3));
            total += *d;
        }
        out.push_str(&format!("  {:<10} {:>9.1} ms", "total", total.as_secs_f64() * 1e3));
        out
    }
}

/// Run every stage except writing. Returns the site when there were no errors; `diags` gets
/// every error and warning found.
pub fn build_in_memory(options: &BuildOptions, diags: &mut Diagnostics) -> Option<BuiltSite> {
    let started = Instant::now();
    let mut timings = Timings::start();
    let mut content = content::load(&options.content, diags)?;
    let theme = theme::Theme::load(options.theme.as_deref(), &content.config.language, diags)?;
    timings.mark("load");
    let mut rendered: Vec<markdown::Rendered> = content
        .pages
        .par_iter()
        .map(|page| markdown::render(page, &content.root.join(&page.source)))
        .collect();
    for r in &rendered {
        diags.extend(r.diagnostics.iter().cloned());
    }
    timings.mark("markdown");
    let site = site::SiteModel::build(&content.pages);
    check::check_links(&content, &rendered, diags);
    lint::lint(&content, &rendered, &site, diags);
    timings.mark("check");
    if diags.has_errors() {
        return None;
    }
    // The search index is built before the pages are rendered, so its working memory is
    // freed before the rendered pages fill memory: a large site's peak is the larger of the two
    // stages, not their sum.
    let (index_path, index_js) = search::build_index(&content, &rendered, &site);
    timings.mark("search");
    let views = print::plan(&content, &site, diags);
    print::check_year_wheels(&content, diags);
    // Source text (for quoting lines in diagnostics) and search text blocks are not needed by
    // the templates: let them go before the rendered pages fill memory.
    for (page, r) in content.pages.iter_mut().zip(&mut rendered) {
        page.text = String::new();
        page.body_start = 0;
        r.blocks = Vec::new();
    }
    let mut files = render::render_site(&content, &site, &rendered, &theme, &views, diags);
    timings.mark("templates");
    if diags.has_errors() {
        return None;
    }
    files.insert(index_path, index_js);
    let summary = Summary {
        pages: content.pages.len(),
        forms: rendered.iter().filter(|r| r.form_count > 0).count(),
        files: files.len(),
        elapsed: started.elapsed(),
    };
    Some(BuiltSite {
        files,
        summary,
        timings,
    })
}

/// Build and write the site. On any error nothing is written and the old output stays.
pub fn build(options: &BuildOptions, diags: &mut Diagnostics) -> Option<Summary> {
    build_timed(options, diags).map(|(summary, _)| summary)
}

/// [`build`], also returning the time each stage took (writing included).
pub fn build_timed(options: &BuildOptions, diags: &mut Diagnostics) -> Option<(Summary, Timings)> {
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
    let mut timings = built.timings;
    timings.last = Some(Instant::now());
    if let Err(d) = output::write_site(&options.out, &built.files, &output::FsWriter) {
        diags.push(d);
        return None;
    }
    timings.mark("write");
    let summary = Summary {
        elapsed: started.elapsed(),
        ..built.summary
    };
    Some((summary, timings))
}

/// Run every validation of the build and write nothing.
pub fn check(options: &BuildOptions, diags: &mut Diagnostics) -> Option<Summary> {
    build_in_memory(options, diags).map(|b| b.summary)
}
