//! The scenario format declared once: every key of every table, with its type, the values it
//! may take, its default, its unit, when it is drawn and a one-line doc.
//!
//! Everything that needs to know the keys reads this table: the parser (its checks, defaults
//! and lists of allowed keys), the `init` template, `worthit schema` (a JSON Schema for
//! editors), the docs check in the tests, and the model (which addresses inputs by key). In
//! the spirit of ripgrep's `flags/defs.rs`: a key added here is added everywhere.

use super::param::Domain;

/// A table of the scenario format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    /// The top level.
    Root,
    /// `[simulation]`.
    Simulation,
    /// `[economy]`.
    Economy,
    /// `[tax]`.
    Tax,
    /// `[person]`.
    Person,
    /// `[roles.NAME]`.
    Role,
    /// `[paths.NAME]`.
    Path,
    /// `[paths.NAME.costs]`.
    Costs,
    /// `[paths.NAME.financing]`.
    Financing,
    /// `[factors.NAME]`.
    Factor,
    /// `[[thresholds]]`: a value at which one path starts or stops beating another.
    Threshold,
    /// `[[sweeps]]`: every path's figures over a grid of one or two keys' values.
    Sweep,
    /// `x` and `y` of `[[sweeps]]`: a key and its values.
    Axis,
}

impl Section {
    /// Every section, in the order of the docs.
    pub const ALL: [Section; 13] = [
        Section::Root,
        Section::Simulation,
        Section::Economy,
        Section::Tax,
        Section::Person,
        Section::Role,
        Section::Path,
        Section::Costs,
        Section::Financing,
        Section::Factor,
        Section::Threshold,
        Section::Sweep,
        Section::Axis,
    ];

    /// The table header as written in a file (`[paths.NAME.costs]`), or `top level`.
    pub fn header(self) -> &'static str {
        match self {
            Section::Root => "top level",
            Section::Simulation => "[simulation]",
            Section::Economy => "[economy]",
            Section::Tax => "[tax]",
            Section::Person => "[person]",
            Section::Role => "[roles.NAME]",
            Section::Path => "[paths.NAME]",
            Section::Costs => "[paths.NAME.costs]",
            Section::Financing => "[paths.NAME.financing]",
            Section::Factor => "[factors.NAME]",
            Section::Threshold => "[[thresholds]]",
            Section::Sweep => "[[sweeps]]",
            Section::Axis => "[[sweeps]].x",
        }
    }
}

/// What a key holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ty {
    /// Free text.
    Text,
    /// `true` or `false`.
    Bool,
    /// A whole number within a range.
    Int {
        /// Smallest allowed.
        lo: i64,
        /// Largest allowed.
        hi: i64,
    },
    /// A plain number within a range (settings that cannot be distributions).
    Number {
        /// Smallest allowed.
        lo: f64,
        /// Largest allowed.
        hi: f64,
    },
    /// An uncertain input: a number or a `{ dist = ... }` table whose values stay in a domain.
    Input(Domain),
    /// One of a few words.
    Word(&'static [&'static str]),
    /// A sub-table (its keys are another section).
    Table(Section),
    /// A table of tables by name (`[roles.NAME]`, `[paths.NAME]`).
    Named(Section),
    /// An array of tables (`[[thresholds]]`).
    Tables(Section),
    /// `[v1, v2, ...]`: numbers, or words and booleans (the values of a sweep's key).
    Values,
    /// `[[threshold, rate], ...]`.
    Brackets,
    /// `[{ rate, cap }, ...]`.
    Payroll,
    /// `{ role = weight, ... }`.
    RoleWeights,
    /// `{ "paths.*.completion" = 0.5, ... }`: input key patterns and loadings.
    Loadings,
}

