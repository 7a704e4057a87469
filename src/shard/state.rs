//! The state file of one shard, `shard-K-of-N.state`: what a shard ran (its fingerprint), the
//! scenario it ran, and its accumulators, checked end to end by a SHA-256.
//!
//! # Layout (format 2)
//!
//! ```text
//! worthit shard state\n                     magic line
//! format 3\n                                format version
//! bytes 00000000000000123456\n              size of the whole file, 20 digits
//! {"program":"worthit","version":...}\n     the header, one line of JSON
//! <scenario text><statistics>               binary (stats::codec)
//! <32 bytes>                                SHA-256 of every byte before it
//! ```
//!
//! The first three lines and the trailing SHA-256 are the same in every format version, so
//! any version can tell a damaged file from one of another version. The first four lines are
//! text, so `head -4` shows what a state holds. The scenario's text is embedded, so a merge can
//! run on another machine than the shards.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::stats::accumulate::RunStats;
use crate::stats::codec::{Codec, Reader, Writer};

/// The first line of every state file.
pub const MAGIC: &[u8] = b"worthit shard state\n";
/// The format this program writes and reads.
pub const FORMAT: u32 = 3;
/// Bytes of the trailing checksum.
const SUM: usize = 32;
/// Digits of the `bytes` line.
const SIZE_DIGITS: usize = 20;

/// One `--set` (or `--trials`, `--seed`) as applied to the scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverrideRecord {
    /// Key path.
    pub key: String,
    /// The TOML value as typed.
    pub value: String,
}

/// What a shard ran: everything but the statistics.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Always `worthit`.
    pub program: String,
    /// Version of the program that ran the shard: results of two versions may differ.
    pub version: String,
    /// The scenario's `name`.
    pub scenario: String,
    /// The scenario file as given to the shard run.
    pub scenario_file: String,
    /// Its stem: the output folder's name, and what a merge groups states by.
    pub stem: String,
    /// SHA-256 of the scenario file's bytes, hex.
    pub scenario_sha256: String,
    /// SHA-256 of the data of the scenario's `empirical` inputs, hex: those files are not
    /// part of the scenario text.
    pub data_sha256: String,
    /// The command line's overrides, in the order applied.
    pub overrides: Vec<OverrideRecord>,
    /// Seed of the run.
    pub seed: u64,
    /// Trials of the whole run (every shard).
    pub trials: u64,
    /// This shard's index, `0..n`.
    pub k: u64,
    /// Number of shards.
    pub n: u64,
    /// Trials this shard ran.
    pub shard_trials: u64,
    /// Worker threads of this shard.
    pub threads: usize,
    /// Wall-clock seconds of this shard's simulation.
    pub elapsed_seconds: f64,
    /// The environment variable `K` was read from, with `--shard auto/N`.
    pub index_from: Option<String>,
}

impl Header {
    /// How `other` differs from `self` in what must agree for two shards to belong to one
    /// run, in words (`seed 7 here, 8 there`); `None` when they agree.
    pub fn mismatch(&self, other: &Header) -> Option<String> {
        let short = |s: &str| s.chars().take(12).collect::<String>();
        let overrides = |h: &Header| {
            let v: Vec<String> = h
                .overrides
                .iter()
                .map(|o| format!("{}={}", o.key, o.value))
                .collect();
            format!("[{}]", v.join(", "))
        };
        let diff = |what: &str, a: String, b: String| {
            (a != b).then(|| format!("{what} {b} here, {a} there"))
        };
        diff("program", self.program.clone(), other.program.clone())
            .or_else(|| {
                diff(
                    "worthit version",
                    self.version.clone(),
                    other.version.clone(),
                )
            })
            .or_else(|| {
                diff(
                    "scenario file SHA-256",
                    short(&self.scenario_sha256),
                    short(&other.scenario_sha256),
                )
            })
            .or_else(|| {
                diff(
                    "empirical data SHA-256",
                    short(&self.data_sha256),
                    short(&other.data_sha256),
                )
            })
            .or_else(|| diff("seed", self.seed.to_string(), other.seed.to_string()))
            .or_else(|| diff("trials", self.trials.to_string(), other.trials.to_string()))
            .or_else(|| diff("shard count N", self.n.to_string(), other.n.to_string()))
            .or_else(|| diff("overrides", overrides(self), overrides(other)))
    }
}

