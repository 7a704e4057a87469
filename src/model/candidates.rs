//! The uncertainties that may decide a path's net return: the candidates of the sensitivity
//! analysis (docs/sensitivity.md), what each is called, where its value comes from in a
//! trial, and the bins its values fall into.
//!
//! A candidate has a value in every trial, used or not: an input a trial does not need (a
//! role's salary when another role was landed) still has the value its own stream gives. A
//! per-year raise is represented by the mean of the first `H` values of its stream (the raises
//! a life in that career would get), and the old career's unemployment by the months it lost
//! over the horizon. Life events (finishing, being placed, the role landed, a promotion) are
//! read from the trial's outcome and need no value here.
//!
//! Cost. A trial already computes most of these values; what it computes is kept
//! ([`Known`]), the rest is drawn from each input's own stream. The one costly case is the
//! raises of the roles a life did not land, `H` draws each for every role of every path; when
//! a role's raise is normal (its truncation, if any, negligible), their mean is itself normal
//! with the standard deviation divided by `sqrt(H)`, and is drawn in one step from the same
//! stream. That value differs from the mean of the stream's first `H` values, but it has the
//! same distribution and, in a trial that does not use the role, is as independent of the net
//! return: every statistic of the analysis has the same distribution, for a thirtieth of the
//! cost.

use rand::{Rng, RngExt, SeedableRng};
use rand_distr::{Distribution, StandardNormal};

use super::inputs::{EconomyInput, InputId, PathInput, PersonInput, RoleInput, stream_id};
use super::rng::Stream;
use super::trial::Draws;
use super::{AltModel, Model};
use crate::dist::Dist;
use crate::dist::special::normal_quantile;

/// Where a candidate's value comes from in a trial.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A once-per-trial input on its own stream (the economy's, the person's, a path's own).
    Input(InputId),
    /// A role's once-per-trial input drawn on the path with this index.
    OnPath(InputId, usize),
    /// The mean of the first `H` values of a per-year input's stream: the person's (`None`)
    /// or a role's drawn on the path with this index.
    RaiseMean(InputId, Option<usize>),
    /// Months the old career lost to unemployment over the horizon.
    MonthsLost,
    /// A factor's value (a standard normal).
    Factor(usize),
}

/// What kind of uncertainty a candidate is (the `kind` column of `sensitivity.csv`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// An input of the scenario (or the per-year input it stands for).
    Input,
    /// A factor.
    Factor,
    /// A life event of the path.
    Event,
}

impl Kind {
    /// The word in `sensitivity.csv`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Input => "input",
            Kind::Factor => "factor",
            Kind::Event => "event",
        }
    }
}

/// A life event of a path, read from its outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// Finished the program.
    Completed,
    /// Placed in the new field and took the job.
    Placed,
    /// The role landed: one category per role of the model, and one for none.
    Role,
    /// Promoted within the horizon.
    Promoted,
}

/// What a candidate's groups are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum What {
    /// A value, in the slot of [`Candidates::sources`]; grouped by equal-probability bins.
    Value(usize),
    /// A life event; grouped by its value.
    Event(Event),
}

/// One candidate of one path.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Key (`paths.bootcamp.costs.one_time`, `roles.ml_engineer.salary`, `factors.ability`,
    /// or for an event `completed`, `placed`, `role`, `promoted`).
    pub key: String,
    /// For people ("Tuition per year", "Starting salary as ML engineer").
    pub label: String,
    /// Input, factor or event.
    pub kind: Kind,
    /// How its trials are grouped.
    pub what: What,
}

/// Every candidate of every path of a model, and the values a trial must compute for them.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidates {
    /// What each slot of a trial's candidate values holds; a value shared by several paths
    /// (the economy's, the person's, a factor) has one slot.
    pub sources: Vec<Source>,
    /// The candidates of each path, in model order (none for the baseline).
    pub paths: Vec<Vec<Candidate>>,
}

