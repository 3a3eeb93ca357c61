//! Unit tests of [`internal`] on tiny in-memory sites.

use super::*;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};

fn site(pages: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
    pages.iter().map(|(p, html)| (p.to_string(), html.as_bytes().to_vec())).collect()
}

fn no_origin(_: &str) -> Option<String> {
    None
}

/// `(severity, kind, page, link)` of every finding.
fn summary(report: &Report) -> Vec<(Severity, &'static str, String, String)> {
    report
        .findings
        .iter()
        .map(|f| {
            (
                f.severity,
                f.kind.name(),
                f.page.clone().unwrap_or_default(),
                f.link.clone().unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn a_sound_site_has_no_findings() {
    let files = site(&[
        (
            "index.html",
            r##"<a href="a/index.html#x">A</a><a href="a/">A again</a><link href="style.css"><a href="#top">top</a><a href="#">#</a>"##,
        ),
        (
            "a/index.html",
            r#"<h2 id="x">X</h2><a href="../index.html">home</a><img src="../p.png" alt="A photo"><a href="mailto:x@example.org">mail</a>"#,
        ),
        ("style.css", "body{}"),
        ("p.png", ""),
        ("data.json", "{}"),
        ("404.html", r#"<a href="index.html">home</a>"#),
    ]);
    let report = internal(&files, &no_origin, "/");
    assert_eq!(summary(&report), []);
    assert_eq!(report.pages, 3);
    assert_eq!(report.files, 6);
    assert_eq!(report.internal_links, 8);
    assert!(!report.has_errors());
}

#[test]
fn a_broken_link_is_an_error_with_a_suggestion() {
    let files = site(&[
        (
            "index.html",
            r#"<a href="articles/turkey-says/index.html">The <b>report</b></a><a href="articles/turkey-said/">ok</a>"#,
        ),
        ("articles/turkey-said/index.html", "<p>x</p>"),
    ]);
    let report =
        internal(&files, &|p| (p == "index.html").then(|| "content/_index.md".to_string()), "/");
    assert_eq!(
        summary(&report),
        [(
            Severity::Error,
            "broken-link",
            "index.html".into(),
            "articles/turkey-says/index.html".into()
        )]
    );
    let f = &report.findings[0];
    assert_eq!(f.text.as_deref(), Some("The report"));
    assert_eq!(f.origin.as_deref(), Some("content/_index.md"));
    assert_eq!(
        f.message,
        "broken link `articles/turkey-says/index.html`: no file `articles/turkey-says/index.html` \
            was built"
    );
    assert_eq!(
        f.help.as_deref(),
        Some(
            "did you mean `articles/turkey-said/index.html`? From this page that is \
                `articles/turkey-said/index.html`"
        )
    );
    let errors = build_errors(
        &files,
        &|p| (p == "index.html").then(|| "content/_index.md".to_string()),
        "/",
    );
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].file, "content/_index.md");
    assert!(errors[0].message.ends_with("(on the page `index.html`)"), "{}", errors[0].message);
}

#[test]
fn a_directory_without_index_html_suggests_the_file() {
    let files =
        site(&[("index.html", r#"<a href="outlets/x">x</a>"#), ("outlets/x/index.html", "")]);
    let report = internal(&files, &no_origin, "/");
    let broken: Vec<&Finding> =
        report.findings.iter().filter(|f| f.kind == Kind::BrokenLink).collect();
    assert_eq!(broken.len(), 1);
    assert_eq!(
        broken[0].help.as_deref(),
        Some("did you mean `outlets/x/index.html`? From this page that is `outlets/x/index.html`")
    );
}

#[test]
fn fragments_must_name_an_id_or_a_name() {
    let files = site(&[
        (
            "index.html",
            r##"<a href="d/index.html#claim-who">ok</a><a href="d/index.html#named">ok</a>
            <a href="d/index.html#claim-wh0">typo</a><a href="#nowhere">self</a>
            <a href="style.css#x">css</a><a href="d/index.html#TOP">top</a><a href="d/">d</a>"##,
        ),
        ("d/index.html", r#"<h2 id="claim-who">Who</h2><a name="named"></a>"#),
        ("style.css", ""),
    ]);
    let report = internal(&files, &no_origin, "/");
    let got: Vec<(&str, &str, &str)> = report
        .findings
        .iter()
        .map(|f| (f.link.as_deref().unwrap(), f.message.as_str(), f.help.as_deref().unwrap()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "#nowhere",
                "no element with id `nowhere` in this page",
                "link to an existing id, or give the target heading that id (`## Title {#id}` in \
                    Markdown)"
            ),
            (
                "d/index.html#claim-wh0",
                "no element with id `claim-wh0` in `d/index.html`",
                "did you mean `#claim-who`?"
            ),
            (
                "style.css#x",
                "`style.css` is not an HTML page, so it has no anchor `#x`",
                "drop the `#…` part of the link"
            ),
        ]
    );
    assert!(
        report
            .findings
            .iter()
            .all(|f| f.kind == Kind::MissingAnchor && f.severity == Severity::Error)
    );
}

#[test]
fn links_leaving_the_site_are_errors() {
    let files = site(&[
        ("index.html", r#"<a href="a/index.html">a</a>"#),
        (
            "a/index.html",
            r##"<a href="/a/index.html#x">root</a><a href="../../up.html">up</a><a href="http://[::1">bad</a>"##,
        ),
    ]);
    let report = internal(&files, &no_origin, "/");
    let got: Vec<(&str, &str)> =
        report.findings.iter().map(|f| (f.kind.name(), f.link.as_deref().unwrap())).collect();
    assert_eq!(
        got,
        [
            ("outside-site", "../../up.html"),
            ("outside-site", "/a/index.html#x"),
            ("invalid-link", "http://[::1")
        ]
    );
    assert!(
        report.findings[1]
            .help
            .as_deref()
            .unwrap()
            .starts_with("from this page, write `index.html#x`"),
        "{:?}",
        report.findings[1].help
    );
}

#[test]
fn unreachable_pages_are_warnings_but_404_and_data_are_not() {
    let files = site(&[
        ("index.html", r#"<a href="a/index.html">a</a>"#),
        ("a/index.html", r#"<a href="b/index.html">b</a>"#),
        ("a/b/index.html", r#"<a href="../../orphan/index.html">back-link only</a>"#),
        ("orphan/index.html", r#"<a href="../index.html">home</a>"#),
        ("island/index.html", r#"<a href="../orphan/index.html">to the other orphan</a>"#),
        ("404.html", ""),
        ("articles.json", "[]"),
    ]);
    let report = internal(&files, &no_origin, "/");
    assert_eq!(
        summary(&report),
        [(Severity::Warning, "unreachable", "island/index.html".into(), String::new())]
    );
    assert!(!report.has_errors());
}

#[test]
fn images_need_alt_text() {
    let files = site(&[
        (
            "index.html",
            r#"<img src="a.png"><img src="a.png" alt=" "><img src="a.png" alt="" role="presentation"><img src="a.png" alt="Described"><img src="a.png" aria-hidden="true">"#,
        ),
        ("a.png", ""),
    ]);
    let report = internal(&files, &no_origin, "/");
    assert_eq!(
        summary(&report),
        [
            (Severity::Error, "missing-alt", "index.html".into(), "a.png".into()),
            (Severity::Warning, "empty-alt", "index.html".into(), "a.png".into()),
        ]
    );
}

#[test]
fn external_links_are_filed_by_domain_with_their_pages() {
    let files = site(&[
        (
            "index.html",
            r##"<a href="https://WWW.Example.org/a#frag">first</a><a href="a/index.html">a</a><a href="//cdn.example.net/x.js">cdn</a>"##,
        ),
        (
            "a/index.html",
            r#"<a href="https://www.example.org/a">again</a><a href="http://other.example/">o</a>"#,
        ),
    ]);
    let report = internal(&files, &no_origin, "/");
    let inventory: Vec<(&str, &str, Vec<&str>)> = report
        .external
        .iter()
        .flat_map(|(d, urls)| {
            urls.iter().map(move |(u, l)| {
                (d.as_str(), u.as_str(), l.pages.keys().map(String::as_str).collect())
            })
        })
        .collect();
    assert_eq!(
        inventory,
        [
            ("cdn.example.net", "https://cdn.example.net/x.js", vec!["index.html"]),
            ("other.example", "http://other.example/", vec!["a/index.html"]),
            ("www.example.org", "https://www.example.org/a", vec!["a/index.html", "index.html"]),
        ]
    );
    assert_eq!(report.external_links, 4);
    assert_eq!(report.external_urls(), 3);
    assert_eq!(
        summary(&report),
        [(
            Severity::Warning,
            "protocol-relative",
            "index.html".into(),
            "//cdn.example.net/x.js".into()
        )]
    );
}

#[test]
fn content_errors_become_findings() {
    let d = Diagnostic::error("content/articles/x.md", "unknown outlet `presstb`")
        .at("---\noutlet: presstb\n", 2, 9)
        .help("did you mean `presstv`?");
    let error = anyhow::Error::new(Diagnostics::sorted(vec![d.clone()]));
    let report = Report::from_build_error(&error);
    assert!(!report.built);
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].kind, Kind::Content);
    assert_eq!(report.findings[0].to_diagnostic(), d);

    let other =
        Report::from_build_error(&anyhow::anyhow!("no dossier.yaml").context("cannot load"));
    assert_eq!(other.findings[0].message, "cannot load: no dossier.yaml");
    assert!(other.has_errors());
}

#[test]
fn a_stopped_cross_check_gives_up_and_an_unstopped_one_finds_the_broken_link() {
    let strings = crate::intern::Interner::new();
    let page = "index.html";
    let links = html::extract(r#"<main id="m"><a href="gone.html">gone</a></main>"#);
    let facts: BTreeMap<String, PageFacts> =
        [(page.to_string(), PageFacts::read(page, links, "/", &strings))].into();
    let files: std::collections::BTreeSet<&str> = [page].into();
    let full = cross_check(&facts, &files, &no_origin, &strings, &|| false);
    assert_eq!(
        summary(&full),
        [(Severity::Error, "broken-link", page.to_string(), "gone.html".to_string())]
    );
    let stopped = cross_check(&facts, &files, &no_origin, &strings, &|| true);
    assert!(stopped.findings.is_empty());
    assert_eq!(stopped.pages, 0, "an empty report, for the caller to throw away");
}
