//! "Loans in detail": per path that borrows, what its loans cost as the Federal Student Aid
//! Loan Simulator (studentaid.gov) shows a plan: the first monthly payment, the total paid,
//! the interest and the amount forgiven, here the medians over the simulated lives with debt,
//! in dollars of the day they are paid (nominal), as loan contracts state them.

use super::section;
use super::table::{Cell, num_col, table, text_col};
use crate::report::format::{money, percent};
use crate::stats::loans::LoanSummary;
use crate::stats::summary::ScenarioSummary;

/// The section, or nothing when no path borrows.
pub(super) fn loans_section(summary: &ScenarioSummary) -> String {
    let columns = [
        text_col("Path"),
        num_col("Borrows"),
        num_col("First monthly payment"),
        num_col("Total paid"),
        num_col("Interest"),
        num_col("Forgiven"),
        num_col("Some debt forgiven"),
    ];
    let rows: Vec<Vec<Cell>> = summary
        .paths
        .iter()
        .filter_map(|p| {
            let l = p.loans?;
            Some(vec![
                Cell::Text(p.label.clone()),
                Cell::Num(percent(p.prob_debt)),
                Cell::Num(first_payment(&l)),
                Cell::Num(money(l.total_paid_p50)),
                Cell::Num(money(l.interest_p50)),
                Cell::Num(money(l.forgiven_p50)),
                Cell::Num(percent(l.share_forgiven)),
            ])
        })
        .collect();
    if rows.is_empty() {
        return String::new();
    }
    let body = format!(
        "<p class=\"muted\">As a loan simulator shows a repayment plan: medians over the lives \
         that borrow, in dollars of the day they are paid (nominal, not today's dollars). The \
         total paid and the amount forgiven count payments up to retirement; the interest is \
         what is paid, still owed and forgiven beyond the amount borrowed.</p>\n{}",
        table(&columns, &rows)
    );
    section("loans", "Loans in detail", &body)
}

/// The median first monthly payment, or "none before retirement" when the median borrower
/// pays nothing within the horizon (repayment starts after it): "$0" would read as a loan
/// that costs nothing a month.
pub(super) fn first_payment(l: &LoanSummary) -> String {
    if l.first_payment_p50 == 0.0 && l.total_paid_p50 == 0.0 {
        "none before retirement".to_string()
    } else {
        money(l.first_payment_p50)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    fn with_loans(l: LoanSummary) -> String {
        let mut summary = fixture::realistic();
        summary.paths[1].loans = Some(l);
        loans_section(&summary)
    }

    #[test]
    fn a_repayment_that_starts_after_retirement_is_said_so() {
        let mut l = LoanSummary {
            borrowers: 100,
            first_payment_p50: 0.0,
            total_paid_p50: 0.0,
            interest_p50: 4_496.0,
            forgiven_p50: 0.0,
            share_forgiven: 0.0,
        };
        let html = with_loans(l);
        assert!(html.contains(">none before retirement<"), "{html}");
        l.first_payment_p50 = 678.0;
        l.total_paid_p50 = 38_800.0;
        let html = with_loans(l);
        assert!(
            html.contains(">$678<") && !html.contains("none before"),
            "{html}"
        );
    }
}
