//! What templates see: serializable views of the model, built once per item.
//!
//! Views borrow from the [`Site`]; listings reuse one pre-serialized summary per article (a
//! `tera::Value`, whose maps and arrays are reference-counted) instead of re-serializing every
//! article for every listing that shows it.
//!
//! One file of some 780 lines, most of them view structs with a doc comment per field, so that
//! the views templates share (paths, links, summaries, article and outlet views) read in one
//! place; the editorial views are in `editorial`.

use serde::Serialize;
use tera::Value;

use crate::config::TaxonomyKind;
use crate::content::article::Image;
use crate::content::outlet::{Attributed, Domain, DomainRole, SourceRef};
use crate::content::{Article, Kind, Outlet, Site};
use crate::values::{HttpUrl, PartialDate, Verification};

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

/// What an article page's heading says for an article with no recorded headline.
pub const NO_HEADLINE: &str = "Headline not recorded";

/// What listings call an article with no recorded headline: whose report it is and where it
/// was published (`Reuters report via Jerusalem Post`, `TASS report`); templates add that the
/// headline is not recorded.
pub fn untitled_label(site: &Site, a: &Article) -> String {
    let outlet = outlet_ref(site, &a.meta.outlet).name;
    match a.meta.agency.as_deref() {
        Some(agency) => format!("{} report via {outlet}", outlet_ref(site, agency).name),
        None => format!("{outlet} report"),
    }
}

/// An article's headline, or its [`untitled_label`].
pub fn label(site: &Site, a: &Article) -> String {
    a.meta.title.clone().unwrap_or_else(|| untitled_label(site, a))
}

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
    /// Its headline, or its [`untitled_label`].
    pub label: String,
    /// Whether it has a recorded headline.
    pub titled: bool,
    /// Its outlet's name.
    pub outlet: &'a str,
}

/// A link to the article with this slug (which the loader has checked exists).
pub fn article_link<'a>(site: &'a Site, slug: &'a str) -> ArticleLink<'a> {
    let article = site.links.by_slug.get(slug).map(|&i| &site.articles[i]);
    ArticleLink {
        slug,
        path: article_path(slug),
        label: article.map_or_else(|| slug.to_string(), |a| label(site, a)),
        titled: article.is_some_and(|a| a.meta.title.is_some()),
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
    /// The editor's translation of the headline, when it is in another language.
    pub title_translation: Option<&'a str>,
    /// Its headline, or its [`untitled_label`].
    pub label: String,
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
        title_translation: meta.title_translation.as_deref(),
        label: label(site, article),
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
    /// The articles its text follows.
    pub follows: Vec<ArticleLink<'a>>,
    /// The lead image.
    pub image: Option<&'a Image>,
    /// When our copy was taken.
    pub retrieved: Option<String>,
    /// Whether `retrieved` has a time of day.
    pub retrieved_has_time: bool,
    /// Archived copies: addresses, and captures in `content/captures/`.
    pub archived: &'a [crate::content::capture::ArchivedCopy],
    /// For an article whose address is not known: Wayback Machine searches where it may be.
    pub searches: Vec<AddressSearch>,
    /// The outlet's primary domain on the article's date.
    pub primary_domain: Option<PrimaryDomain<'a>>,
    /// What is not recorded about it, in words (`byline`, `archived copy` …), for one line.
    pub not_recorded: Vec<&'static str>,
    /// Editor's notes, as HTML.
    pub notes: Option<String>,
    /// The body, as HTML (a full text's with the editor's annotations beside its paragraphs).
    pub content: String,
    /// Whether the body carries annotations.
    pub annotated: bool,
    /// The body's headings.
    pub toc: Vec<Heading>,
    /// For a full text: the SHA-256 (lowercase hex) of the transcribed text, the body as held
    /// (UTF-8, line ends as LF), without the front matter and its editor's notes.
    pub text_sha256: Option<String>,
    /// The page that explains the dossier's provenance records (`methodology/`), if it has one.
    pub provenance_page: Option<String>,
    /// The source file, relative to the root.
    pub source: &'a str,
    /// The SHA-256 of the source file's bytes (lowercase hex, as `sha256sum` prints it).
    pub source_sha256: &'a str,
    /// Topics and places.
    pub taxonomies: Vec<TermGroup<'a>>,
}

/// A Wayback Machine search for an address not known: every capture under `host` + `prefix`.
#[derive(Debug, Serialize)]
pub struct AddressSearch {
    /// The domain searched.
    pub host: String,
    /// The path prefix searched for.
    pub prefix: String,
    /// The search's address.
    pub url: String,
}

/// An outlet's primary domain on an article's date.
#[derive(Debug, Serialize)]
pub struct PrimaryDomain<'a> {
    /// The domain.
    pub host: &'a str,
    /// The date it is given for (`13 June 2019`), or none when the domain has no period.
    pub on: Option<String>,
    /// How well it is established.
    pub status: Option<Verification>,
}

