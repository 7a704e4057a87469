//! Tax on a year's gross income (docs/model.md, "Tax"): a flat effective rate, or brackets on
//! income above the standard deduction plus payroll taxes and a flat state rate.
//!
//! Amounts are real: US brackets are indexed to inflation, so they stay fixed in real terms.
//! All income, stipends included, is treated as wages ("taxable like earnings").

use crate::scenario::Tax;

/// A tax schedule ready for the hot loop.
///
/// Income tax on a bracket schedule is piecewise linear: on taxable income `x` in bracket
/// `k` (the last threshold `t_k` below `x`), it is the tax on everything below `t_k`, computed
/// once, plus `r_k (x - t_k)`. Finding `k` counts the thresholds below `x` (independent
/// comparisons, no branch), so a bill is a handful of operations whatever the number of
/// brackets: it is computed for every year of every path of every trial.
#[derive(Debug, Clone)]
pub enum TaxModel {
    /// Flat share of gross income.
    Effective(f64),
    /// Bracket schedule.
    Schedule {
        /// Subtracted before the brackets and the state rate.
        standard_deduction: f64,
        /// Thresholds, increasing (validated), the first at or above 0.
        thresholds: Thresholds,
        /// Per bracket: (threshold, its rate, the tax on income up to the threshold).
        brackets: Box<[(f64, f64, f64)]>,
        /// Payroll taxes as (rate, cap); the cap is infinite when there is none.
        payroll: Box<[(f64, f64)]>,
        /// Flat state rate on taxable income.
        state_rate: f64,
    },
}

/// A schedule's thresholds, for counting those below an income.
#[derive(Debug, Clone)]
pub enum Thresholds {
    /// Up to seven (the US has seven), padded to eight with infinities: counted by a
    /// three-step binary search without branches.
    Few([f64; 8]),
    /// More than seven.
    Many(Box<[f64]>),
}

impl Thresholds {
    fn new(t: Vec<f64>) -> Self {
        if t.len() < 8 {
            let mut few = [f64::INFINITY; 8];
            few[..t.len()].copy_from_slice(&t);
            Thresholds::Few(few)
        } else {
            Thresholds::Many(t.into())
        }
    }

    /// How many thresholds lie strictly below `x`.
    #[inline]
    fn below(&self, x: f64) -> usize {
        match self {
            Thresholds::Few(t) => {
                // Increasing, and t[7] is infinite: the count is in 0..=7.
                let mut k = 0;
                if t[3] < x {
                    k = 4;
                }
                if t[k + 1] < x {
                    k += 2;
                }
                if t[k] < x {
                    k += 1;
                }
                k
            }
            Thresholds::Many(t) => t.partition_point(|&t| t < x),
        }
    }

    /// [`below`](Self::below), checking first whether it is `hint`; sets `hint` to it.
    #[inline]
    fn below_near(&self, x: f64, hint: &mut usize) -> usize {
        if let Thresholds::Few(t) = self {
            let k = (*hint).min(7);
            // t[7] is infinite: never below x.
            if (k == 0 || t[k - 1] < x) && x <= t[k] {
                return k;
            }
        }
        let k = self.below(x);
        *hint = k;
        k
    }
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
                let mut below = 0.0;
                let table: Box<[(f64, f64, f64)]> = brackets
                    .iter()
                    .enumerate()
                    .map(|(k, &(threshold, rate))| {
                        let row = (threshold, rate, below);
                        if let Some(&(next, _)) = brackets.get(k + 1) {
                            below += rate * (next - threshold);
                        }
                        row
                    })
                    .collect();
                TaxModel::Schedule {
                    standard_deduction: *standard_deduction,
                    thresholds: Thresholds::new(brackets.iter().map(|b| b.0).collect()),
                    brackets: table,
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
        self.tax_near(g, &mut 0)
    }

