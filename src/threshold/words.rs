//! A threshold's answer in words: its value to 3 significant digits in the key's unit, the
//! figure and the target, and the sentence the report and the terminal print.

use super::{End, Metric, ThresholdResult, Unit, schema};

/// The unit of a key (of its input, for a distribution's parameter).
pub(crate) fn unit(key: &str) -> Unit {
    schema::lookup(key)
        .or_else(|| key.rsplit_once('.').and_then(|(p, _)| schema::lookup(p)))
        .map_or(Unit::None, |(d, _)| d.unit)
}

/// `x` to 3 significant digits.
pub fn sig3(x: f64) -> f64 {
    significant(x, 3)
}

/// `x` to `digits` significant digits (at least 1).
pub fn significant(x: f64, digits: usize) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let after = digits.max(1) - 1;
    format!("{x:.after$e}").parse().unwrap_or(x)
}

/// `x` to 3 significant digits, rounded up (`up`) or down: the side on which a statement
/// about `x` stays true ("0.659199 or more" is true of 0.66, not of 0.659).
pub fn sig3_toward(x: f64, up: bool) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let near = sig3(x);
    if near == x || (near > x) == up {
        return near;
    }
    let step = 10f64.powi(x.abs().log10().floor() as i32 - 2);
    let stepped = if up { near + step } else { near - step };
    sig3(stepped)
}

/// A value of a key in words, to 3 significant digits: `$36.2k` (the report's money
/// format), `62.4%` (a share, a rate or a fraction, which a person reads as a percentage,
/// not as `0.624`), `14.5 months`.
pub fn value_words(x: f64, unit: Unit) -> String {
    value_words_to(x, unit, 3)
}

/// [`value_words`] to `digits` significant digits, for values that 3 digits would not tell
/// apart (the values a search tried near its crossing); money beyond 3 digits is written in
/// whole dollars (`$36,218`), not in the report's compact format.
pub fn value_words_to(x: f64, unit: Unit, digits: usize) -> String {
    let v = significant(x, digits);
    let plain = if v.abs() >= 1000.0 {
        let sign = if v < 0.0 { "-" } else { "" };
        format!("{sign}{}", crate::text::thousands(v.abs().round() as u64))
    } else {
        format!("{v}")
    };
    match unit {
        Unit::Dollars | Unit::NominalDollars | Unit::DollarsPerYear | Unit::DollarsPerMonth
            if digits <= 3 =>
        {
            crate::report::format::money(v)
        }
        Unit::Dollars | Unit::NominalDollars | Unit::DollarsPerYear | Unit::DollarsPerMonth => {
            dollars(v)
        }
        Unit::Months if v == 1.0 => "1 month".to_string(),
        Unit::Years if v == 1.0 => "1 year".to_string(),
        // The digits of `v` (already significant), moved two places: 0.0483 is 4.83%.
        Unit::Share | Unit::Rate | Unit::Fraction => {
            format!("{}%", significant(v * 100.0, digits))
        }
        Unit::Months => format!("{plain} months"),
        Unit::Years => format!("{plain} years"),
        _ => plain,
    }
}

/// Whole dollars, grouped by thousands: `-$36,218`.
pub fn dollars(x: f64) -> String {
    let sign = if x < 0.0 && x.round() != 0.0 { "-" } else { "" };
    format!("{sign}${}", crate::text::thousands(x.abs().round() as u64))
}

/// The fewest significant digits, from 3 to 8, at which `values` that differ read
/// differently in [`value_words_to`]: a table of the values a search tried near its
/// crossing, where 3 digits would show "65.4%" four times.
pub fn digits_apart(values: &[f64], unit: Unit) -> usize {
    (3..=8)
        .find(|&d| {
            values.windows(2).all(|w| {
                w[0] == w[1] || value_words_to(w[0], unit, d) != value_words_to(w[1], unit, d)
            })
        })
        .unwrap_or(8)
}

/// The metric's value in words: `54%`, `$12,000`.
pub fn metric_words(m: Metric, x: f64) -> String {
    match m {
        Metric::ProbBeats => crate::report::format::percent(x),
        Metric::Median | Metric::Mean => crate::report::format::money(x),
    }
}

