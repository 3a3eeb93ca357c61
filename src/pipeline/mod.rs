//! The build as a short list of named, timed steps:
//!
//! ```text
//! config → content → templates → plan → pages → links → search index → commit
//! ```
//!
//! [`load`] is the first three; `render_into` the rest but the commit, one function a step.
//! The "pages" step is a stream (`stream`): each page is rendered, read once for what the
//! later steps need (its links and anchors for the link check, its words for the search index:
//! one tokenizer pass serves both), handed to the [`Output`], and dropped, followed by the
//! files made without a template and the static files. What a build holds at its peak is the
//! model, what is left of the plan (a page's context goes when the page renders, the rest when
//! the stream ends), and those few numbers per link and word, never the whole output. The
//! search index (`search_index`) is made from those words and the model's claims and events.
//!
//! [`build`] writes to disk through [`output::Staging`] under an advisory lock on the output
//! (a second build into the same directory waits for the first, saying so); [`build_in_memory`]
//! runs the same steps into memory (tests, `dossier check`, the dev server). With [`Caches`]
//! ([`build_in_memory_cached`], for `dossier serve`), pages whose key is unchanged come from the
//! caches with what was read of them, and content files whose bytes are unchanged are not
//! parsed again: the same bytes as a fresh build, for less work. A one-off build passes no
//! caches and keeps nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context as _;
use bytes::Bytes;

use crate::check::{self, PageFacts};
use crate::config::{BaseUrl, Config};
use crate::content::load::ParseCache;
use crate::content::{self, LoadOptions, Site};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::intern::Interner;
use crate::output::{self, Files, Memory, Output, Staging};
use crate::render::templates::LinkOptions;
use crate::render::{self, FileKind, Plan, Templates};
use crate::search::{self, Indexer, Packed};
use crate::theme;

mod search_index;
mod stream;

use search_index::Search;

/// The steps of a build to disk, in order, as [`OnStep`] names them (a build into memory has
/// all but the last).
pub const STEPS: [&str; 7] =
    ["config", "content", "templates", "pages", "links", "search index", "commit"];

/// Told the name of each step of [`STEPS`] as it starts (for a progress bar).
#[derive(Clone)]
pub struct OnStep(pub std::sync::Arc<dyn Fn(&'static str) + Send + Sync>);

impl std::fmt::Debug for OnStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OnStep").finish_non_exhaustive()
    }
}

pub use crate::cancel::{Cancel, Cancelled};

fn announce(options: &BuildOptions, step: &'static str) {
    if let Some(on_step) = &options.on_step {
        (on_step.0)(step);
    }
}

/// What to build, and how.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The dossier's root (where `dossier.yaml` is).
    pub root: PathBuf,
    /// Where to write; defaults to `<root>/public`.
    pub output: Option<PathBuf>,
    /// Overrides `base_url` from `dossier.yaml`.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Build into a non-empty directory that dossier did not write (its files are kept).
    pub force: bool,
    /// Do not fail on the built site's internal links: the full link report is returned in
    /// [`BuildReport::check`] instead (`dossier check` reports rather than fails).
    pub skip_link_check: bool,
    /// Leave the search index out even when `search` is on: the caller builds it later
    /// (`dossier serve` indexes in the background, see [`crate::incremental`]).
    pub defer_search: bool,
    /// Told as each step starts.
    pub on_step: Option<OnStep>,
    /// Stops the build early (builds into memory only).
    pub cancel: Option<Cancel>,
}

impl BuildOptions {
    /// The output directory these options name.
    pub fn output_dir(&self) -> PathBuf {
        self.output.clone().unwrap_or_else(|| self.root.join("public"))
    }

    fn cancelled(&self) -> bool {
        self.cancel.as_ref().is_some_and(Cancel::is_cancelled)
    }
}

