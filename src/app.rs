//! The commands: each reads like a table of contents of the pipeline
//! (discover -> load -> model -> engine -> summary -> report).

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};

use crate::cli::{InitArgs, RunArgs, ValidateArgs};
use crate::console::Stdout;
use crate::engine::EngineError;
use crate::model::Model;
use crate::precision_run;
use crate::report::artifacts::{self, Inputs};
use crate::report::html::RunInfo;
use crate::report::output::{self, OutputError};
use crate::scenario::{self, LoadError, Override, Scenario, fmt_num};
use crate::stats::summary::{About, ScenarioSummary};
use crate::{errln, outln, report};

/// How a command ended, as the process exit status (docs/output.md): 0, 1, or 2 for usage.
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

/// Why a command, or one scenario of it, failed.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The files and folders named on the command line (a usage error).
    #[error("{0}")]
    Discover(String),
    /// A scenario file with mistakes (every one of them, located).
    #[error("{0}")]
    Invalid(LoadError),
    /// A `--set` override the scenario format refuses (a usage error): its diagnostics.
    #[error("{0}")]
    Override(LoadError),
    /// An output that cannot be written, or a scenario name that cannot be a folder.
    #[error(transparent)]
    Output(#[from] OutputError),
    /// Two scenario files of one run that would write the same folder.
    #[error(
        "{} would write {}, the folder of {} in this run{}: it is not run; rename one of them",
        file.display(),
        dir.display(),
        first.display(),
        if *case_only { " (names that differ only in case are one folder on macOS and Windows)" } else { "" }
    )]
    SameFolder {
        /// The later file, refused.
        file: PathBuf,
        /// The folder both would write.
        dir: PathBuf,
        /// The file that wrote it.
        first: PathBuf,
        /// Whether the two folders' names differ in case only.
        case_only: bool,
    },
    /// The simulation stopped.
    #[error("{}: {source}{hint}", file.display())]
    Engine {
        /// The scenario file.
        file: PathBuf,
        /// What happened.
        source: EngineError,
        /// Where in the scenario to look.
        hint: String,
    },
    /// The template could not be written by `init`.
    #[error("{}", match source.kind() {
        std::io::ErrorKind::AlreadyExists =>
            format!("{} already exists; not overwriting it", file.display()),
        _ => format!("cannot write {}: {source}", file.display()),
    })]
    Init {
        /// The file asked for.
        file: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A question of the scenario (`[[thresholds]]`, `[[sweeps]]`) could not be answered.
    #[error("{}: {message}", file.display())]
    Question {
        /// The scenario file.
        file: PathBuf,
        /// What went wrong, in one line.
        message: String,
    },
    /// Standard output could not be written (not a closed pipe: a full disk, say).
    #[error("cannot write the results to standard output: {0}")]
    Stdout(std::io::Error),
}

impl AppError {
    /// The exit status this error calls for.
    pub fn status(&self) -> Status {
        match self {
            AppError::Discover(_) | AppError::Override(_) => Status::Usage,
            _ => Status::Failed,
        }
    }

    /// The error as printed when it happens: a scenario's diagnostics as they are, anything
    /// else on one `error:` line.
    pub fn full(&self) -> String {
        match self {
            AppError::Invalid(e) | AppError::Override(e) => e.to_string(),
            other => format!("error: {other}"),
        }
    }

    /// One line for the list of failures at the end of a run.
    pub fn summary(&self) -> String {
        match self {
            AppError::Invalid(e) | AppError::Override(e) => {
                let n = e.diagnostics.len();
                format!(
                    "{}: {n} error{}",
                    e.file.display(),
                    if n == 1 { "" } else { "s" }
                )
            }
            other => other.to_string(),
        }
    }
}

