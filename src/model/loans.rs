//! Student loans (docs/model.md, "Loans"): disbursement while studying, simple interest through
//! school and grace, capitalization, then the new standard plan, RAP, or a private
//! amortization.
//!
//! Loan amounts are nominal (their rates and payments are contractual). Within a year, an
//! amortizing loan's payments have a closed form (count times payment, and a geometric sum
//! for their real value), so repayment costs O(years), not O(months). RAP's payment is
//! constant within a year; its balance path has two regimes (principal match, then plain
//! amortization), which a 12-step loop of additions and multiplications resolves faster
//! than the `powf` calls of a closed form.

/// Principal disbursed while studying, and what is needed for simple interest: the sum of
/// each disbursement times its month, so accrued interest to month `r` is
/// `rate/12 * (principal * r - weighted)`.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Disbursed {
    /// Nominal principal disbursed in total.
    pub principal: f64,
    /// Sum over disbursements of principal times month of disbursement.
    pub weighted: f64,
}

impl Disbursed {
    /// Add a disbursement of `p` in month `m`.
    #[inline]
    pub fn add(&mut self, p: f64, m: u32) {
        self.principal += p;
        self.weighted += p * m as f64;
    }

    /// Principal plus simple interest accrued from each disbursement to month `r`.
    #[inline]
    pub fn balance_at(&self, annual_rate: f64, r: u32) -> f64 {
        if self.principal <= 0.0 {
            return 0.0;
        }
        self.principal + annual_rate / 12.0 * (self.principal * r as f64 - self.weighted)
    }
}

/// Monthly payment that repays `balance` in `n` months at monthly rate `i`:
/// `P i / (1 - (1 + i)^-n)`, or `P / n` at a zero rate.
pub fn amortized_payment(balance: f64, i: f64, n: u32) -> f64 {
    if n == 0 {
        return balance;
    }
    if i == 0.0 {
        balance / n as f64
    } else {
        balance * i / (1.0 - (1.0 + i).powi(-(n as i32)))
    }
}

/// Term of the new standard plan, set by the federal balance when repayment starts:
/// under 25,000: 10 years; under 50,000: 15; under 100,000: 20; otherwise 25.
pub fn standard_term_years(balance: f64) -> u32 {
    match balance {
        b if b < 25_000.0 => 10,
        b if b < 50_000.0 => 15,
        b if b < 100_000.0 => 20,
        _ => 25,
    }
}

/// A fixed-payment loan: `n` payments of `payment` from month `start`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Amortizing {
    /// First payment month.
    pub start: u32,
    /// Number of payments.
    pub n: u32,
    /// Monthly payment.
    pub payment: f64,
    /// Balance when repayment starts (after capitalization).
    pub balance: f64,
    /// Monthly rate.
    pub i: f64,
}

impl Amortizing {
    /// A loan of `balance` at `annual_rate`, repaid over `n` months from month `start`.
    pub fn new(balance: f64, annual_rate: f64, n: u32, start: u32) -> Self {
        let i = annual_rate / 12.0;
        Amortizing {
            start,
            n,
            payment: amortized_payment(balance, i, n),
            balance,
            i,
        }
    }

    /// Balance after `j` payments: `B (1+i)^j - pay ((1+i)^j - 1) / i`, never below 0.
    pub fn balance_after(&self, j: u32) -> f64 {
        let j = j.min(self.n);
        if j == self.n {
            return 0.0;
        }
        let b = if self.i == 0.0 {
            self.balance - self.payment * j as f64
        } else {
            let g = (1.0 + self.i).powi(j as i32);
            self.balance * g - self.payment * (g - 1.0) / self.i
        };
        b.max(0.0)
    }

    /// Payments falling in months `[a, b)`: (count, first such month).
    #[inline]
    pub fn months_in(&self, a: u32, b: u32) -> (u32, u32) {
        let first = a.max(self.start);
        let last = b.min(self.start + self.n);
        (last.saturating_sub(first), first)
    }

    /// The month after the last payment.
    pub fn end(&self) -> u32 {
        self.start + self.n
    }
}

