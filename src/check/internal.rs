//! The checks that need no network, over the whole built site: each page's links resolved and
//! looked up among the built files and their anchors, images' `alt` text, and a breadth-first
//! walk from `index.html` for the pages nothing reaches. Pure: files in, [`Report`] out.
//!
//! Parsing the pages and resolving their links is most of the work; the cross-page pass is
//! cheap. [`internal_cached`] keeps each page's extracted links and where each leads in a
//! [`LinkCache`] by a SHA-256 of its bytes (and the `base_url` they were resolved with), so a
//! rebuild parses only the pages whose bytes changed, then looks every target up again.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::sync::Arc;

use sha2::{Digest, Sha256};

use rayon::prelude::*;

use super::html::{self, PageLinks};
use super::resolve::{self, Target};
use super::{Finding, Kind, Report};
use crate::diagnostics::{Diagnostic, Severity};
use crate::render::urls::relative;

/// Runs the internal checks over a built site and returns their errors as [`Diagnostic`]s
/// (empty when the site is sound). `origin` names a page's source, as in [`internal`]. This is
/// what `dossier build` calls to fail on a broken internal link.
pub fn build_errors(
    files: &BTreeMap<String, Vec<u8>>,
    origin: &dyn Fn(&str) -> Option<String>,
    base_url: &str,
) -> Vec<Diagnostic> {
    internal(files, origin, base_url).errors().0
}

/// Checks a built site without touching the network: every internal link and `#fragment`,
/// links leaving the site, images' `alt` text and reachability from `index.html`; and files
/// every external link by domain.
///
/// `files` maps output paths (`articles/x/index.html`, `/`-separated, relative to the output
/// root) to their bytes. `origin(page)` names the source of an output page
/// (`content/articles/x.md`), or `None` when unknown. `base_url` is where the site is published
/// (`https://example.org/idlib-dossier/`, or `/` when unknown): absolute links under it (the
/// canonical link, feeds) are the site's own and checked as internal ones, and the 404 page,
/// which a host shows at any address, may link root-relatively under its path.
pub fn internal(
    files: &BTreeMap<String, Vec<u8>>,
    origin: &dyn Fn(&str) -> Option<String>,
    base_url: &str,
) -> Report {
    internal_cached(files, origin, base_url, &mut LinkCache::off())
}

/// What each HTML page of earlier builds holds for the checker, by output path, with a SHA-256
/// of the bytes it was extracted from. See [`internal_cached`].
#[derive(Default)]
pub struct LinkCache {
    base_url: String,
    pages: BTreeMap<String, ([u8; 32], Arc<Extracted>)>,
    parsed: usize,
    /// Keeps nothing (a one-off build): no page is hashed or remembered.
    off: bool,
}

impl LinkCache {
    /// A cache that keeps nothing, for a build whose caches are thrown away after it.
    pub fn off() -> Self {
        LinkCache { off: true, ..LinkCache::default() }
    }
}

/// A page's links, anchors and images, and where each link leads.
struct Extracted {
    links: PageLinks,
    targets: Vec<Target>,
}

impl Extracted {
    fn new(page: &str, bytes: &[u8], base_url: &str) -> Extracted {
        let links = html::extract(&String::from_utf8_lossy(bytes));
        let targets = links.links.iter().map(|l| target(page, &l.href, base_url)).collect();
        Extracted { links, targets }
    }
}

impl std::fmt::Debug for LinkCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LinkCache")
            .field("pages", &self.pages.len())
            .field("parsed", &self.parsed)
            .finish()
    }
}

impl LinkCache {
    /// How many pages the last check parsed (the others' links came from the cache).
    pub fn parsed(&self) -> usize {
        self.parsed
    }
}

/// [`internal`], parsing only the pages whose bytes `cache` has not seen at their path; leaves
/// in the cache exactly the pages of `files`.
pub fn internal_cached(
    files: &BTreeMap<String, Vec<u8>>,
    origin: &dyn Fn(&str) -> Option<String>,
    base_url: &str,
    cache: &mut LinkCache,
) -> Report {
    if cache.base_url != base_url {
        cache.pages.clear();
        cache.base_url = base_url.to_string();
    }
    let old = &cache.pages;
    let extracted: Vec<(&str, [u8; 32], Arc<Extracted>, bool)> = files
        .par_iter()
        .filter(|(path, _)| is_html(path))
        .map(|(path, bytes)| {
            let hash: [u8; 32] = if cache.off { [0; 32] } else { Sha256::digest(bytes).into() };
            match old.get(path).filter(|(h, _)| *h == hash) {
                Some((_, page)) => (path.as_str(), hash, Arc::clone(page), false),
                None => {
                    let page = Extracted::new(path, bytes, base_url);
                    (path.as_str(), hash, Arc::new(page), true)
                }
            }
        })
        .collect();
    cache.parsed = extracted.iter().filter(|e| e.3).count();
    if !cache.off {
        cache.pages = extracted
            .iter()
            .map(|(path, hash, links, _)| (path.to_string(), (*hash, Arc::clone(links))))
            .collect();
    }
    let pages: BTreeMap<&str, Arc<Extracted>> =
        extracted.into_iter().map(|(path, _, page, _)| (path, page)).collect();
    let mut report = Report {
        pages: pages.len(),
        files: files.len(),
        built: true,
        origins: pages.keys().filter_map(|p| origin(p).map(|o| (p.to_string(), o))).collect(),
        ..Report::default()
    };
    let mut edges: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (page, extracted) in &pages {
        let out = edges.entry(page).or_default();
        for (link, resolved) in extracted.links.links.iter().zip(&extracted.targets) {
            if let Some(target) = check_link(&mut report, files, &pages, page, link, resolved) {
                out.insert(target);
            }
        }
        check_images(&mut report, page, &extracted.links);
    }
    for page in unreachable(&pages, &edges) {
        report.findings.push(
            Finding::on_page(
                Severity::Warning,
                Kind::Unreachable,
                page,
                format!("no chain of links from the front page reaches `{page}`"),
            )
            .help(
                "link to it from another page (a page with `menu: true` is in the navigation), \
                 or remove it",
            ),
        );
    }
    for finding in &mut report.findings {
        finding.origin = finding.page.as_ref().and_then(|p| report.origins.get(p)).cloned();
    }
    report.sort();
    report
}