/// What a key is when left out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum IfAbsent {
    /// It must be given.
    Required,
    /// A number.
    Num(f64),
    /// A boolean.
    Bool(bool),
    /// A word.
    Word(&'static str),
    /// It may be left out; what that means, in words.
    Absent(&'static str),
}

/// The unit of a number, for the docs, the JSON Schema and the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// No unit (text, flags, counts of things).
    None,
    /// Real dollars of year 0, in total.
    Dollars,
    /// Nominal dollars: a limit on the principal of loans, which the law sets in the dollars
    /// of the day the money is borrowed.
    NominalDollars,
    /// Real dollars per year.
    DollarsPerYear,
    /// Real dollars per month.
    DollarsPerMonth,
    /// Months.
    Months,
    /// Years (of age, or of a term).
    Years,
    /// A rate as a fraction per year (0.03 is 3%).
    Rate,
    /// A fraction applied once (0.10 is 10%): a credential's premium, a promotion's raise.
    Fraction,
    /// A share or probability in [0, 1].
    Share,
    /// A count of trials, people.
    Count,
}

impl Unit {
    /// In words, for docs.
    pub fn words(self) -> &'static str {
        match self {
            Unit::None => "",
            Unit::Dollars => "dollars (real, today's)",
            Unit::NominalDollars => "dollars (nominal: of principal, as borrowed)",
            Unit::DollarsPerYear => "dollars a year (real)",
            Unit::DollarsPerMonth => "dollars a month (real)",
            Unit::Months => "months",
            Unit::Years => "years",
            Unit::Rate => "fraction a year (0.03 = 3%)",
            Unit::Fraction => "fraction (0.10 = 10%)",
            Unit::Share => "share in [0, 1]",
            Unit::Count => "count",
        }
    }
}

/// When an input is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drawn {
    /// Not random: a setting.
    Never,
    /// Once per trial (and path, for a path's inputs and the roles it can lead to).
    PerTrial,
    /// Afresh each year (raises), or at each event (the length of an unemployment spell).
    PerYear,
}

/// One key of the format.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KeyDef {
    /// The table it belongs to.
    pub section: Section,
    /// The key as written.
    pub name: &'static str,
    /// What it holds.
    pub ty: Ty,
    /// When left out.
    pub default: IfAbsent,
    /// Its unit.
    pub unit: Unit,
    /// When it is drawn.
    pub drawn: Drawn,
    /// A short label for people ("Tuition per year").
    pub label: &'static str,
    /// One line of docs.
    pub doc: &'static str,
}

impl KeyDef {
    /// Its unit in words, for the template's comments and the JSON Schema's docs: a share
    /// whose allowed range is narrower than [0, 1] says its range ("share from 0 to 0.5"),
    /// not "share in [0, 1]", which the range would contradict.
    pub fn unit_words(&self) -> std::borrow::Cow<'static, str> {
        match (self.unit, self.ty) {
            (Unit::Share, Ty::Number { lo, hi }) if (lo, hi) != (0.0, 1.0) => format!(
                "share from {} to {}",
                super::fmt_num(lo),
                super::fmt_num(hi)
            )
            .into(),
            _ => self.unit.words().into(),
        }
    }

    /// Whether this key is an uncertain input (a number or a distribution).
    pub fn is_input(&self) -> bool {
        matches!(self.ty, Ty::Input(_))
    }

    /// The domain of an input.
    pub fn domain(&self) -> Option<Domain> {
        match self.ty {
            Ty::Input(d) => Some(d),
            _ => None,
        }
    }
}

use Domain::*;
use Drawn::*;
use IfAbsent as D;
use Section::*;
use Ty::*;
use Unit as U;

#[allow(clippy::too_many_arguments)]
const fn key(
    section: Section,
    name: &'static str,
    ty: Ty,
    default: IfAbsent,
    unit: Unit,
    drawn: Drawn,
    label: &'static str,
    doc: &'static str,
) -> KeyDef {
    KeyDef {
        section,
        name,
        ty,
        default,
        unit,
        drawn,
        label,
        doc,
    }
}

/// Largest number of trials a file or `--trials` may ask for.
pub const MAX_TRIALS: i64 = 10_000_000_000;

/// Smallest and largest `precision`. From 0.00001: at 10^10 trials (the most a run may ask
/// for), a share of 1/2 is known to within 0.00001 and no closer.
pub const PRECISION_RANGE: (f64, f64) = (0.00001, 0.5);