/// RAP monthly payment for a year's nominal AGI: `max(10, rate * AGI / 12 - 50 * dependents)`,
/// rate 1% for AGI 10,000 to under 20,000, one more point per further 10,000 band, 10% from
/// 100,000; AGI under 10,000 pays 10 a month.
pub fn rap_payment(agi: f64, dependents: u32) -> f64 {
    if agi < 10_000.0 {
        return 10.0;
    }
    let points = (agi / 10_000.0).floor().min(10.0);
    (points / 100.0 * agi / 12.0 - 50.0 * dependents as f64).max(10.0)
}

/// RAP's forgiveness: any balance left after this many payments is forgiven.
pub const RAP_PAYMENTS: u32 = 360;

/// A federal balance in RAP repayment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rap {
    /// Outstanding principal (nominal; never grows: unpaid interest is waived).
    pub balance: f64,
    /// Monthly rate.
    pub i: f64,
    /// Payments made so far.
    pub payments: u32,
    /// The month after the last payment, once repaid or forgiven.
    pub done: Option<u32>,
    /// Whether the end came by forgiveness.
    pub forgiven: bool,
    /// The balance forgiven (nominal), if any.
    pub forgiven_amount: f64,
}

impl Rap {
    /// A balance entering RAP.
    pub fn new(balance: f64, annual_rate: f64) -> Self {
        Rap {
            balance,
            i: annual_rate / 12.0,
            payments: 0,
            done: (balance <= 0.0).then_some(0),
            forgiven: false,
            forgiven_amount: 0.0,
        }
    }

