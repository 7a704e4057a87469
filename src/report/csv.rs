//! The CSV files of a run, as bytes. Pure: the caller writes them.
//!
//! Money is written to the cent, shares to six decimals, so that the same run gives the
//! same bytes. Every column is described in `docs/output.md`, which a test checks against
//! the headers written here: a new column must be appended (never inserted or renamed, so
//! that scripts reading the files keep working) and documented there.

use crate::stats::summary::{MoneySummary, ScenarioSummary};

/// A text cell (a scenario, path or role name, a label) made safe to open in a spreadsheet:
/// text starting with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a
/// formula (CSV injection), so it is prefixed with a single quote, as the OWASP advice on CSV
/// injection recommends. Numbers never pass through here: a negative amount stays a number.
pub fn text(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// A money cell: to the cent, never "-0.00" (`sweep.csv` and `threshold.csv` write theirs
/// the same way).
pub(super) fn money(x: f64) -> String {
    let s = format!("{x:.2}");
    if s == "-0.00" { "0.00".to_string() } else { s }
}

/// An end of a 95% interval in dollars: empty when the interval has no bound there (a median
/// of fewer than 6 trials).
pub(super) fn bound(x: f64) -> String {
    if x.is_finite() {
        money(x)
    } else {
        String::new()
    }
}

/// A share cell: six decimals.
pub(super) fn share(x: f64) -> String {
    format!("{x:.6}")
}

pub(super) fn opt(x: Option<f64>, decimals: usize) -> String {
    x.map(|v| format!("{v:.decimals$}")).unwrap_or_default()
}

fn write(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header)
        .expect("writing to memory cannot fail");
    for r in rows {
        w.write_record(&r).expect("writing to memory cannot fail");
    }
    w.into_inner().expect("writing to memory cannot fail")
}

fn quantiles(m: &MoneySummary) -> [String; 9] {
    [
        m.mean, m.sd, m.q.p5, m.q.p10, m.q.p25, m.q.p50, m.q.p75, m.q.p90, m.q.p95,
    ]
    .map(money)
}

/// The columns of `summary.csv` (and `batch_summary.csv`).
pub const SUMMARY_HEADER: &[&str] = &[
    "scenario",
    "path",
    "label",
    "trials",
    "mean",
    "sd",
    "p5",
    "p10",
    "p25",
    "p50",
    "p75",
    "p90",
    "p95",
    "prob_beats_baseline",
    "breakeven_p50_years",
    "prob_no_breakeven",
    "completion_rate",
    "placement_rate",
    "mean_debt",
    "p90_debt",
    "repaid_p50_years",
    "prob_not_repaid",
    "prob_payment_over_10pct",
    "declined_rate",
    "mean_se",
    "p50_lo",
    "p50_hi",
    "prob_beats_baseline_lo",
    "prob_beats_baseline_hi",
    "prob_borrows",
    // Loans over the trials with debt, nominal: the medians a loan simulator shows.
    "first_payment_p50_nominal",
    "total_paid_p50_nominal",
    "interest_p50_nominal",
    "forgiven_p50_nominal",
    "breakeven_p50_years_if_ever",
    // The mean net return in parts, today's dollars, discounted: pay - costs - loans.
    "mean_pay_gain",
    "mean_costs_out_of_pocket",
    "mean_loan_cost",
];

/// The rows of `summary.csv`, one per path.
pub fn summary_rows(s: &ScenarioSummary) -> Vec<Vec<String>> {
    s.paths
        .iter()
        .map(|p| {
            let mut r = vec![
                text(&s.stem),
                text(&p.key),
                text(&p.label),
                p.trials.to_string(),
            ];
            r.extend(quantiles(&p.net));
            r.extend([
                share(p.prob_beats_baseline),
                opt(p.breakeven_p50_years, 0),
                share(p.prob_no_breakeven),
                share(p.completion_rate),
                share(p.placement_rate),
                money(p.mean_debt),
                money(p.p90_debt),
                opt(p.repaid_p50_years, 2),
                share(p.prob_not_repaid),
                share(p.prob_payment_over_10pct),
                share(p.declined_rate),
            ]);
            // 95% precision (all 0 on the baseline's row: its figures are exact).
            let c = &p.precision;
            r.extend([bound(c.mean_se), bound(c.p50.lo), bound(c.p50.hi)]);
            r.extend([c.prob_beats_baseline.lo, c.prob_beats_baseline.hi].map(share));
            r.push(share(p.prob_debt));
            r.extend(loan_cells(p.loans.as_ref()));
            r.push(opt(p.breakeven_p50_years_if_ever, 0));
            r.extend(breakdown_cells(&p.breakdown));
            r
        })
        .collect()
}

