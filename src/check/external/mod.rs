//! Checking the external links of a [`Report`] over HTTP (`dossier check --external`).
//!
//! Each URL is asked for with `HEAD`, then with `GET` when `HEAD` does not end in a success
//! (many servers answer `HEAD` with 403, 405 or 501). Redirects are followed by hand (at most
//! [`MAX_REDIRECTS`]) so that every request, redirects included, goes through the per-host rate
//! limit, and so that a permanent redirect (301, 308) at the start of the chain can be reported
//! with the address the link should name instead. [`http`] does the requests; [`cache`] keeps
//! the answers between runs.
//!
//! What a newsroom wants from this is the list of sources that are *gone*, without crying wolf
//! about the many news sites that turn away robots. So the verdicts are:
//!
//! | answer | verdict | severity | cached |
//! |---|---|---|---|
//! | 2xx (after temporary redirects) | ok | — | yes |
//! | 2xx after a permanent redirect | redirected | warning | yes |
//! | 404, 410, other 4xx | broken | error | yes |
//! | 401, 403, 407, 429 (refused a robot), 5xx, other | unverified | warning | no |
//! | timeout | unverified | warning | no |
//! | unknown host, refused connection, TLS failure, redirect loop | broken | error | no |
//!
//! Answers that may change by the next run (refusals, server errors, network failures) are not
//! cached, so a second run asks again.

pub mod cache;
pub mod http;

use std::collections::BTreeMap;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{Finding, Kind, Report};
use crate::diagnostics::Severity;
pub use cache::Cache;

/// Redirects followed before a link is reported as a redirect loop.
pub const MAX_REDIRECTS: usize = 10;

/// How to check.
#[derive(Debug, Clone)]
pub struct Options {
    /// The longest wait for one request's response headers.
    pub timeout: Duration,
    /// The shortest gap between two requests to one host (the per-host rate limit).
    pub interval: Duration,
    /// How many hosts are checked at once.
    pub threads: usize,
    /// How old a cached answer may be and still be used.
    pub max_age: Duration,
    /// The `User-Agent` sent.
    pub user_agent: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            timeout: Duration::from_secs(20),
            interval: Duration::from_secs(1),
            threads: 8,
            max_age: Duration::from_secs(24 * 3600),
            user_agent: format!("dossier/{} (link checker)", env!("CARGO_PKG_VERSION")),
        }
    }
}

/// The verdict on one URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// It answers with a success.
    Ok,
    /// It answers with a success after a permanent redirect: the link should name the new address.
    Redirected,
    /// It is gone.
    Broken,
    /// It could not be verified (refused, server error, timeout).
    Unverified,
}

impl Verdict {
    /// The kebab-case name (`ok`, `redirected`, `broken`, `unverified`).
    pub fn name(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Redirected => "redirected",
            Verdict::Broken => "broken",
            Verdict::Unverified => "unverified",
        }
    }
}

/// What checking one URL found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outcome {
    /// The verdict.
    pub verdict: Verdict,
    /// The final HTTP status, when there was an answer.
    pub status: Option<u16>,
    /// Where a permanent redirect leads.
    pub final_url: Option<String>,
    /// What happened, in a few words (`404 Not Found`, `no answer within 20 s`).
    pub message: String,
}

impl Outcome {
    /// The verdict on a final HTTP `status`; `moved` is where a permanent redirect led.
    pub fn from_status(status: u16, moved: Option<String>) -> Outcome {
        let message = status_text(status);
        let (verdict, message) = match status {
            200..=299 => match &moved {
                Some(to) => (Verdict::Redirected, format!("moved permanently to {to}")),
                None => (Verdict::Ok, message),
            },
            401 | 403 | 407 | 429 => {
                (Verdict::Unverified, format!("{message}: the site turned the checker away"))
            }
            400..=499 => (Verdict::Broken, message),
            500..=599 => (Verdict::Unverified, format!("{message}: a server error")),
            _ => (Verdict::Unverified, message),
        };
        let final_url = if verdict == Verdict::Redirected { moved } else { None };
        Outcome { verdict, status: Some(status), final_url, message }
    }

    /// A failure before any HTTP answer.
    pub fn failed(verdict: Verdict, message: impl Into<String>) -> Outcome {
        Outcome { verdict, status: None, final_url: None, message: message.into() }
    }

    /// Whether the next run may reuse this answer: successes, redirects and definite HTTP
    /// failures; not refusals, server errors or network failures.
    pub fn cacheable(&self) -> bool {
        match self.verdict {
            Verdict::Ok | Verdict::Redirected => true,
            Verdict::Broken => self.status.is_some(),
            Verdict::Unverified => false,
        }
    }
}

/// `404 Not Found`.
fn status_text(status: u16) -> String {
    let reason = ureq::http::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason());
    match reason {
        Some(r) => format!("{status} {r}"),
        None => format!("HTTP {status}"),
    }
}

/// An [`Outcome`] and whether it came from the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// The outcome.
    pub outcome: Outcome,
    /// Read from the cache rather than asked for now.
    pub cached: bool,
}

