//! The link checker: checks a built dossier (output path → bytes, as
//! [`pipeline::build_in_memory`](crate::pipeline::build_in_memory) returns it) the way a reader's
//! browser would follow it, and reports what is broken.
//!
//! ```text
//!  files ──► html::extract (per page, parallel) ──► resolve::resolve (per link) ──► Report
//!                                                                                    │
//!                       external::check (HTTP, optional, the only I/O here) ◄───────┘
//! ```
//!
//! [`internal`] is pure and cheap enough to run on every build ([`build_errors`] returns its
//! errors as [`Diagnostic`]s for `dossier build`). It finds:
//!
//! | kind | severity | what |
//! |---|---|---|
//! | `broken-link` | error | a relative link to a file that was not built |
//! | `missing-anchor` | error | a `#fragment` that names no `id` (or `<a name>`) in its target |
//! | `outside-site` | error | a root-relative link (`/x`) or one with too many `../` |
//! | `invalid-link` | error | an `href`/`src` that is not a URL |
//! | `missing-alt` | error | an `<img>` without an `alt` attribute |
//! | `empty-alt` | warning | an `<img alt="">` not marked decorative |
//! | `protocol-relative` | warning | a `//host/x` link (it becomes `file://host/x` from disk) |
//! | `unreachable` | warning | an HTML page no chain of links from `index.html` reaches |
//!
//! A missing `alt` is an error, not a warning: the content schema already requires `alt` for an
//! article's image, a screen reader reads out the file name instead, and the fix is one
//! attribute; an *empty* `alt` is the correct mark of a decorative image, so it is only
//! questioned. `404.html` and non-HTML files (the stylesheet, images, the `*.json` data files)
//! need no inbound link. Every `http(s)` link is filed in an inventory by domain, with the
//! pages that carry it; [`external`] checks them over HTTP when asked.
//!
//! Content errors (bad YAML, dangling ids) happen before there is a site to check; a caller
//! turns them into findings with [`Report::from_build_error`].

pub mod external;
pub mod html;
pub mod report;
pub mod resolve;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
use crate::render::urls::relative;
use html::PageLinks;
use resolve::Target;

/// What kind of problem a [`Finding`] is; the kebab-case names are those of the JSON report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A problem in the dossier's sources found while loading it (bad YAML, a dangling id).
    Content,
    /// A relative link to a file that was not built.
    BrokenLink,
    /// A `#fragment` naming no element in its target.
    MissingAnchor,
    /// A link that leaves the dossier's directory (root-relative, or too many `../`).
    OutsideSite,
    /// Not a URL.
    InvalidLink,
    /// An `<img>` without `alt`.
    MissingAlt,
    /// An `<img alt="">` not marked decorative.
    EmptyAlt,
    /// A `//host/path` link.
    ProtocolRelative,
    /// An HTML page unreachable from the front page.
    Unreachable,
    /// An external link that is gone (404, 410, unknown host, refused connection …).
    ExternalBroken,
    /// An external link that permanently redirects elsewhere.
    ExternalRedirect,
    /// An external link that could not be verified (403, 429, 5xx, timeout).
    ExternalUnverified,
}

impl Kind {
    /// The kebab-case name (`broken-link`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Content => "content",
            Kind::BrokenLink => "broken-link",
            Kind::MissingAnchor => "missing-anchor",
            Kind::OutsideSite => "outside-site",
            Kind::InvalidLink => "invalid-link",
            Kind::MissingAlt => "missing-alt",
            Kind::EmptyAlt => "empty-alt",
            Kind::ProtocolRelative => "protocol-relative",
            Kind::Unreachable => "unreachable",
            Kind::ExternalBroken => "external-broken",
            Kind::ExternalRedirect => "external-redirect",
            Kind::ExternalUnverified => "external-unverified",
        }
    }
}

