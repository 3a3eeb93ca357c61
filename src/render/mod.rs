//! Pure transforms from the model to output bytes: Markdown, templates, and one named step per
//! kind of page. Nothing here touches the filesystem.
//!
//! [`Plan::new`] works out everything a build writes: a job per page and feed (its path,
//! template and context), and the files made without a template (data files, sitemap,
//! `robots.txt`). Article pages, the bulk of a dossier, are planned by number only: their
//! context (rendered Markdown, cross-references) is made when [`Plan::render`] renders them, so
//! a build holds the contexts of the pages being rendered, not of the whole site.
//!
//! Rendering a page is a pure function of its template (with every template it extends or
//! includes), the variables every template sees, the link settings, and the page's context.
//! For `dossier serve`, [`Plan::render`] computes a SHA-256 of all that, the page's key, and
//! takes the page from the caller's memo when the key is there. Which templates a template
//! uses is found conservatively from its text (see [`template_keys`]), so an edit of
//! `outlet.html` re-renders the outlet pages only, and an edit of `base.html` every page.

pub mod context;
pub mod data;
mod editorial;
pub mod markdown;
pub(crate) mod nesting;
pub mod paginate;
pub mod publish;
pub mod templates;
pub mod timeline_svg;
pub mod urls;

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use rayon::prelude::*;
use serde::Serialize;
use sha2::{Digest, Sha256};
use tera::{Context, Value};

use crate::content::document::Document;
use crate::content::{Kind, Site};
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use bytes::Bytes;
use context::{article_path, outlet_path, page_path, taxonomy_path, term_path, to_value};
use markdown::{MarkdownOptions, Rendered as Markup};
pub use templates::Templates;

/// One file of the built site, made in memory.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to the output directory, `/`-separated.
    pub path: String,
    /// What kind of file it is (for the build summary).
    pub kind: FileKind,
    /// What produced it, for messages: a source file or a page kind.
    pub origin: String,
    /// Its bytes.
    pub bytes: Bytes,
}

impl Page {
    /// A file made in memory.
    pub fn new(path: impl Into<String>, kind: FileKind, origin: &str, bytes: Vec<u8>) -> Self {
        Page { path: path.into(), kind, origin: origin.into(), bytes: Bytes::from(bytes) }
    }
}

/// The kinds of output file, as the build summary counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileKind {
    /// An HTML page.
    Page,
    /// An Atom feed.
    Feed,
    /// A JSON data file.
    Data,
    /// A copied static file.
    Static,
    /// The search index.
    Search,
    /// The sitemap, `robots.txt`, `_headers`.
    Other,
}

impl FileKind {
    /// How the summary names a number of these: (singular, plural).
    pub fn noun(self) -> (&'static str, &'static str) {
        match self {
            FileKind::Page => ("page", "pages"),
            FileKind::Feed => ("feed", "feeds"),
            FileKind::Data => ("data file", "data files"),
            FileKind::Static => ("static file", "static files"),
            FileKind::Search => ("search index file", "search index files"),
            FileKind::Other => ("other file", "other files"),
        }
    }
}

/// A navigation entry.
#[derive(Debug, Serialize)]
struct NavItem {
    title: String,
    path: String,
}

/// The variables every template sees.
#[derive(Serialize)]
struct Globals<'a> {
    config: &'a crate::config::Config,
    nav: Vec<NavItem>,
    generator: String,
}

/// The variables every template sees: `config`, `nav`, `generator`.
pub fn global_context(site: &Site) -> Context {
    let g = globals(site);
    let mut ctx = Context::new();
    ctx.insert("config", g.config);
    ctx.insert("nav", &g.nav);
    ctx.insert("generator", &g.generator);
    ctx
}

fn globals(site: &Site) -> Globals<'_> {
    let mut nav = vec![
        NavItem { title: "Overview".into(), path: String::new() },
        NavItem { title: "The dispute".into(), path: "dispute/".into() },
        NavItem { title: "Timeline".into(), path: "timeline/".into() },
        NavItem { title: "Coverage".into(), path: "coverage/".into() },
        NavItem { title: "Articles".into(), path: "articles/".into() },
        NavItem { title: "Outlets".into(), path: "outlets/".into() },
        NavItem { title: "Actors".into(), path: "actors/".into() },
    ];
    for t in &site.taxonomies {
        nav.push(NavItem { title: t.title.clone(), path: taxonomy_path(t.kind) });
    }
    let mut menu: Vec<_> = site.pages.iter().filter(|p| p.meta.menu).collect();
    menu.sort_by(|a, b| (a.meta.weight, &a.meta.title).cmp(&(b.meta.weight, &b.meta.title)));
    nav.extend(
        menu.into_iter().map(|p| NavItem { title: p.meta.title.clone(), path: page_path(&p.slug) }),
    );

    Globals {
        config: &site.config,
        nav,
        generator: format!("dossier {}", env!("CARGO_PKG_VERSION")),
    }
}

