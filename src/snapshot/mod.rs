//! `dossier snapshot`: the built site packed for archives. A snapshot is written from a built
//! site on disk, one file at a time, so memory stays flat however large the site grows.
//!
//! - [`warc`]: a WARC/1.1 file (`.warc.gz`, one gzip member per record): a `warcinfo` record,
//!   a `response` record per file, and a `revisit` record per directory URL (`…/dir/` →
//!   `…/dir/index.html`). Web archives and replay players (pywb, ReplayWeb.page) read it.
//! - [`wacz`]: WACZ 1.1.1, the WARC zipped with its CDXJ index ([`cdxj`]), a page list with
//!   each page's text, and a `datapackage.json` listing every entry's SHA-256; plus the records of
//!   the captures articles were imported from ([`captures`]).
//!
//! Everything is reproducible: the timestamp is [`Metadata::created`] (from `SOURCE_DATE_EPOCH`
//! or the newest article's date, see [`snapshot_time`]), record ids are hashes of content, ZIP
//! entries are sorted with fixed times and permissions. The same site gives the same bytes.
//!
//! A format is one module with one entry function taking the site directory, its
//! [`SiteFile`] list, the [`Metadata`] and the output path.

pub mod bagit;
pub mod captures;
pub mod cdxj;
pub mod wacz;
pub mod warc;

use std::path::Path;

use anyhow::Context as _;
use sha2::{Digest, Sha256};

use crate::content::Site;
pub(crate) use crate::hash::hex;

/// A snapshot format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// WACZ 1.1.1 (a ZIP of the WARC, its index and page list), for replay players.
    Wacz,
    /// WARC/1.1, gzipped record by record, for web archives.
    Warc,
    /// BagIt (RFC 8493), for preservation repositories.
    Bagit,
}

impl Format {
    /// The default output name, in the dossier's root.
    pub fn default_file_name(self) -> &'static str {
        match self {
            Format::Wacz => "dossier.wacz",
            Format::Warc => "dossier.warc.gz",
            Format::Bagit => "dossier-bag",
        }
    }
}

/// What a snapshot holds, for the command's summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    /// Files of the site in it.
    pub files: usize,
    /// WARC records (`warcinfo` included); 0 for a bag.
    pub records: usize,
    /// HTML pages listed (WACZ `pages.jsonl`); 0 otherwise.
    pub pages: usize,
    /// Size of what was written, in bytes.
    pub bytes: u64,
}

/// Writes the built site in `dir` as a `format` snapshot at `out`: the one entry point of
/// `dossier snapshot`. Reads the site file by file; writes through a temporary file beside
/// `out`, renamed into place when complete.
pub fn write(format: Format, dir: &Path, meta: &Metadata, out: &Path) -> crate::Result<Summary> {
    let files = list_files(dir)?;
    match format {
        Format::Wacz => {
            let s = wacz::write(dir, &files, meta, out)?;
            Ok(Summary { files: files.len(), records: s.records, pages: s.pages, bytes: s.bytes })
        }
        Format::Warc => {
            let (records, bytes) = warc::write_file(dir, &files, meta, out)?;
            Ok(Summary { files: files.len(), records, pages: 0, bytes })
        }
        Format::Bagit => {
            let paths: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
            let bag = bagit::BagMeta {
                source_organization: meta.organization.clone(),
                title: meta.title.clone(),
                description: meta.description.clone(),
                bagging_date: meta.created.to_zoned(jiff::tz::TimeZone::UTC).date(),
                commit: meta.source_commit.clone(),
                software: meta.software.clone(),
                base_url: meta.base_url.clone(),
            };
            let is_zip = out.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip"));
            let report = if is_zip {
                bagit::write_zip(dir, &paths, &bag, out)?
            } else {
                bagit::write_dir(dir, &paths, &bag, out)?
            };
            Ok(Summary { files: files.len(), records: 0, pages: 0, bytes: report.payload_bytes })
        }
    }
}

