//! Text on the charts, laid out with ab_glyph from the embedded DejaVu fonts.
//!
//! plotters 0.3.7 draws ab_glyph text without each glyph's left side bearing and at whole
//! pixels, which spaces letters unevenly ("the ze ro line"); every chart text is therefore
//! drawn here instead, glyph by glyph at its exact position, with anti-aliased coverage
//! blended into the bitmap.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, PxScale, ScaleFont, point};
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::{Canvas, ChartError};

/// DejaVu Sans, embedded so that charts render on machines without fonts.
pub(super) static REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
/// DejaVu Sans Bold.
pub(super) static BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

/// How a piece of text looks.
#[derive(Debug, Clone, Copy)]
pub(super) struct Style {
    /// Line height in pixels (ascent to descent).
    pub size: f64,
    /// Bold face.
    pub bold: bool,
    /// Colour.
    pub colour: RGBColor,
}

impl Style {
    /// A regular face in dark grey.
    pub fn new(size: f64) -> Self {
        Style {
            size,
            bold: false,
            colour: RGBColor(25, 25, 25),
        }
    }

    /// The bold face.
    pub fn bold(self) -> Self {
        Style { bold: true, ..self }
    }

    /// Another colour.
    pub fn colour(self, colour: RGBColor) -> Self {
        Style { colour, ..self }
    }
}

/// The parsed fonts, regular and bold; parsed once.
fn faces() -> Result<&'static (FontRef<'static>, FontRef<'static>), ChartError> {
    static FACES: OnceLock<Option<(FontRef<'static>, FontRef<'static>)>> = OnceLock::new();
    FACES
        .get_or_init(|| {
            Some((
                FontRef::try_from_slice(REGULAR).ok()?,
                FontRef::try_from_slice(BOLD).ok()?,
            ))
        })
        .as_ref()
        .ok_or(ChartError::Font)
}

/// The face of a style.
fn face(style: Style) -> Result<&'static FontRef<'static>, ChartError> {
    let (regular, bold) = faces()?;
    Ok(if style.bold { bold } else { regular })
}

/// Width and height in pixels of `text` set in `style`.
pub(super) fn measure(text: &str, style: Style) -> Result<(i32, i32), ChartError> {
    let font = face(style)?.as_scaled(PxScale::from(style.size as f32));
    let mut width = 0.0;
    let mut previous = None;
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = previous {
            width += font.kern(p, id);
        }
        width += font.h_advance(id);
        previous = Some(id);
    }
    Ok((
        width.ceil() as i32,
        (font.ascent() - font.descent()).ceil() as i32,
    ))
}

/// Draws `text` on `area` at `pos` (pixels relative to the area), the anchor saying which
/// point of the text's box `pos` is; `vertical` turns the text to read bottom to top (y axis
/// titles), around the anchor.
pub(super) fn draw(
    area: &Canvas,
    text: &str,
    pos: (i32, i32),
    anchor: (HPos, VPos),
    style: Style,
    vertical: bool,
) -> Result<(), ChartError> {
    let font = face(style)?.as_scaled(PxScale::from(style.size as f32));
    let (width, height) = measure(text, style)?;
    let dx = match anchor.0 {
        HPos::Left => 0.0,
        HPos::Center => -width as f32 / 2.0,
        HPos::Right => -width as f32,
    };
    let dy = match anchor.1 {
        VPos::Top => 0.0,
        VPos::Center => -height as f32 / 2.0,
        VPos::Bottom => -height as f32,
    };
    let colour = style.colour;
    let mut caret = dx;
    let mut previous = None;
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = previous {
            caret += font.kern(p, id);
        }
        previous = Some(id);
        let glyph = id.with_scale_and_position(font.scale(), point(caret, dy + font.ascent()));
        caret += font.h_advance(id);
        let Some(outline) = font.outline_glyph(glyph) else {
            continue;
        };
        let bounds = outline.px_bounds();
        let mut result = Ok(());
        outline.draw(|gx, gy, coverage| {
            if coverage <= 0.0 || result.is_err() {
                return;
            }
            let (u, v) = (
                bounds.min.x as i32 + gx as i32,
                bounds.min.y as i32 + gy as i32,
            );
            let (x, y) = if vertical { (v, -u) } else { (u, v) };
            let pixel = colour.mix(f64::from(coverage.min(1.0)));
            result = area.draw_pixel((pos.0 + x, pos.1 + y), &pixel);
        });
        result?;
    }
    Ok(())
}

/// Text positions given by their top-left corner.
pub(super) const TOP_LEFT: (HPos, VPos) = (HPos::Left, VPos::Top);

/// Writes `label` in bold on a white box at a pixel position of `area`, anchored as given;
/// used for labels inside the plot, which must stay legible over lines and bars. The box is
/// moved inside `area` if it would cross its edge.
pub(super) fn boxed(
    area: &Canvas,
    label: &str,
    (x, y): (i32, i32),
    anchor: (HPos, VPos),
    colour: RGBColor,
    size: f64,
) -> Result<(), ChartError> {
    let style = Style::new(size).bold().colour(colour);
    let (w, h) = measure(label, style)?;
    let left = match anchor.0 {
        HPos::Left => x,
        HPos::Center => x - w / 2,
        HPos::Right => x - w,
    };
    let top = match anchor.1 {
        VPos::Top => y,
        VPos::Center => y - h / 2,
        VPos::Bottom => y - h,
    };
    let pad = 4;
    // Keep the whole box inside the area (a label over an edge bar must not spill out).
    let (aw, ah) = area.dim_in_pixel();
    let left = left.min(aw as i32 - w - pad).max(pad);
    let top = top.min(ah as i32 - h - pad).max(pad);
    area.draw(&Rectangle::new(
        [(left - pad, top - pad), (left + w + pad, top + h + pad)],
        WHITE.mix(0.85).filled(),
    ))?;
    draw(area, label, (left, top), TOP_LEFT, style, false)
}

