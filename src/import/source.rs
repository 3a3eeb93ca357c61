//! Finding the captured pages in a capture: a WARC (`.warc`, `.warc.gz`), a WACZ, or a saved
//! HTML page.
//!
//! A page is a `response` record with HTTP status 200 and an HTML body (or a `resource` record
//! of type `text/html`). Redirects (3xx with `Location`) are followed within the capture, and
//! the addresses that led to a page are kept with it. In a WACZ, only the pages its
//! `pages/pages.jsonl` lists (or that one of them redirects to) are pages. Every other record is
//! skipped, with the reason, for the summary. Input is bounded throughout (see [`super::warc`]);
//! a page over [`MAX_CONTENT_FILE`] is an error, as a content file that large is.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::Path;

use anyhow::{Context as _, bail};

use super::http::{self, BodyError};
use super::warc::{Sniffed, WarcReader, sniff};
use crate::content::load::MAX_CONTENT_FILE;

/// What kind of file a capture is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptureKind {
    /// A WARC, gzipped.
    WarcGz,
    /// A plain WARC.
    Warc,
    /// A WACZ.
    Wacz,
    /// A saved HTML page.
    Html,
}

impl CaptureKind {
    /// The extension its copy in `content/captures/` gets.
    pub fn extension(self) -> &'static str {
        match self {
            CaptureKind::WarcGz => "warc.gz",
            CaptureKind::Warc => "warc",
            CaptureKind::Wacz => "wacz",
            CaptureKind::Html => "html",
        }
    }
}

/// A captured HTML page.
#[derive(Debug, Clone)]
pub struct CapturedPage {
    /// Its address (after the redirects that led to it).
    pub url: String,
    /// The capture's date (`WARC-Date`, or a saved page's own record of it), as written.
    pub date: Option<String>,
    /// `WARC-Record-ID`.
    pub record: Option<String>,
    /// Where it is, for messages: `record 3 (<urn:uuid:…>) at byte 1234`, with the WARC's name
    /// inside a WACZ.
    pub place: String,
    /// The page's bytes, decoded.
    pub html: String,
    /// The addresses that redirected to it, first hop first.
    pub redirected_from: Vec<String>,
}

/// A record that is not imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The record and its address.
    pub what: String,
    /// Why.
    pub why: String,
}

/// What a capture holds.
#[derive(Debug, Default)]
pub struct Scan {
    /// Its pages, in record order.
    pub pages: Vec<CapturedPage>,
    /// Records skipped, with the reason.
    pub skipped: Vec<Skipped>,
    /// How many records of each other type (`request`, `warcinfo`, `metadata`…) it has.
    pub others: BTreeMap<String, usize>,
}

/// What a file is, from its first bytes and name.
pub fn kind_of(path: &Path) -> crate::Result<CaptureKind> {
    let mut head = [0u8; 8];
    let mut f =
        std::fs::File::open(path).with_context(|| format!("cannot open `{}`", path.display()))?;
    let n = f.read(&mut head).with_context(|| format!("cannot read `{}`", path.display()))?;
    let name =
        path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    Ok(match sniff(&head[..n]) {
        Sniffed::Gzip => CaptureKind::WarcGz,
        Sniffed::Warc => CaptureKind::Warc,
        Sniffed::Zip => CaptureKind::Wacz,
        Sniffed::Other if name.ends_with(".html") || name.ends_with(".htm") => CaptureKind::Html,
        Sniffed::Other => bail!(
            "`{}` is not a capture dossier reads: not a WARC (plain or gzipped), a WACZ or an \
             `.html`/`.htm` page\n  help: capture pages with `wget --warc-file=NAME URL`, \
             ArchiveWeb.page or Browsertrix (WACZ), or a browser's \"Save page as\" / SingleFile",
            path.display()
        ),
    })
}

