//! Repayment of a path's loans over the horizon: the federal plan (standard or RAP) and the
//! private amortization, year by year, with what the person still owes at the end.
//!
//! Conventions (see docs/model.md, "Conventions"):
//! - Repayment starts `grace_months` after study ends; accrued interest is capitalized then.
//! - The 10% test compares a year's nominal loan payments with its nominal gross income (the
//!   AGI used by RAP); a year with payments and no income fails it.
//! - What is still owed at the end of the horizon is terminal debt, valued at the end of year
//!   H-1: deflated by (1 + inflation)^H and discounted by (1 + discount_rate)^-H.
//! - RAP forgiveness ends repayment: "years to repay" counts up to forgiveness.

use super::loans::{Amortizing, Disbursed, Rap, rap_payment, standard_term_years};
use super::units::{Month, NominalDollars};
use crate::scenario::Repayment;

/// Loans disbursed while studying, with their drawn rates.
#[derive(Debug, Clone, Copy, Default)]
pub struct Loans {
    /// Federal principal by month.
    pub fed: Disbursed,
    /// Federal nominal rate.
    pub fed_rate: f64,
    /// Private principal by month.
    pub private: Disbursed,
    /// Private nominal rate.
    pub private_rate: f64,
}

/// What repayment gives, per trial and path.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Repaid {
    /// Balance of every loan when repayment starts, or at the end of the horizon when
    /// repayment would start later (nominal).
    pub debt: NominalDollars,
    /// Months from the start of repayment until every loan is repaid or forgiven, if within
    /// the horizon.
    pub months: Option<u32>,
    /// Whether some year's payments exceeded 10% of that year's gross income.
    pub over_10pct: bool,
    /// Still owed at the end of the horizon (nominal).
    pub owed_at_end: NominalDollars,
    /// The first month's payment, every loan together (nominal).
    pub first_payment: NominalDollars,
    /// Paid in total within the horizon (nominal).
    pub total_paid: NominalDollars,
    /// Forgiven by RAP within the horizon (nominal).
    pub forgiven: NominalDollars,
}

/// The time value helpers of one trial that repayment needs.
pub struct YearValues<'a> {
    /// Nominal to real at the start of each year: `(1 + inflation)^-t`; index `h` is the end.
    pub deflate: &'a [f64],
    /// Real value within a year of a nominal dollar paid in month j: `(1 + inflation)^(-j/12)`.
    pub month_deflate: &'a [f64; 12],
    /// Prefix sums of `month_deflate`.
    pub month_prefix: &'a [f64; 13],
}

/// The affordability test's line, a tenth of the year's income, a hair above it: RAP's top
/// band is exactly 10% of income, and twelve monthly payments of `0.1 * agi / 12` can add up
/// to a few units in the last place more than `0.1 * agi`, which would flag a payment that
/// the plan holds to 10% by design. The margin, a billionth, is far below a cent.
const TEN_PERCENT: f64 = 0.1 * (1.0 + 1e-9);

