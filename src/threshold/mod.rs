//! Thresholds: the value of a key at which a path's figure against another crosses a
//! target ("the in-person master's beats staying put in at least half of lives when placement
//! is 62% or more").
//!
//! Every evaluation is a full run with the same seed and trials, so the figure is a fixed
//! function of the key's value (common random numbers: the same lives at every value), and
//! a bracketing search on it converges like a search on any function. The search keeps a
//! bracket whose ends lie on either side of the target; each step tries the false-position
//! point (where the straight line between the ends crosses the target; the Illinois variant,
//! which halves the weight of an end kept twice in a row) and falls back to the midpoint
//! whenever two steps have not halved the bracket, so it never does much worse than
//! bisection and is much faster on smooth surfaces. It stops when the bracket is narrower
//! than 1e-5 of the range's scale, or when the figure differs between the bracket's ends by
//! less than 5% of its own 95% interval's half-width (further steps would move the answer by
//! far less than its uncertainty; with fixed inputs the interval is empty and the search goes
//! on to the 1e-5).
//!
//! The 95% range: the values at which the ends of the figure's 95% interval cross the target
//! (the Wilson interval for a share, the mean plus or minus 1.96 standard errors, the
//! distribution-free interval of the median). Between them the figure cannot be told apart
//! from the target with the trials run; more trials narrow it. The search for each end reuses
//! every evaluation made so far.
//!
//! An evaluation runs only the paths compared and the baseline: every path draws from its own
//! streams, so leaving the others out changes nothing of these paths' lives. A threshold on a
//! chance of finishing or of being placed simulates two lives a trial once, and reads every
//! evaluation from them ([`events`]): the same figures as running each.

use std::sync::atomic::AtomicU64;

use crate::model::Model;
use crate::scenario::Scenario;
use crate::scenario::questions::{Level, Metric, Threshold, key_words};
use crate::scenario::schema::{self, Unit};
use crate::sweep::reads::Reads;
use crate::sweep::{QuestionError, Setup, point_rows};

mod events;
pub use events::MAX_TRIALS;
mod bracket;
#[cfg(test)]
pub(crate) mod fixture;
mod words;

use bracket::{Cache, interpolated, reached_end};
pub(crate) use words::unit;
pub use words::{
    digits_apart, dollars, metric_words, sig3, sig3_toward, significant, target_words, value_words,
    value_words_to,
};

/// Most evaluations of one threshold: the three searches together.
pub const MAX_EVALUATIONS: usize = 80;

/// The search stops when the bracket is narrower than this share of the range's scale.
pub const TOLERANCE: f64 = 1e-5;

/// ... or when the metric differs between the bracket's ends by at most this share of its
/// 95% interval's half-width (the crossing); for the ends of the 95% range, a coarser share.
pub const MAIN_RESOLUTION: f64 = 0.05;

/// See [`MAIN_RESOLUTION`].
pub const RANGE_RESOLUTION: f64 = 0.2;

/// The figure at one value of the key.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Evaluation {
    /// The key's value.
    pub value: f64,
    /// The metric.
    pub metric: f64,
    /// Its 95% interval.
    pub ci: (f64, f64),
}

/// An end of the 95% range.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub enum End {
    /// At this value.
    At(f64),
    /// Below the searched range's first value: the interval reaches the target there already.
    Below,
    /// Above the searched range's last value.
    Above,
}

/// Where the metric crosses the target.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Crossing {
    /// The key's value at the crossing.
    pub value: f64,
    /// Whether the metric is at or above the target above the crossing (else below it).
    pub rising: bool,
    /// The 95% range: low end, high end.
    pub range: (End, End),
}

