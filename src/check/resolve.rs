//! Where a link written in a built page leads: to another output file of the site (and which
//! `#fragment` in it), to the web, outside the site, or nowhere the checker follows.
//!
//! A page's links are resolved with the `url` crate exactly as a browser would, against the
//! page's address under a dummy mount point (`http://site.invalid/mount/point/`). A link that
//! lands outside the mount point would break when the dossier is served from a subpath, opened
//! from disk or kept in a web archive, so it is an error even if it happens to work at a
//! domain's root.

use percent_encoding::percent_decode_str;
use url::Url;

/// The dummy address the site is mounted at while links are resolved.
const MOUNT: &str = "http://site.invalid/mount/point/";

/// Where a link leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// An output file of the site: its path (`articles/x/index.html`; a directory link gets
    /// `index.html`) and the percent-decoded `#fragment`, if any. The query is dropped.
    Internal {
        /// The output path.
        path: String,
        /// The fragment, decoded.
        fragment: Option<String>,
    },
    /// An `http:` or `https:` URL.
    External(Url),
    /// A protocol-relative URL (`//host/x`): on the web it takes the page's scheme, but opened
    /// from disk it becomes `file://host/x`.
    ProtocolRelative(Url),
    /// A root-relative path (`/x`): it resolves against the host's root, not the dossier's.
    RootRelative,
    /// A relative path with more `../` than the page is deep.
    AboveRoot,
    /// Another scheme (`mailto:`, `tel:`, `data:` …): not checked.
    Other(String),
    /// Not a URL at all; the parser's reason.
    Invalid(String),
}

/// Resolves `href`, written in the output file `page`, to its target.
pub fn resolve(page: &str, href: &str) -> Target {
    Page::new(page).resolve(href)
}

/// An output file whose links are being resolved: what the quick way needs of its path, worked
/// out once for all of them.
pub struct Page<'a> {
    path: &'a str,
    /// The page's directories, when its path is plain enough for [`Page::simple`].
    dirs: Option<Vec<&'a str>>,
}

impl<'a> Page<'a> {
    /// The output file `path` (`articles/x/index.html`).
    pub fn new(path: &'a str) -> Page<'a> {
        let plain = plain_segments(path) && !path.split('/').any(|s| s == "." || s == "..");
        let dirs = plain.then(|| {
            let mut dirs: Vec<&str> = path.split('/').collect();
            dirs.pop();
            dirs
        });
        Page { path, dirs }
    }

    /// The page's output path.
    pub fn path(&self) -> &'a str {
        self.path
    }

    /// Resolves `href`, written in this page, to its target.
    pub fn resolve(&self, href: &str) -> Target {
        let href = href.trim();
        if let Some(target) = self.simple(href) {
            return target;
        }
        by_url(self.path, href)
    }

    /// The commonest links, resolved without a URL parser: `../` steps, then plain path
    /// segments (no `.` or `..`, no escapes), then an optional plain `#fragment`, written in a
    /// page whose path is plain too. `None` for anything else ([`by_url`] resolves it). A test
    /// checks that both give the same target.
    fn simple(&self, href: &str) -> Option<Target> {
        let dirs = self.dirs.as_ref()?;
        let (path, fragment) = match href.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (href, None),
        };
        if !plain_segments(path) || !fragment.is_none_or(|f| f.bytes().all(plain)) {
            return None;
        }
        let mut rest = path;
        let mut ups = 0;
        while let Some(r) = rest.strip_prefix("../") {
            rest = r;
            ups += 1;
        }
        if rest == ".." || rest.split('/').any(|s| s == "." || s == "..") {
            return None;
        }
        let fragment = fragment.map(str::to_string);
        if path.is_empty() {
            return Some(Target::Internal { path: self.path.to_string(), fragment });
        }
        if ups > dirs.len() {
            return Some(Target::AboveRoot);
        }
        let mut out = String::with_capacity(self.path.len() + rest.len() + 10);
        for dir in &dirs[..dirs.len() - ups] {
            out.push_str(dir);
            out.push('/');
        }
        out.push_str(rest);
        if out.is_empty() || out.ends_with('/') {
            out.push_str("index.html");
        }
        Some(Target::Internal { path: out, fragment })
    }
}

/// A character a simple path segment may hold (nothing a URL parser would encode, decode or
/// read as a scheme, query or escape).
fn plain(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b'~')
}

/// Segments of plain characters, none empty but the last (a trailing `/`).
fn plain_segments(s: &str) -> bool {
    !s.starts_with('/') && !s.contains("//") && s.split('/').all(|seg| seg.bytes().all(plain))
}

/// The quick way of [`Page::resolve`] for `href` in `page`.
#[cfg(test)]
fn simple(page: &str, href: &str) -> Option<Target> {
    Page::new(page).simple(href)
}

