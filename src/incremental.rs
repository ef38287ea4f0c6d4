//! Rebuilding after an edit without starting over, for `handbok serve`. A [`Session`] keeps the
//! last build's stages. When every changed file is a page whose front matter is unchanged (the
//! usual save: a sentence fixed, a paragraph added), only those pages' Markdown is rendered
//! again; the whole site is checked again (links into an edited page may have lost their
//! anchor); and only the outputs that show those pages' text are rendered again
//! ([`Selection::TextOf`]). The search index is left for a second step, [`Session::finish`], so
//! the preview can reload before it. Anything else (a title, a new or deleted page, `site.yml`,
//! the theme) is a full build.
//!
//! Either way the output after [`Session::finish`] is what a full build of the same files
//! gives, byte for byte, with the same diagnostics: `tests/integration/incremental.rs` holds it
//! to that over random sequences of edits.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crate::compare::compare_versions_reusing;
use crate::compare::SiteHistory;
use crate::content::{self, PageId};
use crate::diag::Diagnostics;
use crate::history;
use crate::markdown;
use crate::plan::{OutputMap, SharedOutputMap};
use crate::render::{self, Selection};
use crate::search;
use crate::site::Site;
use crate::timings::timed;
use crate::validate;
use crate::{run_stages, BuildOptions, BuiltSite, Stages, Summary, Timings, Workspace};

/// A preview's builds: the last one's stages and output, to rebuild from.
pub struct Session {
    options: BuildOptions,
    /// The last build's stages; `None` before the first build and after one with errors.
    stages: Option<Stages>,
    /// The stages of the last build that failed after the pages were assembled (or, when
    /// nothing could be assembled, the last that could): what the editor works with meanwhile.
    unbuilt: Option<Stages>,
    /// The last successful build's output, each file shared (so `serve` serves the same
    /// bytes without a copy of the site).
    files: SharedOutputMap,
    /// The search index in `files` is older than the pages' text.
    search_behind: bool,
    /// Counts the builds and rebuilds, so a search index built from an older one's texts
    /// ([`IndexWork`]) is not put in place after a newer one.
    builds: u64,
    /// The Git walk kept between builds, extended when `HEAD` moves on.
    walks: history::WalkCache,
    /// `serve`'s session keeps the stages to rebuild from; a one-shot build (`build`, `check`,
    /// `publish`) lets each stage's input go as soon as it is used, for a lower peak memory.
    keep: bool,
    /// The last successful build's summary and stage times.
    built: Option<(Summary, Timings)>,
}

/// What a rebuild did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rebuilt {
    /// Everything was built again.
    Full,
    /// Only these outputs were rendered again (the rest are as they were); the search index
    /// follows with [`Session::finish`].
    Text {
        /// The pages edited, as source paths.
        pages: Vec<String>,
        /// The outputs rendered again.
        outputs: Vec<String>,
    },
}

