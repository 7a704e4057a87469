//! The plot itself: ranges that never collapse, the grid with labelled ticks, reference
//! lines, and clipping (the bitmap backend does not clip to the plot area).

use std::ops::Range;

use plotters::coord::ranged1d::{BoldPoints, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::frame::MUTED;
use super::text::{self, Style};
use super::{AXIS_INK, AXIS_SIZE, Canvas, ChartError, GRID_BOLD, GRID_LIGHT, Ink, TICK_SIZE};

/// The cartesian chart every chart kind draws on.
pub(super) type Chart<'a, 'b> =
    ChartContext<'a, BitMapBackend<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// Number of labelled ticks asked of plotters on the x axis of a full-size plot.
const X_TICKS: usize = 12;
/// Number of labelled ticks asked of plotters on the y axis of a full-size plot.
const Y_TICKS: usize = 7;
/// Tick label size in the panels of a grid of small multiples.
pub(super) const PANEL_TICK_SIZE: f64 = 16.0;

/// Axis ranges, titles and tick formatters of a chart.
pub(super) struct Axes<'f> {
    /// Data range of the x axis.
    pub x: Range<f64>,
    /// Data range of the y axis.
    pub y: Range<f64>,
    /// Title of the x axis.
    pub x_desc: &'f str,
    /// Title of the y axis.
    pub y_desc: &'f str,
    /// Formats an x tick.
    pub x_fmt: &'f dyn Fn(f64) -> String,
    /// Formats a y tick.
    pub y_fmt: &'f dyn Fn(f64) -> String,
    /// A panel of a grid of small multiples: fewer, smaller ticks and narrower margins;
    /// the axis titles (if not empty) are still drawn.
    pub panel: bool,
    /// The number of categories on the x axis, at 0, 1, ...: one tick and grid line each,
    /// none between them (0: a continuous axis).
    pub categories: usize,
    /// At most this many ticks on a continuous x axis (0: the usual number): an axis of
    /// whole numbers (a number of dependents, an age) asks for no more than one a unit, so
    /// that no tick falls between two of them.
    pub max_x_ticks: usize,
    /// The width in pixels of the widest y tick label, when the caller knows it (words on
    /// the y axis of a panel): the label area is widened to hold it (0: the usual width).
    pub y_label_width: i32,
}

/// Builds the plot on `area` and draws its grid, ticks and axis titles.
///
/// plotters draws the grid and tick marks; the tick labels and axis titles are drawn with
/// [`text`] at plotters' own tick positions.
pub(super) fn draw_axes<'a, 'b>(
    area: &'a Canvas<'b>,
    axes: &Axes,
) -> Result<Chart<'a, 'b>, ChartError> {
    let (x_ticks, y_ticks, tick_size) = if axes.panel {
        (5, 5, PANEL_TICK_SIZE)
    } else {
        (X_TICKS, Y_TICKS, TICK_SIZE)
    };
    let x_ticks = if axes.categories > 0 {
        axes.categories
    } else if axes.max_x_ticks > 0 {
        x_ticks.min(axes.max_x_ticks)
    } else {
        x_ticks
    };
    let with_title = |title: &str, size: i32| {
        if title.is_empty() {
            size
        } else {
            size + AXIS_SIZE as i32 + 8
        }
    };
    let (x_area, y_area) = if axes.panel {
        (
            with_title(axes.x_desc, 30),
            with_title(axes.y_desc, 62.max(axes.y_label_width + 14)),
        )
    } else {
        (70, 112)
    };
    let mut chart = ChartBuilder::on(area)
        .margin_top(6)
        .margin_right(14)
        .x_label_area_size(x_area)
        .y_label_area_size(y_area)
        .build_cartesian_2d(axes.x.clone(), axes.y.clone())?;
    chart
        .configure_mesh()
        .x_labels(x_ticks)
        .y_labels(y_ticks)
        .max_light_lines(1)
        .light_line_style(GRID_LIGHT)
        .bold_line_style(GRID_BOLD)
        .axis_style(AXIS_INK.stroke_width(1))
        .set_all_tick_mark_size(6)
        .x_label_formatter(&|_| String::new())
        .y_label_formatter(&|_| String::new())
        .draw()?;

    let origin = area.get_base_pixel();
    let at = |x: f64, y: f64| {
        let (px, py) = chart.backend_coord(&(x, y));
        (px - origin.0, py - origin.1)
    };
    let tick = Style::new(tick_size);
    let spec = chart.as_coord_spec();
    // A label that would touch the one before it is left out (narrow panels, long amounts).
    let mut last_right = i32::MIN;
    for x in spec.x_spec().key_points(BoldPoints(x_ticks)) {
        let (px, py) = at(x, axes.y.start);
        let label = (axes.x_fmt)(x);
        let width = text::measure(&label, tick)?.0;
        if px - width / 2 < last_right + 10 {
            continue;
        }
        last_right = px + width / 2;
        text::draw(
            area,
            &label,
            (px, py + 8),
            (HPos::Center, VPos::Top),
            tick,
            false,
        )?;
    }
    for y in spec.y_spec().key_points(BoldPoints(y_ticks)) {
        let (px, py) = at(axes.x.start, y);
        let label = (axes.y_fmt)(y);
        text::draw(
            area,
            &label,
            (px - 10, py),
            (HPos::Right, VPos::Center),
            tick,
            false,
        )?;
    }
    let desc = Style::new(AXIS_SIZE).colour(MUTED);
    let (left, bottom) = at(axes.x.start, axes.y.start);
    let (right, top) = at(axes.x.end, axes.y.end);
    if !axes.x_desc.is_empty() {
        text::draw(
            area,
            axes.x_desc,
            ((left + right) / 2, bottom + 16 + tick_size as i32),
            (HPos::Center, VPos::Top),
            desc,
            false,
        )?;
    }
    if !axes.y_desc.is_empty() {
        text::draw(
            area,
            axes.y_desc,
            (AXIS_SIZE as i32 / 2 + 2, (top + bottom) / 2),
            (HPos::Center, VPos::Center),
            desc,
            true,
        )?;
    }
    Ok(chart)
}

