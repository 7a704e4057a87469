//! How precise a Monte Carlo figure is: 95% intervals for the figures a run reports, due to
//! simulating finitely many lives (not to the uncertainty of the inputs, which the
//! distributions themselves carry).
//!
//! - A mean's standard error: `sd / sqrt(n)`.
//! - A share's Wilson score interval: unlike `p -+ 1.96 sqrt(p (1 - p) / n)`, it never leaves
//!   `[0, 1]` and does not collapse to a width of 0 when no trial (or every trial) counts,
//!   which matters for shares near 0% or 100%. Wilson, E. B. (1927), "Probable inference, the
//!   law of succession, and statistical inference", JASA 22, 209-212.
//! - The median's distribution-free interval: the order statistics of ranks
//!   `n/2 -+ (z/2) sqrt(n)`, which hold the true median with probability about 95% whatever
//!   the distribution (the count of values below the median is Binomial(n, 1/2)); see
//!   Conover, "Practical Nonparametric Statistics", section 3.2. `z/2 = 0.979982`, the 0.98
//!   usually quoted.

use serde::Serialize;

/// The two-sided 95% standard normal quantile, `Phi^-1(0.975)`.
pub const Z95: f64 = 1.959964;

/// A closed interval `[lo, hi]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct Interval {
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
}

impl Interval {
    /// `[0, 0]`: the interval of a figure that is 0 by definition (the baseline's own share
    /// of trials beating itself), not by estimation.
    pub const ZERO: Interval = Interval { lo: 0.0, hi: 0.0 };

    /// Half the width: the "-+" of a figure stated as `54% -+ 1.0`.
    pub fn half_width(&self) -> f64 {
        0.5 * (self.hi - self.lo)
    }
}

/// The precision of a path's headline figures in `summary.csv`.
///
/// The baseline's are all 0: its net return is 0 in every trial by definition, so its mean,
/// median and share of trials beating itself are known exactly, not estimated.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Default)]
pub struct PathPrecision {
    /// Standard error of the mean net return.
    pub mean_se: f64,
    /// 95% interval of the median net return.
    pub p50: Interval,
    /// 95% interval of the share of trials beating the baseline.
    pub prob_beats_baseline: Interval,
}

/// The 95% Wilson score interval of a share of `k` successes in `n` trials.
///
/// With `p = k/n` and `z = 1.959964`: centre `(p + z^2/2n) / (1 + z^2/n)`, half-width
/// `z / (1 + z^2/n) * sqrt(p (1 - p) / n + z^2 / 4n^2)`. The ends are exactly 0 when `k = 0`
/// and exactly 1 when `k = n`. With no trials nothing is known: `[0, 1]`.
pub fn wilson(k: u64, n: u64) -> Interval {
    debug_assert!(k <= n, "{k} successes in {n} trials");
    if n == 0 {
        return Interval { lo: 0.0, hi: 1.0 };
    }
    let nf = n as f64;
    let p = k as f64 / nf;
    let z2 = Z95 * Z95;
    let denom = 1.0 + z2 / nf;
    let centre = (p + z2 / (2.0 * nf)) / denom;
    let half = Z95 / denom * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    Interval {
        lo: if k == 0 {
            0.0
        } else {
            (centre - half).max(0.0)
        },
        hi: if k == n {
            1.0
        } else {
            (centre + half).min(1.0)
        },
    }
}

/// The standard error of a mean of `n` values with standard deviation `sd`: `sd / sqrt(n)`.
/// About 95% of runs with other seeds give a mean within `1.96` of these of the long-run
/// mean. Infinite below 2 values: one value says nothing of the spread, so the error is
/// unknown, not 0 (which reads as exact); written as an empty cell, as the median's interval
/// is below 6 values.
pub fn mean_se(sd: f64, n: u64) -> f64 {
    if n < 2 {
        f64::INFINITY
    } else {
        sd / (n as f64).sqrt()
    }
}

