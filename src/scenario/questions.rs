//! What would have to be true: the questions a scenario can ask of itself (`[[thresholds]]`,
//! `[[sweeps]]`) and that `worthit sweep` and `worthit threshold` ask from the command line
//! (`--vary`). Each is a key of the format and values to try; every value becomes an override
//! (`--set KEY=VALUE`), so a point is checked exactly like the file. What can be checked
//! before any point is loaded is checked here: the key exists and takes a single value, the
//! paths and roles it names exist, the values lie within what the key allows, a threshold's
//! target is one its metric can reach.

use toml::de::DeValue;

pub use super::param::typed;
use super::param::{DISTS, MAX_AMOUNT, fmt_num};
use super::reader::{Ctx, Table, Value, describe};
use super::schema::{self, MAX_POINTS, MAX_VALUE, Section, Ty};
use super::{Domain, PathSpec, Role, Scenario, overrides};

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

/// The range of an input's domain, with the caps validation applies.
fn domain_range(d: Domain) -> (f64, f64) {
    match d {
        Domain::Any => (-MAX_VALUE, MAX_VALUE),
        Domain::NonNegative => (0.0, MAX_AMOUNT),
        Domain::Probability => (0.0, 1.0),
        Domain::Rate { lo } => (lo, 1.0),
    }
}