/// Counts of one external check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// URLs answered from the cache.
    pub cached: usize,
    /// URLs asked for over HTTP.
    pub fetched: usize,
}

/// Checks every external URL in `report` (from `cache` when fresh, else over HTTP), records
/// each outcome in the inventory, adds findings for the failures, and updates `cache`. `now`
/// is the time written into the cache.
pub fn check(
    report: &mut Report,
    options: &Options,
    cache: &mut Cache,
    now: jiff::Timestamp,
) -> Stats {
    let mut stats = Stats::default();
    let mut to_fetch = Vec::new();
    for url in report.external.values().flat_map(BTreeMap::keys) {
        if cache.get(url, now, options.max_age).is_some() {
            stats.cached += 1;
        } else if let Ok(parsed) = url::Url::parse(url) {
            to_fetch.push(parsed);
        }
    }
    stats.fetched = to_fetch.len();
    let fetched = http::fetch_all(&to_fetch, options);
    for (url, outcome) in &fetched {
        if outcome.cacheable() {
            cache.insert(url, now, outcome.clone());
        }
    }
    let mut findings = Vec::new();
    for link in report.external.values_mut().flat_map(BTreeMap::iter_mut) {
        let (url, entry) = link;
        let checked = match fetched.get(url) {
            Some(outcome) => Checked { outcome: outcome.clone(), cached: false },
            None => match cache.get(url, now, options.max_age) {
                Some(outcome) => Checked { outcome: outcome.clone(), cached: true },
                None => continue,
            },
        };
        findings.extend(findings_for(url, entry, &checked.outcome));
        entry.outcome = Some(checked);
    }
    for finding in &mut findings {
        finding.origin = finding.page.as_ref().and_then(|p| report.origins.get(p)).cloned();
    }
    report.findings.extend(findings);
    report.external_checked = true;
    report.sort();
    stats
}

/// One finding per page linking to a URL that is not plainly fine.
fn findings_for(url: &str, link: &super::ExternalLink, outcome: &Outcome) -> Vec<Finding> {
    let (severity, kind, help) = match outcome.verdict {
        Verdict::Ok => return Vec::new(),
        Verdict::Redirected => (
            Severity::Warning,
            Kind::ExternalRedirect,
            format!("link to `{}` instead", outcome.final_url.as_deref().unwrap_or("")),
        ),
        Verdict::Broken => (
            Severity::Error,
            Kind::ExternalBroken,
            "link to an archived copy (e.g. in the article's `archived` list) or remove the link"
                .to_string(),
        ),
        Verdict::Unverified => (
            Severity::Warning,
            Kind::ExternalUnverified,
            "open it in a browser; the check is repeated on the next run".to_string(),
        ),
    };
    link.pages
        .iter()
        .map(|(page, text)| {
            let mut f =
                Finding::on_page(severity, kind, page, format!("`{url}`: {}", outcome.message));
            f.link = Some(url.to_string());
            f.text = text.clone();
            f.target = outcome.final_url.clone();
            f.help(help.clone())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_map_to_verdicts() {
        let v = |s, moved: Option<&str>| {
            let o = Outcome::from_status(s, moved.map(str::to_string));
            let cacheable = o.cacheable();
            (o.verdict, o.message, cacheable)
        };
        assert_eq!(v(200, None), (Verdict::Ok, "200 OK".into(), true));
        assert_eq!(
            v(200, Some("https://new.example/")),
            (Verdict::Redirected, "moved permanently to https://new.example/".into(), true)
        );
        assert_eq!(v(404, None), (Verdict::Broken, "404 Not Found".into(), true));
        assert_eq!(v(410, None), (Verdict::Broken, "410 Gone".into(), true));
        assert_eq!(
            v(403, None),
            (Verdict::Unverified, "403 Forbidden: the site turned the checker away".into(), false)
        );
        assert_eq!(v(429, None).0, Verdict::Unverified);
        assert_eq!(
            v(503, None),
            (Verdict::Unverified, "503 Service Unavailable: a server error".into(), false)
        );
        assert_eq!(v(999, None), (Verdict::Unverified, "HTTP 999".into(), false));
        assert!(!Outcome::failed(Verdict::Broken, "host not found").cacheable());
    }

    #[test]
    fn failures_give_one_finding_per_page() {
        let mut link = super::super::ExternalLink::default();
        link.pages.insert("a/index.html".into(), Some("the report".into()));
        link.pages.insert("index.html".into(), None);
        let gone = Outcome::from_status(404, None);
        let f = findings_for("https://x.example/a", &link, &gone);
        assert_eq!(f.len(), 2);
        assert_eq!(f[0].severity, Severity::Error);
        assert_eq!(f[0].message, "`https://x.example/a`: 404 Not Found");
        assert_eq!(f[0].text.as_deref(), Some("the report"));
        assert!(
            findings_for("https://x.example/a", &link, &Outcome::from_status(204, None)).is_empty()
        );
    }
}