/// Draws a vertical line across the whole plot at `x` (nothing if `x` is out of range).
pub(super) fn vertical_line(
    chart: &mut Chart,
    x: f64,
    style: ShapeStyle,
    dashed: bool,
) -> Result<(), ChartError> {
    let range = chart.x_range();
    if !(range.start..=range.end).contains(&x) {
        return Ok(());
    }
    let y = chart.y_range();
    let points = vec![(x, y.start), (x, y.end)];
    if dashed {
        chart.draw_series(std::iter::once(DashedPathElement::new(
            points, 10, 6, style,
        )))?;
    } else {
        chart.draw_series(std::iter::once(PathElement::new(points, style)))?;
    }
    Ok(())
}

/// Draws a horizontal line across the whole plot at `y` (nothing if out of range).
pub(super) fn horizontal_line(
    chart: &mut Chart,
    y: f64,
    style: ShapeStyle,
) -> Result<(), ChartError> {
    let range = chart.y_range();
    if !(range.start..=range.end).contains(&y) {
        return Ok(());
    }
    let x = chart.x_range();
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(x.start, y), (x.end, y)],
        style,
    )))?;
    Ok(())
}

/// Draws a polyline in a path's ink (dashed for paths seven to twelve), `width` pixels wide.
pub(super) fn ink_line(
    chart: &mut Chart,
    points: Vec<(f64, f64)>,
    ink: Ink,
    width: u32,
) -> Result<(), ChartError> {
    let style = ink.colour.stroke_width(width);
    if ink.dashed {
        chart.draw_series(std::iter::once(DashedPathElement::new(
            points,
            4 * width + 4,
            2 * width + 2,
            style,
        )))?;
    } else {
        chart.draw_series(std::iter::once(PathElement::new(points, style)))?;
    }
    Ok(())
}

/// A pixel position of the plot in the coordinates of the plot's own area (for labels drawn
/// with [`text`] on `chart.plotting_area().strip_coord_spec()`).
pub(super) fn plot_pixel(chart: &Chart, x: f64, y: f64) -> (i32, i32) {
    let (px, py) = chart.backend_coord(&(x, y));
    let origin = chart.plotting_area().get_base_pixel();
    (px - origin.0, py - origin.1)
}

/// A range covering every finite value, padded by `pad` of its width on each side; never
/// empty (a single value gets a window around it), so that degenerate data still plots.
pub(super) fn padded_range(values: impl IntoIterator<Item = f64>, pad: f64) -> Range<f64> {
    let (lo, hi) = values
        .into_iter()
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    if lo > hi {
        return -1.0..1.0;
    }
    let width = hi - lo;
    if width <= f64::EPSILON * lo.abs().max(1.0) {
        let half = (lo.abs() * 0.1).max(1.0);
        return lo - half..hi + half;
    }
    lo - width * pad..hi + width * pad
}

/// Cuts a polyline (increasing in x) to `lo..=hi` in x, interpolating at the edges, because
/// the bitmap backend does not clip to the plot area.
pub(super) fn clip_x(points: &[(f64, f64)], lo: f64, hi: f64) -> Vec<(f64, f64)> {
    let mut out = Vec::with_capacity(points.len() + 2);
    for (i, &(x, y)) in points.iter().enumerate() {
        if let Some(&(px, py)) = i.checked_sub(1).and_then(|j| points.get(j)) {
            for edge in [lo, hi] {
                if (px < edge && x > edge) || (px > edge && x < edge) {
                    let t = (edge - px) / (x - px);
                    out.push((edge, py + t * (y - py)));
                }
            }
        }
        if (lo..=hi).contains(&x) {
            out.push((x, y));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padded_range_is_never_empty() {
        assert_eq!(padded_range([], 0.1), -1.0..1.0);
        let r = padded_range([5.0, 5.0], 0.1);
        assert!(r.start < 5.0 && r.end > 5.0);
        let r = padded_range([0.0, 10.0, f64::NAN], 0.1);
        assert_eq!(r, -1.0..11.0);
    }

    #[test]
    fn clip_x_interpolates_at_the_edges() {
        let clipped = clip_x(&[(-2.0, 0.0), (0.0, 1.0), (2.0, 2.0)], -1.0, 1.0);
        assert_eq!(clipped, vec![(-1.0, 0.5), (0.0, 1.0), (1.0, 1.5)]);
    }
}
