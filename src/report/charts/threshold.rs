//! `threshold.png`: a threshold's search as a picture. Each value the search tried is a point
//! at its figure (the share of lives ahead, or the median or mean gain), with its 95%
//! interval as a whisker. The points are not joined: between two values far apart the search
//! did not look, and a straight line there would be a guess (the median at the assumed
//! discount rate can lie far from the line between the range's ends). The target
//! is a dashed line; where the figure crosses it, a vertical line marks the crossing and a
//! band its 95% range (the values at which the trials run cannot tell the figure from the
//! target). The search tries more values near the crossing, so the points crowd there.

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{Axes, Chart, draw_axes, padded_range, plot_pixel, vertical_line};
use super::frame::{Frame, LegendEntry, MUTED, Mark, render_framed};
use super::sweep::number_tick;
use super::{ChartError, FILL_ALPHA, Ink, PALETTE, PLOT_HEIGHT, ZERO_LINE, text};
use crate::report::format::{money, percent_tick};
use crate::scenario::questions::Metric;
use crate::threshold::{End, ThresholdResult, sig3_toward, target_words, value_words};

/// The line of the scenario's own value: grey, apart from the path's colour and the black
/// target and crossing.
const ASSUMED: RGBColor = RGBColor(120, 120, 120);

/// Renders `threshold.png` for a threshold's answer.
///
/// # Errors
/// A [`ChartError`] if drawing or encoding fails.
pub fn threshold_png(t: &ThresholdResult) -> Result<Vec<u8>, ChartError> {
    let q = &t.question;
    let share = q.metric == Metric::ProbBeats;
    let ink = Ink {
        colour: PALETTE[0],
        dashed: false,
    };
    let (lo, hi) = (q.from.min(q.to), q.from.max(q.to));
    let x = padded_range([lo, hi], 0.03);
    let y = if share {
        0.0..1.0
    } else {
        padded_range(
            t.tried
                .iter()
                .flat_map(|e| [e.metric, e.ci.0, e.ci.1])
                .chain([q.target]),
            0.06,
        )
    };
    let key = crate::text::upper_first(&t.key_words);
    let at = |v: f64| value_words(v, t.unit);
    let highlight = match &t.crossing {
        Some(c) => (
            format!(
                "{key}: {} or {}",
                at(sig3_toward(c.value, c.rising)),
                if c.rising { "more" } else { "less" }
            ),
            ink.colour,
        ),
        None => (no_crossing(t), MUTED),
    };
    let mut legend = vec![
        LegendEntry::new(
            Mark::Whisker(ink.colour),
            format!("{}: each value tried, with its 95% interval", t.path_label),
        ),
        LegendEntry::new(
            Mark::Dashed(ZERO_LINE),
            format!("target: {}", target_words(q.metric, q.target)),
        ),
    ];
    if let Some(range) = t.range_words() {
        legend.push(LegendEntry::new(
            Mark::Solid(ink.colour, FILL_ALPHA),
            format!("the crossing's 95% range: {range}"),
        ));
    }
    // The scenario's own value, where it falls in the range searched: how far the answer
    // is from what the person assumed.
    let assumed = t.assumed_value.filter(|v| (lo..=hi).contains(v));
    if let Some(v) = assumed {
        let what = if t
            .assumed
            .as_deref()
            .is_some_and(|a| a.contains("on average"))
        {
            "on average"
        } else {
            ""
        };
        legend.push(LegendEntry::new(
            Mark::Dashed(ASSUMED),
            format!("what the scenario assumes: {} {what}", at(v))
                .trim_end()
                .to_string(),
        ));
    }
    // Short enough to run along the plot's side; the subtitle says what it is against.
    let figure = match q.metric {
        Metric::ProbBeats => "Share of lives ahead".to_string(),
        _ => crate::text::upper_first(&format!("{} gain", t.metric_name())),
    };
    let frame = Frame {
        scenario: t.scenario.clone(),
        title: format!("what {} would have to be", t.key_words),
        subtitle: format!(
            "When {} {}: each point is the same {} (seed {}), with only this value changed.",
            t.path_label,
            t.goal_words(),
            crate::text::lives(t.trials),
            t.seed,
        ),
        highlight: Some(highlight),
        legend,
        note: Some(if t.crossing.is_some() {
            "The search tries more values near the crossing. Within the band, the trials run \
             cannot tell the figure from the target: more trials narrow it."
                .to_string()
        } else {
            "The figure is on the same side of the target at both ends of the range, so the \
             search looked no further: it could still cross and cross back in between."
                .to_string()
        }),
        credit: format!("worthit {}", env!("CARGO_PKG_VERSION")),
    };
    render_framed(&frame, PLOT_HEIGHT, |area| {
        let fmt_x = |v: f64| number_tick(v, t.unit);
        let x_desc = format!("{key} ({})", q.key);
        let mut chart = draw_axes(
            area,
            &Axes {
                x: x.clone(),
                y: y.clone(),
                x_desc: &x_desc,
                y_desc: &figure,
                x_fmt: &fmt_x,
                y_fmt: if share { &percent_tick } else { &money },
                panel: false,
                categories: 0,
                max_x_ticks: 0,
                y_label_width: 0,
            },
        )?;
        if let Some(c) = &t.crossing {
            let end = |e: End| match e {
                End::At(v) => v.clamp(lo, hi),
                End::Below => lo,
                End::Above => hi,
            };
            let (a, b) = (end(c.range.0), end(c.range.1));
            chart.draw_series(std::iter::once(Rectangle::new(
                [(a, y.start), (b, y.end)],
                ink.colour.mix(FILL_ALPHA).filled(),
            )))?;
            vertical_line(&mut chart, c.value, ZERO_LINE.stroke_width(2), false)?;
        }
        chart.draw_series(std::iter::once(DashedPathElement::new(
            vec![(x.start, q.target), (x.end, q.target)],
            10,
            6,
            ZERO_LINE.stroke_width(2),
        )))?;
        if let Some(v) = assumed {
            vertical_line(&mut chart, v, ASSUMED.stroke_width(2), true)?;
        }
        whiskers(&mut chart, t, ink, &y)?;
        let pts: Vec<(f64, f64)> = t
            .tried
            .iter()
            .map(|e| (e.value, e.metric))
            .filter(|(_, m)| m.is_finite())
            .collect();
        chart.draw_series(pts.iter().map(|p| Circle::new(*p, 6, ink.colour.filled())))?;
        if let Some(c) = &t.crossing {
            // Beside the band, not over it.
            let right = match c.range.1 {
                End::At(v) => v.clamp(c.value, hi),
                End::Below => c.value,
                End::Above => hi,
            };
            let (px, _) = plot_pixel(&chart, right, y.end);
            text::boxed(
                &chart.plotting_area().strip_coord_spec(),
                &at(sig3_toward(c.value, c.rising)),
                (px + 8, 10),
                (HPos::Left, VPos::Top),
                ZERO_LINE,
                super::TICK_SIZE,
            )?;
        }
        Ok(())
    })
}

