//! `dossier serve` end to end: the real binary on a copy of a fixture, on a port the system
//! picks, asked over HTTP (ureq, and raw TCP for request paths a client would clean up), with
//! the live-reload events read from the SSE stream line by line. Every wait is bounded.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::support::serve::{Events, Server, raw_get, request};
use crate::support::{TestSite, read_tree};

const ARTICLE: &str = "content/articles/2020-01-02-wire-report.md";
const ARTICLE_PAGE: &str = "articles/2020-01-02-wire-report/index.html";

/// The HTML pages of the site as `dossier build` writes them.
fn built_pages(site: &TestSite) -> Vec<String> {
    let out = site.tmp.path().join("built");
    site.build(&["-q", "--output", out.to_str().unwrap()]).ok();
    read_tree(&out).into_keys().filter(|p| p.ends_with(".html")).collect()
}

#[test]
fn pages_are_served_from_memory_like_a_static_host() {
    let site = TestSite::from_fixture("basic");
    site.write("static/tiny.wasm", "\0asm\u{1}\0\0\0");
    let server = Server::start(&site.root, &[]);
    assert!(server.url.starts_with("http://127.0.0.1:") && server.url.ends_with('/'));

    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert_eq!(home.header("content-type"), "text/html; charset=utf-8");
    // base_url is the server's own address.
    assert!(home.text().contains(&format!("<link rel=\"canonical\" href=\"{}\">", server.url)));
    let css =
        home.text().split("href=\"style.").nth(1).unwrap().split('"').next().unwrap().to_string();
    let css = server.get(&format!("/style.{css}"));
    assert_eq!((css.status, css.header("content-type")), (200, "text/css; charset=utf-8"));
    let atom = server.get("/atom.xml");
    assert_eq!((atom.status, atom.header("content-type")), (200, "application/atom+xml"));
    assert!(atom.text().contains(&format!("<id>{}atom.xml</id>", server.url)), "{}", atom.text());
    let wasm = server.get("/tiny.wasm");
    assert_eq!((wasm.status, wasm.header("content-type")), (200, "application/wasm"));
    assert_eq!(wasm.body, b"\0asm\x01\0\0\0");
    let json = server.get("/articles.json");
    assert_eq!(json.header("content-type"), "application/json");
    let png = server.get("/images/photo.png");
    assert_eq!(png.header("content-type"), "image/png");
    assert_eq!(png.body, std::fs::read(site.root.join("static/images/photo.png")).unwrap());
    let built = site.tmp.path().join("built");
    site.build(&["-q", "--output", built.to_str().unwrap()]).ok();
    let fragment = read_tree(&built.join("pagefind/fragment")).into_keys().next().unwrap();
    assert!(fragment.ends_with(".pf_fragment"), "{fragment}");
    // The search index is built on a thread of its own once the pages are served: it arrives
    // shortly after the start.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let pf = loop {
        let pf = server.get(&format!("/pagefind/fragment/{fragment}"));
        if pf.status != 404 || std::time::Instant::now() > deadline {
            break pf;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    };
    assert_eq!((pf.status, pf.header("content-type")), (200, "application/octet-stream"));

    // HEAD: the same headers, no body.
    let head = request("HEAD", &format!("{}robots.txt", server.url), &[]);
    let get = server.get("/robots.txt");
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());
    for h in ["content-type", "content-length", "etag", "accept-ranges"] {
        assert_eq!(head.header(h), get.header(h), "{h}");
    }
    assert_eq!(get.header("content-length"), get.body.len().to_string());

    // ETag and If-None-Match.
    let etag = get.header("etag").to_string();
    assert!(etag.len() == 18 && etag.starts_with('"'), "{etag}");
    let again = request("GET", &format!("{}robots.txt", server.url), &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let other = request("GET", &format!("{}robots.txt", server.url), &[("If-None-Match", "\"x\"")]);
    assert_eq!(other.status, 200);
    let page_tag = home.header("etag").to_string();
    let home_again = request("GET", &server.url, &[("If-None-Match", &page_tag)]);
    assert_eq!(home_again.status, 304);

    // Range.
    let part = request("GET", &format!("{}robots.txt", server.url), &[("Range", "bytes=2-6")]);
    assert_eq!(part.status, 206);
    assert_eq!(part.body, &get.body[2..=6]);
    assert_eq!(part.header("content-range"), format!("bytes 2-6/{}", get.body.len()));
    let tail = request("GET", &format!("{}robots.txt", server.url), &[("Range", "bytes=-4")]);
    assert_eq!(tail.body, &get.body[get.body.len() - 4..]);
    let beyond = request("GET", &format!("{}robots.txt", server.url), &[("Range", "bytes=5000-")]);
    assert_eq!(beyond.status, 416);
    assert_eq!(beyond.header("content-range"), format!("bytes */{}", get.body.len()));

    // Directories, missing pages, other methods.
    let dir = server.get("/articles");
    assert_eq!((dir.status, dir.header("location")), (301, "/articles/"));
    let dir = server.get("/articles/");
    assert_eq!(dir.status, 200);
    assert!(dir.text().contains("</html>"));
    let missing = server.get("/no/such/page.html");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.header("content-type"), "text/html; charset=utf-8");
    assert!(missing.text().contains("<h1>Page not found</h1>"), "{}", missing.text());
    let post = request("POST", &server.url, &[]);
    assert_eq!(post.status, 405);
}