/// Every key of the format.
#[rustfmt::skip]
pub static KEYS: &[KeyDef] = &[
    // The top level.
    key(Root, "name", Text, D::Absent("the file name without .toml"), U::None, Never,
        "Name", "The scenario's name in reports."),
    key(Root, "description", Text, D::Absent("none"), U::None, Never,
        "Description", "A longer description, shown in the report."),
    key(Root, "simulation", Table(Simulation), D::Absent("the defaults of [simulation]"), U::None, Never,
        "Simulation", "How many trials, from which seed."),
    key(Root, "economy", Table(Economy), D::Absent("the defaults of [economy]"), U::None, Never,
        "Economy", "Discount rate and inflation."),
    key(Root, "tax", Table(Tax), D::Absent("no tax (a warning says so)"), U::None, Never,
        "Tax", "A flat effective rate or a bracket schedule."),
    key(Root, "person", Table(Person), D::Required, U::None, Never,
        "Person", "The person and the current job."),
    key(Root, "roles", Named(Role), D::Absent("none, and then no alternative path, as each needs a role"), U::None, Never,
        "Roles", "The jobs the person could land, by name."),
    key(Root, "paths", Named(Path), D::Required, U::None, Never,
        "Paths", "The baseline (staying put) and the alternatives, by name."),
    key(Root, "factors", Named(Factor), D::Absent("none: every input is drawn independently"), U::None, Never,
        "Factors", "Hidden traits that move several inputs together, by name."),
    key(Root, "thresholds", Tables(Threshold), D::Absent("none"), U::None, Never,
        "Thresholds", "Questions of the form: from what value of an input does a path beat another?"),
    key(Root, "sweeps", Tables(Sweep), D::Absent("none"), U::None, Never,
        "Sweeps", "Every path's figures over a grid of one or two inputs' values."),
    // [simulation]
    key(Simulation, "trials", Int { lo: 1, hi: MAX_TRIALS }, D::Num(100_000.0), U::Count, Never,
        "Trials", "Simulated lives per path."),
    key(Simulation, "seed", Int { lo: 0, hi: i64::MAX }, D::Num(1.0), U::None, Never,
        "Seed", "Seed of the random numbers: the same seed gives the same results."),
    key(Simulation, "precision", Number { lo: PRECISION_RANGE.0, hi: PRECISION_RANGE.1 }, D::Absent("no target: every trial is run"), U::Share, Never,
        "Target precision", "Stop once every share of trials beating another path is known within this (95% half-width; 0.005 = half a point): trials is then a cap."),
    // [economy]
    key(Economy, "discount_rate", Input(Rate { lo: -0.99 }), D::Num(0.03), U::Rate, PerTrial,
        "Discount rate", "Real yearly rate at which later money counts less than money today."),
    key(Economy, "inflation", Input(Rate { lo: -0.99 }), D::Num(0.025), U::Rate, PerTrial,
        "Inflation", "Yearly inflation: turns loans' nominal payments into today's dollars."),
    // [tax]
    key(Tax, "effective_rate", Number { lo: 0.0, hi: 1.0 }, D::Absent("use brackets instead"), U::Share, Never,
        "Effective tax rate", "The whole tax as a flat share of gross income."),
    key(Tax, "brackets", Brackets, D::Absent("use effective_rate instead"), U::None, Never,
        "Tax brackets", "[[threshold, rate], ...] on income above the standard deduction."),
    key(Tax, "standard_deduction", Number { lo: 0.0, hi: 1e9 }, D::Num(0.0), U::DollarsPerYear, Never,
        "Standard deduction", "Income free of income tax."),
    key(Tax, "payroll", Payroll, D::Absent("none"), U::None, Never,
        "Payroll taxes", "[{ rate, cap }, ...] on wages up to an optional cap."),
    key(Tax, "state_rate", Number { lo: 0.0, hi: 1.0 }, D::Num(0.0), U::Share, Never,
        "State tax rate", "Flat state rate on income above the standard deduction."),
    // [person]
    key(Person, "description", Text, D::Absent("none"), U::None, Never,
        "Description", "Who this is, shown in the report."),
    key(Person, "age", Int { lo: 0, hi: 119 }, D::Required, U::Years, Never,
        "Age", "Age at the decision (year 0)."),
    key(Person, "retirement_age", Int { lo: 1, hi: 120 }, D::Required, U::Years, Never,
        "Retirement age", "The horizon ends the year before this age."),
    key(Person, "salary", Input(NonNegative), D::Required, U::DollarsPerYear, PerTrial,
        "Current salary", "This year's salary in the current job (a plain number when you know it)."),
    key(Person, "annual_raise", Input(Rate { lo: -1.0 }), D::Num(0.0), U::Rate, PerYear,
        "Raise in the current job", "Real raise, drawn afresh each year."),
    key(Person, "unemployment_rate", Input(Probability), D::Num(0.0), U::Share, PerTrial,
        "Layoff risk in the current job", "Chance of an unemployment spell in a year."),
    key(Person, "unemployment_months", Input(NonNegative), D::Num(0.0), U::Months, PerYear,
        "Months out of work per layoff", "Length of a spell, drawn at each spell (a longer spell counts as 12)."),
    key(Person, "dependents", Int { lo: 0, hi: 50 }, D::Num(0.0), U::Count, Never,
        "Number of dependents", "Lowers the Repayment Assistance Plan's payments, and changes nothing else."),
    // [roles.NAME]
    key(Role, "label", Text, D::Absent("the role's name"), U::None, Never,
        "Label", "The role's name in reports."),
    key(Role, "salary", Input(NonNegative), D::Required, U::DollarsPerYear, PerTrial,
        "Starting salary", "Salary in the year the job starts (before the path's premium)."),
    key(Role, "annual_raise", Input(Rate { lo: -1.0 }), D::Num(0.0), U::Rate, PerYear,
        "Raise in the role", "Real raise, drawn afresh each later year."),
    key(Role, "unemployment_rate", Input(Probability), D::Num(0.0), U::Share, PerTrial,
        "Layoff risk in the role", "Chance of an unemployment spell in a year in the role."),
    key(Role, "unemployment_months", Input(NonNegative), D::Num(0.0), U::Months, PerYear,
        "Months out of work per layoff in the role", "Length of a spell (a longer spell counts as 12)."),
    // [paths.NAME]
    key(Path, "label", Text, D::Absent("the path's name"), U::None, Never,
        "Label", "The path's name in reports."),
    key(Path, "description", Text, D::Absent("none"), U::None, Never,
        "Description", "A longer description, shown in the report."),
    key(Path, "baseline", Bool, D::Bool(false), U::None, Never,
        "Baseline", "True for the one path every other is compared with (staying put)."),
    key(Path, "duration_months", Input(NonNegative), D::Required, U::Months, PerTrial,
        "Length of study", "Months of study, rounded to a whole month, at least 1."),
    key(Path, "work_fraction", Input(Probability), D::Num(0.0), U::Share, PerTrial,
        "Share of the job kept", "Share of the current job's pay kept while studying, searching and falling back."),
    key(Path, "completion", Input(Probability), D::Num(1.0), U::Share, PerTrial,
        "Finishing", "Chance of finishing the program."),
    key(Path, "placement", Input(Probability), D::Num(1.0), U::Share, PerTrial,
        "Placed in the new field", "Chance that a graduate is offered a job in the new field."),
    key(Path, "study_income_per_year", Input(NonNegative), D::Num(0.0), U::DollarsPerYear, PerTrial,
        "Stipend while studying", "A stipend or assistantship while studying (taxed)."),
    key(Path, "search_months", Input(NonNegative), D::Num(0.0), U::Months, PerTrial,
        "Months of job search", "Months from finishing to the new job."),
    key(Path, "fallback_months", Input(NonNegative), D::Num(0.0), U::Months, PerTrial,
        "Months before falling back", "Months before earning the old career's pay again, for those who fall back (0 when the old job is held for you, as on a leave)."),
    key(Path, "roles", RoleWeights, D::Required, U::None, Never,
        "Roles", "{ role = weight, ... }: which roles a placed graduate lands, and how often."),
    key(Path, "salary_premium", Input(Rate { lo: -1.0 }), D::Num(0.0), U::Fraction, PerTrial,
        "Credential premium", "Share added to the role's starting salary by the credential (may be negative)."),
    key(Path, "promotion_rate", Input(Probability), D::Num(0.0), U::Share, PerTrial,
        "Promotion", "Chance of the one promotion in each later year in the new field."),
    key(Path, "promotion_raise", Input(Rate { lo: -1.0 }), D::Num(0.0), U::Fraction, PerTrial,
        "Raise of the promotion", "Raise that the promotion brings."),
    key(Path, "costs", Table(Costs), D::Absent("no costs"), U::None, Never,
        "Costs", "What each month of study costs."),
    key(Path, "financing", Table(Financing), D::Absent("every cost paid out of pocket, with no limit"), U::None, Never,
        "Financing", "How the costs are paid: savings, federal, then private loans."),
    // [paths.NAME.costs]
    key(Costs, "tuition_per_year", Input(NonNegative), D::Num(0.0), U::DollarsPerYear, PerTrial,
        "Tuition per year", "Tuition, per year of study."),
    key(Costs, "fees_per_year", Input(NonNegative), D::Num(0.0), U::DollarsPerYear, PerTrial,
        "Fees per year", "Fees, per year of study."),
    key(Costs, "living_extra_per_month", Input(NonNegative), D::Num(0.0), U::DollarsPerMonth, PerTrial,
        "Extra living costs", "Housing, relocation and commuting beyond today's, per month of study."),
    key(Costs, "caregiver_per_month", Input(NonNegative), D::Num(0.0), U::DollarsPerMonth, PerTrial,
        "Caregiving", "Childcare or other care, per month of study."),
    key(Costs, "one_time", Input(NonNegative), D::Num(0.0), U::Dollars, PerTrial,
        "One-time costs", "A move, a laptop: paid in the first month."),
    key(Costs, "scholarship_per_year", Input(NonNegative), D::Num(0.0), U::DollarsPerYear, PerTrial,
        "Scholarship per year", "Reduces the cost of each month of study."),
    key(Costs, "employer_assistance_per_year", Input(NonNegative), D::Num(0.0), U::DollarsPerYear, PerTrial,
        "Employer assistance per year", "Tuition paid by the employer, per year of study."),
    // [paths.NAME.financing]
    key(Financing, "savings", Input(NonNegative), D::Num(0.0), U::Dollars, PerTrial,
        "Savings for the costs", "Savings available for the costs, in total."),
    key(Financing, "federal", Bool, D::Bool(false), U::None, Never,
        "Federal loans", "Whether federal Direct Unsubsidized loans are used (only for a program eligible for federal student aid, such as a degree at an accredited school; most bootcamps are not)."),
    key(Financing, "federal_rate", Input(Rate { lo: 0.0 }), D::Absent("required when federal = true"), U::Rate, PerTrial,
        "Federal loan rate", "Fixed nominal rate of the federal loans."),
    key(Financing, "federal_annual_limit", Number { lo: 0.0, hi: 1e9 }, D::Num(20_500.0), U::NominalDollars, Never,
        "Federal limit per year", "Most federal principal per 12 months of study."),
    key(Financing, "federal_aggregate_limit", Number { lo: 0.0, hi: 1e9 }, D::Num(100_000.0), U::NominalDollars, Never,
        "Federal limit in total", "Most federal principal in total."),
    key(Financing, "federal_fee", Number { lo: 0.0, hi: 0.5 }, D::Num(0.01057), U::Share, Never,
        "Federal origination fee", "Share of the principal deducted at disbursement."),
    key(Financing, "grace_months", Int { lo: 0, hi: 120 }, D::Num(6.0), U::Months, Never,
        "Grace period", "Months from the end of study to the first payment."),
    key(Financing, "repayment", Word(&["standard", "rap"]), D::Word("standard"), U::None, Never,
        "Federal repayment plan", "\"standard\" (fixed payments) or \"rap\" (the Repayment Assistance Plan)."),
    key(Financing, "private_rate", Input(Rate { lo: 0.0 }), D::Required, U::Rate, PerTrial,
        "Private loan rate", "Nominal rate of private loans, the last resort."),
    key(Financing, "private_term_years", Int { lo: 1, hi: 40 }, D::Num(10.0), U::Years, Never,
        "Private loan term", "Years over which private loans are repaid."),
    // [factors.NAME]
    key(Factor, "description", Text, D::Absent("none"), U::None, Never,
        "Description", "What the factor stands for, shown in the report."),
    key(Factor, "loadings", Loadings, D::Required, U::None, Never,
        "Loadings", "{ \"paths.*.completion\" = 0.5, ... }: how strongly each input follows the factor, from -1 to 1."),
    // [[thresholds]]
    key(Threshold, "vary", Text, D::Required, U::None, Never,
        "Key to vary", "The input or setting whose value is sought, as a key path (\"paths.masters.placement\")."),
    key(Threshold, "from", Number { lo: -MAX_VALUE, hi: MAX_VALUE }, D::Required, U::None, Never,
        "From", "Lowest value searched, in the key's own unit."),
    key(Threshold, "to", Number { lo: -MAX_VALUE, hi: MAX_VALUE }, D::Required, U::None, Never,
        "To", "Highest value searched."),
    key(Threshold, "path", Text, D::Required, U::None, Never,
        "Path", "The path whose figure is compared, by key."),
    key(Threshold, "versus", Text, D::Absent("the baseline"), U::None, Never,
        "Versus", "The path it is compared with, by key."),
    key(Threshold, "metric", Word(&["prob_beats", "median", "mean"]), D::Word("prob_beats"), U::None, Never,
        "Metric", "\"prob_beats\" (share of lives the path comes out ahead), \"median\" or \"mean\" (of the difference, today's dollars)."),
    key(Threshold, "target", Number { lo: -MAX_VALUE, hi: MAX_VALUE }, D::Absent("0.5 for prob_beats, 0 for median and mean"), U::None, Never,
        "Target", "The metric's value whose crossing is sought."),
    // [[sweeps]]
    key(Sweep, "x", Table(Axis), D::Required, U::None, Never,
        "First key", "{ vary = \"KEY\", from = LO, to = HI, points = N } or { vary = \"KEY\", values = [...] }."),
    key(Sweep, "y", Table(Axis), D::Absent("a sweep of one key"), U::None, Never,
        "Second key", "A second key and its values, as `x`: every pair of values is a point."),
    key(Sweep, "versus", Text, D::Absent("the baseline"), U::None, Never,
        "Versus", "A path every other is also compared with, by key."),
    // x and y of [[sweeps]]
    key(Axis, "vary", Text, D::Required, U::None, Never,
        "Key to vary", "The input or setting to vary, as a key path; a distribution's parameter is allowed (\"paths.bootcamp.placement.mean\")."),
    key(Axis, "from", Number { lo: -MAX_VALUE, hi: MAX_VALUE }, D::Absent("give `values` instead"), U::None, Never,
        "From", "First value of an evenly spaced range."),
    key(Axis, "to", Number { lo: -MAX_VALUE, hi: MAX_VALUE }, D::Absent("give `values` instead"), U::None, Never,
        "To", "Last value of the range."),
    key(Axis, "points", Int { lo: 2, hi: MAX_POINTS }, D::Num(11.0), U::Count, Never,
        "Points", "Values in the range, both ends included."),
    key(Axis, "values", Values, D::Absent("give `from` and `to` instead"), U::None, Never,
        "Values", "The values, listed: numbers, or words for a key that takes words ([\"standard\", \"rap\"])."),
];

