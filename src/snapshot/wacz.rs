//! WACZ 1.1.1 (<https://specs.webrecorder.net/wacz/1.1.1/>): a ZIP holding the WARC
//! (`archive/data.warc.gz`), its CDXJ index (`indexes/index.cdx`), the page list with each
//! page's title and text (`pages/pages.jsonl`, for a replay player's full-text search),
//! `datapackage.json` (every entry's SHA-256 and size) and `datapackage-digest.json` (the
//! SHA-256 of `datapackage.json`). Entries are STORED (the WARC is gzipped already, and a
//! replay player reads records by offset), in bytewise order, dated 1980-01-01 with mode 0644.
//!
//! The parts are written to a temporary directory beside the output and copied into the ZIP
//! in chunks; the finished file is renamed into place, so a failure leaves no half-written
//! snapshot.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::Context as _;
use serde::Serialize;
use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use super::{Metadata, SiteFile, cdxj, hash_file, sha256_label, warc};

/// The WACZ version written.
pub const WACZ_VERSION: &str = "1.1.1";

/// What a WACZ holds, for the command's summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaczSummary {
    /// Records in the WARC, `warcinfo` included.
    pub records: usize,
    /// Pages in `pages/pages.jsonl`.
    pub pages: usize,
    /// Size of `archive/data.warc.gz`.
    pub warc_bytes: u64,
    /// Size of the WACZ file.
    pub bytes: u64,
}

/// A line of `pages/pages.jsonl`.
#[derive(Serialize)]
struct PageLine<'a> {
    url: &'a str,
    ts: &'a str,
    title: &'a str,
    text: &'a str,
}

#[derive(Serialize)]
struct Resource {
    name: String,
    path: String,
    hash: String,
    bytes: u64,
}

#[derive(Serialize)]
struct DataPackage<'a> {
    profile: &'a str,
    wacz_version: &'a str,
    title: &'a str,
    description: &'a str,
    created: &'a str,
    software: &'a str,
    #[serde(rename = "mainPageURL")]
    main_page_url: &'a str,
    #[serde(rename = "mainPageDate")]
    main_page_date: &'a str,
    #[serde(rename = "sourceCommit", skip_serializing_if = "Option::is_none")]
    source_commit: Option<&'a str>,
    resources: Vec<Resource>,
}

/// An HTML page's `<title>` and its visible text (scripts, styles and templates left out),
/// whitespace collapsed.
pub fn title_and_text(html: &str) -> (String, String) {
    let doc = scraper::Html::parse_document(html);
    let title = scraper::Selector::parse("title")
        .ok()
        .and_then(|sel| doc.select(&sel).next().map(|t| t.text().collect::<String>()))
        .unwrap_or_default();
    let body = scraper::Selector::parse("body").ok().and_then(|sel| doc.select(&sel).next());
    let mut words: Vec<&str> = Vec::new();
    if let Some(body) = body {
        for node in body.descendants() {
            let Some(text) = node.value().as_text() else { continue };
            let hidden = node.ancestors().any(|a| {
                a.value().as_element().is_some_and(|e| {
                    matches!(e.name(), "script" | "style" | "noscript" | "template")
                })
            });
            if !hidden {
                words.extend(text.split_whitespace());
            }
        }
    }
    (title.split_whitespace().collect::<Vec<_>>().join(" "), words.join(" "))
}

