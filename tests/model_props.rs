//! Properties of the model over many trials: sampled rates and means match the analytic values
//! of their distributions (within 4 standard errors), common random numbers hold across paths,
//! random valid scenarios never give a non-finite number, and the engine's result does not
//! depend on the thread count.
//!
//! Every seed and trial key is fixed, so each test gives the same answer on every run.

use std::path::Path;

use proptest::prelude::*;
use statrs::distribution::{ContinuousCDF, Normal};
use worthit::model::rng::Gen;
use worthit::model::{Model, Scratch, TrialOutcome, run_trial};
use worthit::scenario::{Scenario, load_str};

fn load(src: &str) -> Scenario {
    load_str(src, Path::new("props.toml"))
        .unwrap_or_else(|e| panic!("{e}\n--- scenario ---\n{src}"))
}

/// Run trials with keys `1..=n` (as the statistical tests need), calling `f` on each outcome.
fn for_trials(
    model: &Model,
    keys: impl IntoIterator<Item = u64>,
    mut f: impl FnMut(&TrialOutcome),
) {
    let mut scratch = Scratch::new(model);
    let mut out = TrialOutcome::new(model);
    for key in keys {
        run_trial::<Gen>(model, key, &mut scratch, &mut out);
        f(&out);
    }
}

/// Trial keys spread over u64 (a SplitMix-like sequence), fixed.
fn keys(n: u64) -> impl Iterator<Item = u64> {
    (1..=n).map(|i| i.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0x5eed)
}

fn path_index(model: &Model, key: &str) -> usize {
    model
        .paths
        .iter()
        .position(|p| p.key == key)
        .unwrap_or_else(|| panic!("no path {key}"))
}

/// `|got - want| <= 4 se`, with a message that shows all three.
fn within_4se(got: f64, want: f64, se: f64, what: &str) {
    assert!(
        se > 0.0 && se.is_finite(),
        "{what}: bad standard error {se}"
    );
    let z = (got - want) / se;
    assert!(
        z.abs() <= 4.0,
        "{what}: got {got}, expected {want} (se {se}, {z:.2} standard errors off)"
    );
}

/// Standard error of a share `p` estimated from `n` independent Bernoulli draws.
fn se_share(p: f64, n: f64) -> f64 {
    (p * (1.0 - p) / n).sqrt()
}

// ---------------------------------------------------------------------------------------------
// Statistical tests
// ---------------------------------------------------------------------------------------------

const TRIALS: u64 = 50_000;

/// Completion ~ Beta(3, 2) (mean 0.6), placement ~ Beta(4, 1) (mean 0.8). No tax, no
/// discounting, no inflation, a fixed baseline salary with a Beta(2, 18) (mean 0.1)
/// unemployment rate and 3-month spells. The new role's salary is lognormal (median 80,000,
/// p90 120,000); the program is 12 months of full-time study with no search, no raise and no
/// unemployment in the role, so a placed person's year-1 income is exactly the drawn salary.
const STATS: &str = r#"
name = "statistics"
[economy]
discount_rate = 0
inflation = 0
[tax]
effective_rate = 0
[person]
age = 30
retirement_age = 36
salary = 10_000
unemployment_rate = { dist = "beta", alpha = 2, beta = 18 }
unemployment_months = 3
[roles.r]
salary = { dist = "lognormal", median = 80_000, p90 = 120_000 }
[paths.stay]
baseline = true
[paths.retrain]
duration_months = 12
work_fraction = 0
completion = { dist = "beta", alpha = 3, beta = 2 }
placement = { dist = "beta", alpha = 4, beta = 1 }
search_months = 0
fallback_months = 2
roles = { r = 1 }
"#;

struct Tally {
    n: f64,
    completed: f64,
    dropped: f64,
    placed: f64,
    start_salaries: Vec<f64>,
    /// Per trial: the share of the baseline's years with an unemployment spell.
    spell_shares: Vec<f64>,
}

