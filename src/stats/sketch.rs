//! A quantile sketch in the style of DDSketch, with a cheap logarithmic bin mapping read
//! straight from the bits of an `f64`.
//!
//! Memory must not grow with the number of trials, so quantiles, histograms and CDFs are read
//! from counts per bin instead of from the values. The bins have a fixed layout (it depends
//! only on the bins per octave), so two sketches merge by adding their counts: the merged
//! sketch is bit-identical whatever the order or grouping of pushes and merges.
//!
//! # Bins and error bound
//!
//! With `K` bins per octave (a power of two), a value with `|x| >= 1` is written
//! `|x| = m * 2^e` with `m` in `[1, 2)`, and falls in bin `e * K + floor((m - 1) * K)`
//! (for positive and negative values separately). That bin's range of `|x|` is
//! `[L, U) = [2^e (1 + a/K), 2^e (1 + (a+1)/K))` with `a = floor((m - 1) * K)`: its width
//! `U - L = 2^e / K` and `(U - L) / L = 1 / (K + a) <= 1/K`. The bin is reported by its
//! midpoint `(L + U) / 2`, which is within `(U - L) / 2 <= L / (2K) <= |x| / (2K)` of every
//! value in it: **relative error at most `1 / (2K)`** (0.098% for K = 512, 0.39% for K = 128).
//!
//! Values with `|x| < 1` go to a single "zero" bin, reported as `(-1, 1)` with representative
//! 0: absolute error below 1 (one dollar, for money). So for every value,
//! `|representative - x| <= relative_error() * |x| + 1`.
//!
//! The bin index is the top bits of the `f64` itself — `(bits(|x|) - bits(1.0)) >> (52 -
//! log2 K)` — so a push is a subtraction, a shift and an increment.
//!
//! # Memory
//!
//! Each sign has a dense `Vec<u32>` of counts spanning the bins seen so far (grown on
//! demand, geometrically; moved to 64-bit counts before any could overflow), so a sketch
//! costs about `4 * K` bytes per octave of `|x|` spanned per sign: values from 1 to 1e7
//! dollars span 24 octaves, 48 KB at K = 512 or 12 KB at K = 128.

use std::cmp::Ordering;

/// Bits of `1.0_f64`: the smallest `|x|` that is not in the zero bin.
const ONE_BITS: u64 = 0x3FF0_0000_0000_0000;
/// Bits of `f64::INFINITY`: anything at or above (in absolute value) is not finite.
const INF_BITS: u64 = 0x7FF0_0000_0000_0000;
/// Clears the sign bit.
const ABS_MASK: u64 = !(1 << 63);
/// Largest supported `log2(K)`: 2^16 bins per octave is already far finer than useful.
const MAX_LOG2_K: u32 = 16;
/// Smallest number of bins a store allocates or grows by.
const MIN_GROWTH: usize = 64;

/// Dense counts of one sign's bins: bin `offset + i` holds `counts[i] + spilled[i]`.
///
/// The counts a run adds go to 32-bit `counts`, half the memory of 64-bit ones: a run
/// sweeps every sketch's bins at each flush of its pending values, and at a few megabytes
/// those bins do not stay in cache, so their size is the time. Before any 32-bit count
/// could overflow (after `u32::MAX` additions since the last spill, whatever their bins),
/// the counts move to the 64-bit `spilled`, allocated only then: in practice only a merge of
/// billions of trials does.
///
/// The layout (offset, length, capacity) depends on the history of pushes; only the
/// non-zero totals are meaningful, and equality compares only those.
#[derive(Debug, Clone, Default)]
struct Store {
    counts: Vec<u32>,
    offset: usize,
    /// Counts moved out of `counts`, same layout (empty until the first spill).
    spilled: Vec<u64>,
    /// Additions to `counts` since the last spill: a bound on each of its counts.
    hot: u64,
}

/// Grows `v` (covering bins `old_lo..old_lo + v.len()`) to cover `new_lo..new_hi`, zeros
/// in the new bins.
fn regrow<T: Copy + Default>(v: &mut Vec<T>, old_lo: usize, new_lo: usize, new_hi: usize) {
    if new_lo < old_lo {
        let mut grown = Vec::with_capacity(new_hi - new_lo);
        grown.resize(old_lo - new_lo, T::default());
        grown.extend_from_slice(v);
        grown.resize(new_hi - new_lo, T::default());
        *v = grown;
    } else {
        v.resize(new_hi - new_lo, T::default());
    }
}

impl Store {
    /// Makes room for `n` more additions to the 32-bit counts, spilling them if needed.
    #[inline]
    fn reserve(&mut self, n: u64) {
        if self.hot.saturating_add(n) > u64::from(u32::MAX) {
            self.spill();
        }
        self.hot += n;
    }

    /// Moves the 32-bit counts to the 64-bit ones.
    #[cold]
    #[inline(never)]
    fn spill(&mut self) {
        if self.spilled.len() != self.counts.len() {
            self.spilled = vec![0; self.counts.len()];
        }
        for (s, c) in self.spilled.iter_mut().zip(&mut self.counts) {
            *s = s.wrapping_add(u64::from(*c));
            *c = 0;
        }
        self.hot = 0;
    }

    /// Adds `n` to bin `idx` (`idx < limit`), growing the store if needed.
    #[inline]
    fn add(&mut self, idx: usize, n: u64, limit: usize) {
        if n > u64::from(u32::MAX) {
            self.grow_to(idx, idx + 1, limit);
            self.spill();
            let c = &mut self.spilled[idx - self.offset];
            *c = c.wrapping_add(n);
            return;
        }
        self.reserve(n);
        self.add_reserved(idx, n as u32, limit);
    }

    /// Adds `n` to bin `idx` once [`reserve`](Self::reserve) made room for it.
    #[inline]
    fn add_reserved(&mut self, idx: usize, n: u32, limit: usize) {
        let i = idx.wrapping_sub(self.offset);
        if let Some(c) = self.counts.get_mut(i) {
            *c += n;
        } else {
            self.grow_to(idx, idx + 1, limit);
            self.counts[idx - self.offset] += n;
        }
    }

