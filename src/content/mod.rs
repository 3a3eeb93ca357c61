//! The dossier's model: what a dossier *is*, independent of how it is rendered or written.
//!
//! A [`Site`] holds the front page, the articles (newest first), the outlets by id, the
//! free-standing pages, the taxonomies with their terms, and the list of static files. Parsing is
//! pure (`parse(&str)` in each submodule); [`load`] is the one place that reads `content/`.

pub mod article;
pub mod document;
pub mod front_matter;
pub mod load;
pub mod outlet;
pub mod page;

use std::collections::BTreeMap;

pub use article::{Article, ArticleMeta, Kind};
pub use load::{LoadOptions, Loaded, load};
pub use outlet::Outlet;
pub use page::{IndexPage, Page};

use crate::config::{Config, TaxonomyKind};
use crate::theme::StaticFile;

/// A whole dossier, loaded and cross-checked.
#[derive(Debug)]
pub struct Site {
    /// The configuration.
    pub config: Config,
    /// The front page.
    pub index: IndexPage,
    /// Articles, newest first (ties broken by slug).
    pub articles: Vec<Article>,
    /// Outlets by id.
    pub outlets: BTreeMap<String, Outlet>,
    /// Free-standing pages, by slug.
    pub pages: Vec<Page>,
    /// The taxonomies that get pages, in configuration order.
    pub taxonomies: Vec<Taxonomy>,
    /// Files copied as they are: the site's `static/`, then the theme's defaults.
    pub static_files: Vec<StaticFile>,
}

/// A taxonomy and its terms.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// Which taxonomy.
    pub kind: TaxonomyKind,
    /// Its heading.
    pub title: String,
    /// Its terms, sorted by slug.
    pub terms: Vec<Term>,
}

/// One term of a taxonomy, e.g. the place `Idlib`.
#[derive(Debug, Clone)]
pub struct Term {
    /// The name as written in the articles.
    pub name: String,
    /// Its URL segment.
    pub slug: String,
    /// Indices into [`Site::articles`] of the articles filed under it, in site order.
    pub articles: Vec<usize>,
}

impl ArticleMeta {
    /// The article's terms in one taxonomy.
    pub fn terms(&self, kind: TaxonomyKind) -> &[String] {
        match kind {
            TaxonomyKind::Topics => &self.topics,
            TaxonomyKind::Actors => &self.actors,
            TaxonomyKind::Places => &self.places,
        }
    }
}

impl Site {
    /// The taxonomy of this kind, if it is built.
    pub fn taxonomy(&self, kind: TaxonomyKind) -> Option<&Taxonomy> {
        self.taxonomies.iter().find(|t| t.kind == kind)
    }
}