/// The page a host shows for a missing address.
const NOT_FOUND: &str = "404.html";

fn is_html(path: &str) -> bool {
    path.ends_with(".html") || path.ends_with(".htm")
}

/// Where `href`, written in `page`, leads. A link to the site's own address, and a
/// root-relative link on the 404 page (which sits at the top of the site), read as links
/// relative to the top of the site.
fn target(page: &str, href: &str, base_url: &str) -> Target {
    let root = crate::config::url_path(base_url);
    let own = href.strip_prefix(base_url).filter(|_| base_url.contains("://"));
    let not_found = href.strip_prefix(root).filter(|_| page == NOT_FOUND && root.starts_with('/'));
    match own.or(not_found) {
        Some(rest) => resolve::resolve(NOT_FOUND, rest),
        None => resolve::resolve(page, href),
    }
}

/// Checks one link, which leads to `resolved`; returns the output path it leads to, when it is
/// an existing internal file.
fn check_link(
    report: &mut Report,
    files: &BTreeMap<String, Vec<u8>>,
    pages: &BTreeMap<&str, Arc<Extracted>>,
    page: &str,
    link: &html::Link,
    resolved: &Target,
) -> Option<String> {
    let error = |kind, message| Finding::on_page(Severity::Error, kind, page, message).link(link);
    let href = &link.href;
    match resolved.clone() {
        Target::Internal { path, fragment } => {
            report.internal_links += 1;
            if !files.contains_key(&path) {
                let f = error(
                    Kind::BrokenLink,
                    format!("broken link `{href}`: no file `{path}` was built"),
                );
                report.findings.push(f.help(broken_help(files, page, &path)));
                return None;
            }
            let fragment = fragment.filter(|f| !f.is_empty() && !f.eq_ignore_ascii_case("top"));
            if let Some((message, help)) =
                fragment.and_then(|frag| anchor_problem(pages, page, &path, &frag))
            {
                let mut f = error(Kind::MissingAnchor, message).help(help);
                f.target = Some(path.clone());
                report.findings.push(f);
            }
            Some(path)
        }
        Target::External(url) => {
            add_external(report, page, link, url);
            None
        }
        Target::ProtocolRelative(url) => {
            report.findings.push(
                Finding::on_page(
                    Severity::Warning,
                    Kind::ProtocolRelative,
                    page,
                    format!("protocol-relative link `{href}` becomes a `file://` address when the dossier is opened from disk"),
                )
                .link(link)
                .help(format!("write the scheme: `{url}`")),
            );
            add_external(report, page, link, url);
            None
        }
        Target::RootRelative => {
            let inside = href.trim_start_matches(['/', '\\']);
            let fix = match resolve::resolve("index.html", inside) {
                Target::Internal { path, .. } if files.contains_key(&path) => {
                    let rel = relative(page, &format!("{path}{}", suffix(inside)), false);
                    format!("from this page, write `{rel}`")
                }
                _ => "make it relative".to_string(),
            };
            report.findings.push(
                error(
                    Kind::OutsideSite,
                    format!("root-relative link `{href}` leads outside the dossier when it is served from a subpath, opened from disk or archived"),
                )
                .help(format!("{fix} (in Markdown link content files as `@/articles/<file>.md`; in templates use `rel_url(path=…)`)")),
            );
            None
        }
        Target::AboveRoot => {
            report.findings.push(
                error(Kind::OutsideSite, format!("`{href}` climbs above the dossier's root directory"))
                    .help("remove the extra `../`, or link to the outside page with its full `https://` address"),
            );
            None
        }
        Target::Invalid(reason) => {
            report.findings.push(
                error(Kind::InvalidLink, format!("`{href}` is not a valid URL: {reason}"))
                    .help("percent-encode spaces and brackets, or fix the address"),
            );
            None
        }
        Target::Other(_) => None,
    }
}