/// A threshold's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct ThresholdResult {
    /// The question.
    pub question: Threshold,
    /// The scenario's name.
    pub scenario: String,
    /// The scenario file's stem.
    pub stem: String,
    /// Label of the path compared.
    pub path_label: String,
    /// Label of the path compared with, or `None` for the baseline (staying put).
    pub versus_label: Option<String>,
    /// The baseline's label.
    pub baseline_label: String,
    /// The key in words ("placement", "tuition per year").
    pub key_words: String,
    /// The key's unit, for its values in words.
    pub unit: Unit,
    /// The metric at the range's first value.
    pub at_from: Evaluation,
    /// The metric at the range's last value.
    pub at_to: Evaluation,
    /// The crossing, if the metric crosses the target within the range.
    pub crossing: Option<Crossing>,
    /// Every value tried and its figure, in increasing order of the value (the page's
    /// chart and table).
    pub tried: Vec<Evaluation>,
    /// Trials of each.
    pub trials: u64,
    /// Their seed.
    pub seed: u64,
    /// What the scenario assumes for the key, in words (`10%`, `75% on average (61.4% to
    /// 87.8% in 90% of lives); ...`),
    /// so that a reader can set the answer beside it; `None` if it cannot be told.
    pub assumed: Option<String>,
    /// The scenario's own value of the key (its mean, for a distribution), where it has one
    /// number: marked on the chart beside the crossing.
    pub assumed_value: Option<f64>,
}

/// Answer a threshold. `progress` counts trials done; `on_eval` is told of each evaluation.
///
/// # Errors
/// A value whose scenario does not validate, or a run the engine stops.
pub fn search(
    setup: &Setup<'_>,
    what: &str,
    q: &Threshold,
    progress: Option<&AtomicU64>,
    on_eval: impl FnMut(&Evaluation),
) -> Result<ThresholdResult, QuestionError> {
    search_with(setup, what, q, progress, on_eval, true)
}

/// [`search`], with the shortcuts when `shortcut` (a chance's evaluations read from two lives
/// a trial, or only the lives that read the key run again), else every evaluation in full.
fn search_with(
    setup: &Setup<'_>,
    what: &str,
    q: &Threshold,
    progress: Option<&AtomicU64>,
    mut on_eval: impl FnMut(&Evaluation),
    shortcut: bool,
) -> Result<ThresholdResult, QuestionError> {
    let mut first: Option<Scenario> = None;
    let branches = shortcut
        .then(|| events::Branches::new(setup, what, q))
        .flatten();
    // Without the two lives of a chance: only the lives that read the key run again.
    let mut reads = (shortcut && branches.is_none())
        .then(|| Reads::new(&q.key, q.versus.as_deref(), setup.threads));
    let mut evaluate = |v: f64| -> Result<Evaluation, QuestionError> {
        let sc = reduced(setup.load(what, &[(q.key.as_str(), &Level::Num(v))])?, q);
        let model = Model::new(&sc);
        let (trials, seed) = (sc.simulation.trials, sc.simulation.seed);
        let at = |k: &str| model.paths.iter().position(|p| p.key == k);
        let (p, versus) = (at(&q.path), q.versus.as_deref().and_then(at));
        let spread = match branches.as_ref().and_then(|b| b.spread(&model)) {
            Some(spread) => spread,
            None => {
                let run = (trials, seed, setup.threads);
                let summary = point_rows(&model, run, versus, reads.as_mut(), progress).map_err(
                    // Named at the value searched, as a sweep names its point.
                    |source| QuestionError::Engine {
                        what: format!("{what}, at {}={}", q.key, Level::Num(v).text()),
                        source,
                    },
                )?;
                let path = &summary[p.expect("checked: the path exists")];
                if versus.is_some() {
                    path.versus.expect("compared with versus")
                } else {
                    path.net
                }
            }
        };
        let (metric, ci) = match q.metric {
            Metric::ProbBeats => (spread.prob, spread.prob_ci),
            Metric::Median => (spread.p50(), spread.p50_ci),
            Metric::Mean => (spread.mean, spread.mean_ci),
        };
        if first.is_none() {
            first = Some(sc);
        }
        let e = Evaluation {
            value: v,
            metric,
            ci,
        };
        on_eval(&e);
        Ok(e)
    };
    let Found {
        at_from,
        at_to,
        crossing,
        tried,
    } = locate(q.from, q.to, q.target, &mut evaluate)?;
    let sc = first.expect("the range's ends were evaluated");
    let assumed = assumed(setup, what, &q.key);
    let label = |k: &str| {
        sc.paths
            .iter()
            .find(|p| p.key == k)
            .map_or_else(|| k.to_string(), |p| p.label.clone())
    };
    Ok(ThresholdResult {
        question: q.clone(),
        scenario: sc.name.clone(),
        stem: sc.stem.clone(),
        path_label: label(&q.path),
        versus_label: q.versus.as_deref().map(label),
        baseline_label: sc
            .paths
            .iter()
            .find(|p| p.is_baseline())
            .map_or_else(String::new, |p| p.label.clone()),
        // Said after "when": "when the placement of the bootcamp is ...".
        key_words: crate::text::the(&key_words(&q.key, &q.path, &sc)),
        unit: unit(&q.key),
        at_from,
        at_to,
        crossing,
        tried,
        trials: sc.simulation.trials,
        seed: sc.simulation.seed,
        assumed: assumed.as_ref().map(|a| a.0.clone()),
        assumed_value: assumed.and_then(|a| a.1),
    })
}

