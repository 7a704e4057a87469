//! The terminal's summary of a scenario: each path's odds, median, worst tenth, break-even.

use std::path::Path;

use crate::console::Stdout;
use crate::report::html::RunInfo;
use crate::scenario::fmt_num;
use crate::stats::summary::ScenarioSummary;
use crate::{outln, report};

/// Money for the terminal table: the report's one format.
fn money(x: f64) -> String {
    report::format::money(x)
}

/// Break-even for the terminal: how often, and the median age among the lives that do.
fn breakeven_words(s: &ScenarioSummary, p: &crate::stats::summary::PathSummary) -> String {
    if p.same_as_baseline() {
        return "nothing to earn back (as staying put)".to_string();
    }
    match p.breakeven_p50_years_if_ever {
        Some(t) => format!(
            "{:.0}% of lives (median age {:.0})",
            100.0 * (1.0 - p.prob_no_breakeven),
            f64::from(s.age) + t
        ),
        None => "never".to_string(),
    }
}

pub(crate) fn print_headline(
    out: &mut Stdout,
    s: &ScenarioSummary,
    info: &RunInfo,
    dir: &Path,
    visuals: bool,
) {
    outln!(
        out,
        "{} ({}): {}, seed {}, {}, {} trials/s",
        s.name,
        s.stem,
        crate::text::count(s.trials, "trial"),
        s.seed,
        crate::text::seconds(info.elapsed_seconds),
        fmt_num(info.trials_per_second.round())
    );
    let base = s.baseline().label.clone();
    let width = s
        .paths
        .iter()
        .map(|p| p.label.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    // A share with its range ("99.0% (98.1–99.5%)") is wider than one with its margin.
    let odds: Vec<String> = s
        .paths
        .iter()
        .filter(|p| !p.baseline)
        .map(|p| report::margin::share_pm(p.prob_beats_baseline, &p.precision.prob_beats_baseline))
        .collect();
    let odds_width = odds
        .iter()
        .map(|o| o.chars().count())
        .max()
        .unwrap_or(0)
        .max(10);
    outln!(
        out,
        "  {:width$}  {:>12}  {:>odds_width$}  {:>12}  {:>12}  breaks even",
        "path",
        "median",
        "P(beats)",
        "worst 10%",
        "mean debt"
    );
    for (p, odds) in s.paths.iter().filter(|p| !p.baseline).zip(&odds) {
        outln!(
            out,
            "  {:width$}  {:>12}  {:>odds_width$}  {:>12}  {:>12}  {}",
            p.label,
            money(p.net.q.p50),
            odds,
            money(p.net.q.p10),
            money(p.mean_debt),
            breakeven_words(s, p)
        );
    }
    outln!(
        out,
        "  (net return versus \"{base}\", today's dollars; P(beats) \u{b1} its 95% margin, in \
         percentage points,\n   or (its 95% range) when lopsided; worst 10%: the 10th percentile; \
         mean debt: nominal, when repayment starts;\n   breaks even: the share of lives that \
         do, and the median age at which they do)"
    );
    // A median between two groups of lives can be far less certain than its digits: said
    // under the table rather than widening its column.
    for p in s
        .paths
        .iter()
        .filter(|p| !p.baseline && report::margin::median_uncertain(p.net.q.p50, &p.precision.p50))
    {
        let ci = &p.precision.p50;
        if (ci.hi - ci.lo).is_finite() {
            outln!(
                out,
                "  The median of {} is uncertain: {} to {} in 95% of runs (few trials, or lives \
                 split in two groups with the median between them); more trials narrow it.",
                p.label,
                money(ci.lo),
                money(ci.hi)
            );
        } else {
            outln!(
                out,
                "  The median of {} is uncertain: too few trials to bound it.",
                p.label
            );
        }
    }
    let main = if visuals {
        dir.join("report.html")
    } else {
        dir.join("summary.csv")
    };
    outln!(out, "  -> {}\n", main.display());
}
