//! Verification computed from sources: the dossier's methodology, enforced.
//!
//! The methodology calls a fact *verified* when two independent sources support it (a wire
//! report and a consistent secondary report are two), *partly verified* when one does, and
//! *unverified* when none does or the support is only indirect. [`Origins::evidence`] counts the
//! independent sources behind an item: its articles and its outside sources are grouped by
//! where their reporting comes from, and each group counts once.
//!
//! - An article that `republishes` another counts as that original.
//! - An article carrying an `agency`'s story counts as the agency, so one wire story carried by
//!   several outlets (or several stories of one agency) counts once; otherwise an article counts
//!   as its outlet.
//! - An article that `follows` other articles (a rewrite of a wire report) is joined to them.
//! - An outside source counts as its `agency` when it names one; else as the dossier's article
//!   with the same address, if there is one; else as the outlet whose domain its host is on;
//!   else as its host (without `www.`), or, with no address, as its title. An `indirect` source
//!   (an address seen quoted elsewhere) does not count.
//!
//! Entries that share any of these origins are one group. A status typed in a file may be
//! stricter than the computed one (sources can agree yet conflict on a detail), never looser:
//! [`apply`] reports a looser one at its `file:line:col`, naming the sources the item has and
//! what is missing. Every item then carries its [`Evidence`] and the status shown (the typed one,
//! or the computed one).
//!
//! One file of some 640 lines, about 110 of them unit tests: the rest is the methodology above,
//! kept in one place so that the rules and the code enforcing them read together.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::outlet::{Attributed, SourceRef};
use super::{Actor, Article, Claim, Outlet, Timeline};
use crate::diagnostics::Diagnostic;
use crate::values::Verification;

/// What an item's sources support.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// The status the sources support.
    pub computed: Verification,
    /// The independent sources, one name each (`Reuters`, `News Front (en.news-front.su)`).
    pub independent: Vec<String>,
    /// Sources shown but not counted (indirect).
    pub indirect: usize,
    /// Whether the status shown was typed in the file (it is then as strict or stricter).
    pub typed: bool,
}

/// Where some reporting comes from; two entries sharing one are not independent.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    /// An outlet or agency, by id.
    Outlet(String),
    /// A host with no outlet in the dossier.
    Host(String),
    /// A source with no address, by its title.
    Named(String),
}

/// One counted piece of evidence: its origins and the name it is shown by.
struct Entry {
    keys: BTreeSet<Key>,
    name: String,
}

/// How many independent sources support each value: 0, 1, 2 or more.
pub fn status_for(independent: usize) -> Verification {
    match independent {
        0 => Verification::Unverified,
        1 => Verification::PartlyVerified,
        _ => Verification::Verified,
    }
}

/// How confident a status is: verified 2, partly verified 1, unverified 0.
fn rank(v: Verification) -> u8 {
    match v {
        Verification::Verified => 2,
        Verification::PartlyVerified => 1,
        Verification::Unverified => 0,
    }
}

/// The key of a status in files: `partly-verified`.
pub fn status_key(v: Verification) -> &'static str {
    match v {
        Verification::Verified => "verified",
        Verification::PartlyVerified => "partly-verified",
        Verification::Unverified => "unverified",
    }
}

/// What the loaded articles and outlets say about where reporting comes from.
pub struct Origins<'a> {
    outlets: &'a BTreeMap<String, Outlet>,
    by_slug: BTreeMap<&'a str, &'a Article>,
    by_url: BTreeMap<&'a str, &'a Article>,
}

impl<'a> Origins<'a> {
    /// Indexes `articles` and `outlets`.
    pub fn new(articles: &'a [Article], outlets: &'a BTreeMap<String, Outlet>) -> Self {
        let by_slug = articles.iter().map(|a| (a.slug.as_str(), a)).collect();
        let by_url =
            articles.iter().filter_map(|a| a.meta.url.as_ref().map(|u| (u.as_str(), a))).collect();
        Origins { outlets, by_slug, by_url }
    }

