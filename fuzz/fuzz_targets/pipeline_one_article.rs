//! The whole content-to-HTML pipeline on one article: the fixture dossier
//! (`tests/fixtures/basic`, copied once into a temporary directory) gets one more article file,
//! `content/articles/2020-01-05-fuzz.md`, with the fuzzed bytes, and is built in memory as
//! `dossier serve` builds it (`pipeline::build_in_memory_cached`: load, cross-checks, render,
//! internal link check; the search index is left out, as `serve` defers it). Rewriting one
//! file per input and keeping the caches makes each run re-parse and re-render only what the
//! article touches.
//!
//! Errors are fine; a panic is a bug. When the build succeeds, the article's page must not
//! carry active content from the article: its one `<script>` is the template's JSON-LD (and
//! that parses as JSON, so nothing broke out of it), no element has an `on…` handler, no link
//! or source uses a `javascript:`-like scheme, and there is no `iframe`, `object` or `embed`
//! (the fixture does not allow raw HTML, so the body's HTML is sanitized).
#![no_main]

use std::path::PathBuf;
use std::sync::{Mutex, OnceLock};

use dossier::pipeline::{BuildOptions, Caches, build_in_memory_cached};
use libfuzzer_sys::fuzz_target;

const ARTICLE: &str = "content/articles/2020-01-05-fuzz.md";
const PAGE: &str = "articles/2020-01-05-fuzz/index.html";

struct Dossier {
    _dir: tempfile::TempDir,
    root: PathBuf,
    caches: Caches,
}

fn dossier() -> &'static Mutex<Dossier> {
    static DOSSIER: OnceLock<Mutex<Dossier>> = OnceLock::new();
    DOSSIER.get_or_init(|| {
        let _ = rayon::ThreadPoolBuilder::new().num_threads(1).build_global();
        let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/basic");
        let dir = tempfile::tempdir().expect("temporary directory");
        let root = dir.path().join("dossier");
        copy_dir(&fixture, &root);
        Mutex::new(Dossier { _dir: dir, root, caches: Caches::default() })
    })
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read fixture") {
        let entry = entry.expect("fixture entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy fixture file");
        }
    }
}

fn check_page(html: &str) {
    let doc = scraper::Html::parse_document(html);
    let all = scraper::Selector::parse("*").expect("selector");
    let mut scripts = 0;
    for el in doc.select(&all) {
        let name = el.value().name();
        assert!(!matches!(name, "iframe" | "object" | "embed"), "a <{name}> on the page");
        if name == "script" {
            scripts += 1;
            assert_eq!(el.value().attr("type"), Some("application/ld+json"), "a script: {el:?}");
            let json: String = el.text().collect();
            if let Err(e) = serde_json::from_str::<serde_json::Value>(&json) {
                panic!("the JSON-LD does not parse ({e}): {json}");
            }
        }
        for (attr, value) in el.value().attrs() {
            assert!(!attr.to_ascii_lowercase().starts_with("on"), "<{name} {attr}={value:?}>");
            if matches!(attr, "href" | "src" | "action" | "formaction" | "xlink:href") {
                let v: String = value
                    .chars()
                    .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
                    .collect::<String>()
                    .to_ascii_lowercase();
                assert!(
                    !v.starts_with("javascript:")
                        && !v.starts_with("vbscript:")
                        && !v.starts_with("data:text/html"),
                    "<{name} {attr}={value:?}>"
                );
            }
        }
    }
    assert_eq!(scripts, 1, "the article page has {scripts} scripts, not the one JSON-LD");
}

fuzz_target!(|data: &[u8]| {
    let mut guard = dossier().lock().unwrap_or_else(|e| e.into_inner());
    // One borrow of the guard, so that its fields can be borrowed apart.
    let d = &mut *guard;
    let article = d.root.join(ARTICLE);
    std::fs::write(&article, data).expect("write the article");
    let options =
        BuildOptions { root: d.root.clone(), defer_search: true, ..BuildOptions::default() };
    let changed = [article];
    let Ok((files, _report)) = build_in_memory_cached(&options, &mut d.caches, &changed) else {
        return;
    };
    if let Some(page) = files.get(PAGE) {
        check_page(&String::from_utf8_lossy(page));
    }
});
