//! The light statistics of a sweep point or a threshold evaluation: per path, only what
//! `sweep.csv` and a threshold report, so that a sweep of 121 points pays for a few counters
//! and three sketches per path and trial, not for the head-to-head histograms and per-year
//! timelines of a full run ([`RunStats`](super::accumulate::RunStats)).
//!
//! Per path it keeps the net return's exact moments and a quantile sketch (its mean, spread,
//! percentiles and median), the count of lives it beats the baseline in, the counts behind the
//! completion, placement and debt shares, the debt's moments and sketch, the years of
//! break-even and to repay (integer histograms), the loan figures, and, when a path to compare with
//! is given (`--versus`), the count of lives it beats that path in and the moments and sketch
//! of the difference. Everything merges exactly (integer counts, fixed-point sums, integer
//! sketch bins), so a point's figures do not depend on the threads that ran it.
//!
//! Intervals (95%) are those of `summary.csv` ([`precision`](super::precision)): the Wilson
//! score interval for shares, the mean plus or minus 1.96 standard errors, and for medians the
//! distribution-free interval between the order statistics of ranks `n/2 -+ 0.98 sqrt(n)`.

use serde::Serialize;

use super::accumulate::{MONEY_BINS, MoneyAcc, SEVEN, Years};
use super::breakdown::{Breakdown, BreakdownAcc};
use super::counts::IntHistogram;
use super::loans::{LoanAcc, LoanSummary};
use super::precision::{self, Z95};
use crate::engine::Accumulator;
use crate::model::{Model, TrialOutcome};

/// The figures of one money quantity (`m`), with the share of lives it wins in (`wins`).
fn spread(m: &MoneyAcc, wins: u64) -> Spread {
    let n = m.moments.count();
    let (mean, sd) = (m.moments.mean(), m.moments.sd());
    let se = precision::mean_se(sd, n);
    let p50 = m.median_interval();
    let w = precision::wilson(wins, n);
    Spread {
        mean,
        sd,
        mean_se: se,
        mean_ci: (mean - Z95 * se, mean + Z95 * se),
        quantiles: m.sketch.quantiles(SEVEN),
        p50_ci: (p50.lo, p50.hi),
        prob: share(wins, n),
        prob_ci: (w.lo, w.hi),
    }
}

/// What a point counts of path `p` in a trial: its net return, or its NPV less path
/// `versus`'s when compared with it (the quantity of [`PointPath::net`] or
/// [`PointPath::versus`]).
#[inline]
pub fn figure(out: &TrialOutcome, p: usize, versus: Option<usize>) -> f64 {
    match versus {
        Some(v) => out.paths[p].npv - out.paths[v].npv,
        None => out.paths[p].net_return,
    }
}

/// The figures of one money quantity over trials, as a point reports a path's net return
/// (or its difference with the path compared with) when these are its trials' values: the
/// same statistics, so the same numbers to the last bit.
pub fn spread_of(values: impl IntoIterator<Item = f64>) -> Spread {
    let mut m = MoneyAcc::new(MONEY_BINS);
    let mut wins = 0;
    for x in values {
        m.push(x);
        wins += u64::from(x > 0.0);
    }
    spread(&m, wins)
}

#[derive(Debug, Clone, PartialEq)]
struct PathPoint {
    net: MoneyAcc,
    beats: u64,
    completed: u64,
    placed: u64,
    declined: u64,
    debt: MoneyAcc,
    with_debt: u64,
    over_10pct: u64,
    loans: LoanAcc,
    breakdown: BreakdownAcc,
    /// Year of break-even (`None`: never), as `summary.csv` counts it.
    breakeven: IntHistogram,
    /// Months to repay, of the trials with debt (`None`: not repaid).
    repaid: IntHistogram,
    /// Against the path compared with: the difference of NPVs and the lives won.
    versus: Option<(MoneyAcc, u64)>,
}

/// The light statistics of one run (a sweep point, a threshold evaluation).
#[derive(Debug, Clone, PartialEq)]
pub struct PointStats {
    trials: u64,
    versus: Option<usize>,
    paths: Vec<PathPoint>,
}

