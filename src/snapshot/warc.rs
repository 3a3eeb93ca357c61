//! WARC/1.1 writing: each record its own gzip member (so a reader can seek to any record by
//! its offset), with fixed gzip headers (mtime 0, unknown OS) so the bytes are reproducible.
//!
//! [`write_site`] writes a whole built site: `warcinfo`, then a `response` per file (an HTTP
//! 200 with `Content-Type` and `Content-Length`), then after each directory index a `revisit`
//! for the directory's URL. Digests are `sha256:<hex>`; record ids are `urn:uuid`s made from a
//! hash of the record's type, URL, date and payload digest, never random. Each file is read
//! twice (once to hash, once to copy) and never held whole in memory.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

use anyhow::Context as _;
use flate2::{Compression, GzBuilder};
use sha2::{Digest, Sha256};

use super::{Metadata, SiteFile, content_type, directory_of, sha256_label, target_uri};

/// Where one record lies in the `.warc.gz`, and what it holds: a CDXJ line's worth.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordRef {
    /// `WARC-Target-URI`.
    pub uri: String,
    /// The HTTP `Content-Type`, or `warc/revisit`.
    pub mime: String,
    /// The HTTP status (200; a revisit repeats its original's).
    pub status: u16,
    /// `WARC-Payload-Digest` (`sha256:<hex>`).
    pub digest: String,
    /// Byte offset of the record's gzip member in the file.
    pub offset: u64,
    /// Length of that gzip member.
    pub length: u64,
    /// The site file it serves (a revisit: its original's).
    pub path: String,
    /// Whether it is a `revisit` record.
    pub revisit: bool,
}

/// Counts what passes through to the inner writer (also used by [`super::captures`]).
pub(super) struct Counting<W> {
    pub(super) inner: W,
    pub(super) written: u64,
}

impl<W: Write> Write for Counting<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// A WARC/1.1 writer: one gzip member per record.
pub struct WarcWriter<W: Write> {
    out: Counting<W>,
    date: String,
}

impl<W: Write> WarcWriter<W> {
    /// A writer whose records are all dated `date` (`2019-06-13T00:00:00Z`).
    pub fn new(out: W, date: &str) -> Self {
        WarcWriter { out: Counting { inner: out, written: 0 }, date: date.to_owned() }
    }

    /// Writes one record: the `WARC/1.1` line, `WARC-Type`, `WARC-Record-ID`, `WARC-Date`,
    /// then `headers`, `Content-Length: block_len`, a blank line, the block (written by
    /// `block`, which must write exactly `block_len` bytes) and the closing two CRLFs.
    /// Returns the gzip member's offset and length.
    pub fn record(
        &mut self,
        kind: &str,
        id_seed: &str,
        headers: &[(&str, &str)],
        block_len: u64,
        block: impl FnOnce(&mut dyn Write) -> io::Result<u64>,
    ) -> io::Result<(u64, u64)> {
        let offset = self.out.written;
        let mut gz = GzBuilder::new()
            .mtime(0)
            .operating_system(255)
            .write(&mut self.out, Compression::default());
        let id = record_id(&format!("{kind}\n{}\n{id_seed}", self.date));
        write!(
            gz,
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: {id}\r\nWARC-Date: {}\r\n",
            self.date
        )?;
        for (name, value) in headers {
            write!(gz, "{name}: {}\r\n", one_line(value))?;
        }
        write!(gz, "Content-Length: {block_len}\r\n\r\n")?;
        let written = block(&mut gz)?;
        if written != block_len {
            return Err(io::Error::other(format!(
                "a record's block was {written} bytes, not the {block_len} announced (did a file \
                    change during the snapshot?)"
            )));
        }
        gz.write_all(b"\r\n\r\n")?;
        gz.finish()?;
        Ok((offset, self.out.written - offset))
    }

    /// Bytes written so far.
    pub fn position(&self) -> u64 {
        self.out.written
    }

    /// The inner writer, flushed.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out.inner)
    }
}