/// `worthit validate`: `ok FILE` for each good scenario, every error of each bad one.
pub fn validate(args: &ValidateArgs) -> Status {
    let files = match scenario::discover(&args.paths) {
        Ok(f) => f,
        Err(e) => return fail(&AppError::Discover(e)),
    };
    let mut out = Stdout::new();
    let mut status = Status::Ok;
    // Which file first has each output folder, as `run` claims them: it refuses a second
    // file of one name (or of names that differ only in case).
    let (_, refused) = claim_folders(Path::new("."), &files);
    for (f, refusal) in files.into_iter().zip(refused) {
        // The same checks as `run`: the file, and its name as an output folder.
        let checked = load(&f, &args.set).and_then(|(sc, bytes)| {
            output::scenario_dir(Path::new("."), &sc.stem)?;
            // Every scenario its questions will run, too.
            let setup = crate::sweep::Setup {
                bytes: &bytes,
                file: &f,
                overrides: &args.set,
                threads: 1,
            };
            crate::ask::check(&sc, &setup).map_err(|message| AppError::Question {
                file: f.clone(),
                message,
            })?;
            Ok(sc)
        });
        match checked {
            Ok(sc) => {
                warn(&f, &sc);
                outln!(out, "ok {}", f.display());
                if let Some(AppError::SameFolder {
                    first, case_only, ..
                }) = refusal
                {
                    errln!(
                        "warning: {} and {} would write the same output folder, {:?}{}: a run \
                         of both runs the first and refuses the second (rename one, or run \
                         them with different --out)",
                        first.display(),
                        f.display(),
                        sc.stem,
                        if case_only {
                            " (on macOS and Windows, where case does not tell names apart)"
                        } else {
                            ""
                        }
                    );
                }
            }
            Err(e) => {
                errln!("{}", e.full());
                if status != Status::Usage {
                    status = e.status();
                }
            }
        }
    }
    finish_stdout(&out, status)
}

/// `worthit init`: write the template scenario, whole, never over an existing file.
pub fn init(args: &InitArgs) -> Status {
    let file = &args.file;
    // A name `run` would refuse (its stem names the output folder) is refused now, before
    // the user edits a file they could not run under that name.
    if let Err(e) = output::scenario_dir(Path::new("."), &scenario::stem_of(file)) {
        errln!("error: {e}");
        return Status::Usage;
    }
    match output::write_new(file, scenario::template::template().as_bytes()) {
        Ok(()) => {
            // A run or validate of a folder reads its `.toml` files only, and editors apply
            // TOML (and the schema) by that ending.
            if file.extension().is_none_or(|e| e != "toml") {
                errln!(
                    "warning: {} does not end in .toml: `worthit run FOLDER` skips it, and editors will not read it as TOML (rename it, e.g. to {}.toml)",
                    file.display(),
                    file.display()
                );
            }
            let mut out = Stdout::new();
            outln!(
                out,
                "wrote {} (check it with: worthit validate {})",
                file.display(),
                file.display()
            );
            finish_stdout(&out, Status::Ok)
        }
        Err(source) => fail(&AppError::Init {
            file: file.clone(),
            source,
        }),
    }
}

/// Read a scenario file once and validate it with the command line's overrides: the bytes
/// (hashed into run.json) and the scenario. A mistake in an override is a usage error.
fn load(file: &Path, overrides: &[Override]) -> Result<(Scenario, Vec<u8>), AppError> {
    let bytes = scenario::read(file).map_err(AppError::Invalid)?;
    match scenario::load_bytes(&bytes, file, overrides) {
        Ok(sc) => Ok((sc, bytes)),
        Err(e) if e.diagnostics.iter().any(|d| d.flag.is_some()) => Err(AppError::Override(e)),
        // A mistake that only the overrides make (a distribution's parameter set out of its
        // range): the command line's, not the file's, whose earlier results stay.
        Err(e) if !overrides.is_empty() && scenario::load_bytes(&bytes, file, &[]).is_ok() => {
            Err(AppError::Override(e))
        }
        Err(e) => Err(AppError::Invalid(e)),
    }
}

/// Warnings about a valid scenario (no `[tax]`: the run is untaxed).
fn warn(file: &Path, sc: &Scenario) {
    for w in &sc.warnings {
        errln!("warning: {}: {w}", file.display());
    }
}

