//! Full-text search: a [Pagefind](https://pagefind.app) index of every article, claim and
//! timeline event, built in-process from the rendered pages and the model, and written under
//! `pagefind/` beside the site.
//!
//! What is indexed, one search result each:
//! - **articles**: their rendered pages (`articles/<slug>/index.html`). The template marks the
//!   indexable region with `data-pagefind-body` (headline, image caption, text, notes; not the
//!   record table or the cross-reference lists) and carries `data-pagefind-meta` for `title`,
//!   `kind`, `outlet` and `date`. A date that is not recorded is simply absent: the search page
//!   says "date unknown".
//! - **claims** and **timeline events**: custom records built from the model ([`records`]),
//!   pointing at `dispute/index.html#claim-<id>` and `timeline/index.html#event-<id>`.
//!
//! Listing pages (front page, article and outlet lists, taxonomies, 404) are never given to
//! Pagefind, so nothing appears twice. Result URLs are relative to the site root (no leading `/`)
//! and follow `pretty_links`; the search page resolves them against the root it computes from
//! its own address, so results work at any mount point.
//!
//! **How it is built.** The files are those Pagefind 1.6 writes for the same pages, byte for
//! byte (the tests build both and compare), but they are built here, not by Pagefind's API:
//! that API takes one page at a time behind a lock, parses it again, copies it twice and looks
//! its address up among every page added before (quadratic), then gzips every file on one
//! thread; it took 25 s for 10,000 articles. The same rules run here on pages as they are
//! rendered, from every thread: [`parse`] reads a page as Pagefind's parser does, [`fossick`]
//! turns its text into weighted word positions, [`words`] applies Pagefind's word rules (once
//! per distinct word), and `index` packs each page to a few bytes per word and writes the
//! files. Pagefind's runtime (its scripts and WebAssembly, which read the index in the browser)
//! is Pagefind's own, taken from the crate (`runtime`).
//!
//! The index is the same bytes for the same inputs: pages are numbered in site order (articles,
//! then claims, then events), the whole dossier is indexed as one language
//! (`config.language`), words and files are sorted. The one environment variable Pagefind
//! reads, `PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE`, is read here too.

pub mod fossick;
mod index;
pub use index::compress;
pub mod parse;
mod runtime;
pub mod words;

pub use runtime::{Runtime, runtime as runtime_files};

use std::collections::BTreeMap;
use std::sync::Mutex;

use anyhow::{Context as _, anyhow, bail};
use bytes::Bytes;

use crate::content::{Claim, Event, Site};
use crate::render::context::{actor_ref, article_path, claim_path, event_path, outlet_ref};
use crate::render::urls;

/// The output directory of the index, relative to the site root.
pub const DIR: &str = "pagefind";

/// What a search result is; shown on the result and stored as the `kind` meta field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResultKind {
    /// An article page.
    Article,
    /// A disputed point on the dispute page.
    Claim,
    /// An event on the timeline.
    Event,
}

impl ResultKind {
    /// The label shown on a result (and written by `article.html` for articles).
    pub fn label(self) -> &'static str {
        match self {
            ResultKind::Article => "Article",
            ResultKind::Claim => "Claim",
            ResultKind::Event => "Timeline event",
        }
    }
}

/// A search record built from the model rather than from a page: a claim or an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// Where the result leads, relative to the site root: `dispute/index.html#claim-x`.
    pub url: String,
    /// The text searched and quoted in excerpts (plain text).
    pub content: String,
    /// Fields shown on the result: `title`, `kind`, and `date` when there is one.
    pub meta: BTreeMap<String, String>,
}

/// The claims (in ledger order) and the timeline events (in date order) as search records.
pub fn records(site: &Site) -> Vec<Record> {
    let pretty = site.config.pretty_links;
    let claims = site.claims.iter().map(|c| claim_record(site, c, pretty));
    let events = site.timeline.events.iter().map(|e| event_record(site, e, pretty));
    claims.chain(events).collect()
}

