//! The commands: each reads like a table of contents of the pipeline
//! (discover -> load -> model -> engine -> summary -> report).

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};

use crate::cli::{InitArgs, RunArgs, ValidateArgs};
use crate::model::Model;
use crate::report::html::RunInfo;
use crate::report::output::{self, OutputError};
use crate::scenario::{self, Override, Scenario, fmt_num};
use crate::stats::summary::{About, ScenarioSummary};
use crate::{engine, report};

/// How a command ended, as the process exit status of interface.md.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Status {
    /// Everything ran.
    Ok = 0,
    /// A scenario failed (the others still ran) or an output could not be written.
    Failed = 1,
    /// The command line was wrong.
    Usage = 2,
}

/// `worthit validate`: `ok FILE` for each good scenario, every error of each bad one.
pub fn validate(args: &ValidateArgs) -> Status {
    let files = match scenario::discover(&args.paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return Status::Usage;
        }
    };
    let mut status = Status::Ok;
    for f in files {
        // The same checks as `run`: the file, and its name as an output folder.
        let loaded = std::fs::read(&f)
            .map_err(|e| format!("error: cannot read {}: {e}", f.display()))
            .and_then(|bytes| {
                scenario::load_bytes(&bytes, &f, &args.set).map_err(|e| {
                    if e.diagnostics.iter().any(|d| d.flag.is_some()) {
                        status = Status::Usage;
                    }
                    format!("{e}\n")
                })
            });
        let checked = loaded.and_then(|sc| {
            output::scenario_dir(Path::new("."), &sc.stem)
                .map(|_| sc)
                .map_err(|e| format!("error: {e}"))
        });
        match checked {
            Ok(sc) => {
                for w in &sc.warnings {
                    eprintln!("warning: {}: {w}", f.display());
                }
                println!("ok {}", f.display());
            }
            Err(msg) => {
                eprintln!("{msg}");
                if status != Status::Usage {
                    status = Status::Failed;
                }
            }
        }
    }
    status
}

/// `worthit init`: write the template scenario, never over an existing file.
pub fn init(args: &InitArgs) -> Status {
    let file = &args.file;
    let created = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(file)
        .and_then(|mut f| f.write_all(scenario::template::template().as_bytes()));
    match created {
        Ok(()) => {
            println!(
                "wrote {} (check it with: worthit validate {})",
                file.display(),
                file.display()
            );
            Status::Ok
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!(
                "error: {} already exists; not overwriting it",
                file.display()
            );
            Status::Failed
        }
        Err(e) => {
            eprintln!("error: cannot write {}: {e}", file.display());
            Status::Failed
        }
    }
}

/// What `run` needs to know about one finished scenario.
struct Done {
    summary: ScenarioSummary,
    dir: PathBuf,
}

/// `worthit run`.
pub fn run(args: &RunArgs) -> Status {
    let files = match scenario::discover(&args.paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("error: {e}");
            return Status::Usage;
        }
    };
    // A mistake in a `--set` is a usage error: reported before anything is written.
    let overrides = overrides(args);
    if !overrides.is_empty() {
        let mut bad = false;
        for f in &files {
            if let Ok(bytes) = std::fs::read(f)
                && let Err(e) = scenario::load_bytes(&bytes, f, &overrides)
            {
                for d in e.diagnostics.iter().filter(|d| d.flag.is_some()) {
                    eprintln!("{d}\n");
                    bad = true;
                }
            }
        }
        if bad {
            return Status::Usage;
        }
    }
    if let Err(e) = output::check_writable(&args.out) {
        eprintln!("error: {e}");
        return Status::Failed;
    }
    let threads = args.threads.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        |t| t as usize,
    );
    let mut done = Vec::new();
    let mut failed: Vec<(PathBuf, String)> = Vec::new();
    let mut taken = HashMap::new();
    for file in &files {
        match run_one(file, args, threads, &mut taken) {
            Ok(d) => done.push(d),
            Err(msg) => {
                eprintln!("{msg}\n");
                failed.push((
                    file.clone(),
                    msg.lines().last().unwrap_or_default().to_string(),
                ));
            }
        }
    }
    if files.len() > 1 && !done.is_empty() {
        let summaries: Vec<&ScenarioSummary> = done.iter().map(|d| &d.summary).collect();
        let mut written = vec![args.out.join("batch_summary.csv")];
        let mut result = output::write_atomic(&written[0], &report::csv::batch_summary(&summaries));
        if !args.no_charts && result.is_ok() {
            written.push(args.out.join("index.html"));
            result = write_index(&args.out, &done);
        }
        match result {
            Ok(()) => {
                for w in written {
                    println!("wrote {}", w.display());
                }
            }
            Err(e) => failed.push((args.out.clone(), e.to_string())),
        }
    }
    if failed.is_empty() {
        return Status::Ok;
    }
    eprintln!("{} of {} scenarios failed:", failed.len(), files.len());
    for (f, why) in &failed {
        // Most reasons already name the file: name it once.
        let f = f.display().to_string();
        let why = why.strip_prefix("error: ").unwrap_or(why);
        if why.starts_with(&f) {
            eprintln!("  {why}");
        } else {
            eprintln!("  {f}: {why}");
        }
    }
    Status::Failed
}

