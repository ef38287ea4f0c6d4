//! Command-line interface: clap types for `handbok build`, `check` and friends.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "handbok",
    version,
    about = "Build an accessible, printable handbook website from Markdown"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (replaced only when the whole build succeeds).
    Build(BuildArgs),
    /// Run every validation of the build and write nothing.
    Check(SiteArgs),
}

#[derive(Debug, Args, Clone)]
pub struct SiteArgs {
    /// The content folder: Markdown pages and site.yml.
    #[arg(long, default_value = "content")]
    pub content: PathBuf,
    /// A theme folder whose files override the built-in theme file by file.
    #[arg(long)]
    pub theme: Option<PathBuf>,
    /// The output folder.
    #[arg(long, default_value = "public")]
    pub out: PathBuf,
}

#[derive(Debug, Args, Clone)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Print how long each stage took (load, markdown, check, templates, write).
    #[arg(long)]
    pub timings: bool,
}

impl SiteArgs {
    pub fn options(&self) -> handbok::BuildOptions {
        handbok::BuildOptions {
            content: self.content.clone(),
            theme: self.theme.clone(),
            out: self.out.clone(),
        }
    }
}