fn meta(title: &str, kind: ResultKind, date: Option<String>) -> BTreeMap<String, String> {
    let mut meta = BTreeMap::new();
    meta.insert("title".to_string(), title.trim().to_string());
    meta.insert("kind".to_string(), kind.label().to_string());
    if let Some(date) = date {
        meta.insert("date".to_string(), date);
    }
    meta
}

fn claim_record(site: &Site, claim: &Claim, pretty: bool) -> Record {
    let m = &claim.meta;
    let mut parts = vec![m.question.trim().to_string()];
    parts.extend(m.context.as_deref().map(plain_text));
    for p in &m.positions {
        let (id, is_outlet) = p.holder();
        let who = if is_outlet { outlet_ref(site, id).name } else { actor_ref(site, id).name };
        let when = p.date.map(|d| format!(" ({})", d.display())).unwrap_or_default();
        parts.push(format!("{who} {}{when}: {}", p.stance.key(), p.statement.trim()));
    }
    Record {
        url: urls::relative("", &claim_path(&claim.id), pretty),
        content: sentences(parts),
        meta: meta(&m.question, ResultKind::Claim, None),
    }
}

fn event_record(site: &Site, event: &Event, pretty: bool) -> Record {
    let mut parts = vec![match event.time.as_deref() {
        Some(time) => format!("{}, {}", event.title.trim(), time.trim()),
        None => event.title.trim().to_string(),
    }];
    parts.extend(event.text.as_deref().map(plain_text));
    if !event.actors.is_empty() {
        let names: Vec<&str> = event.actors.iter().map(|a| actor_ref(site, a).name).collect();
        parts.push(format!("Involved: {}", names.join(", ")));
    }
    Record {
        url: urls::relative("", &event_path(&event.id), pretty),
        content: sentences(parts),
        meta: meta(&event.title, ResultKind::Event, Some(event.date.display())),
    }
}

/// Joins parts into one text, ending each with a full stop unless it already has punctuation
/// (so excerpts read as sentences and phrases do not run together across parts).
fn sentences(parts: Vec<String>) -> String {
    let mut out = String::new();
    for part in parts.into_iter().filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&part);
        if !part.ends_with(['.', '!', '?', ':', ';', '…']) {
            out.push('.');
        }
    }
    out
}

/// The text of a Markdown snippet: words only, links reduced to their text, no markup.
fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event as Md, Parser, TagEnd};
    let mut out = String::new();
    for event in Parser::new(markdown) {
        match event {
            Md::Text(t) | Md::Code(t) => out.push_str(&t),
            Md::SoftBreak | Md::HardBreak | Md::End(TagEnd::Paragraph | TagEnd::Item) => {
                out.push(' ')
            }
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The output paths of the pages [`index`] reads: one per article, in site order.
pub fn page_paths(site: &Site) -> Vec<String> {
    site.articles.iter().map(|a| urls::output_file(&article_path(&a.slug))).collect()
}

/// Builds the search index. `pages` maps output paths to rendered bytes and must hold every
/// path of [`page_paths`] (other entries are ignored). Returns the index files, paths relative to
/// the output root (`pagefind/pagefind.js`, `pagefind/fragment/en_1a2b3c4.pf_fragment` …),
/// sorted by path.
pub fn index<B: AsRef<[u8]>>(
    site: &Site,
    pages: &BTreeMap<String, B>,
) -> crate::Result<Vec<(String, Bytes)>> {
    let indexer = Indexer::new(site);
    let mut packed = Vec::with_capacity(site.articles.len());
    for (path, url) in page_paths(site).into_iter().zip(page_urls(site)) {
        let bytes = pages
            .get(&path)
            .ok_or_else(|| anyhow!("search: the page `{path}` was not rendered"))?;
        let html = std::str::from_utf8(bytes.as_ref())
            .with_context(|| format!("search: the page `{path}` is not UTF-8"))?;
        packed.push(indexer.page(url, html));
    }
    packed.extend(records(site).iter().map(|r| indexer.record(r)));
    indexer.finish(packed)
}

/// The result URL of each page of [`page_paths`], in the same order: relative to the site
/// root, following `pretty_links`.
pub fn page_urls(site: &Site) -> Vec<String> {
    let pretty = site.config.pretty_links;
    site.articles.iter().map(|a| urls::relative("", &article_path(&a.slug), pretty)).collect()
}

/// A search index in the making: pages are read and packed one by one, from any thread, as
/// they are rendered ([`Indexer::page`], [`Indexer::record`]); [`Indexer::finish`] writes the
/// index of the pages it is given, in the order given (the order of the results' numbers).
/// An indexer may be kept for the next build of the same site: a page's [`Packed`] stays valid
/// for as long as the indexer that made it.
pub struct Indexer {
    language: String,
    interner: index::Interner,
    /// Word caches, one per thread at work (a thread takes one, and puts it back).
    words: Mutex<Vec<words::Words>>,
}

impl std::fmt::Debug for Indexer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Indexer").field("language", &self.language).finish()
    }
}

