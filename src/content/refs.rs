//! Cross-references between content files, resolved once at load time.
//!
//! Articles name their outlet, agency, actors and the article they republish; actors name the
//! body they are part of; claim positions name an actor or outlet and the articles that carry
//! them; timeline events name actors and articles. `check` reports every dangling id at its
//! file, line and column with the known ids; [`Links`] then holds the reverse indexes pages
//! need (an article's claims, events and republications; an actor's positions).

use std::collections::{BTreeMap, BTreeSet};

use super::{Actor, Article, Claim, Outlet, Timeline};
use crate::diagnostics::{Diagnostic, did_you_mean};
use crate::yaml;

/// What an id refers to, for messages.
#[derive(Debug, Clone, Copy)]
enum Target {
    Outlet,
    Actor,
    Article,
}

impl Target {
    fn noun(self) -> &'static str {
        match self {
            Target::Outlet => "outlet",
            Target::Actor => "actor",
            Target::Article => "article",
        }
    }

    fn create_hint(self, id: &str) -> String {
        match self {
            Target::Outlet => format!("create content/outlets/{id}.yaml, or use a known id"),
            Target::Actor => format!("create content/actors/{id}.yaml, or use a known id"),
            Target::Article => {
                "use the slug of an article in content/articles/ (its file name without `.md`)"
                    .to_string()
            }
        }
    }
}

/// The ids that exist, by kind.
struct Known<'a> {
    outlets: Vec<&'a str>,
    actors: Vec<&'a str>,
    articles: Vec<&'a str>,
    /// Ids whose file exists but failed to parse: its own error is reported, and a reference to
    /// it is not a second one.
    unparsed: &'a Unparsed,
}

/// The ids of outlet, actor and article files that exist but could not be read or parsed.
#[derive(Debug, Default)]
pub(crate) struct Unparsed {
    pub(crate) outlets: BTreeSet<String>,
    pub(crate) actors: BTreeSet<String>,
    pub(crate) articles: BTreeSet<String>,
}

impl Known<'_> {
    fn ids(&self, target: Target) -> &[&str] {
        match target {
            Target::Outlet => &self.outlets,
            Target::Actor => &self.actors,
            Target::Article => &self.articles,
        }
    }

    fn unparsed(&self, target: Target) -> &BTreeSet<String> {
        match target {
            Target::Outlet => &self.unparsed.outlets,
            Target::Actor => &self.unparsed.actors,
            Target::Article => &self.unparsed.articles,
        }
    }
}

/// Collects dangling references, locating each use of an id in turn.
struct Checker<'a> {
    known: Known<'a>,
    errors: Vec<Diagnostic>,
    /// How many times `(file, key, id)` has been located, so repeats point at their own line.
    seen: BTreeMap<(String, String, String), usize>,
}

impl Checker<'_> {
    /// Checks that `id` (given under `key` in `file`, whose text is `text`) exists.
    fn check(&mut self, file: &str, text: &str, key: &str, id: &str, target: Target) {
        let counter = self.seen.entry((file.into(), key.into(), id.into())).or_insert(0);
        let nth = *counter;
        *counter += 1;
        let known = self.known.ids(target);
        if known.binary_search(&id).is_ok() || self.known.unparsed(target).contains(id) {
            return;
        }
        let noun = target.noun();
        let list = if known.is_empty() {
            format!("there are no {noun}s yet")
        } else {
            let ids: Vec<String> = known.iter().map(|k| format!("`{k}`")).collect();
            format!("the known {noun}s are {}", ids.join(", "))
        };
        let help = match did_you_mean(id, known.iter().copied()) {
            Some(best) => format!("did you mean `{best}`? ({list})"),
            None => format!("{} ({list})", target.create_hint(id)),
        };
        let (line, col) = yaml::locate_value(text, key, id, nth);
        self.errors.push(
            Diagnostic::error(file, format!("unknown {noun} `{id}`"))
                .at(text, line, col)
                .help(help),
        );
    }
}

