//! Whatever the input, signal or pipe: nothing is written outside `--out`, nothing hangs or
//! panics, no stale or stray file is left. Each test spawns the binary in its own temporary
//! folder and takes a few seconds at most.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command as StdCommand, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::Command;
use assert_cmd::cargo::cargo_bin;
use sha2::{Digest, Sha256};

/// A small scenario: ten years, a baseline and `ALTERNATIVES` paths.
fn scenario(alternatives: &[&str]) -> String {
    let mut s = String::from(
        r#"name = "Hardening"

[simulation]
trials = 500
seed = 3

[tax]
effective_rate = 0.25

[person]
age = 30
retirement_age = 40
salary = { dist = "lognormal", median = 60_000, p90 = 80_000 }

[roles.mle]
salary = { dist = "lognormal", median = 100_000, p90 = 140_000 }

[paths.stay]
label = "Stay"
baseline = true
"#,
    );
    for key in alternatives {
        s.push_str(&format!(
            "\n[paths.{key}]\nlabel = \"Path {key}\"\nduration_months = 6\ncompletion = 0.8\nroles = {{ mle = 1 }}\n"
        ));
    }
    s
}

fn small() -> String {
    scenario(&["course", "camp"])
}

fn worthit() -> Command {
    Command::cargo_bin("worthit").expect("the worthit binary is built")
}

fn spawn(dir: &Path, args: &[&str]) -> Child {
    StdCommand::new(cargo_bin("worthit"))
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the worthit binary starts")
}