/// Maps `@/` content paths to site paths. It depends only on which content files there are,
/// so a caller rendering one article after a body edit ([`render_article_body_edit`]) keeps it.
#[derive(Debug, Clone)]
pub struct ContentIndex(BTreeMap<String, String>);

impl ContentIndex {
    /// The index of `site`'s content files.
    pub fn new(site: &Site) -> Self {
        let strip = |s: &str| s.strip_prefix("content/").unwrap_or(s).to_string();
        let mut map = BTreeMap::new();
        map.insert("_index.md".to_string(), String::new());
        for a in &site.articles {
            map.insert(strip(&a.source), article_path(&a.slug));
        }
        for o in site.outlets.values() {
            map.insert(strip(&o.source), outlet_path(&o.id));
        }
        for a in site.actors.values() {
            map.insert(strip(&a.source), context::actor_path(&a.id));
        }
        for c in &site.claims {
            map.insert(strip(&c.source), context::claim_path(&c.id));
        }
        if !site.timeline.source.is_empty() {
            map.insert(strip(&site.timeline.source), "timeline/".into());
        }
        for p in &site.pages {
            map.insert(strip(&p.source), page_path(&p.slug));
        }
        ContentIndex(map)
    }

    fn resolve(&self, path: &str) -> Option<String> {
        self.0.get(path).cloned()
    }
}

/// Renders Markdown for pages of one site, resolving `@/` links and locating problems.
struct Renderer<'a> {
    site: &'a Site,
    index: std::borrow::Cow<'a, ContentIndex>,
}

impl Renderer<'_> {
    fn options(&self, smart: bool) -> MarkdownOptions {
        let c = &self.site.config;
        MarkdownOptions {
            smart_punctuation: smart && c.smart_punctuation,
            allow_raw_html: c.allow_raw_html,
            pretty_links: c.pretty_links,
        }
    }

    fn markdown(&self, text: &str, page: &str, smart: bool) -> Markup {
        let resolve = |p: &str| self.index.resolve(p);
        markdown::render(text, page, &resolve, self.options(smart))
    }

    /// Renders a document's body; problems are located in its file.
    fn body<M>(
        &self,
        doc: &Document<M>,
        page: &str,
        smart: bool,
        out: &mut Vec<Diagnostic>,
    ) -> Markup {
        let r = self.markdown(doc.body(), page, smart);
        out.extend(
            r.problems.iter().map(|p| {
                diagnostic(&doc.source, p).at_offset(&doc.text, doc.body_offset(p.offset))
            }),
        );
        r
    }

    /// Renders a Markdown value of the front matter (notes, lede); problems point at `key`.
    fn field<M>(
        &self,
        doc: &Document<M>,
        key: &str,
        text: &str,
        page: &str,
        out: &mut Vec<Diagnostic>,
    ) -> String {
        let r = self.markdown(text, page, true);
        let (line, col) = doc.locate_key(key);
        out.extend(r.problems.iter().map(|p| diagnostic(&doc.source, p).at(&doc.text, line, col)));
        r.html
    }

    /// Renders a Markdown value of a YAML file (outlet notes and facts).
    fn yaml_field(
        &self,
        source: &str,
        text: &str,
        page: &str,
        out: &mut Vec<Diagnostic>,
    ) -> String {
        let r = self.markdown(text, page, true);
        out.extend(r.problems.iter().map(|p| diagnostic(source, p)));
        r.html
    }
}

fn diagnostic(file: &str, p: &markdown::Problem) -> Diagnostic {
    let d = if p.is_error {
        Diagnostic::error(file, &p.message)
    } else {
        Diagnostic::warning(file, &p.message)
    };
    d.help(&p.help)
}

/// A page (or feed) to render: its site path, template and context.
struct PageJob {
    path: String,
    /// For a page of a paginated list, the path of the list's first page (whose feed it shares).
    list: Option<String>,
    origin: String,
    template: &'static str,
    kind: FileKind,
    context: JobContext,
}

impl PageJob {
    fn new(path: String, origin: impl Into<String>, template: &'static str) -> Self {
        let mut context = JobContext::default();
        context.insert("current_path", &path);
        PageJob { path, list: None, origin: origin.into(), template, kind: FileKind::Page, context }
    }
}

/// A list published over several pages: where its first page is, what made it, its template.
struct PagedList {
    base: String,
    origin: String,
    template: &'static str,
}

impl PagedList {
    fn new(base: String, origin: impl Into<String>, template: &'static str) -> Self {
        PagedList { base, origin: origin.into(), template }
    }

