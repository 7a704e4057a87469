//! The frame shared by every chart: a title block, a legend and a note, all placed outside
//! the plot area so that none of them hides data.
//!
//! The frame is laid out before the canvas is made: the canvas is as high as the title
//! (one or two lines), the legend (one row, or a grid of columns for many paths) and the
//! note need, on top of the plot's own height, so that a long legend never squeezes the plot.

use plotters::element::DashedPathElement;
use plotters::prelude::*;

use super::text::{self, Style, TOP_LEFT};
use super::{
    Canvas, ChartError, FILL_ALPHA, Ink, LEGEND_SIZE, NOTE_SIZE, SUBTITLE_SIZE, TITLE_SIZE, WIDTH,
    render_png,
};

/// Left and right page margin, pixels.
pub(super) const MARGIN: i32 = 24;
/// Grey for secondary text.
pub(super) const MUTED: RGBColor = RGBColor(70, 70, 70);
/// Width of a legend mark, pixels.
const MARK_WIDTH: i32 = 40;
/// Space between a mark and its text, and between legend columns, pixels.
const MARK_GAP: i32 = 8;
const COLUMN_GAP: i32 = 28;

/// How a legend entry is drawn.
#[derive(Debug, Clone, Copy)]
pub(super) enum Mark {
    /// A translucent box with an edge in the path's ink (histogram bars).
    Fill(Ink),
    /// A box of one colour at an opacity (bars of one sign).
    Solid(RGBColor, f64),
    /// A line in the path's ink.
    Line(Ink),
    /// A dashed grey-or-other line (medians).
    Dashed(RGBColor),
    /// A point with a vertical whisker (a value tried and its 95% interval).
    Whisker(RGBColor),
}

/// One entry of the legend.
pub(super) struct LegendEntry {
    /// What the entry shows.
    pub mark: Mark,
    /// Its text; shortened at a word when the legend is too narrow.
    pub label: String,
    /// A figure after the label (" (median $12k)"), never shortened.
    pub detail: String,
}

impl LegendEntry {
    /// An entry without a figure.
    pub fn new(mark: Mark, label: impl Into<String>) -> Self {
        LegendEntry {
            mark,
            label: label.into(),
            detail: String::new(),
        }
    }
}

/// Everything around the plot area.
pub(super) struct Frame {
    /// The scenario's name, first in the title (shortened first if the title is too long).
    pub scenario: String,
    /// What the chart is, after the scenario's name in the title.
    pub title: String,
    /// What the chart shows, in a line or two.
    pub subtitle: String,
    /// An optional key figure in large type (e.g. "The bootcamp comes out ahead in 63% of
    /// lives") and its colour.
    pub highlight: Option<(String, RGBColor)>,
    /// Legend entries, under the title block.
    pub legend: Vec<LegendEntry>,
    /// An optional note under the plot (how to read the edges, ...).
    pub note: Option<String>,
    /// The last line, which lets the chart stand alone when cut out of its report: the
    /// program's version, the lives simulated, the seed, the discount rate ([`credit`]).
    pub credit: String,
}

/// The credit line of a scenario's chart: "worthit 0.1.0 · 200,000 lives simulated · seed
/// 42 · future money discounted 3% a year after inflation". The discount rate decides the
/// figures as much as any input, and a chart cut out of its report no longer says it.
pub(super) fn credit(summary: &crate::stats::summary::ScenarioSummary) -> String {
    let discount = match summary.discount_rate {
        Some(r) if r != 0.0 => format!(
            "future money discounted {} a year after inflation",
            crate::threshold::value_words(r, crate::scenario::schema::Unit::Rate)
        ),
        Some(_) => "future money after inflation, not discounted".to_string(),
        None => "a discount rate drawn in each life".to_string(),
    };
    format!(
        "worthit {} · {} simulated · seed {} · {discount}",
        env!("CARGO_PKG_VERSION"),
        crate::text::lives(summary.trials),
        summary.seed
    )
}

/// Up to this many legend entries too wide for two columns get a row each.
const LONG_LEGEND: usize = 6;

/// Lines of the title block.
const TITLE_LINES: usize = 2;
const SUBTITLE_LINES: usize = 2;
const NOTE_LINES: usize = 2;