pub use index::Packed;

impl Indexer {
    /// An indexer for `site`'s language.
    pub fn new(site: &Site) -> Indexer {
        Indexer::for_language(&language(site))
    }

    /// An indexer for `language` (a primary subtag: `en`).
    pub fn for_language(language: &str) -> Indexer {
        Indexer {
            language: language.to_string(),
            interner: index::Interner::default(),
            words: Mutex::new(Vec::new()),
        }
    }

    /// The language the index is built in.
    pub fn language(&self) -> &str {
        &self.language
    }

    fn with_words<T>(&self, f: impl FnOnce(&mut words::Words) -> T) -> T {
        let taken = self.words.lock().unwrap_or_else(|e| e.into_inner()).pop();
        let mut words = taken.unwrap_or_else(|| words::Words::new(&self.language));
        let out = f(&mut words);
        self.words.lock().unwrap_or_else(|e| e.into_inner()).push(words);
        out
    }

    /// Reads an HTML page (what Pagefind reads of it: its `data-pagefind-body`, meta and
    /// filters), to be found at `url`.
    pub fn page(&self, url: String, html: &str) -> Packed {
        self.pack_parsed(url, parse::parse(html))
    }

    /// Packs a page already read by a [`parse::Parser`], to be found at `url`.
    pub fn pack_parsed(&self, url: String, mut parsed: parse::Parsed) -> Packed {
        parsed.language = self.language.clone();
        let page = self.with_words(|w| fossick::Page::from_parsed(url, parsed, w));
        index::pack(page, &self.language, &self.interner)
    }

    /// A record made from the model rather than from a page.
    pub fn record(&self, record: &Record) -> Packed {
        let page = self.with_words(|w| {
            fossick::Page::custom(
                record.url.clone(),
                record.content.clone(),
                record.meta.clone(),
                w,
            )
        });
        index::pack(page, &self.language, &self.interner)
    }

    /// The index of `pages`, with Pagefind's runtime: paths relative to the output root
    /// (under [`DIR`]), sorted.
    pub fn finish(&self, pages: Vec<Packed>) -> crate::Result<Vec<(String, Bytes)>> {
        let runtime = runtime_files(&self.language)?;
        let refs: Vec<&Packed> = pages.iter().collect();
        self.finish_with(&refs, &runtime)
    }

    /// [`Indexer::finish`] with the runtime already made ([`runtime_files`]).
    pub fn finish_with(
        &self,
        pages: &[&Packed],
        runtime: &Runtime,
    ) -> crate::Result<Vec<(String, Bytes)>> {
        let mut options = index::Options::new(&self.language);
        options.language_wasm = runtime.language_wasm;
        let mut files = index::build(pages, &self.interner, &options)?;
        files.extend(runtime.files.iter().cloned());
        let mut files: Vec<(String, Bytes)> =
            files.into_iter().map(|(path, bytes)| (format!("{DIR}/{path}"), bytes)).collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        if files.windows(2).any(|w| w[0].0 == w[1].0) {
            bail!("search: two index files would have the same name");
        }
        Ok(files)
    }
}