    /// The dossier's article whose original address is `url`.
    pub fn article_at(&self, url: &str) -> Option<&'a Article> {
        self.by_url.get(url).copied()
    }

    fn outlet_name(&self, id: &str) -> String {
        self.outlets.get(id).map_or_else(|| id.to_string(), |o| o.meta.name.clone())
    }

    /// An article's own origin: its agency, or its outlet (an original's, for a copy).
    fn own_origin(&self, a: &Article) -> String {
        let a = a.meta.republishes.as_deref().and_then(|s| self.by_slug.get(s)).unwrap_or(&a);
        a.meta.agency.clone().unwrap_or_else(|| a.meta.outlet.clone())
    }

    fn article_entry(&self, a: &Article) -> Entry {
        let a =
            a.meta.republishes.as_deref().and_then(|s| self.by_slug.get(s)).copied().unwrap_or(a);
        let mut keys: BTreeSet<Key> = [Key::Outlet(self.own_origin(a))].into();
        for slug in a.meta.followed() {
            if let Some(f) = self.by_slug.get(slug) {
                keys.insert(Key::Outlet(self.own_origin(f)));
            }
        }
        Entry { keys, name: self.outlet_name(&self.own_origin(a)) }
    }

    fn source_entry(&self, s: &SourceRef) -> Option<Entry> {
        if s.indirect {
            return None;
        }
        if let Some(agency) = &s.agency {
            return Some(Entry {
                keys: [Key::Outlet(agency.clone())].into(),
                name: self.outlet_name(agency),
            });
        }
        let Some(url) = &s.url else {
            let title = s.title.clone().unwrap_or_default();
            return Some(Entry { keys: [Key::Named(title.clone())].into(), name: title });
        };
        if let Some(a) = self.article_at(url.as_str()) {
            return Some(self.article_entry(a));
        }
        let host = host_of(url.as_str());
        if let Some(o) = self.outlets.values().find(|o| o.meta.domain_of(&host).is_some()) {
            return Some(Entry {
                keys: [Key::Outlet(o.id.clone())].into(),
                name: o.meta.name.clone(),
            });
        }
        let name = match &s.title {
            Some(t) => format!("{t} ({host})"),
            None => host.clone(),
        };
        Some(Entry { keys: [Key::Host(host)].into(), name })
    }

    /// What the dossier's `articles` (slugs) and the outside `sources` support together.
    pub fn evidence(&self, articles: &[String], sources: &[SourceRef]) -> Evidence {
        let mut entries: Vec<Entry> = articles
            .iter()
            .filter_map(|slug| self.by_slug.get(slug.as_str()))
            .map(|a| self.article_entry(a))
            .collect();
        let indirect = sources.iter().filter(|s| s.indirect).count();
        entries.extend(sources.iter().filter_map(|s| self.source_entry(s)));
        let independent = groups(&entries);
        Evidence { computed: status_for(independent.len()), independent, indirect, typed: false }
    }
}

/// The host of an address, lowercase, without `www.`.
fn host_of(url: &str) -> String {
    let host = url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
        .unwrap_or_default();
    host.strip_prefix("www.").map(str::to_string).unwrap_or(host)
}

/// The groups of entries that share an origin (directly or through others), each named by its
/// members' names, in order of first appearance.
fn groups(entries: &[Entry]) -> Vec<String> {
    let mut parent: Vec<usize> = (0..entries.len()).collect();
    fn find(parent: &mut [usize], i: usize) -> usize {
        let mut r = i;
        while parent[r] != r {
            r = parent[r];
        }
        parent[i] = r;
        r
    }
    for i in 0..entries.len() {
        for j in i + 1..entries.len() {
            if !entries[i].keys.is_disjoint(&entries[j].keys) {
                let (a, b) = (find(&mut parent, i), find(&mut parent, j));
                parent[b.max(a)] = a.min(b);
            }
        }
    }
    let mut named: Vec<(usize, Vec<&str>)> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let root = find(&mut parent, i);
        match named.iter_mut().find(|(r, _)| *r == root) {
            Some((_, names)) if !names.contains(&e.name.as_str()) => names.push(&e.name),
            Some(_) => {}
            None => named.push((root, vec![&e.name])),
        }
    }
    named.into_iter().map(|(_, names)| names.join(" / ")).collect()
}