impl Session {
    /// A session that has built nothing yet.
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            stages: None,
            unbuilt: None,
            files: SharedOutputMap::new(),
            search_behind: false,
            builds: 0,
            walks: history::WalkCache::default(),
            keep: true,
            built: None,
        }
    }

    /// A session for one build that keeps nothing to rebuild from (`build`, `check`, `publish`).
    pub fn once(options: BuildOptions) -> Session {
        Session {
            keep: false,
            ..Session::new(options)
        }
    }

    /// The output of the last successful build, with its summary and stage times.
    pub fn into_built(self) -> Option<BuiltSite> {
        let (summary, timings) = self.built?;
        Some(BuiltSite {
            files: self
                .files
                .into_iter()
                .map(|(path, bytes)| (path, bytes.into_vec()))
                .collect(),
            summary,
            timings,
        })
    }

    /// The options the session builds with.
    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// The last successful build's output (empty before the first).
    pub fn files(&self) -> &SharedOutputMap {
        &self.files
    }

    /// The site and the page texts the last successful build indexed (a session from
    /// [`Session::new`] keeps them; a one-shot one lets them go): for measuring and testing the
    /// search index's own layout without a second way into the stages.
    pub fn search_input(&self) -> Option<(&Site, &search::Texts)> {
        self.stages
            .as_ref()
            .map(|stages| (&stages.workspace.site, &*stages.texts))
    }

    /// The site, page texts and theme of the last build that got as far as assembling the
    /// pages, errors or not: what `serve`'s editor previews and plans against.
    pub fn workspace(&mut self) -> Option<&mut Workspace> {
        self.stages
            .as_mut()
            .or(self.unbuilt.as_mut())
            .map(|stages| &mut stages.workspace)
    }

    /// Build everything. `false` when there were errors (all of them are in `diags`); the last
    /// good output is kept.
    pub fn build(&mut self, diags: &mut Diagnostics) -> bool {
        let started = Instant::now();
        self.builds += 1;
        let previous = self.stages.take().or(self.unbuilt.take());
        let mut timings = Timings::start();
        let walks = self.keep.then_some(&self.walks);
        let Some(mut stages) = run_stages(&self.options, walks, diags, &mut timings) else {
            self.unbuilt = previous;
            return false;
        };
        drop(previous);
        let ws = &stages.workspace;
        validate::run(&ws.site, &ws.plan, &ws.sources, &ws.theme, diags);
        timings.mark("check");
        // The gate: every stage above reported everything it found; nothing below runs on errors.
        if diags.has_errors() {
            self.unbuilt = self.keep.then_some(stages);
            return false;
        }
        // The search index and the pages need the same site and nothing from each other. A
        // one-shot build makes them side by side (the index's sorting and cutting is partly
        // serial, so the pages fill the other cores) and lets the source texts go first and the
        // page texts with the index. `serve` keeps its texts and builds the index first, so its
        // peak is the larger of the two stages, not their sum.
        let preview = self.options.preview;
        let (index_files, mut files) = if self.keep {
            let index_files = search::build_index(&stages.workspace.site, &stages.texts);
            timings.mark("search");
            let ws = &stages.workspace;
            let files = render::render_site(&ws.site, &ws.plan, &ws.theme, preview, diags);
            timings.mark("templates");
            (index_files, files)
        } else {
            drop(std::mem::take(&mut stages.workspace.sources));
            let texts = Arc::unwrap_or_clone(std::mem::take(&mut stages.texts));
            let ws = &stages.workspace;
            let ((index_files, search_time), (files, template_time)) = rayon::join(
                || timed("search", || search::build_index_from(&ws.site, texts)),
                || {
                    timed("templates", || {
                        render::render_site(&ws.site, &ws.plan, &ws.theme, preview, diags)
                    })
                },
            );
            timings.mark_parallel("search+templates", vec![search_time, template_time]);
            (index_files, files)
        };
        let ws = &stages.workspace;
        if diags.has_errors() {
            self.unbuilt = self.keep.then_some(stages);
            return false;
        }
        files.extend(index_files);
        let summary = Summary {
            pages: ws.site.page_count(),
            forms: ws.site.pages().filter(|(_, p)| p.rendered.form_count > 0).count(),
            files: files.len(),
            elapsed: started.elapsed(),
        };
        self.built = Some((summary, timings));
        // Each file's bytes move into their shared place: nothing is copied.
        self.files = files.into_iter().map(|(path, bytes)| (path, bytes.into())).collect();
        self.stages = self.keep.then_some(stages);
        self.search_behind = false;
        true
    }

    /// Rebuild after the files `changed` (paths inside the content folder, absolute or as the
    /// options name them) were saved, created or deleted. `None` when there were errors (all of
    /// them are in `diags`; the last good output is kept and the next rebuild is a full one).
    pub fn rebuild(&mut self, changed: &[PathBuf], diags: &mut Diagnostics) -> Option<Rebuilt> {
        match self.text_edits(changed) {
            Some(edits) => self.rebuild_text(edits, diags),
            None => self.build(diags).then_some(Rebuilt::Full),
        }
    }

    /// Bring the search index up to date with the pages' text; the outputs that changed (the
    /// index's files written anew or no longer written, in path order). The same as
    /// [`Session::index_work`], [`IndexWork::build`] and [`Session::put_index`] in a row.
    pub fn finish(&mut self) -> Vec<String> {
        match self.index_work() {
            Some(work) => self.put_index(work.build()),
            None => Vec::new(),
        }
    }

    /// What the search index is built from, when it is older than the pages' text: an outline
    /// of the site (its pages without their HTML) and the search texts (shared, not copied).
    /// It needs nothing else of the session, so `serve` builds it without holding the session
    /// and the editor's preview answers meanwhile.
    pub fn index_work(&self) -> Option<IndexWork> {
        let stages = self.stages.as_ref().filter(|_| self.search_behind)?;
        Some(IndexWork {
            site: stages.workspace.site.outline(),
            texts: Arc::clone(&stages.texts),
            build: self.builds,
        })
    }

    /// Put a search index built from [`Session::index_work`] in place; the outputs that changed
    /// (see [`Session::finish`]). Nothing, when a build ran since the work was taken (that
    /// build's own index follows).
    pub fn put_index(&mut self, built: IndexBuilt) -> Vec<String> {
        if built.build != self.builds || !self.search_behind || self.stages.is_none() {
            return Vec::new();
        }
        let index = built.files;
        let old: Vec<String> = self
            .files
            .keys()
            .filter(|p| search::is_index_file(p))
            .cloned()
            .collect();
        let mut changed: Vec<String> = old.into_iter().filter(|p| !index.contains_key(p)).collect();
        for gone in &changed {
            self.files.remove(gone);
        }
        for (path, bytes) in index {
            if self.files.get(&path).is_none_or(|old| **old != *bytes) {
                changed.push(path.clone());
                self.files.insert(path, bytes.into());
            }
        }
        changed.sort();
        self.search_behind = false;
        changed
    }

    /// Whether every file in `changed` is a page of the last build whose text is byte for byte
    /// what that build read (so a rebuild would change nothing).
    pub fn unchanged(&self, changed: &[PathBuf]) -> bool {
        let Some(stages) = self.stages.as_ref() else {
            return false;
        };
        changed.iter().all(|path| {
            let Some(source) = source_path(&self.options.content, path) else {
                return false;
            };
            let Some(id) = stages.workspace.site.page_at_source(&source) else {
                return false;
            };
            let file = self.options.content.join(&source);
            fs::read(&file)
                .ok()
                .and_then(|bytes| content::decode(bytes, &file).ok())
                .is_some_and(|text| text == stages.workspace.sources.text(id))
        })
    }

    /// The new text of each changed file, when every one is a page of the last build whose
    /// front matter is byte for byte as it was; `None` when a full build is needed.
    fn text_edits(&self, changed: &[PathBuf]) -> Option<Vec<(PageId, String)>> {
        let stages = self.stages.as_ref()?;
        let mut edits: Vec<(PageId, String)> = Vec::new();
        for path in changed {
            let source = source_path(&self.options.content, path)?;
            let id = stages.workspace.site.page_at_source(&source)?;
            let file = self.options.content.join(&source);
            let text = content::decode(fs::read(&file).ok()?, &file).ok()?;
            let front_end = stages.workspace.site.page(id).page.body_start;
            let old = stages.workspace.sources.text(id);
            if text.get(..front_end)? != old.get(..front_end)? {
                return None;
            }
            edits.retain(|(other, _)| *other != id);
            edits.push((id, text));
        }
        (!edits.is_empty()).then_some(edits)
    }

    /// Render the edited pages' Markdown, check the site, and render what shows their text.
    fn rebuild_text(&mut self, edits: Vec<(PageId, String)>, diags: &mut Diagnostics) -> Option<Rebuilt> {
        let mut stages = self.stages.take()?;
        self.builds += 1;
        let root = self.options.content.clone();
        let ids: Vec<PageId> = edits.iter().map(|(id, _)| *id).collect();
        for (id, text) in edits {
            let page = stages.workspace.site.page(id).page.clone();
            let path = root.join(&page.source);
            let result = markdown::render(
                &markdown::Source {
                    page: &page,
                    text: &text,
                    path: &path,
                },
                &stages.workspace.theme,
            );
            stages.workspace.site.set_rendered(id, result.rendered);
            // Copied only while a search index is being built from the texts before the edit.
            Arc::make_mut(&mut stages.texts).set(id, result.text);
            stages.per_page[id.0] = result.diagnostics;
            stages.workspace.sources.set_text(id, text);
        }
        let sources: Vec<String> = ids
            .iter()
            .map(|&id| stages.workspace.site.page(id).page.source.clone())
            .collect();
        let old_versions: Vec<String> = stages
            .workspace
            .plan
            .version_pages(&stages.workspace.site)
            .into_iter()
            .filter(|(_, _, id)| ids.contains(id))
            .map(|(output, _, _)| output)
            .collect();
        let history_elsewhere = self.reread_history(&mut stages, &sources);
        diags.extend(stages.diagnostics().cloned());
        let ws = &stages.workspace;
        validate::run(&ws.site, &ws.plan, &ws.sources, &ws.theme, diags);
        if diags.has_errors() {
            self.unbuilt = Some(stages);
            return None;
        }
        let selection = if history_elsewhere {
            Selection::All
        } else {
            Selection::TextOf(&ids)
        };
        let rendered = render::render_selected(&ws.site, &ws.plan, &ws.theme, (self.options.preview, selection), diags);
        if diags.has_errors() {
            self.unbuilt = Some(stages);
            return None;
        }
        let outputs: Vec<String> = rendered.keys().cloned().collect();
        let rendered = rendered.into_iter().map(|(path, bytes)| (path, bytes.into()));
        if history_elsewhere {
            let old = std::mem::replace(&mut self.files, rendered.collect());
            self.files
                .extend(old.into_iter().filter(|(path, _)| search::is_index_file(path)));
        } else {
            for gone in &old_versions {
                self.files.remove(gone);
            }
            self.files.extend(rendered);
        }
        self.stages = Some(stages);
        self.search_behind = true;
        Some(Rebuilt::Text {
            pages: sources,
            outputs,
        })
    }

    /// In a preview of a handbook in Git, read the history again: an edited page may now
    /// differ from its last commit (or no longer). `true` when it changed for other pages too
    /// (a commit was made meanwhile), so every page must be rendered again.
    fn reread_history(&self, stages: &mut Stages, edited: &[String]) -> bool {
        if !(self.options.preview && stages.workspace.plan.history.history.in_git) {
            return false;
        }
        let site = &stages.workspace.site;
        let (history, problem) = history::read(&history::Request {
            content: &self.options.content,
            pages: site
                .pages()
                .map(|(id, p)| history::PageFile {
                    source: &p.page.source,
                    text: stages.workspace.sources.text(id),
                })
                .collect(),
            changes: site.config.history.changes,
            preview: self.options.preview,
            at: self.options.history_from.as_ref(),
            walks: Some(&self.walks),
        });
        let edited: Vec<&str> = edited.iter().map(String::as_str).collect();
        let previous = &stages.workspace.plan.history;
        let elsewhere = !history.same_apart_from(&previous.history, &edited);
        let comparisons = compare_versions_reusing(&history, previous, &self.options.content, &stages.workspace.theme);
        stages.workspace.plan.history = SiteHistory { history, comparisons };
        stages.history_problem = problem;
        elsewhere
    }
}

/// What the search index is built from, lent by [`Session::index_work`].
pub struct IndexWork {
    /// The site's pages without their HTML, the tree and the synonyms.
    site: Site,
    texts: Arc<search::Texts>,
    build: u64,
}

/// A search index built from [`IndexWork`], for [`Session::put_index`].
pub struct IndexBuilt {
    files: OutputMap,
    build: u64,
}

impl IndexWork {
    /// Build the index (the search stage, on every core).
    pub fn build(self) -> IndexBuilt {
        let files = search::build_index(&self.site, &self.texts).into_iter().collect();
        IndexBuilt {
            files,
            build: self.build,
        }
    }
}

/// `path` as a source path inside the content folder (`/`-separated), if it is inside it.
fn source_path(content: &Path, path: &Path) -> Option<String> {
    let relative: PathBuf = match path.strip_prefix(content) {
        Ok(relative) => relative.to_path_buf(),
        Err(_) => path.strip_prefix(content.canonicalize().ok()?).ok()?.to_path_buf(),
    };
    let parts: Vec<&str> = relative.iter().map(|p| p.to_str()).collect::<Option<_>>()?;
    (!parts.is_empty()).then(|| parts.join("/"))
}