/// `taken` maps each output folder of this run to the scenario file that writes it: two
/// scenario files with the same stem (`a/x.toml`, `b/x.toml`) would write the same folder, so
/// the later one is refused rather than silently overwriting the first one's report.
fn run_one(
    file: &Path,
    args: &RunArgs,
    threads: usize,
    taken: &mut HashMap<PathBuf, PathBuf>,
) -> Result<Done, String> {
    let bytes =
        std::fs::read(file).map_err(|e| format!("error: cannot read {}: {e}", file.display()))?;
    let sc = scenario::load_bytes(&bytes, file, &overrides(args)).map_err(|e| e.to_string())?;
    for w in &sc.warnings {
        eprintln!("warning: {}: {w}", file.display());
    }
    let dir = output::scenario_dir(&args.out, &sc.stem).map_err(|e| format!("error: {e}"))?;
    if let Some(first) = taken.get(&dir) {
        return Err(format!(
            "error: {} would write {}, which {} of this run already wrote; rename one of them",
            file.display(),
            dir.display(),
            first.display()
        ));
    }
    taken.insert(dir.clone(), file.to_path_buf());
    let (trials, seed) = (sc.simulation.trials, sc.simulation.seed);
    let model = Model::new(&sc);

    let started = Instant::now();
    let progress = AtomicU64::new(0);
    let stats = std::thread::scope(|scope| {
        let bar = (!args.quiet && std::io::stderr().is_terminal())
            .then(|| progress_bar(&sc.stem, trials));
        let worker = scope.spawn(|| engine::run(&model, trials, seed, threads, Some(&progress)));
        if let Some(bar) = &bar {
            while !worker.is_finished() {
                bar.set_position(progress.load(Ordering::Relaxed));
                std::thread::sleep(Duration::from_millis(100));
            }
            bar.finish_and_clear();
        }
        worker.join().expect("the engine does not panic")
    })
    .map_err(|e| format!("error: {e}"))?;
    let elapsed = started.elapsed().as_secs_f64();
    let summary = stats.summarize(&model, &about(&sc));

    output::ensure_dir(&dir).map_err(|e| format!("error: {e}"))?;
    let info = RunInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        threads,
        elapsed_seconds: elapsed,
        trials_per_second: trials as f64 / elapsed.max(1e-9),
        scenario_file: file.display().to_string(),
        sha256: Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    };
    write_scenario(&dir, &sc, &summary, &info, !args.no_charts)
        .map_err(|e| format!("error: {e}"))?;
    print_headline(&summary, &info, &dir, !args.no_charts);
    Ok(Done { summary, dir })
}

/// Every override of the command line: `--set`, then `--trials` and `--seed` (which are
/// `simulation.trials` and `simulation.seed`), applied as if written in the file.
fn overrides(args: &RunArgs) -> Vec<Override> {
    let mut all = args.set.clone();
    for (key, value) in [
        ("simulation.trials", args.trials),
        ("simulation.seed", args.seed),
    ] {
        if let Some(v) = value {
            all.push(Override {
                key: key.to_string(),
                value: v.to_string(),
            });
        }
    }
    all
}

/// What the summary says of the scenario beyond the model: its names, descriptions, seed.
pub fn about(sc: &Scenario) -> About {
    About {
        name: sc.name.clone(),
        description: sc.description.clone(),
        stem: sc.stem.clone(),
        seed: sc.simulation.seed,
        person: sc.person.description.clone(),
        path_descriptions: sc.paths.iter().map(|p| p.description.clone()).collect(),
    }
}

/// `worthit schema`: the JSON Schema of the scenario format.
pub fn schema() -> Status {
    let mut out = std::io::stdout().lock();
    match out.write_all(scenario::json_schema::json_schema().as_bytes()) {
        Ok(()) => Status::Ok,
        Err(_) => Status::Failed,
    }
}

fn progress_bar(stem: &str, trials: u64) -> ProgressBar {
    let bar = ProgressBar::new(trials);
    let style = ProgressStyle::with_template(
        "{prefix} [{bar:32}] {human_pos}/{human_len} trials  {rate}  ETA {eta}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .with_key(
        "rate",
        |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{} trials/s", fmt_num(state.per_sec().round()));
        },
    )
    .progress_chars("=> ");
    bar.set_style(style);
    bar.set_prefix(stem.to_string());
    bar
}

