//! Thresholds on one of a path's inputs: after the first value, only the lives that read the
//! input run again.
//!
//! A path reads each of its inputs at most once a life, when its story gets there: the
//! salary premium when an offer comes, the promotion's raise when the promotion does. A life
//! that never reads the input is the same whatever its value, and whether a life reads it is
//! decided before it does, so it does not depend on the value either. A role's keys (its
//! salary, raises, spells, or a parameter of one) reach only the lives offered the role,
//! which read its salary first: those are the lives rerun. The first value of the
//! search runs every life and notes which read the input; every later value reruns only
//! those, and counts the others' figures, kept from the first run, with theirs: the same
//! figures as a full run, at the cost of the lives that read the input (about 60% for the
//! premium of a master's whose graduates are placed three times in four).
//!
//! It keeps the index of each life that reads the input (4 bytes; up to
//! [`MAX_TRIALS`](super::events::MAX_TRIALS) lives). Any trouble in a run (a life beyond the
//! range the statistics count exactly) leaves that value to a full run, which reports it.

use crate::engine;
use crate::model::rng::Gen;
use crate::model::{Model, Scratch, TrialOutcome, run_trial};
use crate::scenario::questions::Threshold;
use crate::stats::point::{Figures, Spread, figure};

use super::events::MAX_TRIALS;

/// The lives of a threshold's runs that read the varied input, once the first run found
/// them, with the others' figures.
pub struct Reads {
    /// The input's key (the varied key, or the input a varied parameter belongs to).
    input: String,
    /// Trials and seed of every run.
    trials: u64,
    seed: u64,
    threads: usize,
    /// The path asked about and the one compared with, by key.
    path: String,
    versus: Option<String>,
    /// After the first run: the lives that read the input, and the others' figures.
    found: Option<(Vec<u32>, Figures)>,
}

impl Reads {
    /// For a question on an input of the path it asks about or of the one compared with
    /// (`paths.KEY.salary_premium`, or a parameter of it such as `...salary_premium.mean`),
    /// in a run of `trials` lives; `None` for any other key. `model` is any evaluation's.
    pub fn new(
        q: &Threshold,
        model: &Model,
        trials: u64,
        seed: u64,
        threads: usize,
    ) -> Option<Self> {
        if trials > MAX_TRIALS {
            return None;
        }
        // A path's key counts only for the paths compared (the others are not run).
        if let Some(("paths", name)) = q.key.split('.').next().zip(q.key.split('.').nth(1))
            && name != q.path
            && q.versus.as_deref() != Some(name)
        {
            return None;
        }
        let input = model.inputs.get(model.reads_of(&q.key)?).key.clone();
        Some(Reads {
            input,
            trials,
            seed,
            threads,
            path: q.path.clone(),
            versus: q.versus.clone(),
            found: None,
        })
    }

