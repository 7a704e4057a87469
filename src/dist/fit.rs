//! Solving distribution parameters from the summaries people publish.
//!
//! Salary surveys publish percentiles (BLS OEWS: p10, p25, median, p75, p90), program
//! reports publish means and spreads. The scenario format lets a lognormal be given by the
//! median with any one other summary, by two percentiles, or by mean and sd, and a beta by
//! mean and sd. Each solver is exact (closed form) and refuses pairs with no solution.

use super::Invalid;
use super::special::{Z10, Z25, Z75, Z90, normal_quantile};

/// A summary a lognormal may be specified by.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LogSummary {
    /// The mean.
    Mean(f64),
    /// The standard deviation.
    Sd(f64),
    /// The median.
    Median(f64),
    /// A percentile: (z-score of the level, value), e.g. (Z90, 170_000).
    Percentile(&'static str, f64, f64),
}

impl LogSummary {
    fn name(&self) -> &'static str {
        match self {
            LogSummary::Mean(_) => "mean",
            LogSummary::Sd(_) => "sd",
            LogSummary::Median(_) => "median",
            LogSummary::Percentile(name, _, _) => name,
        }
    }

    /// The lognormal summary for a TOML key, if the key is one.
    pub fn from_key(key: &str, v: f64) -> Option<Self> {
        Some(match key {
            "mean" => LogSummary::Mean(v),
            "sd" => LogSummary::Sd(v),
            "median" => LogSummary::Median(v),
            "p10" => LogSummary::Percentile("p10", Z10, v),
            "p25" => LogSummary::Percentile("p25", Z25, v),
            "p75" => LogSummary::Percentile("p75", Z75, v),
            "p90" => LogSummary::Percentile("p90", Z90, v),
            _ => return None,
        })
    }
}

const LOGNORMAL_ALLOWED: &str = "`median` with one of `mean`, `sd`, `p10`, `p25`, `p75`, `p90`; two of the percentiles; or `mean` with `sd` (every value > 0)";