    /// One job per page of a list of `len` items (`item(i)` makes the `i`-th), each holding
    /// only its own items in `paginator.pages`; `setup` adds the page's other variables.
    fn jobs(
        self,
        site: &Site,
        len: usize,
        item: impl Fn(usize) -> Value,
        mut setup: impl FnMut(&mut PageJob, &paginate::Pager),
    ) -> Vec<PageJob> {
        let pagination = paginate::Pagination::new(&self.base, len, site.config.paginate_by);
        pagination
            .pagers()
            .map(|pager| {
                let origin = if pager.index == 1 {
                    self.origin.clone()
                } else {
                    format!("{}, page {}", self.origin, pager.index)
                };
                let mut job = PageJob::new(pager.path.clone(), origin, self.template);
                job.list = Some(self.base.clone());
                let items = pager.items.clone().map(&item).collect();
                job.context.insert_value("paginator", pagination.paginator(&pager, items));
                setup(&mut job, &pager);
                job
            })
            .collect()
    }
}

/// A Tera context that remembers its keys, so that it can be fingerprinted exactly (Tera's
/// `Context` can be neither iterated nor serialized, and its `Debug` does not escape strings).
#[derive(Default)]
struct JobContext {
    ctx: Context,
    keys: BTreeSet<Cow<'static, str>>,
}

impl JobContext {
    fn insert<T: Serialize + ?Sized>(&mut self, key: impl Into<Cow<'static, str>>, val: &T) {
        let key = key.into();
        self.ctx.insert(key.clone(), val);
        self.keys.insert(key);
    }

    fn insert_value(&mut self, key: impl Into<Cow<'static, str>>, val: Value) {
        let key = key.into();
        self.ctx.insert_value(key.clone(), val);
        self.keys.insert(key);
    }

    /// Feeds every variable, as JSON, to `hasher`. JSON keeps what a template can see of the
    /// values: strings (escaped), numbers as written (`1` is not `1.0`), map order, and which
    /// of the fixed Rust types a variable has is decided by the code that made it.
    fn hash_into(&self, hasher: &mut Sha256) {
        let vars: BTreeMap<&str, Option<&Value>> =
            self.keys.iter().map(|k| (k.as_ref(), self.ctx.get(k))).collect();
        // Writing into a hasher cannot fail, and Tera values always serialize to JSON.
        let _ = serde_json::to_writer(HashWriter(hasher), &vars);
    }
}

/// An `io::Write` that feeds a SHA-256.
struct HashWriter<'a>(&'a mut Sha256);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Feeds `bytes` to `hasher` with its length first, so that consecutive fields cannot run
/// into each other.
fn hash_field(hasher: &mut Sha256, bytes: &[u8]) {
    hasher.update((bytes.len() as u64).to_le_bytes());
    hasher.update(bytes);
}

/// Each template's key: a SHA-256 of the global variables, the link settings, and the name and
/// text of the template and of every template it may use, found conservatively: a template
/// uses another if the other's name appears anywhere in its text (`extends`, `include` and
/// `import` take literal names), and every template uses every template that mentions
/// `component` (Tera's components are global) or writes a name with a backslash escape.
pub fn template_keys(site: &Site, templates: &Templates) -> BTreeMap<String, [u8; 32]> {
    let sources: BTreeMap<&str, &str> =
        templates.sources().map(|s| (s.name.as_str(), s.text.as_str())).collect();
    let uses = template_uses(&sources);
    let mut common = Sha256::new();
    let _ = serde_json::to_writer(HashWriter(&mut common), &globals(site));
    let links = templates.links();
    hash_field(&mut common, &[u8::from(links.pretty)]);
    hash_field(&mut common, links.base_url_str().as_bytes());
    for (name, path) in &links.assets {
        hash_field(&mut common, name.as_bytes());
        hash_field(&mut common, path.as_bytes());
    }
    uses.into_iter()
        .map(|(name, closure)| {
            let mut h = common.clone();
            for t in closure {
                hash_field(&mut h, t.as_bytes());
                hash_field(&mut h, sources[t].as_bytes());
            }
            (name.to_string(), h.finalize().into())
        })
        .collect()
}

/// Every template a template may use, itself included, directly or not (see [`template_keys`]).
fn template_uses<'a>(sources: &BTreeMap<&'a str, &str>) -> BTreeMap<&'a str, BTreeSet<&'a str>> {
    let everywhere: BTreeSet<&str> = sources
        .iter()
        .filter(|(_, text)| text.contains("component") || text.contains('\\'))
        .map(|(name, _)| *name)
        .collect();
    let direct: BTreeMap<&str, BTreeSet<&str>> = sources
        .iter()
        .map(|(name, text)| {
            let mut uses: BTreeSet<&str> =
                sources.keys().copied().filter(|other| text.contains(other)).collect();
            uses.extend(everywhere.iter().copied());
            (*name, uses)
        })
        .collect();
    direct
        .keys()
        .map(|name| {
            let mut closure: BTreeSet<&str> = BTreeSet::new();
            let mut todo = vec![*name];
            while let Some(t) = todo.pop() {
                if closure.insert(t) {
                    todo.extend(direct[t].iter().copied());
                }
            }
            (*name, closure)
        })
        .collect()
}

