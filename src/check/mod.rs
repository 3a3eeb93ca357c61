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
mod internal;
pub mod report;
pub mod resolve;

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostics::{Diagnostic, Diagnostics, Severity};
pub use internal::{PageFacts, build_errors, cross_check, internal, is_html};

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

#[cfg(test)]
mod tests;