    /// [`tax`](Self::tax), trying first the bracket `hint` names (the number of thresholds
    /// below the last income taxed) and leaving in it the bracket of `g`: a career's income
    /// changes bracket only now and then, so along a career the search is two comparisons.
    #[inline]
    pub fn tax_near(&self, g: f64, hint: &mut usize) -> f64 {
        if g <= 0.0 {
            return 0.0;
        }
        match self {
            TaxModel::Effective(r) => r * g,
            TaxModel::Schedule {
                standard_deduction,
                thresholds,
                brackets,
                payroll,
                state_rate,
            } => {
                let taxable = (g - standard_deduction).max(0.0);
                let above = thresholds.below_near(taxable, hint);
                let income_tax = match above.checked_sub(1).and_then(|k| brackets.get(k)) {
                    Some(&(t, rate, below)) => below + rate * (taxable - t),
                    None => 0.0,
                };
                let mut payroll_tax = 0.0;
                for &(r, cap) in payroll.iter() {
                    payroll_tax += r * g.min(cap);
                }
                income_tax + payroll_tax + state_rate * taxable
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Payroll;

    /// US federal 2026 brackets, single filer (the IRS's 2026 inflation adjustments).
    const US_2026: [(f64, f64); 7] = [
        (0.0, 0.10),
        (12_400.0, 0.12),
        (50_400.0, 0.22),
        (105_700.0, 0.24),
        (201_775.0, 0.32),
        (256_225.0, 0.35),
        (640_600.0, 0.37),
    ];

    /// Income tax on taxable income `x` as marginal rates define it: each bracket's rate on
    /// the part of `x` that falls in it, summed.
    fn by_marginal_rates(brackets: &[(f64, f64)], x: f64) -> f64 {
        (0..brackets.len())
            .map(|k| {
                let (lo, rate) = brackets[k];
                let hi = brackets.get(k + 1).map_or(f64::INFINITY, |b| b.0);
                rate * (x.min(hi) - lo).max(0.0)
            })
            .sum()
    }

    /// US federal 2026 single filer (the IRS's 2026 inflation adjustments and the Social Security wage base for 2026; see docs/sources.md), with a 5% state rate.
    fn us2026(state_rate: f64) -> TaxModel {
        TaxModel::new(&Tax::Schedule {
            standard_deduction: 16_100.0,
            brackets: US_2026.to_vec(),
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

    #[test]
    fn the_table_is_the_sum_of_marginal_rates() {
        // Tax on x as the marginal rates define it: each bracket's rate on the part of x
        // that falls in it, summed; at, just below and just above every threshold.
        let t = us2026(0.05);
        let by_rates = |g: f64| {
            let x = (g - 16_100.0_f64).max(0.0);
            by_marginal_rates(&US_2026, x) + 0.062 * g.min(184_500.0) + 0.0145 * g + 0.05 * x
        };
        let mut incomes: Vec<f64> = (0..200).map(|i| 5_000.0 * i as f64).collect();
        for (th, _) in US_2026 {
            incomes.extend([th + 16_100.0 - 0.5, th + 16_100.0, th + 16_100.0 + 0.5]);
        }
        for g in incomes {
            let (got, want) = (t.tax(g), by_rates(g));
            assert!(
                (got - want).abs() < 1e-9 * want.max(1.0),
                "{g}: {got} vs {want}"
            );
        }
    }

    #[test]
    fn many_brackets_and_every_count_of_thresholds_below() {
        // Eight and more thresholds (searched), and fewer (counted by the three steps):
        // the tax is the sum of each rate on the part of the income in its bracket.
        for n in 1..=12 {
            let brackets: Vec<(f64, f64)> = (0..n)
                .map(|k| (10_000.0 * k as f64, 0.05 + 0.03 * k as f64))
                .collect();
            let t = TaxModel::new(&Tax::Schedule {
                standard_deduction: 0.0,
                brackets: brackets.clone(),
                payroll: Vec::new(),
                state_rate: 0.0,
            });
            for i in 0..300 {
                let x = 500.0 * i as f64;
                let want = by_marginal_rates(&brackets, x);
                let got = t.tax(x);
                assert!(
                    (got - want).abs() < 1e-9 * want.max(1.0),
                    "{n} brackets, {x}: {got} vs {want}"
                );
            }
        }
    }

    #[test]
    fn a_wrong_hint_only_costs_a_search() {
        // Whatever bracket the hint names, the tax is the same to the bit, and the hint
        // is left naming the income's bracket (so the next call starts from it).
        let t = us2026(0.05);
        for start in 0..10 {
            for i in 0..400 {
                let g = 2_000.0 * i as f64;
                let mut hint = start;
                assert_eq!(t.tax_near(g, &mut hint).to_bits(), t.tax(g).to_bits());
                let mut again = hint;
                assert_eq!(t.tax_near(g, &mut again).to_bits(), t.tax(g).to_bits());
                assert_eq!(again, hint, "the hint after {g} is its bracket");
            }
        }
    }
}