/// Repay `loans` from month `start` (the end of grace) to the end of the horizon (`h` years).
/// `gross[t]` is year t's real gross income; the real payments of each year go to
/// `pay_real[t]`, which must hold zeros on entry: years without payments are not written
/// (the caller clears the array once for every path, financed or not).
#[allow(clippy::too_many_arguments)]
pub fn repay(
    loans: &Loans,
    plan: Repayment,
    private_term_months: u32,
    dependents: u32,
    start: Month,
    h: usize,
    gross: &[f64],
    v: &YearValues<'_>,
    pay_real: &mut [f64],
) -> Repaid {
    debug_assert!(
        pay_real[..h].iter().all(|&p| p == 0.0),
        "pay_real not cleared"
    );
    let end = 12 * h as u32;
    // The debt when repayment starts, or at the horizon's end when it would start later:
    // interest after retirement is outside the model, as the net return leaves it out.
    let at = start.min(end);
    let fed_balance = loans.fed.balance_at(loans.fed_rate, at);
    let priv_balance = loans.private.balance_at(loans.private_rate, at);
    let debt = fed_balance + priv_balance;
    let mut out = Repaid {
        debt,
        ..Repaid::default()
    };
    if debt <= 0.0 {
        return out;
    }
    let mut fed_amort = None;
    let mut fed_rap = None;
    if fed_balance > 0.0 {
        match plan {
            Repayment::Standard => {
                let n = standard_term_years(fed_balance) * 12;
                fed_amort = Some(Amortizing::new(fed_balance, loans.fed_rate, n, start));
            }
            Repayment::Rap => fed_rap = Some(Rap::new(fed_balance, loans.fed_rate)),
        }
    }
    let priv_amort = (priv_balance > 0.0)
        .then(|| Amortizing::new(priv_balance, loans.private_rate, private_term_months, start));
    // The fixed-payment loans end at a known month: years after it (and after RAP's end)
    // pay nothing, so the loop stops at the first such year (their payments stay zero).
    let amortized = [fed_amort, priv_amort];
    let amortized_end = amortized
        .iter()
        .flatten()
        .map(Amortizing::end)
        .max()
        .unwrap_or(0);
    let mut first = true;
    let years = (start / 12) as usize..h;
    if fed_rap.is_none() {
        // The fixed payments alone (the standard plan): the same years as the loop below
        // takes, in a loop small enough to stay in registers.
        for t in years {
            let (a0, a1) = (12 * t as u32, 12 * t as u32 + 12);
            if a0 >= amortized_end {
                break;
            }
            let agi = gross[t] / v.deflate[t];
            let (nominal, real_in_year) =
                fixed_payments(&amortized, a0, a1, start, first, v, &mut out.first_payment);
            first = false;
            book(
                &mut out,
                &mut pay_real[t],
                nominal,
                real_in_year * v.deflate[t],
                agi,
            );
        }
    } else {
        for t in years {
            let (a0, a1) = (12 * t as u32, 12 * t as u32 + 12);
            if a0 >= amortized_end && fed_rap.as_ref().is_none_or(|r| r.done.is_some()) {
                break;
            }
            let agi = gross[t] / v.deflate[t];
            let (mut nominal, mut real_in_year) =
                fixed_payments(&amortized, a0, a1, start, first, v, &mut out.first_payment);
            if let Some(rap) = fed_rap.as_mut()
                && rap.done.is_none()
            {
                let pay = rap_payment(agi, dependents);
                for month in a0.max(start)..a1 {
                    let paid = rap.pay_month(pay, month);
                    if month == start {
                        out.first_payment += paid;
                    }
                    nominal += paid;
                    real_in_year += paid * v.month_deflate[(month - a0) as usize];
                    if rap.done.is_some() {
                        break;
                    }
                }
            }
            first = false;
            book(
                &mut out,
                &mut pay_real[t],
                nominal,
                real_in_year * v.deflate[t],
                agi,
            );
        }
    }
    // What is still owed at the end of the horizon, nominal.
    let owed = |amort: Option<&Amortizing>, disbursed: &Disbursed, rate: f64| -> f64 {
        if start >= end {
            disbursed.balance_at(rate, end)
        } else {
            amort.map_or(0.0, |l| l.balance_after(end - start))
        }
    };
    out.owed_at_end = owed(fed_amort.as_ref(), &loans.fed, loans.fed_rate)
        + owed(priv_amort.as_ref(), &loans.private, loans.private_rate);
    if let Some(rap) = &fed_rap {
        // A repayment starting at or after the end owes the federal balance, which `owed`
        // has counted above (whatever the plan): RAP adds only a balance it has repaid on.
        if start < end {
            out.owed_at_end += rap.balance;
        }
        out.forgiven = rap.forgiven_amount;
    }
    // Months until every loan is repaid, if within the horizon.
    let mut last_end = start;
    let mut within = start < end;
    for l in [fed_amort.as_ref(), priv_amort.as_ref()]
        .into_iter()
        .flatten()
    {
        last_end = last_end.max(l.end());
        within &= l.end() <= end;
    }
    if let Some(rap) = &fed_rap {
        match rap.done {
            Some(e) => last_end = last_end.max(e),
            None => within = false,
        }
    }
    if within {
        out.months = Some(last_end - start);
    }
    out
}

