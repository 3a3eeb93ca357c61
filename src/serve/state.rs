//! What the server shares between the rebuild thread and the request handlers: the current
//! [`Snapshot`] (the last good site, its ETags, and the failure of the latest build if it
//! failed) and the channel of [`Message`]s to the browsers.
//!
//! [`App::apply`] is the one place a rebuild's result becomes visible: it swaps the snapshot,
//! decides what the browsers are told, and returns what the terminal should print, so that an
//! error is printed once while it stays the same.

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use rayon::prelude::*;
use tokio::sync::broadcast;

use super::overlay::Failure;
use super::reload::{self, Change};
use crate::incremental::{Outcome, SiteFiles};

/// A message to every connected browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// Reload the page.
    Reload,
    /// Swap stylesheets: old file name → new file name.
    Css(BTreeMap<String, String>),
    /// The build failed: show this.
    Error(Arc<Failure>),
    /// The server is stopping: close the stream.
    Shutdown,
}

/// The site as served right now.
#[derive(Debug, Default)]
pub struct Snapshot {
    /// The last good build (empty until one succeeds).
    pub files: SiteFiles,
    /// Each file's ETag value (the first 16 hex digits of its SHA-256), by output path.
    pub etags: Arc<BTreeMap<String, String>>,
    /// Why the latest build failed, while it stays failed.
    pub failure: Option<Arc<Failure>>,
    /// Names this state; a browser that reconnects and hears another id reloads.
    pub id: String,
}

impl Snapshot {
    /// The ETag of a served HTML page: its bytes' tag, plus the overlay's when one is shown.
    pub fn html_etag(&self, raw: &str) -> String {
        match &self.failure {
            Some(f) => {
                format!("\"{raw}-{}\"", &crate::hash::sha256_hex(f.overlay.as_bytes())[..8])
            }
            None => format!("\"{raw}\""),
        }
    }
}

/// State shared by every request and the rebuild thread.
#[derive(Debug)]
pub struct App {
    /// The path the site is served under: `/` or `/x/`.
    pub base: String,
    /// The current snapshot; swapped whole after each rebuild.
    pub snapshot: RwLock<Arc<Snapshot>>,
    /// Messages to the browsers (the SSE streams subscribe).
    pub events: broadcast::Sender<Message>,
    /// Names this server process (part of every snapshot id).
    instance: String,
    /// Counts published states.
    generation: std::sync::atomic::AtomicU64,
}

/// What the terminal should print after [`App::apply`].
#[derive(Debug, PartialEq, Eq)]
pub enum Report {
    /// Nothing (an unchanged error, or the first build).
    Quiet,
    /// A new or different error.
    Failed(Arc<Failure>),
    /// A good rebuild: how many pages changed (and whether it only swapped stylesheets).
    Rebuilt {
        /// HTML pages new, changed or removed.
        pages: usize,
        /// What the browsers were told.
        change: Change,
        /// Whether the build before it had failed.
        fixed: bool,
    },
}

impl App {
    /// A server with nothing built yet.
    pub fn new(base: String, instance: String) -> App {
        let (events, _) = broadcast::channel(64);
        App {
            base,
            snapshot: RwLock::new(Arc::new(Snapshot::default())),
            events,
            instance,
            generation: Default::default(),
        }
    }

