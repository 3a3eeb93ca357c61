//! `dossier` turns a directory of Markdown articles with YAML front matter into a browsable,
//! self-contained HTML news dossier.
//!
//! The build is a short pipeline of named steps; only the two ends touch the filesystem:
//!
//! ```text
//!  dossier.yaml ──► config::Config::load ─┐
//!  content/**   ──► content::load ────────┼─► content::Site ──► render::render_site ──► Vec<OutputFile>
//!  templates/** ──► render::Templates ────┘       (pure: parse, validate)   (pure: Markdown, Tera)       │
//!  static/**    ──────────────────────────────────────────────────────────────────────────────────────┤
//!                                                                          output::publish (staging + swap)
//! ```
//!
//! - [`config`]: the typed, validated `dossier.yaml`.
//! - [`content`]: the model (articles, outlets, pages, taxonomies), parsed from `&str`, plus the
//!   one loader that reads `content/`.
//! - [`render`]: Markdown to HTML, relative URLs, Tera templates, one function per page kind.
//! - [`output`]: the only module that writes build output; staging directory, manifest, swap.
//! - [`search`]: the full-text search index (Pagefind) of articles, claims and events.
//! - [`pipeline`]: `build()` — the named steps above, timed.
//! - [`check`]: the link checker over a built site (internal links, anchors, reachability,
//!   `alt` text; external links over HTTP on request).
//! - [`serve`]: `dossier serve`, the site from memory over HTTP with live reload, rebuilt on
//!   every save through [`incremental::Session`].
//! - [`diagnostics`]: located error reports (`file:line:col: message`, then how to fix it).
//! - [`provenance`]: the git commit a dossier is built from (for snapshots' metadata).
//! - [`scaffold`]: the text of new files (`dossier new`, `dossier init`).
//! - [`snapshot`]: `dossier snapshot`, the built site as a WARC or WACZ for web archives.
//! - [`import`]: `dossier import`, captured pages (WARC, WACZ, saved HTML) as sourced articles.

/// `println!` that does not panic when stdout is closed (`dossier build | head -n 1`): the
/// line is dropped, as it would be if nobody read it, and the command goes on to its own end.
#[macro_export]
#[doc(hidden)]
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($arg)*);
    }};
}

/// `print!` that does not panic when stdout is closed; see [`outln!`].
#[macro_export]
#[doc(hidden)]
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let mut stdout = std::io::stdout().lock();
        let _ = write!(stdout, $($arg)*).and_then(|()| stdout.flush());
    }};
}

/// `eprintln!` that does not panic when stderr is closed; see [`outln!`].
#[macro_export]
#[doc(hidden)]
macro_rules! errln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr().lock(), $($arg)*);
    }};
}

pub mod cancel;
pub mod check;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod fs;
pub mod hash;
pub mod import;
pub mod incremental;
pub mod intern;
pub mod output;
pub mod pipeline;
pub mod provenance;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod snapshot;
pub mod theme;
pub mod values;
pub mod yaml;

/// The crate-wide result type: errors are `anyhow` chains; located content errors travel as
/// [`diagnostics::Diagnostics`] inside them.
pub type Result<T> = anyhow::Result<T>;