impl PointStats {
    /// Empty statistics for `m`, comparing each path with path `versus` (an index into
    /// `m.paths`) as well as with the baseline when it is given.
    ///
    /// # Panics
    /// When `versus` is not a path of `m` (a bug in the caller, which checks names).
    pub fn new(m: &Model, versus: Option<usize>) -> Self {
        assert!(versus.is_none_or(|v| v < m.paths.len()), "no such path");
        let paths = (0..m.paths.len())
            .map(|p| PathPoint {
                net: MoneyAcc::new(MONEY_BINS),
                beats: 0,
                completed: 0,
                placed: 0,
                declined: 0,
                debt: MoneyAcc::new(MONEY_BINS),
                with_debt: 0,
                over_10pct: 0,
                loans: LoanAcc::new(),
                breakdown: BreakdownAcc::new(),
                breakeven: IntHistogram::new(m.horizon),
                repaid: IntHistogram::new(12 * m.horizon + 1),
                versus: versus
                    .filter(|v| *v != p)
                    .map(|_| (MoneyAcc::new(MONEY_BINS), 0)),
            })
            .collect();
        PointStats {
            trials: 0,
            versus,
            paths,
        }
    }

    /// Trials accumulated.
    pub fn trials(&self) -> u64 {
        self.trials
    }

    /// The figures of every path, in model order.
    pub fn summary(&self, m: &Model) -> Vec<PointPath> {
        let n = self.trials;
        self.paths
            .iter()
            .zip(&m.paths)
            .map(|(a, p)| (a, p, Years::of(&a.breakeven, 1), Years::of(&a.repaid, 12)))
            .map(|(a, p, breakeven, repaid)| PointPath {
                key: p.key.clone(),
                label: p.label.clone(),
                baseline: p.is_baseline(),
                trials: n,
                net: if p.is_baseline() {
                    // Its net return is 0 in every life, not a sample: no interval, as in
                    // `summary.csv` (a share's Wilson interval would give it a width).
                    Spread {
                        prob_ci: (0.0, 0.0),
                        ..spread(&a.net, a.beats)
                    }
                } else {
                    spread(&a.net, a.beats)
                },
                versus: a.versus.as_ref().map(|(d, wins)| spread(d, *wins)),
                completion_rate: share(a.completed, n),
                placement_rate: share(a.placed, n),
                declined_rate: share(a.declined, n),
                mean_debt: a.debt.moments.mean(),
                p90_debt: a.debt.sketch.quantile(0.9),
                prob_debt: share(a.with_debt, n),
                breakeven_p50_years: breakeven.p50_years,
                breakeven_p50_years_if_ever: breakeven.p50_years_if_ever,
                prob_no_breakeven: breakeven.prob_never,
                repaid_p50_years: repaid.p50_years,
                prob_not_repaid: repaid.prob_never,
                prob_payment_over_10pct: share(a.over_10pct, n),
                loans: a.loans.summary(),
                breakdown: a.breakdown.summary(a.net.moments.mean()),
            })
            .collect()
    }
}

impl Accumulator for PointStats {
    /// Without a path to compare with; use [`PointStats::new`] (through
    /// [`run_batches_with`](crate::engine::run_batches_with)) for one.
    fn new(m: &Model) -> Self {
        PointStats::new(m, None)
    }

    #[inline]
    fn push(&mut self, out: &TrialOutcome) {
        self.trials += 1;
        let versus_npv = self.versus.map(|v| out.paths[v].npv);
        for (acc, o) in self.paths.iter_mut().zip(&out.paths) {
            acc.net.push(o.net_return);
            acc.beats += u64::from(o.net_return > 0.0);
            acc.completed += u64::from(o.completed);
            acc.placed += u64::from(o.placed);
            acc.declined += u64::from(o.declined);
            acc.debt.push(o.debt);
            acc.breakeven.push(o.breakeven.map(|t| t as usize));
            if o.debt > 0.0 {
                acc.with_debt += 1;
                acc.repaid.push(o.repaid_months.map(|m| m as usize));
            }
            acc.over_10pct += u64::from(o.over_10pct);
            acc.loans.push(o);
            acc.breakdown.push(o);
            if let (Some((diff, wins)), Some(v)) = (&mut acc.versus, versus_npv) {
                let d = o.npv - v;
                diff.push(d);
                *wins += u64::from(d > 0.0);
            }
        }
    }

