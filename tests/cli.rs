//! The command line of interface.md: every flag, every output file, every exit code.
//!
//! Each test works in its own temporary folder (never in the repository's `output/`), and
//! keeps trials small so that the whole file runs in a few seconds.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use sha2::{Digest, Sha256};
use tempfile::TempDir;

/// A small scenario: ten years, a baseline and two alternatives (one with loans), every input
/// uncertain enough that different seeds give different numbers.
const SMALL: &str = r#"
name = "Small test scenario"
description = "Ten years, two alternatives."

[simulation]
trials = 1_000
seed = 7

[economy]
discount_rate = 0.03
inflation = 0.025

[tax]
effective_rate = 0.25

[person]
age = 30
retirement_age = 40
salary = { dist = "lognormal", median = 60_000, p90 = 80_000 }
annual_raise = { dist = "normal", mean = 0.01, sd = 0.02 }
unemployment_rate = 0.05
unemployment_months = { dist = "uniform", min = 1, max = 6 }

[roles.mle]
salary = { dist = "lognormal", median = 100_000, p90 = 140_000 }
annual_raise = 0.02

[paths.stay]
label = "Stay"
baseline = true

[paths.masters]
label = "Master's"
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
label = "Bootcamp"
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

const CSVS: [&str; 9] = [
    "summary.csv",
    "npv.csv",
    "pairwise.csv",
    "histogram.csv",
    "timeline.csv",
    "roles.csv",
    "sensitivity.csv",
    "outcomes.csv",
    "pairwise_histogram.csv",
];

const SUMMARY_HEADER: &str = "scenario,path,label,trials,mean,sd,p5,p10,p25,p50,p75,p90,p95,\
    prob_beats_baseline,breakeven_p50_years,prob_no_breakeven,completion_rate,placement_rate,\
    mean_debt,p90_debt,repaid_p50_years,prob_not_repaid,prob_payment_over_10pct,declined_rate,\
    mean_se,p50_lo,p50_hi,prob_beats_baseline_lo,prob_beats_baseline_hi,prob_borrows,\
    first_payment_p50_nominal,total_paid_p50_nominal,interest_p50_nominal,forgiven_p50_nominal,\
    breakeven_p50_years_if_ever,mean_pay_gain,mean_costs_out_of_pocket,mean_loan_cost";

fn worthit() -> Command {
    let mut c = Command::cargo_bin("worthit").expect("the worthit binary is built");
    c.env_remove("NO_COLOR");
    c
}

/// A temporary folder holding `small.toml`.
fn tmp_with_small() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("small.toml");
    fs::write(&file, SMALL).unwrap();
    (dir, file)
}

/// Every file (not folder) under `dir`, as paths relative to it.
fn files_under(dir: &Path) -> BTreeSet<String> {
    fn walk(root: &Path, dir: &Path, out: &mut BTreeSet<String>) {
        for e in fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                let rel = p.strip_prefix(root).unwrap().to_string_lossy();
                out.insert(rel.replace('\\', "/"));
            }
        }
    }
    let mut out = BTreeSet::new();
    if dir.exists() {
        walk(dir, dir, &mut out);
    }
    out
}

