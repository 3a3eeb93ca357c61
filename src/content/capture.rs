//! Captures: the WARC, WACZ and saved-HTML files in `content/captures/` that articles were
//! imported from (`dossier import`), and the `archived` entries that point at them.
//!
//! An article's `archived` list holds web addresses of archived copies, or references to a
//! capture of the dossier's own:
//!
//! ```yaml
//! archived:
//!   - https://web.archive.org/web/20190613/https://…      # an archived copy elsewhere
//!   - capture: captures/sha256-3f2a….warc.gz             # a file in content/captures/
//!     sha256: 3f2a…                                      # its SHA-256, checked on every build
//!     record: "<urn:uuid:…>"                             # the WARC record the text came from
//! ```
//!
//! The build checks every reference: the file must be in `content/captures/` and hash to the
//! SHA-256 given (an error at the reference's line otherwise). Captures are published as they
//! are, under `captures/`, except saved HTML pages, which are published as `….html.txt`: a
//! captured page is another site's HTML, and served from the dossier's address its scripts would
//! run there, outside the dossier's Content-Security-Policy.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::Article;
use crate::diagnostics::Diagnostic;
use crate::theme::{StaticContents, StaticFile};
use crate::values::HttpUrl;
use crate::yaml::Shorthand;

/// Where captures live, relative to `content/`.
pub const CAPTURES: &str = "captures";

/// One entry of an article's `archived` list: an address, or a capture of the dossier's own.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArchivedCopy {
    /// The address of an archived copy (Wayback Machine, archive.today …).
    #[serde(default)]
    pub url: Option<HttpUrl>,
    /// A capture in `content/captures/`: `captures/<name>`.
    #[serde(default)]
    pub capture: Option<String>,
    /// The capture's SHA-256 (lowercase hex); required with `capture`.
    #[serde(default)]
    pub sha256: Option<String>,
    /// The WARC record the article was taken from (`<urn:uuid:…>`).
    #[serde(default)]
    pub record: Option<String>,
}

impl Shorthand for ArchivedCopy {
    fn from_shorthand(s: &str) -> Result<Self, String> {
        Ok(ArchivedCopy { url: Some(s.parse()?), capture: None, sha256: None, record: None })
    }
    const EXPECTING: &'static str =
        "an address, or a mapping with `capture`, `sha256` and `record`";
}

impl Serialize for ArchivedCopy {
    /// For templates: `url`, or `capture` with `href` (the published file, site-relative),
    /// `format` (`WARC`, `WACZ`, `saved HTML page`), `sha256` and `record`.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        if let Some(url) = &self.url {
            map.serialize_entry("url", url)?;
        }
        if let Some(capture) = &self.capture {
            map.serialize_entry("capture", capture)?;
            map.serialize_entry("href", &published_path(capture))?;
            map.serialize_entry("format", format_of(capture))?;
            map.serialize_entry("sha256", &self.sha256)?;
            map.serialize_entry("record", &self.record)?;
        }
        map.end()
    }
}

/// What kind of capture a file name says it is.
pub fn format_of(name: &str) -> &'static str {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".wacz") {
        "WACZ"
    } else if lower.ends_with(".warc") || lower.ends_with(".warc.gz") {
        "WARC"
    } else {
        "saved HTML page"
    }
}

/// Whether a capture's name is a saved HTML page, published as text (see the module's doc).
fn is_html(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    lower.ends_with(".html") || lower.ends_with(".htm")
}

/// Where the capture `captures/<name>` is published in the site.
pub fn published_path(capture: &str) -> String {
    if is_html(capture) { format!("{capture}.txt") } else { capture.to_string() }
}

/// A file in `content/captures/`.
#[derive(Debug, Clone)]
pub struct CaptureFile {
    /// `captures/<name>`, as `archived` entries name it.
    pub name: String,
    /// Its path on disk.
    pub path: PathBuf,
    /// As messages show it: `content/captures/<name>`.
    pub shown: String,
}

