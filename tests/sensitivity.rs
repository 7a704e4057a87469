//! Which uncertainties decide a path: importances equal variance shares computed by hand
//! when the net return is linear in independent inputs or a known event's payoff; they agree
//! with an independent brute-force estimate on a realistic scenario; and the outputs are
//! byte-identical for any thread count.

use std::path::Path;

use worthit::engine;
use worthit::model::candidates::{Candidates, What};
use worthit::model::rng::{Gen, trial_key};
use worthit::model::{Model, Scratch, TrialOutcome, run_trial};
use worthit::report::csv;
use worthit::scenario;
use worthit::stats::sensitivity::{SensAcc, SensitivityRow};
use worthit::stats::summary::{About, ScenarioSummary};

fn model(src: &str) -> Model {
    let s = scenario::load_str(src, Path::new("s.toml")).unwrap_or_else(|e| panic!("{e}"));
    Model::new(&s)
}

fn run(m: &Model, trials: u64, threads: usize) -> ScenarioSummary {
    engine::run(m, trials, 11, threads, None)
        .expect("a finite run")
        .summarize(m, &About::default())
}

fn row<'a>(s: &'a ScenarioSummary, input: &str) -> &'a SensitivityRow {
    s.sensitivity
        .iter()
        .find(|r| r.input == input)
        .unwrap_or_else(|| panic!("no row {input}: {:#?}", s.sensitivity))
}

/// Net return = scholarship - one-time cost - tuition: no tax, no discounting, the old job
/// kept in full while studying, never placed, so nothing else varies.
const LINEAR: &str = r#"
[economy]
discount_rate = 0
[person]
age = 40
retirement_age = 45
salary = 60_000
[roles.r]
salary = 60_000
[paths.stay]
baseline = true
[paths.p]
duration_months = 12
work_fraction = 1
placement = 0
roles = { r = 1 }
[paths.p.costs]
tuition_per_year = 20_000
scholarship_per_year = { dist = "uniform", min = 0, max = 6_000 }
one_time = { dist = "uniform", min = 0, max = 10_000 }
"#;

#[test]
fn linear_in_two_independent_inputs_importances_are_variance_shares() {
    let s = run(&model(LINEAR), 20_000, 2);
    // Var(one_time) = 10,000^2 / 12, Var(scholarship) = 6,000^2 / 12 (12 months of a yearly
    // amount: the scholarship of the year): shares 100/136 and 36/136.
    let (one_time, scholarship) = (100.0 / 136.0, 36.0 / 136.0);
    assert_eq!(s.sensitivity.len(), 2, "{:#?}", s.sensitivity);
    let a = row(&s, "paths.p.costs.one_time");
    let b = row(&s, "paths.p.costs.scholarship_per_year");
    assert!((a.importance - one_time).abs() < 0.02, "{}", a.importance);
    assert!(
        (b.importance - scholarship).abs() < 0.02,
        "{}",
        b.importance
    );
    // Additive: the first-order shares add up to 1.
    assert!((a.importance + b.importance - 1.0).abs() < 0.02);
    assert_eq!(s.sensitivity[0].input, a.input, "most important first");
    // Swings: the cheapest tenth of one-time costs averages 500, the dearest 9,500; the
    // scholarship averages 3,000: net return -20,000 + 3,000 - 500 or - 9,500.
    assert!((a.low_mean - -17_500.0).abs() < 150.0, "{}", a.low_mean);
    assert!((a.high_mean - -26_500.0).abs() < 150.0, "{}", a.high_mean);
    assert!((b.low_mean - (-20_000.0 + 300.0 - 5_000.0)).abs() < 150.0);
    assert!((b.high_mean - (-20_000.0 + 5_700.0 - 5_000.0)).abs() < 150.0);
    assert_eq!((a.low_prob_beats, a.high_prob_beats), (0.0, 0.0));
}

