//! The regularized incomplete beta function `I_x(a, b)` and its inverse: the CDF and the
//! quantile function of a beta input (and so of a PERT input).
//!
//! `I_x(a, b)` is evaluated by its continued fraction (Numerical Recipes, 3rd ed., section
//! 6.4) on whichever side of the mean it converges fast (`I_x(a, b) = 1 - I_{1-x}(b, a)`).
//! The side computed directly keeps its full relative precision, so both tails are accurate:
//! [`inc_beta_pair`] returns `I` and `1 - I`, each either computed directly or as the
//! complement of a value of 0.3 or more.
//!
//! The inverse solves `I_x(a, b) = p` by Halley's method in logarithms from the starting
//! point of Numerical Recipes' `invbetai` (Abramowitz and Stegun 26.5.22 when both shapes
//! are 1 or more, the leading terms of the series at 0 and 1 otherwise), kept inside a
//! bracket that shrinks with every step, so it can neither diverge nor leave [0, 1].
//!
//! Precision is limited by `ln B(a, b)`, a difference of log-gammas each good to about one
//! unit in its last place: about 1e-15 relative for shapes near 1, 1e-13 near 200, 1e-11
//! near 2,500 (a beta of mean 0.5 and sd 0.01) and 1e-9 near a million.

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

/// The continued fraction of `I_x(a, b)` (NR 6.4.5), returned as `T` with
/// `I_x(a, b) = x^a (1 - x)^b / (a B(a, b) T)`; converges fast for `x < (a + 1) / (a + b + 2)`,
/// in O(sqrt(max(a, b))) terms (5 to 35 for shapes from 0.5 to 200).
///
/// The fraction `1 + d1/(1 + d2/(1 + ...))` is scaled term by term by `a + k` (an equivalence
/// transformation) into `1 + α1/(β1 + α2/(β2 + ...))` with `β_k = a + k`, `α1 = -(a + b) x`,
/// `α_2m = m (b - m) x`, `α_2m+1 = -(a + m)(a + b + m) x`, and evaluated by the forward
/// recurrences of its convergents `A_k / B_k` (Wallis): no division per term, a few times
/// faster than the modified Lentz method's two per term. The convergents are rescaled before
/// they can overflow.
fn continued_fraction(x: f64, a: f64, b: f64) -> f64 {
    const EPS: f64 = f64::EPSILON;
    const BIG: f64 = 1e150;
    let ab = a + b;
    // (A_{k-1}, B_{k-1}) and (A_k, B_k), from k = 1: A_0 = B_0 = A_{-1} = 1, B_{-1} = 0.
    let (mut ap, mut bp) = (1.0, 1.0);
    let (mut ac, mut bc) = (a + 1.0 - ab * x, a + 1.0);
    for m in 1..=10_000 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        // Even term k = 2m.
        let (alpha, beta) = (m * (b - m) * x, a + m2);
        let (an, bn) = (beta * ac + alpha * ap, beta * bc + alpha * bp);
        (ap, bp, ac, bc) = (ac, bc, an, bn);
        // Odd term k = 2m + 1.
        let (alpha, beta) = (-(a + m) * (ab + m) * x, a + m2 + 1.0);
        let (an, bn) = (beta * ac + alpha * ap, beta * bc + alpha * bp);
        (ap, bp, ac, bc) = (ac, bc, an, bn);
        // Converged when two successive convergents agree: A_k B_{k-1} = A_{k-1} B_k.
        let (cross, prev) = (ac * bp, ap * bc);
        if (cross - prev).abs() <= EPS * cross.abs() {
            return ac / bc;
        }
        if bc.abs() > BIG {
            let s = 1.0 / bc;
            (ap, bp, ac, bc) = (ap * s, bp * s, ac * s, 1.0);
        }
    }
    ac / bc
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
    let (i, c, _) = inc_beta_at(x, 1.0 - x, lx, ly, a, b, ln_b);
    (i, c)
}