/// Reads every record of a WARC stream. `pages`: only these addresses are pages (a WACZ's list).
pub fn scan_warc(
    reader: &mut WarcReader<'_>,
    within: &str,
    pages: Option<&BTreeSet<String>>,
) -> crate::Result<Scan> {
    let mut scan = Scan::default();
    let mut redirects: BTreeMap<String, String> = BTreeMap::new();
    let name = reader.name().to_string();
    while let Some(record) = reader.next_record()? {
        let kind = record.kind();
        let uri = record.target_uri().unwrap_or("").to_string();
        let place = format!("{within}{}", record.label());
        let what = if uri.is_empty() { place.clone() } else { format!("{place}, {uri}") };
        match kind.as_str() {
            "response" => {}
            "resource" => {
                let media = record.field("Content-Type").map(http::media_type).unwrap_or_default();
                if media != "text/html" && media != "application/xhtml+xml" {
                    reader.skip_rest()?;
                    scan.skipped
                        .push(Skipped { what, why: format!("not HTML ({})", shown_type(&media)) });
                    continue;
                }
                let bytes = read_page_block(reader, &name, &place, &uri, 0)?;
                let charset = record.field("Content-Type").and_then(http::charset);
                scan.pages.push(CapturedPage {
                    url: uri,
                    date: record.field("WARC-Date").map(str::to_string),
                    record: record.id().map(str::to_string),
                    place,
                    html: super::page::decode(&bytes, charset.as_deref()),
                    redirected_from: Vec::new(),
                });
                continue;
            }
            "revisit" => {
                reader.skip_rest()?;
                scan.skipped.push(Skipped {
                    what,
                    why: "a revisit record (the page did not change since an earlier capture)"
                        .into(),
                });
                continue;
            }
            other => {
                reader.skip_rest()?;
                *scan
                    .others
                    .entry(if other.is_empty() { "untyped".into() } else { other.to_string() })
                    .or_default() += 1;
                continue;
            }
        }
        let record_type = record.field("Content-Type").unwrap_or("");
        if !record_type.to_ascii_lowercase().starts_with("application/http") {
            reader.skip_rest()?;
            scan.skipped.push(Skipped {
                what,
                why: format!("not an HTTP response ({})", shown_type(record_type)),
            });
            continue;
        }
        let mut prefix = Vec::new();
        if let Err(e) = reader.block().take(http::MAX_HEAD as u64).read_to_end(&mut prefix) {
            return Err(reader.io_error("cannot read", &e));
        }
        let head = http::parse_head(&prefix).map_err(|why| {
            anyhow::anyhow!(
                "`{name}`: {place} ({uri}): the HTTP response head is broken: {why}\n  help: the \
                 capture is damaged or was not written by a web archiving tool; capture the page \
                 again"
            )
        })?;
        let media = head.media_type().unwrap_or_default();
        if (300..400).contains(&head.status)
            && let Some(location) = head.field("Location")
        {
            let target =
                url::Url::parse(&uri).and_then(|u| u.join(location.trim())).map(|u| u.to_string());
            reader.skip_rest()?;
            match target {
                Ok(target) => {
                    scan.skipped.push(Skipped {
                        what,
                        why: format!("a redirect ({}) to {target}", head.status),
                    });
                    redirects.insert(uri, target);
                }
                Err(_) => scan.skipped.push(Skipped {
                    what,
                    why: format!(
                        "a redirect ({}) to `{}`, which is not an address",
                        head.status,
                        location.escape_default()
                    ),
                }),
            }
            continue;
        }
        if head.status != 200 {
            reader.skip_rest()?;
            scan.skipped
                .push(Skipped { what, why: format!("HTTP status {}, not 200", head.status) });
            continue;
        }
        if media != "text/html" && media != "application/xhtml+xml" {
            reader.skip_rest()?;
            scan.skipped.push(Skipped { what, why: format!("not HTML ({})", shown_type(&media)) });
            continue;
        }
        let rest = read_page_block(reader, &name, &place, &uri, prefix.len())?;
        prefix.extend(rest);
        let body = match http::body(&head, &prefix, MAX_CONTENT_FILE) {
            Ok(body) => body,
            Err(BodyError::TooLarge) => bail!(too_large(&name, &place, &uri)),
            Err(BodyError::Unsupported(enc)) => {
                scan.skipped.push(Skipped {
                    what,
                    why: format!(
                        "its Content-Encoding `{}` is not one dossier decodes (gzip, deflate)",
                        enc.escape_default()
                    ),
                });
                continue;
            }
            Err(BodyError::Broken(why)) => bail!(
                "`{name}`: {place} ({uri}): {why}\n  help: the capture is damaged; capture the \
                    page again"
            ),
        };
        let charset = head.charset();
        scan.pages.push(CapturedPage {
            url: uri,
            date: record.field("WARC-Date").map(str::to_string),
            record: record.id().map(str::to_string),
            place,
            html: super::page::decode(&body, charset.as_deref()),
            redirected_from: Vec::new(),
        });
    }
    // Redirect chains that end on a page.
    for page in &mut scan.pages {
        let mut chain = Vec::new();
        let mut target = page.url.clone();
        for _ in 0..10 {
            let Some((from, _)) = redirects
                .iter()
                .find(|(from, to)| **to == target && !chain.contains(*from) && **from != page.url)
            else {
                break;
            };
            chain.insert(0, from.clone());
            target = from.clone();
        }
        page.redirected_from = chain;
    }
    if let Some(listed) = pages {
        let (kept, dropped): (Vec<_>, Vec<_>) =
            std::mem::take(&mut scan.pages).into_iter().partition(|p| {
                listed.contains(&p.url) || p.redirected_from.iter().any(|r| listed.contains(r))
            });
        scan.pages = kept;
        for p in dropped {
            scan.skipped.push(Skipped {
                what: format!("{}, {}", p.place, p.url),
                why: "HTML, but not a page in the WACZ's pages/pages.jsonl (a frame or a resource \
                    of another page)"
                    .into(),
            });
        }
    }
    Ok(scan)
}

