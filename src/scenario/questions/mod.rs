//! What would have to be true: the questions a scenario can ask of itself (`[[thresholds]]`,
//! `[[sweeps]]`) and that `worthit sweep` and `worthit threshold` ask from the command line
//! (`--vary`). Each is a key of the format and values to try; every value becomes an override
//! (`--set KEY=VALUE`), so a point is checked exactly like the file.
//!
//! Here: the questions themselves and `--vary`'s syntax. `check`: what can be checked before
//! any point is loaded. `read`: reading them from the file, located. `words`: a key as the
//! answers' sentences say it.

mod check;
mod read;
mod words;

use super::param::fmt_num;
pub use super::param::typed;
use super::schema::{MAX_POINTS, MAX_VALUE};
pub use check::{check_axis, check_sweep_whole, check_threshold, kind, value_warnings, versus_of};
pub(super) use read::{PointCheck, Scope, read};
pub use words::{key_words, words_are_plural};

/// One value of a varied key: a number, or a word (`rap`, `true`).
#[derive(Debug, Clone, PartialEq)]
pub enum Level {
    /// A number.
    Num(f64),
    /// A word, or `true`/`false`.
    Word(String),
}

impl Level {
    /// As TOML, for an override: whole numbers as integers (so that whole-number settings
    /// accept them), words quoted, `true` and `false` bare.
    pub fn toml(&self) -> String {
        match self {
            Level::Num(x) if x.fract() == 0.0 && x.abs() < 9e15 => format!("{}", *x as i64),
            Level::Num(x) => format!("{x:?}"),
            Level::Word(w) if w == "true" || w == "false" => w.clone(),
            Level::Word(w) => format!("{w:?}"),
        }
    }

    /// As written in CSV files and tables: the shortest text that reads back as the number,
    /// or the word.
    pub fn text(&self) -> String {
        match self {
            Level::Num(x) => typed(*x),
            Level::Word(w) => w.clone(),
        }
    }

    /// As a sentence or a chart says it: a repayment plan by its name ("RAP", "the standard
    /// plan"), any other word as written, a number as [`text`](Self::text) gives it (callers
    /// that know the key's unit say it in that unit).
    pub fn words(&self) -> String {
        match self {
            Level::Word(w) if w == "rap" => "RAP".into(),
            Level::Word(w) if w == "standard" => "the standard plan".into(),
            _ => self.text(),
        }
    }

    /// The number, if it is one.
    pub fn number(&self) -> Option<f64> {
        match self {
            Level::Num(x) => Some(*x),
            Level::Word(_) => None,
        }
    }
}

/// The values tried for a key.
#[derive(Debug, Clone, PartialEq)]
pub enum Values {
    /// `points` evenly spaced values from `from` to `to`, both included.
    Range {
        /// First value.
        from: f64,
        /// Last value.
        to: f64,
        /// How many.
        points: u32,
    },
    /// The values as listed.
    List(Vec<Level>),
}

/// A key and the values tried for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    /// Key path (`paths.bootcamp.placement`, or a parameter `paths.bootcamp.placement.mean`).
    pub key: String,
    /// Its values.
    pub values: Values,
}

/// Points of a `--vary` range when `:POINTS` is left out.
pub const DEFAULT_POINTS: u32 = 11;

impl Axis {
    /// The values in order. A range's are rounded to 12 significant digits, so that
    /// 0.1 + 2 x 0.1 reads 0.3 in every file.
    pub fn levels(&self) -> Vec<Level> {
        match &self.values {
            Values::List(l) => l.clone(),
            Values::Range { from, to, points } => {
                let n = (*points).max(2);
                // A point that should be 0 comes out as rounding noise (-0.1 + 0.1 is
                // 1.4e-17): anything that small beside the range's ends is 0.
                let scale = from.abs().max(to.abs());
                (0..n)
                    .map(|i| {
                        let x = if i + 1 == n {
                            *to
                        } else {
                            from + (to - from) * f64::from(i) / f64::from(n - 1)
                        };
                        let x = if x.abs() <= 1e-12 * scale { 0.0 } else { x };
                        Level::Num(round12(x))
                    })
                    .collect()
            }
        }
    }

