//! PNG charts of one scenario's summary: one file per chart kind, each a pure function from
//! the summary to PNG bytes (the caller writes the files).
//!
//! Charts are drawn with plotters into an RGB buffer and encoded with the `png` crate. Text
//! is drawn with ab_glyph from the DejaVu fonts embedded in the binary, so that a chart
//! renders the same on a machine without any system font.
//!
//! Every chart is [`WIDTH`] pixels wide; its height grows with what it must hold (a title
//! on two lines, a legend of twelve paths, a grid of small multiples), so that the legend
//! never eats the plot. A path keeps its [`Ink`] (colour and line pattern) in every chart:
//! the first six paths get the Okabe-Ito colours, which stay distinguishable for
//! colour-blind readers, with solid lines; paths seven to twelve get six further colours
//! with dashed lines, so that no two of the twelve paths a scenario may hold look alike.

mod axes;
mod bars;
mod cdf;
mod frame;
mod matrix;
mod net_return;
mod outcomes;
mod pair;
mod panels;
mod sweep;
mod text;
mod threshold;
mod timeline;
mod tornado;

pub use cdf::cdf_png;
pub use matrix::pairs_png;
pub use net_return::net_return_png;
pub use outcomes::{has_outcomes, outcome_words, outcomes_file_name, outcomes_png};
pub use pair::pair_png;
pub use sweep::sweep_png;
pub use threshold::threshold_png;
pub use timeline::timeline_png;
pub use tornado::{has_tornado, share_label, tornado_file_name, tornado_png};

use std::sync::OnceLock;

use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

use crate::report::paths::compared_paths;
use crate::stats::summary::{PathSummary, ScenarioSummary};

/// Width of every chart in pixels: wide enough for a dollar axis with ten ticks.
pub const WIDTH: u32 = 1200;
/// Height of the plot area of a single-plot chart, pixels (the frame around it comes on
/// top; a typical chart is about 700 pixels high).
const PLOT_HEIGHT: u32 = 520;

/// The colours of paths, in the order paths receive them: the six Okabe-Ito colours (black
/// is kept for the zero line, yellow left out because it is faint on white), then six
/// colours of Paul Tol's schemes, dark enough on white, drawn dashed.
pub const PALETTE: [RGBColor; 12] = [
    RGBColor(0x00, 0x72, 0xB2), // blue
    RGBColor(0xE6, 0x9F, 0x00), // orange
    RGBColor(0x00, 0x9E, 0x73), // bluish green
    RGBColor(0xCC, 0x79, 0xA7), // reddish purple
    RGBColor(0xD5, 0x5E, 0x00), // vermillion
    RGBColor(0x56, 0xB4, 0xE9), // sky blue
    RGBColor(0x33, 0x22, 0x88), // indigo (dashed from here on)
    RGBColor(0xAA, 0x99, 0x00), // dark yellow
    RGBColor(0x88, 0x22, 0x55), // wine
    RGBColor(0x11, 0x77, 0x33), // green
    RGBColor(0x8C, 0x51, 0x0A), // brown
    RGBColor(0x66, 0x66, 0x66), // grey
];

/// A path's colour as text on white: the colour itself when its contrast with white
/// reaches 4.5:1 (WCAG's level for text), else the same hue darkened until it does. The
/// palette's orange has 2.2:1 and reads faintly as a label; its shade keeps the hue that ties
/// the label to its bars.
pub fn readable(c: RGBColor) -> RGBColor {
    fn linear(v: f64) -> f64 {
        let v = v / 255.0;
        if v <= 0.040_45 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    }
    let luminance =
        |(r, g, b): (f64, f64, f64)| 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    let rgb = (f64::from(c.0), f64::from(c.1), f64::from(c.2));
    let mut k = 1.0;
    // Contrast with white is 1.05 / (L + 0.05): at least 4.5 below L = 0.1833.
    while k > 0.0 && luminance((rgb.0 * k, rgb.1 * k, rgb.2 * k)) > 1.05 / 4.5 - 0.05 {
        k -= 0.01;
    }
    let shade = |v: f64| (v * k.max(0.0)).round() as u8;
    RGBColor(shade(rgb.0), shade(rgb.1), shade(rgb.2))
}

/// How many paths get solid lines; the rest of the palette is drawn dashed.
const SOLID_INKS: usize = 6;

/// Colour of the zero line ("staying put").
pub const ZERO_LINE: RGBColor = RGBColor(0, 0, 0);

/// The grid's light and bold lines, and the axes and neutral marks (a median, a mean).
const GRID_LIGHT: RGBColor = RGBColor(240, 240, 240);
/// See [`GRID_LIGHT`].
const GRID_BOLD: RGBColor = RGBColor(222, 222, 222);
/// See [`GRID_LIGHT`].
const AXIS_INK: RGBColor = RGBColor(90, 90, 90);

/// How a path is drawn: its colour, and whether its lines and outlines are dashed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ink {
    /// The path's colour.
    pub colour: RGBColor,
    /// Lines and outlines are dashed (paths seven to twelve).
    pub dashed: bool,
}

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

/// Above this many compared paths, the pair charts give way to one matrix (`pairs.png`)
/// and the pair charts of the leading path against its closest rivals: 5 paths make 10
/// pair charts, 11 would make 55.
pub const MANY_PATHS: usize = 5;
/// How many rivals of the leading path keep a pair chart when there are many paths.
const RIVALS_CHARTED: usize = 4;

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

