//! `dossier import`: captures (WARC, WACZ, saved pages) into articles, end to end with the real
//! binary over `tests/fixtures/import/` (synthetic pages and a synthetic dossier). WARCs are
//! written here with the library's own WARC writer; the tool test at the end captures the same
//! pages with wget and warcio (skipped when they are missing, failing under
//! `DOSSIER_REQUIRE_TOOLS=1`).

use std::io::Write as _;
use std::path::PathBuf;
use std::process::Command;

use dossier::snapshot::warc::WarcWriter;

use crate::support::{TestSite, dossier, fixture, have, read_tree, runs};

fn page(name: &str) -> Vec<u8> {
    std::fs::read(fixture("import/pages").join(name)).unwrap()
}

/// A `.warc.gz` of `(type, uri, http head + body)` records, one gzip member each.
fn warc(records: &[(&str, &str, Vec<u8>)]) -> Vec<u8> {
    let mut w = WarcWriter::new(Vec::new(), "2019-06-14T08:00:00Z");
    for (kind, uri, block) in records {
        let headers =
            [("WARC-Target-URI", *uri), ("Content-Type", "application/http;msgtype=response")];
        w.record(kind, uri, &headers, block.len() as u64, |out| {
            out.write_all(block).map(|()| block.len() as u64)
        })
        .unwrap();
    }
    w.finish().unwrap()
}

fn http(status: &str, content_type: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    out.extend_from_slice(body);
    out
}

const ARTICLE: &str =
    "https://www.meridian-herald.example/world/2019/06/13/ceasefire-talks-stall-kafr-nabudah";

fn import(site: &TestSite, args: &[&str]) -> crate::support::Run {
    let root = site.root.to_string_lossy().into_owned();
    let mut all = vec!["import", "--root", root.as_str()];
    all.extend_from_slice(args);
    dossier(&all, site.tmp.path())
}

fn write(site: &TestSite, name: &str, bytes: &[u8]) -> String {
    let path = site.tmp.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_string_lossy().into_owned()
}

fn sha256(bytes: &[u8]) -> String {
    dossier::hash::sha256_hex(bytes)
}

