//! Sharded runs and `worthit merge`: the merge of any N shards writes the unsharded run's CSV
//! files byte for byte, a shard writes only its state, and every bad set of states (from
//! another run, missing, duplicated, damaged, not a state) is a one-line error naming the
//! file, exit 1, with nothing written.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use sha2::{Digest, Sha256};
use tempfile::TempDir;

/// Ten years, a baseline and two alternatives, one with loans; 5,000 trials make five
/// batches (four of 1,024 and one of 904), so shards of N up to 7 include empty ones.
const SMALL: &str = r#"
name = "Small sharded scenario"

[simulation]
trials = 5_000
seed = 7

[tax]
effective_rate = 0.25

[person]
age = 30
retirement_age = 40
salary = { dist = "lognormal", median = 60_000, p90 = 80_000 }
annual_raise = { dist = "normal", mean = 0.01, sd = 0.02 }
unemployment_rate = 0.05

[roles.mle]
salary = { dist = "lognormal", median = 100_000, p90 = 140_000 }

[paths.stay]
label = "Stay"
baseline = true

[paths.masters]
label = "Master's"
duration_months = 12
completion = { dist = "beta", mean = 0.8, sd = 0.05 }
placement = { dist = "beta", mean = 0.7, sd = 0.1 }
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
roles = { mle = 1 }
salary_premium = -0.1
"#;

const CSVS: [&str; 8] = [
    "summary.csv",
    "npv.csv",
    "pairwise.csv",
    "histogram.csv",
    "timeline.csv",
    "sensitivity.csv",
    "outcomes.csv",
    "pairwise_histogram.csv",
];

const INDEX_VARS: [&str; 3] = [
    "SLURM_ARRAY_TASK_ID",
    "JOB_COMPLETION_INDEX",
    "AWS_BATCH_JOB_ARRAY_INDEX",
];

/// The binary, with none of the schedulers' index variables (the tests may run in a job).
fn worthit() -> Command {
    let mut c = Command::cargo_bin("worthit").expect("the worthit binary is built");
    for v in INDEX_VARS {
        c.env_remove(v);
    }
    c
}

/// A temporary folder holding `small.toml`.
fn tmp_with_small() -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("small.toml");
    fs::write(&file, SMALL).unwrap();
    (dir, file)
}

/// Every file under `dir`, relative to it.
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

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `worthit run FILE --shard K/N` with extra arguments, in `cwd`, succeeding.
fn shard(cwd: &Path, file: &str, k: u64, n: u64, out: &str, extra: &[&str]) {
    worthit()
        .current_dir(cwd)
        .args([
            "run",
            file,
            "-q",
            "--out",
            out,
            "--shard",
            &format!("{k}/{n}"),
        ])
        .args(extra)
        .assert()
        .success();
}

/// Every CSV of `a/<stem>` equals `b/<stem>`'s, byte for byte.
fn assert_same_csvs(a: &Path, b: &Path, what: &str) {
    for name in CSVS {
        let (x, y) = (a.join(name), b.join(name));
        let (x, y) = (
            fs::read(&x).unwrap_or_else(|e| panic!("{what}: {}: {e}", x.display())),
            fs::read(&y).unwrap_or_else(|e| panic!("{what}: {}: {e}", y.display())),
        );
        assert!(x == y, "{what}: {name} differs from the unsharded run's");
    }
}

