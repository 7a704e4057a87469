//! Small multiples: one panel per path on shared axes, so that many paths can be read
//! without their bands and lines covering each other.

use plotters::style::RGBColor;
use plotters::style::text_anchor::{HPos, VPos};

use super::frame::MUTED;
use super::text::{self, Style, TOP_LEFT};
use super::{AXIS_SIZE, Canvas, ChartError, LEGEND_SIZE};

/// Size of a panel's heading text, pixels.
const TITLE_SIZE: f64 = LEGEND_SIZE * 0.9;
/// Left inset of a panel's heading, pixels.
const TITLE_INSET: i32 = 10;
/// Pixels left of the grid for the shared y axis title, and below it for the x axis title.
const SHARED_Y_TITLE: i32 = AXIS_SIZE as i32 + 10;
const SHARED_X_TITLE: i32 = AXIS_SIZE as i32 + 14;

/// Columns and rows of a grid of `n` panels: one panel alone, two or three side by side,
/// four in a square, then three columns up to nine panels and four beyond.
pub(super) fn grid_shape(n: usize) -> (usize, usize) {
    let columns = match n {
        0 | 1 => 1,
        2 | 4 => 2,
        3 | 5..=9 => 3,
        _ => 4,
    };
    (columns, n.max(1).div_ceil(columns))
}

/// Height in pixels of the plot area of a grid of `n` panels: about 520 for one row, a
/// little less per row as rows are added, so that a panel (its heading included) stays at
/// least 290 pixels high.
pub(super) fn grid_height(n: usize) -> u32 {
    let (_, rows) = grid_shape(n);
    let per_row: u32 = match rows {
        1 => 480,
        2 => 320,
        _ => 290,
    };
    rows as u32 * per_row + (SHARED_X_TITLE as u32)
}

/// The heading of one panel: the path's label in its colour (on up to two lines) and a
/// line of figures under it.
pub(super) struct PanelTitle {
    /// The path's label.
    pub label: String,
    /// Figures about the path ("median $12k · beats staying put in 55%"), may be empty.
    pub detail: String,
    /// The path's colour.
    pub colour: RGBColor,
}

/// Splits `area` into the panels of a grid (row by row), after drawing the shared axis
/// titles around the grid; each panel comes with its heading drawn (shortened at a word to
/// fit) and is the area under that heading.
pub(super) fn panels<'b>(
    area: &Canvas<'b>,
    titles: &[PanelTitle],
    x_title: &str,
    y_title: &str,
) -> Result<Vec<Canvas<'b>>, ChartError> {
    let (width, height) = area.dim_in_pixel();
    let (width, height) = (width as i32, height as i32);
    let desc = Style::new(AXIS_SIZE).colour(MUTED);
    text::draw(
        area,
        y_title,
        (AXIS_SIZE as i32 / 2, (height - SHARED_X_TITLE) / 2),
        (HPos::Center, VPos::Center),
        desc,
        true,
    )?;
    text::draw(
        area,
        x_title,
        (width / 2, height - SHARED_X_TITLE + 8),
        (HPos::Center, VPos::Top),
        desc,
        false,
    )?;
    let grid = area.margin(0, SHARED_X_TITLE, SHARED_Y_TITLE, 0);
    let (columns, rows) = grid_shape(titles.len());
    let cells = grid.split_evenly((rows, columns));
    let label_style = Style::new(TITLE_SIZE).bold();
    let detail_style = Style::new(TITLE_SIZE * 0.9).colour(MUTED);
    let line = TITLE_SIZE as i32 + 4;
    let mut headings = Vec::with_capacity(titles.len());
    for (cell, title) in cells.iter().zip(titles) {
        let room = cell.dim_in_pixel().0 as i32 - 2 * TITLE_INSET;
        let mut lines: Vec<(String, Style)> = text::wrap(&title.label, label_style, room, 2)?
            .into_iter()
            .map(|l| (l, label_style.colour(super::readable(title.colour))))
            .collect();
        if !title.detail.is_empty() {
            let detail = text::wrap(&title.detail, detail_style, room, 1)?.concat();
            lines.push((detail, detail_style));
        }
        headings.push(lines);
    }
    // Every panel of the grid gets the same heading height, so that their plots line up.
    let heading = headings.iter().map(Vec::len).max().unwrap_or(1) as i32 * line + 6;
    let mut out = Vec::with_capacity(titles.len());
    for (cell, lines) in cells.into_iter().zip(headings) {
        for (i, (text, style)) in lines.iter().enumerate() {
            text::draw(
                &cell,
                text,
                (TITLE_INSET, 4 + i as i32 * line),
                TOP_LEFT,
                *style,
                false,
            )?;
        }
        out.push(cell.margin(heading, 6, 0, 10));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grids_stay_close_to_square_and_hold_every_panel() {
        assert_eq!(grid_shape(1), (1, 1));
        assert_eq!(grid_shape(2), (2, 1));
        assert_eq!(grid_shape(3), (3, 1));
        assert_eq!(grid_shape(4), (2, 2));
        assert_eq!(grid_shape(6), (3, 2));
        assert_eq!(grid_shape(9), (3, 3));
        assert_eq!(grid_shape(11), (4, 3));
        for n in 1..=11 {
            let (c, r) = grid_shape(n);
            assert!(c * r >= n && c * (r - 1) < n, "{n}: {c} x {r}");
        }
    }
}
