//! handbok turns a folder of Markdown into a static, accessible, printable handbook website.
//!
//! The pipeline, one module per stage; each takes values and returns values:
//! 1. [`content::load`] reads the content folder into pages, their texts, settings and assets,
//!    and [`theme::Theme::load`] the theme;
//! 2. [`markdown::render`] turns each page's Markdown into HTML, headings, links and search text;
//!    beside it [`history::read`] walks the Git history once, and [`compare::compare_versions`]
//!    compares the versions it names (rendered the same way) word by word;
//! 3. [`site::Site::assemble`] puts pages and their HTML together with the section tree and the
//!    print views;
//! 4. [`validate::run`] checks links, anchors, images, print views, year wheels and output
//!    paths, and lints readability. Then the one error gate: nothing below runs on errors;
//! 5. [`search::build_index`] builds the search index (before the templates, so the two
//!    stages' working memory does not add up);
//! 6. [`render::render_site`] applies the theme's templates, giving output path → bytes;
//! 7. [`output::write_site`] writes through a staging folder and swaps it in on success.
//!
//! Only `content` (and `theme` for `--theme`) read files; only `output` and `init` write them,
//! and `editor` (serve's browser editor) the content files an editor saves.

pub mod brand;
pub mod compare;
pub mod config;
pub mod content;
pub mod diag;
pub mod editor;
pub mod files;
pub mod form;
pub mod history;
pub mod hyphenate;
pub mod import;
pub mod incremental;
pub mod init;
pub mod markdown;
pub mod output;
pub mod paths;
pub mod pipeline;
pub mod plan;
pub mod preview;
pub mod print;
#[cfg(feature = "history")]
pub mod publish;
pub mod render;
pub mod search;
#[cfg(feature = "serve")]
pub mod serve;
pub mod site;
pub mod slug;
pub mod synonyms;
pub mod text;
pub mod theme;
mod timings;
pub mod validate;
pub mod words;
pub mod yaml;
pub mod year_wheel;

use std::path::{Path, PathBuf};
use std::time::Instant;

use diag::Diagnostics;
use plan::{OutputMap, OutputPlan};
use rayon::prelude::*;
use site::Site;
use theme::Theme;
use timings::timed;
pub use timings::{peak_memory, Timings};

/// Where to read from and write to.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// The content folder.
    pub content: PathBuf,
    /// A folder of theme files that override the built-in theme file by file.
    pub theme: Option<PathBuf>,
    /// The output folder.
    pub out: PathBuf,
    /// A preview (`handbok serve`), not a site to publish: pages with uncommitted edits say so
    /// rather than showing the date of their last commit, and pages may show what is still
    /// missing (the accessibility statement's unfilled facts).
    pub preview: bool,
    /// Read the page history from this commit (`handbok publish`), not from the `HEAD` of the
    /// repository around the content folder.
    pub history_from: Option<history::At>,
}

/// What a build produced, for the one-line summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Pages built.
    pub pages: usize,
    /// Pages with at least one form.
    pub forms: usize,
    /// Files written, pages included.
    pub files: usize,
    /// Time taken.
    pub elapsed: std::time::Duration,
}

impl Summary {
    /// "Built 13 pages (3 with forms, 23 files in all) into public in 6 ms", as a message.
    pub fn message(&self, out: &Path) -> crate::diag::Message {
        crate::diag::Message::new("cli_built")
            .arg("pages", self.pages)
            .arg("forms", self.forms)
            .arg("files", self.files)
            .arg("out", out.display())
            .arg("ms", self.elapsed.as_millis())
    }
}

/// A whole site built in memory, not yet written.
pub struct BuiltSite {
    /// Output path → bytes.
    pub files: OutputMap,
    /// For the one-line summary.
    pub summary: Summary,
    /// How long each stage took, for `handbok build --timings`.
    pub timings: Timings,
}

/// The assembled site with the source texts and the theme: what `serve`'s editor previews
/// unsaved text against (one page replaced, the rest as last built).
pub struct Workspace {
    /// The site model (stage 3).
    pub site: Site,
    /// What is planned from the site: history, comparisons, print views.
    pub plan: OutputPlan,
    /// Every page's file text, by page id.
    pub sources: content::Sources,
    /// The theme.
    pub theme: Theme,
}

