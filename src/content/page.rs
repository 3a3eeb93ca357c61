//! The front page (`content/_index.md`) and free-standing pages (`content/pages/<slug>.md`,
//! published at `<slug>/`), such as a methodology or an about page.

use serde::Deserialize;

use super::document::Document;

/// Front matter of `content/_index.md`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndexMeta {
    /// The front page's heading (defaults to the dossier's title).
    #[serde(default)]
    pub title: Option<String>,
    /// A one-paragraph summary of the story, shown under the heading (Markdown).
    #[serde(default)]
    pub lede: Option<String>,
    /// An article to point readers to under the lede: the dossier's centrepiece.
    #[serde(default)]
    pub featured: Option<Featured>,
}

/// `featured:` on the front page: `{article: <slug>, note: …}`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Featured {
    /// The article's slug.
    pub article: String,
    /// Why to read it (Markdown, one or two sentences).
    #[serde(default)]
    pub note: Option<String>,
}

/// The front page; its body is the editorial overview.
pub type IndexPage = Document<IndexMeta>;

/// Front matter of a page under `content/pages/`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    /// The page's title.
    pub title: String,
    /// A one-sentence description, for listings and the page's meta description.
    #[serde(default)]
    pub description: Option<String>,
    /// Show a link to the page in the header navigation.
    #[serde(default)]
    pub menu: bool,
    /// Order in the navigation (lower first; then by title).
    #[serde(default)]
    pub weight: i64,
    /// Leave out of the build unless `--drafts`.
    #[serde(default)]
    pub draft: bool,
}

/// A free-standing page.
pub type Page = Document<PageMeta>;

/// First-level URL segments the generator uses itself; a page cannot take them.
pub const RESERVED_SLUGS: &[&str] = &[
    "articles", "outlets", "actors", "topics", "places", "dispute", "timeline", "coverage", "404",
];
