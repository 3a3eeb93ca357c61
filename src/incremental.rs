//! Rebuilding in memory, again and again, for `dossier serve`: a [`Session`] holds the last
//! good build and, after files change, builds again and says which outputs changed.
//!
//! **Byte-identical by construction.** A rebuild runs the same pipeline as a full build
//! ([`pipeline::build_in_memory_cached`]), with caches that memoize its pure steps. Every cache
//! entry is keyed by *everything* its result depends on, so an entry can never be stale, only
//! unused:
//!
//! - **parsing** ([`crate::content::load()`]): each content file's parse, keyed by its path and
//!   text. Every file is read again (cheap); only files whose bytes differ are parsed. The
//!   cross-checks (references, slugs, taxonomies) run on the whole set every time.
//! - **pages** ([`crate::render`], [`crate::pipeline`]): every page's context is built anew (no
//!   templates run); each page is keyed by a SHA-256 of its template, the templates it can
//!   extend or include (found conservatively from their text), the global variables, the link
//!   settings and its context as JSON. A page whose key is unchanged is taken from the caches
//!   with what was read of it (its links for the check, its words for the index): an article
//!   body edit renders that article and the pages that show something of it; an
//!   `outlet.html` edit renders the outlet pages; a `base.html` edit renders every page. Feeds,
//!   the sitemap and the data files are recomputed (cheap); the link check's cross-page pass
//!   runs every time.
//! - **search** ([`SearchJob`]): the index is built on another thread after the pages are
//!   served; each article page is read for its words only when its bytes changed, and the
//!   index files are written anew from all of them (a fraction of a second at 10,000 articles).
//!
//! Changes are found by content, not by the `changed` list a watcher reports, so a missed,
//! duplicated or spurious event cannot make a rebuild wrong; and a change of `dossier.yaml`
//! drops every cache (it reloads everything). Because entries are pure functions of their keys,
//! a failed rebuild (say, a broken front matter) keeps the last good site *and* leaves the
//! caches consistent: fixing the file gives the right result. The outputs are finally compared
//! by their bytes, so a save that changes nothing reports no change.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;

use crate::diagnostics::Diagnostic;
use crate::output::Files;
use crate::pipeline::{self, BuildOptions, Caches, Work};
use crate::search::{self, Indexer, Packed};

/// A built site in memory, shared: output path → bytes.
pub type SiteFiles = Arc<Files>;

/// What one build or rebuild changed.
#[derive(Debug, Default, Clone)]
pub struct Outcome {
    /// Output paths that are new or whose bytes changed, sorted.
    pub changed: Vec<String>,
    /// Output paths that are gone, sorted.
    pub removed: Vec<String>,
    /// Warnings of the build.
    pub warnings: Vec<Diagnostic>,
    /// How long it took.
    pub elapsed: Duration,
    /// Content files parsed again (`content/articles/x.md`), sorted.
    pub reparsed: Vec<String>,
    /// Output files rendered again with a template (pages and feeds), sorted.
    pub rendered: Vec<String>,
    /// Whether the search index was built again (rather than reused).
    pub search_indexed: bool,
    /// How many HTML pages the link check parsed again.
    pub link_pages_parsed: usize,
    /// Each build step's name and duration.
    pub steps: Vec<(&'static str, Duration)>,
    /// Whether [`Session::quick_rebuild`] made it.
    pub quick: bool,
}

impl Outcome {
    /// Whether nothing changed (a save of the same bytes).
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }

    /// Whether only stylesheets changed, so a browser may swap them without reloading the page.
    pub fn css_only(&self) -> bool {
        !self.is_empty() && self.removed.iter().chain(&self.changed).all(|p| p.ends_with(".css"))
    }
}

/// A dossier built in memory, rebuilt on demand.
#[derive(Debug)]
pub struct Session {
    options: BuildOptions,
    site: SiteFiles,
    caches: Caches,
    /// The bytes of `dossier.yaml` the caches were made with.
    config: Option<Vec<u8>>,
    /// The warnings of the last build.
    warnings: Vec<Diagnostic>,
    /// Whether the site comes from [`Session::quick_rebuild`] and wants a full rebuild to
    /// settle it (the link check, and anything the quick path does not redo).
    unsettled: bool,
    /// With `defer_search`: the files of the last index built by a [`SearchJob`], and the
    /// generation of the site it was built from.
    search: BTreeMap<String, Bytes>,
    indexed: Option<u64>,
    /// Counts the builds that changed the site.
    generation: u64,
    /// The root, canonical (as a watcher reports paths).
    root: Option<PathBuf>,
    /// Whether the last build failed (the quick path waits for a good one).
    failed: bool,
    /// The `@/` link index of the last good build's site, for the quick path.
    links: Option<crate::render::ContentIndex>,
    /// With `defer_search`: the indexer and each article page's words, by output path with
    /// the bytes they were read from, kept for the next [`SearchJob`].
    words: Arc<std::sync::Mutex<SearchMemo>>,
}

