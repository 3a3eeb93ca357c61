//! One function per kind of page or file: the front page, article pages, outlet, taxonomy and
//! free pages, the 404 page, the data files and the sitemap files (the editorial pages, those
//! about claims, events, actors and coverage, are in [`super::editorial`] and its siblings
//! `timeline_page`, `coverage` and `actors`). Each makes the [`PageJob`]s (or [`Page`]s) of its
//! kind; [`super::Plan`] puts them in order.

use std::collections::BTreeMap;

use rayon::prelude::*;
use tera::Value;

use super::actors;
use super::context::{
    self, article_path, outlet_path, page_path, taxonomy_path, term_path, to_value,
};
use super::editorial;
use super::jobs::{PageJob, PagedList};
use super::page::{FileKind, Page};
use super::site_markdown::SiteMarkdown;
use super::templates;
use super::{data, publish};
use crate::content::{Kind, Site};
use crate::diagnostics::Diagnostic;

/// Each full-text article's rendered body, by article (the feeds carry them); `None` for the
/// others. Problems in them are the article pages' to report.
pub(super) fn full_text_bodies(r: &SiteMarkdown<'_>) -> Vec<Option<String>> {
    r.site
        .articles
        .par_iter()
        .map(|a| {
            (a.meta.kind == Kind::FullText)
                .then(|| r.body(a, &article_path(&a.slug), false, &mut Vec::new()).html)
        })
        .collect()
}

/// The site path of the page a host shows for a missing address.
pub(super) const NOT_FOUND: &str = "404.html";

/// The 404 page. A host shows it at whatever address was asked for, so relative links would
/// resolve against that address: its links are root-relative (from `base_url`'s path, or `/`)
/// and its stylesheet is inlined, so it also opens from `file://` without a failed request.
pub(super) fn not_found_page(site: &Site, links: &templates::LinkOptions) -> PageJob {
    let mut job = PageJob::new(NOT_FOUND.into(), "the 404 page", "404.html");
    job.context.insert("link_root", links.root_path());
    let style = site.static_files.iter().find(|f| f.name == "style.css").and_then(|f| f.bytes());
    if let Some(css) = style.and_then(|b| std::str::from_utf8(b).ok()) {
        job.context.insert("inline_style", css);
    }
    job
}

/// One of the JSON data files: planned by name, made when the stream reaches it (the biggest,
/// `articles.json`, is 108 MB at 100,000 articles; a plan that held them would hold them all
/// through the pages step).
#[derive(Debug, Clone, Copy)]
pub(super) enum DataFile {
    Articles,
    Claims,
    Timeline,
}

impl DataFile {
    /// Every data file, in the order they are planned.
    pub(super) const ALL: [DataFile; 3] =
        [DataFile::Articles, DataFile::Claims, DataFile::Timeline];

    /// What made the data files, for messages.
    pub(super) const ORIGIN: &'static str = "the data files";

    /// Its output path.
    pub(super) fn path(self) -> &'static str {
        match self {
            DataFile::Articles => "articles.json",
            DataFile::Claims => "claims.json",
            DataFile::Timeline => "timeline.json",
        }
    }

    /// The file, made from `site`.
    pub(super) fn make(self, site: &Site) -> Page {
        let bytes = match self {
            DataFile::Articles => data::articles_json(site),
            DataFile::Claims => data::claims_json(site),
            DataFile::Timeline => data::timeline_json(site),
        };
        Page::new(self.path(), FileKind::Data, Self::ORIGIN, bytes)
    }
}

/// The sitemap, `robots.txt` and (when configured) `_headers`. A dossier's own `static/` file
/// of the same name replaces the generated one. Without a `base_url` there is no sitemap or
/// `robots.txt`: a sitemap lists absolute addresses, and the dossier has none yet.
pub(super) fn meta_files(
    site: &Site,
    links: &templates::LinkOptions,
    urls: &[String],
) -> Vec<Page> {
    let own = |name: &str| site.static_files.iter().any(|f| f.name == name);
    let published = links.base_url.is_some();
    let mut out: Vec<Page> = publish::sitemaps(urls, links, publish::SITEMAP_LIMIT)
        .into_iter()
        .filter(|_| published)
        .map(|(path, bytes)| Page::new(path, FileKind::Other, "the sitemap", bytes))
        .collect();
    if published && !own("robots.txt") {
        out.push(Page::new("robots.txt", FileKind::Other, "robots.txt", publish::robots(links)));
    }
    if site.config.cache_headers && !own("_headers") {
        out.push(Page::new(
            "_headers",
            FileKind::Other,
            "the cache headers",
            publish::headers(links, &site.static_files),
        ));
    }
    out
}

/// How many of the newest articles the front page lists.
pub(super) const FRONT_PAGE_LATEST: usize = 8;