impl Candidates {
    /// The candidates of a model as it is now (an input fixed by an override is none).
    pub fn new(m: &Model) -> Self {
        let mut c = Candidates {
            sources: Vec::new(),
            paths: Vec::with_capacity(m.paths.len()),
        };
        for (pi, path) in m.paths.iter().enumerate() {
            let list = match &path.alt {
                Some(a) => c.of_path(m, pi, a),
                None => Vec::new(),
            };
            c.paths.push(list);
        }
        c
    }

    /// The slot of `s`, added if new.
    fn slot(&mut self, s: Source) -> usize {
        if let Some(i) = self.sources.iter().position(|x| *x == s) {
            return i;
        }
        self.sources.push(s);
        self.sources.len() - 1
    }

    fn of_path(&mut self, m: &Model, pi: usize, a: &AltModel) -> Vec<Candidate> {
        let mut out = Vec::new();
        let varies = |id: InputId| !m.inputs.get(id).dist.is_fixed();
        let mut value = |c: &mut Self, s: Source, key: String, label: String, kind: Kind| {
            let slot = c.slot(s);
            out.push(Candidate {
                key,
                label,
                kind,
                what: What::Value(slot),
            });
        };
        // The economy's (inflation too, on a path that does not borrow: it matters only to
        // loans, which are nominal, so it explains nothing there, and says so), then the
        // person's.
        let p = &m.person;
        let economy = EconomyInput::ALL.into_iter().map(|k| m.economy_input(k));
        let person = [PersonInput::Salary, PersonInput::UnemploymentRate].map(|k| p.input(k));
        for id in economy.chain(person).filter(|&id| varies(id)) {
            let i = m.inputs.get(id);
            value(
                self,
                Source::Input(id),
                i.key.clone(),
                i.label.clone(),
                Kind::Input,
            );
        }
        let raise = p.input(PersonInput::AnnualRaise);
        if varies(raise) {
            value(
                self,
                Source::RaiseMean(raise, None),
                m.inputs.get(raise).key.clone(),
                "Raises in the current job".to_string(),
                Kind::Input,
            );
        }
        if layoffs_vary(m) {
            value(
                self,
                Source::MonthsLost,
                m.inputs
                    .get(p.input(PersonInput::UnemploymentMonths))
                    .key
                    .clone(),
                "Months out of work in the current job".to_string(),
                Kind::Input,
            );
        }
        // The path's own, its costs' and its financing's.
        for k in PathInput::ALL {
            let id = a.input(k);
            let used = match k {
                PathInput::FederalRate => a.financing.as_ref().is_some_and(|f| f.federal.is_some()),
                PathInput::PrivateRate | PathInput::Savings => a.financing.is_some(),
                _ => true,
            };
            if used && varies(id) {
                let i = m.inputs.get(id);
                let label = match k {
                    PathInput::Completion => "Chance of finishing".to_string(),
                    PathInput::Placement => "Chance of being placed".to_string(),
                    PathInput::PromotionRate => "Yearly chance of promotion".to_string(),
                    _ => i.label.clone(),
                };
                value(self, Source::Input(id), i.key.clone(), label, Kind::Input);
            }
        }
        // The roles it can lead to: starting salary and raises.
        let mut roles: Vec<usize> = a.roles.iter().map(|(r, _)| *r).collect();
        roles.sort_unstable();
        roles.dedup();
        for r in roles {
            let rm = &m.roles[r];
            let name = crate::text::role_name(&rm.key, &rm.label);
            let salary = rm.input(RoleInput::Salary);
            if varies(salary) {
                value(
                    self,
                    Source::OnPath(salary, pi),
                    m.inputs.get(salary).key.clone(),
                    format!("Starting salary as {name}"),
                    Kind::Input,
                );
            }
            let raise = rm.input(RoleInput::AnnualRaise);
            if varies(raise) {
                value(
                    self,
                    Source::RaiseMean(raise, Some(pi)),
                    m.inputs.get(raise).key.clone(),
                    format!("Raises as {name}"),
                    Kind::Input,
                );
            }
        }
        for (f, factor) in m.factors.iter().enumerate() {
            let label = if factor.description.is_empty() {
                format!("Factor \"{}\"", factor.key)
            } else {
                factor.description.clone()
            };
            value(
                self,
                Source::Factor(f),
                format!("factors.{}", factor.key),
                label,
                Kind::Factor,
            );
        }
        for (key, label, e) in [
            ("completed", "Finished the program", Event::Completed),
            ("placed", "Placed in the new field", Event::Placed),
            ("role", "The role landed (or none)", Event::Role),
            ("promoted", "Promoted before retiring", Event::Promoted),
        ] {
            out.push(Candidate {
                key: key.to_string(),
                label: label.to_string(),
                kind: Kind::Event,
                what: What::Event(e),
            });
        }
        out
    }

