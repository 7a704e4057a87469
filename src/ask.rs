//! What would have to be true: the `sweep` and `threshold` commands, and the answers to a
//! scenario's own `[[thresholds]]` and `[[sweeps]]` that `worthit run` adds to its outputs.
//!
//! Every mistake on the command line (a key the format does not have, a range of words, a
//! value outside what the key allows, a path that does not exist, a target the metric cannot
//! reach) is a one-line error and exit status 2, found before anything runs or is written.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::app::{Status, with_bar};
use crate::cli::{SweepArgs, ThresholdArgs};
use crate::console::Stdout;
use crate::report::html::questions::{
    SweepShown, ThresholdShown, questions_section, with_questions,
};
use crate::report::output::{self, OutputError};
use crate::report::{answers, charts, html};
use crate::scenario::questions::{
    Axis, Metric, Part, Problem, Sweep, Threshold, Values, check_axis, check_sweep_whole,
    check_threshold, versus_of,
};
use crate::scenario::{self, Override, Scenario};
use crate::sweep::{self as sweeps, QuestionError, Setup, SweepResult};
use crate::threshold::{self as thresholds, ThresholdResult};
use crate::{errln, outln};

/// The answers to a scenario's own questions.
#[derive(Debug, Default)]
pub struct Answers {
    /// `[[thresholds]]`, in file order, each with its chart if drawn.
    pub thresholds: Vec<(ThresholdResult, Option<Vec<u8>>)>,
    /// `[[sweeps]]`, in file order, each with its chart if drawn.
    pub sweeps: Vec<(SweepResult, Option<Vec<u8>>)>,
}

impl Answers {
    /// The section of the report that shows them ("What would have to be true").
    pub fn section(&self) -> String {
        let shown: Vec<SweepShown<'_>> = self
            .sweeps
            .iter()
            .map(|(r, png)| SweepShown {
                result: r,
                png: png.as_deref(),
                folder: sweep_folder(&r.sweep),
            })
            .collect();
        let thresholds: Vec<ThresholdShown<'_>> = self
            .thresholds
            .iter()
            .map(|(t, png)| ThresholdShown {
                result: t,
                folder: png.as_ref().map(|_| threshold_folder(&t.question)),
            })
            .collect();
        questions_section(&thresholds, &shown)
    }

    /// A scenario's report with the section inserted.
    pub fn into_report(&self, page: String) -> String {
        with_questions(page, &self.section())
    }
}

/// Answer every `[[thresholds]]` and `[[sweeps]]` of `sc` (whose file's bytes and overrides
/// `setup` holds), with its trials and seed; draw each sweep's chart when `charts`. With
/// `shown` (the run's progress bar's prefix, when it shows one), each question has its own
/// line while it runs: they take longer than the main run, and a bar that stops for seconds
/// reads as a program that hangs.
///
/// # Errors
/// A point that does not validate, or a run the engine stops, in one line.
pub fn answer(
    sc: &Scenario,
    setup: &Setup<'_>,
    charts: bool,
    shown: Option<&str>,
) -> Result<Answers, String> {
    let mut out = Answers::default();
    let asked = sc.thresholds.len() + sc.sweeps.len();
    let prefix = |n: usize, what: &str| {
        shown.map(|p| format!("{p}: question {} of {asked} ({what})", n + 1))
    };
    for (i, q) in sc.thresholds.iter().enumerate() {
        let what = threshold_what(i, q);
        let spinner = prefix(i, "a threshold").map(|p| search_spinner(&p));
        let found = thresholds::search(setup, &what, q, None, |e| {
            if let Some(s) = &spinner {
                s.set_message(evaluation_words(q, e));
            }
        });
        if let Some(s) = &spinner {
            s.finish_and_clear();
        }
        let t = found.map_err(|e| e.to_string())?;
        let png = drawn(charts, &sc.stem, "threshold", || charts::threshold_png(&t));
        out.thresholds.push((t, png));
    }
    for (i, s) in sc.sweeps.iter().enumerate() {
        let what = sweep_what(i, s);
        let points = sweeps::load_points(setup, &what, s).map_err(|e| e.to_string())?;
        let progress = AtomicU64::new(0);
        let bar = prefix(sc.thresholds.len() + i, "a sweep").and_then(|p| {
            let bar = progress_bar(points.len() as u64 * sc.simulation.trials, true)?;
            bar.set_prefix(p);
            Some(bar)
        });
        let r = with_bar(bar, &progress, || {
            sweeps::run(setup, &what, s, points, Some(&progress))
        })
        .map_err(|e| e.to_string())?;
        let png = drawn(charts, &sc.stem, "sweep", || charts::sweep_png(&r));
        out.sweeps.push((r, png));
    }
    Ok(out)
}

