//! Building a [`Scenario`] from the spanned TOML tree, section by section, collecting every
//! problem. Keys, checks and defaults come from the declared format (`schema.rs`).

use std::path::Path;

use toml::de::{DeTable, DeValue};

use super::diagnostic::Diagnostic;
use super::names;
use super::overrides::{self, Override};
use super::param::{fmt_num, input};
use super::reader::{Ctx, Table, describe};
use super::schema::{self, IfAbsent, Section, Ty};
use super::*;

/// Parse and validate, with command-line overrides applied first; `Err` holds every
/// problem found.
pub fn scenario(
    src: &str,
    file: &Path,
    overrides: &[Override],
) -> Result<Scenario, Vec<Diagnostic>> {
    read(src, file, overrides, true)
}

/// As [`scenario`], for one point of a question (the file with the point's value among the
/// overrides): its questions' own points are not tried again.
pub fn point(src: &str, file: &Path, overrides: &[Override]) -> Result<Scenario, Vec<Diagnostic>> {
    read(src, file, overrides, false)
}

/// Parse and validate; with `try_points`, also load the file at the values its questions
/// are sure to try ([`questions::PointCheck`]).
fn read(
    src: &str,
    file: &Path,
    overrides: &[Override],
    try_points: bool,
) -> Result<Scenario, Vec<Diagnostic>> {
    let prepared = overrides::prepare(src, file, overrides)?;
    let text = prepared.text.as_str();
    let (mut root, errors) = DeTable::parse_recoverable(text);
    let mut ctx = Ctx::new(text, file);
    ctx.original = src;
    ctx.offset = prepared.offset;
    ctx.flags = prepared.flags;
    if !errors.is_empty() {
        return Err(errors
            .iter()
            .map(|e| {
                let span = e.span().unwrap_or(prepared.offset..prepared.offset);
                let message = e.message().trim();
                // The parser says "duplicate key" without naming it; the span does.
                let named = match text.get(span.clone()) {
                    Some(k) if message == "duplicate key" && !k.is_empty() && !k.contains('\n') => {
                        format!("{message} `{k}` (a key or table defined twice)")
                    }
                    _ => message.to_string(),
                };
                ctx.diagnostic(
                    span,
                    "",
                    format!("invalid TOML: {named}"),
                    "valid TOML (https://toml.io)",
                )
            })
            .collect());
    }
    let applied = overrides::apply(root.get_mut(), overrides);
    for (flag, key, found, allowed) in applied.errors {
        ctx.diags
            .push(Diagnostic::on_flag(file, flag, key, found, allowed));
    }
    ctx.warnings.extend(applied.warnings);
    let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let stem = super::stem_of(file);
    let mut t = Table::new(root.get_ref(), 0..0, "");
    if root.get_ref().is_empty() {
        ctx.error(
            0..0,
            "",
            "an empty scenario",
            "a scenario with at least [person], [roles.*] and [paths.*] (see `worthit init`)",
        );
        return Err(ctx.diags);
    }

    let name = match t.get("name") {
        Some(v) => names::label(&mut ctx, v, "name").unwrap_or_default(),
        None => stem.clone(),
    };
    let description = t
        .get("description")
        .and_then(|v| ctx.string(v, "description"))
        .unwrap_or_default();
    let simulation = simulation(&mut ctx, &mut t);
    economy(&mut ctx, &mut t, &dir);
    let tax = tax(&mut ctx, &mut t);
    let person =
        section(&mut ctx, &mut t, "person", true).and_then(|mut p| person(&mut ctx, &mut p, &dir));
    let roles = roles(&mut ctx, &mut t, &dir);
    let mut broken = Vec::new();
    let paths = paths(&mut ctx, &mut t, &roles, &dir, &mut broken);
    // A role no path leads to: its inputs are read, checked and never used.
    if let Some(ps) = &paths {
        for (i, r) in roles.iter().enumerate() {
            let used = ps
                .iter()
                .any(|p| p.alternative.as_ref().is_some_and(|a| a.leads_to(i)));
            let listed = ps.iter().any(|p| {
                p.alternative
                    .as_ref()
                    .is_some_and(|a| a.roles.iter().any(|&(j, _)| j == i))
            });
            if !used {
                // Placed at the role's own table, when it is one.
                let at = t
                    .get("roles")
                    .and_then(|v| match v.get_ref() {
                        DeValue::Table(m) => m.get(r.key.as_str()).map(|r| r.span()),
                        _ => None,
                    })
                    .map(|span| format!("{}: ", ctx.place(span)))
                    .unwrap_or_default();
                ctx.warnings.push(at + &if listed {
                    format!(
                        "role `{}` has weight 0 in every path's `roles` that lists it: nothing in this scenario uses it (give it a weight above 0, or remove [roles.{}])",
                        r.key, r.key
                    )
                } else {
                    format!(
                        "role `{}` is in no path's `roles`: nothing in this scenario uses it (add it to a path's roles, or remove [roles.{}])",
                        r.key, r.key
                    )
                });
            }
        }
    }
    let factors = factors(&mut ctx, &mut t);
    let mut checks = Vec::new();
    let (thresholds, sweeps) = questions::read(
        &mut ctx,
        &mut t,
        paths.as_deref(),
        &broken,
        &roles,
        &mut checks,
    );
    finish(&mut ctx, &t, Section::Root);
    if try_points && ctx.diags.is_empty() {
        try_question_points(&mut ctx, src, file, overrides, &checks);
    }

    if !ctx.diags.is_empty() {
        if try_points {
            note_overrides(&mut ctx.diags, overrides);
        }
        ctx.diags.sort_by_key(|d| (d.line, d.column));
        return Err(ctx.diags);
    }
    let (Some(person), Some(paths)) = (person, paths) else {
        unreachable!("a missing section is always reported");
    };
    for a in &mut ctx.assumptions {
        a.overridden = overrides
            .iter()
            .any(|o| o.key == a.key || o.key.starts_with(&format!("{}.", a.key)));
    }
    Ok(Scenario {
        file: file.to_path_buf(),
        stem,
        name,
        description,
        simulation,
        tax,
        person,
        roles,
        paths,
        inputs: ctx.inputs,
        factors,
        thresholds,
        sweeps,
        assumptions: ctx.assumptions,
        warnings: ctx.warnings,
    })
}

