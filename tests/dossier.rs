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
    let sel = scraper::Selector::parse(".article-body p").unwrap();
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
    assert!(caption.starts_with(lines[2]), "{caption}");
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
    assert!(record.contains("Original address original address not recorded"), "{record}");
    assert!(record.contains("Published 13 June 2019 ◐ partly verified Not confirmed."), "{record}");
    assert!(record.contains("presstv.co.uk ✓ verified"), "{record}");
    assert!(record.contains("presstv.tv ◐ partly verified"), "{record}");
    let files = read_tree(&out);
    let html: String = files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
        .collect();
    assert!(
        !html.contains("presstv.com/Detail/2019/06/13"),
        "no reconstructed address for the article"
    );
}
