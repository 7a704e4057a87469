//! Quantile functions and CDFs of every compiled distribution: `Q(u)` inverts `F`, never
//! decreases, agrees with `sample` on the same uniform, stays inside truncation bounds, and
//! gives the distribution it claims (a Kolmogorov-Smirnov test of `Q(u)` for uniform `u`).
//!
//! The beta's incomplete beta function and its inverse are checked against values computed
//! independently to 50 digits with mpmath 1.3.0 (`betainc(a, b, 0, x, regularized=True)`,
//! and for the quantile 400 bisections of it, each from the exact doubles written here,
//! rounded to the nearest double),
//! and against statrs over a grid of shapes from 0.5 to 200 and levels from 1e-9 to 1 - 1e-9.

use rand::distr::Open01;
use rand::{RngExt, SeedableRng};
use statrs::distribution::{Beta, ContinuousCDF, LogNormal, Normal, Triangular};
use worthit::dist::fit;
use worthit::dist::ibeta::{inc_beta_inv, inc_beta_pair, ln_beta};
use worthit::dist::{Bounds, Dist};
use worthit::model::rng::Gen;

/// (a, b, x, I_x(a, b), 1 - I_x(a, b)) from mpmath at 50 digits.
const IBETA: &[(f64, f64, f64, f64, f64)] = &[
    (0.5, 0.5, 1e-06, 0.0006366198784709244, 0.999363380121529),
    (0.5, 0.5, 0.01, 0.06376856085851985, 0.9362314391414801),
    (0.5, 0.5, 0.1, 0.20483276469913345, 0.7951672353008665),
    (0.5, 0.5, 0.5, 0.5, 0.5),
    (0.5, 0.5, 0.85, 0.746816688893365, 0.253183311106635),
    (0.5, 0.5, 0.99, 0.9362314391414801, 0.06376856085851988),
    (
        0.5,
        0.5,
        0.999999,
        0.9993633801215199,
        0.0006366198784800777,
    ),
    (1.2, 4.8, 1e-06, 3.852421488975794e-07, 0.9999996147578512),
    (1.2, 4.8, 0.01, 0.02380819217045047, 0.9761918078295495),
    (1.2, 4.8, 0.1, 0.31273254115811183, 0.6872674588418882),
    (1.2, 4.8, 0.5, 0.9508136622797878, 0.04918633772021222),
    (1.2, 4.8, 0.85, 0.9998350399205647, 0.00016496007943533344),
    (1.2, 4.8, 0.99, 0.9999999996172169, 3.8278314669857e-10),
    (1.2, 4.8, 0.999999, 1.0, 2.4192159309361712e-29),
    (4.8, 1.2, 1e-06, 2.4192159306022533e-29, 1.0),
    (4.8, 1.2, 0.01, 3.827831466985684e-10, 0.9999999996172169),
    (4.8, 1.2, 0.1, 2.3777317639435516e-05, 0.9999762226823605),
    (4.8, 1.2, 0.5, 0.04918633772021222, 0.9508136622797878),
    (4.8, 1.2, 0.85, 0.5419140669823205, 0.45808593301767947),
    (4.8, 1.2, 0.99, 0.9761918078295495, 0.023808192170450493),
    (
        4.8,
        1.2,
        0.999999,
        0.999999614757851,
        3.8524214891087285e-07,
    ),
    (2.0, 3.0, 1e-06, 5.999992000003e-12, 0.999999999994),
    (2.0, 3.0, 0.01, 0.00059203, 0.99940797),
    (2.0, 3.0, 0.1, 0.052300000000000006, 0.9477),
    (2.0, 3.0, 0.5, 0.6875, 0.3125),
    (2.0, 3.0, 0.85, 0.98801875, 0.011981250000000006),
    (2.0, 3.0, 0.99, 0.99999603, 3.97000000000001e-06),
    (2.0, 3.0, 0.999999, 1.0, 3.9999970003450675e-18),
    (19.2, 4.8, 1e-06, 4.1456743552428033e-112, 1.0),
    (19.2, 4.8, 0.01, 2.522528326929134e-35, 1.0),
    (19.2, 4.8, 0.1, 2.836834698700802e-16, 0.9999999999999997),
    (19.2, 4.8, 0.5, 0.0009517005906051328, 0.9990482994093949),
    (19.2, 4.8, 0.85, 0.7079634199664021, 0.2920365800335979),
    (19.2, 4.8, 0.99, 0.9999943230223343, 5.676977665725723e-06),
    (19.2, 4.8, 0.999999, 1.0, 4.165337571355976e-25),
    (42.5, 7.5, 1e-06, 3.5385008958471895e-248, 1.0),
    (42.5, 7.5, 0.01, 3.3197597671585627e-78, 1.0),
    (42.5, 7.5, 0.1, 5.7365153061077656e-36, 1.0),
    (42.5, 7.5, 0.5, 7.353397619611222e-08, 0.9999999264660238),
    (42.5, 7.5, 0.85, 0.4630171168812536, 0.5369828831187464),
    (42.5, 7.5, 0.99, 0.9999998610593085, 1.3894069149490482e-07),
    (42.5, 7.5, 0.999999, 1.0, 2.0050898189543636e-37),
    (200.0, 200.0, 1e-06, 0.0, 1.0),
    (200.0, 200.0, 0.01, 7.036800068501381e-283, 1.0),
    (200.0, 200.0, 0.1, 4.5332869859638815e-91, 1.0),
    (200.0, 200.0, 0.5, 0.5, 0.5),
    (200.0, 200.0, 0.85, 1.0, 0.0),
    (200.0, 200.0, 0.99, 1.0, 0.0),
    (200.0, 200.0, 0.999999, 1.0, 0.0),
    (0.5, 200.0, 1e-06, 0.01594666298287266, 0.9840533370171274),
    (0.5, 200.0, 0.01, 0.9549058928629203, 0.04509410713707978),
    (0.5, 200.0, 0.1, 0.9999999999129222, 8.707774398967445e-11),
    (0.5, 200.0, 0.5, 1.0, 0.0),
    (0.5, 200.0, 0.85, 1.0, 0.0),
    (0.5, 200.0, 0.99, 1.0, -2.6015933424032035e-54),
    (0.5, 200.0, 0.999999, 1.0, 0.0),
    (200.0, 0.5, 1e-06, 0.0, 1.0),
    (200.0, 0.5, 0.01, 0.0, 1.0),
    (200.0, 0.5, 0.1, 4.201432808808452e-202, 1.0),
    (200.0, 0.5, 0.5, 3.500102489320581e-62, 1.0),
    (200.0, 0.5, 0.85, 7.770648373636965e-16, 0.9999999999999992),
    (200.0, 0.5, 0.99, 0.04509410713707969, 0.9549058928629203),
    (
        200.0,
        0.5,
        0.999999,
        0.9840533370168981,
        0.01594666298310191,
    ),
];