fn names(list: &[&str]) -> BTreeSet<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Rows of a CSV file (header included), split on commas (no field of these files is quoted
/// in the tests' scenarios).
fn rows(p: &Path) -> Vec<Vec<String>> {
    read(p)
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

fn header(p: &Path) -> String {
    read(p).lines().next().unwrap_or_default().to_string()
}

fn run_json(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&read(&dir.join("run.json"))).expect("run.json is JSON")
}

/// No file under `dir` has the temporary name of an unfinished write (`.NAME.tmp-PID`).
fn assert_no_temporaries(dir: &Path) {
    for f in files_under(dir) {
        let name = f.rsplit('/').next().unwrap();
        assert!(
            !(name.starts_with('.') && name.contains(".tmp-")),
            "a temporary file was left behind: {f}"
        );
    }
}

fn stdout_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

// ---------------------------------------------------------------------------------------------
// run: the files of one scenario
// ---------------------------------------------------------------------------------------------

#[test]
fn run_writes_every_file_of_interface_md() {
    let (tmp, file) = tmp_with_small();
    let out_dir = tmp.path().join("out");
    let assert = worthit()
        .current_dir(tmp.path())
        .args(["run", "small.toml", "--trials", "2000", "--out", "out"])
        .assert()
        .success();
    let output = assert.get_output();
    let stdout = stdout_of(output);
    assert!(stdout.contains("Small test scenario"), "{stdout}");
    assert!(stdout.contains("report.html"), "{stdout}");
    // The table's units are said under it: the margin of P(beats) is in points.
    assert!(stdout.contains("in percentage points"), "{stdout}");
    // Progress goes to stderr only on a terminal: nothing here.
    assert_eq!(stderr_of(output), "", "stderr of a good run");

    let dir = out_dir.join("small");
    assert_eq!(
        files_under(&out_dir),
        [
            "summary.csv",
            "npv.csv",
            "pairwise.csv",
            "histogram.csv",
            "timeline.csv",
            "roles.csv",
            "sensitivity.csv",
            "outcomes.csv",
            "pairwise_histogram.csv",
            "run.json",
            "report.html",
            "net_return.png",
            "masters_vs_bootcamp.png",
            "cdf.png",
            "timeline.png",
            "tornado_masters.png",
            "outcomes_masters.png",
            "tornado_bootcamp.png",
            "outcomes_bootcamp.png",
        ]
        .iter()
        .map(|f| format!("small/{f}"))
        .collect::<BTreeSet<_>>(),
        "a single scenario writes its folder and nothing else (no batch files)"
    );
    for png in [
        "net_return.png",
        "masters_vs_bootcamp.png",
        "cdf.png",
        "timeline.png",
        "tornado_masters.png",
        "outcomes_bootcamp.png",
    ] {
        let bytes = fs::read(dir.join(png)).unwrap();
        assert!(
            bytes.starts_with(b"\x89PNG\r\n\x1a\n"),
            "{png} is not a PNG"
        );
    }
    let html = read(&dir.join("report.html"));
    assert!(html.contains("<html") && html.contains("Small test scenario"));

    // Headers, exactly.
    assert_eq!(
        header(&dir.join("summary.csv")),
        SUMMARY_HEADER.replace(' ', "")
    );
    // The mean net return's three parts add up to it, to the cent.
    let text = read(&dir.join("summary.csv"));
    let mut lines = text.lines();
    let cols: Vec<&str> = lines.next().unwrap().split(',').collect();
    let at = |name: &str| cols.iter().position(|c| *c == name).unwrap();
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let cents = |name: &str| (cells[at(name)].parse::<f64>().unwrap() * 100.0).round() as i64;
        assert_eq!(
            cents("mean_pay_gain") - cents("mean_costs_out_of_pocket") - cents("mean_loan_cost"),
            cents("mean"),
            "{line}"
        );
    }
    assert_eq!(
        header(&dir.join("npv.csv")),
        "scenario,path,label,trials,mean,sd,p5,p10,p25,p50,p75,p90,p95"
    );
    assert_eq!(
        header(&dir.join("pairwise.csv")),
        "path_a,path_b,prob_a_beats_b,mean_diff,p5_diff,p50_diff,p95_diff,\
         prob_a_beats_b_lo,prob_a_beats_b_hi"
    );
    assert_eq!(
        header(&dir.join("histogram.csv")),
        "path,bin_lower,bin_upper,count"
    );
    assert_eq!(
        header(&dir.join("timeline.csv")),
        "path,year,age,p10,p25,p50,p75,p90"
    );
    assert_eq!(
        header(&dir.join("sensitivity.csv")),
        "path,input,label,kind,importance,low_mean,high_mean,low_prob_beats,high_prob_beats"
    );
    assert_eq!(
        header(&dir.join("outcomes.csv")),
        "path,outcome,share,mean,p10,p50,p90,prob_beats_baseline"
    );

    // summary.csv: a row per path; the baseline's money columns are zeros.
    let summary = rows(&dir.join("summary.csv"));
    let cols = &summary[0];
    assert_eq!(summary.len(), 4);
    let col = |name: &str| cols.iter().position(|c| c == name).unwrap();
    let paths: Vec<&str> = summary[1..]
        .iter()
        .map(|r| r[col("path")].as_str())
        .collect();
    assert_eq!(paths, ["stay", "masters", "bootcamp"]);
    for r in &summary[1..] {
        assert_eq!(r.len(), cols.len());
        assert_eq!(r[col("scenario")], "small");
        assert_eq!(r[col("trials")], "2000");
    }
    let stay = &summary[1];
    for c in ["mean", "sd", "p5", "p50", "p95"] {
        assert_eq!(stay[col(c)].parse::<f64>().unwrap(), 0.0, "baseline {c}");
    }
    assert_eq!(stay[col("completion_rate")].parse::<f64>().unwrap(), 1.0);
    assert_eq!(stay[col("placement_rate")].parse::<f64>().unwrap(), 0.0);
    let masters = &summary[2];
    assert!(masters[col("mean_debt")].parse::<f64>().unwrap() > 0.0);
    for c in ["completion_rate", "placement_rate", "prob_beats_baseline"] {
        let v: f64 = masters[col(c)].parse().unwrap();
        assert!((0.0..=1.0).contains(&v), "{c} = {v}");
    }

    // prob_borrows: the masters borrows (savings run out), the bootcamp has no loans.
    assert!(masters[col("prob_borrows")].parse::<f64>().unwrap() > 0.0);
    assert_eq!(summary[3][col("prob_borrows")].parse::<f64>().unwrap(), 0.0);

    // roles.csv: a row per non-baseline path and role; a path's shares add up to its
    // placement rate.
    let roles = rows(&dir.join("roles.csv"));
    assert_eq!(roles[0], ["path", "role", "label", "share"]);
    assert_eq!(roles.len() - 1, 2, "two paths, one role each");
    for (r, s) in roles[1..].iter().zip(&summary[2..]) {
        assert_eq!(
            (r[0].as_str(), r[1].as_str(), r[2].as_str()),
            (s[col("path")].as_str(), "mle", "mle")
        );
        let share: f64 = r[3].parse().unwrap();
        let placed: f64 = s[col("placement_rate")].parse().unwrap();
        assert!((share - placed).abs() < 1e-6, "{share} vs {placed}");
    }

    // sensitivity.csv: rows of the non-baseline paths only, most important first, each
    // share in [0, 1]; outcomes.csv: four outcomes per path whose shares add up to 1.
    let sens = rows(&dir.join("sensitivity.csv"));
    for path in ["masters", "bootcamp"] {
        let shares: Vec<f64> = sens[1..]
            .iter()
            .filter(|r| r[0] == path)
            .map(|r| r[4].parse().unwrap())
            .collect();
        assert!(shares.len() >= 4, "{path}: {shares:?}");
        assert!(
            shares.windows(2).all(|w| w[0] >= w[1]),
            "{path}: {shares:?}"
        );
        assert!(shares.iter().all(|s| (0.0..=1.0).contains(s)));
    }
    assert!(sens[1..].iter().all(|r| r[0] != "stay"));
    let kinds: BTreeSet<&str> = sens[1..].iter().map(|r| r[3].as_str()).collect();
    assert_eq!(kinds, BTreeSet::from(["event", "input"]));
    let outcomes = rows(&dir.join("outcomes.csv"));
    assert_eq!(outcomes.len() - 1, 2 * 4);
    for path in ["masters", "bootcamp"] {
        let total: f64 = outcomes[1..]
            .iter()
            .filter(|r| r[0] == path)
            .map(|r| r[2].parse::<f64>().unwrap())
            .sum();
        assert!((total - 1.0).abs() < 1e-5, "{path}: {total}");
    }

    // pairwise.csv: every ordered pair of distinct paths.
    let pairs = rows(&dir.join("pairwise.csv"));
    assert_eq!(pairs.len() - 1, 3 * 2);
    let got: BTreeSet<(String, String)> = pairs[1..]
        .iter()
        .map(|r| (r[0].clone(), r[1].clone()))
        .collect();
    for a in ["stay", "masters", "bootcamp"] {
        for b in ["stay", "masters", "bootcamp"] {
            assert_eq!(got.contains(&(a.into(), b.into())), a != b, "pair {a}, {b}");
        }
    }

    // histogram.csv: shared bins; the counts of each alternative add up to the trials.
    let hist = rows(&dir.join("histogram.csv"));
    for path in ["masters", "bootcamp"] {
        let bins: Vec<&Vec<String>> = hist[1..].iter().filter(|r| r[0] == path).collect();
        assert!(!bins.is_empty(), "no bins for {path}");
        let total: u64 = bins.iter().map(|r| r[3].parse::<u64>().unwrap()).sum();
        assert_eq!(total, 2000, "{path}");
        for w in bins.windows(2) {
            assert_eq!(w[0][2], w[1][1], "bins of {path} are contiguous");
        }
    }
    // pairwise_histogram.csv: the one pair of alternatives, its counts adding up to the
    // trials on contiguous bins.
    let pair = rows(&dir.join("pairwise_histogram.csv"));
    assert_eq!(
        pair[0],
        ["path_a", "path_b", "bin_lower", "bin_upper", "count"]
    );
    assert!(
        pair[1..]
            .iter()
            .all(|r| r[0] == "masters" && r[1] == "bootcamp")
    );
    let total: u64 = pair[1..].iter().map(|r| r[4].parse::<u64>().unwrap()).sum();
    assert_eq!(total, 2000);
    for w in pair[1..].windows(2) {
        assert_eq!(w[0][3], w[1][2], "bins of the pair are contiguous");
    }
    let edges = |p: &str| -> Vec<(String, String)> {
        hist[1..]
            .iter()
            .filter(|r| r[0] == p)
            .map(|r| (r[1].clone(), r[2].clone()))
            .collect()
    };
    assert_eq!(edges("masters"), edges("bootcamp"), "bins are shared");

    // timeline.csv: a row per path and year, ages 30..39.
    let timeline = rows(&dir.join("timeline.csv"));
    assert_eq!(timeline.len() - 1, 3 * 10);
    for r in &timeline[1..] {
        let (year, age): (u32, u32) = (r[1].parse().unwrap(), r[2].parse().unwrap());
        assert!(year < 10);
        assert_eq!(age, 30 + year);
    }
    // Its last year is each life's net return: the very percentiles of summary.csv.
    for s in &summary[1..] {
        let last = timeline[1..]
            .iter()
            .find(|r| r[0] == s[col("path")] && r[1] == "9")
            .unwrap();
        for (i, q) in ["p10", "p25", "p50", "p75", "p90"].iter().enumerate() {
            assert_eq!(last[3 + i], s[col(q)], "{} {q}", s[col("path")]);
        }
    }

    // run.json.
    let j = run_json(&dir);
    assert_eq!(j["version"], env!("CARGO_PKG_VERSION"));
    let sha: String = Sha256::digest(fs::read(&file).unwrap())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let sha_key = ["sha256", "scenario_sha256"]
        .into_iter()
        .find(|k| j.get(k).is_some())
        .expect("run.json has the scenario's SHA-256");
    assert_eq!(j[sha_key], sha);
    assert!(
        j["scenario_file"]
            .as_str()
            .is_some_and(|f| f.ends_with("small.toml")),
        "{j}"
    );
    assert_eq!(j["seed"], 7);
    assert_eq!(j["trials"], 2000);
    assert!(j["threads"].as_u64().is_some_and(|t| t >= 1), "{j}");
    assert!(
        j["elapsed_seconds"].as_f64().is_some_and(|s| s > 0.0),
        "{j}"
    );
    assert!(
        j["trials_per_second"].as_f64().is_some_and(|s| s > 0.0),
        "{j}"
    );
    assert_no_temporaries(&out_dir);
}

