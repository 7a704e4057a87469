//! Distributions: every uncertain input of a scenario compiled into a ready sampler.
//!
//! The scenario layer validates what was written and calls the constructors here; the
//! constructors check the invariants a sampler needs and return [`Invalid`] with what was
//! found and what is allowed. The engine draws with [`Dist::sample`]; [`Dist::quantile`]
//! turns one uniform level (or a normal score through Φ) into a value, for inputs drawn by
//! inverse CDF or correlated through factors, and [`Dist::cdf`] goes the other way.
//!
//! Truncation (`min` / `max` on a normal, lognormal, choice or empirical input) is exact:
//! continuous distributions are sampled by inverse CDF over the allowed range, discrete ones
//! drop the values outside it and renormalize. Nothing is clamped and nothing loops.

pub mod fit;
pub mod ibeta;
mod quantile;
pub mod special;
mod tails;
pub use tails::NEGLIGIBLE;

use rand::Rng;
use rand::RngExt;
use rand::distr::Open01;
use rand_distr::{Beta, Distribution, StandardNormal};
use special::{normal_cdf, normal_quantile};

/// Why a distribution cannot be built: what was found, and what is allowed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// What was found (`sd = -1`).
    pub found: String,
    /// What is allowed (`an sd of 0 or more`).
    pub allowed: String,
}

impl Invalid {
    /// A new error.
    pub fn new(found: impl Into<String>, allowed: impl Into<String>) -> Self {
        Invalid {
            found: found.into(),
            allowed: allowed.into(),
        }
    }
}

/// Optional truncation bounds of a distribution.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Bounds {
    /// Lower bound, inclusive.
    pub min: Option<f64>,
    /// Upper bound, inclusive.
    pub max: Option<f64>,
}

impl Bounds {
    fn lo(&self) -> f64 {
        self.min.unwrap_or(f64::NEG_INFINITY)
    }
    fn hi(&self) -> f64 {
        self.max.unwrap_or(f64::INFINITY)
    }
    fn is_set(&self) -> bool {
        self.min.is_some() || self.max.is_some()
    }
    fn check(&self) -> Result<(), Invalid> {
        if self.lo() > self.hi() {
            return Err(Invalid::new(
                format!("min = {} above max = {}", self.lo(), self.hi()),
                "min <= max",
            ));
        }
        Ok(())
    }
}

/// A compiled sampler.
#[derive(Debug, Clone)]
pub enum Dist {
    /// Always the same value; draws nothing from the generator.
    Fixed(f64),
    /// Uniform on [lo, lo + width).
    Uniform {
        /// Lower end.
        lo: f64,
        /// Width.
        width: f64,
    },
    /// Normal, or lognormal when `log` (then mean and sd are of the logarithm).
    Normal {
        /// Mean (of the log when `log`).
        mean: f64,
        /// Standard deviation (of the log when `log`).
        sd: f64,
        /// Exponentiate the draw.
        log: bool,
    },
    /// A normal (or lognormal) truncated to a range, sampled by inverse CDF.
    ///
    /// To stay accurate in the upper tail the standardized range is mirrored into the lower
    /// tail (`flip`), where Φ has full relative precision.
    TruncNormal {
        /// Mean (of the log when `log`).
        mean: f64,
        /// Standard deviation (of the log when `log`).
        sd: f64,
        /// Exponentiate the draw.
        log: bool,
        /// The standardized range was mirrored: the draw is -Φ⁻¹(u).
        flip: bool,
        /// Φ at the lower end of the (possibly mirrored) standardized range.
        p_lo: f64,
        /// Φ(upper) - Φ(lower): the probability mass kept.
        p_width: f64,
        /// Lower bound in the variable's own units (dollars, not logs).
        lo: f64,
        /// Upper bound in the variable's own units.
        hi: f64,
    },
    /// Triangular on [min, max] with the given mode, by inverse CDF.
    Triangular {
        /// Lower end.
        min: f64,
        /// Mode.
        mode: f64,
        /// Upper end.
        max: f64,
    },
    /// A beta on [0, 1] rescaled to [min, min + scale] (PERT is a beta too).
    Beta {
        /// The beta sampler.
        beta: Beta<f64>,
        /// Lower end.
        min: f64,
        /// max - min.
        scale: f64,
        /// Shape parameters, kept for the mean and the docs.
        alpha: f64,
        /// Second shape parameter.
        beta_b: f64,
        /// ln B(alpha, beta), for the CDF and the quantile.
        ln_beta: f64,
    },
    /// Discrete values with cumulative weights (the last is 1).
    Choice {
        /// The values, in the order written (what `sample` walks).
        values: Box<[f64]>,
        /// Cumulative normalized weights.
        cumulative: Box<[f64]>,
        /// The values of positive weight in increasing order, for the quantile and the CDF
        /// (a quantile must not decrease, whatever order the values were written in).
        ranked: Box<[f64]>,
        /// Cumulative normalized weights of `ranked` (the last is 1).
        ranked_cumulative: Box<[f64]>,
    },
    /// A bootstrap from data: each value equally likely.
    Empirical {
        /// The data, in file order (what `sample` indexes).
        values: Box<[f64]>,
        /// The data in increasing order, for the quantile and the CDF.
        sorted: Box<[f64]>,
    },
}

