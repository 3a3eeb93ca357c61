use super::*;
use crate::output::check_output_dir;

fn build(out: &Path, files: &[(&str, &str)]) -> crate::Result<Committed> {
    let staging = Staging::begin(out)?;
    for (p, t) in files {
        staging.put(p, "test", &Bytes::from(t.to_string())).map_err(|d| anyhow::anyhow!("{d}"))?;
    }
    staging.commit()
}

#[test]
fn first_build_then_rebuild_replaces_our_files_only() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&out, &[("index.html", "one"), ("a/index.html", "a")]).unwrap();
    assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "one");
    let manifest = std::fs::read_to_string(out.join(MANIFEST)).unwrap();
    assert_eq!(manifest.lines().count(), 2);
    assert!(manifest.contains(&format!("{}  index.html", sha256_hex(b"one"))));

    std::fs::write(out.join("CNAME"), "dossier.example").unwrap();
    let report = build(&out, &[("index.html", "two")]).unwrap();
    assert_eq!(report.kept, ["CNAME"]);
    assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "two");
    assert!(!out.join("a/index.html").exists(), "stale page of ours removed");
    assert_eq!(std::fs::read_to_string(out.join("CNAME")).unwrap(), "dossier.example");
    let names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into())
        .collect();
    assert_eq!(names, ["public"], "no staging or old directories left behind");
}

#[test]
fn files_put_in_any_order_make_their_directories_and_a_sorted_manifest() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    // No `prepare`: the directories are made as the files need them.
    build(&out, &[("z.html", "z"), ("a/b/c.html", "c"), ("a/index.html", "a")]).unwrap();
    assert_eq!(std::fs::read_to_string(out.join("a/b/c.html")).unwrap(), "c");
    let manifest = std::fs::read_to_string(out.join(MANIFEST)).unwrap();
    let paths: Vec<&str> =
        manifest.lines().filter_map(|l| l.split_once("  ")).map(|p| p.1).collect();
    assert_eq!(paths, ["a/b/c.html", "a/index.html", "z.html"]);
}

#[test]
fn edited_or_foreign_files_are_never_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&out, &[("index.html", "one")]).unwrap();
    std::fs::write(out.join("index.html"), "hand edit").unwrap();
    let err = build(&out, &[("index.html", "two")]).unwrap_err().to_string();
    assert!(err.contains("would overwrite 1 file(s) that dossier did not write"), "{err}");
    assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "hand edit");
    assert_eq!(
        std::fs::read_dir(tmp.path()).unwrap().count(),
        1,
        "staging removed after the failure"
    );
}

#[test]
fn an_abandoned_build_leaves_the_old_output() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&out, &[("index.html", "one")]).unwrap();
    let staging = Staging::begin(&out).unwrap();
    staging.put("index.html", "test", &Bytes::from("half")).unwrap();
    drop(staging);
    assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "one");
    assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 1);
}

#[test]
fn leftovers_of_a_killed_build_are_cleaned_up() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&out, &[("index.html", "one")]).unwrap();
    let stale = tmp.path().join(".public.dossier-staging-99999999");
    std::fs::create_dir_all(stale.join("x")).unwrap();
    std::fs::write(stale.join(STAGING_MARKER), "").unwrap();
    std::fs::write(stale.join("x/index.html"), "partial").unwrap();
    build(&out, &[("index.html", "two")]).unwrap();
    assert!(!stale.exists());
}

#[test]
fn a_replaced_output_whose_clean_up_was_cut_short_is_finished_by_the_next_build() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    build(&out, &[("index.html", "one"), ("a/index.html", "a"), ("b/index.html", "b")]).unwrap();
    // Killed after the swap, halfway through deleting the old output: its manifest (deleted
    // last) and the files not yet deleted are left, older than the live ones.
    let old = tmp.path().join(".public.dossier-staging-99999998");
    std::fs::create_dir_all(old.join("a")).unwrap();
    std::fs::copy(out.join(MANIFEST), old.join(MANIFEST)).unwrap();
    std::fs::copy(out.join("a/index.html"), old.join("a/index.html")).unwrap();
    std::fs::write(old.join("notes.txt"), "not dossier's").unwrap();
    build(&out, &[("index.html", "two"), ("a/index.html", "a2")]).unwrap();
    let mut left: Vec<String> = list_files(&old);
    left.sort();
    assert_eq!(left, ["notes.txt"], "only the file dossier did not write is kept");
}

#[cfg(target_os = "linux")]
#[test]
fn running_out_of_room_says_how_to_make_room() {
    let out = Path::new("/srv/site/public");
    let err = |code| {
        anyhow::Error::new(std::io::Error::from_raw_os_error(code)).context("cannot write `x`")
    };
    let full = room_help(&err(28), out).unwrap(); // ENOSPC
    assert!(
        full.starts_with("free some space on the disk that holds `/srv/site` (`df -h /srv/site`"),
        "{full}"
    );
    assert!(room_help(&err(122), out).unwrap().contains("disk quota")); // EDQUOT
    assert!(room_help(&err(27), out).unwrap().contains("`ulimit -f`")); // EFBIG
    assert_eq!(room_help(&err(13), out), None); // EACCES: not about room
    let told = with_room_help(err(28), out);
    assert!(format!("{told:#}").starts_with("no room to write the new output\n  help: free"));
    assert_eq!(
        format!("{:#}", with_room_help(err(13), out)),
        "cannot write `x`: Permission denied (os error 13)"
    );
}

#[test]
fn rename_fallback_swaps_and_recovers_from_a_kill() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join(".public.dossier-staging-1"), tmp.path().join("public"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    std::fs::write(a.join("new"), "").unwrap();
    std::fs::write(b.join("old"), "").unwrap();
    swap_by_renames(&a, &b).unwrap();
    assert!(b.join("new").exists() && a.join("old").exists());

    // Killed after moving the output aside: the next build puts it back.
    std::fs::remove_dir_all(&a).unwrap();
    let aside = tmp.path().join(".public.dossier-staging-1.swap");
    std::fs::rename(&b, &aside).unwrap();
    recover_leftovers(tmp.path(), "public", &b).unwrap();
    assert!(b.join("new").exists(), "the previous output is restored");
    assert!(!aside.exists());
}

#[test]
fn refuses_dangerous_output_directories() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    std::fs::create_dir_all(root.join("content")).unwrap();
    let e = |out: &Path, force| check_output_dir(&root, out, force).map_err(|e| e.to_string());
    assert!(e(&root, false).unwrap_err().contains("is or contains the dossier root"));
    assert!(e(tmp.path(), false).unwrap_err().contains("is or contains the dossier root"));
    assert!(
        e(&root.join("content"), false).unwrap_err().contains("overlaps the sources in `content/`")
    );
    assert!(e(&root.join("content/out"), false).unwrap_err().contains("overlaps"));
    let other = tmp.path().join("other");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("notes.txt"), "mine").unwrap();
    assert!(e(&other, false).unwrap_err().contains("pass --force"));
    assert!(e(&other, true).is_ok());
    assert!(e(&root.join("public"), false).is_ok());
}
