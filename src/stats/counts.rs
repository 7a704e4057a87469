//! Counts of small non-negative integers (years until an event) plus a "never" bucket.
//!
//! Break-even and repayment times are whole years within the horizon, or never. Counting them
//! exactly costs one `u64` per year and merges by integer addition, so the median year (or
//! "never") is exact and identical whatever the order or grouping of pushes and merges.

/// Counts of the integers `0..n` plus an explicit "never" (overflow) bucket.
///
/// Quantiles use the same rank convention as [`Sketch::quantile`](super::Sketch::quantile):
/// the order statistic of 0-based rank `floor(q * (count - 1))`, with "never" ranked above
/// every integer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntHistogram {
    counts: Vec<u64>,
    never: u64,
}

impl IntHistogram {
    /// An empty histogram of the values `0..n` (and "never").
    pub fn new(n: usize) -> Self {
        IntHistogram {
            counts: vec![0; n],
            never: 0,
        }
    }

    /// Counts one value: `Some(v)` with `v < n`, or `None` for "never".
    ///
    /// `Some(v)` with `v >= n` is a caller bug: it trips a `debug_assert!` and counts as
    /// "never" in release builds.
    #[inline]
    pub fn push(&mut self, value: Option<usize>) {
        match value.and_then(|v| self.counts.get_mut(v)) {
            Some(c) => *c = c.wrapping_add(1),
            None => {
                debug_assert!(
                    value.is_none(),
                    "IntHistogram value {value:?} out of range 0..{}",
                    self.counts.len()
                );
                self.never = self.never.wrapping_add(1);
            }
        }
    }

    /// Adds everything `other` has seen (integer addition, order-independent). Never panics.
    ///
    /// Both should have the same `n` (a `debug_assert!`); if `other` is longer, its extra
    /// values count as "never", as they would have if pushed here.
    pub fn merge(&mut self, other: &Self) {
        debug_assert_eq!(
            self.counts.len(),
            other.counts.len(),
            "merging IntHistograms of different sizes"
        );
        let shared = self.counts.len().min(other.counts.len());
        for (c, &o) in self.counts.iter_mut().zip(&other.counts[..shared]) {
            *c = c.wrapping_add(o);
        }
        let extra = other.counts[shared..]
            .iter()
            .fold(other.never, |a, &c| a.wrapping_add(c));
        self.never = self.never.wrapping_add(extra);
    }

    /// Number of values pushed, "never" included.
    pub fn count(&self) -> u64 {
        self.counts
            .iter()
            .fold(self.never, |a, &c| a.wrapping_add(c))
    }

    /// Number of "never" values.
    pub fn never(&self) -> u64 {
        self.never
    }

    /// Share of values that are "never"; 0 when nothing was pushed.
    pub fn share_never(&self) -> f64 {
        let n = self.count();
        if n == 0 {
            0.0
        } else {
            self.never as f64 / n as f64
        }
    }

    /// Counts of `0..n`, by value (without "never").
    pub fn counts(&self) -> &[u64] {
        &self.counts
    }

    /// The value at 0-based rank `floor(q * (count - 1))` (`q` clamped to `[0, 1]`), or
    /// `None` when that rank falls in "never" or nothing was pushed.
    pub fn quantile(&self, q: f64) -> Option<usize> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let rank = super::quantile_rank(q, n);
        let mut seen = 0u64;
        for (v, &c) in self.counts.iter().enumerate() {
            seen = seen.wrapping_add(c);
            if seen > rank {
                return Some(v);
            }
        }
        None
    }

    /// [`quantile`](Self::quantile) among the values that are not "never": `None` when every
    /// value is "never" or nothing was pushed.
    pub fn quantile_if_ever(&self, q: f64) -> Option<usize> {
        let n = self.count().wrapping_sub(self.never);
        if n == 0 {
            return None;
        }
        let rank = super::quantile_rank(q, n);
        let mut seen = 0u64;
        self.counts.iter().position(|&c| {
            seen = seen.wrapping_add(c);
            seen > rank
        })
    }
}

impl super::codec::Codec for IntHistogram {
    fn encode(&self, w: &mut super::codec::Writer) {
        w.counts(&self.counts);
        w.u64(self.never);
    }

