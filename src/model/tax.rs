//! Tax on a year's gross income (docs/model.md, "Tax"): a flat effective rate, or brackets on
//! income above the standard deduction plus payroll taxes and a flat state rate.
//!
//! Amounts are real: US brackets are indexed to inflation, so they stay fixed in real terms.
//! All income, stipends included, is treated as wages ("taxable like earnings").

use crate::scenario::{Payroll, Tax, marginal_rate, rate_changes};

/// A tax schedule ready for the hot loop.
///
/// Everything in a bracket schedule is piecewise linear in gross income `g`: income tax and
/// the state rate on `g` above the standard deduction, each payroll tax up to its cap. So the
/// whole bill is one piecewise-linear function of `g`, whose pieces start at 0, at the
/// standard deduction, at the deduction plus each bracket's threshold and at each payroll
/// cap. It is compiled once into a table of pieces (where each starts, the bill there, the
/// combined marginal rate), and a bill is a lookup and a multiply-add: it is computed for
/// every year of every path of every trial. The bill at each piece's start comes from the
/// schedule itself (each bracket's rate on its part, the payroll taxes, the state rate), so
/// the table agrees with the schedule to within rounding.
#[derive(Debug, Clone)]
pub enum TaxModel {
    /// Flat share of gross income.
    Effective(f64),
    /// Bracket schedule, compiled.
    Schedule(Pieces),
}

/// The bill of a bracket schedule as a piecewise-linear function of gross income.
#[derive(Debug, Clone)]
pub struct Pieces {
    /// In increasing order of gross income, the first starting at 0 and the last ending at
    /// infinity.
    pieces: Box<[Piece]>,
}

/// One piece of the bill: gross incomes `start..end`, the bill at `start` and the marginal
/// rate of every tax together on it (together, so that a lookup reads one place).
#[derive(Debug, Clone, Copy)]
struct Piece {
    start: f64,
    end: f64,
    at_start: f64,
    rate: f64,
}

/// A bracket schedule as the scenario gives it, for computing the bill at a piece's start.
struct Schedule<'a> {
    standard_deduction: f64,
    brackets: &'a [(f64, f64)],
    payroll: &'a [Payroll],
    state_rate: f64,
}

impl Schedule<'_> {
    /// Income tax on taxable income `x`: each bracket's rate on the part of `x` inside it.
    fn income_tax(&self, x: f64) -> f64 {
        let b = self.brackets;
        (0..b.len())
            .map(|k| {
                let hi = b.get(k + 1).map_or(f64::INFINITY, |n| n.0);
                b[k].1 * (x.min(hi) - b[k].0).max(0.0)
            })
            .sum()
    }

    /// The whole bill on gross income `g >= 0`.
    fn bill(&self, g: f64) -> f64 {
        let taxable = (g - self.standard_deduction).max(0.0);
        let payroll: f64 = self
            .payroll
            .iter()
            .map(|p| p.rate * g.min(p.cap.unwrap_or(f64::INFINITY)))
            .sum();
        self.income_tax(taxable) + payroll + self.state_rate * taxable
    }

    fn compile(&self) -> Pieces {
        let mut starts = rate_changes(self.standard_deduction, self.brackets, self.payroll);
        let lines: Vec<(f64, f64)> = starts
            .iter()
            .map(|&g| {
                let rate = marginal_rate(
                    self.standard_deduction,
                    self.brackets,
                    self.payroll,
                    self.state_rate,
                    g,
                );
                (self.bill(g), rate)
            })
            .collect();
        starts.push(f64::INFINITY);
        Pieces {
            pieces: lines
                .iter()
                .zip(starts.windows(2))
                .map(|(&(at_start, rate), w)| Piece {
                    start: w[0],
                    end: w[1],
                    at_start,
                    rate,
                })
                .collect(),
        }
    }
}

impl Pieces {
    /// The piece holding `g >= 0`, trying first the one `hint` names; sets `hint` to it.
    #[inline(always)]
    fn find(&self, g: f64, hint: &mut usize) -> &Piece {
        match self.pieces.get(*hint) {
            Some(p) if p.start <= g && g < p.end => p,
            _ => self.search(g, hint),
        }
    }