/// Every entry under `dir` (files and folders, hidden ones included), relative.
fn entries(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        let Ok(list) = fs::read_dir(dir) else { return };
        for e in list {
            let p = e.unwrap().path();
            out.push(p.strip_prefix(root).unwrap().to_string_lossy().into_owned());
            if p.is_dir() {
                walk(root, &p, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn hidden(dir: &Path) -> Vec<String> {
    entries(dir)
        .into_iter()
        .filter(|e| e.split('/').any(|part| part.starts_with('.')))
        .collect()
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Wait until `dir` holds an entry whose name starts with `prefix` (the run reached it).
fn wait_for(dir: &Path, prefix: &str, child: &mut Child) {
    let started = Instant::now();
    loop {
        if entries(dir).iter().any(|e| e.starts_with(prefix)) {
            return;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the run ended ({status}) before {prefix}* appeared");
        }
        assert!(started.elapsed() < Duration::from_secs(20), "no {prefix}*");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn kill(child: &Child, signal: &str) {
    let ok = StdCommand::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill {signal}");
}

// ---------------------------------------------------------------------------------------------
// Names: nothing outside --out
// ---------------------------------------------------------------------------------------------

#[test]
fn path_and_role_keys_that_could_leave_the_output_folder_are_located_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let cases = [
        ("\"../../x\"", "paths"),
        ("\"/tmp/worthit-escape\"", "paths"),
        ("\"a/b\"", "paths"),
        ("\"a.b\"", "paths"),
    ];
    for (key, table) in cases {
        let text = small().replace("[paths.camp]", &format!("[{table}.{key}]"));
        fs::write(tmp.path().join("s.toml"), &text).unwrap();
        let line = text.lines().position(|l| l.contains(key)).unwrap() + 1;
        let out = worthit()
            .current_dir(tmp.path())
            .args(["run", "s.toml", "-q", "--out", "o"])
            .assert()
            .code(1);
        let stderr = stderr_of(out.get_output());
        assert!(
            stderr.contains(&format!("s.toml:{line}:"))
                && stderr.contains("a key of ASCII letters"),
            "{key}: {stderr}"
        );
        assert!(!tmp.path().join("x").exists() && !tmp.path().join("a").exists());
    }
    assert!(!Path::new("/tmp/worthit-escape_vs_course.png").exists());
    // A role key too, and the role reference that names it is not a second error.
    let text = small()
        .replace("[roles.mle]", "[roles.\"m/le\"]")
        .replace("mle = 1", "\"m/le\" = 1");
    fs::write(tmp.path().join("r.toml"), &text).unwrap();
    let out = worthit()
        .current_dir(tmp.path())
        .args(["validate", "r.toml"])
        .assert()
        .code(1);
    let stderr = stderr_of(out.get_output());
    assert!(
        stderr.contains("roles.m/le") && stderr.ends_with("1 error\n"),
        "{stderr}"
    );
    assert_eq!(entries(&tmp.path().join("o")), Vec::<String>::new());
}

#[test]
fn an_overlong_or_multiline_label_is_a_located_error_found_quickly() {
    let tmp = tempfile::tempdir().unwrap();
    for label in ["x".repeat(100_000), "two\\nlines".to_string()] {
        let text = small().replace("label = \"Path camp\"", &format!("label = \"{label}\""));
        fs::write(tmp.path().join("l.toml"), &text).unwrap();
        let started = Instant::now();
        let out = worthit()
            .current_dir(tmp.path())
            .args(["validate", "l.toml"])
            .timeout(Duration::from_secs(10))
            .assert()
            .code(1);
        let stderr = stderr_of(out.get_output());
        assert!(
            stderr.contains("paths.camp.label") && stderr.contains("at most 200"),
            "{stderr}"
        );
        assert!(
            stderr.len() < 3_000,
            "a short message, not the label: {} bytes",
            stderr.len()
        );
        assert!(started.elapsed() < Duration::from_secs(5));
    }
}

#[test]
fn an_escape_sequence_in_a_key_is_not_printed_raw() {
    let tmp = tempfile::tempdir().unwrap();
    // A TOML escape puts a raw ESC into the key.
    let text = small().replace("[person]", "[person]\n\"\\u001b[31mred\" = 1");
    fs::write(tmp.path().join("e.toml"), text).unwrap();
    let out = worthit()
        .current_dir(tmp.path())
        .args(["validate", "e.toml"])
        .assert()
        .code(1);
    let stderr = stderr_of(out.get_output());
    assert!(stderr.contains("person.\u{241b}[31mred"), "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
}

// ---------------------------------------------------------------------------------------------
// Unbounded reads, hangs, quadratic time
// ---------------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn an_empirical_file_that_is_not_a_small_regular_file_is_an_error_not_a_hang() {
    let tmp = tempfile::tempdir().unwrap();
    let fifo = tmp.path().join("fifo.csv");
    assert!(
        StdCommand::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    fs::create_dir(tmp.path().join("folder.csv")).unwrap();
    // Sparse: 17 MiB on paper, nothing on disk.
    let big = fs::File::create(tmp.path().join("big.csv")).unwrap();
    big.set_len(17 * 1024 * 1024).unwrap();
    for (file, says) in [
        ("fifo.csv", "not a regular file"),
        ("/dev/zero", "not a regular file"),
        ("folder.csv", "a folder"),
        ("big.csv", "more than 16 MiB"),
    ] {
        let text = small().replace(
            "duration_months = 6\ncompletion = 0.8\nroles = { mle = 1 }\n",
            &format!(
                "duration_months = {{ dist = \"empirical\", file = \"{file}\", column = \"m\" }}\ncompletion = 0.8\nroles = {{ mle = 1 }}\n"
            ),
        );
        fs::write(tmp.path().join("d.toml"), &text).unwrap();
        let started = Instant::now();
        let out = worthit()
            .current_dir(tmp.path())
            .args(["validate", "d.toml"])
            .timeout(Duration::from_secs(10))
            .assert()
            .code(1);
        let stderr = stderr_of(out.get_output());
        assert!(
            stderr.contains(".duration_months.file")
                && stderr.contains(says)
                && stderr.contains("d.toml:"),
            "{file}: {stderr}"
        );
        assert!(started.elapsed() < Duration::from_secs(5), "{file}");
    }
    // The scenario file itself is read within a limit too.
    let out = worthit()
        .args(["validate", "/dev/zero"])
        .timeout(Duration::from_secs(10))
        .assert()
        .code(1);
    assert!(stderr_of(out.get_output()).contains("more than 16 MiB"));
}

#[test]
fn thousands_of_mistakes_in_a_large_file_are_reported_in_linear_time() {
    // 60,000 unknown keys, 1.3 MB: each error used to recount the lines from the start (minutes).
    let mut text = small();
    text.push_str("\n[paths.course.costs]\n");
    for i in 0..60_000 {
        text.push_str(&format!("unknown_key_{i} = {i}\n"));
    }
    let started = Instant::now();
    let err = worthit::scenario::load_str(&text, Path::new("big.toml")).unwrap_err();
    assert_eq!(err.diagnostics.len(), 60_000);
    let last = err.diagnostics.last().unwrap();
    assert_eq!(last.line, text.lines().count());
    // About 2 s of CPU in a test build; a scan from the start of the text for each error
    // took tens of seconds to minutes. The margin absorbs a machine shared with other builds.
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_secs(30), "{elapsed:?}");
}

// ---------------------------------------------------------------------------------------------
// Pipes and full disks
// ---------------------------------------------------------------------------------------------

/// A folder of three scenarios (one bad, so that stderr is written to too).
fn three_scenarios(dir: &Path) -> PathBuf {
    let folder = dir.join("many");
    fs::create_dir(&folder).unwrap();
    for name in ["a", "b", "c"] {
        fs::write(folder.join(format!("{name}.toml")), small()).unwrap();
    }
    fs::write(folder.join("bad.toml"), "[person\n").unwrap();
    folder
}

#[test]
fn a_closed_stdout_ends_the_output_quietly_and_every_scenario_still_runs() {
    let tmp = tempfile::tempdir().unwrap();
    three_scenarios(tmp.path());
    let mut child = StdCommand::new(cargo_bin("worthit"))
        .current_dir(tmp.path())
        .args(["run", "many", "--no-charts", "--out", "o"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // The reader goes away at once, as `| head -0` would.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = stderr_of(&out);
    assert_eq!(
        out.status.code(),
        Some(1),
        "the bad scenario fails: {stderr}"
    );
    assert!(
        !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
        "{stderr}"
    );
    for name in ["a", "b", "c"] {
        assert!(
            tmp.path().join(format!("o/{name}/summary.csv")).exists(),
            "{name}"
        );
    }
    assert!(tmp.path().join("o/batch_summary.csv").exists());
}

#[test]
fn a_closed_stderr_does_not_stop_the_run() {
    let tmp = tempfile::tempdir().unwrap();
    three_scenarios(tmp.path());
    let mut child = StdCommand::new(cargo_bin("worthit"))
        .current_dir(tmp.path())
        .args(["run", "many", "--no-charts", "--out", "o"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    let status = child.wait().unwrap();
    // 1 for the bad scenario, not 101 for a panic.
    assert_eq!(status.code(), Some(1));
    for name in ["a", "b", "c"] {
        assert!(
            tmp.path().join(format!("o/{name}/summary.csv")).exists(),
            "{name}"
        );
    }
}

#[cfg(target_os = "linux")]
#[test]
fn stdout_on_a_full_disk_is_one_error_not_a_panic() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("s.toml"), small()).unwrap();
    let full = fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let out = StdCommand::new(cargo_bin("worthit"))
        .current_dir(tmp.path())
        .args(["run", "s.toml", "--no-charts", "--out", "o"])
        .stdout(full)
        .output()
        .unwrap();
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(
        stderr.contains("standard output") && stderr.lines().count() == 1,
        "{stderr}"
    );
    assert!(tmp.path().join("o/s/summary.csv").exists());
}

#[cfg(unix)]
#[test]
fn a_scenario_read_from_stdin_is_read_once_hashed_and_run() {
    let tmp = tempfile::tempdir().unwrap();
    let text = small();
    worthit()
        .current_dir(tmp.path())
        .args(["run", "/dev/stdin", "--no-charts", "-q", "--out", "o"])
        .write_stdin(text.clone())
        .assert()
        .success();
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(tmp.path().join("o/stdin/run.json")).unwrap())
            .unwrap();
    let sha: String = Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(json["scenario_sha256"], sha);
    assert_eq!(json["scenario"], "Hardening");
}

// ---------------------------------------------------------------------------------------------
// Signals, kills and stray files
// ---------------------------------------------------------------------------------------------

/// Start a long run of `s.toml` into `o` and wait until its staging folder exists.
fn long_run(dir: &Path) -> Child {
    long_run_with(dir, &[], ".s.tmp-")
}

/// A long run of `s.toml` into `o` with `extra` arguments, once an entry of `o` whose name
/// starts with `prefix` exists.
fn long_run_with(dir: &Path, extra: &[&str], prefix: &str) -> Child {
    let mut args = vec![
        "run",
        "s.toml",
        "--trials",
        "2000000000",
        "--threads",
        "1",
        "-q",
        "--out",
        "o",
    ];
    args.extend(extra);
    let mut child = spawn(dir, &args);
    wait_for(&dir.join("o"), prefix, &mut child);
    child
}

#[cfg(unix)]
#[test]
fn ctrl_c_sigterm_and_sighup_remove_the_temporaries_keep_the_old_folder_and_exit_128_plus_n() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("s.toml"), small()).unwrap();
    worthit()
        .current_dir(tmp.path())
        .args(["run", "s.toml", "--no-charts", "-q", "--out", "o"])
        .assert()
        .success();
    let before = entries(&tmp.path().join("o"));
    let run_json = fs::read(tmp.path().join("o/s/run.json")).unwrap();
    for (signal, code, says) in [
        ("-INT", 130, "Ctrl-C"),
        ("-TERM", 143, "SIGTERM"),
        ("-HUP", 129, "SIGHUP"),
    ] {
        let child = long_run(tmp.path());
        kill(&child, signal);
        let out = child.wait_with_output().unwrap();
        let stderr = stderr_of(&out);
        assert_eq!(out.status.code(), Some(code), "{signal}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(
            stderr.contains(says) && stderr.contains("1 unfinished output removed"),
            "{stderr}"
        );
        assert_eq!(entries(&tmp.path().join("o")), before, "{signal}");
        assert_eq!(fs::read(tmp.path().join("o/s/run.json")).unwrap(), run_json);
    }
}

/// A shard stopped before its state is written leaves no scenario folder that it made (an
/// empty folder that the next shards and the merge would have to step around).
#[cfg(unix)]
#[test]
fn a_shard_stopped_leaves_no_empty_folder_it_made() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("s.toml"), small()).unwrap();
    let child = long_run_with(tmp.path(), &["--shard", "0/2"], "s");
    // Under way: the simulation has started in the folder made for its state.
    std::thread::sleep(Duration::from_millis(200));
    kill(&child, "-INT");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr_of(&out));
    assert!(!tmp.path().join("o/s").exists(), "{}", stderr_of(&out));
}

/// A batch stopped after its first scenario's folder was replaced leaves no batch file that
/// lists that scenario's old results.
#[cfg(unix)]
#[test]
fn a_batch_stopped_halfway_leaves_no_batch_file_of_the_old_results() {
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("two")).unwrap();
    fs::write(tmp.path().join("two/a.toml"), small()).unwrap();
    let long = small().replace("trials = 500", "trials = 2000000000");
    fs::write(tmp.path().join("two/z.toml"), long).unwrap();
    worthit()
        .current_dir(tmp.path())
        .args([
            "run",
            "two",
            "--trials",
            "300",
            "--threads",
            "1",
            "-q",
            "--out",
            "o",
        ])
        .assert()
        .success();
    let o = tmp.path().join("o");
    assert!(o.join("batch_summary.csv").is_file() && o.join("index.html").is_file());
    let old = fs::read(o.join("a/summary.csv")).unwrap();
    let mut child = spawn(
        tmp.path(),
        &[
            "run",
            "two",
            "--threads",
            "1",
            "--seed",
            "9",
            "-q",
            "--out",
            "o",
        ],
    );
    wait_for(&o, ".z.tmp-", &mut child);
    kill(&child, "-INT");
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{}", stderr_of(&out));
    assert_ne!(
        fs::read(o.join("a/summary.csv")).unwrap(),
        old,
        "a ran again"
    );
    assert!(!o.join("batch_summary.csv").exists());
    assert!(!o.join("index.html").exists());
}

#[cfg(unix)]
#[test]
fn what_a_killed_run_leaves_is_removed_by_the_next_run() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("s.toml"), small()).unwrap();
    let mut child = long_run(tmp.path());
    kill(&child, "-KILL");
    child.wait().unwrap();
    // An unfinished file of an older version, too. The killed run's lock is left, for the
    // next run to take over.
    fs::write(tmp.path().join("o/.summary.csv.tmp-4194400"), "half").unwrap();
    assert!(tmp.path().join("o/.worthit.lock").is_file());
    assert_eq!(
        hidden(&tmp.path().join("o")).len(),
        3,
        "{:?}",
        entries(&tmp.path().join("o"))
    );
    worthit()
        .current_dir(tmp.path())
        .args(["run", "s.toml", "--no-charts", "-q", "--out", "o"])
        .assert()
        .success();
    assert_eq!(hidden(&tmp.path().join("o")), Vec::<String>::new());
}

