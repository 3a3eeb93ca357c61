//! The editorial pages: the claims ledger (`dispute/`), the timeline (`timeline/`), the
//! coverage table (`coverage/`), the actors (`actors/`, `actors/<id>/`) and the article index
//! (`articles/`), plus the per-article cross-references (claims carried, events covered, other
//! coverage, republications).
//!
//! Every view here is built from the [`Site`] and its [`crate::content::Links`]; nothing is
//! looked up by name at render time, so a page can only show what the loader has resolved.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;

use super::context::{
    self, ActorRef, ArticleLink, actor_path, actor_ref, article_link, claim_path, event_path,
    to_value,
};
use super::jobs::{PageJob, PagedList};
use super::site_markdown::SiteMarkdown;
use super::timeline_svg::{self, Focus, Mark, MarkKind};
use super::urls;
use crate::content::outlet::SourceRef;
use crate::content::verify::Evidence;
use crate::content::{Claim, Event, Position, PositionRef, Site, Stance};
use crate::diagnostics::{Diagnostic, plural};
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

fn claim_ref(claim: &Claim) -> ClaimRef<'_> {
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

fn position_view<'a>(site: &'a Site, p: &'a Position) -> PositionView<'a> {
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

fn event_ref(e: &Event) -> EventRef<'_> {
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
    site: &'a Site,
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

/// An entry of the timeline list: an event, or an article on its publication date.
#[derive(Debug, Serialize)]
struct Entry {
    /// `event` or `article`.
    kind: &'static str,
    /// The event view or the article summary.
    item: Value,
}

/// Entries of one month (or of a year, when only the year is known).
#[derive(Debug, Serialize)]
struct MonthGroup {
    /// `June 2019`, or `2017` for entries known only to the year.
    label: String,
    /// Anchor id.
    anchor: String,
    entries: Vec<Entry>,
}

/// A numbered event of the timeline chart, as the key beside it lists it.
#[derive(Debug, Serialize)]
struct ChartKey<'a> {
    number: usize,
    date: PartialDate,
    time: Option<&'a str>,
    title: &'a str,
    path: String,
}

/// Entries of one year.
#[derive(Debug, Serialize)]
struct YearGroup {
    year: i16,
    months: Vec<MonthGroup>,
}

/// The timeline page: the picture, then events and articles grouped by year and month.
pub fn timeline_page(ed: &Editorial<'_>, summaries: &[Value], pretty: bool) -> PageJob {
    let site = ed.site;
    let path = "timeline/".to_string();
    // (date, 0 = event / 1 = article, order) → entry
    let mut keyed: Vec<((jiff::civil::Date, u8, usize), PartialDate, Entry)> = Vec::new();
    let mut marks = Vec::new();
    // The events the chart numbers (those of the focus, or all without one), with the key the
    // page gives beside it.
    let in_focus = |e: &Event| {
        site.timeline
            .focus
            .is_none_or(|f| e.date.start >= f.start.start && e.date.end() <= f.end.end())
    };
    let mut key = Vec::new();
    for (i, (e, v)) in site.timeline.events.iter().zip(&ed.events).enumerate() {
        keyed.push(((e.date.start, 0, i), e.date, Entry { kind: "event", item: v.clone() }));
        let number = in_focus(e).then(|| {
            key.push(ChartKey {
                number: key.len() + 1,
                date: e.date,
                time: e.time.as_deref(),
                title: &e.title,
                path: event_path(&e.id),
            });
            key.len() as u32
        });
        marks.push(Mark {
            start: e.date.start,
            end: e.date.end(),
            label: e.title.clone(),
            kind: MarkKind::Event,
            href: format!("#event-{}", e.id),
            number,
        });
    }
    let mut undated = Vec::new();
    // Oldest first; within a day, in the order of [`within_day`].
    for i in oldest_first(site, 0..site.articles.len()) {
        let a = &site.articles[i];
        let Some(published) = a.meta.published.known() else {
            undated.push(summaries[i].clone());
            continue;
        };
        let day = published.date();
        let date = PartialDate::day(day);
        let n = keyed.len();
        keyed.push(((day, 1, n), date, Entry { kind: "article", item: summaries[i].clone() }));
        let outlet = context::outlet_ref(site, &a.meta.outlet).name;
        let label = match &a.meta.title {
            Some(title) => format!("{outlet}: {title}"),
            None => format!("{} (headline not recorded)", context::untitled_label(site, a)),
        };
        marks.push(Mark {
            start: day,
            end: day,
            label,
            kind: MarkKind::Report,
            href: urls::relative(&path, &context::article_path(&a.slug), pretty),
            number: None,
        });
    }
    keyed.sort_by_key(|(k, _, _)| *k);

    let mut years: Vec<YearGroup> = Vec::new();
    for (_, date, entry) in keyed {
        let year = date.start.year();
        if years.last().is_none_or(|y| y.year != year) {
            years.push(YearGroup { year, months: Vec::new() });
        }
        let Some(y) = years.last_mut() else { continue };
        let (label, anchor) = match date.precision {
            crate::values::Precision::Year => (year.to_string(), format!("y{year}")),
            _ => {
                let month =
                    PartialDate { start: date.start, precision: crate::values::Precision::Month };
                (month.display(), format!("m{month}"))
            }
        };
        if y.months.last().is_none_or(|m| m.anchor != anchor) {
            y.months.push(MonthGroup { label, anchor, entries: Vec::new() });
        }
        if let Some(m) = y.months.last_mut() {
            m.entries.push(entry);
        }
    }

    let focus = site.timeline.focus.map(|f| Focus { start: f.start.start, end: f.end.end() });
    let desc = chart_description(site, focus);
    let svg = timeline_svg::render(
        &marks,
        focus,
        "timeline-chart",
        "Timeline of events and reports",
        &desc,
    );

    let mut job = PageJob::new(path, "the timeline page", "timeline.html");
    job.context.insert("within_day", WITHIN_DAY);
    job.context.insert("years", &years);
    job.context.insert_value("undated", Value::from(undated));
    job.context.insert("chart", &svg);
    job.context.insert("chart_key", &key);
    job.context.insert("chart_description", &desc);
    job.context.insert("event_count", &site.timeline.events.len());
    job
}

