//! One trial: one possible life on every path, and what each path's life is worth against
//! the baseline's (docs/model.md, "How one life is simulated").
//!
//! A trial runs in phases, each a function: the baseline career (shared by every path),
//! then for each alternative path its study, its career after study, the financing of its
//! costs and the repayment of its loans (`repay.rs`), and last its cash flows.
//!
//! Conventions chosen where the model leaves a choice (docs/model.md, "Conventions"):
//! - Every input and every event draws from its own stream (`rng.rs`); a probability of 0 or
//!   1 draws nothing.
//! - Costs and loans beyond the horizon are outside the model: study months past the last
//!   year cost nothing, and a balance still accruing at the horizon counts as terminal debt.
//! - A nominal cost of month m is the real cost times (1+inflation)^(m/12); savings are real.

use std::cell::Cell;
use std::marker::PhantomData;

use rand::distr::Open01;
use rand::{Rng, RngExt, SeedableRng};

use super::candidates::{Candidates, Known, Plan};
use super::inputs::{EconomyInput, Input, InputId, PathInput, PersonInput, RoleInput};
use super::loans::Disbursed;
use super::repay::{Loans, Repaid, YearValues, repay};
use super::rng::stream_rng;
use super::units::{Month, Months, NominalDollars, RealDollars};
use super::{AltModel, FinancingModel, Model};
use crate::dist::Dist;
use crate::dist::special::{normal_cdf, normal_quantile};
use crate::scenario::Repayment;
use crate::scenario::schema::MAX_FACTORS;

/// What one trial yields for one path.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PathOutcome {
    /// Net present value of the path (real dollars of year 0).
    pub npv: f64,
    /// NPV minus the baseline's NPV in the same trial.
    pub net_return: f64,
    /// First year t from which the cumulative net return stays at or above 0; `None`: never.
    pub breakeven: Option<u32>,
    /// Nominal debt, all loans, when repayment starts, or at the end of the horizon when it
    /// would start later (0 without loans).
    pub debt: f64,
    /// Months from the start of repayment until every loan is repaid (or forgiven), if that
    /// happens within the horizon. Meaningful only when `debt > 0`.
    pub repaid_months: Option<u32>,
    /// Whether some year's loan payments exceeded 10% of that year's gross income.
    pub over_10pct: bool,
    /// Completed the program (true for the baseline).
    pub completed: bool,
    /// Placed in the new field and took the job.
    pub placed: bool,
    /// Offered a job in the new field and declined it (the old career was worth more).
    pub declined: bool,
    /// The role landed, if placed.
    pub role: Option<usize>,
    /// Promoted in the new field within the horizon.
    pub promoted: bool,
    /// Loan figures (nominal), zero without loans.
    pub loan: LoanFigures,
    /// The program's costs paid as they come (not borrowed), discounted (real dollars of
    /// year 0): the net return is the after-tax pay gained over staying put minus this and
    /// [`loans_pv`](Self::loans_pv), which is how the report explains where it comes from.
    pub costs_pv: f64,
    /// The loans' payments, discounted (real dollars of year 0), and the discounted value of
    /// what is still owed at the end of the horizon: what the NPV subtracts for the loans.
    pub loans_pv: f64,
}

/// What the loans of a path cost, as a loan simulator shows it (nominal dollars).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct LoanFigures {
    /// The first month's payment, every loan together.
    pub first_payment: NominalDollars,
    /// Paid in total within the horizon.
    pub total_paid: NominalDollars,
    /// Interest: paid plus still owed plus forgiven, minus the principal borrowed.
    pub interest: NominalDollars,
    /// Forgiven by RAP within the horizon.
    pub forgiven: NominalDollars,
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
    /// The value of each candidate of the sensitivity analysis in this trial, by slot of
    /// [`Candidates::sources`] (empty for an outcome made with [`TrialOutcome::bare`]).
    pub cand: Vec<f64>,
    /// Where each value of `cand` comes from.
    plan: Plan,
}

impl TrialOutcome {
    /// Buffers for a model (allocated once, reused for every trial), with the values of the
    /// sensitivity analysis's candidates.
    pub fn new(m: &Model) -> Self {
        let sources = Candidates::new(m).sources;
        TrialOutcome {
            cand: vec![0.0; sources.len()],
            plan: Plan::new(m, &sources),
            ..TrialOutcome::bare(m)
        }
    }