#[test]
fn a_warc_becomes_articles_and_the_capture_is_kept_once() {
    let site = TestSite::from_fixture("import/dossier");
    let bytes = warc(&[
        (
            "response",
            "http://meridian-herald.example/s/talks",
            format!("HTTP/1.1 301 Moved\r\nLocation: {ARTICLE}\r\n\r\n").into_bytes(),
        ),
        (
            "response",
            ARTICLE,
            http("200 OK", "text/html; charset=utf-8", &page("meridian-jsonld.html")),
        ),
        (
            "response",
            "https://www.meridian-herald.example/logo.gif",
            http("200 OK", "image/gif", b"GIF89a"),
        ),
        (
            "response",
            "https://www.meridian-herald.example/gone",
            http("404 Not Found", "text/html", b"<p>no"),
        ),
    ]);
    let file = write(&site, "capture.warc.gz", &bytes);
    let run = import(&site, &[&file]);
    let out = run.ok();
    let name = "2019-06-13-meridian-ceasefire-talks-stall-as-shelling-resumes-near-kafr-nabudah.md";
    assert!(out.contains(&format!("→ {}/content/articles/{name}", site.root.display())), "{out}");
    assert!(
        out.contains(&format!(
            "http://meridian-herald.example/s/talks: skipped: a redirect (301) to {ARTICLE}"
        )),
        "{out}"
    );
    assert!(out.contains("logo.gif: skipped: not HTML (image/gif)"), "{out}");
    assert!(out.contains("/gone: skipped: HTTP status 404, not 200"), "{out}");
    let hash = sha256(&bytes);
    let capture = format!("content/captures/sha256-{hash}.warc.gz");
    assert_eq!(
        std::fs::read(site.root.join(&capture)).unwrap(),
        bytes,
        "the capture is copied byte for byte"
    );
    let text = site.read(&format!("content/articles/{name}"));
    for line in [
        "title: Ceasefire talks stall as shelling resumes near Kafr Nabudah\n",
        "outlet: meridian\n",
        "published: 2019-06-13T09:41:00+01:00\n",
        "kind: full-text\n",
        &format!("url: {ARTICLE}\n"),
        "byline: Hana Okafor, Tomás Ribeiro\n",
        "section: World\n",
        "language: en-GB\n",
        "retrieved: 2019-06-14T08:00:00+00:00\n",
        &format!(
            "  - capture: captures/sha256-{hash}.warc.gz\n    sha256: {hash}\n    record: \
                <urn:uuid:"
        ),
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    assert!(
        text.contains(
            "Reached through the redirect from <http://meridian-herald.example/s/talks>."
        ),
        "{text}"
    );
    let body = text.rsplit_once("---\n").unwrap().1;
    assert!(body.contains("Talks on a ceasefire in the north-west"), "{body}");
    assert!(
        body.contains(
            "*Smoke rises over farmland east of the town on Wednesday evening. \
        Photograph: Agency staff*"
        ),
        "{body}"
    );
    for chrome in
        ["Share on Facebook", "More on this story", "Most read", "Subscribe", "Related", "cookies"]
    {
        assert!(!body.contains(chrome), "{chrome} left in\n{body}");
    }

    // It builds; the page links the capture, which is published.
    site.build(&["--quiet"]).ok();
    let slug = name.trim_end_matches(".md");
    let html =
        std::fs::read_to_string(site.public().join(format!("articles/{slug}/index.html"))).unwrap();
    assert!(
        html.contains(&format!(
            "href=\"../../captures/sha256-{hash}.warc.gz\" download>The captured original (WARC)"
        )),
        "no link"
    );
    assert_eq!(
        std::fs::read(site.public().join(format!("captures/sha256-{hash}.warc.gz"))).unwrap(),
        bytes
    );

    // Again: nothing new, and it says where the record already is.
    let before = read_tree(&site.root.join("content"));
    let again = import(&site, &[&file]);
    assert!(
        again.ok().contains(&format!(
            "already imported, in {}/content/articles/{name}",
            site.root.display()
        )),
        "{}",
        again.stdout
    );
    assert_eq!(read_tree(&site.root.join("content")), before);

    // A changed capture stops the build at the reference.
    std::fs::OpenOptions::new()
        .append(true)
        .open(site.root.join(&capture))
        .unwrap()
        .write_all(b"x")
        .unwrap();
    let run = site.build(&[]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains(&format!("{capture} has SHA-256 ")), "{}", run.stderr);
    assert!(run.stderr.contains("restore the original file"), "{}", run.stderr);
}

#[test]
fn plain_warc_1_0_saved_pages_and_dry_run() {
    let site = TestSite::from_fixture("import/dossier");
    let body = http("200 OK", "text/html", &page("courrier-opengraph.html"));
    let uri = "https://www.courrier-levant.example/monde/2019/06/14/idleb-deplaces-frontiere/";
    let mut plain = format!(
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: \
        <urn:uuid:00000000-0000-0000-0000-000000000001>\r\nWARC-Date: \
        2019-06-14T10:00:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: application/http; \
        msgtype=response\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    plain.extend(&body);
    plain.extend(b"\r\n\r\n");
    let file = write(&site, "c.warc", &plain);
    let before = read_tree(&site.root);
    let dry = import(&site, &["--dry-run", &file]);
    assert!(
        dry.ok().contains("capture c.warc: would write") || dry.stdout.contains(": would write"),
        "{}",
        dry.stdout
    );
    assert!(dry.stdout.contains("nothing was written"), "{}", dry.stdout);
    assert_eq!(read_tree(&site.root), before, "--dry-run wrote something");
    import(&site, &[&file]).ok();
    let text = site.read("content/articles/2019-06-14-courrier-levant-idleb-les-deplaces-affluent-vers-la-frontiere.md");
    assert!(
        text.contains(
            "published: 2019-06-14T07:30:00+02:00\ndate_note: As given by the page's \
        OpenGraph meta tags.\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("byline: Claire Dumas\n")
            && text.contains("language: fr\n")
            && text.contains("section: Monde\n"),
        "{text}"
    );
    assert!(text.contains("*Un camp de fortune près de la frontière, le 13 juin 2019.*"), "{text}");
    assert!(!text.contains("Sur le même sujet") && !text.contains("Les plus lus"), "{text}");

    // A SingleFile page says its address and date; a page that does not needs --url.
    let saved = fixture("import/pages/singlefile-saved.html");
    import(&site, &[&saved.to_string_lossy()]).ok();
    let text =
        site.read("content/articles/2019-06-15-meridian-observers-report-breaches-of-the-truce.md");
    assert!(
        text.contains(
            "url: https://www.meridian-herald.example/world/2019/06/15/truce-observers-report\n"
        ),
        "{text}"
    );
    assert!(text.contains("retrieved: 2019-06-15T18:22:05+03:00\n"), "{text}");
    let bare = write(&site, "bare.html", &page("bare-chrome.html"));
    let run = import(&site, &[&bare]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("the saved page does not say its address"), "{}", run.stderr);
    assert!(run.stderr.contains("pass the page's address with --url URL"), "{}", run.stderr);
    let run = import(&site, &["--url", "https://www.northern-dispatch.example/news/1", &bare]);
    run.ok();
    let text = site.read("content/articles/undated-northern-dispatch-northern-dispatch-monitors-report-strikes-on-two-markets.md");
    assert!(
        text.contains(
            "published: unknown\ndate_note: The captured page gives no publication date.\n"
        ),
        "{text}"
    );
    assert!(text.contains("title_note: Taken from the page's `<title>` element.\n"), "{text}");
    site.build(&["--quiet"]).ok();
    assert!(
        site.public()
            .join(format!("captures/sha256-{}.html.txt", sha256(&page("bare-chrome.html"))))
            .is_file()
    );
}

/// Runs an import that must fail: exit 1, nothing written, stderr containing every `expected`.
fn refused(site: &TestSite, args: &[&str], expected: &[&str]) {
    let before = read_tree(&site.root);
    let run = import(site, args);
    assert_eq!(run.code, 1, "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    for e in expected {
        assert!(run.stderr.contains(e), "missing {e:?} in\n{}", run.stderr);
    }
    assert_eq!(read_tree(&site.root), before, "something was written");
}

#[test]
fn bad_input_is_refused_and_nothing_is_written() {
    let site = TestSite::from_fixture("import/dossier");
    let good =
        warc(&[("response", ARTICLE, http("200 OK", "text/html", &page("meridian-jsonld.html")))]);
    let cut = write(&site, "cut.warc.gz", &good[..good.len() - 40]);
    refused(
        &site,
        &[&cut],
        &[
            "cut.warc.gz` is truncated or corrupt",
            "record 1 (<urn:uuid:",
            "check it with `gzip -t`",
        ],
    );

    let broken = write(
        &site,
        "head.warc.gz",
        &warc(&[("response", ARTICLE, b"<html>not http</html>\r\n\r\n".to_vec())]),
    );
    refused(
        &site,
        &[&broken],
        &["the HTTP response head is broken: the status line `<html>not http</html>` is not \
                `HTTP/1.1 200 OK` or the like"],
    );

    let unknown = write(
        &site,
        "unknown.warc.gz",
        &warc(&[(
            "response",
            "https://www.elsewhere.example/a",
            http("200 OK", "text/html", &page("meridian-jsonld.html")),
        )]),
    );
    refused(
        &site,
        &[&unknown],
        &[
            "the page is at `www.elsewhere.example`, which is not a domain of any outlet in \
                content/outlets/",
            "`dossier new outlet elsewhere --name 'The Meridian Herald' --domain \
                elsewhere.example`",
            "nothing was imported (1 problem)",
        ],
    );

    let mut huge = b"<html><body><p>".to_vec();
    huge.resize(17 << 20, b'a');
    let big = write(
        &site,
        "big.warc.gz",
        &warc(&[("response", ARTICLE, http("200 OK", "text/html", &huge))]),
    );
    refused(
        &site,
        &[&big],
        &["the page is larger than 16 MiB, the largest content file dossier reads"],
    );

    let twice = write(
        &site,
        "twice.warc.gz",
        &warc(&[
            ("response", ARTICLE, http("200 OK", "text/html", &page("meridian-jsonld.html"))),
            (
                "response",
                &format!("{ARTICLE}?page=1"),
                http("200 OK", "text/html", &page("meridian-jsonld.html")),
            ),
        ]),
    );
    refused(
        &site,
        &[&twice],
        &["would both be written to \
                content/articles/2019-06-13-meridian-ceasefire-talks-stall-as-shelling-resumes-near-kafr-nabudah.md"],
    );

    // A WACZ whose entry leaves its directory.
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("../../evil.warc.gz", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(&good).unwrap();
    let evil = write(&site, "evil.wacz", &zip.finish().unwrap().into_inner());
    refused(
        &site,
        &[&evil],
        &["has an entry named `../../evil.warc.gz`, which leaves the archive's directory"],
    );

    // Not HTML at all: listed as skipped, nothing written, exit 0.
    let images = write(
        &site,
        "images.warc.gz",
        &warc(&[(
            "response",
            "https://www.meridian-herald.example/a.gif",
            http("200 OK", "image/gif", b"GIF89a"),
        )]),
    );
    let before = read_tree(&site.root);
    let run = import(&site, &[&images]);
    assert!(run.ok().contains("a.gif: skipped: not HTML (image/gif)"), "{}", run.stdout);
    assert!(run.stdout.contains("Imported 0 articles"), "{}", run.stdout);
    assert_eq!(read_tree(&site.root), before);
}

#[test]
fn round_trip_from_a_dossier_snapshot() {
    // Dossier A gets an article, then is snapshotted as a WACZ; dossier B imports A's article page.
    let a = TestSite::from_fixture("import/dossier");
    import(&a, &[&fixture("import/pages/singlefile-saved.html").to_string_lossy()]).ok();
    let wacz = a.tmp.path().join("a.wacz");
    let root = a.root.to_string_lossy().into_owned();
    dossier(&["snapshot", "--root", &root, "-o", &wacz.to_string_lossy(), "--quiet"], a.tmp.path())
        .ok();
    let b = TestSite::from_fixture("import/dossier");
    let config = b
        .read("dossier.yaml")
        .replace("https://dossier.example/import-test/", "https://other.example/b/");
    b.write("dossier.yaml", &config);
    b.write(
        "content/outlets/import-test.yaml",
        "name: Import test dossier (synthetic)\ndomains: [dossier.example]\n",
    );
    let run = import(&b, &[&wacz.to_string_lossy()]);
    run.ok();
    let name = "content/articles/2019-06-15-import-test-observers-report-breaches-of-the-truce.md";
    let text = b.read(name);
    assert!(text.contains("url: \
        https://dossier.example/import-test/articles/2019-06-15-meridian-observers-report-breaches-of-the-truce/index.html\n"), "{text}");
    assert!(text.contains("published: 2019-06-15T11:05:00+01:00\n"), "{text}");
    assert!(
        text.contains(&format!("sha256: {}\n", sha256(&std::fs::read(&wacz).unwrap()))),
        "{text}"
    );
    assert!(
        text.contains("The report, seen by the Herald, lists shelling near two villages"),
        "{text}"
    );
    b.build(&["--quiet"]).ok();
}

fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "{cmd:?}\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Serves the fixture pages as a proxy (tests/validate/capture_server.py) until dropped.
struct Server(std::process::Child, String);

impl Server {
    fn start() -> Server {
        use std::io::BufRead as _;
        let script = crate::support::repo_root().join("tests/validate/capture_server.py");
        let mut child = Command::new("python3")
            .arg(script)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        Server(child, line.trim().to_string())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn captures_by_wget_and_warcio_import_build_snapshot_validate_and_replay() {
    let tools = have("wget", runs("wget", &["--version"]))
        && have("warcio", runs("python3", &["-c", "import warcio.capture_http"]))
        && have("wacz (py-wacz)", runs("wacz", &["--help"]));
    if !tools {
        return;
    }
    let server = Server::start();
    let site = TestSite::from_fixture("import/dossier");
    let dir: PathBuf = site.tmp.path().to_path_buf();
    let urls = [
        "http://meridian-herald.example/s/talks",
        "http://www.courrier-levant.example/monde/2019/06/14/idleb-deplaces-frontiere/",
        "http://amp.meridian-news.example/world/2019/06/12/aid-convoy-reaches-villages.amp",
        "http://www.meridian-herald.example/static/logo.gif",
    ];
    run_ok(
        Command::new("wget")
            .current_dir(&dir)
            .args(["-q", "--warc-file=wget", "-e", "use_proxy=yes", "-e"])
            .arg(format!("http_proxy=http://127.0.0.1:{}", server.1))
            .args(["-O", "/dev/null"])
            .args(urls),
    );
    let script = crate::support::repo_root().join("tests/validate/capture_warcio.py");
    run_ok(Command::new("python3").current_dir(&dir).arg(script).args([
        "warcio.warc.gz",
        &server.1,
        "http://www.northern-dispatch.example/news/2019/monitors-report-strikes",
    ]));
    drop(server);
    let out = import(
        &site,
        &[
            &dir.join("wget.warc.gz").to_string_lossy(),
            &dir.join("warcio.warc.gz").to_string_lossy(),
        ],
    );
    let out = out.ok();
    assert!(
        out.contains(
            "skipped: a redirect (301) to \
        http://www.meridian-herald.example/world/2019/06/13/ceasefire-talks-stall-kafr-nabudah"
        ),
        "{out}"
    );
    assert!(out.contains("logo.gif: skipped: not HTML (image/gif)"), "{out}");
    assert!(out.contains("Imported 4 articles; 2 capture(s) copied."), "{out}");
    let amp =
        site.read("content/articles/2019-06-12-meridian-aid-convoy-reaches-besieged-villages.md");
    assert!(
        amp.contains("outlet: meridian\n")
            && amp.contains("url: http://amp.meridian-news.example/"),
        "the AMP page on the alternate domain:\n{amp}"
    );
    assert!(
        amp.contains(
            "The page names \
        <https://www.meridian-herald.example/world/2019/06/12/aid-convoy-reaches-villages> as its \
        canonical address."
        ),
        "{amp}"
    );
    let jsonld = site.read("content/articles/2019-06-13-meridian-ceasefire-talks-stall-as-shelling-resumes-near-kafr-nabudah.md");
    assert!(
        jsonld.contains(
            "Reached through the redirect from <http://meridian-herald.example/s/talks>."
        ),
        "{jsonld}"
    );
    site.build(&["--quiet"]).ok();
    let root = site.root.to_string_lossy().into_owned();
    dossier(&["check", "--root", &root], &dir).ok();
    let wacz = dir.join("out.wacz");
    dossier(&["snapshot", "--root", &root, "-o", &wacz.to_string_lossy(), "--quiet"], &dir).ok();
    run_ok(Command::new("wacz").args(["validate", "-f"]).arg(&wacz));
    let replay = crate::support::repo_root().join("tests/validate/replay_capture.py");
    let page = fixture("import/pages/bare-chrome.html");
    let said = run_ok(
        Command::new("python3")
            .arg(&replay)
            .arg(&wacz)
            .arg("http://www.northern-dispatch.example/news/2019/monitors-report-strikes")
            .arg(&page),
    );
    assert!(said.contains("as captured"), "{said}");
    let bag = dir.join("bag");
    dossier(
        &[
            "snapshot",
            "--root",
            &root,
            "--format",
            "bagit",
            "-o",
            &bag.to_string_lossy(),
            "--quiet",
        ],
        &dir,
    )
    .ok();
    let manifest = std::fs::read_to_string(bag.join("manifest-sha256.txt")).unwrap();
    assert_eq!(manifest.matches("  data/captures/sha256-").count(), 2, "{manifest}");
}

#[test]
fn the_synthetic_example_dossier_builds_with_its_captures() {
    let site = TestSite::from_dir(&crate::support::repo_root().join("examples/import-demo"));
    site.build(&["--quiet"]).ok();
    let captures: Vec<String> = std::fs::read_dir(site.public().join("captures"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(captures.len(), 2, "{captures:?}");
    for name in captures {
        let bytes = std::fs::read(site.public().join("captures").join(&name)).unwrap();
        assert_eq!(
            name,
            format!("sha256-{}.warc.gz", sha256(&bytes)),
            "a capture's name is its hash"
        );
    }
}