/// Solve (mu, sigma) of a lognormal from exactly two summaries.
///
/// # Errors
/// A non-positive value, an unsupported pair (mean with a percentile has two solutions or
/// none; sd with a percentile is not offered), or a pair with no solution (a p90 below the
/// median, a mean below the median).
pub fn lognormal(a: LogSummary, b: LogSummary) -> Result<(f64, f64), Invalid> {
    use LogSummary::*;
    let found = || format!("`{}` with `{}`", a.name(), b.name());
    for s in [a, b] {
        let v = match s {
            Mean(v) | Sd(v) | Median(v) | Percentile(_, _, v) => v,
        };
        if v.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
            return Err(Invalid::new(
                format!("`{}` = {v}", s.name()),
                "a lognormal summary above 0",
            ));
        }
    }
    // Put the pair in a canonical order so each case is matched once.
    let (a, b) = match (a, b) {
        (x @ Median(_), y) | (y, x @ Median(_)) => (x, y),
        (x @ Mean(_), y) | (y, x @ Mean(_)) => (x, y),
        other => other,
    };
    let no_solution = |why: &str| Invalid::new(format!("{}: {why}", found()), LOGNORMAL_ALLOWED);
    match (a, b) {
        (Median(_), Median(_)) | (Mean(_), Mean(_)) | (Sd(_), Sd(_)) => Err(Invalid::new(
            format!("{} (the same summary twice)", found()),
            LOGNORMAL_ALLOWED,
        )),
        (Median(m), Mean(mean)) => {
            // mean = exp(mu + s²/2) and median = exp(mu)  =>  s² = 2 ln(mean/median).
            if mean <= m {
                return Err(no_solution("a lognormal's mean is always above its median"));
            }
            Ok((m.ln(), (2.0 * (mean / m).ln()).sqrt()))
        }
        (Median(m), Sd(sd)) => {
            // sd² = (e^{s²} - 1) e^{2 mu + s²}; with y = e^{s²}: y² - y - (sd/m)² = 0.
            let k = (sd / m).powi(2);
            let y = 0.5 * (1.0 + (1.0 + 4.0 * k).sqrt());
            Ok((m.ln(), y.ln().sqrt()))
        }
        (Median(m), Percentile(name, z, v)) => {
            let sigma = (v.ln() - m.ln()) / z;
            if sigma.is_nan() || sigma <= 0.0 {
                return Err(no_solution(&format!(
                    "{name} = {v} must be {} the median {m}",
                    if z > 0.0 { "above" } else { "below" }
                )));
            }
            Ok((m.ln(), sigma))
        }
        (Mean(mean), Sd(sd)) => {
            let s2 = (1.0 + (sd / mean).powi(2)).ln();
            Ok((mean.ln() - 0.5 * s2, s2.sqrt()))
        }
        (Mean(_), Percentile(..)) => Err(Invalid::new(
            format!(
                "{} (a mean with a percentile has two solutions or none)",
                found()
            ),
            LOGNORMAL_ALLOWED,
        )),
        (Percentile(n1, z1, v1), Percentile(n2, z2, v2)) => {
            if z1 == z2 {
                return Err(Invalid::new(
                    format!("{} (the same percentile twice)", found()),
                    LOGNORMAL_ALLOWED,
                ));
            }
            let sigma = (v2.ln() - v1.ln()) / (z2 - z1);
            if sigma.is_nan() || sigma <= 0.0 {
                return Err(no_solution(&format!(
                    "{n1} = {v1} and {n2} = {v2} are not in increasing order"
                )));
            }
            Ok((v1.ln() - sigma * z1, sigma))
        }
        (Sd(_), _) | (_, Sd(_)) => Err(Invalid::new(
            format!("{} (sd goes with `mean` or `median` only)", found()),
            LOGNORMAL_ALLOWED,
        )),
        // Canonical ordering above leaves no other combination.
        (Percentile(..), _) | (_, Median(_)) => Err(Invalid::new(found(), LOGNORMAL_ALLOWED)),
    }
}

/// Solve (alpha, beta) of a beta distribution on [0, 1] from its mean and sd.
///
/// # Errors
/// The mean must be inside (0, 1) and the variance below mean * (1 - mean).
pub fn beta_from_moments(mean: f64, sd: f64) -> Result<(f64, f64), Invalid> {
    if !(mean > 0.0 && mean < 1.0) {
        return Err(Invalid::new(
            format!("mean {mean} (on the [min, max] scale it must be strictly inside)"),
            "a mean strictly between min and max (0 and 1 by default)",
        ));
    }
    let var = sd * sd;
    if sd.is_nan() || sd <= 0.0 || var >= mean * (1.0 - mean) {
        return Err(Invalid::new(
            format!(
                "sd {sd} with mean {mean}: a beta needs 0 < sd < sqrt(mean*(1-mean)) = {:.6}",
                (mean * (1.0 - mean)).sqrt()
            ),
            "a smaller sd (on the [0, 1] scale)",
        ));
    }
    let k = mean * (1.0 - mean) / var - 1.0;
    Ok((mean * k, (1.0 - mean) * k))
}

/// The value of a lognormal at quantile level `p` (used in tests and the report).
pub fn lognormal_quantile(mu: f64, sigma: f64, p: f64) -> f64 {
    (mu + sigma * normal_quantile(p)).exp()
}

#[cfg(test)]
mod tests {
    use super::LogSummary::*;
    use super::*;

    fn pct(name: &str, v: f64) -> LogSummary {
        LogSummary::from_key(name, v).unwrap()
    }

    #[test]
    fn median_and_p90_reproduce_both() {
        // The seed scenario's ML engineer: median 120,883, p90 170,000.
        let (mu, s) = lognormal(Median(120_883.0), pct("p90", 170_000.0)).unwrap();
        assert!((lognormal_quantile(mu, s, 0.5) - 120_883.0).abs() < 1e-6);
        assert!((lognormal_quantile(mu, s, 0.9) - 170_000.0).abs() < 1e-6);
        // sigma = ln(170000/120883)/1.2815515655 = 0.3409753/1.2815516 = 0.2660644
        assert!((s - 0.266_064_4).abs() < 1e-7, "{s}");
    }