/// What a build did.
#[derive(Debug, Default)]
pub struct BuildReport {
    /// How many files of each kind were written.
    pub files: BTreeMap<FileKind, usize>,
    /// Files dossier did not write that were kept in the output.
    pub kept: Vec<String>,
    /// Files whose bytes were the previous build's: linked, not written again.
    pub unchanged: usize,
    /// Warnings from every step.
    pub warnings: Vec<Diagnostic>,
    /// Each step's name and duration.
    pub steps: Vec<(&'static str, Duration)>,
    /// Total wall time.
    pub elapsed: Duration,
    /// What produced each output file (a source file, or a page kind), by output path.
    pub origins: BTreeMap<String, String>,
    /// Where the site is published (`base_url`, or `--base-url`); `/` when it has no address.
    pub base_url: String,
    /// What this build did rather than took from its caches.
    pub work: Work,
    /// With [`BuildOptions::skip_link_check`]: the whole link report.
    pub check: Option<check::Report>,
}

/// What a build actually did, rather than took from [`Caches`] (a full build does everything).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Work {
    /// Content files parsed, as shown in messages (`content/articles/x.md`), sorted.
    pub reparsed: Vec<String>,
    /// Output files rendered with a template (pages and feeds), sorted.
    pub rendered: Vec<String>,
    /// Whether the search index was built.
    pub search_indexed: bool,
    /// How many HTML pages were read for their links (the others' came from the caches).
    pub link_pages_parsed: usize,
}

/// What builds remember for the next build ([`build_in_memory_cached`]); each entry is keyed by
/// everything it depends on, so it is valid whatever happened to the build that made it.
#[derive(Debug, Default)]
pub struct Caches {
    /// Each content file's parse, by its bytes.
    content: ParseCache,
    /// Each page by output path: its key, bytes, and what the link check and the index read.
    pages: BTreeMap<String, CachedPage>,
    /// The strings the cached pages' links are numbered in.
    strings: Arc<Interner>,
    /// The indexer the cached pages' words were packed by.
    indexer: Option<Arc<Indexer>>,
    /// The last index built.
    index: Option<LastIndex>,
    /// The model and templates of the last successful build.
    pub(crate) prepared: Option<Prepared>,
}

/// An index built earlier: the article pages and records it was made from, and its files.
type LastIndex = (Vec<Arc<Packed>>, Vec<search::Record>, Arc<Vec<(String, Bytes)>>);

/// A page of an earlier build, with what was read of it.
#[derive(Debug, Clone)]
struct CachedPage {
    key: [u8; 32],
    bytes: Bytes,
    facts: Option<Arc<PageFacts>>,
    packed: Option<Arc<Packed>>,
}

fn timed<T>(
    options: &BuildOptions,
    steps: &mut Vec<(&'static str, Duration)>,
    name: &'static str,
    f: impl FnOnce() -> T,
) -> T {
    announce(options, name);
    let start = Instant::now();
    let out = f();
    steps.push((name, start.elapsed()));
    out
}

/// A loaded dossier, ready to render.
#[derive(Debug)]
pub struct Prepared {
    /// The model.
    pub site: Site,
    /// The compiled templates.
    pub templates: Templates,
}

/// Steps 1–3: configuration, content, templates.
pub fn load(options: &BuildOptions, report: &mut BuildReport) -> crate::Result<Prepared> {
    load_cached(options, report, None)
}

/// [`load`], parsing only the content files `cache` does not hold with the same bytes.
fn load_cached(
    options: &BuildOptions,
    report: &mut BuildReport,
    cache: Option<&mut ParseCache>,
) -> crate::Result<Prepared> {
    let root = &options.root;
    let mut config = timed(options, &mut report.steps, "config", || Config::load(root))?;
    if let Some(url) = &options.base_url {
        config.base_url =
            Some(url.parse::<BaseUrl>().map_err(|e| anyhow::anyhow!("--base-url: {e}"))?);
    }
    report.base_url = config.site_root().to_string();
    let load_options = LoadOptions { drafts: options.drafts, cancel: options.cancel.clone() };
    let links = LinkOptions {
        pretty: config.pretty_links,
        base_url: config.base_url.clone(),
        assets: BTreeMap::new(),
    };
    let cached = cache.is_some();
    let mut cache = cache;
    let loaded = timed(options, &mut report.steps, "content", || {
        content::load::load_cached(root, config, &load_options, cache.as_deref_mut())
    });
    if let Some(cache) = cache.filter(|_| cached) {
        report.work.reparsed = cache.parsed().to_vec();
    }
    if options.cancelled() {
        return Err(Cancelled.into());
    }
    let loaded = loaded.map_err(|errors| with_template_errors(root, errors, links))?;
    report.warnings.extend(loaded.warnings);
    let site = loaded.site;
    let templates = timed(options, &mut report.steps, "templates", || {
        let sources = theme::load_templates(root)?;
        let links = LinkOptions {
            pretty: site.config.pretty_links,
            base_url: site.config.base_url.clone(),
            assets: theme::asset_map(&site.static_files),
        };
        Templates::new(sources, render::global_context(&site), links)
    })?;
    Ok(Prepared { site, templates })
}

/// The content's `errors` and the templates' own errors (syntax, a missing template), so that
/// one failed build reports both. Templates that compile are not rendered: with the content in
/// error there is nothing to render them with.
fn with_template_errors(
    root: &std::path::Path,
    errors: Diagnostics,
    links: LinkOptions,
) -> Diagnostics {
    let templates = theme::load_templates(root)
        .and_then(|sources| Templates::new(sources, tera::Context::new(), links));
    match templates {
        Ok(_) => errors,
        Err(more) => Diagnostics::sorted(errors.0.into_iter().chain(more.0).collect()),
    }
}

impl BuildReport {
    /// How many files of this kind were written.
    pub fn count(&self, kind: FileKind) -> usize {
        self.files.get(&kind).copied().unwrap_or(0)
    }

    /// `21 pages, 1 feed, 3 data files and 2 static files`.
    pub fn summary(&self) -> String {
        let parts: Vec<String> = self
            .files
            .iter()
            .filter(|(k, n)| **n > 0 || **k == FileKind::Page)
            .map(|(k, n)| {
                let (one, many) = k.noun();
                format!("{n} {}", if *n == 1 { one } else { many })
            })
            .collect();
        match parts.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
            None => "nothing".into(),
        }
    }
}

