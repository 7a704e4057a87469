//! The economics of one life (model.md sections 2 to 8), compiled from a validated
//! [`Scenario`] into plain samplers and numbers, so the hot loop sees no strings or options
//! it does not need.

pub mod loans;
pub mod rng;
pub mod tax;
pub mod trial;

use crate::dist::Dist;
use crate::scenario::{Repayment, Scenario};
pub use tax::TaxModel;
pub use trial::{PathOutcome, Scratch, TrialOutcome, run_trial};

/// The person and the current job: the baseline career, shared by every path.
#[derive(Debug, Clone)]
pub struct PersonModel {
    /// Salary in year 0.
    pub salary: Dist,
    /// Real raise, per year.
    pub annual_raise: Dist,
    /// Probability of a spell in a year.
    pub unemployment_rate: Dist,
    /// Months of a spell (clamped to 0..12).
    pub unemployment_months: Dist,
    /// Dependents, for RAP.
    pub dependents: u32,
}

/// A role of the new field.
#[derive(Debug, Clone)]
pub struct RoleModel {
    /// Starting salary (before the path's premium).
    pub salary: Dist,
    /// Real raise, per later year.
    pub annual_raise: Dist,
    /// Probability of a spell in a year in the field.
    pub unemployment_rate: Dist,
    /// Months of a spell (clamped to 0..12).
    pub unemployment_months: Dist,
}

/// How a path pays its costs.
#[derive(Debug, Clone)]
pub struct FinancingModel {
    /// Savings available, real, in total.
    pub savings: Dist,
    /// Federal loans, if used.
    pub federal: Option<FederalModel>,
    /// Private nominal rate.
    pub private_rate: Dist,
    /// Private term, months.
    pub private_term_months: u32,
    /// Months from the end of study to the first payment.
    pub grace_months: u32,
}

/// Federal Direct Unsubsidized loans.
#[derive(Debug, Clone)]
pub struct FederalModel {
    /// Nominal rate.
    pub rate: Dist,
    /// Principal limit per 12 months of study.
    pub annual_limit: f64,
    /// Principal limit in total.
    pub aggregate_limit: f64,
    /// Origination fee.
    pub fee: f64,
    /// Plan.
    pub repayment: Repayment,
}

/// Costs per month of study.
#[derive(Debug, Clone)]
pub struct CostsModel {
    /// Tuition per year.
    pub tuition_per_year: Dist,
    /// Fees per year.
    pub fees_per_year: Dist,
    /// Extra living costs per month.
    pub living_extra_per_month: Dist,
    /// Caregiving per month.
    pub caregiver_per_month: Dist,
    /// Added to month 0.
    pub one_time: Dist,
    /// Scholarship per year.
    pub scholarship_per_year: Dist,
    /// Employer assistance per year.
    pub employer_assistance_per_year: Dist,
}

/// An alternative path.
#[derive(Debug, Clone)]
pub struct AltModel {
    /// Study months (rounded, at least 1).
    pub duration_months: Dist,
    /// Share of the baseline earnings kept while studying.
    pub work_fraction: Dist,
    /// Probability of completing.
    pub completion: Dist,
    /// Probability of placement after completing.
    pub placement: Dist,
    /// Stipend per year of study.
    pub study_income_per_year: Dist,
    /// Months from finishing to the new job.
    pub search_months: Dist,
    /// Months without earnings before falling back.
    pub fallback_months: Dist,
    /// (role index, cumulative normalized weight); the last weight is 1.
    pub roles: Box<[(usize, f64)]>,
    /// Credential effect on the starting salary.
    pub salary_premium: Dist,
    /// Probability of the one promotion, per later year.
    pub promotion_rate: Dist,
    /// Raise of the promotion.
    pub promotion_raise: Dist,
    /// Costs.
    pub costs: CostsModel,
    /// Financing; `None` pays every cost out of pocket.
    pub financing: Option<FinancingModel>,
}

/// A path: the baseline (`alt == None`) or an alternative.
#[derive(Debug, Clone)]
pub struct PathModel {
    /// Key in the scenario.
    pub key: String,
    /// Stream id of the path's random numbers: derived from its key, so adding or reordering
    /// paths does not change another path's draws.
    pub stream: u64,
    /// The alternative, or `None` for the baseline.
    pub alt: Option<AltModel>,
}