/// `extra` (a JSON object) with `overrides`: what the command line changed (each
/// `--set KEY=VALUE`, and `--trials`, `--seed` as `simulation.*`), in the order applied, each
/// as `{"key", "value"}` (the value as typed), so that run.json says everything the run
/// needs to be made again.
pub(crate) fn with_overrides<'a>(
    mut extra: serde_json::Value,
    overrides: impl Iterator<Item = (&'a str, &'a str)>,
) -> serde_json::Value {
    let list: Vec<serde_json::Value> = overrides
        .map(|(key, value)| serde_json::json!({ "key": key, "value": value }))
        .collect();
    if let Some(fields) = extra.as_object_mut() {
        fields.insert("overrides".to_string(), serde_json::Value::Array(list));
    }
    extra
}

/// Print an error; its status.
fn fail(e: &AppError) -> Status {
    errln!("{}", e.full());
    e.status()
}

/// `status`, unless the results could not all be printed.
fn finish_stdout(out: &Stdout, status: Status) -> Status {
    match out.failure() {
        Some(e) => {
            errln!(
                "error: {}",
                AppError::Stdout(std::io::Error::new(e.kind(), e.to_string()))
            );
            Status::Failed
        }
        None => status,
    }
}

/// What `run` needs to know about one finished scenario.
pub(crate) struct Done {
    pub(crate) summary: ScenarioSummary,
    pub(crate) dir: PathBuf,
    /// The answers to the scenario's `[[thresholds]]`, for the batch index.
    pub(crate) thresholds: Vec<crate::threshold::ThresholdResult>,
}

/// `worthit run`.
pub fn run(args: &RunArgs) -> Status {
    let files = match scenario::discover(&args.paths) {
        Ok(f) => f,
        Err(e) => return fail(&AppError::Discover(e)),
    };
    // A mistake in an override is a usage error, reported before anything is written.
    let overrides = overrides(args);
    if !overrides.is_empty() {
        let mut usage = Status::Ok;
        let mut fitting = Vec::new();
        for f in &files {
            match load(f, &overrides) {
                Err(e @ AppError::Override(_)) => usage = fail(&e),
                _ => fitting.push(f.display().to_string()),
            }
        }
        if usage != Status::Ok {
            // A folder whose scenarios differ: say which files the overrides do fit.
            if !fitting.is_empty() {
                errln!(
                    "note: nothing was run; the --set overrides fit only {}: name {} to run {} alone",
                    fitting.join(" "),
                    if fitting.len() == 1 {
                        "that file"
                    } else {
                        "those files"
                    },
                    if fitting.len() == 1 { "it" } else { "them" },
                );
            }
            return usage;
        }
    }
    if let Some(spec) = args.shard {
        return crate::shard::run(&files, args, &overrides, spec);
    }
    // A folder this run makes is removed again if nothing ends up in it (every scenario
    // failed): a failed run leaves nothing behind.
    let made_out = output::MissingFolders::of(&args.out);
    if let Err(e) = output::check_writable(&args.out).and_then(|()| output::lock(&args.out)) {
        return fail(&e.into());
    }
    // What killed runs into this folder left behind.
    output::remove_stale(&args.out);
    let threads = crate::cli::threads(args.threads);
    let mut out = Stdout::new();
    let mut done = Vec::new();
    let mut failed: Vec<(PathBuf, AppError)> = Vec::new();
    // A batch's index page or table that the user wrote is not replaced: said before
    // anything runs.
    if files.len() > 1
        && let Err(e) = output::check_batch_files(&args.out, !args.no_charts)
    {
        return fail(&e.into());
    }
    // Two files for one folder are said before anything runs, not after the first's run.
    let (taken, mut refused) = claim_folders(&args.out, &files);
    for e in refused.iter().flatten() {
        errln!("{}\n", e.full());
    }
    // Batch files that list a scenario are removed before its folder is replaced, so that a
    // run stopped halfway (Ctrl-C) leaves none that contradict the folders.
    let mut retired = Vec::new();
    for (file, refusal) in files.iter().zip(&mut refused) {
        if let Some(e) = refusal.take() {
            failed.push((file.clone(), e));
            continue;
        }
        match run_one(file, args, threads, &mut retired, &mut out) {
            Ok(d) => done.push(d),
            Err(e) => {
                errln!("{}\n", e.full());
                failed.push((file.clone(), e));
            }
        }
    }
    // A failed scenario's folder from an earlier run holds results of what the file was
    // then: removed, so that nothing in the folder contradicts the scenario files.
    // Not when the failure is the output's own (a folder that cannot be replaced, two files
    // for one folder): the folder is not the scenario's to clear.
    let outdated = remove_outdated(
        &args.out,
        failed
            .iter()
            .filter(|(_, e)| {
                !matches!(
                    e,
                    AppError::Output(_) | AppError::SameFolder { .. } | AppError::Discover(_)
                )
            })
            .map(|(f, _)| f.as_path()),
        &taken,
    );
    let batch = files.len() > 1 && !done.is_empty();
    let mut stems: Vec<&str> = done.iter().map(|d| d.summary.stem.as_str()).collect();
    if !batch {
        // A batch file of an earlier run that lists a removed folder would link to nothing.
        stems.extend(outdated.iter().map(|(stem, ..)| stem.as_str()));
    }
    retired.extend(retire_batch_files(
        &args.out,
        &stems,
        batch,
        !args.no_charts,
    ));
    say_retired(&mut out, &not_rewritten(retired, batch, !args.no_charts));
    if batch {
        let summaries: Vec<&ScenarioSummary> = done.iter().map(|d| &d.summary).collect();
        let mut written = vec![args.out.join("batch_summary.csv")];
        let mut result = output::write_atomic(&written[0], &report::csv::batch_summary(&summaries));
        if !args.no_charts && result.is_ok() {
            written.push(args.out.join("index.html"));
            result = write_index(&args.out, &done, &failed);
        }
        match result {
            Ok(()) => {
                for w in written {
                    outln!(out, "wrote {}", w.display());
                }
            }
            Err(e) => failed.push((args.out.clone(), e.into())),
        }
    }
    if failed.is_empty() {
        return finish_stdout(&out, Status::Ok);
    }
    if done.is_empty() {
        made_out.remove_if_empty();
    }
    errln!("{} of {} scenarios failed:", failed.len(), files.len());
    for (f, e) in &failed {
        errln!("  {}", failure_words(f, e));
    }
    say_outdated(&outdated);
    finish_stdout(&out, Status::Failed)
}

