//! Faults: a `dossier build` killed at any moment (SIGKILL) leaves the previous output whole
//! and the next build recovers; a build that runs out of room (a full tmpfs, a file size
//! limit) fails with one clear error, removes its partial output and leaves the old one as it
//! was.
//!
//! The kill trials run the debug binary on a SYNTHETIC corpus (the seeded generator of
//! `benches/support/corpus.rs`) written into a temporary directory, a few trials to keep the
//! suite quick; `.ci/kill-test.sh` runs 20 on a larger corpus with the release binary. The
//! full-disk test mounts a small tmpfs, which needs root: without it the test is reported
//! `skipped: <test>: cannot mount a tmpfs (not root)`, or fails when `DOSSIER_REQUIRE_TOOLS=1`.
//! The file-size-limit test (`ulimit -f`, the same error path) needs no privilege and always runs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{TestSite, read_tree, skip};

use crate::corpus;

/// Entries beside the output that a build's staging left (`.public.dossier-staging-…`).
fn staging_dirs(parent: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(parent)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("dossier-staging"))
        .collect();
    names.sort();
    names
}

/// `dossier build --root <root> [args]`, its exit code and stderr.
fn build(root: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "--root"])
        .arg(root)
        .args(args)
        .env_clear()
        .output()
        .unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Appends a sentence to one article and renames the dossier (every page shows its title), so
/// that a build after the edit changes most of the output.
fn edit(root: &Path, trial: usize) {
    let config = root.join("dossier.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    let text: String = text
        .lines()
        .map(|l| {
            if l.starts_with("title: ") {
                format!("title: \"Synthetic corpus, edit {trial}\"\n")
            } else {
                format!("{l}\n")
            }
        })
        .collect();
    std::fs::write(&config, text).unwrap();
    let articles = root.join("content/articles");
    let mut names: Vec<PathBuf> =
        std::fs::read_dir(&articles).unwrap().map(|e| e.unwrap().path()).collect();
    names.sort();
    let article = &names[trial * 7 % names.len()];
    let mut text = std::fs::read_to_string(article).unwrap();
    text.push_str(&format!("\nSynthetic edit number {trial}.\n"));
    std::fs::write(article, text).unwrap();
}

/// What a killed build left: the old output, the new one, or (a failure) something else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Left {
    Old,
    New,
}