    /// One month's payment of `pay` in month `m`; returns what the borrower paid.
    ///
    /// Interest is charged on the balance; a payment below it is all interest and the rest is
    /// waived; the principal falls by at least `min(50, pay)` (the government matches the
    /// shortfall); a payment never exceeds the balance plus the month's interest.
    #[inline]
    pub fn pay_month(&mut self, pay: f64, m: u32) -> f64 {
        if self.done.is_some() {
            return 0.0;
        }
        let interest = self.balance * self.i;
        let paid;
        if pay >= self.balance + interest {
            paid = self.balance + interest;
            self.balance = 0.0;
        } else {
            paid = pay;
            let reduction = (pay - interest).max(pay.min(50.0)).min(self.balance);
            self.balance -= reduction;
        }
        self.payments += 1;
        if self.balance <= 0.0 {
            self.balance = 0.0;
            self.done = Some(m + 1);
        } else if self.payments >= RAP_PAYMENTS {
            self.forgiven_amount = self.balance;
            self.balance = 0.0;
            self.forgiven = true;
            self.done = Some(m + 1);
        }
        paid
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_thousand_at_six_and_a_half_over_ten_years() {
        // i = 0.065/12 = 0.00541667; (1+i)^-120 = 0.523091; 30,000 x i / (1 - 0.523091)
        //   = 162.5 / 0.476909 = 340.64 a month; 120 x 340.64 - 30,000 = 10,877 of interest.
        let pay = amortized_payment(30_000.0, 0.065 / 12.0, 120);
        assert!((pay - 340.64).abs() < 0.005, "{pay}");
        assert!((pay * 120.0 - 30_000.0 - 10_877.0).abs() < 1.0);
    }

    #[test]
    fn zero_rate_splits_evenly() {
        assert_eq!(amortized_payment(12_000.0, 0.0, 120), 100.0);
        let l = Amortizing::new(12_000.0, 0.0, 120, 30);
        assert!((l.balance_after(60) - 6_000.0).abs() < 1e-9);
    }

    #[test]
    fn closed_form_balance_matches_month_by_month() {
        let l = Amortizing::new(45_000.0, 0.0794, 180, 24);
        let mut b = l.balance;
        for j in 1..=180 {
            b = b * (1.0 + l.i) - l.payment;
            if j % 37 == 0 || j == 179 {
                assert!((l.balance_after(j) - b).abs() < 1e-6, "j={j}");
            }
        }
        assert!(b.abs() < 1e-6, "amortization ends at zero: {b}");
        assert_eq!(l.balance_after(180), 0.0);
        assert_eq!(l.months_in(0, 24), (0, 24));
        assert_eq!(l.months_in(24, 36), (12, 24));
        assert_eq!(l.months_in(198, 210), (6, 198));
        assert_eq!(l.end(), 204);
    }

    #[test]
    fn standard_plan_tiers() {
        assert_eq!(standard_term_years(24_999.99), 10);
        assert_eq!(standard_term_years(25_000.0), 15);
        assert_eq!(standard_term_years(49_999.0), 15);
        assert_eq!(standard_term_years(50_000.0), 20);
        assert_eq!(standard_term_years(99_999.0), 20);
        assert_eq!(standard_term_years(100_000.0), 25);
    }

    #[test]
    fn rap_payments() {
        // Published example: AGI 120,000 -> 10% x 120,000 / 12 = 1,000 a month.
        assert_eq!(rap_payment(120_000.0, 0), 1_000.0);
        // $50 less per dependent: 1,000 - 2 x 50 = 900.
        assert_eq!(rap_payment(120_000.0, 2), 900.0);
        // 55,000 is in the 50-60k band: 5% x 55,000 / 12 = 229.17.
        assert!((rap_payment(55_000.0, 0) - 229.166_666).abs() < 1e-3);
        // 15,000: 1% x 15,000 / 12 = 12.50; with one dependent 12.50 - 50 < 10 -> 10.
        assert!((rap_payment(15_000.0, 0) - 12.5).abs() < 1e-9);
        assert_eq!(rap_payment(15_000.0, 1), 10.0);
        // Under 10,000 pays 120 a year.
        assert_eq!(rap_payment(9_999.0, 0), 10.0);
        assert_eq!(rap_payment(0.0, 3), 10.0);
        // 100,000 and above: 10%.
        assert!((rap_payment(100_000.0, 0) - 833.333_333).abs() < 1e-3);
        assert!((rap_payment(99_999.0, 0) - 0.09 * 99_999.0 / 12.0).abs() < 1e-9);
    }

    #[test]
    fn rap_waives_unpaid_interest_and_matches_principal() {
        // 100,000 at 7.94%: interest 661.67 a month. A $10 payment covers none of it: the
        // interest is waived and the principal still falls by min(50, 10) = 10.
        let mut r = Rap::new(100_000.0, 0.0794);
        assert_eq!(r.pay_month(10.0, 0), 10.0);
        assert!((r.balance - 99_990.0).abs() < 1e-9);
        // A $400 payment: below the interest, so the principal falls by min(50, 400) = 50.
        r.pay_month(400.0, 1);
        assert!((r.balance - 99_940.0).abs() < 1e-9);
        // $680 pays 680 - 661.27 = 18.73 of principal, less than 50: matched up to 50.
        r.pay_month(680.0, 2);
        assert!((r.balance - 99_890.0).abs() < 1e-9);
        // $1,000 pays 1,000 - 660.94 = 339.06 of principal: no match needed.
        let interest = r.balance * 0.0794 / 12.0;
        r.pay_month(1_000.0, 3);
        assert!((r.balance - (99_890.0 - (1_000.0 - interest))).abs() < 1e-9);
        assert_eq!(r.payments, 4);
    }

    #[test]
    fn rap_last_payment_never_exceeds_the_balance() {
        let mut r = Rap::new(500.0, 0.06);
        let paid = r.pay_month(1_000.0, 40);
        assert!((paid - 502.5).abs() < 1e-9);
        assert_eq!(r.done, Some(41));
        assert_eq!(r.pay_month(1_000.0, 41), 0.0);
    }

    #[test]
    fn rap_forgives_after_360_payments() {
        let mut r = Rap::new(200_000.0, 0.08);
        for m in 0..360 {
            r.pay_month(10.0, m);
        }
        // 360 payments of $10, each matched to $10 of principal: 196,400 left and forgiven.
        assert!(r.forgiven);
        assert_eq!(r.balance, 0.0);
        assert_eq!(r.done, Some(360));
    }

    #[test]
    fn accrual_is_simple_interest_from_each_disbursement() {
        // 10,000 in month 0 and 10,000 in month 12 at 6%, repayment at month 30:
        // 10,000 x 0.005 x 30 + 10,000 x 0.005 x 18 = 1,500 + 900 = 2,400 accrued.
        let mut d = Disbursed::default();
        d.add(10_000.0, 0);
        d.add(10_000.0, 12);
        assert!((d.balance_at(0.06, 30) - 22_400.0).abs() < 1e-9);
        assert_eq!(Disbursed::default().balance_at(0.06, 30), 0.0);
    }
}