    /// Buffers without the candidates' values, for statistics that do not read them (a sweep
    /// point): a trial then skips the draws they cost.
    pub fn bare(m: &Model) -> Self {
        let n = m.paths.len() * m.horizon;
        TrialOutcome {
            horizon: m.horizon,
            paths: vec![PathOutcome::default(); m.paths.len()],
            cum: vec![0.0; n],
            net: vec![0.0; n],
            cand: Vec::new(),
            plan: Plan::default(),
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
    /// The trial's real discount rate.
    discount: f64,
    /// What the trial itself computes of the candidates' values (when `known.wanted`).
    known: Known,
    /// The memory of the draws' memo.
    memo: Vec<Cell<f64>>,
    /// What the memo starts each trial with ([`fixed_memo`]).
    memo_start: Vec<Cell<f64>>,
    /// The old career's salary by year (before layoffs): `S_t`.
    base_s: Vec<f64>,
    disc: Vec<f64>,
    deflate: Vec<f64>,
    base_b: Vec<f64>,
    base_net: Vec<f64>,
    gross: Vec<f64>,
    oop: Vec<f64>,
    pay_real: Vec<f64>,
    /// A career's raises by year, drawn in a row before its year loop.
    raises: Vec<f64>,
    /// The baseline's months lost to layoffs by year, drawn before its year loop.
    lost: Vec<f64>,
    /// The same in the new field, for a path's career from its job's first year.
    field_lost: Vec<f64>,
    /// The last trial's monthly deflators, and the inflation (its bits) they are for (boxed:
    /// a trial moves them out and back, 16 bytes rather than 208).
    monthly: Option<(u64, Box<Monthly>)>,
    /// Whether `pay_real` holds a financed path's payments (else it is all zeros).
    pay_dirty: bool,
    /// The input whose reads are noted, and whether the last trial read it.
    watch: Option<InputId>,
    seen: bool,
}

impl Scratch {
    /// Buffers for a model.
    pub fn new(m: &Model) -> Self {
        let h = m.horizon + 1;
        let v = || vec![0.0; h];
        Scratch {
            discount: 0.0,
            known: Known::new(m),
            memo: Vec::new(),
            memo_start: fixed_memo(m),
            base_s: v(),
            disc: v(),
            deflate: v(),
            base_b: v(),
            base_net: v(),
            gross: v(),
            oop: v(),
            pay_real: v(),
            raises: v(),
            lost: v(),
            field_lost: v(),
            monthly: None,
            pay_dirty: false,
            watch: None,
            seen: false,
        }
    }

    /// Notes from now on whether each trial reads once-per-trial input `id` (a path's, or
    /// a role's drawn on a path; see [`read`](Self::read)). A fixed value is no longer known
    /// before the trial's first read, which then takes it from the input as any read does
    /// (the same value).
    pub fn track(&mut self, id: InputId) {
        self.memo_start[id] = Cell::new(f64::NAN);
        self.watch = Some(id);
    }

    /// Whether the last trial read the input given to [`track`](Self::track): drawn on a
    /// path (a role's), or drawn once into the memo (a path's, whose value the memo holds
    /// only once read since `track`). A trial that did not read it lived exactly as it
    /// would have with any other value of it.
    pub fn read(&self) -> bool {
        self.seen
            || self
                .watch
                .is_some_and(|id| self.memo.get(id).is_some_and(|v| !v.get().is_nan()))
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
        Self::starting(p, from, |e| e.gap(rng))
    }

    /// A process over years `from..` whose first gap is `gap` (called only when `p` is
    /// strictly between 0 and 1, so that p = 0 or 1 draws nothing).
    #[inline]
    fn starting(p: f64, from: usize, gap: impl FnOnce(&Self) -> usize) -> Self {
        let mut e = Events {
            next: usize::MAX,
            ln_q: (-p).ln_1p(),
        };
        if p >= 1.0 {
            e.next = from;
        } else if p > 0.0 {
            e.next = from.saturating_add(gap(&e));
        }
        e
    }

    #[inline]
    fn gap<R: Rng>(&self, rng: &mut R) -> usize {
        self.gap_of(rng.sample(Open01))
    }

    /// The gap that uniform `u` in (0, 1] gives: `floor(ln u / ln(1 - p))`.
    #[inline]
    fn gap_of(&self, u: f64) -> usize {
        if self.ln_q == f64::NEG_INFINITY {
            return 0;
        }
        // The ratio is at least 0 (two logarithms of numbers in (0, 1]), so truncating is
        // flooring, without a call to `floor` (a function call on x86-64's baseline
        // instructions); `as` saturates: a gap beyond any horizon is as good as never.
        (u.ln() / self.ln_q) as usize
    }

    /// A process whose first event comes at the gap uniform `u` gives (the promotion, whose
    /// later events are not used).
    fn first(p: f64, from: usize, u: f64) -> Self {
        Self::starting(p, from, |e| e.gap_of(u))
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

/// A process of layoffs: the years with a spell (one stream) and the length of each spell
/// (the k-th spell is the k-th value of the months input's stream).
struct Layoffs<'a, R> {
    events: Events,
    years: R,
    months: &'a Dist,
    lengths: R,
}

impl<R: Rng> Layoffs<'_, R> {
    /// The months lost in each year of `lost` (0 in a year without a spell), drawn year
    /// after year before a career's year loop, which then calls nothing out of line (a call
    /// there would make it keep its values in memory, every year).
    fn draw_into(&mut self, lost: &mut [Months]) {
        lost.fill(0.0);
        while self.events.next < lost.len() {
            let t = self.events.next;
            lost[t] = self.spell(t);
        }
    }

    /// A spell in year `t`, an event year (out of line: most years have none).
    #[inline(never)]
    fn spell(&mut self, t: usize) -> Months {
        let hit = self.events.hit(t, &mut self.years);
        debug_assert!(hit);
        self.months.sample(&mut self.lengths).clamp(0.0, 12.0)
    }
}

/// The memo of a trial before any draw: each fixed input's value (known without a draw, and
/// read many times a trial), NaN for the others.
fn fixed_memo(m: &Model) -> Vec<Cell<f64>> {
    m.inputs
        .iter()
        .map(|i| match i.dist {
            Dist::Fixed(v) => Cell::new(v),
            _ => Cell::new(f64::NAN),
        })
        .collect()
}

/// The draws of one trial: each input and event from its own stream.
pub struct Draws<'m, R> {
    m: &'m Model,
    key: u64,
    /// The factors' values in this trial (standard normals).
    factors: [f64; MAX_FACTORS],
    /// Each once-per-trial input's value once drawn (NaN before; a fixed input's value from
    /// the start), so that the sensitivity analysis reads what the trial drew instead of
    /// drawing it again.
    memo: Vec<Cell<f64>>,
    /// The input whose reads are noted ([`Scratch::track`]), and whether this trial read it.
    watch: Option<InputId>,
    seen: Cell<bool>,
    _rng: PhantomData<fn() -> R>,
}

impl<'m, R: Rng + SeedableRng> Draws<'m, R> {
    /// The draws of the trial with `key`.
    pub fn new(m: &'m Model, key: u64) -> Self {
        Self::with_memo(m, key, Vec::new(), &fixed_memo(m), None)
    }

