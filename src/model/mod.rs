//! The economics of one life (docs/model.md), compiled from a validated
//! [`Scenario`] into plain samplers and numbers, so the hot loop sees no strings or options
//! it does not need.

pub mod candidates;
pub mod inputs;
pub mod loans;
pub mod repay;
pub mod rng;
pub mod tax;
pub mod trial;
pub mod units;

use crate::dist::Dist;
use crate::scenario::{Repayment, Scenario};
use inputs::{
    EconomyInput, InputId, Inputs, PathInput, PersonInput, RoleInput, describe, stream_id,
};
pub use tax::TaxModel;
pub use trial::{PathOutcome, Scratch, TrialOutcome, run_trial};

/// The person and the current job: the baseline career, shared by every path.
#[derive(Debug, Clone)]
pub struct PersonModel {
    /// Ids of the person's inputs, by [`PersonInput`].
    pub inputs: [InputId; PersonInput::COUNT],
    /// Dependents, for RAP.
    pub dependents: u32,
    /// Stream of the years with a layoff.
    pub spells_stream: u64,
    /// Mean of the yearly raise: what the person expects of the old career when weighing an
    /// offer.
    pub mean_raise: f64,
}

impl PersonModel {
    /// The id of one of the person's inputs.
    #[inline]
    pub fn input(&self, k: PersonInput) -> InputId {
        self.inputs[k as usize]
    }
}

/// A role of the new field.
#[derive(Debug, Clone)]
pub struct RoleModel {
    /// Key in the scenario.
    pub key: String,
    /// For people.
    pub label: String,
    /// Ids of the role's inputs, by [`RoleInput`].
    pub inputs: [InputId; RoleInput::COUNT],
    /// Stream of the years with a layoff in the role (mixed with a path's).
    pub spells_stream: u64,
    /// Mean of the yearly raise: what the person expects of the role when weighing an offer.
    pub mean_raise: f64,
}

impl RoleModel {
    /// The id of one of the role's inputs.
    #[inline]
    pub fn input(&self, k: RoleInput) -> InputId {
        self.inputs[k as usize]
    }
}

/// The loan rules of a path that borrows (its rates and savings are inputs).
#[derive(Debug, Clone)]
pub struct FinancingModel {
    /// Federal loans, if used.
    pub federal: Option<FederalModel>,
    /// Private term, months.
    pub private_term_months: u32,
    /// Months from the end of study to the first payment.
    pub grace_months: u32,
}

/// The rules of federal Direct Unsubsidized loans.
#[derive(Debug, Clone)]
pub struct FederalModel {
    /// Principal limit per 12 months of study (nominal dollars).
    pub annual_limit: f64,
    /// Principal limit in total (nominal dollars).
    pub aggregate_limit: f64,
    /// Origination fee, a share of the principal.
    pub fee: f64,
    /// Plan.
    pub repayment: Repayment,
}

/// An alternative path.
#[derive(Debug, Clone)]
pub struct AltModel {
    /// Ids of the path's inputs, by [`PathInput`].
    pub inputs: [InputId; PathInput::COUNT],
    /// (role index, cumulative normalized weight) of each role of positive weight; the last
    /// weight is 1.
    pub roles: Box<[(usize, f64)]>,
    /// Financing; `None` pays every cost out of pocket.
    pub financing: Option<FinancingModel>,
    /// The streams of the path's own events.
    pub events: EventStreams,
}

impl AltModel {
    /// The id of one of the path's inputs.
    #[inline]
    pub fn input(&self, k: PathInput) -> InputId {
        self.inputs[k as usize]
    }

    /// The input and the stream of the event of one of the path's chances (`Completion`
    /// or `Placement`): the event happens when the stream's draw is above one minus the
    /// input's value ([`trial::happens`]), and nothing else reads it.
    pub fn chance(&self, which: Chance) -> (InputId, u64) {
        match which {
            Chance::Completion => (self.input(PathInput::Completion), self.events.completion),
            Chance::Placement => (self.input(PathInput::Placement), self.events.placement),
        }
    }
}