/// (a, b, u, Q(u), 1 - Q(u)) from mpmath at 50 digits.
const QUANTILES: &[(f64, f64, f64, f64, f64)] = &[
    (0.5, 0.5, 1e-09, 2.46740110027234e-18, 1.0),
    (0.5, 0.5, 0.01, 0.0002467198171342215, 0.9997532801828658),
    (0.5, 0.5, 0.5, 0.5, 0.5),
    (0.5, 0.5, 0.9, 0.9755282581475768, 0.024471741852423203),
    (0.5, 0.5, 0.999999999, 1.0, 2.467400960706604e-18),
    (1.2, 4.8, 1e-09, 7.001983631521648e-09, 0.9999999929980163),
    (1.2, 4.8, 0.01, 0.004810210102880415, 0.9951897898971196),
    (1.2, 4.8, 0.5, 0.1659027019101802, 0.8340972980898198),
    (1.2, 4.8, 0.9, 0.41723746179086546, 0.5827625382091346),
    (
        1.2,
        4.8,
        0.999999999,
        0.9877843009100904,
        0.012215699089909552,
    ),
    (4.8, 1.2, 1e-09, 0.012215699161915944, 0.9877843008380841),
    (4.8, 1.2, 0.01, 0.3559754108630194, 0.6440245891369806),
    (4.8, 1.2, 0.5, 0.8340972980898198, 0.1659027019101802),
    (4.8, 1.2, 0.9, 0.9654990952140468, 0.03450090478595325),
    (
        4.8,
        1.2,
        0.999999999,
        0.9999999929980166,
        7.001983466496961e-09,
    ),
    (2.0, 3.0, 1e-09, 1.2910055600322022e-05, 0.9999870899443997),
    (2.0, 3.0, 0.01, 0.04199863562170071, 0.9580013643782993),
    (2.0, 3.0, 0.5, 0.38572756813238956, 0.6142724318676105),
    (2.0, 3.0, 0.9, 0.6795394162781817, 0.3204605837218183),
    (
        2.0,
        3.0,
        0.999999999,
        0.9993699402215238,
        0.0006300597784762082,
    ),
    (19.2, 4.8, 1e-09, 0.22549035731015923, 0.7745096426898408),
    (19.2, 4.8, 0.01, 0.5834933746893864, 0.41650662531061355),
    (19.2, 4.8, 0.5, 0.808415291986968, 0.19158470801303196),
    (19.2, 4.8, 0.9, 0.8967765741200802, 0.10322342587991988),
    (
        19.2,
        4.8,
        0.999999999,
        0.998391463369716,
        0.001608536630284021,
    ),
    (42.5, 7.5, 1e-09, 0.4451055509135094, 0.5548944490864905),
    (42.5, 7.5, 0.01, 0.7151818580116834, 0.2848181419883166),
    (42.5, 7.5, 0.5, 0.8546803556137866, 0.1453196443862133),
    (42.5, 7.5, 0.9, 0.9106815139901612, 0.08931848600983883),
    (
        42.5,
        7.5,
        0.999999999,
        0.9949443532495033,
        0.005055646750496743,
    ),
    (200.0, 200.0, 1e-09, 0.3532768499311597, 0.6467231500688403),
    (200.0, 200.0, 0.01, 0.44200151538664956, 0.5579984846133504),
    (200.0, 200.0, 0.5, 0.5, 0.5),
    (200.0, 200.0, 0.9, 0.5320258919444133, 0.46797410805558676),
    (
        200.0,
        200.0,
        0.999999999,
        0.6467231501762364,
        0.3532768498237636,
    ),
    (0.5, 200.0, 1e-09, 3.931902619629142e-21, 1.0),
    (0.5, 200.0, 0.01, 3.9321077343483194e-07, 0.9999996067892266),
    (0.5, 200.0, 0.5, 0.0011381153412188818, 0.9988618846587811),
    (0.5, 200.0, 0.9, 0.006749433514870119, 0.9932505664851299),
    (
        0.5,
        200.0,
        0.999999999,
        0.08919643946425737,
        0.9108035605357426,
    ),
    (200.0, 0.5, 1e-09, 0.9108035606614888, 0.08919643933851114),
    (200.0, 0.5, 0.01, 0.9835291921131988, 0.016470807886801185),
    (200.0, 0.5, 0.5, 0.9988618846587811, 0.0011381153412188818),
    (200.0, 0.5, 0.9, 0.999960474469112, 3.9525530888038586e-05),
    (200.0, 0.5, 0.999999999, 1.0, 3.931902397225544e-21),
];

