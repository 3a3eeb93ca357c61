//! [`Page`], one file of the built site as rendering makes it (path, kind, origin, bytes), and
//! [`FileKind`], the kinds the build summary counts. The pipeline hands pages to
//! [`crate::output`], which only sees paths and bytes.

use bytes::Bytes;

/// One file of the built site, made in memory.
#[derive(Debug, Clone)]
pub struct Page {
    /// Path relative to the output directory, `/`-separated.
    pub path: String,
    /// What kind of file it is (for the build summary).
    pub kind: FileKind,
    /// What produced it, for messages: a source file or a page kind.
    pub origin: String,
    /// Its bytes.
    pub bytes: Bytes,
}

impl Page {
    /// A file made in memory.
    pub fn new(path: impl Into<String>, kind: FileKind, origin: &str, bytes: Vec<u8>) -> Self {
        Page { path: path.into(), kind, origin: origin.into(), bytes: Bytes::from(bytes) }
    }
}

/// The kinds of output file, as the build summary counts them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum FileKind {
    /// An HTML page.
    Page,
    /// An Atom feed.
    Feed,
    /// A JSON data file.
    Data,
    /// A copied static file.
    Static,
    /// The search index.
    Search,
    /// The sitemap, `robots.txt`, `_headers`.
    Other,
}

impl FileKind {
    /// How the summary names a number of these: (singular, plural).
    pub fn noun(self) -> (&'static str, &'static str) {
        match self {
            FileKind::Page => ("page", "pages"),
            FileKind::Feed => ("feed", "feeds"),
            FileKind::Data => ("data file", "data files"),
            FileKind::Static => ("static file", "static files"),
            FileKind::Search => ("search index file", "search index files"),
            FileKind::Other => ("other file", "other files"),
        }
    }
}