impl Model {
    /// The input whose reads tell which lives `key` can change: the key's own input (or the
    /// input a parameter key belongs to) for a path's input, and a role's salary for any key
    /// of the role (nothing about a role touches a life before a path offers it the role,
    /// which draws the salary first). `None` for any other key (the person's, the economy's,
    /// a setting), or one of a path this model does not have.
    pub fn reads_of(&self, key: &str) -> Option<InputId> {
        let parts: Vec<&str> = key.split('.').collect();
        match parts.as_slice() {
            ["paths", _, _, ..] => {
                let input = key.rsplit_once('.').map_or(key, |(i, _)| i);
                self.inputs.find(key).or_else(|| {
                    (input.split('.').count() >= 3)
                        .then(|| self.inputs.find(input))
                        .flatten()
                })
            }
            ["roles", name, _, ..] => {
                let role = self.roles.iter().find(|r| r.key == *name)?;
                Some(role.input(RoleInput::Salary))
            }
            _ => None,
        }
    }
}

/// A path's chance of finishing or of being placed: each acts on a life only through its
/// event, so a life at any chance is its life where the event happens or where it does not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chance {
    /// Finishing the program.
    Completion,
    /// Being placed after finishing.
    Placement,
}

impl Chance {
    /// The path and the chance that `key` names (`paths.KEY.completion`,
    /// `paths.KEY.placement`), if it names one.
    pub fn of_key(key: &str) -> Option<(&str, Chance)> {
        let (path, which) = key.strip_prefix("paths.")?.split_once('.')?;
        match which {
            "completion" => Some((path, Chance::Completion)),
            "placement" => Some((path, Chance::Placement)),
            _ => None,
        }
    }
}

/// Stream ids of the random events of one path (docs/model.md, "Random streams"): each is its
/// own stream, so that pinning an input or a probability of 0 or 1 shifts nothing else.
#[derive(Debug, Clone)]
pub struct EventStreams {
    /// Whether the person finishes.
    pub completion: u64,
    /// The month of dropping out.
    pub dropout: u64,
    /// Whether a graduate is placed.
    pub placement: u64,
    /// Which role.
    pub role: u64,
    /// When the promotion comes.
    pub promotion: u64,
    /// The path's own stream id (role inputs drawn on this path mix it in).
    pub path: u64,
}

impl EventStreams {
    fn new(path_key: &str) -> Self {
        let s = |what: &str| stream_id(&format!("paths.{path_key}#{what}"));
        EventStreams {
            completion: s("completion"),
            dropout: s("dropout"),
            placement: s("placement"),
            role: s("role"),
            promotion: s("promotion"),
            path: stream_id(&format!("paths.{path_key}")),
        }
    }

    /// The stream of a role's input (or event) drawn on this path: its own, distinct from
    /// the same role's on another path.
    #[inline]
    pub fn on_path(&self, stream: u64) -> u64 {
        rng::mix(stream ^ self.path)
    }
}

/// A path: the baseline (`alt == None`) or an alternative.
#[derive(Debug, Clone)]
pub struct PathModel {
    /// Key in the scenario.
    pub key: String,
    /// For people.
    pub label: String,
    /// The alternative, or `None` for the baseline.
    pub alt: Option<AltModel>,
}

impl PathModel {
    /// Whether this is the baseline path.
    pub fn is_baseline(&self) -> bool {
        self.alt.is_none()
    }
}

/// A scenario compiled for simulation.
#[derive(Debug, Clone)]
pub struct Model {
    /// Years simulated: retirement age minus age.
    pub horizon: usize,
    /// Age in year 0.
    pub age: u32,
    /// Tax schedule.
    pub tax: TaxModel,
    /// Every uncertain input, addressable by key.
    pub inputs: Inputs,
    /// Ids of the economy's inputs, by [`EconomyInput`].
    pub economy: [InputId; EconomyInput::COUNT],
    /// The person and the baseline career.
    pub person: PersonModel,
    /// Roles, in scenario order.
    pub roles: Vec<RoleModel>,
    /// Paths, in scenario order.
    pub paths: Vec<PathModel>,
    /// Index of the baseline path.
    pub baseline: usize,
    /// Factors, in scenario order.
    pub factors: Vec<FactorModel>,
}

/// A factor: a standard normal drawn once per trial and shared by every path.
#[derive(Debug, Clone)]
pub struct FactorModel {
    /// Key (`ability`).
    pub key: String,
    /// What it stands for.
    pub description: String,
    /// Its stream.
    pub stream: u64,
}