    /// Grows the store to cover bins `lo..hi` (`hi <= limit`), by at least half its length
    /// on the side it grows, so repeated growth is amortized O(1) per bin.
    #[cold]
    #[inline(never)]
    fn grow_to(&mut self, lo: usize, hi: usize, limit: usize) {
        debug_assert!(lo < hi && hi <= limit);
        let len = self.counts.len();
        let extra = (len / 2).max(MIN_GROWTH);
        if len == 0 {
            let new_lo = lo.saturating_sub(extra / 2);
            let new_hi = hi.saturating_add(extra / 2).min(limit);
            self.offset = new_lo;
            self.counts = vec![0; new_hi - new_lo];
            self.spilled = Vec::new();
            return;
        }
        let (old_lo, old_hi) = (self.offset, self.offset + len);
        let new_lo = if lo < old_lo {
            lo.saturating_sub(extra)
        } else {
            old_lo
        };
        let new_hi = if hi > old_hi {
            hi.saturating_add(extra).min(limit)
        } else {
            old_hi
        };
        regrow(&mut self.counts, old_lo, new_lo, new_hi);
        if !self.spilled.is_empty() {
            regrow(&mut self.spilled, old_lo, new_lo, new_hi);
        }
        self.offset = new_lo;
    }

    /// The count of bin `offset + i`.
    #[inline]
    fn total(&self, i: usize) -> u64 {
        u64::from(self.counts[i]) + self.spilled.get(i).copied().unwrap_or(0)
    }

    /// The non-zero part: the index of its first bin and its counts (empty if none).
    fn trimmed(&self) -> (usize, Vec<u64>) {
        let n = self.counts.len();
        let first = (0..n).position(|i| self.total(i) != 0);
        let last = (0..n).rposition(|i| self.total(i) != 0);
        match (first, last) {
            (Some(f), Some(l)) => (self.offset + f, (f..=l).map(|i| self.total(i)).collect()),
            _ => (0, Vec::new()),
        }
    }

    /// A store holding `counts` from bin `first` on.
    fn from_counts(first: usize, counts: Vec<u64>) -> Self {
        let mut s = Store::default();
        if counts.is_empty() {
            return s;
        }
        s.offset = first;
        let sum = counts.iter().fold(0u64, |a, &c| a.saturating_add(c));
        if sum <= u64::from(u32::MAX) {
            s.hot = sum;
            s.counts = counts.iter().map(|&c| c as u32).collect();
        } else {
            s.counts = vec![0; counts.len()];
            s.spilled = counts;
        }
        s
    }

    /// Adds every count of `other` (same bin layout).
    fn merge(&mut self, other: &Store, limit: usize) {
        let (lo, counts) = other.trimmed();
        if counts.is_empty() {
            return;
        }
        let hi = lo + counts.len();
        if self.counts.is_empty() || lo < self.offset || hi > self.offset + self.counts.len() {
            self.grow_to(lo, hi, limit);
        }
        let start = lo - self.offset;
        let sum = counts.iter().fold(0u64, |a, &c| a.saturating_add(c));
        if self.hot.saturating_add(sum) <= u64::from(u32::MAX) {
            self.hot += sum;
            for (c, &o) in self.counts[start..].iter_mut().zip(&counts) {
                *c += o as u32;
            }
        } else {
            self.spill();
            for (c, &o) in self.spilled[start..].iter_mut().zip(&counts) {
                *c = c.wrapping_add(o);
            }
        }
    }

    /// Non-empty bins as (bin index, count), by increasing index.
    fn nonzero(&self) -> impl DoubleEndedIterator<Item = (usize, u64)> + '_ {
        let offset = self.offset;
        (0..self.counts.len())
            .map(move |i| (offset + i, self.total(i)))
            .filter(|&(_, c)| c != 0)
    }
}

impl PartialEq for Store {
    /// Equal when the non-zero counts are equal bin by bin, whatever the layout.
    fn eq(&self, other: &Self) -> bool {
        self.trimmed() == other.trimmed()
    }
}

/// Values per block of [`Sketch::push_all`]: the bins found, as `sign << 31 | index`, fit
/// on the stack.
const BLOCK: usize = 256;

/// What [`Sketch::push_all`] keeps in registers while it runs: the extremes and the counts
/// so far, and the sketch's bin mapping.
struct Run {
    min: f64,
    max: f64,
    counted: u64,
    zero: u64,
    /// `52 - log2(K)`: a value's bin is its key shifted right by this much.
    shift: u32,
    limit: usize,
}

// `|x| - 1` (as bits) is at or above `2^62` exactly when `|x| < 1` (it wraps around) or x is
// not finite: a block has such a value when the OR of its keys has one of the top two bits.
const _: () = assert!(INF_BITS - ONE_BITS == 1 << 62);

impl Run {
    /// The bin of every value of `block` into `bins` (as `sign << 31 | index`), with the
    /// extremes; `false` (the figures unchanged) when some value is in the zero bin or not
    /// finite, for [`rare_block`](Self::rare_block). Without a branch: the keys are gathered
    /// by OR and checked once, and the extremes found in a loop of their own.
    #[inline(always)]
    fn block_bins(&mut self, block: &[f64], bins: &mut [u32]) -> bool {
        let mut keys = 0u64;
        for (b, &x) in bins.iter_mut().zip(block) {
            let bits = x.to_bits();
            let key = (bits & ABS_MASK).wrapping_sub(ONE_BITS);
            keys |= key;
            *b = ((bits >> 63) as u32) << 31 | (key >> self.shift) as u32;
        }
        if keys >> 62 != 0 {
            return false;
        }
        // Each written so that it compiles to one instruction reading x from memory
        // (x86-64's `minsd` keeps its register when that is the smaller, else takes x), and
        // in a loop of its own (in one loop the compiler pairs them in a vector and selects
        // by mask, five times the instructions). A finite x with |x| >= 1 is never a zero
        // nor NaN, so these order it as `total_cmp` does, and an x equal to the extreme is
        // the same number.
        let mut min = self.min;
        for &x in block {
            min = if min < x { min } else { x };
        }
        let mut max = self.max;
        for &x in block {
            max = if max > x { max } else { x };
        }
        self.min = min;
        self.max = max;
        self.counted += block.len() as u64;
        true
    }

