//! Sweeps along a chance of finishing or of being placed: every value from two lives a trial.
//!
//! Such a chance acts on a life only through its event: the person finishes (or is placed)
//! when the event's draw is above one minus the chance, and the draw comes from the event's
//! own stream whatever the chance is. So at any value, each trial's life is one of two: its
//! life at 1 (the event happens) or at 0 (it does not). One pass simulates both lives of each
//! trial and counts, for every point along the chance, the one that point's chance picks:
//! the same outcome, counted by the same statistics, as a run of that point. A sweep of a
//! second key makes a pass per value of that key.
//!
//! Any trouble (a point whose chance is not one number, a life beyond the range the
//! statistics count exactly) leaves the points to runs of their own, which report it.

use std::sync::atomic::AtomicU64;

use crate::dist::Dist;
use crate::engine::{self, Accumulator};
use crate::model::rng::Gen;
use crate::model::trial::{event_draw, happens};
use crate::model::{Chance, Model, Scratch, TrialOutcome, run_trial};
use crate::scenario::Scenario;
use crate::scenario::questions::{Level, Sweep};
use crate::stats::point::{PointPath, PointStats};

use super::{Setup, reduce};

/// The axis of `s` that is a chance of finishing or of being placed, with its path's key and
/// which chance it is.
fn chance_axis(s: &Sweep) -> Option<(usize, &str, Chance)> {
    s.axes()
        .into_iter()
        .enumerate()
        .find_map(|(i, a)| Chance::of_key(&a.key).map(|(path, which)| (i, path, which)))
}

/// The rows of each point of `points` that a pass of two lives a trial gives (the paths
/// that [`reduce`] keeps), when the sweep varies a chance; `None` for the others.
pub fn rows(
    setup: &Setup<'_>,
    what: &str,
    s: &Sweep,
    points: &[(Vec<Level>, Scenario)],
    progress: Option<&AtomicU64>,
) -> Vec<Option<Vec<PointPath>>> {
    let mut out = vec![None; points.len()];
    let Some((axis, path, which)) = chance_axis(s) else {
        return out;
    };
    let other = s
        .axes()
        .get(1 - axis.min(1))
        .filter(|_| s.y.is_some())
        .copied();
    // The points that share the other key's value, in order (all of them for one key).
    let mut groups: Vec<(Option<&Level>, Vec<usize>)> = Vec::new();
    for (k, (levels, _)) in points.iter().enumerate() {
        let level = other.map(|_| &levels[1 - axis]);
        match groups.iter_mut().find(|(l, _)| *l == level) {
            Some((_, ks)) => ks.push(k),
            None => groups.push((level, vec![k])),
        }
    }
    for (level, ks) in groups {
        let fixed: Vec<(&str, &Level)> = other
            .map(|a| a.key.as_str())
            .into_iter()
            .zip(level)
            .collect();
        let group: Vec<&Scenario> = ks.iter().map(|&k| &points[k].1).collect();
        let pass = Pass {
            setup,
            what,
            s,
            key: &s.axes()[axis].key,
            path,
            which,
        };
        if let Some(rows) = pass.run(&fixed, &group, progress) {
            for (k, r) in ks.into_iter().zip(rows) {
                out[k] = Some(r);
            }
        }
    }
    out
}

/// One pass along the chance.
struct Pass<'a> {
    setup: &'a Setup<'a>,
    what: &'a str,
    s: &'a Sweep,
    /// The chance's key.
    key: &'a str,
    /// Its path's key.
    path: &'a str,
    which: Chance,
}

