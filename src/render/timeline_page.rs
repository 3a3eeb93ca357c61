//! The timeline page (`timeline/`): events and dated reports grouped by year and month, under
//! a drawing of them on a date axis ([`super::timeline_svg`]) with its key and text
//! alternative. The event views it lists are built once in [`super::editorial::Editorial`].

use serde::Serialize;
use tera::Value;

use super::context::{self, event_path};
use super::editorial::{Editorial, WITHIN_DAY, oldest_first};
use super::jobs::PageJob;
use super::timeline_svg::{self, Focus, Mark, MarkKind};
use super::urls;
use crate::content::{Event, Site};
use crate::diagnostics::plural;
use crate::values::PartialDate;

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
