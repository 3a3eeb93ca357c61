//! The build as a short list of named, timed steps: config → content → templates → render →
//! search index → check (internal links) → write → commit. [`build`] writes to disk through [`output::Staging`]; [`build_in_memory`] runs the
//! same steps into memory (tests, checks, the dev server).
//!
//! [`build_in_memory_cached`] runs the very same steps with [`Caches`] kept from earlier builds
//! (parsed files, rendered pages, the search index, each page's extracted links), each keyed by
//! everything its result depends on, so a rebuild redoes only what changed and gives the same
//! bytes as a fresh build; [`crate::incremental`] is built on it. The full builds run the same
//! code with empty caches.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context as _;

use crate::check;
use crate::config::{BaseUrl, Config};
use crate::content::load::ParseCache;
use crate::content::{self, LoadOptions, Site};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::output::{self, Memory, Staging};
use crate::render::templates::LinkOptions;
use crate::render::{self, Contents, FileKind, OutputFile, RenderCache, Sink, Templates};
use crate::{search, theme};

/// The steps of a build to disk, in order, as [`OnStep`] names them (a build into memory has
/// all but the last).
pub const STEPS: [&str; 7] =
    ["config", "content", "templates", "render", "search index and links", "write", "commit"];

/// Told the name of each step of [`STEPS`] as it starts (for a progress bar).
#[derive(Clone)]
pub struct OnStep(pub std::sync::Arc<dyn Fn(&'static str) + Send + Sync>);

impl std::fmt::Debug for OnStep {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OnStep")
    }
}

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
    /// Do not check the built site's internal links (`dossier check` runs the full checks
    /// itself and reports rather than fails).
    pub skip_link_check: bool,
    /// Leave the search index out even when `search` is on: the caller builds it later
    /// (`dossier serve` indexes in the background, see [`crate::incremental`]).
    pub defer_search: bool,
    /// Told as each step starts.
    pub on_step: Option<OnStep>,
}

impl BuildOptions {
    /// The output directory these options name.
    pub fn output_dir(&self) -> PathBuf {
        self.output.clone().unwrap_or_else(|| self.root.join("public"))
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
    /// Where the site is published (`base_url`, or `--base-url`).
    pub base_url: String,
    /// What this build did rather than took from its caches.
    pub work: Work,
}

/// What a build actually did, rather than took from [`Caches`] (a full build does everything).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Work {
    /// Content files parsed, as shown in messages (`content/articles/x.md`), sorted.
    pub reparsed: Vec<String>,
    /// Output files rendered with a template (pages and feeds), sorted.
    pub rendered: Vec<String>,
    /// Whether the search index was built (rather than reused).
    pub search_indexed: bool,
    /// How many HTML pages the link check parsed.
    pub link_pages_parsed: usize,
}

/// What builds remember for the next build: each cache keyed by everything its entries depend
/// on, so that any entry is valid whatever happened to the build that made it.
/// [`Caches::default`] remembers; [`Caches::off`] is for one-off builds.
#[derive(Debug, Default)]
pub struct Caches {
    parse: ParseCache,
    render: RenderCache,
    search: search::IndexCache,
    links: check::LinkCache,
    /// The model and templates of the last successful build.
    pub(crate) prepared: Option<Prepared>,
}

impl Caches {
    /// Caches that keep nothing, for a build that is not followed by another (`dossier build`,
    /// `dossier check`): no keys are computed and no bytes copied, so a full build does only
    /// the work of the build.
    pub fn off() -> Self {
        Caches {
            parse: ParseCache::default(),
            render: RenderCache::off(),
            search: search::IndexCache::off(),
            links: check::LinkCache::off(),
            prepared: None,
        }
    }
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
    load_cached(options, report, &mut ParseCache::default())
}