/// What the last [`SearchJob`] read, for the next one.
#[derive(Default)]
struct SearchMemo {
    indexer: Option<Arc<Indexer>>,
    pages: BTreeMap<String, (Bytes, Arc<Packed>)>,
}

impl std::fmt::Debug for SearchMemo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchMemo").field("pages", &self.pages.len()).finish()
    }
}

/// A search index to build on another thread for a [`Session`] built with
/// [`BuildOptions::defer_search`]; see [`Session::search_job`].
#[derive(Debug)]
pub struct SearchJob {
    generation: u64,
    site: SiteFiles,
    /// Each article's output path and search URL, in site order.
    pages: Vec<(String, String)>,
    records: Vec<search::Record>,
    language: String,
    memo: Arc<std::sync::Mutex<SearchMemo>>,
}

/// What a [`SearchJob`] built.
#[derive(Debug)]
pub struct SearchResult {
    generation: u64,
    files: crate::Result<Vec<(String, Bytes)>>,
}

impl SearchJob {
    /// Builds the index: reads the article pages whose bytes changed since the last job, then
    /// writes the index files. It runs on a thread pool of one thread of its own, so that it
    /// never holds up a rebuild's use of the shared pool.
    pub fn run(self) -> SearchResult {
        let files = rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .thread_name(|_| "dossier-search".into())
            .build()
            .map_err(|e| anyhow::anyhow!("search: cannot start the indexing thread: {e}"))
            .and_then(|pool| pool.install(|| self.index()));
        SearchResult { generation: self.generation, files }
    }

    fn index(&self) -> crate::Result<Vec<(String, Bytes)>> {
        let mut memo = self.memo.lock().unwrap_or_else(|e| e.into_inner());
        let fresh = memo.indexer.as_ref().is_none_or(|i| i.language() != self.language);
        if fresh {
            *memo = SearchMemo {
                indexer: Some(Arc::new(Indexer::for_language(&self.language))),
                pages: BTreeMap::new(),
            };
        }
        let indexer = memo.indexer.clone().ok_or_else(|| anyhow::anyhow!("search: no indexer"))?;
        let mut kept = BTreeMap::new();
        let mut packed = Vec::with_capacity(self.pages.len() + self.records.len());
        for (path, url) in &self.pages {
            let bytes = self
                .site
                .get(path)
                .ok_or_else(|| anyhow::anyhow!("search: the page `{path}` was not rendered"))?;
            let page = match memo.pages.get(path) {
                Some((old, page)) if same(old, bytes) => Arc::clone(page),
                _ => Arc::new(indexer.page(url.clone(), &String::from_utf8_lossy(bytes))),
            };
            kept.insert(path.clone(), (bytes.clone(), Arc::clone(&page)));
            packed.push(page);
        }
        memo.pages = kept;
        drop(memo);
        packed.extend(self.records.iter().map(|r| Arc::new(indexer.record(r))));
        let refs: Vec<&Packed> = packed.iter().map(|p| &**p).collect();
        let runtime = search::runtime_files(&self.language)?;
        indexer.finish_with(&refs, &runtime)
    }
}

impl Session {
    /// A session that has built nothing yet: its site is empty until the first
    /// [`Session::rebuild`] succeeds.
    pub fn new(options: BuildOptions) -> Session {
        Session {
            options,
            site: Arc::new(BTreeMap::new()),
            caches: Caches::default(),
            config: None,
            warnings: Vec::new(),
            unsettled: false,
            search: BTreeMap::new(),
            indexed: None,
            generation: 0,
            root: None,
            failed: false,
            links: None,
            words: Arc::default(),
        }
    }

    /// The options it builds with.
    pub fn options(&self) -> &BuildOptions {
        &self.options
    }

    /// The last good build.
    pub fn site(&self) -> SiteFiles {
        Arc::clone(&self.site)
    }