#[test]
fn no_charts_writes_the_csv_files_and_run_json_only() {
    let (tmp, file) = tmp_with_small();
    let out = tmp.path().join("out");
    worthit()
        .arg("run")
        .arg(&file)
        .args(["--trials", "500", "--no-charts", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("summary.csv"));
    let want: BTreeSet<String> = CSVS
        .iter()
        .chain(&["run.json"])
        .map(|f| format!("small/{f}"))
        .collect();
    assert_eq!(files_under(&out), want);
}

#[test]
fn quiet_prints_no_progress_and_the_results_still_go_to_stdout() {
    for flag in ["-q", "--quiet"] {
        let (tmp, file) = tmp_with_small();
        worthit()
            .current_dir(tmp.path())
            .arg("run")
            .arg(&file)
            .args(["--trials", "500", "--no-charts", "--out", "o", flag])
            .assert()
            .success()
            .stderr("")
            .stdout(predicate::str::contains("Small test scenario"));
    }
}

#[test]
fn no_color_output_has_no_escape_codes() {
    let (tmp, file) = tmp_with_small();
    let out = worthit()
        .env("NO_COLOR", "1")
        .current_dir(tmp.path())
        .arg("run")
        .arg(&file)
        .args(["--trials", "300", "--no-charts", "--out", "o"])
        .assert()
        .success();
    let o = out.get_output();
    assert!(!o.stdout.contains(&0x1b) && !o.stderr.contains(&0x1b));
}

/// Without `--threads`, a cluster's `RAYON_NUM_THREADS` sets the threads (as for any program
/// on the same thread pool); `--threads` wins over it; a value that is not a count is passed
/// over for every core.
#[test]
fn rayon_num_threads_sets_the_threads_unless_the_flag_does() {
    let (tmp, file) = tmp_with_small();
    let dir = tmp.path().join("o").join("small");
    let go = |env: &str, args: &[&str]| {
        worthit()
            .current_dir(tmp.path())
            .env("RAYON_NUM_THREADS", env)
            .arg("run")
            .arg(&file)
            .args(["--no-charts", "-q", "--out", "o", "--trials", "10"])
            .args(args)
            .assert()
            .success();
        run_json(&dir)["threads"].as_u64()
    };
    assert_eq!(go("3", &[]), Some(3));
    assert_eq!(go("3", &["--threads", "1"]), Some(1));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as u64;
    assert_eq!(go("0", &[]), Some(cores));
    assert_eq!(go("many", &[]), Some(cores));
    // A value it cannot use is said (0, every core as for the thread pool, is not).
    let said = |env: &str| {
        let out = worthit()
            .current_dir(tmp.path())
            .env("RAYON_NUM_THREADS", env)
            .arg("run")
            .arg(&file)
            .args(["--no-charts", "-q", "--out", "o", "--trials", "10"])
            .output()
            .unwrap();
        stderr_of(&out)
    };
    let warned = said("many");
    assert!(
        warned.contains("warning: RAYON_NUM_THREADS=\"many\": expected a whole number in 1..=1024; using every core"),
        "{warned}"
    );
    assert_eq!(warned.matches("RAYON_NUM_THREADS").count(), 1, "{warned}");
    assert!(!said("0").contains("warning"));
}

#[test]
fn seed_trials_and_threads_flags_are_what_run_json_says() {
    let (tmp, file) = tmp_with_small();
    let dir = tmp.path().join("o").join("small");
    let go = |args: &[&str]| {
        worthit()
            .current_dir(tmp.path())
            .arg("run")
            .arg(&file)
            .args(["--no-charts", "-q", "--out", "o"])
            .args(args)
            .assert()
            .success();
        run_json(&dir)
    };
    // The file's own values.
    let j = go(&["--threads", "1"]);
    assert_eq!(
        (j["seed"].as_u64(), j["trials"].as_u64()),
        (Some(7), Some(1000))
    );
    assert_eq!(j["threads"], 1);
    let trials_col = |d: &Path| rows(&d.join("summary.csv"))[1][3].clone();
    assert_eq!(trials_col(&dir), "1000");
    // Overridden.
    let j = go(&["--seed", "123456789", "--trials", "1500", "--threads", "2"]);
    assert_eq!(j["seed"], 123_456_789u64);
    assert_eq!(j["trials"], 1500);
    assert_eq!(j["threads"], 2);
    assert_eq!(trials_col(&dir), "1500");
    // The largest seed is the file's largest: one range for the file and the command line.
    let j = go(&["--seed", &i64::MAX.to_string(), "--trials", "10"]);
    assert_eq!(j["seed"].as_u64(), Some(i64::MAX as u64));
    assert_eq!(j["trials"], 10);
    worthit()
        .current_dir(tmp.path())
        .args(["run", file.to_str().unwrap(), "--out", "o2", "--seed"])
        .arg(u64::MAX.to_string())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--seed"));
    assert!(!tmp.path().join("o2").exists(), "nothing written");
}

#[test]
fn a_folder_run_writes_the_index_and_the_batch_summary_of_every_scenario() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("many");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("alpha.toml"), SMALL).unwrap();
    fs::write(
        folder.join("beta.toml"),
        SMALL.replace("retirement_age = 40", "retirement_age = 35"),
    )
    .unwrap();
    fs::write(folder.join("notes.txt"), "not a scenario").unwrap();
    let out = tmp.path().join("out");
    let stdout = stdout_of(
        worthit()
            .arg("run")
            .arg(&folder)
            .args(["--trials", "400", "-q", "--out"])
            .arg(&out)
            .assert()
            .success()
            .get_output(),
    );
    assert!(
        stdout.contains("(alpha)") && stdout.contains("(beta)"),
        "{stdout}"
    );
    let files = files_under(&out);
    for f in [
        "index.html",
        "batch_summary.csv",
        "alpha/report.html",
        "beta/report.html",
    ] {
        assert!(files.contains(f), "{f} missing: {files:?}");
    }
    assert!(!files.iter().any(|f| f.contains("notes")));
    let batch = read(&out.join("batch_summary.csv"));
    let mut want = read(&out.join("alpha/summary.csv"));
    want.push_str(
        read(&out.join("beta/summary.csv"))
            .split_once('\n')
            .unwrap()
            .1,
    );
    assert_eq!(batch, want, "batch_summary.csv holds every summary.csv row");
    assert_eq!(batch.lines().count(), 1 + 3 + 3);
    let index = read(&out.join("index.html"));
    assert!(index.contains("alpha/report.html") && index.contains("beta/report.html"));

    // --no-charts: the batch summary, but no HTML index.
    let plain = tmp.path().join("plain");
    worthit()
        .arg("run")
        .arg(&folder)
        .args(["--trials", "300", "-q", "--no-charts", "--out"])
        .arg(&plain)
        .assert()
        .success();
    let files = files_under(&plain);
    assert!(files.contains("batch_summary.csv"));
    assert!(
        !files
            .iter()
            .any(|f| f.ends_with(".html") || f.ends_with(".png"))
    );
}

#[test]
fn defaults_read_scenarios_and_write_output_in_the_current_folder() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("scenarios")).unwrap();
    fs::write(tmp.path().join("scenarios/one.toml"), SMALL).unwrap();
    fs::write(tmp.path().join("scenarios/two.toml"), SMALL).unwrap();
    worthit()
        .current_dir(tmp.path())
        .args(["run", "--trials", "200", "-q", "--no-charts"])
        .assert()
        .success();
    let files = files_under(&tmp.path().join("output"));
    for f in ["one/summary.csv", "two/summary.csv", "batch_summary.csv"] {
        assert!(files.contains(f), "{f} missing: {files:?}");
    }
    assert_eq!(run_json(&tmp.path().join("output/one"))["trials"], 200);
}

#[test]
fn files_and_folders_can_be_mixed_on_the_command_line() {
    let (tmp, file) = tmp_with_small();
    let folder = tmp.path().join("more");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("other.toml"), SMALL).unwrap();
    worthit()
        .current_dir(tmp.path())
        .arg("run")
        .arg(&file)
        .arg(&folder)
        .args(["--trials", "200", "-q", "--no-charts", "--out", "o"])
        .assert()
        .success();
    let files = files_under(&tmp.path().join("o"));
    assert!(files.contains("small/summary.csv") && files.contains("other/summary.csv"));
    assert_eq!(
        read(&tmp.path().join("o/batch_summary.csv"))
            .lines()
            .count(),
        7
    );
}