    /// For each slot, the `bins - 1` inner edges of `bins` equal-probability bins: a value
    /// `x` falls in bin `#{edges <= x}`.
    ///
    /// An input's edges are its quantiles `Q(k / bins)`, so its bin is `floor(F(x) bins)`,
    /// `F` its CDF (a value of positive probability keeps its trials in one bin). A factor's
    /// are the standard normal's. A mean of raises whose input is a plain normal is itself
    /// normal (sd divided by the square root of `H`); other means of raises and the months
    /// lost have no closed form and take the quantiles of a fixed sample of 4,096 draws of
    /// the same process (its own seed: the edges depend on the model alone, so every batch,
    /// thread and shard bins alike).
    pub fn edges(&self, m: &Model, bins: usize) -> Vec<Box<[f64]>> {
        let levels = |f: &dyn Fn(f64) -> f64| -> Box<[f64]> {
            (1..bins).map(|k| f(k as f64 / bins as f64)).collect()
        };
        let h = m.horizon.max(1);
        self.sources
            .iter()
            .map(|s| match *s {
                Source::Input(id) | Source::OnPath(id, _) => {
                    let d = &m.inputs.get(id).dist;
                    levels(&|u| d.quantile(u))
                }
                Source::Factor(_) => levels(&normal_quantile),
                Source::RaiseMean(id, _) => {
                    let d = &m.inputs.get(id).dist;
                    match plain_normal(d) {
                        Some((mean, sd)) => {
                            levels(&|u| mean + sd / (h as f64).sqrt() * normal_quantile(u))
                        }
                        None => pilot(bins, &format!("mean#{}", m.inputs.get(id).key), |r| {
                            (0..h).map(|_| d.sample(r)).sum::<f64>() / h as f64
                        }),
                    }
                }
                Source::MonthsLost => {
                    let p = &m.person;
                    let rate = &m.inputs.get(p.input(PersonInput::UnemploymentRate)).dist;
                    let months = &m.inputs.get(p.input(PersonInput::UnemploymentMonths)).dist;
                    pilot(bins, "months_lost", |r| {
                        let q = rate.sample(r);
                        let mut lost = 0.0;
                        for _ in 0..m.horizon {
                            if r.random::<f64>() < q {
                                lost += months.sample(r).clamp(0.0, 12.0);
                            }
                        }
                        lost
                    })
                }
            })
            .collect()
    }
}

/// Whether the months the old career loses to unemployment vary from life to life.
fn layoffs_vary(m: &Model) -> bool {
    let p = &m.person;
    let rate = &m.inputs.get(p.input(PersonInput::UnemploymentRate)).dist;
    let months = &m.inputs.get(p.input(PersonInput::UnemploymentMonths)).dist;
    let never = matches!(rate, Dist::Fixed(r) if *r <= 0.0)
        || matches!(months, Dist::Fixed(v) if *v <= 0.0);
    let always = matches!(rate, Dist::Fixed(r) if *r >= 1.0) && months.is_fixed();
    !never && !always
}

/// Number of draws of a pilot sample.
const PILOT: usize = 4096;

/// Inner edges of `bins` equal-count bins of a fixed sample of `draw`, seeded by `name`.
fn pilot(bins: usize, name: &str, mut draw: impl FnMut(&mut Stream) -> f64) -> Box<[f64]> {
    let mut r = Stream::seed_from_u64(stream_id(&format!("sensitivity#{name}")));
    let mut v: Vec<f64> = (0..PILOT).map(|_| draw(&mut r)).collect();
    v.sort_by(f64::total_cmp);
    (1..bins).map(|k| v[k * PILOT / bins]).collect()
}

