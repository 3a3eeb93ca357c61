//! `dossier new` and `dossier init`: the files they write (snapshots), that what they write
//! builds and checks clean, and their refusals (exit status and message).

use std::path::Path;

use crate::support::{TestSite, dossier, read_tree, repo_root, text_of};

/// Runs `dossier new …` inside the site's root (so paths print relative to it).
fn new(site: &TestSite, args: &[&str]) -> crate::support::Run {
    let mut all = vec!["new"];
    all.extend_from_slice(args);
    dossier(&all, &site.root)
}

#[test]
fn new_article_writes_a_skeleton_that_builds() {
    let site = TestSite::from_fixture("basic");
    let run = new(
        &site,
        &[
            "article",
            "--outlet",
            "wire",
            "--title",
            "Ministry says: \"no truce\" in Town B",
            "--url",
            "https://wire.example.org/2020/01/04/no-truce",
            "--published",
            "2020-01-04",
        ],
    );
    let rel = "content/articles/2020-01-04-wire-ministry-says-no-truce-in-town-b.md";
    assert_eq!(run.ok(), format!("Created {rel}\n"));
    insta::assert_snapshot!("new_article_report", site.read(rel));

    site.build(&[]).ok();
    let page =
        site.read("public/articles/2020-01-04-wire-ministry-says-no-truce-in-town-b/index.html");
    assert_eq!(text_of(&page, "h1"), "Ministry says: \"no truce\" in Town B");
    assert!(page.contains("https://wire.example.org/2020/01/04/no-truce"));
    // The body is only a comment saying what goes there: nothing of it is published.
    assert!(!page.contains("in our own words (Markdown)"));
}

#[test]
fn new_article_without_a_date_is_undated_and_never_guesses_one() {
    let site = TestSite::from_fixture("basic");
    let run = new(
        &site,
        &[
            "article",
            "--outlet",
            "paper",
            "--title",
            "Full text of the paper's piece",
            "--kind",
            "full-text",
            "--source-note",
            "Transcribed from a synthetic file.",
        ],
    );
    let rel = "content/articles/undated-paper-full-text-of-the-paper-s-piece.md";
    assert_eq!(run.ok(), format!("Created {rel}\n"));
    insta::assert_snapshot!("new_article_undated_full_text", site.read(rel));
    site.build(&[]).ok();
    let page = site.read("public/articles/undated-paper-full-text-of-the-paper-s-piece/index.html");
    assert!(page.contains("Transcribed from a synthetic file."));
}

#[test]
fn new_article_refuses_to_overwrite() {
    let site = TestSite::from_fixture("basic");
    let args = [
        "article",
        "--outlet",
        "wire",
        "--title",
        "Same",
        "--url",
        "https://wire.example.org/s",
        "--published",
        "2020-01-05",
    ];
    new(&site, &args).ok();
    let rel = "content/articles/2020-01-05-wire-same.md";
    site.write(rel, "edited by hand\n");
    let run = new(&site, &args);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        format!(
            "error: {rel} already exists; dossier never overwrites a file\n  help: edit that file, \
                or pass --slug to name the new article differently\n"
        )
    );
    assert_eq!(site.read(rel), "edited by hand\n");
    // --slug names it differently.
    let mut with_slug = args.to_vec();
    with_slug.extend(["--slug", "same-again"]);
    assert_eq!(
        new(&site, &with_slug).ok(),
        "Created content/articles/2020-01-05-wire-same-again.md\n"
    );
}

