//! Which uncertainties decide a path's net return: for every candidate (an uncertain input, a
//! factor, a life event), the share of the variance of the net return that it explains alone,
//! and how the net return swings between its low and high values (docs/sensitivity.md).
//!
//! The importance of a candidate `X` is the first-order Sobol index `Var(E[Y | X]) / Var(Y)`,
//! `Y` the path's net return. `E[Y | X]` is estimated by grouping trials: events and the role
//! landed by their value, continuous inputs by [`BINS`] equal-probability bins of their
//! distribution (`model::candidates`). Each group keeps an integer count of trials and of
//! wins and the fixed-point sum of `Y` (in units of 2^-16 dollar, the scale of [`Moments`]'
//! mean), so accumulators merge by integer addition and the result does not depend on
//! threads, batches or shards; `Var(Y)` comes from an exact [`Moments`] of every trial.
//! A group needs no sum of squares: the explained part is `sum_k n_k (mean_k - mean)^2`.
//!
//! The estimate `sum_k n_k (mean_k - mean)^2 / sum (y - mean)^2` has two small biases, both
//! documented: noise adds about `(K - 1) / N` times the unexplained share (`K` groups, `N`
//! trials: 1e-4 at 200,000 trials with 20 bins), and binning a continuous input misses the
//! variation of `E[Y | X]` inside a bin (a relative 0.25% for a linear effect of a uniform
//! input, about 2% for a normal one, whose two outer bins are wide).

use std::sync::Arc;

use serde::Serialize;

use super::codec::{Codec, DecodeError, Reader, Writer};
use super::moments::{Moments, round_to_int};
use crate::model::candidates::{Candidates, Event, Kind, What};
use crate::model::{Model, TrialOutcome};

/// Equal-probability bins of a continuous candidate.
pub const BINS: usize = 20;
/// A slot's inner edges, padded with +inf to 31 for a binary search of five fixed steps.
type Edges = [f64; 32];
const _: () = assert!(BINS <= 32);
/// Bins in the lowest (and in the highest) tenth.
const TENTH: usize = BINS / 10;

/// Fixed-point scale of a group's sum: that of [`Moments`]' sum.
const SCALE: f64 = 65_536.0;

/// The trials of one group: how many, how many beat the baseline, and the sum of their net
/// returns in units of 1/[`SCALE`] dollar. 32 bytes, so that the groups of every candidate
/// stay in cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Group {
    n: u64,
    beats: u64,
    sum: i128,
}

impl Group {
    #[inline]
    fn add(&mut self, fixed: i128, beats: u64) {
        self.n += 1;
        self.beats += beats;
        self.sum = self.sum.wrapping_add(fixed);
    }

    fn merge(&mut self, o: &Self) {
        self.n += o.n;
        self.beats += o.beats;
        self.sum = self.sum.wrapping_add(o.sum);
    }

    /// Mean net return, exact to 2^-17 (as [`Moments::mean`]).
    fn mean(&self) -> f64 {
        if self.n == 0 {
            return f64::NAN;
        }
        let n = i128::from(self.n);
        let (q, r) = (self.sum.div_euclid(n), self.sum.rem_euclid(n));
        (q as f64 + r as f64 / n as f64) / SCALE
    }
}

/// The groups of one path's candidates, flat: candidate `c` owns
/// `groups[offsets[c]..offsets[c + 1]]`.
#[derive(Debug, Clone, PartialEq)]
struct PathSens {
    /// Index of the path in the model.
    path: usize,
    /// Every trial's net return.
    total: Moments,
    offsets: Vec<usize>,
    groups: Vec<Group>,
}

/// The events, in the order their values follow the slots' bins in the working memory.
const EVENTS: [Event; 4] = [
    Event::Completed,
    Event::Placed,
    Event::Promoted,
    Event::Role,
];