/// A sub-table; reports it when missing and `required`.
fn section<'a, 'i>(
    ctx: &mut Ctx<'_>,
    t: &mut Table<'a, 'i>,
    name: &str,
    required: bool,
) -> Option<Table<'a, 'i>> {
    match t.get(name) {
        Some(v) => ctx.table(v, &t.key(name)),
        None => {
            if required {
                // A top-level table missing from the file: said at the file's start (the root
                // table's span would point at an override, placed before the file's text).
                let span = if t.key(name) == name {
                    ctx.offset..ctx.offset
                } else {
                    t.span.clone()
                };
                ctx.error(
                    span,
                    &t.key(name),
                    format!("no [{}] table", t.key(name)),
                    format!("a [{}] table (see `worthit init`)", t.key(name)),
                );
            }
            None
        }
    }
}

/// An empty table to read defaults from when a section is left out.
fn empty<'a>() -> &'a DeTable<'static> {
    static EMPTY: std::sync::OnceLock<DeTable<'static>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(DeTable::new)
}

fn int_setting(
    ctx: &mut Ctx<'_>,
    t: &mut Table<'_, '_>,
    section: Section,
    name: &str,
) -> Option<i64> {
    let def = schema::def(section, name);
    let Ty::Int { lo, hi } = def.ty else {
        unreachable!("{name} is declared a whole number")
    };
    let default = match def.default {
        IfAbsent::Num(x) => Some(x as i64),
        _ => None,
    };
    let key = t.key(name);
    match t.get(name) {
        Some(v) => {
            let n = ctx.integer(v, &key, lo, hi)?;
            ctx.assume(&key, fmt_num(n as f64), false);
            Some(n)
        }
        None => match default {
            Some(d) => {
                ctx.assume(&key, fmt_num(d as f64), true);
                Some(d)
            }
            None => {
                ctx.error(
                    t.span.clone(),
                    &key,
                    format!("no `{name}`"),
                    format!(
                        "`{name}` is required: a whole number from {} to {}",
                        super::reader::fmt_int(lo),
                        super::reader::fmt_int(hi)
                    ),
                );
                None
            }
        },
    }
}

fn num_setting(ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>, section: Section, name: &str) -> f64 {
    let def = schema::def(section, name);
    let Ty::Number { lo, hi } = def.ty else {
        unreachable!("{name} is declared a number")
    };
    let default = match def.default {
        IfAbsent::Num(x) => x,
        _ => 0.0,
    };
    let key = t.key(name);
    match t.get(name) {
        Some(v) => match ctx.number(v, &key) {
            Some(x) if (lo..=hi).contains(&x) => {
                ctx.assume(&key, fmt_num(x), false);
                x
            }
            Some(x) => {
                let hint = if def.unit == schema::Unit::Share && x > 1.0 && x / 100.0 <= hi {
                    super::param::percent_hint(x)
                } else {
                    String::new()
                };
                ctx.error(
                    v.span(),
                    &key,
                    format!("{}{hint}", fmt_num(x)),
                    format!("a number from {} to {}", fmt_num(lo), fmt_num(hi)),
                );
                default
            }
            None => default,
        },
        None => {
            ctx.assume(&key, fmt_num(default), true);
            default
        }
    }
}

/// Read every input of `section` in `t`, in the schema's order; whether all are valid.
fn inputs(ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>, section: Section, dir: &Path) -> bool {
    let mut ok = true;
    for def in schema::keys(section).filter(|k| k.is_input()) {
        ok &= input(ctx, t, section, def.name, dir);
    }
    ok
}

fn simulation(ctx: &mut Ctx<'_>, root: &mut Table<'_, '_>) -> Simulation {
    let mut t = section(ctx, root, "simulation", false)
        .unwrap_or_else(|| Table::new(empty(), 0..0, "simulation"));
    let trials = int_setting(ctx, &mut t, Section::Simulation, "trials").unwrap_or(1);
    let seed = int_setting(ctx, &mut t, Section::Simulation, "seed").unwrap_or(1);
    let precision = if t.has("precision") {
        Some(num_setting(ctx, &mut t, Section::Simulation, "precision"))
    } else {
        ctx.assume(&t.key("precision"), "none: every trial is run", true);
        None
    };
    finish(ctx, &t, Section::Simulation);
    Simulation {
        trials: trials as u64,
        seed: seed as u64,
        precision,
    }
}

fn economy(ctx: &mut Ctx<'_>, root: &mut Table<'_, '_>, dir: &Path) {
    let mut t = section(ctx, root, "economy", false)
        .unwrap_or_else(|| Table::new(empty(), 0..0, "economy"));
    inputs(ctx, &mut t, Section::Economy, dir);
    finish(ctx, &t, Section::Economy);
}

/// Report the keys of `t` that `section` does not have, with suggestions; a key that belongs
/// in a neighbouring table is reported as such.
fn finish(ctx: &mut Ctx<'_>, t: &Table<'_, '_>, section: Section) {
    let neighbours: &[(Section, &str)] = match section {
        Section::Path => &[(Section::Costs, "costs"), (Section::Financing, "financing")],
        Section::Costs => &[(Section::Path, ".."), (Section::Financing, "../financing")],
        Section::Financing => &[(Section::Path, ".."), (Section::Costs, "../costs")],
        _ => &[],
    };
    for (k, span, _) in t.entries() {
        if t.is_used(k) {
            continue;
        }
        let Some((_, rel)) = neighbours
            .iter()
            .find(|(s, _)| schema::keys(*s).any(|d| d.name == k))
        else {
            continue;
        };
        let parent = t.path.rsplit_once('.').map_or("", |(p, _)| p);
        let home = match *rel {
            ".." => parent.to_string(),
            r if r.starts_with("../") => format!("{parent}.{}", &r[3..]),
            r => format!("{}.{r}", t.path),
        };
        ctx.error(
            span,
            &t.key(k),
            format!("`{k}` in [{}]", t.path),
            format!("`{k}` belongs in [{home}]"),
        );
    }
    let mut allowed = schema::names(section);
    for (s, _) in neighbours {
        allowed.extend(schema::names(*s));
    }
    t.finish_except(ctx, &schema::names(section), &allowed);
}

