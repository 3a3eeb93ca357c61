//! Tests of the timeline chart: the scale, the layout and the SVG drawn.

use super::layout::*;
use super::scale::*;
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
fn day_numbers_count_from_1970_and_round_trip() {
    let mut d = date(1999, 12, 25);
    for _ in 0..800 {
        let n = day_number(d);
        assert_eq!(date_of(n), d);
        let next = d.tomorrow().expect("in range");
        assert_eq!(day_number(next), n + 1);
        d = next;
    }
    assert_eq!(dn(1970, 1, 1), 0);
    assert_eq!(date_of(day_number(Date::MIN)), Date::MIN);
    assert_eq!(date_of(day_number(Date::MAX)), Date::MAX);
    assert_eq!(jan_first(2019), dn(2019, 1, 1));
    assert_eq!((jan_first(-10_000), jan_first(10_000)), (i64::MIN, i64::MAX));
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
            a.x + text_width(&a.label) / 2.0 + TICK_LABEL_GAP <= b.x - text_width(&b.label) / 2.0
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
    let ymd = date;
    assert_eq!(describe(ymd(2019, 6, 13), ymd(2019, 6, 13)), "13 June 2019");
    assert_eq!(describe(ymd(2017, 5, 1), ymd(2017, 5, 31)), "May 2017");
    assert_eq!(describe(ymd(2016, 2, 1), ymd(2016, 2, 29)), "February 2016");
    assert_eq!(describe(ymd(2015, 2, 1), ymd(2015, 2, 27)), "1–27 February 2015");
    assert_eq!(describe(ymd(2019, 1, 1), ymd(2019, 12, 31)), "2019");
    assert_eq!(describe(ymd(2019, 5, 28), ymd(2019, 6, 3)), "28 May – 3 June 2019");
    assert_eq!(describe(ymd(2018, 12, 1), ymd(2019, 1, 31)), "December 2018 – January 2019");
    assert_eq!(describe(ymd(2018, 12, 28), ymd(2019, 1, 3)), "28 December 2018 – 3 January 2019");
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
        state =
            state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % n
    };
    let base = dn(2019, 6, 1);
    for round in 0..300 {
        // Spans from days to millennia, around mid-2019.
        let spread = [3, 40, 400, 4000, 400_000][round % 5];
        let mut pick = |spread: u64| {
            let n = base - spread as i64 / 2 + next(spread) as i64;
            date_of(n)
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
