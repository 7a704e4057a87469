//! Every sampler against its analytic distribution: a one-sample Kolmogorov-Smirnov test of
//! 20,000 draws from a fixed seed (critical value at alpha = 0.001: D > 1.95 / sqrt(n)
//! fails), frequencies of the discrete ones within 4 standard errors, `Dist::mean()` against
//! the sample mean, truncated draws inside their bounds, and lognormal fits reproducing the
//! percentiles they were given.
//!
//! The reference CDFs come from statrs, independently of the crate's own special functions.
//! Distributions written the way a scenario writes them (beta by mean and sd, empirical
//! data from a CSV file) go through the loader.

use std::path::Path;

use rand::SeedableRng;
use statrs::distribution::{Beta, ContinuousCDF, LogNormal, Normal, Triangular, Uniform};
use worthit::dist::fit::{self, LogSummary};
use worthit::dist::{Bounds, Dist};
use worthit::model::rng::Gen;
use worthit::scenario::load_str;

const N: usize = 20_000;

fn draws(d: &Dist, n: usize, seed: u64) -> Vec<f64> {
    let mut rng = Gen::seed_from_u64(seed);
    (0..n).map(|_| d.sample(&mut rng)).collect()
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

fn mean_sd(xs: &[f64]) -> (f64, f64) {
    let n = xs.len() as f64;
    let m = xs.iter().sum::<f64>() / n;
    let v = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0);
    (m, v.sqrt())
}

/// KS test of N draws against `cdf`, and the sample mean against `Dist::mean()`. Returns the
/// draws for further checks.
fn check_continuous(name: &str, d: &Dist, seed: u64, cdf: impl Fn(f64) -> f64) -> Vec<f64> {
    let xs = draws(d, N, seed);
    assert!(
        xs.iter().all(|x| x.is_finite()),
        "{name}: a non-finite draw"
    );
    let stat = ks_statistic(&xs, &cdf);
    let critical = 1.95 / (N as f64).sqrt();
    assert!(
        stat <= critical,
        "{name}: KS D = {stat:.5} > {critical:.5} (alpha = 0.001): the draws do not follow the distribution"
    );
    // Not vacuous: the same draws are far from the distribution shifted by one sd.
    let (_, sd) = mean_sd(&xs);
    let shifted = ks_statistic(&xs, |x| cdf(x - sd));
    assert!(shifted > 0.1, "{name}: KS cannot tell a shift of one sd");
    check_mean(name, d, &xs);
    xs
}

fn check_mean(name: &str, d: &Dist, xs: &[f64]) {
    let (m, sd) = mean_sd(xs);
    let se = sd / (xs.len() as f64).sqrt();
    let expected = d.mean();
    assert!(
        (m - expected).abs() <= 4.0 * se,
        "{name}: sample mean {m} vs Dist::mean() {expected} (4 standard errors = {})",
        4.0 * se
    );
}

/// Draws inside [lo, hi] and `support()` equal to them.
fn check_bounds(name: &str, d: &Dist, xs: &[f64], lo: f64, hi: f64) {
    assert_eq!(d.support(), (lo, hi), "{name}: support");
    let out: Vec<_> = xs.iter().filter(|x| !(lo..=hi).contains(*x)).collect();
    assert!(
        out.is_empty(),
        "{name}: draws outside [{lo}, {hi}]: {out:?}"
    );
    // Exact truncation, not clamping: (almost) no draw sits on a bound.
    let on = xs.iter().filter(|&&x| x == lo || x == hi).count();
    assert!(on <= 2, "{name}: {on} draws exactly on a bound (clamped?)");
}

/// CDF of `inner` truncated to [a, b]: (F(x) - F(a)) / (F(b) - F(a)).
fn truncated<'a>(cdf: impl Fn(f64) -> f64 + 'a, a: f64, b: f64) -> impl Fn(f64) -> f64 + 'a {
    let (fa, fb) = (cdf(a), cdf(b));
    move |x| ((cdf(x.clamp(a, b)) - fa) / (fb - fa)).clamp(0.0, 1.0)
}

