//! Command-line interface: clap types for `handbok build`, `check` and friends.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "handbok",
    version,
    about = "Build an accessible, printable handbook website from Markdown",
    long_about = "Build an accessible, printable handbook website from Markdown.\n\n\
                  Without a command (as when double-clicked) in a handbook folder, handbok starts the \
                  preview with the browser editor and opens the start page."
)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Build the site into the output folder (replaced only when the whole build succeeds).
    Build(BuildArgs),
    /// Run every validation of the build and write nothing; warnings fail only with --strict.
    Check(CheckArgs),
    /// Preview the handbook in the browser; pages reload when you save a file.
    Serve(ServeArgs),
    /// Create a small working handbook in a new folder.
    Init(InitArgs),
    /// Import a Word document (.docx) as a page, or with --split as a section of pages.
    Import(ImportArgs),
    /// Commit the content folder, build exactly that commit and deliver it to site.yml's
    /// `publish: {to: …}`; push where the repository has a remote. Exit 0 (published, or nothing
    /// to publish), 1 (errors, or refused; nothing lost), 3 (delivered, not pushed).
    Publish(PublishArgs),
}

#[derive(Debug, Args, Clone)]
pub(crate) struct PublishArgs {
    /// One sentence saying what changed; readers see it in "Ändringar i handboken".
    #[arg(short = 'm', long = "message", default_value = "")]
    pub message: String,
    /// List what would be published and change nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Refuse to publish on warnings too, not only on errors.
    #[arg(long)]
    pub strict: bool,
    #[command(flatten)]
    pub site: SourceArgs,
}

#[derive(Debug, Args, Clone)]
pub(crate) struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Print how long each stage took (load, markdown, check, templates, search, write).
    #[arg(long)]
    pub timings: bool,
}

#[derive(Debug, Args, Clone)]
pub(crate) struct CheckArgs {
    #[command(flatten)]
    pub site: SourceArgs,
    /// Fail (exit 1) on warnings too, not only on errors.
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args, Clone)]
pub(crate) struct ServeArgs {
    #[command(flatten)]
    pub site: SourceArgs,
    /// The port on 127.0.0.1 (default: the first free one from 8000; 0 lets the system pick).
    #[arg(long)]
    pub port: Option<u16>,
    /// Open the handbook in the web browser.
    #[arg(long)]
    pub open: bool,
}

#[derive(Debug, Args, Clone)]
pub(crate) struct InitArgs {
    /// The new handbook's folder (created; must be empty if it exists).
    pub dir: PathBuf,
}

#[derive(Debug, Args, Clone)]
pub(crate) struct ImportArgs {
    /// The Word document (.docx).
    pub file: PathBuf,
    /// The folder inside the content folder to put the page in (default: the top).
    #[arg(long, value_name = "SECTION", default_value = "")]
    pub to: String,
    /// The content folder: Markdown pages and site.yml.
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
    /// One page per top-level heading, in a new section folder with its index.md.
    #[arg(long)]
    pub split: bool,
    /// Replace pages and images of the same name (the previous versions are kept).
    #[arg(long)]
    pub replace: bool,
    /// Accept the document's tracked changes (without it, a document with changes is refused).
    #[arg(long, conflicts_with = "reject_changes")]
    pub accept_changes: bool,
    /// Reject the document's tracked changes.
    #[arg(long)]
    pub reject_changes: bool,
}

#[derive(Debug, Args, Clone)]
pub(crate) struct SiteArgs {
    /// The content folder: Markdown pages and site.yml.
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
    /// A theme folder whose files override the built-in theme file by file.
    #[arg(long)]
    pub theme: Option<PathBuf>,
    /// The output folder.
    #[arg(long, default_value = "public")]
    pub out: PathBuf,
    /// The language of handbok's messages (`sv` or `en`; default: the environment variable
    /// HANDBOK_LANG, else the handbook's own language).
    #[arg(long)]
    pub lang: Option<String>,
}

impl SiteArgs {
    pub(crate) fn options(&self) -> handbok::BuildOptions {
        handbok::BuildOptions {
            content: self.content.clone(),
            theme: self.theme.clone(),
            out: self.out.clone(),
            preview: false,
            history_from: None,
        }
    }
}

/// Where the handbook's sources are, for commands that write nothing (`check`, `serve`).
#[derive(Debug, Args, Clone)]
pub(crate) struct SourceArgs {
    /// The content folder: Markdown pages and site.yml.
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
    /// A theme folder whose files override the built-in theme file by file.
    #[arg(long)]
    pub theme: Option<PathBuf>,
    /// The language of handbok's messages (`sv` or `en`; default: the environment variable
    /// HANDBOK_LANG, else the handbook's own language).
    #[arg(long)]
    pub lang: Option<String>,
}

impl SourceArgs {
    pub(crate) fn options(&self) -> handbok::BuildOptions {
        handbok::BuildOptions {
            content: self.content.clone(),
            theme: self.theme.clone(),
            // Never written to: check and serve keep the site in memory.
            out: PathBuf::from("public"),
            preview: false,
            history_from: None,
        }
    }
}
