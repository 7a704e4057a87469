//! `timeline.png`: cumulative net return by age, one panel per path on shared axes (small
//! multiples), showing when a path pays back its costs and how wide the spread of outcomes
//! becomes.
//!
//! One fan chart per path: overlaid, several paths' bands turned into a muddy stack in
//! which the zero line of staying put disappeared. In its own panel each path's bands are
//! clear, the zero line is drawn over them, and the other paths' medians stay in the
//! background in grey for comparison.

use plotters::prelude::*;

use super::axes::{Axes, Chart, draw_axes, horizontal_line, ink_line, padded_range};
use super::frame::{Frame, LegendEntry, Mark, render_framed};
use super::panels::{PanelTitle, grid_height, panels};
use super::{ChartError, Ink, ZERO_LINE, path_ink};
use crate::report::format::{money, percent};
use crate::report::paths::{compared_paths, median_ahead_from};
use crate::stats::summary::{PathSummary, ScenarioSummary, TimelinePoint};

/// Opacity of the 10th-90th percentile band.
const OUTER_ALPHA: f64 = 0.16;
/// Opacity of the 25th-75th percentile band.
const INNER_ALPHA: f64 = 0.34;
/// The other paths' medians, in the background.
const OTHERS: RGBColor = RGBColor(190, 190, 190);
/// The legend's neutral colour for what every panel shows in the path's own colour.
const NEUTRAL: RGBColor = RGBColor(80, 80, 80);

/// Renders a panel per non-baseline path: the median, the 25th-75th and 10th-90th
/// percentile bands of cumulative net return by age, the zero line (staying put) and the
/// other paths' medians.
///
/// # Errors
/// A [`ChartError`] if drawing or encoding fails.
pub fn timeline_png(summary: &ScenarioSummary) -> Result<Vec<u8>, ChartError> {
    let paths: Vec<&PathSummary> = compared_paths(summary).collect();
    let points = || paths.iter().flat_map(|p| p.timeline.iter());
    let x = padded_range(points().map(|t| f64::from(t.age)), 0.01);
    let y = padded_range(points().flat_map(|t| [t.p10, t.p90]).chain([0.0]), 0.05);

    let mut legend = vec![
        LegendEntry::new(
            Mark::Line(Ink {
                colour: NEUTRAL,
                dashed: false,
            }),
            "median",
        ),
        LegendEntry::new(Mark::Solid(NEUTRAL, INNER_ALPHA), "25th to 75th percentile"),
        LegendEntry::new(Mark::Solid(NEUTRAL, OUTER_ALPHA), "10th to 90th percentile"),
        LegendEntry::new(
            Mark::Line(Ink {
                colour: ZERO_LINE,
                dashed: false,
            }),
            "staying put",
        ),
    ];
    if paths.len() > 1 {
        legend.push(LegendEntry::new(
            Mark::Line(Ink {
                colour: OTHERS,
                dashed: false,
            }),
            "the other paths' medians",
        ));
    }
    let frame = Frame {
        scenario: summary.name.clone(),
        title: "cumulative net return by age".to_string(),
        subtitle: "Discounted gain over staying put accumulated by the end of each year, one \
                   panel per path on the same axes; it ends at the lifetime net return."
            .to_string(),
        highlight: None,
        legend,
        note: Some(
            "Line: the median of the lives at each age, not one life's path; a dot marks where \
             it stays at or above zero. Break-even: the age from which a life stays at or above \
             zero for good; half of the lives that break even do so by the age given."
                .to_string(),
        ),
        credit: super::frame::credit(summary),
    };
    let titles: Vec<PanelTitle> = if paths.is_empty() {
        vec![PanelTitle {
            label: "No path to compare with staying put".to_string(),
            detail: String::new(),
            colour: NEUTRAL,
        }]
    } else {
        paths
            .iter()
            .map(|p| PanelTitle {
                label: p.label.clone(),
                detail: panel_detail(summary, p),
                colour: path_ink(summary, &p.key).colour,
            })
            .collect()
    };

    render_framed(&frame, grid_height(titles.len()), |area| {
        let cells = panels(
            area,
            &titles,
            "Age",
            "Cumulative net return (today's dollars)",
        )?;
        if paths.is_empty() {
            for cell in &cells {
                let mut chart = draw_axes(cell, &axes(&x, &y))?;
                horizontal_line(&mut chart, 0.0, ZERO_LINE.stroke_width(2))?;
            }
        }
        for (cell, path) in cells.iter().zip(&paths) {
            let mut chart = draw_axes(cell, &axes(&x, &y))?;
            draw_panel(&mut chart, summary, &paths, path)?;
        }
        Ok(())
    })
}

/// What a panel says under its path's name: how many lives break even and by when half of
/// those do, and from what age the median line is ahead (a reader takes the median
/// break-even age for that crossing, which can come a decade later).
fn panel_detail(summary: &ScenarioSummary, p: &PathSummary) -> String {
    if p.same_as_baseline() {
        return "worth what staying put is in every life".into();
    }
    let Some(t) = p.breakeven_p50_years_if_ever else {
        return "never breaks even".to_string();
    };
    let by = f64::from(summary.age) + t;
    let share = if p.prob_no_breakeven <= 0.0 {
        format!("every life breaks even, half by {by:.0}")
    } else {
        format!(
            "{} break even, half of them by {by:.0}",
            percent(1.0 - p.prob_no_breakeven)
        )
    };
    match median_ahead_from(p) {
        Some(ahead) => format!("{share} · median ahead from {}", ahead.age),
        None => format!("{share} · median ends behind"),
    }
}