pub(super) fn front_page(
    r: &SiteMarkdown<'_>,
    ed: &editorial::Editorial<'_>,
    summaries: &[Value],
    problems: &mut Vec<Diagnostic>,
) -> PageJob {
    let index = &r.site.index;
    let overview = r.body(index, "", true, problems);
    let lede = index.meta.lede.as_deref().map(|l| r.field(index, "lede", l, "", problems));
    let mut job = PageJob::new(String::new(), &index.source, "index.html");
    job.context.insert(
        "index",
        &context::IndexView {
            title: index.meta.title.as_deref().unwrap_or(&r.site.config.title),
            lede,
            content: overview.html,
            toc: overview.headings,
        },
    );
    if let Some(f) = &index.meta.featured {
        let note = f.note.as_deref().map(|n| r.field(index, "note", n, "", problems));
        job.context.insert("featured", &context::featured(r.site, &f.article, note));
    }
    let latest: Vec<Value> = summaries.iter().take(FRONT_PAGE_LATEST).cloned().collect();
    job.context.insert_value("latest", Value::from(latest));
    job.context.insert("article_count", &summaries.len());
    job.context.insert_value("claims", Value::from(ed.claims.clone()));
    let outlets: Vec<context::OutletCount<'_>> = r
        .site
        .outlets
        .values()
        .map(|o| context::OutletCount {
            outlet: context::outlet_ref(r.site, &o.id),
            count: r.site.articles.iter().filter(|a| a.meta.outlet == o.id).count(),
        })
        .collect();
    job.context.insert("outlets", &outlets);
    job.context.insert("event_count", &r.site.timeline.events.len());
    job
}

/// Each outlet's brief (shown on its articles' pages), by id.
pub(super) fn outlet_briefs(site: &Site) -> BTreeMap<&str, Value> {
    site.outlets.values().map(|o| (o.id.as_str(), to_value(&context::outlet_brief(o)))).collect()
}

/// The page of article `i`, its rendered body when it is a full-text article, and the problems
/// found in its Markdown.
pub(super) fn article_job(
    r: &SiteMarkdown<'_>,
    ed: &editorial::Editorial<'_>,
    summary: &dyn Fn(usize) -> Value,
    briefs: &BTreeMap<&str, Value>,
    links: &templates::LinkOptions,
    i: usize,
) -> (PageJob, Option<String>, Vec<Diagnostic>) {
    let site = r.site;
    let a = &site.articles[i];
    let mut local = Vec::new();
    let path = article_path(&a.slug);
    // A full-text article is the outlet's wording: no typographic changes.
    let body = r.body(a, &path, a.meta.kind != Kind::FullText, &mut local);
    let full_text = (a.meta.kind == Kind::FullText).then(|| body.html.clone());
    let notes = a.meta.notes.as_deref().map(|n| r.field(a, "notes", n, &path, &mut local));
    let source_note =
        a.meta.source_note.as_deref().map(|n| r.field(a, "source_note", n, &path, &mut local));
    let annotations = (a.meta.annotations.iter())
        .map(|an| (an.paragraph, r.field(a, "annotations", &an.note, &path, &mut local)))
        .collect();
    let view = context::article_view(
        site,
        a,
        context::RenderedArticle {
            content: body.html,
            toc: body.headings,
            notes,
            source_note,
            annotations,
        },
    );
    let mut job = PageJob::new(path, &a.source, "article.html");
    job.context.insert("article", &view);
    job.context.insert_value("claims", Value::from(ed.article_claims(i)));
    job.context.insert_value("events", Value::from(ed.article_events(i)));
    job.context.insert_value("other_coverage", Value::from(ed.other_coverage(i, summary)));
    let copies: Vec<Value> = site.links.copies[i].iter().map(|&j| summary(j)).collect();
    job.context.insert_value("copies", Value::from(copies));
    if let Some(brief) = briefs.get(a.meta.outlet.as_str()) {
        job.context.insert_value("outlet", brief.clone());
    }
    job.context.insert("json_ld", &publish::news_article_json_ld(site, a, links));
    (job, full_text, local)
}

