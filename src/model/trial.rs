//! One trial: one possible life on every path, and what each path's life is worth against
//! the baseline's (model.md sections 2 to 7b).
//!
//! Conventions that model.md leaves to the implementation, chosen as an economist would:
//! - Draw order is fixed (listed in `docs/model.md`); a probability of 0 or 1 draws nothing.
//! - Costs and loans beyond the horizon are outside the model: study months past the last
//!   year cost nothing, and a balance still accruing at the horizon counts as terminal debt.
//! - Terminal debt is valued at the end of year H-1, i.e. H years from now: deflated by
//!   (1+inflation)^H and discounted by (1+discount_rate)^-H.
//! - A nominal cost of month m is the real cost times (1+inflation)^(m/12); savings are real.
//! - The 10% test compares a year's nominal loan payments with its nominal gross income (the
//!   AGI used by RAP); a year with payments and no income fails it.
//! - RAP forgiveness ends repayment: "years to repay" counts up to forgiveness.

use rand::distr::Open01;
use rand::{Rng, RngExt, SeedableRng};

use super::loans::{Amortizing, Disbursed, Rap, rap_payment, standard_term_years};
use super::rng::stream_rng;
use super::{AltModel, FinancingModel, Model};
use crate::dist::Dist;
use crate::scenario::Repayment;

/// What one trial yields for one path.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PathOutcome {
    /// Net present value of the path (real dollars of year 0).
    pub npv: f64,
    /// NPV minus the baseline's NPV in the same trial.
    pub net_return: f64,
    /// First year t from which the cumulative net return stays at or above 0; `None`: never.
    pub breakeven: Option<u32>,
    /// Nominal debt, all loans, when repayment starts (0 without loans).
    pub debt: f64,
    /// Months from the start of repayment until every loan is repaid (or forgiven), if that
    /// happens within the horizon. Meaningful only when `debt > 0`.
    pub repaid_months: Option<u32>,
    /// Whether some year's loan payments exceeded 10% of that year's gross income.
    pub over_10pct: bool,
    /// Completed the program (true for the baseline).
    pub completed: bool,
    /// Placed in the new field.
    pub placed: bool,
    /// The role landed, if placed.
    pub role: Option<usize>,
}

/// What one trial yields for every path.
#[derive(Debug, Clone)]
pub struct TrialOutcome {
    /// Horizon in years.
    pub horizon: usize,
    /// One per path, in model order.
    pub paths: Vec<PathOutcome>,
    /// Cumulative discounted net return after each year, path-major: `cum[p * horizon + t]`.
    pub cum: Vec<f64>,
    /// Net cash flow of each year (real, undiscounted), path-major.
    pub net: Vec<f64>,
}

impl TrialOutcome {
    /// Buffers for a model (allocated once, reused for every trial).
    pub fn new(m: &Model) -> Self {
        let n = m.paths.len() * m.horizon;
        TrialOutcome {
            horizon: m.horizon,
            paths: vec![PathOutcome::default(); m.paths.len()],
            cum: vec![0.0; n],
            net: vec![0.0; n],
        }
    }

    /// Cumulative net return of path `p` by year.
    pub fn cum(&self, p: usize) -> &[f64] {
        &self.cum[p * self.horizon..(p + 1) * self.horizon]
    }

    /// Net cash flow of path `p` by year.
    pub fn net(&self, p: usize) -> &[f64] {
        &self.net[p * self.horizon..(p + 1) * self.horizon]
    }
}

/// Per-trial working memory, allocated once.
#[derive(Debug, Clone)]
pub struct Scratch {
    disc: Vec<f64>,
    deflate: Vec<f64>,
    base_b: Vec<f64>,
    base_net: Vec<f64>,
    gross: Vec<f64>,
    oop: Vec<f64>,
    pay_real: Vec<f64>,
}

impl Scratch {
    /// Buffers for a model.
    pub fn new(m: &Model) -> Self {
        let h = m.horizon + 1;
        let v = || vec![0.0; h];
        Scratch {
            disc: v(),
            deflate: v(),
            base_b: v(),
            base_net: v(),
            gross: v(),
            oop: v(),
            pay_real: v(),
        }
    }
}

