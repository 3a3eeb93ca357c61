//! `dossier serve`.

use dossier::serve::{self, ServeOptions};

use crate::cli::ServeArgs;

/// Serves the dossier until Ctrl-C.
pub fn run(args: &ServeArgs) -> anyhow::Result<()> {
    serve::run(&ServeOptions {
        root: args.root.clone(),
        bind: args.bind,
        port: args.port,
        base_path: args.base_path.clone(),
        drafts: args.drafts,
        open: args.open,
    })
}
