//! The report's tables: net return per path, programme and debt per path, head-to-head
//! comparisons, and the assumptions as they were used.

use super::escape;
use super::headline::number;
use super::table::{Cell, num_col, table, text_col};
use crate::report::format::{money, percent};
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
    let rows: Vec<Vec<Cell>> = summary
        .paths
        .iter()
        .map(|p| {
            let mut row = vec![path_cell(p)];
            if p.baseline {
                row.extend((0..6).map(|_| Cell::Num("—".to_string())));
            } else {
                row.extend([
                    Cell::Num(percent(p.prob_beats_baseline)),
                    Cell::Num(money(p.net.mean)),
                    Cell::Num(money(p.net.q.p10)),
                    Cell::Num(money(p.net.q.p50)),
                    Cell::Num(money(p.net.q.p90)),
                    Cell::Num(super::why::breakeven_cell(summary, p)),
                ]);
            }
            row.push(Cell::Num(money(p.npv.q.p50)));
            row
        })
        .collect();
    table(&columns, &rows)
}

/// Completion, placement and debt of every path.
pub(super) fn programme_table(summary: &ScenarioSummary) -> String {
    let columns = [
        text_col("Path"),
        num_col("Completes"),
        num_col("Placed in new field"),
        num_col("Borrows"),
        num_col("Mean debt"),
        num_col("90th pct debt"),
        num_col("Median years to repay"),
        num_col("Not repaid by retirement"),
        num_col("Payments over 10% of income"),
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
    table(&columns, &rows)
}

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
    let rows: Vec<Vec<Cell>> = compared_pairs(summary)
        .into_iter()
        .filter_map(|(a, b)| {
            let pair = summary.pair(&a.key, &b.key)?;
            Some(vec![
                Cell::Text(a.label.clone()),
                Cell::Text(b.label.clone()),
                Cell::Num(percent(pair.prob_a_beats_b)),
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
    table(&columns, &rows)
}

/// Every input with its value or distribution; defaults are marked.
pub(super) fn assumptions_table(assumptions: &[Assumption]) -> String {
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
                Cell::Text(a.value.clone()),
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
    table(&columns, &rows)
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
