//! Loading `content/`: the only place that reads content files.
//!
//! The walk is sorted, so everything downstream sees the same order on every machine. Files are
//! read and parsed in parallel, then cross-checked in one pass: duplicate slugs, dangling ids
//! ([`super::refs`]), term spellings, image files. Every problem found is collected, so one run
//! reports them all.
//!
//! Parsing is a pure function of a file's path and text, so [`load_cached`] remembers each
//! file's text and what parsing it gave (the document, or its errors) in a [`ParseCache`]: a
//! later load re-reads every file (cheap) but parses only those whose bytes differ, and redoes
//! the cross-checks (also cheap) on the whole set. An entry is valid whatever happened to the
//! build it was made in, so a failed load leaves the cache consistent.
//!
//! One file of some 650 lines because it is the only reader of content files: the walk, the
//! parse cache and the cross-check pass share one sorted file list, and most checks already
//! live in [`super::refs`] and `cross_checks`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::Site;
use super::actor::Actor;
use super::article::{self, Article};
use super::claim::Claim;
use super::cross_checks::{build_taxonomies, check_images, check_slugs, untranslated_headlines};
use super::document::slug_of;
use super::outlet::Outlet;
use super::page::{IndexPage, Page, RESERVED_SLUGS};
use super::refs::{self, Links, Unparsed};
use super::timeline::Timeline;
use crate::config::Config;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::fs::{decode_text, display_path, is_ignored_name};

/// What the loader should include.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Include articles and pages marked `draft: true`.
    pub drafts: bool,
    /// Stops the load early (it then fails with no diagnostics: the caller knows why).
    pub cancel: Option<crate::cancel::Cancel>,
}

impl LoadOptions {
    fn cancelled(&self) -> bool {
        self.cancel.as_ref().is_some_and(crate::cancel::Cancel::is_cancelled)
    }
}

/// A loaded site, with the warnings found on the way.
#[derive(Debug)]
pub struct Loaded {
    /// The site.
    pub site: Site,
    /// Problems that do not stop the build.
    pub warnings: Vec<Diagnostic>,
}

/// What a path under `content/` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Index,
    Article,
    Outlet,
    Actor,
    Claim,
    Timeline,
    Page,
    /// A file in `content/captures/` ([`super::capture`]): not parsed, published as it is.
    Capture,
    Ignored,
    Unexpected,
}

/// Classifies a path relative to `content/` (with `/` separators).
fn classify(rel: &str) -> Class {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if is_ignored_name(name) {
        return Class::Ignored;
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e);
    match (rel.split_once('/'), ext) {
        (None, _) if rel == "_index.md" => Class::Index,
        (None, _) if rel == "timeline.yaml" || rel == "timeline.yml" => Class::Timeline,
        (Some(("actors", rest)), Some("yaml" | "yml")) if !rest.contains('/') => Class::Actor,
        (Some(("claims", rest)), Some("yaml" | "yml")) if !rest.contains('/') => Class::Claim,
        (Some(("articles", _)), Some("md")) => Class::Article,
        (Some(("outlets", rest)), Some("yaml" | "yml")) if !rest.contains('/') => Class::Outlet,
        (Some(("pages", rest)), Some("md")) if !rest.contains('/') => Class::Page,
        (Some((super::capture::CAPTURES, rest)), _) if !rest.contains('/') => Class::Capture,
        _ => Class::Unexpected,
    }
}

/// What parsing one file gives: the document, or its errors.
type ParseResult = Result<Parsed, Vec<Diagnostic>>;

#[derive(Clone)]
enum Parsed {
    Index(Box<IndexPage>),
    Article(Box<Article>),
    Outlet(Box<Outlet>),
    Actor(Box<Actor>),
    Claim(Box<Claim>),
    Timeline(Box<Timeline>),
    Page(Box<Page>),
}

/// What parsing each content file gave, keyed by path and remembered with the text it was
/// parsed from. See [`load_cached`].
#[derive(Default)]
pub struct ParseCache {
    entries: BTreeMap<PathBuf, Entry>,
    parsed: Vec<String>,
    /// Files said to have changed: read again even when their metadata is the same.
    changed: std::collections::BTreeSet<PathBuf>,
    /// Each capture's SHA-256, with the size and modification time it was hashed at.
    capture_hashes: BTreeMap<PathBuf, (u64, Option<std::time::SystemTime>, String)>,
}