    /// # Panics
    /// When the two were made for different models or comparisons.
    fn merge(&mut self, o: &Self) {
        assert!(
            self.paths.len() == o.paths.len() && self.versus == o.versus,
            "merging point statistics of different shapes"
        );
        self.trials += o.trials;
        for (a, b) in self.paths.iter_mut().zip(&o.paths) {
            a.net.merge(&b.net);
            a.beats += b.beats;
            a.completed += b.completed;
            a.placed += b.placed;
            a.declined += b.declined;
            a.debt.merge(&b.debt);
            a.breakeven.merge(&b.breakeven);
            a.repaid.merge(&b.repaid);
            a.with_debt += b.with_debt;
            a.over_10pct += b.over_10pct;
            a.loans.merge(&b.loans);
            a.breakdown.merge(&b.breakdown);
            if let (Some((x, wx)), Some((y, wy))) = (&mut a.versus, &b.versus) {
                x.merge(y);
                *wx += wy;
            }
        }
    }
}

/// A money quantity over the trials of a point: its moments, percentiles and the share of
/// lives in which it is above zero, each with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Spread {
    /// Mean.
    pub mean: f64,
    /// Standard deviation.
    pub sd: f64,
    /// Standard error of the mean.
    pub mean_se: f64,
    /// 95% interval of the mean: 1.96 standard errors either side.
    pub mean_ci: (f64, f64),
    /// 5th, 10th, 25th, 50th, 75th, 90th and 95th percentiles.
    pub quantiles: [f64; 7],
    /// 95% interval of the median.
    pub p50_ci: (f64, f64),
    /// Share of trials above zero (the path comes out ahead).
    pub prob: f64,
    /// Its 95% Wilson interval.
    pub prob_ci: (f64, f64),
}

impl Spread {
    /// The median.
    pub fn p50(&self) -> f64 {
        self.quantiles[3]
    }
}

/// What a point reports of one path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointPath {
    /// Key of the path.
    pub key: String,
    /// Its label.
    pub label: String,
    /// Whether it is the baseline.
    pub baseline: bool,
    /// Trials run.
    pub trials: u64,
    /// Net return versus the baseline.
    pub net: Spread,
    /// NPV minus that of the path compared with (`--versus`), for every path but that one.
    pub versus: Option<Spread>,
    /// Share of trials that finish.
    pub completion_rate: f64,
    /// Share of trials placed in the new field.
    pub placement_rate: f64,
    /// Share of trials that decline an offer.
    pub declined_rate: f64,
    /// Mean nominal debt when repayment starts, over every trial.
    pub mean_debt: f64,
    /// Its 90th percentile, over every trial.
    pub p90_debt: f64,
    /// Share of trials with debt.
    pub prob_debt: f64,
    /// Median year of break-even, "never" above any year; `None` when that is never.
    pub breakeven_p50_years: Option<f64>,
    /// Median year of break-even of the trials that break even; `None` when none does.
    pub breakeven_p50_years_if_ever: Option<f64>,
    /// Share of trials that never break even.
    pub prob_no_breakeven: f64,
    /// Median years to repay, of the trials with debt, "not repaid" above any; `None` when
    /// that is not repaid or no trial has debt.
    pub repaid_p50_years: Option<f64>,
    /// Share of the trials with debt that do not repay it within the horizon.
    pub prob_not_repaid: f64,
    /// Share of trials in which some year's payments exceed 10% of gross income.
    pub prob_payment_over_10pct: f64,
    /// Loan figures over the trials with debt (nominal); `None` without debt.
    pub loans: Option<LoanSummary>,
    /// The mean net return in parts: pay gained, costs paid as they come, loans.
    pub breakdown: Breakdown,
}

/// `k / n`, 0 when `n` is 0.
fn share(k: u64, n: u64) -> f64 {
    if n == 0 { 0.0 } else { k as f64 / n as f64 }
}
