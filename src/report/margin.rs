//! A share with its Monte Carlo precision, as the terminal, the report and the batch index
//! write it: `54% ±1.0`, the half-width of its 95% interval in percentage points.

use super::format::percent;
use crate::stats::precision::Interval;

/// What the `±` means, in one sentence, for the report.
pub const MEANING: &str = "The “±” after a share is its Monte Carlo margin in percentage \
    points: in 95% of runs, the share that unlimited trials would give lies within that \
    margin of the one shown.";

/// The half-width of a share's 95% interval in percentage points, to one decimal:
/// `±1.0`, `±0.2`; `±<0.1` below 0.05 points.
pub fn plus_minus(ci: &Interval) -> String {
    let points = (ci.half_width() * 1000.0).round() / 10.0;
    if points < 0.1 {
        "±<0.1".to_string()
    } else {
        format!("±{points:.1}")
    }
}

/// A share as a whole percentage and its precision: `54% ±1.0`.
pub fn share_pm(share: f64, ci: &Interval) -> String {
    format!("{} {}", percent(share), plus_minus(ci))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::precision::wilson;

    #[test]
    fn shares_read_with_their_margin() {
        // 5,400 of 10,000: half-width 0.009767 -> 0.98 points -> "±1.0".
        assert_eq!(share_pm(0.54, &wilson(5_400, 10_000)), "54% ±1.0");
        // 54 of 100: 9.59 points.
        assert_eq!(share_pm(0.54, &wilson(54, 100)), "54% ±9.6");
        // 200,000 trials: 1.96 * sqrt(0.54 * 0.46 / 200,000) = 0.218 points.
        assert_eq!(plus_minus(&wilson(108_000, 200_000)), "±0.2");
        assert_eq!(
            plus_minus(&Interval {
                lo: 0.5,
                hi: 0.5008
            }),
            "±<0.1"
        );
        assert_eq!(plus_minus(&Interval { lo: 0.5, hi: 0.501 }), "±0.1");
        assert_eq!(share_pm(0.0, &wilson(0, 10)), "0% ±13.9");
    }
}