/// One remembered parse: the class and text it was made from, the file's metadata when it was
/// read, and the result.
struct Entry {
    class: Class,
    shown: String,
    text: String,
    stamp: Option<Stamp>,
    result: ParseResult,
}

/// What tells a file's bytes changed without reading them: its size, modification time and
/// inode. A file whose stamp is unchanged is taken as unchanged, unless it is named in
/// [`ParseCache::hint`] or was modified less than [`SETTLED`] before it was stamped: a file
/// system records times in ticks of a few milliseconds, so two writes of the same size in one
/// tick look alike (git's "racy clean" files); such a file is read again and compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: std::time::SystemTime,
    inode: u64,
}

/// How long before it was stamped a file must have been modified for its stamp to be trusted.
const SETTLED: std::time::Duration = std::time::Duration::from_secs(2);

impl Stamp {
    /// The file's stamp, if it can be trusted to tell a later change.
    fn of(path: &Path) -> Option<Stamp> {
        use std::os::unix::fs::MetadataExt;
        let m = std::fs::metadata(path).ok()?;
        let modified = m.modified().ok()?;
        let settled =
            std::time::SystemTime::now().duration_since(modified).is_ok_and(|age| age >= SETTLED);
        settled.then_some(Stamp { len: m.len(), modified, inode: m.ino() })
    }
}

impl std::fmt::Debug for ParseCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ParseCache")
            .field("files", &self.entries.len())
            .field("parsed", &self.parsed)
            .finish()
    }
}

impl ParseCache {
    /// The files (as shown in messages, `content/articles/x.md`) the last load parsed rather
    /// than took from the cache, sorted.
    pub fn parsed(&self) -> &[String] {
        &self.parsed
    }

    /// Names files that changed (as a watcher reports them): the next load reads them again
    /// even if their size and modification time look the same. Other files are read again
    /// only when those differ.
    pub fn hint(&mut self, changed: &[PathBuf]) {
        self.changed.extend(changed.iter().cloned());
    }
}

/// Reads and checks the whole of `content/` (plus the static file list).
pub fn load(root: &Path, config: Config, options: &LoadOptions) -> Result<Loaded, Diagnostics> {
    load_cached(root, config, options, None)
}

