//! Test harness: copy a fixture dossier into a temporary directory, run the real binary on it
//! (with a scrubbed environment), and read back what it wrote.

#![allow(dead_code)]

pub mod serve;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// The repository root.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture directory under `tests/fixtures/`.
pub fn fixture(name: &str) -> PathBuf {
    repo_root().join("tests/fixtures").join(name)
}

/// Copies a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.expect("walk fixture");
        let target = to.join(entry.path().strip_prefix(from).expect("prefix"));
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Every file under `dir`, by `/`-separated relative path.
pub fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .map(|e| e.expect("walk output"))
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel =
                e.path().strip_prefix(dir).expect("prefix").to_string_lossy().replace('\\', "/");
            (rel, std::fs::read(e.path()).expect("read output"))
        })
        .collect()
}

/// The outcome of running the binary.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Asserts success and returns stdout.
    pub fn ok(&self) -> &str {
        assert_eq!(
            self.code, 0,
            "expected success.\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        &self.stdout
    }
}

/// Runs `dossier` with `args` in `cwd`, with an empty environment.
pub fn dossier(args: &[&str], cwd: &Path) -> Run {
    dossier_with_env(args, cwd, &[])
}

/// Runs `dossier` with `args` in `cwd`, with only the variables `env` set.
pub fn dossier_with_env(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(args)
        .current_dir(cwd)
        .env_clear()
        .envs(env.iter().copied())
        .output()
        .expect("run dossier");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A dossier copied into a temporary directory (`<tmp>/site`), with its output at `<tmp>/site/public`.
pub struct TestSite {
    pub tmp: TempDir,
    pub root: PathBuf,
}

impl TestSite {
    /// Copies `tests/fixtures/<name>`.
    pub fn from_fixture(name: &str) -> Self {
        Self::from_dir(&fixture(name))
    }

    /// Copies any dossier directory.
    pub fn from_dir(dir: &Path) -> Self {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("site");
        copy_dir(dir, &root);
        TestSite { tmp, root }
    }

    /// The default output directory.
    pub fn public(&self) -> PathBuf {
        self.root.join("public")
    }

    /// Writes (or replaces) a file of the dossier.
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    /// Reads a file of the dossier or its output.
    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// Runs `dossier build --root <root>` plus `args`.
    pub fn build(&self, args: &[&str]) -> Run {
        let root = self.root.to_string_lossy().into_owned();
        let mut all = vec!["build", "--root", root.as_str()];
        all.extend_from_slice(args);
        dossier(&all, self.tmp.path())
    }

    /// Replaces the temporary directory's path in `text` with `[TMP]`.
    pub fn normalize(&self, text: &str) -> String {
        text.replace(&self.tmp.path().to_string_lossy().into_owned(), "[TMP]")
    }

    /// Names in the temporary directory (to spot leftover staging directories).
    pub fn tmp_entries(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(self.tmp.path())
            .expect("list tmp")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }
}

/// The text of the elements matching `selector`: text nodes joined by spaces, whitespace
/// collapsed (so `<dt>Byline</dt><dd>x</dd>` reads `Byline x`).
pub fn text_of(html: &str, selector: &str) -> String {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).expect("selector");
    let text: Vec<&str> = doc.select(&sel).flat_map(|e| e.text()).collect();
    text.join(" ").split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `tests/browser/`, when what its scripts need is installed: node, Chromium at
/// `/usr/bin/chromium` and `node_modules/playwright-core`. Otherwise prints
/// `skipped: … not found` and returns `None`, or fails when `DOSSIER_REQUIRE_TOOLS=1`.
pub fn browser_scripts() -> Option<PathBuf> {
    let dir = repo_root().join("tests/browser");
    let node = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    let missing: Vec<&str> = [
        (!node).then_some("node"),
        (!Path::new("/usr/bin/chromium").is_file()).then_some("/usr/bin/chromium"),
        (!dir.join("node_modules/playwright-core").is_dir())
            .then_some("tests/browser/node_modules/playwright-core"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if missing.is_empty() {
        return Some(dir);
    }
    skip(&format!("{} not found", missing.join(", ")));
    None
}

/// Whether `program args…` starts and exits with success (`runs("java", &["-version"])`).
pub fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program).args(args).output().is_ok_and(|o| o.status.success())
}

/// `present`; when it is false, the running test is reported skipped because `what` was not
/// found (see [`skip`]), and the caller returns without checking anything.
pub fn have(what: &str, present: bool) -> bool {
    if !present {
        skip(&format!("{what} not found"));
    }
    present
}

/// Reports the running test as skipped for `reason`, or fails it when `DOSSIER_REQUIRE_TOOLS=1`
/// (as `.ci/run` sets, having installed the tools).
///
/// The line `skipped: <test>: <reason>` is written to the process's standard error directly,
/// not with `println!` or `eprintln!`: libtest captures what those print and shows it only for
/// a failing test, so a skip would pass silently. A write to the `std::io::stderr()` handle is
/// not captured, so the line shows in `cargo test`'s output (and in a CI log that keeps
/// stderr) whether or not `--nocapture` is given.
pub fn skip(reason: &str) {
    use std::io::Write as _;
    assert!(
        std::env::var_os("DOSSIER_REQUIRE_TOOLS").is_none_or(|v| v != "1"),
        "{reason}, and DOSSIER_REQUIRE_TOOLS=1 requires this test to run (.ci/run installs the \
         tools)"
    );
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test");
    // Nothing better to do if stderr is closed.
    let _ = writeln!(std::io::stderr().lock(), "skipped: {test}: {reason}");
}
