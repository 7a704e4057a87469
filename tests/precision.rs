//! The precision of a run's figures: the 95% intervals cover the long-run values in about 95%
//! of runs, and a run to a target precision stops at a point that depends only on the seed,
//! the target and the cap.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use rand::{RngExt, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use tempfile::TempDir;
use worthit::model::Model;
use worthit::precision_run::{Stopped, run_until};
use worthit::scenario;
use worthit::stats::Sketch;
use worthit::stats::precision::{Interval, median_ranks, wilson};
use worthit::stats::summary::ScenarioSummary;

/// Ten years; one alternative that beats staying put exactly when it is completed, which
/// happens with probability 0.3 and nothing else: so P(beats) is 0.3 exactly. A completer
/// loses a year of a $60,000 salary and then earns $100,000 for nine; a dropout loses the
/// months studied (drawn uniformly) and earns $60,000 again, so the net return is continuous
/// among dropouts and its mean is not known in closed form.
const KNOWN: &str = r#"
name = "A known share"
[tax]
effective_rate = 0.25
[person]
age = 30
retirement_age = 40
salary = 60_000
[roles.new_job]
salary = 100_000
[paths.stay]
baseline = true
[paths.course]
duration_months = 12
completion = 0.3
roles = { new_job = 1 }
"#;

fn known() -> (scenario::Scenario, Model) {
    let sc = scenario::load_str(KNOWN, Path::new("known.toml")).expect("a valid scenario");
    let m = Model::new(&sc);
    (sc, m)
}

fn summarize(trials: u64, seed: u64) -> ScenarioSummary {
    let (sc, m) = known();
    let out = run_until(&m, trials, seed, None, 1, None).expect("a finite run");
    out.stats.summarize(&m, &worthit::app::about(&sc))
}

fn covers(ci: &Interval, x: f64) -> bool {
    ci.lo <= x && x <= ci.hi
}

/// Of 200 runs, how many intervals cover: binomial(200, 0.95) has mean 190 and sd 3.1, so
/// 182 to 198 (91% to 99%) holds with probability above 99.6% when the coverage is 95%, and
/// fails for an interval of 90% coverage (mean 180) or of 99.9% (mean 199.8).
const RUNS: u64 = 200;
const COVER: std::ops::RangeInclusive<u64> = 182..=198;

#[test]
fn the_intervals_of_p_beats_and_of_the_mean_cover_about_95_percent_of_runs() {
    // The long-run mean net return, from 2 million trials: its own standard error is 1/32 of
    // that of a 2,000-trial run, so it stands in for the true mean.
    let long = summarize(2_000_000, 99);
    let course = &long.paths[1];
    assert!((course.prob_beats_baseline - 0.3).abs() < 0.002);
    assert_eq!(course.prob_beats_baseline, course.completion_rate);
    let true_mean = course.net.mean;

    let (mut share_covered, mut mean_covered) = (0, 0);
    for seed in 1..=RUNS {
        let s = summarize(2_000, seed);
        let p = &s.paths[1];
        // A completer always beats staying put, a dropout never does.
        assert_eq!(p.prob_beats_baseline, p.completion_rate);
        share_covered += u64::from(covers(&p.precision.prob_beats_baseline, 0.3));
        let se = p.precision.mean_se;
        mean_covered += u64::from((p.net.mean - true_mean).abs() <= 1.959964 * se);
        // The pair (course, stay) is the same share, with the same interval.
        let pair = s.pair("course", "stay").unwrap();
        assert_eq!(pair.prob_a_beats_b_ci, p.precision.prob_beats_baseline);
        // The baseline's figures are exact.
        assert_eq!(s.paths[0].precision.prob_beats_baseline, Interval::ZERO);
    }
    eprintln!("P(beats) covered in {share_covered} of {RUNS}, the mean in {mean_covered}");
    assert!(COVER.contains(&share_covered), "{share_covered}");
    assert!(COVER.contains(&mean_covered), "{mean_covered}");
}

#[test]
fn wilson_intervals_cover_about_95_percent_of_bernoulli_samples() {
    // Directly on draws, for shares near the middle and near an end, where a normal
    // interval would undercover.
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(20_261_121);
    for (p, n) in [(0.54, 2_000u64), (0.03, 500)] {
        let covered = (0..RUNS)
            .filter(|_| {
                let k = (0..n).filter(|_| rng.random::<f64>() < p).count() as u64;
                covers(&wilson(k, n), p)
            })
            .count() as u64;
        eprintln!("Wilson covered p = {p} in {covered} of {RUNS}");
        assert!(COVER.contains(&covered), "p = {p}: {covered}");
    }
}