/// The text alternative of the timeline picture.
fn chart_description(site: &Site, focus: Option<Focus>) -> String {
    let events = &site.timeline.events;
    let dated = site.articles.iter().filter(|a| a.meta.published.known().is_some()).count();
    let mut s = format!(
        "{} and {} on a date axis",
        plural(events.len(), "event", "events"),
        plural(dated, "dated report", "dated reports"),
    );
    if let (Some(first), Some(last)) = (events.first(), events.last()) {
        s.push_str(&format!(", from {} to {}", first.date.display(), last.date.display()));
    }
    if let Some(f) = focus {
        let day = |d: jiff::civil::Date| PartialDate::day(d).display();
        s.push_str(&format!(
            ". The span from {} to {} is drawn expanded and the years before it compressed",
            day(f.start),
            day(f.end)
        ));
    }
    s.push_str(". Events are circles above the axis, reports squares below it; ");
    s.push_str(if focus.is_some() {
        "the events of the expanded span are numbered, and named under the chart"
    } else {
        "the events are numbered, and named under the chart"
    });
    s.push_str(". The list below gives every item in full.");
    s
}

/// One row of the coverage table: an original report and the copies of it.
#[derive(Debug, Serialize)]
struct CoverageRow<'a> {
    article: Value,
    leads_with: Vec<ActorRef<'a>>,
    events: Vec<EventRef<'a>>,
    copies: Vec<Value>,
}

/// The coverage pages: who reported what, when, with wire copies under their originals; the
/// originals are paginated, and each page groups its own rows by day (a day cut by a page break
/// is continued under the same heading on the next page).
pub fn coverage_pages(ed: &Editorial<'_>, summaries: &[Value]) -> Vec<PageJob> {
    let site = ed.site;
    // (anchor: `YYYY-MM-DD` or `undated`, label: `13 June 2019` or empty, the row).
    let mut dated: Vec<(String, String, Value)> = Vec::new();
    let mut undated: Vec<(String, String, Value)> = Vec::new();
    let originals =
        (0..site.articles.len()).filter(|&i| site.articles[i].meta.republishes.is_none());
    for i in oldest_first(site, originals) {
        let a = &site.articles[i];
        let row = to_value(&CoverageRow {
            article: summaries[i].clone(),
            leads_with: a.meta.leads_with.iter().map(|id| actor_ref(site, id)).collect(),
            events: site.links.events[i]
                .iter()
                .map(|&e| event_ref(&site.timeline.events[e]))
                .collect(),
            copies: site.links.copies[i].iter().rev().map(|&j| summaries[j].clone()).collect(),
        });
        match a.meta.published.known() {
            Some(published) => {
                let day = published.date();
                dated.push((day.to_string(), PartialDate::day(day).display(), row));
            }
            None => undated.push(("undated".into(), String::new(), row)),
        }
    }
    dated.append(&mut undated);
    let rows = dated;
    let originals = rows.len();
    let copies = site.articles.len() - originals;
    let pages = PagedList::new("coverage/".into(), "the coverage page", "coverage.html");
    pages.jobs(
        site,
        rows.len(),
        |i| rows[i].2.clone(),
        |job, pager| {
            job.context.insert_value("days", coverage_days(&rows[pager.items.clone()]));
            job.context.insert("original_count", &originals);
            job.context.insert("copy_count", &copies);
            job.context.insert("within_day", WITHIN_DAY);
        },
    )
}

/// The order of reports within one day, as the coverage and timeline pages state it: those
/// with a recorded time first, by the instant (UTC); then those with only a date, by outlet
/// name and then by slug. Undated reports sort last, in the same order.
pub const WITHIN_DAY: &str = "Within a day, reports with a recorded time come first, in order of \
    time (UTC); reports with only a date follow, in alphabetical order of outlet.";