/// A failed scenario in one line, naming its file once (most reasons already name it).
fn failure_words(file: &Path, e: &AppError) -> String {
    let f = file.display().to_string();
    let why = e.summary();
    if why.starts_with(&f) {
        why
    } else {
        format!("{f}: {why}")
    }
}

/// A failed scenario for the batch index, which a reader sees without the terminal: its
/// first mistake with its place, and how many more.
fn failure_detail(file: &Path, e: &AppError) -> String {
    let (AppError::Invalid(le) | AppError::Override(le)) = e else {
        return failure_words(file, e);
    };
    let Some(d) = le.diagnostics.first() else {
        return failure_words(file, e);
    };
    match le.diagnostics.len() - 1 {
        0 => d.one_line(),
        n => format!(
            "{}; and {}",
            d.one_line(),
            crate::text::count(n as u64, "more error")
        ),
    }
}

/// A scenario's folder whose earlier results [`remove_outdated`] removed: its stem, the
/// folder, what went, and the answers' folders among it.
pub(crate) type Outdated = (String, PathBuf, output::Removed, Vec<String>);

/// Removes the results that an earlier run wrote of each scenario file in `failed`, keeping
/// the states of a sharded run ([`output::remove_results`]), and returns each folder changed
/// with its stem and what went. Left alone: a folder this run wrote for another file (in
/// `taken`), and a folder with files worthit did not write.
pub(crate) fn remove_outdated<'a>(
    out: &Path,
    failed: impl IntoIterator<Item = &'a Path>,
    taken: &HashMap<PathBuf, PathBuf>,
) -> Vec<Outdated> {
    let mut removed = Vec::new();
    for file in failed {
        let stem = scenario::stem_of(file);
        let Ok(dir) = output::scenario_dir(out, &stem) else {
            continue;
        };
        let written_by_other = taken.get(&dir).is_some_and(|f| f != file);
        if written_by_other || !dir.is_dir() || output::check_replaceable(&dir).is_err() {
            continue;
        }
        let answers = output::answer_folders(&dir);
        match output::remove_results(&dir) {
            output::Removed::Nothing => {}
            how => removed.push((stem, dir, how, answers)),
        }
    }
    removed
}