/// Shapes from 0.5 to 200: the PERT shapes of a mode at a fifth of the range (1.2, 4.8), the
/// scenario betas of mean 0.85 sd 0.05 (42.5, 7.5) and mean 0.8 sd 0.08 (19.2, 4.8).
const SHAPES: [f64; 12] = [
    0.5, 0.8, 1.0, 1.2, 2.0, 3.0, 4.8, 7.5, 19.2, 42.5, 100.0, 200.0,
];

/// Levels from 1e-9 to 1 - 1e-9: both tails by decades and halves of decades, the body by
/// hundredths.
fn levels() -> Vec<f64> {
    let mut tails = vec![];
    for k in 1..=7 {
        let t = 10f64.powi(-(10 - k));
        tails.extend([t, 3.0 * t]);
    }
    let mut v: Vec<f64> = (1..100).map(|k| f64::from(k) / 100.0).collect();
    v.extend(&tails);
    v.extend(tails.iter().map(|t| 1.0 - t));
    v.sort_by(f64::total_cmp);
    v
}

fn close(got: f64, want: f64, rel: f64, abs: f64) -> bool {
    (got - want).abs() <= rel * want.abs() + abs
}

#[test]
fn incomplete_beta_matches_independent_values() {
    for &(a, b, x, i, c) in IBETA {
        let (gi, gc) = inc_beta_pair(x, a, b, ln_beta(a, b));
        // Each side to 1e-12 of itself (the side computed directly keeps that precision far
        // into its tail), or to 1e-15 where it is the complement of the other.
        assert!(
            close(gi, i, 1e-12, 1e-15) && close(gc, c, 1e-12, 1e-15),
            "I_{x}({a}, {b}) = ({gi:e}, {gc:e}), want ({i:e}, {c:e})"
        );
    }
}

#[test]
fn beta_quantile_matches_independent_values() {
    for &(a, b, u, q, one_minus_q) in QUANTILES {
        let x = inc_beta_inv(u, a, b, ln_beta(a, b));
        // The tail nearer the level to 1e-12 of itself; the other end, 1 - x, to one unit in
        // the last place of doubles near 1.
        let ok = if u <= 0.5 {
            close(x, q, 1e-12, 0.0)
        } else {
            close(1.0 - x, one_minus_q, 1e-12, f64::EPSILON / 2.0)
        };
        assert!(
            ok,
            "Q({u}; {a}, {b}) = {x:e}, want {q:e} (1 - Q = {one_minus_q:e})"
        );
    }
}

/// `I(x) - u` on the side of the nearer tail, where it has relative precision.
fn level_error(x: f64, u: f64, a: f64, b: f64, ln_b: f64) -> f64 {
    let (i, c) = inc_beta_pair(x, a, b, ln_b);
    if u <= 0.5 { i - u } else { (1.0 - u) - c }
}

