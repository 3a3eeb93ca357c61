//! What templates see: serializable views of the model, built once per item.
//!
//! Views borrow from the [`Site`]; listings reuse one pre-serialized summary per article (a
//! `tera::Value`, whose maps and arrays are reference-counted) instead of re-serializing every
//! article for every listing that shows it.

use serde::Serialize;
use tera::Value;

use crate::config::TaxonomyKind;
use crate::content::article::Image;
use crate::content::outlet::{Attributed, Domain, SourceRef};
use crate::content::{Article, Kind, Outlet, Site};
use crate::values::{HttpUrl, Verification};

use super::markdown::Heading;

/// Site path of an article's page.
pub fn article_path(slug: &str) -> String {
    format!("articles/{slug}/")
}

/// Site path of an outlet's page.
pub fn outlet_path(id: &str) -> String {
    format!("outlets/{id}/")
}

/// Site path of a taxonomy's index.
pub fn taxonomy_path(kind: TaxonomyKind) -> String {
    format!("{}/", kind.key())
}

/// Site path of a term's page.
pub fn term_path(kind: TaxonomyKind, slug: &str) -> String {
    format!("{}/{slug}/", kind.key())
}

/// Site path of an actor's page.
pub fn actor_path(id: &str) -> String {
    format!("actors/{id}/")
}

/// Site path of a claim: its section of the dispute page.
pub fn claim_path(id: &str) -> String {
    format!("dispute/#claim-{id}")
}

/// Site path of a timeline event: its entry on the timeline page.
pub fn event_path(id: &str) -> String {
    format!("timeline/#event-{id}")
}

/// What a listing shows for an article with no recorded headline.
pub const NO_HEADLINE: &str = "Headline not recorded";

/// Site path of a free-standing page.
pub fn page_path(slug: &str) -> String {
    format!("{slug}/")
}

/// An outlet as referred to from an article.
#[derive(Debug, Serialize)]
pub struct OutletRef<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its name.
    pub name: &'a str,
    /// Its page.
    pub path: String,
}

/// An outlet reference by id, resolved against the site.
pub fn outlet_ref<'a>(site: &'a Site, id: &'a str) -> OutletRef<'a> {
    let name = site.outlets.get(id).map_or(id, |o| o.meta.name.as_str());
    OutletRef { id, name, path: outlet_path(id) }
}

/// An outlet and how many of the dossier's articles it published.
#[derive(Debug, Serialize)]
pub struct OutletCount<'a> {
    /// The outlet.
    #[serde(flatten)]
    pub outlet: OutletRef<'a>,
    /// Its articles.
    pub count: usize,
}

/// An actor as referred to from elsewhere.
#[derive(Debug, Serialize)]
pub struct ActorRef<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its full name.
    pub name: &'a str,
    /// Its short name for tables.
    pub label: &'a str,
    /// Its page.
    pub path: String,
}

/// An actor reference by id, resolved against the site.
pub fn actor_ref<'a>(site: &'a Site, id: &'a str) -> ActorRef<'a> {
    match site.actors.get(id) {
        Some(a) => ActorRef { id, name: &a.meta.name, label: a.label(), path: actor_path(id) },
        None => ActorRef { id, name: id, label: id, path: actor_path(id) },
    }
}

/// A link to another article.
#[derive(Debug, Serialize)]
pub struct ArticleLink<'a> {
    /// Its slug.
    pub slug: &'a str,
    /// Its page.
    pub path: String,
    /// Its headline, or [`NO_HEADLINE`].
    pub label: &'a str,
    /// Its outlet's name.
    pub outlet: &'a str,
}

/// A link to the article with this slug (which the loader has checked exists).
pub fn article_link<'a>(site: &'a Site, slug: &'a str) -> ArticleLink<'a> {
    let article = site.links.by_slug.get(slug).map(|&i| &site.articles[i]);
    ArticleLink {
        slug,
        path: article_path(slug),
        label: article.and_then(|a| a.meta.title.as_deref()).unwrap_or(NO_HEADLINE),
        outlet: article.map_or("", |a| outlet_ref(site, &a.meta.outlet).name),
    }
}

