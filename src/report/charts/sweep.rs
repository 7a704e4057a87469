//! `sweep.png`: what happens to each path as one or two inputs change, every point with the
//! same simulated lives.
//!
//! One key: P(beats staying put) against the key's value, a line per path, the 50% line
//! dashed; below it, the median net return against the same axis, the zero line solid. Two
//! keys: a heatmap per path of P(beats staying put), or of P(beats the `--versus` path), the
//! cells coloured from vermillion (0%) through white (50%) to blue (100%), each cell's share
//! written in it when there is room, and the 50% contour drawn in black.

use crate::text::the;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axes::{
    Axes, Chart, PANEL_TICK_SIZE, draw_axes, horizontal_line, ink_line, padded_range, plot_pixel,
};
use super::frame::{Frame, LegendEntry, Mark, render_framed};
use super::panels::{PanelTitle, grid_height, panels};
use super::text::{self, Style};
use super::{Canvas, ChartError, Ink, PALETTE, PLOT_HEIGHT, SOLID_INKS, ZERO_LINE};
use crate::report::format::{money, percent, percent_tick};
use crate::scenario::questions::Level;
use crate::scenario::schema::{self, Unit};
use crate::stats::point::PointPath;
use crate::sweep::SweepResult;

/// Renders `sweep.png`: lines for one key, heatmaps for two.
///
/// # Errors
/// A [`ChartError`] if drawing or encoding fails.
pub fn sweep_png(r: &SweepResult) -> Result<Vec<u8>, ChartError> {
    if r.sweep.y.is_some() {
        heatmaps(r)
    } else {
        lines(r)
    }
}

/// The ink of a path: its rank among the non-baseline paths, as in every other chart.
fn ink(r: &SweepResult, key: &str) -> Ink {
    let rank = r
        .points
        .first()
        .map(|p| {
            p.paths
                .iter()
                .filter(|x| !x.baseline)
                .position(|x| x.key == key)
                .unwrap_or(0)
        })
        .unwrap_or(0)
        % PALETTE.len();
    Ink {
        colour: PALETTE[rank],
        dashed: rank >= SOLID_INKS,
    }
}

/// An axis of levels: their positions on the axis (the values themselves when all are
/// numbers, else 0, 1, 2, ...), and a tick formatter that names them.
struct LevelAxis {
    positions: Vec<f64>,
    range: std::ops::Range<f64>,
    numeric: bool,
    /// The key takes whole numbers only (an age, a number of dependents).
    whole: bool,
    levels: Vec<Level>,
    unit: Unit,
}

impl LevelAxis {
    fn new(levels: Vec<Level>, key: &str, categorical: bool) -> Self {
        let numeric = !categorical && levels.iter().all(|l| l.number().is_some());
        let positions: Vec<f64> = if numeric {
            levels.iter().filter_map(Level::number).collect()
        } else {
            (0..levels.len()).map(|i| i as f64).collect()
        };
        let range = if numeric {
            padded_range(positions.iter().copied(), 0.03)
        } else {
            -0.5..levels.len() as f64 - 0.5
        };
        let unit = schema::lookup(key)
            .or_else(|| key.rsplit_once('.').and_then(|(p, _)| schema::lookup(p)))
            .map_or(Unit::None, |(d, _)| d.unit);
        let whole =
            schema::lookup(key).is_some_and(|(d, _)| matches!(d.ty, schema::Ty::Int { .. }));
        LevelAxis {
            positions,
            range,
            numeric,
            whole,
            levels,
            unit,
        }
    }

    /// The categories of a word axis (0 for a numeric one): one tick each.
    fn categories(&self) -> usize {
        if self.numeric { 0 } else { self.levels.len() }
    }

    /// At most one tick a unit on an axis of whole numbers (0: the usual number).
    fn max_ticks(&self) -> usize {
        if !(self.numeric && self.whole) {
            return 0;
        }
        let (lo, hi) = self
            .positions
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                (a.min(x), b.max(x))
            });
        // One more tick than units spanned; at least 2 for a single value.
        ((hi - lo).round().max(1.0) as usize).saturating_add(1)
    }

    fn tick(&self, x: f64) -> String {
        if self.numeric {
            return number_tick(x, self.unit);
        }
        let i = x.round();
        if (x - i).abs() > 1e-6 || i < 0.0 {
            return String::new();
        }
        self.levels
            .get(i as usize)
            .map_or_else(String::new, |l| match l {
                Level::Num(v) => number_tick(*v, self.unit),
                Level::Word(_) => l.words(),
            })
    }
}

