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
//!
//! Here: where files go and how each is written. `lock`: one process per folder. `owned`:
//! whose files a folder holds. `stage`: a scenario's folder swapped in whole. `temp`: the
//! temporary files and folders, and their removal.

use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

mod lock;
mod owned;
mod stage;
mod temp;

pub use lock::*;
pub use owned::*;
pub use stage::*;
pub use temp::*;

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
        "scenario file {file:?} cannot name an output folder (use letters, digits, '_', '-', '.'; not starting with '.'; at most 200 characters; not index.html or batch_summary.csv, a batch's own files){}",
        renamed.as_ref().map_or_else(String::new, |r| format!("; rename it {r}.toml, for example"))
    )]
    BadName {
        /// The file stem.
        file: String,
        /// A name that would do, when one is near (`Maya_Smith` for `Maya Smith`).
        renamed: Option<String>,
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
            renamed: renamed(stem),
        })
    }
}

/// The nearest name [`safe_stem`] takes, for a stem it refuses: each other character `_`
/// (spaces, accents), leading dots dropped; `None` when that does not make one (a reserved
/// name, too long).
fn renamed(stem: &str) -> Option<String> {
    let name: String = stem
        .trim_start_matches('.')
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    safe_stem(&name).then_some(name)
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
        // A near name is suggested where one exists.
        let said = |stem: &str| {
            scenario_dir(Path::new("out"), stem)
                .unwrap_err()
                .to_string()
        };
        assert!(said("Maya Smith").ends_with("; rename it Maya_Smith.toml, for example"));
        assert!(said(".hidden").ends_with("; rename it hidden.toml, for example"));
        assert!(said("index.html").ends_with("a batch's own files)"));
        assert!(said("..").ends_with("a batch's own files)"));
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
