//! The bracketing search's memory: every evaluation so far, in order of value, and the
//! steps that narrow a bracket around the target and then settle the answer's digits.

use super::{Evaluation, MAX_EVALUATIONS, QuestionError, sig3, sig3_toward};

/// Every evaluation so far, in order of value.
#[derive(Default)]
pub(super) struct Cache {
    pub(super) evals: Vec<Evaluation>,
}

impl Cache {
    pub(super) fn get(
        &mut self,
        v: f64,
        eval: &mut impl FnMut(f64) -> Result<Evaluation, QuestionError>,
    ) -> Result<Evaluation, QuestionError> {
        let i = self.evals.partition_point(|e| e.value < v);
        if let Some(e) = self.evals.get(i).filter(|e| e.value == v) {
            return Ok(*e);
        }
        let e = eval(v)?;
        self.evals.insert(i, e);
        Ok(e)
    }

    /// The narrowest bracket found around the value at which `g >= 0` changes, its ends on
    /// either side and within `tol` of each other: searched in the first bracket (two
    /// neighbouring evaluations on either side) from the low end. `None` when `g >= 0` holds
    /// at every evaluation or at none.
    ///
    /// The search also stops once `g` differs between the bracket's ends by no more than
    /// `resolution` of the metric's 95% interval's half-width there: narrowing the bracket
    /// further would move the answer by a small share of its own uncertainty; or once
    /// `settled` holds for the bracket's ends.
    pub(super) fn bracket(
        &mut self,
        g: &dyn Fn(&Evaluation) -> f64,
        tol: f64,
        resolution: f64,
        settled: &dyn Fn(&Evaluation, &Evaluation) -> bool,
        eval: &mut impl FnMut(f64) -> Result<Evaluation, QuestionError>,
    ) -> Result<Option<(Evaluation, Evaluation)>, QuestionError> {
        let half = |e: &Evaluation| (e.ci.1 - e.ci.0) / 2.0;
        let side = |e: &Evaluation| g(e) >= 0.0;
        let Some(i) = self
            .evals
            .windows(2)
            .position(|w| side(&w[0]) != side(&w[1]))
        else {
            return Ok(None);
        };
        let (mut l, mut r) = (self.evals[i], self.evals[i + 1]);
        // Illinois false position: the straight-line guess, halving the weight of an end
        // kept twice in a row (else a curved function keeps one end forever); a midpoint
        // whenever two steps have not halved the bracket.
        let (mut gl, mut gr) = (g(&l), g(&r));
        let mut kept_right = None;
        let mut widths = [f64::INFINITY; 2];
        while r.value - l.value > tol
            && (g(&l) - g(&r)).abs() > resolution * half(&l).min(half(&r))
            && !settled(&l, &r)
            && self.evals.len() < MAX_EVALUATIONS
        {
            let width = r.value - l.value;
            let stalled = width > widths[0] / 2.0;
            widths = [widths[1], width];
            // The end just moved (or, at the start, the one nearer the target).
            let near_left = match kept_right {
                Some(kept) => kept,
                None => g(&l).abs() <= g(&r).abs(),
            };
            let closing = if near_left {
                Self::closing(g, &l, &r, resolution)
            } else {
                Self::closing(g, &r, &l, resolution)
            };
            let x = if let Some(x) = closing {
                x
            } else if stalled || !(gl - gr).is_normal() {
                l.value + width / 2.0
            } else {
                let x = l.value + width * gl / (gl - gr);
                // Never on an end, where a flat step would make no progress.
                x.clamp(l.value + width / 1024.0, r.value - width / 1024.0)
            };
            let e = self.get(x, eval)?;
            if side(&e) == side(&l) {
                (l, gl) = (e, g(&e));
                if kept_right == Some(true) {
                    gr /= 2.0;
                }
                kept_right = Some(true);
            } else {
                (r, gr) = (e, g(&e));
                if kept_right == Some(false) {
                    gl /= 2.0;
                }
                kept_right = Some(false);
            }
        }
        Ok(Some((l, r)))
    }

