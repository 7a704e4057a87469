//! Pinned values: the first draws of the generator and of every sampler for seed 42.
//!
//! A run with a given seed must give the same numbers on every release, so a report can be
//! reproduced. These values change only if `rand_xoshiro`, `rand`, `rand_distr` (its
//! normal and beta samplers, its float conversion) or the crate's own samplers change.
//!
//! WHEN THIS TEST FAILS:
//! 1. Find which dependency moved (`git diff Cargo.lock`) and read its changelog: a new
//!    algorithm for normals or betas, a new float conversion, a changed `seed_from_u64`.
//!    A failure without a dependency change means the crate's samplers changed.
//! 2. If the change is a bug, fix or pin the dependency instead.
//! 3. If it is deliberate, regenerate the values with
//!    `cargo test --test value_stability -- --ignored --nocapture print_values`, paste them
//!    below, and say in the commit message and the changelog that results for a given seed
//!    change with this release (old reports cannot be reproduced bit for bit any more).
//!
//! Re-pinned in this release, deliberately: every input and every event now draws from its
//! own stream (a SplitMix64 generator keyed by the trial and the stream's name), so that
//! changing one input never moves another's draws. `Gen` is that stream generator (it was one
//! Xoshiro256++ per batch and path), so the words, the sampled values and whole trials all
//! changed once; results for a given seed differ from the previous release's. The whole-trial
//! pins below hold the stream scheme itself (which stream each input and event uses).
//!
//! Floats are compared within 1e-12 relative (the normal and lognormal samplers go through
//! the platform's `exp`/`ln`, which may differ in the last bit between platforms); the
//! generator's words exactly.

use rand::{Rng, SeedableRng};
use worthit::dist::fit::{self, LogSummary};
use worthit::dist::{Bounds, Dist};
use worthit::model::rng::{Gen, trial_key};
use worthit::model::{Model, Scratch, TrialOutcome, run_trial};

const SEED: u64 = 42;

fn bounded(min: f64, max: f64) -> Bounds {
    Bounds {
        min: Some(min),
        max: Some(max),
    }
}

/// Every sampler kind, by name.
fn samplers() -> Vec<(&'static str, Dist)> {
    let (mu, s) = fit::lognormal(
        LogSummary::from_key("median", 72_000.0).unwrap(),
        LogSummary::from_key("p90", 95_000.0).unwrap(),
    )
    .unwrap();
    let none = Bounds::default();
    vec![
        ("fixed", Dist::fixed(3.5, none).unwrap()),
        ("uniform", Dist::uniform(2.0, 7.0).unwrap()),
        ("normal", Dist::normal(10.0, 3.0, none).unwrap()),
        ("lognormal", Dist::lognormal(mu, s, none).unwrap()),
        (
            "truncated normal",
            Dist::normal(10.0, 3.0, bounded(8.0, 16.0)).unwrap(),
        ),
        (
            "truncated normal, far upper tail",
            Dist::normal(100.0, 10.0, bounded(140.0, 160.0)).unwrap(),
        ),
        (
            "truncated normal, wide (drawn by rejection)",
            Dist::normal(0.015, 0.02, bounded(-1.0, 1.0)).unwrap(),
        ),
        (
            "truncated lognormal",
            Dist::lognormal(mu, s, bounded(60_000.0, 100_000.0)).unwrap(),
        ),
        ("triangular", Dist::triangular(1.0, 3.0, 10.0).unwrap()),
        ("pert", Dist::pert(13_500.0, 16_000.0, 20_000.0).unwrap()),
        ("beta", Dist::beta(2.0, 5.0, 10.0, 30.0).unwrap()),
        (
            "beta, large shapes",
            Dist::beta(42.5, 7.5, 0.0, 1.0).unwrap(),
        ),
        (
            "choice",
            Dist::choice(&[3.0, 4.0, 6.0], Some(&[0.5, 0.3, 0.2]), none).unwrap(),
        ),
        (
            "empirical",
            Dist::empirical(&[50_000.0, 61_000.0, 61_000.0, 70_000.0, 95_000.0], none).unwrap(),
        ),
    ]
}

fn first_draws(d: &Dist) -> [f64; 5] {
    let mut rng = Gen::seed_from_u64(SEED);
    std::array::from_fn(|_| d.sample(&mut rng))
}

