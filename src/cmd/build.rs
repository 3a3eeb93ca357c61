//! `dossier build`.

use dossier::diagnostics::{Severity, plural};
use dossier::pipeline::{self, BuildOptions};

use crate::cli::BuildArgs;

/// Said once by a build of a dossier with no `base_url`: what that leaves out, and how to
/// publish.
pub const NO_ADDRESS: &str = "No base_url is set, so the pages claim no address: no canonical \
links, feeds with relative links, no sitemap.xml or robots.txt. To publish, build with \
`--base-url https://…/` (the address readers will use) or set `base_url` in dossier.yaml.";

/// Builds the dossier and prints a one-line summary (and [`NO_ADDRESS`] when it has no address).
pub fn run(args: &BuildArgs) -> anyhow::Result<()> {
    let progress = super::progress::Steps::new(args.quiet, &[]);
    let options = BuildOptions {
        on_step: Some(progress.on_step()),
        root: args.root.clone(),
        output: args.output.clone(),
        base_url: args.base_url.clone(),
        drafts: args.drafts,
        force: args.force,
        ..BuildOptions::default()
    };
    let output = options.output_dir();
    let output = output.strip_prefix(".").map(|p| p.to_path_buf()).unwrap_or(output);
    let result = pipeline::build(&options);
    drop(progress);
    let report = match result {
        Ok(report) => report,
        Err(e) => {
            return Err(e.context(format!("build failed; `{}` was not changed", output.display())));
        }
    };
    for w in report.warnings.iter().filter(|w| w.severity == Severity::Warning) {
        errln!("warning: {w}");
    }
    if args.verbose {
        for (step, time) in &report.steps {
            outln!("  {step:<10} {:>8.1} ms", time.as_secs_f64() * 1000.0);
        }
        outln!("  {} files unchanged since the last build (not written again)", report.unchanged);
    }
    if !args.quiet {
        let kept = match report.kept.len() {
            0 => String::new(),
            n => format!(" (kept {} dossier did not write)", plural(n, "file", "files")),
        };
        outln!(
            "Built {} into {} in {:.0} ms{kept}",
            report.summary(),
            output.display(),
            report.elapsed.as_secs_f64() * 1000.0,
        );
        if !report.base_url.contains("://") {
            outln!("{NO_ADDRESS}");
        }
    }
    Ok(())
}
