//! `cdf.png`: the cumulative distribution of each path's net return, so that any threshold
//! can be read off ("how likely is it that I end up below -$50k?"), with the share at zero
//! (the share of trials in which staying put does at least as well) written on each curve.

use plotters::prelude::*;

use super::axes::{Axes, Chart, clip_x, draw_axes, padded_range, plot_pixel, vertical_line};
use super::bars::x_range;
use super::frame::{Frame, LegendEntry, Mark, draw_frame};
use super::text::{self, Style, TOP_LEFT};
use super::{ChartError, LEGEND_SIZE, ZERO_LINE, path_colour, render_png};
use crate::report::format::{money_compact, percent, percent_tick};
use crate::report::paths::compared_paths;
use crate::stats::summary::{Bin, ScenarioSummary};

/// Renders the empirical CDF of net return of every non-baseline path.
///
/// The x axis spans the shared histogram's bins (about the 0.5th to 99.5th percentile), so
/// that the curves are not squeezed by the extremes; curves are cut at its edges.
///
/// # Errors
/// A [`ChartError`] if drawing or encoding fails.
pub fn cdf_png(summary: &ScenarioSummary) -> Result<Vec<u8>, ChartError> {
    let paths: Vec<_> = compared_paths(summary).collect();
    let x = if paths.iter().all(|p| p.histogram.is_empty()) {
        let values = paths.iter().flat_map(|p| p.cdf.iter().map(|&(v, _)| v));
        padded_range(values.chain([0.0]), 0.02)
    } else {
        let histograms: Vec<&[Bin]> = paths.iter().map(|p| p.histogram.as_slice()).collect();
        x_range(&histograms)
    };

    let legend = paths
        .iter()
        .map(|p| LegendEntry {
            mark: Mark::Line(path_colour(summary, &p.key)),
            label: p.label.clone(),
        })
        .collect();
    let frame = Frame {
        scenario: summary.name.clone(),
        title: "cumulative distribution of net return".to_string(),
        subtitle: "Height of a curve at x: share of trials whose net return versus staying put \
                   is x or less."
            .to_string(),
        highlight: None,
        legend,
        note: Some(
            "Where a curve crosses the zero line: the share of trials in which the path does \
             no better than staying put."
                .to_string(),
        ),
    };

    render_png(|root| {
        let area = draw_frame(root, &frame)?;
        let mut chart = draw_axes(
            &area,
            &Axes {
                x: x.clone(),
                y: 0.0..1.0,
                x_desc: "Net return versus staying put (today's dollars)",
                y_desc: "Share of trials at or below x",
                x_fmt: &money_compact,
                y_fmt: &percent_tick,
            },
        )?;
        vertical_line(&mut chart, 0.0, ZERO_LINE.stroke_width(2), false)?;
        let mut at_zero = Vec::new();
        for p in &paths {
            let colour = path_colour(summary, &p.key);
            let points: Vec<(f64, f64)> = p
                .cdf
                .iter()
                .copied()
                .filter(|(v, s)| v.is_finite() && s.is_finite())
                .map(|(v, s)| (v, s.clamp(0.0, 1.0)))
                .collect();
            let clipped = clip_x(&points, x.start, x.end);
            chart.draw_series(LineSeries::new(clipped, colour.stroke_width(3)))?;
            if let Some(share) = share_at(&points, 0.0) {
                at_zero.push(AtZero {
                    curve: share,
                    text: format!("{}  {}", percent(1.0 - p.prob_beats_baseline), p.label),
                    colour,
                });
            }
        }
        for dot in &at_zero {
            chart.draw_series(std::iter::once(Circle::new(
                (0.0, dot.curve),
                7,
                dot.colour.filled(),
            )))?;
        }
        draw_zero_box(&chart, &at_zero)
    })
}

