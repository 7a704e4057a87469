//! Sharded runs: `worthit run ... --shard K/N` runs only the batches `b` with `b mod N = K`
//! and saves its accumulators to `<out>/<stem>/shard-K-of-N.state`; `worthit merge` adds the
//! states up. Batch `b`'s trials depend only on (seed, trial index) and every accumulator
//! merges exactly, so the merge of any N shards equals the unsharded run byte for byte.
//!
//! The scheduler is someone else's (a Slurm job array, a Kubernetes Indexed Job, an AWS Batch
//! array job): `--shard auto/N` reads `K` from the index each of them gives its tasks.

pub mod state;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicU64;
use std::time::Instant;

use sha2::{Digest, Sha256};

use crate::app::{self, Status};
use crate::cli::RunArgs;
use crate::dist::Dist;
use crate::engine;
use crate::model::Model;
use crate::report::output;
use crate::scenario::{self, Override, Scenario};
use crate::stats::accumulate::RunStats;
use state::{Header, OverrideRecord, State, hex};

/// The environment variables that give a task its index, in the order they are read: Slurm
/// job arrays, Kubernetes Indexed Jobs, AWS Batch array jobs.
pub const INDEX_VARS: [&str; 3] = [
    "SLURM_ARRAY_TASK_ID",
    "JOB_COMPLETION_INDEX",
    "AWS_BATCH_JOB_ARRAY_INDEX",
];

/// Most shards a run may have: far more than batches of any sensible run.
pub const MAX_SHARDS: u64 = 1_000_000;

/// `--shard K/N` as typed: `K` or `auto`, and `N`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardSpec {
    /// `None` for `auto`.
    pub k: Option<u64>,
    /// Number of shards.
    pub n: u64,
}

impl ShardSpec {
    /// Parse `K/N` (`0 <= K < N`) or `auto/N`, `1 <= N <= 1,000,000`.
    ///
    /// # Errors
    /// Anything else, in words.
    pub fn parse(s: &str) -> Result<Self, String> {
        let (k, n) = s
            .split_once('/')
            .ok_or("expected K/N (shard K of N, K counting from 0) or auto/N")?;
        let n: u64 = n
            .trim()
            .parse()
            .map_err(|_| format!("N must be a whole number of shards, found {n:?}"))?;
        if !(1..=MAX_SHARDS).contains(&n) {
            return Err(format!("N must be from 1 to {MAX_SHARDS}, found {n}"));
        }
        let k = match k.trim() {
            "auto" => None,
            k => {
                let k: u64 = k
                    .parse()
                    .map_err(|_| format!("K must be a whole number or auto, found {k:?}"))?;
                if k >= n {
                    return Err(format!(
                        "K must be below N = {n} (K counts from 0), found {k}"
                    ));
                }
                Some(k)
            }
        };
        Ok(ShardSpec { k, n })
    }

    /// The shard to run: `K` as given, or for `auto` from the first of [`INDEX_VARS`] that is
    /// set (looked up with `var`).
    ///
    /// # Errors
    /// `auto` with none set, or with a value that is not a number below `N`.
    pub fn resolve(&self, var: impl Fn(&str) -> Option<String>) -> Result<Shard, String> {
        if let Some(k) = self.k {
            return Ok(Shard {
                k,
                n: self.n,
                from: None,
            });
        }
        // Set empty is as good as unset (a script's `VAR=` or `${VAR:-}`).
        let set = |v: &&'static str| var(v).filter(|x| !x.trim().is_empty()).map(|x| (*v, x));
        let Some((name, value)) = INDEX_VARS.iter().find_map(set) else {
            return Err(format!(
                "--shard auto/{} needs the task's index in {}, {} or {}, and none is set (or each is empty)",
                self.n, INDEX_VARS[0], INDEX_VARS[1], INDEX_VARS[2]
            ));
        };
        let k: u64 = value
            .trim()
            .parse()
            .map_err(|_| format!("--shard auto/{}: {name}={value:?} is not a number", self.n))?;
        if k >= self.n {
            return Err(format!(
                "--shard auto/{n}: {name}={k} is not below N = {n} (indices must run from 0 to {last})",
                n = self.n,
                last = self.n - 1
            ));
        }
        Ok(Shard {
            k,
            n: self.n,
            from: Some(name),
        })
    }
}

