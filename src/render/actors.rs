//! The actors pages: the index (`actors/`) and one page per actor (`actors/<id>/`) with its
//! positions, events and articles; and an outlet's own positions, for its page.

use serde::Serialize;
use tera::Value;

use super::context::{ActorRef, actor_path, actor_ref, to_value};
use super::editorial::{ClaimRef, EventRef, PositionView, claim_ref, event_ref, position_view};
use super::jobs::{PageJob, PagedList};
use super::site_markdown::SiteMarkdown;
use crate::content::outlet::SourceRef;
use crate::content::{PositionRef, Site};
use crate::diagnostics::Diagnostic;

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
