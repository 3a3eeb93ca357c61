//! The coverage table (`coverage/`), who reported what and when with wire copies under their
//! originals, and the article index (`articles/`), every article newest first.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;

use super::context::{ActorRef, actor_ref, to_value};
use super::editorial::{Editorial, EventRef, WITHIN_DAY, event_ref, oldest_first};
use super::jobs::{PageJob, PagedList};
use crate::content::Site;
use crate::values::PartialDate;

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
