//! `dossier check`: the real binary over fixture dossiers (`check-broken` has one of each
//! internal problem; `check-external` gets links to a local HTTP server started by the test),
//! and over the repository's own dossier. No test contacts the internet.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::support::{TestSite, dossier, repo_root};

/// Runs `dossier check --root <site> <args>`.
fn check(site: &TestSite, args: &[&str]) -> crate::support::Run {
    let root = site.root.to_string_lossy().into_owned();
    let mut all = vec!["check", "--root", root.as_str()];
    all.extend_from_slice(args);
    dossier(&all, site.tmp.path())
}

fn json_of(run: &crate::support::Run) -> Value {
    serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\nstderr:\n{}", run.stdout, run.stderr))
}

/// `(severity, kind, page, link)` of each finding.
fn findings(report: &Value) -> Vec<(String, String, String, String)> {
    let s = |v: &Value| v.as_str().unwrap_or("").to_string();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (s(&f["severity"]), s(&f["kind"]), s(&f["page"]), s(&f["link"])))
        .collect()
}

fn t(a: &str, b: &str, c: &str, d: &str) -> (String, String, String, String) {
    (a.into(), b.into(), c.into(), d.into())
}

#[test]
fn a_sound_dossier_passes_and_nothing_is_written() {
    let site = TestSite::from_fixture("basic");
    let run = check(&site, &[]);
    let out = run.ok();
    assert!(
        out.ends_with("0 errors, 0 warnings. 9 external addresses not checked (use --external).\n"),
        "{out}"
    );
    assert!(out.contains("\n  wire.example.org      4\n"), "{out}");
    assert!(!site.public().exists(), "check must not write the site");
    assert!(!site.root.join(".dossier").exists(), "no cache without --external");
    assert_eq!(check(&site, &[]).stdout, run.stdout, "the report is deterministic");
}

