//! The accumulators of one run: every statistic a report needs, pushed once per trial and
//! merged exactly (integer counts and fixed-point sums), so the result does not depend on
//! how trials were split among threads. [`RunStats::summarize`] turns them into the plain
//! [`ScenarioSummary`] the reports read.

use super::breakdown::BreakdownAcc;
use super::codec::{Codec, DecodeError, Reader, Writer};
use super::counts::IntHistogram;
use super::loans::LoanAcc;
use super::milestones::MilestoneAcc;
use super::moments::Moments;
use super::outcomes::OutcomeAcc;
use super::precision::{self, Interval, PathPrecision};
use super::sensitivity::SensAcc;
use super::sketch::Sketch;
use super::summary::*;
use crate::model::{Model, TrialOutcome};

/// Sketch resolution for reported money quantiles: 512 bins per octave, relative error
/// 1/1024 (about 0.1%).
pub const MONEY_BINS: u32 = 512;
/// Sketch resolution for the timeline's quantiles by year: 128 bins per octave, relative
/// error 1/256 (about 0.4%): enough for a fan chart, and 4x less memory over every year.
pub const TIMELINE_BINS: u32 = 128;

/// The percentiles a money quantity reports: 5th, 10th, 25th, 50th, 75th, 90th and 95th.
pub(super) const SEVEN: [f64; 7] = [0.05, 0.10, 0.25, 0.5, 0.75, 0.90, 0.95];

/// A money quantity: exact moments and a quantile sketch.
#[derive(Debug, Clone, PartialEq)]
pub struct MoneyAcc {
    pub(super) moments: Moments,
    pub(super) sketch: Sketch,
}

impl MoneyAcc {
    /// Empty, with a sketch of `bins` bins per octave.
    pub(super) fn new(bins: u32) -> Self {
        MoneyAcc {
            moments: Moments::new(),
            sketch: Sketch::new(bins),
        }
    }
    /// Adds `x` to the moments and the sketch.
    #[inline]
    pub(super) fn push(&mut self, x: f64) {
        self.moments.push(x);
        self.sketch.push(x);
    }
    /// Adds `x` to the moments; its sketch gets it through [`Pending`].
    #[inline]
    fn push_moments(&mut self, x: f64) {
        self.moments.push(x);
    }
    /// Adds another's values (exactly).
    pub(super) fn merge(&mut self, o: &Self) {
        self.moments.merge(&o.moments);
        self.sketch.merge(&o.sketch);
    }
    /// The 95% distribution-free interval of the median, read from the sketch at the ranks
    /// of [`precision::median_ranks`] (the sketch's 0.1% error is negligible beside it);
    /// without bounds (infinite ends) below 6 trials, where no interval of the values has
    /// 95% coverage.
    pub(super) fn median_interval(&self) -> Interval {
        let n = self.sketch.count();
        precision::median_ranks(n).map_or(Interval::ZERO, |(lo, hi)| {
            if lo == 0 {
                return Interval {
                    lo: f64::NEG_INFINITY,
                    hi: f64::INFINITY,
                };
            }
            let [lo, hi] = self.sketch.order_statistics([lo - 1, hi - 1]);
            Interval { lo, hi }
        })
    }

    fn summary(&self) -> MoneySummary {
        let [p5, p10, p25, p50, p75, p90, p95] = self.sketch.quantiles(SEVEN);
        MoneySummary {
            mean: self.moments.mean(),
            sd: self.moments.sd(),
            min: self.moments.min(),
            max: self.moments.max(),
            q: Quantiles {
                p5,
                p10,
                p25,
                p50,
                p75,
                p90,
                p95,
            },
        }
    }
}

/// The figures `summary.csv` reads from a count of whole years (or months) until an event,
/// or never: break-even, and repayment among the trials with debt.
pub(super) struct Years {
    /// The median in years, "never" ranked above any; `None` when that is never, or when
    /// nothing was counted.
    pub(super) p50_years: Option<f64>,
    /// The median among the trials in which it happens; `None` when it never does.
    pub(super) p50_years_if_ever: Option<f64>,
    /// Share of the trials counted in which it never happens (0 when none was counted).
    pub(super) prob_never: f64,
}

