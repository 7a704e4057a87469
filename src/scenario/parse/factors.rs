//! The `[factors.*]` tables: correlated inputs, each factor's loadings matched to the
//! inputs they name.

use super::{finish, section};
use crate::scenario::Factor;
use crate::scenario::param::{Param, fmt_num};
use crate::scenario::reader::{Ctx, Table};
use crate::scenario::schema::{self, Section};

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

pub(super) fn factors(ctx: &mut Ctx<'_>, root: &mut Table<'_, '_>) -> Vec<Factor> {
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
                        let wildcard = pattern.split('.').any(|p| p == "*");
                        // An input an override fixes (`--set`, or a sweep's or threshold's
                        // value) no longer follows the factor: the loading skips it (the
                        // flag or the question's key says so, from the file as written).
                        let (unfollowed, matched): (Vec<_>, Vec<_>) = matched
                            .into_iter()
                            .partition(|(k, f)| *f && !event && ctx.set.contains(k));
                        let fixed: Vec<String> = matched
                            .iter()
                            .filter(|(_, f)| *f && !event)
                            .map(|(k, _)| k.clone())
                            .collect();
                        // A wildcard skips the inputs that are fixed on some paths or roles
                        // (the default search of a path that has none), and those an override
                        // fixed; a fixed input named alone, or a wildcard that matches only
                        // inputs the file fixes, is a mistake.
                        let all_fixed = fixed.len() == matched.len();
                        let skip_fixed = wildcard && (!all_fixed || !unfollowed.is_empty());
                        let matched: Vec<(String, bool)> = if skip_fixed {
                            matched.into_iter().filter(|(_, f)| event || !*f).collect()
                        } else {
                            matched
                        };
                        if !fixed.is_empty() && !skip_fixed {
                            ctx.error(
                                pspan,
                                &lkey,
                                format!("`{pattern}`, which is a fixed value in {}", fixed.join(", ")),
                                "an input with a distribution (a fixed value has nothing to correlate); completion, placement and promotion_rate may be fixed, since their events stay random",
                            );
                            continue;
                        }
                        if matched.is_empty() {
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
        finish(ctx, &t, Section::Factor);
        // A factor whose every input an override fixed moves nothing: it is left out (its
        // random numbers are its own, so the others' lives do not change).
        if loadings.is_empty() {
            continue;
        }
        let text = loadings
            .iter()
            .map(|(k, l)| format!("{k} {}", fmt_num(*l)))
            .collect::<Vec<_>>()
            .join(", ");
        ctx.assume(&format!("{key}.loadings"), text, false);
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

/// The warning of a question (`question`) or a `--set` that sets input `key` to plain
/// numbers when one of `factors` (of the file as written) loads it: at each value the loading
/// is left out, since a fixed value has nothing to correlate. `inputs`: the file's inputs,
/// whose parameters the warning names to vary instead. `None` for an event's input (a fixed
/// chance of finishing still follows the factor: its event stays random).
pub fn unfollowed_factor(
    factors: &[Factor],
    inputs: &[Param],
    key: &str,
    question: bool,
) -> Option<String> {
    let last = key.rsplit('.').next().unwrap_or_default();
    if EVENT_INPUTS.contains(&last) {
        return None;
    }
    let factor = factors
        .iter()
        .find(|f| f.loadings.iter().any(|(k, _)| k == key))?;
    // The parameters as the file writes them: `lognormal(median = 100,000, p90 = 140,000)`.
    let params: Vec<&str> = inputs
        .iter()
        .find(|p| p.key == key)
        .and_then(|p| p.text.split_once('(')?.1.strip_suffix(')'))
        .map(|inner| {
            inner
                .split(", ")
                .filter_map(|kv| kv.split_once(" = ").map(|(k, _)| k))
                .collect()
        })
        .unwrap_or_default();
    let (what, change) = if question {
        (
            format!("at each value tried, `{key}` is a fixed value"),
            "vary",
        )
    } else {
        (format!("`{key}` is set to a fixed value"), "set")
    };
    let instead = if params.is_empty() {
        format!("`{key}.` and the name of one of its parameters in the file")
    } else {
        params
            .iter()
            .map(|p| format!("`{key}.{p}`"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Some(format!(
        "{what}, so factor `{}` no longer moves it; to keep it correlated, {change} a parameter of its distribution instead ({instead})",
        factor.key
    ))
}
