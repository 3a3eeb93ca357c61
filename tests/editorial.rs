//! The editorial layer: the claims ledger, the timeline, the coverage table, actor pages, the
//! per-article cross-references and the JSON data files — over the synthetic fixture (exact
//! output) and over the repository's own dossier (completeness and sourcing).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use crate::support::{TestSite, read_tree, repo_root, text_of};

fn built_fixture() -> TestSite {
    let site = TestSite::from_fixture("basic");
    site.build(&["-q"]).ok();
    site
}

/// The `<main>` element of a page: what the page says, without the shared header and footer.
fn main_of(html: &str) -> String {
    let start = html.find("<main").expect("a <main> element");
    let end = html.rfind("</main>").expect("</main>") + "</main>".len();
    html[start..end].to_string()
}

#[test]
fn dispute_page_snapshot() {
    let site = built_fixture();
    insta::assert_snapshot!("dispute_page", main_of(&site.read("public/dispute/index.html")));
}

#[test]
fn timeline_page_snapshot() {
    let site = built_fixture();
    insta::assert_snapshot!("timeline_page", main_of(&site.read("public/timeline/index.html")));
}

#[test]
fn coverage_page_snapshot() {
    let site = built_fixture();
    insta::assert_snapshot!("coverage_page", main_of(&site.read("public/coverage/index.html")));
}

#[test]
fn dispute_grid_shows_stances_by_label_and_shape() {
    let site = built_fixture();
    let page = site.read("public/dispute/index.html");
    // Rows in order of first appearance; columns in ledger order (`order`).
    assert_eq!(
        text_of(&page, ".ledger-grid tbody tr"),
        "Ministry A ▲ asserts ◆ disputes Centre B ✕ denies — no position recorded \
         Example Paper (outlet) ○ reports — no position recorded"
    );
    assert_eq!(text_of(&page, ".ledger-grid thead"), "Who Who fired first? Was there a ceasefire?");
    // Statements are plain text: markup in them is escaped, not interpreted.
    assert!(page.contains("Its reporter heard shots &lt;at dawn&gt; &amp; left."));
    // A month-precision date is shown as a month; with no status in the file, the one its
    // sources support is shown, with their number.
    let row = text_of(&page, "#claim-who-fired tbody tr:nth-child(2)");
    assert_eq!(
        row,
        "Centre B ✕ denies Nobody fired. ◐ partly verified (one independent source) January 2020 \
         Example Paper, 1 Jan 2020 Paper prints the full text"
    );
    // The wire's report and a copy of it are one source, not two.
    let row = text_of(&page, "#claim-who-fired tbody tr:nth-child(1)");
    assert!(row.contains("◐ partly verified (one independent source)"), "{row}");
}

#[test]
fn timeline_groups_by_month_and_keeps_precision() {
    let site = built_fixture();
    let page = site.read("public/timeline/index.html");
    assert_eq!(text_of(&page, "main h2"), "2017 2020 Reports whose date was not recorded");
    assert_eq!(text_of(&page, ".timeline-year h3"), "May 2017 January 2020");
    // "May 2017" is never shown as "1 May 2017".
    assert_eq!(
        text_of(&page, "#event-talks .tl-when"),
        "Event May 2017 ◐ partly verified (one independent source)"
    );
    assert!(!text_of(&page, "main").contains("1 May 2017"));
    // On 1 January: the event first, then the report published that day.
    let january: Vec<String> =
        ["li:nth-child(1)", "li:nth-child(2)", "li:nth-child(3)", "li:nth-child(4)"]
            .iter()
            .map(|n| text_of(&page, &format!("#m2020-01 + ol > {n} .tl-title")))
            .collect();
    assert_eq!(
        january,
        [
            "Shelling reported",
            "Paper prints the full text \
             Editor’s translation: “The paper prints the full text (synthetic translation)”",
            "Ministry A's statement",
            "Wire says \"things happened\""
        ]
    );
    // The picture is inline SVG with a text alternative, and no script anywhere.
    assert!(page.contains("<svg"), "inline SVG");
    assert!(page.contains("<svg role=\"group\" aria-labelledby=\"timeline-chart-title"));
    assert!(!page.contains("<script"));
    assert!(text_of(&page, ".timeline-figure figcaption").contains("3 events and 2 dated reports"));
}

#[test]
fn coverage_groups_copies_under_their_original() {
    let site = built_fixture();
    let page = site.read("public/coverage/index.html");
    assert_eq!(text_of(&page, "main h2"), "1 January 2020 2 January 2020");
    let rows = text_of(&page, "#day-2020-01-02 ~ .table-scroll tbody");
    assert_eq!(
        rows,
        "Example Wire 10:30 (UTC+00:00) Wire says \"things happened\" Ministry A Shelling reported Ministry A's statement \
         ↳ Example Paper date not recorded Republishes the story above: \
         Example Wire report via Example Paper (headline not recorded)"
    );
    assert_eq!(
        text_of(&page, ".order-note"),
        "Within a day, reports with a recorded time come first, in order of time (UTC); reports \
         with only a date follow, in alphabetical order of outlet."
    );
    assert!(text_of(&page, ".lede").contains("2 reports and 1 republication"));
}