/// A salary with a wide, skewed spread decides everything: no tax, no discounting, placed
/// for sure a month in, so the net return is the salary times the months in the new job
/// less the baseline's pay (or, for an offer below the old pay, declined, a month's pay).
const SKEWED: &str = r#"
[economy]
discount_rate = 0
[tax]
effective_rate = 0
[person]
age = 40
retirement_age = 45
salary = 60_000
[roles.r]
salary = { dist = "lognormal", median = 90_000, p90 = 171_000 }
[paths.stay]
baseline = true
[paths.p]
duration_months = 1
roles = { r = 1 }
"#;

/// Its true share is 1. Cut into bins of equal probability, the salary's top bin is wide (from
/// 2.87 times the median up), and what the net return does inside it is lost: with sigma 0.5
/// (p90 1.9 times the median) a relative 1.37% with 100 bins for a linear effect, computed
/// from the lognormal's partial moments (5.7% with the 20 bins used before, which read 0.94).
#[test]
fn a_skewed_input_that_decides_everything_explains_nearly_all() {
    let s = run(&model(SKEWED), 20_000, 2);
    let salary = row(&s, "roles.r.salary");
    assert!(
        (salary.importance - (1.0 - 0.0137)).abs() < 0.004,
        "{}",
        salary.importance
    );
}

/// Inflation varies and decides nothing on a path that does not borrow: it is a candidate
/// all the same, and reads about 0, not the `(K - 1) / N` that noise adds to the spread of
/// its 100 group means (99 / 20,000, 0.5%, of the net return's variance here, all of which it
/// leaves unexplained); and at few lives, read from fewer bins, about 0 too.
#[test]
fn an_input_that_decides_nothing_explains_nothing() {
    let src = LINEAR.replace(
        "discount_rate = 0\n",
        "discount_rate = 0\ninflation = { dist = \"uniform\", min = 0.01, max = 0.04 }\n",
    );
    let s = run(&model(&src), 20_000, 2);
    let inflation = row(&s, "economy.inflation");
    assert!(inflation.importance < 0.0015, "{}", inflation.importance);
    // At 200 lives its importance is read from 10 bins of about 20 lives, not 100 of 2 (whose
    // noise is about 0.07, sqrt(2 * 99) / 200): noise of about 0.02 (sqrt(2 * 9) / 200).
    let s = run(&model(&src), 200, 2);
    let inflation = row(&s, "economy.inflation");
    assert!(inflation.importance < 0.05, "{}", inflation.importance);
}

/// Finishing (probability 0.6) is worth a fixed 119,000; a one-time cost uniform on
/// [0, 200,000] is paid either way.
const EVENT: &str = r#"
[economy]
discount_rate = 0
[person]
age = 55
retirement_age = 65
salary = 50_000
[roles.r]
salary = 62_000
[paths.stay]
baseline = true
[paths.p]
duration_months = 1
work_fraction = 1
completion = 0.6
roles = { r = 1 }
[paths.p.costs]
one_time = { dist = "uniform", min = 0, max = 200_000 }
"#;

#[test]
fn an_event_of_known_probability_and_payoff_explains_its_share() {
    let s = run(&model(EVENT), 20_000, 2);
    // A finisher studies month 0 on full pay and starts at 62,000 in month 1 (the offer beats
    // 50,000 with equal raises): 11/12 of 12,000 in year 0 and 12,000 in each of 9 later
    // years, 119,000 in all. A dropout leaves after month 0 and falls back at once: 0.
    // Var(payoff) = 0.6 * 0.4 * 119,000^2 = 3.39864e9; Var(cost) = 200,000^2 / 12 = 3.33333e9.
    let event = 3.39864e9 / (3.39864e9 + 200_000f64.powi(2) / 12.0);
    for key in ["completed", "placed", "role"] {
        let r = row(&s, key);
        assert!(
            (r.importance - event).abs() < 0.02,
            "{key}: {} vs {event}",
            r.importance
        );
    }
    let cost = row(&s, "paths.p.costs.one_time");
    assert!((cost.importance - (1.0 - event)).abs() < 0.02);
    // Nothing else varies (no promotion, one role).
    assert_eq!(s.sensitivity.len(), 4, "{:#?}", s.sensitivity);
    let done = row(&s, "completed");
    // Without: -E[cost] = -100,000 and never ahead; with: 119,000 - 100,000, ahead when the
    // cost is below 119,000 (59.5% of the time).
    assert!(
        (done.low_mean - -100_000.0).abs() < 2_500.0,
        "{}",
        done.low_mean
    );
    assert!(
        (done.high_mean - 19_000.0).abs() < 2_500.0,
        "{}",
        done.high_mean
    );
    assert_eq!(done.low_prob_beats, 0.0);
    assert!((done.high_prob_beats - 0.595).abs() < 0.02);
}

