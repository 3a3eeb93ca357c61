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
//! The index is the same bytes for the same inputs: records go in in site order, the whole
//! dossier is indexed as one language (`config.language`), and the files come out sorted by
//! path. Pagefind's internal hash maps only decide iteration order, never the bytes it encodes
//! (it sorts words and filters before encoding, and rayon's `collect` keeps page order); the
//! tests build the index twice and compare.
//!
//! Pagefind has no incremental API: it indexes everything it is given at once. [`index_cached`]
//! therefore keeps the last index with a SHA-256 of everything that went into it (the language,
//! each article page's URL and bytes, the claim and event records, and the one environment
//! variable Pagefind reads) and returns it again when that key is unchanged; otherwise it
//! builds the whole index anew.
//!
//! Pagefind's `api` is async. [`index`] drives it on a current-thread tokio runtime of its own
//! (on a separate thread if it is called from inside another runtime), so callers stay sync. Its
//! only reads from the environment: the working directory must exist (Pagefind resolves its
//! unused output path against it), and `PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE` changes how words
//! are split into index files.

use std::borrow::Cow;
use std::collections::BTreeMap;

use anyhow::{Context as _, anyhow, bail};
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::content::{Claim, Event, Site};
use crate::render::context::{actor_ref, article_path, claim_path, event_path, outlet_ref};
use crate::render::urls;

/// The output directory of the index, relative to the site root.
pub const DIR: &str = "pagefind";

/// The Pagefind files the search page does not use (Pagefind's own UIs); left out of the output.
const UNUSED: &[&str] = &[
    "pagefind-component-ui.css",
    "pagefind-component-ui.js",
    "pagefind-highlight.js",
    "pagefind-modular-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-ui.css",
    "pagefind-ui.js",
];

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
pub fn index(
    site: &Site,
    pages: &BTreeMap<String, Vec<u8>>,
) -> crate::Result<Vec<(String, Vec<u8>)>> {
    index_cached(site, pages, &mut IndexCache::off())
}

/// The files of an index, by path.
type IndexFiles = Vec<(String, Vec<u8>)>;

/// The last search index built, with the key of its inputs. See [`index_cached`].
#[derive(Default)]
pub struct IndexCache {
    last: Option<([u8; 32], IndexFiles)>,
    indexed: bool,
    /// Keeps nothing (a one-off build): no key computed, no copy kept.
    off: bool,
}

impl std::fmt::Debug for IndexCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndexCache")
            .field("files", &self.last.as_ref().map_or(0, |(_, files)| files.len()))
            .field("indexed", &self.indexed)
            .finish()
    }
}

impl IndexCache {
    /// A cache that keeps nothing, for a build whose caches are thrown away after it.
    pub fn off() -> Self {
        IndexCache { off: true, ..IndexCache::default() }
    }

    /// Whether the last call of [`index_cached`] ran Pagefind (rather than reusing the index).
    pub fn indexed(&self) -> bool {
        self.indexed
    }
}

/// [`index`], returning the cached index when its inputs are the same bytes as last time.
pub fn index_cached(
    site: &Site,
    pages: &BTreeMap<String, Vec<u8>>,
    cache: &mut IndexCache,
) -> crate::Result<Vec<(String, Vec<u8>)>> {
    let input = input(site, pages)?;
    if cache.off {
        cache.indexed = true;
        return run(input);
    }
    let key = input.key();
    if let Some((last, files)) = &cache.last
        && *last == key
    {
        cache.indexed = false;
        return Ok(files.clone());
    }
    let files = run(input)?;
    cache.last = Some((key, files.clone()));
    cache.indexed = true;
    Ok(files)
}

/// What Pagefind is given for `site`.
fn input<'a>(site: &Site, pages: &'a BTreeMap<String, Vec<u8>>) -> crate::Result<Input<'a>> {
    input_from(site, |path| pages.get(path).map(Vec::as_slice))
}

/// What Pagefind is given for `site`, its pages' bytes looked up by output path.
fn input_from<'a>(
    site: &Site,
    page: impl Fn(&str) -> Option<&'a [u8]>,
) -> crate::Result<Input<'a>> {
    let pretty = site.config.pretty_links;
    let mut html = Vec::with_capacity(site.articles.len());
    for (article, path) in site.articles.iter().zip(page_paths(site)) {
        let bytes =
            page(&path).ok_or_else(|| anyhow!("search: the page `{path}` was not rendered"))?;
        let text = std::str::from_utf8(bytes)
            .with_context(|| format!("search: the page `{path}` is not UTF-8"))?;
        html.push((urls::relative("", &article_path(&article.slug), pretty), Cow::Borrowed(text)));
    }
    Ok(Input { language: language(site), html, records: records(site) })
}

/// An index to build later, on another thread: everything Pagefind will be given, owned.
/// `dossier serve` builds the index this way, after the pages are served.
pub struct Job {
    input: Input<'static>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job").field("pages", &self.input.html.len()).finish()
    }
}

