//! Incremental rebuilds (`dossier::incremental::Session`): after every edit the session's site
//! is byte-identical to a fresh build of the same tree, its outcome names exactly the outputs
//! that differ, and the work it redid is bounded by what the edit touched.

use std::collections::BTreeMap;
use std::path::Path;

use dossier::incremental::{Outcome, Session};
use dossier::pipeline::{BuildOptions, build_in_memory};

use crate::support::TestSite;

fn options(root: &Path) -> BuildOptions {
    BuildOptions { root: root.to_path_buf(), ..BuildOptions::default() }
}

/// Replaces `from` (which must be there) with `to` in a file of the dossier.
fn edit(site: &TestSite, rel: &str, from: &str, to: &str) {
    let text = site.read(rel);
    assert!(text.contains(from), "{rel} does not contain {from:?}");
    site.write(rel, &text.replacen(from, to, 1));
}

/// Rebuilds, then checks the session against a fresh full build: the same files with the same
/// bytes, the same warnings, and an outcome listing exactly the paths that differ from the
/// previous site.
fn step(session: &mut Session, label: &str) -> Outcome {
    let before = session.site();
    let outcome = session.rebuild(&[]).unwrap_or_else(|e| panic!("{label}: rebuild failed: {e:#}"));
    let (fresh, report) = build_in_memory(session.options())
        .unwrap_or_else(|e| panic!("{label}: full build failed: {e:#}"));
    let site = session.site();
    let got: Vec<&String> = site.keys().collect();
    let want: Vec<&String> = fresh.keys().collect();
    assert_eq!(got, want, "{label}: the session's files differ from a full build's");
    for (path, bytes) in &fresh {
        assert!(site[path] == bytes[..], "{label}: `{path}` differs from a full build");
    }
    let shown = |ws: &[dossier::diagnostics::Diagnostic]| -> Vec<String> {
        ws.iter().map(ToString::to_string).collect()
    };
    assert_eq!(shown(&outcome.warnings), shown(&report.warnings), "{label}: warnings");
    let changed: Vec<String> = fresh
        .iter()
        .filter(|(p, b)| before.get(*p).is_none_or(|old| old[..] != b[..]))
        .map(|(p, _)| p.clone())
        .collect();
    let removed: Vec<String> = before.keys().filter(|p| !fresh.contains_key(*p)).cloned().collect();
    assert_eq!(outcome.changed, changed, "{label}: outcome.changed");
    assert_eq!(outcome.removed, removed, "{label}: outcome.removed");
    // The link check parses exactly the pages whose bytes are new.
    let html = |p: &&String| p.ends_with(".html");
    assert_eq!(
        outcome.link_pages_parsed,
        changed.iter().filter(html).count(),
        "{label}: link check parsed pages"
    );
    outcome
}

fn session(site: &TestSite) -> Session {
    let mut s = Session::new(options(&site.root));
    let first = step(&mut s, "first build");
    assert!(!first.rendered.is_empty() && first.search_indexed);
    s
}

const WIRE: &str = "content/articles/2020-01-02-wire-report.md";
const WIRE_PAGE: &str = "articles/2020-01-02-wire-report/index.html";