/// What pushing a trial needs besides the counts, all derived from the model: the bins and
/// where each candidate's group is. Statistics read from a shard's state have none: they are
/// only merged and summarized.
#[derive(Debug, Clone)]
struct Layout {
    /// Inner bin edges of each value slot, contiguous.
    edges: Arc<[Edges]>,
    /// Roles in the model: the role landed has one more category, none.
    roles: usize,
    /// For each path (as in [`SensAcc::paths`]) and candidate, where its group of the trial
    /// is in the working memory (`bin`: a slot's bin, or after the slots one of [`EVENTS`]),
    /// and where its groups start.
    at: Vec<Vec<(u32, u32)>>,
    /// Working memory: the bin of each slot in the trial being pushed, then the value of each
    /// of [`EVENTS`] on the path being pushed.
    bin: Vec<u16>,
}

/// The sensitivity analysis of one run, accumulated trial by trial and merged exactly.
#[derive(Debug, Clone)]
pub struct SensAcc {
    layout: Option<Layout>,
    paths: Vec<PathSens>,
}

impl PartialEq for SensAcc {
    /// Equal when they hold the same counts (the layout follows from the model).
    fn eq(&self, o: &Self) -> bool {
        self.paths == o.paths
    }
}

/// Number of groups of a candidate.
fn groups(what: What, roles: usize) -> usize {
    match what {
        What::Value(_) => BINS,
        What::Event(Event::Role) => roles + 1,
        What::Event(_) => 2,
    }
}

impl SensAcc {
    /// Empty statistics for a model's candidates.
    pub fn new(m: &Model) -> Self {
        let cands = Candidates::new(m);
        let edges: Arc<[Edges]> = cands
            .edges(m, BINS)
            .iter()
            .map(|e| {
                let mut padded = [f64::INFINITY; 32];
                padded[..e.len()].copy_from_slice(e);
                padded
            })
            .collect();
        let roles = m.roles.len();
        let slots = cands.sources.len();
        let mut at = Vec::new();
        let paths = cands
            .paths
            .iter()
            .enumerate()
            .filter(|(p, _)| !m.paths[*p].is_baseline())
            .map(|(path, list)| {
                let mut offsets = vec![0];
                for c in list {
                    offsets.push(offsets.last().copied().unwrap_or(0) + groups(c.what, roles));
                }
                let n = offsets.last().copied().unwrap_or(0);
                at.push(
                    list.iter()
                        .zip(&offsets)
                        .map(|(c, &off)| {
                            let at = match c.what {
                                What::Value(slot) => slot,
                                What::Event(e) => {
                                    slots + EVENTS.iter().position(|x| *x == e).unwrap_or(0)
                                }
                            };
                            (at as u32, off as u32)
                        })
                        .collect(),
                );
                PathSens {
                    path,
                    total: Moments::new(),
                    offsets,
                    groups: vec![Group::default(); n],
                }
            })
            .collect();
        SensAcc {
            layout: Some(Layout {
                edges,
                roles,
                at,
                bin: vec![0; slots + EVENTS.len()],
            }),
            paths,
        }
    }

    /// Whether `o` counts the same groups of the same paths, so that the two can be merged.
    pub fn same_shape(&self, o: &Self) -> bool {
        self.paths.len() == o.paths.len()
            && self
                .paths
                .iter()
                .zip(&o.paths)
                .all(|(a, b)| a.path == b.path && a.offsets == b.offsets)
    }

    /// Add one trial. Its outcome must carry the candidates' values (made with
    /// [`TrialOutcome::new`]); one without them is not counted.
    #[inline]
    pub fn push(&mut self, out: &TrialOutcome) {
        let Some(l) = &mut self.layout else {
            debug_assert!(false, "pushing a trial to statistics read from a state");
            return;
        };
        let slots = l.edges.len();
        if out.cand.len() != slots {
            debug_assert!(false, "a trial outcome without the candidates' values");
            return;
        }
        for ((b, e), &x) in l.bin.iter_mut().zip(l.edges.iter()).zip(&out.cand) {
            *b = bin_of(e, x);
        }
        let none = l.roles;
        for (ps, at) in self.paths.iter_mut().zip(&l.at) {
            let o = &out.paths[ps.path];
            l.bin[slots..].copy_from_slice(&[
                u16::from(o.completed),
                u16::from(o.placed),
                u16::from(o.promoted),
                // A model has far fewer than 65,535 roles.
                o.role.unwrap_or(none) as u16,
            ]);
            let y = o.net_return;
            let beats = u64::from(y > 0.0);
            ps.total.push(y);
            // Rounded as Moments rounds its sum.
            let fixed = round_to_int(y * SCALE);
            for &(at, off) in at {
                ps.groups[off as usize + usize::from(l.bin[at as usize])].add(fixed, beats);
            }
        }
    }

