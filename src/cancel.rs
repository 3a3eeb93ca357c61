//! Stopping work that is no longer wanted: `dossier serve` gives up a rebuild when a newer
//! save arrives, and the steps of a build look at the flag between pieces of their work.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Stops a build in memory that is no longer wanted: the build ends with [`Cancelled`] at the
/// next point where it looks (each content file, each step of the plan, each page).
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// Asks the build to stop.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether it was asked to stop.
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// Clears a request to stop (before the next build).
    pub fn reset(&self) {
        self.0.store(false, Ordering::Relaxed);
    }
}

/// The error of a build stopped by its [`Cancel`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cancelled;

impl std::fmt::Display for Cancelled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the build was cancelled")
    }
}

impl std::error::Error for Cancelled {}

/// Drops `value` on a thread of its own. What a stopped build leaves (a parsed site, pages
/// rendered so far) takes tens of milliseconds to free at 10,000 articles, which the build
/// that replaces it need not wait for.
pub fn drop_in_background<T: Send + 'static>(value: T) {
    // Should the thread not start, the closure, and `value` with it, is dropped here instead.
    let _ = std::thread::Builder::new().name("dossier-drop".into()).spawn(move || drop(value));
}
