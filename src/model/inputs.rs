//! The model's inputs as a table addressable by key path: every uncertain input of the
//! scenario, with its label, its sampler, when it is drawn and its own random stream.
//!
//! The model's parts hold indices into this table ([`InputId`]), one per kind of input
//! ([`PersonInput`], [`RoleInput`], [`PathInput`]), so that sensitivity, sweeps and factors
//! can list every input, find one by key and replace its distribution without knowing the
//! model's structs.

use crate::dist::Dist;
use crate::scenario::schema::{self, Drawn};

/// Index of an input in [`Inputs`].
pub type InputId = usize;

/// One input of the model.
#[derive(Debug, Clone)]
pub struct Input {
    /// Key path (`paths.bootcamp.placement`).
    pub key: String,
    /// For people: "Placed in the new field", "Starting salary as ML engineer".
    pub label: String,
    /// The sampler.
    pub dist: Dist,
    /// Once per trial, or afresh each year.
    pub drawn: Drawn,
    /// Id of its random stream (a hash of the key): draws do not depend on any other input.
    pub stream: u64,
    /// (factor index, loading) of the factors it follows; empty for an independent input.
    pub loadings: Box<[(usize, f64)]>,
    /// `sqrt(1 - sum of squared loadings)`: the weight of its own noise in its normal score.
    pub residual: f64,
    /// The loadings apply to an event of this input (finishing, being placed, the promotion's
    /// timing), not to its drawn value.
    pub event: bool,
}

/// Every input of a model.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    items: Vec<Input>,
}

impl Inputs {
    /// Add an input; returns its id.
    pub fn push(&mut self, key: String, label: String, dist: Dist, drawn: Drawn) -> InputId {
        let stream = stream_id(&key);
        self.items.push(Input {
            key,
            label,
            dist,
            drawn,
            stream,
            loadings: Box::new([]),
            residual: 1.0,
            event: false,
        });
        self.items.len() - 1
    }

    /// Make input `id` follow factor `factor` with loading `l` (its loading applies to an
    /// event when `event`).
    pub fn load(&mut self, id: InputId, factor: usize, l: f64, event: bool) {
        let i = &mut self.items[id];
        let mut v = i.loadings.to_vec();
        v.push((factor, l));
        i.residual = (1.0 - v.iter().map(|(_, l)| l * l).sum::<f64>())
            .max(0.0)
            .sqrt();
        i.loadings = v.into();
        i.event = event;
    }

    /// The input with id `id`.
    #[inline]
    pub fn get(&self, id: InputId) -> &Input {
        &self.items[id]
    }

    /// Every input, in model order.
    pub fn iter(&self) -> impl Iterator<Item = &Input> {
        self.items.iter()
    }

    /// The id of the input under `key`.
    pub fn find(&self, key: &str) -> Option<InputId> {
        self.items.iter().position(|i| i.key == key)
    }

    /// Replace the distribution of input `id` (its stream stays: every other draw of every
    /// trial is unchanged).
    pub fn set(&mut self, id: InputId, dist: Dist) {
        self.items[id].dist = dist;
    }

    /// Number of inputs.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

/// FNV-1a of a name, finished with SplitMix64's mixer: a stable stream id across releases
/// and platforms.
pub fn stream_id(name: &str) -> u64 {
    let h = name.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01b3)
    });
    super::rng::mix(h)
}

/// Declares an enum of the inputs of one table, with the key (relative to the table) of each.
macro_rules! input_kinds {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $key:literal,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name {
            $($(#[$vdoc])* $variant,)*
        }

        impl $name {
            /// Every kind, in order (the index of each is its position).
            pub const ALL: [$name; [$(stringify!($variant),)*].len()] = [$($name::$variant,)*];
            /// How many kinds.
            pub const COUNT: usize = $name::ALL.len();

            /// The key relative to its table (`costs.tuition_per_year`).
            pub const fn key(self) -> &'static str {
                match self {
                    $($name::$variant => $key,)*
                }
            }
        }
    };
}

input_kinds! {
    /// The economy's inputs, shared by every path.
    EconomyInput {
        /// Real discount rate.
        DiscountRate = "discount_rate",
        /// Inflation.
        Inflation = "inflation",
    }
}