#[test]
fn beta_quantile_inverts_the_incomplete_beta_over_a_grid() {
    let us = levels();
    let mut worst: f64 = 0.0;
    for &a in &SHAPES {
        for &b in &SHAPES {
            let ln_b = ln_beta(a, b);
            let reference = Beta::new(a, b).unwrap();
            for &u in &us {
                let x = inc_beta_inv(u, a, b, ln_b);
                let e = level_error(x, u, a, b, ln_b);
                // |I(Q(u)) - u| <= 1e-12, or, where the doubles near x are too far apart in
                // level for that (a density infinite at 1, b < 1), x within one unit in the
                // last place of the exact quantile: the level changes sign across it.
                let within_one_ulp = level_error(x.next_down(), u, a, b, ln_b) <= 0.0
                    && level_error(x.next_up(), u, a, b, ln_b) >= 0.0;
                assert!(
                    e.abs() <= 1e-12 || within_one_ulp,
                    "a={a} b={b} u={u:e}: x={x:e}, I(x) - u = {e:e}"
                );
                if !within_one_ulp || e.abs() <= 1e-12 {
                    worst = worst.max(e.abs());
                }
                // statrs solves the same equation by a different method (AS 109).
                let s = reference.inverse_cdf(u);
                assert!(
                    (x - s).abs() <= 1e-9,
                    "a={a} b={b} u={u:e}: {x:e} vs statrs {s:e}"
                );
            }
        }
    }
    // Not vacuous: the grid reached the tails at full precision somewhere.
    assert!(worst > 0.0 && worst <= 1e-12, "{worst:e}");
}

#[test]
fn incomplete_beta_matches_statrs_over_a_grid() {
    for &a in &SHAPES {
        for &b in &SHAPES {
            let ln_b = ln_beta(a, b);
            let reference = Beta::new(a, b).unwrap();
            for k in 1..1000 {
                let x = f64::from(k) / 1000.0;
                let (i, _) = inc_beta_pair(x, a, b, ln_b);
                let s = reference.cdf(x);
                assert!(
                    (i - s).abs() <= 1e-9,
                    "I_{x}({a}, {b}) = {i:e} vs statrs {s:e}"
                );
            }
        }
    }
}

#[test]
fn beta_quantile_never_decreases() {
    for &a in &SHAPES {
        for &b in &SHAPES {
            let ln_b = ln_beta(a, b);
            let mut prev = 0.0;
            // A fine grid, and a finer one across 1/2, where the solver changes sides (steps
            // of 1e-12: a computed I is monotone only down to its rounding, 1e-15 or so).
            let fine = (1..10_000).map(|k| f64::from(k) / 10_000.0);
            let across = (-50..=50).map(|k| 0.5 + f64::from(k) * 1e-12);
            let mut us: Vec<f64> = fine.chain(across).collect();
            us.sort_by(f64::total_cmp);
            for u in us {
                let x = inc_beta_inv(u, a, b, ln_b);
                assert!(x >= prev, "a={a} b={b}: Q({u}) = {x} below {prev}");
                prev = x;
            }
        }
    }
}

/// Every variant, written the way scenarios write them.
fn every_variant() -> Vec<(&'static str, Dist)> {
    let both = |min, max| Bounds {
        min: Some(min),
        max: Some(max),
    };
    let (a85, b85) = fit::beta_from_moments(0.85, 0.05).unwrap();
    vec![
        ("fixed", Dist::fixed(3.5, Bounds::default()).unwrap()),
        ("uniform", Dist::uniform(-2.0, 6.0).unwrap()),
        (
            "normal",
            Dist::normal(0.03, 0.02, Bounds::default()).unwrap(),
        ),
        (
            "lognormal",
            Dist::lognormal(11.2, 0.25, Bounds::default()).unwrap(),
        ),
        (
            "normal on [8, 16]",
            Dist::normal(10.0, 3.0, both(8.0, 16.0)).unwrap(),
        ),
        (
            "normal on [mean + 4 sd, mean + 6 sd]",
            Dist::normal(100.0, 10.0, both(140.0, 160.0)).unwrap(),
        ),
        (
            "lognormal on [60k, 100k]",
            Dist::lognormal(72_000f64.ln(), 0.2, both(60_000.0, 100_000.0)).unwrap(),
        ),
        (
            "lognormal above 100k",
            Dist::lognormal(
                72_000f64.ln(),
                0.2,
                Bounds {
                    min: Some(100_000.0),
                    max: None,
                },
            )
            .unwrap(),
        ),
        ("triangular", Dist::triangular(1.0, 2.0, 5.0).unwrap()),
        (
            "triangular, mode at min",
            Dist::triangular(1.0, 1.0, 5.0).unwrap(),
        ),
        ("pert", Dist::pert(0.0, 2.0, 10.0).unwrap()),
        (
            "beta mean 0.85 sd 0.05",
            Dist::beta(a85, b85, 0.0, 1.0).unwrap(),
        ),
        (
            "beta(0.5, 0.5) on [10, 20]",
            Dist::beta(0.5, 0.5, 10.0, 20.0).unwrap(),
        ),
        (
            "choice",
            Dist::choice(
                &[30.0, 10.0, 15.0, 20.0],
                Some(&[1.0, 2.0, 0.0, 1.0]),
                Bounds::default(),
            )
            .unwrap(),
        ),
        (
            "empirical",
            Dist::empirical(&[7.0, 3.0, 5.0, 1.0, 3.0], Bounds::default()).unwrap(),
        ),
    ]
}