/// What an article page's body and notes rendered to, for [`article_view`].
#[derive(Debug, Default)]
pub struct RenderedArticle {
    /// The body, as HTML.
    pub content: String,
    /// The body's headings.
    pub toc: Vec<Heading>,
    /// Editor's notes, as HTML.
    pub notes: Option<String>,
    /// The source note, as HTML.
    pub source_note: Option<String>,
    /// Each annotation's paragraph and note, as HTML.
    pub annotations: Vec<(usize, String)>,
}

/// The full view of an article page.
pub fn article_view<'a>(site: &'a Site, a: &'a Article, r: RenderedArticle) -> ArticleView<'a> {
    let m = &a.meta;
    let full_text = m.kind == Kind::FullText;
    let mut not_recorded = Vec::new();
    if m.url.is_none() {
        not_recorded.push("original address");
    }
    if m.published.known().is_none() {
        not_recorded.push("date");
    }
    if m.byline.is_none() {
        not_recorded.push("byline");
    }
    if m.section.is_none() {
        not_recorded.push("section");
    }
    if m.retrieved.is_none() {
        not_recorded.push("when it was retrieved");
    }
    if m.archived.is_empty() {
        not_recorded.push("an archived copy");
    }
    if m.leads_with.is_empty() && !full_text {
        not_recorded.push("whose version it leads with");
    }
    let outlet = site.outlets.get(&m.outlet);
    let follows = m.followed().collect::<std::collections::BTreeSet<_>>();
    let annotations: Vec<(usize, String)> = m
        .annotations
        .iter()
        .zip(&r.annotations)
        .map(|(an, (n, html))| (*n, annotation_html(site, a, &an.follows, html)))
        .collect();
    let content = annotate(&r.content, &annotations);
    ArticleView {
        summary: summary(site, a),
        url: m.url.as_ref(),
        byline: m.byline.as_deref(),
        title_note: m.title_note.as_deref(),
        date_note: m.date_note.as_deref(),
        source_note: r.source_note,
        actors: m.actors.iter().map(|id| actor_ref(site, id)).collect(),
        leads_with: m.leads_with.iter().map(|id| actor_ref(site, id)).collect(),
        follows: follows.into_iter().map(|slug| article_link(site, slug)).collect(),
        image: m.image.as_ref(),
        retrieved: m.retrieved.map(|d| d.to_string()),
        retrieved_has_time: m.retrieved.is_some_and(|d| d.has_time()),
        archived: &m.archived,
        searches: outlet.map(|o| address_searches(a, o)).unwrap_or_default(),
        primary_domain: outlet.and_then(|o| primary_domain(a, o)),
        not_recorded,
        notes: r.notes,
        annotated: !annotations.is_empty(),
        content,
        toc: r.toc,
        text_sha256: full_text.then(|| text_sha256(a.body())),
        provenance_page: site
            .pages
            .iter()
            .any(|p| p.slug == "methodology")
            .then(|| format!("{}#provenance", page_path("methodology"))),
        source: &a.source,
        source_sha256: &a.source_sha256,
        taxonomies: term_groups(site, a),
    }
}

