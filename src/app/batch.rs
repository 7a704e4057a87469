//! The files of a batch (`index.html`, `batch_summary.csv`) and the results of earlier runs
//! that a run replaces or retires, said on the console.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::AppError;
use super::run::{Done, failure_detail};
use crate::console::Stdout;
use crate::report::html::questions::ThresholdShown;
use crate::report::output::{self, OutputError};
use crate::scenario;
use crate::stats::summary::ScenarioSummary;
use crate::{errln, outln, report};

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
            "a run replaces the scenario's folder whole, and an answer asked on the command line may be of another version of the file or other settings; ask again with `worthit sweep` or `worthit threshold`, after the run",
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

/// `index.html` of a batch: a row per scenario and path, linking to each report, and the
/// scenarios that failed, so that a page without them does not read as the whole batch.
pub(crate) fn write_index(
    out: &Path,
    done: &[Done],
    failed: &[(PathBuf, AppError)],
) -> Result<(), OutputError> {
    // A scenario's folder relative to the index, with `/` whatever the system.
    let rel = |d: &Done| {
        d.dir
            .strip_prefix(out)
            .unwrap_or(&d.dir)
            .to_string_lossy()
            .replace('\\', "/")
    };
    let entries: Vec<(&ScenarioSummary, String)> = done
        .iter()
        .map(|d| (&d.summary, format!("{}/report.html", rel(d))))
        .collect();
    let sweeps: Vec<Vec<(String, String)>> = done
        .iter()
        .map(|d| {
            d.sweeps
                .iter()
                .map(|(title, folder)| (title.clone(), format!("{}/{folder}/sweep.html", rel(d))))
                .collect()
        })
        .collect();
    let thresholds: Vec<Vec<ThresholdShown<'_>>> = done
        .iter()
        .map(|d| {
            d.thresholds
                .iter()
                .map(|(t, folder)| ThresholdShown {
                    result: t,
                    folder: folder.as_ref().map(|f| format!("{}/{f}", rel(d))),
                })
                .collect()
        })
        .collect();
    let questions: Vec<_> = done
        .iter()
        .zip(&sweeps)
        .zip(&thresholds)
        .map(|((d, s), t)| report::html::questions::Asked {
            summary: &d.summary,
            thresholds: t,
            sweeps: s,
        })
        .collect();
    let failed: Vec<String> = failed.iter().map(|(f, e)| failure_detail(f, e)).collect();
    let changed: Vec<(&str, &[(String, String)])> = done
        .iter()
        .map(|d| (d.summary.name.as_str(), d.changed.as_slice()))
        .collect();
    let page = report::html::questions::index_with_thresholds(
        report::html::index_with_what_ifs(
            report::html::index_with_failures(report::html::batch_index(&entries), &failed),
            &changed,
        ),
        &questions,
    );
    output::write_atomic(&out.join("index.html"), page.as_bytes())
}