#[test]
fn merge_equals_the_unsharded_run_byte_for_byte_for_every_n_from_1_to_7() {
    let (tmp, _) = tmp_with_small();
    let cwd = tmp.path();
    worthit()
        .current_dir(cwd)
        .args(["run", "small.toml", "-q", "--no-charts", "--out", "whole"])
        .assert()
        .success();
    let whole = cwd.join("whole/small");
    let summary = fs::read_to_string(whole.join("summary.csv")).unwrap();
    assert!(summary.contains(",5000,"), "{summary}");
    for n in 1..=7u64 {
        let out = format!("shards{n}");
        for k in 0..n {
            // Thread counts differ per shard: results must not depend on them.
            let threads = (1 + k % 3).to_string();
            shard(cwd, "small.toml", k, n, &out, &["--threads", &threads]);
        }
        // A shard writes its state and nothing else.
        let states: BTreeSet<String> = (0..n)
            .map(|k| format!("small/shard-{k}-of-{n}.state"))
            .collect();
        assert_eq!(files_under(&cwd.join(&out)), states, "n = {n}");
        let merged = format!("merged{n}");
        let assert = worthit()
            .current_dir(cwd)
            .args(["merge", &out, "--no-charts", "--out", &merged])
            .assert()
            .success();
        let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
        assert!(stdout.contains("5,000 trials, seed 7"), "{stdout}");
        assert_same_csvs(
            &whole,
            &cwd.join(&merged).join("small"),
            &format!("n = {n}"),
        );
        // run.json records the shards.
        let json: serde_json::Value =
            serde_json::from_slice(&fs::read(cwd.join(&merged).join("small/run.json")).unwrap())
                .unwrap();
        assert_eq!(json["trials"], 5000);
        assert_eq!(json["seed"], 7);
        assert_eq!(json["shards"]["n"], n);
        let states = json["shards"]["states"].as_array().unwrap();
        assert_eq!(states.len() as u64, n);
        let total: u64 = states.iter().map(|s| s["trials"].as_u64().unwrap()).sum();
        assert_eq!(total, 5000);
        for (k, s) in states.iter().enumerate() {
            assert_eq!(s["k"], k as u64);
        }
    }
}

#[test]
fn a_merge_of_several_scenarios_writes_what_run_writes_with_charts() {
    let tmp = tempfile::tempdir().unwrap();
    let cwd = tmp.path();
    fs::create_dir(cwd.join("sc")).unwrap();
    fs::write(cwd.join("sc/a.toml"), SMALL).unwrap();
    fs::write(
        cwd.join("sc/b.toml"),
        SMALL
            .replace("seed = 7", "seed = 8")
            .replace("trials = 5_000", "trials = 3_000"),
    )
    .unwrap();
    worthit()
        .current_dir(cwd)
        .args(["run", "sc", "-q", "--out", "whole"])
        .assert()
        .success();
    for k in 0..3 {
        shard(cwd, "sc", k, 3, "out", &[]);
    }
    // The states of both scenarios, named by folder and by file, in any order.
    worthit()
        .current_dir(cwd)
        .args([
            "merge",
            "out/b",
            "out/a/shard-2-of-3.state",
            "out/a",
            "--out",
            "merged",
        ])
        .assert()
        .success();
    for stem in ["a", "b"] {
        let (w, m) = (cwd.join("whole").join(stem), cwd.join("merged").join(stem));
        assert_same_csvs(&w, &m, stem);
        for f in ["report.html", "net_return.png", "run.json"] {
            assert!(m.join(f).is_file(), "{stem}/{f}");
        }
    }
    assert_eq!(
        fs::read(cwd.join("whole/batch_summary.csv")).unwrap(),
        fs::read(cwd.join("merged/batch_summary.csv")).unwrap()
    );
    assert!(cwd.join("merged/index.html").is_file());
}

