//! A compact, exact binary encoding of the accumulators, so that a shard of a run can save its
//! statistics and a later `worthit merge` can add them up as if one process had run every
//! trial.
//!
//! Exact means bit for bit: integers as integers, `f64` by their bits, so a decoded
//! accumulator is `==` to the encoded one and merges to the same bytes. Compact means the
//! long, mostly empty count arrays of the quantile sketches cost about a byte per bin, and a
//! run of empty bins a few bytes: unsigned integers are LEB128 varints, and a zero count is
//! followed by the number of further zeros.
//!
//! Decoding never panics and never allocates more than the input can justify: every length is
//! checked against the bytes left (or, for runs of zeros, against the layout's limit), and
//! every structural invariant a type relies on is checked, so a damaged or hostile input is an
//! error, not a crash.

/// Why bytes could not be decoded as accumulators.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The bytes end in the middle of a value.
    #[error("the statistics end early (at byte {at})")]
    Truncated {
        /// Offset where more bytes were needed.
        at: usize,
    },
    /// A value that the accumulators cannot hold.
    #[error("the statistics are inconsistent at byte {at}: {what}")]
    Invalid {
        /// Offset of the value.
        at: usize,
        /// What is wrong.
        what: &'static str,
    },
}

/// Appends encoded values to a buffer.
#[derive(Debug, Default)]
pub struct Writer {
    buf: Vec<u8>,
}

impl Writer {
    /// An empty buffer.
    pub fn new() -> Self {
        Writer::default()
    }

    /// The bytes written so far.
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    /// An unsigned integer, as an LEB128 varint (1 byte below 128, at most 10).
    pub fn u64(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.buf.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.buf.push(v as u8);
    }

    /// A length or index.
    pub fn usize(&mut self, v: usize) {
        self.u64(v as u64);
    }

    /// A 128-bit signed integer, 16 bytes little-endian.
    pub fn i128(&mut self, v: i128) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// A 128-bit unsigned integer, 16 bytes little-endian.
    pub fn u128(&mut self, v: u128) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// An `f64` by its bits (NaN payloads and the sign of zero survive).
    pub fn f64(&mut self, v: f64) {
        self.buf.extend_from_slice(&v.to_bits().to_le_bytes());
    }

    /// Raw bytes, preceded by their length.
    pub fn bytes(&mut self, b: &[u8]) {
        self.usize(b.len());
        self.buf.extend_from_slice(b);
    }

    /// Counts, preceded by their length; each run of zeros is a 0 followed by the number of
    /// further zeros in the run.
    pub fn counts(&mut self, counts: &[u64]) {
        self.usize(counts.len());
        let mut i = 0;
        while i < counts.len() {
            let c = counts[i];
            self.u64(c);
            i += 1;
            if c == 0 {
                let run = counts[i..].iter().take_while(|&&x| x == 0).count();
                self.usize(run);
                i += run;
            }
        }
    }
}

/// Reads encoded values from a slice, in the order they were written.
#[derive(Debug)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    /// A reader at the start of `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    /// The error for an inconsistent value read just before the current position.
    pub fn invalid(&self, what: &'static str) -> DecodeError {
        DecodeError::Invalid { at: self.pos, what }
    }

    /// Checks that every byte was read.
    ///
    /// # Errors
    /// Bytes are left over.
    pub fn finish(&self) -> Result<(), DecodeError> {
        if self.pos == self.buf.len() {
            Ok(())
        } else {
            Err(self.invalid("bytes after the end of the statistics"))
        }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        let end = self
            .pos
            .checked_add(n)
            .filter(|&e| e <= self.buf.len())
            .ok_or(DecodeError::Truncated { at: self.buf.len() })?;
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }

    /// An LEB128 varint.
    ///
    /// # Errors
    /// The bytes end, or the varint is longer than a `u64`.
    pub fn u64(&mut self) -> Result<u64, DecodeError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.take(1)?[0];
            let bits = u64::from(b & 0x7f);
            if shift == 63 && bits > 1 {
                return Err(self.invalid("an integer beyond 64 bits"));
            }
            v |= bits << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(self.invalid("an integer beyond 64 bits"))
    }

    /// A length or index no larger than `max`.
    ///
    /// # Errors
    /// As [`Reader::u64`], or a value above `max`.
    pub fn usize(&mut self, max: usize) -> Result<usize, DecodeError> {
        let v = self.u64()?;
        usize::try_from(v)
            .ok()
            .filter(|&v| v <= max)
            .ok_or_else(|| self.invalid("a length or index out of range"))
    }

    /// A count of items that take at least one byte each: no more than the bytes left.
    ///
    /// # Errors
    /// As [`Reader::usize`].
    pub fn count(&mut self) -> Result<usize, DecodeError> {
        let left = self.buf.len() - self.pos;
        self.usize(left)
    }

    /// 16 bytes little-endian.
    ///
    /// # Errors
    /// The bytes end.
    pub fn i128(&mut self) -> Result<i128, DecodeError> {
        Ok(i128::from_le_bytes(self.array()?))
    }

    /// 16 bytes little-endian.
    ///
    /// # Errors
    /// The bytes end.
    pub fn u128(&mut self) -> Result<u128, DecodeError> {
        Ok(u128::from_le_bytes(self.array()?))
    }

    /// An `f64` from its bits.
    ///
    /// # Errors
    /// The bytes end.
    pub fn f64(&mut self) -> Result<f64, DecodeError> {
        Ok(f64::from_bits(u64::from_le_bytes(self.array()?)))
    }

    /// Bytes preceded by their length.
    ///
    /// # Errors
    /// The bytes end.
    pub fn bytes(&mut self) -> Result<&'a [u8], DecodeError> {
        let n = self.count()?;
        self.take(n)
    }

    /// Counts as written by [`Writer::counts`], at most `max` of them.
    ///
    /// # Errors
    /// The bytes end, more than `max` counts, or a run of zeros past the stated length.
    pub fn counts(&mut self, max: usize) -> Result<Vec<u64>, DecodeError> {
        let n = self.usize(max)?;
        // Each token is at least one byte, and one token stands for at most `n` counts: only
        // runs of zeros may be longer than the bytes, so grow as they come.
        let mut out = Vec::with_capacity(n.min(self.buf.len() - self.pos));
        while out.len() < n {
            let c = self.u64()?;
            out.push(c);
            if c == 0 {
                let run = self.usize(n - out.len())?;
                out.resize(out.len() + run, 0);
            }
        }
        Ok(out)
    }
}