/// What a search found: the figure at the range's ends, the crossing, and the evaluations
/// it took.
struct Found {
    at_from: Evaluation,
    at_to: Evaluation,
    crossing: Option<Crossing>,
    /// Every evaluation, in increasing order of the value.
    tried: Vec<Evaluation>,
}

/// The search of a threshold between `from` and `to` for the value at which the figure that
/// `evaluate` gives crosses `target`: the crossing (to its 3 significant digits), its 95%
/// range, and the ends.
fn locate(
    from: f64,
    to: f64,
    target: f64,
    mut evaluate: impl FnMut(f64) -> Result<Evaluation, QuestionError>,
) -> Result<Found, QuestionError> {
    let mut cache = Cache::default();
    let at_from = cache.get(from, &mut evaluate)?;
    let at_to = cache.get(to, &mut evaluate)?;
    let scale = from.abs().max(to.abs()).max(to - from);
    let tol = TOLERANCE * scale;
    let reached = |e: &Evaluation| e.metric - target;
    let never = |_: &Evaluation, _: &Evaluation| false;
    // First to where the metric cannot be told from the target at either end of the bracket
    // (or to the usual stops); then, once the 95% range is known, on to a share of its width.
    // A metric that jumps at the crossing (a median, when the lives ahead go from fewer than
    // half to more) would otherwise be bisected down to the tolerance, dozens of evaluations
    // that move the answer by a sliver of its range.
    let blurred = |e: &Evaluation| e.ci.0 <= target && target <= e.ci.1;
    let settled = |l: &Evaluation, r: &Evaluation| blurred(l) && blurred(r);
    let main = cache.bracket(&reached, tol, MAIN_RESOLUTION, &settled, &mut evaluate)?;
    let crossing = match main.map(|b| reached_end(&reached, b)) {
        None => None,
        Some(first) => {
            let rising = at_to.metric >= target;
            // The interval's ends cross where the interval first and last holds the target.
            let lo_end = |e: &Evaluation| e.ci.0 - target;
            let hi_end = |e: &Evaluation| e.ci.1 - target;
            let mut ends = Vec::new();
            for g in [&lo_end as &dyn Fn(&Evaluation) -> f64, &hi_end] {
                let at_b = g(&at_to) >= 0.0;
                let bracket =
                    cache.bracket(g, tol * 10.0, RANGE_RESOLUTION, &never, &mut evaluate)?;
                ends.push(match bracket.map(|b| interpolated(g, b)) {
                    Some(x) => End::At(x),
                    // No change within the range: the end lies beyond the side whose state
                    // the predicate keeps everywhere.
                    None if (g(&at_from) >= 0.0) == at_b && at_b == rising => End::Below,
                    None => End::Above,
                });
            }
            let key = |e: &End| match e {
                End::Below => f64::NEG_INFINITY,
                End::Above => f64::INFINITY,
                End::At(x) => *x,
            };
            ends.sort_by(|a, b| key(a).total_cmp(&key(b)));
            // Narrow the crossing's bracket to a share of the range's width (of the searched
            // range's part where the range's end lies beyond it), as the usual stop does on
            // a smooth metric: there, the metric's step across the bracket is at most
            // MAIN_RESOLUTION of the interval's half-width, about half that share of the
            // range's width.
            let (lo, hi) = (key(&ends[0]).max(from), key(&ends[1]).min(to));
            let width = (MAIN_RESOLUTION / 2.0 * (hi - lo)).max(tol);
            let narrowed =
                cache.bracket(&reached, width, MAIN_RESOLUTION, &never, &mut evaluate)?;
            // Then on until the crossing's 3 significant digits are known: the digits given
            // are the crossing's, not the search's.
            let value = cache
                .digits(&reached, narrowed, rising, tol, &mut evaluate)?
                .map(|b| reached_end(&reached, b))
                .unwrap_or(first);
            Some(Crossing {
                value,
                rising,
                range: (ends[0], ends[1]),
            })
        }
    };
    Ok(Found {
        at_from,
        at_to,
        crossing,
        tried: cache.evals,
    })
}

