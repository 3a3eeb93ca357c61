//! Every internal link of a built dossier resolves: from any page, each relative `href`/`src`
//! names an existing output file (a file, not a directory, unless `pretty_links` is on), and
//! each `#fragment` names an element id in its target page. Links are never root-relative.

use std::collections::{BTreeMap, BTreeSet};

use crate::support::{TestSite, read_tree, repo_root};

/// Checks all links in `files` (output path → bytes) of a site published under the path `root`
/// (`/fixture/`); returns the number of links checked. Only the 404 page, which a host shows at
/// any address, links root-relatively.
pub fn check_links(files: &BTreeMap<String, Vec<u8>>, root: &str) -> usize {
    let link_sel = scraper::Selector::parse("a[href], link[href], img[src], script[src]").unwrap();
    let id_sel = scraper::Selector::parse("[id]").unwrap();
    let mut ids: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    let mut docs = Vec::new();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let doc = scraper::Html::parse_document(std::str::from_utf8(bytes).expect("utf-8 page"));
        ids.insert(
            path,
            doc.select(&id_sel).filter_map(|e| e.value().id().map(str::to_string)).collect(),
        );
        docs.push((path, doc));
    }
    let mut checked = 0;
    for (path, doc) in &docs {
        let base = url::Url::parse(&format!("http://site.invalid{root}")).unwrap();
        let page = base.join(path).unwrap();
        for el in doc.select(&link_sel) {
            let v = el.value();
            let link = v.attr("href").or_else(|| v.attr("src")).unwrap();
            if link.starts_with("http://")
                || link.starts_with("https://")
                || link.starts_with("mailto:")
                || link == "data:,"
            {
                continue;
            }
            assert!(
                !link.starts_with('/') || (*path == "404.html" && link.starts_with(root)),
                "{path}: root-relative link `{link}` breaks under file:// and subpaths"
            );
            assert!(!link.contains("://"), "{path}: unexpected scheme in `{link}`");
            let resolved = page.join(link).unwrap();
            let target = resolved
                .path()
                .strip_prefix(base.path())
                .unwrap_or_else(|| panic!("{path}: `{link}` leaves the site"));
            let target =
                percent_encoding::percent_decode_str(target).decode_utf8().unwrap().into_owned();
            let target = if target.is_empty() || target.ends_with('/') {
                format!("{target}index.html")
            } else {
                target
            };
            assert!(
                files.contains_key(&target),
                "{path}: `{link}` points to `{target}`, which was not built"
            );
            if let Some(fragment) = resolved.fragment() {
                let known = ids
                    .get(target.as_str())
                    .unwrap_or_else(|| panic!("{path}: fragment link into non-HTML `{target}`"));
                assert!(
                    known.contains(fragment),
                    "{path}: `{link}`: no id `{fragment}` in `{target}`"
                );
            }
            checked += 1;
        }
    }
    checked
}

/// Asserts that no internal link names a directory (they open a file listing under file://).
fn assert_links_name_files(files: &BTreeMap<String, Vec<u8>>) {
    let sel = scraper::Selector::parse("a[href]").unwrap();
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let doc = scraper::Html::parse_document(std::str::from_utf8(bytes).unwrap());
        for el in doc.select(&sel) {
            let href = el.value().attr("href").unwrap();
            if href.contains(':') || href.starts_with('#') {
                continue;
            }
            let path_part = href.split('#').next().unwrap();
            assert!(
                !path_part.is_empty() && !path_part.ends_with('/'),
                "{path}: `{href}` names a directory"
            );
        }
    }
}

#[test]
fn fixture_links_resolve() {
    let site = TestSite::from_fixture("basic");
    site.build(&["-q"]).ok();
    let files = read_tree(&site.public());
    let n = check_links(&files, "/fixture/");
    assert!(n > 100, "only {n} links checked");
    assert_links_name_files(&files);
}

#[test]
fn fixture_links_resolve_with_pretty_links() {
    let site = TestSite::from_fixture("basic");
    let config = site.read("dossier.yaml") + "pretty_links: true\n";
    site.write("dossier.yaml", &config);
    site.build(&["-q"]).ok();
    check_links(&read_tree(&site.public()), "/fixture/");
}

#[test]
fn dossier_links_resolve() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    crate::support::dossier(
        &[
            "build",
            "--root",
            repo_root().to_str().unwrap(),
            "--output",
            out.to_str().unwrap(),
            "-q",
        ],
        tmp.path(),
    )
    .ok();
    let files = read_tree(&out);
    // The dossier has no `base_url`: it is taken to be served from a host's root, where the 404
    // page's root-relative links start.
    assert!(check_links(&files, "/") > 50);
    assert_links_name_files(&files);
}