/// [`load`], parsing only the files whose path or text is not in `cache`, and leaving in the
/// cache exactly the files of this load. Without a cache, every file is parsed and nothing is
/// kept.
pub fn load_cached(
    root: &Path,
    config: Config,
    options: &LoadOptions,
    cache: Option<&mut ParseCache>,
) -> Result<Loaded, Diagnostics> {
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        return Err(Diagnostics(vec![
            Diagnostic::error(
                "content",
                "the content/ directory \
            is missing",
            )
            .help(
                "create content/_index.md (the front page) and content/articles/ with one .md file \
                per article",
            ),
        ]));
    }
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let mut captures = Vec::new();
    let files = walk(root, &content_dir, &mut errors, &mut warnings, &mut captures);
    if files.is_empty() && errors.is_empty() {
        return Err(Diagnostics(
            vec![Diagnostic::error("content", "the content/ directory is empty").help(
            "create content/_index.md (the front page) and content/articles/ with one .md file per \
                article, or run `dossier init` in a new directory for a starting point",
        )],
        ));
    }

    let mut cache = cache;
    let parsed = parse_all(&files, cache.as_deref_mut(), options);
    if options.cancelled() {
        return Err(Diagnostics(Vec::new()));
    }

    let mut index = None;
    let mut articles = Vec::new();
    let mut outlets = BTreeMap::new();
    let mut actors: BTreeMap<String, Actor> = BTreeMap::new();
    let mut claims = Vec::new();
    let mut timeline = Timeline::default();
    let mut pages = Vec::new();
    let mut unparsed = Unparsed::default();
    for ((class, _, shown), result) in files.iter().zip(parsed) {
        match result {
            Err(mut e) => {
                errors.append(&mut e);
                let ids = match class {
                    Class::Article => &mut unparsed.articles,
                    Class::Outlet => &mut unparsed.outlets,
                    Class::Actor => &mut unparsed.actors,
                    _ => continue,
                };
                ids.insert(slug_of(shown));
            }
            Ok(Parsed::Index(p)) => index = Some(*p),
            Ok(Parsed::Article(a)) if a.meta.draft && !options.drafts => {}
            Ok(Parsed::Article(a)) => articles.push(*a),
            Ok(Parsed::Outlet(o)) => {
                insert_once("outlet", &mut outlets, o.id.clone(), *o, |o| &o.source, &mut errors);
            }
            Ok(Parsed::Actor(a)) => {
                insert_once("actor", &mut actors, a.id.clone(), *a, |a| &a.source, &mut errors);
            }
            Ok(Parsed::Claim(c)) => claims.push(*c),
            Ok(Parsed::Timeline(t)) => {
                if !timeline.source.is_empty() {
                    errors.push(
                        Diagnostic::error(
                            &t.source,
                            format!(
                                "a second timeline file; {} is already the timeline",
                                timeline.source
                            ),
                        )
                        .help("keep one of content/timeline.yaml and content/timeline.yml"),
                    );
                }
                timeline = *t;
            }
            Ok(Parsed::Page(p)) if p.meta.draft && !options.drafts => {}
            Ok(Parsed::Page(p)) => pages.push(*p),
        }
    }

    let Some(index) = index else {
        errors.push(Diagnostic::error("content/_index.md", "the front page file is missing").help(
            "create content/_index.md with a `title:` and `lede:` between `---` lines, then the \
                overview text",
        ));
        return Err(Diagnostics::sorted(errors));
    };

    check_slugs(&articles, &pages, &mut errors);
    errors.extend(refs::check(&index, &articles, &outlets, &actors, &claims, &timeline, &unparsed));
    if errors.is_empty() {
        errors.extend(super::verify::apply(super::verify::Model {
            articles: &articles,
            outlets: &mut outlets,
            actors: &mut actors,
            claims: &mut claims,
            timeline: &mut timeline,
        }));
    }
    warnings.extend(untranslated_headlines(&config, &articles));
    let mut static_files = crate::theme::static_files(root).map_err(|e| Diagnostics(vec![e]))?;
    crate::theme::load_assets(&mut static_files, config.fingerprint_assets)
        .map_err(|e| Diagnostics(vec![e]))?;
    check_images(&articles, &static_files, &mut errors);
    let mut one_off = BTreeMap::new();
    let hashes = cache.map_or(&mut one_off, |c| &mut c.capture_hashes);
    errors.extend(super::capture::check(&articles, &captures, &mut |c| {
        capture_hash(hashes, &c.path)
    }));
    hashes.retain(|p, _| captures.iter().any(|c| &c.path == p));
    static_files.extend(super::capture::static_files(&captures));
    static_files.sort_by(|a, b| a.path.cmp(&b.path));

    articles.sort_by(|a, b| {
        b.meta
            .published
            .sort_key()
            .cmp(&a.meta.published.sort_key())
            .then_with(|| a.slug.cmp(&b.slug))
    });
    pages.sort_by(|a, b| a.slug.cmp(&b.slug));
    claims.sort_by(|a, b| (a.meta.order, &a.id).cmp(&(b.meta.order, &b.id)));
    let taxonomies = build_taxonomies(&config, &articles, &mut errors);

    if articles.is_empty() && errors.is_empty() {
        warnings.push(Diagnostic::warning("content/articles", "the dossier has no articles yet"));
    }
    if !errors.is_empty() {
        return Err(Diagnostics::sorted(errors));
    }
    let links = Links::build(&articles, &claims, &timeline);
    let site = Site {
        config,
        index,
        articles,
        outlets,
        actors,
        claims,
        timeline,
        links,
        pages,
        taxonomies,
        static_files,
    };
    Ok(Loaded { site, warnings })
}