    /// `KEY=LO..HI[:POINTS]` or `KEY=V1,V2,...`, as given to `--vary`.
    ///
    /// # Errors
    /// A malformed flag, in words (the caller adds the flag).
    pub fn parse_flag(text: &str) -> Result<Axis, String> {
        let usage = "expected KEY=LO..HI[:POINTS] or KEY=V1,V2,..., like paths.bootcamp.placement=0.3..0.9:7 or paths.x.financing.repayment=standard,rap";
        let Some((key, spec)) = text.split_once('=') else {
            return Err(format!("--vary {text:?}: {usage}"));
        };
        let (key, spec) = (key.trim(), spec.trim());
        if key.is_empty() || spec.is_empty() {
            return Err(format!("--vary {text:?}: {usage}"));
        }
        if spec.contains("...") {
            return Err(format!(
                "--vary {text:?}: three dots; a range is LO..HI, with two (like {key}=0.3..0.9)"
            ));
        }
        let values = if let Some((lo, rest)) = spec.split_once("..") {
            let (hi, points) = match rest.split_once(':') {
                Some((hi, n)) => {
                    let n: u32 = n.trim().parse().ok().filter(|n| (2..=MAX_POINTS as u32).contains(n)).ok_or_else(|| {
                        format!("--vary {text:?}: {:?} points; expected a whole number from 2 to {MAX_POINTS}", n.trim())
                    })?;
                    (hi, n)
                }
                None => (rest, DEFAULT_POINTS),
            };
            match (number(lo), number(hi)) {
                (Some(from), Some(to)) => Values::Range { from, to, points },
                _ => {
                    if let Some(problem) = range_ends_problem(key, lo, hi) {
                        return Err(format!("--vary {text:?}: {problem}"));
                    }
                    return Err(format!(
                        "--vary {text:?}: a range of {:?} to {:?}, which are not numbers; list words instead: {key}={},{}",
                        lo.trim(),
                        hi.trim(),
                        lo.trim(),
                        hi.trim()
                    ));
                }
            }
        } else {
            let list: Vec<Level> = spec
                .split(',')
                .map(|v| number(v).map_or_else(|| word(v), Level::Num))
                .collect();
            if list
                .iter()
                .any(|l| matches!(l, Level::Word(w) if w.is_empty()))
            {
                return Err(format!(
                    "--vary {text:?}: an empty value in the list; {usage}"
                ));
            }
            if list.len() > MAX_POINTS as usize {
                return Err(format!(
                    "--vary {text:?}: {} values; at most {MAX_POINTS}",
                    list.len()
                ));
            }
            // "0.3-0.9": a range written with a dash.
            if let Some((lo, hi)) = list.iter().find_map(|l| match l {
                Level::Word(w) => dashed_range(w),
                Level::Num(_) => None,
            }) {
                return Err(format!(
                    "--vary {text:?}: {lo}-{hi} is not a number; a range is written with two dots, LO..HI[:POINTS] (like {key}={lo}..{hi})"
                ));
            }
            Values::List(list)
        };
        Ok(Axis {
            key: key.to_string(),
            values,
        })
    }

    /// As typed on the command line (`--vary KEY=0.1..0.9:9`).
    pub fn flag(&self) -> String {
        let spec = match &self.values {
            Values::Range { from, to, points } => {
                format!("{}..{}:{points}", typed(*from), typed(*to))
            }
            Values::List(l) => l.iter().map(Level::text).collect::<Vec<_>>().join(","),
        };
        format!("--vary {}={spec}", self.key)
    }
}

