//! A scenario for the tests of the searches' shortcuts: two alternatives with random chances,
//! a factor that loads both events and the roles' salaries, loans; short careers, so that
//! every evaluation of a search also runs in full in an unoptimised test build.

use std::path::Path;

use crate::scenario::questions::{Metric, Threshold};
use crate::scenario::schema::Unit;
use crate::sweep::Setup;
use crate::threshold::{Crossing, Evaluation, ThresholdResult, search_with};

/// The scenario.
pub const TWO_PATHS: &str = r#"
[simulation]
trials = 1_500
seed = 11
[economy]
discount_rate = 0.03
inflation = 0.02
[tax]
effective_rate = 0.25
[person]
age = 30
retirement_age = 42
salary = { dist = "lognormal", median = 60_000, p90 = 80_000 }
annual_raise = { dist = "normal", mean = 0.01, sd = 0.02 }
unemployment_rate = 0.05
unemployment_months = { dist = "uniform", min = 1, max = 6 }
[roles.mle]
salary = { dist = "lognormal", median = 95_000, p90 = 140_000 }
annual_raise = 0.02
[factors.ability]
loadings = { "paths.*.completion" = 0.5, "paths.*.placement" = 0.4, "roles.*.salary" = 0.3 }
[paths.stay]
baseline = true
[paths.masters]
duration_months = 12
completion = { dist = "beta", mean = 0.8, sd = 0.05 }
placement = { dist = "beta", mean = 0.7, sd = 0.1 }
search_months = { dist = "uniform", min = 0, max = 6 }
fallback_months = 2
roles = { mle = 1 }
[paths.masters.costs]
tuition_per_year = { dist = "uniform", min = 20_000, max = 40_000 }
[paths.masters.financing]
savings = 5_000
federal = true
federal_rate = 0.0794
private_rate = 0.09
[paths.bootcamp]
duration_months = 4
completion = 0.85
placement = { dist = "beta", mean = 0.5, sd = 0.1 }
search_months = { dist = "uniform", min = 1, max = 6 }
fallback_months = 1
roles = { mle = 1 }
salary_premium = -0.1
[paths.bootcamp.costs]
one_time = 12_000
"#;

/// A threshold on `key` of the master's, from 0.05 to 1.
pub fn question(key: &str, versus: Option<&str>, metric: Metric, target: f64) -> Threshold {
    Threshold {
        key: key.into(),
        from: 0.05,
        to: 1.0,
        path: "masters".into(),
        versus: versus.map(String::from),
        metric,
        target,
    }
}

/// The scenario's bytes, read on two threads.
pub fn setup() -> Setup<'static> {
    Setup {
        bytes: TWO_PATHS.as_bytes(),
        file: Path::new("two.toml"),
        overrides: &[],
        threads: 2,
    }
}

/// Answers `q` with the shortcuts and with every evaluation run in full, checks that both
/// made the same evaluations and gave the same answer, and returns it.
pub fn same_answer(setup: &Setup<'_>, q: &Threshold) -> ThresholdResult {
    let (mut fast, mut full) = (Vec::<Evaluation>::new(), Vec::<Evaluation>::new());
    let a = search_with(setup, "test", q, None, |e| fast.push(*e), true).unwrap();
    let b = search_with(setup, "test", q, None, |e| full.push(*e), false).unwrap();
    assert!(a.evaluations() > 4, "{}: a real search", q.key);
    assert_eq!(fast, full, "{}: every evaluation", q.key);
    assert_eq!(a, b, "{}", q.key);
    a
}

/// A threshold's answer on `paths.m.placement` searched from 0.1 to 0.9, with the figure
/// `at` both ends (intervals of no width), for the tests of its words, chart and page.
pub fn result(
    metric: Metric,
    target: f64,
    at: (f64, f64),
    crossing: Option<Crossing>,
) -> ThresholdResult {
    let e = |value, metric| Evaluation {
        value,
        metric,
        ci: (metric, metric),
    };
    ThresholdResult {
        question: Threshold {
            key: "paths.m.placement".into(),
            from: 0.1,
            to: 0.9,
            path: "m".into(),
            versus: None,
            metric,
            target,
        },
        scenario: "s".into(),
        stem: "s".into(),
        path_label: "The master's".into(),
        versus_label: None,
        baseline_label: "Stay".into(),
        key_words: "placement".into(),
        unit: Unit::Share,
        at_from: e(0.1, at.0),
        at_to: e(0.9, at.1),
        crossing,
        tried: vec![e(0.1, at.0), e(0.9, at.1)],
        trials: 100,
        seed: 1,
        assumed: None,
        assumed_value: None,
    }
}