fn shown_type(media: &str) -> String {
    if media.is_empty() { "no Content-Type".into() } else { media.escape_default().to_string() }
}

fn too_large(name: &str, place: &str, uri: &str) -> String {
    format!(
        "`{name}`: {place} ({uri}): the page is larger than {} MiB, the largest content file \
         dossier reads\n  help: capture a lighter version of the page (its AMP or print \
         edition), or transcribe it with `dossier new article --kind full-text`",
        MAX_CONTENT_FILE >> 20
    )
}

/// Reads the rest of a page's block, refusing one over the size limit (its head is `already`
/// bytes, read before).
fn read_page_block(
    reader: &mut WarcReader<'_>,
    name: &str,
    place: &str,
    uri: &str,
    already: usize,
) -> crate::Result<Vec<u8>> {
    let limit = MAX_CONTENT_FILE + http::MAX_HEAD as u64;
    match reader.read_block(limit.saturating_sub(already as u64))? {
        Ok(bytes) => Ok(bytes),
        Err(_) => bail!(too_large(name, place, uri)),
    }
}

/// The pages of a WARC file.
pub fn scan_warc_file(path: &Path, name: &str) -> crate::Result<Scan> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open `{}`", path.display()))?;
    let mut reader =
        WarcReader::new(file, name).with_context(|| format!("cannot read `{}`", path.display()))?;
    scan_warc(&mut reader, "", None)
}

/// The largest `pages/pages.jsonl` read.
const MAX_PAGE_LIST: u64 = 64 << 20;

/// The names of a WACZ's entries, refusing names that would leave the archive's directory.
pub fn wacz_names(
    archive: &zip::ZipArchive<std::fs::File>,
    name: &str,
) -> crate::Result<Vec<String>> {
    let mut names: Vec<String> = Vec::new();
    for entry in archive.file_names() {
        let entry = entry
            .map_err(|e| anyhow::anyhow!("`{name}` has an entry whose name cannot be read: {e}"))?;
        let escapes = entry.starts_with('/')
            || entry.contains('\\')
            || entry.contains('\0')
            || entry.split('/').any(|seg| seg == "..")
            || entry.as_bytes().get(1) == Some(&b':');
        if escapes {
            bail!(
                "`{name}` has an entry named `{}`, which leaves the archive's directory: the WACZ \
                 is damaged or hostile, and nothing was imported from it\n  help: make the WACZ \
                 again with the tool that captured the pages",
                entry.escape_default()
            );
        }
        names.push(entry.to_string());
    }
    names.sort();
    Ok(names)
}