/// Resolves `href` with the `url` crate, as a browser does.
fn by_url(page: &str, href: &str) -> Target {
    if href.starts_with("//") {
        return match Url::parse(&format!("https:{href}")) {
            Ok(url) => Target::ProtocolRelative(url),
            Err(e) => Target::Invalid(e.to_string()),
        };
    }
    if href.starts_with('/') || href.starts_with('\\') {
        return Target::RootRelative;
    }
    match Url::parse(href) {
        Ok(url) => {
            return match url.scheme() {
                "http" | "https" => Target::External(url),
                other => Target::Other(other.to_string()),
            };
        }
        Err(url::ParseError::RelativeUrlWithoutBase) => {}
        Err(e) => return Target::Invalid(e.to_string()),
    }
    static BASE: std::sync::LazyLock<Option<Url>> =
        std::sync::LazyLock::new(|| Url::parse(MOUNT).ok());
    let Some(base) = BASE.as_ref() else {
        return Target::Invalid("the mount point is not a URL".into());
    };
    let Ok(page_url) = base.join(page) else {
        return Target::Invalid(format!("the page path `{page}` is not a valid URL path"));
    };
    let resolved = match page_url.join(href) {
        Ok(url) => url,
        Err(e) => return Target::Invalid(e.to_string()),
    };
    let Some(rest) = resolved.path().strip_prefix(base.path()) else {
        return Target::AboveRoot;
    };
    let path = percent_decode_str(rest).decode_utf8_lossy().into_owned();
    let path =
        if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path };
    let fragment =
        resolved.fragment().map(|f| percent_decode_str(f).decode_utf8_lossy().into_owned());
    Target::Internal { path, fragment }
}

/// The host name a URL is filed under in the inventory (`www.presstv.ir`), lower-case.
pub fn domain(url: &Url) -> String {
    url.host_str().unwrap_or("").to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn internal(path: &str, fragment: Option<&str>) -> Target {
        Target::Internal { path: path.into(), fragment: fragment.map(str::to_string) }
    }

    #[test]
    fn relative_links_resolve_to_output_files() {
        let page = "articles/a/index.html";
        assert_eq!(resolve(page, "../b/index.html"), internal("articles/b/index.html", None));
        assert_eq!(resolve(page, "../b/"), internal("articles/b/index.html", None));
        assert_eq!(resolve(page, "../../"), internal("index.html", None));
        assert_eq!(resolve(page, "../../style.css?v=2"), internal("style.css", None));
        assert_eq!(resolve(page, "#notes"), internal("articles/a/index.html", Some("notes")));
        assert_eq!(resolve(page, ""), internal("articles/a/index.html", None));
        assert_eq!(
            resolve(page, "../../images/a%20b.jpg"),
            internal("images/a b.jpg", None),
            "percent-escapes are decoded to the file name"
        );
        assert_eq!(
            resolve("index.html", "dispute/index.html#claim-%C3%A9"),
            internal("dispute/index.html", Some("claim-é"))
        );
    }

    #[test]
    fn the_quick_way_resolves_as_the_url_parser_does() {
        let pages = ["index.html", "a/index.html", "articles/x-1/index.html", "a/b/c.html", "x.y"];
        let parts = ["", "..", "../", "a", "b/", "index.html", "x.css", "~t", "-_.", "a.b/c"];
        let fragments = [None, Some(""), Some("top"), Some("x-1.2_~")];
        let mut checked = 0;
        for page in pages {
            for a in parts {
                for b in parts {
                    for c in ["", "../", "../../", "../../../"] {
                        for f in fragments {
                            let href = match f {
                                Some(f) => format!("{c}{a}{b}#{f}"),
                                None => format!("{c}{a}{b}"),
                            };
                            if let Some(quick) = simple(page, &href) {
                                checked += 1;
                                assert_eq!(quick, by_url(page, &href), "{page} + {href}");
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 2000, "{checked}");
        // Not simple: left to the URL parser.
        for href in ["a b", "%41", "x?y", "a:b", "./a", "a/./b", "a/../b", "#a b", "\\a", "//h/x"] {
            assert_eq!(simple("a/index.html", href), None, "{href}");
        }
        // Nor is any link of a page whose own path is not plain.
        for page in ["a b/index.html", "a/../b.html", "/a.html", "a//b.html"] {
            assert_eq!(simple(page, "x.html"), None, "{page}");
            assert_eq!(resolve(page, "x.html"), by_url(page, "x.html"), "{page}");
        }
    }

    #[test]
    fn links_leaving_the_site_are_told_apart() {
        let page = "articles/a/index.html";
        assert_eq!(resolve(page, "/articles/b/"), Target::RootRelative);
        assert_eq!(resolve(page, "../../../x.html"), Target::AboveRoot);
        assert_eq!(resolve("index.html", "../x.html"), Target::AboveRoot);
        assert!(
            matches!(resolve(page, "https://Example.org/x"), Target::External(u) if domain(&u) == "example.org")
        );
        assert!(matches!(resolve(page, "//cdn.example.org/x.js"), Target::ProtocolRelative(_)));
        assert_eq!(resolve(page, "mailto:a@example.org"), Target::Other("mailto".into()));
        assert!(matches!(resolve(page, "http://[::1"), Target::Invalid(_)));
    }
}
