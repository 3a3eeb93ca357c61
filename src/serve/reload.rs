//! What a browser is told after a rebuild, and the tags `serve` adds to the HTML it serves.
//!
//! Both are pure: [`inject`] adds the live-reload script (and the error overlay, while a
//! rebuild is failing) to a page's bytes, and [`classify`] compares two builds and decides
//! between no message, swapping stylesheets, and reloading the page. The script itself is
//! `livereload.js` beside this file; it is served only by `dossier serve` at
//! `<base>__dossier/livereload.js` and never written by `dossier build`.
//!
//! Stylesheets are fingerprinted (`style.<hash>.css`), so a CSS edit removes one `.css` output,
//! adds another, and changes every page (each links to the new name). [`classify`] pairs the
//! removed and added stylesheets by name, puts the old name back into each changed page, and
//! only when that makes every page equal to its old bytes does it send a stylesheet swap; any
//! other difference reloads the page.

use std::collections::BTreeMap;

use bytes::Bytes;

use crate::incremental::Outcome;
use crate::render::templates::csp_hash;

/// The live-reload script, served at `<base>__dossier/livereload.js`.
pub const SCRIPT: &str = include_str!("livereload.js");
/// The error overlay's stylesheet, served at `<base>__dossier/overlay.css`.
pub const OVERLAY_CSS: &str = include_str!("overlay.css");
/// The directory of `serve`'s own files, under the base path.
pub const DIR: &str = "__dossier/";

/// What the browsers must do after a rebuild.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// Nothing visible changed (a save of the same bytes): send nothing.
    None,
    /// Only stylesheets changed: swap each old file name (key) for its new one (value).
    Css(BTreeMap<String, String>),
    /// Anything else: reload the page.
    Reload,
}

/// Compares the previous build with the new one, given what the rebuild reported.
pub fn classify(
    old: &BTreeMap<String, Bytes>,
    new: &BTreeMap<String, Bytes>,
    outcome: &Outcome,
) -> Change {
    if outcome.is_empty() {
        return Change::None;
    }
    // The search index, the data files, feeds and sitemaps: no page shows them as they are.
    let unseen = |p: &String| {
        p.starts_with(crate::search::DIR) && p[crate::search::DIR.len()..].starts_with('/')
            || p.ends_with(".json")
            || p.ends_with(".xml")
    };
    if outcome.changed.iter().chain(&outcome.removed).all(unseen) {
        return Change::None;
    }
    let is_css = |p: &String| p.ends_with(".css");
    let removed: Vec<&String> = outcome.removed.iter().filter(|p| is_css(p)).collect();
    let added: Vec<&String> =
        outcome.changed.iter().filter(|p| is_css(p) && !old.contains_key(*p)).collect();
    if outcome.removed.len() != removed.len() {
        return Change::Reload;
    }
    // Pair removed and added stylesheets by directory and stem (`style` of `style.<hash>.css`).
    let mut pairs: Vec<(&String, &String)> = Vec::new();
    for gone in &removed {
        let mut twins = added.iter().filter(|p| stem(p) == stem(gone));
        match (twins.next(), twins.next()) {
            (Some(new_path), None) => pairs.push((gone, new_path)),
            _ => return Change::Reload,
        }
    }
    if added.len() != removed.len() {
        return Change::Reload;
    }
    // A stylesheet whose name did not change (no fingerprint): reload it under the same name.
    pairs.extend(
        outcome.changed.iter().filter(|p| is_css(p) && old.contains_key(*p)).map(|p| (p, p)),
    );
    if pairs.is_empty() {
        return Change::Reload;
    }
    // Put each new stylesheet's old text and old name back (a page may inline the stylesheet,
    // as the 404 page does): a page that is then as it was changed only through them.
    // (Files no page shows may change beside them: a rebuild that settles a quick one and
    // takes in a stylesheet edit brings the data files up to date too.)
    let others_same = outcome.changed.iter().filter(|p| !is_css(p) && !unseen(p)).all(|path| {
        let (Some(before), Some(after)) = (old.get(path), new.get(path)) else { return false };
        let mut page = after.to_vec();
        for (was, is) in &pairs {
            if let (Some(was_text), Some(is_text)) = (old.get(*was), new.get(*is)) {
                page = replace_all(&page, is_text, was_text);
                // The inlined stylesheet's hash in the page's Content-Security-Policy.
                if let (Ok(was_text), Ok(is_text)) =
                    (std::str::from_utf8(was_text), std::str::from_utf8(is_text))
                {
                    let (was_hash, is_hash) = (csp_hash(was_text), csp_hash(is_text));
                    page = replace_all(&page, is_hash.as_bytes(), was_hash.as_bytes());
                }
            }
            page = replace_all(&page, file_name(is).as_bytes(), file_name(was).as_bytes());
        }
        page[..] == before[..]
    });
    if !others_same {
        return Change::Reload;
    }
    let swap = pairs
        .into_iter()
        .map(|(was, is)| (file_name(was).to_string(), file_name(is).to_string()))
        .collect();
    Change::Css(swap)
}