/// What `key` takes, if a sweep may vary it in a scenario with these paths and roles.
///
/// # Errors
/// A key the format does not have, one that is not a single value (a table, a label), the
/// seed and trials (the same at every point), a path or role the scenario does not have, a
/// key of the baseline path beyond its label.
pub fn kind(key: &str, paths: &[PathSpec], roles: &[Role]) -> Result<Kind, Problem> {
    let bad = |found: String, allowed: String| (Part::Key, found, allowed);
    overrides::check_key(key).map_err(|(f, a)| bad(f, a))?;
    let parts: Vec<&str> = key.split('.').collect();
    match parts.as_slice() {
        ["simulation", ..] => {
            return Err(bad(
                format!("`{key}`, which is the same at every point"),
                "an input or setting of the model; every point runs the same trials from the same seed (set them with --trials and --seed)".into(),
            ));
        }
        ["paths", name, rest @ ..] => match paths.iter().find(|p| p.key == *name) {
            None => {
                return Err(bad(
                    format!("`{key}`: no path `{name}` in the scenario"),
                    format!(
                        "a key of one of its paths: {}",
                        names(paths.iter().map(|p| &p.key))
                    ),
                ));
            }
            Some(p) if p.is_baseline() && !matches!(rest, ["label" | "description"]) => {
                return Err(bad(
                    format!("`{key}`, a key of the baseline path `{name}`"),
                    "a key of an alternative path, or of the person, roles or economy (the baseline is staying put: its inputs are the person's)".into(),
                ));
            }
            Some(_) => {}
        },
        ["roles", name, ..] if !roles.iter().any(|r| r.key == *name) => {
            return Err(bad(
                format!("`{key}`: no role `{name}` in the scenario"),
                format!(
                    "a key of one of its roles: {}",
                    names(roles.iter().map(|r| &r.key))
                ),
            ));
        }
        _ => {}
    }
    if let Some((def, _)) = schema::lookup(key) {
        return match def.ty {
            Ty::Input(d) => {
                let (lo, hi) = domain_range(d);
                Ok(Kind::Number { lo, hi, whole: false })
            }
            Ty::Number { lo, hi } => Ok(Kind::Number { lo, hi, whole: false }),
            Ty::Int { lo, hi } => Ok(Kind::Number {
                lo: lo as f64,
                hi: (hi as f64).min(MAX_VALUE),
                whole: true,
            }),
            Ty::Word(w) => Ok(Kind::Words(w.to_vec())),
            Ty::Bool => Ok(Kind::Words(vec!["true", "false"])),
            _ => Err(bad(
                format!("`{key}`, which does not change the simulation or is not one value"),
                "an input (a number or distribution) or a setting (a number, a word, true or false)".into(),
            )),
        };
    }
    // A parameter of an input's distribution (check_key accepted it).
    let (parent, param) = key.rsplit_once('.').unwrap_or((key, ""));
    let domain = schema::lookup(parent)
        .and_then(|(d, _)| d.domain())
        .unwrap_or(Domain::Any);
    match param {
        "sd" | "alpha" | "beta" => Ok(Kind::Number {
            lo: 0.0,
            hi: MAX_AMOUNT,
            whole: false,
        }),
        "values" | "weights" | "file" | "column" => Err(bad(
            format!("`{key}`, a list or a file name"),
            format!(
                "a single number of the distribution of `{parent}`: {}",
                DISTS
                    .iter()
                    .flat_map(|(_, ks)| ks.iter())
                    .filter(|k| !matches!(**k, "values" | "weights" | "file" | "column"))
                    .copied()
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
        _ => {
            let (lo, hi) = domain_range(domain);
            Ok(Kind::Number {
                lo,
                hi,
                whole: false,
            })
        }
    }
}

fn names<'a>(it: impl Iterator<Item = &'a String>) -> String {
    let v: Vec<&str> = it.map(String::as_str).collect();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

/// Check an axis's values against what its key takes.
///
/// # Errors
/// As [`kind`]; a range of a key that takes words, a value outside the key's range or of
/// the wrong kind, a range of a whole-number key whose steps are not whole.
pub fn check_axis(axis: &Axis, paths: &[PathSpec], roles: &[Role]) -> Result<Kind, Problem> {
    let kind = kind(&axis.key, paths, roles)?;
    let key = &axis.key;
    match (&axis.values, &kind) {
        (Values::Range { .. }, Kind::Words(w)) => Err((
            Part::Values,
            format!("a range of `{key}`, which takes words"),
            format!("its values listed: {}", w.join(", ")),
        )),
        (Values::Range { from, to, points }, Kind::Number { whole, .. }) => {
            check_range(key, *from, *to, &kind)?;
            // The model rounds a duration to whole months: points between them would repeat.
            let whole = &(*whole || key.ends_with(".duration_months"));
            if !(2..=MAX_POINTS as u32).contains(points) {
                return Err((
                    Part::Values,
                    format!("{points} points"),
                    format!("from 2 to {MAX_POINTS} points"),
                ));
            }
            if *whole {
                let step = (to - from) / f64::from(points - 1);
                if from.fract() != 0.0 || step.fract() != 0.0 {
                    return Err((
                        Part::Values,
                        format!(
                            "{points} points from {} to {} of `{key}`, steps of {}",
                            fmt_num(*from),
                            fmt_num(*to),
                            fmt_num(step)
                        ),
                        "whole numbers: choose points so that (to - from) / (points - 1) is whole, or list the values".into(),
                    ));
                }
            }
            Ok(kind)
        }
        (Values::List(list), _) => {
            // One value is allowed: every path's figures at one point, beside the run's own.
            if list.is_empty() || list.len() > MAX_POINTS as usize {
                return Err((
                    Part::Values,
                    format!("{} values", list.len()),
                    format!("from 1 to {MAX_POINTS} values"),
                ));
            }
            for (i, l) in list.iter().enumerate() {
                match (l, &kind) {
                    (Level::Num(x), Kind::Number { lo, hi, whole }) => {
                        let months = key.ends_with(".duration_months");
                        if months && x.fract() != 0.0 && x >= lo && x <= hi {
                            return Err((
                                Part::Item(i),
                                format!("{}, which the model rounds to whole months", fmt_num(*x)),
                                "whole months".into(),
                            ));
                        }
                        if x < lo || x > hi || (*whole && x.fract() != 0.0) {
                            // 75 for a share of 75%.
                            let hint = if *hi <= 1.0 && *x > 1.0 && *x <= 100.0 {
                                super::param::percent_hint(*x)
                            } else {
                                String::new()
                            };
                            return Err((
                                Part::Item(i),
                                format!("{}, outside what `{key}` takes{hint}", fmt_num(*x)),
                                kind.allowed(),
                            ));
                        }
                    }
                    (Level::Word(w), Kind::Words(ws)) if ws.contains(&w.as_str()) => {}
                    (other, _) => {
                        return Err((
                            Part::Item(i),
                            format!("{:?} for `{key}`", other.text()),
                            kind.allowed(),
                        ));
                    }
                }
                // The same point twice would be run twice and drawn on itself.
                if list[..i].contains(l) {
                    return Err((
                        Part::Item(i),
                        format!(
                            "{} listed twice",
                            l.number().map_or_else(|| l.text(), fmt_num)
                        ),
                        "each value once".into(),
                    ));
                }
            }
            Ok(kind)
        }
    }
}

fn check_range(key: &str, from: f64, to: f64, kind: &Kind) -> Result<(), Problem> {
    let Kind::Number { lo, hi, .. } = kind else {
        unreachable!("a range is checked against numbers")
    };
    if from >= to {
        return Err((
            Part::To,
            format!("a range from {} to {}", fmt_num(from), fmt_num(to)),
            "a range whose first value is below its last".into(),
        ));
    }
    // 10..100 for a share of 0 to 1: percentages, as a file's value would be told.
    let fits = |x: f64| (*lo..=*hi).contains(&x);
    // (Whole percentages only: 0..1.5 is more likely a slip than 0% to 1.5%.)
    let percent = (*hi == 1.0 && to > 1.0 && to <= 100.0 && to.fract() == 0.0)
        .then(|| {
            let (a, b) = (
                super::param::from_percent(from),
                super::param::from_percent(to),
            );
            (fits(a) && fits(b)).then(|| {
                format!(
                    "; {}..{} look like percentages: write {}..{}",
                    fmt_num(from),
                    fmt_num(to),
                    fmt_num(a),
                    fmt_num(b)
                )
            })
        })
        .flatten()
        .unwrap_or_default();
    for (part, x) in [(Part::From, from), (Part::To, to)] {
        if x < *lo || x > *hi {
            return Err((
                part,
                format!("{}, outside what `{key}` takes{percent}", fmt_num(x)),
                kind.allowed(),
            ));
        }
    }
    Ok(())
}

/// Check a threshold against the scenario's paths and roles: every problem found, none when
/// it can be answered.
///
/// Problems: as [`check_axis`]; a key that does not take any number in a range, a path that
/// does not exist or is the baseline, a `versus` that does not exist or is the path itself, a
/// target the metric cannot cross. A key of a path or role that neither path compared reaches
/// is checked only once the key and both paths are right.
pub fn check_threshold(t: &Threshold, paths: &[PathSpec], roles: &[Role]) -> Vec<Problem> {
    let mut problems = Vec::new();
    // Whether a check passed; its problem kept when not.
    let mut passed = |checked: Result<(), Problem>| match checked {
        Ok(()) => true,
        Err(p) => {
            problems.push(p);
            false
        }
    };
    let key_ok = passed(threshold_key(t, paths, roles));
    let path_ok = passed(check_path(&t.path, paths, Part::Path));
    let versus_ok = passed(match &t.versus {
        Some(v) if *v == t.path => Err((
            Part::Versus,
            format!("versus `{v}`, the path itself"),
            "another path to compare with (left out: the baseline)".into(),
        )),
        Some(v) => check_path(v, paths, Part::Versus),
        None => Ok(()),
    });
    if key_ok
        && path_ok
        && versus_ok
        && let Err(p) = threshold_reach(t, paths, roles)
    {
        problems.push(p);
    }
    if let Err((f, a)) = t.metric.check_target(t.target) {
        problems.push((Part::Target, f, a));
    }
    problems
}

/// The threshold's key alone: one that takes any number in a range, and its range.
fn threshold_key(t: &Threshold, paths: &[PathSpec], roles: &[Role]) -> Result<(), Problem> {
    let kind = kind(&t.key, paths, roles)?;
    if !matches!(kind, Kind::Number { whole: false, .. }) {
        return Err((
            Part::Key,
            format!("`{}`, which takes {}", t.key, kind.allowed()),
            "a key that takes any number in a range (sweep the others instead)".into(),
        ));
    }
    // A duration is rounded to whole months: the figure is a step function of it, and a
    // crossing found between two whole months says nothing the months themselves do not.
    if t.key.ends_with(".duration_months") {
        let (lo, hi) = (
            t.from.round().min(t.to.round()),
            t.from.round().max(t.to.round()),
        );
        let points = ((hi - lo) as usize + 1).clamp(2, MAX_POINTS as usize);
        return Err((
            Part::Key,
            format!(
                "`{}`, which the model rounds to whole months (the answer would fall between them)",
                t.key
            ),
            format!(
                "a key that takes any number in a range; for a duration, a sweep of whole months (worthit sweep --vary {}={}..{}:{points})",
                t.key,
                fmt_num(lo),
                fmt_num(hi)
            ),
        ));
    }
    check_range(&t.key, t.from, t.to, &kind)
}

/// Whether the threshold's key can move its figure at all (its key, path and versus right).
fn threshold_reach(t: &Threshold, paths: &[PathSpec], roles: &[Role]) -> Result<(), Problem> {
    // A key of a path that is not compared cannot move the figure: every path draws from
    // its own streams, so the search would find a flat line.
    if let Some(other) = t
        .key
        .strip_prefix("paths.")
        .and_then(|k| k.split('.').next())
        && other != t.path
        && t.versus.as_deref() != Some(other)
        && !paths.iter().any(|p| p.key == other && p.is_baseline())
    {
        let compared = match &t.versus {
            Some(v) => format!("`{}` or `{v}`", t.path),
            None => format!("`{}`", t.path),
        };
        return Err((
            Part::Key,
            format!(
                "`{}`, an input of path `{other}`, which this threshold does not compare (it compares `{}` with {}): its value cannot change the answer",
                t.key,
                t.path,
                t.versus
                    .as_deref()
                    .map_or("the baseline".to_string(), |v| format!("`{v}`"))
            ),
            format!(
                "a key of {compared}, of a role they can lead to, or of what every path shares (the economy, the person, the tax)"
            ),
        ));
    }
    // Likewise a role that neither path compared can lead to.
    if let Some(role) = t
        .key
        .strip_prefix("roles.")
        .and_then(|k| k.split('.').next())
    {
        let index = roles.iter().position(|r| r.key == role);
        let leads = |p: &str| {
            paths.iter().any(|ps| {
                ps.key == p
                    && ps
                        .alternative
                        .as_ref()
                        .zip(index)
                        .is_some_and(|(a, i)| a.leads_to(i))
            })
        };
        if !leads(&t.path) && !t.versus.as_deref().is_some_and(leads) {
            return Err((
                Part::Key,
                format!(
                    "`{}`, an input of role `{role}`, which neither path compared leads to: its value cannot change the answer",
                    t.key
                ),
                "a key of a role in the `roles` of the path asked about (or of `versus`), or of the path itself".into(),
            ));
        }
    }
    Ok(())
}

/// Check what a sweep's keys, each checked alone by [`check_axis`], do not say: the same key
/// twice; a `versus` that is not a path.
pub fn check_sweep_whole(s: &Sweep, paths: &[PathSpec]) -> Vec<Problem> {
    let mut problems = Vec::new();
    use super::overrides::within;
    if let Some(y) = &s.y {
        if y.key == s.x.key {
            problems.push((
                Part::Key,
                format!("`{}` varied twice", y.key),
                "two different keys".into(),
            ));
        } else if let Some((whole, part)) = [(&s.x.key, &y.key), (&y.key, &s.x.key)]
            .into_iter()
            .find(|(a, b)| within(b, a))
        {
            problems.push((
                Part::Key,
                format!("`{whole}` and its own parameter `{part}` both varied"),
                "two different inputs".into(),
            ));
        }
    }
    if let Some(v) = &s.versus
        && let Err(p) = check_any_path(v, paths, Part::Versus)
    {
        problems.push(p);
    }
    problems
}

/// A `versus` that names the baseline compares with what every path is compared with
/// anyway: the same question as leaving it out, answered and filed the same way.
pub fn versus_of(versus: Option<String>, paths: &[PathSpec]) -> Option<String> {
    versus.filter(|v| !paths.iter().any(|p| p.key == *v && p.is_baseline()))
}

/// An alternative path of the scenario.
fn check_path(name: &str, paths: &[PathSpec], part: Part) -> Result<(), Problem> {
    check_any_path(name, paths, part)?;
    if paths.iter().any(|p| p.key == name && p.is_baseline()) && part == Part::Path {
        return Err((
            part,
            format!("`{name}`, the baseline path"),
            format!(
                "an alternative path: {}",
                names(paths.iter().filter(|p| !p.is_baseline()).map(|p| &p.key))
            ),
        ));
    }
    Ok(())
}

fn check_any_path(name: &str, paths: &[PathSpec], part: Part) -> Result<(), Problem> {
    if paths.iter().any(|p| p.key == name) {
        Ok(())
    } else {
        Err((
            part,
            format!("`{name}`, which is not a path of the scenario"),
            format!("one of its paths: {}", names(paths.iter().map(|p| &p.key))),
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// Reading them from the file
// ---------------------------------------------------------------------------------------------

/// Spans of a question's parts, to locate its problems.
#[derive(Default)]
struct Spans {
    table: std::ops::Range<usize>,
    key: Option<std::ops::Range<usize>>,
    from: Option<std::ops::Range<usize>>,
    to: Option<std::ops::Range<usize>>,
    values: Option<std::ops::Range<usize>>,
    /// Each listed value's.
    items: Vec<std::ops::Range<usize>>,
    path: Option<std::ops::Range<usize>>,
    versus: Option<std::ops::Range<usize>>,
    target: Option<std::ops::Range<usize>>,
}

impl Spans {
    fn of(&self, part: Part) -> std::ops::Range<usize> {
        let s = match part {
            Part::Key => &self.key,
            Part::From => &self.from,
            Part::To => &self.to,
            Part::Values => &self.values,
            Part::Item(i) => &self.items.get(i).cloned(),
            Part::Path => &self.path,
            Part::Versus => &self.versus,
            Part::Target => &self.target,
        };
        s.clone()
            .or_else(|| self.values.clone())
            .or_else(|| self.key.clone())
            .unwrap_or_else(|| self.table.clone())
    }

    fn name(part: Part) -> String {
        match part {
            Part::Key => "vary",
            Part::From => "from",
            Part::To => "to",
            Part::Values => "values",
            Part::Item(i) => return format!("values[{i}]"),
            Part::Path => "path",
            Part::Versus => "versus",
            Part::Target => "target",
        }
        .to_string()
    }
}

/// The tables of an array of tables (`[[thresholds]]`); reports a value that is not one.
fn tables<'a, 'i>(ctx: &mut Ctx<'_>, v: &'a Value<'i>, key: &str) -> Vec<(String, Table<'a, 'i>)> {
    let DeValue::Array(items) = v.get_ref() else {
        let found = describe(v.get_ref());
        ctx.error(
            v.span(),
            key,
            found,
            format!("an array of tables: a [[{key}]] header before each"),
        );
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let k = format!("{key}[{i}]");
            ctx.table(item, &k).map(|t| (k, t))
        })
        .collect()
}

/// Values of a question's key that a run is sure to try (a threshold's ends, every value of
/// a sweep's axis), to be tried when the file is read: a value the key's range allows but
/// the rest of the file does not (a parameter the input's distribution does not take, a beta
/// whose mean and sd do not fit) is then an error at the question's `vary`, found by
/// `validate`, rather than a run that stops at that point.
#[derive(Debug, Clone)]
pub(super) struct PointCheck {
    /// The span of the question's `vary` (or of the question, without one).
    pub span: std::ops::Range<usize>,
    /// The key path of that `vary`, for the message (`thresholds[0].vary`).
    pub at: String,
    /// The key varied.
    pub key: String,
    /// The values to try.
    pub levels: Vec<Level>,
}

/// Read `[[thresholds]]` and `[[sweeps]]` of the root table. `paths` is `None` when the
/// paths could not be read (their errors are reported; names are then not checked).
/// `broken` names the paths in the file that had errors of their own (left out of
/// `paths`): a question about one of them is not checked against the paths, since its "no
/// path" error would only repeat the path's own. The values each question is sure to try
/// go to `checks`.
pub(super) fn read(
    ctx: &mut Ctx<'_>,
    root: &mut Table<'_, '_>,
    paths: Option<&[PathSpec]>,
    broken: &[String],
    roles: &[Role],
    checks: &mut Vec<PointCheck>,
) -> (Vec<Threshold>, Vec<Sweep>) {
    let mut thresholds = Vec::new();
    if let Some(v) = root.get("thresholds") {
        // The same question twice (over two ranges) is answered twice, and the two answers
        // differ in the last digit: refused, as a sweep of the same keys is.
        // The key path of each question kept, beside it in `thresholds`.
        let mut names: Vec<String> = Vec::new();
        for (k, mut t) in tables(ctx, v, "thresholds") {
            let span = t.span.clone();
            if let Some(q) = threshold(ctx, &mut t, &k, paths, broken, roles, checks) {
                let same = |o: &Threshold| {
                    (&o.key, &o.path, &o.versus, o.metric, o.target)
                        == (&q.key, &q.path, &q.versus, q.metric, q.target)
                };
                if let Some(first) = thresholds.iter().position(same) {
                    ctx.error(
                        span,
                        &k,
                        format!(
                            "the same question as {} (its key, path, metric and target)",
                            names[first]
                        ),
                        "each question once; to search a wider range, widen `from` and `to` of the one",
                    );
                    continue;
                }
                names.push(k);
                thresholds.push(q);
            }
        }
    }
    let mut sweeps = Vec::new();
    if let Some(v) = root.get("sweeps") {
        // The answers of a sweep are written to a folder named after its keys: two sweeps of
        // the same keys would write one folder.
        type Keys = (String, Option<String>, Option<String>);
        let mut seen: Vec<(Keys, String)> = Vec::new();
        for (k, mut t) in tables(ctx, v, "sweeps") {
            let span = t.span.clone();
            if let Some(q) = sweep(ctx, &mut t, &k, paths, broken, roles, checks) {
                let id = (
                    q.x.key.clone(),
                    q.y.as_ref().map(|y| y.key.clone()),
                    q.versus.clone(),
                );
                if let Some((_, first)) = seen.iter().find(|(i, _)| *i == id) {
                    ctx.error(
                        span,
                        &k,
                        format!("a sweep of the same keys as {first}, whose answers it would overwrite"),
                        "sweeps of different keys (or compared with another path); one sweep can list every value: `values = [...]`",
                    );
                    continue;
                }
                seen.push((id, k.clone()));
                sweeps.push(q);
            }
        }
    }
    (thresholds, sweeps)
}

fn text(
    ctx: &mut Ctx<'_>,
    t: &mut Table<'_, '_>,
    name: &str,
    spans: &mut Option<std::ops::Range<usize>>,
) -> Option<String> {
    let v = t.get(name)?;
    *spans = Some(v.span());
    ctx.string(v, &t.key(name))
}

fn num(
    ctx: &mut Ctx<'_>,
    t: &mut Table<'_, '_>,
    section: Section,
    name: &str,
    span: &mut Option<std::ops::Range<usize>>,
) -> Option<f64> {
    let v = t.get(name)?;
    *span = Some(v.span());
    let x = ctx.number(v, &t.key(name))?;
    if let Ty::Number { lo, hi } = schema::def(section, name).ty
        && !(lo..=hi).contains(&x)
    {
        ctx.error(
            v.span(),
            &t.key(name),
            fmt_num(x),
            format!("a number from {} to {}", fmt_num(lo), fmt_num(hi)),
        );
        return None;
    }
    Some(x)
}

fn missing(ctx: &mut Ctx<'_>, t: &Table<'_, '_>, name: &str, example: &str) {
    ctx.error(
        t.span.clone(),
        &t.key(name),
        format!(
            "no `{name}` in [[{}]]",
            t.path.split('[').next().unwrap_or_default()
        ),
        format!("`{name}` is required: {example}"),
    );
}

/// Whether a question names a path in `broken`: in a key it varies (`paths.NAME...`), or
/// as the path compared or compared with.
fn names_broken<'a>(
    broken: &[String],
    keys: impl IntoIterator<Item = &'a str>,
    paths: impl IntoIterator<Item = &'a str>,
) -> bool {
    let named: Vec<&str> = keys
        .into_iter()
        .filter_map(|k| k.strip_prefix("paths.")?.split('.').next())
        .chain(paths)
        .collect();
    broken.iter().any(|b| named.contains(&b.as_str()))
}

fn threshold(
    ctx: &mut Ctx<'_>,
    t: &mut Table<'_, '_>,
    key: &str,
    paths: Option<&[PathSpec]>,
    broken: &[String],
    roles: &[Role],
    checks: &mut Vec<PointCheck>,
) -> Option<Threshold> {
    let mut spans = Spans {
        table: t.span.clone(),
        ..Spans::default()
    };
    let vary = text(ctx, t, "vary", &mut spans.key);
    let from = num(ctx, t, Section::Threshold, "from", &mut spans.from);
    let to = num(ctx, t, Section::Threshold, "to", &mut spans.to);
    let path = text(ctx, t, "path", &mut spans.path);
    let versus = text(ctx, t, "versus", &mut spans.versus);
    let metric = match t.get("metric") {
        Some(v) => match ctx.string(v, &t.key("metric")) {
            Some(s) => match Metric::parse(&s) {
                Some(m) => Some(m),
                None => {
                    ctx.error(
                        v.span(),
                        &t.key("metric"),
                        format!("{s:?}"),
                        "\"prob_beats\", \"median\" or \"mean\"",
                    );
                    None
                }
            },
            None => None,
        },
        None => Some(Metric::ProbBeats),
    };
    let target = if t.has("target") {
        Some(num(ctx, t, Section::Threshold, "target", &mut spans.target))
    } else {
        None
    };
    for (name, ok, example) in [
        ("vary", t.has("vary"), "vary = \"paths.masters.placement\""),
        ("from", t.has("from"), "from = 0.1"),
        ("to", t.has("to"), "to = 1.0"),
        ("path", t.has("path"), "path = \"masters\""),
    ] {
        if !ok {
            missing(ctx, t, name, example);
        }
    }
    t.finish(ctx, &schema::names(Section::Threshold));
    // A metric already reported wrong: the other parts are still checked (with the default
    // metric), not its target.
    let metric_ok = metric.is_some();
    let metric = metric.unwrap_or(Metric::ProbBeats);
    let paths = paths?;
    let q = Threshold {
        key: vary?,
        from: from?,
        to: to?,
        path: path?,
        versus: versus_of(versus, paths),
        metric,
        target: match target {
            Some(t) => t?,
            None => metric.default_target(),
        },
    };
    if names_broken(
        broken,
        [q.key.as_str()],
        std::iter::once(q.path.as_str()).chain(q.versus.as_deref()),
    ) {
        return None;
    }
    let problems: Vec<Problem> = check_threshold(&q, paths, roles)
        .into_iter()
        .filter(|(part, ..)| metric_ok || *part != Part::Target)
        .collect();
    for (part, found, allowed) in &problems {
        ctx.error(
            spans.of(*part),
            &format!("{key}.{}", Spans::name(*part)),
            found.clone(),
            allowed.clone(),
        );
    }
    if !problems.is_empty() || !metric_ok {
        return None;
    }
    if let Some(p) = super::overrides::gives_loans_to(paths, &q.key) {
        let words = super::overrides::loans_given_words(p);
        ctx.warn_at(spans.of(Part::Key), &format!("{key}.vary"), &words);
    }
    checks.push(PointCheck {
        span: spans.of(Part::Key),
        at: format!("{key}.vary"),
        key: q.key.clone(),
        levels: vec![Level::Num(q.from), Level::Num(q.to)],
    });
    Some(q)
}

fn sweep(
    ctx: &mut Ctx<'_>,
    t: &mut Table<'_, '_>,
    key: &str,
    paths: Option<&[PathSpec]>,
    broken: &[String],
    roles: &[Role],
    checks: &mut Vec<PointCheck>,
) -> Option<Sweep> {
    let mut versus_span = None;
    let versus = text(ctx, t, "versus", &mut versus_span);
    let axis_of =
        |ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>, name: &str| -> Option<Option<(Axis, Spans)>> {
            let Some(v) = t.get(name) else {
                return Some(None);
            };
            let mut at = ctx.table(v, &format!("{key}.{name}"))?;
            axis(ctx, &mut at).map(Some)
        };
    let x = axis_of(ctx, t, "x");
    let y = axis_of(ctx, t, "y");
    if !t.has("x") {
        missing(
            ctx,
            t,
            "x",
            "x = { vary = \"paths.masters.placement\", from = 0.3, to = 0.9, points = 7 }",
        );
    }
    t.finish(ctx, &schema::names(Section::Sweep));
    let (x, xs) = x??;
    let y = y?;
    let paths = paths?;
    let s = Sweep {
        x,
        y: y.as_ref().map(|(a, _)| a.clone()),
        versus: versus_of(versus, paths),
    };
    if names_broken(
        broken,
        std::iter::once(s.x.key.as_str()).chain(s.y.as_ref().map(|y| y.key.as_str())),
        s.versus.as_deref(),
    ) {
        return None;
    }
    let axes: Vec<(&str, &Axis, &Spans)> = std::iter::once(("x", &s.x, &xs))
        .chain(y.as_ref().map(|(a, sp)| ("y", a, sp)))
        .collect();
    // Every problem, each axis's and the whole sweep's, before giving up.
    let mut bad = false;
    for &(name, a, sp) in &axes {
        if let Err((part, found, allowed)) = check_axis(a, paths, roles) {
            ctx.error(
                sp.of(part),
                &format!("{key}.{name}.{}", Spans::name(part)),
                found,
                allowed,
            );
            bad = true;
        }
    }
    for (part, found, allowed) in check_sweep_whole(&s, paths) {
        let span = match part {
            Part::Versus => versus_span.clone().unwrap_or(t.span.clone()),
            _ => y.as_ref().map_or(t.span.clone(), |(_, sp)| sp.of(part)),
        };
        ctx.error(
            span,
            &format!(
                "{key}.{}",
                if part == Part::Versus {
                    "versus"
                } else {
                    "y.vary"
                }
            ),
            found,
            allowed,
        );
        bad = true;
    }
    if bad {
        return None;
    }
    for (name, a, sp) in axes {
        if let Some(p) = super::overrides::gives_loans_to(paths, &a.key) {
            let words = super::overrides::loans_given_words(p);
            ctx.warn_at(sp.of(Part::Key), &format!("{key}.{name}.vary"), &words);
        }
        checks.push(PointCheck {
            span: sp.of(Part::Key),
            at: format!("{key}.{name}.vary"),
            key: a.key.clone(),
            levels: a.levels(),
        });
    }
    Some(s)
}

/// `{ vary = KEY, from = LO, to = HI, points = N }` or `{ vary = KEY, values = [...] }`.
fn axis(ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>) -> Option<(Axis, Spans)> {
    let mut spans = Spans {
        table: t.span.clone(),
        ..Spans::default()
    };
    let vary = text(ctx, t, "vary", &mut spans.key);
    if !t.has("vary") {
        missing(ctx, t, "vary", "vary = \"paths.masters.placement\"");
    }
    let (has_range, has_values) = (t.has("from") || t.has("to"), t.has("values"));
    let values = if has_values && !has_range && !t.has("points") {
        let v = t.get("values")?;
        spans.values = Some(v.span());
        if let DeValue::Array(items) = v.get_ref() {
            spans.items = items.iter().map(Value::span).collect();
        }
        list(ctx, v, &t.key("values")).map(Values::List)
    } else if has_range && !has_values {
        let from = num(ctx, t, Section::Axis, "from", &mut spans.from);
        let to = num(ctx, t, Section::Axis, "to", &mut spans.to);
        let points = match t.get("points") {
            Some(v) => {
                spans.values = Some(v.span());
                ctx.integer(v, &t.key("points"), 2, MAX_POINTS)
                    .map(|n| n as u32)
            }
            None => Some(DEFAULT_POINTS),
        };
        if !t.has("from") || !t.has("to") {
            ctx.error(
                t.span.clone(),
                &t.key(if t.has("from") { "to" } else { "from" }),
                "a range with one end",
                "both `from` and `to`",
            );
        }
        match (from, to, points) {
            (Some(from), Some(to), Some(points)) => Some(Values::Range { from, to, points }),
            _ => None,
        }
    } else {
        for k in ["from", "to", "points", "values"] {
            t.get(k);
        }
        ctx.error(
            t.span.clone(),
            &t.path,
            if has_values {
                "both `values` and a range (`from`, `to`, `points`)"
            } else {
                "neither `values` nor `from` and `to`"
            },
            "either `from`, `to` and optional `points`, or `values = [...]`",
        );
        None
    };
    t.finish(ctx, &schema::names(Section::Axis));
    Some((
        Axis {
            key: vary?,
            values: values?,
        },
        spans,
    ))
}

/// `[0.3, 0.5]` or `["standard", "rap"]`.
fn list(ctx: &mut Ctx<'_>, v: &Value<'_>, key: &str) -> Option<Vec<Level>> {
    let allowed =
        "a list of numbers, or of words in quotes, like [0.3, 0.5, 0.7] or [\"standard\", \"rap\"]";
    let DeValue::Array(items) = v.get_ref() else {
        let found = describe(v.get_ref());
        ctx.error(v.span(), key, found, allowed);
        return None;
    };
    if items.is_empty() {
        ctx.error(v.span(), key, "an empty list", allowed);
        return None;
    }
    let mut out = Vec::new();
    for item in items {
        match item.get_ref() {
            DeValue::String(s) => out.push(Level::Word(s.to_string())),
            DeValue::Boolean(b) => out.push(Level::Word(b.to_string())),
            DeValue::Integer(_) | DeValue::Float(_) => out.push(Level::Num(ctx.number(item, key)?)),
            other => {
                let found = describe(other);
                ctx.error(item.span(), key, found, allowed);
                return None;
            }
        }
    }
    Some(out)
}

/// A key in words for a sentence about path `path`: "placement", "tuition per year",
/// "placement of the bootcamp" (a key of another path), "the mean of placement" (a
/// parameter), "the discount rate".
pub fn key_words(key: &str, path: &str, sc: &Scenario) -> String {
    let (input, param) = match schema::lookup(key) {
        Some(_) => (key, None),
        None => key
            .rsplit_once('.')
            .map_or((key, None), |(p, k)| (p, Some(k))),
    };
    let parts: Vec<&str> = input.split('.').collect();
    let last = match (parts.as_slice(), schema::lookup(input)) {
        // A cost by its label, a noun ("one-time costs", "extra living costs"), not its key.
        (["paths", _, "costs", _], Some((d, _))) => lower_first(d.label),
        _ => parts.last().copied().unwrap_or_default().replace('_', " "),
    };
    let words = match parts.as_slice() {
        // The path the sentence is about: "when its placement is 62% or more" (both paths
        // of a comparison may have a placement).
        ["paths", name, ..] if *name == path => format!("its {last}"),
        ["paths", name, ..] => {
            let label = sc
                .paths
                .iter()
                .find(|p| p.key == *name)
                .map_or(*name, |p| p.label.as_str());
            format!("{last} of {label}")
        }
        // As the sensitivity analysis names it: "starting salary as ML engineer".
        ["roles", name, ..] => {
            let role = sc.roles.iter().find(|r| r.key == *name).map_or_else(
                || crate::text::role_name(name, name),
                |r| crate::text::role_name(&r.key, &r.label),
            );
            let what = schema::lookup(input).map_or(last, |(d, _)| lower_first(d.label));
            format!("{what} as {role}")
        }
        // A key of the person, the economy or the tax: "the discount rate".
        _ => format!(
            "the {}",
            schema::lookup(input).map_or(last, |(d, _)| lower_first(d.label))
        ),
    };
    match param {
        Some(p) => format!("the {p} of {words}"),
        None => words,
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_lowercase().chain(c).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A key in words, as sentences say it: a role's by the role's name in words and its
    /// input's label (as the sensitivity analysis names it), another path's with the path's
    /// label, the path asked about's as "its".
    #[test]
    fn keys_in_words() {
        let src = r#"
[person]
age = 30
retirement_age = 65
salary = 60_000
[roles.ml_engineer]
salary = 100_000
[roles.analyst]
label = "Senior analyst"
salary = 80_000
[paths.stay]
baseline = true
[paths.bootcamp]
label = "The bootcamp"
duration_months = 4
roles = { ml_engineer = 0.5, analyst = 0.5 }
[paths.masters]
duration_months = 12
roles = { ml_engineer = 1.0 }
"#;
        let sc = crate::scenario::load_str(src, std::path::Path::new("k.toml"))
            .unwrap_or_else(|e| panic!("{e}"));
        let words = |k: &str| key_words(k, "masters", &sc);
        assert_eq!(
            words("roles.ml_engineer.salary"),
            "starting salary as ML engineer"
        );
        assert_eq!(
            words("roles.analyst.salary"),
            "starting salary as Senior analyst"
        );
        assert_eq!(
            words("roles.ml_engineer.salary.p90"),
            "the p90 of starting salary as ML engineer"
        );
        assert_eq!(words("paths.masters.placement"), "its placement");
        assert_eq!(
            words("paths.bootcamp.placement"),
            "placement of The bootcamp"
        );
        assert_eq!(words("economy.discount_rate"), "the discount rate");
        // A cost by its label, a noun.
        assert_eq!(words("paths.masters.costs.one_time"), "its one-time costs");
        assert_eq!(
            words("paths.masters.costs.tuition_per_year"),
            "its tuition per year"
        );
        // A `versus` naming the baseline is the question without one.
        let versus = |v: &str| versus_of(Some(v.to_string()), &sc.paths);
        assert_eq!(versus("stay"), None);
        assert_eq!(versus("bootcamp").as_deref(), Some("bootcamp"));
    }

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