/// The sorted list of content files to parse, with their classes.
fn walk(
    root: &Path,
    content_dir: &Path,
    errors: &mut Vec<Diagnostic>,
    warnings: &mut Vec<Diagnostic>,
    captures: &mut Vec<super::capture::CaptureFile>,
) -> Vec<(Class, PathBuf, String)> {
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(content_dir).sort_by_file_name().into_iter();
    let walker = walker
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let shown =
                    e.path().map_or_else(|| "content".to_string(), |p| display_path(root, p));
                errors.push(Diagnostic::error(shown, format!("cannot read: {e}")));
                continue;
            }
        };
        let shown = display_path(root, entry.path());
        if entry.path_is_symlink() {
            errors.push(Diagnostic::error(&shown, "is a symbolic link; dossier does not follow \
                links in content/").help(
                "replace the link with the file or directory itself, so the dossier is complete \
                    on its own",
            ));
            continue;
        }
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = display_path(content_dir, entry.path());
        match classify(&rel) {
            Class::Ignored => {}
            Class::Capture => captures.push(super::capture::CaptureFile {
                name: rel,
                path: entry.into_path(),
                shown,
            }),
            Class::Unexpected => warnings.push(Diagnostic::warning(&shown, "ignored: not a part of \
                the dossier").help(
                "articles go in content/articles/*.md, outlets in content/outlets/*.yaml, actors \
                    in content/actors/*.yaml, claims in content/claims/*.yaml, events in \
                    content/timeline.yaml, pages in content/pages/*.md",
            )),
            class => files.push((class, entry.into_path(), shown)),
        }
    }
    files
}

/// Reads every file and parses those `cache` does not hold with the same text; updates the cache
/// (dropping files that are gone) and its list of parsed files.
fn parse_all(
    files: &[(Class, PathBuf, String)],
    cache: Option<&mut ParseCache>,
    options: &LoadOptions,
) -> Vec<ParseResult> {
    let Some(cache) = cache else {
        return files
            .par_iter()
            .map(|(class, path, shown)| {
                if options.cancelled() {
                    return Err(Vec::new());
                }
                let (text, sha256) = read_text(path, shown).map_err(|d| vec![d])?;
                let mut parsed = parse_text(*class, shown, text, sha256);
                // A build without caches renders a report's page once: its body is read again
                // then, not held by the model until then. A full-text article keeps its body
                // (the data files carry its hash, the feeds its text).
                if let Ok(Parsed::Article(a)) = &mut parsed
                    && a.meta.kind != super::Kind::FullText
                {
                    a.release_body(path.clone());
                }
                parsed
            })
            .collect();
    };
    let entries = &cache.entries;
    let changed = std::mem::take(&mut cache.changed);
    let results: Vec<(ParseResult, Option<(Entry, bool)>)> = files
        .par_iter()
        .map(|(class, path, shown)| {
            if options.cancelled() {
                return (Err(Vec::new()), None);
            }
            let stamp = Stamp::of(path);
            let named = changed.iter().any(|c| c.ends_with(shown.as_str()));
            if let Some(e) = entries.get(path)
                && stamp.is_some()
                && e.stamp == stamp
                && e.class == *class
                && e.shown == *shown
                && !named
            {
                return (e.result.clone(), None);
            }
            let (text, sha256) = match read_text(path, shown) {
                Ok(read) => read,
                Err(d) => return (Err(vec![d]), None),
            };
            match entries.get(path) {
                Some(e) if e.class == *class && e.shown == *shown && e.text == text => {
                    // The same bytes: a new stamp, the same parse.
                    let entry = Entry {
                        class: e.class,
                        shown: e.shown.clone(),
                        text: text.clone(),
                        stamp,
                        result: e.result.clone(),
                    };
                    (e.result.clone(), Some((entry, false)))
                }
                _ => {
                    let result = parse_text(*class, shown, text.clone(), sha256);
                    let entry = Entry {
                        class: *class,
                        shown: shown.clone(),
                        text,
                        stamp,
                        result: result.clone(),
                    };
                    (result, Some((entry, true)))
                }
            }
        })
        .collect();
    let mut kept: BTreeMap<PathBuf, Entry> = BTreeMap::new();
    let mut old = std::mem::take(&mut cache.entries);
    cache.parsed.clear();
    let mut out = Vec::with_capacity(results.len());
    for ((_, path, shown), (result, fresh)) in files.iter().zip(results) {
        match fresh {
            Some((entry, parsed)) => {
                if parsed {
                    cache.parsed.push(shown.clone());
                }
                kept.insert(path.clone(), entry);
            }
            None => {
                if let Some(entry) = old.remove(path) {
                    kept.insert(path.clone(), entry);
                }
            }
        }
        out.push(result);
    }
    cache.entries = kept;
    cache.parsed.sort();
    out
}

