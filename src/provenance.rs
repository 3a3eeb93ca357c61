//! Where a build came from: the git commit of the dossier root.
//!
//! Snapshots (`bag-info.txt`, `datapackage.json`) record the commit the dossier was built from,
//! so an archivist can find the exact sources again. The commit is read by running `git`
//! (`git -C <root> rev-parse HEAD`, then `git status --porcelain` for uncommitted changes); when
//! `git` is not installed or the root is not inside a checkout there is simply no commit — never
//! an error. The parsing of git's output is pure and tested on its own; [`commit`] is the thin
//! shell that runs the program.

use std::path::Path;
use std::process::{Command, Stdio};

/// The commit a dossier root is checked out at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceCommit {
    /// The full object id of `HEAD` (40 hex digits for SHA-1 repositories, 64 for SHA-256).
    pub id: String,
    /// Whether the work tree has changes not in that commit (modified, staged or untracked
    /// files), so the build may not match the commit exactly.
    pub dirty: bool,
}

impl SourceCommit {
    /// One line for a snapshot's metadata: the id, plus a note when the work tree was dirty
    /// (`<id> (uncommitted changes in the work tree)`).
    pub fn describe(&self) -> String {
        if self.dirty {
            format!("{} (uncommitted changes in the work tree)", self.id)
        } else {
            self.id.clone()
        }
    }
}

/// The commit `root` is checked out at, or `None` when `git` is missing, `root` is not inside a
/// git work tree, or `HEAD` has no commit yet.
pub fn commit(root: &Path) -> Option<SourceCommit> {
    let head = run_git(root, &["rev-parse", "--verify", "--quiet", "HEAD"])?;
    let id = parse_object_id(&head)?;
    // `status` failing after `rev-parse` succeeded is unexpected; say "dirty" rather than claim
    // a clean tree we could not check.
    let dirty = run_git(root, &["status", "--porcelain"]).is_none_or(|out| is_dirty(&out));
    Some(SourceCommit { id, dirty })
}

/// Runs `git -C root args…`; its stdout when it ran and exited with success.
fn run_git(root: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    String::from_utf8(out.stdout).ok()
}

/// The object id printed by `git rev-parse HEAD`: one line of 40 or 64 lowercase hex digits.
fn parse_object_id(stdout: &str) -> Option<String> {
    let id = stdout.trim();
    let hex = id.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    (hex && (id.len() == 40 || id.len() == 64)).then(|| id.to_string())
}

/// Whether `git status --porcelain` listed anything.
fn is_dirty(porcelain: &str) -> bool {
    porcelain.lines().any(|l| !l.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_ids_are_40_or_64_hex_digits() {
        let sha1 = "0123456789abcdef0123456789abcdef01234567";
        assert_eq!(parse_object_id(&format!("{sha1}\n")).as_deref(), Some(sha1));
        let sha256 = "ab".repeat(32);
        assert_eq!(parse_object_id(&sha256).as_deref(), Some(sha256.as_str()));
        assert_eq!(parse_object_id("HEAD\n"), None);
        assert_eq!(parse_object_id(""), None);
        assert_eq!(parse_object_id(&"g".repeat(40)), None);
        assert_eq!(parse_object_id(&"a".repeat(39)), None);
    }

    #[test]
    fn porcelain_output_means_dirty() {
        assert!(!is_dirty(""));
        assert!(!is_dirty("\n"));
        assert!(is_dirty(" M content/articles/x.md\n"));
        assert!(is_dirty("?? new.md\n"));
    }

    #[test]
    fn describe_notes_a_dirty_tree() {
        let c = SourceCommit { id: "a".repeat(40), dirty: false };
        assert_eq!(c.describe(), "a".repeat(40));
        let d = SourceCommit { dirty: true, ..c };
        assert_eq!(
            d.describe(),
            format!("{} (uncommitted changes in the work tree)", "a".repeat(40))
        );
    }
}