/// A tick of a key's value: compact dollars for money, a percentage for a share, a rate or a
/// fraction (as the sentences write them), else a short number.
pub(super) fn number_tick(x: f64, unit: Unit) -> String {
    match unit {
        Unit::Dollars | Unit::NominalDollars | Unit::DollarsPerYear | Unit::DollarsPerMonth => {
            money(x)
        }
        // As the sentences write them; a tick that is 0 but for rounding reads 0%.
        Unit::Share | Unit::Rate | Unit::Fraction => {
            crate::threshold::value_words(if x.abs() < 1e-12 { 0.0 } else { x }, unit)
        }
        _ => {
            let v = crate::threshold::sig3(x);
            if v.abs() < 1e-12 {
                "0".into()
            } else {
                format!("{v}")
            }
        }
    }
}

/// The plain figures of every non-baseline path at each point: (path, [(x, figure)]).
fn series(
    r: &SweepResult,
    axis: &LevelAxis,
    figure: fn(&PointPath) -> f64,
) -> Vec<(PointPath, Vec<(f64, f64)>)> {
    let Some(first) = r.points.first() else {
        return Vec::new();
    };
    first
        .paths
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.baseline)
        .map(|(i, p)| {
            let pts = r
                .points
                .iter()
                .zip(&axis.positions)
                .map(|(pt, x)| (*x, figure(&pt.paths[i])))
                .filter(|(_, y)| y.is_finite())
                .collect();
            (p.clone(), pts)
        })
        .collect()
}

fn dashed_50(chart: &mut Chart) -> Result<(), ChartError> {
    let x = chart.x_range();
    chart.draw_series(std::iter::once(DashedPathElement::new(
        vec![(x.start, 0.5), (x.end, 0.5)],
        10,
        6,
        ZERO_LINE.stroke_width(2),
    )))?;
    Ok(())
}