fn tally() -> (Model, Tally) {
    let model = Model::new(&load(STATS));
    let (base, alt) = (path_index(&model, "stay"), path_index(&model, "retrain"));
    let mut t = Tally {
        n: 0.0,
        completed: 0.0,
        dropped: 0.0,
        placed: 0.0,
        start_salaries: Vec::new(),
        spell_shares: Vec::new(),
    };
    for_trials(&model, keys(TRIALS), |out| {
        t.n += 1.0;
        let p = &out.paths[alt];
        if p.completed {
            t.completed += 1.0;
        } else {
            t.dropped += 1.0;
            assert!(!p.placed, "a dropout is never placed");
        }
        // The old job pays 10,000: no offer of this role (median 80,000; below 10,000 with a
        // chance of 3e-11) is declined, so every offer is a placement.
        assert!(!p.declined);
        if p.placed {
            assert!(p.completed, "only a finisher is placed");
            t.placed += 1.0;
            t.start_salaries.push(out.net(alt)[1]);
        }
        let net = out.net(base);
        for &x in net {
            assert!(
                x == 10_000.0 || (x - 7_500.0).abs() < 1e-6,
                "a baseline year earns the salary or loses 3 months of it: {x}"
            );
        }
        let spells = net.iter().filter(|&&x| x < 10_000.0 - 1e-6).count();
        t.spell_shares.push(spells as f64 / net.len() as f64);
    });
    (model, t)
}

#[test]
fn completion_dropout_and_placement_rates_match_the_beta_means() {
    let (_, t) = tally();
    let completion_mean = 3.0 / (3.0 + 2.0);
    let placement_mean = 4.0 / (4.0 + 1.0);
    // The completion probability is drawn from its beta, then a Bernoulli draw: each trial
    // completes with probability E[p] = alpha / (alpha + beta), independently of the others.
    within_4se(
        t.completed / t.n,
        completion_mean,
        se_share(completion_mean, t.n),
        "completion rate",
    );
    within_4se(
        t.dropped / t.n,
        1.0 - completion_mean,
        se_share(completion_mean, t.n),
        "dropout share",
    );
    assert_eq!(t.completed + t.dropped, t.n);
    let placed = completion_mean * placement_mean;
    within_4se(
        t.placed / t.n,
        placed,
        se_share(placed, t.n),
        "placement share",
    );
}

#[test]
fn the_mean_starting_salary_matches_the_lognormal_mean() {
    let (model, t) = tally();
    // Solved here, independently of the program: mu = ln(median), sigma = ln(p90 / median) / z90.
    let z90 = Normal::standard().inverse_cdf(0.9);
    let mu = 80_000f64.ln();
    let sigma = (120_000f64 / 80_000.0).ln() / z90;
    let want = (mu + sigma * sigma / 2.0).exp();
    // The compiled sampler agrees on the parameters.
    match &model
        .inputs
        .get(model.roles[0].input(worthit::model::inputs::RoleInput::Salary))
        .dist
    {
        worthit::dist::Dist::Normal {
            mean,
            sd,
            log: true,
        } => {
            assert!((mean - mu).abs() < 1e-9, "mu {mean} vs {mu}");
            assert!((sd - sigma).abs() < 1e-9, "sigma {sd} vs {sigma}");
        }
        other => panic!("role salary compiled to {other:?}, expected an untruncated lognormal"),
    }
    let n = t.start_salaries.len() as f64;
    assert!(n > 20_000.0, "too few placed trials: {n}");
    let mean = t.start_salaries.iter().sum::<f64>() / n;
    let var = t
        .start_salaries
        .iter()
        .map(|x| (x - mean).powi(2))
        .sum::<f64>()
        / (n - 1.0);
    // The analytic sd of the lognormal, cross-checked against the sample's.
    let sd_true = want * ((sigma * sigma).exp() - 1.0).sqrt();
    assert!(
        (var.sqrt() / sd_true - 1.0).abs() < 0.1,
        "sample sd {} vs lognormal sd {sd_true}",
        var.sqrt()
    );
    within_4se(mean, want, sd_true / n.sqrt(), "mean starting salary");
    assert!(t.start_salaries.iter().all(|&x| x > 0.0 && x.is_finite()));
}

#[test]
fn the_share_of_baseline_years_with_a_spell_matches_the_unemployment_rate() {
    let (_, t) = tally();
    // Years of one trial share its drawn rate, so the trials (not the years) are the
    // independent units: the standard error comes from the per-trial shares.
    let n = t.spell_shares.len() as f64;
    let mean = t.spell_shares.iter().sum::<f64>() / n;
    let var = t
        .spell_shares
        .iter()
        .map(|x| (x - mean).powi(2))
        .sum::<f64>()
        / (n - 1.0);
    within_4se(
        mean,
        2.0 / (2.0 + 18.0),
        (var / n).sqrt(),
        "unemployment share",
    );
}

#[test]
fn a_fixed_unemployment_rate_gives_that_share_of_spell_years() {
    // A fixed rate: every year is an independent Bernoulli draw.
    let src = STATS.replace(
        r#"unemployment_rate = { dist = "beta", alpha = 2, beta = 18 }"#,
        "unemployment_rate = 0.07",
    );
    let model = Model::new(&load(&src));
    let base = path_index(&model, "stay");
    let (mut years, mut spells) = (0.0, 0.0);
    for_trials(&model, keys(20_000), |out| {
        for &x in out.net(base) {
            years += 1.0;
            if x < 10_000.0 - 1e-6 {
                spells += 1.0;
            }
        }
    });
    within_4se(spells / years, 0.07, se_share(0.07, years), "spell share");
}

