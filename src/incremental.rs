//! Rebuilding in memory, again and again, for `dossier serve`: a [`Session`] holds the last
//! good build and, after files change, builds again and says which outputs changed.
//!
//! **Byte-identical by construction.** A rebuild runs the same pipeline as a full build
//! ([`pipeline::build_in_memory_cached`]), with caches that memoize its pure steps. Every cache
//! entry is keyed by *everything* its result depends on, so an entry can never be stale, only
//! unused:
//!
//! - **parsing** ([`crate::content::load`]): each content file's parse, keyed by its path and
//!   text. Every file is read again (cheap); only files whose bytes differ are parsed. The
//!   cross-checks (references, slugs, taxonomies) run on the whole set every time.
//! - **rendering** ([`crate::render`]): every page's context is built anew (no templates run);
//!   each page is keyed by a SHA-256 of its template, the templates it can extend or include
//!   (found conservatively from their text), the global variables, the link settings and its
//!   context as JSON. Only pages whose key changed are rendered: an article body edit renders
//!   that article and the pages that show something of it; an `outlet.html` edit renders the
//!   outlet pages; a `base.html` edit renders every page. Feeds, the sitemap and the data
//!   files are recomputed (cheap).
//! - **search** ([`crate::search`]): Pagefind has no incremental API, so the whole index is
//!   reused when its inputs (article pages, claim and event records) are the same bytes, and
//!   built again otherwise.
//! - **link check** ([`crate::check`]): each page's extracted links and anchors, keyed by a
//!   SHA-256 of its bytes; the cross-page pass runs every time.
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
use crate::pipeline::{self, BuildOptions, Caches, Work};

/// A built site in memory: output path → bytes. Cheap to clone and to share between threads.
pub type SiteFiles = Arc<BTreeMap<String, Bytes>>;

/// What one build or rebuild changed.
#[derive(Debug, Default)]
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
    /// `changed` is only a hint: what changed is found from the files' contents, so the result
    /// is the same bytes as a full build of the tree as it is now whatever the list says.
    pub fn rebuild(&mut self, changed: &[PathBuf]) -> crate::Result<Outcome> {
        let _ = changed;
        let start = Instant::now();
        let config = std::fs::read(self.options.root.join(crate::config::CONFIG_FILE)).ok();
        if config != self.config {
            // `dossier.yaml` reloads everything.
            self.caches = Caches::default();
            self.config = config;
        }
        let (files, report) = pipeline::build_in_memory_cached(&self.options, &mut self.caches)?;
        let new: BTreeMap<String, Bytes> = files
            .into_iter()
            .map(|(path, bytes)| match self.site.get(&path) {
                // Unchanged files keep sharing the previous bytes.
                Some(old) if *old == bytes => (path, old.clone()),
                _ => (path, Bytes::from(bytes)),
            })
            .collect();
        let mut outcome = diff(&self.site, &new);
        outcome.warnings = report.warnings;
        let Work { reparsed, rendered, search_indexed, link_pages_parsed } = report.work;
        outcome.reparsed = reparsed;
        outcome.rendered = rendered;
        outcome.search_indexed = search_indexed;
        outcome.link_pages_parsed = link_pages_parsed;
        self.site = Arc::new(new);
        outcome.elapsed = start.elapsed();
        Ok(outcome)
    }
}

/// Which outputs differ between two builds.
fn diff(old: &BTreeMap<String, Bytes>, new: &BTreeMap<String, Bytes>) -> Outcome {
    let changed = new
        .iter()
        .filter(|(path, bytes)| old.get(*path) != Some(*bytes))
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

    #[test]
    fn a_failed_rebuild_keeps_the_last_good_site() {
        let tmp = tempfile::tempdir().unwrap();
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
