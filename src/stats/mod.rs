//! Streaming, exactly mergeable statistics over trials, and the summary computed from them.
//!
//! Every accumulator here merges by integer addition (or by a total-order min/max), so the
//! state after any set of pushes and merges is bit-identical whatever their order or
//! grouping. That is what lets the engine split trials into batches, run them on any number
//! of threads and still write byte-identical output.
//!
//! - [`Moments`]: count, mean, standard deviation, min and max in exact fixed point.
//! - [`Sketch`]: a quantile sketch with a stated relative error bound.
//! - [`IntHistogram`]: counts of small integers (years) plus a "never" bucket.
//! - [`precision`]: 95% intervals of the figures, due to the finite number of trials.
//! - [`codec`]: their exact binary encoding, for the state files of sharded runs.

pub mod accumulate;
pub mod breakdown;
pub mod codec;
pub mod counts;
pub mod loans;
pub mod milestones;
pub mod moments;
pub mod outcomes;
pub mod point;
pub mod precision;
pub mod sensitivity;
pub mod sketch;
pub mod summary;

pub use counts::IntHistogram;
pub use moments::Moments;
pub use sketch::Sketch;

/// The 0-based rank of the order statistic that the quantile `q` reports among `n > 0`
/// values: `floor(q * (n - 1))` ("nearest rank, lower").
///
/// Shared by [`Sketch::quantile`] and [`IntHistogram::quantile`] so both use one
/// convention. `q` is clamped to `[0, 1]`; a NaN `q` is treated as 0.
pub(crate) fn quantile_rank(q: f64, n: u64) -> u64 {
    debug_assert!(n > 0, "quantile_rank of an empty sample");
    let last = n.saturating_sub(1);
    // `as u64` saturates and maps NaN to 0 (so a NaN q gives rank 0); n - 1 < 2^53 in any
    // realistic run, so the product is exact up to the rounding of q itself.
    ((q.clamp(0.0, 1.0) * last as f64).floor() as u64).min(last)
}

#[cfg(test)]
mod tests {
    use super::quantile_rank;

    #[test]
    fn rank_convention() {
        assert_eq!(quantile_rank(f64::NAN, 10), 0);
        assert_eq!(quantile_rank(0.0, 10), 0);
        assert_eq!(quantile_rank(0.5, 10), 4); // floor(4.5)
        assert_eq!(quantile_rank(0.5, 11), 5);
        assert_eq!(quantile_rank(1.0, 10), 9);
        assert_eq!(quantile_rank(0.999, 1000), 998); // floor(998.001)
        assert_eq!(quantile_rank(1.5, 10), 9);
        assert_eq!(quantile_rank(-0.5, 10), 0);
        assert_eq!(quantile_rank(0.7, 1), 0);
    }
}
