//! `--set KEY=VALUE` on `run` and `validate`, and `worthit schema`: an override is the same
//! run as the edited file, and a bad one is a usage error that names it, with nothing written.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

const SCENARIO: &str = r#"
[simulation]
trials = 2_000
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
baseline = true
[paths.masters]
duration_months = 12
completion = { dist = "beta", mean = 0.8, sd = 0.05 }
placement = { dist = "beta", mean = 0.7, sd = 0.1 }
roles = { mle = 1 }
[paths.masters.costs]
tuition_per_year = 30_000
[paths.masters.financing]
federal = true
federal_rate = 0.0794
private_rate = 0.09
"#;

fn worthit() -> Command {
    Command::cargo_bin("worthit").unwrap()
}

fn csvs(dir: &Path) -> Vec<(String, Vec<u8>)> {
    [
        "summary.csv",
        "npv.csv",
        "pairwise.csv",
        "histogram.csv",
        "timeline.csv",
    ]
    .iter()
    .map(|f| (f.to_string(), fs::read(dir.join(f)).unwrap()))
    .collect()
}

#[test]
fn a_run_with_set_writes_the_csv_files_of_the_edited_file() {
    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a");
    let b = tmp.path().join("b");
    fs::create_dir_all(&a).unwrap();
    fs::create_dir_all(&b).unwrap();
    fs::write(a.join("s.toml"), SCENARIO).unwrap();
    let edited = SCENARIO
        .replace(
            "placement = { dist = \"beta\", mean = 0.7, sd = 0.1 }",
            "placement = 0.55",
        )
        .replace("tuition_per_year = 30_000", "tuition_per_year = 20_000")
        .replace(
            "[paths.masters.financing]",
            "[paths.masters.financing]\nrepayment = \"rap\"",
        );
    fs::write(b.join("s.toml"), edited).unwrap();
    worthit()
        .args(["run", "-q", "--no-charts", "--out"])
        .arg(tmp.path().join("out_a"))
        .arg(a.join("s.toml"))
        .args([
            "--set",
            "paths.masters.placement=0.55",
            "--set",
            "paths.masters.costs.tuition_per_year=20_000",
            "--set",
            "paths.masters.financing.repayment=rap",
        ])
        .assert()
        .success();
    worthit()
        .args(["run", "-q", "--no-charts", "--out"])
        .arg(tmp.path().join("out_b"))
        .arg(b.join("s.toml"))
        .assert()
        .success();
    let (x, y) = (
        csvs(&tmp.path().join("out_a/s")),
        csvs(&tmp.path().join("out_b/s")),
    );
    for ((name, p), (_, q)) in x.iter().zip(&y) {
        assert!(p == q, "{name} differs");
    }
    // run.json says what was set, in order and as typed; the unedited run, nothing.
    let json = |dir: &str| -> serde_json::Value {
        serde_json::from_slice(&fs::read(tmp.path().join(dir).join("s/run.json")).unwrap()).unwrap()
    };
    assert_eq!(
        json("out_a")["overrides"],
        serde_json::json!([
            { "key": "paths.masters.placement", "value": "0.55" },
            { "key": "paths.masters.costs.tuition_per_year", "value": "20_000" },
            { "key": "paths.masters.financing.repayment", "value": "rap" },
        ])
    );
    assert_eq!(json("out_b")["overrides"], serde_json::json!([]));
}

#[test]
fn the_report_marks_overridden_assumptions() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("s.toml"), SCENARIO).unwrap();
    worthit()
        .current_dir(tmp.path())
        .args([
            "run",
            "-q",
            "s.toml",
            "--trials",
            "1000",
            "--set",
            "paths.masters.placement.mean=0.6",
        ])
        .assert()
        .success();
    let html = fs::read_to_string(tmp.path().join("output/s/report.html")).unwrap();
    assert_eq!(
        html.matches("set on the command line").count(),
        2,
        "placement and trials"
    );
}

