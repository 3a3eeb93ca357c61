//! `dossier` turns a directory of Markdown articles with YAML front matter into a browsable,
//! self-contained HTML news dossier.
//!
//! A build is a short list of named steps ([`pipeline`]); only the loaders at one end and
//! [`output`] at the other touch the filesystem:
//!
//! ```text
//!  dossier.yaml ─► config::Config::load ─┐
//!  content/**   ─► content::load ────────┼─► content::Site ─► render::Plan ─► render::Page ─┐
//!  templates/** ─► theme::load_templates ┘   (parse, validate)  (every job)   (one by one)   │
//!  static/**    ─► theme::static_files ─► (copied as they are) ─────────────────────────────┤
//!            each page read once, as it streams by: check::cross_check, the search index ◄─┤
//!                         output::Staging: written beside the output, then swapped in ◄────┘
//! ```
//!
//! The modules, each of which uses only those listed above it, in the code and in its unit
//! tests alike (tests that need a whole build are in `tests/`):
//!
//! - [`diagnostics`], [`fs`], [`hash`], [`intern`], [`cancel`]: located error reports
//!   (`file:line:col: message`, then how to fix it), reading source files, SHA-256 as hex,
//!   strings by number, stopping a build that is no longer wanted.
//! - [`values`], [`yaml`]: validated scalar values; YAML parsing with located errors.
//! - [`config`]: the typed, validated `dossier.yaml`.
//! - [`theme`]: the built-in templates and static files and a dossier's overrides of them.
//! - [`content`]: the model (articles, outlets, actors, claims, the timeline, pages,
//!   taxonomies), parsed from `&str`, plus the one loader that reads `content/`.
//! - [`render`]: the model to pages in memory: a plan of every page, Markdown, relative URLs,
//!   Tera templates, one function per kind of page, and each page's cache key.
//! - [`check`]: the link checker over built pages (internal links, anchors, reachability, `alt`
//!   text; external links over HTTP on request).
//! - [`search`]: the full-text search index (Pagefind's format) of articles, claims and events.
//! - [`output`]: the only module that writes build output: staging directory, manifest, swap.
//! - [`pipeline`]: [`pipeline::build`] and [`pipeline::build_in_memory`], the named steps
//!   above, timed; [`incremental`]: rebuilding in memory with caches, for `dossier serve`.
//! - The commands' libraries: [`scaffold`] (the text of new files, for `dossier new` and
//!   `dossier init`), [`import`] (`dossier import`, captured pages as sourced articles),
//!   [`snapshot`] (`dossier snapshot`, the built site as a WARC, WACZ or bag), [`serve`]
//!   (`dossier serve`, the site from memory over HTTP with live reload), [`provenance`] (the
//!   git commit a dossier is built from).
//!
//! The binary (`src/main.rs`, `src/cli.rs`, `src/cmd/`) parses the command line and calls
//! these.

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