/// Everything worthit writes in a scenario's folder is its own: a rerun replaces a folder
/// that holds the matrix of many paths, every question's files and a desktop's metadata.
#[test]
fn a_rerun_replaces_whatever_worthit_wrote_there() {
    let tmp = tempfile::tempdir().unwrap();
    let mut text = scenario(&["a", "b", "c", "d", "e", "f"]);
    text.push_str(
        "\n[[thresholds]]\nvary = \"paths.a.completion\"\nfrom = 0.1\nto = 1.0\npath = \"a\"\n\n[[sweeps]]\nx = { vary = \"paths.b.completion\", values = [0.5, 0.9] }\n",
    );
    fs::write(tmp.path().join("s.toml"), text).unwrap();
    let run = |args: &[&str]| {
        worthit()
            .current_dir(tmp.path())
            .args(args)
            .args(["-q", "--out", "o"])
            .assert()
            .success();
    };
    run(&["run", "s.toml"]);
    let out = tmp.path().join("o/s");
    assert!(out.join("pairs.png").exists(), "{:?}", entries(&out));
    run(&[
        "threshold",
        "s.toml",
        "--vary",
        "paths.c.completion=0.1..1",
        "--path",
        "c",
    ]);
    run(&["sweep", "s.toml", "--vary", "paths.d.completion=0.2,0.8"]);
    run(&["run", "s.toml", "--shard", "0/2"]);
    fs::write(out.join(".DS_Store"), "finder").unwrap();
    worthit_core_check(&out);
    run(&["run", "s.toml"]);
}