    /// Builds again after `changed` (paths of files that changed; empty for the first build).
    /// On success the new site replaces the old one and the outcome names what differs; on
    /// failure the last good site stays.
    ///
    /// `changed` is a hint: those files are read again; the others are read again when their
    /// size, modification time or inode differ, and parsed again only when their bytes do. So
    /// the result is the bytes of a full build of the tree as it is now whatever the list says
    /// (with `defer_search`, the search index is the last one a [`SearchJob`] built). A rebuild
    /// stopped by [`BuildOptions::cancel`] returns [`pipeline::Cancelled`] and changes nothing.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> crate::Result<Outcome> {
        let start = Instant::now();
        if let Some(cancel) = &self.options.cancel {
            cancel.reset();
        }
        let config = std::fs::read(self.options.root.join(crate::config::CONFIG_FILE)).ok();
        if config != self.config {
            // `dossier.yaml` reloads everything.
            self.caches = Caches::default();
            self.config = config;
        }
        let built = pipeline::build_in_memory_cached(&self.options, &mut self.caches, changed);
        if built.as_ref().is_err_and(pipeline::is_cancelled) {
            // Stopped for a newer save: nothing failed, and nothing changed.
            return built.map(|_| Outcome::default());
        }
        self.failed = built.is_err();
        let (mut files, report) = built?;
        if self.options.cancel.as_ref().is_some_and(pipeline::Cancel::is_cancelled) {
            // A save came as it finished: the newer build publishes, and this one is let go
            // off the rebuild thread.
            crate::cancel::drop_in_background(files);
            return Err(pipeline::Cancelled.into());
        }
        // Made now, for the quick path of the next edit (a few ms at 10,000 articles).
        self.links =
            self.caches.prepared.as_ref().map(|p| crate::render::ContentIndex::new(&p.site));
        if self.options.defer_search && self.searchable() {
            for (path, bytes) in &self.search {
                files.entry(path.clone()).or_insert_with(|| bytes.clone());
            }
        }
        let new: Files = files
            .into_iter()
            .map(|(path, bytes)| match self.site.get(&path) {
                // Unchanged files keep sharing the previous bytes.
                Some(old) if same(old, &bytes) => (path, old.clone()),
                _ => (path, bytes),
            })
            .collect();
        let mut outcome = diff(&self.site, &new);
        outcome.warnings = report.warnings.clone();
        self.warnings = report.warnings;
        let Work { reparsed, rendered, search_indexed, link_pages_parsed } = report.work;
        outcome.reparsed = reparsed;
        outcome.rendered = rendered;
        outcome.search_indexed = search_indexed;
        outcome.link_pages_parsed = link_pages_parsed;
        outcome.steps = report.steps;
        self.publish(new, &outcome);
        self.unsettled = false;
        outcome.elapsed = start.elapsed();
        Ok(outcome)
    }

    /// The quick path for the commonest edit, an article's text: when every path in
    /// `changed` is an article whose front matter is byte for byte the same as in the last
    /// build (and which is not a full-text article, whose body the feeds carry), no other
    /// page can differ, so only those articles' pages are rendered again: milliseconds at any
    /// size. Returns `None` when the edit is anything else, or fails to parse or render (call
    /// [`Session::rebuild`] then, which reports the problem).
    ///
    /// The pages are the bytes a full build gives. What the quick path leaves for later is the
    /// data files (they carry each source file's SHA-256), the link check and, with
    /// `defer_search`, the search index: afterwards [`Session::unsettled`] is true until a
    /// [`Session::rebuild`] runs, which brings the rest up to date.
    pub fn quick_rebuild(&mut self, changed: &[PathBuf]) -> Option<crate::Result<Outcome>> {
        let start = Instant::now();
        let prepared = self.caches.prepared.as_mut()?;
        if changed.is_empty() || self.site.is_empty() || self.failed {
            return None;
        }
        if self.root.is_none() {
            self.root = std::fs::canonicalize(&self.options.root).ok();
        }
        let root = self.root.clone()?;
        let config = std::fs::read(root.join(crate::config::CONFIG_FILE)).ok();
        if config != self.config {
            return None;
        }
        let mut edits = Vec::new();
        for path in changed {
            let rel = path.strip_prefix(&root).ok()?;
            let shown = rel.to_str()?.replace('\\', "/");
            let name = shown.strip_prefix("content/articles/")?;
            if name.contains('/') || !name.ends_with(".md") {
                return None;
            }
            let i = prepared.site.articles.iter().position(|a| a.source == shown)?;
            let old = &prepared.site.articles[i];
            let new = crate::content::load::parse_article(&root, &shown).ok()?;
            let front = |a: &crate::content::Article| a.text[..a.body.start].to_string();
            if front(old) != front(&new)
                || old.body_line != new.body_line
                || new.meta.kind == crate::content::Kind::FullText
            {
                return None;
            }
            if old.text != new.text {
                edits.push((i, new));
            }
        }
        if edits.is_empty() {
            // The same bytes: nothing to render, nothing changed.
            return Some(Ok(Outcome {
                elapsed: start.elapsed(),
                quick: true,
                ..Outcome::default()
            }));
        }
        let mut files: Files = BTreeMap::new();
        let mut warnings = self.warnings.clone();
        let mut undo = Vec::new();
        let links =
            self.links.get_or_insert_with(|| crate::render::ContentIndex::new(&prepared.site));
        for (i, new) in edits {
            undo.push((i, std::mem::replace(&mut prepared.site.articles[i], new)));
            let site = &prepared.site;
            match crate::render::render_article_body_edit(site, &prepared.templates, links, i) {
                Ok(rendered) => {
                    warnings.extend(rendered.warnings);
                    files.insert(rendered.page.path, rendered.page.bytes);
                }
                Err(_) => {
                    for (i, old) in undo.into_iter().rev() {
                        prepared.site.articles[i] = old;
                    }
                    return None;
                }
            }
        }
        let rendered: Vec<String> = files.keys().cloned().collect();
        let mut outcome = Outcome::default();
        let mut new = (*self.site).clone();
        for (path, bytes) in files {
            if self.site.get(&path).is_none_or(|old| *old != bytes) {
                outcome.changed.push(path.clone());
                new.insert(path, bytes);
            }
        }
        warnings = crate::diagnostics::Diagnostics::sorted(warnings).0;
        outcome.warnings = warnings.clone();
        self.warnings = warnings;
        outcome.reparsed = changed
            .iter()
            .filter_map(|p| p.strip_prefix(&root).ok()?.to_str().map(|s| s.replace('\\', "/")))
            .collect();
        outcome.reparsed.sort();
        outcome.rendered = rendered;
        outcome.quick = true;
        self.publish(new, &outcome);
        self.unsettled = true;
        outcome.elapsed = start.elapsed();
        Some(Ok(outcome))
    }

    /// Whether the site comes from [`Session::quick_rebuild`] and a [`Session::rebuild`] is due.
    pub fn unsettled(&self) -> bool {
        self.unsettled
    }

    /// With `defer_search`: the search index the current site needs, when the last one built
    /// was for an older site. Run it on another thread, then give the result to
    /// [`Session::apply_search`].
    pub fn search_job(&self) -> Option<crate::Result<SearchJob>> {
        if !self.search_due() {
            return None;
        }
        let site = &self.caches.prepared.as_ref()?.site;
        let pages = search::page_paths(site).into_iter().zip(search::page_urls(site)).collect();
        Some(Ok(SearchJob {
            generation: self.generation,
            site: Arc::clone(&self.site),
            pages,
            records: search::records(site),
            language: Indexer::new(site).language().to_string(),
            memo: Arc::clone(&self.words),
        }))
    }

    /// Puts an index built by a [`SearchJob`] into the site, unless the site changed since the
    /// job was made (then `None`: make a new job). Returns what changed (only `pagefind/`).
    pub fn apply_search(&mut self, result: SearchResult) -> Option<crate::Result<Outcome>> {
        if result.generation != self.generation {
            return None;
        }
        let start = Instant::now();
        let files = match result.files {
            Ok(files) => files,
            Err(e) => {
                self.indexed = Some(self.generation);
                return Some(Err(e));
            }
        };
        let index: BTreeMap<String, Bytes> = files.into_iter().collect();
        let mut new: BTreeMap<String, Bytes> = self
            .site
            .iter()
            .filter(|(path, _)| !self.search.contains_key(*path))
            .map(|(path, bytes)| (path.clone(), bytes.clone()))
            .collect();
        for (path, bytes) in &index {
            let bytes = match self.site.get(path) {
                Some(old) if same(old, bytes) => old.clone(),
                _ => bytes.clone(),
            };
            new.insert(path.clone(), bytes);
        }
        self.search = index;
        let mut outcome = diff(&self.site, &new);
        outcome.search_indexed = true;
        outcome.warnings = self.warnings.clone();
        self.site = Arc::new(new);
        self.indexed = Some(self.generation);
        outcome.elapsed = start.elapsed();
        Some(Ok(outcome))
    }

    /// Whether [`Session::search_job`] has a job: with `defer_search`, when the site changed
    /// since the last index was built.
    pub fn search_due(&self) -> bool {
        self.options.defer_search && self.searchable() && self.indexed != Some(self.generation)
    }

    /// Gives up indexing the current site (after a [`Session::search_job`] could not be made):
    /// the next change will try again.
    pub fn skip_search(&mut self) {
        self.indexed = Some(self.generation);
    }

    fn searchable(&self) -> bool {
        self.caches.prepared.as_ref().is_some_and(|p| p.site.config.search)
    }

    /// Makes `new` the site, counting a generation when it differs.
    fn publish(&mut self, new: BTreeMap<String, Bytes>, outcome: &Outcome) {
        if !outcome.is_empty() {
            self.generation += 1;
        }
        self.site = Arc::new(new);
    }
}

