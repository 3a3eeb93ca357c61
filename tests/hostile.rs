//! Hostile input that is made at run time rather than kept as a fixture (a 50 MB file, a million
//! brackets, links out of the dossier, a reader that stops reading): each gives one clear error
//! and exit code 1, never a panic, a hang or a half-written output.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use crate::support::TestSite;

const ARTICLE: &str = "content/articles/2020-01-02-wire-report.md";

/// Asserts a failed build with exactly `expected` on stderr (after `[TMP]` normalisation), and
/// no output written.
fn fails_with(site: &TestSite, expected: &str) {
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    assert_eq!(site.normalize(&run.stderr), expected);
    assert!(!site.public().exists(), "a failed first build writes nothing");
    assert_eq!(site.tmp_entries(), ["site"], "no staging directory left behind");
}

#[test]
fn a_50_mb_article_is_refused_before_it_is_read() {
    let site = TestSite::from_fixture("basic");
    let mut text = site.read(ARTICLE);
    let para =
        "The ministry said the post was shelled, and the reporter wrote it down. ".repeat(20);
    while text.len() < 50_000_000 {
        text.push_str(&para);
        text.push_str("\n\n");
    }
    site.write(ARTICLE, &text);
    fails_with(
        &site,
        "error: content/articles/2020-01-02-wire-report.md: the file is 47.7 MiB; a content file may be at most 16 MiB\n  \
         help: split it into several articles or pages, or keep the full text elsewhere and link to it\n\
         1 error found\n\
         error: build failed; `[TMP]/site/public` was not changed\n",
    );
}

#[test]
fn a_million_nested_brackets_are_refused_before_the_yaml_parser_sees_them() {
    // libyaml's scanner takes time in the square of the nesting depth: without the guard this
    // front matter takes hours to reject.
    let site = TestSite::from_fixture("basic");
    let text = site.read(ARTICLE);
    let deep = format!("---\nnotes: {}{}\n", "[".repeat(1_000_000), "]".repeat(1_000_000));
    site.write(ARTICLE, &text.replacen("---\n", &deep, 1));
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let first = run.stderr.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        "error: content/articles/2020-01-02-wire-report.md:2:72: the YAML nests more than 64 \
            levels of `[` or `{`"
    );
    // The snippet under it is cut to a readable width, not a megabyte of brackets.
    assert!(run.stderr.lines().all(|l| l.chars().count() < 200), "{}", &run.stderr[..400]);
}

#[test]
fn a_bom_and_crlf_line_endings_are_accepted_and_change_nothing_but_the_file_hash() {
    let lf = TestSite::from_fixture("basic");
    lf.build(&[]).ok();
    let crlf = TestSite::from_fixture("basic");
    let text = crlf.read(ARTICLE);
    assert!(!text.contains('\r'));
    crlf.write(ARTICLE, &format!("\u{feff}{}", text.replace('\n', "\r\n")));
    crlf.build(&[]).ok();
    // The page is the same; only the data file's hash of the source file differs.
    let page = "public/articles/2020-01-02-wire-report/index.html";
    let (a, b) = (lf.read(page), crlf.read(page));
    assert_eq!(a, b);
    assert!(!b.contains('\r') && !b.contains('\u{feff}'));
    let hash = |text: &str| dossier::hash::sha256_hex(text.as_bytes());
    let lf_hash = hash(&text);
    let crlf_hash = hash(&format!("\u{feff}{}", text.replace('\n', "\r\n")));
    let (a, b) = (lf.read("public/articles.json"), crlf.read("public/articles.json"));
    assert!(a.contains(&lf_hash) && b.contains(&crlf_hash), "articles.json has the file's SHA-256");
    assert_eq!(a.replace(&lf_hash, "HASH"), b.replace(&crlf_hash, "HASH"));
}

#[cfg(unix)]
#[test]
fn links_out_of_content_are_refused_not_followed() {
    let site = TestSite::from_fixture("basic");
    let outside = site.tmp.path().join("outside");
    std::fs::create_dir_all(outside.join("articles")).unwrap();
    std::fs::write(outside.join("secret.md"), "---\ntitle: not ours\n---\n").unwrap();
    std::os::unix::fs::symlink(outside.join("secret.md"), site.root.join("content/articles/x.md"))
        .unwrap();
    std::fs::remove_dir_all(site.root.join("content/pages")).unwrap();
    std::os::unix::fs::symlink(&outside, site.root.join("content/pages")).unwrap();
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        site.normalize(&run.stderr),
        "error: content/articles/x.md: is a symbolic link; dossier does not follow links in content/\n  \
         help: replace the link with the file or directory itself, so the dossier is complete on its own\n\n\
         error: content/pages: is a symbolic link; dossier does not follow links in content/\n  \
         help: replace the link with the file or directory itself, so the dossier is complete on its own\n\
         2 errors found\n\
         error: build failed; `[TMP]/site/public` was not changed\n"
    );
    assert!(!site.public().exists());
}