/// The highlight of a chart without a crossing: on which side of the target the figure is at
/// both ends, as the sentence says it, so that the picture read alone is not taken for an
/// answer either way.
fn no_crossing(t: &ThresholdResult) -> String {
    let q = &t.question;
    let (lo, hi) = (q.from.min(q.to), q.from.max(q.to));
    let ends = |joint: &str| {
        format!(
            "{} {joint} {}",
            value_words(lo, t.unit),
            value_words(hi, t.unit)
        )
    };
    let reached = |e: &crate::threshold::Evaluation| e.metric >= q.target;
    match (reached(&t.at_from), reached(&t.at_to)) {
        (true, true) => format!("Target reached at both ends, {}: no crossing", ends("and")),
        (false, false) => format!(
            "Target reached at neither end, {}: no crossing",
            ends("nor")
        ),
        _ => format!("No crossing found between {}", ends("and")),
    }
}

/// Each value's 95% interval, a vertical whisker with caps, cut to the plot (the interval of
/// a median of few lives can be unbounded).
fn whiskers(
    chart: &mut Chart,
    t: &ThresholdResult,
    ink: Ink,
    y: &std::ops::Range<f64>,
) -> Result<(), ChartError> {
    let style = ink.colour.stroke_width(2);
    for e in &t.tried {
        let (a, b) = (e.ci.0.max(y.start), e.ci.1.min(y.end));
        // Nothing to draw for an interval wholly outside the plot (or not a number).
        if a.partial_cmp(&b).is_none_or(|o| o.is_gt()) {
            continue;
        }
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(e.value, a), (e.value, b)],
            style,
        )))?;
        // Caps 10 pixels wide, where the interval ends inside the plot.
        for (end, inside) in [(a, e.ci.0 >= y.start), (b, e.ci.1 <= y.end)] {
            if inside {
                let (px, py) = plot_pixel(chart, e.value, end);
                chart
                    .plotting_area()
                    .strip_coord_spec()
                    .draw(&PathElement::new(vec![(px - 5, py), (px + 5, py)], style))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::no_crossing;
    use crate::scenario::questions::Metric;
    use crate::threshold::fixture::result;

    #[test]
    fn a_chart_without_a_crossing_says_on_which_side_both_ends_are() {
        let r = result(Metric::ProbBeats, 0.6, (0.2, 0.45), None);
        assert_eq!(
            no_crossing(&r),
            "Target reached at neither end, 10% nor 90%: no crossing"
        );
        let r = result(Metric::Median, 0.0, (5_000.0, 90_000.0), None);
        assert_eq!(
            no_crossing(&r),
            "Target reached at both ends, 10% and 90%: no crossing"
        );
    }
}
