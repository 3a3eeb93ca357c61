//! The dossier as a publication (issue 16): it claims no address it does not have, speaks to
//! readers rather than of the workshop, and its sourcing rules are the tool's: verification
//! computed from sources, outlet domains by date, a way to every source's archived copies.
//!
//! Over the repository's dossier (built without an address, as `public/` is) and over
//! `tests/fixtures/verify`, a synthetic dossier with one case of each rule.

use std::collections::BTreeMap;

use dossier::config::Config;
use dossier::content::verify::Evidence;
use dossier::values::Verification;

use crate::support::{TestSite, dossier, have, read_tree, repo_root, runs, text_of};

/// The repository's dossier built as `public/` is: with no `--base-url`.
fn build_repo() -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>, String) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let root = repo_root();
    let run = dossier(
        &["build", "--root", root.to_str().unwrap(), "--output", out.to_str().unwrap()],
        tmp.path(),
    );
    let stdout = run.ok().to_string();
    let files = read_tree(&out);
    (tmp, files, stdout)
}

fn text(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(files.get(path).unwrap_or_else(|| panic!("{path} not built")).clone())
        .unwrap()
}

fn attr(html: &str, selector: &str, name: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    doc.select(&sel).filter_map(|e| e.value().attr(name).map(str::to_string)).collect()
}

/// The text files of a built site (pages, feeds, data, stylesheet, script), by path.
fn text_files(files: &BTreeMap<String, Vec<u8>>) -> Vec<(&String, String)> {
    files
        .iter()
        .filter(|(p, _)| {
            [".html", ".xml", ".json", ".txt", ".css", ".js"].iter().any(|e| p.ends_with(e))
                && !p.starts_with("pagefind/")
        })
        .map(|(p, b)| (p, String::from_utf8_lossy(b).into_owned()))
        .collect()
}

/// How confident a status is.
fn rank(v: Verification) -> u8 {
    match v {
        Verification::Verified => 2,
        Verification::PartlyVerified => 1,
        Verification::Unverified => 0,
    }
}

fn rank_str(s: &str) -> u8 {
    match s {
        "verified" => 2,
        "partly-verified" => 1,
        "unverified" => 0,
        other => panic!("unknown status `{other}`"),
    }
}

#[test]
fn the_built_dossier_claims_no_address_and_speaks_to_readers() {
    let (_tmp, files, stdout) = build_repo();
    // No address: no placeholder, no canonical links, no sitemap; the build says so once.
    assert!(!files.contains_key("sitemap.xml") && !files.contains_key("robots.txt"));
    assert_eq!(stdout.matches("No base_url is set").count(), 1, "{stdout}");
    assert!(stdout.contains("`--base-url https://…/`"), "{stdout}");
    let workshop = [
        "example.org",
        "research notes",
        "research note",
        "No articles yet",
        "No contact address",
        "python3 -m http.server",
        "run <code>dossier build</code>",
        "sha256sum content/",
    ];
    let mut checked = 0;
    for (path, body) in text_files(&files) {
        let lower = body.to_lowercase();
        for phrase in workshop {
            assert!(!lower.contains(&phrase.to_lowercase()), "{path} contains `{phrase}`");
        }
        if path.ends_with(".html") {
            assert!(attr(&body, "link[rel=canonical]", "href").is_empty(), "{path}");
            assert!(attr(&body, "meta[property='og:url']", "content").is_empty(), "{path}");
        }
        checked += 1;
    }
    assert!(checked > 100, "{checked} files");
    // The committed public/ is that build (tests/dossier.rs checks it byte for byte).
    assert!(!repo_root().join("public/sitemap.xml").exists());
}