fn tax(ctx: &mut Ctx<'_>, root: &mut Table<'_, '_>) -> Tax {
    let Some(mut t) = section(ctx, root, "tax", false) else {
        ctx.assume("tax", "none (effective_rate = 0)", true);
        ctx.warnings.push(
            "no [tax] table: every income is untaxed, which overstates every path's gain; add `[tax] effective_rate = 0.24` or a bracket schedule (see `worthit init`)".to_string(),
        );
        return Tax::Effective(0.0);
    };
    let out = if t.has("effective_rate") {
        for other in ["brackets", "standard_deduction", "payroll", "state_rate"] {
            if let Some(v) = t.get(other) {
                ctx.error(
                    v.span(),
                    &t.key(other),
                    format!("`{other}` beside `effective_rate`"),
                    "either `effective_rate` alone (the whole tax as a share of gross income), or a schedule: `brackets` with optional `standard_deduction`, `payroll`, `state_rate`",
                );
            }
        }
        Tax::Effective(num_setting(ctx, &mut t, Section::Tax, "effective_rate"))
    } else if let Some(bv) = t.get("brackets") {
        let brackets = brackets(ctx, bv, &t.key("brackets"));
        ctx.assume(
            "tax.brackets",
            brackets
                .iter()
                .map(|(th, r)| format!("{} from {}", r, fmt_num(*th)))
                .collect::<Vec<_>>()
                .join("; "),
            false,
        );
        let standard_deduction = num_setting(ctx, &mut t, Section::Tax, "standard_deduction");
        let payroll = match t.get("payroll") {
            Some(v) => payroll(ctx, v, "tax.payroll"),
            None => Vec::new(),
        };
        ctx.assume(
            "tax.payroll",
            if payroll.is_empty() {
                "none".to_string()
            } else {
                payroll
                    .iter()
                    .map(|p| match p.cap {
                        Some(c) => format!("{} up to {}", p.rate, fmt_num(c)),
                        None => format!("{}", p.rate),
                    })
                    .collect::<Vec<_>>()
                    .join("; ")
            },
            !t.has("payroll"),
        );
        let state_rate = num_setting(ctx, &mut t, Section::Tax, "state_rate");
        let (from, rate) = top_marginal(standard_deduction, &brackets, &payroll, state_rate);
        if rate >= 1.0 {
            ctx.warn_at(
                t.span.clone(),
                "[tax]",
                &format!(
                    "from a gross income of {}, the brackets, state_rate and payroll together take {}% of each more dollar earned, so a raise leaves less after tax than before; every rate is a fraction of 1 (0.22 for 22%)",
                    fmt_num(from),
                    fmt_num((rate * 1e4).round() / 1e2)
                ),
            );
        }
        Tax::Schedule {
            standard_deduction,
            brackets,
            payroll,
            state_rate,
        }
    } else {
        ctx.error(
            t.span.clone(),
            "tax",
            "a [tax] table with neither `effective_rate` nor `brackets`",
            "`effective_rate = 0.24`, or `brackets = [[0, 0.10], [12_400, 0.12], ...]`",
        );
        Tax::Effective(0.0)
    };
    finish(ctx, &t, Section::Tax);
    out
}

/// The highest marginal rate of a bracket schedule with its payroll and state taxes, and the
/// lowest gross income it applies from: where a raise is taxed most.
fn top_marginal(
    standard_deduction: f64,
    brackets: &[(f64, f64)],
    payroll: &[super::Payroll],
    state_rate: f64,
) -> (f64, f64) {
    super::rate_changes(standard_deduction, brackets, payroll)
        .into_iter()
        .map(|g| {
            let r = super::marginal_rate(standard_deduction, brackets, payroll, state_rate, g);
            (g, r)
        })
        // The first of the highest: the starts increase.
        .fold((0.0, f64::NEG_INFINITY), |best, (g, r)| {
            if r > best.1 { (g, r) } else { best }
        })
}

fn brackets(ctx: &mut Ctx<'_>, v: &super::reader::Value<'_>, key: &str) -> Vec<(f64, f64)> {
    let allowed = "an array of [threshold, rate] pairs with thresholds >= 0 increasing and rates in [0, 1], like [[0, 0.10], [12_400, 0.12]]";
    let DeValue::Array(items) = v.get_ref() else {
        let found = describe(v.get_ref());
        ctx.error(v.span(), key, found, allowed);
        return Vec::new();
    };
    let mut out: Vec<(f64, f64)> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let k = format!("{key}[{i}]");
        let pair = match item.get_ref() {
            DeValue::Array(p) if p.len() == 2 => (ctx.number(&p[0], &k), ctx.number(&p[1], &k)),
            other => {
                let found = describe(other);
                ctx.error(item.span(), &k, found, allowed);
                continue;
            }
        };
        let (Some(th), Some(rate)) = pair else {
            continue;
        };
        let prev = out.last().map(|(t, _)| *t);
        if th < 0.0 || prev.is_some_and(|p| th <= p) || !(0.0..=1.0).contains(&rate) {
            ctx.error(
                item.span(),
                &k,
                format!("[{}, {}]", fmt_num(th), rate),
                allowed,
            );
            continue;
        }
        out.push((th, rate));
    }
    if items.is_empty() {
        ctx.error(v.span(), key, "an empty array", allowed);
    }
    out
}

