//! `tornado_<path>.png`: which uncertainties decide a path. One bar per uncertainty, the
//! twelve that explain most of the variance of the net return, most important on top: the bar
//! runs from the mean net return with the uncertainty at its low end to the mean at its high
//! end, around the overall mean, and its share of the variance is written beside it.

use plotters::coord::ranged1d::{BoldPoints, Ranged};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{Chart, padded_range, plot_pixel, vertical_line};
use super::frame::{Frame, LegendEntry, MUTED, Mark, render_framed};
use super::text::{self, Style};
use super::{
    AXIS_INK, AXIS_SIZE, ChartError, GRID_BOLD, GRID_LIGHT, Ink, PALETTE, TICK_SIZE, WIDTH,
    ZERO_LINE,
};
use crate::report::format::money;
use crate::report::paths::baseline_label;
use crate::stats::sensitivity::SensitivityRow;
use crate::stats::summary::{PathSummary, ScenarioSummary};

/// Uncertainties shown.
pub const SHOWN: usize = 12;
/// Colour of the part of a bar towards the low end (vermillion).
const LOW: RGBColor = PALETTE[4];
/// Colour of the part of a bar towards the high end (blue).
const HIGH: RGBColor = PALETTE[0];
/// Opacity of the bars.
const BAR_ALPHA: f64 = 0.85;
/// Labelled ticks asked of plotters on the x axis.
const X_TICKS: usize = 10;

/// The name of a path's tornado chart.
pub fn tornado_file_name(path: &str) -> String {
    format!("tornado_{path}.png")
}

/// The most important uncertainties of `path`, most important first.
pub fn top_rows<'a>(summary: &'a ScenarioSummary, path: &str) -> Vec<&'a SensitivityRow> {
    let mut rows = crate::report::paths::deciding(summary, path);
    rows.truncate(SHOWN);
    rows
}

/// Whether `path` gets a tornado chart: something uncertain moved its net return.
pub fn has_tornado(summary: &ScenarioSummary, path: &str) -> bool {
    summary.sensitivity.iter().any(|r| r.path == path)
}

/// A share of the variance for a label: `41%`, `2.5%`, `<0.1%`.
pub fn share_label(share: f64) -> String {
    if share >= 0.095 {
        format!("{:.0}%", share * 100.0)
    } else if share >= 0.001 {
        format!("{:.1}%", share * 100.0)
    } else {
        "<0.1%".to_string()
    }
}