/// `indices` of articles, oldest day first; within a day, in the order of [`WITHIN_DAY`].
fn oldest_first(site: &Site, indices: impl Iterator<Item = usize>) -> Vec<usize> {
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

/// Consecutive rows of one day as `{label, anchor, rows}`: `label` is `13 June 2019`, or empty
/// for the rows with no recorded date; `anchor` is `YYYY-MM-DD` or `undated`.
fn coverage_days(rows: &[(String, String, Value)]) -> Value {
    let mut days: Vec<Value> = Vec::new();
    for group in rows.chunk_by(|a, b| a.0 == b.0) {
        let (anchor, label, _) = &group[0];
        let mut day: BTreeMap<&'static str, Value> = BTreeMap::new();
        day.insert("label", label.as_str().into());
        day.insert("anchor", anchor.as_str().into());
        day.insert("rows", Value::from(group.iter().map(|r| r.2.clone()).collect::<Vec<_>>()));
        days.push(Value::from(day));
    }
    Value::from(days)
}

/// The article index: every article, newest first, undated last.
pub fn articles_pages(site: &Site, summaries: &[Value]) -> Vec<PageJob> {
    let pages = PagedList::new("articles/".into(), "the articles index", "articles.html");
    pages.jobs(site, summaries.len(), |i| summaries[i].clone(), |_, _| {})
}

/// An actor's page.
#[derive(Debug, Serialize)]
struct ActorView<'a> {
    id: &'a str,
    path: String,
    name: &'a str,
    short_name: Option<&'a str>,
    country: Option<&'a str>,
    affiliation: Option<&'a crate::content::outlet::Attributed>,
    part_of: Option<ActorRef<'a>>,
    parts: Vec<ActorRef<'a>>,
    description: String,
    sources: &'a [SourceRef],
    positions: Vec<ActorPosition<'a>>,
    events: Vec<EventRef<'a>>,
    article_count: usize,
    source: &'a str,
}

#[derive(Debug, Serialize)]
struct ActorPosition<'a> {
    claim: ClaimRef<'a>,
    position: PositionView<'a>,
}

/// The actors index and one page per actor.
pub fn actor_pages(
    r: &SiteMarkdown<'_>,
    summaries: &[Value],
    problems: &mut Vec<Diagnostic>,
) -> Vec<PageJob> {
    let site = r.site;
    let positions_of = |id: &str| -> &[PositionRef] {
        site.links.actor_positions.get(id).map_or(&[], Vec::as_slice)
    };
    let mut list = Vec::new();
    let mut jobs = Vec::new();
    for actor in site.actors.values() {
        let path = actor_path(&actor.id);
        let description = r.yaml_field(&actor.source, &actor.meta.description, &path, problems);
        let articles: Vec<Value> = site
            .articles
            .iter()
            .zip(summaries)
            .filter(|(a, _)| {
                a.meta.actors.contains(&actor.id) || a.meta.leads_with.contains(&actor.id)
            })
            .map(|(_, s)| s.clone())
            .collect();
        let view = ActorView {
            id: &actor.id,
            path: path.clone(),
            name: &actor.meta.name,
            short_name: actor.meta.short_name.as_deref(),
            country: actor.meta.country.as_deref(),
            affiliation: actor.meta.affiliation.as_ref(),
            part_of: actor.meta.part_of.as_deref().map(|id| actor_ref(site, id)),
            parts: site
                .actors
                .values()
                .filter(|a| a.meta.part_of.as_deref() == Some(actor.id.as_str()))
                .map(|a| actor_ref(site, &a.id))
                .collect(),
            description,
            sources: &actor.meta.sources,
            positions: positions_of(&actor.id)
                .iter()
                .map(|&(ci, pi)| {
                    let claim = &site.claims[ci];
                    ActorPosition {
                        claim: claim_ref(claim),
                        position: position_view(site, &claim.meta.positions[pi]),
                    }
                })
                .collect(),
            events: site
                .links
                .actor_events
                .get(&actor.id)
                .map_or(&[][..], Vec::as_slice)
                .iter()
                .map(|&e| event_ref(&site.timeline.events[e]))
                .collect(),
            article_count: articles.len(),
            source: &actor.source,
        };
        let value = to_value(&view);
        list.push(value.clone());
        let pages = PagedList::new(path, &actor.source, "actor.html");
        jobs.extend(pages.jobs(
            site,
            articles.len(),
            |i| articles[i].clone(),
            |job, _| {
                job.context.insert_value("actor", value.clone());
            },
        ));
    }
    let mut index = PageJob::new("actors/".into(), "the actors index", "actors.html");
    index.context.insert_value("actors", Value::from(list));
    jobs.push(index);
    jobs
}

/// Positions that are an outlet's own reporting, for its page.
pub fn outlet_positions(site: &Site, id: &str) -> Vec<Value> {
    site.links
        .outlet_positions
        .get(id)
        .map_or(&[][..], Vec::as_slice)
        .iter()
        .map(|&(ci, pi)| {
            let claim = &site.claims[ci];
            to_value(&ActorPosition {
                claim: claim_ref(claim),
                position: position_view(site, &claim.meta.positions[pi]),
            })
        })
        .collect()
}