/// A `urn:uuid` (version 8, RFC 9562 variant) made from the SHA-256 of `seed`.
pub fn record_id(seed: &str) -> String {
    let d = Sha256::digest(seed.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = super::hex(&b);
    format!("<urn:uuid:{}-{}-{}-{}-{}>", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

/// Header values are one line: line breaks become spaces.
fn one_line(value: &str) -> String {
    value.replace(['\r', '\n'], " ")
}

/// The `warcinfo` record's block (`application/warc-fields`).
pub fn warcinfo_fields(meta: &Metadata) -> String {
    let mut fields = format!(
        "software: {}\r\nformat: WARC File Format 1.1\r\nconformsTo: \
            https://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\ntitle: {}\r\n",
        one_line(&meta.software),
        one_line(&meta.title),
    );
    if !meta.description.is_empty() {
        fields.push_str(&format!("description: {}\r\n", one_line(&meta.description)));
    }
    fields.push_str(&format!("isPartOf: {}\r\n", one_line(&meta.base_url)));
    if let Some(commit) = &meta.source_commit {
        fields.push_str(&format!("source-commit: {}\r\n", one_line(commit)));
    }
    fields
}

/// The HTTP response head a server would send before `path`'s `size` bytes.
pub fn http_head(path: &str, size: u64) -> String {
    format!(
        "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {size}\r\n\r\n",
        content_type(path)
    )
}

/// Writes the site in `dir` (its files listed in `files`, sorted) as a WARC to `out`; returns
/// every record but the `warcinfo`, in file order.
pub fn write_site<W: Write>(
    dir: &Path,
    files: &[SiteFile],
    meta: &Metadata,
    out: W,
) -> crate::Result<(W, Vec<RecordRef>)> {
    let date = meta.iso_date();
    let mut warc = WarcWriter::new(out, &date);
    let info = warcinfo_fields(meta);
    let info_digest = sha256_label(&Sha256::digest(info.as_bytes()));
    warc.record(
        "warcinfo",
        &info_digest,
        &[
            ("WARC-Filename", "data.warc.gz"),
            ("Content-Type", "application/warc-fields"),
            ("WARC-Block-Digest", &info_digest),
        ],
        info.len() as u64,
        |w| w.write_all(info.as_bytes()).map(|()| info.len() as u64),
    )
    .context("cannot write the warcinfo record")?;

    let mut refs = Vec::with_capacity(files.len() + files.len() / 2);
    for file in files {
        let path = dir.join(&file.path);
        let uri = target_uri(&meta.base_url, &file.path);
        let head = http_head(&file.path, file.size);
        // Pass 1: the digests.
        let mut payload = Sha256::new();
        let mut block = Sha256::new();
        block.update(head.as_bytes());
        let mut f =
            File::open(&path).with_context(|| format!("cannot open `{}`", path.display()))?;
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            let n = io::Read::read(&mut f, &mut buf)
                .with_context(|| format!("cannot read `{}`", path.display()))?;
            if n == 0 {
                break;
            }
            payload.update(&buf[..n]);
            block.update(&buf[..n]);
        }
        let payload_digest = sha256_label(&payload.finalize());
        let block_digest = sha256_label(&block.finalize());
        // Pass 2: the record.
        let mut f =
            File::open(&path).with_context(|| format!("cannot open `{}`", path.display()))?;
        let (offset, length) = warc
            .record(
                "response",
                &format!("{uri}\n{payload_digest}"),
                &[
                    ("WARC-Target-URI", &uri),
                    ("Content-Type", "application/http;msgtype=response"),
                    ("WARC-Payload-Digest", &payload_digest),
                    ("WARC-Block-Digest", &block_digest),
                ],
                head.len() as u64 + file.size,
                |w| {
                    w.write_all(head.as_bytes())?;
                    Ok(head.len() as u64 + io::copy(&mut f, w)?)
                },
            )
            .with_context(|| format!("cannot write the record of `{}`", file.path))?;
        let mime = content_type(&file.path).split(';').next().unwrap_or_default().to_owned();
        refs.push(RecordRef {
            uri: uri.clone(),
            mime,
            status: 200,
            digest: payload_digest.clone(),
            offset,
            length,
            path: file.path.clone(),
            revisit: false,
        });
        if let Some(dir_path) = directory_of(&file.path) {
            let dir_uri = target_uri(&meta.base_url, dir_path);
            let revisit_head = http_head(&file.path, file.size);
            let revisit_digest = sha256_label(&Sha256::digest(revisit_head.as_bytes()));
            let (offset, length) = warc
                .record(
                    "revisit",
                    &format!("{dir_uri}\n{payload_digest}"),
                    &[
                        ("WARC-Target-URI", &dir_uri),
                        (
                            "WARC-Profile",
                            "http://netpreserve.org/warc/1.1/revisit/identical-payload-digest",
                        ),
                        ("WARC-Refers-To-Target-URI", &uri),
                        ("WARC-Refers-To-Date", &date),
                        ("Content-Type", "application/http;msgtype=response"),
                        ("WARC-Payload-Digest", &payload_digest),
                        ("WARC-Block-Digest", &revisit_digest),
                    ],
                    revisit_head.len() as u64,
                    |w| w.write_all(revisit_head.as_bytes()).map(|()| revisit_head.len() as u64),
                )
                .with_context(|| format!("cannot write the revisit record of `{dir_uri}`"))?;
            refs.push(RecordRef {
                uri: dir_uri,
                mime: "warc/revisit".to_owned(),
                status: 200,
                digest: payload_digest,
                offset,
                length,
                path: file.path.clone(),
                revisit: true,
            });
        }
    }
    let out = warc.finish().context("cannot finish the WARC file")?;
    Ok((out, refs))
}

/// Writes the site as a `.warc.gz` at `out` (through a temporary file beside it); returns the
/// number of records and the file's size. The file gets the mode a plain `File::create` gives
/// (0666 less the umask), as the WACZ and the bag do, not a temporary file's 0600.
pub fn write_file(
    dir: &Path,
    files: &[SiteFile],
    meta: &Metadata,
    out: &Path,
) -> crate::Result<(usize, u64)> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut builder = tempfile::Builder::new();
    builder.prefix(".dossier-snapshot-").suffix(".warc.gz");
    // The mode is passed to open(2), which applies the umask to it.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let tmp = builder
        .tempfile_in(parent)
        .with_context(|| format!("cannot create a temporary file in `{}`", parent.display()))?;
    let (writer, records) = write_site(dir, files, meta, io::BufWriter::new(tmp))?;
    let tmp =
        writer.into_inner().map_err(|e| e.into_error()).context("cannot write the WARC file")?;
    let bytes = tmp.as_file().metadata()?.len();
    tmp.persist(out).with_context(|| format!("cannot move the WARC to `{}`", out.display()))?;
    Ok((records.len() + 1, bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read as _;

    #[test]
    fn each_record_is_its_own_gzip_member() {
        let mut w = WarcWriter::new(Vec::new(), "2019-06-13T00:00:00Z");
        let (o1, l1) =
            w.record("resource", "a", &[], 3, |w| w.write_all(b"abc").map(|()| 3)).unwrap();
        let (o2, l2) =
            w.record("resource", "b", &[], 2, |w| w.write_all(b"de").map(|()| 2)).unwrap();
        let bytes = w.finish().unwrap();
        assert_eq!((o1, o2, o2 + l2), (0, l1, bytes.len() as u64));
        let mut text = String::new();
        flate2::read::GzDecoder::new(&bytes[o2 as usize..]).read_to_string(&mut text).unwrap();
        assert!(
            text.starts_with("WARC/1.1\r\nWARC-Type: resource\r\nWARC-Record-ID: <urn:uuid:"),
            "{text}"
        );
        assert!(text.ends_with("Content-Length: 2\r\n\r\nde\r\n\r\n"), "{text}");
        // Fixed gzip header: magic, deflate, no flags, mtime 0, OS 255.
        assert_eq!(&bytes[..4], &[0x1f, 0x8b, 8, 0]);
        assert_eq!(&bytes[4..8], &[0, 0, 0, 0]);
        assert_eq!(bytes[9], 255);
    }

    #[test]
    fn a_short_block_is_an_error() {
        let mut w = WarcWriter::new(Vec::new(), "2019-06-13T00:00:00Z");
        let err =
            w.record("resource", "a", &[], 5, |w| w.write_all(b"abc").map(|()| 3)).unwrap_err();
        assert!(err.to_string().contains("3 bytes, not the 5 announced"), "{err}");
    }

    #[test]
    fn record_ids_are_uuids_from_content() {
        let id = record_id("x");
        assert_eq!(id, record_id("x"));
        assert_ne!(id, record_id("y"));
        assert_eq!(id.len(), "<urn:uuid:>".len() + 36);
        assert_eq!(&id[24..25], "8", "{id}");
    }
}