/// The SHA-256 of a transcribed text: the body as held, line ends as LF (lowercase hex).
pub fn text_sha256(body: &str) -> String {
    use sha2::{Digest, Sha256};
    let text = body.replace("\r\n", "\n");
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// Wayback Machine searches for an article whose address is not known: each of its
/// `search_prefixes` on each domain of its outlet that serves its pages (primary, mirror or
/// former; an edition has pages of its own).
fn address_searches(a: &Article, outlet: &Outlet) -> Vec<AddressSearch> {
    if a.meta.url.is_some() {
        return Vec::new();
    }
    let hosts = outlet.meta.domains.iter().filter(|d| d.role() != DomainRole::Edition);
    hosts
        .flat_map(|d| {
            a.meta.search_prefixes.iter().map(move |p| AddressSearch {
                host: d.host.to_string(),
                prefix: p.clone(),
                url: super::publish::wayback_prefix_search(d.host.as_str(), p),
            })
        })
        .collect()
}

/// The outlet's primary domain on the article's date: the one whose period covers it; without
/// a date, the only primary domain if it has no period.
fn primary_domain<'a>(a: &Article, outlet: &'a Outlet) -> Option<PrimaryDomain<'a>> {
    let view = |d: &'a Domain, on: Option<String>| PrimaryDomain {
        host: d.host.as_str(),
        on,
        status: d.status,
    };
    match a.meta.published.known() {
        Some(date) => {
            let day = date.date();
            outlet
                .meta
                .primary_on(day)
                .map(|d| view(d, d.is_dated().then(|| PartialDate::day(day).display())))
        }
        None => {
            let mut primaries = outlet.meta.primaries();
            match (primaries.next(), primaries.next()) {
                (Some(d), None) if !d.is_dated() => Some(view(d, None)),
                _ => None,
            }
        }
    }
}

/// The inside of an annotation: the reports its paragraph follows (linked), then the note.
fn annotation_html(site: &Site, a: &Article, follows: &[String], note: &str) -> String {
    let mut out = String::new();
    if !follows.is_empty() {
        out.push_str("<p class=\"annotation-follows\">Follows: ");
        let here = article_path(&a.slug);
        for (i, slug) in follows.iter().enumerate() {
            let Some(f) = site.links.by_slug.get(slug).map(|&i| &site.articles[i]) else {
                continue;
            };
            if i > 0 {
                out.push_str(if i + 1 == follows.len() { " and " } else { ", " });
            }
            // `Reuters via Thomson Reuters Foundation`: whose report, and where; the headline
            // is the link's title.
            let outlet = outlet_ref(site, &f.meta.outlet).name;
            let text = match f.meta.agency.as_deref() {
                Some(agency) => format!("{} via {outlet}", outlet_ref(site, agency).name),
                None => outlet.to_string(),
            };
            let href = super::urls::relative(&here, &article_path(slug), site.config.pretty_links);
            out.push_str("<a href=\"");
            let _ = pulldown_cmark_escape::escape_href(&mut out, &href);
            out.push_str("\" title=\"");
            let _ = pulldown_cmark_escape::escape_html(&mut out, &label(site, f));
            out.push_str("\">");
            let _ = pulldown_cmark_escape::escape_html(&mut out, &text);
            out.push_str("</a>");
        }
        out.push_str(".</p>\n");
    }
    out.push_str(note);
    out
}

