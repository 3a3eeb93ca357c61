//! Site paths and the relative URLs between them.
//!
//! Every page has a *site path*: `""` for the front page, `articles/<slug>/` for a page published
//! as a directory index, or a file path such as `404.html` or `style.css`. Links are always made
//! relative to the page that holds them ([`relative`]), so the output works from `file://`, under
//! any subpath, and inside a web archive without a rebuild. By default a link to a page names its
//! file (`../x/index.html`), because under `file://` a directory link opens a file listing;
//! `pretty_links` drops the `index.html`.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};

/// Characters escaped in a path segment (RFC 3986 `pchar` allows the rest).
const SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Whether a site path names a page directory (`""`, `articles/x/`) rather than a file.
pub fn is_page_dir(path: &str) -> bool {
    path.is_empty() || path.ends_with('/')
}

/// The file a site path is written to: `articles/x/` → `articles/x/index.html`.
pub fn output_file(path: &str) -> String {
    if is_page_dir(path) { format!("{path}index.html") } else { path.to_string() }
}

/// `to` (a site path, maybe with `#fragment` or `?query`) percent-encoded as a URL path without
/// a leading slash; a page directory names its `index.html` unless `pretty`.
pub fn encode(to: &str, pretty: bool) -> String {
    let split = to.find(['#', '?']).unwrap_or(to.len());
    let (target, suffix) = to.split_at(split);
    let target = target.trim_start_matches('/');
    let mut url = String::with_capacity(to.len() + 10);
    for (i, seg) in target.split('/').enumerate() {
        if i > 0 {
            url.push('/');
        }
        url.extend(utf8_percent_encode(seg, SEGMENT));
    }
    if is_page_dir(target) && !pretty {
        url.push_str("index.html");
    }
    url.push_str(suffix);
    url
}