#[test]
fn a_scripted_sequence_of_edits_matches_a_full_build_after_every_step() {
    let site = TestSite::from_fixture("basic");
    let mut s = session(&site);

    // 1. An article's body.
    edit(&site, WIRE, "A footnote.", "A footnote, edited.");
    let o = step(&mut s, "article body");
    assert_eq!(o.reparsed, [WIRE]);
    assert!(o.changed.contains(&WIRE_PAGE.to_string()), "{:?}", o.changed);

    // 2. Its date: listings, feeds and the sitemap move.
    edit(&site, WIRE, "published: 2020-01-02T10:30:00Z", "published: 2019-12-30T08:00:00Z");
    step(&mut s, "article date");

    // 3. Its topics: a new term page appears, an old one loses an article.
    edit(
        &site,
        WIRE,
        "topics: [Ceasefire claims, Air strikes]",
        "topics: [Ceasefire claims, Ground fighting]",
    );
    let o = step(&mut s, "article topics");
    assert!(o.changed.iter().any(|p| p.starts_with("topics/ground-fighting/")), "{:?}", o.changed);
    assert!(o.removed.iter().any(|p| p.starts_with("topics/air-strikes/")), "{:?}", o.removed);

    // 4. Its outlet.
    edit(&site, "content/articles/2020-01-01-paper-full-text.md", "outlet: paper", "outlet: wire");
    step(&mut s, "article outlet");

    // 5. A new article.
    site.write(
        "content/articles/2020-01-05-wire-later.md",
        "---\ntitle: A later wire story\noutlet: wire\npublished: 2020-01-05\nkind: report\n\
         url: https://wire.example.org/later\nsummary: Later.\ntopics: [Air strikes]\n---\n\nLater text.\n",
    );
    let o = step(&mut s, "new article");
    assert_eq!(o.reparsed, ["content/articles/2020-01-05-wire-later.md"]);
    assert!(o.changed.contains(&"articles/2020-01-05-wire-later/index.html".to_string()));

    // 6. A broken front matter fails and keeps the last good site; fixing it recovers.
    let good = s.site();
    edit(&site, "content/articles/2020-01-05-wire-later.md", "outlet: wire", "outlet: [wire");
    let err = s.rebuild(&[]).unwrap_err();
    assert!(format!("{err:#}").contains("2020-01-05-wire-later.md"), "{err:#}");
    assert!(std::sync::Arc::ptr_eq(&good, &s.site()), "the last good site stays");
    edit(&site, "content/articles/2020-01-05-wire-later.md", "outlet: [wire", "outlet: paper");
    step(&mut s, "fixed front matter");

    // 7. An outlet, an actor, a claim and the timeline.
    edit(&site, "content/outlets/paper.yaml", "name: Example Paper", "name: Example Daily");
    step(&mut s, "outlet");
    edit(&site, "content/actors/ministry-a.yaml", "short_name: Ministry A", "short_name: Min. A");
    step(&mut s, "actor");
    edit(
        &site,
        "content/claims/ceasefire.yaml",
        "statement: Not yet.",
        "statement: Not yet, it said.",
    );
    step(&mut s, "claim");
    edit(
        &site,
        "content/timeline.yaml",
        "title: Shelling reported",
        "title: Shelling reported again",
    );
    let o = step(&mut s, "timeline");
    assert!(o.search_indexed, "event records feed the search index");

    // 8. The front page and a free page.
    edit(&site, "content/_index.md", "## Overview heading", "## Overview heading, renamed");
    step(&mut s, "front page");
    edit(&site, "content/pages/about.md", "menu: true", "menu: false");
    step(&mut s, "page menu");

    // 9. Deleting an article.
    std::fs::remove_file(site.root.join("content/articles/2020-01-05-wire-later.md")).unwrap();
    let o = step(&mut s, "deleted article");
    assert!(o.removed.contains(&"articles/2020-01-05-wire-later/index.html".to_string()));
    assert!(o.reparsed.is_empty(), "deleting parses nothing: {:?}", o.reparsed);

    // 10. A template override: first the built-in text itself, then an edit.
    let base = dossier::theme::BUILTIN_TEMPLATES.iter().find(|(n, _)| *n == "base.html").unwrap().1;
    site.write("templates/base.html", base);
    let o = step(&mut s, "same template text");
    assert!(o.is_empty() && o.rendered.is_empty(), "{:?}", o.rendered);
    site.write("templates/base.html", &base.replacen("</body>", "<!-- edited --></body>", 1));
    step(&mut s, "base template");

    // 11. A static file: a new one, then the stylesheet (fingerprinted, inlined in 404.html).
    site.write("static/notes.txt", "plain\n");
    step(&mut s, "new static file");
    site.write("static/style.css", "body { color: black; }\n");
    step(&mut s, "stylesheet");

    // 12. dossier.yaml: pretty links change every page.
    let config = site.read("dossier.yaml");
    site.write("dossier.yaml", &format!("{config}pretty_links: true\n"));
    let o = step(&mut s, "dossier.yaml");
    assert!(o.reparsed.len() > 10, "dossier.yaml reloads everything: {:?}", o.reparsed);

    // 13. A save of the same bytes changes nothing.
    site.write(WIRE, &site.read(WIRE));
    let o = step(&mut s, "same bytes");
    assert!(o.is_empty());
}

