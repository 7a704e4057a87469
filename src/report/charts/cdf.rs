//! `cdf.png`: the cumulative distribution of each path's net return, so that any threshold
//! can be read off ("how likely is it that I end up below -$50k?"), with the share at zero
//! (the share of trials in which staying put does at least as well) marked on each curve
//! and written in the legend.

use plotters::prelude::*;

use super::axes::{Axes, clip_x, draw_axes, ink_line, padded_range, vertical_line};
use super::bars::x_range;
use super::frame::{Frame, LegendEntry, Mark, render_framed};
use super::{ChartError, PLOT_HEIGHT, ZERO_LINE, path_ink};
use crate::report::format::{money, percent, percent_tick};
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

    // The share of each path at or below zero goes in the legend, not in the plot, where
    // with many paths it would cover the curves.
    let legend = paths
        .iter()
        .map(|p| LegendEntry {
            mark: Mark::Line(path_ink(summary, &p.key)),
            label: p.label.clone(),
            detail: format!(" ({} at or below $0)", percent(1.0 - p.prob_beats_baseline)),
        })
        .collect();
    let frame = Frame {
        scenario: summary.name.clone(),
        title: "cumulative distribution of net return".to_string(),
        subtitle: "Height of a curve at x: share of lives whose net return versus staying put \
                   is x or less."
            .to_string(),
        highlight: None,
        legend,
        note: Some(
            "Dot where a curve crosses the zero line: the share of lives in which the path does \
             no better than staying put (in the legend)."
                .to_string(),
        ),
        credit: super::frame::credit(summary),
    };

    render_framed(&frame, PLOT_HEIGHT, |area| {
        let mut chart = draw_axes(
            area,
            &Axes {
                x: x.clone(),
                y: 0.0..1.0,
                x_desc: "Net return versus staying put (today's dollars)",
                y_desc: "Share of lives at or below x",
                x_fmt: &money,
                y_fmt: &percent_tick,
                panel: false,
                categories: 0,
                max_x_ticks: 0,
                y_label_width: 0,
            },
        )?;
        vertical_line(&mut chart, 0.0, ZERO_LINE.stroke_width(2), false)?;
        let mut dots = Vec::new();
        for p in &paths {
            let ink = path_ink(summary, &p.key);
            let points: Vec<(f64, f64)> = p
                .cdf
                .iter()
                .copied()
                .filter(|(v, s)| v.is_finite() && s.is_finite())
                .map(|(v, s)| (v, s.clamp(0.0, 1.0)))
                .collect();
            ink_line(&mut chart, clip_x(&points, x.start, x.end), ink, 3)?;
            if let Some(share) = share_at(&points, 0.0) {
                dots.push((share, ink.colour));
            }
        }
        for (share, colour) in dots {
            chart.draw_series(std::iter::once(Circle::new(
                (0.0, share),
                6,
                colour.filled(),
            )))?;
        }
        Ok(())
    })
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