fn lines(r: &SweepResult) -> Result<Vec<u8>, ChartError> {
    let key = &r.sweep.x.key;
    let words = r.key_words(0);
    let axis = LevelAxis::new(r.levels(0), key, false);
    let beats = series(r, &axis, |p| p.net.prob);
    let medians = series(r, &axis, |p| p.net.p50());
    // A loan's terms (its plan, rate, amount) change what the loans cost more than the odds:
    // a third panel shows it, for the paths that borrow.
    let costs: Vec<_> = if key.contains(".financing.") {
        series(r, &axis, |p| p.loans.map_or(f64::NAN, |l| l.total_paid_p50))
            .into_iter()
            .filter(|(_, pts)| !pts.is_empty())
            .collect()
    } else {
        Vec::new()
    };
    let mut legend: Vec<LegendEntry> = beats
        .iter()
        .map(|(p, _)| LegendEntry::new(Mark::Line(ink(r, &p.key)), p.label.clone()))
        .collect();
    legend.push(LegendEntry::new(Mark::Dashed(ZERO_LINE), "even odds (50%)"));
    let mut note = format!(
        "Top: share of lives in which each path beats staying put ({}). {}: median net return versus staying put, today's dollars.",
        r.baseline_label(),
        if costs.is_empty() { "Bottom" } else { "Middle" }
    );
    if !costs.is_empty() {
        note.push_str(" Bottom: median total paid on the loans by those who borrow, nominal");
        note.push_str(if axis.numeric {
            "."
        } else {
            "; beside it the first monthly payment, interest and amount forgiven."
        });
    }
    let frame = Frame {
        scenario: r.scenario.clone(),
        title: format!("what if {} {}", the(words), r.changes()),
        subtitle: format!(
            "Each point: the same {} (seed {}), with only {} set differently.",
            crate::text::lives(r.trials),
            r.seed,
            the(words)
        ),
        highlight: None,
        legend,
        note: Some(note),
        credit: format!("worthit {}", env!("CARGO_PKG_VERSION")),
    };
    let extra = if costs.is_empty() { 0 } else { 300 };
    render_framed(&frame, PLOT_HEIGHT + 240 + extra, |area| {
        let h = area.dim_in_pixel().1;
        let (top, rest) = if costs.is_empty() {
            area.split_vertically(h * 11 / 20)
        } else {
            area.split_vertically(h * 2 / 5)
        };
        let (middle, bottom) = if costs.is_empty() {
            (rest, None)
        } else {
            let (m, b) = rest.split_vertically(rest.dim_in_pixel().1 / 2);
            (m, Some(b))
        };
        let fmt_x = |x: f64| axis.tick(x);
        let x_desc = format!("{} ({key})", crate::text::upper_first(words));
        let mut chart = draw_axes(
            &top,
            &Axes {
                x: axis.range.clone(),
                y: 0.0..1.0,
                x_desc: "",
                y_desc: "Beats staying put",
                x_fmt: &fmt_x,
                y_fmt: &percent_tick,
                panel: false,
                categories: axis.categories(),
                max_x_ticks: axis.max_ticks(),
                y_label_width: 0,
            },
        )?;
        dashed_50(&mut chart)?;
        for (p, pts) in &beats {
            draw_line(&mut chart, pts, ink(r, &p.key), axis.numeric)?;
        }
        if !axis.numeric {
            label_points(&chart, r, &beats, &percent)?;
        }
        let y = padded_range(
            medians
                .iter()
                .flat_map(|(_, pts)| pts.iter().map(|(_, y)| *y))
                .chain([0.0]),
            0.06,
        );
        let mut chart = draw_axes(
            &middle,
            &Axes {
                x: axis.range.clone(),
                y,
                x_desc: if bottom.is_some() { "" } else { &x_desc },
                y_desc: "Median net return",
                x_fmt: &fmt_x,
                y_fmt: &money,
                panel: false,
                categories: axis.categories(),
                max_x_ticks: axis.max_ticks(),
                y_label_width: 0,
            },
        )?;
        horizontal_line(&mut chart, 0.0, ZERO_LINE.stroke_width(2))?;
        for (p, pts) in &medians {
            draw_line(&mut chart, pts, ink(r, &p.key), axis.numeric)?;
        }
        if !axis.numeric {
            label_points(&chart, r, &medians, &money)?;
        }
        if let Some(bottom) = bottom {
            loan_panel(r, &axis, &costs, &bottom, &x_desc)?;
        }
        Ok(())
    })
}

/// The loans' median total paid against the key, a line (or points) per borrowing path; on
/// an axis of words (a plan), each point also names the first monthly payment, the interest
/// and the amount forgiven, the figures a loan simulator compares plans by.
fn loan_panel(
    r: &SweepResult,
    axis: &LevelAxis,
    costs: &[(PointPath, Vec<(f64, f64)>)],
    area: &Canvas,
    x_desc: &str,
) -> Result<(), ChartError> {
    let fmt_x = |x: f64| axis.tick(x);
    let y = padded_range(
        costs
            .iter()
            .flat_map(|(_, pts)| pts.iter().map(|(_, y)| *y))
            .chain([0.0]),
        0.12,
    );
    let mut chart = draw_axes(
        area,
        &Axes {
            x: axis.range.clone(),
            y,
            x_desc,
            y_desc: "Total paid on loans",
            x_fmt: &fmt_x,
            y_fmt: &money,
            panel: false,
            categories: axis.categories(),
            max_x_ticks: axis.max_ticks(),
            y_label_width: 0,
        },
    )?;
    for (p, pts) in costs {
        draw_line(&mut chart, pts, ink(r, &p.key), axis.numeric)?;
    }
    if axis.numeric {
        return Ok(());
    }
    let plot = chart.plotting_area().strip_coord_spec();
    let width = plot.dim_in_pixel().0 as i32;
    // Only the path whose loans the key sets: the others' points repeat the same figures.
    let owner = r.sweep.x.key.split('.').nth(1).unwrap_or_default();
    for (p, _) in costs.iter().filter(|(p, _)| p.key == owner) {
        let i = r.points[0]
            .paths
            .iter()
            .position(|x| x.key == p.key)
            .expect("a path of the sweep");
        for (pt, &x) in r.points.iter().zip(&axis.positions) {
            let Some(l) = pt.paths[i].loans else { continue };
            let (px, py) = plot_pixel(&chart, x, l.total_paid_p50);
            let label = format!(
                "{} total: first {}/mo, interest {}, forgiven {}",
                money(l.total_paid_p50),
                money(l.first_payment_p50),
                money(l.interest_p50),
                money(l.forgiven_p50)
            );
            // Beside the point, on the side with room.
            let (left, anchor) = if px < width / 2 {
                (px + 14, (HPos::Left, VPos::Center))
            } else {
                (px - 14, (HPos::Right, VPos::Center))
            };
            text::boxed(
                &plot,
                &label,
                (left, py),
                anchor,
                ink(r, &p.key).colour,
                TICK_LABEL,
            )?;
        }
    }
    Ok(())
}

