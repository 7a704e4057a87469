//! The engine: runs a model's trials in a fixed number of seeded batches on rayon and merges
//! the accumulators. It knows nothing of TOML or files.
//!
//! Reproducible by construction: batch `b` always holds trials `b * BATCH_TRIALS ..` and its
//! generator is seeded from (seed, b), so each trial's draws do not depend on which thread
//! runs it; and every accumulator merges exactly, so the merged result does not depend on
//! the order either. Same scenario, seed and trials: byte-identical output for any thread count.

use std::sync::atomic::{AtomicU64, Ordering};

use rand::{Rng, SeedableRng};

use crate::model::rng::{Gen, batch_rng};
use crate::model::{Model, Scratch, TrialOutcome, run_trial};
use crate::stats::accumulate::RunStats;

/// Trials per batch.
pub const BATCH_TRIALS: u64 = 1024;

/// Why a run could not start.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The thread pool could not be built.
    #[error("cannot start {threads} worker threads: {source}")]
    Threads {
        /// Threads asked for.
        threads: usize,
        /// The cause.
        source: rayon::ThreadPoolBuildError,
    },
}

/// Run the trials of batch `batch` (of a run of `trials` with `seed`) into `acc`, with
/// generator `R`; returns the number of trials run.
pub fn run_batch<R: Rng + SeedableRng>(
    m: &Model,
    seed: u64,
    trials: u64,
    batch: u64,
    acc: &mut RunStats,
    scratch: &mut Scratch,
    out: &mut TrialOutcome,
) -> u64 {
    let start = batch * BATCH_TRIALS;
    let n = BATCH_TRIALS.min(trials.saturating_sub(start));
    let mut rng: R = batch_rng(seed, batch);
    for _ in 0..n {
        let key = rng.next_u64();
        run_trial::<R>(m, key, scratch, out);
        acc.push(out);
    }
    n
}

/// Run `trials` trials of `m` from `seed` on `threads` threads. `progress`, if given, counts
/// trials done as they finish.
///
/// # Errors
/// The thread pool cannot be built.
pub fn run(
    m: &Model,
    trials: u64,
    seed: u64,
    threads: usize,
    progress: Option<&AtomicU64>,
) -> Result<RunStats, EngineError> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("worthit-{i}"))
        .build()
        .map_err(|source| EngineError::Threads { threads, source })?;
    let batches = trials.div_ceil(BATCH_TRIALS);
    let next = AtomicU64::new(0);
    let parts: Vec<RunStats> = pool.broadcast(|_| {
        let mut acc = RunStats::new(m);
        let mut scratch = Scratch::new(m);
        let mut out = TrialOutcome::new(m);
        loop {
            let b = next.fetch_add(1, Ordering::Relaxed);
            if b >= batches {
                break;
            }
            let n = run_batch::<Gen>(m, seed, trials, b, &mut acc, &mut scratch, &mut out);
            if let Some(p) = progress {
                p.fetch_add(n, Ordering::Relaxed);
            }
        }
        acc
    });
    let mut parts = parts.into_iter();
    let mut total = parts.next().unwrap_or_else(|| RunStats::new(m));
    for p in parts {
        total.merge(&p);
    }
    Ok(total)
}
