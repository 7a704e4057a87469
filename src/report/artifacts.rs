//! The files of one scenario's output folder, listed once: each with its file name, its
//! caption and what renders it. The command writes them in this order, and the HTML page
//! embeds the charts with these captions, so that no code finds a chart by its file name.

use crate::scenario::Assumption;
use crate::stats::summary::{PathSummary, ScenarioSummary};

use super::charts::{self, ChartError};
use super::csv;
use super::html::{self, Figure, RunInfo};
use super::paths::compared_paths;

/// One output file of a scenario.
#[derive(Debug, Clone)]
pub struct Artifact {
    /// Its name in the scenario's folder (a plain name: keys are checked when loaded).
    pub file: String,
    /// What it shows, in a sentence (the caption of a chart in the report).
    pub caption: String,
    /// What renders it.
    pub renderer: Renderer,
}

/// What renders an [`Artifact`].
#[derive(Debug, Clone)]
pub enum Renderer {
    /// A CSV file, from the summary alone.
    Csv(fn(&ScenarioSummary) -> Vec<u8>),
    /// `run.json`: the run's provenance.
    RunJson,
    /// A PNG chart.
    Chart(Chart),
    /// `report.html`, with every chart listed before it.
    Report,
}

/// The charts of a scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Chart {
    /// The net return of every path (`net_return.png`).
    NetReturn,
    /// Path `a` against path `b` in the same trials (`<a>_vs_<b>.png`), by key.
    Pair {
        /// Key of the first path.
        a: String,
        /// Key of the second path.
        b: String,
    },
    /// The cumulative distributions (`cdf.png`).
    Cdf,
    /// The cumulative net return by age (`timeline.png`).
    Timeline,
    /// P(row beats column) for every pair, in one matrix (`pairs.png`), for many paths.
    Pairs,
    /// What decides a path (`tornado_<path>.png`), by key.
    Tornado {
        /// Key of the path.
        path: String,
    },
    /// How a path's lives turn out (`outcomes_<path>.png`), by key.
    Outcomes {
        /// Key of the path.
        path: String,
    },
}

impl Chart {
    /// The chart as PNG bytes.
    ///
    /// # Errors
    /// The chart cannot be drawn or encoded ([`ChartError`]).
    pub fn render(&self, summary: &ScenarioSummary) -> Result<Vec<u8>, ChartError> {
        match self {
            Chart::NetReturn => charts::net_return_png(summary),
            Chart::Pair { a, b } => match summary.pair(a, b) {
                Some(pair) => charts::pair_png(summary, pair),
                None => Err(ChartError::Draw(format!(
                    "no comparison of `{a}` with `{b}`"
                ))),
            },
            Chart::Cdf => charts::cdf_png(summary),
            Chart::Timeline => charts::timeline_png(summary),
            Chart::Pairs => charts::pairs_png(summary),
            Chart::Tornado { path } => path_chart(summary, path, charts::tornado_png)?
                .ok_or_else(|| ChartError::Draw(format!("nothing decides `{path}`"))),
            Chart::Outcomes { path } => path_chart(summary, path, charts::outcomes_png)?
                .ok_or_else(|| ChartError::Draw(format!("no outcomes of `{path}`"))),
        }
    }
}

/// A chart of one path, found by key: `None` when the path is not in the summary or the
/// chart has nothing to draw.
fn path_chart(
    summary: &ScenarioSummary,
    path: &str,
    draw: impl FnOnce(&ScenarioSummary, &PathSummary) -> Result<Option<Vec<u8>>, ChartError>,
) -> Result<Option<Vec<u8>>, ChartError> {
    match summary.paths.iter().find(|p| p.key == path) {
        Some(p) => draw(summary, p),
        None => Ok(None),
    }
}

