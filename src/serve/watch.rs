//! Watching the dossier's sources: `dossier.yaml`, `content/`, `templates/` and `static/`.
//!
//! [`is_source`] is the pure filter (unit-tested): a path counts only when it is one of those
//! sources and no part of it is an editor's temporary, swap or backup file, or hidden; the
//! output directory, `target/` and `.git/` are outside the sources and so never count.
//! [`Watcher`] wraps `notify-debouncer-full`: it watches the root (not recursively, to see
//! `dossier.yaml` and the source directories appear) and each source directory recursively,
//! and hands each debounced batch of source paths to a callback.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context as _;
use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};

use crate::config::CONFIG_FILE;

/// The directories of sources under the root.
pub const SOURCE_DIRS: [&str; 3] = ["content", "templates", "static"];

/// How long the watcher waits for a burst of file events to end. Editors save with several
/// events (write a temporary file, rename it over the old one) within a millisecond or two;
/// 20 ms gathers them and leaves most of the 100 ms edit-to-reload budget to the rebuild. A
/// burst split in two is harmless: the second batch cancels the first one's rebuild.
pub const DEBOUNCE: Duration = Duration::from_millis(20);

/// How often the debouncer looks for bursts that have ended (notify's default is a quarter of
/// [`DEBOUNCE`]).
const TICK: Duration = Duration::from_millis(5);

/// Whether a file name is an editor's temporary, swap or backup file, or hidden.
pub fn is_editor_file(name: &str) -> bool {
    crate::fs::is_ignored_name(name) || name == "4913" || name.ends_with(".swo")
}

/// Whether `path` (under `root`) is a source of the dossier whose change needs a rebuild.
pub fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else { return false };
    let parts: Vec<String> =
        rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    match parts.as_slice() {
        [] => false,
        [file] => file == CONFIG_FILE || SOURCE_DIRS.contains(&file.as_str()),
        [dir, rest @ ..] => {
            SOURCE_DIRS.contains(&dir.as_str())
                // `.well-known/` is published from static/ (see theme.rs); no other hidden name is.
                && rest.iter().all(|p| p == ".well-known" || !is_editor_file(p))
        }
    }
}

/// Whether a file event can change a source's bytes (opening or reading a file cannot: the
/// build itself opens every source).
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// A running watcher; dropping it stops watching.
pub struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    root: PathBuf,
    watched: Vec<&'static str>,
}

impl std::fmt::Debug for Watcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watcher").field("root", &self.root).field("watched", &self.watched).finish()
    }
}

impl Watcher {
    /// Watches the sources under `root` (an absolute, canonical path) and calls `on_change` with
    /// each debounced batch of changed sources (sorted, without duplicates; never empty).
    pub fn start(
        root: &Path,
        on_change: impl Fn(Vec<PathBuf>) + Send + 'static,
    ) -> crate::Result<Watcher> {
        let filter_root = root.to_path_buf();
        let handler = move |result: DebounceEventResult| {
            let Ok(events) = result else { return };
            let mut paths: Vec<PathBuf> = events
                .iter()
                .filter(|e| is_change(&e.event.kind))
                .flat_map(|e| e.event.paths.iter())
                .filter(|p| is_source(&filter_root, p))
                .cloned()
                .collect();
            paths.sort();
            paths.dedup();
            if !paths.is_empty() {
                on_change(paths);
            }
        };
        let debouncer =
            new_debouncer(DEBOUNCE, Some(TICK), handler).context("cannot watch files")?;
        let mut watcher = Watcher { debouncer, root: root.to_path_buf(), watched: Vec::new() };
        watcher
            .debouncer
            .watch(root, RecursiveMode::NonRecursive)
            .with_context(|| format!("cannot watch `{}`", root.display()))?;
        watcher.watch_new_dirs()?;
        Ok(watcher)
    }

    /// Starts watching source directories that have appeared since (a dossier without
    /// `templates/` that gains one).
    pub fn watch_new_dirs(&mut self) -> crate::Result<()> {
        for dir in SOURCE_DIRS {
            let path = self.root.join(dir);
            if !self.watched.contains(&dir) && path.is_dir() {
                self.debouncer
                    .watch(&path, RecursiveMode::Recursive)
                    .with_context(|| format!("cannot watch `{}`", path.display()))?;
                self.watched.push(dir);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_the_config_and_files_under_the_source_directories() {
        let root = Path::new("/d");
        for yes in [
            "/d/dossier.yaml",
            "/d/content/articles/a.md",
            "/d/templates/base.html",
            "/d/static/style.css",
            "/d/static/.well-known/security.txt",
            "/d/content",
        ] {
            assert!(is_source(root, Path::new(yes)), "{yes}");
        }
        for no in [
            "/d",
            "/d/public/index.html",
            "/d/target/debug/x",
            "/d/.git/index",
            "/d/README.md",
            "/d/other/dossier.yaml",
            "/elsewhere/content/a.md",
            "/d/content/articles/.a.md.swp",
            "/d/content/articles/a.md.swx",
            "/d/content/articles/a.md~",
            "/d/content/articles/#a.md#",
            "/d/content/articles/.#a.md",
            "/d/content/articles/4913",
            "/d/static/.DS_Store",
            "/d/content/a.md.tmp",
            "/d/content/.hidden/a.md",
        ] {
            assert!(!is_source(root, Path::new(no)), "{no}");
        }
    }

    #[test]
    fn opening_and_reading_are_not_changes() {
        use notify::event::{AccessKind, CreateKind, ModifyKind};
        assert!(!is_change(&EventKind::Access(AccessKind::Open(AccessMode::Any))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(AccessMode::Read))));
        assert!(is_change(&EventKind::Access(AccessKind::Close(AccessMode::Write))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Any)));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
        assert!(is_change(&EventKind::Remove(notify::event::RemoveKind::File)));
    }
}