/// The status shown for an item: the typed one when it is as strict or stricter, with the
/// evidence; or the error a looser one is.
struct Judged {
    status: Verification,
    evidence: Evidence,
    error: Option<(Verification, Evidence)>,
}

fn judge(typed: Option<Verification>, mut evidence: Evidence) -> Judged {
    match typed {
        Some(t) if rank(t) > rank(evidence.computed) => {
            Judged { status: t, error: Some((t, evidence.clone())), evidence }
        }
        Some(t) => {
            evidence.typed = true;
            Judged { status: t, evidence, error: None }
        }
        None => Judged { status: evidence.computed, evidence, error: None },
    }
}

/// `one independent source (News Front)`, `no countable source`.
fn describe(evidence: &Evidence) -> String {
    let names = evidence.independent.join("; ");
    let indirect = match evidence.indirect {
        0 => String::new(),
        1 => " (an indirect source is shown but not counted)".to_string(),
        n => format!(" ({n} indirect sources are shown but not counted)"),
    };
    match evidence.independent.len() {
        0 => format!("no countable source{indirect}"),
        1 => format!("one independent source ({names}){indirect}"),
        n => format!("{n} independent sources ({names}){indirect}"),
    }
}

/// The error for a typed status looser than its sources allow, at `(line, col)` of `text`.
fn looser(
    file: &str,
    text: &str,
    (line, col): (usize, usize),
    what: &str,
    typed: Verification,
    evidence: &Evidence,
) -> Diagnostic {
    let need = match typed {
        Verification::Verified => "two independent sources",
        _ => "at least one source",
    };
    let missing = match (typed, evidence.independent.len()) {
        (Verification::Verified, 1) => format!(
            "a second source independent of {}: another outlet's own report, not a copy of it \
             nor another carrier of the same agency's story",
            evidence.independent[0]
        ),
        (Verification::Verified, _) => "two independent sources".to_string(),
        _ => "a source (an article of the dossier, or an outside page)".to_string(),
    };
    Diagnostic::error(
        file,
        format!(
            "{what} is marked `{}`, but it has {}; `{}` needs {need}",
            status_key(typed),
            describe(evidence),
            status_key(typed)
        ),
    )
    .at(text, line, col)
    .help(format!(
        "add {missing}; or set `status: {}`, which its sources support (or leave `status` out \
         and the build computes it)",
        status_key(evidence.computed)
    ))
}

/// Where the `status:` of the block starting on `line` (1-based) is: its value on that line or
/// a following line indented deeper; else the block's start.
fn status_in_block(text: &str, line: usize) -> (usize, usize) {
    let lines: Vec<&str> = text.lines().collect();
    let Some(first) = lines.get(line.saturating_sub(1)) else { return (line, 1) };
    let indent = |l: &str| l.len() - l.trim_start().len();
    let start_indent = indent(first);
    let value_col = |l: &str| {
        l.find("status:").map(|i| {
            let rest = &l[i + "status:".len()..];
            l[..i].chars().count() + "status:".len() + (rest.len() - rest.trim_start().len()) + 1
        })
    };
    if let Some(col) = value_col(first) {
        return (line, col);
    }
    for (i, l) in lines.iter().enumerate().skip(line) {
        let t = l.trim_start();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if indent(l) <= start_indent {
            break;
        }
        if t.trim_start_matches(['-', ' ']).starts_with("status:")
            && let Some(col) = value_col(l)
        {
            return (i + 1, col);
        }
    }
    let item = first.trim_start();
    let dash = if item.starts_with("- ") { 2 } else { 0 };
    (line, start_indent + dash + 1)
}

