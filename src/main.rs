//! The `dossier` binary: parse the command line, run the command, print errors in one place.

#[macro_use]
extern crate dossier;

mod cli;
mod cmd;

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;
use dossier::diagnostics::Diagnostics;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::run(cli) {
        Ok(code) => code,
        Err(e) => {
            report(&e);
            ExitCode::FAILURE
        }
    }
}

/// Prints located diagnostics in full, then every other layer of the error chain.
fn report(error: &anyhow::Error) {
    if let Some(diagnostics) = error.downcast_ref::<Diagnostics>() {
        errln!("{diagnostics}");
    }
    for layer in error.chain() {
        if !layer.is::<Diagnostics>() {
            errln!("error: {layer}");
        }
    }
}
