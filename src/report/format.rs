//! Money and probability in words, shared by the terminal, the charts and the HTML page so
//! that a figure reads the same wherever it appears.
//!
//! **One money format.** Monte Carlo figures are not precise to the dollar (quantiles come
//! from a sketch with a stated error, means from a finite sample), so every amount is shown
//! to three significant digits with a unit suffix: `$156k`, `-$12.4k`, `$1.23M`. Amounts
//! below $1,000 are shown to the whole dollar (`-$719`, `-$90`), so that a small amount is
//! never rounded to zero. Only the CSV files carry full precision.
//!
//! Counts (trials, trials per second) are digit-grouped ([`thousands`]); a seed is an
//! identifier to be typed back into `--seed`, so it is always printed as bare digits
//! ([`seed`]).

/// A dollar amount to three significant digits: `$719`, `-$90`, `$12.4k`, `$156k`,
/// `$1.23M`, `$3.4B`; trailing zeros are dropped (`$250k`, `$2M`).
///
/// Below $1,000 the amount is rounded to the whole dollar instead (`-$89.94` is `-$90`,
/// not `-$89.9`), since cents mean nothing here. Used for every money figure shown to a
/// person: the terminal table, the report's tables and sentences, chart legends and ticks.
pub fn money(value: f64) -> String {
    if !value.is_finite() {
        return "n/a".to_string();
    }
    const UNITS: [(f64, &str); 4] = [(1.0, ""), (1e3, "k"), (1e6, "M"), (1e9, "B")];
    let magnitude = value.abs();
    // Pick the largest unit not above the value, then move up one unit when rounding
    // carries the digits to 1000 ("$999.9k" -> "$1M").
    let mut unit = UNITS
        .iter()
        .rposition(|(scale, _)| magnitude >= *scale)
        .unwrap_or(0);
    loop {
        let (scale, suffix) = UNITS[unit];
        let digits = if unit == 0 {
            magnitude.round()
        } else {
            round_significant(magnitude / scale)
        };
        if digits >= 1000.0 && unit + 1 < UNITS.len() {
            unit += 1;
            continue;
        }
        if digits == 0.0 {
            return "$0".to_string();
        }
        let sign = if value < 0.0 { "-" } else { "" };
        return format!("{sign}${}{suffix}", trim_decimals(digits));
    }
}

/// A probability as a whole percentage: `63%`; `<1%` and `>99%` near the ends so that a
/// share that is not certain never reads as 0% or 100%.
pub fn percent(share: f64) -> String {
    percent_to(share, 0)
}

/// A probability to one decimal of a percentage: `56.4%`; `<0.1%` and `>99.9%` near the
/// ends, as [`percent`].
pub fn percent_tenths(share: f64) -> String {
    percent_to(share, 1)
}

/// A probability to `decimals` decimals of a percentage, as [`percent`] and
/// [`percent_tenths`] write it.
pub fn percent_to(share: f64, decimals: usize) -> String {
    let step = 0.01 / 10f64.powi(decimals as i32);
    if !share.is_finite() {
        "n/a".to_string()
    } else if share <= 0.0 {
        "0%".to_string()
    } else if share >= 1.0 {
        "100%".to_string()
    } else if share < step {
        format!("<{:.*}%", decimals, step * 100.0)
    } else if share > 1.0 - step {
        format!(">{:.*}%", decimals, 100.0 - step * 100.0)
    } else {
        format!("{:.*}%", decimals, share * 100.0)
    }
}

