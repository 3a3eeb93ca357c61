//! Provenance: a full text's page gives the SHA-256 of the transcribed text (the body as held,
//! line ends as LF), which `sed '1,/^---$/d' FILE | sha256sum` reproduces from a checkout, as the
//! methodology page says; `articles.json` carries every article's source file and the SHA-256 of
//! its bytes; `provenance::commit` reads the git commit of a dossier root.

use std::process::Command;

use dossier::hash::sha256_hex;
use dossier::provenance;

use crate::support::{TestSite, repo_root, skip, text_of};

const SOURCE: &str = "content/articles/2020-01-01-paper-full-text.md";

#[test]
fn full_texts_show_the_sha256_of_the_transcribed_text_and_the_data_the_file_hashes() {
    let site = TestSite::from_fixture("basic");
    // The fixture file starts with a byte-order mark (dropped when the text is read) and has
    // CRLF line ends: the file's hash is of the bytes on disk, as `sha256sum` sees them; the
    // text's hash is of the body alone, with LF line ends.
    let bytes = std::fs::read(site.root.join(SOURCE)).unwrap();
    assert!(bytes.starts_with(b"\xef\xbb\xbf---\r\n"), "the fixture keeps its BOM and CRLF");
    site.build(&[]).ok();
    let text = String::from_utf8(bytes.clone()).unwrap().replace("\r\n", "\n");
    let body = &text[text.find("\n---\n").unwrap() + "\n---\n".len()..];
    let html = site.read("public/articles/2020-01-01-paper-full-text/index.html");
    assert_eq!(text_of(&html, ".text-hash code.sha256"), sha256_hex(body.as_bytes()));
    assert!(text_of(&html, ".text-hash").starts_with("SHA-256 of the transcribed text: "));
    // The page names neither the source file nor a command: that is the methodology's.
    assert!(!html.contains(SOURCE) && !html.contains("sha256sum"));
    // A report, the dossier's own summary, has no such line.
    let report = site.read("public/articles/2020-01-02-wire-report/index.html");
    assert!(!report.contains("class=\"text-hash\""));

    let expected = sha256_hex(&bytes);
    let json: serde_json::Value = serde_json::from_str(&site.read("public/articles.json")).unwrap();
    let articles = json["articles"].as_array().unwrap();
    let entry = articles.iter().find(|a| a["source"] == SOURCE).unwrap();
    assert_eq!(entry["source_sha256"], expected.as_str());
    assert_eq!(entry["text_sha256"], sha256_hex(body.as_bytes()).as_str());
    for a in articles {
        let file = site.root.join(a["source"].as_str().unwrap());
        assert_eq!(a["source_sha256"], sha256_hex(&std::fs::read(file).unwrap()).as_str());
    }
}

/// The command the methodology page gives reproduces the hash on the Press TV article's page.
#[test]
fn the_methodology_command_reproduces_the_press_tv_text_hash() {
    let file = "content/articles/2019-06-13-presstv-turkey-disputes-russia-on-idlib-truce.md";
    let sed = Command::new("sed").arg("1,/^---$/d").arg(repo_root().join(file)).output();
    let Some(out) = sed.ok().filter(|o| o.status.success()) else {
        return skip("sed not found");
    };
    let methodology =
        std::fs::read_to_string(repo_root().join("content/pages/methodology.md")).unwrap();
    assert!(methodology.contains("sed '1,/^---$/d' content/articles/<item>.md | sha256sum"));
    let page = std::fs::read_to_string(repo_root().join(
        "public/articles/2019-06-13-presstv-turkey-disputes-russia-on-idlib-truce/index.html",
    ))
    .unwrap();
    assert_eq!(text_of(&page, ".text-hash code.sha256"), sha256_hex(&out.stdout));
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
        return skip("git not found");
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