/// A page's key: its template's key and its context.
fn job_key(keys: &BTreeMap<String, [u8; 32]>, job: &PageJob) -> [u8; 32] {
    let mut h = Sha256::new();
    hash_field(&mut h, job.template.as_bytes());
    hash_field(&mut h, keys.get(job.template).map_or(&[][..], |k| &k[..]));
    job.context.hash_into(&mut h);
    h.finalize().into()
}

/// A page or feed to render: its context made ahead, or an article's, made when it is rendered.
enum Job {
    Ready(PageJob),
    Article(usize),
}

/// A memo of pages rendered by earlier builds: the bytes of the page at a path, if it was
/// rendered with this key.
pub type Memo<'m> = &'m (dyn Fn(&str, &[u8; 32]) -> Option<Bytes> + Sync);

/// What [`Plan::render`] made of one job.
#[derive(Debug)]
pub struct Rendered {
    /// The page.
    pub page: Page,
    /// Its key, when the render was given a memo.
    pub key: Option<[u8; 32]>,
    /// Whether its template ran (rather than its bytes coming from the memo).
    pub fresh: bool,
    /// Warnings of its Markdown.
    pub warnings: Vec<Diagnostic>,
}

/// Everything a build writes, worked out before anything is rendered.
pub struct Plan<'a> {
    site: &'a Site,
    templates: &'a Templates,
    r: Renderer<'a>,
    ed: editorial::Editorial<'a>,
    summaries: Vec<Value>,
    briefs: BTreeMap<&'a str, Value>,
    main_feeds: Vec<publish::FeedLink>,
    own_feeds: BTreeMap<String, publish::FeedLink>,
    jobs: Vec<Job>,
    /// The files made without a template: data files, sitemap, `robots.txt`, `_headers`.
    pub files: Vec<Page>,
    /// Warnings found while planning (the Markdown of everything but the articles).
    pub warnings: Vec<Diagnostic>,
    /// Each template's key, made on first use by a render with a memo.
    keys: std::sync::OnceLock<BTreeMap<String, [u8; 32]>>,
}

impl std::fmt::Debug for Plan<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plan")
            .field("jobs", &self.jobs.len())
            .field("files", &self.files.len())
            .finish()
    }
}

impl<'a> Plan<'a> {
    /// Plans the build of `site` with `templates` (made with [`global_context`] of the same
    /// site): every page, feed and file, checked for two at one path. Errors in the Markdown
    /// of what is planned ahead (everything but the articles) are reported here.
    pub fn new(
        site: &'a Site,
        templates: &'a Templates,
        cancel: Option<&crate::cancel::Cancel>,
    ) -> Result<Plan<'a>, Diagnostics> {
        // Stopped early, the plan fails with no diagnostics: the caller knows why.
        let stop = || {
            if cancel.is_some_and(crate::cancel::Cancel::is_cancelled) {
                Err(Diagnostics(Vec::new()))
            } else {
                Ok(())
            }
        };
        let r = Renderer { site, index: Cow::Owned(ContentIndex::new(site)) };
        let links = templates.links();
        let mut problems = Vec::new();

        let summaries: Vec<Value> =
            site.articles.par_iter().map(|a| to_value(&context::summary(site, a))).collect();
        stop()?;
        let ed = editorial::Editorial::new(&r, &mut problems);
        stop()?;
        let mut jobs = vec![Job::Ready(front_page(&r, &ed, &summaries, &mut problems))];
        let ready = |v: Vec<PageJob>| v.into_iter().map(Job::Ready);
        jobs.extend(ready(editorial::articles_pages(site, &summaries)));
        jobs.extend((0..site.articles.len()).map(Job::Article));
        jobs.extend(ready(outlet_pages(&r, &summaries, &mut problems)));
        stop()?;
        jobs.extend(ready(editorial::actor_pages(&r, &summaries, &mut problems)));
        jobs.push(Job::Ready(editorial::dispute_page(&ed)));
        stop()?;
        jobs.push(Job::Ready(editorial::timeline_page(&ed, &summaries, site.config.pretty_links)));
        stop()?;
        jobs.extend(ready(editorial::coverage_pages(&ed, &summaries)));
        stop()?;
        jobs.extend(ready(taxonomy_pages(site, &summaries)));
        stop()?;
        jobs.extend(ready(free_pages(&r, &mut problems)));
        jobs.push(Job::Ready(not_found_page(site, links)));
        if site.config.search {
            let mut search = PageJob::new("search/".into(), "the search page", "search.html");
            let searchable = site.articles.len() + site.claims.len() + site.timeline.events.len();
            search.context.insert("searchable", &searchable);
            jobs.push(Job::Ready(search));
        }
        let bodies = full_text_bodies(&r);
        stop()?;
        let warnings = warnings_unless_errors(problems)?;