/// The library's check agrees with the rerun above (so a name added to the outputs
/// without being added to the list fails here, not in a user's folder).
fn worthit_core_check(dir: &Path) {
    if let Err(e) = worthit::report::output::check_replaceable(dir) {
        panic!("{e}: {:?}", entries(dir));
    }
}

#[test]
fn a_rerun_replaces_the_folder_whole_keeping_only_shard_states() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o/s");
    fs::write(tmp.path().join("s.toml"), scenario(&["a", "b", "c", "d"])).unwrap();
    let run = |args: &[&str]| {
        worthit()
            .current_dir(tmp.path())
            .args(["run", "s.toml", "-q", "--out", "o"])
            .args(args)
            .assert()
            .success();
    };
    run(&[]);
    let pairs = |d: &Path| entries(d).iter().filter(|e| e.contains("_vs_")).count();
    assert_eq!(pairs(&out), 6);
    fs::write(out.join("shard-0.state"), "state").unwrap();
    fs::write(tmp.path().join("s.toml"), scenario(&["a"])).unwrap();
    // A file that worthit did not write: the folder is not replaced (it would be lost), and
    // the error names it, before any trial runs.
    fs::write(out.join("notes.txt"), "mine").unwrap();
    worthit()
        .current_dir(tmp.path())
        .args(["run", "s.toml", "-q", "--out", "o"])
        .assert()
        .failure()
        .stderr(predicates::str::contains(
            "will not replace o/s: it holds \"notes.txt\", which worthit did not write there",
        ));
    assert_eq!(fs::read_to_string(out.join("notes.txt")).unwrap(), "mine");
    assert_eq!(pairs(&out), 6);
    fs::remove_file(out.join("notes.txt")).unwrap();
    run(&[]);
    assert_eq!(pairs(&out), 0, "{:?}", entries(&out));
    assert_eq!(
        fs::read_to_string(out.join("shard-0.state")).unwrap(),
        "state"
    );
    // Without charts, the previous run's report goes too: nothing in the folder is older
    // than the run.
    run(&["--no-charts"]);
    assert!(!out.join("report.html").exists() && !out.join("net_return.png").exists());
    assert!(out.join("summary.csv").exists());
    assert_eq!(hidden(&tmp.path().join("o")), Vec::<String>::new());
}

