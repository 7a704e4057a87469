//! Building a [`Scenario`] from the spanned TOML tree, section by section, collecting every
//! problem. Keys, checks and defaults come from the declared format (`schema.rs`).
//!
//! Here: the file as a whole, its settings, the person and the roles. `tax`: the tax
//! schedule. `paths`: the paths, their costs and financing. `factors`: correlated inputs.

use std::path::Path;

use toml::de::{DeTable, DeValue};

use super::diagnostic::Diagnostic;
use super::names;
use super::overrides::{self, Override};
use super::param::{fmt_num, input};
use super::reader::{Ctx, Table};
use super::schema::{self, IfAbsent, Section, Ty};
use super::*;

mod factors;
mod paths;
mod tax;

pub use factors::{EVENT_INPUTS, unfollowed_factor};
pub use paths::MAX_PATHS;

/// Parse and validate, with command-line overrides applied first; `Err` holds every
/// problem found.
pub fn scenario(
    src: &str,
    file: &Path,
    overrides: &[Override],
) -> Result<Scenario, Vec<Diagnostic>> {
    let mut sc = read(src, file, overrides, true)?;
    // An input a factor loads that `--set` fixes no longer follows it: said on the flag,
    // from the factors of the file as written (a `*` loading skips a fixed input silently).
    if !overrides.is_empty()
        && let Ok(base) = read(src, file, &[], false)
    {
        for o in overrides {
            let fixed = sc
                .inputs
                .iter()
                .any(|p| p.key == o.key && p.dist.is_fixed());
            if let Some(words) = fixed
                .then(|| factors::unfollowed_factor(&base.factors, &base.inputs, &o.key, false))
                .flatten()
            {
                sc.warnings.push(format!("{}: {words}", o.flag()));
            }
        }
    }
    Ok(sc)
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
    ctx.set = overrides.iter().map(|o| o.key.clone()).collect();
    if !errors.is_empty() {
        // A number with thousands separators (`10,000`), the commonest slip: said once, at
        // its first comma, with the fix (in an inline table the parser reports several
        // errors after it, all of them its doing).
        let mut grouped_said: Vec<usize> = Vec::new();
        let mut diags = Vec::new();
        for e in &errors {
            let span = e.span().unwrap_or(prepared.offset..prepared.offset);
            if let Some((number, comma)) = grouped_number(text, span.start) {
                if !grouped_said.contains(&comma) {
                    grouped_said.push(comma);
                    diags.push(ctx.diagnostic(
                        comma..comma + 1,
                        "",
                        format!("invalid TOML: `{number}`, a number with commas"),
                        format!(
                            "a number without commas: {} or {} (TOML separates thousands with `_`, not commas)",
                            number.replace(',', ""),
                            number.replace(',', "_")
                        ),
                    ));
                }
                continue;
            }
            let message = e.message().trim();
            // The parser says "duplicate key" without naming it; the span does.
            let named = match text.get(span.clone()) {
                Some(k) if message == "duplicate key" && !k.is_empty() && !k.contains('\n') => {
                    format!("{message} `{k}` (a key or table defined twice)")
                }
                _ => message.to_string(),
            };
            diags.push(ctx.diagnostic(
                span,
                "",
                format!("invalid TOML: {named}"),
                "valid TOML (https://toml.io)",
            ));
        }
        return Err(diags);
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
    let tax = tax::tax(&mut ctx, &mut t);
    let person =
        section(&mut ctx, &mut t, "person", true).and_then(|mut p| person(&mut ctx, &mut p, &dir));
    let roles = roles(&mut ctx, &mut t, &dir);
    let mut broken = Vec::new();
    let paths = paths::paths(&mut ctx, &mut t, &roles, &dir, &mut broken);
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
    let factors = factors::factors(&mut ctx, &mut t);
    let mut checks = Vec::new();
    let scope = questions::Scope {
        paths: paths.as_deref(),
        broken: &broken,
        roles: &roles,
        factors: &factors,
    };
    let (thresholds, sweeps) = questions::read(&mut ctx, &mut t, &scope, &mut checks);
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

/// A number with thousands separators (`10,000`, `1,250,000.50`) written as a value on the
/// line of byte `at` of `text` (`key = 10,000`, `{ min = 90,000 }`), and the place of its
/// first comma: the parser stops there, or further on in an inline table (where the comma
/// separates values and `000` reads as a key).
fn grouped_number(text: &str, at: usize) -> Option<(&str, usize)> {
    let at = at.min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    // The `=` outside quotes, up to a comment (a `#` outside quotes).
    let line = &text[line_start..line_end];
    let mut quoted = None;
    let mut equals = Vec::new();
    for (i, c) in line.char_indices() {
        match (quoted, c) {
            (None, '"' | '\'') => quoted = Some(c),
            (Some(q), c) if c == q => quoted = None,
            (None, '#') => break,
            (None, '=') => equals.push(i),
            _ => {}
        }
    }
    equals.into_iter().find_map(|eq| {
        let after = &line[eq + 1..];
        let value = after.trim_start();
        let start = line_start + eq + 1 + (after.len() - value.len());
        let end = value
            .find(|c: char| {
                !(c.is_ascii_digit() || matches!(c, ',' | '.' | '-' | '+' | '_' | 'e' | 'E'))
            })
            .unwrap_or(value.len());
        // A trailing comma separates the next value of an inline table.
        let number = value[..end].trim_end_matches(',');
        let whole = number
            .trim_start_matches(['-', '+'])
            .split(['.', 'e', 'E'])
            .next()?;
        let groups: Vec<&str> = whole.split(',').collect();
        let grouped = groups.len() > 1
            && (1..=3).contains(&groups[0].len())
            && groups[1..].iter().all(|g| g.len() == 3)
            && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()))
            // `1,000.` would be fixed as `1000.`, itself not a number TOML reads.
            && !number.ends_with('.');
        let comma = start + number.find(',')?;
        // The parser stops at the comma, or after it in an inline table: never before it.
        (grouped && comma <= at).then_some((number, comma))
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

#[cfg(test)]
mod tests {
    use super::grouped_number;

    /// The number with commas on the error's line, and its first comma; nothing for a comma
    /// in a comment or a string, after the error, or in a number the fix would not mend.
    #[test]
    fn numbers_with_thousands_commas_are_found_where_the_parser_stopped() {
        let at = |text: &str, from: &str| text.find(from).unwrap();
        let t = "x = 1\ntuition_per_year = 10,000\n";
        assert_eq!(grouped_number(t, at(t, ",")), Some(("10,000", at(t, ","))));
        let t = "s = { min = 90,000, max = 140_000 }";
        // In an inline table the parser stops after the comma, at `000`'s missing `=`.
        assert_eq!(
            grouped_number(t, at(t, ", max")),
            Some(("90,000", at(t, ",")))
        );
        for (t, n) in [
            ("a = -1,000", "-1,000"),
            ("a = 1,250,000.50", "1,250,000.50"),
            ("a = 1,000e3", "1,000e3"),
            ("a = 1,000 # b = 2,000", "1,000"),
            ("é = 1,000", "1,000"),
        ] {
            assert_eq!(
                grouped_number(t, at(t, ",")).map(|(n, _)| n),
                Some(n),
                "{t}"
            );
        }
        for t in [
            "a = 68000 5 # old = 1,000",
            "a = \"x = 1,000\" 5",
            "a = 1,000.",
            "a = 12,34",
            "a = [1,000, 2]",
        ] {
            assert_eq!(grouped_number(t, t.len() - 1), None, "{t}");
        }
        // An error before the comma is another mistake.
        let t = "a = 5 x, b = 1,000";
        assert_eq!(grouped_number(t, at(t, "x")), None);
    }
}
