//! Summaries for the report's tests, made by running small scenarios through the real
//! pipeline (load, model, engine, statistics), so that the charts and the page are tested on
//! what a run really produces, not on hand-made numbers that could drift from it.

use std::path::Path;
use std::sync::OnceLock;

use crate::engine;
use crate::model::Model;
use crate::scenario::{self, Assumption, Scenario};
use crate::stats::summary::{ScenarioSummary, TimelinePoint};

/// A data analyst weighing three paths against staying put: loans, a placement risk, a
/// self-study path that rarely changes anything, so every chart has work to do.
const REALISTIC: &str = r#"
name = "Data analyst, 27, Columbus OH"
description = "A data analyst earning $72,000 weighs an ML master's, a bootcamp or self-study against staying put."
[simulation]
trials = 6_000
seed = 42
[tax]
effective_rate = 0.24
[person]
age = 27
retirement_age = 65
salary = { dist = "lognormal", median = 72_000, p90 = 95_000 }
annual_raise = { dist = "normal", mean = 0.012, sd = 0.02 }
unemployment_rate = 0.03
unemployment_months = { dist = "uniform", min = 1, max = 6 }
[roles.ml_engineer]
label = "ML engineer"
salary = { dist = "lognormal", median = 120_883, p90 = 170_000 }
annual_raise = { dist = "normal", mean = 0.025, sd = 0.02 }
[roles.data_scientist]
label = "Data scientist"
salary = { dist = "lognormal", p25 = 82_630, p75 = 155_810 }
annual_raise = 0.02
[paths.stay]
label = "Stay as a data analyst"
baseline = true
[paths.masters]
label = "In-person ML master's"
description = "Two years full-time, federal loans."
duration_months = 24
completion = { dist = "beta", mean = 0.85, sd = 0.05 }
placement = { dist = "beta", mean = 0.75, sd = 0.08 }
search_months = { dist = "uniform", min = 1, max = 9 }
fallback_months = { dist = "uniform", min = 1, max = 4 }
roles = { ml_engineer = 0.6, data_scientist = 0.4 }
promotion_rate = 0.1
promotion_raise = 0.2
[paths.masters.costs]
tuition_per_year = { dist = "triangular", min = 12_171, mode = 27_776, max = 52_000 }
living_extra_per_month = 1_000
[paths.masters.financing]
savings = 15_000
federal = true
federal_rate = 0.0794
private_rate = { dist = "uniform", min = 0.045, max = 0.148 }
[paths.bootcamp]
label = "Bootcamp"
duration_months = 4
completion = { dist = "beta", mean = 0.8, sd = 0.08 }
placement = { dist = "beta", mean = 0.45, sd = 0.1 }
search_months = { dist = "uniform", min = 3, max = 6 }
fallback_months = 2
roles = { data_scientist = 1 }
salary_premium = -0.1
[paths.bootcamp.costs]
one_time = 15_000
[paths.self_study]
label = "Self-study"
duration_months = 12
work_fraction = 1
completion = 0.5
placement = 0.15
roles = { data_scientist = 1 }
salary_premium = -0.15
"#;

/// The smallest scenario the charts must survive: one path besides staying put, every trial
/// the same (fixed inputs), a horizon of one year.
const DEGENERATE: &str = r#"
name = "Degenerate"
[simulation]
trials = 10
seed = 0
[person]
age = 64
retirement_age = 65
salary = 50_000
[roles.same]
salary = 50_000
[paths.stay]
baseline = true
[paths.only]
duration_months = 12
work_fraction = 1
roles = { same = 1 }
[paths.only.costs]
one_time = 1_000
"#;

fn run(src: &str, stem: &str) -> (ScenarioSummary, Scenario) {
    let sc = scenario::load_str(src, Path::new(&format!("{stem}.toml")))
        .unwrap_or_else(|e| panic!("fixture scenario: {e}"));
    let model = Model::new(&sc);
    let stats = engine::run(&model, sc.simulation.trials, sc.simulation.seed, 2, None)
        .expect("a finite run");
    (stats.summarize(&model, &crate::app::about(&sc)), sc)
}