fn payroll(ctx: &mut Ctx<'_>, v: &super::reader::Value<'_>, key: &str) -> Vec<Payroll> {
    let allowed = "an array of tables `{ rate = 0.062, cap = 184_500 }` (cap optional)";
    let DeValue::Array(items) = v.get_ref() else {
        let found = describe(v.get_ref());
        ctx.error(v.span(), key, found, allowed);
        return Vec::new();
    };
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let k = format!("{key}[{i}]");
        let Some(mut t) = ctx.table(item, &k) else {
            continue;
        };
        let rate = match t.get("rate") {
            Some(v) => ctx.number(v, &t.key("rate")).filter(|r| {
                let ok = (0.0..=1.0).contains(r);
                if !ok {
                    // 6.2 for Social Security's 6.2%.
                    let hint = if *r > 1.0 && *r <= 100.0 {
                        super::param::percent_hint(*r)
                    } else {
                        String::new()
                    };
                    ctx.error(
                        v.span(),
                        &t.key("rate"),
                        format!("{}{hint}", fmt_num(*r)),
                        "a rate from 0 to 1 (write 6.2% as 0.062)",
                    );
                }
                ok
            }),
            None => {
                ctx.error(item.span(), &k, "a payroll tax without `rate`", allowed);
                None
            }
        };
        let cap = match t.get("cap") {
            Some(c) => match ctx.number(c, &t.key("cap")) {
                Some(c) if c > 0.0 => Some(Some(c)),
                Some(c) => {
                    ctx.error(c_span(item), &k, format!("cap {c}"), "a cap above 0");
                    None
                }
                None => None,
            },
            None => Some(None),
        };
        t.finish(ctx, &["rate", "cap"]);
        if let (Some(rate), Some(cap)) = (rate, cap) {
            out.push(Payroll { rate, cap });
        }
    }
    out
}

fn c_span(v: &super::reader::Value<'_>) -> std::ops::Range<usize> {
    v.span()
}

fn person(ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>, dir: &Path) -> Option<Person> {
    let age = int_setting(ctx, t, Section::Person, "age");
    let retirement_age = int_setting(ctx, t, Section::Person, "retirement_age");
    if let (Some(a), Some(r)) = (age, retirement_age)
        && r <= a
    {
        let span = t
            .get("retirement_age")
            .map(|v| v.span())
            .unwrap_or(t.span.clone());
        ctx.error(
            span,
            &t.key("retirement_age"),
            format!("{r}, not above age {a}"),
            "a retirement age above `age`",
        );
    }
    let ok = inputs(ctx, t, Section::Person, dir);
    let dependents = int_setting(ctx, t, Section::Person, "dependents");
    let description = t
        .get("description")
        .and_then(|v| ctx.string(v, "person.description"))
        .unwrap_or_default();
    finish(ctx, t, Section::Person);
    ok.then_some(())?;
    Some(Person {
        age: age? as u32,
        retirement_age: retirement_age? as u32,
        dependents: dependents? as u32,
        description,
    })
}

fn roles(ctx: &mut Ctx<'_>, root: &mut Table<'_, '_>, dir: &Path) -> Vec<Role> {
    let Some(mut rt) = section(ctx, root, "roles", false) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, key_span, v) in rt.take_all() {
        names::check_key(ctx, "roles", key, key_span);
        let Some(mut t) = ctx.table(v, &format!("roles.{key}")) else {
            continue;
        };
        let label = t
            .get("label")
            .and_then(|v| names::label(ctx, v, &format!("roles.{key}.label")))
            .unwrap_or_else(|| key.to_string());
        inputs(ctx, &mut t, Section::Role, dir);
        finish(ctx, &t, Section::Role);
        // Kept even when invalid, so that paths naming it are not also reported.
        out.push(Role {
            key: key.to_string(),
            label,
        });
    }
    out
}

/// Most paths a scenario may have: 12 paths make 66 pairs, each with its own statistics
/// and chart, which keeps a run near 120 MB and the report readable.
pub const MAX_PATHS: usize = 12;

/// A problem the file shows only with an override applied (a third parameter where
/// `--set` added one, a table the override changed) is located in the file, where the
/// user changed nothing: it says which override it comes with.
fn note_overrides(diags: &mut [Diagnostic], overrides: &[Override]) {
    for d in diags
        .iter_mut()
        .filter(|d| d.flag.is_none() && !d.key.is_empty())
    {
        let related = |o: &&Override| {
            let table = o.key.rsplit_once('.').map_or("", |(t, _)| t);
            d.key == o.key
                || d.key.starts_with(&format!("{}.", o.key))
                || o.key.starts_with(&format!("{}.", d.key))
                || (!table.is_empty() && d.key.starts_with(&format!("{table}.")))
        };
        // A factor's loadings reach inputs by pattern: a problem of loadings comes with any
        // override of a factor.
        let loading =
            |o: &&Override| d.found.starts_with("loadings on") && o.key.starts_with("factors.");
        if let Some(o) = overrides.iter().find(|o| related(o) || loading(o)) {
            d.found.push_str(&format!(" (with {} applied)", o.flag()));
        }
    }
}

/// Loads the file at each value its questions are sure to try; the first value of a
/// question that makes the file invalid is an error at the question's `vary`.
fn try_question_points(
    ctx: &mut Ctx<'_>,
    src: &str,
    file: &Path,
    overrides: &[Override],
    checks: &[questions::PointCheck],
) {
    for c in checks {
        for level in &c.levels {
            let mut all = overrides.to_vec();
            all.push(Override {
                key: c.key.clone(),
                value: level.toml(),
            });
            let Err(diags) = point(src, file, &all) else {
                continue;
            };
            // The problem with the key's own value first, else the first one.
            if let Some(d) = diags
                .iter()
                .find(|d| d.key.starts_with(&c.key))
                .or(diags.first())
            {
                let at = format!("`{}` (tried at {})", c.key, level.text());
                let found = if d.key == c.key {
                    format!("{at}: {}", d.found)
                } else {
                    format!("{at}: {}: {}", d.key, d.found)
                };
                // The loader's advice for `--set` (set the whole value) reads, for a
                // question, as varying the whole input.
                let allowed = match c.key.rsplit_once('.') {
                    Some((input, _)) if d.allowed.contains("--set") => format!(
                        "a parameter the input's distribution has, or the input itself (vary = \"{input}\")"
                    ),
                    _ => d.allowed.clone(),
                };
                ctx.error(c.span.clone(), &c.at, found, allowed);
            }
            break;
        }
    }
}

