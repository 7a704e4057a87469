//! "What this leaves out": the simplifications of the model that matter most to the person
//! reading the answer, in plain words; those about loans and taxes only where the scenario
//! has them. The project's docs/model.md lists every one.

use super::{assumed, section};
use crate::scenario::Assumption;
use crate::stats::summary::ScenarioSummary;

/// Whether path `path` borrows federal loans, as the assumptions list its financing.
pub(super) fn borrows_federally(path: &str, assumptions: &[Assumption]) -> bool {
    assumed(assumptions, &format!("paths.{path}.financing.federal")) == Some("true")
}

/// Whether path `path` repays its federal loans on RAP (private loans are always repaid on
/// the standard plan, whatever `repayment` says).
pub(super) fn repays_on_rap(path: &str, assumptions: &[Assumption]) -> bool {
    borrows_federally(path, assumptions)
        && assumed(assumptions, &format!("paths.{path}.financing.repayment")) == Some("rap")
}

/// The section.
pub(super) fn leaves_out(summary: &ScenarioSummary, assumptions: &[Assumption]) -> String {
    let borrows = summary.paths.iter().any(|p| p.loans.is_some());
    let federal = summary
        .paths
        .iter()
        .any(|p| p.loans.is_some() && borrows_federally(&p.key, assumptions));
    let rap = summary
        .paths
        .iter()
        .any(|p| p.loans.is_some() && repays_on_rap(&p.key, assumptions));
    let has = |key: &str| assumed(assumptions, key).is_some();
    let mut items = vec![
        "<strong>Pay beyond the salary.</strong> Bonuses, stock, health insurance, retirement \
         matches and pensions are not counted, nor the Social Security benefits that lifetime \
         earnings buy. A job with a pension (teaching, government) is worth more than its \
         salary says."
            .to_string(),
    ];
    if borrows {
        let mut loans = String::from(
            "<strong>Loans beyond the plan chosen.</strong> Refinancing, paying ahead, \
             deferment and default are not modelled",
        );
        if federal {
            loans.push_str(
                ", nor Public Service Loan Forgiveness or the forgiveness some teaching and \
                 public-service jobs bring",
            );
        }
        loans.push('.');
        if rap {
            loans.push_str(" A balance forgiven under RAP is counted as tax-free.");
        }
        items.push(loans);
    }
    if has("tax.brackets") {
        items.push(
            "<strong>Taxes beyond the schedule given.</strong> No tax credits (the child tax \
             credit, education credits), no deduction of student-loan interest, one flat state \
             rate, and the filing status of the schedule in the scenario file."
                .to_string(),
        );
    } else if !has("tax.effective_rate") {
        items.push(
            "<strong>No taxes.</strong> The scenario has no tax table: every income counts \
             untaxed, which overstates every path's gain."
                .to_string(),
        );
    } else {
        items.push(
            "<strong>Taxes as one rate.</strong> Every income is taxed at the scenario's \
             effective rate: a raise is taxed no more than the first dollar, and there are no \
             credits or deductions."
                .to_string(),
        );
    }
    items.extend(
        [
            "<strong>The household.</strong> The model sees one earner: a partner's income is \
             left out, and it does not check that savings carry you through months without \
             pay. A year with no income is counted, whatever pays for it.",
            "<strong>Careers simpler than life.</strong> At most one promotion, nobody leaves \
             the new field, and no recession hits every path at once.",
            "<strong>Who enrols.</strong> Published placement and pay figures describe a \
             program's students, not you; where no source exists, the scenario's figures are \
             its author's judgment.",
            "<strong>What is not money.</strong> Interest in the work, hours, stress, time \
             with family, a network. A path that loses a little may still be the right \
             choice: read its loss as the price of those.",
        ]
        .map(String::from),
    );
    let list: String = items.iter().map(|i| format!("<li>{i}</li>")).collect();
    section(
        "leaves-out",
        "What this leaves out",
        &format!(
            "<ul>{list}</ul>\n<p class=\"muted\">worthit's documentation lists every \
             simplification: its page on the model (<code>docs/model.md</code> in worthit's \
             source), under “What it leaves out”.</p>\n"
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    fn said(key: &str, value: &str) -> Assumption {
        Assumption {
            key: key.into(),
            value: value.into(),
            default: false,
            overridden: false,
        }
    }

    /// What every scenario leaves out is always said; loans and taxes only as the scenario
    /// has them.
    #[test]
    fn loans_and_taxes_are_said_as_the_scenario_has_them() {
        let mut summary = fixture::realistic();
        for p in &mut summary.paths {
            p.loans = None;
        }
        let plain = leaves_out(&summary, &[said("tax", "none (effective_rate = 0)")]);
        assert!(plain.contains("Pay beyond the salary") && plain.contains("The household"));
        assert!(
            !plain.contains("Loans beyond") && !plain.contains("Taxes"),
            "{plain}"
        );
        summary.paths[1].loans = Some(crate::stats::loans::LoanSummary {
            borrowers: 1,
            first_payment_p50: 300.0,
            total_paid_p50: 30_000.0,
            interest_p50: 5_000.0,
            forgiven_p50: 0.0,
            share_forgiven: 0.0,
        });
        let m = summary.paths[1].key.clone();
        let federal = [
            said(&format!("paths.{m}.financing.federal"), "true"),
            said(&format!("paths.{m}.financing.repayment"), "rap"),
            said("tax.brackets", "0.1 from 0"),
        ];
        let html = leaves_out(&summary, &federal);
        assert!(html.contains("Public Service Loan Forgiveness"), "{html}");
        assert!(
            html.contains("forgiven under RAP is counted as tax-free"),
            "{html}"
        );
        assert!(html.contains("Taxes beyond the schedule given"), "{html}");
        // RAP set on a path without federal loans is ignored (its private loans are repaid on
        // the standard plan), and a path with federal loans that borrows nothing says no more.
        let private = leaves_out(
            &summary,
            &[
                said("tax.effective_rate", "0.24"),
                said(&format!("paths.{m}.financing.repayment"), "rap"),
                said("paths.other.financing.federal", "true"),
            ],
        );
        assert!(
            private.contains("Loans beyond the plan chosen"),
            "{private}"
        );
        assert!(
            !private.contains("Public Service") && !private.contains("RAP"),
            "{private}"
        );
        assert!(private.contains("Taxes as one rate"), "{private}");
    }
}