    /// [`block_bins`](Self::block_bins) value by value, for a block with a value in the zero
    /// bin or a non-finite one: the zero bin counted here, the other values' bins into the
    /// first of `bins`, whose number it returns.
    #[inline(never)]
    fn rare_block(&mut self, block: &[f64], bins: &mut [u32]) -> usize {
        let (mut min, mut max) = (self.min, self.max);
        let mut n = 0;
        for &x in block {
            let bits = x.to_bits();
            let abs = bits & ABS_MASK;
            if abs.wrapping_sub(ONE_BITS) >= INF_BITS - ONE_BITS {
                // |x| < 1, or not finite (ignored, as `push` does).
                if x.is_finite() {
                    self.zero += 1;
                    self.counted += 1;
                    if x.total_cmp(&min).is_lt() {
                        min = x;
                    }
                    if x.total_cmp(&max).is_gt() {
                        max = x;
                    }
                } else {
                    debug_assert!(false, "non-finite value pushed to a Sketch: {x}");
                }
                continue;
            }
            bins[n] = ((bits >> 63) as u32) << 31 | ((abs - ONE_BITS) >> self.shift) as u32;
            n += 1;
            if x < min {
                min = x;
            }
            if x > max {
                max = x;
            }
        }
        self.counted += n as u64;
        self.min = min;
        self.max = max;
        n
    }
}

/// Adds one to the bin of each of `bins` (`sign << 31 | index`) in `stores`, which
/// [`Store::reserve`] made room for. Both stores' counts, and where they start, are held in
/// locals while no store grows, so that a bin's count is found from its sign without reading
/// the store again.
fn add_bins(stores: &mut [Store; 2], bins: &[u32], limit: usize) {
    let mut rest = bins;
    while let Some(k) = add_in_range(stores, rest) {
        let b = rest[k];
        let idx = (b & !(1 << 31)) as usize;
        stores[(b >> 31) as usize].add_reserved(idx, 1, limit);
        rest = &rest[k + 1..];
    }
}

/// Adds one to the bin of each of `bins` up to the first outside its store's range, whose
/// place in `bins` it returns (`None`: every bin was added).
#[inline(always)]
fn add_in_range(stores: &mut [Store; 2], bins: &[u32]) -> Option<usize> {
    let [pos, neg] = stores;
    // Where each store starts, the sign bit of `b` included: `b` less it is the place in the
    // store's counts, without clearing the sign bit first.
    let starts = [pos.offset, neg.offset.wrapping_add(1 << 31)];
    let mut counts = [&mut pos.counts[..], &mut neg.counts[..]];
    let mut add = |b: u32| {
        let sign = (b >> 31) as usize;
        let i = (b as usize).wrapping_sub(starts[sign]);
        counts[sign].get_mut(i).map(|c| *c += 1).is_some()
    };
    // Four a pass: one loop counter and test for all four.
    let quads = bins.chunks_exact(4);
    let last = quads.remainder();
    for (k, quad) in quads.enumerate() {
        for (j, &b) in quad.iter().enumerate() {
            if !add(b) {
                return Some(4 * k + j);
            }
        }
    }
    let done = bins.len() - last.len();
    last.iter().position(|&b| !add(b)).map(|j| done + j)
}

/// A mergeable quantile sketch with relative error at most `1 / (2K)` (plus an absolute
/// error below 1 for `|x| < 1`); see the [module docs](self) for the bins and the derivation.
///
/// Merging adds counts bin by bin, so the sketch is bit-identical whatever the order or
/// grouping of pushes and merges, and everything read from it (quantiles, bins, histogram,
/// CDF) depends only on the non-empty bins. Equality (`==`) compares exactly that, not the
/// internal layout.
///
/// Non-finite values are a caller bug: they trip a `debug_assert!` and are ignored (not
/// counted) in release builds.
#[derive(Debug, Clone)]
pub struct Sketch {
    /// log2 of the bins per octave.
    log2_k: u32,
    /// `[positive, negative]`, indexed by the sign bit.
    stores: [Store; 2],
    /// Values with `|x| < 1`.
    zero: u64,
    /// Every value counted (zero bin included).
    count: u64,
    /// Smallest and largest value counted (in `f64::total_cmp` order, so the result does not
    /// depend on push order). Quantiles are clamped into this range: exact for a
    /// distribution that is a single value, and never outside the data.
    min: f64,
    /// Largest value counted.
    max: f64,
}

impl PartialEq for Sketch {
    /// Equal when the bins per octave and every bin's count are equal.
    fn eq(&self, other: &Self) -> bool {
        self.log2_k == other.log2_k
            && self.zero == other.zero
            && self.count == other.count
            && self.min.to_bits() == other.min.to_bits()
            && self.max.to_bits() == other.max.to_bits()
            && self.stores == other.stores
    }
}

impl Sketch {
    /// An empty sketch with `bins_per_octave` (K) bins per doubling of `|x|`: relative error
    /// `1 / (2K)`, memory about `8 K` bytes per octave spanned. 512 or 128 are typical.
    ///
    /// # Panics
    ///
    /// If `bins_per_octave` is not a power of two in `1..=65536` (a programming error: the
    /// value is a constant of the engine, never user input).
    pub fn new(bins_per_octave: u32) -> Self {
        assert!(
            bins_per_octave.is_power_of_two() && bins_per_octave.trailing_zeros() <= MAX_LOG2_K,
            "Sketch bins per octave must be a power of two in 1..=65536, got {bins_per_octave}"
        );
        Sketch {
            log2_k: bins_per_octave.trailing_zeros(),
            stores: [Store::default(), Store::default()],
            zero: 0,
            count: 0,
            min: f64::INFINITY,
            max: f64::NEG_INFINITY,
        }
    }