/// A shard's state: its header, the scenario text it ran, its statistics.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// What it ran.
    pub header: Header,
    /// The scenario file's text, as read.
    pub scenario_text: String,
    /// Its accumulators.
    pub stats: RunStats,
}

/// The name of shard `k` of `n`'s state file.
pub fn file_name(k: u64, n: u64) -> String {
    format!("shard-{k}-of-{n}.state")
}

/// Lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Why bytes are not a usable state. The caller names the file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StateError {
    /// Not a state at all.
    #[error("is not a worthit shard state (it does not start with \"worthit shard state\")")]
    NotAState,
    /// Shorter than it says it is.
    #[error("is truncated ({have} bytes{}): copy it again, or run its shard again", want.map(|w| format!(" of {w}")).unwrap_or_default())]
    Truncated {
        /// Bytes present.
        have: u64,
        /// Bytes the file says it has, if it says.
        want: Option<u64>,
    },
    /// The checksum does not match, or the checked contents cannot be read.
    #[error("is damaged ({0}): run its shard again")]
    Damaged(String),
    /// Written in a format this program does not read.
    #[error(
        "is a state of format {0}, which worthit {version} cannot read (it reads format {FORMAT}): merge with the worthit that wrote it",
        version = env!("CARGO_PKG_VERSION")
    )]
    Format(u32),
}

impl State {
    /// The bytes of the state file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let header = serde_json::to_string(&self.header).expect("a header serializes");
        let mut body = Writer::new();
        body.bytes(self.scenario_text.as_bytes());
        self.stats.encode(&mut body);
        let body = body.into_bytes();
        let mut out = Vec::with_capacity(body.len() + header.len() + 128);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(format!("format {FORMAT}\n").as_bytes());
        let size_at = out.len() + "bytes ".len();
        out.extend_from_slice(format!("bytes {:0w$}\n", 0, w = SIZE_DIGITS).as_bytes());
        out.extend_from_slice(header.as_bytes());
        out.push(b'\n');
        out.extend_from_slice(&body);
        let total = out.len() + SUM;
        out[size_at..size_at + SIZE_DIGITS]
            .copy_from_slice(format!("{total:0w$}", w = SIZE_DIGITS).as_bytes());
        let sum = Sha256::digest(&out);
        out.extend_from_slice(&sum);
        out
    }

    /// Read a state file's bytes, checking everything: the magic line, the size, the
    /// checksum, the format, then the contents.
    ///
    /// # Errors
    /// See [`StateError`].
    pub fn from_bytes(bytes: &[u8]) -> Result<State, StateError> {
        if !bytes.starts_with(MAGIC) {
            return Err(if !bytes.is_empty() && MAGIC.starts_with(bytes) {
                StateError::Truncated {
                    have: bytes.len() as u64,
                    want: None,
                }
            } else {
                StateError::NotAState
            });
        }
        let stated = stated_size(bytes);
        let have = bytes.len() as u64;
        let intact = bytes.len() >= MAGIC.len() + SUM && {
            let (data, sum) = bytes.split_at(bytes.len() - SUM);
            Sha256::digest(data).as_slice() == sum
        };
        if !intact {
            return Err(match stated {
                Some(want) if have < want => StateError::Truncated {
                    have,
                    want: Some(want),
                },
                None if bytes.len() < MAGIC.len() + 48 => {
                    StateError::Truncated { have, want: None }
                }
                _ => StateError::Damaged("its SHA-256 checksum does not match its contents".into()),
            });
        }
        let damaged = |what: String| StateError::Damaged(what);
        let mut lines = Lines {
            bytes: &bytes[..bytes.len() - SUM],
            pos: MAGIC.len(),
        };
        let format = lines
            .line()
            .and_then(|l| l.strip_prefix("format "))
            .and_then(|v| v.parse::<u32>().ok())
            .ok_or_else(|| damaged("no format line".into()))?;
        if format != FORMAT {
            return Err(StateError::Format(format));
        }
        if stated != Some(have) {
            return Err(damaged("its size line does not match its size".into()));
        }
        lines.line();
        let header: Header = lines
            .line()
            .ok_or_else(|| damaged("no header line".into()))
            .and_then(|l| {
                serde_json::from_str(l).map_err(|e| damaged(format!("its header: {e}")))
            })?;
        let mut r = Reader::new(&lines.bytes[lines.pos..]);
        let decoded = r
            .bytes()
            .and_then(|t| {
                std::str::from_utf8(t)
                    .map(str::to_string)
                    .map_err(|_| r.invalid("a scenario text that is not UTF-8"))
            })
            .and_then(|text| Ok((text, RunStats::decode(&mut r)?)))
            .and_then(|x| r.finish().map(|()| x));
        let (scenario_text, stats) = decoded.map_err(|e| damaged(e.to_string()))?;
        Ok(State {
            header,
            scenario_text,
            stats,
        })
    }
}

