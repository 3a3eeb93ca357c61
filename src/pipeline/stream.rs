//! The "pages" step: every job of the [`Plan`] rendered (in parallel), read once for what the
//! later steps need (its links and anchors for the link check, its words for the search index:
//! one tokenizer pass serves both), handed to the [`Output`], and dropped. Pages whose key is
//! in the caches come from there, with what was read of them.

use std::collections::BTreeMap;
use std::sync::Arc;

use rayon::prelude::*;

use super::search_index::Search;
use super::{BuildOptions, BuildReport, CachedPage, Cancelled, timed};
use crate::check::{self, PageFacts};
use crate::content::Site;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::intern::Interner;
use crate::output::Output;
use crate::render::{self, FileKind, Plan};
use crate::search::{self, Indexer, Packed};

/// What the stream leaves for the later steps.
pub(super) struct Streamed {
    /// What the link check read of each HTML page, by output path.
    pub(super) facts: BTreeMap<String, Arc<PageFacts>>,
    /// Each article's words, by article number (when the search index is built).
    pub(super) packed: Vec<Option<Arc<Packed>>>,
    /// Each rendered page's cache entry, by output path (when the build has caches).
    pub(super) cached: BTreeMap<String, CachedPage>,
}

/// Renders every job of `plan` and puts it, the plan's other files and the static files to
/// `output`; counts them, with the pages rendered afresh and the warnings, in `report`.
pub(super) fn pages(
    plan: &Plan<'_>,
    options: &BuildOptions,
    output: &dyn Output,
    strings: &Interner,
    search: &Search,
    old: Option<&BTreeMap<String, CachedPage>>,
    report: &mut BuildReport,
) -> crate::Result<Streamed> {
    let site = plan.site();
    let stream = Stream {
        options,
        plan,
        output,
        strings,
        indexer: search.indexer(),
        search_urls: search.urls(),
        base_url: site.config.site_root(),
        check: true,
        old,
    };
    let streamed = timed(options, &mut report.steps, "pages", || {
        let results: Vec<Result<StreamedPage, Diagnostics>> =
            // One task per job: pages differ in cost by 1,000× (an article against the timeline),
            // and rayon's default split would leave one thread alone with the heavy tail.
            (0..plan.len()).into_par_iter().with_max_len(1).map(|i| stream.page(i)).collect();
        if options.cancelled() {
            // Stopped: the caller says so. What was rendered is freed off the critical path.
            crate::cancel::drop_in_background(results);
            return Err(Diagnostics(Vec::new()));
        }
        let mut errors = Vec::new();
        let mut done = Vec::with_capacity(results.len());
        for r in results {
            match r {
                Ok(s) => done.push(s),
                Err(e) => errors.extend(e.0),
            }
        }
        errors.extend(
            plan.files.iter().filter_map(|f| output.put(&f.path, &f.origin, &f.bytes).err()),
        );
        errors.extend(site.static_files.iter().filter_map(|f| output.put_static(f).err()));
        if errors.is_empty() { Ok(done) } else { Err(Diagnostics::sorted(errors)) }
    });
    if options.cancelled() {
        return Err(Cancelled.into());
    }
    Ok(gather(site, plan, streamed?, report))
}

/// Counts the files in `report` and collects what the later steps need from `pages`.
fn gather(
    site: &Site,
    plan: &Plan<'_>,
    pages: Vec<StreamedPage>,
    report: &mut BuildReport,
) -> Streamed {
    for f in &plan.files {
        *report.files.entry(f.kind).or_default() += 1;
    }
    *report.files.entry(FileKind::Static).or_default() += site.static_files.len();
    let mut facts = BTreeMap::new();
    let mut packed: Vec<Option<Arc<Packed>>> = vec![None; site.articles.len()];
    let mut cached = BTreeMap::new();
    for s in pages {
        *report.files.entry(s.kind).or_default() += 1;
        report.warnings.extend(s.warnings);
        if s.fresh {
            report.work.rendered.push(s.path.clone());
        }
        report.work.link_pages_parsed += usize::from(s.read);
        if let Some((a, p)) = s.packed {
            packed[a] = Some(p);
        }
        if let Some(c) = s.cached {
            cached.insert(s.path.clone(), c);
        }
        if let Some(f) = s.facts {
            facts.insert(s.path, f);
        }
    }
    report.work.rendered.sort();
    Streamed { facts, packed, cached }
}