/// Bernoulli(p); draws nothing when p is 0 or 1.
#[inline]
fn chance<R: Rng>(p: f64, rng: &mut R) -> bool {
    if p >= 1.0 {
        true
    } else if p <= 0.0 {
        false
    } else {
        rng.random::<f64>() < p
    }
}

/// The years in which an event of probability `p` per year happens (a Bernoulli process),
/// drawn by geometric gaps: the number of quiet years before the next event is
/// `floor(ln U / ln(1 - p))`, so P(gap >= j) = (1 - p)^j exactly. One draw per event instead
/// of one per year; at p = 0.03 that saves 37 of 38 draws. p = 0 draws nothing; p = 1 draws
/// nothing and hits every year.
struct Events {
    next: usize,
    ln_q: f64,
}

impl Events {
    /// A process over years `from..` with probability `p` per year.
    #[inline]
    fn new<R: Rng>(p: f64, from: usize, rng: &mut R) -> Self {
        let mut e = Events {
            next: usize::MAX,
            ln_q: (-p).ln_1p(),
        };
        if p >= 1.0 {
            e.next = from;
        } else if p > 0.0 {
            e.next = from.saturating_add(e.gap(rng));
        }
        e
    }

    #[inline]
    fn gap<R: Rng>(&self, rng: &mut R) -> usize {
        if self.ln_q == f64::NEG_INFINITY {
            return 0;
        }
        let u: f64 = rng.sample(Open01);
        // `as` saturates: a gap beyond any horizon is as good as never.
        (u.ln() / self.ln_q).floor() as usize
    }

    /// Whether the event happens in year `t` (called with increasing `t`); draws the gap to
    /// the next event when it does.
    #[inline]
    fn hit<R: Rng>(&mut self, t: usize, rng: &mut R) -> bool {
        if t != self.next {
            return false;
        }
        self.next = t.saturating_add(1).saturating_add(self.gap(rng));
        true
    }
}

/// Months lost to unemployment in year `t`: at an event, a spell of `months` clamped to
/// 0..12.
#[inline]
fn spell<R: Rng>(events: &mut Events, t: usize, months: &Dist, rng: &mut R) -> f64 {
    if events.hit(t, rng) {
        months.sample(rng).clamp(0.0, 12.0)
    } else {
        0.0
    }
}

/// Simulate one trial with key `key` (see `model::rng`) into `out`.
pub fn run_trial<R: Rng + SeedableRng>(
    m: &Model,
    key: u64,
    s: &mut Scratch,
    out: &mut TrialOutcome,
) {
    let h = m.horizon;
    // The shared stream: economy and the baseline career.
    let mut rng: R = stream_rng(key, 0);
    let d = m.discount_rate.sample(&mut rng);
    let infl = m.inflation.sample(&mut rng);
    let p = &m.person;
    let mut salary = p.salary.sample(&mut rng).max(0.0);
    let urate = p.unemployment_rate.sample(&mut rng);
    let mut spells = Events::new(urate, 0, &mut rng);
    let (dr, ir) = (1.0 / (1.0 + d), 1.0 / (1.0 + infl));
    let (mut df, mut vf) = (1.0, 1.0);
    let mut npv_base = 0.0;
    for t in 0..h {
        if t > 0 {
            salary = (salary * (1.0 + p.annual_raise.sample(&mut rng))).max(0.0);
        }
        let lost = spell(&mut spells, t, &p.unemployment_months, &mut rng);
        let b = salary * (12.0 - lost) / 12.0;
        s.base_b[t] = b;
        s.base_net[t] = b - m.tax.tax(b);
        s.disc[t] = df;
        s.deflate[t] = vf;
        npv_base += df * s.base_net[t];
        df *= dr;
        vf *= ir;
    }
    // Index h holds the end of the horizon, for terminal debt.
    s.disc[h] = df;
    s.deflate[h] = vf;
    // Monthly deflators within a year: vm[j] = (1+infl)^(-j/12), and prefix sums.
    let v = ir.powf(1.0 / 12.0);
    let mut vm = [1.0f64; 12];
    let mut pre = [0.0f64; 13];
    for j in 1..12 {
        vm[j] = vm[j - 1] * v;
    }
    for j in 0..12 {
        pre[j + 1] = pre[j] + vm[j];
    }
    let monthly = Monthly {
        vm,
        pre,
        growth: (1.0 + infl).powf(1.0 / 12.0),
    };

    for (pi, path) in m.paths.iter().enumerate() {
        let cum = &mut out.cum[pi * h..(pi + 1) * h];
        let net = &mut out.net[pi * h..(pi + 1) * h];
        let Some(alt) = &path.alt else {
            cum.fill(0.0);
            net.copy_from_slice(&s.base_net[..h]);
            out.paths[pi] = PathOutcome {
                npv: npv_base,
                net_return: 0.0,
                breakeven: Some(0),
                debt: 0.0,
                repaid_months: None,
                over_10pct: false,
                completed: true,
                placed: false,
                role: None,
            };
            continue;
        };
        let mut rng: R = stream_rng(key, path.stream);
        out.paths[pi] = alternative(m, alt, &mut rng, s, &monthly, p.dependents, net, cum);
    }
}

