//! One process writes an output folder at a time: a lock file naming its process, start and
//! machine, taken over when that process is gone.

use std::fs;
use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use super::*;

/// The lock file of an output folder ([`lock`]).
pub(super) const LOCK_FILE: &str = ".worthit.lock";

/// Takes the output folder `dir` for this process until it ends (or [`unlock_all`]): a file
/// `.worthit.lock` holding who took it (`Holder`), made exclusively. A lock of a process
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
pub(super) fn registered(path: &Path) -> bool {
    registry().live.values().any(|t| match t {
        Temp::File(p) | Temp::Lock(p) | Temp::Dir(p) => p == path,
        Temp::Backup { backup, .. } => backup == path,
        // A scenario's folder, not a temporary name.
        Temp::Made(_) => false,
    })
}

/// Whether this process took the lock at `path` (and still holds it).
#[cfg(unix)]
pub(super) fn holds(path: &Path) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