    /// Add another's trials (exactly).
    ///
    /// # Panics
    /// When the two were made for different models (a bug in the caller).
    pub fn merge(&mut self, o: &Self) {
        assert!(
            self.same_shape(o),
            "merging sensitivity statistics of different models"
        );
        for (a, b) in self.paths.iter_mut().zip(&o.paths) {
            a.total.merge(&b.total);
            for (x, y) in a.groups.iter_mut().zip(&b.groups) {
                x.merge(y);
            }
        }
    }

    /// Every candidate of every non-baseline path that varied in the run, most important
    /// first within a path, paths in model order. A candidate seen with one value only (a
    /// path everyone finishes) explains nothing and is left out; so is every candidate of a
    /// path whose net return never varies.
    pub fn summarize(&self, m: &Model) -> Vec<SensitivityRow> {
        let cands = Candidates::new(m);
        let mut rows = Vec::new();
        for ps in &self.paths {
            let Some(list) = cands.paths.get(ps.path) else {
                continue;
            };
            if list.len() + 1 != ps.offsets.len() {
                debug_assert!(false, "sensitivity statistics of another model");
                continue;
            }
            let n = ps.total.count();
            let sd = ps.total.sd();
            if n < 2 || sd <= 0.0 {
                continue;
            }
            let ss = sd * sd * (n - 1) as f64;
            let mean = ps.total.mean();
            let mut path_rows: Vec<SensitivityRow> = list
                .iter()
                .zip(ps.offsets.windows(2))
                .filter_map(|(c, w)| {
                    let g = &ps.groups[w[0]..w[1]];
                    let seen: Vec<usize> = (0..g.len()).filter(|&k| g[k].n > 0).collect();
                    if seen.len() < 2 {
                        return None;
                    }
                    let between: f64 = seen
                        .iter()
                        .map(|&k| {
                            let d = g[k].mean() - mean;
                            g[k].n as f64 * d * d
                        })
                        .sum();
                    let (low, high) = swing_groups(c.what, g, &seen);
                    let (low, high) = (pool(&g[low]), pool(&g[high]));
                    Some(SensitivityRow {
                        path: m.paths[ps.path].key.clone(),
                        input: c.key.clone(),
                        label: c.label.clone(),
                        kind: c.kind,
                        importance: (between / ss).clamp(0.0, 1.0),
                        low_mean: low.0,
                        high_mean: high.0,
                        low_prob_beats: low.1,
                        high_prob_beats: high.1,
                    })
                })
                .collect();
            path_rows.sort_by(|a, b| {
                b.importance
                    .total_cmp(&a.importance)
                    .then_with(|| a.input.cmp(&b.input))
            });
            rows.extend(path_rows);
        }
        rows
    }
}

/// The bin of `x`: the number of edges at or below it, by a binary search of five steps
/// without branches (a branching search mispredicts half its branches). NaN falls in bin 0.
#[inline]
fn bin_of(e: &Edges, x: f64) -> u16 {
    let mut i = 0;
    for step in [16, 8, 4, 2, 1] {
        i += usize::from(e[i + step - 1] <= x) * step;
    }
    i.min(BINS - 1) as u16
}

