//! BagIt (RFC 8493) snapshots of a built site, as a directory or a deterministic `.zip`.
//!
//! A bag is the packaging preservation repositories accept: `data/` holds the payload (the built
//! site, unchanged), `manifest-sha256.txt` the SHA-256 of every payload file,
//! `bagit.txt` and `bag-info.txt` what the bag is (source organization, dossier title,
//! `Bagging-Date`, `Payload-Oxum`, the source commit when known), and `tagmanifest-sha256.txt`
//! the hashes of those tag files. Any BagIt validator (`bagit.py --validate`) then proves the
//! copy complete and unaltered.
//!
//! The tag files' text is built by pure functions ([`bagit_txt`], [`bag_info_txt`],
//! [`manifest_line`]); [`write_dir`] and [`write_zip`] are the I/O shell. Both stream the
//! payload file by file, hashing on the way, so memory stays flat however large the site is.
//! The same input gives byte-identical output: payload in sorted order, dates passed in (never
//! the clock), and in the zip fixed entry times (1980-01-01), permissions (0644) and
//! compression (DEFLATE, level 6).

use std::fs::File;
use std::io::{self, BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use sha2::{Digest, Sha256};

/// What `bag-info.txt` says about the bag.
#[derive(Debug, Clone)]
pub struct BagMeta {
    /// Who made the bag (`Source-Organization`): the dossier's publisher or author.
    pub source_organization: String,
    /// The dossier's title (`Title`).
    pub title: String,
    /// What the bag holds (`External-Description`).
    pub description: String,
    /// `Bagging-Date`: from `SOURCE_DATE_EPOCH`, else the newest content date (the caller
    /// decides; never the clock, so bags are reproducible).
    pub bagging_date: jiff::civil::Date,
    /// The git commit the dossier was built from, when known (`Dossier-Source-Commit`).
    pub commit: Option<String>,
    /// The program that made the bag (`Bag-Software-Agent`), e.g. `dossier 0.1.0`.
    pub software: String,
    /// The site's public address (`External-Identifier`).
    pub base_url: String,
}

/// What a bag holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BagReport {
    /// Payload files (the site's files).
    pub payload_files: u64,
    /// Payload bytes.
    pub payload_bytes: u64,
    /// The `Payload-Oxum` value, `<bytes>.<files>`.
    pub oxum: String,
}

/// The text of `bagit.txt`.
pub fn bagit_txt() -> &'static str {
    "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
}

/// The text of `bag-info.txt` for a payload of `bytes` bytes in `files` files. Values are put
/// on one line (runs of whitespace, newlines included, become one space); the commit line is
/// left out when the commit is unknown.
pub fn bag_info_txt(meta: &BagMeta, bytes: u64, files: u64) -> String {
    let mut fields: Vec<(&str, String)> = vec![
        ("Source-Organization", one_line(&meta.source_organization)),
        ("External-Description", one_line(&meta.description)),
        ("External-Identifier", one_line(&meta.base_url)),
        ("Title", one_line(&meta.title)),
        ("Bagging-Date", meta.bagging_date.to_string()),
        ("Payload-Oxum", format!("{bytes}.{files}")),
        ("Bag-Software-Agent", one_line(&meta.software)),
    ];
    if let Some(commit) = &meta.commit {
        fields.push(("Dossier-Source-Commit", one_line(commit)));
    }
    fields.into_iter().filter(|(_, v)| !v.is_empty()).map(|(k, v)| format!("{k}: {v}\n")).collect()
}

/// One line of a manifest: `<hex>  <path>` with the path encoded per RFC 8493 §2.1.3.
pub fn manifest_line(hex: &str, path: &str) -> String {
    format!("{hex}  {}\n", encode_path(path))
}

/// Encodes a path for a manifest (RFC 8493 §2.1.3): `%` as `%25`, CR as `%0D`, LF as `%0A`;
/// everything else (spaces, non-ASCII) stays as it is, since a manifest line's path runs to
/// its end.
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out
}

