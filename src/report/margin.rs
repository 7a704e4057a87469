//! A share or a median with its Monte Carlo precision, as the terminal, the report and the
//! batch index write it: `54% ±1.0`, the half-width of a share's 95% interval in percentage
//! points; `$53.9k ($13.1k to $82.4k)`, a median's interval where it is wide.

use super::format::{money, percent, percent_tenths, percent_to, trim_decimals};
use crate::stats::precision::Interval;

/// What the `±` means, in one sentence, for the report.
pub const MEANING: &str = "The “±” after a share is the simulation's own margin, in \
    percentage points: in 95% of runs, the share that unlimited trials would give lies within \
    that margin of the one shown (a share with a margin under half a point is shown to one \
    decimal). Where that margin is lopsided (few trials, a share near 0% or 100%), the range \
    is shown instead: “3% (1–9%)”. It says nothing of whether the scenario's assumptions are \
    right: “What decides it” shows which of them move the answer most.";

/// What a range after a median means, in one sentence, for the report.
pub const MEDIAN_MEANING: &str = "A median shown with a range, “$54k ($13k to $82k)”, is \
    less certain than its digits suggest: in 95% of runs the median that unlimited trials \
    would give lies in that range. It happens with few trials, and often when lives split \
    into two groups (placed or not) with the median between them; more trials narrow it.";

/// When a median's 95% interval is wide enough to say: wider than a quarter of the median's
/// size and than $1,000. A median between two groups of lives (a path that pays off in about
/// half of them) can move by tens of thousands of dollars between seeds while the shares
/// barely move; shown bare, its digits claim a precision it does not have.
/// Below 6 trials no interval bounds a median (its ends are infinite): uncertain too.
pub fn median_uncertain(p50: f64, ci: &Interval) -> bool {
    let width = ci.hi - ci.lo;
    !width.is_finite() || (width > 1_000.0 && width > 0.25 * p50.abs())
}

/// A median as the report writes it: `$262k`, or `$53.9k ($13.1k to $82.4k)` when
/// [`median_uncertain`], or `$401k (too few trials to bound it)`.
pub fn median_words(p50: f64, ci: &Interval) -> String {
    if !median_uncertain(p50, ci) {
        money(p50)
    } else if (ci.hi - ci.lo).is_finite() {
        format!("{} ({} to {})", money(p50), money(ci.lo), money(ci.hi))
    } else {
        format!("{} (too few trials to bound it)", money(p50))
    }
}

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

/// A share and its precision: `54% ±1.0`, and to one decimal when the margin is under half
/// a point (`56.4% ±0.2`: a whole percentage would hide more than the margin). When the
/// interval is lopsided about the share (few trials, or a share near 0 or 1), a `±` would
/// read as reaching below 0% or give ends the interval does not have: the interval itself is
/// written (`range`): `0% (0–28%)` for 0 of 10.
pub fn share_pm(share: f64, ci: &Interval) -> String {
    let half = ci.half_width();
    let off = (share - (ci.lo + ci.hi) / 2.0).abs();
    if half > 0.0 && (off > LOPSIDED * half || off > OFF_BY) {
        return range(share, ci);
    }
    let shown = if half < 0.005 {
        percent_tenths(share)
    } else {
        percent(share)
    };
    format!("{shown} {}", plus_minus(ci))
}

/// A share and its interval as a range, the ends rounded outwards to as many decimals of a
/// percentage as the range's width needs, the share to as many: whole percentages for a
/// range 5 points wide or more (`10% (1–41%)`), tenths down to half a point (`99% (98.1–99.5%)`),
/// hundredths below (`0% (0–0.01%)` for 0 of 200,000).
fn range(share: f64, ci: &Interval) -> String {
    let width = (ci.hi - ci.lo) * 100.0;
    let decimals = if width >= 5.0 {
        0
    } else if width >= 0.5 {
        1
    } else {
        2
    };
    let scale = 10f64.powi(decimals as i32);
    let lo = ((ci.lo * 100.0 * scale + 1e-9).floor() / scale).max(0.0);
    let hi = ((ci.hi * 100.0 * scale - 1e-9).ceil() / scale).min(100.0);
    format!(
        "{} ({}–{}%)",
        percent_to(share, decimals),
        trim_decimals(lo),
        trim_decimals(hi)
    )
}

/// How far (a share of the interval's half-width) the share may sit from the interval's
/// middle and still be written with a `±`: at 10,000 trials and more the two differ by far
/// less than this.
const LOPSIDED: f64 = 0.2;

