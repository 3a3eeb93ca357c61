//! Paginated listing pages (`paginate_by` in dossier.yaml): the `basic` fixture built with one
//! article per page, so its three articles fill three pages of the articles list. Checks the
//! paths, the "Page N of M" text, that every previous/next/first/last link (in the page and in
//! the head) lands on a written file, the sitemap, the link checker, and a bad `paginate_by`.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::{TestSite, dossier, text_of};

/// The `basic` fixture with `paginate_by` (and any other lines) added to its dossier.yaml.
fn site_with(extra: &str) -> TestSite {
    let site = TestSite::from_fixture("basic");
    let config = site.read("dossier.yaml");
    site.write("dossier.yaml", &format!("{config}{extra}"));
    site
}

/// The `href`s of the elements matching `selector`.
fn hrefs(html: &str, selector: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel).filter_map(|e| e.value().attr("href")).map(str::to_string).collect()
}

/// The output file a relative `href` on the page written at `page` (relative to `public`)
/// points to; a directory link means its `index.html`.
fn resolve(public: &Path, page: &str, href: &str) -> std::path::PathBuf {
    let dir = Path::new(page).parent().unwrap();
    let mut parts: Vec<String> =
        dir.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    for seg in href.split('/') {
        match seg {
            ".." => {
                parts.pop().expect("link climbs out of the site");
            }
            "." | "" => {}
            s => parts.push(s.to_string()),
        }
    }
    let mut path = public.to_path_buf();
    path.extend(&parts);
    if href.ends_with('/') { path.join("index.html") } else { path }
}

#[test]
fn the_articles_list_is_split_at_page_n() {
    let site = site_with("paginate_by: 1\n");
    site.build(&[]).ok();
    let public = site.public();
    for page in ["articles/index.html", "articles/page/2/index.html", "articles/page/3/index.html"]
    {
        assert!(public.join(page).is_file(), "{page} missing");
    }
    assert!(!public.join("articles/page/1").exists(), "page 1 stays at the list's own path");
    assert!(!public.join("articles/page/4").exists(), "three articles make three pages");

    let page2 = site.read("public/articles/page/2/index.html");
    assert_eq!(text_of(&page2, ".pagination-status"), "Page 2 of 3 (item 2 of 3)");
    assert_eq!(text_of(&page2, "title"), "Articles — page 2 — Fixture Dossier");
    assert_eq!(
        hrefs(&page2, "link[rel=canonical]"),
        ["https://example.org/fixture/articles/page/2/"]
    );
    assert_eq!(hrefs(&page2, "head link[rel=prev]"), ["../../index.html"]);
    assert_eq!(hrefs(&page2, "head link[rel=next]"), ["../3/index.html"]);
    assert_eq!(
        hrefs(&page2, ".pagination a"),
        ["../../index.html", "../../index.html", "../3/index.html", "../3/index.html"]
    );
    assert_eq!(text_of(&page2, ".pagination a"), "« First ‹ Previous Next › Last »");
    assert_eq!(scraper_count(&page2, "li.article-item"), 1);

    let page1 = site.read("public/articles/index.html");
    assert_eq!(text_of(&page1, "title"), "Articles — Fixture Dossier");
    assert!(hrefs(&page1, "link[rel=prev]").is_empty());
    assert_eq!(hrefs(&page1, "head link[rel=next]"), ["page/2/index.html"]);
    let last = site.read("public/articles/page/3/index.html");
    assert_eq!(text_of(&last, ".pagination-status"), "Page 3 of 3 (item 3 of 3)");
    assert!(hrefs(&last, "link[rel=next], a[rel=next]").is_empty(), "the last page has no next");
    assert_eq!(text_of(&last, ".pagination .disabled"), "Next › Last »");
}

fn scraper_count(html: &str, selector: &str) -> usize {
    let doc = scraper::Html::parse_document(html);
    doc.select(&scraper::Selector::parse(selector).unwrap()).count()
}

/// Every pagination link of every page, in the head and in the page, names a written file, with
/// links to `index.html` and with pretty links alike; following `next` from page 1 visits every
/// page once, in order.
#[test]
fn every_pagination_link_lands_on_a_written_page() {
    for (extra, pretty) in
        [("paginate_by: 1\n", false), ("paginate_by: 1\npretty_links: true\n", true)]
    {
        let site = site_with(extra);
        site.build(&[]).ok();
        let public = site.public();
        let pages: Vec<String> = crate::support::read_tree(&public)
            .into_keys()
            .filter(|p| p.ends_with("index.html"))
            .collect();
        let mut checked = 0;
        for page in &pages {
            let html = std::fs::read_to_string(public.join(page)).unwrap();
            for href in hrefs(&html, "head link[rel=prev], head link[rel=next], .pagination a") {
                assert_eq!(href.ends_with('/'), pretty, "{page}: {href}");
                let target = resolve(&public, page, &href);
                assert!(target.is_file(), "{page}: {href} → {} is missing", target.display());
                checked += 1;
            }
        }
        assert!(checked >= 20, "only {checked} pagination links found");

        let mut seen = vec!["articles/index.html".to_string()];
        loop {
            let page = seen.last().unwrap().clone();
            let html = std::fs::read_to_string(public.join(&page)).unwrap();
            let Some(next) = hrefs(&html, "a[rel=next]").pop() else { break };
            let target = resolve(&public, &page, &next);
            let rel = target.strip_prefix(&public).unwrap().to_string_lossy().replace('\\', "/");
            seen.push(rel);
        }
        assert_eq!(
            seen,
            ["articles/index.html", "articles/page/2/index.html", "articles/page/3/index.html"]
        );
    }
}

