//! Reading WARC files (ISO 28500, versions 1.0 and 1.1), plain or gzipped, record by record.
//!
//! The mirror of [`crate::snapshot::warc`]: a record is the `WARC/1.x` line, named fields up to
//! a blank line, a block of exactly `Content-Length` bytes and two line breaks. A `.warc.gz` is a
//! series of gzip members (one per record, as archive tools write them, or one for the whole
//! file, as some scripts do); both read the same, since members are decoded as one stream.
//!
//! Everything is bounded, because a capture is input from outside: a record's head is at most
//! [`MAX_HEAD`] bytes, a block is read only as far as the caller asks (the rest is skipped, never
//! held), and gzip data that inflates more than [`MAX_INFLATE_RATIO`] times (past the first
//! [`INFLATE_FLOOR`] bytes) is refused as a decompression bomb. Errors name the capture, the
//! record's number, its `WARC-Record-ID` when known and its offset in the uncompressed stream.
//!
//! Why not the `warc` crate (0.4): its reader opens files with `create(true)` (a missing
//! capture becomes an empty file), reads a header line with no length bound, requires CRLF line
//! ends, and decodes gzip with libflate's `MultiDecoder` with no bound on inflation; it also
//! brings `chrono` and `nom` 7. The format is small enough to read here in a few hundred lines.

use std::cell::Cell;
use std::io::{self, BufRead, BufReader, Read};
use std::rc::Rc;

/// The largest record head read: a longer one is not a WARC record.
pub const MAX_HEAD: usize = 64 << 10;

/// Gzip data may inflate this many times its size (text compresses about 10:1)…
pub const MAX_INFLATE_RATIO: u64 = 200;

/// …once more than this much has been inflated.
pub const INFLATE_FLOOR: u64 = 64 << 20;

/// One record's head; its block follows in the reader.
#[derive(Debug, Clone)]
pub struct Record {
    /// Its place in the file, from 1.
    pub number: usize,
    /// Offset of its first byte in the uncompressed stream.
    pub offset: u64,
    /// `WARC/1.0` or `WARC/1.1`.
    pub version: String,
    /// The named fields, in order, names as written.
    pub fields: Vec<(String, String)>,
    /// The head's bytes exactly as read, from `WARC/` to the blank line included.
    pub head: Vec<u8>,
    /// `Content-Length`: the block's size.
    pub length: u64,
}

impl Record {
    /// The value of the field `name` (case-insensitive), trimmed.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.trim())
    }

    /// `WARC-Type`, lowercased (`response`, `request`, `revisit`, …).
    pub fn kind(&self) -> String {
        self.field("WARC-Type").unwrap_or("").to_ascii_lowercase()
    }

    /// `WARC-Record-ID`, as written (`<urn:uuid:…>`).
    pub fn id(&self) -> Option<&str> {
        self.field("WARC-Record-ID")
    }

    /// `WARC-Target-URI`, without the angle brackets WARC 1.0 writers sometimes add.
    pub fn target_uri(&self) -> Option<&str> {
        self.field("WARC-Target-URI").map(|u| u.trim_start_matches('<').trim_end_matches('>'))
    }

    /// How messages name the record: `record 3 (<urn:uuid:…>) at byte 1234`.
    pub fn label(&self) -> String {
        match self.id() {
            Some(id) => format!("record {} ({id}) at byte {}", self.number, self.offset),
            None => format!("record {} at byte {}", self.number, self.offset),
        }
    }
}

/// Counts the bytes read through it; the count is shared, so it can be read while a decoder
/// owns the reader.
struct Counted<R> {
    inner: R,
    count: Rc<Cell<u64>>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

/// Gzip members decoded as one stream, refusing to inflate past the bound.
struct Inflate<R: Read> {
    decoder: flate2::read::MultiGzDecoder<Counted<R>>,
    compressed: Rc<Cell<u64>>,
    inflated: u64,
}

impl<R: Read> Read for Inflate<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.decoder.read(buf)?;
        self.inflated += n as u64;
        if self.inflated > INFLATE_FLOOR
            && self.inflated > MAX_INFLATE_RATIO.saturating_mul(self.compressed.get())
        {
            return Err(io::Error::other(format!(
                "it inflates more than {MAX_INFLATE_RATIO} times ({} bytes from {}): a \
                 decompression bomb, or not a capture",
                self.inflated,
                self.compressed.get()
            )));
        }
        Ok(n)
    }
}

/// What a file starts with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// `1f 8b`: gzip.
    Gzip,
    /// `WARC/`: a plain WARC.
    Warc,
    /// `PK\x03\x04`: a ZIP (a WACZ).
    Zip,
    /// Anything else.
    Other,
}