/// `(I, 1 - I, x^a (1 - x)^b / B(a, b))` at x in (0, 1), given `y = 1 - x`, `ln x` and
/// `ln y` (the caller may know them more precisely than x alone tells); the last, divided by
/// `x y`, is the density at x.
fn inc_beta_at(x: f64, y: f64, lx: f64, ly: f64, a: f64, b: f64, ln_b: f64) -> (f64, f64, f64) {
    let front = (a * lx + b * ly - ln_b).exp();
    if x < (a + 1.0) / (a + b + 2.0) {
        let i = front / (a * continued_fraction(x, a, b));
        (i, 1.0 - i, front)
    } else {
        let c = front / (b * continued_fraction(y, b, a));
        (1.0 - c, c, front)
    }
}

/// The regularized incomplete beta function `I_x(a, b)`: the CDF at x of a Beta(a, b) on
/// [0, 1] (0 below 0, 1 above 1). `ln_b` = [`ln_beta`]`(a, b)`.
pub fn inc_beta(x: f64, a: f64, b: f64, ln_b: f64) -> f64 {
    inc_beta_pair(x, a, b, ln_b).0
}

/// The logarithm of a starting point for the inverse at a level p <= 1/2 (Numerical
/// Recipes 3rd ed., `invbetai`, with the exact `B(a, b)` in the tail terms); NaN or 0 when
/// it has none to offer.
fn initial_guess_ln(p: f64, a: f64, b: f64, ln_b: f64) -> f64 {
    if a >= 1.0 && b >= 1.0 {
        // Abramowitz and Stegun 26.5.22, from the upper-tail normal deviate of p:
        // x = a / (a + b e^(2w)).
        let z = -super::special::normal_quantile(p);
        let al = (z * z - 3.0) / 6.0;
        let (ra, rb) = (1.0 / (2.0 * a - 1.0), 1.0 / (2.0 * b - 1.0));
        let h = 2.0 / (ra + rb);
        let w = z * (al + h).sqrt() / h - (rb - ra) * (al + 5.0 / 6.0 - 2.0 / (3.0 * h));
        -(b / a * (2.0 * w).exp()).ln_1p()
    } else {
        // I_x ≈ x^a / (a B) near 0 and 1 - I_x ≈ (1 - x)^b / (b B) near 1; split where the
        // two approximations' masses meet (NR's weights t and u).
        let t = (a * (a / (a + b)).ln()).exp() / a;
        let u = (b * (b / (a + b)).ln()).exp() / b;
        if p < t / (t + u) {
            ((p * a).ln() + ln_b) / a
        } else {
            (-((((1.0 - p) * b).ln() + ln_b) / b).exp()).ln_1p()
        }
    }
}

/// The inverse of `I_x(a, b)` in x: the quantile at level p of Beta(a, b) on [0, 1] (0 for
/// p <= 0, 1 for p >= 1). `ln_b` = [`ln_beta`]`(a, b)`.
///
/// Levels above 1/2 are solved as `I_{1-x}(b, a) = 1 - p`, so each tail is found from its
/// own probability, which carries full relative precision; and the solver returns both x
/// and 1 - x to full relative precision, so x is as precise near 0 whichever side found it.
///
/// Cost: 2.3 evaluations of `I_x(a, b)` on average over shapes from 0.5 to 200 and uniform
/// levels (2 to 3 for PERT shapes, 1 to 2 for large equal shapes; never more than 4 on the
/// grid of the tests, which reaches levels of 1e-9 and 1 - 1e-9), each a continued fraction
/// of 5 to 35 terms and four `exp`/`ln` calls. Measured: about 0.5 µs of CPU time per call,
/// some twenty normal quantiles, or six to eight draws of `rand_distr`'s beta sampler.
///
/// Accuracy: `|I(Q(p)) - p|` about 1e-15 relative to the nearer tail's probability for
/// moderate shapes, about 1e-13 for shapes near 200 (see the module's note on ln B). Where
/// the density is infinite at 1 (b < 1), consecutive doubles just below 1 can be farther
/// apart in level than that (1e-7 apart for Beta(200, 0.5) at 1 - 1e-9): the result is then
/// within one unit in the last place of the exact quantile.
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
    if p <= 0.5 {
        lower_inverse(p, a, b, ln_b).0
    } else {
        // 1 - p is exact for p >= 1/2, and B(b, a) = B(a, b).
        lower_inverse(1.0 - p, b, a, ln_b).1
    }
}

