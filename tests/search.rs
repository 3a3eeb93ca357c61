//! Full-text search end to end: the index under `pagefind/` (what it holds, read back from its
//! fragments), the search page and the header box, byte-identical rebuilds, and the real search
//! in Chromium (`tests/browser/search.mjs`) when the tools are installed.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::Path;
use std::process::Command;

use crate::support::{TestSite, read_tree, text_of};

/// The built site's index fragments by result URL: each is gzip, Pagefind's `pagefind_dcd`
/// marker, then the JSON of one result (url, content, meta).
fn fragments(public: &Path) -> BTreeMap<String, serde_json::Value> {
    read_tree(&public.join("pagefind/fragment"))
        .into_values()
        .map(|bytes| {
            let mut raw = Vec::new();
            flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut raw).unwrap();
            let json = raw.strip_prefix(b"pagefind_dcd").expect("Pagefind marker");
            let v: serde_json::Value = serde_json::from_slice(json).unwrap();
            (v["url"].as_str().unwrap().to_string(), v)
        })
        .collect()
}

/// The decompressed word index: words are CBOR text strings, so a stemmed word is findable as
/// bytes.
fn word_index(public: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for bytes in read_tree(&public.join("pagefind/index")).into_values() {
        flate2::read::GzDecoder::new(&bytes[..]).read_to_end(&mut all).unwrap();
    }
    all
}

#[test]
fn the_index_is_written_beside_the_site_in_the_dossier_language() {
    let site = TestSite::from_fixture("basic");
    site.build(&["-q"]).ok();
    let files = read_tree(&site.public().join("pagefind"));
    for wanted in ["pagefind.js", "pagefind-worker.js", "pagefind-entry.json", "wasm.en.pagefind"] {
        assert!(files.contains_key(wanted), "pagefind/{wanted} missing: {:?}", files.keys());
    }
    // Pagefind's own UI bundles are not shipped; the page renders results itself.
    assert!(files.keys().all(|p| !p.contains("-ui") && !p.contains("highlight")), "{files:?}");
    let entry: serde_json::Value = serde_json::from_slice(&files["pagefind-entry.json"]).unwrap();
    let languages: Vec<&String> = entry["languages"].as_object().unwrap().keys().collect();
    assert_eq!(languages, ["en"]);
    // 3 articles + 2 claims + 3 events; no listing page.
    assert_eq!(entry["languages"]["en"]["page_count"], 8);
}

#[test]
fn every_article_claim_and_event_is_one_result_and_nothing_else_is() {
    let site = TestSite::from_fixture("basic");
    site.build(&["-q"]).ok();
    let frags = fragments(&site.public());
    let urls: Vec<&str> = frags.keys().map(String::as_str).collect();
    assert_eq!(
        urls,
        [
            "articles/2020-01-01-paper-full-text/index.html",
            "articles/2020-01-02-paper-copy/index.html",
            "articles/2020-01-02-wire-report/index.html",
            "dispute/index.html#claim-ceasefire",
            "dispute/index.html#claim-who-fired",
            "timeline/index.html#event-shelling",
            "timeline/index.html#event-statement",
            "timeline/index.html#event-talks",
        ]
    );
    let ceasefire = &frags["dispute/index.html#claim-ceasefire"];
    assert_eq!(ceasefire["meta"]["title"], "Was there a ceasefire?");
    assert_eq!(ceasefire["meta"]["kind"], "Claim");
    assert_eq!(
        ceasefire["content"],
        "Was there a ceasefire? Ministry A of Country X disputes: Not yet."
    );
    let shelling = &frags["timeline/index.html#event-shelling"];
    assert_eq!(shelling["meta"]["kind"], "Timeline event");
    assert_eq!(shelling["meta"]["date"], "1 January 2020");
    let wire = &frags["articles/2020-01-02-wire-report/index.html"];
    assert_eq!(wire["meta"]["outlet"], "Example Wire");
    assert_eq!(wire["meta"]["date"], "2 January 2020");
    let copy = &frags["articles/2020-01-02-paper-copy/index.html"];
    assert_eq!(copy["meta"]["title"], "Headline not recorded (Example Paper)");
    assert!(copy["meta"].get("date").is_none(), "no date is guessed: {copy}");
    // The words are in the index (English stemming: ceasefire → ceasefir, shelling → shell).
    let words = word_index(&site.public());
    for word in [&b"ceasefir"[..], b"shell", b"nobodi"] {
        assert!(
            words.windows(word.len()).any(|w| w == word),
            "{} not indexed",
            String::from_utf8_lossy(word)
        );
    }
}

