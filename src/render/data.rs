//! The dossier's data as JSON, for other tools: `articles.json`, `claims.json`,
//! `timeline.json`. The schema is documented in docs/data-files.md and versioned by
//! `schema_version`; every list is in the same order as on the pages, and every object's keys
//! are in a fixed order, so the files are as deterministic as the HTML.
//!
//! Text fields hold what the content files hold (Markdown where the files take Markdown), not
//! rendered HTML; `path` fields are site paths, relative to `base_url`. `<` is written as
//! `\u003c` (the same string to any JSON parser), so no markup appears in the files' bytes.

use serde::Serialize;

use super::context::{OutletRef, actor_path, article_path, claim_path, event_path, outlet_ref};
use crate::content::outlet::SourceRef;
use crate::content::verify::Evidence;
use crate::content::{Kind, Site, Stance};
use crate::values::{HttpUrl, PartialDate, Verification};

/// Bumped when a field changes meaning or is removed (adding a field does not bump it). 2:
/// `base_url` may be null (a dossier with no address), a source's `url` may be null (evidence
/// with no public address), and `status` is the status shown (computed from the sources when
/// the file gives none).
pub const SCHEMA_VERSION: u32 = 2;

#[derive(Serialize)]
struct Header<'a> {
    schema_version: u32,
    generator: String,
    title: &'a str,
    /// `null` when the dossier has no address.
    base_url: Option<&'a str>,
}

fn header(site: &Site) -> Header<'_> {
    Header {
        schema_version: SCHEMA_VERSION,
        generator: format!("dossier {}", env!("CARGO_PKG_VERSION")),
        title: &site.config.title,
        base_url: site.config.base_url.as_ref().map(crate::config::BaseUrl::as_str),
    }
}

#[derive(Serialize)]
struct ArticleData<'a> {
    slug: &'a str,
    path: String,
    title: Option<&'a str>,
    outlet: OutletRef<'a>,
    agency: Option<OutletRef<'a>>,
    republishes: Option<&'a str>,
    republished_by: Vec<&'a str>,
    published: Option<String>,
    date_status: Option<Verification>,
    kind: Kind,
    url: Option<&'a HttpUrl>,
    byline: Option<&'a str>,
    language: Option<&'a str>,
    summary: Option<&'a str>,
    topics: &'a [String],
    places: &'a [String],
    actors: &'a [String],
    leads_with: &'a [String],
    claims: Vec<&'a str>,
    events: Vec<&'a str>,
    /// The source file, relative to the dossier root, and the SHA-256 of its bytes.
    source: &'a str,
    source_sha256: &'a str,
    /// For a full text: the SHA-256 of the transcribed text (see the methodology page).
    text_sha256: Option<String>,
}

#[derive(Serialize)]
struct ArticlesFile<'a> {
    #[serde(flatten)]
    header: Header<'a>,
    articles: Vec<ArticleData<'a>>,
}

/// `articles.json`: every article, newest first.
pub fn articles_json(site: &Site) -> Vec<u8> {
    let articles = site
        .articles
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let m = &a.meta;
            let mut claims: Vec<&str> =
                site.links.positions[i].iter().map(|&(c, _)| site.claims[c].id.as_str()).collect();
            claims.dedup();
            ArticleData {
                slug: &a.slug,
                path: article_path(&a.slug),
                title: m.title.as_deref(),
                outlet: outlet_ref(site, &m.outlet),
                agency: m.agency.as_deref().map(|id| outlet_ref(site, id)),
                republishes: m.republishes.as_deref(),
                republished_by: site.links.copies[i]
                    .iter()
                    .map(|&j| site.articles[j].slug.as_str())
                    .collect(),
                published: m.published.known().map(|d| d.to_string()),
                date_status: m.date_status,
                kind: m.kind,
                url: m.url.as_ref(),
                byline: m.byline.as_deref(),
                language: m.language.as_ref().map(|l| l.as_str()),
                summary: m.summary.as_deref().map(str::trim),
                topics: &m.topics,
                places: &m.places,
                actors: &m.actors,
                leads_with: &m.leads_with,
                claims,
                events: site.links.events[i]
                    .iter()
                    .map(|&e| site.timeline.events[e].id.as_str())
                    .collect(),
                source: &a.source,
                source_sha256: &a.source_sha256,
                text_sha256: (m.kind == Kind::FullText)
                    .then(|| super::context::text_sha256(a.body())),
            }
        })
        .collect();
    to_json(&ArticlesFile { header: header(site), articles })
}