fn run_json(sc: &Scenario, info: &RunInfo) -> Vec<u8> {
    let v = serde_json::json!({
        "program": "worthit",
        "version": info.version,
        "scenario": sc.name,
        "scenario_file": info.scenario_file,
        "scenario_sha256": info.sha256,
        "seed": sc.simulation.seed,
        "trials": sc.simulation.trials,
        "threads": info.threads,
        "elapsed_seconds": info.elapsed_seconds,
        "trials_per_second": info.trials_per_second,
    });
    let mut s = serde_json::to_vec_pretty(&v).expect("a JSON value serializes");
    s.push(b'\n');
    s
}

fn write_scenario(
    dir: &Path,
    sc: &Scenario,
    s: &ScenarioSummary,
    info: &RunInfo,
    visuals: bool,
) -> Result<(), OutputError> {
    use report::csv;
    let files: [(&str, Vec<u8>); 8] = [
        ("summary.csv", csv::summary(s)),
        ("npv.csv", csv::npv(s)),
        ("pairwise.csv", csv::pairwise(s)),
        ("histogram.csv", csv::histogram(s)),
        ("timeline.csv", csv::timeline(s)),
        ("sensitivity.csv", csv::sensitivity(s)),
        ("outcomes.csv", csv::outcomes(s)),
        ("run.json", run_json(sc, info)),
    ];
    for (name, bytes) in files {
        output::write_atomic(&dir.join(name), &bytes)?;
    }
    if visuals {
        write_visuals(dir, sc, s, info)?;
    }
    Ok(())
}

/// The PNG charts and `report.html`. A chart that fails to render is reported and left out;
/// the rest of the report is still written.
fn write_visuals(
    dir: &Path,
    sc: &Scenario,
    s: &ScenarioSummary,
    info: &RunInfo,
) -> Result<(), OutputError> {
    let charts = match report::charts::render_all(s) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("warning: {}: charts not drawn: {e}", sc.stem);
            Vec::new()
        }
    };
    for (name, png) in &charts {
        output::write_atomic(&dir.join(name), png)?;
    }
    let html = report::html::scenario_report(s, &sc.assumptions, &charts, info);
    output::write_atomic(&dir.join("report.html"), html.as_bytes())
}

/// `index.html` of a batch: a row per scenario and path, linking to each report.
fn write_index(out: &Path, done: &[Done]) -> Result<(), OutputError> {
    let entries: Vec<(&ScenarioSummary, String)> = done
        .iter()
        .map(|d| {
            let rel = d
                .dir
                .strip_prefix(out)
                .unwrap_or(&d.dir)
                .join("report.html");
            (&d.summary, rel.to_string_lossy().replace('\\', "/"))
        })
        .collect();
    output::write_atomic(
        &out.join("index.html"),
        report::html::batch_index(&entries).as_bytes(),
    )
}

/// Money for the terminal table: the report's format, to the nearest $1,000.
fn money(x: f64) -> String {
    report::format::money((x / 1000.0).round() * 1000.0)
}

/// Break-even for the terminal: how often, and the median age among the lives that do.
fn breakeven_words(s: &ScenarioSummary, p: &crate::stats::summary::PathSummary) -> String {
    match p.breakeven_p50_years_if_ever {
        Some(t) => format!(
            "{:.0}% of lives, median age {:.0}",
            100.0 * (1.0 - p.prob_no_breakeven),
            f64::from(s.age) + t
        ),
        None => "never".to_string(),
    }
}

fn print_headline(s: &ScenarioSummary, info: &RunInfo, dir: &Path, visuals: bool) {
    println!(
        "{} ({}): {} trials, seed {}, {:.1} s, {} trials/s",
        s.name,
        s.stem,
        fmt_num(s.trials as f64),
        s.seed,
        info.elapsed_seconds,
        fmt_num(info.trials_per_second.round())
    );
    let base = s.baseline().label.clone();
    let width = s
        .paths
        .iter()
        .map(|p| p.label.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    println!(
        "  {:width$}  {:>12}  {:>10}  {:>12}  {:>12}  breaks even",
        "path", "median", "P(beats)", "worst 10%", "mean debt"
    );
    for p in s.paths.iter().filter(|p| !p.baseline) {
        println!(
            "  {:width$}  {:>12}  {:>9.0}%  {:>12}  {:>12}  {}",
            p.label,
            money(p.net.q.p50),
            100.0 * p.prob_beats_baseline,
            money(p.net.q.p10),
            money(p.mean_debt),
            breakeven_words(s, p)
        );
    }
    println!("  (net return versus \"{base}\", today's dollars)");
    let main = if visuals {
        dir.join("report.html")
    } else {
        dir.join("summary.csv")
    };
    println!("  -> {}\n", main.display());
}