#[test]
fn a_bundled_scenario_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/software_engineer.toml");
    worthit()
        .arg("run")
        .arg(&scenario)
        .args(["--trials", "2000", "-q", "--out"])
        .arg(tmp.path())
        .assert()
        .success();
    let files = files_under(tmp.path());
    for f in CSVS.iter().chain(&["run.json", "report.html", "cdf.png"]) {
        assert!(
            files.contains(&format!("software_engineer/{f}")),
            "{f}: {files:?}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Determinism
// ---------------------------------------------------------------------------------------------

#[test]
fn same_seed_same_bytes_whatever_the_thread_count() {
    let (tmp, file) = tmp_with_small();
    let run = |threads: &str, seed: &str| -> Vec<Vec<u8>> {
        let out = tmp.path().join(format!("t{threads}-s{seed}"));
        worthit()
            .arg("run")
            .arg(&file)
            .args(["--trials", "30000", "--no-charts", "-q", "--seed", seed])
            .args(["--threads", threads, "--out"])
            .arg(&out)
            .assert()
            .success();
        CSVS.iter()
            .map(|f| fs::read(out.join("small").join(f)).unwrap())
            .collect()
    };
    let one = run("1", "11");
    for threads in ["2", "7"] {
        let other = run(threads, "11");
        for (f, (a, b)) in CSVS.iter().zip(one.iter().zip(&other)) {
            assert!(
                a == b,
                "{f} differs between --threads 1 and --threads {threads}"
            );
        }
    }
    let reseeded = run("2", "12");
    for (f, (a, b)) in CSVS.iter().zip(one.iter().zip(&reseeded)) {
        assert!(a != b, "{f} is the same for seeds 11 and 12");
    }
}

// ---------------------------------------------------------------------------------------------
// Exit codes and bad input
// ---------------------------------------------------------------------------------------------

#[test]
fn a_folder_with_one_bad_scenario_runs_the_good_one_and_exits_1() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("mixed");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("good.toml"), SMALL).unwrap();
    // Two problems: a string age and an unknown key.
    fs::write(
        folder.join("bad.toml"),
        SMALL
            .replace("age = 30", "age = \"thirty\"")
            .replace("[economy]", "[economy]\ncolour = 1"),
    )
    .unwrap();
    let out = tmp.path().join("out");
    let assert = worthit()
        .arg("run")
        .arg(&folder)
        .args(["--trials", "300", "-q", "--out"])
        .arg(&out)
        .assert()
        .code(1);
    let (stdout, stderr) = (
        stdout_of(assert.get_output()),
        stderr_of(assert.get_output()),
    );
    assert!(
        stdout.contains("(good)"),
        "stdout mentions the good one: {stdout}"
    );
    assert!(!stdout.contains("(bad)"), "{stdout}");
    assert!(stderr.contains("1 of 2 scenarios failed"), "{stderr}");
    assert!(stderr.contains("bad.toml:"), "{stderr}");
    // Every problem is listed, with its line and column.
    assert!(
        stderr.contains("person.age") && stderr.contains("economy.colour"),
        "{stderr}"
    );
    // The failure summary names the file once per line.
    let summary_line = stderr
        .lines()
        .skip_while(|l| !l.contains("scenarios failed"))
        .nth(1)
        .unwrap_or_default();
    assert!(summary_line.contains("bad.toml"), "{stderr}");
    assert_eq!(
        summary_line.matches("bad.toml").count(),
        1,
        "the file is named once: {summary_line:?}"
    );
    let files = files_under(&out);
    assert!(files.contains("good/report.html") && files.contains("good/summary.csv"));
    assert!(!files.iter().any(|f| f.starts_with("bad/")), "{files:?}");
    // The batch files still cover the scenarios that ran.
    assert_eq!(read(&out.join("batch_summary.csv")).lines().count(), 4);
    assert_no_temporaries(&out);
}

/// A scenario that ran before and fails now leaves no results of its earlier version: its
/// folder is removed and said so, and the batch index names it as failed. A folder with a
/// file worthit did not write stays.
#[test]
fn a_scenario_that_fails_now_leaves_no_earlier_results() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("mixed");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("good.toml"), SMALL).unwrap();
    fs::write(folder.join("bad.toml"), SMALL).unwrap();
    let out = tmp.path().join("out");
    let run = || {
        worthit()
            .arg("run")
            .arg(&folder)
            .args(["--trials", "300", "-q", "--out"])
            .arg(&out)
            .assert()
    };
    // A mistake in bad.toml, and its mending.
    let break_it = || {
        fs::write(
            folder.join("bad.toml"),
            SMALL.replace("age = 30", "age = \"thirty\""),
        )
        .unwrap();
    };
    let mend = || fs::write(folder.join("bad.toml"), SMALL).unwrap();
    run().code(0);
    assert!(out.join("bad/summary.csv").is_file());
    break_it();
    let assert = run().code(1);
    let stderr = stderr_of(assert.get_output());
    assert!(
        stderr.contains(&format!(
            "removed the results in {}",
            out.join("bad").display()
        )),
        "{stderr}"
    );
    let files = files_under(&out);
    assert!(!files.iter().any(|f| f.starts_with("bad/")), "{files:?}");
    assert!(files.contains("good/summary.csv"), "{files:?}");
    let index = read(&out.join("index.html"));
    assert!(index.contains("A scenario is not in this index"), "{index}");
    // The mistake itself, with its place: the page is read away from the terminal.
    assert!(index.contains("bad.toml:"), "{index}");
    assert!(
        index.contains("person.age: found the string &quot;thirty&quot;"),
        "{index}"
    );
    assert!(!read(&out.join("batch_summary.csv")).contains("bad"));
    // Alone, it also takes the batch files that list it.
    mend();
    run().code(0);
    break_it();
    worthit()
        .arg("run")
        .arg(folder.join("bad.toml"))
        .args(["--trials", "300", "-q", "--out"])
        .arg(&out)
        .assert()
        .code(1);
    let files = files_under(&out);
    assert!(!files.iter().any(|f| f.starts_with("bad/")), "{files:?}");
    assert!(!files.contains("batch_summary.csv") && !files.contains("index.html"));
    assert!(files.contains("good/summary.csv"), "{files:?}");
    // A folder with someone else's file in it is not worthit's to remove.
    mend();
    run().code(0);
    fs::write(out.join("bad/my notes.txt"), "mine").unwrap();
    break_it();
    run().code(1);
    assert!(out.join("bad/my notes.txt").is_file());
    assert_no_temporaries(&out);

    // The states of a sharded run under way are not lost to a failed run: its results go,
    // its states stay, for the merge.
    fs::remove_file(out.join("bad/my notes.txt")).unwrap();
    mend();
    let shard = |k: u32| {
        worthit()
            .arg("run")
            .arg(folder.join("bad.toml"))
            .args([
                "--trials",
                "300",
                "-q",
                "--shard",
                &format!("{k}/3"),
                "--out",
            ])
            .arg(&out)
            .assert()
    };
    shard(0).code(0);
    shard(1).code(0);
    let states = ["bad/shard-0-of-3.state", "bad/shard-1-of-3.state"];
    break_it();
    run().code(1);
    for st in states {
        assert!(out.join(st).is_file(), "{st}");
    }
    // ... nor to a failed shard, which takes the results of an earlier run as a run does.
    mend();
    run().code(0);
    assert!(out.join("bad/summary.csv").is_file());
    break_it();
    let stderr = stderr_of(shard(2).code(1).get_output());
    assert!(stderr.contains("shard-*.state files are kept"), "{stderr}");
    assert!(!out.join("bad/summary.csv").exists());
    for st in states {
        assert!(out.join(st).is_file(), "{st}");
    }
    // A file of the user's named like a chart is not taken for one: the run listed its own.
    mend();
    fs::write(out.join("good/tornado_for_slides.png"), "mine").unwrap();
    let stderr = stderr_of(run().code(1).get_output());
    assert!(stderr.contains("tornado_for_slides.png"), "{stderr}");
    assert_eq!(read(&out.join("good/tornado_for_slides.png")), "mine");
    assert_no_temporaries(&out);
}

