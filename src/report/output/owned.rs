//! Whose files a folder holds: what worthit writes (results, answers, batch files), what a
//! desktop adds, and anything else, which is the person's and is never replaced.

use std::fs;
use std::path::Path;

use super::*;

pub(super) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The names of the files worthit writes in a scenario's folder (besides its charts, its
/// shard states and its questions' folders): see docs/output.md.
const OUR_FILES: [&str; 14] = [
    "summary.csv",
    "npv.csv",
    "pairwise.csv",
    "pairwise_histogram.csv",
    "roles.csv",
    "outcomes.csv",
    "timeline.csv",
    "histogram.csv",
    "sensitivity.csv",
    "threshold.csv",
    "sweep.csv",
    "report.html",
    "sweep.html",
    "run.json",
];

/// Files that a desktop makes in any folder it shows (Finder, Explorer), which hold nothing
/// of the user's: no reason to refuse to replace a folder.
const OS_FILES: [&str; 3] = [".DS_Store", "Thumbs.db", "desktop.ini"];

/// Whether `name`, in a scenario's output folder (`sub`: in one of its questions' folders),
/// is a file worthit writes there: the fixed names, a chart, a shard's state, or a temporary.
fn ours(name: &str) -> bool {
    OUR_FILES.contains(&name)
        || temporary(name)
        || is_shard_state(name)
        || OS_FILES.contains(&name)
        || name.strip_suffix(".png").is_some_and(|stem| {
            ["net_return", "cdf", "timeline", "pairs", "sweep"].contains(&stem)
                || stem.starts_with("outcomes_")
                || stem.starts_with("tornado_")
                || stem.contains("_vs_")
        })
}

/// Whether `name` is one of worthit's temporary names (`.<name>.tmp-<pid>-<n>`,
/// `.<name>.old-<pid>-<n>`).
fn temporary(name: &str) -> bool {
    parse_temporary(name).is_some()
}

/// Whether `name` (a folder in a scenario's folder) is a question's answer: `sweep_*`,
/// `threshold_*`.
pub(super) fn answer_folder(name: &str) -> bool {
    name.starts_with("sweep_") || name.starts_with("threshold_")
}

/// The files a question's folder (`sweep_*`, `threshold_*`) holds.
const QUESTION_FILES: [&str; 6] = [
    "sweep.csv",
    "sweep.png",
    "sweep.html",
    "threshold.csv",
    "threshold.png",
    "threshold.html",
];

/// The files of a batch in an output folder: its index page and its summary table.
pub const BATCH_FILES: [&str; 2] = ["index.html", "batch_summary.csv"];

/// Whether `file`, one of [`BATCH_FILES`] in an output folder, is one worthit wrote (or is
/// absent): the index page by its title, the table by its first columns. A user's own
/// `index.html` (a folder published as a site) is neither replaced nor removed.
pub fn batch_file_is_ours(file: &Path) -> bool {
    use std::io::Read;
    let Ok(f) = fs::File::open(file) else {
        // Absent (nothing to protect), or unreadable (the write will say).
        return !file.is_file();
    };
    let mut head = Vec::new();
    if f.take(4096).read_to_end(&mut head).is_err() {
        return false;
    }
    let head = String::from_utf8_lossy(&head);
    if file.extension().is_some_and(|e| e == "csv") {
        head.starts_with(&format!(
            "{},",
            crate::report::csv::SUMMARY_HEADER[..6].join(",")
        ))
    } else {
        head.contains("<title>worthit · all scenarios</title>")
    }
}

/// Checks that a run or merge of several scenarios may write its batch files in `out`: its
/// table, and its index page when `index` (with charts).
///
/// # Errors
/// [`OutputError::ForeignBatchFile`] for the first that worthit did not write.
pub fn check_batch_files(out: &Path, index: bool) -> Result<(), OutputError> {
    match BATCH_FILES
        .iter()
        .filter(|n| index || !n.ends_with(".html"))
        .map(|n| out.join(n))
        .find(|f| !batch_file_is_ours(f))
    {
        Some(path) => Err(OutputError::ForeignBatchFile { path }),
        None => Ok(()),
    }
}