// ---------------------------------------------------------------------------------------------
// Common random numbers
// ---------------------------------------------------------------------------------------------

/// An uncertain baseline career (raises, unemployment) and two paths that always drop out
/// after their one month of study and fall back at once.
const CRN: &str = r#"
name = "common random numbers"
[economy]
discount_rate = { dist = "uniform", min = 0.0, max = 0.05 }
inflation = { dist = "uniform", min = 0.0, max = 0.04 }
[tax]
standard_deduction = 16_100
brackets = [[0, 0.10], [12_400, 0.12], [50_400, 0.22], [105_700, 0.24]]
payroll = [{ rate = 0.062, cap = 184_500 }, { rate = 0.0145 }]
state_rate = 0.05
[person]
age = 40
retirement_age = 52
salary = { dist = "lognormal", median = 70_000, p90 = 100_000 }
annual_raise = { dist = "normal", mean = 0.01, sd = 0.03 }
unemployment_rate = 0.15
unemployment_months = { dist = "uniform", min = 1, max = 9 }
[roles.r]
salary = { dist = "lognormal", median = 90_000, p90 = 130_000 }
annual_raise = { dist = "normal", mean = 0.02, sd = 0.02 }
unemployment_rate = 0.05
unemployment_months = { dist = "uniform", min = 1, max = 6 }
[paths.stay]
baseline = true
[paths.quit_a]
duration_months = 1
completion = 0
fallback_months = 0
roles = { r = 1 }
[paths.quit_b]
duration_months = 1
completion = 0
fallback_months = 0
work_fraction = 0.5
roles = { r = 1 }
[paths.quit_b.costs]
one_time = { dist = "uniform", min = 100, max = 900 }
"#;

/// A third path, appended or inserted first: it must not change the others' draws.
const EXTRA: &str = r#"
[paths.bootcamp]
duration_months = { dist = "uniform", min = 3, max = 9 }
completion = { dist = "beta", mean = 0.7, sd = 0.1 }
placement = 0.6
search_months = { dist = "uniform", min = 0, max = 6 }
fallback_months = { dist = "uniform", min = 0, max = 3 }
roles = { r = 1 }
[paths.bootcamp.costs]
tuition_per_year = { dist = "triangular", min = 10_000, mode = 15_000, max = 25_000 }
"#;

#[test]
fn paths_that_fall_back_earn_exactly_the_baseline_after_studying() {
    let model = Model::new(&load(CRN));
    let base = path_index(&model, "stay");
    let mut checked = 0;
    for_trials(&model, keys(2_000), |out| {
        for key in ["quit_a", "quit_b"] {
            let p = path_index(&model, key);
            let o = &out.paths[p];
            assert!(
                !o.completed && !o.placed && o.role.is_none(),
                "{key}: {o:?}"
            );
            // Study is month 0; from year 1 on the path earns the baseline's own B_t.
            for t in 1..out.horizon {
                assert_eq!(
                    out.net(p)[t].to_bits(),
                    out.net(base)[t].to_bits(),
                    "{key}, year {t}: {} vs the baseline's {}",
                    out.net(p)[t],
                    out.net(base)[t]
                );
                checked += 1;
            }
            // One month without pay in year 0: the path is behind the baseline.
            assert!(out.net(p)[0] < out.net(base)[0], "{key}: {:?}", out.net(p));
            assert!(o.net_return < 0.0);
            assert_eq!(o.breakeven, None);
        }
        // Both paths lose the same month of the same baseline: their cumulative returns
        // differ only by year 0.
        let (a, b) = (path_index(&model, "quit_a"), path_index(&model, "quit_b"));
        let shift = out.cum(a)[0] - out.cum(b)[0];
        for t in 1..out.horizon {
            let d = out.cum(a)[t] - out.cum(b)[t];
            assert!((d - shift).abs() <= 1e-6 * shift.abs().max(1.0), "year {t}");
        }
    });
    assert_eq!(checked, 2_000 * 2 * 11);
}

