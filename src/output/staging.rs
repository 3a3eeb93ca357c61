//! [`Staging`]: a build written into a staging directory beside the output, swapped in by
//! [`Staging::commit`], and everything that makes that safe: the manifest of what the tool
//! wrote, hard links for unchanged files, carrying over files the tool did not write, cleaning
//! up after a build that died, and saying how to make room when the disk is full.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use anyhow::{Context as _, bail};
use rayon::iter::Either;
use rayon::prelude::*;

use bytes::Bytes;

use crate::diagnostics::Diagnostic;
use crate::hash::sha256_hex;
use crate::theme::{StaticContents, StaticFile};

use super::{MANIFEST, Output, STAGING_MARKER, absolute};

/// Reads a manifest: path → sha256.
fn read_manifest(dir: &Path) -> BTreeMap<String, String> {
    let Ok(text) = std::fs::read_to_string(dir.join(MANIFEST)) else { return BTreeMap::new() };
    text.lines()
        .filter_map(|l| l.split_once("  "))
        .map(|(hash, path)| (path.to_string(), hash.to_string()))
        .collect()
}

/// Files under `dir` (relative, `/`-separated), sorted; symlinks are listed, not followed.
fn list_files(dir: &Path) -> Vec<String> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| crate::fs::display_path(dir, e.path()))
        .collect()
}

/// What [`Staging::commit`] did.
#[derive(Debug, Default)]
pub struct Committed {
    /// Files written by this build.
    pub written: usize,
    /// Of those, files whose bytes were those of the previous build's file at the same path
    /// (by hash): linked to that file rather than written again.
    pub unchanged: usize,
    /// Files that dossier did not write (or that were edited), carried over from the old output.
    pub kept: Vec<String>,
    /// Things worth telling the user.
    pub warnings: Vec<Diagnostic>,
}

/// A build in progress: a staging directory next to the output.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    dir: PathBuf,
    /// Each file written (path, SHA-256), in the order written; sorted at the commit.
    written: Mutex<Vec<(String, String)>>,
    committed: bool,
    /// The previous output's manifest: path → SHA-256 of the bytes dossier wrote there.
    previous: BTreeMap<String, String>,
    /// Previous files verified as ours and unedited, and linked into the new output.
    linked: Mutex<BTreeSet<String>>,
    /// Set by the first write that found no room: every later write fails with it at once.
    out_of_room: OnceLock<Diagnostic>,
}

impl Staging {
    /// Creates the staging directory (after removing leftovers of interrupted builds).
    pub fn begin(output: &Path) -> crate::Result<Staging> {
        Self::begin_inner(output).map_err(|e| {
            with_room_help(e, &std::path::absolute(output).unwrap_or_else(|_| output.into()))
        })
    }

    fn begin_inner(output: &Path) -> crate::Result<Staging> {
        let output = absolute(output)?;
        let parent = output.parent().context("the output directory has no parent")?.to_path_buf();
        std::fs::create_dir_all(&parent)
            .with_context(|| format!("cannot create `{}`", parent.display()))?;
        let name = output
            .file_name()
            .context("the output directory has no name")?
            .to_string_lossy()
            .into_owned();
        recover_leftovers(&parent, &name, &output)?;
        let dir = parent.join(format!(".{name}.dossier-staging-{}", std::process::id()));
        if dir.exists() {
            std::fs::remove_dir_all(&dir)
                .with_context(|| format!("cannot remove `{}`", dir.display()))?;
        }
        std::fs::create_dir(&dir).with_context(|| format!("cannot create `{}`", dir.display()))?;
        std::fs::write(dir.join(STAGING_MARKER), b"")
            .with_context(|| format!("cannot write in `{}`", dir.display()))?;
        let previous = if output.is_dir() { read_manifest(&output) } else { BTreeMap::new() };
        Ok(Staging {
            output,
            dir,
            written: Mutex::new(Vec::new()),
            committed: false,
            previous,
            linked: Mutex::new(BTreeSet::new()),
            out_of_room: OnceLock::new(),
        })
    }

