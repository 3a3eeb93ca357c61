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

mod draw;
mod layout;
mod scale;
#[cfg(test)]
mod tests;

use std::fmt::Write as _;

use jiff::civil::Date;

use self::draw::{axis_line, esc, legend, mark, num};
use self::layout::{items, place, text_width};
use self::scale::{date_of, describe, normalize, plan_scale, ticks};

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
            "<svg role=\"group\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {} {}\" \
                class=\"timeline-chart\" xmlns=\"http://www.w3.org/2000/svg\" \
                font-family=\"system-ui, sans-serif\" font-size=\"{FONT}\">",
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
            "<text class=\"tl-label\" x=\"{}\" y=\"34.0\" text-anchor=\"middle\" \
                fill=\"currentColor\">No dated items</text>",
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
        let mut caption = describe(date_of(f.d0), date_of(f.d1 - 1));
        if f.expanded {
            caption.push_str(", expanded");
        }
        let w = text_width(&caption);
        // Centred over the band, but kept inside the viewBox (`max`/`min`: `clamp` could panic).
        let cx = f64::midpoint(x0, x1).min(WIDTH - 4.0 - w / 2.0).max(4.0 + w / 2.0);
        out.push_str("<g class=\"tl-focus\">\n");
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"currentColor\" \
                fill-opacity=\"0.07\"/>",
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