/// What the scenario itself (with the command line's overrides, before the question's own
/// values) assumes for `key`, or for the input a parameter key belongs to: in words, and as
/// one number when it is one (an input's mean, a setting's value).
fn assumed(setup: &Setup<'_>, what: &str, key: &str) -> Option<(String, Option<f64>)> {
    let sc = setup.load(what, &[]).ok()?;
    if crate::scenario::overrides::gives_loans_to(&sc.paths, key).is_some() {
        return Some((
            "no loans: the path pays its costs out of pocket".to_string(),
            None,
        ));
    }
    // An input: its value, or its spread, in the unit the sentence uses ("75% on average",
    // not "beta(mean = 0.75, sd = 0.08)").
    let model = Model::new(&sc);
    if let Some(id) = model.inputs.find(key) {
        let dist = &model.inputs.get(id).dist;
        return Some((assumed_words(dist, unit(key)), Some(dist.mean())));
    }
    let find = |k: &str| sc.assumptions.iter().find(|a| a.key == k);
    let a = find(key).or_else(|| key.rsplit_once('.').and_then(|(input, _)| find(input)))?;
    // A plain number in the sentence's unit ("5%", not "0.05").
    Some(match a.value.parse::<f64>() {
        Ok(x) if a.key == key => (value_words(x, unit(key)), Some(x)),
        _ => (a.value.clone(), None),
    })
}

/// What a scenario assumes for an input, in words: its value when fixed, else its mean and
/// the range of its middle 90% ("75% on average (61.4% to 87.8% in 90% of lives)"), and
/// that each value searched is every life's (it replaces the spread).
fn assumed_words(d: &crate::dist::Dist, unit: Unit) -> String {
    if d.is_fixed() {
        return value_words(d.mean(), unit);
    }
    format!(
        "{} on average ({} to {} in 90% of lives); the search tries one value at a time, the same in every life, in place of that spread",
        value_words(d.mean(), unit),
        value_words(d.quantile(0.05), unit),
        value_words(d.quantile(0.95), unit)
    )
}