/// An index to build later, on another thread: everything it is made from, owned.
/// `dossier serve` builds the index this way, after the pages are served.
#[derive(Debug)]
pub struct Job {
    language: String,
    pages: Vec<(String, String)>,
    records: Vec<Record>,
}

impl Job {
    /// The index of `site`, whose rendered pages `page` looks up by output path.
    pub fn new<'a>(site: &Site, page: impl Fn(&str) -> Option<&'a [u8]>) -> crate::Result<Job> {
        let mut pages = Vec::with_capacity(site.articles.len());
        for (path, url) in page_paths(site).into_iter().zip(page_urls(site)) {
            let bytes =
                page(&path).ok_or_else(|| anyhow!("search: the page `{path}` was not rendered"))?;
            let html = String::from_utf8(bytes.to_vec())
                .with_context(|| format!("search: the page `{path}` is not UTF-8"))?;
            pages.push((url, html));
        }
        Ok(Job { language: language(site), pages, records: records(site) })
    }

    /// Builds the index: its files, paths relative to the output root, sorted by path.
    pub fn run(self) -> crate::Result<Vec<(String, Bytes)>> {
        use rayon::prelude::*;
        let indexer = Indexer::for_language(&self.language);
        let mut packed: Vec<Packed> =
            self.pages.into_par_iter().map(|(url, html)| indexer.page(url, &html)).collect();
        packed.extend(self.records.iter().map(|r| indexer.record(r)));
        indexer.finish(packed)
    }
}

/// The language the whole index is built in: the primary subtag of `config.language`, which
/// picks Pagefind's stemmer (`en-GB` → `en`).
fn language(site: &Site) -> String {
    let tag = site.config.language.as_str();
    tag.split(['-', '_']).next().unwrap_or(tag).to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn fixture() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic")
    }

    fn site(pretty: bool) -> Site {
        let root = fixture();
        let mut config = crate::config::Config::load(&root).unwrap();
        config.pretty_links = pretty;
        crate::content::load(&root, config, &Default::default()).unwrap().site
    }

    #[test]
    fn plain_text_keeps_words_only() {
        assert_eq!(
            plain_text("The accounts *differ*; see [the wire](@/a.md).\n\n- one\n- `two`"),
            "The accounts differ; see the wire. one two"
        );
        assert_eq!(sentences(vec!["A".into(), String::new(), "B?".into()]), "A. B?");
    }

    #[test]
    fn claims_then_events_as_records() {
        let got = records(&site(false));
        let urls: Vec<&str> = got.iter().map(|r| r.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "dispute/index.html#claim-who-fired",
                "dispute/index.html#claim-ceasefire",
                "timeline/index.html#event-talks",
                "timeline/index.html#event-shelling",
                "timeline/index.html#event-statement",
            ]
        );
        let who = &got[0];
        assert_eq!(
            who.content,
            "Who fired first? The accounts differ; see the wire. Ministry A of Country X asserts \
                (2 January 2020): The other side fired first. Centre B denies (January 2020): \
                Nobody fired. Example Paper reports: Its reporter heard shots <at dawn> & left."
        );
        let m: Vec<(&str, &str)> = who.meta.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(m, [("kind", "Claim"), ("title", "Who fired first?")]);
        let shelling = &got[3];
        assert_eq!(
            shelling.content,
            "Shelling reported, at dawn. Reported by both outlets. Involved: Ministry A of Country \
                X, Centre B."
        );
        assert_eq!(shelling.meta["kind"], "Timeline event");
        assert_eq!(shelling.meta["date"], "1 January 2020");
        assert_eq!(got[2].meta["date"], "May 2017");
    }

    #[test]
    fn record_urls_follow_pretty_links() {
        let got = records(&site(true));
        assert_eq!(got[0].url, "dispute/#claim-who-fired");
        assert_eq!(got[4].url, "timeline/#event-statement");
    }
}
