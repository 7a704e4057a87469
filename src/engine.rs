//! The engine: runs a model's trials in a fixed number of seeded batches on rayon and merges
//! the accumulators. It knows nothing of TOML or files.
//!
//! Reproducible by construction: batch `b` always holds trials `b * BATCH_TRIALS ..`, and each
//! trial's draws come from streams keyed by (seed, trial index) alone (`model::rng`), so they
//! do not depend on which thread runs it; and every accumulator merges exactly, so the merged
//! result does not depend on the order either. Same scenario, seed and trials: byte-identical
//! output for any thread count, and for any set of shards that covers every batch once.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use rand::{Rng, SeedableRng};

use crate::model::rng::{Gen, trial_key};
use crate::model::{Model, Scratch, TrialOutcome, run_trial};
use crate::stats::accumulate::RunStats;
use crate::stats::moments::EXACT_RANGE;

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
    /// A trial's outcome is not finite, or beyond the +-1e12 dollars within which the
    /// statistics are exact: the scenario's inputs, though each valid, are far beyond any real
    /// value (a raise of 1e8 a year compounds past it). Reporting it beats writing NaN or a
    /// silently wrong spread into every file.
    #[error(
        "trial {trial} gave a {what} of {value:e} on path `{path}`, beyond the +-1e12 dollars worthit computes exactly: some inputs are too large (check raises, rates and spreads)"
    )]
    OutOfRange {
        /// Index of the trial in the run.
        trial: u64,
        /// Key of the path.
        path: String,
        /// Which number.
        what: &'static str,
        /// Its value.
        value: f64,
    },
}

/// The first number of a trial's outcome that is not finite or beyond the statistics' exact
/// range, as (path index, name, value).
///
/// Checking the NPV, the net return and the debt is enough for infinities and NaN (the
/// yearly values are summed into them, and such a sum never becomes finite again); the
/// cumulative values by year are bounded by the same sums in any realistic scenario.
fn out_of_range(out: &TrialOutcome) -> Option<(usize, &'static str, f64)> {
    out.paths.iter().enumerate().find_map(|(p, o)| {
        [
            ("net present value", o.npv),
            ("net return", o.net_return),
            ("debt", o.debt),
        ]
        .into_iter()
        .find(|(_, v)| v.is_nan() || v.abs() >= EXACT_RANGE)
        .map(|(what, v)| (p, what, v))
    })
}

/// A pool of `threads` worker threads, named for tools that list them. Callers ask for no
/// more than there are batches: a worker beyond them would only cost its start and its
/// accumulator's memory (`--threads 1024` on a few thousand trials).
fn pool(threads: usize) -> Result<rayon::ThreadPool, EngineError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("worthit-{i}"))
        .build()
        .map_err(|source| EngineError::Threads { threads, source })
}

/// Statistics that the engine fills: a fresh one per worker, one trial at a time, then
/// merged. A sweep point that counts two numbers implements it with two counters; a full
/// run's [`RunStats`] keeps everything.
///
/// Merging must be exact (integer counts, fixed-point sums, integer sketch bins), so that the
/// merged result does not depend on which worker ran which batch, nor on the order of
/// merges: that is what makes results byte-identical for any thread count or sharding.
pub trait Accumulator: Send + Sized {
    /// Whether [`push`](Self::push) reads the values of the sensitivity analysis's candidates
    /// ([`TrialOutcome::cand`]); when not, trials skip the draws they cost.
    const CANDIDATES: bool = false;
    /// Empty statistics for a model.
    fn new(m: &Model) -> Self;
    /// Add one trial.
    fn push(&mut self, out: &TrialOutcome);
    /// Add another's trials (exactly).
    ///
    /// # Panics
    /// When the two were made for models of different shapes (a bug in the caller).
    fn merge(&mut self, other: &Self);
}

impl Accumulator for RunStats {
    const CANDIDATES: bool = true;
    fn new(m: &Model) -> Self {
        RunStats::new(m)
    }
    #[inline]
    fn push(&mut self, out: &TrialOutcome) {
        RunStats::push(self, out);
    }
    fn merge(&mut self, other: &Self) {
        RunStats::merge(self, other);
    }
}

/// The trials of batch `batch` in a run of `trials`.
pub fn batch_trials(trials: u64, batch: u64) -> std::ops::Range<u64> {
    let start = batch.saturating_mul(BATCH_TRIALS).min(trials);
    start..(start + BATCH_TRIALS).min(trials)
}

