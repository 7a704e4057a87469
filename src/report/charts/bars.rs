//! Histogram bars shared by the net-return and pair charts: shares of trials per bin, a
//! y axis that is not flattened by one tail bin, and bars cut at the top labelled with their
//! real height.

use plotters::prelude::*;

use std::ops::Range;

use super::axes::{Chart, ink_line, padded_range, plot_pixel};
use super::text::{self, Style, TOP_LEFT};
use super::{ChartError, Ink, TICK_SIZE};
use crate::report::format::{money, percent_tick};
use crate::stats::summary::Bin;

/// One histogram bar in data units: `[lower, upper)` and the share of trials in it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Bar {
    /// Left edge, dollars.
    pub lower: f64,
    /// Right edge, dollars.
    pub upper: f64,
    /// Share of all trials in the histogram.
    pub share: f64,
}

/// The non-empty bins of a histogram as shares of its total. Bins with non-finite edges are
/// dropped; a bin narrower than `min_width` (a zero-width bin of degenerate data) is widened
/// around its middle so that it stays visible.
pub(super) fn bars(bins: &[Bin], min_width: f64) -> Vec<Bar> {
    let total: u64 = bins.iter().map(|b| b.count).sum();
    if total == 0 {
        return Vec::new();
    }
    bins.iter()
        .filter(|b| b.count > 0 && b.lower.is_finite() && b.upper.is_finite())
        .map(|b| {
            let (lower, upper) = if b.upper - b.lower < min_width {
                let mid = (b.lower + b.upper) / 2.0;
                (mid - min_width / 2.0, mid + min_width / 2.0)
            } else {
                (b.lower, b.upper)
            };
            Bar {
                lower,
                upper,
                share: b.count as f64 / total as f64,
            }
        })
        .collect()
}

/// The x range of some histograms: every bin edge and zero (the zero line is always shown),
/// padded a little.
pub(super) fn x_range(histograms: &[&[Bin]]) -> Range<f64> {
    let edges = histograms
        .iter()
        .flat_map(|bins| bins.iter().flat_map(|b| [b.lower, b.upper]));
    padded_range(edges.chain([0.0]), 0.02)
}

/// The top of the y axis for some histograms, and whether bars are cut at it.
///
/// One bar can tower over the rest and flatten every other shape: an edge bin (the first and
/// last bins also collect the tails) more than 1.5 times the tallest inner bin, or a spike,
/// a bar more than 3 times the next tallest bar of its path (a path that keeps the current
/// job puts most trials in the bin near zero), or two neighbouring bars each more than 3
/// times the next (a cluster of lives straddling a bin edge: the bootcamp's lives without a
/// new job, at 40% and 16% beside bars of 2%). The axis then stops a little above the
/// tallest bar that is none of these, and the taller bars are cut (and labelled with their
/// share).
pub(super) fn y_top(histograms: &[&[Bin]]) -> (f64, bool) {
    let mut keep = 0.0f64;
    let mut tallest = 0.0f64;
    for bins in histograms {
        let total: u64 = bins.iter().map(|b| b.count).sum();
        if total == 0 {
            continue;
        }
        let share = |b: &Bin| b.count as f64 / total as f64;
        let last = bins.len() - 1;
        let inner = bins
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != 0 && *i != last)
            .map(|(_, b)| share(b))
            .fold(0.0, f64::max);
        let mut order: Vec<usize> = (0..bins.len()).collect();
        order.sort_by(|&x, &y| share(&bins[y]).total_cmp(&share(&bins[x])).then(x.cmp(&y)));
        let nth = |k: usize| order.get(k).map_or(0.0, |&i| share(&bins[i]));
        let (top, second, third) = (nth(0), nth(1), nth(2));
        // The two tallest side by side (one cluster of lives that straddles a bin edge),
        // beside a wide shape that they would flatten: at least ten other bars holding a
        // tenth of the lives (not a coarse hump of a few bins).
        let rest = || order.iter().skip(2).map(|&i| share(&bins[i]));
        let pair = order.len() > 1
            && order[0].abs_diff(order[1]) == 1
            && rest().filter(|&x| x > 0.0).count() >= 10
            && rest().sum::<f64>() >= 0.1;
        let edge = share(&bins[0]).max(share(&bins[last]));
        let candidate = if second > 0.0 && top > 3.0 * second {
            second
        } else if pair && third > 0.0 && second > 3.0 * third {
            third
        } else if inner > 0.0 && edge > 1.5 * inner {
            inner
        } else {
            top
        };
        tallest = tallest.max(top);
        keep = keep.max(candidate);
    }
    if keep > 0.0 && tallest > 1.3 * keep {
        (keep * 1.25, true)
    } else if tallest > 0.0 {
        (tallest * 1.08, false)
    } else {
        (1.0, false)
    }
}

