//! The sections that say why a path turns out as it does: how its lives turn out (the
//! outcome groups behind a two-humped distribution), what decides it (the uncertainties that
//! explain most of the spread, in words and as a table; the tornado and outcome charts are
//! among the report's charts), and its net return 10 to 40 years on.

use super::escape;
use super::headline::number;
use super::table::{Cell, num_col, table, text_col};
use crate::report::charts::{outcome_words, share_label};
use crate::report::format::{join_words, money, percent};
use crate::report::paths::{compared_paths, deciding, median_ahead_from};
use crate::stats::sensitivity::SensitivityRow;
use crate::stats::summary::{PathSummary, ScenarioSummary};

/// The uncertainties named in the sentence of a path: at most this many...
const NAMED: usize = 5;
/// ...of those explaining at least this share of the variance.
const NAMED_SHARE: f64 = 0.01;
/// Rows of a path's table: as many as its tornado chart has bars.
const LISTED: usize = 12;

/// How an uncertainty reads inside a sentence: an event as what happens ("being placed in
/// the new field"), an input by its label with a small first letter unless it starts with
/// an acronym ("ML engineer").
fn in_words(r: &SensitivityRow) -> String {
    match r.input.as_str() {
        "completed" => "finishing the program".to_string(),
        "placed" => "being placed in the new field".to_string(),
        "role" => "which role is landed, if any".to_string(),
        "promoted" => "being promoted".to_string(),
        _ => {
            let mut chars = r.label.chars();
            match (chars.next(), chars.next()) {
                (Some(a), Some(b)) if !b.is_uppercase() => {
                    format!("{}{b}{}", a.to_lowercase(), chars.as_str())
                }
                _ => r.label.clone(),
            }
        }
    }
}

/// How close two shares must be to trade places with another seed, in words: about a
/// percentage point at 200,000 lives (measured over seeds on the bundled scenarios, where a
/// share moved by 0.8 points at most), growing as one over the square root of the lives.
fn close_shares(trials: u64) -> String {
    let points = (200_000.0 / trials.max(1) as f64).sqrt();
    // One significant digit (1, 3, 10 points), at most the whole range.
    let points = format!("{points:.0e}")
        .parse::<f64>()
        .unwrap_or(points)
        .min(100.0);
    if points == 1.0 {
        "a percentage point".to_string()
    } else {
        format!("{points} percentage points")
    }
}

/// "What decides it": per path, a sentence naming the uncertainties that explain most of the
/// variance of its net return, the swing of the first input among them, and a table (the
/// same as the path's tornado chart).
pub(super) fn decides(summary: &ScenarioSummary) -> String {
    let mut out = String::from(
        "<p class=\"muted\">The share of the variance is how much of the spread of a path's \
         net return one uncertainty explains on its own (statisticians call it a first-order \
         Sobol index). It is not how much the answer moves if an assumption changes: whether \
         a life is placed (“Placed in the new field”) may explain most of the spread while \
         the chance of being placed explains little, because its row counts only how unsure \
         the scenario is of that chance; yet a higher chance still makes the path win more \
         often: a threshold or a sweep (<code>worthit threshold</code>, <code>worthit sweep</code>) shows how far \
         the answer moves with an assumption. Shares overlap (a promotion comes only after being \
         placed; which role is landed, if any, includes whether one is, and is the same when a \
         path leads to one role: it is then shown once, as being placed) and need not add up \
         to 100%. Low and high: the lives with the uncertainty in its lowest and highest \
         tenth, or for an event, without and with it. Each path's tornado chart, among the \
         charts below, draws its table.",
    );
    out.push_str(&format!(
        " The shares are estimates from this run's {} lives: two within about {} of each \
         other may trade places in a run with another seed.</p>\n",
        crate::text::thousands(summary.trials),
        close_shares(summary.trials)
    ));
    for path in compared_paths(summary) {
        let rows = deciding(summary, &path.key);
        // Said in full to a screen reader's list of headings, where "In short" has the same
        // path names.
        out.push_str(&format!(
            "<h3><span class=\"sr\">What decides </span>{}</h3>\n",
            escape(&path.label)
        ));
        if rows.is_empty() {
            out.push_str(
                "<p>Nothing uncertain moves this path's net return: every life turns out \
                 alike.</p>\n",
            );
            continue;
        }
        out.push_str(&format!("<p>{}</p>\n", sentence(path, &rows)));
        out.push_str(&decides_table(
            &format!("What decides {}", path.label),
            &rows,
        ));
    }
    out
}