/// An article in a listing.
#[derive(Debug, Serialize)]
pub struct ArticleSummary<'a> {
    /// Its slug.
    pub slug: &'a str,
    /// Its page.
    pub path: String,
    /// Its headline, when recorded.
    pub title: Option<&'a str>,
    /// Its headline, or [`NO_HEADLINE`].
    pub label: &'a str,
    /// Its outlet.
    pub outlet: OutletRef<'a>,
    /// The agency or outlet whose story it carries.
    pub agency: Option<OutletRef<'a>>,
    /// The article it republishes.
    pub original: Option<ArticleLink<'a>>,
    /// How many articles republish it.
    pub copies: usize,
    /// `YYYY-MM-DD` or RFC 3339; absent when the date is unknown.
    pub published: Option<String>,
    /// Whether `published` has a time of day.
    pub published_has_time: bool,
    /// How well the date is established.
    pub date_status: Option<Verification>,
    /// `full-text` or `report`.
    pub kind: Kind,
    /// Our one-line summary.
    pub summary: Option<&'a str>,
    /// The outlet's section.
    pub section: Option<&'a str>,
    /// The article's language tag, if set.
    pub language: Option<&'a str>,
}

/// Builds the listing view of an article.
pub fn summary<'a>(site: &'a Site, article: &'a Article) -> ArticleSummary<'a> {
    let meta = &article.meta;
    let copies = site.links.by_slug.get(&article.slug).map_or(0, |&i| site.links.copies[i].len());
    ArticleSummary {
        slug: &article.slug,
        path: article_path(&article.slug),
        title: meta.title.as_deref(),
        label: meta.title.as_deref().unwrap_or(NO_HEADLINE),
        outlet: outlet_ref(site, &meta.outlet),
        agency: meta.agency.as_deref().map(|id| outlet_ref(site, id)),
        original: meta.republishes.as_deref().map(|slug| article_link(site, slug)),
        copies,
        published: meta.published.known().map(|d| d.to_string()),
        published_has_time: meta.published.known().is_some_and(|d| d.has_time()),
        date_status: meta.date_status,
        kind: meta.kind,
        summary: meta.summary.as_deref(),
        section: meta.section.as_deref(),
        language: meta.language.as_ref().map(|l| l.as_str()),
    }
}

/// One article's taxonomy terms, with links where the taxonomy is built.
#[derive(Debug, Serialize)]
pub struct TermGroup<'a> {
    /// `topics` or `places`.
    pub key: &'static str,
    /// Heading (the configured title, or the capitalised key when the taxonomy is not built).
    pub title: String,
    /// The terms.
    pub terms: Vec<TermLink<'a>>,
}

/// A term as shown on an article page.
#[derive(Debug, Serialize)]
pub struct TermLink<'a> {
    /// As written.
    pub name: &'a str,
    /// Its page, when the taxonomy is built.
    pub path: Option<String>,
}

/// The full view of an article page.
#[derive(Debug, Serialize)]
pub struct ArticleView<'a> {
    /// The listing fields.
    #[serde(flatten)]
    pub summary: ArticleSummary<'a>,
    /// The original address, if known.
    pub url: Option<&'a HttpUrl>,
    /// The author line.
    pub byline: Option<&'a str>,
    /// How the headline is known, or why it is missing.
    pub title_note: Option<&'a str>,
    /// Why the date is approximate.
    pub date_note: Option<&'a str>,
    /// Where a full text was taken from, as HTML.
    pub source_note: Option<String>,
    /// The actors it quotes or cites.
    pub actors: Vec<ActorRef<'a>>,
    /// The actors whose version it leads with.
    pub leads_with: Vec<ActorRef<'a>>,
    /// The lead image.
    pub image: Option<&'a Image>,
    /// When our copy was taken.
    pub retrieved: Option<String>,
    /// Whether `retrieved` has a time of day.
    pub retrieved_has_time: bool,
    /// Archived copies.
    pub archived: &'a [HttpUrl],
    /// Editor's notes, as HTML.
    pub notes: Option<String>,
    /// The body, as HTML.
    pub content: String,
    /// The body's headings.
    pub toc: Vec<Heading>,
    /// The source file, relative to the root.
    pub source: &'a str,
    /// The SHA-256 of the source file's bytes (lowercase hex, as `sha256sum` prints it).
    pub source_sha256: &'a str,
    /// Topics and places.
    pub taxonomies: Vec<TermGroup<'a>>,
}

/// The terms of an article, for each taxonomy that has any.
pub fn term_groups<'a>(site: &'a Site, article: &'a Article) -> Vec<TermGroup<'a>> {
    TaxonomyKind::ALL
        .iter()
        .filter_map(|&kind| {
            let names = article.meta.terms(kind);
            if names.is_empty() {
                return None;
            }
            let built = site.taxonomy(kind);
            let title = built.map_or_else(|| capitalise(kind.key()), |t| t.title.clone());
            let terms = names
                .iter()
                .map(|name| TermLink {
                    name,
                    path: built.map(|_| term_path(kind, &crate::values::slugify(name))),
                })
                .collect();
            Some(TermGroup { key: kind.key(), title, terms })
        })
        .collect()
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().collect::<String>() + c.as_str())
}