    /// The figures of `model`'s run (one value's, with the paths the threshold compares):
    /// every life at the first value, then only the lives that read the input. `None` when
    /// a run fails, for a full run to report it.
    pub fn spread(&mut self, model: &Model) -> Option<Spread> {
        let id = model.inputs.find(&self.input)?;
        let at = |k: &str| model.paths.iter().position(|p| p.key == k);
        let p = at(&self.path)?;
        let versus = match &self.versus {
            Some(v) => Some(at(v)?),
            None => None,
        };
        let init = || {
            let mut s = Scratch::new(model);
            s.track(id);
            (s, TrialOutcome::bare(model))
        };
        let life = |(s, out): &mut (Scratch, TrialOutcome), i: u64, key: u64| {
            run_trial::<Gen>(model, key, s, out);
            engine::in_range(model, i, out)?;
            Ok((s.read(), figure(out, p, versus)))
        };
        match &self.found {
            None => {
                let all = engine::per_trial(
                    engine::Trials::All(self.trials),
                    self.seed,
                    self.threads,
                    init,
                    life,
                )
                .ok()?;
                let mut rest = Figures::new();
                rest.extend(all.iter().filter(|(read, _)| !read).map(|&(_, x)| x));
                let mut whole = rest.clone();
                whole.extend(all.iter().filter(|(read, _)| *read).map(|&(_, x)| x));
                let reading = (0u32..).zip(&all).filter(|(_, (read, _))| *read);
                self.found = Some((reading.map(|(i, _)| i).collect(), rest));
                Some(whole.spread())
            }
            Some((reading, rest)) => {
                let again = engine::per_trial(
                    engine::Trials::Listed(reading),
                    self.seed,
                    self.threads,
                    init,
                    life,
                )
                .ok()?;
                // Each of them reads it again (whether a life reads it is settled before it
                // does); if one did not, something else reads the value: run in full.
                if !again.iter().all(|(read, _)| *read) {
                    debug_assert!(false, "a life read {} at one value only", self.input);
                    return None;
                }
                let mut whole = rest.clone();
                whole.extend(again.into_iter().map(|(_, x)| x));
                Some(whole.spread())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::questions::{Level, Metric};
    use crate::threshold::fixture::{question, same_answer, setup};
    use crate::threshold::reduced;

    #[test]
    fn rerunning_only_the_lives_that_read_the_key_gives_the_answer_of_full_runs() {
        let setup = setup();
        let range = |q: Threshold, from: f64, to: f64| Threshold { from, to, ..q };
        let premium = |versus, metric, target| {
            range(
                question("paths.masters.salary_premium", versus, metric, target),
                -0.5,
                0.5,
            )
        };
        let questions = [
            premium(None, Metric::ProbBeats, 0.5),
            premium(None, Metric::Median, 0.0),
            premium(Some("bootcamp"), Metric::Mean, 0.0),
            // A key of the path compared with.
            range(
                question(
                    "paths.bootcamp.salary_premium",
                    Some("bootcamp"),
                    Metric::ProbBeats,
                    0.5,
                ),
                -0.5,
                0.5,
            ),
            // A parameter of an input that every life reads; of a chance (not two lives: the
            // chance itself is drawn).
            range(
                question(
                    "paths.masters.costs.tuition_per_year.max",
                    None,
                    Metric::ProbBeats,
                    0.42,
                ),
                40_000.0,
                200_000.0,
            ),
            range(
                question("paths.masters.placement.mean", None, Metric::ProbBeats, 0.4),
                0.3,
                0.9,
            ),
            // A role's salary (a parameter) and raise: the raise also decides which offers
            // are taken, before any raise is drawn.
            range(
                question("roles.mle.salary.median", None, Metric::ProbBeats, 0.5),
                40_000.0,
                135_000.0,
            ),
            range(
                question(
                    "roles.mle.annual_raise",
                    Some("bootcamp"),
                    Metric::Mean,
                    0.0,
                ),
                -0.05,
                0.08,
            ),
        ];
        for q in &questions {
            same_answer(&setup, q);
        }
        // The premium is read only by the lives that get an offer: the others are not rerun.
        let q = &questions[0];
        let at = |v: f64| {
            let sc = setup
                .load("test", &[(q.key.as_str(), &Level::Num(v))])
                .unwrap();
            Model::new(&reduced(sc, q))
        };
        let m = at(0.0);
        // So is the role's salary: the same lives (its one role).
        let role = question("roles.mle.annual_raise", None, Metric::ProbBeats, 0.5);
        let mut counts = Vec::new();
        for q in [q, &role] {
            let mut r = Reads::new(q, &m, 1_500, 11, 2).expect("a key with lives to skip");
            r.spread(&m).unwrap();
            counts.push(r.found.as_ref().unwrap().0.len());
        }
        assert!(
            (500..1_400).contains(&counts[0]),
            "{} of 1,500 lives read it",
            counts[0]
        );
        assert_eq!(counts[0], counts[1]);
        // Keys that are not a path's input, or not of a path compared.
        for key in [
            "economy.discount_rate",
            "person.salary",
            "paths.masters.financing.grace_months",
        ] {
            let q = question(key, None, Metric::ProbBeats, 0.5);
            assert!(Reads::new(&q, &m, 1_500, 11, 2).is_none(), "{key}");
        }
        let q = question(
            "paths.bootcamp.salary_premium",
            None,
            Metric::ProbBeats,
            0.5,
        );
        assert!(Reads::new(&q, &m, 1_500, 11, 2).is_none(), "not compared");
        // More lives than it keeps the indices of: every evaluation in full.
        assert!(Reads::new(&questions[0], &m, MAX_TRIALS + 1, 11, 2).is_none());
    }
}