/// A number as typed: `0.7`, `-1e4`, `10_000` (finite).
pub(crate) fn number(s: &str) -> Option<f64> {
    let t = s.trim().replace('_', "");
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Why the ends `lo` and `hi` of a range typed as `KEY=LO..HI` are not two finite numbers,
/// with what to write instead, when a better word than "not numbers" fits: an end left out,
/// percentages (shares are fractions), or a number too large for a double. `None` when the
/// ends are numbers, or words (which a list of values may compare).
pub(crate) fn range_ends_problem(key: &str, lo: &str, hi: &str) -> Option<String> {
    let (lo, hi) = (lo.trim(), hi.trim());
    if let Some(end) = [("LO", lo), ("HI", hi)]
        .iter()
        .find_map(|(name, x)| x.is_empty().then_some(*name))
    {
        return Some(format!("no {end}; a range is LO..HI, both numbers"));
    }
    let percent = |x: &str| x.strip_suffix('%').and_then(number);
    if let (Some(a), Some(b)) = (
        percent(lo).or_else(|| number(lo).map(|x| x * 100.0)),
        percent(hi).or_else(|| number(hi).map(|x| x * 100.0)),
    ) && (percent(lo).is_some() || percent(hi).is_some())
    {
        return Some(format!(
            "percentages; write shares and rates as fractions: {key}={}..{}",
            fmt_num(a / 100.0),
            fmt_num(b / 100.0)
        ));
    }
    let unbounded = |x: &str| number(x).is_none() && x.replace('_', "").parse::<f64>().is_ok();
    if let Some(x) = [lo, hi].into_iter().find(|x| unbounded(x)) {
        return Some(format!("{x:?} is not a finite number"));
    }
    None
}

/// The two numbers of a range written with a dash (`0.3-0.9`, `-1-1`), as typed.
fn dashed_range(w: &str) -> Option<(&str, &str)> {
    w.char_indices()
        .filter(|&(i, c)| c == '-' && i > 0 && !w[..i].ends_with(['e', 'E']))
        .map(|(i, _)| (&w[..i], &w[i + 1..]))
        .find(|(lo, hi)| number(lo).is_some() && number(hi).is_some())
}

/// A word as typed, quotes removed.
fn word(s: &str) -> Level {
    Level::Word(s.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
}

/// `x` to 12 significant digits.
fn round12(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    format!("{x:.11e}").parse().unwrap_or(x)
}

/// What a threshold looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub enum Metric {
    /// The share of lives in which the path comes out ahead.
    ProbBeats,
    /// The median of the difference of NPVs.
    Median,
    /// The mean of the difference of NPVs.
    Mean,
}

impl Metric {
    /// As written in files and on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Metric::ProbBeats => "prob_beats",
            Metric::Median => "median",
            Metric::Mean => "mean",
        }
    }

    /// From its key.
    pub fn parse(s: &str) -> Option<Metric> {
        match s {
            "prob_beats" => Some(Metric::ProbBeats),
            "median" => Some(Metric::Median),
            "mean" => Some(Metric::Mean),
            _ => None,
        }
    }

    /// The target when none is given: even odds, or breaking even.
    pub fn default_target(self) -> f64 {
        match self {
            Metric::ProbBeats => 0.5,
            Metric::Median | Metric::Mean => 0.0,
        }
    }

    /// Whether the metric can cross `target`: a share strictly between 0 and 1 (a share is
    /// never below 0 nor above 1, so 0 and 1 cannot be crossed), an amount within the
    /// +-1e12 dollars the statistics hold exactly. `Err((found, allowed))` otherwise.
    pub fn check_target(self, target: f64) -> Result<(), (String, String)> {
        match self {
            Metric::ProbBeats if target.is_nan() || target <= 0.0 || target >= 1.0 => Err((
                format!(
                    "target {} for prob_beats, which no share can cross{}",
                    fmt_num(target),
                    // 50 for "half of lives".
                    if target > 1.0 && target < 100.0 {
                        super::param::percent_hint(target)
                    } else {
                        String::new()
                    }
                ),
                "a share strictly between 0 and 1 (0.5: beats it in half of lives)".into(),
            )),
            Metric::Median | Metric::Mean if target.is_nan() || target.abs() >= MAX_VALUE => Err((
                format!("target {} for the {}", fmt_num(target), self.key()),
                "an amount of today's dollars within +-1e12 (0: breaks even)".into(),
            )),
            _ => Ok(()),
        }
    }
}

/// `[[thresholds]]`, or `worthit threshold`: the value of `key` in `[from, to]` at which the
/// metric of `path` against `versus` (the baseline when `None`) crosses `target`.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    /// The key searched.
    pub key: String,
    /// Lowest value.
    pub from: f64,
    /// Highest value.
    pub to: f64,
    /// The path compared.
    pub path: String,
    /// The path it is compared with; `None`: the baseline.
    pub versus: Option<String>,
    /// What is compared.
    pub metric: Metric,
    /// The metric's value whose crossing is sought.
    pub target: f64,
}

/// `[[sweeps]]`, or `worthit sweep`: every path's figures at every point of a grid of one or
/// two keys.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    /// The first key.
    pub x: Axis,
    /// The second key, if any.
    pub y: Option<Axis>,
    /// A path every other is also compared with.
    pub versus: Option<String>,
}

impl Sweep {
    /// The varied keys, in order.
    pub fn axes(&self) -> Vec<&Axis> {
        std::iter::once(&self.x).chain(&self.y).collect()
    }
}

/// What values a key takes, as far as a sweep or threshold needs to know.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Numbers in `[lo, hi]`, whole numbers only when `whole`.
    Number {
        /// Smallest allowed.
        lo: f64,
        /// Largest allowed.
        hi: f64,
        /// Whole numbers only.
        whole: bool,
    },
    /// One of these words.
    Words(Vec<&'static str>),
}