/// Renders the tornado chart of `path`; `None` when nothing uncertain moves its net return
/// (every candidate took one value, or the net return never varied).
///
/// # Errors
/// A [`ChartError`] if drawing or encoding fails.
pub fn tornado_png(
    summary: &ScenarioSummary,
    path: &PathSummary,
) -> Result<Option<Vec<u8>>, ChartError> {
    let rows = top_rows(summary, &path.key);
    if rows.is_empty() {
        return Ok(None);
    }
    let mean = path.net.mean;
    let x = padded_range(
        rows.iter()
            .flat_map(|r| [r.low_mean, r.high_mean])
            .chain([mean, 0.0]),
        0.04,
    );
    let n = rows.len();
    let frame = Frame {
        scenario: summary.name.clone(),
        title: format!("what decides {}", path.label),
        subtitle: "Mean net return with each uncertainty at its low or its high end; beside each \
                   bar, the share of the variance it explains alone."
            .to_string(),
        highlight: None,
        legend: vec![
            LegendEntry::new(
                Mark::Solid(LOW, BAR_ALPHA),
                "lowest tenth (an event: does not happen)",
            ),
            LegendEntry::new(
                Mark::Solid(HIGH, BAR_ALPHA),
                "highest tenth (an event: happens)",
            ),
            // The bars swing about the mean, which a few large wins can carry far above
            // the typical life: the median and the odds beside it keep that in view.
            LegendEntry::new(
                Mark::Dashed(AXIS_INK),
                format!(
                    "mean {}; median {}, ahead in {}",
                    money(mean),
                    money(path.net.q.p50),
                    crate::report::format::percent(path.prob_beats_baseline)
                ),
            ),
            LegendEntry::new(
                Mark::Line(Ink {
                    colour: ZERO_LINE,
                    dashed: false,
                }),
                baseline_label(summary),
            ),
        ],
        note: Some(format!(
            "Shares overlap (a promotion needs a job in the field first) and need not add up \
             to 100%.{}",
            if rows.iter().any(|r| r.input == "role") {
                " The role landed: its worst and best role, or none."
            } else {
                ""
            }
        )),
        credit: super::frame::credit(summary),
    };
    let label_style = Style::new(TICK_SIZE);
    let widest = rows
        .iter()
        .map(|r| text::measure(&r.label, label_style).map(|(w, _)| w))
        .collect::<Result<Vec<i32>, _>>()?
        .into_iter()
        .max()
        .unwrap_or(0);
    let label_width = (widest + 24).min(WIDTH as i32 * 2 / 5);

    // A row of about 38 pixels per bar, and the x axis below.
    let plot_height = (38 * n as u32 + 96).max(400);
    let png = render_framed(&frame, plot_height, |area| {
        let mut chart = ChartBuilder::on(area)
            .margin_top(6)
            .margin_right(84)
            .x_label_area_size(70)
            .y_label_area_size(label_width as u32)
            .build_cartesian_2d(x.clone(), -0.6..n as f64 - 0.4)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_labels(X_TICKS)
            .max_light_lines(1)
            .light_line_style(GRID_LIGHT)
            .bold_line_style(GRID_BOLD)
            .axis_style(AXIS_INK.stroke_width(1))
            .set_all_tick_mark_size(6)
            .x_label_formatter(&|_| String::new())
            .draw()?;
        x_ticks(area, &chart)?;
        vertical_line(&mut chart, 0.0, ZERO_LINE.stroke_width(2), false)?;
        let plot = chart.plotting_area().strip_coord_spec();
        let origin = area.get_base_pixel();
        let plot_origin = chart.plotting_area().get_base_pixel();
        for (i, r) in rows.iter().enumerate() {
            // The most important on top.
            let y = (n - 1 - i) as f64;
            for (end, colour) in [(r.low_mean, LOW), (r.high_mean, HIGH)] {
                if end.is_finite() {
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [(mean.min(end), y - 0.34), (mean.max(end), y + 0.34)],
                        colour.mix(BAR_ALPHA).filled(),
                    )))?;
                }
            }
            let right = [r.low_mean, r.high_mean, mean]
                .into_iter()
                .filter(|v| v.is_finite())
                .fold(f64::NEG_INFINITY, f64::max);
            let (px, py) = plot_pixel(&chart, right, y);
            text::draw(
                &plot,
                &share_label(r.importance),
                (px + 8, py),
                (HPos::Left, VPos::Center),
                Style::new(TICK_SIZE).bold(),
                false,
            )?;
            // The label, right-aligned against the plot, in the area's own pixels.
            let label = fit(&r.label, label_style, label_width - 20)?;
            text::draw(
                area,
                &label,
                (plot_origin.0 - origin.0 - 12, py + plot_origin.1 - origin.1),
                (HPos::Right, VPos::Center),
                label_style,
                false,
            )?;
        }
        vertical_line(&mut chart, mean, AXIS_INK.stroke_width(2), true)?;
        Ok(())
    })?;
    Ok(Some(png))
}

/// The x axis's tick labels and title, at plotters' tick positions (as `axes::draw_axes`).
fn x_ticks(area: &super::Canvas, chart: &Chart) -> Result<(), ChartError> {
    let origin = area.get_base_pixel();
    let (xr, yr) = (chart.x_range(), chart.y_range());
    let at = |x: f64, y: f64| {
        let (px, py) = chart.backend_coord(&(x, y));
        (px - origin.0, py - origin.1)
    };
    for x in chart
        .as_coord_spec()
        .x_spec()
        .key_points(BoldPoints(X_TICKS))
    {
        let (px, py) = at(x, yr.start);
        text::draw(
            area,
            &money(x),
            (px, py + 10),
            (HPos::Center, VPos::Top),
            Style::new(TICK_SIZE),
            false,
        )?;
    }
    let (left, bottom) = at(xr.start, yr.start);
    let (right, _) = at(xr.end, yr.start);
    text::draw(
        area,
        "Mean net return versus staying put (today's dollars)",
        ((left + right) / 2, bottom + 18 + TICK_SIZE as i32),
        (HPos::Center, VPos::Top),
        Style::new(AXIS_SIZE).colour(MUTED),
        false,
    )
}

/// `label`, cut with an ellipsis to fit `width` pixels.
fn fit(label: &str, style: Style, width: i32) -> Result<String, ChartError> {
    if text::measure(label, style)?.0 <= width {
        return Ok(label.to_string());
    }
    let mut chars: Vec<char> = label.chars().collect();
    while chars.pop().is_some() {
        let cut = format!("{}…", chars.iter().collect::<String>());
        if text::measure(&cut, style)?.0 <= width {
            return Ok(cut);
        }
    }
    Ok(String::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_read_as_percentages() {
        assert_eq!(share_label(0.41), "41%");
        assert_eq!(share_label(0.095), "10%");
        assert_eq!(share_label(0.025), "2.5%");
        assert_eq!(share_label(0.0004), "<0.1%");
    }
}