/// Says which earlier results [`remove_outdated`] removed.
pub(crate) fn say_outdated(outdated: &[Outdated]) {
    for (_, dir, how, answers) in outdated {
        let kept = if *how == output::Removed::KeptStates {
            " (its shard-*.state files are kept, for the merge of a sharded run)"
        } else {
            ""
        };
        let answers = if answers.is_empty() {
            String::new()
        } else {
            format!(
                ", with the answers of earlier questions: {}",
                answers.join(", ")
            )
        };
        errln!(
            "removed the results in {}{answers}: they were of an earlier run or question \
             of a scenario that failed this time{kept}",
            dir.display()
        );
    }
}

/// Says which answers a run or merge removed with the folder it replaced
/// ([`output::Staged::dropped_answers`]): a question asked from the command line is not
/// asked again by a run of the scenario, and its answer would describe the file as it was; a
/// merge answers no question at all.
pub(crate) fn say_dropped(out: &mut Stdout, dir: &Path, dropped: &[String], merge: bool) {
    if dropped.is_empty() {
        return;
    }
    let (what, why) = if merge {
        (
            "this merge",
            "a merge adds up trials and answers no question; ask again with an unsharded run, or `worthit threshold` and `worthit sweep`",
        )
    } else {
        (
            "this run",
            "they were of the scenario as it was then; ask again with `worthit sweep` or `worthit threshold`",
        )
    };
    outln!(
        out,
        "  removed earlier answers in {} that {what} does not give again: {} ({why})",
        dir.display(),
        dropped.join(", ")
    );
}

/// The batch files removed that a batch does not write again (with `charts`, both; else
/// `batch_summary.csv`): what a run should say it removed.
pub(crate) fn not_rewritten(mut gone: Vec<PathBuf>, batch: bool, charts: bool) -> Vec<PathBuf> {
    gone.retain(|f| !batch || (!charts && f.ends_with("index.html")));
    gone
}

/// Says which batch files [`retire_batch_files`] removed, and what writes each again.
pub(crate) fn say_retired(out: &mut Stdout, gone: &[PathBuf]) {
    for f in gone {
        let again = if f.ends_with("index.html") {
            "a run of their whole folder with charts writes it again"
        } else {
            "a run of their whole folder writes it again"
        };
        outln!(
            out,
            "removed {}: it listed earlier results of this run's scenarios ({again})",
            f.display()
        );
    }
}

/// The batch files of an earlier run in `out` that this run leaves out of date, removed:
/// after a run of a single scenario (`batch` false), `batch_summary.csv` and `index.html`
/// when they list one of `stems`, whose folders now hold newer results; after a batch
/// without `charts` (which writes `batch_summary.csv` again, but no index), the
/// `index.html` of an earlier run. Returns what was removed.
pub(crate) fn retire_batch_files(
    out: &Path,
    stems: &[&str],
    batch: bool,
    charts: bool,
) -> Vec<PathBuf> {
    let (csv, index) = (out.join("batch_summary.csv"), out.join("index.html"));
    let stale = if batch {
        if charts { Vec::new() } else { vec![index] }
    } else {
        let listed = std::fs::read_to_string(&csv).is_ok_and(|text| {
            text.lines().skip(1).any(|line| {
                let first = line.split(',').next().unwrap_or_default();
                stems.iter().any(|s| first.trim_matches('"') == *s)
            })
        });
        if listed { vec![csv, index] } else { Vec::new() }
    };
    // Only worthit's own: a user's page or table of the same name stays.
    stale
        .into_iter()
        .filter(|f| f.is_file() && output::batch_file_is_ours(f) && std::fs::remove_file(f).is_ok())
        .collect()
}