/// What a snapshot says about itself (the `warcinfo` record, `datapackage.json`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// The dossier's title.
    pub title: String,
    /// The dossier's description.
    pub description: String,
    /// Where the site is published, ending in `/`; every file's URL is under it.
    pub base_url: String,
    /// The snapshot's one timestamp: every record's date and the package's `created`.
    pub created: jiff::Timestamp,
    /// The program that wrote it, e.g. `dossier 0.1.0`.
    pub software: String,
    /// The git commit the dossier was built from, when known.
    pub source_commit: Option<String>,
    /// Who is responsible for it (a bag's `Source-Organization`): the curator line, else the
    /// title.
    pub organization: String,
}

impl Metadata {
    /// The metadata of a loaded dossier, published at `base_url`, stamped `created`.
    pub fn new(site: &Site, base_url: &str, created: jiff::Timestamp) -> Self {
        Metadata {
            title: site.config.title.clone(),
            description: site.config.description.clone(),
            base_url: if base_url.ends_with('/') {
                base_url.to_owned()
            } else {
                format!("{base_url}/")
            },
            created,
            software: format!("dossier {}", env!("CARGO_PKG_VERSION")),
            source_commit: None,
            organization: site.config.curator.clone().unwrap_or_else(|| site.config.title.clone()),
        }
    }

    /// [`Metadata::created`] as `2019-06-13T00:00:00Z` (whole seconds, UTC).
    pub fn iso_date(&self) -> String {
        self.created.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
    }

    /// [`Metadata::created`] as the 14-digit CDX timestamp `20190613000000`.
    pub fn cdx_timestamp(&self) -> String {
        self.created.strftime("%Y%m%d%H%M%S").to_string()
    }
}

/// The snapshot's timestamp: `SOURCE_DATE_EPOCH` (seconds since 1970-01-01 UTC) when given,
/// else the newest article's publication date (its instant, or midnight UTC for a bare date),
/// else 1970-01-01 when no article is dated.
pub fn snapshot_time(
    source_date_epoch: Option<&str>,
    site: &Site,
) -> crate::Result<jiff::Timestamp> {
    timestamp_from(source_date_epoch, site.articles.iter().filter_map(|a| a.meta.published.known()))
}

/// [`snapshot_time`] over publication dates: the pure part.
pub fn timestamp_from(
    source_date_epoch: Option<&str>,
    dates: impl IntoIterator<Item = crate::values::DateOrTime>,
) -> crate::Result<jiff::Timestamp> {
    if let Some(raw) = source_date_epoch {
        let seconds: i64 = raw.trim().parse().map_err(|_| {
            anyhow::anyhow!(
                "SOURCE_DATE_EPOCH=`{raw}` is not a whole number of seconds since 1970-01-01 UTC\n  \
                 = help: set it to e.g. `$(git log -1 --format=%ct)`, or unset it to date the \
                 snapshot by the newest article"
            )
        })?;
        return jiff::Timestamp::from_second(seconds)
            .map_err(|e| anyhow::anyhow!("SOURCE_DATE_EPOCH=`{raw}` is out of range: {e}"));
    }
    let newest = dates.into_iter().max_by_key(|d| d.sort_key());
    Ok(match newest {
        None => jiff::Timestamp::UNIX_EPOCH,
        Some(d) => match d.sort_key() {
            (_, Some(instant)) => instant,
            (date, None) => date
                .to_zoned(jiff::tz::TimeZone::UTC)
                .map(|z| z.timestamp())
                .unwrap_or(jiff::Timestamp::UNIX_EPOCH),
        },
    })
}

/// One file of the built site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    /// Its `/`-separated path in the site, e.g. `articles/x/index.html`.
    pub path: String,
    /// Its size in bytes.
    pub size: u64,
}

/// Every file under `dir` (a built site), sorted bytewise by path, leaving out hidden ones
/// (such as the build's `.dossier-manifest`). Reads names and sizes only.
pub fn list_files(dir: &Path) -> crate::Result<Vec<SiteFile>> {
    let mut files = Vec::new();
    let visible =
        |e: &walkdir::DirEntry| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.');
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().filter_entry(visible) {
        let entry = entry.with_context(|| format!("cannot list `{}`", dir.display()))?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(dir).unwrap_or(entry.path());
        let path =
            rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        let size = entry
            .metadata()
            .with_context(|| format!("cannot read `{}`", entry.path().display()))?
            .len();
        files.push(SiteFile { path, size });
    }
    files.sort_by(|a, b| a.path.as_bytes().cmp(b.path.as_bytes()));
    Ok(files)
}