/// The analyst's in-person master's, with a factor for how strong a candidate the person is.
const REALISTIC: &str = r#"
[tax]
effective_rate = 0.24
[person]
age = 27
retirement_age = 65
salary = { dist = "lognormal", median = 72_000, p90 = 82_630 }
annual_raise = { dist = "normal", mean = 0.015, sd = 0.02, min = -0.5, max = 0.5 }
unemployment_rate = { dist = "beta", mean = 0.07, sd = 0.02 }
unemployment_months = { dist = "uniform", min = 1, max = 6 }
[roles.ml_engineer]
salary = { dist = "lognormal", p10 = 72_600, p90 = 120_883 }
annual_raise = { dist = "normal", mean = 0.02, sd = 0.02, min = -0.5, max = 0.5 }
[roles.data_scientist]
salary = { dist = "lognormal", p10 = 63_650, p90 = 112_590 }
annual_raise = { dist = "uniform", min = 0.0, max = 0.04 }
[paths.stay]
baseline = true
[paths.masters]
duration_months = { dist = "choice", values = [16, 24], weights = [1, 2] }
completion = { dist = "beta", mean = 0.80, sd = 0.06 }
placement = { dist = "beta", mean = 0.75, sd = 0.08 }
search_months = { dist = "uniform", min = 1, max = 6 }
fallback_months = { dist = "uniform", min = 1, max = 4 }
roles = { data_scientist = 0.5, ml_engineer = 0.5 }
salary_premium = 0.10
promotion_rate = { dist = "beta", mean = 0.05, sd = 0.015 }
promotion_raise = { dist = "uniform", min = 0.15, max = 0.30 }
[paths.masters.costs]
tuition_per_year = { dist = "triangular", min = 12_171, mode = 27_776, max = 52_000 }
living_extra_per_month = { dist = "triangular", min = 0, mode = 1_000, max = 2_000 }
[paths.masters.financing]
savings = 20_000
federal = true
federal_rate = 0.0794
private_rate = { dist = "uniform", min = 0.045, max = 0.148 }
[factors.ability]
description = "How strong a candidate this person is"
loadings = { "paths.*.completion" = 0.5, "paths.*.placement" = 0.5, "roles.*.salary" = 0.4 }
"#;

/// `Var(mean of y within groups) / Var(y)`, groups given by a key per trial.
fn between_share(y: &[f64], group: &[usize]) -> f64 {
    let n = y.len() as f64;
    let mean = y.iter().sum::<f64>() / n;
    let total: f64 = y.iter().map(|v| (v - mean).powi(2)).sum();
    let k = group.iter().max().map_or(0, |g| g + 1);
    let (mut sum, mut count) = (vec![0.0; k], vec![0.0; k]);
    for (v, &g) in y.iter().zip(group) {
        sum[g] += v;
        count[g] += 1.0;
    }
    let between: f64 = sum
        .iter()
        .zip(&count)
        .filter(|(_, c)| **c > 0.0)
        .map(|(s, c)| c * (s / c - mean).powi(2))
        .sum();
    between / total
}

#[test]
fn importances_agree_with_a_brute_force_estimate() {
    agree_with_brute_force(50_000);
}

