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
//! That sum over `sum (y - mean)^2` would have two small biases. Noise in the group means adds
//! about `(K - 1) / N` times the unexplained share (`K` groups, `N` trials): it is estimated
//! from the spread within the groups and taken out. Binning a continuous input misses the
//! variation of `E[Y | X]` inside a bin: with 100 bins, a relative 0.01% for a linear effect
//! of a uniform input, 0.23% for a normal one and 1.4% for a lognormal with p90 1.9 times its
//! median, whose top bin is wide (documented).

use std::sync::Arc;

use serde::Serialize;

use super::codec::{Codec, DecodeError, Reader, Writer};
use super::moments::{Moments, fixed_mean, to_fixed};
use crate::model::candidates::{Candidates, Event, Kind, What};
use crate::model::{Model, TrialOutcome};

/// Equal-probability bins of a continuous candidate. Enough that the variation of `E[Y | X]`
/// inside a bin is small even for a skewed input, whose top bin is the widest (a lognormal
/// salary with p90 1.9 times its median reads 1.4% low, against 5.7% with 20 bins); the noise
/// that more bins add to the estimate is taken out in [`SensAcc::summarize`].
pub const BINS: usize = 100;
/// Bins in a block of the two-step count of [`bin_of`].
const BLOCK: usize = 10;
/// Blocks of bins.
const BLOCKS: usize = BINS / BLOCK;
/// A slot's inner edges in single precision, padded with +inf, and the last edge of each
/// block of [`BLOCK`] bins: a value's bin is the number of edges at or below it, counted in
/// two steps of a few vector instructions each and no branch (the blocks, then the edges of
/// its block). Rounding the edges and the value to single precision (a relative 6e-8,
/// monotone) moves a bin's probability by no more than that.
///
/// Most slots also have a [`Grid`], which finds the same count in one step.
#[derive(Debug, Clone)]
struct Edges {
    /// `fine[BLOCK * j + BLOCK - 1]` for each block `j`.
    blocks: [f32; BLOCKS],
    fine: [f32; BINS],
    grid: Option<Box<Grid>>,
}

impl Edges {
    /// From the inner edges, in increasing order (at most `BINS - 1` of them).
    fn new(inner: &[f64]) -> Self {
        let mut fine = [f32::INFINITY; BINS];
        for (p, &x) in fine.iter_mut().zip(inner) {
            *p = x as f32;
        }
        let blocks = std::array::from_fn(|j| fine[BLOCK * j + BLOCK - 1]);
        let grid = Grid::new(&fine).map(Box::new);
        Edges { blocks, fine, grid }
    }
}

/// Cells of a [`Grid`].
const CELLS: usize = 256;
/// Distinct edges a cell of a [`Grid`] may hold.
const PER_CELL: usize = 4;

/// A slot's edges (`fine` of [`Edges`], padding included) arranged so that the number at or
/// below a value takes one lookup and [`PER_CELL`] comparisons instead of two rounds of ten.
///
/// The distinct edges, `d`, are spread over [`CELLS`] equal cells between the lowest and the
/// highest finite one by [`cell`](Self::cell), a non-decreasing function of the value
/// (rounded subtraction, multiplication by a positive scale, clamping and truncation each
/// keep the order). So for a value `x` in cell `c`, every distinct edge of a lower cell is
/// below `x` and every one of a higher cell above it: the distinct edges at or below `x` are
/// those of the lower cells, `first[c]` of them, and those of cell `c` at or below `x`, found
/// by comparing `x` with `PER_CELL` distinct edges from `d[first[c]]` on (those past cell `c`
/// compare false). A slot whose edges crowd more than `PER_CELL` distinct values into a cell
/// (or are out of order) has no grid. The count is then `below[r]`, `r` distinct edges at or
/// below `x`: exactly the count of the two-step search, the same bin.
#[derive(Debug, Clone)]
struct Grid {
    lo: f32,
    scale: f32,
    /// For each cell, the distinct edges in the cells below it.
    first: [u8; CELLS],
    /// The distinct edges, increasing, then +inf, so that `PER_CELL` may be read from any
    /// cell's first (sized for any `u8`, so that the reads need no bounds check).
    d: [f32; 256 + PER_CELL],
    /// For `r` distinct edges at or below a value, the edges at or below it (at most
    /// `BINS - 1`, as [`bin_of`] clamps); sized for any `r` the lookup can form.
    below: [u8; 256 + PER_CELL],
}

