//! The net return after 10, 15, 20, 30 and 40 years, as Georgetown's Center on Education and
//! the Workforce reports the return on a degree ("A First Try at ROI: Ranking 4,500
//! Colleges", 2019): the median cumulative net return then, and how often a path is ahead.

use serde::Serialize;

use super::codec::{Codec, DecodeError, Reader, Writer};
use super::summary::TimelinePoint;
use crate::model::{Model, TrialOutcome};

/// Years after the decision at which the net return is reported.
pub const YEARS: [usize; 5] = [10, 15, 20, 30, 40];

/// Counts of trials ahead of the baseline at each reported year within the horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct MilestoneAcc {
    /// The reported years that fit the horizon.
    years: Vec<usize>,
    /// Per path (model order): trials ahead at each year of `years`.
    ahead: Vec<Vec<u64>>,
    trials: u64,
}

impl MilestoneAcc {
    /// Empty counts for a model.
    pub fn new(m: &Model) -> Self {
        // Before the end of the horizon: at its end the figure is the whole career's,
        // which the report gives beside them.
        let years: Vec<usize> = YEARS.into_iter().filter(|&y| y < m.horizon).collect();
        MilestoneAcc {
            ahead: vec![vec![0; years.len()]; m.paths.len()],
            years,
            trials: 0,
        }
    }

    /// Add one trial: a path is ahead after `y` years when its cumulative net return at the
    /// end of year `y - 1` is above 0.
    #[inline]
    pub fn push(&mut self, out: &TrialOutcome) {
        self.trials += 1;
        for (p, ahead) in self.ahead.iter_mut().enumerate() {
            let cum = out.cum(p);
            for (a, &y) in ahead.iter_mut().zip(&self.years) {
                *a += u64::from(cum[y - 1] > 0.0);
            }
        }
    }

    /// Whether `o` counts the same years of the same number of paths.
    pub fn same_shape(&self, o: &Self) -> bool {
        self.years == o.years && self.ahead.len() == o.ahead.len()
    }

    /// Add another's trials.
    ///
    /// # Panics
    /// When the two were made for different models (a bug in the caller).
    pub fn merge(&mut self, o: &Self) {
        assert!(self.same_shape(o), "merging milestones of different models");
        self.trials += o.trials;
        for (a, b) in self.ahead.iter_mut().zip(&o.ahead) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
    }

    /// The milestones of path `p`, with the medians of its timeline.
    pub fn summarize(&self, p: usize, timeline: &[TimelinePoint]) -> Vec<Milestone> {
        self.years
            .iter()
            .zip(&self.ahead[p])
            .filter_map(|(&y, &ahead)| {
                let t = timeline.get(y - 1)?;
                Some(Milestone {
                    years: y as u32,
                    age: t.age,
                    p50: t.p50,
                    prob_ahead: if self.trials == 0 {
                        0.0
                    } else {
                        ahead as f64 / self.trials as f64
                    },
                })
            })
            .collect()
    }
}

impl Codec for MilestoneAcc {
    fn encode(&self, w: &mut Writer) {
        w.counts(&self.years.iter().map(|&y| y as u64).collect::<Vec<u64>>());
        w.usize(self.ahead.len());
        for a in &self.ahead {
            w.counts(a);
        }
        w.u64(self.trials);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let years: Vec<usize> = r
            .counts(YEARS.len())?
            .into_iter()
            .map(|y| y as usize)
            .collect();
        if years.iter().any(|y| !YEARS.contains(y)) {
            return Err(r.invalid("a milestone year that is not reported"));
        }
        let n = r.count()?;
        let ahead = (0..n)
            .map(|_| {
                let a = r.counts(years.len())?;
                if a.len() == years.len() {
                    Ok(a)
                } else {
                    Err(r.invalid("milestone counts of another number"))
                }
            })
            .collect::<Result<_, DecodeError>>()?;
        Ok(MilestoneAcc {
            years,
            ahead,
            trials: r.u64()?,
        })
    }
}

/// The net return a number of years after the decision.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Milestone {
    /// Years after the decision.
    pub years: u32,
    /// The person's age in the last year counted (as in `timeline.csv` and its chart: 10
    /// years from 27 run through age 36).
    pub age: u32,
    /// Median cumulative discounted net return then.
    pub p50: f64,
    /// Share of trials ahead of the baseline then.
    pub prob_ahead: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model(age: u32, retirement: u32) -> Model {
        let src = format!(
            "[person]\nage = {age}\nretirement_age = {retirement}\nsalary = 50_000\n\
             [roles.x]\nsalary = 60_000\n[paths.stay]\nbaseline = true\n\
             [paths.a]\nduration_months = 12\nroles = {{ x = 1 }}\n"
        );
        let s = crate::scenario::load_str(&src, std::path::Path::new("m.toml"))
            .unwrap_or_else(|e| panic!("{e}"));
        Model::new(&s)
    }

    #[test]
    fn reported_years_stop_before_the_end_of_the_horizon() {
        // 30 years (35 to 65): the 30th is the whole career, reported apart.
        assert_eq!(MilestoneAcc::new(&model(35, 65)).years, [10, 15, 20]);
        assert_eq!(MilestoneAcc::new(&model(27, 65)).years, [10, 15, 20, 30]);
        assert_eq!(
            MilestoneAcc::new(&model(20, 65)).years,
            [10, 15, 20, 30, 40]
        );
    }
}