/// A role without a label is named in roles.csv as the report names it: its key in words.
#[test]
fn roles_csv_names_a_role_without_a_label_in_words() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("r.toml");
    fs::write(&file, SMALL.replace("mle", "ml_engineer")).unwrap();
    let out = tmp.path().join("out");
    worthit()
        .arg("run")
        .arg(&file)
        .args(["--trials", "200", "-q", "--no-charts", "--out"])
        .arg(&out)
        .assert()
        .success();
    let roles = rows(&out.join("r/roles.csv"));
    assert!(roles.len() > 1);
    for r in &roles[1..] {
        assert_eq!(
            (r[1].as_str(), r[2].as_str()),
            ("ml_engineer", "ML engineer")
        );
    }
}

/// Two runs into one output folder at once would replace each other's folders and batch
/// files: the second is refused while the first's process lives; a killed run's lock is
/// taken over; a run leaves no lock behind.
#[test]
fn a_folder_being_written_by_another_run_is_refused() {
    let (tmp, file) = tmp_with_small();
    let out = tmp.path().join("out");
    fs::create_dir(&out).unwrap();
    let run = || {
        worthit()
            .arg("run")
            .arg(&file)
            .args(["--trials", "300", "-q", "--out"])
            .arg(&out)
            .assert()
    };
    // Process 1 (init) is alive, and is not this run.
    fs::write(out.join(".worthit.lock"), "1\n").unwrap();
    let refused = run().code(1);
    let stderr = stderr_of(refused.get_output());
    assert!(
        stderr.contains("is being written by another worthit run (process 1)"),
        "{stderr}"
    );
    assert!(!out.join("small").exists());
    assert_eq!(read(&out.join(".worthit.lock")), "1\n");
    // A pid above the kernel's limit (2^22) is of no live process: a killed run's.
    fs::write(out.join(".worthit.lock"), "4194321\n").unwrap();
    run().code(0);
    assert!(out.join("small/summary.csv").is_file());
    assert!(!out.join(".worthit.lock").exists(), "the lock is released");
    // Nor does a sweep or threshold command leave one.
    worthit()
        .arg("sweep")
        .arg(&file)
        .args([
            "--vary",
            "person.salary=40000,60000",
            "--trials",
            "300",
            "-q",
            "--out",
        ])
        .arg(&out)
        .assert()
        .code(0);
    assert!(!out.join(".worthit.lock").exists());
}

/// `--trials` (an override of `simulation.trials`) does not make a file's own mistake look
/// like the option's: a file without [paths] is reported at its own line and column, and
/// the other scenarios of the folder still run.
#[test]
fn a_missing_table_is_the_files_mistake_not_the_options() {
    let tmp = tempfile::tempdir().unwrap();
    let folder = tmp.path().join("mixed");
    fs::create_dir(&folder).unwrap();
    fs::write(folder.join("good.toml"), SMALL).unwrap();
    fs::write(
        folder.join("nopaths.toml"),
        "[person]\nage = 30\nretirement_age = 65\nsalary = 1\n",
    )
    .unwrap();
    let assert = worthit()
        .arg("run")
        .arg(&folder)
        .args([
            "--trials",
            "300",
            "--seed",
            "4",
            "-q",
            "--no-charts",
            "--out",
        ])
        .arg(tmp.path().join("out"))
        .assert()
        .code(1);
    let (stdout, stderr) = (
        stdout_of(assert.get_output()),
        stderr_of(assert.get_output()),
    );
    assert!(stdout.contains("(good)"), "{stdout}");
    assert!(stderr.contains("nopaths.toml:1:1"), "{stderr}");
    assert!(!stderr.contains("--set"), "{stderr}");
}

/// The batch files of an earlier run never outlive the results they list: a run of one of
/// its scenarios removes them, and a batch without charts removes the older index.
#[test]
fn batch_files_that_would_be_out_of_date_are_removed() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("two")).unwrap();
    for f in ["m1", "m2"] {
        fs::write(tmp.path().join(format!("two/{f}.toml")), SMALL).unwrap();
    }
    let run = |args: &[&str]| {
        let assert = worthit()
            .current_dir(tmp.path())
            .arg("run")
            .args(args)
            .args(["--trials", "300", "-q", "--out", "out"])
            .assert()
            .success();
        stdout_of(assert.get_output())
    };
    let out = tmp.path().join("out");
    run(&["two"]);
    assert!(out.join("batch_summary.csv").exists() && out.join("index.html").exists());
    let said = run(&["two/m1.toml", "--seed", "9"]);
    assert!(!out.join("batch_summary.csv").exists(), "{said}");
    assert!(!out.join("index.html").exists(), "{said}");
    assert!(said.contains("removed out/batch_summary.csv"), "{said}");
    run(&["two"]);
    run(&["two", "--no-charts"]);
    assert!(out.join("batch_summary.csv").exists());
    assert!(!out.join("index.html").exists());
    // A scenario the batch does not list leaves its files alone.
    fs::write(tmp.path().join("other.toml"), SMALL).unwrap();
    run(&["other.toml"]);
    assert!(out.join("batch_summary.csv").exists());
}

/// A file named twice (in its folder and by itself, by two spellings) runs once.
#[test]
fn a_scenario_named_twice_runs_once() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("c1")).unwrap();
    fs::write(tmp.path().join("c1/x.toml"), SMALL).unwrap();
    let assert = worthit()
        .current_dir(tmp.path())
        .args(["run", "c1", "./c1/x.toml", "c1/../c1/x.toml"])
        .args(["--trials", "300", "-q", "--no-charts", "--out", "out"])
        .assert()
        .success();
    let stdout = stdout_of(assert.get_output());
    assert_eq!(stdout.matches("(x)").count(), 1, "{stdout}");
    // A link under another name writes its own folder: both run.
    std::os::unix::fs::symlink("x.toml", tmp.path().join("c1/current.toml")).unwrap();
    let assert = worthit()
        .current_dir(tmp.path())
        .args([
            "run",
            "c1",
            "--trials",
            "300",
            "-q",
            "--no-charts",
            "--out",
            "out",
        ])
        .assert()
        .success();
    let stdout = stdout_of(assert.get_output());
    assert!(
        stdout.contains("(x)") && stdout.contains("(current)"),
        "{stdout}"
    );
}