/// What `bytes` (a file's first bytes) are.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        Sniffed::Gzip
    } else if bytes.starts_with(b"WARC/") {
        Sniffed::Warc
    } else if bytes.starts_with(b"PK\x03\x04") {
        Sniffed::Zip
    } else {
        Sniffed::Other
    }
}

/// Reads records from a WARC stream. `name` names the capture in messages.
pub struct WarcReader<'a> {
    inner: Box<dyn BufRead + 'a>,
    name: String,
    position: u64,
    number: usize,
    /// Block bytes of the current record not read yet.
    remaining: u64,
    /// The current record's label, for messages about its block.
    current: Option<String>,
}

impl<'a> WarcReader<'a> {
    /// A reader over `input`, gzipped or plain (told apart by its first bytes).
    pub fn new(input: impl Read + 'a, name: &str) -> io::Result<Self> {
        let mut buffered = BufReader::with_capacity(64 << 10, input);
        let gzipped = sniff(buffered.fill_buf()?) == Sniffed::Gzip;
        let inner: Box<dyn BufRead + 'a> = if gzipped {
            let compressed = Rc::new(Cell::new(0));
            let counted = Counted { inner: buffered, count: compressed.clone() };
            let decoder = flate2::read::MultiGzDecoder::new(counted);
            Box::new(BufReader::with_capacity(
                64 << 10,
                Inflate { decoder, compressed, inflated: 0 },
            ))
        } else {
            Box::new(buffered)
        };
        Ok(WarcReader {
            inner,
            name: name.to_owned(),
            position: 0,
            number: 0,
            remaining: 0,
            current: None,
        })
    }

    /// An error about the stream at its current place.
    pub fn io_error(&self, what: &str, e: &io::Error) -> anyhow::Error {
        let place = match &self.current {
            Some(label) => format!("in {label}"),
            None => format!("after {} records, at byte {}", self.number, self.position),
        };
        if !e.to_string().contains("inflates more than") {
            anyhow::anyhow!(
                "`{}` is truncated or corrupt: {what} {place}: {e}\n  help: the file was cut \
                 short or damaged (a download or copy that did not finish?); check it with \
                 `gzip -t` and make or copy the capture again",
                self.name
            )
        } else {
            anyhow::anyhow!("`{}`: {what} {place}: {e}", self.name)
        }
    }

    /// The next record's head, skipping what is left of the previous record's block; `None` at
    /// the end of the file.
    pub fn next_record(&mut self) -> crate::Result<Option<Record>> {
        self.skip_rest()?;
        // The two line breaks that close the previous record, and any blank lines before this one.
        loop {
            let first = match self.inner.fill_buf() {
                Ok(buf) => buf.first().copied(),
                Err(e) => return Err(self.io_error("cannot read", &e)),
            };
            match first {
                None => return Ok(None),
                Some(b'\r' | b'\n') => {
                    self.inner.consume(1);
                    self.position += 1;
                }
                Some(_) => break,
            }
        }
        let offset = self.position;
        self.number += 1;
        self.current = Some(format!("record {} at byte {offset}", self.number));
        let head = self.read_head()?;
        let record = parse_head(&head, self.number, offset).map_err(|message| {
            anyhow::anyhow!(
                "`{}`: record {} at byte {offset} is not a WARC record: {message}\n  help: is \
                 it a WARC file? dossier reads WARC/1.0 and WARC/1.1, plain or gzipped",
                self.name,
                self.number
            )
        })?;
        self.remaining = record.length;
        self.current = Some(record.label());
        Ok(Some(record))
    }

    /// Reads up to and including the blank line that ends a head, at most [`MAX_HEAD`] bytes.
    fn read_head(&mut self) -> crate::Result<Vec<u8>> {
        let mut head = Vec::new();
        loop {
            let before = head.len();
            let mut limited = (&mut self.inner).take((MAX_HEAD - before) as u64 + 1);
            let n = limited
                .read_until(b'\n', &mut head)
                .map_err(|e| self.io_error("cannot read a record's head", &e))?;
            self.position += n as u64;
            if head.len() > MAX_HEAD {
                anyhow::bail!(
                    "`{}`: record {} at byte {} has a head of more than {} KiB without the blank \
                     line that ends it: this is not a WARC file, or it is damaged",
                    self.name,
                    self.number,
                    self.position - head.len() as u64,
                    MAX_HEAD >> 10
                );
            }
            if n == 0 {
                anyhow::bail!(
                    "`{}` is truncated: record {} at byte {} ends inside its head\n  help: the \
                     file was cut short; make or copy the capture again",
                    self.name,
                    self.number,
                    self.position - head.len() as u64
                );
            }
            let line = &head[before..];
            if line == b"\r\n" || line == b"\n" {
                return Ok(head);
            }
        }
    }

    /// The current record's block (what is left of it), to read as far as needed.
    pub fn block(&mut self) -> BlockReader<'_, 'a> {
        BlockReader { reader: self }
    }

    /// Reads the rest of the current block, at most `limit` bytes: `Ok(Err(size))` when the
    /// block is larger (the bytes are then skipped, not kept).
    pub fn read_block(&mut self, limit: u64) -> crate::Result<Result<Vec<u8>, u64>> {
        let size = self.remaining;
        if size > limit {
            self.skip_rest()?;
            return Ok(Err(size));
        }
        let mut bytes = Vec::with_capacity(size.min(1 << 20) as usize);
        self.block().read_to_end(&mut bytes).map_err(|e| self.io_error("cannot read", &e))?;
        Ok(Ok(bytes))
    }

    /// Skips what is left of the current block.
    pub fn skip_rest(&mut self) -> crate::Result<()> {
        if self.remaining > 0 {
            let want = self.remaining;
            let skipped = io::copy(&mut self.block(), &mut io::sink())
                .map_err(|e| self.io_error("cannot read", &e))?;
            if skipped < want {
                let e = io::Error::new(io::ErrorKind::UnexpectedEof, "the file ends early");
                return Err(self.io_error(
                    &format!("the block should have {want} more bytes (its Content-Length)"),
                    &e,
                ));
            }
        }
        self.current = None;
        Ok(())
    }

    /// The capture's name, as messages give it.
    pub fn name(&self) -> &str {
        &self.name
    }
}