/// The axes of every panel: shared ranges, small ticks, no titles (they are shared too).
fn axes<'f>(x: &std::ops::Range<f64>, y: &std::ops::Range<f64>) -> Axes<'f> {
    Axes {
        x: x.clone(),
        y: y.clone(),
        x_desc: "",
        y_desc: "",
        x_fmt: &whole_year,
        y_fmt: &money,
        panel: true,
        categories: 0,
        max_x_ticks: 0,
        y_label_width: 0,
    }
}

/// One path's panel: the other paths' medians behind, its bands, the zero line over them,
/// its median on top.
fn draw_panel(
    chart: &mut Chart,
    summary: &ScenarioSummary,
    paths: &[&PathSummary],
    path: &PathSummary,
) -> Result<(), ChartError> {
    for other in paths.iter().filter(|o| o.key != path.key) {
        chart.draw_series(LineSeries::new(
            series(&other.timeline, |t| t.p50),
            OTHERS.stroke_width(2),
        ))?;
    }
    let ink = path_ink(summary, &path.key);
    type Quantile = fn(&TimelinePoint) -> f64;
    let bands: [(Quantile, Quantile, f64); 2] = [
        (|t| t.p10, |t| t.p90, OUTER_ALPHA),
        (|t| t.p25, |t| t.p75, INNER_ALPHA),
    ];
    for (low, high, alpha) in bands {
        let mut band = series(&path.timeline, low);
        band.extend(series(&path.timeline, high).into_iter().rev());
        chart.draw_series(std::iter::once(Polygon::new(
            band,
            ink.colour.mix(alpha).filled(),
        )))?;
    }
    horizontal_line(chart, 0.0, ZERO_LINE.stroke_width(2))?;
    ink_line(chart, series(&path.timeline, |t| t.p50), ink, 3)?;
    if let Some(at) = crossing(path) {
        // Where the median line crosses zero for good, ringed in white to stand off the
        // lines it sits on.
        chart.draw_series([
            Circle::new(at, 7, WHITE.filled()),
            Circle::new(at, 5, ink.colour.filled()),
        ])?;
    }
    if let [only] = path.timeline.as_slice() {
        // One year: no band to draw, so show the spread as a bar and the median as a dot.
        let age = f64::from(only.age);
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(age, only.p10), (age, only.p90)],
            ink.colour.stroke_width(4),
        )))?;
        chart.draw_series(std::iter::once(Circle::new(
            (age, only.p50),
            8,
            ink.colour.filled(),
        )))?;
    }
    Ok(())
}

/// The point at which a path's median line crosses zero for good, as the chart draws the
/// line (straight between ages): between the last age behind and the first ahead, or the
/// first age's median when it is never behind; `None` when it ends behind, or for a single
/// year (drawn as a dot of its own).
fn crossing(path: &PathSummary) -> Option<(f64, f64)> {
    let ahead = median_ahead_from(path).filter(|_| path.timeline.len() > 1)?;
    let i = path.timeline.iter().position(|t| std::ptr::eq(t, ahead))?;
    let at = |t: &TimelinePoint| (f64::from(t.age), t.p50);
    Some(match i.checked_sub(1).map(|j| &path.timeline[j]) {
        // y0 < 0 <= y1: the line's zero between them (a median that is not a number
        // leaves no line there: the dot goes on the first age ahead).
        Some(behind) if behind.p50.is_finite() => {
            let ((x0, y0), (x1, y1)) = (at(behind), at(ahead));
            (x0 + (x1 - x0) * (-y0 / (y1 - y0)), 0.0)
        }
        _ => at(ahead),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn point(year: u32, p50: f64) -> TimelinePoint {
        crate::report::fixture::flat_point(year, 30 + year, p50)
    }

    #[test]
    fn a_panel_says_when_lives_break_even_and_when_the_median_does() {
        let mut summary = crate::report::fixture::realistic();
        summary.age = 30;
        let mut p = summary.paths[1].clone();
        p.prob_no_breakeven = 0.44;
        p.breakeven_p50_years_if_ever = Some(6.0);
        p.timeline = vec![
            point(0, -9.0),
            point(6, -4.0),
            point(17, 1.0),
            point(18, 2.0),
        ];
        assert_eq!(
            panel_detail(&summary, &p),
            "56% break even, half of them by 36 · median ahead from 47"
        );
        p.timeline = vec![point(0, -9.0), point(1, -4.0)];
        assert_eq!(
            panel_detail(&summary, &p),
            "56% break even, half of them by 36 · median ends behind"
        );
        p.prob_no_breakeven = 0.0;
        p.timeline = vec![point(0, -9.0), point(6, 0.0)];
        assert_eq!(
            panel_detail(&summary, &p),
            "every life breaks even, half by 36 · median ahead from 36"
        );
        p.breakeven_p50_years_if_ever = None;
        p.prob_no_breakeven = 1.0;
        assert_eq!(panel_detail(&summary, &p), "never breaks even");
    }

    #[test]
    fn the_dot_sits_where_the_median_line_crosses_zero() {
        let mut p = crate::report::fixture::realistic().paths[1].clone();
        // -3 at 46, +1 at 47: the line is at zero three quarters of the way.
        p.timeline = vec![point(16, -3.0), point(17, 1.0), point(18, 2.0)];
        assert_eq!(crossing(&p), Some((46.75, 0.0)));
        // Never behind: its first point.
        p.timeline = vec![point(0, 4.0), point(1, 5.0)];
        assert_eq!(crossing(&p), Some((30.0, 4.0)));
        // Ends behind, or one year alone: no dot.
        p.timeline = vec![point(0, 4.0), point(1, -5.0)];
        assert_eq!(crossing(&p), None);
        p.timeline = vec![point(0, 4.0)];
        assert_eq!(crossing(&p), None);
    }
}