/// The mean and standard deviation of a normal input whose truncation, if any, leaves out
/// less than 1e-12 of its probability: the mean of `H` draws of it is normal.
fn plain_normal(d: &Dist) -> Option<(f64, f64)> {
    match *d {
        Dist::Normal {
            mean,
            sd,
            log: false,
        } => Some((mean, sd)),
        Dist::TruncNormal {
            mean,
            sd,
            log: false,
            p_width,
            ..
        } if p_width >= 1.0 - 1e-12 => Some((mean, sd)),
        _ => None,
    }
}

/// A role's input drawn on a path. Most lives do not land the role, and a normal or lognormal
/// salary that follows factors is then worth computing directly as `mean + sd z` (or its
/// exponential) from its normal score `z`, which is what `Q(Φ(z))` is: the same value to
/// within rounding, without the round trip through `Φ` and its inverse.
fn on_path<R: Rng + SeedableRng>(
    m: &Model,
    draws: &Draws<'_, R>,
    id: InputId,
    a: &AltModel,
) -> f64 {
    if let Dist::Normal { mean, sd, log } = m.inputs.get(id).dist
        && let Some(z) = draws.score_on(id, a)
    {
        let x = mean + sd * z;
        return if log { x.exp() } else { x };
    }
    draws.input_on(id, a)
}

/// What a trial computes itself of the candidates' values.
#[derive(Debug, Clone)]
pub(crate) struct Known {
    /// Whether the trial computes candidates' values at all.
    pub wanted: bool,
    /// Months the old career lost to unemployment over the horizon.
    pub months_lost: f64,
    /// Mean of the first `H` values of the person's raise stream.
    pub person_raise_mean: f64,
    /// The role landed on the path being simulated, and the mean of the first `H` values of
    /// its raise stream on that path.
    pub field_raise: Option<(usize, f64)>,
    /// The same for every path of the trial, by path index.
    pub landed_raise: Vec<Option<(usize, f64)>>,
}

impl Known {
    /// Empty, for a model.
    pub fn new(m: &Model) -> Self {
        Known {
            wanted: false,
            months_lost: 0.0,
            person_raise_mean: 0.0,
            field_raise: None,
            landed_raise: vec![None; m.paths.len()],
        }
    }
}

/// The slots of a model's candidates sorted by where their values come from, with what does
/// not change from trial to trial worked out once: a trial fills each kind of slot in its own
/// loop instead of matching every slot's [`Source`] (the values are those of [`Source`]'s
/// reading; the order in which slots are filled draws nothing differently, each input's
/// stream being its own).
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    /// Number of slots.
    slots: usize,
    /// [`Source::Input`]: slot and input.
    inputs: Box<[(usize, InputId)]>,
    /// [`Source::OnPath`]: slot, input and path.
    on_path: Box<[(usize, InputId, usize)]>,
    /// [`Source::RaiseMean`] of the person: slots.
    person_raise: Box<[usize]>,
    /// [`Source::RaiseMean`] of a role.
    role_raise: Box<[RoleRaise]>,
    /// [`Source::MonthsLost`]: slots.
    months_lost: Box<[usize]>,
    /// [`Source::Factor`]: slot and factor.
    factors: Box<[(usize, usize)]>,
}

/// A role's mean raise drawn on a path, with its distribution's one-step form if it has one.
#[derive(Debug, Clone, Copy)]
struct RoleRaise {
    slot: usize,
    id: InputId,
    path: usize,
    /// For a plain normal raise ([`plain_normal`]), its mean and the standard deviation of
    /// the mean of `H` draws, `sd / sqrt(H)`.
    normal: Option<(f64, f64)>,
}

