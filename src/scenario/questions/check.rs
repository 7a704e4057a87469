//! Checks of a question before any point is loaded: the key exists and takes a single value,
//! the paths and roles it names exist, its values lie within what the key allows, a
//! threshold's target is one its metric can reach.

use super::{Axis, Kind, Level, Part, Problem, Sweep, Threshold, Values};
use crate::scenario::param::{DISTS, MAX_AMOUNT, fmt_num};
use crate::scenario::schema::{self, MAX_POINTS, MAX_VALUE, Ty};
use crate::scenario::{Domain, Factor, Param, PathSpec, Role, overrides};

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
                                crate::scenario::param::percent_hint(*x)
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
                crate::scenario::param::from_percent(from),
                crate::scenario::param::from_percent(to),
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
    use crate::scenario::overrides::within;
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

/// What a question varying `key` does that the person may not expect, in words: its values
/// give a path without `[financing]` loans, or fix an input one of `factors` loads (the
/// loading is then left out; `inputs`, the file's, name the parameters to vary instead).
pub fn value_warnings(
    paths: &[PathSpec],
    factors: &[Factor],
    inputs: &[Param],
    key: &str,
) -> Vec<String> {
    let loans = crate::scenario::overrides::gives_loans_to(paths, key)
        .map(crate::scenario::overrides::loans_given_words);
    let factor = crate::scenario::unfollowed_factor(factors, inputs, key, true);
    loans.into_iter().chain(factor).collect()
}
