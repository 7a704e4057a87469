//! The report's tables: net return per path, programme and debt per path, head-to-head
//! comparisons, and the assumptions as they were used.

use super::escape;
use super::headline::number;
use super::table::{Cell, num_col, table, text_col};
use crate::report::format::{self, money, percent};
use crate::report::margin::{median_words, share_pm};
use crate::report::paths::compared_pairs;
use crate::scenario::Assumption;
use crate::stats::summary::{PathSummary, ScenarioSummary};

/// Net return of every path; the baseline's row shows only its absolute NPV.
pub(super) fn net_return_table(summary: &ScenarioSummary) -> String {
    let columns = [
        text_col("Path"),
        num_col("Beats staying put"),
        num_col("Mean"),
        num_col("10th pct"),
        num_col("Median"),
        num_col("90th pct"),
        num_col("Break-even age, if ever"),
        num_col("Median lifetime NPV"),
    ];
    let intro = "<p class=\"muted\">Net return versus staying put, in today's dollars: the \
                 mean, and the 10th, 50th and 90th percentiles over all trials. The last column \
                 is the path's own lifetime net present value; do not subtract two of them: \
                 the median of the life-by-life differences is the Median column, which can \
                 even have the other sign.</p>\n";
    let rows: Vec<Vec<Cell>> = summary
        .paths
        .iter()
        .map(|p| {
            let mut row = vec![path_cell(p)];
            if p.baseline {
                row.extend((0..6).map(|_| Cell::Num("—".to_string())));
            } else {
                row.extend([
                    Cell::Num(share_pm(
                        p.prob_beats_baseline,
                        &p.precision.prob_beats_baseline,
                    )),
                    Cell::Num(money(p.net.mean)),
                    Cell::Num(money(p.net.q.p10)),
                    Cell::Num(median_words(p.net.q.p50, &p.precision.p50)),
                    Cell::Num(money(p.net.q.p90)),
                    Cell::Num(super::why::breakeven_cell(summary, p)),
                ]);
            }
            row.push(Cell::Num(money(p.npv.q.p50)));
            row
        })
        .collect();
    format!("{intro}{}", table("Net return by path", &columns, &rows))
}

/// Where each path's mean net return comes from: the pay gained, less the costs paid as they
/// come, less the loans. Means add up where medians do not, so the row reads as a sum.
pub(super) fn breakdown_table(summary: &ScenarioSummary) -> String {
    let columns = [
        text_col("Path"),
        num_col("Pay after tax, versus staying put"),
        num_col("Costs paid as they come"),
        num_col("Loans: payments and debt left"),
        num_col("Mean net return"),
    ];
    let intro = "<p class=\"muted\">Where the mean comes from, in today's dollars: what the \
                 path's pay after tax gains over staying put (the pay given up while studying \
                 and looking for work included), less the program's costs paid as they come \
                 (from savings or pay), less what the loans cost (every payment, interest \
                 included, and any debt left at retirement). Costs that are borrowed count \
                 under the loans. These are means over every life: they add up, where \
                 medians do not.</p>\n";
    let rows: Vec<Vec<Cell>> = summary
        .paths
        .iter()
        .filter(|p| !p.baseline)
        .map(|p| {
            let b = &p.breakdown;
            vec![
                path_cell(p),
                Cell::Num(money(b.pay)),
                // 0 - x, not -x: a path without costs shows $0, not -$0.
                Cell::Num(money(0.0 - b.costs)),
                Cell::Num(money(0.0 - b.loans)),
                Cell::Num(money(p.net.mean)),
            ]
        })
        .collect();
    format!(
        "{intro}{}",
        table("Where the mean net return comes from", &columns, &rows)
    )
}

/// Completion, placement and debt of every path.
pub(super) fn programme_table(summary: &ScenarioSummary) -> String {
    let columns = [
        text_col("Path"),
        num_col("Completes"),
        num_col("Placed in new field"),
        num_col("Borrows"),
        num_col("Mean debt*"),
        num_col("90th pct debt*"),
        num_col("Median years to repay"),
        num_col("Not repaid by retirement"),
        num_col("Loan payments over 10% of income in some year†"),
    ];
    let rows: Vec<Vec<Cell>> = summary
        .paths
        .iter()
        .map(|p| {
            let borrows = p.prob_debt > 0.0;
            vec![
                path_cell(p),
                Cell::Num(percent(p.completion_rate)),
                Cell::Num(if p.baseline {
                    "—".to_string()
                } else {
                    percent(p.placement_rate)
                }),
                Cell::Num(percent(p.prob_debt)),
                Cell::Num(money(p.mean_debt)),
                Cell::Num(money(p.p90_debt)),
                Cell::Num(match (borrows, p.repaid_p50_years) {
                    (false, _) => "—".to_string(),
                    (true, Some(years)) => number(years),
                    (true, None) => "not repaid".to_string(),
                }),
                Cell::Num(if borrows {
                    percent(p.prob_not_repaid)
                } else {
                    "—".to_string()
                }),
                Cell::Num(percent(p.prob_payment_over_10pct)),
            ]
        })
        .collect();
    format!(
        "<p class=\"muted\">Completion, placement and borrowing are shares of all trials; \
         years to repay and \"not repaid\" count only the trials that borrow.</p>\n{}{}",
        table("Program and debt", &columns, &rows),
        PROGRAMME_NOTES
    )
}

