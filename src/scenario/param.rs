//! Numeric inputs: a plain number or a `{ dist = ... }` table, compiled into a sampler and
//! checked against the values the input may take (a probability must stay in [0, 1]).

use std::path::Path;

use toml::de::DeValue;

use super::reader::{Ctx, Table, Value, describe};
use super::schema::{self, IfAbsent, Section};
use crate::dist::fit::{self, LogSummary};
use crate::dist::{Bounds, Dist, Invalid, NEGLIGIBLE};

/// The values an input may take.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Domain {
    /// Any real number (raises: the spec's own example is an unbounded normal).
    Any,
    /// 0 or more (money, months, rates of interest).
    NonNegative,
    /// A probability or a share, in [0, 1].
    Probability,
    /// A rate or a share of change, as a fraction: its values stay in `[lo, 1]` (a
    /// percentage typed by mistake, `7.94` for 7.94%, is the commonest error that still looks
    /// valid, so it is refused with a hint).
    Rate {
        /// Lowest value allowed (-0.99 for the economy's rates, so that 1 + r stays above 0).
        lo: f64,
    },
}

/// `x` percent as a fraction, as a person would write it: `1.1` -> `0.011` (not the
/// `0.011000000000000001` that dividing by 100 gives).
pub(crate) fn from_percent(x: f64) -> f64 {
    (x / 100.0 * 1e12).round() / 1e12
}

/// The hint for a percentage typed where a fraction goes: `; 6.2 looks like a percentage:
/// write 0.062`, appended to what was found.
pub(crate) fn percent_hint(x: f64) -> String {
    format!(
        "; {} looks like a percentage: write {}",
        fmt_num(x),
        fmt_num(from_percent(x))
    )
}

impl Domain {
    fn contains(&self, (lo, hi): (f64, f64)) -> bool {
        match self {
            Domain::Any => true,
            Domain::NonNegative => lo >= 0.0,
            Domain::Probability => lo >= 0.0 && hi <= 1.0,
            Domain::Rate { lo: m } => lo >= *m && hi <= 1.0,
        }
    }

    /// The range of values allowed.
    pub fn range(&self) -> (f64, f64) {
        match self {
            Domain::Any => (f64::NEG_INFINITY, f64::INFINITY),
            Domain::NonNegative => (0.0, f64::INFINITY),
            Domain::Probability => (0.0, 1.0),
            Domain::Rate { lo } => (*lo, 1.0),
        }
    }

    fn allowed(&self) -> String {
        match self {
            Domain::Any => "any number".into(),
            Domain::NonNegative => {
                "a value that cannot go below 0 (a fixed number >= 0, or a distribution bounded below by 0: add `min = 0` to a normal)".into()
            }
            Domain::Probability => "a probability: a distribution whose values stay in [0, 1] (a number in [0, 1], beta, uniform within [0, 1], or add `min = 0, max = 1` to a normal)".into(),
            Domain::Rate { lo } => format!(
                "a fraction from {} to 1 (write 3% as 0.03), with every value of its distribution in that range (add `min`, `max` to a normal)",
                fmt_num(*lo)
            ),
        }
    }

    /// A hint when a value looks like a percentage typed for a fraction: `7.94` for a rate,
    /// `85` for a probability.
    fn percentage_hint(&self, (lo, hi): (f64, f64)) -> Option<String> {
        let x = if hi.abs() > 1.0 { hi } else { lo };
        // A range from a fraction (or 0, or below) to beyond 1 (`min = 0.5, max = 1.2`) is
        // not percentages: its low end already reads as a fraction.
        if lo <= 1.0 && hi > 1.0 {
            return None;
        }
        let fits = |y: f64| self.contains((y, y));
        match self {
            // 1.2 for a chance is a slip past 1, not 1.2%.
            Domain::Probability if (2.0..=100.0).contains(&x) && fits(x / 100.0) => Some(format!(
                "; {} looks like a percentage: did you mean {}?",
                fmt_num(x),
                fmt_num(from_percent(x))
            )),
            Domain::Rate { .. } if x.abs() > 1.0 && x.abs() <= 100.0 && fits(x / 100.0) => {
                Some(percent_hint(x))
            }
            _ => None,
        }
    }
}