/// A list in words: `a`, `a and b`, `a, b and c`.
pub fn join_words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Shares of one whole (the outcomes of a path) as percentages that add up to 100%.
///
/// Whole percentages when each reads as [`percent`] writes it alone (as every other table
/// of the report does); when those do not add up to 100% (33.7%, 33.7% and 32.6% read 34%,
/// 34%, 33%), one decimal, each rounded down and the tenths left over given to the largest
/// remainders (Hamilton's method): 33.7%, 33.7%, 32.6%. So a share never reads as two
/// different whole numbers in one report, and a table of shares adds up. As [`percent`], a
/// share that is neither 0 nor 1 never reads as 0% or 100%. Shares that do not add up to 1
/// (or are not finite) are each written as [`percent`] writes them.
pub fn percents(shares: &[f64]) -> Vec<String> {
    let total: f64 = shares.iter().sum();
    if shares.iter().any(|s| !s.is_finite() || *s < 0.0) || (total - 1.0).abs() > 1e-9 {
        return shares.iter().map(|&s| percent(s)).collect();
    }
    let alone: Vec<String> = shares.iter().map(|&s| percent(s)).collect();
    // Counts of `units` (100: whole percentages; 1000: tenths) as text.
    let label = |units: u32| -> Vec<String> {
        let tenths = units == 1000;
        shares
            .iter()
            .zip(largest_remainders(shares, units))
            .map(|(&s, c)| match c {
                _ if s <= 0.0 => "0%".to_string(),
                _ if s >= 1.0 => "100%".to_string(),
                0 => if tenths { "<0.1%" } else { "<1%" }.to_string(),
                c if c == units => if tenths { ">99.9%" } else { ">99%" }.to_string(),
                c if tenths => format!("{:.1}%", f64::from(c) / 10.0),
                c => format!("{c}%"),
            })
            .collect()
    };
    let whole = label(100);
    if whole == alone { whole } else { label(1000) }
}

/// `units` split among `shares` (which add up to 1): each share's count rounded down, then
/// one more to each of the largest remainders until the counts add up to `units`; ties to
/// the earlier share, so the result does not depend on the sort's stability.
fn largest_remainders(shares: &[f64], units: u32) -> Vec<u32> {
    let scaled: Vec<f64> = shares.iter().map(|s| s * f64::from(units)).collect();
    let mut counts: Vec<u32> = scaled.iter().map(|x| x.floor() as u32).collect();
    let left = units.saturating_sub(counts.iter().sum());
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (scaled[a] - scaled[a].floor(), scaled[b] - scaled[b].floor());
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &i in order.iter().take(left as usize) {
        counts[i] += 1;
    }
    counts
}

/// A percentage for axis ticks, where the values are round: `0%`, `2.5%`, `100%`.
pub fn percent_tick(share: f64) -> String {
    let value = (share * 1000.0).round() / 10.0;
    format!("{}%", trim_decimals(value))
}

/// A seed as it must be typed back into `--seed` or `[simulation].seed`: bare digits, never
/// grouped (`20261121`).
pub fn seed(seed: u64) -> String {
    seed.to_string()
}

/// Rounds a positive number below ~1000 to three significant digits (no more than two
/// decimals).
fn round_significant(x: f64) -> f64 {
    let decimals = if x >= 100.0 {
        0
    } else if x >= 10.0 {
        1
    } else {
        2
    };
    let factor = 10f64.powi(decimals);
    (x * factor).round() / factor
}