/// The paths that read without errors; the keys of those that did not go to `broken`.
fn paths(
    ctx: &mut Ctx<'_>,
    root: &mut Table<'_, '_>,
    roles: &[Role],
    dir: &Path,
    broken: &mut Vec<String>,
) -> Option<Vec<PathSpec>> {
    let mut pt = section(ctx, root, "paths", true)?;
    let entries = pt.take_all();
    let entries_count = entries.len();
    if entries.len() > MAX_PATHS {
        let (_, span, _) = &entries[MAX_PATHS];
        ctx.error(
            span.clone(),
            "paths",
            format!("{} paths", entries.len()),
            format!(
                "at most {MAX_PATHS} paths, the baseline included: every pair is compared head to head \
                 (a chart and a row each), and more pairs outgrow memory and a readable report; \
                 split the scenario"
            ),
        );
    }
    // Two pairs whose chart files would have one name (`x` with `y_vs_z`, and `x_vs_y` with
    // `z`, both `x_vs_y_vs_z.png`): one chart would silently replace the other.
    let keys: Vec<(String, std::ops::Range<usize>)> = entries
        .iter()
        .map(|(k, span, _)| (k.to_string(), span.clone()))
        .collect();
    let mut charts: std::collections::HashMap<String, (usize, usize)> = Default::default();
    'pairs: for i in 0..keys.len() {
        for j in i + 1..keys.len() {
            for (a, b) in [(i, j), (j, i)] {
                let name = format!("{}_vs_{}", keys[a].0, keys[b].0);
                if let Some(&(c, d)) = charts.get(&name) {
                    ctx.error(
                        keys[j].1.clone(),
                        &format!("paths.{}", keys[j].0),
                        format!(
                            "a path name that gives the pair chart `{name}.png` of two pairs ({} with {}, and {} with {})",
                            keys[c].0, keys[d].0, keys[i].0, keys[j].0
                        ),
                        "path names whose pair charts differ: leave `_vs_` out of a path's name",
                    );
                    break 'pairs;
                }
                charts.insert(name, (i, j));
            }
        }
    }
    // Whether some path says `baseline = true`: when none does, a path with no key of an
    // alternative (only `label`, `description`, or unknown keys such as a misspelt
    // `baseline`) is the one meant as the baseline, and is reported as such rather than as
    // an alternative missing `duration_months` and `roles`.
    let any_baseline = entries.iter().any(|(_, _, v)| match v.get_ref() {
        DeValue::Table(t) => t
            .get("baseline")
            .is_some_and(|b| matches!(b.get_ref(), DeValue::Boolean(true))),
        _ => false,
    });
    let mut out = Vec::new();
    // (path key, span of its `baseline` value) of each baseline path.
    let mut baselines: Vec<(&str, std::ops::Range<usize>)> = Vec::new();
    // A baseline error was already reported (a `baseline` that is not a boolean, or a path
    // that looks like the missing baseline): no second, vaguer one.
    let mut baseline_reported = false;
    for (key, key_span, v) in entries {
        names::check_key(ctx, "paths", key, key_span.clone());
        let path_key = format!("paths.{key}");
        let Some(mut t) = ctx.table(v, &path_key) else {
            broken.push(key.to_string());
            continue;
        };
        let label = t
            .get("label")
            .and_then(|v| names::label(ctx, v, &format!("{path_key}.label")))
            .unwrap_or_else(|| key.to_string());
        let description = t
            .get("description")
            .and_then(|v| ctx.string(v, &format!("{path_key}.description")))
            .unwrap_or_default();
        let baseline = match t.get("baseline") {
            Some(b) => match ctx.boolean(b, &format!("{path_key}.baseline")) {
                Some(true) => {
                    baselines.push((key, b.span()));
                    true
                }
                Some(false) => false,
                None => {
                    // Neither a baseline nor an alternative: only unknown keys are reported.
                    baseline_reported = true;
                    finish_unchecked(ctx, &mut t);
                    broken.push(key.to_string());
                    continue;
                }
            },
            None => {
                let alternative_keys = schema::names(Section::Path)
                    .iter()
                    .any(|k| !matches!(*k, "label" | "description") && t.has(k));
                if !any_baseline && !alternative_keys {
                    ctx.error(
                        key_span.clone(),
                        &path_key,
                        "a path with neither `duration_months` nor `roles`, and no path with `baseline = true`",
                        format!(
                            "`baseline = true` in [{path_key}] if it is staying put (exactly one path is the baseline); an alternative path needs `duration_months` and `roles`"
                        ),
                    );
                    baseline_reported = true;
                    finish_unchecked(ctx, &mut t);
                    broken.push(key.to_string());
                    continue;
                }
                false
            }
        };
        if baseline {
            // Keys of an alternative on a path that says `baseline = true`: one error on
            // `baseline` (the likelier mistake), not one per key.
            let misplaced: Vec<&str> = t
                .entries()
                .map(|(k, _, _)| k)
                .filter(|k| {
                    schema::names(Section::Path).contains(k)
                        && !["label", "description", "baseline"].contains(k)
                })
                .collect();
            let looks_alternative = misplaced
                .iter()
                .any(|k| matches!(*k, "duration_months" | "roles"));
            if looks_alternative {
                let span = baselines.last().map(|(_, s)| s.clone()).unwrap_or(key_span);
                ctx.error(
                    span,
                    &format!("{path_key}.baseline"),
                    format!(
                        "`baseline = true` on a path that also has {}",
                        crate::text::code_list(misplaced)
                    ),
                    "`baseline = true` only on the path of staying put, which takes only `label` and `description`; remove it from this path if it is an alternative",
                );
                baselines.pop();
                baseline_reported = true;
                finish_unchecked(ctx, &mut t);
                broken.push(key.to_string());
                continue;
            }
            // A stray key of an alternative on the real baseline: said at the key.
            let stray: Vec<_> = t
                .entries()
                .filter(|(k, _, _)| misplaced.contains(k))
                .map(|(k, span, _)| (k, span))
                .collect();
            for (k, span) in stray {
                t.get(k);
                ctx.error(
                    span,
                    &format!("{path_key}.{k}"),
                    format!("`{k}` on the baseline path"),
                    "only `label`, `description` and `baseline` on the baseline path (staying put); study, roles, costs and financing belong to the alternative paths",
                );
            }
            finish(ctx, &t, Section::Path);
            out.push(PathSpec {
                key: key.to_string(),
                label,
                description,
                alternative: None,
            });
            continue;
        }
        let alt = alternative(ctx, &mut t, roles, dir);
        finish(ctx, &t, Section::Path);
        match alt {
            Some(alternative) => out.push(PathSpec {
                key: key.to_string(),
                label,
                description,
                alternative: Some(alternative),
            }),
            None => broken.push(key.to_string()),
        }
    }
    let count = entries_count;
    match baselines.len() {
        // Nothing to compare: every figure would be a flat zero.
        1 if count == 1 => ctx.error(
            pt.span.clone(),
            "paths",
            format!("only the baseline path, [paths.{}]", baselines[0].0),
            "at least one alternative path besides the baseline (a degree, a bootcamp, self-study), each compared with staying put",
        ),
        1 => {}
        0 if baseline_reported => {}
        0 => ctx.error(
            pt.span.clone(),
            "paths",
            "no path with `baseline = true`",
            "exactly one baseline path (staying put), e.g. [paths.stay] with baseline = true",
        ),
        _ => {
            let first = baselines[0].0;
            for (key, span) in baselines.iter().skip(1) {
                ctx.error(
                    span.clone(),
                    &format!("paths.{key}.baseline"),
                    format!("a second path with `baseline = true` (the first is [paths.{first}])"),
                    "exactly one baseline path (staying put); the others are alternatives",
                );
            }
        }
    }
    Some(out)
}