/// Size of the loan figures written beside a point.
const TICK_LABEL: f64 = 15.0;

/// On an axis of words (a few plans, side by side), each point's figure written to its
/// right in its path's colour, so that the points read as a table: labels of one column
/// that would overlap are pushed apart, in the order of their points.
fn label_points(
    chart: &Chart,
    r: &SweepResult,
    series: &[(PointPath, Vec<(f64, f64)>)],
    fmt: &dyn Fn(f64) -> String,
) -> Result<(), ChartError> {
    /// Least distance in pixels between two labels' centres.
    const GAP: i32 = 19;
    let plot = chart.plotting_area().strip_coord_spec();
    let columns = series.first().map_or(0, |(_, pts)| pts.len());
    for c in 0..columns {
        let mut labels: Vec<((i32, i32), String, RGBColor)> = series
            .iter()
            .filter_map(|(p, pts)| {
                let &(x, y) = pts.get(c)?;
                Some((plot_pixel(chart, x, y), fmt(y), ink(r, &p.key).colour))
            })
            .collect();
        labels.sort_by_key(|l| l.0.1);
        // Pushed down from the top, then back up from the plot's bottom edge, where
        // `text::boxed` would otherwise clamp the last ones onto those above them.
        let mut ys: Vec<i32> = Vec::with_capacity(labels.len());
        for ((_, py), _, _) in &labels {
            let y = ys.last().map_or(*py, |&last: &i32| (*py).max(last + GAP));
            ys.push(y);
        }
        let bottom = plot.dim_in_pixel().1 as i32 - (GAP + 1) / 2 - 4;
        let mut below = bottom + GAP;
        for y in ys.iter_mut().rev() {
            *y = (*y).min(below - GAP);
            below = *y;
        }
        for (((px, _), label, colour), y) in labels.into_iter().zip(ys) {
            text::boxed(
                &plot,
                &label,
                (px + 14, y),
                (HPos::Left, VPos::Center),
                colour,
                TICK_LABEL,
            )?;
        }
    }
    Ok(())
}

/// A path's figures: a line through the points on a numeric axis; points alone between
/// words (nothing lies between `standard` and `rap`).
fn draw_line(
    chart: &mut Chart,
    pts: &[(f64, f64)],
    ink: Ink,
    joined: bool,
) -> Result<(), ChartError> {
    if joined {
        ink_line(chart, pts.to_vec(), ink, 3)?;
    }
    let r = if joined { 5 } else { 9 };
    chart.draw_series(pts.iter().map(|p| Circle::new(*p, r, ink.colour.filled())))?;
    Ok(())
}