/// The frame as it will be drawn: every line of text, the legend's grid, and the heights
/// above and below the plot.
struct Layout {
    title: Vec<String>,
    subtitle: Vec<String>,
    highlight: Option<(String, Style)>,
    legend: Vec<(Mark, String)>,
    /// Columns of the legend grid, 0 for one flowing row.
    legend_columns: usize,
    legend_rows: usize,
    note: Vec<String>,
    /// The credit line, fitted to the width (empty: none).
    credit: String,
    /// Pixels above the plot area.
    top: i32,
    /// Pixels below the plot area.
    bottom: i32,
}

/// The title's style.
fn title_style() -> Style {
    Style::new(TITLE_SIZE).bold()
}

/// The subtitle's style.
fn subtitle_style() -> Style {
    Style::new(SUBTITLE_SIZE).colour(MUTED)
}

/// The note's style.
fn note_style() -> Style {
    Style::new(NOTE_SIZE).colour(MUTED)
}

/// The credit line's style: the note's, a little smaller.
fn credit_style() -> Style {
    Style::new(NOTE_SIZE - 3.0).colour(MUTED)
}

/// Height of a legend row, pixels.
const LEGEND_ROW: i32 = LEGEND_SIZE as i32 + 12;

/// Renders a chart: the frame, then `draw` on the plot area, which is `plot_height` pixels
/// high (the canvas grows by the frame's height).
pub(super) fn render_framed(
    frame: &Frame,
    plot_height: u32,
    draw: impl FnOnce(&Canvas) -> Result<(), ChartError>,
) -> Result<Vec<u8>, ChartError> {
    let layout = lay_out(frame)?;
    let height = (layout.top + layout.bottom) as u32 + plot_height;
    render_png(height, |root| {
        draw_layout(root, &layout)?;
        let area = root.margin(layout.top, layout.bottom, 8, MARGIN);
        draw(&area)
    })
}

/// Lays the frame out: wraps the texts and fits the legend.
fn lay_out(frame: &Frame) -> Result<Layout, ChartError> {
    let max_width = WIDTH as i32 - 2 * MARGIN;
    let title = title_lines(&frame.scenario, &frame.title, max_width)?;
    let subtitle = text::wrap(&frame.subtitle, subtitle_style(), max_width, SUBTITLE_LINES)?;
    let highlight = match &frame.highlight {
        Some((line, colour)) => {
            let style = Style::new(SUBTITLE_SIZE * 1.3)
                .bold()
                .colour(super::readable(*colour));
            let fitted = text::wrap(line, style, max_width, 1)?;
            Some((fitted.concat(), style))
        }
        None => None,
    };
    let (legend, legend_columns, legend_rows) = lay_out_legend(&frame.legend, max_width)?;
    let note = match &frame.note {
        Some(note) => text::wrap(note, note_style(), max_width, NOTE_LINES)?,
        None => Vec::new(),
    };

    let credit = if frame.credit.is_empty() {
        String::new()
    } else {
        text::fit_with_tail(&frame.credit, "", credit_style(), max_width)?
    };
    let line = |style: Style| style.size as i32 + 8;
    let mut top = 14;
    top += title.len() as i32 * line(title_style());
    top += subtitle.len() as i32 * line(subtitle_style());
    if let Some((_, style)) = &highlight {
        top += line(*style);
    }
    top += 2 + legend_rows as i32 * LEGEND_ROW + 4;
    let mut bottom = if note.is_empty() {
        8
    } else {
        note.len() as i32 * line(note_style()) + 10
    };
    if !credit.is_empty() {
        bottom += line(credit_style()) + 2;
    }
    Ok(Layout {
        title,
        subtitle,
        highlight,
        legend,
        legend_columns,
        legend_rows,
        note,
        credit,
        top,
        bottom,
    })
}