/// The pages of a WACZ: its `archive/*.warc.gz` read as WARCs, pages as `pages/pages.jsonl` lists.
pub fn scan_wacz(path: &Path, name: &str) -> crate::Result<Scan> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open `{}`", path.display()))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| {
        anyhow::anyhow!(
            "`{name}` is not a readable WACZ (ZIP): {e}\n  help: the file is damaged \
            or cut short; copy or make it again"
        )
    })?;
    let names = wacz_names(&archive, name)?;
    let mut listed = BTreeSet::new();
    if names.iter().any(|n| n == "pages/pages.jsonl") {
        let mut text = String::new();
        let entry = archive
            .by_name("pages/pages.jsonl")
            .map_err(|e| anyhow::anyhow!("`{name}`: cannot read pages/pages.jsonl: {e}"))?;
        entry
            .take(MAX_PAGE_LIST)
            .read_to_string(&mut text)
            .map_err(|e| anyhow::anyhow!("`{name}`: cannot read pages/pages.jsonl: {e}"))?;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            if let Ok(serde_json::Value::Object(map)) = serde_json::from_str(line)
                && let Some(url) = map.get("url").and_then(|u| u.as_str())
            {
                listed.insert(url.to_string());
            }
        }
    } else {
        bail!(
            "`{name}` has no pages/pages.jsonl, so which records are pages is not known\n  help: a \
                WACZ from ArchiveWeb.page, Browsertrix or `dossier snapshot` has one; for a bare \
                WARC, import the WARC itself"
        );
    }
    let mut scan = Scan::default();
    let warcs: Vec<&String> = names
        .iter()
        .filter(|n| n.starts_with("archive/") && (n.ends_with(".warc.gz") || n.ends_with(".warc")))
        .collect();
    if warcs.is_empty() {
        bail!("`{name}` has no WARC files under archive/: it is not a WACZ, or an empty one");
    }
    for warc in warcs {
        let entry = archive
            .by_name(warc)
            .map_err(|e| anyhow::anyhow!("`{name}`: cannot read {warc}: {e}"))?;
        let declared = entry.size();
        let compressed = entry.compressed_size();
        if declared > super::warc::INFLATE_FLOOR
            && declared > super::warc::MAX_INFLATE_RATIO.saturating_mul(compressed)
        {
            bail!(
                "`{name}`: {warc} would inflate from {compressed} to {declared} bytes: a \
                    decompression bomb, or not a WACZ; nothing was imported"
            );
        }
        let mut reader = WarcReader::new(entry.take(declared), &format!("{name} › {warc}"))
            .map_err(|e| anyhow::anyhow!("`{name}`: cannot read {warc}: {e}"))?;
        let part = scan_warc(&mut reader, &format!("{warc}: "), Some(&listed))?;
        scan.pages.extend(part.pages);
        scan.skipped.extend(part.skipped);
        for (k, v) in part.others {
            *scan.others.entry(k).or_default() += v;
        }
    }
    Ok(scan)
}

/// A saved HTML page: its one page, at the address `url`.
pub fn scan_html(path: &Path, name: &str) -> crate::Result<CapturedPage> {
    let size =
        std::fs::metadata(path).with_context(|| format!("cannot read `{}`", path.display()))?.len();
    if size > MAX_CONTENT_FILE {
        bail!(
            "`{name}` is {:.1} MiB; dossier imports pages of at most {} MiB\n  help: save the page \
                without its images (SingleFile can leave them out), or transcribe it with `dossier \
                new article --kind full-text`",
            size as f64 / f64::from(1 << 20),
            MAX_CONTENT_FILE >> 20
        );
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    Ok(CapturedPage {
        url: String::new(),
        date: None,
        record: None,
        place: "the saved page".into(),
        html: super::page::decode(&bytes, None),
        redirected_from: Vec::new(),
    })
}