/// Checks an article's own `archived` entries: each is an address, or a `capture` under
/// `captures/` with a 64-hex-digit `sha256`.
pub fn validate_entries(article: &Article) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for entry in &article.meta.archived {
        match (&entry.url, &entry.capture) {
            (Some(_), Some(c)) => errors.push(
                article
                    .error_at(
                        article.locate_value("capture", c),
                        "an `archived` entry has both \
                        `url` and `capture`",
                    )
                    .help(
                        "give each archived copy its own entry: `- https://…`, or `- \
                        {capture: captures/…, sha256: …}`",
                    ),
            ),
            (None, None) => errors.push(
                article
                    .error_at(
                        article.locate_key("archived"),
                        "an `archived` entry has neither \
                        `url` nor `capture`",
                    )
                    .help(
                        "give the address of an archived copy, or `capture: captures/<file>` \
                        with its `sha256`",
                    ),
            ),
            (None, Some(c)) => {
                let name = c.strip_prefix("captures/").unwrap_or("");
                if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') {
                    errors.push(
                        article
                            .error_at(
                                article.locate_value("capture", c),
                                format!(
                                    "`capture: {c}` \
                                is not a file in content/captures/"
                                ),
                            )
                            .help(
                                "write `captures/<file name>`, the file's path under content/, \
                                e.g. `captures/sha256-3f2a….warc.gz`",
                            ),
                    );
                }
                let hex_ok = entry.sha256.as_deref().is_some_and(|h| {
                    h.len() == 64
                        && h.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
                });
                if !hex_ok {
                    let at = match &entry.sha256 {
                        Some(h) => article.locate_value("sha256", h),
                        None => article.locate_value("capture", c),
                    };
                    errors.push(
                        article
                            .error_at(
                                at,
                                format!(
                                    "the capture `{c}` needs its `sha256`: 64 \
                                lowercase hex digits"
                                ),
                            )
                            .help(format!(
                                "run `sha256sum content/{c}` and give the hash, so the \
                                build can tell the file is the one imported"
                            )),
                    );
                }
            }
            (Some(_), None) => {}
        }
    }
    errors
}

/// Checks every article's capture references against the files in `content/captures/`: the file
/// must exist and hash to the `sha256` given. `hash` gives a file's SHA-256 (lowercase hex), or
/// the message of the I/O error.
pub fn check(
    articles: &[Article],
    captures: &[CaptureFile],
    hash: &mut dyn FnMut(&CaptureFile) -> Result<String, String>,
) -> Vec<Diagnostic> {
    let by_name: BTreeMap<&str, &CaptureFile> =
        captures.iter().map(|c| (c.name.as_str(), c)).collect();
    let mut hashes: BTreeMap<&str, Result<String, String>> = BTreeMap::new();
    let mut errors = Vec::new();
    for article in articles {
        for entry in &article.meta.archived {
            let (Some(name), Some(expected)) = (&entry.capture, &entry.sha256) else { continue };
            let at = article.locate_value("capture", name);
            let Some(file) = by_name.get(name.as_str()) else {
                let known: Vec<&str> = by_name.keys().copied().collect();
                let help = match crate::diagnostics::did_you_mean(name, known.iter().copied()) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => {
                        "copy the capture into content/captures/ (`dossier import FILE` does), \
                        or correct the name"
                            .to_string()
                    }
                };
                errors.push(
                    article
                        .error_at(at, format!("the capture `{name}` is not in content/captures/"))
                        .help(help),
                );
                continue;
            };
            let actual = hashes.entry(file.name.as_str()).or_insert_with(|| hash(file));
            match actual {
                Ok(actual) if actual == expected => {}
                Ok(actual) => errors.push(
                    article
                        .error_at(
                            at,
                            format!(
                                "{} has SHA-256 {actual}, not the {expected} \
                            recorded here",
                                file.shown
                            ),
                        )
                        .help(
                            "the capture was changed after the article was imported from it: \
                            restore the original file (a capture is evidence, never edited)",
                        ),
                ),
                Err(e) => {
                    errors.push(article.error_at(at, format!("cannot read {}: {e}", file.shown)))
                }
            }
        }
    }
    errors
}

