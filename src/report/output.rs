//! The one place that knows where outputs go and how they are written.
//!
//! - Every file is written to a fresh temporary name in its folder (created exclusively, so a
//!   file or symlink planted at that name is never written through) and renamed into place:
//!   a run that fails or is killed never leaves a half-written file under a real name.
//! - A scenario's files are written into a fresh hidden folder beside their final place
//!   ([`stage`]) and swapped in whole ([`Staged::commit`]): a folder never mixes two runs,
//!   nor keeps the files of an earlier run that this one did not write.
//! - Every temporary file and folder of the process is listed in a registry, so that Ctrl-C
//!   or SIGTERM can remove them ([`remove_temporaries`]); what a killed run (SIGKILL, a power
//!   cut) leaves is removed by the next run into the same folder ([`remove_stale`]).
//!
//! Temporary names are `.<name>.tmp-<pid>-<n>` (and `.<name>.old-<pid>-<n>` for a folder
//! being replaced): hidden, and naming the process that made them.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

/// An output problem, with the path involved.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// A file or folder could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A scenario file name that cannot be a folder name under the output folder.
    #[error(
        "scenario file {file:?} cannot name an output folder (use letters, digits, '_', '-', '.'; not starting with '.'; at most 200 characters; not index.html or batch_summary.csv, a batch's own files)"
    )]
    BadName {
        /// The file stem.
        file: String,
    },
    /// An output file name that would not be a plain file of its folder (a bug: names come
    /// from checked keys).
    #[error("refusing to write {name:?} in {}: not a plain file name", dir.display())]
    BadFileName {
        /// The folder.
        dir: PathBuf,
        /// The name.
        name: String,
    },
    /// A scenario's folder holds something worthit does not write there (the scenario file
    /// itself, a user's notes or data): replacing the folder whole would delete it.
    #[error(
        "will not replace {}: it holds {name:?}, which worthit did not write there{note} (worthit's folders hold its own files alone); move it elsewhere, or choose another --out",
        dir.display()
    )]
    Foreign {
        /// The folder.
        dir: PathBuf,
        /// The first entry found that is not worthit's (a path within the folder).
        name: String,
        /// Why a name like a result's is not taken for one, or empty.
        note: &'static str,
    },
    /// A batch's own file (`index.html`, `batch_summary.csv`) in the output folder that
    /// worthit did not write: a batch run would replace it.
    #[error(
        "will not replace {}: worthit did not write it, and a run or merge of several scenarios writes its own {} there; move it elsewhere, or choose another --out",
        path.display(),
        path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
    )]
    ForeignBatchFile {
        /// The file.
        path: PathBuf,
    },
    /// The place of a scenario's folder is taken by a symbolic link.
    #[error(
        "will not replace {}: it is a symbolic link (to {}), and a scenario's folder is replaced whole, never written through a link; remove the link, or choose another --out",
        path.display(),
        to.display()
    )]
    Link {
        /// The link.
        path: PathBuf,
        /// Where it points.
        to: PathBuf,
    },
    /// The place of a folder is taken by something that is not a folder (a file, a device).
    #[error("cannot write {}: it exists and is not a folder", path.display())]
    NotAFolder {
        /// The path.
        path: PathBuf,
    },
    /// Another worthit process is writing to the same output folder: two runs would each
    /// replace the other's folders and batch files.
    #[error(
        "{} is being written by another worthit run{}{}; wait for it to finish, or choose another --out (if no run is writing there, delete {})",
        dir.display(),
        host.as_ref().map(|h| format!(" on {h}")).unwrap_or_default(),
        pid.map(|p| format!(" (process {p})")).unwrap_or_default(),
        lock.display()
    )]
    Busy {
        /// The output folder.
        dir: PathBuf,
        /// The other process, when its lock says.
        pid: Option<u32>,
        /// The other machine, when the lock was taken on another one.
        host: Option<String>,
        /// The lock file.
        lock: PathBuf,
    },
}

/// The lock file of an output folder ([`lock`]).
const LOCK_FILE: &str = ".worthit.lock";

/// Takes the output folder `dir` for this process until it ends (or [`unlock_all`]): a file
/// `.worthit.lock` holding who took it ([`Holder`]), made exclusively. A lock of a process
/// that no longer exists (killed; its id now another process's) is taken over; this
/// process's own is taken again at no cost (a run answers its scenario's questions into the
/// same folder). A lock taken on another machine (a shared disk) is not: whether its process
/// lives cannot be told from here. Shards do not lock: the shards of one run write one folder
/// together, each only its own state file.
///
/// # Errors
/// [`OutputError::Busy`] while another live process holds it; I/O errors.
#[cfg(unix)]
pub fn lock(dir: &Path) -> Result<(), OutputError> {
    let path = dir.join(LOCK_FILE);
    let me = Holder::me();
    let busy = |holder: Option<Holder>| OutputError::Busy {
        dir: dir.to_path_buf(),
        pid: holder.as_ref().map(|h| h.pid),
        host: holder
            .and_then(|h| h.host)
            .filter(|h| Some(h) != me.host.as_ref()),
        lock: path.clone(),
    };
    for _ in 0..4 {
        // Made and registered under the registry's lock, which the Ctrl-C handler takes:
        // it sees the lock either not yet made, or made and registered (and removes it).
        let mut registry = registry();
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                let id = registry.add(Temp::Lock(path.clone()));
                LOCKS.lock().unwrap_or_else(|e| e.into_inner()).push(id);
                drop(registry);
                return f.write_all(me.text().as_bytes()).map_err(io_error(&path));
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                drop(registry);
                let text = fs::read_to_string(&path).unwrap_or_default();
                match Holder::parse(&text) {
                    Some(h) if h.pid == me.pid && holds(&path) => return Ok(()),
                    // Taken on another machine: its process cannot be looked for here.
                    Some(h) if h.host.is_some() && me.host.is_some() && h.host != me.host => {
                        return Err(busy(Some(h)));
                    }
                    Some(h) if h.pid != me.pid && h.alive() => return Err(busy(Some(h))),
                    // A lock just made, its holder not yet written: its owner is alive.
                    None if modified_within(&path, std::time::Duration::from_secs(5)) => {
                        return Err(busy(None));
                    }
                    // Its process is gone (or this process's id was a dead one's): taken over.
                    _ => {
                        let _ = fs::remove_file(&path);
                    }
                }
            }
            Err(e) => return Err(io_error(&path)(e)),
        }
    }
    Err(busy(None))
}

