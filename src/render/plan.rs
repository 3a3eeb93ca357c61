//! [`Plan`]: everything a build writes, worked out before anything is rendered, and the
//! rendering of one job of it ([`Plan::render`]).
//!
//! [`Plan::new`] makes a job per page and feed (its path, template and context) and the small
//! files made without a template (sitemap, `robots.txt`). Article pages, the bulk of a dossier,
//! are planned by number only: their context (rendered Markdown, cross-references) is made when
//! [`Plan::render`] renders them, so a build holds the contexts of the pages being rendered, not
//! of the whole site. The data files are planned by name and made the same way, when reached.
//! The other pages' contexts are made ahead (a list's pages share its items' summaries), and each
//! is let go when its page renders: those jobs come first, so that they are gone early in the
//! stream, before what the later steps keep of the pages has grown.

use std::borrow::Cow;
use std::collections::BTreeMap;

use rayon::prelude::*;
use tera::Value;

use super::cache::{Memo, job_key, template_keys};
use super::context::{self, article_path, to_value};
use super::editorial;
use super::index::ContentIndex;
use super::jobs::{Job, PageJob, page_feeds};
use super::page::Page;
use super::pages::{self, DataFile};
use super::site_markdown::SiteMarkdown;
use super::templates::{LinkOptions, Templates};
use super::{actors, coverage, publish, timeline_page, urls};
use crate::content::Site;
use crate::diagnostics::{Diagnostic, Diagnostics, Severity};

/// What [`Plan::render`] made of one job.
#[derive(Debug)]
pub struct Rendered {
    /// The page.
    pub page: Page,
    /// Its key, when the render was given a memo.
    pub key: Option<[u8; 32]>,
    /// Whether its template ran (rather than its bytes coming from the memo; a data file has
    /// no template).
    pub fresh: bool,
    /// Warnings of its Markdown.
    pub warnings: Vec<Diagnostic>,
}

/// Everything a build writes, worked out before anything is rendered.
pub struct Plan<'a> {
    site: &'a Site,
    templates: &'a Templates,
    r: SiteMarkdown<'a>,
    ed: editorial::Editorial<'a>,
    briefs: BTreeMap<&'a str, Value>,
    main_feeds: Vec<publish::FeedLink>,
    own_feeds: BTreeMap<String, publish::FeedLink>,
    jobs: Vec<Job>,
    /// The small files made without a template: sitemap, `robots.txt`, `_headers`.
    pub files: Vec<Page>,
    /// Warnings found while planning (the Markdown of everything but the articles).
    pub warnings: Vec<Diagnostic>,
    /// Each template's key, made on first use by a render with a memo.
    keys: std::sync::OnceLock<BTreeMap<String, [u8; 32]>>,
}

impl std::fmt::Debug for Plan<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Plan")
            .field("jobs", &self.jobs.len())
            .field("files", &self.files.len())
            .finish()
    }
}

impl<'a> Plan<'a> {
    /// Plans the build of `site` with `templates` (made with [`super::global_context`] of the
    /// same site): every page, feed and file, checked for two at one path. Errors in the
    /// Markdown of what is planned ahead (everything but the articles) are reported here.
    pub fn new(
        site: &'a Site,
        templates: &'a Templates,
        cancel: Option<&crate::cancel::Cancel>,
    ) -> Result<Plan<'a>, Diagnostics> {
        // Stopped early, the plan fails with no diagnostics: the caller knows why.
        let stop = || {
            if cancel.is_some_and(crate::cancel::Cancel::is_cancelled) {
                Err(Diagnostics(Vec::new()))
            } else {
                Ok(())
            }
        };
        let r = SiteMarkdown { site, index: Cow::Owned(ContentIndex::new(site)) };
        let links = templates.links();
        let mut problems = Vec::new();

        let summaries = pages::summaries(site);
        stop()?;
        let ed = editorial::Editorial::new(&r, &mut problems);
        stop()?;
        let mut jobs = page_jobs(&r, &ed, &summaries, links, &mut problems, &stop)?;
        // The lists' pages hold what they show of the summaries; the articles' pages make the
        // few they show when they are rendered.
        drop(summaries);
        let bodies = pages::full_text_bodies(&r);
        stop()?;
        let warnings = warnings_unless_errors(problems)?;
        let feeds = publish::feed_specs(site);
        let (main_feeds, own_feeds) = publish::feed_links(&feeds);
        give_feeds(&mut jobs, &main_feeds, &own_feeds);
        let sitemap = sitemap_urls(site, links, &jobs);
        jobs.extend(pages::feed_jobs(site, links, &feeds, &bodies).into_iter().map(Job::ready));
        // The data files first, then the pages made ahead, then the articles: the biggest jobs
        // start while there are pages to even them out, and the contexts made ahead (the lists'
        // summaries) are let go early in the stream rather than held to its end.
        jobs.splice(0..0, DataFile::ALL.map(Job::Data));
        jobs.extend((0..site.articles.len()).map(Job::Article));
        stop()?;
        let files = pages::meta_files(site, links, &sitemap);
        stop()?;