/// The output folder of each scenario file of a run, claimed in the order of the files,
/// before anything runs: two files with the same name in different folders (`a/x.toml`,
/// `b/x.toml`), or names that differ only in case (one folder where the file system ignores
/// case), would write one folder, so the later one is refused rather than silently replacing
/// the first one's report. Returns the folders claimed (folder to file) and, aligned with
/// `files`, each refusal. A file whose name cannot be a folder claims nothing: its own run
/// says why.
pub(crate) fn claim_folders(
    out: &Path,
    files: &[PathBuf],
) -> (HashMap<PathBuf, PathBuf>, Vec<Option<AppError>>) {
    let mut taken: HashMap<PathBuf, PathBuf> = HashMap::new();
    let folded = |d: &Path| d.to_string_lossy().to_lowercase();
    let refused = files
        .iter()
        .map(|file| {
            let dir = output::scenario_dir(out, &scenario::stem_of(file)).ok()?;
            if let Some((earlier, first)) = taken.iter().find(|(d, _)| folded(d) == folded(&dir)) {
                return Some(AppError::SameFolder {
                    file: file.clone(),
                    case_only: *earlier != dir,
                    dir,
                    first: first.clone(),
                });
            }
            taken.insert(dir, file.clone());
            None
        })
        .collect();
    (taken, refused)
}

/// Runs one scenario file (its folder claimed by [`claim_folders`]).
fn run_one(
    file: &Path,
    args: &RunArgs,
    threads: usize,
    retired: &mut Vec<PathBuf>,
    out: &mut Stdout,
) -> Result<Done, AppError> {
    // Read once: the bytes hashed are the bytes parsed (and `/dev/stdin` works).
    let (sc, bytes) = load(file, &overrides(args))?;
    warn(file, &sc);
    let dir = output::scenario_dir(&args.out, &sc.stem)?;
    // Before the run, not after it: a folder that cannot be replaced, or a question with a
    // point that does not validate, is said at once.
    output::check_replaceable(&dir)?;
    let setup = crate::sweep::Setup {
        bytes: &bytes,
        file,
        overrides: &overrides(args),
        threads,
    };
    crate::ask::check(&sc, &setup).map_err(|message| AppError::Question {
        file: file.to_path_buf(),
        message,
    })?;
    let (trials, seed) = (sc.simulation.trials, sc.simulation.seed);
    let model = Model::new(&sc);
    // The scenario's new folder, written beside the old one and swapped in whole at the end;
    // removed if anything fails (or on Ctrl-C) before.
    let staged = output::stage(&dir)?;

    let started = Instant::now();
    let progress = AtomicU64::new(0);
    let target = sc.simulation.precision;
    let outcome = std::thread::scope(|scope| {
        let bar = (!args.quiet && std::io::stderr().is_terminal())
            .then(|| progress_bar(&sc.stem, trials));
        let worker = scope.spawn(|| {
            precision_run::run_until(&model, trials, seed, target, threads, Some(&progress))
        });
        if let Some(bar) = &bar {
            while !worker.is_finished() {
                bar.set_position(progress.load(Ordering::Relaxed));
                std::thread::sleep(Duration::from_millis(100));
            }
            bar.finish_and_clear();
        }
        worker.join().expect("the engine does not panic")
    })
    .map_err(|source| AppError::Engine {
        file: file.to_path_buf(),
        hint: engine_hint(&sc, &source),
        source,
    })?;
    let elapsed = started.elapsed().as_secs_f64();
    let summary = outcome.stats.summarize(&model, &about(&sc));
    // The scenario's own questions ([[thresholds]], [[sweeps]]): more full runs.
    let answers =
        crate::ask::answer(&sc, &setup, !args.no_charts).map_err(|message| AppError::Question {
            file: file.to_path_buf(),
            message,
        })?;
    let questions = answers.section();

    let info = RunInfo {
        version: env!("CARGO_PKG_VERSION").to_string(),
        threads,
        elapsed_seconds: elapsed,
        trials_per_second: summary.trials as f64 / elapsed.max(1e-9),
        scenario_file: file.display().to_string(),
        sha256: Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        extra: with_overrides(
            outcome.json(),
            overrides(args)
                .iter()
                .map(|o| (o.key.as_str(), o.value.as_str())),
        ),
    };
    let inputs = Inputs {
        summary: &summary,
        assumptions: &sc.assumptions,
        run: &info,
        questions: &questions,
    };
    write_scenario(staged.dir(), inputs, !args.no_charts)?;
    crate::ask::write_answers(staged.dir(), &answers)?;
    retired.extend(retire_batch_files(&args.out, &[&sc.stem], false, true));
    let dropped = staged.dropped_answers();
    staged.commit()?;
    print_headline(out, &summary, &info, &dir, !args.no_charts);
    if let (Some(target), precision_run::Stopped::TrialCap) = (outcome.target, outcome.stopped) {
        // Said where it is seen, not only in run.json.
        outln!(
            out,
            "  Stopped at the trial cap ({}) before every share was within ±{} points: the widest margin is ±{:.2}; raise --trials to reach it.",
            crate::text::thousands(summary.trials),
            crate::scenario::fmt_num(target * 100.0),
            outcome.largest_half_width * 100.0
        );
    }
    say_dropped(out, &dir, &dropped, false);
    for t in &answers.thresholds {
        outln!(out, "  {}", t.sentence());
        if let Some(a) = &t.assumed {
            outln!(out, "    (The scenario assumes {a}.)");
        }
    }
    if !answers.thresholds.is_empty() {
        // Apart from the next scenario's table.
        outln!(out);
    }
    Ok(Done {
        summary,
        dir,
        thresholds: answers.thresholds,
    })
}

