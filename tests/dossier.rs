//! The repository's own dossier: it builds cleanly, the committed `public/` is what a build
//! produces, and the Press TV article is transcribed verbatim from the seed text.

use crate::support::{dossier, read_tree, repo_root, text_of};

fn build_repo() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let run = dossier(
        &["build", "--root", repo_root().to_str().unwrap(), "--output", out.to_str().unwrap()],
        tmp.path(),
    );
    run.ok();
    assert!(run.stderr.is_empty(), "the dossier builds without warnings: {}", run.stderr);
    (tmp, out)
}

const ARTICLE: &str =
    "articles/2019-06-13-presstv-turkey-disputes-russia-on-idlib-truce/index.html";

#[test]
fn committed_public_is_fresh() {
    let (_tmp, out) = build_repo();
    let fresh = read_tree(&out);
    let committed = read_tree(&repo_root().join("public"));
    let stale: Vec<&String> = fresh
        .keys()
        .chain(committed.keys())
        .filter(|k| fresh.get(*k) != committed.get(*k))
        .collect();
    assert!(
        stale.is_empty(),
        "public/ is stale: run `cargo run --release -- build` and commit public/ ({stale:?})"
    );
}

#[test]
fn seed_paragraphs_appear_verbatim() {
    let (_tmp, out) = build_repo();
    let page = std::fs::read_to_string(out.join(ARTICLE)).unwrap();
    let doc = scraper::Html::parse_document(&page);
    // The text's own paragraphs: the editor's notes beside them are asides of their own.
    let sel = scraper::Selector::parse(".article-body > p").unwrap();
    let rendered: Vec<String> = doc.select(&sel).map(|p| p.text().collect()).collect();

    let seed = std::fs::read_to_string(repo_root().join("tests/data/presstv-seed.txt")).unwrap();
    let lines: Vec<&str> = seed.lines().map(str::trim_end).filter(|l| !l.is_empty()).collect();
    let start = lines.iter().position(|l| l.starts_with("Turkey has denied")).unwrap();
    let end = lines.iter().position(|l| l.starts_with("The Syrian army has warned")).unwrap();
    let body = &lines[start..=end];
    assert_eq!(body.len(), 16);
    assert_eq!(rendered, body, "the article body is the seed's paragraphs, in order, unchanged");

    assert_eq!(text_of(&page, "h1"), lines[1]);
    assert_eq!(text_of(&page, ".kicker"), "Press TV · News / Syria");
    let caption = text_of(&page, "figcaption");
    assert!(caption.starts_with("Photograph, not reproduced here:"), "{caption}");
    assert!(caption.contains(lines[2]), "{caption}");
    assert!(caption.ends_with("Photo: AFP, taken 17 March 2019"), "{caption}");
    // Site chrome and the footer are not body text.
    for chrome in ["SHARE THIS ARTICLE", "alternate addresses", "Roku"] {
        assert!(!text_of(&page, ".article-body").contains(chrome), "{chrome}");
    }
}

#[test]
fn press_tv_record_is_honest_about_unknowns() {
    let (_tmp, out) = build_repo();
    let page = std::fs::read_to_string(out.join(ARTICLE)).unwrap();
    let record = text_of(&page, ".record dl");
    assert!(record.contains("Original address not known"), "{record}");
    assert!(record.contains("Published 13 June 2019 ◐ partly verified Not confirmed."), "{record}");
    // Its outlet's primary domain as of the article's date, not today's.
    assert!(
        record.contains(
            "Primary domain presstv.com , the outlet’s primary domain on 13 June 2019 ✓ verified"
        ),
        "{record}"
    );
    assert!(record.contains("Its text follows Jerusalem Post: Russia says"), "{record}");
    // No reconstructed address for the article: the day's pages are linked only as searches of
    // the Wayback Machine, one for each of Press TV's domains and each of the two likely days.
    let files = read_tree(&out);
    let sel = scraper::Selector::parse("a[href]").unwrap();
    let mut searches = Vec::new();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let doc = scraper::Html::parse_document(std::str::from_utf8(bytes).unwrap());
        for href in doc.select(&sel).filter_map(|a| a.value().attr("href")) {
            if href.contains("/Detail/2019/06/13") || href.contains("/Detail/2019/06/14") {
                assert!(href.starts_with("https://web.archive.org/web/*/"), "{path}: {href}");
                searches.push(href.to_string());
            }
        }
    }
    searches.sort();
    searches.dedup();
    assert_eq!(
        searches,
        [
            "https://web.archive.org/web/*/presstv.co.uk/Detail/2019/06/13/*",
            "https://web.archive.org/web/*/presstv.co.uk/Detail/2019/06/14/*",
            "https://web.archive.org/web/*/presstv.com/Detail/2019/06/13/*",
            "https://web.archive.org/web/*/presstv.com/Detail/2019/06/14/*",
            "https://web.archive.org/web/*/presstv.ir/Detail/2019/06/13/*",
            "https://web.archive.org/web/*/presstv.ir/Detail/2019/06/14/*",
            "https://web.archive.org/web/*/presstv.tv/Detail/2019/06/13/*",
            "https://web.archive.org/web/*/presstv.tv/Detail/2019/06/14/*",
        ]
    );
}

#[test]
fn press_tv_full_text_is_annotated_beside_its_paragraphs() {
    let (_tmp, out) = build_repo();
    let page = std::fs::read_to_string(out.join(ARTICLE)).unwrap();
    let doc = scraper::Html::parse_document(&page);
    let sel = scraper::Selector::parse(".article-body > *").unwrap();
    // Which paragraph each note follows (1 = the first paragraph of the text).
    let mut paragraph = 0;
    let mut notes: Vec<(usize, String)> = Vec::new();
    for el in doc.select(&sel) {
        match el.value().name() {
            "p" => paragraph += 1,
            "aside" => notes.push((paragraph, el.text().collect::<String>())),
            other => panic!("unexpected <{other}> in the text"),
        }
    }
    assert_eq!(paragraph, 16);
    let on = |n: usize| -> String {
        notes.iter().filter(|(p, _)| *p == n).map(|(_, t)| t.as_str()).collect()
    };
    // Which wire report a paragraph follows, linked.
    assert!(on(1).contains("Follows: Reuters via Thomson Reuters Foundation."), "{}", on(1));
    assert!(
        on(4).contains(
            "Follows: Reuters via Thomson Reuters Foundation and Reuters via Jerusalem Post."
        ),
        "{}",
        on(4)
    );
    // What it leaves out: Turkey's denial that it supplied the coordinates.
    assert!(on(5).contains("Left out:"), "{}", on(5));
    assert!(on(5).contains("supplied the coordinates were untrue"), "{}", on(5));
    // Which figure has no source.
    assert!(on(9).contains("No source for this figure."), "{}", on(9));
    // No note is on a paragraph that was not annotated.
    assert_eq!(on(7), "");
    // The front page points to it.
    let front = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert_eq!(
        text_of(&front, ".featured h2"),
        "Read in full: Turkey disputes Russia on Idlib truce after post attacked"
    );
    assert!(front.contains(&format!("href=\"{ARTICLE}\"")), "linked from the front page");
}