/// What one page of the stream left for the later steps.
struct StreamedPage {
    path: String,
    kind: FileKind,
    /// What the link check read of it (HTML pages, unless the check is off).
    facts: Option<Arc<PageFacts>>,
    /// Its words, when it is an indexed article: (article number, packed page).
    packed: Option<(usize, Arc<Packed>)>,
    /// For the caches: its key and bytes.
    cached: Option<CachedPage>,
    fresh: bool,
    read: bool,
    warnings: Vec<Diagnostic>,
}

/// What the stream needs besides the plan: where files go, what to read of them, and the
/// caches to take pages from.
struct Stream<'a> {
    options: &'a BuildOptions,
    plan: &'a Plan<'a>,
    output: &'a dyn Output,
    strings: &'a Interner,
    indexer: Option<&'a Indexer>,
    /// Each article's search URL, by article number.
    search_urls: &'a [String],
    base_url: &'a str,
    check: bool,
    old: Option<&'a BTreeMap<String, CachedPage>>,
}

impl Stream<'_> {
    /// Renders job `i`, reads it, puts it out.
    fn page(&self, i: usize) -> Result<StreamedPage, Diagnostics> {
        if self.options.cancelled() {
            return Err(Diagnostics(vec![Diagnostic::error("", Cancelled.to_string())]));
        }
        let memo = |path: &str, key: &[u8; 32]| {
            self.old?.get(path).filter(|c| c.key == *key).map(|c| c.bytes.clone())
        };
        let memo: Option<render::Memo<'_>> = self.old.map(|_| &memo as render::Memo<'_>);
        let rendered = self.plan.render(i, memo)?;
        let page = rendered.page;
        // What was read of the page last time holds while its bytes are the same (a page whose
        // key changed may still come out the same).
        let old = self
            .old
            .and_then(|o| o.get(&page.path))
            .filter(|o| !rendered.fresh || o.bytes == page.bytes);
        let article = self.plan.article(i).filter(|_| self.indexer.is_some());
        let html = check::is_html(&page.path);
        let want_facts = self.check && html;
        let mut facts = old.and_then(|o| o.facts.clone()).filter(|_| want_facts);
        let mut packed = old.and_then(|o| o.packed.clone()).filter(|_| article.is_some());
        let needs_facts = want_facts && facts.is_none();
        let needs_words = article.is_some() && packed.is_none();
        let read = needs_facts || needs_words;
        if read {
            // Rendered pages are UTF-8: checked the quick way, copied only if one is not.
            let text = match std::str::from_utf8(&page.bytes) {
                Ok(text) => std::borrow::Cow::Borrowed(text),
                Err(_) => String::from_utf8_lossy(&page.bytes),
            };
            let (links, parsed) = read_page(&text, needs_facts, needs_words);
            if let Some(links) = links {
                facts =
                    Some(Arc::new(PageFacts::read(&page.path, links, self.base_url, self.strings)));
            }
            if let (Some(parsed), Some(a), Some(indexer)) = (parsed, article, self.indexer) {
                packed = Some(Arc::new(indexer.pack_parsed(self.search_urls[a].clone(), parsed)));
            }
        }
        self.output.put(&page.path, &page.origin, &page.bytes).map_err(|d| Diagnostics(vec![d]))?;
        let cached = rendered.key.map(|key| CachedPage {
            key,
            bytes: page.bytes.clone(),
            facts: facts.clone(),
            packed: packed.clone(),
        });
        Ok(StreamedPage {
            path: page.path,
            kind: page.kind,
            facts,
            packed: article.zip(packed),
            cached,
            fresh: rendered.fresh,
            read: needs_facts,
            warnings: rendered.warnings,
        })
    }
}

/// Reads a page once for its links (`links`) and Pagefind's view of it (`words`): one tokenizer
/// pass for both.
fn read_page(
    html: &str,
    links: bool,
    words: bool,
) -> (Option<check::html::PageLinks>, Option<search::parse::Parsed>) {
    let reader = links.then(check::html::Reader::new);
    let parser = words.then(search::parse::Parser::new);
    let mut handlers = Vec::new();
    if let Some(r) = &reader {
        handlers.extend(r.handlers());
    }
    if let Some(p) = &parser {
        handlers.extend(p.handlers());
    }
    check::html::scan(html, handlers);
    (reader.map(check::html::Reader::finish), parser.map(search::parse::Parser::finish))
}
