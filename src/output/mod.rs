//! Writing the built site: the only module that writes build output.
//!
//! A build never writes into the live output directory. [`Staging::begin`] creates a staging
//! directory beside it (`.public.dossier-staging-<pid>`), files are written there as they are
//! rendered, and [`Staging::commit`] swaps it in with one atomic `renameat2(RENAME_EXCHANGE)` (two
//! renames where the kernel lacks it). A build that fails or is killed leaves the previous output
//! untouched; the next build removes the leftovers.
//!
//! A file whose bytes are those the previous build wrote at the same path (by SHA-256, against
//! the previous manifest, and checked unedited on disk) is hard-linked from the previous output
//! instead of written again: a rebuild writes only the outputs whose bytes changed, and an
//! unchanged file keeps its inode and modification time.
//!
//! Nothing the tool did not write is ever deleted or overwritten. Each output carries a manifest
//! (`.dossier-manifest`, in `sha256sum` format) of the files the tool wrote. Files in the old
//! output that are not in it, or that were edited since, are carried over into the new output;
//! if the new build would overwrite one, the build stops and names it.
//!
//! A build that runs out of room (a full disk, a used-up quota, a file size limit) stops
//! writing at the first such failure and reports it once, naming the output and how to make
//! room; its staging directory is removed, so the disk is left as it was.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use anyhow::{Context as _, bail};

use bytes::Bytes;

use crate::diagnostics::Diagnostic;
use crate::theme::{StaticContents, StaticFile};

mod staging;

pub use staging::{Committed, Staging};

/// A built site in memory: output path → bytes (cheap to clone and to share between threads).
pub type Files = BTreeMap<String, Bytes>;

/// Where a build puts its files: a staging directory on disk ([`Staging`]), or memory
/// ([`Memory`]). Called from several threads at once.
pub trait Output: Sync {
    /// Told every path about to be put, before the first (a staging directory makes the
    /// directories they need at once).
    fn prepare(&self, paths: &[&str]) -> Result<(), Diagnostic> {
        let _ = paths;
        Ok(())
    }

    /// Stores a file made in memory; `origin` names what made it, for messages.
    fn put(&self, path: &str, origin: &str, bytes: &Bytes) -> Result<(), Diagnostic>;

    /// Stores a copy of a static file.
    fn put_static(&self, file: &StaticFile) -> Result<(), Diagnostic>;
}

/// The manifest's file name, inside the output directory.
pub const MANIFEST: &str = ".dossier-manifest";
/// Marks a staging directory that was never swapped in (safe to delete whole).
const STAGING_MARKER: &str = ".dossier-staging";

/// Makes `path` absolute and resolves symlinks in the part that exists.
fn absolute(path: &Path) -> crate::Result<PathBuf> {
    let path = std::path::absolute(path)
        .with_context(|| format!("cannot resolve `{}`", path.display()))?;
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        rest.push(existing.file_name().map(|n| n.to_owned()).unwrap_or_default());
        existing = existing.parent().unwrap_or(Path::new("/"));
    }
    let mut out = existing
        .canonicalize()
        .with_context(|| format!("cannot resolve `{}`", existing.display()))?;
    out.extend(rest.into_iter().rev());
    Ok(out)
}

/// Refuses an output directory that would clobber the sources, before any work is done.
pub fn check_output_dir(root: &Path, output: &Path, force: bool) -> crate::Result<()> {
    let root_abs = absolute(root)?;
    let out = absolute(output)?;
    let shown = output.display();
    if out == root_abs || root_abs.starts_with(&out) {
        bail!(
            "refusing to build into `{shown}`: it is or contains the dossier root `{}`; choose another --output, e.g. `public`",
            root.display()
        );
    }
    for dir in ["content", crate::theme::TEMPLATES_DIR, crate::theme::STATIC_DIR] {
        let d = root_abs.join(dir);
        if out == d || d.starts_with(&out) || out.starts_with(&d) {
            bail!(
                "refusing to build into `{shown}`: it overlaps the sources in `{dir}/`; choose another --output, e.g. `public`"
            );
        }
    }
    if out.exists() && !out.is_dir() {
        bail!("refusing to build into `{shown}`: it exists and is not a directory");
    }
    if out.is_dir() && !out.join(MANIFEST).is_file() && !force {
        let non_empty = std::fs::read_dir(&out).map(|mut d| d.next().is_some()).unwrap_or(false);
        if non_empty {
            bail!(
                "refusing to build into `{shown}`: it is not empty and was not written by dossier (it has no {MANIFEST}).\n\
                 Choose another --output, empty the directory, or pass --force to build into it anyway \
                 (its files are kept; dossier never deletes files it did not write)"
            );
        }
    }
    Ok(())
}

/// An advisory lock held by a build from before its staging directory is made until after the
/// swap, so that two builds into one output take turns. It is a `flock` on the directory that
/// holds the output (no file is made for it), released when the build ends or dies (the kernel
/// drops a dead process's locks).
#[derive(Debug)]
pub struct Lock {
    _dir: std::fs::File,
}

/// Takes the lock for building into `output`; when another build holds it, says so on
/// standard error (naming that build's pid, from its staging directory) and waits for it.
pub fn lock(output: &Path) -> crate::Result<Lock> {
    use rustix::fs::{FlockOperation, flock};
    let output = absolute(output)?;
    let parent = output.parent().context("the output directory has no parent")?;
    std::fs::create_dir_all(parent)
        .with_context(|| format!("cannot create `{}`", parent.display()))?;
    let dir = std::fs::File::open(parent)
        .with_context(|| format!("cannot open `{}` to lock it", parent.display()))?;
    if flock(&dir, FlockOperation::NonBlockingLockExclusive).is_err() {
        let name = output.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let prefix = format!(".{name}.dossier-staging-");
        let holder = std::fs::read_dir(parent).ok().and_then(|entries| {
            entries.filter_map(Result::ok).find_map(|e| {
                e.file_name().to_string_lossy().strip_prefix(&prefix).map(String::from)
            })
        });
        let who = holder.map(|pid| format!(" (pid {pid})")).unwrap_or_default();
        errln!(
            "waiting for another build{who} that is writing to `{}` to finish…",
            output.display()
        );
        flock(&dir, FlockOperation::LockExclusive)
            .with_context(|| format!("cannot lock `{}`", parent.display()))?;
    }
    Ok(Lock { _dir: dir })
}

/// Output kept in memory (for tests, `dossier check` and the dev server).
#[derive(Debug, Default)]
pub struct Memory {
    files: Mutex<Files>,
}

impl Memory {
    /// An empty site.
    pub fn new() -> Self {
        Self::default()
    }

    /// The files, by path.
    pub fn into_files(self) -> Files {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl Output for Memory {
    fn put(&self, path: &str, _origin: &str, bytes: &Bytes) -> Result<(), Diagnostic> {
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path.to_string(), bytes.clone());
        Ok(())
    }

    fn put_static(&self, file: &StaticFile) -> Result<(), Diagnostic> {
        let bytes = match &file.contents {
            StaticContents::Embedded(b) => Bytes::from_static(b),
            StaticContents::Loaded(b) => Bytes::copy_from_slice(b),
            StaticContents::File(p) => Bytes::from(std::fs::read(p).map_err(|e| {
                Diagnostic::error(&file.origin, format!("cannot read `{}`: {e}", p.display()))
            })?),
        };
        self.files.lock().unwrap_or_else(|e| e.into_inner()).insert(file.path.clone(), bytes);
        Ok(())
    }
}