impl Grid {
    /// The grid of `fine` (increasing, padded with +inf), or `None` when one cell would
    /// hold more than [`PER_CELL`] distinct edges or the edges are out of order or NaN.
    fn new(fine: &[f32; BINS]) -> Option<Self> {
        if !fine.windows(2).all(|w| w[0] <= w[1]) {
            return None;
        }
        let mut distinct: Vec<f32> = fine.to_vec();
        distinct.dedup();
        let finite = || distinct.iter().copied().filter(|x| x.is_finite());
        let (lo, hi) = (finite().next()?, finite().next_back()?);
        let scale = CELLS as f32 / (hi - lo);
        let mut g = Grid {
            lo,
            scale: if scale.is_finite() { scale } else { 0.0 },
            first: [0; CELLS],
            d: [f32::INFINITY; 256 + PER_CELL],
            below: [0; 256 + PER_CELL],
        };
        let mut in_cell = [0usize; CELLS];
        for (r, &x) in distinct.iter().enumerate() {
            g.d[r] = x;
            let c = g.cell(x);
            in_cell[c] += 1;
            if in_cell[c] > PER_CELL {
                return None;
            }
            // `r` distinct edges below `x`, `r + 1` at or below it.
            let at_or_below = fine.iter().filter(|&&e| e <= x).count();
            g.below[r + 1] = at_or_below.min(BINS - 1) as u8;
        }
        // Past the last distinct edge the count stays where it is.
        let all = g.below[distinct.len()];
        g.below[distinct.len() + 1..].fill(all);
        let mut seen = 0;
        for (c, f) in g.first.iter_mut().enumerate() {
            // At most BINS distinct edges.
            *f = seen as u8;
            seen += in_cell[c];
        }
        Some(g)
    }

    /// The cell of `x`, non-decreasing in `x`; NaN in cell 0 (where it compares below every
    /// edge, as it does with none).
    #[inline]
    fn cell(&self, x: f32) -> usize {
        const TOP: f32 = (CELLS - 1) as f32;
        let t = (x - self.lo) * self.scale;
        // Clamped to [0, TOP] (a NaN product, of x NaN or infinite with a scale of 0, to 0)
        // by comparisons that compile to one instruction each, where `max` and `min`, which
        // treat NaN apart, take several.
        let t = if t > 0.0 { t } else { 0.0 };
        let t = if t < TOP { t } else { TOP };
        // Rounded to an integer by adding 2^23, where the spacing of f32 is 1: the low bits
        // of the sum are the integer. Rounding keeps the order as truncation would, without
        // the checks of a saturating conversion.
        (t + 8_388_608.0).to_bits() as usize % CELLS
    }

    /// The number of edges at or below `x`, clamped to `BINS - 1`.
    #[inline]
    fn bin(&self, x: f32) -> u16 {
        let first = usize::from(self.first[self.cell(x)]);
        let near: &[f32; PER_CELL] = self.d[first..][..PER_CELL]
            .try_into()
            .expect("PER_CELL edges from a cell's first");
        u16::from(self.below[first + at_or_below(near, x)])
    }
}

/// Bins in the lowest (and in the highest) tenth.
const TENTH: usize = BINS / 10;

/// The trials of one group: how many did not beat the baseline and how many did, and the sum
/// of their net returns in the fixed point of [`to_fixed`]. 32 bytes, so that the groups of every
/// candidate stay in cache. Kept apart by whether they beat the baseline, a trial is counted
/// by one increment, where a count of trials and one of wins take two (which the compiler
/// makes five vector instructions); the counts are the same modulo 2^64, as the two sums
/// wrapped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Group {
    /// Trials that did not beat the baseline, then trials that did.
    by_beats: [u64; 2],
    sum: i128,
}