fn finite(name: &str, v: f64) -> Result<f64, Invalid> {
    if v.is_finite() {
        Ok(v)
    } else {
        Err(Invalid::new(format!("{name} = {v}"), "a finite number"))
    }
}

/// How [`Dist::sample`] draws a value (see `Dist::inline_kind`).
#[derive(Clone, Copy)]
enum Inline {
    Fixed(f64),
    Normal {
        mean: f64,
        sd: f64,
    },
    TruncNormal {
        mean: f64,
        sd: f64,
        lo: f64,
        hi: f64,
    },
    Other,
}

/// `mean + sd z`, `z` a standard normal.
#[inline(always)]
fn plain_normal<R: Rng + ?Sized>(mean: f64, sd: f64, rng: &mut R) -> f64 {
    let z: f64 = StandardNormal.sample(rng);
    mean + sd * z
}

impl Dist {
    /// A fixed value; optional bounds must contain it.
    ///
    /// # Errors
    /// A non-finite value, or one outside the bounds.
    pub fn fixed(v: f64, bounds: Bounds) -> Result<Self, Invalid> {
        finite("value", v)?;
        bounds.check()?;
        if v < bounds.lo() || v > bounds.hi() {
            return Err(Invalid::new(
                format!(
                    "value {v} outside [min, max] = [{}, {}]",
                    bounds.lo(),
                    bounds.hi()
                ),
                "a value within its bounds",
            ));
        }
        Ok(Dist::Fixed(v))
    }

    /// Uniform on [min, max].
    ///
    /// # Errors
    /// `min > max` or non-finite ends.
    pub fn uniform(min: f64, max: f64) -> Result<Self, Invalid> {
        finite("min", min)?;
        finite("max", max)?;
        if min > max {
            return Err(Invalid::new(
                format!("min = {min} above max = {max}"),
                "min <= max",
            ));
        }
        if min == max {
            return Ok(Dist::Fixed(min));
        }
        Ok(Dist::Uniform {
            lo: min,
            width: max - min,
        })
    }

    /// Normal(mean, sd), optionally truncated.
    ///
    /// # Errors
    /// A negative sd, bounds with `min > max`, or bounds that keep (almost) no probability.
    pub fn normal(mean: f64, sd: f64, bounds: Bounds) -> Result<Self, Invalid> {
        finite("mean", mean)?;
        finite("sd", sd)?;
        if sd < 0.0 {
            return Err(Invalid::new(format!("sd = {sd}"), "an sd of 0 or more"));
        }
        bounds.check()?;
        if sd == 0.0 {
            return Dist::fixed(mean, bounds);
        }
        Self::gaussian(mean, sd, false, (bounds.lo(), bounds.hi()), bounds.is_set())
    }