/// Builds `root` once, then `trials` times edits it, starts a build and SIGKILLs it after a
/// seeded random delay spread over the build's duration (half the trials over the whole
/// build, half over its last steps: writing and the swap). After each kill the output must be
/// the previous complete output or the new one, byte for byte, with the file dossier did not
/// write still in it; the next build must succeed and leave no staging directory behind. At
/// the end the output must equal a clean build's. Returns each trial's delay and outcome.
fn kill_trials(articles: usize, trials: usize, seed: u64) -> Vec<(Duration, Left)> {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("corpus");
    corpus::write(&root, &corpus::files(articles, 1, corpus::Format::Dossier)).unwrap();
    let public = root.join("public");
    let (code, stderr) = build(&root, &["-q"]);
    assert_eq!(code, 0, "{stderr}");
    // A file dossier did not write: it must survive every kill.
    std::fs::write(public.join("CNAME"), "synthetic.example\n").unwrap();

    // How long a build after an edit takes, and how much of it the last steps take.
    edit(&root, 0);
    let start = Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "-v", "--root"])
        .arg(&root)
        .env_clear()
        .output()
        .unwrap();
    let took = start.elapsed();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let step_ms = |name: &str| -> f64 {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .find_map(|l| l.trim().strip_prefix(name)?.trim().strip_suffix(" ms")?.parse().ok())
            .unwrap_or(0.0)
    };
    let last_steps = Duration::from_secs_f64((step_ms("write") + step_ms("commit")) / 1000.0);
    println!(
        "kill trials: {articles} articles, a build takes {} ms (write + commit {} ms), seed {seed}",
        took.as_millis(),
        last_steps.as_millis()
    );

    let mut rng = fastrand::Rng::with_seed(seed);
    let mut old = read_tree(&public);
    let mut outcomes = Vec::new();
    for trial in 1..=trials {
        edit(&root, trial);
        // Stratified: trial i of n falls in the i-th slice of its window, at a random point.
        let (i, n) = ((trial - 1) / 2, trials.div_ceil(2));
        let slice = (i as f64 + rng.f64()) / n as f64;
        let delay = if trial % 2 == 1 {
            took.mul_f64(slice * 1.05)
        } else {
            took.saturating_sub(last_steps).mul_f64(0.95) + last_steps.mul_f64(slice * 1.2)
        };
        let mut child = Command::new(env!("CARGO_BIN_EXE_dossier"))
            .args(["build", "-q", "--root"])
            .arg(&root)
            .env_clear()
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        let _ = child.kill();
        let status = child.wait().unwrap();
        let after = read_tree(&public);
        let leftovers = staging_dirs(&root);

        let (code, stderr) = build(&root, &["-q"]);
        assert_eq!(code, 0, "trial {trial}: the build after a kill failed:\n{stderr}");
        let new = read_tree(&public);
        let left = if after == old {
            Left::Old
        } else if after == new {
            Left::New
        } else {
            panic!(
                "trial {trial} (killed after {} ms): the output is neither the old nor the new \
                 one: {}",
                delay.as_millis(),
                difference(&old, &new, &after)
            );
        };
        if status.success() {
            assert_eq!(left, Left::New, "trial {trial}: the build finished, yet the output is old");
        }
        assert_eq!(new["CNAME"], b"synthetic.example\n", "trial {trial}");
        assert_eq!(staging_dirs(&root), Vec::<String>::new(), "trial {trial}: left behind");
        println!(
            "  trial {trial:>2}: killed after {:>5} ms ({}): output {left:?}; staging left by \
             the kill: {leftovers:?}",
            delay.as_millis(),
            if status.success() { "had finished" } else { "killed" },
        );
        outcomes.push((delay, left));
        old = new;
    }

    // The output after all that equals a clean build of the same sources.
    let clean = tmp.path().join("clean");
    let (code, stderr) = build(&root, &["-q", "--output", clean.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let mut expected = read_tree(&clean);
    expected.insert("CNAME".into(), b"synthetic.example\n".to_vec());
    assert!(expected == old, "{}", difference(&expected, &expected, &old));
    outcomes
}

/// Which files of `got` are in neither `a` nor `b` as they are there, and which are missing.
fn difference(
    a: &BTreeMap<String, Vec<u8>>,
    b: &BTreeMap<String, Vec<u8>>,
    got: &BTreeMap<String, Vec<u8>>,
) -> String {
    let odd: Vec<&String> = got
        .iter()
        .filter(|(p, bytes)| a.get(*p) != Some(bytes) && b.get(*p) != Some(bytes))
        .map(|(p, _)| p)
        .take(5)
        .collect();
    let missing: Vec<&String> =
        a.keys().filter(|p| !got.contains_key(*p)).take(5).collect::<Vec<_>>();
    format!("{} files differ (e.g. {odd:?}); missing e.g. {missing:?}", got.len())
}

#[test]
fn a_killed_build_leaves_the_old_or_the_new_output_and_the_next_build_recovers() {
    let outcomes = kill_trials(50, 4, 0x5eed);
    assert_eq!(outcomes.len(), 4);
}

/// The bytes a tree takes on a tmpfs: whole 4 KiB pages per file.
fn pages(tree: &BTreeMap<String, Vec<u8>>) -> u64 {
    tree.values().map(|b| (b.len() as u64).div_ceil(4096) * 4096).sum()
}

/// Renames the dossier, so that every page of the next build changes; returns the original
/// `dossier.yaml` and the renamed one.
fn retitle(site: &TestSite) -> (String, String) {
    let config = site.read("dossier.yaml");
    let renamed: String = config
        .lines()
        .map(
            |l| if l.starts_with("title: ") { "title: Renamed\n".into() } else { format!("{l}\n") },
        )
        .collect();
    site.write("dossier.yaml", &renamed);
    (config, renamed)
}

/// A tmpfs mounted for the test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    fn mount(dir: &Path, bytes: u64) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={bytes}"), "tmpfs"])
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Tmpfs(dir.to_path_buf()))
    }

    fn resize(&self, bytes: u64) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,size={bytes}")])
            .arg(&self.0)
            .status()
            .unwrap();
        assert!(status.success());
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

/// Everything in `dir` (any name, hidden or not), sorted.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The one error a build that ran out of room prints.
fn assert_one_room_error(stderr: &str, output: &Path, cause: &str, help: &str) {
    let shown = output.display().to_string();
    assert!(
        stderr.contains(&format!(
            "error: {shown}: no room to write the new output: cannot write `{}",
            output.parent().unwrap().display()
        )),
        "{stderr}"
    );
    assert!(stderr.contains(cause), "{stderr}");
    assert!(stderr.contains(&format!("\n  help: {help}")), "{stderr}");
    assert!(stderr.contains("; the partial new output was removed\n"), "{stderr}");
    assert!(stderr.contains("\n1 error found\n"), "one error, not one per file:\n{stderr}");
    assert!(
        stderr.contains(&format!("error: build failed; `{shown}` was not changed")),
        "{stderr}"
    );
}