/// "What decides the in-person master's: being placed (41% of the variance), ...", then
/// the odds at both ends of the most important input.
fn sentence(path: &PathSummary, rows: &[&SensitivityRow]) -> String {
    let named: Vec<String> = rows
        .iter()
        .filter(|r| r.importance >= NAMED_SHARE)
        .take(NAMED)
        .enumerate()
        .map(|(i, r)| {
            let of = if i == 0 { " of the variance" } else { "" };
            format!(
                "{} ({}{of})",
                escape(&in_words(r)),
                escape(&share_label(r.importance))
            )
        })
        .collect();
    let mut s = if named.is_empty() {
        format!(
            "No single uncertainty explains as much as 1% of the variance of {}'s net return: \
             it comes from many small ones together.",
            escape(&path.label)
        )
    } else {
        format!(
            "What decides {}: {}.",
            escape(&path.label),
            join_words(&named)
        )
    };
    if let Some(r) = rows.iter().find(|r| r.kind.as_str() == "input") {
        s.push_str(&format!(
            " Of the uncertain figures the scenario sets (not one it fixes to a single value, \
             nor the events of a life, nor the hidden traits that move several figures at \
             once), the one that matters most is {}: in the lives with it \
             in its lowest tenth, the path beats staying put in {} of them (mean {}); in its highest tenth, in {} (mean {}).",
            escape(&in_words(r)),
            escape(&percent(r.low_prob_beats)),
            escape(&money(r.low_mean)),
            escape(&percent(r.high_prob_beats)),
            escape(&money(r.high_mean)),
        ));
    }
    // A share of the variance is not how far the odds move: an input with a small share can
    // swing the chance of coming out ahead the most (a job market's heat moving a path from
    // 41% to 69%). Said when that is not the input just named.
    let swing = |r: &&&SensitivityRow| (r.high_prob_beats - r.low_prob_beats).abs();
    let first_input = rows.iter().find(|r| r.kind.as_str() == "input");
    if let Some(r) = rows
        .iter()
        .filter(|r| r.kind.as_str() != "event")
        .max_by(|a, b| swing(a).total_cmp(&swing(b)))
        .filter(|r| swing(r) >= 0.05)
        .filter(|r| first_input.is_none_or(|f| f.input != r.input))
    {
        s.push_str(&format!(
            " The one that moves the chance of coming out ahead the most is {} ({} of the \
             variance): the path beats staying put in {} of the lives with it in its lowest \
             tenth and in {} with it in its highest.",
            escape(&in_words(r)),
            escape(&share_label(r.importance)),
            escape(&percent(r.low_prob_beats)),
            escape(&percent(r.high_prob_beats)),
        ));
    }
    s
}

/// The most important uncertainties of a path as a table.
fn decides_table(caption: &str, rows: &[&SensitivityRow]) -> String {
    let columns = [
        text_col("Uncertainty"),
        num_col("Share of the variance"),
        num_col("Mean if low"),
        num_col("Mean if high"),
        num_col("Beats if low"),
        num_col("Beats if high"),
    ];
    let cells: Vec<Vec<Cell>> = rows
        .iter()
        .take(LISTED)
        .map(|r| {
            vec![
                Cell::Text(r.label.clone()),
                Cell::Num(share_label(r.importance)),
                Cell::Num(money(r.low_mean)),
                Cell::Num(money(r.high_mean)),
                Cell::Num(percent(r.low_prob_beats)),
                Cell::Num(percent(r.high_prob_beats)),
            ]
        })
        .collect();
    let mut out = table(caption, &columns, &cells);
    let rest = rows.len().saturating_sub(LISTED);
    if rest > 0 {
        let max = rows[LISTED..]
            .iter()
            .map(|r| r.importance)
            .fold(0.0, f64::max);
        let bound = if max < 0.001 {
            "less than 0.1%".to_string()
        } else if rest == 1 {
            escape(&share_label(max))
        } else {
            format!("{} or less", escape(&share_label_up(max)))
        };
        let (what, each) = if rest == 1 {
            ("uncertainty", "explaining")
        } else {
            ("uncertainties", "each explaining")
        };
        out.push_str(&format!(
            "<p class=\"muted\">{rest} more {what}, {each} {bound} of the variance, {}: \
             see sensitivity.csv, in the folder of this report.</p>\n",
            if rest == 1 {
                "is not listed"
            } else {
                "are not listed"
            }
        ));
    }
    out
}