#[test]
fn a_save_of_the_same_bytes_redoes_nothing() {
    let site = TestSite::from_fixture("basic");
    let mut s = session(&site);
    site.write(WIRE, &site.read(WIRE));
    let o = step(&mut s, "same bytes");
    assert!(o.is_empty(), "{o:?}");
    assert_eq!((o.reparsed.len(), o.rendered.len()), (0, 0), "{o:?}");
    assert!(!o.search_indexed);
    assert_eq!(o.link_pages_parsed, 0);
}

#[test]
fn an_article_body_edit_reparses_one_file_and_renders_only_its_dependents() {
    let site = TestSite::from_fixture("basic");
    let mut s = session(&site);
    let pages = s.site().keys().filter(|p| p.ends_with(".html")).count();
    edit(&site, WIRE, "See [the paper]", "Compare [the paper]");
    let o = step(&mut s, "article body");
    assert_eq!(o.reparsed, [WIRE]);
    // Only the article's own page shows its body (a report's body is not in the feeds).
    assert_eq!(o.rendered, [WIRE_PAGE], "out of {pages} pages");
    let pages_changed: Vec<&String> =
        o.changed.iter().filter(|p| !p.starts_with("pagefind/")).collect();
    // articles.json changes too: it carries the source file's SHA-256, and the bytes changed.
    assert_eq!(pages_changed, ["articles.json", WIRE_PAGE]);
    assert!(o.search_indexed, "the article page is indexed");
    assert_eq!(o.link_pages_parsed, 1);
}

#[test]
fn a_summary_edit_renders_the_listings_that_show_it_but_not_unrelated_pages() {
    let site = TestSite::from_fixture("basic");
    let mut s = session(&site);
    edit(&site, WIRE, "summary: Our summary of the wire's report.", "summary: A new summary.");
    let o = step(&mut s, "summary");
    assert_eq!(o.reparsed, [WIRE]);
    for shown in ["index.html", "articles/index.html", "outlets/wire/index.html", WIRE_PAGE] {
        assert!(o.rendered.contains(&shown.to_string()), "{shown} not rendered: {:?}", o.rendered);
    }
    for unrelated in ["pages/about/index.html", "404.html", "search/index.html"] {
        assert!(!o.rendered.contains(&unrelated.to_string()), "{unrelated} rendered again");
    }
}

#[test]
fn an_outlet_template_edit_renders_only_the_outlet_pages() {
    let site = TestSite::from_fixture("basic");
    let mut s = session(&site);
    let outlet =
        dossier::theme::BUILTIN_TEMPLATES.iter().find(|(n, _)| *n == "outlet.html").unwrap().1;
    let edited = outlet.replacen("{% block content %}", "{% block content %}<!-- edited -->", 1);
    site.write("templates/outlet.html", &edited);
    let o = step(&mut s, "outlet template");
    assert_eq!(o.rendered, ["outlets/paper/index.html", "outlets/wire/index.html"]);
    assert_eq!(o.changed, o.rendered);
    assert!(o.reparsed.is_empty() && !o.search_indexed, "{o:?}");
}

