//! `dossier build` over the valid fixture: what is written, and what the command says.

use crate::support::{TestSite, text_of};

#[test]
fn builds_every_page_kind_and_reports_a_summary() {
    let site = TestSite::from_fixture("basic");
    let stdout = site.build(&[]).ok().to_string();
    let summary = site.normalize(&stdout);
    assert!(
        summary.starts_with(
            "Built 22 pages, 1 feed, 3 data files, 3 static files, 14 search index files and 2 other \
             files into [TMP]/site/public in "
        ),
        "{summary}"
    );
    let files = crate::support::read_tree(&site.public());
    // Stylesheets and scripts are named after a hash of their bytes; the search index
    // (pagefind/) is checked in tests/search.rs.
    let names: Vec<String> =
        files.keys().filter(|k| !k.starts_with("pagefind/")).map(|k| unhashed(k)).collect();
    assert_eq!(
        names,
        [
            ".dossier-manifest",
            "404.html",
            "about/index.html",
            "actors/centre-b/index.html",
            "actors/index.html",
            "actors/ministry-a/index.html",
            "articles.json",
            "articles/2020-01-01-paper-full-text/index.html",
            "articles/2020-01-02-paper-copy/index.html",
            "articles/2020-01-02-wire-report/index.html",
            "articles/index.html",
            "atom.xml",
            "claims.json",
            "coverage/index.html",
            "dispute/index.html",
            "images/photo.png",
            "index.html",
            "outlets/index.html",
            "outlets/paper/index.html",
            "outlets/wire/index.html",
            "places/index.html",
            "places/town-b/index.html",
            "robots.txt",
            "search.HASH.js",
            "search/index.html",
            "sitemap.xml",
            "style.HASH.css",
            "timeline.json",
            "timeline/index.html",
            "topics/air-strikes/index.html",
            "topics/ceasefire-claims/index.html",
            "topics/index.html",
        ]
    );
}

#[test]
fn front_page_lists_articles_newest_first_without_drafts() {
    let site = TestSite::from_fixture("basic");
    site.build(&["--quiet"]).ok();
    let index = site.read("public/index.html");
    let titles = text_of(&index, ".item-title");
    // Undated items come last; an item whose headline was not recorded is named by whose report
    // it is and where, and says that the headline is not recorded.
    assert_eq!(
        titles,
        "Wire says \"things happened\" Paper prints the full text \
         Example Wire report via Example Paper (headline not recorded)"
    );
    assert!(!index.contains("A draft"));
    assert_eq!(text_of(&index, ".item-meta time"), "2 January 2020 1 January 2020");
}

#[test]
fn drafts_flag_includes_drafts() {
    let site = TestSite::from_fixture("basic");
    site.build(&["--drafts", "--quiet"]).ok();
    assert!(site.public().join("articles/2020-01-03-draft/index.html").is_file());
    assert!(site.read("public/index.html").contains("A draft"));
}

#[test]
fn article_page_shows_the_record_and_unknowns_plainly() {
    let site = TestSite::from_fixture("basic");
    site.build(&["-q"]).ok();
    let full = site.read("public/articles/2020-01-01-paper-full-text/index.html");
    let record = text_of(&full, ".record dl");
    assert!(record.contains("Original address not known"), "{record}");
    assert!(record.contains("Language de"), "{record}");
    // Rows that would only say "not recorded" are one line under the record.
    for row in ["Retrieved", "Archived copies", "Byline", "Section"] {
        assert!(!record.contains(row), "{row}: {record}");
    }
    assert_eq!(
        text_of(&full, ".record .not-recorded"),
        "Not recorded: original address, byline, section, when it was retrieved, an archived copy."
    );
    // The text comes before the record.
    let (body, record_at) =
        (full.find("class=\"article-body\"").unwrap(), full.find("id=\"record\"").unwrap());
    assert!(body < record_at, "the text leads, the record follows");
    // The editor's translation of a headline in another language is marked as such.
    assert_eq!(
        text_of(&full, ".page-header .translation"),
        "Editor’s translation: “The paper prints the full text (synthetic translation)”"
    );
    // Full text keeps the outlet's punctuation: no smart quotes, no en dash.
    assert_eq!(
        text_of(&full, ".article-body p:first-child"),
        "First paragraph with \"straight quotes\" -- and a dash."
    );
    assert!(full.contains("<div class=\"article-body\" lang=\"de\">"));

    let report = site.read("public/articles/2020-01-02-wire-report/index.html");
    let record = text_of(&report, ".record dl");
    assert!(record.contains("Published 2 January 2020, 10:30 (UTC+00:00)"), "{record}");
    assert!(record.contains("Primary domain wire.example.org"), "{record}");
    assert!(record.contains("Byline A. Reporter"), "{record}");
    assert!(record.contains("Archived copies https://web.archive.org/web/2020/"), "{record}");
    assert_eq!(
        text_of(&report, ".article-body p:first-child"),
        "Our “summary” – in our own words."
    );
    assert_eq!(
        text_of(&report, "figcaption"),
        "A synthetic photo. Photo: Fixture Photographer, taken December 2019"
    );
    assert!(report.contains("<img src=\"../../images/photo.png\" alt=\"A grey square\">"));
    assert!(report.contains("href=\"../2020-01-01-paper-full-text/index.html#second-section\""));
}