/// The `Content-Type` a web server would send for `path`, by its extension.
pub fn content_type(path: &str) -> &'static str {
    let ext = path.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "atom" => "application/atom+xml",
        "rss" => "application/rss+xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "wasm" => "application/wasm",
        "txt" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    }
}

/// The URL of the site file `path` under `base_url` (which ends in `/`); characters that
/// cannot appear in a URL path are percent-encoded.
pub fn target_uri(base_url: &str, path: &str) -> String {
    use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
    const PATH: &AsciiSet = &CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'#')
        .add(b'<')
        .add(b'>')
        .add(b'?')
        .add(b'`')
        .add(b'{')
        .add(b'}')
        .add(b'%');
    format!("{base_url}{}", utf8_percent_encode(path, PATH))
}

/// For a directory index (`index.html`, `x/index.html`), the directory's own path (`""`,
/// `x/`), which is the URL people link to.
pub fn directory_of(path: &str) -> Option<&str> {
    if path == "index.html" {
        Some("")
    } else {
        path.strip_suffix("index.html").filter(|dir| dir.ends_with('/'))
    }
}

/// `sha256:<hex>` of `bytes`.
pub(crate) fn sha256_label(digest: &[u8]) -> String {
    format!("sha256:{}", hex(digest))
}

/// SHA-256 and size of a file, read in chunks.
pub(crate) fn hash_file(path: &Path) -> crate::Result<(String, u64)> {
    let mut file =
        std::fs::File::open(path).with_context(|| format!("cannot open `{}`", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    let mut n = 0u64;
    loop {
        let read = std::io::Read::read(&mut file, &mut buf)
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        if read == 0 {
            break;
        }
        hasher.update(&buf[..read]);
        n += read as u64;
    }
    Ok((sha256_label(&hasher.finalize()), n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(content_type("feed.xml"), "application/xml");
        assert_eq!(content_type("pagefind/x.pf_meta"), "application/octet-stream");
        assert_eq!(content_type("IMG.JPG"), "image/jpeg");
    }

    #[test]
    fn directory_urls() {
        assert_eq!(directory_of("index.html"), Some(""));
        assert_eq!(directory_of("articles/x/index.html"), Some("articles/x/"));
        assert_eq!(directory_of("articles/xindex.html"), None);
        assert_eq!(directory_of("style.css"), None);
    }

    #[test]
    fn target_uris_are_encoded() {
        assert_eq!(
            target_uri("https://e.org/d/", "a b/index.html"),
            "https://e.org/d/a%20b/index.html"
        );
        assert_eq!(target_uri("https://e.org/", "style.css"), "https://e.org/style.css");
    }

    #[test]
    fn the_timestamp_is_source_date_epoch_or_the_newest_date() {
        let d = |s: &str| s.parse::<crate::values::DateOrTime>().unwrap();
        let ts = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
        let dates = [d("2019-06-12T23:00:00+03:00"), d("2019-06-16"), d("2019-06-13")];
        assert_eq!(timestamp_from(None, dates).unwrap(), ts("2019-06-16T00:00:00Z"));
        let dates = [d("2019-06-16"), d("2019-06-16T11:12:00Z")];
        assert_eq!(timestamp_from(None, dates).unwrap(), ts("2019-06-16T11:12:00Z"));
        assert_eq!(timestamp_from(None, []).unwrap(), jiff::Timestamp::UNIX_EPOCH);
        assert_eq!(timestamp_from(Some("1700000000"), dates).unwrap(), ts("2023-11-14T22:13:20Z"));
        let err = timestamp_from(Some("1.5"), []).unwrap_err().to_string();
        assert!(err.starts_with("SOURCE_DATE_EPOCH=`1.5` is not a whole number"), "{err}");
    }

    #[test]
    fn timestamps_in_iso_and_cdx_form() {
        let ts = jiff::Timestamp::from_second(1_560_384_000).unwrap();
        let m = Metadata {
            title: String::new(),
            description: String::new(),
            base_url: "https://e.org/".into(),
            created: ts,
            software: String::new(),
            source_commit: None,
            organization: String::new(),
        };
        assert_eq!(m.iso_date(), "2019-06-13T00:00:00Z");
        assert_eq!(m.cdx_timestamp(), "20190613000000");
    }
}
