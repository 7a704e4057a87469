//! The frame shared by every chart: a title block, a legend strip and a note, all placed
//! outside the plot area so that none of them hides data.

use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::text::{self, Style, TOP_LEFT};
use super::{
    Canvas, ChartError, FILL_ALPHA, LEGEND_SIZE, NOTE_SIZE, SUBTITLE_SIZE, TITLE_SIZE, WIDTH,
};

/// Left and right page margin, pixels.
pub(super) const MARGIN: i32 = 24;
/// Grey for secondary text.
pub(super) const MUTED: RGBColor = RGBColor(70, 70, 70);

/// How a legend entry is drawn.
#[derive(Debug, Clone, Copy)]
pub(super) enum Mark {
    /// A translucent box with a solid edge (histogram bars).
    Fill(RGBColor),
    /// A box of one colour at an opacity (bars of one sign).
    Solid(RGBColor, f64),
    /// A solid line.
    Line(RGBColor),
    /// A dashed line (medians).
    Dashed(RGBColor),
    /// A translucent band with a solid line through it (fan charts).
    Band(RGBColor),
}

/// One entry of the legend strip.
pub(super) struct LegendEntry {
    /// What the entry shows.
    pub mark: Mark,
    /// Its text.
    pub label: String,
}

/// Everything around the plot area.
pub(super) struct Frame {
    /// The scenario's name, first in the title (cut first if the title is too long).
    pub scenario: String,
    /// What the chart is, after the scenario's name in the title.
    pub title: String,
    /// What the chart shows, in one line.
    pub subtitle: String,
    /// An optional key figure in large type (e.g. "P(a beats b) = 63%") and its colour.
    pub highlight: Option<(String, RGBColor)>,
    /// Legend entries, laid out in rows under the title block.
    pub legend: Vec<LegendEntry>,
    /// An optional note under the plot (how to read the edges, ...).
    pub note: Option<String>,
}

/// Draws the frame on `root` and returns the area left for the plot.
pub(super) fn draw_frame<'b>(root: &Canvas<'b>, frame: &Frame) -> Result<Canvas<'b>, ChartError> {
    root.fill(&WHITE)?;
    let max_width = WIDTH as i32 - 2 * MARGIN;
    let mut y = 14;
    let line = |head: &str, tail: &str, style: Style, y: &mut i32| -> Result<(), ChartError> {
        let (fitted, style) = fit_text(head, tail, style, max_width)?;
        text::draw(root, &fitted, (MARGIN, *y), TOP_LEFT, style, false)?;
        *y += style.size as i32 + 8;
        Ok(())
    };
    let title = format!(": {}", frame.title);
    line(
        &frame.scenario,
        &title,
        Style::new(TITLE_SIZE).bold(),
        &mut y,
    )?;
    line(
        &frame.subtitle,
        "",
        Style::new(SUBTITLE_SIZE).colour(MUTED),
        &mut y,
    )?;
    if let Some((highlight, colour)) = &frame.highlight {
        let style = Style::new(SUBTITLE_SIZE * 1.3).bold().colour(*colour);
        line(highlight, "", style, &mut y)?;
    }
    y = draw_legend(root, &frame.legend, y + 2, max_width)?;
    let bottom = match &frame.note {
        Some(note) => {
            let (fitted, style) =
                fit_text(note, "", Style::new(NOTE_SIZE).colour(MUTED), max_width)?;
            let top = root.dim_in_pixel().1 as i32 - style.size as i32 - 8;
            text::draw(root, &fitted, (MARGIN, top), TOP_LEFT, style, false)?;
            style.size as i32 + 14
        }
        None => 8,
    };
    Ok(root.margin(y + 4, bottom, 8, MARGIN))
}

/// Lays the legend out in rows from `top`, wrapping when a row is full; returns the y below.
fn draw_legend(
    root: &Canvas,
    entries: &[LegendEntry],
    top: i32,
    max_width: i32,
) -> Result<i32, ChartError> {
    if entries.is_empty() {
        return Ok(top);
    }
    let style = Style::new(LEGEND_SIZE);
    let row_height = LEGEND_SIZE as i32 + 12;
    let (mark_width, gap) = (34, 28);
    let (mut x, mut y) = (MARGIN, top);
    for entry in entries {
        let width = mark_width + 8 + text::measure(&entry.label, style)?.0;
        if x > MARGIN && x + width > MARGIN + max_width {
            x = MARGIN;
            y += row_height;
        }
        draw_mark(root, entry.mark, (x, y), mark_width, LEGEND_SIZE as i32)?;
        text::draw(
            root,
            &entry.label,
            (x + mark_width + 8, y),
            TOP_LEFT,
            style,
            false,
        )?;
        x += width + gap;
    }
    Ok(y + row_height)
}

