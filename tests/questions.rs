//! What would have to be true: thresholds known by hand, thresholds stable across seeds,
//! sweeps that keep every other path's lives unchanged, the light point statistics against
//! the full run's, the scenario file's `[[thresholds]]` and `[[sweeps]]`, and every mistake
//! on the command line (one line, exit status 2, nothing written).

use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use worthit::engine;
use worthit::model::Model;
use worthit::scenario::questions::{Axis, Level, Metric, Sweep, Threshold, Values};
use worthit::scenario::{self, load_str};
use worthit::stats::point::{PointPath, PointStats};
use worthit::sweep::{self as sweeps, Setup, run_point};
use worthit::threshold::{End, search};

fn worthit() -> Command {
    Command::cargo_bin("worthit").expect("the worthit binary is built")
}

/// The worked mini-example of docs/model.md, with tuition as the question: eight years from
/// age 30, flat 20% tax, 60,000 staying put (48,000 net), a 12-month program paid out of
/// pocket, hired after a 3-month search at 80,000 (64,000 net), discount rate 3%.
///
/// Year 0 nets -T on the path against 48,000 staying put; year 1 nets 48,000 on both (nine
/// months at 80,000 make 60,000 gross); years 2 to 7 net 16,000 more a year. The path's NPV
/// equals the baseline's when
///     T* = 16,000 x (1.03^-2 + ... + 1.03^-7) - 48,000
///        = 16,000 x 5.259409168813773 - 48,000 = 36,150.5467...
/// (the docs' table: ends 16,151 ahead at T = 20,000, and 16,151 + 20,000 = 36,151).
const COURSE: &str = r#"
name = "hand-checked course"
[simulation]
trials = 64
seed = 3
[economy]
discount_rate = 0.03
inflation = 0.0
[tax]
effective_rate = 0.2
[person]
age = 30
retirement_age = 38
salary = 60_000
[roles.mle]
salary = 80_000
[paths.stay]
baseline = true
[paths.course]
label = "The course"
duration_months = 12
search_months = 3
roles = { mle = 1 }
[paths.course.costs]
tuition_per_year = 20_000
"#;

const T_STAR: f64 = 36_150.546_701_020_37;

fn setup<'a>(bytes: &'a [u8], file: &'a Path) -> Setup<'a> {
    Setup {
        bytes,
        file,
        overrides: &[],
        threads: 2,
    }
}

fn tuition(metric: Metric) -> Threshold {
    Threshold {
        key: "paths.course.costs.tuition_per_year".into(),
        from: 0.0,
        to: 60_000.0,
        path: "course".into(),
        versus: None,
        metric,
        target: metric.default_target(),
    }
}

#[test]
fn the_tuition_at_which_the_course_breaks_even_is_found_to_the_dollar() {
    let file = Path::new("course.toml");
    let s = setup(COURSE.as_bytes(), file);
    for metric in [Metric::Mean, Metric::Median, Metric::ProbBeats] {
        let t = search(&s, "test", &tuition(metric), None, |_| {}).unwrap();
        let c = t.crossing.expect("a crossing");
        assert!(
            (c.value - T_STAR).abs() < 1.0,
            "{metric:?}: {} vs {T_STAR}",
            c.value
        );
        assert!(!c.rising, "cheaper is better");
        assert!(
            t.evaluations() <= 60,
            "{metric:?}: {} evaluations",
            t.evaluations()
        );
        assert_eq!(
            t.sentence(),
            match metric {
                Metric::Mean =>
                    "The course comes out ahead of staying put on average when its tuition per year is $36.1k or less.",
                Metric::Median =>
                    "The course has a median gain over staying put above zero when its tuition per year is $36.1k or less.",
                Metric::ProbBeats =>
                    "The course beats staying put in at least half of lives when its tuition per year is $36.1k or less.",
            }
        );
    }
    // Every life is the same: the mean's interval is a point, so its 95% range is the
    // crossing itself, to the dollar.
    let t = search(&s, "test", &tuition(Metric::Mean), None, |_| {}).unwrap();
    let (End::At(lo), End::At(hi)) = t.crossing.unwrap().range else {
        panic!("a range within the search")
    };
    assert!(
        (lo - T_STAR).abs() < 6.0 && (hi - T_STAR).abs() < 6.0,
        "{lo} {hi}"
    );
}

#[test]
fn the_threshold_command_prints_and_writes_the_crossing() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("course.toml");
    fs::write(&file, COURSE).unwrap();
    // The question, with `extra` flags.
    let ask = |extra: &[&str]| {
        let question = [
            "threshold",
            "course.toml",
            "--vary",
            "paths.course.costs.tuition_per_year=0..60000",
            "--path",
            "course",
            "--metric",
            "mean",
            "-q",
            "--out",
            "o",
        ];
        succeeds(tmp.path(), &[&question[..], extra].concat())
    };
    let stdout = ask(&[]);
    assert!(
        stdout.starts_with("The course comes out ahead of staying put on average when its tuition per year is $36.1k or less."),
        "{stdout}"
    );
    assert!(stdout.contains("95% range: $36.1k to $36.2k"), "{stdout}");
    let dir = tmp
        .path()
        .join("o/course/threshold_paths.course.costs.tuition_per_year__course__mean");
    let csv = fs::read_to_string(dir.join("threshold.csv")).unwrap();
    // Beside it, its chart and its page, each said.
    for f in ["threshold.csv", "threshold.png", "threshold.html"] {
        assert!(dir.join(f).is_file(), "{f}");
        assert!(stdout.contains(&format!("{f}\n")), "{f}: {stdout}");
    }
    let png = fs::read(dir.join("threshold.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"), "a PNG");
    let page = fs::read_to_string(dir.join("threshold.html")).unwrap();
    assert!(
        page.contains("The course comes out ahead of staying put on average when its tuition per year is $36.1k or less."),
        "{page}"
    );
    assert!(page.contains("Every value tried"), "{page}");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let row: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| row[header.iter().position(|h| *h == name).unwrap()];
    let crossing: f64 = col("crossing").parse().unwrap();
    assert!((crossing - T_STAR).abs() < 1.0, "{crossing}");
    // Rounded down, where "or less" stays true (the crossing is $36,150.66).
    assert_eq!(col("crossing_3sig"), "36100");
    assert_eq!(col("direction"), "decreasing");
    assert_eq!(col("metric"), "mean");
    assert_eq!(col("from"), "0");
    // A row of the page's table per value tried, as many as the CSV counts.
    let evaluations: usize = col("evaluations").parse().unwrap();
    let table = &page[page.find("<section id=\"values-tried\">").unwrap()..];
    assert_eq!(
        table.matches("<th scope=\"row\">").count(),
        evaluations,
        "{page}"
    );
    // Asked again without charts: the CSV alone, the earlier chart and page gone, and said.
    let stdout = ask(&["--no-charts"]);
    let names = file_names(&dir);
    assert_eq!(names, ["threshold.csv"]);
    for f in ["threshold.png", "threshold.html"] {
        assert!(
            stdout.contains(&format!(
                "removed {}: it showed an earlier answer",
                dir.join(f).strip_prefix(tmp.path()).unwrap().display()
            )),
            "{f}: {stdout}"
        );
    }
}

