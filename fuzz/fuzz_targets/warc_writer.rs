//! The WARC writer (`snapshot::warc`), on structured input: a small site of fuzzed file names
//! and contents (written to a temporary directory, listed as `dossier snapshot` lists a built
//! site) with fuzzed metadata (title, description, base URL, commit, date), plus records written
//! directly through `WarcWriter::record` with fuzzed header values and blocks.
//!
//! The output is read back with a small WARC reader, record by record, and must be well formed:
//! each gzip member is exactly one record, starting at the offset the writer reported;
//! `WARC/1.1`, then header lines `Name: value` with no stray CR or LF (no header injection),
//! `Content-Length` equal to the block's length, the block, then CRLF CRLF; block and payload
//! digests match the bytes; a response's payload is the file's bytes; record ids are unique;
//! and with a valid base URL every `WARC-Target-URI` is a URL with no spaces.
#![no_main]

use std::collections::BTreeSet;
use std::io::Read;

use arbitrary::Arbitrary;
use dossier::snapshot::warc::{WarcWriter, write_site};
use dossier::snapshot::{Metadata, list_files};
use libfuzzer_sys::fuzz_target;
use sha2::{Digest, Sha256};

#[derive(Arbitrary, Debug)]
struct Input {
    title: String,
    description: String,
    base_url: BaseUrl,
    commit: Option<String>,
    created: u32,
    files: Vec<(Vec<String>, Vec<u8>)>,
    records: Vec<Record>,
}

#[derive(Arbitrary, Debug)]
enum BaseUrl {
    /// `https://example.org/<path>/`, made valid through `BaseUrl::from_str` when it can be.
    Path(String),
    /// Anything (`dossier snapshot --base-url` takes the text as given).
    Raw(String),
}

#[derive(Arbitrary, Debug)]
struct Record {
    kind: u8,
    headers: Vec<(u8, String)>,
    block: Vec<u8>,
}

const KINDS: [&str; 4] = ["resource", "metadata", "response", "revisit"];
const NAMES: [&str; 5] =
    ["WARC-Target-URI", "Content-Type", "WARC-Refers-To-Target-URI", "WARC-Filename", "X-Note"];

/// One parsed record: its header lines and block.
struct Parsed {
    headers: Vec<(String, String)>,
    block: Vec<u8>,
}

