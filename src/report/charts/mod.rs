//! PNG charts of one scenario's summary: one file per chart kind, each a pure function from
//! the summary to PNG bytes (the caller writes the files).
//!
//! Charts are drawn with plotters into an RGB buffer and encoded with the `png` crate. Text
//! is drawn with ab_glyph from the DejaVu fonts embedded in the binary, so that a chart
//! renders the same on a machine without any system font. Colours come from the Okabe-Ito
//! palette, which stays distinguishable for colour-blind readers, and a path keeps its
//! colour in every chart.

mod axes;
mod bars;
mod cdf;
mod frame;
mod net_return;
mod outcomes;
mod pair;
mod text;
mod timeline;
mod tornado;

pub use cdf::cdf_png;
pub use net_return::net_return_png;
pub use outcomes::{outcome_words, outcomes_file_name, outcomes_png};
pub use pair::pair_png;
pub use timeline::timeline_png;
pub use tornado::{share_label, tornado_file_name, tornado_png};

use std::sync::OnceLock;

use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

use crate::report::paths::{compared_pairs, compared_paths};
use crate::stats::summary::ScenarioSummary;

/// Width of every chart in pixels: wide enough for a dollar axis with ten ticks.
pub const WIDTH: u32 = 1200;
/// Height of every chart in pixels.
pub const HEIGHT: u32 = 700;

/// The Okabe-Ito colours used for paths, in the order paths receive them (black is kept
/// for the zero line, and yellow comes last because it is faint on white).
pub const PALETTE: [RGBColor; 7] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0xF0, 0xE4, 0x42), // yellow
];

/// Colour of the zero line ("staying put").
pub const ZERO_LINE: RGBColor = RGBColor(0, 0, 0);

/// Font family under which the embedded fonts are registered with plotters, which asks for
/// it whenever it lays out text (the charts' text itself is drawn by [`text`]).
const FONT: &str = "sans-serif";
/// Pixel sizes of text, chosen to stay readable when a chart is shown at half size.
const TITLE_SIZE: f64 = 32.0;
const SUBTITLE_SIZE: f64 = 21.0;
const TICK_SIZE: f64 = 20.0;
const AXIS_SIZE: f64 = 21.0;
const LEGEND_SIZE: f64 = 20.0;
const NOTE_SIZE: f64 = 18.0;

/// Opacity of histogram fills and bands, so that overlapping paths stay visible.
const FILL_ALPHA: f64 = 0.28;

/// Why a chart could not be produced. None of these depend on the data: they are bugs or a
/// broken build, reported rather than panicking so that one bad chart does not stop a run.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    /// The font embedded in the binary could not be parsed.
    #[error("the embedded DejaVu font could not be loaded")]
    Font,
    /// plotters failed while drawing.
    #[error("drawing a chart: {0}")]
    Draw(String),
    /// The RGB buffer could not be encoded as PNG.
    #[error("encoding a chart as PNG: {0}")]
    Png(#[from] png::EncodingError),
}

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for ChartError {
    fn from(error: DrawingAreaErrorKind<E>) -> Self {
        ChartError::Draw(error.to_string())
    }
}

/// Every chart of a scenario as (file name, PNG bytes): `net_return.png`, one
/// `<a>_vs_<b>.png` per pair of non-baseline paths (a before b in path order), `cdf.png`,
/// `timeline.png`, then for each non-baseline path `tornado_<path>.png` (when something
/// uncertain moves its net return) and `outcomes_<path>.png`.
///
/// # Errors
/// A [`ChartError`] if any chart fails to draw or encode.
pub fn render_all(summary: &ScenarioSummary) -> Result<Vec<(String, Vec<u8>)>, ChartError> {
    let mut charts = vec![("net_return.png".to_string(), net_return_png(summary)?)];
    for (a, b) in compared_pairs(summary) {
        if let Some(pair) = summary.pair(&a.key, &b.key) {
            charts.push((pair_file_name(&a.key, &b.key), pair_png(summary, pair)?));
        }
    }
    charts.push(("cdf.png".to_string(), cdf_png(summary)?));
    charts.push(("timeline.png".to_string(), timeline_png(summary)?));
    for p in compared_paths(summary) {
        if let Some(png) = tornado_png(summary, p)? {
            charts.push((tornado_file_name(&p.key), png));
        }
        if let Some(png) = outcomes_png(summary, p)? {
            charts.push((outcomes_file_name(&p.key), png));
        }
    }
    Ok(charts)
}

/// File name of the chart comparing path `a` with path `b` (keys), so that the HTML page
/// can find it among the charts.
pub fn pair_file_name(a: &str, b: &str) -> String {
    format!("{a}_vs_{b}.png")
}

/// The colour of a path: its rank among the non-baseline paths picks a palette entry, so a
/// path has the same colour in every chart.
pub fn path_colour(summary: &ScenarioSummary, key: &str) -> RGBColor {
    let rank = compared_paths(summary)
        .position(|p| p.key == key)
        .unwrap_or(0);
    PALETTE[rank % PALETTE.len()]
}

/// Registers the embedded fonts with plotters, once per process.
fn ensure_fonts() -> Result<(), ChartError> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        register_font(FONT, FontStyle::Normal, text::REGULAR).is_ok()
            && register_font(FONT, FontStyle::Bold, text::BOLD).is_ok()
    });
    if ok { Ok(()) } else { Err(ChartError::Font) }
}

/// The drawing area every chart draws on.
type Canvas<'a> = DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>;

/// Runs `draw` on a white canvas of the standard size and returns the PNG bytes.
fn render_png(draw: impl FnOnce(&Canvas) -> Result<(), ChartError>) -> Result<Vec<u8>, ChartError> {
    ensure_fonts()?;
    let mut rgb = vec![255u8; (WIDTH * HEIGHT * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&root)?;
        root.present()?;
    }
    encode_png(&rgb, WIDTH, HEIGHT)
}

/// Encodes an 8-bit RGB buffer as PNG.
fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests;