/// A year's payments booked: `nominal` to the total paid, `real` (today's dollars) to the
/// year's cash flow, and whether they passed a tenth of the year's income `agi` (both loops
/// of [`repay`] do this, one with RAP and one without).
#[inline(always)]
fn book(out: &mut Repaid, pay_real: &mut f64, nominal: NominalDollars, real: f64, agi: f64) {
    out.total_paid += nominal;
    *pay_real = real;
    if nominal > 0.0 && nominal > TEN_PERCENT * agi {
        out.over_10pct = true;
    }
}

/// The fixed-payment loans' payments in months `[a0, a1)`: nominal, and in dollars of the
/// year's start (`month_prefix`), each loan in turn from 0; the first month's payments go to
/// `first_payment` in the first year (`first`).
#[inline(always)]
fn fixed_payments(
    amortized: &[Option<Amortizing>; 2],
    a0: Month,
    a1: Month,
    start: Month,
    first: bool,
    v: &YearValues<'_>,
    first_payment: &mut NominalDollars,
) -> (NominalDollars, f64) {
    let mut nominal = 0.0;
    let mut real_in_year = 0.0;
    for l in amortized {
        let Some(l) = l else { continue };
        let (k, from) = l.months_in(a0, a1);
        if k > 0 {
            let j = (from - a0) as usize;
            nominal += l.payment * k as f64;
            real_in_year += l.payment * (v.month_prefix[j + k as usize] - v.month_prefix[j]);
            if first && from == start {
                *first_payment += l.payment;
            }
        }
    }
    (nominal, real_in_year)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The time values of a trial without inflation (40 years): every dollar is worth one.
    fn no_inflation() -> YearValues<'static> {
        static DEFLATE: [f64; 41] = [1.0; 41];
        static MONTH: [f64; 12] = [1.0; 12];
        static PREFIX: [f64; 13] = [
            0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0,
        ];
        YearValues {
            deflate: &DEFLATE,
            month_deflate: &MONTH,
            month_prefix: &PREFIX,
        }
    }

    /// A federal loan of $30,000 disbursed in month 0 at 6.5%.
    fn thirty_thousand_at_six_and_a_half() -> Loans {
        let mut fed = Disbursed::default();
        fed.add(30_000.0, 0);
        Loans {
            fed,
            fed_rate: 0.065,
            ..Loans::default()
        }
    }

    #[test]
    fn payments_stop_when_the_loan_ends_and_later_years_pay_nothing() {
        // $30,000 disbursed in month 0 at 6.5%, repaid from month 24 without inflation:
        // 30,000 + 0.065 / 12 x 30,000 x 24 = 33,900 owed, which puts it on the 15-year plan:
        // 33,900 i / (1 - (1 + i)^-180), i = 0.065 / 12, is $295.305 a month, $3,543.66 a
        // year in years 2 to 16 and nothing from year 17 on.
        let loans = thirty_thousand_at_six_and_a_half();
        let v = no_inflation();
        let gross = [200_000.0; 40];
        let mut pay = [0.0; 40];
        let r = repay(
            &loans,
            Repayment::Standard,
            120,
            0,
            24,
            40,
            &gross,
            &v,
            &mut pay,
        );
        assert!((r.debt - 33_900.0).abs() < 1e-9, "{}", r.debt);
        assert!(
            (r.first_payment - 295.305_4).abs() < 1e-3,
            "{}",
            r.first_payment
        );
        for (t, &p) in pay.iter().enumerate().skip(2) {
            let want = if t <= 16 { 3_543.665 } else { 0.0 };
            assert!((p - want).abs() < 1e-3, "year {t}: {p}");
        }
        assert_eq!(r.months, Some(180));
        assert!((r.total_paid - 53_154.971).abs() < 1e-2, "{}", r.total_paid);
        assert_eq!(r.owed_at_end, 0.0);
        assert!(!r.over_10pct);
    }

    /// Repayment that would start after the horizon owes the balance at the end once, on RAP
    /// as on the standard plan (RAP's balance was counted a second time).
    #[test]
    fn debt_not_yet_in_repayment_at_the_end_is_owed_once_on_either_plan() {
        // $30,000 in month 0 at 6.5%, repayment from month 36 of a 2-year horizon: 30,000 +
        // 0.065 / 12 x 30,000 x 24 = 33,900 owed at the end, nothing paid.
        let loans = thirty_thousand_at_six_and_a_half();
        let v = no_inflation();
        let gross = [50_000.0; 2];
        for plan in [Repayment::Standard, Repayment::Rap] {
            let mut pay = [0.0; 2];
            let r = repay(&loans, plan, 120, 0, 36, 2, &gross, &v, &mut pay);
            assert!((r.debt - 33_900.0).abs() < 1e-9, "{plan:?}: {}", r.debt);
            assert!(
                (r.owed_at_end - 33_900.0).abs() < 1e-9,
                "{plan:?}: {}",
                r.owed_at_end
            );
            assert_eq!(r.total_paid, 0.0);
        }
    }

    #[test]
    fn rap_at_its_top_band_is_not_over_ten_percent() {
        // RAP takes exactly 10% of an income of $100,000 or more (no dependents): never more
        // than 10%, whatever the income and the year; with a dependent, less.
        let mut fed = Disbursed::default();
        fed.add(80_000.0, 0);
        let loans = Loans {
            fed,
            fed_rate: 0.07,
            ..Loans::default()
        };
        let g: f64 = 1.025;
        let deflate: Vec<f64> = (0..=40).map(|t| g.powi(-t)).collect();
        let vm: [f64; 12] = std::array::from_fn(|j| g.powf(-(j as f64) / 12.0));
        let mut pre = [0.0; 13];
        for j in 0..12 {
            pre[j + 1] = pre[j] + vm[j];
        }
        let v = YearValues {
            deflate: &deflate,
            month_deflate: &vm,
            month_prefix: &pre,
        };
        let mut flagged = 0;
        for k in 0..200 {
            let income = 100_000.0 + 1_234.567 * f64::from(k);
            // Real income falling with inflation: nominal income stays at `income`.
            let gross: Vec<f64> = deflate[..40].iter().map(|d| income * d).collect();
            for dependents in [0, 1] {
                let mut pay = [0.0; 40];
                let r = repay(
                    &loans,
                    Repayment::Rap,
                    120,
                    dependents,
                    24,
                    40,
                    &gross,
                    &v,
                    &mut pay,
                );
                // 10% of the nominal income a year, $50 a month less with a dependent.
                let want = 0.1 * income / 12.0 - 50.0 * f64::from(dependents);
                assert!(
                    (r.first_payment - want).abs() < 1e-6,
                    "{income}: {}",
                    r.first_payment
                );
                flagged += u32::from(r.over_10pct);
            }
        }
        assert_eq!(flagged, 0);
    }

    #[test]
    fn rap_at_its_top_band_with_a_private_loan_is_over_ten_percent() {
        // The same 10% of income under RAP, plus a $1,000 private loan at 8%: $1,160 after
        // 24 months of simple interest, repaid over 10 years at $14.074 a month. The year's
        // payments pass 10% of income by $168.89, far beyond the test's margin of a
        // billionth (about $0.00015 on $150,000), and are flagged.
        let mut fed = Disbursed::default();
        fed.add(80_000.0, 0);
        let mut private = Disbursed::default();
        private.add(1_000.0, 0);
        let loans = Loans {
            fed,
            fed_rate: 0.07,
            private,
            private_rate: 0.08,
        };
        let v = no_inflation();
        let gross = [150_000.0; 40];
        let mut pay = [0.0; 40];
        let r = repay(&loans, Repayment::Rap, 120, 0, 24, 40, &gross, &v, &mut pay);
        // Year 2: RAP's $15,000 and the private loan's twelve payments.
        assert!((pay[2] - 15_168.888).abs() < 1e-2, "{}", pay[2]);
        assert!(r.over_10pct);
        // Without the private loan, at exactly 10%: not flagged.
        let loans = Loans {
            private: Disbursed::default(),
            ..loans
        };
        let mut pay = [0.0; 40];
        let r = repay(&loans, Repayment::Rap, 120, 0, 24, 40, &gross, &v, &mut pay);
        assert!((pay[2] - 15_000.0).abs() < 1e-6, "{}", pay[2]);
        assert!(!r.over_10pct);
    }
}