/// Every file of a scenario's folder, in the order written: the CSV files and `run.json`,
/// then, with `visuals`, the charts (net return, one per pair of non-baseline paths, CDF,
/// timeline) and `report.html`.
pub fn scenario(summary: &ScenarioSummary, visuals: bool) -> Vec<Artifact> {
    let data = |file: &str, caption: &str, renderer: Renderer| Artifact {
        file: file.to_string(),
        caption: caption.to_string(),
        renderer,
    };
    let mut list = vec![
        data(
            "summary.csv",
            "A row per path: net return quantiles, odds, break-even, programme and debt.",
            Renderer::Csv(csv::summary),
        ),
        data(
            "npv.csv",
            "Absolute lifetime net present value per path.",
            Renderer::Csv(csv::npv),
        ),
        data(
            "pairwise.csv",
            "Every ordered pair of paths head to head.",
            Renderer::Csv(csv::pairwise),
        ),
        data(
            "histogram.csv",
            "The histogram of net return on shared bins.",
            Renderer::Csv(csv::histogram),
        ),
        data(
            "timeline.csv",
            "Quantiles of the cumulative net return by year.",
            Renderer::Csv(csv::timeline),
        ),
        data(
            "roles.csv",
            "The share of trials placed in each role, per path.",
            Renderer::Csv(roles_csv),
        ),
        data(
            "sensitivity.csv",
            "Which uncertainties decide each path: their shares of the variance and swings.",
            Renderer::Csv(csv::sensitivity),
        ),
        data(
            "outcomes.csv",
            "Each path's lives by outcome: placed, declined, not placed, dropped out.",
            Renderer::Csv(csv::outcomes),
        ),
        data(
            "pairwise_histogram.csv",
            "The histogram of each pair's difference, as its chart draws it.",
            Renderer::Csv(csv::pairwise_histogram),
        ),
        data(
            "run.json",
            "Version, seed, trials, threads, timing and the scenario file's SHA-256.",
            Renderer::RunJson,
        ),
    ];
    if !visuals {
        return list;
    }
    list.push(data(
        "net_return.png",
        "Distribution of lifetime net return of each path versus staying put.",
        Renderer::Chart(Chart::NetReturn),
    ));
    for (a, b) in charts::charted_pairs(summary) {
        if summary.pair(&a.key, &b.key).is_some() {
            list.push(Artifact {
                file: charts::pair_file_name(&a.key, &b.key),
                caption: format!(
                    "{} minus {} in the same trial: who comes out ahead, by how much.",
                    a.label, b.label
                ),
                renderer: Renderer::Chart(Chart::Pair {
                    a: a.key.clone(),
                    b: b.key.clone(),
                }),
            });
        }
    }
    if compared_paths(summary).count() > charts::MANY_PATHS {
        list.push(data(
            "pairs.png",
            "How often each row's path beats each column's: the share of lives in which the row's path ends ahead, for every pair of paths.",
            Renderer::Chart(Chart::Pairs),
        ));
    }
    list.push(data(
        "cdf.png",
        "Cumulative distribution of net return: the share of trials at or below each amount.",
        Renderer::Chart(Chart::Cdf),
    ));
    list.push(data(
        "timeline.png",
        "Cumulative net return by age, a panel per path: the median of every year (not one life), 25th to 75th and 10th to 90th percentile.",
        Renderer::Chart(Chart::Timeline),
    ));
    for p in compared_paths(summary) {
        if charts::has_tornado(summary, &p.key) {
            list.push(Artifact {
                file: charts::tornado_file_name(&p.key),
                caption: format!(
                    "What decides {}: the mean net return with each uncertainty at its low and \
                     at its high end, and the share of the variance it explains alone.",
                    p.label
                ),
                renderer: Renderer::Chart(Chart::Tornado {
                    path: p.key.clone(),
                }),
            });
        }
        if charts::has_outcomes(summary, p) {
            list.push(Artifact {
                file: charts::outcomes_file_name(&p.key),
                caption: format!(
                    "How lives turn out on {}: its histogram of net return stacked by outcome.",
                    p.label
                ),
                renderer: Renderer::Chart(Chart::Outcomes {
                    path: p.key.clone(),
                }),
            });
        }
    }
    list.push(data(
        "report.html",
        "The report: every path in words, the tables, the charts and every assumption.",
        Renderer::Report,
    ));
    list
}

/// `roles.csv`, with the roles' labels.
fn roles_csv(s: &ScenarioSummary) -> Vec<u8> {
    let labels: Vec<(String, String)> = s
        .roles
        .iter()
        .cloned()
        .zip(s.role_labels.iter().cloned())
        .collect();
    csv::roles(s, &labels)
}

/// What the renderers need besides the summary.
#[derive(Debug, Clone, Copy)]
pub struct Inputs<'a> {
    /// The run's results.
    pub summary: &'a ScenarioSummary,
    /// Every input as used, for the report.
    pub assumptions: &'a [Assumption],
    /// The run's provenance.
    pub run: &'a RunInfo,
    /// The section answering the scenario's `[[thresholds]]` and `[[sweeps]]` (HTML, empty
    /// when it asks none), placed in the report before the assumptions.
    pub questions: &'a str,
}