/// `dir/style` of `dir/style.<hash>.css`.
fn stem(path: &str) -> (&str, &str) {
    let (dir, name) = path.rsplit_once('/').unwrap_or(("", path));
    (dir, name.split('.').next().unwrap_or(name))
}

fn file_name(path: &str) -> &str {
    path.rsplit_once('/').map_or(path, |(_, name)| name)
}

fn replace_all(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    if from == to || from.is_empty() {
        return haystack.to_vec();
    }
    let mut out = Vec::with_capacity(haystack.len());
    let mut rest = haystack;
    while let Some(i) = find(rest, from) {
        out.extend_from_slice(&rest[..i]);
        out.extend_from_slice(to);
        rest = &rest[i + from.len()..];
    }
    out.extend_from_slice(rest);
    out
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// Where the first match of an ASCII tag start (`<head`, `</head>`) is, ignoring case.
fn find_tag(html: &[u8], tag: &[u8]) -> Option<usize> {
    html.windows(tag.len()).position(|w| w.eq_ignore_ascii_case(tag))
}

/// The tags `serve` puts before `</head>`: the live-reload script and the overlay's stylesheet
/// (external files both: no inline script or style, so a strict CSP does not block them).
pub fn head_tags(base: &str) -> String {
    format!(
        "<script src=\"{base}{DIR}livereload.js\" defer></script>\
         <link rel=\"stylesheet\" href=\"{base}{DIR}overlay.css\">"
    )
}

/// A served copy of an HTML page: the [`head_tags`] before `</head>` (or at the start when the
/// page has none) and, when given, the error overlay at the start of `<body>` (or at the end).
pub fn inject(html: &[u8], base: &str, overlay: Option<&str>) -> Vec<u8> {
    let head = head_tags(base);
    let mut out = Vec::with_capacity(html.len() + head.len() + overlay.map_or(0, str::len));
    let head_at = find_tag(html, b"</head>").unwrap_or(0);
    out.extend_from_slice(&html[..head_at]);
    out.extend_from_slice(head.as_bytes());
    let rest = &html[head_at..];
    match overlay {
        None => out.extend_from_slice(rest),
        Some(overlay) => {
            let body_at = find_tag(rest, b"<body")
                .and_then(|i| rest[i..].iter().position(|&b| b == b'>').map(|j| i + j + 1))
                .unwrap_or(rest.len());
            out.extend_from_slice(&rest[..body_at]);
            out.extend_from_slice(overlay.as_bytes());
            out.extend_from_slice(&rest[body_at..]);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(files: &[(&str, &str)]) -> BTreeMap<String, Bytes> {
        files.iter().map(|(p, b)| (p.to_string(), Bytes::from(b.to_string()))).collect()
    }

    fn outcome(changed: &[&str], removed: &[&str]) -> Outcome {
        Outcome {
            changed: changed.iter().map(|s| s.to_string()).collect(),
            removed: removed.iter().map(|s| s.to_string()).collect(),
            ..Outcome::default()
        }
    }

    #[test]
    fn the_script_goes_before_head_end_and_the_overlay_opens_the_body() {
        let html = b"<!doctype html><html><HEAD><title>t</title></HEAD><body \
            class=\"x\"><p>hi</p></body></html>";
        let plain = String::from_utf8(inject(html, "/x/", None)).unwrap();
        assert_eq!(
            plain,
            "<!doctype html><html><HEAD><title>t</title><script src=\"/x/__dossier/livereload.js\" defer></script>\
             <link rel=\"stylesheet\" href=\"/x/__dossier/overlay.css\"></HEAD><body class=\"x\"><p>hi</p></body></html>"
        );
        let with = String::from_utf8(inject(html, "/", Some("<div id=o></div>"))).unwrap();
        assert!(with.contains("<body class=\"x\"><div id=o></div><p>hi</p>"), "{with}");
        assert!(with.contains("src=\"/__dossier/livereload.js\""), "{with}");
        // A fragment with neither tag still gets both.
        let bare = String::from_utf8(inject(b"<p>x</p>", "/", Some("<o>"))).unwrap();
        assert!(bare.starts_with("<script src=") && bare.ends_with("<p>x</p><o>"), "{bare}");
    }

    #[test]
    fn a_save_that_changes_nothing_sends_nothing() {
        let a = site(&[("index.html", "x")]);
        assert_eq!(classify(&a, &a, &outcome(&[], &[])), Change::None);
    }

    #[test]
    fn a_fingerprinted_stylesheet_edit_is_a_swap_when_pages_differ_only_in_its_name() {
        let old = site(&[
            ("index.html", "<link href=\"style.aaaa.css\"><p>one</p>"),
            ("a/index.html", "<link href=\"../style.aaaa.css\">"),
            ("style.aaaa.css", "p{}"),
        ]);
        let new = site(&[
            ("index.html", "<link href=\"style.bbbb.css\"><p>one</p>"),
            ("a/index.html", "<link href=\"../style.bbbb.css\">"),
            ("style.bbbb.css", "p{color:red}"),
        ]);
        let out = outcome(&["a/index.html", "index.html", "style.bbbb.css"], &["style.aaaa.css"]);
        let swap = BTreeMap::from([("style.aaaa.css".to_string(), "style.bbbb.css".to_string())]);
        assert_eq!(classify(&old, &new, &out), Change::Css(swap.clone()));
        // A page that inlines the stylesheet (the 404 page) changed only through it.
        let mut old = old;
        let mut new = new;
        // Its Content-Security-Policy allows the inlined text by hash, so the hash changes too.
        let page = |css: &str| {
            Bytes::from(format!(
                "<meta content=\"style-src {}\"><style>{css}</style>",
                csp_hash(css)
            ))
        };
        old.insert("404.html".into(), page("p{}"));
        new.insert("404.html".into(), page("p{color:red}"));
        let mut out = out;
        out.changed.insert(0, "404.html".into());
        assert_eq!(classify(&old, &new, &out), Change::Css(swap.clone()));
        // A data file that changed too (a rebuild settling a quick one) is no page: still a swap.
        let (mut old3, mut new3, mut out3) = (old.clone(), new.clone(), out.clone());
        old3.insert("articles.json".into(), Bytes::from("[1]"));
        new3.insert("articles.json".into(), Bytes::from("[2]"));
        out3.changed.insert(0, "articles.json".into());
        assert_eq!(classify(&old3, &new3, &out3), Change::Css(swap.clone()));
        // The same edit plus a text change on one page reloads.
        let mut new2 = new.clone();
        new2.insert("index.html".into(), Bytes::from("<link href=\"style.bbbb.css\"><p>two</p>"));
        assert_eq!(classify(&old, &new2, &out), Change::Reload);
    }

    #[test]
    fn an_unfingerprinted_stylesheet_edit_is_a_swap_under_the_same_name() {
        let old = site(&[("index.html", "<p>"), ("style.css", "a")]);
        let new = site(&[("index.html", "<p>"), ("style.css", "b")]);
        let swap = BTreeMap::from([("style.css".to_string(), "style.css".to_string())]);
        assert_eq!(classify(&old, &new, &outcome(&["style.css"], &[])), Change::Css(swap));
    }

    #[test]
    fn anything_else_reloads() {
        let old = site(&[("index.html", "a"), ("x.js", "1")]);
        let new = site(&[("index.html", "b"), ("x.js", "1")]);
        assert_eq!(classify(&old, &new, &outcome(&["index.html"], &[])), Change::Reload);
        // A removed page, or an added stylesheet with no old twin.
        assert_eq!(classify(&old, &new, &outcome(&[], &["x.js"])), Change::Reload);
        let new = site(&[("index.html", "a"), ("x.js", "1"), ("print.1.css", "")]);
        assert_eq!(classify(&old, &new, &outcome(&["print.1.css"], &[])), Change::Reload);
    }
}
