//! A [`Report`] as text for people ([`human`]) or as JSON for machines ([`json`]). Both are
//! pure and deterministic: the findings are sorted, the inventory is a sorted map.
//!
//! The JSON document (`schema_version` 1; the number goes up when a field changes meaning or is
//! removed, not when one is added):
//!
//! ```text
//! { "schema_version": 1, "generator": "dossier 0.1.0", "ok": bool,
//!   "summary": { "pages", "files", "internal_links", "external_links", "external_urls",
//!                "domains", "errors", "warnings", "built": bool, "external_checked": bool },
//!   "findings": [ { "severity": "error"|"warning", "kind": "broken-link"|…, "page": str|null,
//!                   "origin": str|null, "line": n|null, "column": n|null, "link": str|null,
//!                   "text": str|null, "target": str|null, "message": str, "help": str|null } ],
//!   "external": { "<domain>": [ { "url", "pages": [str],
//!                                 "check": null | { "verdict": "ok"|"redirected"|"broken"|"unverified",
//!                                                   "status": n|null, "final_url": str|null,
//!                                                   "message": str, "cached": bool } } ] } }
//! ```

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

use super::external::{Outcome, Verdict};
use super::{Finding, Report};
use crate::diagnostics::{Severity, plural};

/// The JSON report's format version.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Serialize)]
struct Json<'a> {
    schema_version: u32,
    generator: String,
    ok: bool,
    summary: Summary,
    findings: Vec<JsonFinding<'a>>,
    external: BTreeMap<&'a str, Vec<JsonExternal<'a>>>,
}

#[derive(Serialize)]
struct Summary {
    pages: usize,
    files: usize,
    internal_links: usize,
    external_links: usize,
    external_urls: usize,
    domains: usize,
    errors: usize,
    warnings: usize,
    built: bool,
    external_checked: bool,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    severity: &'static str,
    kind: super::Kind,
    page: Option<&'a str>,
    origin: Option<&'a str>,
    line: Option<usize>,
    column: Option<usize>,
    link: Option<&'a str>,
    text: Option<&'a str>,
    target: Option<&'a str>,
    message: &'a str,
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonExternal<'a> {
    url: &'a str,
    pages: Vec<&'a str>,
    check: Option<JsonCheck<'a>>,
}

#[derive(Serialize)]
struct JsonCheck<'a> {
    #[serde(flatten)]
    outcome: &'a Outcome,
    cached: bool,
}