/// How far (a share) the share may sit from the interval's middle and still be written with
/// a `±`: half a point, what writing the share as a whole percentage may already be off by
/// (57% ±16.7 for 17 of 30, whose interval is 39.2% to 72.6%, would read 40.3% to 73.7%).
const OFF_BY: f64 = 0.005;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stats::precision::wilson;

    #[test]
    fn a_median_says_its_range_only_when_it_is_uncertain() {
        let ci = |lo: f64, hi: f64| Interval { lo, hi };
        // A bimodal path at 20,000 trials: its range is wider than the median itself.
        assert_eq!(
            median_words(53_900.0, &ci(13_100.0, 82_400.0)),
            "$53.9k ($13.1k to $82.4k)"
        );
        // A well-settled median: bare. 262k with a 10k-wide interval is 4% of it.
        assert_eq!(median_words(262_000.0, &ci(257_000.0, 267_000.0)), "$262k");
        // Just over and just under a quarter of the median: 25,100 of 100,000, 24,900.
        assert!(median_uncertain(100_000.0, &ci(90_000.0, 115_100.0)));
        assert!(!median_uncertain(100_000.0, &ci(90_000.0, 114_900.0)));
        // A small median with a small interval is not worth a range: under $1,000 wide.
        assert_eq!(median_words(-612.0, &ci(-1_200.0, -300.0)), "-$612");
        // Too few trials for an interval: said, not shown as settled.
        assert_eq!(
            median_words(5_000.0, &ci(f64::NEG_INFINITY, f64::INFINITY)),
            "$5k (too few trials to bound it)"
        );
        assert_eq!(
            median_words(5_000.0, &ci(f64::NAN, f64::NAN)),
            "$5k (too few trials to bound it)"
        );
    }

    #[test]
    fn shares_read_with_their_margin() {
        // 5,400 of 10,000: half-width 0.009767 -> 0.98 points -> "±1.0".
        assert_eq!(share_pm(0.54, &wilson(5_400, 10_000)), "54% ±1.0");
        // 54 of 100: 9.59 points.
        assert_eq!(share_pm(0.54, &wilson(54, 100)), "54% ±9.6");
        // 200,000 trials: 1.96 * sqrt(0.54 * 0.46 / 200,000) = 0.218 points, under half a
        // point: the share to one decimal.
        assert_eq!(plus_minus(&wilson(108_000, 200_000)), "±0.2");
        assert_eq!(share_pm(0.5643, &wilson(112_860, 200_000)), "56.4% ±0.2");
        assert_eq!(percent_tenths(0.0009), "<0.1%");
        assert_eq!(percent_tenths(0.9991), ">99.9%");
        assert_eq!(percent_tenths(0.1234), "12.3%");
        assert_eq!(
            plus_minus(&Interval {
                lo: 0.5,
                hi: 0.5008
            }),
            "±<0.1"
        );
        assert_eq!(plus_minus(&Interval { lo: 0.5, hi: 0.501 }), "±0.1");
    }

    #[test]
    fn a_lopsided_interval_is_written_as_a_range() {
        // 0 of 10: Wilson's interval is [0, 0.2775]; "0% ±13.9" would reach below 0%.
        assert_eq!(share_pm(0.0, &wilson(0, 10)), "0% (0–28%)");
        // 1 of 10: [0.0179, 0.4042], the share 0.1 far below its middle 0.211.
        assert_eq!(share_pm(0.1, &wilson(1, 10)), "10% (1–41%)");
        // 54 of 100: middle 0.5385, 0.0015 from the share: still "±".
        assert_eq!(share_pm(0.54, &wilson(54, 100)), "54% ±9.6");
        // 990 of 1,000: [0.9817, 0.9946], the share 0.99 above its middle 0.9881; a range
        // 1.3 points wide, its ends to tenths.
        assert_eq!(share_pm(0.99, &wilson(990, 1000)), "99.0% (98.1–99.5%)");
        // 0 of 200,000: [0, 0.0000192], not "(0–1%)".
        assert_eq!(share_pm(0.0, &wilson(0, 200_000)), "0% (0–0.01%)");
        // 2 of 5: [0.1176, 0.7693], middle 0.4435, 0.13 of the half-width 0.326 from the
        // share, but "40% ±32.6" would read 7.4% to 72.6%.
        assert_eq!(share_pm(0.4, &wilson(2, 5)), "40% (11–77%)");
        // 17 of 30: [0.3920, 0.7262], the share 0.8 points from its middle 0.5591.
        assert_eq!(share_pm(17.0 / 30.0, &wilson(17, 30)), "57% (39–73%)");
    }
}