/// The URL of `to` relative to the document at `from`. Both are site paths; `to` may carry a
/// `#fragment` or `?query`, which is kept.
pub fn relative(from: &str, to: &str, pretty: bool) -> String {
    let split = to.find(['#', '?']).unwrap_or(to.len());
    let (target, suffix) = to.split_at(split);
    let target = target.trim_start_matches('/');
    // The target's directories and file name; a page directory's file is its `index.html`.
    let (target_dirs, file) = match target.rsplit_once('/') {
        Some((dirs, file)) => (Some(dirs), file),
        None => (None, target),
    };
    let file = if is_page_dir(target) && !pretty { "index.html" } else { file };
    let target_segs = || target_dirs.into_iter().flat_map(|d| d.split('/'));
    let base_dirs =
        || from.rsplit_once('/').map_or("", |(dir, _)| dir).split('/').filter(|s| !s.is_empty());
    let common = base_dirs().zip(target_segs()).take_while(|(a, b)| a == b).count();

    let mut url = String::with_capacity(to.len() + 16);
    for _ in common..base_dirs().count() {
        url.push_str("../");
    }
    for seg in target_segs().skip(common) {
        url.extend(utf8_percent_encode(seg, SEGMENT));
        url.push('/');
    }
    url.extend(utf8_percent_encode(file, SEGMENT));
    // A first segment with a colon would read as a scheme (`a:b/` as the URL `a:`).
    if url.is_empty() || url.split('/').next().is_some_and(|first| first.contains(':')) {
        url.insert_str(0, "./");
    }
    url.push_str(suffix);
    url
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn page_to_page() {
        assert_eq!(relative("articles/a/", "articles/b/", false), "../b/index.html");
        assert_eq!(relative("articles/a/", "articles/b/", true), "../b/");
        assert_eq!(relative("articles/a/", "", false), "../../index.html");
        assert_eq!(relative("articles/a/", "", true), "../../");
        assert_eq!(relative("", "", false), "index.html");
        assert_eq!(relative("", "", true), "./");
        assert_eq!(relative("", "outlets/presstv/", false), "outlets/presstv/index.html");
        assert_eq!(relative("outlets/", "outlets/presstv/", false), "presstv/index.html");
    }

    #[test]
    fn files_fragments_and_odd_names() {
        assert_eq!(relative("articles/a/", "style.css", false), "../../style.css");
        assert_eq!(relative("404.html", "style.css", false), "style.css");
        assert_eq!(relative("404.html", "topics/x/", false), "topics/x/index.html");
        assert_eq!(relative("articles/a/", "articles/a/#notes", false), "index.html#notes");
        assert_eq!(relative("articles/a/", "/images/a b.jpg", false), "../../images/a%20b.jpg");
    }

    #[test]
    fn a_colon_in_the_first_segment_is_not_a_scheme() {
        assert_eq!(relative("", "a:b/", false), "./a:b/index.html");
        assert_eq!(relative("", "a:b", true), "./a:b");
        assert_eq!(relative("x/", "x/c:d.css#e:f", false), "./c:d.css#e:f");
        assert_eq!(relative("x/", "y:z/", false), "../y:z/index.html");
        assert_eq!(relative("", "x/a:b", false), "x/a:b");
    }

    #[test]
    fn encoded_paths() {
        assert_eq!(encode("", false), "index.html");
        assert_eq!(encode("", true), "");
        assert_eq!(encode("articles/a b/", true), "articles/a%20b/");
        assert_eq!(encode("articles/a/#x", false), "articles/a/index.html#x");
        assert_eq!(encode("/style.css", false), "style.css");
    }

    fn site_path() -> impl Strategy<Value = String> {
        let seg = "[a-z0-9][a-z0-9-]{0,6}";
        prop_oneof![
            Just(String::new()),
            proptest::collection::vec(seg, 1..4).prop_map(|s| format!("{}/", s.join("/"))),
            (proptest::collection::vec(seg, 0..3), "[a-z]{1,5}\\.(html|css|jpg)").prop_map(
                |(d, f)| { if d.is_empty() { f } else { format!("{}/{f}", d.join("/")) } }
            ),
        ]
    }

    proptest! {
        /// Resolving the relative URL against the page's own address lands on the target,
        /// whatever the two paths are and wherever the site is mounted.
        #[test]
        fn relative_urls_resolve_to_their_target(
            from in site_path(),
            to in site_path(),
            pretty: bool,
            mount in "(|x/|x/y/)",
        ) {
            let base = url::Url::parse(&format!("http://host/{mount}")).unwrap();
            let page = base.join(&output_file(&from)).unwrap();
            let rel = relative(&from, &to, pretty);
            prop_assert!(!rel.starts_with('/') && !rel.contains("://"), "{rel} is not relative");
            let resolved = page.join(&rel).unwrap();
            let expected = base.join(&if pretty { to.clone() } else { output_file(&to) }).unwrap();
            prop_assert_eq!(resolved, expected);
        }

        /// The same with any text in the path segments (spaces, `%`, `:`, `\`, controls, any
        /// script): the link still lands on the target's own encoded address.
        #[test]
        fn relative_urls_resolve_whatever_the_segments_hold(
            from in odd_site_path(),
            to in odd_site_path(),
            pretty: bool,
            mount in "(|x/|x/y/)",
        ) {
            let base = url::Url::parse(&format!("http://host/{mount}")).unwrap();
            // `./` first, so a segment with a colon is not read as a scheme.
            let at =
                |path: &str, pretty: bool| base.join(&format!("./{}", encode(path, pretty))).unwrap();
            let rel = relative(&from, &to, pretty);
            let resolved = at(&from, false).join(&rel);
            prop_assert_eq!(
                resolved.ok(),
                Some(at(&to, pretty)),
                "`{}` from `{}` to `{}`",
                rel,
                from,
                to
            );
        }
    }

    fn odd_site_path() -> impl Strategy<Value = String> {
        let seg = prop_oneof!["[^/#?]{1,5}", "[a-z:%. \\\\]{1,4}"]
            .prop_filter("a dot segment", |s| s != "." && s != "..")
            // The `url` crate keeps a segment like `a:` (a Windows drive letter) on `..` even
            // in http URLs, where browsers drop it (WHATWG URL): not ours to test.
            .prop_filter("a drive letter", |s| {
                !(s.len() == 2
                    && s.as_bytes()[0].is_ascii_alphabetic()
                    && matches!(s.as_bytes()[1], b':' | b'|'))
            });
        prop_oneof![
            Just(String::new()),
            proptest::collection::vec(seg.clone(), 1..4).prop_map(|s| format!("{}/", s.join("/"))),
            proptest::collection::vec(seg, 1..4).prop_map(|s| s.join("/")),
        ]
    }
}
