//! The same inputs give byte-identical output: across runs, thread counts, and the disk and
//! in-memory outputs.

use std::process::Command;

use crate::support::{TestSite, read_tree};

fn build_with_threads(site: &TestSite, out: &str, threads: &str) {
    let status = Command::new(env!("CARGO_BIN_EXE_dossier"))
        .args(["build", "-q", "--root"])
        .arg(&site.root)
        .arg("--output")
        .arg(site.tmp.path().join(out))
        .env_clear()
        .env("RAYON_NUM_THREADS", threads)
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn two_builds_are_byte_identical() {
    let site = TestSite::from_fixture("basic");
    build_with_threads(&site, "one", "1");
    build_with_threads(&site, "two", "8");
    let one = read_tree(&site.tmp.path().join("one"));
    let two = read_tree(&site.tmp.path().join("two"));
    assert_eq!(one.keys().collect::<Vec<_>>(), two.keys().collect::<Vec<_>>());
    for (path, bytes) in &one {
        assert!(two[path] == *bytes, "{path} differs between builds");
    }
}

#[test]
fn memory_and_disk_builds_agree() {
    let site = TestSite::from_fixture("basic");
    site.build(&["-q"]).ok();
    let mut disk = read_tree(&site.public());
    let manifest = disk.remove(".dossier-manifest").expect("manifest written");
    let options = dossier::pipeline::BuildOptions { root: site.root.clone(), ..Default::default() };
    let (memory, report) = dossier::pipeline::build_in_memory(&options).unwrap();
    assert_eq!(report.files.values().sum::<usize>(), memory.len());
    let memory: std::collections::BTreeMap<String, Vec<u8>> =
        memory.into_iter().map(|(p, b)| (p, b.to_vec())).collect();
    assert!(memory == disk, "in-memory output differs from disk output");
    // The manifest lists every file with its SHA-256, in `sha256sum -c` format.
    let expected: String =
        memory.iter().map(|(p, b)| format!("{}  {p}\n", dossier::hash::sha256_hex(b))).collect();
    assert_eq!(String::from_utf8(manifest).unwrap(), expected);
}