#[test]
fn adding_a_path_does_not_change_another_paths_draws() {
    let two = Model::new(&load(CRN));
    let three = Model::new(&load(&format!("{CRN}{EXTRA}")));
    // Inserted before the others: the path order changes too.
    let first = CRN.replacen("[paths.quit_a]", &format!("{EXTRA}\n[paths.quit_a]"), 1);
    let three_first = Model::new(&load(&first));
    assert_eq!(three.paths.len(), 4);
    assert_eq!(path_index(&three_first, "bootcamp"), 1);
    let collect = |m: &Model| {
        let mut v = Vec::new();
        for_trials(m, keys(1_000), |out| {
            let row: Vec<_> = ["stay", "quit_a", "quit_b"]
                .iter()
                .map(|k| {
                    let p = path_index(m, k);
                    (out.paths[p], out.net(p).to_vec(), out.cum(p).to_vec())
                })
                .collect();
            v.push(row);
        });
        v
    };
    let base = collect(&two);
    assert_eq!(base, collect(&three), "appending a path changed the others");
    assert_eq!(
        base,
        collect(&three_first),
        "inserting a path changed the others"
    );
}

#[test]
fn the_same_key_gives_the_same_trial_and_another_key_another() {
    let model = Model::new(&load(&format!("{CRN}{EXTRA}")));
    let run = |key: u64| {
        let mut out = TrialOutcome::new(&model);
        run_trial::<Gen>(&model, key, &mut Scratch::new(&model), &mut out);
        out
    };
    let (a, b, c) = (run(42), run(42), run(43));
    assert_eq!(a.paths, b.paths);
    assert_eq!(a.cum, b.cum);
    assert_eq!(a.net, b.net);
    assert_ne!(a.net, c.net);
}

// ---------------------------------------------------------------------------------------------
// Random valid scenarios: every number stays finite
// ---------------------------------------------------------------------------------------------

/// A distribution in TOML: a plain number, or one of the shapes of docs/scenario-format.md, all
/// around `x` (`x >= 0`) and never below 0.
fn dist_toml(x: f64, shape: u8) -> String {
    match shape % 5 {
        _ if x == 0.0 => "0".to_string(),
        0 => format!("{x}"),
        1 => format!(
            r#"{{ dist = "uniform", min = {}, max = {} }}"#,
            0.5 * x,
            1.5 * x
        ),
        2 => format!(
            r#"{{ dist = "triangular", min = 0, mode = {x}, max = {} }}"#,
            2.0 * x + 1.0
        ),
        3 => format!(
            r#"{{ dist = "pert", min = 0, mode = {x}, max = {} }}"#,
            2.0 * x + 1.0
        ),
        _ => format!(
            r#"{{ dist = "normal", mean = {x}, sd = {}, min = 0 }}"#,
            0.2 * x + 1.0
        ),
    }
}

/// A probability in TOML: plain, uniform or beta.
fn prob_toml(p: f64, shape: u8) -> String {
    let p = p.clamp(0.0, 1.0);
    match shape % 3 {
        0 => format!("{p}"),
        1 => format!(
            r#"{{ dist = "uniform", min = {}, max = {} }}"#,
            0.5 * p,
            (0.5 * p + 0.5).min(1.0)
        ),
        _ => {
            let m = p.clamp(0.05, 0.95);
            format!(
                r#"{{ dist = "beta", mean = {m}, sd = {} }}"#,
                0.1 * m * (1.0 - m)
            )
        }
    }
}

#[derive(Debug, Clone)]
struct Params {
    age: u32,
    horizon: u32,
    salary: f64,
    salary_shape: u8,
    raise: f64,
    urate: f64,
    umonths: f64,
    dependents: u32,
    discount: f64,
    inflation: f64,
    flat_tax: Option<f64>,
    role_salary: f64,
    role_premium: f64,
    paths: Vec<PathParams>,
}

#[derive(Debug, Clone)]
struct PathParams {
    duration: f64,
    work_fraction: f64,
    completion: f64,
    placement: f64,
    stipend: f64,
    search: f64,
    fallback: f64,
    tuition: f64,
    living: f64,
    one_time: f64,
    scholarship: f64,
    promotion_rate: f64,
    promotion_raise: f64,
    shapes: [u8; 8],
    financing: Option<FinParams>,
}

#[derive(Debug, Clone)]
struct FinParams {
    savings: f64,
    federal: bool,
    federal_rate: f64,
    rap: bool,
    annual_limit: f64,
    aggregate_limit: f64,
    private_rate: f64,
    private_term: u32,
    grace: u32,
}

/// Money from 0 to a million, with the edge values 0 and 1 often.
fn money() -> impl Strategy<Value = f64> {
    prop_oneof![
        1 => Just(0.0),
        1 => Just(1.0),
        6 => 0.0..1_000_000.0f64,
    ]
}