/// "How lives turn out": per path, the share of lives in each outcome and the net return of
/// each group, in words and as a table (each path's stacked histogram is among the charts).
pub(super) fn outcomes(summary: &ScenarioSummary) -> String {
    let mut out = String::from(
        "<p class=\"muted\">Each life on a path ends one of four ways: a job in the new field \
         taken, an offer declined because the old career was worth more, the program finished \
         but no job found, or dropped out of the program. The spread of a path's net return is mostly \
         the gap between these groups; each path's chart of how lives turn out, among the \
         charts below, stacks its histogram by outcome.</p>\n",
    );
    let columns = [
        text_col("Path"),
        text_col("Outcome"),
        num_col("Share of lives"),
        num_col("10th pct"),
        num_col("Median"),
        num_col("90th pct"),
        num_col("Beats staying put"),
    ];
    let mut cells = Vec::new();
    for path in compared_paths(summary) {
        // The path's outcomes are shares of its lives: shown so that they add up to 100%.
        let (rows, shares): (Vec<_>, Vec<_>) = crate::report::paths::outcomes(summary, &path.key)
            .into_iter()
            .unzip();
        let words: Vec<String> = rows
            .iter()
            .zip(&shares)
            .filter(|(r, _)| r.trials > 0)
            .map(|(r, share)| {
                format!(
                    "{} {} (median {})",
                    share,
                    outcome_words(r.outcome),
                    money(r.p50)
                )
            })
            .collect();
        if !words.is_empty() {
            out.push_str(&format!(
                "<p><strong>{}</strong>: {}.</p>\n",
                escape(&path.label),
                escape(&join_words(&words))
            ));
        }
        for (r, share) in rows.into_iter().zip(shares) {
            let figure = |x: f64, f: fn(f64) -> String| {
                if r.trials == 0 {
                    "—".to_string()
                } else {
                    f(x)
                }
            };
            cells.push(vec![
                Cell::Text(path.label.clone()),
                Cell::Text(outcome_words(r.outcome).to_string()),
                Cell::Num(share),
                Cell::Num(figure(r.p10, money)),
                Cell::Num(figure(r.p50, money)),
                Cell::Num(figure(r.p90, money)),
                Cell::Num(figure(r.prob_beats_baseline, percent)),
            ]);
        }
    }
    out.push_str(&table("How lives turn out", &columns, &cells));
    out
}

/// "Net return over time": the median cumulative net return and the share of lives ahead
/// after 10, 15, 20, 30 and 40 years (those within the horizon), and for the whole career.
pub(super) fn milestones(summary: &ScenarioSummary) -> String {
    let years: Vec<(u32, u32)> = compared_paths(summary)
        .next()
        .map(|p| p.milestones.iter().map(|m| (m.years, m.age)).collect())
        .unwrap_or_default();
    let titles: Vec<String> = years
        .iter()
        .map(|(y, age)| format!("After {y} years (through age {age})"))
        .chain([format!("Whole career (to {})", summary.retirement_age)])
        .collect();
    let mut columns = vec![text_col("Path")];
    columns.extend(titles.iter().map(|t| num_col(t)));
    let cells: Vec<Vec<Cell>> = compared_paths(summary)
        .map(|p| {
            let mut row = vec![Cell::Text(p.label.clone())];
            row.extend(
                p.milestones
                    .iter()
                    .map(|m| (m.p50, m.prob_ahead))
                    .chain([(p.net.q.p50, p.prob_beats_baseline)])
                    .map(|(median, ahead)| {
                        Cell::Num(format!("{} ({} ahead)", money(median), percent(ahead)))
                    }),
            );
            row
        })
        .collect();
    format!(
        "<p class=\"muted\">The median cumulative net return, discounted to today, and the \
         share of lives ahead of staying put, 10 to 40 years on: the horizons Georgetown \
         University's Center on Education and the Workforce uses to rank the return on \
         degrees (\"A First Try at ROI: Ranking 4,500 Colleges\", 2019). Each median is taken \
         over the lives at that age, not along one life.</p>\n{}",
        table("Net return over time", &columns, &cells)
    )
}