#[test]
fn a_reader_that_stops_reading_is_not_a_panic() {
    // Enough errors to fill the pipe's buffer, so that the build writes into a closed pipe.
    let site = TestSite::from_fixture("basic");
    let text = site.read(ARTICLE);
    for i in 0..400 {
        let bad = text.replace("outlet: wire", &format!("outlet: nobody-{i}"));
        site.write(&format!("content/articles/2021-01-01-bad-{i:03}.md"), &bad);
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "--root"])
        .arg(&site.root)
        .env_clear()
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stderr.take().unwrap()).read_line(&mut first).unwrap();
    assert!(
        first.starts_with("error: content/articles/2021-01-01-bad-000.md:3:9: unknown outlet"),
        "{first}"
    );
    // The reader is dropped here: the rest of the report goes to a closed pipe.
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(1),
        "a closed stderr must not turn a failed build into a panic (101)"
    );
    assert!(!site.public().exists());
}

#[test]
fn file_names_cannot_place_a_page_outside_the_output() {
    // A slug is made from the file name with letters, digits and hyphens only, so `..`, `/`,
    // `%2F` and `\` cannot reach the output path.
    let site = TestSite::from_fixture("basic");
    let text = site.read(ARTICLE);
    // (A name starting with `.` is a hidden file, skipped like Zola and Hugo skip them.)
    for name in ["x..%2F..%2Fescape.md", "y..\\..\\back.md", "a..b.md", "~root.md"] {
        site.write(&format!("content/articles/{name}"), &text.replace("things", name));
    }
    site.build(&[]).ok();
    for slug in ["x-2f-2fescape", "y-back", "a-b", "root"] {
        let page = format!("public/articles/{slug}/index.html");
        assert!(site.root.join(&page).is_file(), "{page}");
    }
    let outside: Vec<_> = std::fs::read_dir(site.tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(outside, ["site"], "nothing written next to the dossier");
}

#[test]
fn a_slug_windows_reserves_is_an_error() {
    let site = TestSite::from_fixture("basic");
    let text = site.read(ARTICLE);
    site.write("content/articles/CON.md", &text);
    site.write("content/pages/lpt1.md", "---\ntitle: Printer\n---\nText.\n");
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        site.normalize(&run.stderr),
        "error: content/articles/CON.md: the slug `con` is a reserved device name on Windows\n  \
         help: a copy of the dossier on Windows could not hold its folder `con/`; rename the file, e.g. to `con-report.md`\n\n\
         error: content/pages/lpt1.md: the slug `lpt1` is a reserved device name on Windows\n  \
         help: a copy of the dossier on Windows could not hold its folder `lpt1/`; rename the file, e.g. to `lpt1-report.md`\n\
         2 errors found\n\
         error: build failed; `[TMP]/site/public` was not changed\n"
    );
}

#[test]
fn raw_html_nested_too_deep_to_sanitize_is_refused() {
    // html5ever (under ammonia) takes time in the square of the depth: 100,000 nested `<div>`s
    // took 36 s in a release build before this check.
    let site = TestSite::from_fixture("basic");
    let text = site.read(ARTICLE);
    // The message points at the body's first line, just after the closing `---`.
    let body_line = text[..text.find("\n---\n").unwrap() + 5].lines().count() + 1;
    let n = 100_000;
    site.write(ARTICLE, &format!("{text}{}x{}\n", "<div>".repeat(n), "</div>".repeat(n)));
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let first = run.stderr.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        format!(
            "error: content/articles/2020-01-02-wire-report.md:{}:1: the body's HTML nests 100000 \
                elements deep; at most 512 can be sanitized",
            body_line
        )
    );
    assert!(
        run.stderr
            .contains("help: close the raw HTML's elements (`</div>`), or remove the raw HTML")
    );
    // 512 levels are still sanitized and published.
    site.write(ARTICLE, &format!("{text}{}x{}\n", "<div>".repeat(512), "</div>".repeat(512)));
    site.build(&[]).ok();
}