        let feeds = publish::feed_specs(site);
        let (main_feeds, own_feeds) = publish::feed_links(&feeds);
        let mut sitemap: Vec<(String, String)> = Vec::new();
        for job in &mut jobs {
            let path = match job {
                Job::Ready(job) => {
                    page_feeds(job, &main_feeds, &own_feeds);
                    job.path.clone()
                }
                Job::Article(i) => article_path(&site.articles[*i].slug),
            };
            if path != NOT_FOUND {
                let url = links.absolute(&path);
                sitemap.push((path, url));
            }
        }
        sitemap.sort();
        let sitemap: Vec<String> = sitemap.into_iter().map(|(_, url)| url).collect();
        jobs.extend(feeds.iter().map(|spec| {
            let mut job = PageJob::new(spec.path.clone(), "the feeds", "atom.xml");
            job.kind = FileKind::Feed;
            job.context.insert("feed", &publish::feed_view(site, links, spec, &bodies));
            Job::Ready(job)
        }));
        let mut files = meta_files(site, links, &sitemap);
        files.extend(data_files(site));
        let plan = Plan {
            site,
            templates,
            r,
            ed,
            summaries,
            briefs: outlet_briefs(site),
            main_feeds,
            own_feeds,
            jobs,
            files,
            warnings,
            keys: std::sync::OnceLock::new(),
        };
        plan.check_collisions()?;
        Ok(plan)
    }

    /// How many pages and feeds there are to render.
    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    /// Whether there is nothing to render.
    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// The output path of job `i`, and what made it.
    pub fn job_path(&self, i: usize) -> (String, &str) {
        match &self.jobs[i] {
            Job::Ready(job) => (urls::output_file(&job.path), job.origin.as_str()),
            Job::Article(a) => {
                let a = &self.site.articles[*a];
                (urls::output_file(&article_path(&a.slug)), a.source.as_str())
            }
        }
    }

    /// The article job `i` renders, if it renders one.
    pub fn article(&self, i: usize) -> Option<usize> {
        match self.jobs[i] {
            Job::Article(a) => Some(a),
            Job::Ready(_) => None,
        }
    }

    /// Every output path of the build and what makes it: pages, feeds, files, static files.
    pub fn outputs(&self) -> Vec<(String, &str)> {
        let mut out: Vec<(String, &str)> = (0..self.jobs.len()).map(|i| self.job_path(i)).collect();
        out.extend(self.files.iter().map(|f| (f.path.clone(), f.origin.as_str())));
        out.extend(self.site.static_files.iter().map(|f| (f.path.clone(), f.origin.as_str())));
        out
    }

    /// Renders job `i`. With a memo, the page's key is computed and a page rendered before
    /// with the same key is taken from the memo instead.
    pub fn render(&self, i: usize, memo: Option<Memo<'_>>) -> Result<Rendered, Diagnostics> {
        let mut warnings = Vec::new();
        let built;
        let job = match &self.jobs[i] {
            Job::Ready(job) => job,
            Job::Article(a) => {
                let (mut job, _, problems) = article_job(
                    &self.r,
                    &self.ed,
                    &|j| self.summaries[j].clone(),
                    &self.briefs,
                    self.templates.links(),
                    *a,
                );
                warnings = warnings_unless_errors(problems)?;
                page_feeds(&mut job, &self.main_feeds, &self.own_feeds);
                built = job;
                &built
            }
        };
        let path = urls::output_file(&job.path);
        let key = memo.map(|_| {
            let keys = self.keys.get_or_init(|| template_keys(self.site, self.templates));
            job_key(keys, job)
        });
        if let (Some(memo), Some(key)) = (memo, &key)
            && let Some(bytes) = memo(&path, key)
        {
            let page = Page { path, kind: job.kind, origin: job.origin.clone(), bytes };
            return Ok(Rendered { page, key: Some(*key), fresh: false, warnings });
        }
        let bytes = self
            .templates
            .render(job.template, &job.context.ctx)
            .map_err(|e| Diagnostics(vec![e]))?
            .into_bytes();
        let page = Page::new(path, job.kind, &job.origin, bytes);
        Ok(Rendered { page, key, fresh: true, warnings })
    }

    /// Two files with one output path are an error naming both origins.
    fn check_collisions(&self) -> Result<(), Diagnostics> {
        let mut paths = self.outputs();
        paths.sort();
        let is_file = |origin: &str| origin.contains('/');
        let errors: Vec<Diagnostic> = paths
            .windows(2)
            .filter(|w| w[0].0 == w[1].0)
            .map(|w| {
                let (a, b) = if is_file(w[1].1) && !is_file(w[0].1) {
                    (w[1].1, w[0].1)
                } else {
                    (w[0].1, w[1].1)
                };
                Diagnostic::error(
                    a,
                    format!("`{}` would be written twice: by {a} and by {b}", w[0].0),
                )
                .help("rename or move one of them so they are published at different addresses")
            })
            .collect();
        if errors.is_empty() { Ok(()) } else { Err(Diagnostics::sorted(errors)) }
    }
}