/// Draws one legend mark in the box at `(x, y)` of the given size.
fn draw_mark(
    root: &Canvas,
    mark: Mark,
    (x, y): (i32, i32),
    width: i32,
    height: i32,
) -> Result<(), ChartError> {
    let mid = y + height / 2;
    let bx = [(x, y + 1), (x + width, y + height - 1)];
    let line = vec![(x, mid), (x + width, mid)];
    match mark {
        Mark::Fill(c) => {
            root.draw(&Rectangle::new(bx, c.mix(FILL_ALPHA).filled()))?;
            root.draw(&Rectangle::new(bx, c.stroke_width(2)))?;
        }
        Mark::Solid(c, alpha) => root.draw(&Rectangle::new(bx, c.mix(alpha).filled()))?,
        Mark::Line(c) => root.draw(&PathElement::new(line, c.stroke_width(3)))?,
        Mark::Dashed(c) => root.draw(&DashedPathElement::new(line, 7, 5, c.stroke_width(3)))?,
        Mark::Band(c) => {
            root.draw(&Rectangle::new(bx, c.mix(FILL_ALPHA).filled()))?;
            root.draw(&PathElement::new(line, c.stroke_width(3)))?;
        }
    }
    Ok(())
}

/// Shrinks `head + tail` until it fits `max_width` (down to two thirds of its size), then
/// cuts the end of `head` with an ellipsis, keeping `tail`: a long scenario name must not run
/// off the image, nor push the chart's name out of its title.
fn fit_text(
    head: &str,
    tail: &str,
    style: Style,
    max_width: i32,
) -> Result<(String, Style), ChartError> {
    let min_size = (style.size * 2.0 / 3.0).round();
    let mut style = style;
    let full = format!("{head}{tail}");
    loop {
        if text::measure(&full, style)?.0 <= max_width {
            return Ok((full, style));
        }
        if style.size <= min_size {
            break;
        }
        style.size = (style.size - 1.0).max(min_size);
    }
    // The longest cut head that fits. Measuring every candidate from scratch takes time
    // quadratic in the head's length; instead each prefix's width is known from one pass, a
    // candidate is skipped while even that estimate (which leaves out only the kerning
    // between the cut and the ellipsis, less than the font size) is too wide, and only the
    // few candidates near the limit are measured exactly, longest first.
    let chars: Vec<char> = head.chars().collect();
    let prefix = text::prefix_widths(head, style)?;
    let rest = format!("…{tail}");
    let rest_width = text::prefix_widths(&rest, style)?
        .last()
        .copied()
        .unwrap_or(0.0);
    let slack = style.size as f32 + 2.0;
    for k in (0..chars.len()).rev() {
        if prefix[k] + rest_width > max_width as f32 + slack {
            continue;
        }
        let candidate = format!("{}{rest}", chars[..k].iter().collect::<String>());
        if text::measure(&candidate, style)?.0 <= max_width {
            return Ok((candidate, style));
        }
    }
    if tail.is_empty() {
        Ok((String::new(), style))
    } else {
        fit_text(&full, "", style, max_width)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fitting as it was first written: every candidate measured from scratch
    /// (quadratic).
    fn fit_by_measuring_each(
        head: &str,
        tail: &str,
        style: Style,
        max_width: i32,
    ) -> (String, Style) {
        let min_size = (style.size * 2.0 / 3.0).round();
        let mut style = style;
        let full = format!("{head}{tail}");
        loop {
            if text::measure(&full, style).unwrap().0 <= max_width {
                return (full, style);
            }
            if style.size <= min_size {
                break;
            }
            style.size = (style.size - 1.0).max(min_size);
        }
        let mut chars: Vec<char> = head.chars().collect();
        while chars.pop().is_some() {
            let candidate = format!("{}…{tail}", chars.iter().collect::<String>());
            if text::measure(&candidate, style).unwrap().0 <= max_width {
                return (candidate, style);
            }
        }
        if tail.is_empty() {
            (String::new(), style)
        } else {
            fit_by_measuring_each(&full, "", style, max_width)
        }
    }

    #[test]
    fn cutting_text_gives_what_measuring_every_candidate_gave() {
        let heads = [
            "A scenario whose name is far too long to fit on one line of a chart title, so \
             it must be shrunk and then cut",
            &"AVAWAVAWTyTy.,".repeat(20),
            &"e\u{301}".repeat(150),
            &"☕ wide glyphs and narrow ones: iiiiilllll WWWWWMMMMM ".repeat(4),
        ];
        for head in heads {
            for (tail, width) in [(": Net return by path", 700), ("", 500), (": x", 40)] {
                let style = Style::new(TITLE_SIZE).bold();
                let (got, got_style) = fit_text(head, tail, style, width).unwrap();
                let (want, want_style) = fit_by_measuring_each(head, tail, style, width);
                assert_eq!(got, want, "{head:?} + {tail:?} in {width} px");
                assert_eq!(got_style.size, want_style.size, "{head}");
            }
        }
    }

    #[test]
    fn a_very_long_label_is_cut_in_linear_time() {
        // 100,000 characters never finished when every candidate was measured anew.
        let head = "Label ".repeat(20_000);
        let started = std::time::Instant::now();
        let style = Style::new(TITLE_SIZE).bold();
        let (fitted, _) = fit_text(&head, ": Net return", style, 1000).unwrap();
        assert!(fitted.ends_with("…: Net return"), "{fitted}");
        assert!(
            started.elapsed().as_secs_f64() < 2.0,
            "{:?}",
            started.elapsed()
        );
    }
}
