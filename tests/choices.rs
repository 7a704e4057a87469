//! The person's choices: an offer worth less than the old career is declined, so a free
//! search can only help; searching while keeping the job earns.

use std::path::Path;

use worthit::engine;
use worthit::model::Model;
use worthit::scenario;

/// A free one-month search (no cost, the job kept: `work_fraction = 1`) for a role whose pay
/// is a lognormal around the current pay, with the same raises as today's job.
const FREE_SEARCH: &str = r#"
[simulation]
trials = 20_000
seed = 5
[tax]
effective_rate = 0.25
[person]
age = 30
retirement_age = 65
salary = 80_000
annual_raise = 0.015
[roles.same_field]
salary = { dist = "lognormal", median = 80_000, p90 = 110_000 }
annual_raise = 0.015
[paths.stay]
baseline = true
[paths.look_around]
duration_months = 1
work_fraction = 1
search_months = 1
roles = { same_field = 1 }
"#;

#[test]
fn a_free_search_never_loses_money() {
    let sc = scenario::load_str(FREE_SEARCH, Path::new("free.toml")).unwrap();
    let m = Model::new(&sc);
    let stats = engine::run(&m, sc.simulation.trials, sc.simulation.seed, 2, None).unwrap();
    let s = stats.summarize(&m, &worthit::app::about(&sc));
    let p = &s.paths[1];
    // Half the offers are below today's pay and declined (the person keeps the job and loses
    // nothing); the others are taken and gain.
    assert!(p.net.q.p10 >= 0.0, "p10 {}", p.net.q.p10);
    assert!(p.net.min >= 0.0, "min {}", p.net.min);
    assert!(
        (p.declined_rate - 0.5).abs() < 0.02,
        "declined {}",
        p.declined_rate
    );
    assert!((p.placement_rate + p.declined_rate - 1.0).abs() < 1e-12);
    // With random raises the accepted careers can do worse than expected, but the declines
    // still keep most lives at or above zero.
    let noisy = FREE_SEARCH.replace(
        "annual_raise = 0.015",
        "annual_raise = { dist = \"normal\", mean = 0.015, sd = 0.02 }",
    );
    let sc = scenario::load_str(&noisy, Path::new("free.toml")).unwrap();
    let m = Model::new(&sc);
    let stats = engine::run(&m, sc.simulation.trials, sc.simulation.seed, 2, None).unwrap();
    let s = stats.summarize(&m, &worthit::app::about(&sc));
    assert!(s.paths[1].net.q.p10 >= 0.0, "p10 {}", s.paths[1].net.q.p10);
}
