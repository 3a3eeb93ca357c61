//! The command line, as clap derive structs. The `///` comments are the `--help` text; there is
//! no logic here.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

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

    /// Check the dossier's links without writing anything.
    ///
    /// Builds the site in memory and reports broken internal links and `#anchors`, links that
    /// leave the dossier, pages no link reaches from the front page, images without `alt`
    /// text, and content errors; then lists the external links by domain. With `--external`
    /// it also asks each external address over HTTP. Exits 0 when there are no errors
    /// (warnings allowed), 1 when there is at least one, 2 on a usage error.
    Check(CheckArgs),

    /// Add an article or an outlet: write a front-matter skeleton to fill in.
    ///
    /// The file holds only what you give; every other key is a commented hint. It builds as
    /// written, and an existing file is never overwritten.
    #[command(subcommand)]
    New(NewCommand),

    /// Create a new dossier in DIR: configuration, front page, an example outlet and article,
    /// and the built-in theme's templates and stylesheet to edit.
    ///
    /// DIR may be missing or empty (hidden entries such as `.git` are allowed); a directory
    /// with other files is refused. The new dossier builds at once.
    Init(InitArgs),

    /// Serve the dossier on this machine and rebuild it as you edit.
    ///
    /// Builds into memory (nothing is written to disk) and serves the site over HTTP. Saving a
    /// file under content/, templates/ or static/, or dossier.yaml, rebuilds the site and
    /// reloads open pages (only the stylesheet when only CSS changed). When a rebuild fails,
    /// every page shows the errors over the last good build until the next good save. Stops
    /// on Ctrl-C.
    Serve(ServeArgs),

    /// Turn captured pages (WARC, WACZ, saved HTML) into sourced articles.
    ///
    /// Each HTML page in a capture (a 200 response; redirects followed within the capture)
    /// becomes `content/articles/<date>-<outlet>-<slug>.md`: its metadata from the page
    /// (JSON-LD, OpenGraph, `<title>`, `<html lang>`), its text through readability as
    /// Markdown, its outlet from the page's host (every domain of every outlet, with `www.`,
    /// `m.` and `amp.`). The capture is copied once into `content/captures/` under its SHA-256,
    /// and each article's `archived` points at it. Nothing is written when anything is wrong,
    /// and no file is ever overwritten. Prints each record and what became of it.
    Import(ImportArgs),

    /// Build the dossier and pack it for archives: WACZ, WARC or BagIt.
    ///
    /// A WACZ opens in a replay player such as ReplayWeb.page; a WARC (`.warc.gz`) is what web
    /// archives ingest; a BagIt bag is for preservation repositories. Every file of the built
    /// site is in it under `base_url`, so a snapshot needs an address: `base_url` in
    /// dossier.yaml or `--base-url`. The same content gives the same bytes: the snapshot is
    /// dated by `SOURCE_DATE_EPOCH` when set, else by the newest article's date.
    Snapshot(SnapshotArgs),
}

/// What `dossier new` adds.
#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// Write `content/articles/<date>-<outlet>-<slug>.md`.
    ///
    /// `<date>` is the `--published` date, or `undated` when it is not given (the front matter
    /// then says `published: unknown`: no date is guessed). `<slug>` comes from the title
    /// unless `--slug` is given. Prints the path written.
    Article(NewArticleArgs),

    /// Write `content/outlets/<ID>.yaml`.
    Outlet(NewOutletArgs),
}

/// How the dossier holds an article (`kind:` in its front matter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ArticleKind {
    /// The body is our own summary of the article; needs `--url`.
    Report,
    /// The body is the article exactly as published; needs `--source-note`.
    FullText,
}

/// Options of `dossier new article`.
#[derive(Debug, Args)]
pub struct NewArticleArgs {
    /// The id of the outlet whose page it is (a file in content/outlets/).
    #[arg(long, value_name = "ID")]
    pub outlet: String,