/// The mean net return's parts: the pay gained, the costs paid as they come and the loans'
/// cost (the first minus the other two is the mean).
pub fn breakdown_cells(b: &crate::stats::breakdown::Breakdown) -> [String; 3] {
    [b.pay, b.costs, b.loans].map(money)
}

/// The loan columns of a row: medians over the trials with debt, empty without debt.
pub fn loan_cells(l: Option<&crate::stats::loans::LoanSummary>) -> [String; 4] {
    l.map_or_else(Default::default, |l| {
        [
            l.first_payment_p50,
            l.total_paid_p50,
            l.interest_p50,
            l.forgiven_p50,
        ]
        .map(money)
    })
}

/// `summary.csv`.
pub fn summary(s: &ScenarioSummary) -> Vec<u8> {
    write(SUMMARY_HEADER, summary_rows(s))
}

/// `batch_summary.csv`: the summary rows of every scenario of a run.
pub fn batch_summary(all: &[&ScenarioSummary]) -> Vec<u8> {
    write(SUMMARY_HEADER, all.iter().flat_map(|s| summary_rows(s)))
}

/// `npv.csv`: absolute NPV per path.
pub fn npv(s: &ScenarioSummary) -> Vec<u8> {
    let header = [
        "scenario", "path", "label", "trials", "mean", "sd", "p5", "p10", "p25", "p50", "p75",
        "p90", "p95",
    ];
    write(
        &header,
        s.paths.iter().map(|p| {
            let mut r = vec![
                text(&s.stem),
                text(&p.key),
                text(&p.label),
                p.trials.to_string(),
            ];
            r.extend(quantiles(&p.npv));
            r
        }),
    )
}

/// `pairwise.csv`: one row per ordered pair of paths.
pub fn pairwise(s: &ScenarioSummary) -> Vec<u8> {
    let header = [
        "path_a",
        "path_b",
        "prob_a_beats_b",
        "mean_diff",
        "p5_diff",
        "p50_diff",
        "p95_diff",
        "prob_a_beats_b_lo",
        "prob_a_beats_b_hi",
    ];
    write(
        &header,
        s.pairs.iter().map(|p| {
            vec![
                text(&p.a),
                text(&p.b),
                share(p.prob_a_beats_b),
                money(p.mean_diff),
                money(p.p5_diff),
                money(p.p50_diff),
                money(p.p95_diff),
                share(p.prob_a_beats_b_ci.lo),
                share(p.prob_a_beats_b_ci.hi),
            ]
        }),
    )
}

/// `histogram.csv`: net return on bins shared by every alternative path (the baseline's net
/// return is 0 by definition and has no rows). The first and last bins also hold the tails.
pub fn histogram(s: &ScenarioSummary) -> Vec<u8> {
    let header = ["path", "bin_lower", "bin_upper", "count"];
    write(
        &header,
        s.paths.iter().flat_map(|p| {
            p.histogram.iter().map(move |b| {
                vec![
                    text(&p.key),
                    money(b.lower),
                    money(b.upper),
                    b.count.to_string(),
                ]
            })
        }),
    )
}

/// `pairwise_histogram.csv`: the difference of each pair of non-baseline paths (a's net
/// return minus b's in the same trial, a before b in path order), on the pair's own bins:
/// what each pair's chart draws, so that its bars can be checked and redrawn.
pub fn pairwise_histogram(s: &ScenarioSummary) -> Vec<u8> {
    let header = ["path_a", "path_b", "bin_lower", "bin_upper", "count"];
    let pairs: Vec<_> = crate::report::paths::compared_pairs(s)
        .into_iter()
        .filter_map(|(a, b)| s.pair(&a.key, &b.key))
        .collect();
    write(
        &header,
        pairs.into_iter().flat_map(|p| {
            p.histogram.iter().map(move |b| {
                vec![
                    text(&p.a),
                    text(&p.b),
                    money(b.lower),
                    money(b.upper),
                    b.count.to_string(),
                ]
            })
        }),
    )
}