#[test]
fn no_status_in_the_dossier_is_looser_than_its_sources() {
    let root = repo_root();
    let config = Config::load(&root).unwrap();
    let site = dossier::content::load(&root, config, &Default::default()).unwrap().site;
    let mut checked = 0;
    let mut check = |what: String, status: Option<Verification>, evidence: Option<&Evidence>| {
        let (status, evidence) = (status.unwrap(), evidence.unwrap());
        assert!(
            rank(status) <= rank(evidence.computed),
            "{what}: shown {status:?}, its sources support {:?} ({:?})",
            evidence.computed,
            evidence.independent
        );
        checked += 1;
    };
    for e in &site.timeline.events {
        check(format!("event {}", e.id), e.status, e.evidence.as_ref());
    }
    for c in &site.claims {
        for (i, p) in c.meta.positions.iter().enumerate() {
            check(format!("claim {} position {}", c.id, i + 1), p.status, p.evidence.as_ref());
        }
    }
    for o in site.outlets.values() {
        for d in &o.meta.domains {
            check(format!("{} domain {}", o.id, d.host), d.status, d.evidence.as_ref());
        }
        for (i, f) in o.meta.facts.iter().enumerate() {
            check(format!("{} fact {}", o.id, i + 1), f.status, f.evidence.as_ref());
        }
        for a in [&o.meta.country, &o.meta.owner, &o.meta.affiliation].into_iter().flatten() {
            check(format!("{} {}", o.id, a.value), a.status, a.evidence.as_ref());
        }
    }
    assert!(checked > 60, "{checked} statuses checked");
    // The single-source events the issue named are no longer shown as verified.
    for id in [
        "de-escalation-zones",
        "turkish-troops-enter-idlib",
        "ninth-observation-post",
        "eleventh-observation-post",
        "peskov-turkeys-responsibility",
    ] {
        let e = site.timeline.events.iter().find(|e| e.id == id).unwrap();
        assert_eq!(e.status, Some(Verification::PartlyVerified), "{id}");
        assert_eq!(e.evidence.as_ref().unwrap().independent.len(), 1, "{id}");
    }

    // The built data files say the same: no status above what its sources support.
    let (_tmp, files, _) = build_repo();
    let json =
        |name: &str| -> serde_json::Value { serde_json::from_str(&text(&files, name)).unwrap() };
    let mut statuses = 0;
    for e in json("timeline.json")["events"].as_array().unwrap() {
        let (shown, computed) = (&e["status"], &e["evidence"]["computed"]);
        assert!(rank_str(shown.as_str().unwrap()) <= rank_str(computed.as_str().unwrap()), "{e}");
        statuses += 1;
    }
    for c in json("claims.json")["claims"].as_array().unwrap() {
        for p in c["positions"].as_array().unwrap() {
            let (shown, computed) = (&p["status"], &p["evidence"]["computed"]);
            assert!(rank_str(shown.as_str().unwrap()) <= rank_str(computed.as_str().unwrap()));
            statuses += 1;
        }
    }
    assert!(statuses > 30, "{statuses}");
    // And the pages show each event's status with the number of its independent sources.
    let timeline = text(&files, "timeline/index.html");
    assert_eq!(
        text_of(&timeline, "#event-ninth-observation-post .tl-when"),
        "Event 7 April 2018 ◐ partly verified (one independent source)"
    );
}

fn verify_site() -> TestSite {
    let site = TestSite::from_fixture("verify");
    let run = site.build(&[]);
    run.ok();
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    site
}

#[test]
fn verification_is_computed_from_independent_sources() {
    let site = verify_site();
    let page = site.read("public/timeline/index.html");
    let when = |id: &str| text_of(&page, &format!("#event-{id} .tl-when"));
    assert_eq!(
        when("one-source"),
        "Event 1 January 2020 ◐ partly verified (one independent source)"
    );
    // A copy of the wire's story and another outlet carrying it are one source: the wire.
    assert_eq!(
        when("two-copies-of-one-wire"),
        "Event 1 January 2020 ◐ partly verified (one independent source)"
    );
    assert_eq!(
        when("two-independent-sources"),
        "Event 1 January 2020 ✓ verified (2 independent sources)"
    );
    // A status typed stricter than the sources is kept.
    assert_eq!(
        when("stricter-than-its-sources"),
        "Event 1 January 2020 ? unverified (2 independent sources)"
    );
    // Two pages of one outlet count once; an address seen only quoted does not count; a source
    // with no address counts by its title.
    assert_eq!(when("outside-sources"), "Event December 2019 ✓ verified (2 independent sources)");
    let timeline: serde_json::Value =
        serde_json::from_str(&site.read("public/timeline.json")).unwrap();
    let outside = &timeline["events"][0];
    assert_eq!(outside["id"], "outside-sources");
    assert_eq!(
        outside["evidence"],
        serde_json::json!({
            "computed": "verified",
            "independent": ["Example Paper", "A printed leaflet (synthetic, no address)"],
            "indirect": 1,
            "typed": false
        })
    );
    let dispute = site.read("public/dispute/index.html");
    assert!(
        text_of(&dispute, ".positions tbody tr")
            .contains("The other side did. ◐ partly verified (one independent source)"),
        "the wire's report and its copy are one source"
    );
}