/// The number of batches of a run of `trials`.
pub fn batches(trials: u64) -> u64 {
    trials.div_ceil(BATCH_TRIALS)
}

/// Run the trials of batch `batch` (of a run of `trials` with `seed`) into `acc`, with
/// streams of generator `R`; returns the number of trials run.
///
/// # Errors
/// A trial whose outcome is not finite ([`EngineError::OutOfRange`]); `acc` then holds the
/// trials before it.
pub fn run_batch<R: Rng + SeedableRng, A: Accumulator>(
    m: &Model,
    seed: u64,
    trials: u64,
    batch: u64,
    acc: &mut A,
    scratch: &mut Scratch,
    out: &mut TrialOutcome,
) -> Result<u64, EngineError> {
    let range = batch_trials(trials, batch);
    let n = range.end - range.start;
    for i in range {
        run_trial::<R>(m, trial_key(seed, i), scratch, out);
        in_range(m, i, out)?;
        acc.push(out);
    }
    Ok(n)
}

/// Whether trial `trial` of `m` gave an outcome the statistics can count exactly.
///
/// # Errors
/// [`EngineError::OutOfRange`] with the first number that is not finite or beyond the exact
/// range.
pub fn in_range(m: &Model, trial: u64, out: &TrialOutcome) -> Result<(), EngineError> {
    match out_of_range(out) {
        None => Ok(()),
        Some((p, what, value)) => Err(EngineError::OutOfRange {
            trial,
            path: m.paths[p].key.clone(),
            what,
            value,
        }),
    }
}

/// Which trials of a run a question runs: the first `n`, or those listed (indices into the
/// run).
#[derive(Debug, Clone, Copy)]
pub enum Trials<'a> {
    /// Trials `0..n`.
    All(u64),
    /// These trials.
    Listed(&'a [u32]),
}

impl Trials<'_> {
    fn len(self) -> usize {
        match self {
            Trials::All(n) => usize::try_from(n).expect("a run's trials fit in memory's indices"),
            Trials::Listed(l) => l.len(),
        }
    }

    /// The index in the run of the `k`-th trial.
    fn at(self, k: usize) -> u64 {
        match self {
            Trials::All(_) => k as u64,
            Trials::Listed(l) => u64::from(l[k]),
        }
    }
}

/// Run `trials` of a run with `seed` on `threads` threads, each worker folding the trials it
/// runs into a state made by `init`, with `f` (given the trial's index and key); returns
/// every worker's state, for the caller to merge (exactly, so that the result does not depend
/// on which worker ran which trials). `progress` counts each trial `weight` times.
///
/// # Errors
/// The thread pool cannot be built, or `f` fails on a trial (then one of the failures).
pub fn fold<S: Send>(
    trials: Trials<'_>,
    seed: u64,
    threads: usize,
    progress: Option<(&AtomicU64, u64)>,
    init: impl Fn() -> S + Sync,
    f: impl Fn(&mut S, u64, u64) -> Result<(), EngineError> + Sync,
) -> Result<Vec<S>, EngineError> {
    let (n, block) = (trials.len(), BATCH_TRIALS as usize);
    let blocks = n.div_ceil(block);
    let pool = pool(threads.min(blocks.max(1)))?;
    let next = AtomicUsize::new(0);
    pool.broadcast(|_| {
        let mut state = init();
        loop {
            let b = next.fetch_add(1, Ordering::Relaxed);
            if b >= blocks {
                break;
            }
            let items = b * block..((b + 1) * block).min(n);
            let done = items.len() as u64;
            for k in items {
                let i = trials.at(k);
                if let Err(e) = f(&mut state, i, trial_key(seed, i)) {
                    next.store(blocks, Ordering::Relaxed);
                    return Err(e);
                }
            }
            if let Some((p, weight)) = progress {
                p.fetch_add(done * weight, Ordering::Relaxed);
            }
        }
        Ok(state)
    })
    .into_iter()
    .collect()
}