/// The 1-based line of the `nth` item of the block list under `key:` (see
/// [`super::claim::nth_item`]).
fn nth_item_line(text: &str, key: &str, nth: usize) -> usize {
    super::claim::nth_item(text, key, nth).0
}

/// The line of the top-level `key:`.
fn key_line(text: &str, key: &str) -> usize {
    let prefix = format!("{key}:");
    text.lines().position(|l| l.starts_with(&prefix)).map_or(1, |i| i + 1)
}

/// The line of the domain `host` in an outlet file.
fn host_line(text: &str, host: &str) -> usize {
    text.lines()
        .position(|l| {
            let t = l.trim_start_matches([' ', '-', '{']);
            (t.starts_with("host:") || t.starts_with("domain:") || t.starts_with(host))
                && l.contains(host)
        })
        .map_or(1, |i| i + 1)
}

/// The loaded model, as [`apply`] needs it.
pub struct Model<'a> {
    /// The articles.
    pub articles: &'a [Article],
    /// The outlets, by id (their statuses are updated).
    pub outlets: &'a mut BTreeMap<String, Outlet>,
    /// The actors, by id (their statuses are updated).
    pub actors: &'a mut BTreeMap<String, Actor>,
    /// The claims (their positions' statuses are updated).
    pub claims: &'a mut [Claim],
    /// The timeline (its events' statuses are updated).
    pub timeline: &'a mut Timeline,
}

