//! `sweep.csv` and `threshold.csv`, as bytes. Pure: the caller writes them.
//!
//! `sweep.csv` has one row per point and path: first the value of each varied key (one
//! column per key, headed by its key path), then the columns of `summary.csv` that a sweep
//! point computes, under the same names and with the same meaning (`path`, `label`,
//! `trials`, `mean` ... `p95`, `prob_beats_baseline`, `completion_rate`, `placement_rate`,
//! `mean_debt`, `prob_payment_over_10pct`, `declined_rate`), the 95% intervals under their
//! `summary.csv` names (`mean_se`, `p50_lo`, `p50_hi`, `prob_beats_baseline_lo`,
//! `prob_beats_baseline_hi`), the comparison with `--versus` (`versus`, `prob_beats_versus`
//! and its interval, `mean_vs_versus`, `p50_vs_versus`; empty without `--versus` and on the
//! `--versus` path's own row), the loan medians of `summary.csv`, and then (appended later,
//! so that a reader of the earlier columns by position still reads them) the rest of
//! `summary.csv`'s columns: `scenario` (the file stem), break-even, the 90th percentile of
//! debt, repayment years, `prob_borrows`. Every `summary.csv` column is there, with the same
//! meaning and format.

use super::csv::{bound, money, opt, share, text};
use crate::scenario::questions::{Level, Metric};
use crate::stats::point::PointPath;
use crate::sweep::SweepResult;
use crate::threshold::{End, ThresholdResult, sig3_toward};

/// A varied key's value at a point: a number as a number (a negative one too: it is not a
/// formula), a word as text made safe for a spreadsheet.
fn level_cell(l: &Level) -> String {
    match l {
        Level::Num(x) => format!("{x}"),
        Level::Word(w) => text(w),
    }
}

fn write(header: &[String], rows: impl IntoIterator<Item = Vec<String>>) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header)
        .expect("writing to memory cannot fail");
    for r in rows {
        w.write_record(&r).expect("writing to memory cannot fail");
    }
    w.into_inner().expect("writing to memory cannot fail")
}

/// The columns of `sweep.csv` after the varied keys.
pub const SWEEP_COLUMNS: &[&str] = &[
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
    "completion_rate",
    "placement_rate",
    "mean_debt",
    "prob_payment_over_10pct",
    "declined_rate",
    "mean_se",
    "p50_lo",
    "p50_hi",
    "prob_beats_baseline_lo",
    "prob_beats_baseline_hi",
    "versus",
    "prob_beats_versus",
    "prob_beats_versus_lo",
    "prob_beats_versus_hi",
    "mean_vs_versus",
    "p50_vs_versus",
    "first_payment_p50_nominal",
    "total_paid_p50_nominal",
    "interest_p50_nominal",
    "forgiven_p50_nominal",
    "scenario",
    "breakeven_p50_years",
    "prob_no_breakeven",
    "p90_debt",
    "repaid_p50_years",
    "prob_not_repaid",
    "prob_borrows",
    "breakeven_p50_years_if_ever",
    "mean_pay_gain",
    "mean_costs_out_of_pocket",
    "mean_loan_cost",
];