#[test]
fn bad_overrides_are_usage_errors_that_name_the_flag_and_write_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("s.toml"), SCENARIO).unwrap();
    for (set, says) in [
        (
            "paths.masters.placment=0.5",
            "not a key of the scenario format (did you mean `paths.masters.placement`?)",
        ),
        (
            "economy.discont_rate=0.05",
            "a key of `economy`: `discount_rate`, `inflation`",
        ),
        (
            "paths.masters.tuition_per_year=1",
            "not a key of the scenario format",
        ),
        ("paths.nope.placement=0.5", "no path `nope`"),
        ("paths.masters.placement=85", "did you mean 0.85?"),
        ("paths.masters.financing.federal_rate=7.94", "write 0.0794"),
        ("paths.masters.financing.repayment=weekly", "\"weekly\""),
        (
            "paths.masters.costs.tuition_per_year.mean=1",
            "not a distribution table",
        ),
        (
            "paths.masters.placement.average=0.5",
            "no distribution takes",
        ),
        ("paths.masters.placement={ dist", "not a TOML value"),
        // A parameter out of its distribution's range: found after the override is applied,
        // still the command line's mistake, not the file's.
        (
            "paths.masters.completion.mean=2",
            "found mean = 2 outside (0, 1)",
        ),
        // What can only be set whole: a distribution's kind, a role's weight.
        (
            "paths.masters.placement.dist=normal",
            "the whole input with its parameters, as one value",
        ),
        (
            "paths.masters.roles.mle=0.5",
            "the path's whole roles table, as one value: paths.masters.roles={ mle = 1, ... }",
        ),
    ] {
        let out = worthit()
            .current_dir(tmp.path())
            .args(["run", "-q", "s.toml", "--set", set])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says))
            .stderr(predicate::str::contains("--set "));
        let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        assert!(!err.contains("panicked"), "{err}");
        assert!(
            !tmp.path().join("output").exists(),
            "{set}: something was written"
        );
        worthit()
            .current_dir(tmp.path())
            .args(["validate", "s.toml", "--set", set])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(says));
    }
    // The file's earlier results stay: the file did not change (a mistake in the file
    // itself removes them, as outdated). sweep and threshold say the same, exit 2.
    worthit()
        .current_dir(tmp.path())
        .args(["run", "-q", "--no-charts", "s.toml"])
        .assert()
        .success();
    let set = ["--set", "paths.masters.completion.mean=2"];
    worthit()
        .current_dir(tmp.path())
        .args(["run", "-q", "s.toml"])
        .args(set)
        .assert()
        .code(2);
    assert!(tmp.path().join("output/s/summary.csv").is_file());
    worthit()
        .current_dir(tmp.path())
        .args([
            "sweep",
            "-q",
            "s.toml",
            "--vary",
            "paths.masters.placement=0.2,0.8",
        ])
        .args(set)
        .assert()
        .code(2);
    fs::remove_dir_all(tmp.path().join("output")).unwrap();
    // A folder whose scenarios differ: nothing runs, and the note names the files it fits.
    let other = SCENARIO.replace("[paths.masters]", "[paths.bootcamp]");
    let other = other.replace("paths.masters.", "paths.bootcamp.");
    fs::write(tmp.path().join("t.toml"), other).unwrap();
    worthit()
        .current_dir(tmp.path())
        .args(["run", "-q", ".", "--set", "paths.masters.placement=0.5"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no path `masters`"))
        .stderr(predicate::str::contains(
            "note: nothing was run; the --set overrides fit only ./s.toml: name that file",
        ));
    assert!(!tmp.path().join("output").exists());
    fs::remove_file(tmp.path().join("t.toml")).unwrap();
    // Not KEY=VALUE at all: clap's one-line usage error.
    worthit()
        .current_dir(tmp.path())
        .args(["run", "s.toml", "--set", "placement"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("KEY=VALUE"));
}

#[test]
fn schema_prints_a_json_schema_and_init_points_editors_at_it() {
    let out = worthit().arg("schema").assert().success();
    let v: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    assert!(v["$defs"]["path"]["properties"]["placement"].is_object());
    let tmp = tempfile::tempdir().unwrap();
    worthit()
        .current_dir(tmp.path())
        .args(["init", "mine.toml"])
        .assert()
        .success();
    let text = fs::read_to_string(tmp.path().join("mine.toml")).unwrap();
    assert!(text.starts_with("#:schema "));
    worthit()
        .current_dir(tmp.path())
        .args(["validate", "mine.toml"])
        .assert()
        .success();
}

/// What `validate` says on stderr (its warnings) about `text`, which it passes.
fn validate_stderr(text: &str) -> String {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("s.toml"), text).unwrap();
    let ok = worthit()
        .current_dir(tmp.path())
        .args(["validate", "s.toml"])
        .assert()
        .success();
    String::from_utf8_lossy(&ok.get_output().stderr).into_owned()
}

#[test]
fn a_scenario_without_tax_runs_with_a_warning() {
    let said = validate_stderr(&SCENARIO.replace("[tax]\neffective_rate = 0.25\n", ""));
    assert!(
        said.contains("warning") && said.contains("untaxed"),
        "{said}"
    );
}

/// The line number (from 1) of the line of `text` that is `line` exactly.
fn line_of(text: &str, line: &str) -> usize {
    text.lines()
        .position(|l| l == line)
        .unwrap_or_else(|| panic!("no line {line:?}"))
        + 1
}

/// Taxes that together take a dollar or more of each more dollar earned: each rate is
/// valid alone, their sum is a mistake (a percentage, a rate counted twice), said.
#[test]
fn taxes_taking_all_of_a_raise_are_warned_about() {
    let tax = |t: &str| SCENARIO.replace("effective_rate = 0.25\n", t);
    let taxed = tax(
        "brackets = [[0, 0.1], [50_000, 0.6]]\nstate_rate = 0.3\npayroll = [{ rate = 0.2, cap = 80_000 }]\n",
    );
    let line = line_of(&taxed, "[tax]");
    let said = validate_stderr(&taxed);
    // From 50,000 (no standard deduction): 0.6 + 0.3 + 0.2 = 110%; above the cap, 90%. Said
    // where the table is.
    assert!(
        said.contains(&format!("s.toml: line {line}, column 1: [tax]: from a gross income of 50,000, the brackets, state_rate and payroll together take 110% of each more dollar")),
        "{said}"
    );
    let fine = validate_stderr(&tax(
        "brackets = [[0, 0.1], [50_000, 0.37]]\nstate_rate = 0.05\npayroll = [{ rate = 0.062 }]\n",
    ));
    assert!(!fine.contains("each more dollar"), "{fine}");
    // Exactly 100% as written, although 0.6 + 0.3 + 0.1 adds up to just under 1 in floating
    // point.
    let all = validate_stderr(&tax(
        "brackets = [[0, 0.6]]\nstate_rate = 0.3\npayroll = [{ rate = 0.1 }]\n",
    ));
    assert!(
        all.contains("take 100% of each more dollar earned, so a raise leaves nothing more after tax than before"),
        "{all}"
    );
    assert!(said.contains("110% of each more dollar earned, so a raise leaves less after tax"));
}

/// A rate of exactly 1 is 100% (allowed), almost always 1% typed as 1: said, with its place.
#[test]
fn a_rate_of_one_is_warned_about_where_it_is() {
    let one = SCENARIO.replace("[paths.masters]\n", "[paths.masters]\nsalary_premium = 1\n");
    let line = line_of(&one, "salary_premium = 1");
    let said = validate_stderr(&one);
    assert!(
        said.contains(&format!(
            "s.toml: line {line}, column 18: paths.masters.salary_premium: 1 is 100%; if you meant 1%, write 0.01"
        )),
        "{said}"
    );
    assert!(!validate_stderr(SCENARIO).contains("100%"));
}

/// A role that no path leads to is read and checked but never used: said, not refused.
#[test]
fn a_role_no_path_uses_is_warned_about() {
    let text = format!("{SCENARIO}\n[roles.orphan]\nsalary = 90_000\n");
    let said = validate_stderr(&text);
    // Placed at the role's table.
    let line = line_of(&text, "[roles.orphan]");
    assert!(
        said.contains(&format!(
            "s.toml: line {line}, column 1: role `orphan` is in no path's `roles`"
        )),
        "{said}"
    );
    assert!(!validate_stderr(SCENARIO).contains("orphan"));
    // Listed with weight 0: said as such, not as missing from every path.
    let zero = text.replace("roles = { mle = 1 }", "roles = { mle = 1, orphan = 0 }");
    let said = validate_stderr(&zero);
    assert!(
        said.contains("role `orphan` has weight 0 in every path's `roles` that lists it"),
        "{said}"
    );
}

#[test]
fn messages_that_help_a_newcomer() {
    let tmp = tempfile::tempdir().unwrap();
    // Outside the repository, with no argument: say what to do.
    worthit()
        .current_dir(tmp.path())
        .arg("run")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("worthit init my.toml"));
    let check = |text: &str, says: &[&str]| {
        fs::write(tmp.path().join("m.toml"), text).unwrap();
        let out = worthit()
            .current_dir(tmp.path())
            .args(["validate", "m.toml"])
            .assert()
            .code(1);
        let err = String::from_utf8_lossy(&out.get_output().stderr).to_string();
        for s in says {
            assert!(err.contains(s), "{s}: {err}");
        }
        err
    };
    // A cost written under the path: where it belongs.
    check(
        &SCENARIO.replace(
            "roles = { mle = 1 }",
            "roles = { mle = 1 }\ntuition_per_year = 5",
        ),
        &["`tuition_per_year` belongs in [paths.masters.costs]"],
    );
    // No month of study: an error, not a silent 1.
    check(
        &SCENARIO.replace("duration_months = 12", "duration_months = 0"),
        &["paths.masters.duration_months", "at least 1 month"],
    );
    // One stray `baseline = true` on an alternative: one error, on it.
    let err = check(
        &SCENARIO.replace("[paths.masters]\n", "[paths.masters]\nbaseline = true\n"),
        &[
            "paths.masters.baseline",
            "`baseline = true` on a path that also has",
        ],
    );
    assert_eq!(err.matches("error:").count(), 1, "{err}");
    // Ranges with digit groups, and a percentage typed for a rate.
    check(
        &SCENARIO.replace("trials = 2_000", "trials = 0"),
        &["from 1 to 10,000,000,000"],
    );
    check(
        &SCENARIO.replace("federal_rate = 0.0794", "federal_rate = 7.94"),
        &["7.94 looks like a percentage: write 0.0794"],
    );
    // A salary whose chance of going below zero is negligible is accepted (and truncated);
    // one with a real chance is refused with that chance.
    fs::write(
        tmp.path().join("ok.toml"),
        SCENARIO.replace(
            "salary = { dist = \"lognormal\", median = 60_000, p90 = 80_000 }",
            "salary = { dist = \"normal\", mean = 60_000, sd = 5_000 }",
        ),
    )
    .unwrap();
    worthit()
        .current_dir(tmp.path())
        .args(["validate", "ok.toml"])
        .assert()
        .success();
    check(
        &SCENARIO.replace(
            "salary = { dist = \"lognormal\", median = 60_000, p90 = 80_000 }",
            "salary = { dist = \"normal\", mean = 10_000, sd = 10_000 }",
        ),
        &["person.salary", "with a chance of 16%"],
    );
}