/// A target in words, as given: the report's short form ("56%", "$102k") when it says the
/// very value, else every digit the question gave ("55.55%", "$101,689"), so that the
/// sentence claims neither more nor less than the target.
pub fn target_words(m: Metric, x: f64) -> String {
    let short = metric_words(m, x);
    let exact = match m {
        Metric::ProbBeats => {
            let pct = x * 100.0;
            (pct - pct.round()).abs() < 1e-9 && 0.0 < x && x < 1.0
        }
        Metric::Median | Metric::Mean => {
            if x.abs() >= 1000.0 {
                sig3(x) == x
            } else {
                x.round() == x
            }
        }
    };
    if exact {
        return short;
    }
    match m {
        Metric::ProbBeats => format!(
            "{}%",
            crate::scenario::fmt_num((x * 100.0 * 1e6).round() / 1e6)
        ),
        Metric::Median | Metric::Mean => {
            let sign = if x < 0.0 { "-" } else { "" };
            let plain = crate::scenario::fmt_num(x.abs());
            // Dollars grouped by thousands, cents too.
            let grouped = match plain.split_once('.') {
                Some((whole, cents)) => whole.parse::<u64>().map_or_else(
                    |_| plain.clone(),
                    |w| format!("{}.{cents}", crate::text::thousands(w)),
                ),
                None => plain.clone(),
            };
            format!("{sign}${grouped}")
        }
    }
}

impl ThresholdResult {
    /// Full runs made: the values tried.
    pub fn evaluations(&self) -> usize {
        self.tried.len()
    }

    /// What the path compared with is called in a sentence: "staying put" for the baseline.
    pub fn versus_words(&self) -> String {
        self.versus_label
            .clone()
            .unwrap_or_else(|| "staying put".to_string())
    }

    /// What reaching the target means, in words: "beats staying put in at least half of
    /// lives", "has a median gain over the bootcamp of at least $10k".
    pub fn goal_words(&self) -> String {
        let q = &self.question;
        let versus = self.versus_words();
        match q.metric {
            Metric::ProbBeats => {
                let share = if (q.target - 0.5).abs() < 1e-12 {
                    "half".to_string()
                } else {
                    target_words(Metric::ProbBeats, q.target)
                };
                format!("beats {versus} in at least {share} of lives")
            }
            // Against another path, the median of the differences, life by life, is not the
            // difference of the two paths' medians (each against staying put): say which.
            Metric::Median if q.target == 0.0 && q.versus.is_some() => {
                format!("has a median life-by-life gain over {versus} above zero")
            }
            // The median net return above zero: ahead in more than half of lives.
            Metric::Median if q.target == 0.0 => {
                format!("has a median gain over {versus} above zero")
            }
            Metric::Mean if q.target == 0.0 => format!("comes out ahead of {versus} on average"),
            m => format!(
                "has a {} gain over {versus} of at least {}",
                self.metric_name(),
                target_words(m, q.target)
            ),
        }
    }

    /// The figure compared with the target, as a chart's axis or a table's column names it:
    /// "beats staying put", "median gain over staying put".
    pub fn figure_name(&self) -> String {
        match self.question.metric {
            Metric::ProbBeats => format!("beats {}", self.versus_words()),
            _ => format!("{} gain over {}", self.metric_name(), self.versus_words()),
        }
    }

    /// The metric's name before "gain": "median", "mean", and "median life-by-life" against
    /// a path other than staying put.
    pub fn metric_name(&self) -> String {
        let q = &self.question;
        match q.metric {
            Metric::Median if q.versus.is_some() => "median life-by-life".to_string(),
            m => m.key().to_string(),
        }
    }

