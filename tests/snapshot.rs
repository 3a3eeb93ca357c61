//! `dossier snapshot`: WARC and WACZ files that are byte-for-byte reproducible, dated by
//! `SOURCE_DATE_EPOCH` or the newest article, and readable by archivists' tools (warcio,
//! py-wacz), which are skipped when missing unless `DOSSIER_REQUIRE_TOOLS=1`.

use std::collections::BTreeMap;
use std::io::Read as _;
use std::path::Path;
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::support::{Run, TestSite, have, read_tree, repo_root, runs};

const BASE: &str = "https://example.org/fixture/";

/// Runs `dossier snapshot --root <site> args…` with an empty environment plus `env`.
fn snapshot(site: &TestSite, args: &[&str], env: &[(&str, &str)]) -> Run {
    let root = site.root.to_string_lossy().into_owned();
    let mut all = vec!["snapshot", "--root", root.as_str()];
    all.extend_from_slice(args);
    crate::support::dossier_with_env(&all, site.tmp.path(), env)
}

/// One parsed WARC record.
#[derive(Debug)]
struct Record {
    headers: BTreeMap<String, String>,
    block: Vec<u8>,
}

impl Record {
    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("no {name} in {:?}", self.headers))
    }
    /// The HTTP payload of a response (after the blank line of the HTTP head).
    fn payload(&self) -> &[u8] {
        let end = self.block.windows(4).position(|w| w == b"\r\n\r\n").expect("HTTP head");
        &self.block[end + 4..]
    }
}

/// Parses a whole WARC (already gunzipped), checking the framing of every record.
fn parse_warc(mut bytes: &[u8]) -> Vec<Record> {
    let mut records = Vec::new();
    while !bytes.is_empty() {
        let end = bytes.windows(4).position(|w| w == b"\r\n\r\n").expect("end of WARC headers");
        let head = std::str::from_utf8(&bytes[..end]).expect("UTF-8 headers");
        let mut lines = head.split("\r\n");
        assert_eq!(lines.next(), Some("WARC/1.1"));
        let headers: BTreeMap<String, String> = lines
            .map(|l| {
                let (k, v) = l.split_once(": ").expect("header line");
                (k.to_owned(), v.to_owned())
            })
            .collect();
        let len: usize = headers["Content-Length"].parse().expect("length");
        let start = end + 4;
        let block = bytes[start..start + len].to_vec();
        assert_eq!(&bytes[start + len..start + len + 4], b"\r\n\r\n", "record framing");
        bytes = &bytes[start + len + 4..];
        records.push(Record { headers, block });
    }
    records
}

fn gunzip(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(bytes).read_to_end(&mut out).expect("gunzip");
    out
}