    #[test]
    fn every_allowed_pair_reproduces_its_inputs() {
        // BLS data scientists: p10 63,650, p25 82,630, median 112,590, p75 155,810, p90 194,410.
        for (a, b, la, lb) in [
            (pct("p10", 63_650.0), pct("p90", 194_410.0), 0.1, 0.9),
            (pct("p25", 82_630.0), pct("p75", 155_810.0), 0.25, 0.75),
            (pct("p75", 155_810.0), pct("p10", 63_650.0), 0.75, 0.1),
            (Median(112_590.0), pct("p25", 82_630.0), 0.5, 0.25),
            (pct("p10", 63_650.0), Median(112_590.0), 0.1, 0.5),
        ] {
            let (mu, s) = lognormal(a, b).unwrap();
            let va = match a {
                Median(v) | Percentile(_, _, v) => v,
                _ => unreachable!(),
            };
            let vb = match b {
                Median(v) | Percentile(_, _, v) => v,
                _ => unreachable!(),
            };
            assert!((lognormal_quantile(mu, s, la) / va - 1.0).abs() < 1e-12);
            assert!((lognormal_quantile(mu, s, lb) / vb - 1.0).abs() < 1e-12);
        }
    }

    #[test]
    fn moment_pairs_reproduce_moments() {
        let (mu, s) = lognormal(Mean(100_000.0), Sd(30_000.0)).unwrap();
        let mean = (mu + s * s / 2.0).exp();
        let sd = ((s * s).exp_m1() * (2.0 * mu + s * s).exp()).sqrt();
        assert!((mean - 100_000.0).abs() < 1e-6 && (sd - 30_000.0).abs() < 1e-6);

        let (mu, s) = lognormal(Sd(30_000.0), Median(90_000.0)).unwrap();
        let sd = ((s * s).exp_m1() * (2.0 * mu + s * s).exp()).sqrt();
        assert!((mu.exp() - 90_000.0).abs() < 1e-6 && (sd - 30_000.0).abs() < 1e-6);

        let (mu, s) = lognormal(Median(90_000.0), Mean(100_000.0)).unwrap();
        assert!(((mu + s * s / 2.0).exp() - 100_000.0).abs() < 1e-6);
    }

    #[test]
    fn impossible_pairs_are_refused() {
        assert!(lognormal(Median(100.0), pct("p90", 90.0)).is_err());
        assert!(lognormal(Median(100.0), pct("p10", 120.0)).is_err());
        assert!(lognormal(Median(100.0), Mean(90.0)).is_err());
        assert!(lognormal(Mean(100.0), pct("p90", 150.0)).is_err());
        assert!(lognormal(Sd(10.0), pct("p90", 150.0)).is_err());
        assert!(lognormal(pct("p10", 100.0), pct("p90", 80.0)).is_err());
        assert!(lognormal(pct("p90", 100.0), pct("p90", 100.0)).is_err());
        assert!(lognormal(Median(0.0), pct("p90", 80.0)).is_err());
        assert!(lognormal(Median(-5.0), Sd(1.0)).is_err());
    }

    #[test]
    fn beta_moments() {
        // mean 0.85, sd 0.05: k = 0.85*0.15/0.0025 - 1 = 50, alpha = 42.5, beta = 7.5.
        let (a, b) = beta_from_moments(0.85, 0.05).unwrap();
        assert!((a - 42.5).abs() < 1e-9 && (b - 7.5).abs() < 1e-9);
        assert!(beta_from_moments(0.5, 0.5).is_err());
        assert!(beta_from_moments(1.0, 0.1).is_err());
        assert!(beta_from_moments(0.5, 0.0).is_err());
    }
}