    /// [`find`](Self::find) when the hint misses: a step at a time from the hint's piece
    /// (a career's income moves to a neighbouring piece, most often the next one up).
    #[inline(always)]
    fn search(&self, g: f64, hint: &mut usize) -> &Piece {
        let last = self.pieces.len() - 1;
        let mut k = (*hint).min(last);
        while k < last && g >= self.pieces[k].end {
            k += 1;
        }
        while k > 0 && g < self.pieces[k].start {
            k -= 1;
        }
        *hint = k;
        &self.pieces[k]
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
            } => TaxModel::Schedule(
                Schedule {
                    standard_deduction: *standard_deduction,
                    brackets,
                    payroll,
                    state_rate: *state_rate,
                }
                .compile(),
            ),
        }
    }

    /// Tax due on gross income `g` (0 for `g <= 0`).
    #[inline]
    pub fn tax(&self, g: f64) -> f64 {
        self.tax_near(g, &mut 0)
    }

    /// [`tax`](Self::tax), trying first the piece `hint` names (the piece of the last income
    /// taxed) and leaving in it the piece of `g`: a career's income changes piece only now
    /// and then, so along a career the search is two comparisons.
    #[inline(always)]
    pub fn tax_near(&self, g: f64, hint: &mut usize) -> f64 {
        if g <= 0.0 {
            return 0.0;
        }
        match self {
            TaxModel::Effective(r) => r * g,
            TaxModel::Schedule(p) => {
                let q = p.find(g, hint);
                q.at_start + q.rate * (g - q.start)
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

    /// Social Security 6.2% up to the 2026 wage base, Medicare 1.45% on all wages.
    fn us_payroll() -> Vec<Payroll> {
        vec![
            Payroll {
                rate: 0.062,
                cap: Some(184_500.0),
            },
            Payroll {
                rate: 0.0145,
                cap: None,
            },
        ]
    }

    /// US federal 2026 single filer (the IRS's 2026 inflation adjustments and the Social Security wage base for 2026; see docs/sources.md), with a 5% state rate.
    fn us2026(state_rate: f64) -> TaxModel {
        TaxModel::new(&Tax::Schedule {
            standard_deduction: 16_100.0,
            brackets: US_2026.to_vec(),
            payroll: us_payroll(),
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
        // From one bracket to twelve (as many pieces, each found by the search from a hint of 0):
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
    fn the_pieces_agree_with_the_schedule_at_every_income() {
        // The compiled table against the schedule's own bill (each tax on its part), at, just
        // below and just above every piece's start and on a grid, for schedules with a cap
        // inside a bracket, a first bracket above zero, no deduction, no payroll.
        let payroll = us_payroll();
        let us = US_2026.to_vec();
        let gap = vec![(10_000.0, 0.2), (40_000.0, 0.3)];
        for (deduction, brackets, payroll, state) in [
            (16_100.0, &us, &payroll, 0.05),
            (0.0, &us, &payroll, 0.0),
            (5_000.0, &gap, &payroll, 0.03),
            (5_000.0, &gap, &Vec::new(), 0.0),
        ] {
            let sched = Schedule {
                standard_deduction: deduction,
                brackets,
                payroll,
                state_rate: state,
            };
            let t = TaxModel::Schedule(sched.compile());
            let TaxModel::Schedule(p) = &t else {
                unreachable!()
            };
            let mut incomes: Vec<f64> = (0..400).map(|i| 2_500.0 * i as f64 + 0.37).collect();
            for g in p.pieces.iter().map(|q| q.start) {
                incomes.extend([g - 0.01, g, g + 0.01]);
            }
            for g in incomes.into_iter().filter(|&g| g > 0.0) {
                let (got, want) = (t.tax(g), sched.bill(g));
                assert!(
                    (got - want).abs() <= 1e-9 * want.max(1.0),
                    "deduction {deduction}, {g}: {got} vs {want}"
                );
            }
        }
    }

    #[test]
    fn a_wrong_hint_only_costs_a_search() {
        // Whatever piece the hint names, the tax is the same to the bit, and the hint is
        // left naming the income's piece (so the next call starts from it).
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