/// Report the unknown keys of a path whose known keys are not checked.
fn finish_unchecked(ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>) {
    for k in schema::names(Section::Path) {
        t.get(k);
    }
    finish(ctx, t, Section::Path);
}

fn alternative(
    ctx: &mut Ctx<'_>,
    t: &mut Table<'_, '_>,
    roles: &[Role],
    dir: &Path,
) -> Option<Alternative> {
    let mut ok = inputs(ctx, t, Section::Path, dir);
    // At least one month of study: a fixed 0 (or 0.5) would silently be read as 1.
    if let Some(v) = t.get("duration_months")
        && let Some(p) = ctx
            .inputs
            .iter()
            .rev()
            .find(|p| p.key == t.key("duration_months"))
        && let crate::dist::Dist::Fixed(x) = p.dist
        && x < 1.0
    {
        ctx.error(
            v.span(),
            &t.key("duration_months"),
            fmt_num(x),
            "at least 1 month of study (a number of months, rounded to a whole month)",
        );
        ok = false;
    }
    let path_roles = path_roles(ctx, t, roles);
    ok &= costs(ctx, t, dir);
    let financing = match t.get("financing") {
        Some(v) => match ctx.table(v, &t.key("financing")) {
            Some(mut f) => financing(ctx, &mut f, dir).map(Some),
            None => None,
        },
        None => {
            ctx.assume(
                &t.key("financing"),
                "none: every cost paid out of pocket, with no limit",
                true,
            );
            Some(None)
        }
    };
    ok.then_some(())?;
    Some(Alternative {
        roles: path_roles?,
        financing: financing?,
    })
}