/// Steps 4 on: plan, render and stream every page to `output`, check the links, build the
/// search index, put the other files.
fn render_into(
    loaded: &Prepared,
    options: &BuildOptions,
    output: &dyn Output,
    report: &mut BuildReport,
    caches: Option<&mut Caches>,
) -> crate::Result<()> {
    let site = &loaded.site;
    let plan = plan(loaded, options, output, report)?;
    let search = Search::start(site, options, caches.as_ref().and_then(|c| c.indexer.clone()));
    let strings = caches.as_ref().map_or_else(|| Arc::new(Interner::new()), |c| c.strings.clone());
    let old = caches.as_ref().map(|c| &c.pages);
    let streamed = match stream::pages(&plan, options, output, &strings, &search, old, report) {
        Ok(streamed) => streamed,
        Err(e) => {
            if is_cancelled(&e) {
                plan.discard();
            }
            return Err(e);
        }
    };
    // Every page is out: what the plan holds (summaries, cross-references, contexts) is not
    // needed by the steps left, which hold the most. In `dossier serve` (with caches) it is
    // freed on a thread of its own, as a stopped build's is: tens of milliseconds at 10,000
    // articles that a newer save need not wait for (a save that came meanwhile stops the link
    // check below).
    if caches.is_some() {
        plan.discard()
    } else {
        drop(plan)
    }
    check_links(&streamed.facts, &strings, options, report)?;
    let last_index = caches.as_ref().and_then(|c| c.index.clone());
    let (indexer, last_index) =
        search.finish(site, streamed.packed, last_index, options, output, report)?;
    if let Some(caches) = caches {
        caches.pages = streamed.cached;
        caches.strings = strings;
        caches.indexer = indexer;
        caches.index = last_index;
    }
    Ok(())
}

/// Step 4: the plan; its warnings and every output path go to the report, and the paths to
/// `output`.
fn plan<'a>(
    loaded: &'a Prepared,
    options: &BuildOptions,
    output: &dyn Output,
    report: &mut BuildReport,
) -> crate::Result<Plan<'a>> {
    let plan = Plan::new(&loaded.site, &loaded.templates, options.cancel.as_ref());
    if options.cancelled() {
        return Err(Cancelled.into());
    }
    let plan = plan?;
    report.warnings.extend(plan.warnings.iter().cloned());
    let outputs = plan.outputs();
    report.origins = outputs.iter().map(|(p, o)| (p.clone(), o.to_string())).collect();
    let paths: Vec<&str> = outputs.iter().map(|(p, _)| p.as_str()).collect();
    output.prepare(&paths).map_err(|d| Diagnostics(vec![d]))?;
    Ok(plan)
}