    /// Creates every directory the files at `paths` need, once each, before they are written.
    pub fn make_dirs<'a>(&self, paths: impl Iterator<Item = &'a str>) -> crate::Result<()> {
        let mut dirs: BTreeSet<&str> = BTreeSet::new();
        for path in paths {
            if let Some((dir, _)) = path.rsplit_once('/') {
                dirs.insert(dir);
            }
        }
        // Sorted, so a parent comes before its children: `create_dir` suffices after the first.
        for dir in dirs {
            let target = self.dir.join(dir);
            match std::fs::create_dir(&target) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(_) => std::fs::create_dir_all(&target)
                    .with_context(|| format!("cannot create `{}`", target.display()))?,
            }
        }
        Ok(())
    }

    /// Links the previous output's file at `path` into the new output when dossier wrote it
    /// with these very bytes (`hash`) and it is still unedited; returns whether it did.
    fn link_unchanged(&self, path: &str, hash: &str, target: &Path) -> bool {
        if self.previous.get(path).map(String::as_str) != Some(hash) {
            return false;
        }
        let old = self.output.join(path);
        let unedited = std::fs::read(&old).is_ok_and(|b| sha256_hex(&b) == hash);
        if !unedited || std::fs::hard_link(&old, target).is_err() {
            return false;
        }
        if let Ok(mut linked) = self.linked.lock() {
            linked.insert(path.to_string());
        }
        true
    }

    /// Writes (or links from the previous output) the file at `path` with `bytes`.
    fn write_file(&self, path: &str, bytes: &[u8]) -> crate::Result<()> {
        let target = self.dir.join(path);
        let hash = sha256_hex(bytes);
        if !self.link_unchanged(path, &hash, &target) {
            write_bytes(&target, bytes)?;
        }
        self.written
            .lock()
            .map_err(|_| anyhow::anyhow!("a writer thread panicked"))?
            .push((path.to_string(), hash));
        Ok(())
    }

    /// Carries over foreign files, writes the manifest and swaps the staging directory in.
    pub fn commit(self) -> crate::Result<Committed> {
        let output = self.output.clone();
        self.commit_inner().map_err(|e| with_room_help(e, &output))
    }

    fn commit_inner(mut self) -> crate::Result<Committed> {
        let written: BTreeMap<String, String> = std::mem::take(
            &mut *self.written.lock().map_err(|_| anyhow::anyhow!("a writer thread panicked"))?,
        )
        .into_iter()
        .collect();
        let linked = std::mem::take(
            &mut *self.linked.lock().map_err(|_| anyhow::anyhow!("a writer thread panicked"))?,
        );
        let mut report =
            Committed { written: written.len(), unchanged: linked.len(), ..Committed::default() };
        // Old files verified as ours and unedited: the cleanup deletes them without re-reading.
        let mut verified = BTreeSet::new();
        if self.output.is_dir() {
            (report.kept, verified) = self.carry_over(&written, &linked)?;
        }
        let mut manifest = String::new();
        for (path, hash) in &written {
            manifest.push_str(&format!("{hash}  {path}\n"));
        }
        write_new(&self.dir.join(MANIFEST), manifest.as_bytes())?;
        std::fs::remove_file(self.dir.join(STAGING_MARKER))
            .context("cannot remove the staging marker")?;
        if self.output.exists() {
            swap(&self.dir, &self.output)?;
            // `self.dir` now holds the previous output: it must not be removed whole.
            self.committed = true;
            if let Some(w) = remove_old(&self.dir, &self.output, &verified) {
                report.warnings.push(w);
            }
        } else {
            std::fs::rename(&self.dir, &self.output).with_context(|| {
                format!("cannot move the new output into `{}`", self.output.display())
            })?;
            self.committed = true;
        }
        Ok(report)
    }

    /// Links (or copies) into staging every file of the old output that the tool did not write,
    /// or that was edited after it wrote it. Refuses to overwrite one.
    /// Returns the carried-over files, and the old files verified as written by dossier.
    fn carry_over(
        &self,
        written: &BTreeMap<String, String>,
        linked: &BTreeSet<String>,
    ) -> crate::Result<(Vec<String>, BTreeSet<String>)> {
        let manifest = &self.previous;
        let files = list_files(&self.output);
        let (verified, foreign): (Vec<String>, Vec<String>) =
            files.into_par_iter().filter(|p| p.as_str() != MANIFEST).partition_map(|p| {
                // A linked file was verified when it was linked.
                let ours = linked.contains(&p)
                    || manifest.get(p.as_str()).is_some_and(|hash| {
                        std::fs::read(self.output.join(&p)).is_ok_and(|b| sha256_hex(&b) == *hash)
                    });
                if ours { Either::Left(p) } else { Either::Right(p) }
            });
        let clashes: Vec<&String> = foreign
            .iter()
            .filter(|p| {
                let dir = format!("{p}/");
                written.contains_key(p.as_str())
                    || written.range(dir.clone()..).next().is_some_and(|(w, _)| w.starts_with(&dir))
            })
            .collect();
        if !clashes.is_empty() {
            let list: Vec<String> = clashes
                .iter()
                .take(10)
                .map(|p| format!("  {}", self.output.join(p).display()))
                .collect();
            bail!(
                "the build would overwrite {} file(s) that dossier did not write, or that were edited after it wrote them:\n{}\n\
                 Move them out of the output directory (dossier never overwrites files it did not write), then build again.",
                clashes.len(),
                list.join("\n")
            );
        }
        for p in &foreign {
            let (from, to) = (self.output.join(p), self.dir.join(p));
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent)?;
            }
            let meta = std::fs::symlink_metadata(&from)?;
            if meta.file_type().is_symlink() {
                let target = std::fs::read_link(&from)?;
                std::os::unix::fs::symlink(target, &to)
                    .with_context(|| format!("cannot keep `{}`", from.display()))?;
            } else if std::fs::hard_link(&from, &to).is_err() {
                std::fs::copy(&from, &to)
                    .with_context(|| format!("cannot keep `{}`", from.display()))?;
            }
        }
        Ok((foreign, verified.into_iter().collect()))
    }
}