#[test]
fn new_article_with_an_unknown_outlet_suggests_the_closest() {
    let site = TestSite::from_fixture("basic");
    let before = read_tree(&site.root);
    let run =
        new(&site, &["article", "--outlet", "wir", "--title", "T", "--url", "https://x.org/"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: unknown outlet `wir` (--outlet)\n  help: did you mean `wire`? (the known outlets \
            are `paper`, `wire`)\n"
    );
    let run =
        new(&site, &["article", "--outlet", "reuters", "--title", "T", "--url", "https://x.org/"]);
    assert!(
        run.stderr.contains("help: add it with `dossier new outlet reuters`"),
        "{}",
        run.stderr
    );
    assert_eq!(read_tree(&site.root), before, "nothing is written on an error");
}

#[test]
fn new_article_checks_dates_addresses_and_kinds() {
    let site = TestSite::from_fixture("basic");
    let before = read_tree(&site.root);
    let base = ["article", "--outlet", "wire", "--title", "T"];
    let run_with = |extra: &[&str]| {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        new(&site, &args)
    };

    let run = run_with(&["--url", "https://x.org/", "--published", "2020-02-30"]);
    assert_eq!(run.code, 2, "a bad value is a usage error");
    assert!(
        run.stderr.starts_with(
            "error: invalid value '2020-02-30' for '--published <DATE>': \
            `2020-02-30` is not a real calendar date; write a date as `YYYY-MM-DD`"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("or `unknown` when no date was recorded"), "{}", run.stderr);

    let run = run_with(&["--url", "wire.example.org/x"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.starts_with(
            "error: invalid value 'wire.example.org/x' for '--url <URL>': \
            `wire.example.org/x` is not an absolute URL"
        ),
        "{}",
        run.stderr
    );
    let run = run_with(&["--url", "javascript:alert(1)"]);
    assert!(run.stderr.contains("uses the `javascript:` scheme"), "{}", run.stderr);

    let run = run_with(&[]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: a `report` needs the original's address: pass --url URL, or --kind full-text \
            --source-note TEXT for a text held without an address\n"
    );
    let run = run_with(&["--kind", "full-text"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("a `full-text` article needs --source-note TEXT"),
        "{}",
        run.stderr
    );
    assert_eq!(read_tree(&site.root), before, "nothing is written on an error");
}

#[test]
fn new_outlet_writes_a_skeleton_articles_can_use() {
    let site = TestSite::from_fixture("basic");
    let run = new(
        &site,
        &[
            "outlet",
            "agency-x",
            "--name",
            "Agency X: News",
            "--domain",
            "agency-x.example.org",
            "--domain",
            "AGENCY-X.example.com",
        ],
    );
    assert_eq!(run.ok(), "Created content/outlets/agency-x.yaml\n");
    insta::assert_snapshot!("new_outlet", site.read("content/outlets/agency-x.yaml"));
    new(
        &site,
        &[
            "article",
            "--outlet",
            "agency-x",
            "--title",
            "Agency story",
            "--url",
            "https://agency-x.example.org/a",
            "--published",
            "2020-01-06",
        ],
    )
    .ok();
    site.build(&[]).ok();
    let page = site.read("public/outlets/agency-x/index.html");
    assert!(page.contains("Agency X: News") && page.contains("agency-x.example.com"), "{page}");

    let bare = new(&site, &["outlet", "bare"]);
    assert_eq!(bare.ok(), "Created content/outlets/bare.yaml\n");
    assert!(site.read("content/outlets/bare.yaml").contains("\nname: bare\n"));
    site.build(&[]).ok();
}

#[test]
fn new_outlet_refusals() {
    let site = TestSite::from_fixture("basic");
    let run = new(&site, &["outlet", "wire"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: the outlet `wire` already exists: content/outlets/wire.yaml\n  help: edit that \
            file, or choose another id\n"
    );
    let run = new(&site, &["outlet", "Press TV"]);
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: `Press TV` is not a valid outlet id: use lowercase letters, digits and hyphens, \
            e.g. `press-tv`\n"
    );
    let run = new(&site, &["outlet", "x", "--domain", "https://x.org/"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("is a URL, not a domain"), "{}", run.stderr);
}

#[test]
fn new_outside_a_dossier_says_how_to_start_one() {
    let tmp = tempfile::tempdir().unwrap();
    let run = dossier(&["new", "outlet", "x"], tmp.path());
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "error: no dossier.yaml in `.`: run dossier in a dossier's directory, or pass --root DIR \
            (`dossier init DIR` creates a new dossier)\n"
    );
    assert!(read_tree(tmp.path()).is_empty());
}

/// The files a new dossier holds, by path.
fn expected_init_files() -> Vec<String> {
    let mut names = vec![
        "content/_index.md".to_string(),
        "content/articles/undated-example-wire-example-report.md".into(),
        "content/outlets/example-wire.yaml".into(),
        "dossier.yaml".into(),
    ];
    names.extend(dossier::theme::BUILTIN_TEMPLATES.iter().map(|(n, _)| format!("templates/{n}")));
    names.extend(dossier::theme::BUILTIN_STATIC.iter().map(|(n, _)| format!("static/{n}")));
    names.sort();
    names
}

fn init_in(cwd: &Path, dir: &str, extra: &[&str]) -> crate::support::Run {
    let mut args = vec!["init", dir];
    args.extend_from_slice(extra);
    dossier(&args, cwd)
}

#[test]
fn init_creates_a_dossier_that_builds_and_checks_clean() {
    let tmp = tempfile::tempdir().unwrap();
    let run = init_in(tmp.path(), "idlib-truce", &[]);
    let count = expected_init_files().len();
    assert_eq!(
        run.ok(),
        format!(
            "Created the dossier “Idlib truce” in idlib-truce ({count} files).\n\nNext steps:\n  \
                cd idlib-truce\n  dossier serve          # preview it, rebuilt as you save\n  \
                dossier new outlet ID --name NAME --domain DOMAIN\n  dossier new article --outlet \
                ID --title TITLE --url URL --published DATE\n  dossier build          # write the \
                site into public/\n"
        )
    );
    let root = tmp.path().join("idlib-truce");
    let files = read_tree(&root);
    assert_eq!(files.keys().cloned().collect::<Vec<_>>(), expected_init_files());
    let text = |p: &str| String::from_utf8(files[p].clone()).unwrap();
    insta::assert_snapshot!("init_dossier_yaml", text("dossier.yaml"));
    insta::assert_snapshot!("init_index", text("content/_index.md"));
    insta::assert_snapshot!("init_example_outlet", text("content/outlets/example-wire.yaml"));
    insta::assert_snapshot!(
        "init_example_article",
        text("content/articles/undated-example-wire-example-report.md")
    );
    // The theme is the built-in one, byte for byte, ready to edit.
    for (name, builtin) in dossier::theme::BUILTIN_TEMPLATES {
        assert_eq!(files[&format!("templates/{name}")], builtin.as_bytes(), "{name}");
    }
    assert_eq!(
        files["static/style.css"],
        std::fs::read(repo_root().join("static/style.css")).unwrap()
    );

    let run = dossier(&["build", "--root", "idlib-truce", "--output", "out"], tmp.path());
    assert!(run.ok().starts_with("Built 13 pages, "), "{}", run.stdout);
    let index = std::fs::read_to_string(tmp.path().join("out/index.html")).unwrap();
    assert!(index.contains("Idlib truce") && index.contains("This is a new dossier"));
    assert!(
        tmp.path().join("out/articles/undated-example-wire-example-report/index.html").is_file()
    );
    assert!(tmp.path().join("out/outlets/example-wire/index.html").is_file());

    let check = dossier(&["check", "--root", "idlib-truce"], tmp.path());
    assert_eq!(check.code, 0, "{}\n{}", check.stdout, check.stderr);
    assert!(check.stdout.contains(": 0 errors, 0 warnings."), "{}", check.stdout);

    // The usual loop works in it at once.
    dossier(&["new", "outlet", "paper", "--root", "idlib-truce"], tmp.path()).ok();
    dossier(
        &[
            "new",
            "article",
            "--root",
            "idlib-truce",
            "--outlet",
            "paper",
            "--title",
            "A story",
            "--url",
            "https://paper.example.net/a",
            "--published",
            "2020-03-01",
        ],
        tmp.path(),
    )
    .ok();
    dossier(&["build", "--root", "idlib-truce", "--output", "out"], tmp.path()).ok();
    assert!(tmp.path().join("out/articles/2020-03-01-paper-a-story/index.html").is_file());
}

#[test]
fn init_takes_a_title_and_an_empty_or_hidden_only_directory() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("empty")).unwrap();
    let run = init_in(tmp.path(), "empty", &["--title", "Truce: a dossier"]);
    assert!(
        run.ok().starts_with("Created the dossier “Truce: a dossier” in empty ("),
        "{}",
        run.stdout
    );
    let config = std::fs::read_to_string(tmp.path().join("empty/dossier.yaml")).unwrap();
    assert!(config.contains("\ntitle: 'Truce: a dossier'\n"), "{config}");

    std::fs::create_dir_all(tmp.path().join("repo/.git")).unwrap();
    init_in(tmp.path(), "repo", &[]).ok();
    assert!(tmp.path().join("repo/dossier.yaml").is_file());
    assert!(tmp.path().join("repo/.git").is_dir());

    // `.` names the current directory.
    let here = tmp.path().join("my_dossier");
    std::fs::create_dir_all(&here).unwrap();
    assert!(init_in(&here, ".", &[]).ok().starts_with("Created the dossier “My dossier” in . ("));
    let nested = init_in(tmp.path(), "a/b/c", &[]);
    assert!(nested.ok().starts_with("Created the dossier “C” in a/b/c ("), "{}", nested.stdout);
}

#[test]
fn init_refuses_a_non_empty_directory_and_writes_nothing() {
    let site = TestSite::from_fixture("basic");
    let before = read_tree(&site.root);
    let run = init_in(site.tmp.path(), "site", &[]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "error: site is not empty (it holds `content`, `dossier.yaml`, `static`); dossier init \
            creates a dossier only in a new or empty directory\n  help: choose another directory, \
            or move those files away\n"
    );
    assert_eq!(read_tree(&site.root), before);

    let file = site.tmp.path().join("file.txt");
    std::fs::write(&file, "x").unwrap();
    let run = init_in(site.tmp.path(), "file.txt", &[]);
    assert_eq!(
        (run.code, run.stderr.as_str()),
        (1, "error: file.txt exists and is not a directory\n  help: choose a new directory\n")
    );
}

#[test]
fn help_texts_describe_the_commands() {
    let cwd = repo_root();
    let help = dossier(&["--help"], &cwd);
    assert!(help.ok().contains("new ") && help.stdout.contains("init "), "{}", help.stdout);
    let article = dossier(&["new", "article", "--help"], &cwd);
    let text = article.ok();
    for needle in
        ["content/articles/<date>-<outlet>-<slug>.md", "`undated`", "--source-note", "full-text"]
    {
        assert!(text.contains(needle), "{needle}: {text}");
    }
    let init = dossier(&["init", "--help"], &cwd);
    assert!(init.ok().contains("hidden entries such as `.git` are allowed"), "{}", init.stdout);
}