/// Where to look when the engine stops on a trial whose numbers left the exact range: the
/// path's own inputs, the roles it can lead to, and the person's.
fn engine_hint(sc: &Scenario, e: &EngineError) -> String {
    let EngineError::OutOfRange { path, .. } = e else {
        return String::new();
    };
    let Some(p) = sc.paths.iter().find(|p| &p.key == path) else {
        return String::new();
    };
    let mut tables = vec![format!("[paths.{}]", p.key)];
    if let Some(alt) = &p.alternative {
        tables.extend(
            alt.roles
                .iter()
                .filter_map(|(i, _)| sc.roles.get(*i))
                .map(|r| format!("[roles.{}]", r.key)),
        );
    }
    tables.push("[person]".to_string());
    // A negative real discount rate weighs each later year more than the last: at -50%, a
    // year 38 years on counts 2^38 times today's.
    // The lowest it draws in practice (a normal's tail truncated at -99% is not that).
    let discount = sc
        .input("economy.discount_rate")
        .map_or(0.0, |d| d.dist.quantile(1e-6));
    let economy = if discount < 0.0 {
        format!(
            ", and in [economy]: its discount_rate goes down to {}, which weighs each later year's money more than the year before's",
            crate::threshold::value_words(discount, crate::scenario::schema::Unit::Rate)
        )
    } else {
        String::new()
    };
    format!(
        "; the inputs of \"{}\" are in {}{economy} (`worthit validate` accepts each of them alone)",
        p.label,
        tables.join(", ")
    )
}

