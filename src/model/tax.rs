//! Tax on a year's gross income (docs/model.md, "Tax"): a flat effective rate, or brackets on
//! income above the standard deduction plus payroll taxes and a flat state rate.
//!
//! Amounts are real: US brackets are indexed to inflation, so they stay fixed in real terms.
//! All income, stipends included, is treated as wages ("taxable like earnings").

use crate::scenario::Tax;

/// A tax schedule ready for the hot loop.
///
/// Income tax on a bracket schedule is piecewise linear: with `d_k` the rise of the marginal
/// rate at threshold `t_k`, the tax on taxable income `x` is `sum_k d_k * max(0, x - t_k)`.
/// That form needs no search and no branch, so a bill costs a few multiply-adds.
#[derive(Debug, Clone)]
pub enum TaxModel {
    /// Flat share of gross income.
    Effective(f64),
    /// Bracket schedule.
    Schedule {
        /// Subtracted before the brackets and the state rate.
        standard_deduction: f64,
        /// (threshold, rise of the marginal rate at the threshold).
        brackets: Box<[(f64, f64)]>,
        /// Payroll taxes as (rate, cap); the cap is infinite when there is none.
        payroll: Box<[(f64, f64)]>,
        /// Flat state rate on taxable income.
        state_rate: f64,
    },
}

impl TaxModel {
    /// Compile a validated `[tax]`.
    pub fn new(tax: &Tax) -> Self {
        match tax {
            Tax::Effective(r) => TaxModel::Effective(*r),
            Tax::Schedule {
                standard_deduction,
                brackets,
                payroll,
                state_rate,
            } => {
                let mut previous = 0.0;
                let rises = brackets
                    .iter()
                    .map(|&(threshold, rate)| {
                        let rise = rate - previous;
                        previous = rate;
                        (threshold, rise)
                    })
                    .collect();
                TaxModel::Schedule {
                    standard_deduction: *standard_deduction,
                    brackets: rises,
                    payroll: payroll
                        .iter()
                        .map(|p| (p.rate, p.cap.unwrap_or(f64::INFINITY)))
                        .collect(),
                    state_rate: *state_rate,
                }
            }
        }
    }

    /// Tax due on gross income `g` (0 for `g <= 0`).
    #[inline]
    pub fn tax(&self, g: f64) -> f64 {
        if g <= 0.0 {
            return 0.0;
        }
        match self {
            TaxModel::Effective(r) => r * g,
            TaxModel::Schedule {
                standard_deduction,
                brackets,
                payroll,
                state_rate,
            } => {
                let taxable = (g - standard_deduction).max(0.0);
                let income_tax: f64 = brackets
                    .iter()
                    .map(|&(t, d)| d * (taxable - t).max(0.0))
                    .sum();
                let payroll: f64 = payroll.iter().map(|&(r, cap)| r * g.min(cap)).sum();
                income_tax + payroll + state_rate * taxable
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Payroll;

    /// US federal 2026 single filer (the IRS's 2026 inflation adjustments and the Social Security wage base for 2026; see docs/sources.md), with a 5% state rate.
    fn us2026(state_rate: f64) -> TaxModel {
        TaxModel::new(&Tax::Schedule {
            standard_deduction: 16_100.0,
            brackets: vec![
                (0.0, 0.10),
                (12_400.0, 0.12),
                (50_400.0, 0.22),
                (105_700.0, 0.24),
                (201_775.0, 0.32),
                (256_225.0, 0.35),
                (640_600.0, 0.37),
            ],
            payroll: vec![
                Payroll {
                    rate: 0.062,
                    cap: Some(184_500.0),
                },
                Payroll {
                    rate: 0.0145,
                    cap: None,
                },
            ],
            state_rate,
        })
    }

    #[test]
    fn single_filer_72k_with_state() {
        // taxable = 72,000 - 16,100 = 55,900
        // income tax: 10% x 12,400 = 1,240; 12% x 38,000 = 4,560; 22% x 5,500 = 1,210 -> 7,010
        // social security 6.2% x 72,000 = 4,464; medicare 1.45% x 72,000 = 1,044
        // state 5% x 55,900 = 2,795; total 15,313
        assert!((us2026(0.05).tax(72_000.0) - 15_313.0).abs() < 1e-6);
    }

    #[test]
    fn single_filer_250k_hits_the_social_security_cap() {
        // taxable = 233,900: 1,240 + 4,560 + 22% x 55,300 = 12,166 + 24% x 96,075 = 23,058
        //   + 32% x 32,125 = 10,280 -> 51,304
        // social security capped: 6.2% x 184,500 = 11,439; medicare 1.45% x 250,000 = 3,625
        // total 66,368
        assert!((us2026(0.0).tax(250_000.0) - 66_368.0).abs() < 1e-6);
    }

    #[test]
    fn single_filer_700k_top_bracket() {
        // taxable 683,900: up to 640,600 the brackets owe
        // 1,240 + 4,560 + 12,166 + 23,058 + 32% x 54,450 = 17,424 + 35% x 384,375 = 134,531.25
        //   = 192,979.25; plus 37% x 43,300 = 16,021 -> 209,000.25
        // payroll 11,439 + 1.45% x 700,000 = 10,150 -> 21,589; total 230,589.25
        assert!((us2026(0.0).tax(700_000.0) - 230_589.25).abs() < 1e-6);
    }

    #[test]
    fn income_below_the_standard_deduction_pays_only_payroll() {
        // 7.65% x 10,000 = 765
        assert!((us2026(0.05).tax(10_000.0) - 765.0).abs() < 1e-9);
        assert_eq!(us2026(0.05).tax(0.0), 0.0);
        assert_eq!(us2026(0.05).tax(-5.0), 0.0);
    }

    #[test]
    fn effective_rate_is_a_flat_share() {
        assert!((TaxModel::new(&Tax::Effective(0.24)).tax(72_000.0) - 17_280.0).abs() < 1e-9);
    }

    #[test]
    fn first_bracket_above_zero_leaves_the_gap_untaxed() {
        let t = TaxModel::new(&Tax::Schedule {
            standard_deduction: 0.0,
            brackets: vec![(10_000.0, 0.2)],
            payroll: vec![],
            state_rate: 0.0,
        });
        assert_eq!(t.tax(10_000.0), 0.0);
        assert!((t.tax(15_000.0) - 1_000.0).abs() < 1e-9);
    }
}