#[test]
fn the_probe_of_the_output_folder_is_this_runs_own() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("s.toml"), small()).unwrap();
    // What another run's probe, at the name every run used, looked like mid-check.
    fs::create_dir_all(tmp.path().join("o/.worthit-probe/x")).unwrap();
    worthit()
        .current_dir(tmp.path())
        .args(["run", "s.toml", "--no-charts", "-q", "--out", "o"])
        .assert()
        .success();
    // Two runs at once into the same folder: the one that comes second while the first is
    // still writing is refused (the output folder is locked), and says why.
    let a = spawn(
        tmp.path(),
        &[
            "run",
            "s.toml",
            "--no-charts",
            "-q",
            "--out",
            "o",
            "--seed",
            "1",
        ],
    );
    let b = spawn(
        tmp.path(),
        &[
            "run",
            "s.toml",
            "--no-charts",
            "-q",
            "--out",
            "o",
            "--seed",
            "2",
        ],
    );
    let mut succeeded = 0;
    for child in [a, b] {
        let out = child.wait_with_output().unwrap();
        let stderr = stderr_of(&out);
        if out.status.success() {
            succeeded += 1;
        } else {
            assert!(
                stderr.contains("is being written by another worthit run"),
                "{stderr}"
            );
        }
        assert!(!stderr.contains("worthit-probe"), "{stderr}");
    }
    assert!(succeeded >= 1);
    assert!(tmp.path().join("o/s/summary.csv").exists());
    assert!(!tmp.path().join("o/.worthit.lock").exists());
}