        let plan = Plan {
            site,
            templates,
            r,
            ed,
            briefs: pages::outlet_briefs(site),
            main_feeds,
            own_feeds,
            jobs,
            files,
            warnings,
            keys: std::sync::OnceLock::new(),
        };
        plan.check_collisions()?;
        Ok(plan)
    }

    /// Lets go of a plan that will not be rendered (its build was stopped): what it owns is
    /// freed on a thread of its own (the page contexts made ahead and the cross-references take
    /// tens of milliseconds to free at 10,000 articles; the next build need not wait for that).
    pub fn discard(self) {
        let Plan { r, ed, briefs, jobs, files, .. } = self;
        let index = match r.index {
            Cow::Owned(index) => Some(index),
            Cow::Borrowed(_) => None,
        };
        let briefs: Vec<Value> = briefs.into_values().collect();
        crate::cancel::drop_in_background((
            index, ed.claims, ed.grid, ed.events, briefs, jobs, files,
        ));
    }

    /// The site this plan builds.
    pub fn site(&self) -> &'a Site {
        self.site
    }

    /// How many pages, feeds and data files there are to make.
    pub fn len(&self) -> usize {
        self.jobs.len()
    }

    /// Whether there is nothing to render.
    pub fn is_empty(&self) -> bool {
        self.jobs.is_empty()
    }

    /// The output path of job `i`, and what made it.
    pub fn job_path(&self, i: usize) -> (String, &str) {
        match &self.jobs[i] {
            Job::Ready(ready) => (urls::output_file(&ready.path), ready.origin.as_str()),
            Job::Article(a) => {
                let a = &self.site.articles[*a];
                (urls::output_file(&article_path(&a.slug)), a.source.as_str())
            }
            Job::Data(d) => (d.path().to_string(), DataFile::ORIGIN),
        }
    }

    /// The article job `i` renders, if it renders one.
    pub fn article(&self, i: usize) -> Option<usize> {
        match self.jobs[i] {
            Job::Article(a) => Some(a),
            Job::Ready(_) | Job::Data(_) => None,
        }
    }

    /// Every output path of the build and what makes it: pages, feeds, files, static files.
    pub fn outputs(&self) -> Vec<(String, &str)> {
        let mut out: Vec<(String, &str)> = (0..self.jobs.len()).map(|i| self.job_path(i)).collect();
        out.extend(self.files.iter().map(|f| (f.path.clone(), f.origin.as_str())));
        out.extend(self.site.static_files.iter().map(|f| (f.path.clone(), f.origin.as_str())));
        out
    }

    /// Renders job `i` (a data file is made). With a memo, the page's key is computed and a page
    /// rendered before with the same key is taken from the memo instead. Each job renders once:
    /// a page made ahead lets go of its context as it renders.
    pub fn render(&self, i: usize, memo: Option<Memo<'_>>) -> Result<Rendered, Diagnostics> {
        let mut warnings = Vec::new();
        let built;
        let job = match &self.jobs[i] {
            Job::Ready(ready) => {
                built = ready.take().ok_or_else(|| {
                    let msg = format!("`{}` was rendered twice (a bug in dossier)", ready.path);
                    Diagnostics(vec![Diagnostic::error(&ready.origin, msg)])
                })?;
                &built
            }
            Job::Article(a) => {
                let (mut job, _, problems) = pages::article_job(
                    &self.r,
                    &self.ed,
                    &|j| pages::summary(self.site, j),
                    &self.briefs,
                    self.templates.links(),
                    *a,
                );
                warnings = warnings_unless_errors(problems)?;
                page_feeds(&mut job, &self.main_feeds, &self.own_feeds);
                built = job;
                &built
            }
            Job::Data(d) => {
                let page = d.make(self.site);
                return Ok(Rendered { page, key: None, fresh: false, warnings });
            }
        };
        let path = urls::output_file(&job.path);
        let key = memo.map(|_| {
            let keys = self.keys.get_or_init(|| template_keys(self.site, self.templates));
            job_key(keys, job)
        });
        if let (Some(memo), Some(key)) = (memo, &key)
            && let Some(bytes) = memo(&path, key)
        {
            let page = Page { path, kind: job.kind, origin: job.origin.clone(), bytes };
            return Ok(Rendered { page, key: Some(*key), fresh: false, warnings });
        }
        let bytes = self
            .templates
            .render(job.template, &job.context.ctx)
            .map_err(|e| Diagnostics(vec![e]))?
            .into_bytes();
        let page = Page::new(path, job.kind, &job.origin, bytes);
        Ok(Rendered { page, key, fresh: true, warnings })
    }

    /// Two files with one output path are an error naming both origins.
    fn check_collisions(&self) -> Result<(), Diagnostics> {
        let mut paths = self.outputs();
        paths.sort();
        let is_file = |origin: &str| origin.contains('/');
        let errors: Vec<Diagnostic> = paths
            .windows(2)
            .filter(|w| w[0].0 == w[1].0)
            .map(|w| {
                let (a, b) = if is_file(w[1].1) && !is_file(w[0].1) {
                    (w[1].1, w[0].1)
                } else {
                    (w[0].1, w[1].1)
                };
                Diagnostic::error(
                    a,
                    format!("`{}` would be written twice: by {a} and by {b}", w[0].0),
                )
                .help("rename or move one of them so they are published at different addresses")
            })
            .collect();
        if errors.is_empty() { Ok(()) } else { Err(Diagnostics::sorted(errors)) }
    }
}