    /// The answer in one sentence.
    pub fn sentence(&self) -> String {
        let q = &self.question;
        let range = |x: f64| value_words(x, self.unit);
        // "its one-time costs are", "its tuition is", "the max of its one-time costs is".
        let plural = crate::scenario::questions::words_are_plural(&self.key_words);
        let (is, it_is) = if plural {
            ("are", "they are")
        } else {
            ("is", "it is")
        };
        match &self.crossing {
            Some(c) => format!(
                "{} {} when {} {is} {} or {}.",
                self.path_label,
                self.goal_words(),
                self.key_words,
                range(sig3_toward(c.value, c.rising)),
                if c.rising { "more" } else { "less" }
            ),
            None => {
                let (a, b) = (
                    metric_words(q.metric, self.at_from.metric),
                    metric_words(q.metric, self.at_to.metric),
                );
                let ends = match q.metric {
                    Metric::ProbBeats => format!(
                        "it comes out ahead in {a} of lives at {} and {b} at {}",
                        range(q.from),
                        range(q.to)
                    ),
                    _ => format!(
                        "{} gain over {}: {a} at {}, {b} at {}",
                        self.metric_name(),
                        self.versus_words(),
                        range(q.from),
                        range(q.to)
                    ),
                };
                // Said of the ends, which were run, not of every value between them (the
                // search finds a crossing where the ends differ; between two ends on one side
                // there could be two). Not "always": "always comes out ahead in the median
                // life" reads as "in every life".
                let verdict = if self.at_from.metric >= q.target {
                    format!(
                        "{} both when {} {is} {} and when {it_is} {}",
                        self.goal_words(),
                        self.key_words,
                        range(q.from),
                        range(q.to)
                    )
                } else {
                    format!(
                        "{} neither when {} {is} {} nor when {it_is} {}",
                        self.goal_words(),
                        self.key_words,
                        range(q.from),
                        range(q.to)
                    )
                };
                // An end whose 95% interval holds the target: "always" holds for these lives
                // but the trials run cannot tell it from the target there.
                let unsure: Vec<String> = [(q.from, &self.at_from), (q.to, &self.at_to)]
                    .into_iter()
                    .filter(|(_, e)| e.ci.0 <= q.target && q.target <= e.ci.1)
                    .map(|(x, e)| {
                        if e.ci.0.is_finite() && e.ci.1.is_finite() {
                            format!(
                                "at {} its 95% interval, {} to {}, holds {}",
                                range(x),
                                metric_words(q.metric, e.ci.0),
                                metric_words(q.metric, e.ci.1),
                                metric_words(q.metric, q.target)
                            )
                        } else {
                            // A median of fewer than 6 lives.
                            format!(
                                "at {} the trials run are too few to bound it at all",
                                range(x)
                            )
                        }
                    })
                    .collect();
                let caveat = if unsure.is_empty() {
                    String::new()
                } else {
                    format!(
                        " This is not certain: {}; more trials would tell.",
                        unsure.join(", and ")
                    )
                };
                format!(
                    "{} {verdict}, the ends of the range searched ({ends}): no crossing found.{caveat}",
                    self.path_label,
                )
            }
        }
    }