/// Every override of the command line: `--set`, then `--trials`, `--seed` and `--precision`
/// (which are `simulation.trials`, `simulation.seed`, `simulation.precision`), applied as if
/// written in the file.
fn overrides(args: &RunArgs) -> Vec<Override> {
    let mut all = args.set.clone();
    for (key, value) in [
        ("simulation.trials", args.trials.map(|v| v.to_string())),
        ("simulation.seed", args.seed.map(|v| v.to_string())),
        (
            "simulation.precision",
            args.precision.map(|v| v.to_string()),
        ),
    ] {
        if let Some(v) = value {
            all.push(Override {
                key: key.to_string(),
                value: v,
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
    let mut out = Stdout::new();
    outln!(out, "{}", scenario::json_schema::json_schema().trim_end());
    finish_stdout(&out, Status::Ok)
}

pub(crate) fn progress_bar(stem: &str, trials: u64) -> ProgressBar {
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

/// Write every file of a scenario into `dir`, in the order of the artifact list. A chart
/// that fails to draw is reported and left out; the rest of the report is still written.
pub(crate) fn write_scenario(
    dir: &Path,
    inputs: Inputs<'_>,
    visuals: bool,
) -> Result<(), OutputError> {
    let mut figures = Vec::new();
    for artifact in artifacts::scenario(inputs.summary, visuals) {
        match artifact.render(inputs, &mut figures) {
            Ok(bytes) => output::write_atomic(&output::file_in(dir, &artifact.file)?, &bytes)?,
            Err(e) => errln!(
                "warning: {}: {} not drawn: {e}",
                inputs.summary.stem,
                artifact.file
            ),
        }
    }
    Ok(())
}

/// `index.html` of a batch: a row per scenario and path, linking to each report, and the
/// scenarios that failed, so that a page without them does not read as the whole batch.
pub(crate) fn write_index(
    out: &Path,
    done: &[Done],
    failed: &[(PathBuf, AppError)],
) -> Result<(), OutputError> {
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
    let questions: Vec<_> = done
        .iter()
        .map(|d| (&d.summary, d.thresholds.as_slice()))
        .collect();
    let failed: Vec<String> = failed.iter().map(|(f, e)| failure_detail(f, e)).collect();
    let page = report::html::questions::index_with_thresholds(
        report::html::index_with_failures(report::html::batch_index(&entries), &failed),
        &questions,
    );
    output::write_atomic(&out.join("index.html"), page.as_bytes())
}

/// Money for the terminal table: the report's one format.
fn money(x: f64) -> String {
    report::format::money(x)
}

/// Break-even for the terminal: how often, and the median age among the lives that do.
fn breakeven_words(s: &ScenarioSummary, p: &crate::stats::summary::PathSummary) -> String {
    if p.same_as_baseline() {
        return "nothing to earn back (as staying put)".to_string();
    }
    match p.breakeven_p50_years_if_ever {
        Some(t) => format!(
            "{:.0}% of lives (median age {:.0})",
            100.0 * (1.0 - p.prob_no_breakeven),
            f64::from(s.age) + t
        ),
        None => "never".to_string(),
    }
}

pub(crate) fn print_headline(
    out: &mut Stdout,
    s: &ScenarioSummary,
    info: &RunInfo,
    dir: &Path,
    visuals: bool,
) {
    outln!(
        out,
        "{} ({}): {}, seed {}, {:.1} s, {} trials/s",
        s.name,
        s.stem,
        crate::text::count(s.trials, "trial"),
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
    outln!(
        out,
        "  {:width$}  {:>12}  {:>10}  {:>12}  {:>12}  breaks even",
        "path",
        "median",
        "P(beats)",
        "worst 10%",
        "mean debt"
    );
    for p in s.paths.iter().filter(|p| !p.baseline) {
        outln!(
            out,
            "  {:width$}  {:>12}  {:>10}  {:>12}  {:>12}  {}",
            p.label,
            money(p.net.q.p50),
            report::margin::share_pm(p.prob_beats_baseline, &p.precision.prob_beats_baseline),
            money(p.net.q.p10),
            money(p.mean_debt),
            breakeven_words(s, p)
        );
    }
    outln!(
        out,
        "  (net return versus \"{base}\", today's dollars; P(beats) \u{b1} its 95% margin, in \
         percentage points,\n   or (its 95% range) when lopsided; worst 10%: the 10th percentile; \
         mean debt: nominal, when repayment starts;\n   breaks even: the share of lives that \
         do, and the median age at which they do)"
    );
    let main = if visuals {
        dir.join("report.html")
    } else {
        dir.join("summary.csv")
    };
    outln!(out, "  -> {}\n", main.display());
}
