//! The site in real validators: the Nu HTML Checker, axe-core and page loads in headless
//! Chromium, the sitemaps.org schema through `xmllint`, and feedparser. Each test runs one of
//! the project's own scripts (`tests/browser/*.mjs`, `tests/validate/*`) on the repository's
//! dossier, built once per test binary, and once more on `tests/fixtures/broken-site`, a small
//! synthetic site that the validator must reject with a known message (so a validator that
//! stopped checking anything would fail here).
//!
//! The tools live outside Cargo: `npm ci --prefix tests/browser` (playwright-core, axe-core,
//! vnu-jar, the sitemaps.org schema), Java 17+, Chromium, `xmllint` and Python's `feedparser`;
//! `.ci/run` installs them. A test whose tool is missing passes, writing
//! `skipped: <test>: <tool> not found` where `cargo test` shows it (`support::skip`), unless
//! `DOSSIER_REQUIRE_TOOLS=1` (set by CI), when it fails instead.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::support::{dossier, fixture, have, repo_root, runs};

/// The address the site is built for and served under (`pages.mjs` serves `/idlib-dossier/`).
const BASE_URL: &str = "https://example.org/idlib-dossier/";

/// The repository's dossier built with its own configuration (no address), once per test
/// binary.
fn default_build() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| build("default", &[]))
}

/// The repository's dossier built with `--base-url https://example.org/idlib-dossier/`.
fn subpath_build() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| build("subpath", &["--base-url", BASE_URL]))
}

/// Builds the repository's dossier into Cargo's scratch directory for integration tests (kept
/// after the run, so a failure can be inspected there).
fn build(name: &str, args: &[&str]) -> PathBuf {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("validators").join(name);
    match std::fs::remove_dir_all(&out) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => panic!("remove {}: {e}", out.display()),
    }
    let root = repo_root();
    let mut all = vec!["build", "--root", root.to_str().unwrap(), "--output"];
    all.push(out.to_str().unwrap());
    all.push("--quiet");
    all.extend_from_slice(args);
    dossier(&all, &root).ok();
    out
}

/// The synthetic site that every validator must reject.
fn broken_site() -> PathBuf {
    fixture("broken-site")
}

/// Whether `tests/browser/node_modules/<package>` is installed (and node with it).
fn have_node_package(package: &str) -> bool {
    have("node", runs("node", &["--version"]))
        && have(
            &format!("tests/browser/node_modules/{package} (npm ci --prefix tests/browser)"),
            repo_root().join("tests/browser/node_modules").join(package).is_dir(),
        )
}

fn have_chromium() -> bool {
    let path = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    have("chromium", Path::new(&path).is_file())
}

/// What a script printed and how it exited.
struct Outcome {
    code: Option<i32>,
    output: String,
}

/// Runs `program script site` from the repository root, with stdout and stderr together.
fn script(program: &str, script: &str, site: &Path) -> Outcome {
    let out = Command::new(program)
        .arg(repo_root().join(script))
        .arg(site)
        .current_dir(repo_root())
        .output()
        .unwrap_or_else(|e| panic!("run {program} {script}: {e}"));
    let output =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    println!("{program} {script} {}:\n{output}", site.display());
    Outcome { code: out.status.code(), output }
}

/// Asserts that the script passed on `site`, showing its report otherwise.
fn passes(outcome: &Outcome, summary: &str) {
    assert_eq!(outcome.code, Some(0), "expected a clean report:\n{}", outcome.output);
    assert!(outcome.output.contains(summary), "expected `{summary}` in:\n{}", outcome.output);
}

/// Asserts that the script failed (exit 1, not a crash) and printed each of `expected`.
fn fails(outcome: &Outcome, expected: &[&str]) {
    assert_eq!(outcome.code, Some(1), "expected a failing report:\n{}", outcome.output);
    for text in expected {
        assert!(outcome.output.contains(text), "expected `{text}` in:\n{}", outcome.output);
    }
}