/// Formats with up to two decimals and drops trailing zeros: `1.50` -> `1.5`, `2.00` -> `2`.
pub fn trim_decimals(x: f64) -> String {
    let text = format!("{x:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

pub use crate::text::thousands;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_examples_of_the_one_money_format() {
        // Small amounts to the dollar, never rounded to zero.
        assert_eq!(money(-718.50), "-$719");
        assert_eq!(money(-89.94), "-$90");
        assert_eq!(money(5.4), "$5");
        // Three significant digits from $1,000.
        assert_eq!(money(1_234_567.0), "$1.23M");
        assert_eq!(money(83_000.0), "$83k");
        assert_eq!(money(-12_391.0), "-$12.4k");
        assert_eq!(money(156_049.0), "$156k");
        assert_eq!(money(1_234.0), "$1.23k");
        assert_eq!(money(3_400_000_000.0), "$3.4B");
    }

    #[test]
    fn ticks_read_like_money() {
        assert_eq!(money(0.0), "$0");
        assert_eq!(money(-0.0), "$0");
        assert_eq!(money(-1e-7), "$0");
        assert_eq!(money(0.4), "$0");
        assert_eq!(money(500.0), "$500");
        assert_eq!(money(-100_000.0), "-$100k");
        assert_eq!(money(250_000.0), "$250k");
        assert_eq!(money(12_500.0), "$12.5k");
        assert_eq!(money(1_200_000.0), "$1.2M");
        assert_eq!(money(1_250_000.0), "$1.25M");
        assert_eq!(money(2_000_000.0), "$2M");
        assert_eq!(money(-50_000.0), "-$50k");
        assert_eq!(money(123_456.0), "$123k");
    }

    #[test]
    fn rounding_carries_into_the_next_unit() {
        assert_eq!(money(999.4), "$999");
        assert_eq!(money(999.7), "$1k");
        assert_eq!(money(999_999.0), "$1M");
        assert_eq!(money(-999_700.0), "-$1M");
    }

    #[test]
    fn float_noise_and_nan() {
        assert_eq!(money(200_000.000_000_03), "$200k");
        assert_eq!(money(-149_999.999_999), "-$150k");
        assert_eq!(money(f64::NAN), "n/a");
        assert_eq!(money(f64::INFINITY), "n/a");
    }

    #[test]
    fn a_seed_is_bare_digits_and_counts_are_grouped() {
        assert_eq!(seed(20_261_121), "20261121");
        assert_eq!(thousands(200_000), "200,000");
    }

    #[test]
    fn percentages_never_round_to_certainty() {
        assert_eq!(percent(0.63), "63%");
        assert_eq!(percent(0.0), "0%");
        assert_eq!(percent(1.0), "100%");
        assert_eq!(percent(0.004), "<1%");
        assert_eq!(percent(0.996), ">99%");
        assert_eq!(percent(0.99), "99%");
        assert_eq!(percent_tick(0.025), "2.5%");
        assert_eq!(percent_tick(0.5), "50%");
    }

    #[test]
    fn shares_of_a_whole_add_up_to_a_hundred() {
        // Rounded alone: 34% + 34% + 33% = 101%. Floors 33 + 33 + 32 = 98; the two points
        // left go to the two largest remainders (.7 and .7, not .6).
        assert_eq!(
            [0.337, 0.337, 0.326].map(percent),
            ["34%", "34%", "33%"].map(String::from)
        );
        // So one decimal: floors 33.7 + 33.7 + 32.6 = 100.0 already.
        assert_eq!(
            percents(&[0.337, 0.337, 0.326]),
            ["33.7%", "33.7%", "32.6%"]
        );
        // Rounded alone: 10% + 20% + 30% + 39% = 99%. In tenths, floors 104 + 204 + 304 +
        // 385 = 997; the three tenths left go to the remainders .9, .8 and .7, not .6.
        let shares = [0.1049, 0.2048, 0.3047, 0.3856];
        assert_eq!(
            shares.map(percent),
            ["10%", "20%", "30%", "39%"].map(String::from)
        );
        assert_eq!(percents(&shares), ["10.5%", "20.5%", "30.5%", "38.5%"]);
        // Whole percentages that add up as they are stay whole.
        assert_eq!(
            percents(&[0.59, 0.18, 0.03, 0.2]),
            ["59%", "18%", "3%", "20%"]
        );
        assert_eq!(percents(&[0.16507, 0.8, 0.03493]), ["17%", "80%", "3%"]);
        // Self-study's 16.507% placed beside 83.493%: 17% + 83% = 100%, whole.
        assert_eq!(percents(&[0.16507, 0.83493]), ["17%", "83%"]);
        // In tenths, near the ends.
        assert_eq!(
            percents(&[0.0004, 0.3356, 0.3356, 0.3284]),
            ["<0.1%", "33.6%", "33.6%", "32.8%"].map(String::from)
        );
        // Near the ends: not certain never reads as 0% or 100%.
        assert_eq!(percents(&[0.996, 0.004, 0.0]), [">99%", "<1%", "0%"]);
        assert_eq!(percents(&[1.0, 0.0]), ["100%", "0%"]);
        // Not a whole: each on its own.
        assert_eq!(percents(&[0.335, 0.335]), ["34%", "34%"]);
    }
}
