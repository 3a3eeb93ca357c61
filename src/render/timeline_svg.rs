//! The Timeline page's chart: an inline SVG drawn at build time, with no script and no library
//! at view time.
//!
//! [`render`] places every dated item on one horizontal axis: events above it as dots, reports
//! below it as hollow squares, and anything that covers more than a day (a month-precision event
//! such as "May 2017") as a bar spanning its days. Items that would overlap — the same day, or
//! neighbours too close at the chart's scale — stack outwards from the axis in lanes. Each item
//! is a link (`<a href>`) whose `<title>` tooltip gives its label and date.
//!
//! The date scale is piecewise linear. Given a [`Focus`] inside the data, the days before it are
//! compressed into about a third of the plot, the focus span is expanded to about three fifths,
//! and whatever follows it gets the small remainder; a gap with a double slash breaks the axis
//! between the parts, and a caption such as "10–16 June 2019, expanded" names the focus. (A
//! run-up too short to need compressing is instead drawn at the focus's own density, without a
//! break.) Ticks adapt to the density of each part: one per day ("12 Jun") in the focus, one per
//! year in a long run-up (months when it is shorter than that), with labels that would collide
//! thinned out. Events with a [`Mark::number`] (the caller numbers the events of the focus) are
//! drawn as larger dots with the number written inside, horizontally; the page lists the numbered
//! events in full beside the chart, so every label is legible at any width, and every mark is a
//! link to its entry.
//!
//! Accessibility: the root is `role="group"` (a group of links), labelled by its `<title>` and
//! `<desc>` (the page is expected to list the same items as text); not `role="img"`, whose
//! children are presentational and so may not be links (axe-core's `nested-interactive`). Shapes
//! and their place above or below the axis tell events from reports, so colour is never the only
//! cue; and all styling hooks are classes (`tl-event`, `tl-report`, `tl-axis`, `tl-tick`,
//! `tl-label`, `tl-focus`) over `currentColor` defaults, so one stylesheet serves light and dark
//! mode. The SVG has a `viewBox` but no fixed size.
//!
//! The output is deterministic: the same input gives byte-identical output (no hash maps, ties
//! broken by input order, every coordinate written with one decimal), and no input panics.

use std::fmt::Write as _;

use jiff::civil::Date;
use pulldown_cmark_escape::{escape_href, escape_html};

/// What a mark stands for; drawn with different shapes (not colour alone).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    /// Something that happened: a dot (or rounded bar) above the axis.
    Event,
    /// A report about it: a hollow square (or square-cornered bar) below the axis.
    Report,
}

/// One thing to place on the axis.
#[derive(Debug, Clone)]
pub struct Mark {
    /// First day covered.
    pub start: Date,
    /// Last day covered (== start for a single day; the month's last day for a month-precision
    /// event).
    pub end: Date,
    /// Short text label (shown in a `<title>` tooltip, and as visible text for events inside the
    /// focus span where there is room).
    pub label: String,
    /// Event or report.
    pub kind: MarkKind,
    /// Relative link target (e.g. "#event-sochi-memorandum" or "../articles/x/index.html"); the
    /// mark is wrapped in `<a href>`.
    pub href: String,
    /// The number written in the mark (an event's number in the key the page gives beside the
    /// chart), if any.
    pub number: Option<u32>,
}

/// The span drawn expanded.
#[derive(Debug, Clone, Copy)]
pub struct Focus {
    /// First day of the span.
    pub start: Date,
    /// Last day of the span (inclusive).
    pub end: Date,
}

