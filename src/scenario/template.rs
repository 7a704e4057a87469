//! The commented template `worthit init` writes: every section and key, with its default,
//! and a figure from a public source where one exists. A test keeps it valid.

/// A template scenario covering every section, which validates as written.
pub const TEMPLATE: &str = r#"# A worthit scenario: one person, the roles they could land, and the paths open to them.
# Every number may be a plain number or a distribution, e.g.
#   { dist = "uniform", min = 1, max = 6 }
#   { dist = "lognormal", median = 120_883, p90 = 170_000 }
#   { dist = "beta", mean = 0.85, sd = 0.05 }
# See docs/scenario-format.md for every key and distribution. Check with: worthit validate FILE

name = "My decision"
description = "What I am weighing, and where the figures come from."

[simulation]
trials = 100_000          # default 100,000
seed = 1                  # default 1; same seed, same results

[economy]
discount_rate = 0.03      # real; default 0.03 (FREOPP uses 3%)
inflation = 0.025         # default 0.025; deflates nominal loan payments

[tax]
# Either a flat share of gross income:  effective_rate = 0.24
# or the US 2026 single-filer schedule:
standard_deduction = 16_100
brackets = [[0, 0.10], [12_400, 0.12], [50_400, 0.22], [105_700, 0.24], [201_775, 0.32], [256_225, 0.35], [640_600, 0.37]]
payroll = [{ rate = 0.062, cap = 184_500 }, { rate = 0.0145 }]
state_rate = 0.05

[person]
age = 27
retirement_age = 65
salary = { dist = "lognormal", median = 72_000, p90 = 95_000 }   # this year's salary
annual_raise = { dist = "normal", mean = 0.012, sd = 0.02 }      # real, drawn each year; default 0
unemployment_rate = 0.03        # chance of a spell in a year; default 0
unemployment_months = { dist = "uniform", min = 1, max = 6 }    # default 0
dependents = 0                  # for RAP; default 0

# Roles the new paths can lead to. Salaries are for the year the job starts.
[roles.ml_engineer]
label = "ML engineer"
salary = { dist = "lognormal", p10 = 72_600, p90 = 170_000 }     # LinkedIn range, seed article
annual_raise = { dist = "normal", mean = 0.02, sd = 0.02 }       # default 0
unemployment_rate = 0.04                                         # default 0
unemployment_months = { dist = "uniform", min = 1, max = 6 }     # default 0

[roles.data_scientist]
label = "Data scientist"
salary = { dist = "lognormal", p25 = 82_630, p75 = 155_810 }     # BLS OEWS May 2024
annual_raise = 0.02

# Exactly one path is the baseline: staying put.
[paths.stay]
label = "Keep the current job"
baseline = true

[paths.masters]
label = "Two-year in-person ML master's"
duration_months = 24                     # required; rounded to whole months
work_fraction = 0.0                      # share of today's pay kept while studying; default 0
completion = { dist = "beta", mean = 0.85, sd = 0.05 }   # default 1
placement = { dist = "beta", mean = 0.8, sd = 0.08 }     # default 1
study_income_per_year = 0                # stipend or assistantship; default 0
search_months = { dist = "uniform", min = 1, max = 9 }   # default 0
fallback_months = { dist = "uniform", min = 1, max = 4 } # default 0
roles = { ml_engineer = 0.5, data_scientist = 0.5 }      # required; weights
salary_premium = 0.0                     # credential effect on the starting salary; default 0
promotion_rate = 0.10                    # chance per later year of one promotion; default 0
promotion_raise = 0.20                   # default 0

[paths.masters.costs]                    # per year or month of study actually done; default 0 each
tuition_per_year = { dist = "triangular", min = 12_171, mode = 27_776, max = 52_000 }
fees_per_year = 1_500
living_extra_per_month = 1_000
caregiver_per_month = 0
one_time = 3_000                         # added to the first month
scholarship_per_year = 0
employer_assistance_per_year = 0

# Leave this table out to pay every cost out of pocket, with no limit.
[paths.masters.financing]
savings = 15_000                         # default 0
federal = true                           # Direct Unsubsidized loans; default false
federal_rate = 0.0794                    # required when federal = true (2025-26 graduate rate)
federal_annual_limit = 20_500            # default 20,500
federal_aggregate_limit = 100_000        # default 100,000
federal_fee = 0.01057                    # default 0.01057
grace_months = 6                         # default 6
repayment = "standard"                   # or "rap"; default "standard"
private_rate = { dist = "uniform", min = 0.045, max = 0.148 }   # required with [financing]
private_term_years = 10                  # default 10

[paths.bootcamp]
label = "Data-science bootcamp"
duration_months = 4
completion = { dist = "beta", mean = 0.8, sd = 0.08 }
placement = { dist = "beta", mean = 0.5, sd = 0.1 }
search_months = { dist = "uniform", min = 3, max = 6 }
fallback_months = 2
roles = { data_scientist = 1 }
salary_premium = -0.15

[paths.bootcamp.costs]
one_time = 15_000
"#;

#[cfg(test)]
mod tests {
    use super::TEMPLATE;

    #[test]
    fn the_template_validates_and_sets_every_key() {
        let s = crate::scenario::load_str(TEMPLATE, std::path::Path::new("scenario.toml"))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.paths.len(), 3);
        // Only the keys the template leaves out on purpose (the bootcamp's) take defaults.
        let defaulted: Vec<&str> = s
            .assumptions
            .iter()
            .filter(|a| a.default && !a.key.starts_with("paths.bootcamp"))
            .map(|a| a.key.as_str())
            .collect();
        assert!(
            defaulted
                .iter()
                .all(|k| k.starts_with("roles.data_scientist.")),
            "{defaulted:?}"
        );
    }
}