impl Plan {
    /// The plan of a model's `sources` ([`Candidates::sources`]).
    pub fn new(m: &Model, sources: &[Source]) -> Self {
        let h = m.horizon.max(1);
        let mut p = Plan {
            slots: sources.len(),
            ..Plan::default()
        };
        let (mut inputs, mut on_path, mut person_raise) = (Vec::new(), Vec::new(), Vec::new());
        let (mut role_raise, mut months_lost, mut factors) = (Vec::new(), Vec::new(), Vec::new());
        for (slot, s) in sources.iter().enumerate() {
            match *s {
                Source::Input(id) => inputs.push((slot, id)),
                Source::OnPath(id, path) => on_path.push((slot, id, path)),
                Source::RaiseMean(_, None) => person_raise.push(slot),
                Source::RaiseMean(id, Some(path)) => role_raise.push(RoleRaise {
                    slot,
                    id,
                    path,
                    normal: plain_normal(&m.inputs.get(id).dist)
                        .map(|(mean, sd)| (mean, sd / (h as f64).sqrt())),
                }),
                Source::MonthsLost => months_lost.push(slot),
                Source::Factor(f) => factors.push((slot, f)),
            }
        }
        p.inputs = inputs.into();
        p.on_path = on_path.into();
        p.person_raise = person_raise.into();
        p.role_raise = role_raise.into();
        p.months_lost = months_lost.into();
        p.factors = factors.into();
        p
    }

    /// Whether there are no slots to fill.
    pub fn is_empty(&self) -> bool {
        self.slots == 0
    }

