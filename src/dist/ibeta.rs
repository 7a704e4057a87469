//! The regularized incomplete beta function `I_x(a, b)` and its inverse: the CDF and the
//! quantile function of a beta input (and so of a PERT input).
//!
//! `I_x(a, b)` is evaluated by its continued fraction (Numerical Recipes, 3rd ed., section
//! 6.4) with the modified Lentz method, on whichever side of the mean it converges fast
//! (`I_x(a, b) = 1 - I_{1-x}(b, a)`). The side computed directly keeps its full relative
//! precision, so both tails are accurate: [`inc_beta_pair`] returns `I` and `1 - I`, each
//! either computed directly or as the complement of a value of 0.3 or more.
//!
//! The inverse solves `I_x(a, b) = p` by Halley's method from the starting point of
//! Numerical Recipes' `invbetai` (Abramowitz and Stegun 26.5.22 when both shapes are 1 or
//! more, the leading term of the series in the tails otherwise), kept inside a bracket that
//! shrinks with every step, so it can neither diverge nor leave [0, 1].

/// `ln B(a, b) = ln Γ(a) + ln Γ(b) - ln Γ(a + b)`, for shapes above 0.
///
/// Precomputed once per beta input: every evaluation of `I_x(a, b)` needs it.
pub fn ln_beta(a: f64, b: f64) -> f64 {
    libm::lgamma(a) + libm::lgamma(b) - libm::lgamma(a + b)
}

/// `ln x` and `ln(1 - x)` for x in (0, 1), each to full relative precision.
fn ln_both(x: f64) -> (f64, f64) {
    if x < 0.5 {
        (x.ln(), (-x).ln_1p())
    } else {
        // 1 - x is exact for x >= 0.5 (Sterbenz).
        let y = 1.0 - x;
        ((-y).ln_1p(), y.ln())
    }
}

/// The continued fraction of `I_x(a, b)` (NR 6.4.5) by the modified Lentz method; converges
/// fast for `x < (a + 1) / (a + b + 2)`, in O(sqrt(max(a, b))) terms.
fn continued_fraction(x: f64, a: f64, b: f64) -> f64 {
    const TINY: f64 = 1e-300;
    const EPS: f64 = 1e-16;
    let fix = |v: f64| if v.abs() < TINY { TINY } else { v };
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 / fix(1.0 - qab * x / qap);
    let mut h = d;
    for m in 1..=10_000 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        // Even step.
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 / fix(1.0 + aa * d);
        c = fix(1.0 + aa / c);
        h *= d * c;
        // Odd step.
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 / fix(1.0 + aa * d);
        c = fix(1.0 + aa / c);
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() <= EPS {
            break;
        }
    }
    h
}

/// `(I_x(a, b), 1 - I_x(a, b))` for x in [0, 1], `ln_b` = [`ln_beta`]`(a, b)`. The one of the
/// two on the side of the mean the continued fraction converges for is computed directly and
/// keeps its relative precision in the tail; the other is its complement.
pub fn inc_beta_pair(x: f64, a: f64, b: f64, ln_b: f64) -> (f64, f64) {
    if x.is_nan() {
        return (f64::NAN, f64::NAN);
    }
    if x <= 0.0 {
        return (0.0, 1.0);
    }
    if x >= 1.0 {
        return (1.0, 0.0);
    }
    let (lx, ly) = ln_both(x);
    let front = (a * lx + b * ly - ln_b).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        let i = front * continued_fraction(x, a, b) / a;
        (i, 1.0 - i)
    } else {
        let c = front * continued_fraction(1.0 - x, b, a) / b;
        (1.0 - c, c)
    }
}

/// The regularized incomplete beta function `I_x(a, b)`: the CDF at x of a Beta(a, b) on
/// [0, 1] (0 below 0, 1 above 1). `ln_b` = [`ln_beta`]`(a, b)`.
pub fn inc_beta(x: f64, a: f64, b: f64, ln_b: f64) -> f64 {
    inc_beta_pair(x, a, b, ln_b).0
}

/// The density of Beta(a, b) at x in (0, 1), from `ln x` and `ln(1 - x)`.
fn density(lx: f64, ly: f64, a: f64, b: f64, ln_b: f64) -> f64 {
    ((a - 1.0) * lx + (b - 1.0) * ly - ln_b).exp()
}

