//! The captures an article was imported from (`captures/*.warc`, `*.warc.gz`, `*.wacz` in the
//! built site, see [`crate::content::capture`]) as WARCs of their own inside a WACZ, so a replay
//! engine shows the dossier's page and, at its original address, the page it came from.
//!
//! Each record is copied byte for byte (head and block) into its own gzip member of
//! `archive/capture-<hash>.warc.gz`, whatever the capture's framing was (a plain WARC, one gzip
//! stream, a WACZ's WARCs), so a player can read it by offset; the CDXJ index gets a line for each
//! `response`, `revisit` and `resource` record, dated by its own `WARC-Date`, and the page list
//! each captured HTML page. Records are read with [`crate::import::warc`], bounded as there.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::Context as _;
use flate2::{Compression, GzBuilder};

use super::warc::Counting;
use crate::import::http;
use crate::import::warc::WarcReader;

/// One capture, re-framed as a WARC file for the WACZ.
#[derive(Debug)]
pub struct CaptureWarc {
    /// Its name in the WACZ: `archive/capture-<hash>.warc.gz`.
    pub entry: String,
    /// The file written (in the snapshot's temporary directory).
    pub path: PathBuf,
    /// Its CDXJ lines (unsorted, each ending in `\n`).
    pub cdxj: Vec<String>,
    /// Its HTML pages: address, capture date (ISO) and title (the address when the page's
    /// `<title>` is not in its first 64 KiB).
    pub pages: Vec<(String, String, String)>,
    /// Records written.
    pub records: usize,
}

/// Whether a site file is a capture whose records go into a WACZ.
pub fn is_capture(path: &str) -> bool {
    path.starts_with("captures/")
        && (path.ends_with(".warc") || path.ends_with(".warc.gz") || path.ends_with(".wacz"))
}

/// Re-frames the capture `site_path` (a file of the built site in `dir`) into `tmp`.
pub fn reframe(dir: &Path, site_path: &str, tmp: &Path) -> crate::Result<CaptureWarc> {
    let stem = site_path.rsplit('/').next().unwrap_or(site_path);
    let hash: String = stem
        .trim_start_matches("sha256-")
        .chars()
        .filter(char::is_ascii_hexdigit)
        .take(16)
        .collect();
    let entry = format!("archive/capture-{hash}.warc.gz");
    let path = tmp.join(format!("capture-{hash}.warc.gz"));
    let file = std::fs::File::create(&path)
        .with_context(|| format!("cannot create `{}`", path.display()))?;
    let mut out = Counting { inner: io::BufWriter::new(file), written: 0 };
    let mut result = CaptureWarc {
        entry: entry.clone(),
        path: path.clone(),
        cdxj: Vec::new(),
        pages: Vec::new(),
        records: 0,
    };
    let source = dir.join(site_path);
    let shown = format!("captures/{stem}");
    if site_path.ends_with(".wacz") {
        let f = std::fs::File::open(&source)
            .with_context(|| format!("cannot open `{}`", source.display()))?;
        let mut archive =
            zip::ZipArchive::new(f).with_context(|| format!("`{shown}` is not a readable WACZ"))?;
        let names = crate::import::source::wacz_names(&archive, &shown)?;
        for name in names.iter().filter(|n| {
            n.starts_with("archive/") && (n.ends_with(".warc.gz") || n.ends_with(".warc"))
        }) {
            let zipped =
                archive.by_name(name).with_context(|| format!("`{shown}`: cannot read {name}"))?;
            let size = zipped.size();
            let mut reader = WarcReader::new(zipped.take(size), &format!("{shown} › {name}"))?;
            copy_records(&mut reader, &mut out, &entry, &mut result)?;
        }
    } else {
        let f = std::fs::File::open(&source)
            .with_context(|| format!("cannot open `{}`", source.display()))?;
        let mut reader = WarcReader::new(f, &shown)?;
        copy_records(&mut reader, &mut out, &entry, &mut result)?;
    }
    out.inner.flush().with_context(|| format!("cannot write `{}`", path.display()))?;
    Ok(result)
}

/// `2019-06-13T12:00:00Z` (or with a fraction) as `20190613120000`.
fn cdx_timestamp(date: &str) -> String {
    date.chars().filter(char::is_ascii_digit).take(14).collect()
}

fn copy_records<W: Write>(
    reader: &mut WarcReader<'_>,
    out: &mut Counting<W>,
    entry: &str,
    result: &mut CaptureWarc,
) -> crate::Result<()> {
    let filename = entry.trim_start_matches("archive/");
    while let Some(record) = reader.next_record()? {
        let offset = out.written;
        let mut prefix = Vec::new();
        reader
            .block()
            .take(http::MAX_HEAD as u64)
            .read_to_end(&mut prefix)
            .with_context(|| format!("cannot read {}", record.label()))?;
        {
            let mut gz = GzBuilder::new()
                .mtime(0)
                .operating_system(255)
                .write(&mut *out, Compression::default());
            gz.write_all(&record.head)?;
            gz.write_all(&prefix)?;
            io::copy(&mut reader.block(), &mut gz)
                .with_context(|| format!("cannot read {}", record.label()))?;
            gz.write_all(b"\r\n\r\n")?;
            gz.finish()?;
        }
        result.records += 1;
        let length = out.written - offset;
        let kind = record.kind();
        let Some(uri) = record.target_uri().map(str::to_string) else { continue };
        let date = record.field("WARC-Date").unwrap_or("").to_string();
        let (mime, status) = match kind.as_str() {
            "response" => match http::parse_head(&prefix) {
                Ok(head) => (head.media_type().unwrap_or_else(|| "unk".into()), head.status),
                Err(_) => continue,
            },
            "revisit" => {
                ("warc/revisit".to_string(), http::parse_head(&prefix).map_or(200, |h| h.status))
            }
            "resource" => {
                (record.field("Content-Type").map(http::media_type).unwrap_or_default(), 200)
            }
            _ => continue,
        };
        if status == 200
            && kind != "revisit"
            && (mime == "text/html" || mime == "application/xhtml+xml")
        {
            let title = http::parse_head(&prefix)
                .ok()
                .map(|h| {
                    super::wacz::title_and_text(&String::from_utf8_lossy(
                        &prefix[h.body_start.min(prefix.len())..],
                    ))
                    .0
                })
                .filter(|t| !t.is_empty())
                .unwrap_or_else(|| uri.clone());
            result.pages.push((uri.clone(), date.clone(), title));
        }
        let digest = record.field("WARC-Payload-Digest").unwrap_or("").to_string();
        result.cdxj.push(super::cdxj::line(
            &uri,
            &cdx_timestamp(&date),
            &mime,
            status,
            &digest,
            offset,
            length,
            filename,
        ));
    }
    Ok(())
}