input_kinds! {
    /// The person's inputs: the baseline career, shared by every path.
    PersonInput {
        /// Salary in year 0.
        Salary = "salary",
        /// Real raise, per year.
        AnnualRaise = "annual_raise",
        /// Chance of a spell in a year.
        UnemploymentRate = "unemployment_rate",
        /// Months of a spell.
        UnemploymentMonths = "unemployment_months",
    }
}

input_kinds! {
    /// A role's inputs (drawn on each path from a stream of that path's own).
    RoleInput {
        /// Starting salary, before the path's premium.
        Salary = "salary",
        /// Real raise, per later year.
        AnnualRaise = "annual_raise",
        /// Chance of a spell in a year in the role.
        UnemploymentRate = "unemployment_rate",
        /// Months of a spell.
        UnemploymentMonths = "unemployment_months",
    }
}

input_kinds! {
    /// An alternative path's inputs, its costs' and its financing's.
    PathInput {
        /// Months of study.
        DurationMonths = "duration_months",
        /// Share of the old job kept while studying, searching and falling back.
        WorkFraction = "work_fraction",
        /// Chance of finishing.
        Completion = "completion",
        /// Chance of placement after finishing.
        Placement = "placement",
        /// Stipend per year of study.
        StudyIncomePerYear = "study_income_per_year",
        /// Months from finishing to the new job.
        SearchMonths = "search_months",
        /// Months before falling back.
        FallbackMonths = "fallback_months",
        /// Credential effect on the starting salary.
        SalaryPremium = "salary_premium",
        /// Chance of the promotion in each later year.
        PromotionRate = "promotion_rate",
        /// Raise of the promotion.
        PromotionRaise = "promotion_raise",
        /// Tuition per year.
        TuitionPerYear = "costs.tuition_per_year",
        /// Fees per year.
        FeesPerYear = "costs.fees_per_year",
        /// Extra living costs per month.
        LivingExtraPerMonth = "costs.living_extra_per_month",
        /// Caregiving per month.
        CaregiverPerMonth = "costs.caregiver_per_month",
        /// Added to month 0.
        OneTime = "costs.one_time",
        /// Scholarship per year.
        ScholarshipPerYear = "costs.scholarship_per_year",
        /// Employer assistance per year.
        EmployerAssistancePerYear = "costs.employer_assistance_per_year",
        /// Savings available for the costs.
        Savings = "financing.savings",
        /// Federal nominal rate.
        FederalRate = "financing.federal_rate",
        /// Private nominal rate.
        PrivateRate = "financing.private_rate",
    }
}

/// The schema's label and draw time of the input under `key`.
pub fn describe(key: &str) -> (&'static str, Drawn) {
    schema::lookup(key).map_or(("", Drawn::PerTrial), |(d, _)| (d.label, d.drawn))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_an_input_of_the_schema() {
        for k in PathInput::ALL {
            let (d, _) = schema::lookup(&format!("paths.p.{}", k.key()))
                .unwrap_or_else(|| panic!("{}", k.key()));
            assert!(d.is_input(), "{}", k.key());
        }
        for k in RoleInput::ALL {
            assert!(
                schema::lookup(&format!("roles.r.{}", k.key()))
                    .unwrap()
                    .0
                    .is_input()
            );
        }
        for k in PersonInput::ALL {
            assert!(
                schema::lookup(&format!("person.{}", k.key()))
                    .unwrap()
                    .0
                    .is_input()
            );
        }
        for k in EconomyInput::ALL {
            assert!(
                schema::lookup(&format!("economy.{}", k.key()))
                    .unwrap()
                    .0
                    .is_input()
            );
        }
        // And every input of the schema has a kind.
        let kinds = PathInput::COUNT + RoleInput::COUNT + PersonInput::COUNT + EconomyInput::COUNT;
        assert_eq!(schema::KEYS.iter().filter(|k| k.is_input()).count(), kinds);
    }

    #[test]
    fn stream_ids_are_stable_and_distinct() {
        // Pinned: a stream id is part of what makes results reproducible across releases.
        assert_eq!(stream_id(""), super::super::rng::mix(0xcbf2_9ce4_8422_2325));
        assert_ne!(
            stream_id("paths.a.completion"),
            stream_id("paths.b.completion")
        );
    }
}