/// Vermillion at 0, white at 0.5, blue at 1 (Okabe-Ito ends), linear in between.
fn heat(p: f64) -> RGBColor {
    let (lo, mid, hi) = (
        (213.0, 94.0, 0.0),
        (247.0, 247.0, 247.0),
        (0.0, 114.0, 178.0),
    );
    let p = if p.is_finite() {
        p.clamp(0.0, 1.0)
    } else {
        0.5
    };
    let (a, b, t) = if p < 0.5 {
        (lo, mid, p * 2.0)
    } else {
        (mid, hi, (p - 0.5) * 2.0)
    };
    let mix = |x: f64, y: f64| (x + (y - x) * t).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Segments of the contour `z = level` of a grid `z[i][j]` at integer positions (i, j), by
/// marching squares with linear interpolation along each cell's edges.
pub(crate) fn contour(z: &[Vec<f64>], level: f64) -> Vec<((f64, f64), (f64, f64))> {
    let mut out = Vec::new();
    let nx = z.len();
    let ny = z.first().map_or(0, Vec::len);
    for i in 0..nx.saturating_sub(1) {
        for j in 0..ny.saturating_sub(1) {
            // Corners counter-clockwise from (i, j).
            let c = [
                (i as f64, j as f64, z[i][j]),
                (i as f64 + 1.0, j as f64, z[i + 1][j]),
                (i as f64 + 1.0, j as f64 + 1.0, z[i + 1][j + 1]),
                (i as f64, j as f64 + 1.0, z[i][j + 1]),
            ];
            let mut cuts = Vec::new();
            for k in 0..4 {
                let (a, b) = (c[k], c[(k + 1) % 4]);
                if (a.2 >= level) != (b.2 >= level) {
                    let t = (level - a.2) / (b.2 - a.2);
                    cuts.push((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)));
                }
            }
            // Two cuts: one segment; four (a saddle): two, pairing neighbouring edges.
            for pair in cuts.chunks(2) {
                if let [a, b] = pair {
                    out.push((*a, *b));
                }
            }
        }
    }
    out
}

fn heatmaps(r: &SweepResult) -> Result<Vec<u8>, ChartError> {
    let (Some(y_axis), Some(first)) = (&r.sweep.y, r.points.first()) else {
        return lines(r);
    };
    let xk = &r.sweep.x.key;
    let yk = &y_axis.key;
    let xa = LevelAxis::new(r.levels(0), xk, true);
    let ya = LevelAxis::new(r.levels(1), yk, true);
    let (nx, ny) = (xa.levels.len(), ya.levels.len());
    let versus = r.sweep.versus.as_deref();
    let shown: Vec<usize> = first
        .paths
        .iter()
        .enumerate()
        .filter(|(_, p)| !p.baseline && Some(p.key.as_str()) != versus)
        .map(|(i, _)| i)
        .collect();
    let against = versus.map_or_else(|| "staying put".to_string(), |v| r.label(v).to_string());
    let swatch = |p: f64, label: &str| LegendEntry::new(Mark::Solid(heat(p), 1.0), label);
    let frame = Frame {
        scenario: r.scenario.clone(),
        title: format!("what if {} change", both(r)),
        subtitle: format!(
            "Share of lives in which each path beats {against}; each cell the same {} (seed {}).",
            crate::text::lives(r.trials),
            r.seed
        ),
        highlight: None,
        legend: vec![
            swatch(0.0, "0%"),
            swatch(0.25, "25%"),
            swatch(0.5, "50%"),
            swatch(0.75, "75%"),
            swatch(1.0, "100%"),
            LegendEntry::new(
                Mark::Line(Ink {
                    colour: ZERO_LINE,
                    dashed: false,
                }),
                "even odds (50%)",
            ),
        ],
        note: Some(format!(
            "Across: {} ({xk}). Up: {} ({yk}).",
            the(r.key_words(0)),
            the(r.key_words(1))
        )),
        credit: format!("worthit {}", env!("CARGO_PKG_VERSION")),
    };
    let titles: Vec<PanelTitle> = shown
        .iter()
        .map(|&i| PanelTitle {
            label: first.paths[i].label.clone(),
            detail: String::new(),
            colour: ink(r, &first.paths[i].key).colour,
        })
        .collect();
    let short = |k: &str| k.rsplit('.').next().unwrap_or(k).replace('_', " ");
    render_framed(&frame, grid_height(shown.len()), |area| {
        let cells = panels(area, &titles, &short(xk), &short(yk))?;
        for (&pi, cell) in shown.iter().zip(cells.iter()) {
            let z: Vec<Vec<f64>> = (0..nx)
                .map(|i| {
                    (0..ny)
                        .map(|j| {
                            let p = &r.points[i * ny + j].paths[pi];
                            match (versus, &p.versus) {
                                (Some(_), Some(v)) => v.prob,
                                _ => p.net.prob,
                            }
                        })
                        .collect()
                })
                .collect();
            panel(cell, &xa, &ya, &z)?;
        }
        Ok(())
    })
}

