//! BagIt snapshots of a built dossier, checked by a validator the project did not write
//! (`bagit.py --validate`, pip package `bagit`; `.ci/run` installs it). Without it the
//! validator tests are reported `skipped: <test>: bagit.py not found`, and fail when
//! `DOSSIER_REQUIRE_TOOLS=1`.

use std::path::Path;
use std::process::Command;

use dossier::hash::sha256_hex;
use dossier::snapshot::bagit::{BagMeta, write_dir, write_zip};

use crate::support::{TestSite, have, read_tree, runs};

fn meta() -> BagMeta {
    BagMeta {
        source_organization: "Fixture Desk".into(),
        title: "Basic fixture".into(),
        description: "The built site of the basic test fixture.".into(),
        bagging_date: jiff::civil::date(2020, 1, 2),
        commit: None,
        software: "dossier test".into(),
        base_url: "https://example.org/".into(),
    }
}

/// Builds the basic fixture; returns the site and the sorted list of its output files.
fn built() -> (TestSite, Vec<String>) {
    let site = TestSite::from_fixture("basic");
    site.build(&[]).ok();
    let files = read_tree(&site.public()).into_keys().collect();
    (site, files)
}

/// Whether Python's `bagit` module is importable; if not, the test is skipped (see
/// [`support::skip`](crate::support::skip)).
fn have_bagit() -> bool {
    have("bagit.py", runs("python3", &["-c", "import bagit"]))
}

/// Runs `python3 -m bagit --validate <bag>`; (success, stderr).
fn validate(bag: &Path) -> (bool, String) {
    let out = Command::new("python3")
        .args(["-m", "bagit", "--validate"])
        .arg(bag)
        .output()
        .expect("run bagit");
    (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn the_bag_holds_the_site_and_its_oxum() {
    let (site, files) = built();
    let bag = site.tmp.path().join("bag");
    let report = write_dir(&site.public(), &files, &meta(), &bag).unwrap();
    let public = read_tree(&site.public());
    let bytes: usize = public.values().map(Vec::len).sum();
    assert_eq!(report.oxum, format!("{bytes}.{}", public.len()));
    let data = read_tree(&bag.join("data"));
    assert_eq!(data, public, "data/ is the built site, unchanged");
    let info = std::fs::read_to_string(bag.join("bag-info.txt")).unwrap();
    assert!(info.contains(&format!("Payload-Oxum: {}\n", report.oxum)), "{info}");
    assert!(info.contains("Bagging-Date: 2020-01-02\n"), "{info}");
    let manifest = std::fs::read_to_string(bag.join("manifest-sha256.txt")).unwrap();
    assert_eq!(manifest.lines().count(), public.len());
}

#[test]
fn two_bags_of_the_same_site_are_byte_identical() {
    let (site, files) = built();
    let (a, b) = (site.tmp.path().join("a/bag.zip"), site.tmp.path().join("b/bag.zip"));
    for zip in [&a, &b] {
        std::fs::create_dir_all(zip.parent().unwrap()).unwrap();
        write_zip(&site.public(), &files, &meta(), zip).unwrap();
    }
    let hash = |p: &std::path::Path| sha256_hex(&std::fs::read(p).unwrap());
    assert_eq!(hash(&a), hash(&b), "two zips of the same site differ");
    let (c, d) = (site.tmp.path().join("c"), site.tmp.path().join("d"));
    write_dir(&site.public(), &files, &meta(), &c).unwrap();
    write_dir(&site.public(), &files, &meta(), &d).unwrap();
    assert_eq!(read_tree(&c), read_tree(&d));
}

#[test]
fn bagit_py_validates_the_bag() {
    if !have_bagit() {
        return;
    }
    let (site, files) = built();
    let bag = site.tmp.path().join("bag");
    write_dir(&site.public(), &files, &meta(), &bag).unwrap();
    let (ok, stderr) = validate(&bag);
    assert!(ok, "bagit.py rejected the bag:\n{stderr}");
    assert!(stderr.contains("is valid"), "{stderr}");
}

#[test]
fn bagit_py_validates_the_unzipped_bag() {
    if !have_bagit() {
        return;
    }
    let (site, files) = built();
    let zip_path = site.tmp.path().join("dossier-bag.zip");
    write_zip(&site.public(), &files, &meta(), &zip_path).unwrap();
    let unzipped = site.tmp.path().join("unzipped");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    archive.extract(&unzipped).unwrap();
    let (ok, stderr) = validate(&unzipped.join("dossier-bag"));
    assert!(ok, "bagit.py rejected the unzipped bag:\n{stderr}");
}

#[test]
fn bagit_py_rejects_a_tampered_bag() {
    if !have_bagit() {
        return;
    }
    let (site, files) = built();
    let bag = site.tmp.path().join("bag");
    write_dir(&site.public(), &files, &meta(), &bag).unwrap();
    // One byte changed, the size kept: only the checksum can tell.
    let page = bag.join("data/index.html");
    let mut bytes = std::fs::read(&page).unwrap();
    let i = bytes.iter().position(|&b| b == b'<').unwrap();
    bytes[i] = b'[';
    std::fs::write(&page, bytes).unwrap();
    let (ok, stderr) = validate(&bag);
    assert!(!ok, "bagit.py accepted a tampered bag:\n{stderr}");
    assert!(stderr.contains("data/index.html"), "{stderr}");
}