/// The captures, as files the build copies into the site (see [`published_path`]).
pub fn static_files(captures: &[CaptureFile]) -> Vec<StaticFile> {
    captures
        .iter()
        .map(|c| StaticFile {
            path: published_path(&c.name),
            name: published_path(&c.name),
            origin: c.shown.clone(),
            contents: StaticContents::File(c.path.clone()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(archived: &str) -> Article {
        let text = format!(
            "---\ntitle: T\noutlet: o\npublished: unknown\nkind: full-text\nsource_note: \
                x\narchived:\n{archived}---\nBody\n"
        );
        Article::parse("content/articles/a.md", text).unwrap()
    }

    const HEX: &str = "3f2a9c0d1e4b5a673f2a9c0d1e4b5a673f2a9c0d1e4b5a673f2a9c0d1e4b5a67";

    #[test]
    fn addresses_and_captures_parse() {
        let a = article(&format!(
            "  - https://web.archive.org/web/2019/https://e.org/\n  - capture: \
                captures/x.warc.gz\n    sha256: {HEX}\n    record: \"<urn:uuid:1>\"\n"
        ));
        assert_eq!(a.meta.archived.len(), 2);
        assert!(a.meta.archived[0].url.is_some());
        assert_eq!(a.meta.archived[1].capture.as_deref(), Some("captures/x.warc.gz"));
        assert!(validate_entries(&a).is_empty());
        let json = serde_json::to_value(&a.meta.archived[1]).unwrap();
        assert_eq!(json["href"], "captures/x.warc.gz");
        assert_eq!(json["format"], "WARC");
        assert_eq!(published_path("captures/p.html"), "captures/p.html.txt");
    }

    #[test]
    fn bad_entries_are_located() {
        let a = article("  - capture: ../secret.warc\n    sha256: nope\n");
        let errors = validate_entries(&a);
        assert_eq!(
            errors[0].message,
            "`capture: ../secret.warc` is not a file in content/captures/"
        );
        assert_eq!(errors[0].location(), "content/articles/a.md:8:14");
        assert_eq!(
            errors[1].message,
            "the capture `../secret.warc` needs its `sha256`: 64 lowercase hex digits"
        );
        let err = Article::parse(
            "content/articles/a.md",
            "---\noutlet: o\npublished: unknown\nkind: report\nurl: https://e.org/\narchived:\n  - \
                {capture: captures/x, colour: red}\n---\n".into(),
        )
        .unwrap_err();
        assert!(err.message.contains("unknown field `colour`"), "{}", err.message);
    }

    #[test]
    fn references_are_checked_against_the_files() {
        let a = article(&format!("  - capture: captures/x.warc.gz\n    sha256: {HEX}\n"));
        let files = vec![CaptureFile {
            name: "captures/x.warc.gz".into(),
            path: PathBuf::from("/nowhere"),
            shown: "content/captures/x.warc.gz".into(),
        }];
        assert!(check(std::slice::from_ref(&a), &files, &mut |_| Ok(HEX.to_string())).is_empty());
        let errors = check(std::slice::from_ref(&a), &files, &mut |_| Ok("00".repeat(32)));
        assert_eq!(
            errors[0].message,
            format!(
                "content/captures/x.warc.gz has SHA-256 {}, not the {HEX} recorded here",
                "00".repeat(32)
            )
        );
        assert_eq!(errors[0].location(), "content/articles/a.md:8:14");
        let errors = check(&[a], &[], &mut |_| unreachable!());
        assert_eq!(
            errors[0].message,
            "the capture `captures/x.warc.gz` is not in content/captures/"
        );
    }
}