/// A scenario compiled for simulation.
#[derive(Debug, Clone)]
pub struct Model {
    /// Years simulated: retirement age minus age.
    pub horizon: usize,
    /// Real discount rate, drawn once per trial.
    pub discount_rate: Dist,
    /// Inflation, drawn once per trial.
    pub inflation: Dist,
    /// Tax schedule.
    pub tax: TaxModel,
    /// The person and the baseline career.
    pub person: PersonModel,
    /// Roles, in scenario order.
    pub roles: Vec<RoleModel>,
    /// Paths, in scenario order.
    pub paths: Vec<PathModel>,
    /// Index of the baseline path.
    pub baseline: usize,
}

/// FNV-1a of a path key: a stable stream id across releases and platforms.
fn stream_id(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

impl Model {
    /// Compile a validated scenario.
    pub fn new(s: &Scenario) -> Self {
        let p = &s.person;
        let paths: Vec<PathModel> = s
            .paths
            .iter()
            .map(|path| PathModel {
                key: path.key.clone(),
                stream: stream_id(&path.key),
                alt: path.alternative.as_ref().map(|a| {
                    let mut acc = 0.0;
                    let mut roles: Vec<(usize, f64)> = a
                        .roles
                        .iter()
                        .map(|(i, w)| {
                            acc += w;
                            (*i, acc)
                        })
                        .collect();
                    if let Some(last) = roles.last_mut() {
                        last.1 = 1.0;
                    }
                    AltModel {
                        duration_months: a.duration_months.dist.clone(),
                        work_fraction: a.work_fraction.dist.clone(),
                        completion: a.completion.dist.clone(),
                        placement: a.placement.dist.clone(),
                        study_income_per_year: a.study_income_per_year.dist.clone(),
                        search_months: a.search_months.dist.clone(),
                        fallback_months: a.fallback_months.dist.clone(),
                        roles: roles.into(),
                        salary_premium: a.salary_premium.dist.clone(),
                        promotion_rate: a.promotion_rate.dist.clone(),
                        promotion_raise: a.promotion_raise.dist.clone(),
                        costs: CostsModel {
                            tuition_per_year: a.costs.tuition_per_year.dist.clone(),
                            fees_per_year: a.costs.fees_per_year.dist.clone(),
                            living_extra_per_month: a.costs.living_extra_per_month.dist.clone(),
                            caregiver_per_month: a.costs.caregiver_per_month.dist.clone(),
                            one_time: a.costs.one_time.dist.clone(),
                            scholarship_per_year: a.costs.scholarship_per_year.dist.clone(),
                            employer_assistance_per_year: a
                                .costs
                                .employer_assistance_per_year
                                .dist
                                .clone(),
                        },
                        financing: a.financing.as_ref().map(|f| FinancingModel {
                            savings: f.savings.dist.clone(),
                            federal: if f.federal {
                                Some(FederalModel {
                                    rate: f
                                        .federal_rate
                                        .as_ref()
                                        .map_or(Dist::Fixed(0.0), |r| r.dist.clone()),
                                    annual_limit: f.federal_annual_limit,
                                    aggregate_limit: f.federal_aggregate_limit,
                                    fee: f.federal_fee,
                                    repayment: f.repayment,
                                })
                            } else {
                                None
                            },
                            private_rate: f.private_rate.dist.clone(),
                            private_term_months: f.private_term_years * 12,
                            grace_months: f.grace_months,
                        }),
                    }
                }),
            })
            .collect();
        Model {
            horizon: (p.retirement_age - p.age) as usize,
            discount_rate: s.economy.discount_rate.dist.clone(),
            inflation: s.economy.inflation.dist.clone(),
            tax: TaxModel::new(&s.tax),
            person: PersonModel {
                salary: p.salary.dist.clone(),
                annual_raise: p.annual_raise.dist.clone(),
                unemployment_rate: p.unemployment_rate.dist.clone(),
                unemployment_months: p.unemployment_months.dist.clone(),
                dependents: p.dependents,
            },
            roles: s
                .roles
                .iter()
                .map(|r| RoleModel {
                    salary: r.salary.dist.clone(),
                    annual_raise: r.annual_raise.dist.clone(),
                    unemployment_rate: r.unemployment_rate.dist.clone(),
                    unemployment_months: r.unemployment_months.dist.clone(),
                })
                .collect(),
            baseline: s
                .paths
                .iter()
                .position(|p| p.is_baseline())
                .expect("validated: one baseline"),
            paths,
        }
    }
}
