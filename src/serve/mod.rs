//! `dossier serve`: build the dossier into memory, serve it over HTTP, rebuild when a source
//! changes, and tell the browsers (live reload, or the error overlay).
//!
//! The pieces, each in its own module:
//! - [`http`]: the requests, answered from memory only (nothing is read from or written to
//!   disk for a request);
//! - [`reload`]: the live-reload tags and script, and what a rebuild means for a browser;
//! - [`overlay`]: a failed build rendered for the browser and the terminal;
//! - [`watch`]: which file events count, and the debounced watcher;
//! - [`state`]: the snapshot shared by the requests and the rebuild thread.
//!
//! [`run`] wires them: bind the port (so the address is known before the first build, which
//! builds with `base_url` = the server's address), build once, start watching, then serve on a
//! multi-thread runtime until Ctrl-C or SIGTERM. Rebuilds run on their own thread (the build
//! uses rayon); file events that arrive during a rebuild are gathered into the next one. It
//! prints to the terminal itself (unlike the rest of the library): the server's address once
//! it is ready, each distinct error once, and one line per rebuild.

pub mod http;
pub mod overlay;
pub mod reload;
pub mod state;
pub mod watch;

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context as _, bail};

use crate::diagnostics::{Severity, plural};
use crate::incremental::{SearchResult, Session};
use crate::pipeline::{BuildOptions, Cancel};
use reload::Change;
use state::{App, Message, Report};

/// What to serve, and where.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The dossier's root (where `dossier.yaml` is).
    pub root: PathBuf,
    /// The address to listen on (127.0.0.1 unless asked otherwise).
    pub bind: IpAddr,
    /// The port; 0 lets the system pick a free one.
    pub port: u16,
    /// The path the site is served under, as [`normalize_base_path`] returns it (`/`, `/x/`).
    pub base_path: String,
    /// Include drafts.
    pub drafts: bool,
    /// Open the site in the default browser once it is served.
    pub open: bool,
}

/// `x`, `/x`, `/x/` → `/x/`; `` and `/` → `/`. Each segment may hold letters, digits and
/// `-._~`, and may not be `.` or `..`.
pub fn normalize_base_path(text: &str) -> Result<String, String> {
    let segments: Vec<&str> = text.split('/').filter(|s| !s.is_empty()).collect();
    for s in &segments {
        let ok = s.chars().all(|c| c.is_ascii_alphanumeric() || "-._~".contains(c));
        if !ok || *s == "." || *s == ".." {
            return Err(format!(
                "`{text}` is not a base path like `/x/`: each part may hold letters, digits, \
                 `-`, `_`, `.` and `~` (and may not be `.` or `..`)"
            ));
        }
    }
    Ok(if segments.is_empty() { "/".into() } else { format!("/{}/", segments.join("/")) })
}

/// The address the site is served at: `http://127.0.0.1:1111/x/` (an unspecified bind address
/// such as 0.0.0.0 is shown as loopback, where a browser on this machine finds it).
pub fn site_url(bind: IpAddr, port: u16, base_path: &str) -> String {
    let host = match bind {
        IpAddr::V4(v4) if v4.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(v6) if v6.is_unspecified() => "[::1]".to_string(),
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
    };
    format!("http://{host}:{port}{base_path}")
}

/// Binds the listening socket, with a clear message when the port is taken.
fn bind(addr: SocketAddr) -> crate::Result<TcpListener> {
    TcpListener::bind(addr).map_err(|e| match e.kind() {
        std::io::ErrorKind::AddrInUse => anyhow::anyhow!(
            "port {} is in use; pass --port 0 to pick a free one, or --port N",
            addr.port()
        ),
        std::io::ErrorKind::PermissionDenied => anyhow::anyhow!(
            "not allowed to listen on {addr}; pass --port 0 to pick a free one, or a port \
                above 1023"
        ),
        _ => anyhow::Error::new(e).context(format!("cannot listen on {addr}")),
    })
}

