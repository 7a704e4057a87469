//! Where a path's mean net return comes from: the after-tax pay it gains over staying put,
//! less the program's costs paid as they come, less what the loans cost (their payments and
//! what is still owed at the end of the horizon), each discounted to today's dollars.
//!
//! A person asks "what does the degree cost me, and what does it bring?" before asking about
//! spreads. Means add up where medians do not, so the three parts are means over every
//! life on the path, and the pay is the difference: the mean net return plus the two costs.
//! The parts therefore add up to the mean net return exactly, as a reader will check.

use super::codec::{Codec, DecodeError, Reader, Writer};
use super::moments::{fixed_mean, to_fixed};
use crate::model::PathOutcome;

/// The two costs of a path over its trials, summed in exact fixed point (integer sums merge
/// in any order to the same bits), so that the means are the same whatever the threads or
/// shards. Only sums: a mean is all the report shows, and a push is two additions.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BreakdownAcc {
    trials: u64,
    costs: i128,
    loans: i128,
}

impl BreakdownAcc {
    /// No trials yet.
    pub fn new() -> Self {
        BreakdownAcc::default()
    }

    /// Adds one trial's path.
    #[inline]
    pub fn push(&mut self, o: &PathOutcome) {
        self.trials += 1;
        self.costs = self.costs.wrapping_add(to_fixed(o.costs_pv));
        self.loans = self.loans.wrapping_add(to_fixed(o.loans_pv));
    }

    /// Adds another's trials (exactly).
    pub fn merge(&mut self, o: &Self) {
        self.trials += o.trials;
        self.costs = self.costs.wrapping_add(o.costs);
        self.loans = self.loans.wrapping_add(o.loans);
    }

    /// The mean of a sum, to within 2^-17 (0 without trials).
    fn mean(&self, sum: i128) -> f64 {
        if self.trials == 0 {
            return 0.0;
        }
        fixed_mean(sum, self.trials)
    }

    /// The parts of `mean_net`, the path's mean net return over the same trials, each to the
    /// cent, so that the pay less the costs is the mean to the cent in `summary.csv` too.
    pub fn summary(&self, mean_net: f64) -> Breakdown {
        // To the cent as the CSV writes a money cell (`{:.2}`, which rounds a tie such as
        // 0.125 to even), so that the mean's own cell is the cent this one is.
        let cent = |x: f64| format!("{x:.2}").parse::<f64>().unwrap_or(x);
        let (costs, loans) = (cent(self.mean(self.costs)), cent(self.mean(self.loans)));
        Breakdown {
            pay: cent(mean_net) + costs + loans,
            costs,
            loans,
        }
    }
}

impl Codec for BreakdownAcc {
    fn encode(&self, w: &mut Writer) {
        w.u64(self.trials);
        w.i128(self.costs);
        w.i128(self.loans);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(BreakdownAcc {
            trials: r.u64()?,
            costs: r.i128()?,
            loans: r.i128()?,
        })
    }
}

/// A path's mean net return in three parts, today's dollars, discounted:
/// `pay - costs - loans` is the mean net return.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize)]
pub struct Breakdown {
    /// After-tax pay gained over staying put (negative when the path earns less), pay given
    /// up while studying and searching included.
    pub pay: f64,
    /// The program's costs paid as they come, from savings or pay (not borrowed).
    pub costs: f64,
    /// The loans' payments, and what is still owed at the end of the horizon.
    pub loans: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn life(costs_pv: f64, loans_pv: f64) -> PathOutcome {
        PathOutcome {
            costs_pv,
            loans_pv,
            ..PathOutcome::default()
        }
    }

    /// Two lives: one pays $20,000 up front, the other borrows and repays $30,000 in today's
    /// money; with a mean net return of $5,000 the pay must have brought $30,000 on average
    /// (5,000 + 10,000 + 15,000).
    #[test]
    fn the_pay_is_what_the_net_return_and_the_costs_add_up_to() {
        let mut a = BreakdownAcc::new();
        a.push(&life(20_000.0, 0.0));
        let mut b = BreakdownAcc::new();
        b.push(&life(0.0, 30_000.0));
        a.merge(&b);
        let s = a.summary(5_000.0);
        assert_eq!(s.costs, 10_000.0);
        assert_eq!(s.loans, 15_000.0);
        assert_eq!(s.pay, 30_000.0);
        assert_eq!(s.pay - s.costs - s.loans, 5_000.0);
    }

    /// A mean exactly between two cents is rounded as `summary.csv` writes it ("-0.12" for
    /// -0.125, ties to even), so the parts still add up to the mean's cell.
    #[test]
    fn a_mean_between_two_cents_adds_up_as_written() {
        let mut a = BreakdownAcc::new();
        a.push(&life(0.125, 0.0));
        let s = a.summary(-0.125);
        let cents = |x: f64| (x * 100.0).round() as i64;
        assert_eq!(format!("{:.2}", -0.125_f64), "-0.12");
        assert_eq!(cents(s.pay) - cents(s.costs) - cents(s.loans), -12);
    }

    #[test]
    fn a_state_decodes_to_itself() {
        let mut a = BreakdownAcc::new();
        a.push(&life(1_234.56, 7_890.12));
        let mut w = Writer::default();
        a.encode(&mut w);
        let bytes = w.into_bytes();
        let mut r = Reader::new(&bytes);
        assert_eq!(BreakdownAcc::decode(&mut r).unwrap(), a);
    }
}
