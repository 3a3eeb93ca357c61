//! The command line, as clap derive structs. The `///` comments are the `--help` text; there is
//! no logic here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Build a browsable, archivable HTML dossier of news reports from Markdown and YAML.
///
/// A dossier is a directory with `dossier.yaml`, `content/` (articles, outlets, pages),
/// and optionally `templates/` and `static/` overriding the built-in theme.
#[derive(Debug, Parser)]
#[command(name = "dossier", version, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the dossier into a directory of static HTML.
    ///
    /// The new site is written beside the output directory and swapped in only when the
    /// whole build has succeeded, so a failed build leaves the previous output untouched.
    /// Files in the output directory that dossier did not write are kept.
    Build(BuildArgs),
}

/// Options of `dossier build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// The dossier's directory (the one with dossier.yaml).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,

    /// Where to write the site [default: ROOT/public].
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,

    /// Publish under this address instead of `base_url` from dossier.yaml.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Include articles and pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,

    /// Build into a non-empty directory that dossier did not write (its files are kept).
    #[arg(long)]
    pub force: bool,

    /// Print only errors and warnings.
    #[arg(long, short, conflicts_with = "verbose")]
    pub quiet: bool,

    /// Also print how long each build step took.
    #[arg(long, short)]
    pub verbose: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
