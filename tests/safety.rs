//! Nothing is lost: a failed build leaves the previous output untouched, files dossier did not
//! write are kept and never overwritten, and dangerous output directories are refused.

use crate::support::{TestSite, read_tree};

#[test]
fn failed_build_leaves_previous_output_untouched() {
    let site = TestSite::from_fixture("basic");
    site.build(&["-q"]).ok();
    let before = read_tree(&site.public());
    // A template error surfaces only while rendering, after the staging directory has filled up.
    site.write("templates/term.html", "{{ term.no_such_field }}");
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        site.normalize(&run.stderr)
            .contains("error: build failed; `[TMP]/site/public` was not changed"),
        "{}",
        run.stderr
    );
    assert!(read_tree(&site.public()) == before, "output changed by a failed build");
    assert_eq!(site.tmp_entries(), ["site"]);
    let site_entries: Vec<_> =
        std::fs::read_dir(&site.root).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert!(
        !site_entries.iter().any(|n| n.to_string_lossy().contains("dossier-staging")),
        "{site_entries:?}"
    );
}

#[test]
fn removed_articles_disappear_and_foreign_files_stay() {
    let site = TestSite::from_fixture("basic");
    site.build(&["-q"]).ok();
    std::fs::write(site.public().join("CNAME"), "dossier.example.org\n").unwrap();
    std::fs::create_dir_all(site.public().join(".well-known")).unwrap();
    std::fs::write(site.public().join(".well-known/security.txt"), "Contact: x\n").unwrap();
    // Remove the paper's article, and the link, claims and events citing it.
    std::fs::remove_file(site.root.join("content/articles/2020-01-01-paper-full-text.md")).unwrap();
    std::fs::remove_dir_all(site.root.join("content/claims")).unwrap();
    std::fs::remove_file(site.root.join("content/timeline.yaml")).unwrap();
    let wire = site.read("content/articles/2020-01-02-wire-report.md");
    let wire: String =
        wire.lines().filter(|l| !l.starts_with("notes:")).map(|l| format!("{l}\n")).collect();
    site.write("content/articles/2020-01-02-wire-report.md", &wire);
    let out = site.build(&[]).ok().to_string();
    assert!(out.contains("(kept 2 files dossier did not write)"), "{out}");
    let files = read_tree(&site.public());
    assert!(!files.contains_key("articles/2020-01-01-paper-full-text/index.html"));
    assert_eq!(files["CNAME"], b"dossier.example.org\n");
    assert_eq!(files[".well-known/security.txt"], b"Contact: x\n");
    assert!(!String::from_utf8_lossy(&files[".dossier-manifest"]).contains("CNAME"));
}

#[test]
fn edited_output_files_are_not_overwritten() {
    let site = TestSite::from_fixture("basic");
    site.build(&["-q"]).ok();
    std::fs::write(site.public().join("404.html"), "my own 404").unwrap();
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "would overwrite 1 file(s) that dossier did not write, or that \
        were edited after it wrote them"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("/site/public/404.html"));
    assert_eq!(site.read("public/404.html"), "my own 404");
}

#[test]
fn non_empty_unknown_output_needs_force_and_keeps_its_files() {
    let site = TestSite::from_fixture("basic");
    std::fs::create_dir_all(site.public()).unwrap();
    std::fs::write(site.public().join("notes.txt"), "keep me").unwrap();
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains(
            "it is not empty and was not written by dossier (it has no .dossier-manifest)"
        ),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("pass --force"));
    site.build(&["--force", "-q"]).ok();
    assert_eq!(site.read("public/notes.txt"), "keep me");
    assert!(site.public().join("index.html").is_file());
}

#[test]
fn refuses_to_build_over_the_sources() {
    let site = TestSite::from_fixture("basic");
    for (out, expected) in [
        (".", "is or contains the dossier root"),
        ("..", "is or contains the dossier root"),
        ("content", "overlaps the sources in `content/`"),
        ("static/out", "overlaps the sources in `static/`"),
    ] {
        let out_path = site.root.join(out);
        let run = site.build(&["--output", out_path.to_str().unwrap()]);
        assert_eq!(run.code, 1, "{out}");
        assert!(run.stderr.contains(expected), "{out}: {}", run.stderr);
    }
    assert!(site.root.join("content/_index.md").is_file());
}

#[test]
fn leftovers_of_a_killed_build_are_removed() {
    let site = TestSite::from_fixture("basic");
    site.build(&["-q"]).ok();
    let stale = site.root.join(".public.dossier-staging-4000000");
    std::fs::create_dir_all(stale.join("articles")).unwrap();
    std::fs::write(stale.join(".dossier-staging"), "").unwrap();
    std::fs::write(stale.join("articles/partial.html"), "half").unwrap();
    site.build(&["-q"]).ok();
    assert!(!stale.exists());
}