    /// The draws of the trial with `key`, reusing the memory of `memo` (from
    /// [`into_memo`](Self::into_memo)), which starts as `start` ([`fixed_memo`]).
    fn with_memo(
        m: &'m Model,
        key: u64,
        mut memo: Vec<Cell<f64>>,
        start: &[Cell<f64>],
        watch: Option<InputId>,
    ) -> Self {
        // (Empty for `event_draw` alone, which reads no input's value.)
        debug_assert!(start.is_empty() || start.len() == m.inputs.len());
        memo.clear();
        memo.extend_from_slice(start);
        let mut d = Draws {
            m,
            key,
            factors: [0.0; MAX_FACTORS],
            memo,
            watch,
            seen: Cell::new(false),
            _rng: PhantomData,
        };
        for (i, f) in m.factors.iter().enumerate() {
            d.factors[i] = normal_quantile(d.open01(f.stream));
        }
        d
    }

    /// The memory of the memo, for the next trial.
    fn into_memo(self) -> Vec<Cell<f64>> {
        self.memo
    }

    /// The value of factor `f` in this trial.
    pub fn factor(&self, f: usize) -> f64 {
        self.factors[f]
    }

    /// A uniform number in (0, 1), never 0 or 1, from stream `id`.
    #[inline]
    fn open01(&self, id: u64) -> f64 {
        self.stream(id).sample(Open01)
    }

    /// The normal score of a loaded input, from its stream: `sum l F + residual e`.
    fn score(&self, i: &Input, stream: u64) -> f64 {
        let e = normal_quantile(self.open01(stream));
        i.loadings
            .iter()
            .map(|&(f, l)| l * self.factors[f])
            .sum::<f64>()
            + i.residual * e
    }

    /// The value of an input from its stream: sampled, or through its normal score when it
    /// follows factors (`x = Q(Φ(z))`, which keeps its distribution).
    #[inline]
    fn value(&self, i: &Input, stream: u64) -> f64 {
        match i.dist {
            Dist::Fixed(v) => v,
            ref d if i.loadings.is_empty() || i.event => d.sample(&mut self.stream(stream)),
            // `Q(Φ(z))` of a normal or lognormal is `mean + sd z` (or its exponential) to
            // within rounding: computed directly, without the round trip.
            Dist::Normal { mean, sd, log } => {
                let x = mean + sd * self.score(i, stream);
                if log { x.exp() } else { x }
            }
            ref d => d.quantile(normal_cdf(self.score(i, stream))),
        }
    }

    /// Whether the event of input `id` (finishing, being placed) happens with probability
    /// `p`, from stream `stream`: `u > 1 - p`, or `Φ(z) > 1 - p` when the event follows
    /// factors (likelier when they are high; as likely on average). Draws nothing when p is 0
    /// or 1.
    #[inline]
    pub fn event(&self, id: InputId, p: f64, stream: u64) -> bool {
        happens(p, || self.event_draw(id, stream))
    }

    /// The number in [0, 1) that decides the event of input `id` from stream `stream`,
    /// whatever its probability: `Φ(z)` when the event follows factors, else a uniform. The
    /// event happens when it is above `1 - p` ([`happens`]).
    #[inline]
    pub fn event_draw(&self, id: InputId, stream: u64) -> f64 {
        let i = self.m.inputs.get(id);
        if i.event && !i.loadings.is_empty() {
            normal_cdf(self.score(i, stream))
        } else {
            self.uniform(stream)
        }
    }

