//! One thin file per subcommand: each turns its flags into library calls and prints the result.

mod build;

use crate::cli::{Cli, Command};

/// Runs the chosen subcommand.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Build(args) => build::run(&args),
    }
}