impl Years {
    /// From counts in units of `1 / per_year` of a year (1 for years, 12 for months).
    pub(super) fn of(h: &IntHistogram, per_year: u32) -> Self {
        let years = |v: usize| v as f64 / f64::from(per_year);
        Years {
            p50_years: h.quantile(0.5).map(years),
            p50_years_if_ever: h.quantile_if_ever(0.5).map(years),
            prob_never: h.share_never(),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
struct PathAcc {
    net: MoneyAcc,
    npv: MoneyAcc,
    debt: MoneyAcc,
    beats: u64,
    breakeven: IntHistogram,
    completed: u64,
    placed: u64,
    declined: u64,
    with_debt: u64,
    repaid: IntHistogram,
    over_10pct: u64,
    roles: Vec<u64>,
    timeline: Vec<Sketch>,
    loans: LoanAcc,
    breakdown: BreakdownAcc,
    /// The baseline: its net return, debt and cumulative net return are 0 in every trial,
    /// so they are counted in bulk at a flush instead of held value by value.
    fixed: Held,
}

/// Whether a path's zero values are counted in bulk (see [`PathAcc::fixed`]): how the
/// values are held, not what was counted, so it never makes two accumulators unequal. A
/// decoded state holds every value (it knows no model).
#[derive(Debug, Clone, Copy)]
struct Held(bool);

impl PartialEq for Held {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

#[derive(Debug, Clone, PartialEq)]
struct PairAcc {
    a: usize,
    b: usize,
    diff: MoneyAcc,
    a_wins: u64,
    b_wins: u64,
}

/// Trials held in [`Pending`] before their values go into the sketches.
const PENDING: usize = 1024;

/// Distance between two sketches' columns in [`Pending::vals`]: one cache line more than
/// [`PENDING`] values, so that a trial's values, one per column, do not all fall in the same
/// set of the cache (a power-of-two stride would put them there, and evict one another).
const STRIDE: usize = PENDING + 8;

/// Where trial `t`'s values go in [`Pending::vals`]: the next one in column `k`.
struct Columns<'a> {
    vals: &'a mut [f64],
    t: usize,
    k: usize,
}

impl Columns<'_> {
    /// Holds `x` for the next sketch.
    #[inline]
    fn hold(&mut self, x: f64) {
        self.vals[self.k * STRIDE + self.t] = x;
        self.k += 1;
    }

    /// Holds `xs` for as many sketches in a row, checking once that their columns exist
    /// rather than once a value (columns of exactly `STRIDE` values, `t` within each).
    #[inline]
    fn hold_all(&mut self, xs: &[f64]) {
        let cols = self.vals[self.k * STRIDE..].chunks_exact_mut(STRIDE);
        assert!(
            cols.len() >= xs.len() && self.t < STRIDE,
            "a column for every value"
        );
        for (col, &x) in cols.zip(xs) {
            col[self.t] = x;
        }
        self.k += xs.len();
    }
}

/// Values pushed but not yet added to their sketches, sketch by sketch: trial `i`'s value
/// for sketch `k` (in the order of [`RunStats::sketches_mut`]) is `vals[k * STRIDE + i]`.
///
/// A trial has a value for some two hundred sketches (each path's net return, NPV and debt,
/// its cumulative net return after every year, each pair's difference), whose bins span
/// megabytes: adding them trial by trial misses the cache at almost every step. Adding a
/// block of trials one sketch at a time keeps that sketch's bins in cache. A sketch counts
/// integers, so the order of the additions changes nothing.
#[derive(Debug, Clone, Default)]
struct Pending {
    /// Trials held.
    n: usize,
    vals: Vec<f64>,
}

/// Everything accumulated over the trials of one run.
#[derive(Debug, Clone)]
pub struct RunStats {
    horizon: usize,
    trials: u64,
    paths: Vec<PathAcc>,
    pairs: Vec<PairAcc>,
    /// Which uncertainties decide each path.
    sens: SensAcc,
    /// Each path's lives grouped by outcome.
    outcomes: OutcomeAcc,
    /// Each path's lives ahead after 10, 15, 20, 30, 40 years.
    milestones: MilestoneAcc,
    /// Sketch values of the last trials, not yet added.
    pending: Pending,
}

impl PartialEq for RunStats {
    /// Equal when they hold the same counts, whether or not some are still pending.
    fn eq(&self, o: &Self) -> bool {
        let (a, b) = (self.counted(), o.counted());
        a.horizon == b.horizon
            && a.trials == b.trials
            && a.paths == b.paths
            && a.pairs == b.pairs
            && a.sens == b.sens
            && a.outcomes == b.outcomes
            && a.milestones == b.milestones
    }
}

impl RunStats {
    /// Empty accumulators for a model.
    pub fn new(m: &Model) -> Self {
        let h = m.horizon;
        let paths = m
            .paths
            .iter()
            .map(|p| PathAcc {
                net: MoneyAcc::new(MONEY_BINS),
                npv: MoneyAcc::new(MONEY_BINS),
                debt: MoneyAcc::new(MONEY_BINS),
                beats: 0,
                breakeven: IntHistogram::new(h),
                completed: 0,
                placed: 0,
                declined: 0,
                with_debt: 0,
                repaid: IntHistogram::new(12 * h + 1),
                over_10pct: 0,
                roles: vec![0; m.roles.len()],
                timeline: (0..h).map(|_| Sketch::new(TIMELINE_BINS)).collect(),
                loans: LoanAcc::new(),
                breakdown: BreakdownAcc::new(),
                fixed: Held(p.is_baseline()),
            })
            .collect();
        let n = m.paths.len();
        let pairs = (0..n)
            .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
            .map(|(a, b)| PairAcc {
                a,
                b,
                diff: MoneyAcc::new(MONEY_BINS),
                a_wins: 0,
                b_wins: 0,
            })
            .collect();
        RunStats {
            horizon: h,
            trials: 0,
            paths,
            pairs,
            sens: SensAcc::new(m),
            outcomes: OutcomeAcc::new(m),
            milestones: MilestoneAcc::new(m),
            pending: Pending::default(),
        }
    }

    /// Every sketch fed through [`Pending`], in its order: each path's net return, NPV,
    /// debt and cumulative net return by year (only the NPV for the baseline), then each
    /// pair's difference.
    fn sketches_mut(&mut self) -> impl Iterator<Item = &mut Sketch> {
        self.paths
            .iter_mut()
            .flat_map(|a| {
                let varies = !a.fixed.0;
                let net = varies.then_some(&mut a.net.sketch);
                let debt = varies.then_some(&mut a.debt.sketch);
                let timeline = a.timeline.iter_mut().filter(move |_| varies);
                net.into_iter()
                    .chain([&mut a.npv.sketch])
                    .chain(debt)
                    .chain(timeline)
            })
            .chain(self.pairs.iter_mut().map(|p| &mut p.diff.sketch))
    }

    /// Number of sketches of [`sketches_mut`](Self::sketches_mut).
    fn sketch_count(&self) -> usize {
        let varying = self.paths.iter().filter(|a| !a.fixed.0).count();
        self.paths.len() + varying * (2 + self.horizon) + self.pairs.len()
    }

    /// Adds the first `n` trials of `vals` (laid out as [`Pending::vals`]) to the sketches,
    /// and `n` zeros to the baseline's sketches that are 0 in every trial.
    fn add_pending(&mut self, vals: &[f64], n: usize) {
        for (k, sk) in self.sketches_mut().enumerate() {
            sk.push_all(&vals[k * STRIDE..][..n]);
        }
        for a in self.paths.iter_mut().filter(|a| a.fixed.0) {
            let zeros = [&mut a.net.sketch, &mut a.debt.sketch]
                .into_iter()
                .chain(a.timeline.iter_mut());
            for sk in zeros {
                sk.push_n(0.0, n as u64);
            }
        }
    }

    /// Adds the pending values to their sketches.
    fn flush(&mut self) {
        if self.pending.n > 0 {
            let p = std::mem::take(&mut self.pending);
            self.add_pending(&p.vals, p.n);
            self.pending = Pending { n: 0, vals: p.vals };
        }
    }

    /// These statistics with nothing pending (a copy only when something is).
    fn counted(&self) -> std::borrow::Cow<'_, Self> {
        if self.pending.n == 0 {
            std::borrow::Cow::Borrowed(self)
        } else {
            let mut c = self.clone();
            c.flush();
            std::borrow::Cow::Owned(c)
        }
    }

    /// Trials accumulated.
    pub fn trials(&self) -> u64 {
        self.trials
    }

    /// The counts, out of [`RunStats::trials`], of every share stated with its precision:
    /// each non-baseline path's trials beating the baseline, then each pair's trials in
    /// which one path beats the other (both orders). A run to a target precision stops when
    /// all of them are precise enough.
    pub fn headline_counts(&self, m: &Model) -> Vec<u64> {
        let paths = self
            .paths
            .iter()
            .zip(&m.paths)
            .filter(|(_, p)| !p.is_baseline())
            .map(|(a, _)| a.beats);
        let pairs = self.pairs.iter().flat_map(|p| [p.a_wins, p.b_wins]);
        paths.chain(pairs).collect()
    }

    /// Add one trial.
    #[inline]
    pub fn push(&mut self, out: &TrialOutcome) {
        self.trials += 1;
        if self.pending.vals.is_empty() {
            self.pending.vals = vec![0.0; self.sketch_count() * STRIDE];
        }
        // The slice, not the Vec: stores through it cannot change its pointer and length,
        // which then stay in registers instead of being read again after every value.
        let mut cols = Columns {
            vals: &mut self.pending.vals[..],
            t: self.pending.n,
            k: 0,
        };
        for (p, (acc, o)) in self.paths.iter_mut().zip(&out.paths).enumerate() {
            acc.net.push_moments(o.net_return);
            acc.npv.push_moments(o.npv);
            acc.debt.push_moments(o.debt);
            if acc.fixed.0 {
                // Counted as zeros at the flush.
                debug_assert!(o.net_return == 0.0 && o.debt == 0.0);
                debug_assert!(out.cum(p).iter().all(|&c| c.to_bits() == 0));
                cols.hold(o.npv);
            } else {
                cols.hold(o.net_return);
                cols.hold(o.npv);
                cols.hold(o.debt);
            }
            acc.beats += u64::from(o.net_return > 0.0);
            acc.breakeven.push(o.breakeven.map(|t| t as usize));
            acc.completed += u64::from(o.completed);
            acc.placed += u64::from(o.placed);
            acc.declined += u64::from(o.declined);
            if o.debt > 0.0 {
                acc.with_debt += 1;
                acc.repaid.push(o.repaid_months.map(|m| m as usize));
            }
            acc.over_10pct += u64::from(o.over_10pct);
            if let Some(r) = o.role {
                acc.roles[r] += 1;
            }
            acc.loans.push(o);
            if !acc.fixed.0 {
                // The baseline has no costs: its parts stay 0 without being pushed.
                acc.breakdown.push(o);
                cols.hold_all(out.cum(p));
            }
        }
        for pair in &mut self.pairs {
            let d = out.paths[pair.a].npv - out.paths[pair.b].npv;
            pair.diff.push_moments(d);
            cols.hold(d);
            pair.a_wins += u64::from(d > 0.0);
            pair.b_wins += u64::from(d < 0.0);
        }
        self.pending.n += 1;
        if self.pending.n == PENDING {
            self.flush();
        }
        self.sens.push(out);
        self.outcomes.push(out);
        self.milestones.push(out);
    }

    /// Merge another run's accumulators (exact: the result does not depend on order).
    ///
    /// # Panics
    /// When `o` was made for a model of another shape (horizon, paths, roles): merging those
    /// would silently mix two scenarios.
    pub fn merge(&mut self, o: &Self) {
        assert!(
            self.horizon == o.horizon
                && self.paths.len() == o.paths.len()
                && self.pairs.len() == o.pairs.len()
                && self
                    .paths
                    .iter()
                    .zip(&o.paths)
                    .all(|(a, b)| a.roles.len() == b.roles.len()),
            "merging statistics of models of different shapes"
        );
        self.flush();
        // `o`'s pending values: straight into these sketches when both hold the same columns
        // (always, in a run); else counted in a copy of `o` (a decoded state holds more).
        let same_layout = self
            .paths
            .iter()
            .zip(&o.paths)
            .all(|(a, b)| a.fixed.0 == b.fixed.0);
        let o = if same_layout {
            if o.pending.n > 0 {
                self.add_pending(&o.pending.vals, o.pending.n);
            }
            std::borrow::Cow::Borrowed(o)
        } else {
            o.counted()
        };
        self.trials += o.trials;
        for (a, b) in self.paths.iter_mut().zip(&o.paths) {
            a.net.merge(&b.net);
            a.npv.merge(&b.npv);
            a.debt.merge(&b.debt);
            a.beats += b.beats;
            a.breakeven.merge(&b.breakeven);
            a.completed += b.completed;
            a.placed += b.placed;
            a.declined += b.declined;
            a.with_debt += b.with_debt;
            a.repaid.merge(&b.repaid);
            a.over_10pct += b.over_10pct;
            for (x, y) in a.roles.iter_mut().zip(&b.roles) {
                *x += y;
            }
            a.loans.merge(&b.loans);
            a.breakdown.merge(&b.breakdown);
            for (x, y) in a.timeline.iter_mut().zip(&b.timeline) {
                x.merge(y);
            }
        }
        for (a, b) in self.pairs.iter_mut().zip(&o.pairs) {
            a.diff.merge(&b.diff);
            a.a_wins += b.a_wins;
            a.b_wins += b.b_wins;
        }
        self.sens.merge(&o.sens);
        self.outcomes.merge(&o.outcomes);
        self.milestones.merge(&o.milestones);
    }

    /// The summary the reports read.
    pub fn summarize(&self, m: &Model, about: &About) -> ScenarioSummary {
        self.counted().summarize_counted(m, about)
    }

    /// [`summarize`](Self::summarize) with nothing pending.
    fn summarize_counted(&self, m: &Model, about: &About) -> ScenarioSummary {
        debug_assert_eq!(self.pending.n, 0);
        let n = self.trials.max(1) as f64;
        let share = |k: u64| k as f64 / n;
        // Shared bins for the net return of every alternative path.
        let alt: Vec<&PathAcc> = self
            .paths
            .iter()
            .zip(&m.paths)
            .filter(|(_, p)| !p.is_baseline())
            .map(|(a, _)| a)
            .collect();
        let lo = alt
            .iter()
            .map(|a| a.net.sketch.quantile(0.005))
            .fold(f64::INFINITY, f64::min);
        let hi = alt
            .iter()
            .map(|a| a.net.sketch.quantile(0.995))
            .fold(f64::NEG_INFINITY, f64::max);
        let edges = if alt.is_empty() {
            Vec::new()
        } else {
            nice_edges(lo, hi, 60)
        };
        let paths = self
            .paths
            .iter()
            .zip(&m.paths)
            .enumerate()
            .map(|(i, (a, p))| {
                let with_debt = a.with_debt;
                let (breakeven, repaid) = (Years::of(&a.breakeven, 1), Years::of(&a.repaid, 12));
                PathSummary {
                    key: p.key.clone(),
                    label: p.label.clone(),
                    description: about.path_descriptions.get(i).cloned().unwrap_or_default(),
                    baseline: p.is_baseline(),
                    trials: self.trials,
                    net: a.net.summary(),
                    npv: a.npv.summary(),
                    prob_beats_baseline: share(a.beats),
                    breakeven_p50_years: breakeven.p50_years,
                    breakeven_p50_years_if_ever: breakeven.p50_years_if_ever,
                    prob_no_breakeven: breakeven.prob_never,
                    completion_rate: share(a.completed),
                    placement_rate: share(a.placed),
                    declined_rate: share(a.declined),
                    mean_debt: a.debt.moments.mean(),
                    p90_debt: a.debt.sketch.quantile(0.9),
                    prob_debt: share(with_debt),
                    repaid_p50_years: repaid.p50_years,
                    prob_not_repaid: repaid.prob_never,
                    prob_payment_over_10pct: share(a.over_10pct),
                    role_shares: a.roles.iter().map(|&k| share(k)).collect(),
                    histogram: if p.is_baseline() {
                        Vec::new()
                    } else {
                        bins(&edges, &a.net.sketch)
                    },
                    timeline: a
                        .timeline
                        .iter()
                        .enumerate()
                        .map(|(t, sk)| {
                            // The last year's cumulative net return is each life's net
                            // return: read it from that finer sketch, so the timeline ends
                            // on the very figures of the summary (not 0.3% off them).
                            let sk = if t + 1 == a.timeline.len() {
                                &a.net.sketch
                            } else {
                                sk
                            };
                            let [p10, p25, p50, p75, p90] =
                                sk.quantiles([0.10, 0.25, 0.5, 0.75, 0.90]);
                            TimelinePoint {
                                year: t as u32,
                                age: m.age + t as u32,
                                p10,
                                p25,
                                p50,
                                p75,
                                p90,
                            }
                        })
                        .collect(),
                    cdf: cdf_points(&a.net.sketch),
                    milestones: Vec::new(),
                    precision: if p.is_baseline() {
                        PathPrecision::default()
                    } else {
                        PathPrecision {
                            mean_se: precision::mean_se(a.net.moments.sd(), self.trials),
                            p50: a.net.median_interval(),
                            prob_beats_baseline: precision::wilson(a.beats, self.trials),
                        }
                    },
                    loans: a.loans.summary(),
                    breakdown: a.breakdown.summary(a.net.moments.mean()),
                }
            })
            .collect::<Vec<PathSummary>>();
        let mut paths = paths;
        for (i, p) in paths.iter_mut().enumerate() {
            if !p.baseline {
                p.milestones = self.milestones.summarize(i, &p.timeline);
            }
        }
        let outcomes = self.outcomes.summarize(m, &paths);
        let mut pairs = Vec::new();
        for pa in &self.pairs {
            let d = pa.diff.summary();
            let (ka, kb) = (&m.paths[pa.a].key, &m.paths[pa.b].key);
            let edges = nice_edges(
                pa.diff.sketch.quantile(0.005),
                pa.diff.sketch.quantile(0.995),
                50,
            );
            let hist = bins(&edges, &pa.diff.sketch);
            let mirrored: Vec<Bin> = hist
                .iter()
                .rev()
                .map(|b| Bin {
                    lower: -b.upper,
                    upper: -b.lower,
                    count: b.count,
                })
                .collect();
            pairs.push(PairSummary {
                a: ka.clone(),
                b: kb.clone(),
                prob_a_beats_b: share(pa.a_wins),
                mean_diff: d.mean,
                p5_diff: d.q.p5,
                p50_diff: d.q.p50,
                p95_diff: d.q.p95,
                histogram: hist,
                prob_a_beats_b_ci: precision::wilson(pa.a_wins, self.trials),
            });
            pairs.push(PairSummary {
                a: kb.clone(),
                b: ka.clone(),
                prob_a_beats_b: share(pa.b_wins),
                mean_diff: -d.mean,
                p5_diff: -d.q.p95,
                p50_diff: -d.q.p50,
                p95_diff: -d.q.p5,
                histogram: mirrored,
                prob_a_beats_b_ci: precision::wilson(pa.b_wins, self.trials),
            });
        }
        // Order: by a in path order, then b in path order.
        let pos = |k: &str| {
            m.paths
                .iter()
                .position(|p| p.key == k)
                .unwrap_or(usize::MAX)
        };
        pairs.sort_by_key(|p| (pos(&p.a), pos(&p.b)));
        ScenarioSummary {
            name: about.name.clone(),
            description: about.description.clone(),
            person: about.person.clone(),
            stem: about.stem.clone(),
            trials: self.trials,
            seed: about.seed,
            age: m.age,
            retirement_age: m.age + m.horizon as u32,
            discount_rate: match m
                .inputs
                .get(m.economy_input(crate::model::inputs::EconomyInput::DiscountRate))
                .dist
            {
                crate::dist::Dist::Fixed(r) => Some(r),
                _ => None,
            },
            roles: m.roles.iter().map(|r| r.key.clone()).collect(),
            // As the report names a role: without a label, its key in words ("ML engineer").
            role_labels: m
                .roles
                .iter()
                .map(|r| crate::text::role_name(&r.key, &r.label))
                .collect(),
            paths,
            pairs,
            sensitivity: self.sens.summarize(m),
            outcomes,
        }
    }
}

/// Round bin edges covering [lo, hi] with about `n` bins of a "nice" width (1, 2, 2.5 or 5
/// times a power of ten), so axis labels and CSV rows read well.
pub fn nice_edges(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let (mut lo, mut hi) = if lo.is_finite() && hi.is_finite() {
        (lo.min(hi), lo.max(hi))
    } else {
        (0.0, 0.0)
    };
    if hi - lo < 1.0 {
        // A padding that survives rounding however large the values are (a few dollars of
        // padding vanish into 1e20 and would give a step of 0 and NaN edges).
        let pad = 500f64.max(1e-3 * lo.abs().max(hi.abs()));
        lo -= pad;
        hi += pad;
    }
    let raw = (hi - lo) / n as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|k| k * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    let start = (lo / step).floor() * step;
    let count = ((hi - start) / step).ceil().max(1.0) as usize;
    (0..=count).map(|i| start + step * i as f64).collect()
}

/// Histogram of a sketch on `edges`; the first and last bins also hold the tails beyond them.
pub(super) fn bins(edges: &[f64], sk: &Sketch) -> Vec<Bin> {
    if edges.len() < 2 {
        return Vec::new();
    }
    sk.histogram(edges)
        .into_iter()
        .enumerate()
        .map(|(i, count)| Bin {
            lower: edges[i],
            upper: edges[i + 1],
            count,
        })
        .collect()
}

/// Points (value, share at or below) of the empirical CDF at fixed quantile levels.
fn cdf_points(sk: &Sketch) -> Vec<(f64, f64)> {
    if sk.count() == 0 {
        return Vec::new();
    }
    let mut levels = vec![0.001, 0.0025, 0.005];
    levels.extend((1..100).map(|i| i as f64 / 100.0));
    levels.extend([0.995, 0.9975, 0.999]);
    levels.into_iter().map(|q| (sk.quantile(q), q)).collect()
}

impl RunStats {
    /// Whether `o` has this one's shape (horizon, paths, roles, pairs, bins per octave), so
    /// that the two can be merged and summarized with the same model: a decoded state is
    /// checked against [`RunStats::new`] of the model it claims to belong to.
    pub fn same_shape(&self, o: &RunStats) -> bool {
        let money =
            |a: &MoneyAcc, b: &MoneyAcc| a.sketch.bins_per_octave() == b.sketch.bins_per_octave();
        self.horizon == o.horizon
            && self.paths.len() == o.paths.len()
            && self.pairs.len() == o.pairs.len()
            && self.paths.iter().zip(&o.paths).all(|(a, b)| {
                money(&a.net, &b.net)
                    && money(&a.npv, &b.npv)
                    && money(&a.debt, &b.debt)
                    && a.breakeven.counts().len() == b.breakeven.counts().len()
                    && a.repaid.counts().len() == b.repaid.counts().len()
                    && a.roles.len() == b.roles.len()
                    && a.timeline.len() == b.timeline.len()
                    && a.loans.same_shape(&b.loans)
                    && a.timeline
                        .iter()
                        .zip(&b.timeline)
                        .all(|(x, y)| x.bins_per_octave() == y.bins_per_octave())
            })
            && self
                .pairs
                .iter()
                .zip(&o.pairs)
                .all(|(a, b)| a.a == b.a && a.b == b.b && money(&a.diff, &b.diff))
            && self.sens.same_shape(&o.sens)
            && self.outcomes.same_shape(&o.outcomes)
            && self.milestones.same_shape(&o.milestones)
    }
}

impl Codec for MoneyAcc {
    fn encode(&self, w: &mut Writer) {
        self.moments.encode(w);
        self.sketch.encode(w);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(MoneyAcc {
            moments: Moments::decode(r)?,
            sketch: Sketch::decode(r)?,
        })
    }
}

impl Codec for PathAcc {
    fn encode(&self, w: &mut Writer) {
        self.net.encode(w);
        self.npv.encode(w);
        self.debt.encode(w);
        w.u64(self.beats);
        self.breakeven.encode(w);
        w.u64(self.completed);
        w.u64(self.placed);
        w.u64(self.declined);
        w.u64(self.with_debt);
        self.repaid.encode(w);
        w.u64(self.over_10pct);
        w.counts(&self.roles);
        w.usize(self.timeline.len());
        for sk in &self.timeline {
            sk.encode(w);
        }
        self.loans.encode(w);
        self.breakdown.encode(w);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(PathAcc {
            net: MoneyAcc::decode(r)?,
            npv: MoneyAcc::decode(r)?,
            debt: MoneyAcc::decode(r)?,
            beats: r.u64()?,
            breakeven: IntHistogram::decode(r)?,
            completed: r.u64()?,
            placed: r.u64()?,
            declined: r.u64()?,
            with_debt: r.u64()?,
            repaid: IntHistogram::decode(r)?,
            over_10pct: r.u64()?,
            roles: r.counts(1 << 16)?,
            timeline: {
                let n = r.count()?;
                (0..n)
                    .map(|_| Sketch::decode(r))
                    .collect::<Result<_, _>>()?
            },
            loans: LoanAcc::decode(r)?,
            breakdown: BreakdownAcc::decode(r)?,
            fixed: Held(false),
        })
    }
}

impl Codec for PairAcc {
    fn encode(&self, w: &mut Writer) {
        w.usize(self.a);
        w.usize(self.b);
        self.diff.encode(w);
        w.u64(self.a_wins);
        w.u64(self.b_wins);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(PairAcc {
            a: r.usize(usize::MAX)?,
            b: r.usize(usize::MAX)?,
            diff: MoneyAcc::decode(r)?,
            a_wins: r.u64()?,
            b_wins: r.u64()?,
        })
    }
}

impl Codec for RunStats {
    fn encode(&self, w: &mut Writer) {
        self.counted().encode_counted(w);
    }

