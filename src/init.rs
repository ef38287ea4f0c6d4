//! `handbok init DIR`: a small handbook skeleton for an organisation starting out — site
//! settings, a start page, a section with a page, and a form page — that builds and checks
//! clean, so the first thing a new editor sees is a working site to change.
//!
//! The form page uses the ```` ```form ```` block schema of docs/forms.md (a YAML list of
//! fields); `tests/integration/diagnostics.rs` checks that the skeleton checks clean with `--strict`.
//!
//! The folder becomes a Git repository (with gix) so every page's history is kept from the
//! start: with a first commit of the skeleton when a Git identity (`user.name` and
//! `user.email`) is set, else empty, with the commands to finish it. A folder already inside a
//! Git work tree is left to that repository. Built without the `history` feature (no gix),
//! the skeleton is written and Git is left to the editor ([`GitSetup::NotBuiltIn`]).

use std::fs;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Message};

/// The files of the skeleton, relative to DIR.
pub const FILES: &[(&str, &str)] = &[
    (
        "content/site.yml",
        "# Inställningar för hela handboken.\n\
         title: Personalhandbok\n\
         organisation: Exempel kommun\n\
         language: sv\n\
         owner: HR-avdelningen\n\
         description: Personalhandbok för medarbetare och chefer i Exempel kommun.\n",
    ),
    (
        "content/index.md",
        "---\n\
         title: Välkommen till personalhandboken\n\
         description: Här samlar vi policyer, riktlinjer och blanketter för dig som arbetar hos oss.\n\
         ---\n\n\
         Personalhandboken samlar det du som medarbetare eller chef behöver veta om din anställning.\n\n\
         ## Innehåll\n\n\
         - [Policyer](policyer/index.md) beskriver vad vi förväntar oss av varandra.\n\
         - [Ansökan om ledighet](ansokan-om-ledighet.md) är en blankett du kan fylla i och skriva ut.\n",
    ),
    (
        "content/policyer/index.md",
        "---\n\
         title: Policyer\n\
         order: 1\n\
         description: Kommunens policyer för medarbetare och chefer.\n\
         ---\n\n\
         En policy beskriver vad vi vill uppnå och hur vi förhåller oss till varandra.\n\n\
         - [Policy för distansarbete](distansarbete.md)\n",
    ),
    (
        "content/policyer/distansarbete.md",
        "---\n\
         title: Policy för distansarbete\n\
         order: 1\n\
         description: När och hur du kan arbeta på annan plats än arbetsplatsen.\n\
         decided: 2024-01-15\n\
         decided_by: Kommunstyrelsen\n\
         valid: Tills vidare\n\
         owner: HR-avdelningen\n\
         revised: 2024-06-01\n\
         ---\n\n\
         ## Syfte\n\n\
         Policyn ska göra det tydligt när distansarbete är möjligt och vad som gäller då.\n\n\
         ## Så här gör du\n\n\
         1. Prata med din chef om vilka arbetsuppgifter som passar att göra på distans.\n\
         2. Kom överens om tider då du går att nå.\n\
         3. Skriv ner överenskommelsen.\n\n\
         ## Arbetsmiljö\n\n\
         Arbetsmiljölagen gäller även när du arbetar hemifrån. Läs mer på\n\
         [Arbetsmiljöverkets sida om distansarbete](https://www.av.se/).\n\n\
         Tillbaka till [Policyer](index.md).\n",
    ),
    (
        "content/ansokan-om-ledighet.md",
        "---\n\
         title: Ansökan om ledighet\n\
         order: 2\n\
         description: Blankett för att ansöka om ledighet. Fyll i, skriv ut och lämna till din chef.\n\
         owner: HR-avdelningen\n\
         print_pages: 1\n\
         ---\n\n\
         Fyll i blanketten och lämna den till din chef senast två veckor före ledigheten.\n\n\
         ```form\n\
         - text: Namn\n\
         \x20 hint: För- och efternamn.\n\
         - text: Arbetsplats\n\
         - period: Ledigheten\n\
         \x20 from: Från och med\n\
         \x20 to: Till och med\n\
         - area: Skäl till ledigheten\n\
         \x20 lines: 3\n\
         - signatures: [Underskrift medarbetare, Beslut chef]\n\
         \x20 date: true\n\
         ```\n",
    ),
    ("README.md", README),
    // The editor's temporary files (beside a page during a save) and its history of earlier
    // versions belong to this computer, not to the handbook's Git history.
    (".gitignore", GITIGNORE),
];

/// What a handbook repository leaves out of Git: the built site, the editor's temporary files
/// and `content/.handbok/` (this computer's state).
pub const GITIGNORE: &str = "/public/\n*.handbok-tmp\n.handbok/\n";