// ---------------------------------------------------------------------------------------------
// Smaller
// ---------------------------------------------------------------------------------------------

#[test]
fn a_label_that_a_spreadsheet_would_run_is_quoted_in_the_csv_files() {
    let tmp = tempfile::tempdir().unwrap();
    let text = small().replace("label = \"Path camp\"", "label = \"=1+2\"");
    fs::write(tmp.path().join("s.toml"), text).unwrap();
    worthit()
        .current_dir(tmp.path())
        .args(["run", "s.toml", "--no-charts", "-q", "--out", "o"])
        .assert()
        .success();
    let summary = fs::read_to_string(tmp.path().join("o/s/summary.csv")).unwrap();
    assert!(summary.contains(",camp,'=1+2,"), "{summary}");
    assert!(!summary.contains(",=1+2,"), "{summary}");
}

#[test]
fn the_seed_has_one_range_on_the_command_line_and_in_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("s.toml"), small()).unwrap();
    let above = (i64::MAX as u64 + 1).to_string();
    worthit()
        .current_dir(tmp.path())
        .args(["run", "s.toml", "--seed", &above, "--out", "o"])
        .assert()
        .code(2);
    fs::write(
        tmp.path().join("f.toml"),
        small().replace("seed = 3", &format!("seed = {above}")),
    )
    .unwrap();
    worthit()
        .current_dir(tmp.path())
        .args(["validate", "f.toml"])
        .assert()
        .code(1);
    assert!(!tmp.path().join("o").exists());
}