#[test]
fn an_outlets_primary_domain_is_the_one_of_the_articles_date() {
    let site = verify_site();
    let record = |slug: &str| {
        text_of(&site.read(&format!("public/articles/{slug}/index.html")), ".record dl")
    };
    let before = record("2020-01-01-paper-copy");
    assert!(
        before.contains(
            "Primary domain old.paper.example , the outlet’s primary domain on 1 January 2020"
        ),
        "{before}"
    );
    let after = record("2020-01-03-paper-full-text");
    assert!(
        after.contains(
            "Primary domain paper.example , the outlet’s primary domain on 3 January 2020"
        ),
        "{after}"
    );
    // An undated article of an outlet with one undated primary domain names it; no date, no
    // period: no row for an outlet whose primary domain changed.
    let undated = record("undated-alpha-note");
    assert!(undated.contains("Primary domain alpha.example"), "{undated}");
    // The outlet's page gives every domain with its role and period.
    let outlet = site.read("public/outlets/paper/index.html");
    let domains: Vec<String> = {
        let doc = scraper::Html::parse_document(&outlet);
        let sel =
            scraper::Selector::parse(".domains > li > code, .domains > li > .domain-role").unwrap();
        doc.select(&sel).map(|e| e.text().collect()).collect()
    };
    assert_eq!(
        domains,
        [
            "old.paper.example",
            "primary, until 2 January 2020",
            "paper.example",
            "primary, from 2 January 2020",
            "mirror.paper.example.net",
            "mirror",
            "fr.paper.example",
            "language edition (fr)",
        ]
    );
    let list = site.read("public/outlets/index.html");
    assert!(
        text_of(&list, "tbody").contains(
            "old.paper.example (until 2 January 2020) paper.example (from 2 January 2020)"
        ),
        "{}",
        text_of(&list, "tbody")
    );
}