/// Halley steps stop once they change x and 1 - x by less than this fraction: the error left
/// after such a step is about its cube.
const STEP_TOL: f64 = 1e-6;

/// Solves `I_t(a, b) = p` for p in (0, 1/2]; returns `(t, 1 - t)`, each to full relative
/// precision.
///
/// Halley's method on `ln I` as a function of `s = ln t`, which is close to a straight line
/// of slope `a` in the lower tail (`I ≈ t^a / (a B)`), so a tail far from the starting point
/// is reached in a step or two. `t = e^s` and `1 - t = -expm1(s)` both follow from s
/// without cancellation. Every evaluation narrows a bracket of the root; a step that would
/// leave it bisects it instead (in t geometrically, towards 0 or 1, while the bracket still
/// reaches either).
fn lower_inverse(p: f64, a: f64, b: f64, ln_b: f64) -> (f64, f64) {
    let ln_p = p.ln();
    let (mut lo, mut hi) = (f64::NEG_INFINITY, 0.0_f64);
    let mut s = initial_guess_ln(p, a, b, ln_b);
    if !(s > lo && s < hi) {
        s = -std::f64::consts::LN_2;
    }
    // t and 1 - t from s: the smaller directly, the other as its complement (exact, or
    // within a rounding of itself, since it is above 1/2).
    let both = |s: f64| {
        if s < -std::f64::consts::LN_2 {
            let t = s.exp();
            (t, 1.0 - t)
        } else {
            let t1 = -s.exp_m1();
            (1.0 - t1, t1)
        }
    };
    for _ in 0..100 {
        let (t, t1) = both(s);
        let ln_t1 = if t < 0.5 { (-t).ln_1p() } else { t1.ln() };
        let (i, _, front) = inc_beta_at(t, t1, s, ln_t1, a, b, ln_b);
        if i == p {
            break;
        }
        if i < p {
            lo = s;
        } else {
            hi = s;
        }
        // h(s) = ln I - ln p: h' = t pdf / I = front / ((1 - t) I), and
        // h'' = h' (a - (b - 1) t / (1 - t) - h').
        let h = i.ln() - ln_p;
        let d1 = front / (t1 * i);
        let d2 = d1 * (a - (b - 1.0) * t / t1 - d1);
        let newton = h / d1;
        let step = newton / (1.0 - (0.5 * newton * d2 / d1).clamp(-0.5, 0.5));
        let next = s - step;
        let inside = next > lo && next < hi;
        // A change of s by ds changes t by the fraction ds, and 1 - t by ds t / (1 - t).
        if step.abs() <= STEP_TOL * (t1 / t).min(1.0) {
            if inside {
                s = next;
            }
            break;
        }
        s = if inside {
            next
        } else if lo == f64::NEG_INFINITY {
            hi - 16f64.ln()
        } else if hi == 0.0 {
            (lo.exp_m1() / 16.0).ln_1p()
        } else {
            0.5 * (lo + hi)
        };
        if !(s > lo && s < hi) {
            // The bracket holds two neighbouring doubles.
            break;
        }
    }
    both(s)
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
            assert!(
                (i(x, 3.5, 1.0) - x.powf(3.5)).abs() <= 1e-13 * x.powf(3.5),
                "x={x}"
            );
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
                assert!(
                    (upper - want).abs() <= 1e-14 * want,
                    "x={x}: {upper} vs {want}"
                );
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
