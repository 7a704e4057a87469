//! The key numbers of each path in words: what a reader who reads nothing else should take
//! away.

use super::escape;
use crate::report::format::{join_words, money, percent};
use crate::report::margin::{median_words, share_pm};
use crate::report::paths::{compared_paths, deepest};
use crate::stats::summary::{PathSummary, ScenarioSummary};

/// The answer first, then one block per non-baseline path, as HTML: its label and five
/// short lines.
pub(super) fn headlines(summary: &ScenarioSummary) -> String {
    let mut out = verdict(summary);
    for path in compared_paths(summary) {
        out.push_str(&headline(summary, path));
        out.push('\n');
    }
    if out.is_empty() {
        out.push_str("<p>This scenario has no path to compare with staying put.</p>\n");
    }
    out
}

/// The answer first, before the paths one by one: which path is likeliest to come out ahead
/// of staying put, whether that is most lives, fewer, or too close to half for the trials to
/// tell (its 95% interval holds one half), and the spread of its outcomes (a chance alone
/// hides how much is won or lost). Paths whose chances cannot be told apart with this run's
/// trials (their 95% intervals overlap) are named together rather than ranked. Empty when
/// there is no path to compare.
fn verdict(summary: &ScenarioSummary) -> String {
    let mut paths: Vec<&PathSummary> = compared_paths(summary).collect();
    paths.sort_by(|a, b| b.prob_beats_baseline.total_cmp(&a.prob_beats_baseline));
    let Some(best) = paths.first() else {
        return String::new();
    };
    let ci = |p: &PathSummary| p.precision.prob_beats_baseline;
    let level: Vec<&PathSummary> = paths
        .iter()
        .copied()
        .filter(|p| ci(p).hi >= ci(best).lo)
        .collect();
    let names = |ps: &[&PathSummary]| {
        join_words(
            &ps.iter()
                .map(|p| format!("<strong>{}</strong>", escape(&p.label)))
                .collect::<Vec<_>>(),
        )
    };
    let shares = |ps: &[&PathSummary]| {
        join_words(
            &ps.iter()
                .map(|p| escape(&percent(p.prob_beats_baseline)))
                .collect::<Vec<_>>(),
        )
    };
    let alone = paths.len() == 1;
    let (verb, are) = if level.len() > 1 {
        ("come", "are")
    } else {
        ("comes", "is")
    };
    let first = if best.prob_beats_baseline == 0.0 {
        let none = if alone {
            "It does not come"
        } else {
            "No path comes"
        };
        format!("<strong>{none} out ahead of staying put in any of these lives.</strong>")
    } else if ci(best).lo > 0.5 {
        // Most lives, beyond the trials' margin.
        if alone {
            format!(
                "{} {verb} out ahead of staying put in most lives: {} of them.",
                names(&level),
                shares(&level)
            )
        } else if level.len() > 1 {
            format!(
                "{} {are} about equally likely to come out ahead of staying put ({} of lives): \
                 these trials cannot tell them apart.",
                names(&level),
                shares(&level)
            )
        } else {
            format!(
                "{} is the likeliest to come out ahead of staying put: in {} of lives.",
                names(&level),
                shares(&level)
            )
        }
    } else if ci(best).hi < 0.5 {
        // Fewer than half, beyond the margin.
        if alone {
            format!(
                "<strong>{} does not come out ahead of staying put in most lives</strong>: in {} \
                 of them.",
                escape(&best.label),
                shares(&level)
            )
        } else {
            let likeliest = if level.len() > 1 {
                "the likeliest to come out ahead are, about equally,"
            } else {
                "the likeliest to come out ahead is"
            };
            format!(
                "<strong>No path comes out ahead of staying put in most lives</strong>: \
                 {likeliest} {}, in {} of lives.",
                names(&level),
                shares(&level)
            )
        }
    } else {
        // Its 95% interval holds one half: about half, and no more can be said.
        format!(
            "{} {verb} out ahead of staying put in about half of lives ({}): these trials \
             cannot tell whether in most of them or not; more trials would.",
            names(&level),
            level
                .iter()
                .map(|p| escape(&share_pm(p.prob_beats_baseline, &ci(p))))
                .collect::<Vec<_>>()
                .join(" and ")
        )
    };
    let spread = if level.len() == 1 {
        format!(
            " Its median net return is {}, and the worst tenth of its lives end at {} or lower.",
            escape(&median_words(best.net.q.p50, &best.precision.p50)),
            escape(&money(best.net.q.p10))
        )
    } else {
        String::new()
    };
    format!("<p class=\"lead\">{first}{spread} Each path in turn:</p>\n")
}