fn is_discrete(d: &Dist) -> bool {
    matches!(
        d,
        Dist::Choice { .. } | Dist::Empirical { .. } | Dist::Fixed(_)
    )
}

#[test]
fn quantile_never_decreases_and_stays_in_the_support() {
    for (name, d) in every_variant() {
        let (lo, hi) = d.support();
        let mut prev = f64::NEG_INFINITY;
        for k in 1..10_000 {
            let u = f64::from(k) / 10_000.0;
            let x = d.quantile(u);
            assert!(x >= prev, "{name}: Q({u}) = {x} below {prev}");
            assert!(
                (lo..=hi).contains(&x),
                "{name}: Q({u}) = {x} outside [{lo}, {hi}]"
            );
            prev = x;
        }
        // The ends of the level range give the ends of the support.
        assert_eq!(d.quantile(0.0), lo, "{name}");
        assert_eq!(d.quantile(1.0), hi, "{name}");
    }
}

#[test]
fn quantile_inverts_the_cdf() {
    for (name, d) in every_variant() {
        if is_discrete(&d) {
            continue;
        }
        let (lo, hi) = d.support();
        let (lo, hi) = (d.quantile(1e-6).max(lo), d.quantile(1.0 - 1e-6).min(hi));
        for k in 0..=20 {
            let x = lo + (hi - lo) * f64::from(k) / 20.0;
            let back = d.quantile(d.cdf(x));
            assert!(
                (back - x).abs() <= 1e-9 * (hi - lo),
                "{name}: Q(F({x})) = {back}"
            );
        }
        // And F(Q(u)) = u.
        for &u in &[1e-6, 0.01, 0.2, 0.5, 0.8, 0.99, 1.0 - 1e-6] {
            let back = d.cdf(d.quantile(u));
            assert!((back - u).abs() <= 1e-9, "{name}: F(Q({u})) = {back}");
        }
    }
}

#[test]
fn discrete_quantiles_at_their_steps() {
    // Written out of order, with a value of weight 0: sorted, 10 has 1/2, 20 and 30 a quarter.
    let d = Dist::choice(
        &[30.0, 10.0, 15.0, 20.0],
        Some(&[1.0, 2.0, 0.0, 1.0]),
        Bounds::default(),
    )
    .unwrap();
    let below = |u: f64| u.next_down();
    assert_eq!(d.quantile(1e-12), 10.0);
    assert_eq!(d.quantile(below(0.5)), 10.0);
    assert_eq!(
        d.quantile(0.5),
        20.0,
        "the first value whose cumulative weight exceeds u"
    );
    assert_eq!(d.quantile(below(0.75)), 20.0);
    assert_eq!(d.quantile(0.75), 30.0);
    assert_eq!(d.quantile(1.0 - 1e-12), 30.0);
    assert_eq!(
        (
            d.cdf(9.9),
            d.cdf(10.0),
            d.cdf(15.0),
            d.cdf(20.0),
            d.cdf(29.9),
            d.cdf(30.0)
        ),
        (0.0, 0.5, 0.5, 0.75, 0.75, 1.0)
    );
    // Every value is the quantile of P(X < value): the step below it.
    for &v in &[10.0_f64, 20.0, 30.0] {
        assert_eq!(d.quantile(d.cdf(v.next_down())), v);
    }

    // Data out of order, one value twice: sorted 1, 3, 3, 5, 7, each a fifth.
    let d = Dist::empirical(&[7.0, 3.0, 5.0, 1.0, 3.0], Bounds::default()).unwrap();
    assert_eq!(d.quantile(1e-12), 1.0);
    assert_eq!(d.quantile(below(0.2)), 1.0);
    assert_eq!(d.quantile(0.2), 3.0, "values[floor(u n)]");
    assert_eq!(d.quantile(below(0.6)), 3.0);
    assert_eq!(d.quantile(0.6), 5.0);
    assert_eq!(d.quantile(0.8), 7.0);
    assert_eq!(d.quantile(1.0 - 1e-12), 7.0);
    assert_eq!(
        (d.cdf(0.5), d.cdf(1.0), d.cdf(3.0), d.cdf(6.0), d.cdf(7.0)),
        (0.0, 0.2, 0.6, 0.8, 1.0)
    );
    for &v in &[1.0_f64, 3.0, 5.0, 7.0] {
        assert_eq!(d.quantile(d.cdf(v.next_down())), v);
    }

    // A fixed value is its own quantile; its CDF steps at it.
    let d = Dist::fixed(3.5, Bounds::default()).unwrap();
    assert_eq!((d.quantile(0.3), d.cdf(3.4), d.cdf(3.5)), (3.5, 0.0, 1.0));
}