impl Group {
    /// A group of `n` trials of which `beats` beat the baseline, their sum `sum`.
    fn from_counts(n: u64, beats: u64, sum: i128) -> Self {
        Group {
            by_beats: [n.wrapping_sub(beats), beats],
            sum,
        }
    }

    #[inline]
    fn add(&mut self, fixed: i128, beats: bool) {
        self.by_beats[usize::from(beats)] += 1;
        self.sum = self.sum.wrapping_add(fixed);
    }

    fn merge(&mut self, o: &Self) {
        for (a, b) in self.by_beats.iter_mut().zip(o.by_beats) {
            *a = a.wrapping_add(b);
        }
        self.sum = self.sum.wrapping_add(o.sum);
    }

    /// Trials.
    fn n(&self) -> u64 {
        self.by_beats[0].wrapping_add(self.by_beats[1])
    }

    /// Trials that beat the baseline.
    fn beats(&self) -> u64 {
        self.by_beats[1]
    }

    /// Mean net return, exact to 2^-17 (as [`Moments::mean`]).
    fn mean(&self) -> f64 {
        if self.n() == 0 {
            return f64::NAN;
        }
        fixed_mean(self.sum, self.n())
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

/// Trials held in a [`Buffer`] before their groups are counted. A column is then 576 bytes,
/// 9 cache lines: not a power of two, so that the columns written by one trial do not all
/// fall in the same few sets of a set-associative cache.
const BUFFERED: usize = 288;

/// What pushing a trial needs besides the counts, all derived from the model: the bins and
/// where each candidate's group is. Statistics read from a shard's state have none: they are
/// only merged and summarized.
#[derive(Debug, Clone)]
struct Layout {
    /// Inner bin edges of each value slot, contiguous.
    edges: Arc<[Edges]>,
    /// Roles in the model: the role landed has one more category, none.
    roles: usize,
    /// For each path (as in [`SensAcc::paths`]) and candidate, the column of the buffer that
    /// holds its group in each trial (a slot's bin, or one of the path's [`EVENTS`]), and
    /// where its groups start.
    at: Vec<Vec<(u32, u32)>>,
}

/// Trials pushed but not yet counted, column by column: the group of every candidate of
/// every trial, and each path's net return (in fixed point) and whether it beat staying put.
///
/// Counting trial by trial would touch a cache line of a different candidate's groups at
/// each step, several hundred a trial, scattered over hundreds of kilobytes; counting a block
/// of trials one candidate at a time keeps that candidate's hundred groups in the fastest
/// cache. The order of the additions does not change their (integer) sums.
#[derive(Debug, Clone, Default)]
struct Buffer {
    /// Trials held.
    n: usize,
    /// Column-major: column `c` is `cols[c * BUFFERED..][..n]`. The columns are the slots'
    /// bins, then the four events of each path in turn.
    cols: Vec<u16>,
    /// Path-major net returns in fixed point.
    fixed: Vec<i128>,
    /// Path-major: whether the net return is above 0.
    beats: Vec<bool>,
}

/// The sensitivity analysis of one run, accumulated trial by trial and merged exactly.
#[derive(Debug, Clone)]
pub struct SensAcc {
    layout: Option<Layout>,
    buffer: Buffer,
    paths: Vec<PathSens>,
}

impl PartialEq for SensAcc {
    /// Equal when they hold the same counts, whether or not some are still buffered (the
    /// layout follows from the model).
    fn eq(&self, o: &Self) -> bool {
        self.counted().paths == o.counted().paths
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
        let edges: Arc<[Edges]> = cands.edges(m, BINS).iter().map(|e| Edges::new(e)).collect();
        let roles = m.roles.len();
        let slots = cands.sources.len();
        let mut at = Vec::new();
        let mut columns = slots;
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
                                    columns + EVENTS.iter().position(|x| *x == e).unwrap_or(0)
                                }
                            };
                            (at as u32, off as u32)
                        })
                        .collect(),
                );
                columns += EVENTS.len();
                PathSens {
                    path,
                    total: Moments::new(),
                    offsets,
                    groups: vec![Group::default(); n],
                }
            })
            .collect();
        let n_paths = at.len();
        SensAcc {
            layout: Some(Layout { edges, roles, at }),
            buffer: Buffer {
                n: 0,
                cols: vec![0; columns * BUFFERED],
                fixed: vec![0; n_paths * BUFFERED],
                beats: vec![false; n_paths * BUFFERED],
            },
            paths,
        }
    }

    /// Counts the trials of `buffer` (laid out by `layout`) into `paths`' groups, two
    /// candidates a pass (a trial's net return and win, read once for both; two candidates'
    /// groups still fit the fastest cache).
    fn count(paths: &mut [PathSens], layout: &Layout, buffer: &Buffer) {
        let n = buffer.n;
        let col = |c: u32| &buffer.cols[c as usize * BUFFERED..][..n];
        for (p, (ps, at)) in paths.iter_mut().zip(&layout.at).enumerate() {
            let fixed = &buffer.fixed[p * BUFFERED..][..n];
            let beats = &buffer.beats[p * BUFFERED..][..n];
            let mut rest = &at[..];
            while let [(c0, o0), (c1, o1), tail @ ..] = rest {
                // A candidate's groups start after the previous one's.
                let (low, high) = ps.groups.split_at_mut(*o1 as usize);
                let groups = [&mut low[*o0 as usize..], high];
                tally(groups, [col(*c0), col(*c1)], fixed, beats);
                rest = tail;
            }
            if let [(c, o)] = rest {
                tally([&mut ps.groups[*o as usize..]], [col(*c)], fixed, beats);
            }
        }
    }

    /// Counts the buffered trials.
    fn flush(&mut self) {
        if let Some(l) = &self.layout
            && self.buffer.n > 0
        {
            Self::count(&mut self.paths, l, &self.buffer);
            self.buffer.n = 0;
        }
    }

    /// These statistics with every buffered trial counted.
    fn counted(&self) -> std::borrow::Cow<'_, Self> {
        if self.buffer.n == 0 {
            std::borrow::Cow::Borrowed(self)
        } else {
            let mut c = self.clone();
            c.flush();
            std::borrow::Cow::Owned(c)
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
        let Some(l) = &self.layout else {
            debug_assert!(false, "pushing a trial to statistics read from a state");
            return;
        };
        let slots = l.edges.len();
        if out.cand.len() != slots {
            debug_assert!(false, "a trial outcome without the candidates' values");
            return;
        }
        let b = &mut self.buffer;
        let t = b.n;
        for (slot, (e, &x)) in l.edges.iter().zip(&out.cand).enumerate() {
            b.cols[slot * BUFFERED + t] = bin_of(e, x);
        }
        let none = l.roles;
        for (p, ps) in self.paths.iter_mut().enumerate() {
            let o = &out.paths[ps.path];
            let events = [
                u16::from(o.completed),
                u16::from(o.placed),
                u16::from(o.promoted),
                // A model has far fewer than 65,535 roles.
                o.role.unwrap_or(none) as u16,
            ];
            for (e, v) in events.into_iter().enumerate() {
                b.cols[(slots + p * EVENTS.len() + e) * BUFFERED + t] = v;
            }
            let y = o.net_return;
            ps.total.push(y);
            // Rounded as Moments rounds its sum.
            b.fixed[p * BUFFERED + t] = to_fixed(y);
            b.beats[p * BUFFERED + t] = y > 0.0;
        }
        b.n += 1;
        if b.n == BUFFERED {
            self.flush();
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
        self.flush();
        if let Some(l) = &o.layout
            && o.buffer.n > 0
        {
            Self::count(&mut self.paths, l, &o.buffer);
        }
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
    /// path whose net return never varies. An importance is the spread of the group means
    /// less what noise adds to it ([`noise`]), over the total: about 0 for a candidate that
    /// explains nothing, whatever the number of trials.
    pub fn summarize(&self, m: &Model) -> Vec<SensitivityRow> {
        let cands = Candidates::new(m);
        let mut rows = Vec::new();
        for ps in &self.counted().paths {
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
                    let seen: Vec<usize> = (0..g.len()).filter(|&k| g[k].n() > 0).collect();
                    if seen.len() < 2 {
                        return None;
                    }
                    // A continuous input's importance is read from as many bins as its lives
                    // fill well: runs of adjacent fine bins, still of equal probability.
                    let coarse: Vec<Group>;
                    let g_imp = match c.what {
                        What::Value(_) => {
                            coarse = g.chunks(BINS / bins_for(n)).map(pool_group).collect();
                            &coarse[..]
                        }
                        What::Event(_) => g,
                    };
                    let filled = g_imp.iter().filter(|x| x.n() > 0);
                    let between: f64 = filled
                        .clone()
                        .map(|x| {
                            let d = x.mean() - mean;
                            x.n() as f64 * d * d
                        })
                        .sum();
                    let between = between - noise(between, ss, n, filled.count());
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

/// Counts each trial (its net return in `fixed`, its win in `beats`) in the group its
/// column of `cols` names, in `groups`, for `C` candidates at once.
#[inline]
fn tally<const C: usize>(
    mut groups: [&mut [Group]; C],
    cols: [&[u16]; C],
    fixed: &[i128],
    beats: &[bool],
) {
    let n = fixed.len().min(beats.len());
    assert!(cols.iter().all(|c| c.len() >= n), "a column per candidate");
    for (t, (&f, &b)) in fixed.iter().zip(beats).enumerate() {
        for (g, col) in groups.iter_mut().zip(&cols) {
            g[usize::from(col[t])].add(f, b);
        }
    }
}

/// The bin of `x`: the number of edges at or below it (a branching search would mispredict
/// half its branches). NaN falls in bin 0, +inf in the last.
///
/// The edges are in increasing order, so the blocks whose last edge is at or below `x` are
/// whole blocks of edges at or below it, and the rest of the count is in the next block.
#[inline]
fn bin_of(e: &Edges, x: f64) -> u16 {
    let x = x as f32;
    if let Some(g) = &e.grid {
        return g.bin(x);
    }
    // +inf passes every block's last edge, the padding's included.
    let block = at_or_below(&e.blocks, x).min(BLOCKS - 1);
    let fine: &[f32; BLOCK] = e.fine[BLOCK * block..][..BLOCK]
        .try_into()
        .expect("BLOCK edges from a block's first");
    let n = BLOCK * block + at_or_below(fine, x);
    // A model has far fewer than 65,535 bins.
    n.min(BINS - 1) as u16
}

/// How many of `edges` are at or below `x`: over a fixed number of them, which the compiler
/// unrolls into a few vector instructions.
#[inline]
fn at_or_below<const N: usize>(edges: &[f32; N], x: f32) -> usize {
    edges.iter().map(|&edge| usize::from(edge <= x)).sum()
}

/// What noise adds, on average, to the spread of `k` group means over `n` trials
/// (`between`, of a total `ss`): each group's mean is off by its own noise, and the `k`
/// means together add `k - 1` times the variance of one trial within its group, estimated
/// from the spread left within the groups (`ss - between` over `n - k` degrees of freedom).
/// Without it, a candidate that explains nothing would read about `(k - 1) / n` (0.5% with
/// 100 bins at 20,000 trials).
fn noise(between: f64, ss: f64, n: u64, k: usize) -> f64 {
    let k = k as u64;
    if n <= k {
        return 0.0;
    }
    (k - 1) as f64 * (ss - between).max(0.0) / (n - k) as f64
}

/// The groups of the low and of the high swing, as ranges of `g`.
///
/// A continuous input: its lowest and highest tenth of probability (ten bins of a hundred); when
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

/// Bins a continuous candidate's importance is read from, with `n` lives: about
/// [`LIVES_PER_BIN`] lives in each or more, from 10 (the fewest the model allows) up to
/// [`BINS`], and dividing it, so that each is a run of whole fine bins. Fewer lives in more
/// bins would leave the group means too noisy for the correction of [`noise`] to be more than
/// right on average (at 200 lives, 100 bins of two lives each).
fn bins_for(n: u64) -> usize {
    [100, 50, 25, 20]
        .into_iter()
        .find(|&k| n >= k as u64 * LIVES_PER_BIN)
        .unwrap_or(10)
}

/// Lives a bin should hold for its mean to count (see [`bins_for`]).
const LIVES_PER_BIN: u64 = 200;

/// Some groups as one.
fn pool_group(groups: &[Group]) -> Group {
    let mut all = Group::default();
    for g in groups {
        all.merge(g);
    }
    all
}

/// The mean net return and the share that beats the baseline of some groups together.
fn pool(groups: &[Group]) -> (f64, f64) {
    let all = pool_group(groups);
    if all.n() == 0 {
        (f64::NAN, f64::NAN)
    } else {
        (all.mean(), all.beats() as f64 / all.n() as f64)
    }
}

impl Codec for SensAcc {
    fn encode(&self, w: &mut Writer) {
        let counted = self.counted();
        w.usize(counted.paths.len());
        for p in &counted.paths {
            w.usize(p.path);
            p.total.encode(w);
            w.usize(p.offsets.len());
            for &o in &p.offsets {
                w.usize(o);
            }
            for g in &p.groups {
                w.u64(g.n());
                w.u64(g.beats());
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
                    let (n, beats) = (r.u64()?, r.u64()?);
                    groups.push(Group::from_counts(n, beats, r.i128()?));
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
            buffer: Buffer::default(),
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
    use crate::dist::special::normal_quantile;
    use crate::model::rng::{Gen, trial_key};
    use crate::model::{Scratch, run_trial};

    #[test]
    fn a_bin_counts_the_edges_at_or_below() {
        let inner: Vec<f64> = (1..BINS).map(|k| k as f64).collect();
        let e = Edges::new(&inner);
        assert_eq!(bin_of(&e, 0.5), 0);
        assert_eq!(bin_of(&e, 1.0), 1);
        assert_eq!(bin_of(&e, 7.2), 7);
        assert_eq!(bin_of(&e, 10.0), 10, "the first edge of a block");
        assert_eq!(bin_of(&e, 9.99), 9, "the last bin of a block");
        assert_eq!(bin_of(&e, 57.5), 57);
        assert_eq!(bin_of(&e, 99.0), 99);
        assert_eq!(bin_of(&e, 1e300), 99);
        assert_eq!(bin_of(&e, f64::INFINITY), 99, "clamped to the last bin");
        assert_eq!(bin_of(&e, f64::NAN), 0);
        // Equal edges (a value of positive probability) keep its trials in one bin.
        let mut inner = vec![16.0; BINS - 1];
        inner[36..].fill(24.0);
        let e = Edges::new(&inner);
        assert_eq!((bin_of(&e, 16.0), bin_of(&e, 24.0)), (36, 99));
        assert_eq!((bin_of(&e, 15.0), bin_of(&e, 20.0)), (0, 36));
    }

    /// The count (a grid's or the two-step one) is the plain count of the edges at or below,
    /// for edges with ties and values on, between and beyond them.
    #[test]
    fn a_bin_is_the_plain_count_of_the_edges() {
        let mut state = 7u64;
        let mut next = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            (state >> 40) as f64 / (1u64 << 24) as f64
        };
        let mut grids = 0;
        for round in 0..300 {
            // Edges on a coarse grid (many equal), spread evenly, or spread over 40 powers
            // of two (too crowded at the low end for a grid: the two-step count).
            let shape = |u: f64| match round % 3 {
                0 => (u * 40.0).floor(),
                1 => u * 40.0,
                _ => (u * 40.0).exp2(),
            };
            let mut inner: Vec<f64> = (0..BINS - 1).map(|_| shape(next())).collect();
            inner.sort_by(f64::total_cmp);
            let e = Edges::new(&inner);
            grids += usize::from(e.grid.is_some());
            for k in 0..53 {
                // On the edges and between them, below and above them, then NaN and the
                // infinities.
                let u = next() * 1.1 - 0.05;
                let x = match k {
                    50 => f64::NAN,
                    51 => f64::INFINITY,
                    52 => f64::NEG_INFINITY,
                    _ if k % 2 == 0 => shape(u),
                    _ => u * 40.0,
                };
                let plain = inner
                    .iter()
                    .filter(|&&edge| edge as f32 <= x as f32)
                    .count();
                assert_eq!(
                    usize::from(bin_of(&e, x)),
                    plain.min(BINS - 1),
                    "{x} in {inner:?}"
                );
            }
        }
        assert!((150..250).contains(&grids), "{grids} of 300 with a grid");
    }

    #[test]
    fn swings_of_a_value_of_positive_probability_take_its_group() {
        let g = vec![Group::default(); BINS];
        // Trials in bins 36 and 99 only: the low swing reaches up to bin 36.
        let (low, high) = swing_groups(What::Value(0), &g, &[36, 99]);
        assert_eq!((low, high), (0..37, BINS - TENTH..BINS));
        // A continuous input: the bins of each tenth.
        let all: Vec<usize> = (0..BINS).collect();
        assert_eq!(
            swing_groups(What::Value(0), &g, &all),
            (0..TENTH, BINS - TENTH..BINS)
        );
        assert_eq!(
            swing_groups(What::Event(Event::Placed), &g[..2], &[0, 1]),
            (0..1, 1..2)
        );
    }

    /// Bins of about 200 lives or more, from 10 to 100, each a run of whole fine bins.
    #[test]
    fn few_lives_are_read_from_fewer_bins() {
        for (n, k) in [
            (0, 10),
            (3_999, 10),
            (4_000, 20),
            (5_000, 25),
            (10_000, 50),
            (20_000, 100),
            (10_000_000, 100),
        ] {
            assert_eq!(bins_for(n), k, "{n}");
            assert_eq!(BINS % k, 0);
        }
    }

    /// Noise alone: `k` groups of `n / k` trials of a standard normal, the group means apart
    /// only by chance, explain about `(k - 1) / n` before the correction and about 0 after.
    #[test]
    fn the_noise_of_the_group_means_is_taken_out() {
        assert_eq!(
            noise(5.0, 5.0, 100, 10),
            0.0,
            "nothing left within the groups"
        );
        assert_eq!(noise(0.0, 9.0, 10, 10), 0.0, "a trial per group");
        // 91 of 100 left within 10 groups: 9 * 91 / 90.
        assert!((noise(9.0, 100.0, 100, 10) - 9.1).abs() < 1e-12);
        let mut state = 11u64;
        let mut uniform = || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            ((state >> 11) as f64 + 0.5) / (1u64 << 53) as f64
        };
        let (k, per) = (BINS, 200);
        let (mut raw, mut corrected) = (0.0, 0.0);
        let rounds = 20;
        for _ in 0..rounds {
            let groups: Vec<Vec<f64>> = (0..k)
                .map(|_| (0..per).map(|_| normal_quantile(uniform())).collect())
                .collect();
            let n = (k * per) as u64;
            let all: f64 = groups.iter().flatten().sum::<f64>() / n as f64;
            let ss: f64 = groups.iter().flatten().map(|y| (y - all).powi(2)).sum();
            let between: f64 = groups
                .iter()
                .map(|g| per as f64 * (g.iter().sum::<f64>() / per as f64 - all).powi(2))
                .sum();
            raw += between / ss / f64::from(rounds);
            corrected += (between - noise(between, ss, n, k)) / ss / f64::from(rounds);
        }
        // (k - 1) / n = 99 / 20,000 = 0.00495; the average of 20 rounds is within 0.0004.
        assert!((raw - 0.00495).abs() < 0.0004, "{raw}");
        assert!(corrected.abs() < 0.0004, "{corrected}");
    }

    #[test]
    fn a_group_mean_is_exact_and_merging_is_exact() {
        let mut a = Group::default();
        for y in [-1.5, 0.25, 2.0, 3.25] {
            a.add(to_fixed(y), y > 0.0);
        }
        assert_eq!((a.n(), a.beats(), a.mean()), (4, 3, 1.0));
        assert_eq!(Group::from_counts(a.n(), a.beats(), a.sum), a);

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
