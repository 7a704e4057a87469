//! Reading the questions from the file (`[[thresholds]]`, `[[sweeps]]`), each part located
//! for its errors.

use toml::de::DeValue;

use super::check::{check_axis, check_sweep_whole, check_threshold, value_warnings, versus_of};
use super::{Axis, DEFAULT_POINTS, Level, Metric, Part, Problem, Sweep, Threshold, Values};
use crate::scenario::param::fmt_num;
use crate::scenario::reader::{Ctx, Table, Value, describe};
use crate::scenario::schema::{self, MAX_POINTS, Section, Ty};
use crate::scenario::{Factor, PathSpec, Role};

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
pub(in crate::scenario) struct PointCheck {
    /// The span of the question's `vary` (or of the question, without one).
    pub span: std::ops::Range<usize>,
    /// The key path of that `vary`, for the message (`thresholds[0].vary`).
    pub at: String,
    /// The key varied.
    pub key: String,
    /// The values to try.
    pub levels: Vec<Level>,
}

/// What the questions are checked against: the scenario as read so far.
pub(in crate::scenario) struct Scope<'a> {
    /// The paths that read without errors; `None` when they could not be read (their errors
    /// are reported; names are then not checked).
    pub paths: Option<&'a [PathSpec]>,
    /// The paths in the file that had errors of their own (left out of `paths`): a question
    /// about one of them is not checked against the paths, since its "no path" error would
    /// only repeat the path's own.
    pub broken: &'a [String],
    /// The roles.
    pub roles: &'a [Role],
    /// The factors, whose loadings a question that fixes an input leaves out.
    pub factors: &'a [Factor],
}

/// Read `[[thresholds]]` and `[[sweeps]]` of the root table, checked against `scope`. The
/// values each question is sure to try go to `checks`.
pub(in crate::scenario) fn read(
    ctx: &mut Ctx<'_>,
    root: &mut Table<'_, '_>,
    scope: &Scope<'_>,
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
            if let Some(q) = threshold(ctx, &mut t, &k, scope, checks) {
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
            if let Some(q) = sweep(ctx, &mut t, &k, scope, checks) {
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
    scope: &Scope<'_>,
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
    let (paths, broken, roles) = (scope.paths?, scope.broken, scope.roles);
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
    warn_values(
        ctx,
        spans.of(Part::Key),
        &format!("{key}.vary"),
        scope,
        &q.key,
    );
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
    scope: &Scope<'_>,
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
    let (paths, broken, roles) = (scope.paths?, scope.broken, scope.roles);
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
        warn_values(
            ctx,
            sp.of(Part::Key),
            &format!("{key}.{name}.vary"),
            scope,
            &a.key,
        );
        checks.push(PointCheck {
            span: sp.of(Part::Key),
            at: format!("{key}.{name}.vary"),
            key: a.key.clone(),
            levels: a.levels(),
        });
    }
    Some(s)
}

/// What a question's values do that the person may not expect ([`value_warnings`]), said
/// at its key.
fn warn_values(
    ctx: &mut Ctx<'_>,
    span: std::ops::Range<usize>,
    at: &str,
    scope: &Scope<'_>,
    key: &str,
) {
    let paths = scope.paths.unwrap_or_default();
    for words in value_warnings(paths, scope.factors, &ctx.inputs, key) {
        ctx.warn_at(span.clone(), at, &words);
    }
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