#[test]
fn requests_cannot_leave_the_site() {
    let site = TestSite::from_fixture("basic");
    let server = Server::start(&site.root, &[]);
    let addr = server.addr();
    for path in [
        "/../../../../etc/passwd",
        "/articles/../../../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/articles%2F..%2F..%2Fdossier.yaml",
        "/..%5C..%5Cdossier.yaml",
        "//etc/passwd",
        "/etc/passwd",
        "/dossier.yaml",
        "/content/articles/2020-01-02-wire-report.md",
        "/index.html%00.png",
        "/%ff%fe",
        "/./index.html",
    ] {
        let (status, answer) = raw_get(&addr, path);
        assert_eq!(status, 404, "{path}: {answer}");
        assert!(!answer.contains("root:") && !answer.contains("base_url:"), "{path}: {answer}");
    }
    // Paths an HTTP parser refuses outright never reach the site either.
    for path in ["/a\\..\\dossier.yaml", "http://example.org/../dossier.yaml"] {
        let (status, answer) = raw_get(&addr, path);
        assert!(status == 404 || status == 400, "{path}: {answer}");
        assert!(!answer.contains("base_url:"), "{path}: {answer}");
    }
}

#[test]
fn the_reload_script_is_in_served_pages_and_never_in_built_ones() {
    let site = TestSite::from_fixture("basic");
    let server = Server::start(&site.root, &[]);
    let pages = built_pages(&site);
    assert!(pages.len() > 10, "{pages:?}");
    for page in &pages {
        let path = format!("/{}", page.trim_end_matches("index.html"));
        let served = server.get(&path);
        assert_eq!(served.status, 200, "{path}");
        assert!(
            served.text().contains("<script src=\"/__dossier/livereload.js\" defer></script>"),
            "{path}"
        );
    }
    for (path, bytes) in read_tree(&site.tmp.path().join("built")) {
        assert!(!String::from_utf8_lossy(&bytes).contains("__dossier"), "{path}");
    }
    let script = server.get("/__dossier/livereload.js");
    assert_eq!(script.header("content-type"), "text/javascript; charset=utf-8");
    assert!(script.text().contains("new EventSource"));
    assert_eq!(
        server.get("/__dossier/overlay.css").header("content-type"),
        "text/css; charset=utf-8"
    );
    // serve wrote nothing.
    assert!(!site.public().exists());
}

#[test]
fn base_path_serves_the_site_under_a_prefix() {
    let site = TestSite::from_fixture("basic");
    let server = Server::start(&site.root, &["--base-path", "/idlib/"]);
    assert!(server.url.ends_with("/idlib/"), "{}", server.url);
    let home = server.get("/idlib/");
    assert_eq!(home.status, 200);
    assert!(home.text().contains(&format!("<link rel=\"canonical\" href=\"{}\">", server.url)));
    assert!(home.text().contains("<script src=\"/idlib/__dossier/livereload.js\" defer>"));
    let bare = server.get("/idlib");
    assert_eq!((bare.status, bare.header("location")), (301, "/idlib/"));
    let outside = server.get("/");
    assert_eq!((outside.status, outside.text().as_str()), (404, "not found\n"));
    assert_eq!(server.get("/articles/").status, 404);
    // The 404 page links from the base path, so its links work at any address.
    let missing = server.get("/idlib/nothing/here/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("href=\"/idlib/index.html\""), "{}", missing.text());
    // The events stream lives under the base path too (connect checks its content type).
    Events::connect(&server);
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let site = TestSite::from_fixture("basic");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let root = site.root.to_str().unwrap();
    let run = crate::support::dossier(&["serve", "--root", root, "--port", &port], site.tmp.path());
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(
        run.stderr,
        format!("error: port {port} is in use; pass --port 0 to pick a free one, or --port N\n")
    );
    let run =
        crate::support::dossier(&["serve", "--root", root, "--base-path", "a b"], site.tmp.path());
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("is not a base path like `/x/`"), "{}", run.stderr);
}