/// Monthly deflation helpers of a trial.
struct Monthly {
    vm: [f64; 12],
    pre: [f64; 13],
    growth: f64,
}

#[allow(clippy::too_many_arguments)]
fn alternative<R: Rng>(
    m: &Model,
    a: &AltModel,
    rng: &mut R,
    s: &mut Scratch,
    mo: &Monthly,
    dependents: u32,
    net: &mut [f64],
    cum: &mut [f64],
) -> PathOutcome {
    let h = m.horizon;
    let end = 12 * h as u32;
    // Study, completion, dropout.
    let dur = a.duration_months.sample(rng).round().clamp(1.0, 100_000.0) as u32;
    let completed = chance(a.completion.sample(rng), rng);
    let studied = if completed {
        dur
    } else {
        ((rng.random::<f64>() * dur as f64).ceil() as u32).max(1)
    };
    let wf = a.work_fraction.sample(rng);
    let stipend = a.study_income_per_year.sample(rng);
    let c = &a.costs;
    let tuition = c.tuition_per_year.sample(rng);
    let fees = c.fees_per_year.sample(rng);
    let living = c.living_extra_per_month.sample(rng);
    let care = c.caregiver_per_month.sample(rng);
    let one_time = c.one_time.sample(rng);
    let scholarship = c.scholarship_per_year.sample(rng);
    let employer = c.employer_assistance_per_year.sample(rng);
    let cost_month = ((tuition + fees - scholarship - employer) / 12.0 + living + care).max(0.0);
    // Placement, search, fall back (month offsets are real numbers, not rounded).
    let mut placed = false;
    let mut t_job = f64::INFINITY;
    let mut t_fb = f64::INFINITY;
    if completed {
        placed = chance(a.placement.sample(rng), rng);
        let search = a.search_months.sample(rng);
        if placed {
            t_job = dur as f64 + search;
        } else {
            t_fb = dur as f64 + search + a.fallback_months.sample(rng);
        }
    } else {
        t_fb = studied as f64 + a.fallback_months.sample(rng);
    }
    // The role, its salary and the path's career effects.
    let mut role = None;
    let (mut w, mut promo_raise) = (0.0, 0.0);
    // Events in the field start in the year the job starts (promotions the year after).
    let job_year = if t_job.is_finite() {
        (t_job / 12.0) as usize
    } else {
        usize::MAX
    };
    let mut promotion = Events {
        next: usize::MAX,
        ln_q: 0.0,
    };
    let mut field_spells = Events {
        next: usize::MAX,
        ln_q: 0.0,
    };
    if placed {
        let r = if a.roles.len() == 1 {
            a.roles[0].0
        } else {
            let u: f64 = rng.random();
            a.roles
                .iter()
                .find(|(_, c)| u < *c)
                .unwrap_or(&a.roles[a.roles.len() - 1])
                .0
        };
        role = Some(r);
        let rm = &m.roles[r];
        w = (rm.salary.sample(rng) * (1.0 + a.salary_premium.sample(rng))).max(0.0);
        let promo_rate = a.promotion_rate.sample(rng);
        promo_raise = a.promotion_raise.sample(rng);
        let role_urate = rm.unemployment_rate.sample(rng);
        promotion = Events::new(promo_rate, job_year.saturating_add(1), rng);
        field_spells = Events::new(role_urate, job_year, rng);
    }
    // Gross income by year.
    let mut started = false;
    for t in 0..h {
        let b = s.base_b[t];
        let (m0, m1) = (12.0 * t as f64, 12.0 * t as f64 + 12.0);
        let study = studied.saturating_sub(12 * t as u32).min(12) as f64;
        let mut g = study * (wf * b + stipend) / 12.0;
        if t_fb < m1 {
            g += (m1 - t_fb.max(m0)) * b / 12.0;
        }
        if t_job < m1 {
            let rm = &m.roles[role.expect("placed has a role")];
            if started {
                w = (w * (1.0 + rm.annual_raise.sample(rng))).max(0.0);
                // At most one promotion: the process is not consulted again after its first hit.
                if promotion.hit(t, rng) {
                    promotion.next = usize::MAX;
                    w = (w * (1.0 + promo_raise)).max(0.0);
                }
            }
            started = true;
            let k = m1 - t_job.max(m0);
            let lost = spell(&mut field_spells, t, &rm.unemployment_months, rng);
            g += w / 12.0 * (k - lost).max(0.0);
        }
        s.gross[t] = g;
        s.oop[t] = 0.0;
        s.pay_real[t] = 0.0;
    }
    // Costs and their financing, over the study months inside the horizon.
    let paid_months = studied.min(end);
    let (mut debt, mut repaid_months, mut over, mut terminal) = (0.0, None, false, 0.0);
    match &a.financing {
        None => {
            for t in 0..h {
                let months = paid_months.saturating_sub(12 * t as u32).min(12);
                if months == 0 {
                    break;
                }
                s.oop[t] = months as f64 * cost_month;
            }
            s.oop[0] += one_time;
        }
        Some(f) => {
            let loans = finance(f, rng, s, mo, cost_month, one_time, paid_months);
            let r_start = studied + f.grace_months;
            let fed_rate = loans.fed_rate;
            let fed_balance = loans.fed.balance_at(fed_rate, r_start);
            let priv_balance = loans.private.balance_at(loans.private_rate, r_start);
            debt = fed_balance + priv_balance;
            if debt > 0.0 {
                let plan = f
                    .federal
                    .as_ref()
                    .map_or(Repayment::Standard, |x| x.repayment);
                let mut fed_amort = None;
                let mut fed_rap = None;
                if fed_balance > 0.0 {
                    match plan {
                        Repayment::Standard => {
                            let n = standard_term_years(fed_balance) * 12;
                            fed_amort = Some(Amortizing::new(fed_balance, fed_rate, n, r_start));
                        }
                        Repayment::Rap => fed_rap = Some(Rap::new(fed_balance, fed_rate)),
                    }
                }
                let priv_amort = (priv_balance > 0.0).then(|| {
                    Amortizing::new(
                        priv_balance,
                        loans.private_rate,
                        f.private_term_months,
                        r_start,
                    )
                });
                let repay_year = (r_start / 12) as usize;
                for t in repay_year..h {
                    let (a0, a1) = (12 * t as u32, 12 * t as u32 + 12);
                    let agi = s.gross[t] / s.deflate[t];
                    let mut nominal = 0.0;
                    let mut real_in_year = 0.0;
                    for l in [fed_amort.as_ref(), priv_amort.as_ref()]
                        .into_iter()
                        .flatten()
                    {
                        let (k, first) = l.months_in(a0, a1);
                        if k > 0 {
                            let j = (first - a0) as usize;
                            nominal += l.payment * k as f64;
                            real_in_year += l.payment * (mo.pre[j + k as usize] - mo.pre[j]);
                        }
                    }
                    if let Some(rap) = fed_rap.as_mut()
                        && rap.done.is_none()
                    {
                        let pay = rap_payment(agi, dependents);
                        for month in a0.max(r_start)..a1 {
                            let paid = rap.pay_month(pay, month);
                            nominal += paid;
                            real_in_year += paid * mo.vm[(month - a0) as usize];
                            if rap.done.is_some() {
                                break;
                            }
                        }
                    }
                    s.pay_real[t] = real_in_year * s.deflate[t];
                    if nominal > 0.0 && nominal > 0.1 * agi {
                        over = true;
                    }
                }
                // What is still owed at the end of the horizon, nominal.
                let owed = |amort: Option<&Amortizing>, disbursed: &Disbursed, rate: f64| -> f64 {
                    if r_start >= end {
                        disbursed.balance_at(rate, end)
                    } else {
                        amort.map_or(0.0, |l| l.balance_after(end - r_start))
                    }
                };
                let mut owed_nominal = owed(fed_amort.as_ref(), &loans.fed, fed_rate)
                    + owed(priv_amort.as_ref(), &loans.private, loans.private_rate);
                if let Some(rap) = &fed_rap {
                    owed_nominal += if r_start >= end {
                        loans.fed.balance_at(fed_rate, end)
                    } else {
                        rap.balance
                    };
                }
                terminal = owed_nominal * s.deflate[h] * s.disc[h];
                // Months until every loan is repaid, if within the horizon.
                let mut last_end = r_start;
                let mut within = r_start < end;
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
                    repaid_months = Some(last_end - r_start);
                }
            }
        }
    }
    // Net cash flows, NPV, cumulative net return.
    let mut npv = 0.0;
    let mut acc = 0.0;
    for t in 0..h {
        let g = s.gross[t];
        // A year earning exactly the baseline's gross owes the baseline's tax.
        let tax = if g == s.base_b[t] {
            s.base_b[t] - s.base_net[t]
        } else {
            m.tax.tax(g)
        };
        let n = g - tax - s.oop[t] - s.pay_real[t];
        net[t] = n;
        npv += s.disc[t] * n;
        acc += s.disc[t] * (n - s.base_net[t]);
        cum[t] = acc;
    }
    npv -= terminal;
    cum[h - 1] -= terminal;
    let net_return = cum[h - 1];
    let mut breakeven = None;
    for t in (0..h).rev() {
        if cum[t] >= 0.0 {
            breakeven = Some(t as u32);
        } else {
            break;
        }
    }
    PathOutcome {
        npv,
        net_return,
        breakeven,
        debt,
        repaid_months,
        over_10pct: over,
        completed,
        placed,
        role,
    }
}