pub(super) fn outlet_pages(
    r: &SiteMarkdown<'_>,
    summaries: &[Value],
    problems: &mut Vec<Diagnostic>,
) -> Vec<PageJob> {
    let site = r.site;
    let mut by_outlet: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    let mut carried: BTreeMap<&str, Vec<Value>> = BTreeMap::new();
    for (a, s) in site.articles.iter().zip(summaries) {
        by_outlet.entry(a.meta.outlet.as_str()).or_default().push(s.clone());
        if let Some(agency) = &a.meta.agency {
            carried.entry(agency.as_str()).or_default().push(s.clone());
        }
    }
    let mut list = Vec::new();
    let mut jobs = Vec::new();
    for outlet in site.outlets.values() {
        let path = outlet_path(&outlet.id);
        let articles = by_outlet.remove(outlet.id.as_str()).unwrap_or_default();
        let mut local = Vec::new();
        let mut md = |t: &str| r.yaml_field(&outlet.source, t, &path, &mut local);
        let view = to_value(&context::outlet_view(outlet, articles.len(), &mut md));
        problems.append(&mut local);
        list.push(view.clone());
        // Page 1 describes the outlet; the later pages only continue its list.
        let carried = Value::from(carried.remove(outlet.id.as_str()).unwrap_or_default());
        let positions = Value::from(actors::outlet_positions(site, &outlet.id));
        let pages = PagedList::new(path, &outlet.source, "outlet.html");
        jobs.extend(pages.jobs(
            site,
            articles.len(),
            |i| articles[i].clone(),
            |job, pager| {
                job.context.insert_value("outlet", view.clone());
                if pager.index == 1 {
                    job.context.insert_value("carried", carried.clone());
                    job.context.insert_value("positions", positions.clone());
                }
            },
        ));
    }
    let mut index = PageJob::new("outlets/".into(), "the outlets index", "outlets.html");
    index.context.insert_value("outlets", Value::from(list));
    jobs.push(index);
    jobs
}

pub(super) fn taxonomy_pages(site: &Site, summaries: &[Value]) -> Vec<PageJob> {
    let mut jobs = Vec::new();
    for tax in &site.taxonomies {
        let view = context::TaxonomyView {
            key: tax.kind.key(),
            title: &tax.title,
            path: taxonomy_path(tax.kind),
        };
        let terms: Vec<context::TermSummary<'_>> = tax
            .terms
            .iter()
            .map(|t| context::TermSummary {
                name: &t.name,
                slug: &t.slug,
                path: term_path(tax.kind, &t.slug),
                count: t.articles.len(),
            })
            .collect();
        let mut index = PageJob::new(
            taxonomy_path(tax.kind),
            format!("the {} index", tax.kind.key()),
            "taxonomy.html",
        );
        index.context.insert("taxonomy", &view);
        index.context.insert("terms", &terms);
        jobs.push(index);
        for (term, summary) in tax.terms.iter().zip(&terms) {
            let origin = format!("the {} term `{}`", tax.kind.key(), term.name);
            let pages = PagedList::new(term_path(tax.kind, &term.slug), origin, "term.html");
            let item = |i: usize| summaries[term.articles[i]].clone();
            jobs.extend(pages.jobs(site, term.articles.len(), item, |job, _| {
                job.context.insert("taxonomy", &view);
                job.context.insert("term", summary);
            }));
        }
    }
    jobs
}

pub(super) fn free_pages(r: &SiteMarkdown<'_>, problems: &mut Vec<Diagnostic>) -> Vec<PageJob> {
    r.site
        .pages
        .iter()
        .map(|p| {
            let path = page_path(&p.slug);
            let body = r.body(p, &path, true, problems);
            let mut job = PageJob::new(path.clone(), &p.source, "page.html");
            let view = context::PageView {
                title: &p.meta.title,
                description: p.meta.description.as_deref(),
                path,
                content: body.html,
                toc: body.headings,
            };
            job.context.insert("page", &view);
            job
        })
        .collect()
}

/// The search page, when `search` is on.
pub(super) fn search_page(site: &Site) -> Option<PageJob> {
    site.config.search.then(|| {
        let mut search = PageJob::new("search/".into(), "the search page", "search.html");
        let searchable = site.articles.len() + site.claims.len() + site.timeline.events.len();
        search.context.insert("searchable", &searchable);
        search
    })
}

/// Each article's summary, as listings show it, by article.
pub(super) fn summaries(site: &Site) -> Vec<Value> {
    (0..site.articles.len()).into_par_iter().map(|i| summary(site, i)).collect()
}

/// Article `i`'s summary, as the templates see it (lists, and an article page's copies and
/// other coverage).
pub(super) fn summary(site: &Site, i: usize) -> Value {
    to_value(&context::summary(site, &site.articles[i]))
}

/// The Atom feeds' jobs; `bodies` are the full-text articles' rendered bodies.
pub(super) fn feed_jobs(
    site: &Site,
    links: &templates::LinkOptions,
    feeds: &[publish::FeedSpec],
    bodies: &[Option<String>],
) -> Vec<PageJob> {
    feeds
        .iter()
        .map(|spec| {
            let mut job = PageJob::new(spec.path.clone(), "the feeds", "atom.xml");
            job.kind = FileKind::Feed;
            job.context.insert("feed", &publish::feed_view(site, links, spec, bodies));
            job
        })
        .collect()
}