/// Who holds an output folder's lock: the process, when it started (so that a process that
/// got the id of a killed run's is not taken for it), and the machine.
#[cfg(unix)]
#[derive(Debug, Clone, PartialEq)]
struct Holder {
    pid: u32,
    /// Clock ticks from boot to the process's start (Linux's `/proc/PID/stat`); `None`
    /// elsewhere, and in the locks of versions that wrote the id alone.
    started: Option<u64>,
    host: Option<String>,
}

#[cfg(unix)]
impl Holder {
    fn me() -> Self {
        let pid = std::process::id();
        Holder {
            pid,
            started: started(pid),
            host: host_name(),
        }
    }

    /// The lock file's text: one line each.
    fn text(&self) -> String {
        format!(
            "{}\n{}\n{}\n",
            self.pid,
            self.started.map(|t| t.to_string()).unwrap_or_default(),
            self.host.as_deref().unwrap_or_default()
        )
    }

    /// A lock file's holder; `None` when its first line is not a process id.
    fn parse(text: &str) -> Option<Self> {
        let mut lines = text.lines();
        let pid = lines.next()?.trim().parse().ok()?;
        let started = lines.next().and_then(|l| l.trim().parse().ok());
        let host = lines
            .next()
            .map(|l| l.trim().to_string())
            .filter(|h| !h.is_empty());
        Some(Holder { pid, started, host })
    }

    /// Whether the holder still runs (on this machine): its process exists and, where the
    /// start is known, is the one that started then.
    fn alive(&self) -> bool {
        process_alive(self.pid)
            && match (self.started, started(self.pid)) {
                (Some(lock), Some(now)) => lock == now,
                _ => true,
            }
    }
}

/// When process `pid` started, in clock ticks since boot: field 22 of `/proc/PID/stat`
/// (after the command's name, which may hold spaces and parentheses). `None` where there is
/// no `/proc`.
#[cfg(unix)]
fn started(pid: u32) -> Option<u64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 1..];
    // Fields from the third (state) on: the start is the 22nd, the 20th of these.
    after.split_whitespace().nth(19)?.parse().ok()
}

/// This machine's name, as the kernel gives it.
#[cfg(unix)]
fn host_name() -> Option<String> {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; the name is NUL-terminated within it
    // when it fits (checked below).
    let r = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len()) };
    if r != 0 {
        return None;
    }
    let end = buf.iter().position(|&b| b == 0)?;
    let name = String::from_utf8_lossy(&buf[..end]).trim().to_string();
    (!name.is_empty()).then_some(name)
}

/// Whether `path` is one of this process's temporaries (being written, or moved aside).
fn registered(path: &Path) -> bool {
    registry().live.values().any(|t| match t {
        Temp::File(p) | Temp::Lock(p) | Temp::Dir(p) => p == path,
        Temp::Backup { backup, .. } => backup == path,
        // A scenario's folder, not a temporary name.
        Temp::Made(_) => false,
    })
}

/// Whether this process took the lock at `path` (and still holds it).
#[cfg(unix)]
fn holds(path: &Path) -> bool {
    let ids = LOCKS.lock().unwrap_or_else(|e| e.into_inner()).clone();
    let registry = registry();
    ids.iter()
        .any(|id| matches!(registry.live.get(id), Some(Temp::Lock(p)) if p == path))
}

/// Elsewhere, no lock: whether a process is alive cannot be told, so a killed run's lock
/// could never be taken over.
#[cfg(not(unix))]
pub fn lock(_dir: &Path) -> Result<(), OutputError> {
    Ok(())
}

/// Whether `path` was modified less than `age` ago.
#[cfg(unix)]
fn modified_within(path: &Path, age: std::time::Duration) -> bool {
    fs::metadata(path)
        .and_then(|m| m.modified())
        .is_ok_and(|t| t.elapsed().map_or(true, |e| e < age))
}

/// The registry ids of this process's locks.
static LOCKS: Mutex<Vec<u64>> = Mutex::new(Vec::new());

