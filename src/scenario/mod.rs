//! Scenario files: the TOML format of docs/scenario-format.md, loaded with spans and
//! validated, so that every mistake becomes an error a person can act on.
//!
//! [`load`] reads a file and returns either a [`Scenario`] whose every numeric input is a
//! compiled, checked [`Param`], or a [`LoadError`] listing every problem of the file with its
//! line, column and key path.

mod diagnostic;
pub mod json_schema;
mod names;
pub mod overrides;
mod param;
mod parse;
pub mod questions;
mod reader;
pub mod schema;
pub mod template;

use std::path::{Path, PathBuf};

pub use diagnostic::{Diagnostic, LoadError, SourceMap};
pub use overrides::Override;
pub use param::{Domain, Param, fmt_num};
pub use parse::{EVENT_INPUTS, unfollowed_factor};

/// A validated scenario: one person, the roles they could land, the paths open to them.
///
/// Its uncertain inputs are not fields: they are [`Param`]s in [`Scenario::inputs`], each
/// under its key path (`paths.bootcamp.placement`), so that code can list, find and replace
/// any of them; the structs below hold only the settings that are not inputs.
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
    /// `[tax]`.
    pub tax: Tax,
    /// `[person]`.
    pub person: Person,
    /// `[roles.*]`, in file order.
    pub roles: Vec<Role>,
    /// `[paths.*]`, in file order; exactly one is the baseline.
    pub paths: Vec<PathSpec>,
    /// Every uncertain input, defaults included, in file order of its table.
    pub inputs: Vec<Param>,
    /// `[factors.*]`, in file order, their patterns expanded to input keys.
    pub factors: Vec<Factor>,
    /// `[[thresholds]]`, in file order.
    pub thresholds: Vec<questions::Threshold>,
    /// `[[sweeps]]`, in file order.
    pub sweeps: Vec<questions::Sweep>,
    /// Every input and setting as used, defaults included, for the report.
    pub assumptions: Vec<Assumption>,
    /// Things that are allowed but probably not meant (no `[tax]`: the run is untaxed).
    pub warnings: Vec<String>,
}

impl Scenario {
    /// The input under a key path (`paths.bootcamp.placement`), if the scenario has it.
    pub fn input(&self, key: &str) -> Option<&Param> {
        self.inputs.iter().find(|p| p.key == key)
    }
}

/// One row of the report's assumptions table: an input or setting as it was used.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Assumption {
    /// Key path (`paths.bootcamp.completion`).
    pub key: String,
    /// The value or distribution in words (`lognormal(median 72,000, p90 95,000)`).
    pub value: String,
    /// True when the key was left out and took its default.
    pub default: bool,
    /// True when the value came from the command line (`--set`, `--trials`, `--seed`).
    pub overridden: bool,
}

/// `[factors.NAME]`: a hidden trait shared by every path that moves several inputs together.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    /// Key (`ability`).
    pub key: String,
    /// What it stands for (may be empty).
    pub description: String,
    /// (input key, loading) for every input it moves, patterns expanded.
    pub loadings: Vec<(String, f64)>,
}

/// `[simulation]`: how many trials, from which seed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Simulation {
    /// Trials per path (the cap, when there is a target precision).
    pub trials: u64,
    /// Seed of the random number generator.
    pub seed: u64,
    /// Target 95% half-width of every share beating another path, in (0, 0.5]: stop as
    /// soon as it is reached. `None`: run every trial.
    pub precision: Option<f64>,
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

/// The marginal rate of a bracket schedule's whole bill (brackets and state rate on income
/// above the deduction, payroll taxes below their caps) just above gross income `g`: what
/// the model compiles its tax from, and what a check of the file warns about.
pub fn marginal_rate(
    standard_deduction: f64,
    brackets: &[(f64, f64)],
    payroll: &[Payroll],
    state_rate: f64,
    g: f64,
) -> f64 {
    let taxable = g - standard_deduction;
    let mut rate = 0.0;
    if taxable >= 0.0 {
        rate += state_rate;
        // The bracket that holds incomes just above `taxable`.
        if let Some(&(_, r)) = brackets.iter().rev().find(|b| b.0 <= taxable) {
            rate += r;
        }
    }
    for p in payroll {
        if p.cap.is_none_or(|c| g < c) {
            rate += p.rate;
        }
    }
    rate
}