/// The same at 200,000 trials: about a minute in the unoptimised test profile, a few seconds
/// optimised.
#[test]
#[ignore = "200,000 trials; run with: cargo test --release --test sensitivity -- --ignored"]
fn importances_agree_with_a_brute_force_estimate_at_200_000_trials() {
    agree_with_brute_force(200_000);
}

/// Runs `trials` trials of the realistic scenario, accumulating the sensitivity analysis and
/// keeping every trial's net return and candidate values; then estimates each importance
/// independently: sorted by the candidate's value, 100 bins of equal count (an event or a
/// discrete input by its values), the variance of the bin means over the variance. The two
/// agree within 0.02, and so do the swings (within 3% of a standard deviation).
fn agree_with_brute_force(trials: u64) {
    let m = model(REALISTIC);
    let cands = Candidates::new(&m);
    let p = 1;
    let list = &cands.paths[p];
    let mut acc = SensAcc::new(&m);
    let (mut scratch, mut out) = (Scratch::new(&m), TrialOutcome::new(&m));
    // Raw data: the net return, each candidate's value (or event) in each trial.
    let mut y = Vec::with_capacity(trials as usize);
    let mut x: Vec<Vec<f64>> = vec![Vec::with_capacity(trials as usize); list.len()];
    for i in 0..trials {
        run_trial::<Gen>(&m, trial_key(5, i), &mut scratch, &mut out);
        acc.push(&out);
        let o = &out.paths[p];
        y.push(o.net_return);
        for (c, xs) in list.iter().zip(&mut x) {
            xs.push(match c.what {
                What::Value(slot) => out.cand[slot],
                What::Event(_) => match c.key.as_str() {
                    "completed" => f64::from(u8::from(o.completed)),
                    "placed" => f64::from(u8::from(o.placed)),
                    "promoted" => f64::from(u8::from(o.promoted)),
                    _ => o.role.map_or(-1.0, |r| r as f64),
                },
            });
        }
    }
    let rows = acc.summarize(&m);
    let n = y.len();
    let sd = {
        let mean = y.iter().sum::<f64>() / n as f64;
        (y.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64).sqrt()
    };
    let mut checked = 0;
    for (c, xs) in list.iter().zip(&x) {
        let Some(r) = rows.iter().find(|r| r.input == c.key) else {
            panic!("{} missing", c.key);
        };
        // Sort by the candidate's value; an event groups by value, anything else in 100
        // bins of equal count.
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
        let mut group = vec![0usize; n];
        let distinct = {
            let mut v: Vec<f64> = xs.iter().copied().take(5_000).collect();
            v.sort_by(f64::total_cmp);
            v.dedup();
            v.len()
        };
        for (rank, &i) in order.iter().enumerate() {
            group[i] = if matches!(c.what, What::Event(_)) || distinct < 10 {
                // Values of a discrete input or an event, in order.
                order[..rank]
                    .last()
                    .map_or(0, |&j| group[j] + usize::from(xs[j] != xs[i]))
            } else {
                rank * 100 / n
            };
        }
        let brute = between_share(&y, &group);
        assert!(
            (r.importance - brute).abs() < 0.02,
            "{}: {} vs brute force {brute}",
            c.key,
            r.importance
        );
        // The swing of a continuous input: the mean of the lowest and highest tenth by rank.
        if matches!(c.what, What::Value(_)) && distinct >= 10 {
            let tenth = |range: std::ops::Range<usize>| {
                let v: Vec<f64> = order[range].iter().map(|&i| y[i]).collect();
                v.iter().sum::<f64>() / v.len() as f64
            };
            let (lo, hi) = (tenth(0..n / 10), tenth(n - n / 10..n));
            assert!((r.low_mean - lo).abs() < 0.03 * sd, "{}: low", c.key);
            assert!((r.high_mean - hi).abs() < 0.03 * sd, "{}: high", c.key);
        }
        checked += 1;
    }
    // Every kind was there: inputs of the person, the path, its roles, a factor, events.
    for key in [
        "person.salary",
        "person.annual_raise",
        "person.unemployment_months",
        "paths.masters.costs.tuition_per_year",
        "paths.masters.financing.private_rate",
        "roles.ml_engineer.salary",
        "roles.data_scientist.annual_raise",
        "factors.ability",
        "placed",
        "role",
    ] {
        assert!(list.iter().any(|c| c.key == key), "{key} not a candidate");
    }
    assert!(checked >= 20, "{checked}");
    // Being placed decides most here, and the factor matters (it moves placement and pay).
    assert_eq!(rows[0].input, "role");
    assert!(
        rows.iter()
            .find(|r| r.input == "factors.ability")
            .unwrap()
            .importance
            > 0.02
    );
}

