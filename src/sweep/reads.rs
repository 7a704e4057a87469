//! Runs of one key a path reads, at value after value (a sweep's points, a threshold's
//! evaluations): after the first run, only the lives that read the key run again.
//!
//! A life reads each input of its path at most once, when its story gets there (the salary
//! premium when an offer comes, the promotion's raise when the promotion does), and whether
//! it gets there does not depend on the input's value; a role's keys (its salary, raises,
//! spells, or a parameter of one) reach only the lives offered the role, which draw its
//! salary first. So the lives that never read the key have the same figures at every value.
//! The first run goes through every life, noting which read the key and counting the others
//! apart; each later run reruns only the lives that read it and adds the others' counts
//! (every statistic of a point merges exactly): the same figures as a full run.
//!
//! It keeps the index of each life that reads the key (4 bytes, up to [`MAX_TRIALS`]
//! lives); any trouble leaves the run to a full one, which reports it.

use std::sync::atomic::{AtomicU64, Ordering};

use crate::engine::{self, Accumulator};
use crate::model::rng::Gen;
use crate::model::{Model, Scratch, TrialOutcome, run_trial};
use crate::stats::point::{PointPath, PointStats};
use crate::threshold::MAX_TRIALS;

/// The lives of a question's runs that read its key, once a run found them, with the
/// others' statistics.
pub struct Reads {
    /// The key varied.
    key: String,
    /// The path every other is compared with, if any.
    versus: Option<String>,
    threads: usize,
    /// After a run of every life: the lives that read the key, and the others' counts.
    found: Option<(Vec<u32>, PointStats)>,
}

impl Reads {
    /// For runs that vary `key` (each path compared with `versus` as well as with the
    /// baseline). Whether the key is one a path reads is known from each run's model
    /// ([`Model::reads_of`]).
    pub fn new(key: &str, versus: Option<&str>, threads: usize) -> Self {
        Reads {
            key: key.to_string(),
            versus: versus.map(String::from),
            threads,
            found: None,
        }
    }

    /// How many lives read the key, once a run found them.
    #[cfg(test)]
    pub fn reading(&self) -> Option<usize> {
        self.found.as_ref().map(|(list, _)| list.len())
    }

    /// The rows (what [`PointStats::summary`] gives) of the run of `model`, one value's, with
    /// the paths that run: every life the first time, then the lives that read the key.
    /// `None` when no path of `model` reads the key through an input, beyond [`MAX_TRIALS`]
    /// lives, or when a run fails, for a full run to report it.
    pub fn rows(
        &mut self,
        model: &Model,
        trials: u64,
        seed: u64,
        progress: Option<&AtomicU64>,
    ) -> Option<Vec<PointPath>> {
        if trials > MAX_TRIALS {
            return None;
        }
        let id = model.reads_of(&self.key)?;
        let versus = self
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
                        debug_assert!(false, "a life read {} at one value only", self.key);
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