/// The block of one path, on one line: odds, median and bad case, what it costs before it
/// pays, debt, break-even.
fn headline(summary: &ScenarioSummary, path: &PathSummary) -> String {
    let mut odds = format!(
        "Beats staying put in <strong>{}</strong> of lives",
        escape(&share_pm(
            path.prob_beats_baseline,
            &path.precision.prob_beats_baseline
        )),
    );
    let rivals: Vec<String> = compared_paths(summary)
        .filter(|other| other.key != path.key)
        .filter_map(|other| {
            let pair = summary.pair(&path.key, &other.key)?;
            Some(format!(
                "{} in {}",
                escape(&other.label),
                escape(&percent(pair.prob_a_beats_b))
            ))
        })
        .collect();
    if !rivals.is_empty() {
        odds.push_str(&format!("; beats {}", join_words(&rivals)));
    }
    odds.push('.');
    let outcome = format!(
        "Median net return: <strong>{}</strong> in today's dollars. The worst tenth of lives \
         end at {} or lower (10th percentile).",
        escape(&median_words(path.net.q.p50, &path.precision.p50)),
        escape(&money(path.net.q.p10)),
    );
    let breakeven = super::why::breakeven_sentence(summary, path);
    format!(
        "<div class=\"headline\"><h3>{}</h3><ul><li>{odds}</li><li>{outcome}</li><li>{}</li>\
         <li>{}</li><li>{breakeven}</li></ul></div>",
        escape(&path.label),
        deepest_sentence(path),
        debt_sentence(path),
    )
}

/// What a path costs before it pays, in one sentence: the lowest point of the median
/// cumulative net return by age (tuition, living costs and the pay given up, less any pay
/// while studying, discounted to today), and the 10th percentile there. "What will it cost
/// me?" is the first question a person asks; the lifetime figures above answer another.
fn deepest_sentence(path: &PathSummary) -> String {
    let Some(deepest) = deepest(path) else {
        return "The median life is never behind staying put, year by year.".to_string();
    };
    let worst = if deepest.p10 < deepest.p50 {
        format!(
            "; one life in ten is {} or more behind then",
            escape(&money(-deepest.p10))
        )
    } else {
        String::new()
    };
    format!(
        "At its deepest, through age {}, the median life is <strong>{}</strong> behind \
         staying put{worst}: what the path has cost by then, in today's dollars.",
        deepest.age,
        escape(&money(-deepest.p50)),
    )
}

/// Debt in one sentence: how much, how often, how long to repay.
fn debt_sentence(path: &PathSummary) -> String {
    if path.prob_debt <= 0.0 || path.mean_debt <= 0.0 {
        // Not "needs no money": the income given up while studying is in the net return,
        // and the costs are paid as they come.
        return "No loans: its costs are paid as they come (the pay given up while studying \
                is counted in the net return, not as debt)."
            .to_string();
    }
    // A loan ends when repaid or when RAP forgives the rest: "repays" only when no borrower
    // has anything forgiven.
    let forgiven = path.loans.as_ref().map_or(0.0, |l| l.share_forgiven);
    let repay = match path.repaid_p50_years {
        Some(years) => {
            let years = format!(
                "{} {}",
                number(years),
                if years == 1.0 { "year" } else { "years" }
            );
            if forgiven > 0.0 {
                format!(
                    "the median borrower's loans end {years} after the first payment, repaid \
                     or forgiven: {} of borrowers have part of their debt forgiven",
                    escape(&percent(forgiven))
                )
            } else {
                format!("the median borrower repays {years} after the first payment")
            }
        }
        None => "the median borrower still owes at retirement".to_string(),
    };
    format!(
        "Mean debt when repayment starts: {} in dollars of that time ({} of lives borrow, for \
         the program's costs: everyday living while studying is not borrowed for); {repay}.",
        escape(&money(path.mean_debt)),
        escape(&percent(path.prob_debt)),
    )
}

