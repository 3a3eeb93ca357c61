//! The claims ledger (`dispute/`) and the views the editorial pages share: [`Editorial`],
//! built once per build (claims, grid, events), the claim, position and event views and links,
//! the per-article cross-references (claims carried, events covered, other coverage), and the
//! order of reports within a day. The pages built on these views are in the sibling modules
//! `timeline_page` (`timeline/`), `coverage` (`coverage/`, `articles/`) and `actors`
//! (`actors/`, `actors/<id>/`); they use this module, never the other way round.
//!
//! Every view here is built from the [`Site`] and its [`crate::content::Links`]; nothing is
//! looked up by name at render time, so a page can only show what the loader has resolved.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;

use super::context::{
    self, ActorRef, ArticleLink, actor_ref, article_link, claim_path, event_path, to_value,
};
use super::jobs::PageJob;
use super::site_markdown::SiteMarkdown;
use crate::content::outlet::SourceRef;
use crate::content::verify::Evidence;
use crate::content::{Claim, Event, Position, Site, Stance};
use crate::diagnostics::Diagnostic;
use crate::values::{PartialDate, Verification};

/// Who holds a position: an actor, or an outlet reporting on its own account.
#[derive(Debug, Serialize)]
pub struct HolderRef<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its full name.
    pub name: &'a str,
    /// The name used in tables.
    pub label: &'a str,
    /// Its page.
    pub path: String,
    /// Whether the holder is an outlet.
    pub is_outlet: bool,
}

fn holder<'a>(site: &'a Site, p: &'a Position) -> HolderRef<'a> {
    let (id, is_outlet) = p.holder();
    if is_outlet {
        let r = context::outlet_ref(site, id);
        HolderRef { id, name: r.name, label: r.name, path: r.path, is_outlet }
    } else {
        let r = actor_ref(site, id);
        HolderRef { id, name: r.name, label: r.label, path: r.path, is_outlet }
    }
}

/// An article cited as a source, with its outlet and date.
#[derive(Debug, Serialize)]
pub struct Citation<'a> {
    /// The article.
    #[serde(flatten)]
    pub link: ArticleLink<'a>,
    /// Its date, when known (`YYYY-MM-DD` or RFC 3339).
    pub published: Option<String>,
}

fn citations<'a>(site: &'a Site, slugs: &'a [String]) -> Vec<Citation<'a>> {
    slugs
        .iter()
        .map(|slug| Citation {
            link: article_link(site, slug),
            published: site
                .links
                .by_slug
                .get(slug)
                .and_then(|&i| site.articles[i].meta.published.known())
                .map(|d| d.to_string()),
        })
        .collect()
}

/// A claim as a link.
#[derive(Debug, Serialize)]
pub struct ClaimRef<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its section of the dispute page.
    pub path: String,
    /// The question.
    pub question: &'a str,
}

pub(super) fn claim_ref(claim: &Claim) -> ClaimRef<'_> {
    ClaimRef { id: &claim.id, path: claim_path(&claim.id), question: &claim.meta.question }
}

/// One position, as shown in the ledger.
#[derive(Debug, Serialize)]
pub struct PositionView<'a> {
    /// Who holds it.
    pub holder: HolderRef<'a>,
    /// `asserts`, `denies`, `disputes` or `reports`.
    pub stance: Stance,
    /// The position in one line (plain text).
    pub statement: &'a str,
    /// When it was stated.
    pub date: Option<PartialDate>,
    /// How well it is established: its sources' status, or a stricter one typed in the file.
    pub status: Option<Verification>,
    /// What its articles support.
    pub evidence: Option<&'a Evidence>,
    /// The articles carrying it.
    pub articles: Vec<Citation<'a>>,
}

pub(super) fn position_view<'a>(site: &'a Site, p: &'a Position) -> PositionView<'a> {
    PositionView {
        holder: holder(site, p),
        stance: p.stance,
        statement: p.statement.trim(),
        date: p.date,
        status: p.status,
        evidence: p.evidence.as_ref(),
        articles: citations(site, &p.articles),
    }
}

/// A claim with all its positions.
#[derive(Debug, Serialize)]
pub struct ClaimView<'a> {
    /// Its id, link and question.
    #[serde(flatten)]
    pub claim: ClaimRef<'a>,
    /// The anchor of its section.
    pub anchor: String,
    /// Background, as HTML.
    pub context: Option<String>,
    /// The positions, in file order.
    pub positions: Vec<PositionView<'a>>,
    /// How many positions take each stance, in [`Stance::ALL`] order (for the front page).
    pub stances: Vec<StanceCount<'a>>,
}

