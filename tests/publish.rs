//! Publishing outputs over the fixture: Atom feeds, sitemap, robots.txt, the 404 page at any
//! depth, head metadata and JSON-LD, `--base-url` with a path, fingerprinted assets and
//! `_headers`.

use std::collections::BTreeMap;

use crate::support::{TestSite, read_tree};

fn text(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(files.get(path).unwrap_or_else(|| panic!("{path} not built")).clone())
        .unwrap()
}

fn build(site: &TestSite, args: &[&str]) -> BTreeMap<String, Vec<u8>> {
    let mut all = vec!["-q"];
    all.extend_from_slice(args);
    site.build(&all).ok();
    read_tree(&site.public())
}

fn attr(html: &str, selector: &str, name: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel).filter_map(|e| e.value().attr(name).map(str::to_string)).collect()
}

#[test]
fn atom_feed_lists_dated_articles_newest_first() {
    let site = TestSite::from_fixture("basic");
    let files = build(&site, &[]);
    let feed = text(&files, "atom.xml");
    assert!(feed.starts_with(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\""
    ));
    let ids: Vec<&str> = feed
        .match_indices("<id>")
        .map(|(i, _)| &feed[i + 4..i + 4 + feed[i + 4..].find("</id>").unwrap()])
        .collect();
    assert_eq!(
        ids,
        [
            "https://example.org/fixture/atom.xml",
            "https://example.org/fixture/articles/2020-01-02-wire-report/",
            "https://example.org/fixture/articles/2020-01-01-paper-full-text/",
        ],
        "the undated copy is left out; newest first"
    );
    assert!(feed.contains("<updated>2020-01-02T10:30:00+00:00</updated>\n  <author>"), "{feed}");
    // A bare date is taken as midnight UTC.
    assert!(feed.contains("<published>2020-01-01T00:00:00Z</published>"), "{feed}");
    // The full-text article carries its body; the report only its summary.
    let full = &feed[feed.find("paper-full-text/</id>").unwrap()..];
    assert!(
        full.contains(
            "<content type=\"html\" \
        xml:base=\"https://example.org/fixture/articles/2020-01-01-paper-full-text/\">&lt;p&gt;"
        ),
        "{full}"
    );
    let report =
        &feed[feed.find("wire-report/</id>").unwrap()..feed.find("paper-full-text/</id>").unwrap()];
    assert!(!report.contains("<content"), "{report}");
    // Entry ids are stable: a rebuild gives the same feed.
    let again = build(&site, &[]);
    assert_eq!(text(&again, "atom.xml"), feed);
}

#[test]
fn feed_limit_and_per_outlet_and_topic_feeds_follow_the_config() {
    let site = TestSite::from_fixture("basic");
    let config =
        site.read("dossier.yaml") + "feeds:\n  limit: 1\n  outlets: true\n  taxonomies: [topics]\n";
    site.write("dossier.yaml", &config);
    let files = build(&site, &[]);
    let feed = text(&files, "atom.xml");
    assert_eq!(feed.matches("<entry>").count(), 1, "{feed}");
    assert!(feed.contains("2020-01-02-wire-report/</id>"));
    let feeds: Vec<&str> =
        files.keys().filter(|k| k.ends_with("atom.xml")).map(String::as_str).collect();
    assert_eq!(
        feeds,
        [
            "atom.xml",
            "outlets/paper/atom.xml",
            "outlets/wire/atom.xml",
            "topics/air-strikes/atom.xml",
            "topics/ceasefire-claims/atom.xml",
        ]
    );
    let outlet = text(&files, "outlets/paper/index.html");
    assert_eq!(
        attr(&outlet, "link[rel=alternate][type='application/atom+xml']", "href"),
        ["../../atom.xml", "atom.xml"]
    );
    assert_eq!(attr(&outlet, ".feed-link a", "href"), ["atom.xml"]);
    // A page without its own feed links only the dossier's.
    let article = text(&files, "articles/2020-01-02-wire-report/index.html");
    assert_eq!(
        attr(&article, "link[rel=alternate][type='application/atom+xml']", "href"),
        ["../../atom.xml"]
    );
}

