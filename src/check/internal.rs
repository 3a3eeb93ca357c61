//! The checks that need no network, over the whole built site: each page's links resolved and
//! looked up among the built files and their anchors, images' `alt` text, and a breadth-first
//! walk from `index.html` for the pages nothing reaches.
//!
//! The work is split so that a build can do it as it writes, without holding the pages:
//! [`PageFacts::read`] takes one page's [`PageLinks`] (as [`super::html`] reads them) and keeps
//! what the cross-page pass needs, small: findings that depend on the page alone (a link that
//! is not a URL, a root-relative link, a missing `alt`) written out at once; each internal link
//! as numbers (its target, fragment, text and `href` interned); the page's anchors; its external
//! addresses. [`cross_check`] then looks every internal link up among all the files and their
//! anchors and walks the links from the front page. [`internal`] does both over a site in
//! memory.

use std::borrow::Borrow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::sync::Arc;

use rayon::prelude::*;

use super::html::{self, PageLinks};
use super::resolve::{self, Target};
use super::{Finding, Kind, Report};
use crate::diagnostics::{Diagnostic, Severity};
use crate::intern::Interner;
use crate::render::urls::relative;

/// Runs the internal checks over a built site and returns their errors as [`Diagnostic`]s
/// (empty when the site is sound). `origin` names a page's source, as in [`internal`].
pub fn build_errors<B: AsRef<[u8]> + Sync>(
    files: &BTreeMap<String, B>,
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
pub fn internal<B: AsRef<[u8]> + Sync>(
    files: &BTreeMap<String, B>,
    origin: &dyn Fn(&str) -> Option<String>,
    base_url: &str,
) -> Report {
    let strings = Interner::new();
    let pages: BTreeMap<String, PageFacts> = files
        .par_iter()
        .filter(|(path, _)| is_html(path))
        .map(|(path, bytes)| {
            let links = html::extract(&String::from_utf8_lossy(bytes.as_ref()));
            (path.clone(), PageFacts::read(path, links, base_url, &strings))
        })
        .collect();
    let paths: BTreeSet<&str> = files.keys().map(String::as_str).collect();
    cross_check(&pages, &paths, origin, &strings, &|| false)
}

/// Whether `path` is a page the checker reads.
pub fn is_html(path: &str) -> bool {
    path.ends_with(".html") || path.ends_with(".htm")
}

/// No string: a link without text, an internal link without a fragment.
const NONE: u32 = u32::MAX;

/// An internal link, as numbers in the build's [`Interner`].
#[derive(Debug, Clone, Copy)]
struct InternalLink {
    /// The output path it leads to.
    target: u32,
    /// Its `#fragment` (decoded), or [`NONE`].
    fragment: u32,
    /// The `href` as written.
    href: u32,
    /// Its text, or [`NONE`].
    text: u32,
}

/// What the checker keeps of one page until every page is read.
#[derive(Debug, Clone, Default)]
pub struct PageFacts {
    /// Findings that depend on this page alone.
    local: Vec<Finding>,
    /// Every internal link, in document order.
    internal: Vec<InternalLink>,
    /// The ids (and `<a name>`s) in the page, as numbers, sorted.
    anchors: Vec<u32>,
    /// Each external address (no fragment), its domain, and the text of its first link here.
    external: Vec<(String, String, Option<String>)>,
    /// External link occurrences.
    external_links: usize,
}

impl PageFacts {
    /// What the cross-page pass needs of `page`, whose links are `links`.
    pub fn read(page: &str, links: PageLinks, base_url: &str, strings: &Interner) -> PageFacts {
        let mut facts = PageFacts::default();
        let mut pending: Vec<(String, Option<String>, &html::Link)> = Vec::new();
        let resolver = resolve::Page::new(page);
        for link in &links.links {
            match target(&resolver, &link.href, base_url) {
                Target::Internal { path, fragment } => pending.push((path, fragment, link)),
                other => facts.other_link(page, link, other),
            }
        }
        check_images(&mut facts.local, page, &links);
        // Intern every string of the page under one lock.
        // (An absent fragment or text is `NONE`, not a string.)
        let mut strs: Vec<&str> = links.anchors.iter().map(String::as_str).collect();
        for (path, fragment, link) in &pending {
            strs.push(path);
            strs.push(&link.href);
            strs.extend(fragment.as_deref());
            strs.extend(link.text.as_deref());
        }
        let ids = strings.intern_all(strs);
        let (anchors, rest) = ids.split_at(links.anchors.len());
        facts.anchors = anchors.to_vec();
        facts.anchors.sort_unstable();
        let mut rest = rest.iter().copied();
        let mut next = || rest.next().unwrap_or(NONE);
        for (_, fragment, link) in &pending {
            let (target, href) = (next(), next());
            let fragment = if fragment.is_some() { next() } else { NONE };
            let text = if link.text.is_some() { next() } else { NONE };
            facts.internal.push(InternalLink { target, fragment, href, text });
        }
        // Held until every page is read: no spare capacity.
        facts.internal.shrink_to_fit();
        facts.external.shrink_to_fit();
        facts
    }

    /// A link that leads nowhere in the site: external, or a finding.
    fn other_link(&mut self, page: &str, link: &html::Link, resolved: Target) {
        let error =
            |kind, message| Finding::on_page(Severity::Error, kind, page, message).link(link);
        let href = &link.href;
        match resolved {
            Target::Internal { .. } | Target::Other(_) => {}
            Target::External(url) => self.add_external(link, url),
            Target::ProtocolRelative(url) => {
                self.local.push(
                    Finding::on_page(
                        Severity::Warning,
                        Kind::ProtocolRelative,
                        page,
                        format!(
                            "protocol-relative link `{href}` becomes a `file://` address when \
                            the dossier is opened from disk"
                        ),
                    )
                    .link(link)
                    .help(format!("write the scheme: `{url}`")),
                );
                self.add_external(link, url);
            }
            Target::RootRelative => {
                // Whether the link would work relative to the root is known once every file
                // is: [`cross_check`] fills in the help.
                let mut f = error(
                    Kind::OutsideSite,
                    format!(
                        "root-relative link `{href}` leads outside the dossier when it is \
                        served from a subpath, opened from disk or archived"
                    ),
                );
                f.help = None;
                self.local.push(f);
            }
            Target::AboveRoot => self.local.push(
                error(
                    Kind::OutsideSite,
                    format!(
                        "`{href}` climbs above the dossier's root \
                    directory"
                    ),
                )
                .help(
                    "remove the extra `../`, or link to the outside page with its full \
                        `https://` address",
                ),
            ),
            Target::Invalid(reason) => self.local.push(
                error(Kind::InvalidLink, format!("`{href}` is not a valid URL: {reason}"))
                    .help("percent-encode spaces and brackets, or fix the address"),
            ),
        }
    }

    fn add_external(&mut self, link: &html::Link, url: url::Url) {
        // The Wayback Machine searches offered beside outside addresses are queries made from
        // those addresses, not sources: they are neither listed nor fetched.
        if crate::render::publish::is_wayback_search(url.as_str()) {
            return;
        }
        self.external_links += 1;
        let mut url = url;
        url.set_fragment(None);
        let domain = resolve::domain(&url);
        let url = url.to_string();
        if !self.external.iter().any(|(u, _, _)| *u == url) {
            self.external.push((url, domain, link.text.clone()));
        }
    }
}

/// The page a host shows for a missing address.
const NOT_FOUND: &str = "404.html";

/// Where `href`, written in `page`, leads. A link to the site's own address, and a
/// root-relative link on the 404 page (which sits at the top of the site), read as links
/// relative to the top of the site.
fn target(page: &resolve::Page<'_>, href: &str, base_url: &str) -> Target {
    let root = crate::config::url_path(base_url);
    let own = href.strip_prefix(base_url).filter(|_| base_url.contains("://"));
    let not_found =
        href.strip_prefix(root).filter(|_| page.path() == NOT_FOUND && root.starts_with('/'));
    match own.or(not_found) {
        Some(rest) => resolve::resolve(NOT_FOUND, rest),
        None => page.resolve(href),
    }
}

/// The pass over every page once all are read: each internal link looked up among `files`
/// (every output path) and the anchors of its target, the links leaving the site given their
/// fix, reachability from the front page; with the external links by domain. `strings` is
/// the interner the pages were read with. Once `stop()` is true the pass gives up: what it
/// returns then is incomplete, and the caller, who stopped it, throws it away.
pub fn cross_check<P: Borrow<PageFacts> + Sync>(
    pages: &BTreeMap<String, P>,
    files: &BTreeSet<&str>,
    origin: &dyn Fn(&str) -> Option<String>,
    strings: &Interner,
    stop: &(dyn Fn() -> bool + Sync),
) -> Report {
    let names = strings.names();
    let name = |id: u32| -> Option<&str> { (id != NONE).then(|| &*names[id as usize]) };
    // Links name their targets by number: which numbers are built files, and which pages.
    let built: HashSet<u32> = files.iter().filter_map(|f| strings.get(f)).collect();
    let list: Vec<(&String, &PageFacts)> = pages.iter().map(|(p, f)| (p, f.borrow())).collect();
    let page_of: HashMap<u32, usize> = list
        .iter()
        .enumerate()
        .filter_map(|(i, (p, _))| strings.get(p).map(|id| (id, i)))
        .collect();
    // Each page on its own (in parallel): its findings and the pages it links to.
    let checked: Vec<(Vec<Finding>, Vec<usize>)> = list
        .par_iter()
        .map(|(page, facts)| {
            let mut findings = Vec::new();
            let mut out = Vec::new();
            if stop() {
                return (findings, out);
            }
            for link in &facts.internal {
                let path = name(link.target).unwrap_or_default();
                let as_link = || html::Link {
                    element: "a",
                    href: name(link.href).unwrap_or_default().to_string(),
                    text: name(link.text).map(str::to_string),
                };
                if !built.contains(&link.target) {
                    let l = as_link();
                    let f = Finding::on_page(
                        Severity::Error,
                        Kind::BrokenLink,
                        page,
                        format!("broken link `{}`: no file `{path}` was built", l.href),
                    )
                    .link(&l)
                    .help(broken_help(files, page, path));
                    findings.push(f);
                    continue;
                }
                let target = page_of.get(&link.target).copied();
                out.extend(target);
                let Some(fragment) = name(link.fragment) else { continue };
                if fragment.is_empty() || fragment.eq_ignore_ascii_case("top") {
                    continue;
                }
                let facts = target.map(|t| list[t].1);
                if let Some((message, help)) =
                    anchor_problem(facts, &names, page, path, link.fragment)
                {
                    let mut f =
                        Finding::on_page(Severity::Error, Kind::MissingAnchor, page, message)
                            .link(&as_link())
                            .help(help);
                    f.target = Some(path.to_string());
                    findings.push(f);
                }
            }
            for local in &facts.local {
                let mut f = local.clone();
                if f.kind == Kind::OutsideSite && f.help.is_none() {
                    f.help = Some(root_relative_help(files, page, f.link.as_deref().unwrap_or("")));
                }
                findings.push(f);
            }
            out.sort_unstable();
            out.dedup();
            (findings, out)
        })
        .collect();
    if stop() {
        return Report::default();
    }
    let mut report = Report {
        pages: pages.len(),
        files: files.len(),
        built: true,
        origins: pages.keys().filter_map(|p| origin(p).map(|o| (p.clone(), o))).collect(),
        ..Report::default()
    };
    let mut edges = Vec::with_capacity(list.len());
    for ((page, facts), (findings, out)) in list.iter().zip(checked) {
        report.findings.extend(findings);
        edges.push(out);
        report.internal_links += facts.internal.len();
        report.external_links += facts.external_links;
        for (url, domain, text) in &facts.external {
            let entry =
                report.external.entry(domain.clone()).or_default().entry(url.clone()).or_default();
            entry.pages.entry((*page).clone()).or_insert_with(|| text.clone());
        }
    }
    let front = list.iter().position(|(p, _)| p.as_str() == "index.html");
    for page in unreachable(&list, front, &edges) {
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

/// How to fix a root-relative link `href` on `page`: the relative link, when the file exists.
fn root_relative_help(files: &BTreeSet<&str>, page: &str, href: &str) -> String {
    let inside = href.trim_start_matches(['/', '\\']);
    let fix = match resolve::resolve("index.html", inside) {
        Target::Internal { path, .. } if files.contains(path.as_str()) => {
            let rel = relative(page, &format!("{path}{}", suffix(inside)), false);
            format!("from this page, write `{rel}`")
        }
        _ => "make it relative".to_string(),
    };
    format!(
        "{fix} (in Markdown link content files as `@/articles/<file>.md`; in templates use \
            `rel_url(path=…)`)"
    )
}

/// The `#fragment` and `?query` part of a URL, if any.
fn suffix(href: &str) -> &str {
    href.find(['#', '?']).map_or("", |i| &href[i..])
}

/// How to fix a link to `path`, which was not built.
fn broken_help(files: &BTreeSet<&str>, page: &str, path: &str) -> String {
    let as_dir = format!("{}/index.html", path.trim_end_matches('/'));
    let suggestion = if files.contains(as_dir.as_str()) {
        Some(as_dir.clone())
    } else {
        // Compare what tells pages apart: `articles/x/`, not the `index.html` they all end in.
        let key = |p: &str| p.strip_suffix("index.html").unwrap_or(p).to_string();
        let by_key: BTreeMap<String, &str> =
            files.iter().filter(|k| k.ends_with(ext(path))).map(|c| (key(c), *c)).collect();
        closest(&key(path), by_key.keys().map(String::as_str))
            .and_then(|k| by_key.get(k).map(|s| s.to_string()))
    };
    match suggestion {
        Some(s) => {
            format!("did you mean `{s}`? From this page that is `{}`", relative(page, &s, false))
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

/// Why `#fragment` (interned as `fragment`) does not resolve in `target` (whose facts are
/// `facts`, when it is a page), with help; `None` when it does.
fn anchor_problem(
    facts: Option<&PageFacts>,
    names: &[Arc<str>],
    page: &str,
    target: &str,
    fragment: u32,
) -> Option<(String, String)> {
    let text = &*names[fragment as usize];
    let Some(facts) = facts else {
        return Some((
            format!("`{target}` is not an HTML page, so it has no anchor `#{text}`"),
            "drop the `#…` part of the link".to_string(),
        ));
    };
    if facts.anchors.binary_search(&fragment).is_ok() {
        return None;
    }
    let place = if target == page { "this page".to_string() } else { format!("`{target}`") };
    let message = format!("no element with id `{text}` in {place}");
    let anchors = facts.anchors.iter().map(|&id| &*names[id as usize]);
    let help = match closest(text, anchors) {
        Some(s) => format!("did you mean `#{s}`?"),
        None => "link to an existing id, or give the target heading that id (`## Title {#id}` in \
            Markdown)"
            .to_string(),
    };
    Some((message, help))
}

fn check_images(findings: &mut Vec<Finding>, page: &str, links: &PageLinks) {
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
            .help(
                "fine if it is decorative; otherwise describe it (`![what it shows](…)` in \
                Markdown)",
            ),
            _ => continue,
        };
        let mut finding = finding;
        finding.link = Some(img.src.clone());
        findings.push(finding);
    }
}

/// HTML pages that no chain of links from `index.html` (page `front`) reaches (`404.html`
/// excepted); `edges[i]` are the pages page `i` links to. With no `index.html` there is nothing
/// to start from, and none is reported.
fn unreachable<'a>(
    pages: &[(&'a String, &PageFacts)],
    front: Option<usize>,
    edges: &[Vec<usize>],
) -> Vec<&'a str> {
    let Some(front) = front else { return Vec::new() };
    let mut seen = vec![false; pages.len()];
    seen[front] = true;
    let mut queue = VecDeque::from([front]);
    while let Some(page) = queue.pop_front() {
        for &target in &edges[page] {
            if !seen[target] {
                seen[target] = true;
                queue.push_back(target);
            }
        }
    }
    pages
        .iter()
        .zip(seen)
        .filter(|((p, _), seen)| !seen && p.as_str() != "404.html")
        .map(|((p, _), _)| p.as_str())
        .collect()
}