#[test]
fn binding_beyond_loopback_warns() {
    let site = TestSite::from_fixture("basic");
    let server = Server::start(&site.root, &["--bind", "0.0.0.0"]);
    assert!(server.url.starts_with("http://127.0.0.1:"), "{}", server.url);
    assert!(server.stderr().contains("warning: listening on 0.0.0.0"), "{}", server.stderr());
}

/// Breaks the front matter of [`ARTICLE`] on its line 4.
fn break_article(site: &TestSite) -> String {
    let good = site.read(ARTICLE);
    site.write(
        ARTICLE,
        &good.replacen("outlet: wire\n", "outlet: wire\npublished: [unclosed\n", 1),
    );
    good
}

#[test]
fn a_failing_first_build_serves_the_error_page_then_recovers() {
    let site = TestSite::from_fixture("basic");
    let good = break_article(&site);
    let server = Server::start(&site.root, &[]);
    for path in ["/", "/articles/", "/anything"] {
        let page = server.get(path);
        assert_eq!(page.status, 500, "{path}");
        assert_eq!(page.header("content-type"), "text/html; charset=utf-8");
        let text = page.text();
        assert!(text.contains("role=\"alertdialog\""), "{text}");
        assert!(text.contains(&format!("<code>{ARTICLE}:4:")), "{text}");
        assert!(text.contains("src=\"/__dossier/livereload.js\""), "{text}");
    }
    assert!(server.stderr().contains(&format!("error: {ARTICLE}:4:")), "{}", server.stderr());
    let events = Events::connect(&server);
    site.write(ARTICLE, &good);
    let (name, _) = events.next().expect("an event after the fix");
    assert_eq!(name, "reload");
    let home = server.get("/");
    assert_eq!(home.status, 200);
    assert!(!home.text().contains("dossier-overlay"));
    server.wait_line(|l| l.starts_with("Rebuilt in ") && l.ends_with("the errors are fixed"));
}

