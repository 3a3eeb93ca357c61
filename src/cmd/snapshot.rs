//! `dossier snapshot`.

use std::time::Instant;

use anyhow::Context as _;
use dossier::diagnostics::Severity;
use dossier::pipeline::{self, BuildOptions, BuildReport};
use dossier::snapshot::{self, Format, Metadata};

use crate::cli::{SnapshotArgs, SnapshotFormat};

/// Builds the dossier into a temporary directory (or takes `--site`), writes the snapshot and
/// prints a one-line summary.
pub fn run(args: &SnapshotArgs) -> anyhow::Result<()> {
    let start = Instant::now();
    let format = match args.format {
        SnapshotFormat::Wacz => Format::Wacz,
        SnapshotFormat::Warc => Format::Warc,
        SnapshotFormat::Bagit => Format::Bagit,
    };
    let out = args.output.clone().unwrap_or_else(|| args.root.join(format.default_file_name()));
    let tmp = tempfile::Builder::new()
        .prefix("dossier-snapshot-")
        .tempdir()
        .context("cannot create a temporary directory to build in")?;
    let progress = super::progress::Steps::new(args.quiet, &["snapshot"]);
    let options = BuildOptions {
        on_step: Some(progress.on_step()),
        root: args.root.clone(),
        output: Some(tmp.path().join("site")),
        base_url: args.base_url.clone(),
        ..BuildOptions::default()
    };

    // The metadata comes from the loaded dossier, which is dropped before the build.
    let meta = {
        let prepared = pipeline::load(&options, &mut BuildReport::default())?;
        let site = &prepared.site;
        let epoch = std::env::var("SOURCE_DATE_EPOCH").ok();
        let created = snapshot::snapshot_time(epoch.as_deref(), site)?;
        // `--base-url`, when given, is already in the configuration, checked and normalized.
        let Some(base_url) = &site.config.base_url else {
            anyhow::bail!(
                "a snapshot records every file under the address the dossier is published at, \
                 and none is set: pass `--base-url https://…/` (the address it is or will be \
                 published at), or set `base_url` in dossier.yaml; no snapshot was written"
            );
        };
        let mut meta = Metadata::new(site, base_url.as_str(), created);
        meta.source_commit = dossier::provenance::commit(&args.root).map(|c| c.describe());
        meta
    };

    let site_dir = match &args.site {
        Some(dir) => dir.clone(),
        None => {
            let report = pipeline::build(&options)
                .context("the dossier did not build; no snapshot was written")?;
            progress.suspend(|| {
                for w in report.warnings.iter().filter(|w| w.severity == Severity::Warning) {
                    errln!("warning: {w}");
                }
            });
            options.output_dir()
        }
    };
    progress.step("snapshot");
    let summary = snapshot::write(format, &site_dir, &meta, &out)?;
    drop(progress);
    if !args.quiet {
        let records = if summary.records > 0 {
            format!(", {} WARC records", summary.records)
        } else {
            String::new()
        };
        let pages =
            if summary.pages > 0 { format!(", {} pages", summary.pages) } else { String::new() };
        outln!(
            "Wrote {} ({} files{records}{pages}, {} bytes, dated {}) in {:.0} ms",
            out.display(),
            summary.files,
            summary.bytes,
            meta.iso_date(),
            start.elapsed().as_secs_f64() * 1000.0,
        );
    }
    Ok(())
}