/// `roles.csv`: for each non-baseline path and each role of the scenario, the share of all
/// trials placed in that role (the shares of a path add up to its `placement_rate`).
/// `labels` gives each role key's label; a key without one is its own label.
pub fn roles(s: &ScenarioSummary, labels: &[(String, String)]) -> Vec<u8> {
    let header = ["path", "role", "label", "share"];
    let label = |key: &str| {
        labels
            .iter()
            .find(|(k, _)| k == key)
            .map_or_else(|| key.to_string(), |(_, l)| l.clone())
    };
    write(
        &header,
        s.paths.iter().filter(|p| !p.baseline).flat_map(|p| {
            s.roles
                .iter()
                .zip(&p.role_shares)
                .map(|(role, &x)| vec![p.key.clone(), role.clone(), label(role), share(x)])
                .collect::<Vec<_>>()
        }),
    )
}

/// `timeline.csv`: quantiles of the cumulative discounted net return by year.
pub fn timeline(s: &ScenarioSummary) -> Vec<u8> {
    let header = ["path", "year", "age", "p10", "p25", "p50", "p75", "p90"];
    write(
        &header,
        s.paths.iter().flat_map(|p| {
            p.timeline.iter().map(move |t| {
                vec![
                    text(&p.key),
                    t.year.to_string(),
                    t.age.to_string(),
                    money(t.p10),
                    money(t.p25),
                    money(t.p50),
                    money(t.p75),
                    money(t.p90),
                ]
            })
        }),
    )
}

/// A money cell, empty for NaN (a group no trial fell into).
fn money_or_empty(x: f64) -> String {
    if x.is_nan() { String::new() } else { money(x) }
}

/// A share cell, empty for NaN.
fn share_or_empty(x: f64) -> String {
    if x.is_nan() { String::new() } else { share(x) }
}

/// `sensitivity.csv`: for each non-baseline path, every uncertainty that varied, most
/// important first: its share of the variance of the net return and the swing of the mean
/// and of P(beats) between its lowest and highest tenth.
pub fn sensitivity(s: &ScenarioSummary) -> Vec<u8> {
    let header = [
        "path",
        "input",
        "label",
        "kind",
        "importance",
        "low_mean",
        "high_mean",
        "low_prob_beats",
        "high_prob_beats",
    ];
    write(
        &header,
        s.sensitivity.iter().map(|r| {
            vec![
                text(&r.path),
                text(&r.input),
                text(&r.label),
                r.kind.as_str().to_string(),
                share(r.importance),
                money_or_empty(r.low_mean),
                money_or_empty(r.high_mean),
                share_or_empty(r.low_prob_beats),
                share_or_empty(r.high_prob_beats),
            ]
        }),
    )
}

/// `outcomes.csv`: for each non-baseline path, its lives by outcome (took a job in the new
/// field, declined the offer, not placed, dropped out); the figures are empty for an outcome
/// no trial had.
pub fn outcomes(s: &ScenarioSummary) -> Vec<u8> {
    let header = [
        "path",
        "outcome",
        "share",
        "mean",
        "p10",
        "p50",
        "p90",
        "prob_beats_baseline",
    ];
    write(
        &header,
        s.outcomes.iter().map(|r| {
            vec![
                text(&r.path),
                r.outcome.to_string(),
                share(r.share),
                money_or_empty(r.mean),
                money_or_empty(r.p10),
                money_or_empty(r.p50),
                money_or_empty(r.p90),
                share_or_empty(r.prob_beats_baseline),
            ]
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    #[test]
    fn text_that_a_spreadsheet_would_run_is_quoted_and_numbers_are_not() {
        for formula in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(text(formula), format!("'{formula}"));
        }
        for plain in ["Master's", "", "a=b", "1-2"] {
            assert_eq!(text(plain), plain);
        }
        let mut s = fixture::realistic();
        s.paths[1].label = "=HYPERLINK(\"http://x\")".to_string();
        s.paths[1].net.q.p10 = -1234.5;
        let csv = String::from_utf8(summary(&s)).unwrap();
        let row = csv.lines().nth(2).unwrap();
        assert!(row.contains(",\"'=HYPERLINK(\"\"http://x\"\")\","), "{row}");
        assert!(
            row.contains(",-1234.50,"),
            "a negative amount stays a number: {row}"
        );
    }
}
