//! The commands: each reads like a table of contents of the pipeline
//! (discover -> load -> model -> engine -> summary -> report).
//!
//! Here: how a command ends, `validate`, `init` and `schema`, and what every command shares
//! (loading a file, its warnings, the progress bar). `run`: `worthit run`. `batch`: the
//! batch's files and the earlier results a run replaces. `headline`: the terminal's summary.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::{InitArgs, ValidateArgs};
use crate::console::Stdout;
use crate::engine::EngineError;
use crate::report::output::{self, OutputError};
use crate::scenario::{self, LoadError, Override, Scenario, fmt_num};
use crate::stats::summary::About;
use crate::{errln, outln};

mod batch;
mod headline;
mod run;

pub(crate) use batch::{
    not_rewritten, remove_outdated, retire_batch_files, say_dropped, say_outdated, say_retired,
    write_index,
};
pub(crate) use headline::print_headline;
pub use run::run;
pub(crate) use run::{Done, claim_folders, write_scenario};

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

/// Says which subfolders of the folders named hold scenario files that are not read (the
/// folders are not read recursively), so that none is left out without a word.
pub(crate) fn say_unread_subfolders(paths: &[PathBuf]) {
    for d in scenario::unread_subfolders(paths) {
        errln!(
            "note: {} holds scenario files that are not read: worthit reads the *.toml files of a folder, not of its subfolders; name it to read them too",
            d.display()
        );
    }
}

/// `worthit validate`: `ok FILE` for each good scenario, every error of each bad one.
pub fn validate(args: &ValidateArgs) -> Status {
    let files = match scenario::discover(&args.paths) {
        Ok(f) => f,
        Err(e) => return fail(&AppError::Discover(e)),
    };
    say_unread_subfolders(&args.paths);
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

/// Run `work` on a thread while a bar (if any) follows `progress`.
pub(crate) fn with_bar<T: Send>(
    bar: Option<ProgressBar>,
    progress: &AtomicU64,
    work: impl FnOnce() -> T + Send,
) -> T {
    std::thread::scope(|scope| {
        let worker = scope.spawn(work);
        if let Some(bar) = &bar {
            while !worker.is_finished() {
                bar.set_position(progress.load(Ordering::Relaxed));
                std::thread::sleep(Duration::from_millis(100));
            }
            bar.finish_and_clear();
        }
        worker.join().expect("the engine does not panic")
    })
}