#[test]
fn a_full_disk_fails_the_build_with_one_clear_error_and_keeps_the_old_output() {
    let site = TestSite::from_fixture("basic");
    // What the two builds write, measured on the ordinary disk first.
    let reference = site.tmp.path().join("reference");
    let (code, stderr) = build(&site.root, &["-q", "--output", reference.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let before = read_tree(&reference);
    let (config, renamed) = retitle(&site);
    let changed_ref = site.tmp.path().join("changed");
    let (code, stderr) = build(&site.root, &["-q", "--output", changed_ref.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let after = read_tree(&changed_ref);
    let changed: BTreeMap<String, Vec<u8>> = after
        .iter()
        .filter(|(p, b)| before.get(*p) != Some(b))
        .map(|(p, b)| (p.clone(), b.clone()))
        .collect();
    // Room for the old output and half the files the rebuild changes: it runs out midway.
    let size = pages(&before) + pages(&changed) / 2;
    site.write("dossier.yaml", &config);

    let mnt = site.tmp.path().join("disk");
    let Some(disk) = Tmpfs::mount(&mnt, size) else {
        return skip("cannot mount a tmpfs (not root)");
    };
    let output = mnt.join("public");
    let (code, stderr) = build(&site.root, &["-q", "--output", output.to_str().unwrap()]);
    assert_eq!(code, 0, "the first build fits in {size} bytes:\n{stderr}");
    assert!(read_tree(&output) == before);

    site.write("dossier.yaml", &renamed);
    let (code, stderr) = build(&site.root, &["--output", output.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    assert_one_room_error(
        &stderr,
        &output,
        "No space left on device (os error 28)",
        &format!(
            "free some space on the disk that holds `{}` (`df -h {}` shows what is left), or build \
                elsewhere with --output DIR",
            mnt.display(),
            mnt.display()
        ),
    );
    assert!(read_tree(&output) == before, "the old output changed");
    assert_eq!(entries(&mnt), ["public"], "the partial new output was not removed");

    // With room again, the same build succeeds and writes what a build elsewhere wrote.
    disk.resize(size * 4);
    let (code, stderr) = build(&site.root, &["-q", "--output", output.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(read_tree(&output) == after);
    assert_eq!(entries(&mnt), ["public"]);

    // A first build that does not fit leaves nothing at all.
    drop(disk);
    let small = site.tmp.path().join("small");
    let Some(_disk) = Tmpfs::mount(&small, pages(&before) / 2) else { panic!("mount again") };
    let output = small.join("public");
    let (code, stderr) = build(&site.root, &["--output", output.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("No space left on device") && stderr.contains("\n1 error found\n"),
        "{stderr}"
    );
    assert_eq!(entries(&small), Vec::<String>::new());
}

/// Runs the debug binary under `ulimit -f <kib>`, with SIGXFSZ ignored when `ignore_xfsz`
/// (so that a write past the limit fails with EFBIG instead of killing the process).
fn build_with_file_limit(root: &Path, kib: u64, ignore_xfsz: bool) -> (Option<i32>, String) {
    let trap = if ignore_xfsz { "trap '' XFSZ; " } else { "" };
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!("{trap}ulimit -f {kib}; exec \"$0\" build --root \"$1\""))
        .arg(env!("CARGO_BIN_EXE_dossier"))
        .arg(root)
        .env_clear()
        .output()
        .unwrap();
    (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn a_file_size_limit_fails_the_build_the_same_way_and_a_sigxfsz_kill_changes_nothing() {
    if Command::new("bash").arg("--version").output().is_err() {
        return skip("bash not found");
    }
    let site = TestSite::from_fixture("basic");
    site.build(&["-q"]).ok();
    let before = read_tree(&site.public());
    retitle(&site);

    // 8 KiB: every renamed page is rewritten, and the larger ones (the 404 page inlines the
    // stylesheet) are past the limit.
    let (code, stderr) = build_with_file_limit(&site.root, 8, true);
    assert_eq!(code, Some(1), "{stderr}");
    assert_one_room_error(
        &stderr,
        &site.public(),
        "File too large (os error 27)",
        "a file is larger than this process may write (a file size limit: see `ulimit -f`): raise \
            the limit, or build elsewhere with --output DIR",
    );
    assert!(read_tree(&site.public()) == before, "the old output changed");
    assert_eq!(staging_dirs(&site.root), Vec::<String>::new());

    // Without the trap the kernel kills the build (SIGXFSZ) in the middle of a write.
    let (code, stderr) = build_with_file_limit(&site.root, 8, false);
    assert_eq!(code, None, "killed by a signal:\n{stderr}");
    assert!(read_tree(&site.public()) == before, "the old output changed");
    assert_eq!(staging_dirs(&site.root).len(), 1, "the killed build's staging directory");

    // The next build removes it and writes the renamed site.
    site.build(&["-q"]).ok();
    assert_eq!(staging_dirs(&site.root), Vec::<String>::new());
    let after = read_tree(&site.public());
    assert!(String::from_utf8_lossy(&after["index.html"]).contains("Renamed"));
}
