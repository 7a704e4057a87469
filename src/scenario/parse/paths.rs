//! The `[paths.*]` tables: each path's inputs, the roles it leads to, its costs and its
//! financing.

use std::path::Path;

use toml::de::DeValue;

use super::{empty, finish, inputs, int_setting, num_setting, section};
use crate::scenario::param::{fmt_num, input};
use crate::scenario::reader::{Ctx, Table};
use crate::scenario::schema::{self, Section};
use crate::scenario::{Alternative, Financing, PathSpec, Repayment, Role, names};

/// Most paths a scenario may have: 12 paths make 66 pairs, each with its own statistics
/// and chart, which keeps a run near 120 MB and the report readable.
pub const MAX_PATHS: usize = 12;

/// The paths that read without errors; the keys of those that did not go to `broken`.
pub(super) fn paths(
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