/// `html` with each annotation's note after its paragraph (the `n`-th top-level `<p>`), as an
/// `<aside>`.
fn annotate(html: &str, annotations: &[(usize, String)]) -> String {
    if annotations.is_empty() {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() * 2);
    let mut depth = 0i32;
    let mut paragraph = 0usize;
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        out.push_str(&rest[..i]);
        let tag_end = rest[i..].find('>').map_or(rest.len(), |j| i + j + 1);
        let tag = &rest[i..tag_end];
        out.push_str(tag);
        rest = &rest[tag_end..];
        let name: String = tag
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        let closing = tag.starts_with("</");
        if matches!(name.as_str(), "blockquote" | "ul" | "ol" | "table" | "div" | "aside") {
            depth += if closing { -1 } else { 1 };
        }
        if closing && name == "p" && depth == 0 {
            paragraph += 1;
            for (n, note) in annotations.iter().filter(|(n, _)| *n == paragraph) {
                if rest.starts_with('\n') {
                    out.push('\n');
                    rest = &rest[1..];
                }
                out.push_str(&format!(
                    "<aside class=\"annotation\" aria-label=\"Editor’s note on paragraph {n}\">\n<p class=\"annotation-label\">Editor’s note</p>\n{note}</aside>\n"
                ));
            }
        }
    }
    out.push_str(rest);
    out
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
    /// What the sources support.
    pub evidence: Option<&'a crate::content::verify::Evidence>,
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
    /// Domains, in file order, with their roles and periods.
    pub domains: Vec<DomainView<'a>>,
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
    /// What is not recorded about it, in words, for one line.
    pub not_recorded: Vec<&'static str>,
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
    /// Domains, in file order, with their roles and periods.
    pub domains: Vec<DomainView<'a>>,
    /// Country.
    pub country: Option<&'a Attributed>,
    /// Owner.
    pub owner: Option<&'a Attributed>,
    /// Affiliation.
    pub affiliation: Option<&'a Attributed>,
}

/// A domain with its role and period in words.
#[derive(Debug, Serialize)]
pub struct DomainView<'a> {
    /// The domain as written (`host`, `role`, `language`, `from`, `until`, `status`, `note`,
    /// `sources`, `evidence`).
    #[serde(flatten)]
    pub domain: &'a Domain,
    /// `primary`, `mirror`, `edition`, `language edition (fr)`, `former`.
    pub role_label: String,
    /// `until 22 June 2021`, `from 22 June 2021`, `from 2007 until 2021`; none when not dated.
    pub period: Option<String>,
}

/// The views of an outlet's domains.
pub fn domain_views(outlet: &Outlet) -> Vec<DomainView<'_>> {
    outlet
        .meta
        .domains
        .iter()
        .map(|d| {
            let role = d.role();
            let role_label = match (role, &d.language) {
                (DomainRole::Edition, Some(lang)) => format!("language edition ({lang})"),
                (role, _) => role.label().to_string(),
            };
            let period = match (d.from, d.until) {
                (Some(f), Some(u)) => Some(format!("from {} until {}", f.display(), u.display())),
                (Some(f), None) => Some(format!("from {}", f.display())),
                (None, Some(u)) => Some(format!("until {}", u.display())),
                (None, None) => None,
            };
            DomainView { domain: d, role_label, period }
        })
        .collect()
}

/// Builds the brief view of an outlet.
pub fn outlet_brief(outlet: &Outlet) -> OutletBrief<'_> {
    let m = &outlet.meta;
    OutletBrief {
        id: &outlet.id,
        path: outlet_path(&outlet.id),
        name: &m.name,
        domains: domain_views(outlet),
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

/// The article the front page points readers to, with why.
#[derive(Debug, Serialize)]
pub struct FeaturedView<'a> {
    /// The article, as listings show it.
    pub article: Option<ArticleSummary<'a>>,
    /// Why to read it, as HTML.
    pub note: Option<String>,
}

/// The front page's featured article (the loader has checked the slug).
pub fn featured<'a>(site: &'a Site, slug: &str, note: Option<String>) -> FeaturedView<'a> {
    let article = site.links.by_slug.get(slug).map(|&i| summary(site, &site.articles[i]));
    FeaturedView { article, note }
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
        domains: domain_views(outlet),
        country: m.country.as_ref(),
        owner: m.owner.as_ref(),
        affiliation: m.affiliation.as_ref(),
        notes: m.notes.as_deref().map(&mut *markdown),
        facts: m
            .facts
            .iter()
            .map(|f| FactView {
                html: markdown(&f.text),
                status: f.status,
                sources: &f.sources,
                evidence: f.evidence.as_ref(),
            })
            .collect(),
        sources: &m.sources,
        article_count,
        not_recorded: [
            (m.affiliation.is_none(), "an affiliation or leaning with its source"),
            (m.country.is_none(), "where it is based"),
            (m.owner.is_none(), "its owner"),
            (m.homepage.is_none(), "its home page"),
        ]
        .into_iter()
        .filter_map(|(missing, what)| missing.then_some(what))
        .collect(),
        source: &outlet.source,
    }
}
