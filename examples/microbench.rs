//! Per-operation timings (ns) of the pieces of a trial: a tax bill, a sampled raise, a salary
//! draw, a whole trial. `cargo run --release --example microbench`.
use rand::SeedableRng;
use std::hint::black_box;
use std::time::Instant;
use worthit::model::inputs::PersonInput;
use worthit::model::rng::Gen;
use worthit::model::{Model, Scratch, TrialOutcome, run_trial};
fn main() {
    let s = worthit::scenario::load(std::path::Path::new("scenarios/analyst.toml")).unwrap();
    let m = Model::new(&s);
    let n = 20_000_000u64;
    let t = Instant::now();
    let mut acc = 0.0;
    for i in 0..n {
        acc += m.tax.tax(black_box(40_000.0 + (i % 1000) as f64 * 100.0));
    }
    black_box(acc);
    println!("tax: {:.2} ns", t.elapsed().as_nanos() as f64 / n as f64);
    let d = &m.inputs.get(m.person.input(PersonInput::AnnualRaise)).dist;
    let mut rng = Gen::seed_from_u64(1);
    let t = Instant::now();
    let mut acc = 0.0;
    for _ in 0..n {
        acc += d.sample(&mut rng);
    }
    black_box(acc);
    println!(
        "Dist::sample (raise, {:?}): {:.2} ns",
        std::mem::discriminant(d),
        t.elapsed().as_nanos() as f64 / n as f64
    );
    let d = &m.inputs.get(m.person.input(PersonInput::Salary)).dist;
    let t = Instant::now();
    for _ in 0..n {
        acc += d.sample(&mut rng);
    }
    black_box(acc);
    println!(
        "Dist::sample (salary): {:.2} ns",
        t.elapsed().as_nanos() as f64 / n as f64
    );
    let (mut sc, mut out) = (Scratch::new(&m), TrialOutcome::new(&m));
    let k = 200_000u64;
    let t = Instant::now();
    for i in 0..k {
        run_trial::<Gen>(&m, i.wrapping_mul(0x9e3779b97f4a7c15), &mut sc, &mut out);
    }
    println!(
        "trial: {:.0} ns (horizon {}, {} paths)",
        t.elapsed().as_nanos() as f64 / k as f64,
        m.horizon,
        m.paths.len()
    );
}
