//! Command-line definitions (clap), and nothing else.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::scenario::Override;
use crate::scenario::questions::{Axis, Metric};
use crate::shard::ShardSpec;

/// Is a master's in machine learning worth it for you? Monte Carlo answers from scenario files.
#[derive(Debug, Parser)]
#[command(name = "worthit", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Simulate scenarios and write CSV summaries, charts and an HTML report per scenario.
    Run(RunArgs),
    /// Parse and check scenarios; run nothing.
    Validate(ValidateArgs),
    /// Write a commented template scenario (refuses to overwrite).
    Init(InitArgs),
    /// Print the JSON Schema of the scenario format, for editors (Taplo, Even Better TOML).
    Schema,
    /// Add up the states of sharded runs (`run --shard`) and write the run's outputs.
    Merge(MergeArgs),
    /// Rerun a scenario over a grid of one or two inputs' values, the same lives at every point.
    Sweep(SweepArgs),
    /// Find the value of an input at which a path starts (or stops) beating another.
    Threshold(ThresholdArgs),
}

/// Largest `--trials` accepted: 10^10 trials take hours even on many cores.
pub const MAX_TRIALS: u64 = 10_000_000_000;

/// Largest `--seed` accepted: the largest `[simulation].seed` (TOML integers are signed
/// 64-bit), so that any seed of the command line can be written in a file.
pub const MAX_SEED: u64 = i64::MAX as u64;

/// `worthit run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// Scenario files and/or folders of *.toml files.
    #[arg(default_value = "scenarios")]
    pub paths: Vec<PathBuf>,
    /// Trials per scenario (overrides [simulation].trials).
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = parse_trials)]
    pub trials: Option<u64>,
    /// Seed, 0 to 2^63-1 as in a scenario file (overrides [simulation].seed).
    #[arg(long, value_name = "S", allow_negative_numbers = true, value_parser = parse_seed)]
    pub seed: Option<u64>,
    /// Stop once every share of trials beating another path is known to within X (95%
    /// half-width, 0.005 = half a point); --trials is then the cap (overrides
    /// [simulation].precision).
    #[arg(long, value_name = "X", allow_negative_numbers = true, value_parser = parse_precision)]
    pub precision: Option<f64>,
    /// Worker threads (default: RAYON_NUM_THREADS if set, else every core). Results do not depend on it.
    #[arg(long, value_name = "T", allow_negative_numbers = true, value_parser = parse_threads)]
    pub threads: Option<u32>,
    /// Output folder.
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,
    /// Write CSV files and run.json only (no PNG charts, no HTML).
    #[arg(long)]
    pub no_charts: bool,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
    /// Override an input or setting as if written in the file (repeatable):
    /// `--set paths.bootcamp.placement=0.6`, `--set 'paths.x.completion={ dist = "beta", mean = 0.8, sd = 0.1 }'`.
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_override)]
    pub set: Vec<Override>,
    /// Run only shard K of N (batches b with b mod N = K) and write only its state file,
    /// `<out>/<scenario>/shard-K-of-N.state`, for `worthit merge`. `auto/N` reads K from
    /// SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX.
    #[arg(long, value_name = "K/N", value_parser = ShardSpec::parse)]
    pub shard: Option<ShardSpec>,
}

fn parse_override(s: &str) -> Result<Override, String> {
    Override::parse(s)
}

/// A whole number in `lo..=hi`; a negative or fractional one is named as found, with what is
/// allowed (an unsigned parser would only say "invalid digit").
fn whole_in(s: &str, lo: u64, hi: u64) -> Result<u64, String> {
    match s.trim().parse::<i128>() {
        Ok(x) if (i128::from(lo)..=i128::from(hi)).contains(&x) => Ok(x as u64),
        Ok(x) => Err(format!("{x} is not in {lo}..={hi}")),
        Err(_) => Err(format!("expected a whole number in {lo}..={hi}")),
    }
}

/// `--trials`: 1 to [`MAX_TRIALS`].
fn parse_trials(s: &str) -> Result<u64, String> {
    whole_in(s, 1, MAX_TRIALS)
}

/// `--seed`: 0 to [`MAX_SEED`].
fn parse_seed(s: &str) -> Result<u64, String> {
    whole_in(s, 0, MAX_SEED)
}

