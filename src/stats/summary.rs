//! The summary of one scenario's run: plain data, computed from the accumulators once the
//! trials are done, and the only thing the report writers read.
//!
//! All money is in real dollars of year 0. "Net return" is a path's NPV minus the
//! baseline's NPV in the same trial.

use serde::Serialize;

use super::milestones::Milestone;
use super::outcomes::OutcomeRow;
use super::precision::{Interval, PathPrecision};
use super::sensitivity::SensitivityRow;

/// Quantiles reported for a distribution of money.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Quantiles {
    /// 5th percentile.
    pub p5: f64,
    /// 10th percentile.
    pub p10: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 95th percentile.
    pub p95: f64,
}

/// Mean, standard deviation and quantiles of one money quantity over all trials.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct MoneySummary {
    /// Mean over trials.
    pub mean: f64,
    /// Standard deviation over trials (n - 1 denominator).
    pub sd: f64,
    /// Smallest value seen.
    pub min: f64,
    /// Largest value seen.
    pub max: f64,
    /// Quantiles (from the sketch; see `stats::sketch` for the error bound).
    pub q: Quantiles,
}

/// One bin of a histogram: `[lower, upper)` and the number of trials in it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Bin {
    /// Lower edge, dollars.
    pub lower: f64,
    /// Upper edge, dollars.
    pub upper: f64,
    /// Trials whose value falls in the bin.
    pub count: u64,
}

/// Cumulative net return quantiles at the end of one year.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct TimelinePoint {
    /// Year index t (0 = the first year).
    pub year: u32,
    /// The person's age during year t.
    pub age: u32,
    /// 10th percentile of the cumulative discounted net return after year t.
    pub p10: f64,
    /// 25th percentile.
    pub p25: f64,
    /// Median.
    pub p50: f64,
    /// 75th percentile.
    pub p75: f64,
    /// 90th percentile.
    pub p90: f64,
}

/// Everything reported about one path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PathSummary {
    /// Key of the path in the scenario (`masters_in_person`).
    pub key: String,
    /// Human label of the path.
    pub label: String,
    /// The path's `description` (may be empty).
    pub description: String,
    /// Whether this is the baseline path (its net return is 0 by definition).
    pub baseline: bool,
    /// Number of trials.
    pub trials: u64,
    /// Net return versus the baseline (zeros for the baseline itself).
    pub net: MoneySummary,
    /// Absolute NPV of the path.
    pub npv: MoneySummary,
    /// Share of trials in which the net return is above 0.
    pub prob_beats_baseline: f64,
    /// Median break-even year (year index t), `None` when the median trial never breaks even.
    pub breakeven_p50_years: Option<f64>,
    /// Share of trials that never break even.
    pub prob_no_breakeven: f64,
    /// Share of all trials that completed the program (1 for the baseline).
    pub completion_rate: f64,
    /// Share of all trials placed in the target field who took the job (0 for the baseline).
    pub placement_rate: f64,
    /// Share of all trials offered a job in the field who declined it: the old career was
    /// worth more.
    pub declined_rate: f64,
    /// Mean nominal debt when repayment starts, over every trial (no debt counts as 0).
    pub mean_debt: f64,
    /// 90th percentile of that debt, over every trial.
    pub p90_debt: f64,
    /// Share of trials with any debt.
    pub prob_debt: f64,
    /// Median years from the start of repayment until every loan is repaid, over trials
    /// with debt; `None` when there is no debt or the median trial has not repaid by the
    /// end of the horizon.
    pub repaid_p50_years: Option<f64>,
    /// Share of trials with debt that have not repaid by the end of the horizon
    /// (0 when no trial has debt).
    pub prob_not_repaid: f64,
    /// Share of all trials in which some year's loan payments exceed 10% of gross income.
    pub prob_payment_over_10pct: f64,
    /// Share of all trials placed in each role, in the order of `ScenarioSummary::roles`.
    pub role_shares: Vec<f64>,
    /// Histogram of the net return on the scenario's shared bins.
    pub histogram: Vec<Bin>,
    /// Cumulative discounted net return quantiles by year.
    pub timeline: Vec<TimelinePoint>,
    /// Points of the empirical CDF of the net return: (value, cumulative share), increasing.
    pub cdf: Vec<(f64, f64)>,
    /// Median break-even year among the trials that break even; `None` when none does.
    pub breakeven_p50_years_if_ever: Option<f64>,
    /// The net return 10, 15, 20, 30 and 40 years on (those within the horizon; none for the
    /// baseline).
    pub milestones: Vec<Milestone>,
    /// 95% precision of the mean, median and share of trials beating the baseline.
    pub precision: PathPrecision,
    /// Loan figures over the trials with debt (nominal dollars); `None` when none borrows.
    pub loans: Option<super::loans::LoanSummary>,
    /// The mean net return in parts: pay gained, costs paid as they come, loans.
    pub breakdown: super::breakdown::Breakdown,
}