fn rate() -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(0.0), 1 => Just(1.0), 4 => 0.0..1.0f64]
}

fn months() -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(0.0), 1 => Just(1_000.0), 4 => 0.0..60.0f64]
}

fn fin_params() -> impl Strategy<Value = FinParams> {
    (
        (money(), any::<bool>(), 0.0..0.2f64, any::<bool>()),
        (
            prop_oneof![Just(0.0), 0.0..50_000.0f64],
            prop_oneof![Just(0.0), 0.0..200_000.0f64],
        ),
        (0.0..0.3f64, 1..40u32, 0..24u32),
    )
        .prop_map(
            |(
                (savings, federal, federal_rate, rap),
                (annual_limit, aggregate_limit),
                (private_rate, private_term, grace),
            )| FinParams {
                savings,
                federal,
                federal_rate,
                rap,
                annual_limit,
                aggregate_limit,
                private_rate,
                private_term,
                grace,
            },
        )
}

fn path_params() -> impl Strategy<Value = PathParams> {
    (
        (
            prop_oneof![Just(1.0), 1.0..60.0f64, Just(2_000.0)],
            rate(),
            rate(),
            rate(),
        ),
        (money(), months(), months(), money()),
        (money(), money(), money(), rate(), 0.0..1.0f64),
        (any::<[u8; 8]>(), proptest::option::of(fin_params())),
    )
        .prop_map(
            |(
                (duration, work_fraction, completion, placement),
                (stipend, search, fallback, tuition),
                (living, one_time, scholarship, promotion_rate, promotion_raise),
                (shapes, financing),
            )| PathParams {
                duration,
                work_fraction,
                completion,
                placement,
                stipend,
                search,
                fallback,
                tuition,
                living: living / 100.0,
                one_time,
                scholarship,
                promotion_rate,
                promotion_raise,
                shapes,
                financing,
            },
        )
}

fn params() -> impl Strategy<Value = Params> {
    (
        (
            18..70u32,
            prop_oneof![Just(1u32), 1..45u32],
            money(),
            any::<u8>(),
        ),
        (-0.05..0.08f64, rate(), 0.0..12.0f64, 0..5u32),
        (
            0.0..0.08f64,
            0.0..0.06f64,
            proptest::option::of(0.0..0.6f64),
        ),
        (money(), -0.5..0.5f64),
        proptest::collection::vec(path_params(), 1..4),
    )
        .prop_map(
            |(
                (age, horizon, salary, salary_shape),
                (raise, urate, umonths, dependents),
                (discount, inflation, flat_tax),
                (role_salary, role_premium),
                paths,
            )| Params {
                age,
                horizon,
                salary,
                salary_shape,
                raise,
                urate,
                umonths,
                dependents,
                discount,
                inflation,
                flat_tax,
                role_salary,
                role_premium,
                paths,
            },
        )
}