const GEN_WORDS: [u64; 3] = [
    13679457532755275413,
    2949826092126892291,
    5139283748462763858,
];
const PINNED: &[(&str, [f64; 5])] = &[
    ("fixed", [3.5, 3.5, 3.5, 3.5, 3.5]),
    (
        "uniform",
        [
            5.707824393859116,
            2.7995519643846007,
            3.3930056512756934,
            3.7209535826181876,
            2.190150842701231,
        ],
    ),
    (
        "normal",
        [
            12.021043114398488,
            3.224915637496978,
            7.515807813608797,
            8.690178572734766,
            8.333846806306912,
        ],
    ),
    (
        "lognormal",
        [
            83295.05626216343,
            44175.16946618805,
            60192.55331920634,
            65511.40102854899,
            63849.684006827985,
        ],
    ),
    (
        "truncated normal",
        [
            12.418713327750435,
            8.991628688864653,
            9.656424501673516,
            10.014643397809488,
            8.251967229652701,
        ],
    ),
    (
        "truncated normal, far upper tail",
        [
            140.70198627813454,
            144.143631198021,
            142.92733099214533,
            142.45576719970995,
            147.15530017010502,
        ],
    ),
    (
        "truncated normal, wide (drawn by rejection)",
        [
            0.028473620762656582,
            -0.03016722908335348,
            -0.0015612812426080216,
            0.006267857151565099,
            0.003892312042046084,
        ],
    ),
    (
        "truncated lognormal",
        [
            83049.78779241747,
            64967.15922384569,
            68339.03060319494,
            70182.24537996076,
            61261.91642973003,
        ],
    ),
    (
        "triangular",
        [
            5.9649767488433065,
            2.6965809947610992,
            3.2584772644508373,
            3.5722488490133015,
            1.8273711583832446,
        ],
    ),
    (
        "pert",
        [
            17249.024798009756,
            15419.868816292046,
            15172.892596392925,
            15656.385755174677,
            15114.456473229366,
        ],
    ),
    (
        "beta",
        [
            18.694717109735755,
            13.62966398967359,
            11.023643130257987,
            13.071058167116146,
            14.190341091520061,
        ],
    ),
    (
        "beta, large shapes",
        [
            0.8074144070637131,
            0.8814829097226136,
            0.8908095744230263,
            0.8726151897643597,
            0.893039935013142,
        ],
    ),
    ("choice", [4.0, 3.0, 3.0, 3.0, 3.0]),
    ("empirical", [70000.0, 50000.0, 61000.0, 61000.0, 50000.0]),
];

#[test]
fn generator_words_are_pinned() {
    let mut rng = Gen::seed_from_u64(SEED);
    let got: [u64; 3] = std::array::from_fn(|_| rng.next_u64());
    assert_eq!(
        got, GEN_WORDS,
        "Gen (a SplitMix64 stream) seeded with {SEED} changed"
    );
}