#[test]
fn the_median_interval_read_from_the_sketch_covers_about_95_percent() {
    // 2,000 draws from a lognormal-like spread of money with a known median, $80,000 (the
    // median of exp(ln 80,000 + 0.5 * N(0, 1)) is exp(ln 80,000)): pushed through the
    // same sketch and ranks as the report's median interval.
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(7);
    let median = 80_000.0f64;
    let n = 2_000u64;
    let (lo, hi) = median_ranks(n).unwrap();
    let mut covered = 0;
    for _ in 0..RUNS {
        let mut sk = Sketch::new(512);
        for _ in 0..n {
            let z: f64 = rng.sample(rand_distr::StandardNormal);
            sk.push((median.ln() + 0.5 * z).exp());
        }
        let ci = Interval {
            lo: sk.order_statistic(lo - 1),
            hi: sk.order_statistic(hi - 1),
        };
        covered += u64::from(covers(&ci, median));
    }
    eprintln!("the median covered in {covered} of {RUNS}");
    assert!(COVER.contains(&covered), "{covered}");
}

#[test]
fn a_run_to_a_target_stops_once_every_share_is_precise_enough() {
    let (_, m) = known();
    // P(beats) = 0.3 needs about 3.84 * 0.21 / 0.004^2 = 50,400 trials for a half-width of
    // 0.004; the rounds for 0.004 are 16 batches (16,384 trials), so the run stops after
    // four rounds, at 65,536 trials.
    let out = run_until(&m, 1_000_000, 1, Some(0.004), 2, None).unwrap();
    assert_eq!(out.stopped, Stopped::PrecisionReached);
    assert_eq!(out.stats.trials(), 65_536);
    assert!(out.largest_half_width <= 0.004 && out.largest_half_width > 0.0035);
    // Three rounds were not enough.
    let three = run_until(&m, 49_152, 1, None, 2, None).unwrap();
    assert!(three.largest_half_width > 0.004);
    // The same statistics as a fixed run of as many trials.
    let fixed = run_until(&m, 65_536, 1, None, 1, None).unwrap();
    assert!(fixed.stats == out.stats);
    assert_eq!(fixed.stopped, Stopped::TrialCap);
    // A cap below that point: every trial of the cap, then stop.
    let capped = run_until(&m, 20_000, 1, Some(0.004), 2, None).unwrap();
    assert_eq!(capped.stopped, Stopped::TrialCap);
    assert_eq!(capped.stats.trials(), 20_000);
    assert!(capped.largest_half_width > 0.004);
}

/// The known scenario as a file in a new folder.
fn scenario_file() -> (TempDir, std::path::PathBuf) {
    let dir = TempDir::new().unwrap();
    let file = dir.path().join("known.toml");
    fs::write(&file, KNOWN).unwrap();
    (dir, file)
}

fn worthit() -> Command {
    Command::cargo_bin("worthit").unwrap()
}

fn run_json(out: &Path) -> serde_json::Value {
    serde_json::from_slice(&fs::read(out.join("known/run.json")).unwrap()).unwrap()
}

#[test]
fn a_run_to_a_target_gives_the_same_files_for_any_threads() {
    let (dir, file) = scenario_file();
    let mut outs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("out{threads}"));
        worthit()
            .args([
                "run",
                "--no-charts",
                "-q",
                "--precision",
                "0.004",
                "--trials",
            ])
            .args(["1000000", "--threads", threads, "--out"])
            .arg(&out)
            .arg(&file)
            .assert()
            .success()
            .stdout(predicates::str::is_match(r"(29\.[5-9]|30\.[0-4])% ±0\.4").unwrap());
        outs.push(out);
    }
    for name in [
        "summary.csv",
        "pairwise.csv",
        "npv.csv",
        "histogram.csv",
        "timeline.csv",
    ] {
        let a = fs::read(outs[0].join("known").join(name)).unwrap();
        let b = fs::read(outs[1].join("known").join(name)).unwrap();
        assert!(a == b, "{name} differs between 1 and 2 threads");
    }
    let (a, b) = (run_json(&outs[0]), run_json(&outs[1]));
    for key in ["trials", "precision", "stopped", "largest_half_width"] {
        assert_eq!(a[key], b[key], "{key}");
    }
    assert_eq!(a["trials"], 65_536);
    assert_eq!(a["precision"], 0.004);
    assert_eq!(a["stopped"], "precision reached");
    assert!(a["largest_half_width"].as_f64().unwrap() <= 0.004);
    // And the same files as a fixed run of as many trials.
    let fixed = dir.path().join("fixed");
    worthit()
        .args(["run", "--no-charts", "-q", "--trials", "65536", "--out"])
        .arg(&fixed)
        .arg(&file)
        .assert()
        .success();
    let summary = |d: &Path| fs::read(d.join("known/summary.csv")).unwrap();
    assert!(summary(&outs[0]) == summary(&fixed));
    assert_eq!(run_json(&fixed)["stopped"], "trial cap");
    assert_eq!(run_json(&fixed)["precision"], serde_json::Value::Null);
}

