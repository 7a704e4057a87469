//! Correlated inputs through factors: a loaded input keeps its distribution, two inputs
//! loaded on one factor have the Spearman correlation `6/pi asin(l_i l_j / 2)`, an event's
//! probability is unchanged on average and rises with the factor; every mistake in a
//! `[factors]` table is a located error.

use std::path::Path;

use worthit::model::Model;
use worthit::model::rng::{Gen, trial_key};
use worthit::model::trial::Draws;
use worthit::scenario;

const N: u64 = 20_000;

const BASE: &str = r#"
[person]
age = 30
retirement_age = 60
salary = 60_000
[roles.ml]
salary = { dist = "lognormal", median = 110_000, p90 = 160_000 }
[paths.stay]
baseline = true
[paths.a]
duration_months = 12
completion = { dist = "beta", mean = 0.7, sd = 0.1 }
placement = 0.6
search_months = { dist = "uniform", min = 1, max = 9 }
roles = { ml = 1 }
[paths.a.costs]
tuition_per_year = { dist = "triangular", min = 10_000, mode = 20_000, max = 50_000 }
"#;

const FACTORS: &str = r#"
[factors.ability]
description = "How strong a candidate"
loadings = { "paths.*.completion" = 0.6, "roles.*.salary" = 0.5, "paths.*.search_months" = -0.4 }
[factors.market]
loadings = { "paths.*.search_months" = -0.5, "paths.a.costs.tuition_per_year" = 0.3 }
"#;

fn model(extra: &str) -> Model {
    let src = format!("{BASE}{extra}");
    let s = scenario::load_str(&src, Path::new("f.toml")).unwrap_or_else(|e| panic!("{e}"));
    Model::new(&s)
}

/// (values of input `a`, values of input `b`) over N trials.
fn draws(m: &Model, a: &str, b: &str) -> (Vec<f64>, Vec<f64>) {
    let (ia, ib) = (m.inputs.find(a).unwrap(), m.inputs.find(b).unwrap());
    let alt = m.paths[1].alt.as_ref().unwrap();
    (0..N)
        .map(|i| {
            let d = Draws::<Gen>::new(m, trial_key(9, i));
            let v = |id: usize| {
                if m.inputs.get(id).key.starts_with("roles.") {
                    d.input_on(id, alt)
                } else {
                    d.input(id)
                }
            };
            (v(ia), v(ib))
        })
        .unzip()
}

fn ks(xs: &[f64], cdf: impl Fn(f64) -> f64) -> f64 {
    let mut v = xs.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len() as f64;
    v.iter()
        .enumerate()
        .map(|(i, &x)| {
            let f = cdf(x);
            (f - i as f64 / n).abs().max((f - (i + 1) as f64 / n).abs())
        })
        .fold(0.0, f64::max)
}

fn ranks(xs: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..xs.len()).collect();
    idx.sort_by(|&a, &b| xs[a].total_cmp(&xs[b]));
    let mut r = vec![0.0; xs.len()];
    for (rank, &i) in idx.iter().enumerate() {
        r[i] = rank as f64;
    }
    r
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let cov: f64 = a.iter().zip(b).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = a.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = b.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

#[test]
fn a_loaded_input_keeps_its_distribution() {
    let m = model(FACTORS);
    let (salaries, search) = draws(&m, "roles.ml.salary", "paths.a.search_months");
    let (tuition, _) = draws(
        &m,
        "paths.a.costs.tuition_per_year",
        "paths.a.search_months",
    );
    // KS limit at 1% for n = 20,000: 1.63 / sqrt(n) = 0.0115.
    let limit = 1.63 / (N as f64).sqrt();
    for (name, xs, key) in [
        ("salary", &salaries, "roles.ml.salary"),
        ("search", &search, "paths.a.search_months"),
        ("tuition", &tuition, "paths.a.costs.tuition_per_year"),
    ] {
        let dist = &m.inputs.get(m.inputs.find(key).unwrap()).dist;
        let d = ks(xs, |x| dist.cdf(x));
        assert!(d < limit, "{name}: KS {d} >= {limit}");
        // ...and the test would see a shift: the same draws moved by a tenth of a sd fail.
        let sd = {
            let mean = xs.iter().sum::<f64>() / xs.len() as f64;
            (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len() as f64).sqrt()
        };
        let shifted: Vec<f64> = xs.iter().map(|x| x + 0.1 * sd).collect();
        assert!(
            ks(&shifted, |x| dist.cdf(x)) > limit,
            "{name}: the KS test cannot fail"
        );
    }
}

