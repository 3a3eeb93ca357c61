//! `dossier check`: build in memory, check the links, print the report, and say by the exit
//! status whether there were errors.

use std::process::ExitCode;
use std::time::Duration;

use dossier::check::{self, Report, external};
use dossier::diagnostics::plural;
use dossier::pipeline::{self, BuildOptions};

use crate::cli::{CheckArgs, Format};

/// Where the external-link cache lives unless `--cache` says otherwise, under the root.
const DEFAULT_CACHE: &str = ".dossier/link-cache.json";

/// Runs the checks and prints the report; exit status 1 when it has errors.
pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let options = BuildOptions {
        root: args.root.clone(),
        base_url: args.base_url.clone(),
        drafts: args.drafts,
        skip_link_check: true,
        ..BuildOptions::default()
    };
    let mut report = match pipeline::build_in_memory(&options) {
        Ok((files, build)) => {
            let root = build.base_url.as_str();
            let mut report = check::internal(&files, &|p| build.origins.get(p).cloned(), root);
            report.add_build_warnings(&build.warnings);
            report
        }
        Err(e) => Report::from_build_error(&e),
    };
    if args.external && report.built {
        check_external(args, &mut report)?;
    }
    match args.format {
        Format::Human => out!("{}", check::report::human(&report, args.verbose)),
        Format::Json => out!("{}", check::report::json(&report)),
    }
    Ok(if report.has_errors() { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// Checks the external links over HTTP, through the cache.
fn check_external(args: &CheckArgs, report: &mut Report) -> anyhow::Result<()> {
    let options = external::Options {
        timeout: Duration::from_secs(args.timeout),
        interval: Duration::from_secs_f64(1.0 / args.rate),
        threads: usize::from(args.threads),
        max_age: args.cache_max_age,
        ..external::Options::default()
    };
    let path = args.cache.clone().unwrap_or_else(|| args.root.join(DEFAULT_CACHE));
    let (mut cache, warning) = external::Cache::load(&path);
    if let Some(warning) = warning {
        errln!("warning: {warning}");
    }
    if args.format == Format::Human {
        let (urls, domains) = (report.external_urls(), report.external.len());
        errln!(
            "Checking {} on {}…",
            plural(urls, "external address", "external addresses"),
            plural(domains, "domain", "domains")
        );
    }
    let now = jiff::Timestamp::now();
    let stats = external::check(report, &options, &mut cache, now);
    cache.save(&path, now, options.max_age)?;
    if args.format == Format::Human {
        errln!(
            "Asked {} over HTTP; {} answered from {}",
            stats.fetched,
            stats.cached,
            path.display()
        );
    }
    Ok(())
}