/// Every chart of a scenario as (file name, PNG bytes): `net_return.png`, the pair charts
/// of [`charted_pairs`] (`<a>_vs_<b>.png`), `pairs.png` when there are more than
/// [`MANY_PATHS`] compared paths, `cdf.png`, `timeline.png`, then for each non-baseline path
/// `tornado_<path>.png` (when something uncertain moves its net return) and
/// `outcomes_<path>.png`.
///
/// # Errors
/// A [`ChartError`] if any chart fails to draw or encode.
/// The list of charts is [`artifacts::scenario`](crate::report::artifacts::scenario)'s.
pub fn render_all(summary: &ScenarioSummary) -> Result<Vec<(String, Vec<u8>)>, ChartError> {
    use crate::report::artifacts::{Renderer, scenario};
    let mut charts = Vec::new();
    for a in scenario(summary, true) {
        if let Renderer::Chart(chart) = &a.renderer {
            charts.push((a.file, chart.render(summary)?));
        }
    }
    Ok(charts)
}

/// The pairs of paths that get a head-to-head chart.
///
/// Up to [`MANY_PATHS`] compared paths, every pair (a before b in path order). Beyond, the
/// pairs that answer "is the best path really better than its rivals?": the leading path
/// (the likeliest to beat staying put; the higher median breaks a tie) against each of the
/// next [`RIVALS_CHARTED`] in that ranking, the leader first. Every other pair is one cell
/// of `pairs.png` and one row of the head-to-head table.
pub fn charted_pairs(summary: &ScenarioSummary) -> Vec<(&PathSummary, &PathSummary)> {
    let paths: Vec<&PathSummary> = compared_paths(summary).collect();
    if paths.len() <= MANY_PATHS {
        return crate::report::paths::compared_pairs(summary);
    }
    let mut ranked = paths;
    ranked.sort_by(|a, b| {
        b.prob_beats_baseline
            .total_cmp(&a.prob_beats_baseline)
            .then(b.net.q.p50.total_cmp(&a.net.q.p50))
    });
    let leader = ranked[0];
    ranked[1..]
        .iter()
        .take(RIVALS_CHARTED)
        .map(|rival| (leader, *rival))
        .collect()
}

/// File name of the chart comparing path `a` with path `b` (keys), so that the HTML page
/// can find it among the charts.
pub fn pair_file_name(a: &str, b: &str) -> String {
    format!("{a}_vs_{b}.png")
}

/// The ink of a path: its rank among the non-baseline paths picks a palette entry, so a
/// path looks the same in every chart. A scenario holds at most 12 paths, 11 of them
/// compared; ranks beyond the palette wrap around.
pub fn path_ink(summary: &ScenarioSummary, key: &str) -> Ink {
    let rank = compared_paths(summary)
        .position(|p| p.key == key)
        .unwrap_or(0)
        % PALETTE.len();
    Ink {
        colour: PALETTE[rank],
        dashed: rank >= SOLID_INKS,
    }
}

/// The colour of a path (see [`path_ink`]).
pub fn path_colour(summary: &ScenarioSummary, key: &str) -> RGBColor {
    path_ink(summary, key).colour
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

/// Runs `draw` on a white canvas [`WIDTH`] wide and `height` high and returns the PNG bytes.
fn render_png(
    height: u32,
    draw: impl FnOnce(&Canvas) -> Result<(), ChartError>,
) -> Result<Vec<u8>, ChartError> {
    ensure_fonts()?;
    let mut rgb = vec![255u8; (WIDTH * height * 3) as usize];
    {
        let root = BitMapBackend::with_buffer(&mut rgb, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)?;
        draw(&root)?;
        root.present()?;
    }
    encode_png(&rgb, WIDTH, height)
}

/// Encodes an 8-bit RGB buffer as PNG, losslessly and small: a report embeds every chart,
/// and is sent by mail. A chart of at most 256 colours (a tornado, a heat map) is written
/// with a palette, a byte a pixel instead of three. The pixels are the same either way.
/// Deflate's fast mode: its default and best levels save more and take ten and thirty times
/// as long (the analyst's 17 charts as RGB: 3.3 MB in 44 ms, 1.8 MB in 526 ms and 1,406 ms),
/// seconds on a batch for a smaller file.
fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    // Each row's filter chosen for it: a third smaller as RGB, and for a palette's indices
    // too (a tornado: 249 kB unfiltered, 93 kB), at a few milliseconds.
    encoder.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
    let indexed = palette_of(rgb);
    match &indexed {
        Some((palette, _)) => {
            encoder.set_color(png::ColorType::Indexed);
            encoder.set_palette(palette.clone());
        }
        None => encoder.set_color(png::ColorType::Rgb),
    }
    let mut writer = encoder.write_header()?;
    match &indexed {
        Some((_, pixels)) => writer.write_image_data(pixels)?,
        None => writer.write_image_data(rgb)?,
    }
    writer.finish()?;
    Ok(out)
}

/// The palette (RGB triples, in order of first use) and each pixel's index in it, when the
/// image has at most 256 colours; `None` otherwise.
fn palette_of(rgb: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
    let mut index: std::collections::HashMap<[u8; 3], u8> = std::collections::HashMap::new();
    let mut palette = Vec::new();
    let mut pixels = Vec::with_capacity(rgb.len() / 3);
    // Most pixels repeat the one before (white paper, filled bars): looked up once.
    let mut last: Option<([u8; 3], u8)> = None;
    for px in rgb.chunks_exact(3) {
        let colour = [px[0], px[1], px[2]];
        let i = match last {
            Some((c, i)) if c == colour => i,
            _ => {
                let i = match index.get(&colour) {
                    Some(&i) => i,
                    None => {
                        let i = u8::try_from(index.len()).ok()?;
                        index.insert(colour, i);
                        palette.extend_from_slice(&colour);
                        i
                    }
                };
                last = Some((colour, i));
                i
            }
        };
        pixels.push(i);
    }
    Some((palette, pixels))
}

#[cfg(test)]
mod tests;
