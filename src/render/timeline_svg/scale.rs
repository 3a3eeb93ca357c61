//! The date axis: day numbers, the piecewise-linear [`Scale`] from days to x (expanding the
//! focus), the ticks of each part, and the dates written in captions and tooltips.

use jiff::Span;
use jiff::civil::Date;

use super::layout::text_width;
use super::{
    BREAK_GAP, MIN_TICK_SPACING, PLOT_LEFT, PLOT_RIGHT, SHARE_AFTER, SHARE_BEFORE, SHARE_ONE_SIDE,
    TICK_LABEL_GAP, WIDTH,
};

/// 1970-01-01, day number 0.
const EPOCH: Date = Date::constant(1970, 1, 1);

/// Days since 1970-01-01 (negative before it): the scale's unit, day `n` covering `[n, n + 1)`.
pub(super) fn day_number(date: Date) -> i64 {
    // Any two dates jiff represents are a representable number of days apart.
    EPOCH.until(date).map_or(0, |span| i64::from(span.get_days()))
}

/// The date of day number `n`, clamped to the dates jiff represents.
pub(super) fn date_of(n: i64) -> Date {
    Span::new().try_days(n).and_then(|span| EPOCH.checked_add(span)).unwrap_or(if n < 0 {
        Date::MIN
    } else {
        Date::MAX
    })
}

/// The day number of 1 January of year `y`; for a year outside jiff's range, a day before or
/// after every day drawn.
pub(super) fn jan_first(y: i64) -> i64 {
    match i16::try_from(y).ok().and_then(|y| Date::new(y, 1, 1).ok()) {
        Some(date) => day_number(date),
        None if y < 0 => i64::MIN,
        None => i64::MAX,
    }
}

/// A span as inclusive day numbers; an end before the start counts as the start alone.
pub(super) fn normalize(start: Date, end: Date) -> (i64, i64) {
    let (a, b) = (day_number(start), day_number(end));
    (a, b.max(a))
}

/// "13 June 2019", "May 2017", "2019", "10–12 June 2019", "28 May – 3 June 2019", …
pub(super) fn describe(s: Date, e: Date) -> String {
    let month = |d: Date| d.strftime("%B");
    let whole_months = s.day() == 1 && e.day() == e.days_in_month();
    let same_year = s.year() == e.year();
    if s == e {
        format!("{} {} {}", s.day(), month(s), s.year())
    } else if whole_months && same_year && s.month() == 1 && e.month() == 12 {
        format!("{}", s.year())
    } else if whole_months && same_year && s.month() == e.month() {
        format!("{} {}", month(s), s.year())
    } else if whole_months && same_year {
        format!("{} – {} {}", month(s), month(e), s.year())
    } else if whole_months {
        format!("{} {} – {} {}", month(s), s.year(), month(e), e.year())
    } else if same_year && s.month() == e.month() {
        format!("{}–{} {} {}", s.day(), e.day(), month(s), s.year())
    } else if same_year {
        format!("{} {} – {} {} {}", s.day(), month(s), e.day(), month(e), s.year())
    } else {
        format!("{} {} {} – {} {} {}", s.day(), month(s), s.year(), e.day(), month(e), e.year())
    }
}

/// One linear piece of the scale: days `[d0, d1)` onto `[x0, x1]`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Seg {
    pub(super) d0: i64,
    pub(super) d1: i64,
    pub(super) x0: f64,
    pub(super) x1: f64,
}

impl Seg {
    pub(super) fn at(&self, t: f64) -> f64 {
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
pub(super) struct Scale {
    pub(super) segs: Vec<Seg>,
}

impl Scale {
    /// x of the instant `t`; at a break, the start of the later part.
    pub(super) fn x(&self, t: f64) -> f64 {
        self.segs
            .iter()
            .find(|s| t < s.d1 as f64)
            .or(self.segs.last())
            .map_or(PLOT_LEFT, |s| s.at(t))
    }

    /// x of the instant `t`; at a break, the end of the earlier part.
    pub(super) fn x_end(&self, t: f64) -> f64 {
        self.segs
            .iter()
            .find(|s| t <= s.d1 as f64)
            .or(self.segs.last())
            .map_or(PLOT_LEFT, |s| s.at(t))
    }
}

/// The focus as drawn: clipped to the data.
#[derive(Debug, Clone, Copy)]
pub(super) struct FocusSpan {
    /// First day.
    pub(super) d0: i64,
    /// Day after the last.
    pub(super) d1: i64,
    /// Whether some other part of the axis is compressed relative to it.
    pub(super) expanded: bool,
    /// Whether it covers all the data.
    pub(super) whole: bool,
}

#[derive(Debug, Clone)]
pub(super) struct Plan {
    pub(super) scale: Scale,
    pub(super) focus: Option<FocusSpan>,
}

/// Lays out days `[lo, hi)` (with `lo < hi`) across the plot, expanding `focus` (inclusive days).
pub(super) fn plan_scale(lo: i64, hi: i64, focus: Option<(i64, i64)>) -> Plan {
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

/// A tick on the axis.
#[derive(Debug, Clone)]
pub(super) struct Tick {
    pub(super) x: f64,
    pub(super) label: String,
    /// Whether the label has room.
    pub(super) shown: bool,
}

/// Ticks for each part of the scale, as fine as its density allows: days, months or years.
pub(super) fn ticks(scale: &Scale) -> Vec<Tick> {
    let mut out = Vec::new();
    for seg in &scale.segs {
        let days = seg.d1 - seg.d0;
        if days <= 0 {
            continue;
        }
        let density = (seg.x1 - seg.x0) / days as f64;
        if density >= MIN_TICK_SPACING {
            for d in seg.d0..seg.d1 {
                let date = date_of(d);
                let label = format!("{} {}", date.day(), date.strftime("%b"));
                out.push(Tick { x: scale.x(d as f64 + 0.5), label, shown: false });
            }
        } else if density * 30.0 >= MIN_TICK_SPACING {
            let mut month = date_of(seg.d0).first_of_month();
            loop {
                let d = day_number(month);
                if d >= seg.d1 {
                    break;
                }
                if d >= seg.d0 {
                    let label = format!("{} {}", month.strftime("%b"), month.year());
                    out.push(Tick { x: scale.x(d as f64), label, shown: false });
                }
                let Ok(next) = month.checked_add(Span::new().months(1)) else { break };
                month = next;
            }
        } else {
            let steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000];
            let step = steps
                .into_iter()
                .find(|&s| density * 365.25 * s as f64 >= MIN_TICK_SPACING / 2.0)
                .unwrap_or(10_000);
            let first = i64::from(date_of(seg.d0).year());
            let mut y = first.div_euclid(step) * step;
            loop {
                let d = jan_first(y);
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