/// Federal-loan settings on a path that takes no federal loans are read and never used:
/// said, not refused, and not said when the path takes them.
#[test]
fn federal_settings_without_federal_loans_are_warned_about() {
    let text = SCENARIO.replace("federal = true\n", "repayment = \"rap\"\n");
    let said = validate_stderr(&text);
    let line = line_of(&text, "[paths.masters.financing]");
    assert!(
        said.contains(&format!(
            "line {line}, column 1: [paths.masters.financing] sets `federal_rate`, `repayment` but takes no federal loans"
        )),
        "{said}"
    );
    assert!(!validate_stderr(SCENARIO).contains("warning"));
}

/// A loan setting on a path without `[financing]` would make it a path with loans (and then
/// ask for their rate): refused, naming the missing table, by `--set` and by a sweep. The
/// loans' rate itself gives the path loans, as the table with it written in the file would,
/// and says so.
#[test]
fn a_loan_setting_on_a_path_without_financing_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let text = format!(
        "{SCENARIO}[paths.course]\nduration_months = 3\nroles = {{ mle = 1 }}\n[paths.course.costs]\ntuition_per_year = 10_000\n"
    );
    fs::write(tmp.path().join("s.toml"), text).unwrap();
    let says = "no [paths.course.financing] in the file: the path pays its costs out of pocket";
    let validate = |set: &str| {
        worthit()
            .current_dir(tmp.path())
            .args(["validate", "s.toml", "--set", set])
            .assert()
    };
    validate("paths.course.financing.private_rate=0.08")
        .success()
        .stderr(predicate::str::contains(
            "warning: s.toml: --set paths.course.financing.private_rate=0.08: [paths.course] had no [financing] in the file: it now borrows what its costs take",
        ));
    validate("paths.course.financing.repayment=rap")
        .code(2)
        .stderr(predicate::str::contains(says));
    // With the rate, the path's other loan settings apply, whichever flag comes first.
    for order in [
        [
            "paths.course.financing.grace_months=3",
            "paths.course.financing.private_rate=0.08",
        ],
        [
            "paths.course.financing.private_rate=0.08",
            "paths.course.financing.grace_months=3",
        ],
    ] {
        worthit()
            .current_dir(tmp.path())
            .args(["validate", "s.toml", "--set", order[0], "--set", order[1]])
            .assert()
            .success()
            .stderr(predicate::str::contains(
                "it now borrows what its costs take",
            ));
    }
    // A key set twice is refused, not decided by the order of the flags; so is a value
    // and one of its own parameters.
    worthit()
        .current_dir(tmp.path())
        .args(["validate", "s.toml"])
        .args(["--set", "paths.course.financing.private_rate=0.08"])
        .args(["--set", "paths.course.financing.private_rate=0.1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "error: --set paths.course.financing.private_rate=0.08 and --set paths.course.financing.private_rate=0.1: `paths.course.financing.private_rate` set twice",
        ));
    worthit()
        .current_dir(tmp.path())
        .args(["validate", "s.toml", "--set", "roles.mle.salary.p10=50000"])
        .args(["--set", "roles.mle.salary=70000"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "a value and one of its own parameters",
        ));
    // A table is set one value at a time.
    validate("paths.course.financing={ private_rate = 0.05 }")
        .code(2)
        .stderr(
            predicate::str::contains("`paths.course.financing`, a table, which is not set whole")
                .and(predicate::str::contains("--set paths.course.financing.")),
        );
    worthit()
        .current_dir(tmp.path())
        .args([
            "sweep",
            "s.toml",
            "--vary",
            "paths.course.financing.repayment=standard,rap",
            "--trials",
            "200",
            "-q",
            "--out",
            "out",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains(says).and(predicate::str::contains("private_rate")));
    assert!(!tmp.path().join("out").exists());
    // A question on the loans' rate gives the path loans at each value: said, and the
    // scenario's assumption is no loans (not a rate of 0%).
    let given = "[paths.course] has no [financing] in the file: at each value it borrows";
    worthit()
        .current_dir(tmp.path())
        .args([
            "threshold",
            "s.toml",
            "--vary",
            "paths.course.financing.private_rate=0..0.3",
        ])
        .args(["--path", "course", "--trials", "200", "-q", "--out", "out"])
        .assert()
        .success()
        .stderr(predicate::str::contains(given))
        .stdout(predicate::str::contains(
            "The scenario assumes no loans: the path pays its costs out of pocket.",
        ));
    let text = format!(
        "{}[[sweeps]]\nx = {{ vary = \"paths.course.financing.private_rate\", values = [0.05, 0.1] }}\n",
        fs::read_to_string(tmp.path().join("s.toml")).unwrap()
    );
    fs::write(tmp.path().join("q.toml"), &text).unwrap();
    let line = text.lines().count();
    worthit()
        .current_dir(tmp.path())
        .args(["validate", "q.toml"])
        .assert()
        .success()
        .stderr(predicate::str::contains(format!(
            "warning: q.toml: line {line}, column 14: sweeps[0].x.vary: {given}"
        )));
}