#[test]
fn a_partial_edit_renders_the_pages_whose_templates_include_it() {
    let site = TestSite::from_fixture("basic");
    let mut s = session(&site);
    let partial = "partials/search_box.html";
    let text = dossier::theme::BUILTIN_TEMPLATES.iter().find(|(n, _)| *n == partial).unwrap().1;
    site.write(&format!("templates/{partial}"), &format!("{text}<!-- edited -->"));
    let o = step(&mut s, "partial");
    // The search box is in the header of every page, through base.html.
    let all = s.site();
    let pages: Vec<&String> = all.keys().filter(|p| p.ends_with(".html")).collect();
    let rendered: Vec<&String> = o.rendered.iter().filter(|p| p.ends_with(".html")).collect();
    assert_eq!(rendered, pages);
    assert!(
        o.rendered.iter().all(|p| !p.ends_with(".xml")),
        "feeds do not use it: {:?}",
        o.rendered
    );
}

#[test]
fn fixing_an_error_after_a_failed_rebuild_gives_a_full_builds_bytes() {
    let site = TestSite::from_fixture("basic");
    let mut s = session(&site);
    let before = s.site();
    // Break a template and an article at once; nothing changes until both are fixed.
    site.write(
        "templates/term.html",
        "{% extends \"base.html\" %}{% block content %}{{ nope }}{% endblock content %}",
    );
    edit(&site, WIRE, "kind: report", "kind: rumour");
    assert!(s.rebuild(&[]).is_err());
    edit(&site, WIRE, "kind: rumour", "kind: report");
    let err = s.rebuild(&[]).unwrap_err();
    assert!(format!("{err:#}").contains("templates/term.html"), "{err:#}");
    assert!(std::sync::Arc::ptr_eq(&before, &s.site()));
    std::fs::remove_file(site.root.join("templates/term.html")).unwrap();
    let o = step(&mut s, "fixed");
    assert!(o.is_empty(), "back to the first build's bytes: {:?}", o.changed);
}

#[test]
fn a_config_change_reloads_everything() {
    let site = TestSite::from_fixture("basic");
    let mut s = session(&site);
    let config = site.read("dossier.yaml");
    site.write("dossier.yaml", &config.replace("title: Fixture Dossier", "title: Renamed Dossier"));
    let o = step(&mut s, "title");
    let sources: BTreeMap<&str, ()> = o.reparsed.iter().map(|p| (p.as_str(), ())).collect();
    assert!(sources.contains_key(WIRE) && sources.contains_key("content/_index.md"));
    assert!(o.search_indexed);
}

/// The session's site against a fresh full build (with its search index): the same paths,
/// and the same bytes except for the paths in `stale` (which must differ). With `index: false`
/// the search index (`pagefind/`, whose file names follow its contents) is left out of both.
fn compare_with_full_build(s: &Session, stale: &[&str], index: bool, label: &str) {
    let options = BuildOptions { defer_search: false, ..s.options().clone() };
    let keep = |p: &String| index || !p.starts_with("pagefind/");
    let (mut fresh, _) = build_in_memory(&options).unwrap();
    fresh.retain(|p, _| keep(p));
    let site = s.site();
    let got: Vec<&String> = site.keys().filter(|p| keep(p)).collect();
    assert_eq!(got, fresh.keys().collect::<Vec<_>>(), "{label}");
    for (path, bytes) in &fresh {
        let same = site[path] == bytes[..];
        assert_eq!(same, !stale.contains(&path.as_str()), "{label}: `{path}`");
    }
}