#[test]
fn edits_reload_the_browser_and_errors_show_on_every_page_until_fixed() {
    let site = TestSite::from_fixture("basic");
    let pages = built_pages(&site);
    let server = Server::start(&site.root, &[]);
    let events = Events::connect(&server);
    let before = server.get(&format!("/{ARTICLE_PAGE}")).text();

    // An edit: one reload, and the page shows the new text.
    let good = site.read(ARTICLE);
    let edited = good.replace("A footnote.", "A footnote, edited while serving.");
    site.write(ARTICLE, &edited);
    let (name, data) = events.next().expect("a reload after the edit");
    assert_eq!(name, "reload", "{data}");
    let after = server.get(&format!("/{ARTICLE_PAGE}")).text();
    assert_ne!(before, after);
    assert!(after.contains("A footnote, edited while serving."));
    server.wait_line(|l| l.starts_with("Rebuilt in ") && l.contains("changed"));

    // The same bytes again: a rebuild, but no event.
    site.write(ARTICLE, &edited);
    server.wait_line(|l| l.starts_with("Rebuilt in ") && l.contains("(0 pages changed)"));
    assert_eq!(events.next_within(Duration::from_millis(300)), None);

    // Editor litter and the output directory: no rebuild at all.
    site.write("content/articles/.wire.md.swp", "x");
    site.write("content/articles/4913", "x");
    site.write("content/articles/wire.md~", "x");
    site.write("public/index.html", "x");
    assert_eq!(events.next_within(Duration::from_millis(500)), None);

    // Broken front matter: an error event naming the file and line; every page shows it.
    let before_break = server.get("/").header("etag").to_string();
    break_article(&site);
    let (name, data) = events.next().expect("an error event");
    assert_eq!(name, "error", "{data}");
    let json: serde_json::Value = serde_json::from_str(&data).unwrap();
    let first = json["errors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["location"].as_str().unwrap().starts_with(ARTICLE))
        .unwrap_or_else(|| panic!("{data}"));
    assert_eq!(first["line"], 4);
    assert_eq!(first["snippet"], "published: [unclosed");
    assert!(json["html"].as_str().unwrap().contains("role=\"alertdialog\""));
    for page in &pages {
        let path = format!("/{}", page.trim_end_matches("index.html"));
        let served = server.get(&path);
        assert!(served.status == 200 || page == "404.html", "{path}");
        let text = served.text();
        assert!(text.contains(&format!("<code>{ARTICLE}:4:")), "{path} has no overlay");
        // The last good build is still underneath.
        assert!(text.contains("</main>") || text.contains("</body>"), "{path}");
    }
    assert!(server.get(&format!("/{ARTICLE_PAGE}")).text().contains("edited while serving"));
    assert_ne!(server.get("/").header("etag"), before_break, "the overlay changes the ETag");
    // The terminal shows the error once, even when the broken file is saved again.
    let stderr_once = server.stderr();
    site.write(ARTICLE, &site.read(ARTICLE));
    assert_eq!(events.next_within(Duration::from_millis(800)), None);
    assert_eq!(server.stderr(), stderr_once);
    assert_eq!(stderr_once.matches(&format!("error: {ARTICLE}:4:")).count(), 1, "{stderr_once}");

    // Fixed: a reload, and the overlay is gone.
    site.write(ARTICLE, &good);
    let (name, _) = events.next().expect("a reload after the fix");
    assert_eq!(name, "reload");
    let home = server.get("/").text();
    assert!(!home.contains("dossier-overlay"));
    assert!(!server.get(&format!("/{ARTICLE_PAGE}")).text().contains("edited while serving"));
}

#[test]
fn a_stylesheet_edit_swaps_the_stylesheet_without_a_reload() {
    let site = TestSite::from_fixture("basic");
    let server = Server::start(&site.root, &[]);
    let events = Events::connect(&server);
    let home = server.get("/").text();
    let old = home.split("href=\"style.").nth(1).unwrap().split('"').next().unwrap();
    let old = format!("style.{old}");
    let css = String::from_utf8(server.get(&format!("/{old}")).body).unwrap();
    site.write("static/style.css", &format!("{css}\nbody {{ outline: 1px solid red; }}\n"));
    let (name, data) = events.next().expect("an event after the CSS edit");
    assert_eq!(name, "css", "{data}");
    let json: serde_json::Value = serde_json::from_str(&data).unwrap();
    let swap = json["swap"].as_object().unwrap();
    let new = swap[&old].as_str().unwrap();
    assert!(new.starts_with("style.") && new.ends_with(".css") && new != old, "{data}");
    assert!(server.get(&format!("/{new}")).text().ends_with("outline: 1px solid red; }\n"));
    assert!(server.get("/").text().contains(new));
    server.wait_line(|l| l.starts_with("Rebuilt in ") && l.ends_with("(stylesheets only)"));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly_and_leaves_the_tree_as_it_was() {
    let site = TestSite::from_fixture("basic");
    let before = read_tree(&site.root);
    let server = Server::start(&site.root, &[]);
    let _events = Events::connect(&server);
    assert_eq!(server.get("/").status, 200);
    let started = Instant::now();
    let status = server.interrupt();
    assert_eq!(status.code(), Some(0));
    assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    assert_eq!(read_tree(&site.root), before);
    assert_eq!(site.tmp_entries(), ["site"]);
}

/// Runs `tests/browser/serve.mjs` (live reload, stylesheet swap and the overlay in Chromium)
/// when node, Chromium and playwright-core are installed.
#[test]
fn serve_works_in_a_browser() {
    let Some(browser_dir) = crate::support::browser_scripts() else { return };
    let site = TestSite::from_fixture("basic");
    let out = Command::new("node")
        .arg(browser_dir.join("serve.mjs"))
        .arg(env!("CARGO_BIN_EXE_dossier"))
        .arg(&site.root)
        .output()
        .expect("run node");
    assert!(
        out.status.success(),
        "serve.mjs failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!site.public().exists(), "serve wrote no output");
}