    /// Bins per octave (K).
    pub fn bins_per_octave(&self) -> u32 {
        1 << self.log2_k
    }

    /// The bound on `|representative - x| / |x|` for `|x| >= 1`: `1 / (2K)`.
    pub fn relative_error(&self) -> f64 {
        0.5 / f64::from(self.bins_per_octave())
    }

    /// Number of bin indices per sign: `|x|` from 1 up to `f64::MAX` spans 1024 octaves.
    #[inline]
    fn limit(&self) -> usize {
        1024 << self.log2_k
    }

    /// Adds one value: no allocation once the store spans the values' range.
    #[inline]
    pub fn push(&mut self, x: f64) {
        self.add(x, 1);
    }

    /// Adds `n` copies of `x`, as pushing it `n` times would.
    pub fn push_n(&mut self, x: f64, n: u64) {
        if n > 0 {
            self.add(x, n);
        }
    }

    /// Adds `n` copies of `x`.
    #[inline]
    fn add(&mut self, x: f64, n: u64) {
        if x.is_finite() {
            if x.total_cmp(&self.min).is_lt() {
                self.min = x;
            }
            if x.total_cmp(&self.max).is_gt() {
                self.max = x;
            }
        }
        let bits = x.to_bits();
        let abs = bits & ABS_MASK;
        // One branch for both rare cases: |x| < 1 wraps around to a huge number, and
        // non-finite values are at or above INF_BITS - ONE_BITS.
        if abs.wrapping_sub(ONE_BITS) >= INF_BITS - ONE_BITS {
            self.add_rare(x, n);
            return;
        }
        // ONE_BITS has zero low bits, so this is (bits(|x|) >> s) - (bits(1) >> s): the
        // biased exponent and the top log2(K) bits of the mantissa, minus those of 1.0.
        let idx = ((abs - ONE_BITS) >> (52 - self.log2_k)) as usize;
        let limit = self.limit();
        self.stores[(bits >> 63) as usize].add(idx, n, limit);
        self.count = self.count.wrapping_add(n);
    }

    /// Adds every value of `xs`: the same as pushing them one by one, faster. The count,
    /// the zero bin and the extremes stay in registers for the whole slice, instead of being
    /// read and written back in memory at every value (each such update waits for the last).
    /// The bins are found for a block of values first and incremented in a second, tight
    /// loop: the increments miss the cache (a run's bins span megabytes), and a loop of
    /// nothing else keeps many more of those misses in flight at once.
    ///
    /// A block's bins are found without a branch (`Run::block_bins`): almost every block
    /// has no value in the zero bin nor a non-finite one, and those that do are found again
    /// value by value (`Run::rare_block`). The increments then read both stores' place
    /// and bounds from locals (`add_bins`).
    pub fn push_all(&mut self, xs: &[f64]) {
        let mut run = Run {
            min: self.min,
            max: self.max,
            counted: 0,
            zero: 0,
            shift: 52 - self.log2_k,
            limit: self.limit(),
        };
        debug_assert!(run.limit <= 1 << 31);
        for store in &mut self.stores {
            store.reserve(xs.len() as u64);
        }
        let mut bins = [0u32; BLOCK];
        for block in xs.chunks(BLOCK) {
            let bins = &mut bins[..block.len()];
            let n = if run.block_bins(block, bins) {
                block.len()
            } else {
                run.rare_block(block, bins)
            };
            add_bins(&mut self.stores, &bins[..n], run.limit);
        }
        self.min = run.min;
        self.max = run.max;
        self.zero = self.zero.wrapping_add(run.zero);
        self.count = self.count.wrapping_add(run.counted);
    }

    /// `|x| < 1` (the zero bin) or a non-finite value (ignored).
    #[cold]
    #[inline(never)]
    fn add_rare(&mut self, x: f64, n: u64) {
        if x.is_finite() {
            self.zero = self.zero.wrapping_add(n);
            self.count = self.count.wrapping_add(n);
        } else {
            debug_assert!(false, "non-finite value pushed to a Sketch: {x}");
        }
    }

    /// Adds everything `other` has seen, bin by bin. Never panics.
    ///
    /// Both sketches should have the same bins per octave (a `debug_assert!`); if they do
    /// not, `other`'s bins are re-binned by their representatives, which stays deterministic
    /// but adds `other`'s error to this sketch's.
    pub fn merge(&mut self, other: &Self) {
        if self.log2_k != other.log2_k {
            debug_assert!(false, "merging sketches with different bins per octave");
            for (_, _, rep, c) in other.entries() {
                self.add(rep, c);
            }
            return;
        }
        if other.min.total_cmp(&self.min).is_lt() {
            self.min = other.min;
        }
        if other.max.total_cmp(&self.max).is_gt() {
            self.max = other.max;
        }
        let limit = self.limit();
        self.zero = self.zero.wrapping_add(other.zero);
        self.count = self.count.wrapping_add(other.count);
        for (mine, theirs) in self.stores.iter_mut().zip(&other.stores) {
            mine.merge(theirs, limit);
        }
    }

    /// Number of values pushed (non-finite values are not counted).
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Whether nothing was pushed.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// `(lower, upper, representative)` of `|x|`'s range for bin `idx`.
    fn bounds(&self, idx: usize) -> (f64, f64, f64) {
        let shift = 52 - self.log2_k;
        let lower = f64::from_bits(((idx as u64) << shift) + ONE_BITS);
        // 2^e / K, exact: a power of two well inside the normal range.
        let e_bits = (((idx >> self.log2_k) as u64) << 52) + ONE_BITS;
        let width = f64::from_bits(e_bits - (u64::from(self.log2_k) << 52));
        // `upper` overflows to infinity only for the top bin below f64::MAX.
        (lower, lower + width, lower + 0.5 * width)
    }