impl Pass<'_> {
    /// Every point of `group` (scenarios that differ only in the chance; `fixed` sets the
    /// other key), from both lives of each trial.
    fn run(
        &self,
        fixed: &[(&str, &Level)],
        group: &[&Scenario],
        progress: Option<&AtomicU64>,
    ) -> Option<Vec<Vec<PointPath>>> {
        let at = |v: f64| -> Option<Model> {
            let level = Level::Num(v);
            let mut values = fixed.to_vec();
            values.push((self.key, &level));
            let sc = self.setup.load(self.what, &values).ok()?;
            Some(Model::new(&reduce(self.s, sc)))
        };
        let (yes, no) = (at(1.0)?, at(0.0)?);
        let models: Vec<Model> = group
            .iter()
            .map(|sc| Model::new(&reduce(self.s, (*sc).clone())))
            .collect();
        let find = |m: &Model, k: &str| m.paths.iter().position(|p| p.key == k);
        let alt = yes.paths[find(&yes, self.path)?].alt.as_ref()?;
        let (id, stream) = alt.chance(self.which);
        // Each point's chance, and the path it compares with.
        let mut chances = Vec::with_capacity(models.len());
        for m in &models {
            let Dist::Fixed(p) = m.inputs.get(m.inputs.find(self.key)?).dist else {
                return None;
            };
            chances.push(p);
        }
        let versus = |m: &Model| self.s.versus.as_deref().and_then(|v| find(m, v));
        let sim = &group.first()?.simulation;
        let (trials, seed) = (sim.trials, sim.seed);
        let init = || {
            (
                (Scratch::new(&yes), TrialOutcome::bare(&yes)),
                (Scratch::new(&no), TrialOutcome::bare(&no)),
                models
                    .iter()
                    .map(|m| PointStats::new(m, versus(m)))
                    .collect::<Vec<_>>(),
            )
        };
        let weight = models.len() as u64;
        let parts = engine::fold(
            engine::Trials::All(trials),
            seed,
            self.setup.threads,
            progress.map(|p| (p, weight)),
            init,
            |((sy, oy), (sn, on), stats), i, key| {
                run_trial::<Gen>(&yes, key, sy, oy);
                engine::in_range(&yes, i, oy)?;
                run_trial::<Gen>(&no, key, sn, on);
                engine::in_range(&no, i, on)?;
                let u = event_draw::<Gen>(&yes, key, id, stream);
                for (st, &p) in stats.iter_mut().zip(&chances) {
                    st.push(if happens(p, || u) { oy } else { on });
                }
                Ok(())
            },
        )
        .ok()?;
        let mut parts = parts.into_iter().map(|(_, _, stats)| stats);
        let mut total = parts.next()?;
        for part in parts {
            for (t, p) in total.iter_mut().zip(&part) {
                t.merge(p);
            }
        }
        Some(
            total
                .iter()
                .zip(&models)
                .map(|(st, m)| st.summary(m))
                .collect(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::questions::{Axis, Values};
    use crate::sweep::{load_points, run_point};
    use crate::threshold::fixture::setup;

    fn axis(key: &str, values: &[f64]) -> Axis {
        Axis {
            key: key.into(),
            values: Values::List(values.iter().map(|&v| Level::Num(v)).collect()),
        }
    }

    #[test]
    fn a_sweep_along_a_chance_has_every_point_from_its_passes() {
        let setup = setup();
        let tuition = axis(
            "paths.masters.costs.tuition_per_year",
            &[10_000.0, 30_000.0],
        );
        let placement = axis("paths.masters.placement", &[0.0, 0.3, 0.6, 1.0]);
        for (x, y) in [
            (placement.clone(), None),
            (tuition, Some(placement)),
            (axis("paths.bootcamp.completion", &[0.2, 0.9]), None),
        ] {
            let s = Sweep { x, y, versus: None };
            let points = load_points(&setup, "test", &s).unwrap();
            let progress = AtomicU64::new(0);
            let rows = rows(&setup, "test", &s, &points, Some(&progress));
            assert!(rows.iter().all(Option::is_some), "{}", s.x.key);
            // Each point's rows are its own run's (the factor loads both chances).
            for ((levels, sc), rows) in points.iter().zip(&rows) {
                let m = Model::new(&reduce(&s, sc.clone()));
                let (trials, seed) = (sc.simulation.trials, sc.simulation.seed);
                let run = run_point(&m, trials, seed, None, 2, None).unwrap();
                assert_eq!(rows.as_ref(), Some(&run.summary(&m)), "{levels:?}");
            }
            // Every point's trials counted once.
            assert_eq!(progress.into_inner(), 1_500 * points.len() as u64);
        }
        // No chance among the keys: nothing.
        let s = Sweep {
            x: axis("paths.masters.salary_premium", &[0.0, 0.1]),
            y: None,
            versus: None,
        };
        let points = load_points(&setup, "test", &s).unwrap();
        assert!(
            rows(&setup, "test", &s, &points, None)
                .iter()
                .all(Option::is_none)
        );
    }
}