/// One problem, on one page (or, for [`Kind::Content`], in one source file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Error or warning.
    pub severity: Severity,
    /// What kind of problem.
    pub kind: Kind,
    /// The output page it is on (`articles/x/index.html`); `None` for content findings.
    pub page: Option<String>,
    /// The source the page was made from (`content/articles/x.md`, `templates/page.html`), or
    /// the source file of a content finding, when known.
    pub origin: Option<String>,
    /// 1-based line and column in `origin` (content findings only).
    pub position: Option<(usize, usize)>,
    /// The source line at `position`.
    pub snippet: Option<String>,
    /// The link (or image `src`) as written in the page.
    pub link: Option<String>,
    /// The link's text, or the image's `alt`.
    pub text: Option<String>,
    /// Where the link leads: an output path, or the final URL of a redirect.
    pub target: Option<String>,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
}

impl Finding {
    fn on_page(severity: Severity, kind: Kind, page: &str, message: String) -> Self {
        Finding {
            severity,
            kind,
            page: Some(page.to_string()),
            origin: None,
            position: None,
            snippet: None,
            link: None,
            text: None,
            target: None,
            message,
            help: None,
        }
    }

    fn link(mut self, link: &html::Link) -> Self {
        self.link = Some(link.href.clone());
        self.text = link.text.clone();
        self
    }

    fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The finding as a located [`Diagnostic`]: its file is the origin when known, else the
    /// page; a finding with both names the page in its message.
    pub fn to_diagnostic(&self) -> Diagnostic {
        let file = self.origin.clone().or_else(|| self.page.clone()).unwrap_or_default();
        let message = match (&self.origin, &self.page) {
            (Some(_), Some(page)) => format!("{} (on the page `{page}`)", self.message),
            _ => self.message.clone(),
        };
        let mut d = Diagnostic::error(file, message);
        d.severity = self.severity;
        d.position = self.position;
        d.snippet = self.snippet.clone();
        d.help = self.help.clone();
        d
    }

    fn from_diagnostic(d: &Diagnostic) -> Self {
        Finding {
            severity: d.severity,
            kind: Kind::Content,
            page: None,
            origin: Some(d.file.clone()),
            position: d.position,
            snippet: d.snippet.clone(),
            link: None,
            text: None,
            target: None,
            message: d.message.clone(),
            help: d.help.clone(),
        }
    }

    /// The order of a report: by page (content findings first), then kind, link and message.
    fn sort_key(&self) -> impl Ord + '_ {
        (
            &self.page,
            &self.origin,
            self.position,
            self.kind,
            &self.link,
            &self.message,
            self.severity,
        )
    }
}

/// One external URL and the pages that link to it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExternalLink {
    /// Each page linking to the URL, with the text of its first such link.
    pub pages: BTreeMap<String, Option<String>>,
    /// The HTTP check's result, once [`external::check`] has run.
    pub outcome: Option<external::Checked>,
}

/// Everything one check found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The problems, sorted (see [`Report::sort`]).
    pub findings: Vec<Finding>,
    /// HTML pages checked.
    pub pages: usize,
    /// Output files in the site (pages, data, static files).
    pub files: usize,
    /// Internal links followed (each `href`/`src` occurrence pointing into the site).
    pub internal_links: usize,
    /// External link occurrences (each `http(s)` `href`/`src` on each page).
    pub external_links: usize,
    /// External URLs by domain (`www.presstv.ir` → URL → pages).
    pub external: BTreeMap<String, BTreeMap<String, ExternalLink>>,
    /// The source of each page, where the caller knew it.
    pub origins: BTreeMap<String, String>,
    /// Whether the site was built (false when content errors stopped the build).
    pub built: bool,
    /// Whether the external links were checked over HTTP.
    pub external_checked: bool,
}

impl Report {
    /// A report for a build that failed: located content errors become [`Kind::Content`]
    /// findings; any other error becomes one finding naming the whole error chain.
    pub fn from_build_error(error: &anyhow::Error) -> Self {
        let findings = match error.downcast_ref::<Diagnostics>() {
            Some(diagnostics) => diagnostics.0.iter().map(Finding::from_diagnostic).collect(),
            None => {
                let mut f = Finding::from_diagnostic(&Diagnostic::error("", format!("{error:#}")));
                f.origin = None;
                vec![f]
            }
        };
        let mut report = Report { findings, ..Report::default() };
        report.sort();
        report
    }