/// A problem located in the file but there only because of an override (a third parameter
/// the override added) says which override it comes with.
#[test]
fn a_problem_in_the_file_made_by_an_override_names_it() {
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("s.toml"), SCENARIO).unwrap();
    let out = worthit()
        .current_dir(tmp.path())
        .args(["validate", "s.toml", "--set", "roles.mle.salary.p10=50000"])
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("(with --set roles.mle.salary.p10=50000 applied)")
            && stderr.contains("--> s.toml:12:"),
        "{stderr}"
    );
    // Loadings summing past 1 with a factor the override changed: located at the file's
    // other factor, which the user did not touch, so it names the override and each loading.
    let with_factors = format!(
        "{SCENARIO}\n[factors.ability]\nloadings = {{ \"paths.masters.placement\" = 0.3 }}\n\
         [factors.market]\nloadings = {{ \"paths.masters.placement\" = 0.5 }}\n"
    );
    fs::write(tmp.path().join("f.toml"), with_factors).unwrap();
    let set = r#"factors.ability.loadings={ "paths.masters.placement" = 0.9 }"#;
    let out = worthit()
        .current_dir(tmp.path())
        .args(["validate", "f.toml", "--set", set])
        .assert()
        .failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("whose squares sum to 1.06 (factors ability 0.9, market 0.5)")
            && stderr.contains(&format!("(with --set {set} applied)")),
        "{stderr}"
    );
}

