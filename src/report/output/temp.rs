//! Temporary files and folders: named after the process, listed so that Ctrl-C removes them,
//! and what a killed run left removed by the next; folders a failed command made removed.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use super::*;

/// A temporary file or folder of this process.
#[derive(Debug, Clone)]
pub(super) enum Temp {
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

/// This process's temporary files and folders, by id.
#[derive(Debug, Default)]
pub(super) struct Registry {
    next: u64,
    pub(super) live: BTreeMap<u64, Temp>,
}

impl Registry {
    pub(super) fn add(&mut self, t: Temp) -> u64 {
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
pub(super) fn registry() -> MutexGuard<'static, Registry> {
    REGISTRY.lock().unwrap_or_else(|e| e.into_inner())
}

pub(super) fn track(t: Temp) -> u64 {
    registry().add(t)
}

pub(super) fn forget(id: u64) {
    registry().live.remove(&id);
}

/// `.<name>.<kind>-<pid>-<n>`, unique within this process.
pub(super) fn temporary_name(name: &str, kind: &str) -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    format!(".{name}.{kind}-{}-{n}", std::process::id())
}

/// Create a new, empty temporary file for `name` in `dir`, exclusively (never through a
/// file or symlink already there), listed in the registry; returns its path, the open file
/// and its registry id.
pub(super) fn create_temporary(
    dir: &Path,
    name: &str,
) -> Result<(PathBuf, fs::File, u64), OutputError> {
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
pub(super) fn parse_temporary(name: &str) -> Option<(&str, &str, u32)> {
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
pub(super) fn process_alive(pid: u32) -> bool {
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