#[test]
fn the_quick_path_renders_only_the_edited_article_and_a_rebuild_settles_the_rest() {
    let site = TestSite::from_fixture("basic");
    let mut s = session(&site);
    let wire = site.root.canonicalize().unwrap().join(WIRE);
    edit(&site, WIRE, "See [the paper]", "Compare [the paper]");
    let o = s.quick_rebuild(std::slice::from_ref(&wire)).expect("a body edit takes the quick path");
    let o = o.unwrap();
    assert!(o.quick && s.unsettled());
    assert_eq!(
        (o.reparsed.clone(), o.rendered.clone()),
        (vec![WIRE.to_string()], vec![WIRE_PAGE.to_string()])
    );
    assert_eq!(o.changed, [WIRE_PAGE]);
    assert!(s.site()[WIRE_PAGE].windows(7).any(|w| w == b"Compare"));
    // The page is a full build's bytes; the data file with the source's SHA-256 and the search
    // index wait for the settling rebuild.
    compare_with_full_build(&s, &["articles.json"], false, "after the quick path");
    let settled = s.rebuild(&[]).unwrap();
    compare_with_full_build(&s, &[], true, "settled");
    assert!(!s.unsettled());
    // The link check had not seen the page the quick path made: it parses it now.
    assert_eq!(settled.link_pages_parsed, 1);
    assert!(settled.changed.contains(&"articles.json".to_string()), "{settled:?}");
    assert!(!settled.changed.contains(&WIRE_PAGE.to_string()), "the page was already right");
    // The same bytes again: the quick path changes nothing.
    let o = s.quick_rebuild(std::slice::from_ref(&wire)).unwrap().unwrap();
    assert!(o.is_empty(), "{o:?}");
}

#[test]
fn the_quick_path_declines_front_matter_edits_full_text_articles_and_other_files() {
    let site = TestSite::from_fixture("basic");
    let mut s = session(&site);
    let root = site.root.canonicalize().unwrap();
    edit(&site, WIRE, "title: ", "title: Re-titled ");
    assert!(s.quick_rebuild(&[root.join(WIRE)]).is_none(), "front matter edit");
    step(&mut s, "front matter");
    let full = "content/articles/2020-01-01-paper-full-text.md";
    let text = site.read(full);
    site.write(full, &format!("{text}\nOne more paragraph.\n"));
    assert!(s.quick_rebuild(&[root.join(full)]).is_none(), "a full-text body is in the feeds");
    step(&mut s, "full-text body");
    edit(&site, "content/outlets/wire.yaml", "name: ", "name: The ");
    assert!(s.quick_rebuild(&[root.join("content/outlets/wire.yaml")]).is_none(), "an outlet");
    step(&mut s, "outlet");
    // A broken body link is an error: the quick path leaves it to the rebuild, which reports it.
    let text = site.read(WIRE);
    site.write(WIRE, &format!("{text}\n[gone](@/articles/missing.md)\n"));
    assert!(s.quick_rebuild(&[root.join(WIRE)]).is_none(), "an error in the body");
    assert!(s.rebuild(&[]).is_err());
}

#[test]
fn a_deferred_search_index_is_built_apart_and_then_matches_a_full_build() {
    let site = TestSite::from_fixture("basic");
    let mut s = Session::new(BuildOptions { defer_search: true, ..options(&site.root) });
    let first = s.rebuild(&[]).unwrap();
    assert!(!first.search_indexed);
    assert!(!s.site().keys().any(|p| p.starts_with("pagefind/")), "no index yet");
    assert!(s.search_due());
    let job = s.search_job().unwrap().unwrap();
    let applied = s.apply_search(job.run()).unwrap().unwrap();
    assert!(
        applied.changed.iter().all(|p| p.starts_with("pagefind/")) && !applied.changed.is_empty()
    );
    assert!(!s.search_due());
    compare_with_full_build(&s, &[], true, "after indexing");
    // An index made for an older site is refused; the next one is built for the new site.
    let job = {
        edit(&site, WIRE, "See [the paper]", "Compare [the paper]");
        s.rebuild(&[]).unwrap();
        assert!(s.search_due());
        let stale = s.search_job().unwrap().unwrap();
        edit(&site, WIRE, "Compare [the paper]", "Contrast [the paper]");
        s.rebuild(&[]).unwrap();
        stale
    };
    assert!(s.apply_search(job.run()).is_none(), "built for an older site");
    let job = s.search_job().unwrap().unwrap();
    s.apply_search(job.run()).unwrap().unwrap();
    compare_with_full_build(&s, &[], true, "after indexing again");
}
