//! Sweeps: every path's figures at every point of a grid of one or two keys' values.
//!
//! Each point is the scenario file with the point's values applied as overrides (as `--set
//! KEY=VALUE` would), loaded and validated like the file, and run in full with the same seed
//! and trials as every other point. Every input and event draws from its own stream, so two
//! points simulate the same lives in every respect but the varied keys: the difference
//! between neighbouring points is the effect of the keys alone, and the curves are smooth
//! (common random numbers). A point keeps only the light statistics of
//! [`PointStats`](crate::stats::point::PointStats).
//!
//! The same streams make most of a sweep over one path's keys redundant: a key under
//! `paths.KEY` changes only that path's lives, and a role's key only the lives of the paths
//! that can land the role, so every other path's figures are the same at every point. The
//! first point runs every path; the others run only the paths the varied keys reach, the
//! baseline and the path compared with, and take the rest from the first point, which is
//! exactly what running them again would give. A sweep of a path's key in a scenario of
//! five paths simulates two paths a life instead of five at all but one point. Along a
//! chance of finishing or of being placed, one pass of two lives a trial gives every point
//! ([`chance`]).

use std::path::Path;
use std::sync::atomic::AtomicU64;

use crate::engine::{self, EngineError};
use crate::model::Model;
use crate::scenario::questions::{Axis, Level, Sweep};
use crate::scenario::{self, Override, Scenario};
use crate::stats::point::{PointPath, PointStats};

mod chance;
pub(crate) mod reads;

/// What every point of a question is built from: the scenario file's bytes and the
/// command line's overrides (`--set`, `--trials`, `--seed`), and the threads to run on.
#[derive(Debug, Clone, Copy)]
pub struct Setup<'a> {
    /// The scenario file's bytes (read once).
    pub bytes: &'a [u8],
    /// Its path, for messages and `empirical` files.
    pub file: &'a Path,
    /// Overrides applied before a point's own.
    pub overrides: &'a [Override],
    /// Worker threads.
    pub threads: usize,
}

/// Why a question could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum QuestionError {
    /// A point's scenario is not valid (a value the key allows alone, but not with the rest
    /// of the file: a beta whose mean and sd do not fit together).
    #[error("{what}: at {at}: {found}; allowed: {allowed}")]
    Point {
        /// The question (`--vary KEY=...`, `[[sweeps]] 1`).
        what: String,
        /// The point (`paths.x.placement = 0.95`).
        at: String,
        /// What was found.
        found: String,
        /// What is allowed.
        allowed: String,
    },
    /// The engine stopped.
    #[error("{what}: {source}")]
    Engine {
        /// The question.
        what: String,
        /// The cause.
        source: EngineError,
    },
}

impl<'a> Setup<'a> {
    /// The scenario at one point: the file with `values` applied, validated.
    ///
    /// # Errors
    /// [`QuestionError::Point`] with the first problem found.
    pub fn load(&self, what: &str, values: &[(&str, &Level)]) -> Result<Scenario, QuestionError> {
        let mut all = self.overrides.to_vec();
        all.extend(values.iter().map(|(k, l)| Override {
            key: (*k).to_string(),
            value: l.toml(),
        }));
        scenario::load_point(self.bytes, self.file, &all).map_err(|e| {
            let at = values
                .iter()
                .map(|(k, l)| format!("{k} = {}", l.text()))
                .collect::<Vec<_>>()
                .join(", ");
            // The problem with the point's own value first, else the first one.
            let d = e
                .diagnostics
                .iter()
                .find(|d| values.iter().any(|(k, _)| d.key.starts_with(k)))
                .or(e.diagnostics.first());
            QuestionError::Point {
                what: what.to_string(),
                at,
                found: d.map_or_else(|| e.to_string(), |d| format!("{}: {}", d.key, d.found)),
                allowed: d.map_or_else(String::new, |d| d.allowed.clone()),
            }
        })
    }
}

/// One point of a sweep and what it gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The value of each varied key, in the sweep's order.
    pub levels: Vec<Level>,
    /// Every path's figures, in scenario order.
    pub paths: Vec<PointPath>,
}

/// A sweep's points, with what a report needs to describe them.
#[derive(Debug, Clone, PartialEq)]
pub struct SweepResult {
    /// The question.
    pub sweep: Sweep,
    /// The scenario's name.
    pub scenario: String,
    /// Its file stem.
    pub stem: String,
    /// Trials per point.
    pub trials: u64,
    /// The seed of every point.
    pub seed: u64,
    /// Every point, the first key varying slowest.
    pub points: Vec<Point>,
    /// Each varied key in words, for titles and axes ("placement", "repayment of the
    /// part-time online master's").
    pub words: Vec<String>,
}

