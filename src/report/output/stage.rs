//! A scenario's folder written aside and swapped in whole; earlier results removed.

use std::fs;
use std::path::{Path, PathBuf};

use super::*;

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
pub(super) fn is_shard_state(name: &str) -> bool {
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