/// The title "scenario: chart" on at most two lines; if it is longer, the scenario's name
/// is shortened with "…" and the chart's name is kept. The name is cut after a word, never
/// after a linking word ("bootcamp, or…" reads as cut mid-phrase), and at the end of a
/// phrase (a word ending in ',', ';', ':' or ')') when that costs at most two more words.
fn title_lines(scenario: &str, chart: &str, max_width: i32) -> Result<Vec<String>, ChartError> {
    let style = title_style();
    let tail = format!(": {chart}");
    let full = format!("{scenario}{tail}");
    let lines = text::wrap(&full, style, max_width, TITLE_LINES + 1)?;
    if lines.len() <= TITLE_LINES {
        return Ok(lines);
    }
    let words: Vec<&str> = scenario.split_whitespace().collect();
    // The longest shortening that fits (its word count and lines), once found.
    let mut longest: Option<(usize, Vec<String>)> = None;
    for n in (1..words.len()).rev() {
        if longest.as_ref().is_some_and(|(kept, _)| n + 2 < *kept) {
            break;
        }
        let Some((head, phrase)) = shortened(&words[..n]) else {
            continue;
        };
        let lines = text::wrap(&format!("{head}…{tail}"), style, max_width, TITLE_LINES + 1)?;
        if lines.len() > TITLE_LINES {
            continue;
        }
        if phrase {
            return Ok(lines);
        }
        if longest.is_none() {
            longest = Some((n, lines));
        }
    }
    if let Some((_, lines)) = longest {
        return Ok(lines);
    }
    // No word of the name fits beside the chart's name: the chart's name alone.
    let lines = text::wrap(&format!("…{tail}"), style, max_width, TITLE_LINES + 1)?;
    if lines.len() <= TITLE_LINES {
        return Ok(lines);
    }
    text::wrap(&full, style, max_width, TITLE_LINES)
}

/// Words that do not end a shortened name.
const LINKING_WORDS: [&str; 19] = [
    "a", "after", "an", "and", "at", "before", "by", "for", "from", "in", "of", "on", "or", "the",
    "to", "under", "versus", "vs", "while",
];

/// `words` joined as a shortened name: without the linking words at its end, nor the
/// punctuation after its last word; and whether that word ended a phrase. `None` when
/// nothing is left, or when the cut falls inside parentheses.
fn shortened(words: &[&str]) -> Option<(String, bool)> {
    // A linking word with punctuation attached ("vs.", "or,", "for:") is one still.
    let linking = |w: &str| {
        let bare = w
            .trim_start_matches('(')
            .trim_end_matches(['.', ',', ';', ':']);
        LINKING_WORDS.contains(&bare.to_lowercase().as_str())
    };
    let mut end = words.len();
    while end > 0 && linking(words[end - 1]) {
        end -= 1;
    }
    let last = words[..end].last()?;
    let head = words[..end].join(" ");
    if head.matches('(').count() > head.matches(')').count() {
        return None;
    }
    let phrase = last.ends_with([',', ';', ':', ')']);
    let head = head.trim_end_matches([',', ';', ':']);
    (!head.is_empty()).then(|| (head.to_string(), phrase))
}

/// Fits the legend: one flowing row when every entry fits on it; otherwise a grid of equal
/// columns, filled column by column, as many columns as the widest entry allows. When not
/// even two fit, up to [`LONG_LEGEND`] entries get a row each; more get two columns, their
/// labels shortened at a word. Returns the entries' final texts, the columns (0 for one
/// row) and the rows.
#[allow(clippy::type_complexity)]
fn lay_out_legend(
    entries: &[LegendEntry],
    max_width: i32,
) -> Result<(Vec<(Mark, String)>, usize, usize), ChartError> {
    if entries.is_empty() {
        return Ok((Vec::new(), 0, 0));
    }
    let style = Style::new(LEGEND_SIZE);
    let full: Vec<String> = entries
        .iter()
        .map(|e| format!("{}{}", e.label, e.detail))
        .collect();
    let widths: Vec<i32> = full
        .iter()
        .map(|t| Ok(MARK_WIDTH + MARK_GAP + text::measure(t, style)?.0))
        .collect::<Result<_, ChartError>>()?;
    let one_row: i32 = widths.iter().sum::<i32>() + COLUMN_GAP * (widths.len() as i32 - 1);
    if one_row <= max_width {
        let texts = entries.iter().map(|e| e.mark).zip(full).collect();
        return Ok((texts, 0, 1));
    }
    let widest = widths.iter().copied().max().unwrap_or(0);
    let fitting = ((max_width + COLUMN_GAP) / (widest + COLUMN_GAP)).max(1) as usize;
    // A few long entries get a row each, whole; many get at least two columns, shortened.
    let columns = if fitting == 1 && entries.len() > LONG_LEGEND {
        2
    } else {
        fitting
    }
    .min(entries.len());
    let column_width = (max_width - COLUMN_GAP * (columns as i32 - 1)) / columns as i32;
    let room = column_width - MARK_WIDTH - MARK_GAP;
    let texts = entries
        .iter()
        .map(|e| {
            Ok((
                e.mark,
                text::fit_with_tail(&e.label, &e.detail, style, room)?,
            ))
        })
        .collect::<Result<_, ChartError>>()?;
    let rows = entries.len().div_ceil(columns);
    Ok((texts, columns, rows))
}

