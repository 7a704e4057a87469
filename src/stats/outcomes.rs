//! How lives on a path turn out: the trials grouped by outcome (took a job in the new field,
//! declined the offer, not placed, dropped out), with the net return of each group, so that a
//! two-humped distribution explains itself.

use serde::Serialize;

use super::accumulate::{TIMELINE_BINS, bins};
use super::codec::{Codec, DecodeError, Reader, Writer};
use super::moments::Moments;
use super::sketch::Sketch;
use super::summary::{Bin, PathSummary};
use crate::model::{Model, PathOutcome, TrialOutcome};

/// The outcomes, in the order they are reported (the words of `outcomes.csv`).
pub const OUTCOMES: [&str; 4] = ["placed", "declined", "not_placed", "dropped_out"];

/// The outcome of one life on a path, as an index into [`OUTCOMES`].
pub fn outcome(o: &PathOutcome) -> usize {
    if o.placed {
        0
    } else if o.declined {
        1
    } else if o.completed {
        2
    } else {
        3
    }
}

/// One outcome's trials: their net returns (exact moments and a sketch) and wins. The sketch
/// has the timeline's resolution (quantiles within 0.4%), a quarter of the memory of the
/// summary's: sixteen more sketches at full resolution evict the others from the cache.
#[derive(Debug, Clone, PartialEq)]
struct Group {
    y: Moments,
    sketch: Sketch,
    beats: u64,
}

impl Group {
    fn new() -> Self {
        Group {
            y: Moments::new(),
            sketch: Sketch::new(TIMELINE_BINS),
            beats: 0,
        }
    }
}

/// The outcome groups of every non-baseline path, merged exactly.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomeAcc {
    /// (path index, its four groups).
    paths: Vec<(usize, Vec<Group>)>,
}

impl OutcomeAcc {
    /// Empty statistics for a model.
    pub fn new(m: &Model) -> Self {
        OutcomeAcc {
            paths: m
                .paths
                .iter()
                .enumerate()
                .filter(|(_, p)| !p.is_baseline())
                .map(|(i, _)| (i, OUTCOMES.iter().map(|_| Group::new()).collect()))
                .collect(),
        }
    }

    /// Add one trial.
    #[inline]
    pub fn push(&mut self, out: &TrialOutcome) {
        for (p, groups) in &mut self.paths {
            let o = &out.paths[*p];
            let g = &mut groups[outcome(o)];
            g.y.push(o.net_return);
            g.sketch.push(o.net_return);
            g.beats += u64::from(o.net_return > 0.0);
        }
    }

    /// Whether `o` holds the same paths' groups, so that the two can be merged.
    pub fn same_shape(&self, o: &Self) -> bool {
        self.paths.len() == o.paths.len()
            && self.paths.iter().zip(&o.paths).all(|(a, b)| {
                a.0 == b.0
                    && a.1.len() == b.1.len()
                    && a.1
                        .iter()
                        .zip(&b.1)
                        .all(|(x, y)| x.sketch.bins_per_octave() == y.sketch.bins_per_octave())
            })
    }

    /// Add another's trials (exactly).
    ///
    /// # Panics
    /// When the two were made for different models (a bug in the caller).
    pub fn merge(&mut self, o: &Self) {
        assert!(
            self.same_shape(o),
            "merging outcome statistics of different models"
        );
        for ((_, a), (_, b)) in self.paths.iter_mut().zip(&o.paths) {
            for (x, y) in a.iter_mut().zip(b) {
                x.y.merge(&y.y);
                x.sketch.merge(&y.sketch);
                x.beats += y.beats;
            }
        }
    }

    /// A row per non-baseline path and outcome, each with a histogram on the bins of its
    /// path's histogram in `paths` (the summaries of every path, in model order).
    pub fn summarize(&self, m: &Model, paths: &[PathSummary]) -> Vec<OutcomeRow> {
        let mut rows = Vec::new();
        for (p, groups) in &self.paths {
            let total: u64 = groups.iter().map(|g| g.y.count()).sum();
            let edges: Vec<f64> = paths.get(*p).map_or_else(Vec::new, |s| {
                let mut e: Vec<f64> = s.histogram.iter().map(|b| b.lower).collect();
                e.extend(s.histogram.last().map(|b| b.upper));
                e
            });
            for (g, name) in groups.iter().zip(OUTCOMES) {
                let n = g.y.count();
                let q = |x| {
                    if n == 0 {
                        f64::NAN
                    } else {
                        g.sketch.quantile(x)
                    }
                };
                let histogram = bins(&edges, &g.sketch);
                rows.push(OutcomeRow {
                    path: m.paths[*p].key.clone(),
                    outcome: name,
                    trials: n,
                    share: if total == 0 {
                        0.0
                    } else {
                        n as f64 / total as f64
                    },
                    mean: if n == 0 { f64::NAN } else { g.y.mean() },
                    p10: q(0.1),
                    p50: q(0.5),
                    p90: q(0.9),
                    prob_beats_baseline: if n == 0 {
                        f64::NAN
                    } else {
                        g.beats as f64 / n as f64
                    },
                    histogram,
                });
            }
        }
        rows
    }
}

impl Codec for OutcomeAcc {
    fn encode(&self, w: &mut Writer) {
        w.usize(self.paths.len());
        for (p, groups) in &self.paths {
            w.usize(*p);
            w.usize(groups.len());
            for g in groups {
                g.y.encode(w);
                g.sketch.encode(w);
                w.u64(g.beats);
            }
        }
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let n = r.count()?;
        let paths = (0..n)
            .map(|_| {
                let p = r.usize(1 << 16)?;
                if r.usize(OUTCOMES.len())? != OUTCOMES.len() {
                    return Err(r.invalid("outcome groups of another number"));
                }
                let groups = (0..OUTCOMES.len())
                    .map(|_| {
                        Ok(Group {
                            y: Moments::decode(r)?,
                            sketch: Sketch::decode(r)?,
                            beats: r.u64()?,
                        })
                    })
                    .collect::<Result<Vec<Group>, DecodeError>>()?;
                Ok((p, groups))
            })
            .collect::<Result<_, DecodeError>>()?;
        Ok(OutcomeAcc { paths })
    }
}

/// One outcome of one path: a row of `outcomes.csv`. The figures are NaN for an outcome no
/// trial had (written as empty cells).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OutcomeRow {
    /// Key of the path.
    pub path: String,
    /// One of [`OUTCOMES`].
    pub outcome: &'static str,
    /// Trials with this outcome.
    pub trials: u64,
    /// Their share of all trials.
    pub share: f64,
    /// Their mean net return.
    pub mean: f64,
    /// 10th percentile of their net return.
    pub p10: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// Share of them that beat the baseline.
    pub prob_beats_baseline: f64,
    /// Their net return on the bins of the path's histogram (the first and last bins also
    /// hold the tails).
    pub histogram: Vec<Bin>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_life_has_one_outcome() {
        let o = |completed, placed, declined| PathOutcome {
            completed,
            placed,
            declined,
            ..PathOutcome::default()
        };
        assert_eq!(OUTCOMES[outcome(&o(true, true, false))], "placed");
        assert_eq!(OUTCOMES[outcome(&o(true, false, true))], "declined");
        assert_eq!(OUTCOMES[outcome(&o(true, false, false))], "not_placed");
        assert_eq!(OUTCOMES[outcome(&o(false, false, false))], "dropped_out");
    }
}