const README: &str = "# Personalhandbok\n\n\
Sidorna finns i mappen `content/`, en Markdown-fil per sida.\n\n\
- `handbok serve` visar handboken i webbläsaren medan du skriver (sparar du, uppdateras sidan).\n\
- `handbok check` kontrollerar alla sidor utan att bygga.\n\
- `handbok build` bygger webbplatsen till mappen `public/`.\n";

/// The message of the skeleton's first commit.
pub const FIRST_COMMIT: &str = "Personalhandboken skapas";

/// What `init` did about version history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GitSetup {
    /// A new repository with the skeleton as its first commit.
    Committed,
    /// A new repository without a commit: no Git identity is set.
    NoIdentity,
    /// The folder is inside another repository's work tree already.
    InsideRepository(PathBuf),
    /// Git could not be set up; the handbook works without it.
    Failed(String),
    /// handbok was built without the `history` feature: no repository was made.
    NotBuiltIn,
}

/// Create the skeleton in `dir` and make it a Git repository. Refuses to write into a folder
/// that already has files, so an existing handbook is never overwritten. Returns the files
/// created and what was done about Git.
pub fn init(dir: &Path) -> Result<(Vec<PathBuf>, GitSetup), Diagnostic> {
    let existing = dir
        .ancestors()
        .skip(1)
        .find(|p| !p.as_os_str().is_empty() && p.exists())
        .unwrap_or(Path::new("."));
    #[cfg(feature = "history")]
    let outer = gix::discover(existing)
        .ok()
        .and_then(|r| r.workdir().map(Path::to_path_buf));
    let created = write_files(dir)?;
    #[cfg(feature = "history")]
    let git = match outer {
        Some(workdir) => GitSetup::InsideRepository(workdir),
        None => create_repository(dir).unwrap_or_else(GitSetup::Failed),
    };
    #[cfg(not(feature = "history"))]
    let git = {
        let _ = existing;
        GitSetup::NotBuiltIn
    };
    Ok((created, git))
}

/// Make `dir` a Git repository laid out as `init` lays one out: `git init` and the
/// [`GITIGNORE`] (written only where the folder has no `.gitignore`). The editor's Publicera
/// page makes an existing handbook folder a repository through this too.
#[cfg(feature = "history")]
pub fn make_repository(dir: &Path) -> Result<gix::Repository, String> {
    let repo = gix::init(dir).map_err(|e| e.to_string())?;
    let ignore = dir.join(".gitignore");
    if fs::symlink_metadata(&ignore).is_err() {
        fs::write(&ignore, GITIGNORE).map_err(|e| format!("{}: {e}", ignore.display()))?;
    }
    Ok(repo)
}

/// `git init`, then `git add` and `git commit` of every file when an identity is set.
#[cfg(feature = "history")]
fn create_repository(dir: &Path) -> Result<GitSetup, String> {
    let repo = make_repository(dir)?;
    if repo.committer().is_none() || repo.author().is_none() {
        return Ok(GitSetup::NoIdentity);
    }
    let mut tree = repo.edit_tree(repo.empty_tree().id).map_err(|e| e.to_string())?;
    for (relative, text) in FILES {
        let blob = repo.write_blob(text.as_bytes()).map_err(|e| e.to_string())?;
        tree.upsert(*relative, gix::object::tree::EntryKind::Blob, blob)
            .map_err(|e| e.to_string())?;
    }
    let tree = tree.write().map_err(|e| e.to_string())?.detach();
    repo.commit("HEAD", FIRST_COMMIT, tree, None::<gix::hash::ObjectId>)
        .map_err(|e| e.to_string())?;
    // The index matches the commit, so `git status` shows a clean work tree.
    let mut index = repo.index_from_tree(&tree).map_err(|e| e.to_string())?;
    index.write(Default::default()).map_err(|e| e.to_string())?;
    Ok(GitSetup::Committed)
}

fn write_files(dir: &Path) -> Result<Vec<PathBuf>, Diagnostic> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(Diagnostic::error(dir, 0, 0, Message::new("init_not_a_folder"))
                .with_hint(Message::new("init_not_a_folder_hint")));
        }
        let has_files = fs::read_dir(dir)
            .map_err(|e| Diagnostic::error(dir, 0, 0, Message::new("init_folder_unreadable").arg("reason", e)))?
            .next()
            .is_some();
        if has_files {
            return Err(Diagnostic::error(dir, 0, 0, Message::new("init_folder_not_empty"))
                .with_hint(Message::new("init_folder_not_empty_hint")));
        }
    }
    let mut created = Vec::new();
    for (relative, text) in FILES {
        let path = dir.join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| {
                Diagnostic::error(parent, 0, 0, Message::new("init_create_folder_failed").arg("reason", e))
            })?;
        }
        fs::write(&path, text)
            .map_err(|e| Diagnostic::error(&path, 0, 0, Message::new("init_write_failed").arg("reason", e)))?;
        created.push(path);
    }
    Ok(created)
}