#[cfg(unix)]
#[test]
fn init_writes_the_whole_template_or_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    // A file size limit of 1 KiB: the template (over 5 KiB) cannot be written whole.
    let status = StdCommand::new("sh")
        .current_dir(tmp.path())
        .arg("-c")
        .arg("ulimit -f 1 && exec \"$0\" init x.toml")
        .arg(cargo_bin("worthit"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(!status.success());
    assert!(
        !tmp.path().join("x.toml").exists(),
        "a truncated template was left"
    );
    // So a second init is not refused over a broken file.
    worthit()
        .current_dir(tmp.path())
        .args(["init", "x.toml"])
        .assert()
        .success();
    let written = fs::read_to_string(tmp.path().join("x.toml")).unwrap();
    assert_eq!(written, worthit::scenario::template::template());
}

#[test]
fn a_run_that_leaves_the_exact_range_names_the_path_and_where_to_look() {
    let tmp = tempfile::tempdir().unwrap();
    // A raise of 100% a year is a valid rate, but over 80 years it leaves the range where the
    // statistics are exact (a raise of 5, 500%, is refused by validation with a location).
    let text = small()
        .replace(
            "[roles.mle]\nsalary = { dist = \"lognormal\", median = 100_000, p90 = 140_000 }",
            "[roles.mle]\nsalary = { dist = \"lognormal\", median = 100_000, p90 = 140_000 }\nannual_raise = 1",
        )
        .replace("retirement_age = 40", "retirement_age = 110");
    fs::write(tmp.path().join("s.toml"), &text).unwrap();
    worthit()
        .current_dir(tmp.path())
        .args(["validate", "s.toml"])
        .assert()
        .success();
    let out = worthit()
        .current_dir(tmp.path())
        .args(["run", "s.toml", "-q", "--out", "o"])
        .assert()
        .code(1);
    let stderr = stderr_of(out.get_output());
    assert!(
        stderr.contains("[roles.mle]") && stderr.contains("[paths."),
        "{stderr}"
    );
    assert_eq!(entries(&tmp.path().join("o")), Vec::<String>::new());
}

/// A user's own `index.html` or `batch_summary.csv` in the output folder (a folder published
/// as a site) is neither replaced by a batch nor removed as an earlier batch's: a batch run
/// refuses before running anything, a single scenario's run leaves them alone, and worthit's
/// own are replaced as before.
#[test]
fn a_users_own_index_page_or_table_in_the_output_folder_is_kept() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    fs::write(dir.join("a.toml"), small()).unwrap();
    fs::write(dir.join("b.toml"), small()).unwrap();
    let out = dir.join("site");
    fs::create_dir(&out).unwrap();
    let page = "<html><title>My site</title></html>\n";
    let table = "scenario,verdict\na,mine\n";
    for (name, mine) in [("index.html", page), ("batch_summary.csv", table)] {
        fs::write(out.join(name), mine).unwrap();
        let assert = worthit()
            .current_dir(dir)
            .args([
                "run", "a.toml", "b.toml", "--trials", "200", "-q", "--out", "site",
            ])
            .assert()
            .code(1);
        let stderr = stderr_of(assert.get_output());
        assert!(
            stderr.contains(&format!("will not replace site/{name}")),
            "{stderr}"
        );
        assert_eq!(fs::read_to_string(out.join(name)).unwrap(), mine);
        assert!(!out.join("b").exists(), "nothing ran");
        // A single scenario's run leaves it, even when it names the scenario.
        worthit()
            .current_dir(dir)
            .args(["run", "a.toml", "--trials", "200", "-q", "--out", "site"])
            .assert()
            .success();
        assert_eq!(fs::read_to_string(out.join(name)).unwrap(), mine);
        fs::remove_file(out.join(name)).unwrap();
    }
    // Without a user's file: the batch's own are written, and replaced by the next batch.
    for _ in 0..2 {
        worthit()
            .current_dir(dir)
            .args([
                "run", "a.toml", "b.toml", "--trials", "200", "-q", "--out", "site",
            ])
            .assert()
            .success();
    }
    assert!(
        fs::read_to_string(out.join("index.html"))
            .unwrap()
            .contains("All scenarios")
    );
    assert!(
        fs::read_to_string(out.join("batch_summary.csv"))
            .unwrap()
            .starts_with("scenario,path,label,")
    );
}