#[test]
fn continuous_quantiles_match_statrs() {
    let us = [
        1e-9,
        1e-4,
        0.025,
        0.3,
        0.5,
        0.7,
        0.975,
        1.0 - 1e-4,
        1.0 - 1e-9,
    ];
    let check = |name: &str, d: &Dist, reference: &dyn Fn(f64) -> f64, rel: f64| {
        for &u in &us {
            let (x, r) = (d.quantile(u), reference(u));
            assert!(close(x, r, rel, 0.0), "{name}: Q({u}) = {x} vs {r}");
        }
    };
    let n = Normal::new(0.03, 0.02).unwrap();
    check(
        "normal",
        &Dist::normal(0.03, 0.02, Bounds::default()).unwrap(),
        &|u| n.inverse_cdf(u),
        1e-9,
    );
    let ln = LogNormal::new(11.2, 0.25).unwrap();
    check(
        "lognormal",
        &Dist::lognormal(11.2, 0.25, Bounds::default()).unwrap(),
        &|u| ln.inverse_cdf(u),
        1e-9,
    );
    let t = Triangular::new(1.0, 5.0, 2.0).unwrap();
    check(
        "triangular",
        &Dist::triangular(1.0, 2.0, 5.0).unwrap(),
        &|u| t.inverse_cdf(u),
        1e-12,
    );
    // PERT on [0, 10] with mode 2 is 10 Beta(1.8, 4.2).
    let b = Beta::new(1.8, 4.2).unwrap();
    check(
        "pert",
        &Dist::pert(0.0, 2.0, 10.0).unwrap(),
        &|u| 10.0 * b.inverse_cdf(u),
        1e-9,
    );
    let (a85, b85) = fit::beta_from_moments(0.85, 0.05).unwrap();
    let b = Beta::new(a85, b85).unwrap();
    check(
        "beta mean 0.85 sd 0.05",
        &Dist::beta(a85, b85, 0.0, 1.0).unwrap(),
        &|u| b.inverse_cdf(u),
        1e-9,
    );
    let (a8, b8) = fit::beta_from_moments(0.8, 0.08).unwrap();
    let b = Beta::new(a8, b8).unwrap();
    check(
        "beta mean 0.8 sd 0.08 on [100, 200]",
        &Dist::beta(a8, b8, 100.0, 200.0).unwrap(),
        &|u| 100.0 + 100.0 * b.inverse_cdf(u),
        1e-9,
    );
}

/// A reference quantile function.
type Reference = Box<dyn Fn(f64) -> f64>;