/// The holders taking one stance on a claim.
#[derive(Debug, Serialize)]
pub struct StanceCount<'a> {
    /// The stance.
    pub stance: Stance,
    /// Who takes it (each once).
    pub holders: Vec<&'a str>,
}

/// One row of the actor × claim grid.
#[derive(Debug, Serialize)]
pub struct GridRow<'a> {
    /// Who.
    pub holder: HolderRef<'a>,
    /// For each claim (in ledger order), the stances taken (each once, in [`Stance::ALL`] order).
    pub cells: Vec<Vec<Stance>>,
}

/// The compact ledger: holders × claims.
#[derive(Debug, Serialize)]
pub struct Grid<'a> {
    /// The columns.
    pub claims: Vec<ClaimRef<'a>>,
    /// The rows, in order of first appearance in the ledger.
    pub rows: Vec<GridRow<'a>>,
}

/// A timeline event.
#[derive(Debug, Serialize)]
pub struct EventView<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its anchor on the timeline page.
    pub anchor: String,
    /// Its link.
    pub path: String,
    /// When, at the precision known.
    pub date: PartialDate,
    /// Time of day, in words.
    pub time: Option<&'a str>,
    /// What happened.
    pub title: &'a str,
    /// More, as HTML.
    pub text: Option<String>,
    /// How well it is established: its sources' status, or a stricter one typed in the file.
    pub status: Option<Verification>,
    /// What its articles and sources support.
    pub evidence: Option<&'a Evidence>,
    /// Who was involved.
    pub actors: Vec<ActorRef<'a>>,
    /// Dossier articles reporting it.
    pub articles: Vec<Citation<'a>>,
    /// Outside sources.
    pub sources: &'a [SourceRef],
}

/// A timeline event as a link.
#[derive(Debug, Serialize)]
pub struct EventRef<'a> {
    /// Its id.
    pub id: &'a str,
    /// Its entry on the timeline page.
    pub path: String,
    /// When.
    pub date: PartialDate,
    /// What happened.
    pub title: &'a str,
}

pub(super) fn event_ref(e: &Event) -> EventRef<'_> {
    EventRef { id: &e.id, path: event_path(&e.id), date: e.date, title: &e.title }
}

/// Everything the editorial pages share, built once per build.
pub struct Editorial<'a> {
    /// The claims, in ledger order.
    pub claims: Vec<Value>,
    /// The grid.
    pub grid: Value,
    /// The events, in date order (rendered for the timeline page).
    pub events: Vec<Value>,
    /// The site the views are of.
    pub(super) site: &'a Site,
}

impl<'a> Editorial<'a> {
    /// Builds the ledger and event views; Markdown problems go to `problems`.
    pub fn new(r: &SiteMarkdown<'a>, problems: &mut Vec<Diagnostic>) -> Self {
        let site = r.site;
        let claims = site
            .claims
            .iter()
            .map(|c| {
                let context = c
                    .meta
                    .context
                    .as_deref()
                    .map(|t| r.yaml_field(&c.source, t, "dispute/", problems));
                to_value(&claim_view(site, c, context))
            })
            .collect();
        let events = site
            .timeline
            .events
            .iter()
            .map(|e| {
                let text = e
                    .text
                    .as_deref()
                    .map(|t| r.yaml_field(&site.timeline.source, t, "timeline/", problems));
                to_value(&event_view(site, e, text))
            })
            .collect();
        Editorial { claims, grid: to_value(&grid(site)), events, site }
    }

    /// The positions citing article `i`, for its page.
    pub fn article_claims(&self, i: usize) -> Vec<Value> {
        let site = self.site;
        site.links.positions[i]
            .iter()
            .map(|&(ci, pi)| {
                let claim = &site.claims[ci];
                let p = &claim.meta.positions[pi];
                to_value(&ArticleClaim {
                    claim: claim_ref(claim),
                    holder: holder(site, p),
                    stance: p.stance,
                    statement: p.statement.trim(),
                })
            })
            .collect()
    }

    /// The events article `i` reports.
    pub fn article_events(&self, i: usize) -> Vec<Value> {
        let site = self.site;
        site.links.events[i]
            .iter()
            .map(|&ei| to_value(&event_ref(&site.timeline.events[ei])))
            .collect()
    }

    /// Other articles reporting any event article `i` reports, in site order (copies of it
    /// included: they are other pages readers may meet).
    pub fn other_coverage(&self, i: usize, summary: &dyn Fn(usize) -> Value) -> Vec<Value> {
        let site = self.site;
        let mut others: Vec<usize> = site.links.events[i]
            .iter()
            .flat_map(|&ei| &site.timeline.events[ei].articles)
            .filter_map(|slug| site.links.by_slug.get(slug).copied())
            .filter(|&j| j != i)
            .collect();
        others.sort_unstable();
        others.dedup();
        others.into_iter().map(summary).collect()
    }