/// A `--set` of a key that one of the file's questions varies is the person's value for the
/// main run; the question's own value wins at each of its points (not "set twice").
#[test]
fn a_set_of_a_key_a_question_in_the_file_varies_is_not_set_twice() {
    let tmp = tempfile::tempdir().unwrap();
    let text = format!(
        "{SCENARIO}[[sweeps]]\nx = {{ vary = \"economy.discount_rate\", values = [0.02, 0.05] }}\n"
    );
    fs::write(tmp.path().join("s.toml"), text).unwrap();
    worthit()
        .current_dir(tmp.path())
        .args(["validate", "s.toml", "--set", "economy.discount_rate=0.04"])
        .assert()
        .success();
}

/// A sweep of an input a factor loads, to plain numbers, runs (the loading is left out at
/// each value) and says so once, on the `--vary` flag.
#[test]
fn a_sweep_that_fixes_a_loaded_input_says_the_factor_no_longer_moves_it() {
    let tmp = tempfile::tempdir().unwrap();
    let text = format!(
        "{SCENARIO}[factors.ability]\nloadings = {{ \"roles.mle.salary\" = 0.5, \"person.salary\" = 0.3 }}\n"
    );
    fs::write(tmp.path().join("s.toml"), text).unwrap();
    let out = worthit()
        .current_dir(tmp.path())
        .args(["sweep", "s.toml", "--vary", "roles.mle.salary=80000,120000"])
        .args(["--trials", "200", "-q", "--no-charts", "--out", "out"])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    let says = "warning: s.toml: --vary roles.mle.salary=80000,120000: at each value tried, `roles.mle.salary` is a fixed value, so factor `ability` no longer moves it";
    assert_eq!(stderr.matches(says).count(), 1, "{stderr}");
    assert!(
        tmp.path()
            .join("out/s/sweep_roles.mle.salary/sweep.csv")
            .exists()
    );
}