impl Parsed {
    fn get(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

fn sha256_label(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    let hex: String = d.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// Reads one record from one gzip member; returns it and the member's length.
fn read_record(bytes: &[u8]) -> (Parsed, usize) {
    let mut rest = bytes;
    let mut text = Vec::new();
    flate2::bufread::GzDecoder::new(&mut rest).read_to_end(&mut text).expect("a gzip member");
    let used = bytes.len() - rest.len();
    let end = find(&text, b"\r\n\r\n").expect("a header block");
    let head = std::str::from_utf8(&text[..end]).expect("UTF-8 headers");
    let mut lines = head.split("\r\n");
    assert_eq!(lines.next(), Some("WARC/1.1"));
    let mut headers = Vec::new();
    for line in lines {
        assert!(!line.contains(['\r', '\n']), "a stray line break in {line:?}");
        let (name, value) =
            line.split_once(": ").unwrap_or_else(|| panic!("not a header: {line:?}"));
        assert!(
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_graphic() && b != b':'),
            "a bad header name {name:?}"
        );
        headers.push((name.to_string(), value.to_string()));
    }
    let len: usize = headers
        .iter()
        .find(|(n, _)| n == "Content-Length")
        .and_then(|(_, v)| v.parse().ok())
        .expect("a Content-Length");
    let body = &text[end + 4..];
    assert_eq!(body.len(), len + 4, "Content-Length {len} but {} bytes follow", body.len());
    assert_eq!(&body[len..], b"\r\n\r\n");
    (Parsed { headers, block: body[..len].to_vec() }, used)
}

fn file_name(segments: &[String]) -> Option<String> {
    let segs: Vec<String> = segments
        .iter()
        .take(3)
        .map(|s| s.chars().filter(|c| !matches!(c, '/' | '\0')).take(24).collect::<String>())
        .collect();
    let ok = !segs.is_empty() && segs.iter().all(|s| !s.is_empty() && !s.starts_with('.'));
    ok.then(|| segs.join("/"))
}

fuzz_target!(|input: Input| {
    let (base_url, valid) = match &input.base_url {
        BaseUrl::Path(p) => {
            match format!("https://example.org/{p}").parse::<dossier::config::BaseUrl>() {
                Ok(b) => (b.as_str().to_string(), true),
                Err(_) => ("https://example.org/".to_string(), true),
            }
        }
        BaseUrl::Raw(r) => (if r.ends_with('/') { r.clone() } else { format!("{r}/") }, false),
    };
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut contents = std::collections::BTreeMap::new();
    for (segments, bytes) in input.files.iter().take(8) {
        let Some(name) = file_name(segments) else { continue };
        let path = dir.path().join(&name);
        let made = path.parent().is_some_and(|p| std::fs::create_dir_all(p).is_ok())
            && !path.exists()
            && std::fs::write(&path, bytes).is_ok();
        if made {
            contents.insert(name, bytes.clone());
        }
    }
    let files = list_files(dir.path()).expect("list the site");
    assert_eq!(files.len(), contents.len());
    let meta = Metadata {
        title: input.title.clone(),
        description: input.description.clone(),
        base_url: base_url.clone(),
        created: dossier_time(input.created),
        software: "dossier fuzz".into(),
        source_commit: input.commit.clone(),
        organization: String::new(),
    };
    let (bytes, refs) = write_site(dir.path(), &files, &meta, Vec::new()).expect("write the WARC");

    let mut offset = 0;
    let mut ids = BTreeSet::new();
    let mut records = Vec::new();
    while offset < bytes.len() {
        let (record, used) = read_record(&bytes[offset..]);
        records.push((offset as u64, used as u64, record));
        offset += used;
    }
    assert_eq!(records.len(), refs.len() + 1, "records written vs reported");
    let (_, _, info) = &records[0];
    assert_eq!(info.get("WARC-Type"), Some("warcinfo"));
    assert_eq!(info.get("WARC-Block-Digest"), Some(sha256_label(&info.block).as_str()));
    for ((off, len, rec), r) in records[1..].iter().zip(&refs) {
        assert_eq!((*off, *len), (r.offset, r.length), "{}", r.uri);
        assert!(ids.insert(rec.get("WARC-Record-ID").expect("an id").to_string()), "a repeated id");
        assert_eq!(rec.get("WARC-Block-Digest"), Some(sha256_label(&rec.block).as_str()));
        assert_eq!(rec.get("WARC-Payload-Digest"), Some(r.digest.as_str()));
        let uri = rec.get("WARC-Target-URI").expect("a target");
        if valid {
            assert!(!uri.contains(|c: char| c.is_whitespace() || c.is_control()), "{uri:?}");
            url::Url::parse(uri).unwrap_or_else(|e| panic!("{uri:?}: {e}"));
        }
        let head_end = find(&rec.block, b"\r\n\r\n").expect("an HTTP head") + 4;
        let file = &contents[&r.path];
        let head = std::str::from_utf8(&rec.block[..head_end]).expect("UTF-8 HTTP head");
        assert!(head.contains(&format!("\r\nContent-Length: {}\r\n", file.len())), "{head}");
        if r.revisit {
            assert_eq!(rec.get("WARC-Type"), Some("revisit"));
            assert_eq!(rec.block.len(), head_end);
        } else {
            assert_eq!(rec.get("WARC-Type"), Some("response"));
            assert_eq!(&rec.block[head_end..], &file[..]);
            assert_eq!(sha256_label(file), r.digest);
        }
    }

    // Records written directly, with fuzzed header values.
    let mut w = WarcWriter::new(Vec::new(), &meta.iso_date());
    let mut expected = Vec::new();
    for (i, r) in input.records.iter().take(8).enumerate() {
        let kind = KINDS[usize::from(r.kind) % KINDS.len()];
        let headers: Vec<(&str, &str)> = r
            .headers
            .iter()
            .take(6)
            .map(|(n, v)| (NAMES[usize::from(*n) % NAMES.len()], v.as_str()))
            .collect();
        let block = &r.block;
        let (off, len) = w
            .record(kind, &i.to_string(), &headers, block.len() as u64, |out| {
                out.write_all(block).map(|()| block.len() as u64)
            })
            .expect("write a record");
        expected.push((off, len, kind, headers.len(), block));
    }
    let bytes = w.finish().expect("finish");
    for (off, len, kind, headers, block) in expected {
        let (rec, used) = read_record(&bytes[off as usize..]);
        assert_eq!(used as u64, len);
        assert_eq!(rec.get("WARC-Type"), Some(kind));
        // WARC/1.1's own four (type, id, date, length) and each one given, one line each.
        assert_eq!(rec.headers.len(), 4 + headers);
        assert_eq!(&rec.block, block);
    }
});

fn dossier_time(seconds: u32) -> jiff::Timestamp {
    jiff::Timestamp::from_second(i64::from(seconds)).expect("in range")
}