#[test]
fn term_outlet_actor_and_coverage_pages_hold_at_most_paginate_by_items() {
    let site = site_with("paginate_by: 1\n");
    site.build(&[]).ok();
    let tree = crate::support::read_tree(&site.public());
    let paged: BTreeSet<&str> =
        tree.keys().map(String::as_str).filter(|p| p.contains("/page/")).collect();
    for expected in [
        "topics/ceasefire-claims/page/2/index.html",
        "outlets/paper/page/2/index.html",
        "coverage/page/2/index.html",
    ] {
        assert!(paged.contains(expected), "{expected} missing from {paged:#?}");
    }
    // The paginated list of each page: the page's own list, or its "items" section.
    let list = "main > ol.article-list > li, section[aria-labelledby=items-heading] li.article-item, \
                table.coverage tr.original";
    let mut lists = 0;
    for (path, bytes) in tree.iter().filter(|(p, _)| p.ends_with(".html") && *p != "index.html") {
        let n = scraper_count(&String::from_utf8_lossy(bytes), list);
        assert!(n <= 1, "{path} holds {n} items");
        lists += usize::from(n == 1);
    }
    assert!(lists >= 12, "only {lists} list pages seen");
    let term2 = String::from_utf8_lossy(&tree["topics/ceasefire-claims/page/2/index.html"]);
    assert_eq!(text_of(&term2, ".pagination-status"), "Page 2 of 2 (item 2 of 2)");
    assert!(text_of(&term2, "title").starts_with("Ceasefire claims — page 2 — "));
}

/// The outlet's description is on page 1; the later pages show the list and link back.
#[test]
fn later_outlet_pages_show_only_the_list() {
    let site = site_with("paginate_by: 1\n");
    site.build(&[]).ok();
    let first = site.read("public/outlets/paper/index.html");
    let second = site.read("public/outlets/paper/page/2/index.html");
    assert_eq!(text_of(&first, "#facts-heading"), "At a glance");
    assert_eq!(text_of(&second, "#facts-heading"), "");
    assert_eq!(hrefs(&second, "main p.more a"), ["../../index.html"]);
    assert_eq!(text_of(&second, "#items-heading"), text_of(&first, "#items-heading"));
}

#[test]
fn the_sitemap_lists_every_page_of_a_list() {
    let site = site_with("paginate_by: 1\n");
    site.build(&[]).ok();
    let sitemap = site.read("public/sitemap.xml");
    for url in [
        "https://example.org/fixture/articles/</loc>",
        "https://example.org/fixture/articles/page/2/</loc>",
        "https://example.org/fixture/articles/page/3/</loc>",
        "https://example.org/fixture/topics/ceasefire-claims/page/2/</loc>",
    ] {
        assert!(sitemap.contains(&format!("<loc>{url}")), "{url} not in\n{sitemap}");
    }
    let pages = crate::support::read_tree(&site.public())
        .keys()
        .filter(|p| p.ends_with("index.html"))
        .count();
    assert_eq!(sitemap.matches("<loc>").count(), pages);
}

#[test]
fn the_link_checker_finds_every_pagination_link_valid() {
    let site = site_with("paginate_by: 1\n");
    let root = site.root.to_string_lossy().into_owned();
    let run = dossier(&["check", "--root", &root, "--format", "json"], site.tmp.path());
    run.ok();
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(report["findings"], serde_json::json!([]), "{:#}", report["findings"]);
    assert!(report["summary"]["pages"].as_u64().unwrap() > 20, "{:#}", report["summary"]);
}

#[test]
fn a_short_list_has_no_pagination() {
    let site = site_with("");
    site.build(&[]).ok();
    let tree = crate::support::read_tree(&site.public());
    assert!(tree.keys().all(|p| !p.contains("/page/")), "no page/N without paginate_by");
    let articles = String::from_utf8_lossy(&tree["articles/index.html"]);
    assert_eq!(scraper_count(&articles, "nav.pagination, link[rel=next]"), 0);
    assert_eq!(scraper_count(&articles, "li.article-item"), 3);
}

#[test]
fn a_bad_paginate_by_is_a_located_error() {
    for (value, message) in [
        ("0", "paginate_by: 0 is not allowed: a listing page must hold at least one article"),
        ("-2", "paginate_by: -2 is not allowed: the number of articles per page must be positive"),
        ("ten", "paginate_by: invalid type: string \"ten\", expected a positive whole number"),
    ] {
        let site = site_with(&format!("paginate_by: {value}\n"));
        let line = site.read("dossier.yaml").lines().count();
        let run = site.build(&[]);
        assert_eq!(run.code, 1, "{value}: {}", run.stderr);
        let first = run.stderr.lines().next().unwrap_or("");
        assert_eq!(first, format!("error: dossier.yaml:{line}:14: {message}"));
        assert!(
            run.stderr
                .contains("help: set `paginate_by` to how many articles a listing page holds"),
            "{}",
            run.stderr
        );
        assert!(!site.public().exists(), "nothing is written");
    }
}

/// A term's or outlet's own feed belongs to the whole list: every page of it links to it.
#[test]
fn every_page_of_a_list_links_to_its_own_feed() {
    let site = site_with("paginate_by: 1\nfeeds:\n  outlets: true\n  taxonomies: [topics]\n");
    site.build(&[]).ok();
    for (page, feed) in [
        ("topics/ceasefire-claims/index.html", "atom.xml"),
        ("topics/ceasefire-claims/page/2/index.html", "../../atom.xml"),
        ("outlets/paper/page/2/index.html", "../../atom.xml"),
    ] {
        let html = site.read(&format!("public/{page}"));
        assert_eq!(hrefs(&html, ".feed-link a"), [feed], "{page}");
        assert!(hrefs(&html, "link[rel=alternate]").contains(&feed.to_string()), "{page}");
    }
}
