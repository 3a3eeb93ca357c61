//! The search index dossier builds is Pagefind's: for the same pages and records,
//! `dossier::search::Indexer` writes the files Pagefind 1.6's own API writes, with the same
//! names and, once decompressed, the same bytes (dossier gzips at a faster level)
//! (`add_html_file`, `add_custom_record`, `get_files`), on the fixture dossier, on the
//! repository's dossier, on a synthetic corpus, and on pages written to exercise every rule
//! Pagefind has (weights, anchors, ignored and excluded parts, meta read from attributes,
//! filters, sort keys, diacritics, compounds, emoji, entities).

use std::collections::BTreeMap;
use std::path::Path;

use dossier::pipeline::{BuildOptions, build_in_memory};
use dossier::search::{self, Indexer, Record};
use pagefind::api::PagefindIndex;
use pagefind::options::PagefindServiceConfig;

use crate::corpus;

/// What Pagefind's own API writes for `pages` (URL, HTML) and `records`, in that order: the
/// files the search page uses, under `pagefind/`, sorted.
fn pagefind(
    language: &str,
    pages: &[(String, String)],
    records: &[Record],
) -> Vec<(String, Vec<u8>)> {
    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
    let files = rt.block_on(async {
        let config = PagefindServiceConfig::builder()
            .force_language(language.to_string())
            .keep_index_url(true)
            .build();
        let mut pf = PagefindIndex::new(Some(config)).unwrap();
        for (url, html) in pages {
            pf.add_html_file(None, Some(url.clone()), html.clone()).await.unwrap();
        }
        for r in records {
            pf.add_custom_record(
                r.url.clone(),
                r.content.clone(),
                language.to_string(),
                Some(r.meta.clone()),
                None,
                None,
            )
            .await
            .unwrap();
        }
        pf.get_files().await.unwrap()
    });
    let mut out: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .map(|f| (f.filename.to_string_lossy().replace('\\', "/"), f.contents))
        .filter(|(name, _)| !name.contains("-ui") && !name.contains("highlight"))
        .collect();
    let own_wasm = out.iter().any(|(n, _)| n.starts_with("wasm.") && n != "wasm.unknown.pagefind");
    if own_wasm {
        out.retain(|(n, _)| n != "wasm.unknown.pagefind");
    }
    let mut out: Vec<(String, Vec<u8>)> =
        out.into_iter().map(|(n, b)| (format!("pagefind/{n}"), b)).collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// What dossier's indexer writes for the same input.
fn dossier(
    language: &str,
    pages: &[(String, String)],
    records: &[Record],
) -> Vec<(String, Vec<u8>)> {
    let indexer = Indexer::for_language(language);
    let mut packed: Vec<search::Packed> =
        pages.iter().map(|(url, html)| indexer.page(url.clone(), html)).collect();
    packed.extend(records.iter().map(|r| indexer.record(r)));
    indexer.finish(packed).unwrap().into_iter().map(|(n, b)| (n, b.to_vec())).collect()
}

/// Asserts the two indexes are the same files (names, and bytes once decompressed), naming the
/// first difference; every file Pagefind gzips is a valid gzip stream in dossier's index too.
fn assert_same(language: &str, pages: &[(String, String)], records: &[Record]) {
    let want = pagefind(language, pages, records);
    let got = dossier(language, pages, records);
    let want_names: Vec<&str> = want.iter().map(|(n, _)| n.as_str()).collect();
    let got_names: Vec<&str> = got.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(got_names, want_names, "the same files");
    for ((name, w), (_, g)) in want.iter().zip(&got) {
        let (w, g) = match (gunzip(w), gunzip(g)) {
            (Some(w), Some(g)) => (w, g),
            (None, None) => (w.clone(), g.clone()),
            (w, g) => panic!(
                "`{name}`: Pagefind's is {}gzipped, dossier's is {}gzipped",
                if w.is_some() { "" } else { "not " },
                if g.is_some() { "" } else { "not " }
            ),
        };
        if w != g {
            panic!(
                "`{name}` differs:\nPagefind: {}\ndossier:  {}",
                String::from_utf8_lossy(&w),
                String::from_utf8_lossy(&g)
            );
        }
    }
}

/// The decompressed bytes of a gzip file, or `None` when `bytes` is not one.
fn gunzip(bytes: &[u8]) -> Option<Vec<u8>> {
    use std::io::Read as _;
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return None;
    }
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes).read_to_end(&mut out).ok().map(|_| out)
}

