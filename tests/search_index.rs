//! The search index of a built fixture (`tests/fixtures/basic`): which pages and records it
//! holds, that it is the same bytes every time, and that a page missing from the build is named.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::PathBuf;

use dossier::content::Site;
use dossier::output::Files;
use dossier::pipeline::{BuildOptions, build_in_memory};
use dossier::search::index;

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic")
}

fn site() -> Site {
    let root = fixture();
    let config = dossier::config::Config::load(&root).unwrap();
    dossier::content::load(&root, config, &Default::default()).unwrap().site
}

fn pages() -> Files {
    build_in_memory(&BuildOptions { root: fixture(), ..Default::default() }).unwrap().0
}

/// A fragment's JSON: gzip, then Pagefind's `pagefind_dcd` marker, then the JSON.
fn fragment(bytes: &[u8]) -> serde_json::Value {
    let mut raw = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut raw).unwrap();
    let json = raw.strip_prefix(b"pagefind_dcd").expect("pagefind marker");
    serde_json::from_slice(json).unwrap()
}

#[test]
fn index_holds_articles_claims_and_events_once_each() {
    let site = site();
    let files = index(&site, &pages()).unwrap();
    let paths: Vec<&str> = files.iter().map(|(p, _)| p.as_str()).collect();
    assert!(paths.windows(2).all(|w| w[0] < w[1]), "sorted, no duplicates");
    assert!(paths.iter().all(|p| p.starts_with("pagefind/")));
    for wanted in
        ["pagefind/pagefind.js", "pagefind/pagefind-worker.js", "pagefind/wasm.en.pagefind"]
    {
        assert!(paths.contains(&wanted), "{wanted} missing from {paths:?}");
    }
    for unused in ["pagefind/pagefind-ui.js", "pagefind/wasm.unknown.pagefind"] {
        assert!(!paths.contains(&unused), "{unused} should be left out");
    }
    let entry: serde_json::Value = serde_json::from_slice(
        &files.iter().find(|(p, _)| p == "pagefind/pagefind-entry.json").unwrap().1,
    )
    .unwrap();
    assert_eq!(entry["languages"]["en"]["page_count"], 3 + 2 + 3, "{entry}");

    let frags: BTreeMap<String, serde_json::Value> = files
        .iter()
        .filter(|(p, _)| p.ends_with(".pf_fragment"))
        .map(|(_, b)| fragment(b))
        .map(|f| (f["url"].as_str().unwrap().to_string(), f))
        .collect();
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
    let wire = &frags["articles/2020-01-02-wire-report/index.html"];
    assert_eq!(wire["meta"]["title"], "Wire says \"things happened\"");
    assert_eq!(wire["meta"]["outlet"], "Example Wire");
    assert_eq!(wire["meta"]["date"], "2 January 2020");
    assert_eq!(wire["meta"]["kind"], "Article");
    let content = wire["content"].as_str().unwrap();
    assert!(content.contains("A synthetic photo."), "{content}");
    for left_out in ["Record", "Original address", "Other coverage"] {
        assert!(!content.contains(left_out), "{left_out:?} indexed: {content}");
    }
    let copy = &frags["articles/2020-01-02-paper-copy/index.html"];
    assert_eq!(copy["meta"]["title"], "Headline not recorded (Example Paper)");
    assert!(copy["meta"].get("date").is_none(), "an unknown date stays unknown: {copy}");
}

#[test]
fn index_is_the_same_bytes_every_time_even_inside_a_runtime() {
    let site = site();
    let pages = pages();
    let first = index(&site, &pages).unwrap();
    let second = index(&site, &pages).unwrap();
    assert_eq!(first, second);
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let third = rt.block_on(async { index(&site, &pages) }).unwrap();
    assert_eq!(first, third);
}

#[test]
fn a_missing_page_is_named() {
    let site = site();
    let mut pages = pages();
    pages.remove("articles/2020-01-02-wire-report/index.html");
    let err = index(&site, &pages).unwrap_err();
    assert_eq!(
        err.to_string(),
        "search: the page `articles/2020-01-02-wire-report/index.html` was not rendered"
    );
}
