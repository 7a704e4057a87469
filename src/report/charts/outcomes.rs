//! `outcomes_<path>.png`: a path's histogram of net return, stacked by how each life turned
//! out (took a job in the new field, declined the offer, not placed, dropped out), so that a
//! distribution with two humps explains itself.

use plotters::prelude::*;

use super::axes::{Axes, draw_axes, vertical_line};
use super::bars::{bars, histogram_note, label_cut_bars, x_range, y_top};
use super::frame::{Frame, LegendEntry, Mark, render_framed};
use super::{ChartError, PALETTE, PLOT_HEIGHT, ZERO_LINE};
use crate::report::format::{money, percent, percent_tick};
use crate::report::paths::baseline_label;
use crate::stats::outcomes::{OUTCOMES, OutcomeRow};
use crate::stats::summary::{Bin, PathSummary, ScenarioSummary};

/// Opacity of the stacked bars.
const BAR_ALPHA: f64 = 0.8;

/// The colour of each outcome, in the order of [`OUTCOMES`]: bluish green for a job in the
/// field, orange for an offer declined, reddish purple for not placed, vermillion for a
/// dropout.
const COLOURS: [RGBColor; 4] = [PALETTE[2], PALETTE[1], PALETTE[3], PALETTE[4]];

/// How each outcome reads in a legend or a table.
pub fn outcome_words(outcome: &str) -> &'static str {
    match outcome {
        "placed" => "took a job in the new field",
        "declined" => "declined the offer",
        "not_placed" => "finished, not placed",
        "dropped_out" => "dropped out",
        _ => "other",
    }
}

/// The name of a path's outcome chart.
pub fn outcomes_file_name(path: &str) -> String {
    format!("outcomes_{path}.png")
}

/// Whether `path` gets a chart of its outcomes: the summary holds its groups and histogram.
pub fn has_outcomes(summary: &ScenarioSummary, path: &PathSummary) -> bool {
    !path.histogram.is_empty()
        && summary
            .outcomes
            .iter()
            .any(|r| r.path == path.key && r.trials > 0)
}

/// Renders the histogram of `path`'s net return stacked by outcome; `None` when the summary
/// has no outcome rows for it.
///
/// # Errors
/// A [`ChartError`] if drawing or encoding fails.
pub fn outcomes_png(
    summary: &ScenarioSummary,
    path: &PathSummary,
) -> Result<Option<Vec<u8>>, ChartError> {
    let rows: Vec<&OutcomeRow> = summary
        .outcomes
        .iter()
        .filter(|r| r.path == path.key)
        .collect();
    // Every outcome's histogram has the bins of the path's; their sum is the whole stack.
    let mut stacked: Vec<Bin> = path
        .histogram
        .iter()
        .map(|b| Bin { count: 0, ..*b })
        .collect();
    let bins = stacked.len();
    for r in rows.iter().filter(|r| r.histogram.len() == bins) {
        for (s, b) in stacked.iter_mut().zip(&r.histogram) {
            s.count += b.count;
        }
    }
    let total: u64 = stacked.iter().map(|b| b.count).sum();
    if rows.is_empty() || total == 0 {
        return Ok(None);
    }
    let x = x_range(&[&stacked]);
    let (top, cut) = y_top(&[&stacked]);
    let legend = rows
        .iter()
        .zip(COLOURS)
        .filter(|(r, _)| r.trials > 0)
        .map(|(r, colour)| LegendEntry {
            mark: Mark::Solid(colour, BAR_ALPHA),
            label: outcome_words(r.outcome).to_string(),
            detail: format!(" ({}, median {})", percent(r.share), money(r.p50)),
        })
        .collect();
    let frame = Frame {
        scenario: summary.name.clone(),
        title: format!("how lives turn out, {}", path.label),
        subtitle: format!(
            "Net return versus staying put ({}), stacked by what happened in each life.",
            baseline_label(summary)
        ),
        highlight: None,
        legend,
        note: Some(histogram_note("", cut)),
    };
    let png = render_framed(&frame, PLOT_HEIGHT, |area| {
        let mut chart = draw_axes(
            area,
            &Axes {
                x: x.clone(),
                y: 0.0..top,
                x_desc: "Net return versus staying put (today's dollars)",
                y_desc: "Share of trials",
                x_fmt: &money,
                y_fmt: &percent_tick,
                panel: false,
            },
        )?;
        // Stack the outcomes bin by bin, in the order of OUTCOMES from the bottom.
        let mut base = vec![0u64; stacked.len()];
        for (r, colour) in rows.iter().zip(COLOURS) {
            if r.histogram.len() != base.len() {
                continue;
            }
            let rects: Vec<_> = r
                .histogram
                .iter()
                .zip(&stacked)
                .zip(base.iter_mut())
                .filter(|((b, _), _)| b.count > 0)
                .map(|((b, edges), below)| {
                    let y0 = *below as f64 / total as f64;
                    *below += b.count;
                    let y1 = *below as f64 / total as f64;
                    Rectangle::new(
                        [(edges.lower, y0.min(top)), (edges.upper, y1.min(top))],
                        colour.mix(BAR_ALPHA).filled(),
                    )
                })
                .collect();
            chart.draw_series(rects)?;
        }
        vertical_line(&mut chart, 0.0, ZERO_LINE.stroke_width(2), false)?;
        let totals = bars(&stacked, (x.end - x.start) / 200.0);
        label_cut_bars(&chart, &[(&totals, RGBColor(40, 40, 40))], top)?;
        Ok(())
    })?;
    debug_assert_eq!(OUTCOMES.len(), COLOURS.len());
    Ok(Some(png))
}