/// A count of years or an age: whole numbers without decimals, others with one.
pub(super) fn number(x: f64) -> String {
    if (x - x.round()).abs() < 0.05 {
        format!("{:.0}", x.round())
    } else {
        format!("{x:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn borrowers_whose_debt_is_forgiven_are_not_said_to_repay() {
        let summary = crate::report::fixture::realistic();
        let mut path = summary
            .paths
            .iter()
            .find(|p| p.loans.is_some() && p.repaid_p50_years.is_some())
            .expect("a path with loans repaid within the horizon")
            .clone();
        path.loans.as_mut().unwrap().share_forgiven = 0.0;
        // What loans pay for: the program, not everyday living while studying.
        assert!(debt_sentence(&path).contains("for the program's costs"));
        assert!(
            debt_sentence(&path).contains("the median borrower repays ")
                && debt_sentence(&path).contains(" after the first payment")
        );
        path.loans.as_mut().unwrap().share_forgiven = 0.61;
        let said = debt_sentence(&path);
        assert!(!said.contains("repays"), "{said}");
        assert!(
            said.contains("repaid or forgiven: 61% of borrowers have part of their debt forgiven"),
            "{said}"
        );
        path.repaid_p50_years = None;
        assert!(debt_sentence(&path).contains("the median borrower still owes at retirement"));
    }

    #[test]
    fn the_answer_comes_first() {
        use crate::stats::precision::Interval;
        let mut summary = crate::report::fixture::realistic();
        let keys: Vec<String> = compared_paths(&summary).map(|p| p.key.clone()).collect();
        assert!(keys.len() >= 2, "{keys:?}");
        let set = |s: &mut ScenarioSummary, key: &str, share: f64, half: f64| {
            let p = s.paths.iter_mut().find(|p| p.key == key).expect("a path");
            p.prob_beats_baseline = share;
            p.precision.prob_beats_baseline = Interval {
                lo: share - half,
                hi: share + half,
            };
            p.label = key.to_string();
        };
        for k in &keys {
            set(&mut summary, k, 0.10, 0.01);
        }
        // One path clearly ahead in most lives: named, with its spread.
        set(&mut summary, &keys[1], 0.56, 0.01);
        let best = summary
            .paths
            .iter()
            .find(|p| p.key == keys[1])
            .expect("path");
        let said = verdict(&summary);
        assert!(
            said.contains(&format!(
                "<strong>{}</strong> is the likeliest to come out ahead of staying put: in 56% of lives. Its median net return is {}, and the worst tenth of its lives end at {} or lower.",
                keys[1],
                money(best.net.q.p50),
                money(best.net.q.p10)
            )),
            "{said}"
        );
        // Two that these trials cannot tell apart: named together, not ranked.
        set(&mut summary, &keys[0], 0.55, 0.01);
        let said = verdict(&summary);
        assert!(
            said.contains(&format!(
                "<strong>{}</strong> and <strong>{}</strong> are about equally likely to come out ahead of staying put (56% and 55% of lives)",
                keys[1], keys[0]
            )),
            "{said}"
        );
        // None ahead in most lives: said first.
        set(&mut summary, &keys[0], 0.30, 0.01);
        set(&mut summary, &keys[1], 0.46, 0.01);
        let said = verdict(&summary);
        assert!(
            said.contains(&format!(
                "<strong>No path comes out ahead of staying put in most lives</strong>: the likeliest to come out ahead is <strong>{}</strong>, in 46% of lives.",
                keys[1]
            )),
            "{said}"
        );
        // About half, within the trials' margin: not said to be most or fewer.
        set(&mut summary, &keys[1], 0.49, 0.044);
        let said = verdict(&summary);
        assert!(
            said.contains(&format!(
                "<strong>{}</strong> comes out ahead of staying put in about half of lives (49% ±4.4): these trials cannot tell whether in most of them or not",
                keys[1]
            )),
            "{said}"
        );
        // Nothing ever ahead: said so, not "the likeliest, in 0%".
        for k in &keys {
            set(&mut summary, k, 0.0, 0.0);
        }
        assert!(verdict(&summary).contains(
            "<strong>No path comes out ahead of staying put in any of these lives.</strong>"
        ));
        // One path only: no "likeliest".
        summary.paths.retain(|p| p.baseline || p.key == keys[0]);
        set(&mut summary, &keys[0], 0.30, 0.01);
        assert!(
            verdict(&summary).contains(&format!(
                "<strong>{} does not come out ahead of staying put in most lives</strong>: in 30% of them.",
                keys[0]
            )),
            "{}",
            verdict(&summary)
        );
        set(&mut summary, &keys[0], 0.70, 0.01);
        assert!(
            verdict(&summary).contains(&format!(
                "<strong>{}</strong> comes out ahead of staying put in most lives: 70% of them.",
                keys[0]
            )),
            "{}",
            verdict(&summary)
        );
        // The block of each path follows it.
        let html = headlines(&summary);
        assert!(
            html.find("<p class=\"lead\">").expect("verdict")
                < html.find("<div class=\"headline\">").expect("blocks")
        );
    }

    #[test]
    fn the_cost_is_the_deepest_point_of_the_median_life() {
        use crate::stats::summary::TimelinePoint;
        let mut path = crate::report::fixture::realistic().paths[1].clone();
        let point = |year: u32, p10: f64, p50: f64| TimelinePoint {
            p10,
            ..crate::report::fixture::flat_point(year, 27 + year, p50)
        };
        path.timeline = vec![
            point(0, -80_000.0, -60_000.0),
            point(1, -141_824.0, -121_600.0),
            point(2, -150_000.0, -90_000.0),
            point(3, -100_000.0, 20_000.0),
        ];
        // The median's lowest year, not the 10th percentile's.
        assert_eq!(
            deepest_sentence(&path),
            "At its deepest, through age 28, the median life is <strong>$122k</strong> behind \
             staying put; one life in ten is $142k or more behind then: what the path has cost \
             by then, in today's dollars."
        );
        path.timeline = vec![point(0, 0.0, 0.0), point(1, 0.0, 5_000.0)];
        assert_eq!(
            deepest_sentence(&path),
            "The median life is never behind staying put, year by year."
        );
        // Every life alike: no tenth worse than the median.
        path.timeline = vec![point(0, -1_501.0, -1_501.0)];
        assert!(!deepest_sentence(&path).contains("one life in ten"));
        // Flat after the program, a dollar lower at the end: the year it was reached.
        path.timeline = vec![
            point(0, -1_500.0, -1_500.0),
            point(1, -1_500.0, -1_500.0),
            point(2, -1_501.0, -1_501.0),
        ];
        assert!(deepest_sentence(&path).contains("through age 27,"));
    }

    #[test]
    fn lists_read_like_english() {
        let items = ["a".to_string(), "b".to_string(), "c".to_string()];
        assert_eq!(join_words(&items[..1]), "a");
        assert_eq!(join_words(&items[..2]), "a and b");
        assert_eq!(join_words(&items), "a, b and c");
        assert_eq!(number(31.0), "31");
        assert_eq!(number(8.5), "8.5");
    }
}