#[test]
fn two_loaded_inputs_have_the_spearman_correlation_of_their_loadings() {
    let m = model(FACTORS);
    // Salary (ability 0.5) and search months (ability -0.4, market -0.5): normal-score
    // correlation 0.5 x -0.4 = -0.2 (market loads only search).
    let (sal, search) = draws(&m, "roles.ml.salary", "paths.a.search_months");
    let rho = pearson(&ranks(&sal), &ranks(&search));
    let want = 6.0 / std::f64::consts::PI * (-0.2f64 / 2.0).asin();
    // The sampling sd of a Spearman correlation near -0.19 with n = 20,000 is about
    // (1 - rho^2) / sqrt(n) = 0.0069; allow 4 of them.
    assert!(
        (rho - want).abs() < 0.028,
        "spearman {rho}, expected {want}"
    );
    // Tuition (market 0.3) and search (market -0.5, ability -0.4): 0.3 x -0.5 = -0.15.
    let (tui, search) = draws(
        &m,
        "paths.a.costs.tuition_per_year",
        "paths.a.search_months",
    );
    let rho = pearson(&ranks(&tui), &ranks(&search));
    let want = 6.0 / std::f64::consts::PI * (-0.15f64 / 2.0).asin();
    assert!(
        (rho - want).abs() < 0.028,
        "spearman {rho}, expected {want}"
    );
    // Without factors, independent.
    let m = model("");
    let (sal, search) = draws(&m, "roles.ml.salary", "paths.a.search_months");
    assert!(pearson(&ranks(&sal), &ranks(&search)).abs() < 0.028);
}

#[test]
fn completion_is_as_likely_on_average_and_likelier_for_a_strong_candidate() {
    let m = model(FACTORS);
    let alt = m.paths[1].alt.as_ref().unwrap();
    let id = m.inputs.find("paths.a.completion").unwrap();
    let (mut all, mut n_high, mut high) = (0.0, 0.0, 0.0);
    for i in 0..N {
        let d = Draws::<Gen>::new(&m, trial_key(3, i));
        let p = d.input(id);
        let done = d.event(id, p, alt.events.completion);
        all += f64::from(u8::from(done));
        if d.factor(0) > 1.0 {
            n_high += 1.0;
            high += f64::from(u8::from(done));
        }
    }
    let n = N as f64;
    // E[p] = 0.7: the share of finishers stays 0.7 within 4 standard errors.
    let se = (0.7 * 0.3 / n).sqrt();
    assert!((all / n - 0.7).abs() < 4.0 * se, "P(finish) {}", all / n);
    // Among the top 16% (factor > 1) it is clearly higher.
    assert!(
        high / n_high > 0.8,
        "P(finish | ability > 1) {}",
        high / n_high
    );
}