/// Reports every reference to an id that does not exist, and misuse of `republishes`. An id in
/// `unparsed` exists as a file whose own errors are reported, so references to it are not.
pub(crate) fn check(
    index: &super::IndexPage,
    articles: &[Article],
    outlets: &BTreeMap<String, Outlet>,
    actors: &BTreeMap<String, Actor>,
    claims: &[Claim],
    timeline: &Timeline,
    unparsed: &Unparsed,
) -> Vec<Diagnostic> {
    let mut slugs: Vec<&str> = articles.iter().map(|a| a.slug.as_str()).collect();
    slugs.sort_unstable();
    let known = Known {
        outlets: outlets.keys().map(String::as_str).collect(),
        actors: actors.keys().map(String::as_str).collect(),
        articles: slugs,
        unparsed,
    };
    let mut c = Checker { known, errors: Vec::new(), seen: BTreeMap::new() };
    let by_slug: BTreeMap<&str, &Article> = articles.iter().map(|a| (a.slug.as_str(), a)).collect();
    if let Some(f) = &index.meta.featured {
        let fm = &index.text[..index.body.start];
        c.check(&index.source, fm, "article", &f.article, Target::Article);
    }

    for a in articles {
        let m = &a.meta;
        let fm = &a.text[..a.body.start];
        c.check(&a.source, fm, "outlet", &m.outlet, Target::Outlet);
        if let Some(agency) = &m.agency {
            c.check(&a.source, fm, "agency", agency, Target::Outlet);
        }
        for id in &m.actors {
            c.check(&a.source, fm, "actors", id, Target::Actor);
        }
        for id in &m.leads_with {
            c.check(&a.source, fm, "leads_with", id, Target::Actor);
        }
        for slug in m.followed() {
            c.check(&a.source, fm, "follows", slug, Target::Article);
        }
        let Some(original) = &m.republishes else { continue };
        if *original == a.slug {
            c.errors.push(
                a.error_at(
                    a.locate_value("republishes", original),
                    "an article cannot republish itself",
                )
                .help("give the slug of the original article, or leave `republishes` out"),
            );
        } else if let Some(orig) = by_slug.get(original.as_str()) {
            if let Some(first) = &orig.meta.republishes {
                c.errors.push(
                    a.error_at(
                        a.locate_value("republishes", original),
                        format!("`{original}` is itself a copy of `{first}`"),
                    )
                    .help(format!("point `republishes` at the original: `{first}`")),
                );
            }
        } else {
            c.check(&a.source, fm, "republishes", original, Target::Article);
        }
    }
    for actor in actors.values() {
        if let Some(parent) = &actor.meta.part_of {
            c.check(&actor.source, &actor.text, "part_of", parent, Target::Actor);
        }
        let affiliation = actor.meta.affiliation.iter().flat_map(|a| &a.sources);
        for agency in affiliation.chain(&actor.meta.sources).filter_map(|s| s.agency.as_ref()) {
            c.check(&actor.source, &actor.text, "agency", agency, Target::Outlet);
        }
    }
    for outlet in outlets.values() {
        let m = &outlet.meta;
        let sources = m
            .domains
            .iter()
            .flat_map(|d| &d.sources)
            .chain(m.facts.iter().flat_map(|f| &f.sources))
            .chain(
                [&m.country, &m.owner, &m.affiliation]
                    .into_iter()
                    .flatten()
                    .flat_map(|a| &a.sources),
            )
            .chain(&m.sources);
        for agency in sources.filter_map(|s| s.agency.as_ref()) {
            c.check(&outlet.source, &outlet.text, "agency", agency, Target::Outlet);
        }
    }
    for claim in claims {
        for p in &claim.meta.positions {
            if let Some(id) = &p.actor {
                c.check(&claim.source, &claim.text, "actor", id, Target::Actor);
            }
            if let Some(id) = &p.outlet {
                c.check(&claim.source, &claim.text, "outlet", id, Target::Outlet);
            }
            for slug in &p.articles {
                c.check(&claim.source, &claim.text, "articles", slug, Target::Article);
            }
        }
    }
    for e in &timeline.events {
        for id in &e.actors {
            c.check(&timeline.source, &timeline.text, "actors", id, Target::Actor);
        }
        for agency in e.sources.iter().filter_map(|s| s.agency.as_ref()) {
            c.check(&timeline.source, &timeline.text, "agency", agency, Target::Outlet);
        }
        for slug in &e.articles {
            c.check(&timeline.source, &timeline.text, "articles", slug, Target::Article);
        }
    }
    c.errors
}

/// A position, by index: `(claim, position)` in [`super::Site::claims`].
pub type PositionRef = (usize, usize);

/// Reverse indexes over checked references. Indices are into the site's sorted lists.
#[derive(Debug, Clone, Default)]
pub struct Links {
    /// Article index by slug.
    pub by_slug: BTreeMap<String, usize>,
    /// For each article, the articles that republish it.
    pub copies: Vec<Vec<usize>>,
    /// For each article, the claim positions that cite it.
    pub positions: Vec<Vec<PositionRef>>,
    /// For each article, the timeline events that cite it.
    pub events: Vec<Vec<usize>>,
    /// Positions held by each actor.
    pub actor_positions: BTreeMap<String, Vec<PositionRef>>,
    /// Positions that are an outlet's own reporting, by outlet.
    pub outlet_positions: BTreeMap<String, Vec<PositionRef>>,
    /// Timeline events each actor is involved in.
    pub actor_events: BTreeMap<String, Vec<usize>>,
}

impl Links {
    /// Builds the indexes; call after `check` found nothing, with articles in site order.
    pub fn build(articles: &[Article], claims: &[Claim], timeline: &Timeline) -> Links {
        let n = articles.len();
        let by_slug: BTreeMap<String, usize> =
            articles.iter().enumerate().map(|(i, a)| (a.slug.clone(), i)).collect();
        let mut links = Links {
            copies: vec![Vec::new(); n],
            positions: vec![Vec::new(); n],
            events: vec![Vec::new(); n],
            ..Links::default()
        };
        for (i, a) in articles.iter().enumerate() {
            if let Some(&orig) = a.meta.republishes.as_ref().and_then(|o| by_slug.get(o)) {
                links.copies[orig].push(i);
            }
        }
        for (ci, claim) in claims.iter().enumerate() {
            for (pi, p) in claim.meta.positions.iter().enumerate() {
                let (holder, is_outlet) = p.holder();
                let map = if is_outlet {
                    &mut links.outlet_positions
                } else {
                    &mut links.actor_positions
                };
                map.entry(holder.to_string()).or_default().push((ci, pi));
                for slug in &p.articles {
                    if let Some(&ai) = by_slug.get(slug) {
                        let list = &mut links.positions[ai];
                        if !list.contains(&(ci, pi)) {
                            list.push((ci, pi));
                        }
                    }
                }
            }
        }
        for (ei, e) in timeline.events.iter().enumerate() {
            for id in &e.actors {
                links.actor_events.entry(id.clone()).or_default().push(ei);
            }
            for slug in &e.articles {
                if let Some(&ai) = by_slug.get(slug) {
                    let list = &mut links.events[ai];
                    if !list.contains(&ei) {
                        list.push(ei);
                    }
                }
            }
        }
        links.by_slug = by_slug;
        links
    }
}