    /// The current snapshot.
    pub fn current(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(s) => Arc::clone(&s),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    fn next_id(&self) -> String {
        let n = self.generation.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        format!("{}-{n}", self.instance)
    }

    fn publish(&self, snapshot: Snapshot) {
        let snapshot = Arc::new(snapshot);
        match self.snapshot.write() {
            Ok(mut s) => *s = snapshot,
            Err(poisoned) => *poisoned.into_inner() = snapshot,
        }
    }

    /// Makes a build's result visible: on success the new site (and the failure cleared), on
    /// failure the failure over the last good site. Tells the browsers what changed and says
    /// what to print.
    pub fn apply(&self, result: Result<(SiteFiles, Outcome), anyhow::Error>) -> Report {
        let old = self.current();
        match result {
            Err(error) => {
                let failure = Failure::from_error(&error);
                if old.failure.as_deref() == Some(&failure) {
                    return Report::Quiet;
                }
                let failure = Arc::new(failure);
                self.publish(Snapshot {
                    files: Arc::clone(&old.files),
                    etags: Arc::clone(&old.etags),
                    failure: Some(Arc::clone(&failure)),
                    id: self.next_id(),
                });
                let _ = self.events.send(Message::Error(Arc::clone(&failure)));
                Report::Failed(failure)
            }
            Ok((files, outcome)) => {
                let first = old.id.is_empty();
                let mut change = reload::classify(&old.files, &files, &outcome);
                if old.failure.is_some() && change == Change::None {
                    change = Change::Reload; // the overlay must go
                }
                if change == Change::None && !first && outcome.is_empty() {
                    return Report::Rebuilt { pages: 0, change, fixed: false };
                }
                let etags = etags(&old.etags, &files, &outcome);
                self.publish(Snapshot { files, etags, failure: None, id: self.next_id() });
                match &change {
                    Change::None => {}
                    Change::Css(swap) => drop(self.events.send(Message::Css(swap.clone()))),
                    Change::Reload => drop(self.events.send(Message::Reload)),
                }
                if first && old.failure.is_none() {
                    return Report::Quiet;
                }
                let pages = outcome
                    .changed
                    .iter()
                    .chain(&outcome.removed)
                    .filter(|p| p.ends_with(".html"))
                    .count();
                Report::Rebuilt { pages, change, fixed: old.failure.is_some() }
            }
        }
    }
}

impl App {
    /// Serves `files` from now on without telling anyone: for outputs no page shows (a search
    /// index built in the background). A failure stays shown.
    pub fn refresh(&self, files: SiteFiles, outcome: &Outcome) {
        let old = self.current();
        if outcome.is_empty() {
            return;
        }
        let etags = etags(&old.etags, &files, outcome);
        self.publish(Snapshot { files, etags, failure: old.failure.clone(), id: old.id.clone() });
    }
}

/// ETags of a new build: unchanged files keep theirs, changed ones are hashed (in parallel).
fn etags(
    old: &BTreeMap<String, String>,
    files: &SiteFiles,
    outcome: &Outcome,
) -> Arc<BTreeMap<String, String>> {
    let changed: std::collections::BTreeSet<&String> = outcome.changed.iter().collect();
    let map = files
        .par_iter()
        .map(|(path, bytes)| {
            let tag = match old.get(path) {
                Some(tag) if !changed.contains(path) => tag.clone(),
                _ => crate::hash::sha256_hex(bytes)[..16].to_string(),
            };
            (path.clone(), tag)
        })
        .collect();
    Arc::new(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn files(list: &[(&str, &str)]) -> SiteFiles {
        Arc::new(list.iter().map(|(p, b)| (p.to_string(), Bytes::from(b.to_string()))).collect())
    }

    fn changed(paths: &[&str]) -> Outcome {
        Outcome { changed: paths.iter().map(|s| s.to_string()).collect(), ..Outcome::default() }
    }

    #[test]
    fn errors_are_reported_once_and_cleared_by_the_next_good_build() {
        let app = App::new("/".into(), "t".into());
        let mut rx = app.events.subscribe();
        let first = files(&[("index.html", "a")]);
        assert_eq!(app.apply(Ok((Arc::clone(&first), changed(&["index.html"])))), Report::Quiet);
        assert_eq!(rx.try_recv().unwrap(), Message::Reload);
        let tag = app.current().etags["index.html"].clone();
        assert_eq!(tag, crate::hash::sha256_hex(b"a")[..16]);

        let report = app.apply(Err(anyhow::anyhow!("broken")));
        assert!(matches!(report, Report::Failed(_)));
        assert!(matches!(rx.try_recv().unwrap(), Message::Error(_)));
        let failing = app.current();
        assert!(Arc::ptr_eq(&failing.files, &first), "the last good site stays");
        assert_ne!(failing.html_etag(&tag), format!("\"{tag}\""));
        // The same error again: nothing printed, nothing sent.
        assert_eq!(app.apply(Err(anyhow::anyhow!("broken"))), Report::Quiet);
        assert!(rx.try_recv().is_err());
        // Fixed back to the same bytes: the overlay must still go, so the page reloads.
        let report = app.apply(Ok((first, Outcome::default())));
        assert_eq!(report, Report::Rebuilt { pages: 0, change: Change::Reload, fixed: true });
        assert_eq!(rx.try_recv().unwrap(), Message::Reload);
        assert!(app.current().failure.is_none());
        // A save of the same bytes: nothing at all.
        let same = app.current().files.clone();
        let report = app.apply(Ok((same, Outcome::default())));
        assert_eq!(report, Report::Rebuilt { pages: 0, change: Change::None, fixed: false });
        assert!(rx.try_recv().is_err());
    }

    #[test]
    fn unchanged_files_keep_their_etags_and_changed_ones_are_hashed_again() {
        let old = BTreeMap::from([("a".to_string(), "keep".to_string())]);
        let new = files(&[("a", "1"), ("b", "2")]);
        let tags = etags(&old, &new, &changed(&["b"]));
        assert_eq!(tags["a"], "keep");
        assert_eq!(tags["b"], crate::hash::sha256_hex(b"2")[..16]);
        let tags = etags(&old, &new, &changed(&["a", "b"]));
        assert_eq!(tags["a"], crate::hash::sha256_hex(b"1")[..16]);
    }
}