/// A built dossier's article pages (URL, HTML) and records, as the build gives them to the
/// index.
fn site_input(root: &Path) -> (String, Vec<(String, String)>, Vec<Record>) {
    let options = BuildOptions { root: root.to_path_buf(), ..BuildOptions::default() };
    let (files, _) = build_in_memory(&options).unwrap();
    let report = dossier::pipeline::load(&options, &mut Default::default()).unwrap();
    let site = &report.site;
    let pages = search::page_paths(site)
        .into_iter()
        .zip(search::page_urls(site))
        .map(|(path, url)| (url, String::from_utf8(files[&path].to_vec()).unwrap()))
        .collect();
    let language = Indexer::new(site).language().to_string();
    (language, pages, search::records(site))
}

#[test]
fn the_fixture_dossiers_index_is_pagefinds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
    let (language, pages, records) = site_input(&root);
    assert_same(&language, &pages, &records);
}

#[test]
fn the_repositorys_dossier_index_is_pagefinds() {
    let (language, pages, records) = site_input(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(pages.len() > 20);
    assert_same(&language, &pages, &records);
}

#[test]
fn a_synthetic_corpus_index_is_pagefinds() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("corpus");
    corpus::write(&root, &corpus::files(150, 7, corpus::Format::Dossier)).unwrap();
    let (language, pages, records) = site_input(&root);
    assert_eq!(pages.len(), 150);
    assert_same(&language, &pages, &records);
}