/// The groups of the low and of the high swing, as ranges of `g`.
///
/// A continuous input: its lowest and highest tenth of probability (two bins of twenty); when
/// those bins are empty because a value of positive probability sits above them (the lower
/// of two durations, chosen one time in three), the bins up to the first (from the last) that
/// holds trials. An event: when it does not and when it does happen. The role landed: the
/// category with the lowest and the one with the highest mean.
fn swing_groups(
    what: What,
    g: &[Group],
    seen: &[usize],
) -> (std::ops::Range<usize>, std::ops::Range<usize>) {
    let (first, last) = (seen[0], seen[seen.len() - 1]);
    match what {
        What::Value(_) => (
            0..(TENTH - 1).max(first) + 1,
            (BINS - TENTH).min(last)..BINS,
        ),
        What::Event(Event::Role) => {
            let by_mean = |a: &&usize, b: &&usize| g[**a].mean().total_cmp(&g[**b].mean());
            let lo = *seen.iter().min_by(by_mean).unwrap_or(&first);
            let hi = *seen.iter().max_by(by_mean).unwrap_or(&last);
            (lo..lo + 1, hi..hi + 1)
        }
        What::Event(_) => (0..1, 1..2),
    }
}

/// The mean net return and the share that beats the baseline of some groups together.
fn pool(groups: &[Group]) -> (f64, f64) {
    let mut all = Group::default();
    for g in groups {
        all.merge(g);
    }
    if all.n == 0 {
        (f64::NAN, f64::NAN)
    } else {
        (all.mean(), all.beats as f64 / all.n as f64)
    }
}

impl Codec for SensAcc {
    fn encode(&self, w: &mut Writer) {
        w.usize(self.paths.len());
        for p in &self.paths {
            w.usize(p.path);
            p.total.encode(w);
            w.usize(p.offsets.len());
            for &o in &p.offsets {
                w.usize(o);
            }
            for g in &p.groups {
                w.u64(g.n);
                w.u64(g.beats);
                w.i128(g.sum);
            }
        }
    }

    /// Counts without a layout: they merge and summarize, but take no trial.
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let n = r.count()?;
        let paths = (0..n)
            .map(|_| {
                let path = r.usize(1 << 16)?;
                let total = Moments::decode(r)?;
                let k = r.count()?;
                let offsets = (0..k)
                    .map(|_| r.usize(1 << 24))
                    .collect::<Result<Vec<usize>, _>>()?;
                if offsets.first() != Some(&0) || offsets.windows(2).any(|w| w[0] > w[1]) {
                    return Err(r.invalid("sensitivity groups out of order"));
                }
                // Grown as the bytes come: a damaged length cannot make it allocate more.
                let mut groups = Vec::new();
                for _ in 0..offsets.last().copied().unwrap_or(0) {
                    groups.push(Group {
                        n: r.u64()?,
                        beats: r.u64()?,
                        sum: r.i128()?,
                    });
                }
                Ok(PathSens {
                    path,
                    total,
                    offsets,
                    groups,
                })
            })
            .collect::<Result<_, DecodeError>>()?;
        Ok(SensAcc {
            layout: None,
            paths,
        })
    }
}