    /// The uniform that times the promotion of input `id`'s event: `Φ(z)` when it follows
    /// factors (a high factor: promoted earlier), else a uniform of the stream.
    fn timing(&self, id: InputId, stream: u64) -> f64 {
        let i = self.m.inputs.get(id);
        if i.event && !i.loadings.is_empty() {
            normal_cdf(self.score(i, stream)).clamp(f64::MIN_POSITIVE, 1.0)
        } else {
            self.open01(stream)
        }
    }

    /// The generator of stream `id` in this trial.
    #[inline]
    pub fn stream(&self, id: u64) -> R {
        stream_rng(self.key, id)
    }

    /// The value of a once-per-trial input, from its own stream (drawn once per trial).
    #[inline]
    pub fn input(&self, id: InputId) -> f64 {
        let memo = &self.memo[id];
        let v = memo.get();
        if !v.is_nan() {
            return v;
        }
        let i = self.m.inputs.get(id);
        let v = self.value(i, i.stream);
        memo.set(v);
        v
    }

    /// Notes a read of input `id` drawn on a path if it is the one watched (a memoized
    /// input's reads show in the memo).
    #[inline]
    fn note(&self, id: InputId) {
        if self.watch == Some(id) {
            self.seen.set(true);
        }
    }

    /// The value of a role's once-per-trial input drawn on a path (its stream mixed with the
    /// path's, so that each path draws its own).
    #[inline]
    pub fn input_on(&self, id: InputId, a: &AltModel) -> f64 {
        self.note(id);
        let i = self.m.inputs.get(id);
        self.value(i, a.events.on_path(i.stream))
    }

    /// The normal score of a role's input that follows factors, drawn on path `a` (what
    /// [`input_on`](Self::input_on) turns into a value, `Q(Φ(z))`); `None` for an input that
    /// follows none or whose loadings apply to an event.
    pub(crate) fn score_on(&self, id: InputId, a: &AltModel) -> Option<f64> {
        let i = self.m.inputs.get(id);
        (!i.loadings.is_empty() && !i.event).then(|| self.score(i, a.events.on_path(i.stream)))
    }

    /// A uniform number in [0, 1) from stream `id`.
    #[inline]
    pub fn uniform(&self, id: u64) -> f64 {
        self.stream(id).random::<f64>()
    }

    /// The per-year input `id`'s stream (on path `a` for a role's).
    pub(crate) fn per_year(&self, id: InputId, a: Option<&AltModel>) -> (&'m Dist, R) {
        let i = self.m.inputs.get(id);
        let stream = a.map_or(i.stream, |a| a.events.on_path(i.stream));
        (&i.dist, self.stream(stream))
    }
}

/// The draw that decides input `id`'s event from stream `stream` in the trial with `key`
/// ([`Draws::event_draw`]), without setting up the memory of a whole trial's draws: for a
/// question that needs that draw alone, trial after trial.
pub fn event_draw<R: Rng + SeedableRng>(m: &Model, key: u64, id: InputId, stream: u64) -> f64 {
    Draws::<R>::with_memo(m, key, Vec::new(), &[], None).event_draw(id, stream)
}

/// Whether an event of probability `p` happens, `u` being its draw
/// ([`Draws::event_draw`]): always when `p` is 1 or more and never when 0 or less (without
/// drawing), else when `u > 1 - p`.
#[inline]
pub fn happens(p: f64, u: impl FnOnce() -> f64) -> bool {
    if p >= 1.0 {
        true
    } else if p <= 0.0 {
        false
    } else {
        u() > 1.0 - p
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
    let memo = std::mem::take(&mut s.memo);
    let draws = Draws::<R>::with_memo(m, key, memo, &s.memo_start, s.watch);
    s.known.wanted = !out.plan.is_empty();
    let npv_base = baseline(m, &draws, s);
    let (infl_bits, monthly) = s
        .monthly
        .take()
        .expect("baseline sets the monthly deflators");
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
                completed: true,
                ..PathOutcome::default()
            };
            continue;
        };
        out.paths[pi] = alternative(m, alt, &draws, s, &monthly, net, cum);
        s.known.landed_raise[pi] = s.known.field_raise.take();
    }
    if s.known.wanted {
        out.plan.fill(m, &draws, &s.known, &mut out.cand);
    }
    s.monthly = Some((infl_bits, monthly));
    s.seen = draws.seen.get();
    s.memo = draws.into_memo();
}

/// Monthly deflation helpers of a trial.
#[derive(Debug, Clone, Copy)]
struct Monthly {
    /// `(1 + inflation)^(-j/12)` for months j of a year.
    vm: [f64; 12],
    /// Prefix sums of `vm`.
    pre: [f64; 13],
    /// `(1 + inflation)^(1/12)`: a nominal amount's growth in a month.
    growth: f64,
}