#[test]
fn truncated_quantiles_are_statrs_quantiles_rescaled_to_the_range() {
    let us = [
        1e-9,
        1e-4,
        0.025,
        0.3,
        0.5,
        0.7,
        0.975,
        1.0 - 1e-4,
        1.0 - 1e-9,
    ];
    // Below or around the mean: F⁻¹(F(lo) + u (F(hi) - F(lo))).
    let cases: [(&str, Dist, Reference); 3] = [
        (
            "normal on [8, 16]",
            Dist::normal(
                10.0,
                3.0,
                Bounds {
                    min: Some(8.0),
                    max: Some(16.0),
                },
            )
            .unwrap(),
            {
                let n = Normal::new(10.0, 3.0).unwrap();
                let (fa, fb) = (n.cdf(8.0), n.cdf(16.0));
                Box::new(move |u| n.inverse_cdf(fa + u * (fb - fa)))
            },
        ),
        (
            "lognormal on [60k, 100k]",
            Dist::lognormal(
                72_000f64.ln(),
                0.2,
                Bounds {
                    min: Some(60_000.0),
                    max: Some(100_000.0),
                },
            )
            .unwrap(),
            {
                let n = LogNormal::new(72_000f64.ln(), 0.2).unwrap();
                let (fa, fb) = (n.cdf(60_000.0), n.cdf(100_000.0));
                Box::new(move |u| n.inverse_cdf(fa + u * (fb - fa)))
            },
        ),
        (
            "lognormal below 80k",
            Dist::lognormal(
                72_000f64.ln(),
                0.2,
                Bounds {
                    min: None,
                    max: Some(80_000.0),
                },
            )
            .unwrap(),
            {
                let n = LogNormal::new(72_000f64.ln(), 0.2).unwrap();
                let fb = n.cdf(80_000.0);
                Box::new(move |u| n.inverse_cdf(u * fb))
            },
        ),
    ];
    for (name, d, reference) in &cases {
        let (lo, hi) = d.support();
        for &u in &us {
            let (x, r) = (d.quantile(u), reference(u));
            assert!(
                (lo..=hi).contains(&x),
                "{name}: Q({u}) = {x} outside [{lo}, {hi}]"
            );
            assert!(close(x, r, 1e-9, 0.0), "{name}: Q({u}) = {x} vs {r}");
        }
    }
    // Above the mean, by the survival function S (1 - F would lose the tail):
    // S⁻¹(S(lo) - u (S(lo) - S(hi))), both far above the mean.
    let n = Normal::new(100.0, 10.0).unwrap();
    let d = Dist::normal(
        100.0,
        10.0,
        Bounds {
            min: Some(140.0),
            max: Some(160.0),
        },
    )
    .unwrap();
    let (sa, sb) = (n.sf(140.0), n.sf(160.0));
    let sf_inverse = |s: f64| 100.0 - 10.0 * Normal::standard().inverse_cdf(s);
    for &u in &us {
        let (x, r) = (d.quantile(u), sf_inverse(sa - u * (sa - sb)));
        assert!((140.0..=160.0).contains(&x), "Q({u}) = {x}");
        assert!(close(x, r, 1e-9, 0.0), "Q({u}) = {x} vs {r}");
    }
    let ln = LogNormal::new(72_000f64.ln(), 0.2).unwrap();
    let d = Dist::lognormal(
        72_000f64.ln(),
        0.2,
        Bounds {
            min: Some(100_000.0),
            max: None,
        },
    )
    .unwrap();
    let sa = ln.sf(100_000.0);
    for &u in &us {
        let x = d.quantile(u);
        let r = (72_000f64.ln() - 0.2 * Normal::standard().inverse_cdf(sa * (1.0 - u))).exp();
        assert!(
            x >= 100_000.0 && close(x, r, 1e-9, 0.0),
            "Q({u}) = {x} vs {r}"
        );
    }
}

#[test]
fn quantile_is_the_formula_sample_uses() {
    // Same generator state: sample() draws u as below, and returns Q(u) (mirrored, Q(1 - u),
    // for a truncated normal above its mean, which sample draws through the lower tail).
    let check = |name: &str, d: &Dist, open: bool, mirrored: bool| {
        let mut rng = Gen::seed_from_u64(7);
        for _ in 0..1000 {
            let mut copy = rng.clone();
            let u: f64 = if open {
                copy.sample(Open01)
            } else {
                copy.random()
            };
            let want = d.quantile(if mirrored { 1.0 - u } else { u });
            let got = d.sample(&mut rng);
            assert!(
                close(got, want, 1e-15, 0.0),
                "{name}: sample {got} vs Q(u) {want}"
            );
        }
    };
    let both = |min, max| Bounds {
        min: Some(min),
        max: Some(max),
    };
    check("uniform", &Dist::uniform(-2.0, 6.0).unwrap(), false, false);
    check(
        "triangular",
        &Dist::triangular(1.0, 2.0, 5.0).unwrap(),
        false,
        false,
    );
    check(
        "normal on [8, 16]",
        &Dist::normal(10.0, 3.0, both(8.0, 16.0)).unwrap(),
        true,
        false,
    );
    check(
        "lognormal on [60k, 100k]",
        &Dist::lognormal(72_000f64.ln(), 0.2, both(60_000.0, 100_000.0)).unwrap(),
        true,
        false,
    );
    check(
        "normal on [mean + 4 sd, mean + 6 sd]",
        &Dist::normal(100.0, 10.0, both(140.0, 160.0)).unwrap(),
        true,
        true,
    );
    check(
        "choice in increasing order",
        &Dist::choice(&[1.0, 2.0, 5.0], Some(&[0.2, 0.5, 0.3]), Bounds::default()).unwrap(),
        false,
        false,
    );
}

/// The Kolmogorov-Smirnov statistic of `xs` against `cdf`.
fn ks_statistic(xs: &[f64], cdf: impl Fn(f64) -> f64) -> f64 {
    let mut xs = xs.to_vec();
    xs.sort_by(f64::total_cmp);
    let n = xs.len() as f64;
    xs.iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = cdf(x);
            ((i + 1) as f64 / n - f).max(f - i as f64 / n)
        })
        .fold(0.0, f64::max)
}