#[test]
fn every_source_address_leads_to_its_archived_copies() {
    let site = verify_site();
    // An article with an address and no recorded capture: a search for that address.
    let beta = site.read("public/articles/2020-01-01-beta-own/index.html");
    assert_eq!(
        attr(&beta, ".record a.archive-search", "href"),
        ["https://web.archive.org/web/*/https://beta.example/own"]
    );
    assert!(
        text_of(&beta, ".record").contains("search the Wayback Machine (a search for captures")
    );
    // With a capture recorded: the capture, and no search.
    let wire = site.read("public/articles/2020-01-01-wire-story/index.html");
    assert!(attr(&wire, ".record a.archive-search", "href").is_empty());
    assert_eq!(
        attr(&wire, ".record .archived a", "href"),
        ["https://web.archive.org/web/20200101000000/https://wire.example/story"]
    );
    // An article whose address is not known: searches of each domain serving the outlet's pages
    // (not its edition, which has pages of its own) for the address's known start.
    let full = site.read("public/articles/2020-01-03-paper-full-text/index.html");
    assert_eq!(
        attr(&full, ".record .archive-searches a", "href"),
        [
            "https://web.archive.org/web/*/old.paper.example/2020/01/03/*",
            "https://web.archive.org/web/*/paper.example/2020/01/03/*",
            "https://web.archive.org/web/*/mirror.paper.example.net/2020/01/03/*",
        ]
    );
    assert!(text_of(&full, ".record").contains("(searches, not copies of the article"));
    // Outside sources: a search for each address, the capture where one is recorded, nothing
    // for a source with no address.
    let timeline = site.read("public/timeline/index.html");
    let items: Vec<String> = {
        let doc = scraper::Html::parse_document(&timeline);
        let sel = scraper::Selector::parse("#event-outside-sources .sources li").unwrap();
        doc.select(&sel)
            .map(|e| e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" "))
            .collect()
    };
    assert_eq!(
        items,
        [
            "Paper page A (synthetic) · Wayback Machine search",
            "Paper page B (synthetic) · archived: copy 1",
            "A forum quoting an address (synthetic) (indirect: shows only that such a report \
             exists; not counted as a source) · Wayback Machine search",
            "A printed leaflet (synthetic, no address) (no public address)",
        ]
    );
    assert!(timeline.contains("href=\"https://web.archive.org/web/*/https://paper.example/a\""));
    // `dossier check` lists the sources, not the searches made from them.
    let root = site.root.to_string_lossy().into_owned();
    let run = dossier(&["check", "--root", &root, "--format", "json"], site.tmp.path());
    let report: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let external = report["external"].as_object().unwrap();
    assert!(external.contains_key("paper.example"), "{external:?}");
    for (domain, entries) in external {
        for e in entries.as_array().unwrap() {
            let url = e["url"].as_str().unwrap();
            assert!(!url.contains("web.archive.org/web/*/"), "{domain}: {url}");
        }
    }
}

#[test]
fn a_days_coverage_is_ordered_by_utc_time_then_by_outlet() {
    let site = verify_site();
    let page = site.read("public/coverage/index.html");
    let outlets: Vec<String> = {
        let doc = scraper::Html::parse_document(&page);
        let sel = scraper::Selector::parse("#day-2020-01-01 ~ .table-scroll tr.original > th > a")
            .unwrap();
        doc.select(&sel).map(|e| e.text().collect()).collect()
    };
    // The wire at 10:00 UTC+02:00 (08:00 UTC) before Beta at 07:30 UTC-02:00 (09:30 UTC); then
    // the reports with only a date, by outlet.
    assert_eq!(outlets, ["Example Wire", "Beta Times", "Alpha Daily", "Example Gazette"]);
    assert!(
        text_of(&page, ".order-note").starts_with("Within a day, reports with a recorded time")
    );
}

#[test]
fn headlines_in_other_languages_are_translated_and_addresses_shown_decoded() {
    let site = verify_site();
    let page = site.read("public/articles/2020-01-01-alpha-own/index.html");
    assert_eq!(attr(&page, "h1", "lang"), ["fr"]);
    assert_eq!(
        text_of(&page, ".page-header .translation"),
        "Editor’s translation: “Alpha's report”"
    );
    // The link is the address as recorded; the text shows it decoded.
    assert_eq!(
        attr(&page, ".record a.original-url", "href"),
        ["https://alpha.example/%C3%A9t%C3%A9/rapport"]
    );
    assert_eq!(text_of(&page, ".record a.original-url"), "https://alpha.example/été/rapport");
    let list = site.read("public/articles/index.html");
    assert!(
        text_of(&list, ".article-list")
            .contains("Le rapport d'Alpha Editor’s translation: “Alpha's report”")
    );

    // A headline in another language without a translation is a located warning.
    let path = "content/articles/2020-01-01-alpha-own.md";
    site.write(path, &site.read(path).replace("title_translation: Alpha's report\n", ""));
    let run = site.build(&[]);
    run.ok();
    assert!(
        run.stderr.starts_with(
            "warning: content/articles/2020-01-01-alpha-own.md:3:8: the headline is in `fr` and \
                has no `title_translation`"
        ),
        "{}",
        run.stderr
    );
}

/// The fixture `basic` without its `base_url`.
fn without_address() -> TestSite {
    let site = TestSite::from_fixture("basic");
    let config = site.read("dossier.yaml").replace("base_url: https://example.org/fixture/\n", "");
    assert!(!config.contains("base_url"));
    site.write("dossier.yaml", &config);
    site
}