fn path_cells(p: &PointPath, versus: Option<&str>, scenario: &str) -> Vec<String> {
    let n = &p.net;
    let mut r = vec![p.key.clone(), text(&p.label), p.trials.to_string()];
    r.extend([n.mean, n.sd].map(money));
    r.extend(n.quantiles.map(money));
    r.extend([
        share(n.prob),
        share(p.completion_rate),
        share(p.placement_rate),
        money(p.mean_debt),
        share(p.prob_payment_over_10pct),
        share(p.declined_rate),
        bound(n.mean_se),
        bound(n.p50_ci.0),
        bound(n.p50_ci.1),
        share(n.prob_ci.0),
        share(n.prob_ci.1),
    ]);
    match (&p.versus, versus) {
        (Some(v), Some(key)) => r.extend([
            key.to_string(),
            share(v.prob),
            share(v.prob_ci.0),
            share(v.prob_ci.1),
            money(v.mean),
            money(v.p50()),
        ]),
        (None, Some(key)) => r.extend(
            [key.to_string()]
                .into_iter()
                .chain((0..5).map(|_| String::new())),
        ),
        _ => r.extend((0..6).map(|_| String::new())),
    }
    r.extend(crate::report::csv::loan_cells(p.loans.as_ref()));
    // The rest of `summary.csv`'s columns, formatted as there.
    r.extend([
        text(scenario),
        opt(p.breakeven_p50_years, 0),
        share(p.prob_no_breakeven),
        money(p.p90_debt),
        opt(p.repaid_p50_years, 2),
        share(p.prob_not_repaid),
        share(p.prob_debt),
        opt(p.breakeven_p50_years_if_ever, 0),
    ]);
    r.extend(crate::report::csv::breakdown_cells(&p.breakdown));
    r
}

/// `sweep.csv`.
pub fn sweep_csv(r: &SweepResult) -> Vec<u8> {
    let axes = r.sweep.axes();
    let header: Vec<String> = axes
        .iter()
        .map(|a| a.key.clone())
        .chain(SWEEP_COLUMNS.iter().map(|c| (*c).to_string()))
        .collect();
    let versus = r.sweep.versus.as_deref();
    write(
        &header,
        r.points.iter().flat_map(|pt| {
            pt.paths.iter().map(move |p| {
                let mut row: Vec<String> = pt.levels.iter().map(level_cell).collect();
                row.extend(path_cells(p, versus, &r.stem));
                row
            })
        }),
    )
}

/// The columns of `threshold.csv`.
pub const THRESHOLD_COLUMNS: &[&str] = &[
    "scenario",
    "key",
    "path",
    "versus",
    "metric",
    "target",
    "from",
    "to",
    "crossing",
    "crossing_3sig",
    "direction",
    "range_lo",
    "range_hi",
    "metric_at_from",
    "metric_at_to",
    "evaluations",
    "trials",
    "seed",
    "sentence",
];

fn metric_cell(m: Metric, x: f64) -> String {
    match m {
        Metric::ProbBeats => share(x),
        Metric::Median | Metric::Mean => money(x),
    }
}

/// `threshold.csv`: a row per threshold. `crossing` is the search's value (to within 1e-5
/// of the range's scale), `crossing_3sig` the same to 3 significant digits; `direction` is
/// `increasing` when the target is reached at and above the crossing, `decreasing` when at
/// and below it; `range_lo` and `range_hi` bound the 95% range, empty where it reaches
/// beyond the searched range; all three are empty when there is no crossing in the range.
pub fn threshold_csv(all: &[&ThresholdResult]) -> Vec<u8> {
    let header: Vec<String> = THRESHOLD_COLUMNS.iter().map(|c| (*c).to_string()).collect();
    let num = |x: f64| format!("{x}");
    write(
        &header,
        all.iter().map(|t| {
            let q = &t.question;
            let end = |e: End| match e {
                End::At(x) => num(x),
                End::Below | End::Above => String::new(),
            };
            let (crossing, three, direction, lo, hi) = match &t.crossing {
                Some(c) => (
                    num(c.value),
                    num(sig3_toward(c.value, c.rising)),
                    if c.rising { "increasing" } else { "decreasing" }.to_string(),
                    end(c.range.0),
                    end(c.range.1),
                ),
                None => Default::default(),
            };
            vec![
                t.stem.clone(),
                q.key.clone(),
                q.path.clone(),
                q.versus.clone().unwrap_or_default(),
                q.metric.key().to_string(),
                num(q.target),
                num(q.from),
                num(q.to),
                crossing,
                three,
                direction,
                lo,
                hi,
                metric_cell(q.metric, t.at_from.metric),
                metric_cell(q.metric, t.at_to.metric),
                t.evaluations().to_string(),
                t.trials.to_string(),
                t.seed.to_string(),
                text(&t.sentence()),
            ]
        }),
    )
}
