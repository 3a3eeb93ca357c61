//! The "search index" step: the Pagefind index of the articles (their words, read from their
//! pages as they streamed by) and of the claims and events (records made from the model),
//! checked against the other outputs' paths and put to the [`Output`]. When the caches hold an
//! index made from the very same pages and records, it is that index again.

use std::sync::Arc;
use std::thread::JoinHandle;

use anyhow::Context as _;
use bytes::Bytes;
use rayon::prelude::*;

use super::{BuildOptions, BuildReport, LastIndex, timed};
use crate::content::Site;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::output::Output;
use crate::render::FileKind;
use crate::search::{self, Indexer, Packed, Runtime};

/// The search index of a build under way: its indexer (none when the index is off or
/// deferred), Pagefind's runtime being made beside the pages, and each article's search URL.
pub(super) struct Search {
    indexer: Option<Arc<Indexer>>,
    runtime: Option<JoinHandle<crate::Result<Arc<Runtime>>>>,
    urls: Vec<String>,
}

impl Search {
    /// Starts the search index of a build of `site`, with the caches' indexer if there is one.
    pub(super) fn start(site: &Site, options: &BuildOptions, cached: Option<Arc<Indexer>>) -> Self {
        let want_search = site.config.search && !options.defer_search;
        let indexer = want_search.then(|| cached.unwrap_or_else(|| Arc::new(Indexer::new(site))));
        // Pagefind's runtime is made once per process; start it beside the pages.
        let runtime = indexer.as_ref().map(|i| {
            let language = i.language().to_string();
            std::thread::spawn(move || search::runtime_files(&language))
        });
        let urls = if want_search { search::page_urls(site) } else { Vec::new() };
        Search { indexer, runtime, urls }
    }

    /// The indexer that packs the articles' pages, if the index is built.
    pub(super) fn indexer(&self) -> Option<&Indexer> {
        self.indexer.as_deref()
    }

    /// Each article's search URL, by article number.
    pub(super) fn urls(&self) -> &[String] {
        &self.urls
    }

    /// Builds the index from the articles' `packed` pages (or takes `last`, when it was made
    /// from the same) and puts its files. Returns the indexer and the index, for the caches.
    pub(super) fn finish(
        self,
        site: &Site,
        packed: Vec<Option<Arc<Packed>>>,
        last: Option<LastIndex>,
        options: &BuildOptions,
        output: &dyn Output,
        report: &mut BuildReport,
    ) -> crate::Result<(Option<Arc<Indexer>>, Option<LastIndex>)> {
        let Some(indexer) = self.indexer else {
            return Ok((None, last));
        };
        let (last, built) = timed(options, &mut report.steps, "search index", || {
            index_files(site, &indexer, packed, last, self.runtime)
        })?;
        report.work.search_indexed = built;
        put_index(&last.2, output, report)?;
        Ok((Some(indexer), Some(last)))
    }
}

/// The index of the articles' `packed` pages and of the claims and events: `last` again when it
/// was made from the very same pages and records (and `false`), else a new one (and `true`).
fn index_files(
    site: &Site,
    indexer: &Indexer,
    packed: Vec<Option<Arc<Packed>>>,
    last: Option<LastIndex>,
    runtime: Option<JoinHandle<crate::Result<Arc<Runtime>>>>,
) -> crate::Result<(LastIndex, bool)> {
    let pages: Vec<Arc<Packed>> = packed
        .into_iter()
        .collect::<Option<Vec<_>>>()
        .context("search: an article page was not indexed")?;
    let records = search::records(site);
    // The same pages (the very same packed words) and records: the same index.
    if let Some(last) = last
        && last.0.len() == pages.len()
        && last.0.iter().zip(&pages).all(|(a, b)| Arc::ptr_eq(a, b))
        && last.1 == records
    {
        return Ok((last, false));
    }
    let mut all = pages.clone();
    all.extend(records.iter().map(|r| Arc::new(indexer.record(r))));
    let runtime = runtime
        .and_then(|h| h.join().ok())
        .unwrap_or_else(|| search::runtime_files(indexer.language()))?;
    let refs: Vec<&Packed> = all.iter().map(|p| &**p).collect();
    let files = indexer.finish_with(&refs, &runtime)?;
    Ok(((pages, records, Arc::new(files)), true))
}

/// Puts the index's files to `output`, unless one would take the path of another output.
fn put_index(
    index: &[(String, Bytes)],
    output: &dyn Output,
    report: &mut BuildReport,
) -> crate::Result<()> {
    let clashes: Vec<Diagnostic> = index
        .iter()
        .filter_map(|(path, _)| {
            let origin = report.origins.get(path)?;
            Some(
                Diagnostic::error(
                    origin,
                    format!("`{path}` would be written twice: by {origin} and by the search index"),
                )
                .help(format!("`{}/` is the search index's; move the file elsewhere", search::DIR)),
            )
        })
        .collect();
    if !clashes.is_empty() {
        return Err(Diagnostics::sorted(clashes).into());
    }
    let paths: Vec<&str> = index.iter().map(|(p, _)| p.as_str()).collect();
    output.prepare(&paths).map_err(|d| Diagnostics(vec![d]))?;
    let errors: Vec<Diagnostic> = index
        .par_iter()
        .filter_map(|(path, bytes)| output.put(path, "the search index", bytes).err())
        .collect();
    if !errors.is_empty() {
        return Err(Diagnostics::sorted(errors).into());
    }
    *report.files.entry(FileKind::Search).or_default() += index.len();
    for (path, _) in index {
        report.origins.insert(path.clone(), "the search index".into());
    }
    Ok(())
}
