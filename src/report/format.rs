//! Money and probability in words, shared by the charts and the HTML page so that a figure
//! reads the same on both.
//!
//! Monte Carlo figures are not precise to the dollar (quantiles come from a sketch with a
//! stated error), so full amounts are rounded to the nearest $100 and chart ticks are
//! compact ("$250k", "$1.2M").

/// A dollar amount in full, rounded to the nearest $100: `$83,000`, `-$12,400`.
///
/// Used in tables and sentences, where a reader compares amounts digit by digit.
pub fn money(value: f64) -> String {
    if !value.is_finite() {
        return "n/a".to_string();
    }
    let hundreds = (value / 100.0).round();
    if hundreds == 0.0 {
        return "$0".to_string();
    }
    let sign = if hundreds < 0.0 { "-" } else { "" };
    let dollars = (hundreds.abs() * 100.0) as u64;
    format!("{sign}${}", thousands(dollars))
}

/// A compact dollar amount for axis ticks and chart labels: `-$100k`, `$250k`, `$1.2M`.
///
/// Three significant digits at most, trailing zeros dropped, so that ticks stay short at
/// half size and a tick such as $1.25M is not shown as a misleading "$1.2M".
pub fn money_compact(value: f64) -> String {
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
        let digits = round_significant(magnitude / scale);
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
    if !share.is_finite() {
        return "n/a".to_string();
    }
    if share <= 0.0 {
        "0%".to_string()
    } else if share >= 1.0 {
        "100%".to_string()
    } else if share < 0.01 {
        "<1%".to_string()
    } else if share > 0.99 {
        ">99%".to_string()
    } else {
        format!("{:.0}%", share * 100.0)
    }
}

/// A percentage for axis ticks, where the values are round: `0%`, `2.5%`, `100%`.
pub fn percent_tick(share: f64) -> String {
    let value = (share * 1000.0).round() / 10.0;
    format!("{}%", trim_decimals(value))
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
fn trim_decimals(x: f64) -> String {
    let text = format!("{x:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

pub use crate::text::thousands;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_ticks_read_like_money() {
        assert_eq!(money_compact(0.0), "$0");
        assert_eq!(money_compact(-0.0), "$0");
        assert_eq!(money_compact(-1e-7), "$0");
        assert_eq!(money_compact(500.0), "$500");
        assert_eq!(money_compact(-100_000.0), "-$100k");
        assert_eq!(money_compact(250_000.0), "$250k");
        assert_eq!(money_compact(12_500.0), "$12.5k");
        assert_eq!(money_compact(1_200_000.0), "$1.2M");
        assert_eq!(money_compact(1_250_000.0), "$1.25M");
        assert_eq!(money_compact(2_000_000.0), "$2M");
        assert_eq!(money_compact(-50_000.0), "-$50k");
        assert_eq!(money_compact(123_456.0), "$123k");
        assert_eq!(money_compact(3_400_000_000.0), "$3.4B");
    }

    #[test]
    fn compact_ticks_carry_into_the_next_unit() {
        assert_eq!(money_compact(999.7), "$1k");
        assert_eq!(money_compact(999_999.0), "$1M");
        assert_eq!(money_compact(-999_700.0), "-$1M");
    }

    #[test]
    fn compact_ticks_survive_float_noise_and_nan() {
        assert_eq!(money_compact(200_000.000_000_03), "$200k");
        assert_eq!(money_compact(-149_999.999_999), "-$150k");
        assert_eq!(money_compact(f64::NAN), "n/a");
    }

    #[test]
    fn full_money_rounds_to_hundreds_with_separators() {
        assert_eq!(money(83_000.0), "$83,000");
        assert_eq!(money(-12_391.0), "-$12,400");
        assert_eq!(money(1_234_567.0), "$1,234,600");
        assert_eq!(money(40.0), "$0");
        assert_eq!(money(-40.0), "$0");
        assert_eq!(money(999.0), "$1,000");
        assert_eq!(money(f64::INFINITY), "n/a");
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
}