/// A starting point for the inverse (Numerical Recipes 3rd ed., `invbetai`), with the exact
/// `B(a, b)` in the tail terms.
fn initial_guess(p: f64, q: f64, a: f64, b: f64, ln_b: f64) -> f64 {
    if a >= 1.0 && b >= 1.0 {
        // Abramowitz and Stegun 26.5.22, from the upper-tail normal deviate of p.
        let z = if p < 0.5 {
            -super::special::normal_quantile(p)
        } else {
            super::special::normal_quantile(q)
        };
        let al = (z * z - 3.0) / 6.0;
        let (ra, rb) = (1.0 / (2.0 * a - 1.0), 1.0 / (2.0 * b - 1.0));
        let h = 2.0 / (ra + rb);
        let w = z * (al + h).sqrt() / h - (rb - ra) * (al + 5.0 / 6.0 - 2.0 / (3.0 * h));
        a / (a + b * (2.0 * w).exp())
    } else {
        // I_x ≈ x^a / (a B) near 0 and 1 - I_x ≈ (1 - x)^b / (b B) near 1; split where the
        // two approximations' masses meet (NR's weights t and u).
        let t = (a * (a / (a + b)).ln()).exp() / a;
        let u = (b * (b / (a + b)).ln()).exp() / b;
        if p < t / (t + u) {
            (((p * a).ln() + ln_b) / a).exp()
        } else {
            1.0 - (((q * b).ln() + ln_b) / b).exp()
        }
    }
}