impl Kind {
    /// The values allowed, in words.
    pub fn allowed(&self) -> String {
        match self {
            Kind::Number { lo, hi, whole } => format!(
                "{} from {} to {}",
                if *whole { "whole numbers" } else { "numbers" },
                fmt_num(*lo),
                fmt_num(*hi)
            ),
            Kind::Words(w) => format!("one of {}", w.join(", ")),
        }
    }
}

/// Which part of a question a problem is in (for the span of a located error).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The key varied.
    Key,
    /// The first value of a range.
    From,
    /// The last value of a range.
    To,
    /// The listed values, or a range's number of points.
    Values,
    /// One listed value, by its place in the list (from 0).
    Item(usize),
    /// The path compared.
    Path,
    /// The path compared with.
    Versus,
    /// The target.
    Target,
}

/// A problem: where, what was found, what is allowed.
pub type Problem = (Part, String, String);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_typed() {
        assert_eq!(typed(0.7), "0.7");
        assert_eq!(typed(-250_000.0), "-250000");
        assert_eq!(typed(0.0), "0");
        assert_eq!(typed(1e300), "1e300");
        assert_eq!(typed(-2.5e-9), "-2.5e-9");
        assert_eq!(Level::Num(1e300).text(), "1e300");
    }

    #[test]
    fn a_range_through_zero_has_zero_among_its_points() {
        let a = Axis::parse_flag("paths.b.salary_premium=-0.1..0.2:4").unwrap();
        assert_eq!(a.levels(), [-0.1, 0.0, 0.1, 0.2].map(Level::Num).to_vec());
        assert_eq!(a.levels()[1].text(), "0");
    }

    #[test]
    fn a_range_written_with_a_dash_says_how_to_write_it() {
        let e = Axis::parse_flag("paths.b.placement=0.3-0.9").unwrap_err();
        assert!(e.contains("a range is written with two dots"), "{e}");
        assert!(e.contains("paths.b.placement=0.3..0.9"), "{e}");
        assert_eq!(dashed_range("-1-1"), Some(("-1", "1")));
        assert_eq!(dashed_range("1e-5"), None);
        assert_eq!(dashed_range("standard"), None);
    }

    #[test]
    fn flags_parse_ranges_and_lists() {
        let a = Axis::parse_flag("paths.b.placement=0.3..0.9:7").unwrap();
        assert_eq!(a.key, "paths.b.placement");
        assert_eq!(
            a.values,
            Values::Range {
                from: 0.3,
                to: 0.9,
                points: 7
            }
        );
        let levels = a.levels();
        assert_eq!(levels.len(), 7);
        assert_eq!(levels[2], Level::Num(0.5));
        assert_eq!(levels[6], Level::Num(0.9));
        let a = Axis::parse_flag("paths.b.costs.tuition_per_year=10_000..60_000").unwrap();
        assert_eq!(a.levels().len(), DEFAULT_POINTS as usize);
        assert_eq!(a.levels()[1], Level::Num(15_000.0));
        let a = Axis::parse_flag("paths.b.financing.repayment=standard,rap").unwrap();
        assert_eq!(
            a.values,
            Values::List(vec![
                Level::Word("standard".into()),
                Level::Word("rap".into())
            ])
        );
        let a = Axis::parse_flag("economy.discount_rate=-0.01..0.07:9").unwrap();
        assert_eq!(a.levels()[0], Level::Num(-0.01));
        assert!(Axis::parse_flag("paths.b.financing.repayment=standard..rap").is_err());
        assert!(Axis::parse_flag("nokey").is_err());
        assert!(Axis::parse_flag("k=0..1:1").is_err());
        assert!(Axis::parse_flag("k=0..1:x").is_err());
        assert!(Axis::parse_flag("k=1,,2").is_err());
    }

    #[test]
    fn levels_as_toml() {
        assert_eq!(Level::Num(3.0).toml(), "3");
        assert_eq!(Level::Num(0.25).toml(), "0.25");
        assert_eq!(Level::Num(-1e-7).toml(), "-1e-7");
        assert_eq!(Level::Word("rap".into()).toml(), "\"rap\"");
        assert_eq!(Level::Word("true".into()).toml(), "true");
        assert_eq!(round12(0.1 + 0.2), 0.3);
    }

    #[test]
    fn targets_a_metric_can_cross() {
        assert!(Metric::ProbBeats.check_target(0.5).is_ok());
        for t in [0.0, 1.0, 1.5, -0.1, f64::NAN] {
            assert!(Metric::ProbBeats.check_target(t).is_err(), "{t}");
        }
        assert!(Metric::Median.check_target(-50_000.0).is_ok());
        assert!(Metric::Mean.check_target(2e12).is_err());
    }
}
