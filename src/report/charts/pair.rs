//! `<a>_vs_<b>.png`: the per-trial difference between two paths' net returns, with the
//! bars coloured by which path comes out ahead and the share of lives in which a does written
//! on it.

use plotters::prelude::*;

use super::axes::{Axes, draw_axes, vertical_line};
use super::bars::{
    Bar, bars, bin_width, draw_bars, histogram_note, label_cut_bars, share_axis, x_range, y_top,
};
use super::frame::{Frame, LegendEntry, Mark, render_framed};
use super::text::{self, Style};
use super::{AXIS_SIZE, ChartError, PLOT_HEIGHT, WIDTH, ZERO_LINE, path_colour};
use crate::report::format::{money, percent, percent_tick};
use crate::report::paths::label_of;
use crate::stats::summary::{PairSummary, ScenarioSummary};

/// Opacity of the pair chart's bars: one histogram, so they can be nearly solid.
const BAR_ALPHA: f64 = 0.8;

/// Renders the histogram of the paired difference (a minus b) of `pair`.
///
/// # Errors
/// A [`ChartError`] if drawing or encoding fails.
pub fn pair_png(summary: &ScenarioSummary, pair: &PairSummary) -> Result<Vec<u8>, ChartError> {
    let (label_a, label_b) = (label_of(summary, &pair.a), label_of(summary, &pair.b));
    let (colour_a, colour_b) = (path_colour(summary, &pair.a), path_colour(summary, &pair.b));
    let x = x_range(&[&pair.histogram]);
    let (top, cut) = y_top(&[&pair.histogram]);
    let (behind, ahead) = split_at_zero(&bars(&pair.histogram, (x.end - x.start) / 200.0));

    let frame = Frame {
        scenario: summary.name.clone(),
        title: format!("{label_a} vs {label_b}"),
        subtitle: format!(
            "Net return of {label_a} minus that of {label_b} in the same trial; median difference {}.",
            money(pair.p50_diff)
        ),
        highlight: Some((
            format!(
                "{label_a} comes out ahead in {} of lives",
                percent(pair.prob_a_beats_b)
            ),
            RGBColor(20, 20, 20),
        )),
        legend: vec![
            LegendEntry::new(Mark::Solid(colour_a, BAR_ALPHA), format!("{label_a} ahead")),
            LegendEntry::new(Mark::Solid(colour_b, BAR_ALPHA), format!("{label_b} ahead")),
            LegendEntry::new(Mark::Dashed(super::AXIS_INK), "median difference"),
        ],
        note: Some(histogram_note(" of the difference", cut)),
        credit: super::frame::credit(summary),
    };

    // The axis title must fit under the plot (labels can be long).
    let x_desc = text::fit_with_tail(
        &format!("{label_a} minus {label_b}"),
        " (today's dollars)",
        Style::new(AXIS_SIZE),
        WIDTH as i32 - 260,
    )?;
    render_framed(&frame, PLOT_HEIGHT, |area| {
        let mut chart = draw_axes(
            area,
            &Axes {
                x: x.clone(),
                y: 0.0..top,
                x_desc: &x_desc,
                y_desc: &share_axis(bin_width(&[&pair.histogram])),
                x_fmt: &money,
                y_fmt: &percent_tick,
                panel: false,
                categories: 0,
                max_x_ticks: 0,
                y_label_width: 0,
            },
        )?;
        draw_bars(&mut chart, &ahead, colour_a, BAR_ALPHA, top)?;
        draw_bars(&mut chart, &behind, colour_b, BAR_ALPHA, top)?;
        vertical_line(&mut chart, 0.0, ZERO_LINE.stroke_width(2), false)?;
        vertical_line(
            &mut chart,
            pair.p50_diff,
            super::AXIS_INK.stroke_width(3),
            true,
        )?;
        label_cut_bars(&chart, &[(&ahead, colour_a), (&behind, colour_b)], top)
    })
}

/// Splits bars into the parts below and above zero (a bar across zero is cut in two of the
/// same height), so that each side gets the colour of the path ahead there.
fn split_at_zero(bars: &[Bar]) -> (Vec<Bar>, Vec<Bar>) {
    let mut below = Vec::new();
    let mut above = Vec::new();
    for &bar in bars {
        if bar.upper <= 0.0 {
            below.push(bar);
        } else if bar.lower >= 0.0 {
            above.push(bar);
        } else {
            below.push(Bar { upper: 0.0, ..bar });
            above.push(Bar { lower: 0.0, ..bar });
        }
    }
    (below, above)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bar_across_zero_is_split() {
        let bar = Bar {
            lower: -10.0,
            upper: 30.0,
            share: 0.2,
        };
        let (below, above) = split_at_zero(&[bar]);
        assert_eq!(below[0].upper, 0.0);
        assert_eq!(above[0].lower, 0.0);
        assert_eq!(below[0].share, above[0].share);
    }
}