#[test]
fn the_file_key_sets_the_target_and_the_cap_can_stop_it() {
    let (dir, file) = scenario_file();
    let text = KNOWN.replace(
        "[tax]",
        "[simulation]\ntrials = 3_000\nprecision = 0.004\n[tax]",
    );
    fs::write(&file, text).unwrap();
    let out = dir.path().join("out");
    let done = worthit()
        .args(["run", "--no-charts", "-q", "--out"])
        .arg(&out)
        .arg(&file)
        .assert()
        .success();
    // Said on screen too, not only in run.json.
    let stdout = String::from_utf8_lossy(&done.get_output().stdout).to_string();
    assert!(
        stdout
            .contains("Stopped at the trial cap (3,000) before every share was within ±0.4 points"),
        "{stdout}"
    );
    let j = run_json(&out);
    assert_eq!(j["trials"], 3_000);
    assert_eq!(j["stopped"], "trial cap");
    assert_eq!(j["precision"], 0.004);
    assert!(j["largest_half_width"].as_f64().unwrap() > 0.004);
    // The flag overrides the file.
    worthit()
        .args(["run", "--no-charts", "-q", "--precision", "0.5", "--out"])
        .arg(&out)
        .arg(&file)
        .assert()
        .success();
    // A target of 0.5 is reached by any first round; this one is cut at the cap.
    let j = run_json(&out);
    assert_eq!(j["trials"], 3_000);
    assert_eq!(j["stopped"], "precision reached");
    assert_eq!(j["precision"], 0.5);
}

#[test]
fn a_bad_target_is_a_one_line_usage_error_and_nothing_is_written() {
    let (dir, file) = scenario_file();
    let out = dir.path().join("out");
    for bad in ["0", "-0.1", "0.6", "abc", "nan", "inf", ""] {
        let got = worthit()
            .args(["run", "-q", "--out"])
            .arg(&out)
            .arg(&file)
            .arg(format!("--precision={bad}"))
            .assert()
            .code(2);
        let err = String::from_utf8(got.get_output().stderr.clone()).unwrap();
        let first = err.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("error:") && first.contains("--precision"),
            "{bad}: {err}"
        );
        assert!(first.contains("0.00001 to 0.5"), "{bad}: {err}");
        assert!(!out.exists(), "{bad}: something was written");
    }
}

#[test]
fn a_bad_target_in_the_file_is_a_located_error() {
    let (dir, file) = scenario_file();
    let text = KNOWN.replace("[tax]", "[simulation]\nprecision = 0\n[tax]");
    fs::write(&file, text).unwrap();
    let out = dir.path().join("out");
    let got = worthit()
        .args(["run", "-q", "--out"])
        .arg(&out)
        .arg(&file)
        .assert()
        .code(1);
    let err = String::from_utf8(got.get_output().stderr.clone()).unwrap();
    assert!(err.contains("simulation.precision"), "{err}");
    assert!(err.contains("known.toml:4:13"), "{err}");
    assert!(err.contains("a number from 0.00001 to 0.5"), "{err}");
    assert!(!out.join("known").exists());
    // Through --set, a usage error that names the flag.
    fs::write(&file, KNOWN).unwrap();
    let got = worthit()
        .args(["validate", "--set", "simulation.precision=0.7"])
        .arg(&file)
        .assert()
        .code(2);
    let err = String::from_utf8(got.get_output().stderr.clone()).unwrap();
    assert!(
        err.contains("--set") && err.contains("0.00001 to 0.5"),
        "{err}"
    );
}