impl Staging {
    /// The one report of a build that ran out of room, when `error` is that (the first such
    /// failure is kept, so that the writes failing after it on other threads say the same).
    fn no_room(&self, error: &anyhow::Error) -> Option<Diagnostic> {
        let help = room_help(error, &self.output)?;
        let diagnostic = self.out_of_room.get_or_init(|| {
            Diagnostic::error(
                self.output.display().to_string(),
                format!("no room to write the new output: {error:#}"),
            )
            .help(help)
        });
        Some(diagnostic.clone())
    }
}

impl Output for Staging {
    fn prepare(&self, paths: &[&str]) -> Result<(), Diagnostic> {
        self.make_dirs(paths.iter().copied()).map_err(|e| {
            self.no_room(&e).unwrap_or_else(|| Diagnostic::error("the output", format!("{e:#}")))
        })
    }

    fn put(&self, path: &str, origin: &str, bytes: &Bytes) -> Result<(), Diagnostic> {
        self.put_bytes(path, origin, || Ok(std::borrow::Cow::Borrowed(&bytes[..])))
    }

    fn put_static(&self, file: &StaticFile) -> Result<(), Diagnostic> {
        self.put_bytes(&file.path, &file.origin, || match &file.contents {
            StaticContents::Embedded(b) => Ok(std::borrow::Cow::Borrowed(*b)),
            StaticContents::Loaded(b) => Ok(std::borrow::Cow::Borrowed(&b[..])),
            // Read once: hashed, then linked from the previous output or written.
            StaticContents::File(src) => std::fs::read(src)
                .map(std::borrow::Cow::Owned)
                .with_context(|| format!("cannot read `{}`", src.display())),
        })
    }
}

impl Staging {
    fn put_bytes<'b>(
        &self,
        path: &str,
        origin: &str,
        bytes: impl FnOnce() -> crate::Result<std::borrow::Cow<'b, [u8]>>,
    ) -> Result<(), Diagnostic> {
        // Once the disk is full, writing the other files only fails again, more slowly.
        if let Some(full) = self.out_of_room.get() {
            return Err(full.clone());
        }
        bytes().and_then(|b| self.write_file(path, &b)).map_err(|e| {
            self.no_room(&e).unwrap_or_else(|| {
                Diagnostic::error(origin, format!("cannot write `{path}`: {e:#}"))
            })
        })
    }
}

/// How to make room, when `error` failed for lack of it: a full disk (`ENOSPC`), a used-up
/// quota (`EDQUOT`) or a file size limit (`EFBIG`, `ulimit -f`). `None` for any other error.
fn room_help(error: &anyhow::Error, output: &Path) -> Option<String> {
    use std::io::ErrorKind;
    let kind = error.chain().find_map(|e| e.downcast_ref::<std::io::Error>())?.kind();
    let disk = output.parent().unwrap_or(output).display();
    let elsewhere = "or build elsewhere with --output DIR";
    let help = match kind {
        ErrorKind::StorageFull => format!(
            "free some space on the disk that holds `{disk}` (`df -h {disk}` shows what is left), {elsewhere}"
        ),
        ErrorKind::QuotaExceeded => {
            format!("your disk quota on `{disk}` is used up: free some space in it, {elsewhere}")
        }
        ErrorKind::FileTooLarge => format!(
            "a file is larger than this process may write (a file size limit: see `ulimit -f`): raise the limit, {elsewhere}"
        ),
        _ => return None,
    };
    Some(format!("{help}; the partial new output was removed"))
}

/// `error`, with how to make room added when it failed for lack of it.
fn with_room_help(error: anyhow::Error, output: &Path) -> anyhow::Error {
    match room_help(&error, output) {
        Some(help) => error.context(format!("no room to write the new output\n  help: {help}")),
        None => error,
    }
}