/// What the starred columns of the programme table mean, in words under it.
const PROGRAMME_NOTES: &str = "<p class=\"muted note\">* Debt is the balance owed when \
repayment starts, in dollars of that time (nominal), not in today's dollars like the net \
returns; a trial without debt counts as 0 in the mean. \
† The share of all trials in which the year's loan payments exceed 10% of that year's gross \
income in at least one year: a yearly, per-life version of the idea behind Georgetown \
University's Center on Education and the Workforce debt-to-earnings test, not that test \
itself (CEW amortizes a program's median debt over 15 years at 6.5% and compares the payment \
with 10% of earnings above a living wage). The baseline places no one in a new field: its \
placement is shown as —.</p>\n";

/// Every pair of non-baseline paths, a before b in path order.
pub(super) fn pairwise_table(summary: &ScenarioSummary) -> String {
    let columns = [
        text_col("Path A"),
        text_col("Path B"),
        num_col("A beats B"),
        num_col("Mean A − B"),
        num_col("5th pct"),
        num_col("Median"),
        num_col("95th pct"),
    ];
    let intro = "<p class=\"muted\">Net return of path A minus that of path B in the same \
                 trial, in today's dollars; \"A beats B\" is the share of trials in which A \
                 ends higher.</p>\n";
    let rows: Vec<Vec<Cell>> = compared_pairs(summary)
        .into_iter()
        .filter_map(|(a, b)| {
            let pair = summary.pair(&a.key, &b.key)?;
            Some(vec![
                Cell::Text(a.label.clone()),
                Cell::Text(b.label.clone()),
                Cell::Num(share_pm(pair.prob_a_beats_b, &pair.prob_a_beats_b_ci)),
                Cell::Num(money(pair.mean_diff)),
                Cell::Num(money(pair.p5_diff)),
                Cell::Num(money(pair.p50_diff)),
                Cell::Num(money(pair.p95_diff)),
            ])
        })
        .collect();
    if rows.is_empty() {
        return "<p>Only one path is compared with staying put, so there is no head-to-head \
                table.</p>\n"
            .to_string();
    }
    format!("{intro}{}", table("Head to head", &columns, &rows))
}

/// Every input with its value or distribution; defaults are marked. The seed is shown as the
/// run used it, in bare digits as `--seed` takes it (never digit-grouped).
pub(super) fn assumptions_table(assumptions: &[Assumption], seed: u64) -> String {
    let columns = [
        text_col("Input"),
        text_col("Value or distribution"),
        text_col(""),
    ];
    let rows: Vec<Vec<Cell>> = assumptions
        .iter()
        .map(|a| {
            vec![
                Cell::Html(format!("<code>{}</code>", escape(&a.key))),
                Cell::Text(if a.key == "simulation.seed" {
                    seed_value(&a.value, seed)
                } else {
                    a.value.clone()
                }),
                Cell::Html(if a.overridden {
                    "<span class=\"badge\">set on the command line</span>".to_string()
                } else if a.default {
                    "<span class=\"badge\">default</span>".to_string()
                } else {
                    String::new()
                }),
            ]
        })
        .collect();
    if rows.is_empty() {
        return "<p>No assumptions were recorded for this run.</p>\n".to_string();
    }
    table("Assumptions", &columns, &rows)
}

/// The seed's row: the seed in bare digits, keeping what follows the number (" (--seed)").
fn seed_value(value: &str, seed: u64) -> String {
    let rest = value.trim_start_matches(|c: char| c.is_ascii_digit() || c == ',');
    format!("{}{rest}", format::seed(seed))
}

/// The path's label, with "(baseline)" after the baseline's.
fn path_cell(p: &PathSummary) -> Cell {
    if p.baseline {
        Cell::Html(format!(
            "{} <span class=\"muted\">(baseline)</span>",
            escape(&p.label)
        ))
    } else {
        Cell::Text(p.label.clone())
    }
}