/// The worker threads: `--threads` if given; else `RAYON_NUM_THREADS` when it is a whole
/// number from 1 to 1024 (the convention of the thread pool worthit runs on, which cluster
/// job scripts set to the cores they were given); else every core.
///
/// A value it cannot use is said once, on stderr: 0, as for the thread pool, means every
/// core and is not.
pub fn threads(given: Option<u32>) -> usize {
    let every_core = || std::thread::available_parallelism().map_or(1, |n| n.get());
    let from_env = || {
        let v = std::env::var("RAYON_NUM_THREADS").ok()?;
        match parse_threads(&v) {
            Ok(t) => Some(t),
            Err(e) => {
                if v.trim() != "0" && !v.trim().is_empty() {
                    static SAID: std::sync::Once = std::sync::Once::new();
                    SAID.call_once(|| {
                        crate::errln!(
                            "warning: RAYON_NUM_THREADS={v:?}: {e}; using every core ({})",
                            every_core()
                        );
                    });
                }
                None
            }
        }
    };
    given
        .or_else(from_env)
        .map_or_else(every_core, |t| t as usize)
}

/// `--threads`: 1 to 1024.
fn parse_threads(s: &str) -> Result<u32, String> {
    whole_in(s, 1, 1024).map(|t| t as u32)
}

/// `--precision`: a number within the range `[simulation] precision` allows.
fn parse_precision(s: &str) -> Result<f64, String> {
    let (lo, hi) = crate::scenario::schema::PRECISION_RANGE;
    match s.trim().parse::<f64>() {
        Ok(x) if (lo..=hi).contains(&x) => Ok(x),
        _ => Err(format!(
            "expected a share from {lo} to {hi}, such as 0.005 (half a point)"
        )),
    }
}

/// `--target`: a plain number (whether the metric can cross it is checked with the metric).
fn parse_target(s: &str) -> Result<f64, String> {
    match s.trim().replace('_', "").parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(x),
        _ => Err(
            "expected a plain number: a share between 0 and 1 for prob_beats (0.6 for 60%), or dollars for median and mean (50000, not 50k or $50,000)"
                .into(),
        ),
    }
}

/// `worthit validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Scenario files and/or folders of *.toml files.
    #[arg(default_value = "scenarios")]
    pub paths: Vec<PathBuf>,
    /// Override an input or setting as if written in the file (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_override)]
    pub set: Vec<Override>,
}

/// `worthit init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Where to write the template.
    #[arg(default_value = "scenario.toml")]
    pub file: PathBuf,
}

/// `worthit merge`.
#[derive(Debug, Args)]
pub struct MergeArgs {
    /// State files (`shard-K-of-N.state`) and/or folders searched for them (with subfolders).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Output folder (default: the one the shards wrote their states under, as `run --out`
    /// gave it, so that the merged outputs land beside them; else `output`).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write CSV files and run.json only (no PNG charts, no HTML).
    #[arg(long)]
    pub no_charts: bool,
    /// No progress display: a merge shows none, and takes `-q` so that a script can pass it
    /// to every command alike.
    #[arg(short, long)]
    pub quiet: bool,
}

fn parse_vary(s: &str) -> Result<Axis, String> {
    Axis::parse_flag(s)
}

/// A threshold's `--vary`: a key and a range of numbers, which the search goes through
/// itself (no points, no list of words: those are a sweep's).
fn parse_range(s: &str) -> Result<Axis, String> {
    let like = "like paths.bootcamp.placement=0.3..0.9";
    let Some((key, spec)) = s.split_once('=') else {
        return Err(format!("--vary {s:?}: expected KEY=LO..HI, {like}"));
    };
    if !spec.contains("..") {
        return Err(format!(
            "--vary {s:?}: a threshold needs a range to search, KEY=LO..HI ({like}); to compare a list of values, sweep them: worthit sweep FILE --vary {s}"
        ));
    }
    if let Some((_, points)) = spec.split_once(':') {
        return Err(format!(
            "--vary {s:?}: a threshold chooses its own points; drop \":{points}\""
        ));
    }
    let (lo, hi) = spec.split_once("..").unwrap_or_default();
    let finite = |x: &str| crate::scenario::questions::number(x).is_some();
    // An end left out, percentages, or a number too large for a double: said as such, not
    // taken for words (which a sweep would refuse too).
    if !(finite(lo) && finite(hi))
        && let Some(problem) = crate::scenario::questions::range_ends_problem(key.trim(), lo, hi)
    {
        return Err(format!(
            "--vary {s:?}: {problem}; a threshold searches between two numbers ({like})"
        ));
    }
    if !(spec.contains("...") || finite(lo) && finite(hi)) {
        return Err(format!(
            "--vary {s:?}: a range of {:?} to {:?}; a threshold searches numbers ({like}); words are compared by a sweep: worthit sweep FILE --vary {}={},{}",
            lo.trim(),
            hi.trim(),
            key.trim(),
            lo.trim(),
            hi.trim()
        ));
    }
    Axis::parse_flag(s)
}