/// Breaks `text` into lines no wider than `max_width`, at spaces, keeping at most
/// `max_lines`; text that does not fit is shortened at a word and ends with "…". A single
/// word wider than a line is cut within the word (with "…").
pub(super) fn wrap(
    text: &str,
    style: Style,
    max_width: i32,
    max_lines: usize,
) -> Result<Vec<String>, ChartError> {
    let fits = |s: &str| -> Result<bool, ChartError> { Ok(measure(s, style)?.0 <= max_width) };
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut overflow = false;
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if fits(&candidate)? {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        if lines.len() == max_lines {
            overflow = true;
            break;
        }
        current = if fits(word)? {
            word.to_string()
        } else {
            cut_chars(word, style, max_width)?
        };
    }
    if !overflow && !current.is_empty() {
        if lines.len() == max_lines {
            overflow = true;
        } else {
            lines.push(current);
        }
    }
    if let (true, Some(last)) = (overflow, lines.last_mut()) {
        *last = shorten_at_word(last, style, max_width)?;
    }
    Ok(lines)
}

/// `line` with "…" after it, dropping whole words from its end until it fits `max_width`
/// (and the characters of its first word if that alone is too wide).
pub(super) fn shorten_at_word(
    line: &str,
    style: Style,
    max_width: i32,
) -> Result<String, ChartError> {
    let mut words: Vec<&str> = line.split(' ').collect();
    while !words.is_empty() {
        let candidate = format!("{}…", words.join(" ").trim_end_matches([',', ';', ':']));
        if measure(&candidate, style)?.0 <= max_width {
            return Ok(candidate);
        }
        if words.len() == 1 {
            return cut_chars(words[0], style, max_width);
        }
        words.pop();
    }
    Ok("…".to_string())
}

/// `head` shortened at a word with "…" so that `head + tail` fits `max_width` on one line;
/// `tail` (a figure after a label) is always kept whole.
pub(super) fn fit_with_tail(
    head: &str,
    tail: &str,
    style: Style,
    max_width: i32,
) -> Result<String, ChartError> {
    let full = format!("{head}{tail}");
    if measure(&full, style)?.0 <= max_width {
        return Ok(full);
    }
    let room = max_width - measure(tail, style)?.0;
    Ok(format!(
        "{}{tail}",
        shorten_at_word(head, style, room.max(0))?
    ))
}

/// A word cut within itself to fit `max_width`, ending with "…".
fn cut_chars(word: &str, style: Style, max_width: i32) -> Result<String, ChartError> {
    let mut chars: Vec<char> = word.chars().collect();
    while !chars.is_empty() {
        let candidate = format!("{}…", chars.iter().collect::<String>());
        if measure(&candidate, style)?.0 <= max_width {
            return Ok(candidate);
        }
        chars.pop();
    }
    Ok("…".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIDE: i32 = 10_000;

    #[test]
    fn wrapping_breaks_at_spaces_and_keeps_every_word() {
        let style = Style::new(20.0);
        let text = "Parent, 35: part-time online master's under RAP, or full-time on private loans";
        let width = measure("Parent, 35: part-time online", style).unwrap().0;
        let lines = wrap(text, style, width, 10).unwrap();
        assert!(lines.len() > 2, "{lines:?}");
        assert_eq!(lines.join(" "), text);
        for l in &lines {
            assert!(measure(l, style).unwrap().0 <= width, "{l}");
        }
        assert_eq!(wrap(text, style, WIDE, 1).unwrap(), [text]);
    }

    #[test]
    fn text_beyond_the_last_line_is_shortened_at_a_word_with_an_ellipsis() {
        let style = Style::new(20.0);
        let text = "Parent, 35: part-time online master's under RAP, or full-time on private loans";
        let width = measure("Parent, 35: part-time online", style).unwrap().0;
        let lines = wrap(text, style, width, 2).unwrap();
        assert_eq!(lines.len(), 2);
        assert!(lines[1].ends_with('…'), "{lines:?}");
        // The cut falls between words: what is left before the ellipsis is whole words.
        let kept = lines.join(" ");
        let kept = kept.trim_end_matches('…');
        assert!(text.starts_with(kept), "{kept}");
        assert!(text[kept.len()..].starts_with([' ', ',']), "{kept}");
    }

    #[test]
    fn a_label_is_shortened_before_its_figure() {
        let style = Style::new(20.0);
        let tail = " (median -$12.4k)";
        // Widths are whole pixels rounded up, part by part: allow for that.
        let width = measure("Full-time ML master's… (median -$12.4k)", style)
            .unwrap()
            .0
            + 2;
        let fitted = fit_with_tail("Full-time ML master's, in person", tail, style, width).unwrap();
        assert_eq!(fitted, "Full-time ML master's… (median -$12.4k)");
        assert_eq!(
            fit_with_tail("Short", tail, style, WIDE).unwrap(),
            "Short (median -$12.4k)"
        );
    }
}