/// The economy and the baseline career, shared by every path: fills the scratch's discount
/// and deflation factors and the baseline's earnings and net cash flow by year; returns the
/// baseline's NPV.
fn baseline<R: Rng + SeedableRng>(m: &Model, draws: &Draws<'_, R>, s: &mut Scratch) -> RealDollars {
    let h = m.horizon;
    let d = draws.input(m.economy_input(EconomyInput::DiscountRate));
    let infl = draws.input(m.economy_input(EconomyInput::Inflation));
    let p = &m.person;
    let mut salary = draws.input(p.input(PersonInput::Salary)).max(0.0);
    let urate = draws.input(p.input(PersonInput::UnemploymentRate));
    let (raise, mut raises) = draws.per_year(p.input(PersonInput::AnnualRaise), None);
    let (months, lengths) = draws.per_year(p.input(PersonInput::UnemploymentMonths), None);
    let mut years: R = draws.stream(p.spells_stream);
    let mut layoffs = Layoffs {
        events: Events::new(urate, 0, &mut years),
        years,
        months,
        lengths,
    };
    let (dr, ir) = (1.0 / (1.0 + d), 1.0 / (1.0 + infl));
    let (mut df, mut vf) = (1.0, 1.0);
    let mut npv_base = 0.0;
    s.discount = d;
    let mut raise_sum = 0.0;
    let mut months_lost = 0.0;
    let mut bracket = 0;
    // The raises of years 1 to H - 1, in order from their stream; and when the sensitivity
    // analysis wants the mean of the first H, one more.
    let drawn = &mut s.raises[..h - 1 + usize::from(s.known.wanted)];
    raise.sample_into(&mut raises, drawn);
    let drawn = &s.raises[..];
    // The months lost in each year, from the layoffs' own streams.
    layoffs.draw_into(&mut s.lost[..h]);
    let lost_by_year = &s.lost[..h];
    let (base_s, base_b, base_net) = (&mut s.base_s[..h], &mut s.base_b[..h], &mut s.base_net[..h]);
    let (disc, deflate) = (&mut s.disc[..h], &mut s.deflate[..h]);
    for t in 0..h {
        if t > 0 {
            let g = drawn[t - 1];
            raise_sum += g;
            salary = (salary * (1.0 + g)).max(0.0);
        }
        let lost = lost_by_year[t];
        months_lost += lost;
        let b = (12.0 - lost) * TWELFTH * salary;
        let net = b - m.tax.tax_near(b, &mut bracket);
        base_s[t] = salary;
        base_b[t] = b;
        base_net[t] = net;
        disc[t] = df;
        deflate[t] = vf;
        npv_base += df * net;
        df *= dr;
        vf *= ir;
    }
    s.known.months_lost = months_lost;
    if s.known.wanted {
        // The first H raises of the stream: the H - 1 the career used, and one more.
        raise_sum += s.raises[h - 1];
        s.known.person_raise_mean = raise_sum / h as f64;
    }
    // Index h holds the end of the horizon, for terminal debt.
    s.disc[h] = df;
    s.deflate[h] = vf;
    // Monthly deflators within a year: vm[j] = (1+infl)^(-j/12), and prefix sums; the same
    // as the last trial's when inflation is (a fixed inflation: every trial).
    match &s.monthly {
        Some((bits, _)) if *bits == infl.to_bits() => {}
        _ => {
            let v = ir.powf(1.0 / 12.0);
            let mut vm = [1.0f64; 12];
            let mut pre = [0.0f64; 13];
            for j in 1..12 {
                vm[j] = vm[j - 1] * v;
            }
            for j in 0..12 {
                pre[j + 1] = pre[j] + vm[j];
            }
            let mo = Monthly {
                vm,
                pre,
                growth: (1.0 + infl).powf(1.0 / 12.0),
            };
            // The box of the last trial's, reused (an uncertain inflation: every trial).
            match &mut s.monthly {
                Some((bits, b)) => {
                    *bits = infl.to_bits();
                    **b = mo;
                }
                None => s.monthly = Some((infl.to_bits(), Box::new(mo))),
            }
        }
    }
    npv_base
}

/// A twelfth: a month's share of a year. `12.0 * TWELFTH` is exactly 1.
const TWELFTH: f64 = 1.0 / 12.0;

/// Study: how long, whether finished, what a month costs.
struct Study {
    /// Months of the program.
    duration: Month,
    /// Months actually studied (fewer for a dropout).
    studied: Month,
    completed: bool,
    /// Share of the baseline kept while studying.
    work_fraction: f64,
    /// Stipend per year of study.
    stipend: RealDollars,
    /// Net cost of a month of study.
    cost_month: RealDollars,
    /// Added to month 0.
    one_time: RealDollars,
}

fn study<R: Rng + SeedableRng>(a: &AltModel, draws: &Draws<'_, R>) -> Study {
    let x = |k: PathInput| draws.input(a.input(k));
    let duration = x(PathInput::DurationMonths).round().clamp(1.0, 100_000.0) as Month;
    let completed = draws.event(
        a.input(PathInput::Completion),
        x(PathInput::Completion),
        a.events.completion,
    );
    let studied = if completed {
        duration
    } else {
        ((draws.uniform(a.events.dropout) * duration as f64).ceil() as Month).max(1)
    };
    let cost_month = ((x(PathInput::TuitionPerYear) + x(PathInput::FeesPerYear)
        - x(PathInput::ScholarshipPerYear)
        - x(PathInput::EmployerAssistancePerYear))
        / 12.0
        + x(PathInput::LivingExtraPerMonth)
        + x(PathInput::CaregiverPerMonth))
    .max(0.0);
    Study {
        duration,
        studied,
        completed,
        work_fraction: x(PathInput::WorkFraction),
        stipend: x(PathInput::StudyIncomePerYear),
        cost_month,
        one_time: x(PathInput::OneTime),
    }
}

