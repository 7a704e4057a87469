//! `pairs.png`: P(row beats column) for every pair of paths in one matrix, which replaces
//! the dozens of pair charts that a scenario with many paths would otherwise get.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::frame::{Frame, render_framed};
use super::text::{self, Style};
use super::{ChartError, LEGEND_SIZE, path_colour};
use crate::report::format::percent;
use crate::stats::summary::{PathSummary, ScenarioSummary};

/// Width of the row labels, pixels.
const ROW_LABELS: i32 = 440;
/// Height of the column headings (the rows' numbers), pixels.
const COLUMN_LABELS: i32 = 40;
/// Largest cell, pixels.
const CELL_WIDTH: i32 = 72;
const CELL_HEIGHT: i32 = 46;
/// The colour of "the row's path is ahead more often" and of "behind".
const AHEAD: RGBColor = RGBColor(0x00, 0x72, 0xB2);
const BEHIND: RGBColor = RGBColor(0xD5, 0x5E, 0x00);

/// The paths of the matrix: every compared path in path order, then the baseline.
fn matrix_paths(summary: &ScenarioSummary) -> Vec<&PathSummary> {
    let mut paths: Vec<&PathSummary> = summary.paths.iter().filter(|p| !p.baseline).collect();
    paths.extend(summary.paths.iter().filter(|p| p.baseline));
    paths
}

/// Renders the matrix of P(row beats column) over every pair of paths, the baseline
/// included as the last row and column.
///
/// # Errors
/// A [`ChartError`] if drawing or encoding fails.
pub fn pairs_png(summary: &ScenarioSummary) -> Result<Vec<u8>, ChartError> {
    let paths = matrix_paths(summary);
    let n = paths.len() as i32;
    let frame = Frame {
        scenario: summary.name.clone(),
        title: "How often each row's path beats each column's".to_string(),
        subtitle: "Share of lives in which the row's path ends with a higher net return than \
                   the column's, in the same simulated lives."
            .to_string(),
        highlight: None,
        legend: Vec::new(),
        note: Some(
            "Columns are numbered as the rows. Blue: the row's path comes out ahead more often \
             than not; orange: behind. Ties count for neither, so a cell and its mirror can add \
             up to less than 100%."
                .to_string(),
        ),
        credit: super::frame::credit(summary),
    };
    let height = COLUMN_LABELS + n * CELL_HEIGHT + 12;
    render_framed(&frame, height as u32, |area| {
        let width = area.dim_in_pixel().0 as i32;
        let cell_width = ((width - ROW_LABELS) / n.max(1)).min(CELL_WIDTH);
        let label_style = Style::new(LEGEND_SIZE * 0.9);
        let name = |i: usize, p: &PathSummary| {
            let suffix = if p.baseline { " (staying put)" } else { "" };
            (format!("{}. ", i + 1), format!("{}{suffix}", p.label))
        };
        let number_style = Style::new(LEGEND_SIZE).bold();
        for (i, p) in paths.iter().enumerate() {
            let colour = if p.baseline {
                RGBColor(25, 25, 25)
            } else {
                super::readable(path_colour(summary, &p.key))
            };
            let (number, label) = name(i, p);
            // Row label, right-aligned against the matrix, on up to two lines.
            let style = label_style.bold().colour(colour);
            let room = ROW_LABELS - 20 - text::measure(&number, style)?.0;
            let lines = text::wrap(&label, style, room, 2)?;
            let line_height = label_style.size as i32 + 2;
            let first = COLUMN_LABELS + i as i32 * CELL_HEIGHT + CELL_HEIGHT / 2
                - (lines.len() as i32 - 1) * line_height / 2;
            for (j, line) in lines.iter().enumerate() {
                let text = if j == 0 {
                    format!("{number}{line}")
                } else {
                    line.clone()
                };
                text::draw(
                    area,
                    &text,
                    (ROW_LABELS - 12, first + j as i32 * line_height),
                    (HPos::Right, VPos::Center),
                    style,
                    false,
                )?;
            }
            // Column heading: the row's number, in the same colour.
            let x = ROW_LABELS + i as i32 * cell_width + cell_width / 2;
            text::draw(
                area,
                &(i + 1).to_string(),
                (x, COLUMN_LABELS - 6),
                (HPos::Center, VPos::Bottom),
                number_style.colour(colour),
                false,
            )?;
        }
        for (row, a) in paths.iter().enumerate() {
            for (column, b) in paths.iter().enumerate() {
                let left = ROW_LABELS + column as i32 * cell_width;
                let top = COLUMN_LABELS + row as i32 * CELL_HEIGHT;
                let corners = [
                    (left + 1, top + 1),
                    (left + cell_width - 1, top + CELL_HEIGHT - 1),
                ];
                let share = (row != column)
                    .then(|| summary.pair(&a.key, &b.key))
                    .flatten()
                    .map(|pair| pair.prob_a_beats_b);
                let Some(share) = share else {
                    area.draw(&Rectangle::new(corners, RGBColor(235, 235, 235).filled()))?;
                    continue;
                };
                let (fill, ink) = cell_colours(share);
                area.draw(&Rectangle::new(corners, fill.filled()))?;
                text::draw(
                    area,
                    &percent(share),
                    (left + cell_width / 2, top + CELL_HEIGHT / 2),
                    (HPos::Center, VPos::Center),
                    Style::new(LEGEND_SIZE * 0.9).bold().colour(ink),
                    false,
                )?;
            }
        }
        Ok(())
    })
}

/// The fill of a cell and the colour of its text: white at 50%, deepening towards blue as
/// the row's path is ahead more often and towards orange as it is behind; white text on
/// the deep fills.
fn cell_colours(share: f64) -> (RGBColor, RGBColor) {
    let strength = ((share - 0.5).abs() * 2.0).clamp(0.0, 1.0);
    let base = if share >= 0.5 { AHEAD } else { BEHIND };
    let blend = |c: u8| {
        let c = f64::from(c);
        (255.0 + (c - 255.0) * (0.12 + 0.88 * strength)).round() as u8
    };
    let fill = RGBColor(blend(base.0), blend(base.1), blend(base.2));
    let ink = if strength > 0.55 {
        RGBColor(255, 255, 255)
    } else {
        RGBColor(25, 25, 25)
    };
    (fill, ink)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_deepen_away_from_a_coin_flip() {
        let (even, text_even) = cell_colours(0.5);
        let (ahead, text_ahead) = cell_colours(0.95);
        let (behind, _) = cell_colours(0.05);
        assert!(even.0 > 220 && even.1 > 220 && even.2 > 220, "{even:?}");
        assert_eq!(text_even, RGBColor(25, 25, 25));
        assert_eq!(text_ahead, RGBColor(255, 255, 255));
        assert!(ahead.2 > ahead.0, "blue when ahead: {ahead:?}");
        assert!(behind.0 > behind.2, "orange when behind: {behind:?}");
        assert_eq!(cell_colours(1.0).0, AHEAD);
    }
}