fn severity_name(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// The report as a pretty-printed JSON document (see the module doc for its shape), with a
/// final newline.
pub fn json(report: &Report) -> String {
    let doc = Json {
        schema_version: SCHEMA_VERSION,
        generator: format!("dossier {}", env!("CARGO_PKG_VERSION")),
        ok: !report.has_errors(),
        summary: Summary {
            pages: report.pages,
            files: report.files,
            internal_links: report.internal_links,
            external_links: report.external_links,
            external_urls: report.external_urls(),
            domains: report.external.len(),
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            built: report.built,
            external_checked: report.external_checked,
        },
        findings: report
            .findings
            .iter()
            .map(|f| JsonFinding {
                severity: severity_name(f.severity),
                kind: f.kind,
                page: f.page.as_deref(),
                origin: f.origin.as_deref(),
                line: f.position.map(|p| p.0),
                column: f.position.map(|p| p.1),
                link: f.link.as_deref(),
                text: f.text.as_deref(),
                target: f.target.as_deref(),
                message: &f.message,
                help: f.help.as_deref(),
            })
            .collect(),
        external: report
            .external
            .iter()
            .map(|(domain, urls)| {
                let list = urls
                    .iter()
                    .map(|(url, link)| JsonExternal {
                        url,
                        pages: link.pages.keys().map(String::as_str).collect(),
                        check: link
                            .outcome
                            .as_ref()
                            .map(|c| JsonCheck { outcome: &c.outcome, cached: c.cached }),
                    })
                    .collect();
                (domain.as_str(), list)
            })
            .collect(),
    };
    // Serializing plain structs, strings and maps with string keys cannot fail.
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

/// The report for people: findings grouped by page (content findings first, as
/// `file:line:col` diagnostics), then the external links by domain, then one summary line.
/// `verbose` lists every external URL with the pages that link to it.
pub fn human(report: &Report, verbose: bool) -> String {
    let mut out = String::new();
    let mut current_page: Option<&str> = None;
    for f in &report.findings {
        match f.page.as_deref() {
            None => {
                let d = f.to_diagnostic();
                let label = severity_name(f.severity);
                if d.file.is_empty() {
                    let _ = writeln!(out, "{label}: {}", f.message);
                } else {
                    let _ = writeln!(out, "{label}: {d}");
                }
            }
            Some(page) => {
                if current_page != Some(page) {
                    if !out.is_empty() {
                        out.push('\n');
                    }
                    match &f.origin {
                        Some(origin) => {
                            let _ = writeln!(out, "{page} (from {origin})");
                        }
                        None => {
                            let _ = writeln!(out, "{page}");
                        }
                    }
                    current_page = Some(page);
                }
                write_finding(&mut out, f);
            }
        }
    }
    if !report.external.is_empty() {
        if !out.is_empty() {
            out.push('\n');
        }
        write_inventory(&mut out, report, verbose);
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&summary_line(report));
    out.push('\n');
    out
}

fn write_finding(out: &mut String, f: &Finding) {
    let text = match &f.text {
        Some(t) if f.link.is_some() => format!(" (\u{201c}{}\u{201d})", shorten(t, 60)),
        _ => String::new(),
    };
    let _ =
        writeln!(out, "  {}[{}]: {}{text}", severity_name(f.severity), f.kind.name(), f.message);
    if let Some(help) = &f.help {
        let _ = writeln!(out, "    help: {help}");
    }
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

fn write_inventory(out: &mut String, report: &Report, verbose: bool) {
    let _ = writeln!(
        out,
        "External links: {} to {} on {}",
        plural(report.external_links, "link", "links"),
        plural(report.external_urls(), "address", "addresses"),
        plural(report.external.len(), "domain", "domains"),
    );
    let width = report.external.keys().map(|d| d.chars().count()).max().unwrap_or(0);
    for (domain, urls) in &report.external {
        let mut counts: BTreeMap<Verdict, usize> = BTreeMap::new();
        for link in urls.values() {
            if let Some(c) = &link.outcome {
                *counts.entry(c.outcome.verdict).or_default() += 1;
            }
        }
        let checked = if counts.is_empty() {
            String::new()
        } else {
            let parts: Vec<String> =
                counts.iter().map(|(v, n)| format!("{n} {}", v.name())).collect();
            format!(" ({})", parts.join(", "))
        };
        let _ = writeln!(out, "  {domain:<width$}  {:>4}{checked}", urls.len());
        if verbose {
            for (url, link) in urls {
                let status = link.outcome.as_ref().map_or(String::new(), |c| {
                    format!(" [{}{}]", c.outcome.message, if c.cached { ", cached" } else { "" })
                });
                let pages: Vec<&str> = link.pages.keys().map(String::as_str).collect();
                let _ = writeln!(out, "    {url}{status}\n      on {}", pages.join(", "));
            }
        }
    }
}

/// `Checked 1,234 internal links on 56 pages: 1 error, 2 warnings. …`
fn summary_line(report: &Report) -> String {
    let errors = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let found = format!(
        "{}, {}",
        plural(errors, "error", "errors"),
        plural(warnings, "warning", "warnings")
    );
    if !report.built {
        return format!("The dossier could not be built: {found}.");
    }
    let external = if report.external_urls() == 0 {
        String::new()
    } else if report.external_checked {
        format!(
            " {} checked over HTTP.",
            plural(report.external_urls(), "external address", "external addresses")
        )
    } else {
        format!(
            " {} not checked (use --external).",
            plural(report.external_urls(), "external address", "external addresses")
        )
    };
    format!(
        "Checked {} on {}: {found}.{external}",
        plural(report.internal_links, "internal link", "internal links"),
        plural(report.pages, "page", "pages"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::internal;

    fn sample() -> Report {
        let files: BTreeMap<String, Vec<u8>> = [
            ("index.html", r#"<a href="a/index.html">A</a><a href="gone/index.html">Gone page</a><a href="https://news.example/x">news</a>"#),
            ("a/index.html", r#"<img src="../p.png"><a href="https://news.example/x">again</a>"#),
            ("p.png", ""),
        ]
        .iter()
        .map(|(p, h)| (p.to_string(), h.as_bytes().to_vec()))
        .collect();
        internal(&files, &|p| (p == "index.html").then(|| "content/_index.md".to_string()), "/")
    }

    #[test]
    fn human_groups_by_page_and_ends_with_counts() {
        let text = human(&sample(), false);
        assert_eq!(
            text,
            "a/index.html
  error[missing-alt]: image `../p.png` has no `alt` text
    help: describe it: `![what it shows](…)` in Markdown, `alt` under an article's `image`, `alt=\"…\"` in a template; write `alt=\"\"` only for a purely decorative image

index.html (from content/_index.md)
  error[broken-link]: broken link `gone/index.html`: no file `gone/index.html` was built (“Gone page”)
    help: link to a file that is built; in Markdown, link to content files as `@/articles/<file>.md` so the build checks them

External links: 2 links to 1 address on 1 domain
  news.example     1

Checked 3 internal links on 2 pages: 2 errors, 0 warnings. 1 external address not checked (use --external).
"
        );
        assert!(
            human(&sample(), true)
                .contains("    https://news.example/x\n      on a/index.html, index.html\n")
        );
    }

    #[test]
    fn json_has_a_stable_documented_shape() {
        let value: serde_json::Value = serde_json::from_str(&json(&sample())).unwrap();
        assert_eq!(value["schema_version"], 1);
        assert_eq!(value["ok"], false);
        assert_eq!(value["summary"]["errors"], 2);
        assert_eq!(value["summary"]["internal_links"], 3);
        assert_eq!(value["findings"][1]["kind"], "broken-link");
        assert_eq!(value["findings"][1]["origin"], "content/_index.md");
        assert_eq!(value["findings"][1]["text"], "Gone page");
        assert_eq!(value["findings"][1]["line"], serde_json::Value::Null);
        assert_eq!(
            value["external"]["news.example"][0]["pages"],
            serde_json::json!(["a/index.html", "index.html"])
        );
        assert_eq!(value["external"]["news.example"][0]["check"], serde_json::Value::Null);
    }
}