    /// The 95% range in words: "60% to 64%", "from below 10% (where the search started) to
    /// 64%"; `None` without a crossing.
    pub fn range_words(&self) -> Option<String> {
        let c = self.crossing?;
        let q = &self.question;
        // Rounded outwards, so that the range in words holds the range found.
        let end = |e: End, up: bool| match e {
            End::At(x) => value_words(sig3_toward(x, up), self.unit),
            End::Below => format!(
                "from below {} (where the search started)",
                value_words(q.from, self.unit)
            ),
            End::Above => format!(
                "above {} (where the search ended)",
                value_words(q.to, self.unit)
            ),
        };
        Some(format!(
            "{} to {}",
            end(c.range.0, false),
            end(c.range.1, true)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::threshold::fixture::result;
    use crate::threshold::{Crossing, assumed_words};

    #[test]
    fn values_near_a_crossing_get_the_digits_that_tell_them_apart() {
        // To 3 digits as value_words writes them; more digits in the same forms.
        for (x, unit) in [
            (0.654, Unit::Share),
            (36_150.66, Unit::DollarsPerYear),
            (14.46, Unit::Months),
            (1.0, Unit::Years),
        ] {
            assert_eq!(value_words_to(x, unit, 3), value_words(x, unit));
        }
        assert_eq!(value_words_to(0.653_984, Unit::Share, 5), "65.398%");
        assert_eq!(
            value_words_to(36_150.66, Unit::DollarsPerYear, 5),
            "$36,151"
        );
        assert_eq!(value_words_to(-1_234.4, Unit::Dollars, 6), "-$1,234");
        assert_eq!(value_words_to(14.4612, Unit::Months, 4), "14.46 months");
        assert_eq!(dollars(-0.4), "$0");
        // Four values 3 digits would all write "65.4%" take 4; values far apart keep 3;
        // equal values do not ask for more.
        let near = [0.6539, 0.654, 0.6541, 0.6544];
        assert_eq!(digits_apart(&near, Unit::Share), 4);
        assert_eq!(digits_apart(&[0.3, 0.65, 0.95], Unit::Share), 3);
        assert_eq!(digits_apart(&[0.5, 0.5], Unit::Share), 3);
        assert_eq!(digits_apart(&[36_150.0, 36_190.0], Unit::Dollars), 4);
    }

    #[test]
    fn what_the_scenario_assumes_reads_in_the_keys_unit() {
        use crate::dist::Dist;
        assert_eq!(assumed_words(&Dist::Fixed(0.7), Unit::Share), "70%");
        assert_eq!(
            assumed_words(&Dist::Fixed(36_000.0), Unit::DollarsPerYear),
            "$36k"
        );
        // Uniform on [0.6, 0.8]: mean 0.7, 5th and 95th percentiles 0.61 and 0.79.
        assert_eq!(
            assumed_words(
                &Dist::Uniform {
                    lo: 0.6,
                    width: 0.2
                },
                Unit::Share
            ),
            "70% on average (61% to 79% in 90% of lives); the search tries one value at a \
             time, the same in every life, in place of that spread"
        );
    }

    #[test]
    fn three_significant_digits() {
        assert_eq!(sig3(0.61834), 0.618);
        assert_eq!(sig3(36_151.2), 36_200.0);
        assert_eq!(sig3_toward(36_150.66, false), 36_100.0);
        assert_eq!(sig3_toward(36_150.66, true), 36_200.0);
        assert_eq!(sig3_toward(0.659199, true), 0.66);
        assert_eq!(sig3_toward(0.659199, false), 0.659);
        assert_eq!(sig3_toward(0.659, true), 0.659);
        assert_eq!(sig3_toward(-1234.5, true), -1230.0);
        assert_eq!(sig3_toward(-1234.5, false), -1240.0);
        assert_eq!(sig3_toward(999.6, true), 1000.0);
        assert_eq!(sig3_toward(0.0, true), 0.0);
        assert_eq!(value_words(36_151.2, Unit::DollarsPerYear), "$36.2k");
        assert_eq!(value_words(-1234.0, Unit::Dollars), "-$1.23k");
        assert_eq!(value_words(483.75, Unit::DollarsPerMonth), "$484");
        assert_eq!(value_words(0.6, Unit::Share), "60%");
        assert_eq!(value_words(0.659, Unit::Share), "65.9%");
        assert_eq!(value_words(-0.048_34, Unit::Fraction), "-4.83%");
        assert_eq!(value_words(0.08, Unit::Rate), "8%");
        assert_eq!(value_words(0.0, Unit::Rate), "0%");
        assert_eq!(value_words(1.0, Unit::Share), "100%");
        assert_eq!(value_words(14.46, Unit::Months), "14.5 months");
    }

    #[test]
    fn a_plural_cost_takes_a_plural_verb_and_its_parameter_a_singular_one() {
        let c = Crossing {
            value: 263_000.0,
            rising: false,
            range: (End::At(200_000.0), End::At(300_000.0)),
        };
        let mut r = result(Metric::ProbBeats, 0.5, (0.7, 0.2), Some(c));
        r.unit = Unit::Dollars;
        for (key, words, verb) in [
            ("paths.m.costs.one_time", "its one-time costs", "are"),
            ("paths.x.costs.one_time", "one-time costs of X", "are"),
            ("paths.m.costs.fees_per_year", "its fees per year", "are"),
            (
                "paths.m.costs.one_time.max",
                "the max of its one-time costs",
                "is",
            ),
            (
                "paths.m.costs.tuition_per_year",
                "its tuition per year",
                "is",
            ),
        ] {
            r.question.key = key.into();
            r.key_words = words.into();
            assert!(
                r.sentence()
                    .contains(&format!("when {words} {verb} $263k or less")),
                "{}",
                r.sentence()
            );
        }
        // Without a crossing: "and when they are".
        let mut r = result(Metric::ProbBeats, 0.9, (0.2, 0.45), None);
        r.question.key = "paths.m.costs.one_time".into();
        r.key_words = "its one-time costs".into();
        assert!(
            r.sentence().contains("nor when they are"),
            "{}",
            r.sentence()
        );
    }

    #[test]
    fn answers_in_words() {
        let c = Crossing {
            value: 0.6234,
            rising: true,
            range: (End::Below, End::At(0.6789)),
        };
        let r = result(Metric::ProbBeats, 0.5, (0.2, 0.7), Some(c));
        assert_eq!(
            r.sentence(),
            "The master's beats staying put in at least half of lives when placement is 62.4% or more."
        );
        assert_eq!(
            r.range_words().unwrap(),
            "from below 10% (where the search started) to 67.9%"
        );
        let r = result(Metric::ProbBeats, 0.6, (0.2, 0.45), None);
        assert_eq!(
            r.sentence(),
            "The master's beats staying put in at least 60% of lives neither when placement is 10% nor when it is 90%, the ends of the range searched (it comes out ahead in 20% of lives at 10% and 45% at 90%): no crossing found."
        );
        assert_eq!(r.range_words(), None);
        let r = result(Metric::Median, 0.0, (5_000.0, 90_000.0), None);
        assert_eq!(
            r.sentence(),
            "The master's has a median gain over staying put above zero both when placement is 10% and when it is 90%, the ends of the range searched (median gain over staying put: $5k at 10%, $90k at 90%): no crossing found."
        );
        // An end that cannot be told apart from the target says so.
        let mut r = result(Metric::Median, 0.0, (90_000.0, 4_630.0), None);
        r.at_to.ci = (-5_436.0, 14_888.0);
        assert_eq!(
            r.sentence(),
            "The master's has a median gain over staying put above zero both when placement is 10% and when it is 90%, the ends of the range searched (median gain over staying put: $90k at 10%, $4.63k at 90%): no crossing found. This is not certain: at 90% its 95% interval, -$5.44k to $14.9k, holds $0; more trials would tell."
        );
        // A median of fewer than 6 lives has no bounds: said in words, not "n/a to n/a".
        r.at_from.ci = (f64::NEG_INFINITY, f64::INFINITY);
        assert!(
            r.sentence().ends_with(
                "This is not certain: at 10% the trials run are too few to bound it at all, and at 90% its 95% interval, -$5.44k to $14.9k, holds $0; more trials would tell."
            ),
            "{}",
            r.sentence()
        );
        let r = result(Metric::Mean, 10_000.0, (0.0, 1.0), None);
        assert!(
            r.goal_words()
                .starts_with("has a mean gain over staying put of at least $10k")
        );
        // Against another path, a median is of the life-by-life differences (not the gap
        // between the two paths' medians against staying put): the words say so.
        let mut r = result(Metric::Median, 0.0, (5_000.0, 90_000.0), None);
        r.question.versus = Some("b".into());
        r.versus_label = Some("The bootcamp".into());
        assert_eq!(
            r.sentence(),
            "The master's has a median life-by-life gain over The bootcamp above zero both when placement is 10% and when it is 90%, the ends of the range searched (median life-by-life gain over The bootcamp: $5k at 10%, $90k at 90%): no crossing found."
        );
        r.question.target = 10_000.0;
        assert_eq!(
            r.goal_words(),
            "has a median life-by-life gain over The bootcamp of at least $10k"
        );
    }
}