/// Each full-text article's rendered body, by article (the feeds carry them); `None` for the
/// others. Problems in them are the article pages' to report.
fn full_text_bodies(r: &Renderer<'_>) -> Vec<Option<String>> {
    r.site
        .articles
        .par_iter()
        .map(|a| {
            (a.meta.kind == Kind::FullText)
                .then(|| r.body(a, &article_path(&a.slug), false, &mut Vec::new()).html)
        })
        .collect()
}

/// The site path of the page a host shows for a missing address.
const NOT_FOUND: &str = "404.html";

/// The 404 page. A host shows it at whatever address was asked for, so relative links would
/// resolve against that address: its links are root-relative (from `base_url`'s path, or `/`) and its
/// stylesheet is inlined, so it also opens from `file://` without a failed request.
fn not_found_page(site: &Site, links: &templates::LinkOptions) -> PageJob {
    let mut job = PageJob::new(NOT_FOUND.into(), "the 404 page", "404.html");
    job.context.insert("link_root", links.root_path());
    let style = site.static_files.iter().find(|f| f.name == "style.css").and_then(|f| f.bytes());
    if let Some(css) = style.and_then(|b| std::str::from_utf8(b).ok()) {
        job.context.insert("inline_style", css);
    }
    job
}

/// The JSON data files.
fn data_files(site: &Site) -> Vec<Page> {
    [
        ("articles.json", data::articles_json(site)),
        ("claims.json", data::claims_json(site)),
        ("timeline.json", data::timeline_json(site)),
    ]
    .into_iter()
    .map(|(path, bytes)| Page::new(path, FileKind::Data, "the data files", bytes))
    .collect()
}

/// The sitemap, `robots.txt` and (when configured) `_headers`. A dossier's own `static/` file
/// of the same name replaces the generated one. Without a `base_url` there is no sitemap or
/// `robots.txt`: a sitemap lists absolute addresses, and the dossier has none yet.
fn meta_files(site: &Site, links: &templates::LinkOptions, urls: &[String]) -> Vec<Page> {
    let own = |name: &str| site.static_files.iter().any(|f| f.name == name);
    let published = links.base_url.is_some();
    let mut out: Vec<Page> = publish::sitemaps(urls, links, publish::SITEMAP_LIMIT)
        .into_iter()
        .filter(|_| published)
        .map(|(path, bytes)| Page::new(path, FileKind::Other, "the sitemap", bytes))
        .collect();
    if published && !own("robots.txt") {
        out.push(Page::new("robots.txt", FileKind::Other, "robots.txt", publish::robots(links)));
    }
    if site.config.cache_headers && !own("_headers") {
        out.push(Page::new(
            "_headers",
            FileKind::Other,
            "the cache headers",
            publish::headers(links, &site.static_files),
        ));
    }
    out
}

/// How many of the newest articles the front page lists.
const FRONT_PAGE_LATEST: usize = 8;

fn front_page(
    r: &Renderer<'_>,
    ed: &editorial::Editorial<'_>,
    summaries: &[Value],
    problems: &mut Vec<Diagnostic>,
) -> PageJob {
    let index = &r.site.index;
    let overview = r.body(index, "", true, problems);
    let lede = index.meta.lede.as_deref().map(|l| r.field(index, "lede", l, "", problems));
    let mut job = PageJob::new(String::new(), &index.source, "index.html");
    job.context.insert(
        "index",
        &context::IndexView {
            title: index.meta.title.as_deref().unwrap_or(&r.site.config.title),
            lede,
            content: overview.html,
            toc: overview.headings,
        },
    );
    if let Some(f) = &index.meta.featured {
        let note = f.note.as_deref().map(|n| r.field(index, "note", n, "", problems));
        job.context.insert("featured", &context::featured(r.site, &f.article, note));
    }
    let latest: Vec<Value> = summaries.iter().take(FRONT_PAGE_LATEST).cloned().collect();
    job.context.insert_value("latest", Value::from(latest));
    job.context.insert("article_count", &summaries.len());
    job.context.insert_value("claims", Value::from(ed.claims.clone()));
    let outlets: Vec<context::OutletCount<'_>> = r
        .site
        .outlets
        .values()
        .map(|o| context::OutletCount {
            outlet: context::outlet_ref(r.site, &o.id),
            count: r.site.articles.iter().filter(|a| a.meta.outlet == o.id).count(),
        })
        .collect();
    job.context.insert("outlets", &outlets);
    job.context.insert("event_count", &r.site.timeline.events.len());
    job
}

/// Each outlet's brief (shown on its articles' pages), by id.
fn outlet_briefs(site: &Site) -> BTreeMap<&str, Value> {
    site.outlets.values().map(|o| (o.id.as_str(), to_value(&context::outlet_brief(o)))).collect()
}

