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

/// The unrounded width in pixels of every prefix of `text` set in `style`, in one pass: entry
/// `k` is the width of its first `k` characters, as [`measure`] adds it up (so that a caller
/// cutting text to fit tries each length without measuring it anew).
pub(super) fn prefix_widths(text: &str, style: Style) -> Result<Vec<f32>, ChartError> {
    let font = face(style)?.as_scaled(PxScale::from(style.size as f32));
    let mut widths = Vec::with_capacity(text.len() + 1);
    let mut width = 0.0;
    let mut previous = None;
    widths.push(width);
    for c in text.chars() {
        let id = font.glyph_id(c);
        if let Some(p) = previous {
            width += font.kern(p, id);
        }
        width += font.h_advance(id);
        previous = Some(id);
        widths.push(width);
    }
    Ok(widths)
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