/// One candidate of one path: a row of `sensitivity.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SensitivityRow {
    /// Key of the path.
    pub path: String,
    /// Key of the candidate (`paths.bootcamp.placement`, `factors.ability`, `placed`).
    pub input: String,
    /// For people ("Tuition per year").
    pub label: String,
    /// Input, factor or event.
    pub kind: Kind,
    /// Share of the variance of the net return it explains alone, in [0, 1].
    pub importance: f64,
    /// Mean net return with the candidate in its lowest tenth (an event: when it does not
    /// happen).
    pub low_mean: f64,
    /// Mean net return with the candidate in its highest tenth (an event: when it happens).
    pub high_mean: f64,
    /// Share beating the baseline with the candidate in its lowest tenth.
    pub low_prob_beats: f64,
    /// Share beating the baseline with the candidate in its highest tenth.
    pub high_prob_beats: f64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::rng::{Gen, trial_key};
    use crate::model::{Scratch, run_trial};

    #[test]
    fn a_bin_counts_the_edges_at_or_below() {
        let mut e = [f64::INFINITY; 32];
        for (k, x) in e.iter_mut().take(BINS - 1).enumerate() {
            *x = (k + 1) as f64;
        }
        assert_eq!(bin_of(&e, 0.5), 0);
        assert_eq!(bin_of(&e, 1.0), 1);
        assert_eq!(bin_of(&e, 7.2), 7);
        assert_eq!(bin_of(&e, 19.0), 19);
        assert_eq!(bin_of(&e, 1e300), 19);
        assert_eq!(bin_of(&e, f64::INFINITY), 19, "clamped to the last bin");
        assert_eq!(bin_of(&e, f64::NAN), 0);
        // Equal edges (a value of positive probability) keep its trials in one bin.
        let mut e = [f64::INFINITY; 32];
        e[..BINS - 1].fill(16.0);
        e[6..BINS - 1].fill(24.0);
        assert_eq!((bin_of(&e, 16.0), bin_of(&e, 24.0)), (6, 19));
    }

    #[test]
    fn swings_of_a_value_of_positive_probability_take_its_group() {
        let g = vec![Group::default(); BINS];
        // Trials in bins 6 and 19 only: the low swing reaches up to bin 6.
        let (low, high) = swing_groups(What::Value(0), &g, &[6, 19]);
        assert_eq!((low, high), (0..7, 18..20));
        // A continuous input: the two bins of each tenth.
        let all: Vec<usize> = (0..BINS).collect();
        assert_eq!(swing_groups(What::Value(0), &g, &all), (0..2, 18..20));
        assert_eq!(
            swing_groups(What::Event(Event::Placed), &g[..2], &[0, 1]),
            (0..1, 1..2)
        );
    }

    #[test]
    fn a_group_mean_is_exact_and_merging_is_exact() {
        let mut a = Group::default();
        for y in [-1.5, 0.25, 2.0, 3.25] {
            a.add(round_to_int(y * SCALE), u64::from(y > 0.0));
        }
        assert_eq!((a.n, a.beats, a.mean()), (4, 3, 1.0));

        let s = crate::scenario::load_str(
            r#"
[person]
age = 30
retirement_age = 50
salary = { dist = "lognormal", median = 60_000, p90 = 80_000 }
[roles.r]
salary = { dist = "lognormal", median = 90_000, p90 = 130_000 }
[paths.stay]
baseline = true
[paths.a]
duration_months = 12
completion = { dist = "beta", mean = 0.7, sd = 0.1 }
roles = { r = 1 }
[paths.a.costs]
tuition_per_year = { dist = "uniform", min = 10_000, max = 30_000 }
"#,
            std::path::Path::new("m.toml"),
        )
        .unwrap();
        let m = Model::new(&s);
        let (mut scratch, mut out) = (Scratch::new(&m), TrialOutcome::new(&m));
        let outs: Vec<TrialOutcome> = (0..400)
            .map(|i| {
                run_trial::<Gen>(&m, trial_key(1, i), &mut scratch, &mut out);
                out.clone()
            })
            .collect();
        let of = |range: std::ops::Range<usize>| {
            let mut acc = SensAcc::new(&m);
            for o in &outs[range] {
                acc.push(o);
            }
            acc
        };
        let whole = of(0..400);
        for k in [0, 1, 137, 399, 400] {
            let mut ab = of(0..k);
            ab.merge(&of(k..400));
            assert_eq!(ab, whole, "split at {k}");
            let mut ba = of(k..400);
            ba.merge(&of(0..k));
            assert_eq!(ba.summarize(&m), whole.summarize(&m));
        }
        assert_ne!(of(1..400), whole);
        let rows = whole.summarize(&m);
        assert!(
            rows.iter()
                .any(|r| r.input == "paths.a.costs.tuition_per_year")
        );
        assert!(rows.windows(2).all(|w| w[0].importance >= w[1].importance));
    }
}