fn parse_metric(s: &str) -> Result<Metric, String> {
    Metric::parse(s).ok_or_else(|| format!("--metric {s:?}: expected prob_beats, median or mean"))
}

/// `worthit sweep`.
#[derive(Debug, Args)]
pub struct SweepArgs {
    /// The scenario file.
    pub file: PathBuf,
    /// A key and its values: `KEY=LO..HI[:POINTS]` (11 points by default) or
    /// `KEY=V1,V2,...` (numbers or words); once or twice (a grid).
    #[arg(long = "vary", value_name = "KEY=LO..HI[:POINTS]|KEY=V1,V2,...", value_parser = parse_vary, required = true)]
    pub vary: Vec<Axis>,
    /// Also compare every path with this one (two keys: the heatmaps show it).
    #[arg(long, value_name = "PATH")]
    pub versus: Option<String>,
    /// Write sweep.csv only (no sweep.png, no sweep.html).
    #[arg(long)]
    pub no_charts: bool,
    /// Override an input or setting as if written in the file (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_override)]
    pub set: Vec<Override>,
    /// Trials per point (overrides [simulation].trials).
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = parse_trials)]
    pub trials: Option<u64>,
    /// Seed of every point, 0 to 2^63-1 (overrides [simulation].seed).
    #[arg(long, value_name = "S", allow_negative_numbers = true, value_parser = parse_seed)]
    pub seed: Option<u64>,
    /// Worker threads (default: RAYON_NUM_THREADS if set, else every core). Results do not depend on it.
    #[arg(long, value_name = "T", allow_negative_numbers = true, value_parser = parse_threads)]
    pub threads: Option<u32>,
    /// Output folder.
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,
    /// No progress bar.
    #[arg(short, long)]
    pub quiet: bool,
}

/// `worthit threshold`.
#[derive(Debug, Args)]
pub struct ThresholdArgs {
    /// The scenario file.
    pub file: PathBuf,
    /// The key and the range searched: `KEY=LO..HI`.
    #[arg(long = "vary", value_name = "KEY=LO..HI", value_parser = parse_range)]
    pub vary: Axis,
    /// The path whose figure is compared.
    #[arg(long, value_name = "P")]
    pub path: String,
    /// The path it is compared with (default: the baseline).
    #[arg(long, value_name = "Q")]
    pub versus: Option<String>,
    /// prob_beats (share of lives ahead), median or mean (of the difference).
    #[arg(long, value_name = "METRIC", default_value = "prob_beats", value_parser = parse_metric)]
    pub metric: Metric,
    /// The metric's value whose crossing is sought (default: 0.5 for prob_beats, 0 for
    /// median and mean).
    #[arg(long, value_name = "T", allow_negative_numbers = true, value_parser = parse_target)]
    pub target: Option<f64>,
    /// Write threshold.csv only (no threshold.png, no threshold.html).
    #[arg(long)]
    pub no_charts: bool,
    /// Override an input or setting as if written in the file (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_override)]
    pub set: Vec<Override>,
    /// Trials per evaluation (overrides [simulation].trials).
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = parse_trials)]
    pub trials: Option<u64>,
    /// Seed of every evaluation, 0 to 2^63-1 (overrides [simulation].seed).
    #[arg(long, value_name = "S", allow_negative_numbers = true, value_parser = parse_seed)]
    pub seed: Option<u64>,
    /// Worker threads (default: RAYON_NUM_THREADS if set, else every core). Results do not depend on it.
    #[arg(long, value_name = "T", allow_negative_numbers = true, value_parser = parse_threads)]
    pub threads: Option<u32>,
    /// Output folder.
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,
    /// No progress display.
    #[arg(short, long)]
    pub quiet: bool,
}
