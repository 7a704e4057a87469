//! Trials per second on the bundled analyst scenario (`scenarios/analyst.toml`: four paths
//! against staying put, 38 years, loans, factors), where the time goes, and the floor set by
//! random number generation.
//!
//! `cargo bench` prints, before criterion's own measurements, one table (the README quotes
//! it): trials per second of the whole engine on one thread and on every core, and the cost
//! of each stage of a trial on one thread: simulating a life on every path, the extra draws
//! of the sensitivity analysis, the statistics, the sensitivity analysis's statistics, and
//! the charts of a run; and the floor: the random words a trial draws (counted by wrapping
//! the generator) times the cost of one, and of as many standard normals.

use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group};
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, StandardNormal};
use worthit::engine;
use worthit::model::rng::{Counting, Gen, counted_draws};
use worthit::model::{Model, Scratch, TrialOutcome, run_trial};
use worthit::stats::accumulate::RunStats;
use worthit::stats::sensitivity::SensAcc;

/// Seconds per call of `f`, the best of `rounds` rounds (the machine may be shared: the
/// fastest round is the one least disturbed).
fn best_of(rounds: usize, mut f: impl FnMut()) -> f64 {
    (0..rounds)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

/// The table of where the time goes, printed to stderr as Markdown.
fn cost_split(m: &Model) {
    const N: u64 = 100_000;
    const ROUNDS: usize = 5;
    let key = |i: u64| worthit::model::rng::trial_key(1, i);
    let mut scratch = Scratch::new(m);
    let us = |s: f64| s / N as f64 * 1e6;

    // A life on every path, without and with the sensitivity analysis's extra draws, in
    // alternating rounds (a shared machine's speed drifts; the difference is what counts).
    let mut bare = TrialOutcome::bare(m);
    let mut full = TrialOutcome::new(m);
    let (mut simulate, mut with_cand) = (f64::INFINITY, f64::INFINITY);
    for _ in 0..ROUNDS {
        simulate = simulate.min(us(best_of(1, || {
            for i in 0..N {
                run_trial::<Gen>(m, key(i), &mut scratch, &mut bare);
            }
            black_box(&bare);
        })));
        with_cand = with_cand.min(us(best_of(1, || {
            for i in 0..N {
                run_trial::<Gen>(m, key(i), &mut scratch, &mut full);
            }
            black_box(&full);
        })));
    }

    // Statistics, on recorded trials: everything, and the sensitivity analysis alone.
    let recorded: Vec<TrialOutcome> = (0..4096)
        .map(|i| {
            run_trial::<Gen>(m, key(i), &mut scratch, &mut full);
            full.clone()
        })
        .collect();
    let all_stats = us(best_of(ROUNDS, || {
        let mut st = RunStats::new(m);
        for i in 0..N as usize {
            st.push(&recorded[i % recorded.len()]);
        }
        black_box(&st);
    }));
    let sens = us(best_of(ROUNDS, || {
        let mut st = SensAcc::new(m);
        for i in 0..N as usize {
            st.push(&recorded[i % recorded.len()]);
        }
        black_box(&st);
    }));

    // The engine, whole: trials, every statistic, the merges; one thread and every core.
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let engine = |threads: usize| {
        let trials = 200_000;
        let s = best_of(ROUNDS, || {
            black_box(engine::run(m, trials, 1, threads, None).expect("finite trials"));
        });
        trials as f64 / s
    };
    let (one, all) = (engine(1), engine(cores));

    // The charts of one run (every PNG), from its summary.
    let stats = engine::run(m, 20_000, 1, cores, None).expect("finite trials");
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/analyst.toml");
    let sc = worthit::scenario::load(&file).unwrap_or_else(|e| panic!("{e}"));
    let summary = stats.summarize(m, &worthit::app::about(&sc));
    let mut figures = 0;
    let charts = best_of(ROUNDS, || {
        figures = worthit::report::artifacts::figures(&summary)
            .expect("charts render")
            .len();
    });

    let (draws, ns_word, ns_normal) = floor(m);
    let trial = with_cand + all_stats;
    let row = |what: &str, x: f64| eprintln!("| {what} | {x:.2} µs | {:.0}% |", 100.0 * x / trial);
    eprintln!("\n| analyst, one thread | per trial | share |\n|---|---|---|");
    row("simulate a life on every path", simulate);
    row(
        "sensitivity analysis: its extra draws",
        with_cand - simulate,
    );
    row(
        "statistics (all but the sensitivity analysis)",
        all_stats - sens,
    );
    row("sensitivity analysis: its statistics", sens);
    eprintln!("| **a trial, all outputs** | **{trial:.2} µs** | 100% |");
    eprintln!(
        "| engine, 1 thread | {one:.0} trials/s | |\n| engine, {cores} threads | {all:.0} trials/s | {:.2}x |",
        all / one
    );
    eprintln!(
        "| charts of a run ({figures} PNG files) | {:.0} ms per run | |",
        charts * 1e3
    );
    row(
        &format!("floor: {draws:.0} random words a trial ({ns_word:.2} ns each)"),
        draws * ns_word / 1e3,
    );
    row(
        &format!("floor: as many standard normals ({ns_normal:.2} ns each)"),
        draws * ns_normal / 1e3,
    );
    eprintln!();
}

fn model() -> Model {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/analyst.toml");
    let s = worthit::scenario::load(&file).unwrap_or_else(|e| panic!("{e}"));
    Model::new(&s)
}

/// The floor set by random numbers: words drawn per trial (counted by wrapping the
/// generator), and the cost of one word and of one standard normal (ziggurat) from a
/// SplitMix64 stream.
fn floor(m: &Model) -> (f64, f64, f64) {
    let trials = 100_000u64;
    let (mut scratch, mut out) = (Scratch::new(m), TrialOutcome::new(m));
    let before = counted_draws();
    for key in 0..trials {
        run_trial::<Counting<Gen>>(
            m,
            key.wrapping_mul(0x9e37_79b9_7f4a_7c15),
            &mut scratch,
            &mut out,
        );
    }
    let draws = (counted_draws() - before) as f64 / trials as f64;
    let n = 20_000_000u64;
    let mut rng = Gen::seed_from_u64(7);
    let ns_word = best_of(3, || {
        let mut acc = 0u64;
        for _ in 0..n {
            acc = acc.wrapping_add(rng.next_u64());
        }
        black_box(acc);
    }) * 1e9
        / n as f64;
    let ns_normal = best_of(3, || {
        let mut sum = 0.0f64;
        for _ in 0..n {
            let z: f64 = StandardNormal.sample(&mut rng);
            sum += z;
        }
        black_box(sum);
    }) * 1e9
        / n as f64;
    (draws, ns_word, ns_normal)
}

fn benches(c: &mut Criterion) {
    let m = model();
    cost_split(&m);

    let mut g = c.benchmark_group("trial");
    g.throughput(Throughput::Elements(1));
    let (mut scratch, mut out) = (Scratch::new(&m), TrialOutcome::new(&m));
    let mut key = 0u64;
    g.bench_function("simulate", |b| {
        b.iter(|| {
            key = key.wrapping_add(0x9e37_79b9_7f4a_7c15);
            run_trial::<Gen>(&m, key, &mut scratch, &mut out);
            black_box(&out);
        })
    });
    let mut stats = RunStats::new(&m);
    g.bench_function("simulate_and_accumulate", |b| {
        b.iter(|| {
            key = key.wrapping_add(0x9e37_79b9_7f4a_7c15);
            run_trial::<Gen>(&m, key, &mut scratch, &mut out);
            stats.push(&out);
        })
    });
    g.finish();

    let trials = 100_000u64;
    let mut g = c.benchmark_group("engine");
    g.throughput(Throughput::Elements(trials));
    g.sample_size(10);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for threads in [1, cores] {
        g.bench_with_input(BenchmarkId::new("threads", threads), &threads, |b, &t| {
            b.iter(|| engine::run(&m, trials, 1, t, None).expect("pool"))
        });
    }
    g.finish();
}

criterion_group!(group, benches);

fn main() {
    group();
    Criterion::default().configure_from_args().final_summary();
}