    /// At most 2^20 values: a histogram counts years or months of a working life.
    fn decode(r: &mut super::codec::Reader<'_>) -> Result<Self, super::codec::DecodeError> {
        Ok(IntHistogram {
            counts: r.counts(1 << 20)?,
            never: r.u64()?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn of(n: usize, values: &[Option<usize>]) -> IntHistogram {
        let mut h = IntHistogram::new(n);
        for &v in values {
            h.push(v);
        }
        h
    }

    /// 0, 0, 1, 3, 3, 3 and four "never": 10 values.
    fn example() -> IntHistogram {
        of(
            5,
            &[
                None,
                Some(3),
                Some(0),
                None,
                Some(3),
                Some(1),
                None,
                Some(0),
                Some(3),
                None,
            ],
        )
    }

    #[test]
    fn quantile_by_hand() {
        let h = example();
        assert_eq!(h.counts(), &[2, 1, 0, 3, 0]);
        assert_eq!((h.count(), h.never()), (10, 4));
        assert_eq!(h.share_never(), 0.4);
        // Sorted: 0 0 1 3 3 3 never never never never (ranks 0..=9).
        assert_eq!(h.quantile(0.0), Some(0)); // rank 0
        assert_eq!(h.quantile(0.15), Some(0)); // rank floor(1.35) = 1
        assert_eq!(h.quantile(0.25), Some(1)); // rank floor(2.25) = 2
        assert_eq!(h.quantile(0.5), Some(3)); // rank floor(4.5) = 4
        assert_eq!(h.quantile(0.6), Some(3)); // rank floor(5.4) = 5
        assert_eq!(h.quantile(0.67), None); // rank floor(6.03) = 6: never
        assert_eq!(h.quantile(1.0), None);

        let empty = IntHistogram::new(5);
        assert_eq!(
            (empty.count(), empty.quantile(0.5), empty.share_never()),
            (0, None, 0.0)
        );
        let all_never = of(3, &[None, None]);
        assert_eq!(
            (all_never.quantile(0.0), all_never.share_never()),
            (None, 1.0)
        );
        let zero_len = of(0, &[None]);
        assert_eq!((zero_len.count(), zero_len.quantile(0.0)), (1, None));
    }

    #[test]
    fn quantile_among_those_that_ever_happen() {
        // The example without its four "never": 0 0 1 3 3 3 (ranks 0..=5).
        let h = example();
        assert_eq!(h.quantile_if_ever(0.0), Some(0)); // rank 0
        assert_eq!(h.quantile_if_ever(0.5), Some(1)); // rank floor(2.5) = 2
        assert_eq!(h.quantile_if_ever(0.6), Some(3)); // rank floor(3.0) = 3
        assert_eq!(h.quantile_if_ever(1.0), Some(3)); // rank 5
        // While the median over every value, "never" included, is 3.
        assert_eq!(h.quantile(0.5), Some(3));
        assert_eq!(of(3, &[None, None]).quantile_if_ever(0.5), None);
        assert_eq!(IntHistogram::new(3).quantile_if_ever(0.5), None);
    }

    #[test]
    fn merge_properties() {
        let values: Vec<Option<usize>> = (0..300usize)
            .map(|i| {
                if i % 7 == 3 {
                    None
                } else {
                    Some((i * 13) % 11)
                }
            })
            .collect();
        let whole = of(11, &values);
        assert!(whole.never() > 0 && whole.counts().iter().all(|&c| c > 0));
        for k in 0..=values.len() {
            let (a, b) = (of(11, &values[..k]), of(11, &values[k..]));
            let mut ab = a.clone();
            ab.merge(&b);
            assert_eq!(ab, whole, "split at {k}");
            let mut ba = b;
            ba.merge(&a);
            assert_eq!(ba, whole, "split at {k}, reversed");
        }
        let mut m = whole.clone();
        m.merge(&IntHistogram::new(11));
        assert_eq!(m, whole);
        let reversed: Vec<_> = values.iter().rev().copied().collect();
        assert_eq!(of(11, &reversed), whole);
        assert_ne!(of(11, &values[1..]), whole);
    }

    #[test]
    #[cfg_attr(debug_assertions, should_panic(expected = "out of range"))]
    fn out_of_range_counts_as_never_in_release() {
        let mut h = IntHistogram::new(3);
        h.push(Some(3));
        assert_eq!((h.never(), h.count()), (1, 1));
    }
}