fn path_roles(
    ctx: &mut Ctx<'_>,
    t: &mut Table<'_, '_>,
    roles: &[Role],
) -> Option<Vec<(usize, f64)>> {
    let key = t.key("roles");
    let allowed = "a table of role weights, like { ml_engineer = 0.6, data_scientist = 0.4 }, naming roles defined under [roles]";
    let Some(v) = t.get("roles") else {
        ctx.error(
            t.span.clone(),
            &key,
            format!("no `roles` in [{}]", t.path),
            allowed,
        );
        return None;
    };
    let mut rt = ctx.table(v, &key)?;
    let defined = || {
        roles
            .iter()
            .map(|r| format!("`{}`", r.key))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut out = Vec::new();
    let mut ok = true;
    for (name, name_span, w) in rt.take_all() {
        let k = format!("{key}.{name}");
        let Some(idx) = roles.iter().position(|r| r.key == name) else {
            let list = if roles.is_empty() {
                "none are defined".to_string()
            } else {
                format!("defined roles are {}", defined())
            };
            ctx.error(
                name_span,
                &k,
                format!("the role `{name}`, which is not defined under [roles]"),
                format!("a role defined as [roles.{name}]; {list}"),
            );
            ok = false;
            continue;
        };
        match ctx.number(w, &k) {
            Some(x) if x >= 0.0 => out.push((idx, x)),
            Some(x) => {
                ctx.error(w.span(), &k, format!("weight {x}"), "a weight of 0 or more");
                ok = false;
            }
            None => ok = false,
        }
    }
    let total: f64 = out.iter().map(|(_, w)| w).sum();
    if ok && (total.is_nan() || total <= 0.0) {
        ctx.error(
            v.span(),
            &key,
            if out.is_empty() {
                "no roles".to_string()
            } else {
                format!("weights summing to {total}")
            },
            "weights that sum to a positive number",
        );
        return None;
    }
    if !ok {
        return None;
    }
    ctx.assume(
        &key,
        out.iter()
            .map(|(i, w)| format!("{} {:.0}%", roles[*i].key, 100.0 * w / total))
            .collect::<Vec<_>>()
            .join(", "),
        false,
    );
    Some(out.into_iter().map(|(i, w)| (i, w / total)).collect())
}

fn costs(ctx: &mut Ctx<'_>, pt: &mut Table<'_, '_>, dir: &Path) -> bool {
    let path = pt.key("costs");
    let mut t = match pt.get("costs") {
        Some(v) => match ctx.table(v, &path) {
            Some(t) => t,
            None => return false,
        },
        None => Table::new(empty(), pt.span.clone(), &path),
    };
    let ok = inputs(ctx, &mut t, Section::Costs, dir);
    finish(ctx, &t, Section::Costs);
    ok
}

fn financing(ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>, dir: &Path) -> Option<Financing> {
    let mut ok = input(ctx, t, Section::Financing, "savings", dir);
    let federal = match t.get("federal") {
        Some(v) => ctx.boolean(v, &t.key("federal")),
        None => Some(false),
    };
    ctx.assume(
        &t.key("federal"),
        format!("{}", federal.unwrap_or(false)),
        !t.has("federal"),
    );
    if federal == Some(true) || t.has("federal_rate") {
        ok &= input(ctx, t, Section::Financing, "federal_rate", dir);
    }
    let federal_annual_limit = num_setting(ctx, t, Section::Financing, "federal_annual_limit");
    let federal_aggregate_limit =
        num_setting(ctx, t, Section::Financing, "federal_aggregate_limit");
    let federal_fee = num_setting(ctx, t, Section::Financing, "federal_fee");
    let grace_months = int_setting(ctx, t, Section::Financing, "grace_months");
    let repayment = match t.get("repayment") {
        Some(v) => match ctx.string(v, &t.key("repayment")).as_deref() {
            Some("standard") => Some(Repayment::Standard),
            Some("rap") => Some(Repayment::Rap),
            Some(other) => {
                ctx.error(
                    v.span(),
                    &t.key("repayment"),
                    format!("{other:?}"),
                    "\"standard\" or \"rap\"",
                );
                None
            }
            None => None,
        },
        None => Some(Repayment::Standard),
    };
    ctx.assume(
        &t.key("repayment"),
        match repayment {
            Some(Repayment::Rap) => "rap",
            _ => "standard",
        },
        !t.has("repayment"),
    );
    // Settings of federal loans on a path that takes none: read, checked, and unused.
    if federal == Some(false) {
        let unused: Vec<&str> = [
            "federal_rate",
            "federal_annual_limit",
            "federal_aggregate_limit",
            "federal_fee",
            "repayment",
        ]
        .into_iter()
        .filter(|k| t.has(k))
        .collect();
        if !unused.is_empty() {
            ctx.warnings.push(format!(
                "{}: [{}] sets {} but takes no federal loans (`federal = true` is not set): {} ignored; private loans are repaid on the standard plan",
                ctx.place(t.span.clone()),
                t.path,
                crate::text::code_list(unused.iter().copied()),
                if unused.len() == 1 { "it is" } else { "they are" },
            ));
        }
    }
    ok &= input(ctx, t, Section::Financing, "private_rate", dir);
    let private_term_years = int_setting(ctx, t, Section::Financing, "private_term_years");
    finish(ctx, t, Section::Financing);
    ok.then_some(())?;
    Some(Financing {
        federal: federal?,
        federal_annual_limit,
        federal_aggregate_limit,
        federal_fee,
        grace_months: grace_months? as u32,
        repayment: repayment?,
        private_term_years: private_term_years? as u32,
    })
}

/// Inputs whose loading applies to an event rather than to the drawn value: the event of
/// finishing, of being placed, and the timing of the promotion. They may be fixed.
pub const EVENT_INPUTS: [&str; 3] = ["completion", "placement", "promotion_rate"];

/// Whether key pattern `pattern` (`paths.*.completion`) matches input key `key`: `*` stands
/// for one whole segment.
fn matches_pattern(pattern: &str, key: &str) -> bool {
    let (p, k): (Vec<&str>, Vec<&str>) = (pattern.split('.').collect(), key.split('.').collect());
    p.len() == k.len() && p.iter().zip(&k).all(|(a, b)| *a == "*" || a == b)
}

/// The input key, or the pattern with `*` for its path or role, closest to `pattern` when
/// it is near enough to be a typo (`paths.masters_inperson.completion`).
fn closest_input(pattern: &str, inputs: &[Param]) -> Option<String> {
    // The keys themselves first: at equal distance, a misspelt path suggests that path.
    let mut keys: Vec<String> = inputs.iter().map(|p| p.key.clone()).collect();
    for p in inputs {
        let parts: Vec<&str> = p.key.split('.').collect();
        if parts.len() > 2 && matches!(parts[0], "paths" | "roles") {
            let any = format!("{}.*.{}", parts[0], parts[2..].join("."));
            if !keys.contains(&any) {
                keys.push(any);
            }
        }
    }
    let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    super::reader::closest(pattern, &refs).map(str::to_string)
}

fn factors(ctx: &mut Ctx<'_>, root: &mut Table<'_, '_>) -> Vec<Factor> {
    let Some(mut ft) = section(ctx, root, "factors", false) else {
        return Vec::new();
    };
    let mut out: Vec<Factor> = Vec::new();
    // Per input key: the sum of squared loadings so far, where the last one was written, and
    // each factor's loading (for the message).
    type Sum = (String, f64, std::ops::Range<usize>, Vec<String>);
    let mut sums: Vec<Sum> = Vec::new();
    let entries = ft.take_all();
    if entries.len() > schema::MAX_FACTORS {
        let (_, span, _) = &entries[schema::MAX_FACTORS];
        ctx.error(
            span.clone(),
            "factors",
            format!("{} factors", entries.len()),
            format!("at most {} factors", schema::MAX_FACTORS),
        );
    }
    for (name, _, v) in entries.into_iter().take(schema::MAX_FACTORS) {
        let key = format!("factors.{name}");
        let Some(mut t) = ctx.table(v, &key) else {
            continue;
        };
        let description = t
            .get("description")
            .and_then(|v| ctx.string(v, &format!("{key}.description")))
            .unwrap_or_default();
        let mut loadings = Vec::new();
        // The pattern that loaded each input of this factor, so that a second one matching
        // the same input is refused (two loadings of one factor are one loading, their sum:
        // applied as two, the input's score would no longer be a standard normal).
        let mut loaded_by: Vec<(String, String)> = Vec::new();
        match t.get("loadings") {
            None => ctx.error(
                t.span.clone(),
                &format!("{key}.loadings"),
                format!("no `loadings` in [{key}]"),
                "`loadings = { \"paths.*.completion\" = 0.5, \"roles.*.salary\" = 0.3 }`",
            ),
            Some(lv) => {
                if let Some(mut lt) = ctx.table(lv, &format!("{key}.loadings")) {
                    let all = lt.take_all();
                    if all.is_empty() {
                        ctx.error(
                            lv.span(),
                            &format!("{key}.loadings"),
                            "an empty table",
                            "at least one input and its loading, like { \"paths.*.placement\" = 0.5 }",
                        );
                    }
                    for (pattern, pspan, value) in all {
                        let lkey = format!("{key}.loadings.{pattern}");
                        let Some(l) = ctx.number(value, &lkey) else {
                            continue;
                        };
                        if !(-1.0..=1.0).contains(&l) {
                            ctx.error(
                                value.span(),
                                &lkey,
                                fmt_num(l),
                                "a loading from -1 to 1 (the correlation of the input's normal score with the factor)",
                            );
                            continue;
                        }
                        let matched: Vec<(String, bool)> = ctx
                            .inputs
                            .iter()
                            .filter(|p| matches_pattern(pattern, &p.key))
                            .map(|p| (p.key.clone(), p.dist.is_fixed()))
                            .collect();
                        if matched.is_empty() {
                            let hint = closest_input(pattern, &ctx.inputs)
                                .map(|s| format!(" (did you mean `{s}`?)"))
                                .unwrap_or_default();
                            ctx.error(
                                pspan,
                                &lkey,
                                format!(
                                    "`{pattern}`, which matches no input of this scenario{hint}"
                                ),
                                "an input's key path, `*` standing for every path or role: paths.*.completion, paths.*.placement, paths.*.search_months, roles.*.salary, person.salary, ...",
                            );
                            continue;
                        }
                        let last = pattern.rsplit('.').next().unwrap_or_default();
                        let def = schema::lookup(&matched[0].0).map(|(d, _)| d);
                        if def.is_some_and(|d| d.drawn == schema::Drawn::PerYear) {
                            ctx.error(
                                pspan,
                                &lkey,
                                format!("`{pattern}`, an input drawn afresh each year"),
                                "an input drawn once per trial (a per-year raise or layoff cannot follow a factor)",
                            );
                            continue;
                        }
                        let event = EVENT_INPUTS.contains(&last);
                        let fixed: Vec<String> = matched
                            .iter()
                            .filter(|(_, f)| *f && !event)
                            .map(|(k, _)| k.clone())
                            .collect();
                        // A wildcard skips the inputs that are fixed on some paths or roles
                        // (the default search of a path that has none); a fixed input named
                        // alone, or a wildcard that matches only fixed ones, is a mistake.
                        let wildcard = pattern.split('.').any(|p| p == "*");
                        let all_fixed = fixed.len() == matched.len();
                        let matched: Vec<(String, bool)> = if wildcard && !all_fixed {
                            matched.into_iter().filter(|(_, f)| event || !*f).collect()
                        } else {
                            matched
                        };
                        if !fixed.is_empty() && (!wildcard || all_fixed) {
                            ctx.error(
                                pspan,
                                &lkey,
                                format!("`{pattern}`, which is a fixed value in {}", fixed.join(", ")),
                                "an input with a distribution (a fixed value has nothing to correlate); completion, placement and promotion_rate may be fixed, since their events stay random",
                            );
                            continue;
                        }
                        if let Some((input, earlier)) = matched
                            .iter()
                            .find_map(|(k, _)| loaded_by.iter().find(|(i, _)| i == k).cloned())
                        {
                            ctx.error(
                                pspan,
                                &lkey,
                                if input == pattern {
                                    format!("`{pattern}`, already loaded by `{earlier}` in this factor")
                                } else {
                                    format!(
                                        "`{pattern}`, which loads `{input}`, already loaded by `{earlier}` in this factor"
                                    )
                                },
                                "each input loaded once per factor (write its loading once: the key alone, or the pattern with `*`)",
                            );
                            continue;
                        }
                        for (input, _) in matched {
                            loaded_by.push((input.clone(), pattern.to_string()));
                            let term = format!("{name} {}", fmt_num(l));
                            match sums.iter_mut().find(|(k, _, _, _)| *k == input) {
                                Some(e) => {
                                    e.1 += l * l;
                                    e.2 = value.span();
                                    e.3.push(term);
                                }
                                None => sums.push((input.clone(), l * l, value.span(), vec![term])),
                            }
                            loadings.push((input, l));
                        }
                    }
                }
            }
        }
        let text = loadings
            .iter()
            .map(|(k, l)| format!("{k} {}", fmt_num(*l)))
            .collect::<Vec<_>>()
            .join(", ");
        ctx.assume(&format!("{key}.loadings"), text, false);
        finish(ctx, &t, Section::Factor);
        out.push(Factor {
            key: name.to_string(),
            description,
            loadings,
        });
    }
    for (input, sum, span, terms) in sums {
        if sum > 1.0 + 1e-12 {
            ctx.error(
                span,
                &input,
                format!(
                    "loadings on `{input}` whose squares sum to {} (factors {})",
                    fmt_num((sum * 1e4).round() / 1e4),
                    terms.join(", ")
                ),
                "squared loadings of one input summing to at most 1 (its normal score is the loaded factors plus its own noise)",
            );
        }
    }
    out
}
