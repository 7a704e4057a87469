//! `outcomes_<path>.png`: a path's histogram of net return, stacked by how each life turned
//! out (took a job in the new field, declined the offer, not placed, dropped out), so that a
//! distribution with two humps explains itself.

use plotters::prelude::*;

use super::axes::{Axes, draw_axes, vertical_line};
use super::bars::{bars, bin_width, histogram_note, label_cut_bars, share_axis, x_range, y_top};
use super::frame::{Frame, LegendEntry, Mark, render_framed};
use super::{ChartError, PALETTE, PLOT_HEIGHT, ZERO_LINE};
use crate::report::format::{money, percent_tick};
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
    let (rows, shares): (Vec<&OutcomeRow>, Vec<String>) =
        crate::report::paths::outcomes(summary, &path.key)
            .into_iter()
            .unzip();
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
        .zip(shares)
        .filter(|((r, _), _)| r.trials > 0)
        .map(|((r, colour), share)| LegendEntry {
            mark: Mark::Solid(colour, BAR_ALPHA),
            label: outcome_words(r.outcome).to_string(),
            detail: format!(" ({share}, median {})", money(r.p50)),
        })
        .collect();
    let mut note = histogram_note("", false);
    if cut {
        note.push_str(
            " A bar cut at the top is labelled with its share; its colours are in proportion \
             within it, not to the axis.",
        );
    }
    let frame = Frame {
        scenario: summary.name.clone(),
        title: format!("how lives turn out, {}", path.label),
        subtitle: format!(
            "Net return versus staying put ({}), stacked by what happened in each life.",
            baseline_label(summary)
        ),
        highlight: None,
        legend,
        note: Some(note),
        credit: super::frame::credit(summary),
    };
    let png = render_framed(&frame, PLOT_HEIGHT, |area| {
        let mut chart = draw_axes(
            area,
            &Axes {
                x: x.clone(),
                y: 0.0..top,
                x_desc: "Net return versus staying put (today's dollars)",
                y_desc: &share_axis(bin_width(&[&stacked])),
                x_fmt: &money,
                y_fmt: &percent_tick,
                panel: false,
                categories: 0,
                max_x_ticks: 0,
                y_label_width: 0,
            },
        )?;
        let hists: Vec<&[Bin]> = rows.iter().map(|r| r.histogram.as_slice()).collect();
        for ((segments, r), colour) in stack(&hists, &stacked, top).iter().zip(&rows).zip(COLOURS) {
            let rects = segments
                .iter()
                .zip(&r.histogram)
                .zip(&stacked)
                .filter(|((_, b), _)| b.count > 0)
                .map(|((&(y0, y1), _), edges)| {
                    Rectangle::new(
                        [(edges.lower, y0), (edges.upper, y1)],
                        colour.mix(BAR_ALPHA).filled(),
                    )
                });
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

/// Where each outcome's part of each bin is drawn: `(bottom, top)` in shares of all trials,
/// per outcome (in the order given, from the bottom of the stack) and bin, for the bins of
/// `stacked` (their sum). A bin taller than `top`, the top of the plot, is shrunk to it,
/// every outcome by the same factor: what a cut bar is made of stays visible (a cut bar of
/// failures shows its dropouts, not only whatever lies at its bottom); its label gives its
/// real share. An outcome whose histogram has other bins gets nothing (`(0, 0)` each).
fn stack(hists: &[&[Bin]], stacked: &[Bin], top: f64) -> Vec<Vec<(f64, f64)>> {
    let total = stacked.iter().map(|b| b.count).sum::<u64>().max(1) as f64;
    // A trial's height in each bin.
    let scale: Vec<f64> = stacked
        .iter()
        .map(|b| {
            let share = b.count as f64 / total;
            if share > top {
                top / share / total
            } else {
                1.0 / total
            }
        })
        .collect();
    let mut below = vec![0u64; stacked.len()];
    hists
        .iter()
        .map(|h| {
            if h.len() != stacked.len() {
                return vec![(0.0, 0.0); stacked.len()];
            }
            h.iter()
                .zip(below.iter_mut().zip(&scale))
                .map(|(b, (under, &k))| {
                    let y0 = *under as f64 * k;
                    *under += b.count;
                    (y0.min(top), (*under as f64 * k).min(top))
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bins(counts: &[u64]) -> Vec<Bin> {
        counts
            .iter()
            .enumerate()
            .map(|(i, &count)| Bin {
                lower: i as f64,
                upper: i as f64 + 1.0,
                count,
            })
            .collect()
    }

    #[test]
    fn a_cut_bar_keeps_every_outcome_in_proportion() {
        // 1,000 trials: bin 1 holds 600 (10 placed, 60 declined, 170 not placed, 360 dropped
        // out) and bin 0 holds 400 placed, both above a plot top of 0.1.
        let outcomes = [
            bins(&[400, 10]),
            bins(&[0, 60]),
            bins(&[0, 170]),
            bins(&[0, 360]),
        ];
        let hists: Vec<&[Bin]> = outcomes.iter().map(Vec::as_slice).collect();
        let stacked = bins(&[400, 600]);
        let top = 0.1;
        let s = stack(&hists, &stacked, top);
        // A cut bin of one outcome fills the plot's height.
        assert_eq!(s[0][0], (0.0, 0.1));
        // The cut bin: shrunk by 0.1 / 0.6, every part visible and in proportion, the
        // dropouts on top reaching the top of the plot.
        let k = 0.1 / 0.6 / 1000.0;
        let want = [(0.0, 10.0), (10.0, 70.0), (70.0, 240.0), (240.0, 600.0)];
        for (o, (a, b)) in want.iter().enumerate() {
            let (y0, y1) = s[o][1];
            assert!(
                (y0 - a * k).abs() < 1e-12 && (y1 - b * k).abs() < 1e-12,
                "{o}: {:?}",
                s[o][1]
            );
        }
        assert!((s[3][1].1 - top).abs() < 1e-12);
        // Without a cut, the stack is the shares themselves.
        let s = stack(&hists, &stacked, 1.0);
        assert!((s[3][1].0 - 0.24).abs() < 1e-12 && (s[3][1].1 - 0.6).abs() < 1e-12);
    }
}