/// The career after study: placed in a role, or back to the old career.
struct Career {
    placed: bool,
    declined: bool,
    role: Option<usize>,
    promoted: bool,
}

/// Gross income by year into `s.gross`: study-time earnings, then the new role or the fall
/// back to the baseline.
fn career<R: Rng + SeedableRng>(
    m: &Model,
    a: &AltModel,
    draws: &Draws<'_, R>,
    st: &Study,
    s: &mut Scratch,
) -> Career {
    let h = m.horizon;
    let x = |k: PathInput| draws.input(a.input(k));
    // Placement, search, fall back (month offsets are real numbers, not rounded).
    let mut placed = false;
    let mut declined = false;
    let mut t_job = f64::INFINITY;
    let mut t_fb = f64::INFINITY;
    // When study ends (finished or dropped out): from then until the job or the fall back,
    // the person earns `work_fraction` of the baseline.
    let study_end = st.studied as f64;
    let mut role = None;
    let mut w = 0.0;
    if st.completed {
        let offered = draws.event(
            a.input(PathInput::Placement),
            x(PathInput::Placement),
            a.events.placement,
        );
        let search = x(PathInput::SearchMonths);
        let start = st.duration as f64 + search;
        // A job that would start at or after retirement is no job: the life counts as
        // finished and not placed (whose months until the horizon are the same).
        if offered && start < (12 * h) as f64 {
            let r = if a.roles.len() == 1 {
                a.roles[0].0
            } else {
                let u = draws.uniform(a.events.role);
                a.roles
                    .iter()
                    .find(|(_, c)| u < *c)
                    .unwrap_or(&a.roles[a.roles.len() - 1])
                    .0
            };
            let rm = &m.roles[r];
            w = (draws.input_on(rm.input(RoleInput::Salary), a)
                * (1.0 + x(PathInput::SalaryPremium)))
            .max(0.0);
            if accepts(m, rm, s, w, (start / 12.0) as usize) {
                placed = true;
                role = Some(r);
                t_job = start;
            } else {
                declined = true;
            }
        }
        if !placed {
            t_fb = st.duration as f64 + search + x(PathInput::FallbackMonths);
        }
    } else {
        t_fb = study_end + x(PathInput::FallbackMonths);
    }
    // The path's career effects in the field.
    let mut promo_raise = 0.0;
    let mut in_field = false;
    let mut promotion = Events {
        next: usize::MAX,
        ln_q: 0.0,
    };
    if let Some(r) = role {
        let rm = &m.roles[r];
        // Events in the field start in the year the job starts (promotions the year after).
        let job_year = (t_job / 12.0) as usize;
        let promo_rate = x(PathInput::PromotionRate);
        promo_raise = x(PathInput::PromotionRaise);
        let role_urate = draws.input_on(rm.input(RoleInput::UnemploymentRate), a);
        promotion = Events::first(
            promo_rate,
            job_year.saturating_add(1),
            draws.timing(a.input(PathInput::PromotionRate), a.events.promotion),
        );
        // A raise in each year after the job's first, drawn in a row from the role's stream
        // on this path; all H of them when the sensitivity analysis wants their mean.
        let (raise, mut raises) = draws.per_year(rm.input(RoleInput::AnnualRaise), Some(a));
        let n = if s.known.wanted {
            h
        } else {
            (h - 1).saturating_sub(job_year)
        };
        raise.sample_into(&mut raises, &mut s.raises[..n]);
        let (months, lengths) = draws.per_year(rm.input(RoleInput::UnemploymentMonths), Some(a));
        let mut years: R = draws.stream(a.events.on_path(rm.spells_stream));
        let mut layoffs = Layoffs {
            events: Events::new(role_urate, job_year, &mut years),
            years,
            months,
            lengths,
        };
        // The months lost in each year in the field: every year from the job's first is
        // one of the job's.
        layoffs.draw_into(&mut s.field_lost[..h]);
        in_field = true;
    }
    let field_lost = &s.field_lost[..h];
    let gap_end = t_job.min(t_fb);
    // Gross income by year: the months at the old job's pay (the share kept while studying
    // or searching, all of it once back), times a twelfth of that pay; the stipend's months
    // likewise; then the new job's. `12.0 * TWELFTH` is exactly 1, so a year whose months
    // add up to a whole year of the old job earns exactly the baseline's gross.
    let mut pay = FieldPay {
        w,
        started: false,
        promoted: false,
        raise_sum: 0.0,
        raise_n: 0,
        drawn: &s.raises[..],
        promotion,
        promo_raise,
        t_job,
    };
    // The year's first and last month as reals, kept by adding 12 (exact: whole numbers far
    // below 2^53), rather than converting the year's index every year.
    let mut m1 = 0.0;
    let (gross, base_b) = (&mut s.gross[..h], &s.base_b[..h]);
    for t in 0..h {
        let b = base_b[t];
        let m0 = m1;
        m1 = m0 + 12.0;
        if t_fb <= m0 && t_job == f64::INFINITY {
            // Back at the old job the whole year, and so every year after (never in the
            // new job): the baseline's gross, as the loop would give it year by year.
            gross[t..].copy_from_slice(&base_b[t..]);
            break;
        }
        if t_job <= m0 && t_fb == f64::INFINITY && in_field {
            // In the new job the whole year, and so every year after: its pay alone, in a
            // loop of its own (the same operations as the general year's below).
            let (mut m0, mut m1) = (m0, m1);
            for (t, gross) in gross.iter_mut().enumerate().skip(t) {
                // Added to 0 as the general year adds it (a -0 pay comes out +0 there).
                *gross = 0.0 + pay.year(t, m0, m1, field_lost[t]);
                m0 = m1;
                m1 = m0 + 12.0;
            }
            break;
        }
        let mut g = if t_fb <= m0 {
            // Back at the old job the whole year (study and search ended before it).
            b
        } else if t_job <= m0 {
            // In the new job the whole year: it adds the year's pay below.
            0.0
        } else {
            let mut old_months = 0.0;
            let mut stipend = 0.0;
            let studied = st.studied.saturating_sub(12 * t as u32).min(12);
            if studied > 0 {
                old_months = f64::from(studied) * st.work_fraction;
                stipend = f64::from(studied) * TWELFTH * st.stipend;
            }
            // Searching, or waiting to fall back: the share of the old job kept.
            if gap_end > m0 && study_end < m1 {
                let gap = (gap_end.min(m1) - study_end.max(m0)).max(0.0);
                old_months += gap * st.work_fraction;
            }
            if t_fb < m1 {
                old_months += m1 - t_fb.max(m0);
            }
            old_months * TWELFTH * b + stipend
        };
        if t_job < m1 && in_field {
            g += pay.year(t, m0, m1, field_lost[t]);
        }
        gross[t] = g;
    }
    let FieldPay {
        promoted,
        mut raise_sum,
        raise_n,
        ..
    } = pay;
    s.oop[..h].fill(0.0);
    // Only a financed path writes payments: zeros stay zeros from one path to the next.
    if s.pay_dirty {
        s.pay_real[..h].fill(0.0);
        s.pay_dirty = false;
    }
    s.known.field_raise = None;
    if s.known.wanted
        && let Some(r) = role
    {
        // The first H raises of the role's stream: those the career used, and the rest.
        for &g in &s.raises[raise_n..h] {
            raise_sum += g;
        }
        s.known.field_raise = Some((r, raise_sum / h.max(1) as f64));
    }
    Career {
        placed,
        declined,
        role,
        promoted,
    }
}