/// Width of the viewBox.
const WIDTH: f64 = 960.0;
/// Left end of the plot.
const PLOT_LEFT: f64 = 36.0;
/// Right end of the plot.
const PLOT_RIGHT: f64 = 924.0;
/// Width of the axis break between the compressed and the expanded parts.
const BREAK_GAP: f64 = 18.0;
/// Share of the plot for the span before the focus (when something follows the focus too).
const SHARE_BEFORE: f64 = 0.32;
/// Share of the plot for the span after the focus (when something precedes the focus too).
const SHARE_AFTER: f64 = 0.08;
/// Share of the plot for the only compressed span, when the focus touches the other end.
const SHARE_ONE_SIDE: f64 = 0.35;
/// Height of the legend and caption rows above the plot.
const HEADER: f64 = 44.0;
/// Distance between stacked lanes.
const LANE: f64 = 18.0;
/// Centre of the first event lane, above the axis.
const EVENT_BASE: f64 = 17.0;
/// Centre of the first report lane, below the axis (under the tick labels).
const REPORT_BASE: f64 = 32.0;
/// Dot radius, and half the side of a report square.
const R: f64 = 5.0;
/// Height of a bar: flatter than a dot, so even a month ten pixels wide reads as a span.
const BAR_H: f64 = 6.0;
/// Corner radius of an event bar (a report bar has square corners).
const BAR_RX: f64 = 1.5;
/// Narrowest bar drawn (a month in a long run-up can be under a pixel).
const MIN_BAR: f64 = 3.0;
/// Baseline of tick labels, below the axis.
const TICK_LABEL_Y: f64 = 17.0;
/// Least space between two tick labels.
const TICK_LABEL_GAP: f64 = 6.0;
/// Distance between tick marks below which a coarser tick unit is used.
const MIN_TICK_SPACING: f64 = 12.0;
/// Font size of all text.
const FONT: f64 = 11.0;
/// Radius of a numbered event's dot, which holds its number.
const NUM_R: f64 = 8.5;
/// Font size of the number in a numbered dot.
const NUM_FONT: f64 = 11.0;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Renders the SVG (a complete `<svg>…</svg>` element, to be inlined in HTML).
///
/// `title` and `desc` become `<title id="{id}-title">` and `<desc id="{id}-desc">`, referenced by
/// `aria-labelledby`; `id` prefixes every id in the SVG.
#[must_use]
pub fn render(marks: &[Mark], focus: Option<Focus>, id: &str, title: &str, desc: &str) -> String {
    let mut out = String::new();
    let id = esc(id);
    let open = |out: &mut String, height: f64| {
        let _ = writeln!(
            out,
            "<svg role=\"group\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {} {}\" class=\"timeline-chart\" xmlns=\"http://www.w3.org/2000/svg\" font-family=\"system-ui, sans-serif\" font-size=\"{FONT}\">",
            WIDTH.round(),
            height.round()
        );
        let _ = writeln!(out, "<title id=\"{id}-title\">{}</title>", esc(title));
        let _ = writeln!(out, "<desc id=\"{id}-desc\">{}</desc>", esc(desc));
    };

    let mut items = items(marks);
    let (Some(lo), Some(last)) =
        (items.iter().map(|i| i.d0).min(), items.iter().map(|i| i.d1).max())
    else {
        open(&mut out, 60.0);
        let _ = writeln!(
            out,
            "<text class=\"tl-label\" x=\"{}\" y=\"34.0\" text-anchor=\"middle\" fill=\"currentColor\">No dated items</text>",
            num(WIDTH / 2.0)
        );
        out.push_str("</svg>");
        return out;
    };
    let plan = plan_scale(lo, last + 1, focus.map(|f| normalize(f.start, f.end)));
    let scale = &plan.scale;

    place(&mut items, scale);
    let ticks = ticks(scale);

    // Vertical layout: everything so far is relative to the axis (y = 0, up is negative).
    let mut top = -(EVENT_BASE + R);
    let mut bottom = TICK_LABEL_Y + 4.0;
    for item in &items {
        let cy = item.cy();
        top = top.min(cy - item.radius());
        bottom = bottom.max(cy + item.radius() + 1.0);
    }
    let axis = HEADER + 6.0 - top;
    let height = (axis + bottom + 10.0).round();

    open(&mut out, height);
    legend(&mut out, items.iter().any(|i| i.bar));

    // Focus band and caption.
    if let Some(f) = plan.focus.as_ref().filter(|f| !f.whole) {
        let x0 = scale.x(f.d0 as f64);
        let x1 = scale.x_end(f.d1 as f64);
        let mut caption = describe(civil_from_days(f.d0), civil_from_days(f.d1 - 1));
        if f.expanded {
            caption.push_str(", expanded");
        }
        let w = text_width(&caption);
        // Centred over the band, but kept inside the viewBox (`max`/`min`: `clamp` could panic).
        let cx = f64::midpoint(x0, x1).min(WIDTH - 4.0 - w / 2.0).max(4.0 + w / 2.0);
        out.push_str("<g class=\"tl-focus\">\n");
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"currentColor\" fill-opacity=\"0.07\"/>",
            num(x0),
            num(HEADER),
            num(x1 - x0),
            num(height - 4.0 - HEADER)
        );
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"currentColor\">{}</text>",
            num(cx),
            num(HEADER - 8.0),
            esc(&caption)
        );
        out.push_str("</g>\n");
    }

    // Axis, broken between parts drawn at different densities.
    out.push_str("<g class=\"tl-axis\" stroke=\"currentColor\" fill=\"none\">\n");
    let mut run: Option<(f64, f64)> = None;
    for seg in &scale.segs {
        run = match run {
            Some((a, b)) if seg.x0 - b < 0.5 => Some((a, seg.x1)),
            Some((a, b)) => {
                axis_line(&mut out, a, b, axis);
                let g = f64::midpoint(b, seg.x0);
                for dx in [-3.0, 3.0] {
                    let _ = writeln!(
                        out,
                        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"/>",
                        num(g + dx - 2.5),
                        num(axis + 6.0),
                        num(g + dx + 2.5),
                        num(axis - 6.0)
                    );
                }
                Some((seg.x0, seg.x1))
            }
            None => Some((seg.x0, seg.x1)),
        };
    }
    if let Some((a, b)) = run {
        axis_line(&mut out, a, b, axis);
    }
    out.push_str("</g>\n");

    // Ticks.
    out.push_str("<g class=\"tl-tick\">\n");
    for tick in &ticks {
        let _ = writeln!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"currentColor\"/>",
            num(axis),
            num(axis + 5.0),
            x = num(tick.x)
        );
    }
    for tick in ticks.iter().filter(|t| t.shown) {
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"currentColor\">{}</text>",
            num(tick.x),
            num(axis + TICK_LABEL_Y),
            esc(&tick.label)
        );
    }
    out.push_str("</g>\n");

    // Marks, in date order (which is also the keyboard order of their links).
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| {
        items.get(i).map(|it| (it.d0, it.kind == MarkKind::Report, it.d1, it.index))
    });
    out.push_str("<g class=\"tl-marks\">\n");
    for item in order.iter().filter_map(|&i| items.get(i)) {
        mark(&mut out, item, axis);
    }
    out.push_str("</g>\n</svg>");
    out
}

/// A calendar date as plain numbers (month 1–12, day 1–31).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ymd {
    y: i64,
    m: i64,
    d: i64,
}

impl Ymd {
    fn of(date: Date) -> Self {
        Ymd { y: i64::from(date.year()), m: i64::from(date.month()), d: i64::from(date.day()) }
    }

    fn month_name(self) -> &'static str {
        usize::try_from(self.m - 1).ok().and_then(|i| MONTHS.get(i)).copied().unwrap_or("?")
    }

    fn short_month(self) -> &'static str {
        let name = self.month_name();
        name.get(..3).unwrap_or(name)
    }

    fn is_month_end(self) -> bool {
        self.d == days_in_month(self.y, self.m)
    }
}

/// Days since 1970-01-01 (proleptic Gregorian; Howard Hinnant's `days_from_civil`).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> Ymd {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400;
    Ymd { y: if m <= 2 { y + 1 } else { y }, m, d }
}

fn days_in_month(y: i64, m: i64) -> i64 {
    let (ny, nm) = if m >= 12 { (y + 1, 1) } else { (y, m + 1) };
    days_from_civil(ny, nm, 1) - days_from_civil(y, m, 1)
}

fn day_number(date: Date) -> i64 {
    let Ymd { y, m, d } = Ymd::of(date);
    days_from_civil(y, m, d)
}

/// A span as inclusive day numbers; an end before the start counts as the start alone.
fn normalize(start: Date, end: Date) -> (i64, i64) {
    let (a, b) = (day_number(start), day_number(end));
    (a, b.max(a))
}