fn scenario_toml(p: &Params) -> String {
    use std::fmt::Write;
    let mut s = String::new();
    let tax = match p.flat_tax {
        Some(r) => format!("effective_rate = {r}"),
        None => "standard_deduction = 16_100\n\
                 brackets = [[0, 0.10], [12_400, 0.12], [50_400, 0.22], [105_700, 0.24]]\n\
                 payroll = [{ rate = 0.062, cap = 184_500 }, { rate = 0.0145 }]\n\
                 state_rate = 0.05"
            .to_string(),
    };
    // A lognormal salary needs a positive median.
    let salary = if p.salary_shape % 2 == 1 && p.salary > 0.0 {
        format!(
            r#"{{ dist = "lognormal", median = {}, p90 = {} }}"#,
            p.salary,
            p.salary * 1.5
        )
    } else {
        format!("{}", p.salary)
    };
    let role_salary = if p.role_salary > 0.0 {
        format!(
            r#"{{ dist = "lognormal", median = {}, p90 = {} }}"#,
            p.role_salary,
            p.role_salary * 1.4
        )
    } else {
        "0".to_string()
    };
    write!(
        s,
        r#"
name = "random"
[economy]
discount_rate = {discount}
inflation = {inflation}
[tax]
{tax}
[person]
age = {age}
retirement_age = {retire}
salary = {salary}
annual_raise = {{ dist = "normal", mean = {raise}, sd = 0.03 }}
unemployment_rate = {urate}
unemployment_months = {{ dist = "uniform", min = 0, max = {umonths_max} }}
dependents = {dependents}
[roles.r]
salary = {role_salary}
annual_raise = {{ dist = "normal", mean = 0.02, sd = 0.05 }}
unemployment_rate = {urate}
unemployment_months = {umonths}
[roles.q]
salary = {role_salary2}
[paths.stay]
baseline = true
"#,
        discount = p.discount,
        inflation = p.inflation,
        age = p.age,
        retire = p.age + p.horizon,
        raise = p.raise,
        urate = p.urate,
        umonths = p.umonths,
        umonths_max = p.umonths + 0.5,
        dependents = p.dependents,
        role_salary2 = p.role_salary * 0.8,
    )
    .unwrap();
    for (i, a) in p.paths.iter().enumerate() {
        let sh = a.shapes;
        write!(
            s,
            r#"
[paths.p{i}]
duration_months = {duration}
work_fraction = {wf}
completion = {completion}
placement = {placement}
study_income_per_year = {stipend}
search_months = {search}
fallback_months = {fallback}
roles = {{ r = 2, q = 1 }}
salary_premium = {premium}
promotion_rate = {promotion_rate}
promotion_raise = {promotion_raise}
[paths.p{i}.costs]
tuition_per_year = {tuition}
fees_per_year = 500
living_extra_per_month = {living}
one_time = {one_time}
scholarship_per_year = {scholarship}
"#,
            duration = dist_toml(a.duration, sh[0] % 3),
            wf = prob_toml(a.work_fraction, sh[1]),
            completion = prob_toml(a.completion, sh[2]),
            placement = prob_toml(a.placement, sh[3]),
            stipend = dist_toml(a.stipend, sh[4]),
            search = dist_toml(a.search, sh[5]),
            fallback = dist_toml(a.fallback, sh[6]),
            premium = p.role_premium,
            promotion_rate = a.promotion_rate,
            promotion_raise = a.promotion_raise,
            tuition = dist_toml(a.tuition, sh[7]),
            living = a.living,
            one_time = a.one_time,
            scholarship = a.scholarship,
        )
        .unwrap();
        if let Some(f) = &a.financing {
            write!(
                s,
                r#"
[paths.p{i}.financing]
savings = {savings}
federal = {federal}
federal_rate = {federal_rate}
federal_annual_limit = {annual}
federal_aggregate_limit = {aggregate}
repayment = "{plan}"
private_rate = {{ dist = "uniform", min = 0, max = {private_rate} }}
private_term_years = {term}
grace_months = {grace}
"#,
                savings = f.savings,
                federal = f.federal,
                federal_rate = f.federal_rate,
                annual = f.annual_limit,
                aggregate = f.aggregate_limit,
                plan = if f.rap { "rap" } else { "standard" },
                private_rate = f.private_rate,
                term = f.private_term,
                grace = f.grace,
            )
            .unwrap();
        }
    }
    s
}

/// Every number of every path's outcome is finite, and the outcome is consistent.
fn check_finite(model: &Model, out: &TrialOutcome, src: &str) {
    let h = out.horizon;
    assert_eq!(h, model.horizon);
    for (pi, o) in out.paths.iter().enumerate() {
        let ctx = || format!("path {} ({pi}), outcome {o:?}\n{src}", model.paths[pi].key);
        for (name, v) in [
            ("npv", o.npv),
            ("net_return", o.net_return),
            ("debt", o.debt),
        ] {
            assert!(v.is_finite(), "{name} = {v}: {}", ctx());
        }
        assert!(o.debt >= 0.0, "negative debt: {}", ctx());
        for (t, (&c, &n)) in out.cum(pi).iter().zip(out.net(pi)).enumerate() {
            assert!(
                c.is_finite() && n.is_finite(),
                "year {t}: cum {c}, net {n}: {}",
                ctx()
            );
        }
        let last = out.cum(pi)[h - 1];
        assert!(
            (o.net_return - last).abs() <= 1e-9 * last.abs().max(1.0),
            "net_return {} != last cum {last}: {}",
            o.net_return,
            ctx()
        );
        if o.net_return < 0.0 {
            assert_eq!(o.breakeven, None, "{}", ctx());
        }
        if let Some(b) = o.breakeven {
            assert!((b as usize) < h, "{}", ctx());
            assert!(
                out.cum(pi)[b as usize..].iter().all(|&c| c >= 0.0),
                "{}",
                ctx()
            );
        }
        if o.placed {
            assert!(o.completed && o.role.is_some(), "{}", ctx());
        }
        if let Some(m) = o.repaid_months {
            assert!(m as usize <= 12 * h, "{}", ctx());
        }
        if model.paths[pi].alt.is_none() {
            assert_eq!(o.net_return, 0.0);
        }
    }
}