#[test]
fn a_single_bad_scenario_exits_1_and_writes_nothing_half_done() {
    let (tmp, _) = tmp_with_small();
    let bad = tmp.path().join("broken.toml");
    fs::write(&bad, "name = \"x\"\n[person\nage = 3").unwrap();
    let out = tmp.path().join("out");
    worthit()
        .arg("run")
        .arg(&bad)
        .args(["-q", "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("broken.toml:2:"));
    assert!(
        files_under(&out).is_empty(),
        "nothing written for a bad scenario: {:?}",
        files_under(&out)
    );
    // Not even the output folder the run made.
    assert!(!out.exists(), "an empty output folder was left behind");
    assert_no_temporaries(tmp.path());
    // A folder that was there before stays.
    fs::create_dir(&out).unwrap();
    worthit()
        .arg("run")
        .arg(&bad)
        .args(["-q", "--out"])
        .arg(&out)
        .assert()
        .code(1);
    assert!(out.is_dir());
}

#[test]
fn usage_errors_exit_2_with_a_clear_error_and_write_nothing() {
    let (tmp, _) = tmp_with_small();
    let cases: &[(&[&str], &str)] = &[
        (&["--trials", "0"], "--trials"),
        (&["--trials", "99999999999999"], "--trials"),
        (&["--trials", "-5"], "-5 is not in 1..=10000000000"),
        (&["--trials", "2.5"], "a whole number in 1..="),
        (&["--trials", "many"], "--trials"),
        (&["--seed", "abc"], "--seed"),
        (&["--seed", "-1"], "-1 is not in 0..=9223372036854775807"),
        (&["--threads", "0"], "--threads"),
        (&["--threads", "two"], "--threads"),
        (&["--threads", "-2"], "-2 is not in 1..=1024"),
        (&["--frobnicate"], "--frobnicate"),
    ];
    for (args, mentions) in cases {
        let assert = worthit()
            .current_dir(tmp.path())
            .args(["run", "small.toml", "--out", "out"])
            .args(*args)
            .assert()
            .code(2);
        let stderr = stderr_of(assert.get_output());
        let first = stderr.lines().next().unwrap_or_default();
        assert!(
            first.starts_with("error:") && first.contains(mentions),
            "{args:?}: the first line is the error and names {mentions}: {stderr}"
        );
        assert_eq!(
            stderr.lines().filter(|l| l.starts_with("error")).count(),
            1,
            "{args:?}: one error line: {stderr}"
        );
        // A bad value is a one-line error, a negative number too (it says what is allowed,
        // not clap's tip to write `-- -5`); an unknown flag may add clap's tip and usage.
        if !mentions.starts_with("--frob") {
            assert_eq!(stderr.lines().count(), 1, "{args:?}: one line: {stderr:?}");
        }
        assert!(assert.get_output().stdout.is_empty(), "{args:?}");
        assert!(
            !tmp.path().join("out").exists(),
            "{args:?} created the output folder"
        );
    }
    // A path that does not exist.
    let assert = worthit()
        .current_dir(tmp.path())
        .args(["run", "nope.toml", "--out", "out"])
        .assert()
        .code(2);
    let stderr = stderr_of(assert.get_output());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("nope.toml"), "{stderr}");
    assert!(!tmp.path().join("out").exists());
    // A folder without scenarios.
    fs::create_dir(tmp.path().join("empty")).unwrap();
    worthit()
        .current_dir(tmp.path())
        .args(["run", "empty", "--out", "out"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("empty"));
    // No command at all, or an unknown one.
    worthit().assert().code(2);
    worthit().arg("fly").assert().code(2);
    // --help and --version are not errors.
    worthit()
        .arg("--version")
        .assert()
        .success()
        .stdout(predicate::str::contains(env!("CARGO_PKG_VERSION")));
    for cmd in ["run", "validate", "init"] {
        worthit().args([cmd, "--help"]).assert().success();
    }
    worthit().args(["run", "--help"]).assert().stdout(
        predicate::str::contains("--trials")
            .and(predicate::str::contains("--seed"))
            .and(predicate::str::contains("--threads"))
            .and(predicate::str::contains("--out"))
            .and(predicate::str::contains("--no-charts"))
            .and(predicate::str::contains("--quiet")),
    );
}

#[test]
fn an_output_folder_that_cannot_be_written_is_a_one_line_error_and_exit_1() {
    let (tmp, file) = tmp_with_small();
    let blocker = tmp.path().join("file.txt");
    fs::write(&blocker, "a regular file").unwrap();
    let before = files_under(tmp.path());
    let assert = worthit()
        .arg("run")
        .arg(&file)
        .args(["--trials", "100", "-q", "--out"])
        .arg(blocker.join("out"))
        .assert()
        .code(1);
    let stderr = stderr_of(assert.get_output());
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr:?}");
    assert!(
        stderr.starts_with("error:") && stderr.contains("file.txt"),
        "{stderr}"
    );
    assert!(assert.get_output().stdout.is_empty());
    assert_eq!(files_under(tmp.path()), before, "nothing was written");
    assert_eq!(read(&blocker), "a regular file");
}

#[test]
fn a_scenario_whose_name_cannot_be_a_folder_is_refused() {
    for name in [".hidden.toml", "bad name.toml", "naïve.toml"] {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join(name);
        fs::write(&file, SMALL).unwrap();
        let out = tmp.path().join("out");
        let assert = worthit()
            .arg("run")
            .arg(&file)
            .args(["--trials", "100", "-q", "--out"])
            .arg(&out)
            .assert()
            .code(1);
        let stderr = stderr_of(assert.get_output());
        let stem = name.trim_end_matches(".toml");
        assert!(
            stderr.starts_with("error:")
                && stderr.contains(stem)
                && stderr.contains("output folder"),
            "{name}: {stderr}"
        );
        assert!(
            files_under(&out).is_empty(),
            "{name}: {:?}",
            files_under(&out)
        );
        assert_eq!(
            fs::read_dir(&out).map_or(0, |d| d.count()),
            0,
            "{name}: no folder is made for it"
        );
    }
}

/// `sweep` and `threshold` refuse such a file as `run` and `validate` do: a failed scenario
/// (status 1), not a usage error, and nothing written.
#[test]
fn questions_refuse_the_names_that_run_refuses_with_the_same_status() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("bad name.toml");
    fs::write(&file, SMALL).unwrap();
    let out = tmp.path().join("out");
    for args in [
        vec!["sweep", "--vary", "paths.bootcamp.completion=0.2..0.8:3"],
        vec![
            "threshold",
            "--vary",
            "paths.bootcamp.completion=0.1..0.9",
            "--path",
            "bootcamp",
        ],
    ] {
        let assert = worthit()
            .args(&args)
            .arg(&file)
            .args(["--trials", "100", "-q", "--out"])
            .arg(&out)
            .assert()
            .code(1);
        let stderr = stderr_of(assert.get_output());
        assert!(
            stderr.contains("output folder") && stderr.contains("rename it bad_name.toml"),
            "{args:?}: {stderr}"
        );
        assert!(
            files_under(&out).is_empty(),
            "{args:?}: {:?}",
            files_under(&out)
        );
    }
}

#[test]
fn validate_refuses_the_names_that_run_refuses() {
    for name in [".hidden.toml", "bad name.toml"] {
        let tmp = tempfile::tempdir().unwrap();
        let file = tmp.path().join(name);
        fs::write(&file, SMALL).unwrap();
        let assert = worthit().arg("validate").arg(&file).assert().code(1);
        let stderr = stderr_of(assert.get_output());
        assert!(stderr.contains("output folder"), "{name}: {stderr}");
        assert!(
            assert.get_output().stdout.is_empty(),
            "{name}: no `ok` line"
        );
    }
}

#[test]
fn two_scenarios_with_the_same_stem_do_not_overwrite_each_other() {
    let tmp = tempfile::tempdir().unwrap();
    for sub in ["a", "b"] {
        fs::create_dir(tmp.path().join(sub)).unwrap();
    }
    fs::write(tmp.path().join("a/x.toml"), SMALL).unwrap();
    fs::write(
        tmp.path().join("b/x.toml"),
        SMALL.replace("retirement_age = 40", "retirement_age = 35"),
    )
    .unwrap();
    let assert = worthit()
        .current_dir(tmp.path())
        .args([
            "run",
            "a/x.toml",
            "b/x.toml",
            "--trials",
            "200",
            "-q",
            "--no-charts",
        ])
        .args(["--out", "o"])
        .assert()
        .code(1);
    let stderr = stderr_of(assert.get_output());
    assert!(
        stderr.contains("b/x.toml") && stderr.contains("a/x.toml"),
        "{stderr}"
    );
    // The first scenario's report is whole and its own.
    let j = run_json(&tmp.path().join("o/x"));
    assert_eq!(j["scenario_file"], "a/x.toml");
    assert_eq!(rows(&tmp.path().join("o/x/timeline.csv")).len() - 1, 3 * 10);
    assert_eq!(
        read(&tmp.path().join("o/batch_summary.csv"))
            .lines()
            .count(),
        4
    );
}

#[test]
fn a_scenario_whose_numbers_overflow_fails_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(
        tmp.path().join("huge.toml"),
        SMALL.replace(
            r#"salary = { dist = "lognormal", median = 100_000, p90 = 140_000 }"#,
            r#"salary = { dist = "lognormal", median = 1, p90 = 1e300 }"#,
        ),
    )
    .unwrap();
    // Validation catches the spread, with its location.
    let validated = worthit()
        .current_dir(tmp.path())
        .args(["validate", "huge.toml"])
        .assert()
        .code(1);
    let stderr = stderr_of(validated.get_output());
    assert!(
        stderr.contains("huge.toml:") && stderr.contains("at most 1,000,000,000"),
        "{stderr}"
    );
    let assert = worthit()
        .current_dir(tmp.path())
        .args(["run", "huge.toml", "--trials", "3000", "-q", "--out", "o"])
        .assert()
        .code(1);
    let stderr = stderr_of(assert.get_output());
    assert!(
        stderr.starts_with("error:") && !stderr.contains("panicked"),
        "{stderr}"
    );
    assert!(files_under(&tmp.path().join("o")).is_empty());
}

// ---------------------------------------------------------------------------------------------
// validate
// ---------------------------------------------------------------------------------------------

