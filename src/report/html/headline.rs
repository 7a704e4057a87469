//! The key numbers of each path in words: what a reader who reads nothing else should take
//! away.

use super::escape;
use crate::report::format::{money, percent};
use crate::report::margin::share_pm;
use crate::report::paths::compared_paths;
use crate::stats::summary::{PathSummary, ScenarioSummary};

/// One block per non-baseline path, as HTML: its label and four short lines.
pub(super) fn headlines(summary: &ScenarioSummary) -> String {
    let mut out = String::new();
    for path in compared_paths(summary) {
        out.push_str(&headline(summary, path));
        out.push('\n');
    }
    if out.is_empty() {
        out.push_str("<p>This scenario has no path to compare with staying put.</p>\n");
    }
    out
}

/// The block of one path, on one line: odds, median and bad case, debt, break-even.
fn headline(summary: &ScenarioSummary, path: &PathSummary) -> String {
    let mut odds = format!(
        "Beats staying put in <strong>{}</strong> of trials",
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
        escape(&money(path.net.q.p50)),
        escape(&money(path.net.q.p10)),
    );
    let breakeven = super::why::breakeven_sentence(summary, path);
    format!(
        "<div class=\"headline\"><h3>{}</h3><ul><li>{odds}</li><li>{outcome}</li><li>{}</li>\
         <li>{breakeven}</li></ul></div>",
        escape(&path.label),
        debt_sentence(path),
    )
}

/// Debt in one sentence: how much, how often, how long to repay.
fn debt_sentence(path: &PathSummary) -> String {
    if path.prob_debt <= 0.0 || path.mean_debt <= 0.0 {
        return "Needs no loans.".to_string();
    }
    let repay = match path.repaid_p50_years {
        Some(years) => format!(
            "the median borrower repays in {} {}",
            number(years),
            if years == 1.0 { "year" } else { "years" }
        ),
        None => "the median borrower has not repaid by retirement".to_string(),
    };
    format!(
        "Mean debt when repayment starts: {} in dollars of that time ({} of trials borrow); \
         {repay}.",
        escape(&money(path.mean_debt)),
        escape(&percent(path.prob_debt)),
    )
}

/// `a`, `a and b`, `a, b and c`.
fn join_words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
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
    fn lists_read_like_english() {
        let items = ["a".to_string(), "b".to_string(), "c".to_string()];
        assert_eq!(join_words(&items[..1]), "a");
        assert_eq!(join_words(&items[..2]), "a and b");
        assert_eq!(join_words(&items), "a, b and c");
        assert_eq!(number(31.0), "31");
        assert_eq!(number(8.5), "8.5");
    }
}