/// Draws bars filled with `colour` at the given opacity, cut at `top`.
pub(super) fn draw_bars(
    chart: &mut Chart,
    bars: &[Bar],
    colour: RGBColor,
    alpha: f64,
    top: f64,
) -> Result<(), ChartError> {
    chart.draw_series(bars.iter().map(|b| {
        Rectangle::new(
            [(b.lower, 0.0), (b.upper, b.share.min(top))],
            colour.mix(alpha).filled(),
        )
    }))?;
    Ok(())
}

/// Draws the outline of a histogram (a step line along the bar tops) in the path's ink, so
/// that overlapping translucent fills can still be told apart.
pub(super) fn draw_outline(
    chart: &mut Chart,
    bars: &[Bar],
    ink: Ink,
    top: f64,
) -> Result<(), ChartError> {
    let mut points = Vec::with_capacity(bars.len() * 4);
    for (i, b) in bars.iter().enumerate() {
        let height = b.share.min(top);
        if i == 0 || bars[i - 1].upper != b.lower {
            points.push((b.lower, 0.0));
        }
        points.push((b.lower, height));
        points.push((b.upper, height));
        if bars.get(i + 1).is_none_or(|next| next.lower != b.upper) {
            points.push((b.upper, 0.0));
        }
    }
    ink_line(chart, points, ink, 2)
}

/// Labels every bar taller than `top` with its real share, just under the top of the plot,
/// for several sets of bars at once (one per path): labels that would overlap (two paths
/// cut in one bin, or in neighbouring bins) are stacked downwards, never drawn over each
/// other.
pub(super) fn label_cut_bars(
    chart: &Chart,
    sets: &[(&[Bar], RGBColor)],
    top: f64,
) -> Result<(), ChartError> {
    let plot = chart.plotting_area().strip_coord_spec();
    let style = Style::new(TICK_SIZE).bold();
    let mut labels = Vec::new();
    for (bars, colour) in sets {
        for b in bars.iter().filter(|b| b.share > top) {
            let (x, y) = plot_pixel(chart, (b.lower + b.upper) / 2.0, top);
            let text = format!("{} ▲", percent_tick(b.share));
            let (w, h) = text::measure(&text, style)?;
            // A break across the bar under its label, as on a broken axis: the bar goes on
            // far beyond the plot, which its height alone would hide.
            let (left, _) = plot_pixel(chart, b.lower, top);
            let (right, _) = plot_pixel(chart, b.upper, top);
            for dy in [h + 20, h + 28] {
                plot.draw(&PathElement::new(
                    vec![(left - 3, y + dy + 3), (right + 3, y + dy - 3)],
                    WHITE.stroke_width(3),
                ))?;
            }
            labels.push(CutLabel {
                x,
                y: y + 8,
                w,
                h,
                text,
                colour: *colour,
            });
        }
    }
    let width = plot.dim_in_pixel().0 as i32;
    for (text, colour, (left, top)) in place_labels(&labels, width) {
        text::boxed(
            &plot,
            text,
            (left, top),
            TOP_LEFT,
            super::readable(colour),
            TICK_SIZE,
        )?;
    }
    Ok(())
}

/// A label of a cut bar: centred on `x`, its top at `y` unless it must move down.
#[derive(Debug, Clone)]
pub(super) struct CutLabel {
    pub x: i32,
    pub y: i32,
    pub w: i32,
    pub h: i32,
    pub text: String,
    pub colour: RGBColor,
}

/// Places labels so that no two boxes (with their padding) overlap: each label, from left
/// to right, takes the highest row at or below its own top where it meets no label already
/// placed. Boxes are kept within `0..width`. Returns each label's text, colour and top-left
/// corner.
pub(super) fn place_labels(labels: &[CutLabel], width: i32) -> Vec<(&str, RGBColor, (i32, i32))> {
    const PAD: i32 = 4;
    let mut order: Vec<&CutLabel> = labels.iter().collect();
    order.sort_by_key(|l| l.x);
    let mut placed: Vec<(i32, i32, i32, i32)> = Vec::new();
    let mut out = Vec::new();
    for l in order {
        let left = (l.x - l.w / 2).min(width - l.w - PAD).max(PAD);
        let mut top = l.y;
        let overlaps = |top: i32, placed: &[(i32, i32, i32, i32)]| {
            placed.iter().any(|&(x0, y0, x1, y1)| {
                left - PAD < x1 && left + l.w + PAD > x0 && top - PAD < y1 && top + l.h + PAD > y0
            })
        };
        while overlaps(top, &placed) {
            top += l.h + 2 * PAD + 2;
        }
        placed.push((left - PAD, top - PAD, left + l.w + PAD, top + l.h + PAD));
        out.push((l.text.as_str(), l.colour, (left, top)));
    }
    out
}

/// The width of the inner bins of some histograms (their bins are of one width but for the
/// first and last, which also hold the tails), or `None` when there is none to tell.
pub(super) fn bin_width(histograms: &[&[Bin]]) -> Option<f64> {
    histograms.iter().find_map(|bins| {
        let inner = if bins.len() > 2 {
            &bins[1..bins.len() - 1]
        } else {
            bins
        };
        inner
            .iter()
            .map(|b| b.upper - b.lower)
            .find(|w| w.is_finite() && *w > 0.0)
    })
}