    /// Adds the build's own warnings (unexpected files, removed links …) as content findings.
    pub fn add_build_warnings(&mut self, warnings: &[Diagnostic]) {
        self.findings.extend(warnings.iter().map(Finding::from_diagnostic));
        self.sort();
    }

    /// Sorts the findings: by page (content findings first), kind, link, message.
    pub fn sort(&mut self) {
        self.findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.findings.dedup();
    }

    /// The number of findings of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }

    /// Whether any finding is an error (the exit status of `dossier check` is then 1).
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// The number of distinct external URLs.
    pub fn external_urls(&self) -> usize {
        self.external.values().map(BTreeMap::len).sum()
    }

    /// The errors as [`Diagnostic`]s, sorted (for `dossier build`).
    pub fn errors(&self) -> Diagnostics {
        Diagnostics::sorted(
            self.findings
                .iter()
                .filter(|f| f.severity == Severity::Error)
                .map(Finding::to_diagnostic)
                .collect(),
        )
    }
}

/// Runs the internal checks over a built site and returns their errors as [`Diagnostic`]s
/// (empty when the site is sound). `origin` names a page's source, as in [`internal`]. This is
/// what `dossier build` calls to fail on a broken internal link.
pub fn build_errors(
    files: &BTreeMap<String, Vec<u8>>,
    origin: &dyn Fn(&str) -> Option<String>,
) -> Vec<Diagnostic> {
    internal(files, origin).errors().0
}

/// Checks a built site without touching the network: every internal link and `#fragment`,
/// links leaving the site, images' `alt` text and reachability from `index.html`; and files
/// every external link by domain.
///
/// `files` maps output paths (`articles/x/index.html`, `/`-separated, relative to the output
/// root) to their bytes. `origin(page)` names the source of an output page
/// (`content/articles/x.md`), or `None` when unknown.
pub fn internal(
    files: &BTreeMap<String, Vec<u8>>,
    origin: &dyn Fn(&str) -> Option<String>,
) -> Report {
    let pages: BTreeMap<&str, PageLinks> = files
        .par_iter()
        .filter(|(path, _)| is_html(path))
        .map(|(path, bytes)| (path.as_str(), html::extract(&String::from_utf8_lossy(bytes))))
        .collect();
    let mut report = Report {
        pages: pages.len(),
        files: files.len(),
        built: true,
        origins: pages.keys().filter_map(|p| origin(p).map(|o| (p.to_string(), o))).collect(),
        ..Report::default()
    };
    let mut edges: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (page, links) in &pages {
        let out = edges.entry(page).or_default();
        for link in &links.links {
            if let Some(target) = check_link(&mut report, files, &pages, page, link) {
                out.insert(target);
            }
        }
        check_images(&mut report, page, links);
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

fn is_html(path: &str) -> bool {
    path.ends_with(".html") || path.ends_with(".htm")
}

/// Checks one link; returns the output path it leads to, when it is an existing internal file.
fn check_link(
    report: &mut Report,
    files: &BTreeMap<String, Vec<u8>>,
    pages: &BTreeMap<&str, PageLinks>,
    page: &str,
    link: &html::Link,
) -> Option<String> {
    let error = |kind, message| Finding::on_page(Severity::Error, kind, page, message).link(link);
    let href = &link.href;
    match resolve::resolve(page, href) {
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
    pages: &BTreeMap<&str, PageLinks>,
    page: &str,
    target: &str,
    fragment: &str,
) -> Option<(String, String)> {
    let Some(links) = pages.get(target) else {
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
    pages: &BTreeMap<&'a str, PageLinks>,
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

#[cfg(test)]
mod tests;