/// The new job's pay as a career goes on, year by year: the salary, the raises it has taken
/// and the promotion (one step of the career's general year loop, and of its loop for the
/// years settled in the new job, so that both do the same operations).
struct FieldPay<'a> {
    /// The salary, a year.
    w: RealDollars,
    /// Whether the job's first year has passed (raises come from its second).
    started: bool,
    promoted: bool,
    /// The raises taken, and how many.
    raise_sum: f64,
    raise_n: usize,
    /// The role's raises, drawn in a row.
    drawn: &'a [f64],
    promotion: Events,
    promo_raise: f64,
    /// The month the job starts.
    t_job: f64,
}

impl FieldPay<'_> {
    /// The new job's pay in year `t` (months `m0..m1`), `lost` of its months lost to a
    /// layoff: from the job's second year, the year's raise first, and the promotion in its
    /// year.
    #[inline(always)]
    fn year(&mut self, t: usize, m0: f64, m1: f64, lost: Months) -> RealDollars {
        if self.started {
            let g = self.drawn[self.raise_n];
            self.raise_sum += g;
            self.raise_n += 1;
            self.w = (self.w * (1.0 + g)).max(0.0);
            // At most one promotion: the process is not consulted again after its first hit
            // (its gap needs no further draw).
            if t == self.promotion.next {
                self.promotion.next = usize::MAX;
                self.promoted = true;
                self.w = (self.w * (1.0 + self.promo_raise)).max(0.0);
            }
        }
        self.started = true;
        let k = m1 - self.t_job.max(m0);
        (k - lost).max(0.0) * TWELFTH * self.w
    }
}

/// Whether a person offered `w` a year in role `rm`, starting in year `j`, takes it: the new
/// career's expected value (its salary growing at the role's mean raise over the years left,
/// discounted) against the old career's from that year (docs/model.md, "Accepting the
/// offer"). A lower first salary in a faster-growing field can be worth taking; a pay cut in
/// a field that grows no faster is not.
fn accepts(m: &Model, rm: &super::RoleModel, s: &Scratch, w: RealDollars, j: usize) -> bool {
    debug_assert!(j < m.horizon, "an offer after the horizon is no offer");
    let n = (m.horizon - j) as i32;
    let d = s.discount;
    let annuity = |g: f64| {
        let r = (1.0 + g) / (1.0 + d);
        if (r - 1.0).abs() < 1e-12 {
            n as f64
        } else {
            (r.powi(n) - 1.0) / (r - 1.0)
        }
    };
    w * annuity(rm.mean_raise) >= s.base_s[j] * annuity(m.person.mean_raise)
}