#[test]
fn a_shard_touches_nothing_else_in_its_folder_and_leaves_no_temporary() {
    let (tmp, _) = tmp_with_small();
    let cwd = tmp.path();
    fs::create_dir_all(cwd.join("out/small")).unwrap();
    fs::write(cwd.join("out/small/summary.csv"), "an earlier run's").unwrap();
    fs::write(cwd.join("out/small/shard-0-of-9.state"), "another run's").unwrap();
    shard(cwd, "small.toml", 1, 2, "out", &[]);
    assert_eq!(
        files_under(&cwd.join("out")),
        [
            "small/summary.csv",
            "small/shard-0-of-9.state",
            "small/shard-1-of-2.state"
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    );
    assert_eq!(
        fs::read_to_string(cwd.join("out/small/summary.csv")).unwrap(),
        "an earlier run's"
    );
    let state = fs::read(cwd.join("out/small/shard-1-of-2.state")).unwrap();
    assert!(state.starts_with(b"worthit shard state\nformat 3\n"));
}

/// A whole run keeps the folder's states (a run in shards under way may own them); a later
/// merge of the folder puts the states' results back, and warns that they replace a whole
/// run made since with other settings.
#[test]
fn a_merge_warns_when_it_replaces_a_later_whole_run() {
    let (tmp, _) = tmp_with_small();
    let cwd = tmp.path();
    shards(cwd, &[0, 1], 2, "out", &["--trials", "2000"]);
    // A second apart at least, for file systems that keep whole seconds.
    std::thread::sleep(std::time::Duration::from_millis(1100));
    worthit()
        .current_dir(cwd)
        .args(["run", "small.toml", "-q", "--no-charts", "--out", "out"])
        .args(["--trials", "3000"])
        .assert()
        .success();
    assert!(cwd.join("out/small/shard-0-of-2.state").is_file());
    let merged = worthit()
        .current_dir(cwd)
        .args(["merge", "out", "-q", "--no-charts"])
        .assert()
        .success();
    let said = stderr_of(merged.get_output());
    assert!(
        said.contains("held the results of a whole run made after these shards ran (3,000 trials, seed 7); they are replaced by the shards' (2,000 trials, seed 7)"),
        "{said}"
    );
    // Merged again, the folder holds the merge's own results: nothing to warn about.
    let again = worthit()
        .current_dir(cwd)
        .args(["merge", "out", "-q", "--no-charts"])
        .assert()
        .success();
    assert!(!stderr_of(again.get_output()).contains("warning"));
}

/// A merge answers no question: the `threshold.csv` of an earlier whole run goes with the
/// results it answered, and the merge says so.
#[test]
fn a_merge_says_it_removed_an_earlier_runs_threshold_answers() {
    let (tmp, _) = tmp_with_small();
    let cwd = tmp.path();
    shards(cwd, &[0, 1], 2, "out", &["--trials", "2000"]);
    let merge = || {
        worthit()
            .current_dir(cwd)
            .args(["merge", "out", "-q", "--no-charts"])
            .assert()
            .success()
    };
    merge();
    // As a whole run of a scenario with thresholds leaves it.
    fs::write(cwd.join("out/small/threshold.csv"), "answers\n").unwrap();
    let said = merge().get_output().stdout.clone();
    let said = String::from_utf8_lossy(&said);
    assert!(
        said.contains("that this merge does not give again: threshold.csv (a merge adds up trials and answers no question"),
        "{said}"
    );
    assert!(!cwd.join("out/small/threshold.csv").exists());
}

/// A shard whose simulation fails leaves no empty scenario folder behind.
#[test]
fn a_failed_shard_leaves_no_folder_it_made() {
    let (tmp, _) = tmp_with_small();
    let cwd = tmp.path();
    // A raise of 100% a year for 10 years and more grows salaries past what the statistics
    // hold exactly: the engine stops, naming the trial.
    let assert = worthit()
        .current_dir(cwd)
        .args(["run", "small.toml", "--shard", "0/2", "--out", "out", "-q"])
        .args([
            "--set",
            "person.annual_raise=1",
            "--set",
            "person.retirement_age=90",
        ])
        .assert()
        .code(1);
    let stderr = stderr_of(assert.get_output());
    assert!(stderr.contains("net present value"), "{stderr}");
    assert!(
        !cwd.join("out/small").exists(),
        "{:?}",
        files_under(&cwd.join("out"))
    );
}

#[test]
fn auto_takes_k_from_the_schedulers_index() {
    let (tmp, _) = tmp_with_small();
    let cwd = tmp.path();
    for (var, k) in [
        ("SLURM_ARRAY_TASK_ID", 2),
        ("JOB_COMPLETION_INDEX", 0),
        ("AWS_BATCH_JOB_ARRAY_INDEX", 1),
    ] {
        worthit()
            .current_dir(cwd)
            .env(var, k.to_string())
            .args([
                "run",
                "small.toml",
                "-q",
                "--out",
                "out",
                "--shard",
                "auto/3",
            ])
            .assert()
            .success();
        assert!(
            cwd.join(format!("out/small/shard-{k}-of-3.state"))
                .is_file(),
            "{var}: shard {k} written"
        );
    }
    // The three, written by three schedulers, merge.
    worthit()
        .current_dir(cwd)
        .args(["merge", "out", "--no-charts", "-q", "--out", "merged"])
        .assert()
        .success();
    let state = fs::read(cwd.join("out/small/shard-2-of-3.state")).unwrap();
    let header = String::from_utf8_lossy(&state[..600]).into_owned();
    assert!(
        header.contains(r#""index_from":"SLURM_ARRAY_TASK_ID""#),
        "{header}"
    );
    // The first variable set wins.
    worthit()
        .current_dir(cwd)
        .env("AWS_BATCH_JOB_ARRAY_INDEX", "0")
        .env("JOB_COMPLETION_INDEX", "1")
        .args([
            "run",
            "small.toml",
            "-q",
            "--out",
            "first",
            "--shard",
            "auto/2",
        ])
        .assert()
        .success();
    assert!(cwd.join("first/small/shard-1-of-2.state").is_file());
}

/// A usage error: exit 2, one line naming `mentions`, nothing written under `out`.
fn assert_usage_error(cmd: &mut Command, cwd: &Path, mentions: &str) {
    let assert = cmd.current_dir(cwd).assert().code(2);
    let stderr = stderr_of(assert.get_output());
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(
        stderr.starts_with("error:") && stderr.contains(mentions),
        "names {mentions}: {stderr}"
    );
    assert!(!cwd.join("out").exists(), "{mentions}: nothing written");
}

#[test]
fn bad_shards_are_usage_errors_and_write_nothing() {
    let (tmp, _) = tmp_with_small();
    let cwd = tmp.path();
    let run = |shard: &str| {
        let mut c = worthit();
        c.args(["run", "small.toml", "--out", "out", "--shard", shard]);
        c
    };
    assert_usage_error(&mut run("3/3"), cwd, "K must be below N = 3");
    assert_usage_error(&mut run("0/0"), cwd, "N must be from 1");
    assert_usage_error(&mut run("one/3"), cwd, "K must be a whole number or auto");
    assert_usage_error(&mut run("2"), cwd, "K/N");
    assert_usage_error(&mut run("auto/4"), cwd, "SLURM_ARRAY_TASK_ID");
    assert_usage_error(
        run("auto/4").env("SLURM_ARRAY_TASK_ID", "x"),
        cwd,
        "SLURM_ARRAY_TASK_ID=\"x\" is not a number",
    );
    assert_usage_error(
        run("auto/4").env("JOB_COMPLETION_INDEX", "4"),
        cwd,
        "JOB_COMPLETION_INDEX=4 is not below N = 4",
    );
    // merge: nothing to merge.
    assert_usage_error(
        worthit().args(["merge", "nope", "--out", "out"]),
        cwd,
        "nope",
    );
    fs::create_dir(cwd.join("empty")).unwrap();
    assert_usage_error(
        worthit().args(["merge", "empty", "--out", "out"]),
        cwd,
        "no shard states",
    );
    worthit().current_dir(cwd).arg("merge").assert().code(2);
    // A precision stop needs the whole answer, which no shard has: the merged run would not
    // be the unsharded one.
    assert_usage_error(
        run("0/2").args(["--precision", "0.01"]),
        cwd,
        "--precision cannot be used with --shard",
    );
    fs::write(
        cwd.join("precise.toml"),
        fs::read_to_string(cwd.join("small.toml"))
            .unwrap()
            .replace("[simulation]", "[simulation]\nprecision = 0.01"),
    )
    .unwrap();
    let assert = worthit()
        .current_dir(cwd)
        .args(["run", "precise.toml", "--out", "out", "--shard", "0/2"])
        .assert()
        .code(1);
    let stderr = stderr_of(assert.get_output());
    assert!(
        stderr.contains("precise.toml: [simulation] precision = 0.01 cannot be honoured"),
        "{stderr}"
    );
    assert!(stderr.contains("remove it from the file"), "{stderr}");
    assert!(!cwd.join("out/precise").exists());
    // Given by --set, the advice names the --set.
    let assert = worthit()
        .current_dir(cwd)
        .args(["run", "small.toml", "--out", "out", "--shard", "0/2"])
        .args(["--set", "simulation.precision=0.01"])
        .assert()
        .code(1);
    let stderr = stderr_of(assert.get_output());
    assert!(
        stderr.contains("leave out --set simulation.precision=0.01 for the sharded run"),
        "{stderr}"
    );
}

/// Shards `ks` of `n` of `small.toml` in `out`, with extra arguments.
fn shards(cwd: &Path, ks: &[u64], n: u64, out: &str, extra: &[&str]) {
    for &k in ks {
        shard(cwd, "small.toml", k, n, out, extra);
    }
}

/// `worthit merge PATHS --out merged` fails: exit 1, a single line starting `error: `, naming
/// `file` and saying `says`; nothing written.
fn assert_merge_refused(cwd: &Path, paths: &[&str], file: &str, says: &str) {
    let assert = worthit()
        .current_dir(cwd)
        .arg("merge")
        .args(paths)
        .args(["--out", "merged"])
        .assert()
        .code(1);
    let stderr = stderr_of(assert.get_output());
    assert_eq!(stderr.lines().count(), 1, "one line: {stderr}");
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains(file), "names {file}: {stderr}");
    assert!(stderr.contains(says), "says {says}: {stderr}");
    assert!(assert.get_output().stdout.is_empty());
    assert!(!cwd.join("merged").exists(), "nothing written: {stderr}");
}

#[test]
fn states_of_another_run_are_refused_naming_the_file() {
    let (tmp, _) = tmp_with_small();
    let cwd = tmp.path();
    // Another seed.
    shards(cwd, &[0], 2, "seed", &[]);
    shards(cwd, &[1], 2, "seed", &["--seed", "8"]);
    assert_merge_refused(cwd, &["seed"], "shard-", "seed");
    // Another trial count.
    shards(cwd, &[0], 2, "trials", &[]);
    shards(cwd, &[1], 2, "trials", &["--trials", "6000"]);
    assert_merge_refused(cwd, &["trials"], "shard-", "trials 6000");
    // Other overrides.
    shards(cwd, &[0], 2, "set", &[]);
    shards(
        cwd,
        &[1],
        2,
        "set",
        &["--set", "paths.bootcamp.completion=0.9"],
    );
    assert_merge_refused(cwd, &["set"], "shard-", "overrides");
    // Another N.
    shards(cwd, &[0, 1], 2, "n", &[]);
    shards(cwd, &[2], 3, "n", &[]);
    assert_merge_refused(
        cwd,
        &["n"],
        "shard-2-of-3.state",
        "shard count N 3 here, 2 there",
    );
    // Another scenario under the same name: the file changed between shards.
    shards(cwd, &[0], 2, "scenario", &[]);
    fs::write(
        cwd.join("small.toml"),
        SMALL.replace("completion = 0.85", "completion = 0.8"),
    )
    .unwrap();
    shards(cwd, &[1], 2, "scenario", &[]);
    assert_merge_refused(
        cwd,
        &["scenario"],
        "shard-1-of-2.state",
        "scenario file SHA-256",
    );
}

/// A shard missing from a merge: said as missing, as not named when its file is there, and
/// as another's when the file of its name holds another scenario's state.
#[test]
fn a_missing_shard_is_told_apart_from_one_not_named_or_of_another_scenario() {
    let (tmp, _) = tmp_with_small();
    let cwd = tmp.path();
    shards(cwd, &[0], 2, "gap", &[]);
    assert_merge_refused(cwd, &["gap"], "shard-1-of-2.state", "is missing");
    shards(cwd, &[1], 2, "gap", &[]);
    assert_merge_refused(
        cwd,
        &["gap/small/shard-0-of-2.state"],
        "shard-1-of-2.state",
        "was not named (name it, or its folder)",
    );
    // Another scenario's shard 1 of 2, copied in under this one's name.
    fs::write(
        cwd.join("other.toml"),
        SMALL.replace("completion = 0.85", "completion = 0.8"),
    )
    .unwrap();
    shard(cwd, "other.toml", 1, 2, "o", &[]);
    fs::copy(
        cwd.join("o/other/shard-1-of-2.state"),
        cwd.join("gap/small/shard-1-of-2.state"),
    )
    .unwrap();
    let assert = worthit()
        .current_dir(cwd)
        .args(["merge", "gap", "--out", "merged"])
        .assert()
        .code(1);
    let stderr = stderr_of(assert.get_output());
    // (Said of the copied scenario's group, whose shard 0 would be beside it, or of this
    // one's shard 1: whichever comes first, one file is another's.)
    assert!(
        stderr.contains("state holds another scenario's or run's state, not this one's shard"),
        "{stderr}"
    );
}

/// `bytes` with its checksum recomputed, as a writer would have sealed them.
fn reseal(bytes: &[u8]) -> Vec<u8> {
    let mut data = bytes[..bytes.len() - 32].to_vec();
    let sum = Sha256::digest(&data);
    data.extend_from_slice(&sum);
    data
}

#[test]
fn a_state_of_another_program_version_is_refused() {
    let (tmp, _) = tmp_with_small();
    let cwd = tmp.path();
    shards(cwd, &[0, 1], 2, "out", &[]);
    let path = cwd.join("out/small/shard-1-of-2.state");
    let bytes = fs::read(&path).unwrap();
    let this = format!(r#""version":"{}""#, env!("CARGO_PKG_VERSION"));
    let other = format!(
        r#""version":"{}""#,
        "9".repeat(env!("CARGO_PKG_VERSION").len())
    );
    let text = String::from_utf8_lossy(&bytes[..1000]).into_owned();
    let at = text.find(&this).expect("the header names the version");
    let mut changed = bytes.clone();
    changed[at..at + other.len()].copy_from_slice(other.as_bytes());
    fs::write(&path, reseal(&changed)).unwrap();
    assert_merge_refused(
        cwd,
        &["out"],
        "shard-1-of-2.state",
        "written by worthit 999",
    );
}

#[test]
fn missing_duplicated_damaged_and_foreign_states_are_refused_naming_the_file() {
    let (tmp, _) = tmp_with_small();
    let cwd = tmp.path();
    shards(cwd, &[0, 1, 2], 3, "out", &[]);
    let state = |k: u64| cwd.join(format!("out/small/shard-{k}-of-3.state"));
    // A missing shard: the error names the file that should be there.
    fs::create_dir(cwd.join("some")).unwrap();
    fs::copy(state(0), cwd.join("some/shard-0-of-3.state")).unwrap();
    fs::copy(state(2), cwd.join("some/shard-2-of-3.state")).unwrap();
    assert_merge_refused(cwd, &["some"], "some/shard-1-of-3.state", "is missing");
    // The error says how to run what is missing.
    shards(cwd, &[1], 2, "hint", &["--trials", "3000", "--seed", "9"]);
    assert_merge_refused(
        cwd,
        &["hint"],
        "hint/small/shard-0-of-2.state",
        "run `worthit run small.toml --trials 3000 --seed 9 --shard 0/2 --out hint`",
    );
    // A duplicated shard: the same shard in two files (the same file named twice is fine).
    fs::create_dir(cwd.join("copy")).unwrap();
    fs::copy(state(1), cwd.join("copy/shard-1-of-3.state")).unwrap();
    assert_merge_refused(cwd, &["out", "copy"], "copy/shard-1-of-3.state", "again");
    worthit()
        .current_dir(cwd)
        .args([
            "merge",
            "out",
            "out/small/shard-1-of-3.state",
            "--no-charts",
            "--out",
            "twice",
        ])
        .assert()
        .success();
    // A truncated state.
    let good = fs::read(state(1)).unwrap();
    fs::write(state(1), &good[..good.len() / 2]).unwrap();
    assert_merge_refused(cwd, &["out"], "shard-1-of-3.state", "is truncated");
    // A flipped bit.
    let mut flipped = good.clone();
    let i = good.len() * 2 / 3;
    flipped[i] ^= 0x04;
    fs::write(state(1), &flipped).unwrap();
    assert_merge_refused(cwd, &["out"], "shard-1-of-3.state", "is damaged");
    fs::write(state(1), &good).unwrap();
    // A file that is not a state: named directly, or found in a folder.
    fs::write(cwd.join("notes.state"), "shard 1 ran on node 7\n").unwrap();
    assert_merge_refused(
        cwd,
        &["out", "notes.state"],
        "notes.state",
        "is not a worthit shard state",
    );
    fs::write(cwd.join("out/small/notes.state"), "a,b\n1,2\n").unwrap();
    assert_merge_refused(cwd, &["out"], "notes.state", "is not a worthit shard state");
    fs::remove_file(cwd.join("out/small/notes.state")).unwrap();
    // A scenario file's name given as a state.
    assert_merge_refused(
        cwd,
        &["small.toml"],
        "small.toml",
        "is not a worthit shard state",
    );
    // Intact again: the merge succeeds.
    worthit()
        .current_dir(cwd)
        .args(["merge", "out", "--no-charts", "--out", "merged"])
        .assert()
        .success();
    // Without --out, the merged outputs land beside the states (the folder the shards were
    // given), not in ./output; the states stay.
    worthit()
        .current_dir(cwd)
        .args(["merge", "out", "--no-charts"])
        .assert()
        .success();
    assert!(!cwd.join("output").exists());
    assert_eq!(
        fs::read(cwd.join("out/small/summary.csv")).unwrap(),
        fs::read(cwd.join("merged/small/summary.csv")).unwrap()
    );
    assert!(state(0).exists() && state(1).exists() && state(2).exists());
}

#[test]
fn a_state_does_not_grow_with_the_trials() {
    // Twenty times the trials: the state holds counts per bin, not values per trial.
    let (tmp, _) = tmp_with_small();
    let cwd = tmp.path();
    let size = |trials: &str, out: &str| {
        shard(cwd, "small.toml", 0, 1, out, &["--trials", trials]);
        fs::metadata(cwd.join(out).join("small/shard-0-of-1.state"))
            .unwrap()
            .len()
    };
    let (small, large) = (size("2000", "a"), size("40000", "b"));
    assert!(
        large < 2 * small,
        "{small} bytes at 2,000 trials, {large} at 40,000"
    );
}

#[test]
fn empirical_data_files_are_part_of_the_fingerprint() {
    let (tmp, _) = tmp_with_small();
    let cwd = tmp.path();
    let with_data = SMALL.replace(
        "completion = 0.85",
        r#"completion = { dist = "empirical", file = "rates.csv", column = "rate" }"#,
    );
    fs::write(cwd.join("small.toml"), with_data).unwrap();
    fs::write(cwd.join("rates.csv"), "rate\n0.8\n0.9\n").unwrap();
    shards(cwd, &[0, 1], 2, "same", &[]);
    // The data read by shard 1 differ from shard 0's.
    shards(cwd, &[0], 2, "changed", &[]);
    fs::write(cwd.join("rates.csv"), "rate\n0.7\n0.9\n").unwrap();
    shards(cwd, &[1], 2, "changed", &[]);
    fs::write(cwd.join("rates.csv"), "rate\n0.8\n0.9\n").unwrap();
    assert_merge_refused(
        cwd,
        &["changed"],
        "changed/small/shard-1-of-2.state",
        "empirical data SHA-256",
    );
    // The data changed after both shards ran: the merge reads them beside the scenario.
    fs::write(cwd.join("rates.csv"), "rate\n0.7\n0.9\n").unwrap();
    assert_merge_refused(
        cwd,
        &["same"],
        "same/small/shard-0-of-2.state",
        "the data files of the empirical inputs of small.toml differ here",
    );
    fs::write(cwd.join("rates.csv"), "rate\n0.8\n0.9\n").unwrap();
    worthit()
        .current_dir(cwd)
        .args(["merge", "same", "--no-charts", "--out", "merged"])
        .assert()
        .success();
}

#[test]
fn shards_started_together_share_their_folder() {
    // As a job array starts them: all at once, into one output folder.
    let (tmp, _) = tmp_with_small();
    let cwd = tmp.path();
    let bin = assert_cmd::cargo::cargo_bin("worthit");
    let n = 5;
    let children: Vec<std::process::Child> = (0..n)
        .map(|k| {
            let mut c = std::process::Command::new(&bin);
            for v in INDEX_VARS {
                c.env_remove(v);
            }
            c.current_dir(cwd)
                .env("SLURM_ARRAY_TASK_ID", k.to_string())
                .args(["run", "small.toml", "-q", "--threads", "1", "--out", "out"])
                .args(["--shard", &format!("auto/{n}")])
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut c in children {
        assert!(c.wait().unwrap().success());
    }
    let states: BTreeSet<String> = (0..n)
        .map(|k| format!("small/shard-{k}-of-{n}.state"))
        .collect();
    assert_eq!(files_under(&cwd.join("out")), states);
    worthit()
        .current_dir(cwd)
        .args(["run", "small.toml", "-q", "--no-charts", "--out", "whole"])
        .assert()
        .success();
    worthit()
        .current_dir(cwd)
        .args(["merge", "out", "--no-charts", "--out", "merged"])
        .assert()
        .success();
    assert_same_csvs(
        &cwd.join("whole/small"),
        &cwd.join("merged/small"),
        "together",
    );
}

#[test]
fn a_shard_that_cannot_write_is_a_one_line_error_and_exit_1() {
    let (tmp, _) = tmp_with_small();
    let cwd = tmp.path();
    fs::write(cwd.join("blocker"), "a regular file").unwrap();
    let assert = worthit()
        .current_dir(cwd)
        .args([
            "run",
            "small.toml",
            "-q",
            "--out",
            "blocker/out",
            "--shard",
            "0/2",
        ])
        .assert()
        .code(1);
    let stderr = stderr_of(assert.get_output());
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with("error: cannot write blocker: it exists and is not a folder"),
        "{stderr}"
    );
}

/// A merge writes the results of the text its shards ran; when the scenario file has changed
/// on disk since, it says so (and still merges).
#[test]
fn a_merge_warns_when_the_scenario_file_changed_since_its_shards() {
    let (tmp, file) = tmp_with_small();
    let cwd = tmp.path();
    shards(cwd, &[0, 1], 2, "out", &[]);
    let merge = || {
        worthit()
            .current_dir(cwd)
            .args(["merge", "out", "--no-charts", "-q", "--out", "merged"])
            .assert()
            .success()
    };
    let quiet = stderr_of(merge().get_output());
    assert!(!quiet.contains("has changed"), "{quiet}");
    fs::write(&file, format!("{SMALL}\n# an edit\n")).unwrap();
    let warned = stderr_of(merge().get_output());
    assert!(
        warned.contains("warning: small.toml has changed since its shards ran"),
        "{warned}"
    );
}
