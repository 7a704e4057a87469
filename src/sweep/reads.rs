//! Sweeps of one of a path's inputs, or of a role's key: after the first point that runs the
//! paths the key reaches, only the lives that read the key run again.
//!
//! As for a threshold ([`crate::threshold`]): a life reads each input of its path at most
//! once, when its story gets there, and whether it gets there does not depend on the
//! input's value; a role's keys reach only the lives offered the role, which draw its salary
//! first. So the lives that never read the key have the same figures at every point. The
//! first point after the first runs every life, noting which read the key and counting the
//! others apart; each later point reruns only the lives that read it and adds the others'
//! counts (every statistic of a point merges exactly): the same figures as a full run.
//!
//! It keeps the index of each life that reads the key (4 bytes, up to
//! [`MAX_TRIALS`](crate::threshold::MAX_TRIALS) lives); any trouble leaves the point to a run
//! of its own, which reports it.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::engine::{self, Accumulator};
use crate::model::rng::Gen;
use crate::model::{Model, Scratch, TrialOutcome, run_trial};
use crate::scenario::questions::Sweep;
use crate::stats::point::{PointPath, PointStats};

/// The lives of a sweep's points that read its key, once a point found them, with the
/// others' statistics.
pub struct Reads<'a> {
    s: &'a Sweep,
    threads: usize,
    /// After a point ran every life: the lives that read the key, and the others' counts.
    found: Option<(Vec<u32>, PointStats)>,
}

impl<'a> Reads<'a> {
    /// For a sweep of one key that a path reads ([`Model::reads_of`]); `None` otherwise.
    pub fn new(s: &'a Sweep, threads: usize) -> Option<Self> {
        let key = &s.x.key;
        let one = s.y.is_none() && (key.starts_with("paths.") || key.starts_with("roles."));
        one.then_some(Reads {
            s,
            threads,
            found: None,
        })
    }

    /// The rows of the point whose model (with the paths that run again) is `model`: every
    /// life the first time, then the lives that read the key. `None` when the key is not
    /// read through an input, or a run fails, for a run of its own to report it.
    pub fn rows(
        &mut self,
        model: &Model,
        trials: u64,
        seed: u64,
        progress: Option<&AtomicU64>,
    ) -> Option<Vec<PointPath>> {
        let id = model.reads_of(&self.s.x.key)?;
        if trials > crate::threshold::MAX_TRIALS {
            return None;
        }
        let versus = self
            .s
            .versus
            .as_deref()
            .and_then(|v| model.paths.iter().position(|p| p.key == v));
        let stats = || PointStats::new(model, versus);
        let life = |s: &mut Scratch, out: &mut TrialOutcome, i: u64, key: u64| {
            run_trial::<Gen>(model, key, s, out);
            engine::in_range(model, i, out)
        };
        let scratch = || {
            let mut s = Scratch::new(model);
            s.track(id);
            (s, TrialOutcome::bare(model))
        };
        let whole = match &self.found {
            None => {
                // Every life: those that read the key, counted apart from the others.
                let init = || (scratch(), stats(), stats(), Vec::new());
                let parts = engine::fold(
                    engine::Trials::All(trials),
                    seed,
                    self.threads,
                    progress.map(|p| (p, 1)),
                    init,
                    |((s, out), reading, rest, list), i, key| {
                        life(s, out, i, key)?;
                        if s.read() {
                            reading.push(out);
                            list.push(i as u32);
                        } else {
                            rest.push(out);
                        }
                        Ok(())
                    },
                )
                .ok()?;
                let (mut all, mut rest, mut list) = (stats(), stats(), Vec::new());
                for (_, reading, others, l) in parts {
                    all.merge(&reading);
                    all.merge(&others);
                    rest.merge(&others);
                    list.extend(l);
                }
                self.found = Some((list, rest));
                all
            }
            Some((list, rest)) => {
                let init = || (scratch(), stats(), 0u64);
                let parts = engine::fold(
                    engine::Trials::Listed(list),
                    seed,
                    self.threads,
                    None,
                    init,
                    |((s, out), reading, missed), i, key| {
                        life(s, out, i, key)?;
                        reading.push(out);
                        *missed += u64::from(!s.read());
                        Ok(())
                    },
                )
                .ok()?;
                let mut all = rest.clone();
                for (_, reading, missed) in parts {
                    // Whether a life reads the key is settled before it does: one that did
                    // not read it again means something else reads its value; run in full.
                    if missed > 0 {
                        debug_assert!(false, "a life read {} at one point only", self.s.x.key);
                        return None;
                    }
                    all.merge(&reading);
                }
                if let Some(p) = progress {
                    p.fetch_add(trials, Ordering::Relaxed);
                }
                all
            }
        };
        Some(whole.summary(model))
    }
}