/// Serves the dossier until Ctrl-C or SIGTERM. Writes nothing to disk.
pub fn run(options: &ServeOptions) -> crate::Result<()> {
    let config = options.root.join(crate::config::CONFIG_FILE);
    if !config.is_file() {
        bail!(
            "`{}` not found; run `dossier serve` in a dossier's directory, or pass --root DIR",
            config.display()
        );
    }
    let listener = bind(SocketAddr::new(options.bind, options.port))?;
    let port = listener.local_addr().context("cannot read the listening address")?.port();
    if !options.bind.is_loopback() {
        errln!(
            "warning: listening on {}: other machines on the network can read the dossier \
             (the default, --bind 127.0.0.1, keeps it on this machine)",
            options.bind
        );
    }
    let url = site_url(options.bind, port, &options.base_path);
    // A save stops the rebuild under way: the newer one is what the browser should show.
    let cancel = Cancel::default();
    let mut session = Session::new(BuildOptions {
        root: options.root.clone(),
        base_url: Some(url.clone()),
        drafts: options.drafts,
        defer_search: true,
        cancel: Some(cancel.clone()),
        ..BuildOptions::default()
    });
    let instance = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let app = Arc::new(App::new(options.base_path.clone(), format!("{instance:x}")));
    let mut printed = Printed::default();
    let start = Instant::now();
    let first = session.rebuild(&[]).map(|outcome| (session.site(), outcome));
    if let Ok((site, outcome)) = &first {
        printed.warnings(&outcome.warnings);
        let pages = site.keys().filter(|p| p.ends_with(".html")).count();
        outln!("Built {pages} pages in {} ms", start.elapsed().as_millis());
    }
    printed.report(&app.apply(first), start.elapsed());

    let root = std::fs::canonicalize(&options.root)
        .with_context(|| format!("cannot resolve `{}`", options.root.display()))?;
    let (tx, rx) = mpsc::channel::<Work>();
    let watch_tx = tx.clone();
    let watcher = watch::Watcher::start(&root, move |paths| {
        cancel.cancel();
        drop(watch_tx.send(Work::Changed(paths)));
    })?;
    let rebuild_app = Arc::clone(&app);
    std::thread::Builder::new()
        .name("dossier-rebuild".into())
        .spawn(move || rebuild_loop(session, watcher, &rebuild_app, &rx, &tx, printed))
        .context("cannot start the rebuild thread")?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    let result = runtime.block_on(serve(listener, app, &url, options.open));
    // Nothing is left to finish (serve writes nothing): do not wait for idle worker threads.
    runtime.shutdown_background();
    result
}

/// What the rebuild thread is told.
enum Work {
    /// Source files changed.
    Changed(Vec<PathBuf>),
    /// A search index was built on another thread.
    Indexed(SearchResult),
}

/// How long the sources must stay still before the work a quick rebuild left (the link check,
/// the data files) and the search index are done.
const SETTLE_AFTER: Duration = Duration::from_millis(100);