/// The scenario `sc` with only the paths a threshold's run needs: the baseline, the path it
/// asks about and the one compared with.
fn reduced(mut sc: Scenario, q: &Threshold) -> Scenario {
    sc.paths.retain(|p| {
        p.is_baseline() || p.key == q.path || q.versus.as_deref() == Some(p.key.as_str())
    });
    sc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threshold::fixture::{question, same_answer, setup};

    /// Evaluations of a known figure, with a 95% interval of `half` either side.
    fn known(
        figure: impl Fn(f64) -> f64,
        half: f64,
    ) -> impl FnMut(f64) -> Result<Evaluation, QuestionError> {
        move |v| {
            let m = figure(v);
            Ok(Evaluation {
                value: v,
                metric: m,
                ci: (m - half, m + half),
            })
        }
    }

    /// A search's cache holding the ends of the range [0, 1].
    fn from_ends(f: &mut impl FnMut(f64) -> Result<Evaluation, QuestionError>) -> Cache {
        let mut c = Cache::default();
        c.get(0.0, f).unwrap();
        c.get(1.0, f).unwrap();
        c
    }

    /// A search on a known function: the boundary of `x >= 0.3` on [0, 1] to within the
    /// tolerance, with far fewer evaluations than the 17 a pure bisection needs.
    #[test]
    fn the_bracketing_search_finds_a_smooth_crossing_quickly() {
        let mut f = known(|v| (v * 2.0).tanh(), 0.01);
        let mut c = from_ends(&mut f);
        let target = 0.3f64;
        let g = |e: &Evaluation| e.metric - target;
        let x = interpolated(
            &g,
            c.bracket(&g, 1e-5, 0.0, &|_, _| false, &mut f)
                .unwrap()
                .unwrap(),
        );
        let want = target.atanh() / 2.0;
        assert!((x - want).abs() < 1e-5, "{x} vs {want}");
        assert!(c.evals.len() <= 12, "{} evaluations", c.evals.len());
        // A step function (a share over finitely many lives): still within the tolerance.
        let mut g = known(|v| (v * 1000.0).floor() / 1000.0, 0.0);
        let mut c = from_ends(&mut g);
        let at = |e: &Evaluation| e.metric - 0.4205;
        let x = interpolated(
            &at,
            c.bracket(&at, 1e-5, 0.0, &|_, _| false, &mut g)
                .unwrap()
                .unwrap(),
        );
        assert!((x - 0.421).abs() < 1e-5, "{x}");
        assert!(c.evals.len() <= 40, "{}", c.evals.len());
        // No change: no boundary.
        let above = |e: &Evaluation| e.metric + 1.0;
        assert!(
            c.bracket(&above, 1e-5, 0.0, &|_, _| false, &mut g)
                .unwrap()
                .is_none()
        );
    }

    /// A crossing stated as "the target is reached from this value on" is true of the value:
    /// on a staircase (a share over finitely many lives) searched to a resolution wider than
    /// its steps, the bracket's end where the target is reached, not a point between its
    /// ends, rising or falling.
    #[test]
    fn the_crossing_is_a_value_at_which_the_target_is_reached() {
        for rising in [true, false] {
            let figure = move |v: f64| {
                let m = (v * 300.0).floor() / 300.0;
                if rising { m } else { 1.0 - m }
            };
            let mut f = known(figure, 0.02);
            let mut c = from_ends(&mut f);
            // Just above a step's level: the bracket's end below the step misses the target
            // by a hair, so the straight line between the ends lands next to it.
            let target = 164.0 / 300.0 + 1e-9;
            let g = |e: &Evaluation| e.metric - target;
            let bracket = c.bracket(&g, 1e-5, 0.3, &|_, _| false, &mut f).unwrap();
            let x = reached_end(&g, bracket.unwrap());
            assert!(
                figure(x) >= target,
                "rising {rising}: {x} gives {}",
                figure(x)
            );
            // Within the resolution's reach of the step where it is reached.
            let step = if rising { 165.0 / 300.0 } else { 136.0 / 300.0 };
            assert!((x - step).abs() < 0.02, "rising {rising}: {x} vs {step}");
        }
    }

    /// The digits given are the crossing's, not the search's: on a staircase of fine steps
    /// (a share over 200,000 lives), flat around its crossing (where the usual stops, a
    /// share of the figure's 95% interval, come while the bracket is still wide), crossing
    /// its target at -0.040457, the answer is -0.0404, the 3-digit value nearest the
    /// crossing on the side where the target is reached; falling, at 0.257575, 0.257.
    #[test]
    fn the_crossing_has_the_digits_of_the_crossing() {
        let steps = 200_000.0;
        for (rising, crossing, want) in [(true, -0.040_457, -0.0404), (false, 0.257_575, 0.257)] {
            let figure = move |v: f64| {
                let x = if rising { v - crossing } else { crossing - v };
                0.5 + (40.0 * x.powi(3) * steps).floor() / steps
            };
            let found = locate(-0.8, 0.8, 0.5, known(figure, 0.05)).unwrap();
            let c = found.crossing.expect("a crossing in the range");
            assert_eq!(c.rising, rising);
            assert!(figure(c.value) >= 0.5, "{} misses the target", c.value);
            assert_eq!(sig3_toward(c.value, rising), want, "{}", c.value);
            assert!(found.tried.len() < 40, "{}", found.tried.len());
        }
    }

    /// A crossing within a hair of 0 is answered 0 when the target is reached there (its
    /// digits would be the search's noise), and one near 0 but off it has its own digits.
    #[test]
    fn a_crossing_near_zero_has_its_own_digits_or_is_zero() {
        let steps = 200_000.0;
        for (crossing, want) in [(-2e-7, 0.0), (9.3e-6, 9.3e-6), (-1.234_567e-5, -1.23e-5)] {
            let figure = move |v: f64| 0.5 + ((v - crossing) * steps).floor() / steps;
            let found = locate(-0.5, 0.5, 0.5, known(figure, 0.01)).unwrap();
            let c = found.crossing.expect("a crossing in the range");
            assert!(figure(c.value) >= 0.5, "{} misses the target", c.value);
            assert_eq!(sig3_toward(c.value, true), want, "{crossing}: {}", c.value);
        }
    }

    /// A target in words says the target given, no more and no less.
    #[test]
    fn a_target_is_said_as_given() {
        assert_eq!(target_words(Metric::ProbBeats, 0.56), "56%");
        assert_eq!(target_words(Metric::ProbBeats, 0.5555), "55.55%");
        assert_eq!(target_words(Metric::Mean, 10_000.0), "$10k");
        assert_eq!(target_words(Metric::Mean, 101_689.0), "$101,689");
        assert_eq!(target_words(Metric::Median, -2_500.5), "-$2,500.5");
        assert_eq!(target_words(Metric::Median, 250.0), "$250");
    }

    #[test]
    fn rerunning_only_the_lives_that_read_the_key_gives_the_answer_of_full_runs() {
        let setup = setup();
        let range = |q: Threshold, from: f64, to: f64| Threshold { from, to, ..q };
        let premium = |versus, metric, target| {
            range(
                question("paths.masters.salary_premium", versus, metric, target),
                -0.5,
                0.5,
            )
        };
        let questions = [
            premium(None, Metric::ProbBeats, 0.5),
            premium(None, Metric::Median, 0.0),
            premium(Some("bootcamp"), Metric::Mean, 0.0),
            // A key of the path compared with.
            range(
                question(
                    "paths.bootcamp.salary_premium",
                    Some("bootcamp"),
                    Metric::ProbBeats,
                    0.5,
                ),
                -0.5,
                0.5,
            ),
            // A parameter of an input that every life reads; of a chance (not two lives: the
            // chance itself is drawn).
            range(
                question(
                    "paths.masters.costs.tuition_per_year.max",
                    None,
                    Metric::ProbBeats,
                    0.42,
                ),
                40_000.0,
                200_000.0,
            ),
            range(
                question("paths.masters.placement.mean", None, Metric::ProbBeats, 0.4),
                0.3,
                0.9,
            ),
            // A role's salary (a parameter) and raise: the raise also decides which offers
            // are taken, before any raise is drawn.
            range(
                question("roles.mle.salary.median", None, Metric::ProbBeats, 0.5),
                40_000.0,
                135_000.0,
            ),
            range(
                question(
                    "roles.mle.annual_raise",
                    Some("bootcamp"),
                    Metric::Mean,
                    0.0,
                ),
                -0.05,
                0.08,
            ),
        ];
        for q in &questions {
            same_answer(&setup, q);
        }
        // The premium is read only by the lives that get an offer: the others are not rerun.
        let q = &questions[0];
        let at = |v: f64| {
            let sc = setup
                .load("test", &[(q.key.as_str(), &Level::Num(v))])
                .unwrap();
            Model::new(&reduced(sc, q))
        };
        let m = at(0.0);
        // So is the role's salary: the same lives (its one role).
        let role = question("roles.mle.annual_raise", None, Metric::ProbBeats, 0.5);
        let mut counts = Vec::new();
        for q in [q, &role] {
            let mut r = Reads::new(&q.key, q.versus.as_deref(), 2);
            r.rows(&m, 1_500, 11, None)
                .expect("a key with lives to skip");
            counts.push(r.reading().unwrap());
        }
        assert!(
            (500..1_400).contains(&counts[0]),
            "{} of 1,500 lives read it",
            counts[0]
        );
        assert_eq!(counts[0], counts[1]);
        // Keys that are not a path's input, or not of a path compared.
        for key in [
            "economy.discount_rate",
            "person.salary",
            "paths.masters.financing.grace_months",
        ] {
            let q = question(key, None, Metric::ProbBeats, 0.5);
            let rows = Reads::new(&q.key, None, 2).rows(&m, 1_500, 11, None);
            assert!(rows.is_none(), "{key}");
        }
        let q = question(
            "paths.bootcamp.salary_premium",
            None,
            Metric::ProbBeats,
            0.5,
        );
        let rows = Reads::new(&q.key, None, 2).rows(&m, 1_500, 11, None);
        assert!(rows.is_none(), "not compared");
        // More lives than it keeps the indices of: every evaluation in full.
        let mut r = Reads::new(&questions[0].key, None, 2);
        assert!(r.rows(&m, MAX_TRIALS + 1, 11, None).is_none());
    }
}