/// The inverse of `I_x(a, b)` in x: the quantile at level p of Beta(a, b) on [0, 1] (0 for
/// p <= 0, 1 for p >= 1). `ln_b` = [`ln_beta`]`(a, b)`.
///
/// Cost: typically 3 to 6 evaluations of `I_x(a, b)` (measured up to 12 at the extreme tail
/// levels of 1e-9 and shapes of 0.5), each a continued fraction of O(sqrt(max(a, b))) terms,
/// an `exp` and two logarithms: about a microsecond per call for the shapes scenarios use,
/// against a few dozen nanoseconds for a normal quantile.
///
/// Accuracy: `|I(Q(p)) - p|` below 1e-14 or so. Where the density is infinite at 1
/// (b < 1), the doubles just below 1 are too coarse to reach every level near 1: there the
/// result is the double whose level is nearest p (within one unit in the last place of the
/// exact quantile).
pub fn inc_beta_inv(p: f64, a: f64, b: f64, ln_b: f64) -> f64 {
    if p.is_nan() {
        return f64::NAN;
    }
    if p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    // Solve on the side with relative precision: I - p below the median, (1 - p) - (1 - I)
    // above it. 1 - p is exact for p >= 0.5.
    let q = 1.0 - p;
    let lower = p <= 0.5;
    let (mut lo, mut hi) = (0.0_f64, 1.0_f64);
    let mut x = initial_guess(p, q, a, b, ln_b);
    if !(x > 0.0 && x < 1.0) {
        x = if x >= 1.0 { 1.0 - f64::EPSILON / 2.0 } else { 0.5 };
    }
    let mut best = (f64::INFINITY, x);
    for _ in 0..200 {
        let (i, c) = inc_beta_pair(x, a, b, ln_b);
        let f = if lower { i - p } else { q - c };
        if f.abs() < best.0 {
            best = (f.abs(), x);
        }
        if f == 0.0 {
            return x;
        }
        if f < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let (lx, ly) = ln_both(x);
        let pdf = density(lx, ly, a, b, ln_b);
        // Halley: the Newton step t corrected by the curvature of I (NR's invbetai).
        let t = f / pdf;
        let curve = t * ((a - 1.0) / x - (b - 1.0) / (1.0 - x));
        let step = t / (1.0 - 0.5 * curve.min(1.0));
        let next = x - step;
        if step.abs() <= 2.0 * f64::EPSILON * x {
            // Converged: the last step is a few units in the last place.
            return if next > lo && next < hi { next } else { x };
        }
        x = if next > lo && next < hi {
            next
        } else if lo == 0.0 {
            // Outside the bracket: bisect it, geometrically when it reaches down to 0 or
            // up to 1, so a tail far from the start is reached in few steps.
            hi / 16.0
        } else if hi == 1.0 {
            1.0 - (1.0 - lo) / 16.0
        } else {
            0.5 * (lo + hi)
        };
        if !(x > lo && x < hi) {
            // The bracket holds two neighbouring doubles.
            break;
        }
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rounding error to expect: ln B(a, b) is a difference of log-gammas, as large as
    /// 2000 for shapes of 200, each good to about one unit in its last place; the error of
    /// the exponent is the error of I relative to itself.
    fn tolerance(a: f64, b: f64) -> f64 {
        1e-15_f64.max(2.0 * f64::EPSILON * libm::lgamma(a + b).abs())
    }

    fn i(x: f64, a: f64, b: f64) -> f64 {
        inc_beta(x, a, b, ln_beta(a, b))
    }

    #[test]
    fn closed_forms() {
        for &x in &[1e-12, 0.01, 0.1, 0.3, 0.5, 0.77, 0.99, 1.0 - 1e-12] {
            // Uniform: I_x(1, 1) = x.
            assert!((i(x, 1.0, 1.0) - x).abs() <= 1e-15, "x={x}");
            // I_x(2, 2) = 3x² - 2x³.
            let want = 3.0 * x * x - 2.0 * x * x * x;
            assert!((i(x, 2.0, 2.0) - want).abs() <= 1e-15, "x={x}");
            // I_x(a, 1) = x^a and I_x(1, b) = 1 - (1 - x)^b.
            assert!((i(x, 3.5, 1.0) - x.powf(3.5)).abs() <= 1e-13 * x.powf(3.5), "x={x}");
            assert!((i(x, 1.0, 0.5) - (1.0 - (1.0 - x).sqrt())).abs() <= 1e-15);
            // Arcsine: I_x(1/2, 1/2) = (2/π) asin(√x), and 1 - I = (2/π) asin(√(1 - x)),
            // each checked on the half where its reference is well conditioned (and where
            // 1 - x is exact).
            let (lower, upper) = inc_beta_pair(x, 0.5, 0.5, ln_beta(0.5, 0.5));
            let arcsine = |t: f64| 2.0 / std::f64::consts::PI * t.sqrt().asin();
            if x <= 0.5 {
                assert!((lower - arcsine(x)).abs() <= 1e-15 * arcsine(x), "x={x}");
            } else {
                let want = arcsine(1.0 - x);
                assert!((upper - want).abs() <= 1e-14 * want, "x={x}: {upper} vs {want}");
            }
        }
        // Symmetric shapes have their median at 1/2.
        for &a in &[0.5, 1.2, 3.0, 42.5, 100.0, 200.0] {
            let tol = tolerance(a, a);
            assert!((i(0.5, a, a) - 0.5).abs() <= tol, "a={a}");
        }
        // I_x(a, b) = 1 - I_{1-x}(b, a).
        let (x, a, b) = (0.3, 19.2, 4.8);
        assert!((i(x, a, b) + i(1.0 - x, b, a) - 1.0).abs() <= 1e-15);
    }

    #[test]
    fn tails_keep_relative_precision() {
        // I_x(1, b) = 1 - (1 - x)^b = -expm1(b ln(1 - x)): tiny in the lower tail.
        let (x, b) = (1e-12_f64, 4.0);
        let want = -(b * (-x).ln_1p()).exp_m1();
        assert!((i(x, 1.0, b) - want).abs() <= 1e-13 * want);
        // Upper tail of I_x(a, 1) = x^a: 1 - I = -expm1(a ln x).
        let (x, a) = (1.0 - 1e-12_f64, 3.0);
        let (_, c) = inc_beta_pair(x, a, 1.0, ln_beta(a, 1.0));
        let want = -(a * x.ln()).exp_m1();
        assert!((c - want).abs() <= 1e-3 * want, "{c} vs {want}");
    }

    #[test]
    fn inverse_of_closed_forms() {
        for &p in &[1e-9, 0.001, 0.25, 0.5, 0.9, 1.0 - 1e-9] {
            // Beta(a, 1)'s quantile is p^(1/a); the arcsine's is sin²(πp/2).
            let x = inc_beta_inv(p, 3.0, 1.0, ln_beta(3.0, 1.0));
            assert!((x - p.powf(1.0 / 3.0)).abs() <= 1e-15, "p={p}");
            let x = inc_beta_inv(p, 0.5, 0.5, ln_beta(0.5, 0.5));
            let want = (p * std::f64::consts::FRAC_PI_2).sin().powi(2);
            assert!((x - want).abs() <= 1e-15, "p={p}: {x} vs {want}");
        }
        // The median of a symmetric beta is 1/2 (the density there is above 1, so the
        // error in x is below the error in I).
        for &a in &[0.5, 2.0, 42.5, 200.0] {
            let x = inc_beta_inv(0.5, a, a, ln_beta(a, a));
            assert!((x - 0.5).abs() <= tolerance(a, a), "a={a}: {x}");
        }
        assert_eq!(inc_beta_inv(0.0, 2.0, 3.0, ln_beta(2.0, 3.0)), 0.0);
        assert_eq!(inc_beta_inv(1.0, 2.0, 3.0, ln_beta(2.0, 3.0)), 1.0);
    }
}
