//! What is rendered: a [`PageJob`] is one page or feed (site path, template, context); a
//! [`PagedList`] makes the jobs of a list published over several pages; a [`Job`] is a page
//! whose context is made ahead, an article's, made when it is rendered, or a data file, made
//! when it is reached. [`JobContext`] is a Tera context that remembers its keys, so that the
//! render cache can fingerprint it.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, PoisonError};

use serde::Serialize;
use tera::{Context, Value};

use super::page::FileKind;
use super::{paginate, publish};
use crate::content::Site;

/// A page (or feed) to render: its site path, template and context.
pub(super) struct PageJob {
    pub(super) path: String,
    /// For a page of a paginated list, the path of the list's first page (whose feed it shares).
    pub(super) list: Option<String>,
    pub(super) origin: String,
    pub(super) template: &'static str,
    pub(super) kind: FileKind,
    pub(super) context: JobContext,
}

impl PageJob {
    pub(super) fn new(path: String, origin: impl Into<String>, template: &'static str) -> Self {
        let mut context = JobContext::default();
        context.insert("current_path", &path);
        PageJob { path, list: None, origin: origin.into(), template, kind: FileKind::Page, context }
    }
}

/// A list published over several pages: where its first page is, what made it, its template.
pub(super) struct PagedList {
    pub(super) base: String,
    pub(super) origin: String,
    pub(super) template: &'static str,
}

impl PagedList {
    pub(super) fn new(base: String, origin: impl Into<String>, template: &'static str) -> Self {
        PagedList { base, origin: origin.into(), template }
    }

    /// One job per page of a list of `len` items (`item(i)` makes the `i`-th), each holding
    /// only its own items in `paginator.pages`; `setup` adds the page's other variables.
    pub(super) fn jobs(
        self,
        site: &Site,
        len: usize,
        item: impl Fn(usize) -> Value,
        mut setup: impl FnMut(&mut PageJob, &paginate::Pager),
    ) -> Vec<PageJob> {
        let pagination = paginate::Pagination::new(&self.base, len, site.config.paginate_by);
        pagination
            .pagers()
            .map(|pager| {
                let origin = if pager.index == 1 {
                    self.origin.clone()
                } else {
                    format!("{}, page {}", self.origin, pager.index)
                };
                let mut job = PageJob::new(pager.path.clone(), origin, self.template);
                job.list = Some(self.base.clone());
                let items = pager.items.clone().map(&item).collect();
                job.context.insert_value("paginator", pagination.paginator(&pager, items));
                setup(&mut job, &pager);
                job
            })
            .collect()
    }
}

/// A Tera context that remembers its keys, so that it can be fingerprinted exactly (Tera's
/// `Context` can be neither iterated nor serialized, and its `Debug` does not escape strings).
#[derive(Default)]
pub(super) struct JobContext {
    pub(super) ctx: Context,
    pub(super) keys: BTreeSet<Cow<'static, str>>,
}

impl JobContext {
    pub(super) fn insert<T: Serialize + ?Sized>(
        &mut self,
        key: impl Into<Cow<'static, str>>,
        val: &T,
    ) {
        let key = key.into();
        self.ctx.insert(key.clone(), val);
        self.keys.insert(key);
    }

    pub(super) fn insert_value(&mut self, key: impl Into<Cow<'static, str>>, val: Value) {
        let key = key.into();
        self.ctx.insert_value(key.clone(), val);
        self.keys.insert(key);
    }

    /// Every variable, by name: what a page's key is made of (see [`super::cache`]).
    pub(super) fn variables(&self) -> BTreeMap<&str, Option<&Value>> {
        self.keys.iter().map(|k| (k.as_ref(), self.ctx.get(k))).collect()
    }
}

/// A page or feed to render: its context made ahead, or an article's, made when it is rendered;
/// or a data file, made when it is reached.
pub(super) enum Job {
    Ready(Ready),
    Article(usize),
    Data(super::pages::DataFile),
}

impl Job {
    pub(super) fn ready(job: PageJob) -> Job {
        Job::Ready(Ready {
            path: job.path.clone(),
            origin: job.origin.clone(),
            job: Some(job).into(),
        })
    }
}

/// A page whose context is made ahead. Its path and origin stay known; the job itself, context
/// and all, is taken by its render ([`Ready::take`]), so that a plan holds the contexts of the
/// pages still to render rather than of all of them (a list's pages hold its items' summaries).
pub(super) struct Ready {
    /// The page's site path.
    pub(super) path: String,
    pub(super) origin: String,
    job: Mutex<Option<PageJob>>,
}

impl Ready {
    /// The job, while it is being planned.
    pub(super) fn job_mut(&mut self) -> Option<&mut PageJob> {
        self.job.get_mut().unwrap_or_else(PoisonError::into_inner).as_mut()
    }

    /// The job, to render: `None` once it has been taken.
    pub(super) fn take(&self) -> Option<PageJob> {
        self.job.lock().unwrap_or_else(PoisonError::into_inner).take()
    }
}

/// Gives a page the `feeds` its head links to (and `own_feed`, the page's own).
pub(super) fn page_feeds(
    job: &mut PageJob,
    main_feeds: &[publish::FeedLink],
    own_feeds: &BTreeMap<String, publish::FeedLink>,
) {
    let mut feeds = main_feeds.to_vec();
    if let Some(own) = own_feeds.get(job.list.as_ref().unwrap_or(&job.path)) {
        job.context.insert("own_feed", own);
        feeds.push(own.clone());
    }
    job.context.insert("feeds", &feeds);
}
