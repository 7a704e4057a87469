//! Random number streams (common random numbers by construction).
//!
//! Every source of randomness in a trial is a named stream, seeded from the trial's key and
//! the stream's id alone: one per input (and per path, for a role's input drawn on a path),
//! one per internal event (completion, dropout, placement, role, promotion, layoffs). So
//! changing, fixing or removing one input never moves another input's draws, and a trial's
//! draws do not depend on threads, batches, shards or the order of paths.
//!
//! A stream is SplitMix64 (Steele, Lea and Flood, 2014): a 64-bit counter stepped by the
//! golden ratio and finished by a strong mixer. Seeding is free (the state is the seed), so a
//! trial can open a hundred streams for the cost of a hundred additions; the k-th value of a
//! per-year input is the stream's k-th output. A trial's key is itself a mix of the run's
//! seed and the trial's index, so any trial can be simulated alone.

use std::convert::Infallible;

use rand::{SeedableRng, TryRng};

/// The generator of a stream.
pub type Gen = Stream;

const GOLDEN: u64 = 0x9e37_79b9_7f4a_7c15;

/// SplitMix64's finalizer: a bijective mix of 64 bits.
#[inline]
fn finalize(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// One SplitMix64 step from `z`: a bijective mix of 64 bits.
#[inline]
pub fn mix(z: u64) -> u64 {
    finalize(z.wrapping_add(GOLDEN))
}

/// The key of trial `trial` of a run with `seed`: its streams are derived from it.
#[inline]
pub fn trial_key(seed: u64, trial: u64) -> u64 {
    mix(mix(seed) ^ mix(trial.wrapping_add(0x5151_5151)))
}

/// The generator of stream `stream` in the trial with `key`.
#[inline]
pub fn stream_rng<R: SeedableRng>(key: u64, stream: u64) -> R {
    R::seed_from_u64(key ^ stream)
}

/// A SplitMix64 stream.
#[derive(Debug, Clone)]
pub struct Stream {
    state: u64,
}

impl TryRng for Stream {
    type Error = Infallible;
    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        self.try_next_u64().map(|x| (x >> 32) as u32)
    }
    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.state = self.state.wrapping_add(GOLDEN);
        Ok(finalize(self.state))
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let x = self.try_next_u64()?.to_le_bytes();
            chunk.copy_from_slice(&x[..chunk.len()]);
        }
        Ok(())
    }
}

impl SeedableRng for Stream {
    type Seed = [u8; 8];
    fn from_seed(seed: Self::Seed) -> Self {
        Stream {
            state: u64::from_le_bytes(seed),
        }
    }
    #[inline]
    fn seed_from_u64(state: u64) -> Self {
        Stream { state }
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn splitmix64_reference_values() {
        // SplitMix64 from state 0 (Vigna's reference splitmix64.c): the first outputs.
        let mut r = Stream::seed_from_u64(0);
        assert_eq!(r.next_u64(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(r.next_u64(), 0x6e78_9e6a_a1b9_65f4);
        assert_eq!(r.next_u64(), 0x06c4_5d18_8009_454f);
    }

    #[test]
    fn streams_of_one_trial_differ() {
        let k = trial_key(1, 0);
        let a: u64 = stream_rng::<Stream>(k, 1).next_u64();
        let b: u64 = stream_rng::<Stream>(k, 2).next_u64();
        assert_ne!(a, b);
        assert_ne!(trial_key(1, 0), trial_key(1, 1));
        assert_ne!(trial_key(1, 0), trial_key(2, 0));
    }
}