#[test]
fn without_a_base_url_nothing_claims_an_address() {
    let site = without_address();
    let run = site.build(&[]);
    let out = run.ok();
    assert_eq!(
        out.lines().nth(1),
        Some(
            "No base_url is set, so the pages claim no address: no canonical links, feeds with \
             relative links, no sitemap.xml or robots.txt. To publish, build with \
             `--base-url https://…/` (the address readers will use) or set `base_url` in \
             dossier.yaml."
        )
    );
    assert_eq!(out.lines().count(), 2, "said once: {out}");
    let files = read_tree(&site.public());
    assert!(!files.contains_key("sitemap.xml") && !files.contains_key("robots.txt"));
    let page = text(&files, "articles/2020-01-02-wire-report/index.html");
    assert!(attr(&page, "link[rel=canonical]", "href").is_empty());
    assert!(attr(&page, "meta[property='og:url']", "content").is_empty());
    let doc = scraper::Html::parse_document(&page);
    let sel = scraper::Selector::parse("script[type='application/ld+json']").unwrap();
    let ld: String = doc.select(&sel).next().unwrap().text().collect();
    let ld: serde_json::Value = serde_json::from_str(&ld).unwrap();
    assert!(ld.get("url").is_none(), "{ld}");
    assert_eq!(ld["headline"], "Wire says \"things happened\"");
    // The feed links relatively, resolved against its own location, with ids that are absolute
    // (urn:uuid) as Atom requires.
    let feed = text(&files, "atom.xml");
    assert!(
        feed.contains("<link rel=\"self\" type=\"application/atom+xml\" href=\"atom.xml\"/>"),
        "{feed}"
    );
    assert!(
        feed.contains("<link rel=\"alternate\" type=\"text/html\" href=\"index.html\"/>"),
        "{feed}"
    );
    assert!(
        feed.contains(
            "<link rel=\"alternate\" type=\"text/html\" \
            href=\"articles/2020-01-02-wire-report/index.html\"/>"
        ),
        "{feed}"
    );
    assert!(feed.contains("xml:base=\"articles/2020-01-01-paper-full-text/index.html\""), "{feed}");
    let ids: Vec<&str> = feed
        .match_indices("<id>")
        .map(|(i, _)| &feed[i + 4..i + 4 + feed[i + 4..].find("</id>").unwrap()])
        .collect();
    assert_eq!(ids.len(), 3);
    for id in &ids {
        assert!(id.starts_with("urn:uuid:") && id.len() == "urn:uuid:".len() + 36, "{id}");
        assert_eq!(&id[9 + 14..9 + 15], "8", "version 8 UUID: {id}");
    }
    // Stable: a rebuild gives the same ids.
    site.build(&["-q"]).ok();
    assert_eq!(text(&read_tree(&site.public()), "atom.xml"), feed);
    // The data files say there is no address; the 404 page's links start at the host's root.
    let data: serde_json::Value = serde_json::from_str(&text(&files, "articles.json")).unwrap();
    assert_eq!(data["base_url"], serde_json::Value::Null);
    let not_found = text(&files, "404.html");
    assert!(attr(&not_found, "a[href]", "href").contains(&"/index.html".to_string()));
    // `dossier check` resolves them so, and finds nothing wrong.
    let root = site.root.to_string_lossy().into_owned();
    let run = dossier(&["check", "--root", &root], site.tmp.path());
    assert!(run.ok().contains(" 0 errors, 0 warnings."), "{}", run.stdout);
}