    /// The headline as published.
    #[arg(long)]
    pub title: String,

    /// The original address (required for a `report`).
    #[arg(long, value_name = "URL")]
    pub url: Option<dossier::values::HttpUrl>,

    /// When the outlet published it: `2019-06-13`, `2019-06-13T11:12:00Z`, or `unknown`.
    #[arg(long, value_name = "DATE", default_value = "unknown")]
    pub published: dossier::values::Published,

    /// How the dossier holds it.
    #[arg(long, value_enum, default_value_t = ArticleKind::Report)]
    pub kind: ArticleKind,

    /// For `--kind full-text`: where the text was taken from (the page, an archived copy, a file).
    #[arg(long, value_name = "TEXT")]
    pub source_note: Option<String>,

    /// The last part of the file name, instead of one made from the title.
    #[arg(long)]
    pub slug: Option<String>,

    /// The dossier's directory (the one with dossier.yaml).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

/// Options of `dossier new outlet`.
#[derive(Debug, Args)]
pub struct NewOutletArgs {
    /// The outlet's id, which articles name in `outlet:`: lowercase letters, digits, hyphens.
    pub id: String,

    /// The outlet's name, e.g. `Press TV` [default: the id].
    #[arg(long)]
    pub name: Option<String>,

    /// A domain it publishes under, e.g. `presstv.ir` (repeat for more; the primary one first).
    #[arg(long = "domain", value_name = "DOMAIN")]
    pub domains: Vec<dossier::values::DomainName>,

    /// The dossier's directory (the one with dossier.yaml).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

/// Options of `dossier init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to create the dossier (created if missing).
    pub dir: PathBuf,

    /// The dossier's title [default: from the directory's name, `idlib-truce` → `Idlib truce`].
    #[arg(long)]
    pub title: Option<String>,
}

/// Options of `dossier serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The dossier's directory (the one with dossier.yaml).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,

    /// The port to listen on; 0 picks a free one.
    #[arg(long, short, value_name = "PORT", default_value_t = 1111)]
    pub port: u16,

    /// The address to listen on. Any other than 127.0.0.1 or ::1 lets other machines in.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,

    /// Serve the site under this path, as it will be published (`/idlib-dossier/`).
    #[arg(
        long,
        value_name = "PATH",
        default_value = "/",
        value_parser = dossier::serve::normalize_base_path,
    )]
    pub base_path: String,

    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,

    /// Include articles and pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

/// Options of `dossier import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The captures: `.warc`, `.warc.gz`, `.wacz`, `.html` or `.htm` files.
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<PathBuf>,

    /// The dossier's directory (the one with dossier.yaml).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,

    /// The outlet of every page (an id in content/outlets/), instead of matching hosts.
    #[arg(long, value_name = "ID")]
    pub outlet: Option<String>,

    /// How the articles hold the pages: the text as published, or a report to write.
    #[arg(long, value_enum, default_value_t = ArticleKind::FullText)]
    pub kind: ArticleKind,

    /// A saved page's address, when the page does not record it.
    #[arg(long, value_name = "URL")]
    pub url: Option<dossier::values::HttpUrl>,

    /// Print what would be written, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// The formats of `dossier snapshot`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SnapshotFormat {
    /// WACZ 1.1.1: the WARC with its index and page list, in one ZIP (default: dossier.wacz).
    Wacz,
    /// WARC/1.1, one gzip member per record (default: dossier.warc.gz).
    Warc,
    /// BagIt (RFC 8493): the site with checksum manifests (default: dossier-bag/).
    Bagit,
}