/// One article's page, for a rebuild after an edit of that article's body alone (its front
/// matter the same bytes). No other page shows an article's body; what else can change is
/// the data files (which carry each source file's SHA-256) and, for a full-text article, the
/// feeds: the caller must redo those with a whole [`super::Plan`] (see
/// [`crate::incremental`]). Returns the page and the warnings of its Markdown; the page is the
/// bytes [`super::Plan::render`] gives.
pub fn render_article_body_edit(
    site: &Site,
    templates: &Templates,
    index: &ContentIndex,
    i: usize,
) -> Result<Rendered, Diagnostics> {
    let r = SiteMarkdown { site, index: Cow::Borrowed(index) };
    let links = templates.links();
    let mut problems = Vec::new();
    let ed = editorial::Editorial::for_articles(site);
    let summary = |j: usize| pages::summary(site, j);
    // Only this article's outlet's brief is shown.
    let outlet = site.articles[i].meta.outlet.as_str();
    let briefs: BTreeMap<&str, Value> = site
        .outlets
        .get(outlet)
        .map(|o| (o.id.as_str(), to_value(&context::outlet_brief(o))))
        .into_iter()
        .collect();
    let (mut job, _, mut local) = pages::article_job(&r, &ed, &summary, &briefs, links, i);
    problems.append(&mut local);
    let warnings = warnings_unless_errors(problems)?;
    let feeds = publish::feed_specs(site);
    let (main_feeds, own_feeds) = publish::feed_links(&feeds);
    page_feeds(&mut job, &main_feeds, &own_feeds);
    let bytes =
        templates.render(job.template, &job.context.ctx).map_err(|e| Diagnostics(vec![e]))?;
    let page = Page::new(urls::output_file(&job.path), job.kind, &job.origin, bytes.into_bytes());
    Ok(Rendered { page, key: None, fresh: true, warnings })
}

/// The warnings among `problems`, or all the errors when there is one.
fn warnings_unless_errors(problems: Vec<Diagnostic>) -> Result<Vec<Diagnostic>, Diagnostics> {
    let (errors, warnings): (Vec<_>, Vec<_>) =
        problems.into_iter().partition(|d| d.severity == Severity::Error);
    if errors.is_empty() { Ok(warnings) } else { Err(Diagnostics::sorted(errors)) }
}

