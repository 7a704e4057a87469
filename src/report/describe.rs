//! What each chart shows, in words, for the report's alternative text: a reader who cannot
//! see the picture (a screen reader, a text-only mail client) gets its figures, not only
//! what kind of chart it is. The numbers are those of the report's tables.

use super::artifacts::Chart;
use super::format::{join_words, money, percent};
use super::paths::{compared_paths, deepest, median_ahead_from};
use crate::stats::summary::{PathSummary, ScenarioSummary};

/// The chart's figures in a few sentences; empty when there is nothing to say beyond its
/// caption.
pub fn describe(chart: &Chart, summary: &ScenarioSummary) -> String {
    let path = |key: &str| summary.paths.iter().find(|p| p.key == key);
    match chart {
        Chart::NetReturn | Chart::Cdf => compared_paths(summary)
            .map(|p| {
                format!(
                    "{}: median {}, one life in ten at {} or less and one in ten at {} or \
                     more; ahead of staying put in {} of lives.",
                    p.label,
                    money(p.net.q.p50),
                    money(p.net.q.p10),
                    money(p.net.q.p90),
                    percent(p.prob_beats_baseline)
                )
            })
            .collect::<Vec<_>>()
            .join(" "),
        Chart::Pair { a, b } => match (summary.pair(a, b), path(a), path(b)) {
            (Some(pair), Some(pa), Some(pb)) => format!(
                "{} ends ahead of {} in {} of lives; the median difference is {}.",
                pa.label,
                pb.label,
                percent(pair.prob_a_beats_b),
                money(pair.p50_diff)
            ),
            _ => String::new(),
        },
        Chart::Timeline => compared_paths(summary)
            .filter_map(timeline_words)
            .collect::<Vec<_>>()
            .join(" "),
        Chart::Pairs => "The same shares are in the table “Head to head”.".to_string(),
        Chart::Tornado { path: key } => {
            // Most important first, as the summary has them.
            let rows = crate::report::paths::deciding(summary, key);
            let top: Vec<String> = rows
                .iter()
                .take(3)
                .map(|r| format!("{} ({} of the variance)", r.label, percent(r.importance)))
                .collect();
            match path(key) {
                Some(p) if !top.is_empty() => format!(
                    "What moves {} most: {}. Every uncertainty is in the table of “What \
                     decides it”.",
                    p.label,
                    top.join(", ")
                ),
                _ => String::new(),
            }
        }
        Chart::Outcomes { path: key } => {
            // Each share as the chart's legend gives it.
            let parts: Vec<String> = crate::report::paths::outcomes(summary, key)
                .into_iter()
                .filter(|(r, _)| r.trials > 0)
                .map(|(r, share)| {
                    format!(
                        "{} {share} (median {})",
                        super::charts::outcome_words(r.outcome),
                        money(r.p50)
                    )
                })
                .collect();
            match path(key) {
                Some(p) if !parts.is_empty() => {
                    format!("{}: {}.", p.label, parts.join("; "))
                }
                _ => String::new(),
            }
        }
    }
}

/// A path's cumulative net return by age in a sentence: its lowest median, the age from
/// which it is ahead for good (the panel's dot), and where it ends.
fn timeline_words(p: &PathSummary) -> Option<String> {
    let last = p.timeline.last()?;
    let end = format!("{} at age {}", money(last.p50), last.age);
    let mut said = Vec::new();
    if let Some(deepest) = deepest(p).filter(|d| d.age != last.age) {
        said.push(format!(
            "is lowest at age {} ({})",
            deepest.age,
            money(deepest.p50)
        ));
    }
    if let Some(ahead) = median_ahead_from(p).filter(|a| a.age != last.age) {
        said.push(format!("is ahead from age {}", ahead.age));
    }
    said.push(format!("ends at {end}"));
    Some(format!("{}: the median {}.", p.label, join_words(&said)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture;

    #[test]
    fn a_timeline_is_told_by_its_lowest_point_its_crossing_and_its_end() {
        let mut p = fixture::realistic().paths[1].clone();
        p.label = "Master's".to_string();
        let years = [
            (-5_000.0, 27),
            (-10_000.0, 28),
            (3_000.0, 29),
            (5_000.0, 30),
        ];
        p.timeline = years
            .iter()
            .map(|&(p50, age)| fixture::flat_point(age - 27, age, p50))
            .collect();
        assert_eq!(
            timeline_words(&p).unwrap(),
            "Master's: the median is lowest at age 28 (-$10k), is ahead from age 29 and ends \
             at $5k at age 30."
        );
        // Behind to the end: no crossing to tell.
        p.timeline[3].p50 = -1_000.0;
        assert_eq!(
            timeline_words(&p).unwrap(),
            "Master's: the median is lowest at age 28 (-$10k) and ends at -$1k at age 30."
        );
    }

    #[test]
    fn every_chart_is_described_by_its_figures() {
        let summary = fixture::realistic();
        let paths: Vec<&PathSummary> = compared_paths(&summary).collect();
        let net = describe(&Chart::NetReturn, &summary);
        for p in &paths {
            assert!(
                net.contains(&format!("{}: median {},", p.label, money(p.net.q.p50))),
                "{net}"
            );
        }
        let (a, b) = (&paths[0].key, &paths[1].key);
        let pair = summary.pair(a, b).expect("a pair");
        assert_eq!(
            describe(
                &Chart::Pair {
                    a: a.clone(),
                    b: b.clone()
                },
                &summary
            ),
            format!(
                "{} ends ahead of {} in {} of lives; the median difference is {}.",
                paths[0].label,
                paths[1].label,
                percent(pair.prob_a_beats_b),
                money(pair.p50_diff)
            )
        );
        let tornado = describe(&Chart::Tornado { path: a.clone() }, &summary);
        assert!(
            tornado.starts_with(&format!("What moves {} most: ", paths[0].label)),
            "{tornado}"
        );
        assert!(tornado.contains(" of the variance)"), "{tornado}");
        let outcomes = describe(&Chart::Outcomes { path: a.clone() }, &summary);
        assert!(
            outcomes.contains("took a job in the new field "),
            "{outcomes}"
        );
        let timeline = describe(&Chart::Timeline, &summary);
        assert!(timeline.contains(": the median "), "{timeline}");
        // A path the summary does not have: nothing, not a panic.
        assert_eq!(
            describe(
                &Chart::Tornado {
                    path: "none".into()
                },
                &summary
            ),
            ""
        );
    }
}