/// The `#fragment` and `?query` part of a URL, if any.
fn suffix(href: &str) -> &str {
    href.find(['#', '?']).map_or("", |i| &href[i..])
}

fn add_external(report: &mut Report, page: &str, link: &html::Link, url: url::Url) {
    report.external_links += 1;
    let mut url = url;
    url.set_fragment(None);
    let entry = report
        .external
        .entry(resolve::domain(&url))
        .or_default()
        .entry(url.to_string())
        .or_default();
    entry.pages.entry(page.to_string()).or_insert_with(|| link.text.clone());
}

/// How to fix a link to `path`, which was not built.
fn broken_help<'a>(files: &'a BTreeMap<String, Vec<u8>>, page: &str, path: &'a str) -> String {
    let as_dir = format!("{}/index.html", path.trim_end_matches('/'));
    let suggestion = if files.contains_key(&as_dir) {
        Some(as_dir.as_str())
    } else {
        // Compare what tells pages apart: `articles/x/`, not the `index.html` they all end in.
        let key = |p: &'a str| p.strip_suffix("index.html").unwrap_or(p);
        let candidates = files.keys().map(String::as_str).filter(|k| k.ends_with(ext(path)));
        let by_key: BTreeMap<&str, &str> = candidates.map(|c| (key(c), c)).collect();
        closest(key(path), by_key.keys().copied()).and_then(|k| by_key.get(k).copied())
    };
    match suggestion {
        Some(s) => {
            format!("did you mean `{s}`? From this page that is `{}`", relative(page, s, false))
        }
        None => "link to a file that is built; in Markdown, link to content files as \
                 `@/articles/<file>.md` so the build checks them"
            .to_string(),
    }
}

/// The candidate closest to `unknown`, if it is close enough to be a likely typo. Stricter than
/// [`crate::diagnostics::did_you_mean`]: paths share long prefixes and suffixes, which
/// Jaro-Winkler rewards, so this asks for an edit distance under 30% of the length.
fn closest<'a>(unknown: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(unknown, c), c))
        .filter(|(score, _)| *score >= 0.7)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// The file extension of a path, with its dot (`.html`), or `""`.
fn ext(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rfind('.').map_or("", |i| &name[i..])
}

/// Why `#fragment` does not resolve in `target`, with help; `None` when it does.
fn anchor_problem(
    pages: &BTreeMap<&str, Arc<Extracted>>,
    page: &str,
    target: &str,
    fragment: &str,
) -> Option<(String, String)> {
    let Some(links) = pages.get(target).map(|p| &p.links) else {
        return Some((
            format!("`{target}` is not an HTML page, so it has no anchor `#{fragment}`"),
            "drop the `#…` part of the link".to_string(),
        ));
    };
    if links.anchors.contains(fragment) {
        return None;
    }
    let place = if target == page { "this page".to_string() } else { format!("`{target}`") };
    let message = format!("no element with id `{fragment}` in {place}");
    let help = match closest(fragment, links.anchors.iter().map(String::as_str)) {
        Some(s) => format!("did you mean `#{s}`?"),
        None => "link to an existing id, or give the target heading that id (`## Title {#id}` in Markdown)"
            .to_string(),
    };
    Some((message, help))
}

fn check_images(report: &mut Report, page: &str, links: &PageLinks) {
    for img in &links.images {
        let finding = match img.alt.as_deref().map(str::trim) {
            None if !img.decorative => Finding::on_page(
                Severity::Error,
                Kind::MissingAlt,
                page,
                format!("image `{}` has no `alt` text", img.src),
            )
            .help(
                "describe it: `![what it shows](…)` in Markdown, `alt` under an article's `image`, \
                 `alt=\"…\"` in a template; write `alt=\"\"` only for a purely decorative image",
            ),
            Some("") if !img.decorative => Finding::on_page(
                Severity::Warning,
                Kind::EmptyAlt,
                page,
                format!("image `{}` has an empty `alt`, so screen readers skip it", img.src),
            )
            .help("fine if it is decorative; otherwise describe it (`![what it shows](…)` in Markdown)"),
            _ => continue,
        };
        let mut finding = finding;
        finding.link = Some(img.src.clone());
        report.findings.push(finding);
    }
}

/// HTML pages that no chain of links from `index.html` reaches (`404.html` excepted). With no
/// `index.html` there is nothing to start from, and none is reported.
fn unreachable<'a>(
    pages: &BTreeMap<&'a str, Arc<Extracted>>,
    edges: &BTreeMap<&str, BTreeSet<String>>,
) -> Vec<&'a str> {
    if !pages.contains_key("index.html") {
        return Vec::new();
    }
    let mut seen: BTreeSet<&str> = BTreeSet::from(["index.html"]);
    let mut queue = VecDeque::from(["index.html"]);
    while let Some(page) = queue.pop_front() {
        for target in edges.get(page).into_iter().flatten() {
            if let Some((key, _)) = pages.get_key_value(target.as_str())
                && seen.insert(key)
            {
                queue.push_back(key);
            }
        }
    }
    pages.keys().copied().filter(|p| !seen.contains(p) && *p != "404.html").collect()
}