impl Job {
    /// The index of `site`, whose rendered pages `page` looks up by output path.
    pub fn new<'a>(site: &Site, page: impl Fn(&str) -> Option<&'a [u8]>) -> crate::Result<Job> {
        let Input { language, html, records } = input_from(site, page)?;
        let html =
            html.into_iter().map(|(url, text)| (url, Cow::Owned(text.into_owned()))).collect();
        Ok(Job { input: Input { language, html, records } })
    }

    /// A SHA-256 of everything the index is built from: the same key, the same index.
    pub fn key(&self) -> [u8; 32] {
        self.input.key()
    }

    /// Builds the index: its files, paths relative to the output root, sorted by path.
    pub fn run(self) -> crate::Result<Vec<(String, Vec<u8>)>> {
        run(self.input)
    }
}

/// The language the whole index is built in: the primary subtag of `config.language`, which
/// picks Pagefind's stemmer (`en-GB` → `en`).
fn language(site: &Site) -> String {
    let tag = site.config.language.as_str();
    tag.split(['-', '_']).next().unwrap_or(tag).to_ascii_lowercase()
}

/// Everything Pagefind is given, in the order it is given.
struct Input<'a> {
    language: String,
    /// (URL, HTML) of each page.
    html: Vec<(String, Cow<'a, str>)>,
    records: Vec<Record>,
}

impl Input<'_> {
    /// A SHA-256 of everything Pagefind is given, each field preceded by its length.
    fn key(&self) -> [u8; 32] {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        let mut field = |bytes: &[u8]| {
            h.update((bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        };
        let chunks = std::env::var_os("PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE");
        field(&[u8::from(chunks.is_some())]);
        field(chunks.as_ref().map_or(&b""[..], |c| c.as_encoded_bytes()));
        field(self.language.as_bytes());
        field(&(self.html.len() as u64).to_le_bytes());
        for (url, html) in &self.html {
            field(url.as_bytes());
            field(html.as_bytes());
        }
        field(&(self.records.len() as u64).to_le_bytes());
        for r in &self.records {
            field(r.url.as_bytes());
            field(r.content.as_bytes());
            field(&(r.meta.len() as u64).to_le_bytes());
            for (k, v) in &r.meta {
                field(k.as_bytes());
                field(v.as_bytes());
            }
        }
        h.finalize().into()
    }
}

/// Runs Pagefind on a runtime of its own; from inside a tokio runtime, on a thread of its own.
fn run(input: Input<'_>) -> crate::Result<Vec<(String, Vec<u8>)>> {
    std::env::current_dir().context(
        "search: the working directory no longer exists; run dossier from an existing directory",
    )?;
    let go = move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .context("search: cannot start the indexing runtime")?;
        rt.block_on(build(input))
    };
    if tokio::runtime::Handle::try_current().is_ok() {
        std::thread::scope(|s| {
            s.spawn(go).join().unwrap_or_else(|_| Err(anyhow!("search: the indexer panicked")))
        })
    } else {
        go()
    }
}

async fn build(input: Input<'_>) -> crate::Result<Vec<(String, Vec<u8>)>> {
    let config = PagefindServiceConfig::builder()
        .force_language(input.language.clone())
        .keep_index_url(true)
        .build();
    let mut pf = PagefindIndex::new(Some(config)).context("search: cannot set up Pagefind")?;
    for (url, html) in input.html {
        // One page's copy at a time: Pagefind takes it by value.
        pf.add_html_file(None, Some(url.clone()), html.into_owned())
            .await
            .with_context(|| format!("search: cannot index `{url}`"))?;
    }
    for r in input.records {
        pf.add_custom_record(
            r.url.clone(),
            r.content,
            input.language.clone(),
            Some(r.meta),
            None,
            None,
        )
        .await
        .with_context(|| format!("search: cannot index `{}`", r.url))?;
    }
    let files = pf.get_files().await.context("search: Pagefind could not build the index")?;
    let mut out: BTreeMap<String, Vec<u8>> = BTreeMap::new();
    for f in files {
        let name = f.filename.to_string_lossy().replace('\\', "/");
        if UNUSED.contains(&name.as_str()) {
            continue;
        }
        if out.insert(format!("{DIR}/{name}"), f.contents).is_some() {
            bail!("search: Pagefind produced `{name}` twice");
        }
    }
    // The generic WebAssembly is only loaded when the language has no stemmer of its own.
    let lang_wasm =
        out.keys().any(|p| p.starts_with("pagefind/wasm.") && !p.ends_with(".unknown.pagefind"));
    if lang_wasm {
        out.remove("pagefind/wasm.unknown.pagefind");
    }
    Ok(out.into_iter().collect())
}

#[cfg(test)]
mod tests {
    use std::io::Read as _;
    use std::path::PathBuf;

    use super::*;
    use crate::pipeline::{BuildOptions, build_in_memory};