/// Computes the evidence of every event, claim position, outlet domain, fact and attribute, and
/// of every actor's affiliation; sets the status shown on each (the typed one, or the computed
/// one); returns an error for each typed status looser than its sources allow. Also fills in,
/// for every outside source that is the address of one of the dossier's articles, that
/// article, and reports such a source that gives its own `title` (the article's outlet,
/// headline and date are shown instead, so they are stated once).
pub fn apply(model: Model<'_>) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    // The outlets' own statuses are judged against a snapshot of them (a domain's evidence
    // depends only on hosts and ids, which this pass does not change).
    let snapshot = model.outlets.clone();
    let origins = Origins::new(model.articles, &snapshot);

    for e in &mut model.timeline.events {
        let j = judge(e.status, origins.evidence(&e.articles, &e.sources));
        if let Some((typed, ev)) = &j.error {
            let line = yaml_id_line(&model.timeline.text, &e.id);
            let at = status_in_block(&model.timeline.text, line);
            let what = format!("event `{}`", e.id);
            errors.push(looser(
                &model.timeline.source,
                &model.timeline.text,
                at,
                &what,
                *typed,
                ev,
            ));
        }
        e.status = Some(j.status);
        e.evidence = Some(j.evidence);
        link_sources(
            &origins,
            &mut e.sources,
            &model.timeline.source,
            &model.timeline.text,
            &mut errors,
        );
    }
    for claim in model.claims.iter_mut() {
        for (i, p) in claim.meta.positions.iter_mut().enumerate() {
            let j = judge(p.status, origins.evidence(&p.articles, &[]));
            if let Some((typed, ev)) = &j.error {
                let at = status_in_block(&claim.text, nth_item_line(&claim.text, "positions", i));
                let (holder, _) = p.holder();
                let what = format!("position {} (`{holder}`) of claim `{}`", i + 1, claim.id);
                errors.push(looser(&claim.source, &claim.text, at, &what, *typed, ev));
            }
            p.status = Some(j.status);
            p.evidence = Some(j.evidence);
        }
    }
    for outlet in model.outlets.values_mut() {
        let (file, text) = (outlet.source.clone(), outlet.text.clone());
        let m = &mut outlet.meta;
        for d in &mut m.domains {
            let j = judge(d.status, origins.evidence(&[], &d.sources));
            if let Some((typed, ev)) = &j.error {
                let at = status_in_block(&text, host_line(&text, d.host.as_str()));
                let what = format!("domain `{}`", d.host);
                errors.push(looser(&file, &text, at, &what, *typed, ev));
            }
            d.status = Some(j.status);
            d.evidence = Some(j.evidence);
            link_sources(&origins, &mut d.sources, &file, &text, &mut errors);
        }
        for (i, f) in m.facts.iter_mut().enumerate() {
            let j = judge(f.status, origins.evidence(&[], &f.sources));
            if let Some((typed, ev)) = &j.error {
                let at = status_in_block(&text, nth_item_line(&text, "facts", i));
                errors.push(looser(&file, &text, at, &format!("fact {}", i + 1), *typed, ev));
            }
            f.status = Some(j.status);
            f.evidence = Some(j.evidence);
            link_sources(&origins, &mut f.sources, &file, &text, &mut errors);
        }
        for (key, attr) in [
            ("country", &mut m.country),
            ("owner", &mut m.owner),
            ("affiliation", &mut m.affiliation),
        ] {
            if let Some(a) = attr {
                judge_attributed(&origins, a, key, &file, &text, &mut errors);
            }
        }
        link_sources(&origins, &mut m.sources, &file, &text, &mut errors);
    }
    for actor in model.actors.values_mut() {
        let (file, text) = (actor.source.clone(), actor.text.clone());
        if let Some(a) = &mut actor.meta.affiliation {
            judge_attributed(&origins, a, "affiliation", &file, &text, &mut errors);
        }
        link_sources(&origins, &mut actor.meta.sources, &file, &text, &mut errors);
    }
    errors
}

fn judge_attributed(
    origins: &Origins<'_>,
    a: &mut Attributed,
    key: &str,
    file: &str,
    text: &str,
    errors: &mut Vec<Diagnostic>,
) {
    let j = judge(a.status, origins.evidence(&[], &a.sources));
    if let Some((typed, ev)) = &j.error {
        let at = status_in_block(text, key_line(text, key));
        errors.push(looser(file, text, at, &format!("`{key}`"), *typed, ev));
    }
    a.status = Some(j.status);
    a.evidence = Some(j.evidence);
    link_sources(origins, &mut a.sources, file, text, errors);
}

/// The line of `id: <id>` in the timeline.
fn yaml_id_line(text: &str, id: &str) -> usize {
    crate::yaml::locate_value(text, "id", id, 0).0
}

/// Fills in `article` for each source at the address of one of the dossier's articles, and
/// reports such a source with a `title` of its own.
fn link_sources(
    origins: &Origins<'_>,
    sources: &mut [SourceRef],
    file: &str,
    text: &str,
    errors: &mut Vec<Diagnostic>,
) {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    for s in sources {
        let Some(url) = s.url.as_ref().map(|u| u.as_str().to_string()) else { continue };
        let Some(a) = origins.article_at(&url) else { continue };
        s.article = Some(super::outlet::SourceArticle {
            slug: a.slug.clone(),
            outlet: origins.outlet_name(&a.meta.outlet),
            title: a.meta.title.clone(),
            published: a.meta.published.known().map(|d| d.to_string()),
            date_status: a.meta.date_status,
        });
        if s.title.is_some() {
            let nth = seen.entry(url.clone()).or_insert(0);
            let (line, col) = crate::yaml::locate_value(text, "url", &url, *nth);
            *nth += 1;
            errors.push(
                Diagnostic::error(
                    file,
                    format!(
                        "this source is the address of the dossier's article `{}`; give it \
                         without a `title`",
                        a.slug
                    ),
                )
                .at(text, line, col)
                .help(
                    "the article's outlet, headline, date and the date's status are shown from \
                     its own record, so the dossier states them once: remove `title`",
                ),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(slug: &str, fm: &str) -> Article {
        Article::parse(&format!("content/articles/{slug}.md"), format!("---\n{fm}---\nBody\n"))
            .unwrap()
    }

    fn outlets(ids: &[(&str, &str)]) -> BTreeMap<String, Outlet> {
        ids.iter()
            .map(|(id, domain)| {
                let text = format!("name: {id}\ndomains: [{domain}]\n");
                (id.to_string(), Outlet::parse(id.to_string(), "o.yaml", &text).unwrap())
            })
            .collect()
    }

    fn report(outlet: &str, extra: &str) -> String {
        format!(
            "outlet: {outlet}\npublished: 2019-06-13\nkind: report\nurl: \
                https://{outlet}.example/a\n{extra}"
        )
    }

    #[test]
    fn copies_and_carriers_of_one_wire_story_count_once() {
        let articles = vec![
            article("wire-a", &report("paper-a", "agency: wire\n")),
            article("wire-b", &report("paper-b", "agency: wire\n")),
            article("copy", &report("paper-c", "republishes: own\n")),
            article("own", &report("paper-d", "")),
        ];
        let outlets = outlets(&[("paper-a", "paper-a.example"), ("wire", "wire.example")]);
        let o = Origins::new(&articles, &outlets);
        let one = o.evidence(&["wire-a".into(), "wire-b".into()], &[]);
        assert_eq!(one.independent, ["wire"]);
        assert_eq!(one.computed, Verification::PartlyVerified);
        let two = o.evidence(&["wire-a".into(), "copy".into(), "own".into()], &[]);
        assert_eq!(two.independent.len(), 2, "{two:?}");
        assert_eq!(two.computed, Verification::Verified);
    }

    #[test]
    fn outside_sources_count_by_agency_article_outlet_host_or_title() {
        let articles = vec![article("a", &report("paper-a", "agency: wire\n"))];
        let outlets = outlets(&[("paper-a", "paper-a.example"), ("wire", "wire.example")]);
        let o = Origins::new(&articles, &outlets);
        let src = |yaml: &str| -> SourceRef { serde_yaml::from_str(yaml).unwrap() };
        let ev = o.evidence(
            &["a".into()],
            &[
                src("{url: 'https://paper-a.example/a'}"), // the article itself
                src("{url: 'https://news.wire.example/x'}"), // a page of the wire
                src("{url: 'https://other.example/y', agency: wire}"),
                src("{url: 'https://forum.example/z', indirect: true}"),
            ],
        );
        assert_eq!(ev.independent, ["wire"]);
        assert_eq!(ev.indirect, 1);
        let ev = o.evidence(
            &[],
            &[
                src("{url: 'https://www.third.example/a', title: T}"),
                src("{title: 'Code on GitHub'}"),
            ],
        );
        assert_eq!(ev.independent, ["T (third.example)", "Code on GitHub"]);
        assert_eq!(o.evidence(&[], &[]).computed, Verification::Unverified);
    }

    #[test]
    fn a_typed_status_may_be_stricter_never_looser() {
        let ev = Evidence {
            computed: Verification::PartlyVerified,
            independent: vec!["News Front (news-front.example)".into()],
            indirect: 0,
            typed: false,
        };
        let j = judge(Some(Verification::Unverified), ev.clone());
        assert_eq!(
            (j.status, j.error.is_none(), j.evidence.typed),
            (Verification::Unverified, true, true)
        );
        let j = judge(None, ev.clone());
        assert_eq!((j.status, j.evidence.typed), (Verification::PartlyVerified, false));
        let j = judge(Some(Verification::Verified), ev.clone());
        assert!(j.error.is_some());
        let text = "events:\n  - id: x\n    date: 2017\n    title: X\n    status: verified\n";
        let d = looser(
            "t.yaml",
            text,
            status_in_block(text, 2),
            "event `x`",
            Verification::Verified,
            &ev,
        );
        assert_eq!(d.location(), "t.yaml:5:13");
        assert_eq!(
            d.message,
            "event `x` is marked `verified`, but it has one independent source (News Front \
             (news-front.example)); `verified` needs two independent sources"
        );
    }

    #[test]
    fn status_is_found_in_its_block() {
        let text = "a:\n  - id: x\n    title: X\n  - id: y\n    status: verified\nb: \
            {status: unverified}\n";
        assert_eq!(status_in_block(text, 2), (2, 5), "no status in x's block: its start");
        assert_eq!(status_in_block(text, 4), (5, 13));
        assert_eq!(status_in_block(text, 6), (6, 13));
    }
}