/// The page of article `i`, its rendered body when it is a full-text article, and the problems
/// found in its Markdown.
fn article_job(
    r: &Renderer<'_>,
    ed: &editorial::Editorial<'_>,
    summary: &dyn Fn(usize) -> Value,
    briefs: &BTreeMap<&str, Value>,
    links: &templates::LinkOptions,
    i: usize,
) -> (PageJob, Option<String>, Vec<Diagnostic>) {
    let site = r.site;
    let a = &site.articles[i];
    let mut local = Vec::new();
    let path = article_path(&a.slug);
    // A full-text article is the outlet's wording: no typographic changes.
    let body = r.body(a, &path, a.meta.kind != Kind::FullText, &mut local);
    let full_text = (a.meta.kind == Kind::FullText).then(|| body.html.clone());
    let notes = a.meta.notes.as_deref().map(|n| r.field(a, "notes", n, &path, &mut local));
    let source_note =
        a.meta.source_note.as_deref().map(|n| r.field(a, "source_note", n, &path, &mut local));
    let annotations = (a.meta.annotations.iter())
        .map(|an| (an.paragraph, r.field(a, "annotations", &an.note, &path, &mut local)))
        .collect();
    let view = context::article_view(
        site,
        a,
        context::RenderedArticle {
            content: body.html,
            toc: body.headings,
            notes,
            source_note,
            annotations,
        },
    );
    let mut job = PageJob::new(path, &a.source, "article.html");
    job.context.insert("article", &view);
    job.context.insert_value("claims", Value::from(ed.article_claims(i)));
    job.context.insert_value("events", Value::from(ed.article_events(i)));
    job.context.insert_value("other_coverage", Value::from(ed.other_coverage(i, summary)));
    let copies: Vec<Value> = site.links.copies[i].iter().map(|&j| summary(j)).collect();
    job.context.insert_value("copies", Value::from(copies));
    if let Some(brief) = briefs.get(a.meta.outlet.as_str()) {
        job.context.insert_value("outlet", brief.clone());
    }
    job.context.insert("json_ld", &publish::news_article_json_ld(site, a, links));
    (job, full_text, local)
}

/// One article's page, for a rebuild after an edit of that article's body alone (its front
/// matter the same bytes). No other page shows an article's body; what else can change is
/// the data files (which carry each source file's SHA-256) and, for a full-text article, the
/// feeds: the caller must redo those with [`render_site`] (see [`crate::incremental`]).
/// Returns the page and the warnings of its Markdown; the page is the bytes [`render_site`]
/// gives.
pub fn render_article_body_edit(
    site: &Site,
    templates: &Templates,
    index: &ContentIndex,
    i: usize,
) -> Result<Rendered, Diagnostics> {
    let r = Renderer { site, index: Cow::Borrowed(index) };
    let links = templates.links();
    let mut problems = Vec::new();
    let ed = editorial::Editorial::for_articles(site);
    let summary = |j: usize| to_value(&context::summary(site, &site.articles[j]));
    // Only this article's outlet's brief is shown.
    let outlet = site.articles[i].meta.outlet.as_str();
    let briefs: BTreeMap<&str, Value> = site
        .outlets
        .get(outlet)
        .map(|o| (o.id.as_str(), to_value(&context::outlet_brief(o))))
        .into_iter()
        .collect();
    let (mut job, _, mut local) = article_job(&r, &ed, &summary, &briefs, links, i);
    problems.append(&mut local);
    let warnings = warnings_unless_errors(problems)?;
    let feeds = publish::feed_specs(site);
    let (main_feeds, own_feeds) = publish::feed_links(&feeds);
    page_feeds(&mut job, &main_feeds, &own_feeds);
    let bytes =
        templates.render(job.template, &job.context.ctx).map_err(|e| Diagnostics(vec![e]))?;
    let page = Page::new(urls::output_file(&job.path), job.kind, &job.origin, bytes.into_bytes());
    Ok(Rendered { page, key: None, fresh: true, warnings })
}

/// The warnings among `problems`, or all the errors when there is one.
fn warnings_unless_errors(problems: Vec<Diagnostic>) -> Result<Vec<Diagnostic>, Diagnostics> {
    let (errors, warnings): (Vec<_>, Vec<_>) =
        problems.into_iter().partition(|d| d.severity == Severity::Error);
    if errors.is_empty() { Ok(warnings) } else { Err(Diagnostics::sorted(errors)) }
}

/// Gives a page the `feeds` its head links to (and `own_feed`, the page's own).
fn page_feeds(
    job: &mut PageJob,
    main_feeds: &[publish::FeedLink],
    own_feeds: &BTreeMap<String, publish::FeedLink>,
) {
    let mut feeds = main_feeds.to_vec();
    if let Some(own) = own_feeds.get(job.list.as_ref().unwrap_or(&job.path)) {
        job.context.insert("own_feed", own);
        feeds.push(own.clone());
    }
    job.context.insert("feeds", &feeds);
}

