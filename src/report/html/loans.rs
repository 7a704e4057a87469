//! "Loans in detail": per path that borrows, what its loans cost as the Federal Student Aid
//! Loan Simulator (studentaid.gov) shows a plan: the first monthly payment, the total paid,
//! the interest and the amount forgiven, here the medians over the simulated lives with debt,
//! in dollars of the day they are paid (nominal), as loan contracts state them.

use super::table::{Cell, num_col, table, text_col};
use super::{as_number, assumed, escape, section};
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
    let limits: String = summary
        .paths
        .iter()
        .filter(|p| p.loans.is_some() && super::limits::borrows_federally(&p.key, assumptions))
        .map(|p| {
            format!(
                "<li>{}</li>\n",
                federal_limits(&p.key, &p.label, assumptions)
            )
        })
        .collect();
    let body = if limits.is_empty() {
        body
    } else {
        format!("{body}<ul class=\"note\">\n{limits}</ul>\n")
    };
    section("loans", "Loans in detail", &body)
}

/// Where federal loans stop and private ones start, for a path that borrows federally: the
/// limits, and what is borrowed beyond them. A path called "federal loans" whose costs go
/// past the annual limit borrows the rest privately, at another rate and on a fixed term
/// beside the federal plan; without this, a reader takes every dollar of its debt for
/// federal, and wonders why its payments can exceed a tenth of income under RAP.
fn federal_limits(path: &str, label: &str, assumptions: &[Assumption]) -> String {
    let value = |name: &str| assumed(assumptions, &format!("paths.{path}.financing.{name}"));
    let dollars = |name: &str| {
        value(name)
            .and_then(as_number)
            .map_or_else(|| "the limit".to_string(), money)
    };
    let rate = match value("private_rate") {
        Some(v) => match as_number(v) {
            Some(r) => format!(
                "at {}",
                crate::threshold::value_words(r, crate::scenario::schema::Unit::Rate)
            ),
            // A spread: its words are in the assumptions table.
            None => {
                "at the rate the scenario draws for each life (see the assumptions)".to_string()
            }
        },
        None => "at the scenario's private rate".to_string(),
    };
    let term = value("private_term_years")
        .map_or_else(String::new, |y| format!(" over {} years", escape(y)));
    format!(
        "<strong>{}</strong>: federal loans cover at most {} of each year's costs and {} in \
         all, after savings. Whatever is left is borrowed privately {rate}, repaid{term} beside \
         the federal plan: its payments are in the figures above, and in the share of lives \
         whose loan payments pass a tenth of their income.",
        escape(label),
        dollars("federal_annual_limit"),
        dollars("federal_aggregate_limit"),
    )
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
        // Where federal loans stop is said of the path that takes them.
        assert!(html.contains("federal loans cover at most "), "{html}");
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
        assert!(!html.contains("federal loans cover"), "{html}");
    }

    #[test]
    fn where_federal_loans_stop_is_said_with_the_scenarios_limits() {
        let summary = fixture::realistic();
        let key = summary.paths[1].key.clone();
        let set = |name: &str, value: &str| Assumption {
            key: format!("paths.{key}.financing.{name}"),
            value: value.into(),
            default: false,
            overridden: false,
        };
        let mut assumptions = vec![
            set("federal", "true"),
            set("federal_annual_limit", "20,500"),
            set("federal_aggregate_limit", "100,000"),
            set("private_rate", "0.1"),
            set("private_term_years", "10"),
        ];
        let said = federal_limits(&key, "The master's", &assumptions);
        assert_eq!(
            said,
            "<strong>The master&#39;s</strong>: federal loans cover at most $20.5k of each \
             year's costs and $100k in all, after savings. Whatever is left is borrowed \
             privately at 10%, repaid over 10 years beside the federal plan: its payments are \
             in the figures above, and in the share of lives whose loan payments pass a tenth \
             of their income."
        );
        assumptions[3] = set("private_rate", "uniform(min = 0.045, max = 0.148)");
        assert!(federal_limits(&key, "M", &assumptions).contains(
            "privately at the rate the scenario draws for each life (see the assumptions), repaid"
        ));
    }
}