/// Where a curve crosses the zero line, and its line in the box of shares at zero.
struct AtZero {
    /// Height of the curve at zero (where its dot goes).
    curve: f64,
    /// "38%  ML master's", the share reported for the path and its label.
    text: String,
    /// The path's colour.
    colour: RGBColor,
}

/// Writes the share of trials at or below zero of every path in a box placed where no curve
/// can be: right of zero below the lowest crossing (curves only rise to the right), or else
/// left of zero above the highest crossing; the bottom-right corner if neither fits.
fn draw_zero_box(chart: &Chart, rows: &[AtZero]) -> Result<(), ChartError> {
    if rows.is_empty() {
        return Ok(());
    }
    let header = "At or below $0 (no better than staying put):";
    let head_style = Style::new(LEGEND_SIZE).colour(RGBColor(60, 60, 60));
    let row_style = Style::new(LEGEND_SIZE).bold();
    let line = LEGEND_SIZE as i32 + 10;
    let (pad, margin) = (10, 12);
    let mut width = text::measure(header, head_style)?.0;
    for row in rows {
        width = width.max(text::measure(&row.text, row_style)?.0);
    }
    let (w, h) = (
        width + 2 * pad,
        line * (rows.len() as i32 + 1) + 2 * pad - 6,
    );

    let plot = chart.plotting_area().strip_coord_spec();
    let (pw, ph) = plot.dim_in_pixel();
    let (pw, ph) = (pw as i32, ph as i32);
    let lowest = rows.iter().map(|r| r.curve).fold(f64::INFINITY, f64::min);
    let highest = rows
        .iter()
        .map(|r| r.curve)
        .fold(f64::NEG_INFINITY, f64::max);
    let (zero_x, low_y) = plot_pixel(chart, 0.0, lowest);
    let (_, high_y) = plot_pixel(chart, 0.0, highest);
    let below_right = pw - zero_x - 2 * margin >= w && ph - low_y - 2 * margin >= h;
    let above_left = zero_x - 2 * margin >= w && high_y - 2 * margin >= h;
    let (left, top) = if below_right || !above_left {
        (pw - margin - w, ph - margin - h)
    } else {
        (margin, margin)
    };
    plot.draw(&Rectangle::new(
        [(left, top), (left + w, top + h)],
        WHITE.mix(0.9).filled(),
    ))?;
    plot.draw(&Rectangle::new(
        [(left, top), (left + w, top + h)],
        RGBColor(200, 200, 200).stroke_width(1),
    ))?;
    text::draw(
        &plot,
        header,
        (left + pad, top + pad),
        TOP_LEFT,
        head_style,
        false,
    )?;
    for (i, row) in rows.iter().enumerate() {
        let y = top + pad + line * (i as i32 + 1);
        text::draw(
            &plot,
            &row.text,
            (left + pad, y),
            TOP_LEFT,
            row_style.colour(row.colour),
            false,
        )?;
    }
    Ok(())
}

/// The CDF's value at `x` by linear interpolation between its points (0 before the first,
/// 1 after the last); `None` without points.
fn share_at(points: &[(f64, f64)], x: f64) -> Option<f64> {
    let first = points.first()?;
    let last = points.last()?;
    if x < first.0 {
        return Some(0.0);
    }
    if x >= last.0 {
        return Some(1.0);
    }
    let i = points.partition_point(|&(v, _)| v <= x);
    let (x0, y0) = points[i - 1];
    let (x1, y1) = points[i];
    Some(if x1 > x0 {
        y0 + (x - x0) / (x1 - x0) * (y1 - y0)
    } else {
        y1
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_at_interpolates() {
        let cdf = [(-10.0, 0.1), (10.0, 0.9)];
        assert_eq!(share_at(&cdf, 0.0), Some(0.5));
        assert_eq!(share_at(&cdf, -20.0), Some(0.0));
        assert_eq!(share_at(&cdf, 20.0), Some(1.0));
        assert_eq!(share_at(&[], 0.0), None);
    }
}