#[test]
fn outputs_are_byte_identical_for_any_thread_count() {
    let m = model(REALISTIC);
    let one = run(&m, 6_000, 1);
    let three = run(&m, 6_000, 3);
    assert!(!one.sensitivity.is_empty() && !one.outcomes.is_empty());
    assert_eq!(csv::sensitivity(&one), csv::sensitivity(&three));
    assert_eq!(csv::outcomes(&one), csv::outcomes(&three));
    assert_eq!(csv::summary(&one), csv::summary(&three));
    // And to a single accumulator fed trial by trial.
    let mut acc = SensAcc::new(&m);
    let (mut scratch, mut out) = (Scratch::new(&m), TrialOutcome::new(&m));
    for i in 0..6_000 {
        run_trial::<Gen>(&m, trial_key(11, i), &mut scratch, &mut out);
        acc.push(&out);
    }
    assert_eq!(acc.summarize(&m), one.sensitivity);
}

#[test]
fn outcomes_split_every_life_once() {
    let m = model(REALISTIC);
    let s = run(&m, 6_000, 2);
    let rows: Vec<_> = s.outcomes.iter().filter(|r| r.path == "masters").collect();
    let names: Vec<&str> = rows.iter().map(|r| r.outcome).collect();
    assert_eq!(names, ["placed", "declined", "not_placed", "dropped_out"]);
    let p = &s.paths[1];
    assert_eq!(rows.iter().map(|r| r.trials).sum::<u64>(), 6_000);
    assert!((rows.iter().map(|r| r.share).sum::<f64>() - 1.0).abs() < 1e-12);
    assert!((rows[0].share - p.placement_rate).abs() < 1e-12);
    assert!((rows[1].share - p.declined_rate).abs() < 1e-12);
    assert!((rows[3].share - (1.0 - p.completion_rate)).abs() < 1e-12);
    // The groups' means average to the path's mean.
    let mean: f64 = rows
        .iter()
        .filter(|r| r.trials > 0)
        .map(|r| r.share * r.mean)
        .sum();
    assert!((mean - p.net.mean).abs() < 1.0, "{mean} vs {}", p.net.mean);
    // Only a placed life beats staying put here.
    assert!(rows[0].prob_beats_baseline > 0.5);
    assert_eq!(rows[3].prob_beats_baseline, 0.0);
    // Each outcome's histogram counts its own lives on the path's bins.
    for r in &rows {
        assert_eq!(r.histogram.len(), p.histogram.len());
        assert_eq!(r.histogram.iter().map(|b| b.count).sum::<u64>(), r.trials);
    }
    // Break-even among those that do comes no later than over every life.
    let ever = p.breakeven_p50_years_if_ever.unwrap();
    assert!(p.breakeven_p50_years.is_none_or(|all| ever <= all));
    // Net return after 10, 15, 20 and 30 years (38-year horizon): medians from the
    // timeline, shares ahead rising towards the lifetime share.
    let years: Vec<u32> = p.milestones.iter().map(|m| m.years).collect();
    assert_eq!(years, [10, 15, 20, 30]);
    assert_eq!(p.milestones[0].p50, p.timeline[9].p50);
    // Ten years from 27 run through age 36: the age timeline.csv gives that year.
    assert_eq!(p.milestones[0].age, 36);
    assert_eq!(p.milestones[0].age, p.timeline[9].age);
    assert!(p.milestones[3].prob_ahead <= p.prob_beats_baseline + 0.01);
}