    /// Lognormal with log-mean `mu` and log-sd `sigma`, optionally truncated (bounds in
    /// dollars, not logs).
    ///
    /// # Errors
    /// A negative sigma, `min > max`, or bounds that keep (almost) no probability.
    pub fn lognormal(mu: f64, sigma: f64, bounds: Bounds) -> Result<Self, Invalid> {
        finite("mu", mu)?;
        finite("sigma", sigma)?;
        if sigma < 0.0 {
            return Err(Invalid::new(format!("sigma = {sigma}"), "sigma >= 0"));
        }
        bounds.check()?;
        if sigma == 0.0 {
            return Dist::fixed(mu.exp(), bounds);
        }
        if bounds.hi() <= 0.0 {
            return Err(Invalid::new(
                format!(
                    "max = {} for a lognormal, whose values are all above 0",
                    bounds.hi()
                ),
                "max > 0",
            ));
        }
        let truncated = bounds.lo() > 0.0 || bounds.hi().is_finite();
        Self::gaussian(
            mu,
            sigma,
            true,
            (bounds.lo().max(0.0), bounds.hi()),
            truncated,
        )
    }

    /// A normal in `mean`/`sd` (of the log when `log`), truncated to `range` given in the
    /// variable's own units.
    fn gaussian(
        mean: f64,
        sd: f64,
        log: bool,
        range: (f64, f64),
        truncated: bool,
    ) -> Result<Self, Invalid> {
        if !truncated {
            return Ok(Dist::Normal { mean, sd, log });
        }
        let to_z = |x: f64| {
            let x = if log {
                if x > 0.0 { x.ln() } else { f64::NEG_INFINITY }
            } else {
                x
            };
            (x - mean) / sd
        };
        let (lo, hi) = range;
        let (a, b) = (to_z(lo), to_z(hi));
        // Mirror into the lower tail when the range sits above the mean.
        let flip = a > 0.0;
        let (a, b) = if flip { (-b, -a) } else { (a, b) };
        let (p_lo, p_hi) = (normal_cdf(a), normal_cdf(b));
        let p_width = p_hi - p_lo;
        if p_width.is_nan() || p_width <= 1e-12 {
            return Err(Invalid::new(
                format!(
                    "bounds [{lo}, {hi}]{} keep a probability of {p_width:.1e} of the distribution",
                    if log { " (in logs)" } else { "" }
                ),
                "bounds that keep some of the distribution's mass (more than 1e-12)",
            ));
        }
        Ok(Dist::TruncNormal {
            mean,
            sd,
            log,
            flip,
            p_lo,
            p_width,
            lo,
            hi,
        })
    }

    /// Triangular on [min, max] with mode.
    ///
    /// # Errors
    /// Unless `min <= mode <= max` with `min < max`.
    pub fn triangular(min: f64, mode: f64, max: f64) -> Result<Self, Invalid> {
        Self::check_three(min, mode, max)?;
        if min == max {
            return Ok(Dist::Fixed(min));
        }
        Ok(Dist::Triangular { min, mode, max })
    }

    fn check_three(min: f64, mode: f64, max: f64) -> Result<(), Invalid> {
        finite("min", min)?;
        finite("mode", mode)?;
        finite("max", max)?;
        if !(min <= mode && mode <= max) {
            return Err(Invalid::new(
                format!("min = {min}, mode = {mode}, max = {max}"),
                "min <= mode <= max",
            ));
        }
        Ok(())
    }

    /// Beta-PERT with shape 4 on [min, max]: a beta with alpha = 1 + 4 (mode - min) / (max - min)
    /// and beta = 1 + 4 (max - mode) / (max - min) (Vose, Risk Analysis, 2008).
    ///
    /// # Errors
    /// Unless `min <= mode <= max`.
    pub fn pert(min: f64, mode: f64, max: f64) -> Result<Self, Invalid> {
        Self::check_three(min, mode, max)?;
        if min == max {
            return Ok(Dist::Fixed(min));
        }
        let r = max - min;
        Self::beta(
            1.0 + 4.0 * (mode - min) / r,
            1.0 + 4.0 * (max - mode) / r,
            min,
            max,
        )
    }

    /// Beta(alpha, beta) rescaled to [min, max].
    ///
    /// # Errors
    /// Non-positive shapes, or `min >= max`.
    pub fn beta(alpha: f64, beta: f64, min: f64, max: f64) -> Result<Self, Invalid> {
        finite("alpha", alpha)?;
        finite("beta", beta)?;
        finite("min", min)?;
        finite("max", max)?;
        if !(alpha > 0.0 && beta > 0.0) {
            return Err(Invalid::new(
                format!("alpha = {alpha}, beta = {beta}"),
                "alpha > 0 and beta > 0",
            ));
        }
        if min >= max {
            return Err(Invalid::new(
                format!("min = {min}, max = {max}"),
                "min < max",
            ));
        }
        let sampler = Beta::new(alpha, beta).map_err(|e| {
            Invalid::new(
                format!("alpha = {alpha}, beta = {beta} ({e})"),
                "alpha > 0 and beta > 0",
            )
        })?;
        Ok(Dist::Beta {
            beta: sampler,
            min,
            scale: max - min,
            alpha,
            beta_b: beta,
            ln_beta: ibeta::ln_beta(alpha, beta),
        })
    }