#[test]
fn feeds_of_an_unbuilt_taxonomy_are_a_config_error() {
    let site = TestSite::from_fixture("basic");
    let config = site.read("dossier.yaml").replace("taxonomies:", "taxonomies_unused:");
    let config = format!("{config}taxonomies: [places]\nfeeds:\n  taxonomies: [topics]\n");
    site.write("dossier.yaml", &config.replace("taxonomies_unused:", "# was:"));
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("`feeds.taxonomies` names `topics`, which is not built"),
        "{}",
        run.stderr
    );
}

#[test]
fn sitemap_lists_every_page_but_the_404_and_robots_names_it() {
    let site = TestSite::from_fixture("basic");
    let files = build(&site, &[]);
    let sitemap = text(&files, "sitemap.xml");
    let pages: Vec<String> = files
        .keys()
        .filter(|k| k.ends_with(".html") && *k != "404.html")
        .map(|k| format!("https://example.org/fixture/{}", k.trim_end_matches("index.html")))
        .collect();
    let mut locs: Vec<String> = sitemap
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<url><loc>"))
        .map(|l| l.trim_end_matches("</loc></url>").to_string())
        .collect();
    assert_eq!(locs.len(), pages.len());
    locs.sort();
    let mut expected = pages;
    expected.sort();
    assert_eq!(locs, expected);
    assert_eq!(
        text(&files, "robots.txt"),
        "User-agent: *\nAllow: /\n\nSitemap: https://example.org/fixture/sitemap.xml\n"
    );
}

#[test]
fn base_url_with_a_path_reaches_feeds_sitemap_canonical_and_the_404_page() {
    let site = TestSite::from_fixture("basic");
    let files = build(&site, &["--base-url", "https://host.example/idlib-dossier"]);
    let page = text(&files, "articles/2020-01-02-wire-report/index.html");
    let canonical = "https://host.example/idlib-dossier/articles/2020-01-02-wire-report/";
    assert_eq!(attr(&page, "link[rel=canonical]", "href"), [canonical]);
    assert_eq!(attr(&page, "meta[property='og:url']", "content"), [canonical]);
    // Page links stay relative.
    assert!(attr(&page, "a[href]", "href").iter().all(|h| !h.starts_with('/')
        && (h.starts_with("http") && !h.contains("host.example") || !h.contains("://"))));
    assert!(
        text(&files, "atom.xml").contains("<id>https://host.example/idlib-dossier/atom.xml</id>")
    );
    assert!(
        text(&files, "sitemap.xml")
            .contains("<loc>https://host.example/idlib-dossier/timeline/</loc>")
    );
    assert!(
        text(&files, "robots.txt")
            .ends_with("Sitemap: https://host.example/idlib-dossier/sitemap.xml\n")
    );

    // The 404 page is shown at any address: its links start at the site's root path, and its
    // stylesheet is inline (nothing to fetch, so it also opens from file://).
    let not_found = text(&files, "404.html");
    let hrefs = attr(&not_found, "a[href], link[href]:not([rel=icon])", "href");
    assert!(hrefs.contains(&"/idlib-dossier/index.html".to_string()), "{hrefs:?}");
    for h in &hrefs {
        assert!(h.starts_with("/idlib-dossier/") || h.starts_with('#'), "{h}");
    }
    assert!(attr(&not_found, "link[rel=stylesheet]", "href").is_empty());
    assert!(not_found.contains("<style>/* dossier"), "stylesheet inlined");
    assert!(attr(&not_found, "link[rel=canonical]", "href").is_empty());
}