/// Draws the title block, the legend and the note of a laid-out frame.
fn draw_layout(root: &Canvas, layout: &Layout) -> Result<(), ChartError> {
    let mut y = 14;
    let mut lines = |texts: &[String], style: Style| -> Result<(), ChartError> {
        for t in texts {
            text::draw(root, t, (MARGIN, y), TOP_LEFT, style, false)?;
            y += style.size as i32 + 8;
        }
        Ok(())
    };
    lines(&layout.title, title_style())?;
    lines(&layout.subtitle, subtitle_style())?;
    if let Some((line, style)) = &layout.highlight {
        lines(std::slice::from_ref(line), *style)?;
    }
    draw_legend(root, layout, y + 2)?;
    let height = root.dim_in_pixel().1 as i32;
    let mut y = height - layout.bottom + 6;
    for line in &layout.note {
        text::draw(root, line, (MARGIN, y), TOP_LEFT, note_style(), false)?;
        y += NOTE_SIZE as i32 + 8;
    }
    if !layout.credit.is_empty() {
        text::draw(
            root,
            &layout.credit,
            (MARGIN, y + 2),
            TOP_LEFT,
            credit_style(),
            false,
        )?;
    }
    Ok(())
}

/// Draws the legend from `top`: one row, or a grid filled column by column.
fn draw_legend(root: &Canvas, layout: &Layout, top: i32) -> Result<(), ChartError> {
    let style = Style::new(LEGEND_SIZE);
    let max_width = WIDTH as i32 - 2 * MARGIN;
    let mut x = MARGIN;
    for (i, (mark, label)) in layout.legend.iter().enumerate() {
        let (left, y) = if layout.legend_columns == 0 {
            let left = x;
            x += MARK_WIDTH + MARK_GAP + text::measure(label, style)?.0 + COLUMN_GAP;
            (left, top)
        } else {
            let columns = layout.legend_columns as i32;
            let column_width = (max_width - COLUMN_GAP * (columns - 1)) / columns;
            let (column, row) = (i / layout.legend_rows, i % layout.legend_rows);
            (
                MARGIN + column as i32 * (column_width + COLUMN_GAP),
                top + row as i32 * LEGEND_ROW,
            )
        };
        draw_mark(root, *mark, (left, y), MARK_WIDTH, LEGEND_SIZE as i32)?;
        text::draw(
            root,
            label,
            (left + MARK_WIDTH + MARK_GAP, y),
            TOP_LEFT,
            style,
            false,
        )?;
    }
    Ok(())
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
    let stroke = |ink: Ink, line: Vec<(i32, i32)>| -> Result<(), ChartError> {
        if ink.dashed {
            root.draw(&DashedPathElement::new(
                line,
                9,
                5,
                ink.colour.stroke_width(3),
            ))?;
        } else {
            root.draw(&PathElement::new(line, ink.colour.stroke_width(3)))?;
        }
        Ok(())
    };
    match mark {
        Mark::Fill(ink) => {
            root.draw(&Rectangle::new(bx, ink.colour.mix(FILL_ALPHA).filled()))?;
            let (l, t, r, b) = (x + 1, y + 2, x + width - 1, y + height - 2);
            stroke(ink, vec![(l, b), (l, t), (r, t), (r, b), (l, b)])?;
        }
        Mark::Solid(c, alpha) => root.draw(&Rectangle::new(bx, c.mix(alpha).filled()))?,
        Mark::Line(ink) => stroke(ink, line)?,
        Mark::Dashed(c) => root.draw(&DashedPathElement::new(line, 7, 5, c.stroke_width(3)))?,
        Mark::Whisker(c) => {
            let cx = x + width / 2;
            root.draw(&PathElement::new(
                vec![(cx, y), (cx, y + height)],
                c.stroke_width(2),
            ))?;
            for end in [y, y + height] {
                root.draw(&PathElement::new(
                    vec![(cx - 5, end), (cx + 5, end)],
                    c.stroke_width(2),
                ))?;
            }
            root.draw(&Circle::new((cx, mid), 6, c.filled()))?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_credits_its_run_and_its_discount_rate() {
        let mut summary = crate::report::fixture::realistic();
        // The scenario leaves the rate at its default, one number.
        assert_eq!(summary.discount_rate, Some(0.03));
        summary.trials = 200_000;
        summary.seed = 20_261_121;
        let version = env!("CARGO_PKG_VERSION");
        summary.discount_rate = Some(0.03);
        assert_eq!(
            credit(&summary),
            format!(
                "worthit {version} · 200,000 lives simulated · seed 20261121 · future money \
                 discounted 3% a year after inflation"
            )
        );
        summary.trials = 1;
        assert!(credit(&summary).contains(" · 1 life simulated · "));
        summary.discount_rate = Some(0.0);
        assert!(credit(&summary).ends_with("· future money after inflation, not discounted"));
        summary.discount_rate = None;
        assert!(credit(&summary).ends_with("· a discount rate drawn in each life"));
    }

    #[test]
    fn a_shortened_name_drops_linking_words_and_trailing_punctuation() {
        let words = |s: &'static str| s.split_whitespace().collect::<Vec<_>>();
        assert_eq!(
            shortened(&words("Data analyst, 27: ML master's, bootcamp, or")),
            Some(("Data analyst, 27: ML master's, bootcamp".to_string(), true))
        );
        assert_eq!(
            shortened(&words("Parent, 35: part-time online master's under")),
            Some(("Parent, 35: part-time online master's".to_string(), false))
        );
        assert_eq!(
            shortened(&words(
                "Data analyst, 27: ML master's (in person or online),"
            )),
            Some((
                "Data analyst, 27: ML master's (in person or online)".to_string(),
                true
            ))
        );
        assert_eq!(shortened(&words("Or the")), None);
        assert_eq!(
            shortened(&words("Saving for: bootcamp vs.")),
            Some(("Saving for: bootcamp".to_string(), false))
        );
        assert_eq!(
            shortened(&words("Saving for:")),
            Some(("Saving".to_string(), false))
        );
        assert_eq!(
            shortened(&words("Data analyst, 27: ML master's (in person")),
            None
        );
        assert_eq!(
            shortened(&words("Data analyst, 27: ML master's (in")),
            Some(("Data analyst, 27: ML master's".to_string(), false))
        );
    }

    #[test]
    fn a_long_title_keeps_the_chart_name_and_cuts_the_scenario_at_a_phrase() {
        let scenario =
            "Data analyst, 27: ML master's (in person or online), bootcamp, or self-study";
        let chart = "What decides Part-time online master's while working";
        let mut cuts = Vec::new();
        for width in (700..=1400).step_by(25) {
            let lines = title_lines(scenario, chart, width).unwrap();
            let title = lines.join(" ");
            assert!(lines.len() <= TITLE_LINES, "{width}: {lines:?}");
            let Some((head, rest)) = title.split_once('…') else {
                assert_eq!(title, format!("{scenario}: {chart}"), "{width}");
                continue;
            };
            assert_eq!(rest, format!(": {chart}"), "{width}");
            let last = head.rsplit(' ').next().unwrap();
            assert!(!LINKING_WORDS.contains(&last), "{width}: {title}");
            assert!(!head.ends_with(','), "{width}: {title}");
            cuts.push(head.to_string());
        }
        // A name with no word that fits (one long word): the chart's name is kept whole.
        let long = "a_scenario_named_with_one_very_long_word_that_fills_a_line_of_the_title";
        let lines = title_lines(long, chart, 700).unwrap();
        assert_eq!(lines.join(" "), format!("…: {chart}"));
        // Some widths cut the name, and a cut is at a phrase's end where one is near.
        assert!(!cuts.is_empty());
        for head in &cuts {
            assert!(
                ["27", "master's", "online)", "bootcamp"]
                    .iter()
                    .any(|end| head.ends_with(end)),
                "{head}"
            );
        }
    }
}