#[test]
fn sampler_draws_are_pinned() {
    let all = samplers();
    assert_eq!(
        all.len(),
        PINNED.len(),
        "a sampler without pinned values, or the reverse"
    );
    let mut failures = Vec::new();
    for ((name, d), (pinned_name, want)) in all.iter().zip(PINNED) {
        assert_eq!(name, pinned_name, "the lists are in the same order");
        let got = first_draws(d);
        let close = got
            .iter()
            .zip(want)
            .all(|(g, w)| (g - w).abs() <= 1e-12 * w.abs().max(1e-300));
        if !close {
            failures.push(format!("{name}: got {got:?}, pinned {want:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "sampled values changed for seed {SEED} (see the top of this file):\n{}",
        failures.join("\n")
    );
}

#[test]
fn values_drawn_in_a_row_are_those_drawn_one_at_a_time() {
    // `sample_into` (a career's raises) must give the very values, in order, that as many
    // `sample` calls give from the same stream, for every kind; including a truncated normal
    // whose cheap first try misses now and then (0.47% of draws fall below -2.6).
    let mut all = samplers();
    all.push((
        "truncated normal, first try misses sometimes",
        Dist::normal(0.0, 1.0, bounded(-2.6, 100.0)).unwrap(),
    ));
    for (name, d) in all {
        let mut one = Gen::seed_from_u64(SEED);
        let want: Vec<u64> = (0..2_000).map(|_| d.sample(&mut one).to_bits()).collect();
        let mut row = Gen::seed_from_u64(SEED);
        let mut got = vec![0.0; 2_000];
        d.sample_into(&mut row, &mut got);
        let got: Vec<u64> = got.iter().map(|x| x.to_bits()).collect();
        assert!(got == want, "{name}: sample_into differs from sample");
        // And the stream is left where the single draws leave it.
        assert_eq!(one.next_u64(), row.next_u64(), "{name}");
    }
}

#[test]
fn a_fixed_value_draws_nothing() {
    let mut rng = Gen::seed_from_u64(SEED);
    let d = Dist::fixed(3.5, Bounds::default()).unwrap();
    for _ in 0..10 {
        assert_eq!(d.sample(&mut rng), 3.5);
    }
    assert_eq!(rng.next_u64(), GEN_WORDS[0]);
}

/// A scenario that uses every kind of stream: economy, the person's raises and layoffs, a
/// path's study, events, role choice, role inputs, promotion, loans, and a factor.
const TRIAL: &str = r#"
[economy]
discount_rate = { dist = "uniform", min = 0.02, max = 0.04 }
[tax]
effective_rate = 0.2
[person]
age = 30
retirement_age = 45
salary = { dist = "lognormal", median = 70_000, p90 = 90_000 }
annual_raise = { dist = "normal", mean = 0.01, sd = 0.02 }
unemployment_rate = 0.1
unemployment_months = { dist = "uniform", min = 1, max = 6 }
[roles.a]
salary = { dist = "lognormal", median = 100_000, p90 = 140_000 }
annual_raise = { dist = "normal", mean = 0.02, sd = 0.02 }
unemployment_rate = 0.1
unemployment_months = 3
[roles.b]
salary = { dist = "lognormal", median = 90_000, p90 = 120_000 }
[paths.stay]
baseline = true
[paths.p]
duration_months = { dist = "uniform", min = 10, max = 14 }
completion = { dist = "beta", mean = 0.8, sd = 0.1 }
placement = { dist = "beta", mean = 0.7, sd = 0.1 }
search_months = { dist = "uniform", min = 1, max = 6 }
fallback_months = 2
roles = { a = 0.5, b = 0.5 }
promotion_rate = 0.2
promotion_raise = 0.1
[paths.p.costs]
tuition_per_year = { dist = "triangular", min = 10_000, mode = 20_000, max = 40_000 }
[paths.p.financing]
federal = true
federal_rate = 0.0794
private_rate = { dist = "uniform", min = 0.05, max = 0.12 }
[factors.ability]
loadings = { "paths.*.completion" = 0.5, "roles.*.salary" = 0.4 }
"#;

/// The net return of path `p` in the first five trials of seed 42.
fn trial_values() -> [f64; 5] {
    let s = worthit::scenario::load_str(TRIAL, std::path::Path::new("t.toml")).unwrap();
    let m = Model::new(&s);
    let (mut scratch, mut out) = (Scratch::new(&m), TrialOutcome::new(&m));
    std::array::from_fn(|i| {
        run_trial::<Gen>(&m, trial_key(SEED, i as u64), &mut scratch, &mut out);
        out.paths[1].net_return
    })
}

const TRIALS: [f64; 5] = [
    202627.3794213267,
    -105980.26201884523,
    -110921.22151902647,
    714503.2652855433,
    -116128.59964169828,
];

#[test]
fn whole_trials_are_pinned() {
    let got = trial_values();
    let close = got
        .iter()
        .zip(&TRIALS)
        .all(|(g, w)| (g - w).abs() <= 1e-9 * w.abs().max(1.0));
    assert!(
        close,
        "whole trials changed for seed {SEED}: got {got:?}, pinned {TRIALS:?}"
    );
}

/// Prints the values in the form pasted above. Run it only to re-pin deliberately.
#[test]
#[ignore = "prints the values to pin; run by hand after a deliberate change"]
fn print_values() {
    let mut rng = Gen::seed_from_u64(SEED);
    let words: [u64; 3] = std::array::from_fn(|_| rng.next_u64());
    println!("const GEN_WORDS: [u64; 3] = {words:?};");
    println!("const PINNED: &[(&str, [f64; 5])] = &[");
    for (name, d) in samplers() {
        println!("    ({name:?}, {:?}),", first_draws(&d));
    }
    println!("];");
    println!("const TRIALS: [f64; 5] = {:?};", trial_values());
}