/// Reads the current record's block, no further than its `Content-Length`.
pub struct BlockReader<'r, 'a> {
    reader: &'r mut WarcReader<'a>,
}

impl Read for BlockReader<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let r = &mut *self.reader;
        if r.remaining == 0 {
            return Ok(0);
        }
        let want = buf.len().min(usize::try_from(r.remaining).unwrap_or(usize::MAX));
        let n = r.inner.read(&mut buf[..want])?;
        if n == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                format!("the file ends {} bytes before the block does", r.remaining),
            ));
        }
        r.remaining -= n as u64;
        r.position += n as u64;
        Ok(n)
    }
}

/// Parses a record head (its bytes up to the blank line).
pub fn parse_head(head: &[u8], number: usize, offset: u64) -> Result<Record, String> {
    let text = std::str::from_utf8(head).map_err(|_| "its head is not UTF-8 text".to_string())?;
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let version = lines.next().unwrap_or_default().trim_end();
    if version != "WARC/1.0" && version != "WARC/1.1" {
        let shown: String = version.chars().take(40).flat_map(char::escape_default).collect();
        return Err(if version.starts_with("WARC/") {
            format!("its version is `{shown}`; dossier reads WARC/1.0 and WARC/1.1")
        } else {
            format!("it starts with `{shown}`, not `WARC/1.0` or `WARC/1.1`")
        });
    }
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in lines {
        if line.is_empty() {
            break;
        }
        if line.starts_with([' ', '\t']) {
            // A folded line continues the previous field's value.
            match fields.last_mut() {
                Some((_, value)) => {
                    value.push(' ');
                    value.push_str(line.trim());
                }
                None => return Err("its first field starts with a space".into()),
            }
            continue;
        }
        let Some((name, value)) = line.split_once(':') else {
            let shown: String = line.chars().take(60).flat_map(char::escape_default).collect();
            return Err(format!("the line `{shown}` is not a `Name: value` field"));
        };
        fields.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    let length = fields
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("Content-Length"))
        .ok_or_else(|| "it has no Content-Length".to_string())?
        .1
        .parse::<u64>()
        .map_err(|_| "its Content-Length is not a whole number".to_string())?;
    Ok(Record { number, offset, version: version.to_owned(), fields, head: head.to_vec(), length })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: &str, id: &str, block: &str) -> String {
        format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nWARC-Record-ID: {id}\r\nContent-Length: \
                {}\r\n\r\n{block}\r\n\r\n",
            block.len()
        )
    }

    fn gzip(text: &str) -> Vec<u8> {
        use std::io::Write as _;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(text.as_bytes()).unwrap();
        gz.finish().unwrap()
    }

    fn read_all(bytes: &[u8]) -> crate::Result<Vec<(Record, Vec<u8>)>> {
        let mut r = WarcReader::new(bytes, "t.warc")?;
        let mut out = Vec::new();
        while let Some(rec) = r.next_record()? {
            let block = r.read_block(1 << 20)?.expect("small");
            out.push((rec, block));
        }
        Ok(out)
    }

    #[test]
    fn plain_and_gzipped_per_record_and_whole_file() {
        let a = record("warcinfo", "<urn:uuid:a>", "software: t\r\n");
        let b = record("response", "<urn:uuid:b>", "HTTP/1.1 200 OK\r\n\r\nhi");
        let plain = format!("{a}{b}");
        let mut members = gzip(&a);
        members.extend(gzip(&b));
        for bytes in [plain.as_bytes().to_vec(), members, gzip(&plain)] {
            let records = read_all(&bytes).unwrap();
            assert_eq!(records.len(), 2);
            assert_eq!(records[1].0.kind(), "response");
            assert_eq!(records[1].0.id(), Some("<urn:uuid:b>"));
            assert_eq!(records[1].0.offset, a.len() as u64);
            assert_eq!(records[1].1, b"HTTP/1.1 200 OK\r\n\r\nhi");
        }
    }

    #[test]
    fn warc_1_0_with_lf_line_ends_and_folded_fields() {
        let text = "WARC/1.0\nWARC-Type: resource\nWARC-Target-URI: <http://e.org/>\nX-Long: a\n  \
            b\nContent-Length: 2\n\nok\n\n";
        let records = read_all(text.as_bytes()).unwrap();
        assert_eq!(records[0].0.version, "WARC/1.0");
        assert_eq!(records[0].0.target_uri(), Some("http://e.org/"));
        assert_eq!(records[0].0.field("x-long"), Some("a b"));
        assert_eq!(records[0].1, b"ok");
    }

    #[test]
    fn truncated_gzip_is_an_error_naming_the_record() {
        let bytes = gzip(&record("response", "<urn:uuid:b>", &"x".repeat(5000)));
        let cut = &bytes[..bytes.len() / 2];
        let err = read_all(cut).unwrap_err().to_string();
        assert!(err.starts_with("`t.warc` is truncated or corrupt"), "{err}");
        assert!(err.contains("in record 1 at byte 0"), "{err}");
    }

    #[test]
    fn a_short_plain_block_and_a_bad_head_are_errors() {
        let text = "WARC/1.1\r\nWARC-Type: resource\r\nContent-Length: 100\r\n\r\nshort";
        let err = read_all(text.as_bytes()).unwrap_err().to_string();
        assert!(err.contains("is truncated or corrupt"), "{err}");
        let err = read_all(b"<html>not a warc</html>\r\n\r\n").unwrap_err().to_string();
        assert!(err.contains("it starts with `<html>not a warc</html>`"), "{err}");
        let err = read_all(b"WARC/0.17\r\nContent-Length: 0\r\n\r\n").unwrap_err().to_string();
        assert!(err.contains("its version is `WARC/0.17`"), "{err}");
        let err = read_all(b"WARC/1.1\r\nWARC-Type: x\r\n\r\n").unwrap_err().to_string();
        assert!(err.contains("it has no Content-Length"), "{err}");
    }

    #[test]
    fn a_head_without_end_is_bounded() {
        let text = format!("WARC/1.1\r\nX: {}", "a".repeat(MAX_HEAD * 2));
        let err = read_all(text.as_bytes()).unwrap_err().to_string();
        assert!(err.contains("has a head of more than 64 KiB"), "{err}");
    }

    #[test]
    fn a_decompression_bomb_is_refused() {
        // 80 MiB of zeros in one record compress to about 80 KiB: a ratio near 1000.
        let zeros = vec![0u8; 80 << 20];
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        use std::io::Write as _;
        gz.write_all(format!("WARC/1.1\r\nContent-Length: {}\r\n\r\n", zeros.len()).as_bytes())
            .unwrap();
        gz.write_all(&zeros).unwrap();
        let bytes = gz.finish().unwrap();
        let mut r = WarcReader::new(&bytes[..], "bomb.warc.gz").unwrap();
        r.next_record().unwrap();
        let err = r.skip_rest().unwrap_err().to_string();
        assert!(err.contains("inflates more than 200 times"), "{err}");
    }

    #[test]
    fn large_blocks_are_skipped_not_kept() {
        let text = record("resource", "<urn:uuid:a>", &"y".repeat(1000));
        let mut r = WarcReader::new(text.as_bytes(), "t.warc").unwrap();
        r.next_record().unwrap();
        assert_eq!(r.read_block(10).unwrap(), Err(1000));
        assert!(r.next_record().unwrap().is_none());
    }
}