impl PathSummary {
    /// Whether the path is worth exactly what the baseline is in every life (a path that
    /// changes nothing): there is nothing to earn back, so "breaks even" would mislead.
    pub fn same_as_baseline(&self) -> bool {
        self.trials > 0 && self.net.min == 0.0 && self.net.max == 0.0
    }
}

/// The paired comparison of two paths `a` and `b` (net return of a minus that of b, per trial).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairSummary {
    /// Key of path a.
    pub a: String,
    /// Key of path b.
    pub b: String,
    /// Share of trials in which a's NPV is strictly above b's.
    pub prob_a_beats_b: f64,
    /// Mean of the difference.
    pub mean_diff: f64,
    /// 5th percentile of the difference.
    pub p5_diff: f64,
    /// Median of the difference.
    pub p50_diff: f64,
    /// 95th percentile of the difference.
    pub p95_diff: f64,
    /// Histogram of the difference (its own bins).
    pub histogram: Vec<Bin>,
    /// 95% Wilson interval of `prob_a_beats_b`.
    pub prob_a_beats_b_ci: Interval,
}

/// The summary of one scenario run, read by every report writer.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScenarioSummary {
    /// The scenario's `name`.
    pub name: String,
    /// The scenario's `description` (may be empty).
    pub description: String,
    /// Who the person is (may be empty).
    pub person: String,
    /// Stem of the scenario file (`analyst`), the output folder's name.
    pub stem: String,
    /// Trials run.
    pub trials: u64,
    /// Seed used.
    pub seed: u64,
    /// The person's age at the decision (year 0).
    pub age: u32,
    /// Retirement age (the horizon ends the year before).
    pub retirement_age: u32,
    /// The real discount rate when it is one number; `None` when it is drawn in each trial.
    pub discount_rate: Option<f64>,
    /// Role keys, in file order.
    pub roles: Vec<String>,
    /// Role labels, in the same order.
    pub role_labels: Vec<String>,
    /// One entry per path, in file order; the baseline is among them.
    pub paths: Vec<PathSummary>,
    /// Every ordered pair (a, b) of distinct paths, a before b in path order first.
    pub pairs: Vec<PairSummary>,
    /// Which uncertainties decide each non-baseline path, most important first.
    pub sensitivity: Vec<SensitivityRow>,
    /// Each non-baseline path's lives by outcome.
    pub outcomes: Vec<OutcomeRow>,
}

impl ScenarioSummary {
    /// The baseline path.
    pub fn baseline(&self) -> &PathSummary {
        self.paths
            .iter()
            .find(|p| p.baseline)
            .expect("a scenario has exactly one baseline path")
    }

    /// The comparison of `a` against `b`, if both are paths of this scenario.
    pub fn pair(&self, a: &str, b: &str) -> Option<&PairSummary> {
        self.pairs.iter().find(|p| p.a == a && p.b == b)
    }
}

/// What a summary says about its run beyond the model: the scenario's names and the seed.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct About {
    /// The scenario's `name`.
    pub name: String,
    /// The scenario's `description`.
    pub description: String,
    /// Stem of the scenario file, the output folder's name.
    pub stem: String,
    /// Seed used.
    pub seed: u64,
    /// Who the person is (`[person] description`, may be empty).
    pub person: String,
    /// Each path's `description`, in path order (may be empty).
    pub path_descriptions: Vec<String>,
}