/// Break-even in one sentence: how often, at what age among the lives that do, how often
/// never.
pub(super) fn breakeven_sentence(summary: &ScenarioSummary, path: &PathSummary) -> String {
    let never = path.prob_no_breakeven;
    if path.same_as_baseline() {
        return "Worth exactly what staying put is worth in every life: there is nothing to \
                earn back."
            .to_string();
    }
    let share = match path.breakeven_p50_years_if_ever {
        Some(t) if never <= 0.0 => format!(
            "Breaks even in every life, at a median age of <strong>{}</strong>.",
            number(f64::from(summary.age) + t)
        ),
        Some(t) => format!(
            "Breaks even in {} of lives, those that do at a median age of <strong>{}</strong>; \
             the other {} never do.",
            escape(&percent(1.0 - never)),
            number(f64::from(summary.age) + t),
            escape(&percent(never)),
        ),
        None => return "Never breaks even: in no life is the cost earned back.".to_string(),
    };
    // The age a reader would take from the median line of the timeline, which can be a
    // decade after the break-even age of the lives that do break even.
    let median = match (median_ahead_from(path), path.timeline.last()) {
        (Some(ahead), _) => format!(" The median life is ahead from age {} on.", ahead.age),
        (None, Some(last)) => format!(
            " The median life is still behind at {} ({}).",
            last.age,
            escape(&money(last.p50))
        ),
        (None, None) => String::new(),
    };
    share + &median
}

/// A break-even cell of a table: "38 (44% never)".
pub(super) fn breakeven_cell(summary: &ScenarioSummary, path: &PathSummary) -> String {
    if path.same_as_baseline() {
        return "nothing to earn back".to_string();
    }
    match path.breakeven_p50_years_if_ever {
        Some(t) if path.prob_no_breakeven <= 0.0 => number(f64::from(summary.age) + t),
        Some(t) => format!(
            "{} ({} never)",
            number(f64::from(summary.age) + t),
            percent(path.prob_no_breakeven)
        ),
        None => "never".to_string(),
    }
}