fn panel(area: &Canvas, xa: &LevelAxis, ya: &LevelAxis, z: &[Vec<f64>]) -> Result<(), ChartError> {
    let fx = |x: f64| xa.tick(x);
    let fy = |y: f64| ya.tick(y);
    // Words up the side ("the standard plan") are wider than numbers: the label area takes
    // the widest, so that none is cut at the edge or runs into the panel on its left.
    let mut y_label_width = 0;
    for j in 0..ya.levels.len() {
        let label = ya.tick(j as f64);
        y_label_width = y_label_width.max(text::measure(&label, Style::new(PANEL_TICK_SIZE))?.0);
    }
    let mut chart = draw_axes(
        area,
        &Axes {
            x: xa.range.clone(),
            y: ya.range.clone(),
            x_desc: "",
            y_desc: "",
            x_fmt: &fx,
            y_fmt: &fy,
            panel: true,
            categories: 0,
            max_x_ticks: 0,
            y_label_width: if ya.numeric { 0 } else { y_label_width },
        },
    )?;
    for (i, col) in z.iter().enumerate() {
        for (j, &p) in col.iter().enumerate() {
            let (x, y) = (i as f64, j as f64);
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                heat(p).filled(),
            )))?;
        }
    }
    let segments = contour(z, 0.5);
    chart.draw_series(
        segments
            .iter()
            .map(|(a, b)| PathElement::new(vec![*a, *b], ZERO_LINE.stroke_width(3))),
    )?;
    // Each cell's share, where a cell is wide enough to hold it.
    let (x0, y0) = plot_pixel(&chart, 0.0, 0.0);
    let (x1, y1) = plot_pixel(&chart, 1.0, 1.0);
    if let Some(size) = share_size((x1 - x0).abs(), (y1 - y0).abs())? {
        let plot = chart.plotting_area().strip_coord_spec();
        for (i, col) in z.iter().enumerate() {
            for (j, &p) in col.iter().enumerate() {
                let at = plot_pixel(&chart, i as f64, j as f64);
                let ink = if (0.2..=0.8).contains(&p) {
                    RGBColor(30, 30, 30)
                } else {
                    WHITE
                };
                // On a patch of the cell's own colour: the even-odds line, which can pass
                // through the middle of a cell, stops short of the figure instead of
                // crossing it.
                let label = percent(p);
                let (w, h) = text::measure(&label, Style::new(size))?;
                plot.draw(&Rectangle::new(
                    [
                        (at.0 - w / 2 - 2, at.1 - h / 2 - 1),
                        (at.0 + w / 2 + 2, at.1 + h / 2 + 1),
                    ],
                    heat(p).filled(),
                ))?;
                text::draw(
                    &plot,
                    &label,
                    at,
                    (HPos::Center, VPos::Center),
                    Style::new(size).colour(ink),
                    false,
                )?;
            }
        }
    }
    Ok(())
}

/// The text size of the share written in a heatmap's cell `width` by `height` pixels: as
/// large as the cell's height allows (11 to 16 pixels), smaller (down to 9) where the cell
/// is narrow, so that eleven values across a panel still show theirs; `None` when even that
/// does not fit.
fn share_size(width: i32, height: i32) -> Result<Option<f64>, ChartError> {
    let mut size = (f64::from(height) * 0.55).clamp(11.0, 16.0);
    while size > 9.0 && text::measure("100%", Style::new(size))?.0 + 4 > width {
        size -= 1.0;
    }
    let fits = text::measure("100%", Style::new(size))?.0 + 4 <= width && height >= 12;
    Ok(fits.then_some(size))
}

/// A two-key sweep's keys in words, the path they share named once: "the tuition per year
/// and the placement of <path>", rather than the path after each.
fn both(r: &SweepResult) -> String {
    fn path(k: &str) -> Option<&str> {
        k.strip_prefix("paths.")?.split_once('.').map(|(p, _)| p)
    }
    let shared = r.sweep.y.as_ref().and_then(|y| {
        let (a, b) = (path(&r.sweep.x.key)?, path(&y.key)?);
        (a == b).then(|| r.label(a))
    });
    pair(r.key_words(0), r.key_words(1), shared)
}