/// The edge cases the brief names, by hand: zero search, certain placement, zero costs, a
/// zero interest rate, no income during repayment, a one-year horizon, a program longer than
/// the horizon, savings above every cost, RAP and standard, federal limits of 0.
const EDGES: &str = r#"
name = "edges"
[economy]
discount_rate = 0
inflation = 0
[tax]
effective_rate = 0
[person]
age = 30
retirement_age = 31
salary = 40_000
[roles.r]
salary = 90_000
[paths.stay]
baseline = true
[paths.free]
duration_months = 3
search_months = 0
placement = 1
roles = { r = 1 }
[paths.free.financing]
federal = true
federal_rate = 0
private_rate = 0
[paths.long_rap]
duration_months = 60
work_fraction = 0
placement = 0
fallback_months = 1_000_000
roles = { r = 1 }
[paths.long_rap.costs]
tuition_per_year = 30_000
[paths.long_rap.financing]
federal = true
federal_rate = 0.08
repayment = "rap"
grace_months = 0
private_rate = 0.1
[paths.no_income]
duration_months = 2
work_fraction = 0
placement = 0
fallback_months = 1_000_000
roles = { r = 1 }
[paths.no_income.costs]
tuition_per_year = 60_000
[paths.no_income.financing]
federal = true
federal_rate = 0
federal_annual_limit = 0
federal_aggregate_limit = 0
grace_months = 0
private_rate = 0
private_term_years = 1
[paths.rich]
duration_months = 6
completion = 0.5
roles = { r = 1 }
[paths.rich.costs]
tuition_per_year = 20_000
one_time = 5_000
[paths.rich.financing]
savings = 1_000_000
federal = true
federal_rate = 0.07
private_rate = 0.1
"#;

#[test]
fn edge_scenarios_stay_finite() {
    let model = Model::new(&load(EDGES));
    assert_eq!(model.horizon, 1);
    for_trials(&model, keys(200), |out| {
        check_finite(&model, out, EDGES);
        let free = &out.paths[path_index(&model, "free")];
        assert!(free.placed && free.debt == 0.0);
        // Savings cover everything: no debt.
        assert_eq!(out.paths[path_index(&model, "rich")].debt, 0.0);
        // 60,000 a year for 2 months, all on private loans at 0%: 10,000 of debt, none
        // repaid from an income of 0 within the one-year horizon... except by the payments
        // themselves, which are counted as cash out.
        let ni = &out.paths[path_index(&model, "no_income")];
        assert!((ni.debt - 10_000.0).abs() < 1e-6, "{ni:?}");
        assert!(ni.over_10pct, "payments with no income fail the 10% test");
    });
}