/// Loans disbursed while studying.
struct Loans {
    fed: Disbursed,
    fed_rate: f64,
    private: Disbursed,
    private_rate: f64,
}

/// Pay each study month's cost from savings, then federal loans (within the annual and
/// aggregate limits, grossed up for the origination fee), then private loans. Out-of-pocket
/// payments go to `s.oop` by year.
fn finance<R: Rng>(
    f: &FinancingModel,
    rng: &mut R,
    s: &mut Scratch,
    mo: &Monthly,
    cost_month: f64,
    one_time: f64,
    months: u32,
) -> Loans {
    let mut savings = f.savings.sample(rng).max(0.0);
    let fed_rate = f.federal.as_ref().map_or(0.0, |x| x.rate.sample(rng));
    let private_rate = f.private_rate.sample(rng);
    let mut loans = Loans {
        fed: Disbursed::default(),
        fed_rate,
        private: Disbursed::default(),
        private_rate,
    };
    let (mut window, mut window_used, mut total_used) = (u32::MAX, 0.0, 0.0);
    let mut nominal_factor = 1.0;
    for month in 0..months {
        let cost = cost_month + if month == 0 { one_time } else { 0.0 };
        if cost > 0.0 {
            let own = cost.min(savings);
            savings -= own;
            s.oop[(month / 12) as usize] += own;
            let mut rest = (cost - own) * nominal_factor;
            if rest > 0.0
                && let Some(fed) = &f.federal
            {
                if month / 12 != window {
                    window = month / 12;
                    window_used = 0.0;
                }
                let room = (fed.annual_limit - window_used)
                    .min(fed.aggregate_limit - total_used)
                    .max(0.0);
                let needed = rest / (1.0 - fed.fee);
                let principal = needed.min(room);
                if principal > 0.0 {
                    window_used += principal;
                    total_used += principal;
                    loans.fed.add(principal, month);
                    rest = if needed <= room {
                        0.0
                    } else {
                        rest - principal * (1.0 - fed.fee)
                    };
                }
            }
            if rest > 0.0 {
                loans.private.add(rest, month);
            }
        }
        nominal_factor *= mo.growth;
    }
    loans
}