    /// A discrete choice among `values` with optional `weights` (equal when absent),
    /// truncated to the bounds.
    ///
    /// # Errors
    /// No values, a length mismatch, negative or non-finite weights, weights that sum to 0,
    /// or bounds that exclude every value.
    pub fn choice(
        values: &[f64],
        weights: Option<&[f64]>,
        bounds: Bounds,
    ) -> Result<Self, Invalid> {
        bounds.check()?;
        if values.is_empty() {
            return Err(Invalid::new(
                "an empty list of values",
                "at least one value",
            ));
        }
        for &v in values {
            finite("a value", v)?;
        }
        let ones = vec![1.0; values.len()];
        let weights = weights.unwrap_or(&ones);
        if weights.len() != values.len() {
            return Err(Invalid::new(
                format!("{} weights for {} values", weights.len(), values.len()),
                "one weight per value",
            ));
        }
        if let Some(w) = weights.iter().find(|w| !(w.is_finite() && **w >= 0.0)) {
            return Err(Invalid::new(
                format!("weight {w}"),
                "weights that are finite and 0 or more",
            ));
        }
        let kept: Vec<(f64, f64)> = values
            .iter()
            .zip(weights)
            .filter(|(v, _)| **v >= bounds.lo() && **v <= bounds.hi())
            .map(|(v, w)| (*v, *w))
            .collect();
        let total: f64 = kept.iter().map(|(_, w)| w).sum();
        if kept.is_empty() || total.is_nan() || total <= 0.0 {
            return Err(Invalid::new(
                if kept.is_empty() {
                    "no value inside [min, max]".to_string()
                } else {
                    format!("weights summing to {total}")
                },
                "weights that sum to a positive number over the values inside the bounds",
            ));
        }
        let mut acc = 0.0;
        let mut cumulative: Vec<f64> = kept
            .iter()
            .map(|(_, w)| {
                acc += w;
                acc / total
            })
            .collect();
        *cumulative.last_mut().expect("kept is not empty") = 1.0;
        let mut ranked: Vec<(f64, f64)> = kept.iter().copied().filter(|(_, w)| *w > 0.0).collect();
        ranked.sort_by(|x, y| x.0.total_cmp(&y.0));
        let mut acc = 0.0;
        let mut ranked_cumulative: Vec<f64> = ranked
            .iter()
            .map(|(_, w)| {
                acc += w;
                acc / total
            })
            .collect();
        *ranked_cumulative
            .last_mut()
            .expect("a positive total has a positive weight") = 1.0;
        Ok(Dist::Choice {
            values: kept.iter().map(|(v, _)| *v).collect(),
            cumulative: cumulative.into(),
            ranked: ranked.iter().map(|(v, _)| *v).collect(),
            ranked_cumulative: ranked_cumulative.into(),
        })
    }

    /// A bootstrap from data, truncated to the bounds.
    ///
    /// # Errors
    /// No data, non-finite data, or no data inside the bounds.
    pub fn empirical(values: &[f64], bounds: Bounds) -> Result<Self, Invalid> {
        bounds.check()?;
        for &v in values {
            finite("a data value", v)?;
        }
        let kept: Box<[f64]> = values
            .iter()
            .copied()
            .filter(|v| *v >= bounds.lo() && *v <= bounds.hi())
            .collect();
        if kept.is_empty() {
            return Err(Invalid::new(
                if values.is_empty() {
                    "no data"
                } else {
                    "no data inside [min, max]"
                },
                "at least one numeric value",
            ));
        }
        let mut sorted = kept.to_vec();
        sorted.sort_by(f64::total_cmp);
        Ok(Dist::Empirical {
            values: kept,
            sorted: sorted.into(),
        })
    }