/// The largest content file dossier reads: 16 MiB, thousands of times the longest full-text
/// article in the dossier. A larger file is refused before it is read, so that one runaway file
/// (a pasted archive, a binary renamed `.md`) cannot take the build's memory and time.
pub const MAX_CONTENT_FILE: u64 = 16 << 20;

/// A content file's text (UTF-8, without a byte-order mark) and the SHA-256 of its bytes.
pub(super) fn read_text(path: &Path, shown: &str) -> Result<(String, String), Diagnostic> {
    let bytes = read_content(path, shown)?;
    let sha256 = crate::hash::sha256_hex(&bytes);
    Ok((decode_text(bytes, shown)?, sha256))
}

/// Reads a content file of at most [`MAX_CONTENT_FILE`] bytes.
fn read_content(path: &Path, shown: &str) -> Result<Vec<u8>, Diagnostic> {
    use std::io::Read;
    let cannot = |e: std::io::Error| Diagnostic::error(shown, format!("cannot read the file: {e}"));
    let file = std::fs::File::open(path).map_err(cannot)?;
    // Sized to the file: `take` hides the size from `read_to_end`, which would otherwise double
    // its buffer as it reads (a 4 KB article in an 8 KB buffer, kept with the text for the
    // whole build: 400 MB at 100,000 articles).
    let size = file.metadata().map_or(0, |m| m.len()).min(MAX_CONTENT_FILE + 1);
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // Reading one byte past the limit tells a file at the limit from a larger one, even when the
    // file grows while it is read.
    file.take(MAX_CONTENT_FILE + 1).read_to_end(&mut bytes).map_err(cannot)?;
    if bytes.len() as u64 > MAX_CONTENT_FILE {
        let size = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
        return Err(Diagnostic::error(
            shown,
            format!(
                "the file is {:.1} MiB; a content file may be at most {} MiB",
                size as f64 / f64::from(1 << 20),
                MAX_CONTENT_FILE >> 20
            ),
        )
        .help(
            "split it into several articles or pages, or keep the full text elsewhere and \
            link to it",
        ));
    }
    Ok(bytes)
}

/// Reads and parses one article file, `shown` being its path from the dossier root with `/`
/// separators (`content/articles/x.md`), exactly as [`load`] does. Only the file's own checks
/// run; the cross-checks of the whole set (references, slugs) are [`load`]'s.
pub(crate) fn parse_article(root: &Path, shown: &str) -> Result<Article, Vec<Diagnostic>> {
    let bytes = read_content(&root.join(shown), shown).map_err(|d| vec![d])?;
    parse_article_bytes(shown, bytes)
}

/// Parses the bytes of an article file shown as `shown` (`content/articles/x.md`), exactly as
/// [`load`] does: UTF-8 decoding, front matter, the article's own checks. A pure function, so
/// the fuzz targets (`fuzz/`) and property tests call it directly.
pub fn parse_article_bytes(shown: &str, bytes: Vec<u8>) -> Result<Article, Vec<Diagnostic>> {
    let sha256 = crate::hash::sha256_hex(&bytes);
    let text = decode_text(bytes, shown).map_err(|d| vec![d])?;
    match parse_text(Class::Article, shown, text, sha256)? {
        Parsed::Article(a) => Ok(*a),
        _ => Err(vec![Diagnostic::error(shown, "not an article")]),
    }
}