#[test]
fn result_urls_follow_pretty_links() {
    let site = TestSite::from_fixture("basic");
    let config = site.read("dossier.yaml");
    site.write("dossier.yaml", &format!("{config}pretty_links: true\n"));
    site.build(&["-q"]).ok();
    let frags = fragments(&site.public());
    assert!(frags.contains_key("articles/2020-01-02-wire-report/"), "{:?}", frags.keys());
    assert!(frags.contains_key("dispute/#claim-who-fired"), "{:?}", frags.keys());
    assert!(frags.contains_key("timeline/#event-talks"), "{:?}", frags.keys());
}

#[test]
fn two_builds_give_the_same_index_bytes() {
    let site = TestSite::from_fixture("basic");
    let out = |name: &str| site.tmp.path().join(name).to_string_lossy().into_owned();
    site.build(&["-q", "--output", &out("one")]).ok();
    site.build(&["-q", "--output", &out("two")]).ok();
    let one = read_tree(&site.tmp.path().join("one/pagefind"));
    let two = read_tree(&site.tmp.path().join("two/pagefind"));
    assert!(one.len() > 5, "{:?}", one.keys());
    assert_eq!(one.keys().collect::<Vec<_>>(), two.keys().collect::<Vec<_>>());
    for (path, bytes) in &one {
        assert!(two[path] == *bytes, "pagefind/{path} differs between builds");
    }
}

#[test]
fn the_search_page_loads_the_index_relative_to_itself_without_inline_script() {
    let site = TestSite::from_fixture("basic");
    site.build(&["-q"]).ok();
    let page = site.read("public/search/index.html");
    let doc = scraper::Html::parse_document(&page);
    let one = |sel: &str| {
        let s = scraper::Selector::parse(sel).unwrap();
        doc.select(&s).next().unwrap_or_else(|| panic!("{sel} missing"))
    };
    assert_eq!(one("#search").attr("data-pagefind"), Some("../pagefind/pagefind.js"));
    // The script is fingerprinted: `search.<hash>.js`.
    let src = one("script").attr("src").unwrap().to_string();
    assert!(src.starts_with("../search.") && src.ends_with(".js") && src.len() == 23, "{src}");
    let scripts = scraper::Selector::parse("script").unwrap();
    assert!(doc.select(&scripts).all(|s| s.attr("src").is_some() && s.inner_html().is_empty()));
    assert_eq!(one("#search-status").attr("aria-live"), Some("polite"));
    assert_eq!(one("label[for=search-query]").text().collect::<String>(), "Search the dossier");
    // The no-JavaScript message and its two ways in.
    let noscript = text_of(&page, "noscript");
    assert!(noscript.contains("Search needs JavaScript"), "{noscript}");
    assert!(noscript.contains("../timeline/index.html"), "{noscript}");
    assert!(noscript.contains("../articles/index.html"), "{noscript}");
    assert!(site.public().join(&src[3..]).is_file());
}

#[test]
fn every_page_header_has_a_search_box_that_leads_to_the_search_page() {
    let site = TestSite::from_fixture("basic");
    site.build(&["-q"]).ok();
    for (page, action) in [
        ("index.html", "search/index.html"),
        ("articles/2020-01-02-wire-report/index.html", "../../search/index.html"),
        // The 404 page links from the site's root path (it is shown at any address).
        ("404.html", "/fixture/search/index.html"),
    ] {
        let html = site.read(&format!("public/{page}"));
        let doc = scraper::Html::parse_document(&html);
        let form = scraper::Selector::parse("header form[role=search]").unwrap();
        let form = doc.select(&form).next().unwrap_or_else(|| panic!("{page}: no search form"));
        assert_eq!(form.attr("action"), Some(action), "{page}");
        let input = scraper::Selector::parse("input[name=q]").unwrap();
        let input = form.select(&input).next().expect("a q input");
        let id = input.attr("id").expect("the input has an id");
        let label = scraper::Selector::parse(&format!("label[for={id}]")).unwrap();
        assert!(form.select(&label).next().is_some(), "{page}: the input is labelled");
    }
}