    /// How a value is drawn: the kinds drawn in the hot yearly loops (a fixed value, a plain
    /// normal raise, a normal truncated far in its tails) at the call site, the others through
    /// one out-of-line call. The one place that decides it, for [`sample`](Self::sample) and
    /// [`sample_into`](Self::sample_into) alike.
    #[inline(always)]
    fn inline_kind(&self) -> Inline {
        match *self {
            Dist::Fixed(v) => Inline::Fixed(v),
            Dist::Normal {
                mean,
                sd,
                log: false,
            } => Inline::Normal { mean, sd },
            // A normal truncated far in its tails (a raise bounded to [-1, 1]): the first
            // plain draw is almost always inside; the rest of the bounded rejection, and the
            // inverse CDF, are in `sample_other`.
            Dist::TruncNormal {
                mean,
                sd,
                log: false,
                p_width,
                lo,
                hi,
                ..
            } if p_width > 0.99 => Inline::TruncNormal { mean, sd, lo, hi },
            _ => Inline::Other,
        }
    }

    /// One value of a truncated normal drawn inline: the first plain draw if it is inside
    /// `[lo, hi]`, else the rest of `sample_other`'s bounded rejection.
    #[inline(always)]
    fn truncated_first<R: Rng + ?Sized>(
        &self,
        mean: f64,
        sd: f64,
        lo: f64,
        hi: f64,
        rng: &mut R,
    ) -> f64 {
        let x = plain_normal(mean, sd, rng);
        if x >= lo && x <= hi {
            x
        } else {
            self.sample_other(rng)
        }
    }