/// Parses one file's text; `sha256` is the hash of its bytes on disk (the provenance shown on
/// article pages).
fn parse_text(class: Class, shown: &str, text: String, sha256: String) -> ParseResult {
    match class {
        Class::Index => {
            IndexPage::parse(shown, text).map(|p| Parsed::Index(Box::new(p))).map_err(|d| vec![d])
        }
        Class::Article => {
            let mut a = Article::parse(shown, text).map_err(|d| vec![d])?;
            a.source_sha256 = sha256;
            let errors = article::validate(&a);
            if errors.is_empty() { Ok(Parsed::Article(Box::new(a))) } else { Err(errors) }
        }
        Class::Outlet => {
            let id = slug_of(shown);
            Outlet::parse(id, shown, &text).map(|o| Parsed::Outlet(Box::new(o)))
        }
        Class::Actor => {
            Actor::parse(slug_of(shown), shown, text).map(|a| Parsed::Actor(Box::new(a)))
        }
        Class::Claim => {
            Claim::parse(slug_of(shown), shown, text).map(|c| Parsed::Claim(Box::new(c)))
        }
        Class::Timeline => Timeline::parse(shown, text).map(|t| Parsed::Timeline(Box::new(t))),
        Class::Page => {
            let p = Page::parse(shown, text).map_err(|d| vec![d])?;
            if RESERVED_SLUGS.contains(&p.slug.as_str()) {
                return Err(vec![
                    Diagnostic::error(
                        shown,
                        format!(
                            "the page slug `{}` is reserved for the dossier's own pages",
                            p.slug
                        ),
                    )
                    .help("rename the file, e.g. to `about-the-sources.md`"),
                ]);
            }
            Ok(Parsed::Page(Box::new(p)))
        }
        Class::Capture | Class::Ignored | Class::Unexpected => unreachable!("filtered out by walk"),
    }
}

/// A capture's SHA-256, hashed again only when its size or modification time changed (a
/// capture may be hundreds of megabytes, and `dossier serve` reloads on every save).
fn capture_hash(
    hashes: &mut BTreeMap<PathBuf, (u64, Option<std::time::SystemTime>, String)>,
    path: &Path,
) -> Result<String, String> {
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    let stamp = (meta.len(), meta.modified().ok());
    if let Some((len, modified, hash)) = hashes.get(path)
        && (*len, *modified) == stamp
        && stamp.1.is_some()
    {
        return Ok(hash.clone());
    }
    let hash = crate::hash::sha256_file(path).map_err(|e| e.to_string())?;
    hashes.insert(path.to_path_buf(), (stamp.0, stamp.1, hash.clone()));
    Ok(hash)
}

/// Files `item` (an outlet or an actor, `kind`) under `id`. A second file with the same id is an
/// error at that file, naming the first; the later one is kept.
fn insert_once<T>(
    kind: &str,
    map: &mut BTreeMap<String, T>,
    id: String,
    item: T,
    source: fn(&T) -> &String,
    errors: &mut Vec<Diagnostic>,
) {
    if let Some(prev) = map.insert(id.clone(), item) {
        errors.push(
            Diagnostic::error(
                source(&map[&id]),
                format!("the {kind} id `{id}` is already used by {}", source(&prev)),
            )
            .help(format!(
                "each {kind} needs its own file name; merge the two files or rename one"
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_paths() {
        assert_eq!(classify("_index.md"), Class::Index);
        assert_eq!(classify("articles/a.md"), Class::Article);
        assert_eq!(classify("articles/2019/a.md"), Class::Article);
        assert_eq!(classify("outlets/presstv.yaml"), Class::Outlet);
        assert_eq!(classify("outlets/presstv.yml"), Class::Outlet);
        assert_eq!(classify("pages/about.md"), Class::Page);
        assert_eq!(classify("articles/.a.md.swp"), Class::Ignored);
        assert_eq!(classify("articles/notes.txt"), Class::Unexpected);
        assert_eq!(classify("outlets/x/y.yaml"), Class::Unexpected);
        assert_eq!(classify("other.md"), Class::Unexpected);
        assert_eq!(classify("captures/sha256-ab.warc.gz"), Class::Capture);
        assert_eq!(classify("captures/x/y.warc"), Class::Unexpected);
    }
}
