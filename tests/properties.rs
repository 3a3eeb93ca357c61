//! Properties of whole builds, over small random dossiers (proptest): the `basic` fixture plus
//! a few SYNTHETIC articles generated into a temporary directory, with odd file names (any
//! letters and digits of any script, spaces, punctuation), terms in any script, `@/` links
//! between the new articles (to their pages and to headings on them), to an outlet and to an
//! actor, a random `base_url` subpath and either link style. Whatever the draw, `dossier build`
//! succeeds, every article is published at its slug, and `dossier check` (which rebuilds and
//! checks every internal link, anchor and page) finds nothing. The pure functions under these
//! (front-matter splitting, slugs, relative URLs, Markdown) have their own properties beside
//! their code in `src/`; `fuzz/` fuzzes the same entry points with cargo-fuzz.

use std::collections::BTreeSet;

use dossier::values::slugify;
use proptest::prelude::*;
use serde_json::Value;

use crate::support::{TestSite, dossier};

/// One generated article: its file stem, a heading on its page, and its topic.
#[derive(Debug, Clone)]
struct Gen {
    stem: String,
    heading: String,
    topic: String,
}

fn article() -> impl Strategy<Value = Gen> {
    (
        "[\\p{L}\\p{N}][\\p{L}\\p{N} _,'()+&-]{0,11}",
        "[A-Za-z][A-Za-z ]{0,10}",
        "[\\p{L}][\\p{L}\\p{N} ]{0,8}",
    )
        .prop_map(|(stem, heading, topic)| Gen { stem, heading, topic: format!("Zq {topic}") })
}

/// Articles with distinct, non-empty slugs (and one spelling per topic slug).
fn articles() -> impl Strategy<Value = Vec<Gen>> {
    proptest::collection::vec(article(), 1..5).prop_map(|list| {
        let mut slugs = BTreeSet::new();
        let mut topics = std::collections::BTreeMap::new();
        list.into_iter()
            .filter(|a| {
                let s = slugify(&a.stem);
                !s.is_empty() && !a.stem.trim_end().ends_with('~') && slugs.insert(s)
            })
            .map(|mut a| {
                a.topic = topics.entry(slugify(&a.topic)).or_insert(a.topic.clone()).clone();
                a
            })
            .collect()
    })
}

fn article_text(i: usize, a: &Gen, all: &[Gen]) -> String {
    let next = &all[(i + 1) % all.len()];
    let mut body = format!(
        "SYNTHETIC article {i} for a property test.\n\n## {}\n\nSee [the next one](<@/articles/gen/{}.md>), \
         [its heading](<@/articles/gen/{}.md#{}>), [the paper](@/outlets/paper.yaml) and \
         [the ministry](@/actors/ministry-a.yaml).\n",
        a.heading,
        next.stem,
        next.stem,
        slugify(&next.heading),
    );
    body.push_str("\nAnd a link to [this page's heading](#");
    body.push_str(&slugify(&a.heading));
    body.push_str(").\n");
    format!(
        "---\ntitle: {}\noutlet: wire\npublished: 2021-02-{:02}\nkind: report\n\
         url: https://wire.example.org/gen/{i}\ntopics: [{}]\n---\n\n{body}",
        json(&format!("Generated {}", a.stem)),
        i + 1,
        json(&a.topic),
    )
}

/// A YAML scalar: JSON's double-quoted strings are valid YAML.
fn json(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

fn findings(run: &crate::support::Run) -> Vec<Value> {
    let report: Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{}\nstderr:\n{}", run.stdout, run.stderr));
    report["findings"].as_array().cloned().unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 8, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_dossiers_build_and_every_internal_link_resolves(
        list in articles(),
        subpath in "(([a-z0-9_~-]){1,6}/){0,2}",
        pretty: bool,
    ) {
        prop_assume!(!list.is_empty());
        let site = TestSite::from_fixture("basic");
        if pretty {
            let config = site.read("dossier.yaml");
            site.write("dossier.yaml", &format!("{config}pretty_links: true\n"));
        }
        for (i, a) in list.iter().enumerate() {
            site.write(&format!("content/articles/gen/{}.md", a.stem), &article_text(i, a, &list));
        }
        // Not example.org: the fixture links to example.org pages that are not part of the site.
        let base_url = format!("https://dossier.example.net/{subpath}");
        let run = site.build(&["--base-url", &base_url]);
        prop_assert_eq!(run.code, 0, "build failed:\n{}", run.stderr);
        for a in &list {
            let page = site.public().join("articles").join(slugify(&a.stem)).join("index.html");
            prop_assert!(page.is_file(), "{} is not published at {}", a.stem, page.display());
        }
        let root = site.root.to_string_lossy().into_owned();
        let check = dossier(
            &["check", "--root", &root, "--base-url", &base_url, "--format", "json"],
            site.tmp.path(),
        );
        let found = findings(&check);
        prop_assert!(found.is_empty(), "{found:#?}");
        prop_assert_eq!(check.code, 0, "{}", check.stderr);
    }
}
