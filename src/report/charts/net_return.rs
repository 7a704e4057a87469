//! `net_return.png`: the distribution of each path's lifetime net return, with each median
//! marked and the zero line of staying put: overlaid for a few paths, one panel per path on
//! shared axes (small multiples) for many, where a dozen overlaid histograms would be mud.

use plotters::prelude::*;

use super::axes::{Axes, Chart, draw_axes, vertical_line};
use super::bars::{
    Bar, bars, bin_width, draw_bars, draw_outline, histogram_note, label_cut_bars, share_axis,
    x_range, y_top,
};
use super::frame::{Frame, LegendEntry, Mark, render_framed};
use super::panels::{PanelTitle, grid_height, panels};
use super::{ChartError, FILL_ALPHA, Ink, MANY_PATHS, PLOT_HEIGHT, ZERO_LINE, path_ink};
use crate::report::format::{money, percent, percent_tick};
use crate::report::paths::{baseline_label, compared_paths};
use crate::stats::summary::{Bin, PathSummary, ScenarioSummary};

/// The x axis title.
const X_TITLE: &str = "Net return versus staying put (today's dollars)";
/// Grey of the legend's median mark.
const MEDIAN_MARK: RGBColor = super::AXIS_INK;

/// Renders the histograms of net return of every non-baseline path (the baseline's is
/// identically 0, which is the zero line): overlaid up to [`MANY_PATHS`] paths, one panel
/// each beyond.
///
/// # Errors
/// A [`ChartError`] if drawing or encoding fails.
pub fn net_return_png(summary: &ScenarioSummary) -> Result<Vec<u8>, ChartError> {
    let paths: Vec<&PathSummary> = compared_paths(summary).collect();
    let histograms: Vec<&[Bin]> = paths.iter().map(|p| p.histogram.as_slice()).collect();
    let x = x_range(&histograms);
    let min_width = (x.end - x.start) / 200.0;
    let (top, cut) = y_top(&histograms);
    let y_title = share_axis(bin_width(&histograms));
    let path_bars: Vec<(Ink, Vec<Bar>)> = paths
        .iter()
        .map(|p| (path_ink(summary, &p.key), bars(&p.histogram, min_width)))
        .collect();
    let baseline = baseline_label(summary);
    let subtitle = format!(
        "Net present value of each path minus staying put ({baseline}); the zero line is \
         staying put."
    );
    let axes = |x_desc: &'static str, panel: bool| Axes {
        x: x.clone(),
        y: 0.0..top,
        x_desc,
        y_desc: if panel { "" } else { &y_title },
        x_fmt: &money,
        y_fmt: &percent_tick,
        panel,
        categories: 0,
        max_x_ticks: 0,
        y_label_width: 0,
    };

    if paths.len() > MANY_PATHS {
        let frame = Frame {
            scenario: summary.name.clone(),
            title: "lifetime net return".to_string(),
            subtitle: format!(
                "{subtitle} One panel per path, on the same axes; under each name, the median \
                 and the share of lives ahead of staying put."
            ),
            highlight: None,
            legend: vec![
                LegendEntry::new(Mark::Dashed(MEDIAN_MARK), "median (in the path's colour)"),
                LegendEntry::new(
                    Mark::Line(Ink {
                        colour: ZERO_LINE,
                        dashed: false,
                    }),
                    "staying put ($0)",
                ),
            ],
            note: Some(histogram_note("", cut)),
            credit: super::frame::credit(summary),
        };
        let titles: Vec<PanelTitle> = paths
            .iter()
            .map(|p| PanelTitle {
                label: p.label.clone(),
                detail: format!(
                    "median {} · ahead in {}",
                    money(p.net.q.p50),
                    percent(p.prob_beats_baseline)
                ),
                colour: path_ink(summary, &p.key).colour,
            })
            .collect();
        return render_framed(&frame, grid_height(titles.len()), |area| {
            let cells = panels(area, &titles, X_TITLE, &y_title)?;
            for ((cell, path), (ink, bars)) in cells.iter().zip(&paths).zip(&path_bars) {
                let mut chart = draw_axes(cell, &axes("", true))?;
                draw_histogram(&mut chart, *ink, bars, top)?;
                vertical_line(&mut chart, 0.0, ZERO_LINE.stroke_width(2), false)?;
                vertical_line(&mut chart, path.net.q.p50, ink.colour.stroke_width(3), true)?;
                label_cut_bars(&chart, &[(bars.as_slice(), ink.colour)], top)?;
            }
            Ok(())
        });
    }

    let mut legend: Vec<LegendEntry> = paths
        .iter()
        .map(|p| LegendEntry {
            mark: Mark::Fill(path_ink(summary, &p.key)),
            label: p.label.clone(),
            detail: format!(
                " (ahead in {}, median {})",
                percent(p.prob_beats_baseline),
                money(p.net.q.p50)
            ),
        })
        .collect();
    legend.push(LegendEntry::new(Mark::Dashed(MEDIAN_MARK), "median"));
    let frame = Frame {
        scenario: summary.name.clone(),
        title: "lifetime net return".to_string(),
        subtitle,
        highlight: None,
        legend,
        note: Some(histogram_note("", cut)),
        credit: super::frame::credit(summary),
    };
    render_framed(&frame, PLOT_HEIGHT, |area| {
        let mut chart = draw_axes(area, &axes(X_TITLE, false))?;
        for (ink, bars) in &path_bars {
            draw_bars(&mut chart, bars, ink.colour, FILL_ALPHA, top)?;
        }
        for (ink, bars) in &path_bars {
            draw_outline(&mut chart, bars, *ink, top)?;
        }
        vertical_line(&mut chart, 0.0, ZERO_LINE.stroke_width(2), false)?;
        for p in &paths {
            let colour = path_ink(summary, &p.key).colour;
            vertical_line(&mut chart, p.net.q.p50, colour.stroke_width(3), true)?;
        }
        let sets: Vec<_> = path_bars
            .iter()
            .map(|(ink, bars)| (bars.as_slice(), ink.colour))
            .collect();
        label_cut_bars(&chart, &sets, top)
    })
}

/// One path's histogram: translucent bars with an outline in its ink.
fn draw_histogram(chart: &mut Chart, ink: Ink, bars: &[Bar], top: f64) -> Result<(), ChartError> {
    draw_bars(chart, bars, ink.colour, FILL_ALPHA * 1.6, top)?;
    draw_outline(chart, bars, ink, top)
}
