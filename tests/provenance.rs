//! Provenance: every article page and `articles.json` carry the SHA-256 of the article's source
//! file; `provenance::commit` reads the git commit of a dossier root.

use std::process::Command;

use dossier::output::sha256_hex;
use dossier::provenance;

use crate::support::{TestSite, text_of};

const SOURCE: &str = "content/articles/2020-01-01-paper-full-text.md";

#[test]
fn article_pages_show_the_sha256_of_their_source_file() {
    let site = TestSite::from_fixture("basic");
    // The fixture file starts with a byte-order mark (dropped when the text is read) and has
    // CRLF line ends: the hash must still be of the bytes on disk, as `sha256sum` sees them.
    let bytes = std::fs::read(site.root.join(SOURCE)).unwrap();
    assert!(bytes.starts_with(b"\xef\xbb\xbf---\r\n"), "the fixture keeps its BOM and CRLF");
    site.build(&[]).ok();
    let expected = sha256_hex(&bytes);
    let html = site.read("public/articles/2020-01-01-paper-full-text/index.html");
    assert_eq!(text_of(&html, ".record .provenance code.sha256"), expected);
    let text = text_of(&html, ".record .provenance");
    assert!(text.contains(SOURCE), "{text}");
    assert!(text.contains(&format!("sha256sum {SOURCE}")), "{text}");

    let json: serde_json::Value = serde_json::from_str(&site.read("public/articles.json")).unwrap();
    let articles = json["articles"].as_array().unwrap();
    let entry = articles.iter().find(|a| a["source"] == SOURCE).unwrap();
    assert_eq!(entry["source_sha256"], expected.as_str());
    for a in articles {
        let file = site.root.join(a["source"].as_str().unwrap());
        assert_eq!(a["source_sha256"], sha256_hex(&std::fs::read(file).unwrap()).as_str());
    }
}

fn git(dir: &std::path::Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@t.invalid", "-c", "commit.gpgsign=false"])
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn the_commit_of_a_checkout_and_none_outside_one() {
    let tmp = tempfile::tempdir().unwrap();
    let outside = tmp.path().join("plain");
    std::fs::create_dir_all(&outside).unwrap();
    // Inside a temp dir that no checkout contains (unless /tmp itself is one).
    if Command::new("git").arg("--version").output().is_err() {
        assert!(provenance::commit(&outside).is_none());
        assert!(
            std::env::var("DOSSIER_REQUIRE_TOOLS").as_deref() != Ok("1"),
            "git not found, and DOSSIER_REQUIRE_TOOLS=1 requires it"
        );
        println!("skipped: git not found");
        return;
    }
    assert_eq!(provenance::commit(&outside), None);

    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join("content")).unwrap();
    git(&repo, &["init", "-q"]);
    assert_eq!(provenance::commit(&repo), None, "no commit yet");
    std::fs::write(repo.join("content/a.md"), "a\n").unwrap();
    git(&repo, &["add", "."]);
    git(&repo, &["commit", "-q", "-m", "first"]);
    let head = git(&repo, &["rev-parse", "HEAD"]).trim().to_string();
    let c = provenance::commit(&repo.join("content")).unwrap();
    assert_eq!(c.id, head);
    assert!(!c.dirty);
    std::fs::write(repo.join("content/a.md"), "b\n").unwrap();
    let c = provenance::commit(&repo).unwrap();
    assert_eq!(c.id, head);
    assert!(c.dirty);
}