#[test]
fn outlet_pages_show_known_facts_and_unknowns() {
    let site = TestSite::from_fixture("basic");
    site.build(&["-q"]).ok();
    let paper = site.read("public/outlets/paper/index.html");
    assert_eq!(text_of(&paper, ".record dl"), "");
    assert_eq!(
        text_of(&paper, ".record .not-recorded"),
        "Not recorded: an affiliation or leaning with its source, where it is based, its owner, \
         its home page."
    );
    assert!(paper.contains("No domains recorded."));
    assert_eq!(text_of(&paper, ".outlet-role"), "In this dossier: the publisher of 2 items.");
    let wire = site.read("public/outlets/wire/index.html");
    assert_eq!(
        text_of(&wire, ".outlet-role"),
        "In this dossier: the publisher of 1 item; the source of 1 item published by other outlets."
    );
    assert!(
        text_of(&wire, ".domains").contains(
            "wire.example.com former ◐ partly verified (one independent source) — Old domain."
        ),
        "{}",
        text_of(&wire, ".domains")
    );
    assert!(text_of(&wire, ".facts").contains(
        "Founded in 2001 (synthetic). ? unverified (one independent source) Founding notice"
    ));
    let list = site.read("public/outlets/index.html");
    assert_eq!(
        text_of(&list, "tbody tr:first-child"),
        "Example Paper not recorded not recorded not recorded 2"
    );
}

#[test]
fn pretty_links_drop_index_html() {
    let site = TestSite::from_fixture("basic");
    let config = site.read("dossier.yaml") + "pretty_links: true\n";
    site.write("dossier.yaml", &config);
    site.build(&["-q"]).ok();
    let page = site.read("public/articles/2020-01-02-wire-report/index.html");
    assert!(page.contains("href=\"../../outlets/wire/\""), "pretty link to the outlet");
    assert!(page.contains("href=\"../../\""), "pretty link to the front page");
    assert!(!page.contains("index.html\""));
}

#[test]
fn base_url_override_is_validated() {
    let site = TestSite::from_fixture("basic");
    let run = site.build(&["--base-url", "ftp://example.org/"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("error: --base-url: `ftp://example.org/` uses the `ftp:` scheme"),
        "{}",
        run.stderr
    );
    site.build(&["--base-url", "https://mirror.example.net/sub/dir", "-q"]).ok();
}

#[test]
fn site_templates_override_the_builtin_theme() {
    let site = TestSite::from_fixture("basic");
    site.write("templates/404.html", "custom 404 for {{ config.title }}");
    site.build(&["-q"]).ok();
    assert_eq!(site.read("public/404.html"), "custom 404 for Fixture Dossier");
}

#[test]
fn verbose_prints_step_times() {
    let site = TestSite::from_fixture("basic");
    let out = site.build(&["--verbose"]).ok().to_string();
    for step in ["config", "content", "templates", "pages", "links", "commit"] {
        assert!(
            out.lines().any(|l| l.trim_start().starts_with(step) && l.ends_with(" ms")),
            "{step} in {out}"
        );
    }
}

#[test]
fn help_and_version() {
    let tmp = tempfile::tempdir().unwrap();
    let help = crate::support::dossier(&["--help"], tmp.path());
    assert!(help.ok().contains("Build the dossier into a directory of static HTML"));
    let build_help = crate::support::dossier(&["build", "--help"], tmp.path());
    for flag in
        ["--root <DIR>", "--output <DIR>", "--base-url <URL>", "--drafts", "--quiet", "--force"]
    {
        assert!(build_help.stdout.contains(flag), "{flag} in {}", build_help.stdout);
    }
    let version = crate::support::dossier(&["--version"], tmp.path());
    assert_eq!(version.ok().trim(), format!("dossier {}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn no_config_is_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let run = crate::support::dossier(&["build"], tmp.path());
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "no dossier.yaml in `.`: run dossier in a dossier's directory, or pass --root DIR"
        ),
        "{}",
        run.stderr
    );
}

/// The whole rendered article page, pinned (review changes with `cargo insta review`, or
/// `INSTA_UPDATE=always cargo test` and `git diff tests/snapshots`).
#[test]
fn article_page_snapshot() {
    let site = TestSite::from_fixture("basic");
    site.build(&["-q"]).ok();
    // The stylesheet's hash changes with every CSS edit; the snapshot is about the page.
    let hashed: Vec<(String, String)> = crate::support::read_tree(&site.public())
        .into_keys()
        .map(|k| (unhashed(&k), k))
        .filter(|(u, k)| u != k)
        .collect();
    let read = |p: &str| {
        hashed.iter().fold(site.read(p), |text, (u, k)| text.replace(k.as_str(), u.as_str()))
    };
    insta::assert_snapshot!(
        "article_page_report",
        read("public/articles/2020-01-02-wire-report/index.html")
    );
    insta::assert_snapshot!(
        "article_page_full_text",
        read("public/articles/2020-01-01-paper-full-text/index.html")
    );
}

/// `name.<10 hex digits>.ext` → `name.HASH.ext`: a fingerprinted file's hash changes with every
/// edit of the file.
fn unhashed(path: &str) -> String {
    let parts: Vec<&str> = path.split('.').collect();
    match parts.as_slice() {
        [stem, hash, ext]
            if hash.len() == 10 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) =>
        {
            format!("{stem}.HASH.{ext}")
        }
        _ => path.to_string(),
    }
}