/// The "links" step: every internal link of the built pages checked against the output paths.
/// Errors fail the build; with [`BuildOptions::skip_link_check`] the whole report is kept in
/// [`BuildReport::check`] instead.
fn check_links(
    facts: &BTreeMap<String, Arc<PageFacts>>,
    strings: &Interner,
    options: &BuildOptions,
    report: &mut BuildReport,
) -> crate::Result<()> {
    let checked = timed(options, &mut report.steps, "links", || {
        let all: BTreeSet<&str> = report.origins.keys().map(String::as_str).collect();
        let origins = &report.origins;
        check::cross_check(facts, &all, &|p| origins.get(p).cloned(), strings, &|| {
            options.cancelled()
        })
    });
    if options.cancelled() {
        return Err(Cancelled.into());
    }
    if options.skip_link_check {
        report.check = Some(checked);
        return Ok(());
    }
    let (errors, warnings): (Vec<_>, Vec<_>) = checked
        .findings
        .iter()
        .map(check::Finding::to_diagnostic)
        .partition(|d| d.severity == Severity::Error);
    if !errors.is_empty() {
        return Err(Diagnostics::sorted(errors).into());
    }
    report.warnings.extend(warnings);
    Ok(())
}

/// Builds the dossier into its output directory. On any error the previous output is untouched.
pub fn build(options: &BuildOptions) -> crate::Result<BuildReport> {
    let start = Instant::now();
    let mut report = BuildReport::default();
    let output = options.output_dir();
    output::check_output_dir(&options.root, &output, options.force)?;
    let loaded = load(options, &mut report)?;
    let _lock = output::lock(&output)?;
    let staging = Staging::begin(&output)?;
    render_into(&loaded, options, &staging, &mut report, None)?;
    let committed =
        timed(options, &mut report.steps, "commit", || staging.commit()).with_context(|| {
            format!("the previous contents of `{}` were left as they were", output.display())
        })?;
    report.kept = committed.kept;
    report.unchanged = committed.unchanged;
    report.warnings.extend(committed.warnings);
    report.elapsed = start.elapsed();
    Ok(report)
}

/// Builds the dossier into memory: output path → bytes.
pub fn build_in_memory(options: &BuildOptions) -> crate::Result<(Files, BuildReport)> {
    let start = Instant::now();
    let mut report = BuildReport::default();
    let loaded = load(options, &mut report)?;
    let memory = Memory::new();
    render_into(&loaded, options, &memory, &mut report, None)?;
    report.elapsed = start.elapsed();
    Ok((memory.into_files(), report))
}

/// [`build_in_memory`], redoing only the work `caches` do not hold from earlier builds: the
/// same bytes, and the same errors and warnings. [`BuildReport::work`] says what was redone.
/// `changed` names files that changed since the last build (a hint: files are also found
/// changed by their size and modification time).
pub fn build_in_memory_cached(
    options: &BuildOptions,
    caches: &mut Caches,
    changed: &[PathBuf],
) -> crate::Result<(Files, BuildReport)> {
    caches.content.hint(changed);
    let start = Instant::now();
    let mut report = BuildReport::default();
    let loaded = load_cached(options, &mut report, Some(&mut caches.content))?;
    if options.cancelled() {
        return Err(Cancelled.into());
    }
    let memory = Memory::new();
    if let Err(e) = render_into(&loaded, options, &memory, &mut report, Some(caches)) {
        if is_cancelled(&e) {
            // A newer build is waiting: it need not wait for this one's memory to be freed.
            crate::cancel::drop_in_background((loaded, memory));
        }
        return Err(e);
    }
    caches.prepared = Some(loaded);
    report.elapsed = start.elapsed();
    Ok((memory.into_files(), report))
}

/// Whether `error` is a build stopped by its [`Cancel`].
pub fn is_cancelled(error: &anyhow::Error) -> bool {
    error.downcast_ref::<Cancelled>().is_some()
}