/// The inode of each output file.
fn inodes(dir: &std::path::Path) -> std::collections::BTreeMap<String, u64> {
    use std::os::unix::fs::MetadataExt;
    read_tree(dir)
        .into_keys()
        .map(|p| {
            let ino = std::fs::metadata(dir.join(&p)).unwrap().ino();
            (p, ino)
        })
        .collect()
}

#[test]
fn a_rebuild_writes_only_the_outputs_whose_bytes_changed() {
    let site = TestSite::from_fixture("basic");
    site.build(&["-q"]).ok();
    let before = inodes(&site.public());
    let edited = "articles/2020-01-02-wire-report/index.html";
    let rel = "content/articles/2020-01-02-wire-report.md";
    let text = site.read(rel);
    site.write(rel, &text.replacen("See [the paper]", "Compare [the paper]", 1));
    let out = site.build(&["-v"]);
    let after = inodes(&site.public());
    // Unchanged files are the same files (linked from the previous output); the edited page,
    // the data file carrying the source's SHA-256 and the search index (whose file names follow
    // their contents) changed, so were written.
    let written: Vec<&String> =
        after.keys().filter(|p| before.get(*p).is_none_or(|ino| *ino != after[*p])).collect();
    assert!(written.contains(&&edited.to_string()), "{written:?}");
    assert!(written.contains(&&"articles.json".to_string()), "{written:?}");
    let other: Vec<&&String> = written
        .iter()
        .filter(|p| {
            !p.starts_with("pagefind/") && p.as_str() != "articles.json" && p.as_str() != edited
        })
        .filter(|p| p.as_str() != ".dossier-manifest")
        .collect();
    assert!(other.is_empty(), "written though unchanged: {other:?}");
    let unchanged = after.len() - written.len();
    assert!(
        out.ok().contains(&format!("{unchanged} files unchanged since the last build")),
        "{}",
        out.stdout
    );
    // An output file edited by hand is never linked into the next output as if it were ours.
    let page = site.public().join("outlets/wire/index.html");
    std::fs::write(&page, "edited by hand").unwrap();
    let run = site.build(&["-q"]);
    assert_ne!(run.code, 0, "the build refuses to overwrite an edited file");
    assert_eq!(std::fs::read_to_string(&page).unwrap(), "edited by hand");
}

#[test]
fn concurrent_builds_into_one_output_take_turns_and_all_succeed() {
    let site = TestSite::from_fixture("basic");
    site.build(&["-q"]).ok();
    std::fs::write(site.public().join("CNAME"), "dossier.example").unwrap();
    let builds: Vec<std::process::Child> = (0..3)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
                .args(["build", "-q", "--root"])
                .arg(&site.root)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for b in builds {
        let out = b.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "a concurrent build failed: {stderr}");
        for line in stderr.lines() {
            assert!(line.starts_with("waiting for another build (pid "), "{stderr}");
        }
    }
    // The output is one whole build, with the foreign file kept and nothing left beside it.
    let fresh = TestSite::from_fixture("basic");
    fresh.build(&["-q"]).ok();
    let mut got = read_tree(&site.public());
    assert_eq!(got.remove("CNAME").as_deref(), Some(&b"dossier.example"[..]));
    assert_eq!(got, read_tree(&fresh.public()));
    let beside: Vec<String> = std::fs::read_dir(&site.root)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(beside.is_empty(), "left beside the output: {beside:?}");
}

#[test]
fn a_build_waits_for_the_one_writing_and_names_it() {
    use rustix::fs::{FlockOperation, flock};
    let site = TestSite::from_fixture("basic");
    site.build(&["-q"]).ok();
    let before = read_tree(&site.public());
    site.write(
        "content/pages/about.md",
        &site.read("content/pages/about.md").replace("About", "About us"),
    );
    // Another build holds the lock (the directory that holds the output), staging as pid 4242.
    let dir = std::fs::File::open(&site.root).unwrap();
    flock(&dir, FlockOperation::LockExclusive).unwrap();
    std::fs::create_dir(site.root.join(".public.dossier-staging-4242")).unwrap();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "-q", "--root"])
        .arg(&site.root)
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(read_tree(&site.public()), before, "nothing is written while the other build runs");
    std::fs::remove_dir(site.root.join(".public.dossier-staging-4242")).unwrap();
    drop(dir);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let public = site.public();
    assert_eq!(
        stderr.trim(),
        format!(
            "waiting for another build (pid 4242) that is writing to `{}` to finish…",
            public.display()
        )
    );
    assert_ne!(read_tree(&public), before, "then it builds");
}