/// Whether two files hold the same bytes: at once when they share them (a page taken from the
/// caches is the previous build's very bytes), else by comparing.
fn same(a: &Bytes, b: &Bytes) -> bool {
    (a.as_ptr() == b.as_ptr() && a.len() == b.len()) || a == b
}

/// Which outputs differ between two builds.
fn diff(old: &BTreeMap<String, Bytes>, new: &BTreeMap<String, Bytes>) -> Outcome {
    let changed = new
        .iter()
        .filter(|(path, bytes)| old.get(*path).is_none_or(|o| !same(o, bytes)))
        .map(|(path, _)| path.clone())
        .collect();
    let removed = old.keys().filter(|path| !new.contains_key(*path)).cloned().collect();
    Outcome { changed, removed, ..Outcome::default() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> BTreeMap<String, Bytes> {
        files.iter().map(|(p, b)| (p.to_string(), Bytes::from(b.to_string()))).collect()
    }

    #[test]
    fn diff_names_changed_new_and_removed_outputs() {
        let old = site(&[("a.html", "1"), ("b.html", "2"), ("style.css", "x")]);
        let new = site(&[("a.html", "1"), ("b.html", "3"), ("c.html", "4")]);
        let d = diff(&old, &new);
        assert_eq!(d.changed, ["b.html", "c.html"]);
        assert_eq!(d.removed, ["style.css"]);
        assert!(!d.css_only());
        let d = diff(&old, &site(&[("a.html", "1"), ("b.html", "2"), ("style.css", "y")]));
        assert!(d.css_only());
        assert!(diff(&old, &old).is_empty());
    }

    /// A copy of the `basic` fixture site in `tmp`; its root.
    fn fixture_copy(tmp: &tempfile::TempDir) -> PathBuf {
        let root = tmp.path().join("site");
        let fixture = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        for e in walkdir::WalkDir::new(&fixture).sort_by_file_name() {
            let e = e.unwrap();
            let to = root.join(e.path().strip_prefix(&fixture).unwrap());
            if e.file_type().is_dir() {
                std::fs::create_dir_all(&to).unwrap();
            } else {
                std::fs::copy(e.path(), &to).unwrap();
            }
        }
        root
    }

    #[test]
    fn a_rebuild_stopped_at_its_link_check_publishes_nothing_and_the_next_one_does() {
        use std::sync::atomic::{AtomicBool, Ordering};
        let tmp = tempfile::tempdir().unwrap();
        let cancel = pipeline::Cancel::default();
        // A save that comes as the link check starts.
        let armed = Arc::new(AtomicBool::new(true));
        let (c, a) = (cancel.clone(), Arc::clone(&armed));
        let on_step = pipeline::OnStep(Arc::new(move |step| {
            if step == "links" && a.load(Ordering::SeqCst) {
                c.cancel();
            }
        }));
        let options = BuildOptions {
            root: fixture_copy(&tmp),
            cancel: Some(cancel),
            on_step: Some(on_step),
            ..BuildOptions::default()
        };
        let mut s = Session::new(options);
        let stopped = s.rebuild(&[]);
        assert!(stopped.as_ref().is_err_and(pipeline::is_cancelled), "{stopped:?}");
        assert!(s.site().is_empty(), "nothing published");
        armed.store(false, Ordering::SeqCst);
        let done = s.rebuild(&[]).unwrap();
        assert!(done.changed.contains(&"index.html".to_string()));
    }

    #[test]
    fn a_failed_rebuild_keeps_the_last_good_site() {
        let tmp = tempfile::tempdir().unwrap();
        let root = fixture_copy(&tmp);
        let mut s = Session::new(BuildOptions { root: root.clone(), ..BuildOptions::default() });
        let first = s.rebuild(&[]).unwrap();
        assert!(first.changed.contains(&"index.html".to_string()));
        assert!(s.rebuild(&[]).unwrap().is_empty(), "same bytes: no change");
        let before = s.site();
        std::fs::write(root.join("dossier.yaml"), "title: [unclosed\n").unwrap();
        assert!(s.rebuild(&[root.join("dossier.yaml")]).is_err());
        assert!(Arc::ptr_eq(&before, &s.site()));
    }
}