    /// The value of every slot in one trial, into `out` (one per slot), with what the trial
    /// computed itself in `known`.
    pub fn fill<R: Rng + SeedableRng>(
        &self,
        m: &Model,
        draws: &Draws<'_, R>,
        known: &Known,
        out: &mut [f64],
    ) {
        let alt = |p: usize| {
            m.paths[p]
                .alt
                .as_ref()
                .expect("a candidate drawn on a path names an alternative")
        };
        let h = m.horizon.max(1);
        for &(slot, id) in &self.inputs {
            out[slot] = draws.input(id);
        }
        for &(slot, id, p) in &self.on_path {
            out[slot] = on_path(m, draws, id, alt(p));
        }
        for &slot in &self.person_raise {
            out[slot] = known.person_raise_mean;
        }
        for rr in &self.role_raise {
            out[rr.slot] = match known.landed_raise[rr.path] {
                Some((r, mean)) if m.roles[r].input(RoleInput::AnnualRaise) == rr.id => mean,
                _ => {
                    let (d, mut r) = draws.per_year(rr.id, Some(alt(rr.path)));
                    if let Some((mean, sd_of_mean)) = rr.normal {
                        let z: f64 = StandardNormal.sample(&mut r);
                        mean + sd_of_mean * z
                    } else {
                        let mut sum = 0.0;
                        for _ in 0..h {
                            sum += d.sample(&mut r);
                        }
                        sum / h as f64
                    }
                }
            };
        }
        for &slot in &self.months_lost {
            out[slot] = known.months_lost;
        }
        for &(slot, f) in &self.factors {
            out[slot] = draws.factor(f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::rng::{Gen, trial_key};
    use crate::model::{Scratch, TrialOutcome, run_trial};

    /// No tax, a fixed salary and no raise in the old job, so that its net cash flow shows
    /// the months lost; a factor, roles with raises, an input the path uses only sometimes.
    const SRC: &str = r#"
[person]
age = 40
retirement_age = 60
salary = 60_000
annual_raise = { dist = "uniform", min = 0.0, max = 0.02 }
unemployment_rate = { dist = "beta", mean = 0.1, sd = 0.03 }
unemployment_months = { dist = "uniform", min = 1, max = 6 }
[roles.ml_engineer]
salary = { dist = "lognormal", median = 110_000, p90 = 160_000 }
annual_raise = { dist = "normal", mean = 0.02, sd = 0.02, min = -0.5, max = 0.5 }
[roles.analyst]
salary = { dist = "lognormal", median = 70_000, p90 = 90_000 }
annual_raise = { dist = "triangular", min = 0.0, mode = 0.01, max = 0.03 }
[paths.stay]
baseline = true
[paths.a]
duration_months = 12
completion = { dist = "beta", mean = 0.7, sd = 0.1 }
placement = { dist = "beta", mean = 0.6, sd = 0.1 }
search_months = { dist = "uniform", min = 1, max = 9 }
roles = { ml_engineer = 0.5, analyst = 0.5 }
[paths.a.costs]
tuition_per_year = { dist = "triangular", min = 10_000, mode = 20_000, max = 50_000 }
[factors.ability]
loadings = { "paths.*.completion" = 0.6, "roles.*.salary" = 0.5 }
"#;

    fn model() -> Model {
        let s = crate::scenario::load_str(SRC, std::path::Path::new("c.toml"))
            .unwrap_or_else(|e| panic!("{e}"));
        Model::new(&s)
    }

    /// A role of weight 0 is one the path cannot lead to: no candidate of the path, and no
    /// life lands it, whatever the rounding of the weights before it.
    #[test]
    fn a_role_of_weight_zero_is_none_of_the_paths() {
        let src = SRC.replace(
            "roles = { ml_engineer = 0.5, analyst = 0.5 }",
            "roles = { analyst = 0.1, ml_engineer = 0.2, mle2 = 0.0 }",
        ) + "[roles.mle2]\nsalary = { dist = \"lognormal\", median = 90_000, p90 = 99_000 }\n";
        let s = crate::scenario::load_str(&src, std::path::Path::new("c.toml"))
            .unwrap_or_else(|e| panic!("{e}"));
        let m = Model::new(&s);
        let keys: Vec<String> = Candidates::new(&m).paths[1]
            .iter()
            .map(|c| c.key.clone())
            .collect();
        assert!(
            keys.iter().any(|k| k == "roles.ml_engineer.salary"),
            "{keys:?}"
        );
        assert!(
            !keys.iter().any(|k| k.starts_with("roles.mle2")),
            "{keys:?}"
        );
        let mle2 = m.roles.iter().position(|r| r.key == "mle2");
        let (mut scratch, mut out) = (Scratch::new(&m), TrialOutcome::new(&m));
        for i in 0..2_000 {
            run_trial::<Gen>(&m, trial_key(5, i), &mut scratch, &mut out);
            assert_ne!(out.paths[1].role, mle2, "trial {i}");
        }
    }

    #[test]
    fn every_candidate_has_the_value_its_stream_gives() {
        let m = model();
        let c = Candidates::new(&m);
        let keys: Vec<&str> = c.paths[1].iter().map(|c| c.key.as_str()).collect();
        for k in [
            "person.annual_raise",
            "person.unemployment_rate",
            "person.unemployment_months",
            "paths.a.completion",
            "paths.a.search_months",
            "roles.ml_engineer.salary",
            "roles.analyst.annual_raise",
            "factors.ability",
            "completed",
            "promoted",
        ] {
            assert!(keys.contains(&k), "{k} missing from {keys:?}");
        }
        // Fixed inputs and a role's layoffs are not candidates; the baseline has none.
        assert!(!keys.contains(&"person.salary") && !keys.contains(&"paths.a.placement.x"));
        assert!(c.paths[0].is_empty());
        let alt = m.paths[1].alt.as_ref().unwrap();
        let h = m.horizon;
        let (mut scratch, mut out) = (Scratch::new(&m), TrialOutcome::new(&m));
        let mut landed = 0;
        for i in 0..300 {
            let key = trial_key(3, i);
            run_trial::<Gen>(&m, key, &mut scratch, &mut out);
            let d = Draws::<Gen>::new(&m, key);
            let mean_of = |id: InputId, a: Option<&AltModel>| {
                let (dist, mut r) = d.per_year(id, a);
                (0..h).map(|_| dist.sample(&mut r)).sum::<f64>() / h as f64
            };
            let o = &out.paths[1];
            for (slot, s) in c.sources.iter().enumerate() {
                let got = out.cand[slot];
                let want = match *s {
                    Source::Input(id) => d.input(id),
                    Source::OnPath(id, _) => d.input_on(id, alt),
                    Source::Factor(f) => d.factor(f),
                    Source::RaiseMean(id, None) => mean_of(id, None),
                    Source::RaiseMean(id, Some(_)) => {
                        let r = m
                            .roles
                            .iter()
                            .position(|r| r.input(RoleInput::AnnualRaise) == id);
                        if o.role == r {
                            landed += 1;
                            mean_of(id, Some(alt))
                        } else {
                            // Not landed: drawn in one step (normal) or from its stream.
                            assert!(got.is_finite());
                            continue;
                        }
                    }
                    Source::MonthsLost => {
                        // No tax: the old job's net is its salary S_t times (12 - months
                        // lost) / 12, S_t growing by the raise stream's values in order.
                        let (dist, mut r) =
                            d.per_year(m.person.input(PersonInput::AnnualRaise), None);
                        let mut salary = 60_000.0;
                        out.net(0)
                            .iter()
                            .enumerate()
                            .map(|(t, n)| {
                                if t > 0 {
                                    salary *= 1.0 + dist.sample(&mut r);
                                }
                                12.0 * (1.0 - n / salary)
                            })
                            .sum()
                    }
                };
                assert!(
                    (got - want).abs() <= 1e-9 * want.abs().max(1.0),
                    "trial {i}, {s:?}: {got} vs {want}"
                );
            }
        }
        assert!(landed > 50, "{landed}");
    }

    #[test]
    fn the_unused_raises_of_a_normal_role_have_the_distribution_of_a_mean() {
        // Not landed, the mean of H normal raises is drawn in one step: N(0.02, 0.02 / sqrt(H)).
        let m = model();
        let c = Candidates::new(&m);
        let slot = c
            .sources
            .iter()
            .position(|s| matches!(s, Source::RaiseMean(id, Some(_)) if m.inputs.get(*id).key == "roles.ml_engineer.annual_raise"))
            .unwrap();
        let (mut scratch, mut out) = (Scratch::new(&m), TrialOutcome::new(&m));
        let mut v = Vec::new();
        for i in 0..4_000 {
            run_trial::<Gen>(&m, trial_key(8, i), &mut scratch, &mut out);
            if out.paths[1].role != Some(0) {
                v.push(out.cand[slot]);
            }
        }
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        let sd = (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt();
        let want_sd = 0.02 / (m.horizon as f64).sqrt();
        assert!((mean - 0.02).abs() < 4.0 * want_sd / n.sqrt(), "{mean}");
        assert!((sd / want_sd - 1.0).abs() < 0.05, "{sd} vs {want_sd}");
    }

    #[test]
    fn edges_split_each_candidate_into_equal_probabilities() {
        let m = model();
        let c = Candidates::new(&m);
        let edges = c.edges(&m, 20);
        for (s, e) in c.sources.iter().zip(&edges) {
            assert_eq!(e.len(), 19, "{s:?}");
            assert!(e.windows(2).all(|w| w[0] <= w[1]), "{s:?}: {e:?}");
            if let Source::Input(id) = s {
                let d = &m.inputs.get(*id).dist;
                for (k, x) in e.iter().enumerate() {
                    assert!((d.cdf(*x) - (k + 1) as f64 / 20.0).abs() < 1e-6, "{s:?}");
                }
            }
            if let Source::Factor(_) = s {
                assert!(e[9].abs() < 1e-12, "the median of a factor is 0");
            }
        }
    }

    #[test]
    fn a_pilot_splits_its_sample_into_equal_counts() {
        // Uniform(0, 1) draws: the k-th edge of 20 bins is close to k / 20.
        let e = pilot(20, "test", |r| r.random::<f64>());
        assert_eq!(e.len(), 19);
        for (k, x) in e.iter().enumerate() {
            let want = (k + 1) as f64 / 20.0;
            assert!((x - want).abs() < 0.03, "edge {k}: {x} vs {want}");
        }
        assert!(e.windows(2).all(|w| w[0] <= w[1]));
    }
}