/// Largest magnitude of a number in `[[thresholds]]` and `[[sweeps]]`: the +-1e12 within
/// which the statistics are exact.
pub const MAX_VALUE: f64 = 1e12;

/// Most values of one key in a sweep (a range's `points`, or a list).
pub const MAX_POINTS: i64 = 101;

/// Most factors a scenario may declare.
pub const MAX_FACTORS: usize = 8;

/// The keys of a section, in declaration order.
pub fn keys(section: Section) -> impl Iterator<Item = &'static KeyDef> {
    KEYS.iter().filter(move |k| k.section == section)
}

/// The names of a section's keys, for lists of allowed keys.
pub fn names(section: Section) -> Vec<&'static str> {
    keys(section).map(|k| k.name).collect()
}

/// The definition of `name` in `section`.
///
/// # Panics
/// When the key is not declared: a bug in the caller, never a user's input.
pub fn def(section: Section, name: &str) -> &'static KeyDef {
    keys(section)
        .find(|k| k.name == name)
        .unwrap_or_else(|| panic!("{name} is not a key of {}", section.header()))
}

/// The section and key definition a key path names (`paths.bootcamp.costs.tuition_per_year`,
/// `roles.ml_engineer.salary`), with the names of the path and role it goes through. `None`
/// when the format has no such key.
pub fn lookup(path: &str) -> Option<(&'static KeyDef, Vec<&str>)> {
    let parts: Vec<&str> = path.split('.').collect();
    let (section, names, rest): (Section, Vec<&str>, &[&str]) = match parts.as_slice() {
        [one] => (Root, vec![], std::slice::from_ref(one)),
        ["simulation", rest @ ..] => (Simulation, vec![], rest),
        ["economy", rest @ ..] => (Economy, vec![], rest),
        ["tax", rest @ ..] => (Tax, vec![], rest),
        ["person", rest @ ..] => (Person, vec![], rest),
        ["roles", name, rest @ ..] => (Role, vec![*name], rest),
        ["paths", name, "costs", rest @ ..] if !rest.is_empty() => (Costs, vec![*name], rest),
        ["paths", name, "financing", rest @ ..] if !rest.is_empty() => {
            (Financing, vec![*name], rest)
        }
        ["paths", name, rest @ ..] => (Path, vec![*name], rest),
        ["factors", name, rest @ ..] => (Factor, vec![*name], rest),
        _ => return None,
    };
    match rest {
        [name] => keys(section).find(|k| k.name == *name).map(|k| (k, names)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_unique_within_a_section() {
        for s in Section::ALL {
            let mut n = names(s);
            let before = n.len();
            n.sort_unstable();
            n.dedup();
            assert_eq!(n.len(), before, "{s:?} declares a key twice");
        }
    }

    #[test]
    fn every_sub_table_is_declared_once() {
        for s in Section::ALL.into_iter().filter(|s| *s != Root) {
            let parents = KEYS
                .iter()
                .filter(|k| matches!(k.ty, Table(t) | Named(t) | Tables(t) if t == s))
                .count();
            // A sweep's two axes share one section.
            let want = if s == Axis { 2 } else { 1 };
            assert_eq!(parents, want, "{s:?}");
        }
    }

    #[test]
    fn lookup_finds_keys_by_path() {
        let (k, names) = lookup("paths.bootcamp.costs.tuition_per_year").unwrap();
        assert_eq!(
            (k.section, k.name, names),
            (Costs, "tuition_per_year", vec!["bootcamp"])
        );
        assert_eq!(lookup("roles.ml.salary").unwrap().0.section, Role);
        assert_eq!(lookup("paths.x.placement").unwrap().0.name, "placement");
        assert_eq!(lookup("economy.inflation").unwrap().0.name, "inflation");
        assert!(lookup("paths.x.tuition_per_year").is_none());
        assert!(lookup("person.wage").is_none());
        assert!(lookup("").is_none());
    }

    #[test]
    fn defaults_fit_their_types() {
        for k in KEYS {
            match (k.ty, k.default) {
                (Int { lo, hi }, D::Num(x)) => {
                    assert!((lo as f64..=hi as f64).contains(&x), "{}", k.name)
                }
                (Number { lo, hi }, D::Num(x)) => assert!((lo..=hi).contains(&x), "{}", k.name),
                (Input(_), D::Num(_) | D::Required | D::Absent(_)) => {}
                (Word(w), D::Word(x)) => assert!(w.contains(&x), "{}", k.name),
                (Bool, D::Bool(_)) => {}
                (_, D::Required | D::Absent(_)) => {}
                (ty, d) => panic!("{}: default {d:?} for {ty:?}", k.name),
            }
        }
    }
}