/// Options of `dossier snapshot`.
#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// The dossier's directory (the one with dossier.yaml).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,

    /// The snapshot's format.
    #[arg(long, value_enum, default_value_t = SnapshotFormat::Wacz)]
    pub format: SnapshotFormat,

    /// Where to write it [default: ROOT/dossier.wacz, ROOT/dossier.warc.gz or ROOT/dossier-bag].
    #[arg(long, short, value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// Archive under this address instead of `base_url` from dossier.yaml (required when
    /// dossier.yaml sets none).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Pack this already built site instead of building one (it must be a build of ROOT
    /// with the same base URL).
    #[arg(long, value_name = "DIR")]
    pub site: Option<PathBuf>,

    /// Print only errors and warnings.
    #[arg(long, short)]
    pub quiet: bool,
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

    /// Publish under this address instead of `base_url` from dossier.yaml (without either,
    /// pages claim no address: no canonical links, relative feeds, no sitemap).
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

/// How `dossier check` prints its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Findings grouped by page, the external links by domain, and a summary line.
    Human,
    /// One JSON document (its shape is in docs/commands.md), for scripts and CI.
    Json,
}

/// Options of `dossier check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The dossier's directory (the one with dossier.yaml).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,

    /// Check as if published under this address instead of `base_url` from dossier.yaml.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Include articles and pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,

    /// The report's format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// List every external address with the pages linking to it (human format).
    #[arg(long, short)]
    pub verbose: bool,

    /// Also check external links over HTTP (HEAD, then GET), with a per-host rate limit.
    #[arg(long)]
    pub external: bool,

    /// The cache of external answers [default: ROOT/.dossier/link-cache.json].
    #[arg(long, value_name = "FILE", requires = "external")]
    pub cache: Option<PathBuf>,

    /// Reuse a cached answer younger than this (`1d`, `12h`, `30m`; `0` asks again).
    #[arg(
        long,
        value_name = "AGE",
        default_value = "1d",
        value_parser = parse_age,
        requires = "external",
    )]
    pub cache_max_age: std::time::Duration,

    /// Give up on an external address after this many seconds without an answer.
    #[arg(
        long,
        value_name = "SECS",
        default_value_t = 20,
        value_parser = clap::value_parser!(u64).range(1..=600),
        requires = "external",
    )]
    pub timeout: u64,

    /// At most this many requests per second to any one host.
    #[arg(
        long,
        value_name = "PER_SEC",
        default_value_t = 1.0,
        value_parser = parse_rate,
        requires = "external",
    )]
    pub rate: f64,

    /// How many hosts to check at once.
    #[arg(
        long,
        value_name = "N",
        default_value_t = 8,
        value_parser = clap::value_parser!(u16).range(1..=64),
        requires = "external",
    )]
    pub threads: u16,
}

/// Parses a maximum age such as `1d`, `12h`, `90m` or `0`.
fn parse_age(text: &str) -> Result<std::time::Duration, String> {
    if text.trim() == "0" {
        return Ok(std::time::Duration::ZERO);
    }
    let span: jiff::Span = text
        .parse()
        .map_err(|e| format!("`{text}` is not a duration like `1d`, `12h` or `30m` ({e})"))?;
    span.to_duration(jiff::SpanRelativeTo::days_are_24_hours())
        .ok()
        .and_then(|d| std::time::Duration::try_from(d).ok())
        .ok_or_else(|| format!("`{text}` is not a positive duration up to weeks"))
}

/// Parses a positive request rate.
fn parse_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(r) if r.is_finite() && r > 0.0 && r <= 1000.0 => Ok(r),
        _ => Err(format!(
            "`{text}` is not a rate between 0 (exclusive) and 1000 requests per second"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }

    #[test]
    fn ages_and_rates_parse() {
        assert_eq!(parse_age("1d"), Ok(std::time::Duration::from_secs(86_400)));
        assert_eq!(parse_age("12h"), Ok(std::time::Duration::from_secs(43_200)));
        assert_eq!(parse_age("0"), Ok(std::time::Duration::ZERO));
        assert!(parse_age("soon").unwrap_err().contains("is not a duration"));
        assert_eq!(parse_rate("2.5"), Ok(2.5));
        assert!(parse_rate("0").is_err());
        assert!(parse_rate("nan").is_err());
    }
}
