//! Building a [`Scenario`] from the spanned TOML tree, section by section, collecting every
//! problem. Defaults are those of model.md section 11.

use std::path::Path;

use toml::de::{DeTable, DeValue};

use super::diagnostic::{Diagnostic, SourceMap};
use super::names;
use super::param::{Domain, Param, fmt_num, param};
use super::reader::{Ctx, Table, describe};
use super::*;

const ROOT_KEYS: &[&str] = &[
    "name",
    "description",
    "simulation",
    "economy",
    "tax",
    "person",
    "roles",
    "paths",
];

/// Parse and validate; `Err` holds every problem found.
pub fn scenario(src: &str, file: &Path) -> Result<Scenario, Vec<Diagnostic>> {
    let (root, errors) = DeTable::parse_recoverable(src);
    if !errors.is_empty() {
        let map = SourceMap::new(src);
        return Err(errors
            .iter()
            .map(|e| {
                let span = e.span().unwrap_or(0..0);
                let message = e.message().trim();
                // The parser says "duplicate key" without naming it; the span does.
                let named = match src.get(span.clone()) {
                    Some(k) if message == "duplicate key" && !k.is_empty() && !k.contains('\n') => {
                        format!("{message} `{k}` (a key or table defined twice)")
                    }
                    _ => message.to_string(),
                };
                Diagnostic::in_source(
                    file,
                    &map,
                    span,
                    "",
                    format!("invalid TOML: {named}"),
                    "valid TOML (https://toml.io)",
                )
            })
            .collect());
    }
    let dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut ctx = Ctx::new(src, file);
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
    let economy = economy(&mut ctx, &mut t, &dir);
    let tax = tax(&mut ctx, &mut t);
    let person =
        section(&mut ctx, &mut t, "person", true).and_then(|mut p| person(&mut ctx, &mut p, &dir));
    let roles = roles(&mut ctx, &mut t, &dir);
    let paths = paths(&mut ctx, &mut t, &roles, &dir);
    t.finish(&mut ctx, ROOT_KEYS);

    if !ctx.diags.is_empty() {
        ctx.diags.sort_by_key(|d| (d.line, d.column));
        return Err(ctx.diags);
    }
    let (Some(person), Some(paths)) = (person, paths) else {
        unreachable!("a missing section is always reported");
    };
    Ok(Scenario {
        file: file.to_path_buf(),
        stem,
        name,
        description,
        simulation,
        economy,
        tax,
        person,
        roles,
        paths,
        assumptions: ctx.assumptions,
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
                ctx.error(
                    t.span.clone(),
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
    name: &str,
    lo: i64,
    hi: i64,
    default: Option<i64>,
) -> Option<i64> {
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
                    format!("`{name}` is required: a whole number from {lo} to {hi}"),
                );
                None
            }
        },
    }
}

