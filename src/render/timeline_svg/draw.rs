//! SVG text for the parts of the chart: the legend, axis lines, each mark as a link, and the
//! number and text formatting every coordinate and label goes through.

use std::fmt::Write as _;

use pulldown_cmark_escape::{escape_href, escape_html};

use super::layout::{Item, text_width};
use super::{BAR_H, BAR_RX, MarkKind, NUM_FONT, PLOT_LEFT, R};

pub(super) fn legend(out: &mut String, bars: bool) {
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
        "<rect class=\"tl-report\" x=\"{}\" y=\"{}\" width=\"{s}\" height=\"{s}\" fill=\"none\" \
            stroke=\"currentColor\" stroke-width=\"1.5\"/>",
        num(x + 0.5),
        num(y - R + 0.5),
        s = num(2.0 * R - 1.0)
    );
    legend_text(out, &mut x, y, "Report");
    if bars {
        let _ = writeln!(
            out,
            "<rect class=\"tl-event\" x=\"{}\" y=\"{}\" width=\"18.0\" height=\"{}\" rx=\"{}\" \
                fill=\"currentColor\"/>",
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
pub(super) fn legend_text(out: &mut String, x: &mut f64, y: f64, text: &str) {
    let _ = writeln!(
        out,
        "<text class=\"tl-label\" x=\"{}\" y=\"{}\" fill=\"currentColor\">{}</text>",
        num(*x + 2.0 * R + 5.0),
        num(y + 3.5),
        esc(text)
    );
    *x += 2.0 * R + 5.0 + text_width(text) + 16.0;
}

pub(super) fn axis_line(out: &mut String, a: f64, b: f64, y: f64) {
    let _ = writeln!(
        out,
        "<line x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\"/>",
        num(a),
        num(b),
        y = num(y)
    );
}

/// One mark: a link holding its tooltip, its shape and, for a numbered event, its number.
pub(super) fn mark(out: &mut String, item: &Item<'_>, axis: f64) {
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
                    "<text class=\"tl-num\" x=\"{}\" y=\"{}\" text-anchor=\"middle\" \
                        font-size=\"{NUM_FONT}\" font-weight=\"700\">{n}</text>",
                    num(item.cx),
                    num(cy + NUM_FONT * 0.36)
                );
            }
        }
        (MarkKind::Event, true) => {
            let _ = write!(
                out,
                "<rect class=\"tl-event\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{r}\" \
                    fill=\"currentColor\"/>",
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
                "<rect class=\"tl-report\" x=\"{}\" y=\"{}\" width=\"{s}\" height=\"{s}\" \
                    fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\"/>",
                num(item.cx - R + 0.5),
                num(cy - R + 0.5),
                s = num(2.0 * R - 1.0)
            );
        }
        (MarkKind::Report, true) => {
            let _ = write!(
                out,
                "<rect class=\"tl-report\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" \
                    fill=\"none\" stroke=\"currentColor\" stroke-width=\"1.5\"/>",
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
pub(super) fn num(v: f64) -> String {
    if !v.is_finite() {
        return "0.0".to_string();
    }
    let s = format!("{v:.1}");
    if s == "-0.0" { "0.0".to_string() } else { s }
}

/// Text or attribute value, HTML-escaped.
pub(super) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let _ = escape_html(&mut out, s);
    out
}