/// `worthit ARGS` in `dir`, which must succeed (its errors shown if not): what it printed.
fn succeeds(dir: &Path, args: &[&str]) -> String {
    let out = worthit().current_dir(dir).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The names of the files in `dir`, sorted.
fn file_names(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A scenario with uncertainty everywhere but a fixed placement, the input searched.
const RANDOM: &str = r#"
[simulation]
trials = 4_000
seed = 1
[economy]
discount_rate = 0.03
inflation = 0.025
[tax]
effective_rate = 0.25
[person]
age = 30
retirement_age = 45
salary = { dist = "lognormal", median = 60_000, p90 = 80_000 }
annual_raise = { dist = "normal", mean = 0.01, sd = 0.02 }
unemployment_rate = 0.05
unemployment_months = { dist = "uniform", min = 1, max = 6 }
[roles.mle]
salary = { dist = "lognormal", median = 95_000, p90 = 140_000 }
annual_raise = 0.02
[paths.stay]
label = "Stay"
baseline = true
[paths.masters]
label = "The master's"
duration_months = 12
completion = { dist = "beta", mean = 0.8, sd = 0.05 }
placement = 0.7
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

#[test]
fn a_random_threshold_is_stable_across_seeds_within_its_range() {
    let file = Path::new("random.toml");
    let q = Threshold {
        key: "paths.masters.placement".into(),
        from: 0.05,
        to: 1.0,
        path: "masters".into(),
        versus: None,
        metric: Metric::ProbBeats,
        target: 0.5,
    };
    let mut found = Vec::new();
    for seed in [1u64, 2, 3, 4] {
        let overrides = [scenario::Override {
            key: "simulation.seed".into(),
            value: seed.to_string(),
        }];
        let s = Setup {
            bytes: RANDOM.as_bytes(),
            file,
            overrides: &overrides,
            threads: 2,
        };
        let t = search(&s, "test", &q, None, |_| {}).unwrap();
        let c = t.crossing.expect("a crossing within 0.05..1");
        assert!(c.rising, "more placement, better odds");
        let (End::At(lo), End::At(hi)) = c.range else {
            panic!("{seed}: a range within the search: {:?}", c.range)
        };
        assert!(
            lo < c.value && c.value < hi,
            "{seed}: {lo} {} {hi}",
            c.value
        );
        found.push((c.value, lo, hi));
    }
    // Each seed's crossing lies within every other seed's 95% range: the answer is stable
    // to within the precision it reports.
    for (i, (x, _, _)) in found.iter().enumerate() {
        for (j, (_, lo, hi)) in found.iter().enumerate() {
            assert!(
                lo <= x && x <= hi,
                "seed {}'s crossing {x} outside seed {}'s range {lo}..{hi}",
                i + 1,
                j + 1
            );
        }
    }
    // And the range is honest, not vast: at 4,000 trials it spans a few hundredths.
    let (_, lo, hi) = found[0];
    assert!(hi - lo < 0.1, "{lo}..{hi}");
}

#[test]
fn a_point_counts_what_the_full_run_counts() {
    let sc = load_str(RANDOM, Path::new("random.toml")).unwrap();
    let model = Model::new(&sc);
    let full = engine::run(&model, 3_000, 9, 2, None).unwrap();
    let summary = full.summarize(&model, &worthit::app::about(&sc));
    let light = run_point(&model, 3_000, 9, Some(2), 2, None).unwrap();
    assert_eq!(light.trials(), 3_000);
    for (p, s) in light.summary(&model).iter().zip(&summary.paths) {
        assert_eq!(p.net.prob, s.prob_beats_baseline, "{}", s.key);
        assert_eq!(p.net.mean, s.net.mean, "{}", s.key);
        assert_eq!(p.net.sd, s.net.sd, "{}", s.key);
        assert_eq!(p.net.p50(), s.net.q.p50, "{}", s.key);
        assert_eq!(p.net.quantiles[0], s.net.q.p5, "{}", s.key);
        assert_eq!(p.mean_debt, s.mean_debt, "{}", s.key);
        assert_eq!(p.p90_debt, s.p90_debt, "{}", s.key);
        assert_eq!(p.prob_debt, s.prob_debt, "{}", s.key);
        assert_eq!(p.breakeven_p50_years, s.breakeven_p50_years, "{}", s.key);
        assert_eq!(
            p.breakeven_p50_years_if_ever, s.breakeven_p50_years_if_ever,
            "{}",
            s.key
        );
        assert_eq!(p.prob_no_breakeven, s.prob_no_breakeven, "{}", s.key);
        assert_eq!(p.repaid_p50_years, s.repaid_p50_years, "{}", s.key);
        assert_eq!(p.prob_not_repaid, s.prob_not_repaid, "{}", s.key);
        assert_eq!(p.loans, s.loans, "{}", s.key);
        assert_eq!(p.completion_rate, s.completion_rate);
        assert_eq!(p.placement_rate, s.placement_rate);
        if let Some(v) = &p.versus {
            let pair = summary.pair(&s.key, "bootcamp").unwrap();
            assert_eq!(v.prob, pair.prob_a_beats_b, "{}", s.key);
            assert!((v.mean - pair.mean_diff).abs() < 1e-6, "{}", s.key);
        }
    }
    // The masters borrows, and some of its lives break even: the figures above are not
    // all empty or zero.
    let masters = &light.summary(&model)[1];
    assert!(masters.p90_debt > 0.0 && masters.repaid_p50_years.is_some());
    assert!(masters.breakeven_p50_years_if_ever.is_some());
    // The same whatever the threads.
    let one: PointStats = run_point(&model, 3_000, 9, Some(2), 1, None).unwrap();
    assert_eq!(one, light);
    // `sweep.csv` has every column of `summary.csv`.
    for c in worthit::report::csv::SUMMARY_HEADER {
        assert!(
            worthit::report::answers::SWEEP_COLUMNS.contains(c),
            "sweep.csv has no {c}"
        );
    }
}

#[test]
fn a_threshold_evaluation_leaves_out_other_paths_without_changing_a_life() {
    // The figure at one value, from the threshold's reduced run, equals the full sweep
    // point's: prob_beats at placement 0.6 of the master's.
    let file = Path::new("random.toml");
    let s = setup(RANDOM.as_bytes(), file);
    let q = Threshold {
        key: "paths.masters.placement".into(),
        from: 0.6,
        to: 0.9,
        path: "masters".into(),
        versus: Some("bootcamp".into()),
        metric: Metric::ProbBeats,
        target: 0.5,
    };
    let t = search(&s, "test", &q, None, |_| {}).unwrap();
    let sc = scenario::load_bytes(
        RANDOM.as_bytes(),
        file,
        &[scenario::Override {
            key: "paths.masters.placement".into(),
            value: "0.6".into(),
        }],
    )
    .unwrap();
    let model = Model::new(&sc);
    let full = run_point(&model, 4_000, 1, Some(2), 2, None).unwrap();
    let masters = &full.summary(&model)[1];
    assert_eq!(t.at_from.metric, masters.versus.unwrap().prob);
}

// ---------------------------------------------------------------------------------------------
// worthit sweep
// ---------------------------------------------------------------------------------------------

fn tmp_with(text: &str, name: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(name);
    fs::write(&file, text).unwrap();
    (dir, file)
}

fn rows(p: &Path) -> Vec<Vec<String>> {
    let mut r = csv::Reader::from_path(p).unwrap();
    let mut out = vec![r.headers().unwrap().iter().map(String::from).collect()];
    out.extend(
        r.records()
            .map(|x| x.unwrap().iter().map(String::from).collect::<Vec<_>>()),
    );
    out
}

/// `worthit sweep random.toml --vary VARY --trials TRIALS -q --out o` in `dir`, which must
/// succeed; the sweep's folder.
fn sweep_one(dir: &Path, vary: &str, trials: &str) -> std::path::PathBuf {
    worthit()
        .current_dir(dir)
        .args(["sweep", "random.toml", "--vary", vary])
        .args(["--trials", trials, "-q", "--out", "o"])
        .assert()
        .success();
    let key = vary.split_once('=').map_or(vary, |(k, _)| k);
    dir.join("o/random").join(format!("sweep_{key}"))
}

/// The terminal's table of a sweep: each key by its last part (the whole key said below),
/// its values in their unit, and each path's whole key above its column.
#[test]
fn the_sweep_table_names_keys_briefly_and_values_in_their_units() {
    let (tmp, _) = tmp_with(RANDOM, "random.toml");
    let out = worthit()
        .current_dir(tmp.path())
        .args([
            "sweep",
            "random.toml",
            "--vary",
            "paths.bootcamp.salary_premium=-0.2,0.1",
        ])
        .args(["--trials", "300", "-q", "--out", "o"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[1].trim_start().starts_with("salary_premium") && lines[1].contains("bootcamp"),
        "{text}"
    );
    assert!(lines[2].trim_start().starts_with("-20%"), "{text}");
    assert!(lines[3].trim_start().starts_with("10%"), "{text}");
    assert!(
        text.contains("(salary_premium: paths.bootcamp.salary_premium)"),
        "{text}"
    );
    assert!(!text.contains('…'), "{text}");
}

/// A negative value of a varied key is a number in `sweep.csv`, not text guarded against
/// spreadsheet formulas; and the baseline's row has no interval, as in `summary.csv`.
#[test]
fn sweep_csv_writes_negative_values_as_numbers_and_the_baseline_without_an_interval() {
    let (tmp, _) = tmp_with(RANDOM, "random.toml");
    sweep_one(tmp.path(), "paths.bootcamp.salary_premium=-0.2,0.1", "500");
    let r = rows(
        &tmp.path()
            .join("o/random/sweep_paths.bootcamp.salary_premium/sweep.csv"),
    );
    let values: Vec<&str> = r[1..].iter().map(|x| x[0].as_str()).collect();
    assert!(
        values.contains(&"-0.2") && values.contains(&"0.1"),
        "{values:?}"
    );
    let col = |name: &str| r[0].iter().position(|h| h == name).unwrap();
    let stay: Vec<&Vec<String>> = r[1..].iter().filter(|x| x[1] == "stay").collect();
    assert_eq!(stay.len(), 2);
    for row in stay {
        for c in [
            "prob_beats_baseline",
            "prob_beats_baseline_lo",
            "prob_beats_baseline_hi",
        ] {
            assert_eq!(row[col(c)], "0.000000", "{c}");
        }
    }
}

#[test]
fn a_sweep_changes_one_path_and_no_other_life() {
    let (tmp, _) = tmp_with(RANDOM, "random.toml");
    sweep_one(tmp.path(), "paths.masters.placement=0.3..0.9:4", "1500");
    let dir = tmp.path().join("o/random/sweep_paths.masters.placement");
    for f in ["sweep.csv", "sweep.png", "sweep.html"] {
        assert!(dir.join(f).exists(), "{f}");
    }
    let r = rows(&dir.join("sweep.csv"));
    assert_eq!(r[0][0], "paths.masters.placement");
    assert_eq!(r[0][1..4], ["path", "label", "trials"]);
    assert_eq!(r.len(), 1 + 4 * 3, "a row per point and path");
    let col = |name: &str| r[0].iter().position(|h| h == name).unwrap();
    let (beats, p50) = (col("prob_beats_baseline"), col("p50"));
    let of = |path: &str| -> Vec<&Vec<String>> { r[1..].iter().filter(|x| x[1] == path).collect() };
    // The bootcamp's lives are the same at every point: identical figures, to the byte.
    let boot = of("bootcamp");
    assert!(
        boot.iter()
            .all(|x| x[beats] == boot[0][beats] && x[p50] == boot[0][p50])
    );
    // The master's odds rise with its placement.
    let m: Vec<f64> = of("masters")
        .iter()
        .map(|x| x[beats].parse().unwrap())
        .collect();
    assert!(m.windows(2).all(|w| w[0] < w[1]), "{m:?}");
    assert_eq!(of("masters")[0][0], "0.3");
    assert_eq!(of("masters")[3][0], "0.9");
    // Intervals bracket the figures.
    for x in &r[1..] {
        let f = |c: &str| x[col(c)].parse::<f64>().unwrap();
        assert!(f("prob_beats_baseline_lo") <= f("prob_beats_baseline"));
        assert!(f("prob_beats_baseline") <= f("prob_beats_baseline_hi"));
        assert!(f("p50_lo") <= f("p50") && f("p50") <= f("p50_hi"));
    }
    let html = fs::read_to_string(dir.join("sweep.html")).unwrap();
    assert!(
        html.contains("The master&#39;s</strong> beats staying put in"),
        "{html}"
    );
    // The lowest and highest medians over the points, not in the order of the points.
    assert!(html.contains("(median net return between "), "{html}");
    assert!(!html.contains("median net return from"), "{html}");
    assert!(!html.contains("src=\"http"), "self-contained");
    // The table says the key and its values as the chart does: in words and in percent.
    assert!(html.contains("<th scope=\"col\">Placement"), "{html}");
    assert!(html.contains("<th scope=\"row\">30%</th>"), "{html}");
    assert!(html.contains("<th scope=\"row\">90%</th>"), "{html}");
    // No run came before: no link to a report that is not there.
    assert!(!html.contains("report.html"), "{html}");
    // The placement moves the master's: nothing says it does not.
    assert!(!html.contains("Nothing moves"), "{html}");
}

/// A key that changes no life in the scenario (the number of dependents, which counts only in
/// RAP's payments, when no path repays on RAP) is said to change nothing; a plural key takes
/// a plural verb; an axis of whole numbers has no tick between two of them.
#[test]
fn a_sweep_that_moves_nothing_says_so() {
    let (tmp, _) = tmp_with(RANDOM, "random.toml");
    let out = worthit()
        .current_dir(tmp.path())
        .args(["sweep", "random.toml", "--vary", "person.dependents=0,2"])
        .args(["--trials", "300", "--out", "o"])
        .assert()
        .success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    let said = "Nothing moves: every path has the same figures at every value tried, so in this \
                scenario the number of dependents changes nothing.";
    assert!(text.contains(said), "{text}");
    let html = fs::read_to_string(
        tmp.path()
            .join("o/random/sweep_person.dependents/sweep.html"),
    )
    .unwrap();
    assert!(html.contains(said), "{html}");
    assert!(
        html.contains("What if the number of dependents changes</h1>"),
        "{html}"
    );
    let dir = sweep_one(tmp.path(), "paths.bootcamp.search_months=1,3", "300");
    let html = fs::read_to_string(dir.join("sweep.html")).unwrap();
    assert!(html.contains("months of job search of"), "{html}");
    assert!(html.contains(" change</h1>"), "{html}");
    assert!(!html.contains(" changes</h1>"), "{html}");
}

/// The scenario of [`RANDOM`] with a second role that only the bootcamp can land.
fn two_roles() -> String {
    RANDOM.replace(
        "roles = { mle = 1 }\nsalary_premium",
        "roles = { mle = 0.5, ds = 0.5 }\nsalary_premium",
    ) + r#"
[roles.ds]
salary = { dist = "lognormal", median = 85_000, p90 = 120_000 }
annual_raise = 0.02
"#
}

/// Every point of `sweep` run with every path, as a sweep without the shortcut would.
fn every_path_at_every_point(s: &Setup<'_>, sweep: &Sweep) -> Vec<Vec<PointPath>> {
    sweeps::load_points(s, "test", sweep)
        .unwrap()
        .into_iter()
        .map(|(_, sc)| {
            let model = Model::new(&sc);
            let versus = sweep
                .versus
                .as_ref()
                .and_then(|v| model.paths.iter().position(|p| &p.key == v));
            let (trials, seed) = (sc.simulation.trials, sc.simulation.seed);
            run_point(&model, trials, seed, versus, 2, None)
                .unwrap()
                .summary(&model)
        })
        .collect()
}

#[test]
fn a_sweep_reruns_only_the_paths_its_keys_reach_and_gets_every_figure_the_full_runs_get() {
    let text = two_roles();
    let file = Path::new("random.toml");
    let s = setup(text.as_bytes(), file);
    let sc = load_str(&text, file).unwrap();
    let axis = |key: &str, values: &[f64]| Axis {
        key: key.into(),
        values: Values::List(values.iter().map(|&v| Level::Num(v)).collect()),
    };
    let sweep = |x: Axis, y: Option<Axis>, versus: Option<&str>| Sweep {
        x,
        y,
        versus: versus.map(String::from),
    };
    let placement = || axis("paths.masters.placement", &[0.3, 0.6, 0.9]);
    let cases = [
        // A path's key: the master's alone runs again (with the baseline).
        (sweep(placement(), None, None), Some(vec!["masters"])),
        // A role only the bootcamp lands: the bootcamp, and the master's it is compared with.
        (
            sweep(
                axis("roles.ds.salary", &[70_000.0, 90_000.0, 110_000.0]),
                None,
                Some("masters"),
            ),
            Some(vec!["bootcamp"]),
        ),
        // The role both land: both.
        (
            sweep(
                axis("roles.mle.annual_raise", &[0.0, 0.02, 0.04]),
                None,
                None,
            ),
            Some(vec!["masters", "bootcamp"]),
        ),
        // Two keys of two paths: both.
        (
            sweep(
                placement(),
                Some(axis("paths.bootcamp.completion", &[0.5, 1.0])),
                None,
            ),
            Some(vec!["masters", "bootcamp"]),
        ),
        // Along a chance and a cost: a pass of two lives a trial per cost.
        (
            sweep(
                axis(
                    "paths.masters.costs.tuition_per_year",
                    &[15_000.0, 45_000.0],
                ),
                Some(placement()),
                None,
            ),
            Some(vec!["masters", "masters"]),
        ),
        // The chance of the other path, compared with the master's.
        (
            sweep(
                axis("paths.bootcamp.completion", &[0.0, 0.5, 1.0]),
                None,
                Some("masters"),
            ),
            Some(vec!["bootcamp"]),
        ),
        // One input of a path, and a parameter of one: after the second point, only the
        // lives that read it.
        (
            sweep(
                axis("paths.masters.salary_premium", &[-0.2, 0.0, 0.2, 0.4]),
                None,
                Some("bootcamp"),
            ),
            Some(vec!["masters"]),
        ),
        (
            sweep(
                axis(
                    "paths.masters.costs.tuition_per_year.max",
                    &[45_000.0, 60_000.0, 90_000.0],
                ),
                None,
                None,
            ),
            Some(vec!["masters"]),
        ),
        // Compared with the path it varies: every path's comparison changes, all run.
        (sweep(placement(), None, Some("masters")), None),
        // The person's keys reach every path.
        (
            sweep(axis("person.salary", &[50_000.0, 70_000.0]), None, None),
            None,
        ),
        (
            sweep(axis("economy.discount_rate", &[0.0, 0.05]), None, None),
            None,
        ),
    ];
    for (q, paths) in cases {
        let want: Option<Vec<String>> = paths.map(|p| p.into_iter().map(String::from).collect());
        assert_eq!(sweeps::reached(&q, &sc), want, "{}", q.x.key);
        let points = sweeps::load_points(&s, "test", &q).unwrap();
        let got = sweeps::run(&s, "test", &q, points, None).unwrap();
        let full = every_path_at_every_point(&s, &q);
        assert_eq!(got.points.len(), full.len());
        for (g, f) in got.points.iter().zip(&full) {
            assert_eq!(&g.paths, f, "{} at {:?}", q.x.key, g.levels);
        }
    }
}

#[test]
fn standard_and_rap_side_by_side_for_the_same_lives() {
    let (tmp, _) = tmp_with(RANDOM, "random.toml");
    sweep_one(
        tmp.path(),
        "paths.masters.financing.repayment=standard,rap",
        "1000",
    );
    let r = rows(
        &tmp.path()
            .join("o/random/sweep_paths.masters.financing.repayment/sweep.csv"),
    );
    let col = |name: &str| r[0].iter().position(|h| h == name).unwrap();
    let masters: Vec<&Vec<String>> = r[1..].iter().filter(|x| x[1] == "masters").collect();
    assert_eq!(masters.len(), 2);
    assert_eq!(
        (masters[0][0].as_str(), masters[1][0].as_str()),
        ("standard", "rap")
    );
    // The same lives borrow the same: equal debt; the plans differ in what is paid.
    assert_eq!(masters[0][col("mean_debt")], masters[1][col("mean_debt")]);
    let first = |x: &Vec<String>| x[col("first_payment_p50_nominal")].parse::<f64>().unwrap();
    assert!(first(masters[0]) > 0.0 && first(masters[1]) > 0.0);
    assert_ne!(first(masters[0]), first(masters[1]));
    assert!(!masters[0][col("interest_p50_nominal")].is_empty());
    // The chart of a loan's terms has a third panel, what the loans cost: taller than the
    // chart of a sweep over anything else.
    sweep_one(tmp.path(), "paths.masters.placement=0.4,0.6", "1000");
    let height = |dir: &str| {
        let png = std::fs::read(tmp.path().join("o/random").join(dir).join("sweep.png")).unwrap();
        u32::from_be_bytes(png[20..24].try_into().unwrap())
    };
    assert!(
        height("sweep_paths.masters.financing.repayment")
            >= height("sweep_paths.masters.placement") + 250
    );
}

#[test]
fn a_two_key_sweep_draws_heatmaps() {
    let (tmp, _) = tmp_with(RANDOM, "random.toml");
    worthit()
        .current_dir(tmp.path())
        .args(["sweep", "random.toml"])
        .args(["--vary", "paths.masters.placement=0.4..0.8:3"])
        .args(["--vary", "paths.masters.salary_premium=0,0.1"])
        .args([
            "--versus", "bootcamp", "--trials", "500", "-q", "--out", "o",
        ])
        .assert()
        .success();
    let dir = tmp
        .path()
        .join("o/random/sweep_paths.masters.placement__paths.masters.salary_premium__vs_bootcamp");
    let r = rows(&dir.join("sweep.csv"));
    assert_eq!(
        r[0][..2],
        ["paths.masters.placement", "paths.masters.salary_premium"]
    );
    assert_eq!(r.len(), 1 + 3 * 2 * 3);
    let png = fs::read(dir.join("sweep.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    // Against the bootcamp, the median is of the differences with it, life by life (not
    // the net return against staying put).
    let html = fs::read_to_string(dir.join("sweep.html")).unwrap();
    assert!(html.contains("median life-by-life gain over "), "{html}");
    assert!(!html.contains("median net return"), "{html}");
}

/// `worthit sweep random.toml --vary VARY --trials 300 -q --no-charts --out o` in `dir`,
/// which must succeed.
fn sweep_without_charts(dir: &Path, vary: &str) {
    worthit()
        .current_dir(dir)
        .args(["sweep", "random.toml", "--vary", vary])
        .args(["--trials", "300", "-q", "--no-charts", "--out", "o"])
        .assert()
        .success();
}

/// A sweep asked from the command line of the same key as the scenario's own sweep writes
/// beside the folder the report links to, not over it.
#[test]
fn a_command_line_sweep_never_overwrites_the_files_own() {
    let text = format!(
        "{RANDOM}\n[[sweeps]]\nx = {{ vary = \"paths.masters.placement\", values = [0.4, 0.8] }}\n"
    );
    let (tmp, _) = tmp_with(&text, "random.toml");
    worthit()
        .current_dir(tmp.path())
        .args([
            "run",
            "random.toml",
            "--trials",
            "300",
            "-q",
            "--no-charts",
            "--out",
            "o",
        ])
        .assert()
        .success();
    let own = tmp.path().join("o/random/sweep_paths.masters.placement");
    let before = fs::read(own.join("sweep.csv")).unwrap();
    sweep_without_charts(tmp.path(), "paths.masters.placement=0.5");
    assert_eq!(fs::read(own.join("sweep.csv")).unwrap(), before);
    let asked = tmp
        .path()
        .join("o/random/sweep_paths.masters.placement__asked/sweep.csv");
    assert_eq!(rows(&asked).len(), 1 + 3, "one value, three paths");
}

/// A threshold asked from the command line that the scenario asks too writes beside the
/// folder the report links to, not over it.
#[test]
fn a_command_line_threshold_never_overwrites_the_files_own() {
    let text = format!(
        "{RANDOM}\n[[thresholds]]\nvary = \"paths.masters.placement\"\nfrom = 0.1\nto = 1.0\npath = \"masters\"\n"
    );
    let (tmp, _) = tmp_with(&text, "random.toml");
    let run = |args: &[&str]| {
        worthit()
            .current_dir(tmp.path())
            .args(args)
            .args(["--trials", "300", "-q", "--out", "o"])
            .assert()
            .success();
    };
    run(&["run", "random.toml"]);
    let own = tmp
        .path()
        .join("o/random/threshold_paths.masters.placement__masters");
    let before = fs::read(own.join("threshold.html")).unwrap();
    run(&[
        "threshold",
        "random.toml",
        "--vary",
        "paths.masters.placement=0.2..0.9",
        "--path",
        "masters",
        "--no-charts",
    ]);
    assert_eq!(fs::read(own.join("threshold.html")).unwrap(), before);
    let asked = tmp
        .path()
        .join("o/random/threshold_paths.masters.placement__masters__asked");
    assert_eq!(file_names(&asked), ["threshold.csv"]);
    assert_eq!(
        rows(&asked.join("threshold.csv"))[1][6],
        "0.2",
        "its own range"
    );
    // A run without charts gives the file's own answer again, in its folder: only the one
    // asked on the command line is said to be removed.
    let out = worthit()
        .current_dir(tmp.path())
        .args(["run", "random.toml", "--trials", "300", "-q", "--no-charts"])
        .args(["--out", "o"])
        .output()
        .unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("removed earlier answers in")
            && stdout.contains("threshold_paths.masters.placement__masters__asked"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("threshold_paths.masters.placement__masters ")
            && !stdout.contains("threshold_paths.masters.placement__masters,"),
        "{stdout}"
    );
    assert_eq!(file_names(&own), ["threshold.csv"]);
    assert!(!asked.exists());
}

/// `--no-charts` writes sweep.csv alone, and takes away the chart and page of an earlier
/// sweep of the same key (they would show other results).
#[test]
fn a_sweep_without_charts_writes_its_csv_and_removes_an_earlier_chart() {
    let (tmp, _) = tmp_with(RANDOM, "random.toml");
    let dir = sweep_one(tmp.path(), "paths.masters.placement=0.4,0.8", "300");
    assert!(dir.join("sweep.png").is_file() && dir.join("sweep.html").is_file());
    let before = fs::read(dir.join("sweep.csv")).unwrap();
    sweep_without_charts(tmp.path(), "paths.masters.placement=0.4,0.8");
    let names = file_names(&dir);
    assert_eq!(names, ["sweep.csv"]);
    assert_eq!(fs::read(dir.join("sweep.csv")).unwrap(), before);
}

// ---------------------------------------------------------------------------------------------
// Mistakes on the command line: one line, exit status 2, nothing written
// ---------------------------------------------------------------------------------------------

/// `worthit ARGS --trials 100 -q --out o` in a folder holding `random.toml`: the folder, the
/// exit status and what was said on stderr.
fn on_random(args: &[&str]) -> (tempfile::TempDir, Option<i32>, String) {
    let (tmp, _) = tmp_with(RANDOM, "random.toml");
    let out = worthit()
        .current_dir(tmp.path())
        .args(args)
        .args(["--trials", "100", "-q", "--out", "o"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    (tmp, out.status.code(), stderr)
}

fn refused(args: &[&str], says: &str) {
    let (tmp, code, stderr) = on_random(args);
    assert_eq!(code, Some(2), "{args:?}: {stderr}");
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "{args:?}: one line: {stderr}"
    );
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains(says), "{args:?}: {stderr}");
    assert!(!tmp.path().join("o").exists(), "{args:?}: nothing written");
}

/// A value searched at which the model cannot run (a discount rate of -95% makes the
/// baseline's present value explode) is named in the error, as a sweep names its point.
#[test]
fn a_threshold_that_fails_names_the_value_it_reached() {
    let (tmp, code, stderr) = on_random(&[
        "threshold",
        "random.toml",
        "--vary",
        "economy.discount_rate=-0.95..0.03",
        "--path",
        "masters",
    ]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains("at economy.discount_rate=-0.95:"),
        "{stderr}"
    );
    // The output folder it made is not left behind, empty.
    assert!(!tmp.path().join("o").exists(), "{stderr}");
    // Nor by a sweep that fails the same way.
    let (tmp, code, stderr) = on_random(&[
        "sweep",
        "random.toml",
        "--vary",
        "economy.discount_rate=-0.95,0.03",
        "--no-charts",
    ]);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(!tmp.path().join("o").exists(), "{stderr}");
}

#[test]
fn mistakes_are_one_line_usage_errors_and_nothing_is_written() {
    let sweep = |v: &str| {
        vec!["sweep", "random.toml", "--vary", v]
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    let with_set = |mut a: Vec<String>, set: &str| {
        a.extend(["--set".to_string(), set.to_string()]);
        a
    };
    for (args, says) in [
        // A --set of the key varied would be overridden at every point.
        (
            with_set(
                sweep("paths.masters.placement=0.1,0.5"),
                "paths.masters.placement=0.9",
            ),
            "the --set would be ignored; leave it out",
        ),
        (
            with_set(
                sweep("paths.masters.placement.mean=0.4,0.6"),
                "paths.masters.placement=0.9",
            ),
            "the --set would be ignored",
        ),
        (
            sweep("paths.masters.tuition=1..2"),
            "not a key of the scenario format",
        ),
        (
            sweep("paths.masters.placment=0.1..0.9"),
            "(did you mean `paths.masters.placement`?)",
        ),
        (
            sweep("paths.nowhere.placement=0.1..0.9"),
            "no path `nowhere`",
        ),
        (
            sweep("paths.masters.financing.repayment=standard..rap"),
            "not numbers; list words instead",
        ),
        (
            sweep("paths.masters.placement=0.5..1.5"),
            "1.5, outside what `paths.masters.placement` takes",
        ),
        (sweep("paths.masters.placement=0.5,2"), "2, outside what"),
        (
            sweep("paths.masters.financing.repayment=standard,monthly"),
            "one of standard, rap",
        ),
        (sweep("paths.masters.placement=0.1..0.9:1"), "points"),
        (sweep("simulation.seed=1..5"), "the same at every point"),
        (sweep("paths.stay.placement=0.1..0.9"), "baseline"),
        (
            sweep("paths.bootcamp.completion.mean=0.5..0.9"),
            "not a distribution table",
        ),
    ] {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        refused(&a, says);
    }
    // A beta whose mean cannot go with its sd: the point is checked like the file.
    refused(
        &[
            "sweep",
            "random.toml",
            "--vary",
            "paths.bootcamp.placement.mean=0.5,0.999",
        ],
        "paths.bootcamp.placement",
    );
    refused(
        &[
            "sweep",
            "random.toml",
            "--vary",
            "paths.masters.placement=0.1..0.9",
            "--versus",
            "phd",
        ],
        "--versus phd",
    );
    let threshold = |extra: &[&str]| -> Vec<String> {
        [
            "threshold",
            "random.toml",
            "--vary",
            "paths.masters.placement=0.1..1.0",
            "--path",
            "masters",
        ]
        .iter()
        .chain(extra)
        .map(|s| s.to_string())
        .collect()
    };
    for (args, says) in [
        (threshold(&["--target", "1.2"]), "no share can cross"),
        (threshold(&["--target", "0"]), "no share can cross"),
        (threshold(&["--target", "50%"]), "expected a plain number"),
        (
            threshold(&["--metric", "mean", "--target", "50k"]),
            "not 50k",
        ),
        (
            threshold(&["--metric", "median", "--target", "2e12"]),
            "--target",
        ),
        (threshold(&["--versus", "masters"]), "the path itself"),
        // A threshold's range: points and words are a sweep's.
        (
            vec![
                "threshold",
                "random.toml",
                "--vary",
                "paths.masters.placement=0.1..1:5",
                "--path",
                "masters",
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            "a threshold chooses its own points; drop \":5\"",
        ),
        (
            vec![
                "threshold",
                "random.toml",
                "--vary",
                "paths.masters.placement=a..b",
                "--path",
                "masters",
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            "words are compared by a sweep",
        ),
        (
            vec![
                "threshold",
                "random.toml",
                "--vary",
                "paths.masters.placement=0.1...0.9",
                "--path",
                "masters",
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            "three dots",
        ),
        // Percentages for a chance.
        (
            vec![
                "threshold",
                "random.toml",
                "--vary",
                "paths.masters.placement=10..100",
                "--path",
                "masters",
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            "10..100 look like percentages: write 0.1..1",
        ),
        // A key of a path not compared: the figure cannot move.
        (
            vec![
                "threshold",
                "random.toml",
                "--vary",
                "paths.bootcamp.placement=0.1..1.0",
                "--path",
                "masters",
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            "an input of path `bootcamp`, which this threshold does not compare",
        ),
        (
            vec![
                "threshold",
                "random.toml",
                "--vary",
                "paths.masters.placement=0.1..1.0",
                "--path",
                "stay",
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            "the baseline path",
        ),
        (
            vec![
                "threshold",
                "random.toml",
                "--vary",
                "paths.masters.placement=0.2,0.4",
                "--path",
                "masters",
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            "a range to search",
        ),
        (
            vec![
                "threshold",
                "random.toml",
                "--vary",
                "paths.masters.financing.grace_months=0..12",
                "--path",
                "masters",
            ]
            .into_iter()
            .map(String::from)
            .collect(),
            "any number in a range",
        ),
        (
            threshold(&["--metric", "average"]),
            "expected prob_beats, median or mean",
        ),
        // Percentages, an end left out, a number too large: said as such, with what to
        // write (not taken for words a sweep would compare).
        (
            sweep("paths.masters.placement=10%..90%"),
            "percentages; write shares and rates as fractions: paths.masters.placement=0.1..0.9",
        ),
        (
            sweep("paths.masters.placement=0.1.."),
            "no HI; a range is LO..HI",
        ),
        (
            sweep("paths.masters.placement=0.1..1e309"),
            "\"1e309\" is not a finite number",
        ),
        // 1.5 for a share is a slip, not 1.5%: no guess.
        (
            sweep("paths.masters.placement=0..1.5"),
            "1.5, outside what `paths.masters.placement` takes; allowed: numbers from 0 to 1",
        ),
        // An input and its own parameter, each at every point.
        (
            {
                let mut a = sweep("paths.masters.placement=0.2,0.8");
                a.extend(["--vary", "paths.masters.placement.mean=0.3,0.9"].map(String::from));
                a
            },
            "`paths.masters.placement` and its own parameter `paths.masters.placement.mean` both varied",
        ),
    ] {
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        refused(&a, says);
    }
}

#[test]
fn a_sweep_of_three_keys_is_refused() {
    refused(
        &[
            "sweep",
            "random.toml",
            "--vary",
            "paths.masters.placement=0.1,0.2",
            "--vary",
            "paths.masters.salary_premium=0,0.1",
            "--vary",
            "economy.discount_rate=0.02,0.03",
        ],
        "one key or two",
    );
}

// ---------------------------------------------------------------------------------------------
// [[thresholds]] and [[sweeps]] in the scenario file
// ---------------------------------------------------------------------------------------------

const QUESTIONS: &str = r#"
[[thresholds]]
vary = "paths.masters.placement"
from = 0.1
to = 1.0
path = "masters"

[[thresholds]]
vary = "paths.masters.costs.tuition_per_year"
from = 0
to = 200_000
path = "masters"
versus = "bootcamp"
metric = "median"

[[sweeps]]
x = { vary = "paths.masters.financing.repayment", values = ["standard", "rap"] }

[[sweeps]]
x = { vary = "paths.masters.placement", from = 0.3, to = 0.9, points = 3 }
y = { vary = "economy.discount_rate", values = [0.02, 0.05] }
versus = "bootcamp"
"#;

#[test]
fn a_scenario_asks_its_own_questions_and_run_answers_them() {
    let text = format!("{RANDOM}{QUESTIONS}");
    let sc = load_str(&text, Path::new("asks.toml")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sc.thresholds.len(), 2);
    assert_eq!(sc.thresholds[1].metric, Metric::Median);
    assert_eq!(sc.thresholds[1].versus.as_deref(), Some("bootcamp"));
    assert_eq!(sc.sweeps.len(), 2);
    assert!(sc.sweeps[1].y.is_some());

    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("asks.toml"), &text).unwrap();
    fs::write(tmp.path().join("plain.toml"), RANDOM).unwrap();
    let stdout = succeeds(
        tmp.path(),
        &[
            "run",
            "asks.toml",
            "plain.toml",
            "--trials",
            "600",
            "-q",
            "--out",
            "o",
        ],
    );
    assert!(
        stdout.contains(
            "The master's beats staying put in at least half of lives when its placement is"
        ),
        "{stdout}"
    );
    let dir = tmp.path().join("o/asks");
    let t = rows(&dir.join("threshold.csv"));
    assert_eq!(t.len(), 3, "a row per threshold");
    assert_eq!(t[1][1], "paths.masters.placement");
    for d in [
        "sweep_paths.masters.financing.repayment",
        "sweep_paths.masters.placement__economy.discount_rate__vs_bootcamp",
    ] {
        for f in ["sweep.csv", "sweep.png", "sweep.html"] {
            assert!(dir.join(d).join(f).exists(), "{d}/{f}");
        }
        // A sweep of the run links back to the report beside it.
        let page = fs::read_to_string(dir.join(d).join("sweep.html")).unwrap();
        assert!(page.contains("<a href=\"../report.html\">The scenario's report</a>"));
    }
    // Each threshold has its folder: its row, its chart and its page, linked from the report
    // and linking back to it.
    let report = fs::read_to_string(dir.join("report.html")).unwrap();
    for d in [
        "threshold_paths.masters.placement__masters",
        "threshold_paths.masters.costs.tuition_per_year__masters__vs_bootcamp__median",
    ] {
        assert_eq!(
            file_names(&dir.join(d)),
            ["threshold.csv", "threshold.html", "threshold.png"]
        );
        assert_eq!(
            rows(&dir.join(d).join("threshold.csv")).len(),
            2,
            "{d}: its row"
        );
        let page = fs::read_to_string(dir.join(d).join("threshold.html")).unwrap();
        assert!(page.contains("<a href=\"../report.html\">The scenario's report</a>"));
        assert!(
            report.contains(&format!("<a href=\"{d}/threshold.html\">")),
            "{d}"
        );
    }
    // The repayment plans as the chart says them, not as the file spells them.
    let page =
        fs::read_to_string(dir.join("sweep_paths.masters.financing.repayment/sweep.html")).unwrap();
    assert!(page.contains("<th scope=\"row\">RAP</th>"), "{page}");
    assert!(!page.contains(">rap<"), "{page}");
    let report = fs::read_to_string(dir.join("report.html")).unwrap();
    let section = report
        .find("What would have to be true")
        .expect("the section");
    assert!(section < report.find("<section id=\"assumptions\">").unwrap());
    assert!(report.contains("95% range:"));
    // Beside each answer, what the file assumes for the key (placement = 0.7), in the
    // sentence's unit, not the values the search tried.
    assert!(report.contains("The scenario assumes 70%."), "{report}");
    assert!(report.contains("Loans in detail"));
    let index = fs::read_to_string(tmp.path().join("o/index.html")).unwrap();
    assert!(
        index.contains("beats staying put in at least half of lives when its placement is"),
        "{index}"
    );
    // Each threshold and sweep of the batch, linked to its page.
    assert!(
        index.contains(
            "<a href=\"asks/threshold_paths.masters.placement__masters/threshold.html\">Its chart"
        ),
        "{index}"
    );
    for d in [
        "sweep_paths.masters.financing.repayment",
        "sweep_paths.masters.placement__economy.discount_rate__vs_bootcamp",
    ] {
        assert!(
            index.contains(&format!("<a href=\"asks/{d}/sweep.html\">What if ")),
            "{index}"
        );
    }
    // The plain scenario asks nothing: no section, no files.
    let plain = fs::read_to_string(tmp.path().join("o/plain/report.html")).unwrap();
    assert!(!plain.contains("What would have to be true"));
    assert!(!tmp.path().join("o/plain/threshold.csv").exists());
}

/// Two questions of a file that differ in their target alone (half of lives, and 70%) are
/// answered in a folder each, and the report links each answer to its own page.
#[test]
fn questions_that_differ_in_their_target_alone_get_a_folder_each() {
    let text = format!(
        "{RANDOM}\n[[thresholds]]\nvary = \"paths.masters.placement\"\nfrom = 0.1\nto = 1.0\n\
         path = \"masters\"\n\n[[thresholds]]\nvary = \"paths.masters.placement\"\n\
         from = 0.1\nto = 1.0\npath = \"masters\"\ntarget = 0.7\n"
    );
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("asks.toml"), &text).unwrap();
    succeeds(
        tmp.path(),
        &["run", "asks.toml", "--trials", "600", "-q", "--out", "o"],
    );
    let dir = tmp.path().join("o/asks");
    let report = fs::read_to_string(dir.join("report.html")).unwrap();
    for (d, says) in [
        (
            "threshold_paths.masters.placement__masters",
            "at least half of lives",
        ),
        (
            "threshold_paths.masters.placement__masters__target_0.7",
            "at least 70% of lives",
        ),
    ] {
        let row = rows(&dir.join(d).join("threshold.csv"));
        assert!(row[1].last().unwrap().contains(says), "{d}: {row:?}");
        let page = fs::read_to_string(dir.join(d).join("threshold.html")).unwrap();
        assert!(page.contains(says), "{d}: {page}");
        assert!(
            report.contains(&format!("<a href=\"{d}/threshold.html\">")),
            "{d}"
        );
    }
}

/// Each mistake in a question of the file, with the line it is reported at and its key.
#[test]
fn mistakes_in_the_files_questions_are_located() {
    for (question, line, key, says) in [
        (
            "[[thresholds]]\nvary = \"paths.masters.tution\"\nfrom = 0\nto = 1\npath = \"masters\"\n",
            2,
            "thresholds[0].vary",
            "not a key of the scenario format",
        ),
        (
            "[[thresholds]]\nvary = \"paths.masters.placement\"\nfrom = 0.1\nto = 1.5\npath = \"masters\"\n",
            4,
            "thresholds[0].to",
            "1.5, outside what",
        ),
        (
            "[[thresholds]]\nvary = \"paths.masters.placement\"\nfrom = 0.1\nto = 0.9\npath = \"phd\"\n",
            5,
            "thresholds[0].path",
            "not a path of the scenario",
        ),
        (
            "[[thresholds]]\nvary = \"paths.masters.placement\"\nfrom = 0.1\nto = 0.9\npath = \"masters\"\ntarget = 1\n",
            6,
            "thresholds[0].target",
            "no share can cross",
        ),
        (
            "[[sweeps]]\nx = { vary = \"paths.masters.financing.repayment\", from = 0, to = 1 }\n",
            2,
            "sweeps[0].x.values",
            "a range of `paths.masters.financing.repayment`, which takes words",
        ),
        (
            "[[sweeps]]\nx = { vary = \"roles.ds.salary\", values = [1, 2] }\n",
            2,
            "sweeps[0].x.vary",
            "no role `ds`",
        ),
        (
            "[[sweeps]]\nx = { vary = \"paths.masters.placement\", values = [0.5, 0.6] }\nversus = \"phd\"\n",
            3,
            "sweeps[0].versus",
            "not a path of the scenario",
        ),
        (
            "[[sweeps]]\nx = { vary = \"paths.masters.placement\", values = [0.5], from = 0 }\n",
            2,
            "sweeps[0].x",
            "both `values` and a range",
        ),
        (
            "[[sweeps]]\ny = { vary = \"paths.masters.placement\", values = [0.5, 0.6] }\n",
            1,
            "sweeps[0].x",
            "no `x`",
        ),
        (
            "[[sweeps]]\nx = { vary = \"paths.masters.placement\", values = [0.5], ponts = 3 }\n",
            2,
            "sweeps[0].x.ponts",
            "unknown key",
        ),
        // Two sweeps of one key would write one folder.
        (
            "[[sweeps]]\nx = { vary = \"paths.masters.placement\", values = [0.5, 0.6] }\n[[sweeps]]\nx = { vary = \"paths.masters.placement\", values = [0.7, 0.8] }\n",
            3,
            "sweeps[1]",
            "the same keys as sweeps[0]",
        ),
        // The same question twice.
        (
            "[[thresholds]]\nvary = \"paths.masters.placement\"\nfrom = 0.1\nto = 0.9\npath = \"masters\"\n[[thresholds]]\nvary = \"paths.masters.placement\"\nfrom = 0.2\nto = 0.9\npath = \"masters\"\n",
            6,
            "thresholds[1]",
            "the same question as thresholds[0]",
        ),
        // A list: each value once, each located.
        (
            "[[sweeps]]\nx = { vary = \"paths.masters.placement\", values = [0.5, 1.5] }\n",
            2,
            "sweeps[0].x.values[1]",
            "1.5, outside what `paths.masters.placement` takes",
        ),
        (
            "[[sweeps]]\nx = { vary = \"paths.masters.placement\", values = [0.5, 0.7, 0.5] }\n",
            2,
            "sweeps[0].x.values[2]",
            "0.5 listed twice",
        ),
    ] {
        let text = format!("{RANDOM}{question}");
        let first = RANDOM.lines().count();
        let e = load_str(&text, Path::new("q.toml")).expect_err(question);
        let d = &e.diagnostics[0];
        assert_eq!(e.diagnostics.len(), 1, "{e}");
        assert_eq!((d.line - first, d.key.as_str()), (line, key), "{e}");
        assert!(e.to_string().contains(says), "{e}");
    }
}

// ---------------------------------------------------------------------------------------------
// Loans in detail
// ---------------------------------------------------------------------------------------------

/// One private loan, checked by hand: 10,000 borrowed in month 0 at 6% for a one-month
/// course, no grace, so repayment starts in month 1 with one month of simple interest
/// capitalized: 10,000 x (1 + 0.06/12) = 10,050. Ten years at 0.5% a month:
///     payment = 10,050 x 0.005 / (1 - 1.005^-120) = 111.5756...
///     total paid = 120 x 111.5756 = 13,389.07; interest = 13,389.07 - 10,000 = 3,389.07;
/// nothing forgiven. Twenty years to retirement, so every payment falls within the horizon.
const LOAN: &str = r#"
[simulation]
trials = 50
[economy]
discount_rate = 0.03
inflation = 0.0
[tax]
effective_rate = 0.2
[person]
age = 30
retirement_age = 50
salary = 60_000
[roles.mle]
salary = 80_000
[paths.stay]
baseline = true
[paths.course]
duration_months = 1
roles = { mle = 1 }
[paths.course.costs]
one_time = 10_000
[paths.course.financing]
grace_months = 0
private_rate = 0.06
private_term_years = 10
"#;

#[test]
fn summary_csv_has_the_loan_figures_checked_by_hand() {
    let (tmp, _) = tmp_with(LOAN, "loan.toml");
    worthit()
        .current_dir(tmp.path())
        .args(["run", "loan.toml", "--no-charts", "-q", "--out", "o"])
        .assert()
        .success();
    let r = rows(&tmp.path().join("o/loan/summary.csv"));
    let at = r[0]
        .iter()
        .position(|c| c == "first_payment_p50_nominal")
        .expect("the loan columns");
    let cols = at..at + 4;
    assert_eq!(
        r[0][cols.clone()],
        [
            "first_payment_p50_nominal",
            "total_paid_p50_nominal",
            "interest_p50_nominal",
            "forgiven_p50_nominal"
        ]
    );
    // The baseline borrows nothing: empty cells.
    assert!(
        r[1][cols.clone()].iter().all(String::is_empty),
        "{:?}",
        r[1]
    );
    let got: Vec<f64> = r[2][cols].iter().map(|c| c.parse().unwrap()).collect();
    // Medians from a sketch of 128 bins an octave: within 1/256 of the value (plus a dollar
    // at zero).
    for (g, want) in got
        .iter()
        .zip([111.575_604, 13_389.072_534, 3_389.072_534, 0.0])
    {
        assert!((g - want).abs() <= want / 256.0 + 1.0, "{got:?}");
    }
}

/// A question whose value the key allows alone but the rest of the file does not (a beta's
/// sd beyond what its mean allows, at one end of the range or at one sweep point): `validate`
/// says so, at the question's `vary` with its line and column, and `run` says so before its
/// main run, writing nothing.
#[test]
fn validate_checks_every_scenario_the_questions_will_run() {
    let tmp = tempfile::tempdir().unwrap();
    for (name, question, says) in [
        (
            "thr.toml",
            "[[thresholds]]\nvary = \"paths.bootcamp.placement.sd\"\nfrom = 0.01\nto = 0.6\npath = \"bootcamp\"\n",
            "thresholds[0].vary: found `paths.bootcamp.placement.sd` (tried at 0.6): paths.bootcamp.placement: sd = 0.6 with mean = 0.5\n  --> thr.toml:51:8",
        ),
        (
            "swp.toml",
            "[[sweeps]]\nx = { vary = \"paths.masters.completion.sd\", values = [0.01, 0.5] }\n",
            "sweeps[0].x.vary: found `paths.masters.completion.sd` (tried at 0.5)",
        ),
        (
            // Each value fits alone; a mean of 0.9 with an sd of 0.35 does not.
            "grid.toml",
            "[[sweeps]]\nx = { vary = \"paths.bootcamp.placement.mean\", values = [0.5, 0.9] }\ny = { vary = \"paths.bootcamp.placement.sd\", values = [0.1, 0.35] }\n",
            "sweeps[0] (paths.bootcamp.placement.mean): at paths.bootcamp.placement.mean = 0.9, paths.bootcamp.placement.sd = 0.35",
        ),
    ] {
        fs::write(tmp.path().join(name), format!("{RANDOM}\n{question}")).unwrap();
        for command in [
            &["validate", name][..],
            &["run", name, "--trials", "500", "-q", "--out", "out"],
        ] {
            let assert = worthit()
                .current_dir(tmp.path())
                .args(command)
                .assert()
                .code(1);
            let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
            assert!(stderr.contains(says), "{command:?}: {stderr}");
            assert!(!tmp.path().join("out").exists(), "{command:?}");
        }
    }
}

/// A threshold on a role that neither path compared can lead to (the analyst's self-study
/// leads to no software job) would search a flat line: refused, naming the role.
#[test]
fn a_role_the_paths_compared_cannot_lead_to_is_refused() {
    let assert = worthit()
        .args([
            "threshold",
            "scenarios/analyst.toml",
            "--vary",
            "roles.software_engineer.salary=30000..200000",
            "--path",
            "self_study",
        ])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr
            .contains("an input of role `software_engineer`, which neither path compared leads to"),
        "{stderr}"
    );
}

/// A duration is rounded to whole months: a threshold on it would answer between two
/// months. Refused, with the sweep of whole months to run instead, which runs.
#[test]
fn a_threshold_on_a_duration_is_refused_for_a_sweep_of_whole_months() {
    let assert = worthit()
        .args([
            "threshold",
            "scenarios/analyst.toml",
            "--vary",
            "paths.masters_in_person.duration_months=6..24",
            "--path",
            "masters_in_person",
        ])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    let sweep = "paths.masters_in_person.duration_months=6..24:19";
    assert!(
        stderr.contains("which the model rounds to whole months") && stderr.contains(sweep),
        "{stderr}"
    );
    let tmp = tempfile::tempdir().unwrap();
    worthit()
        .args([
            "sweep",
            "scenarios/analyst.toml",
            "--vary",
            sweep,
            "--trials",
            "300",
            "-q",
            "--no-charts",
            "--out",
        ])
        .arg(tmp.path())
        .assert()
        .success();
}

/// A run replaces its scenario's folder whole: the answer of a sweep asked from the command
/// line goes with it, and the run says so (it would describe the file as it was).
#[test]
fn a_run_says_it_removed_the_answers_asked_from_the_command_line() {
    let (tmp, _) = tmp_with(RANDOM, "random.toml");
    let asked = sweep_one(tmp.path(), "paths.bootcamp.salary_premium=-0.2,0.1", "300");
    assert!(asked.join("sweep.csv").is_file());
    let run = || {
        let out = worthit()
            .current_dir(tmp.path())
            .args(["run", "random.toml", "--trials", "300", "-q", "--no-charts"])
            .args(["--out", "o"])
            .assert()
            .success();
        String::from_utf8_lossy(&out.get_output().stdout).into_owned()
    };
    let text = run();
    assert!(!asked.exists());
    let said = "removed earlier answers in o/random that this run does not give again: \
                sweep_paths.bootcamp.salary_premium (";
    assert!(
        text.contains(said) || text.contains("removed earlier answers in o\\random"),
        "{text}"
    );
    // Run again: nothing more to say.
    assert!(!run().contains("removed earlier answers"));
    // A run of the file with a mistake in it removes the earlier results, answers included,
    // and names them.
    sweep_one(tmp.path(), "paths.bootcamp.salary_premium=-0.2,0.1", "300");
    fs::write(
        tmp.path().join("random.toml"),
        format!("{RANDOM}\nnot toml"),
    )
    .unwrap();
    let out = worthit()
        .current_dir(tmp.path())
        .args(["run", "random.toml", "--trials", "300", "-q", "--out", "o"])
        .assert()
        .code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains(
            "with the answers of earlier questions: sweep_paths.bootcamp.salary_premium:"
        ),
        "{stderr}"
    );
    assert!(!asked.exists());
}

/// A question's folder holding a file of the user's (notes beside an earlier sweep) is not
/// written into: the sweep refuses before running, naming the file, and changes nothing.
#[test]
fn a_sweep_does_not_write_into_a_folder_holding_the_users_files() {
    let (tmp, _) = tmp_with(RANDOM, "random.toml");
    let folder = sweep_one(tmp.path(), "paths.masters.placement=0.2,0.8", "200");
    let before = fs::read(folder.join("sweep.csv")).unwrap();
    fs::write(folder.join("notes.txt"), "mine").unwrap();
    let out = worthit()
        .current_dir(tmp.path())
        .args([
            "sweep",
            "random.toml",
            "--vary",
            "paths.masters.placement=0.3,0.7",
        ])
        .args(["--trials", "200", "-q", "--out", "o"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("\"notes.txt\", which worthit did not write"),
        "{stderr}"
    );
    assert_eq!(fs::read(folder.join("sweep.csv")).unwrap(), before);
    // Without the user's file, the sweep replaces its own answer.
    fs::remove_file(folder.join("notes.txt")).unwrap();
    sweep_one(tmp.path(), "paths.masters.placement=0.3,0.7", "200");
    assert_ne!(fs::read(folder.join("sweep.csv")).unwrap(), before);
}