    /// Any shape decodes; whether it fits a model is [`RunStats::same_shape`]'s question.
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        RunStats::decode_counted(r)
    }
}

impl RunStats {
    /// [`Codec::encode`] with nothing pending.
    fn encode_counted(&self, w: &mut Writer) {
        w.usize(self.horizon);
        w.u64(self.trials);
        w.usize(self.paths.len());
        for p in &self.paths {
            p.encode(w);
        }
        w.usize(self.pairs.len());
        for p in &self.pairs {
            p.encode(w);
        }
        self.sens.encode(w);
        self.outcomes.encode(w);
        self.milestones.encode(w);
    }

    /// [`Codec::decode`]: a decoded state has nothing pending.
    fn decode_counted(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let horizon = r.usize(usize::MAX)?;
        let trials = r.u64()?;
        let n = r.count()?;
        let paths = (0..n)
            .map(|_| PathAcc::decode(r))
            .collect::<Result<_, _>>()?;
        let n = r.count()?;
        let pairs = (0..n)
            .map(|_| PairAcc::decode(r))
            .collect::<Result<_, _>>()?;
        Ok(RunStats {
            horizon,
            trials,
            paths,
            pairs,
            sens: SensAcc::decode(r)?,
            outcomes: OutcomeAcc::decode(r)?,
            milestones: MilestoneAcc::decode(r)?,
            pending: Pending::default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_edges_cover_the_range_with_round_steps() {
        let e = nice_edges(-153_000.0, 912_000.0, 60);
        assert!(e[0] <= -153_000.0 && *e.last().unwrap() >= 912_000.0);
        let step = e[1] - e[0];
        assert_eq!(step, 20_000.0);
        assert!(e.len() - 1 <= 60);
        let flat = nice_edges(0.0, 0.0, 60);
        assert!(flat.len() >= 2 && flat[0] < 0.0 && *flat.last().unwrap() > 0.0);
    }
}