/// [`load`], parsing only the content files `cache` does not hold with the same bytes.
fn load_cached(
    options: &BuildOptions,
    report: &mut BuildReport,
    cache: &mut ParseCache,
) -> crate::Result<Prepared> {
    let root = &options.root;
    let mut config = timed(options, &mut report.steps, "config", || Config::load(root))?;
    if let Some(url) = &options.base_url {
        config.base_url = url.parse::<BaseUrl>().map_err(|e| anyhow::anyhow!("--base-url: {e}"))?;
    }
    report.base_url = config.base_url.as_str().to_string();
    let load_options = LoadOptions { drafts: options.drafts };
    let links = LinkOptions {
        pretty: config.pretty_links,
        base_url: config.base_url.clone(),
        assets: BTreeMap::new(),
    };
    let loaded = timed(options, &mut report.steps, "content", || {
        content::load::load_cached(root, config, &load_options, cache)
    });
    report.work.reparsed = cache.parsed().to_vec();
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

/// Steps 4–7: render into memory, index for search, check the internal links, then hand every
/// file to `sink`.
fn render_into(
    loaded: &Prepared,
    options: &BuildOptions,
    sink: &dyn Sink,
    report: &mut BuildReport,
    caches: &mut Caches,
) -> crate::Result<()> {
    let rendered = timed(options, &mut report.steps, "render", || {
        render::render_site_cached(&loaded.site, &loaded.templates, &mut caches.render)
    })?;
    report.work.rendered = caches.render.rendered().to_vec();
    report.warnings.extend(rendered.warnings);
    for f in &rendered.files {
        *report.files.entry(f.kind).or_default() += 1;
    }
    report.origins = rendered.files.iter().map(|f| (f.path.clone(), f.origin.clone())).collect();
    let mut files = rendered.files;
    let want_search = loaded.site.config.search && !options.defer_search;
    let problems = lend_bytes(&mut files, |site_files| -> crate::Result<Vec<Diagnostic>> {
        // The search index and the link check read the same pages and nothing of each other
        // (no page links into `pagefind/`): Pagefind indexes on a thread of its own (its API is
        // sequential) while the link check runs on rayon's.
        let pages: &BTreeMap<String, Vec<u8>> = site_files;
        let origins = &report.origins;
        let base_url = loaded.site.config.base_url.as_str();
        let (search_caches, links) = (&mut caches.search, &mut caches.links);
        announce(options, STEPS[4]);
        let (index, checked) = std::thread::scope(|scope| {
            let index = want_search.then(|| {
                scope.spawn(|| {
                    let start = Instant::now();
                    let index = search::index_cached(&loaded.site, pages, search_caches);
                    (index, start.elapsed())
                })
            });
            let checked = (!options.skip_link_check).then(|| {
                let start = Instant::now();
                let report =
                    check::internal_cached(pages, &|p| origins.get(p).cloned(), base_url, links);
                (report, start.elapsed())
            });
            let index = index.map(|h| {
                h.join().unwrap_or_else(|_| {
                    (Err(anyhow::anyhow!("search: the indexer panicked")), Duration::ZERO)
                })
            });
            (index, checked)
        });
        let mut problems = Vec::new();
        if let Some((checked, took)) = checked {
            report.steps.push(("check", took));
            report.work.link_pages_parsed = caches.links.parsed();
            problems.extend(checked.findings.iter().map(check::Finding::to_diagnostic));
        }
        let Some((index, took)) = index else { return Ok(problems) };
        report.steps.push(("search", took));
        let index = index?;
        report.work.search_indexed = caches.search.indexed();
        let mut clashes = Vec::new();
        for (path, bytes) in index {
            if let Some(origin) = report.origins.get(&path) {
                clashes.push(
                    Diagnostic::error(
                        origin,
                        format!(
                            "`{path}` would be written twice: by {origin} and by the search index"
                        ),
                    )
                    .help(format!(
                        "`{}/` is the search index's; move the file elsewhere",
                        search::DIR
                    )),
                );
                continue;
            }
            *report.files.entry(FileKind::Search).or_default() += 1;
            site_files.insert(path, bytes);
        }
        if !clashes.is_empty() {
            return Err(Diagnostics::sorted(clashes).into());
        }
        Ok(problems)
    })?;
    let (errors, warnings): (Vec<_>, Vec<_>) =
        problems.into_iter().partition(|d| d.severity == Severity::Error);
    if !errors.is_empty() {
        return Err(Diagnostics::sorted(errors).into());
    }
    report.warnings.extend(warnings);
    for f in files.iter().filter(|f| f.kind == FileKind::Search) {
        report.origins.insert(f.path.clone(), f.origin.clone());
    }
    let errors: Vec<Diagnostic> = timed(options, &mut report.steps, "write", || {
        use rayon::prelude::*;
        let paths: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        if let Err(e) = sink.prepare(&paths) {
            return vec![e];
        }
        files.into_par_iter().filter_map(|f| sink.put(f).err()).collect()
    });
    if !errors.is_empty() {
        return Err(Diagnostics::sorted(errors).into());
    }
    Ok(())
}

/// Lends the rendered files' bytes to `f` as one map, output path → bytes (static files appear
/// by path, with no bytes), then puts them back. Files `f` adds to the map become new output
/// files (the search index).
fn lend_bytes<T>(
    files: &mut Vec<OutputFile>,
    f: impl FnOnce(&mut BTreeMap<String, Vec<u8>>) -> crate::Result<T>,
) -> crate::Result<T> {
    let mut site: BTreeMap<String, Vec<u8>> = files
        .iter_mut()
        .map(|f| {
            let bytes = match &mut f.contents {
                Contents::Bytes(b) => std::mem::take(b),
                Contents::Static(_) => Vec::new(),
            };
            (f.path.clone(), bytes)
        })
        .collect();
    let result = f(&mut site);
    for file in files.iter_mut() {
        let bytes = site.remove(&file.path);
        if let (Contents::Bytes(b), Some(bytes)) = (&mut file.contents, bytes) {
            *b = bytes;
        }
    }
    files.extend(
        site.into_iter().map(|(path, bytes)| {
            OutputFile::bytes(path, FileKind::Search, "the search index", bytes)
        }),
    );
    result
}

/// Builds the dossier into its output directory. On any error the previous output is untouched.
pub fn build(options: &BuildOptions) -> crate::Result<BuildReport> {
    let start = Instant::now();
    let mut report = BuildReport::default();
    let output = options.output_dir();
    output::check_output_dir(&options.root, &output, options.force)?;
    let loaded = load(options, &mut report)?;
    let staging = Staging::begin(&output)?;
    render_into(&loaded, options, &staging, &mut report, &mut Caches::off())?;
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
pub fn build_in_memory(
    options: &BuildOptions,
) -> crate::Result<(BTreeMap<String, Vec<u8>>, BuildReport)> {
    build_in_memory_cached(options, &mut Caches::off())
}

/// [`build_in_memory`], redoing only the work `caches` do not hold from earlier builds: the
/// same bytes, and the same errors and warnings. [`BuildReport::work`] says what was redone.
pub fn build_in_memory_cached(
    options: &BuildOptions,
    caches: &mut Caches,
) -> crate::Result<(BTreeMap<String, Vec<u8>>, BuildReport)> {
    let start = Instant::now();
    let mut report = BuildReport::default();
    let loaded = load_cached(options, &mut report, &mut caches.parse)?;
    let memory = Memory::new();
    render_into(&loaded, options, &memory, &mut report, caches)?;
    caches.prepared = Some(loaded);
    report.elapsed = start.elapsed();
    Ok((memory.into_files(), report))
}