/// The compiled distribution of `key` in [person] (`salary` is required and >= 0,
/// `annual_raise` may be any number), as the loader builds it from `value`.
fn person_input(key: &str, value: &str, file: &Path) -> Dist {
    let salary = if key == "salary" { value } else { "50_000" };
    let extra = if key == "salary" {
        String::new()
    } else {
        format!("{key} = {value}\n")
    };
    let src = format!(
        "[person]\nage = 30\nretirement_age = 65\nsalary = {salary}\n{extra}\
         [roles.r]\nsalary = 1\n[paths.stay]\nbaseline = true\n\
         [paths.p]\nduration_months = 1\nroles = {{ r = 1 }}\n"
    );
    let s = load_str(&src, file).unwrap_or_else(|e| panic!("{e}"));
    s.input(&format!("person.{key}"))
        .unwrap_or_else(|| panic!("no input person.{key}"))
        .dist
        .clone()
}

#[test]
fn fixed() {
    let d = Dist::fixed(3.5, Bounds::default()).unwrap();
    let xs = draws(&d, N, 1);
    assert!(xs.iter().all(|&x| x == 3.5));
    assert_eq!(d.mean(), 3.5);
    assert_eq!(d.support(), (3.5, 3.5));
    // A plain number in a scenario is the same thing.
    let from_file = person_input("annual_raise", "0.02", Path::new("x.toml"));
    assert_eq!(draws(&from_file, 10, 1), vec![0.02; 10]);
}

#[test]
fn uniform() {
    let d = Dist::uniform(2.0, 7.0).unwrap();
    let u = Uniform::new(2.0, 7.0).unwrap();
    let xs = check_continuous("uniform", &d, 2, |x| u.cdf(x));
    check_bounds("uniform", &d, &xs, 2.0, 7.0);
}

#[test]
fn normal() {
    let d = Dist::normal(10.0, 3.0, Bounds::default()).unwrap();
    let n = Normal::new(10.0, 3.0).unwrap();
    check_continuous("normal", &d, 3, |x| n.cdf(x));
}

#[test]
fn lognormal() {
    let (mu, s) = fit::lognormal(
        LogSummary::from_key("median", 72_000.0).unwrap(),
        LogSummary::from_key("p90", 95_000.0).unwrap(),
    )
    .unwrap();
    let d = Dist::lognormal(mu, s, Bounds::default()).unwrap();
    let ln = LogNormal::new(mu, s).unwrap();
    check_continuous("lognormal", &d, 4, |x| ln.cdf(x));
    // The loader's lognormal from the same pair is the same distribution.
    let from_file = person_input(
        "salary",
        r#"{ dist = "lognormal", median = 72_000, p90 = 95_000 }"#,
        Path::new("x.toml"),
    );
    check_continuous("lognormal from a scenario", &from_file, 5, |x| ln.cdf(x));
}

#[test]
fn triangular() {
    let d = Dist::triangular(1.0, 3.0, 10.0).unwrap();
    let t = Triangular::new(1.0, 10.0, 3.0).unwrap();
    let xs = check_continuous("triangular", &d, 6, |x| t.cdf(x));
    check_bounds("triangular", &d, &xs, 1.0, 10.0);
    // Mode at an end.
    let d = Dist::triangular(0.0, 0.0, 4.0).unwrap();
    let t = Triangular::new(0.0, 4.0, 0.0).unwrap();
    check_continuous("triangular, mode at min", &d, 7, |x| t.cdf(x));
}

#[test]
fn pert() {
    let (min, mode, max) = (13_500.0, 16_000.0, 20_000.0);
    let d = Dist::pert(min, mode, max).unwrap();
    let r = max - min;
    let b = Beta::new(1.0 + 4.0 * (mode - min) / r, 1.0 + 4.0 * (max - mode) / r).unwrap();
    let xs = check_continuous("pert", &d, 8, |x| b.cdf((x - min) / r));
    check_bounds("pert", &d, &xs, min, max);
    // PERT's mean is (min + 4 mode + max) / 6.
    assert!((d.mean() - (min + 4.0 * mode + max) / 6.0).abs() < 1e-9);
}

#[test]
fn beta_by_shapes_rescaled() {
    let d = Dist::beta(2.0, 5.0, 10.0, 30.0).unwrap();
    let b = Beta::new(2.0, 5.0).unwrap();
    let xs = check_continuous("beta(2, 5) on [10, 30]", &d, 9, |x| {
        b.cdf((x - 10.0) / 20.0)
    });
    check_bounds("beta(2, 5) on [10, 30]", &d, &xs, 10.0, 30.0);
    // And on [0, 1], through the loader.
    let from_file = person_input(
        "annual_raise",
        r#"{ dist = "beta", alpha = 2.5, beta = 4 }"#,
        Path::new("x.toml"),
    );
    let b = Beta::new(2.5, 4.0).unwrap();
    let xs = check_continuous("beta(2.5, 4)", &from_file, 10, |x| b.cdf(x));
    check_bounds("beta(2.5, 4)", &from_file, &xs, 0.0, 1.0);
}