/// A type that encodes exactly and decodes with every invariant checked.
pub trait Codec: Sized {
    /// Append `self` to `w`.
    fn encode(&self, w: &mut Writer);
    /// Read a value written by [`Codec::encode`].
    ///
    /// # Errors
    /// The bytes end early or describe a value the type cannot hold.
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_by_hand() {
        // The LEB128 examples of the DWARF standard: 2, 127, 128, 129, 12857.
        for (v, bytes) in [
            (2u64, vec![2u8]),
            (127, vec![127]),
            (128, vec![0x80, 1]),
            (129, vec![0x81, 1]),
            (12857, vec![0x80 + 57, 100]),
        ] {
            let mut w = Writer::new();
            w.u64(v);
            assert_eq!(w.into_bytes(), bytes, "{v}");
            assert_eq!(Reader::new(&bytes).u64(), Ok(v));
        }
        let mut w = Writer::new();
        w.u64(u64::MAX);
        let b = w.into_bytes();
        assert_eq!(b.len(), 10);
        assert_eq!(Reader::new(&b).u64(), Ok(u64::MAX));
        // An 11th byte, or a 10th byte with more than the top bit: beyond 64 bits.
        assert!(Reader::new(&[0xff; 11]).u64().is_err());
        assert!(
            Reader::new(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02])
                .u64()
                .is_err()
        );
        assert_eq!(
            Reader::new(&[0x80]).u64(),
            Err(DecodeError::Truncated { at: 1 })
        );
    }

    #[test]
    fn counts_round_trip_with_runs_of_zeros() {
        let cases: [&[u64]; 6] = [
            &[],
            &[0],
            &[0, 0, 0, 0, 0],
            &[5, 0, 0, 7, 0, 1, u64::MAX],
            &[1, 2, 3],
            &[0, 9, 0],
        ];
        for c in cases {
            let mut w = Writer::new();
            w.counts(c);
            let b = w.into_bytes();
            let mut r = Reader::new(&b);
            assert_eq!(r.counts(100).unwrap(), c);
            r.finish().unwrap();
        }
        // A million empty bins take a few bytes.
        let mut w = Writer::new();
        w.counts(&vec![0; 1_000_000]);
        assert!(w.into_bytes().len() <= 8);
    }

    #[test]
    fn bad_counts_are_errors_not_allocations() {
        // Length 3, then a run of 5 zeros after the first: past the length.
        assert!(Reader::new(&[3, 0, 5]).counts(100).is_err());
        // A length above the limit.
        assert!(Reader::new(&[101]).counts(100).is_err());
        // A huge length with no bytes behind it.
        let mut w = Writer::new();
        w.u64(u64::MAX);
        assert!(Reader::new(&w.into_bytes()).counts(usize::MAX).is_err());
        // A length of bytes beyond the input.
        assert!(Reader::new(&[200, 1, 2]).bytes().is_err());
    }

    #[test]
    fn fixed_width_values_round_trip() {
        let mut w = Writer::new();
        w.i128(i128::MIN);
        w.u128(u128::MAX);
        w.f64(-0.0);
        w.f64(f64::NAN);
        w.bytes(b"abc");
        let b = w.into_bytes();
        let mut r = Reader::new(&b);
        assert_eq!(r.i128(), Ok(i128::MIN));
        assert_eq!(r.u128(), Ok(u128::MAX));
        assert_eq!(r.f64().unwrap().to_bits(), (-0.0f64).to_bits());
        assert_eq!(r.f64().unwrap().to_bits(), f64::NAN.to_bits());
        assert_eq!(r.bytes(), Ok(&b"abc"[..]));
        r.finish().unwrap();
        assert!(r.f64().is_err());
        let mut r = Reader::new(&b[..20]);
        r.i128().unwrap();
        assert!(r.finish().is_err());
    }
}