    /// Only what the article pages use ([`Editorial::article_claims`],
    /// [`Editorial::article_events`], [`Editorial::other_coverage`]): no ledger, events or grid.
    pub fn for_articles(site: &'a Site) -> Self {
        Editorial { claims: Vec::new(), grid: Value::none(), events: Vec::new(), site }
    }
}

/// A claim carried by an article.
#[derive(Debug, Serialize)]
struct ArticleClaim<'a> {
    claim: ClaimRef<'a>,
    holder: HolderRef<'a>,
    stance: Stance,
    statement: &'a str,
}

fn claim_view<'a>(site: &'a Site, c: &'a Claim, context: Option<String>) -> ClaimView<'a> {
    let positions: Vec<PositionView<'a>> =
        c.meta.positions.iter().map(|p| position_view(site, p)).collect();
    let stances = Stance::ALL
        .iter()
        .map(|&stance| {
            let mut holders: Vec<&str> = Vec::new();
            for p in positions.iter().filter(|p| p.stance == stance) {
                if !holders.contains(&p.holder.label) {
                    holders.push(p.holder.label);
                }
            }
            StanceCount { stance, holders }
        })
        .filter(|s| !s.holders.is_empty())
        .collect();
    ClaimView {
        claim: claim_ref(c),
        anchor: format!("claim-{}", c.id),
        context,
        positions,
        stances,
    }
}

fn grid(site: &Site) -> Grid<'_> {
    let mut order: Vec<(&str, bool)> = Vec::new();
    let mut cells: BTreeMap<(&str, bool), Vec<Vec<Stance>>> = BTreeMap::new();
    let mut first: BTreeMap<(&str, bool), &Position> = BTreeMap::new();
    for (ci, claim) in site.claims.iter().enumerate() {
        for p in &claim.meta.positions {
            let key = p.holder();
            if !cells.contains_key(&key) {
                order.push(key);
                first.insert(key, p);
            }
            let row = cells.entry(key).or_insert_with(|| vec![Vec::new(); site.claims.len()]);
            if !row[ci].contains(&p.stance) {
                row[ci].push(p.stance);
                row[ci].sort();
            }
        }
    }
    let rows = order
        .into_iter()
        .filter_map(|key| {
            let p = first.get(&key)?;
            Some(GridRow { holder: holder(site, p), cells: cells.remove(&key).unwrap_or_default() })
        })
        .collect();
    Grid { claims: site.claims.iter().map(claim_ref).collect(), rows }
}

fn event_view<'a>(site: &'a Site, e: &'a Event, text: Option<String>) -> EventView<'a> {
    EventView {
        id: &e.id,
        anchor: format!("event-{}", e.id),
        path: event_path(&e.id),
        date: e.date,
        time: e.time.as_deref(),
        title: &e.title,
        text,
        status: e.status,
        evidence: e.evidence.as_ref(),
        actors: e.actors.iter().map(|id| actor_ref(site, id)).collect(),
        articles: citations(site, &e.articles),
        sources: &e.sources,
    }
}

/// The dispute page: the grid, then one section per claim.
pub fn dispute_page(ed: &Editorial<'_>) -> PageJob {
    let mut job = PageJob::new("dispute/".into(), "the dispute page", "dispute.html");
    job.context.insert_value("claims", Value::from(ed.claims.clone()));
    job.context.insert_value("grid", ed.grid.clone());
    job
}

/// The order of reports within one day, as the coverage and timeline pages state it: those
/// with a recorded time first, by the instant (UTC); then those with only a date, by outlet
/// name and then by slug. Undated reports sort last, in the same order.
pub const WITHIN_DAY: &str = "Within a day, reports with a recorded time come first, in order of \
    time (UTC); reports with only a date follow, in alphabetical order of outlet.";

/// `indices` of articles, oldest day first; within a day, in the order of [`WITHIN_DAY`].
pub(super) fn oldest_first(site: &Site, indices: impl Iterator<Item = usize>) -> Vec<usize> {
    let key = |i: usize| {
        let a = &site.articles[i];
        let published = a.meta.published.known();
        let day = published.map(|p| p.date());
        let instant = published.and_then(|p| p.sort_key().1);
        let outlet = context::outlet_ref(site, &a.meta.outlet).name.to_lowercase();
        (day.is_none(), day, instant.is_none(), instant, outlet, a.slug.clone())
    };
    let mut keyed: Vec<_> = indices.map(|i| (key(i), i)).collect();
    keyed.sort();
    keyed.into_iter().map(|(_, i)| i).collect()
}