/// Run trials `0..trials` of a run with `seed` on `threads` threads, keeping what `f` makes
/// of each (given the trial's index and key) in their order: for a question answered from each
/// trial's own figures rather than from merged statistics. `init` makes a worker's state
/// (its scratch space). The result grows with the trials, so the caller bounds them; it does
/// not depend on the threads.
///
/// # Errors
/// The thread pool cannot be built, or `f` fails on a trial (then one of the failures, not
/// necessarily the earliest).
pub fn per_trial<T, S>(
    trials: u64,
    seed: u64,
    threads: usize,
    init: impl Fn() -> S + Sync + Send,
    f: impl Fn(&mut S, u64, u64) -> Result<T, EngineError> + Sync + Send,
) -> Result<Vec<T>, EngineError>
where
    T: Send + Default + Clone,
{
    use rayon::prelude::*;
    let mut out = vec![T::default(); Trials::All(trials).len()];
    let block = BATCH_TRIALS;
    let pool = pool(threads.min(out.len().div_ceil(block as usize).max(1)))?;
    pool.install(|| {
        out.par_chunks_mut(block as usize)
            .enumerate()
            .try_for_each_init(&init, |state, (b, slots)| {
                for (i, slot) in (b as u64 * block..).zip(slots.iter_mut()) {
                    *slot = f(state, i, trial_key(seed, i))?;
                }
                Ok(())
            })
    })?;
    Ok(out)
}

/// Run `trials` trials of `m` from `seed` on `threads` threads into a [`RunStats`].
/// `progress`, if given, counts trials done as they finish.
///
/// # Errors
/// The thread pool cannot be built, or a trial's outcome is not finite (the run stops; the
/// error reported is the one of the earliest such trial found).
pub fn run(
    m: &Model,
    trials: u64,
    seed: u64,
    threads: usize,
    progress: Option<&AtomicU64>,
) -> Result<RunStats, EngineError> {
    let all: Vec<u64> = (0..batches(trials)).collect();
    run_batches(m, trials, seed, &all, threads, progress)
}

/// Run the batches `batches` (indices into a run of `trials` with `seed`) of `m` on
/// `threads` threads into any [`Accumulator`]. The result depends only on the set of
/// batches, not on the threads or the order.
///
/// # Errors
/// As [`run`].
pub fn run_batches<A: Accumulator>(
    m: &Model,
    trials: u64,
    seed: u64,
    batches: &[u64],
    threads: usize,
    progress: Option<&AtomicU64>,
) -> Result<A, EngineError> {
    run_batches_with(m, trials, seed, batches, threads, progress, || A::new(m))
}

/// As [`run_batches`], with every worker's accumulator made by `new` rather than
/// [`Accumulator::new`]: an accumulator that needs more than the model (a sweep point's,
/// which compares each path with a chosen one) is made by a closure that knows it.
///
/// # Errors
/// As [`run`].
pub fn run_batches_with<A: Accumulator>(
    m: &Model,
    trials: u64,
    seed: u64,
    batches: &[u64],
    threads: usize,
    progress: Option<&AtomicU64>,
    new: impl Fn() -> A + Sync,
) -> Result<A, EngineError> {
    let pool = pool(threads.min(batches.len().max(1)))?;
    let next = AtomicUsize::new(0);
    let parts: Vec<Result<A, EngineError>> = pool.broadcast(|_| {
        let mut acc = new();
        let mut scratch = Scratch::new(m);
        let mut out = if A::CANDIDATES {
            TrialOutcome::new(m)
        } else {
            TrialOutcome::bare(m)
        };
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(&b) = batches.get(i) else {
                break;
            };
            match run_batch::<Gen, A>(m, seed, trials, b, &mut acc, &mut scratch, &mut out) {
                Ok(n) => {
                    if let Some(p) = progress {
                        p.fetch_add(n, Ordering::Relaxed);
                    }
                }
                Err(e) => {
                    // Stop every worker: the run cannot succeed.
                    next.store(batches.len(), Ordering::Relaxed);
                    return Err(e);
                }
            }
        }
        Ok(acc)
    });
    let mut ok = Vec::with_capacity(parts.len());
    let mut first_error: Option<EngineError> = None;
    for part in parts {
        match part {
            Ok(p) => ok.push(p),
            Err(e) => {
                let earlier = |old: &EngineError| match (old, &e) {
                    (
                        EngineError::OutOfRange { trial: a, .. },
                        EngineError::OutOfRange { trial: b, .. },
                    ) => b < a,
                    _ => false,
                };
                if first_error.as_ref().is_none_or(earlier) {
                    first_error = Some(e);
                }
            }
        }
    }
    if let Some(e) = first_error {
        return Err(e);
    }
    let mut parts = ok.into_iter();
    let mut total = parts.next().unwrap_or_else(&new);
    for p in parts {
        total.merge(&p);
    }
    Ok(total)
}