/// A fact about an outlet, rendered.
#[derive(Debug, Serialize)]
pub struct FactView<'a> {
    /// The fact, as HTML.
    pub html: String,
    /// How well it is established.
    pub status: Option<Verification>,
    /// Evidence.
    pub sources: &'a [SourceRef],
}

/// The full view of an outlet.
#[derive(Debug, Serialize)]
pub struct OutletView<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its page.
    pub path: String,
    /// Its name.
    pub name: &'a str,
    /// Home page.
    pub homepage: Option<&'a HttpUrl>,
    /// Domains, primary first.
    pub domains: &'a [Domain],
    /// Alternate addresses.
    pub alternate_domains: &'a [Domain],
    /// Country.
    pub country: Option<&'a Attributed>,
    /// Owner.
    pub owner: Option<&'a Attributed>,
    /// Affiliation.
    pub affiliation: Option<&'a Attributed>,
    /// Editor's notes, as HTML.
    pub notes: Option<String>,
    /// Facts, rendered.
    pub facts: Vec<FactView<'a>>,
    /// Sources.
    pub sources: &'a [SourceRef],
    /// How many articles in the dossier come from it.
    pub article_count: usize,
    /// The file it came from.
    pub source: &'a str,
}

/// An outlet as shown in an article's metadata panel.
#[derive(Debug, Serialize)]
pub struct OutletBrief<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its page.
    pub path: String,
    /// Its name.
    pub name: &'a str,
    /// Domains, primary first.
    pub domains: &'a [Domain],
    /// Alternate addresses.
    pub alternate_domains: &'a [Domain],
    /// Country.
    pub country: Option<&'a Attributed>,
    /// Owner.
    pub owner: Option<&'a Attributed>,
    /// Affiliation.
    pub affiliation: Option<&'a Attributed>,
}

/// Builds the brief view of an outlet.
pub fn outlet_brief(outlet: &Outlet) -> OutletBrief<'_> {
    let m = &outlet.meta;
    OutletBrief {
        id: &outlet.id,
        path: outlet_path(&outlet.id),
        name: &m.name,
        domains: &m.domains,
        alternate_domains: &m.alternate_domains,
        country: m.country.as_ref(),
        owner: m.owner.as_ref(),
        affiliation: m.affiliation.as_ref(),
    }
}

/// The front page.
#[derive(Debug, Serialize)]
pub struct IndexView<'a> {
    /// Its heading.
    pub title: &'a str,
    /// The lede, as HTML.
    pub lede: Option<String>,
    /// The overview, as HTML.
    pub content: String,
    /// The overview's headings.
    pub toc: Vec<Heading>,
}

/// A free-standing page.
#[derive(Debug, Serialize)]
pub struct PageView<'a> {
    /// Its title.
    pub title: &'a str,
    /// Its description.
    pub description: Option<&'a str>,
    /// Its site path.
    pub path: String,
    /// Its body, as HTML.
    pub content: String,
    /// Its headings.
    pub toc: Vec<Heading>,
}

/// A term in a taxonomy listing.
#[derive(Debug, Serialize)]
pub struct TermSummary<'a> {
    /// As written.
    pub name: &'a str,
    /// URL segment.
    pub slug: &'a str,
    /// Its page.
    pub path: String,
    /// Number of articles.
    pub count: usize,
}

/// A taxonomy as templates see it.
#[derive(Debug, Serialize)]
pub struct TaxonomyView<'a> {
    /// `topics` or `places`.
    pub key: &'static str,
    /// Its heading.
    pub title: &'a str,
    /// Its index page.
    pub path: String,
}

/// Serializes a view into a template value.
pub fn to_value<T: Serialize>(view: &T) -> Value {
    Value::from_serializable(view)
}

/// Builds the view of an outlet; `markdown` renders its notes and facts.
pub fn outlet_view<'a>(
    outlet: &'a Outlet,
    article_count: usize,
    markdown: &mut dyn FnMut(&str) -> String,
) -> OutletView<'a> {
    let m = &outlet.meta;
    OutletView {
        id: &outlet.id,
        path: outlet_path(&outlet.id),
        name: &m.name,
        homepage: m.homepage.as_ref(),
        domains: &m.domains,
        alternate_domains: &m.alternate_domains,
        country: m.country.as_ref(),
        owner: m.owner.as_ref(),
        affiliation: m.affiliation.as_ref(),
        notes: m.notes.as_deref().map(&mut *markdown),
        facts: m
            .facts
            .iter()
            .map(|f| FactView { html: markdown(&f.text), status: f.status, sources: &f.sources })
            .collect(),
        sources: &m.sources,
        article_count,
        source: &outlet.source,
    }
}
