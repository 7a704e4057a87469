//! A run that stops once its headline shares are precise enough: batches in index order, in
//! rounds, until every share of trials in which a path beats another has a 95% Wilson
//! half-width of at most the target, or the trial cap is reached.
//!
//! Reproducible like a fixed-size run: a round's size depends only on the target, the
//! batches run after `r` rounds are always `0 .. r * size` (cut at the cap), and the engine's
//! result depends only on that set of batches, so where the run stops, and every file it
//! writes, depends only on the scenario, the seed, the target and the cap, never on the
//! threads. A run that stops after `k` trials gives the same statistics as a fixed run of
//! `k` trials.

use std::sync::atomic::AtomicU64;

use serde::Serialize;

use crate::engine::{self, BATCH_TRIALS, EngineError};
use crate::model::Model;
use crate::stats::accumulate::RunStats;
use crate::stats::precision::{Z95, wilson};

/// Fewest batches in a round: 16,384 trials, enough to keep 16 threads busy and to make the
/// per-round cost (a thread pool, a merge, a check) negligible.
pub const MIN_ROUND_BATCHES: u64 = 16;

/// Why a run stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Stopped {
    /// Every headline share reached the target precision.
    #[serde(rename = "precision reached")]
    PrecisionReached,
    /// Every trial asked for was run (with a target: before reaching it).
    #[serde(rename = "trial cap")]
    TrialCap,
}

/// A finished run and how it ended.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Everything accumulated (its `trials()` are the trials run).
    pub stats: RunStats,
    /// The target half-width, if any.
    pub target: Option<f64>,
    /// Why the run stopped.
    pub stopped: Stopped,
    /// The largest 95% half-width among the headline shares (0 with no share to state).
    pub largest_half_width: f64,
}

impl Outcome {
    /// The keys `run.json` adds for the run's length and precision: `trials` (run),
    /// `precision` (the target, or null), `stopped` and `largest_half_width`.
    pub fn json(&self) -> serde_json::Value {
        serde_json::json!({
            "trials": self.stats.trials(),
            "precision": self.target,
            "stopped": self.stopped,
            "largest_half_width": self.largest_half_width,
        })
    }
}

/// Trials after which every share's Wilson half-width is at most `target`, whatever the
/// shares: the half-width is largest for a share of 1/2, where it is `z / (2 sqrt(n + z^2))`,
/// so `n = z^2 / (4 target^2) - z^2`.
pub fn worst_case_trials(target: f64) -> f64 {
    let z2 = Z95 * Z95;
    (z2 / (4.0 * target * target) - z2).max(0.0)
}

/// Batches per round for a target: an eighth of the worst case (so a run overshoots the
/// trials it needs by at most about an eighth of the worst case, and takes at most about nine
/// rounds), and at least [`MIN_ROUND_BATCHES`]. Depends only on the target.
pub fn round_batches(target: f64) -> u64 {
    let eighth = worst_case_trials(target) / (8.0 * BATCH_TRIALS as f64);
    // `as` saturates: a tiny target gives a huge round, which the cap cuts.
    (eighth.ceil() as u64).max(MIN_ROUND_BATCHES)
}

/// The largest 95% Wilson half-width among the headline shares of `stats`.
pub fn largest_half_width(stats: &RunStats, m: &Model) -> f64 {
    let n = stats.trials();
    stats
        .headline_counts(m)
        .into_iter()
        .map(|k| wilson(k, n).half_width())
        .fold(0.0, f64::max)
}

/// Run `m` from `seed`: every trial up to `cap` when `target` is `None`; else rounds of
/// [`round_batches`] batches in index order until [`largest_half_width`] is at most
/// `target` after a round, or the cap is reached. `progress` counts trials as they finish.
///
/// # Errors
/// As [`engine::run_batches`]: the thread pool, or a trial out of range.
pub fn run_until(
    m: &Model,
    cap: u64,
    seed: u64,
    target: Option<f64>,
    threads: usize,
    progress: Option<&AtomicU64>,
) -> Result<Outcome, EngineError> {
    let all = engine::batches(cap);
    let per_round = target.map_or(all, round_batches).max(1);
    let mut total = RunStats::new(m);
    let mut done = 0u64;
    loop {
        let end = done.saturating_add(per_round).min(all);
        let round: Vec<u64> = (done..end).collect();
        let part: RunStats = engine::run_batches(m, cap, seed, &round, threads, progress)?;
        total.merge(&part);
        done = end;
        let largest = largest_half_width(&total, m);
        let stopped = match target {
            Some(x) if largest <= x => Some(Stopped::PrecisionReached),
            _ if done >= all => Some(Stopped::TrialCap),
            _ => None,
        };
        if let Some(stopped) = stopped {
            return Ok(Outcome {
                stats: total,
                target,
                stopped,
                largest_half_width: largest,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_depend_on_the_target_only() {
        // 0.01: the worst case is 3.841459 / 0.0004 - 3.84 = 9,600 trials, an eighth of
        // which is 2 batches: the floor of 16 applies.
        assert!((worst_case_trials(0.01) - 9_599.8).abs() < 0.1);
        assert_eq!(round_batches(0.01), 16);
        // 0.001: 960,361 trials; an eighth is 117.2 batches -> 118.
        assert!((worst_case_trials(0.001) - 960_360.9).abs() < 0.1);
        assert_eq!(round_batches(0.001), 118);
        // 0.5: any single trial will do.
        assert_eq!(worst_case_trials(0.5), 0.0);
        assert_eq!(round_batches(0.5), 16);
        // The smallest target allowed still gives a finite round.
        assert!(round_batches(0.00001) > 1_000_000);
    }

    #[test]
    fn the_worst_case_reaches_the_target() {
        for x in [0.2, 0.05, 0.01, 0.003] {
            let n = worst_case_trials(x).ceil() as u64;
            assert!(wilson(n / 2, n).half_width() <= x, "{x}");
            assert!(wilson(n / 2, n - 1).half_width() > x, "{x}");
        }
    }
}