/// Pages written to meet every rule of Pagefind's parser and word splitter.
fn rule_pages() -> Vec<(String, String)> {
    let page = |body: &str| {
        format!(
            "<!DOCTYPE html><html \
                lang=\"en\"><head><title>T</title></head><body>{body}</body></html>"
        )
    };
    let pages = [
        // Weights: headings (automatic), explicit weights, zero and fractional weights.
        page(
            r#"<main data-pagefind-body><h1>Main heading</h1><h2 id="sub">Sub heading</h2>
            <p>Text after. <span data-pagefind-weight="3.5">weighted words</span>
            <span data-pagefind-weight="0">weightless</span><em data-pagefind-weight="20">clamped</em></p>
            <h3 data-pagefind-weight="2">Explicit over auto</h3><h6>Six</h6></main>"#,
        ),
        // Anchors and titles; inline elements share anchors; ids with spaces.
        page(
            r#"<div data-pagefind-body><section id="one two" data-pagefind-title="Section title">
            <p>In <b>bold</b> and <a href="x">link</a>.</p></section>
            <p id="p2">Second <i id="inner">inner</i> end</p><img src="i.png" alt="Alt text"></div>"#,
        ),
        // Ignored, excluded, removed elements; meta and filters still read from ignored parts.
        page(
            r#"<nav>Menu</nav><article data-pagefind-body>
            <div data-pagefind-ignore>Not indexed <span data-pagefind-meta="hidden">meta kept</span></div>
            <div data-pagefind-ignore="all">Gone <span data-pagefind-filter="gone">x</span></div>
            <div data-pagefind-ignore="bogus">Also gone</div>
            <form>Form text</form><footer>Foot</footer><script>var x = 1;</script><style>p{}</style>
            <noscript>No script</noscript><svg><text>svg text</text></svg><template>tpl</template>
            <p>Kept text<br>after break</p></article>"#,
        ),
        // Meta from text, literals, attributes; default meta; filters with several values; sorts.
        page(
            r#"<body><div data-pagefind-body data-pagefind-meta="kind:Report, lead" data-pagefind-default-meta="kind:Default, extra:More">
            <h1 data-pagefind-meta="title">The title</h1><img data-pagefind-meta="image[src], image_alt[alt]" src="/a.jpg" alt="An image">
            <p data-pagefind-filter="tag">alpha</p><p data-pagefind-filter="tag">beta</p>
            <p data-pagefind-filter="author:Jane Doe, year[data-year]" data-year="2019">by Jane</p>
            <span data-pagefind-sort="weight">10</span><span data-pagefind-sort="date:2019-06-13"></span>
            <p data-pagefind-index-attrs="title,alt" title="Attr title" alt="Attr alt">With attributes</p></div></body>"#,
        ),
        // Words: compounds, dotted tails, diacritics, entities, emoji, katakana, numbers.
        page(concat!(
            "<div data-pagefind-body><p>Three-antelopes ThreeAntelopes three_antelopes ",
            "sysconfig.is_python_build café Café crème naïve Ünïcödé &amp; &lt;tag&gt; ",
            "&eacute;t&eacute; 🎉 party🎉 カタカナ 1,000 3.5km U.S.A. e-mail C++ l'alphabet — ",
            "“quoted” x\u{200B}y</p>",
            "<p>Sentence one</p><p>Sentence two?</p><td>cell</td><ul><li>item</li></ul></div>",
        )),
        // No body element at all (left out when other pages have one), and an empty body.
        page("<p>Plain page without a body marker</p>"),
        page(r#"<div data-pagefind-body></div>"#),
        // Two bodies, nested markup left open, an auto image after the title.
        page(
            r#"<h1>Outside</h1><div data-pagefind-body><h1>First</h1><img src="b.png" alt="B"></div>
            <p>between</p><div data-pagefind-body><p>Second body <b>unclosed</div>"#,
        ),
    ];
    pages.into_iter().enumerate().map(|(i, html)| (format!("rules/{i}/"), html)).collect()
}

#[test]
fn pages_meeting_every_rule_are_indexed_as_pagefind_indexes_them() {
    let records = vec![Record {
        url: "records/1/".into(),
        content: "A  custom   record, with café and ThreeWords.\nNew line".into(),
        meta: [
            ("title".to_string(), "Record title".to_string()),
            ("kind".to_string(), "Claim".to_string()),
        ]
        .into_iter()
        .collect::<BTreeMap<_, _>>(),
    }];
    assert_same("en", &rule_pages(), &records);
    let files = dossier("en", &rule_pages(), &records);
    let count = |ext: &str| files.iter().filter(|(n, _)| n.ends_with(ext)).count();
    // The six pages with a body and words, and the record; the filters `tag` and `author`
    // (`author:Jane Doe, year[data-year]` is one literal after its first `:`).
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!((count(".pf_fragment"), count(".pf_filter")), (7, 2), "{names:?}");
    // Another language (French stemming, its own WebAssembly), and one Pagefind does not stem.
    assert_same("fr", &rule_pages(), &records);
    assert_same("ja", &rule_pages()[..3], &[]);
}

#[test]
fn a_small_chunk_size_cuts_the_word_index_as_pagefind_does() {
    // Both indexers read `PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE` from the environment: the
    // comparison runs in a child process of this test binary that has it set.
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "search_fidelity::small_chunks", "--ignored", "--test-threads=1"])
        .env("PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE", "50")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("1 passed"), "{stdout}");
}

/// Run by [`a_small_chunk_size_cuts_the_word_index_as_pagefind_does`] with small chunks.
#[test]
#[ignore = "run by a_small_chunk_size_cuts_the_word_index_as_pagefind_does"]
fn small_chunks() {
    assert_eq!(std::env::var("PAGEFIND_UNSTABLE_INDEX_CHUNK_SIZE").as_deref(), Ok("50"));
    let pages: Vec<(String, String)> = (0..40)
        .map(|i| {
            let words: String =
                (0..60).map(|j| format!("w{}x{} ", (i * 7 + j) % 97, j % 5)).collect();
            let html = format!(
                "<html lang=en><body><main data-pagefind-body><p>{words}</p></main></body></html>"
            );
            (format!("p/{i}/"), html)
        })
        .collect();
    let files = dossier("en", &pages, &[]);
    let chunks = files.iter().filter(|(n, _)| n.ends_with(".pf_index")).count();
    assert!(chunks > 10, "{chunks} word index files");
    assert_same("en", &pages, &[]);
}
