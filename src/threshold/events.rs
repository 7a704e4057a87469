//! Thresholds on a path's chance of finishing or of being placed, from two lives a trial.
//!
//! Such a chance enters a life only through its event: the person finishes (or is placed)
//! when the event's draw `u` is above `1 - p` ([`happens`]), and the draw comes from the
//! event's own stream whatever `p` is. So at any `p`, a trial's life is one of two lives: the
//! one in which the event happens (its life at `p = 1`) or the one in which it does not (at
//! `p = 0`). Simulating both once, and keeping each trial's `u`, gives the figure of every
//! evaluation of the search exactly as a run at that value would: the same number for each
//! trial, counted by the same statistics. A search of a dozen evaluations then simulates two
//! lives a trial instead of a dozen.
//!
//! It keeps three numbers a trial (24 bytes: 4.8 MB at 200,000 trials). Above [`MAX_TRIALS`]
//! trials, or when a life at either end is beyond the range the statistics count exactly,
//! the search runs every evaluation in full instead, with the same answer.

use crate::dist::Dist;
use crate::engine;
use crate::model::rng::Gen;
use crate::model::trial::{event_draw, happens};
use crate::model::{Chance, Model, Scratch, TrialOutcome, run_trial};
use crate::scenario::questions::{Level, Threshold};
use crate::stats::point::{Spread, figure, spread_of};
use crate::sweep::Setup;

use super::reduced;

/// Most trials whose lives are kept (48 MB); more run every evaluation in full.
pub const MAX_TRIALS: u64 = 2_000_000;

/// Each trial's draw of the event and the figure the threshold reads (the path's net return,
/// or its NPV less the compared path's) when the event happens and when it does not.
pub struct Branches {
    /// The varied key (`paths.KEY.placement`).
    key: String,
    /// (draw, figure if it happens, figure if not), by trial.
    trials: Vec<(f64, f64, f64)>,
}

impl Branches {
    /// Both lives of every trial, when `q` varies the chance of finishing or of being placed
    /// of the path it asks about or of the one compared with; `None` for any other question,
    /// or when the lives cannot be kept (see the module's docs), so that the search runs
    /// each evaluation in full.
    pub fn new(setup: &Setup<'_>, what: &str, q: &Threshold) -> Option<Self> {
        let (name, which) = Chance::of_key(&q.key)?;
        if name != q.path && q.versus.as_deref() != Some(name) {
            return None;
        }
        let at = |v: f64| -> Option<(Model, u64, u64)> {
            let sc = setup.load(what, &[(q.key.as_str(), &Level::Num(v))]).ok()?;
            let (trials, seed) = (sc.simulation.trials, sc.simulation.seed);
            Some((Model::new(&reduced(sc, q)), trials, seed))
        };
        let (yes, trials, seed) = at(1.0)?;
        let (no, ..) = at(0.0)?;
        if trials > MAX_TRIALS {
            return None;
        }
        let find = |k: &str| yes.paths.iter().position(|p| p.key == k);
        let (p, versus) = (find(&q.path)?, q.versus.as_deref().map(find));
        let versus = versus.map(|v| v.ok_or(())).transpose().ok()?;
        let (id, stream) = yes.paths[find(name)?].alt.as_ref()?.chance(which);
        let init = || {
            (
                (Scratch::new(&yes), TrialOutcome::bare(&yes)),
                (Scratch::new(&no), TrialOutcome::bare(&no)),
            )
        };
        let trials = engine::per_trial(
            trials,
            seed,
            setup.threads,
            init,
            |((sy, oy), (sn, on)), i, key| {
                run_trial::<Gen>(&yes, key, sy, oy);
                engine::in_range(&yes, i, oy)?;
                run_trial::<Gen>(&no, key, sn, on);
                engine::in_range(&no, i, on)?;
                let u = event_draw::<Gen>(&yes, key, id, stream);
                Ok((u, figure(oy, p, versus), figure(on, p, versus)))
            },
        )
        .ok()?;
        Some(Branches {
            key: q.key.clone(),
            trials,
        })
    }

    /// The figures of the run of `model` (one evaluation's, with the paths the threshold
    /// compares), read from the kept lives; `None` when its chance is not a fixed number.
    pub fn spread(&self, model: &Model) -> Option<Spread> {
        let id = model.inputs.find(&self.key)?;
        let Dist::Fixed(p) = model.inputs.get(id).dist else {
            return None;
        };
        Some(spread_of(self.trials.iter().map(|&(u, yes, no)| {
            if happens(p, || u) { yes } else { no }
        })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::questions::Metric;
    use crate::threshold::fixture::{question, same_answer, setup};

    #[test]
    fn a_chance_read_from_two_lives_gives_the_answer_of_every_evaluation_run_in_full() {
        let setup = setup();
        let questions = [
            // The path's own placement and completion, each metric.
            question("paths.masters.placement", None, Metric::ProbBeats, 0.5),
            question("paths.masters.completion", None, Metric::Median, 0.0),
            question("paths.masters.placement", None, Metric::Mean, 0.0),
            // Against another path; and the chance of the path compared with.
            question(
                "paths.masters.placement",
                Some("bootcamp"),
                Metric::ProbBeats,
                0.5,
            ),
            question(
                "paths.bootcamp.placement",
                Some("bootcamp"),
                Metric::Median,
                0.0,
            ),
        ];
        for q in &questions {
            assert!(
                Branches::new(&setup, "test", q).is_some(),
                "{} is read from two lives",
                q.key
            );
            same_answer(&setup, q);
        }
        // Any other key, or a chance of a path not compared: every evaluation in full.
        for q in [
            question("paths.masters.salary_premium", None, Metric::ProbBeats, 0.5),
            question("paths.bootcamp.placement", None, Metric::ProbBeats, 0.5),
            question("paths.masters.placement.mean", None, Metric::ProbBeats, 0.5),
        ] {
            assert!(Branches::new(&setup, "test", &q).is_none(), "{}", q.key);
        }
        // More lives than it keeps: every evaluation in full (nothing is run to know it).
        let many = [crate::scenario::Override {
            key: "simulation.trials".into(),
            value: (MAX_TRIALS + 1).to_string(),
        }];
        let setup = Setup {
            overrides: &many,
            ..setup
        };
        let q = question("paths.masters.placement", None, Metric::ProbBeats, 0.5);
        assert!(Branches::new(&setup, "test", &q).is_none());
    }
}