fn have_vnu() -> bool {
    have_node_package("vnu-jar") && have("java", runs("java", &["-version"]))
}

#[test]
fn nu_html_checker_finds_no_errors() {
    if have_vnu() {
        passes(&script("node", "tests/browser/vnu.mjs", default_build()), " 0 errors,");
    }
}

#[test]
fn nu_html_checker_reports_errors_with_their_place() {
    if have_vnu() {
        fails(
            &script("node", "tests/browser/vnu.mjs", &broken_site()),
            &[
                "index.html:10:5: error: Element “div” not allowed as child of element “ul”",
                " 1 errors,",
            ],
        );
    }
}

fn have_browser() -> bool {
    have_node_package("playwright-core") && have_node_package("axe-core") && have_chromium()
}

#[test]
fn axe_finds_no_serious_or_critical_violations() {
    if have_browser() {
        let outcome = script("node", "tests/browser/axe.mjs", default_build());
        passes(&outcome, ", 0 serious or critical");
        assert!(outcome.output.contains("presstv"), "the Press TV article is checked");
    }
}

#[test]
fn axe_reports_serious_violations() {
    if have_browser() {
        fails(
            &script("node", "tests/browser/axe.mjs", &broken_site()),
            &[
                "timeline/index.html (dark): 1 violations, 1 serious or critical",
                "[serious] color-contrast",
                ", 4 serious or critical",
            ],
        );
    }
}

#[test]
fn pages_load_cleanly_from_file_and_from_a_subpath() {
    if have_browser() {
        passes(&script("node", "tests/browser/pages.mjs", subpath_build()), "pages: 0 failed,");
    }
}

#[test]
fn pages_report_failed_requests() {
    if have_browser() {
        fails(
            &script("node", "tests/browser/pages.mjs", &broken_site()),
            &[
                "dispute/index.html over file://:",
                "broken-site/missing.css (net::ERR_FILE_NOT_FOUND)",
                "HTTP 404: http://127.0.0.1:",
                "/idlib-dossier/missing.css",
                "/idlib-dossier/no/such/page/style.css",
                "no stylesheet was applied",
                "index.html at 390 px:",
                "px wide on a screen 390 px wide: it scrolls sideways",
                "pages: 4 failed, 12 clean",
            ],
        );
    }
}

fn have_xmllint() -> bool {
    have_node_package("sitemap") && have("xmllint", runs("xmllint", &["--version"]))
}

#[test]
fn sitemap_matches_the_sitemaps_org_schema() {
    if have_xmllint() {
        // Built without an address (as public/ is), the dossier has no sitemap; built with one,
        // its sitemap is valid.
        assert!(!default_build().join("sitemap.xml").exists());
        passes(
            &script("bash", "tests/validate/sitemap.sh", subpath_build()),
            " 0 invalid or missing",
        );
    }
}

#[test]
fn sitemap_schema_errors_are_reported() {
    if have_xmllint() {
        fails(
            &script("bash", "tests/validate/sitemap.sh", &broken_site()),
            &[
                "INVALID: sitemap.xml against sitemap.xsd:",
                "sitemap.xml:3: element priority",
                "1 files checked, 1 invalid or missing",
            ],
        );
    }
}

fn have_feedparser() -> bool {
    have("python3 with feedparser", runs("python3", &["-c", "import feedparser"]))
}

#[test]
fn feeds_parse_without_errors() {
    if have_feedparser() {
        for site in [default_build(), subpath_build()] {
            let outcome = script("python3", "tests/validate/feeds.py", site);
            passes(&outcome, " 0 with problems");
            assert!(outcome.output.contains("ok: atom.xml (atom10, "), "{}", outcome.output);
        }
    }
}

#[test]
fn feed_errors_are_reported() {
    if have_feedparser() {
        fails(
            &script("python3", "tests/validate/feeds.py", &broken_site()),
            &["BAD: atom.xml: SAXParseException:", "mismatched tag", "1 parsed, 1 with problems"],
        );
    }
}