/// Writes the site in `dir` (its files listed in `files`) as a WACZ at `out`.
pub fn write(
    dir: &Path,
    files: &[SiteFile],
    meta: &Metadata,
    out: &Path,
) -> crate::Result<WaczSummary> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp =
        tempfile::Builder::new().prefix(".dossier-snapshot-").tempdir_in(parent).with_context(
            || format!("cannot create a temporary directory in `{}`", parent.display()),
        )?;

    // archive/data.warc.gz
    let warc_path = tmp.path().join("data.warc.gz");
    let warc_file = File::create(&warc_path)
        .with_context(|| format!("cannot create `{}`", warc_path.display()))?;
    let (writer, records) = warc::write_site(dir, files, meta, BufWriter::new(warc_file))?;
    writer.into_inner().map_err(|e| e.into_error()).context("cannot write the WARC file")?;

    // The captures' own records (src/snapshot/captures.rs).
    let mut captured = Vec::new();
    for f in files.iter().filter(|f| super::captures::is_capture(&f.path)) {
        captured.push(super::captures::reframe(dir, &f.path, tmp.path())?);
    }

    // indexes/index.cdx
    let cdx_path = tmp.path().join("index.cdx");
    let site_index = cdxj::index(&records, &meta.cdx_timestamp(), "data.warc.gz");
    let mut lines: Vec<&str> = site_index.split_inclusive('\n').collect();
    lines.extend(captured.iter().flat_map(|c| c.cdxj.iter().map(String::as_str)));
    lines.sort_unstable_by(|a, b| a.as_bytes().cmp(b.as_bytes()));
    std::fs::write(&cdx_path, lines.concat()).context("cannot write the CDXJ index")?;

    // pages/pages.jsonl
    let ts = meta.iso_date();
    let pages_path = tmp.path().join("pages.jsonl");
    let mut pages =
        BufWriter::new(File::create(&pages_path).context("cannot create the page list")?);
    pages
        .write_all(b"{\"format\":\"json-pages-1.0\",\"id\":\"pages\",\"title\":\"All Pages\"}\n")?;
    let mut page_count = 0;
    for r in records.iter().filter(|r| !r.revisit && r.mime == "text/html") {
        let path = dir.join(&r.path);
        let html =
            std::fs::read(&path).with_context(|| format!("cannot read `{}`", path.display()))?;
        let (title, text) = title_and_text(&String::from_utf8_lossy(&html));
        let line = PageLine { url: &r.uri, ts: &ts, title: &title, text: &text };
        serde_json::to_writer(&mut pages, &line)?;
        pages.write_all(b"\n")?;
        page_count += 1;
    }
    for (url, date, title) in captured.iter().flat_map(|c| &c.pages) {
        let line = PageLine { url, ts: date, title, text: "" };
        serde_json::to_writer(&mut pages, &line)?;
        pages.write_all(b"\n")?;
        page_count += 1;
    }
    pages.into_inner().map_err(|e| e.into_error()).context("cannot write the page list")?;

    // datapackage.json
    let mut resources = Vec::new();
    let mut warc_bytes = 0;
    let mut parts: Vec<(&str, &Path)> = vec![
        ("archive/data.warc.gz", &warc_path),
        ("indexes/index.cdx", &cdx_path),
        ("pages/pages.jsonl", &pages_path),
    ];
    parts.extend(captured.iter().map(|c| (c.entry.as_str(), c.path.as_path())));
    parts.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    for (entry, file) in parts {
        let (hash, bytes) = hash_file(file)?;
        if entry == "archive/data.warc.gz" {
            warc_bytes = bytes;
        }
        let name = entry.rsplit('/').next().unwrap_or(entry).to_owned();
        resources.push(Resource { name, path: entry.to_owned(), hash, bytes });
    }
    let main_page = super::target_uri(&meta.base_url, "index.html");
    let package = DataPackage {
        profile: "data-package",
        wacz_version: WACZ_VERSION,
        title: &meta.title,
        description: &meta.description,
        created: &ts,
        software: &meta.software,
        main_page_url: &main_page,
        main_page_date: &ts,
        source_commit: meta.source_commit.as_deref(),
        resources,
    };
    let mut package_json = serde_json::to_vec_pretty(&package)?;
    package_json.push(b'\n');
    let digest = serde_json::json!({
        "path": "datapackage.json",
        "hash": sha256_label(&Sha256::digest(&package_json)),
    });
    let mut digest_json = serde_json::to_vec_pretty(&digest)?;
    digest_json.push(b'\n');

    // The ZIP, entries in bytewise order.
    let zip_path = tmp.path().join("out.wacz");
    let zip_file = File::create(&zip_path).context("cannot create the WACZ file")?;
    let mut zip = ZipWriter::new(BufWriter::new(zip_file));
    let options = |size: u64| {
        SimpleFileOptions::default()
            .compression_method(CompressionMethod::Stored)
            .last_modified_time(DateTime::default())
            .unix_permissions(0o644)
            .large_file(size >= u64::from(u32::MAX))
    };
    enum Part<'a> {
        File(&'a Path),
        Bytes(&'a [u8]),
    }
    let mut entries = vec![
        ("archive/data.warc.gz", Part::File(&warc_path)),
        ("datapackage-digest.json", Part::Bytes(&digest_json)),
        ("datapackage.json", Part::Bytes(&package_json)),
        ("indexes/index.cdx", Part::File(&cdx_path)),
        ("pages/pages.jsonl", Part::File(&pages_path)),
    ];
    entries.extend(captured.iter().map(|c| (c.entry.as_str(), Part::File(&c.path))));
    entries.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    for (name, part) in entries {
        match part {
            Part::File(path) => {
                let mut f = File::open(path)
                    .with_context(|| format!("cannot open `{}`", path.display()))?;
                let size = f.metadata()?.len();
                zip.start_file(name, options(size))?;
                std::io::copy(&mut f, &mut zip)
                    .with_context(|| format!("cannot write `{name}` into the WACZ"))?;
            }
            Part::Bytes(bytes) => {
                zip.start_file(name, options(bytes.len() as u64))?;
                zip.write_all(bytes)?;
            }
        }
    }
    let writer = zip.finish().context("cannot finish the WACZ file")?;
    writer.into_inner().map_err(|e| e.into_error()).context("cannot write the WACZ file")?;
    let bytes = std::fs::metadata(&zip_path)?.len();
    std::fs::rename(&zip_path, out)
        .with_context(|| format!("cannot move the WACZ to `{}`", out.display()))?;
    let capture_records: usize = captured.iter().map(|c| c.records).sum();
    Ok(WaczSummary {
        records: records.len() + 1 + capture_records,
        pages: page_count,
        warc_bytes,
        bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_text_leaves_out_scripts_and_styles() {
        let (title, text) = title_and_text(
            "<html><head><title> Idlib \n truce </title><style>p{}</style></head>\
             <body><h1>Talks</h1><script>var x;</script><p>in  Sochi</p><noscript>js</noscript></body></html>",
        );
        assert_eq!(title, "Idlib truce");
        assert_eq!(text, "Talks in Sochi");
    }
}
