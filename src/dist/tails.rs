//! How much of a distribution lies outside a range, and the same distribution truncated to
//! it: so that a salary of `normal(60_000, 5_000)`, whose chance of going below zero is
//! 1e-33, is accepted as a non-negative input (and truncated at 0), while one with a real
//! chance of going below zero is refused with that chance.

use super::special::normal_cdf;
use super::{Bounds, Dist, Invalid};

/// Below this chance, values outside an input's allowed range are negligible: the input is
/// accepted and truncated to the range.
pub const NEGLIGIBLE: f64 = 1e-6;

impl Dist {
    /// The probability of a value below `lo` or above `hi`. Exact for the normal and
    /// lognormal families (truncated or not); for the others, whose support is bounded, 0 when
    /// the support lies within the range and 1 otherwise (so that they are never truncated).
    pub fn mass_outside(&self, lo: f64, hi: f64) -> f64 {
        let (slo, shi) = self.support();
        if slo >= lo && shi <= hi {
            return 0.0;
        }
        let gaussian = |mean: f64, sd: f64, log: bool, blo: f64, bhi: f64| {
            let z = |x: f64| {
                let x = if log {
                    if x <= 0.0 { f64::NEG_INFINITY } else { x.ln() }
                } else {
                    x
                };
                (x - mean) / sd
            };
            // The upper tail through the lower one: Φ has full precision there.
            let below = |x: f64| normal_cdf(z(x));
            let above = |x: f64| normal_cdf(-z(x));
            let kept = 1.0 - below(blo) - above(bhi);
            let out = (below(lo.max(blo)) - below(blo)).max(0.0)
                + (above(hi.min(bhi)) - above(bhi)).max(0.0);
            (out / kept).clamp(0.0, 1.0)
        };
        match *self {
            Dist::Normal { mean, sd, log } => gaussian(
                mean,
                sd,
                log,
                if log { 0.0 } else { f64::NEG_INFINITY },
                f64::INFINITY,
            ),
            Dist::TruncNormal {
                mean,
                sd,
                log,
                lo: blo,
                hi: bhi,
                ..
            } => gaussian(mean, sd, log, blo, bhi),
            _ => 1.0,
        }
    }

    /// The distribution truncated to `[lo, hi]` (sampled exactly, by inverse CDF), for the
    /// normal family; any other distribution is returned as it is.
    ///
    /// # Errors
    /// A range that keeps (almost) no probability.
    pub fn truncated(&self, lo: f64, hi: f64) -> Result<Dist, Invalid> {
        let bounds = |blo: f64, bhi: f64| Bounds {
            min: Some(lo.max(blo)).filter(|x| x.is_finite()),
            max: Some(hi.min(bhi)).filter(|x| x.is_finite()),
        };
        match *self {
            Dist::Normal {
                mean,
                sd,
                log: false,
            } => Dist::normal(mean, sd, bounds(f64::NEG_INFINITY, f64::INFINITY)),
            Dist::Normal {
                mean,
                sd,
                log: true,
            } => Dist::lognormal(mean, sd, bounds(0.0, f64::INFINITY)),
            Dist::TruncNormal {
                mean,
                sd,
                log,
                lo: blo,
                hi: bhi,
                ..
            } => {
                if log {
                    Dist::lognormal(mean, sd, bounds(blo, bhi))
                } else {
                    Dist::normal(mean, sd, bounds(blo, bhi))
                }
            }
            _ => Ok(self.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normal(mean: f64, sd: f64) -> Dist {
        Dist::normal(mean, sd, Bounds::default()).unwrap()
    }

    #[test]
    fn mass_outside_matches_the_normal_cdf() {
        // P(N(0,1) < -1.96) = 0.0249979 (tables), twice for both tails.
        let d = normal(0.0, 1.0);
        assert!((d.mass_outside(-1.959_964, 1.959_964) - 0.05).abs() < 1e-6);
        // A salary of normal(60,000, 5,000) goes below 0 with chance Φ(-12) ~ 1.8e-33.
        let m = normal(60_000.0, 5_000.0).mass_outside(0.0, f64::INFINITY);
        assert!(m > 0.0 && m < 1e-30, "{m}");
        // normal(10,000, 10,000): Φ(-1) = 0.158655.
        let m = normal(10_000.0, 10_000.0).mass_outside(0.0, f64::INFINITY);
        assert!((m - 0.158_655).abs() < 1e-5, "{m}");
        // Bounded distributions: 0 inside, 1 when the support leaves the range.
        let u = Dist::uniform(0.0, 1.0).unwrap();
        assert_eq!(u.mass_outside(0.0, 1.0), 0.0);
        assert_eq!(u.mass_outside(0.5, 1.0), 1.0);
    }

    #[test]
    fn truncation_keeps_the_values_in_range() {
        let d = normal(0.015, 0.02).truncated(-1.0, 1.0).unwrap();
        assert_eq!(d.support(), (-1.0, 1.0));
        let s = normal(60_000.0, 5_000.0)
            .truncated(0.0, f64::INFINITY)
            .unwrap();
        assert_eq!(s.support().0, 0.0);
        assert!((s.mean() - 60_000.0).abs() < 1e-6);
    }
}