/// Largest amount (dollars, months, rates) a non-negative input may reach: far above any real
/// salary or cost, and small enough that lifetime sums stay where the statistics are exact.
pub(crate) const MAX_AMOUNT: f64 = 1e9;

/// A numeric input of the scenario, compiled.
#[derive(Debug, Clone)]
pub struct Param {
    /// Key path (`paths.bootcamp.completion`).
    pub key: String,
    /// As written, in words (`beta(mean = 0.85, sd = 0.05)`).
    pub text: String,
    /// The sampler.
    pub dist: Dist,
    /// Whether the key was left out and took its default.
    pub default: bool,
}

impl Param {
    /// A fixed value (for defaults and tests).
    pub fn fixed(key: &str, v: f64) -> Self {
        Param {
            key: key.to_string(),
            text: fmt_num(v),
            dist: Dist::Fixed(v),
            default: true,
        }
    }
}

/// A number for people: whole numbers of 1,000 or more with separators, others as they are.
pub fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() >= 1000.0 && x.abs() < 1e15 {
        let out = crate::text::thousands(x.abs() as u64);
        if x < 0.0 { format!("-{out}") } else { out }
    } else {
        typed(x)
    }
}

/// A number as a person would type it (on the command line, where `250,000` is not a
/// number): `0.7`, `250000`, and `1e300` rather than its 301 digits (Rust writes every digit
/// of a large `f64`).
pub fn typed(x: f64) -> String {
    if x != 0.0 && (x.abs() >= 1e15 || x.abs() < 1e-6) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// The distribution names and the keys each takes.
pub const DISTS: &[(&str, &[&str])] = &[
    ("fixed", &["value", "min", "max"]),
    ("uniform", &["min", "max"]),
    ("normal", &["mean", "sd", "min", "max"]),
    (
        "lognormal",
        &[
            "mean", "sd", "median", "p10", "p25", "p75", "p90", "min", "max",
        ],
    ),
    ("triangular", &["min", "mode", "max"]),
    ("pert", &["min", "mode", "max"]),
    ("beta", &["alpha", "beta", "mean", "sd", "min", "max"]),
    ("choice", &["values", "weights", "min", "max"]),
    ("empirical", &["file", "column", "min", "max"]),
];

fn dist_names() -> String {
    DISTS
        .iter()
        .map(|(n, _)| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Read the input `name` of table `t` as the schema declares it (its domain and default),
/// and register it in `ctx.inputs` under its key path. Returns whether it is valid.
pub fn input(
    ctx: &mut Ctx<'_>,
    t: &mut Table<'_, '_>,
    section: Section,
    name: &str,
    dir: &Path,
) -> bool {
    let def = schema::def(section, name);
    let domain = def.domain().expect("an input key");
    let key = t.key(name);
    let Some(v) = t.get(name) else {
        match def.default {
            IfAbsent::Num(d) => {
                ctx.assume(&key, fmt_num(d), true);
                ctx.inputs.push(Param::fixed(&key, d));
                return true;
            }
            _ => {
                ctx.error(
                    t.span.clone(),
                    &key,
                    format!("no `{name}` in `{}`", table_name(t)),
                    format!("`{name}` is required here"),
                );
                return false;
            }
        }
    };
    let Some((mut dist, text)) = value(ctx, v, &key, dir) else {
        return false;
    };
    if !domain.contains(dist.support()) {
        let (lo, hi) = dist.support();
        let (rlo, rhi) = domain.range();
        let outside = dist.mass_outside(rlo, rhi);
        // A negligible chance outside the range (a salary of normal(60,000, 5,000) below 0,
        // a raise of normal(0.015, 0.02) beyond 100%): accepted, truncated to the range. Not
        // a probability: one whose distribution can leave [0, 1] is refused however small
        // the chance, as the model says (bound it, or use beta).
        let truncated = (outside < NEGLIGIBLE && domain != Domain::Probability)
            .then(|| dist.truncated(rlo, rhi).ok())
            .flatten();
        match truncated {
            Some(d) => dist = d,
            None => {
                let hint = domain.percentage_hint((lo, hi)).unwrap_or_default();
                let found = if dist.is_fixed() {
                    format!("{text}{hint}")
                } else if outside < NEGLIGIBLE {
                    format!(
                        "{text}, whose values are not bounded to [{}, {}] (however unlikely, a value outside is possible){hint}",
                        fmt_num(rlo),
                        fmt_num(rhi),
                    )
                } else if outside < 1.0 {
                    format!(
                        "{text}, which goes outside [{}, {}] with a chance of {}{hint}",
                        fmt_num(rlo),
                        fmt_num(rhi),
                        chance(outside)
                    )
                } else {
                    format!(
                        "{text}, which can take values in [{}, {}]{hint}",
                        fmt_num(lo),
                        fmt_num(hi)
                    )
                };
                ctx.error(v.span(), &key, found, domain.allowed());
                return false;
            }
        }
    }
    let max = dist.practical_max();
    if domain == Domain::NonNegative && (max.is_nan() || max > MAX_AMOUNT) {
        ctx.error(
            v.span(),
            &key,
            if dist.is_fixed() { text.clone() } else { format!("{text}, which reaches {}", fmt_num(max.round())) },
            "at most 1,000,000,000 (a billion): larger amounts, months or rates are not plausible and overflow the statistics",
        );
        return false;
    }
    // A rate of exactly 1 is allowed (100%), but is almost always 1% typed as 1: a raise of
    // 100% every year, a 100% premium or interest rate.
    if matches!(domain, Domain::Rate { .. }) && matches!(dist, Dist::Fixed(x) if x == 1.0) {
        ctx.warn_at(
            v.span(),
            &key,
            "1 is 100%; if you meant 1%, write 0.01 (every rate is a fraction of 1)",
        );
    }
    ctx.assume(&key, text.clone(), false);
    ctx.inputs.push(Param {
        key,
        text,
        dist,
        default: false,
    });
    true
}

/// A chance in words: "16%", "0.3%", "2.1e-5".
fn chance(p: f64) -> String {
    if p >= 0.01 {
        format!("{:.0}%", 100.0 * p)
    } else if p >= 1e-3 {
        format!("{:.1}%", 100.0 * p)
    } else {
        format!("{p:.1e}")
    }
}

fn table_name(t: &Table<'_, '_>) -> String {
    if t.path.is_empty() {
        "the top level".to_string()
    } else {
        format!("[{}]", t.path)
    }
}

/// Parse a number or a distribution table.
fn value(ctx: &mut Ctx<'_>, v: &Value<'_>, key: &str, dir: &Path) -> Option<(Dist, String)> {
    match v.get_ref() {
        DeValue::Integer(_) | DeValue::Float(_) => {
            let x = ctx.number(v, key)?;
            Some((Dist::Fixed(x), fmt_num(x)))
        }
        DeValue::Table(_) => {
            let mut t = ctx.table(v, key)?;
            distribution(ctx, &mut t, dir)
        }
        other => {
            let found = describe(other);
            ctx.error(
                v.span(),
                key,
                found,
                format!(
                    "a number, or a table `{{ dist = \"...\", ... }}` with dist one of {}",
                    dist_names()
                ),
            );
            None
        }
    }
}

fn distribution(ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>, dir: &Path) -> Option<(Dist, String)> {
    let span = t.span.clone();
    let Some(dv) = t.get("dist") else {
        ctx.error(
            span,
            &t.path,
            "a table without `dist`",
            format!("a number, or a table with `dist` = one of {}", dist_names()),
        );
        return None;
    };
    let name = ctx.string(dv, &t.key("dist"))?;
    let Some((name, keys)) = DISTS.iter().find(|(n, _)| *n == name) else {
        let hint =
            super::reader::closest(&name, &DISTS.iter().map(|(n, _)| *n).collect::<Vec<_>>())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
        ctx.error(
            dv.span(),
            &t.key("dist"),
            format!("an unknown distribution `{name}`{hint}"),
            format!("one of {}", dist_names()),
        );
        return None;
    };
    // Read every numeric key this distribution takes.
    let mut nums: Vec<(&str, f64)> = Vec::new();
    let mut bad = false;
    for &k in keys.iter() {
        if matches!(k, "values" | "weights" | "file" | "column") {
            continue;
        }
        if let Some(v) = t.get(k) {
            match ctx.number(v, &t.key(k)) {
                Some(x) => nums.push((k, x)),
                None => bad = true,
            }
        }
    }
    let special = match *name {
        "choice" => choice_lists(ctx, t, &mut bad),
        "empirical" => empirical_data(ctx, t, dir, &mut bad),
        _ => None,
    };
    let mut allowed: Vec<&str> = vec!["dist"];
    allowed.extend(keys.iter());
    t.finish(ctx, &allowed);
    if bad {
        return None;
    }
    let get = |k: &str| nums.iter().find(|(n, _)| *n == k).map(|(_, x)| *x);
    let bounds = Bounds {
        min: get("min"),
        max: get("max"),
    };
    let text = {
        let mut parts: Vec<String> = nums
            .iter()
            .map(|(k, x)| format!("{k} = {}", fmt_num(*x)))
            .collect();
        if let Some(s) = &special {
            parts.insert(0, s.text.clone());
        }
        format!("{name}({})", parts.join(", "))
    };
    let need = |ctx: &mut Ctx<'_>, ks: &[&str]| -> Option<Vec<f64>> {
        let missing: Vec<&str> = ks.iter().copied().filter(|k| get(k).is_none()).collect();
        if missing.is_empty() {
            Some(ks.iter().map(|k| get(k).expect("checked")).collect())
        } else {
            ctx.error(
                span.clone(),
                &t.path,
                format!("a {name} without {}", crate::text::code_list(missing)),
                format!("{name} takes {}", crate::text::code_list(keys.iter())),
            );
            None
        }
    };
    let built: Result<Dist, Invalid> = match *name {
        "fixed" => {
            let v = need(ctx, &["value"])?;
            Dist::fixed(v[0], bounds)
        }
        "uniform" => {
            let v = need(ctx, &["min", "max"])?;
            Dist::uniform(v[0], v[1])
        }
        "normal" => {
            let v = need(ctx, &["mean", "sd"])?;
            Dist::normal(v[0], v[1], bounds)
        }
        "triangular" | "pert" => {
            let v = need(ctx, &["min", "mode", "max"])?;
            if *name == "pert" {
                Dist::pert(v[0], v[1], v[2])
            } else {
                Dist::triangular(v[0], v[1], v[2])
            }
        }
        "lognormal" => {
            let given: Vec<LogSummary> = nums
                .iter()
                .filter_map(|(k, x)| LogSummary::from_key(k, *x))
                .collect();
            if given.len() != 2 {
                Err(Invalid::new(
                    format!(
                        "{} of `mean`, `sd`, `median`, `p10`, `p25`, `p75`, `p90`",
                        given.len()
                    ),
                    "exactly two: `median` with one other, two percentiles, or `mean` with `sd`",
                ))
            } else {
                fit::lognormal(given[0], given[1])
                    .and_then(|(mu, s)| Dist::lognormal(mu, s, bounds))
            }
        }
        "beta" => {
            let (lo, hi) = (get("min").unwrap_or(0.0), get("max").unwrap_or(1.0));
            match (get("alpha"), get("beta"), get("mean"), get("sd")) {
                (Some(a), Some(b), None, None) => Dist::beta(a, b, lo, hi),
                // Checked here, in the units written (the fit works on the [0, 1] scale).
                (None, None, Some(m), Some(_)) if hi > lo && !(lo < m && m < hi) => {
                    Err(Invalid::new(
                        format!(
                            "mean = {} outside ({}, {})",
                            fmt_num(m),
                            fmt_num(lo),
                            fmt_num(hi)
                        ),
                        "a mean strictly between min and max (0 and 1 when they are not given)",
                    ))
                }
                (None, None, Some(m), Some(s))
                    if hi > lo && !(s > 0.0 && s * s < (m - lo) * (hi - m)) =>
                {
                    Err(Invalid::new(
                        format!("sd = {} with mean = {}", fmt_num(s), fmt_num(m)),
                        format!(
                            "0 < sd < {:.4} = sqrt((mean - min) (max - mean)), the largest sd a beta on [{}, {}] with this mean can have",
                            ((m - lo) * (hi - m)).sqrt(),
                            fmt_num(lo),
                            fmt_num(hi)
                        ),
                    ))
                }
                (None, None, Some(m), Some(s)) if hi > lo => {
                    fit::beta_from_moments((m - lo) / (hi - lo), s / (hi - lo))
                        .and_then(|(a, b)| Dist::beta(a, b, lo, hi))
                }
                (None, None, Some(_), Some(_)) => {
                    Err(Invalid::new(format!("min = {lo}, max = {hi}"), "min < max"))
                }
                _ => Err(Invalid::new(
                    format!(
                        "beta with {}",
                        nums.iter()
                            .map(|(k, _)| format!("`{k}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    "`alpha` and `beta`, or `mean` and `sd` (optional `min`, `max` rescale from [0, 1])",
                )),
            }
        }
        "choice" => {
            let s = special?;
            Dist::choice(&s.values, s.weights.as_deref(), bounds)
        }
        "empirical" => {
            let s = special?;
            Dist::empirical(&s.values, bounds)
        }
        _ => unreachable!("every name of DISTS is handled"),
    };
    match built {
        Ok(d) => Some((d, text)),
        Err(e) => {
            ctx.error(span, &t.path, e.found, e.allowed);
            None
        }
    }
}

/// The lists of a `choice`, or the data of an `empirical`.
struct Special {
    text: String,
    values: Vec<f64>,
    weights: Option<Vec<f64>>,
}

fn number_array(ctx: &mut Ctx<'_>, v: &Value<'_>, key: &str) -> Option<Vec<f64>> {
    let DeValue::Array(items) = v.get_ref() else {
        let found = describe(v.get_ref());
        ctx.error(v.span(), key, found, "an array of numbers, like [1, 2, 3]");
        return None;
    };
    let mut out = Vec::with_capacity(items.len());
    let mut ok = true;
    for (i, item) in items.iter().enumerate() {
        match ctx.number(item, &format!("{key}[{i}]")) {
            Some(x) => out.push(x),
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn choice_lists(ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>, bad: &mut bool) -> Option<Special> {
    let Some(v) = t.get("values") else {
        ctx.error(
            t.span.clone(),
            &t.path,
            "a choice without `values`",
            "`values = [...]` with optional `weights = [...]`",
        );
        *bad = true;
        return None;
    };
    let values = number_array(ctx, v, &t.key("values"));
    let weights = match t.get("weights") {
        Some(w) => number_array(ctx, w, &t.key("weights")).map(Some),
        None => Some(None),
    };
    match (values, weights) {
        (Some(values), Some(weights)) => {
            let list = |xs: &[f64]| {
                xs.iter()
                    .map(|x| fmt_num(*x))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let mut text = format!("values = [{}]", list(&values));
            if let Some(w) = &weights {
                text.push_str(&format!(", weights = [{}]", list(w)));
            }
            Some(Special {
                text,
                values,
                weights,
            })
        }
        _ => {
            *bad = true;
            None
        }
    }
}

fn empirical_data(
    ctx: &mut Ctx<'_>,
    t: &mut Table<'_, '_>,
    dir: &Path,
    bad: &mut bool,
) -> Option<Special> {
    let file = t.get("file");
    let column = t.get("column");
    let (Some(fv), Some(cv)) = (file, column) else {
        ctx.error(
            t.span.clone(),
            &t.path,
            "an empirical without `file` and `column`",
            "`file = \"data.csv\"` (relative to the scenario) and `column = \"name\"`",
        );
        *bad = true;
        return None;
    };
    let (Some(file), Some(column)) = (
        ctx.string(fv, &t.key("file")),
        ctx.string(cv, &t.key("column")),
    ) else {
        *bad = true;
        return None;
    };
    let path = dir.join(&file);
    match read_column(&path, &column) {
        Ok(values) => Some(Special {
            text: format!(
                "file = {file:?}, column = {column:?}, {} values",
                values.len()
            ),
            values,
            weights: None,
        }),
        Err((on_column, found, allowed)) => {
            let (span, key) = if on_column {
                (cv.span(), t.key("column"))
            } else {
                (fv.span(), t.key("file"))
            };
            ctx.error(span, &key, found, allowed);
            *bad = true;
            None
        }
    }
}

/// The numbers of one CSV column. Errors say whether the column (or else the file) is at fault.
///
/// Only a regular file of at most 16 MiB is read, checked before it is opened: a FIFO would
/// block the program, a device such as `/dev/zero` would fill the memory, and a folder is a
/// mistake.
fn read_column(path: &Path, column: &str) -> Result<Vec<f64>, (bool, String, String)> {
    use std::io::Read;
    const MAX_BYTES: u64 = 16 * 1024 * 1024;
    let file_err = |e: String| {
        (
            false,
            e,
            "a readable CSV file with a header row, path relative to the scenario file".to_string(),
        )
    };
    let limit_err = |e: String| {
        (
            false,
            e,
            "a regular CSV file of at most 16 MiB, path relative to the scenario file".to_string(),
        )
    };
    let meta = std::fs::metadata(path)
        .map_err(|e| file_err(format!("{}, which could not be read: {e}", path.display())))?;
    if !meta.is_file() {
        let kind = if meta.is_dir() {
            "a folder"
        } else {
            "not a regular file (a device, a pipe or a socket)"
        };
        return Err(limit_err(format!("{}, {kind}", path.display())));
    }
    if meta.len() > MAX_BYTES {
        return Err(limit_err(format!(
            "{}, a file of {} bytes, more than 16 MiB",
            path.display(),
            meta.len()
        )));
    }
    // Read at most one byte past the limit: a file that grew since it was measured is
    // refused too, never read without bound.
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| file_err(format!("{}, which could not be read: {e}", path.display())))?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(limit_err(format!(
            "{} grew past 16 MiB while it was read",
            path.display()
        )));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(bytes.as_slice());
    let headers = reader
        .headers()
        .map_err(|e| file_err(format!("{}: {e}", path.display())))?
        .clone();
    let Some(index) = headers.iter().position(|h| h == column) else {
        return Err((
            true,
            format!("no column {column:?} in {}", path.display()),
            if headers.iter().all(|h| h.is_empty()) {
                format!(
                    "a CSV file whose first line names its columns, one of them {column:?} (this one has no header line: is it empty?)"
                )
            } else {
                format!(
                    "one of its columns: {}",
                    headers
                        .iter()
                        .map(|h| format!("{h:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            },
        ));
    };
    let mut values = Vec::new();
    for (row, record) in reader.records().enumerate() {
        let record = record.map_err(|e| file_err(format!("{}: {e}", path.display())))?;
        let cell = record.get(index).unwrap_or("");
        match cell.parse::<f64>() {
            Ok(x) if x.is_finite() => values.push(x),
            _ => {
                return Err((
                    true,
                    format!(
                        "{:?} in row {} of column {column:?} of {}",
                        cell,
                        row + 2,
                        path.display()
                    ),
                    "a finite number in every row of the column".to_string(),
                ));
            }
        }
    }
    if values.is_empty() {
        return Err((
            true,
            format!("no data rows in column {column:?} of {}", path.display()),
            "at least one number".to_string(),
        ));
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_are_hinted_only_where_they_read_as_such() {
        let p = Domain::Probability;
        assert_eq!(
            p.percentage_hint((85.0, 85.0)).as_deref(),
            Some("; 85 looks like a percentage: did you mean 0.85?")
        );
        assert!(p.percentage_hint((50.0, 90.0)).unwrap().contains("0.9"));
        // From a fraction (or 0, or below) to beyond 1: typed as fractions, one end too high.
        assert_eq!(p.percentage_hint((0.5, 1.2)), None);
        assert_eq!(p.percentage_hint((0.0, 1.2)), None);
        assert_eq!(p.percentage_hint((-0.02, 1.5)), None);
        // Just past 1: a slip, not a percentage (1.2 would read as 1.2%).
        assert_eq!(p.percentage_hint((1.2, 1.2)), None);
        assert_eq!(p.percentage_hint((1.5, 1.5)), None);
        assert!(p.percentage_hint((2.0, 2.0)).is_some());
        let r = Domain::Rate { lo: -1.0 };
        assert!(
            r.percentage_hint((7.94, 7.94))
                .unwrap()
                .contains("write 0.0794")
        );
        assert_eq!(r.percentage_hint((0.04, 1.5)), None);
        assert_eq!(Domain::NonNegative.percentage_hint((85.0, 85.0)), None);
    }
}