fn alternative<R: Rng + SeedableRng>(
    m: &Model,
    a: &AltModel,
    draws: &Draws<'_, R>,
    s: &mut Scratch,
    mo: &Monthly,
    net: &mut [f64],
    cum: &mut [f64],
) -> PathOutcome {
    let h = m.horizon;
    let end = 12 * h as u32;
    let st = study(a, draws);
    let c = career(m, a, draws, &st, s);
    // Costs and their financing, over the study months inside the horizon.
    let paid_months = st.studied.min(end);
    let mut repaid = Repaid::default();
    let mut loan = LoanFigures::default();
    match &a.financing {
        None => {
            for t in 0..h {
                let months = paid_months.saturating_sub(12 * t as u32).min(12);
                if months == 0 {
                    break;
                }
                s.oop[t] = months as f64 * st.cost_month;
            }
            s.oop[0] += st.one_time;
        }
        Some(f) => {
            let loans = finance(f, a, draws, s, mo, st.cost_month, st.one_time, paid_months);
            let plan = f
                .federal
                .as_ref()
                .map_or(Repayment::Standard, |x| x.repayment);
            let values = YearValues {
                deflate: &s.deflate,
                month_deflate: &mo.vm,
                month_prefix: &mo.pre,
            };
            s.pay_dirty = true;
            repaid = repay(
                &loans,
                plan,
                f.private_term_months,
                m.person.dependents,
                st.studied + f.grace_months,
                h,
                &s.gross,
                &values,
                &mut s.pay_real,
            );
            if repaid.debt > 0.0 {
                let principal = loans.fed.principal + loans.private.principal;
                loan = LoanFigures {
                    first_payment: repaid.first_payment,
                    total_paid: repaid.total_paid,
                    interest: repaid.total_paid + repaid.owed_at_end + repaid.forgiven - principal,
                    forgiven: repaid.forgiven,
                };
            }
        }
    }
    let terminal = repaid.owed_at_end * s.deflate[h] * s.disc[h];
    // Where the net return goes, apart from pay: the costs of the study years (the only
    // years with any), and the loans' payments of every year.
    let study_years = (paid_months.div_ceil(12) as usize).clamp(1, h);
    let costs_pv: f64 = (0..study_years).map(|t| s.disc[t] * s.oop[t]).sum();
    let loans_pv = if repaid.debt > 0.0 {
        (0..h).map(|t| s.disc[t] * s.pay_real[t]).sum::<f64>() + terminal
    } else {
        0.0
    };
    // Net cash flows, NPV, cumulative net return.
    let mut npv = 0.0;
    let mut acc = 0.0;
    let (gross, oop, pay) = (&s.gross[..h], &s.oop[..h], &s.pay_real[..h]);
    let (base_b, base_net, disc) = (&s.base_b[..h], &s.base_net[..h], &s.disc[..h]);
    let (net, cum) = (&mut net[..h], &mut cum[..h]);
    let mut bracket = 0;
    for t in 0..h {
        let g = gross[t];
        // A year earning exactly the baseline's gross owes the baseline's tax.
        let tax = if g == base_b[t] {
            base_b[t] - base_net[t]
        } else {
            m.tax.tax_near(g, &mut bracket)
        };
        let n = g - tax - oop[t] - pay[t];
        net[t] = n;
        npv += disc[t] * n;
        acc += disc[t] * (n - base_net[t]);
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
        debt: repaid.debt,
        repaid_months: repaid.months,
        over_10pct: repaid.over_10pct,
        completed: st.completed,
        placed: c.placed,
        declined: c.declined,
        role: c.role,
        promoted: c.promoted,
        loan,
        costs_pv,
        loans_pv,
    }
}

/// Pay each study month's cost from savings, then federal loans (within the annual and
/// aggregate limits, grossed up for the origination fee), then private loans. Out-of-pocket
/// payments go to `s.oop` by year.
#[allow(clippy::too_many_arguments)]
fn finance<R: Rng + SeedableRng>(
    f: &FinancingModel,
    a: &AltModel,
    draws: &Draws<'_, R>,
    s: &mut Scratch,
    mo: &Monthly,
    cost_month: RealDollars,
    one_time: RealDollars,
    months: Month,
) -> Loans {
    let mut savings = draws.input(a.input(PathInput::Savings)).max(0.0);
    let fed_rate = if f.federal.is_some() {
        draws.input(a.input(PathInput::FederalRate))
    } else {
        0.0
    };
    let private_rate = draws.input(a.input(PathInput::PrivateRate));
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
            let mut rest: NominalDollars = (cost - own) * nominal_factor;
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