#[test]
fn validate_says_ok_for_a_good_file() {
    let (tmp, file) = tmp_with_small();
    worthit()
        .current_dir(tmp.path())
        .args(["validate", "small.toml"])
        .assert()
        .success()
        .stdout("ok small.toml\n")
        .stderr("");
    // Nothing is run, nothing is written.
    assert_eq!(files_under(tmp.path()), names(&["small.toml"]));
    worthit()
        .arg("validate")
        .arg(&file)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("ok {}", file.display())));
}

#[test]
fn a_subfolder_of_scenarios_is_said_not_read() {
    let (tmp, _) = tmp_with_small();
    let dir = tmp.path().join("clients");
    fs::create_dir_all(dir.join("old")).unwrap();
    fs::create_dir_all(dir.join("notes")).unwrap();
    fs::copy(tmp.path().join("small.toml"), dir.join("a.toml")).unwrap();
    fs::copy(tmp.path().join("small.toml"), dir.join("old/b.toml")).unwrap();
    fs::write(dir.join("notes/n.txt"), "not a scenario").unwrap();
    let out = worthit()
        .current_dir(tmp.path())
        .args(["validate", "clients"])
        .assert()
        .success();
    let out = out.get_output();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stdout, "ok clients/a.toml\n");
    // The subfolder with scenario files is named; the one without is not.
    assert!(
        stderr.contains("note: clients/old holds scenario files that are not read"),
        "{stderr}"
    );
    assert!(!stderr.contains("notes"), "{stderr}");
}

#[test]
fn validate_lists_every_error_with_file_line_and_column() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = SMALL
        .replace("retirement_age = 40", "retirement_age = 20")
        .replace("completion = 0.85", "completion = 1.5\nhomework = \"lots\"");
    fs::write(tmp.path().join("bad.toml"), &bad).unwrap();
    fs::write(tmp.path().join("good.toml"), SMALL).unwrap();
    let line_of = |needle: &str| bad.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let assert = worthit()
        .current_dir(tmp.path())
        .args(["validate", "bad.toml", "good.toml"])
        .assert()
        .code(1);
    let (stdout, stderr) = (
        stdout_of(assert.get_output()),
        stderr_of(assert.get_output()),
    );
    assert_eq!(stdout, "ok good.toml\n");
    assert!(!stdout.contains("bad.toml"));
    for (needle, key) in [
        ("completion = 1.5", "paths.bootcamp.completion"),
        ("homework", "paths.bootcamp.homework"),
    ] {
        let at = format!("bad.toml:{}:", line_of(needle));
        assert!(stderr.contains(&at), "{key}: no {at} in {stderr}");
        assert!(stderr.contains(key), "{key} not named: {stderr}");
    }
    assert!(stderr.contains("retirement_age"), "{stderr}");
    // file:line:col, with a column number.
    let re_ok = stderr.lines().any(|l| {
        l.split("bad.toml:")
            .nth(1)
            .and_then(|rest| {
                let mut it = rest.split(':');
                Some((
                    it.next()?.parse::<u32>().ok()?,
                    it.next()?.trim().parse::<u32>().ok()?,
                ))
            })
            .is_some()
    });
    assert!(re_ok, "no file:line:col in {stderr}");
}