fn realistic_run() -> &'static (ScenarioSummary, Scenario) {
    static RUN: OnceLock<(ScenarioSummary, Scenario)> = OnceLock::new();
    RUN.get_or_init(|| run(REALISTIC, "analyst"))
}

/// A realistic scenario: staying put and three retraining paths, 6,000 trials.
pub(crate) fn realistic() -> ScenarioSummary {
    realistic_run().0.clone()
}

/// The assumptions of the realistic scenario (some left at their defaults).
pub(crate) fn assumptions() -> Vec<Assumption> {
    realistic_run().1.assumptions.clone()
}

/// The degenerate scenario's summary.
pub(crate) fn degenerate() -> ScenarioSummary {
    static RUN: OnceLock<ScenarioSummary> = OnceLock::new();
    RUN.get_or_init(|| run(DEGENERATE, "degenerate").0).clone()
}

/// A scenario with eleven paths besides staying put (the most a scenario may have), for the
/// charts and tables that must stay readable with many paths.
pub(crate) fn many() -> ScenarioSummary {
    static RUN: OnceLock<ScenarioSummary> = OnceLock::new();
    RUN.get_or_init(|| {
        const NAMES: [(&str, &str); 11] = [
            ("masters_in_person", "Full-time ML master's, in person"),
            ("masters_online", "Part-time online master's while working"),
            ("bootcamp", "Full-time data-science bootcamp"),
            ("self_study", "Self-study while working"),
            ("masters_abroad", "Full-time master's abroad, lower tuition"),
            ("phd", "Funded PhD in machine learning"),
            ("certificate", "University certificate, evenings"),
            ("bootcamp_part_time", "Part-time bootcamp while working"),
            ("masters_employer", "Employer-sponsored master's"),
            ("internal_move", "Internal transfer with mentoring"),
            ("mba", "MBA with an analytics track"),
        ];
        let mut src = String::from(
            "name = \"Analyst, 27: eleven ways into machine learning\"\n\
             [simulation]\ntrials = 2_000\nseed = 7\n[tax]\neffective_rate = 0.24\n\
             [person]\nage = 27\nretirement_age = 65\n\
             salary = { dist = \"lognormal\", median = 72_000, p90 = 95_000 }\n\
             [roles.ml]\nlabel = \"ML engineer\"\n\
             salary = { dist = \"lognormal\", median = 115_000, p90 = 165_000 }\n\
             annual_raise = 0.02\n[paths.stay]\nlabel = \"Keep the current job\"\nbaseline = true\n",
        );
        for (i, (key, label)) in NAMES.iter().enumerate() {
            let f = i as f64;
            src.push_str(&format!(
                "[paths.{key}]\nlabel = \"{label}\"\nduration_months = {}\nwork_fraction = {}\n\
                 completion = {}\nplacement = {}\nsearch_months = {{ dist = \"uniform\", min = 1, max = 6 }}\n\
                 roles = {{ ml = 1 }}\nsalary_premium = {}\n[paths.{key}.costs]\none_time = {}\n",
                6 + 3 * (i % 6),
                if i % 2 == 0 { "0" } else { "1" },
                (0.95 - 0.03 * f).max(0.5),
                (0.75 - 0.05 * f).max(0.15),
                -0.1 + 0.02 * f,
                5_000 + 4_000 * i,
            ));
        }
        run(&src, "many").0
    })
    .clone()
}

/// A year of a timeline whose lives are all alike at that age: every quantile `p50` (the
/// 10th percentile too, unless the test sets it), at `age`, `year` years from the decision.
pub(crate) fn flat_point(year: u32, age: u32, p50: f64) -> TimelinePoint {
    TimelinePoint {
        year,
        age,
        p10: p50,
        p25: p50,
        p50,
        p75: p50,
        p90: p50,
    }
}