/// The gross incomes at which a bracket schedule's marginal rate may change, increasing from
/// 0: the deduction, the deduction plus each bracket's threshold, each payroll cap.
pub fn rate_changes(
    standard_deduction: f64,
    brackets: &[(f64, f64)],
    payroll: &[Payroll],
) -> Vec<f64> {
    let mut starts = vec![0.0, standard_deduction];
    starts.extend(brackets.iter().map(|b| standard_deduction + b.0));
    starts.extend(payroll.iter().filter_map(|p| p.cap));
    starts.retain(|&g| g >= 0.0 && g.is_finite());
    starts.sort_by(f64::total_cmp);
    starts.dedup();
    starts
}

/// One payroll tax.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Payroll {
    /// Rate on wages.
    pub rate: f64,
    /// Wages above this are not taxed.
    pub cap: Option<f64>,
}

/// `[person]`: the settings of the person (the inputs are under `person.*`).
#[derive(Debug, Clone)]
pub struct Person {
    /// Age at the decision (year 0).
    pub age: u32,
    /// The horizon ends the year before this age.
    pub retirement_age: u32,
    /// Dependents, for RAP.
    pub dependents: u32,
    /// Who this is (may be empty).
    pub description: String,
}

/// `[roles.*]`: a job the person could land (its inputs are under `roles.KEY.*`).
#[derive(Debug, Clone)]
pub struct Role {
    /// Key (`ml_engineer`).
    pub key: String,
    /// Label for reports (defaults to the key).
    pub label: String,
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

/// The settings of an alternative path (its inputs are under `paths.KEY.*`).
#[derive(Debug, Clone)]
pub struct Alternative {
    /// (index into `Scenario::roles`, normalized weight).
    pub roles: Vec<(usize, f64)>,
    /// How costs are paid; `None`: out of pocket, with no limit.
    pub financing: Option<Financing>,
}

impl Alternative {
    /// Whether the path can lead to role `role` (an index into `Scenario::roles`): it is in
    /// the path's `roles` with a weight above 0.
    pub fn leads_to(&self, role: usize) -> bool {
        self.roles.iter().any(|&(r, w)| r == role && w > 0.0)
    }
}

/// Federal repayment plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Repayment {
    /// Fixed amortization, term set by the balance.
    Standard,
    /// The Repayment Assistance Plan.
    Rap,
}

/// The settings of `[paths.*.financing]` (its rates and savings are inputs).
#[derive(Debug, Clone)]
pub struct Financing {
    /// Whether federal Direct Unsubsidized loans are used.
    pub federal: bool,
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
    /// Private amortization term, years.
    pub private_term_years: u32,
}