#[test]
fn validate_of_a_syntax_error_and_of_a_missing_path() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("syntax.toml"), "[person]\nage = = 3\n").unwrap();
    worthit()
        .current_dir(tmp.path())
        .args(["validate", "syntax.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("syntax.toml:2:"));
    fs::write(tmp.path().join("binary.toml"), b"\xff\xfe\x00name").unwrap();
    worthit()
        .current_dir(tmp.path())
        .args(["validate", "binary.toml"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("binary.toml"));
    worthit()
        .current_dir(tmp.path())
        .args(["validate", "missing.toml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.toml"));
}

#[test]
fn validate_defaults_to_the_bundled_scenarios_which_all_validate() {
    let root = env!("CARGO_MANIFEST_DIR");
    let bundled: BTreeSet<String> = fs::read_dir(Path::new(root).join("scenarios"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    assert!(bundled.len() >= 2, "{bundled:?}");
    let assert = worthit()
        .current_dir(root)
        .arg("validate")
        .assert()
        .success()
        .stderr("");
    let stdout = stdout_of(assert.get_output());
    let ok: BTreeSet<String> = stdout
        .lines()
        .map(|l| {
            let f = l.strip_prefix("ok ").unwrap_or_else(|| panic!("{l}"));
            Path::new(f)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(ok, bundled);
}

// ---------------------------------------------------------------------------------------------
// init
// ---------------------------------------------------------------------------------------------

#[test]
fn init_writes_a_template_that_validates_and_runs() {
    let tmp = tempfile::tempdir().unwrap();
    worthit()
        .current_dir(tmp.path())
        .args(["init", "mine.toml"])
        .assert()
        .success()
        .stdout(predicate::str::contains("mine.toml"));
    let text = read(&tmp.path().join("mine.toml"));
    assert!(
        text.lines().any(|l| l.starts_with('#')),
        "the template is commented"
    );
    worthit()
        .current_dir(tmp.path())
        .args(["validate", "mine.toml"])
        .assert()
        .success()
        .stdout("ok mine.toml\n");
    worthit()
        .current_dir(tmp.path())
        .args(["run", "mine.toml", "--trials", "300", "-q", "--out", "o"])
        .assert()
        .success();
    assert!(tmp.path().join("o/mine/report.html").exists());
    // A name without `.toml` is written, with a warning: a run of the folder skips it.
    worthit()
        .current_dir(tmp.path())
        .args(["init", "plan"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: plan does not end in .toml: `worthit run FOLDER` skips it",
        ));
    assert!(tmp.path().join("plan").exists());
}

#[test]
fn init_defaults_to_scenario_toml_and_refuses_to_overwrite() {
    let tmp = tempfile::tempdir().unwrap();
    worthit()
        .current_dir(tmp.path())
        .arg("init")
        .assert()
        .success();
    let file = tmp.path().join("scenario.toml");
    let template = read(&file);
    worthit()
        .current_dir(tmp.path())
        .arg("validate")
        .arg("scenario.toml")
        .assert()
        .success();
    // A second init refuses, and leaves the file as it was (even an edited one).
    fs::write(&file, "# my own edits\n").unwrap();
    let assert = worthit()
        .current_dir(tmp.path())
        .arg("init")
        .assert()
        .code(1);
    let stderr = stderr_of(assert.get_output());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("scenario.toml") && stderr.contains("exists"),
        "{stderr}"
    );
    assert_eq!(read(&file), "# my own edits\n");
    assert!(!template.is_empty());
    // A folder that does not exist cannot hold the template: exit 1, nothing made.
    worthit()
        .current_dir(tmp.path())
        .args(["init", "no/such/dir/x.toml"])
        .assert()
        .code(1);
    assert!(!tmp.path().join("no").exists());
    // A name that `run` refuses (its stem names the output folder) is refused at once:
    // exit 2, the rule said, nothing written.
    let assert = worthit()
        .current_dir(tmp.path())
        .args(["init", "My Plan.toml"])
        .assert()
        .code(2);
    let stderr = stderr_of(assert.get_output());
    assert!(
        stderr.contains("\"My Plan\"") && stderr.contains("letters, digits"),
        "{stderr}"
    );
    assert!(!tmp.path().join("My Plan.toml").exists());
}

#[test]
fn twelve_paths_get_a_pair_matrix_and_only_the_leaders_pair_charts() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/twelve_paths.toml");
    let tmp = tempfile::tempdir().unwrap();
    worthit()
        .arg("run")
        .arg(&fixture)
        .args(["--trials", "400", "-q", "--out"])
        .arg(tmp.path())
        .assert()
        .success();
    let dir = tmp.path().join("twelve_paths");
    let files = files_under(&dir);
    let pair_charts: Vec<&String> = files.iter().filter(|f| f.contains("_vs_")).collect();
    assert_eq!(pair_charts.len(), 4, "{files:?}");
    for png in ["net_return.png", "pairs.png", "cdf.png", "timeline.png"] {
        assert!(files.contains(png), "{png} missing from {files:?}");
    }
    // Every pair is still in pairwise.csv and in the report's head-to-head table.
    assert_eq!(rows(&dir.join("pairwise.csv")).len() - 1, 12 * 11);
    let html = read(&dir.join("report.html"));
    assert!(
        html.contains("How often each row&#39;s path beats each column&#39;s"),
        "the matrix has its caption"
    );
    // And each of the eleven compared paths has its tornado and outcome charts.
    assert_eq!(
        files.iter().filter(|f| f.starts_with("tornado_")).count(),
        11
    );
    assert_eq!(
        files.iter().filter(|f| f.starts_with("outcomes_")).count(),
        11
    );
    assert_eq!(html.matches("<img ").count(), 4 + 4 + 2 * 11);
}

/// A scenario saved with a byte-order mark (some Windows editors write one) reads as without
/// it, with options and questions too, and its mistakes are placed as in the editor.
#[test]
fn a_byte_order_mark_is_read_as_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let with_q = format!(
        "\u{feff}{SMALL}\n[[thresholds]]\nvary = \"paths.masters.placement\"\nfrom = 0.1\nto = 1\npath = \"masters\"\n"
    );
    fs::write(tmp.path().join("bom.toml"), &with_q).unwrap();
    let sh = |args: &[&str]| {
        worthit()
            .current_dir(tmp.path())
            .args(args)
            .assert()
            .success();
    };
    sh(&["validate", "bom.toml"]);
    sh(&[
        "run",
        "bom.toml",
        "--trials",
        "300",
        "--seed",
        "5",
        "--set",
        "person.age=31",
        "-q",
        "--no-charts",
        "--out",
        "o",
    ]);
    sh(&[
        "threshold",
        "bom.toml",
        "--vary",
        "paths.masters.placement=0.1..1",
        "--path",
        "masters",
        "--trials",
        "300",
        "-q",
        "--out",
        "o",
    ]);
    fs::write(
        tmp.path().join("bad.toml"),
        format!("\u{feff}{}", SMALL.replace("age = 30", "age = \"thirty\"")),
    )
    .unwrap();
    let out = worthit()
        .current_dir(tmp.path())
        .args(["validate", "bad.toml"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let line = SMALL.lines().position(|l| l == "age = 30").unwrap() + 1;
    assert!(err.contains(&format!("bad.toml:{line}:7")), "{err}");
}

/// Two files of one name in different folders would write one output folder: `validate`
/// says so (both files are valid; `run` refuses the second).
#[test]
fn validate_warns_of_two_files_for_one_output_folder() {
    let tmp = tempfile::tempdir().unwrap();
    worthit()
        .current_dir(tmp.path())
        .args(["init", "x.toml"])
        .assert()
        .success();
    for d in ["a", "b"] {
        fs::create_dir(tmp.path().join(d)).unwrap();
        fs::copy(tmp.path().join("x.toml"), tmp.path().join(d).join("x.toml")).unwrap();
    }
    let assert = worthit()
        .current_dir(tmp.path())
        .args(["validate", "a/x.toml", "b/x.toml"])
        .assert()
        .success();
    let stderr = stderr_of(assert.get_output());
    assert!(
        stderr.contains("a/x.toml and b/x.toml would write the same output folder, \"x\""),
        "{stderr}"
    );
    let assert = worthit()
        .current_dir(tmp.path())
        .args(["validate", "a/x.toml"])
        .assert()
        .success();
    assert!(!stderr_of(assert.get_output()).contains("same output folder"));
    // Names that differ only in case: one folder on macOS and Windows. validate warns;
    // run refuses the second file (exit 1) rather than let it replace the first's results.
    fs::copy(tmp.path().join("x.toml"), tmp.path().join("b/X.toml")).unwrap();
    let assert = worthit()
        .current_dir(tmp.path())
        .args(["validate", "a/x.toml", "b/X.toml"])
        .assert()
        .success();
    let stderr = stderr_of(assert.get_output());
    assert!(
        stderr.contains("would write the same output folder, \"X\" (on macOS and Windows"),
        "{stderr}"
    );
    let assert = worthit()
        .current_dir(tmp.path())
        .args([
            "run",
            "a/x.toml",
            "b/X.toml",
            "--trials",
            "200",
            "-q",
            "--no-charts",
        ])
        .args(["--out", "o"])
        .assert()
        .code(1);
    let stderr = stderr_of(assert.get_output());
    assert!(stderr.contains("differ only in case"), "{stderr}");
    assert!(stderr.contains("b/X.toml would write"), "{stderr}");
    assert!(stderr.contains("it is not run"), "{stderr}");
    assert!(tmp.path().join("o/x/summary.csv").is_file());
    // A sharded run refuses it the same way.
    let assert = worthit()
        .current_dir(tmp.path())
        .args(["run", "a/x.toml", "b/X.toml", "--trials", "200", "-q"])
        .args(["--shard", "1/2", "--out", "s"])
        .assert()
        .code(1);
    let stderr = stderr_of(assert.get_output());
    assert!(stderr.contains("differ only in case"), "{stderr}");
    assert!(tmp.path().join("s/x").is_dir());
    assert!(!tmp.path().join("s/X").exists() || cfg!(any(windows, target_os = "macos")));
}

/// A path that changes nothing (the job kept in full, no cost, never placed) is worth what
/// staying put is in every life: the terminal and the report say there is nothing to earn
/// back, not that it "breaks even in every life".
#[test]
fn a_path_that_changes_nothing_has_nothing_to_earn_back() {
    let (tmp, _) = tmp_with_small();
    let file = tmp.path().join("same.toml");
    let same = "\n[paths.same]\nlabel = \"Same\"\nduration_months = 6\nwork_fraction = 1\nplacement = 0\nroles = { mle = 1 }\n";
    fs::write(&file, format!("{SMALL}{same}")).unwrap();
    let out = tmp.path().join("out");
    let assert = worthit()
        .args(["run", "--trials", "500"])
        .arg(&file)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let stdout = stdout_of(assert.get_output());
    let line = stdout
        .lines()
        .find(|l| l.trim_start().starts_with("Same"))
        .unwrap();
    assert!(
        line.ends_with("nothing to earn back (as staying put)"),
        "{stdout}"
    );
    let report = fs::read_to_string(out.join("same/report.html")).unwrap();
    assert!(
        report.contains("Worth exactly what staying put is worth in every life"),
        "{report}"
    );
    // The master's, which does differ, keeps its break-even words.
    let masters = stdout.lines().find(|l| l.contains("Master's")).unwrap();
    assert!(
        masters.contains("of lives") || masters.ends_with("never"),
        "{stdout}"
    );
}

/// A link to nowhere named like a scenario, in a folder run, is an error that names it, not
/// a file skipped without a word.
#[cfg(unix)]
#[test]
fn a_broken_link_among_scenarios_is_named() {
    let (tmp, _) = tmp_with_small();
    std::os::unix::fs::symlink(tmp.path().join("gone.toml"), tmp.path().join("broken.toml"))
        .unwrap();
    let assert = worthit()
        .args(["validate"])
        .arg(tmp.path())
        .assert()
        .code(1);
    let stderr = stderr_of(assert.get_output());
    assert!(stderr.contains("broken.toml"), "{stderr}");
    assert!(stderr.contains("cannot be read"), "{stderr}");
    assert!(
        stdout_of(assert.get_output()).contains("ok "),
        "the good file is still checked"
    );
}

/// A trial whose money leaves the exact range names where to look; a negative discount rate
/// (each later year weighing more) among them, as it is the usual cause.
#[test]
fn money_beyond_the_exact_range_names_a_negative_discount_rate() {
    let (tmp, file) = tmp_with_small();
    let out = worthit()
        .current_dir(tmp.path())
        .arg("run")
        .arg(&file)
        .args(["--no-charts", "-q", "--out", "o/p/q", "--trials", "50"])
        .args(["--set", "economy.discount_rate=-0.9"])
        .output()
        .unwrap();
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "and in [economy]: its discount_rate goes down to -90%, which weighs each later year's money more than the year before's"
        ),
        "{stderr}"
    );
    // Nor any folder made for --out, however deep.
    assert!(!tmp.path().join("o").exists(), "{stderr}");
}