/// Runs `tests/browser/search.mjs` (real search in Chromium, over HTTP under a subpath and from
/// `file://`) when node, Chromium and playwright-core are installed.
#[test]
fn search_works_in_a_browser() {
    let Some(browser_dir) = crate::support::browser_scripts() else { return };
    let site = TestSite::from_fixture("basic");
    site.build(&["-q"]).ok();
    let out = Command::new("node")
        .arg(browser_dir.join("search.mjs"))
        .arg(site.public())
        .arg("ceasefire")
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "search.mjs failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// What a reader finds in the repository's dossier stays the same: the result lists of a fixed
/// set of queries, run by Pagefind's own JavaScript in Chromium (`tests/browser/queries.mjs`)
/// over the dossier built as `public/` is, are pinned (URLs in ranking order, with each
/// result's word count and number of matches).
#[test]
fn fixed_queries_over_the_dossier_find_the_pinned_results() {
    let Some(browser_dir) = crate::support::browser_scripts() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let root = crate::support::repo_root();
    crate::support::dossier(
        &["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()],
        tmp.path(),
    )
    .ok();
    let queries = [
        "ceasefire",
        "observation post",
        "mortar",
        "Çavuşoğlu",
        "Press TV",
        "Astana",
        "coordinates",
        "Reuters",
    ];
    let run = Command::new("node")
        .arg(browser_dir.join("queries.mjs"))
        .arg(&out)
        .args(queries)
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        run.status.success(),
        "queries.mjs failed:\n{stdout}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    insta::assert_snapshot!("dossier_fixed_queries", stdout);
}

#[test]
fn a_dossier_with_nothing_to_search_says_so_instead_of_failing() {
    let site = TestSite::from_fixture("basic");
    for dir in
        ["content/articles", "content/claims", "content/outlets", "content/actors", "content/pages"]
    {
        std::fs::remove_dir_all(site.root.join(dir)).unwrap();
    }
    std::fs::remove_file(site.root.join("content/timeline.yaml")).unwrap();
    site.write("content/_index.md", "---\ntitle: Nothing yet\n---\nNo articles yet.\n");
    site.build(&["-q"]).ok();
    let page = site.read("public/search/index.html");
    assert!(
        page.contains(
            "There is nothing to search yet: the dossier has no articles, claims or \
            timeline events."
        ),
        "{page}"
    );
    assert!(!page.contains("<script"), "no search script on an empty dossier");
}

#[test]
fn a_static_file_where_the_index_goes_is_an_error() {
    let site = TestSite::from_fixture("basic");
    site.write("static/pagefind/pagefind-entry.json", "{}\n");
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "error: static/pagefind/pagefind-entry.json: `pagefind/pagefind-entry.json` would be \
             written twice: by static/pagefind/pagefind-entry.json and by the search index"
        ),
        "{}",
        run.stderr
    );
}

#[test]
fn search_false_builds_no_index_no_search_page_and_no_search_box() {
    let site = TestSite::from_fixture("basic");
    let config = site.read("dossier.yaml");
    site.write("dossier.yaml", &format!("{config}search: false\n"));
    let run = site.build(&[]);
    let out = run.ok();
    assert!(!out.contains("search index file"), "{out}");
    let files = read_tree(&site.public());
    assert!(!files.keys().any(|p| p.starts_with("pagefind/")), "no index");
    assert!(!files.contains_key("search/index.html"), "no search page");
    for page in ["index.html", "articles/2020-01-02-wire-report/index.html", "404.html"] {
        let html = site.read(&format!("public/{page}"));
        assert!(!html.contains("role=\"search\""), "{page} has no search box");
        assert!(!html.contains("search/index.html"), "{page} does not link to a search page");
    }
    // Turned on again, it is all back.
    site.write("dossier.yaml", &config);
    site.build(&[]).ok();
    assert!(site.public().join("pagefind/pagefind.js").is_file());
    assert!(site.public().join("search/index.html").is_file());
}