/// The 1-based ranks `(lo, hi)` of the order statistics bounding the 95% distribution-free
/// interval of the median of `n` values: `floor(n/2 - (z/2) sqrt(n))` and
/// `ceil(n/2 + (z/2) sqrt(n))`, rounded outward (so the coverage is at least the nominal
/// one) and kept within `1..=n`. `None` for `n = 0`.
///
/// Below 6 values even the smallest and the largest bound the median in fewer than 95% of
/// samples (`1 - 2^(1-n)`: 93.75% at 5), so no interval of the values does: the ranks are
/// then 0 and `n + 1`, ends beyond every value (an interval without bounds).
///
/// For `n = 10,000`: ranks 4,902 and 5,098.
pub fn median_ranks(n: u64) -> Option<(u64, u64)> {
    if n == 0 {
        return None;
    }
    if n < 6 {
        return Some((0, n + 1));
    }
    let nf = n as f64;
    let reach = 0.5 * Z95 * nf.sqrt();
    let lo = (0.5 * nf - reach).floor().max(1.0) as u64;
    let hi = ((0.5 * nf + reach).ceil() as u64).min(n);
    Some((lo.min(n), hi.max(1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    #[test]
    fn wilson_matches_hand_computed_intervals() {
        // 54 of 100: p = 0.54, z^2 = 3.841459; centre = (0.54 + 0.019207) / 1.038415 =
        // 0.538520; half = 1.959964 / 1.038415 * sqrt(0.002484 + 0.00009604) = 0.095872.
        // (statsmodels' proportion_confint(54, 100, method="wilson") gives 0.4426, 0.6344.)
        let w = wilson(54, 100);
        assert!(close(w.lo, 0.442_649, 1e-6), "{w:?}");
        assert!(close(w.hi, 0.634_392, 1e-6), "{w:?}");
        assert!(close(w.half_width(), 0.095_872, 1e-6), "{w:?}");
        // 0 of 10: [0, z^2/n / (1 + z^2/n)] = [0, 0.384146 / 1.384146] = [0, 0.277533].
        let w = wilson(0, 10);
        assert_eq!(w.lo, 0.0);
        assert!(close(w.hi, 0.277_533, 1e-6), "{w:?}");
        // 10 of 10 mirrors it: [0.722467, 1].
        let w = wilson(10, 10);
        assert!(close(w.lo, 0.722_467, 1e-6), "{w:?}");
        assert_eq!(w.hi, 1.0);
        // 5,400 of 10,000: 0.530218 to 0.549751, a half-width just under one point.
        let w = wilson(5_400, 10_000);
        assert!(close(w.lo, 0.530_218, 1e-6), "{w:?}");
        assert!(close(w.hi, 0.549_751, 1e-6), "{w:?}");
        assert!(close(w.half_width(), 0.009_767, 1e-6), "{w:?}");
    }

    #[test]
    fn wilson_edges() {
        assert_eq!(wilson(0, 0), Interval { lo: 0.0, hi: 1.0 });
        // Symmetric about 1/2: k of n mirrors n - k of n.
        let (a, b) = (wilson(3, 17), wilson(14, 17));
        assert!(close(a.lo, 1.0 - b.hi, 1e-12) && close(a.hi, 1.0 - b.lo, 1e-12));
        // Widest at 1/2, where the half-width is z / (2 sqrt(n + z^2)).
        let n = 1_000;
        let widest = Z95 / (2.0 * (n as f64 + Z95 * Z95).sqrt());
        assert!(close(wilson(500, n).half_width(), widest, 1e-12));
        for k in 0..=n {
            assert!(wilson(k, n).half_width() <= widest + 1e-15, "{k}");
        }
    }

    #[test]
    fn mean_se_is_sd_over_root_n() {
        assert_eq!(mean_se(250_000.0, 10_000), 2_500.0);
        assert_eq!(mean_se(3.0, 9), 1.0);
        assert_eq!(mean_se(3.0, 0), f64::INFINITY);
        assert_eq!(mean_se(0.0, 1), f64::INFINITY);
    }

    #[test]
    fn median_ranks_match_hand_computed_ones() {
        // n = 10,000: 5,000 -+ 0.979982 * 100 = 4,902.0018 and 5,097.9982, rounded outward.
        assert_eq!(median_ranks(10_000), Some((4_902, 5_098)));
        // n = 2,000: 1,000 -+ 43.826 -> 956 and 1,044.
        assert_eq!(median_ranks(2_000), Some((956, 1_044)));
        // n = 10: 5 -+ 3.099 -> 1.90 and 8.10 -> ranks 1 and 9.
        assert_eq!(median_ranks(10), Some((1, 9)));
        // Small samples keep the ranks within 1..=n: at 6, the smallest and the largest of
        // the values cover the median in 1 - 2^-5 = 96.9% of samples (n/2 - reach = 0.6).
        assert_eq!(median_ranks(6), Some((1, 6)));
        assert_eq!(median_ranks(7), Some((1, 7)));
        // Below 6 (at 5, 93.75%), no interval of the values does: ends beyond all of them.
        assert_eq!(median_ranks(5), Some((0, 6)));
        assert_eq!(median_ranks(1), Some((0, 2)));
        assert_eq!(median_ranks(0), None);
    }

    #[test]
    fn the_median_ranks_cover_about_95_percent() {
        // The interval misses the true median when fewer than `lo` or at least `hi` of the n
        // values lie below it: P(Binomial(n, 1/2) < lo) + P(>= hi). Computed exactly here
        // for n = 400 (ranks 180 and 220): 0.954365 (Python's math.comb gives the same).
        let n = 400u64;
        let (lo, hi) = median_ranks(n).unwrap();
        assert_eq!((lo, hi), (180, 220));
        // P(K = k) = C(n, k) / 2^n, by recursion from 2^-n (about 4e-121, a normal f64).
        let mut pmf = vec![0.0f64; n as usize + 1];
        pmf[0] = (0.5f64).powi(n as i32);
        for k in 1..=n as usize {
            pmf[k] = pmf[k - 1] * (n as f64 - k as f64 + 1.0) / k as f64;
        }
        // The interval [X_(lo), X_(hi)] holds the median when lo <= K < hi, K = values below.
        let cover: f64 = pmf[lo as usize..hi as usize].iter().sum();
        assert!(close(cover, 0.954_365, 1e-6), "{cover}");
    }
}
