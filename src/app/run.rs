//! `worthit run`: every scenario file given, each into its own folder, then the batch's
//! index; a failed scenario's words and the hint for an engine's error.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::time::Instant;

use sha2::{Digest, Sha256};

use super::batch::{
    not_rewritten, remove_outdated, retire_batch_files, say_dropped, say_outdated, say_retired,
    write_index,
};
use super::headline::print_headline;
use super::{
    AppError, Status, about, fail, finish_stdout, load, progress_bar, warn, with_bar,
    with_overrides,
};
use crate::cli::RunArgs;
use crate::console::Stdout;
use crate::engine::EngineError;
use crate::model::Model;
use crate::precision_run;
use crate::report::artifacts::{self, Inputs};
use crate::report::html::RunInfo;
use crate::report::output::{self, OutputError};
use crate::scenario::{self, Override, Scenario};
use crate::stats::summary::ScenarioSummary;
use crate::{errln, outln, report};

/// What `run` needs to know about one finished scenario.
pub(crate) struct Done {
    pub(crate) summary: ScenarioSummary,
    pub(crate) dir: PathBuf,
    /// The answers to the scenario's `[[thresholds]]`, each with the folder of its page if
    /// written there, for the batch index.
    pub(crate) thresholds: Vec<(crate::threshold::ThresholdResult, Option<String>)>,
    /// The assumptions changed on the command line, (key, value), for the batch index.
    pub(crate) changed: Vec<(String, String)>,
    /// The scenario's `[[sweeps]]`, (title, folder), for the batch index.
    pub(crate) sweeps: Vec<(String, String)>,
}

/// `worthit run`.
pub fn run(args: &RunArgs) -> Status {
    let files = match scenario::discover(&args.paths) {
        Ok(f) => f,
        Err(e) => return fail(&AppError::Discover(e)),
    };
    super::say_unread_subfolders(&args.paths);
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
    for (i, (file, refusal)) in files.iter().zip(&mut refused).enumerate() {
        if let Some(e) = refusal.take() {
            failed.push((file.clone(), e));
            continue;
        }
        match run_one(
            file,
            (i + 1, files.len()),
            args,
            threads,
            &mut retired,
            &mut out,
        ) {
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
pub(super) fn failure_detail(file: &Path, e: &AppError) -> String {
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
    place: (usize, usize),
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
    // In a batch, which scenario of how many ("analyst (2 of 5)").
    let shown = (!args.quiet && std::io::stderr().is_terminal()).then(|| match place {
        (i, n) if n > 1 => format!("{} ({i} of {n})", sc.stem),
        _ => sc.stem.clone(),
    });
    let bar = shown.as_deref().map(|p| progress_bar(p, trials));
    let outcome = with_bar(bar, &progress, || {
        precision_run::run_until(&model, trials, seed, target, threads, Some(&progress))
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
        crate::ask::answer(&sc, &setup, !args.no_charts, shown.as_deref()).map_err(|message| {
            AppError::Question {
                file: file.to_path_buf(),
                message,
            }
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
    for (t, _) in &answers.thresholds {
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
        thresholds: answers
            .thresholds
            .into_iter()
            .map(|(t, png)| {
                let folder = png.map(|_| crate::ask::threshold_folder(&t.question));
                (t, folder)
            })
            .collect(),
        changed: report::html::changed_on_command_line(&sc.assumptions),
        sweeps: answers
            .sweeps
            .iter()
            .map(|(r, _)| {
                (
                    report::html::questions::sweep_title(r),
                    crate::ask::sweep_folder(&r.sweep),
                )
            })
            .collect(),
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
