//! The CSV files of interface.md, as bytes. Pure: the caller writes them.
//!
//! Money is written to the cent, shares to six decimals, so that the same run gives the
//! same bytes.

use crate::stats::summary::{MoneySummary, ScenarioSummary};

fn money(x: f64) -> String {
    let s = format!("{x:.2}");
    if s == "-0.00" { "0.00".to_string() } else { s }
}

fn share(x: f64) -> String {
    format!("{x:.6}")
}

fn opt(x: Option<f64>, decimals: usize) -> String {
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
    "breakeven_p50_years_if_ever",
];

/// The rows of `summary.csv`, one per path.
pub fn summary_rows(s: &ScenarioSummary) -> Vec<Vec<String>> {
    s.paths
        .iter()
        .map(|p| {
            let mut r = vec![
                s.stem.clone(),
                p.key.clone(),
                p.label.clone(),
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
                opt(p.breakeven_p50_years_if_ever, 0),
            ]);
            r
        })
        .collect()
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
                s.stem.clone(),
                p.key.clone(),
                p.label.clone(),
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
    ];
    write(
        &header,
        s.pairs.iter().map(|p| {
            vec![
                p.a.clone(),
                p.b.clone(),
                share(p.prob_a_beats_b),
                money(p.mean_diff),
                money(p.p5_diff),
                money(p.p50_diff),
                money(p.p95_diff),
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
                    p.key.clone(),
                    money(b.lower),
                    money(b.upper),
                    b.count.to_string(),
                ]
            })
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
                    p.key.clone(),
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
                r.path.clone(),
                r.input.clone(),
                r.label.clone(),
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
                r.path.clone(),
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