/// One shard of a run, resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Its index, `0..n`.
    pub k: u64,
    /// Number of shards.
    pub n: u64,
    /// The variable `k` was read from, for `auto`.
    pub from: Option<&'static str>,
}

impl Shard {
    /// The batches of a run of `trials` that this shard runs: `b mod n = k`.
    pub fn batches(&self, trials: u64) -> Vec<u64> {
        (self.k..engine::batches(trials))
            .step_by(self.n as usize)
            .collect()
    }

    /// The trials of those batches.
    pub fn trials(&self, trials: u64) -> u64 {
        self.batches(trials)
            .iter()
            .map(|&b| {
                let r = engine::batch_trials(trials, b);
                r.end - r.start
            })
            .sum()
    }
}

/// SHA-256 of the data of the scenario's `empirical` inputs (key, count and values of each,
/// in input order), hex: the data files are read beside the scenario and are not in its text.
pub fn data_sha256(sc: &Scenario) -> String {
    let mut h = Sha256::new();
    for p in &sc.inputs {
        if let Dist::Empirical { values, .. } = &p.dist {
            h.update(p.key.as_bytes());
            h.update([0]);
            h.update((values.len() as u64).to_le_bytes());
            for v in values {
                h.update(v.to_bits().to_le_bytes());
            }
        }
    }
    hex(&h.finalize())
}

/// `worthit run --shard`: for each scenario, run this shard's batches and write its state
/// file, and nothing else. `files` and `overrides` were checked by the caller.
pub fn run(files: &[PathBuf], args: &RunArgs, overrides: &[Override], spec: ShardSpec) -> Status {
    let shard = match spec.resolve(|v| std::env::var(v).ok()) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return Status::Usage;
        }
    };
    if args.precision.is_some() {
        eprintln!(
            "error: --precision cannot be used with --shard: a run stops at a precision once its whole answer is known, which no shard alone knows; give the shards --trials (the trials that an unsharded run with --precision reached are in its run.json)"
        );
        return Status::Usage;
    }
    // Not `check_writable`'s probe file: the shards of a run start together and share the
    // folder, and would remove each other's probe. Each writes only its own state's name.
    if let Err(e) = output::ensure_dir(&args.out) {
        eprintln!("error: {e}");
        return Status::Failed;
    }
    let threads = crate::cli::threads(args.threads);
    let (taken, mut refused) = app::claim_folders(&args.out, files);
    for e in refused.iter().flatten() {
        eprintln!("error: {e}\n");
    }
    let mut failed = 0;
    for (file, refusal) in files.iter().zip(&mut refused) {
        if refusal.take().is_some() {
            failed += 1;
            continue;
        }
        let outcome = match load_one(file, overrides) {
            Ok(loaded) => run_one(file, loaded, args, overrides, shard, threads),
            Err(msg) => {
                eprintln!("{msg}\n");
                // As a run without --shard does: the results of an earlier run of what the
                // file said then go (the states of the shards stay, for their merge).
                let outdated = app::remove_outdated(&args.out, [file.as_path()], &taken);
                app::say_outdated(&outdated);
                failed += 1;
                continue;
            }
        };
        if let Err(msg) = outcome {
            eprintln!("{msg}\n");
            failed += 1;
        }
    }
    if failed == 0 {
        Status::Ok
    } else {
        eprintln!("{failed} of {} scenarios failed", files.len());
        Status::Failed
    }
}

/// A scenario file read and checked as `run` reads it (a folder, an unreadable file or one
/// over 16 MiB is one located error), with its text for the state.
fn load_one(file: &Path, overrides: &[Override]) -> Result<(Scenario, String), String> {
    let bytes = scenario::read(file).map_err(|e| e.to_string())?;
    let sc = scenario::load_bytes(&bytes, file, overrides).map_err(|e| e.to_string())?;
    let text = String::from_utf8(bytes).map_err(|_| "a loaded scenario is UTF-8".to_string())?;
    Ok((sc, text))
}