#[test]
fn beta_by_mean_and_sd_rescaled() {
    // mean 6, sd 1.5 on [2, 12]: on [0, 1], m = 0.4, s = 0.15, k = m (1 - m) / s² - 1.
    let d = person_input(
        "salary",
        r#"{ dist = "beta", mean = 6, sd = 1.5, min = 2, max = 12 }"#,
        Path::new("x.toml"),
    );
    let (m, s) = (0.4, 0.15);
    let k = m * (1.0 - m) / (s * s) - 1.0;
    let b = Beta::new(m * k, (1.0 - m) * k).unwrap();
    let xs = check_continuous("beta(mean 6, sd 1.5) on [2, 12]", &d, 11, |x| {
        b.cdf((x - 2.0) / 10.0)
    });
    check_bounds("beta(mean 6, sd 1.5) on [2, 12]", &d, &xs, 2.0, 12.0);
    let (mean, sd) = mean_sd(&xs);
    assert!(
        (mean - 6.0).abs() < 0.05 && (sd - 1.5).abs() < 0.05,
        "{mean} {sd}"
    );
    // Without min/max: on [0, 1].
    let d = person_input(
        "annual_raise",
        r#"{ dist = "beta", mean = 0.85, sd = 0.05 }"#,
        Path::new("x.toml"),
    );
    let b = Beta::new(42.5, 7.5).unwrap();
    check_continuous("beta(mean 0.85, sd 0.05)", &d, 12, |x| b.cdf(x));
}

/// Frequencies of a discrete sampler within 4 standard errors of `probs`, and no other value.
fn check_discrete(name: &str, d: &Dist, seed: u64, probs: &[(f64, f64)]) {
    let xs = draws(d, N, seed);
    let n = N as f64;
    for &(v, p) in probs {
        let freq = xs.iter().filter(|&&x| x == v).count() as f64 / n;
        let se = (p * (1.0 - p) / n).sqrt();
        assert!(
            (freq - p).abs() <= 4.0 * se,
            "{name}: value {v} drawn with frequency {freq}, expected {p} (4 se = {})",
            4.0 * se
        );
    }
    let strays: Vec<_> = xs
        .iter()
        .filter(|x| !probs.iter().any(|(v, _)| v == *x))
        .take(5)
        .collect();
    assert!(strays.is_empty(), "{name}: values never given: {strays:?}");
    check_mean(name, d, &xs);
}

#[test]
fn choice_with_weights() {
    let d = Dist::choice(&[3.0, 4.0, 6.0], Some(&[0.5, 0.3, 0.2]), Bounds::default()).unwrap();
    check_discrete("choice", &d, 13, &[(3.0, 0.5), (4.0, 0.3), (6.0, 0.2)]);
    assert_eq!(d.support(), (3.0, 6.0));
    // Weights need not sum to 1; equal weights when absent.
    let d = Dist::choice(&[16.0, 24.0], Some(&[1.0, 2.0]), Bounds::default()).unwrap();
    check_discrete(
        "choice 1:2",
        &d,
        14,
        &[(16.0, 1.0 / 3.0), (24.0, 2.0 / 3.0)],
    );
    let d = Dist::choice(&[1.0, 2.0, 3.0, 4.0], None, Bounds::default()).unwrap();
    check_discrete(
        "choice, equal",
        &d,
        15,
        &[(1.0, 0.25), (2.0, 0.25), (3.0, 0.25), (4.0, 0.25)],
    );
    // Truncation drops values and renormalizes the rest.
    let bounds = Bounds {
        min: Some(4.0),
        max: None,
    };
    let d = Dist::choice(&[3.0, 4.0, 6.0], Some(&[0.5, 0.3, 0.2]), bounds).unwrap();
    check_discrete("choice, min 4", &d, 16, &[(4.0, 0.6), (6.0, 0.4)]);
}

