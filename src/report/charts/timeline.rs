//! `timeline.png`: a fan chart of cumulative net return by age, showing when a path pays
//! back its costs and how wide the spread of outcomes becomes.

use plotters::prelude::*;

use super::axes::{Axes, draw_axes, horizontal_line, padded_range};
use super::frame::{Frame, LegendEntry, Mark, draw_frame};
use super::{ChartError, FILL_ALPHA, ZERO_LINE, path_colour, render_png};
use crate::report::format::money_compact;
use crate::report::paths::compared_paths;
use crate::stats::summary::{ScenarioSummary, TimelinePoint};

/// Opacity of a band: lower than a histogram's because bands overlap over many years.
const BAND_ALPHA: f64 = FILL_ALPHA * 0.55;

/// Renders the median and p10-p90 band of cumulative net return by age, per non-baseline
/// path.
///
/// # Errors
/// A [`ChartError`] if drawing or encoding fails.
pub fn timeline_png(summary: &ScenarioSummary) -> Result<Vec<u8>, ChartError> {
    let paths: Vec<_> = compared_paths(summary).collect();
    let points = || paths.iter().flat_map(|p| p.timeline.iter());
    let x = padded_range(points().map(|t| f64::from(t.age)), 0.01);
    let y = padded_range(points().flat_map(|t| [t.p10, t.p90]).chain([0.0]), 0.05);

    let mut legend: Vec<LegendEntry> = paths
        .iter()
        .map(|p| LegendEntry {
            mark: Mark::Band(path_colour(summary, &p.key)),
            label: p.label.clone(),
        })
        .collect();
    legend.push(LegendEntry {
        mark: Mark::Line(ZERO_LINE),
        label: "staying put".to_string(),
    });
    let frame = Frame {
        scenario: summary.name.clone(),
        title: "cumulative net return by age".to_string(),
        subtitle: "Discounted gain over staying put accumulated by the end of each year; it \
                   ends at the lifetime net return."
            .to_string(),
        highlight: None,
        legend,
        note: Some(
            "Line: the median of the lives at each age, a pointwise median, not one life's path. \
             Band: their 10th to 90th percentile."
                .to_string(),
        ),
    };

    render_png(|root| {
        let area = draw_frame(root, &frame)?;
        let mut chart = draw_axes(
            &area,
            &Axes {
                x: x.clone(),
                y: y.clone(),
                x_desc: "Age",
                y_desc: "Cumulative net return (today's dollars)",
                x_fmt: &whole_year,
                y_fmt: &money_compact,
            },
        )?;
        horizontal_line(&mut chart, 0.0, ZERO_LINE.stroke_width(1))?;
        // Layer by layer (bands, then their edges, then medians), so that no path's band
        // dims another path's lines.
        for p in &paths {
            let colour = path_colour(summary, &p.key);
            let mut band = series(&p.timeline, |t| t.p10);
            band.extend(series(&p.timeline, |t| t.p90).into_iter().rev());
            chart.draw_series(std::iter::once(Polygon::new(
                band,
                colour.mix(BAND_ALPHA).filled(),
            )))?;
        }
        for p in &paths {
            let colour = path_colour(summary, &p.key);
            for edge in [
                series(&p.timeline, |t| t.p10),
                series(&p.timeline, |t| t.p90),
            ] {
                chart.draw_series(LineSeries::new(edge, colour.mix(0.8).stroke_width(1)))?;
            }
        }
        for p in &paths {
            let colour = path_colour(summary, &p.key);
            chart.draw_series(LineSeries::new(
                series(&p.timeline, |t| t.p50),
                colour.stroke_width(3),
            ))?;
            if let [only] = p.timeline.as_slice() {
                // One year: no band to draw, so show the spread as a bar and the median as a dot.
                let age = f64::from(only.age);
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(age, only.p10), (age, only.p90)],
                    colour.stroke_width(4),
                )))?;
                chart.draw_series(std::iter::once(Circle::new(
                    (age, only.p50),
                    8,
                    colour.filled(),
                )))?;
            }
        }
        Ok(())
    })
}

/// One quantile of a timeline as (age, dollars), skipping non-finite values.
fn series(timeline: &[TimelinePoint], quantile: fn(&TimelinePoint) -> f64) -> Vec<(f64, f64)> {
    timeline
        .iter()
        .filter(|t| quantile(t).is_finite())
        .map(|t| (f64::from(t.age), quantile(t)))
        .collect()
}

/// An age tick: whole numbers only, so that a short range does not repeat a label.
fn whole_year(v: f64) -> String {
    if (v - v.round()).abs() < 1e-6 {
        format!("{:.0}", v.round())
    } else {
        String::new()
    }
}