    /// Non-empty bins in increasing value order as (lower, upper, representative, count).
    fn entries(&self) -> impl Iterator<Item = (f64, f64, f64, u64)> + '_ {
        let negative = self.stores[1].nonzero().rev().map(|(idx, c)| {
            let (lower, upper, rep) = self.bounds(idx);
            (-upper, -lower, -rep, c)
        });
        let zero = (self.zero != 0).then_some((-1.0, 1.0, 0.0, self.zero));
        let positive = self.stores[0].nonzero().map(|(idx, c)| {
            let (lower, upper, rep) = self.bounds(idx);
            (lower, upper, rep, c)
        });
        negative.chain(zero).chain(positive)
    }

    /// The non-empty bins as `(lower, upper, count)`, in increasing value order: negative
    /// bins, then the zero bin reported as `(-1.0, 1.0)`, then positive bins.
    ///
    /// A positive bin holds values in `[lower, upper)`, a negative one in `(lower, upper]`
    /// (it mirrors a positive bin), the zero bin in `(-1, 1)`. Empty bins are skipped, so the
    /// output depends only on the counts, never on the internal layout. The counts sum to
    /// [`Sketch::count`].
    pub fn bins(&self) -> impl Iterator<Item = (f64, f64, u64)> + '_ {
        self.entries().map(|(lower, upper, _, c)| (lower, upper, c))
    }

    /// The `q`-quantile: the representative of the bin holding the order statistic of
    /// 0-based rank `floor(q * (n - 1))` ("nearest rank, lower"; `q` is clamped to
    /// `[0, 1]`). Because bins are ordered like the values, the result is within
    /// `relative_error() * |v| + 1` of that order statistic `v`. 0 for an empty sketch.
    pub fn quantile(&self, q: f64) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        self.order_statistic(super::quantile_rank(q, self.count))
    }

    /// The order statistic of 0-based rank `rank` (the smallest value is rank 0; a rank
    /// beyond the last reads the largest value), within `relative_error() * |v| + 1` of it
    /// like [`Sketch::quantile`]. 0 for an empty sketch.
    pub fn order_statistic(&self, rank: u64) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        let mut seen = 0u64;
        let mut last = 0.0;
        for (_, _, rep, c) in self.entries() {
            seen = seen.wrapping_add(c);
            if seen > rank {
                return rep.clamp(self.min, self.max);
            }
            last = rep;
        }
        last.clamp(self.min, self.max)
    }

    /// The `qs`-quantiles (in increasing order), each what [`quantile`](Self::quantile)
    /// gives, read in one walk through the bins instead of one walk each.
    pub fn quantiles<const N: usize>(&self, qs: [f64; N]) -> [f64; N] {
        if self.count == 0 {
            return [0.0; N];
        }
        self.order_statistics(qs.map(|q| super::quantile_rank(q, self.count)))
    }

    /// The order statistics of 0-based ranks `ranks` (in increasing order), each what
    /// [`order_statistic`](Self::order_statistic) gives, read in one walk through the bins.
    pub fn order_statistics<const N: usize>(&self, ranks: [u64; N]) -> [f64; N] {
        debug_assert!(ranks.is_sorted(), "ranks in increasing order");
        let mut out = [0.0; N];
        if self.count == 0 {
            return out;
        }
        let (mut seen, mut last, mut k) = (0u64, 0.0, 0);
        for (_, _, rep, c) in self.entries() {
            seen = seen.wrapping_add(c);
            while k < N && seen > ranks[k] {
                out[k] = rep.clamp(self.min, self.max);
                k += 1;
            }
            if k == N {
                return out;
            }
            last = rep;
        }
        for x in &mut out[k..] {
            *x = last.clamp(self.min, self.max);
        }
        out
    }

    /// Share of pushed values in bins that lie entirely at or below `x`, i.e. whose `upper`
    /// edge (as reported by [`Sketch::bins`]) is `<= x`. 0 for an empty sketch.
    ///
    /// This is a lower bound on the empirical `P(X <= x)`, short by at most the share of the
    /// one bin straddling `x`, and exact when `x` is a bin edge. Monotone in `x`.
    pub fn cdf_at(&self, x: f64) -> f64 {
        if self.count == 0 {
            return 0.0;
        }
        let below: u64 = self
            .entries()
            .take_while(|&(_, upper, _, _)| upper.total_cmp(&x) != Ordering::Greater)
            .map(|(_, _, _, c)| c)
            .fold(0, u64::wrapping_add);
        below as f64 / self.count as f64
    }

    /// Counts on a histogram with the given increasing `edges` (`edges.len() - 1` bins,
    /// `[edges[i], edges[i+1])`).
    ///
    /// Each sketch bin's whole count goes to the histogram bin containing its
    /// representative, so histogram edges are fuzzy by the sketch's error: a value within
    /// `relative_error() * |x| + 1` of an edge may land on either side. Values below the
    /// first edge are put in the first bin, values at or above the last edge in the last
    /// bin, so the counts sum to [`Sketch::count`]. Fewer than two edges give no bins (an
    /// empty vector).
    pub fn histogram(&self, edges: &[f64]) -> Vec<u64> {
        debug_assert!(
            edges.windows(2).all(|w| w[0] <= w[1]),
            "histogram edges must be increasing"
        );
        let bins = edges.len().saturating_sub(1);
        let mut out = vec![0u64; bins];
        if bins == 0 {
            return out;
        }
        for (_, _, rep, c) in self.entries() {
            // Number of edges <= rep, minus one, clamped to the bins.
            let j = edges
                .partition_point(|&e| e <= rep)
                .saturating_sub(1)
                .min(bins - 1);
            out[j] = out[j].wrapping_add(c);
        }
        out
    }
}

impl super::codec::Codec for Sketch {
    /// The bins per octave, the zero bin, the count, min and max, then each sign's non-empty
    /// span of bins (first index, counts).
    fn encode(&self, w: &mut super::codec::Writer) {
        w.u64(u64::from(self.log2_k));
        w.u64(self.zero);
        w.u64(self.count);
        w.f64(self.min);
        w.f64(self.max);
        for store in &self.stores {
            let (first, counts) = store.trimmed();
            w.usize(first);
            w.counts(&counts);
        }
    }