#[test]
fn every_internal_problem_is_reported_as_json() {
    let site = TestSite::from_fixture("check-broken");
    let run = check(&site, &["--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = json_of(&run);
    let article = "articles/2020-01-02-wire-report/index.html";
    assert_eq!(
        findings(&report),
        [
            t("error", "missing-alt", "about/index.html", "../images/logo.png"),
            t("error", "broken-link", article, "../2020-01-02-wire-reprot/index.html"),
            t("error", "missing-anchor", article, "index.html#detials"),
            t("error", "outside-site", article, "/outlets/wire/"),
            t("error", "missing-alt", "hidden/index.html", "../images/logo.png"),
            t("warning", "unreachable", "hidden/index.html", ""),
        ]
    );
    assert_eq!(report["schema_version"], 1);
    assert_eq!(report["ok"], false);
    assert_eq!(report["summary"]["errors"], 5);
    assert_eq!(report["summary"]["warnings"], 1);
    assert_eq!(report["summary"]["pages"], 15);
    let broken = &report["findings"][1];
    assert_eq!(broken["text"], "link to a missing article");
    assert_eq!(broken["target"], Value::Null);
    assert_eq!(
        broken["help"],
        "did you mean `articles/2020-01-02-wire-report/index.html`? From this page that is \
            `index.html`"
    );
    assert_eq!(report["findings"][2]["help"], "did you mean `#details`?");
    assert_eq!(report["external"]["wire.example.org"][0]["pages"], serde_json::json!([article]));
}

#[test]
fn build_fails_on_a_broken_internal_link_and_names_its_source() {
    let site = TestSite::from_fixture("check-broken");
    let run = site.build(&[]);
    assert_eq!(run.code, 1, "{}", run.stdout);
    let stderr = site.normalize(&run.stderr);
    assert!(
        stderr.contains(
            "error: content/articles/2020-01-02-wire-report.md: broken link \
             `../2020-01-02-wire-reprot/index.html`: no file \
             `articles/2020-01-02-wire-reprot/index.html` was built (on the page \
             `articles/2020-01-02-wire-report/index.html`)\n"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("missing-anchor") || stderr.contains("no element with id `detials`"),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("error: build failed; `[TMP]/site/public` was not changed\n"),
        "{stderr}"
    );
    assert!(!site.public().exists(), "nothing was written");
}

#[test]
fn the_human_report_groups_by_page_and_explains() {
    let site = TestSite::from_fixture("check-broken");
    let run = check(&site, &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.contains(
            "articles/2020-01-02-wire-report/index.html (from \
            content/articles/2020-01-02-wire-report.md)\n  error[broken-link]: broken link \
            `../2020-01-02-wire-reprot/index.html`: no file \
            `articles/2020-01-02-wire-reprot/index.html` was built (“link to a missing article”)\n"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("    help: from this page, write `../../outlets/wire/index.html`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .ends_with("5 errors, 1 warning. 1 external address not checked (use --external).\n")
    );
    assert_eq!(run.stderr, "");
}

#[test]
fn warnings_alone_exit_zero() {
    let site = TestSite::from_fixture("basic");
    site.write("content/pages/orphan.md", "---\ntitle: Orphan\n---\nNo link leads here.\n");
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\nmenu: true\n---\nAn image without a description: \
            ![](../images/photo.png)\n",
    );
    let run = check(&site, &["--format", "json"]);
    let report = json_of(&run);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(report["ok"], true);
    assert_eq!(
        findings(&report),
        [
            t("warning", "empty-alt", "about/index.html", "../images/photo.png"),
            t("warning", "unreachable", "orphan/index.html", ""),
        ]
    );
}

#[test]
fn content_errors_are_findings_not_crashes() {
    let site = TestSite::from_fixture("basic");
    site.write(
        "content/articles/2020-01-05-bad.md",
        "---\ntitle: Bad\noutlet: wirre\npublished: 2020-01-05\nkind: report\nurl: \
            https://wire.example.org/bad\n---\nBody.\n",
    );
    let run = check(&site, &[]);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout
            .starts_with("error: content/articles/2020-01-05-bad.md:3:9: unknown outlet `wirre`"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.ends_with("The dossier could not be built: 1 error, 0 warnings.\n"),
        "{}",
        run.stdout
    );

    let report = json_of(&check(&site, &["--format", "json"]));
    let f = &report["findings"][0];
    assert_eq!(
        (f["kind"].as_str(), f["origin"].as_str()),
        (Some("content"), Some("content/articles/2020-01-05-bad.md"))
    );
    assert_eq!((f["line"].as_u64(), f["column"].as_u64()), (Some(3), Some(9)));
    assert_eq!(report["summary"]["built"], false);
}

#[test]
fn usage_errors_exit_two() {
    let site = TestSite::from_fixture("basic");
    let run = check(&site, &["--format", "xml"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("invalid value 'xml' for '--format <FORMAT>'"), "{}", run.stderr);
    let run = check(&site, &["--cache", "x.json"]);
    assert_eq!(run.code, 2, "--cache needs --external");
    let run = check(&site, &["--external", "--rate", "0"]);
    assert_eq!(run.code, 2);
}

#[test]
fn the_repository_dossier_passes() {
    let root = repo_root();
    let start = Instant::now();
    let run = dossier(&["check", "--root", root.to_str().unwrap(), "--format", "json"], &root);
    let elapsed = start.elapsed();
    let report = json_of(&run);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(report["summary"]["errors"], 0, "{:#}", report["findings"]);
    assert!(report["summary"]["internal_links"].as_u64().unwrap() > 1000);
    assert!(report["external"]["www.presstv.ir"].as_array().is_some_and(|a| !a.is_empty()));
    eprintln!("dossier check on the repository took {elapsed:?}: {}", report["summary"]);
}

/// A local HTTP server on an ephemeral port that logs each request's arrival time, method and
/// path. Its routes: `/ok` 200; `/missing` 404; `/head-not-allowed` 405 to HEAD, 200 to GET;
/// `/slow` answers after 3 s; `/redirect` 301 to `/ok`; `/found` 302 to `/ok`.
struct TestServer {
    server: Arc<tiny_http::Server>,
    port: u16,
    log: Arc<Mutex<Vec<(Instant, String, String)>>>,
}

impl TestServer {
    fn start() -> Self {
        let server = Arc::new(tiny_http::Server::http("127.0.0.1:0").unwrap());
        let port = server.server_addr().to_ip().unwrap().port();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (s, l) = (Arc::clone(&server), Arc::clone(&log));
        std::thread::spawn(move || {
            for request in s.incoming_requests() {
                let method = request.method().as_str().to_string();
                let path = request.url().to_string();
                l.lock().unwrap().push((Instant::now(), method.clone(), path.clone()));
                std::thread::spawn(move || respond(request, &method, &path));
            }
        });
        TestServer { server, port, log }
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The requests so far, as `METHOD /path`, in arrival order.
    fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().iter().map(|(_, m, p)| format!("{m} {p}")).collect()
    }

    fn times(&self) -> Vec<Instant> {
        self.log.lock().unwrap().iter().map(|(t, _, _)| *t).collect()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.server.unblock();
    }
}

fn respond(request: tiny_http::Request, method: &str, path: &str) {
    let redirect = |code: u16, to: &str| {
        tiny_http::Response::empty(code)
            .with_header(tiny_http::Header::from_bytes("Location", to).unwrap())
    };
    let response = match (method, path) {
        (_, "/ok") | (_, "/ok/a") | (_, "/ok/b") | (_, "/ok/c") => tiny_http::Response::empty(200),
        ("HEAD", "/head-not-allowed") => tiny_http::Response::empty(405),
        ("GET", "/head-not-allowed") => tiny_http::Response::empty(200),
        (_, "/slow") => {
            std::thread::sleep(Duration::from_secs(3));
            tiny_http::Response::empty(200)
        }
        (_, "/redirect") => redirect(301, "/ok"),
        (_, "/found") => redirect(302, "/ok"),
        _ => tiny_http::Response::empty(404),
    };
    request.respond(response).ok();
}

/// The `check-external` fixture with one article linking to each of `paths` on `server`.
fn site_linking_to(server: &TestServer, paths: &[&str]) -> TestSite {
    let site = TestSite::from_fixture("check-external");
    let body: String = paths.iter().map(|p| format!("- [{p}]({})\n", server.url(p))).collect();
    site.write(
        "content/articles/2020-01-01-local.md",
        &format!(
            "---\ntitle: Local links\noutlet: local\npublished: 2020-01-01\nkind: report\nurl: \
                {}\n---\n{body}",
            server.url("/ok")
        ),
    );
    // Before any HTTP request: the only external links are the local server's.
    let report = json_of(&check(&site, &["--format", "json"]));
    let domains: Vec<&String> = report["external"].as_object().unwrap().keys().collect();
    assert_eq!(domains, ["127.0.0.1"], "the fixture must not link to the internet");
    site
}

/// The verdict of each URL in the report's inventory, by path.
fn verdicts(report: &Value) -> Vec<(String, String, bool)> {
    report["external"]["127.0.0.1"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            let path = u["url"].as_str().unwrap().split_once(":").unwrap().1;
            let path = path[path.find('/').unwrap() + 2..].split_once('/').unwrap().1;
            (
                format!("/{path}"),
                u["check"]["verdict"].as_str().unwrap().to_string(),
                u["check"]["cached"].as_bool().unwrap(),
            )
        })
        .collect()
}

#[test]
fn external_links_are_checked_over_http_and_cached() {
    let server = TestServer::start();
    let site = site_linking_to(
        &server,
        &["/ok", "/missing", "/head-not-allowed", "/slow", "/redirect", "/found"],
    );
    let args = ["--external", "--timeout", "1", "--rate", "50", "--format", "json"];
    let run = check(&site, &args);
    assert_eq!(run.code, 1, "the 404 is an error\n{}", run.stdout);
    let report = json_of(&run);
    let v = |p: &str, verdict: &str, cached: bool| (p.to_string(), verdict.to_string(), cached);
    assert_eq!(
        verdicts(&report),
        [
            v("/found", "ok", false),
            v("/head-not-allowed", "ok", false),
            v("/missing", "broken", false),
            v("/ok", "ok", false),
            v("/redirect", "redirected", false),
            v("/slow", "unverified", false),
        ]
    );
    let page = "articles/2020-01-01-local/index.html";
    assert_eq!(
        findings(&report),
        [
            t("error", "external-broken", page, &server.url("/missing")),
            t("warning", "external-redirect", page, &server.url("/redirect")),
            t("warning", "external-unverified", page, &server.url("/slow")),
        ]
    );
    assert_eq!(
        report["findings"][0]["message"],
        format!("`{}`: 404 Not Found", server.url("/missing"))
    );
    assert_eq!(report["findings"][1]["target"], server.url("/ok"));
    assert_eq!(
        report["findings"][2]["message"],
        format!("`{}`: no answer within 1 s", server.url("/slow"))
    );

    let mut first: Vec<String> = server.requests();
    first.sort();
    assert_eq!(
        first,
        [
            "GET /head-not-allowed",
            "GET /missing",
            "HEAD /found",
            "HEAD /head-not-allowed",
            "HEAD /missing",
            "HEAD /ok",
            "HEAD /ok",
            "HEAD /ok",
            "HEAD /redirect",
            "HEAD /slow",
        ]
    );

    let cache = std::fs::read_to_string(site.root.join(".dossier/link-cache.json")).unwrap();
    let cache: Value = serde_json::from_str(&cache).unwrap();
    let cached: BTreeSet<&str> =
        cache["entries"].as_object().unwrap().keys().map(String::as_str).collect();
    let expected: BTreeSet<String> =
        ["/found", "/head-not-allowed", "/missing", "/ok", "/redirect"]
            .iter()
            .map(|p| server.url(p))
            .collect();
    assert_eq!(cached, expected.iter().map(String::as_str).collect(), "all but the timeout");

    // The second run asks only for what could not be cached (the timeout).
    let before = server.requests().len();
    let report = json_of(&check(&site, &args));
    assert_eq!(server.requests()[before..], ["HEAD /slow"]);
    assert!(
        verdicts(&report).iter().filter(|(p, _, _)| p != "/slow").all(|(_, _, cached)| *cached)
    );
    assert_eq!(findings(&report).len(), 3, "cached answers give the same findings");
}

#[test]
fn requests_to_one_host_are_spaced_by_the_rate_limit() {
    let server = TestServer::start();
    let site = site_linking_to(&server, &["/ok/a", "/ok/b", "/ok/c"]);
    let cache = site.tmp.path().join("cache.json");
    let run = check(
        &site,
        &["--external", "--rate", "10", "--threads", "4", "--cache", cache.to_str().unwrap()],
    );
    run.ok();
    assert!(cache.exists(), "--cache names the cache file");
    assert!(run.stderr.contains("Asked 4 over HTTP; 0 answered from"), "{}", run.stderr);
    let times = server.times();
    assert_eq!(times.len(), 4, "{:?}", server.requests());
    // 100 ms apart when sent; arrival times jitter a little on a busy machine. Without the
    // limit they would be about a millisecond apart.
    for pair in times.windows(2) {
        let gap = pair[1].duration_since(pair[0]);
        assert!(gap >= Duration::from_millis(60), "requests {gap:?} apart at 10 per second");
    }
    let span = times[3].duration_since(times[0]);
    assert!(span >= Duration::from_millis(250), "4 requests over {span:?} at 10 per second");
}