/// No CSV cell of a run's report is NaN or infinite.
fn check_csv_finite(scenario: &Scenario, stats: &worthit::stats::accumulate::RunStats, src: &str) {
    use worthit::report::csv;
    let model = Model::new(scenario);
    let summary = stats.summarize(&model, &worthit::app::about(scenario));
    for (name, bytes) in [
        ("summary.csv", csv::summary(&summary)),
        ("npv.csv", csv::npv(&summary)),
        ("pairwise.csv", csv::pairwise(&summary)),
        ("histogram.csv", csv::histogram(&summary)),
        ("pairwise_histogram.csv", csv::pairwise_histogram(&summary)),
        ("timeline.csv", csv::timeline(&summary)),
    ] {
        let text = String::from_utf8(bytes).unwrap();
        for cell in text.lines().skip(1).flat_map(|l| l.split(',')) {
            let lower = cell.to_ascii_lowercase();
            assert!(
                !lower.contains("nan") && !lower.contains("inf"),
                "{name} has a cell {cell:?}:\n{text}\n{src}"
            );
        }
    }
    for p in &summary.paths {
        for b in &p.histogram {
            assert!(
                b.lower.is_finite() && b.upper.is_finite() && b.lower < b.upper,
                "{b:?}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_valid_scenarios_give_finite_outcomes(p in params()) {
        let src = scenario_toml(&p);
        let scenario = load(&src);
        let model = Model::new(&scenario);
        for_trials(&model, [0, 1, 7, u64::MAX, 0xdead_beef], |out| check_finite(&model, out, &src));
        // And the statistics of a short run are finite in every file.
        let stats = worthit::engine::run(&model, 40, 3, 1, None).unwrap();
        check_csv_finite(&scenario, &stats, &src);
    }
}

/// Inputs far beyond any real value. A salary spread whose draws overflow, and a raise of
/// 1e8 a year, are refused by validation (rates are fractions within [-1, 1]); a raise of
/// 100% every year is valid but compounds past what the statistics hold exactly, and the run
/// is refused with an error naming the trial and path, instead of panicking or writing NaN.
#[test]
fn inputs_that_overflow_are_an_error_not_a_panic_or_nan() {
    let spread = STATS.replace(
        r#"salary = { dist = "lognormal", median = 80_000, p90 = 120_000 }"#,
        r#"salary = { dist = "lognormal", median = 1, p90 = 1e300 }"#,
    );
    assert!(worthit::scenario::load_str(&spread, std::path::Path::new("x.toml")).is_err());
    let huge = STATS.replace(
        r#"salary = { dist = "lognormal", median = 80_000, p90 = 120_000 }"#,
        "salary = 80_000\nannual_raise = 1e8",
    );
    assert!(worthit::scenario::load_str(&huge, std::path::Path::new("x.toml")).is_err());
    let src = STATS
        .replace(
            r#"salary = { dist = "lognormal", median = 80_000, p90 = 120_000 }"#,
            "salary = 80_000\nannual_raise = 1",
        )
        .replace("retirement_age = 36", "retirement_age = 120");
    let scenario = load(&src);
    let model = Model::new(&scenario);
    let Err(err) = worthit::engine::run(&model, 5_000, 1, 2, None) else {
        panic!("a salary doubling for 90 years ran");
    };
    let msg = err.to_string();
    assert!(
        matches!(err, worthit::engine::EngineError::OutOfRange { .. }),
        "{msg}"
    );
    assert!(msg.contains("retrain") && !msg.contains('\n'), "{msg}");
}

/// Huge but finite outcomes that are all equal: the histogram's bins are still finite and
/// increasing (a fixed padding of a few dollars vanished into 1e31 and gave NaN edges).
#[test]
fn huge_equal_outcomes_still_get_finite_histogram_bins() {
    use worthit::stats::accumulate::nice_edges;
    for x in [0.0, 1e6, -3e12, 1e20, 1e31, -1e300] {
        let e = nice_edges(x, x, 60);
        assert!(e.len() >= 2, "{x}: {e:?}");
        assert!(e.iter().all(|v| v.is_finite()), "{x}: {e:?}");
        assert!(e.windows(2).all(|w| w[0] < w[1]), "{x}: {e:?}");
        assert!(e[0] <= x && x <= e[e.len() - 1], "{x}: {e:?}");
    }
    // The largest salary validation accepts (a billion); 1e30 is refused with a location.
    let refused = STATS.replace("salary = 10_000", "salary = 1e30");
    assert!(worthit::scenario::load_str(&refused, std::path::Path::new("x.toml")).is_err());
    let src = STATS
        .replace("salary = 10_000", "salary = 1e9")
        .replace(
            "unemployment_rate = { dist = \"beta\", alpha = 2, beta = 18 }",
            "",
        )
        .replace("unemployment_months = 3", "")
        .replace(
            r#"salary = { dist = "lognormal", median = 80_000, p90 = 120_000 }"#,
            "salary = 1",
        )
        .replace(r#"completion = { dist = "beta", alpha = 3, beta = 2 }"#, "")
        .replace(r#"placement = { dist = "beta", alpha = 4, beta = 1 }"#, "");
    let scenario = load(&src);
    let model = Model::new(&scenario);
    let stats = worthit::engine::run(&model, 2_000, 1, 2, None).unwrap();
    check_csv_finite(&scenario, &stats, &src);
}

// ---------------------------------------------------------------------------------------------
// The engine
// ---------------------------------------------------------------------------------------------

#[test]
fn engine_results_do_not_depend_on_the_thread_count() {
    let src = format!("{CRN}{EXTRA}");
    let scenario = load(&src);
    let model = Model::new(&scenario);
    // Not a multiple of the batch size, so the last batch is partial.
    let trials = 5 * worthit::engine::BATCH_TRIALS + 77;
    let one = worthit::engine::run(&model, trials, 99, 1, None).unwrap();
    let three = worthit::engine::run(&model, trials, 99, 3, None).unwrap();
    assert_eq!(one.trials(), trials);
    assert!(one == three, "threads 1 and 3 gave different statistics");
    let summary = three.summarize(&model, &worthit::app::about(&scenario));
    assert_eq!(summary.trials, trials);
    assert!(summary.paths.iter().all(|p| p.trials == trials));
    let other_seed = worthit::engine::run(&model, trials, 100, 3, None).unwrap();
    assert!(one != other_seed, "another seed gave the same statistics");
    // Progress counts every trial.
    let progress = std::sync::atomic::AtomicU64::new(0);
    let with_progress = worthit::engine::run(&model, trials, 99, 2, Some(&progress)).unwrap();
    assert_eq!(progress.into_inner(), trials);
    assert!(with_progress == one);
}