    fn fixture() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic")
    }

    fn site(pretty: bool) -> Site {
        let root = fixture();
        let mut config = crate::config::Config::load(&root).unwrap();
        config.pretty_links = pretty;
        crate::content::load(&root, config, &Default::default()).unwrap().site
    }

    fn pages() -> BTreeMap<String, Vec<u8>> {
        build_in_memory(&BuildOptions { root: fixture(), ..Default::default() }).unwrap().0
    }

    /// A fragment's JSON: gzip, then Pagefind's `pagefind_dcd` marker, then the JSON.
    fn fragment(bytes: &[u8]) -> serde_json::Value {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(bytes).read_to_end(&mut raw).unwrap();
        let json = raw.strip_prefix(b"pagefind_dcd").expect("pagefind marker");
        serde_json::from_slice(json).unwrap()
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
            "Who fired first? The accounts differ; see the wire. Ministry A of Country X asserts (2 January 2020): The other side fired first. Centre B denies (January 2020): Nobody fired. Example Paper reports: Its reporter heard shots <at dawn> & left."
        );
        let m: Vec<(&str, &str)> = who.meta.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(m, [("kind", "Claim"), ("title", "Who fired first?")]);
        let shelling = &got[3];
        assert_eq!(
            shelling.content,
            "Shelling reported, at dawn. Reported by both outlets. Involved: Ministry A of Country X, Centre B."
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

    #[test]
    fn index_holds_articles_claims_and_events_once_each() {
        let site = site(false);
        let files = index(&site, &pages()).unwrap();
        let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
        assert!(paths.windows(2).all(|w| w[0] < w[1]), "sorted, no duplicates");
        assert!(paths.iter().all(|p| p.starts_with("pagefind/")));
        for wanted in
            ["pagefind/pagefind.js", "pagefind/pagefind-worker.js", "pagefind/wasm.en.pagefind"]
        {
            assert!(paths.contains(&wanted), "{wanted} missing from {paths:?}");
        }
        for unused in ["pagefind/pagefind-ui.js", "pagefind/wasm.unknown.pagefind"] {
            assert!(!paths.contains(&unused), "{unused} should be left out");
        }
        let entry: serde_json::Value = serde_json::from_slice(
            &files.iter().find(|(p, _)| p == "pagefind/pagefind-entry.json").unwrap().1,
        )
        .unwrap();
        assert_eq!(entry["languages"]["en"]["page_count"], 3 + 2 + 3, "{entry}");

        let frags: BTreeMap<String, serde_json::Value> = files
            .iter()
            .filter(|(p, _)| p.ends_with(".pf_fragment"))
            .map(|(_, b)| fragment(b))
            .map(|f| (f["url"].as_str().unwrap().to_string(), f))
            .collect();
        let urls: Vec<&str> = frags.keys().map(String::as_str).collect();
        assert_eq!(
            urls,
            [
                "articles/2020-01-01-paper-full-text/index.html",
                "articles/2020-01-02-paper-copy/index.html",
                "articles/2020-01-02-wire-report/index.html",
                "dispute/index.html#claim-ceasefire",
                "dispute/index.html#claim-who-fired",
                "timeline/index.html#event-shelling",
                "timeline/index.html#event-statement",
                "timeline/index.html#event-talks",
            ]
        );
        let wire = &frags["articles/2020-01-02-wire-report/index.html"];
        assert_eq!(wire["meta"]["title"], "Wire says \"things happened\"");
        assert_eq!(wire["meta"]["outlet"], "Example Wire");
        assert_eq!(wire["meta"]["date"], "2 January 2020");
        assert_eq!(wire["meta"]["kind"], "Article");
        let content = wire["content"].as_str().unwrap();
        assert!(content.contains("A synthetic photo."), "{content}");
        for left_out in ["Record", "Original address", "Other coverage"] {
            assert!(!content.contains(left_out), "{left_out:?} indexed: {content}");
        }
        let copy = &frags["articles/2020-01-02-paper-copy/index.html"];
        assert_eq!(copy["meta"]["title"], "Headline not recorded (Example Paper)");
        assert!(copy["meta"].get("date").is_none(), "an unknown date stays unknown: {copy}");
    }

    #[test]
    fn index_is_the_same_bytes_every_time_even_inside_a_runtime() {
        let site = site(false);
        let pages = pages();
        let first = index(&site, &pages).unwrap();
        let second = index(&site, &pages).unwrap();
        assert_eq!(first, second);
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let third = rt.block_on(async { index(&site, &pages) }).unwrap();
        assert_eq!(first, third);
    }

    #[test]
    fn a_missing_page_is_named() {
        let site = site(false);
        let mut pages = pages();
        pages.remove("articles/2020-01-02-wire-report/index.html");
        let err = index(&site, &pages).unwrap_err();
        assert_eq!(
            err.to_string(),
            "search: the page `articles/2020-01-02-wire-report/index.html` was not rendered"
        );
    }
}