/// The size a file says it has on its `bytes` line, if that line reads.
fn stated_size(bytes: &[u8]) -> Option<u64> {
    let mut lines = Lines {
        bytes,
        pos: MAGIC.len(),
    };
    lines.line()?;
    let size = lines.line()?.strip_prefix("bytes ")?;
    (size.len() == SIZE_DIGITS)
        .then(|| size.parse().ok())
        .flatten()
}

/// Text lines at the start of a byte slice.
struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Lines<'a> {
    /// The next line without its `\n`, if it is UTF-8 and ends.
    fn line(&mut self) -> Option<&'a str> {
        let rest = self.bytes.get(self.pos..)?;
        let end = rest.iter().position(|&b| b == b'\n')?;
        self.pos += end + 1;
        std::str::from_utf8(&rest[..end]).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine;
    use crate::model::Model;
    use crate::scenario;
    use std::path::Path;

    const TOML: &str = r#"
[simulation]
trials = 3000
seed = 11
[person]
age = 30
retirement_age = 40
salary = { dist = "lognormal", median = 60_000, p90 = 80_000 }
[roles.analyst]
salary = { dist = "lognormal", median = 80_000, p90 = 110_000 }
[paths.stay]
baseline = true
[paths.course]
duration_months = 6
completion = { dist = "beta", mean = 0.8, sd = 0.1 }
roles = { analyst = 1 }
[paths.course.costs]
tuition_per_year = 12_000
[paths.course.financing]
federal = true
federal_rate = 0.0794
private_rate = 0.09
"#;

    fn state(batches: &[u64]) -> (State, Model) {
        let sc = scenario::load_str(TOML, Path::new("tiny.toml")).unwrap();
        let m = Model::new(&sc);
        let stats: RunStats = engine::run_batches(&m, 3000, 11, batches, 2, None).unwrap();
        let header = Header {
            program: "worthit".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            scenario: sc.name.clone(),
            scenario_file: "tiny.toml".into(),
            stem: "tiny".into(),
            scenario_sha256: hex(&Sha256::digest(TOML)),
            data_sha256: hex(&Sha256::digest(b"")),
            overrides: vec![OverrideRecord {
                key: "simulation.seed".into(),
                value: "11".into(),
            }],
            seed: 11,
            trials: 3000,
            k: 1,
            n: 2,
            shard_trials: stats.trials(),
            threads: 2,
            elapsed_seconds: 0.25,
            index_from: Some("SLURM_ARRAY_TASK_ID".into()),
        };
        let st = State {
            header,
            scenario_text: TOML.to_string(),
            stats,
        };
        (st, m)
    }

    #[test]
    fn round_trip_is_equal_and_merges_to_the_same_bytes() {
        let (st, m) = state(&[1]);
        assert_eq!(st.stats.trials(), 1024);
        let bytes = st.to_bytes();
        assert!(bytes.starts_with(b"worthit shard state\nformat 3\nbytes 0000"));
        let back = State::from_bytes(&bytes).unwrap();
        assert_eq!(back, st);
        assert!(back.stats.same_shape(&RunStats::new(&m)));
        // Writing the decoded state gives the same bytes.
        assert_eq!(back.to_bytes(), bytes);
        // Decoded shards merge to exactly the unsharded run.
        let (a, _) = state(&[0, 2]);
        let mut merged = State::from_bytes(&a.to_bytes()).unwrap().stats;
        merged.merge(&back.stats);
        let whole = engine::run(&m, 3000, 11, 1, None).unwrap();
        assert_eq!(merged, whole);
        // The size line is the file's size.
        assert_eq!(stated_size(&bytes), Some(bytes.len() as u64));
    }

    #[test]
    fn an_empty_shard_round_trips() {
        let (st, _) = state(&[]);
        assert_eq!(st.stats.trials(), 0);
        assert_eq!(State::from_bytes(&st.to_bytes()).unwrap(), st);
    }

    #[test]
    fn every_flipped_bit_is_refused() {
        let (st, _) = state(&[2]);
        let bytes = st.to_bytes();
        // Every bit of the text lines, then a sample of the binary body and the checksum.
        // The end of the fourth line (the header): everything before it is text.
        let text = bytes
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == b'\n')
            .nth(3)
            .unwrap()
            .0
            + 1;
        let positions = (0..text)
            .chain((text..bytes.len()).step_by(97))
            .chain([bytes.len() - 1]);
        for i in positions {
            for bit in 0..8 {
                let mut bad = bytes.clone();
                bad[i] ^= 1 << bit;
                let e = State::from_bytes(&bad).expect_err("a flipped bit is refused");
                assert!(
                    matches!(
                        e,
                        StateError::Damaged(_)
                            | StateError::NotAState
                            | StateError::Truncated { .. }
                    ),
                    "byte {i} bit {bit}: {e}"
                );
            }
        }
        let mut bad = bytes.clone();
        bad[bytes.len() / 2] ^= 0x10;
        assert_eq!(
            State::from_bytes(&bad),
            Err(StateError::Damaged(
                "its SHA-256 checksum does not match its contents".into()
            ))
        );
    }

    #[test]
    fn truncation_is_refused_and_says_how_much_is_left() {
        let (st, _) = state(&[0]);
        let bytes = st.to_bytes();
        let n = bytes.len() as u64;
        for keep in [bytes.len() - 1, bytes.len() - 32, bytes.len() / 2, 100] {
            assert_eq!(
                State::from_bytes(&bytes[..keep]),
                Err(StateError::Truncated {
                    have: keep as u64,
                    want: Some(n)
                }),
                "{keep}"
            );
        }
        for keep in [1, 10, MAGIC.len(), MAGIC.len() + 5] {
            assert!(
                matches!(
                    State::from_bytes(&bytes[..keep]),
                    Err(StateError::Truncated { want: None, .. })
                ),
                "{keep}"
            );
        }
        let e = State::from_bytes(&bytes[..100]).unwrap_err().to_string();
        assert_eq!(
            e,
            format!("is truncated (100 bytes of {n}): copy it again, or run its shard again")
        );
        // Bytes appended after the checksum: the checksum no longer ends the file.
        let mut longer = bytes.clone();
        longer.extend_from_slice(b"x");
        assert!(matches!(
            State::from_bytes(&longer),
            Err(StateError::Damaged(_))
        ));
    }

    #[test]
    fn what_is_not_a_state_is_refused() {
        for not in [
            &b""[..],
            b"[simulation]\ntrials = 10\n",
            b"Worthit shard state\nformat 2\n",
            b"\x89PNG\r\n\x1a\n",
        ] {
            let e = State::from_bytes(not).unwrap_err();
            assert!(
                e == StateError::NotAState
                    || (not.is_empty() && matches!(e, StateError::Truncated { have: 0, .. })),
                "{not:?}: {e}"
            );
        }
        assert_eq!(
            State::from_bytes(b"a csv,file\n1,2\n")
                .unwrap_err()
                .to_string(),
            "is not a worthit shard state (it does not start with \"worthit shard state\")"
        );
    }

    /// Re-seal bytes with a correct size line and checksum, as a future writer would.
    fn reseal(mut data: Vec<u8>) -> Vec<u8> {
        let total = data.len() + SUM;
        let at = MAGIC.len() + "format 2\nbytes ".len();
        data[at..at + SIZE_DIGITS].copy_from_slice(format!("{total:020}").as_bytes());
        let sum = Sha256::digest(&data);
        data.extend_from_slice(&sum);
        data
    }

    #[test]
    fn another_format_is_named_and_bad_contents_under_a_good_checksum_are_refused() {
        let (st, _) = state(&[0]);
        let bytes = st.to_bytes();
        let body = bytes[..bytes.len() - SUM].to_vec();
        let at = MAGIC.len() + "format ".len();
        // A state of the format before (without the mean net return's parts).
        let mut v2 = body.clone();
        v2[at] = b'2';
        let e = State::from_bytes(&reseal(v2)).unwrap_err();
        assert_eq!(e, StateError::Format(2));
        assert!(e.to_string().contains("format 2"), "{e}");
        // A checksum-valid file whose statistics end early or have extra bytes.
        let mut short = body.clone();
        short.truncate(body.len() - 3);
        assert!(matches!(
            State::from_bytes(&reseal(short)),
            Err(StateError::Damaged(_))
        ));
        let mut long = body.clone();
        long.push(0);
        assert!(matches!(
            State::from_bytes(&reseal(long)),
            Err(StateError::Damaged(_))
        ));
    }

    #[test]
    fn any_bytes_under_a_good_checksum_are_an_error_or_a_state_never_a_panic() {
        let (st, _) = state(&[0]);
        let bytes = st.to_bytes();
        let body = bytes[..bytes.len() - SUM].to_vec();
        let start = body
            .iter()
            .enumerate()
            .filter(|&(_, &b)| b == b'\n')
            .nth(3)
            .unwrap()
            .0
            + 1;
        // Corrupt the binary body at many places, re-sealed: decoding checks every invariant.
        let mut seen_errors = 0;
        for i in (start..body.len()).step_by(13) {
            for v in [0u8, 0x7f, 0x80, 0xff] {
                let mut b = body.clone();
                b[i] = v;
                if State::from_bytes(&reseal(b)).is_err() {
                    seen_errors += 1;
                }
            }
        }
        assert!(seen_errors > 0);
    }

    #[test]
    fn mismatch_names_the_first_difference() {
        let (st, _) = state(&[0]);
        let h = st.header;
        assert_eq!(h.mismatch(&h.clone()), None);
        let mut o = h.clone();
        o.k = 0;
        o.shard_trials = 5;
        o.threads = 9;
        assert_eq!(h.mismatch(&o), None, "k, threads and timing may differ");
        o.seed = 12;
        assert_eq!(h.mismatch(&o).unwrap(), "seed 12 here, 11 there");
        let mut o = h.clone();
        o.n = 3;
        assert_eq!(h.mismatch(&o).unwrap(), "shard count N 3 here, 2 there");
        let mut o = h.clone();
        o.version = "9.9.9".into();
        o.trials = 1;
        assert!(
            h.mismatch(&o)
                .unwrap()
                .starts_with("worthit version 9.9.9 here")
        );
        let mut o = h.clone();
        o.overrides.clear();
        assert_eq!(
            h.mismatch(&o).unwrap(),
            "overrides [] here, [simulation.seed=11] there"
        );
        let mut o = h.clone();
        o.scenario_sha256 = "ab".repeat(32);
        assert!(
            h.mismatch(&o)
                .unwrap()
                .starts_with("scenario file SHA-256 abababababab here")
        );
    }
}
