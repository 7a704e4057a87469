//! `net_return.png`: the distribution of each path's lifetime net return, overlaid, with
//! each median marked and the zero line of staying put.

use plotters::prelude::*;

use super::axes::{Axes, draw_axes, vertical_line};
use super::bars::{bars, draw_bars, draw_outline, histogram_note, label_cut_bars, x_range, y_top};
use super::frame::{Frame, LegendEntry, Mark, draw_frame};
use super::{ChartError, FILL_ALPHA, ZERO_LINE, path_colour, render_png};
use crate::report::format::{money_compact, percent_tick};
use crate::report::paths::{baseline_label, compared_paths};
use crate::stats::summary::{Bin, ScenarioSummary};

/// Renders the overlaid histograms of net return of every non-baseline path (the
/// baseline's is identically 0, which is the zero line).
///
/// # Errors
/// A [`ChartError`] if drawing or encoding fails.
pub fn net_return_png(summary: &ScenarioSummary) -> Result<Vec<u8>, ChartError> {
    let paths: Vec<_> = compared_paths(summary).collect();
    let histograms: Vec<&[Bin]> = paths.iter().map(|p| p.histogram.as_slice()).collect();
    let x = x_range(&histograms);
    let min_width = (x.end - x.start) / 200.0;
    let (top, cut) = y_top(&histograms);

    let baseline = baseline_label(summary);
    let mut legend: Vec<LegendEntry> = paths
        .iter()
        .map(|p| LegendEntry {
            mark: Mark::Fill(path_colour(summary, &p.key)),
            label: format!("{} (median {})", p.label, money_compact(p.net.q.p50)),
        })
        .collect();
    legend.push(LegendEntry {
        mark: Mark::Dashed(RGBColor(90, 90, 90)),
        label: "median".to_string(),
    });
    let frame = Frame {
        scenario: summary.name.clone(),
        title: "lifetime net return".to_string(),
        subtitle: format!(
            "Net present value of each path minus staying put ({baseline}); the zero line is staying put."
        ),
        highlight: None,
        legend,
        note: Some(histogram_note("", cut)),
    };

    render_png(|root| {
        let area = draw_frame(root, &frame)?;
        let mut chart = draw_axes(
            &area,
            &Axes {
                x: x.clone(),
                y: 0.0..top,
                x_desc: "Net return versus staying put (today's dollars)",
                y_desc: "Share of trials",
                x_fmt: &money_compact,
                y_fmt: &percent_tick,
            },
        )?;
        let path_bars: Vec<_> = paths
            .iter()
            .map(|p| (path_colour(summary, &p.key), bars(&p.histogram, min_width)))
            .collect();
        for (colour, bars) in &path_bars {
            draw_bars(&mut chart, bars, *colour, FILL_ALPHA, top)?;
        }
        for (colour, bars) in &path_bars {
            draw_outline(&mut chart, bars, *colour, top)?;
        }
        vertical_line(&mut chart, 0.0, ZERO_LINE.stroke_width(2), false)?;
        for p in &paths {
            let colour = path_colour(summary, &p.key);
            vertical_line(&mut chart, p.net.q.p50, colour.stroke_width(3), true)?;
        }
        for (colour, bars) in &path_bars {
            label_cut_bars(&chart, bars, *colour, top)?;
        }
        Ok(())
    })
}