/// "13 June 2019", "May 2017", "2019", "10–12 June 2019", "28 May – 3 June 2019", …
fn describe(s: Ymd, e: Ymd) -> String {
    let whole_months = s.d == 1 && e.is_month_end();
    if s == e {
        format!("{} {} {}", s.d, s.month_name(), s.y)
    } else if whole_months && s.y == e.y && s.m == 1 && e.m == 12 {
        format!("{}", s.y)
    } else if whole_months && s.y == e.y && s.m == e.m {
        format!("{} {}", s.month_name(), s.y)
    } else if whole_months && s.y == e.y {
        format!("{} – {} {}", s.month_name(), e.month_name(), s.y)
    } else if whole_months {
        format!("{} {} – {} {}", s.month_name(), s.y, e.month_name(), e.y)
    } else if s.y == e.y && s.m == e.m {
        format!("{}–{} {} {}", s.d, e.d, s.month_name(), s.y)
    } else if s.y == e.y {
        format!("{} {} – {} {} {}", s.d, s.month_name(), e.d, e.month_name(), s.y)
    } else {
        format!("{} {} {} – {} {} {}", s.d, s.month_name(), s.y, e.d, e.month_name(), e.y)
    }
}

/// One linear piece of the scale: days `[d0, d1)` onto `[x0, x1]`.
#[derive(Debug, Clone, Copy)]
struct Seg {
    d0: i64,
    d1: i64,
    x0: f64,
    x1: f64,
}

impl Seg {
    fn at(&self, t: f64) -> f64 {
        let span = (self.d1 - self.d0) as f64;
        if span <= 0.0 {
            return self.x0;
        }
        let t = t.max(self.d0 as f64).min(self.d1 as f64);
        self.x0 + (t - self.d0 as f64) / span * (self.x1 - self.x0)
    }
}

/// A piecewise-linear map from day numbers (day `n` covers `[n, n + 1)`) to x.
#[derive(Debug, Clone)]
struct Scale {
    segs: Vec<Seg>,
}

impl Scale {
    /// x of the instant `t`; at a break, the start of the later part.
    fn x(&self, t: f64) -> f64 {
        self.segs
            .iter()
            .find(|s| t < s.d1 as f64)
            .or(self.segs.last())
            .map_or(PLOT_LEFT, |s| s.at(t))
    }

    /// x of the instant `t`; at a break, the end of the earlier part.
    fn x_end(&self, t: f64) -> f64 {
        self.segs
            .iter()
            .find(|s| t <= s.d1 as f64)
            .or(self.segs.last())
            .map_or(PLOT_LEFT, |s| s.at(t))
    }
}

/// The focus as drawn: clipped to the data.
#[derive(Debug, Clone, Copy)]
struct FocusSpan {
    /// First day.
    d0: i64,
    /// Day after the last.
    d1: i64,
    /// Whether some other part of the axis is compressed relative to it.
    expanded: bool,
    /// Whether it covers all the data.
    whole: bool,
}

#[derive(Debug, Clone)]
struct Plan {
    scale: Scale,
    focus: Option<FocusSpan>,
}

/// Lays out days `[lo, hi)` (with `lo < hi`) across the plot, expanding `focus` (inclusive days).
fn plan_scale(lo: i64, hi: i64, focus: Option<(i64, i64)>) -> Plan {
    let hi = hi.max(lo + 1);
    let linear = Scale { segs: vec![Seg { d0: lo, d1: hi, x0: PLOT_LEFT, x1: PLOT_RIGHT }] };
    let Some((fs, fe)) = focus else { return Plan { scale: linear, focus: None } };
    let (fs, fe1) = (fs.max(lo), fe.saturating_add(1).min(hi));
    if fs >= fe1 {
        return Plan { scale: linear, focus: None };
    }
    let (before, span, after) = (fs - lo, fe1 - fs, hi - fe1);
    if before == 0 && after == 0 {
        let focus = FocusSpan { d0: fs, d1: fe1, expanded: false, whole: true };
        return Plan { scale: linear, focus: Some(focus) };
    }
    let (share_b, share_a) = match (before > 0, after > 0) {
        (true, true) => (SHARE_BEFORE, SHARE_AFTER),
        (true, false) => (SHARE_ONE_SIDE, 0.0),
        _ => (0.0, SHARE_ONE_SIDE),
    };
    // A side is "merged" when it is drawn at the focus's density, without a break: when it is
    // empty, or so short that its share would draw it wider per day than the focus.
    let (mut merge_b, mut merge_a) = (before == 0, after == 0);
    let plot = PLOT_RIGHT - PLOT_LEFT;
    let (px_b, px_a) = loop {
        let gaps = f64::from(u8::from(!merge_b) + u8::from(!merge_a));
        let p = plot - gaps * BREAK_GAP;
        let px_b = if merge_b { 0.0 } else { share_b * p };
        let px_a = if merge_a { 0.0 } else { share_a * p };
        let uniform_days =
            span + if merge_b { before } else { 0 } + if merge_a { after } else { 0 };
        let density = (p - px_b - px_a) / uniform_days as f64;
        let new_b = !merge_b && px_b / before as f64 >= density;
        let new_a = !merge_a && px_a / after as f64 >= density;
        if !new_b && !new_a {
            break (px_b, px_a);
        }
        merge_b |= new_b;
        merge_a |= new_a;
    };
    let mut segs = Vec::with_capacity(3);
    let mut x = PLOT_LEFT;
    if !merge_b {
        segs.push(Seg { d0: lo, d1: fs, x0: x, x1: x + px_b });
        x += px_b + BREAK_GAP;
    }
    let (u0, u1) = (if merge_b { lo } else { fs }, if merge_a { hi } else { fe1 });
    let x1 = if merge_a { PLOT_RIGHT } else { PLOT_RIGHT - px_a - BREAK_GAP };
    segs.push(Seg { d0: u0, d1: u1, x0: x, x1 });
    if !merge_a {
        segs.push(Seg { d0: fe1, d1: hi, x0: PLOT_RIGHT - px_a, x1: PLOT_RIGHT });
    }
    let expanded = !(merge_b && merge_a);
    let focus = FocusSpan { d0: fs, d1: fe1, expanded, whole: false };
    Plan { scale: Scale { segs }, focus: Some(focus) }
}

/// A mark with its days and, once placed, its geometry.
#[derive(Debug, Clone)]
struct Item<'a> {
    mark: &'a Mark,
    index: usize,
    kind: MarkKind,
    /// First day.
    d0: i64,
    /// Last day (inclusive).
    d1: i64,
    /// Drawn as a bar (more than one day) rather than a dot or square.
    bar: bool,
    left: f64,
    right: f64,
    cx: f64,
    lane: usize,
}