/// Largest scenario file read, in bytes: far above any real scenario (a few kilobytes), low
/// enough that a wrong path (`/dev/zero`, a disk image) fails at once instead of filling
/// the memory.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The stem of a scenario file, `analyst` for `scenarios/analyst.toml`: the name of its
/// output folder ([`Scenario::stem`]), known even when the file does not load.
pub fn stem_of(file: &Path) -> String {
    file.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Read and validate one scenario file.
///
/// # Errors
/// Every problem of the file at once: unreadable file, TOML syntax, unknown keys, wrong
/// types, impossible values.
pub fn load(file: &Path) -> Result<Scenario, LoadError> {
    load_bytes(&read(file)?, file, &[])
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

/// Validate the bytes of a scenario file read once (so that its hash and its contents are
/// of the same bytes), with command-line overrides applied first.
///
/// # Errors
/// As [`load`]; a problem with an override names `--set KEY`.
pub fn load_bytes(
    bytes: &[u8],
    file: &Path,
    overrides: &[Override],
) -> Result<Scenario, LoadError> {
    from_bytes(bytes, file, overrides, parse::scenario)
}

/// As [`load_bytes`], for one point of a question (its value among `overrides`): the
/// questions' own points, tried when the file was first loaded, are not tried again.
///
/// # Errors
/// As [`load_bytes`].
pub fn load_point(
    bytes: &[u8],
    file: &Path,
    overrides: &[Override],
) -> Result<Scenario, LoadError> {
    from_bytes(bytes, file, overrides, parse::point)
}

type Parser = fn(&str, &Path, &[Override]) -> Result<Scenario, Vec<Diagnostic>>;

fn from_bytes(
    bytes: &[u8],
    file: &Path,
    overrides: &[Override],
    parse: Parser,
) -> Result<Scenario, LoadError> {
    match std::str::from_utf8(bytes) {
        // A byte-order mark (some Windows editors write one) is not part of the text.
        Ok(src) => with_file(
            parse(src.strip_prefix('\u{feff}').unwrap_or(src), file, overrides),
            file,
        ),
        Err(e) => {
            let at = e.valid_up_to();
            let text = String::from_utf8_lossy(bytes).into_owned();
            Err(LoadError {
                file: file.to_path_buf(),
                diagnostics: vec![Diagnostic::new(
                    file,
                    &text,
                    at..at + 1,
                    "",
                    "bytes that are not UTF-8 text",
                    "a TOML text file (UTF-8)",
                )],
            })
        }
    }
}

/// Validate scenario text as if read from `file` (which locates `empirical` data files and
/// names the scenario).
///
/// # Errors
/// As [`load`].
pub fn load_str(src: &str, file: &Path) -> Result<Scenario, LoadError> {
    load_with(src, file, &[])
}

/// Validate scenario text with command-line overrides applied first.
///
/// # Errors
/// As [`load_bytes`].
pub fn load_with(src: &str, file: &Path, overrides: &[Override]) -> Result<Scenario, LoadError> {
    with_file(parse::scenario(src, file, overrides), file)
}

/// A parse's problems as the error of loading `file`.
fn with_file(
    parsed: Result<Scenario, Vec<Diagnostic>>,
    file: &Path,
) -> Result<Scenario, LoadError> {
    parsed.map_err(|diagnostics| LoadError {
        file: file.to_path_buf(),
        diagnostics,
    })
}

/// The subfolders of the folders among `paths` that hold `*.toml` files, which
/// [`discover`] does not read (it is not recursive): a batch kept in `clients/` with an
/// `old/` beside would otherwise leave those files out without a word. In name order.
pub fn unread_subfolders(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.is_dir())
        .filter_map(|p| std::fs::read_dir(p).ok())
        .flat_map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())))
        .filter(|d| {
            d.is_dir()
                && std::fs::read_dir(d).is_ok_and(|mut inner| {
                    inner.any(|e| {
                        e.is_ok_and(|e| {
                            let f = e.path();
                            !f.is_dir() && f.extension().is_some_and(|x| x == "toml")
                        })
                    })
                })
        })
        .collect();
    out.sort();
    out
}

/// The scenario files a list of paths names: files as given, folders by their `*.toml`
/// entries that are not folders, in name order (not recursive).
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
                // Not only files: a link to nowhere named like a scenario is said (it cannot
                // be read) rather than skipped without a word.
                .filter(|f| !f.is_dir() && f.extension().is_some_and(|x| x == "toml"))
                .collect();
            found.sort();
            if found.is_empty() {
                return Err(format!("no *.toml scenario files in {}", p.display()));
            }
            out.extend(found);
        } else if p.exists() {
            out.push(p.clone());
        } else {
            if p.as_os_str() == "scenarios" {
                return Err(
                    "no scenarios/ folder here (worthit runs every *.toml in it by default): give \
                     a scenario file or folder (`worthit run my.toml`), or write a commented one \
                     with `worthit init my.toml`"
                        .to_string(),
                );
            }
            return Err(format!("no such file or folder: {}", p.display()));
        }
    }
    // The same file named twice (`run c1 c1/x.toml`, or by two spellings of its path) runs
    // once, where it was first named. Under another name (a link `current.toml` to
    // `v3.toml`) it writes another folder, and runs again.
    let mut seen = std::collections::HashSet::new();
    out.retain(|f| {
        let real = std::fs::canonicalize(f).unwrap_or_else(|_| f.clone());
        seen.insert((real, f.file_name().map(ToOwned::to_owned)))
    });
    Ok(out)
}