fn one_line(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Writes the bag directory `out` (which must not exist) with `data/` = the site `site`.
/// `files` are the site's files, relative paths with `/` separators (any order: the bag lists
/// them sorted). The bag is written beside `out` first and renamed into place when complete.
pub fn write_dir(
    site: &Path,
    files: &[String],
    meta: &BagMeta,
    out: &Path,
) -> crate::Result<BagReport> {
    let files = checked_sorted(files)?;
    refuse_existing(out)?;
    let staging = staging_path(out, "bag-partial");
    if staging.exists() {
        std::fs::remove_dir_all(&staging)
            .with_context(|| format!("cannot remove {}", staging.display()))?;
    }
    let result = (|| {
        let (bytes, count) = payload_size(site, &files)?;
        let mut manifest = String::new();
        for f in &files {
            let to = staging.join("data").join(f);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent)
                    .with_context(|| format!("cannot create {}", parent.display()))?;
            }
            let mut w = BufWriter::new(
                File::create(&to).with_context(|| format!("cannot create {}", to.display()))?,
            );
            let hex = copy_hashing(&site.join(f), &mut w)?;
            w.flush().with_context(|| format!("cannot write {}", to.display()))?;
            manifest.push_str(&manifest_line(&hex, &format!("data/{f}")));
        }
        let tags = tag_files(meta, bytes, count, manifest);
        for (name, text) in &tags {
            let to = staging.join(name);
            std::fs::write(&to, text).with_context(|| format!("cannot write {}", to.display()))?;
        }
        std::fs::rename(&staging, out)
            .with_context(|| format!("cannot move the bag into place at {}", out.display()))?;
        Ok(report(bytes, count))
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

/// Writes the same bag as [`write_dir`] as one deterministic `.zip` file `out` (which must not
/// exist): entries under a top directory named after `out`'s file stem (the convention of
/// bagit tools, so unzipping gives one bag directory), in sorted order, each stamped
/// 1980-01-01 00:00 with permissions 0644 and DEFLATE level 6.
pub fn write_zip(
    site: &Path,
    files: &[String],
    meta: &BagMeta,
    out: &Path,
) -> crate::Result<BagReport> {
    let files = checked_sorted(files)?;
    refuse_existing(out)?;
    let top = out
        .file_stem()
        .and_then(|s| s.to_str())
        .filter(|s| !s.is_empty())
        .unwrap_or("bag")
        .to_string();
    let staging = staging_path(out, "partial");
    let result = (|| {
        let (bytes, count) = payload_size(site, &files)?;
        let file = File::create(&staging)
            .with_context(|| format!("cannot create {}", staging.display()))?;
        let mut zip = zip::ZipWriter::new(BufWriter::new(file));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(6))
            .last_modified_time(zip::DateTime::default())
            .unix_permissions(0o644)
            .system(zip::System::Unix);
        // Sorted entry order: bag-info.txt, bagit.txt, data/…, manifest-sha256.txt,
        // tagmanifest-sha256.txt. The first two need only the payload's size, known up front;
        // the manifests follow the payload they hash.
        let info = bag_info_txt(meta, bytes, count);
        for (name, text) in [("bag-info.txt", info.as_str()), ("bagit.txt", bagit_txt())] {
            zip.start_file(format!("{top}/{name}"), options)?;
            zip.write_all(text.as_bytes())?;
        }
        let mut manifest = String::new();
        for f in &files {
            let from = site.join(f);
            let size = std::fs::metadata(&from)
                .with_context(|| format!("cannot read {}", from.display()))?
                .len();
            zip.start_file(format!("{top}/data/{f}"), options.large_file(size >= u32::MAX.into()))?;
            let hex = copy_hashing(&from, &mut zip)?;
            manifest.push_str(&manifest_line(&hex, &format!("data/{f}")));
        }
        for (name, text) in tag_files(meta, bytes, count, manifest).iter().skip(2) {
            zip.start_file(format!("{top}/{name}"), options)?;
            zip.write_all(text.as_bytes())?;
        }
        let mut w = zip.finish()?;
        w.flush().with_context(|| format!("cannot write {}", staging.display()))?;
        drop(w);
        std::fs::rename(&staging, out)
            .with_context(|| format!("cannot move the bag into place at {}", out.display()))?;
        Ok(report(bytes, count))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&staging);
    }
    result
}

/// The tag files in sorted order: `bag-info.txt`, `bagit.txt`, `manifest-sha256.txt`,
/// `tagmanifest-sha256.txt` (which lists the other three).
fn tag_files(
    meta: &BagMeta,
    bytes: u64,
    count: u64,
    manifest: String,
) -> Vec<(&'static str, String)> {
    let mut tags = vec![
        ("bag-info.txt", bag_info_txt(meta, bytes, count)),
        ("bagit.txt", bagit_txt().to_string()),
        ("manifest-sha256.txt", manifest),
    ];
    let tagmanifest: String = tags
        .iter()
        .map(|(name, text)| manifest_line(&crate::hash::sha256_hex(text.as_bytes()), name))
        .collect();
    tags.push(("tagmanifest-sha256.txt", tagmanifest));
    tags
}

fn report(bytes: u64, count: u64) -> BagReport {
    BagReport { payload_files: count, payload_bytes: bytes, oxum: format!("{bytes}.{count}") }
}

/// The payload's total size and file count, from the files' metadata.
fn payload_size(site: &Path, files: &[&str]) -> crate::Result<(u64, u64)> {
    let mut bytes = 0u64;
    for f in files {
        let path = site.join(f);
        let meta =
            std::fs::metadata(&path).with_context(|| format!("cannot read {}", path.display()))?;
        if !meta.is_file() {
            bail!("{} is not a file; a bag's payload lists files only", path.display());
        }
        bytes += meta.len();
    }
    Ok((bytes, files.len() as u64))
}

/// The files, sorted and deduplicated, after checking each is a plain relative path.
fn checked_sorted(files: &[String]) -> crate::Result<Vec<&str>> {
    let mut sorted: Vec<&str> = files.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    sorted.dedup();
    for f in &sorted {
        if f.is_empty()
            || f.starts_with('/')
            || f.contains('\\')
            || f.split('/').any(|c| c.is_empty() || c == "." || c == "..")
        {
            bail!("`{f}` is not a relative path inside the site; a bag's payload cannot hold it");
        }
    }
    Ok(sorted)
}

fn refuse_existing(out: &Path) -> crate::Result<()> {
    if out.symlink_metadata().is_ok() {
        bail!(
            "{} already exists; a bag is written to a new path (remove it or choose another)",
            out.display()
        );
    }
    Ok(())
}

/// `<out>.<suffix>`, beside `out`.
fn staging_path(out: &Path, suffix: &str) -> PathBuf {
    let mut name = out.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(format!(".{suffix}"));
    out.with_file_name(name)
}

/// Copies the file `from` into `to` in chunks; returns the SHA-256 of its bytes.
fn copy_hashing(from: &Path, to: &mut impl Write) -> crate::Result<String> {
    let mut file = File::open(from).with_context(|| format!("cannot read {}", from.display()))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", from.display())),
        };
        hasher.update(&buf[..n]);
        to.write_all(&buf[..n]).context("cannot write the bag")?;
    }
    Ok(hasher.finalize().iter().fold(String::with_capacity(64), |mut s, b| {
        use std::fmt::Write as _;
        let _ = write!(s, "{b:02x}");
        s
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta() -> BagMeta {
        BagMeta {
            source_organization: "Example Desk".into(),
            title: "A test dossier".into(),
            description: "The built site of\n  a test dossier.".into(),
            bagging_date: jiff::civil::date(2019, 6, 30),
            commit: Some("0123456789abcdef0123456789abcdef01234567".into()),
            software: "dossier 0.1.0".into(),
            base_url: "https://example.org/dossier/".into(),
        }
    }

    /// A tiny site: two files, one with an odd name.
    fn site() -> (tempfile::TempDir, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a b")).unwrap();
        std::fs::write(dir.path().join("index.html"), "<p>hi</p>\n").unwrap();
        std::fs::write(dir.path().join("a b/100%.txt"), "xyz").unwrap();
        (dir, vec!["index.html".into(), "a b/100%.txt".into()])
    }

    #[test]
    fn bag_info_has_every_field_on_one_line() {
        assert_eq!(
            bag_info_txt(&meta(), 13, 2),
            "Source-Organization: Example Desk\n\
             External-Description: The built site of a test dossier.\n\
             External-Identifier: https://example.org/dossier/\n\
             Title: A test dossier\n\
             Bagging-Date: 2019-06-30\n\
             Payload-Oxum: 13.2\n\
             Bag-Software-Agent: dossier 0.1.0\n\
             Dossier-Source-Commit: 0123456789abcdef0123456789abcdef01234567\n"
        );
        let no_commit = BagMeta { commit: None, ..meta() };
        assert!(!bag_info_txt(&no_commit, 0, 0).contains("Commit"));
    }

    #[test]
    fn odd_paths_are_percent_encoded() {
        assert_eq!(encode_path("data/a b/100%.txt"), "data/a b/100%25.txt");
        assert_eq!(encode_path("data/x\ny\rz"), "data/x%0Ay%0Dz");
        assert_eq!(encode_path("data/été.html"), "data/été.html");
    }

    #[test]
    fn a_directory_bag_has_exact_tag_files() {
        let (site, files) = site();
        let out = tempfile::tempdir().unwrap();
        let bag = out.path().join("bag");
        let report = write_dir(site.path(), &files, &meta(), &bag).unwrap();
        assert_eq!(report.oxum, "13.2");
        assert_eq!(std::fs::read_to_string(bag.join("bagit.txt")).unwrap(), bagit_txt());
        let sha = |s: &str| crate::hash::sha256_hex(s.as_bytes());
        assert_eq!(
            std::fs::read_to_string(bag.join("manifest-sha256.txt")).unwrap(),
            format!(
                "{}  data/a b/100%25.txt\n{}  data/index.html\n",
                sha("xyz"),
                sha("<p>hi</p>\n")
            )
        );
        let info = std::fs::read_to_string(bag.join("bag-info.txt")).unwrap();
        assert!(info.contains("Payload-Oxum: 13.2\n"), "{info}");
        let tagmanifest = std::fs::read_to_string(bag.join("tagmanifest-sha256.txt")).unwrap();
        let names: Vec<&str> = tagmanifest.lines().map(|l| &l[66..]).collect();
        assert_eq!(names, ["bag-info.txt", "bagit.txt", "manifest-sha256.txt"]);
        for line in tagmanifest.lines() {
            let text = std::fs::read_to_string(bag.join(&line[66..])).unwrap();
            assert_eq!(&line[..64], sha(&text));
        }
        assert_eq!(std::fs::read(bag.join("data/a b/100%.txt")).unwrap(), b"xyz");
        let err = write_dir(site.path(), &files, &meta(), &bag).unwrap_err().to_string();
        assert!(err.contains("already exists"), "{err}");
    }

    #[test]
    fn zip_bags_are_deterministic_and_hold_the_directory_bag() {
        let (site, files) = site();
        let out = tempfile::tempdir().unwrap();
        let a = out.path().join("a/dossier-bag.zip");
        let b = out.path().join("b/dossier-bag.zip");
        std::fs::create_dir_all(a.parent().unwrap()).unwrap();
        std::fs::create_dir_all(b.parent().unwrap()).unwrap();
        write_zip(site.path(), &files, &meta(), &a).unwrap();
        let reversed: Vec<String> = files.iter().rev().cloned().collect();
        write_zip(site.path(), &reversed, &meta(), &b).unwrap();
        assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());

        let dir = out.path().join("dir");
        write_dir(site.path(), &files, &meta(), &dir).unwrap();
        let mut archive = zip::ZipArchive::new(File::open(&a).unwrap()).unwrap();
        let names: Vec<String> = archive.file_names().map(|n| n.unwrap().to_string()).collect();
        assert_eq!(
            names,
            [
                "dossier-bag/bag-info.txt",
                "dossier-bag/bagit.txt",
                "dossier-bag/data/a b/100%.txt",
                "dossier-bag/data/index.html",
                "dossier-bag/manifest-sha256.txt",
                "dossier-bag/tagmanifest-sha256.txt",
            ]
        );
        for name in names {
            let mut entry = archive.by_name(&name).unwrap();
            assert_eq!(entry.unix_mode().map(|m| m & 0o777), Some(0o644));
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            let rel = name.strip_prefix("dossier-bag/").unwrap();
            assert_eq!(bytes, std::fs::read(dir.join(rel)).unwrap(), "{rel}");
        }
    }

    #[test]
    fn paths_outside_the_site_are_refused() {
        let (site, _) = site();
        let out = tempfile::tempdir().unwrap();
        for bad in ["../x", "/etc/passwd", "a//b", ""] {
            let err = write_dir(site.path(), &[bad.to_string()], &meta(), &out.path().join("bag"))
                .unwrap_err()
                .to_string();
            assert!(err.contains("not a relative path"), "{bad}: {err}");
            assert!(!out.path().join("bag").exists());
        }
    }
}
