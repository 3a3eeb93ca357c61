//! Where each mark goes: its days, its x extent on the scale, and the lane it is stacked in so
//! that marks of one kind never overlap; and the estimated width of label text.

use super::scale::{Scale, date_of, describe, normalize};
use super::{EVENT_BASE, FONT, LANE, MIN_BAR, Mark, MarkKind, NUM_R, R, REPORT_BASE};

/// A mark with its days and, once placed, its geometry.
#[derive(Debug, Clone)]
pub(super) struct Item<'a> {
    pub(super) mark: &'a Mark,
    pub(super) index: usize,
    pub(super) kind: MarkKind,
    /// First day.
    pub(super) d0: i64,
    /// Last day (inclusive).
    pub(super) d1: i64,
    /// Drawn as a bar (more than one day) rather than a dot or square.
    pub(super) bar: bool,
    pub(super) left: f64,
    pub(super) right: f64,
    pub(super) cx: f64,
    pub(super) lane: usize,
}

impl Item<'_> {
    /// Whether it is drawn as a dot holding its number.
    pub(super) fn numbered(&self) -> bool {
        self.kind == MarkKind::Event && !self.bar && self.mark.number.is_some()
    }

    /// Half its height: a numbered dot is larger.
    pub(super) fn radius(&self) -> f64 {
        if self.numbered() { NUM_R } else { R }
    }

    /// Centre y, relative to the axis; lanes of numbered dots are spaced for their size.
    pub(super) fn cy(&self) -> f64 {
        let lane = if self.numbered() { 2.0 * NUM_R + 2.0 } else { LANE };
        let offset = self.lane as f64 * lane.max(LANE);
        match self.kind {
            MarkKind::Event => -(EVENT_BASE + offset),
            MarkKind::Report => REPORT_BASE + offset,
        }
    }

    pub(super) fn tooltip(&self) -> String {
        let date = describe(self.mark.start, date_of(self.d1));
        let label = squash(&self.mark.label);
        if label.is_empty() { date } else { format!("{label} — {date}") }
    }
}

pub(super) fn items(marks: &[Mark]) -> Vec<Item<'_>> {
    marks
        .iter()
        .enumerate()
        .map(|(index, mark)| {
            let (d0, d1) = normalize(mark.start, mark.end);
            Item {
                mark,
                index,
                kind: mark.kind,
                d0,
                d1,
                bar: d1 > d0,
                left: 0.0,
                right: 0.0,
                cx: 0.0,
                lane: 0,
            }
        })
        .collect()
}

/// Gives each item its x extent, then stacks the items of each kind that would overlap.
pub(super) fn place(items: &mut [Item<'_>], scale: &Scale) {
    for item in items.iter_mut() {
        if item.bar {
            let (a, b) = (scale.x(item.d0 as f64), scale.x_end((item.d1 + 1) as f64));
            let (a, b) = if b - a < MIN_BAR {
                let c = f64::midpoint(a, b);
                (c - MIN_BAR / 2.0, c + MIN_BAR / 2.0)
            } else {
                (a, b)
            };
            item.left = a;
            item.right = b;
            item.cx = f64::midpoint(a, b);
        } else {
            item.cx = scale.x(item.d0 as f64 + 0.5);
            item.left = item.cx - item.radius();
            item.right = item.cx + item.radius();
        }
    }
    spread_reports(items, scale);
    for kind in [MarkKind::Event, MarkKind::Report] {
        let mut order: Vec<usize> =
            (0..items.len()).filter(|&i| items.get(i).is_some_and(|it| it.kind == kind)).collect();
        order.sort_by(|&a, &b| match (items.get(a), items.get(b)) {
            (Some(x), Some(y)) => x
                .left
                .total_cmp(&y.left)
                .then(x.right.total_cmp(&y.right))
                .then(x.index.cmp(&y.index)),
            _ => a.cmp(&b),
        });
        // The right end of the last item in each lane.
        let mut lanes: Vec<f64> = Vec::new();
        for i in order {
            let Some(item) = items.get_mut(i) else { continue };
            let lane = lanes.iter().position(|&r| r + 1.0 < item.left).unwrap_or(lanes.len());
            match lanes.get_mut(lane) {
                Some(r) => *r = item.right,
                None => lanes.push(item.right),
            }
            item.lane = lane;
        }
    }
}

/// Reports published on the same day sit side by side across that day's width, where it has room
/// for more than one (an expanded day), before any stacking: a busy day becomes a few short rows
/// instead of one tall column. Events keep one column per day.
pub(super) fn spread_reports(items: &mut [Item<'_>], scale: &Scale) {
    // Single-day reports by day, in input order.
    let mut days: Vec<(i64, Vec<usize>)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if item.kind != MarkKind::Report || item.bar {
            continue;
        }
        match days.iter_mut().find(|(d, _)| *d == item.d0) {
            Some((_, list)) => list.push(i),
            None => days.push((item.d0, vec![i])),
        }
    }
    for (day, list) in days {
        let (left, right) = (scale.x(day as f64), scale.x_end((day + 1) as f64));
        let width = right - left;
        let per_column = 2.0 * R + 4.0;
        let fits = (width / per_column).floor();
        if list.len() < 2 || fits < 2.0 {
            continue;
        }
        let columns = fits.min(list.len() as f64);
        for (k, &i) in list.iter().enumerate() {
            let Some(item) = items.get_mut(i) else { continue };
            let column = (k as f64) % columns;
            item.cx = left + (width / columns) * (column + 0.5);
            item.left = item.cx - R;
            item.right = item.cx + R;
        }
    }
}

/// Collapses runs of whitespace (labels may come from YAML with line breaks).
pub(super) fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Estimated advance of a character, erring wide.
pub(super) fn char_width(c: char) -> f64 {
    FONT / 10.0
        * match c {
            ' ' | 'i' | 'j' | 'l' | '.' | ',' | '\'' | '!' | '|' | ':' | ';' | 'I' => 3.2,
            'f' | 't' | 'r' | '(' | ')' | '[' | ']' | '-' => 4.0,
            'm' | 'w' | 'M' | 'W' => 8.8,
            'A'..='Z' => 7.0,
            c if c.is_ascii() => 5.6,
            '\u{1100}'..='\u{115F}'
            | '\u{2E80}'..='\u{A4CF}'
            | '\u{AC00}'..='\u{D7A3}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{FE30}'..='\u{FE4F}'
            | '\u{FF00}'..='\u{FF60}'
            | '\u{FFE0}'..='\u{FFE6}'
            | '\u{1F300}'..='\u{1FAFF}'
            | '\u{20000}'..='\u{3FFFD}' => 10.0,
            _ => 6.5,
        }
}

pub(super) fn text_width(s: &str) -> f64 {
    s.chars().map(char_width).sum()
}
