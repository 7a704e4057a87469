//! Runs many trials of the benchmark scenario on one thread, for a profiler:
//! `perf record ./target/release/examples/profile_trials 300000` (NOSTATS=1: simulation only).
use worthit::model::rng::Gen;
use worthit::model::{Model, Scratch, TrialOutcome, run_trial};
use worthit::stats::accumulate::RunStats;
fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50_000);
    let s = worthit::scenario::load(std::path::Path::new("scenarios/analyst.toml")).unwrap();
    let m = Model::new(&s);
    let (mut sc, mut out, mut st) = (Scratch::new(&m), TrialOutcome::new(&m), RunStats::new(&m));
    // Read once: a lookup of the environment in the loop counted some 270 instructions a trial.
    let stats = std::env::var_os("NOSTATS").is_none();
    for k in 0..n {
        run_trial::<Gen>(&m, k.wrapping_mul(0x9e3779b97f4a7c15), &mut sc, &mut out);
        if stats {
            st.push(&out);
        }
    }
    println!("{}", st.trials());
}