/// The rebuild thread. After each batch of changes: the quick path when it applies (an
/// article's text: only its page is rendered), else a rebuild. Once the sources are still for
/// [`SETTLE_AFTER`]: a rebuild to settle a quick one, then the search index on a thread of its
/// own, put in unless the site changed meanwhile. A save stops any rebuild under way (the
/// watcher cancels it), so that the newest save is never kept waiting behind an older one:
/// the stopped rebuild is simply done again once the sources are still.
fn rebuild_loop(
    mut session: Session,
    mut watcher: watch::Watcher,
    app: &App,
    rx: &mpsc::Receiver<Work>,
    tx: &mpsc::Sender<Work>,
    mut printed: Printed,
) {
    let mut indexing = false;
    loop {
        let idle_work = session.unsettled() || (!indexing && session.search_due());
        let work = if idle_work {
            match rx.recv_timeout(SETTLE_AFTER) {
                Ok(work) => Some(work),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match rx.recv() {
                Ok(work) => Some(work),
                Err(_) => return,
            }
        };
        match work {
            Some(Work::Changed(first)) => {
                let mut changed: BTreeSet<PathBuf> = first.into_iter().collect();
                while let Ok(more) = rx.try_recv() {
                    match more {
                        Work::Changed(paths) => changed.extend(paths),
                        Work::Indexed(result) => {
                            indexing = false;
                            put_index(&mut session, app, result);
                        }
                    }
                }
                let _ = watcher.watch_new_dirs();
                let changed: Vec<PathBuf> = changed.into_iter().collect();
                rebuild(&mut session, app, &changed, &mut printed);
            }
            Some(Work::Indexed(result)) => {
                indexing = false;
                put_index(&mut session, app, result);
            }
            None if session.unsettled() => {
                let result = session.rebuild(&[]).map(|outcome| (session.site(), outcome));
                if !result.as_ref().is_err_and(crate::pipeline::is_cancelled) {
                    quietly(app, result, &mut printed);
                }
            }
            None => match session.search_job() {
                Some(Ok(job)) => {
                    indexing = true;
                    let tx = tx.clone();
                    let spawned = std::thread::Builder::new()
                        .name("dossier-search".into())
                        .spawn(move || drop(tx.send(Work::Indexed(job.run()))));
                    if let Err(e) = spawned {
                        indexing = false;
                        errln!("warning: cannot build the search index: {e}");
                    }
                }
                Some(Err(e)) => {
                    errln!("warning: cannot build the search index: {e:#}");
                    session.skip_search();
                }
                None => {}
            },
        }
    }
}

/// One rebuild after `changed` (the quick path when it applies), made visible and reported.
fn rebuild(session: &mut Session, app: &App, changed: &[PathBuf], printed: &mut Printed) {
    let start = Instant::now();
    let result = match session.quick_rebuild(changed) {
        Some(result) => result,
        None => session.rebuild(changed),
    };
    if result.as_ref().is_err_and(crate::pipeline::is_cancelled) {
        // A newer save is waiting: it rebuilds next, with this one's changes in it.
        return;
    }
    let result = result.map(|outcome| (session.site(), outcome));
    if let Ok((_, outcome)) = &result {
        printed.warnings(&outcome.warnings);
    }
    printed.report(&app.apply(result), start.elapsed());
}

/// Puts a search index built in the background into the site served (unless the site changed
/// meanwhile: then the next idle moment builds another).
fn put_index(session: &mut Session, app: &App, result: SearchResult) {
    match session.apply_search(result) {
        Some(Ok(outcome)) => app.refresh(session.site(), &outcome),
        Some(Err(e)) => errln!("warning: cannot build the search index: {e:#}"),
        None => {}
    }
}

/// Publishes the result of work nobody asked for just now (settling a quick rebuild): errors and
/// new warnings are shown, and the browsers told what changed, but nothing is printed for a
/// success.
fn quietly(
    app: &App,
    result: crate::Result<(crate::incremental::SiteFiles, crate::incremental::Outcome)>,
    printed: &mut Printed,
) {
    if let Ok((_, outcome)) = &result {
        printed.warnings(&outcome.warnings);
    }
    if let Report::Failed(failure) = app.apply(result) {
        errln!("{}", failure.text);
        errln!("Build failed; still serving the last good build");
    }
}

/// What the terminal has shown, so that repeats are not shown again.
#[derive(Debug, Default)]
struct Printed {
    warnings: BTreeSet<String>,
}

impl Printed {
    fn warnings(&mut self, warnings: &[crate::diagnostics::Diagnostic]) {
        let now: BTreeSet<String> = warnings
            .iter()
            .filter(|w| w.severity == Severity::Warning)
            .map(|w| format!("warning: {w}"))
            .collect();
        for w in now.difference(&self.warnings) {
            errln!("{w}");
        }
        self.warnings = now;
    }

    fn report(&mut self, report: &Report, elapsed: Duration) {
        let ms = elapsed.as_millis();
        match report {
            Report::Quiet => {}
            Report::Failed(failure) => {
                errln!("{}", failure.text);
                errln!("Build failed in {ms} ms; still serving the last good build");
            }
            Report::Rebuilt { pages, change, fixed } => {
                let what = match change {
                    Change::Css(_) => "stylesheets only".to_string(),
                    _ => format!("{} changed", plural(*pages, "page", "pages")),
                };
                let fixed = if *fixed { "; the errors are fixed" } else { "" };
                outln!("Rebuilt in {ms} ms ({what}){fixed}");
            }
        }
    }
}

/// Serves until a shutdown signal, then ends the event streams and stops (waiting at most a
/// few seconds for open requests).
async fn serve(listener: TcpListener, app: Arc<App>, url: &str, open: bool) -> crate::Result<()> {
    listener.set_nonblocking(true).context("cannot configure the listening socket")?;
    let listener = tokio::net::TcpListener::from_std(listener).context("cannot listen")?;
    let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
    let events = app.events.clone();
    let server = axum::serve(listener, http::router(app)).with_graceful_shutdown(async move {
        shutdown_signal().await;
        let _ = events.send(Message::Shutdown);
        let _ = stop_tx.send(true);
    });
    outln!("Serving the dossier at {url} (Ctrl-C to stop)");
    if open && let Err(e) = opener::open(url) {
        errln!("warning: could not open a browser ({e}); open {url} yourself");
    }
    let server = server.into_future();
    tokio::pin!(server);
    tokio::select! {
        result = &mut server => result.context("the server stopped")?,
        _ = async {
            let _ = stop_rx.wait_for(|stop| *stop).await;
            tokio::time::sleep(Duration::from_secs(3)).await;
        } => {}
    }
    outln!("Stopped");
    Ok(())
}

/// Ctrl-C, or SIGTERM on Unix.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = term => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_paths_are_normalized_or_refused() {
        for (given, want) in
            [("", "/"), ("/", "/"), ("x", "/x/"), ("/x", "/x/"), ("/a/b/", "/a/b/")]
        {
            assert_eq!(normalize_base_path(given).as_deref(), Ok(want), "{given}");
        }
        for bad in ["/../x/", "/a b/", "/./", "/x?y", "/%2e/"] {
            let err = normalize_base_path(bad).unwrap_err();
            assert!(err.contains("is not a base path like `/x/`"), "{err}");
        }
    }

    #[test]
    fn the_url_names_the_bind_address_port_and_base_path() {
        let v4: IpAddr = "127.0.0.1".parse().unwrap();
        assert_eq!(site_url(v4, 1111, "/"), "http://127.0.0.1:1111/");
        assert_eq!(site_url("0.0.0.0".parse().unwrap(), 80, "/x/"), "http://127.0.0.1:80/x/");
        assert_eq!(site_url("::1".parse().unwrap(), 8, "/"), "http://[::1]:8/");
    }

    #[test]
    fn a_taken_port_says_how_to_pick_another() {
        let taken = TcpListener::bind("127.0.0.1:0").unwrap();
        let err = bind(taken.local_addr().unwrap()).unwrap_err().to_string();
        let port = taken.local_addr().unwrap().port();
        assert_eq!(
            err,
            format!("port {port} is in use; pass --port 0 to pick a free one, or --port N")
        );
    }
}
