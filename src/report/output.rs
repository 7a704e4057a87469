//! The one place that knows where outputs go and how they are written: every file is written
//! to a temporary name in its folder and renamed into place, so a run that fails or is
//! killed never leaves a half-written file.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

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
        "scenario file {file:?} cannot name an output folder (use letters, digits, '_', '-', '.'; not starting with '.')"
    )]
    BadName {
        /// The file stem.
        file: String,
    },
}

/// Whether a scenario file stem may name a folder under `--out`: no separators, no `..`,
/// nothing hidden.
pub fn safe_stem(stem: &str) -> bool {
    !stem.is_empty()
        && !stem.starts_with('.')
        && stem
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

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

/// Create a folder (and its parents).
///
/// # Errors
/// The folder cannot be created.
pub fn ensure_dir(dir: &Path) -> Result<(), OutputError> {
    fs::create_dir_all(dir).map_err(|source| OutputError::Io {
        path: dir.to_path_buf(),
        source,
    })
}

/// Check that `dir` can be written, by creating it and writing and removing a probe file.
///
/// # Errors
/// The folder cannot be created or written.
pub fn check_writable(dir: &Path) -> Result<(), OutputError> {
    ensure_dir(dir)?;
    write_atomic(&dir.join(".worthit-probe"), b"")?;
    fs::remove_file(dir.join(".worthit-probe")).map_err(|source| OutputError::Io {
        path: dir.to_path_buf(),
        source,
    })
}

/// Write `bytes` to `path` whole or not at all: a temporary file in the same folder, synced,
/// then renamed over `path`.
///
/// # Errors
/// Any I/O failure; the temporary file is removed.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    let err = |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_that_could_escape_are_refused() {
        for bad in ["", "..", ".", ".hidden", "a/b", "a\\b", "x y", "é"] {
            assert!(!safe_stem(bad), "{bad}");
        }
        for good in ["analyst", "phd_vs_masters", "v1.2", "a-b"] {
            assert!(safe_stem(good), "{good}");
        }
        assert!(scenario_dir(Path::new("out"), "..").is_err());
    }

    #[test]
    fn atomic_write_replaces_whole_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "{names:?}");
        assert!(write_atomic(&dir.path().join("missing/x.csv"), b"x").is_err());
    }
}