impl Artifact {
    /// The file's bytes. A chart is also added to `figures`, which `report.html` embeds:
    /// render the list in order.
    ///
    /// # Errors
    /// A chart that cannot be drawn ([`ChartError`]): leave it out, the rest still renders.
    pub fn render(
        &self,
        inputs: Inputs<'_>,
        figures: &mut Vec<Figure>,
    ) -> Result<Vec<u8>, ChartError> {
        Ok(match &self.renderer {
            Renderer::Csv(write) => write(inputs.summary),
            Renderer::RunJson => run_json(inputs.summary, inputs.run),
            Renderer::Chart(chart) => {
                let png = chart.render(inputs.summary)?;
                figures.push(Figure {
                    caption: self.caption.clone(),
                    alt: super::describe::describe(chart, inputs.summary),
                    png: png.clone(),
                });
                png
            }
            Renderer::Report => html::with_contents(html::questions::with_questions(
                html::scenario_report(inputs.summary, inputs.assumptions, figures, inputs.run),
                inputs.questions,
            ))
            .into_bytes(),
        })
    }
}

/// Every chart of a scenario as a figure of the report, in order.
///
/// # Errors
/// The first chart that cannot be drawn.
pub fn figures(summary: &ScenarioSummary) -> Result<Vec<Figure>, ChartError> {
    let mut figures = Vec::new();
    for a in scenario(summary, true) {
        if let Renderer::Chart(chart) = &a.renderer {
            figures.push(Figure {
                caption: a.caption.clone(),
                alt: super::describe::describe(chart, summary),
                png: chart.render(summary)?,
            });
        }
    }
    Ok(figures)
}

/// `run.json`.
fn run_json(summary: &ScenarioSummary, info: &RunInfo) -> Vec<u8> {
    let mut v = serde_json::json!({
        "program": "worthit",
        "version": info.version,
        "scenario": summary.name,
        "scenario_file": info.scenario_file,
        "scenario_sha256": info.sha256,
        "seed": summary.seed,
        "trials": summary.trials,
        "threads": info.threads,
        "elapsed_seconds": info.elapsed_seconds,
        "trials_per_second": info.trials_per_second,
        // Every file a run of this scenario writes in its folder (with charts): so that a
        // later run replaces the folder only when it holds nothing else, even a file of the
        // user's named like a chart (`tornado_for_slides.png`).
        "files": scenario(summary, true).into_iter().map(|a| a.file).collect::<Vec<_>>(),
    });
    // Then what the run adds: the trials run and why it stopped, the shards merged.
    if let (Some(fields), serde_json::Value::Object(more)) = (v.as_object_mut(), &info.extra) {
        fields.extend(more.clone());
    }
    let mut s = serde_json::to_vec_pretty(&v).expect("a JSON value serializes");
    s.push(b'\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;
    use crate::report::paths::compared_pairs;

    #[test]
    fn the_list_is_every_file_once_with_the_report_last() {
        let summary = fixture::realistic();
        let pairs = compared_pairs(&summary).len();
        assert!(pairs >= 1);
        let all = scenario(&summary, true);
        let paths = compared_paths(&summary).count();
        assert_eq!(all.len(), 10 + 1 + pairs + 2 + 2 * paths + 1);
        let mut names: Vec<&str> = all.iter().map(|a| a.file.as_str()).collect();
        assert_eq!(names.last(), Some(&"report.html"));
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), all.len(), "a file listed twice");
        for a in &all {
            assert!(!a.caption.is_empty(), "{}", a.file);
            crate::report::output::file_in(std::path::Path::new("x"), &a.file).unwrap();
        }
        let data = scenario(&summary, false);
        assert_eq!(data.len(), 10);
        assert!(
            data.iter()
                .all(|a| !matches!(a.renderer, Renderer::Chart(_) | Renderer::Report))
        );
    }

    #[test]
    fn the_report_embeds_each_chart_under_its_own_caption() {
        let summary = fixture::realistic();
        let (a, b) = compared_pairs(&summary)[0];
        let figures = figures(&summary).unwrap();
        let pair = &figures[1];
        assert!(
            pair.caption
                .starts_with(&format!("{} minus {}", a.label, b.label))
        );
        let run = RunInfo {
            version: "0".to_string(),
            threads: 1,
            elapsed_seconds: 1.0,
            trials_per_second: 1.0,
            scenario_file: "x.toml".to_string(),
            sha256: String::new(),
            extra: serde_json::json!({}),
        };
        let page = html::scenario_report(&summary, &[], &figures, &run);
        for f in &figures {
            assert!(page.contains(&format!(
                "<figcaption>{}</figcaption>",
                html::escape(&f.caption)
            )));
        }
    }
}
