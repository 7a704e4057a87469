//! Which paths a report compares, and what it calls them: shared by the charts and the HTML
//! page so that both show the same paths in the same order under the same names.

use crate::stats::outcomes::OutcomeRow;
use crate::stats::sensitivity::SensitivityRow;
use crate::stats::summary::{PathSummary, ScenarioSummary, TimelinePoint};

/// The paths compared with staying put, in path order (every path but the baseline).
pub fn compared_paths(summary: &ScenarioSummary) -> impl Iterator<Item = &PathSummary> {
    summary.paths.iter().filter(|p| !p.baseline)
}

/// Every pair (a, b) of non-baseline paths with a before b in path order: the pairs that get
/// a chart and a row in the head-to-head table.
pub fn compared_pairs(summary: &ScenarioSummary) -> Vec<(&PathSummary, &PathSummary)> {
    let paths: Vec<&PathSummary> = compared_paths(summary).collect();
    let mut pairs = Vec::new();
    for (i, a) in paths.iter().enumerate() {
        for b in &paths[i + 1..] {
            pairs.push((*a, *b));
        }
    }
    pairs
}

/// The label of the baseline path ("what staying put means" here); a generic name if the
/// summary has none, so that a report never fails over a missing baseline.
pub fn baseline_label(summary: &ScenarioSummary) -> &str {
    summary
        .paths
        .iter()
        .find(|p| p.baseline)
        .map_or("the current job", |p| p.label.as_str())
}

/// The label of the path with key `key`, or the key itself if there is no such path.
pub fn label_of<'a>(summary: &'a ScenarioSummary, key: &'a str) -> &'a str {
    summary
        .paths
        .iter()
        .find(|p| p.key == key)
        .map_or(key, |p| p.label.as_str())
}

/// The year a path's median life is furthest behind staying put (the lowest median of the
/// cumulative net return by age), or `None` when it never is. The first year that deep: a
/// median flat after the program ($1,500 behind from 32 to 63) and a dollar lower at 64 was
/// paid for at 32, not at 64. Within $50 or 1%, the sketch's own precision.
pub fn deepest(path: &PathSummary) -> Option<&TimelinePoint> {
    let lowest = path
        .timeline
        .iter()
        .map(|t| t.p50)
        .min_by(f64::total_cmp)
        .filter(|&x| x < 0.0)?;
    let near = 50f64.max(0.01 * lowest.abs());
    path.timeline.iter().find(|t| t.p50 <= lowest + near)
}

/// The uncertainties that decide path `path`, in the summary's order (most important
/// first), as the report and its charts show them: the row of which role is landed is left
/// out when it repeats the row of being placed figure for figure (a path to one role, where
/// landing it is being placed). `sensitivity.csv` keeps both.
pub fn deciding<'a>(summary: &'a ScenarioSummary, path: &str) -> Vec<&'a SensitivityRow> {
    let rows: Vec<&SensitivityRow> = summary
        .sensitivity
        .iter()
        .filter(|r| r.path == path)
        .collect();
    let figures = |r: &SensitivityRow| {
        [
            r.importance,
            r.low_mean,
            r.high_mean,
            r.low_prob_beats,
            r.high_prob_beats,
        ]
    };
    let placed = rows
        .iter()
        .find(|r| r.input == "placed")
        .map(|r| figures(r));
    rows.into_iter()
        .filter(|r| !(r.input == "role" && Some(figures(r)) == placed))
        .collect()
}

/// A path's lives by outcome, in the summary's order, each with its share in the words every
/// page gives it ([`percents`](crate::report::format::percents): shares that add up to 100%),
/// so that the index, the report and the outcome chart say one figure ("16.5%", not "17%"
/// on one page and "16.5%" on another).
pub fn outcomes<'a>(summary: &'a ScenarioSummary, path: &str) -> Vec<(&'a OutcomeRow, String)> {
    let rows: Vec<&OutcomeRow> = summary.outcomes.iter().filter(|r| r.path == path).collect();
    let shares = crate::report::format::percents(&rows.iter().map(|r| r.share).collect::<Vec<_>>());
    rows.into_iter().zip(shares).collect()
}

/// The first year from which a path's median life stays ahead of staying put (the median of
/// the cumulative net return by age at or above zero from then to the end), or `None` when
/// the median ends behind. The line a reader sees cross zero: it can come years after the
/// median break-even age, which is taken over the lives that break even alone.
pub fn median_ahead_from(path: &PathSummary) -> Option<&TimelinePoint> {
    let behind = path
        .timeline
        .iter()
        .rposition(|t| t.p50.is_nan() || t.p50 < 0.0);
    match behind {
        None => path.timeline.first(),
        Some(i) => path.timeline.get(i + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(year: u32, p50: f64) -> TimelinePoint {
        crate::report::fixture::flat_point(year, 27 + year, p50)
    }

    #[test]
    fn a_role_row_that_repeats_being_placed_is_shown_once() {
        use crate::model::candidates::Kind;
        let row = |path: &str, input: &str, importance: f64| SensitivityRow {
            path: path.to_string(),
            input: input.to_string(),
            label: input.to_string(),
            kind: Kind::Event,
            importance,
            low_mean: -1_500.0,
            high_mean: 801_958.86,
            low_prob_beats: 0.0,
            high_prob_beats: 0.976,
        };
        let mut summary = crate::report::fixture::realistic();
        summary.sensitivity = vec![
            row("a", "placed", 0.64),
            row("a", "role", 0.64),
            row("a", "promoted", 0.57),
            row("b", "role", 0.70),
            row("b", "placed", 0.64),
        ];
        let inputs = |path: &str| -> Vec<String> {
            deciding(&summary, path)
                .iter()
                .map(|r| r.input.clone())
                .collect()
        };
        // One role: the same figures, shown once.
        assert_eq!(inputs("a"), ["placed", "promoted"]);
        // Several roles: which one is landed says more than whether one is.
        assert_eq!(inputs("b"), ["role", "placed"]);
        assert!(inputs("c").is_empty());
    }

    #[test]
    fn the_median_is_ahead_from_its_last_crossing_of_zero() {
        let mut path = crate::report::fixture::realistic().paths[1].clone();
        let ahead = |path: &PathSummary| median_ahead_from(path).map(|t| t.age);
        // Behind, then ahead for good at 29 (zero counts as ahead).
        path.timeline = vec![point(0, -5.0), point(1, -1.0), point(2, 0.0), point(3, 7.0)];
        assert_eq!(ahead(&path), Some(29));
        // Ahead, behind again, then ahead: the last crossing.
        path.timeline = vec![point(0, 3.0), point(1, -1.0), point(2, 2.0)];
        assert_eq!(ahead(&path), Some(29));
        // Never behind: from the first year.
        path.timeline = vec![point(0, 1.0), point(1, 2.0)];
        assert_eq!(ahead(&path), Some(27));
        // Ends behind (or unknown): never.
        path.timeline = vec![point(0, 3.0), point(1, -0.5)];
        assert_eq!(ahead(&path), None);
        path.timeline = vec![point(0, 3.0), point(1, f64::NAN)];
        assert_eq!(ahead(&path), None);
        path.timeline.clear();
        assert_eq!(ahead(&path), None);
    }
}