fn num_setting(
    ctx: &mut Ctx<'_>,
    t: &mut Table<'_, '_>,
    name: &str,
    lo: f64,
    hi: f64,
    default: f64,
) -> f64 {
    let key = t.key(name);
    match t.get(name) {
        Some(v) => match ctx.number(v, &key) {
            Some(x) if (lo..=hi).contains(&x) => {
                ctx.assume(&key, fmt_num(x), false);
                x
            }
            Some(x) => {
                ctx.error(
                    v.span(),
                    &key,
                    fmt_num(x),
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

fn simulation(ctx: &mut Ctx<'_>, root: &mut Table<'_, '_>) -> Simulation {
    let mut t = section(ctx, root, "simulation", false)
        .unwrap_or_else(|| Table::new(empty(), 0..0, "simulation"));
    let trials = int_setting(ctx, &mut t, "trials", 1, 10_000_000_000, Some(100_000)).unwrap_or(1);
    let seed = int_setting(ctx, &mut t, "seed", 0, i64::MAX, Some(1)).unwrap_or(1);
    t.finish(ctx, &["trials", "seed"]);
    Simulation {
        trials: trials as u64,
        seed: seed as u64,
    }
}

fn economy(ctx: &mut Ctx<'_>, root: &mut Table<'_, '_>, dir: &Path) -> Economy {
    let mut t = section(ctx, root, "economy", false)
        .unwrap_or_else(|| Table::new(empty(), 0..0, "economy"));
    let rate = Domain::AtLeast(-0.99);
    let discount_rate = param(ctx, &mut t, "discount_rate", rate, Some(0.03), dir);
    let inflation = param(ctx, &mut t, "inflation", rate, Some(0.025), dir);
    t.finish(ctx, &["discount_rate", "inflation"]);
    Economy {
        discount_rate: discount_rate.unwrap_or_else(|| Param::fixed("economy.discount_rate", 0.03)),
        inflation: inflation.unwrap_or_else(|| Param::fixed("economy.inflation", 0.025)),
    }
}

fn tax(ctx: &mut Ctx<'_>, root: &mut Table<'_, '_>) -> Tax {
    let Some(mut t) = section(ctx, root, "tax", false) else {
        ctx.assume("tax", "none (effective_rate = 0)", true);
        return Tax::Effective(0.0);
    };
    let allowed = [
        "effective_rate",
        "brackets",
        "standard_deduction",
        "payroll",
        "state_rate",
    ];
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
        Tax::Effective(num_setting(ctx, &mut t, "effective_rate", 0.0, 1.0, 0.0))
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
        let standard_deduction = num_setting(ctx, &mut t, "standard_deduction", 0.0, 1e9, 0.0);
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
        let state_rate = num_setting(ctx, &mut t, "state_rate", 0.0, 1.0, 0.0);
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
    t.finish(ctx, &allowed);
    out
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
            Some(r) => ctx.number(r, &t.key("rate")).filter(|r| {
                let ok = (0.0..=1.0).contains(r);
                if !ok {
                    ctx.error(item.span(), &k, format!("rate {r}"), "a rate in [0, 1]");
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
    let age = int_setting(ctx, t, "age", 0, 119, None);
    let retirement_age = int_setting(ctx, t, "retirement_age", 1, 120, None);
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
    let salary = param(ctx, t, "salary", Domain::NonNegative, None, dir);
    let annual_raise = param(ctx, t, "annual_raise", Domain::Any, Some(0.0), dir);
    let unemployment_rate = param(
        ctx,
        t,
        "unemployment_rate",
        Domain::Probability,
        Some(0.0),
        dir,
    );
    let unemployment_months = param(ctx, t, "unemployment_months", Domain::Any, Some(0.0), dir);
    let dependents = int_setting(ctx, t, "dependents", 0, 50, Some(0));
    t.get("description")
        .map(|v| ctx.string(v, "person.description"));
    t.finish(
        ctx,
        &[
            "age",
            "retirement_age",
            "salary",
            "annual_raise",
            "unemployment_rate",
            "unemployment_months",
            "dependents",
            "description",
        ],
    );
    Some(Person {
        age: age? as u32,
        retirement_age: retirement_age? as u32,
        salary: salary?,
        annual_raise: annual_raise?,
        unemployment_rate: unemployment_rate?,
        unemployment_months: unemployment_months?,
        dependents: dependents? as u32,
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
        let salary = param(ctx, &mut t, "salary", Domain::NonNegative, None, dir);
        let annual_raise = param(ctx, &mut t, "annual_raise", Domain::Any, Some(0.0), dir);
        let unemployment_rate = param(
            ctx,
            &mut t,
            "unemployment_rate",
            Domain::Probability,
            Some(0.0),
            dir,
        );
        let unemployment_months = param(
            ctx,
            &mut t,
            "unemployment_months",
            Domain::Any,
            Some(0.0),
            dir,
        );
        t.finish(
            ctx,
            &[
                "label",
                "salary",
                "annual_raise",
                "unemployment_rate",
                "unemployment_months",
            ],
        );
        if let (
            Some(salary),
            Some(annual_raise),
            Some(unemployment_rate),
            Some(unemployment_months),
        ) = (salary, annual_raise, unemployment_rate, unemployment_months)
        {
            out.push(Role {
                key: key.to_string(),
                label,
                salary,
                annual_raise,
                unemployment_rate,
                unemployment_months,
            });
        } else {
            // Keep the role's name known so paths naming it are not also reported.
            out.push(Role {
                key: key.to_string(),
                label,
                salary: Param::fixed("", 0.0),
                annual_raise: Param::fixed("", 0.0),
                unemployment_rate: Param::fixed("", 0.0),
                unemployment_months: Param::fixed("", 0.0),
            });
        }
    }
    out
}

const PATH_KEYS: &[&str] = &[
    "label",
    "description",
    "baseline",
    "duration_months",
    "work_fraction",
    "completion",
    "placement",
    "study_income_per_year",
    "search_months",
    "fallback_months",
    "roles",
    "salary_premium",
    "promotion_rate",
    "promotion_raise",
    "costs",
    "financing",
];

/// Most paths a scenario may have: 12 paths make 66 pairs, each with its own statistics
/// and chart, which keeps a run near 120 MB and the report readable.
pub const MAX_PATHS: usize = 12;

fn paths(
    ctx: &mut Ctx<'_>,
    root: &mut Table<'_, '_>,
    roles: &[Role],
    dir: &Path,
) -> Option<Vec<PathSpec>> {
    let mut pt = section(ctx, root, "paths", true)?;
    let entries = pt.take_all();
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
                    continue;
                }
            },
            None => {
                let alternative_keys = PATH_KEYS
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
                    continue;
                }
                false
            }
        };
        if baseline {
            // An alternative's key on the baseline is not a typo: say so, not "unknown".
            let misplaced: Vec<_> = t
                .entries()
                .filter(|(k, _, _)| {
                    PATH_KEYS.contains(k) && !["label", "description", "baseline"].contains(k)
                })
                .map(|(k, span, _)| (k, span))
                .collect();
            for (k, span) in misplaced {
                t.get(k);
                ctx.error(
                    span,
                    &format!("{path_key}.{k}"),
                    format!("`{k}` on the baseline path"),
                    "only `label`, `description` and `baseline` on the baseline path (staying put); study, roles, costs and financing belong to the alternative paths",
                );
            }
            t.finish(ctx, &["label", "description", "baseline"]);
            out.push(PathSpec {
                key: key.to_string(),
                label,
                description,
                alternative: None,
            });
            continue;
        }
        let alt = alternative(ctx, &mut t, roles, dir);
        t.finish(ctx, PATH_KEYS);
        if let Some(alternative) = alt {
            out.push(PathSpec {
                key: key.to_string(),
                label,
                description,
                alternative: Some(alternative),
            });
        }
    }
    match baselines.len() {
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
    for k in PATH_KEYS {
        t.get(k);
    }
    t.finish(ctx, PATH_KEYS);
}

fn alternative(
    ctx: &mut Ctx<'_>,
    t: &mut Table<'_, '_>,
    roles: &[Role],
    dir: &Path,
) -> Option<Alternative> {
    use Domain::*;
    let duration_months = param(ctx, t, "duration_months", NonNegative, None, dir);
    let work_fraction = param(ctx, t, "work_fraction", Probability, Some(0.0), dir);
    let completion = param(ctx, t, "completion", Probability, Some(1.0), dir);
    let placement = param(ctx, t, "placement", Probability, Some(1.0), dir);
    let study_income_per_year = param(ctx, t, "study_income_per_year", NonNegative, Some(0.0), dir);
    let search_months = param(ctx, t, "search_months", NonNegative, Some(0.0), dir);
    let fallback_months = param(ctx, t, "fallback_months", NonNegative, Some(0.0), dir);
    let path_roles = path_roles(ctx, t, roles);
    let salary_premium = param(ctx, t, "salary_premium", AtLeast(-1.0), Some(0.0), dir);
    let promotion_rate = param(ctx, t, "promotion_rate", Probability, Some(0.0), dir);
    let promotion_raise = param(ctx, t, "promotion_raise", AtLeast(-1.0), Some(0.0), dir);
    let costs = costs(ctx, t, dir);
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
    Some(Alternative {
        duration_months: duration_months?,
        work_fraction: work_fraction?,
        completion: completion?,
        placement: placement?,
        study_income_per_year: study_income_per_year?,
        search_months: search_months?,
        fallback_months: fallback_months?,
        roles: path_roles?,
        salary_premium: salary_premium?,
        promotion_rate: promotion_rate?,
        promotion_raise: promotion_raise?,
        costs: costs?,
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

const COST_KEYS: &[&str] = &[
    "tuition_per_year",
    "fees_per_year",
    "living_extra_per_month",
    "caregiver_per_month",
    "one_time",
    "scholarship_per_year",
    "employer_assistance_per_year",
];

fn costs(ctx: &mut Ctx<'_>, pt: &mut Table<'_, '_>, dir: &Path) -> Option<Costs> {
    let path = pt.key("costs");
    let mut t = match pt.get("costs") {
        Some(v) => ctx.table(v, &path)?,
        None => Table::new(empty(), pt.span.clone(), &path),
    };
    let mut p: Vec<Option<Param>> = COST_KEYS
        .iter()
        .map(|k| param(ctx, &mut t, k, Domain::NonNegative, Some(0.0), dir))
        .collect();
    t.finish(ctx, COST_KEYS);
    let mut next = || p.remove(0);
    Some(Costs {
        tuition_per_year: next()?,
        fees_per_year: next()?,
        living_extra_per_month: next()?,
        caregiver_per_month: next()?,
        one_time: next()?,
        scholarship_per_year: next()?,
        employer_assistance_per_year: next()?,
    })
}

const FINANCING_KEYS: &[&str] = &[
    "savings",
    "federal",
    "federal_rate",
    "federal_annual_limit",
    "federal_aggregate_limit",
    "federal_fee",
    "grace_months",
    "repayment",
    "private_rate",
    "private_term_years",
];

fn financing(ctx: &mut Ctx<'_>, t: &mut Table<'_, '_>, dir: &Path) -> Option<Financing> {
    let savings = param(ctx, t, "savings", Domain::NonNegative, Some(0.0), dir);
    let federal = match t.get("federal") {
        Some(v) => ctx.boolean(v, &t.key("federal")),
        None => Some(false),
    };
    ctx.assume(
        &t.key("federal"),
        format!("{}", federal.unwrap_or(false)),
        !t.has("federal"),
    );
    let federal_rate = if federal == Some(true) || t.has("federal_rate") {
        param(ctx, t, "federal_rate", Domain::NonNegative, None, dir).map(Some)
    } else {
        Some(None)
    };
    let federal_annual_limit = num_setting(ctx, t, "federal_annual_limit", 0.0, 1e9, 20_500.0);
    let federal_aggregate_limit =
        num_setting(ctx, t, "federal_aggregate_limit", 0.0, 1e9, 100_000.0);
    let federal_fee = num_setting(ctx, t, "federal_fee", 0.0, 0.5, 0.01057);
    let grace_months = int_setting(ctx, t, "grace_months", 0, 120, Some(6));
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
    let private_rate = param(ctx, t, "private_rate", Domain::NonNegative, None, dir);
    let private_term_years = int_setting(ctx, t, "private_term_years", 1, 40, Some(10));
    t.finish(ctx, FINANCING_KEYS);
    Some(Financing {
        savings: savings?,
        federal: federal?,
        federal_rate: federal_rate?,
        federal_annual_limit,
        federal_aggregate_limit,
        federal_fee,
        grace_months: grace_months? as u32,
        repayment: repayment?,
        private_rate: private_rate?,
        private_term_years: private_term_years? as u32,
    })
}