#[test]
fn article_pages_show_claims_events_copies_and_other_coverage() {
    let site = built_fixture();
    let wire = site.read("public/articles/2020-01-02-wire-report/index.html");
    assert_eq!(
        text_of(&wire, ".article-claims li"),
        "Who fired first? Ministry A ▲ asserts : The other side fired first. \
         Was there a ceasefire? Ministry A ◆ disputes : Not yet."
    );
    assert_eq!(
        text_of(&wire, ".article-events li"),
        "1 January 2020 : Shelling reported 2 January 2020 : Ministry A's statement"
    );
    assert_eq!(
        text_of(&wire, ".article-copies .item-title"),
        "Example Wire report via Example Paper (headline not recorded)"
    );
    assert_eq!(text_of(&wire, ".other-coverage .item-title"), "Paper prints the full text");

    let copy = site.read("public/articles/2020-01-02-paper-copy/index.html");
    assert_eq!(text_of(&copy, "h1"), "Headline not recorded (Example Paper)");
    let record = text_of(&copy, ".record dl");
    assert!(record.contains("Story from Example Wire"), "{record}");
    assert!(record.contains("Republishes Example Wire: Wire says \"things happened\""), "{record}");
    assert!(record.contains("Published date not recorded The copy carries no date."), "{record}");

    let full = site.read("public/articles/2020-01-01-paper-full-text/index.html");
    assert_eq!(
        text_of(&full, ".source-note"),
        "Source of the text Typed from the printed edition (synthetic)."
    );
}

#[test]
fn actor_and_outlet_pages_list_positions() {
    let site = built_fixture();
    let a = site.read("public/actors/ministry-a/index.html");
    assert_eq!(text_of(&a, "h1"), "Ministry A of Country X");
    assert_eq!(text_of(&a, ".positions tbody th"), "Ministry A Ministry A", "one row per position");
    assert!(text_of(&a, ".record").contains("Includes Centre B"));
    assert_eq!(
        text_of(&a, ".event-list"),
        "1 January 2020 : Shelling reported 2 January 2020 : Ministry A's statement"
    );
    let b = site.read("public/actors/centre-b/index.html");
    assert!(text_of(&b, ".record").contains("Part of Ministry A of Country X"));
    let paper = site.read("public/outlets/paper/index.html");
    assert!(text_of(&paper, "#positions-heading").contains("Its own reporting"));
    let wire = site.read("public/outlets/wire/index.html");
    assert_eq!(
        text_of(&wire, "#carried-heading ~ .article-list .item-title"),
        "Example Wire report via Example Paper (headline not recorded)"
    );
}

#[test]
fn data_files_follow_the_documented_schema() {
    let site = built_fixture();
    let read = |name: &str| -> serde_json::Value {
        serde_json::from_str(&site.read(&format!("public/{name}"))).unwrap()
    };
    let articles = read("articles.json");
    assert_eq!(articles["schema_version"], 2);
    assert_eq!(articles["base_url"], "https://example.org/fixture/");
    let list = articles["articles"].as_array().unwrap();
    let slugs: Vec<&str> = list.iter().map(|a| a["slug"].as_str().unwrap()).collect();
    assert_eq!(
        slugs,
        ["2020-01-02-wire-report", "2020-01-01-paper-full-text", "2020-01-02-paper-copy"]
    );
    assert_eq!(list[0]["republished_by"], serde_json::json!(["2020-01-02-paper-copy"]));
    assert_eq!(list[0]["claims"], serde_json::json!(["who-fired", "ceasefire"]));
    assert_eq!(list[0]["events"], serde_json::json!(["shelling", "statement"]));
    assert_eq!(list[2]["published"], serde_json::Value::Null);
    assert_eq!(list[2]["title"], serde_json::Value::Null);
    assert_eq!(list[2]["agency"]["id"], "wire");

    let claims = read("claims.json");
    assert_eq!(claims["claims"][0]["id"], "who-fired");
    assert_eq!(claims["claims"][0]["path"], "dispute/#claim-who-fired");
    let p = &claims["claims"][0]["positions"][1];
    assert_eq!(p["actor"], "centre-b");
    assert_eq!(p["stance"], "denies");
    assert_eq!(
        p["date"],
        serde_json::json!({"iso": "2020-01", "precision": "month", "display": "January 2020"})
    );
    // The status shown, and what the sources support: the wire's report and its copy are one.
    let p = &claims["claims"][0]["positions"][0];
    assert_eq!(p["status"], "partly-verified");
    assert_eq!(
        p["evidence"],
        serde_json::json!({"computed": "partly-verified", "independent": ["Example Wire"],
                           "indirect": 0, "typed": false})
    );
    assert_eq!(claims["actors"][0]["id"], "centre-b");
    assert_eq!(claims["actors"][0]["part_of"], "ministry-a");

    let timeline = read("timeline.json");
    assert_eq!(timeline["focus"]["start"]["iso"], "2020-01-01");
    let ids: Vec<&str> =
        timeline["events"].as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["talks", "shelling", "statement"]);
    assert_eq!(timeline["events"][0]["date"]["precision"], "month");
    assert_eq!(timeline["events"][0]["sources"][0]["url"], "https://wire.example.org/talks");
    assert_eq!(timeline["events"][1]["status"], "verified");
    assert_eq!(
        timeline["events"][1]["evidence"]["independent"],
        serde_json::json!(["Example Wire", "Example Paper"])
    );
    // A full text's transcribed text has its own hash; a report has none.
    assert_eq!(list[1]["kind"], "full-text");
    assert!(list[1]["text_sha256"].as_str().is_some_and(|h| h.len() == 64));
    assert_ne!(list[1]["text_sha256"], list[1]["source_sha256"]);
    assert_eq!(list[0]["text_sha256"], serde_json::Value::Null);
}

