//! Random number streams: which generator, and how batches, trials and paths get their own.
//!
//! The generator is Xoshiro256++ (rand_xoshiro), named so its output never changes between
//! releases (rand's `StdRng` and `SmallRng` may). A batch's generator is seeded from (seed,
//! batch index); each trial draws a 64-bit key from it; the baseline (shared career and
//! economy) and each path seed their own generator from (key, stream), so the paths share the
//! baseline's draws (common random numbers) and a path's draws do not depend on the others.

use std::convert::Infallible;

use rand::{SeedableRng, TryRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator used everywhere.
pub type Gen = Xoshiro256PlusPlus;

/// SplitMix64's finalizer: a bijective mix of 64 bits.
#[inline]
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The generator of batch `batch` of a run with `seed`.
pub fn batch_rng<R: SeedableRng>(seed: u64, batch: u64) -> R {
    R::seed_from_u64(mix(seed ^ mix(batch.wrapping_add(0x5151_5151))))
}

/// The generator of stream `stream` (0 = baseline) in the trial with `key`.
#[inline]
pub fn stream_rng<R: SeedableRng>(key: u64, stream: u64) -> R {
    R::seed_from_u64(key ^ mix(stream))
}

thread_local! {
    static DRAWS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Words drawn on this thread by every [`Counting`] generator so far.
pub fn counted_draws() -> u64 {
    DRAWS.with(|d| d.get())
}

fn count(n: u64) {
    DRAWS.with(|d| d.set(d.get() + n));
}

/// A generator that counts the 32- and 64-bit words drawn from it, across all the streams of
/// a trial (for the benchmark's floor: draws per trial times the cost of a draw).
#[derive(Debug, Clone)]
pub struct Counting<R> {
    /// The generator counted.
    pub inner: R,
}

impl<R: TryRng<Error = Infallible>> TryRng for Counting<R> {
    type Error = Infallible;
    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        count(1);
        self.inner.try_next_u32()
    }
    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        count(1);
        self.inner.try_next_u64()
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        count(dst.len().div_ceil(8) as u64);
        self.inner.try_fill_bytes(dst)
    }
}

impl<R: SeedableRng> SeedableRng for Counting<R> {
    type Seed = R::Seed;
    fn from_seed(seed: Self::Seed) -> Self {
        Counting {
            inner: R::from_seed(seed),
        }
    }
}