/// "the A and the B", or "the A and the B of L" when both end in " of L" (`label`).
fn pair(a: &str, b: &str, label: Option<&str>) -> String {
    if let Some(l) = label {
        let of = format!(" of {l}");
        if let (Some(a), Some(b)) = (a.strip_suffix(&of), b.strip_suffix(&of)) {
            return format!("{} and {}{of}", the(a), the(b));
        }
    }
    format!("{} and {}", the(a), the(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A share fits its cell: full size in a wide one, smaller in the narrow cells of eleven
    /// values across a panel (37 pixels: "100%" at 16 pixels is about 40 wide), none in a
    /// sliver.
    #[test]
    fn a_cells_share_shrinks_to_fit_and_is_left_out_of_a_sliver() {
        assert_eq!(share_size(120, 120).unwrap(), Some(16.0));
        let narrow = share_size(37, 120).unwrap().expect("fits smaller");
        assert!((9.0..16.0).contains(&narrow), "{narrow}");
        assert!(text::measure("100%", Style::new(narrow)).unwrap().0 + 4 <= 37);
        assert_eq!(share_size(15, 120).unwrap(), None);
        assert_eq!(share_size(120, 10).unwrap(), None);
    }

    #[test]
    fn contour_cuts_edges_where_the_level_is_crossed() {
        // z = i across two cells: the 0.5 level is the vertical line i = 0.5.
        let z = vec![vec![0.0, 0.0, 0.0], vec![1.0, 1.0, 1.0]];
        let segs = contour(&z, 0.5);
        assert_eq!(segs.len(), 2);
        for (a, b) in segs {
            assert!((a.0 - 0.5).abs() < 1e-12 && (b.0 - 0.5).abs() < 1e-12);
        }
        assert!(contour(&[vec![0.9, 0.8], vec![0.7, 0.6]], 0.5).is_empty());
    }

    #[test]
    fn two_keys_of_one_path_name_it_once() {
        let (m, t) = (
            "Full-time ML master's",
            "tuition per year of Full-time ML master's",
        );
        assert_eq!(
            pair(t, "placement of Full-time ML master's", Some(m)),
            "the tuition per year and the placement of Full-time ML master's"
        );
        // A parameter keeps its own "the"; other paths or keys stay whole.
        assert_eq!(
            pair("the mean of placement of A", "completion of A", Some("A")),
            "the mean of placement and the completion of A"
        );
        assert_eq!(
            pair(t, "placement of Bootcamp", None),
            "the tuition per year of Full-time ML master's and the placement of Bootcamp"
        );
        assert_eq!(
            pair("discount rate", "inflation", None),
            "the discount rate and the inflation"
        );
    }

    #[test]
    fn an_axis_of_whole_numbers_has_one_tick_a_unit_at_most() {
        let nums = |v: &[f64]| v.iter().map(|&x| Level::Num(x)).collect::<Vec<_>>();
        // 0 and 2 dependents: ticks at 0, 1 and 2, none at 0.2.
        assert_eq!(
            LevelAxis::new(nums(&[0.0, 2.0]), "person.dependents", false).max_ticks(),
            3
        );
        assert_eq!(
            LevelAxis::new(nums(&[55.0, 70.0]), "person.retirement_age", false).max_ticks(),
            16
        );
        // A single value still gets two; a key of fractions, the usual number.
        assert_eq!(
            LevelAxis::new(nums(&[1.0]), "person.dependents", false).max_ticks(),
            2
        );
        assert_eq!(
            LevelAxis::new(nums(&[0.0, 2.0]), "paths.m.placement", false).max_ticks(),
            0
        );
    }

    #[test]
    fn ticks_read_as_the_sentences_write_the_values() {
        assert_eq!(number_tick(0.30000000000000004, Unit::Share), "30%");
        assert_eq!(number_tick(0.0725, Unit::Rate), "7.25%");
        assert_eq!(number_tick(-0.1, Unit::Fraction), "-10%");
        assert_eq!(number_tick(0.0, Unit::Share), "0%");
        assert_eq!(number_tick(60_000.0, Unit::DollarsPerYear), "$60k");
        assert_eq!(number_tick(18.0, Unit::Months), "18");
    }

    #[test]
    fn heat_runs_from_vermillion_through_white_to_blue() {
        assert_eq!(heat(0.0), RGBColor(213, 94, 0));
        assert_eq!(heat(0.5), RGBColor(247, 247, 247));
        assert_eq!(heat(1.0), RGBColor(0, 114, 178));
    }
}
