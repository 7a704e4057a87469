//! Synthetic summaries for the report tests: a realistic four-path scenario computed from
//! simulated trials, and a degenerate one that exercises every edge case of the charts.

use std::sync::OnceLock;

use crate::stats::summary::{
    Assumption, Bin, MoneySummary, PairSummary, PathSummary, Quantiles, ScenarioSummary,
    TimelinePoint,
};

const AGE: u32 = 27;
const RETIREMENT_AGE: u32 = 65;
const TRIALS: usize = 20_000;
const DISCOUNT: f64 = 1.03;

/// A tiny deterministic generator (xorshift64*), so the fixture needs no RNG crate API.
struct Rng(u64);

impl Rng {
    fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        ((x >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

/// How a synthetic path differs from staying put.
struct PathModel {
    key: &'static str,
    label: &'static str,
    cost: f64,
    years: u32,
    placement: f64,
    median_gain: f64,
    sigma: f64,
    debt: f64,
}

const MODELS: [PathModel; 3] = [
    PathModel {
        key: "masters",
        label: "ML master's (in person)",
        cost: 95_000.0,
        years: 2,
        placement: 0.62,
        median_gain: 24_000.0,
        sigma: 0.45,
        debt: 60_000.0,
    },
    PathModel {
        key: "bootcamp",
        label: "Bootcamp",
        cost: 24_000.0,
        years: 1,
        placement: 0.42,
        median_gain: 16_000.0,
        sigma: 0.55,
        debt: 12_000.0,
    },
    PathModel {
        key: "self_study",
        label: "Self-study",
        cost: 9_000.0,
        years: 1,
        placement: 0.28,
        median_gain: 13_000.0,
        sigma: 0.6,
        debt: 0.0,
    },
];

/// Cumulative discounted net return after each year of one simulated trial.
fn trial_path(model: &PathModel, rng: &mut Rng, ability: f64) -> Vec<f64> {
    let placed = rng.uniform() < (model.placement + 0.1 * ability).clamp(0.02, 0.98);
    let gain = if placed {
        model.median_gain * (model.sigma * rng.normal() + 0.2 * ability).exp()
    } else {
        1_500.0 * rng.normal()
    };
    let cost = model.cost * (1.0 + 0.15 * rng.normal()).max(0.3);
    let mut total = 0.0;
    (0..RETIREMENT_AGE - AGE)
        .map(|t| {
            let flow = if t < model.years {
                -cost / f64::from(model.years)
            } else {
                gain
            };
            total += flow / DISCOUNT.powi(t as i32);
            total
        })
        .collect()
}

fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

fn quantiles(sorted: &[f64]) -> Quantiles {
    Quantiles {
        p5: quantile(sorted, 0.05),
        p10: quantile(sorted, 0.10),
        p25: quantile(sorted, 0.25),
        p50: quantile(sorted, 0.50),
        p75: quantile(sorted, 0.75),
        p90: quantile(sorted, 0.90),
        p95: quantile(sorted, 0.95),
    }
}

fn money_summary(values: &[f64]) -> MoneySummary {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1.0);
    MoneySummary {
        mean,
        sd: var.sqrt(),
        min: sorted[0],
        max: sorted[sorted.len() - 1],
        q: quantiles(&sorted),
    }
}

/// A histogram on `count` equal bins over `lo..hi`, the edge bins collecting the tails.
fn histogram(values: &[f64], lo: f64, hi: f64, count: usize) -> Vec<Bin> {
    let width = (hi - lo) / count as f64;
    let mut bins: Vec<Bin> = (0..count)
        .map(|i| Bin {
            lower: lo + width * i as f64,
            upper: lo + width * (i + 1) as f64,
            count: 0,
        })
        .collect();
    for v in values {
        let i = (((v - lo) / width).floor().max(0.0) as usize).min(count - 1);
        bins[i].count += 1;
    }
    bins
}

fn cdf(values: &[f64]) -> Vec<(f64, f64)> {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    (0..=200)
        .map(|i| {
            let q = f64::from(i) / 200.0;
            (quantile(&sorted, q), q)
        })
        .collect()
}

fn path_summary(
    key: &str,
    label: &str,
    baseline: bool,
    debt: f64,
    cumulative: &[Vec<f64>],
) -> PathSummary {
    let years = cumulative[0].len();
    let net: Vec<f64> = cumulative.iter().map(|c| c[years - 1]).collect();
    let timeline = (0..years)
        .map(|t| {
            let mut at: Vec<f64> = cumulative.iter().map(|c| c[t]).collect();
            at.sort_by(f64::total_cmp);
            TimelinePoint {
                year: t as u32,
                age: AGE + t as u32,
                p10: quantile(&at, 0.10),
                p25: quantile(&at, 0.25),
                p50: quantile(&at, 0.50),
                p75: quantile(&at, 0.75),
                p90: quantile(&at, 0.90),
            }
        })
        .collect::<Vec<_>>();
    let breakeven = timeline
        .iter()
        .position(|t| t.p50 >= 0.0)
        .filter(|_| !baseline);
    PathSummary {
        key: key.to_string(),
        label: label.to_string(),
        baseline,
        trials: net.len() as u64,
        net: money_summary(&net),
        npv: money_summary(&net.iter().map(|v| v + 1_400_000.0).collect::<Vec<_>>()),
        prob_beats_baseline: net.iter().filter(|v| **v > 0.0).count() as f64 / net.len() as f64,
        breakeven_p50_years: breakeven.map(|t| t as f64),
        prob_no_breakeven: net.iter().filter(|v| **v < 0.0).count() as f64 / net.len() as f64,
        completion_rate: if baseline { 1.0 } else { 0.85 },
        placement_rate: if baseline { 0.0 } else { 0.5 },
        mean_debt: debt,
        p90_debt: debt * 1.6,
        prob_debt: if debt > 0.0 { 0.7 } else { 0.0 },
        repaid_p50_years: (debt > 0.0).then_some(8.5),
        prob_not_repaid: if debt > 0.0 { 0.04 } else { 0.0 },
        prob_payment_over_10pct: if debt > 20_000.0 { 0.22 } else { 0.0 },
        role_shares: vec![0.3, 0.2],
        histogram: histogram(&net, -150_000.0, 900_000.0, 60),
        timeline,
        cdf: if baseline {
            vec![(0.0, 0.0), (0.0, 1.0)]
        } else {
            cdf(&net)
        },
    }
}

fn pair_summary(a: &PathSummary, b: &PathSummary, net_a: &[f64], net_b: &[f64]) -> PairSummary {
    let diff: Vec<f64> = net_a.iter().zip(net_b).map(|(x, y)| x - y).collect();
    let mut sorted = diff.clone();
    sorted.sort_by(f64::total_cmp);
    let (lo, hi) = (quantile(&sorted, 0.005), quantile(&sorted, 0.995));
    PairSummary {
        a: a.key.clone(),
        b: b.key.clone(),
        prob_a_beats_b: diff.iter().filter(|d| **d > 0.0).count() as f64 / diff.len() as f64,
        mean_diff: diff.iter().sum::<f64>() / diff.len() as f64,
        p5_diff: quantile(&sorted, 0.05),
        p50_diff: quantile(&sorted, 0.5),
        p95_diff: quantile(&sorted, 0.95),
        histogram: if hi > lo {
            histogram(&diff, lo, hi, 60)
        } else {
            histogram(&diff, lo - 1.0, lo + 1.0, 1)
        },
    }
}

/// A realistic scenario: staying put and three retraining paths, 20,000 correlated trials.
/// Simulated once per test process (it takes seconds in an unoptimised build) and cloned.
pub(crate) fn realistic() -> ScenarioSummary {
    static CACHE: OnceLock<ScenarioSummary> = OnceLock::new();
    CACHE
        .get_or_init(|| {
            let models: Vec<&PathModel> = MODELS.iter().collect();
            simulate(&models, TRIALS)
        })
        .clone()
}

/// A scenario with the most paths a scenario may hold: staying put and eleven retraining
/// paths (variations on the three of [`realistic`]), with long labels, 4,000 trials.
pub(crate) fn many() -> ScenarioSummary {
    static CACHE: OnceLock<ScenarioSummary> = OnceLock::new();
    CACHE.get_or_init(simulate_many).clone()
}

/// The simulation behind [`many`].
fn simulate_many() -> ScenarioSummary {
    const NAMES: [(&str, &str); 11] = [
        ("masters_in_person", "Full-time ML master's, in person"),
        ("masters_online", "Part-time online master's while working"),
        ("bootcamp", "Full-time data-science bootcamp"),
        ("self_study", "Self-study while working"),
        ("masters_abroad", "Full-time master's abroad, lower tuition"),
        ("phd", "Funded PhD in machine learning"),
        ("certificate", "University certificate, evenings"),
        ("bootcamp_part_time", "Part-time bootcamp while working"),
        ("masters_employer", "Employer-sponsored master's"),
        ("internal_move", "Internal transfer with mentoring"),
        ("mba", "MBA with an analytics track"),
    ];
    let models: Vec<PathModel> = NAMES
        .iter()
        .enumerate()
        .map(|(i, &(key, label))| {
            let base = &MODELS[i % MODELS.len()];
            let scale = 0.7 + 0.09 * i as f64;
            PathModel {
                key,
                label,
                cost: base.cost * scale,
                years: base.years,
                placement: (base.placement * (1.25 - 0.05 * i as f64)).clamp(0.1, 0.9),
                median_gain: base.median_gain * (1.3 - 0.05 * i as f64),
                sigma: base.sigma,
                debt: base.debt * scale,
            }
        })
        .collect();
    let refs: Vec<&PathModel> = models.iter().collect();
    let mut summary = simulate(&refs, 4_000);
    summary.name = "Analyst, 27: eleven ways into machine learning".to_string();
    summary.stem = "many".to_string();
    summary
}

/// Simulates `trials` correlated trials of staying put and each model's path.
fn simulate(models: &[&PathModel], trials: usize) -> ScenarioSummary {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let years = (RETIREMENT_AGE - AGE) as usize;
    let mut cumulative: Vec<Vec<Vec<f64>>> = vec![vec![vec![0.0; years]; trials]];
    cumulative.extend(models.iter().map(|_| Vec::with_capacity(trials)));
    for _ in 0..trials {
        let ability = rng.normal();
        for (i, model) in models.iter().enumerate() {
            cumulative[i + 1].push(trial_path(model, &mut rng, ability));
        }
    }
    let mut paths = vec![path_summary(
        "stay",
        "Stay as a data analyst",
        true,
        0.0,
        &cumulative[0],
    )];
    for (i, model) in models.iter().enumerate() {
        paths.push(path_summary(
            model.key,
            model.label,
            false,
            model.debt,
            &cumulative[i + 1],
        ));
    }
    let nets: Vec<Vec<f64>> = cumulative
        .iter()
        .map(|trials| trials.iter().map(|c| c[years - 1]).collect())
        .collect();
    let mut pairs = Vec::new();
    for (i, a) in paths.iter().enumerate() {
        for (j, b) in paths.iter().enumerate() {
            if i != j {
                pairs.push(pair_summary(a, b, &nets[i], &nets[j]));
            }
        }
    }
    ScenarioSummary {
        name: "Data analyst, 27, Columbus OH".to_string(),
        description: "A data analyst earning $72,000 weighs an ML master's, a bootcamp or \
                      self-study against staying put."
            .to_string(),
        stem: "analyst".to_string(),
        trials: trials as u64,
        seed: 42,
        age: AGE,
        retirement_age: RETIREMENT_AGE,
        roles: vec!["ml_engineer".to_string(), "data_scientist".to_string()],
        paths,
        pairs,
    }
}

/// The assumptions of the realistic scenario, one of them left at its default.
pub(crate) fn assumptions() -> Vec<Assumption> {
    vec![
        Assumption {
            key: "person.salary".to_string(),
            value: "lognormal(median 72,000, p90 95,000)".to_string(),
            default: false,
        },
        Assumption {
            key: "paths.bootcamp.completion".to_string(),
            value: "beta(mean 0.8, sd 0.1)".to_string(),
            default: false,
        },
        Assumption {
            key: "financing.repayment".to_string(),
            value: "standard".to_string(),
            default: true,
        },
    ]
}

/// The smallest scenario the charts must survive: one path besides staying put, every
/// trial in one bin, zero-width ranges and a horizon of one year.
pub(crate) fn degenerate() -> ScenarioSummary {
    let point = TimelinePoint {
        year: 0,
        age: 64,
        p10: 0.0,
        p25: 0.0,
        p50: 0.0,
        p75: 0.0,
        p90: 0.0,
    };
    let flat = MoneySummary::default();
    let bin = Bin {
        lower: 0.0,
        upper: 0.0,
        count: 10,
    };
    let path = |key: &str, baseline: bool| PathSummary {
        key: key.to_string(),
        label: key.to_string(),
        baseline,
        trials: 10,
        net: flat,
        npv: flat,
        prob_beats_baseline: 0.0,
        breakeven_p50_years: None,
        prob_no_breakeven: 1.0,
        completion_rate: 1.0,
        placement_rate: 0.0,
        mean_debt: 0.0,
        p90_debt: 0.0,
        prob_debt: 0.0,
        repaid_p50_years: None,
        prob_not_repaid: 0.0,
        prob_payment_over_10pct: 0.0,
        role_shares: Vec::new(),
        histogram: vec![bin],
        timeline: vec![point],
        cdf: vec![(0.0, 1.0)],
    };
    let pair = |a: &str, b: &str| PairSummary {
        a: a.to_string(),
        b: b.to_string(),
        prob_a_beats_b: 0.0,
        mean_diff: 0.0,
        p5_diff: 0.0,
        p50_diff: 0.0,
        p95_diff: 0.0,
        histogram: vec![bin],
    };
    ScenarioSummary {
        name: "Degenerate".to_string(),
        description: String::new(),
        stem: "degenerate".to_string(),
        trials: 10,
        seed: 0,
        age: 64,
        retirement_age: 65,
        roles: Vec::new(),
        paths: vec![path("stay", true), path("only", false)],
        pairs: vec![pair("stay", "only"), pair("only", "stay")],
    }
}