/// A share as [`share_label`] writes it, rounded up rather than to the nearest: the bound
/// of an "or less" (0.55% is "0.6% or less", not "0.5% or less").
fn share_label_up(share: f64) -> String {
    // (A hair below, so that a share the label shows exactly is not pushed a step up.)
    let up = |scale: f64| (share * scale - 1e-9).ceil() / scale;
    if share >= 0.095 {
        share_label(up(100.0).max(0.095))
    } else if share >= 0.001 {
        share_label(up(1000.0))
    } else {
        share_label(share)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::candidates::Kind;

    #[test]
    fn close_shares_grow_as_the_lives_shrink() {
        assert_eq!(close_shares(200_000), "a percentage point");
        assert_eq!(close_shares(20_000), "3 percentage points");
        assert_eq!(close_shares(2_000), "10 percentage points");
        assert_eq!(close_shares(1_000_000), "0.4 percentage points");
        assert_eq!(close_shares(10_000_000), "0.1 percentage points");
        assert_eq!(close_shares(1), "100 percentage points");
    }

    fn row(input: &str, label: &str) -> SensitivityRow {
        SensitivityRow {
            path: "p".to_string(),
            input: input.to_string(),
            label: label.to_string(),
            kind: Kind::Input,
            importance: 0.5,
            low_mean: 0.0,
            high_mean: 0.0,
            low_prob_beats: 0.0,
            high_prob_beats: 0.0,
        }
    }

    #[test]
    fn the_input_that_moves_the_odds_most_is_named_when_it_is_another() {
        let summary = crate::report::fixture::realistic();
        let mut tuition = row("x.tuition_per_year", "Tuition per year");
        tuition.importance = 0.4;
        (tuition.low_prob_beats, tuition.high_prob_beats) = (0.45, 0.55);
        let mut market = row("factors.market", "How hot the job market is");
        market.kind = Kind::Factor;
        market.importance = 0.016;
        (market.low_prob_beats, market.high_prob_beats) = (0.41, 0.69);
        let mut placed = row("placed", "Placed in the new field");
        placed.kind = Kind::Event;
        placed.importance = 0.6;
        (placed.low_prob_beats, placed.high_prob_beats) = (0.0, 0.95);
        let said = sentence(&summary.paths[1], &[&placed, &tuition, &market]);
        // Not the event (its swing is its definition), not the input already named.
        assert!(
            said.contains(
                "The one that moves the chance of coming out ahead the most is how hot the job market is (1.6% of the variance): the path beats staying put in 41% of the lives with it in its lowest tenth and in 69% with it in its highest."
            ),
            "{said}"
        );
        // The input named first is also the one that moves the odds most: said once.
        market.high_prob_beats = 0.43;
        tuition.high_prob_beats = 0.75;
        let said = sentence(&summary.paths[1], &[&placed, &tuition, &market]);
        assert!(!said.contains("The one that moves the chance"), "{said}");
        // A swing under 5 points is not worth a sentence.
        let mut small = row("x.fees", "Fees");
        (small.low_prob_beats, small.high_prob_beats) = (0.50, 0.54);
        let said = sentence(&summary.paths[1], &[&placed, &small]);
        assert!(!said.contains("The one that moves the chance"), "{said}");
    }

    #[test]
    fn the_sentence_escapes_its_figures() {
        let summary = crate::report::fixture::realistic();
        let mut r = row("x.tuition_per_year", "Tuition per year");
        r.low_prob_beats = 0.001;
        let said = sentence(&summary.paths[1], &[&r]);
        assert!(said.contains("in &lt;1% of them"), "{said}");
        assert!(!said.contains('<'), "{said}");
    }

    #[test]
    fn a_table_cut_at_its_rows_says_how_many_more_and_where() {
        let mut rows: Vec<SensitivityRow> = (0..14)
            .map(|i| {
                let mut r = row(&format!("x{i}"), &format!("Input {i}"));
                r.importance = 0.5 / f64::from(1 << i);
                r
            })
            .collect();
        let refs: Vec<&SensitivityRow> = rows.iter().collect();
        let html = decides_table("t", &refs);
        assert_eq!(html.matches("<tr>").count(), LISTED + 1, "{html}");
        // Rows 12 and 13: 0.5 / 4096 = 0.012% and less.
        assert!(
            html.contains("2 more uncertainties, each explaining less than 0.1% of the variance, are not listed: see sensitivity.csv, in the folder of this report."),
            "{html}"
        );
        // The bound of several is rounded up: 0.55% is "0.6% or less", not "0.5%".
        rows[12].importance = 0.0055;
        rows[13].importance = 0.003;
        let refs: Vec<&SensitivityRow> = rows.iter().collect();
        assert!(
            decides_table("t", &refs)
                .contains("2 more uncertainties, each explaining 0.6% or less"),
            "{}",
            decides_table("t", &refs)
        );
        assert_eq!(share_label_up(0.005), "0.5%");
        assert_eq!(share_label_up(0.1201), "13%");
        rows[12].importance = 0.004;
        rows.truncate(13);
        let refs: Vec<&SensitivityRow> = rows.iter().collect();
        assert!(
            decides_table("t", &refs)
                .contains("1 more uncertainty, explaining 0.4% of the variance, is not listed")
        );
        rows.truncate(LISTED);
        let refs: Vec<&SensitivityRow> = rows.iter().collect();
        assert!(!decides_table("t", &refs).contains("not listed"));
    }

    #[test]
    fn uncertainties_read_as_words_in_a_sentence() {
        assert_eq!(
            in_words(&row("placed", "Placed in the new field")),
            "being placed in the new field"
        );
        assert_eq!(
            in_words(&row("x.tuition_per_year", "Tuition per year")),
            "tuition per year"
        );
        assert_eq!(
            in_words(&row("roles.ml_engineer.annual_raise", "ML engineer raises")),
            "ML engineer raises"
        );
    }
}