fn errors(extra: &str) -> String {
    let src = format!("{BASE}{extra}");
    match scenario::load_str(&src, Path::new("f.toml")) {
        Ok(_) => panic!("accepted: {extra}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn every_mistake_in_factors_is_a_located_error() {
    let line = BASE.lines().count() + 1;
    for (extra, says) in [
        (
            "[factors.a]\nloadings = { \"person.annual_raise\" = 0.5 }\n",
            "drawn afresh each year",
        ),
        (
            "[factors.a]\nloadings = { \"roles.*.annual_raise\" = 0.5 }\n",
            "drawn afresh each year",
        ),
        (
            "[factors.a]\nloadings = { \"person.salary\" = 0.5 }\n",
            "fixed value",
        ),
        (
            "[factors.a]\nloadings = { \"paths.*.nothing\" = 0.5 }\n",
            "matches no input",
        ),
        // A typo in a path, a role or an input's name: the key meant is suggested.
        (
            "[factors.a]\nloadings = { \"paths.b.search_months\" = 0.5 }\n",
            "matches no input of this scenario (did you mean `paths.a.search_months`?)",
        ),
        (
            "[factors.a]\nloadings = { \"roles.ml.salry\" = 0.5 }\n",
            "(did you mean `roles.ml.salary`?)",
        ),
        (
            "[factors.a]\nloadings = { \"paths.*.complesion\" = 0.5 }\n",
            "(did you mean `paths.*.completion`?)",
        ),
        (
            "[factors.a]\nloadings = { \"paths.*.search_months\" = 1.5 }\n",
            "from -1 to 1",
        ),
        ("[factors.a]\nloadings = {}\n", "empty"),
        ("[factors.a]\ndescription = \"x\"\n", "no `loadings`"),
        (
            "[factors.a]\nloadings = { \"paths.*.search_months\" = 0.8 }\n[factors.b]\nloadings = { \"paths.a.search_months\" = 0.7 }\n",
            "sum to 1.13",
        ),
    ] {
        let e = errors(extra);
        assert!(e.contains(says), "{extra}: {e}");
        // Located in the factor's table, below the rest of the file.
        let at = (line - 1..line + 4).any(|l| e.contains(&format!("f.toml:{l}:")));
        assert!(at, "{extra}: {e}");
    }
    // A wildcard skips a path whose input is fixed (a second path with no search at all).
    let two = format!(
        "{BASE}[paths.b]\nduration_months = 3\nroles = {{ ml = 1 }}\n[factors.a]\nloadings = {{ \"paths.*.search_months\" = -0.5 }}\n"
    );
    let s = scenario::load_str(&two, Path::new("f.toml")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        s.factors[0].loadings,
        vec![("paths.a.search_months".to_string(), -0.5)]
    );
    // The events of completion and placement may be loaded even when fixed.
    let ok = format!("{BASE}[factors.a]\nloadings = {{ \"paths.*.placement\" = 0.5 }}\n");
    scenario::load_str(&ok, Path::new("f.toml")).unwrap_or_else(|e| panic!("{e}"));
}

/// An input a factor names that a `--set` or a question fixes (a threshold on the search's
/// months, a sweep of the tuition) is not refused as a fixed value loaded by mistake: the
/// loading is left out at those values, and the person is told where.
#[test]
fn an_input_fixed_by_an_override_or_a_question_no_longer_follows_its_factor() {
    let named = format!(
        "{BASE}[factors.a]\nloadings = {{ \"paths.a.search_months\" = -0.5, \"paths.a.costs.tuition_per_year\" = 0.3 }}\n"
    );
    let set = scenario::Override::parse("paths.a.search_months=3").unwrap();
    let s = scenario::load_bytes(named.as_bytes(), Path::new("f.toml"), &[set])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        s.factors[0].loadings,
        vec![("paths.a.costs.tuition_per_year".to_string(), 0.3)]
    );
    let line = named.lines().count();
    let of_factors = |w: &[String]| -> Vec<String> {
        w.iter().filter(|w| w.contains("factor")).cloned().collect()
    };
    assert_eq!(
        of_factors(&s.warnings),
        [
            "--set paths.a.search_months=3: `paths.a.search_months` is set to a fixed value, so factor `a` no longer moves it; to keep it correlated, set a parameter of its distribution instead (`paths.a.search_months.min`, `paths.a.search_months.max`)"
        ]
    );
    // Without the override, the file is as it was.
    let s = scenario::load_str(&named, Path::new("f.toml")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.factors[0].loadings.len(), 2);
    assert!(of_factors(&s.warnings).is_empty(), "{:?}", s.warnings);
    // A question in the file that fixes it: said at its key, and its points load.
    let asked = format!(
        "{named}[[thresholds]]\nvary = \"paths.a.search_months\"\nfrom = 0\nto = 12\npath = \"a\"\n"
    );
    let s = scenario::load_str(&asked, Path::new("f.toml")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        of_factors(&s.warnings),
        [format!(
            "line {}, column 8: thresholds[0].vary: at each value tried, `paths.a.search_months` is a fixed value, so factor `a` no longer moves it; to keep it correlated, vary a parameter of its distribution instead (`paths.a.search_months.min`, `paths.a.search_months.max`)",
            line + 2
        )]
    );
    // A `*` whose one input with a distribution an override fixes, the others fixed in the
    // file (a path with no search): its loading is left out, not refused as a loading of
    // fixed values only; the factor, left with nothing to move, is left out too.
    let wild = format!(
        "{BASE}[paths.b]\nduration_months = 3\nroles = {{ ml = 1 }}\n[factors.a]\nloadings = {{ \"paths.*.search_months\" = -0.5 }}\n"
    );
    let set = scenario::Override::parse("paths.a.search_months=3").unwrap();
    let s = scenario::load_bytes(wild.as_bytes(), Path::new("f.toml"), &[set])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(s.factors.is_empty(), "{:?}", s.factors);
    // Said on the flag: the `*` of the file as written loads it.
    assert_eq!(of_factors(&s.warnings).len(), 1, "{:?}", s.warnings);
    assert!(of_factors(&s.warnings)[0].starts_with("--set paths.a.search_months=3: "));
    // Said once, by the question, not by the `*` for the path that never followed it.
    let asked = format!(
        "{wild}[[thresholds]]\nvary = \"paths.a.search_months\"\nfrom = 0\nto = 12\npath = \"a\"\n"
    );
    let s = scenario::load_str(&asked, Path::new("f.toml")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(of_factors(&s.warnings).len(), 1, "{:?}", s.warnings);
    let set_b = scenario::Override::parse("paths.b.search_months=2").unwrap();
    let s = scenario::load_bytes(wild.as_bytes(), Path::new("f.toml"), &[set_b])
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(of_factors(&s.warnings).is_empty(), "{:?}", s.warnings);
    assert_eq!(s.factors[0].loadings.len(), 1);
    // A chance of finishing fixed by a question still follows the factor (its event stays
    // random): nothing to say.
    let chance = format!(
        "{BASE}[factors.a]\nloadings = {{ \"paths.a.completion\" = 0.5 }}\n[[thresholds]]\nvary = \"paths.a.completion\"\nfrom = 0.1\nto = 1\npath = \"a\"\n"
    );
    let s = scenario::load_str(&chance, Path::new("f.toml")).unwrap_or_else(|e| panic!("{e}"));
    assert!(of_factors(&s.warnings).is_empty(), "{:?}", s.warnings);
}