/// Releases every output folder this process locked: for the end of a command.
pub fn unlock_all() {
    let ids = std::mem::take(&mut *LOCKS.lock().unwrap_or_else(|e| e.into_inner()));
    let mut registry = registry();
    for id in ids {
        if let Some(Temp::Lock(p)) = registry.live.remove(&id) {
            let _ = fs::remove_file(p);
        }
    }
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Whether a scenario file stem may name a folder under `--out`: no separators, no `..`,
/// nothing hidden; not the name of a batch's own files; short enough that the temporary
/// names made from it stay within a file system's 255 bytes.
pub fn safe_stem(stem: &str) -> bool {
    !stem.is_empty()
        && stem.len() <= MAX_STEM
        && !["index.html", "batch_summary.csv"]
            .iter()
            .any(|f| stem.eq_ignore_ascii_case(f))
        && !stem.starts_with('.')
        && stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

/// Longest scenario file stem, in bytes.
pub const MAX_STEM: usize = 200;

/// The folder of one scenario's outputs: `<out>/<stem>/`.
///
/// # Errors
/// A stem that could escape `out`.
pub fn scenario_dir(out: &Path, stem: &str) -> Result<PathBuf, OutputError> {
    if safe_stem(stem) {
        Ok(out.join(stem))
    } else {
        Err(OutputError::BadName {
            file: stem.to_string(),
        })
    }
}

/// `dir/name`, proven to be a file of `dir` itself: `name` is one plain, visible component
/// (no separator, no `..`, not hidden, not absolute).
///
/// # Errors
/// Any other name.
pub fn file_in(dir: &Path, name: &str) -> Result<PathBuf, OutputError> {
    let mut parts = Path::new(name).components();
    let plain = matches!(parts.next(), Some(Component::Normal(_)))
        && parts.next().is_none()
        && !name.starts_with('.')
        && !name.contains(['/', '\\']);
    if plain {
        Ok(dir.join(name))
    } else {
        Err(OutputError::BadFileName {
            dir: dir.to_path_buf(),
            name: name.to_string(),
        })
    }
}

/// Create a folder (and its parents).
///
/// # Errors
/// The folder cannot be created.
pub fn ensure_dir(dir: &Path) -> Result<(), OutputError> {
    fs::create_dir_all(dir).map_err(|e| {
        // `dir`, or one of its parents, is a file: say so rather than "File exists".
        match dir.ancestors().find(|a| a.exists() && !a.is_dir()) {
            Some(file) => OutputError::NotAFolder {
                path: file.to_path_buf(),
            },
            None => io_error(dir)(e),
        }
    })
}

/// Check that `dir` can be written, by creating it and writing and removing a probe file
/// whose name is this process's own, so that two runs into one folder do not trip over
/// each other's probe.
///
/// # Errors
/// The folder cannot be created or written.
pub fn check_writable(dir: &Path) -> Result<(), OutputError> {
    ensure_dir(dir)?;
    // Named as the folder, not the probe's name, which means nothing to the reader.
    let (probe, _, id) = create_temporary(dir, "worthit-probe").map_err(|e| match e {
        OutputError::Io { source, .. } => OutputError::Io {
            path: dir.to_path_buf(),
            source,
        },
        other => other,
    })?;
    let removed = fs::remove_file(&probe).map_err(io_error(dir));
    forget(id);
    removed
}

/// Write `bytes` to `path` whole or not at all: a temporary file in the same folder, synced,
/// then renamed over `path`.
///
/// # Errors
/// Any I/O failure; the temporary file is removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let (tmp, mut f, id) = create_temporary(dir, &file_name(path)).map_err(|e| match e {
        OutputError::Io { source, .. } => io_error(path)(source),
        other => other,
    })?;
    let result = (|| {
        f.write_all(bytes)?;
        f.sync_all()?;
        // Under the registry's lock, so that Ctrl-C sees the file either before the rename
        // (and removes the temporary) or after it (and leaves the finished file).
        let _registry = registry();
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    forget(id);
    result.map_err(io_error(path))
}

/// Write `bytes` to `path`, which must not exist, whole or not at all: a temporary file,
/// synced, then linked to `path` (which fails if something appeared there meanwhile).
///
/// # Errors
/// `path` exists (an [`std::io::ErrorKind::AlreadyExists`] I/O error), or any I/O failure;
/// the temporary file is removed.
pub fn write_new(path: &Path, bytes: &[u8]) -> Result<(), std::io::Error> {
    if fs::symlink_metadata(path).is_ok() {
        return Err(std::io::ErrorKind::AlreadyExists.into());
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let (tmp, mut f, id) = create_temporary(dir, &file_name(path)).map_err(|e| match e {
        OutputError::Io { source, .. } => source,
        other => std::io::Error::other(other.to_string()),
    })?;
    let result = (|| {
        f.write_all(bytes)?;
        f.sync_all()?;
        let _registry = registry();
        match fs::hard_link(&tmp, path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
            // A file system without hard links: check, then rename (not race-free, but
            // never over a file that was there before the check).
            Err(_) if fs::symlink_metadata(path).is_ok() => {
                Err(std::io::ErrorKind::AlreadyExists.into())
            }
            Err(_) => fs::rename(&tmp, path),
        }
    })();
    let _ = fs::remove_file(&tmp);
    forget(id);
    result
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The names of the files worthit writes in a scenario's folder (besides its charts, its
/// shard states and its questions' folders): see docs/output.md.
const OUR_FILES: [&str; 13] = [
    "summary.csv",
    "npv.csv",
    "pairwise.csv",
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
fn answer_folder(name: &str) -> bool {
    name.starts_with("sweep_") || name.starts_with("threshold_")
}

/// The files a question's folder (`sweep_*`, `threshold_*`) holds.
const QUESTION_FILES: [&str; 4] = ["sweep.csv", "sweep.png", "sweep.html", "threshold.csv"];

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
        head.starts_with(&format!("{},", super::csv::SUMMARY_HEADER[..6].join(",")))
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
fn in_place_of_folder(dir: &Path, m: &fs::Metadata) -> OutputError {
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

/// A scenario's folder being written: a fresh hidden folder beside its final place, swapped
/// in whole by [`Staged::commit`]; dropped without a commit, it is removed.
#[derive(Debug)]
pub struct Staged {
    dir: PathBuf,
    target: PathBuf,
    id: Option<u64>,
}

/// Start writing the folder `target` (`<out>/<stem>`): a fresh, empty, hidden sibling
/// folder `<out>/.<stem>.tmp-<pid>-<n>`, listed for removal on Ctrl-C.
///
/// # Errors
/// The folder cannot be created.
pub fn stage(target: &Path) -> Result<Staged, OutputError> {
    let parent = target.parent().unwrap_or(Path::new("."));
    ensure_dir(parent)?;
    let name = file_name(target);
    let mut attempts = 0;
    loop {
        let dir = parent.join(temporary_name(&name, "tmp"));
        let id = track(Temp::Dir(dir.clone()));
        match fs::create_dir(&dir) {
            Ok(()) => {
                return Ok(Staged {
                    dir,
                    target: target.to_path_buf(),
                    id: Some(id),
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempts < 8 => {
                forget(id);
                attempts += 1;
            }
            Err(e) => {
                forget(id);
                return Err(io_error(&dir)(e));
            }
        }
    }
}

impl Staged {
    /// Where to write the files.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Where the files will be once committed.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// The answers' folders (`sweep_*`, `threshold_*`) in the folder being replaced that
    /// this one does not hold, after its `threshold.csv` if this one has none:
    /// [`Staged::commit`] removes them, and the run says so (they may be the answers of
    /// questions asked from the command line, which a run of the scenario does not ask
    /// again, or of the scenario's own questions, which a merge does not answer). Sorted;
    /// empty when there is no earlier folder.
    pub fn dropped_answers(&self) -> Vec<String> {
        let mut names = answer_folders(&self.target);
        names.retain(|n| !self.dir.join(n).is_dir());
        // The answers of the scenario's own thresholds, in one file.
        let file = "threshold.csv";
        if self.target.join(file).is_file() && !self.dir.join(file).exists() {
            names.insert(0, file.to_string());
        }
        names
    }

    /// Put the written folder in place of `target`, whole: the previous folder, if any, is
    /// moved aside, replaced, then removed, keeping only its `shard-*.state` files (the state
    /// of a run in shards, which belongs to the folder rather than to one run).
    ///
    /// # Errors
    /// The folder cannot be moved in place; the previous folder is then left as it was.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let target = self.target.clone();
        match fs::symlink_metadata(&target) {
            Ok(m) if !m.is_dir() => return Err(in_place_of_folder(&target, &m)),
            Ok(_) => {
                check_replaceable(&target)?;
                keep_shard_states(&target, &self.dir)?;
            }
            Err(_) => {}
        }
        let parent = target.parent().unwrap_or(Path::new(".")).to_path_buf();
        let name = file_name(&target);
        // A few attempts: another run into the same folder may swap its own in meanwhile.
        let mut last = None;
        for _ in 0..8 {
            let mut reg = registry();
            match fs::rename(&self.dir, &target) {
                Ok(()) => {
                    if let Some(id) = self.id.take() {
                        reg.live.remove(&id);
                    }
                    return Ok(());
                }
                Err(e) if fs::symlink_metadata(&target).is_err() => {
                    last = Some(e);
                    continue;
                }
                Err(_) => {}
            }
            // The previous folder is in the way: move it aside, then swap.
            let backup = parent.join(temporary_name(&name, "old"));
            let id = reg.add(Temp::Backup {
                backup: backup.clone(),
                target: target.clone(),
            });
            if let Err(e) = fs::rename(&target, &backup) {
                reg.live.remove(&id);
                last = Some(e);
                continue;
            }
            match fs::rename(&self.dir, &target) {
                Ok(()) => {
                    if let Some(id) = self.id.take() {
                        reg.live.remove(&id);
                    }
                    drop(reg);
                    let removed = fs::remove_dir_all(&backup);
                    registry().live.remove(&id);
                    // The new folder is in place; an old folder that could not be removed
                    // (another user's files) is a hidden leftover, said now; the next run
                    // into this folder tries again.
                    if let Err(e) = removed {
                        crate::errln!(
                            "warning: the previous results, moved aside to {}, could not be removed ({e}); the new ones are in {}: remove the old folder by hand",
                            backup.display(),
                            target.display()
                        );
                    }
                    return Ok(());
                }
                Err(e) => {
                    let _ = fs::rename(&backup, &target);
                    reg.live.remove(&id);
                    last = Some(e);
                }
            }
        }
        Err(io_error(&target)(last.unwrap_or_else(|| {
            std::io::Error::other("the folder kept changing")
        })))
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if let Some(id) = self.id.take() {
            let _ = fs::remove_dir_all(&self.dir);
            forget(id);
        }
    }
}

/// Whether `name` is a shard's state file (`shard-K-of-N.state`).
fn is_shard_state(name: &str) -> bool {
    name.starts_with("shard-") && name.ends_with(".state")
}

/// The answers' folders (`sweep_*`, `threshold_*`) in a scenario's folder `dir`, sorted.
pub fn answer_folders(dir: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| answer_folder(n))
        .collect();
    names.sort();
    names
}

/// What [`remove_results`] did to a scenario's folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removed {
    /// Nothing: it held no results (only shard states), or could not be changed.
    Nothing,
    /// Its results went; its shard states stay, for the merge of a sharded run under way.
    KeptStates,
    /// The whole folder went.
    All,
}

/// Removes the results of an earlier run from the scenario folder `dir` (every entry of
/// which is worthit's: see [`check_replaceable`]), keeping its `shard-*.state` files: the
/// work of a sharded run under way, which a failed run of the same file must not cost. The
/// folder itself goes when nothing is kept.
pub fn remove_results(dir: &Path) -> Removed {
    let Ok(entries) = fs::read_dir(dir) else {
        return Removed::Nothing;
    };
    let (mut removed, mut kept) = (0, 0);
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if is_shard_state(&name) && !is_dir {
            kept += 1;
            continue;
        }
        let gone = if is_dir {
            fs::remove_dir_all(&path)
        } else {
            fs::remove_file(&path)
        };
        match gone {
            Ok(()) => removed += 1,
            Err(_) => kept += 1,
        }
    }
    match (removed, kept) {
        (0, _) => Removed::Nothing,
        (_, 0) => {
            let _ = fs::remove_dir(dir);
            Removed::All
        }
        _ => Removed::KeptStates,
    }
}

/// Link (or copy) the `shard-*.state` files of `old` into `new`, unless `new` has its own.
fn keep_shard_states(old: &Path, new: &Path) -> Result<(), OutputError> {
    let Ok(entries) = fs::read_dir(old) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !is_shard_state(&name) || !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let to = new.join(&name);
        if to.exists() {
            continue;
        }
        fs::hard_link(entry.path(), &to)
            .or_else(|_| fs::copy(entry.path(), &to).map(|_| ()))
            .map_err(io_error(&to))?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// The registry of temporary files
// ---------------------------------------------------------------------------------------------

/// A temporary file or folder of this process.
#[derive(Debug, Clone)]
enum Temp {
    /// A file being written.
    File(PathBuf),
    /// An output folder's lock ([`lock`]): removed as a file is, but not an output.
    Lock(PathBuf),
    /// A scenario's folder being written.
    Dir(PathBuf),
    /// A scenario's folder made for a shard's state: removed if it is still empty (other
    /// shards may have written to it).
    Made(PathBuf),
    /// A scenario's previous folder, moved aside while the new one takes its place.
    Backup {
        /// Where it is.
        backup: PathBuf,
        /// Where it belongs.
        target: PathBuf,
    },
}

#[derive(Debug, Default)]
struct Registry {
    next: u64,
    live: BTreeMap<u64, Temp>,
}

impl Registry {
    fn add(&mut self, t: Temp) -> u64 {
        self.next += 1;
        self.live.insert(self.next, t);
        self.next
    }
}

static REGISTRY: Mutex<Registry> = Mutex::new(Registry {
    next: 0,
    live: BTreeMap::new(),
});

/// The registry, locked (a panic elsewhere while it was held does not make it unusable).
fn registry() -> MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

fn track(t: Temp) -> u64 {
    registry().add(t)
}

fn forget(id: u64) {
    registry().live.remove(&id);
}

/// `.<name>.<kind>-<pid>-<n>`, unique within this process.
fn temporary_name(name: &str, kind: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(".{name}.{kind}-{}-{n}", std::process::id())
}

/// Create a new, empty temporary file for `name` in `dir`, exclusively (never through a
/// file or symlink already there), listed in the registry; returns its path, the open file
/// and its registry id.
fn create_temporary(dir: &Path, name: &str) -> Result<(PathBuf, fs::File, u64), OutputError> {
    let mut attempts = 0;
    loop {
        let tmp = dir.join(temporary_name(name, "tmp"));
        // Listed before it exists, so that Ctrl-C at any moment finds it.
        let id = track(Temp::File(tmp.clone()));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => return Ok((tmp, f, id)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && attempts < 8 => {
                forget(id);
                attempts += 1;
            }
            Err(e) => {
                forget(id);
                return Err(io_error(&tmp)(e));
            }
        }
    }
}

/// Remove every temporary file and folder of this process, putting back any previous
/// scenario folder that was moved aside, and its output folders' locks; return how many
/// unfinished outputs there were (locks not counted). For a signal handler about to end
/// the process: the registry stays locked afterwards, so no new temporary file can be
/// started.
pub fn remove_temporaries() -> usize {
    let registry = registry();
    let mut n = 0;
    for t in registry.live.values() {
        n += usize::from(!matches!(t, Temp::Lock(_) | Temp::Made(_)));
        match t {
            Temp::File(p) | Temp::Lock(p) => {
                let _ = fs::remove_file(p);
            }
            Temp::Dir(p) => remove_dir_patiently(p),
            Temp::Backup { backup, target } => {
                if fs::rename(backup, target).is_err() {
                    remove_dir_patiently(backup);
                }
            }
            // Once the files in them are gone, below.
            Temp::Made(_) => {}
        }
    }
    for t in registry.live.values() {
        if let Temp::Made(p) = t {
            let _ = fs::remove_dir(p);
        }
    }
    std::mem::forget(registry);
    n
}

/// The output folder a command is about to make, with every missing folder above it
/// (`--out a/b/c` where only `a` exists: `c` and `b`), so that a command that fails can
/// remove again what it made, leaving nothing behind.
#[derive(Debug)]
pub struct MissingFolders(Vec<PathBuf>);

impl MissingFolders {
    /// The folders of `dir` that do not exist yet, from `dir` up.
    pub fn of(dir: &Path) -> Self {
        let missing = dir
            .ancestors()
            .take_while(|d| !d.as_os_str().is_empty() && !d.exists())
            .map(Path::to_path_buf)
            .collect();
        MissingFolders(missing)
    }

    /// Removes those folders again, from `dir` up, as long as each is empty (this process's
    /// locks released first): a folder that holds anything stays, and so do those above it.
    pub fn remove_if_empty(&self) {
        if self.0.is_empty() {
            return;
        }
        unlock_all();
        for d in &self.0 {
            if fs::remove_dir(d).is_err() {
                return;
            }
        }
    }
}

/// A scenario's folder that a shard made for its state, listed for removal while it is
/// still empty: when the shard fails or is stopped (Ctrl-C) before its state is written, no
/// empty folder is left behind. Other shards of the run may write to it meanwhile: a folder
/// that is no longer empty stays.
#[derive(Debug)]
pub struct MadeDir {
    dir: PathBuf,
    id: Option<u64>,
}

impl MadeDir {
    /// Makes `dir` (and its parents) if it is not there; `None` when it was.
    ///
    /// # Errors
    /// The folder cannot be made.
    pub fn make(dir: &Path) -> Result<Option<Self>, OutputError> {
        if dir.exists() {
            return Ok(None);
        }
        let id = track(Temp::Made(dir.to_path_buf()));
        let made = MadeDir {
            dir: dir.to_path_buf(),
            id: Some(id),
        };
        ensure_dir(dir)?;
        Ok(Some(made))
    }

    /// Keeps the folder: the shard's state is in it.
    pub fn keep(mut self) {
        if let Some(id) = self.id.take() {
            forget(id);
        }
    }
}

impl Drop for MadeDir {
    fn drop(&mut self) {
        if let Some(id) = self.id.take() {
            let _ = fs::remove_dir(&self.dir);
            forget(id);
        }
    }
}

/// `remove_dir_all`, retried: another thread may add a file while the folder is removed.
fn remove_dir_patiently(p: &Path) {
    for _ in 0..4 {
        if fs::remove_dir_all(p).is_ok() || !p.exists() {
            return;
        }
    }
}

/// Remove from `dir` what killed runs left: temporary files and folders (`.X.tmp-PID-N`,
/// and `.X.tmp-PID` of older versions) of processes that no longer exist. A scenario folder
/// that was moved aside (`.X.old-PID-N`) is put back if its place is empty, else removed.
/// Returns how many were removed or put back. Entries of live processes (another run into
/// the same folder) are left alone; on systems where that cannot be told, nothing is removed.
pub fn remove_stale(dir: &Path) -> usize {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    let mut n = 0;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((base, kind, pid)) = parse_temporary(&name) else {
            continue;
        };
        let path = entry.path();
        // This process's own (being written), or a live process's; one named with this
        // process's id that it did not make is a dead process's that had the same id (a
        // container's process 1, killed).
        let live = if pid == std::process::id() {
            registered(&path)
        } else {
            process_alive(pid)
        };
        if live {
            continue;
        }
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        let target = dir.join(base);
        let done = if kind == "old" && is_dir && fs::symlink_metadata(&target).is_err() {
            fs::rename(&path, &target).is_ok()
        } else if is_dir {
            fs::remove_dir_all(&path).is_ok()
        } else {
            fs::remove_file(&path).is_ok()
        };
        n += usize::from(done);
    }
    n
}

/// `.<base>.<kind>-<pid>[-<n>]` as (base, kind, pid), for names this module makes.
fn parse_temporary(name: &str) -> Option<(&str, &str, u32)> {
    let rest = name.strip_prefix('.')?;
    let (base, tail) = rest.rsplit_once('.')?;
    let (kind, numbers) = tail.split_once('-')?;
    if !matches!(kind, "tmp" | "old") || base.is_empty() {
        return None;
    }
    let mut parts = numbers.split('-');
    let pid = parts.next()?;
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(pid) || !parts.clone().all(all_digits) || parts.count() > 1 {
        return None;
    }
    Some((base, kind, pid.parse().ok()?))
}

/// Whether process `pid` exists (or might: when it cannot be told, it is assumed alive).
#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = i32::try_from(pid) else {
        return true;
    };
    if pid <= 0 {
        return true;
    }
    // SAFETY: kill with signal 0 sends nothing; it only checks that the process exists.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_in(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn stems_that_could_escape_are_refused() {
        let long = "a".repeat(MAX_STEM + 1);
        for bad in [
            "",
            "..",
            ".",
            ".hidden",
            "a/b",
            "a\\b",
            "x y",
            "é",
            "index.html",
            "Batch_Summary.csv",
            &long,
        ] {
            assert!(!safe_stem(bad), "{bad}");
        }
        for good in [
            "analyst",
            "phd_vs_masters",
            "v1.2",
            "a-b",
            "index",
            &long[1..],
        ] {
            assert!(safe_stem(good), "{good}");
        }
        assert!(scenario_dir(Path::new("out"), "..").is_err());
    }

    #[test]
    fn file_names_stay_in_their_folder() {
        let dir = Path::new("out/x");
        for bad in [
            "",
            "..",
            ".",
            "../a.png",
            "/tmp/a.png",
            "a/b.png",
            ".hidden",
            "a\\b",
        ] {
            assert!(file_in(dir, bad).is_err(), "{bad}");
        }
        assert_eq!(file_in(dir, "a_vs_b.png").unwrap(), dir.join("a_vs_b.png"));
    }

    #[test]
    fn atomic_write_replaces_whole_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        assert_eq!(names_in(dir.path()), ["a.csv"]);
        assert!(write_atomic(&dir.path().join("missing/x.csv"), b"x").is_err());
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_planted_at_a_temporary_name_is_not_written_through() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, b"keep").unwrap();
        // Plant a symlink at each of the next temporary names this process will use.
        let n = {
            let probe = temporary_name("a.csv", "tmp");
            probe.rsplit('-').next().unwrap().parse::<u64>().unwrap()
        };
        let pid = std::process::id();
        for k in n + 1..n + 40 {
            let _ = std::os::unix::fs::symlink(
                &victim,
                dir.path().join(format!(".a.csv.tmp-{pid}-{k}")),
            );
        }
        let _ = write_atomic(&dir.path().join("a.csv"), b"new");
        assert_eq!(fs::read(&victim).unwrap(), b"keep");
    }

    #[test]
    fn a_folder_holding_what_worthit_did_not_write_is_not_replaced() {
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("mine");
        fs::create_dir_all(target.join("sweep_x")).unwrap();
        fs::create_dir_all(target.join("threshold_k__p")).unwrap();
        for f in [
            "summary.csv",
            "run.json",
            "report.html",
            "tornado_p.png",
            "p_vs_q.png",
            "net_return.png",
            "shard-1-of-2.state",
            "sweep_x/sweep.csv",
            "sweep_x/sweep.png",
            "threshold_k__p/threshold.csv",
        ] {
            fs::write(target.join(f), f).unwrap();
        }
        fs::write(target.join("run.json"), WORTHIT_RUN_JSON).unwrap();
        check_replaceable(&target).unwrap();
        check_replaceable(&out.path().join("absent")).unwrap();
        // The scenario run from its own folder, a data file, a note, a result's name in a
        // question's folder, a hidden folder of the user's: each refused, named.
        fs::create_dir(target.join(".thesis.old-draft")).unwrap();
        match check_replaceable(&target) {
            Err(OutputError::Foreign { name, .. }) => assert_eq!(name, ".thesis.old-draft"),
            other => panic!("{other:?}"),
        }
        fs::remove_dir(target.join(".thesis.old-draft")).unwrap();
        for (f, named) in [
            ("mine.toml", "mine.toml"),
            ("salaries.csv", "salaries.csv"),
            ("sweep_x/notes.txt", "sweep_x/notes.txt"),
            ("sweep_x/summary.csv", "sweep_x/summary.csv"),
            ("photo.png", "photo.png"),
        ] {
            fs::write(target.join(f), "keep").unwrap();
            match check_replaceable(&target) {
                Err(OutputError::Foreign { name, .. }) => assert_eq!(name, named),
                other => panic!("{f}: {other:?}"),
            }
            let staged = stage(&target).unwrap();
            assert!(matches!(staged.commit(), Err(OutputError::Foreign { .. })));
            assert_eq!(fs::read(target.join(f)).unwrap(), b"keep");
            fs::remove_file(target.join(f)).unwrap();
        }
        assert_eq!(names_in(out.path()), ["mine"], "no staging folder left");
    }

    /// A run.json as worthit writes it (what counts is `program`).
    const WORTHIT_RUN_JSON: &str = r#"{"program": "worthit", "version": "0.1.0"}"#;

    #[test]
    fn without_a_run_json_a_file_named_like_a_result_is_the_users() {
        // Every run writes a run.json; a folder without one holds at most a sharded run's
        // states and the answers of questions asked from the command line.
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("mine");
        fs::create_dir_all(target.join("sweep_x")).unwrap();
        for f in ["shard-1-of-2.state", "sweep_x/sweep.csv", ".DS_Store"] {
            fs::write(target.join(f), f).unwrap();
        }
        check_replaceable(&target).unwrap();
        for f in [
            "summary.csv",
            "report.html",
            "net_return.png",
            "bob_vs_alice.png",
        ] {
            fs::write(target.join(f), "keep").unwrap();
            match check_replaceable(&target) {
                Err(e @ OutputError::Foreign { .. }) => {
                    let text = e.to_string();
                    assert!(text.contains(&format!("{f:?}")), "{text}");
                    assert!(text.contains("no run.json of worthit's"), "{text}");
                }
                other => panic!("{f}: {other:?}"),
            }
            // A run.json that worthit did not write (a user's config) does not count.
            fs::write(target.join("run.json"), r#"{"lr": 0.01}"#).unwrap();
            assert!(check_replaceable(&target).is_err(), "{f}");
            fs::write(target.join("run.json"), WORTHIT_RUN_JSON).unwrap();
            check_replaceable(&target).unwrap();
            fs::remove_file(target.join("run.json")).unwrap();
            fs::remove_file(target.join(f)).unwrap();
        }
    }

    #[test]
    fn a_staged_folder_replaces_the_old_one_whole_keeping_shard_states() {
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("x");
        fs::create_dir(&target).unwrap();
        for f in [
            "a_vs_b.png",
            "report.html",
            "shard-0.state",
            ".summary.csv.tmp-1",
        ] {
            fs::write(target.join(f), f).unwrap();
        }
        fs::write(target.join("run.json"), WORTHIT_RUN_JSON).unwrap();
        let staged = stage(&target).unwrap();
        write_atomic(&staged.dir().join("summary.csv"), b"new").unwrap();
        assert_eq!(names_in(out.path()).len(), 2, "x and the staging folder");
        staged.commit().unwrap();
        assert_eq!(names_in(out.path()), ["x"]);
        assert_eq!(names_in(&target), ["shard-0.state", "summary.csv"]);
        assert_eq!(
            fs::read(target.join("shard-0.state")).unwrap(),
            b"shard-0.state"
        );
        // Dropped without a commit: nothing is left, the folder is untouched.
        let staged = stage(&target).unwrap();
        fs::write(staged.dir().join("half.csv"), b"x").unwrap();
        drop(staged);
        assert_eq!(names_in(out.path()), ["x"]);
        assert_eq!(names_in(&target), ["shard-0.state", "summary.csv"]);
    }

    #[test]
    fn a_file_in_the_place_of_the_folder_is_an_error_not_replaced() {
        let out = tempfile::tempdir().unwrap();
        let target = out.path().join("x");
        fs::write(&target, b"mine").unwrap();
        let staged = stage(&target).unwrap();
        assert!(matches!(
            staged.commit(),
            Err(OutputError::NotAFolder { .. })
        ));
        assert_eq!(fs::read(&target).unwrap(), b"mine");
        assert_eq!(names_in(out.path()), ["x"]);
    }

    #[test]
    fn an_out_folder_that_is_a_file_is_named_as_such() {
        let out = tempfile::tempdir().unwrap();
        let file = out.path().join("afile");
        fs::write(&file, b"mine").unwrap();
        for dir in [file.clone(), file.join("below")] {
            let e = ensure_dir(&dir).unwrap_err();
            assert!(
                matches!(&e, OutputError::NotAFolder { path } if *path == file),
                "{e}"
            );
            assert!(
                e.to_string()
                    .ends_with("afile: it exists and is not a folder"),
                "{e}"
            );
        }
        assert_eq!(fs::read(&file).unwrap(), b"mine");
    }

    #[test]
    fn temporary_names_are_recognised_and_nothing_else() {
        assert_eq!(parse_temporary(".x.tmp-12-3"), Some(("x", "tmp", 12)));
        assert_eq!(
            parse_temporary(".summary.csv.tmp-77"),
            Some(("summary.csv", "tmp", 77))
        );
        assert_eq!(parse_temporary(".a.b.old-5-0"), Some(("a.b", "old", 5)));
        for other in [
            "x.tmp-12-3",
            ".x.tmp-",
            ".x.tmp-a",
            ".x.tmp-1-2-3",
            ".x.bak-1-2",
            ".tmp-1-2",
            ".worthit-probe",
            ".gitignore",
        ] {
            assert_eq!(parse_temporary(other), None, "{other}");
        }
    }

    /// A link or a file in the place of a scenario's folder is refused before a run, with
    /// what it is, not when the results would replace it.
    #[cfg(unix)]
    #[test]
    fn a_link_or_a_file_in_the_place_of_a_folder_is_refused_up_front() {
        let out = tempfile::tempdir().unwrap();
        let real = out.path().join("real");
        fs::create_dir(&real).unwrap();
        let link = out.path().join("x");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let e = check_replaceable(&link).unwrap_err();
        assert!(
            matches!(&e, OutputError::Link { to, .. } if *to == real),
            "{e}"
        );
        assert!(e.to_string().contains("it is a symbolic link"), "{e}");
        let file = out.path().join("y");
        fs::write(&file, "mine").unwrap();
        assert!(matches!(
            check_replaceable(&file),
            Err(OutputError::NotAFolder { .. })
        ));
        assert!(check_replaceable(&out.path().join("absent")).is_ok());
        // A device is not a folder either.
        let e = ensure_dir(Path::new("/dev/null")).unwrap_err();
        assert!(matches!(e, OutputError::NotAFolder { .. }), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_lock_names_its_process_its_start_and_its_machine() {
        let me = Holder::me();
        assert_eq!(Holder::parse(&me.text()), Some(me.clone()));
        assert!(me.alive());
        // Linux: the start is known, and a process with this id that started at another
        // time (a killed run's id, now this process's) is not alive.
        if std::path::Path::new("/proc/self/stat").exists() {
            let started = me.started.expect("read from /proc");
            let other = Holder {
                started: Some(started + 1),
                ..me.clone()
            };
            assert!(!other.alive());
        }
        // The locks of earlier versions: the id alone.
        let old = Holder::parse("1\n").unwrap();
        assert_eq!((old.pid, old.started, old.host.clone()), (1, None, None));
        assert!(old.alive(), "process 1 lives");
        assert_eq!(Holder::parse("garbage\n"), None);
    }

    /// A lock of another machine (a shared disk) is not taken over; one with this process's
    /// id that this process did not take (a killed container's process 1, say) is.
    #[cfg(unix)]
    #[test]
    fn a_lock_of_another_machine_is_kept_and_a_dead_namesakes_is_taken_over() {
        let out = tempfile::tempdir().unwrap();
        let path = out.path().join(LOCK_FILE);
        let me = Holder::me();
        if me.host.is_some() {
            let elsewhere = Holder {
                host: Some("another-machine".to_string()),
                ..me.clone()
            };
            fs::write(&path, elsewhere.text()).unwrap();
            let e = lock(out.path()).unwrap_err().to_string();
            assert!(e.contains("another worthit run on another-machine"), "{e}");
            assert!(e.contains(".worthit.lock"), "{e}");
        }
        if me.started.is_some() {
            let namesake = Holder {
                started: me.started.map(|t| t + 1),
                ..me.clone()
            };
            fs::write(&path, namesake.text()).unwrap();
            lock(out.path()).unwrap();
            assert_eq!(Holder::parse(&fs::read_to_string(&path).unwrap()), Some(me));
            assert!(holds(&path));
            // Released alone (other tests of this process may hold locks of their own).
            let mut registry = registry();
            registry
                .live
                .retain(|_, t| !matches!(t, Temp::Lock(p) if *p == path));
            drop(registry);
            fs::remove_file(&path).unwrap();
            assert!(!holds(&path));
        }
    }

    #[cfg(unix)]
    #[test]
    fn leftovers_of_dead_processes_are_removed_and_a_moved_folder_put_back() {
        let out = tempfile::tempdir().unwrap();
        // A pid that cannot be alive: above the kernel's limit (2^22).
        let dead = 4_194_304 + 17;
        let mine = std::process::id();
        fs::create_dir(out.path().join(format!(".x.tmp-{dead}-0"))).unwrap();
        fs::write(out.path().join(format!(".x.tmp-{dead}-0/summary.csv")), "").unwrap();
        fs::write(
            out.path().join(format!(".batch_summary.csv.tmp-{dead}")),
            "",
        )
        .unwrap();
        fs::create_dir(out.path().join(format!(".y.old-{dead}-1"))).unwrap();
        fs::write(out.path().join(format!(".y.old-{dead}-1/report.html")), "y").unwrap();
        // Named with this process's id: its own only when it made it (registered); else a
        // dead process's that had the same id (a container's process 1).
        fs::write(out.path().join(format!(".z.tmp-{mine}-9")), "").unwrap();
        let kept = out.path().join(format!(".w.tmp-{mine}-8"));
        fs::write(&kept, "").unwrap();
        let id = registry().add(Temp::File(kept.clone()));
        fs::write(out.path().join(".keep.me"), "").unwrap();
        assert_eq!(remove_stale(out.path()), 4);
        registry().live.remove(&id);
        assert_eq!(
            names_in(out.path()),
            [
                ".keep.me".to_string(),
                format!(".w.tmp-{mine}-8"),
                "y".to_string()
            ]
        );
        assert_eq!(fs::read(out.path().join("y/report.html")).unwrap(), b"y");
    }

    #[test]
    fn write_new_never_replaces_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.toml");
        write_new(&p, b"one").unwrap();
        let e = write_new(&p, b"two").unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&p).unwrap(), b"one");
        assert_eq!(names_in(dir.path()), ["t.toml"]);
    }
}