/// Stages 1–3 and what an incremental rebuild ([`incremental`]) keeps of them: the site, the
/// page texts and the theme (the editor's [`Workspace`]), the search texts, and the diagnostics
/// apart by where they came from, so one page's can be replaced.
pub(crate) struct Stages {
    pub workspace: Workspace,
    /// Shared with a search index being built from them (`incremental::IndexWork`).
    pub texts: std::sync::Arc<search::Texts>,
    /// What loading the content and the theme reported.
    pub early: Vec<diag::Diagnostic>,
    /// Why the Git history could not be read, if it could not.
    pub history_problem: Option<diag::Diagnostic>,
    /// What each page's Markdown reported, by `PageId`.
    pub per_page: Vec<Vec<diag::Diagnostic>>,
}

impl Stages {
    /// Every diagnostic of stages 1–3, in the order a build reports them.
    pub(crate) fn diagnostics(&self) -> impl Iterator<Item = &diag::Diagnostic> {
        self.early
            .iter()
            .chain(&self.history_problem)
            .chain(self.per_page.iter().flatten())
    }
}

/// Stages 1–3: load, render Markdown (and read the history beside it), assemble. `None` when
/// nothing can be assembled (no content folder, no theme, no start page); every diagnostic
/// found is in the result or, then, in `diags`.
pub(crate) fn run_stages(
    options: &BuildOptions,
    walks: Option<&history::WalkCache>,
    diags: &mut Diagnostics,
    timings: &mut Timings,
) -> Option<Stages> {
    let mut early = Diagnostics::new();
    let loaded = content::load(&options.content, &mut early).and_then(|content| {
        let theme = Theme::load(options.theme.as_deref(), &content.config.language, &mut early)?;
        // With no pages there is nothing to build; the content stage said why (no start page).
        (!content.pages.is_empty()).then_some((content, theme))
    });
    let Some((content, theme)) = loaded else {
        diags.extend(early);
        return None;
    };
    timings.mark("load");
    // The history walk reads Git objects on one core while the pages render on the others;
    // each branch is timed on its own, the stage by its wall time.
    let read_history = || {
        timed("git walk", || {
            history::read(&history::Request {
                content: &content.root,
                pages: content
                    .pages()
                    .map(|(id, page)| history::PageFile {
                        source: &page.source,
                        text: content.sources.text(id),
                    })
                    .collect(),
                changes: content.config.history.changes,
                preview: options.preview,
                at: options.history_from.as_ref(),
                walks,
            })
        })
    };
    let render_pages = || {
        timed("markdown", || {
            content
                .pages()
                .collect::<Vec<_>>()
                .into_par_iter()
                .map(|(id, page)| {
                    let path = content.root.join(&page.source);
                    let source = markdown::Source {
                        page,
                        text: content.sources.text(id),
                        path: &path,
                    };
                    markdown::render(&source, &theme)
                })
                .collect::<Vec<_>>()
        })
    };
    let (((history, history_problem), walk_time), (results, markdown_time)) = rayon::join(read_history, render_pages);
    let mut rendered = Vec::with_capacity(results.len());
    let mut texts = Vec::with_capacity(results.len());
    let mut per_page = Vec::with_capacity(results.len());
    for result in results {
        per_page.push(result.diagnostics);
        rendered.push(result.rendered);
        texts.push(result.text);
    }
    timings.mark_parallel("markdown+git", vec![markdown_time, walk_time]);
    let comparisons = compare::compare_versions(&history, &content.root, &theme);
    timings.mark("compare");
    let (site, sources) = Site::assemble(content, rendered);
    let plan = OutputPlan::new(&site, compare::SiteHistory { history, comparisons });
    let stages = Stages {
        workspace: Workspace {
            site,
            plan,
            sources,
            theme,
        },
        texts: std::sync::Arc::new(search::Texts::new(texts)),
        early: early.into_iter().collect(),
        history_problem,
        per_page,
    };
    diags.extend(stages.diagnostics().cloned());
    Some(stages)
}

/// Run every stage except writing, through the one pipeline entry
/// ([`pipeline::Request::Everything`]). Returns the site when there were no errors; `diags`
/// gets every error and warning found.
pub fn build_in_memory(options: &BuildOptions, diags: &mut Diagnostics) -> Option<BuiltSite> {
    let mut session = incremental::Session::once(options.clone());
    match session.run(pipeline::Request::Everything, diags) {
        pipeline::Outcome::Built(Some(_)) => session.into_built(),
        _ => None,
    }
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
    timings.restart();
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