fn run_one(
    file: &Path,
    (sc, text): (Scenario, String),
    args: &RunArgs,
    overrides: &[Override],
    shard: Shard,
    threads: usize,
) -> Result<(), String> {
    for w in &sc.warnings {
        eprintln!("warning: {}: {w}", file.display());
    }
    if let Some(p) = sc.simulation.precision {
        let remove = match overrides.iter().find(|o| o.key == "simulation.precision") {
            Some(o) => format!("leave out --set {}={} for the sharded run", o.key, o.value),
            None => "remove it from the file for the sharded run".to_string(),
        };
        return Err(format!(
            "error: {}: [simulation] precision = {p} cannot be honoured by a sharded run (a run stops at a precision once its whole answer is known, which no shard alone knows); {remove}, and set the trials instead",
            file.display()
        ));
    }
    let dir = output::scenario_dir(&args.out, &sc.stem).map_err(|e| format!("error: {e}"))?;
    // Before the simulation: a folder that cannot be made fails at once. One made here is
    // removed again if the run fails or is stopped (when still empty: other shards may have
    // written to it).
    let made = output::MadeDir::make(&dir).map_err(|e| format!("error: {e}"))?;
    let (trials, seed) = (sc.simulation.trials, sc.simulation.seed);
    let model = Model::new(&sc);
    let batches = shard.batches(trials);
    let shard_trials = shard.trials(trials);

    let started = Instant::now();
    let progress = AtomicU64::new(0);
    let bar = (!args.quiet && std::io::stderr().is_terminal())
        .then(|| app::progress_bar(&sc.stem, shard_trials));
    let stats: RunStats = app::with_bar(bar, &progress, || {
        engine::run_batches(&model, trials, seed, &batches, threads, Some(&progress))
    })
    .map_err(|e| format!("error: {}: {e}", file.display()))?;
    let elapsed = started.elapsed().as_secs_f64();

    let header = Header {
        program: "worthit".to_string(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        scenario: sc.name.clone(),
        scenario_file: file.display().to_string(),
        stem: sc.stem.clone(),
        scenario_sha256: hex(&Sha256::digest(text.as_bytes())),
        data_sha256: data_sha256(&sc),
        overrides: overrides
            .iter()
            .map(|o| OverrideRecord {
                key: o.key.clone(),
                value: o.value.clone(),
            })
            .collect(),
        seed,
        trials,
        k: shard.k,
        n: shard.n,
        shard_trials,
        threads,
        elapsed_seconds: elapsed,
        index_from: shard.from.map(str::to_string),
    };
    let st = State {
        header,
        scenario_text: text,
        stats,
    };
    let path = dir.join(state::file_name(shard.k, shard.n));
    // Made again if another shard, failing, removed it while it was empty.
    output::ensure_dir(&dir)
        .and_then(|()| output::write_atomic(&path, &st.to_bytes()))
        .map_err(|e| format!("error: {e}"))?;
    if let Some(made) = made {
        made.keep();
    }
    println!(
        "wrote {} (shard {} of {}: {} of {} trials, {})",
        path.display(),
        shard.k,
        shard.n,
        scenario::fmt_num(shard_trials as f64),
        scenario::fmt_num(trials as f64),
        crate::text::seconds(elapsed)
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_and_bad_ones_say_why() {
        assert_eq!(ShardSpec::parse("0/1"), Ok(ShardSpec { k: Some(0), n: 1 }));
        assert_eq!(ShardSpec::parse("3/7"), Ok(ShardSpec { k: Some(3), n: 7 }));
        assert_eq!(ShardSpec::parse("auto/4"), Ok(ShardSpec { k: None, n: 4 }));
        for (bad, why) in [
            ("4/4", "K must be below N = 4"),
            ("1/0", "N must be from 1"),
            ("0/1000001", "N must be from 1 to 1000000"),
            ("-1/4", "K must be a whole number or auto"),
            ("x/4", "K must be a whole number or auto"),
            ("2", "expected K/N"),
            ("2/", "N must be a whole number"),
            ("auto/-3", "N must be a whole number"),
        ] {
            let e = ShardSpec::parse(bad).unwrap_err();
            assert!(e.contains(why), "{bad}: {e}");
        }
    }

    fn env<'a>(vars: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        |name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn auto_reads_the_first_index_variable_set() {
        let auto = ShardSpec { k: None, n: 4 };
        let s = auto.resolve(env(&[("SLURM_ARRAY_TASK_ID", "2")])).unwrap();
        assert_eq!((s.k, s.n, s.from), (2, 4, Some("SLURM_ARRAY_TASK_ID")));
        let s = auto.resolve(env(&[("JOB_COMPLETION_INDEX", "3")])).unwrap();
        assert_eq!((s.k, s.from), (3, Some("JOB_COMPLETION_INDEX")));
        let s = auto
            .resolve(env(&[("AWS_BATCH_JOB_ARRAY_INDEX", "0")]))
            .unwrap();
        assert_eq!((s.k, s.from), (0, Some("AWS_BATCH_JOB_ARRAY_INDEX")));
        // First set wins, in the order Slurm, Kubernetes, AWS Batch.
        let s = auto
            .resolve(env(&[
                ("AWS_BATCH_JOB_ARRAY_INDEX", "3"),
                ("JOB_COMPLETION_INDEX", "1"),
            ]))
            .unwrap();
        assert_eq!((s.k, s.from), (1, Some("JOB_COMPLETION_INDEX")));
        // A K given explicitly ignores the environment.
        let s = ShardSpec { k: Some(1), n: 4 }
            .resolve(env(&[("SLURM_ARRAY_TASK_ID", "3")]))
            .unwrap();
        assert_eq!((s.k, s.from), (1, None));
    }

    #[test]
    fn auto_without_a_usable_index_is_an_error() {
        let auto = ShardSpec { k: None, n: 4 };
        let e = auto.resolve(env(&[])).unwrap_err();
        assert!(
            e.contains("none is set") && e.contains("SLURM_ARRAY_TASK_ID"),
            "{e}"
        );
        let e = auto
            .resolve(env(&[("SLURM_ARRAY_TASK_ID", "one")]))
            .unwrap_err();
        assert!(e.contains("\"one\" is not a number"), "{e}");
        // Set empty: as if unset.
        let e = auto
            .resolve(env(&[("SLURM_ARRAY_TASK_ID", "")]))
            .unwrap_err();
        assert!(e.contains("none is set"), "{e}");
        let s = auto
            .resolve(env(&[
                ("SLURM_ARRAY_TASK_ID", " "),
                ("JOB_COMPLETION_INDEX", "1"),
            ]))
            .unwrap();
        assert_eq!((s.k, s.from), (1, Some("JOB_COMPLETION_INDEX")));
        let e = auto
            .resolve(env(&[("JOB_COMPLETION_INDEX", "4")]))
            .unwrap_err();
        assert!(
            e.contains("JOB_COMPLETION_INDEX=4 is not below N = 4"),
            "{e}"
        );
    }

    #[test]
    fn shards_partition_the_batches() {
        // 5,000 trials: batches 0..=3 of 1,024 and batch 4 of 904.
        assert_eq!(engine::batches(5000), 5);
        for n in 1..=7 {
            let mut all: Vec<u64> = Vec::new();
            let mut trials = 0;
            for k in 0..n {
                let s = Shard { k, n, from: None };
                let b = s.batches(5000);
                assert!(b.iter().all(|&b| b % n == k));
                all.extend(b);
                trials += s.trials(5000);
            }
            all.sort_unstable();
            assert_eq!(all, vec![0, 1, 2, 3, 4], "n = {n}");
            assert_eq!(trials, 5000, "n = {n}");
        }
        let s = Shard {
            k: 1,
            n: 3,
            from: None,
        };
        assert_eq!(s.batches(5000), vec![1, 4]);
        assert_eq!(s.trials(5000), 1024 + 904);
        // More shards than batches: the last ones are empty.
        let s = Shard {
            k: 6,
            n: 7,
            from: None,
        };
        assert!(s.batches(5000).is_empty());
        assert_eq!(s.trials(5000), 0);
    }
}