#[test]
fn empirical_from_a_csv_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("salaries.csv"),
        "year,salary\n2020,50000\n2021, 61000\n2022,61000\n2023,70000\n2024,95000\n",
    )
    .unwrap();
    let scenario = dir.path().join("s.toml");
    let d = person_input(
        "salary",
        r#"{ dist = "empirical", file = "salaries.csv", column = "salary" }"#,
        &scenario,
    );
    check_discrete(
        "empirical",
        &d,
        17,
        &[
            (50_000.0, 0.2),
            (61_000.0, 0.4),
            (70_000.0, 0.2),
            (95_000.0, 0.2),
        ],
    );
    assert_eq!(d.support(), (50_000.0, 95_000.0));
    // Truncated: rows outside [min, max] are dropped.
    let d = person_input(
        "salary",
        r#"{ dist = "empirical", file = "salaries.csv", column = "salary", max = 70_000 }"#,
        &scenario,
    );
    check_discrete(
        "empirical, max 70000",
        &d,
        18,
        &[(50_000.0, 0.25), (61_000.0, 0.5), (70_000.0, 0.25)],
    );
}

#[test]
fn truncated_normal_both_tails() {
    let (mean, sd, a, b) = (10.0, 3.0, 8.0, 16.0);
    let d = Dist::normal(
        mean,
        sd,
        Bounds {
            min: Some(a),
            max: Some(b),
        },
    )
    .unwrap();
    let n = Normal::new(mean, sd).unwrap();
    let xs = check_continuous("normal on [8, 16]", &d, 19, truncated(|x| n.cdf(x), a, b));
    check_bounds("normal on [8, 16]", &d, &xs, a, b);
}

#[test]
fn truncated_normal_one_side() {
    let n = Normal::new(0.015, 0.02).unwrap();
    let d = Dist::normal(
        0.015,
        0.02,
        Bounds {
            min: Some(0.0),
            max: None,
        },
    )
    .unwrap();
    let xs = check_continuous(
        "normal, min only",
        &d,
        20,
        truncated(|x| n.cdf(x), 0.0, f64::INFINITY),
    );
    check_bounds("normal, min only", &d, &xs, 0.0, f64::INFINITY);
    let d = Dist::normal(
        0.015,
        0.02,
        Bounds {
            min: None,
            max: Some(0.03),
        },
    )
    .unwrap();
    let xs = check_continuous(
        "normal, max only",
        &d,
        21,
        truncated(|x| n.cdf(x), f64::NEG_INFINITY, 0.03),
    );
    check_bounds("normal, max only", &d, &xs, f64::NEG_INFINITY, 0.03);
}

#[test]
fn truncated_normal_far_upper_tail() {
    // [mean + 4 sd, mean + 6 sd]: 3.2e-5 of the mass. The reference CDF uses the survival
    // function, which keeps its precision this far out: (S(a) - S(x)) / (S(a) - S(b)).
    let (mean, sd) = (100.0, 10.0);
    let (a, b) = (mean + 4.0 * sd, mean + 6.0 * sd);
    let d = Dist::normal(
        mean,
        sd,
        Bounds {
            min: Some(a),
            max: Some(b),
        },
    )
    .unwrap();
    let n = Normal::new(mean, sd).unwrap();
    let (sa, sb) = (n.sf(a), n.sf(b));
    let xs = check_continuous("normal on [mean + 4 sd, mean + 6 sd]", &d, 22, |x| {
        ((sa - n.sf(x.clamp(a, b))) / (sa - sb)).clamp(0.0, 1.0)
    });
    check_bounds("normal on [mean + 4 sd, mean + 6 sd]", &d, &xs, a, b);
    // Most of the mass sits near the lower bound: E[Z | 4 < Z < 6] = 4.2256 (the inverse
    // Mills ratio at 4, less a negligible term at 6).
    let (m, _) = mean_sd(&xs);
    assert!((m - (mean + 4.2256 * sd)).abs() < 0.1, "{m}");
    // And the far lower tail, mirrored.
    let (a, b) = (mean - 6.0 * sd, mean - 4.0 * sd);
    let d = Dist::normal(
        mean,
        sd,
        Bounds {
            min: Some(a),
            max: Some(b),
        },
    )
    .unwrap();
    let xs = check_continuous(
        "normal on [mean - 6 sd, mean - 4 sd]",
        &d,
        23,
        truncated(|x| n.cdf(x), a, b),
    );
    check_bounds("normal on [mean - 6 sd, mean - 4 sd]", &d, &xs, a, b);
}