impl Item<'_> {
    /// Whether it is drawn as a dot holding its number.
    fn numbered(&self) -> bool {
        self.kind == MarkKind::Event && !self.bar && self.mark.number.is_some()
    }

    /// Half its height: a numbered dot is larger.
    fn radius(&self) -> f64 {
        if self.numbered() { NUM_R } else { R }
    }

    /// Centre y, relative to the axis; lanes of numbered dots are spaced for their size.
    fn cy(&self) -> f64 {
        let lane = if self.numbered() { 2.0 * NUM_R + 2.0 } else { LANE };
        let offset = self.lane as f64 * lane.max(LANE);
        match self.kind {
            MarkKind::Event => -(EVENT_BASE + offset),
            MarkKind::Report => REPORT_BASE + offset,
        }
    }

    fn tooltip(&self) -> String {
        let date = describe(Ymd::of(self.mark.start), civil_from_days(self.d1));
        let label = squash(&self.mark.label);
        if label.is_empty() { date } else { format!("{label} — {date}") }
    }
}

fn items(marks: &[Mark]) -> Vec<Item<'_>> {
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
fn place(items: &mut [Item<'_>], scale: &Scale) {
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
fn spread_reports(items: &mut [Item<'_>], scale: &Scale) {
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
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Estimated advance of a character, erring wide.
fn char_width(c: char) -> f64 {
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

fn text_width(s: &str) -> f64 {
    s.chars().map(char_width).sum()
}

/// A tick on the axis.
#[derive(Debug, Clone)]
struct Tick {
    x: f64,
    label: String,
    /// Whether the label has room.
    shown: bool,
}

/// Ticks for each part of the scale, as fine as its density allows: days, months or years.
fn ticks(scale: &Scale) -> Vec<Tick> {
    let mut out = Vec::new();
    for seg in &scale.segs {
        let days = seg.d1 - seg.d0;
        if days <= 0 {
            continue;
        }
        let density = (seg.x1 - seg.x0) / days as f64;
        if density >= MIN_TICK_SPACING {
            for d in seg.d0..seg.d1 {
                let ymd = civil_from_days(d);
                let label = format!("{} {}", ymd.d, ymd.short_month());
                out.push(Tick { x: scale.x(d as f64 + 0.5), label, shown: false });
            }
        } else if density * 30.0 >= MIN_TICK_SPACING {
            let first = civil_from_days(seg.d0);
            let (mut y, mut m) = (first.y, first.m);
            loop {
                let d = days_from_civil(y, m, 1);
                if d >= seg.d1 {
                    break;
                }
                if d >= seg.d0 {
                    let ymd = Ymd { y, m, d: 1 };
                    let label = format!("{} {}", ymd.short_month(), y);
                    out.push(Tick { x: scale.x(d as f64), label, shown: false });
                }
                (y, m) = if m >= 12 { (y + 1, 1) } else { (y, m + 1) };
            }
        } else {
            let steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000];
            let step = steps
                .into_iter()
                .find(|&s| density * 365.25 * s as f64 >= MIN_TICK_SPACING / 2.0)
                .unwrap_or(10_000);
            let first = civil_from_days(seg.d0).y;
            let mut y = first.div_euclid(step) * step;
            loop {
                let d = days_from_civil(y, 1, 1);
                if d >= seg.d1 {
                    break;
                }
                if d >= seg.d0 {
                    out.push(Tick { x: scale.x(d as f64), label: y.to_string(), shown: false });
                }
                y += step;
            }
        }
    }
    // Thin the labels, left to right.
    let mut last_right = f64::MIN;
    for tick in &mut out {
        let half = text_width(&tick.label) / 2.0;
        if tick.x - half >= last_right + TICK_LABEL_GAP
            && tick.x - half >= 0.0
            && tick.x + half <= WIDTH
        {
            tick.shown = true;
            last_right = tick.x + half;
        }
    }
    out
}

fn legend(out: &mut String, bars: bool) {
    let y = 12.0;
    let mut x = PLOT_LEFT;
    out.push_str("<g class=\"tl-legend\">\n");
    let _ = writeln!(
        out,
        "<circle class=\"tl-event\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"currentColor\"/>",
        num(x + R),
        num(y),
        num(R)
    );
    legend_text(out, &mut x, y, "Event");
    let _ = writeln!(
        out,
        "<rect class=\"tl-report\" x=\"{}\" y=\"{}\" width=\"{s}\" height=\"{s}\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\"/>",
        num(x + 0.5),
        num(y - R + 0.5),
        s = num(2.0 * R - 1.0)
    );
    legend_text(out, &mut x, y, "Report");
    if bars {
        let _ = writeln!(
            out,
            "<rect class=\"tl-event\" x=\"{}\" y=\"{}\" width=\"18.0\" height=\"{}\" rx=\"{}\" fill=\"currentColor\"/>",
            num(x),
            num(y - BAR_H / 2.0),
            num(BAR_H),
            num(BAR_RX)
        );
        x += 8.0;
        legend_text(out, &mut x, y, "Month or longer span");
    }
    out.push_str("</g>\n");
}

/// Writes a legend item's text after its shape and moves `x` past it.
fn legend_text(out: &mut String, x: &mut f64, y: f64, text: &str) {
    let _ = writeln!(
        out,
        "<text class=\"tl-label\" x=\"{}\" y=\"{}\" fill=\"currentColor\">{}</text>",
        num(*x + 2.0 * R + 5.0),
        num(y + 3.5),
        esc(text)
    );
    *x += 2.0 * R + 5.0 + text_width(text) + 16.0;
}

fn axis_line(out: &mut String, a: f64, b: f64, y: f64) {
    let _ = writeln!(
        out,
        "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\"/>",
        num(a),
        num(b),
        y = num(y)
    );
}

/// One mark: a link holding its tooltip, its shape and, for a numbered event, its number.
fn mark(out: &mut String, item: &Item<'_>, axis: f64) {
    let mut href = String::new();
    let _ = escape_href(&mut href, &item.mark.href);
    let _ = write!(out, "<a href=\"{href}\"><title>{}</title>", esc(&item.tooltip()));
    let cy = axis + item.cy();
    match (item.kind, item.bar) {
        (MarkKind::Event, false) => {
            let _ = write!(
                out,
                "<circle class=\"tl-event\" cx=\"{}\" cy=\"{}\" r=\"{}\" fill=\"currentColor\"/>",
                num(item.cx),
                num(cy),
                num(item.radius())
            );
            if let Some(n) = item.mark.number.filter(|_| item.numbered()) {
                let _ = write!(
                    out,
                    "<text class=\"tl-num\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-size=\"{NUM_FONT}\" font-weight=\"700\">{n}</text>",
                    num(item.cx),
                    num(cy + NUM_FONT * 0.36)
                );
            }
        }
        (MarkKind::Event, true) => {
            let _ = write!(
                out,
                "<rect class=\"tl-event\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{r}\" fill=\"currentColor\"/>",
                num(item.left),
                num(cy - BAR_H / 2.0),
                num(item.right - item.left),
                num(BAR_H),
                r = num(BAR_RX.min((item.right - item.left) / 2.0))
            );
        }
        (MarkKind::Report, false) => {
            let _ = write!(
                out,
                "<rect class=\"tl-report\" x=\"{}\" y=\"{}\" width=\"{s}\" height=\"{s}\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\"/>",
                num(item.cx - R + 0.5),
                num(cy - R + 0.5),
                s = num(2.0 * R - 1.0)
            );
        }
        (MarkKind::Report, true) => {
            let _ = write!(
                out,
                "<rect class=\"tl-report\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\"/>",
                num(item.left),
                num(cy - BAR_H / 2.0),
                num(item.right - item.left),
                num(BAR_H)
            );
        }
    }
    out.push_str("</a>\n");
}

/// A coordinate with one decimal (never "-0.0", never NaN).
fn num(v: f64) -> String {
    if !v.is_finite() {
        return "0.0".to_string();
    }
    let s = format!("{v:.1}");
    if s == "-0.0" { "0.0".to_string() } else { s }
}

/// Text or attribute value, HTML-escaped.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = escape_html(&mut out, s);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn ev(start: Date, end: Date, label: &str) -> Mark {
        Mark {
            start,
            end,
            label: label.to_string(),
            kind: MarkKind::Event,
            href: format!("#{}", label.to_lowercase().replace(' ', "-")),
            number: None,
        }
    }

    fn day(y: i16, m: i8, d: i8, label: &str, kind: MarkKind) -> Mark {
        Mark { kind, ..ev(date(y, m, d), date(y, m, d), label) }
    }

    fn dn(y: i16, m: i8, d: i8) -> i64 {
        day_number(date(y, m, d))
    }

    /// Data from 2012 to 20 June 2019, focus on 10–16 June 2019.
    fn sample() -> (Vec<Mark>, Focus) {
        let marks = vec![
            day(2012, 3, 4, "Start", MarkKind::Event),
            ev(date(2017, 5, 1), date(2017, 5, 31), "Talks"),
            day(2019, 6, 10, "Summit opens", MarkKind::Event),
            day(2019, 6, 13, "Memorandum signed", MarkKind::Event),
            day(2019, 6, 13, "Protest", MarkKind::Event),
            day(2019, 6, 14, "Wire report", MarkKind::Report),
            day(2019, 6, 20, "Aftermath", MarkKind::Report),
        ];
        (marks, Focus { start: date(2019, 6, 10), end: date(2019, 6, 16) })
    }

    /// Every value of attribute `name` in `s`, in order.
    fn attrs(s: &str, name: &str) -> Vec<String> {
        let pat = format!(" {name}=\"");
        s.match_indices(&pat)
            .filter_map(|(i, _)| {
                let rest = &s[i + pat.len()..];
                rest.find('"').map(|j| rest[..j].to_string())
            })
            .collect()
    }

    fn attr_f(s: &str, name: &str) -> Vec<f64> {
        attrs(s, name).iter().map(|v| v.parse().expect("number")).collect()
    }

    /// The `<a>…</a>` elements whose tooltip contains `needle`.
    fn links<'a>(svg: &'a str, needle: &str) -> Vec<&'a str> {
        svg.split("<a ")
            .skip(1)
            .filter_map(|s| s.split("</a>").next())
            .filter(|s| s.contains(needle))
            .collect()
    }

    #[test]
    fn calendar_arithmetic_matches_jiff() {
        let mut d = date(1999, 12, 25);
        for _ in 0..800 {
            let n = day_number(d);
            assert_eq!(civil_from_days(n), Ymd::of(d));
            let next = d.tomorrow().expect("in range");
            assert_eq!(day_number(next), n + 1);
            assert_eq!(
                days_in_month(i64::from(d.year()), i64::from(d.month())),
                i64::from(d.days_in_month())
            );
            d = next;
        }
        assert_eq!(dn(1970, 1, 1), 0);
        assert_eq!(civil_from_days(day_number(Date::MIN)), Ymd::of(Date::MIN));
        assert_eq!(civil_from_days(day_number(Date::MAX)), Ymd::of(Date::MAX));
    }

    #[test]
    fn scale_is_monotonic_and_expands_the_focus() {
        let (lo, hi) = (dn(2012, 3, 4), dn(2019, 6, 20) + 1);
        let (fs, fe) = (dn(2019, 6, 10), dn(2019, 6, 16));
        let plan = plan_scale(lo, hi, Some((fs, fe)));
        let s = &plan.scale;
        assert_eq!(s.segs.len(), 3);
        let f = plan.focus.expect("focus kept");
        assert!(f.expanded && !f.whole);

        // Strictly increasing, day by day, over the whole range.
        let mut prev = f64::MIN;
        for d in lo..hi {
            let x = s.x(d as f64 + 0.5);
            assert!(x > prev, "x not increasing at day {d}");
            prev = x;
        }
        assert!((s.x(lo as f64) - PLOT_LEFT).abs() < 1e-9);
        assert!((s.x_end(hi as f64) - PLOT_RIGHT).abs() < 1e-9);

        let plot = PLOT_RIGHT - PLOT_LEFT;
        let before = (s.x_end(fs as f64) - s.x(lo as f64)) / plot;
        let focus = (s.x_end((fe + 1) as f64) - s.x(fs as f64)) / plot;
        let after = (s.x_end(hi as f64) - s.x((fe + 1) as f64)) / plot;
        assert!((0.30..=0.35).contains(&before), "run-up share {before}");
        assert!((0.55..=0.65).contains(&focus), "focus share {focus}");
        assert!(after > 0.0 && after < 0.1, "aftermath share {after}");

        // A day in the focus is far wider than a day in the run-up.
        let day_in = |d: i64| s.x_end((d + 1) as f64) - s.x(d as f64);
        let run_up = day_in(dn(2015, 1, 1));
        let focus_day = day_in(dn(2019, 6, 13));
        assert!(focus_day > 500.0 * run_up, "{focus_day} vs {run_up}");
        assert!(focus_day > 60.0);
    }

    #[test]
    fn without_a_usable_focus_the_scale_is_linear() {
        let (lo, hi) = (dn(2018, 1, 1), dn(2019, 1, 1));
        let outside = Some((dn(2020, 1, 1), dn(2020, 1, 5)));
        let reversed = Some((dn(2018, 6, 1), dn(2018, 5, 1))); // treated as 1 June alone
        for (focus, kept) in [(None, false), (outside, false), (Some((lo - 9, hi + 9)), true)] {
            let plan = plan_scale(lo, hi, focus);
            assert_eq!(plan.scale.segs.len(), 1);
            assert_eq!(plan.focus.is_some(), kept);
            let s = &plan.scale;
            let w0 = s.x((lo + 1) as f64) - s.x(lo as f64);
            let w1 = s.x((hi - 1) as f64) - s.x((hi - 2) as f64);
            assert!((w0 - w1).abs() < 1e-9 && w0 > 0.0);
        }
        // A reversed focus counts as its first day alone, drawn expanded.
        let one_day = plan_scale(lo, hi, reversed.map(|(a, b)| (a, b.max(a))));
        assert_eq!(one_day.scale.segs.len(), 3);
        let d = dn(2018, 6, 1);
        let w = one_day.scale.x_end((d + 1) as f64) - one_day.scale.x(d as f64);
        assert!(w > 0.55 * (PLOT_RIGHT - PLOT_LEFT));
    }

    #[test]
    fn a_short_run_up_is_not_drawn_wider_than_the_focus() {
        // Two days before a seven-day focus: compressing would stretch them instead.
        let (lo, fs, fe, hi) = (100, 102, 108, 109);
        let plan = plan_scale(lo, hi, Some((fs, fe)));
        let s = &plan.scale;
        let day_in = |d: i64| s.x_end((d + 1) as f64) - s.x(d as f64);
        assert!((day_in(100) - day_in(105)).abs() < 1e-9);
        assert_eq!(s.segs.len(), 1);
        assert!(!plan.focus.expect("focus").expanded);
        let svg = render(
            &[day(2019, 6, 8, "a", MarkKind::Event), day(2019, 6, 16, "b", MarkKind::Event)],
            Some(Focus { start: date(2019, 6, 10), end: date(2019, 6, 16) }),
            "t",
            "T",
            "D",
        );
        assert!(svg.contains(">10–16 June 2019</text>"));
        assert!(!svg.contains("expanded"));
    }

    #[test]
    fn break_caption_and_ticks_are_drawn() {
        let (marks, focus) = sample();
        let svg = render(&marks, Some(focus), "tl", "Timeline", "All events");
        assert!(svg.contains(">10–16 June 2019, expanded</text>"));
        // Two breaks, each a double slash: four slanted lines in the axis group besides the
        // three axis pieces.
        let axis = svg.split("<g class=\"tl-axis\"").nth(1).and_then(|s| s.split("</g>").next());
        assert_eq!(axis.expect("axis group").matches("<line").count(), 3 + 4);
        // Year ticks in the run-up, day ticks in the focus.
        for label in [">2013<", ">2016<", ">2019<", ">10 Jun<", ">12 Jun<", ">16 Jun<"] {
            assert!(svg.contains(label), "missing tick {label}");
        }
        assert!(!svg.contains(">12 Mar<"));
    }

    #[test]
    fn tick_labels_never_overlap() {
        let lo = dn(1900, 1, 1);
        let hi = dn(2019, 6, 30);
        let plan = plan_scale(lo, hi, Some((dn(2019, 6, 1), dn(2019, 6, 21))));
        let ticks = ticks(&plan.scale);
        let shown: Vec<&Tick> = ticks.iter().filter(|t| t.shown).collect();
        assert!(ticks.len() > shown.len(), "some labels thinned");
        assert!(shown.len() > 5);
        for w in shown.windows(2) {
            let (a, b) = (w[0], w[1]);
            assert!(
                a.x + text_width(&a.label) / 2.0 + TICK_LABEL_GAP
                    <= b.x - text_width(&b.label) / 2.0
            );
        }
        // A long run-up gets a coarser step than one tick per year.
        let run_up: Vec<i64> = ticks.iter().filter_map(|t| t.label.parse().ok()).collect();
        assert!(run_up.len() < 119 && run_up.windows(2).all(|w| w[1] > w[0]));
    }

    #[test]
    fn month_precision_is_a_bar_as_wide_as_its_month() {
        let marks = [
            day(2016, 1, 1, "Before", MarkKind::Report),
            ev(date(2017, 5, 1), date(2017, 5, 31), "Talks"),
            day(2018, 12, 31, "After", MarkKind::Event),
        ];
        let svg = render(&marks, None, "t", "T", "D");
        let link = links(&svg, "Talks — May 2017");
        assert_eq!(link.len(), 1);
        assert!(!link[0].contains("<circle"));
        let width = attr_f(link[0], "width");
        let x = attr_f(link[0], "x");
        let plan = plan_scale(dn(2016, 1, 1), dn(2018, 12, 31) + 1, None);
        let expected_x = plan.scale.x(dn(2017, 5, 1) as f64);
        let expected_w = plan.scale.x_end(dn(2017, 6, 1) as f64) - expected_x;
        assert!((width[0] - expected_w).abs() <= 0.1, "{} vs {expected_w}", width[0]);
        assert!((x[0] - expected_x).abs() <= 0.05);
        // 31 of the 1096 days drawn.
        let plot = PLOT_RIGHT - PLOT_LEFT;
        assert!((width[0] - plot * 31.0 / 1096.0).abs() <= 0.1);
        // And the legend explains bars.
        assert!(svg.contains(">Month or longer span</text>"));
    }

    #[test]
    fn dates_are_written_by_precision() {
        let ymd = |y, m, d| Ymd { y, m, d };
        assert_eq!(describe(ymd(2019, 6, 13), ymd(2019, 6, 13)), "13 June 2019");
        assert_eq!(describe(ymd(2017, 5, 1), ymd(2017, 5, 31)), "May 2017");
        assert_eq!(describe(ymd(2016, 2, 1), ymd(2016, 2, 29)), "February 2016");
        assert_eq!(describe(ymd(2015, 2, 1), ymd(2015, 2, 27)), "1–27 February 2015");
        assert_eq!(describe(ymd(2019, 1, 1), ymd(2019, 12, 31)), "2019");
        assert_eq!(describe(ymd(2019, 5, 28), ymd(2019, 6, 3)), "28 May – 3 June 2019");
        assert_eq!(describe(ymd(2018, 12, 1), ymd(2019, 1, 31)), "December 2018 – January 2019");
        assert_eq!(
            describe(ymd(2018, 12, 28), ymd(2019, 1, 3)),
            "28 December 2018 – 3 January 2019"
        );
        let svg = render(&[day(2019, 6, 13, "Signed", MarkKind::Event)], None, "t", "T", "D");
        assert!(svg.contains("<title>Signed — 13 June 2019</title>"));
    }

    #[test]
    fn same_day_marks_stack() {
        let marks = [
            day(2019, 6, 13, "One", MarkKind::Event),
            day(2019, 6, 13, "Two", MarkKind::Event),
            day(2019, 6, 13, "Three", MarkKind::Event),
            day(2019, 6, 13, "Wire", MarkKind::Report),
            day(2019, 6, 13, "Paper", MarkKind::Report),
            day(2019, 9, 1, "Later", MarkKind::Event),
        ];
        let svg = render(&marks, None, "t", "T", "D");
        let cy = |label: &str| attr_f(links(&svg, label)[0], "cy")[0];
        let cx = |label: &str| attr_f(links(&svg, label)[0], "cx")[0];
        let (a, b, c) = (cy("One —"), cy("Two —"), cy("Three —"));
        assert!(a > b && b > c, "events stack upwards: {a} {b} {c}");
        assert!((a - b - LANE).abs() < 0.05 && (b - c - LANE).abs() < 0.05);
        assert_eq!(cx("One —"), cx("Three —"));
        let y = |label: &str| attr_f(links(&svg, label)[0], "y")[0];
        let (w, p) = (y("Wire —"), y("Paper —"));
        assert!(p > w && w > a, "reports stack downwards, below the events");
        // A lone mark on another day sits in the first lane.
        assert_eq!(cy("Later —"), a);
    }

    #[test]
    fn same_day_reports_in_the_focus_sit_side_by_side() {
        let mut marks: Vec<Mark> =
            (0..9).map(|i| day(2019, 6, 13, &format!("Report {i}"), MarkKind::Report)).collect();
        marks.push(day(2016, 12, 29, "Start", MarkKind::Event));
        let focus = Focus { start: date(2019, 6, 10), end: date(2019, 6, 16) };
        let svg = render(&marks, Some(focus), "t", "T", "D");
        let x = |label: &str| attr_f(links(&svg, label)[0], "x")[0];
        let y = |label: &str| attr_f(links(&svg, label)[0], "y")[0];
        let xs: Vec<f64> = (0..9).map(|i| x(&format!("Report {i} —"))).collect();
        let ys: Vec<f64> = (0..9).map(|i| y(&format!("Report {i} —"))).collect();
        let distinct_x = xs.iter().filter(|&&a| (a - xs[0]).abs() > 0.05).count();
        assert!(distinct_x > 0, "reports spread across the day: {xs:?}");
        let rows = ys.iter().fold(Vec::<f64>::new(), |mut acc, &v| {
            if !acc.iter().any(|&r| (r - v).abs() < 0.05) {
                acc.push(v);
            }
            acc
        });
        assert!(rows.len() < 9, "fewer rows than reports: {ys:?}");
        // No two squares overlap.
        for i in 0..9 {
            for j in i + 1..9 {
                let apart = (xs[i] - xs[j]).abs() >= 2.0 * R || (ys[i] - ys[j]).abs() >= 2.0 * R;
                assert!(apart, "reports {i} and {j} overlap");
            }
        }
    }

    #[test]
    fn text_and_hrefs_are_escaped() {
        let mark = Mark {
            start: date(2019, 6, 13),
            end: date(2019, 6, 13),
            label: "A < B & C".to_string(),
            kind: MarkKind::Event,
            href: "../a\"b/index.html?x=1&y=<2>".to_string(),
            number: None,
        };
        let svg = render(&[mark], None, "x\"y", "Title <b>", "Desc & more");
        assert!(svg.contains("<title>A &lt; B &amp; C — 13 June 2019</title>"));
        assert!(!svg.contains("A < B"));
        assert!(svg.contains("href=\"../a%22b/index.html?x=1&amp;y=%3C2%3E\""));
        assert!(svg.contains("<title id=\"x&quot;y-title\">Title &lt;b&gt;</title>"));
        assert!(svg.contains("<desc id=\"x&quot;y-desc\">Desc &amp; more</desc>"));
        for href in attrs(&svg, "href") {
            assert!(!href.contains('<') && !href.contains('"'));
        }
    }

    #[test]
    fn output_is_deterministic_with_one_decimal() {
        let (marks, focus) = sample();
        let a = render(&marks, Some(focus), "tl", "Timeline", "All events");
        let b = render(&marks.clone(), Some(focus), "tl", "Timeline", "All events");
        assert_eq!(a, b);
        for name in ["x", "y", "cx", "cy", "r", "width", "height", "x1", "x2", "y1", "y2"] {
            for v in attrs(&a, name) {
                let (_, frac) = v.split_once('.').unwrap_or((&v, "0"));
                assert_eq!(frac.len(), 1, "{name}={v}");
                assert!(v.parse::<f64>().is_ok(), "{name}={v}");
            }
        }
        for t in attrs(&a, "transform") {
            let inner = t.trim_start_matches("translate(").split(')').next().expect("translate");
            for v in inner.split(' ') {
                assert_eq!(v.split_once('.').map(|(_, f)| f.len()), Some(1), "{t}");
            }
        }
    }

    #[test]
    fn svg_is_labelled_and_unsized() {
        let (marks, focus) = sample();
        let svg = render(&marks, Some(focus), "tl", "Timeline", "All events");
        assert!(svg.starts_with(
            "<svg role=\"group\" aria-labelledby=\"tl-title tl-desc\" viewBox=\"0 0 960 "
        ));
        assert!(svg.contains("class=\"timeline-chart\""));
        assert!(svg.contains("<title id=\"tl-title\">Timeline</title>"));
        assert!(svg.contains("<desc id=\"tl-desc\">All events</desc>"));
        let root = svg.split('>').next().expect("root tag");
        assert!(!root.contains(" width=") && !root.contains(" height="));
        assert!(svg.ends_with("</svg>"));
        assert_eq!(svg.matches("<a ").count(), marks.len());
        assert_eq!(svg.matches("</a>").count(), marks.len());
        // Legend with shapes and words.
        let legend = svg.split("<g class=\"tl-legend\">").nth(1).expect("legend");
        let legend = legend.split("</g>").next().expect("legend end");
        assert!(legend.contains("<circle class=\"tl-event\"") && legend.contains(">Event</text>"));
        assert!(legend.contains("<rect class=\"tl-report\"") && legend.contains(">Report</text>"));
        // Every shape and text takes its colour from the stylesheet or currentColor.
        assert!(!svg.contains("fill=\"#") && !svg.contains("stroke=\"#"));
        // The viewBox is tall enough for everything drawn.
        let height: f64 = root
            .split("viewBox=\"0 0 960 ")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("viewBox")
            .parse()
            .expect("height");
        for v in attr_f(&svg, "cy").into_iter().chain(attr_f(&svg, "y")) {
            assert!(v > 0.0 && v < height, "{v} outside 0..{height}");
        }
    }

    #[test]
    fn empty_input() {
        let svg = render(&[], None, "e", "Nothing", "No items");
        assert!(svg.starts_with("<svg role=\"group\" aria-labelledby=\"e-title e-desc\""));
        assert!(svg.contains("<title id=\"e-title\">Nothing</title>"));
        assert!(svg.contains("<desc id=\"e-desc\">No items</desc>"));
        assert!(svg.contains(">No dated items</text>"));
        assert!(svg.ends_with("</svg>"));
        assert!(!svg.contains("<a ") && !svg.contains("tl-axis"));
    }

    #[test]
    fn numbered_events_hold_their_number_and_do_not_overlap() {
        let mut marks = vec![day(2015, 1, 1, "Old event", MarkKind::Event)];
        for i in 0..6 {
            let mut m = day(2019, 6, 13, &format!("Same day {i}"), MarkKind::Event);
            m.number = Some(i + 1);
            marks.push(m);
        }
        let mut next = day(2019, 6, 14, "Next day", MarkKind::Event);
        next.number = Some(7);
        marks.push(next);
        marks.push(day(2019, 6, 14, "Report text", MarkKind::Report));
        let focus = Focus { start: date(2019, 6, 10), end: date(2019, 6, 16) };
        let svg = render(&marks, Some(focus), "t", "T", "D");

        let number = |l: &str| {
            let a = links(&svg, l)[0];
            a.split("class=\"tl-num\"")
                .nth(1)
                .and_then(|t| t.split('>').nth(1))
                .map(|t| t.trim_end_matches("</text").to_string())
        };
        assert_eq!(number("Same day 0 —").as_deref(), Some("1"));
        assert_eq!(number("Next day —").as_deref(), Some("7"));
        assert_eq!(number("Old event —"), None, "unnumbered: tooltip only");
        assert_eq!(number("Report text —"), None);
        // No slanted or shortened labels any more.
        assert!(!svg.contains("rotate(") && !svg.contains('…'), "{svg}");
        // Numbered dots are larger and stacked without overlapping.
        let cy = |l: &str| attr_f(links(&svg, l)[0], "cy")[0];
        let r = |l: &str| attr_f(links(&svg, l)[0], "r")[0];
        assert_eq!(r("Same day 0 —"), NUM_R);
        assert_eq!(r("Old event —"), R);
        for i in 0..5 {
            let gap = cy(&format!("Same day {i} —")) - cy(&format!("Same day {} —", i + 1));
            assert!(gap >= 2.0 * NUM_R, "dots {i} and {} overlap: {gap}", i + 1);
        }
    }

    #[test]
    fn pseudo_random_inputs_never_panic() {
        // A fixed linear congruential generator, so the run is reproducible.
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move |n: u64| {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) % n
        };
        let base = dn(2019, 6, 1);
        for round in 0..300 {
            // Spans from days to millennia, around mid-2019.
            let spread = [3, 40, 400, 4000, 400_000][round % 5];
            let mut pick = |spread: u64| {
                let n = base - spread as i64 / 2 + next(spread) as i64;
                let ymd = civil_from_days(n);
                date(ymd.y as i16, ymd.m as i8, ymd.d as i8)
            };
            let count = round % 12;
            let marks: Vec<Mark> = (0..count)
                .map(|i| {
                    let (start, end) = (pick(spread), pick(spread));
                    let kind = if i % 3 == 0 { MarkKind::Report } else { MarkKind::Event };
                    let label = "Ünïcode 漢字 & <tag> label ".repeat(i % 4);
                    Mark {
                        start,
                        end,
                        label,
                        kind,
                        href: format!("#m{i}"),
                        number: (i % 2 == 0).then_some(i as u32),
                    }
                })
                .collect();
            let focus = (round % 4 != 0).then(|| Focus { start: pick(spread), end: pick(spread) });
            let svg = render(&marks, focus, "r", "T", "D");
            assert!(svg.ends_with("</svg>"));
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
            assert_eq!(svg.matches("<a ").count(), count);
            assert_eq!(svg.matches("</a>").count(), count);
            assert!(!svg.contains("<tag>"));
            assert_eq!(svg, render(&marks, focus, "r", "T", "D"));
        }
    }

    #[test]
    fn odd_inputs_do_not_panic() {
        let reversed = ev(date(2019, 6, 13), date(2019, 6, 1), "Backwards");
        let svg = render(&[reversed], None, "t", "T", "D");
        assert!(svg.contains("<title>Backwards — 13 June 2019</title>"));
        assert!(svg.contains("<circle"));

        // All on one day, focus on that day (the whole range), and a focus far away.
        let same: Vec<Mark> =
            (0..4).map(|i| day(2019, 6, 13, &format!("m{i}"), MarkKind::Event)).collect();
        for focus in [
            None,
            Some(Focus { start: date(2019, 6, 13), end: date(2019, 6, 13) }),
            Some(Focus { start: date(1990, 1, 1), end: date(1980, 1, 1) }),
        ] {
            let svg = render(&same, focus, "t", "T", "D");
            assert_eq!(svg.matches("<circle class=\"tl-event\"").count(), 4 + 1);
            assert!(!svg.contains("NaN") && !svg.contains("inf"));
        }

        // The widest possible range, with a focus at one end.
        let extremes = [
            day(-9999, 1, 1, "min", MarkKind::Report),
            ev(Date::MAX, Date::MAX, "max"),
            ev(date(2000, 1, 1), date(2000, 12, 31), "year 2000"),
        ];
        let focus = Some(Focus { start: date(9999, 12, 1), end: Date::MAX });
        let svg = render(&extremes, focus, "t", "T", "D");
        assert!(svg.contains("year 2000 — 2000"));
        assert!(svg.matches("<line").count() < 200);
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }
}