impl Drop for Staging {
    /// A build that did not commit leaves no trace.
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes a new file and returns its hash.
fn write_new(path: &Path, bytes: &[u8]) -> crate::Result<String> {
    write_bytes(path, bytes)?;
    Ok(sha256_hex(bytes))
}

/// Writes a new file (never over an existing one). [`Output::prepare`] made the directories;
/// for a caller that did not, a missing one is made here.
fn write_bytes(path: &Path, bytes: &[u8]) -> crate::Result<()> {
    let create = || std::fs::File::create_new(path);
    let created = match create() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => match path.parent() {
            Some(parent) => std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create `{}`", parent.display()))
                .map(|()| create())?,
            None => Err(e),
        },
        other => other,
    };
    let mut f = created.with_context(|| format!("cannot create `{}`", path.display()))?;
    f.write_all(bytes).with_context(|| format!("cannot write `{}`", path.display()))
}

/// Exchanges two directories atomically where the kernel can.
fn swap(a: &Path, b: &Path) -> crate::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        if renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE).is_ok() {
            return Ok(());
        }
    }
    swap_by_renames(a, b)
}

/// The fallback swap: three renames. If the process dies between the first two, the output is
/// missing and the next build's [`recover_leftovers`] puts the old output back.
fn swap_by_renames(a: &Path, b: &Path) -> crate::Result<()> {
    let name = a.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = a.with_file_name(format!("{name}.swap"));
    std::fs::rename(b, &tmp).with_context(|| format!("cannot move `{}` aside", b.display()))?;
    if let Err(e) = std::fs::rename(a, b) {
        let _ = std::fs::rename(&tmp, b);
        return Err(e)
            .with_context(|| format!("cannot move the new output into `{}`", b.display()));
    }
    std::fs::rename(&tmp, a).with_context(|| format!("cannot rename `{}`", tmp.display()))?;
    Ok(())
}

/// Deletes what the tool wrote in a replaced output directory, and the carried-over files now
/// in `live`. Anything else stays, and the directory with it (reported as a warning).
///
/// The manifest goes last: a build killed halfway through leaves it beside the files it has
/// not deleted yet, so that the next build's [`recover_leftovers`] can still tell them apart.
fn remove_old(old: &Path, live: &Path, verified: &BTreeSet<String>) -> Option<Diagnostic> {
    let manifest = read_manifest(old);
    // Deleting thousands of files is I/O-bound: spread it over the thread pool.
    let left: Vec<String> = list_files(old)
        .into_par_iter()
        .filter(|p| {
            let path = old.join(p);
            if p == MANIFEST {
                return false;
            }
            let ours = p == STAGING_MARKER
                || verified.contains(p)
                || manifest
                    .get(p)
                    .is_some_and(|h| std::fs::read(&path).is_ok_and(|b| sha256_hex(&b) == *h))
                || same_file(&path, &live.join(p));
            !(ours && std::fs::remove_file(&path).is_ok())
        })
        .collect();
    let _ = std::fs::remove_file(old.join(MANIFEST));
    for e in walkdir::WalkDir::new(old).contents_first(true).into_iter().filter_map(Result::ok) {
        if e.file_type().is_dir() {
            let _ = std::fs::remove_dir(e.path());
        }
    }
    (!left.is_empty()).then(|| {
        Diagnostic::warning(
            old.display().to_string(),
            format!(
                "kept this directory: it holds {} file(s) dossier did not write, e.g. `{}`",
                left.len(),
                left[0]
            ),
        )
        .help("look through it and delete it when you no longer need it")
    })
}

/// Whether two paths hold the same bytes (hard links, or identical copies).
fn same_file(a: &Path, b: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (std::fs::symlink_metadata(a), std::fs::symlink_metadata(b)) {
        (Ok(x), Ok(y)) if x.dev() == y.dev() && x.ino() == y.ino() => true,
        (Ok(x), Ok(y)) if x.file_type().is_symlink() && y.file_type().is_symlink() => {
            std::fs::read_link(a).ok() == std::fs::read_link(b).ok()
        }
        (Ok(x), Ok(y)) if x.len() == y.len() => std::fs::read(a).ok() == std::fs::read(b).ok(),
        _ => false,
    }
}

/// Removes what interrupted builds left beside the output: unfinished staging directories
/// (deleted whole) and replaced outputs (cleaned like [`remove_old`]). If the output itself is
/// missing because a build died between two renames, the replaced output is put back.
fn recover_leftovers(parent: &Path, name: &str, output: &Path) -> crate::Result<()> {
    let prefix = format!(".{name}.dossier-staging-");
    let Ok(entries) = std::fs::read_dir(parent) else { return Ok(()) };
    let mut leftovers: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    leftovers.sort();
    for dir in leftovers {
        if dir.join(STAGING_MARKER).exists() {
            std::fs::remove_dir_all(&dir)
                .with_context(|| format!("cannot remove `{}`", dir.display()))?;
        } else if !output.exists() && dir.to_string_lossy().ends_with(".swap") {
            std::fs::rename(&dir, output)
                .with_context(|| format!("cannot restore `{}`", output.display()))?;
        } else {
            let _ = remove_old(&dir, output, &BTreeSet::new());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
