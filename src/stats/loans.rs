//! Loans in detail, as the Federal Student Aid Loan Simulator shows them for one plan: the
//! first monthly payment, the total paid, the interest and the amount forgiven, here as
//! medians over the simulated lives that borrow. The figures are nominal (dollars of the day
//! they are paid), as a loan's contract and the Loan Simulator state them.

use super::accumulate::TIMELINE_BINS;
use super::codec::{Codec, DecodeError, Reader, Writer};
use super::sketch::Sketch;
use crate::model::PathOutcome;

/// Sketch resolution of the loan figures: 128 bins per octave, medians within 0.4% (a
/// payment of $500 to within $2), so that four sketches per path keep a shard's state small.
pub const LOAN_BINS: u32 = TIMELINE_BINS;

/// Sketches of a path's loan figures over the trials with debt.
#[derive(Debug, Clone, PartialEq)]
pub struct LoanAcc {
    first_payment: Sketch,
    total_paid: Sketch,
    interest: Sketch,
    forgiven: Sketch,
}

impl Default for LoanAcc {
    fn default() -> Self {
        LoanAcc::new()
    }
}

impl LoanAcc {
    /// No trials yet.
    pub fn new() -> Self {
        LoanAcc {
            first_payment: Sketch::new(LOAN_BINS),
            total_paid: Sketch::new(LOAN_BINS),
            interest: Sketch::new(LOAN_BINS),
            forgiven: Sketch::new(LOAN_BINS),
        }
    }

    /// Add one trial's path; a trial without debt adds nothing (the figures describe
    /// borrowers).
    #[inline]
    pub fn push(&mut self, o: &PathOutcome) {
        if o.debt > 0.0 {
            let l = &o.loan;
            self.first_payment.push(l.first_payment);
            self.total_paid.push(l.total_paid);
            self.interest.push(l.interest);
            self.forgiven.push(l.forgiven);
        }
    }

    /// Add another's trials (exactly).
    pub fn merge(&mut self, o: &Self) {
        self.first_payment.merge(&o.first_payment);
        self.total_paid.merge(&o.total_paid);
        self.interest.merge(&o.interest);
        self.forgiven.merge(&o.forgiven);
    }

    /// The medians; `None` when no trial borrowed.
    pub fn summary(&self) -> Option<LoanSummary> {
        let borrowers = self.first_payment.count();
        (borrowers > 0).then(|| LoanSummary {
            borrowers,
            first_payment_p50: self.first_payment.quantile(0.5),
            total_paid_p50: self.total_paid.quantile(0.5),
            interest_p50: self.interest.quantile(0.5),
            forgiven_p50: self.forgiven.quantile(0.5),
            // Forgiven amounts under a dollar (the sketch's zero bin) count as none.
            share_forgiven: 1.0 - self.forgiven.cdf_at(1.0),
        })
    }
}

impl LoanAcc {
    /// Whether `o` has sketches of the same resolution (a decoded state's check).
    pub fn same_shape(&self, o: &Self) -> bool {
        [
            (&self.first_payment, &o.first_payment),
            (&self.total_paid, &o.total_paid),
            (&self.interest, &o.interest),
            (&self.forgiven, &o.forgiven),
        ]
        .iter()
        .all(|(a, b)| a.bins_per_octave() == b.bins_per_octave())
    }
}

impl Codec for LoanAcc {
    fn encode(&self, w: &mut Writer) {
        self.first_payment.encode(w);
        self.total_paid.encode(w);
        self.interest.encode(w);
        self.forgiven.encode(w);
    }

    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(LoanAcc {
            first_payment: Sketch::decode(r)?,
            total_paid: Sketch::decode(r)?,
            interest: Sketch::decode(r)?,
            forgiven: Sketch::decode(r)?,
        })
    }
}

/// A path's loans over the trials that borrow, in nominal dollars.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct LoanSummary {
    /// Trials with debt.
    pub borrowers: u64,
    /// Median first monthly payment, every loan together.
    pub first_payment_p50: f64,
    /// Median total paid within the horizon.
    pub total_paid_p50: f64,
    /// Median interest: paid, still owed and forgiven, minus the principal.
    pub interest_p50: f64,
    /// Median amount forgiven (RAP) within the horizon.
    pub forgiven_p50: f64,
    /// Share of the borrowers with some debt forgiven within the horizon.
    pub share_forgiven: f64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::trial::LoanFigures;

    fn borrower(debt: f64, first: f64, forgiven: f64) -> PathOutcome {
        PathOutcome {
            debt,
            loan: LoanFigures {
                first_payment: first,
                total_paid: 12.0 * first,
                interest: 2.0 * first,
                forgiven,
            },
            ..PathOutcome::default()
        }
    }

    #[test]
    fn medians_over_borrowers_only() {
        let mut a = LoanAcc::new();
        assert_eq!(a.summary(), None);
        // Two lives without debt are left out: the median of 100, 300, 500 is 300.
        for o in [
            borrower(0.0, 0.0, 0.0),
            borrower(1_000.0, 100.0, 0.0),
            borrower(0.0, 0.0, 0.0),
            borrower(5_000.0, 500.0, 2_000.0),
            borrower(3_000.0, 300.0, 0.0),
        ] {
            a.push(&o);
        }
        let s = a.summary().unwrap();
        assert_eq!(s.borrowers, 3);
        assert!((s.first_payment_p50 - 300.0).abs() <= 300.0 / 256.0 + 1.0);
        assert!((s.total_paid_p50 - 3_600.0).abs() <= 3_600.0 / 256.0 + 1.0);
        assert!((s.interest_p50 - 600.0).abs() <= 600.0 / 256.0 + 1.0);
        assert_eq!(s.forgiven_p50, 0.0);
        assert!((s.share_forgiven - 1.0 / 3.0).abs() < 1e-12);
        // Merging two halves equals one pass.
        let (mut x, mut y) = (LoanAcc::new(), LoanAcc::new());
        x.push(&borrower(1_000.0, 100.0, 0.0));
        y.push(&borrower(5_000.0, 500.0, 2_000.0));
        y.push(&borrower(3_000.0, 300.0, 0.0));
        x.merge(&y);
        assert_eq!(x.summary(), Some(s));
    }
}
