//! The dossier's model: what a dossier *is*, independent of how it is rendered or written.
//!
//! A [`Site`] holds the front page, the articles (newest first), the outlets and actors by id,
//! the claims ledger, the timeline, the free-standing pages, the taxonomies with their terms, and
//! the list of static files, plus the reverse [`Links`] between them. Parsing is pure
//! (`parse(&str)` in each submodule); [`load()`] is the one place that reads `content/`, and
//! [`refs`] the one place that resolves ids.

pub mod actor;
pub mod article;
pub mod capture;
pub mod claim;
mod cross_checks;
pub mod document;
pub mod front_matter;
pub mod load;
pub mod outlet;
pub mod page;
pub mod refs;
pub mod timeline;
pub mod verify;

use std::collections::BTreeMap;

pub use actor::Actor;
pub use article::{Article, ArticleMeta, Kind};
pub use claim::{Claim, Position, Stance};
pub use load::{LoadOptions, Loaded, load};
pub use outlet::Outlet;
pub use page::{IndexPage, Page};
pub use refs::{Links, PositionRef};
pub use timeline::{Event, Timeline};

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
    /// Actors by id.
    pub actors: BTreeMap<String, Actor>,
    /// The claims ledger, in ledger order (`order`, then id).
    pub claims: Vec<Claim>,
    /// The timeline of events.
    pub timeline: Timeline,
    /// Reverse indexes between articles, claims, events and actors.
    pub links: Links,
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