/// 20,000 values Q(u), u uniform on (0, 1) from a fixed seed, against the analytic CDF:
/// D above 1.95 / sqrt(n) (alpha = 0.001) fails, and the same values must be far from the
/// CDF shifted by a tenth of the range they span.
fn check_ks(name: &str, d: &Dist, seed: u64, cdf: impl Fn(f64) -> f64) {
    const N: usize = 20_000;
    let mut rng = Gen::seed_from_u64(seed);
    let xs: Vec<f64> = (0..N).map(|_| d.quantile(rng.sample(Open01))).collect();
    let stat = ks_statistic(&xs, &cdf);
    let critical = 1.95 / (N as f64).sqrt();
    assert!(stat <= critical, "{name}: KS D = {stat:.5} > {critical:.5}");
    let (lo, hi) = (d.quantile(0.05), d.quantile(0.95));
    let shifted = ks_statistic(&xs, |x| cdf(x - (hi - lo) / 10.0));
    assert!(
        shifted > 0.05,
        "{name}: KS cannot tell a shift ({shifted:.4})"
    );
}

#[test]
fn quantiles_of_uniform_levels_follow_the_distribution() {
    let (a85, b85) = fit::beta_from_moments(0.85, 0.05).unwrap();
    let b = Beta::new(a85, b85).unwrap();
    check_ks(
        "beta mean 0.85 sd 0.05",
        &Dist::beta(a85, b85, 0.0, 1.0).unwrap(),
        31,
        |x| b.cdf(x.clamp(0.0, 1.0)),
    );
    let (a8, b8) = fit::beta_from_moments(0.8, 0.08).unwrap();
    let b = Beta::new(a8, b8).unwrap();
    check_ks(
        "beta mean 0.8 sd 0.08 on [100, 200]",
        &Dist::beta(a8, b8, 100.0, 200.0).unwrap(),
        32,
        |x| b.cdf(((x - 100.0) / 100.0).clamp(0.0, 1.0)),
    );
    let b = Beta::new(1.8, 4.2).unwrap();
    check_ks(
        "pert on [0, 10]",
        &Dist::pert(0.0, 2.0, 10.0).unwrap(),
        33,
        |x| b.cdf((x / 10.0).clamp(0.0, 1.0)),
    );
    let ln = LogNormal::new(72_000f64.ln(), 0.2).unwrap();
    let (fa, fb) = (ln.cdf(60_000.0), ln.cdf(100_000.0));
    check_ks(
        "lognormal on [60k, 100k]",
        &Dist::lognormal(
            72_000f64.ln(),
            0.2,
            Bounds {
                min: Some(60_000.0),
                max: Some(100_000.0),
            },
        )
        .unwrap(),
        34,
        |x| ((ln.cdf(x.clamp(60_000.0, 100_000.0)) - fa) / (fb - fa)).clamp(0.0, 1.0),
    );
    let sa = ln.sf(100_000.0);
    check_ks(
        "lognormal above 100k",
        &Dist::lognormal(
            72_000f64.ln(),
            0.2,
            Bounds {
                min: Some(100_000.0),
                max: None,
            },
        )
        .unwrap(),
        35,
        |x| ((sa - ln.sf(x.max(100_000.0))) / sa).clamp(0.0, 1.0),
    );
}

/// Nanoseconds of wall-clock time per `quantile` call (run on demand: `cargo test --test
/// quantiles -- --ignored --nocapture`; on a quiet machine, since other load inflates it).
/// Fails only on a slowdown far beyond noise: a normal quantile above 1 µs, a beta's above
/// 20 µs.
#[test]
#[ignore]
fn quantile_cost() {
    use std::hint::black_box;
    use std::time::Instant;
    const N: u32 = 1_000_000;
    let time = |d: &Dist| {
        let start = Instant::now();
        let mut sum = 0.0;
        for k in 0..N {
            sum += d.quantile(black_box((f64::from(k) + 0.5) / f64::from(N)));
        }
        black_box(sum);
        start.elapsed().as_nanos() as f64 / f64::from(N)
    };
    let (a85, b85) = fit::beta_from_moments(0.85, 0.05).unwrap();
    let normal = time(&Dist::normal(0.03, 0.02, Bounds::default()).unwrap());
    let lognormal = time(&Dist::lognormal(11.2, 0.25, Bounds::default()).unwrap());
    let pert = time(&Dist::pert(0.0, 2.0, 10.0).unwrap());
    let beta = time(&Dist::beta(a85, b85, 0.0, 1.0).unwrap());
    println!(
        "ns per quantile: normal {normal:.0}, lognormal {lognormal:.0}, pert {pert:.0}, \
         beta(42.5, 7.5) {beta:.0}"
    );
    assert!(
        normal < 1_000.0 && lognormal < 1_000.0,
        "{normal} {lognormal}"
    );
    assert!(pert < 20_000.0 && beta < 20_000.0, "{pert} {beta}");
}