    /// Draw one value.
    #[inline(always)]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self.inline_kind() {
            Inline::Fixed(v) => v,
            Inline::Normal { mean, sd } => plain_normal(mean, sd, rng),
            Inline::TruncNormal { mean, sd, lo, hi } => self.truncated_first(mean, sd, lo, hi, rng),
            Inline::Other => self.sample_other(rng),
        }
    }

    /// Draw `out.len()` values in a row: exactly what as many calls of
    /// [`sample`](Self::sample) give, in the same order from the same stream, with the kind of
    /// distribution looked at once rather than at every value (a career's raises, a year
    /// each, are the one place where many values come from one distribution).
    pub fn sample_into<R: Rng + ?Sized>(&self, rng: &mut R, out: &mut [f64]) {
        match self.inline_kind() {
            Inline::Fixed(v) => out.fill(v),
            Inline::Normal { mean, sd } => out.fill_with(|| plain_normal(mean, sd, rng)),
            Inline::TruncNormal { mean, sd, lo, hi } => {
                out.fill_with(|| self.truncated_first(mean, sd, lo, hi, rng));
            }
            Inline::Other => out.fill_with(|| self.sample_other(rng)),
        }
    }

    #[inline(never)]
    fn sample_other<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Uniform { lo, width } => lo + width * rng.random::<f64>(),
            Dist::Normal { mean, sd, log } => {
                let z: f64 = StandardNormal.sample(rng);
                let x = mean + sd * z;
                if *log { x.exp() } else { x }
            }
            Dist::TruncNormal {
                mean,
                sd,
                log,
                flip,
                p_lo,
                p_width,
                lo,
                hi,
            } => {
                // A range that keeps almost all of the normal (a raise truncated to [-1, 1],
                // a salary to [0, inf)): a few plain draws, kept when inside, are exact and
                // several times cheaper than the inverse CDF, which takes over after four
                // misses (so the loop is bounded; at a kept mass above 0.99 it almost never
                // runs a second time).
                if *p_width > 0.99 {
                    // (After `sample`'s first try, for a normal: at most five in all.)
                    for _ in 0..4 {
                        let z: f64 = StandardNormal.sample(rng);
                        let x = mean + sd * z;
                        let x = if *log { x.exp() } else { x };
                        if x >= *lo && x <= *hi {
                            return x;
                        }
                    }
                }
                let u: f64 = rng.sample(Open01);
                let z = normal_quantile(p_lo + p_width * u);
                let z = if *flip { -z } else { z };
                let x = mean + sd * z;
                let x = if *log { x.exp() } else { x };
                // Only rounding can put x outside: keep the bounds exact.
                x.clamp(*lo, *hi)
            }
            Dist::Triangular { min, mode, max } => {
                let u: f64 = rng.random();
                let (range, left) = (max - min, mode - min);
                if u * range < left {
                    min + (u * range * left).sqrt()
                } else {
                    max - ((1.0 - u) * range * (max - mode)).sqrt()
                }
            }
            Dist::Beta {
                beta, min, scale, ..
            } => min + scale * beta.sample(rng),
            Dist::Choice {
                values, cumulative, ..
            } => {
                let u: f64 = rng.random();
                let i = cumulative
                    .iter()
                    .position(|&c| u < c)
                    .unwrap_or(values.len() - 1);
                values[i]
            }
            Dist::Empirical { values, .. } => values[rng.random_range(0..values.len())],
        }
    }

    /// The smallest and largest values the sampler can return (may be infinite).
    pub fn support(&self) -> (f64, f64) {
        match self {
            Dist::Fixed(v) => (*v, *v),
            Dist::Uniform { lo, width } => (*lo, lo + width),
            Dist::Normal { log: false, .. } => (f64::NEG_INFINITY, f64::INFINITY),
            Dist::Normal { log: true, .. } => (0.0, f64::INFINITY),
            Dist::TruncNormal { lo, hi, log, .. } => (if *log { lo.max(0.0) } else { *lo }, *hi),
            Dist::Triangular { min, max, .. } => (*min, *max),
            Dist::Beta { min, scale, .. } => (*min, min + scale),
            Dist::Choice { values, .. } | Dist::Empirical { values, .. } => (
                values.iter().copied().fold(f64::INFINITY, f64::min),
                values.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            ),
        }
    }

    /// The analytic mean of the sampler.
    pub fn mean(&self) -> f64 {
        match self {
            Dist::Fixed(v) => *v,
            Dist::Uniform { lo, width } => lo + width / 2.0,
            Dist::Normal {
                mean, log: false, ..
            } => *mean,
            Dist::Normal {
                mean,
                sd,
                log: true,
            } => (mean + sd * sd / 2.0).exp(),
            Dist::TruncNormal {
                mean,
                sd,
                log,
                flip,
                p_lo,
                p_width,
                ..
            } => {
                let (za, zb) = (normal_quantile(*p_lo), normal_quantile(p_lo + p_width));
                let (za, zb) = if *flip { (-zb, -za) } else { (za, zb) };
                if *log {
                    // E[e^X | a<Z<b] = e^{mu + s²/2} (Φ(b - s) - Φ(a - s)) / (Φ(b) - Φ(a)).
                    let s = *sd;
                    (mean + s * s / 2.0).exp() * (normal_cdf(zb - s) - normal_cdf(za - s)) / p_width
                } else {
                    let pdf = |z: f64| (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt();
                    mean + sd * (pdf(za) - pdf(zb)) / p_width
                }
            }
            Dist::Triangular { min, mode, max } => (min + mode + max) / 3.0,
            Dist::Beta {
                min,
                scale,
                alpha,
                beta_b,
                ..
            } => min + scale * alpha / (alpha + beta_b),
            Dist::Choice {
                values, cumulative, ..
            } => {
                let mut prev = 0.0;
                values
                    .iter()
                    .zip(cumulative.iter())
                    .map(|(v, c)| {
                        let w = c - prev;
                        prev = *c;
                        v * w
                    })
                    .sum()
            }
            Dist::Empirical { values, .. } => values.iter().sum::<f64>() / values.len() as f64,
        }
    }

    /// The largest value the sampler returns in practice: its upper bound where it has one,
    /// otherwise its 1 - 1e-6 quantile (for validating magnitudes of unbounded inputs).
    pub fn practical_max(&self) -> f64 {
        // z of the 1 - 1e-6 quantile of a standard normal.
        const Z: f64 = 4.753_424_308_822_899;
        match self {
            Dist::Normal { mean, sd, log } => {
                let x = mean + Z * sd;
                if *log { x.exp() } else { x }
            }
            Dist::TruncNormal {
                mean, sd, log, hi, ..
            } if hi.is_infinite() => {
                let x = mean + Z * sd;
                if *log { x.exp() } else { x }
            }
            _ => self.support().1,
        }
    }

    /// True when the sampler always returns the same value (and so draws nothing).
    pub fn is_fixed(&self) -> bool {
        matches!(self, Dist::Fixed(_))
    }
}