#[derive(Serialize)]
struct PositionData<'a> {
    actor: Option<&'a str>,
    outlet: Option<&'a str>,
    stance: Stance,
    statement: &'a str,
    date: Option<PartialDate>,
    status: Option<Verification>,
    evidence: Option<&'a Evidence>,
    articles: &'a [String],
}

#[derive(Serialize)]
struct ClaimData<'a> {
    id: &'a str,
    path: String,
    question: &'a str,
    context: Option<&'a str>,
    positions: Vec<PositionData<'a>>,
}

#[derive(Serialize)]
struct ActorData<'a> {
    id: &'a str,
    path: String,
    name: &'a str,
    short_name: Option<&'a str>,
    country: Option<&'a str>,
    part_of: Option<&'a str>,
    description: &'a str,
    sources: &'a [SourceRef],
}

#[derive(Serialize)]
struct ClaimsFile<'a> {
    #[serde(flatten)]
    header: Header<'a>,
    claims: Vec<ClaimData<'a>>,
    actors: Vec<ActorData<'a>>,
}

/// `claims.json`: the ledger in order, and the actors it refers to.
pub fn claims_json(site: &Site) -> Vec<u8> {
    let claims = site
        .claims
        .iter()
        .map(|c| ClaimData {
            id: &c.id,
            path: claim_path(&c.id),
            question: &c.meta.question,
            context: c.meta.context.as_deref().map(str::trim),
            positions: c
                .meta
                .positions
                .iter()
                .map(|p| PositionData {
                    actor: p.actor.as_deref(),
                    outlet: p.outlet.as_deref(),
                    stance: p.stance,
                    statement: p.statement.trim(),
                    date: p.date,
                    status: p.status,
                    evidence: p.evidence.as_ref(),
                    articles: &p.articles,
                })
                .collect(),
        })
        .collect();
    let actors = site
        .actors
        .values()
        .map(|a| ActorData {
            id: &a.id,
            path: actor_path(&a.id),
            name: &a.meta.name,
            short_name: a.meta.short_name.as_deref(),
            country: a.meta.country.as_deref(),
            part_of: a.meta.part_of.as_deref(),
            description: a.meta.description.trim(),
            sources: &a.meta.sources,
        })
        .collect();
    to_json(&ClaimsFile { header: header(site), claims, actors })
}

#[derive(Serialize)]
struct Span {
    start: PartialDate,
    end: PartialDate,
}

#[derive(Serialize)]
struct EventData<'a> {
    id: &'a str,
    path: String,
    date: PartialDate,
    time: Option<&'a str>,
    title: &'a str,
    text: Option<&'a str>,
    status: Option<Verification>,
    evidence: Option<&'a Evidence>,
    actors: &'a [String],
    articles: &'a [String],
    sources: &'a [SourceRef],
}

#[derive(Serialize)]
struct TimelineFile<'a> {
    #[serde(flatten)]
    header: Header<'a>,
    focus: Option<Span>,
    events: Vec<EventData<'a>>,
}

/// `timeline.json`: the events in date order.
pub fn timeline_json(site: &Site) -> Vec<u8> {
    let t = &site.timeline;
    let events = t
        .events
        .iter()
        .map(|e| EventData {
            id: &e.id,
            path: event_path(&e.id),
            date: e.date,
            time: e.time.as_deref(),
            title: &e.title,
            text: e.text.as_deref().map(str::trim),
            status: e.status,
            evidence: e.evidence.as_ref(),
            actors: &e.actors,
            articles: &e.articles,
            sources: &e.sources,
        })
        .collect();
    let focus = t.focus.map(|f| Span { start: f.start, end: f.end });
    to_json(&TimelineFile { header: header(site), focus, events })
}

fn to_json<T: Serialize>(value: &T) -> Vec<u8> {
    // Serializing these plain structs cannot fail: no maps with non-string keys, no I/O.
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    // `<` only occurs inside strings, where `\u003c` is the same character: the data stay the
    // same, and no markup in the dossier's text (`<script>` in a title) can appear as markup
    // should a file be sniffed or pasted into HTML. Copied only when there is one to escape
    // (`articles.json` is 108 MB at 100,000 articles).
    if text.contains('<') {
        text = text.replace('<', "\\u003c");
    }
    let mut out = text.into_bytes();
    out.push(b'\n');
    out
}
