//! "Loans in detail": per path that borrows, what its loans cost as the Federal Student Aid
//! Loan Simulator (studentaid.gov) shows a plan: the first monthly payment, the total paid,
//! the interest and the amount forgiven, here the medians over the simulated lives with debt,
//! in dollars of the day they are paid (nominal), as loan contracts state them.

use super::section;
use super::table::{Cell, num_col, table, text_col};
use crate::report::format::{money, percent};
use crate::scenario::Assumption;
use crate::stats::loans::LoanSummary;
use crate::stats::summary::ScenarioSummary;

/// The section, or nothing when no path borrows.
pub(super) fn loans_section(summary: &ScenarioSummary, assumptions: &[Assumption]) -> String {
    let columns = [
        text_col("Path"),
        num_col("Borrows"),
        num_col("First monthly payment"),
        num_col("Years to repay"),
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
                Cell::Num(years_to_repay(p.repaid_p50_years)),
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
         years to repay run from the first payment until every loan is paid off or forgiven. The total \
         paid and the amount forgiven count payments up to retirement; the interest is what is \
         paid, still owed and forgiven beyond the amount borrowed.{}</p>\n{}",
        if summary
            .paths
            .iter()
            .any(|p| p.loans.is_some() && super::limits::repays_on_rap(&p.key, assumptions))
        {
            " RAP's payment follows income: it may start higher than the standard plan's and \
             still cost less in all, when a rising income pays the loan off sooner."
        } else {
            ""
        },
        table("Loans in detail", &columns, &rows)
    );
    section("loans", "Loans in detail", &body)
}

/// The median years from the first payment until every loan is repaid (or forgiven), or
/// "not before retirement" when the median borrower still owes then.
fn years_to_repay(years: Option<f64>) -> String {
    match years {
        Some(y) => {
            let y = if y < 10.0 {
                (y * 10.0).round() / 10.0
            } else {
                y.round()
            };
            let unit = if y == 1.0 { "year" } else { "years" };
            format!("{} {unit}", crate::report::format::trim_decimals(y))
        }
        _ => "not before retirement".to_string(),
    }
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
        loans_section(&summary, &[])
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

    /// How long the loans last: the median years to repay, "not before retirement" when the
    /// median borrower still owes then; RAP's rising payment said only where a path uses it.
    #[test]
    fn years_to_repay_and_rap_are_said() {
        assert_eq!(years_to_repay(Some(15.0)), "15 years");
        assert_eq!(years_to_repay(Some(4.83)), "4.8 years");
        assert_eq!(years_to_repay(Some(1.0)), "1 year");
        assert_eq!(years_to_repay(None), "not before retirement");
        let mut summary = fixture::realistic();
        summary.paths[1].loans = Some(LoanSummary {
            borrowers: 100,
            first_payment_p50: 339.0,
            total_paid_p50: 39_300.0,
            interest_p50: 9_000.0,
            forgiven_p50: 0.0,
            share_forgiven: 0.0,
        });
        summary.paths[1].repaid_p50_years = Some(5.04);
        let rap = Assumption {
            key: format!("paths.{}.financing.repayment", summary.paths[1].key),
            value: "rap".into(),
            default: false,
            overridden: false,
        };
        let federal = Assumption {
            key: format!("paths.{}.financing.federal", summary.paths[1].key),
            value: "true".into(),
            ..rap.clone()
        };
        let html = loans_section(&summary, &[rap.clone(), federal.clone()]);
        assert!(
            html.contains("<td>5 years</td>") || html.contains(">5 years<"),
            "{html}"
        );
        assert!(html.contains("RAP's payment follows income"), "{html}");
        let standard = Assumption {
            value: "standard".into(),
            ..rap.clone()
        };
        let html = loans_section(&summary, &[standard, federal]);
        assert!(!html.contains("RAP"), "{html}");
        // RAP on a path without federal loans is ignored: its private loans are repaid on the
        // standard plan.
        let html = loans_section(&summary, &[rap]);
        assert!(!html.contains("RAP"), "{html}");
    }
}