#[test]
fn with_a_base_url_pages_feeds_and_sitemap_carry_it() {
    let site = without_address();
    let out = site.build(&["--base-url", "https://host.example/d/"]).ok().to_string();
    assert_eq!(out.lines().count(), 1, "no note when there is an address: {out}");
    let files = read_tree(&site.public());
    let page = text(&files, "articles/2020-01-02-wire-report/index.html");
    assert_eq!(
        attr(&page, "link[rel=canonical]", "href"),
        ["https://host.example/d/articles/2020-01-02-wire-report/"]
    );
    let feed = text(&files, "atom.xml");
    assert!(feed.contains("<id>https://host.example/d/atom.xml</id>"), "{feed}");
    assert!(feed.contains("href=\"https://host.example/d/articles/2020-01-02-wire-report/\""));
    assert!(text(&files, "sitemap.xml").contains("<loc>https://host.example/d/timeline/</loc>"));
    assert!(text(&files, "robots.txt").ends_with("Sitemap: https://host.example/d/sitemap.xml\n"));
    let data: serde_json::Value = serde_json::from_str(&text(&files, "articles.json")).unwrap();
    assert_eq!(data["base_url"], "https://host.example/d/");
}

#[test]
fn feeds_without_an_address_parse_in_feedparser() {
    if !have("python3 with feedparser", runs("python3", &["-c", "import feedparser"])) {
        return;
    }
    let site = without_address();
    let config = site.read("dossier.yaml") + "feeds:\n  outlets: true\n  taxonomies: [topics]\n";
    site.write("dossier.yaml", &config);
    site.build(&["-q"]).ok();
    let out = std::process::Command::new("python3")
        .arg(repo_root().join("tests/validate/feeds.py"))
        .arg(site.public())
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{report}{}", String::from_utf8_lossy(&out.stderr));
    assert!(report.contains(" 0 with problems"), "{report}");
}

#[test]
fn the_licence_is_in_every_footer_and_on_the_methodology_page() {
    let (_tmp, files, _) = build_repo();
    let licence = "https://creativecommons.org/licenses/by/4.0/";
    for (path, body) in text_files(&files).into_iter().filter(|(p, _)| p.ends_with(".html")) {
        if *path == "404.html" {
            continue;
        }
        assert_eq!(attr(&body, ".site-footer a[rel=license]", "href"), [licence], "{path}");
    }
    let front = text(&files, "index.html");
    assert!(
        text_of(&front, ".site-footer .licence").starts_with(
            "The dossier’s own text is published under CC BY 4.0 . It covers the summaries, \
             notes, timeline and claims; reproduced articles remain the copyright of their \
             publishers."
        ),
        "{}",
        text_of(&front, ".site-footer")
    );
    let methodology = text(&files, "methodology/index.html");
    assert!(attr(&methodology, "main a", "href").contains(&licence.to_string()));
    assert!(text_of(&methodology, "main").contains("remain the copyright of their publishers"));
}

#[test]
fn readers_see_roles_not_empty_lists_and_the_text_before_the_record() {
    let (_tmp, files, _) = build_repo();
    // Agencies with no page of their own say what they are in the dossier.
    for (outlet, role) in [
        ("afp", "In this dossier: the source of 7 items published by other outlets."),
        (
            "hurriyet-daily-news",
            "In this dossier: the source of 1 item published by other outlets.",
        ),
        ("presstv", "In this dossier: the publisher of 1 item."),
    ] {
        let page = text(&files, &format!("outlets/{outlet}/index.html"));
        assert_eq!(text_of(&page, ".outlet-role"), role, "{outlet}");
        assert!(!page.contains("None in the dossier"), "{outlet}");
    }
    // The front page opens its latest items with what they are, never a bare placeholder.
    let front = text(&files, "index.html");
    assert!(!text_of(&front, ".articles .item-title").contains("Headline not recorded"));
    // The header's search box comes before the navigation, on the title's row.
    let header = &front[front.find("<header class=\"site-header\">").unwrap()..];
    assert!(header.find("site-search").unwrap() < header.find("site-nav").unwrap());
    // On an article, the text comes first and the record after it.
    let article = text(
        &files,
        "articles/2019-06-13-presstv-turkey-disputes-russia-on-idlib-truce/index.html",
    );
    let body = article.find("class=\"article-body\"").unwrap();
    assert!(body < article.find("id=\"record\"").unwrap());
    assert!(body < article.find("not reproduced here").unwrap());
    // The search page tells a reader what to do, not how to run a server.
    let search = text(&files, "search/index.html");
    assert!(text_of(&search, "#search-unavailable").contains("can also be found from these pages"));
}