impl SweepResult {
    /// The `i`-th key in words (the key itself when the sweep had no point).
    pub fn key_words(&self, i: usize) -> &str {
        self.words
            .get(i)
            .map_or(self.sweep.axes()[i].key.as_str(), String::as_str)
    }

    /// "changes", or "change" when the first key's label is plural ("what if its one-time
    /// costs change").
    pub fn changes(&self) -> &'static str {
        if crate::scenario::questions::words_are_plural(self.key_words(0)) {
            "change"
        } else {
            "changes"
        }
    }

    /// Whether no figure of any path moved from one point to another: the key changes
    /// nothing in this scenario (the number of dependents when no path repays on RAP).
    pub fn unmoved(&self) -> bool {
        self.points.len() > 1
            && self
                .points
                .iter()
                .all(|pt| pt.paths == self.points[0].paths)
    }

    /// The values of the `i`-th key, in order.
    pub fn levels(&self, i: usize) -> Vec<Level> {
        self.sweep.axes()[i].levels()
    }

    /// The label of path `key` (the key itself if unknown).
    pub fn label<'s>(&'s self, key: &'s str) -> &'s str {
        self.points
            .first()
            .and_then(|p| p.paths.iter().find(|x| x.key == key))
            .map_or(key, |p| p.label.as_str())
    }

    /// The baseline path's figures at the first point (for its label).
    pub fn baseline_label(&self) -> &str {
        self.points
            .first()
            .and_then(|p| p.paths.iter().find(|x| x.baseline))
            .map_or("the baseline", |p| p.label.as_str())
    }
}

/// Every point of a sweep as (values, overrides): the first key varies slowest.
pub fn grid(s: &Sweep) -> Vec<Vec<Level>> {
    let xs = s.x.levels();
    match &s.y {
        None => xs.into_iter().map(|x| vec![x]).collect(),
        Some(y) => {
            let ys = y.levels();
            xs.iter()
                .flat_map(|x| ys.iter().map(move |y| vec![x.clone(), y.clone()]))
                .collect()
        }
    }
}

/// Load every point of `s` (so that a bad value is reported before anything runs).
///
/// # Errors
/// The first point that does not validate.
pub fn load_points(
    setup: &Setup<'_>,
    what: &str,
    s: &Sweep,
) -> Result<Vec<(Vec<Level>, Scenario)>, QuestionError> {
    let axes: Vec<&Axis> = s.axes();
    grid(s)
        .into_iter()
        .map(|levels| {
            let values: Vec<(&str, &Level)> = axes
                .iter()
                .zip(&levels)
                .map(|(a, l)| (a.key.as_str(), l))
                .collect();
            setup.load(what, &values).map(|sc| (levels, sc))
        })
        .collect()
}

/// Run every loaded point. `progress` counts trials done.
///
/// # Errors
/// The engine stops on a point (an outcome beyond the exact range).
pub fn run(
    setup: &Setup<'_>,
    what: &str,
    s: &Sweep,
    points: Vec<(Vec<Level>, Scenario)>,
    progress: Option<&AtomicU64>,
) -> Result<SweepResult, QuestionError> {
    let (mut name, mut stem, mut trials, mut seed) = (String::new(), String::new(), 0, 0);
    let mut out: Vec<Point> = Vec::with_capacity(points.len());
    let mut words = Vec::new();
    // Along a chance, the points' rows from two lives a trial; else, for one key a path
    // reads, the points after the second rerun only the lives that read it.
    let mut along = chance::rows(setup, what, s, &points, progress);
    let mut reads =
        s.y.is_none()
            .then(|| reads::Reads::new(&s.x.key, s.versus.as_deref(), setup.threads));
    for ((levels, sc), along) in points.into_iter().zip(&mut along) {
        if words.is_empty() {
            words = s
                .axes()
                .iter()
                .map(|a| crate::scenario::questions::key_words(&a.key, "", &sc))
                .collect();
        }
        (name, stem) = (sc.name.clone(), sc.stem.clone());
        (trials, seed) = (sc.simulation.trials, sc.simulation.seed);
        let first = out.first();
        let ran = match along.take() {
            // The first point runs every path, unless those rows already have them all.
            Some(rows) if first.is_some() || rows.len() == sc.paths.len() => rows,
            counted => {
                // After the first point, only the paths the keys reach run again.
                let sc = if first.is_some() { reduce(s, sc) } else { sc };
                let model = Model::new(&sc);
                let versus = s
                    .versus
                    .as_ref()
                    .and_then(|v| model.paths.iter().position(|p| &p.key == v));
                // (Trials the pass along a chance counted already are not counted again.)
                let progress = progress.filter(|_| counted.is_none());
                let reads = reads.as_mut().filter(|_| first.is_some());
                let run = (trials, seed, setup.threads);
                point_rows(&model, run, versus, reads, progress).map_err(|source| {
                    // Which point: the others may run well.
                    let at: Vec<String> = s
                        .axes()
                        .iter()
                        .zip(&levels)
                        .map(|(a, l)| format!("{}={}", a.key, l.text()))
                        .collect();
                    QuestionError::Engine {
                        what: format!("{what}, at {}", at.join(" and ")),
                        source,
                    }
                })?
            }
        };
        let paths = match first {
            // Every path of the first point, each from this point's run if it ran again.
            Some(f) if ran.len() < f.paths.len() => f
                .paths
                .iter()
                .map(|p| ran.iter().find(|r| r.key == p.key).unwrap_or(p).clone())
                .collect(),
            _ => ran,
        };
        out.push(Point { levels, paths });
    }
    Ok(SweepResult {
        sweep: s.clone(),
        scenario: name,
        stem,
        trials,
        seed,
        points: out,
        words,
    })
}

