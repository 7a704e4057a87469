//! Scenario files: the TOML format of model.md sections 9 to 11, loaded with spans and
//! validated, so that every mistake becomes an error a person can act on.
//!
//! [`load`] reads a file and returns either a [`Scenario`] whose every numeric input is a
//! compiled, checked [`Param`], or a [`LoadError`] listing every problem of the file with its
//! line, column and key path.

mod diagnostic;
mod names;
mod param;
mod parse;
mod reader;
pub mod template;

use std::path::{Path, PathBuf};

pub use diagnostic::{Diagnostic, LoadError, SourceMap};
pub use param::{Domain, Param, fmt_num};

use crate::stats::summary::Assumption;

/// A validated scenario: one person, the roles they could land, the paths open to them.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The file it was read from.
    pub file: PathBuf,
    /// The file's stem: the output folder's name.
    pub stem: String,
    /// `name` (defaults to the stem).
    pub name: String,
    /// `description` (may be empty).
    pub description: String,
    /// `[simulation]`.
    pub simulation: Simulation,
    /// `[economy]`.
    pub economy: Economy,
    /// `[tax]`.
    pub tax: Tax,
    /// `[person]`.
    pub person: Person,
    /// `[roles.*]`, in file order.
    pub roles: Vec<Role>,
    /// `[paths.*]`, in file order; exactly one is the baseline.
    pub paths: Vec<PathSpec>,
    /// Every input as used, defaults included, for the report.
    pub assumptions: Vec<Assumption>,
}

/// `[simulation]`: how many trials, from which seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Simulation {
    /// Trials per path.
    pub trials: u64,
    /// Seed of the random number generator.
    pub seed: u64,
}

/// `[economy]`: drawn once per trial and shared by every path.
#[derive(Debug, Clone)]
pub struct Economy {
    /// Real discount rate.
    pub discount_rate: Param,
    /// Inflation (deflates the nominal loan payments and turns real income into AGI).
    pub inflation: Param,
}

/// `[tax]`: a flat effective rate, or a bracket schedule.
#[derive(Debug, Clone, PartialEq)]
pub enum Tax {
    /// A flat share of gross income.
    Effective(f64),
    /// Brackets on income above the standard deduction, payroll taxes and a flat state rate.
    Schedule {
        /// Deducted from gross income before the brackets and the state rate.
        standard_deduction: f64,
        /// (threshold, rate), thresholds increasing.
        brackets: Vec<(f64, f64)>,
        /// Payroll taxes on wages up to an optional cap.
        payroll: Vec<Payroll>,
        /// Flat state rate on income above the standard deduction.
        state_rate: f64,
    },
}

/// One payroll tax.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Payroll {
    /// Rate on wages.
    pub rate: f64,
    /// Wages above this are not taxed.
    pub cap: Option<f64>,
}

/// `[person]`: the person and the current job (the baseline career).
#[derive(Debug, Clone)]
pub struct Person {
    /// Age at the decision (year 0).
    pub age: u32,
    /// The horizon ends the year before this age.
    pub retirement_age: u32,
    /// This year's salary in the current job.
    pub salary: Param,
    /// Real raise, drawn afresh each year.
    pub annual_raise: Param,
    /// Probability of an unemployment spell in a year.
    pub unemployment_rate: Param,
    /// Months of a spell (clamped to 0..12).
    pub unemployment_months: Param,
    /// Dependents, for RAP.
    pub dependents: u32,
}

/// `[roles.*]`: a job the person could land, with its salary distribution.
#[derive(Debug, Clone)]
pub struct Role {
    /// Key (`ml_engineer`).
    pub key: String,
    /// Label for reports (defaults to the key).
    pub label: String,
    /// Salary in the year the job starts.
    pub salary: Param,
    /// Real raise, drawn afresh each year.
    pub annual_raise: Param,
    /// Probability of an unemployment spell in a year.
    pub unemployment_rate: Param,
    /// Months of a spell (clamped to 0..12).
    pub unemployment_months: Param,
}

/// `[paths.*]`: the baseline, or an alternative.
#[derive(Debug, Clone)]
pub struct PathSpec {
    /// Key (`masters_in_person`).
    pub key: String,
    /// Label for reports (defaults to the key).
    pub label: String,
    /// Optional longer description.
    pub description: String,
    /// `None` for the baseline path.
    pub alternative: Option<Alternative>,
}

impl PathSpec {
    /// Whether this is the baseline path.
    pub fn is_baseline(&self) -> bool {
        self.alternative.is_none()
    }
}

/// An alternative path: study, then a job in the new field or a fall back.
#[derive(Debug, Clone)]
pub struct Alternative {
    /// Months of study (rounded, at least 1).
    pub duration_months: Param,
    /// Share of the baseline earnings kept while studying.
    pub work_fraction: Param,
    /// Probability of completing.
    pub completion: Param,
    /// Probability of being placed in the field after completing.
    pub placement: Param,
    /// Stipend or assistantship income while studying, per year.
    pub study_income_per_year: Param,
    /// Months from finishing to the new job (no earnings).
    pub search_months: Param,
    /// Months without earnings before falling back to the old career.
    pub fallback_months: Param,
    /// (index into `Scenario::roles`, normalized weight).
    pub roles: Vec<(usize, f64)>,
    /// Credential effect on the starting salary.
    pub salary_premium: Param,
    /// Probability of a promotion in each later year (at most one).
    pub promotion_rate: Param,
    /// Raise of the promotion.
    pub promotion_raise: Param,
    /// Costs per month of study.
    pub costs: Costs,
    /// How costs are paid; `None`: out of pocket, with no limit.
    pub financing: Option<Financing>,
}