fn sha256(bytes: &[u8]) -> String {
    let d = Sha256::digest(bytes);
    format!("sha256:{}", d.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

#[test]
fn two_runs_give_identical_bytes_in_each_format() {
    let site = TestSite::from_fixture("basic");
    for (format, a, b) in [("wacz", "a.wacz", "b.wacz"), ("warc", "a.warc.gz", "b.warc.gz")] {
        let pa = site.tmp.path().join(a);
        let pb = site.tmp.path().join(b);
        snapshot(&site, &["--format", format, "-o", pa.to_str().unwrap()], &[]).ok();
        snapshot(&site, &["--format", format, "-o", pb.to_str().unwrap()], &[]).ok();
        let (ba, bb) = (std::fs::read(&pa).unwrap(), std::fs::read(&pb).unwrap());
        assert!(ba.len() > 1000, "{format}: {} bytes", ba.len());
        assert!(ba == bb, "{format}: two snapshots differ");
    }
    // Nothing but the two outputs was left beside them.
    let mut left: Vec<String> = std::fs::read_dir(site.tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["a.wacz", "a.warc.gz", "b.wacz", "b.warc.gz", "site"]);
}

#[test]
fn default_output_is_in_the_root_and_the_summary_counts() {
    let site = TestSite::from_fixture("basic");
    let out = snapshot(&site, &[], &[]).ok().to_owned();
    assert!(site.root.join("dossier.wacz").is_file());
    assert!(
        out.starts_with(&format!("Wrote {}", site.root.join("dossier.wacz").display())),
        "{out}"
    );
    assert!(out.contains("dated 2020-01-02T10:30:00Z"), "{out}");
}

#[test]
fn a_dossier_without_an_address_is_refused_until_one_is_given() {
    let site = TestSite::from_fixture("basic");
    let config = site.read("dossier.yaml").replace("base_url: https://example.org/fixture/\n", "");
    site.write("dossier.yaml", &config);
    let run = snapshot(&site, &[], &[]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "error: a snapshot records every file under the address the dossier is published at, \
         and none is set: pass `--base-url https://…/` (the address it is or will be published \
         at), or set `base_url` in dossier.yaml; no snapshot was written\n"
    );
    assert!(!site.root.join("dossier.wacz").exists());
    // With the address given, it is written, and its records are under that address.
    let out = site.tmp.path().join("s.warc.gz");
    let args =
        ["--format", "warc", "-o", out.to_str().unwrap(), "--base-url", "https://h.example/d/"];
    snapshot(&site, &args, &[]).ok();
    let warc = gunzip(&std::fs::read(&out).unwrap());
    let text = String::from_utf8_lossy(&warc);
    assert!(
        text.contains("WARC-Target-URI: https://h.example/d/index.html"),
        "records under --base-url"
    );
}

#[test]
fn dates_come_from_source_date_epoch_or_the_newest_article() {
    let site = TestSite::from_fixture("basic");
    let out = site.tmp.path().join("s.warc.gz");
    let args = ["--format", "warc", "-o", out.to_str().unwrap()];

    snapshot(&site, &args, &[]).ok();
    let records = parse_warc(&gunzip(&std::fs::read(&out).unwrap()));
    assert!(records.iter().all(|r| r.header("WARC-Date") == "2020-01-02T10:30:00Z"));
    let plain_ids: Vec<String> =
        records.iter().map(|r| r.header("WARC-Record-ID").to_owned()).collect();

    snapshot(&site, &args, &[("SOURCE_DATE_EPOCH", "1700000000")]).ok();
    let records = parse_warc(&gunzip(&std::fs::read(&out).unwrap()));
    assert!(records.iter().all(|r| r.header("WARC-Date") == "2023-11-14T22:13:20Z"));
    assert_ne!(records[0].header("WARC-Record-ID"), plain_ids[0]);

    let bad = snapshot(&site, &args, &[("SOURCE_DATE_EPOCH", "yesterday")]);
    assert_eq!(bad.code, 1, "{}", bad.stderr);
    assert!(
        bad.stderr.contains(
            "SOURCE_DATE_EPOCH=`yesterday` is not a whole number of seconds since 1970-01-01 UTC"
        ),
        "{}",
        bad.stderr
    );
    assert!(bad.stderr.contains("help: set it to e.g."), "{}", bad.stderr);
}

#[test]
fn the_warc_holds_every_file_with_correct_digests() {
    let site = TestSite::from_fixture("basic");
    site.build(&[]).ok();
    let built = read_tree(&site.public());
    let out = site.tmp.path().join("s.warc.gz");
    snapshot(&site, &["--format", "warc", "-o", out.to_str().unwrap()], &[]).ok();
    let records = parse_warc(&gunzip(&std::fs::read(&out).unwrap()));

    let info = &records[0];
    assert_eq!(info.header("WARC-Type"), "warcinfo");
    let fields = String::from_utf8(info.block.clone()).unwrap();
    assert!(fields.contains("format: WARC File Format 1.1\r\n"), "{fields}");
    assert!(fields.contains("title: Fixture Dossier\r\n"), "{fields}");
    assert!(fields.contains(&format!("isPartOf: {BASE}\r\n")), "{fields}");
    assert!(fields.starts_with("software: dossier "), "{fields}");

    let mut responses = BTreeMap::new();
    let mut revisits = BTreeMap::new();
    let mut ids = std::collections::BTreeSet::new();
    for r in &records {
        assert!(ids.insert(r.header("WARC-Record-ID").to_owned()), "duplicate record id");
        assert_eq!(r.header("WARC-Block-Digest"), sha256(&r.block));
        let uri = r.headers.get("WARC-Target-URI").cloned().unwrap_or_default();
        match r.header("WARC-Type") {
            "response" => {
                assert_eq!(r.header("WARC-Payload-Digest"), sha256(r.payload()));
                assert!(r.block.starts_with(b"HTTP/1.1 200 OK\r\nContent-Type: "));
                responses.insert(uri.strip_prefix(BASE).unwrap().to_owned(), r.payload().to_vec());
            }
            "revisit" => {
                revisits.insert(uri, r.header("WARC-Refers-To-Target-URI").to_owned());
            }
            other => assert_eq!(other, "warcinfo"),
        }
    }
    let expected: BTreeMap<String, Vec<u8>> = built
        .into_iter()
        .filter(|(path, _)| !path.starts_with('.') && !path.contains("/."))
        .collect();
    assert_eq!(responses.keys().collect::<Vec<_>>(), expected.keys().collect::<Vec<_>>());
    assert!(responses == expected, "a record's payload differs from the built file");
    // Every directory index is reachable by its directory URL too.
    let html_index =
        expected.keys().filter(|p| *p == "index.html" || p.ends_with("/index.html")).count();
    assert_eq!(revisits.len(), html_index);
    assert_eq!(revisits[BASE], format!("{BASE}index.html"));
}

#[test]
fn the_wacz_is_a_sorted_stored_zip_whose_index_points_at_records() {
    let site = TestSite::from_fixture("basic");
    let out = site.tmp.path().join("s.wacz");
    snapshot(&site, &["-o", out.to_str().unwrap()], &[]).ok();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let names: Vec<String> =
        (0..zip.len()).map(|i| zip.by_index(i).unwrap().name().unwrap().into_owned()).collect();
    assert_eq!(
        names,
        [
            "archive/data.warc.gz",
            "datapackage-digest.json",
            "datapackage.json",
            "indexes/index.cdx",
            "pages/pages.jsonl"
        ]
    );
    let mut files = BTreeMap::new();
    for name in &names {
        let mut entry = zip.by_name(name).unwrap();
        assert_eq!(entry.compression(), zip::CompressionMethod::Stored, "{name}");
        assert_eq!(entry.unix_mode(), Some(0o100644), "{name}");
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        files.insert(name.clone(), bytes);
    }
    let package: serde_json::Value = serde_json::from_slice(&files["datapackage.json"]).unwrap();
    assert_eq!(package["profile"], "data-package");
    assert_eq!(package["wacz_version"], "1.1.1");
    assert_eq!(package["title"], "Fixture Dossier");
    assert_eq!(package["created"], "2020-01-02T10:30:00Z");
    assert_eq!(package["mainPageURL"], format!("{BASE}index.html"));
    let resources = package["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 3);
    for r in resources {
        let bytes = &files[r["path"].as_str().unwrap()];
        assert_eq!(r["hash"], sha256(bytes));
        assert_eq!(r["bytes"], bytes.len());
    }
    let digest: serde_json::Value =
        serde_json::from_slice(&files["datapackage-digest.json"]).unwrap();
    assert_eq!(digest["hash"], sha256(&files["datapackage.json"]));

    // The CDXJ: sorted bytewise, each line's offset and length one whole record for its URL.
    let warc = &files["archive/data.warc.gz"];
    let cdx = String::from_utf8(files["indexes/index.cdx"].clone()).unwrap();
    let lines: Vec<&str> = cdx.lines().collect();
    let mut sorted = lines.clone();
    sorted.sort();
    assert_eq!(lines, sorted);
    for line in &lines {
        let mut parts = line.splitn(3, ' ');
        let (surt, ts) = (parts.next().unwrap(), parts.next().unwrap());
        assert!(surt.starts_with("org,example)/fixture/"), "{line}");
        assert_eq!(ts, "20200102103000");
        let fields: serde_json::Value = serde_json::from_str(parts.next().unwrap()).unwrap();
        let offset: usize = fields["offset"].as_str().unwrap().parse().unwrap();
        let length: usize = fields["length"].as_str().unwrap().parse().unwrap();
        let records = parse_warc(&gunzip(&warc[offset..offset + length]));
        assert_eq!(records.len(), 1);
        assert_eq!(records[0].header("WARC-Target-URI"), fields["url"]);
        assert_eq!(records[0].header("WARC-Payload-Digest"), fields["digest"]);
    }

    // The pages: a header, then every HTML page with its title and text.
    let pages = String::from_utf8(files["pages/pages.jsonl"].clone()).unwrap();
    let mut pages = pages.lines();
    assert_eq!(
        pages.next(),
        Some(r#"{"format":"json-pages-1.0","id":"pages","title":"All Pages"}"#)
    );
    let pages: Vec<serde_json::Value> = pages.map(|l| serde_json::from_str(l).unwrap()).collect();
    let html = lines.iter().filter(|l| l.contains(r#""mime":"text/html""#)).count();
    assert_eq!(pages.len(), html);
    let front = pages.iter().find(|p| p["url"] == format!("{BASE}index.html")).expect("front page");
    assert_eq!(front["ts"], "2020-01-02T10:30:00Z");
    assert!(front["title"].as_str().unwrap().contains("Fixture Dossier"), "{front}");
    assert!(!front["text"].as_str().unwrap().is_empty());
}

#[test]
fn bagit_writes_a_bag_directory_or_zip_with_the_snapshot_date() {
    let site = TestSite::from_fixture("basic");
    let run = snapshot(&site, &["--format", "bagit"], &[("SOURCE_DATE_EPOCH", "1577923200")]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let bag = site.root.join("dossier-bag");
    assert_eq!(
        std::fs::read_to_string(bag.join("bagit.txt")).unwrap(),
        "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    );
    let info = std::fs::read_to_string(bag.join("bag-info.txt")).unwrap();
    assert!(info.contains("Bagging-Date: 2020-01-02\n"), "{info}");
    assert!(info.contains("Title: Fixture Dossier\n"), "{info}");
    assert!(bag.join("data/index.html").is_file());
    let zip = site.root.join("bag.zip");
    let run = snapshot(&site, &["--format", "bagit", "-o", zip.to_str().unwrap()], &[]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(zip.is_file());
}

/// The WARC, the WACZ and the bag (directory and zip) get the mode a plain `File::create` gives
/// under the current umask (0644 under umask 022), not a temporary file's 0600.
#[cfg(unix)]
#[test]
fn every_format_is_written_with_the_mode_of_a_created_file() {
    use std::os::unix::fs::PermissionsExt as _;
    let site = TestSite::from_fixture("basic");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let probe = site.tmp.path().join("probe");
    std::fs::File::create(&probe).unwrap();
    let expected = mode(&probe);
    for (format, name, file) in [
        ("warc", "s.warc.gz", "s.warc.gz"),
        ("wacz", "s.wacz", "s.wacz"),
        ("bagit", "bag.zip", "bag.zip"),
        ("bagit", "bag", "bag/bagit.txt"),
    ] {
        let out = site.tmp.path().join(name);
        snapshot(&site, &["--format", format, "-o", out.to_str().unwrap()], &[]).ok();
        let got = mode(&site.tmp.path().join(file));
        assert_eq!(
            got, expected,
            "{format} `{file}`: mode {got:o}, a created file has {expected:o}"
        );
    }
}

// --- Archivists' tools -------------------------------------------------------------------------

/// The address the repository's dossier, which has no `base_url`, is snapshotted under in
/// these tests (and in `.ci/run`): a snapshot needs one.
const REPO_BASE: &str = "https://archive.example/idlib-dossier/";

/// The repository's dossier, snapshotted in `format` into a temporary directory.
fn repo_snapshot(format: &str, name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join(name);
    let run = crate::support::dossier(
        &[
            "snapshot",
            "--root",
            repo_root().to_str().unwrap(),
            "--format",
            format,
            "-o",
            out.to_str().unwrap(),
            "--base-url",
            REPO_BASE,
        ],
        tmp.path(),
    );
    run.ok();
    (tmp, out)
}

fn run_tool(program: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new(program).args(args).output().expect("run tool");
    let text =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), text)
}

#[test]
fn warcio_verifies_every_digest() {
    if !have("warcio", runs("warcio", &["--version"])) {
        return;
    }
    let (_tmp, warc) = repo_snapshot("warc", "dossier.warc.gz");
    let script = repo_root().join("tests/validate/warc_check.sh");
    let (ok, text) = run_tool("bash", &[script.to_str().unwrap(), warc.to_str().unwrap()]);
    assert!(ok, "{text}");
    assert!(text.contains(" 0 other; warcio index: "), "{text}");
    assert!(!text.contains("no digest"), "{text}");
}

#[test]
fn py_wacz_validates_the_wacz() {
    if !have("wacz (py-wacz)", runs("wacz", &["--version"])) {
        return;
    }
    let (_tmp, wacz) = repo_snapshot("wacz", "dossier.wacz");
    let (ok, text) = run_tool("wacz", &["validate", "-f", wacz.to_str().unwrap()]);
    assert!(ok, "{text}");
    assert!(text.contains("Validation succeeded, the passed WACZ is valid"), "{text}");
}

#[test]
fn pages_replay_byte_for_byte_from_the_wacz() {
    if !have("python3 with warcio", runs("python3", &["-c", "import warcio"])) {
        return;
    }
    let (tmp, wacz) = repo_snapshot("wacz", "dossier.wacz");
    let site = tmp.path().join("site");
    crate::support::dossier(
        &[
            "build",
            "--root",
            repo_root().to_str().unwrap(),
            "--output",
            site.to_str().unwrap(),
            "--base-url",
            REPO_BASE,
            "--quiet",
        ],
        tmp.path(),
    )
    .ok();
    let base = REPO_BASE;
    let article = first_article(&site);
    let script = repo_root().join("tests/validate/replay.py");
    let (ok, text) = run_tool(
        "python3",
        &[
            script.to_str().unwrap(),
            wacz.to_str().unwrap(),
            site.to_str().unwrap(),
            base,
            "",
            &format!("articles/{article}/index.html"),
            "dispute/",
        ],
    );
    assert!(ok, "{text}");
    assert!(text.contains("3 of 3 pages replayed byte for byte"), "{text}");
    assert!(text.contains(&format!("ok: {base} (revisit, ")), "{text}");
}

fn first_article(site: &Path) -> String {
    let mut names: Vec<String> = std::fs::read_dir(site.join("articles"))
        .unwrap()
        .filter_map(|e| {
            let e = e.unwrap();
            e.file_type().unwrap().is_dir().then(|| e.file_name().to_string_lossy().into_owned())
        })
        .collect();
    names.sort();
    names.remove(0)
}