/// The rows of a run of `model` (`trials` from `seed` on `threads` threads, each path also
/// compared with path `versus`): from `reads` when it can give them (only the lives that read
/// the key run again), else from a full run.
///
/// # Errors
/// As [`run_point`].
pub(crate) fn point_rows(
    model: &Model,
    (trials, seed, threads): (u64, u64, usize),
    versus: Option<usize>,
    reads: Option<&mut reads::Reads>,
    progress: Option<&AtomicU64>,
) -> Result<Vec<PointPath>, EngineError> {
    match reads.and_then(|r| r.rows(model, trials, seed, progress)) {
        Some(rows) => Ok(rows),
        None => Ok(run_point(model, trials, seed, versus, threads, progress)?.summary(model)),
    }
}

/// `sc` with only the paths that a point after the first runs again: those the keys reach
/// ([`reached`]), the baseline and the path compared with; every path when the keys reach
/// them all.
fn reduce(s: &Sweep, mut sc: Scenario) -> Scenario {
    if let Some(reached) = reached(s, &sc) {
        sc.paths.retain(|p| {
            p.is_baseline() || reached.contains(&p.key) || s.versus.as_ref() == Some(&p.key)
        });
    }
    sc
}

/// The alternative paths whose lives the sweep's keys can change, when that is not every
/// path: a key under `paths.KEY` reaches that path, a role's key the paths that can land the
/// role. `None` when a key reaches every path (the person, the economy, the tax, a factor, a
/// key of the baseline), or when the path compared with is reached (every path's comparison
/// with it then changes).
pub fn reached(s: &Sweep, sc: &Scenario) -> Option<Vec<String>> {
    let mut reached: Vec<String> = Vec::new();
    for a in s.axes() {
        let parts: Vec<&str> = a.key.split('.').collect();
        match parts.as_slice() {
            ["paths", name, _, ..] => {
                let p = sc.paths.iter().find(|p| p.key == *name)?;
                if p.is_baseline() {
                    return None;
                }
                reached.push(p.key.clone());
            }
            ["roles", name, _, ..] => {
                let role = sc.roles.iter().position(|r| r.key == *name)?;
                reached.extend(
                    sc.paths
                        .iter()
                        .filter(|p| {
                            p.alternative
                                .as_ref()
                                .is_some_and(|alt| alt.roles.iter().any(|&(r, _)| r == role))
                        })
                        .map(|p| p.key.clone()),
                );
            }
            _ => return None,
        }
    }
    if s.versus.as_ref().is_some_and(|v| reached.contains(v)) {
        return None;
    }
    Some(reached)
}

/// One full run of a model (`trials` from `seed`) into light statistics, comparing each
/// path with path `versus` if given.
///
/// # Errors
/// As [`engine::run`].
pub fn run_point(
    model: &Model,
    trials: u64,
    seed: u64,
    versus: Option<usize>,
    threads: usize,
    progress: Option<&AtomicU64>,
) -> Result<PointStats, EngineError> {
    let all: Vec<u64> = (0..engine::batches(trials)).collect();
    engine::run_batches_with(model, trials, seed, &all, threads, progress, || {
        PointStats::new(model, versus)
    })
}