impl Model {
    /// Compile a validated scenario.
    pub fn new(s: &Scenario) -> Self {
        let mut inputs = Inputs::default();
        // Every kind of input gets an entry, even one the scenario does not have (a path
        // without financing has no rates): a fixed 0 that is never read.
        let mut add = |key: String, label: String| -> InputId {
            let (schema_label, drawn) = describe(&key);
            let label = if label.is_empty() {
                schema_label.to_string()
            } else {
                label
            };
            let dist = s.input(&key).map_or(Dist::Fixed(0.0), |p| p.dist.clone());
            inputs.push(key, label, dist, drawn)
        };
        let economy = EconomyInput::ALL.map(|k| add(format!("economy.{}", k.key()), String::new()));
        let person_inputs =
            PersonInput::ALL.map(|k| add(format!("person.{}", k.key()), String::new()));
        let person = PersonModel {
            inputs: person_inputs,
            dependents: s.person.dependents,
            spells_stream: stream_id("person#unemployment"),
            mean_raise: 0.0,
        };
        let roles: Vec<RoleModel> = s
            .roles
            .iter()
            .map(|r| RoleModel {
                key: r.key.clone(),
                label: r.label.clone(),
                inputs: RoleInput::ALL.map(|k| {
                    let name = crate::text::role_name(&r.key, &r.label);
                    let label = match k {
                        RoleInput::Salary => format!("Starting salary as {name}"),
                        RoleInput::AnnualRaise => format!("Raises as {name}"),
                        _ => String::new(),
                    };
                    add(format!("roles.{}.{}", r.key, k.key()), label)
                }),
                spells_stream: stream_id(&format!("roles.{}#unemployment", r.key)),
                mean_raise: 0.0,
            })
            .collect();
        let paths: Vec<PathModel> = s
            .paths
            .iter()
            .map(|path| PathModel {
                key: path.key.clone(),
                label: path.label.clone(),
                alt: path.alternative.as_ref().map(|a| {
                    let mut acc = 0.0;
                    // A role of weight 0 is one the path cannot lead to: left out, so that no
                    // rounding of the cumulative weights can land a life in it, and the
                    // sensitivity analysis does not count its salary among the path's.
                    let mut cumulative: Vec<(usize, f64)> = a
                        .roles
                        .iter()
                        .filter(|(_, w)| *w > 0.0)
                        .map(|(i, w)| {
                            acc += w;
                            (*i, acc)
                        })
                        .collect();
                    if let Some(last) = cumulative.last_mut() {
                        last.1 = 1.0;
                    }
                    AltModel {
                        inputs: PathInput::ALL
                            .map(|k| add(format!("paths.{}.{}", path.key, k.key()), String::new())),
                        roles: cumulative.into(),
                        financing: a.financing.as_ref().map(|f| FinancingModel {
                            federal: f.federal.then_some(FederalModel {
                                annual_limit: f.federal_annual_limit,
                                aggregate_limit: f.federal_aggregate_limit,
                                fee: f.federal_fee,
                                repayment: f.repayment,
                            }),
                            private_term_months: f.private_term_years * 12,
                            grace_months: f.grace_months,
                        }),
                        events: EventStreams::new(&path.key),
                    }
                }),
            })
            .collect();
        let mut person = person;
        let mut roles = roles;
        person.mean_raise = inputs
            .get(person.input(PersonInput::AnnualRaise))
            .dist
            .mean();
        for r in &mut roles {
            r.mean_raise = inputs.get(r.input(RoleInput::AnnualRaise)).dist.mean();
        }
        // Factors: each loaded input keeps its loadings (the events' apply to the event).
        let factors: Vec<FactorModel> = s
            .factors
            .iter()
            .enumerate()
            .map(|(fi, f)| {
                for (key, l) in &f.loadings {
                    if let Some(id) = inputs.find(key) {
                        let last = key.rsplit('.').next().unwrap_or_default();
                        let event = crate::scenario::EVENT_INPUTS.contains(&last);
                        inputs.load(id, fi, *l, event);
                    }
                }
                FactorModel {
                    key: f.key.clone(),
                    description: f.description.clone(),
                    stream: stream_id(&format!("factors.{}", f.key)),
                }
            })
            .collect();
        Model {
            factors,
            horizon: (s.person.retirement_age - s.person.age) as usize,
            age: s.person.age,
            tax: TaxModel::new(&s.tax),
            inputs,
            economy,
            person,
            roles,
            baseline: s
                .paths
                .iter()
                .position(|p| p.is_baseline())
                .expect("validated: one baseline"),
            paths,
        }
    }

    /// The id of one of the economy's inputs.
    #[inline]
    pub fn economy_input(&self, k: EconomyInput) -> InputId {
        self.economy[k as usize]
    }
}