/// The job of every page but the articles', in the order the site lists them (the feeds and
/// the articles come after).
fn page_jobs(
    r: &SiteMarkdown<'_>,
    ed: &editorial::Editorial<'_>,
    summaries: &[Value],
    links: &LinkOptions,
    problems: &mut Vec<Diagnostic>,
    stop: &(dyn Fn() -> Result<(), Diagnostics> + Sync),
) -> Result<Vec<Job>, Diagnostics> {
    let site = r.site;
    /// One group of pages: its jobs and its problems.
    type Group<'g> = Box<dyn Fn() -> (Vec<PageJob>, Vec<Diagnostic>) + Send + Sync + 'g>;
    let plain = |jobs: Vec<PageJob>| (jobs, Vec::new());
    let groups: Vec<Group<'_>> = vec![
        Box::new(|| {
            let mut problems = Vec::new();
            (vec![pages::front_page(r, ed, summaries, &mut problems)], problems)
        }),
        Box::new(|| plain(coverage::articles_pages(site, summaries))),
        Box::new(|| {
            let mut problems = Vec::new();
            (pages::outlet_pages(r, summaries, &mut problems), problems)
        }),
        Box::new(|| {
            let mut problems = Vec::new();
            (actors::actor_pages(r, summaries, &mut problems), problems)
        }),
        Box::new(|| plain(vec![editorial::dispute_page(ed)])),
        Box::new(|| {
            plain(vec![timeline_page::timeline_page(ed, summaries, site.config.pretty_links)])
        }),
        Box::new(|| plain(coverage::coverage_pages(ed, summaries))),
        Box::new(|| plain(pages::taxonomy_pages(site, summaries))),
        Box::new(|| {
            let mut problems = Vec::new();
            let mut jobs = pages::free_pages(r, &mut problems);
            jobs.push(pages::not_found_page(site, links));
            jobs.extend(pages::search_page(site));
            (jobs, problems)
        }),
    ];
    // The groups are independent (the timeline alone takes tens of milliseconds at 10,000
    // articles): made side by side, kept in this order.
    let made: Vec<(Vec<PageJob>, Vec<Diagnostic>)> = groups
        .par_iter()
        .map(|group| if stop().is_ok() { group() } else { (Vec::new(), Vec::new()) })
        .collect();
    stop()?;
    let mut jobs = Vec::new();
    for (group, mut found) in made {
        jobs.extend(group.into_iter().map(Job::ready));
        problems.append(&mut found);
    }
    Ok(jobs)
}

/// Gives every page made ahead the feeds its head links to (an article's page gets them when
/// it is rendered).
fn give_feeds(
    jobs: &mut [Job],
    main_feeds: &[publish::FeedLink],
    own_feeds: &BTreeMap<String, publish::FeedLink>,
) {
    for job in jobs {
        if let Job::Ready(ready) = job
            && let Some(job) = ready.job_mut()
        {
            page_feeds(job, main_feeds, own_feeds);
        }
    }
}

/// The absolute URL of every page (`pages`, and the articles') but the 404 page, in order of
/// site path: the sitemap's list.
fn sitemap_urls(site: &Site, links: &LinkOptions, pages: &[Job]) -> Vec<String> {
    let mut sitemap: Vec<(String, String)> = pages
        .iter()
        .filter_map(|job| match job {
            Job::Ready(ready) => Some(ready.path.clone()),
            Job::Article(_) | Job::Data(_) => None,
        })
        .chain(site.articles.iter().map(|a| article_path(&a.slug)))
        .filter(|path| path != pages::NOT_FOUND)
        .map(|path| {
            let url = links.absolute(&path);
            (path, url)
        })
        .collect();
    sitemap.sort();
    sitemap.into_iter().map(|(_, url)| url).collect()
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn prepared() -> (Site, Templates) {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic");
        let options = crate::pipeline::BuildOptions { root, ..Default::default() };
        let loaded = crate::pipeline::load(&options, &mut Default::default()).unwrap();
        (loaded.site, loaded.templates)
    }

    #[test]
    fn data_files_then_pages_made_ahead_then_articles() {
        let (site, templates) = prepared();
        let plan = Plan::new(&site, &templates, None).unwrap();
        let kinds: Vec<char> = (0..plan.len())
            .map(|i| match plan.jobs[i] {
                Job::Data(_) => 'd',
                Job::Ready(_) => 'r',
                Job::Article(_) => 'a',
            })
            .collect();
        let data = DataFile::ALL.len();
        let articles = site.articles.len();
        assert!(articles > 0);
        assert_eq!(kinds[..data], vec!['d'; data]);
        assert_eq!(kinds[kinds.len() - articles..], vec!['a'; articles]);
        assert!(kinds[data..kinds.len() - articles].iter().all(|&k| k == 'r'));
        let (path, _) = plan.job_path(kinds.len() - articles);
        assert_eq!(path, urls::output_file(&article_path(&site.articles[0].slug)));
    }

    #[test]
    fn a_page_made_ahead_lets_go_of_its_context_when_rendered() {
        let (site, templates) = prepared();
        let plan = Plan::new(&site, &templates, None).unwrap();
        let i = (0..plan.len()).find(|&i| matches!(plan.jobs[i], Job::Ready(_))).unwrap();
        let first = plan.render(i, None).unwrap();
        assert!(first.fresh && !first.page.bytes.is_empty());
        let Job::Ready(ready) = &plan.jobs[i] else { unreachable!() };
        assert!(ready.take().is_none(), "the context is still held after the render");
        // Its path is still known, for the output list and messages.
        assert_eq!(plan.job_path(i).0, first.page.path);
        let again = plan.render(i, None).unwrap_err();
        assert!(again.0[0].message.contains("was rendered twice"), "{:?}", again.0[0].message);
    }
}