fn build_repo() -> (tempfile::TempDir, BTreeMap<String, Vec<u8>>) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let run = crate::support::dossier(
        &[
            "build",
            "--root",
            repo_root().to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
            "-q",
        ],
        tmp.path(),
    );
    run.ok();
    let files = read_tree(&out);
    (tmp, files)
}

/// The slugs of the articles in the repository's `content/articles/`.
fn repo_article_slugs() -> Vec<String> {
    let mut slugs: Vec<String> = std::fs::read_dir(repo_root().join("content/articles"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|n| n.strip_suffix(".md").map(str::to_string))
        .collect();
    slugs.sort();
    slugs
}

#[test]
fn every_article_is_on_the_front_page_or_the_timeline() {
    let (_tmp, files) = build_repo();
    let front = String::from_utf8_lossy(&files["index.html"]).into_owned();
    let timeline = String::from_utf8_lossy(&files["timeline/index.html"]).into_owned();
    let slugs = repo_article_slugs();
    assert!(
        slugs.len() >= 28,
        "the dossier holds the Press TV article and every report: {}",
        slugs.len()
    );
    for slug in slugs {
        let link = format!("articles/{slug}/index.html\"");
        assert!(
            front.contains(&link) || timeline.contains(&link),
            "{slug} is neither on the front page nor on the timeline"
        );
    }
}

#[test]
fn every_page_is_within_two_clicks_of_the_front_page() {
    let (_tmp, files) = build_repo();
    // Links, and forms (the header's search box leads to the search page).
    let sel = scraper::Selector::parse("a[href], form[action]").unwrap();
    let base = url::Url::parse("http://site.invalid/").unwrap();
    let mut depth: BTreeMap<String, usize> = BTreeMap::from([("index.html".to_string(), 0)]);
    let mut queue = VecDeque::from(["index.html".to_string()]);
    while let Some(page) = queue.pop_front() {
        let d = depth[&page];
        if d == 2 {
            continue;
        }
        let html = scraper::Html::parse_document(std::str::from_utf8(&files[&page]).unwrap());
        for a in html.select(&sel) {
            let href = a.value().attr("href").or(a.value().attr("action")).unwrap();
            if href.starts_with("http") {
                continue;
            }
            let target = base.join(&page).unwrap().join(href).unwrap();
            let path = percent_encoding::percent_decode_str(target.path().trim_start_matches('/'))
                .decode_utf8()
                .unwrap()
                .into_owned();
            if path.ends_with(".html") && !depth.contains_key(&path) {
                depth.insert(path.clone(), d + 1);
                queue.push_back(path);
            }
        }
    }
    let pages: BTreeSet<&String> = files.keys().filter(|p| p.ends_with(".html")).collect();
    let far: Vec<&&String> = pages
        .iter()
        .filter(|p| p.as_str() != "404.html" && !depth.contains_key(p.as_str()))
        .collect();
    assert!(far.is_empty(), "more than two clicks from the front page: {far:?}");
}

#[test]
fn every_url_in_content_is_listed_in_the_sources() {
    let sources = std::fs::read_to_string(repo_root().join("tests/data/SOURCES.md")).unwrap();
    // Addresses in content/ that are not sources: the licence of the dossier's own text, which
    // the methodology page links to.
    const NOT_SOURCES: [&str; 1] = ["https://creativecommons.org/licenses/by/4.0/"];
    let url_re = |text: &str| -> Vec<String> {
        let mut out = Vec::new();
        for (i, _) in text.match_indices("http") {
            let rest = &text[i..];
            if !(rest.starts_with("http://") || rest.starts_with("https://")) {
                continue;
            }
            let end = rest
                .find(|c: char| c.is_whitespace() || matches!(c, ')' | '"' | '<' | '>' | ']'))
                .unwrap_or(rest.len());
            out.push(rest[..end].trim_end_matches(['.', ',', ';']).to_string());
        }
        out
    };
    let mut checked = 0;
    for entry in walkdir::WalkDir::new(repo_root().join("content")).sort_by_file_name() {
        let entry = entry.unwrap();
        if !entry.file_type().is_file() {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        for url in url_re(&text).into_iter().filter(|u| !NOT_SOURCES.contains(&u.as_str())) {
            assert!(
                sources.contains(&url),
                "{}: `{url}` is not an address listed in SOURCES.md",
                entry.path().display()
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} URLs found");
}