/// The y axis of a histogram: "Share of lives per $50k bin" (how wide a bar is decides how
/// tall it is: a chart with $100k bins is not comparable bar for bar with one of $50k).
pub(super) fn share_axis(width: Option<f64>) -> String {
    match width {
        Some(w) => format!("Share of lives per {} bin", money(w)),
        None => "Share of lives".to_string(),
    }
}

/// The note under a histogram: what a bar is (`of_what` completes "share of lives per
/// bin"), that the edge bins hold the tails, and how a cut bar reads.
pub(super) fn histogram_note(of_what: &str, cut: bool) -> String {
    let mut note = format!(
        "Bars: share of lives per bin{of_what}. The first and last bins also collect every \
         life beyond them."
    );
    if cut {
        note.push_str(" A bar cut at the top is labelled with its share.");
    }
    note
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bin(lower: f64, upper: f64, count: u64) -> Bin {
        Bin {
            lower,
            upper,
            count,
        }
    }

    #[test]
    fn the_axis_names_the_width_of_the_inner_bins() {
        // Edge bins (which also hold the tails) are not the width.
        let bins = [
            bin(-1e6, -50_000.0, 3),
            bin(-50_000.0, 0.0, 9),
            bin(0.0, 50_000.0, 4),
            bin(50_000.0, 2e6, 1),
        ];
        assert_eq!(bin_width(&[&bins]), Some(50_000.0));
        assert_eq!(
            share_axis(bin_width(&[&bins])),
            "Share of lives per $50k bin"
        );
        assert_eq!(bin_width(&[&bins[..1]]), Some(950_000.0));
        assert_eq!(bin_width(&[&[]]), None);
        assert_eq!(share_axis(None), "Share of lives");
    }

    #[test]
    fn a_towering_tail_bin_is_cut() {
        let bins = [
            bin(0., 1., 50),
            bin(1., 2., 10),
            bin(2., 3., 8),
            bin(3., 4., 2),
        ];
        let (top, cut) = y_top(&[&bins]);
        assert!(cut);
        assert!((top - 10.0 / 70.0 * 1.25).abs() < 1e-12);
    }

    #[test]
    fn a_cluster_across_a_bin_edge_is_cut_as_a_spike_is() {
        // 40 and 16 lives side by side over bars of 2 at most (of 106).
        let counts = [
            2, 1, 40, 16, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1,
        ];
        let bins: Vec<Bin> = counts
            .iter()
            .enumerate()
            .map(|(i, &c)| bin(i as f64, i as f64 + 1.0, c))
            .collect();
        let (top, cut) = y_top(&[&bins]);
        assert!(cut);
        assert!((top - 1.25 * 2.0 / 106.0).abs() < 1e-12, "{top}");
        // Apart, the two are two shapes, not one spike: the axis keeps them.
        let mut apart = bins.clone();
        apart.swap(3, 10);
        let (top, _) = y_top(&[&apart]);
        assert!(top > 0.16, "{top}");
    }

    #[test]
    fn an_ordinary_histogram_is_not_cut() {
        let bins = [
            bin(0., 1., 2),
            bin(1., 2., 10),
            bin(2., 3., 8),
            bin(3., 4., 2),
        ];
        assert!(!y_top(&[&bins]).1);
        let one = [bin(5., 5., 7)];
        assert_eq!(y_top(&[&one]), (1.08, false));
        let widened = bars(&one, 2.0);
        assert_eq!(widened[0].upper - widened[0].lower, 2.0);
    }

    fn label(x: i32, text: &str) -> CutLabel {
        CutLabel {
            x,
            y: 10,
            w: 60,
            h: 20,
            text: text.to_string(),
            colour: RGBColor(0, 0, 0),
        }
    }

    #[test]
    fn labels_of_two_bars_cut_in_one_bin_are_stacked_not_overlaid() {
        let labels = [label(100, "15.3%"), label(100, "61.2%"), label(400, "9%")];
        let placed = place_labels(&labels, 1000);
        let boxes: Vec<(i32, i32)> = placed.iter().map(|(_, _, corner)| *corner).collect();
        assert_eq!(boxes[0], (70, 10));
        assert_eq!(boxes[1].0, 70);
        assert!(boxes[1].1 >= 10 + 20 + 8, "stacked below: {boxes:?}");
        assert_eq!(boxes[2], (370, 10), "a label with room stays at the top");
        // Neighbouring bins whose labels would touch are stacked too.
        let near = [label(100, "a"), label(130, "b")];
        let near = place_labels(&near, 1000);
        assert_ne!(near[0].2.1, near[1].2.1);
        // Labels are kept inside the plot.
        let edge = [label(5, "x")];
        let edge = place_labels(&edge, 1000);
        assert_eq!(edge[0].2.0, 4);
    }
}