#[test]
fn truncated_lognormal() {
    let (mu, s) = fit::lognormal(
        LogSummary::from_key("median", 72_000.0).unwrap(),
        LogSummary::from_key("p90", 95_000.0).unwrap(),
    )
    .unwrap();
    let (a, b) = (60_000.0, 100_000.0);
    let d = Dist::lognormal(
        mu,
        s,
        Bounds {
            min: Some(a),
            max: Some(b),
        },
    )
    .unwrap();
    let ln = LogNormal::new(mu, s).unwrap();
    let xs = check_continuous(
        "lognormal on [60k, 100k]",
        &d,
        24,
        truncated(|x| ln.cdf(x), a, b),
    );
    check_bounds("lognormal on [60k, 100k]", &d, &xs, a, b);
    // Upper bound only: the support starts at 0.
    let d = Dist::lognormal(
        mu,
        s,
        Bounds {
            min: None,
            max: Some(80_000.0),
        },
    )
    .unwrap();
    let xs = check_continuous(
        "lognormal, max 80k",
        &d,
        25,
        truncated(|x| if x > 0.0 { ln.cdf(x) } else { 0.0 }, 0.0, 80_000.0),
    );
    check_bounds("lognormal, max 80k", &d, &xs, 0.0, 80_000.0);
    // Through the loader, bounds in dollars.
    let from_file = person_input(
        "salary",
        r#"{ dist = "lognormal", median = 72_000, p90 = 95_000, min = 60_000, max = 100_000 }"#,
        Path::new("x.toml"),
    );
    let xs = check_continuous(
        "lognormal on [60k, 100k] from a scenario",
        &from_file,
        26,
        truncated(|x| ln.cdf(x), a, b),
    );
    check_bounds(
        "lognormal on [60k, 100k] from a scenario",
        &from_file,
        &xs,
        a,
        b,
    );
}

/// The empirical `p` quantile (nearest rank) of sorted `xs`.
fn quantile(sorted: &[f64], p: f64) -> f64 {
    let i = ((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[i]
}

/// Two summaries (key, value), and three (quantile level, expected value) to check.
type FitCase = (&'static str, f64, &'static str, f64, [(f64, f64); 3]);

#[test]
fn lognormal_fits_reproduce_their_percentiles() {
    // BLS-like summaries. For each pair: the percentiles to check, and their values (given,
    // or implied: a lognormal is symmetric in logs, so p50 = sqrt(p10 p90) = sqrt(p25 p75)).
    let cases: &[FitCase] = &[
        (
            "median",
            72_000.0,
            "p90",
            95_000.0,
            [
                (0.1, 72_000.0 * 72_000.0 / 95_000.0),
                (0.5, 72_000.0),
                (0.9, 95_000.0),
            ],
        ),
        (
            "p10",
            63_650.0,
            "p90",
            194_410.0,
            [
                (0.1, 63_650.0),
                (0.5, (63_650.0f64 * 194_410.0).sqrt()),
                (0.9, 194_410.0),
            ],
        ),
        (
            "p25",
            82_630.0,
            "p75",
            155_810.0,
            [
                (0.25, 82_630.0),
                (0.5, (82_630.0f64 * 155_810.0).sqrt()),
                (0.75, 155_810.0),
            ],
        ),
        (
            "p10",
            79_850.0,
            "median",
            103_084.0,
            [
                (0.1, 79_850.0),
                (0.5, 103_084.0),
                (0.9, 103_084.0 * 103_084.0 / 79_850.0),
            ],
        ),
    ];
    for (i, (ka, va, kb, vb, checks)) in cases.iter().enumerate() {
        let (mu, s) = fit::lognormal(
            LogSummary::from_key(ka, *va).unwrap(),
            LogSummary::from_key(kb, *vb).unwrap(),
        )
        .unwrap();
        let d = Dist::lognormal(mu, s, Bounds::default()).unwrap();
        let mut xs = draws(&d, 200_000, 100 + i as u64);
        xs.sort_by(f64::total_cmp);
        for &(p, want) in checks {
            let got = quantile(&xs, p);
            assert!(
                (got / want - 1.0).abs() < 0.01,
                "lognormal({ka} = {va}, {kb} = {vb}): empirical p{} = {got}, expected {want}",
                p * 100.0
            );
        }
    }
    // Mean and sd: the sample moments.
    let (mu, s) = fit::lognormal(
        LogSummary::from_key("mean", 100_000.0).unwrap(),
        LogSummary::from_key("sd", 30_000.0).unwrap(),
    )
    .unwrap();
    let d = Dist::lognormal(mu, s, Bounds::default()).unwrap();
    let (m, sd) = mean_sd(&draws(&d, 200_000, 200));
    assert!((m / 100_000.0 - 1.0).abs() < 0.01, "{m}");
    assert!((sd / 30_000.0 - 1.0).abs() < 0.02, "{sd}");
}