/// `[paths.*.costs]`, real dollars.
#[derive(Debug, Clone)]
pub struct Costs {
    /// Tuition per year of study.
    pub tuition_per_year: Param,
    /// Fees per year.
    pub fees_per_year: Param,
    /// Housing, relocation, commuting beyond today's, per month.
    pub living_extra_per_month: Param,
    /// Caregiving per month of study.
    pub caregiver_per_month: Param,
    /// Added to month 0 (a move, a laptop).
    pub one_time: Param,
    /// Scholarship per year (reduces the monthly cost).
    pub scholarship_per_year: Param,
    /// Employer tuition assistance per year (reduces the monthly cost).
    pub employer_assistance_per_year: Param,
}

/// Federal repayment plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repayment {
    /// Fixed amortization, term set by the balance.
    Standard,
    /// The Repayment Assistance Plan.
    Rap,
}

/// `[paths.*.financing]`.
#[derive(Debug, Clone)]
pub struct Financing {
    /// Savings available for costs, real dollars, in total.
    pub savings: Param,
    /// Whether federal Direct Unsubsidized loans are used.
    pub federal: bool,
    /// Federal nominal rate (required when `federal`).
    pub federal_rate: Option<Param>,
    /// Principal limit per 12 months of study.
    pub federal_annual_limit: f64,
    /// Principal limit in total.
    pub federal_aggregate_limit: f64,
    /// Origination fee, a share of the principal.
    pub federal_fee: f64,
    /// Months between the end of study and the first payment.
    pub grace_months: u32,
    /// Federal plan.
    pub repayment: Repayment,
    /// Private nominal rate, drawn per trial.
    pub private_rate: Param,
    /// Private amortization term.
    pub private_term_years: u32,
}

/// Largest scenario file read, in bytes: far above any real scenario (a few kilobytes), low
/// enough that a wrong path (`/dev/zero`, a disk image) fails at once instead of filling
/// the memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// Read and validate one scenario file.
///
/// # Errors
/// Every problem of the file at once: unreadable file, TOML syntax, unknown keys, wrong
/// types, impossible values.
pub fn load(file: &Path) -> Result<Scenario, LoadError> {
    load_bytes(&read(file)?, file)
}

/// The bytes of a scenario file, read once (so that a caller can hash and parse the same
/// bytes, even from `/dev/stdin`), and at most [`MAX_FILE_BYTES`] of them.
///
/// # Errors
/// A file that cannot be read, a folder, or a file larger than the limit: one diagnostic.
pub fn read(file: &Path) -> Result<Vec<u8>, LoadError> {
    use std::io::Read;
    let unreadable = |found: String, allowed: &str| LoadError {
        file: file.to_path_buf(),
        diagnostics: vec![Diagnostic::new(file, "", 0..0, "", found, allowed)],
    };
    let readable = "a readable scenario file";
    if std::fs::metadata(file).is_ok_and(|m| m.is_dir()) {
        return Err(unreadable("a folder".to_string(), readable));
    }
    let mut bytes = Vec::new();
    std::fs::File::open(file)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| unreadable(format!("a file that cannot be read: {e}"), readable))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(unreadable(
            "a file of more than 16 MiB".to_string(),
            "a scenario file of at most 16 MiB",
        ));
    }
    Ok(bytes)
}

/// Validate the bytes of a scenario file read from `file` (which locates `empirical` data
/// files and names the scenario).
///
/// # Errors
/// As [`load`]; bytes that are not UTF-8 are one diagnostic at the first bad byte.
pub fn load_bytes(bytes: &[u8], file: &Path) -> Result<Scenario, LoadError> {
    let src = match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => {
            let at = e.valid_up_to();
            let text = String::from_utf8_lossy(bytes);
            return Err(LoadError {
                file: file.to_path_buf(),
                diagnostics: vec![Diagnostic::new(
                    file,
                    &text,
                    at..at + 1,
                    "",
                    "bytes that are not UTF-8 text",
                    "a TOML text file (UTF-8)",
                )],
            });
        }
    };
    load_str(src, file)
}

/// Validate scenario text as if read from `file` (which locates `empirical` data files and
/// names the scenario).
///
/// # Errors
/// As [`load`].
pub fn load_str(src: &str, file: &Path) -> Result<Scenario, LoadError> {
    parse::scenario(src, file).map_err(|diagnostics| LoadError {
        file: file.to_path_buf(),
        diagnostics,
    })
}

/// The scenario files a list of paths names: files as given, folders by their `*.toml`
/// files in name order (not recursive).
///
/// # Errors
/// A path that does not exist or a folder that cannot be listed.
pub fn discover(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(p)
                .map_err(|e| format!("cannot list {}: {e}", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.is_file() && f.extension().is_some_and(|x| x == "toml"))
                .collect();
            found.sort();
            if found.is_empty() {
                return Err(format!("no *.toml scenario files in {}", p.display()));
            }
            out.extend(found);
        } else if p.exists() {
            out.push(p.clone());
        } else {
            return Err(format!("no such file or folder: {}", p.display()));
        }
    }
    Ok(out)
}