    fn decode(r: &mut super::codec::Reader<'_>) -> Result<Self, super::codec::DecodeError> {
        let log2_k = r.usize(MAX_LOG2_K as usize)? as u32;
        let mut sk = Sketch::new(1 << log2_k);
        sk.zero = r.u64()?;
        sk.count = r.u64()?;
        sk.min = r.f64()?;
        sk.max = r.f64()?;
        let limit = sk.limit();
        let mut total = sk.zero;
        for store in &mut sk.stores {
            let first = r.usize(limit)?;
            let counts = r.counts(limit - first)?;
            total = counts.iter().fold(total, |a, &c| a.wrapping_add(c));
            *store = Store::from_counts(first, counts);
        }
        if total != sk.count {
            return Err(r.invalid("a sketch whose bins do not add up to its count"));
        }
        // Quantiles clamp into [min, max]: it must be a range of the data (or empty).
        let range_ok = if sk.count == 0 {
            sk.min == f64::INFINITY && sk.max == f64::NEG_INFINITY
        } else {
            sk.min.is_finite() && sk.max.is_finite() && sk.min <= sk.max
        };
        if !range_ok {
            return Err(r.invalid("a sketch whose min and max are not a range"));
        }
        Ok(sk)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::seq::SliceRandom;
    use rand_distr::{Distribution, LogNormal, Normal};
    use rand_xoshiro::Xoshiro256PlusPlus;

    const QS: [f64; 11] = [
        0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999,
    ];

    fn of(k: u32, values: &[f64]) -> Sketch {
        let mut s = Sketch::new(k);
        for &x in values {
            s.push(x);
        }
        s
    }

    fn exact(sorted: &[f64], q: f64) -> f64 {
        sorted[((q * (sorted.len() - 1) as f64).floor()) as usize]
    }

    fn check_quantiles(name: &str, k: u32, values: &[f64]) {
        let s = of(k, values);
        assert_eq!(s.count(), values.len() as u64);
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let spread = exact(&sorted, 0.999) - exact(&sorted, 0.001);
        assert!(spread > 1_000.0, "{name}: not a vacuous spread");
        for q in QS {
            let (got, want) = (s.quantile(q), exact(&sorted, q));
            let err = (got - want).abs();
            assert!(
                err <= s.relative_error() * want.abs() + 1.0,
                "{name} K={k} q={q}: sketch {got} vs exact {want}"
            );
            assert!(
                err <= 0.005 * spread,
                "{name} K={k} q={q}: sketch {got} vs exact {want}, spread {spread}"
            );
        }
        assert_eq!(s.bins().map(|b| b.2).sum::<u64>(), s.count());
        let edges: Vec<f64> = (0..=40)
            .map(|i| exact(&sorted, 0.01) + spread * f64::from(i) / 40.0)
            .collect();
        let h = s.histogram(&edges);
        assert_eq!(h.len(), 40);
        assert_eq!(h.iter().sum::<u64>(), s.count());
    }

    #[test]
    fn a_single_repeated_value_is_reported_exactly() {
        // A fixed-input scenario gives every trial the same value: its quantiles must be that
        // value, not the midpoint of its bin.
        let mut sk = Sketch::new(512);
        for _ in 0..1000 {
            sk.push(19_923.27);
        }
        for q in [0.0, 0.05, 0.5, 0.95, 1.0] {
            assert_eq!(sk.quantile(q), 19_923.27);
        }
        let mut neg = Sketch::new(128);
        neg.push(-0.4);
        assert_eq!(neg.quantile(0.5), -0.4);
    }

    #[test]
    fn quantiles_lognormal() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(0x5eed_1001);
        let dist = LogNormal::new(11.5, 0.5).unwrap();
        let values: Vec<f64> = (0..1_000_000).map(|_| dist.sample(&mut rng)).collect();
        check_quantiles("lognormal", 512, &values);
        check_quantiles("lognormal", 128, &values);
    }