#[test]
fn article_pages_carry_description_open_graph_and_news_article_json_ld() {
    let site = TestSite::from_fixture("basic");
    let files = build(&site, &[]);
    let page = text(&files, "articles/2020-01-02-wire-report/index.html");
    assert_eq!(attr(&page, "meta[property='og:type']", "content"), ["article"]);
    let description = attr(&page, "meta[name=description]", "content");
    assert_eq!(description.len(), 1);
    assert_eq!(attr(&page, "meta[property='og:description']", "content"), description);
    assert!(!description[0].is_empty());
    let doc = scraper::Html::parse_document(&page);
    let sel = scraper::Selector::parse("script[type='application/ld+json']").unwrap();
    let scripts: Vec<String> = doc.select(&sel).map(|e| e.text().collect()).collect();
    assert_eq!(scripts.len(), 1);
    let ld: serde_json::Value = serde_json::from_str(&scripts[0]).unwrap();
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["datePublished"], "2020-01-02T10:30:00+00:00");
    assert_eq!(ld["publisher"]["@type"], "Organization");
    assert!(ld["headline"].is_string());
    assert!(ld["isBasedOn"].as_str().unwrap().starts_with("https://"), "{ld}");
    assert_eq!(ld["url"], "https://example.org/fixture/articles/2020-01-02-wire-report/");

    // No recorded headline or date: those fields are absent, never guessed.
    let copy = text(&files, "articles/2020-01-02-paper-copy/index.html");
    let doc = scraper::Html::parse_document(&copy);
    let ld: String = doc.select(&sel).next().unwrap().text().collect();
    let ld: serde_json::Value = serde_json::from_str(&ld).unwrap();
    assert!(ld.get("headline").is_none() && ld.get("datePublished").is_none(), "{ld}");
    assert!(attr(&copy, "meta[property='article:published_time']", "content").is_empty());

    // Every page has exactly one canonical link and one description.
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html") && *p != "404.html") {
        let html = std::str::from_utf8(bytes).unwrap();
        assert_eq!(attr(html, "link[rel=canonical]", "href").len(), 1, "{path}");
        assert_eq!(attr(html, "meta[name=description]", "content").len(), 1, "{path}");
        assert_eq!(attr(html, "meta[property='og:title']", "content").len(), 1, "{path}");
    }
}

#[test]
fn json_ld_cannot_close_its_script_element() {
    let site = TestSite::from_fixture("basic");
    let path = "content/articles/2020-01-02-wire-report.md";
    let article = site.read(path).replacen("summary:", "summary: \"</script><b>x\" #", 1);
    site.write(path, &article);
    let files = build(&site, &[]);
    let page = text(&files, "articles/2020-01-02-wire-report/index.html");
    assert!(page.contains("\\u003c/script>\\u003cb>x"), "{page}");
    assert_eq!(page.matches("</script>").count(), 1);
}

#[test]
fn assets_are_fingerprinted_and_cache_headers_are_opt_in() {
    let site = TestSite::from_fixture("basic");
    let files = build(&site, &[]);
    let css: Vec<&String> = files.keys().filter(|k| k.starts_with("style.")).collect();
    assert_eq!(css.len(), 1);
    let hash = &css[0]["style.".len()..css[0].len() - ".css".len()];
    assert_eq!(hash, &dossier::hash::sha256_hex(&files[css[0].as_str()])[..10]);
    let page = text(&files, "articles/2020-01-02-wire-report/index.html");
    assert_eq!(attr(&page, "link[rel=stylesheet]", "href"), [format!("../../{}", css[0])]);
    assert!(!files.contains_key("_headers"));

    // A dossier's own stylesheet gets its own name; `cache_headers` writes `_headers`.
    site.write("static/style.css", "body { color: black; }\n");
    let config = site.read("dossier.yaml") + "cache_headers: true\n";
    site.write("dossier.yaml", &config);
    let files = build(&site, &["--base-url", "https://host.example/sub/"]);
    let own =
        format!("style.{}.css", &dossier::hash::sha256_hex(b"body { color: black; }\n")[..10]);
    assert!(files.contains_key(&own), "{:?}", files.keys().collect::<Vec<_>>());
    let script: Vec<&String> = files.keys().filter(|k| k.starts_with("search.")).collect();
    assert_eq!(script.len(), 1, "the search script is fingerprinted too");
    assert_eq!(
        text(&files, "_headers"),
        format!(
            "# Cache hints written by dossier (`cache_headers: true`): fingerprinted files never\n\
             # change under their name.\n/sub/{}\n  Cache-Control: public, max-age=31536000, immutable\n\
             /sub/{own}\n  Cache-Control: public, max-age=31536000, immutable\n",
            script[0]
        )
    );

    // Fingerprinting can be turned off.
    let config = site.read("dossier.yaml") + "fingerprint_assets: false\n";
    site.write("dossier.yaml", &config);
    let files = build(&site, &[]);
    assert!(files.contains_key("style.css"));
}