/// The first entry of `dir` (a scenario's folder, or a question's when `question`) that
/// worthit did not write there, if any: its name, within `dir`.
fn foreign(dir: &Path, question: bool) -> Option<String> {
    // The files the last run listed in its run.json, if it did: then a chart's name is
    // ours only if that run wrote it. Every run writes a run.json: without one, the
    // folder holds no results of worthit's (at most a sharded run's states, or the
    // answers of questions asked from the command line), and a file named like a
    // result is the user's.
    // A run.json counts only if worthit wrote it (a user's experiment config may have
    // the same name).
    let run_json = (!question).then(|| worthit_run_json(dir)).flatten();
    let results = run_json.is_some();
    let listed: Option<std::collections::HashSet<String>> = run_json.and_then(|v| {
        v.get("files")?.as_array().map(|a| {
            a.iter()
                .filter_map(|f| f.as_str().map(String::from))
                .collect()
        })
    });
    let is_ours = |name: &str| match &listed {
        // A question's folder holds its own few files.
        _ if question => {
            QUESTION_FILES.contains(&name) || temporary(name) || OS_FILES.contains(&name)
        }
        _ if !results => temporary(name) || is_shard_state(name) || OS_FILES.contains(&name),
        Some(list) if name.ends_with(".png") => list.contains(name),
        _ => ours(name),
    };
    let mut names: Vec<(String, bool)> = fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| {
            let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
            (e.file_name().to_string_lossy().into_owned(), is_dir)
        })
        .collect();
    names.sort();
    names.into_iter().find_map(|(name, is_dir)| {
        if is_dir && !question && answer_folder(&name) {
            return foreign(&dir.join(&name), true).map(|n| format!("{name}/{n}"));
        }
        (!((is_dir && temporary(&name)) || (!is_dir && is_ours(&name)))).then_some(name)
    })
}

/// Checks that the folder `dir` (a scenario's output folder), if it exists, holds only what
/// worthit writes there, so that replacing it whole loses nothing of the user's: never the
/// scenario file run from that very folder, a data file, or notes put beside the results.
///
/// # Errors
/// [`OutputError::Foreign`] naming the first entry that is not worthit's; a folder that
/// cannot be listed is left for the write to report.
pub fn check_replaceable(dir: &Path) -> Result<(), OutputError> {
    match fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => foreign(dir, false).map_or(Ok(()), |name| {
            // A result's name refused for want of a run.json: said, or the message would
            // read as wrong ("summary.csv, which worthit did not write").
            let note = if ours(&name) && worthit_run_json(dir).is_none() {
                " (it is named like a result, but the folder has no run.json of worthit's, \
                 so no run wrote it)"
            } else {
                ""
            };
            Err(OutputError::Foreign {
                dir: dir.to_path_buf(),
                name,
                note,
            })
        }),
        // Said before the run, not when its results would replace the link.
        Ok(m) => Err(in_place_of_folder(dir, &m)),
        Err(_) => Ok(()),
    }
}

/// What takes a folder's place, `m` its metadata (not a folder): a symbolic link (with
/// where it points), or something else that is not a folder.
pub(super) fn in_place_of_folder(dir: &Path, m: &fs::Metadata) -> OutputError {
    if m.file_type().is_symlink() {
        OutputError::Link {
            path: dir.to_path_buf(),
            to: fs::read_link(dir).unwrap_or_default(),
        }
    } else {
        OutputError::NotAFolder {
            path: dir.to_path_buf(),
        }
    }
}

/// Checks that a question's folder (`sweep_*`, `threshold_*` in a scenario's folder), if it
/// exists, holds only a question's files, before `worthit sweep` or `worthit threshold`
/// writes into it: a user's notes there, or a link or a file in its place, are not written
/// over or beside.
///
/// # Errors
/// [`OutputError::Foreign`] naming the first entry that is not worthit's; a link or a file
/// in the folder's place.
pub fn check_answer_folder(dir: &Path) -> Result<(), OutputError> {
    match fs::symlink_metadata(dir) {
        Ok(m) if m.is_dir() => foreign(dir, true).map_or(Ok(()), |name| {
            Err(OutputError::Foreign {
                dir: dir.to_path_buf(),
                name,
                note: "",
            })
        }),
        Ok(m) => Err(in_place_of_folder(dir, &m)),
        Err(_) => Ok(()),
    }
}

/// The `run.json` in `dir` if worthit wrote it (`"program": "worthit"`): every run writes
/// one, and a user's experiment config may have the same name.
pub(crate) fn worthit_run_json(dir: &Path) -> Option<serde_json::Value> {
    let bytes = fs::read(dir.join("run.json")).ok()?;
    serde_json::from_slice::<serde_json::Value>(&bytes)
        .ok()
        .filter(|v| v.get("program").and_then(|p| p.as_str()) == Some("worthit"))
}
