//! Common random numbers by construction: every input and every event draws from its own
//! stream, so changing, fixing or removing one input never moves another input's draws.

use std::path::Path;

use worthit::engine;
use worthit::model::Model;
use worthit::report::csv;
use worthit::scenario::{self, Override, Scenario};
use worthit::stats::summary::ScenarioSummary;

const BASE: &str = r#"
[simulation]
trials = 6_000
seed = 11
[economy]
discount_rate = { dist = "uniform", min = 0.02, max = 0.04 }
[tax]
effective_rate = 0.2
[person]
age = 30
retirement_age = 50
salary = { dist = "lognormal", median = 70_000, p90 = 90_000 }
annual_raise = { dist = "normal", mean = 0.01, sd = 0.02 }
unemployment_rate = 0.04
unemployment_months = { dist = "uniform", min = 1, max = 6 }
[roles.ml]
salary = { dist = "lognormal", median = 110_000, p90 = 150_000 }
annual_raise = { dist = "normal", mean = 0.02, sd = 0.02 }
unemployment_rate = 0.03
unemployment_months = 3
[roles.ds]
salary = { dist = "lognormal", median = 95_000, p90 = 130_000 }
[paths.stay]
baseline = true
[paths.masters]
duration_months = { dist = "uniform", min = 20, max = 26 }
completion = { dist = "beta", mean = 0.85, sd = 0.05 }
placement = { dist = "beta", mean = 0.7, sd = 0.1 }
search_months = { dist = "uniform", min = 1, max = 8 }
fallback_months = 3
roles = { ml = 0.6, ds = 0.4 }
promotion_rate = 0.1
promotion_raise = 0.15
[paths.masters.costs]
tuition_per_year = { dist = "triangular", min = 12_000, mode = 28_000, max = 52_000 }
[paths.masters.financing]
federal = true
federal_rate = 0.0794
private_rate = { dist = "uniform", min = 0.05, max = 0.14 }
[paths.bootcamp]
duration_months = 4
completion = { dist = "beta", mean = 0.8, sd = 0.08 }
placement = { dist = "beta", mean = 0.5, sd = 0.1 }
search_months = { dist = "uniform", min = 2, max = 6 }
roles = { ds = 1 }
[paths.bootcamp.costs]
one_time = 14_000
"#;

fn run(sc: &Scenario) -> ScenarioSummary {
    let m = Model::new(sc);
    let stats = engine::run(&m, sc.simulation.trials, sc.simulation.seed, 2, None).unwrap();
    stats.summarize(&m, &worthit::app::about(sc))
}

fn load(src: &str) -> Scenario {
    scenario::load_str(src, Path::new("streams.toml")).unwrap_or_else(|e| panic!("{e}"))
}

fn set(key: &str, value: &str) -> Scenario {
    let o = Override {
        key: key.into(),
        value: value.into(),
    };
    scenario::load_with(BASE, Path::new("streams.toml"), &[o]).unwrap_or_else(|e| panic!("{e}"))
}

/// A path's rows of summary.csv, as text: every digit.
fn row(s: &ScenarioSummary, path: &str) -> String {
    let csv = String::from_utf8(csv::summary(s)).unwrap();
    csv.lines()
        .find(|l| l.split(',').nth(1) == Some(path))
        .unwrap()
        .to_string()
}

fn field(row: &str, i: usize) -> String {
    row.split(',').nth(i).unwrap().to_string()
}

// summary.csv columns: completion_rate is column 16, placement_rate 17.
const COMPLETION: usize = 16;
const PLACEMENT: usize = 17;

#[test]
fn fixing_tuition_moves_nothing_else() {
    let base = run(&load(BASE));
    let fixed = run(&set("paths.masters.costs.tuition_per_year", "28_000"));
    // The master's own events are the same lives...
    let (a, b) = (row(&base, "masters"), row(&fixed, "masters"));
    assert_eq!(field(&a, COMPLETION), field(&b, COMPLETION));
    assert_eq!(field(&a, PLACEMENT), field(&b, PLACEMENT));
    // ...its money differs (tuition changed)...
    assert_ne!(a, b);
    // ...and every other path's row is identical to the last digit.
    assert_eq!(row(&base, "bootcamp"), row(&fixed, "bootcamp"));
    assert_eq!(row(&base, "stay"), row(&fixed, "stay"));
}

#[test]
fn a_probability_of_0_or_1_shifts_nothing_else() {
    let base = run(&load(BASE));
    for p in ["1", "0"] {
        let pinned = run(&set("paths.masters.placement", p));
        let (a, b) = (row(&base, "masters"), row(&pinned, "masters"));
        // Completion is its own stream: the same share finish.
        assert_eq!(
            field(&a, COMPLETION),
            field(&b, COMPLETION),
            "placement {p}"
        );
        assert_eq!(
            row(&base, "bootcamp"),
            row(&pinned, "bootcamp"),
            "placement {p}"
        );
    }
    // Pinning completion leaves the other path, and the master's placement among finishers
    // of the lives that finished either way, alone.
    let sure = run(&set("paths.masters.completion", "1"));
    assert_eq!(row(&base, "bootcamp"), row(&sure, "bootcamp"));
}

#[test]
fn changing_a_role_on_one_path_leaves_the_paths_that_cannot_land_it() {
    let base = run(&load(BASE));
    let richer = run(&set(
        "roles.ml.salary",
        "{ dist = \"lognormal\", median = 150_000, p90 = 200_000 }",
    ));
    // The bootcamp leads only to `ds`: unchanged.
    assert_eq!(row(&base, "bootcamp"), row(&richer, "bootcamp"));
    assert_ne!(row(&base, "masters"), row(&richer, "masters"));
}

#[test]
fn adding_or_reordering_paths_changes_no_other_path() {
    let base = run(&load(BASE));
    let extra = format!(
        "{BASE}\n[paths.self_study]\nduration_months = 6\nwork_fraction = 1\ncompletion = 0.5\nplacement = 0.2\nroles = {{ ds = 1 }}\n"
    );
    let more = run(&load(&extra));
    assert_eq!(row(&base, "masters"), row(&more, "masters"));
    assert_eq!(row(&base, "bootcamp"), row(&more, "bootcamp"));
}

#[test]
fn an_override_is_the_same_run_as_the_edited_file() {
    let edited = BASE.replace(
        "placement = { dist = \"beta\", mean = 0.7, sd = 0.1 }",
        "placement = { dist = \"beta\", mean = 0.6, sd = 0.1 }",
    );
    let a = run(&load(&edited));
    let b = run(&set("paths.masters.placement.mean", "0.6"));
    assert_eq!(csv::summary(&a), csv::summary(&b));
    assert_eq!(csv::pairwise(&a), csv::pairwise(&b));
}