    #[test]
    fn quantiles_normal_straddling_zero() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(0x5eed_1002);
        let dist = Normal::new(20_000.0, 100_000.0).unwrap();
        let values: Vec<f64> = (0..1_000_000).map(|_| dist.sample(&mut rng)).collect();
        let negatives = values.iter().filter(|&&x| x < 0.0).count();
        assert!(
            negatives > 300_000 && negatives < 500_000,
            "sample straddles zero: {negatives} negatives"
        );
        let s = of(512, &values);
        assert!(s.bins().any(|b| b.1 < -1.0) && s.bins().any(|b| b.0 > 1.0));
        check_quantiles("normal", 512, &values);
        check_quantiles("normal", 128, &values);
    }

    #[test]
    fn quantiles_in_one_walk_are_each_quantile() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(0x5eed_1003);
        let dist = Normal::new(2_000.0, 10_000.0).unwrap();
        let mut values: Vec<f64> = (0..20_000).map(|_| dist.sample(&mut rng)).collect();
        values.extend([0.2, -0.4, 0.0]);
        let qs = [0.0, 0.001, 0.05, 0.25, 0.25, 0.5, 0.9, 0.999, 1.0];
        for s in [
            of(512, &values),
            of(128, &values[..7]),
            of(512, &[-3.0]),
            Sketch::new(512),
        ] {
            let one: Vec<f64> = qs.iter().map(|&q| s.quantile(q)).collect();
            assert_eq!(s.quantiles(qs).to_vec(), one);
            // Ranks beyond the last read the largest value, as one at a time.
            let ranks = [0, 3, 6, 19_999, 20_003, 1 << 40];
            let one: Vec<f64> = ranks.iter().map(|&r| s.order_statistic(r)).collect();
            assert_eq!(s.order_statistics(ranks).to_vec(), one);
        }
    }

    #[test]
    fn quantile_and_cdf_by_hand() {
        // 1..=10: the median has rank floor(0.5 * 9) = 4, the value 5 = 4 * 1.25, in bin
        // e = 2, a = 0.25 * 512 = 128: [5, 5 + 4/512), representative 5 + 2/512.
        let values: Vec<f64> = (1..=10).map(f64::from).collect();
        let s = of(512, &values);
        assert_eq!(s.quantile(0.5), 5.0 + 2.0 / 512.0);
        assert_eq!(s.quantile(0.0), 1.0 + 0.5 / 512.0);
        // The bin of 10 has representative 10 + 4/512, above the largest value: clamped to 10.
        assert_eq!(s.quantile(1.0), 10.0);
        assert_eq!(s.quantile(0.999), 9.0 + 4.0 / 512.0); // rank floor(8.991) = 8
        // cdf_at: bins of 1..=4 lie below 5; the bin of 5 ends at 5 + 4/512.
        assert_eq!(s.cdf_at(5.0), 0.4);
        assert_eq!(s.cdf_at(5.0 + 4.0 / 512.0), 0.5);
        assert_eq!(s.cdf_at(0.0), 0.0);
        assert_eq!(s.cdf_at(1e9), 1.0);
        assert_eq!(Sketch::new(512).cdf_at(3.0), 0.0);
        assert_eq!(Sketch::new(512).quantile(0.5), 0.0);

        // Negative values and the zero bin: -2 is in (-2 - 2/512, -2].
        let s = of(512, &[-2.0, 0.3, -0.7, 3.0]);
        let bins: Vec<_> = s.bins().collect();
        assert_eq!(
            bins,
            vec![
                (-2.0 - 2.0 / 512.0, -2.0, 1),
                (-1.0, 1.0, 2),
                (3.0, 3.0 + 2.0 / 512.0, 1)
            ]
        );
        assert_eq!(s.cdf_at(-2.0), 0.25);
        assert_eq!(s.cdf_at(0.9), 0.25);
        assert_eq!(s.cdf_at(1.0), 0.75);
        // The bin of -2 has representative -2 - 1/512, below the smallest value: clamped to -2.
        assert_eq!(s.quantile(0.0), -2.0);
        assert_eq!(s.quantile(0.5), 0.0); // rank floor(1.5) = 1: the zero bin
        assert_eq!(s.relative_error(), 1.0 / 1024.0);
    }

    #[test]
    fn histogram_by_hand() {
        let s = of(512, &[5.0, 150.0, -3.0, 0.5, 1e6, 100.0, 99.0]);
        // [0, 100): 5, 0.5 (zero bin, representative 0), -3 (below the first edge), 99;
        // [100, 200): 150, 100 (representative just above 100), 1e6 (above the last edge).
        assert_eq!(s.histogram(&[0.0, 100.0, 200.0]), vec![4, 3]);
        assert_eq!(s.histogram(&[0.0, 1.0, 10.0, 1000.0]), vec![2, 1, 4]);
        assert_eq!(s.histogram(&[0.0]), Vec::<u64>::new());
        assert_eq!(s.histogram(&[]), Vec::<u64>::new());
    }

    /// A sample that exercises both stores, the zero bin, growth in both directions and
    /// edge values.
    fn mixed_values() -> Vec<f64> {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(0x5eed_1003);
        let dist = Normal::new(0.0, 1e5).unwrap();
        let mut values: Vec<f64> = (0..1000).map(|_| dist.sample(&mut rng)).collect();
        values.extend([
            0.0, -0.0, 1.0, -1.0, 2.0, 1024.0, -0.5, 1e12, -1e12, 1e-300, 3.5,
        ]);
        values.shuffle(&mut rng);
        values
    }

    #[test]
    fn merge_at_every_split_equals_one_pass() {
        let values = mixed_values();
        for k in [512, 128] {
            let whole = of(k, &values);
            let mut layouts_differ = false;
            for split in 0..=values.len() {
                let (a, b) = (of(k, &values[..split]), of(k, &values[split..]));
                let mut ab = a.clone();
                ab.merge(&b);
                assert_eq!(ab, whole, "K={k} split at {split}");
                let mut ba = b.clone();
                ba.merge(&a);
                assert_eq!(ba, whole, "K={k} split at {split}, reversed merge");
                layouts_differ |= ab.stores[0].offset != whole.stores[0].offset
                    || ab.stores[0].counts.len() != whole.stores[0].counts.len();
                assert_eq!(
                    ab.bins().collect::<Vec<_>>(),
                    whole.bins().collect::<Vec<_>>()
                );
            }
            // Equality really is logical, not a comparison of identical layouts.
            assert!(layouts_differ, "K={k}: every merge had the one-pass layout");
        }
    }

    #[test]
    fn empty_merge_shuffle_and_inequality() {
        let mut values = mixed_values();
        let whole = of(512, &values);
        let mut m = whole.clone();
        m.merge(&Sketch::new(512));
        assert_eq!(m, whole);
        let mut e = Sketch::new(512);
        e.merge(&whole);
        assert_eq!(e, whole);

        let mut rng = Xoshiro256PlusPlus::seed_from_u64(0x5eed_1004);
        values.shuffle(&mut rng);
        assert_eq!(of(512, &values), whole);
        values.reverse();
        assert_eq!(of(512, &values), whole);

        // Not vacuous: any different content compares unequal.
        assert_ne!(of(512, &values[1..]), whole);
        assert_ne!(of(128, &values), whole);
        let mut plus = whole.clone();
        plus.push(0.25);
        assert_ne!(plus, whole);
        assert_eq!(whole.bins().map(|b| b.2).sum::<u64>(), whole.count());
    }

    #[test]
    fn edge_values_do_not_panic() {
        let mut s = Sketch::new(512);
        let edge = [
            1.0,
            -1.0,
            2.0,
            -2.0,
            0.5,
            1024.0,
            2f64.powi(40),
            -(2f64.powi(40)),
            1e12,
            -1e12,
            1e-12,
            f64::MIN_POSITIVE,
            5e-324,
            0.0,
            -0.0,
            1.0 - f64::EPSILON / 2.0,
            1.0 + f64::EPSILON,
            f64::MAX,
            f64::MIN,
        ];
        for x in edge {
            s.push(x);
        }
        assert_eq!(s.count(), edge.len() as u64);
        assert_eq!(s.bins().map(|b| b.2).sum::<u64>(), s.count());
        // Powers of two start their bin: 2^40's bin is [2^40, 2^40 (1 + 1/512)).
        assert!(
            s.bins()
                .any(|b| b == (2f64.powi(40), 2f64.powi(40) * (1.0 + 1.0 / 512.0), 1))
        );
        assert!(s.bins().any(|b| b == (1.0, 1.0 + 1.0 / 512.0, 2)));
        assert!(s.bins().any(|b| b == (-1.0 - 1.0 / 512.0, -1.0, 1)));
        // Zero bin: 0.5, 1e-12, MIN_POSITIVE, 5e-324, 0, -0 and 1 - eps/2.
        assert!(s.bins().any(|b| b == (-1.0, 1.0, 7)));
        let bins: Vec<_> = s.bins().collect();
        assert!(
            bins.windows(2).all(|w| w[0].1 <= w[1].0),
            "bins are increasing"
        );
        for q in [0.0, 0.3, 0.5, 0.7, 1.0] {
            assert!(s.quantile(q).is_finite());
        }
        assert_eq!(
            s.histogram(&[-1.0, 0.0, 1.0]).iter().sum::<u64>(),
            s.count()
        );
        assert!(s.cdf_at(f64::INFINITY) == 1.0);
        for k in [1, 2, 1024] {
            let mut t = Sketch::new(k);
            for x in edge {
                t.push(x);
            }
            let mut u = Sketch::new(k);
            u.merge(&t);
            assert_eq!(u, t);
            assert_eq!(t.bins().map(|b| b.2).sum::<u64>(), t.count());
        }
        // Relative error bound holds at the edges of the supported range.
        for x in [1e12, 1e12 * (1.0 + 1.0 / 1024.0), 3.999_999, 2f64.powi(40)] {
            let one = of(512, &[x]);
            assert!((one.quantile(0.5) - x).abs() <= one.relative_error() * x);
        }
    }

    #[test]
    #[should_panic(expected = "power of two")]
    fn bins_per_octave_must_be_power_of_two() {
        let _ = Sketch::new(100);
    }

    #[test]
    #[cfg_attr(debug_assertions, should_panic(expected = "non-finite"))]
    fn non_finite_is_ignored_in_release() {
        let mut s = of(512, &[3.0, -7.0]);
        s.push(f64::NAN);
        s.push(f64::NEG_INFINITY);
        assert_eq!(s, of(512, &[3.0, -7.0]));
    }

    #[test]
    fn counts_past_32_bits_spill_and_stay_exact() {
        // A store about to overflow its 32-bit counts: the next additions spill them.
        let mut sk = Sketch::new(128);
        sk.push_all(&[10.0, 10.0, -3.0]);
        for store in &mut sk.stores {
            store.hot = u64::from(u32::MAX) - 1;
        }
        sk.push_all(&[10.0, 20.0, -3.0]);
        sk.push(10.0);
        assert!(!sk.stores[0].spilled.is_empty());
        // Counts beyond 32 bits in one bin, by `add` and by a merge.
        let big = 3 * u64::from(u32::MAX);
        sk.add(20.0, big);
        let mut other = Sketch::new(128);
        other.add(10.0, big);
        other.push(-3.0);
        sk.merge(&other);
        let want = [(-3.0, 3), (10.0, 4 + big), (20.0, 1 + big)];
        let got: Vec<(f64, u64)> = sk.entries().map(|(_, _, rep, c)| (rep, c)).collect();
        assert_eq!(got.len(), want.len());
        for ((rep, c), (x, n)) in got.iter().zip(want) {
            assert!(
                (rep - x).abs() <= sk.relative_error() * x.abs(),
                "{rep} vs {x}"
            );
            assert_eq!(*c, n);
        }
        assert_eq!(sk.count(), 8 + 2 * big);
        // An encoded and decoded copy is equal, whatever its layout.
        use super::super::codec::{Codec, Reader, Writer};
        let mut w = Writer::new();
        sk.encode(&mut w);
        let bytes = w.into_bytes();
        let back = Sketch::decode(&mut Reader::new(&bytes)).unwrap();
        assert_eq!(back, sk);
    }

    #[test]
    fn push_all_is_pushing_one_by_one() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(0x05ee_da11);
        let dist = Normal::new(-5_000.0, 300_000.0).unwrap();
        let mut values: Vec<f64> = (0..10_000).map(|_| dist.sample(&mut rng)).collect();
        // The zero bin (both signs), exact powers of two, and the extremes of the range.
        values.extend([
            0.0,
            -0.0,
            0.5,
            -0.999,
            1.0,
            -1.0,
            2.0,
            1e12,
            -1e12,
            f64::MAX,
        ]);
        for k in [512, 128] {
            let (mut one, mut all) = (Sketch::new(k), Sketch::new(k));
            for &x in &values {
                one.push(x);
            }
            all.push_all(&values[..4_000]);
            all.push_all(&values[4_000..]);
            assert_eq!(one, all);
            assert_eq!(
                (one.count(), one.min, one.max),
                (all.count(), all.min, all.max)
            );
            assert_eq!(one.quantile(0.37).to_bits(), all.quantile(0.37).to_bits());
        }
    }

    #[test]
    fn push_speed() {
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(0x5eed_1005);
        let dist = Normal::new(20_000.0, 100_000.0).unwrap();
        let values: Vec<f64> = (0..1_000_000).map(|_| dist.sample(&mut rng)).collect();
        for k in [512, 128] {
            // Best of 5 rounds: the machine is shared, the minimum is the least disturbed.
            let mut s = Sketch::new(k);
            let mut best = f64::INFINITY;
            for _ in 0..5 {
                let start = std::time::Instant::now();
                for &x in &values {
                    s.push(std::hint::black_box(x));
                }
                std::hint::black_box(&s);
                best = best.min(start.elapsed().as_nanos() as f64 / values.len() as f64);
            }
            println!("Sketch::push (K={k}): {best:.2} ns/push (best of 5 rounds)");
            assert_eq!(s.count(), 5 * values.len() as u64);
        }
    }
}
