//! The dated events of the story: `content/timeline.yaml`.
//!
//! Each event has an id, a date known to the day or only to the month or year (and shown only
//! to that precision), a short title, the actors involved, and its sources: the dossier's
//! articles and outside pages. `focus` names the span that the timeline picture expands (the
//! days of the dispute), while the long run-up is compressed.

use serde::Deserialize;

use super::outlet::SourceRef;
use crate::diagnostics::Diagnostic;
use crate::values::{PartialDate, Verification, slugify};
use crate::yaml::{self, shorthand_list};

/// The span the timeline picture expands.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Focus {
    /// First day (or month) of the span.
    pub start: PartialDate,
    /// Last day (or month) of the span.
    pub end: PartialDate,
}

/// One event.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Event {
    /// A unique slug-like id: the event's anchor on the timeline page.
    pub id: String,
    /// When: `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` when only that much is known.
    pub date: PartialDate,
    /// The time of day, in words, when known (`late evening`).
    #[serde(default)]
    pub time: Option<String>,
    /// A short title, in our words.
    pub title: String,
    /// One or two sentences (Markdown).
    #[serde(default)]
    pub text: Option<String>,
    /// How well it is established.
    #[serde(default)]
    pub status: Option<Verification>,
    /// Ids of the actors involved.
    #[serde(default)]
    pub actors: Vec<String>,
    /// Slugs of the dossier's articles that report it.
    #[serde(default)]
    pub articles: Vec<String>,
    /// Outside sources.
    #[serde(default, deserialize_with = "shorthand_list")]
    pub sources: Vec<SourceRef>,
    /// What the articles and sources support (set by the loader, which also sets `status` to
    /// the status shown).
    #[serde(skip)]
    pub evidence: Option<super::verify::Evidence>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TimelineFile {
    #[serde(default)]
    focus: Option<Focus>,
    #[serde(default)]
    events: Vec<Event>,
}

/// The timeline, events in date order (events on the same date keep their order in the file).
#[derive(Debug, Clone, Default)]
pub struct Timeline {
    /// The file, relative to the root (empty when there is none).
    pub source: String,
    /// The file's text, for locating errors found later.
    pub text: String,
    /// The expanded span, if set.
    pub focus: Option<Focus>,
    /// The events, sorted.
    pub events: Vec<Event>,
}

impl Timeline {
    /// Parses `content/timeline.yaml`.
    pub fn parse(source: &str, text: String) -> Result<Timeline, Vec<Diagnostic>> {
        let src = yaml::Source { file: source, text: &text, first_line: 1 };
        let file: TimelineFile = yaml::parse(&text, src).map_err(|d| vec![d])?;
        let mut errors = Vec::new();
        let err = |id: &str, nth: usize, message: String, help: String| {
            let (line, col) = yaml::locate_value(&text, "id", id, nth);
            Diagnostic::error(source, message).at(&text, line, col).help(help)
        };
        let mut ids: Vec<&str> = Vec::new();
        for e in &file.events {
            let nth = ids.iter().filter(|&&i| i == e.id).count();
            let id = e.id.as_str();
            if slugify(id) != id {
                let help =
                    format!("use lowercase letters, digits and hyphens, e.g. `{}`", slugify(id));
                errors.push(err(id, nth, format!("the event id `{id}` is not a slug"), help));
            } else if nth > 0 {
                let help =
                    "give each event its own id; it is the event's address on the timeline page";
                errors.push(err(
                    id,
                    nth,
                    format!("the event id `{id}` is used twice"),
                    help.into(),
                ));
            }
            ids.push(id);
            if e.title.trim().is_empty() {
                let help = "say what happened in a few words".into();
                errors.push(err(id, nth, format!("event `{id}` has an empty `title`"), help));
            }
            if e.articles.is_empty() && e.sources.is_empty() {
                let help = "list the dossier's articles that report it in `articles`, or outside \
                    pages in `sources`";
                errors.push(err(id, nth, format!("event `{id}` has no sources"), help.into()));
            }
        }
        if let Some(f) = file.focus
            && f.end.end() < f.start.start
        {
            let (line, col) = yaml::locate_key(&text, "end");
            errors.push(
                Diagnostic::error(
                    source,
                    format!("the focus ends ({}) before it starts ({})", f.end, f.start),
                )
                .at(&text, line, col)
                .help("`focus.start` must be on or before `focus.end`"),
            );
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut events = file.events;
        events.sort_by_key(|e| e.date.start);
        Ok(Timeline { source: source.to_string(), text, focus: file.focus, events })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::values::Precision;

    #[test]
    fn events_are_sorted_stably_with_their_precision() {
        let text = "focus: {start: 2019-06-10, end: 2019-06-16}\nevents:\n  - id: b\n    date: \
            2019-06-13\n    title: B\n    articles: [x]\n  - id: a\n    date: 2017-05\n    title: \
            A\n    sources: [https://example.org/a]\n  - id: c\n    date: 2019-06-13\n    title: \
            C\n    articles: [y]\n";
        let t = Timeline::parse("content/timeline.yaml", text.into()).unwrap();
        let ids: Vec<&str> = t.events.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(t.events[0].date.precision, Precision::Month);
        assert_eq!(t.events[0].date.display(), "May 2017");
    }

    #[test]
    fn bad_events_are_located() {
        let text = "events:\n  - id: a\n    date: 2019-06-13\n    title: A\n  - id: a\n    date: \
            2019-06-14\n    title: B\n    articles: [x]\n  - id: Big Day\n    date: 2019\n    \
            title: C\n    articles: [x]\n";
        let err = Timeline::parse("t.yaml", text.into()).unwrap_err();
        let got: Vec<(String, String)> =
            err.iter().map(|d| (d.location(), d.message.clone())).collect();
        assert_eq!(
            got,
            [
                ("t.yaml:2:9".to_string(), "event `a` has no sources".to_string()),
                ("t.yaml:5:9".to_string(), "the event id `a` is used twice".to_string()),
                ("t.yaml:9:9".to_string(), "the event id `Big Day` is not a slug".to_string()),
            ]
        );
        let err = Timeline::parse(
            "t.yaml",
            "events:\n  - id: a\n    date: 2019-13\n    title: A\n".into(),
        )
        .unwrap_err();
        assert_eq!(err[0].location(), "t.yaml:3:11");
    }
}
