//! The `[tax]` table: a schedule of brackets, payroll taxes and a state rate, or one
//! effective rate.

use toml::de::DeValue;

use super::{finish, num_setting, section};
use crate::scenario::param::fmt_num;
use crate::scenario::reader::{Ctx, Table, describe};
use crate::scenario::schema::Section;
use crate::scenario::{Payroll, Tax};

pub(super) fn tax(ctx: &mut Ctx<'_>, root: &mut Table<'_, '_>) -> Tax {
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
        // Rates that add up to 1 as written may sum to just under it (0.6 + 0.3 + 0.1).
        if rate >= 1.0 - 1e-9 {
            ctx.warn_at(
                t.span.clone(),
                "[tax]",
                &format!(
                    "from a gross income of {}, the brackets, state_rate and payroll together take {}% of each more dollar earned, so a raise leaves {} after tax than before; every rate is a fraction of 1 (0.22 for 22%)",
                    fmt_num(from),
                    fmt_num((rate * 1e4).round() / 1e2),
                    if rate > 1.0 + 1e-9 { "less" } else { "nothing more" }
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