fn outlet_pages(
    r: &Renderer<'_>,
    summaries: &[Value],
    problems: &mut Vec<Diagnostic>,
) -> Vec<PageJob> {
    let site = r.site;
    let mut by_outlet: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    let mut carried: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for (a, s) in site.articles.iter().zip(summaries) {
        by_outlet.entry(a.meta.outlet.as_str()).or_default().push(s.clone());
        if let Some(agency) = &a.meta.agency {
            carried.entry(agency.as_str()).or_default().push(s.clone());
        }
    }
    let mut list = Vec::new();
    let mut jobs = Vec::new();
    for outlet in site.outlets.values() {
        let path = outlet_path(&outlet.id);
        let articles = by_outlet.remove(outlet.id.as_str()).unwrap_or_default();
        let mut local = Vec::new();
        let mut md = |t: &str| r.yaml_field(&outlet.source, t, &path, &mut local);
        let view = to_value(&context::outlet_view(outlet, articles.len(), &mut md));
        problems.append(&mut local);
        list.push(view.clone());
        // Page 1 describes the outlet; the later pages only continue its list.
        let carried = Value::from(carried.remove(outlet.id.as_str()).unwrap_or_default());
        let positions = Value::from(editorial::outlet_positions(site, &outlet.id));
        let pages = PagedList::new(path, &outlet.source, "outlet.html");
        jobs.extend(pages.jobs(
            site,
            articles.len(),
            |i| articles[i].clone(),
            |job, pager| {
                job.context.insert_value("outlet", view.clone());
                if pager.index == 1 {
                    job.context.insert_value("carried", carried.clone());
                    job.context.insert_value("positions", positions.clone());
                }
            },
        ));
    }
    let mut index = PageJob::new("outlets/".into(), "the outlets index", "outlets.html");
    index.context.insert_value("outlets", Value::from(list));
    jobs.push(index);
    jobs
}

fn taxonomy_pages(site: &Site, summaries: &[Value]) -> Vec<PageJob> {
    let mut jobs = Vec::new();
    for tax in &site.taxonomies {
        let view = context::TaxonomyView {
            key: tax.kind.key(),
            title: &tax.title,
            path: taxonomy_path(tax.kind),
        };
        let terms: Vec<context::TermSummary<'_>> = tax
            .terms
            .iter()
            .map(|t| context::TermSummary {
                name: &t.name,
                slug: &t.slug,
                path: term_path(tax.kind, &t.slug),
                count: t.articles.len(),
            })
            .collect();
        let mut index = PageJob::new(
            taxonomy_path(tax.kind),
            format!("the {} index", tax.kind.key()),
            "taxonomy.html",
        );
        index.context.insert("taxonomy", &view);
        index.context.insert("terms", &terms);
        jobs.push(index);
        for (term, summary) in tax.terms.iter().zip(&terms) {
            let origin = format!("the {} term `{}`", tax.kind.key(), term.name);
            let pages = PagedList::new(term_path(tax.kind, &term.slug), origin, "term.html");
            let item = |i: usize| summaries[term.articles[i]].clone();
            jobs.extend(pages.jobs(site, term.articles.len(), item, |job, _| {
                job.context.insert("taxonomy", &view);
                job.context.insert("term", summary);
            }));
        }
    }
    jobs
}

fn free_pages(r: &Renderer<'_>, problems: &mut Vec<Diagnostic>) -> Vec<PageJob> {
    r.site
        .pages
        .iter()
        .map(|p| {
            let path = page_path(&p.slug);
            let body = r.body(p, &path, true, problems);
            let mut job = PageJob::new(path.clone(), &p.source, "page.html");
            let view = context::PageView {
                title: &p.meta.title,
                description: p.meta.description.as_deref(),
                path,
                content: body.html,
                toc: body.headings,
            };
            job.context.insert("page", &view);
            job
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uses(sources: &[(&'static str, &'static str)]) -> Vec<(&'static str, Vec<&'static str>)> {
        let map: BTreeMap<&str, &str> = sources.iter().copied().collect();
        template_uses(&map).into_iter().map(|(n, u)| (n, u.into_iter().collect())).collect()
    }

    #[test]
    fn a_template_uses_what_it_extends_and_includes_transitively() {
        let got = uses(&[
            ("base.html", "<body>{% include \"partials/box.html\" %}{% block c %}{% endblock c %}"),
            ("outlet.html", "{% extends \"base.html\" %}"),
            ("partials/box.html", "<form></form>"),
            ("atom.xml", "<feed></feed>"),
        ]);
        assert_eq!(
            got,
            [
                ("atom.xml", vec!["atom.xml"]),
                ("base.html", vec!["base.html", "partials/box.html"]),
                ("outlet.html", vec!["base.html", "outlet.html", "partials/box.html"]),
                ("partials/box.html", vec!["partials/box.html"]),
            ]
        );
    }

    #[test]
    fn components_and_escaped_names_are_used_by_every_template() {
        let got = uses(&[
            ("a.html", "{% component card(x) %}{{ x }}{% endcomponent card %}"),
            ("b.html", "{% include \"p\\u{2f}c.html\" %}"),
            ("c.html", "plain"),
        ]);
        assert_eq!(got[2], ("c.html", vec!["a.html", "b.html", "c.html"]));
    }
}
