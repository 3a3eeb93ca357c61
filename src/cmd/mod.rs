//! One thin file per subcommand: each turns its flags into library calls and prints the result.

mod build;
mod check;
mod import;
mod init;
mod new;
mod progress;
mod serve;
mod snapshot;

use std::process::ExitCode;

use crate::cli::{Cli, Command};

/// Runs the chosen subcommand; its exit status on success.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Build(args) => build::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Check(args) => check::run(&args),
        Command::New(what) => new::run(&what).map(|()| ExitCode::SUCCESS),
        Command::Init(args) => init::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Serve(args) => serve::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Import(args) => import::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Snapshot(args) => snapshot::run(&args).map(|()| ExitCode::SUCCESS),
    }
}