    /// The bracket `b` narrowed on until the 3 significant digits of the crossing are known,
    /// rounded as the answer gives them, toward the side where the target is reached (up
    /// when `rising`): those of every value the crossing may be at, `(l, r]` rising or
    /// `[l, r)` falling, are the same. Each step halves the bracket, or splits it at a
    /// 3-digit value inside it, which decides a digit: a few evaluations from a bracket
    /// already narrowed to a share of the 95% range.
    pub(super) fn digits(
        &mut self,
        g: &dyn Fn(&Evaluation) -> f64,
        b: Option<(Evaluation, Evaluation)>,
        rising: bool,
        tol: f64,
        eval: &mut impl FnMut(f64) -> Result<Evaluation, QuestionError>,
    ) -> Result<Option<(Evaluation, Evaluation)>, QuestionError> {
        let digits = |x: f64| sig3_toward(x, rising);
        let known = |l: f64, r: f64| {
            if rising {
                digits(l.next_up()) == digits(r)
            } else {
                digits(l) == digits(r.next_down())
            }
        };
        let side = |e: &Evaluation| g(e) >= 0.0;
        let Some((mut l, mut r)) = b else {
            return Ok(None);
        };
        // Near 0 a value has ever more digits: 0 itself, when the bracket holds it, is split
        // at first, and is the answer when the target is reached there (a crossing between
        // -2e-7 and 0 is "0 or more", not "-1.93e-7 or more").
        let at_zero = |l: &Evaluation, r: &Evaluation| {
            let end = if side(l) { l } else { r };
            end.value == 0.0
        };
        // Digits are sought to a thousandth of the search's tolerance, so that a crossing
        // near 0 (within a ten-thousandth of the range) has its own.
        let tol = tol / 1000.0;
        while !known(l.value, r.value)
            && !at_zero(&l, &r)
            && r.value - l.value > tol
            && self.evals.len() < MAX_EVALUATIONS
        {
            let mid = l.value + (r.value - l.value) / 2.0;
            let round = sig3(mid);
            let x = if l.value < 0.0 && 0.0 < r.value {
                0.0
            } else if l.value < round && round < r.value {
                round
            } else {
                mid
            };
            let e = self.get(x, eval)?;
            if side(&e) == side(&l) {
                l = e;
            } else {
                r = e;
            }
        }
        Ok(Some((l, r)))
    }

    /// The step that closes a bracket whose end `e` is already within half the resolution of
    /// the target: just past the crossing, towards the bracket's other end `far`, where the
    /// straight line through the two ends puts `g` at a little less than the resolution away
    /// from `g(e)`. The next check then usually stops the search, one evaluation later
    /// instead of the several that false position spends when one end barely moves. (The
    /// line through the far end, not through `e`'s nearest neighbour: a share over finitely
    /// many lives is a staircase, whose steps make a local slope noise.) `None` when `e` is
    /// not that near, or the step cannot be told; a guess that lands on `e`'s side just
    /// becomes the bracket's new end.
    fn closing(
        g: &dyn Fn(&Evaluation) -> f64,
        e: &Evaluation,
        far: &Evaluation,
        resolution: f64,
    ) -> Option<f64> {
        let allowed = resolution * (e.ci.1 - e.ci.0) / 2.0;
        let ge = g(e);
        if !(allowed > 0.0 && ge.abs() <= allowed / 2.0) {
            return None;
        }
        let room = far.value - e.value;
        let slope = ((g(far) - ge) / room).abs();
        // Aim the far side's g at half the room left: |g(e) - g(x)| about (allowed + |g(e)|) / 2.
        let step = (allowed + ge.abs()) / 2.0 / slope;
        (step.is_normal() && step < room.abs()).then(|| e.value + step.copysign(room))
    }
}

/// The value at which `g >= 0` changes within the bracket `(l, r)` ([`Cache::bracket`]): on
/// the straight line between its ends (its middle if `g` jumps there).
pub(super) fn interpolated(
    g: &dyn Fn(&Evaluation) -> f64,
    (l, r): (Evaluation, Evaluation),
) -> f64 {
    let (gl, gr) = (g(&l), g(&r));
    let t = if (gl - gr).is_normal() {
        (gl / (gl - gr)).clamp(0.0, 1.0)
    } else {
        0.5
    };
    l.value + t * (r.value - l.value)
}

/// The end of the bracket `(l, r)` ([`Cache::bracket`]) at which `g >= 0` holds. A sentence
/// that says the target is reached from that value on is then true of it, which a point
/// between the ends need not be (a share over finitely many lives is a staircase).
pub(super) fn reached_end(g: &dyn Fn(&Evaluation) -> f64, (l, r): (Evaluation, Evaluation)) -> f64 {
    if g(&l) >= 0.0 { l.value } else { r.value }
}