/// A question's chart, when `charts`: drawn, or `None` with a warning naming the scenario
/// `stem` and the question's `kind` (a chart that cannot be drawn does not stop the run).
fn drawn(
    charts: bool,
    stem: &str,
    kind: &str,
    draw: impl FnOnce() -> Result<Vec<u8>, charts::ChartError>,
) -> Option<Vec<u8>> {
    if !charts {
        return None;
    }
    draw()
        .map_err(|e| errln!("warning: {stem}: {kind} chart not drawn: {e}"))
        .ok()
}

/// How a message names the `i`th `[[thresholds]]` of a file: as its errors in the file do
/// (`thresholds[3]`, counted from 0), with its key.
fn threshold_what(i: usize, q: &Threshold) -> String {
    format!("thresholds[{i}] ({})", q.key)
}

/// How a message names the `i`th `[[sweeps]]` of a file (see [`threshold_what`]).
fn sweep_what(i: usize, s: &Sweep) -> String {
    format!("sweeps[{i}] ({})", s.x.key)
}

/// Check that every scenario a file's questions will run validates. A value the key allows
/// alone can still not fit the rest of the file (a beta's sd of 0.6 with its mean of 0.75):
/// `validate` says so, and `run` before its main run rather than after it. Loading the file
/// already tried each threshold's ends and each sweep axis's values alone (an error at the
/// question's line), so what is left is a two-key sweep's pairs of values that do not fit
/// together.
///
/// # Errors
/// The first point that does not validate, in one line.
pub fn check(sc: &Scenario, setup: &Setup<'_>) -> Result<(), String> {
    for (i, s) in sc.sweeps.iter().enumerate().filter(|(_, s)| s.y.is_some()) {
        sweeps::load_points(setup, &sweep_what(i, s), s).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// Write the answers' files into a scenario's folder: `threshold.csv` (a row per
/// threshold), a `threshold_<slug>/` folder per threshold (its row, and its chart and page
/// when drawn), and a `sweep_<slug>/` folder per sweep.
///
/// # Errors
/// A file that cannot be written.
pub fn write_answers(dir: &Path, a: &Answers) -> Result<Vec<PathBuf>, OutputError> {
    let mut written = Vec::new();
    if !a.thresholds.is_empty() {
        let all: Vec<&ThresholdResult> = a.thresholds.iter().map(|(t, _)| t).collect();
        let f = dir.join("threshold.csv");
        output::write_atomic(&f, &answers::threshold_csv(&all))?;
        written.push(f);
    }
    // A folder each, as a sweep has, with its chart and page when drawn: without them, a
    // run after one with charts would read as dropping answers it gives again.
    for (t, png) in &a.thresholds {
        let folder = dir.join(threshold_folder(&t.question));
        written.extend(write_threshold(&folder, t, png.as_deref())?.written);
    }
    for (r, png) in &a.sweeps {
        written.extend(write_sweep(&dir.join(sweep_folder(&r.sweep)), r, png.as_deref())?.written);
    }
    Ok(written)
}

fn write_sweep(dir: &Path, r: &SweepResult, png: Option<&[u8]>) -> Result<Files, OutputError> {
    write_question(dir, "sweep", answers::sweep_csv(r), png, |png, report| {
        html::questions::sweep_page(r, Some(png), report)
    })
}

/// The files a question's answer wrote into its folder, and those of an earlier answer it
/// removed.
struct Files {
    written: Vec<PathBuf>,
    removed: Vec<PathBuf>,
}

/// Writes a question's answer into its folder `dir`: its table `<kind>.csv`, and with its
/// chart `<kind>.png` and the page `<kind>.html` that `page` makes of the chart (told whether
/// the scenario's report is beside the folder, to link to it: a question asked on the command
/// line may come before any run). Without a chart (`--no-charts`), removes the chart and page
/// an earlier answer of the same question left: they would show other results.
fn write_question(
    dir: &Path,
    kind: &str,
    csv: Vec<u8>,
    png: Option<&[u8]>,
    page: impl FnOnce(&[u8], bool) -> String,
) -> Result<Files, OutputError> {
    output::ensure_dir(dir)?;
    let named = |ext: &str| dir.join(format!("{kind}.{ext}"));
    let mut files = vec![(named("csv"), csv)];
    if let Some(png) = png {
        let report = dir
            .parent()
            .is_some_and(|d| d.join("report.html").is_file());
        files.push((named("png"), png.to_vec()));
        files.push((named("html"), page(png, report).into_bytes()));
    }
    for (f, bytes) in &files {
        output::write_atomic(f, bytes)?;
    }
    let mut removed = Vec::new();
    if png.is_none() {
        for f in [named("png"), named("html")] {
            match std::fs::remove_file(&f) {
                Ok(()) => removed.push(f),
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(OutputError::Io { path: f, source: e });
                }
                Err(_) => {}
            }
        }
    }
    Ok(Files {
        written: files.into_iter().map(|(f, _)| f).collect(),
        removed,
    })
}

/// What the `sweep` and `threshold` commands say of the files they wrote and removed.
fn say_files(out: &mut Stdout, files: Files) {
    for f in files.written {
        outln!(out, "wrote {}", f.display());
    }
    for f in files.removed {
        outln!(
            out,
            "removed {}: it showed an earlier answer (asked again with charts, it is written again)",
            f.display()
        );
    }
}

/// Writes a threshold's answer into its folder (asked on the command line, or one of a
/// scenario's own): `threshold.csv`, and with its chart `threshold.png` and the page
/// `threshold.html`.
fn write_threshold(
    dir: &Path,
    t: &ThresholdResult,
    png: Option<&[u8]>,
) -> Result<Files, OutputError> {
    write_question(
        dir,
        "threshold",
        answers::threshold_csv(&[t]),
        png,
        |png, report| html::questions::threshold_page(t, Some(png), report),
    )
}

/// A key as part of a folder name: letters, digits, `_`, `-` and `.` kept, anything else `_`.
fn slug(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Keep a folder name short enough for every file system: a long one keeps its start and
/// ends with a hash of the whole.
fn bounded(name: String) -> String {
    if name.len() <= 120 {
        return name;
    }
    use sha2::{Digest, Sha256};
    let hash: String = Sha256::digest(name.as_bytes())
        .iter()
        .take(4)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{}-{hash}", &name[..100])
}

/// `sweep_<key>` or `sweep_<key>__<key>`, with `__vs_<path>` when compared with a path.
pub fn sweep_folder(s: &Sweep) -> String {
    let mut name = format!("sweep_{}", slug(&s.x.key));
    if let Some(y) = &s.y {
        name.push_str(&format!("__{}", slug(&y.key)));
    }
    if let Some(v) = &s.versus {
        name.push_str(&format!("__vs_{}", slug(v)));
    }
    bounded(name)
}

/// `threshold_<key>__<path>[__vs_<path>][__<metric>][__target_<t>]`: the target named when
/// it is not the metric's default, so that two questions of a file that differ in their
/// target alone (half of lives, and 80%) get a folder each.
pub fn threshold_folder(t: &Threshold) -> String {
    let mut name = format!("threshold_{}__{}", slug(&t.key), slug(&t.path));
    if let Some(v) = &t.versus {
        name.push_str(&format!("__vs_{}", slug(v)));
    }
    if t.metric != crate::scenario::questions::Metric::ProbBeats {
        name.push_str(&format!("__{}", t.metric.key()));
    }
    if t.target != t.metric.default_target() {
        name.push_str(&format!("__target_{}", slug(&t.target.to_string())));
    }
    bounded(name)
}

// ---------------------------------------------------------------------------------------------
// The commands
// ---------------------------------------------------------------------------------------------

/// What both commands read first: the file, the overrides, the scenario as the command line
/// changes it.
struct Base {
    bytes: Vec<u8>,
    overrides: Vec<Override>,
    scenario: Scenario,
    threads: usize,
}

fn base(
    file: &Path,
    set: &[Override],
    trials: Option<u64>,
    seed: Option<u64>,
    threads: Option<u32>,
) -> Result<Base, Status> {
    let bytes = std::fs::read(file).map_err(|e| {
        errln!("error: cannot read {}: {e}", file.display());
        Status::Usage
    })?;
    let mut overrides = set.to_vec();
    for (key, value) in [("simulation.trials", trials), ("simulation.seed", seed)] {
        if let Some(v) = value {
            overrides.push(Override {
                key: key.to_string(),
                value: v.to_string(),
            });
        }
    }
    let scenario = scenario::load_bytes(&bytes, file, &overrides).map_err(|e| {
        errln!("{e}");
        // A mistake the command line makes (a flag's, or one the file alone does not have)
        // is a usage error.
        if e.diagnostics.iter().any(|d| d.flag.is_some())
            || (!overrides.is_empty() && scenario::load_bytes(&bytes, file, &[]).is_ok())
        {
            Status::Usage
        } else {
            Status::Failed
        }
    })?;
    // A file whose name cannot name its output folder fails as a file that does not parse
    // does (as `run` and `validate` have it), not as a mistake of the command line.
    if let Err(e) = output::scenario_dir(Path::new("."), &scenario.stem) {
        errln!("error: {e}");
        return Err(Status::Failed);
    }
    for w in &scenario.warnings {
        errln!("warning: {}: {w}", file.display());
    }
    let threads = crate::cli::threads(threads);
    Ok(Base {
        bytes,
        overrides,
        scenario,
        threads,
    })
}

/// Warns of what varying `key` does that the person may not expect, as `--set` of that key
/// warns: it gives loans to a path that has none (the loan rate of a path that pays out of
/// pocket), or it fixes an input a factor loads (the loading is then left out).
fn say_values_warnings(file: &Path, sc: &Scenario, flag: &str, key: &str) {
    for words in crate::scenario::questions::value_warnings(&sc.paths, &sc.factors, &sc.inputs, key)
    {
        errln!("warning: {}: {flag}: {words}", file.display());
    }
}

/// A usage error in one line; exit status 2.
fn usage(flag: &str, (_, found, allowed): Problem) -> Status {
    errln!("error: {flag}: {found}; allowed: {allowed}");
    Status::Usage
}

/// A question's error: a point that does not validate is a usage error (its value is the
/// command line's), a stopped run a failure.
fn failed(e: &QuestionError) -> Status {
    errln!("error: {e}");
    match e {
        QuestionError::Point { .. } => Status::Usage,
        QuestionError::Engine { .. } => Status::Failed,
    }
}

/// A spinner that follows a threshold's search (how many evaluations it takes is not known
/// ahead), each evaluation's figure beside it; `prefix` before it.
fn search_spinner(prefix: &str) -> ProgressBar {
    let s = ProgressBar::new_spinner();
    if let Ok(style) = ProgressStyle::with_template("{prefix}{spinner} {msg}") {
        s.set_style(style);
    }
    if !prefix.is_empty() {
        s.set_prefix(format!("{prefix} "));
    }
    s.enable_steady_tick(Duration::from_millis(120));
    s
}

/// An evaluation of a threshold's search as its spinner shows it: the value tried to 4
/// significant digits (the search's later steps differ in the fourth), the figure as the
/// answer will say it (a share to a tenth of a point, money in short).
fn evaluation_words(q: &Threshold, e: &thresholds::Evaluation) -> String {
    let value = thresholds::significant(e.value, 4);
    let metric = match q.metric {
        Metric::ProbBeats => crate::report::format::percent_tenths(e.metric),
        _ => thresholds::metric_words(q.metric, e.metric),
    };
    format!("{} = {value}: {} {metric}", q.key, q.metric.key())
}

fn progress_bar(total: u64, show: bool) -> Option<ProgressBar> {
    show.then(|| {
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template(
                "{prefix} [{bar:32}] {human_pos}/{human_len} trials  ETA {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        bar
    })
}

/// The folder `folder` of scenario `stem` under `out`, once `out` is known to be writable;
/// the error said and its status otherwise (a bad name fails the scenario, as in [`base`]).
fn answer_dir(out: &Path, stem: &str, folder: &str) -> Result<PathBuf, Status> {
    let dir = output::scenario_dir(out, stem).map_err(|e| {
        errln!("error: {e}");
        Status::Failed
    })?;
    let answers = dir.join(folder);
    output::check_writable(out)
        .and_then(|()| output::lock(out))
        .and_then(|()| output::check_answer_folder(&answers))
        .map_err(|e| {
            errln!("error: {e}");
            Status::Failed
        })?;
    Ok(answers)
}

/// `Ok`, unless the results could not all be printed (a full disk; a closed pipe is fine).
fn done(out: &Stdout) -> Status {
    match out.failure() {
        Some(e) => {
            errln!("error: cannot write the results to standard output: {e}");
            Status::Failed
        }
        None => Status::Ok,
    }
}

/// A `--set` of the key a question varies (or of its parameter, or the input a varied
/// parameter belongs to), which every evaluation would override: a usage error, not a flag
/// silently ignored.
fn set_and_varied(set: &[Override], varied: &str) -> Option<Status> {
    use crate::scenario::overrides::within;
    let o = set
        .iter()
        .find(|o| o.key == varied || within(&o.key, varied) || within(varied, &o.key))?;
    errln!(
        "error: --set {}={} and --vary {varied}: the question sets {varied} itself at every value it tries, so the --set would be ignored; leave it out",
        o.key,
        o.value
    );
    Some(Status::Usage)
}

/// Runs a question's command into `out`: when it fails, the folders it made for `out` are
/// removed again while still empty, so that a failed command leaves nothing behind (as a
/// failed run does). A Ctrl-C leaves them (empty).
fn into_folder(out: &Path, command: impl FnOnce() -> Status) -> Status {
    let made = output::MissingFolders::of(out);
    let status = command();
    if status != Status::Ok {
        made.remove_if_empty();
    }
    status
}

/// `worthit sweep`.
pub fn sweep(args: &SweepArgs) -> Status {
    into_folder(&args.out, || sweep_into(args))
}

fn sweep_into(args: &SweepArgs) -> Status {
    let b = match base(&args.file, &args.set, args.trials, args.seed, args.threads) {
        Ok(b) => b,
        Err(s) => return s,
    };
    let sc = &b.scenario;
    let (x, y) = match args.vary.as_slice() {
        [x] => (x.clone(), None),
        [x, y] => (x.clone(), Some(y.clone())),
        _ => {
            errln!(
                "error: --vary given {} times; a sweep varies one key or two (a grid)",
                args.vary.len()
            );
            return Status::Usage;
        }
    };
    for a in std::iter::once(&x).chain(&y) {
        if let Err(p) = check_axis(a, &sc.paths, &sc.roles) {
            return usage(&a.flag(), p);
        }
        if let Some(s) = set_and_varied(&args.set, &a.key) {
            return s;
        }
        say_values_warnings(&args.file, sc, &a.flag(), &a.key);
    }
    let s = Sweep {
        x,
        y,
        versus: versus_of(args.versus.clone(), &sc.paths),
    };
    if let Some(p) = check_sweep_whole(&s, &sc.paths).into_iter().next() {
        let flag = match (p.0, &s.versus) {
            (Part::Versus, Some(v)) => format!("--versus {v}"),
            _ => s.y.as_ref().map_or_else(|| s.x.flag(), Axis::flag),
        };
        return usage(&flag, p);
    }
    let setup = Setup {
        bytes: &b.bytes,
        file: &args.file,
        overrides: &b.overrides,
        threads: b.threads,
    };
    let what = s
        .axes()
        .iter()
        .map(|a| a.flag())
        .collect::<Vec<_>>()
        .join(" ");
    let points = match sweeps::load_points(&setup, &what, &s) {
        Ok(p) => p,
        Err(e) => return failed(&e),
    };
    // The scenario's own sweep of these keys has this folder (the report links to it): a
    // sweep asked from the command line writes beside it, never over it.
    let mut folder = sweep_folder(&s);
    if sc.sweeps.iter().any(|own| sweep_folder(own) == folder) {
        folder = bounded(format!("{folder}__asked"));
    }
    let dir = match answer_dir(&args.out, &sc.stem, &folder) {
        Ok(d) => d,
        Err(status) => return status,
    };
    let progress = AtomicU64::new(0);
    let total = points.len() as u64 * sc.simulation.trials;
    let bar = progress_bar(total, !args.quiet && std::io::stderr().is_terminal());
    let started = std::time::Instant::now();
    let result = with_bar(bar, &progress, || {
        sweeps::run(&setup, &what, &s, points, Some(&progress))
    });
    let r = match result {
        Ok(r) => r,
        Err(e) => return failed(&e),
    };
    let elapsed = started.elapsed().as_secs_f64();
    let png = drawn(!args.no_charts, &sc.stem, "sweep", || charts::sweep_png(&r));
    let files = match write_sweep(&dir, &r, png.as_deref()) {
        Ok(w) => w,
        Err(e) => {
            errln!("error: {e}");
            return Status::Failed;
        }
    };
    let mut out = Stdout::new();
    print_sweep(&mut out, &r, elapsed);
    say_files(&mut out, files);
    done(&out)
}

/// The terminal's view of a sweep: P(beats staying put) of each path at each point.
fn print_sweep(out: &mut Stdout, r: &SweepResult, elapsed: f64) {
    outln!(
        out,
        "{}: {} x {}, seed {}, {}",
        r.scenario,
        crate::text::count(r.points.len() as u64, "point"),
        crate::text::count(r.trials, "trial"),
        r.seed,
        crate::text::seconds(elapsed)
    );
    let Some(first) = r.points.first() else {
        return;
    };
    // Each key by its last part ("placement"), the whole keys said below the table; each
    // value in its unit (30%, $10k).
    let axes = r.sweep.axes();
    let short: Vec<String> = axes.iter().map(|a| short_key(&a.key)).collect();
    let alts: Vec<usize> = (0..first.paths.len())
        .filter(|&i| !first.paths[i].baseline)
        .collect();
    let cells: Vec<Vec<String>> = r
        .points
        .iter()
        .map(|pt| {
            pt.levels
                .iter()
                .zip(&axes)
                .map(|(l, a)| match l.number() {
                    Some(x) => thresholds::value_words(x, thresholds::unit(&a.key)),
                    None => l.words(),
                })
                .collect()
        })
        .collect();
    let widths: Vec<usize> = short
        .iter()
        .enumerate()
        .map(|(k, h)| {
            cells
                .iter()
                .map(|c| c[k].chars().count())
                .chain([h.chars().count()])
                .max()
                .unwrap_or(8)
        })
        .collect();
    // A path's column: its share and median (14 characters), under its whole key.
    let path_width = |i: usize| first.paths[i].key.chars().count().max(14);
    let mut head = short
        .iter()
        .zip(&widths)
        .map(|(h, &w)| format!("{h:>w$}"))
        .collect::<Vec<_>>()
        .join("  ");
    for &i in &alts {
        head.push_str(&format!("  {:>w$}", first.paths[i].key, w = path_width(i)));
    }
    outln!(out, "  {head}");
    for (pt, values) in r.points.iter().zip(&cells) {
        let mut line = values
            .iter()
            .zip(&widths)
            .map(|(v, &w)| format!("{v:>w$}"))
            .collect::<Vec<_>>()
            .join("  ");
        for &i in &alts {
            let p = &pt.paths[i];
            let cell = format!(
                "{:>5.1}% {:>7}",
                100.0 * p.net.prob,
                crate::report::format::money(p.net.p50())
            );
            line.push_str(&format!("  {cell:>w$}", w = path_width(i)));
        }
        outln!(out, "  {line}");
    }
    for (h, a) in short.iter().zip(&axes) {
        if *h != a.key {
            outln!(out, "  ({h}: {})", a.key);
        }
    }
    outln!(
        out,
        "  (per path: share of lives it beats \"{}\", and its median net return)",
        r.baseline_label()
    );
    if r.unmoved() {
        outln!(
            out,
            "  {}",
            crate::report::html::questions::unmoved_words(r)
        );
    }
}

/// A key as a column of the terminal's table names it: its last part, or the last two
/// when the last is a distribution's parameter (`salary.p10`).
fn short_key(key: &str) -> String {
    let parts: Vec<&str> = key.split('.').collect();
    match parts.as_slice() {
        [.., input, param] if crate::scenario::schema::lookup(key).is_none() => {
            format!("{input}.{param}")
        }
        [.., last] => (*last).to_string(),
        [] => key.to_string(),
    }
}

/// `worthit threshold`.
pub fn threshold(args: &ThresholdArgs) -> Status {
    into_folder(&args.out, || threshold_into(args))
}

fn threshold_into(args: &ThresholdArgs) -> Status {
    let b = match base(&args.file, &args.set, args.trials, args.seed, args.threads) {
        Ok(b) => b,
        Err(s) => return s,
    };
    let sc = &b.scenario;
    if let Some(s) = set_and_varied(&args.set, &args.vary.key) {
        return s;
    }
    let Values::Range { from, to, .. } = args.vary.values else {
        let flag = args.vary.flag();
        errln!("error: {flag}: a list of values; allowed: a range to search, KEY=LO..HI");
        return Status::Usage;
    };
    let q = Threshold {
        key: args.vary.key.clone(),
        from,
        to,
        path: args.path.clone(),
        versus: versus_of(args.versus.clone(), &sc.paths),
        metric: args.metric,
        target: args.target.unwrap_or(args.metric.default_target()),
    };
    if let Some(p) = check_threshold(&q, &sc.paths, &sc.roles).into_iter().next() {
        let f = match p.0 {
            Part::Path => format!("--path {}", q.path),
            Part::Versus => format!("--versus {}", q.versus.as_deref().unwrap_or_default()),
            Part::Target => format!("--target {}", q.target),
            _ => format!(
                "--vary {}={}..{}",
                q.key,
                crate::scenario::questions::typed(from),
                crate::scenario::questions::typed(to)
            ),
        };
        return usage(&f, p);
    }
    say_values_warnings(&args.file, sc, &args.vary.flag(), &q.key);
    let setup = Setup {
        bytes: &b.bytes,
        file: &args.file,
        overrides: &b.overrides,
        threads: b.threads,
    };
    let what = format!("--vary {}={}..{}", q.key, from, to);
    // Both ends first: a value that does not validate is reported before anything runs.
    for v in [from, to] {
        if let Err(e) = setup.load(
            &what,
            &[(q.key.as_str(), &crate::scenario::questions::Level::Num(v))],
        ) {
            return failed(&e);
        }
    }
    // The scenario's own threshold of this question has this folder (the report links to
    // it): one asked from the command line writes beside it, never over it.
    let mut folder = threshold_folder(&q);
    if sc
        .thresholds
        .iter()
        .any(|own| threshold_folder(own) == folder)
    {
        folder = bounded(format!("{folder}__asked"));
    }
    let dir = match answer_dir(&args.out, &sc.stem, &folder) {
        Ok(d) => d,
        Err(status) => return status,
    };
    let show = !args.quiet && std::io::stderr().is_terminal();
    let spinner = show.then(|| search_spinner(""));
    let result = thresholds::search(&setup, &what, &q, None, |e| {
        if let Some(s) = &spinner {
            s.set_message(evaluation_words(&q, e));
        }
    });
    if let Some(s) = &spinner {
        s.finish_and_clear();
    }
    let t = match result {
        Ok(t) => t,
        Err(e) => return failed(&e),
    };
    let mut out = Stdout::new();
    outln!(out, "{}", t.sentence());
    if let Some(range) = t.range_words() {
        outln!(out, "  95% range: {range}");
    }
    if let Some(a) = &t.assumed {
        outln!(out, "  The scenario assumes {a}.");
    }
    outln!(
        out,
        "  ({} of {} each, seed {})",
        crate::text::count(t.evaluations() as u64, "evaluation"),
        crate::text::count(t.trials, "trial"),
        t.seed
    );
    let png = drawn(!args.no_charts, &sc.stem, "threshold", || {
        charts::threshold_png(&t)
    });
    match write_threshold(&dir, &t, png.as_deref()) {
        Ok(files) => {
            say_files(&mut out, files);
            done(&out)
        }
        Err(e) => {
            errln!("error: {e}");
            Status::Failed
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::questions::{Level, Metric};

    #[test]
    fn a_searchs_spinner_says_each_evaluation_shortly() {
        let mut q = Threshold {
            key: "paths.a.placement".into(),
            from: 0.0,
            to: 1.0,
            path: "a".into(),
            versus: None,
            metric: Metric::ProbBeats,
            target: 0.5,
        };
        let e = |value: f64, metric: f64| thresholds::Evaluation {
            value,
            metric,
            ci: (metric, metric),
        };
        assert_eq!(
            evaluation_words(&q, &e(0.677_984_843_798_329_8, 0.5174)),
            "paths.a.placement = 0.678: prob_beats 51.7%"
        );
        assert_eq!(
            evaluation_words(&q, &e(-0.048_465_854, 0.5)),
            "paths.a.placement = -0.04847: prob_beats 50.0%"
        );
        q.metric = Metric::Median;
        assert_eq!(
            evaluation_words(&q, &e(0.0, 691_712.0)),
            "paths.a.placement = 0: median $692k"
        );
        assert_eq!(
            evaluation_words(&q, &e(12_345.678, -4_628.0)),
            "paths.a.placement = 12350: median -$4.63k"
        );
    }

    #[test]
    fn folder_names_are_safe_and_bounded() {
        let s = Sweep {
            x: Axis {
                key: "paths.a.placement".into(),
                values: Values::List(vec![Level::Num(0.5)]),
            },
            y: None,
            versus: Some("b".into()),
        };
        assert_eq!(sweep_folder(&s), "sweep_paths.a.placement__vs_b");
        let t = Threshold {
            key: "paths.a.costs.tuition_per_year".into(),
            from: 0.0,
            to: 1.0,
            path: "a".into(),
            versus: None,
            metric: Metric::Median,
            target: 0.0,
        };
        assert_eq!(
            threshold_folder(&t),
            "threshold_paths.a.costs.tuition_per_year__a__median"
        );
        // A target other than the metric's default is named: the same question with
        // another target has a folder of its own.
        let t = Threshold {
            target: -5_000.5,
            ..t
        };
        assert_eq!(
            threshold_folder(&t),
            "threshold_paths.a.costs.tuition_per_year__a__median__target_-5000.5"
        );
        let long = bounded("x".repeat(300));
        assert!(long.len() <= 120 && output::safe_stem(&long));
        assert_eq!(slug("a/b c"), "a_b_c");
    }
}
